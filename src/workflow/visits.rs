//! Visits: planning one (which moves a case in information to visit),
//! changing and cancelling it, each with a calendar email to the mover and
//! the reminder and thank-you follow-ups.

use chrono::{NaiveDate, NaiveTime};
use serde_json::json;

use super::cases::apply;
use super::{at_local, emails, local_date, local_time, mail_domain, parse_hhmm};
use crate::config::Settings;
use crate::db::cases;
use crate::db::{followups, visits, write_tx, Conn};
use crate::domain::case::{self as rules, EventKind, Refusal, Stage};
use crate::domain::reference::Reference;
use crate::error::Error;
use crate::mail::email;

pub const VISIT_REMINDER: &str = "visit_reminder";
pub const VISIT_THANKS: &str = "visit_thanks";

/// A visit as the consultant types it on the case page.
#[derive(Debug, Clone)]
pub struct VisitInput {
    pub date: NaiveDate,
    pub time: NaiveTime,
    pub minutes: i32,
    pub place: String,
    pub note: String,
}

/// Plans (or changes) the visit: moves a case in information to visit,
/// sends the invitation or update with a calendar file, and schedules the
/// reminder (the day before) and the thank-you (the day after).
pub fn plan_visit(
    conn: &mut Conn,
    s: &Settings,
    reference: &Reference,
    input: &VisitInput,
    actor_id: &str,
) -> Result<Result<(), Refusal>, Error> {
    write_tx(conn, |conn| {
        let now = crate::db::now();
        let d = cases::detail(conn, reference)?;
        match rules::plan_visit(d.case.state()) {
            Err(r) => return Ok(Err(r)),
            Ok(Some(first)) => {
                if let Err(r) = apply(conn, s, &d, &first, "", Some(actor_id))? {
                    return Ok(Err(r));
                }
            }
            Ok(None) => {}
        }
        let starts_at = at_local(input.date, input.time, s);
        let plan = visits::VisitPlan {
            starts_at,
            duration_minutes: input.minutes,
            place: &input.place,
            note: Some(input.note.as_str()).filter(|n| !n.trim().is_empty()),
        };
        let (visit, changed) = visits::plan(conn, &d.case.id, &plan, &mail_domain(s), now)?;
        let kind = if changed { EventKind::VisitChanged } else { EventKind::VisitPlanned };
        cases::append_event(
            conn,
            &d.case.id,
            kind,
            Some(actor_id),
            json!({ "date": local_date(starts_at, s), "time": local_time(starts_at, s), "place": input.place }),
        )?;
        let mut mover = emails::to_mover_by(conn, s, &d, Some(actor_id))?;
        mover.envelope.calendar = Some(emails::visit_calendar(s, &d, mover.consultant.as_ref(), &visit, false));
        let (common, envelope, visit) = (mover.common, mover.envelope, emails::visit(&visit, s));
        if changed {
            emails::queue(conn, s, Some(&d.case.id), &email::VisitUpdate { common, visit, envelope }, now)?;
        } else {
            emails::queue(conn, s, Some(&d.case.id), &email::VisitInvitation { common, visit, envelope }, now)?;
        }
        followups::cancel(conn, &d.case.id, Some(&[VISIT_REMINDER, VISIT_THANKS]), now)?;
        let local_day = starts_at.and_utc().with_timezone(&s.time_zone).date_naive();
        let reminder = at_local(local_day - chrono::Duration::days(1), parse_hhmm(&s.followups.visit_reminder_time), s);
        if reminder > now {
            followups::schedule(conn, &d.case.id, Stage::Visit.as_str(), VISIT_REMINDER, reminder, now)?;
        }
        let thanks = at_local(local_day + chrono::Duration::days(1), parse_hhmm(&s.followups.visit_thanks_time), s);
        followups::schedule(conn, &d.case.id, Stage::Visit.as_str(), VISIT_THANKS, thanks, now)?;
        Ok(Ok(()))
    })
}

/// Cancels the planned visit: a cancellation with the same calendar UID.
pub fn cancel_visit(conn: &mut Conn, s: &Settings, reference: &Reference, actor_id: &str) -> Result<bool, Error> {
    write_tx(conn, |conn| {
        let now = crate::db::now();
        let d = cases::detail(conn, reference)?;
        let Some(visit) = visits::cancel(conn, &d.case.id, now)? else { return Ok(false) };
        cases::append_event(conn, &d.case.id, EventKind::VisitCancelled, Some(actor_id), json!({}))?;
        let mut mover = emails::to_mover_by(conn, s, &d, Some(actor_id))?;
        mover.envelope.calendar = Some(emails::visit_calendar(s, &d, mover.consultant.as_ref(), &visit, true));
        let cancelled =
            email::VisitCancelled { common: mover.common, visit: emails::visit(&visit, s), envelope: mover.envelope };
        emails::queue(conn, s, Some(&d.case.id), &cancelled, now)?;
        followups::cancel(conn, &d.case.id, Some(&[VISIT_REMINDER, VISIT_THANKS]), now)?;
        Ok(true)
    })
}

/// What a cancelled visit means for the case's stage: the consultant says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterCancel {
    /// The case stays in visit (a new visit will be planned).
    StayInVisit,
    /// The case steps back to information, with the consultant's note.
    BackToInformation { note: String },
}

/// Cancels the planned visit and, when the consultant chose so, steps the
/// case back to information, in one transaction. `Ok(false)`: there was no
/// visit to cancel (nothing changed).
pub fn cancel_visit_then(
    conn: &mut Conn,
    s: &Settings,
    reference: &Reference,
    after: &AfterCancel,
    actor_id: &str,
) -> Result<Result<bool, Refusal>, Error> {
    let back = rules::Action::StepBack(Stage::Information);
    write_tx(conn, |conn| {
        // The rule book first, so a refused step back cancels nothing.
        if let AfterCancel::BackToInformation { note } = after {
            let state = cases::find_row(conn, reference)?.state();
            if let Err(r) = rules::decide(state, &back, note) {
                return Ok(Err(r));
            }
        }
        if !cancel_visit(conn, s, reference, actor_id)? {
            return Ok(Ok(false));
        }
        if let AfterCancel::BackToInformation { note } = after {
            let d = cases::detail(conn, reference)?;
            apply(conn, s, &d, &back, note, Some(actor_id))?
                .map_err(|r| Error::bug(format!("step back after the check: {}", r.code())))?;
        }
        Ok(Ok(true))
    })
}
