//! Transports: SMTP (plain for local relays, STARTTLS required, implicit
//! TLS — lettre's URL forms, as in CONTRACT.md) or, in development only,
//! `.eml` files under `data/mail/`.

use std::str::FromStr;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Settings;
use crate::db::outbox::OutboxEmail;

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
}

/// What became of one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Connection refused, timeout, 4xx: try again later.
    Temporary(String),
    /// 5xx or an address no server will take: dead-letter at once.
    Permanent(String),
}

impl Transport {
    pub fn from_settings(settings: &Settings) -> Result<Self, String> {
        let timeout = Duration::from_secs(settings.mail.timeout_seconds);
        match &settings.mail.smtp_url {
            Some(url) => {
                let smtp = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("VELKOMST_SMTP_URL: {e}"))?
                    .timeout(Some(timeout))
                    .pool_config(PoolConfig::new().max_size(settings.mail.senders.max(1) as u32))
                    .build();
                Ok(Transport::Smtp(smtp))
            }
            None if settings.is_production() => {
                Err("VELKOMST_SMTP_URL: is required in production; file mail is for development".into())
            }
            None => {
                let dir = settings.data_dir.join("mail");
                std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                Ok(Transport::File(AsyncFileTransport::new(dir)))
            }
        }
    }

    pub async fn send(&self, from: &str, email: &OutboxEmail, timeout: Duration) -> Outcome {
        let message = match build_message(from, email) {
            Ok(m) => m,
            Err(e) => return Outcome::Permanent(e),
        };
        // lettre's own timeout covers each read; this bounds the whole
        // exchange with a server that accepts and then stalls.
        let attempt = async {
            match self {
                Transport::Smtp(t) => t.send(message).await.map(|_| ()).map_err(|e| {
                    if e.is_permanent() {
                        Outcome::Permanent(one_line(&e.to_string()))
                    } else {
                        Outcome::Temporary(one_line(&e.to_string()))
                    }
                }),
                Transport::File(t) => {
                    t.send(message).await.map(|_| ()).map_err(|e| Outcome::Temporary(one_line(&e.to_string())))
                }
            }
        };
        match tokio::time::timeout(timeout * 2, attempt).await {
            Ok(Ok(())) => Outcome::Sent,
            Ok(Err(outcome)) => outcome,
            Err(_) => Outcome::Temporary("timed out waiting for the mail server".into()),
        }
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(500).collect()
}

/// The message exactly as stored: stable Message-ID, multipart/alternative
/// text and HTML, and the calendar invitation when there is one.
pub fn build_message(from: &str, email: &OutboxEmail) -> Result<Message, String> {
    let from = Mailbox::from_str(from).map_err(|e| format!("sender: {e}"))?;
    let to_address = email.recipient.parse().map_err(|e| format!("recipient address: {e}"))?;
    let to = Mailbox::new(Some(email.recipient_name.clone()).filter(|n| !n.is_empty()), to_address);
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(email.subject.replace(['\r', '\n'], " "))
        .message_id(Some(email.message_id.clone()));
    if let Some(reply_to) = &email.reply_to {
        builder = builder.reply_to(Mailbox::from_str(reply_to).map_err(|e| format!("reply-to: {e}"))?);
    }
    let alternative = MultiPart::alternative_plain_html(email.body_text.clone(), email.body_html.clone());
    let message = match (&email.ics, &email.ics_method) {
        (Some(ics), method) => {
            let method = method.as_deref().unwrap_or("REQUEST");
            let ctype = ContentType::parse(&format!("text/calendar; method={method}; charset=UTF-8"))
                .map_err(|e| format!("calendar content type: {e}"))?;
            let attachment: SinglePart = Attachment::new("invitation.ics".into()).body(ics.clone(), ctype);
            builder.multipart(MultiPart::mixed().multipart(alternative).singlepart(attachment))
        }
        (None, _) => builder.multipart(alternative),
    };
    message.map_err(|e| format!("building the message: {e}"))
}

/// The bare address of a mailbox such as `Velkomst <velkomst@localhost>`.
pub fn address_of(mailbox: &str) -> String {
    Mailbox::from_str(mailbox).map_or_else(|_| mailbox.to_string(), |m| m.email.to_string())
}
