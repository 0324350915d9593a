//! Staff API: the queue, a case with its timeline, and transitions.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDateTime, SecondsFormat};
use serde_json::{json, Value};

use super::json_body;
use crate::db::cases::{self, CaseDetail, EventRow};
use crate::domain::case::{Action, Outcome, Stage};
use crate::domain::inquiry::FieldError;
use crate::domain::reference::Reference;
use crate::web::auth::ApiStaff;
use crate::web::error::{ApiError, AppError};
use crate::web::{filters, query_pairs, AppState};

pub fn rfc3339(t: NaiveDateTime) -> String {
    t.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(super) fn opt_time(t: Option<NaiveDateTime>) -> Value {
    t.map_or(Value::Null, |t| Value::String(rfc3339(t)))
}

/// GET /api/v1/cases?stage=&assignee=&area=&q=&overdue=&limit=&after=
pub async fn list(
    req: HttpRequest,
    ApiStaff(me): ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let params = query_pairs(&req);
    if let Some(name) = filters::unknown(&params) {
        let known = filters::KNOWN.join(", ");
        return Err(ApiError(AppError::BadRequest(format!("{name}: unknown parameter; known: {known}"))));
    }
    let q = filters::parse(&params, &me, &state)
        .map_err(|b| ApiError(AppError::BadRequest(format!("{}: {}", b.param, b.message))))?;
    let page = state.db.read(move |conn| cases::queue(conn, &q.filter, q.after.as_ref(), q.limit)).await?;
    let list: Vec<Value> = page
        .rows
        .iter()
        .zip(&page.areas)
        .map(|(r, areas)| {
            json!({
                "reference": r.reference,
                "stage": r.stage,
                "outcome": r.outcome,
                "assignee": r.assignee_id,
                "assignee_name": r.assignee_name,
                "areas": areas,
                "awaiting_first_contact": r.stage == "information" && r.first_contact_at.is_none(),
                "waiting_since": rfc3339(r.waiting_since),
                "created_at": rfc3339(r.created_at),
                "updated_at": rfc3339(r.updated_at),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "cases": list, "next": page.next.map(|c| c.encode()) })))
}

/// One timeline event: `at`, `kind`, `actor` and the facts it carries.
pub(super) fn event_json(e: &EventRow) -> Value {
    let mut v = json!({ "at": rfc3339(e.at), "kind": e.kind, "actor": e.actor });
    if let (Some(obj), Ok(Value::Object(data))) = (v.as_object_mut(), serde_json::from_str::<Value>(&e.data)) {
        for (k, val) in data {
            obj.entry(k).or_insert(val);
        }
    }
    v
}

pub(super) fn case_json(d: &CaseDetail, timeline: &[EventRow]) -> Value {
    let c = &d.case;
    let p = &d.person;
    let events: Vec<Value> = timeline.iter().map(event_json).collect();
    let mut v = json!({
        "reference": c.reference,
        "stage": c.stage,
        "outcome": c.outcome,
        "assignee": c.assignee_id,
        "assignee_name": d.assignee.as_ref().map(|(_, n)| n),
        "name": p.name,
        "email": p.email,
        "phone": p.phone,
        "language": c.language,
        "moving_from": p.moving_from,
        "household": { "adults": c.adults, "children": c.children_years() },
        "areas": d.areas,
        "housing": c.housing,
        "timeframe": c.timeframe,
        "interests": d.interests,
        "job_help": c.job_help,
        "message": p.message,
        "consent": { "ambassador_contact": c.ambassador_contact },
        "campaign": c.campaign,
        "first_contact_at": opt_time(c.first_contact_at),
        "stage_dates": {
            "information": rfc3339(c.created_at),
            "visit": opt_time(c.visit_at),
            "move_in": opt_time(c.move_in_at),
            "welcome_package": opt_time(c.welcome_package_at),
            "closed": opt_time(c.closed_at),
        },
        "created_at": rfc3339(c.created_at),
        "updated_at": rfc3339(c.updated_at),
        "timeline": events,
        "erased_at": opt_time(d.erased_at),
    });
    // An erased person is gone: the record says so with nulls, not blanks.
    if d.erased_at.is_some() {
        for field in ["name", "email", "phone", "message", "moving_from"] {
            v[field] = Value::Null;
        }
    }
    v
}

pub(super) async fn load(state: &AppState, reference: Reference) -> Result<Value, ApiError> {
    let (d, tl) = state
        .db
        .read(move |conn| {
            let d = cases::detail(conn, &reference)?;
            let tl = cases::timeline(conn, &d.case.id)?;
            Ok((d, tl))
        })
        .await?;
    Ok(case_json(&d, &tl))
}

/// GET /api/v1/cases/{reference}
pub async fn show(
    path: web::Path<Reference>,
    ApiStaff(me): ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reference = path.into_inner();
    super::privacy::log_access(&state, &me, &reference, "api_case", "case_work").await?;
    Ok(HttpResponse::Ok().json(load(&state, reference).await?))
}

/// The request's JSON object with only `known` fields, or the 422 saying
/// what is wrong with it.
pub(super) async fn json_object(
    req: &HttpRequest,
    payload: web::Payload,
    state: &AppState,
    known: &[&str],
) -> Result<Result<serde_json::Map<String, Value>, HttpResponse>, ApiError> {
    let Value::Object(obj) = json_body(req, payload, state.settings.intake.max_body_bytes).await? else {
        return Ok(Err(bad("(body)", "must-be-object")));
    };
    match obj.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Ok(Err(bad(k, "unknown-field"))),
        None => Ok(Ok(obj)),
    }
}

