//! Idempotency keys of the staff API (`Idempotency-Key` on a POST): the
//! first request with a key is answered and its answer kept for a day; a
//! retry with the same key and request gets that answer and changes
//! nothing; the same key with another request is refused.

use chrono::NaiveDateTime;

use crate::db::idempotency::{self, Claim};
use crate::db::{cases, write_tx, Conn};
use crate::domain::reference::Reference;
use crate::error::Error;

/// How long an answer is kept for a retry.
pub const KEPT_HOURS: i64 = 24;

/// Claims `key` for the token with the request's `fingerprint`.
pub fn claim(
    conn: &mut Conn,
    token_id: &str,
    key: &str,
    fingerprint: &str,
    now: NaiveDateTime,
) -> Result<Claim, Error> {
    let kept_since = now - chrono::Duration::hours(KEPT_HOURS);
    write_tx(conn, |conn| idempotency::claim(conn, token_id, key, fingerprint, now, kept_since))
}

/// Keeps the answer to a claimed key; `about`: the case the request
/// concerned (by its path or its answer), so erasure finds the answer.
pub fn keep_answer(
    conn: &mut Conn,
    token_id: &str,
    key: &str,
    status: u16,
    body: &str,
    about: Option<&Reference>,
) -> Result<(), Error> {
    write_tx(conn, |conn| {
        let case_id = match about {
            Some(r) => cases::find_row(conn, r).map(|c| Some(c.id.to_string())).or_else(|e| match e {
                Error::NotFound => Ok(None),
                e => Err(e),
            })?,
            None => None,
        };
        idempotency::answer(conn, token_id, key, status, body, case_id.as_deref())
    })
}

/// Gives a claim up: the request failed in a way worth retrying.
pub fn release(conn: &mut Conn, token_id: &str, key: &str) -> Result<(), Error> {
    write_tx(conn, |conn| idempotency::release(conn, token_id, key))
}

/// Forgets keys whose day is over (the worker's housekeeping).
pub fn purge(conn: &mut Conn, now: NaiveDateTime) -> Result<usize, Error> {
    write_tx(conn, |conn| idempotency::purge(conn, now - chrono::Duration::hours(KEPT_HOURS)))
}
