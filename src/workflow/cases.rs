//! The case itself: intake, moving it through the pipeline (the rules are
//! `domain::case`'s; this writes what they decide, with the timeline event,
//! the follow-ups of the new stage and the email that greets it),
//! assignment, notes, first contact and the move-in date.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::{emails, mail_domain, referrals};
use crate::config::Settings;
use crate::db::cases::{self, CaseDetail};
use crate::db::{followups, outbox, users, write_tx, Conn};
use crate::domain::case::{self as rules, Action, EventKind, Outcome, Refusal, Stage, Transition};
use crate::domain::inquiry::Inquiry;
use crate::domain::reference::Reference;
use crate::domain::text::CaseId;
use crate::error::Error;
use crate::mail::email::{self, Envelope, Recipient};

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
        // A consultant who is away: their stand-in gets the case (and hands
        // it back when they return).
        let picked = crate::db::staffing::pick_assignee(conn, inquiry.areas.first().map(String::as_str))?;
        let assignee = picked.assignee.clone();
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
        // The mover's own page: the token goes into the receipt, its hash
        // into mover_links with the case.
        let my_token = crate::crypto::random_token();
        let receipt = emails::compose(&email::Receipt {
            common: common.clone(),
            my_url: super::mover::page_url(s, &my_token),
            envelope: Envelope {
                to: Recipient::new(name, inquiry.email.as_str()),
                reply_to: consultant.as_ref().and_then(|u| Recipient::new(&u.name, &u.email).mailbox()),
                calendar: None,
            },
        })?;
        let notice = match &consultant {
            Some(c) => Some(emails::compose(&email::ConsultantNotice {
                common: emails::in_danish(s, common),
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
            if let Some(away) = &picked.away {
                crate::db::staffing::remember_case(conn, away, &case_id)?;
            }
            let domain = mail_domain(s);
            for composed in std::iter::once(&receipt).chain(notice.as_ref()) {
                outbox::enqueue(conn, &emails::new_email(Some(&case_id), composed.clone()), &domain, now)?;
            }
            schedule_stage_followups(conn, s, &case_id, Stage::Information, now)?;
            let origin = crate::domain::origin::classify(inquiry.moving_from.as_deref(), &s.privacy.origin_words());
            crate::db::privacy::set_origin(conn, &case_id, origin)?;
            crate::db::mover::create_link(conn, &crate::crypto::token_hash(&my_token), &case_id, now)?;
            let children: Vec<i32> = inquiry.children.iter().map(|c| c.year()).collect();
            let household = crate::domain::report::Household::of(inquiry.adults, &children, year);
            crate::db::reports::set_household(conn, &case_id, household)?;
            Ok(true)
        })?;
        if written {
            return Ok(reference);
        }
    }
}

pub(super) fn schedule_stage_followups(
    conn: &mut Conn,
    s: &Settings,
    case_id: &CaseId,
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
    reference: &Reference,
    action: &Action,
    note: &str,
    actor_id: &str,
) -> Result<Result<Transition, Refusal>, Error> {
    write_tx(conn, |conn| {
        let d = live_case(conn, reference)?;
        apply(conn, s, &d, action, note, Some(actor_id))
    })
}

/// The case to change; its person erased, it refuses every change.
fn live_case(conn: &mut Conn, reference: &Reference) -> Result<CaseDetail, Error> {
    let d = cases::detail(conn, reference)?;
    if d.erased_at.is_some() {
        return Err(Error::Refused(crate::error::Refusal::Erased));
    }
    Ok(d)
}

