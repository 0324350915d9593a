//! Admin: the outbox (pending, sent, dead — with the error and a retry
//! button) and every email template rendered with sample data.

use actix_web::{web, HttpRequest, HttpResponse};

use super::local_time;
use crate::db::outbox;
use crate::mail::render;
use crate::web::auth::AdminUser;
use crate::web::csrf::VerifiedForm;
use crate::web::error::AppError;
use crate::web::{query_pairs, see_other, View};

const STATUSES: [&str; 4] = ["pending", "sending", "sent", "dead"];

/// GET /admin/outbox?status=pending|sending|sent|dead
pub async fn page(view: View, req: HttpRequest, AdminUser(me): AdminUser) -> Result<HttpResponse, AppError> {
    let q = query_pairs(&req);
    let asked = STATUSES.iter().find(|s| **s == q.get("status")).copied();
    let counts = view.state.db.read(outbox::counts).await?;
    let count_of = |st: &str| counts.iter().find(|(s, _)| s == st).map_or(0, |(_, n)| *n);
    // Without a choice: what needs attention first (dead, then waiting),
    // else what was sent — never an empty tab while emails exist.
    let status =
        asked.or_else(|| ["dead", "pending", "sending"].into_iter().find(|st| count_of(st) > 0)).unwrap_or("sent");
    let rows = view.state.db.read(move |conn| outbox::list(conn, status, 200)).await?;
    let tz = view.state.settings.time_zone;
    let list: Vec<serde_json::Value> = rows
        .iter()
        .map(|(m, reference)| {
            serde_json::json!({
                "id": m.id, "template": m.template, "recipient": m.recipient, "subject": m.subject,
                "reference": reference, "attempts": m.attempts, "error": m.last_error,
                "created": local_time(m.created_at, tz), "next": local_time(m.next_attempt_at, tz),
                "sent": m.sent_at.map(|t| local_time(t, tz)),
            })
        })
        .collect();
    let counts: Vec<(&str, i64)> =
        STATUSES.iter().map(|s| (*s, counts.iter().find(|(st, _)| st == s).map_or(0, |(_, n)| *n))).collect();
    let mut ctx = view.context(Some(&me));
    ctx.insert("status", status);
    ctx.insert("emails", &list);
    ctx.insert("counts", &counts);
    view.ok("admin/outbox.html", &ctx)
}

/// POST /admin/outbox/{id}/retry — a dead email back in the queue.
pub async fn retry(
    AdminUser(_me): AdminUser,
    path: web::Path<String>,
    _form: VerifiedForm,
    view: View,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    if uuid::Uuid::parse_str(&id).is_err() {
        return Err(AppError::NotFound);
    }
    let ok = view.state.db.write(move |conn| crate::workflow::emails::retry(conn, &id)).await?;
    if !ok {
        return Err(AppError::NotFound);
    }
    Ok(see_other("/admin/outbox?status=pending"))
}

/// GET /admin/templates — every template (the folders under
/// templates/email/), both languages, with its sample data.
pub async fn templates(view: View, req: HttpRequest, AdminUser(me): AdminUser) -> Result<HttpResponse, AppError> {
    let q = query_pairs(&req);
    let names = render::templates();
    // Unknown or no name: the receipt, the first email a mover gets.
    let name = names
        .iter()
        .find(|n| **n == q.get("name"))
        .or_else(|| names.iter().find(|n| **n == "receipt"))
        .or_else(|| names.first())
        .copied()
        .ok_or(AppError::NotFound)?;
    let lang = if q.get("in") == "en" { "en" } else { "da" };
    let rendered = preview(name, lang)?;
    let mut page = view.context(Some(&me));
    page.insert("names", names);
    page.insert("name", name);
    page.insert("mail_lang", lang);
    page.insert("subject", &rendered.subject);
    page.insert("text", &rendered.text);
    page.insert("html_src", &rendered.html);
    view.ok("admin/templates.html", &page)
}

/// GET /admin/templates/html?name=&in= — the HTML email itself, as a page.
pub async fn template_html(req: HttpRequest, AdminUser(_me): AdminUser) -> Result<HttpResponse, AppError> {
    let q = query_pairs(&req);
    let name = render::templates().iter().find(|n| **n == q.get("name")).copied().ok_or(AppError::NotFound)?;
    let lang = if q.get("in") == "en" { "en" } else { "da" };
    let rendered = preview(name, lang)?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(rendered.html))
}

/// Template `name` rendered with its sample data.
fn preview(name: &str, lang: &str) -> Result<render::RenderedEmail, AppError> {
    render::sample_context(name, lang)
        .and_then(|ctx| render::render(name, lang, &ctx))
        .map_err(|e| AppError::internal(format!("preview: {e}")))
}
