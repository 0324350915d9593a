//! API tokens: scopes, expiry, listing, revocation and last use.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{api_tokens, users};
use super::users::{User, UserRow};
use super::{new_id, Conn};
use crate::error::Error;

/// A token as `token list` and the admin page show it (never the token).
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenInfo {
    pub id: String,
    pub user_email: String,
    pub name: String,
    /// `None`: every right of the user (tokens made before scopes).
    pub scopes: Option<Vec<String>>,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// A live token's user and its scopes (`None`: every right of the user).
/// A live token: its user and scopes, and its id when `last_used_at` is
/// due to be written.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub user: User,
    pub scopes: Option<Vec<String>>,
    pub stale: Option<String>,
}

type Row = (
    String,
    String,
    String,
    Option<String>,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

fn split(scopes: Option<String>) -> Option<Vec<String>> {
    scopes.map(|s| s.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect())
}

/// Stores a new token's hash; returns its id.
pub fn create(
    conn: &mut Conn,
    user_id: &str,
    name: &str,
    token_hash: &str,
    scopes: &[&str],
    now: NaiveDateTime,
    expires_at: Option<NaiveDateTime>,
) -> Result<String, Error> {
    let id = new_id();
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(&id),
            api_tokens::user_id.eq(user_id),
            api_tokens::name.eq(name),
            api_tokens::token_hash.eq(token_hash),
            api_tokens::created_at.eq(now),
            api_tokens::scopes.eq(Some(scopes.join(","))),
            api_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(id)
}

type LiveRow = (String, Option<String>, Option<NaiveDateTime>, UserRow);

/// A live token of an active user: its id, scopes, last use and user.
fn authenticate_row(conn: &mut Conn, token_hash: &str, now: NaiveDateTime) -> Result<Option<LiveRow>, Error> {
    Ok(api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .filter(api_tokens::expires_at.is_null().or(api_tokens::expires_at.gt(now)))
        .filter(users::active.eq(true))
        .select((api_tokens::id, api_tokens::scopes, api_tokens::last_used_at, UserRow::as_select()))
        .first(conn)
        .optional()?)
}

/// The live token's id, user and scopes, and whether `last_used_at` is
/// empty or more than a minute old (the caller then writes it with `touch`,
/// so a busy client costs no write per request).
pub fn authenticate(conn: &mut Conn, token_hash: &str, now: NaiveDateTime) -> Result<Option<Authenticated>, Error> {
    let found = authenticate_row(conn, token_hash, now)?;
    Ok(found.map(|(id, scopes, last_used, user)| Authenticated {
        stale: last_used.is_none_or(|t| now - t >= chrono::Duration::minutes(1)).then_some(id),
        user: User::from(user),
        scopes: split(scopes),
    }))
}

/// The id of the live token with this hash (as [`authenticate`] finds it).
pub fn live_id(conn: &mut Conn, token_hash: &str, now: NaiveDateTime) -> Result<Option<String>, Error> {
    Ok(authenticate_row(conn, token_hash, now)?.map(|(id, ..)| id))
}

/// Records that the token was just used.
pub fn touch(conn: &mut Conn, id: &str, now: NaiveDateTime) -> Result<(), Error> {
    diesel::update(api_tokens::table.find(id)).set(api_tokens::last_used_at.eq(Some(now))).execute(conn)?;
    Ok(())
}

/// Tokens, newest first; of one user when `user_id` is given.
pub fn list(conn: &mut Conn, user_id: Option<&str>) -> Result<Vec<TokenInfo>, Error> {
    let mut q = api_tokens::table.inner_join(users::table).into_boxed();
    if let Some(u) = user_id {
        q = q.filter(api_tokens::user_id.eq(u.to_string()));
    }
    let rows: Vec<Row> = q
        .order(api_tokens::created_at.desc())
        .select((
            api_tokens::id,
            users::email,
            api_tokens::name,
            api_tokens::scopes,
            api_tokens::created_at,
            api_tokens::last_used_at,
            api_tokens::expires_at,
            api_tokens::revoked_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, user_email, name, scopes, created_at, last_used_at, expires_at, revoked_at)| TokenInfo {
            id,
            user_email,
            name,
            scopes: split(scopes),
            created_at,
            last_used_at,
            expires_at,
            revoked_at,
        })
        .collect())
}

/// Revokes one token; its owner's id, or `None` if unknown or revoked already.
pub fn revoke(conn: &mut Conn, id: &str, now: NaiveDateTime) -> Result<Option<String>, Error> {
    let owner: Option<String> = api_tokens::table
        .find(id)
        .filter(api_tokens::revoked_at.is_null())
        .select(api_tokens::user_id)
        .first(conn)
        .optional()?;
    if owner.is_some() {
        diesel::update(api_tokens::table.find(id)).set(api_tokens::revoked_at.eq(Some(now))).execute(conn)?;
    }
    Ok(owner)
}
