//! The ambassador's own pages, phone first: sign in from the emailed link,
//! "my referrals", and each referral with what they need and nothing more.
//! Contact details appear only between accepting and closing.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use crate::db::referrals::Referral;
use crate::db::{cases, packages, referrals, users};
use crate::domain::referral::{Refusal, Step};
use crate::error::Error;
use crate::web::auth::{session_cookie, session_user, start_session, AmbassadorUser};
use crate::web::csrf::VerifiedForm;
use crate::web::error::AppError;
use crate::web::pages::{t, Lang};
use crate::web::{see_other, AppState, View};
use crate::workflow::referrals::{self as flow, StepRefusal};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/signin/{token}", web::get().to(signin_page))
        .route("/signin/{token}", web::post().to(signin))
        .route("/ambassador", web::get().to(my_referrals))
        .route("/ambassador/referrals/{id}", web::get().to(referral))
        .route("/ambassador/referrals/{id}/step", web::post().to(step))
        .route("/ambassador/referrals/{id}/package-delivered", web::post().to(package_delivered));
}

/// GET /signin/{token} — a button, not an automatic sign-in: mail scanners
/// that open links must not use up a single-use link.
async fn signin_page(view: View, req: HttpRequest, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    let s = view.state.settings.clone();
    let owner = view.state.db.write(move |conn| flow::open_signin_link(conn, &s, &token)).await?;
    let Some((user_id, _)) = owner else {
        return crate::web::error_pages::link_gone(&req, "link-used-ambassador").await;
    };
    if session_user(&req).await?.is_some_and(|u| u.id != user_id) {
        return Err(AppError::Forbidden);
    }
    let ctx = view.context(None);
    view.ok("ambassador/signin.html", &ctx)
}

/// POST /signin/{token} — uses the link once and starts a session bound to
/// its ambassador. Expired, used, tampered or revoked links answer 404; a
/// browser signed in as someone else is refused.
async fn signin(
    req: HttpRequest,
    path: web::Path<String>,
    _form: VerifiedForm,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    let t2 = token.clone();
    let owner = state.db.read(move |conn| flow::peek_signin_link(conn, &t2)).await?;
    let Some((owner_id, _)) = owner else {
        return crate::web::error_pages::link_gone(&req, "link-used-ambassador").await;
    };
    if session_user(&req).await?.is_some_and(|u| u.id != owner_id) {
        return Err(AppError::Forbidden);
    }
    let used = state.db.write(move |conn| flow::use_signin_link(conn, &token)).await?;
    let Some((user_id, referral_id)) = used else {
        return crate::web::error_pages::link_gone(&req, "link-used-ambassador").await;
    };
    let session = start_session(&req, &state, &user_id).await?;
    tracing::info!(user_id = %user_id, "ambassador signed in from a link");
    let target = referral_id.map_or_else(|| "/ambassador".to_string(), |id| format!("/ambassador/referrals/{id}"));
    let mut resp = see_other(&target);
    resp.add_cookie(&session_cookie(&state, &session)).map_err(|e| AppError::internal(e.to_string()))?;
    Ok(resp)
}

fn outline(r: &Referral, case: &cases::CaseDetail, state: &AppState, lang: Lang) -> serde_json::Value {
    let s = &state.settings;
    let c = &case.case;
    let p = &case.person;
    let year: i32 = chrono::Utc::now().with_timezone(&s.time_zone).format("%Y").to_string().parse().unwrap_or(2026);
    let ages: Vec<i32> = c.children_years().iter().map(|y| (year - y).max(0)).collect();
    let areas: Vec<String> = case.areas.iter().map(|a| s.area_name(a)).collect();
    let interests: Vec<String> = case.interests.iter().map(|i| s.interest_label(i, lang)).collect();
    let state_ = r.state();
    let contact = state_.shows_contact().then(|| json!({ "name": p.name, "email": p.email, "phone": p.phone }));
    json!({
        "id": r.id,
        "state": r.state,
        "open": state_.is_open(),
        "first_name": p.name.split_whitespace().next().unwrap_or(""),
        "adults": c.adults,
        "children_ages": ages,
        "areas": areas,
        "interests": interests,
        "timeframe": c.timeframe.as_str().replace('+', "plus"),
        "message": r.message,
        "consultant": case.assignee.as_ref().map(|(_, n)| n),
        "contact": contact,
        "offered": crate::web::staff::local_time(r.created_at, s.time_zone),
    })
}

