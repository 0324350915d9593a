//! Admin: API tokens of every user (list, revoke).

use actix_web::{web, HttpResponse};

use crate::error::AppError;
use crate::web::auth::AdminUser;
use crate::web::csrf::VerifiedForm;
use crate::web::{see_other, AppState, View};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/tokens", web::get().to(tokens)).route("/admin/tokens/{id}/revoke", web::post().to(revoke_token));
}

/// GET /admin/tokens — every token: owner, label, scopes, created, last
/// used, expiry, revoked (never the token itself).
async fn tokens(view: View, AdminUser(me): AdminUser) -> Result<HttpResponse, AppError> {
    let list = view.state.db.run(|conn| crate::db::tokens::list(conn, None)).await?;
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
    let revoked = state.db.run(move |conn| crate::workflow::accounts::revoke_token(conn, &id, Some(&actor))).await?;
    if revoked.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(see_other("/admin/tokens"))
}
