//! Admin: users (add, deactivate, reactivate) and which consultant is
//! responsible for which local area.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::db::users;
use crate::domain::inquiry::{Email, PersonName};
use crate::domain::text::UserId;
use crate::domain::user::Role;
use crate::web::auth::AdminUser;
use crate::web::csrf::VerifiedForm;
use crate::web::error::AppError;
use crate::web::pages::t;
use crate::web::{see_other, AppState, View};
use crate::workflow::accounts;
use crate::workflow::staffing::{self, HandTo};

async fn users_page(
    view: &View,
    me: &users::User,
    status: StatusCode,
    form: (&str, &str, &str),
    errors: Vec<serde_json::Value>,
) -> Result<HttpResponse, AppError> {
    let (list, mfa_users, absences) = view
        .state
        .db
        .read(|conn| {
            Ok((users::list(conn)?, crate::db::mfa::enrolled_ids(conn)?, crate::db::staffing::absences(conn)?))
        })
        .await?;
    let name_of = |id: &str| list.iter().find(|u| u.id == id).map(|u| u.name.clone()).unwrap_or_default();
    // Who is away (and who stands in), and whom each stand-in covers.
    let away: std::collections::HashMap<&str, String> =
        absences.iter().map(|a| (a.user_id.as_str(), name_of(&a.substitute_id))).collect();
    let mut covers: std::collections::HashMap<&str, Vec<String>> = std::collections::HashMap::new();
    for a in &absences {
        covers.entry(a.substitute_id.as_str()).or_default().push(name_of(&a.user_id));
    }
    let mut ctx = view.context(Some(me));
    ctx.insert("users", &list);
    ctx.insert("mfa_users", &mfa_users);
    ctx.insert("reset_sent", &(view.query("reset") == "sent"));
    ctx.insert("away", &away);
    ctx.insert("covers", &covers);
    let done = match view.query("done") {
        d @ ("deactivated" | "activated" | "away" | "back") => Some(d),
        _ => None,
    };
    ctx.insert("done", &done);
    ctx.insert("done_n", &view.query("n").parse::<u32>().unwrap_or(0));
    ctx.insert("roles", &Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>());
    ctx.insert("f_email", form.0);
    ctx.insert("f_name", form.1);
    ctx.insert("f_role", form.2);
    ctx.insert("errors", &errors);
    view.switch_with_form(&mut ctx, "add-user-form", "/admin/users");
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
    if form.has("switch_language") {
        return users_page(&view, &me, StatusCode::OK, (email, name, role), vec![]).await;
    }
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

/// The user id from the path (a malformed one is a 404 before any handler).
fn user_id(path: web::Path<UserId>) -> String {
    path.into_inner().as_str().to_string()
}

/// What the deactivation and absence pages share: the staff member, their
/// open cases, who could take them, the choice made and its error.
fn staffing_context(
    view: &View,
    me: &users::User,
    o: &staffing::Overview,
    chosen: &str,
    field: &str,
    error: Option<String>,
) -> tera::Context {
    let mut ctx = view.context(Some(me));
    ctx.insert("target", &o.user);
    ctx.insert("open", &o.open);
    ctx.insert("takers", &o.takers);
    ctx.insert("chosen", chosen);
    let errors: Vec<serde_json::Value> =
        error.into_iter().map(|m| serde_json::json!({ "field": field, "message": m })).collect();
    ctx.insert("errors", &errors);
    ctx
}

/// The deactivation page: who, how many open cases, and to whom they go.
async fn deactivate_page(
    view: &View,
    me: &users::User,
    id: String,
    status: StatusCode,
    chosen: &str,
    error: Option<String>,
) -> Result<HttpResponse, AppError> {
    let o = view.state.db.read(move |conn| staffing::overview(conn, &id)).await?;
    let mut ctx = staffing_context(view, me, &o, chosen, "hand_to", error);
    view.switch_with_form(&mut ctx, "deactivate-form", &format!("/admin/users/{}/active", o.user.id));
    view.page(status, "admin/deactivate.html", &ctx)
}

/// GET /admin/users/{id}/deactivate — asks first, and asks where the
/// user's open cases go (another consultant, or unassigned).
pub async fn deactivate_confirm(
    view: View,
    AdminUser(me): AdminUser,
    path: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let id = user_id(path);
    if id == me.id {
        return Err(AppError::NotFound);
    }
    deactivate_page(&view, &me, id, StatusCode::OK, "", None).await
}

/// The users page after a change, with what happened (`done`, `n` cases).
fn users_done(done: &str, n: usize) -> HttpResponse {
    see_other(&format!("/admin/users?done={done}&n={n}#user-list"))
}

/// POST /admin/users/{id}/active — `active=true` reactivates;
/// `active=false` deactivates (ending the user's sessions and tokens at
/// once), handing their open cases to `hand_to` (a user id, or
/// `unassigned`), which must be chosen when they have any.
pub async fn set_active(
    view: View,
    AdminUser(me): AdminUser,
    path: web::Path<UserId>,
    VerifiedForm(form): VerifiedForm,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let id = user_id(path);
    if form.get("active") == "true" {
        let actor = me.id.clone();
        state.db.write(move |conn| accounts::set_active(conn, &id, true, &actor)).await?;
        return Ok(users_done("activated", 0));
    }
    if id == me.id {
        return Err(AppError::Refused(crate::error::Refusal::DeactivateSelf));
    }
    let chosen = form.get("hand_to").to_string();
    if form.has("switch_language") {
        return deactivate_page(&view, &me, id, StatusCode::OK, &chosen, None).await;
    }
    let hand_to = HandTo::parse(&chosen);
    let (target, actor) = (id.clone(), me.id.clone());
    let result = state.db.write(move |conn| staffing::deactivate(conn, &target, hand_to.as_ref(), &actor)).await?;
    match result {
        Ok(n) => Ok(users_done("deactivated", n)),
        Err(refusal) => {
            let msg = t(view.lang, &format!("staffing-refusal-{}", refusal.code()));
            deactivate_page(&view, &me, id, StatusCode::UNPROCESSABLE_ENTITY, &chosen, Some(msg)).await
        }
    }
}

/// The absence page: set a stand-in, or end the absence.
async fn away_page(
    view: &View,
    me: &users::User,
    id: String,
    status: StatusCode,
    chosen: &str,
    error: Option<String>,
) -> Result<HttpResponse, AppError> {
    let o = view.state.db.read(move |conn| staffing::overview(conn, &id)).await?;
    if !o.user.active || !o.user.role.is_staff() {
        return Err(AppError::NotFound);
    }
    let substitute = o.substitute.as_ref().map(|u| u.name.clone());
    let mut ctx = staffing_context(view, me, &o, chosen, "substitute", error);
    ctx.insert("away", &o.absence.is_some());
    ctx.insert("substitute", &substitute);
    ctx.insert("handed", &o.handed);
    if o.absence.is_none() {
        view.switch_with_form(&mut ctx, "away-form", &format!("/admin/users/{}/away", o.user.id));
    }
    view.page(status, "admin/away.html", &ctx)
}

/// GET /admin/users/{id}/away — a consultant's absence and stand-in (vikar).
pub async fn away(view: View, AdminUser(me): AdminUser, path: web::Path<UserId>) -> Result<HttpResponse, AppError> {
    let id = user_id(path);
    away_page(&view, &me, id, StatusCode::OK, "", None).await
}

/// POST /admin/users/{id}/away — `substitute` (a user id) stands in: the
/// open cases go to them now, and new ones while the user is away.
pub async fn start_away(
    view: View,
    AdminUser(me): AdminUser,
    path: web::Path<UserId>,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let id = user_id(path);
    let chosen = form.get("substitute").trim().to_string();
    if form.has("switch_language") {
        return away_page(&view, &me, id, StatusCode::OK, &chosen, None).await;
    }
    if chosen.is_empty() {
        let msg = t(view.lang, "staffing-refusal-choose-substitute");
        return away_page(&view, &me, id, StatusCode::UNPROCESSABLE_ENTITY, "", Some(msg)).await;
    }
    let (target, sub, actor) = (id.clone(), chosen.clone(), me.id.clone());
    match view.state.db.write(move |conn| staffing::start_absence(conn, &target, &sub, &actor)).await? {
        Ok(n) => Ok(users_done("away", n)),
        Err(refusal) => {
            let msg = t(view.lang, &format!("staffing-refusal-{}", refusal.code()));
            away_page(&view, &me, id, StatusCode::UNPROCESSABLE_ENTITY, &chosen, Some(msg)).await
        }
    }
}

/// POST /admin/users/{id}/back — the absence ends; the cases the stand-in
/// still holds from it come back.
pub async fn end_away(
    view: View,
    AdminUser(me): AdminUser,
    path: web::Path<UserId>,
    VerifiedForm(_form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let id = user_id(path);
    let actor = me.id.clone();
    let n = view.state.db.write(move |conn| staffing::end_absence(conn, &id, &actor)).await?;
    Ok(users_done("back", n))
}

/// GET /admin/areas
pub async fn areas(view: View, AdminUser(me): AdminUser) -> Result<HttpResponse, AppError> {
    let (areas, staff) = view.state.db.read(|conn| Ok((users::list_areas(conn)?, users::assignable(conn)?))).await?;
    let mut ctx = view.context(Some(&me));
    ctx.insert("nav_active", "areas");
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
