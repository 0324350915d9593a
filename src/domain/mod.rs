//! Pure rules and types of the welcome service. Nothing here knows about
//! HTTP, SQL or email; everything is unit-tested without IO.

pub mod campaign;
pub mod case;
pub mod delivery;
pub mod event;
pub mod inquiry;
pub mod net;
pub mod origin;
pub mod password;
pub mod reference;
pub mod referral;
pub mod report;
pub mod survey;
pub mod target;
pub mod text;
pub mod token;
pub mod totp;
pub mod user;
pub mod workdays;

pub use case::{Action, CaseState, Outcome, Refusal, Stage, Transition};
pub use inquiry::{FieldError, Inquiry, InquiryDraft};
