//! Erasure from the case page (an admin or the assigned consultant, with a
//! reason: the same workflow as `POST /api/v1/cases/{reference}/erasure`)
//! and the export as a download.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::case::render_page;
use crate::domain::reference::Reference;
use crate::web::api::privacy::{erase_for, may_erase};
use crate::web::auth::StaffUser;
use crate::web::csrf::VerifiedForm;
use crate::web::error::AppError;
use crate::web::pages::t;
use crate::web::View;
use crate::workflow::privacy::MAX_REASON_CHARS;

/// POST /cases/{reference}/erasure — field `reason`.
pub async fn erase(
    view: View,
    path: web::Path<Reference>,
    StaffUser(me): StaffUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let reference = path.into_inner();
    let reason = form.get("reason").trim().to_string();
    let problem = if reason.is_empty() {
        Some(t(view.lang, "error-required"))
    } else if reason.chars().count() > MAX_REASON_CHARS {
        Some(t(view.lang, "error-too-long-200"))
    } else if reason.chars().any(char::is_control) {
        Some(t(view.lang, "error-control-chars"))
    } else {
        None
    };
    if let Some(msg) = problem {
        // Only someone who may erase sees the form (and its errors).
        let r = reference.clone();
        let case = view.state.db.read(move |conn| crate::db::cases::find_row(conn, &r)).await?;
        if !may_erase(&me, case.assignee_id.as_deref()) {
            return Err(AppError::NotFound);
        }
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render_page(&view, &me, reference, status, Some((msg, Some("erase_reason"))), &form, None).await;
    }
    erase_for(&view.state, &me, reference.clone(), reason).await?;
    Ok(super::case_done(&reference, "erased", &form))
}

/// GET /cases/{reference}/export — the JSON of `GET /api/v1/cases/{reference}/export`
/// as a file to hand to the person.
pub async fn export(
    view: View,
    path: web::Path<Reference>,
    StaffUser(me): StaffUser,
) -> Result<HttpResponse, AppError> {
    let reference = path.into_inner();
    crate::web::api::privacy::log_access(&view.state, &me, &reference, "export", "subject_access").await?;
    let file = format!("attachment; filename=\"{reference}.json\"");
    let body = crate::web::api::privacy::export_json(&view.state, reference).await?;
    let pretty = serde_json::to_string_pretty(&body).map_err(|e| AppError::internal(format!("export: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .insert_header((actix_web::http::header::CONTENT_DISPOSITION, file))
        .body(pretty))
}