/// GET /ambassador — my referrals, open first.
async fn my_referrals(view: View, AmbassadorUser(me): AmbassadorUser) -> Result<HttpResponse, AppError> {
    let id = me.id.clone();
    let list = view
        .state
        .db
        .read(move |conn| {
            let mut out = Vec::new();
            for r in referrals::for_ambassador(conn, &id)? {
                let Some(case) = cases::find_by_id(conn, &r.case_id)? else { continue };
                out.push((r, cases::detail(conn, &case.reference)?));
            }
            Ok(out)
        })
        .await?;
    let mut items: Vec<serde_json::Value> = list.iter().map(|(r, d)| outline(r, d, &view.state, view.lang)).collect();
    items.sort_by_key(|v| !v["open"].as_bool().unwrap_or(false));
    let mut ctx = view.context(Some(&me));
    ctx.insert("referrals", &items);
    view.ok("ambassador/referrals.html", &ctx)
}

async fn load_mine(
    state: &AppState,
    me: &users::User,
    id: String,
) -> Result<(Referral, cases::CaseDetail, Option<packages::CasePackage>), AppError> {
    let me_id = me.id.clone();
    state
        .db
        .read(move |conn| {
            let r = referrals::get(conn, &id)?.filter(|r| r.ambassador_id == me_id).ok_or(Error::NotFound)?;
            let case = cases::find_by_id(conn, &r.case_id)?.ok_or(Error::NotFound)?;
            let d = cases::detail(conn, &case.reference)?;
            let pkg = packages::for_case(conn, &d.case.id)?
                .filter(|p| p.ambassador_id.as_deref() == Some(me_id.as_str()) && p.delivered_at.is_none());
            Ok((r, d, pkg))
        })
        .await
        .map_err(Into::into)
}

async fn referral_page(
    view: &View,
    me: &users::User,
    id: String,
    status: StatusCode,
    problem: Option<String>,
) -> Result<HttpResponse, AppError> {
    let (r, d, pkg) = load_mine(&view.state, me, id).await?;
    let mut ctx = view.context(Some(me));
    ctx.insert("r", &outline(&r, &d, &view.state, view.lang));
    ctx.insert("package", &pkg.filter(|_| may_deliver(&r)).map(|p| json!({ "items": p.item_list(), "note": p.note })));
    ctx.insert("problem", &problem);
    view.page(status, "ambassador/referral.html", &ctx)
}

/// An ambassador who took the referral on (accepted it, and maybe already
/// closed it after meeting the family) may bring the welcome package
/// assigned to them; one who declined or was withdrawn may not.
fn may_deliver(r: &Referral) -> bool {
    use crate::domain::referral::State;
    matches!(r.state(), State::Accepted | State::Contacted | State::Met | State::Closed)
}

/// GET /ambassador/referrals/{id} — 404 unless it is theirs.
async fn referral(
    view: View,
    path: web::Path<String>,
    AmbassadorUser(me): AmbassadorUser,
) -> Result<HttpResponse, AppError> {
    referral_page(&view, &me, path.into_inner(), StatusCode::OK, None).await
}

/// POST /ambassador/referrals/{id}/step — `action` accept | decline (with
/// `reason`) | contacted | met | close (with `report`).
async fn step(
    view: View,
    path: web::Path<String>,
    AmbassadorUser(me): AmbassadorUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let step = match form.get("action") {
        "accept" => Step::Accept,
        "decline" => Step::Decline { reason: form.get("reason").to_string() },
        "contacted" => Step::Contacted,
        "met" => Step::Met,
        "close" => Step::Close { report: form.get("report").to_string() },
        _ => {
            return referral_page(
                &view,
                &me,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(t(view.lang, "error-choice-invalid")),
            )
            .await
        }
    };
    let (rid, s, actor) = (id.clone(), view.state.settings.clone(), me.clone());
    match view.state.db.write(move |conn| flow::take_step(conn, &s, &rid, &step, &actor, true)).await? {
        Ok(_) => Ok(see_other(&format!("/ambassador/referrals/{id}"))),
        Err(StepRefusal::NotFound) => Err(AppError::NotFound),
        Err(StepRefusal::Rule(r)) => {
            let status = if r == Refusal::NotNow { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
            referral_page(&view, &me, id, status, Some(t(view.lang, &format!("error-{}", r.code())))).await
        }
    }
}

/// POST /ambassador/referrals/{id}/package-delivered — the ambassador
/// handed over the welcome package.
async fn package_delivered(
    view: View,
    path: web::Path<String>,
    AmbassadorUser(me): AmbassadorUser,
    _form: VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (r, d, pkg) = load_mine(&view.state, &me, id.clone()).await?;
    if pkg.is_none() || !may_deliver(&r) {
        return Err(AppError::NotFound);
    }
    let (reference, s, actor) = (d.case.reference.clone(), view.state.settings.clone(), me.id.clone());
    match view.state.db.write(move |conn| crate::workflow::packages::deliver(conn, &s, &reference, &actor)).await? {
        Ok(()) => Ok(see_other(&format!("/ambassador/referrals/{id}"))),
        Err(refusal) => {
            let msg = t(view.lang, &format!("refusal-{}", refusal.code()));
            referral_page(&view, &me, id, StatusCode::CONFLICT, Some(msg)).await
        }
    }
}
