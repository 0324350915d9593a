//! Scheduled work: due follow-up emails of a stage, the visit reminder and
//! thank-you, and the consultants' daily digest of overdue cases.

use chrono::{NaiveDate, NaiveDateTime};

use super::visits::{VISIT_REMINDER, VISIT_THANKS};
use super::{emails, local_date};
use crate::config::Settings;
use crate::db::cases;
use crate::db::{followups, users, visits, write_tx, Conn};
use crate::error::Error;
use crate::mail::email::{self, Envelope, Recipient};

/// Fires one due follow-up (if no other worker did).
pub fn run_followup(conn: &mut Conn, s: &Settings, f: &followups::Followup, now: NaiveDateTime) -> Result<bool, Error> {
    write_tx(conn, |conn| {
        if !followups::take(conn, &f.id, now)? {
            return Ok(false);
        }
        let Some(case) = cases::find_by_id(conn, &f.case_id)? else { return Ok(true) };
        let d = cases::detail(conn, &case.reference)?;
        // A follow-up that outlived its stage (should have been cancelled) does nothing.
        if d.case.stage != f.stage {
            return Ok(true);
        }
        let mover = emails::to_mover(conn, s, &d)?;
        let case_id = Some(&d.case.id);
        match f.rule.as_str() {
            VISIT_REMINDER | VISIT_THANKS => {
                let Some(visit) = visits::current(conn, &d.case.id)? else { return Ok(true) };
                let (common, envelope, visit) = (mover.common, mover.envelope, emails::visit(&visit, s));
                if f.rule == VISIT_REMINDER {
                    emails::queue(conn, s, case_id, &email::VisitReminder { common, visit, envelope }, now)?;
                } else {
                    emails::queue(conn, s, case_id, &email::VisitThanks { common, visit, envelope }, now)?;
                }
            }
            rule => {
                let Some(r) = s.followups.rules.iter().find(|r| r.name == rule) else { return Ok(true) };
                let followup =
                    email::Followup { template: r.template.clone(), common: mover.common, envelope: mover.envelope };
                emails::queue(conn, s, case_id, &followup, now)?;
            }
        }
        Ok(true)
    })
}

/// The daily digest to one consultant: their cases awaiting first contact
/// past the goal. Never twice for the same local day; nothing when none.
pub fn digest(
    conn: &mut Conn,
    s: &Settings,
    user: &users::User,
    day: NaiveDate,
    overdue_before: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<bool, Error> {
    write_tx(conn, |conn| {
        if !crate::db::users::claim_digest(conn, &user.id, &day.format("%Y-%m-%d").to_string(), now)? {
            return Ok(false);
        }
        let filter = cases::QueueFilter {
            stage: None,
            assignee: cases::AssigneeFilter::User(user.id.clone()),
            area: None,
            campaign: None,
            q: None,
            overdue_before: Some(overdue_before),
        };
        let page = cases::queue(conn, &filter, None, 200)?;
        if page.rows.is_empty() {
            return Ok(false);
        }
        // The list shows the longest-waiting 25; the count says how many in all.
        let cases = page
            .rows
            .iter()
            .take(25)
            .map(|r| email::DigestCase {
                reference: r.reference.clone(),
                name: r.name.clone().unwrap_or_default(),
                received: local_date(r.created_at, s),
                url: format!("{}/cases/{}", s.public_url, r.reference),
            })
            .collect();
        let digest = email::Digest {
            common: emails::common(s, crate::domain::inquiry::Language::Da, "", "", Some(user), &[], 0, 0),
            consultant_name: user.name.clone(),
            cases,
            count: page.rows.len(),
            envelope: Envelope::to(Recipient::new(&user.name, &user.email)),
        };
        emails::queue(conn, s, None, &digest, now)?;
        Ok(true)
    })
}
