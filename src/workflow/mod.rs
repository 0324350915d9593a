//! What each action does, all in one transaction: the change to the case,
//! the emails it causes (written to the outbox), and the follow-ups of the
//! stage it enters. Web handlers, the API and the worker call these; the
//! rules themselves live in `domain`.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde_json::json;
use tera::Context;

use crate::config::Settings;
use crate::db::cases::{self, CaseDetail, CaseRow};
use crate::db::outbox::{self, NewEmail};
use crate::db::{followups, users, visits, write_tx, Conn};
use crate::domain::case::{Action, EventKind, Refusal, Stage, Transition};
use crate::domain::inquiry::Inquiry;
use crate::error::AppError;
use crate::mail::transport::mailbox;
use crate::mail::{ics, render};

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

/// The variables every mover email gets.
pub(crate) fn mover_context(conn: &mut Conn, s: &Settings, d: &CaseDetail) -> Result<Context, AppError> {
    let c = &d.case;
    let consultant = match &c.assignee_id {
        Some(id) => users::find(conn, id)?,
        None => None,
    };
    let children = usize::try_from(c.children_count).unwrap_or(0);
    Ok(base_context(s, &c.language, &c.reference, &c.name, consultant.as_ref(), &d.areas, children, c.adults))
}

/// Renders and queues one email about a case.
#[allow(clippy::too_many_arguments)]
pub(crate) fn queue(
    conn: &mut Conn,
    s: &Settings,
    case: &CaseRow,
    template: &str,
    lang: &str,
    ctx: &Context,
    to: (&str, &str),
    reply_to: Option<String>,
    calendar: Option<(String, &'static str)>,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let r = render::render(template, lang, ctx).map_err(|e| AppError::internal(format!("email {template}: {e}")))?;
    let (ics, ics_method) = match calendar {
        Some((body, method)) => (Some(body), Some(method.to_string())),
        None => (None, None),
    };
    let email = NewEmail {
        case_id: Some(case.id.clone()),
        template: template.to_string(),
        recipient: to.0.to_string(),
        recipient_name: to.1.to_string(),
        reply_to,
        subject: r.subject,
        body_text: r.text,
        body_html: r.html,
        ics,
        ics_method,
    };
    outbox::enqueue(conn, &email, &mail_domain(s), now)?;
    Ok(())
}

/// To the mover, in their language, replies going to their consultant.
pub(crate) fn queue_to_mover(
    conn: &mut Conn,
    s: &Settings,
    d: &CaseDetail,
    template: &str,
    ctx: &Context,
    calendar: Option<(String, &'static str)>,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let reply_to = match &d.case.assignee_id {
        Some(id) => users::find(conn, id)?.and_then(|u| mailbox(&u.name, &u.email)),
        None => None,
    };
    let c = &d.case;
    queue(conn, s, c, template, &c.language, ctx, (&c.email, &c.name), reply_to, calendar, now)
}

/// The variables every mover email gets, from parts (a case not yet
/// written, or one read back).
#[allow(clippy::too_many_arguments)]
fn base_context(
    s: &Settings,
    lang: &str,
    reference: &str,
    mover_name: &str,
    consultant: Option<&users::User>,
    area_slugs: &[String],
    children_count: usize,
    adults: i32,
) -> Context {
    let mut ctx = Context::new();
    ctx.insert("lang", lang);
    ctx.insert("municipality", &s.municipality.name);
    ctx.insert("public_url", &s.public_url);
    ctx.insert("reference", reference);
    ctx.insert("mover_name", mover_name);
    ctx.insert("consultant", &consultant.map(|u| json!({ "name": u.name, "email": u.email })));
    let areas: Vec<String> =
        area_slugs.iter().map(|slug| s.area(slug).map_or_else(|| slug.clone(), |a| a.name.clone())).collect();
    ctx.insert("areas", &areas);
    ctx.insert("children_count", &children_count);
    ctx.insert("adults", &adults);
    ctx.insert("response_days", &s.queue.first_contact_goal_working_days);
    ctx
}

fn rendered(template: &str, lang: &str, ctx: &Context) -> Result<render::RenderedEmail, AppError> {
    render::render(template, lang, ctx).map_err(|e| AppError::internal(format!("email {template}: {e}")))
}

/// Receives an inquiry: the case, the receipt to the mover, the notice to
/// the assigned consultant and the information stage's follow-ups.
///
/// The reference, the assignee and both emails are settled before the
/// write transaction, so the write lock (one writer at a time on SQLite)
/// is held only for the inserts. Between the two an assignee could in
/// principle be deactivated; the case then shows them as assignee and an
/// admin reassigns it — a rare, visible and harmless race.
pub fn receive_inquiry(conn: &mut Conn, s: &Settings, inquiry: &Inquiry, year: i32) -> Result<String, AppError> {
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
        let lang = inquiry.language.as_str();
        let name = inquiry.name.as_str();
        let ctx = base_context(
            s,
            lang,
            &reference,
            name,
            consultant.as_ref(),
            &inquiry.areas,
            inquiry.children.len(),
            inquiry.adults,
        );
        let receipt = rendered("receipt", lang, &ctx)?;
        let notice = match &consultant {
            Some(c) => {
                let mut staff_ctx = ctx.clone();
                staff_ctx.insert("lang", "da");
                staff_ctx.insert("case_url", &format!("{}/cases/{}", s.public_url, reference));
                staff_ctx.insert("housing", inquiry.housing.as_str());
                staff_ctx.insert("timeframe", inquiry.timeframe.as_str());
                staff_ctx.insert("job_help", &inquiry.job_help);
                Some((c, rendered("consultant_notice", "da", &staff_ctx)?))
            }
            None => None,
        };
        let written = write_tx(conn, |conn| {
            if cases::reference_taken(conn, &reference)? {
                return Ok(false);
            }
            let now = crate::db::now();
            let case_id = cases::receive_as(conn, inquiry, &reference, assignee.as_deref())?;
            let domain = mail_domain(s);
            let reply_to = consultant.as_ref().and_then(|u| mailbox(&u.name, &u.email));
            let email =
                |template: &str, to: (&str, &str), r: &render::RenderedEmail, reply_to: Option<String>| NewEmail {
                    case_id: Some(case_id.clone()),
                    template: template.to_string(),
                    recipient: to.0.to_string(),
                    recipient_name: to.1.to_string(),
                    reply_to,
                    subject: r.subject.clone(),
                    body_text: r.text.clone(),
                    body_html: r.html.clone(),
                    ics: None,
                    ics_method: None,
                };
            outbox::enqueue(conn, &email("receipt", (inquiry.email.as_str(), name), &receipt, reply_to), &domain, now)?;
            if let Some((c, r)) = &notice {
                outbox::enqueue(conn, &email("consultant_notice", (&c.email, &c.name), r, None), &domain, now)?;
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
) -> Result<(), AppError> {
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
) -> Result<Result<Transition, Refusal>, AppError> {
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
fn stage_email(
    conn: &mut Conn,
    s: &Settings,
    d: &CaseDetail,
    stage: Stage,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let mut ctx = mover_context(conn, s, d)?;
    match stage {
        Stage::MoveIn => {
            let date = d.case.move_in_date.as_deref().and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok());
            ctx.insert("move_in_date", &date.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default());
            let area = d.case.move_in_area.as_deref().and_then(|a| s.area(a)).map(|a| a.name.clone());
            ctx.insert("area_name", &area.unwrap_or_default());
            queue_to_mover(conn, s, d, "welcome", &ctx, None, now)
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

fn visit_context(ctx: &mut Context, v: &visits::Visit, s: &Settings) {
    ctx.insert(
        "visit",
        &json!({
            "date": local_date(v.starts_at, s),
            "time": local_time(v.starts_at, s),
            "place": v.place,
            "note": v.note.clone().unwrap_or_default(),
        }),
    );
}

fn visit_calendar(
    conn: &mut Conn,
    s: &Settings,
    d: &CaseDetail,
    v: &visits::Visit,
    cancelled: bool,
) -> Result<String, AppError> {
    let organizer = match &d.case.assignee_id {
        Some(id) => users::find(conn, id)?,
        None => None,
    };
    let (org_name, org_email) = organizer.map_or_else(
        || (s.municipality.name.clone(), crate::mail::transport::address_of(&s.mail.from)),
        |u| (u.name, u.email),
    );
    let summary = if d.case.language == "en" {
        format!("Visit — {}", s.municipality.name)
    } else {
        format!("Besøg — {}", s.municipality.name)
    };
    Ok(ics::calendar(&ics::Event {
        uid: &v.uid,
        sequence: v.sequence,
        starts: v.starts_at.and_utc(),
        minutes: i64::from(v.duration_minutes),
        summary: &summary,
        location: &v.place,
        description: v.note.as_deref().unwrap_or(""),
        organizer_name: &org_name,
        organizer_email: &org_email,
        attendee_name: &d.case.name,
        attendee_email: &d.case.email,
        cancelled,
        stamp: Utc::now(),
    }))
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
) -> Result<Result<(), Refusal>, AppError> {
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
        let mut ctx = mover_context(conn, s, &d)?;
        visit_context(&mut ctx, &visit, s);
        let calendar = visit_calendar(conn, s, &d, &visit, false)?;
        let template = if changed { "visit_update" } else { "visit_invitation" };
        queue_to_mover(conn, s, &d, template, &ctx, Some((calendar, ics::method(false))), now)?;
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
pub fn cancel_visit(conn: &mut Conn, s: &Settings, reference: &str, actor_id: &str) -> Result<bool, AppError> {
    write_tx(conn, |conn| {
        let now = crate::db::now();
        let d = cases::detail(conn, reference)?;
        let Some(visit) = visits::cancel(conn, &d.case.id, now)? else { return Ok(false) };
        cases::append_event(conn, &d.case.id, EventKind::VisitCancelled, Some(actor_id), json!({}))?;
        let mut ctx = mover_context(conn, s, &d)?;
        visit_context(&mut ctx, &visit, s);
        let calendar = visit_calendar(conn, s, &d, &visit, true)?;
        queue_to_mover(conn, s, &d, "visit_cancelled", &ctx, Some((calendar, ics::method(true))), now)?;
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
) -> Result<Result<(), Refusal>, AppError> {
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

fn links(list: &[crate::config::Link], lang: &str) -> Vec<serde_json::Value> {
    list.iter().map(|l| json!({ "title": if lang == "en" { &l.en } else { &l.da }, "url": l.url })).collect()
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
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let now = crate::db::now();
        let d = cases::detail(conn, reference)?;
        let c = &d.case;
        let lang = c.language.as_str();
        let mut ctx = mover_context(conn, s, &d)?;
        ctx.insert("note", note.trim());
        ctx.insert("links_general", &links(&s.information.general, lang));
        ctx.insert("links_children", &if c.children_count > 0 { links(&s.information.children, lang) } else { vec![] });
        ctx.insert("links_jobs", &if c.job_help { links(&s.information.jobs, lang) } else { vec![] });
        ctx.insert("links_build", &if c.housing == "build" { links(&s.information.build, lang) } else { vec![] });
        let area_links: Vec<serde_json::Value> = d
            .areas
            .iter()
            .filter_map(|slug| s.area(slug))
            .filter_map(|a| a.url.as_ref().map(|u| json!({ "name": a.name, "url": u })))
            .collect();
        ctx.insert("area_links", &area_links);
        queue_to_mover(conn, s, &d, "information_pack", &ctx, None, now)?;
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
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let now = crate::db::now();
        let d = cases::detail(conn, reference)?;
        let mut ctx = mover_context(conn, s, &d)?;
        ctx.insert("subject", subject);
        ctx.insert("body", body);
        let c = &d.case;
        let reply_to = mailbox(&actor.name, &actor.email);
        queue(conn, s, c, "custom", &c.language, &ctx, (&c.email, &c.name), reply_to, None, now)
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
) -> Result<Option<(String, String)>, AppError> {
    if !STARTERS.contains(&template) {
        return Ok(None);
    }
    let d = cases::detail(conn, reference)?;
    let mut ctx = mover_context(conn, s, &d)?;
    if template == "information_pack" {
        let c = &d.case;
        let lang = c.language.as_str();
        ctx.insert("note", "");
        ctx.insert("links_general", &links(&s.information.general, lang));
        ctx.insert("links_children", &if c.children_count > 0 { links(&s.information.children, lang) } else { vec![] });
        ctx.insert("links_jobs", &if c.job_help { links(&s.information.jobs, lang) } else { vec![] });
        ctx.insert("links_build", &if c.housing == "build" { links(&s.information.build, lang) } else { vec![] });
        ctx.insert("area_links", &Vec::<serde_json::Value>::new());
    }
    let r =
        render::render(template, &d.case.language, &ctx).map_err(|e| AppError::internal(format!("starter: {e}")))?;
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
) -> Result<render::RenderedEmail, AppError> {
    let d = cases::detail(conn, reference)?;
    let mut ctx = mover_context(conn, s, &d)?;
    ctx.insert("subject", subject);
    ctx.insert("body", body);
    render::render("custom", &d.case.language, &ctx).map_err(|e| AppError::internal(format!("preview: {e}")))
}

/// Fires one due follow-up (if no other worker did).
pub fn run_followup(
    conn: &mut Conn,
    s: &Settings,
    f: &followups::Followup,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
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
        let mut ctx = mover_context(conn, s, &d)?;
        let template = match f.rule.as_str() {
            VISIT_REMINDER | VISIT_THANKS => {
                let Some(visit) = visits::current(conn, &d.case.id)? else { return Ok(true) };
                visit_context(&mut ctx, &visit, s);
                f.rule.clone()
            }
            rule => match s.followups.rules.iter().find(|r| r.name == rule) {
                Some(r) => r.template.clone(),
                None => return Ok(true),
            },
        };
        queue_to_mover(conn, s, &d, &template, &ctx, None, now)?;
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
) -> Result<bool, AppError> {
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
        let list: Vec<serde_json::Value> = page
            .rows
            .iter()
            .take(25)
            .map(|r| {
                json!({
                    "reference": r.reference, "name": r.name, "received": local_date(r.created_at, s),
                    "url": format!("{}/cases/{}", s.public_url, r.reference),
                })
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert("lang", "da");
        ctx.insert("municipality", &s.municipality.name);
        ctx.insert("public_url", &s.public_url);
        ctx.insert("reference", "");
        ctx.insert("mover_name", "");
        ctx.insert("consultant", &json!({ "name": user.name, "email": user.email }));
        ctx.insert("areas", &Vec::<String>::new());
        ctx.insert("children_count", &0);
        ctx.insert("adults", &0);
        ctx.insert("consultant_name", &user.name);
        ctx.insert("cases", &list);
        ctx.insert("count", &page.rows.len());
        let r = render::render("digest", "da", &ctx).map_err(|e| AppError::internal(format!("digest: {e}")))?;
        let email = NewEmail {
            case_id: None,
            template: "digest".into(),
            recipient: user.email.clone(),
            recipient_name: user.name.clone(),
            reply_to: None,
            subject: r.subject,
            body_text: r.text,
            body_html: r.html,
            ics: None,
            ics_method: None,
        };
        outbox::enqueue(conn, &email, &mail_domain(s), now)?;
        Ok(true)
    })
}
