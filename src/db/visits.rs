//! Planned visits. One live visit per case; changing it keeps the
//! calendar UID and raises the sequence.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::visits;
use super::{new_id, Conn};
use crate::domain::text::CaseId;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = visits)]
pub struct Visit {
    pub id: String,
    pub case_id: CaseId,
    pub starts_at: NaiveDateTime,
    pub duration_minutes: i32,
    pub place: String,
    pub note: Option<String>,
    pub uid: String,
    pub sequence: i32,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn current(conn: &mut Conn, case_id: &CaseId) -> Result<Option<Visit>, Error> {
    Ok(visits::table
        .filter(visits::case_id.eq(case_id))
        .filter(visits::status.eq("planned"))
        .order(visits::created_at.desc())
        .select(Visit::as_select())
        .first(conn)
        .optional()?)
}

pub struct VisitPlan<'a> {
    pub starts_at: NaiveDateTime,
    pub duration_minutes: i32,
    pub place: &'a str,
    pub note: Option<&'a str>,
}

/// Plans a visit, or changes the planned one (same UID, next sequence).
/// Returns the visit and whether it was a change.
pub fn plan(
    conn: &mut Conn,
    case_id: &CaseId,
    plan: &VisitPlan<'_>,
    uid_domain: &str,
    now: NaiveDateTime,
) -> Result<(Visit, bool), Error> {
    if let Some(v) = current(conn, case_id)? {
        diesel::update(visits::table.find(&v.id))
            .set((
                visits::starts_at.eq(plan.starts_at),
                visits::duration_minutes.eq(plan.duration_minutes),
                visits::place.eq(plan.place),
                visits::note.eq(plan.note),
                visits::sequence.eq(v.sequence + 1),
                visits::updated_at.eq(now),
            ))
            .execute(conn)?;
        let updated = visits::table.find(&v.id).select(Visit::as_select()).first(conn)?;
        return Ok((updated, true));
    }
    let id = new_id();
    diesel::insert_into(visits::table)
        .values((
            visits::id.eq(&id),
            visits::case_id.eq(case_id),
            visits::starts_at.eq(plan.starts_at),
            visits::duration_minutes.eq(plan.duration_minutes),
            visits::place.eq(plan.place),
            visits::note.eq(plan.note),
            visits::uid.eq(format!("{id}@{uid_domain}")),
            visits::sequence.eq(0),
            visits::status.eq("planned"),
            visits::created_at.eq(now),
            visits::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok((visits::table.find(&id).select(Visit::as_select()).first(conn)?, false))
}

/// Cancels the planned visit; returns it with its raised sequence.
pub fn cancel(conn: &mut Conn, case_id: &CaseId, now: NaiveDateTime) -> Result<Option<Visit>, Error> {
    let Some(v) = current(conn, case_id)? else { return Ok(None) };
    diesel::update(visits::table.find(&v.id))
        .set((visits::status.eq("cancelled"), visits::sequence.eq(v.sequence + 1), visits::updated_at.eq(now)))
        .execute(conn)?;
    Ok(Some(visits::table.find(&v.id).select(Visit::as_select()).first(conn)?))
}
