//! What the reports read: the anonymous facts of a cohort of cases (by the
//! date received, through the index `cases_created_at`), the ambassadors'
//! referrals and welcome packages, and the facts written at intake and
//! closing. No person is read here: `persons` is never joined.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{case_areas, case_packages, cases};
use super::Conn;
use crate::domain::case::Outcome;
use crate::domain::inquiry::{Housing, Timeframe};
use crate::domain::report::{CloseReason, Facts, Household};
use crate::domain::text::CaseId;
use crate::error::Error;

type FactRow = (
    CaseId,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<Outcome>,
    Option<CloseReason>,
    Option<String>,
    Household,
    Housing,
    Timeframe,
    String,
);

/// The counted outcomes: every case but spam and duplicates.
const LEFT_OUT: [&str; 2] = ["spam", "duplicate"];

/// The facts of every case received in `[from, to)` (UTC instants), spam
/// and duplicates left out, with their areas in the mover's order.
pub fn cohort(conn: &mut Conn, from: NaiveDateTime, to: NaiveDateTime) -> Result<Vec<Facts>, Error> {
    let in_cohort = cases::created_at
        .ge(from)
        .and(cases::created_at.lt(to))
        .and(cases::outcome.is_null().or(cases::outcome.ne_all(LEFT_OUT)));
    let rows: Vec<FactRow> = cases::table
        .filter(in_cohort.clone())
        .select((
            cases::id,
            cases::created_at,
            cases::first_contact_at,
            cases::visit_at,
            cases::move_in_at,
            cases::welcome_package_at,
            cases::closed_at,
            cases::outcome,
            cases::close_reason,
            cases::campaign,
            cases::household,
            cases::housing,
            cases::timeframe,
            cases::moving_from_kind,
        ))
        .load(conn)?;
    let area_rows: Vec<(CaseId, String)> = case_areas::table
        .inner_join(cases::table)
        .filter(in_cohort)
        .order((case_areas::case_id.asc(), case_areas::position.asc()))
        .select((case_areas::case_id, case_areas::area_slug))
        .load(conn)?;
    let mut areas: HashMap<CaseId, Vec<String>> = HashMap::new();
    for (id, slug) in area_rows {
        areas.entry(id).or_default().push(slug);
    }
    Ok(rows
        .into_iter()
        .map(|r| Facts {
            received: r.1,
            first_contact: r.2,
            visit: r.3,
            move_in: r.4,
            welcome_package: r.5,
            closed: r.6,
            outcome: r.7,
            close_reason: r.8,
            areas: areas.remove(&r.0).unwrap_or_default(),
            campaign: r.9,
            household: r.10,
            housing: r.11.as_str().to_string(),
            timeframe: r.12.as_str().to_string(),
            moving_from: r.13,
        })
        .collect())
}

/// Records the household shape a case was received with.
pub fn set_household(conn: &mut Conn, case_id: &CaseId, household: Household) -> Result<(), Error> {
    diesel::update(cases::table.find(case_id)).set(cases::household.eq(household)).execute(conn)?;
    Ok(())
}

/// Records why a case was lost (both optional; called when it closes).
pub fn set_close_reason(
    conn: &mut Conn,
    case_id: &CaseId,
    reason: Option<CloseReason>,
    chose_instead: Option<&str>,
) -> Result<(), Error> {
    diesel::update(cases::table.find(case_id))
        .set((cases::close_reason.eq(reason), cases::chose_instead.eq(chose_instead)))
        .execute(conn)?;
    Ok(())
}

/// Where lost cases of the cohort chose instead: `(place, cases)`, most first.
pub fn chose_instead(conn: &mut Conn, from: NaiveDateTime, to: NaiveDateTime) -> Result<Vec<(String, i64)>, Error> {
    let places: Vec<Option<String>> = cases::table
        .filter(cases::created_at.ge(from).and(cases::created_at.lt(to)))
        .filter(cases::chose_instead.is_not_null())
        .select(cases::chose_instead)
        .load(conn)?;
    let mut counted: HashMap<String, i64> = HashMap::new();
    for p in places.into_iter().flatten() {
        let key = p.trim().to_string();
        if !key.is_empty() {
            *counted.entry(key).or_default() += 1;
        }
    }
    let mut out: Vec<(String, i64)> = counted.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(out)
}

/// One area's referrals to ambassadors and welcome packages.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct AmbassadorFigures {
    pub area: String,
    pub offered: u32,
    pub accepted: u32,
    pub met: u32,
    pub delivered: u32,
    pub overdue: u32,
}

