//! Forms that arrived after their session had ended, kept (sealed, for a
//! short time) until the same browser signs in again.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{resumable_posts, sessions};
use super::Conn;
use crate::error::Error;

/// A kept form: where it was sent, whose session it was, the sealed body.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = resumable_posts)]
pub struct Kept {
    pub browser_hash: String,
    pub user_id: Option<String>,
    pub path: String,
    pub form: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// Keeps a form, replacing any other the browser had kept.
pub fn keep(conn: &mut Conn, k: &Kept) -> Result<(), Error> {
    super::write_tx(conn, |conn| {
        diesel::delete(resumable_posts::table.find(&k.browser_hash)).execute(conn)?;
        diesel::insert_into(resumable_posts::table)
            .values((
                resumable_posts::browser_hash.eq(&k.browser_hash),
                resumable_posts::user_id.eq(&k.user_id),
                resumable_posts::path.eq(&k.path),
                resumable_posts::form.eq(&k.form),
                resumable_posts::created_at.eq(k.created_at),
                resumable_posts::expires_at.eq(k.expires_at),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// The browser's live kept form, without using it.
pub fn peek(conn: &mut Conn, browser_hash: &str, now: NaiveDateTime) -> Result<Option<Kept>, Error> {
    Ok(resumable_posts::table
        .find(browser_hash)
        .filter(resumable_posts::expires_at.gt(now))
        .select(Kept::as_select())
        .first(conn)
        .optional()?)
}

/// Takes the browser's kept form for `path`, if it is `user_id`'s or
/// nobody known's (once: it is deleted).
pub fn take(
    conn: &mut Conn,
    browser_hash: &str,
    path: &str,
    user_id: &str,
    now: NaiveDateTime,
) -> Result<Option<Kept>, Error> {
    super::write_tx(conn, |conn| {
        let Some(k) = peek(conn, browser_hash, now)?
            .filter(|k| k.path == path && k.user_id.as_deref().is_none_or(|owner| owner == user_id))
        else {
            return Ok(None);
        };
        let n = diesel::delete(resumable_posts::table.find(browser_hash)).execute(conn)?;
        Ok((n == 1).then_some(k))
    })
}

/// Whose session this was, live or ended (while its row still exists).
pub fn session_owner(conn: &mut Conn, session_hash: &str) -> Result<Option<String>, Error> {
    Ok(sessions::table.find(session_hash).select(sessions::user_id).first(conn).optional()?)
}

pub fn delete_expired(conn: &mut Conn, now: NaiveDateTime) -> Result<usize, Error> {
    Ok(diesel::delete(resumable_posts::table.filter(resumable_posts::expires_at.le(now))).execute(conn)?)
}
