//! Login, logout and the one-time set-up links (first admin, set password).

use std::time::Instant;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::crypto;
use crate::db::audit::{Kind, NewEvent};
use crate::db::users::{self, SetupLink};
use crate::domain::inquiry::Email;
use crate::domain::password;
use crate::web::auth::{removal_cookie, session_cookie, session_cookie_name, session_state, start_session_with};
use crate::web::client::client_ip;
use crate::web::csrf::VerifiedForm;
use crate::web::error::AppError;
use crate::web::pages::t;
use crate::web::{query_pairs, see_other, AppState, View};

/// GET /login
pub async fn page(view: View, req: HttpRequest) -> Result<HttpResponse, AppError> {
    match session_state(&req).await? {
        Some((_, true)) => return Ok(see_other("/account/mfa")),
        Some((u, false)) => return Ok(see_other(crate::web::auth::home(u.role))),
        None => {}
    }
    let mut ctx = view.context(None);
    ctx.insert("email", "");
    ctx.insert("error", &None::<String>);
    ctx.insert("setup_done", &(query_pairs(&req).get("setup") == "done"));
    ctx.insert("resume_pending", &crate::web::resume::pending(&req, &view.state).await?);
    view.ok("staff/login.html", &ctx)
}

/// The account as logs and throttling name it: a keyed hash of the email,
/// so logs never hold the address and nobody without the key can test one.
pub fn account_key(state: &AppState, email: &str) -> String {
    crypto::sign(&state.secret, &format!("login|{}", email.trim().to_lowercase()))[..16].to_string()
}

/// POST /login — argon2id on the bounded hashing pool; a new session id
/// every time (no fixation); the same answer for unknown email and wrong
/// password; growing delays after failures (429 with Retry-After).
pub async fn submit(
    req: HttpRequest,
    view: View,
    VerifiedForm(form): VerifiedForm,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let email = form.get("email").trim().to_string();
    let password = form.get("password").to_string();
    let account = account_key(&state, &email);
    let client = client_ip(&req, &state.settings.trusted_proxies);
    let client_key = client.map(crate::domain::net::key);
    if let Err((which, retry_after_secs)) = state.throttle.check(&account, client_key, Instant::now()) {
        tracing::warn!(account = %account, client = ?client, limited = ?which, retry_after_secs, "login throttled");
        let (acc, cl) = (account.clone(), client.map(|c| c.to_string()));
        state
            .db
            .write(move |conn| {
                let e = NewEvent { account_key: Some(&acc), client: cl, ..Default::default() };
                crate::workflow::accounts::record(conn, Kind::LoginThrottled, e)
            })
            .await?;
        let mut ctx = view.context(None);
        ctx.insert("email", &email);
        ctx.insert("error", &Some(t(view.lang, "login-throttled")));
        ctx.insert("setup_done", &false);
        let mut resp = view.page(StatusCode::TOO_MANY_REQUESTS, "staff/login.html", &ctx)?;
        resp.headers_mut()
            .insert(actix_web::http::header::RETRY_AFTER, actix_web::http::header::HeaderValue::from(retry_after_secs));
        return Ok(resp);
    }
    let lookup = email.clone();
    let user = state.db.read(move |conn| users::find_for_login(conn, &lookup)).await?;
    let verified = state
        .hash(move || {
            let hash = user.as_ref().filter(|u| u.active).and_then(|u| u.password_hash.clone());
            let ok = crypto::verify_password(&password, hash.as_deref());
            ok.then_some(user).flatten()
        })
        .await?;
    let Some(user) = verified else {
        let failures = state.throttle.fail(&account, client_key, Instant::now());
        tracing::info!(account = %account, client = ?client, failures, "login refused");
        let (acc, cl) = (account.clone(), client.map(|c| c.to_string()));
        state
            .db
            .write(move |conn| {
                let e = NewEvent { account_key: Some(&acc), client: cl, ..Default::default() };
                crate::workflow::accounts::record(conn, Kind::LoginFailed, e)
            })
            .await?;
        let mut ctx = view.context(None);
        ctx.insert("email", &email);
        ctx.insert("error", &Some(t(view.lang, "login-failed")));
        ctx.insert("setup_done", &false);
        return view.page(StatusCode::UNAUTHORIZED, "staff/login.html", &ctx);
    };
    state.throttle.succeed(&account);
    let user = crate::db::users::User::from(user);
    let id = user.id.clone();
    let enrolled = user.role.is_staff() && state.db.read(move |conn| crate::db::mfa::enrolled(conn, &id)).await?;
    if enrolled {
        // The password was right; only the second step makes a session.
        tracing::info!(user_id = %user.id, client = ?client, "password accepted; second step");
        let mut resp = see_other("/login/mfa");
        resp.add_cookie(&crate::web::mfa::pending_cookie(&state, &user.id))
            .map_err(|e| AppError::internal(e.to_string()))?;
        return Ok(resp);
    }
    let must_enrol = state.settings.mfa_required_for(user.role);
    let token = start_session_with(&req, &state, &user.id, must_enrol).await?;
    let (uid, cl) = (user.id.clone(), client.map(|c| c.to_string()));
    state
        .db
        .write(move |conn| {
            let e = NewEvent { user_id: Some(&uid), client: cl, detail: Some("password".into()), ..Default::default() };
            crate::workflow::accounts::record(conn, Kind::LoginOk, e)
        })
        .await?;
    tracing::info!(user_id = %user.id, client = ?client, must_enrol, "login");
    let mut resp = if must_enrol { see_other("/account/mfa") } else { after_login(&req, &state, &user).await? };
    resp.add_cookie(&session_cookie(&state, &token)).map_err(|e| AppError::internal(e.to_string()))?;
    Ok(resp)
}

