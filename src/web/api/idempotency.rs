//! `Idempotency-Key` on the API's POSTs: a client that retries after a
//! timeout gets the first answer again and nothing happens twice.
//!
//! Keys belong to a token (two integrations never see each other's
//! answers) and live a day (`workflow::idempotency::KEPT_HOURS`). The
//! request's fingerprint is its method, path and body: the same key with
//! another request is 422. A retry while the first is still being
//! answered is 409. Only answers that settle the request are kept (2xx,
//! and 4xx but 401, 403, 408 and 429): a failure worth retrying releases
//! the key. Without a live bearer token the header is ignored (the public
//! intake has no one to keep answers for); the handler then answers as
//! always.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse, ResponseError};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::db::idempotency::Claim;
use crate::domain::inquiry::FieldError;
use crate::domain::reference::Reference;
use crate::web::error::{ApiError, AppError};
use crate::web::AppState;
use crate::workflow::idempotency as flow;

pub const HEADER: &str = "idempotency-key";
/// Set on an answer that was kept from the first request.
pub const REPLAYED: &str = "idempotent-replayed";

/// A key: 1–255 visible ASCII characters (a UUID is the usual choice).
fn valid_key(key: &str) -> bool {
    (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

fn fingerprint(method: &Method, path: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(method.as_str().as_bytes());
    h.update(b" ");
    h.update(path.as_bytes());
    h.update(b"\n");
    h.update(body);
    hex::encode(h.finalize())
}

/// Whether an answer settles the request (kept) or invites a retry (the
/// key is released).
fn settles(status: StatusCode) -> bool {
    (status.is_success() || status.is_client_error())
        && !matches!(
            status,
            StatusCode::UNAUTHORIZED
                | StatusCode::FORBIDDEN
                | StatusCode::REQUEST_TIMEOUT
                | StatusCode::TOO_MANY_REQUESTS
        )
}

/// The case a request concerned: its path (`/cases/{reference}/…`) or its
/// answer (`{"reference": …}` of a new inquiry).
fn case_of(path: &str, body: &[u8]) -> Option<Reference> {
    let from_path = path.split('/').skip_while(|s| *s != "cases").nth(1).and_then(Reference::parse);
    from_path.or_else(|| {
        let v: Value = serde_json::from_slice(body).ok()?;
        Reference::parse(v.get("reference")?.as_str()?)
    })
}

fn answer(req: ServiceRequest, resp: HttpResponse) -> ServiceResponse<BoxBody> {
    req.into_response(resp)
}

fn error(req: ServiceRequest, e: AppError) -> ServiceResponse<BoxBody> {
    answer(req, ApiError(e).error_response())
}

/// The middleware of the `/api/v1` scope.
pub async fn idempotent(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let key = req.headers().get(HEADER).map(|v| v.to_str().map(str::to_string));
    let Some(key) = key.filter(|_| req.method() == Method::POST) else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    let Some(key) = key.ok().filter(|k| valid_key(k)) else {
        return Ok(error(req, AppError::BadRequest("Idempotency-Key: 1–255 visible ASCII characters".into())));
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(error(req, AppError::internal("no state")));
    };
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| crate::crypto::token_hash(t.trim()));
    let now = crate::db::now();
    let token_id = match bearer {
        Some(hash) => {
            state.db.read(move |conn| crate::db::tokens::live_id(conn, &hash, now)).await.map_err(ApiError::from)?
        }
        None => None,
    };
    let Some(token_id) = token_id else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };

    let body = match crate::web::read_body(req.take_payload(), state.settings.intake.max_body_bytes).await {
        Ok(body) => body.freeze(),
        Err(e) => return Ok(error(req, e)),
    };
    let print = fingerprint(req.method(), req.path(), &body);
    let (t, k) = (token_id.clone(), key.clone());
    let claim = state.db.write(move |conn| flow::claim(conn, &t, &k, &print, now)).await.map_err(ApiError::from)?;
    match claim {
        Claim::New => {}
        Claim::Answered { status, body } => {
            let status = StatusCode::from_u16(status).map_err(|e| ApiError(AppError::internal(e.to_string())))?;
            let resp = match body {
                Some(body) => HttpResponse::build(status)
                    .insert_header((REPLAYED, "true"))
                    .content_type("application/json")
                    .body(body),
                // The person the answer was about has been erased since.
                None => HttpResponse::Gone().insert_header((REPLAYED, "true")).json(json!({
                    "error": "the answer to this Idempotency-Key held personal data that has been erased",
                    "code": "idempotency-answer-erased",
                })),
            };
            return Ok(answer(req, resp));
        }
        Claim::InFlight => {
            let resp = HttpResponse::Conflict().json(json!({
                "error": "a request with this Idempotency-Key is still being answered; retry later",
                "code": "idempotency-in-flight",
            }));
            return Ok(answer(req, resp));
        }
        Claim::OtherRequest => {
            let resp = super::unprocessable(&[FieldError::new("Idempotency-Key", "idempotency-key-reused")]);
            return Ok(answer(req, resp));
        }
    }

    req.set_payload(actix_web::dev::Payload::from(body));
    let path = req.path().to_string();
    let result = next.call(req).await;
    let (t, k) = (token_id.clone(), key.clone());
    let res = match result {
        Ok(res) => res,
        Err(e) => {
            state.db.write(move |conn| flow::release(conn, &t, &k)).await.map_err(ApiError::from)?;
            return Err(e);
        }
    };
    let status = res.status();
    if !settles(status) {
        state.db.write(move |conn| flow::release(conn, &t, &k)).await.map_err(ApiError::from)?;
        return Ok(res.map_into_boxed_body());
    }
    let (req, res) = res.into_parts();
    let (head, body) = res.into_parts();
    let bytes = match actix_web::body::to_bytes(body).await {
        Ok(bytes) => bytes,
        Err(_) => {
            state.db.write(move |conn| flow::release(conn, &t, &k)).await.map_err(ApiError::from)?;
            return Err(ApiError(AppError::internal("an answer could not be read")).into());
        }
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let about = case_of(&path, &bytes);
    state
        .db
        .write(move |conn| flow::keep_answer(conn, &t, &k, status.as_u16(), &text, about.as_ref()))
        .await
        .map_err(ApiError::from)?;
    let res = head.set_body(BoxBody::new(bytes));
    Ok(ServiceResponse::new(req, res))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fingerprints_and_what_is_kept() {
        assert!(valid_key("3f1c2a9e-6b7d-4c1e-9a2b-0c4d5e6f7a8b"));
        assert!(!valid_key("") && !valid_key("a b") && !valid_key("é") && !valid_key(&"x".repeat(256)));
        let a = fingerprint(&Method::POST, "/api/v1/cases/VK-2026-7QK3MD/notes", b"{\"note\":\"a\"}");
        assert_ne!(a, fingerprint(&Method::POST, "/api/v1/cases/VK-2026-7QK3MD/notes", b"{\"note\":\"b\"}"));
        assert_ne!(a, fingerprint(&Method::POST, "/api/v1/cases/VK-2026-7QK3MF/notes", b"{\"note\":\"a\"}"));
        assert!(
            settles(StatusCode::CREATED) && settles(StatusCode::CONFLICT) && settles(StatusCode::UNPROCESSABLE_ENTITY)
        );
        assert!(!settles(StatusCode::TOO_MANY_REQUESTS) && !settles(StatusCode::SERVICE_UNAVAILABLE));
        assert!(!settles(StatusCode::UNAUTHORIZED) && !settles(StatusCode::INTERNAL_SERVER_ERROR));
        assert_eq!(
            case_of("/api/v1/cases/VK-2026-7QK3MD/notes", b"{}").map(|r| r.to_string()),
            Some("VK-2026-7QK3MD".into())
        );
        assert_eq!(
            case_of("/api/v1/inquiries", b"{\"reference\":\"VK-2026-7QK3MD\"}").map(|r| r.to_string()),
            Some("VK-2026-7QK3MD".into())
        );
        assert_eq!(case_of("/api/v1/inquiries", b"{\"errors\":[]}"), None);
    }
}
