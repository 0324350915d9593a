//! Users, sessions, one-time set-up links, API tokens and areas.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{api_tokens, areas, sessions, setup_links, users};
use super::{new_id, now, Conn};
use crate::domain::user::Role;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: Option<String>,
    pub active: bool,
    pub open_cases: i32,
    pub created_at: NaiveDateTime,
    pub deactivated_at: Option<NaiveDateTime>,
}

/// A user as the rest of the app sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub open_cases: i32,
    pub has_password: bool,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        User {
            role: r.role,
            has_password: r.password_hash.is_some(),
            id: r.id,
            email: r.email,
            name: r.name,
            active: r.active,
            open_cases: r.open_cases,
        }
    }
}

pub fn count(conn: &mut Conn) -> Result<i64, Error> {
    Ok(users::table.count().get_result(conn)?)
}

/// Creates an active user; `None` if the email is taken.
pub fn create(
    conn: &mut Conn,
    email: &str,
    name: &str,
    role: Role,
    password_hash: Option<&str>,
) -> Result<Option<User>, Error> {
    let email = email.trim().to_lowercase();
    let taken: i64 = users::table.filter(users::email.eq(&email)).count().get_result(conn)?;
    if taken > 0 {
        return Ok(None);
    }
    let row = UserRow {
        id: new_id(),
        email,
        name: name.trim().to_string(),
        role,
        password_hash: password_hash.map(str::to_string),
        active: true,
        open_cases: 0,
        created_at: now(),
        deactivated_at: None,
    };
    diesel::insert_into(users::table)
        .values((
            users::id.eq(&row.id),
            users::email.eq(&row.email),
            users::name.eq(&row.name),
            users::role.eq(&row.role),
            users::password_hash.eq(&row.password_hash),
            users::active.eq(true),
            users::open_cases.eq(0),
            users::created_at.eq(row.created_at),
        ))
        .execute(conn)?;
    Ok(Some(row.into()))
}

pub fn find(conn: &mut Conn, id: &str) -> Result<Option<User>, Error> {
    Ok(users::table.find(id).select(UserRow::as_select()).first(conn).optional()?.map(User::from))
}

