//! The half-year report: `GET /reports` (the page: period picker, funnel,
//! breakdowns, charts drawn here as SVG with their data tables and a text
//! summary, comparisons, ambassadors, losses, campaigns, targets) and
//! `GET /reports/{table}.csv` (each table as CSV for Danish Excel).
//!
//! Staff see exact figures and may choose free dates; reporters choose whole
//! months or half-years and see small groups masked (`domain::report::suppress`).
//! Nothing here reads a person: the facts come from `db::reports`.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::config::Settings;
use crate::db::reports::AmbassadorFigures;
use crate::db::users::User;
use crate::domain::report::{self, By, Cell, Counts, Facts, Keys, Period};
use crate::web::auth::ReportReader;
use crate::web::error::AppError;
use crate::web::pages::{t, t_args, Lang};
use crate::web::{AppState, View};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reports", web::get().to(page)).route("/reports/{table}.csv", web::get().to(csv));
}

/// The breakdowns the page shows, in order.
const BREAKDOWNS: [By; 8] =
    [By::Area, By::AreaGroup, By::Campaign, By::Household, By::Housing, By::Timeframe, By::MovingFrom, By::Month];

/// The minimum group size when `user` must not see small groups (reporters);
/// `None` for staff, who see exact figures.
pub fn masking_for(user: &User, settings: &Settings) -> Option<u32> {
    (!user.role.is_staff()).then_some(settings.reports.min_group_size)
}

/// Today in the municipality.
pub fn today(settings: &Settings, now: NaiveDateTime) -> NaiveDate {
    now.and_utc().with_timezone(&settings.time_zone).date_naive()
}

/// The period asked for: `period=2026-H1|2026-03`, or (staff only) free
/// dates `from` and `to` (both shown days, `to` included); none: the
/// current half-year. `Err` names the message key of what is wrong.
pub fn chosen_period(view: &View, staff: bool, today: NaiveDate) -> Result<Period, &'static str> {
    let key = view.query("period");
    let (from, to) = (view.query("from"), view.query("to"));
    if !key.is_empty() {
        return Period::parse_key(key).ok_or("report-bad-period");
    }
    if from.is_empty() && to.is_empty() {
        return Ok(Period::half_of(today));
    }
    if !staff {
        return Err("report-whole-periods-only");
    }
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let (Some(from), Some(last)) = (day(from), day(to)) else { return Err("report-bad-dates") };
    Period::new(from, last.succ_opt().unwrap_or(last)).ok_or("report-bad-dates")
}

/// What one report reads from the database.
pub struct Loaded {
    pub period: Period,
    pub facts: Vec<Facts>,
    pub previous: Counts,
    pub last_year: Counts,
    pub ambassadors: Vec<AmbassadorFigures>,
    pub chose_instead: Vec<(String, i64)>,
    pub campaigns: Vec<crate::web::campaigns::CampaignFigures>,
    pub targets: Vec<crate::web::targets::TargetProgress>,
}

/// Reads everything the report of `period` shows, in one read transaction.
pub async fn load(state: &AppState, period: Period, now: NaiveDateTime) -> Result<Loaded, AppError> {
    let settings = state.settings.clone();
    Ok(state
        .db
        .read(move |conn| {
            let tz = settings.time_zone;
            let (from, to) = period.utc_bounds(tz);
            let facts = crate::db::reports::cohort(conn, from, to)?;
            let totals_of = |conn: &mut crate::db::Conn, p: Period| {
                let (a, b) = p.utc_bounds(tz);
                crate::db::reports::totals(conn, a, b)
            };
            let previous = totals_of(conn, period.previous())?;
            let last_year = totals_of(conn, period.year_before())?;
            let overdue_before = now - chrono::Duration::days(i64::from(settings.packages.overdue_after_days));
            let ambassadors = crate::db::reports::ambassadors(conn, from, to, overdue_before)?;
            let chose_instead = crate::db::reports::chose_instead(conn, from, to)?;
            let campaigns = crate::web::campaigns::figures(conn, &settings, period, &facts)?;
            let targets = crate::web::targets::progress(conn, &settings, now)?;
            Ok(Loaded { period, facts, previous, last_year, ambassadors, chose_instead, campaigns, targets })
        })
        .await?)
}

