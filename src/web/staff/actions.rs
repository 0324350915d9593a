//! Case-page actions that write to the mover: the information pack, the
//! visit, the move-in, the welcome package, and an email of the
//! consultant's own. Each goes through `workflow`, which writes the change
//! and the email to the outbox in one transaction.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{Months, NaiveDate, NaiveTime};

use super::case::{check_note, render, render_page};
use crate::config::Settings;
use crate::domain::case::Refusal;
use crate::domain::reference::Reference;
use crate::web::auth::StaffUser;
use crate::web::csrf::{FormData, VerifiedForm};
use crate::web::error::AppError;
use crate::web::pages::{t, Lang};
use crate::web::View;
use crate::workflow::{self, packages, VisitInput};

fn back(reference: &str, done: &str, form: &FormData) -> HttpResponse {
    super::case_done(reference, done, form)
}

async fn refused(
    view: &View,
    me: &crate::db::users::User,
    reference: Reference,
    status: StatusCode,
    msg: String,
    form: &FormData,
) -> Result<HttpResponse, AppError> {
    render(view, me, reference, status, Some(msg), form).await
}

/// A 422 for one field: the message at the field (and at the top), with
/// what was typed kept.
async fn refused_at(
    view: &View,
    me: &crate::db::users::User,
    reference: Reference,
    field: &'static str,
    code: &str,
    form: &FormData,
) -> Result<HttpResponse, AppError> {
    let msg = t(view.lang, &format!("error-{code}"));
    render_page(view, me, reference, StatusCode::UNPROCESSABLE_ENTITY, Some((msg, Some(field))), form, None).await
}

/// How far from today a visit or a move-in may lie. A typo such as year
/// 20266 (or +262142, the last date there is) is refused at the field; it
/// never reaches the calendar invitation or the follow-ups.
const YEARS_AHEAD: u32 = 5;
/// A move-in may be recorded after the fact, up to a year back.
const MOVE_IN_YEARS_BACK: u32 = 1;

fn within_years(date: NaiveDate, today: NaiveDate, back: u32, ahead: u32) -> bool {
    let earliest = today.checked_sub_months(Months::new(12 * back)).unwrap_or(NaiveDate::MIN);
    let latest = today.checked_add_months(Months::new(12 * ahead)).unwrap_or(NaiveDate::MAX);
    (earliest..=latest).contains(&date)
}

/// Today in the municipality's time zone.
pub(crate) fn today(s: &crate::config::Settings) -> NaiveDate {
    chrono::Utc::now().with_timezone(&s.time_zone).date_naive()
}

fn refusal_text(lang: Lang, r: Refusal) -> String {
    t(lang, &format!("refusal-{}", r.code()))
}

/// Back to the case when the pipeline allowed the action; otherwise the
/// case page again (409) with the reason and what was typed.
async fn outcome<T>(
    view: &View,
    me: &crate::db::users::User,
    reference: Reference,
    form: &FormData,
    done: &str,
    result: Result<T, Refusal>,
) -> Result<HttpResponse, AppError> {
    match result {
        Ok(_) => Ok(back(&reference, done, form)),
        Err(refusal) => {
            let msg = refusal_text(view.lang, refusal);
            refused(view, me, reference, StatusCode::CONFLICT, msg, form).await
        }
    }
}

