//! Completing a form whose session ended while it was being written.
//!
//! A consultant writes a long note, the session has ended (30 minutes
//! idle), and the POST answers 303 to `/login`. Without this the typed text
//! would be gone. Instead the form (with a valid CSRF token: it came from
//! our page in this browser) is kept, sealed, keyed by a hash of the
//! browser's CSRF cookie and bound to the user whose session it was. After
//! signing in again (password, then the second step if enrolled) the login
//! answers **307** to the form's address with `?resume=1`, so the browser
//! posts again, with no script. That request takes the kept form (once)
//! in place of its own body, and the action completes as if it had never
//! been interrupted.
//!
//! Forms with a password field are never kept, nor forms to one's own
//! account pages.

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};

use super::auth::session_cookie_name;
use super::csrf::{cookie_name as csrf_cookie_name, FormData};
use super::AppState;
use crate::crypto;
use crate::db::now;
use crate::db::resume::{self, Kept};
use crate::web::error::AppError;

const SEAL_PURPOSE: &str = "resumable-post";
/// How long a kept form waits for the login.
const KEEP_MINUTES: i64 = 30;
/// The query marker of the repeated POST.
pub const MARKER: &str = "resume";

/// The key of a browser's kept form: a hash of its CSRF cookie (a random
/// per-browser secret that outlives sessions).
fn browser_key(csrf_cookie: &str) -> String {
    crypto::token_hash(&format!("resume|{csrf_cookie}"))
}

fn browser_hash(req: &HttpRequest, state: &AppState) -> Option<String> {
    let c = req.cookie(csrf_cookie_name(state.settings.cookie_secure))?;
    Some(browser_key(c.value()))
}

/// Where kept forms come from: the pages behind a login (not the public
/// form, the login itself, one's own account pages or token links).
const KEEPABLE: &[&str] = &["/cases/", "/referrals/", "/ambassadors", "/ambassador/", "/admin/"];

/// The middleware: a form POST to a page behind a login is read first (as
/// every handler would, same limits); if the answer is "log in" (303 to
/// `/login`, no live session), the form is kept.
pub async fn keep_on_login_redirect<B: MessageBody>(
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let form_post = req.method() == actix_web::http::Method::POST
        && KEEPABLE.iter().any(|p| req.path().starts_with(p))
        && req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (true, Some(state)) = (form_post, state) else { return next.call(req).await };
    let body = super::read_body(req.take_payload(), state.settings.intake.max_body_bytes).await?.freeze();
    req.set_payload(Payload::from(body.clone()));
    // What `keep` needs, taken now: the request must not be cloned while
    // the router still has to match it.
    let secure = state.settings.cookie_secure;
    let sent = Sent {
        path: req.path().to_string(),
        csrf: req.cookie(csrf_cookie_name(secure)).map(|c| c.value().to_string()),
        session: req.cookie(session_cookie_name(secure)).map(|c| c.value().to_string()),
    };
    let res = next.call(req).await?;
    let to_login = res.status() == StatusCode::SEE_OTHER
        && res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()) == Some("/login");
    if to_login {
        keep(sent, &state, &body).await;
    }
    Ok(res)
}

/// The parts of a request that keeping its form needs.
struct Sent {
    path: String,
    csrf: Option<String>,
    session: Option<String>,
}

/// Keeps a form that found no session, if it came from this browser's page
/// (valid CSRF token) and has no password in it. Failures are logged and
/// forgotten: the answer is "log in" anyway.
async fn keep(sent: Sent, state: &AppState, body: &[u8]) {
    let Some(csrf) = sent.csrf else { return };
    let key = browser_key(&csrf);
    let form = FormData::parse(body);
    if !crypto::verify(&state.secret, &format!("csrf|{csrf}"), form.get("csrf_token")) {
        return;
    }
    if form.0.iter().any(|(k, _)| k.contains("password")) {
        return;
    }
    let mut kept = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form.0.iter().filter(|(k, _)| k != "csrf_token") {
        kept.append_pair(k, v);
    }
    let Ok(sealed) = crypto::seal(&state.secret, SEAL_PURPOSE, &key, kept.finish().as_bytes()) else { return };
    let session = sent.session.map(|v| crypto::token_hash(&v));
    let path = sent.path.clone();
    let t = now();
    let result = state
        .db
        .write(move |conn| {
            let user_id = match session {
                Some(s) => resume::session_owner(conn, &s)?,
                None => None,
            };
            let k = Kept {
                browser_hash: key,
                user_id,
                path,
                form: sealed,
                created_at: t,
                expires_at: t + chrono::Duration::minutes(KEEP_MINUTES),
            };
            resume::keep(conn, &k)
        })
        .await;
    match result {
        Ok(()) => tracing::info!(path = %super::redact_path(&sent.path), "form kept until the next login"),
        Err(e) => tracing::warn!(error = %e, "a form could not be kept for after the login"),
    }
}

/// Whether this browser has a kept form (the login page says so).
pub async fn pending(req: &HttpRequest, state: &AppState) -> Result<bool, AppError> {
    let Some(key) = browser_hash(req, state) else { return Ok(false) };
    Ok(state.db.read(move |conn| resume::peek(conn, &key, now())).await?.is_some())
}

/// After a login of `user_id`: a 307 to the kept form's address, if this
/// browser kept one for that user (or for nobody known).
pub async fn after_login(req: &HttpRequest, state: &AppState, user_id: &str) -> Result<Option<HttpResponse>, AppError> {
    let Some(key) = browser_hash(req, state) else { return Ok(None) };
    let Some(k) = state.db.read(move |conn| resume::peek(conn, &key, now())).await? else { return Ok(None) };
    if k.user_id.as_deref().is_some_and(|owner| owner != user_id) {
        return Ok(None);
    }
    let location = format!("{}?{MARKER}=1", k.path);
    Ok(Some(HttpResponse::TemporaryRedirect().insert_header((header::LOCATION, location)).finish()))
}

/// The kept form, in place of the body of the repeated POST (`?resume=1`
/// to its address, from the same browser, by the user it belongs to).
pub async fn take(req: &HttpRequest, state: &AppState) -> Result<Option<FormData>, AppError> {
    let Some(key) = browser_hash(req, state) else { return Ok(None) };
    let Some(user) = super::auth::session_user(req).await? else { return Ok(None) };
    let (path, k2, uid) = (req.path().to_string(), key.clone(), user.id.clone());
    let Some(k) = state.db.write(move |conn| resume::take(conn, &k2, &path, &uid, now())).await? else {
        return Ok(None);
    };
    let plain = crypto::open(&state.secret, SEAL_PURPOSE, &key, &k.form).ok_or(AppError::Csrf)?;
    tracing::info!(user_id = %user.id, path = %super::redact_path(req.path()), "kept form completed after login");
    Ok(Some(FormData::parse(&plain)))
}
