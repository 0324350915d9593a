//! GET /api/v1/reports/funnel — the funnel of a cohort as JSON (CONTRACT.md
//! "Reports"): staff exact; reporters whole months or half-years only, with
//! small groups `null` and their rows marked `"suppressed": true`.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde_json::{json, Map, Value};

use crate::domain::report::{self, By, Counts, Keys, Period};
use crate::domain::token::Scope;
use crate::web::auth::bearer_with_scope;
use crate::web::error::{ApiError, AppError};
use crate::web::{query_pairs, AppState};

const PARAMS: [&str; 3] = ["from", "to", "by"];

fn bad(message: String) -> ApiError {
    ApiError(AppError::BadRequest(message))
}

fn counts_json(c: &Counts) -> Map<String, Value> {
    Counts::FIELDS.iter().zip(c.values()).map(|(k, v)| (k.to_string(), json!(v))).collect()
}

fn cells_json(cells: &[Option<u32>; 7]) -> Map<String, Value> {
    Counts::FIELDS.iter().zip(cells).map(|(k, v)| (k.to_string(), json!(v))).collect()
}

/// GET /api/v1/reports/funnel?from=YYYY-MM-DD&to=YYYY-MM-DD&by=area|campaign|household|month
pub async fn funnel(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let me = bearer_with_scope(&req, Scope::Reports).await?;
    if !me.role.reads_reports() {
        return Err(ApiError(AppError::Forbidden));
    }
    let q = query_pairs(&req);
    if let Some((k, _)) = q.0.iter().find(|(k, _)| !PARAMS.contains(&k.as_str())) {
        return Err(bad(format!("{k}: unknown parameter; known: from, to, by")));
    }
    let day = |name: &str| {
        NaiveDate::parse_from_str(q.get(name), "%Y-%m-%d")
            .map_err(|_| bad(format!("{name}: a date YYYY-MM-DD is required")))
    };
    let (from, to) = (day("from")?, day("to")?);
    let period = Period::new(from, to).ok_or_else(|| bad("to: must be after from".into()))?;
    let by = By::parse(q.get("by")).ok_or_else(|| {
        let known: Vec<&str> = By::ALL.iter().map(|b| b.as_str()).collect();
        bad(format!("by: required, one of {}", known.join(", ")))
    })?;
    let min = crate::web::reports::masking_for(&me, &state.settings);
    if min.is_some() && !period.is_month_or_half() {
        return Err(bad("from, to: a reporter chooses a whole month or a half-year".into()));
    }
    let settings = state.settings.clone();
    let (a, b) = period.utc_bounds(settings.time_zone);
    let facts = state.db.read(move |conn| crate::db::reports::cohort(conn, a, b)).await?;
    let groups = state.settings.reports.group_members();
    let f = report::funnel(&facts, by, &Keys { tz: state.settings.time_zone, area_groups: &groups });
    let (rows, totals): (Vec<Value>, Map<String, Value>) = match min {
        None => (
            f.rows
                .iter()
                .map(|r| {
                    let mut o = Map::new();
                    o.insert("key".into(), json!(r.key));
                    o.extend(counts_json(&r.counts));
                    Value::Object(o)
                })
                .collect(),
            counts_json(&f.totals),
        ),
        Some(m) => {
            let masked = report::suppress(&f, m);
            (
                masked
                    .rows
                    .iter()
                    .map(|r| {
                        let mut o = Map::new();
                        o.insert("key".into(), json!(r.key));
                        o.extend(cells_json(&r.cells));
                        o.insert("suppressed".into(), json!(r.suppressed));
                        Value::Object(o)
                    })
                    .collect(),
                cells_json(&masked.totals),
            )
        }
    };
    Ok(HttpResponse::Ok().json(json!({
        "from": from.to_string(), "to": to.to_string(), "by": by.as_str(), "rows": rows, "totals": totals,
    })))
}
