//! Admin: users (add, deactivate, reactivate) and which consultant is
//! responsible for which local area.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::db::audit::{Kind, NewEvent};
use crate::db::users;
use crate::domain::inquiry::{Email, PersonName};
use crate::domain::user::Role;
use crate::error::AppError;
use crate::web::auth::AdminUser;
use crate::web::csrf::VerifiedForm;
use crate::web::pages::t;
use crate::web::{see_other, AppState, View};

async fn users_page(
    view: &View,
    me: &users::User,
    status: StatusCode,
    form: (&str, &str, &str),
    errors: Vec<serde_json::Value>,
) -> Result<HttpResponse, AppError> {
    let (list, mfa_users) =
        view.state.db.run(|conn| Ok((users::list(conn)?, crate::db::mfa::enrolled_ids(conn)?))).await?;
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

/// Creates a one-time set-password link for a user; returns the URL.
pub fn setup_link_for(conn: &mut crate::db::Conn, state: &AppState, user_id: Option<&str>) -> Result<String, AppError> {
    let token = crate::crypto::random_token();
    let expires = crate::db::now() + chrono::Duration::minutes(i64::from(state.settings.auth.setup_link_minutes));
    users::create_setup_link(conn, &crate::crypto::token_hash(&token), user_id, expires)?;
    Ok(format!("{}/setup/{token}", state.settings.public_url))
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
        .run(move |conn| {
            crate::db::write_tx(conn, |conn| match users::create(conn, &e, &n, role_v, None)? {
                Some(u) => {
                    let ev = NewEvent {
                        user_id: Some(&u.id),
                        actor_id: Some(&actor),
                        detail: Some(role_v.as_str().to_string()),
                        ..Default::default()
                    };
                    crate::workflow::accounts::record(conn, Kind::UserAdded, ev)?;
                    Ok(Some((setup_link_for(conn, &st, Some(&u.id))?, u)))
                }
                None => Ok(None),
            })
        })
        .await?;
    let Some((link, user)) = created else {
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
    path: web::Path<String>,
    VerifiedForm(form): VerifiedForm,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    if uuid::Uuid::parse_str(&id).is_err() {
        return Err(AppError::NotFound);
    }
    let active = form.get("active") == "true";
    if id == me.id && !active {
        return Err(AppError::BadRequest("you cannot deactivate yourself".into()));
    }
    let actor = me.id.clone();
    state
        .db
        .run(move |conn| {
            crate::db::write_tx(conn, |conn| {
                if active {
                    users::set_active(conn, &id, true)?;
                } else {
                    // Ends sessions, tokens and links, and hands an ambassador's
                    // open referrals back to the consultant.
                    crate::workflow::referrals::deactivate_ambassador(conn, &id, &actor)?;
                }
                let kind = if active { Kind::UserReactivated } else { Kind::UserDeactivated };
                let ev = NewEvent { user_id: Some(&id), actor_id: Some(&actor), ..Default::default() };
                crate::workflow::accounts::record(conn, kind, ev)
            })
        })
        .await?;
    Ok(see_other("/admin/users"))
}

/// GET /admin/areas
pub async fn areas(view: View, AdminUser(me): AdminUser) -> Result<HttpResponse, AppError> {
    let (areas, staff) = view.state.db.run(|conn| Ok((users::list_areas(conn)?, users::assignable(conn)?))).await?;
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
    state
        .db
        .run(move |conn| {
            crate::db::write_tx(conn, |conn| {
                let staff = users::assignable(conn)?;
                let known: Vec<String> = users::list_areas(conn)?.into_iter().map(|a| a.slug).collect();
                for (slug, user) in &choices {
                    if !known.contains(slug) {
                        return Err(AppError::BadRequest("unknown area".into()));
                    }
                    if user.as_ref().is_some_and(|id| !staff.iter().any(|u| &u.id == id)) {
                        return Err(AppError::BadRequest("unknown user".into()));
                    }
                    users::set_responsible(conn, slug, user.as_deref())?;
                }
                Ok(())
            })
        })
        .await?;
    Ok(see_other("/admin/areas"))
}
