//! The JSON API, v1: public intake and the staff endpoints (bearer tokens).

mod cases;
mod inquiries;
mod openapi;
pub mod privacy;

use actix_web::{http::header, web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use crate::domain::inquiry::FieldError;
use crate::web::error::{ApiError, AppError};
use crate::web::pages::{t, Lang};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/inquiries", web::post().to(inquiries::create))
        .route("/cases", web::get().to(cases::list))
        .route("/cases/{reference}", web::get().to(cases::show))
        .route("/cases/{reference}/transitions", web::post().to(cases::transition))
        .route("/cases/{reference}/referrals", web::post().to(cases::refer))
        .route("/cases/{reference}/erasure", web::post().to(privacy::erase))
        .route("/cases/{reference}/export", web::get().to(privacy::export))
        .route("/openapi.json", web::get().to(openapi::document));
}

/// 422 with every problem at its field (messages in English).
pub fn unprocessable(errors: &[FieldError]) -> HttpResponse {
    let list: Vec<Value> = errors
        .iter()
        .map(|e| json!({ "field": e.field, "code": e.code, "message": t(Lang::En, &format!("error-{}", e.code)) }))
        .collect();
    HttpResponse::UnprocessableEntity().json(json!({ "errors": list }))
}

/// Reads a JSON body: 413 too large; 400 when not `application/json` or malformed.
pub async fn json_body(req: &HttpRequest, payload: web::Payload, limit: usize) -> Result<Value, ApiError> {
    let ctype = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let body = crate::web::read_body(payload.into_inner(), limit).await?;
    if !ctype.starts_with("application/json") {
        return Err(ApiError(AppError::BadRequest("Content-Type must be application/json".into())));
    }
    serde_json::from_slice(&body).map_err(|e| ApiError(AppError::BadRequest(format!("malformed JSON: {e}"))))
}
