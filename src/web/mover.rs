//! The mover's own page (CONTRACT.md "The mover's own page"), phone first,
//! without script.
//!
//! The receipt email carries `/my/{token}` (256 bits; only its SHA-256 is
//! stored, in `mover_links`). Opening it puts the token in an HttpOnly
//! cookie and redirects to `/my`, so the token stands in one request line
//! only: every later page and form (`/my`, `/my/details`, ...) carries no
//! secret in its address, and the request log redacts `/my/{token}` anyway
//! (`web::redact_path`). Without a valid cookie `/my` is the lost-link form,
//! which answers the same whether or not a case has the address.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::csrf::VerifiedForm;
use super::pages::{t, Lang};
use super::{see_other, AppState, View};
use crate::db::cases::{self, CaseDetail};
use crate::domain::case::{Outcome, Stage};
use crate::domain::inquiry::FieldError;
use crate::domain::reference::Reference;
use crate::web::error::AppError;
use crate::workflow::mover::{self as flow, Correction};

/// The pages under `/my/` that are not a token (the request log shows them).
pub const PAGES: &[&str] = &["details", "consent", "withdraw", "erasure", "lost", "export", "export.json"];

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/my", web::get().to(page))
        .route("/my/details", web::post().to(correct))
        .route("/my/consent", web::post().to(consent))
        .route("/my/withdraw", web::post().to(withdraw))
        .route("/my/erasure", web::post().to(erase))
        .route("/my/lost", web::post().to(lost))
        .route("/my/export", web::get().to(export_page))
        .route("/my/export.json", web::get().to(export_json))
        .route("/my/{token}", web::get().to(open));
}

fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-velkomst_my"
    } else {
        "velkomst_my"
    }
}

/// The case this browser's link cookie opens, if it still does.
async fn my_case(req: &HttpRequest, state: &AppState) -> Result<Option<Reference>, AppError> {
    let Some(token) = req.cookie(cookie_name(state.settings.cookie_secure)).map(|c| c.value().to_string()) else {
        return Ok(None);
    };
    Ok(state.db.read(move |conn| flow::open_link(conn, &token)).await?)
}

/// The case, or the lost-link page (the link went: erased, or never valid).
async fn required_case(req: &HttpRequest, state: &AppState) -> Result<Reference, AppError> {
    my_case(req, state).await?.ok_or(AppError::NotFound)
}

/// GET /my/{token} — keeps the token in a cookie and leaves the address
/// that holds it. A link that opens nothing: the lost-link form, 404.
async fn open(view: View, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    let t2 = token.clone();
    let found = view.state.db.read(move |conn| flow::open_link(conn, &t2)).await?;
    if found.is_none() {
        return lost_page(&view, StatusCode::NOT_FOUND, "", &[], Some("my-link-unknown"));
    }
    let secure = view.state.settings.cookie_secure;
    let cookie = Cookie::build(cookie_name(secure), token)
        .path("/")
        .http_only(true)
        .secure(secure)
        // Lax: the link is opened from a mail client (a cross-site, top-level
        // navigation); the redirect to /my must carry the cookie.
        .same_site(SameSite::Lax)
        .finish();
    let mut resp = see_other(&format!("/my?lang={}", view.lang.as_str()));
    resp.add_cookie(&cookie).map_err(|e| AppError::internal(format!("cookie: {e}")))?;
    Ok(resp)
}

#[derive(Serialize)]
struct ShownError {
    field: String,
    message: String,
}

fn shown(lang: Lang, errors: &[FieldError]) -> Vec<ShownError> {
    errors
        .iter()
        .map(|e| {
            let name = t(lang, &format!("error-field-{}", e.field));
            let message = if e.code == "required" {
                super::pages::t_args(lang, "field-error-required", &[("field", name)])
            } else {
                let m = t(lang, &format!("error-{}", e.code));
                super::pages::t_args(lang, "field-error", &[("field", name), ("message", m)])
            };
            ShownError { field: e.field.clone(), message }
        })
        .collect()
}

/// The lost-link form (also what `/my` is without a link).
fn lost_page(
    view: &View,
    status: StatusCode,
    email: &str,
    errors: &[ShownError],
    notice: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let mut ctx = view.context(None);
    ctx.insert("email", email);
    ctx.insert("errors", errors);
    ctx.insert("notice", &notice);
    view.page(status, "public/my_lost.html", &ctx)
}

