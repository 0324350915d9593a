//! Staff two-factor login (TOTP): the second login step, enrolment with a
//! QR code and recovery codes, and the admin's reset of a lost phone.
//!
//! Between the password and the code the browser holds a short-lived
//! signed cookie naming the user (no session exists yet); only the second
//! step creates the session.

use std::time::Instant;

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use crate::crypto;
use crate::db::audit::{self, Kind, NewEvent};
use crate::db::users::{self, User};
use crate::db::{mfa, now};
use crate::domain::totp;
use crate::web::auth::{session_cookie, AdminUser, SignedIn};
use crate::web::client::client_ip;
use crate::web::csrf::VerifiedForm;
use crate::web::error::AppError;
use crate::web::pages::t;
use crate::web::staff::login::account_key;
use crate::web::{see_other, AppState, View};
use crate::workflow::mfa::{self as flow, Accepted};

/// How long the second step may take after the password.
const PENDING_MINUTES: i64 = 5;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/login/mfa", web::get().to(second_step_page))
        .route("/login/mfa", web::post().to(second_step))
        .route("/account/mfa", web::get().to(enrol_page))
        .route("/account/mfa", web::post().to(enrol))
        .route("/admin/users/{id}/mfa-reset", web::post().to(admin_reset));
}

fn pending_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-velkomst_mfa"
    } else {
        "velkomst_mfa"
    }
}

/// The signed "password verified" cookie for `user_id`, valid a few minutes.
pub fn pending_cookie(state: &AppState, user_id: &str) -> Cookie<'static> {
    let expires = chrono::Utc::now().timestamp() + PENDING_MINUTES * 60;
    let message = format!("mfa-pending|{user_id}|{expires}");
    let value = format!("{user_id}.{expires}.{}", crypto::sign(&state.secret, &message));
    let secure = state.settings.cookie_secure;
    Cookie::build(pending_cookie_name(secure), value)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::minutes(PENDING_MINUTES))
        .finish()
}

fn pending_removal(state: &AppState) -> Cookie<'static> {
    let mut c = pending_cookie(state, "");
    c.make_removal();
    c
}

/// The user whose password was verified moments ago, from the cookie.
fn pending_user_id(req: &HttpRequest, state: &AppState) -> Option<String> {
    let c = req.cookie(pending_cookie_name(state.settings.cookie_secure))?;
    let mut parts = c.value().splitn(3, '.');
    let (user_id, expires, sig) = (parts.next()?, parts.next()?, parts.next()?);
    let exp: i64 = expires.parse().ok()?;
    let ok = crypto::verify(&state.secret, &format!("mfa-pending|{user_id}|{expires}"), sig);
    (ok && exp > chrono::Utc::now().timestamp() && !user_id.is_empty()).then(|| user_id.to_string())
}

fn recovery_hash(state: &AppState, user_id: &str, normalised: &str) -> String {
    flow::recovery_hash(&state.secret, user_id, normalised)
}

fn second_step_ctx(view: &View, error: Option<String>) -> tera::Context {
    let mut ctx = view.context(None);
    ctx.insert("error", &error);
    ctx
}

/// GET /login/mfa — the code from the authenticator app (or a recovery
/// code), after the password.
async fn second_step_page(view: View, req: HttpRequest) -> Result<HttpResponse, AppError> {
    if pending_user_id(&req, &view.state).is_none() {
        return Ok(see_other("/login"));
    }
    view.ok("staff/login_mfa.html", &second_step_ctx(&view, None))
}