/// The row with its password hash, for login only.
pub fn find_for_login(conn: &mut Conn, email: &str) -> Result<Option<UserRow>, Error> {
    Ok(users::table
        .filter(users::email.eq(email.trim().to_lowercase()))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_by_email(conn: &mut Conn, email: &str) -> Result<Option<User>, Error> {
    Ok(find_for_login(conn, email)?.map(User::from))
}

pub fn list(conn: &mut Conn) -> Result<Vec<User>, Error> {
    Ok(users::table
        .order((users::active.desc(), users::name.asc()))
        .select(UserRow::as_select())
        .load(conn)?
        .into_iter()
        .map(User::from)
        .collect())
}

/// Active consultants and admins: who a case may be assigned to.
pub fn assignable(conn: &mut Conn) -> Result<Vec<User>, Error> {
    Ok(list(conn)?.into_iter().filter(|u| u.active && u.role.is_staff()).collect())
}

pub fn set_password(conn: &mut Conn, user_id: &str, hash: &str) -> Result<(), Error> {
    diesel::update(users::table.find(user_id)).set(users::password_hash.eq(hash)).execute(conn)?;
    Ok(())
}

/// Deactivation ends every session and token at once and drops the user's
/// area responsibilities, so no new case is assigned to them.
pub fn set_active(conn: &mut Conn, user_id: &str, active: bool) -> Result<(), Error> {
    let at = if active { None } else { Some(now()) };
    let n = diesel::update(users::table.find(user_id))
        .set((users::active.eq(active), users::deactivated_at.eq(at)))
        .execute(conn)?;
    if n == 0 {
        return Err(Error::NotFound);
    }
    if !active {
        diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?;
        diesel::update(
            api_tokens::table.filter(api_tokens::user_id.eq(user_id)).filter(api_tokens::revoked_at.is_null()),
        )
        .set(api_tokens::revoked_at.eq(now()))
        .execute(conn)?;
        diesel::update(areas::table.filter(areas::responsible_id.eq(user_id)))
            .set(areas::responsible_id.eq(None::<String>))
            .execute(conn)?;
        // Unused sign-in links die too, so reactivation revives none of them.
        use super::schema::signin_links;
        diesel::update(
            signin_links::table.filter(signin_links::user_id.eq(user_id)).filter(signin_links::used_at.is_null()),
        )
        .set(signin_links::used_at.eq(Some(now())))
        .execute(conn)?;
    }
    Ok(())
}

// ---- sessions ----

pub fn create_session(conn: &mut Conn, id_hash: &str, user_id: &str, expires_at: NaiveDateTime) -> Result<(), Error> {
    let t = now();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id_hash.eq(id_hash),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(t),
            sessions::last_seen_at.eq(t),
            sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// A live session's user and what the session still owes.
#[derive(Debug, Clone)]
pub struct LiveSession {
    pub user: User,
    pub must_enrol_mfa: bool,
    /// `last_seen_at` is more than a minute old.
    pub stale: bool,
}

/// The session's user, if the session is live and the user active, and
/// whether the session must enrol a second factor before anything else,
/// and whether `last_seen_at` is more than a minute old (the caller then
/// writes it with `touch_session`, so most page views cost no write). Idle
/// sessions end after `idle`.
pub fn session_user(conn: &mut Conn, id_hash: &str, idle: chrono::Duration) -> Result<Option<LiveSession>, Error> {
    let t = now();
    let found: Option<(NaiveDateTime, bool, UserRow)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::id_hash.eq(id_hash))
        .filter(sessions::expires_at.gt(t))
        .filter(sessions::last_seen_at.gt(t - idle))
        .filter(users::active.eq(true))
        .select((sessions::last_seen_at, sessions::must_enrol_mfa, UserRow::as_select()))
        .first(conn)
        .optional()?;
    Ok(found.map(|(last_seen, must_enrol_mfa, user)| LiveSession {
        user: user.into(),
        must_enrol_mfa,
        stale: t - last_seen > chrono::Duration::minutes(1),
    }))
}

/// Records that the session was just used.
pub fn touch_session(conn: &mut Conn, id_hash: &str, t: NaiveDateTime) -> Result<(), Error> {
    diesel::update(sessions::table.find(id_hash)).set(sessions::last_seen_at.eq(t)).execute(conn)?;
    Ok(())
}

pub fn delete_session(conn: &mut Conn, id_hash: &str) -> Result<(), Error> {
    diesel::delete(sessions::table.find(id_hash)).execute(conn)?;
    Ok(())
}

/// Ends every session of a user except `keep` (by id hash); how many ended.
pub fn delete_other_sessions(conn: &mut Conn, user_id: &str, keep: Option<&str>) -> Result<usize, Error> {
    let q = sessions::table.filter(sessions::user_id.eq(user_id));
    Ok(match keep {
        Some(k) => diesel::delete(q.filter(sessions::id_hash.ne(k))).execute(conn)?,
        None => diesel::delete(q).execute(conn)?,
    })
}

/// A user's stored password hash (re-authentication).
pub fn password_hash(conn: &mut Conn, user_id: &str) -> Result<Option<String>, Error> {
    Ok(users::table
        .find(user_id)
        .filter(users::active.eq(true))
        .select(users::password_hash)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

pub fn delete_expired_sessions(conn: &mut Conn) -> Result<usize, Error> {
    Ok(diesel::delete(sessions::table.filter(sessions::expires_at.lt(now()))).execute(conn)?)
}

// ---- one-time set-up links ----

pub fn create_setup_link(
    conn: &mut Conn,
    token_hash: &str,
    user_id: Option<&str>,
    expires_at: NaiveDateTime,
) -> Result<(), Error> {
    diesel::insert_into(setup_links::table)
        .values((
            setup_links::token_hash.eq(token_hash),
            setup_links::user_id.eq(user_id),
            setup_links::created_at.eq(now()),
            setup_links::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// What a live link is for.
#[derive(Debug, Clone)]
pub enum SetupLink {
    /// Creates the first admin (only while no user exists).
    FirstAdmin,
    /// Sets this user's password.
    SetPassword(User),
}

/// Looks a link up without using it.
pub fn peek_setup_link(conn: &mut Conn, token_hash: &str) -> Result<Option<SetupLink>, Error> {
    let row: Option<Option<String>> = setup_links::table
        .filter(setup_links::token_hash.eq(token_hash))
        .filter(setup_links::used_at.is_null())
        .filter(setup_links::expires_at.gt(now()))
        .select(setup_links::user_id)
        .first(conn)
        .optional()?;
    match row {
        None => Ok(None),
        Some(None) => Ok(if count(conn)? == 0 { Some(SetupLink::FirstAdmin) } else { None }),
        Some(Some(user_id)) => Ok(find(conn, &user_id)?.filter(|u| u.active).map(SetupLink::SetPassword)),
    }
}

/// Marks a link used; false if it was already used or has expired (the
/// update is the check, so two tabs cannot both use one link).
pub fn use_setup_link(conn: &mut Conn, token_hash: &str) -> Result<bool, Error> {
    let n = diesel::update(
        setup_links::table
            .filter(setup_links::token_hash.eq(token_hash))
            .filter(setup_links::used_at.is_null())
            .filter(setup_links::expires_at.gt(now())),
    )
    .set(setup_links::used_at.eq(now()))
    .execute(conn)?;
    Ok(n == 1)
}

// ---- API tokens ----

pub fn create_api_token(conn: &mut Conn, user_id: &str, name: &str, token_hash: &str) -> Result<(), Error> {
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(new_id()),
            api_tokens::user_id.eq(user_id),
            api_tokens::name.eq(name),
            api_tokens::token_hash.eq(token_hash),
            api_tokens::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn api_token_user(conn: &mut Conn, token_hash: &str) -> Result<Option<User>, Error> {
    Ok(api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .filter(users::active.eq(true))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .map(User::from))
}

// ---- areas ----

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = areas)]
pub struct AreaRow {
    pub slug: String,
    pub name: String,
    pub postcode: String,
    pub position: i32,
    pub active: bool,
    pub responsible_id: Option<String>,
}

/// Makes the areas table match the configuration: new areas are added,
/// names follow the file, removed areas are kept (cases refer to them) but
/// marked inactive.
pub fn sync_areas(conn: &mut Conn, configured: &[crate::config::Area]) -> Result<(), Error> {
    let existing: Vec<String> = areas::table.select(areas::slug).load(conn)?;
    diesel::update(areas::table).set(areas::active.eq(false)).execute(conn)?;
    for (i, a) in configured.iter().enumerate() {
        let position = i32::try_from(i).unwrap_or(i32::MAX);
        if existing.contains(&a.slug) {
            diesel::update(areas::table.find(&a.slug))
                .set((
                    areas::name.eq(&a.name),
                    areas::postcode.eq(&a.postcode),
                    areas::position.eq(position),
                    areas::active.eq(true),
                ))
                .execute(conn)?;
        } else {
            diesel::insert_into(areas::table)
                .values((
                    areas::slug.eq(&a.slug),
                    areas::name.eq(&a.name),
                    areas::postcode.eq(&a.postcode),
                    areas::position.eq(position),
                    areas::active.eq(true),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

pub fn list_areas(conn: &mut Conn) -> Result<Vec<AreaRow>, Error> {
    Ok(areas::table
        .filter(areas::active.eq(true))
        .order(areas::position.asc())
        .select(AreaRow::as_select())
        .load(conn)?)
}

pub fn set_responsible(conn: &mut Conn, slug: &str, user_id: Option<&str>) -> Result<(), Error> {
    let n = diesel::update(areas::table.find(slug)).set(areas::responsible_id.eq(user_id)).execute(conn)?;
    if n == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// Marks today's digest for a user as sent; false if it already was.
pub fn claim_digest(conn: &mut Conn, user_id: &str, day: &str, now: NaiveDateTime) -> Result<bool, Error> {
    use super::schema::digests;
    let exists: i64 =
        digests::table.filter(digests::user_id.eq(user_id)).filter(digests::day.eq(day)).count().get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(digests::table)
        .values((digests::user_id.eq(user_id), digests::day.eq(day), digests::created_at.eq(now)))
        .execute(conn)?;
    Ok(true)
}
