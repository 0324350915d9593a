//! The half-year report, computed from each case's anonymous facts (stage
//! dates, areas, household shape, campaign, outcome). Pure: `db::reports`
//! loads the facts of a cohort, this counts them, the web shows them. The
//! definitions are CONTRACT.md's ("Reports"):
//!
//! - cohort: cases received on local dates in `[from, to)`;
//! - `reached_X`: the case has at some time entered stage X (a skipped
//!   visit is not a visit);
//! - `welcomed` / `lost` / `open`: now closed as welcomed / closed with any
//!   other outcome / not closed;
//! - cases closed as `spam` or `duplicate` are in no count.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::case::Outcome;
use super::text::text_enum;

text_enum!(
    /// The household's shape at intake.
    #[derive(PartialOrd, Ord)]
    pub enum Household as "household" {
        FamilyWithChildren = "family_with_children", Couple = "couple", Single = "single", Other = "other",
    }
);

impl Household {
    /// At least one child under 18 at intake: a family with children;
    /// otherwise two adults are a couple, one is single, more are other.
    /// A birth year alone cannot tell 17 from 18, so a child born
    /// `intake_year - 18` counts as grown up (the form's rule lets no older
    /// child in).
    pub fn of(adults: i32, children_birth_years: &[i32], intake_year: i32) -> Household {
        if children_birth_years.iter().any(|y| intake_year - y < 18) {
            Household::FamilyWithChildren
        } else {
            match adults {
                2 => Household::Couple,
                1 => Household::Single,
                _ => Household::Other,
            }
        }
    }
}

text_enum!(
    /// Why a case was lost, given when closing it (optional).
    pub enum CloseReason as "close reason" {
        Housing = "housing", Job = "job", Schools = "schools", Transport = "transport",
        Price = "price", Personal = "personal", Other = "other",
    }
);

text_enum!(
    /// What a funnel is broken down by. The API takes the first four
    /// (CONTRACT); the page shows them all.
    pub enum By as "breakdown" {
        Area = "area", Campaign = "campaign", Household = "household", Month = "month",
        Housing = "housing", Timeframe = "timeframe", MovingFrom = "moving_from", AreaGroup = "area_group",
    }
);

/// The key of a case without a value for the breakdown (no area, no campaign).
pub const NONE_KEY: &str = "none";

