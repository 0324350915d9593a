//! Staff: the ambassador directory (filter by area and interest), register
//! and edit ambassadors, refer a case and withdraw a referral, and the
//! welcome packages per area.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use super::case::render;
use crate::db::ambassadors::{self, Profile, KINDS};
use crate::db::{cases, packages, referrals};
use crate::domain::inquiry::{Email, PersonName};
use crate::domain::reference::Reference;
use crate::domain::referral::Step;
use crate::web::auth::{AdminUser, StaffUser};
use crate::web::csrf::{FormData, VerifiedForm};
use crate::web::error::AppError;
use crate::web::pages::t;
use crate::web::{query_pairs, see_other, View};
use crate::workflow::referrals::{self as flow, ReferRefusal, StepRefusal};

/// GET /ambassadors?area=&interest=
pub async fn directory(view: View, req: HttpRequest, StaffUser(me): StaffUser) -> Result<HttpResponse, AppError> {
    let q = query_pairs(&req);
    let (area, interest) = (q.get("area").to_string(), q.get("interest").to_string());
    let list = view.state.db.read(ambassadors::list).await?;
    let shown: Vec<&ambassadors::Ambassador> = list
        .iter()
        .filter(|a| area.is_empty() || a.areas.contains(&area))
        .filter(|a| interest.is_empty() || a.interests.contains(&interest))
        .collect();
    let s = &view.state.settings;
    let mut ctx = view.context(Some(&me));
    ctx.insert("ambassadors", &shown);
    ctx.insert(
        "area_names",
        &s.areas.iter().map(|a| (a.slug.clone(), a.name.clone())).collect::<std::collections::HashMap<_, _>>(),
    );
    ctx.insert("areas", &s.areas.iter().map(|a| (&a.slug, &a.name)).collect::<Vec<_>>());
    ctx.insert(
        "interests",
        &s.interests
            .iter()
            .map(|i| (&i.slug, if view.lang == crate::web::pages::Lang::En { &i.en } else { &i.da }))
            .collect::<Vec<_>>(),
    );
    ctx.insert("f_area", &area);
    ctx.insert("f_interest", &interest);
    view.ok("staff/ambassadors.html", &ctx)
}

/// The form, plus (when editing) the referrals the ambassador holds.
fn form_page(
    view: &View,
    me: &crate::db::users::User,
    status: StatusCode,
    editing: Option<&str>,
    f: &FormData,
    errors: &[serde_json::Value],
    held: &[serde_json::Value],
) -> Result<HttpResponse, AppError> {
    let s = &view.state.settings;
    let mut ctx = view.context(Some(me));
    ctx.insert("held", held);
    ctx.insert("editing", &editing);
    let kept: std::collections::HashMap<&str, &str> = f.0.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    ctx.insert("kept", &kept);
    ctx.insert("f_areas", &f.all("areas"));
    ctx.insert("f_interests", &f.all("interests"));
    ctx.insert("kinds", &KINDS);
    ctx.insert("areas", &s.areas.iter().map(|a| (&a.slug, &a.name)).collect::<Vec<_>>());
    ctx.insert("interests", &s.interests.iter().map(|i| (&i.slug, &i.da, &i.en)).collect::<Vec<_>>());
    ctx.insert("errors", errors);
    view.page(status, "staff/ambassador_form.html", &ctx)
}

/// GET /ambassadors/new
pub async fn new_form(view: View, StaffUser(me): StaffUser) -> Result<HttpResponse, AppError> {
    form_page(&view, &me, StatusCode::OK, None, &FormData(vec![("kind".into(), "association".into())]), &[], &[])
}

