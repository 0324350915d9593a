//! The consultant's emails to the mover: the information pack (the first
//! contact), their own written email with a preview, and the templates it
//! may start from.

use super::emails;
use crate::config::Settings;
use crate::db::cases;
use crate::db::{users, write_tx, Conn};
use crate::domain::reference::Reference;
use crate::error::Error;
use crate::mail::email::{self, Recipient};

/// The information pack, fitted to the household: children → daycare and
/// schools; job help → jobs; building → plots; and the chosen areas' pages.
/// Sending it is the first contact.
pub fn send_information_pack(
    conn: &mut Conn,
    s: &Settings,
    reference: &Reference,
    note: &str,
    actor_id: &str,
) -> Result<(), Error> {
    write_tx(conn, |conn| {
        let now = crate::db::now();
        let d = cases::detail(conn, reference)?;
        let mover = emails::to_mover_by(conn, s, &d, Some(actor_id))?;
        emails::queue(conn, s, Some(&d.case.id), &emails::information_pack(s, &d, mover, note, true), now)?;
        super::cases::record_first_contact(conn, reference, "", actor_id)
    })
}

/// An email the consultant wrote; replies go to the consultant.
pub fn send_custom(
    conn: &mut Conn,
    s: &Settings,
    reference: &Reference,
    subject: &str,
    body: &str,
    actor: &users::User,
) -> Result<(), Error> {
    write_tx(conn, |conn| {
        let now = crate::db::now();
        let d = cases::detail(conn, reference)?;
        let custom = custom_email(conn, s, &d, subject, body, actor)?;
        emails::queue(conn, s, Some(&d.case.id), &custom, now)
    })
}

/// The consultant's own email: signed by whoever wrote it, and replies go
/// to them, whether or not the case is theirs.
fn custom_email(
    conn: &mut Conn,
    s: &Settings,
    d: &cases::CaseDetail,
    subject: &str,
    body: &str,
    actor: &users::User,
) -> Result<email::Custom, Error> {
    let mut mover = emails::to_mover_by(conn, s, d, Some(&actor.id))?;
    mover.envelope.reply_to = Recipient::new(&actor.name, &actor.email).mailbox();
    mover.common.consultant = Some(email::Person { name: actor.name.clone(), email: actor.email.clone() });
    Ok(email::Custom {
        common: mover.common,
        subject: subject.to_string(),
        body: body.to_string(),
        envelope: mover.envelope,
    })
}

/// Templates a consultant may start a written email from.
pub const STARTERS: [&str; 3] = ["followup_visit_offer", "information_pack", "receipt"];

/// A starting point for the consultant's own email: the template rendered
/// for this case, as plain text without the shared footer (the custom
/// email adds its own).
pub fn starter(
    conn: &mut Conn,
    s: &Settings,
    reference: &Reference,
    template: &str,
) -> Result<Option<(String, String)>, Error> {
    if !STARTERS.contains(&template) {
        return Ok(None);
    }
    let d = cases::detail(conn, reference)?;
    let mover = emails::to_mover(conn, s, &d)?;
    let r = match template {
        "information_pack" => email::render(&emails::information_pack(s, &d, mover, "", false)),
        "receipt" => {
            email::render(&email::Receipt { common: mover.common, my_url: String::new(), envelope: mover.envelope })
        }
        other => email::render(&email::Followup {
            template: other.to_string(),
            common: mover.common,
            envelope: mover.envelope,
        }),
    }
    .map_err(|e| Error::context(e, "rendering a starter email"))?;
    let body = r.text.split("\n----\n").next().unwrap_or("").trim_end().to_string();
    Ok(Some((r.subject, body)))
}
