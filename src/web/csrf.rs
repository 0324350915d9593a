//! CSRF protection for every state-changing form: a signed double-submit
//! token. The browser holds a random value in an HttpOnly, SameSite cookie;
//! each form carries HMAC(secret, value). A forged cross-site POST cannot
//! read the cookie, so it cannot produce the field.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};

use super::AppState;
use crate::crypto;
use crate::web::error::AppError;

/// The browser's CSRF cookie, existing or newly made for this response.
#[derive(Debug, Clone)]
pub struct CsrfCookie {
    pub value: String,
    pub fresh: bool,
}

pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-velkomst_csrf"
    } else {
        "velkomst_csrf"
    }
}

impl CsrfCookie {
    pub fn from_request(req: &HttpRequest, state: &AppState) -> Self {
        match req.cookie(cookie_name(state.settings.cookie_secure)) {
            Some(c) if c.value().len() >= 32 => CsrfCookie { value: c.value().to_string(), fresh: false },
            _ => CsrfCookie { value: crypto::random_token(), fresh: true },
        }
    }

    /// The hidden form field's value.
    pub fn token(&self, state: &AppState) -> String {
        crypto::sign(&state.secret, &format!("csrf|{}", self.value))
    }

    pub fn cookie(&self, secure: bool) -> Cookie<'static> {
        Cookie::build(cookie_name(secure), self.value.clone())
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Strict)
            .finish()
    }
}

/// A url-encoded form body, as ordered pairs (fields may repeat).
#[derive(Debug, Clone, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// PostgreSQL refuses NUL in text, so NUL becomes U+FFFD here, once,
    /// for every form and query string — as invalid UTF-8 already does in
    /// the lossy decoding. Validation refuses U+FFFD where it matters.
    pub fn parse(body: &[u8]) -> Self {
        let clean = |s: std::borrow::Cow<'_, str>| s.replace('\0', "\u{FFFD}");
        FormData(form_urlencoded::parse(body).map(|(k, v)| (clean(k), clean(v))).collect())
    }
    /// The first value of a field, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
}

/// A form whose CSRF token checked out. Taking this in a handler's
/// signature is what makes it safe to change state.
#[derive(Debug, Clone)]
pub struct VerifiedForm(pub FormData);

impl FromRequest for VerifiedForm {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let state = req.app_data::<web::Data<AppState>>().ok_or_else(|| AppError::internal("no state"))?.clone();
            // The repeat of a form kept while its session had ended
            // (web::resume): the kept form, not this body. Nothing kept
            // (used already, expired, another user): refused as stale.
            if super::query_pairs(&req).get(super::resume::MARKER) == "1" {
                return super::resume::take(&req, &state).await?.map(VerifiedForm).ok_or(AppError::Csrf);
            }
            let body = super::read_body(payload, state.settings.intake.max_body_bytes).await?;
            let form = FormData::parse(&body);
            let cookie = req.cookie(cookie_name(state.settings.cookie_secure)).ok_or(AppError::Csrf)?;
            let message = format!("csrf|{}", cookie.value());
            if !crypto::verify(&state.secret, &message, form.get("csrf_token")) {
                return Err(AppError::Csrf);
            }
            Ok(VerifiedForm(form))
        })
    }
}
