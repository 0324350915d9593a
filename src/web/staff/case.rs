//! The case page and its actions. Every action goes through the domain's
//! rule book; a refusal shows the page again with the reason and the note
//! kept.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::actions::{act, CaseAction};
use super::local_time;
use crate::db::cases::{self, EventRow};
use crate::db::users::{self, User};
use crate::db::{followups, outbox, packages, referrals, visits};

/// The ambassador side of a case, for its page.
struct HandOff {
    referrals: Vec<(referrals::Referral, String)>,
    suggestions: Vec<(crate::db::ambassadors::Ambassador, i64)>,
    package: Option<packages::CasePackage>,
}
use crate::domain::case::{available_moves, Action, Outcome, Stage};
use crate::domain::inquiry::MAX_MESSAGE_CHARS;
use crate::domain::reference::Reference;
use crate::domain::referral::State as ReferralState;
use crate::error::{Error, Refusal};
use crate::web::auth::StaffUser;
use crate::web::csrf::{FormData, VerifiedForm};
use crate::web::error::AppError;
use crate::web::pages::{t, Lang};
use crate::web::{AppState, View};

#[derive(Serialize)]
struct Event {
    at: String,
    /// people (someone did it) | emails | system (automatic steps)
    category: &'static str,
    kind: String,
    actor: Option<String>,
    note: Option<String>,
    from: Option<String>,
    to: Option<String>,
    outcome: Option<String>,
    assignee: Option<String>,
    campaign: Option<String>,
    template: Option<String>,
    reason: Option<String>,
    date: Option<String>,
    time: Option<String>,
    place: Option<String>,
    rule: Option<String>,
    area: Option<String>,
    /// Why a case changed hands (`deactivated`, `away`, `back`).
    because: Option<String>,
    /// Which survey after the move (`welcome`, `one_year`).
    survey: Option<String>,
}

#[derive(Serialize)]
struct Move {
    action: String,
    stage: &'static str,
    back: bool,
}

fn events(rows: Vec<EventRow>, staff: &[User], state: &AppState) -> Vec<Event> {
    let name_of = |id: &str| staff.iter().find(|u| u.id == id).map(|u| u.name.clone());
    rows.into_iter()
        .map(|r| {
            let d: serde_json::Value = serde_json::from_str(&r.data).unwrap_or_default();
            let s = |k: &str| d.get(k).and_then(|v| v.as_str()).map(str::to_string);
            let category = if r.kind.as_str().starts_with("email_") {
                "emails"
            } else if r.actor.is_some() {
                "people"
            } else {
                "system"
            };
            Event {
                at: local_time(r.at, state.settings.time_zone),
                category,
                kind: r.kind.as_str().to_string(),
                actor: r.actor,
                note: s("note"),
                from: s("from"),
                to: s("to"),
                outcome: s("outcome"),
                assignee: s("assignee").and_then(|id| name_of(&id)),
                campaign: s("campaign"),
                template: s("template"),
                reason: s("reason"),
                date: s("date").map(|d| super::shown_date(&d)),
                time: s("time"),
                place: s("place"),
                rule: s("rule"),
                area: s("area").and_then(|slug| state.settings.area(&slug).map(|a| a.name.clone())),
                because: s("because").filter(|b| matches!(b.as_str(), "deactivated" | "away" | "back")),
                survey: s("survey").filter(|k| crate::domain::survey::Kind::parse(k).is_some()),
            }
        })
        .collect()
}

/// What the action just done (`?done=`) tells the consultant, and where
/// on the page it stands; with the stage the case moved to by itself.
#[derive(Serialize)]
struct Flash {
    place: &'static str,
    key: String,
    stage_now: Option<String>,
}

fn flash(view: &View, stage: &str) -> Option<Flash> {
    let cookie = view.flash.as_deref()?;
    let (done, was) = cookie.split_once('.').unwrap_or((cookie, ""));
    let place = match done {
        "contact" | "moved" | "email" => "actions",
        "info-pack" => "info-pack",
        "visit" | "visit-cancelled" => "visit",
        "move-in" => "move-in",
        "package" | "package-delivered" => "package",
        "referral" | "withdrawn" => "referrals",
        "assigned" => "assign",
        "note" => "notes",
        _ => return None,
    };
    let moved_by_itself = done != "moved" && Stage::parse(was).is_some() && was != stage;
    Some(Flash { place, key: format!("flash-{done}"), stage_now: moved_by_itself.then(|| stage.to_string()) })
}

