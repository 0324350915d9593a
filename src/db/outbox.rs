//! The outbox: every email is a row written in the same transaction as the
//! change that causes it. Workers claim due rows with a lease; a stale
//! lease (a killed worker) is taken over.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::cases::append_event;
use super::schema::{cases, outbox};
use super::{new_id, write_tx, Conn};
use crate::domain::case::EventKind;
use crate::domain::text::CaseId;
use crate::error::Error;

/// An email ready to queue: already rendered.
#[derive(Debug, Clone)]
pub struct NewEmail {
    pub case_id: Option<CaseId>,
    pub template: String,
    pub recipient: String,
    pub recipient_name: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub ics: Option<String>,
    pub ics_method: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = outbox)]
pub struct OutboxEmail {
    pub id: String,
    pub case_id: Option<CaseId>,
    pub template: String,
    pub recipient: String,
    pub recipient_name: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub ics: Option<String>,
    pub ics_method: Option<String>,
    pub message_id: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub lease_until: Option<NaiveDateTime>,
    pub leased_by: Option<String>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

/// Queues an email; `domain` is the Message-ID's right-hand side (the
/// public URL's host). The Message-ID never changes, so a resend after a
/// crash is recognisable as the same message.
pub fn enqueue(conn: &mut Conn, email: &NewEmail, domain: &str, now: NaiveDateTime) -> Result<String, Error> {
    let id = new_id();
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(&id),
            outbox::case_id.eq(&email.case_id),
            outbox::template.eq(&email.template),
            outbox::recipient.eq(&email.recipient),
            outbox::recipient_name.eq(&email.recipient_name),
            outbox::reply_to.eq(&email.reply_to),
            outbox::subject.eq(&email.subject),
            outbox::body_text.eq(&email.body_text),
            outbox::body_html.eq(&email.body_html),
            outbox::ics.eq(&email.ics),
            outbox::ics_method.eq(&email.ics_method),
            outbox::message_id.eq(format!("<{id}@{domain}>")),
            outbox::status.eq("pending"),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
            outbox::created_at.eq(now),
        ))
        .execute(conn)?;
    if let Some(case_id) = &email.case_id {
        append_event(conn, case_id, EventKind::EmailQueued, None, json!({ "email": id, "template": email.template }))?;
    }
    Ok(id)
}

/// Due and pending, or claimed by a worker whose lease has run out.
type Claimable = diesel::dsl::Or<
    diesel::dsl::And<
        diesel::dsl::Eq<outbox::status, &'static str>,
        diesel::dsl::LtEq<outbox::next_attempt_at, NaiveDateTime>,
    >,
    diesel::dsl::And<
        diesel::dsl::Eq<outbox::status, &'static str>,
        diesel::dsl::Lt<outbox::lease_until, NaiveDateTime>,
    >,
>;

fn claimable(now: NaiveDateTime) -> Claimable {
    outbox::status
        .eq("pending")
        .and(outbox::next_attempt_at.le(now))
        .or(outbox::status.eq("sending").and(outbox::lease_until.lt(now)))
}

/// Claims up to `limit` due emails for `worker` until `now + lease`. Each
/// row is taken by a conditional UPDATE, so of two workers racing for the
/// same row exactly one wins — on PostgreSQL and on SQLite, without
/// backend-specific locking.
pub fn claim(
    conn: &mut Conn,
    worker: &str,
    now: NaiveDateTime,
    lease: chrono::Duration,
    limit: i64,
) -> Result<Vec<OutboxEmail>, Error> {
    write_tx(conn, |conn| {
        let candidates: Vec<String> = outbox::table
            .filter(claimable(now))
            .order(outbox::next_attempt_at.asc())
            .limit(limit)
            .select(outbox::id)
            .load(conn)?;
        let mut claimed = Vec::new();
        for id in candidates {
            let n = diesel::update(outbox::table.find(&id).filter(claimable(now)))
                .set((
                    outbox::status.eq("sending"),
                    outbox::lease_until.eq(Some(now + lease)),
                    outbox::leased_by.eq(Some(worker)),
                    outbox::attempts.eq(outbox::attempts + 1),
                ))
                .execute(conn)?;
            if n == 1 {
                claimed.push(id);
            }
        }
        Ok(outbox::table
            .filter(outbox::id.eq_any(&claimed))
            .order(outbox::next_attempt_at.asc())
            .select(OutboxEmail::as_select())
            .load(conn)?)
    })
}

/// Renews this worker's lease on one email just before sending it. False
/// if the lease is no longer ours (it ran out and another worker took the
/// email over): then this worker must not send it.
pub fn renew_lease(conn: &mut Conn, email: &OutboxEmail, until: NaiveDateTime) -> Result<bool, Error> {
    let Some(owner) = &email.leased_by else { return Ok(false) };
    let n = diesel::update(
        outbox::table.find(&email.id).filter(outbox::status.eq("sending")).filter(outbox::leased_by.eq(owner)),
    )
    .set(outbox::lease_until.eq(Some(until)))
    .execute(conn)?;
    Ok(n == 1)
}

