//! Storage of the mover's own page: private links (hashes only), the
//! person's corrections, and the "no more messages" mark.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{cases, mover_links, outbox, persons};
use super::Conn;
use crate::domain::reference::Reference;
use crate::domain::text::CaseId;
use crate::error::Error;

diesel::define_sql_function! {
    /// SQL's `lower()` (the email lookup goes through persons_email_lower).
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// Stores a new link's hash for the case.
pub fn create_link(conn: &mut Conn, token_hash: &str, case_id: &CaseId, now: NaiveDateTime) -> Result<(), Error> {
    diesel::insert_into(mover_links::table)
        .values((
            mover_links::token_hash.eq(token_hash),
            mover_links::case_id.eq(case_id),
            mover_links::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The case a link opens: only while the case still holds its person.
pub fn case_of_link(conn: &mut Conn, token_hash: &str) -> Result<Option<Reference>, Error> {
    Ok(mover_links::table
        .inner_join(cases::table)
        .inner_join(persons::table.on(persons::case_id.eq(mover_links::case_id)))
        .filter(mover_links::token_hash.eq(token_hash))
        .select(cases::reference)
        .first(conn)
        .optional()?)
}

/// When the case's newest link was made (the lost-link form sends no
/// second one soon after).
pub fn newest_link_at(conn: &mut Conn, case_id: &CaseId) -> Result<Option<NaiveDateTime>, Error> {
    Ok(mover_links::table
        .filter(mover_links::case_id.eq(case_id))
        .select(diesel::dsl::max(mover_links::created_at))
        .first(conn)?)
}

/// Every link of the case goes (erasure).
pub fn delete_links(conn: &mut Conn, case_id: &CaseId) -> Result<usize, Error> {
    Ok(diesel::delete(mover_links::table.filter(mover_links::case_id.eq(case_id))).execute(conn)?)
}

/// The cases whose person has this email (any case), newest first.
pub fn cases_with_email(conn: &mut Conn, email: &str) -> Result<Vec<Reference>, Error> {
    Ok(persons::table
        .inner_join(cases::table)
        .filter(lower(persons::email).eq(email.trim().to_lowercase()))
        .order(cases::created_at.desc())
        .select(cases::reference)
        .limit(20)
        .load(conn)?)
}

/// The person's corrected contact details and message; the search text
/// follows.
pub fn correct_person(
    conn: &mut Conn,
    case_id: &CaseId,
    reference: &Reference,
    name: &str,
    email: &str,
    phone: Option<&str>,
    message: Option<&str>,
) -> Result<(), Error> {
    let search_text = format!("{name} {email} {reference}").to_lowercase();
    diesel::update(persons::table.find(case_id))
        .set((
            persons::name.eq(name),
            persons::email.eq(email),
            persons::phone.eq(phone),
            persons::message.eq(message),
            persons::search_text.eq(search_text),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_consent(conn: &mut Conn, case_id: &CaseId, consent: bool, now: NaiveDateTime) -> Result<(), Error> {
    diesel::update(cases::table.find(case_id))
        .set((cases::ambassador_contact.eq(consent), cases::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// When the mover asked for no further messages, if they did.
pub fn messages_stopped_at(conn: &mut Conn, case_id: &CaseId) -> Result<Option<NaiveDateTime>, Error> {
    Ok(cases::table.find(case_id).select(cases::messages_stopped_at).first(conn)?)
}

/// Nothing more goes to the mover: the mark is set, scheduled follow-ups
/// and unsent emails to them are cancelled. Returns (follow-ups, emails)
/// cancelled.
pub fn stop_messages(
    conn: &mut Conn,
    case_id: &CaseId,
    mover_email: &str,
    now: NaiveDateTime,
) -> Result<(usize, usize), Error> {
    diesel::update(cases::table.find(case_id).filter(cases::messages_stopped_at.is_null()))
        .set(cases::messages_stopped_at.eq(Some(now)))
        .execute(conn)?;
    let followups = super::followups::cancel(conn, case_id, None, now)?;
    let emails = diesel::update(
        outbox::table
            .filter(outbox::case_id.eq(case_id))
            .filter(outbox::status.eq("pending"))
            .filter(lower(outbox::recipient).eq(mover_email.to_lowercase())),
    )
    .set(outbox::status.eq("cancelled"))
    .execute(conn)?;
    Ok((followups, emails))
}