/// A table as the page shows it and the CSV downloads it.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub id: String,
    pub title: String,
    /// A sentence for everyone, screen readers included, saying what the
    /// chart shows.
    pub summary: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub chart: Option<Chart>,
}

/// A horizontal bar chart, drawn by the template as SVG.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub height: u32,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub label: String,
    pub value: String,
    /// Width in the chart's units (0–400).
    pub width: u32,
    pub y: u32,
}

const BAR_STEP: u32 = 28;
const BAR_MAX: u32 = 400;

fn chart(items: &[(String, Cell)]) -> Chart {
    let max = items.iter().filter_map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let bars = items
        .iter()
        .enumerate()
        .map(|(i, (label, v))| Bar {
            // The table beside the chart has the whole name.
            label: if label.chars().count() > 24 {
                format!("{}…", label.chars().take(23).collect::<String>())
            } else {
                label.clone()
            },
            value: v.map_or_else(String::new, |n| n.to_string()),
            width: v.map_or(0, |n| (u64::from(n) * u64::from(BAR_MAX) / u64::from(max)) as u32),
            y: u32::try_from(i).unwrap_or(0) * BAR_STEP,
        })
        .collect();
    Chart { height: u32::try_from(items.len()).unwrap_or(0) * BAR_STEP + 4, bars }
}

/// How a count reads: the number, or "< N" when masked.
fn cell_text(c: Cell, min: Option<u32>) -> String {
    match (c, min) {
        (Some(n), _) => n.to_string(),
        (None, Some(m)) => format!("< {m}"),
        (None, None) => String::new(),
    }
}

fn pct_text(p: Option<u32>) -> String {
    p.map_or_else(|| "–".to_string(), |p| format!("{p} %"))
}

fn days_text(d: Option<f64>, lang: Lang) -> String {
    match d {
        Some(d) => {
            let s = format!("{d:.1}");
            if lang == Lang::Da {
                s.replace('.', ",")
            } else {
                s
            }
        }
        None => "–".to_string(),
    }
}

/// The shown name of a breakdown key.
pub fn key_label(by: By, key: &str, settings: &Settings, lang: Lang) -> String {
    if key == report::NONE_KEY {
        return t(lang, &format!("report-none-{}", by.as_str()));
    }
    match by {
        By::Area => settings.area_name(key),
        By::AreaGroup => settings.reports.group(key).map_or_else(
            || key.to_string(),
            |g| if lang == Lang::En { g.name_en.clone().unwrap_or_else(|| g.name.clone()) } else { g.name.clone() },
        ),
        By::Campaign => key.to_string(),
        By::Household => t(lang, &format!("report-household-{key}")),
        By::Housing => t(lang, &format!("housing-{key}")),
        By::Timeframe => t(lang, &format!("timeframe-{}", key.replace('+', "plus"))),
        By::MovingFrom => t(lang, &format!("report-origin-{key}")),
        By::Month => key.to_string(),
    }
}

fn count_heads(lang: Lang) -> Vec<String> {
    Counts::FIELDS.iter().map(|f| t(lang, &format!("report-{}", f.replace('_', "-")))).collect()
}

/// Masks the single counts of a table for reporters (primary suppression).
fn one(n: u32, min: Option<u32>) -> String {
    cell_text(min.map_or(Some(n), |m| report::mask(n, m)), min)
}

