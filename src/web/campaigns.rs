//! Campaigns: the register (admin pages), the tracked link `GET /c/{slug}`
//! with its QR code, and each campaign's effect in the report.

use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::config::Settings;
use crate::db::Conn;
use crate::domain::campaign::{self, Campaign, CampaignDraft};
use crate::domain::report::{Facts, Period};
use crate::web::auth::AdminUser;
use crate::web::csrf::VerifiedForm;
use crate::web::error::AppError;
use crate::web::pages::{t, t_args, Lang};
use crate::web::reports::Table;
use crate::web::{see_other, AppState, View};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{slug}", web::get().to(visit))
        .route("/c/{slug}/qr.svg", web::get().to(qr))
        .route("/admin/campaigns", web::get().to(register))
        .route("/admin/campaigns", web::post().to(save));
}

/// GET /c/{slug} — a campaign's tracked link: counts the visit (a number
/// per day, nothing about the visitor) when the slug is registered, and
/// answers 303 to the form with the campaign.
pub async fn visit(path: web::Path<String>, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner().to_lowercase();
    if !crate::domain::inquiry::is_slug(&slug) {
        return Ok(see_other("/"));
    }
    let day = crate::web::reports::today(&state.settings, crate::db::now());
    let s = slug.clone();
    state.db.write(move |conn| crate::workflow::campaigns::count_visit(conn, &s, day)).await?;
    Ok(see_other(&format!("/?campaign={slug}")))
}

/// GET /c/{slug}/qr.svg — the tracked link as a QR code for print.
pub async fn qr(path: web::Path<String>, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner().to_lowercase();
    if !crate::domain::inquiry::is_slug(&slug) {
        return Err(AppError::NotFound);
    }
    let url = format!("{}/c/{slug}", state.settings.public_url);
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(|e| AppError::internal(e.to_string()))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(300, 300)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("Content-Disposition", format!("inline; filename=\"velkomst-{slug}.svg\"")))
        .body(svg))
}

/// One campaign's effect in a period.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignFigures {
    pub slug: String,
    /// `None`: a slug on cases that is not in the register (kept and shown).
    pub name: Option<String>,
    pub visits: u32,
    pub inquiries: u32,
    pub moved_in: u32,
    pub budget: Option<i64>,
}

/// Every registered campaign and every other slug on the cohort's cases:
/// visits in the period, inquiries received, households that moved in.
pub fn figures(
    conn: &mut Conn,
    _settings: &Settings,
    period: Period,
    facts: &[Facts],
) -> Result<Vec<CampaignFigures>, crate::error::Error> {
    let registered = crate::db::campaigns::list(conn)?;
    let visits = crate::db::campaigns::visits(conn, period.from, period.to)?;
    let mut out: Vec<CampaignFigures> = registered
        .iter()
        .map(|c| CampaignFigures {
            slug: c.slug.clone(),
            name: Some(c.name.clone()),
            visits: 0,
            inquiries: 0,
            moved_in: 0,
            budget: c.budget,
        })
        .collect();
    for (slug, n) in visits {
        if let Some(c) = out.iter_mut().find(|c| c.slug == slug) {
            c.visits = u32::try_from(n).unwrap_or(u32::MAX);
        }
    }
    for f in facts.iter().filter(|f| f.counts()) {
        let Some(slug) = f.campaign.as_deref().filter(|s| !s.is_empty()) else { continue };
        let i = match out.iter().position(|c| c.slug == slug) {
            Some(i) => i,
            None => {
                out.push(CampaignFigures {
                    slug: slug.to_string(),
                    name: None,
                    visits: 0,
                    inquiries: 0,
                    moved_in: 0,
                    budget: None,
                });
                out.len() - 1
            }
        };
        out[i].inquiries += 1;
        out[i].moved_in += u32::from(f.move_in.is_some());
    }
    Ok(out)
}

/// The campaigns' table of the report.
pub fn table(figs: &[CampaignFigures], lang: Lang, min: Option<u32>) -> Table {
    let one = |n: u32| match min {
        Some(m) if crate::domain::report::is_small(n, m) => format!("< {m}"),
        _ => n.to_string(),
    };
    let rows: Vec<Vec<String>> = figs
        .iter()
        .map(|c| {
            let small = min.is_some_and(|m| crate::domain::report::is_small(c.moved_in, m));
            let cost = match campaign::cost_per_moved_in(c.budget, c.moved_in) {
                Some(_) if small => "–".to_string(),
                Some(k) => format!("{k} kr."),
                None => "–".to_string(),
            };
            let conversion = if min.is_some_and(|m| crate::domain::report::is_small(c.inquiries, m)) {
                "–".to_string()
            } else {
                crate::domain::report::percent(c.inquiries, c.visits)
                    .map_or_else(|| "–".to_string(), |p| format!("{p} %"))
            };
            vec![
                c.name.clone().unwrap_or_else(|| t(lang, "report-campaign-unregistered")),
                c.slug.clone(),
                c.visits.to_string(),
                one(c.inquiries),
                conversion,
                one(c.moved_in),
                c.budget.map_or_else(|| "–".to_string(), |b| format!("{b} kr.")),
                cost,
            ]
        })
        .collect();
    let inquiries: u32 = figs.iter().map(|c| c.inquiries).sum();
    Table {
        id: "campaigns".into(),
        title: t(lang, "report-campaigns"),
        summary: t_args(
            lang,
            "report-campaigns-summary",
            &[("campaigns", figs.len().to_string()), ("inquiries", one(inquiries))],
        ),
        head: [
            "report-campaign",
            "report-slug",
            "report-visits",
            "report-inquiries",
            "report-conversion",
            "report-moved-in",
            "report-budget",
            "report-cost-per-moved-in",
        ]
        .iter()
        .map(|k| t(lang, k))
        .collect(),
        rows,
        chart: None,
    }
}

