//! Getting back into an account: "forgot password" on the login page, the
//! admin's emailed reset link, and the `/reset/{token}` page they lead to
//! (the set-password page of `/setup/{token}`: single use, short-lived,
//! stored hashed, redacted from logs).

use actix_web::{web, HttpRequest, HttpResponse};

use crate::web::auth::AdminUser;
use crate::web::client::client_ip;
use crate::web::csrf::VerifiedForm;
use crate::web::error::AppError;
use crate::web::{see_other, AppState, View};

/// At most one reset email per account in this many minutes.
const RESET_EMAIL_GAP_MINUTES: i64 = 5;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/login/forgot", web::get().to(forgot_page))
        .route("/login/forgot", web::post().to(forgot))
        .route("/reset/{token}", web::get().to(crate::web::staff::login::setup_page))
        .route("/reset/{token}", web::post().to(crate::web::staff::login::setup_submit))
        .route("/admin/users/{id}/reset-link", web::post().to(admin_send));
}

fn page(view: &View, sent: bool) -> Result<HttpResponse, AppError> {
    let mut ctx = view.context(None);
    ctx.insert("sent", &sent);
    view.ok("staff/forgot.html", &ctx)
}

/// GET /login/forgot
async fn forgot_page(view: View) -> Result<HttpResponse, AppError> {
    page(&view, false)
}

/// POST /login/forgot — `email`. The answer is the same page whether or
/// not the address has an account, and it comes before any email work is
/// done (that runs after the answer), so neither words nor timing tell.
async fn forgot(
    view: View,
    req: HttpRequest,
    VerifiedForm(form): VerifiedForm,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let email = form.get("email").trim().to_string();
    let client = client_ip(&req, &state.settings.trusted_proxies).map(|c| c.to_string());
    if !email.is_empty() && email.len() <= 320 {
        let st = state.clone();
        tokio::spawn(async move {
            let settings = st.settings.clone();
            let result = st
                .db
                .write(move |conn| {
                    crate::workflow::accounts::forgot_password(conn, &settings, &email, client, RESET_EMAIL_GAP_MINUTES)
                })
                .await;
            if let Err(e) = result {
                tracing::warn!(error = %e, "a password reset email could not be queued");
            }
        });
    }
    page(&view, true)
}

/// POST /admin/users/{id}/reset-link — emails the user a link to choose a
/// new password (for one whose set-up link expired, or who forgot).
async fn admin_send(
    AdminUser(me): AdminUser,
    path: web::Path<crate::domain::text::UserId>,
    _form: VerifiedForm,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let st = state.clone();
    state.db.write(move |conn| crate::workflow::accounts::send_reset_for(conn, &st.settings, &id, &me.id)).await?;
    Ok(see_other("/admin/users?reset=sent"))
}