/// Every table of the report, in the page's order.
pub fn tables(l: &Loaded, settings: &Settings, lang: Lang, min: Option<u32>) -> Vec<Table> {
    let groups = settings.reports.group_members();
    let keys = Keys { tz: settings.time_zone, area_groups: &groups };
    let mut out = Vec::new();

    // The funnel with conversions and comparisons.
    let main = report::funnel(&l.facts, By::Household, &keys);
    let mask_totals = |c: &Counts| -> [Cell; 7] {
        let f = report::Funnel { by: By::Household, rows: vec![], totals: *c };
        match min {
            Some(m) => report::suppress(&f, m).totals,
            None => c.values().map(Some),
        }
    };
    let (now_cells, prev_cells, last_cells) =
        (mask_totals(&main.totals), mask_totals(&l.previous), mask_totals(&l.last_year));
    let v = main.totals.values();
    // From the stage before: the visit may be skipped, so move-in is
    // measured from received as the visit is.
    let conversion = [
        None,
        report::percent(v[1], v[0]),
        report::percent(v[2], v[0]),
        report::percent(v[3], v[2]),
        report::percent(v[4], v[3]),
        None,
        None,
    ];
    let heads = count_heads(lang);
    let mut rows = Vec::new();
    for i in 0..7 {
        let conv = if min.is_some() && now_cells[i].is_none() { "–".to_string() } else { pct_text(conversion[i]) };
        rows.push(vec![
            heads[i].clone(),
            cell_text(now_cells[i], min),
            conv,
            cell_text(prev_cells[i], min),
            cell_text(last_cells[i], min),
        ]);
    }
    let funnel_bars: Vec<(String, Cell)> = (0..5).map(|i| (heads[i].clone(), now_cells[i])).collect();
    out.push(Table {
        id: "funnel".into(),
        title: t(lang, "report-funnel"),
        summary: t_args(
            lang,
            "report-funnel-summary",
            &[
                ("received", cell_text(now_cells[0], min)),
                ("welcomed", cell_text(now_cells[4], min)),
                ("open", cell_text(now_cells[6], min)),
            ],
        ),
        head: vec![
            t(lang, "report-stage"),
            t(lang, "report-this-period"),
            t(lang, "report-conversion"),
            t(lang, "report-previous-period"),
            t(lang, "report-last-year"),
        ],
        rows,
        chart: Some(chart(&funnel_bars)),
    });

    // How long it takes.
    let timing = report::timing(&l.facts, settings.queue.first_contact_goal_working_days, settings.time_zone);
    let stages = ["information", "visit", "move_in", "welcome_package"];
    let mut rows = vec![vec![t(lang, "report-to-first-contact"), days_text(timing.to_first_contact, lang)]];
    for (i, s) in stages.iter().enumerate() {
        rows.push(vec![
            t_args(lang, "report-days-in", &[("stage", t(lang, &format!("stage-{s}")))]),
            days_text(timing.in_stage[i], lang),
        ]);
    }
    let within = report::percent(timing.within_goal, timing.of);
    rows.push(vec![
        t_args(lang, "report-within-goal", &[("days", settings.queue.first_contact_goal_working_days.to_string())]),
        pct_text(within),
    ]);
    out.push(Table {
        id: "timing".into(),
        title: t(lang, "report-timing"),
        summary: t_args(lang, "report-timing-summary", &[("share", pct_text(within))]),
        head: vec![t(lang, "report-measure"), t(lang, "report-median-days")],
        rows,
        chart: None,
    });

    // The breakdowns.
    for by in BREAKDOWNS {
        if by == By::AreaGroup && groups.is_empty() {
            continue;
        }
        let mut f = report::funnel(&l.facts, by, &keys);
        if by == By::Area {
            // Areas in the configuration's order, then any others.
            let pos = |k: &str| settings.areas.iter().position(|a| a.slug == k).unwrap_or(usize::MAX);
            f.rows.sort_by_key(|r| (pos(&r.key), r.key.clone()));
        }
        if by == By::Month {
            // Every month of the period, also those without a case.
            for m in l.period.month_keys() {
                if !f.rows.iter().any(|r| r.key == m) {
                    f.rows.push(report::Row { key: m, counts: Counts::default() });
                }
            }
            f.rows.sort_by(|a, b| a.key.cmp(&b.key));
        }
        let masked = match min {
            Some(m) => report::suppress(&f, m),
            None => report::Masked {
                rows: f
                    .rows
                    .iter()
                    .map(|r| report::MaskedRow {
                        key: r.key.clone(),
                        cells: r.counts.values().map(Some),
                        suppressed: false,
                    })
                    .collect(),
                totals: f.totals.values().map(Some),
            },
        };
        let mut head = vec![t(lang, &format!("report-by-{}", by.as_str().replace('_', "-")))];
        head.extend(count_heads(lang));
        let mut rows: Vec<Vec<String>> = masked
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![key_label(by, &r.key, settings, lang)];
                row.extend(r.cells.iter().map(|c| cell_text(*c, min)));
                row
            })
            .collect();
        let mut total = vec![t(lang, "report-total")];
        total.extend(masked.totals.iter().map(|c| cell_text(*c, min)));
        rows.push(total);
        let bars: Vec<(String, Cell)> =
            masked.rows.iter().map(|r| (key_label(by, &r.key, settings, lang), r.cells[0])).collect();
        let biggest = masked.rows.iter().filter(|r| r.key != report::NONE_KEY).max_by_key(|r| r.cells[0]);
        let summary = match biggest {
            Some(r) if r.cells[0].is_some_and(|n| n > 0) => t_args(
                lang,
                "report-by-summary",
                &[("key", key_label(by, &r.key, settings, lang)), ("received", cell_text(r.cells[0], min))],
            ),
            _ => t(lang, "report-by-summary-empty"),
        };
        out.push(Table {
            id: format!("by-{}", by.as_str().replace('_', "-")),
            title: t(lang, &format!("report-title-by-{}", by.as_str().replace('_', "-"))),
            summary,
            head,
            rows,
            chart: Some(chart(&bars)),
        });
    }

    // Why cases were lost.
    let losses = report::losses(&l.facts);
    let mut rows: Vec<Vec<String>> = losses
        .by_outcome
        .iter()
        .map(|(o, n)| vec![t(lang, "report-outcome"), t(lang, &format!("outcome-{o}")), one(*n, min)])
        .collect();
    rows.extend(losses.by_reason.iter().map(|(r, n)| {
        let label =
            if r == report::NONE_KEY { t(lang, "report-no-reason") } else { t(lang, &format!("close-reason-{r}")) };
        vec![t(lang, "report-reason"), label, one(*n, min)]
    }));
    rows.extend(l.chose_instead.iter().map(|(place, n)| {
        vec![t(lang, "report-chose-instead"), place.clone(), one(u32::try_from(*n).unwrap_or(u32::MAX), min)]
    }));
    let lost_total: u32 = losses.by_outcome.values().sum();
    out.push(Table {
        id: "losses".into(),
        title: t(lang, "report-losses"),
        summary: t_args(lang, "report-losses-summary", &[("lost", one(lost_total, min))]),
        head: vec![t(lang, "report-kind"), t(lang, "report-what"), t(lang, "report-cases")],
        rows,
        chart: None,
    });

    // Ambassadors and welcome packages.
    let rows: Vec<Vec<String>> = l
        .ambassadors
        .iter()
        .map(|a| {
            vec![
                settings.area_name(&a.area),
                one(a.offered, min),
                one(a.accepted, min),
                one(a.met, min),
                one(a.delivered, min),
                one(a.overdue, min),
            ]
        })
        .collect();
    let offered: u32 = l.ambassadors.iter().map(|a| a.offered).sum();
    let delivered: u32 = l.ambassadors.iter().map(|a| a.delivered).sum();
    out.push(Table {
        id: "ambassadors".into(),
        title: t(lang, "report-ambassadors"),
        summary: t_args(
            lang,
            "report-ambassadors-summary",
            &[("offered", one(offered, min)), ("delivered", one(delivered, min))],
        ),
        head: ["report-area", "report-offered", "report-accepted", "report-met", "report-delivered", "report-overdue"]
            .iter()
            .map(|k| t(lang, k))
            .collect(),
        rows,
        chart: None,
    });

    out.push(crate::web::campaigns::table(&l.campaigns, lang, min));
    out.push(crate::web::targets::table(&l.targets, lang, settings));
    out
}