/// Where a completed login goes: back to complete the form this browser
/// sent when its session had ended (307, `web::resume`), else the user's
/// start page.
pub async fn after_login(
    req: &HttpRequest,
    state: &AppState,
    user: &crate::db::users::User,
) -> Result<HttpResponse, AppError> {
    if let Some(resp) = crate::web::resume::after_login(req, state, &user.id).await? {
        return Ok(resp);
    }
    Ok(see_other(crate::web::auth::home(user.role)))
}

/// POST /logout — ends the session on the server, not just in the browser.
pub async fn logout(
    req: HttpRequest,
    _form: VerifiedForm,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if let Some(c) = req.cookie(session_cookie_name(state.settings.cookie_secure)) {
        let hash = crypto::token_hash(c.value());
        state.db.write(move |conn| crate::workflow::accounts::end_session(conn, &hash)).await?;
    }
    let mut resp = see_other("/login");
    resp.add_cookie(&removal_cookie(&state)).map_err(|e| AppError::internal(e.to_string()))?;
    Ok(resp)
}

async fn live_link(state: &AppState, token: &str) -> Result<SetupLink, AppError> {
    let hash = crypto::token_hash(token);
    state.db.read(move |conn| users::peek_setup_link(conn, &hash)).await?.ok_or(AppError::NotFound)
}

fn setup_ctx(view: &View, link: &SetupLink, name: &str, email: &str, errors: &[(String, String)]) -> tera::Context {
    let mut ctx = view.context(None);
    ctx.insert("first_admin", &matches!(link, SetupLink::FirstAdmin));
    if let SetupLink::SetPassword(u) = link {
        ctx.insert("for_name", &u.name);
    }
    ctx.insert("name", name);
    ctx.insert("email", email);
    let errors: Vec<serde_json::Value> =
        errors.iter().map(|(f, m)| serde_json::json!({ "field": f, "message": m })).collect();
    ctx.insert("errors", &errors);
    ctx
}

/// GET /setup/{token} — a one-time link: create the first admin, or set a
/// password. Expired or used links answer 404.
pub async fn setup_page(
    view: View,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let link = live_link(&state, &path).await?;
    view.ok("staff/setup.html", &setup_ctx(&view, &link, "", "", &[]))
}

/// POST /setup/{token}
pub async fn setup_submit(
    view: View,
    path: web::Path<String>,
    VerifiedForm(form): VerifiedForm,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    let link = live_link(&state, &token).await?;
    let (name, email, password) = (form.get("name").trim(), form.get("email").trim(), form.get("password"));
    let mut errors = Vec::new();
    if let SetupLink::FirstAdmin = link {
        if let Err(code) = crate::domain::inquiry::PersonName::parse(name) {
            errors.push(("name".to_string(), t(view.lang, &format!("error-{code}"))));
        }
        if let Err(code) = Email::parse(email) {
            errors.push(("email".to_string(), t(view.lang, &format!("error-{code}"))));
        }
    }
    let (who_email, who_name) = match &link {
        SetupLink::SetPassword(u) => (u.email.as_str(), u.name.as_str()),
        SetupLink::FirstAdmin => (email, name),
    };
    if let Err(code) = password::check(password, password::Context { email: who_email, name: who_name }) {
        errors.push(("password".to_string(), t(view.lang, &format!("error-{code}"))));
    } else if password != form.get("password_again") {
        errors.push(("password_again".to_string(), t(view.lang, "error-password-mismatch")));
    }
    if !errors.is_empty() {
        let ctx = setup_ctx(&view, &link, name, email, &errors);
        return view.page(StatusCode::UNPROCESSABLE_ENTITY, "staff/setup.html", &ctx);
    }
    let pw = password.to_string();
    let hash = state.hash(move || crypto::hash_password(&pw)).await??;
    let (name, email) = (name.to_string(), email.to_string());
    let token_hash = crypto::token_hash(&token);
    let settings = state.settings.clone();
    let done = state
        .db
        .write(move |conn| {
            crate::workflow::accounts::finish_setup(conn, &settings, &token_hash, &link, &email, &name, &hash)
        })
        .await?;
    if !done {
        return Err(AppError::NotFound);
    }
    Ok(see_other("/login?setup=done"))
}
