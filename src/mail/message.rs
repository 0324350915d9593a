//! The message a transport sends: addresses already parsed, words already
//! rendered. Built from an outbox row by the worker (`jobs`); the transport
//! knows nothing of the database.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};

/// A calendar part (`text/calendar`), e.g. a visit invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// The iCalendar text (see `mail::ics`).
    pub ics: String,
    /// The iTIP method: "REQUEST" or "CANCEL".
    pub method: String,
}

/// One email as it leaves.
#[derive(Debug, Clone)]
pub struct Message {
    /// Stable across retries, so a resend is recognisable as the same message.
    pub message_id: String,
    pub from: Mailbox,
    pub to: Mailbox,
    pub reply_to: Option<Mailbox>,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub calendar: Option<Calendar>,
}

impl Message {
    /// The wire form: multipart/alternative text and HTML, inside
    /// multipart/mixed with the calendar part when there is one. A line
    /// break in the subject never becomes a header.
    pub fn to_lettre(&self) -> Result<lettre::Message, String> {
        let mut builder = lettre::Message::builder()
            .from(self.from.clone())
            .to(self.to.clone())
            .subject(self.subject.replace(['\r', '\n'], " "))
            .message_id(Some(self.message_id.clone()));
        if let Some(reply_to) = &self.reply_to {
            builder = builder.reply_to(reply_to.clone());
        }
        let alternative = MultiPart::alternative_plain_html(self.text.clone(), self.html.clone());
        let message = match &self.calendar {
            Some(calendar) => {
                let ctype = ContentType::parse(&format!("text/calendar; method={}; charset=UTF-8", calendar.method))
                    .map_err(|e| format!("calendar content type: {e}"))?;
                let attachment: SinglePart = Attachment::new("invitation.ics".into()).body(calendar.ics.clone(), ctype);
                builder.multipart(MultiPart::mixed().multipart(alternative).singlepart(attachment))
            }
            None => builder.multipart(alternative),
        };
        message.map_err(|e| format!("building the message: {e}"))
    }
}