#[derive(Serialize)]
struct PeriodOption {
    key: String,
    selected: bool,
}

/// GET /reports — the report page (`period=2026-H1|2026-03`, staff also
/// `from`/`to`).
pub async fn page(view: View, ReportReader(me): ReportReader) -> Result<HttpResponse, AppError> {
    let state = view.state.clone();
    let now = crate::db::now();
    let today = today(&state.settings, now);
    let staff = me.role.is_staff();
    let (period, problem) = match chosen_period(&view, staff, today) {
        Ok(p) => (p, None),
        Err(key) => (Period::half_of(today), Some(t(view.lang, key))),
    };
    let loaded = load(&state, period, now).await?;
    let min = masking_for(&me, &state.settings);
    let tables = tables(&loaded, &state.settings, view.lang, min);
    let mut ctx = view.context(Some(&me));
    ctx.insert("nav_active", "reports");
    ctx.insert("tables", &tables);
    ctx.insert("problem", &problem);
    ctx.insert("staff", &staff);
    ctx.insert("min_group", &state.settings.reports.min_group_size);
    ctx.insert("period_from", &crate::web::staff::shown_date(&period.from.to_string()));
    ctx.insert("period_to", &crate::web::staff::shown_date(&period.to.pred_opt().unwrap_or(period.to).to_string()));
    ctx.insert("printed", &crate::web::staff::local_time(now, state.settings.time_zone));
    ctx.insert("query", &period_query(&period));
    let selected = period.key().unwrap_or_default();
    let mut halves = Vec::new();
    let mut months = Vec::new();
    for back in 0..6 {
        let h = Period::half_of(today);
        let mut p = h;
        for _ in 0..back {
            p = p.previous();
        }
        let key = p.key().unwrap_or_default();
        halves.push(PeriodOption { selected: key == selected, key });
    }
    let mut m = Period::month(today.year(), today.month()).unwrap_or(period);
    for _ in 0..24 {
        let key = m.key().unwrap_or_default();
        months.push(PeriodOption { selected: key == selected, key });
        m = m.previous();
    }
    ctx.insert("halves", &halves);
    ctx.insert("months", &months);
    ctx.insert("free_from", &if period.key().is_none() { period.from.to_string() } else { String::new() });
    ctx.insert(
        "free_to",
        &if period.key().is_none() { period.to.pred_opt().unwrap_or(period.to).to_string() } else { String::new() },
    );
    let status =
        if problem.is_some() { actix_web::http::StatusCode::BAD_REQUEST } else { actix_web::http::StatusCode::OK };
    view.page(status, "reports/report.html", &ctx)
}

