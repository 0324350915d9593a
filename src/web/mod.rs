//! HTTP: one module per audience (public, staff, admin, api), the
//! extractors that carry permissions (auth, csrf), and the rendering.

pub mod account;
pub mod ambassador;
pub mod api;
pub mod assets;
pub mod auth;
pub mod campaigns;
pub mod client;
pub mod csrf;
pub mod email_preview;
pub mod error;
pub mod error_pages;
pub mod events;
pub mod filters;
pub mod intake;
pub mod metrics;
pub mod mfa;
pub mod mover;
pub mod pages;
pub mod public;
pub mod recovery;
pub mod reports;
pub mod resume;
pub mod staff;
pub mod survey;
pub mod targets;
pub mod throttle;

use std::sync::Arc;

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::{header, StatusCode};
use actix_web::{middleware, web, FromRequest, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use crate::config::Settings;
use crate::db::users::User;
use crate::db::Db;
use crate::web::error::{ApiError, AppError};
use csrf::CsrfCookie;
use pages::Lang;

/// What every handler shares.
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub secret: Arc<Vec<u8>>,
    pub limiter: intake::RateLimiter,
    /// Every password hash and verification goes through this bounded pool.
    pub hasher: crate::hashing::HashPool,
    /// Growing delays after failed logins.
    pub throttle: throttle::LoginThrottle,
}

impl AppState {
    /// Runs a password hash or check on the bounded pool; 503 with
    /// Retry-After when every hashing thread stays busy.
    pub async fn hash<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        self.hasher.run(f).await.map_err(|b| {
            tracing::warn!("password hashing busy; attempt refused");
            AppError::Busy { retry_after_secs: b.retry_after_secs }
        })
    }
}

