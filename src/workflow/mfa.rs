//! Staff second factors (TOTP, RFC 6238): enrolment, the second login step
//! and recovery codes, each one transaction with its audit-trail entry.
//! Secrets are sealed with the service key (`crypto::seal`), bound to the
//! user; recovery codes are stored as keyed hashes.

use crate::crypto;
use crate::db::audit::{self, Kind, NewEvent};
use crate::db::{mfa, now, write_tx, Conn};
use crate::domain::totp;
use crate::error::Error;

/// What sealed TOTP secrets are for (binds a sealed value to its use).
pub const SEAL_PURPOSE: &str = "mfa-totp-secret";
/// What recovery-code hashes are for.
pub const RECOVERY_PURPOSE: &str = "mfa-recovery-code";

/// How the second step was passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepted {
    Code,
    RecoveryCode { left: i64 },
}

/// A recovery code's stored form.
pub fn recovery_hash(key: &[u8], user_id: &str, normalised: &str) -> String {
    crypto::keyed_hash(key, RECOVERY_PURPOSE, &format!("{user_id}|{normalised}"))
}

/// The plain secret, `None` if it cannot be opened (the key was changed).
pub fn open_secret(key: &[u8], user_id: &str, sealed: &str) -> Option<String> {
    let plain = crypto::open(key, SEAL_PURPOSE, user_id, sealed);
    if plain.is_none() {
        tracing::warn!(user_id = %user_id, "a TOTP secret could not be opened (was the secret key changed?)");
    }
    String::from_utf8(plain?).ok()
}

/// Checks the second login step: a code from the app (never the same time
/// step twice) or an unused recovery code (used up by this).
pub fn check_second_step(conn: &mut Conn, key: &[u8], user_id: &str, input: &str) -> Result<Option<Accepted>, Error> {
    write_tx(conn, |conn| {
        let Some(t) = mfa::find(conn, user_id)?.filter(|t| t.confirmed_at.is_some()) else { return Ok(None) };
        if let Some(code) = totp::normalise_recovery_code(input) {
            if !mfa::use_recovery_code(conn, user_id, &recovery_hash(key, user_id, &code), now())? {
                return Ok(None);
            }
            return Ok(Some(Accepted::RecoveryCode { left: mfa::recovery_codes_left(conn, user_id)? }));
        }
        let Some(secret) = open_secret(key, user_id, &t.secret) else { return Ok(None) };
        let step_now = totp::step_at(chrono::Utc::now().timestamp());
        match totp::verify(&secret, input, step_now, t.last_step) {
            Some(step) if mfa::use_step(conn, user_id, step)? => Ok(Some(Accepted::Code)),
            _ => Ok(None),
        }
    })
}

/// Records a completed two-step login (and a used recovery code).
pub fn record_login(conn: &mut Conn, user_id: &str, client: Option<String>, accepted: Accepted) -> Result<(), Error> {
    write_tx(conn, |conn| {
        if let Accepted::RecoveryCode { left } = accepted {
            let e = NewEvent {
                user_id: Some(user_id),
                client: client.clone(),
                detail: Some(format!("{left} left")),
                ..Default::default()
            };
            audit::record(conn, Kind::RecoveryCodeUsed, e, now())?;
        }
        let how = if accepted == Accepted::Code { "totp" } else { "recovery code" };
        let e = NewEvent { user_id: Some(user_id), client, detail: Some(how.to_string()), ..Default::default() };
        audit::record(conn, Kind::LoginOk, e, now())
    })
}

/// Records a refused second step.
pub fn record_failure(conn: &mut Conn, user_id: &str, client: Option<String>) -> Result<(), Error> {
    audit::record(conn, Kind::MfaFailed, NewEvent { user_id: Some(user_id), client, ..Default::default() }, now())
}

/// Starts (or restarts) an enrolment with a sealed secret.
pub fn begin(conn: &mut Conn, user_id: &str, sealed: &str) -> Result<bool, Error> {
    write_tx(conn, |conn| mfa::begin(conn, user_id, sealed, now()))
}

/// Confirms an enrolment with a first code from the app; stores the
/// recovery codes' hashes. `false` when the code is wrong (or the
/// enrolment was confirmed meanwhile).
pub fn confirm(
    conn: &mut Conn,
    s: &crate::config::Settings,
    user_id: &str,
    secret: &str,
    input: &str,
    recovery_hashes: &[String],
    client: Option<String>,
) -> Result<bool, Error> {
    write_tx(conn, |conn| {
        let Some(t) = mfa::find(conn, user_id)?.filter(|t| t.confirmed_at.is_none()) else { return Ok(false) };
        let step_now = totp::step_at(chrono::Utc::now().timestamp());
        let Some(step) = totp::verify(secret, input, step_now, t.last_step) else { return Ok(false) };
        if !mfa::use_step(conn, user_id, step)? {
            return Ok(false);
        }
        mfa::confirm(conn, user_id, recovery_hashes, now())?;
        audit::record(
            conn,
            Kind::MfaEnrolled,
            NewEvent { user_id: Some(user_id), client, ..Default::default() },
            now(),
        )?;
        super::accounts::notify(conn, s, user_id, Kind::MfaEnrolled)?;
        Ok(true)
    })
}