/// `preview` pressed: the case page with the emails the action would send
/// (the action run and rolled back, `workflow::preview`), what was typed
/// kept; a refusal as for the action itself.
async fn preview<F>(
    view: &View,
    me: &crate::db::users::User,
    reference: Reference,
    form: &FormData,
    action: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce(&mut crate::db::Conn) -> Result<Result<(), Refusal>, crate::error::Error> + Send + 'static,
{
    let r = reference.clone();
    let result = view.state.db.write(move |conn| workflow::preview::emails_of(conn, &r, action)).await?;
    match result {
        Ok(emails) => render_page(view, me, reference, StatusCode::OK, None, form, Some(emails)).await,
        Err(refusal) => {
            let msg = refusal_text(view.lang, refusal);
            refused(view, me, reference, StatusCode::CONFLICT, msg, form).await
        }
    }
}

/// What a case action does: given the case, the settings and the actor,
/// one workflow call (the transaction), or the pipeline's refusal.
pub(super) type CaseAction = Box<
    dyn FnOnce(&mut crate::db::Conn, &Settings, &Reference, &str) -> Result<Result<(), Refusal>, crate::error::Error>
        + Send,
>;

/// A case action from its form: with `preview` pressed, the case page
/// showing the emails it would send (nothing kept); otherwise done and
/// back to the case at `done`, or the refusal with what was typed.
pub(super) async fn act(
    view: &View,
    me: &crate::db::users::User,
    reference: Reference,
    form: &FormData,
    done: &str,
    action: CaseAction,
) -> Result<HttpResponse, AppError> {
    let (r, s, actor) = (reference.clone(), view.state.settings.clone(), me.id.clone());
    let run = move |conn: &mut crate::db::Conn| action(conn, &s, &r, &actor);
    if form.has("preview") {
        return preview(view, me, reference, form, run).await;
    }
    let result = view.state.db.write(run).await?;
    outcome(view, me, reference, form, done, result).await
}

/// Short single-line text: 1–`max` characters, no control characters.
pub(crate) fn line(value: &str, max: usize) -> Option<String> {
    let v = value.trim();
    (!v.is_empty() && v.chars().count() <= max && !v.chars().any(char::is_control)).then(|| v.to_string())
}

/// POST /cases/{reference}/information-pack — `note` (optional).
pub async fn information_pack(
    view: View,
    path: web::Path<Reference>,
    StaffUser(me): StaffUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let reference = path.into_inner();
    let note = form.get("note").to_string();
    if let Err(msg) = check_note(view.lang, &note) {
        return refused(&view, &me, reference, StatusCode::UNPROCESSABLE_ENTITY, msg, &form).await;
    }
    let action: CaseAction =
        Box::new(move |conn, s, r, actor| workflow::send_information_pack(conn, s, r, &note, actor).map(Ok));
    act(&view, &me, reference, &form, "info-pack", action).await
}

fn parse_visit(form: &FormData) -> Result<VisitInput, &'static str> {
    let minutes = form.get("visit_minutes").trim();
    let minutes = if minutes.is_empty() { None } else { Some(minutes.parse::<i64>().map_err(|_| "visit-minutes")?) };
    visit_input(
        form.get("visit_date"),
        form.get("visit_time"),
        minutes,
        form.get("visit_place"),
        form.get("visit_note"),
    )
}

/// A visit as typed (the page's form or the API's JSON): the error code
/// of the first field that is wrong.
pub(crate) fn visit_input(
    date: &str,
    time: &str,
    minutes: Option<i64>,
    place: &str,
    note: &str,
) -> Result<VisitInput, &'static str> {
    let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| "visit-date")?;
    let time = NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| "visit-time")?;
    let minutes = match minutes {
        None => 90,
        Some(m) => i32::try_from(m).ok().filter(|m| (15..=480).contains(m)).ok_or("visit-minutes")?,
    };
    let place = line(place, 200).ok_or("visit-place")?;
    let note = note.trim().to_string();
    if note.chars().count() > 2000 || note.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err("visit-note");
    }
    Ok(VisitInput { date, time, minutes, place, note })
}

/// A visit's date against today in the municipality: not past, within
/// the years ahead.
pub(crate) fn visit_date_ok(date: NaiveDate, today: NaiveDate) -> Result<(), &'static str> {
    if date < today {
        return Err("visit-past");
    }
    if !within_years(date, today, 0, YEARS_AHEAD) {
        return Err("visit-date-range");
    }
    Ok(())
}

/// A move-in date: a year back to the years ahead.
pub(crate) fn move_in_date(date: &str, today: NaiveDate) -> Result<NaiveDate, &'static str> {
    let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| "move-in-date")?;
    if !within_years(date, today, MOVE_IN_YEARS_BACK, YEARS_AHEAD) {
        return Err("move-in-date-range");
    }
    Ok(date)
}

