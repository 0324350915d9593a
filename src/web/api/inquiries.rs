//! POST /api/v1/inquiries — intake as JSON, same rules as the form.

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use super::{json_body, unprocessable};
use crate::domain::inquiry::{FieldError, InquiryDraft};
use crate::web::error::{ApiError, AppError};
use crate::web::{intake, AppState};

const FIELDS: &[&str] = &[
    "name",
    "email",
    "phone",
    "language",
    "moving_from",
    "adults",
    "children",
    "areas",
    "housing",
    "timeframe",
    "interests",
    "job_help",
    "message",
    "ambassador_contact",
    "campaign",
];

/// Reads the JSON object into a draft, with a type error per field rather
/// than one parse failure for the whole body.
pub fn draft_from_json(obj: &Map<String, Value>) -> (InquiryDraft, Vec<FieldError>) {
    let mut f = Fields { obj, errors: Vec::new() };
    for key in obj.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
        f.errors.push(FieldError::new(key.clone(), "unknown-field"));
    }
    let draft = InquiryDraft {
        name: f.text("name"),
        email: f.text("email"),
        phone: f.text("phone"),
        language: f.text("language"),
        moving_from: f.text("moving_from"),
        adults: f.integer("adults"),
        children: f.list("children", true),
        areas: f.list("areas", false),
        housing: f.text("housing"),
        timeframe: f.text("timeframe"),
        interests: f.list("interests", false),
        job_help: f.flag("job_help"),
        message: f.text("message"),
        ambassador_contact: f.flag("ambassador_contact"),
        campaign: f.text("campaign"),
    };
    (draft, f.errors)
}

/// The body's fields as the form would send them (text), each wrong JSON
/// type noted as the field's error; a missing field or null is empty.
struct Fields<'a> {
    obj: &'a Map<String, Value>,
    errors: Vec<FieldError>,
}

impl Fields<'_> {
    fn refuse<T: Default>(&mut self, k: &str, code: &'static str) -> T {
        self.errors.push(FieldError::new(k, code));
        T::default()
    }

    fn text(&mut self, k: &str) -> String {
        match self.obj.get(k) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => self.refuse(k, "must-be-string"),
        }
    }

    fn integer(&mut self, k: &str) -> String {
        match self.obj.get(k) {
            None | Some(Value::Null) => String::new(),
            Some(Value::Number(n)) if n.is_i64() => n.to_string(),
            Some(_) => self.refuse(k, "must-be-integer"),
        }
    }

    fn list(&mut self, k: &str, numbers: bool) -> Vec<String> {
        let code = if numbers { "must-be-integer-list" } else { "must-be-string-list" };
        match self.obj.get(k) {
            None | Some(Value::Null) => vec![],
            Some(Value::Array(items)) if items.iter().all(|v| if numbers { v.is_i64() } else { v.is_string() }) => {
                items.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)).collect()
            }
            Some(_) => self.refuse(k, code),
        }
    }

    fn flag(&mut self, k: &str) -> bool {
        match self.obj.get(k) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => self.refuse(k, "must-be-bool"),
        }
    }
}

/// The header in which an integration names the mover's address.
pub const MOVER_ADDRESS: &str = "velkomst-mover-address";

/// POST /api/v1/inquiries — 201 with the reference; 422 with every field
/// error. Public; an integration that sends inquiries on movers' behalf
/// (a partner's form, a campaign site) uses a bearer token with the
/// `intake` scope instead: it has a limit of its own per token, and the
/// per-address limit applies to the mover's address when it names it in
/// `Velkomst-Mover-Address`. A token that is given must be live (401) and
/// carry `intake` (403).
pub async fn create(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let integration = if req.headers().contains_key(actix_web::http::header::AUTHORIZATION) {
        let user = crate::web::auth::bearer_with_scope(&req, crate::domain::token::Scope::Intake).await?;
        tracing::info!(user_id = %user.id, "inquiry from an integration token");
        let bearer = req.headers().get(actix_web::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        bearer.and_then(|v| v.strip_prefix("Bearer ")).map(|t| crate::crypto::token_hash(t.trim()))
    } else {
        None
    };
    // An integration may name the mover's address for the per-address limit.
    let mover_address = match req.headers().get(MOVER_ADDRESS) {
        None => None,
        Some(_) if integration.is_none() => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(|v| v.trim().parse::<std::net::IpAddr>().ok())
                .ok_or_else(|| ApiError(AppError::BadRequest(format!("{MOVER_ADDRESS}: not an IP address"))))?,
        ),
    };
    let value = json_body(&req, payload, state.settings.intake.max_body_bytes).await?;
    let Value::Object(obj) = value else {
        return Ok(unprocessable(&[FieldError::new("(body)", "must-be-object")]));
    };
    let (draft, type_errors) = draft_from_json(&obj);
    let ip = match integration {
        Some(_) => mover_address,
        None => crate::web::client::client_key(&req, &state.settings.trusted_proxies),
    };
    if !type_errors.is_empty() {
        // Report type errors together with the rule errors of the other fields.
        let catalog_errors = match intake::receive_check_only(&state, &draft) {
            Err(errors) => errors.into_iter().filter(|e| !type_errors.iter().any(|t| t.field == e.field)).collect(),
            Ok(()) => vec![],
        };
        let mut all = type_errors;
        all.extend(catalog_errors);
        return Ok(unprocessable(&all));
    }
    match intake::receive_from(&state, ip, integration.as_deref(), &draft).await? {
        Ok(reference) => Ok(HttpResponse::Created().json(json!({ "reference": reference, "stage": "information" }))),
        Err(errors) => Ok(unprocessable(&errors)),
    }
}
