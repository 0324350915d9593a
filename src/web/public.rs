//! The prospective mover's pages: the inquiry form and the receipt.
//!
//! The form works without script: adding and removing a child, and
//! switching language, post the form back to `/inquiry` with a flag
//! (`add_child`, `remove_child`, `switch_language`), and the page comes
//! back with everything typed kept and nothing stored. The header's
//! language switch is a submit button of the form (`View::switch_with_form`).

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::csrf::FormData;
use super::pages::{t, Lang};
use super::{intake, query_pairs, read_body, see_other, AppState, View};
use crate::crypto;
use crate::domain::inquiry::{BirthYear, FieldError, InquiryDraft, MAX_CHILDREN, MAX_MESSAGE_CHARS};
use crate::domain::reference::Reference;
use crate::web::error::AppError;

/// The cookie that remembers, in this browser only, the inquiry it sent:
/// Back and a second submit of the same form lead to the same receipt, not
/// a second case.
const SENT_COOKIE: &str = "velkomst_sent";

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

/// The words naming a field in an error message.
fn field_name(lang: Lang, field: &str) -> String {
    if let Some(n) = field.strip_prefix("child-").and_then(|n| n.parse::<usize>().ok()) {
        return super::pages::t_args(lang, "field-child-n", &[("n", n.to_string())]);
    }
    t(lang, &format!("error-field-{field}"))
}

/// One message naming its field: "Navn skal udfyldes."
fn field_message(lang: Lang, field: &str, code: &str) -> String {
    let name = field_name(lang, field);
    if code == "required" {
        return super::pages::t_args(lang, "field-error-required", &[("field", name)]);
    }
    let message = t(lang, &format!("error-{code}"));
    super::pages::t_args(lang, "field-error", &[("field", name), ("message", message)])
}

/// Turns field errors into sentences in the page's language. A faulty
/// birth year is reported at its own box (`child-N`, N as shown).
fn shown_errors(lang: Lang, errors: &[FieldError], draft: &InquiryDraft, year: i32) -> Vec<ShownError> {
    let mut out = Vec::new();
    for e in errors {
        if e.field == "children" && e.code != "children-too-many" {
            for (i, c) in draft.children.iter().enumerate() {
                if c.trim().is_empty() {
                    continue;
                }
                if let Err(code) = BirthYear::parse(c, year) {
                    let field = format!("child-{}", i + 1);
                    out.push(ShownError { message: field_message(lang, &field, code), field });
                }
            }
            continue;
        }
        out.push(ShownError { field: e.field.clone(), message: field_message(lang, &e.field, e.code) });
    }
    out
}

fn form_page(
    view: &View,
    status: StatusCode,
    draft: &InquiryDraft,
    errors: &[ShownError],
    sent: Option<&str>,
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
    // One box per child, in the order typed; the mover adds and removes them.
    let mut children = draft.children.clone();
    children.truncate(MAX_CHILDREN);
    let year = intake::current_year(&view.state);
    let faulty: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
    ctx.insert("areas", &areas);
    ctx.insert("interests", &interests);
    ctx.insert("draft", draft);
    ctx.insert("children", &children);
    ctx.insert("may_add_child", &(children.len() < MAX_CHILDREN));
    ctx.insert("faulty", &faulty);
    ctx.insert("errors", errors);
    ctx.insert("min_year", &(year - 18));
    ctx.insert("max_year", &year);
    ctx.insert("max_message", &MAX_MESSAGE_CHARS);
    ctx.insert("sent_reference", &sent);
    view.switch_with_form(&mut ctx, "inquiry-form", "/inquiry");
    ctx.insert("mover_language", if draft.language.is_empty() { lang.as_str() } else { draft.language.as_str() });
    view.page(status, "public/inquiry.html", &ctx)
}

/// The reference this browser sent an inquiry for, and a hash of its email.
fn sent_cookie(req: &HttpRequest, state: &AppState) -> Option<(String, String)> {
    let c = req.cookie(SENT_COOKIE)?;
    let mut parts = c.value().splitn(3, '.');
    let (reference, email_hash, sig) = (parts.next()?, parts.next()?, parts.next()?);
    crypto::verify(&state.secret, &format!("sent|{reference}|{email_hash}"), sig)
        .then(|| (reference.to_string(), email_hash.to_string()))
}

fn email_hash(email: &str) -> String {
    crypto::token_hash(&email.trim().to_lowercase())[..16].to_string()
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
    let sent = sent_cookie(&req, &view.state).map(|(r, _)| r);
    form_page(&view, StatusCode::OK, &draft, &[], sent.as_deref())
}