/// Where the case stands, as the page says it: a key per situation.
fn situation(d: &CaseDetail) -> &'static str {
    let c = &d.case;
    match (c.stage, c.outcome) {
        (Stage::Information, _) if c.first_contact_at.is_none() => "received",
        (Stage::Information, _) => "information",
        (Stage::Visit, _) => "visit",
        (Stage::MoveIn, _) => "move_in",
        (Stage::WelcomePackage, _) => "welcome_package",
        (Stage::Closed, Some(Outcome::Welcomed)) => "welcomed",
        (Stage::Closed, Some(Outcome::Withdrawn)) => "withdrawn",
        (Stage::Closed, _) => "closed",
    }
}

struct Shown {
    detail: CaseDetail,
    consultant: Option<(String, String)>,
    visit: Option<String>,
    messages_stopped: bool,
}

async fn load(state: &AppState, reference: Reference) -> Result<Shown, AppError> {
    let tz = state.settings.time_zone;
    Ok(state
        .db
        .read(move |conn| {
            let detail = cases::detail(conn, &reference)?;
            let consultant = match detail.case.assignee_id.as_deref() {
                Some(id) => crate::db::users::find(conn, id)?.filter(|u| u.active).map(|u| (u.name, u.email)),
                None => None,
            };
            let visit = crate::db::visits::current(conn, &detail.case.id)?
                .map(|v| format!("{}, {}", crate::web::staff::local_time(v.starts_at, tz), v.place));
            let messages_stopped = crate::db::mover::messages_stopped_at(conn, &detail.case.id)?.is_some();
            Ok(Shown { detail, consultant, visit, messages_stopped })
        })
        .await?)
}

fn case_page(
    view: &View,
    status: StatusCode,
    shown: &Shown,
    form: Option<&Correction>,
    errors: &[ShownError],
    done: &str,
) -> Result<HttpResponse, AppError> {
    let d = &shown.detail;
    let p = &d.person;
    let mut ctx = view.context(None);
    let form = form.cloned().unwrap_or_else(|| Correction {
        name: p.name.clone(),
        email: p.email.clone(),
        phone: p.phone.clone().unwrap_or_default(),
        message: p.message.clone().unwrap_or_default(),
    });
    ctx.insert("reference", &d.case.reference);
    ctx.insert("situation", situation(d));
    ctx.insert("is_open", &d.case.is_open);
    ctx.insert("consent", &d.case.ambassador_contact);
    ctx.insert("messages_stopped", &shown.messages_stopped);
    ctx.insert("consultant", &shown.consultant.as_ref().map(|(n, e)| serde_json::json!({ "name": n, "email": e })));
    ctx.insert("visit", &shown.visit);
    ctx.insert("response_days", &view.state.settings.queue.first_contact_goal_working_days);
    ctx.insert("form", &form);
    ctx.insert("errors", errors);
    ctx.insert("done", &Some(done).filter(|d| DONE.contains(d)));
    view.page(status, "public/my.html", &ctx)
}

/// The confirmations a redirect may ask the page to show.
const DONE: &[&str] = &["corrected", "consent_given", "consent_withdrawn", "withdrew", "unchanged", "sent"];

/// GET /my — the mover's page (with a link cookie) or the lost-link form.
async fn page(view: View, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let Some(reference) = my_case(&req, &view.state).await? else {
        let notice = (view.query("done") == "sent").then_some("my-lost-sent");
        return lost_page(&view, StatusCode::OK, "", &[], notice);
    };
    let shown = load(&view.state, reference).await?;
    let done = view.query("done").to_string();
    case_page(&view, StatusCode::OK, &shown, None, &[], &done)
}