/// What the ambassadors did in `[from, to)`, by the case's areas: referrals
/// offered, accepted and met (from the timeline, so a referral later
/// withdrawn or closed still counts what it reached), packages delivered;
/// and packages prepared before `overdue_before` and not yet delivered.
pub fn ambassadors(
    conn: &mut Conn,
    from: NaiveDateTime,
    to: NaiveDateTime,
    overdue_before: NaiveDateTime,
) -> Result<Vec<AmbassadorFigures>, Error> {
    use super::schema::case_events;
    use crate::domain::case::EventKind;
    let kinds = [EventKind::ReferralOffered, EventKind::ReferralAccepted, EventKind::ReferralMet];
    let events: Vec<(String, EventKind)> = case_events::table
        .inner_join(case_areas::table.on(case_areas::case_id.eq(case_events::case_id)))
        .filter(case_events::kind.eq_any(kinds.map(EventKind::as_str)))
        .filter(case_events::at.ge(from).and(case_events::at.lt(to)))
        .select((case_areas::area_slug, case_events::kind))
        .load(conn)?;
    let mut by_area: std::collections::BTreeMap<String, AmbassadorFigures> = Default::default();
    fn entry<'a>(
        m: &'a mut std::collections::BTreeMap<String, AmbassadorFigures>,
        area: &str,
    ) -> &'a mut AmbassadorFigures {
        m.entry(area.to_string()).or_insert_with(|| AmbassadorFigures { area: area.to_string(), ..Default::default() })
    }
    for (area, kind) in events {
        let e = entry(&mut by_area, &area);
        match kind {
            EventKind::ReferralOffered => e.offered += 1,
            EventKind::ReferralAccepted => e.accepted += 1,
            _ => e.met += 1,
        }
    }
    let delivered: Vec<String> = case_packages::table
        .filter(case_packages::delivered_at.ge(from).and(case_packages::delivered_at.lt(to)))
        .select(case_packages::area_slug)
        .load(conn)?;
    for area in delivered {
        entry(&mut by_area, &area).delivered += 1;
    }
    let overdue: Vec<String> = case_packages::table
        .filter(case_packages::delivered_at.is_null().and(case_packages::prepared_at.lt(overdue_before)))
        .select(case_packages::area_slug)
        .load(conn)?;
    for area in overdue {
        entry(&mut by_area, &area).overdue += 1;
    }
    Ok(by_area.into_values().collect())
}

/// Cases that entered move-in in `[from, to)`, optionally only of one
/// household shape and only those that moved to (or, with no move-in area
/// recorded, chose) one of `areas`.
pub fn moved_in(
    conn: &mut Conn,
    from: NaiveDateTime,
    to: NaiveDateTime,
    household: Option<Household>,
    areas: Option<&[String]>,
) -> Result<u32, Error> {
    let mut q = cases::table
        .filter(cases::move_in_at.ge(from).and(cases::move_in_at.lt(to)))
        .filter(cases::outcome.is_null().or(cases::outcome.ne_all(LEFT_OUT)))
        .into_boxed();
    if let Some(h) = household {
        q = q.filter(cases::household.eq(h));
    }
    if let Some(areas) = areas {
        let chose = case_areas::table.filter(case_areas::area_slug.eq_any(areas.to_vec())).select(case_areas::case_id);
        q = q.filter(
            cases::move_in_area.eq_any(areas.to_vec()).or(cases::move_in_area.is_null().and(cases::id.eq_any(chose))),
        );
    }
    let n: i64 = q.count().get_result(conn)?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

#[derive(QueryableByName)]
struct TotalsRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    received: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    reached_visit: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    reached_move_in: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    reached_welcome_package: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    welcomed: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    lost: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    open: i64,
}

/// The funnel's totals of the cohort `[from, to)` counted in the database:
/// the comparisons (previous period, same period last year) need no more,
/// so they read no rows into the application. The same definitions as
/// `domain::report::Counts` (a test compares the two on the fixed cases).
pub fn totals(conn: &mut Conn, from: NaiveDateTime, to: NaiveDateTime) -> Result<crate::domain::report::Counts, Error> {
    use diesel::sql_types::Timestamp;
    const SQL: &str = "SELECT COUNT(*) AS received, \
        COALESCE(SUM(CASE WHEN visit_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS reached_visit, \
        COALESCE(SUM(CASE WHEN move_in_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS reached_move_in, \
        COALESCE(SUM(CASE WHEN welcome_package_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS reached_welcome_package, \
        COALESCE(SUM(CASE WHEN outcome = 'welcomed' THEN 1 ELSE 0 END), 0) AS welcomed, \
        COALESCE(SUM(CASE WHEN outcome IS NOT NULL AND outcome <> 'welcomed' THEN 1 ELSE 0 END), 0) AS lost, \
        COALESCE(SUM(CASE WHEN outcome IS NULL THEN 1 ELSE 0 END), 0) AS open \
        FROM cases WHERE created_at >= P1 AND created_at < P2 \
        AND (outcome IS NULL OR outcome NOT IN ('spam', 'duplicate'))";
    let row: TotalsRow = match conn {
        Conn::Sqlite(c) => diesel::sql_query(SQL.replace("P1", "?").replace("P2", "?"))
            .bind::<Timestamp, _>(from)
            .bind::<Timestamp, _>(to)
            .get_result(c)?,
        Conn::Pg(c) => diesel::sql_query(SQL.replace("P1", "$1").replace("P2", "$2"))
            .bind::<Timestamp, _>(from)
            .bind::<Timestamp, _>(to)
            .get_result(c)?,
    };
    let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
    Ok(crate::domain::report::Counts {
        received: n(row.received),
        reached_visit: n(row.reached_visit),
        reached_move_in: n(row.reached_move_in),
        reached_welcome_package: n(row.reached_welcome_package),
        welcomed: n(row.welcomed),
        lost: n(row.lost),
        open: n(row.open),
    })
}