/// Everything the case page shows. `problem` is a refusal or input error
/// to show at the top; `kept` is what the consultant typed in the form that
/// was refused, shown again.
pub(super) async fn render(
    view: &View,
    me: &User,
    reference: Reference,
    status: StatusCode,
    problem: Option<String>,
    kept: &FormData,
) -> Result<HttpResponse, AppError> {
    render_page(view, me, reference, status, problem.map(|p| (p, None)), kept, None).await
}

/// The case page: `problem` with the field it is about (if any), `preview`
/// the emails an action would send, shown at its form as the mover will
/// see them, with what was typed kept for sending.
pub(super) async fn render_page(
    view: &View,
    me: &User,
    reference: Reference,
    status: StatusCode,
    problem: Option<(String, Option<&'static str>)>,
    kept: &FormData,
    preview: Option<Vec<crate::mail::render::RenderedEmail>>,
) -> Result<HttpResponse, AppError> {
    let (problem, problem_field) = problem.map_or((None, None), |(p, f)| (Some(p), f));
    let state = view.state.clone();
    let (detail, timeline, all_users, mail, scheduled, visit, (hand_off, same_email)) = state
        .db
        .read(move |conn| {
            let d = cases::detail(conn, &reference)?;
            let same_email = cases::open_with_same_email(conn, &d.person.email, &d.case.id)?;
            let tl = cases::timeline(conn, &d.case.id)?;
            let mail = outbox::for_case(conn, &d.case.id)?;
            let scheduled = followups::scheduled_for_case(conn, &d.case.id)?;
            let visit = visits::current(conn, &d.case.id)?;
            let hand_off = HandOff {
                referrals: referrals::for_case(conn, &d.case.id)?,
                suggestions: if d.case.ambassador_contact {
                    crate::workflow::referrals::suggestions(conn, &d.areas, &d.interests)?
                } else {
                    vec![]
                },
                package: packages::for_case(conn, &d.case.id)?,
            };
            Ok((d, tl, users::list(conn)?, mail, scheduled, visit, (hand_off, same_email)))
        })
        .await?;
    let s = &state.settings;
    let c = &detail.case;
    let p = &detail.person;
    let tz = s.time_zone;
    let lang = view.lang;
    let areas: Vec<String> =
        detail.areas.iter().map(|slug| s.area(slug).map(|a| a.name.clone()).unwrap_or_else(|| slug.clone())).collect();
    let interests: Vec<String> = detail
        .interests
        .iter()
        .map(|slug| {
            s.interests
                .iter()
                .find(|i| &i.slug == slug)
                .map(|i| if lang == Lang::En { i.en.clone() } else { i.da.clone() })
                .unwrap_or_else(|| slug.clone())
        })
        .collect();
    let state_now = c.state();
    let moves: Vec<Move> = available_moves(state_now)
        .into_iter()
        .filter_map(|a| match a {
            Action::MoveTo(st) => {
                Some(Move { action: format!("move:{}", st.as_str()), stage: st.as_str(), back: false })
            }
            Action::StepBack(st) => {
                Some(Move { action: format!("back:{}", st.as_str()), stage: st.as_str(), back: true })
            }
            _ => None,
        })
        .collect();
    let outcomes: Vec<&str> = Outcome::ALL
        .iter()
        .filter(|o| **o != Outcome::Welcomed || state_now.stage == Stage::WelcomePackage)
        .map(|o| o.as_str())
        .collect();
    let staff: Vec<&User> = all_users.iter().filter(|u| u.active && u.role.is_staff()).collect();
    let fmt = |t: Option<chrono::NaiveDateTime>| t.map(|t| local_time(t, tz));
    let mut ctx = view.context(Some(me));
    ctx.insert(
        "c",
        &serde_json::json!({
            "reference": c.reference,
            "name": p.name,
            "email": p.email,
            "phone": p.phone,
            "language": c.language,
            "moving_from": p.moving_from,
            "adults": c.adults,
            "children": c.children_years(),
            "housing": c.housing,
            "timeframe": c.timeframe,
            "job_help": c.job_help,
            "message": p.message,
            "ambassador_contact": c.ambassador_contact,
            "campaign": c.campaign,
            "stage": c.stage,
            "outcome": c.outcome,
            "is_open": c.is_open,
            "assignee_id": c.assignee_id,
            "assignee_name": detail.assignee.as_ref().map(|(_, n)| n),
            "received": local_time(c.created_at, tz),
            "first_contact": fmt(c.first_contact_at),
            "visit_at": fmt(c.visit_at),
            "move_in_at": fmt(c.move_in_at),
            "welcome_package_at": fmt(c.welcome_package_at),
            "closed_at": fmt(c.closed_at),
            "erased": detail.erased_at.is_some(),
            "erased_at": fmt(detail.erased_at),
        }),
    );
    ctx.insert("may_erase", &crate::web::api::privacy::may_erase(me, c.assignee_id.as_deref()));
    if me.role == crate::domain::user::Role::Admin {
        let id = c.id.clone();
        let log = state.db.read(move |conn| crate::db::privacy::access_for_case(conn, &id)).await?;
        let log: Vec<serde_json::Value> = log
            .iter()
            .take(50)
            .map(|a| serde_json::json!({ "at": local_time(a.at, tz), "name": a.name, "role": a.role, "what": a.what, "purpose": a.purpose }))
            .collect();
        ctx.insert("access_log", &log);
    }
    ctx.insert("areas", &areas);
    ctx.insert("interests", &interests);
    // Newest first; a filter between people's actions, emails and
    // automatic steps (`?timeline=`), with the count of each.
    let mut all_events = events(timeline, &all_users, &state);
    all_events.reverse();
    let shown_kind = match view.query("timeline") {
        k @ ("people" | "emails" | "system") => k,
        _ => "all",
    };
    let counts: Vec<(&str, usize)> = ["all", "people", "emails", "system"]
        .into_iter()
        .map(|k| (k, all_events.iter().filter(|e| k == "all" || e.category == k).count()))
        .collect();
    all_events.retain(|e| shown_kind == "all" || e.category == shown_kind);
    ctx.insert("timeline", &all_events);
    ctx.insert("timeline_kind", shown_kind);
    ctx.insert("timeline_counts", &counts);
    ctx.insert("moves", &moves);
    ctx.insert("outcomes", &outcomes);
    ctx.insert("close_reasons", &crate::domain::report::CloseReason::ALL);
    ctx.insert("staff", &staff);
    ctx.insert("problem", &problem);
    ctx.insert("problem_field", &problem_field);
    ctx.insert("same_email", &same_email);
    if problem.is_none() {
        ctx.insert("flash", &flash(view, c.stage.as_str()));
    }
    let kept: std::collections::HashMap<&str, &str> = kept.0.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    ctx.insert("kept", &kept);
    let preview: Option<Vec<serde_json::Value>> = preview.map(|emails| {
        emails
            .iter()
            .map(|e| {
                serde_json::json!({
                    "subject": e.subject, "text": e.text, "html": crate::web::email_preview::fragment(&e.html),
                })
            })
            .collect()
    });
    ctx.insert("preview", &preview);
    let emails: Vec<serde_json::Value> = mail
        .iter()
        .map(|m| {
            serde_json::json!({
                "template": m.template, "status": m.status, "subject": m.subject,
                "at": local_time(m.sent_at.unwrap_or(m.created_at), tz), "error": m.last_error, "attempts": m.attempts,
            })
        })
        .collect();
    ctx.insert("emails", &emails);
    ctx.insert("mail_problem", &mail.iter().any(|m| m.status == "dead"));
    let scheduled: Vec<serde_json::Value> =
        scheduled.iter().map(|f| serde_json::json!({ "rule": f.rule, "due": local_time(f.due_at, tz) })).collect();
    ctx.insert("scheduled", &scheduled);
    ctx.insert(
        "visit",
        &visit.map(|v| {
            let local = v.starts_at.and_utc().with_timezone(&tz);
            serde_json::json!({
                "date": local.format("%Y-%m-%d").to_string(), "time": local.format("%H:%M").to_string(),
                "shown": local_time(v.starts_at, tz), "minutes": v.duration_minutes, "place": v.place,
                "note": v.note.unwrap_or_default(),
            })
        }),
    );
    ctx.insert("all_areas", &s.areas.iter().map(|a| (&a.slug, &a.name)).collect::<Vec<_>>());
    ctx.insert("case_areas", &detail.areas);
    ctx.insert("move_in_date", &c.move_in_date);
    ctx.insert("move_in_shown", &c.move_in_date.as_deref().map(super::shown_date));
    ctx.insert("move_in_area_slug", &c.move_in_area);
    ctx.insert("move_in_area", &c.move_in_area.as_deref().and_then(|a| s.area(a)).map(|a| a.name.clone()));
    let flag_before = crate::db::now() - chrono::Duration::days(i64::from(s.referrals.flag_after_days));
    let referral_rows: Vec<serde_json::Value> = hand_off
        .referrals
        .iter()
        .map(|(r, name)| {
            serde_json::json!({
                "id": r.id, "ambassador": name, "state": r.state, "open": r.state().is_open(),
                "message": r.message, "reason": r.decline_reason, "report": r.report,
                "offered": local_time(r.created_at, tz), "updated": local_time(r.updated_at, tz),
                "flagged": r.flagged_at.is_some() || (r.state == ReferralState::Offered && r.created_at < flag_before),
            })
        })
        .collect();
    ctx.insert("referrals", &referral_rows);
    // An ambassador who already holds an open referral of this case is not
    // offered it again.
    let holds_open = |id: &str| hand_off.referrals.iter().any(|(r, _)| r.ambassador_id == id && r.state().is_open());
    let suggestions: Vec<serde_json::Value> = hand_off
        .suggestions
        .iter()
        .filter(|(a, _)| !holds_open(&a.user.id))
        .map(|(a, score)| {
            let areas: Vec<String> = a.areas.iter().filter_map(|x| s.area(x)).map(|x| x.name.clone()).collect();
            serde_json::json!({ "id": a.user.id, "name": a.user.name, "organisation": a.organisation, "areas": areas, "open": a.open_referrals, "score": score })
        })
        .collect();
    ctx.insert("suggestions", &suggestions);
    let overdue_before = crate::db::now() - chrono::Duration::days(i64::from(s.packages.overdue_after_days));
    ctx.insert(
        "package",
        &hand_off.package.as_ref().map(|p| {
            serde_json::json!({
                "area": s.area(&p.area_slug).map(|a| a.name.clone()), "items": p.item_list(), "method": p.method,
                "ambassador": p.ambassador_id.as_ref().and_then(|id| all_users.iter().find(|u| &u.id == id)).map(|u| u.name.clone()),
                "prepared": local_time(p.prepared_at, tz), "delivered": p.delivered_at.map(|t| local_time(t, tz)),
                "overdue": p.delivered_at.is_none() && p.prepared_at < overdue_before,
            })
        }),
    );
    let package_ambassadors: Vec<serde_json::Value> = hand_off
        .referrals
        .iter()
        .filter(|(r, _)| r.state().shows_contact() || r.state == ReferralState::Closed)
        .map(|(r, name)| serde_json::json!({ "id": r.ambassador_id, "name": name }))
        .collect();
    ctx.insert("package_ambassadors", &package_ambassadors);
    let kept_for = kept_for(view);
    // Only a form the page shows (as staff/case.html decides) can carry the
    // switch; otherwise the switch stays a link.
    let stage = state_now.stage;
    let shown = match kept_for.as_str() {
        "visit" => c.is_open && matches!(stage, Stage::Information | Stage::Visit),
        "move-in" => c.is_open && matches!(stage, Stage::Information | Stage::Visit | Stage::MoveIn),
        "welcome-package" => {
            c.is_open && stage == Stage::MoveIn && hand_off.package.as_ref().is_none_or(|p| p.delivered_at.is_some())
        }
        "contact" => c.is_open && c.first_contact_at.is_none(),
        "information-pack" => c.is_open,
        "referrals" => c.is_open && c.ambassador_contact && !suggestions.is_empty(),
        "erasure" => detail.erased_at.is_none() && crate::web::api::privacy::may_erase(me, c.assignee_id.as_deref()),
        _ => true,
    };
    if let Some(id) = form_id(&kept_for).filter(|_| shown) {
        // After a refusal: the language switch re-shows this form in the
        // other language with what was typed (POST …/again), storing nothing.
        view.switch_with_form(&mut ctx, id, &format!("/cases/{}/again?form={kept_for}", c.reference));
    }
    // After the move: the surveys sent or still to come (free text included;
    // the case page is staff's alone).
    let (settings, case_row, lang_code) = (state.settings.clone(), c.clone(), lang.as_str());
    let surveys = state
        .db
        .read(move |conn| crate::workflow::surveys::of_case(conn, &settings, &case_row, lang_code, crate::db::now()))
        .await?;
    ctx.insert("surveys", &surveys);
    ctx.insert("kept_for", &kept_for);
    view.page(status, "staff/case.html", &ctx)
}

/// The case form whose values a page shown after a POST keeps: the action
/// posted to (`/cases/R/visit` → `visit`), or the `form` a language switch
/// names; empty for a plain GET.
fn kept_for(view: &View) -> String {
    let named = view.query("form");
    let form = if named.is_empty() { view.path().splitn(4, '/').nth(3).unwrap_or("") } else { named };
    if form.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c == '/') {
        form.to_string()
    } else {
        String::new()
    }
}