/// A period of whole local dates, `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// `None` unless `from < to`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Option<Period> {
        (from < to).then_some(Period { from, to })
    }

    /// H1 (January–June) or H2 (July–December) of `year`.
    pub fn half(year: i32, second: bool) -> Option<Period> {
        let from = NaiveDate::from_ymd_opt(year, if second { 7 } else { 1 }, 1)?;
        Some(Period { from, to: from.checked_add_months(Months::new(6))? })
    }

    pub fn month(year: i32, month: u32) -> Option<Period> {
        let from = NaiveDate::from_ymd_opt(year, month, 1)?;
        Some(Period { from, to: from.checked_add_months(Months::new(1))? })
    }

    /// The half-year that holds `day`.
    pub fn half_of(day: NaiveDate) -> Period {
        let from = NaiveDate::from_ymd_opt(day.year(), if day.month() > 6 { 7 } else { 1 }, 1).unwrap_or(day);
        Period { from, to: from.checked_add_months(Months::new(6)).unwrap_or(day) }
    }

    /// A named period: `2026-H1`, `2026-H2` or a month `2026-03`.
    pub fn parse_key(key: &str) -> Option<Period> {
        let (year, rest) = key.split_once('-')?;
        let year: i32 = year.parse().ok().filter(|y| (2000..=2100).contains(y))?;
        match rest {
            "H1" | "h1" => Period::half(year, false),
            "H2" | "h2" => Period::half(year, true),
            m if m.len() == 2 => Period::month(year, m.parse().ok()?),
            _ => None,
        }
    }

    /// `2026-H1`, `2026-03`, or `None` for free dates.
    pub fn key(&self) -> Option<String> {
        let months = self.months();
        if self.from.day() != 1 {
            return None;
        }
        match months {
            Some(1) => Some(self.from.format("%Y-%m").to_string()),
            Some(6) if matches!(self.from.month(), 1 | 7) => {
                Some(format!("{}-H{}", self.from.year(), if self.from.month() == 1 { 1 } else { 2 }))
            }
            _ => None,
        }
    }

    /// Whole months or a half-year: the only periods a reporter may choose,
    /// so that no difference of two reports singles out a person.
    pub fn is_month_or_half(&self) -> bool {
        self.key().is_some()
    }

    fn months(&self) -> Option<u32> {
        (1..=12).find(|m| self.from.checked_add_months(Months::new(*m)) == Some(self.to))
    }

    /// The period of the same length just before this one (the half-year
    /// or month before; free dates: as many days before).
    pub fn previous(&self) -> Period {
        match self.months() {
            Some(m) if self.from.day() == 1 => {
                Period { from: self.from.checked_sub_months(Months::new(m)).unwrap_or(self.from), to: self.from }
            }
            _ => Period { from: self.from - (self.to - self.from), to: self.from },
        }
    }

    /// The same period a year earlier.
    pub fn year_before(&self) -> Period {
        let back = |d: NaiveDate| d.checked_sub_months(Months::new(12)).unwrap_or(d);
        Period { from: back(self.from), to: back(self.to) }
    }

    /// The period's bounds as UTC instants: local midnight of `from` and of `to`.
    pub fn utc_bounds(&self, tz: Tz) -> (NaiveDateTime, NaiveDateTime) {
        (local_midnight_utc(self.from, tz), local_midnight_utc(self.to, tz))
    }

    /// The local months the period touches, `YYYY-MM`, in order.
    pub fn month_keys(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut d = NaiveDate::from_ymd_opt(self.from.year(), self.from.month(), 1).unwrap_or(self.from);
        while d < self.to {
            out.push(d.format("%Y-%m").to_string());
            let Some(next) = d.checked_add_months(Months::new(1)) else { break };
            d = next;
        }
        out
    }
}

fn local_midnight_utc(day: NaiveDate, tz: Tz) -> NaiveDateTime {
    let local = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&local).earliest().map_or(local, |t| t.with_timezone(&Utc).naive_utc())
}

/// What the report knows about one case: no person, only facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// When it was received (UTC).
    pub received: NaiveDateTime,
    pub first_contact: Option<NaiveDateTime>,
    /// When each stage was first entered (UTC).
    pub visit: Option<NaiveDateTime>,
    pub move_in: Option<NaiveDateTime>,
    pub welcome_package: Option<NaiveDateTime>,
    pub closed: Option<NaiveDateTime>,
    pub outcome: Option<Outcome>,
    pub close_reason: Option<CloseReason>,
    pub areas: Vec<String>,
    pub campaign: Option<String>,
    pub household: Household,
    pub housing: String,
    pub timeframe: String,
    pub moving_from: String,
}

impl Facts {
    /// Spam and duplicates are no one's inquiry: they are in no count.
    pub fn counts(&self) -> bool {
        !matches!(self.outcome, Some(Outcome::Spam | Outcome::Duplicate))
    }

    /// The local month of receipt, `YYYY-MM`.
    pub fn month(&self, tz: Tz) -> String {
        self.received.and_utc().with_timezone(&tz).format("%Y-%m").to_string()
    }
}

/// The funnel's seven counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub received: u32,
    pub reached_visit: u32,
    pub reached_move_in: u32,
    pub reached_welcome_package: u32,
    pub welcomed: u32,
    pub lost: u32,
    pub open: u32,
}

impl Counts {
    /// The field names, in the order of [`Counts::values`].
    pub const FIELDS: [&'static str; 7] =
        ["received", "reached_visit", "reached_move_in", "reached_welcome_package", "welcomed", "lost", "open"];

    pub fn values(&self) -> [u32; 7] {
        [
            self.received,
            self.reached_visit,
            self.reached_move_in,
            self.reached_welcome_package,
            self.welcomed,
            self.lost,
            self.open,
        ]
    }

    fn add(&mut self, f: &Facts) {
        self.received += 1;
        self.reached_visit += u32::from(f.visit.is_some());
        self.reached_move_in += u32::from(f.move_in.is_some());
        self.reached_welcome_package += u32::from(f.welcome_package.is_some());
        match f.outcome {
            None => self.open += 1,
            Some(Outcome::Welcomed) => self.welcomed += 1,
            Some(_) => self.lost += 1,
        }
    }
}

/// One line of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub key: String,
    pub counts: Counts,
}

