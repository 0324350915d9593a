//! Ambassadors: a user with the ambassador role plus their organisation,
//! areas and interests.

use diesel::prelude::*;

use super::schema::{ambassador_areas, ambassador_interests, ambassadors, referrals, users};
use super::users::{self as user_db, User, UserRow};
use super::{now, Conn};
use crate::domain::user::Role;
use crate::error::Error;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Ambassador {
    pub user: User,
    pub organisation: String,
    pub kind: String,
    pub phone: Option<String>,
    pub paused: bool,
    pub areas: Vec<String>,
    pub interests: Vec<String>,
    pub open_referrals: i64,
    pub past_referrals: i64,
}

/// What staff type when registering or editing an ambassador.
#[derive(Debug, Clone)]
pub struct Profile {
    pub organisation: String,
    pub kind: String,
    pub phone: Option<String>,
    pub areas: Vec<String>,
    pub interests: Vec<String>,
}

pub const KINDS: [&str; 4] = ["local_council", "association", "business", "private"];

fn set_lists(conn: &mut Conn, user_id: &str, p: &Profile) -> Result<(), Error> {
    diesel::delete(ambassador_areas::table.filter(ambassador_areas::user_id.eq(user_id))).execute(conn)?;
    diesel::delete(ambassador_interests::table.filter(ambassador_interests::user_id.eq(user_id))).execute(conn)?;
    for a in &p.areas {
        diesel::insert_into(ambassador_areas::table)
            .values((ambassador_areas::user_id.eq(user_id), ambassador_areas::area_slug.eq(a)))
            .execute(conn)?;
    }
    for i in &p.interests {
        diesel::insert_into(ambassador_interests::table)
            .values((ambassador_interests::user_id.eq(user_id), ambassador_interests::interest.eq(i)))
            .execute(conn)?;
    }
    Ok(())
}

/// Registers an ambassador; `None` if the email is taken.
pub fn create(conn: &mut Conn, email: &str, name: &str, p: &Profile) -> Result<Option<User>, Error> {
    let Some(user) = user_db::create(conn, email, name, Role::Ambassador, None)? else { return Ok(None) };
    diesel::insert_into(ambassadors::table)
        .values((
            ambassadors::user_id.eq(&user.id),
            ambassadors::organisation.eq(&p.organisation),
            ambassadors::kind.eq(&p.kind),
            ambassadors::phone.eq(&p.phone),
            ambassadors::paused.eq(false),
            ambassadors::created_at.eq(now()),
        ))
        .execute(conn)?;
    set_lists(conn, &user.id, p)?;
    Ok(Some(user))
}

pub fn update(conn: &mut Conn, user_id: &str, name: &str, p: &Profile, paused: bool) -> Result<(), Error> {
    diesel::update(users::table.find(user_id)).set(users::name.eq(name)).execute(conn)?;
    let n = diesel::update(ambassadors::table.find(user_id))
        .set((
            ambassadors::organisation.eq(&p.organisation),
            ambassadors::kind.eq(&p.kind),
            ambassadors::phone.eq(&p.phone),
            ambassadors::paused.eq(paused),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(Error::NotFound);
    }
    set_lists(conn, user_id, p)
}

/// Every ambassador with areas, interests and referral counts; the
/// directory filters in memory (a municipality has tens, not thousands).
pub fn list(conn: &mut Conn) -> Result<Vec<Ambassador>, Error> {
    type Row = (UserRow, (String, String, Option<String>, bool));
    let rows: Vec<Row> = users::table
        .inner_join(ambassadors::table)
        .order((users::active.desc(), users::name.asc()))
        .select((
            UserRow::as_select(),
            (ambassadors::organisation, ambassadors::kind, ambassadors::phone, ambassadors::paused),
        ))
        .load(conn)?;
    let areas: Vec<(String, String)> =
        ambassador_areas::table.select((ambassador_areas::user_id, ambassador_areas::area_slug)).load(conn)?;
    let interests: Vec<(String, String)> = ambassador_interests::table
        .select((ambassador_interests::user_id, ambassador_interests::interest))
        .load(conn)?;
    let states: Vec<(String, String)> =
        referrals::table.select((referrals::ambassador_id, referrals::state)).load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(u, (organisation, kind, phone, paused))| {
            let id = u.id.clone();
            let open = states
                .iter()
                .filter(|(a, s)| *a == id && crate::domain::referral::State::parse(s).is_some_and(|s| s.is_open()))
                .count() as i64;
            let total = states.iter().filter(|(a, _)| *a == id).count() as i64;
            Ambassador {
                user: u.into(),
                organisation,
                kind,
                phone,
                paused,
                areas: areas.iter().filter(|(a, _)| *a == id).map(|(_, s)| s.clone()).collect(),
                interests: interests.iter().filter(|(a, _)| *a == id).map(|(_, s)| s.clone()).collect(),
                open_referrals: open,
                past_referrals: total - open,
            }
        })
        .collect())
}

pub fn get(conn: &mut Conn, user_id: &str) -> Result<Option<Ambassador>, Error> {
    Ok(list(conn)?.into_iter().find(|a| a.user.id == user_id))
}

pub fn find_by_email(conn: &mut Conn, email: &str) -> Result<Option<Ambassador>, Error> {
    let email = email.trim().to_lowercase();
    Ok(list(conn)?.into_iter().find(|a| a.user.email == email))
}
