//! Admin: API tokens of every user (list, revoke) and the security log.

use actix_web::{web, HttpResponse};

use crate::web::auth::AdminUser;
use crate::web::csrf::VerifiedForm;
use crate::web::error::AppError;
use crate::web::{see_other, AppState, View};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/tokens", web::get().to(tokens))
        .route("/admin/tokens/{id}/revoke", web::post().to(revoke_token))
        .route("/admin/security", web::get().to(security_log));
}

/// GET /admin/tokens — every token: owner, label, scopes, created, last
/// used, expiry, revoked (never the token itself).
async fn tokens(view: View, AdminUser(me): AdminUser) -> Result<HttpResponse, AppError> {
    let list = view.state.db.read(|conn| crate::db::tokens::list(conn, None)).await?;
    let tz = view.state.settings.time_zone;
    let fmt = |t: Option<chrono::NaiveDateTime>| t.map(|t| crate::web::staff::local_time(t, tz));
    let now = crate::db::now();
    let rows: Vec<serde_json::Value> = list
        .iter()
        .map(|t| {
            serde_json::json!({
                "id": t.id,
                "user": t.user_email,
                "name": t.name,
                "scopes": t.scopes.as_ref().map(|s| s.join(", ")),
                "created": fmt(Some(t.created_at)),
                "last_used": fmt(t.last_used_at),
                "expires": fmt(t.expires_at),
                "live": t.revoked_at.is_none() && t.expires_at.is_none_or(|e| e > now),
                "revoked": fmt(t.revoked_at),
            })
        })
        .collect();
    let mut ctx = view.context(Some(&me));
    ctx.insert("tokens", &rows);
    view.ok("admin/tokens.html", &ctx)
}

/// POST /admin/tokens/{id}/revoke
async fn revoke_token(
    AdminUser(me): AdminUser,
    path: web::Path<String>,
    _form: VerifiedForm,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let actor = me.id.clone();
    let revoked = state.db.write(move |conn| crate::workflow::accounts::revoke_token(conn, &id, Some(&actor))).await?;
    if revoked.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(see_other("/admin/tokens"))
}

/// Events per page of the security log.
const EVENTS_PER_PAGE: i64 = 50;

/// GET /admin/security?kind=&page= — the audit trail, newest first, one
/// kind or all, fifty a page.
async fn security_log(view: View, AdminUser(me): AdminUser) -> Result<HttpResponse, AppError> {
    use crate::db::audit::{self, Kind};
    let kind = Kind::parse(view.query("kind"));
    let page: i64 = view.query("page").parse().unwrap_or(1).clamp(1, 100_000);
    let offset = (page - 1) * EVENTS_PER_PAGE;
    let (events, more) = view.state.db.read(move |conn| audit::page(conn, kind, offset, EVENTS_PER_PAGE)).await?;
    let tz = view.state.settings.time_zone;
    let rows: Vec<serde_json::Value> = events
        .iter()
        .map(|e| {
            serde_json::json!({
                "at": crate::web::staff::local_time(e.at, tz),
                "kind": e.kind,
                "user": e.user,
                "actor": e.actor,
                "account_key": e.account_key,
                "client": e.client,
                "detail": e.detail,
            })
        })
        .collect();
    let kind_s = kind.map_or("", Kind::as_str);
    let link = |p: i64| {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if !kind_s.is_empty() {
            s.append_pair("kind", kind_s);
        }
        s.append_pair("page", &p.to_string());
        format!("/admin/security?{}", s.finish())
    };
    let mut ctx = view.context(Some(&me));
    ctx.insert("events", &rows);
    ctx.insert("kinds", &Kind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>());
    ctx.insert("kind", kind_s);
    ctx.insert("newer", &(page > 1).then(|| link(page - 1)));
    ctx.insert("older", &more.then(|| link(page + 1)));
    ctx.insert("nav_active", "security");
    view.ok("admin/security.html", &ctx)
}
