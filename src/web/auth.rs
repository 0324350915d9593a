//! Who is asking. Each extractor exists only for a caller with the right to
//! the route, so a handler's signature states its permission:
//! `StaffUser` (consultant or admin), `AdminUser`, `ApiStaff` (bearer token).

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};

use super::AppState;
use crate::crypto;
use crate::db::users::{self, User};
use crate::domain::token::{grants, Scope};
use crate::domain::user::Role;
use crate::web::error::{ApiError, AppError};

pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-velkomst_session"
    } else {
        "velkomst_session"
    }
}

pub fn session_cookie(state: &AppState, value: &str) -> Cookie<'static> {
    let secure = state.settings.cookie_secure;
    Cookie::build(session_cookie_name(secure), value.to_string())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .finish()
}

pub fn removal_cookie(state: &AppState) -> Cookie<'static> {
    let mut c = session_cookie(state, "");
    c.make_removal();
    c
}

fn state_of(req: &HttpRequest) -> Result<web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>().cloned().ok_or_else(|| AppError::internal("no state"))
}

/// The session's user, if any, and whether the session must enrol a
/// second factor before it may do anything else.
pub async fn session_state(req: &HttpRequest) -> Result<Option<(User, bool)>, AppError> {
    let state = state_of(req)?;
    let Some(cookie) = req.cookie(session_cookie_name(state.settings.cookie_secure)) else { return Ok(None) };
    let hash = crypto::token_hash(cookie.value());
    let idle = chrono::Duration::minutes(i64::from(state.settings.auth.session_idle_minutes));
    let h = hash.clone();
    let Some(live) = state.db.read(move |conn| users::session_user(conn, &h, idle)).await? else {
        return Ok(None);
    };
    if live.stale {
        state.db.write(move |conn| crate::workflow::accounts::touch_session(conn, &hash)).await?;
    }
    Ok(Some((live.user, live.must_enrol_mfa)))
}

/// Where a session that must enrol a second factor may go.
pub const ENROLMENT_PATHS: &[&str] = &["/account/mfa", "/logout"];

/// The logged-in user behind the session cookie, if any. A session that
/// must first enrol a second factor counts as none outside the enrolment
/// page (so it is sent to `/login`, which sends it on to enrolment).
pub async fn session_user(req: &HttpRequest) -> Result<Option<User>, AppError> {
    Ok(match session_state(req).await? {
        Some((u, false)) => Some(u),
        Some((u, true)) if ENROLMENT_PATHS.contains(&req.path()) => Some(u),
        _ => None,
    })
}

type Fut<T, E> = Pin<Box<dyn Future<Output = Result<T, E>>>>;

/// The session's user if `allowed`; otherwise 303 to the login without a
/// session, 404 on case and referral URLs (nothing reveals whether they
/// exist), and 403 elsewhere.
fn role_user(req: HttpRequest, allowed: fn(&User) -> bool) -> Fut<User, AppError> {
    Box::pin(async move {
        match session_user(&req).await? {
            Some(u) if allowed(&u) => Ok(u),
            Some(_) if req.path().starts_with("/cases/") || req.path().starts_with("/referrals/") => {
                Err(AppError::NotFound)
            }
            Some(_) => Err(AppError::Forbidden),
            None => Err(AppError::LoginRequired),
        }
    })
}

/// An extractor that exists only for a signed-in user its rule allows:
/// the route's permission, stated in the handler's signature.
macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $allowed:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub User);

        impl FromRequest for $name {
            type Error = AppError;
            type Future = Fut<Self, AppError>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                let user = role_user(req.clone(), $allowed);
                Box::pin(async move { user.await.map($name) })
            }
        }
    };
}

role_extractor!(
    /// Anyone signed in, whatever the role: their own account pages.
    SignedIn,
    |_| true
);

role_extractor!(
    /// A consultant or an admin: works the queue and sees every case.
    StaffUser,
    |u| u.role.is_staff()
);

role_extractor!(
    /// Staff or a reporter: reads the reports (a reporter sees only
    /// aggregates, with small groups masked).
    ReportReader,
    |u| u.role.reads_reports()
);

/// Where a signed-in user of `role` starts: staff at the queue, reporters
/// at the reports, ambassadors at their referrals.
pub fn home(role: Role) -> &'static str {
    match role {
        Role::Admin | Role::Consultant => "/cases",
        Role::Reporter => "/reports",
        Role::Ambassador => "/ambassador",
    }
}

role_extractor!(
    /// An admin: manages users and area responsibilities.
    AdminUser,
    |u| u.role == Role::Admin
);

role_extractor!(
    /// A local ambassador: sees only what is referred to them.
    AmbassadorUser,
    |u| u.role == Role::Ambassador
);

/// Starts a session for `user_id` (a new id, replacing any old one) and
/// returns the cookie value.
pub async fn start_session(req: &HttpRequest, state: &AppState, user_id: &str) -> Result<String, AppError> {
    start_session_with(req, state, user_id, false).await
}

/// [`start_session`]; `must_enrol`: the session may only enrol a second
/// factor until it has.
pub async fn start_session_with(
    req: &HttpRequest,
    state: &AppState,
    user_id: &str,
    must_enrol: bool,
) -> Result<String, AppError> {
    let old = req.cookie(session_cookie_name(state.settings.cookie_secure)).map(|c| crypto::token_hash(c.value()));
    let token = crypto::random_token();
    let hash = crypto::token_hash(&token);
    let expires = crate::db::now() + chrono::Duration::hours(i64::from(state.settings.auth.session_max_hours));
    let user_id = user_id.to_string();
    state
        .db
        .write(move |conn| {
            crate::workflow::accounts::start_session(conn, old.as_deref(), &hash, &user_id, expires, must_enrol)
        })
        .await?;
    Ok(token)
}

/// A staff member's API client, from `Authorization: Bearer TOKEN`.
/// Ambassadors' tokens are refused with 403.
#[derive(Debug, Clone)]
pub struct ApiStaff(pub User);

impl FromRequest for ApiStaff {
    type Error = ApiError;
    type Future = Fut<Self, ApiError>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            // Reading needs the `read` scope, anything else `write`.
            let needed = if matches!(*req.method(), actix_web::http::Method::GET | actix_web::http::Method::HEAD) {
                Scope::Read
            } else {
                Scope::Write
            };
            bearer_with_scope(&req, needed).await.map(ApiStaff)
        })
    }
}

/// The user behind a bearer token that carries `scope` (for endpoints
/// outside the case API: reports, metrics). 401 without a live token, 403
/// when the token lacks the scope or its user the right.
pub async fn bearer_with_scope(req: &HttpRequest, scope: Scope) -> Result<User, ApiError> {
    let state = state_of(req)?;
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(AppError::LoginRequired)?;
    let hash = crypto::token_hash(token);
    let now = crate::db::now();
    let found = state.db.read(move |conn| crate::db::tokens::authenticate(conn, &hash, now)).await?;
    let Some(found) = found else { return Err(ApiError(AppError::LoginRequired)) };
    if let Some(id) = found.stale {
        state.db.write(move |conn| crate::workflow::accounts::touch_token(conn, &id, now)).await?;
    }
    if scope.allowed_for(found.user.role) && grants(found.scopes.as_deref(), scope) {
        Ok(found.user)
    } else {
        Err(ApiError(AppError::Forbidden))
    }
}