/// POST /login/mfa — `code`: six digits from the app, or a recovery code.
/// Throttled like the password (per account and address); a code is good
/// once, a recovery code too.
async fn second_step(
    view: View,
    req: HttpRequest,
    VerifiedForm(form): VerifiedForm,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let Some(user_id) = pending_user_id(&req, &state) else { return Ok(see_other("/login")) };
    let uid = user_id.clone();
    let user = state.db.read(move |conn| users::find(conn, &uid)).await?.filter(|u| u.active);
    let Some(user) = user else { return Ok(see_other("/login")) };
    let account = account_key(&state, &user.email);
    let client = client_ip(&req, &state.settings.trusted_proxies);
    let client_key = client.map(crate::domain::net::key);
    if let Err((_, retry_after_secs)) = state.throttle.check(&account, client_key, Instant::now()) {
        let (uid, acc, cl) = (user.id.clone(), account.clone(), client.map(|c| c.to_string()));
        state
            .db
            .write(move |conn| {
                let e = NewEvent { user_id: Some(&uid), account_key: Some(&acc), client: cl, ..Default::default() };
                audit::record(conn, Kind::LoginThrottled, e, now())
            })
            .await?;
        let mut resp = view.page(
            StatusCode::TOO_MANY_REQUESTS,
            "staff/login_mfa.html",
            &second_step_ctx(&view, Some(t(view.lang, "login-throttled"))),
        )?;
        resp.headers_mut()
            .insert(actix_web::http::header::RETRY_AFTER, actix_web::http::header::HeaderValue::from(retry_after_secs));
        return Ok(resp);
    }
    let input = form.get("code").trim().to_string();
    let (uid, key) = (user.id.clone(), state.secret.clone());
    let accepted = state.db.write(move |conn| flow::check_second_step(conn, &key, &uid, &input)).await?;
    let client_s = client.map(|c| c.to_string());
    let Some(accepted) = accepted else {
        let failures = state.throttle.fail(&account, client_key, Instant::now());
        tracing::info!(account = %account, client = ?client, failures, "second login step refused");
        let uid = user.id.clone();
        state.db.write(move |conn| flow::record_failure(conn, &uid, client_s)).await?;
        let ctx = second_step_ctx(&view, Some(t(view.lang, "mfa-code-wrong")));
        return view.page(StatusCode::UNAUTHORIZED, "staff/login_mfa.html", &ctx);
    };
    state.throttle.succeed(&account);
    let uid = user.id.clone();
    let recovery_left = match accepted {
        Accepted::RecoveryCode { left } => Some(left),
        Accepted::Code => None,
    };
    state.db.write(move |conn| flow::record_login(conn, &uid, client_s, accepted)).await?;
    let token = crate::web::auth::start_session(&req, &state, &user.id).await?;
    tracing::info!(user_id = %user.id, client = ?client, recovery_code = recovery_left.is_some(), "login");
    let mut resp = crate::web::staff::login::after_login(&req, &state, &user).await?;
    resp.add_cookie(&session_cookie(&state, &token)).map_err(|e| AppError::internal(e.to_string()))?;
    resp.add_cookie(&pending_removal(&state)).map_err(|e| AppError::internal(e.to_string()))?;
    Ok(resp)
}

fn open_secret(state: &AppState, user_id: &str, sealed: &str) -> Option<String> {
    flow::open_secret(&state.secret, user_id, sealed)
}

/// The enrolment page's context: the QR code and the secret as text for
/// an unconfirmed enrolment, or the state of a confirmed one.
fn enrol_ctx(
    view: &View,
    me: &User,
    secret: Option<&str>,
    enrolled: Option<(chrono::NaiveDateTime, i64)>,
    errors: &[serde_json::Value],
) -> tera::Context {
    let mut ctx = view.context(Some(me));
    ctx.insert("errors", errors);
    ctx.insert("needs_current", &me.has_password);
    ctx.insert("required", &view.state.settings.mfa_required_for(me.role));
    if let Some((at, left)) = enrolled {
        ctx.insert("enrolled_at", &crate::web::staff::local_time(at, view.state.settings.time_zone));
        ctx.insert("codes_left", &left);
    }
    if let Some(secret) = secret {
        let uri = totp::uri(&view.state.settings.municipality.name, &me.email, secret);
        ctx.insert("qr_svg", &totp::qr_svg(&uri).unwrap_or_default());
        ctx.insert("secret", &totp::grouped(secret));
    }
    ctx
}

/// The secret of the user's unconfirmed enrolment, begun now if there is
/// none (the same one on a reload, so a scanned code stays good).
async fn pending_secret(state: &AppState, me: &User) -> Result<Option<String>, AppError> {
    let id = me.id.clone();
    let existing = state.db.read(move |conn| mfa::find(conn, &id)).await?;
    match existing {
        Some(t) if t.confirmed_at.is_some() => Ok(None),
        Some(t) if open_secret(state, &me.id, &t.secret).is_some() => Ok(open_secret(state, &me.id, &t.secret)),
        _ => {
            let secret = totp::new_secret();
            let sealed = crypto::seal(&state.secret, flow::SEAL_PURPOSE, &me.id, secret.as_bytes())?;
            let id = me.id.clone();
            state.db.write(move |conn| flow::begin(conn, &id, &sealed)).await?;
            Ok(Some(secret))
        }
    }
}

