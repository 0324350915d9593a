//! Referrals and the ambassadors' sign-in links. Every change lands on the
//! case's timeline in the same transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::cases::append_event;
use super::schema::{referrals, signin_links, users};
use super::{new_id, Conn};
use crate::domain::case::EventKind;
use crate::domain::referral::{State, State as ReferralState};
use crate::domain::text::CaseId;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = referrals)]
pub struct Referral {
    pub id: String,
    pub case_id: CaseId,
    pub ambassador_id: String,
    pub message: String,
    pub state: ReferralState,
    pub decline_reason: Option<String>,
    pub report: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub reminded_at: Option<NaiveDateTime>,
    pub flagged_at: Option<NaiveDateTime>,
}

impl Referral {
    pub fn state(&self) -> State {
        self.state
    }
}

pub fn create(
    conn: &mut Conn,
    case_id: &CaseId,
    ambassador_id: &str,
    message: &str,
    actor_id: &str,
    now: NaiveDateTime,
) -> Result<Referral, Error> {
    let id = new_id();
    diesel::insert_into(referrals::table)
        .values((
            referrals::id.eq(&id),
            referrals::case_id.eq(case_id),
            referrals::ambassador_id.eq(ambassador_id),
            referrals::message.eq(message),
            referrals::state.eq(State::Offered.as_str()),
            referrals::created_by.eq(actor_id),
            referrals::created_at.eq(now),
            referrals::updated_at.eq(now),
        ))
        .execute(conn)?;
    append_event(
        conn,
        case_id,
        EventKind::ReferralOffered,
        Some(actor_id),
        json!({ "referral": id, "ambassador": ambassador_id }),
    )?;
    Ok(referrals::table.find(&id).select(Referral::as_select()).first(conn)?)
}

pub fn get(conn: &mut Conn, id: &str) -> Result<Option<Referral>, Error> {
    if uuid::Uuid::parse_str(id).is_err() {
        return Ok(None);
    }
    Ok(referrals::table.find(id).select(Referral::as_select()).first(conn).optional()?)
}

/// A case's referrals with the ambassador's name, oldest first.
pub fn for_case(conn: &mut Conn, case_id: &CaseId) -> Result<Vec<(Referral, String)>, Error> {
    Ok(referrals::table
        .inner_join(users::table.on(users::id.eq(referrals::ambassador_id)))
        .filter(referrals::case_id.eq(case_id))
        .order(referrals::created_at.asc())
        .select((Referral::as_select(), users::name))
        .load(conn)?)
}

/// An ambassador's referrals, newest first (the page puts open ones first).
pub fn for_ambassador(conn: &mut Conn, user_id: &str) -> Result<Vec<Referral>, Error> {
    Ok(referrals::table
        .filter(referrals::ambassador_id.eq(user_id))
        .order(referrals::created_at.desc())
        .select(Referral::as_select())
        .load(conn)?)
}

/// Moves a referral to `to`, recording the reason or report, with its
/// timeline event. The update is conditional on the state read, so two
/// clicks cannot both succeed.
pub fn set_state(
    conn: &mut Conn,
    r: &Referral,
    to: State,
    text: Option<&str>,
    actor_id: Option<&str>,
    now: NaiveDateTime,
) -> Result<bool, Error> {
    let target = referrals::table.find(&r.id).filter(referrals::state.eq(&r.state));
    let n = match to {
        State::Declined => diesel::update(target)
            .set((referrals::state.eq(to.as_str()), referrals::decline_reason.eq(text), referrals::updated_at.eq(now)))
            .execute(conn)?,
        State::Closed => diesel::update(target)
            .set((referrals::state.eq(to.as_str()), referrals::report.eq(text), referrals::updated_at.eq(now)))
            .execute(conn)?,
        _ => diesel::update(target)
            .set((referrals::state.eq(to.as_str()), referrals::updated_at.eq(now)))
            .execute(conn)?,
    };
    if n == 0 {
        return Ok(false);
    }
    let kind = match to {
        State::Accepted => EventKind::ReferralAccepted,
        State::Declined => EventKind::ReferralDeclined,
        State::Contacted => EventKind::ReferralContacted,
        State::Met => EventKind::ReferralMet,
        State::Closed => EventKind::ReferralClosed,
        State::Withdrawn => EventKind::ReferralWithdrawn,
        State::Offered => EventKind::ReferralOffered,
    };
    let key = if to == State::Declined { "reason" } else { "report" };
    append_event(conn, &r.case_id, kind, actor_id, json!({ "referral": r.id, key: text }))?;
    Ok(true)
}

