//! The web layer's error: how a failure is answered. Handlers return
//! `Result<_, AppError>` (HTML pages) or `Result<_, ApiError>` (JSON); both
//! render the same variants, and neither ever shows internals: unexpected
//! errors are logged with a correlation id and only that id reaches the
//! user. Errors from below (`crate::web::error::Error`) convert with `?`; this is
//! the only place that gives them an HTTP status.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

use crate::error::{Error, Refusal};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// No valid session: pages redirect to the login, the API answers 401.
    #[error("login required")]
    LoginRequired,
    #[error("the form has expired; reload the page and try again")]
    Csrf,
    #[error("{0}")]
    BadRequest(String),
    /// Well-formed but unusable input (422).
    #[error("{0}")]
    Invalid(String),
    /// Not allowed in the current state (409), with the typed reason.
    #[error("refused: {0}")]
    Refused(Refusal),
    /// The path exists, the method does not (405 with `Allow`).
    #[error("method not allowed; allowed: {allow}")]
    MethodNotAllowed { allow: String },
    #[error("request body too large")]
    PayloadTooLarge,
    /// The body did not arrive in time.
    #[error("the request took too long")]
    RequestTimeout,
    #[error("too many requests")]
    RateLimited { retry_after_secs: u64 },
    #[error("service unavailable")]
    Unavailable(String),
    /// Too much work at once (password hashing): 503 with Retry-After.
    #[error("busy; please try again in a moment")]
    Busy { retry_after_secs: u64 },
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn internal(msg: impl Into<String>) -> Self {
        AppError::Internal(anyhow::anyhow!(msg.into()))
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::LoginRequired => StatusCode::UNAUTHORIZED,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            // A form naming what does not exist was not made by our pages.
            AppError::Refused(Refusal::UnknownArea | Refusal::UnknownUser) => StatusCode::BAD_REQUEST,
            AppError::Refused(Refusal::UnknownAssignee) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Refused(Refusal::DeactivateSelf | Refusal::ChangedMeanwhile | Refusal::Erased) => {
                StatusCode::CONFLICT
            }
            AppError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) | AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Logs what the user must not see; returns the id that ties the two.
    fn log(&self) -> Option<String> {
        let detail = match self {
            AppError::Internal(e) => format!("{e:#}"),
            AppError::Unavailable(e) => e.clone(),
            _ => return None,
        };
        let id = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
        tracing::error!(correlation_id = %id, error = %detail, "request failed");
        Some(id)
    }
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        match e {
            Error::NotFound => AppError::NotFound,
            Error::Refused(r) => AppError::Refused(r),
            Error::Invalid(msg) => AppError::Invalid(msg),
            Error::Unavailable(what) => AppError::Unavailable(what),
            Error::Internal(e) => AppError::Internal(e),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::LoginRequired => StatusCode::SEE_OTHER,
            other => other.status(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::LoginRequired = self {
            return HttpResponse::SeeOther().insert_header((header::LOCATION, "/login")).finish();
        }
        let correlation_id = self.log();
        let mut resp = HttpResponse::build(self.status());
        if let AppError::RateLimited { retry_after_secs } | AppError::Busy { retry_after_secs } = self {
            resp.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        resp.content_type("text/html; charset=utf-8").body(super::pages::error_page(
            self.status(),
            self,
            correlation_id.as_deref(),
        ))
    }
}

/// The same errors, answered as JSON for `/api/v1`.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ApiError(#[from] pub AppError);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e.into())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        let correlation_id = self.0.log();
        let mut resp = HttpResponse::build(self.0.status());
        match &self.0 {
            AppError::RateLimited { retry_after_secs } | AppError::Busy { retry_after_secs } => {
                resp.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            AppError::LoginRequired => {
                resp.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            AppError::MethodNotAllowed { allow } => {
                resp.insert_header((header::ALLOW, allow.as_str()));
            }
            _ => {}
        }
        let message = match &self.0 {
            AppError::LoginRequired => "a valid bearer token is required".to_string(),
            AppError::Forbidden => "this token may not use the staff API".to_string(),
            other => other.to_string(),
        };
        let body = match correlation_id {
            Some(id) => serde_json::json!({ "error": message, "correlation_id": id }),
            None => serde_json::json!({ "error": message }),
        };
        resp.json(body)
    }
}
