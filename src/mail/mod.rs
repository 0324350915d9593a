//! Email: rendering from templates, calendar invitations, and transports.
//! Nothing here sends on a request thread: requests write to the outbox
//! (`db::outbox`) and the worker (`jobs`) delivers.

pub mod ics;
pub mod render;
pub mod transport;

pub use transport::{Outcome, Transport};
