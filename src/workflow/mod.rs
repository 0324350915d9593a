//! What each action does, all in one transaction: the change to the case,
//! the emails it causes (written to the outbox), and the follow-ups of the
//! stage it enters. Web handlers, the API and the worker call these; the
//! rules themselves live in `domain`.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde_json::json;

use crate::config::Settings;
use crate::db::cases::{self, CaseDetail};
use crate::db::outbox;
use crate::db::{followups, users, visits, write_tx, Conn};
use crate::domain::case::{Action, EventKind, Refusal, Stage, Transition};
use crate::domain::inquiry::Inquiry;
use crate::error::Error;
use crate::mail::email::{self, Common, Envelope, Recipient};
use crate::mail::render;

pub mod accounts;
pub mod emails;
pub mod mfa;
pub mod packages;
pub mod referrals;

pub const VISIT_REMINDER: &str = "visit_reminder";
pub const VISIT_THANKS: &str = "visit_thanks";

/// The Message-ID and calendar UID domain: the public URL's host.
pub fn mail_domain(s: &Settings) -> String {
    let rest = s.public_url.split_once("://").map_or(s.public_url.as_str(), |(_, r)| r);
    rest.split(['/', ':']).next().filter(|h| !h.is_empty()).unwrap_or("velkomst.local").to_string()
}

pub(crate) fn local_date(t: NaiveDateTime, s: &Settings) -> String {
    t.and_utc().with_timezone(&s.time_zone).format("%d.%m.%Y").to_string()
}

fn local_time(t: NaiveDateTime, s: &Settings) -> String {
    t.and_utc().with_timezone(&s.time_zone).format("%H:%M").to_string()
}

/// A local wall-clock time on a local date, as UTC.
pub fn at_local(date: NaiveDate, time: NaiveTime, s: &Settings) -> NaiveDateTime {
    s.time_zone
        .from_local_datetime(&date.and_time(time))
        .earliest()
        .map_or_else(|| date.and_time(time), |t| t.with_timezone(&Utc).naive_utc())
}

fn parse_hhmm(t: &str) -> NaiveTime {
    NaiveTime::parse_from_str(t, "%H:%M").unwrap_or(NaiveTime::MIN)
}

/// Receives an inquiry: the case, the receipt to the mover, the notice to
/// the assigned consultant and the information stage's follow-ups.
///
/// The reference, the assignee and both emails are settled before the
/// write transaction, so the write lock (one writer at a time on SQLite)
/// is held only for the inserts. Between the two an assignee could in
/// principle be deactivated; the case then shows them as assignee and an
/// admin reassigns it — a rare, visible and harmless race.
pub fn receive_inquiry(
    conn: &mut Conn,
    s: &Settings,
    inquiry: &Inquiry,
    year: i32,
) -> Result<crate::domain::reference::Reference, Error> {
    let mut rng = rand::thread_rng();
    loop {
        let reference = crate::domain::reference::generate(&s.municipality.reference_prefix, year, &mut rng);
        if cases::reference_taken(conn, &reference)? {
            continue;
        }
        let assignee = cases::pick_assignee(conn, inquiry.areas.first().map(String::as_str))?;
        let consultant = match &assignee {
            Some(id) => users::find(conn, id)?,
            None => None,
        };
        let name = inquiry.name.as_str();
        let common = emails::common(
            s,
            inquiry.language,
            &reference,
            name,
            consultant.as_ref(),
            &inquiry.areas,
            inquiry.children.len(),
            inquiry.adults,
        );
        let receipt = emails::compose(&email::Receipt {
            common: common.clone(),
            envelope: Envelope {
                to: Recipient::new(name, inquiry.email.as_str()),
                reply_to: consultant.as_ref().and_then(|u| Recipient::new(&u.name, &u.email).mailbox()),
                calendar: None,
            },
        })?;
        let notice = match &consultant {
            Some(c) => Some(emails::compose(&email::ConsultantNotice {
                common: Common { lang: crate::domain::inquiry::Language::Da, ..common },
                case_url: format!("{}/cases/{}", s.public_url, reference),
                housing: inquiry.housing.as_str().to_string(),
                timeframe: inquiry.timeframe.as_str().to_string(),
                job_help: inquiry.job_help,
                envelope: Envelope::to(Recipient::new(&c.name, &c.email)),
            })?),
            None => None,
        };
        let written = write_tx(conn, |conn| {
            if cases::reference_taken(conn, &reference)? {
                return Ok(false);
            }
            let now = crate::db::now();
            let case_id = cases::receive_as(conn, inquiry, &reference, assignee.as_deref())?;
            let domain = mail_domain(s);
            for composed in std::iter::once(&receipt).chain(notice.as_ref()) {
                outbox::enqueue(conn, &emails::new_email(Some(&case_id), composed.clone()), &domain, now)?;
            }
            schedule_stage_followups(conn, s, &case_id, Stage::Information, now)?;
            Ok(true)
        })?;
        if written {
            return Ok(reference);
        }
    }
}