/// Applies `action` to the case `d` as loaded in the caller's transaction:
/// the rule book decides, the row changes only if no other transition came
/// first, the timeline records it, the old stage's follow-ups end and the
/// new stage's begin, closing withdraws open referrals, and a forward move
/// sends the stage's email.
pub(super) fn apply(
    conn: &mut Conn,
    s: &Settings,
    d: &CaseDetail,
    action: &Action,
    note: &str,
    actor_id: Option<&str>,
) -> Result<Result<Transition, Refusal>, Error> {
    let t = match rules::decide(d.case.state(), action, note) {
        Ok(t) => t,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let now = crate::db::now();
    if !cases::set_state(conn, &d.case, &t, now)? {
        return Err(Error::Refused(crate::error::Refusal::ChangedMeanwhile));
    }
    let note = note.trim();
    let data = json!({
        "from": t.from.as_str(),
        "to": t.to.stage.as_str(),
        "outcome": t.to.outcome.map(Outcome::as_str),
        "note": if note.is_empty() { None } else { Some(note) },
    });
    cases::append_event(conn, &d.case.id, t.event, actor_id, data)?;
    // Follow-ups belong to the stage that scheduled them.
    followups::cancel(conn, &d.case.id, None, now)?;
    if t.to.stage.is_open() {
        schedule_stage_followups(conn, s, &d.case.id, t.to.stage, now)?;
    } else {
        let welcomed = t.to.outcome == Some(Outcome::Welcomed);
        referrals::withdraw_on_close(conn, &d.case.id, welcomed, "case closed", actor_id, now)?;
    }
    if matches!(t.event, EventKind::StageChanged | EventKind::VisitSkipped) {
        stage_email(conn, s, d, t.to.stage, actor_id, now)?;
    }
    Ok(Ok(t))
}

/// The email that greets the mover in a stage they move forward into.
fn stage_email(
    conn: &mut Conn,
    s: &Settings,
    d: &CaseDetail,
    stage: Stage,
    actor_id: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), Error> {
    match stage {
        Stage::MoveIn => {
            let mover = emails::to_mover_by(conn, s, d, actor_id)?;
            emails::queue(conn, s, Some(&d.case.id), &emails::welcome(s, d, mover), now)
        }
        // The welcome package's notice goes out when it is prepared (packages::prepare).
        Stage::Information | Stage::Visit | Stage::WelcomePackage | Stage::Closed => Ok(()),
    }
}

/// Records the move-in date and area, moving the case to move-in (the
/// welcome email goes out on entering the stage).
pub fn record_move_in(
    conn: &mut Conn,
    s: &Settings,
    reference: &Reference,
    date: NaiveDate,
    area: Option<&str>,
    actor_id: &str,
) -> Result<Result<(), Refusal>, Error> {
    write_tx(conn, |conn| {
        let mut d = cases::detail(conn, reference)?;
        let then = match rules::record_move_in(d.case.state()) {
            Ok(then) => then,
            Err(r) => return Ok(Err(r)),
        };
        cases::record_move_in(conn, &d.case.id, date, area, actor_id)?;
        // The welcome email that entering move-in sends names the date.
        d.case.move_in_date = Some(date.format("%Y-%m-%d").to_string());
        d.case.move_in_area = area.map(str::to_string);
        if let Some(action) = then {
            if let Err(r) = apply(conn, s, &d, &action, "", Some(actor_id))? {
                return Ok(Err(r));
            }
        }
        Ok(Ok(()))
    })
}

/// Assigns (or with `None` unassigns) a case; only an active consultant or
/// admin can take it.
pub fn assign(conn: &mut Conn, reference: &Reference, assignee: Option<&str>, actor_id: &str) -> Result<(), Error> {
    write_tx(conn, |conn| {
        let case = cases::find_row(conn, reference)?;
        if case.assignee_id.as_deref() == assignee {
            return Ok(());
        }
        if let Some(id) = assignee {
            let can_take = uuid::Uuid::parse_str(id).is_ok()
                && users::find(conn, id)?.is_some_and(|u| u.active && u.role.is_staff());
            if !can_take {
                return Err(Error::Refused(crate::error::Refusal::UnknownAssignee));
            }
        }
        cases::set_assignee(conn, &case, assignee)?;
        let (kind, data) = match assignee {
            Some(id) => (EventKind::Assigned, json!({ "assignee": id, "previous": case.assignee_id })),
            None => (EventKind::Unassigned, json!({ "previous": case.assignee_id })),
        };
        cases::append_event(conn, &case.id, kind, Some(actor_id), data)
    })
}

/// An internal note on the timeline.
pub fn add_note(conn: &mut Conn, reference: &Reference, note: &str, actor_id: &str) -> Result<(), Error> {
    write_tx(conn, |conn| {
        let case = cases::find_row(conn, reference)?;
        if !crate::db::privacy::has_person(conn, &case.id)? {
            return Err(Error::Refused(crate::error::Refusal::Erased));
        }
        cases::touch(conn, &case.id)?;
        cases::append_event(conn, &case.id, EventKind::NoteAdded, Some(actor_id), json!({ "note": note.trim() }))
    })
}

/// Records the first contact with the mover (a call, an email): the case
/// stops counting against the response-time goal. Idempotent.
pub fn record_first_contact(conn: &mut Conn, reference: &Reference, note: &str, actor_id: &str) -> Result<(), Error> {
    write_tx(conn, |conn| {
        let case = cases::find_row(conn, reference)?;
        if case.first_contact_at.is_some() {
            return Ok(());
        }
        cases::set_first_contact(conn, &case.id, crate::db::now())?;
        let note = note.trim();
        let data = json!({ "note": if note.is_empty() { None } else { Some(note) } });
        cases::append_event(conn, &case.id, EventKind::FirstContact, Some(actor_id), data)
    })
}

/// Why a case closes, as the reports count it (both optional): a reason
/// from the fixed list and where they chose instead (a place).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CloseWhy {
    pub reason: Option<crate::domain::report::CloseReason>,
    pub chose_instead: Option<String>,
}

/// Closes the case with `outcome` like [`transition`], recording why in
/// the same transaction.
pub fn close(
    conn: &mut Conn,
    s: &Settings,
    reference: &Reference,
    outcome: Outcome,
    why: &CloseWhy,
    note: &str,
    actor_id: &str,
) -> Result<Result<Transition, Refusal>, Error> {
    write_tx(conn, |conn| {
        let d = live_case(conn, reference)?;
        let t = match apply(conn, s, &d, &Action::Close(outcome), note, Some(actor_id))? {
            Ok(t) => t,
            Err(refusal) => return Ok(Err(refusal)),
        };
        crate::db::reports::set_close_reason(conn, &d.case.id, why.reason, why.chose_instead.as_deref())?;
        Ok(Ok(t))
    })
}
