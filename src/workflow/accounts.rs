//! Account security: password changes and resets, second factors, tokens;
//! each one transaction with its entry in the audit trail.

use crate::db::audit::{self, Kind, NewEvent};
use crate::db::{mfa, now, users, write_tx, Conn};
use crate::error::AppError;

/// Sets a new password hash and ends every other session of the user (the
/// one in `keep`, the session that made the change, stays). `kind` says
/// how: `PasswordChanged` (the user, knowing the old one) or
/// `PasswordReset` (a one-time link).
pub fn change_password(
    conn: &mut Conn,
    user_id: &str,
    hash: &str,
    keep: Option<&str>,
    kind: Kind,
) -> Result<usize, AppError> {
    write_tx(conn, |conn| {
        users::set_password(conn, user_id, hash)?;
        let ended = users::delete_other_sessions(conn, user_id, keep)?;
        audit::record(conn, kind, NewEvent { user_id: Some(user_id), ..Default::default() }, now())?;
        Ok(ended)
    })
}

/// Removes a user's second factor and recovery codes and ends every
/// session of theirs (a lost phone: whoever has it must not stay signed
/// in). `None` for an unknown user; `Some(false)` when none was enrolled.
pub fn reset_mfa(conn: &mut Conn, user_id: &str, actor: Option<&str>) -> Result<Option<bool>, AppError> {
    write_tx(conn, |conn| {
        if users::find(conn, user_id)?.is_none() {
            return Ok(None);
        }
        let had = mfa::reset(conn, user_id)?;
        users::delete_other_sessions(conn, user_id, None)?;
        let e = NewEvent { user_id: Some(user_id), actor_id: actor, ..Default::default() };
        audit::record(conn, Kind::MfaReset, e, now())?;
        Ok(Some(had))
    })
}

/// Stores a new API token (only its hash).
pub fn create_token(
    conn: &mut Conn,
    user_id: &str,
    label: &str,
    token_hash: &str,
    scopes: &[&str],
    now: chrono::NaiveDateTime,
    expires: Option<chrono::NaiveDateTime>,
) -> Result<String, AppError> {
    write_tx(conn, |conn| {
        let id = crate::db::tokens::create(conn, user_id, label, token_hash, scopes, now, expires)?;
        let e = NewEvent {
            user_id: Some(user_id),
            detail: Some(format!("{label} ({})", scopes.join(","))),
            ..Default::default()
        };
        audit::record(conn, Kind::TokenCreated, e, now)?;
        Ok(id)
    })
}

/// Revokes one API token; its owner's id, `None` when unknown or revoked.
pub fn revoke_token(conn: &mut Conn, id: &str, actor: Option<&str>) -> Result<Option<String>, AppError> {
    write_tx(conn, |conn| {
        let owner = crate::db::tokens::revoke(conn, id, now())?;
        if let Some(o) = &owner {
            let e = NewEvent { user_id: Some(o), actor_id: actor, detail: Some(id.to_string()), ..Default::default() };
            audit::record(conn, Kind::TokenRevoked, e, now())?;
        }
        Ok(owner)
    })
}

/// Records a security event in its own transaction (logins and refusals,
/// which change nothing else).
pub fn record(conn: &mut Conn, kind: Kind, e: NewEvent<'_>) -> Result<(), AppError> {
    audit::record(conn, kind, e, now())
}

/// Emails `user` a single-use link to choose a new password (valid
/// `auth.reset_link_minutes`; only its hash is stored) through the outbox,
/// and records the request. `actor`: the admin who sent it, if one did.
pub fn send_password_reset(
    conn: &mut Conn,
    s: &crate::config::Settings,
    user: &users::User,
    actor: Option<&str>,
    client: Option<String>,
) -> Result<(), AppError> {
    use crate::mail::email::{Envelope, PasswordReset, Recipient};
    write_tx(conn, |conn| {
        let token = crate::crypto::random_token();
        let t = now();
        let expires = t + chrono::Duration::minutes(i64::from(s.auth.reset_link_minutes));
        users::create_setup_link(conn, &crate::crypto::token_hash(&token), Some(&user.id), expires)?;
        let email = PasswordReset {
            common: super::emails::common(s, crate::domain::inquiry::Language::Da, "", "", None, &[], 0, 0),
            user_name: user.name.clone(),
            reset_url: format!("{}/reset/{token}", s.public_url),
            minutes: s.auth.reset_link_minutes,
            envelope: Envelope::to(Recipient::new(&user.name, &user.email)),
        };
        super::emails::queue(conn, s, None, &email, t)?;
        let e = NewEvent { user_id: Some(&user.id), actor_id: actor, client, ..Default::default() };
        audit::record(conn, Kind::PasswordResetRequested, e, t)
    })
}

/// Whether a reset link was sent to the user within `minutes` (so the
/// form cannot be used to flood someone's inbox).
pub fn reset_sent_recently(conn: &mut Conn, user_id: &str, minutes: i64) -> Result<bool, AppError> {
    audit::happened_since(conn, user_id, Kind::PasswordResetRequested, now() - chrono::Duration::minutes(minutes))
}