/// A funnel broken down by one dimension, with totals that count each
/// case once (by area a case counts under each of its areas).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Funnel {
    pub by: By,
    pub rows: Vec<Row>,
    pub totals: Counts,
}

/// How the keys of a breakdown are found: the time zone for months and the
/// configured area groups (`(slug, member areas)`).
#[derive(Debug, Clone, Copy)]
pub struct Keys<'a> {
    pub tz: Tz,
    pub area_groups: &'a [(String, Vec<String>)],
}

fn keys_of(f: &Facts, by: By, k: &Keys) -> Vec<String> {
    let or_none = |v: Option<&str>| v.filter(|s| !s.is_empty()).unwrap_or(NONE_KEY).to_string();
    match by {
        By::Area if f.areas.is_empty() => vec![NONE_KEY.to_string()],
        By::Area => f.areas.clone(),
        By::Campaign => vec![or_none(f.campaign.as_deref())],
        By::Household => vec![f.household.as_str().to_string()],
        By::Month => vec![f.month(k.tz)],
        By::Housing => vec![f.housing.clone()],
        By::Timeframe => vec![f.timeframe.clone()],
        By::MovingFrom => vec![f.moving_from.clone()],
        By::AreaGroup => {
            let groups: Vec<String> = k
                .area_groups
                .iter()
                .filter(|(_, members)| members.iter().any(|m| f.areas.contains(m)))
                .map(|(slug, _)| slug.clone())
                .collect();
            if groups.is_empty() {
                vec![NONE_KEY.to_string()]
            } else {
                groups
            }
        }
    }
}

/// Counts the cohort `facts` by `by`. Rows come in key order (months are
/// then in time order); the caller orders them otherwise if it likes.
pub fn funnel(facts: &[Facts], by: By, keys: &Keys) -> Funnel {
    let mut rows: BTreeMap<String, Counts> = BTreeMap::new();
    let mut totals = Counts::default();
    for f in facts.iter().filter(|f| f.counts()) {
        totals.add(f);
        let mut ks = keys_of(f, by, keys);
        ks.dedup();
        for key in ks {
            rows.entry(key).or_default().add(f);
        }
    }
    Funnel { by, rows: rows.into_iter().map(|(key, counts)| Row { key, counts }).collect(), totals }
}

/// A count as a reporter sees it: `None` when it is below the minimum
/// group size (1 to `min` − 1) or would let one be worked out.
pub type Cell = Option<u32>;

/// A row with small groups masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskedRow {
    pub key: String,
    pub cells: [Cell; 7],
    pub suppressed: bool,
}

/// The funnel as a reporter sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masked {
    pub rows: Vec<MaskedRow>,
    pub totals: [Cell; 7],
}

/// Whether `n` is a small group: at least one and below `min`.
pub fn is_small(n: u32, min: u32) -> bool {
    n > 0 && n < min
}

/// One count, masked when small.
pub fn mask(n: u32, min: u32) -> Cell {
    (!is_small(n, min)).then_some(n)
}

/// Indices of welcomed, lost and open: they add up to received.
const PARTS: [usize; 3] = [4, 5, 6];

/// Masks a row's `welcomed`/`lost`/`open` further while exactly one of
/// them is masked and `received` is shown (it would be `received` minus
/// the other two): the smallest shown one is masked too.
fn protect_parts(cells: &mut [Cell; 7], values: &[u32; 7]) -> bool {
    let masked = PARTS.iter().filter(|&&i| cells[i].is_none()).count();
    if masked != 1 || cells[0].is_none() {
        return false;
    }
    let Some(&i) = PARTS.iter().filter(|&&i| cells[i].is_some()).min_by_key(|&&i| values[i]) else { return false };
    cells[i] = None;
    true
}

