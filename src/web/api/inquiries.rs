//! POST /api/v1/inquiries — intake as JSON, same rules as the form.

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use super::{json_body, unprocessable};
use crate::domain::inquiry::{FieldError, InquiryDraft};
use crate::web::error::ApiError;
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
    let mut errors = Vec::new();
    for key in obj.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
        errors.push(FieldError::new(key.clone(), "unknown-field"));
    }
    let mut text = |k: &str| match obj.get(k) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            errors.push(FieldError::new(k, "must-be-string"));
            String::new()
        }
    };
    let (name, email, phone, language, moving_from) =
        (text("name"), text("email"), text("phone"), text("language"), text("moving_from"));
    let (housing, timeframe, message, campaign) =
        (text("housing"), text("timeframe"), text("message"), text("campaign"));
    let adults = match obj.get("adults") {
        None | Some(Value::Null) => String::new(),
        Some(Value::Number(n)) if n.is_i64() => n.to_string(),
        Some(_) => {
            errors.push(FieldError::new("adults", "must-be-integer"));
            String::new()
        }
    };
    let mut list = |k: &str, numbers: bool| -> Vec<String> {
        match obj.get(k) {
            None | Some(Value::Null) => vec![],
            Some(Value::Array(items)) => {
                let ok = items.iter().all(|v| if numbers { v.is_i64() } else { v.is_string() });
                if ok {
                    items.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)).collect()
                } else {
                    errors
                        .push(FieldError::new(k, if numbers { "must-be-integer-list" } else { "must-be-string-list" }));
                    vec![]
                }
            }
            Some(_) => {
                errors.push(FieldError::new(k, if numbers { "must-be-integer-list" } else { "must-be-string-list" }));
                vec![]
            }
        }
    };
    let (children, areas, interests) = (list("children", true), list("areas", false), list("interests", false));
    let mut flag = |k: &str| match obj.get(k) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            errors.push(FieldError::new(k, "must-be-bool"));
            false
        }
    };
    let (job_help, ambassador_contact) = (flag("job_help"), flag("ambassador_contact"));
    let draft = InquiryDraft {
        name,
        email,
        phone,
        language,
        moving_from,
        adults,
        children,
        areas,
        housing,
        timeframe,
        interests,
        job_help,
        message,
        ambassador_contact,
        campaign,
    };
    (draft, errors)
}

/// POST /api/v1/inquiries — 201 with the reference; 422 with every field
/// error. Public; an integration that sends inquiries on movers' behalf
/// (a partner's form, a campaign site) uses a bearer token with the
/// `intake` scope instead and is not held to the per-address limit. A
/// token that is given must be live (401) and carry `intake` (403).
pub async fn create(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let integration = if req.headers().contains_key(actix_web::http::header::AUTHORIZATION) {
        let user = crate::web::auth::bearer_with_scope(&req, crate::domain::token::Scope::Intake).await?;
        tracing::info!(user_id = %user.id, "inquiry from an integration token");
        true
    } else {
        false
    };
    let value = json_body(&req, payload, state.settings.intake.max_body_bytes).await?;
    let Value::Object(obj) = value else {
        return Ok(unprocessable(&[FieldError::new("(body)", "must-be-object")]));
    };
    let (draft, type_errors) = draft_from_json(&obj);
    let ip = if integration { None } else { crate::web::client::client_key(&req, &state.settings.trusted_proxies) };
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
    match intake::receive(&state, ip, &draft).await? {
        Ok(reference) => Ok(HttpResponse::Created().json(json!({ "reference": reference, "stage": "information" }))),
        Err(errors) => Ok(unprocessable(&errors)),
    }
}
