//! The queries of the retention schedule (`workflow::retention`): which
//! cases are due, and the purges that need no case.

use chrono::NaiveDateTime;
use diesel::dsl::{exists, not};
use diesel::prelude::*;

use super::schema::{access_log, case_events, cases, followups, outbox, persons, setup_links, signin_links};
use super::Conn;
use crate::domain::reference::Reference;
use crate::error::Error;

/// How many cases one run handles at most (the next day takes the rest).
pub const BATCH: i64 = 500;

/// Open cases with no timeline event since `before`, oldest first.
pub fn inactive_open_cases(conn: &mut Conn, before: NaiveDateTime) -> Result<Vec<Reference>, Error> {
    let recent = case_events::table.filter(case_events::case_id.eq(cases::id)).filter(case_events::at.ge(before));
    Ok(cases::table
        .filter(cases::is_open.eq(true))
        .filter(cases::created_at.lt(before))
        .filter(not(exists(recent)))
        .order(cases::created_at.asc())
        .select(cases::reference)
        .limit(BATCH)
        .load(conn)?)
}

/// Closed cases that still hold their person, closed before `closed_before`,
/// with no email queued since `emailed_before` and no follow-up still
/// scheduled: the later of closing and the last message (with its answer
/// window) lies before the cut-off.
pub fn closed_cases_due(
    conn: &mut Conn,
    closed_before: NaiveDateTime,
    emailed_before: NaiveDateTime,
) -> Result<Vec<Reference>, Error> {
    let person = persons::table.filter(persons::case_id.eq(cases::id));
    let recent_mail =
        outbox::table.filter(outbox::case_id.eq(cases::id.nullable())).filter(outbox::created_at.ge(emailed_before));
    let scheduled = followups::table.filter(followups::case_id.eq(cases::id)).filter(followups::status.eq("scheduled"));
    Ok(cases::table
        .filter(cases::is_open.eq(false))
        .filter(cases::closed_at.lt(closed_before))
        .filter(exists(person))
        .filter(not(exists(recent_mail)))
        .filter(not(exists(scheduled)))
        .order(cases::closed_at.asc())
        .select(cases::reference)
        .limit(BATCH)
        .load(conn)?)
}

/// Empties the bodies, recipients and calendar files of the emails due —
/// delivered before `sent_before`, or dead or cancelled and queued before
/// `undelivered_before` (`dry_run`: only counts them). Template, subject
/// and dates stay; pending emails keep their body until sent or given up.
pub fn purge_email_bodies(
    conn: &mut Conn,
    sent_before: NaiveDateTime,
    undelivered_before: NaiveDateTime,
    dry_run: bool,
) -> Result<usize, Error> {
    let due: Vec<String> = outbox::table
        .filter(
            outbox::status
                .eq("sent")
                .and(outbox::sent_at.lt(sent_before))
                .or(outbox::status.eq_any(["dead", "cancelled"]).and(outbox::created_at.lt(undelivered_before))),
        )
        .filter(outbox::body_text.ne("").or(outbox::recipient.ne("")))
        .select(outbox::id)
        .limit(BATCH * 10)
        .load(conn)?;
    if dry_run || due.is_empty() {
        return Ok(due.len());
    }
    Ok(diesel::update(outbox::table.filter(outbox::id.eq_any(&due)))
        .set((
            outbox::recipient.eq(""),
            outbox::recipient_name.eq(""),
            outbox::body_text.eq(""),
            outbox::body_html.eq(""),
            outbox::ics.eq(None::<String>),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?)
}

/// Sign-in and set-up links that were used or have expired.
pub fn purge_links(conn: &mut Conn, now: NaiveDateTime, dry_run: bool) -> Result<usize, Error> {
    let signin = signin_links::table.filter(signin_links::used_at.is_not_null().or(signin_links::expires_at.lt(now)));
    let setup = setup_links::table.filter(setup_links::used_at.is_not_null().or(setup_links::expires_at.lt(now)));
    if dry_run {
        let n = signin.count().get_result::<i64>(conn)? + setup.count().get_result::<i64>(conn)?;
        return Ok(usize::try_from(n).unwrap_or(0));
    }
    Ok(diesel::delete(signin).execute(conn)? + diesel::delete(setup).execute(conn)?)
}

/// Sessions past their expiry.
pub fn purge_sessions(conn: &mut Conn, now: NaiveDateTime, dry_run: bool) -> Result<usize, Error> {
    use super::schema::sessions;
    let expired = sessions::table.filter(sessions::expires_at.lt(now));
    if dry_run {
        return Ok(usize::try_from(expired.count().get_result::<i64>(conn)?).unwrap_or(0));
    }
    Ok(diesel::delete(expired).execute(conn)?)
}

/// Access-log entries from before `before`.
pub fn purge_access_log(conn: &mut Conn, before: NaiveDateTime, dry_run: bool) -> Result<usize, Error> {
    let old = access_log::table.filter(access_log::at.lt(before));
    if dry_run {
        return Ok(usize::try_from(old.count().get_result::<i64>(conn)?).unwrap_or(0));
    }
    Ok(diesel::delete(old).execute(conn)?)
}
