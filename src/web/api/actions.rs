//! Staff API: every case action of the case page as a JSON call. Each
//! handler parses and checks the input as the page does (the same
//! validators), then calls the same `workflow` function the page calls, so
//! the rules, the timeline events, the emails and the refusal codes are
//! the page's. A successful action answers 200 with the case as
//! `GET /api/v1/cases/{reference}` shows it.

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use super::cases::{bad, event_json, free_text, json_object, load, rfc3339};
use crate::db::cases::{self, Cursor};
use crate::domain::case::Refusal;
use crate::domain::inquiry::FieldError;
use crate::domain::reference::Reference;
use crate::web::auth::ApiStaff;
use crate::web::error::{ApiError, AppError};
use crate::web::pages::{t, Lang};
use crate::web::staff::actions::{line, move_in_date, today, visit_date_ok, visit_input};
use crate::web::{query_pairs, AppState};
use crate::workflow::{self, packages};

type Fields = Map<String, Value>;

/// 409 `{"error", "code"}`: the pipeline's reason, as for transitions.
fn conflict(refusal: Refusal) -> HttpResponse {
    HttpResponse::Conflict().json(json!({ "error": refusal.message_en(), "code": refusal.code() }))
}

/// The case after an action that worked; the refusal's 409 otherwise.
async fn answer<T>(
    state: &AppState,
    reference: Reference,
    result: Result<T, Refusal>,
) -> Result<HttpResponse, ApiError> {
    match result {
        Ok(_) => Ok(HttpResponse::Ok().json(load(state, reference).await?)),
        Err(refusal) => Ok(conflict(refusal)),
    }
}

/// An optional string field (absent or null: empty).
fn string(obj: &Fields, field: &str) -> Result<String, FieldError> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(FieldError::new(field, "must-be-string")),
    }
}

/// A note (as on the case page): optional unless `required`.
fn note(obj: &Fields, field: &str, required: bool) -> Result<String, FieldError> {
    let text = free_text(obj, field)?;
    if required && text.trim().is_empty() {
        return Err(FieldError::new(field, "required"));
    }
    Ok(text)
}

/// The body's fields, or the 422 (or 400, 413) to answer instead.
macro_rules! fields {
    ($req:expr, $payload:expr, $state:expr, $known:expr) => {
        match json_object(&$req, $payload, &$state, $known).await? {
            Ok(obj) => obj,
            Err(refused) => return Ok(refused),
        }
    };
}

/// Unwraps a field's value or answers its 422.
macro_rules! field {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return Ok(super::unprocessable(&[e])),
        }
    };
}

/// Whether the request carries a body (an action that takes none accepts
/// no body at all, or `{}`).
fn has_body(req: &HttpRequest) -> bool {
    use actix_web::http::header;
    req.headers().contains_key(header::TRANSFER_ENCODING)
        || req.headers().get(header::CONTENT_LENGTH).is_some_and(|v| v.as_bytes() != b"0")
}

/// The case must exist before anything is judged (404 beats 422 and 409).
async fn existing(state: &AppState, reference: &Reference) -> Result<cases::CaseDetail, ApiError> {
    let r = reference.clone();
    Ok(state.db.read(move |conn| cases::detail(conn, &r)).await?)
}

/// POST /api/v1/cases/{reference}/notes — `{"note": "..."}`: an internal
/// note on the timeline.
pub async fn note_add(
    req: HttpRequest,
    path: web::Path<Reference>,
    ApiStaff(me): ApiStaff,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reference = path.into_inner();
    existing(&state, &reference).await?;
    let obj = fields!(req, payload, state, &["note"]);
    let text = field!(note(&obj, "note", true));
    let (r, actor) = (reference.clone(), me.id.clone());
    state.db.write(move |conn| workflow::cases::add_note(conn, &r, &text, &actor)).await?;
    Ok(HttpResponse::Ok().json(load(&state, reference).await?))
}

