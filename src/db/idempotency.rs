//! Idempotency keys of the staff API: per token, the first answer to a
//! POST sent with `Idempotency-Key`, kept for a day so a client retrying
//! after a timeout gets that answer instead of a second change.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::idempotency_keys as keys;
use super::Conn;
use crate::error::Error;

/// What a request with a key finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new (or its day is over): this request is answered and
    /// its answer kept.
    New,
    /// The same key with the same request was answered: its status and
    /// body (`None` once erasure emptied it).
    Answered { status: u16, body: Option<String> },
    /// The same key is being answered right now.
    InFlight,
    /// The same key came with another request.
    OtherRequest,
}

/// Claims `key` for `token_id` with the request's `fingerprint`; a claim
/// older than `kept_since` is forgotten first.
pub fn claim(
    conn: &mut Conn,
    token_id: &str,
    key: &str,
    fingerprint: &str,
    now: NaiveDateTime,
    kept_since: NaiveDateTime,
) -> Result<Claim, Error> {
    diesel::delete(keys::table.find((token_id, key)).filter(keys::created_at.lt(kept_since))).execute(conn)?;
    let found: Option<(String, Option<i32>, Option<String>)> = keys::table
        .find((token_id, key))
        .select((keys::fingerprint, keys::status, keys::response_body))
        .first(conn)
        .optional()?;
    Ok(match found {
        Some((f, _, _)) if f != fingerprint => Claim::OtherRequest,
        Some((_, None, _)) => Claim::InFlight,
        Some((_, Some(status), body)) => {
            Claim::Answered { status: u16::try_from(status).map_err(|e| Error::context(e, "a stored status"))?, body }
        }
        None => {
            // In a savepoint: another instance claiming the same key at the
            // same moment makes this one "in flight", not a failed write.
            let inserted = conn.transaction::<_, diesel::result::Error, _>(|conn| {
                diesel::insert_into(keys::table)
                    .values((
                        keys::token_id.eq(token_id),
                        keys::idem_key.eq(key),
                        keys::fingerprint.eq(fingerprint),
                        keys::created_at.eq(now),
                    ))
                    .execute(conn)
            });
            match inserted {
                Ok(_) => Claim::New,
                Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                    Claim::InFlight
                }
                Err(e) => return Err(e.into()),
            }
        }
    })
}

/// Keeps the answer to a claimed key; `case_id`: the case it is about, so
/// erasing the person empties it.
pub fn answer(
    conn: &mut Conn,
    token_id: &str,
    key: &str,
    status: u16,
    body: &str,
    case_id: Option<&str>,
) -> Result<(), Error> {
    diesel::update(keys::table.find((token_id, key)))
        .set((keys::status.eq(Some(i32::from(status))), keys::response_body.eq(Some(body)), keys::case_id.eq(case_id)))
        .execute(conn)?;
    Ok(())
}

/// Gives a claimed key up (the request failed in a way worth retrying).
pub fn release(conn: &mut Conn, token_id: &str, key: &str) -> Result<(), Error> {
    diesel::delete(keys::table.find((token_id, key)).filter(keys::status.is_null())).execute(conn)?;
    Ok(())
}

/// Forgets every key claimed before `before`; the number forgotten.
pub fn purge(conn: &mut Conn, before: NaiveDateTime) -> Result<usize, Error> {
    Ok(diesel::delete(keys::table.filter(keys::created_at.lt(before))).execute(conn)?)
}