fn schedule_stage_followups(
    conn: &mut Conn,
    s: &Settings,
    case_id: &str,
    stage: Stage,
    now: NaiveDateTime,
) -> Result<(), Error> {
    for rule in s.followups.rules.iter().filter(|r| r.stage == stage.as_str()) {
        let due = now + chrono::Duration::days(i64::from(rule.after_days));
        followups::schedule(conn, case_id, stage.as_str(), &rule.name, due, now)?;
    }
    Ok(())
}

/// A pipeline action with its effects.
pub fn transition(
    conn: &mut Conn,
    s: &Settings,
    reference: &str,
    action: &Action,
    note: &str,
    actor_id: &str,
) -> Result<Result<Transition, Refusal>, Error> {
    write_tx(conn, |conn| {
        let t = match cases::transition(conn, reference, action, note, actor_id)? {
            Ok(t) => t,
            Err(r) => return Ok(Err(r)),
        };
        let now = crate::db::now();
        let d = cases::detail(conn, reference)?;
        // Follow-ups belong to the stage that scheduled them.
        followups::cancel(conn, &d.case.id, None, now)?;
        if t.to.stage.is_open() {
            schedule_stage_followups(conn, s, &d.case.id, t.to.stage, now)?;
        } else {
            let welcomed = t.to.outcome == Some(crate::domain::case::Outcome::Welcomed);
            referrals::withdraw_on_close(conn, &d.case.id, welcomed, "case closed", actor_id, now)?;
        }
        let forward = matches!(t.event, EventKind::StageChanged | EventKind::VisitSkipped);
        if forward {
            stage_email(conn, s, &d, t.to.stage, now)?;
        }
        Ok(Ok(t))
    })
}

