//! Newcomers' events and their guests as stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{case_areas, cases, event_guests, events, persons};
use super::{new_id, Conn};
use crate::domain::event::GuestState;
use crate::domain::inquiry::Language;
use crate::domain::text::CaseId;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = events)]
pub struct Event {
    pub id: String,
    pub title: String,
    pub description: String,
    pub starts_at: NaiveDateTime,
    pub duration_minutes: i32,
    pub place: String,
    /// Comma-separated area slugs.
    pub areas: String,
    pub capacity: i32,
    /// Comma-separated language codes.
    pub languages: String,
    pub signup_deadline: NaiveDateTime,
    pub open_slug: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub reminded_at: Option<NaiveDateTime>,
    pub attendance_at: Option<NaiveDateTime>,
}

impl Event {
    pub fn area_list(&self) -> Vec<String> {
        self.areas.split(',').filter(|a| !a.is_empty()).map(str::to_string).collect()
    }
}

/// What staff type to create an event, checked.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub title: String,
    pub description: String,
    pub starts_at: NaiveDateTime,
    pub duration_minutes: i32,
    pub place: String,
    pub areas: Vec<String>,
    pub capacity: i32,
    pub languages: Vec<String>,
    pub signup_deadline: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = event_guests)]
pub struct Guest {
    pub id: String,
    pub event_id: String,
    pub case_id: Option<CaseId>,
    pub user_id: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub language: Language,
    pub area: Option<String>,
    pub state: GuestState,
    pub adults: i32,
    pub children: i32,
    pub needs: Option<String>,
    pub invited_at: NaiveDateTime,
    pub signed_up_at: Option<NaiveDateTime>,
    pub came: Option<bool>,
}

impl Guest {
    pub fn persons(&self) -> i32 {
        self.adults + self.children
    }
}

