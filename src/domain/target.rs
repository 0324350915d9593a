//! The strategy's targets: what a year's goal is, and whether the year so
//! far is on track. Pure; the clock is the caller's.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// The goal for `year`: the baseline year's count grown by `growth_percent`
/// each year since.
pub fn goal(baseline: u32, baseline_year: i32, growth_percent: f64, year: i32) -> f64 {
    f64::from(baseline) * (1.0 + growth_percent / 100.0).powi(year - baseline_year)
}

/// How much of `year` has passed on `today` (0 before it, 1 after it).
pub fn elapsed(year: i32, today: NaiveDate) -> f64 {
    let (Some(start), Some(end)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year + 1, 1, 1))
    else {
        return 0.0;
    };
    if today <= start {
        0.0
    } else if today >= end {
        1.0
    } else {
        (today - start).num_days() as f64 / (end - start).num_days() as f64
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    OnTrack,
    Behind,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::OnTrack => "on_track",
            Verdict::Behind => "behind",
        }
    }
}

/// On track when the count so far reaches the goal's share for the part of
/// the year that has passed (rounded down: a goal of 48 by the end of March
/// wants 11).
pub fn verdict(actual: u32, goal: f64, elapsed: f64) -> Verdict {
    if f64::from(actual) >= (goal * elapsed).floor() {
        Verdict::OnTrack
    } else {
        Verdict::Behind
    }
}

/// The year a target is judged in on `today`: this year, kept within the
/// years it applies to.
pub fn year_of(today: NaiveDate, from_year: i32, to_year: i32) -> i32 {
    today.year().clamp(from_year, to_year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn goals_grow_each_year() {
        assert!((goal(40, 2025, 20.0, 2026) - 48.0).abs() < 1e-9);
        assert!((goal(40, 2025, 20.0, 2027) - 57.6).abs() < 1e-9);
    }

    #[test]
    fn verdicts_follow_the_clock() {
        let g = goal(40, 2025, 20.0, 2026);
        // 1 April: a quarter of the year (90/365) → 11 wanted.
        let e = elapsed(2026, d(2026, 4, 1));
        assert_eq!(verdict(11, g, e), Verdict::OnTrack);
        assert_eq!(verdict(10, g, e), Verdict::Behind);
        // The same 11 at the start of October are behind.
        assert_eq!(verdict(11, g, elapsed(2026, d(2026, 10, 1))), Verdict::Behind);
        assert_eq!(elapsed(2026, d(2025, 12, 31)), 0.0);
        assert_eq!(elapsed(2026, d(2027, 1, 1)), 1.0);
        assert_eq!(year_of(d(2031, 5, 1), 2026, 2030), 2030);
    }
}
