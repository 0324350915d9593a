//! What each action does, all in one transaction: the change to the case,
//! the emails it causes (written to the outbox), and the follow-ups of the
//! stage it enters. Web handlers, the API and the worker call these; the
//! rules themselves live in `domain`.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use crate::config::Settings;

pub mod accounts;
pub mod campaigns;
pub mod cases;
pub mod emails;
pub mod events;
pub mod followups;
pub mod idempotency;
pub mod messages;
pub mod mfa;
pub mod mover;
pub mod packages;
pub mod preview;
pub mod privacy;
pub mod referrals;
pub mod retention;
pub mod staffing;
pub mod surveys;
pub mod visits;

// The workflow's entry points by their familiar names.
pub use cases::{receive_inquiry, record_move_in, transition};
pub use followups::{digest, run_followup};
pub use messages::{send_custom, send_information_pack, starter, STARTERS};
pub use visits::{cancel_visit, cancel_visit_then, plan_visit, AfterCancel, VisitInput, VISIT_REMINDER, VISIT_THANKS};

/// The Message-ID and calendar UID domain: the public URL's host.
pub fn mail_domain(s: &Settings) -> String {
    let rest = s.public_url.split_once("://").map_or(s.public_url.as_str(), |(_, r)| r);
    rest.split(['/', ':']).next().filter(|h| !h.is_empty()).unwrap_or("velkomst.local").to_string()
}

pub(crate) fn local_date(t: NaiveDateTime, s: &Settings) -> String {
    t.and_utc().with_timezone(&s.time_zone).format("%d.%m.%Y").to_string()
}

pub(crate) fn local_time(t: NaiveDateTime, s: &Settings) -> String {
    t.and_utc().with_timezone(&s.time_zone).format("%H:%M").to_string()
}

/// A local wall-clock time on a local date, as UTC.
pub fn at_local(date: NaiveDate, time: NaiveTime, s: &Settings) -> NaiveDateTime {
    s.time_zone
        .from_local_datetime(&date.and_time(time))
        .earliest()
        .map_or_else(|| date.and_time(time), |t| t.with_timezone(&Utc).naive_utc())
}

pub(crate) fn parse_hhmm(t: &str) -> NaiveTime {
    NaiveTime::parse_from_str(t, "%H:%M").unwrap_or(NaiveTime::MIN)
}