/// The id of the case page's form that posts to `action` (as [`kept_for`]
/// names it); `None` for anything else.
fn form_id(action: &str) -> Option<&'static str> {
    Some(match action {
        "transition" => "form-transition",
        "contact" => "form-contact",
        "information-pack" => "form-information-pack",
        "visit" => "form-visit",
        "move-in" => "form-move-in",
        "welcome-package" => "form-welcome-package",
        "referrals" => "form-referrals",
        "assign" => "assign",
        "notes" => "notes",
        "erasure" => "form-erasure",
        _ => return None,
    })
}

/// POST /cases/{reference}/again?form=ACTION — the case page once more
/// with what was typed in that form (the language switch after a refused
/// action, `?lang=`): nothing is checked or stored.
pub async fn again(
    view: View,
    path: web::Path<Reference>,
    StaffUser(me): StaffUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    render(&view, &me, path.into_inner(), StatusCode::OK, None, &form).await
}

/// GET /cases/{reference}/again — that page reloaded or bookmarked: the case.
pub async fn again_reloaded(path: web::Path<Reference>, StaffUser(_me): StaffUser) -> HttpResponse {
    crate::web::see_other(&format!("/cases/{}", path.into_inner()))
}

/// GET /cases/{reference}
pub async fn page(view: View, path: web::Path<Reference>, StaffUser(me): StaffUser) -> Result<HttpResponse, AppError> {
    let reference = path.into_inner();
    crate::web::api::privacy::log_access(&view.state, &me, &reference, "case_page", "case_work").await?;
    render(&view, &me, reference, StatusCode::OK, None, &FormData::default()).await
}

