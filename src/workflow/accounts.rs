//! Account security: password changes and resets, each one transaction.

use crate::db::{users, write_tx, Conn};
use crate::error::AppError;

/// Sets a new password hash and ends every other session of the user (the
/// one in `keep`, the session that made the change, stays).
pub fn change_password(conn: &mut Conn, user_id: &str, hash: &str, keep: Option<&str>) -> Result<usize, AppError> {
    write_tx(conn, |conn| {
        users::set_password(conn, user_id, hash)?;
        users::delete_other_sessions(conn, user_id, keep)
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
    write_tx(conn, |conn| crate::db::tokens::create(conn, user_id, label, token_hash, scopes, now, expires))
}

/// Revokes one API token; its owner's id, `None` when unknown or revoked.
pub fn revoke_token(conn: &mut Conn, id: &str, _actor: Option<&str>) -> Result<Option<String>, AppError> {
    write_tx(conn, |conn| crate::db::tokens::revoke(conn, id, crate::db::now()))
}