/// POST /cases/{reference}/visit — plans or changes the visit.
pub async fn plan_visit(
    view: View,
    path: web::Path<Reference>,
    StaffUser(me): StaffUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let reference = path.into_inner();
    let input = match parse_visit(&form) {
        Ok(i) => i,
        Err("visit-date") => return refused_at(&view, &me, reference, "visit_date", "visit-date", &form).await,
        Err(code) => {
            let msg = t(view.lang, &format!("error-{code}"));
            return refused(&view, &me, reference, StatusCode::UNPROCESSABLE_ENTITY, msg, &form).await;
        }
    };
    if let Err(code) = visit_date_ok(input.date, today(&view.state.settings)) {
        return refused_at(&view, &me, reference, "visit_date", code, &form).await;
    }
    let action: CaseAction = Box::new(move |conn, s, r, actor| workflow::plan_visit(conn, s, r, &input, actor));
    act(&view, &me, reference, &form, "visit", action).await
}

/// The cancellation page: the visit, and (for a case in the visit stage)
/// the stage it should be in afterwards, chosen by the consultant.
async fn cancel_visit_page(
    view: &View,
    me: &crate::db::users::User,
    reference: Reference,
    status: StatusCode,
    form: &FormData,
    errors: Vec<serde_json::Value>,
) -> Result<HttpResponse, AppError> {
    let r = reference.clone();
    let (case, visit) = view
        .state
        .db
        .read(move |conn| {
            let d = crate::db::cases::detail(conn, &r)?;
            let v = crate::db::visits::current(conn, &d.case.id)?;
            Ok((d, v))
        })
        .await?;
    let Some(visit) = visit else { return Ok(back(&reference, "", &FormData::default())) };
    let mut ctx = view.context(Some(me));
    ctx.insert("reference", &reference);
    ctx.insert("mover_name", &case.person.name);
    ctx.insert("when", &super::local_time(visit.starts_at, view.state.settings.time_zone));
    ctx.insert("place", &visit.place);
    ctx.insert("stage", case.case.stage.as_str());
    ctx.insert("after", form.get("after"));
    ctx.insert("note", form.get("note"));
    ctx.insert("errors", &errors);
    view.switch_with_form(&mut ctx, "cancel-visit-form", &format!("/cases/{reference}/visit/cancel"));
    view.page(status, "staff/cancel_visit.html", &ctx)
}

/// GET /cases/{reference}/visit/cancel — asks first: the mover is told at
/// once, and that cannot be taken back; and asks what the cancellation
/// means for the stage.
pub async fn cancel_visit_confirm(
    view: View,
    path: web::Path<Reference>,
    StaffUser(me): StaffUser,
) -> Result<HttpResponse, AppError> {
    cancel_visit_page(&view, &me, path.into_inner(), StatusCode::OK, &FormData::default(), vec![]).await
}

/// POST /cases/{reference}/visit/cancel — `after`: `visit` (stay) or
/// `information` (step back, with `note`, or a note saying the visit was
/// cancelled); required while the case is in the visit stage.
pub async fn cancel_visit(
    view: View,
    path: web::Path<Reference>,
    StaffUser(me): StaffUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let reference = path.into_inner();
    if form.has("switch_language") {
        return cancel_visit_page(&view, &me, reference, StatusCode::OK, &form, vec![]).await;
    }
    let note = form.get("note").trim().to_string();
    if let Err(msg) = check_note(view.lang, &note) {
        let errors = vec![serde_json::json!({ "field": "note", "message": msg })];
        return cancel_visit_page(&view, &me, reference, StatusCode::UNPROCESSABLE_ENTITY, &form, errors).await;
    }
    let after = match form.get("after") {
        "information" => {
            let note = if note.is_empty() { t(view.lang, "cancel-visit-default-note") } else { note };
            workflow::AfterCancel::BackToInformation { note }
        }
        "visit" => workflow::AfterCancel::StayInVisit,
        _ if form.get("stage_was") == "visit" => {
            let errors =
                vec![serde_json::json!({ "field": "after", "message": t(view.lang, "cancel-visit-choose-stage") })];
            return cancel_visit_page(&view, &me, reference, StatusCode::UNPROCESSABLE_ENTITY, &form, errors).await;
        }
        _ => workflow::AfterCancel::StayInVisit,
    };
    let (r, s, actor) = (reference.clone(), view.state.settings.clone(), me.id.clone());
    let result = view.state.db.write(move |conn| workflow::cancel_visit_then(conn, &s, &r, &after, &actor)).await?;
    outcome(&view, &me, reference, &form, "visit-cancelled", result).await
}