/// POST /my/details — name, email, phone and message corrected. Refused
/// input: the page again (422) with what was typed and an error summary.
async fn correct(view: View, req: HttpRequest, form: VerifiedForm) -> Result<HttpResponse, AppError> {
    let reference = required_case(&req, &view.state).await?;
    let f = &form.0;
    let input = Correction {
        name: f.get("name").to_string(),
        email: f.get("email").to_string(),
        phone: f.get("phone").to_string(),
        message: f.get("message").to_string(),
    };
    let (s, r, i) = (view.state.settings.clone(), reference.clone(), input.clone());
    let result = view.state.db.write(move |conn| flow::correct(conn, &s, &r, &i, crate::db::now())).await?;
    match result {
        Ok(()) => Ok(see_other("/my?done=corrected#my-details")),
        Err(errors) => {
            let shown_case = load(&view.state, reference).await?;
            let errors = shown(view.lang, &errors);
            case_page(&view, StatusCode::UNPROCESSABLE_ENTITY, &shown_case, Some(&input), &errors, "")
        }
    }
}

/// POST /my/consent — `consent=true|false`.
async fn consent(view: View, req: HttpRequest, form: VerifiedForm) -> Result<HttpResponse, AppError> {
    let reference = required_case(&req, &view.state).await?;
    let consent = form.0.get("consent") == "true";
    let s = view.state.settings.clone();
    let changed =
        view.state.db.write(move |conn| flow::set_consent(conn, &s, &reference, consent, crate::db::now())).await?;
    let done = match (changed, consent) {
        (false, _) => "unchanged",
        (true, true) => "consent_given",
        (true, false) => "consent_withdrawn",
    };
    Ok(see_other(&format!("/my?done={done}#my-consent")))
}

/// POST /my/withdraw — withdraws the inquiry; after a final outcome, stops
/// every further message.
async fn withdraw(view: View, req: HttpRequest, _form: VerifiedForm) -> Result<HttpResponse, AppError> {
    let reference = required_case(&req, &view.state).await?;
    let s = view.state.settings.clone();
    view.state.db.write(move |conn| flow::withdraw(conn, &s, &reference, crate::db::now())).await?;
    Ok(see_other("/my?done=withdrew"))
}

/// POST /my/erasure — with the box `confirm` ticked, erases the person at
/// once; the link goes with them, so the answer is the page that says so.
async fn erase(view: View, req: HttpRequest, form: VerifiedForm) -> Result<HttpResponse, AppError> {
    let reference = required_case(&req, &view.state).await?;
    if form.0.get("confirm") != "yes" {
        let shown_case = load(&view.state, reference).await?;
        let errors = vec![ShownError { field: "confirm".into(), message: t(view.lang, "my-erase-confirm-missing") }];
        return case_page(&view, StatusCode::UNPROCESSABLE_ENTITY, &shown_case, None, &errors, "");
    }
    let s = view.state.settings.clone();
    let r = reference.clone();
    let erased = view.state.db.write(move |conn| flow::erase(conn, &s, &r, crate::db::now())).await?;
    let db = view.state.db.clone();
    tokio::task::spawn_blocking(move || crate::db::privacy::checkpoint(&db))
        .await
        .map_err(|e| AppError::internal(format!("checkpoint task: {e}")))??;
    tracing::info!(reference = %erased.reference, "person erased at the mover's request");
    let mut ctx = view.context(None);
    ctx.insert("reference", &reference);
    let mut gone = Cookie::new(cookie_name(view.state.settings.cookie_secure), "");
    gone.set_path("/");
    gone.make_removal();
    let mut resp = view.page(StatusCode::OK, "public/my_erased.html", &ctx)?;
    resp.add_cookie(&gone).map_err(|e| AppError::internal(format!("cookie: {e}")))?;
    Ok(resp)
}

/// How many lost-link requests one client may make per hour (in memory,
/// per instance); the per-case pause (`LINK_RESEND_MINUTES`) is the guard
/// that holds across instances.
const LOST_PER_HOUR: u32 = 20;

fn lost_limiter() -> &'static super::intake::RateLimiter {
    static LIMITER: std::sync::OnceLock<super::intake::RateLimiter> = std::sync::OnceLock::new();
    LIMITER.get_or_init(|| super::intake::RateLimiter::new(LOST_PER_HOUR))
}