async fn register_page(
    view: &View,
    me: &crate::db::users::User,
    status: actix_web::http::StatusCode,
    draft: &CampaignDraft,
    errors: Vec<serde_json::Value>,
) -> Result<HttpResponse, AppError> {
    let list = view.state.db.read(crate::db::campaigns::list).await?;
    let mut ctx = view.context(Some(me));
    ctx.insert("campaigns", &list);
    let areas: Vec<serde_json::Value> =
        view.state.settings.areas.iter().map(|a| serde_json::json!({ "slug": a.slug, "name": a.name })).collect();
    ctx.insert("areas", &areas);
    ctx.insert("channels", &campaign::Channel::ALL);
    ctx.insert(
        "draft",
        &serde_json::json!({
            "slug": draft.slug, "name": draft.name, "target_areas": draft.target_areas,
            "target_group": draft.target_group, "channel": draft.channel, "starts_on": draft.starts_on,
            "ends_on": draft.ends_on, "budget": draft.budget, "notes": draft.notes,
        }),
    );
    ctx.insert("errors", &errors);
    ctx.insert("public_url", &view.state.settings.public_url);
    ctx.insert("saved", &view.query("saved"));
    view.page(status, "admin/campaigns.html", &ctx)
}

/// GET /admin/campaigns — the register and the form for a new campaign
/// (`?edit=SLUG` fills the form with that campaign).
pub async fn register(view: View, AdminUser(me): AdminUser) -> Result<HttpResponse, AppError> {
    let edit = view.query("edit").to_string();
    let found = if edit.is_empty() {
        None
    } else {
        view.state.db.read(move |conn| crate::db::campaigns::find(conn, &edit)).await?
    };
    let draft = found.map_or_else(
        || CampaignDraft { channel: "digital".into(), ..Default::default() },
        |c| CampaignDraft {
            slug: c.slug,
            name: c.name,
            target_areas: c.target_areas,
            target_group: c.target_group,
            channel: c.channel.as_str().into(),
            starts_on: c.starts_on.map(|d| d.to_string()).unwrap_or_default(),
            ends_on: c.ends_on.map(|d| d.to_string()).unwrap_or_default(),
            budget: c.budget.map(|b| b.to_string()).unwrap_or_default(),
            notes: c.notes,
        },
    );
    register_page(&view, &me, actix_web::http::StatusCode::OK, &draft, vec![]).await
}

/// POST /admin/campaigns — registers a campaign, or changes the one with
/// the same slug.
pub async fn save(
    view: View,
    AdminUser(me): AdminUser,
    VerifiedForm(form): VerifiedForm,
) -> Result<HttpResponse, AppError> {
    let draft = CampaignDraft {
        slug: form.get("slug").to_string(),
        name: form.get("name").to_string(),
        target_areas: form.all("target_areas"),
        target_group: form.get("target_group").to_string(),
        channel: form.get("channel").to_string(),
        starts_on: form.get("starts_on").to_string(),
        ends_on: form.get("ends_on").to_string(),
        budget: form.get("budget").to_string(),
        notes: form.get("notes").to_string(),
    };
    let areas: Vec<&str> = view.state.settings.areas.iter().map(|a| a.slug.as_str()).collect();
    let parsed: Result<Campaign, _> = Campaign::parse(&draft, &areas);
    let campaign = match parsed {
        Ok(c) => c,
        Err(errors) => {
            let errors = errors
                .iter()
                .map(|e| serde_json::json!({ "field": e.field, "message": t(view.lang, &format!("error-{}", e.code)) }))
                .collect();
            return register_page(&view, &me, actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, &draft, errors).await;
        }
    };
    let slug = campaign.slug.clone();
    view.state.db.write(move |conn| crate::workflow::campaigns::save(conn, &campaign, crate::db::now())).await?;
    Ok(see_other(&format!("/admin/campaigns?saved={slug}")))
}