/// Every response carries these: a strict CSP with no inline script or
/// style, no framing, no sniffing, no referrer leaking case URLs.
pub fn security_headers(secure: bool) -> middleware::DefaultHeaders {
    let mut h = middleware::DefaultHeaders::new()
        .add((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
             connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add(("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add((header::CACHE_CONTROL, "no-store"));
    if secure {
        h = h.add((header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains"));
    }
    h
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    // A path segment that cannot be what it names (a reference, an id) is
    // the same 404 as one that names nothing: nothing reveals the shapes.
    cfg.app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
        .route("/healthz", web::get().to(healthz))
        .route("/metrics", web::get().to(metrics::scrape))
        .route("/static/{path:.*}", web::get().to(assets::serve))
        .route("/", web::get().to(public::form))
        .route("/inquiry", web::post().to(public::submit))
        .route("/inquiry", web::get().to(public::form_redirect))
        .route("/logo", web::get().to(public::logo))
        .route("/received/{reference}", web::get().to(public::receipt))
        .configure(staff::routes)
        .configure(ambassador::routes)
        .configure(account::routes)
        .configure(mfa::routes)
        .configure(recovery::routes)
        .configure(survey::routes)
        .configure(mover::routes)
        .configure(events::routes)
        .configure(reports::routes)
        .configure(campaigns::routes)
        .service(
            web::scope("/api/v1")
                .wrap(middleware::from_fn(api::idempotency::idempotent))
                .app_data(web::PathConfig::default().error_handler(|_, _| ApiError(AppError::NotFound).into()))
                .configure(api::routes)
                .default_service(web::to(api_not_found)),
        )
        .default_service(web::to(not_found));
}

/// GET /healthz — 200 when the database answers, 503 otherwise.
async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let ok = state.db.read(crate::db::ping).await.is_ok();
    if ok {
        HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
    } else {
        HttpResponse::ServiceUnavailable().json(serde_json::json!({ "status": "unavailable" }))
    }
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

async fn api_not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError(AppError::NotFound))
}

/// How long a request body may take to arrive (`intake.body_timeout_seconds`,
/// set at start): a slow client cannot hold a connection open for ever.
pub static BODY_TIMEOUT_SECS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(10);

/// Reads a request body up to `limit` bytes; more is 413, never a 500; a
/// body that does not arrive within the body timeout is 408.
pub async fn read_body(mut payload: actix_web::dev::Payload, limit: usize) -> Result<web::BytesMut, AppError> {
    let secs = BODY_TIMEOUT_SECS.load(std::sync::atomic::Ordering::Relaxed);
    let read = async move {
        let mut body = web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| AppError::BadRequest("the request body could not be read".into()))?;
            if body.len() + chunk.len() > limit {
                return Err(AppError::PayloadTooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    };
    tokio::time::timeout(std::time::Duration::from_secs(secs), read).await.map_err(|_| AppError::RequestTimeout)?
}

/// The query string as pairs; malformed escapes decode leniently.
pub fn query_pairs(req: &HttpRequest) -> csrf::FormData {
    csrf::FormData::parse(req.query_string().as_bytes())
}

/// Per-request page setting: language (from `?lang=`, then the cookie,
/// else Danish) and the CSRF cookie for any form on the page.
pub struct View {
    pub lang: Lang,
    lang_chosen: bool,
    pub csrf: CsrfCookie,
    path: String,
    query: csrf::FormData,
    /// A page shown in answer to a POST (a refused action): the language
    /// link goes to the page the action belongs to, never a GET of the POST
    /// address.
    posted: bool,
    /// The flash cookie of a case page (`done.was`), if the request had one.
    pub flash: Option<String>,
    pub state: web::Data<AppState>,
}

impl FromRequest for View {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(View::of(req))
    }
}

impl View {
    pub fn of(req: &HttpRequest) -> Result<Self, AppError> {
        let state = req.app_data::<web::Data<AppState>>().cloned().ok_or_else(|| AppError::internal("no state"))?;
        let query = query_pairs(req);
        let chosen = Lang::parse(query.get("lang"));
        let lang =
            chosen.or_else(|| req.cookie("velkomst_lang").and_then(|c| Lang::parse(c.value()))).unwrap_or(Lang::Da);
        Ok(View {
            lang,
            lang_chosen: chosen.is_some(),
            csrf: CsrfCookie::from_request(req, &state),
            path: req.path().to_string(),
            query,
            posted: req.method() == actix_web::http::Method::POST,
            flash: req.cookie(staff::FLASH_COOKIE).map(|c| c.value().to_string()),
            state,
        })
    }

    /// The variables base.html needs, plus the user if logged in.
    pub fn context(&self, user: Option<&User>) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("lang", self.lang.as_str());
        ctx.insert("asset_v", assets::asset_version());
        site_context(&mut ctx, &self.state.settings, self.lang);
        ctx.insert("csrf_token", &self.csrf.token(&self.state));
        ctx.insert("lang_switch_url", &self.url_with_lang(self.lang.other()));
        if let Some(u) = user {
            ctx.insert("user", u);
        }
        ctx
    }

    /// One query-string value of the request ("" when absent).
    pub fn query(&self, key: &str) -> &str {
        self.query.get(key)
    }

    /// The request's path (a POST's address on a page shown in answer to it).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// On a page whose form must keep what was typed across a language
    /// switch (the mover's form; a staff form after a refused action): the
    /// header's and footer's switch become submit buttons of the form with
    /// id `form_id`, posting it to `action` in the other language with the
    /// flag `switch_language`, which shows it again and stores nothing.
    /// Works without script.
    pub fn switch_with_form(&self, ctx: &mut tera::Context, form_id: &str, action: &str) {
        let sep = if action.contains('?') { '&' } else { '?' };
        ctx.insert("lang_switch_form", form_id);
        ctx.insert("lang_switch_action", &format!("{action}{sep}lang={}", self.lang.other().as_str()));
    }

    fn url_with_lang(&self, lang: Lang) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if !self.posted {
            for (k, v) in self.query.0.iter().filter(|(k, _)| k != "lang") {
                s.append_pair(k, v);
            }
        }
        s.append_pair("lang", lang.as_str());
        let path = if self.posted { page_of_action(&self.path) } else { self.path.clone() };
        format!("{}?{}", path, s.finish())
    }

    pub fn page(&self, status: StatusCode, template: &str, ctx: &tera::Context) -> Result<HttpResponse, AppError> {
        let html = pages::render(template, ctx)?;
        let mut resp = HttpResponse::build(status);
        resp.content_type("text/html; charset=utf-8");
        if self.csrf.fresh {
            resp.cookie(self.csrf.cookie(self.state.settings.cookie_secure));
        }
        if self.flash.is_some() && !self.posted {
            // Shown once: gone on the next load.
            let mut gone = Cookie::new(staff::FLASH_COOKIE, "");
            gone.set_path(self.path.clone());
            gone.make_removal();
            resp.cookie(gone);
        }
        if self.lang_chosen {
            resp.cookie(
                Cookie::build("velkomst_lang", self.lang.as_str())
                    .path("/")
                    .same_site(SameSite::Lax)
                    .secure(self.state.settings.cookie_secure)
                    .max_age(CookieDuration::days(365))
                    .finish(),
            );
        }
        Ok(resp.body(html))
    }

    pub fn ok(&self, template: &str, ctx: &tera::Context) -> Result<HttpResponse, AppError> {
        self.page(StatusCode::OK, template, ctx)
    }
}

/// Paths whose last part is a secret (a sign-in, set-up, reset or own-page
/// token). One rule for every log line: the token is replaced, so whoever
/// reads the logs cannot use the link.
pub const TOKEN_PATHS: &[&str] = &["/signin/", "/setup/", "/reset/", "/my/", "/survey/", "/event/"];

/// The path as logs show it: token-bearing paths with the token replaced.
pub fn redact_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in TOKEN_PATHS {
        if let Some(rest) = path.strip_prefix(prefix) {
            let tail = rest.find('/').map_or("", |i| &rest[i..]);
            // The mover's pages after the link (`/my/details`...) hold no secret.
            if *prefix == "/my/" && mover::PAGES.contains(&rest) {
                return path.into();
            }
            return format!("{prefix}[redacted]{tail}").into();
        }
    }
    path.into()
}

/// What every page shows about the municipality: name, logo, contact
/// details, opening hours and the privacy and accessibility links.
pub fn site_context(ctx: &mut tera::Context, settings: &Settings, lang: Lang) {
    let m = &settings.municipality;
    ctx.insert("municipality", m.name_in(lang.as_str()));
    ctx.insert("has_logo", &m.logo_file.is_some());
    ctx.insert("contact", &m.contact);
    let hours = if lang == Lang::En { &m.contact.opening_hours_en } else { &m.contact.opening_hours_da };
    ctx.insert("opening_hours", hours);
}

/// The page a POST address belongs to, for links (the language switch)
/// on a page shown in answer to that POST: `/cases/R/visit` → `/cases/R`.
pub fn page_of_action(path: &str) -> String {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        ["inquiry"] | ["logout"] => "/".to_string(),
        ["cases", _, "email"] => path.to_string(),
        ["cases", reference, _, ..] => format!("/cases/{reference}"),
        ["referrals", ..] => "/cases".to_string(),
        ["ambassadors", id, _, ..] => format!("/ambassadors/{id}"),
        ["admin", section, _, ..] => format!("/admin/{section}"),
        ["ambassador", "referrals", id, _, ..] => format!("/ambassador/referrals/{id}"),
        _ => path.to_string(),
    }
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_string())).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_paths_are_redacted() {
        assert_eq!(redact_path("/signin/abcDEF123"), "/signin/[redacted]");
        assert_eq!(redact_path("/setup/abc"), "/setup/[redacted]");
        assert_eq!(redact_path("/my/abc/export"), "/my/[redacted]/export");
        assert_eq!(redact_path("/my/details"), "/my/details");
        assert_eq!(redact_path("/my"), "/my");
        assert_eq!(redact_path("/reset/x"), "/reset/[redacted]");
        assert_eq!(redact_path("/survey/abc"), "/survey/[redacted]");
        assert_eq!(redact_path("/cases/VK-2026-ABC"), "/cases/VK-2026-ABC");
    }

    #[test]
    fn a_posted_page_switches_language_on_its_own_page() {
        assert_eq!(page_of_action("/inquiry"), "/");
        assert_eq!(page_of_action("/cases/VK-2026-ABC/transition"), "/cases/VK-2026-ABC");
        assert_eq!(page_of_action("/cases/VK-2026-ABC/visit/cancel"), "/cases/VK-2026-ABC");
        assert_eq!(page_of_action("/cases/VK-2026-ABC/email"), "/cases/VK-2026-ABC/email");
        assert_eq!(page_of_action("/ambassadors/a1/deactivate"), "/ambassadors/a1");
        assert_eq!(page_of_action("/ambassadors"), "/ambassadors");
        assert_eq!(page_of_action("/admin/users/u1/active"), "/admin/users");
        assert_eq!(page_of_action("/admin/users"), "/admin/users");
        assert_eq!(page_of_action("/ambassador/referrals/r1/step"), "/ambassador/referrals/r1");
        assert_eq!(page_of_action("/login"), "/login");
    }
}