/// GET /ambassadors/{id} — edit, with their referrals.
pub async fn edit_form(
    view: View,
    path: web::Path<String>,
    StaffUser(me): StaffUser,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let a = registered(&view, &id).await?;
    let mut pairs = vec![
        ("name".to_string(), a.user.name.clone()),
        ("email".to_string(), a.user.email.clone()),
        ("organisation".to_string(), a.organisation.clone()),
        ("kind".to_string(), a.kind.clone()),
        ("phone".to_string(), a.phone.clone().unwrap_or_default()),
    ];
    if a.paused {
        pairs.push(("paused".into(), "true".into()));
    }
    pairs.extend(a.areas.iter().map(|x| ("areas".to_string(), x.clone())));
    pairs.extend(a.interests.iter().map(|x| ("interests".to_string(), x.clone())));
    // Their referrals, open first: which cases this ambassador holds.
    let i3 = id.clone();
    let held = view
        .state
        .db
        .read(move |conn| {
            let mut out = Vec::new();
            for r in referrals::for_ambassador(conn, &i3)? {
                if let Some(c) = cases::find_by_id(conn, &r.case_id)? {
                    out.push((r, c.reference));
                }
            }
            Ok(out)
        })
        .await?;
    let tz = view.state.settings.time_zone;
    let mut held: Vec<serde_json::Value> = held
        .iter()
        .map(|(r, reference)| {
            json!({ "reference": reference, "state": r.state, "open": r.state().is_open(), "offered": super::local_time(r.created_at, tz) })
        })
        .collect();
    held.sort_by_key(|v| !v["open"].as_bool().unwrap_or(false));
    form_page(&view, &me, StatusCode::OK, Some(&id), &FormData(pairs), &[], &held)
}

fn parse_profile(view: &View, f: &FormData) -> Result<(String, String, Profile), Vec<serde_json::Value>> {
    let s = &view.state.settings;
    let mut errors = Vec::new();
    let err = |field: &str, code: &str| json!({ "field": field, "message": t(view.lang, &format!("error-{code}")) });
    let name = PersonName::parse(f.get("name")).map_err(|c| errors.push(err("name", c))).ok();
    let email = Email::parse(f.get("email")).map_err(|c| errors.push(err("email", c))).ok();
    let organisation = f.get("organisation").trim().to_string();
    if organisation.is_empty() || organisation.chars().count() > 200 || organisation.chars().any(char::is_control) {
        errors.push(err("organisation", "required"));
    }
    let kind = f.get("kind").to_string();
    if !KINDS.contains(&kind.as_str()) {
        errors.push(err("kind", "choice-invalid"));
    }
    let phone = Some(f.get("phone").trim().to_string()).filter(|p| !p.is_empty());
    if phone
        .as_ref()
        .is_some_and(|p| p.chars().count() > 40 || !p.chars().all(|c| c.is_ascii_digit() || " +-()/.".contains(c)))
    {
        errors.push(err("phone", "phone-invalid"));
    }
    let areas = f.all("areas");
    if areas.is_empty() || areas.iter().any(|a| s.area(a).is_none()) {
        errors.push(err("areas", "choice-invalid"));
    }
    let interests = f.all("interests");
    if interests.iter().any(|i| !s.interests.iter().any(|x| &x.slug == i)) {
        errors.push(err("interests", "choice-invalid"));
    }
    match (name, email, errors.is_empty()) {
        (Some(n), Some(e), true) => Ok((
            n.as_str().to_string(),
            e.as_str().to_string(),
            Profile { organisation, kind, phone, areas, interests },
        )),
        _ => Err(errors),
    }
}

/// POST /ambassadors — registers an ambassador (no password needed: they
/// sign in from the links in their referral emails).
pub async fn create(
    view: View,
    StaffUser(me): StaffUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let (name, email, profile) = match parse_profile(&view, &form) {
        Ok(p) => p,
        Err(errors) => return form_page(&view, &me, StatusCode::UNPROCESSABLE_ENTITY, None, &form, &errors, &[]),
    };
    let created = view.state.db.write(move |conn| flow::register_ambassador(conn, &email, &name, &profile)).await?;
    match created {
        Some(_) => Ok(see_other("/ambassadors")),
        None => {
            let errors = [json!({ "field": "email", "message": t(view.lang, "error-email-taken") })];
            form_page(&view, &me, StatusCode::UNPROCESSABLE_ENTITY, None, &form, &errors, &[])
        }
    }
}