/// An optional note-like field (absent or null: empty): a string of at
/// most 4000 characters, line breaks and tabs but no other control
/// characters; otherwise the 422 to answer.
pub(super) fn free_text(obj: &serde_json::Map<String, Value>, field: &str) -> Result<String, FieldError> {
    let text = match obj.get(field) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(FieldError::new(field, "must-be-string")),
    };
    match crate::web::staff::case::note_problem(&text) {
        Some(code) => Err(FieldError::new(field, code)),
        None => Ok(text),
    }
}

pub(super) fn bad(field: &str, code: &'static str) -> HttpResponse {
    super::unprocessable(&[FieldError::new(field, code)])
}

/// POST /api/v1/cases/{reference}/transitions — `{"to": STAGE, "note"}`
/// (forward, or back with a note), `{"close": OUTCOME, "note"}`, or
/// `{"reopen": true, "note"}`. 409 with the reason when the pipeline refuses.
pub async fn transition(
    req: HttpRequest,
    path: web::Path<Reference>,
    ApiStaff(me): ApiStaff,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reference = path.into_inner();
    let obj = match json_object(&req, payload, &state, &["to", "close", "reopen", "note", "reason"]).await? {
        Ok(obj) => obj,
        Err(refused) => return Ok(refused),
    };
    let note = match free_text(&obj, "note") {
        Ok(note) => note,
        Err(e) => return Ok(super::unprocessable(&[e])),
    };
    // The case must exist before we judge the move (404 beats 409).
    let r = reference.clone();
    let current = state.db.read(move |conn| cases::detail(conn, &r)).await?.case.state();
    let action = match (obj.get("to"), obj.get("close"), obj.get("reopen")) {
        (Some(Value::String(to)), None, None) => match Stage::parse(to) {
            Some(to) if current.stage.is_open() && to < current.stage => Action::StepBack(to),
            Some(to) => Action::MoveTo(to),
            None => return Ok(bad("to", "stage-invalid")),
        },
        (None, Some(Value::String(o)), None) => match Outcome::parse(o) {
            Some(o) => Action::Close(o),
            None => return Ok(bad("close", "outcome-invalid")),
        },
        (None, None, Some(Value::Bool(true))) => Action::Reopen,
        _ => return Ok(bad("(body)", "transition-shape")),
    };
    // Why a case closes (optional, only with `close`): CONTRACT "Closing with a reason".
    let reason = match (obj.get("reason"), &action) {
        (None | Some(Value::Null), _) => None,
        (Some(Value::String(r)), Action::Close(_)) => match crate::domain::report::CloseReason::parse(r) {
            Some(r) => Some(r),
            None => return Ok(bad("reason", "reason-invalid")),
        },
        (Some(_), Action::Close(_)) => return Ok(bad("reason", "must-be-string")),
        (Some(_), _) => return Ok(bad("reason", "reason-only-with-close")),
    };
    let (r, n, actor, s) = (reference.clone(), note, me.id.clone(), state.settings.clone());
    let done = state
        .db
        .write(move |conn| match action {
            Action::Close(outcome) => {
                let why = crate::workflow::cases::CloseWhy { reason, chose_instead: None };
                crate::workflow::cases::close(conn, &s, &r, outcome, &why, &n, &actor)
            }
            _ => crate::workflow::transition(conn, &s, &r, &action, &n, &actor),
        })
        .await?;
    match done {
        Ok(_) => Ok(HttpResponse::Ok().json(load(&state, reference).await?)),
        Err(refusal) => {
            Ok(HttpResponse::Conflict().json(json!({ "error": refusal.message_en(), "code": refusal.code() })))
        }
    }
}

/// POST /api/v1/cases/{reference}/referrals — `{"ambassador": EMAIL, "message": "..."}`:
/// 201 with the referral; 409 without the mover's consent; 404 for an
/// unknown case or ambassador.
pub async fn refer(
    req: HttpRequest,
    path: web::Path<Reference>,
    ApiStaff(me): ApiStaff,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reference = path.into_inner();
    let obj = match json_object(&req, payload, &state, &["ambassador", "message"]).await? {
        Ok(obj) => obj,
        Err(refused) => return Ok(refused),
    };
    let Some(Value::String(email)) = obj.get("ambassador") else { return Ok(bad("ambassador", "must-be-string")) };
    let message = match free_text(&obj, "message") {
        Ok(message) => message,
        Err(e) => return Ok(super::unprocessable(&[e])),
    };
    let (r, e) = (reference.clone(), email.clone());
    let amb = state
        .db
        .read(move |conn| {
            cases::detail(conn, &r)?;
            crate::db::ambassadors::find_by_email(conn, &e)
        })
        .await?;
    let Some(amb) = amb else { return Err(ApiError(AppError::NotFound)) };
    let (s, actor) = (state.settings.clone(), me.id.clone());
    let result = state
        .db
        .write(move |conn| crate::workflow::referrals::refer(conn, &s, &reference, &amb.user.id, &message, &actor))
        .await?;
    use crate::workflow::referrals::ReferRefusal;
    match result {
        Ok(r) => Ok(HttpResponse::Created().json(json!({
            "id": r.id, "state": r.state, "ambassador": email.trim().to_lowercase(), "message": r.message,
            "created_at": rfc3339(r.created_at),
        }))),
        Err(ReferRefusal::NoSuchAmbassador) => Err(ApiError(AppError::NotFound)),
        Err(refusal) => {
            Ok(HttpResponse::Conflict().json(json!({ "error": refusal.message_en(), "code": refusal.code() })))
        }
    }
}