/// The email that greets the mover in a stage they move forward into.
fn stage_email(conn: &mut Conn, s: &Settings, d: &CaseDetail, stage: Stage, now: NaiveDateTime) -> Result<(), Error> {
    match stage {
        Stage::MoveIn => {
            let mover = emails::to_mover(conn, s, d)?;
            emails::queue(conn, s, Some(&d.case.id), &emails::welcome(s, d, mover), now)
        }
        // The welcome package's notice goes out when it is prepared (packages::prepare).
        Stage::Information | Stage::Visit | Stage::WelcomePackage | Stage::Closed => Ok(()),
    }
}

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
    reference: &str,
    input: &VisitInput,
    actor_id: &str,
) -> Result<Result<(), Refusal>, Error> {
    write_tx(conn, |conn| {
        let now = crate::db::now();
        let d = cases::detail(conn, reference)?;
        match d.case.state().stage {
            Stage::Information => {
                if let Err(r) = transition(conn, s, reference, &Action::MoveTo(Stage::Visit), "", actor_id)? {
                    return Ok(Err(r));
                }
            }
            Stage::Visit => {}
            _ => return Ok(Err(Refusal::VisitNotNow)),
        }
        let d = cases::detail(conn, reference)?;
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
        let mut mover = emails::to_mover(conn, s, &d)?;
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
pub fn cancel_visit(conn: &mut Conn, s: &Settings, reference: &str, actor_id: &str) -> Result<bool, Error> {
    write_tx(conn, |conn| {
        let now = crate::db::now();
        let d = cases::detail(conn, reference)?;
        let Some(visit) = visits::cancel(conn, &d.case.id, now)? else { return Ok(false) };
        cases::append_event(conn, &d.case.id, EventKind::VisitCancelled, Some(actor_id), json!({}))?;
        let mut mover = emails::to_mover(conn, s, &d)?;
        mover.envelope.calendar = Some(emails::visit_calendar(s, &d, mover.consultant.as_ref(), &visit, true));
        let cancelled =
            email::VisitCancelled { common: mover.common, visit: emails::visit(&visit, s), envelope: mover.envelope };
        emails::queue(conn, s, Some(&d.case.id), &cancelled, now)?;
        followups::cancel(conn, &d.case.id, Some(&[VISIT_REMINDER, VISIT_THANKS]), now)?;
        Ok(true)
    })
}

/// Records the move-in date and area, moving the case to move-in (the
/// welcome email goes out on entering the stage).
pub fn record_move_in(
    conn: &mut Conn,
    s: &Settings,
    reference: &str,
    date: NaiveDate,
    area: Option<&str>,
    actor_id: &str,
) -> Result<Result<(), Refusal>, Error> {
    write_tx(conn, |conn| {
        let d = cases::detail(conn, reference)?;
        let stage = d.case.state().stage;
        if !matches!(stage, Stage::Information | Stage::Visit | Stage::MoveIn) {
            return Ok(Err(Refusal::MoveInNotNow));
        }
        cases::record_move_in(conn, &d.case.id, date, area, actor_id)?;
        if stage != Stage::MoveIn {
            if let Err(r) = transition(conn, s, reference, &Action::MoveTo(Stage::MoveIn), "", actor_id)? {
                return Ok(Err(r));
            }
        }
        Ok(Ok(()))
    })
}

/// The information pack, fitted to the household: children → daycare and
/// schools; job help → jobs; building → plots; and the chosen areas' pages.
/// Sending it is the first contact.
pub fn send_information_pack(
    conn: &mut Conn,
    s: &Settings,
    reference: &str,
    note: &str,
    actor_id: &str,
) -> Result<(), Error> {
    write_tx(conn, |conn| {
        let now = crate::db::now();
        let d = cases::detail(conn, reference)?;
        let mover = emails::to_mover(conn, s, &d)?;
        emails::queue(conn, s, Some(&d.case.id), &emails::information_pack(s, &d, mover, note, true), now)?;
        cases::record_first_contact(conn, reference, "", actor_id)
    })
}

/// An email the consultant wrote; replies go to the consultant.
pub fn send_custom(
    conn: &mut Conn,
    s: &Settings,
    reference: &str,
    subject: &str,
    body: &str,
    actor: &users::User,
) -> Result<(), Error> {
    write_tx(conn, |conn| {
        let now = crate::db::now();
        let d = cases::detail(conn, reference)?;
        let mut mover = emails::to_mover(conn, s, &d)?;
        mover.envelope.reply_to = Recipient::new(&actor.name, &actor.email).mailbox();
        let custom = email::Custom {
            common: mover.common,
            subject: subject.to_string(),
            body: body.to_string(),
            envelope: mover.envelope,
        };
        emails::queue(conn, s, Some(&d.case.id), &custom, now)
    })
}

/// Templates a consultant may start a written email from.
pub const STARTERS: [&str; 3] = ["followup_visit_offer", "information_pack", "receipt"];

/// A starting point for the consultant's own email: the template rendered
/// for this case, as plain text without the shared footer (the custom
/// email adds its own).
pub fn starter(
    conn: &mut Conn,
    s: &Settings,
    reference: &str,
    template: &str,
) -> Result<Option<(String, String)>, Error> {
    if !STARTERS.contains(&template) {
        return Ok(None);
    }
    let d = cases::detail(conn, reference)?;
    let mover = emails::to_mover(conn, s, &d)?;
    let r = match template {
        "information_pack" => email::render(&emails::information_pack(s, &d, mover, "", false)),
        "receipt" => email::render(&email::Receipt { common: mover.common, envelope: mover.envelope }),
        other => email::render(&email::Followup {
            template: other.to_string(),
            common: mover.common,
            envelope: mover.envelope,
        }),
    }
    .map_err(|e| Error::context(e, "rendering a starter email"))?;
    let body = r.text.split("\n----\n").next().unwrap_or("").trim_end().to_string();
    Ok(Some((r.subject, body)))
}

/// The custom email as the mover would see it (for the preview).
pub fn preview_custom(
    conn: &mut Conn,
    s: &Settings,
    reference: &str,
    subject: &str,
    body: &str,
) -> Result<render::RenderedEmail, Error> {
    let d = cases::detail(conn, reference)?;
    let mover = emails::to_mover(conn, s, &d)?;
    let custom = email::Custom {
        common: mover.common,
        subject: subject.to_string(),
        body: body.to_string(),
        envelope: mover.envelope,
    };
    email::render(&custom).map_err(|e| Error::context(e, "rendering the preview"))
}

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
        let case_id = Some(d.case.id.as_str());
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
                name: r.name.clone(),
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
