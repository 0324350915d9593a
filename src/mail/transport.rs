//! Transports: SMTP (plain for local relays, STARTTLS required, implicit
//! TLS — lettre's URL forms, as in CONTRACT.md) or, in development only,
//! `.eml` files under `data/mail/`. A transport sends a [`Message`]; it
//! knows nothing of the outbox.

use std::str::FromStr;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::message::Message;
use crate::config::Settings;

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
                crate::files::private_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                Ok(Transport::File(AsyncFileTransport::new(dir)))
            }
        }
    }

    pub async fn send(&self, message: &Message, timeout: Duration) -> Outcome {
        let message = match message.to_lettre() {
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

/// A mailbox, e.g. `"Hansen, Kim" <kim@kommune.dk>` as header text: lettre
/// quotes a display name with commas, parentheses or quotes as RFC 5322
/// needs, so the worker reads back exactly this person. Never build an
/// address header with `format!`. `None` for an address that is not one.
pub fn mailbox(name: &str, email: &str) -> Option<Mailbox> {
    let address = email.trim().parse().ok()?;
    let name = name.replace(['\r', '\n'], " ");
    Some(Mailbox::new(Some(name).filter(|n| !n.trim().is_empty()), address))
}

/// The bare address of a mailbox such as `Velkomst <velkomst@localhost>`.
pub fn address_of(mailbox: &str) -> String {
    Mailbox::from_str(mailbox).map_or_else(|_| mailbox.to_string(), |m| m.email.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(url: Option<&str>) -> Settings {
        let mut env: HashMap<String, String> = HashMap::new();
        if let Some(u) = url {
            env.insert("VELKOMST_SMTP_URL".into(), u.into());
        }
        let mut s = Settings::load_from(None, &env).expect("settings");
        s.data_dir = std::env::temp_dir().join(format!("velkomst-transport-{}", uuid::Uuid::new_v4().simple()));
        s
    }

    // lettre's connection pool needs a Tokio runtime, as in the worker.
    #[tokio::test]
    async fn the_contracts_smtp_url_forms_build_transports() {
        for url in [
            "smtp://127.0.0.1:1025",
            "smtp://relay.example.dk:587?tls=required",
            "smtps://mail.example.dk:465",
            "smtps://user%40kommune.dk:p%C3%A6ss@mail.example.dk:465",
        ] {
            assert!(matches!(Transport::from_settings(&settings(Some(url))), Ok(Transport::Smtp(_))), "{url}");
        }
        let s = settings(None);
        assert!(matches!(Transport::from_settings(&s), Ok(Transport::File(_))));
        let _ = std::fs::remove_dir_all(&s.data_dir);
    }

    #[test]
    fn production_refuses_file_mail() {
        let mut s = settings(None);
        s.env = crate::config::Env::Production;
        assert!(Transport::from_settings(&s).is_err());
    }

    #[test]
    fn a_message_becomes_multipart_with_its_message_id_and_calendar() {
        let message = Message {
            message_id: "<x@velkomst.example>".into(),
            from: "Velkomst <velkomst@localhost>".parse().expect("from"),
            to: "Åse Ærø <aase@example.dk>".parse().expect("to"),
            reply_to: Some("Kim <kim@kommune.dk>".parse().expect("reply-to")),
            subject: "Tak\r\nBcc: evil@example.com".into(),
            text: "Hej".into(),
            html: "<p>Hej</p>".into(),
            calendar: Some(super::super::message::Calendar {
                ics: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".into(),
                method: "REQUEST".into(),
            }),
        };
        let raw = String::from_utf8(message.to_lettre().expect("message").formatted()).expect("utf-8");
        assert!(raw.contains("Message-ID: <x@velkomst.example>"));
        assert!(raw.contains("multipart/alternative") && raw.contains("text/calendar; method=REQUEST"));
        assert!(!raw.contains("\r\nBcc:"), "a CR/LF in the subject never becomes a header");
        assert!(raw.contains("Reply-To: Kim <kim@kommune.dk>"));

        let plain = Message { calendar: None, reply_to: None, ..message };
        let raw = String::from_utf8(plain.to_lettre().expect("message").formatted()).expect("utf-8");
        assert!(!raw.contains("text/calendar") && !raw.contains("Reply-To"));
    }

    #[test]
    fn names_with_commas_parentheses_and_quotes_make_a_valid_reply_to() {
        for name in ["Hansen, Kim", "Anne Jensen (vikar)", "Kim \"KK\" Konsulent", "Søren Ø; <x>", "Back\\slash", ""]
        {
            let text = mailbox(name, "kim@kommune.dk").expect("a mailbox").to_string();
            let parsed = Mailbox::from_str(&text).unwrap_or_else(|e| panic!("{name:?} as {text:?}: {e}"));
            assert_eq!(parsed.email.to_string(), "kim@kommune.dk", "{text}");
            assert_eq!(parsed.name.unwrap_or_default(), name, "{text}");
        }
        assert_eq!(mailbox("Kim", "not an address"), None);
    }
}