/// Small-group suppression for readers who must not single out a person:
/// every count from 1 to `min` − 1 is masked (primary); then, until nothing
/// changes, a column with exactly one masked cell gets a second one (the
/// smallest other non-zero cell, else a zero; the totals are the same in every
/// breakdown, so hiding a total alone would not help), and within a row
/// (and the totals) the parts that add up to `received` are protected the
/// same way. Zero is shown: an empty group singles out no one.
pub fn suppress(f: &Funnel, min: u32) -> Masked {
    let values: Vec<[u32; 7]> = f.rows.iter().map(|r| r.counts.values()).collect();
    let mut cells: Vec<[Cell; 7]> = values.iter().map(|v| v.map(|n| mask(n, min))).collect();
    let total_values = f.totals.values();
    let mut totals = total_values.map(|n| mask(n, min));
    loop {
        let mut changed = false;
        for (row, v) in cells.iter_mut().zip(&values) {
            changed |= protect_parts(row, v);
        }
        for col in 0..7 {
            // One hidden cell in a column would be the total (shown in the
            // overall funnel) minus the rest: hide the smallest other
            // non-zero cell too, or else the total.
            let hidden = cells.iter().filter(|r| r[col].is_none()).count();
            if hidden != 1 || totals[col].is_none() {
                continue;
            }
            // A zero only when no other cell is left: a hidden zero cannot
            // be told from a small group.
            let other = (0..cells.len())
                .filter(|&r| cells[r][col].is_some())
                .min_by_key(|&r| (values[r][col] == 0, values[r][col]));
            match other {
                Some(r) => cells[r][col] = None,
                None => totals[col] = None,
            }
            changed = true;
        }
        changed |= protect_parts(&mut totals, &total_values);
        if !changed {
            break;
        }
    }
    let rows = f
        .rows
        .iter()
        .zip(cells)
        .map(|(r, c)| MaskedRow { key: r.key.clone(), suppressed: c.iter().any(Option::is_none), cells: c })
        .collect();
    Masked { rows, totals }
}

/// Conversion from one count to the next as a whole percentage.
pub fn percent(part: u32, whole: u32) -> Option<u32> {
    (whole > 0).then(|| ((f64::from(part) * 100.0) / f64::from(whole)).round() as u32)
}

/// How long things take in the cohort, in days (medians), and how many
/// were answered within the response-time goal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timing {
    pub to_first_contact: Option<f64>,
    /// Days in information, visit, move-in and welcome package before the
    /// case moved on (only cases that moved on).
    pub in_stage: [Option<f64>; 4],
    /// Cases first contacted within the goal's working days.
    pub within_goal: u32,
    /// Cases of the cohort (each counts against the goal).
    pub of: u32,
}

fn days_between(a: NaiveDateTime, b: NaiveDateTime) -> f64 {
    (b - a).num_seconds() as f64 / 86_400.0
}

/// The median, rounded to a tenth of a day.
pub fn median(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    let m = if n % 2 == 1 { xs[n / 2] } else { (xs[n / 2 - 1] + xs[n / 2]) / 2.0 };
    Some((m * 10.0).round() / 10.0)
}

pub fn timing(facts: &[Facts], goal_working_days: u32, tz: Tz) -> Timing {
    let cohort: Vec<&Facts> = facts.iter().filter(|f| f.counts()).collect();
    let spans = |pick: &dyn Fn(&Facts) -> Option<(NaiveDateTime, NaiveDateTime)>| {
        median(cohort.iter().filter_map(|f| pick(f)).map(|(a, b)| days_between(a, b)).collect())
    };
    let welcomed_at = |f: &Facts| f.closed.filter(|_| f.outcome == Some(Outcome::Welcomed));
    let in_stage = [
        spans(&|f| Some((f.received, f.visit.or(f.move_in)?))),
        spans(&|f| Some((f.visit?, f.move_in?))),
        spans(&|f| Some((f.move_in?, f.welcome_package?))),
        spans(&|f| Some((f.welcome_package?, welcomed_at(f)?))),
    ];
    let within_goal = cohort
        .iter()
        .filter(|f| {
            f.first_contact.is_some_and(|fc| {
                super::workdays::cutoff(fc.and_utc(), goal_working_days, tz).naive_utc() <= f.received
            })
        })
        .count();
    Timing {
        to_first_contact: spans(&|f| Some((f.received, f.first_contact?))),
        in_stage,
        within_goal: u32::try_from(within_goal).unwrap_or(u32::MAX),
        of: u32::try_from(cohort.len()).unwrap_or(u32::MAX),
    }
}

