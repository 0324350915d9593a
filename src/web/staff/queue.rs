//! GET /cases — the consultant's queue.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

use super::local_time;
use crate::db::cases;
use crate::db::users;
use crate::domain::case::Stage;
use crate::domain::workdays;
use crate::web::auth::StaffUser;
use crate::web::error::AppError;
use crate::web::filters;
use crate::web::pages::t;
use crate::web::{query_pairs, View};

#[derive(Serialize)]
struct Row {
    reference: String,
    name: String,
    stage: String,
    outcome: Option<String>,
    assignee: Option<String>,
    areas: Vec<String>,
    children: i32,
    waiting_since: String,
    received: String,
    overdue: bool,
    mail_problem: bool,
}

#[derive(Serialize)]
struct Count {
    stage: &'static str,
    count: i64,
}

/// GET /cases — filters: stage, assignee (me, unassigned, user id), area,
/// q (name, email or reference), overdue=1; `after` pages on.
pub async fn page(view: View, req: HttpRequest, StaffUser(me): StaffUser) -> Result<HttpResponse, AppError> {
    let state = view.state.clone();
    let params = query_pairs(&req);
    let parsed = match filters::unknown(&params) {
        // A parameter the queue does not know is named, never ignored.
        Some(name) => Err(format!("{} {name}", t(view.lang, "queue-bad-unknown"))),
        None => filters::parse(&params, &me, &state).map_err(|bad| t(view.lang, &format!("queue-bad-{}", bad.param))),
    };
    let (query, problem) = match parsed {
        Ok(q) => (q, None),
        Err(problem) => {
            // Show the unfiltered queue and say which filter was not understood.
            let empty = crate::web::csrf::FormData::default();
            let q = filters::parse(&empty, &me, &state).map_err(|b| AppError::BadRequest(b.message.into()))?;
            (q, Some(problem))
        }
    };
    let cutoff = workdays::cutoff(
        chrono::Utc::now(),
        state.settings.queue.first_contact_goal_working_days,
        state.settings.time_zone,
    )
    .naive_utc();
    let (filter, after, limit) = (query.filter.clone(), query.after.clone(), query.limit);
    let (page, counts, staff, dead) = state
        .db
        .read(move |conn| {
            let page = cases::queue(conn, &filter, after.as_ref(), limit)?;
            let ids: Vec<String> = page.rows.iter().map(|r| r.id.clone()).collect();
            let dead = crate::db::outbox::cases_with_dead_mail(conn, &ids)?;
            Ok((page, cases::stage_counts(conn)?, users::assignable(conn)?, dead))
        })
        .await?;
    let tz = state.settings.time_zone;
    let area_name = |slug: &String| state.settings.area(slug).map(|a| a.name.clone()).unwrap_or_else(|| slug.clone());
    let rows: Vec<Row> = page
        .rows
        .iter()
        .zip(&page.areas)
        .map(|(r, areas)| Row {
            reference: r.reference.clone(),
            name: r.name.clone().unwrap_or_else(|| t(view.lang, "privacy-erased")),
            stage: r.stage.clone(),
            outcome: r.outcome.clone(),
            assignee: r.assignee_name.clone(),
            areas: areas.iter().map(area_name).collect(),
            children: r.children_count,
            waiting_since: local_time(r.waiting_since, tz),
            received: local_time(r.created_at, tz),
            overdue: r.stage == "information" && r.first_contact_at.is_none() && r.created_at < cutoff,
            mail_problem: dead.contains(&r.id),
        })
        .collect();
    let counts: Vec<Count> = Stage::OPEN
        .iter()
        .map(|s| Count {
            stage: s.as_str(),
            count: counts.iter().find(|(st, _)| st == s.as_str()).map_or(0, |(_, n)| *n),
        })
        .collect();
    // Links keep the filters that are shown: after a refused parameter the
    // page shows the unfiltered queue, so its links carry no filters.
    let kept: Vec<&(String, String)> =
        params.0.iter().filter(|(k, _)| k != "after" && k != "lang" && problem.is_none()).collect();
    let link = |after: Option<String>| {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &kept {
            s.append_pair(k, v);
        }
        if let Some(a) = after {
            s.append_pair("after", &a);
        }
        let q = s.finish();
        if q.is_empty() {
            "/cases".to_string()
        } else {
            format!("/cases?{q}")
        }
    };
    let next_url = page.next.map(|c| link(Some(c.encode())));
    let first_url = link(None);
    let mut ctx = view.context(Some(&me));
    ctx.insert("rows", &rows);
    ctx.insert("counts", &counts);
    ctx.insert("total_open", &counts.iter().map(|c| c.count).sum::<i64>());
    ctx.insert("staff", &staff);
    ctx.insert("areas", &state.settings.areas.iter().map(|a| (&a.slug, &a.name)).collect::<Vec<_>>());
    ctx.insert("f_stage", params.get("stage"));
    ctx.insert("f_assignee", params.get("assignee"));
    ctx.insert("f_area", params.get("area"));
    ctx.insert("f_q", params.get("q"));
    ctx.insert("f_overdue", &(params.get("overdue") == "1"));
    ctx.insert("paged", &query.after.is_some());
    ctx.insert("next_url", &next_url);
    ctx.insert("first_url", &first_url);
    ctx.insert("f_campaign", params.get("campaign"));
    ctx.insert("problem", &problem);
    let status = if problem.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    view.page(status, "staff/queue.html", &ctx)
}