pub fn create(
    conn: &mut Conn,
    e: &NewEvent,
    open_slug: &str,
    actor: &str,
    now: NaiveDateTime,
) -> Result<String, Error> {
    let id = new_id();
    diesel::insert_into(events::table)
        .values((
            events::id.eq(&id),
            events::title.eq(&e.title),
            events::description.eq(&e.description),
            events::starts_at.eq(e.starts_at),
            events::duration_minutes.eq(e.duration_minutes),
            events::place.eq(&e.place),
            events::areas.eq(e.areas.join(",")),
            events::capacity.eq(e.capacity),
            events::languages.eq(e.languages.join(",")),
            events::signup_deadline.eq(e.signup_deadline),
            events::open_slug.eq(open_slug),
            events::created_by.eq(actor),
            events::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn get(conn: &mut Conn, id: &str) -> Result<Option<Event>, Error> {
    Ok(events::table.find(id).select(Event::as_select()).first(conn).optional()?)
}

pub fn by_slug(conn: &mut Conn, slug: &str) -> Result<Option<Event>, Error> {
    Ok(events::table.filter(events::open_slug.eq(slug)).select(Event::as_select()).first(conn).optional()?)
}

/// Every event, the coming ones first.
pub fn list(conn: &mut Conn) -> Result<Vec<Event>, Error> {
    Ok(events::table.order(events::starts_at.desc()).select(Event::as_select()).load(conn)?)
}

pub fn guests(conn: &mut Conn, event_id: &str) -> Result<Vec<Guest>, Error> {
    Ok(event_guests::table
        .filter(event_guests::event_id.eq(event_id))
        .order(event_guests::invited_at.asc())
        .select(Guest::as_select())
        .load(conn)?)
}

pub fn guest_by_token(conn: &mut Conn, token_hash: &str) -> Result<Option<Guest>, Error> {
    Ok(event_guests::table
        .filter(event_guests::token_hash.eq(token_hash))
        .select(Guest::as_select())
        .first(conn)
        .optional()?)
}

/// Someone to invite (or who signed up through the open link).
pub struct NewGuest<'a> {
    pub case_id: Option<&'a CaseId>,
    pub user_id: Option<&'a str>,
    pub name: &'a str,
    pub email: &'a str,
    pub language: Language,
    pub area: Option<&'a str>,
}

pub fn add_guest(
    conn: &mut Conn,
    event_id: &str,
    g: &NewGuest<'_>,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<String, Error> {
    let id = new_id();
    diesel::insert_into(event_guests::table)
        .values((
            event_guests::id.eq(&id),
            event_guests::event_id.eq(event_id),
            event_guests::case_id.eq(g.case_id),
            event_guests::user_id.eq(g.user_id),
            event_guests::name.eq(Some(g.name)),
            event_guests::email.eq(Some(g.email)),
            event_guests::language.eq(g.language),
            event_guests::area.eq(g.area),
            event_guests::token_hash.eq(token_hash),
            event_guests::state.eq(GuestState::Invited),
            event_guests::adults.eq(0),
            event_guests::children.eq(0),
            event_guests::invited_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The guest's answer: seats (or a place on the waiting list) or a cancellation.
pub fn set_answer(
    conn: &mut Conn,
    id: &str,
    state: GuestState,
    adults: i32,
    children: i32,
    needs: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), Error> {
    diesel::update(event_guests::table.find(id))
        .set((
            event_guests::state.eq(state),
            event_guests::adults.eq(adults),
            event_guests::children.eq(children),
            event_guests::needs.eq(needs),
            event_guests::signed_up_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_state(conn: &mut Conn, id: &str, state: GuestState) -> Result<(), Error> {
    diesel::update(event_guests::table.find(id)).set(event_guests::state.eq(state)).execute(conn)?;
    Ok(())
}

/// A case to invite: id, name, email, language, the area moved to.
pub type Invitable = (CaseId, String, String, Language, Option<String>);

/// Cases to invite: an area of the event (chosen or moved to), the person
/// not erased, not invited yet; `stage` and `moved_since` narrow it.
pub fn invitable_cases(
    conn: &mut Conn,
    event_id: &str,
    areas: &[String],
    stage: Option<crate::domain::case::Stage>,
    moved_since: Option<&str>,
) -> Result<Vec<Invitable>, Error> {
    let in_area = case_areas::table.filter(case_areas::area_slug.eq_any(areas)).select(case_areas::case_id);
    let invited =
        event_guests::table.filter(event_guests::event_id.eq(event_id)).select(event_guests::case_id.assume_not_null());
    let mut q = cases::table
        .inner_join(persons::table)
        .filter(cases::id.eq_any(in_area).or(cases::move_in_area.eq_any(areas)))
        .filter(cases::id.ne_all(invited))
        .filter(cases::outcome.is_null().or(cases::outcome.eq("welcomed")))
        .into_boxed();
    if let Some(stage) = stage {
        q = q.filter(cases::stage.eq(stage));
    }
    if let Some(since) = moved_since {
        q = q.filter(cases::move_in_date.ge(since));
    }
    Ok(q.order(cases::created_at.asc())
        .select((cases::id, persons::name, persons::email, cases::language, cases::move_in_area))
        .load(conn)?)
}

/// The first of `areas` that the case chose (for the seating plan).
pub fn case_area_in(conn: &mut Conn, case_id: &CaseId, areas: &[String]) -> Result<Option<String>, Error> {
    Ok(case_areas::table
        .filter(case_areas::case_id.eq(case_id))
        .filter(case_areas::area_slug.eq_any(areas))
        .order(case_areas::position.asc())
        .select(case_areas::area_slug)
        .first(conn)
        .optional()?)
}

/// Events starting in `(now, until]` whose reminder has not gone.
pub fn to_remind(conn: &mut Conn, now: NaiveDateTime, until: NaiveDateTime) -> Result<Vec<Event>, Error> {
    Ok(events::table
        .filter(events::reminded_at.is_null())
        .filter(events::starts_at.gt(now))
        .filter(events::starts_at.le(until))
        .select(Event::as_select())
        .load(conn)?)
}

/// Claims an event's reminder; false if another worker did.
pub fn mark_reminded(conn: &mut Conn, id: &str, now: NaiveDateTime) -> Result<bool, Error> {
    Ok(diesel::update(events::table.find(id).filter(events::reminded_at.is_null()))
        .set(events::reminded_at.eq(Some(now)))
        .execute(conn)?
        == 1)
}

/// Records who came; the needs (health data) go with it.
pub fn record_attendance(conn: &mut Conn, event_id: &str, came: &[String], now: NaiveDateTime) -> Result<(), Error> {
    for g in guests(conn, event_id)?.into_iter().filter(|g| g.state == GuestState::SignedUp) {
        diesel::update(event_guests::table.find(&g.id))
            .set(event_guests::came.eq(Some(came.contains(&g.id))))
            .execute(conn)?;
    }
    diesel::update(event_guests::table.filter(event_guests::event_id.eq(event_id)))
        .set(event_guests::needs.eq(None::<String>))
        .execute(conn)?;
    diesel::update(events::table.find(event_id)).set(events::attendance_at.eq(Some(now))).execute(conn)?;
    Ok(())
}

/// After events that ended before `before`: the needs (health data) are
/// deleted, and open sign-ups (no case, no account) lose name and email.
pub fn purge_after(conn: &mut Conn, before: NaiveDateTime, open_before: NaiveDateTime) -> Result<usize, Error> {
    let past = events::table.filter(events::starts_at.lt(before)).select(events::id);
    let n = diesel::update(
        event_guests::table.filter(event_guests::event_id.eq_any(past)).filter(event_guests::needs.is_not_null()),
    )
    .set(event_guests::needs.eq(None::<String>))
    .execute(conn)?;
    let long_past = events::table.filter(events::starts_at.lt(open_before)).select(events::id);
    let m = diesel::update(
        event_guests::table
            .filter(event_guests::event_id.eq_any(long_past))
            .filter(event_guests::case_id.is_null())
            .filter(event_guests::user_id.is_null())
            .filter(event_guests::email.is_not_null()),
    )
    .set((event_guests::name.eq(None::<String>), event_guests::email.eq(None::<String>)))
    .execute(conn)?;
    Ok(n + m)
}
