//! One's own account: changing the password (every role). A password that
//! exists must be given again first; the change ends every other session.

use std::time::Instant;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use crate::db::users::User;
use crate::domain::password;
use crate::web::auth::{session_cookie_name, AmbassadorUser, SignedIn};
use crate::web::csrf::VerifiedForm;
use crate::web::error::AppError;
use crate::web::pages::t;
use crate::web::{AppState, View};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/account/password", web::get().to(password_page))
        .route("/account/password", web::post().to(change_password))
        .route("/ambassador/password", web::get().to(ambassador_password_page))
        .route("/ambassador/password", web::post().to(ambassador_change_password));
}

fn page(
    view: &View,
    req: &HttpRequest,
    me: &User,
    status: StatusCode,
    errors: &[serde_json::Value],
    done: bool,
) -> Result<HttpResponse, AppError> {
    let mut ctx = view.context(Some(me));
    ctx.insert("errors", errors);
    ctx.insert("done", &done);
    ctx.insert("action", req.path());
    ctx.insert("back", crate::web::auth::home(me.role));
    ctx.insert("needs_current", &me.has_password);
    view.page(status, "account/password.html", &ctx)
}

/// GET /account/password (and /ambassador/password)
async fn password_page(view: View, req: HttpRequest, SignedIn(me): SignedIn) -> Result<HttpResponse, AppError> {
    page(&view, &req, &me, StatusCode::OK, &[], false)
}

/// GET /ambassador/password — the same page, for ambassadors only.
async fn ambassador_password_page(
    view: View,
    req: HttpRequest,
    AmbassadorUser(me): AmbassadorUser,
) -> Result<HttpResponse, AppError> {
    page(&view, &req, &me, StatusCode::OK, &[], false)
}

/// POST /ambassador/password
async fn ambassador_change_password(
    view: View,
    req: HttpRequest,
    AmbassadorUser(me): AmbassadorUser,
    VerifiedForm(form): VerifiedForm,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    change(view, req, me, form, state).await
}

/// Checks a new password against the policy and its repetition; the
/// errors as the form shows them.
pub fn new_password_errors(
    view: &View,
    form: &crate::web::csrf::FormData,
    email: &str,
    name: &str,
) -> Vec<serde_json::Value> {
    let pw = form.get("password");
    let mut errors = Vec::new();
    if let Err(code) = password::check(pw, password::Context { email, name }) {
        errors.push(json!({ "field": "password", "message": t(view.lang, &format!("error-{code}")) }));
    } else if pw != form.get("password_again") {
        errors.push(json!({ "field": "password_again", "message": t(view.lang, "error-password-mismatch") }));
    }
    errors
}

/// POST /account/password — `current_password` (when one is set),
/// `password`, `password_again`.
async fn change_password(
    view: View,
    req: HttpRequest,
    SignedIn(me): SignedIn,
    VerifiedForm(form): VerifiedForm,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    change(view, req, me, form, state).await
}

async fn change(
    view: View,
    req: HttpRequest,
    me: User,
    form: crate::web::csrf::FormData,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if me.has_password {
        // Re-authentication, throttled like the login.
        let account = crate::web::staff::login::account_key(&state, &me.email);
        let client = crate::web::client::client_key(&req, &state.settings.trusted_proxies);
        if let Err((_, retry_after_secs)) = state.throttle.check(&account, client, Instant::now()) {
            return Err(AppError::RateLimited { retry_after_secs });
        }
        let (id, current) = (me.id.clone(), form.get("current_password").to_string());
        let stored = state.db.read(move |conn| crate::db::users::password_hash(conn, &id)).await?;
        let ok = state.hash(move || crate::crypto::verify_password(&current, stored.as_deref())).await?;
        if !ok {
            state.throttle.fail(&account, client, Instant::now());
            let errors = [json!({ "field": "current_password", "message": t(view.lang, "error-current-password") })];
            return page(&view, &req, &me, StatusCode::UNPROCESSABLE_ENTITY, &errors, false);
        }
    }
    let errors = new_password_errors(&view, &form, &me.email, &me.name);
    if !errors.is_empty() {
        return page(&view, &req, &me, StatusCode::UNPROCESSABLE_ENTITY, &errors, false);
    }
    let pw = form.get("password").to_string();
    let hash = state.hash(move || crate::crypto::hash_password(&pw)).await??;
    let keep =
        req.cookie(session_cookie_name(state.settings.cookie_secure)).map(|c| crate::crypto::token_hash(c.value()));
    let (id, settings) = (me.id.clone(), state.settings.clone());
    let ended = state
        .db
        .write(move |conn| {
            crate::workflow::accounts::change_password(
                conn,
                &settings,
                &id,
                &hash,
                keep.as_deref(),
                crate::db::audit::Kind::PasswordChanged,
            )
        })
        .await?;
    tracing::info!(user_id = %me.id, other_sessions_ended = ended, "password changed");
    let me = User { has_password: true, ..me };
    page(&view, &req, &me, StatusCode::OK, &[], true)
}