/// POST /ambassadors/{id} — saves the profile; `paused` pauses suggestions.
pub async fn update(
    view: View,
    path: web::Path<String>,
    StaffUser(me): StaffUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (name, _email, profile) = match parse_profile(&view, &form) {
        Ok(p) => p,
        Err(errors) => return form_page(&view, &me, StatusCode::UNPROCESSABLE_ENTITY, Some(&id), &form, &errors, &[]),
    };
    let paused = form.get("paused") == "true";
    let i2 = id.clone();
    view.state.db.write(move |conn| flow::update_ambassador(conn, &i2, &name, &profile, paused)).await?;
    Ok(see_other("/ambassadors"))
}

/// GET /ambassadors/{id}/deactivate — asks first, saying what happens.
pub async fn deactivate_confirm(
    view: View,
    path: web::Path<String>,
    StaffUser(me): StaffUser,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let amb = registered(&view, &id).await?;
    let lang = view.lang;
    let mut ctx = view.context(Some(&me));
    ctx.insert(
        "heading",
        &crate::web::pages::t_args(lang, "confirm-deactivate-heading", &[("name", amb.user.name.clone())]),
    );
    ctx.insert("question", &t(lang, "confirm-deactivate-question"));
    ctx.insert("details", &vec![t(lang, "confirm-deactivate-referrals"), t(lang, "confirm-deactivate-undo")]);
    ctx.insert("action", &format!("/ambassadors/{id}/deactivate"));
    ctx.insert("confirm", &t(lang, "admin-deactivate"));
    ctx.insert("back", "/ambassadors");
    ctx.insert("stage_was", "");
    view.ok("staff/confirm.html", &ctx)
}

/// POST /ambassadors/{id}/reactivate — a deactivated ambassador can be
/// suggested and signed in again (their withdrawn referrals stay withdrawn).
pub async fn reactivate(
    view: View,
    path: web::Path<String>,
    StaffUser(me): StaffUser,
    _form: VerifiedForm,
) -> Result<HttpResponse, AppError> {
    set_active(&view, path.into_inner(), true, me.id).await
}

/// POST /ambassadors/{id}/deactivate — ends their sessions and links at
/// once and withdraws their open referrals back to the consultant.
pub async fn deactivate(
    view: View,
    path: web::Path<String>,
    StaffUser(me): StaffUser,
    _form: VerifiedForm,
) -> Result<HttpResponse, AppError> {
    set_active(&view, path.into_inner(), false, me.id).await
}

/// The registered ambassador with this user id (404 for anyone else).
async fn registered(view: &View, id: &str) -> Result<ambassadors::Ambassador, AppError> {
    let id = id.to_string();
    view.state.db.read(move |conn| ambassadors::get(conn, &id)).await?.ok_or(AppError::NotFound)
}

async fn set_active(view: &View, id: String, active: bool, actor: String) -> Result<HttpResponse, AppError> {
    view.state.db.write(move |conn| flow::set_ambassador_active(conn, &id, active, &actor)).await?;
    Ok(see_other("/ambassadors"))
}

/// POST /cases/{reference}/referrals — `ambassador` (user id), `message`.
pub async fn refer(
    view: View,
    path: web::Path<Reference>,
    StaffUser(me): StaffUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let reference = path.into_inner();
    let message = form.get("message").to_string();
    if let Err(msg) = super::case::check_note(view.lang, &message) {
        return render(&view, &me, reference, StatusCode::UNPROCESSABLE_ENTITY, Some(msg), &form).await;
    }
    let amb = form.get("ambassador").to_string();
    let (r, s, actor) = (reference.clone(), view.state.settings.clone(), me.id.clone());
    match view.state.db.write(move |conn| flow::refer(conn, &s, &r, &amb, &message, &actor)).await? {
        Ok(_) => Ok(super::case_done_at(&reference, "#referrals", "referral", &form)),
        Err(refusal) => {
            let status = if refusal == ReferRefusal::NoSuchAmbassador {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::CONFLICT
            };
            let msg = t(view.lang, &format!("refusal-{}", refusal.code()));
            render(&view, &me, reference, status, Some(msg), &form).await
        }
    }
}