/// The query string that names `period` (for the CSV links).
fn period_query(p: &Period) -> String {
    match p.key() {
        Some(k) => format!("period={k}"),
        None => format!("from={}&to={}", p.from, p.to.pred_opt().unwrap_or(p.to)),
    }
}

/// GET /reports/{table}.csv — one table of the report as CSV: UTF-8 with a
/// byte-order mark and semicolons (Danish Excel), formulas neutralised.
pub async fn csv(
    view: View,
    path: web::Path<String>,
    ReportReader(me): ReportReader,
) -> Result<HttpResponse, AppError> {
    let state = view.state.clone();
    let now = crate::db::now();
    let period = chosen_period(&view, me.role.is_staff(), today(&state.settings, now))
        .map_err(|key| AppError::BadRequest(t(Lang::En, key)))?;
    let id = path.into_inner();
    let loaded = load(&state, period, now).await?;
    let tables = tables(&loaded, &state.settings, view.lang, masking_for(&me, &state.settings));
    let table = tables.into_iter().find(|tb| tb.id == id).ok_or(AppError::NotFound)?;
    let name = format!(
        "velkomst-{}-{}.csv",
        table.id,
        period.key().unwrap_or_else(|| format!("{}_{}", period.from, period.to))
    );
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .body(to_csv(&table)))
}

/// A table as CSV for Danish Excel: BOM, `;` between cells, quoted where
/// needed, and every cell that a spreadsheet would read as a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) prefixed
/// with `'` so it stays text.
pub fn to_csv(table: &Table) -> String {
    let mut out = String::from("\u{feff}");
    for row in std::iter::once(&table.head).chain(&table.rows) {
        let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(";"));
        out.push_str("\r\n");
    }
    out
}

pub fn csv_cell(value: &str) -> String {
    let mut v = value.to_string();
    if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        v.insert(0, '\'');
    }
    if v.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_neutralised_and_quoted() {
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_cell("+45 1234"), "'+45 1234");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@cmd"), "'@cmd");
        assert_eq!(csv_cell("Præstø; syd"), "\"Præstø; syd\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("< 5"), "< 5");
        let tb = Table {
            id: "x".into(),
            title: String::new(),
            summary: String::new(),
            head: vec!["a".into(), "b".into()],
            rows: vec![vec!["1".into(), "=2".into()]],
            chart: None,
        };
        assert_eq!(to_csv(&tb), "\u{feff}a;b\r\n1;'=2\r\n");
    }
}
