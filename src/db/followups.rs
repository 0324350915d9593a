//! Scheduled follow-ups. Each belongs to the stage that scheduled it; a
//! stage change or closing cancels the case's open follow-ups in the same
//! transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::cases::append_event;
use super::schema::followups;
use super::{new_id, Conn};
use crate::domain::case::EventKind;
use crate::domain::text::CaseId;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = followups)]
pub struct Followup {
    pub id: String,
    pub case_id: CaseId,
    pub stage: crate::domain::case::Stage,
    pub rule: String,
    pub due_at: NaiveDateTime,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

pub fn schedule(
    conn: &mut Conn,
    case_id: &CaseId,
    stage: &str,
    rule: &str,
    due_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<(), Error> {
    diesel::insert_into(followups::table)
        .values((
            followups::id.eq(new_id()),
            followups::case_id.eq(case_id),
            followups::stage.eq(stage),
            followups::rule.eq(rule),
            followups::due_at.eq(due_at),
            followups::status.eq("scheduled"),
            followups::created_at.eq(now),
        ))
        .execute(conn)?;
    append_event(
        conn,
        case_id,
        EventKind::FollowupScheduled,
        None,
        json!({ "rule": rule, "due_at": due_at.and_utc().to_rfc3339() }),
    )
}

/// Cancels the case's scheduled follow-ups (all, or only those of `rules`).
pub fn cancel(conn: &mut Conn, case_id: &CaseId, rules: Option<&[&str]>, now: NaiveDateTime) -> Result<usize, Error> {
    let open: Vec<(String, String)> = followups::table
        .filter(followups::case_id.eq(case_id))
        .filter(followups::status.eq("scheduled"))
        .select((followups::id, followups::rule))
        .load(conn)?;
    let mut n = 0;
    for (id, rule) in open.into_iter().filter(|(_, r)| rules.is_none_or(|rs| rs.contains(&r.as_str()))) {
        diesel::update(followups::table.find(&id))
            .set((followups::status.eq("cancelled"), followups::finished_at.eq(Some(now))))
            .execute(conn)?;
        append_event(conn, case_id, EventKind::FollowupCancelled, None, json!({ "rule": rule }))?;
        n += 1;
    }
    Ok(n)
}

pub fn due(conn: &mut Conn, now: NaiveDateTime, limit: i64) -> Result<Vec<Followup>, Error> {
    Ok(followups::table
        .filter(followups::status.eq("scheduled"))
        .filter(followups::due_at.le(now))
        .order(followups::due_at.asc())
        .limit(limit)
        .select(Followup::as_select())
        .load(conn)?)
}

/// Takes a due follow-up: true if this caller got it (a conditional
/// update, so two workers never both fire one).
pub fn take(conn: &mut Conn, id: &str, now: NaiveDateTime) -> Result<bool, Error> {
    let n = diesel::update(followups::table.find(id).filter(followups::status.eq("scheduled")))
        .set((followups::status.eq("done"), followups::finished_at.eq(Some(now))))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn scheduled_for_case(conn: &mut Conn, case_id: &CaseId) -> Result<Vec<Followup>, Error> {
    Ok(followups::table
        .filter(followups::case_id.eq(case_id))
        .filter(followups::status.eq("scheduled"))
        .order(followups::due_at.asc())
        .select(Followup::as_select())
        .load(conn)?)
}