/// POST /my/lost — `email`: sends a fresh link to that address for each
/// case with it, and answers the same whether there is one or not.
async fn lost(view: View, req: HttpRequest, form: VerifiedForm) -> Result<HttpResponse, AppError> {
    let email = form.0.get("email").trim().to_string();
    if let Err(code) = crate::domain::inquiry::Email::parse(&email) {
        let errors = shown(view.lang, &[FieldError::new("email", code)]);
        return lost_page(&view, StatusCode::UNPROCESSABLE_ENTITY, &email, &errors, None);
    }
    if let Some(ip) = crate::web::client::client_key(&req, &view.state.settings.trusted_proxies) {
        let now = std::time::Instant::now();
        lost_limiter().check(ip, now).map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
        lost_limiter().record(ip, now);
    }
    let s = view.state.settings.clone();
    let sent = view.state.db.write(move |conn| flow::send_links(conn, &s, &email, crate::db::now())).await?;
    tracing::info!(sent, "lost-link form answered");
    Ok(see_other(&format!("/my?done=sent&lang={}", view.lang.as_str())))
}

/// GET /my/export.json — everything kept about the mover, as the staff
/// export gives it, as a download.
async fn export_json(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let reference = required_case(&req, &state).await?;
    let body = crate::web::api::privacy::export_json(&state, reference.clone()).await?;
    let json = serde_json::to_string_pretty(&body).map_err(|e| AppError::internal(format!("export: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{reference}.json\"")))
        .body(json))
}

#[derive(Serialize)]
struct Row {
    at: String,
    text: String,
}

/// GET /my/export — the same, as a page to read: details, household, the
/// timeline, the emails sent, and who opened the case (dates, roles,
/// purposes).
async fn export_page(view: View, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let reference = required_case(&req, &view.state).await?;
    let (d, timeline, emails, access) = view
        .state
        .db
        .read(move |conn| {
            let d = cases::detail(conn, &reference)?;
            let timeline = cases::timeline(conn, &d.case.id)?;
            // The emails to the mover (staff's and ambassadors' own go
            // to them, at their addresses).
            let mut emails = Vec::new();
            for e in crate::db::outbox::for_case(conn, &d.case.id)? {
                if crate::db::users::find_by_email(conn, &e.recipient)?.is_none() {
                    emails.push(e);
                }
            }
            let access = crate::db::privacy::access_for_case(conn, &d.case.id)?;
            Ok((d, timeline, emails, access))
        })
        .await?;
    let (s, lang) = (&view.state.settings, view.lang);
    let at = |t| crate::web::staff::local_time(t, s.time_zone);
    let timeline: Vec<Row> =
        timeline.iter().map(|e| Row { at: at(e.at), text: t(lang, &format!("event-{}", e.kind.as_str())) }).collect();
    let emails: Vec<Row> = emails
        .iter()
        .filter(|e| !e.subject.is_empty())
        .map(|e| Row { at: at(e.sent_at.unwrap_or(e.created_at)), text: format!("{} ({})", e.subject, e.recipient) })
        .collect();
    let access: Vec<Row> = access
        .iter()
        .map(|a| Row {
            at: at(a.at),
            text: format!(
                "{} · {} · {}",
                t(lang, &format!("base-role-{}", a.role)),
                t(lang, &format!("privacy-access-{}", a.what)),
                t(lang, &format!("privacy-purpose-{}", a.purpose))
            ),
        })
        .collect();
    let c = &d.case;
    let mut ctx = view.context(None);
    ctx.insert("reference", &c.reference);
    ctx.insert(
        "person",
        &serde_json::json!({
            "name": d.person.name, "email": d.person.email, "phone": d.person.phone,
            "message": d.person.message, "moving_from": d.person.moving_from,
        }),
    );
    ctx.insert("adults", &c.adults);
    ctx.insert("children", &c.children_years());
    ctx.insert("areas", &d.areas.iter().map(|a| s.area_name(a)).collect::<Vec<_>>());
    ctx.insert("interests", &d.interests.iter().map(|i| s.interest_label(i, lang)).collect::<Vec<_>>());
    ctx.insert("housing", c.housing.as_str());
    ctx.insert("timeframe", &c.timeframe.as_str().replace('+', "plus"));
    ctx.insert("job_help", &c.job_help);
    ctx.insert("consent", &c.ambassador_contact);
    ctx.insert("campaign", &c.campaign);
    ctx.insert("timeline", &timeline);
    ctx.insert("emails", &emails);
    ctx.insert("access", &access);
    view.ok("public/my_export.html", &ctx)
}