/// POST /referrals/{id}/withdraw — the consultant takes a referral back.
pub async fn withdraw(
    view: View,
    path: web::Path<String>,
    StaffUser(me): StaffUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let i2 = id.clone();
    let r = view.state.db.read(move |conn| referrals::get(conn, &i2)).await?.ok_or(AppError::NotFound)?;
    let cid = r.case_id.clone();
    let case = view.state.db.read(move |conn| cases::find_by_id(conn, &cid)).await?.ok_or(AppError::NotFound)?;
    let (s, actor) = (view.state.settings.clone(), me.clone());
    match view.state.db.write(move |conn| flow::take_step(conn, &s, &id, &Step::Withdraw, &actor, false)).await? {
        Ok(_) => Ok(super::case_done_at(&case.reference, "#referrals", "withdrawn", &form)),
        Err(StepRefusal::NotFound) => Err(AppError::NotFound),
        Err(StepRefusal::Rule(rule)) => {
            let msg = t(view.lang, &format!("error-{}", rule.code()));
            render(&view, &me, case.reference, StatusCode::CONFLICT, Some(msg), &form).await
        }
    }
}

/// GET /admin/packages — each area's welcome package, and overdue deliveries.
pub async fn packages_page(view: View, AdminUser(me): AdminUser) -> Result<HttpResponse, AppError> {
    let days = i64::from(view.state.settings.packages.overdue_after_days);
    let before = crate::db::now() - chrono::Duration::days(days);
    let (list, overdue) =
        view.state.db.read(move |conn| Ok((packages::area_packages(conn)?, packages::overdue(conn, before)?))).await?;
    let s = &view.state.settings;
    let areas: Vec<serde_json::Value> = s
        .areas
        .iter()
        .map(|a| {
            let p = list.iter().find(|p| p.area_slug == a.slug);
            json!({ "slug": a.slug, "name": a.name, "items": p.map(|p| p.item_list().join("\n")).unwrap_or_default(), "deliverer": p.map(|p| p.deliverer.clone()).unwrap_or_default() })
        })
        .collect();
    let overdue: Vec<serde_json::Value> = overdue
        .iter()
        .map(|(p, reference)| json!({ "reference": reference, "prepared": super::local_time(p.prepared_at, s.time_zone), "method": p.method }))
        .collect();
    let mut ctx = view.context(Some(&me));
    ctx.insert("areas", &areas);
    ctx.insert("overdue", &overdue);
    view.ok("admin/packages.html", &ctx)
}

/// POST /admin/packages — `items_<slug>` (one item per line), `deliverer_<slug>`.
pub async fn save_packages(
    view: View,
    AdminUser(_me): AdminUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let mut saves = Vec::new();
    for a in &view.state.settings.areas {
        let items: Vec<String> = form
            .get(&format!("items_{}", a.slug))
            .lines()
            .map(|l| l.trim().chars().take(200).collect::<String>())
            .filter(|l| !l.is_empty() && !l.chars().any(char::is_control))
            .take(50)
            .collect();
        let deliverer: String =
            form.get(&format!("deliverer_{}", a.slug)).trim().chars().filter(|c| !c.is_control()).take(200).collect();
        if !items.is_empty() || !deliverer.is_empty() {
            saves.push((a.slug.clone(), items, deliverer));
        }
    }
    view.state.db.write(move |conn| crate::workflow::packages::save_area_packages(conn, &saves)).await?;
    Ok(see_other("/admin/packages"))
}