fn parse_action(form: &crate::web::csrf::FormData) -> Option<Action> {
    let action = form.get("action");
    if action == "close" {
        return Outcome::parse(form.get("outcome")).map(Action::Close);
    }
    if action == "reopen" {
        return Some(Action::Reopen);
    }
    let (kind, stage) = action.split_once(':')?;
    let stage = Stage::parse(stage)?;
    match kind {
        "move" => Some(Action::MoveTo(stage)),
        "back" => Some(Action::StepBack(stage)),
        _ => None,
    }
}

pub(super) fn check_note(lang: Lang, note: &str) -> Result<(), String> {
    note_problem(note).map_or(Ok(()), |code| Err(t(lang, &format!("error-{code}"))))
}

/// What is wrong with a note (free text of several lines), as an error
/// code: too long, or control characters other than line breaks and tabs.
pub(crate) fn note_problem(note: &str) -> Option<&'static str> {
    if note.chars().count() > MAX_MESSAGE_CHARS {
        return Some("too-long-4000");
    }
    if note.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Some("control-chars");
    }
    None
}

/// POST /cases/{reference}/transition — move, step back, close or reopen.
pub async fn transition(
    view: View,
    path: web::Path<Reference>,
    StaffUser(me): StaffUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let reference = path.into_inner();
    let note = form.get("note").to_string();
    let Some(action) = parse_action(&form) else {
        let key = if form.get("action") == "close" { "case-choose-outcome" } else { "case-choose-action" };
        let msg = t(view.lang, key);
        return render(&view, &me, reference, StatusCode::UNPROCESSABLE_ENTITY, Some(msg), &form).await;
    };
    if let Err(msg) = check_note(view.lang, &note) {
        return render(&view, &me, reference, StatusCode::UNPROCESSABLE_ENTITY, Some(msg), &form).await;
    }
    // Why a lost case closes (optional): a reason and where they chose instead.
    let why = crate::workflow::cases::CloseWhy {
        reason: crate::domain::report::CloseReason::parse(form.get("reason")),
        chose_instead: Some(form.get("chose_instead").trim())
            .filter(|p| !p.is_empty())
            .map(|p| p.chars().filter(|c| !c.is_control()).take(80).collect()),
    };
    let (r, n, actor, s) = (reference.clone(), note, me.id.clone(), view.state.settings.clone());
    let result = view
        .state
        .db
        .write(move |conn| match action {
            Action::Close(outcome) => crate::workflow::cases::close(conn, &s, &r, outcome, &why, &n, &actor),
            _ => crate::workflow::transition(conn, &s, &r, &action, &n, &actor),
        })
        .await?;
    match result {
        Ok(_) => Ok(super::case_done(&reference, "moved", &form)),
        Err(refusal) => {
            let msg = t(view.lang, &format!("refusal-{}", refusal.code()));
            render(&view, &me, reference, StatusCode::CONFLICT, Some(msg), &form).await
        }
    }
}

