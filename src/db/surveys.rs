//! The welcome survey and the one-year check as stored: one row per case
//! and kind, with the hashes of its private links and the answer.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{exists, not};
use diesel::prelude::*;

use super::schema::{case_areas, cases, persons, surveys};
use super::{new_id, Conn};
use crate::domain::case::Outcome;
use crate::domain::survey::{Answer, Kind, Residence};
use crate::domain::text::CaseId;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = surveys)]
pub struct Survey {
    pub id: String,
    pub case_id: CaseId,
    pub kind: Kind,
    pub sent_at: NaiveDateTime,
    pub reminded_at: Option<NaiveDateTime>,
    pub closes_at: NaiveDateTime,
    pub answered_at: Option<NaiveDateTime>,
    pub scores: Option<String>,
    pub helped: Option<String>,
    pub residence: Option<Residence>,
    pub comment: Option<String>,
}

impl Survey {
    /// The stored scores (a corrupt value reads as none: it is shown, not used to decide).
    pub fn score_map(&self) -> BTreeMap<String, u8> {
        self.scores.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default()
    }

    pub fn helped_list(&self) -> Vec<String> {
        self.helped
            .as_deref()
            .map(|h| h.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect())
            .unwrap_or_default()
    }

    pub fn is_open(&self, now: NaiveDateTime) -> bool {
        now < self.closes_at
    }
}

/// Cases whose survey of `kind` is due: a move-in date in `[from, to]`,
/// the person not erased, open or closed as welcomed, and no survey of
/// that kind yet. Oldest move-in first.
pub fn due_cases(
    conn: &mut Conn,
    kind: Kind,
    from: NaiveDate,
    to: NaiveDate,
    limit: i64,
) -> Result<Vec<CaseId>, Error> {
    let (from, to) = (from.format("%Y-%m-%d").to_string(), to.format("%Y-%m-%d").to_string());
    Ok(cases::table
        .inner_join(persons::table)
        .filter(cases::move_in_date.ge(from))
        .filter(cases::move_in_date.le(to))
        .filter(cases::is_open.eq(true).or(cases::outcome.eq(Outcome::Welcomed.as_str())))
        // The mover said no more messages (their own page).
        .filter(cases::messages_stopped_at.is_null())
        .filter(not(exists(surveys::table.filter(surveys::case_id.eq(cases::id)).filter(surveys::kind.eq(kind)))))
        .order(cases::move_in_date.asc())
        .limit(limit)
        .select(cases::id)
        .load(conn)?)
}

/// Records a survey sent now; returns its id.
pub fn create(
    conn: &mut Conn,
    case_id: &CaseId,
    kind: Kind,
    token_hash: &str,
    now: NaiveDateTime,
    closes_at: NaiveDateTime,
) -> Result<String, Error> {
    let id = new_id();
    diesel::insert_into(surveys::table)
        .values((
            surveys::id.eq(&id),
            surveys::case_id.eq(case_id),
            surveys::kind.eq(kind),
            surveys::token_hash.eq(token_hash),
            surveys::sent_at.eq(now),
            surveys::closes_at.eq(closes_at),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Unanswered, unreminded, still open surveys sent at or before `sent_before`,
/// whose person is not erased.
pub fn to_remind(
    conn: &mut Conn,
    sent_before: NaiveDateTime,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Survey>, Error> {
    Ok(surveys::table
        .inner_join(persons::table.on(persons::case_id.eq(surveys::case_id)))
        .filter(surveys::answered_at.is_null())
        .filter(surveys::reminded_at.is_null())
        .filter(surveys::sent_at.le(sent_before))
        .filter(surveys::closes_at.gt(now))
        .filter(surveys::case_id.eq_any(cases::table.filter(cases::messages_stopped_at.is_null()).select(cases::id)))
        .order(surveys::sent_at.asc())
        .limit(limit)
        .select(Survey::as_select())
        .load(conn)?)
}

/// Marks the reminder sent with its own link; false if another worker did.
pub fn mark_reminded(conn: &mut Conn, id: &str, token_hash: &str, now: NaiveDateTime) -> Result<bool, Error> {
    let n = diesel::update(surveys::table.find(id).filter(surveys::reminded_at.is_null()))
        .set((surveys::reminded_at.eq(Some(now)), surveys::reminder_token_hash.eq(Some(token_hash))))
        .execute(conn)?;
    Ok(n == 1)
}

/// The survey a private link opens, if its person is not erased.
pub fn by_token(conn: &mut Conn, token_hash: &str) -> Result<Option<Survey>, Error> {
    Ok(surveys::table
        .inner_join(persons::table.on(persons::case_id.eq(surveys::case_id)))
        .filter(surveys::token_hash.eq(token_hash).or(surveys::reminder_token_hash.eq(token_hash)))
        .select(Survey::as_select())
        .first(conn)
        .optional()?)
}

/// Stores (or replaces) the answer.
pub fn answer(conn: &mut Conn, id: &str, a: &Answer, now: NaiveDateTime) -> Result<(), Error> {
    let scores = (!a.scores.is_empty()).then(|| serde_json::to_string(&a.scores).unwrap_or_default());
    let helped = (!a.helped.is_empty()).then(|| a.helped.join(","));
    diesel::update(surveys::table.find(id))
        .set((
            surveys::answered_at.eq(Some(now)),
            surveys::scores.eq(scores),
            surveys::helped.eq(helped),
            surveys::residence.eq(a.residence),
            surveys::comment.eq(&a.comment),
        ))
        .execute(conn)?;
    Ok(())
}

/// The case's surveys (for the case page).
pub fn of_case(conn: &mut Conn, case_id: &CaseId) -> Result<Vec<Survey>, Error> {
    Ok(surveys::table
        .filter(surveys::case_id.eq(case_id))
        .order(surveys::sent_at.asc())
        .select(Survey::as_select())
        .load(conn)?)
}

/// A survey as the reports count it: no free text, with the case's
/// grouping keys (areas, campaign, household shape).
#[derive(Debug, Clone)]
pub struct Counted {
    pub survey: Survey,
    pub areas: Vec<String>,
    pub campaign: Option<String>,
    pub adults: i32,
    pub children_count: i32,
}

/// Surveys of `kind` sent in `[from, to)`, without their free text.
pub fn sent_between(
    conn: &mut Conn,
    kind: Kind,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<Counted>, Error> {
    let rows: Vec<(Survey, Option<String>, i32, i32)> = surveys::table
        .inner_join(cases::table)
        .filter(surveys::kind.eq(kind))
        .filter(surveys::sent_at.ge(from))
        .filter(surveys::sent_at.lt(to))
        .select((Survey::as_select(), cases::campaign, cases::adults, cases::children_count))
        .load(conn)?;
    let ids: Vec<&CaseId> = rows.iter().map(|(s, ..)| &s.case_id).collect();
    let areas: Vec<(CaseId, String)> = case_areas::table
        .filter(case_areas::case_id.eq_any(ids))
        .order(case_areas::position.asc())
        .select((case_areas::case_id, case_areas::area_slug))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(mut survey, campaign, adults, children_count)| {
            survey.comment = None;
            let areas = areas.iter().filter(|(c, _)| *c == survey.case_id).map(|(_, a)| a.clone()).collect();
            Counted { survey, areas, campaign, adults, children_count }
        })
        .collect())
}
