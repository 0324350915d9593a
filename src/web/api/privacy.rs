//! Staff API: erasure of a case's person and the export of everything
//! kept about them (CONTRACT.md additions).

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::cases::rfc3339;
use super::cases::{bad, json_object};
use crate::db::cases;
use crate::domain::reference::Reference;
use crate::domain::user::Role;
use crate::web::auth::ApiStaff;
use crate::web::error::{ApiError, AppError};
use crate::web::AppState;
use crate::workflow::privacy::{Rule, MAX_REASON_CHARS};

/// Whether `me` may erase the case assigned to `assignee`: an admin, or
/// the assigned consultant. Everyone else is answered as if the case did
/// not exist.
pub fn may_erase(me: &crate::db::users::User, assignee: Option<&str>) -> bool {
    me.role == Role::Admin || (me.role == Role::Consultant && assignee == Some(me.id.as_str()))
}

/// Erases the person of `reference` for `me` and makes the deletion final
/// in the files (SQLite's WAL checkpoint). `Err(NotFound)` when `me` may
/// not erase it.
pub async fn erase_for(
    state: &AppState,
    me: &crate::db::users::User,
    reference: Reference,
    reason: String,
) -> Result<crate::db::privacy::Erasure, AppError> {
    let r = reference.clone();
    let case = state.db.read(move |conn| cases::find_row(conn, &r)).await?;
    if !may_erase(me, case.assignee_id.as_deref()) {
        return Err(AppError::NotFound);
    }
    let (s, actor) = (state.settings.clone(), me.id.clone());
    let erased = state
        .db
        .write(move |conn| {
            crate::workflow::privacy::erase(conn, &s, &reference, Rule::Staff, Some(&actor), &reason, crate::db::now())
        })
        .await?;
    let db = state.db.clone();
    tokio::task::spawn_blocking(move || crate::db::privacy::checkpoint(&db))
        .await
        .map_err(|e| AppError::internal(format!("checkpoint task: {e}")))??;
    tracing::info!(reference = %erased.reference, actor = %me.id, "person erased");
    Ok(erased)
}

/// POST /api/v1/cases/{reference}/erasure — `{"note": "..."}`: 200
/// `{"reference", "erased_at"}`, also when called again.
pub async fn erase(
    req: HttpRequest,
    path: web::Path<Reference>,
    ApiStaff(me): ApiStaff,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reference = path.into_inner();
    let obj = match json_object(&req, payload, &state, &["note"]).await? {
        Ok(obj) => obj,
        Err(refused) => return Ok(refused),
    };
    let note = match obj.get("note") {
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(required()),
        Some(Value::String(s)) if s.chars().count() <= MAX_REASON_CHARS => s.clone(),
        Some(Value::String(_)) => return Ok(bad("note", "too-long-200")),
        None | Some(Value::Null) => return Ok(required()),
        Some(_) => return Ok(bad("note", "must-be-string")),
    };
    let erased = erase_for(&state, &me, reference, note).await?;
    Ok(HttpResponse::Ok().json(json!({ "reference": erased.reference, "erased_at": rfc3339(erased.erased_at) })))
}

fn required() -> HttpResponse {
    bad("note", "required")
}

/// Everything stored about the person of `reference`, as JSON: the case
/// as the API shows it (with its timeline), and every row of every table
/// that hangs off the case, each column as stored (`db::privacy::rows_of_case`).
pub async fn export_json(state: &AppState, reference: Reference) -> Result<Value, AppError> {
    let (d, timeline, rows) = state
        .db
        .read(move |conn| {
            let d = cases::detail(conn, &reference)?;
            let timeline = cases::timeline(conn, &d.case.id)?;
            let rows = crate::db::privacy::rows_of_case(conn, &d.case.id)?;
            Ok((d, timeline, rows))
        })
        .await?;
    let stored: serde_json::Map<String, Value> =
        rows.into_iter().map(|(table, rows)| (table.to_string(), Value::Array(rows))).collect();
    let s = &state.settings;
    Ok(json!({
        "reference": d.case.reference,
        "exported_at": rfc3339(crate::db::now()),
        "controller": {
            "name": s.municipality.name,
            "address": s.municipality.contact.address,
            "email": s.municipality.contact.email,
            "privacy_notice": s.municipality.contact.privacy_url,
        },
        "case": super::cases::case_json(&d, &timeline),
        "stored": stored,
    }))
}

/// GET /api/v1/cases/{reference}/export
pub async fn export(
    path: web::Path<Reference>,
    ApiStaff(me): ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reference = path.into_inner();
    log_access(&state, &me, &reference, "export", "subject_access").await?;
    Ok(HttpResponse::Ok().json(export_json(&state, reference).await?))
}

/// Records that `me` opened the personal data of `reference` (the access
/// log; a queue listing is not an opening). 404 for an unknown case.
pub async fn log_access(
    state: &AppState,
    me: &crate::db::users::User,
    reference: &Reference,
    what: &'static str,
    purpose: &'static str,
) -> Result<(), AppError> {
    let (r, user) = (reference.clone(), me.clone());
    state.db.write(move |conn| crate::workflow::privacy::record_access(conn, &r, &user, what, purpose)).await?;
    Ok(())
}
