//! Error pages that know where they are: an error answered as HTML is shown
//! again with the municipality's name and contact details, in the person's
//! language, with who is logged in, and a way on that fits them (the form
//! for a mover, the queue for staff, the referrals for an ambassador).
//!
//! `AppError::error_response` cannot see the request; this middleware can.
//! It rewrites only responses made from an `AppError` on non-API paths, and
//! leaves 5xx (which carry a logged correlation id) as they are.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{HttpRequest, HttpResponse};

use super::auth::session_user;
use super::pages;
use super::View;
use crate::web::error::AppError;

pub fn error_pages<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(rewrite)
}

fn message_key(err: &AppError) -> Option<&'static str> {
    Some(match err {
        AppError::NotFound => "error-page-not-found",
        AppError::Forbidden => "error-page-forbidden",
        AppError::Csrf => "error-page-csrf",
        AppError::BadRequest(_) | AppError::Invalid(_) => "error-page-bad-request",
        AppError::Refused(_) => "error-page-conflict",
        AppError::PayloadTooLarge => "error-page-too-large",
        AppError::RateLimited { .. } => "error-page-rate-limited",
        _ => return None,
    })
}

fn rewrite<B: MessageBody + 'static>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let path = res.request().path();
    let key = res.response().error().and_then(|e| e.as_error::<AppError>()).and_then(message_key);
    let Some(key) = key.filter(|_| !path.starts_with("/api/") && !path.starts_with("/static/")) else {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    };
    let req = res.request().clone();
    Ok(ErrorHandlerResponse::Future(Box::pin(async move {
        let status = res.status();
        match render(&req, status, key, None).await {
            Some(page) => {
                let (req, old) = res.into_parts();
                let mut new = page;
                // Keep what the error set (Retry-After and the like).
                for (name, value) in old.headers() {
                    if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                        new.headers_mut().append(name.clone(), value.clone());
                    }
                }
                Ok(ServiceResponse::new(req, new).map_into_right_body())
            }
            None => Ok(res.map_into_left_body()),
        }
    })))
}

/// The error page for `req`, or `None` if it cannot be made (the plain
/// page from `AppError` stays then).
pub async fn render(req: &HttpRequest, status: StatusCode, key: &str, hint: Option<&str>) -> Option<HttpResponse> {
    let view = View::of(req).ok()?;
    let user = session_user(req).await.ok().flatten();
    let mut ctx = view.context(user.as_ref());
    // The language link leads to the person's start page, never echoing the
    // address asked for: a 404 for a real case must read exactly like one
    // for a case that does not exist.
    let home = user.as_ref().map_or("/", |u| crate::web::auth::home(u.role));
    ctx.insert("lang_switch_url", &format!("{home}?lang={}", view.lang.other().as_str()));
    ctx.insert("status", &status.as_u16());
    ctx.insert("message_key", key);
    ctx.insert("hint_key", &hint);
    ctx.insert("correlation_id", &Option::<String>::None);
    let html = pages::render("error.html", &ctx).ok()?;
    let mut resp = HttpResponse::build(status);
    resp.content_type("text/html; charset=utf-8");
    if view.csrf.fresh {
        resp.cookie(view.csrf.cookie(view.state.settings.cookie_secure));
    }
    Some(resp.body(BoxBody::new(html)))
}

/// A page for a single-use link that was used, expired or revoked: says so
/// and how to get a new one. 404, as before: a tampered link looks the same.
pub async fn link_gone(req: &HttpRequest, hint_key: &str) -> Result<HttpResponse, AppError> {
    render(req, StatusCode::NOT_FOUND, "link-used-heading", Some(hint_key))
        .await
        .ok_or_else(|| AppError::internal("the link page could not be rendered"))
}