/// POST /cases/{reference}/move-in — `move_in_date`, `move_in_area`.
pub async fn move_in(
    view: View,
    path: web::Path<Reference>,
    StaffUser(me): StaffUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let reference = path.into_inner();
    let date = match move_in_date(form.get("move_in_date"), today(&view.state.settings)) {
        Ok(date) => date,
        Err(code) => return refused_at(&view, &me, reference, "move_in_date", code, &form).await,
    };
    // The area goes into the welcome email: the consultant chooses it,
    // nothing is assumed.
    let area = match form.get("move_in_area") {
        "" => return refused_at(&view, &me, reference, "move_in_area", "move-in-area-required", &form).await,
        slug if view.state.settings.area(slug).is_some() => Some(slug.to_string()),
        _ => {
            let msg = t(view.lang, "error-choice-invalid");
            return refused(&view, &me, reference, StatusCode::UNPROCESSABLE_ENTITY, msg, &form).await;
        }
    };
    let action: CaseAction =
        Box::new(move |conn, s, r, actor| workflow::record_move_in(conn, s, r, date, area.as_deref(), actor));
    act(&view, &me, reference, &form, "move-in", action).await
}

/// POST /cases/{reference}/welcome-package — prepares the package for the
/// case's area: `method` (ambassador|local_council|collected), `ambassador`
/// (a user id, for delivery by an ambassador), `details`.
pub async fn welcome_package(
    view: View,
    path: web::Path<Reference>,
    StaffUser(me): StaffUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let reference = path.into_inner();
    let method = form.get("method").to_string();
    let details = form.get("details").to_string();
    if !packages::METHODS.contains(&method.as_str()) {
        let msg = t(view.lang, "error-choice-invalid");
        return refused(&view, &me, reference, StatusCode::UNPROCESSABLE_ENTITY, msg, &form).await;
    }
    if let Err(msg) = check_note(view.lang, &details) {
        return refused(&view, &me, reference, StatusCode::UNPROCESSABLE_ENTITY, msg, &form).await;
    }
    let ambassador_id = Some(form.get("ambassador").to_string()).filter(|a| !a.is_empty());
    let plan = packages::PackagePlan { method, ambassador_id, details };
    let action: CaseAction = Box::new(move |conn, s, r, actor| packages::prepare(conn, s, r, &plan, actor));
    act(&view, &me, reference, &form, "package", action).await
}

/// POST /cases/{reference}/welcome-package/delivered — the package reached
/// the household; the case moves to the welcome-package stage.
pub async fn package_delivered(
    view: View,
    path: web::Path<Reference>,
    StaffUser(me): StaffUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let reference = path.into_inner();
    let action: CaseAction = Box::new(packages::deliver);
    act(&view, &me, reference, &form, "package-delivered", action).await
}

async fn compose_page(
    view: &View,
    me: &crate::db::users::User,
    reference: Reference,
    status: StatusCode,
    form: &FormData,
    preview: Option<crate::mail::render::RenderedEmail>,
    errors: Vec<serde_json::Value>,
) -> Result<HttpResponse, AppError> {
    let r = reference.clone();
    let d = view.state.db.read(move |conn| crate::db::cases::detail(conn, &r)).await?;
    let mut ctx = view.context(Some(me));
    ctx.insert("reference", &reference);
    ctx.insert("mover_name", &d.person.name);
    ctx.insert("mover_email", &d.person.email);
    ctx.insert("mover_language", &d.case.language);
    ctx.insert("subject", form.get("subject"));
    ctx.insert("body", form.get("body"));
    ctx.insert(
        "preview",
        &preview.map(|p| {
            serde_json::json!({ "subject": p.subject, "text": p.text, "html": crate::web::email_preview::fragment(&p.html) })
        }),
    );
    ctx.insert("starters", &workflow::STARTERS);
    ctx.insert("errors", &errors);
    view.switch_with_form(&mut ctx, "compose-form", &format!("/cases/{reference}/email"));
    view.page(status, "staff/compose.html", &ctx)
}

