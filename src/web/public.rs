//! The prospective mover's pages: the inquiry form and the receipt.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::csrf::FormData;
use super::pages::{t, Lang};
use super::{intake, query_pairs, read_body, see_other, AppState, View};
use crate::crypto;
use crate::domain::inquiry::{FieldError, InquiryDraft};
use crate::error::AppError;

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
}

#[derive(Serialize)]
struct ShownError {
    field: String,
    message: String,
}

/// Turns field errors into sentences in the page's language.
fn shown_errors(lang: Lang, errors: &[FieldError]) -> Vec<ShownError> {
    errors
        .iter()
        .map(|e| ShownError { field: e.field.clone(), message: t(lang, &format!("error-{}", e.code)) })
        .collect()
}

fn form_page(
    view: &View,
    status: StatusCode,
    draft: &InquiryDraft,
    errors: &[ShownError],
) -> Result<HttpResponse, AppError> {
    let s = &view.state.settings;
    let lang = view.lang;
    let mut ctx = view.context(None);
    let areas: Vec<Choice> = s
        .areas
        .iter()
        .map(|a| Choice { value: a.slug.clone(), label: format!("{} ({})", a.name, a.postcode) })
        .collect();
    let interests: Vec<Choice> = s
        .interests
        .iter()
        .map(|i| Choice { value: i.slug.clone(), label: if lang == Lang::En { i.en.clone() } else { i.da.clone() } })
        .collect();
    // Enough birth-year boxes for what was typed plus one more, at least four.
    let mut children = draft.children.clone();
    let boxes = (children.iter().filter(|c| !c.trim().is_empty()).count() + 1).clamp(3, 15);
    children.retain(|c| !c.trim().is_empty());
    children.resize(boxes, String::new());
    let year = intake::current_year(&view.state);
    ctx.insert("areas", &areas);
    ctx.insert("interests", &interests);
    ctx.insert("draft", draft);
    ctx.insert("children", &children);
    ctx.insert("errors", errors);
    ctx.insert("min_year", &(year - 18));
    ctx.insert("max_year", &year);
    ctx.insert("mover_language", if draft.language.is_empty() { lang.as_str() } else { draft.language.as_str() });
    view.page(status, "public/inquiry.html", &ctx)
}

/// GET / — the inquiry form (Danish; `?lang=en` English; `?campaign=` kept).
pub async fn form(view: View, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let q = query_pairs(&req);
    let draft = InquiryDraft {
        // A campaign link that is not a slug is dropped: the mover can
        // neither see nor fix the hidden field.
        campaign: Some(q.get("campaign").trim().to_lowercase())
            .filter(|c| crate::domain::inquiry::is_slug(c))
            .unwrap_or_default(),
        adults: "1".into(),
        ..Default::default()
    };
    form_page(&view, StatusCode::OK, &draft, &[])
}

fn truthy(v: &str) -> bool {
    matches!(v, "on" | "true" | "1" | "yes")
}

/// What the form sent, as typed.
pub fn draft_from_form(f: &FormData) -> InquiryDraft {
    InquiryDraft {
        name: f.get("name").to_string(),
        email: f.get("email").to_string(),
        phone: f.get("phone").to_string(),
        language: f.get("language").to_string(),
        moving_from: f.get("moving_from").to_string(),
        adults: f.get("adults").to_string(),
        children: f.all("children"),
        areas: f.all("areas"),
        housing: f.get("housing").to_string(),
        timeframe: f.get("timeframe").to_string(),
        interests: f.all("interests"),
        job_help: truthy(f.get("job_help")),
        message: f.get("message").to_string(),
        ambassador_contact: truthy(f.get("ambassador_contact")),
        campaign: f.get("campaign").to_string(),
    }
}

/// POST /inquiry — receives the form. Refused input, and an expired CSRF
/// token, show the form again with everything typed kept.
pub async fn submit(req: HttpRequest, payload: web::Payload) -> Result<HttpResponse, AppError> {
    let view = View::of(&req)?;
    let state = view.state.clone();
    let body = read_body(payload.into_inner(), state.settings.intake.max_body_bytes).await?;
    let form = FormData::parse(&body);
    let draft = draft_from_form(&form);
    let csrf_ok = req
        .cookie(super::csrf::cookie_name(state.settings.cookie_secure))
        .is_some_and(|c| crypto::verify(&state.secret, &format!("csrf|{}", c.value()), form.get("csrf_token")));
    if !csrf_ok {
        let errors = [ShownError { field: "form".into(), message: t(view.lang, "error-form-expired") }];
        return form_page(&view, StatusCode::FORBIDDEN, &draft, &errors);
    }
    // The honeypot: hidden from people and screen readers, filled by bots.
    if !form.get("website").is_empty() {
        return Err(AppError::BadRequest("honeypot".into()));
    }
    let ip = crate::web::client::client_key(&req, &state.settings.trusted_proxies);
    match intake::receive(&state, ip, &draft).await? {
        Ok(reference) => Ok(see_other(&format!("/received/{reference}"))),
        Err(errors) => form_page(&view, StatusCode::UNPROCESSABLE_ENTITY, &draft, &shown_errors(view.lang, &errors)),
    }
}

/// GET /received/{reference} — the receipt: the reference, what happens
/// next, and no personal data.
pub async fn receipt(
    view: View,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let reference = path.into_inner();
    let r = reference.clone();
    state.db.run(move |conn| crate::db::cases::exists(conn, &r)).await?.then_some(()).ok_or(AppError::NotFound)?;
    let mut ctx = view.context(None);
    ctx.insert("reference", &reference);
    // The promise is the configured goal, as in the receipt email.
    ctx.insert("response_days", &state.settings.queue.first_contact_goal_working_days);
    view.ok("public/receipt.html", &ctx)
}
