//! The strategy's targets in the report: each goal of `[reports.targets]`
//! with the count so far this year, the year's goal and a plain verdict.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::config::Settings;
use crate::db::Conn;
use crate::domain::report::Household;
use crate::domain::target::{self, Verdict};
use crate::web::pages::{t, t_args, Lang};
use crate::web::reports::Table;

/// One target on the report's clock.
#[derive(Debug, Clone, Serialize)]
pub struct TargetProgress {
    pub slug: String,
    pub name: String,
    pub name_en: Option<String>,
    pub year: i32,
    pub actual: u32,
    pub goal: f64,
    pub baseline: u32,
    pub baseline_year: i32,
    pub verdict: Verdict,
}

/// Every configured target judged on `now` (the municipality's date).
pub fn progress(conn: &mut Conn, s: &Settings, now: NaiveDateTime) -> Result<Vec<TargetProgress>, crate::error::Error> {
    let today = crate::web::reports::today(s, now);
    let mut out = Vec::new();
    for tg in &s.reports.targets {
        let year = target::year_of(today, tg.from_year, tg.to_year);
        let (Some(start), Some(end)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year + 1, 1, 1))
        else {
            continue;
        };
        let period = crate::domain::report::Period { from: start, to: end };
        let (from, to) = period.utc_bounds(s.time_zone);
        let areas: Option<Vec<String>> = tg.area.as_ref().map(|a| match s.reports.group(a) {
            Some(g) => g.areas.clone(),
            None => vec![a.clone()],
        });
        let household = tg.household.as_deref().and_then(Household::parse);
        let actual = crate::db::reports::moved_in(conn, from, to.min(now), household, areas.as_deref())?;
        let goal = target::goal(tg.baseline, tg.baseline_year, tg.growth_percent, year);
        out.push(TargetProgress {
            slug: tg.slug.clone(),
            name: tg.name.clone(),
            name_en: tg.name_en.clone(),
            year,
            actual,
            goal,
            baseline: tg.baseline,
            baseline_year: tg.baseline_year,
            verdict: target::verdict(actual, goal, target::elapsed(year, today)),
        });
    }
    Ok(out)
}

/// The targets' table of the report. Targets are counts for a whole year
/// and the municipality: shown as they are to every reader.
pub fn table(targets: &[TargetProgress], lang: Lang, _s: &Settings) -> Table {
    let rows: Vec<Vec<String>> = targets
        .iter()
        .map(|p| {
            vec![
                if lang == Lang::En { p.name_en.clone().unwrap_or_else(|| p.name.clone()) } else { p.name.clone() },
                p.year.to_string(),
                p.actual.to_string(),
                format!("{:.0}", p.goal),
                format!("{} ({})", p.baseline, p.baseline_year),
                t(lang, &format!("report-verdict-{}", p.verdict.as_str())),
            ]
        })
        .collect();
    let behind = targets.iter().filter(|p| p.verdict == Verdict::Behind).count();
    Table {
        id: "targets".into(),
        title: t(lang, "report-targets"),
        summary: t_args(
            lang,
            "report-targets-summary",
            &[("count", targets.len().to_string()), ("behind", behind.to_string())],
        ),
        head: ["report-target", "report-year", "report-so-far", "report-goal", "report-baseline", "report-verdict"]
            .iter()
            .map(|k| t(lang, k))
            .collect(),
        rows,
        chart: None,
    }
}
