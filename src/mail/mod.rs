//! Email: rendering from templates, calendar invitations, and transports.
//! Nothing here sends on a request thread: requests write to the outbox
//! (`db::outbox`) and the worker (`jobs`) delivers.

//!
//! An email is a typed struct (`email`) rendered from its template folder
//! (`render`), stored in the outbox by the workflow, and sent by the worker
//! as a [`Message`] through a [`Transport`].

pub mod email;
pub mod ics;
pub mod message;
pub mod render;
pub mod transport;

pub use message::{Calendar, Message};
pub use transport::{Outcome, Transport};