/// GET /cases/{reference}/email[?template=NAME] — write an email to the
/// mover, blank or starting from a template rendered for this case.
pub async fn compose(
    view: View,
    req: actix_web::HttpRequest,
    path: web::Path<Reference>,
    StaffUser(me): StaffUser,
) -> Result<HttpResponse, AppError> {
    let reference = path.into_inner();
    let template = crate::web::query_pairs(&req).get("template").to_string();
    let (r, s) = (reference.clone(), view.state.settings.clone());
    let start = view.state.db.read(move |conn| workflow::starter(conn, &s, &r, &template)).await?;
    let form = match start {
        Some((subject, body)) => FormData(vec![("subject".into(), subject), ("body".into(), body)]),
        None => FormData::default(),
    };
    compose_page(&view, &me, reference, StatusCode::OK, &form, None, vec![]).await
}

/// POST /cases/{reference}/email — `action=preview` shows it as the mover
/// will see it; `action=send` queues it (Reply-To: the consultant).
pub async fn send_email(
    view: View,
    path: web::Path<Reference>,
    StaffUser(me): StaffUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let reference = path.into_inner();
    if form.has("switch_language") {
        return compose_page(&view, &me, reference, StatusCode::OK, &form, None, vec![]).await;
    }
    let mut errors = vec![];
    let subject = line(form.get("subject"), 200);
    if subject.is_none() {
        errors.push(serde_json::json!({ "field": "subject", "message": t(view.lang, "error-required") }));
    }
    let body = form.get("body").trim().to_string();
    if body.is_empty() {
        errors.push(serde_json::json!({ "field": "body", "message": t(view.lang, "error-required") }));
    } else if let Err(msg) = check_note(view.lang, &body) {
        errors.push(serde_json::json!({ "field": "body", "message": msg }));
    }
    let Some(subject) = subject.filter(|_| errors.is_empty()) else {
        return compose_page(&view, &me, reference, StatusCode::UNPROCESSABLE_ENTITY, &form, None, errors).await;
    };
    let (r, s) = (reference.clone(), view.state.settings.clone());
    if form.get("action") == "send" {
        let actor = me.clone();
        view.state.db.write(move |conn| workflow::send_custom(conn, &s, &r, &subject, &body, &actor)).await?;
        return Ok(back(&reference, "email", &form));
    }
    // The preview is the sending itself, rolled back (as for every action).
    let actor = me.clone();
    let emails = view
        .state
        .db
        .write(move |conn| {
            let case = r.clone();
            let send = move |conn: &mut crate::db::Conn| {
                workflow::send_custom(conn, &s, &case, &subject, &body, &actor).map(Ok)
            };
            workflow::preview::emails_of(conn, &r, send)
        })
        .await?;
    let preview = emails.ok().and_then(|emails| emails.into_iter().next());
    compose_page(&view, &me, reference, StatusCode::OK, &form, preview, vec![]).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_far_out_are_outside_the_window() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).expect("date");
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        assert!(within_years(today, today, 0, YEARS_AHEAD));
        assert!(within_years(day(2031, 12, 2), today, 0, YEARS_AHEAD));
        assert!(!within_years(day(2031, 12, 3), today, 0, YEARS_AHEAD));
        assert!(!within_years(NaiveDate::MAX, today, 0, YEARS_AHEAD));
        assert!(!within_years(day(100_000, 1, 1), today, 0, YEARS_AHEAD));
        assert!(within_years(day(2025, 12, 2), today, MOVE_IN_YEARS_BACK, YEARS_AHEAD));
        assert!(!within_years(day(2025, 12, 1), today, MOVE_IN_YEARS_BACK, YEARS_AHEAD));
        assert!(!within_years(NaiveDate::MIN, today, MOVE_IN_YEARS_BACK, YEARS_AHEAD));
        assert!(within_years(NaiveDate::MAX, NaiveDate::MAX, 0, 5), "no overflow at the edge");
    }
}