/// GET /account/mfa — staff only: enrol an authenticator app (QR code and
/// the secret as text), or see that one is enrolled.
async fn enrol_page(view: View, SignedIn(me): SignedIn) -> Result<HttpResponse, AppError> {
    if !me.role.is_staff() {
        return Err(AppError::NotFound);
    }
    let secret = pending_secret(&view.state, &me).await?;
    let enrolled = match secret {
        Some(_) => None,
        None => enrolment_state(&view.state, &me).await?,
    };
    view.ok("account/mfa.html", &enrol_ctx(&view, &me, secret.as_deref(), enrolled, &[]))
}

async fn enrolment_state(state: &AppState, me: &User) -> Result<Option<(chrono::NaiveDateTime, i64)>, AppError> {
    let id = me.id.clone();
    state
        .db
        .read(move |conn| {
            let t = mfa::find(conn, &id)?;
            Ok(match t.and_then(|t| t.confirmed_at) {
                Some(at) => Some((at, mfa::recovery_codes_left(conn, &id)?)),
                None => None,
            })
        })
        .await
        .map_err(Into::into)
}

/// POST /account/mfa — `code` from the app (and `current_password`):
/// confirms the enrolment and shows the ten recovery codes, once.
async fn enrol(
    view: View,
    req: HttpRequest,
    SignedIn(me): SignedIn,
    VerifiedForm(form): VerifiedForm,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if !me.role.is_staff() {
        return Err(AppError::NotFound);
    }
    let Some(secret) = pending_secret(&state, &me).await? else { return Ok(see_other("/account/mfa")) };
    let refuse = |field: &str, key: &str| {
        let errors = [json!({ "field": field, "message": t(view.lang, key) })];
        let ctx = enrol_ctx(&view, &me, Some(&secret), None, &errors);
        view.page(StatusCode::UNPROCESSABLE_ENTITY, "account/mfa.html", &ctx)
    };
    let account = account_key(&state, &me.email);
    let client = crate::web::client::client_key(&req, &state.settings.trusted_proxies);
    if let Err((_, retry_after_secs)) = state.throttle.check(&account, client, Instant::now()) {
        return Err(AppError::RateLimited { retry_after_secs });
    }
    if me.has_password {
        // Someone at an unlocked screen must not bind their own phone.
        let (id, current) = (me.id.clone(), form.get("current_password").to_string());
        let stored = state.db.read(move |conn| users::password_hash(conn, &id)).await?;
        if !state.hash(move || crypto::verify_password(&current, stored.as_deref())).await? {
            state.throttle.fail(&account, client, Instant::now());
            return refuse("current_password", "error-current-password");
        }
    }
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .filter_map(|c| totp::normalise_recovery_code(c))
        .map(|c| recovery_hash(&state, &me.id, &c))
        .collect();
    let (id, input, client_s) = (
        me.id.clone(),
        form.get("code").to_string(),
        client_ip(&req, &state.settings.trusted_proxies).map(|c| c.to_string()),
    );
    let (secret2, settings) = (secret.clone(), state.settings.clone());
    let confirmed =
        state.db.write(move |conn| flow::confirm(conn, &settings, &id, &secret2, &input, &hashes, client_s)).await?;
    if !confirmed {
        state.throttle.fail(&account, client, Instant::now());
        return refuse("code", "mfa-code-wrong");
    }
    tracing::info!(user_id = %me.id, "second factor enrolled");
    let mut ctx = enrol_ctx(&view, &me, None, None, &[]);
    ctx.insert("recovery_codes", &codes);
    view.ok("account/mfa.html", &ctx)
}

/// POST /admin/users/{id}/mfa-reset — removes a user's second factor (a
/// lost phone) and ends their sessions; they enrol again at next login.
async fn admin_reset(
    AdminUser(me): AdminUser,
    path: web::Path<crate::domain::text::UserId>,
    _form: VerifiedForm,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (actor, settings) = (me.id.clone(), state.settings.clone());
    state
        .db
        .write(move |conn| crate::workflow::accounts::reset_mfa(conn, &settings, &id, Some(&actor)))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(see_other("/admin/users"))
}