/// POST /cases/{reference}/assign — `assignee` is a user id, or empty to unassign.
pub async fn assign(
    view: View,
    path: web::Path<Reference>,
    StaffUser(me): StaffUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let reference = path.into_inner();
    let assignee = Some(form.get("assignee").to_string()).filter(|s| !s.is_empty());
    let (r, actor) = (reference.clone(), me.id.clone());
    match view.state.db.write(move |conn| crate::workflow::cases::assign(conn, &r, assignee.as_deref(), &actor)).await {
        Ok(()) => Ok(super::case_done(&reference, "assigned", &form)),
        Err(Error::Refused(Refusal::UnknownAssignee)) => {
            let msg = t(view.lang, "case-unknown-assignee");
            render(&view, &me, reference, StatusCode::UNPROCESSABLE_ENTITY, Some(msg), &form).await
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /cases/{reference}/notes — an internal note on the timeline.
pub async fn note(
    view: View,
    path: web::Path<Reference>,
    StaffUser(me): StaffUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let reference = path.into_inner();
    let note = form.get("note").to_string();
    let problem =
        if note.trim().is_empty() { Err(t(view.lang, "error-required")) } else { check_note(view.lang, &note) };
    if let Err(msg) = problem {
        return render(&view, &me, reference, StatusCode::UNPROCESSABLE_ENTITY, Some(msg), &form).await;
    }
    let action: CaseAction =
        Box::new(move |conn, _, r, actor| crate::workflow::cases::add_note(conn, r, &note, actor).map(Ok));
    act(&view, &me, reference, &form, "note", action).await
}

/// POST /cases/{reference}/contact — the mover has been contacted.
pub async fn first_contact(
    view: View,
    path: web::Path<Reference>,
    StaffUser(me): StaffUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let reference = path.into_inner();
    let note = form.get("note").to_string();
    if let Err(msg) = check_note(view.lang, &note) {
        return render(&view, &me, reference, StatusCode::UNPROCESSABLE_ENTITY, Some(msg), &form).await;
    }
    let action: CaseAction =
        Box::new(move |conn, _, r, actor| crate::workflow::cases::record_first_contact(conn, r, &note, actor).map(Ok));
    act(&view, &me, reference, &form, "contact", action).await
}
