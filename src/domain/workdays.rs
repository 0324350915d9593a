//! Working-day arithmetic for the response-time goal. Weekends do not count;
//! public holidays are not modelled (a holiday makes a case look overdue a
//! day early, which errs on the side of the mover).

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

/// The instant `days` working days before `now`, counted in the
/// municipality's time zone: cases received before it are overdue.
pub fn cutoff(now: DateTime<Utc>, days: u32, tz: Tz) -> DateTime<Utc> {
    let mut local = now.with_timezone(&tz).naive_local();
    let mut left = days;
    while left > 0 {
        local -= Duration::days(1);
        if !matches!(local.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    // A local time that falls into a DST gap resolves to the earliest valid one.
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now - Duration::days(i64::from(days)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("valid").with_timezone(&Utc)
    }

    #[test]
    fn two_working_days_before_a_monday_is_thursday() {
        let tz: Tz = "Europe/Copenhagen".parse().expect("zone");
        // Monday 2026-11-30 10:00 CET → Thursday 2026-11-26 10:00 CET.
        assert_eq!(cutoff(utc("2026-11-30T09:00:00Z"), 2, tz), utc("2026-11-26T09:00:00Z"));
        // Wednesday → Monday.
        assert_eq!(cutoff(utc("2026-11-25T09:00:00Z"), 2, tz), utc("2026-11-23T09:00:00Z"));
        assert_eq!(cutoff(utc("2026-11-25T09:00:00Z"), 0, tz), utc("2026-11-25T09:00:00Z"));
    }
}
