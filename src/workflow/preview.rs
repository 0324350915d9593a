//! What an action on a case would email, without doing it: the action runs
//! in a write transaction exactly as it would (its rules, its refusals, the
//! emails it composes for the outbox), the new outbox rows are read back,
//! and the transaction is rolled back. So the preview is the email the
//! mover would get — their language, their data — and nothing is kept.

use std::collections::HashSet;

use crate::db::{cases, outbox, write_tx, Conn};
use crate::domain::case::Refusal;
use crate::domain::reference::Reference;
use crate::error::Error;
use crate::mail::render::RenderedEmail;

/// The reason the preview's transaction ends in an error: only to roll
/// back, never shown.
const ROLLBACK: &str = "preview: rolled back on purpose";

/// The emails `action` would write to the outbox for case `reference`, in
/// the order written; the action's refusal if the rules refuse it. Nothing
/// the action does is kept.
pub fn emails_of<F>(
    conn: &mut Conn,
    reference: &Reference,
    action: F,
) -> Result<Result<Vec<RenderedEmail>, Refusal>, Error>
where
    F: FnOnce(&mut Conn) -> Result<Result<(), Refusal>, Error>,
{
    let mut seen = None;
    let run = write_tx(conn, |conn| {
        let case = cases::find_row(conn, reference)?;
        let before: HashSet<String> = outbox::for_case(conn, &case.id)?.into_iter().map(|m| m.id).collect();
        let result = match action(conn)? {
            Ok(()) => Ok(outbox::for_case(conn, &case.id)?
                .into_iter()
                .filter(|m| !before.contains(&m.id))
                .map(|m| RenderedEmail { subject: m.subject, text: m.body_text, html: m.body_html })
                .collect()),
            Err(refusal) => Err(refusal),
        };
        seen = Some(result);
        Err::<(), _>(Error::Invalid(ROLLBACK.into()))
    });
    match (seen, run) {
        (Some(result), _) => Ok(result),
        (None, Err(e)) => Err(e),
        (None, Ok(())) => Err(Error::bug("preview: the transaction was not rolled back")),
    }
}
