//! Admin: users (add, deactivate, reactivate) and which consultant is
//! responsible for which local area.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::db::users;
use crate::domain::inquiry::{Email, PersonName};
use crate::domain::user::Role;
use crate::web::auth::AdminUser;
use crate::web::csrf::VerifiedForm;
use crate::web::error::AppError;
use crate::web::pages::t;
use crate::web::{see_other, AppState, View};
use crate::workflow::accounts;

async fn users_page(
    view: &View,
    me: &users::User,
    status: StatusCode,
    form: (&str, &str, &str),
    errors: Vec<serde_json::Value>,
) -> Result<HttpResponse, AppError> {
    let (list, mfa_users) =
        view.state.db.read(|conn| Ok((users::list(conn)?, crate::db::mfa::enrolled_ids(conn)?))).await?;
    let mut ctx = view.context(Some(me));
    ctx.insert("users", &list);
    ctx.insert("mfa_users", &mfa_users);
    ctx.insert("reset_sent", &(view.query("reset") == "sent"));
    ctx.insert("roles", &Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>());
    ctx.insert("f_email", form.0);
    ctx.insert("f_name", form.1);
    ctx.insert("f_role", form.2);
    ctx.insert("errors", &errors);
    view.page(status, "admin/users.html", &ctx)
}

/// GET /admin/users
pub async fn users(view: View, AdminUser(me): AdminUser) -> Result<HttpResponse, AppError> {
    users_page(&view, &me, StatusCode::OK, ("", "", "consultant"), vec![]).await
}

/// POST /admin/users — adds an active user and shows their one-time
/// set-password link to hand over.
pub async fn add_user(
    view: View,
    AdminUser(me): AdminUser,
    VerifiedForm(form): VerifiedForm,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (email, name, role) = (form.get("email").trim(), form.get("name").trim(), form.get("role"));
    let mut errors = Vec::new();
    let field_error = |field: &str, code: &str| serde_json::json!({ "field": field, "message": t(view.lang, &format!("error-{code}")) });
    if let Err(code) = PersonName::parse(name) {
        errors.push(field_error("name", code));
    }
    if let Err(code) = Email::parse(email) {
        errors.push(field_error("email", code));
    }
    let parsed_role = Role::parse(role);
    if parsed_role.is_none() {
        errors.push(field_error("role", "choice-invalid"));
    }
    let (Some(role_v), true) = (parsed_role, errors.is_empty()) else {
        return users_page(&view, &me, StatusCode::UNPROCESSABLE_ENTITY, (email, name, role), errors).await;
    };
    let (e, n, st, actor) = (email.to_string(), name.to_string(), state.clone(), me.id.clone());
    let created = state
        .db
        .write(move |conn| {
            let new = accounts::NewAccount {
                email: &e,
                name: &n,
                role: role_v,
                ambassador: None,
                password_hash: None,
                areas: &[],
                actor: Some(&actor),
            };
            accounts::add_user(conn, &st.settings, &new)
        })
        .await?;
    let Some((user, Some(link))) = created else {
        let errors = vec![field_error("email", "email-taken")];
        return users_page(&view, &me, StatusCode::UNPROCESSABLE_ENTITY, (email, name, role), errors).await;
    };
    let mut ctx = view.context(Some(&me));
    ctx.insert("created", &user);
    ctx.insert("link", &link);
    ctx.insert("minutes", &state.settings.auth.setup_link_minutes);
    view.ok("admin/user_created.html", &ctx)
}

/// POST /admin/users/{id}/active — `active=false` deactivates (ending the
/// user's sessions and tokens at once), `active=true` reactivates.
pub async fn set_active(
    AdminUser(me): AdminUser,
    path: web::Path<crate::domain::text::UserId>,
    VerifiedForm(form): VerifiedForm,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let active = form.get("active") == "true";
    if *id == *me.id && !active {
        return Err(AppError::Refused(crate::error::Refusal::DeactivateSelf));
    }
    let actor = me.id.clone();
    state.db.write(move |conn| accounts::set_active(conn, &id, active, &actor)).await?;
    Ok(see_other("/admin/users"))
}

/// GET /admin/areas
pub async fn areas(view: View, AdminUser(me): AdminUser) -> Result<HttpResponse, AppError> {
    let (areas, staff) = view.state.db.read(|conn| Ok((users::list_areas(conn)?, users::assignable(conn)?))).await?;
    let mut ctx = view.context(Some(&me));
    ctx.insert("areas", &areas);
    ctx.insert("staff", &staff);
    view.ok("admin/areas.html", &ctx)
}

/// POST /admin/areas — `area_<slug>` = the responsible user's id, or empty.
pub async fn save_areas(
    AdminUser(_me): AdminUser,
    VerifiedForm(form): VerifiedForm,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let choices: Vec<(String, Option<String>)> = form
        .0
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("area_").map(|slug| (slug.to_string(), Some(v.clone()).filter(|v| !v.is_empty())))
        })
        .collect();
    state.db.write(move |conn| accounts::set_area_responsibles(conn, &choices)).await?;
    Ok(see_other("/admin/areas"))
}