/// What the worker learned from one attempt.
#[derive(Debug, Clone)]
pub enum Result_ {
    Sent,
    RetryAt { at: NaiveDateTime, reason: String },
    Dead { reason: String },
}

/// Records the attempt's result with its timeline event, in one
/// transaction — only while the email is still this worker's (`leased_by`
/// as claimed, status `sending`): a late result from a worker whose lease
/// was taken over must not undo the new owner's delivery. Returns whether
/// it was recorded.
pub fn record(conn: &mut Conn, email: &OutboxEmail, result: &Result_, now: NaiveDateTime) -> Result<bool, Error> {
    let owner = email.leased_by.clone().unwrap_or_default();
    write_tx(conn, |conn| {
        let row =
            outbox::table.find(&email.id).filter(outbox::status.eq("sending")).filter(outbox::leased_by.eq(owner));
        let (n, kind, data) = match result {
            Result_::Sent => {
                let n = diesel::update(row)
                    .set((
                        outbox::status.eq("sent"),
                        outbox::sent_at.eq(Some(now)),
                        outbox::lease_until.eq(None::<NaiveDateTime>),
                        outbox::last_error.eq(None::<String>),
                    ))
                    .execute(conn)?;
                (n, EventKind::EmailSent, json!({ "email": email.id, "template": email.template }))
            }
            Result_::RetryAt { at, reason } => {
                let n = diesel::update(row)
                    .set((
                        outbox::status.eq("pending"),
                        outbox::next_attempt_at.eq(*at),
                        outbox::lease_until.eq(None::<NaiveDateTime>),
                        outbox::last_error.eq(Some(reason)),
                    ))
                    .execute(conn)?;
                (n, EventKind::EmailFailed, json!({ "email": email.id, "template": email.template, "reason": reason }))
            }
            Result_::Dead { reason } => {
                let n = diesel::update(row)
                    .set((
                        outbox::status.eq("dead"),
                        outbox::lease_until.eq(None::<NaiveDateTime>),
                        outbox::last_error.eq(Some(reason)),
                    ))
                    .execute(conn)?;
                (n, EventKind::EmailDead, json!({ "email": email.id, "template": email.template, "reason": reason }))
            }
        };
        if n == 0 {
            return Ok(false);
        }
        if let Some(case_id) = &email.case_id {
            append_event(conn, case_id, kind, None, data)?;
        }
        Ok(true)
    })
}

/// An admin's retry of a dead email: a fresh queueing (and a fresh
/// give-up window), same Message-ID.
pub fn retry(conn: &mut Conn, id: &str, now: NaiveDateTime) -> Result<bool, Error> {
    let n = diesel::update(outbox::table.find(id).filter(outbox::status.eq("dead")))
        .set((
            outbox::status.eq("pending"),
            outbox::next_attempt_at.eq(now),
            outbox::created_at.eq(now),
            outbox::attempts.eq(0),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// For the admin's outbox page: newest first, with the case's reference.
pub fn list(conn: &mut Conn, status: &str, limit: i64) -> Result<Vec<(OutboxEmail, Option<String>)>, Error> {
    Ok(outbox::table
        .left_join(cases::table)
        .filter(outbox::status.eq(status))
        .order(outbox::created_at.desc())
        .limit(limit)
        .select((OutboxEmail::as_select(), cases::reference.nullable()))
        .load(conn)?)
}

pub fn counts(conn: &mut Conn) -> Result<Vec<(String, i64)>, Error> {
    use diesel::dsl::count_star;
    Ok(outbox::table.group_by(outbox::status).select((outbox::status, count_star())).load(conn)?)
}

pub fn for_case(conn: &mut Conn, case_id: &CaseId) -> Result<Vec<OutboxEmail>, Error> {
    Ok(outbox::table
        .filter(outbox::case_id.eq(case_id))
        .order(outbox::created_at.asc())
        .select(OutboxEmail::as_select())
        .load(conn)?)
}

/// Which of these cases have an email that could not be delivered.
pub fn cases_with_dead_mail(conn: &mut Conn, case_ids: &[String]) -> Result<Vec<String>, Error> {
    Ok(outbox::table
        .filter(outbox::status.eq("dead"))
        .filter(outbox::case_id.eq_any(case_ids))
        .select(outbox::case_id.assume_not_null())
        .distinct()
        .load(conn)?)
}

pub fn find(conn: &mut Conn, id: &str) -> Result<Option<OutboxEmail>, Error> {
    Ok(outbox::table.find(id).select(OutboxEmail::as_select()).first(conn).optional()?)
}
