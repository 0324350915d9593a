//! The JSON API, v1: public intake and the staff endpoints (bearer tokens).

mod actions;
mod cases;
pub mod idempotency;
mod inquiries;
mod openapi;
pub mod privacy;
mod reports;

use actix_web::http::{header, Method};
use actix_web::{web, HttpRequest, HttpResponse, Route};
use serde_json::{json, Value};

use crate::domain::inquiry::FieldError;
use crate::web::error::{ApiError, AppError};
use crate::web::pages::{t, Lang};

/// Every endpoint of the API: its path (as in the OpenAPI document) and
/// its methods. `routes` registers exactly these, each path one resource
/// whose other methods answer 405 with `Allow`; the document is checked
/// against this list (`tests::every_route_is_documented_and_nothing_else`).
pub(crate) fn endpoints() -> Vec<(&'static str, Vec<(Method, Route)>)> {
    vec![
        ("/inquiries", vec![post(inquiries::create)]),
        ("/cases", vec![get(cases::list)]),
        ("/cases/{reference}", vec![get(cases::show)]),
        ("/cases/{reference}/transitions", vec![post(cases::transition)]),
        ("/cases/{reference}/referrals", vec![get(actions::referrals), post(cases::refer)]),
        ("/cases/{reference}/referrals/{id}/withdrawal", vec![post(actions::withdraw_referral)]),
        ("/cases/{reference}/notes", vec![post(actions::note_add)]),
        ("/cases/{reference}/assignment", vec![post(actions::assign)]),
        ("/cases/{reference}/first-contact", vec![post(actions::first_contact)]),
        ("/cases/{reference}/information-pack", vec![post(actions::information_pack)]),
        ("/cases/{reference}/visit", vec![post(actions::plan_visit)]),
        ("/cases/{reference}/visit/cancellation", vec![post(actions::cancel_visit)]),
        ("/cases/{reference}/move-in", vec![post(actions::move_in)]),
        ("/cases/{reference}/welcome-package", vec![post(actions::welcome_package)]),
        ("/cases/{reference}/welcome-package/delivery", vec![post(actions::package_delivered)]),
        ("/cases/{reference}/emails", vec![post(actions::send_email)]),
        ("/cases/{reference}/timeline", vec![get(actions::timeline)]),
        ("/cases/{reference}/erasure", vec![post(privacy::erase)]),
        ("/cases/{reference}/export", vec![get(privacy::export)]),
        ("/reports/funnel", vec![get(reports::funnel)]),
        ("/openapi.json", vec![get(openapi::document)]),
    ]
}

fn get<F, Args>(handler: F) -> (Method, Route)
where
    F: actix_web::Handler<Args>,
    Args: actix_web::FromRequest + 'static,
    F::Output: actix_web::Responder + 'static,
{
    (Method::GET, web::get().to(handler))
}

fn post<F, Args>(handler: F) -> (Method, Route)
where
    F: actix_web::Handler<Args>,
    Args: actix_web::FromRequest + 'static,
    F::Output: actix_web::Responder + 'static,
{
    (Method::POST, web::post().to(handler))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    for (path, methods) in endpoints() {
        let allow = methods.iter().map(|(m, _)| m.as_str()).collect::<Vec<_>>().join(", ");
        let resource = methods.into_iter().fold(web::resource(path), |r, (_, route)| r.route(route));
        cfg.service(resource.default_service(web::to(move || {
            let allow = allow.clone();
            async move { Err::<HttpResponse, _>(ApiError(AppError::MethodNotAllowed { allow })) }
        })));
    }
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

#[cfg(test)]
mod tests {
    /// The document cannot promise a path or method the server lacks, nor
    /// leave one out.
    #[test]
    fn every_route_is_documented_and_nothing_else() {
        let doc: serde_json::Value = serde_json::from_str(super::openapi::DOCUMENT).expect("valid JSON");
        let paths = doc["paths"].as_object().expect("paths");
        let mut served = std::collections::BTreeSet::new();
        for (path, methods) in super::endpoints() {
            for (m, _) in methods {
                served.insert(format!("{} {path}", m.as_str().to_lowercase()));
            }
        }
        let mut documented = std::collections::BTreeSet::new();
        for (path, item) in paths {
            for m in item.as_object().expect("path item").keys().filter(|k| *k != "parameters") {
                documented.insert(format!("{m} {path}"));
            }
        }
        assert_eq!(served, documented, "routes and the document agree");
    }
}