/// Why cases were lost: counts by outcome and by the reason given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Losses {
    pub by_outcome: BTreeMap<String, u32>,
    /// `none` for a case closed without a reason.
    pub by_reason: BTreeMap<String, u32>,
}

pub fn losses(facts: &[Facts]) -> Losses {
    let mut out = Losses::default();
    for f in facts.iter().filter(|f| f.counts()) {
        match f.outcome {
            None | Some(Outcome::Welcomed) => {}
            Some(o) => {
                *out.by_outcome.entry(o.as_str().to_string()).or_default() += 1;
                let reason = f.close_reason.map_or(NONE_KEY, CloseReason::as_str);
                *out.by_reason.entry(reason.to_string()).or_default() += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz() -> Tz {
        "Europe/Copenhagen".parse().expect("zone")
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time")
    }

    fn case(received: &str) -> Facts {
        Facts {
            received: at(received),
            first_contact: None,
            visit: None,
            move_in: None,
            welcome_package: None,
            closed: None,
            outcome: None,
            close_reason: None,
            areas: vec![],
            campaign: None,
            household: Household::Single,
            housing: "buy".into(),
            timeframe: "0-6m".into(),
            moving_from: "unknown".into(),
        }
    }

    /// Ten cases of the first half of 2026 with known stage dates.
    fn fixed() -> Vec<Facts> {
        let mut v = Vec::new();
        // 1: welcomed, Stege, campaign "sommer", a family.
        let mut c = case("2026-01-05 09:00");
        c.first_contact = Some(at("2026-01-06 10:00"));
        c.visit = Some(at("2026-01-15 09:00"));
        c.move_in = Some(at("2026-02-01 09:00"));
        c.welcome_package = Some(at("2026-03-01 09:00"));
        c.closed = Some(at("2026-03-11 09:00"));
        c.outcome = Some(Outcome::Welcomed);
        c.areas = vec!["stege".into(), "bogoe".into()];
        c.campaign = Some("sommer".into());
        c.household = Household::FamilyWithChildren;
        v.push(c);
        // 2: skipped the visit, in move-in, Stege, sommer, couple.
        let mut c = case("2026-01-20 12:00");
        c.first_contact = Some(at("2026-01-27 12:00"));
        c.move_in = Some(at("2026-02-20 12:00"));
        c.areas = vec!["stege".into()];
        c.campaign = Some("sommer".into());
        c.household = Household::Couple;
        v.push(c);
        // 3: chose elsewhere after a visit (reason: job), Præstø.
        let mut c = case("2026-02-02 08:00");
        c.first_contact = Some(at("2026-02-02 15:00"));
        c.visit = Some(at("2026-02-10 08:00"));
        c.closed = Some(at("2026-03-01 08:00"));
        c.outcome = Some(Outcome::ChoseElsewhere);
        c.close_reason = Some(CloseReason::Job);
        c.areas = vec!["praestoe".into()];
        v.push(c);
        // 4: no response, no area, no campaign.
        let mut c = case("2026-03-31 21:30"); // 23:30 local: still March
        c.closed = Some(at("2026-05-01 08:00"));
        c.outcome = Some(Outcome::NoResponse);
        v.push(c);
        // 5, 6: spam and a duplicate: in no count.
        let mut c = case("2026-04-01 08:00");
        c.outcome = Some(Outcome::Spam);
        c.areas = vec!["stege".into()];
        v.push(c);
        let mut c = case("2026-04-02 08:00");
        c.outcome = Some(Outcome::Duplicate);
        v.push(c);
        // 7–10: open in information, Stege, from a flyer "flyer".
        for day in ["2026-05-04 09:00", "2026-05-05 09:00", "2026-06-01 09:00", "2026-06-30 20:00"] {
            let mut c = case(day);
            c.areas = vec!["stege".into()];
            c.campaign = Some("flyer".into());
            c.household = Household::FamilyWithChildren;
            v.push(c);
        }
        v
    }

    fn keys() -> Keys<'static> {
        Keys { tz: tz(), area_groups: &[] }
    }

    fn counts(v: [u32; 7]) -> Counts {
        Counts {
            received: v[0],
            reached_visit: v[1],
            reached_move_in: v[2],
            reached_welcome_package: v[3],
            welcomed: v[4],
            lost: v[5],
            open: v[6],
        }
    }

    fn row<'a>(f: &'a Funnel, key: &str) -> &'a Counts {
        &f.rows.iter().find(|r| r.key == key).unwrap_or_else(|| panic!("row {key}")).counts
    }

    #[test]
    fn the_funnel_of_the_fixed_cases_by_area() {
        let f = funnel(&fixed(), By::Area, &keys());
        assert_eq!(f.totals, counts([8, 2, 2, 1, 1, 2, 5]), "spam and duplicate left out");
        assert_eq!(*row(&f, "stege"), counts([6, 1, 2, 1, 1, 0, 5]));
        assert_eq!(*row(&f, "bogoe"), counts([1, 1, 1, 1, 1, 0, 0]));
        assert_eq!(*row(&f, "praestoe"), counts([1, 1, 0, 0, 0, 1, 0]));
        assert_eq!(*row(&f, "none"), counts([1, 0, 0, 0, 0, 1, 0]));
        assert_eq!(f.rows.len(), 4);
    }

    #[test]
    fn by_campaign_household_and_month() {
        let c = funnel(&fixed(), By::Campaign, &keys());
        assert_eq!(*row(&c, "sommer"), counts([2, 1, 2, 1, 1, 0, 1]));
        assert_eq!(*row(&c, "flyer"), counts([4, 0, 0, 0, 0, 0, 4]));
        assert_eq!(*row(&c, "none"), counts([2, 1, 0, 0, 0, 2, 0]));
        let h = funnel(&fixed(), By::Household, &keys());
        assert_eq!(row(&h, "family_with_children").received, 5);
        assert_eq!(row(&h, "couple").received, 1);
        assert_eq!(row(&h, "single").received, 2);
        let m = funnel(&fixed(), By::Month, &keys());
        let months: Vec<(&str, u32)> = m.rows.iter().map(|r| (r.key.as_str(), r.counts.received)).collect();
        // 2026-06-30 20:00 UTC is 22:00 local: June.
        assert_eq!(months, [("2026-01", 2), ("2026-02", 1), ("2026-03", 1), ("2026-05", 2), ("2026-06", 2)]);
    }

    #[test]
    fn area_groups_count_a_case_once_per_group() {
        let groups = vec![
            ("moen".to_string(), vec!["stege".to_string(), "bogoe".to_string()]),
            ("sydkysten".to_string(), vec!["praestoe".to_string()]),
        ];
        let f = funnel(&fixed(), By::AreaGroup, &Keys { tz: tz(), area_groups: &groups });
        assert_eq!(row(&f, "moen").received, 6, "case 1 is in Stege and Bogø, counted once");
        assert_eq!(row(&f, "sydkysten").received, 1);
        assert_eq!(row(&f, "none").received, 1);
    }

    #[test]
    fn household_rule() {
        assert_eq!(Household::of(2, &[2020], 2026), Household::FamilyWithChildren);
        assert_eq!(Household::of(1, &[2009], 2026), Household::FamilyWithChildren, "17");
        assert_eq!(Household::of(2, &[2008], 2026), Household::Couple, "18 is grown up");
        assert_eq!(Household::of(1, &[], 2026), Household::Single);
        assert_eq!(Household::of(3, &[], 2026), Household::Other);
    }

    #[test]
    fn periods() {
        let h1 = Period::parse_key("2026-H1").expect("half");
        assert_eq!(
            h1,
            Period::new(
                NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid"),
                NaiveDate::from_ymd_opt(2026, 7, 1).expect("valid")
            )
            .expect("valid")
        );
        assert_eq!(h1.key().as_deref(), Some("2026-H1"));
        assert_eq!(h1.previous().key().as_deref(), Some("2025-H2"));
        assert_eq!(h1.year_before().key().as_deref(), Some("2025-H1"));
        let march = Period::parse_key("2026-03").expect("month");
        assert_eq!(march.previous().key().as_deref(), Some("2026-02"));
        assert!(march.is_month_or_half());
        let free = Period::new(
            NaiveDate::from_ymd_opt(2026, 3, 3).expect("valid"),
            NaiveDate::from_ymd_opt(2026, 3, 10).expect("valid"),
        )
        .expect("valid");
        assert!(!free.is_month_or_half());
        assert_eq!(free.previous().from, NaiveDate::from_ymd_opt(2026, 2, 24).expect("valid"));
        assert!(Period::parse_key("2026-H3").is_none() && Period::parse_key("2026-13").is_none());
        // Local midnight in winter is 23:00 UTC the day before.
        assert_eq!(h1.utc_bounds(tz()).0, at("2025-12-31 23:00"));
        assert_eq!(h1.utc_bounds(tz()).1, at("2026-06-30 22:00"));
        assert_eq!(h1.month_keys().len(), 6);
    }

    #[test]
    fn small_groups_are_masked_and_cannot_be_worked_out() {
        let f = funnel(&fixed(), By::Campaign, &keys());
        let m = suppress(&f, 5);
        let sommer = m.rows.iter().find(|r| r.key == "sommer").expect("row");
        assert!(sommer.suppressed);
        assert_eq!(sommer.cells, [None, None, None, None, None, Some(0), None], "2 received: all small but the zero");
        let flyer = m.rows.iter().find(|r| r.key == "flyer").expect("row");
        // 4 received is small; zeros stay.
        assert_eq!(flyer.cells, [None, Some(0), Some(0), Some(0), Some(0), Some(0), None]);
        // Totals: received 8 and open 5 stand alone but lost 2 is small.
        assert_eq!(m.totals[5], None);
        assert_eq!(m.totals[0], Some(8));
        // No column has exactly one hidden cell beside a shown total.
        for col in 0..7 {
            let hidden = m.rows.iter().filter(|r| r.cells[col].is_none()).count();
            assert!(hidden != 1 || m.totals[col].is_none(), "column {col}");
        }
        // Exact figures for staff are untouched.
        assert_eq!(f.totals.received, 8);
    }

    #[test]
    fn one_hidden_part_of_a_row_hides_another() {
        // received 10 = welcomed 2 + lost 0 + open 8: welcomed is small; were
        // lost and open shown, welcomed = 10 − 0 − 8.
        let mut facts = Vec::new();
        for i in 0..10 {
            let mut c = case("2026-02-01 09:00");
            c.areas = vec!["stege".into()];
            if i < 2 {
                c.welcome_package = Some(at("2026-03-01 09:00"));
                c.outcome = Some(Outcome::Welcomed);
            }
            facts.push(c);
        }
        let m = suppress(&funnel(&facts, By::Household, &keys()), 5);
        let r = &m.rows[0];
        assert_eq!(r.cells[0], Some(10));
        assert_eq!(r.cells[4], None);
        assert_eq!(r.cells[5], None, "the smallest other part (0) is hidden too");
        assert_eq!(r.cells[6], Some(8));
    }

    #[test]
    fn timing_and_losses() {
        let t = timing(&fixed(), 2, tz());
        // First contacts after 1.04, 7, 0.29 days: median 1.0.
        assert_eq!(t.to_first_contact, Some(1.0));
        // Information: case 1 → visit 10 days, case 2 → move-in 31 days, case 3 → 8 days.
        assert_eq!(t.in_stage[0], Some(10.0));
        assert_eq!(t.in_stage[3], Some(10.0));
        // Within two working days: cases 1 and 3 (case 2 took a week).
        assert_eq!((t.within_goal, t.of), (2, 8));
        let l = losses(&fixed());
        assert_eq!(l.by_outcome.get("chose_elsewhere"), Some(&1));
        assert_eq!(l.by_outcome.get("no_response"), Some(&1));
        assert_eq!(l.by_outcome.get("spam"), None);
        assert_eq!(l.by_reason.get("job"), Some(&1));
        assert_eq!(l.by_reason.get("none"), Some(&1));
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(1, 0), None);
    }
}