/// POST /api/v1/cases/{reference}/assignment — `{"assignee": "me" | USER_ID | null}`;
/// null unassigns. 422 for someone who is not an active consultant or admin.
pub async fn assign(
    req: HttpRequest,
    path: web::Path<Reference>,
    ApiStaff(me): ApiStaff,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reference = path.into_inner();
    existing(&state, &reference).await?;
    let obj = fields!(req, payload, state, &["assignee"]);
    let assignee = match obj.get("assignee") {
        Some(Value::Null) => None,
        Some(Value::String(s)) if s == "me" => Some(me.id.clone()),
        Some(Value::String(s)) => Some(s.clone()),
        None => return Ok(bad("assignee", "required")),
        Some(_) => return Ok(bad("assignee", "must-be-string")),
    };
    let (r, actor) = (reference.clone(), me.id.clone());
    match state.db.write(move |conn| workflow::cases::assign(conn, &r, assignee.as_deref(), &actor)).await {
        Ok(()) => Ok(HttpResponse::Ok().json(load(&state, reference).await?)),
        Err(crate::error::Error::Refused(crate::error::Refusal::UnknownAssignee)) => {
            Ok(bad("assignee", "unknown-assignee"))
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /api/v1/cases/{reference}/first-contact — `{"note"?}`: the mover
/// has been contacted; the case stops counting against the response-time
/// goal. Again on a case already contacted: nothing changes, 200.
pub async fn first_contact(
    req: HttpRequest,
    path: web::Path<Reference>,
    ApiStaff(me): ApiStaff,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reference = path.into_inner();
    existing(&state, &reference).await?;
    let obj = fields!(req, payload, state, &["note"]);
    let text = field!(note(&obj, "note", false));
    let (r, actor) = (reference.clone(), me.id.clone());
    state.db.write(move |conn| workflow::cases::record_first_contact(conn, &r, &text, &actor)).await?;
    Ok(HttpResponse::Ok().json(load(&state, reference).await?))
}

/// POST /api/v1/cases/{reference}/information-pack — `{"note"?}`: sends the
/// information pack fitted to the household (the first contact too).
pub async fn information_pack(
    req: HttpRequest,
    path: web::Path<Reference>,
    ApiStaff(me): ApiStaff,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reference = path.into_inner();
    existing(&state, &reference).await?;
    let obj = fields!(req, payload, state, &["note"]);
    let text = field!(note(&obj, "note", false));
    let (r, s, actor) = (reference.clone(), state.settings.clone(), me.id.clone());
    state.db.write(move |conn| workflow::send_information_pack(conn, &s, &r, &text, &actor)).await?;
    Ok(HttpResponse::Ok().json(load(&state, reference).await?))
}

/// The field of the visit body a visit error code is about.
fn visit_field(code: &str) -> &'static str {
    match code {
        "visit-time" => "time",
        "visit-minutes" => "minutes",
        "visit-place" => "place",
        "visit-note" => "note",
        _ => "date",
    }
}

/// POST /api/v1/cases/{reference}/visit — `{"date": "YYYY-MM-DD", "time":
/// "HH:MM", "minutes"?: 15–480, "place", "note"?}`: plans the visit (a case
/// in information moves to visit) or changes the planned one; the mover
/// gets the invitation or update with a calendar file.
pub async fn plan_visit(
    req: HttpRequest,
    path: web::Path<Reference>,
    ApiStaff(me): ApiStaff,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reference = path.into_inner();
    existing(&state, &reference).await?;
    let obj = fields!(req, payload, state, &["date", "time", "minutes", "place", "note"]);
    let (date, time, place, note) = (
        field!(string(&obj, "date")),
        field!(string(&obj, "time")),
        field!(string(&obj, "place")),
        field!(string(&obj, "note")),
    );
    let minutes = match obj.get("minutes") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.is_i64() => n.as_i64(),
        Some(_) => return Ok(bad("minutes", "must-be-integer")),
    };
    let input = match visit_input(&date, &time, minutes, &place, &note) {
        Ok(input) => input,
        Err(code) => return Ok(bad(visit_field(code), code)),
    };
    if let Err(code) = visit_date_ok(input.date, today(&state.settings)) {
        return Ok(bad("date", code));
    }
    let (r, s, actor) = (reference.clone(), state.settings.clone(), me.id.clone());
    let result = state.db.write(move |conn| workflow::plan_visit(conn, &s, &r, &input, &actor)).await?;
    answer(&state, reference, result).await
}

/// POST /api/v1/cases/{reference}/visit/cancellation — `{"after": "visit" |
/// "information", "note"?}`: cancels the planned visit (the mover is told);
/// `after` says where the case stands then and is required while it is in
/// the visit stage (`information` steps back, with the note). 409
/// `no-visit` when no visit is planned.
pub async fn cancel_visit(
    req: HttpRequest,
    path: web::Path<Reference>,
    ApiStaff(me): ApiStaff,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reference = path.into_inner();
    let case = existing(&state, &reference).await?;
    let obj = fields!(req, payload, state, &["after", "note"]);
    let text = field!(note(&obj, "note", false)).trim().to_string();
    let after = field!(string(&obj, "after"));
    let after = match after.as_str() {
        "information" => {
            // The page's default note, in the municipality's language.
            let note = if text.is_empty() { t(Lang::Da, "cancel-visit-default-note") } else { text };
            workflow::AfterCancel::BackToInformation { note }
        }
        "visit" => workflow::AfterCancel::StayInVisit,
        "" if case.case.stage != crate::domain::case::Stage::Visit => workflow::AfterCancel::StayInVisit,
        "" => return Ok(bad("after", "required")),
        _ => return Ok(bad("after", "choice-invalid")),
    };
    let (r, s, actor) = (reference.clone(), state.settings.clone(), me.id.clone());
    match state.db.write(move |conn| workflow::cancel_visit_then(conn, &s, &r, &after, &actor)).await? {
        Ok(true) => Ok(HttpResponse::Ok().json(load(&state, reference).await?)),
        Ok(false) => Ok(HttpResponse::Conflict()
            .json(json!({ "error": "there is no planned visit to cancel", "code": "no-visit" }))),
        Err(refusal) => Ok(conflict(refusal)),
    }
}

/// POST /api/v1/cases/{reference}/move-in — `{"date": "YYYY-MM-DD", "area":
/// SLUG}`: records the move-in (a year back to five years ahead) and moves
/// the case to move-in; the mover gets the welcome email.
pub async fn move_in(
    req: HttpRequest,
    path: web::Path<Reference>,
    ApiStaff(me): ApiStaff,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reference = path.into_inner();
    existing(&state, &reference).await?;
    let obj = fields!(req, payload, state, &["date", "area"]);
    let (date, area) = (field!(string(&obj, "date")), field!(string(&obj, "area")));
    let date = match move_in_date(&date, today(&state.settings)) {
        Ok(date) => date,
        Err(code) => return Ok(bad("date", code)),
    };
    if area.is_empty() {
        return Ok(bad("area", "move-in-area-required"));
    }
    if state.settings.area(&area).is_none() {
        return Ok(bad("area", "choice-invalid"));
    }
    let (r, s, actor) = (reference.clone(), state.settings.clone(), me.id.clone());
    let result = state.db.write(move |conn| workflow::record_move_in(conn, &s, &r, date, Some(&area), &actor)).await?;
    answer(&state, reference, result).await
}

/// POST /api/v1/cases/{reference}/welcome-package — `{"method": "ambassador"
/// | "local_council" | "collected", "ambassador"?: USER_ID, "details"?}`:
/// prepares the package for the case's area while it is in move-in; the
/// mover is told how it reaches them.
pub async fn welcome_package(
    req: HttpRequest,
    path: web::Path<Reference>,
    ApiStaff(me): ApiStaff,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reference = path.into_inner();
    existing(&state, &reference).await?;
    let obj = fields!(req, payload, state, &["method", "ambassador", "details"]);
    let method = field!(string(&obj, "method"));
    if !packages::METHODS.contains(&method.as_str()) {
        return Ok(bad("method", "choice-invalid"));
    }
    let details = field!(note(&obj, "details", false));
    let ambassador_id = Some(field!(string(&obj, "ambassador"))).filter(|a| !a.is_empty());
    let plan = packages::PackagePlan { method, ambassador_id, details };
    let (r, s, actor) = (reference.clone(), state.settings.clone(), me.id.clone());
    let result = state.db.write(move |conn| packages::prepare(conn, &s, &r, &plan, &actor)).await?;
    answer(&state, reference, result).await
}

/// POST /api/v1/cases/{reference}/welcome-package/delivery — no body (or
/// `{}`): the package reached the household; the case moves to the
/// welcome-package stage.
pub async fn package_delivered(
    req: HttpRequest,
    path: web::Path<Reference>,
    ApiStaff(me): ApiStaff,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reference = path.into_inner();
    existing(&state, &reference).await?;
    if has_body(&req) {
        fields!(req, payload, state, &[]);
    }
    let (r, s, actor) = (reference.clone(), state.settings.clone(), me.id.clone());
    let result = state.db.write(move |conn| packages::deliver(conn, &s, &r, &actor)).await?;
    answer(&state, reference, result).await
}

/// POST /api/v1/cases/{reference}/emails — `{"subject", "body"}` (written
/// by the caller) or `{"template": NAME}` (one of the starters the page
/// offers, rendered for this case): queued to the mover, replies to the
/// caller. 200 with the case (its timeline shows the email queued).
pub async fn send_email(
    req: HttpRequest,
    path: web::Path<Reference>,
    ApiStaff(me): ApiStaff,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reference = path.into_inner();
    existing(&state, &reference).await?;
    let obj = fields!(req, payload, state, &["subject", "body", "template"]);
    let template = field!(string(&obj, "template"));
    let (subject, body) = if obj.contains_key("template") {
        if obj.contains_key("subject") || obj.contains_key("body") {
            return Ok(bad("(body)", "email-shape"));
        }
        if !workflow::STARTERS.contains(&template.as_str()) {
            return Ok(bad("template", "choice-invalid"));
        }
        let (r, s) = (reference.clone(), state.settings.clone());
        match state.db.read(move |conn| workflow::starter(conn, &s, &r, &template)).await? {
            Some(started) => started,
            None => return Ok(bad("template", "choice-invalid")),
        }
    } else {
        let subject = field!(string(&obj, "subject"));
        let Some(subject) = line(&subject, 200) else {
            let code = match subject.trim().chars().count() {
                0 => "required",
                201.. => "too-long-200",
                _ => "control-chars",
            };
            return Ok(bad("subject", code));
        };
        let body = field!(note(&obj, "body", true)).trim().to_string();
        (subject, body)
    };
    let (r, s, actor) = (reference.clone(), state.settings.clone(), me.clone());
    state.db.write(move |conn| workflow::send_custom(conn, &s, &r, &subject, &body, &actor)).await?;
    Ok(HttpResponse::Ok().json(load(&state, reference).await?))
}

fn referral_json(r: &crate::db::referrals::Referral, ambassador_name: &str) -> Value {
    json!({
        "id": r.id, "state": r.state, "ambassador_id": r.ambassador_id, "ambassador_name": ambassador_name,
        "message": r.message, "decline_reason": r.decline_reason, "report": r.report,
        "created_at": rfc3339(r.created_at), "updated_at": rfc3339(r.updated_at),
    })
}

/// GET /api/v1/cases/{reference}/referrals — every referral of the case
/// with its state, oldest first.
pub async fn referrals(
    path: web::Path<Reference>,
    ApiStaff(_me): ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reference = path.into_inner();
    let list = state
        .db
        .read(move |conn| {
            let d = cases::detail(conn, &reference)?;
            crate::db::referrals::for_case(conn, &d.case.id)
        })
        .await?;
    let list: Vec<Value> = list.iter().map(|(r, name)| referral_json(r, name)).collect();
    Ok(HttpResponse::Ok().json(json!({ "referrals": list })))
}

/// POST /api/v1/cases/{reference}/referrals/{id}/withdrawal — no body (or
/// `{}`): the consultant takes the referral back. 200 with the referral;
/// 409 `{"error", "code"}` when its state does not allow it; 404 for a
/// referral that is not the case's.
pub async fn withdraw_referral(
    req: HttpRequest,
    path: web::Path<(Reference, String)>,
    ApiStaff(me): ApiStaff,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (reference, id) = path.into_inner();
    if has_body(&req) {
        fields!(req, payload, state, &[]);
    }
    let i = id.clone();
    let belongs = state
        .db
        .read(move |conn| {
            let d = cases::detail(conn, &reference)?;
            Ok(crate::db::referrals::get(conn, &i)?.is_some_and(|r| r.case_id == d.case.id))
        })
        .await?;
    if !belongs {
        return Err(ApiError(AppError::NotFound));
    }
    let (s, actor) = (state.settings.clone(), me.clone());
    let step = crate::domain::referral::Step::Withdraw;
    use crate::workflow::referrals::StepRefusal;
    match state.db.write(move |conn| workflow::referrals::take_step(conn, &s, &id, &step, &actor, false)).await? {
        Ok(r) => {
            let rid = r.ambassador_id.clone();
            let name = state.db.read(move |conn| crate::db::users::find(conn, &rid)).await?.map(|u| u.name);
            Ok(HttpResponse::Ok().json(referral_json(&r, name.as_deref().unwrap_or(""))))
        }
        Err(StepRefusal::NotFound) => Err(ApiError(AppError::NotFound)),
        Err(StepRefusal::Rule(rule)) => {
            Ok(HttpResponse::Conflict().json(json!({ "error": rule.message_en(), "code": rule.code() })))
        }
    }
}

/// GET /api/v1/cases/{reference}/timeline?limit=&after= — the timeline
/// page by page, oldest first: `{"events": [...], "next": CURSOR | null}`;
/// `limit` 1–200 (default 50). Each event as in the case, with its `id`.
pub async fn timeline(
    req: HttpRequest,
    path: web::Path<Reference>,
    ApiStaff(me): ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reference = path.into_inner();
    let params = query_pairs(&req);
    if let Some((name, _)) = params.0.iter().find(|(k, _)| k != "limit" && k != "after") {
        return Err(ApiError(AppError::BadRequest(format!("{name}: unknown parameter; known: limit, after"))));
    }
    let limit = match params.get("limit") {
        "" => 50,
        l => l
            .parse::<i64>()
            .ok()
            .filter(|l| (1..=200).contains(l))
            .ok_or_else(|| ApiError(AppError::BadRequest("limit: must be a whole number 1–200".into())))?,
    };
    let after = match params.get("after") {
        "" => None,
        a => Some(Cursor::decode(a).ok_or_else(|| ApiError(AppError::BadRequest("after: not a cursor".into())))?),
    };
    super::privacy::log_access(&state, &me, &reference, "api_case", "case_work").await?;
    let page = state
        .db
        .read(move |conn| {
            let d = cases::detail(conn, &reference)?;
            cases::timeline_page(conn, &d.case.id, after.as_ref(), limit + 1)
        })
        .await?;
    let more = page.len() as i64 > limit;
    let shown = &page[..page.len().min(limit as usize)];
    let next =
        more.then(|| shown.last()).flatten().map(|(id, e)| Cursor { waiting_since: e.at, id: id.clone() }.encode());
    let events: Vec<Value> = shown
        .iter()
        .map(|(id, e)| {
            let mut v = event_json(e);
            v["id"] = Value::String(id.clone());
            v
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "events": events, "next": next })))
}
