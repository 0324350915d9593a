//! Staff two-factor login: the sealed TOTP secret per user, the last step
//! used (so a code is never accepted twice), and hashed recovery codes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{mfa_recovery_codes, mfa_totp, sessions};
use super::Conn;
use crate::error::Error;

/// A user's TOTP enrolment.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mfa_totp)]
pub struct Totp {
    pub user_id: String,
    /// Sealed (`crypto::seal`), never the plain secret.
    pub secret: String,
    /// `None`: begun, not yet confirmed with a code.
    pub confirmed_at: Option<NaiveDateTime>,
    pub last_step: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn find(conn: &mut Conn, user_id: &str) -> Result<Option<Totp>, Error> {
    Ok(mfa_totp::table.find(user_id).select(Totp::as_select()).first(conn).optional()?)
}

/// Whether the user has a confirmed second factor.
pub fn enrolled(conn: &mut Conn, user_id: &str) -> Result<bool, Error> {
    Ok(find(conn, user_id)?.is_some_and(|t| t.confirmed_at.is_some()))
}

/// Begins (or begins again) an enrolment with a new sealed secret; false
/// when the user is already enrolled (a reset must come first).
pub fn begin(conn: &mut Conn, user_id: &str, sealed: &str, now: NaiveDateTime) -> Result<bool, Error> {
    if enrolled(conn, user_id)? {
        return Ok(false);
    }
    diesel::delete(mfa_totp::table.find(user_id)).execute(conn)?;
    diesel::insert_into(mfa_totp::table)
        .values((mfa_totp::user_id.eq(user_id), mfa_totp::secret.eq(sealed), mfa_totp::created_at.eq(now)))
        .execute(conn)?;
    Ok(true)
}

/// Records `step` as used, if it is later than the last one: the update is
/// the check, so two requests with one code cannot both pass.
pub fn use_step(conn: &mut Conn, user_id: &str, step: i64) -> Result<bool, Error> {
    let n = diesel::update(
        mfa_totp::table.find(user_id).filter(mfa_totp::last_step.is_null().or(mfa_totp::last_step.lt(step))),
    )
    .set(mfa_totp::last_step.eq(Some(step)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Confirms an enrolment (the code's step already recorded), replaces the
/// recovery codes with `code_hashes`, and lifts the enrolment requirement
/// from the user's sessions.
pub fn confirm(conn: &mut Conn, user_id: &str, code_hashes: &[String], now: NaiveDateTime) -> Result<(), Error> {
    diesel::update(mfa_totp::table.find(user_id)).set(mfa_totp::confirmed_at.eq(Some(now))).execute(conn)?;
    diesel::delete(mfa_recovery_codes::table.filter(mfa_recovery_codes::user_id.eq(user_id))).execute(conn)?;
    for hash in code_hashes {
        diesel::insert_into(mfa_recovery_codes::table)
            .values((
                mfa_recovery_codes::code_hash.eq(hash),
                mfa_recovery_codes::user_id.eq(user_id),
                mfa_recovery_codes::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    diesel::update(sessions::table.filter(sessions::user_id.eq(user_id)))
        .set(sessions::must_enrol_mfa.eq(false))
        .execute(conn)?;
    Ok(())
}

/// Uses a recovery code (by its keyed hash) once; false if unknown or used.
pub fn use_recovery_code(conn: &mut Conn, user_id: &str, hash: &str, now: NaiveDateTime) -> Result<bool, Error> {
    let n = diesel::update(
        mfa_recovery_codes::table
            .find(hash)
            .filter(mfa_recovery_codes::user_id.eq(user_id))
            .filter(mfa_recovery_codes::used_at.is_null()),
    )
    .set(mfa_recovery_codes::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Recovery codes still unused.
pub fn recovery_codes_left(conn: &mut Conn, user_id: &str) -> Result<i64, Error> {
    Ok(mfa_recovery_codes::table
        .filter(mfa_recovery_codes::user_id.eq(user_id))
        .filter(mfa_recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Removes the second factor and its recovery codes (a lost phone); true
/// if there was one.
pub fn reset(conn: &mut Conn, user_id: &str) -> Result<bool, Error> {
    diesel::delete(mfa_recovery_codes::table.filter(mfa_recovery_codes::user_id.eq(user_id))).execute(conn)?;
    Ok(diesel::delete(mfa_totp::table.find(user_id)).execute(conn)? > 0)
}

/// Marks a session as one that must enrol before doing anything else.
pub fn require_enrolment(conn: &mut Conn, session_hash: &str) -> Result<(), Error> {
    diesel::update(sessions::table.find(session_hash)).set(sessions::must_enrol_mfa.eq(true)).execute(conn)?;
    Ok(())
}

/// The users with a confirmed second factor.
pub fn enrolled_ids(conn: &mut Conn) -> Result<Vec<String>, Error> {
    Ok(mfa_totp::table.filter(mfa_totp::confirmed_at.is_not_null()).select(mfa_totp::user_id).load(conn)?)
}
