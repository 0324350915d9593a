//! The retention schedule (`[privacy.retention]`), applied by the worker
//! once a day and by `velkomst retention [--dry-run]`:
//!
//! 1. open cases with no timeline event for `open_inactive_months` close as
//!    `no_response` (a `retention` event names the rule first);
//! 2. closed cases are anonymised `closed_months` after the later of their
//!    closing and the last email to them (plus `answer_window_days`), never
//!    while a follow-up is still scheduled — the person is erased by the
//!    rule `retention` (`workflow::privacy::erase`: ledger, timeline);
//! 3. email bodies, recipients and calendar files go `email_body_days`
//!    after delivery (`undelivered_email_days` after queueing for dead and
//!    cancelled ones);
//! 4. expired sessions and used or expired links go;
//! 5. access-log entries older than `access_log_months` go.
//!
//! Every step takes `now`, so tests run it on their own clock. Each case is
//! its own transaction; a run does at most `db::retention::BATCH` cases per
//! rule and the next run the rest.

use chrono::{Months, NaiveDateTime};
use serde_json::json;

use super::cases as case_flow;
use super::privacy::{self, Rule};
use crate::config::Settings;
use crate::db::{cases, retention, write_tx, Conn};
use crate::domain::case::{Action, EventKind, Outcome};
use crate::domain::reference::Reference;
use crate::error::Error;

/// What a run did (or, dry, would do).
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    pub closed_inactive: Vec<String>,
    pub anonymised: Vec<String>,
    pub email_bodies: usize,
    pub links: usize,
    pub sessions: usize,
    pub access_log: usize,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        *self == Report::default()
    }
}

fn months_before(now: NaiveDateTime, months: u32) -> NaiveDateTime {
    now.checked_sub_months(Months::new(months)).unwrap_or(NaiveDateTime::MIN)
}

fn days_before(now: NaiveDateTime, days: u32) -> NaiveDateTime {
    now - chrono::Duration::days(i64::from(days))
}

/// Applies the schedule at `now` (`dry_run`: changes nothing and reports
/// what would go).
pub fn run(conn: &mut Conn, s: &Settings, now: NaiveDateTime, dry_run: bool) -> Result<Report, Error> {
    let r = &s.privacy.retention;
    let mut report = Report::default();

    for reference in retention::inactive_open_cases(conn, months_before(now, r.open_inactive_months))? {
        if !dry_run {
            close_inactive(conn, s, &reference, r.open_inactive_months)?;
        }
        report.closed_inactive.push(reference.to_string());
    }

    let cutoff = months_before(now, r.closed_months);
    let emailed_before = days_before(cutoff, r.answer_window_days);
    for reference in retention::closed_cases_due(conn, cutoff, emailed_before)? {
        // A case this run closed waits its own period from that closing.
        if report.closed_inactive.contains(&reference.to_string()) {
            continue;
        }
        if !dry_run {
            privacy::erase(conn, s, &reference, Rule::Retention, None, "", now)?;
        }
        report.anonymised.push(reference.to_string());
    }

    let (sent_before, undelivered_before) =
        (days_before(now, r.email_body_days), days_before(now, r.undelivered_email_days));
    report.email_bodies =
        write_tx(conn, |conn| retention::purge_email_bodies(conn, sent_before, undelivered_before, dry_run))?;
    report.links = write_tx(conn, |conn| retention::purge_links(conn, now, dry_run))?;
    report.sessions = write_tx(conn, |conn| retention::purge_sessions(conn, now, dry_run))?;
    let log_before = months_before(now, r.access_log_months);
    report.access_log = write_tx(conn, |conn| retention::purge_access_log(conn, log_before, dry_run))?;
    Ok(report)
}

/// Closes an inactive open case as `no_response`, the timeline naming the
/// rule before the closing.
fn close_inactive(conn: &mut Conn, s: &Settings, reference: &Reference, months: u32) -> Result<(), Error> {
    write_tx(conn, |conn| {
        let d = cases::detail(conn, reference)?;
        if !d.case.is_open {
            return Ok(());
        }
        let data = json!({ "rule": "open_inactive", "months": months });
        cases::append_event(conn, &d.case.id, EventKind::Retention, None, data)?;
        match case_flow::apply(conn, s, &d, &Action::Close(Outcome::NoResponse), "", None)? {
            Ok(_) => Ok(()),
            Err(refusal) => Err(Error::bug(format!("closing {reference} as no_response: {refusal:?}"))),
        }
    })
}