/// GET /inquiry — only reached by hand or an old link: the form.
pub async fn form_redirect(req: HttpRequest) -> HttpResponse {
    let q = query_pairs(&req);
    match Lang::parse(q.get("lang")) {
        Some(lang) => see_other(&format!("/?lang={}", lang.as_str())),
        None => see_other("/"),
    }
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
/// token, show the form again with everything typed kept. The flags
/// `switch_language`, `add_child` and `remove_child` only show the form
/// again (nothing is stored).
pub async fn submit(req: HttpRequest, payload: web::Payload) -> Result<HttpResponse, AppError> {
    let view = View::of(&req)?;
    let state = view.state.clone();
    let body = read_body(payload.into_inner(), state.settings.intake.max_body_bytes).await?;
    let form = FormData::parse(&body);
    let mut draft = draft_from_form(&form);
    let year = intake::current_year(&state);
    let sent = sent_cookie(&req, &state);

    let editing = form.has("switch_language") || form.has("add_child") || form.has("remove_child");
    if editing {
        if form.has("add_child") && draft.children.len() < MAX_CHILDREN {
            draft.children.push(String::new());
        }
        if let Ok(n) = form.get("remove_child").parse::<usize>() {
            if (1..=draft.children.len()).contains(&n) {
                draft.children.remove(n - 1);
            }
        }
        // Errors already shown stay shown, in the language now chosen.
        let errors = if form.get("had_errors") == "1" {
            match intake::receive_check_only(&state, &draft) {
                Ok(()) => Vec::new(),
                Err(errors) => shown_errors(view.lang, &errors, &draft, year),
            }
        } else {
            Vec::new()
        };
        let sent_reference = sent.map(|(r, _)| r);
        return form_page(&view, StatusCode::OK, &draft, &errors, sent_reference.as_deref());
    }

    let csrf_ok = req
        .cookie(super::csrf::cookie_name(state.settings.cookie_secure))
        .is_some_and(|c| crypto::verify(&state.secret, &format!("csrf|{}", c.value()), form.get("csrf_token")));
    if !csrf_ok {
        let errors = [ShownError { field: "name".into(), message: t(view.lang, "error-form-expired") }];
        return form_page(&view, StatusCode::FORBIDDEN, &draft, &errors, None);
    }
    // The honeypot: hidden from people and screen readers, filled by bots.
    if !form.get("website").is_empty() {
        return Err(AppError::BadRequest("honeypot".into()));
    }
    // The same browser sending the same person's inquiry again (Back, then
    // send): the receipt it already has, not a second case. (The per-IP
    // limit still answers first.)
    let ip = crate::web::client::client_key(&req, &state.settings.trusted_proxies);
    if let Some(ip) = ip {
        state
            .limiter
            .check(ip, std::time::Instant::now())
            .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
    }
    if let Some((reference, hash)) = &sent {
        if !draft.email.trim().is_empty() && *hash == email_hash(&draft.email) {
            return Ok(see_other(&format!("/received/{reference}?again=1")));
        }
    }
    match intake::receive(&state, ip, &draft).await? {
        Ok(reference) => {
            let hash = email_hash(&draft.email);
            let sig = crypto::sign(&state.secret, &format!("sent|{reference}|{hash}"));
            let cookie = Cookie::build(SENT_COOKIE, format!("{reference}.{hash}.{sig}"))
                .path("/")
                .http_only(true)
                .secure(state.settings.cookie_secure)
                .same_site(SameSite::Strict)
                .max_age(CookieDuration::days(1))
                .finish();
            let mut resp = see_other(&format!("/received/{reference}"));
            resp.add_cookie(&cookie).map_err(|e| AppError::internal(format!("cookie: {e}")))?;
            Ok(resp)
        }
        Err(errors) => {
            let shown = shown_errors(view.lang, &errors, &draft, year);
            form_page(&view, StatusCode::UNPROCESSABLE_ENTITY, &draft, &shown, sent.map(|(r, _)| r).as_deref())
        }
    }
}

#[derive(Serialize)]
struct SentSummary {
    adults: i32,
    children: usize,
    areas: Vec<String>,
    housing: String,
    timeframe: String,
    interests: Vec<String>,
    job_help: bool,
    has_message: bool,
    ambassador_contact: bool,
    language: String,
}

/// GET /received/{reference} — the receipt: the case number, and what
/// happens next. The browser that sent the inquiry also sees a summary of
/// the choices it sent (never contact details, and nobody else sees it).
pub async fn receipt(
    view: View,
    req: HttpRequest,
    path: web::Path<Reference>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let reference = path.into_inner();
    let r = reference.clone();
    state.db.read(move |conn| crate::db::cases::exists(conn, &r)).await?.then_some(()).ok_or(AppError::NotFound)?;
    let mine = sent_cookie(&req, &state).is_some_and(|(r, _)| r == reference.as_str());
    let summary = if mine {
        let r = reference.clone();
        let d = state.db.read(move |conn| crate::db::cases::detail(conn, &r)).await?;
        let s = &state.settings;
        let lang = view.lang;
        Some(SentSummary {
            adults: d.case.adults,
            children: d.case.children_years().len(),
            areas: d.areas.iter().map(|a| s.area_name(a)).collect(),
            housing: d.case.housing.as_str().to_string(),
            timeframe: d.case.timeframe.as_str().replace('+', "plus"),
            interests: d.interests.iter().map(|i| s.interest_label(i, lang)).collect(),
            job_help: d.case.job_help,
            has_message: d.person.message.as_deref().is_some_and(|m| !m.trim().is_empty()),
            ambassador_contact: d.case.ambassador_contact,
            language: d.case.language.as_str().to_string(),
        })
    } else {
        None
    };
    let again = query_pairs(&req).get("again") == "1";
    let mut ctx = view.context(None);
    ctx.insert("reference", &reference);
    // The promise is the configured goal, as in the receipt email.
    ctx.insert("response_days", &state.settings.queue.first_contact_goal_working_days);
    ctx.insert("summary", &summary);
    ctx.insert("again", &again);
    view.ok("public/receipt.html", &ctx)
}

/// GET /logo — the municipality's logo from `municipality.logo_file`
/// (SVG or PNG); 404 when none is configured or the file cannot be read.
pub async fn logo(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let Some(path) = state.settings.municipality.logo_file.clone() else { return Err(AppError::NotFound) };
    let content_type = match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        _ => return Err(AppError::NotFound),
    };
    let bytes = web::block(move || std::fs::read(path)).await.map_err(|e| AppError::internal(format!("{e}")))?;
    let bytes = bytes.map_err(|_| AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((actix_web::http::header::CACHE_CONTROL, "public, max-age=86400"))
        .body(bytes))
}