/// Offered referrals created before `before` with no reminder yet.
pub fn needing_reminder(conn: &mut Conn, before: NaiveDateTime) -> Result<Vec<Referral>, Error> {
    Ok(referrals::table
        .filter(referrals::state.eq(State::Offered.as_str()))
        .filter(referrals::created_at.lt(before))
        .filter(referrals::reminded_at.is_null())
        .select(Referral::as_select())
        .load(conn)?)
}

pub fn needing_flag(conn: &mut Conn, before: NaiveDateTime) -> Result<Vec<Referral>, Error> {
    Ok(referrals::table
        .filter(referrals::state.eq(State::Offered.as_str()))
        .filter(referrals::created_at.lt(before))
        .filter(referrals::flagged_at.is_null())
        .select(Referral::as_select())
        .load(conn)?)
}

/// Marks the reminder sent; false if someone else did first.
pub fn mark_reminded(conn: &mut Conn, id: &str, now: NaiveDateTime) -> Result<bool, Error> {
    let n = diesel::update(referrals::table.find(id).filter(referrals::reminded_at.is_null()))
        .set(referrals::reminded_at.eq(Some(now)))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn mark_flagged(conn: &mut Conn, r: &Referral, now: NaiveDateTime) -> Result<bool, Error> {
    let n = diesel::update(referrals::table.find(&r.id).filter(referrals::flagged_at.is_null()))
        .set(referrals::flagged_at.eq(Some(now)))
        .execute(conn)?;
    if n == 1 {
        append_event(conn, &r.case_id, EventKind::ReferralFlagged, None, json!({ "referral": r.id }))?;
    }
    Ok(n == 1)
}

// ---- sign-in links ----

pub fn create_signin_link(
    conn: &mut Conn,
    token_hash: &str,
    user_id: &str,
    referral_id: Option<&str>,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> Result<(), Error> {
    diesel::insert_into(signin_links::table)
        .values((
            signin_links::token_hash.eq(token_hash),
            signin_links::user_id.eq(user_id),
            signin_links::referral_id.eq(referral_id),
            signin_links::created_at.eq(now),
            signin_links::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// A live link's owner (active ambassadors only) and referral, without using it.
pub fn peek_signin_link(
    conn: &mut Conn,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<Option<(String, Option<String>)>, Error> {
    Ok(signin_links::table
        .inner_join(users::table.on(users::id.eq(signin_links::user_id)))
        .filter(signin_links::token_hash.eq(token_hash))
        .filter(signin_links::used_at.is_null())
        .filter(signin_links::expires_at.gt(now))
        .filter(users::active.eq(true))
        .filter(users::role.eq("ambassador"))
        .select((signin_links::user_id, signin_links::referral_id))
        .first(conn)
        .optional()?)
}

/// Brings a live link's expiry forward to `until` (never later than it was).
pub fn shorten_signin_link(conn: &mut Conn, token_hash: &str, until: NaiveDateTime) -> Result<(), Error> {
    diesel::update(
        signin_links::table
            .filter(signin_links::token_hash.eq(token_hash))
            .filter(signin_links::used_at.is_null())
            .filter(signin_links::expires_at.gt(until)),
    )
    .set(signin_links::expires_at.eq(until))
    .execute(conn)?;
    Ok(())
}

/// Uses a link: true only for the first use of a live link.
pub fn use_signin_link(conn: &mut Conn, token_hash: &str, now: NaiveDateTime) -> Result<bool, Error> {
    let n = diesel::update(
        signin_links::table
            .filter(signin_links::token_hash.eq(token_hash))
            .filter(signin_links::used_at.is_null())
            .filter(signin_links::expires_at.gt(now)),
    )
    .set(signin_links::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(n == 1)
}
