//! `GET /metrics`: Prometheus text format (version 0.0.4) for an admin's
//! bearer token. Requests are labelled by route template (`match_pattern`),
//! never by raw path, so no token, reference or name becomes a label.
//! Figures about the database (outbox) are read at scrape time; the rest is
//! counted in memory per instance.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{web, HttpRequest, HttpResponse};

use super::AppState;
use crate::domain::token::Scope;
use crate::web::error::ApiError;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Default)]
struct Inner {
    /// (route, method, status class) → requests.
    requests: BTreeMap<(String, String, &'static str), u64>,
    /// (route, method) → latency.
    latency: BTreeMap<(String, String), Histogram>,
    /// result → inquiries.
    intake: BTreeMap<&'static str, u64>,
}

/// The in-memory counters of one app instance.
#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    fn observe(&self, route: String, method: &str, status: u16, seconds: f64) {
        let class = match status {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        let intake =
            (method == "POST" && (route == "/inquiry" || route == "/api/v1/inquiries")).then_some(match status {
                201 | 303 => "accepted",
                422 => "invalid",
                429 => "rate_limited",
                400 | 413 | 415 => "malformed",
                _ => "failed",
            });
        let Ok(mut m) = self.inner.lock() else { return };
        *m.requests.entry((route.clone(), method.to_string(), class)).or_default() += 1;
        let h = m.latency.entry((route, method.to_string())).or_default();
        h.count += 1;
        h.sum += seconds;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.buckets[i] += 1;
            }
        }
        if let Some(result) = intake {
            *m.intake.entry(result).or_default() += 1;
        }
    }
}

/// `/cases/{reference}` → `/cases/:reference` (`{path:.*}` → `:path`):
/// braces inside label values trip up some text-format parsers.
fn template_label(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut in_var = false;
    let mut in_regex = false;
    for c in pattern.chars() {
        match c {
            '{' if !in_var => {
                in_var = true;
                out.push(':');
            }
            '}' if in_var => {
                in_var = false;
                in_regex = false;
            }
            ':' if in_var => in_regex = true,
            _ if in_regex => {}
            _ => out.push(c),
        }
    }
    out
}

/// The middleware: times every request and counts it under its route
/// template ("unmatched" for paths no route knows).
pub async fn record<B: MessageBody>(
    req: ServiceRequest,
    next: actix_web::middleware::Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().as_str().to_string();
    let route = req.match_pattern().map_or_else(|| "unmatched".to_string(), |p| template_label(&p));
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let result = next.call(req).await;
    if let Some(m) = metrics {
        let status = match &result {
            Ok(res) => res.status().as_u16(),
            Err(e) => e.as_response_error().status_code().as_u16(),
        };
        m.observe(route, &method, status, started.elapsed().as_secs_f64());
    }
    result
}

fn escape(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// GET /metrics — an admin's token with the `metrics` scope (a token made
/// with `--scope metrics` alone is the scraper's); others: 403; none: 401.
pub async fn scrape(
    req: HttpRequest,
    state: web::Data<AppState>,
    metrics: web::Data<Metrics>,
) -> Result<HttpResponse, ApiError> {
    crate::web::auth::bearer_with_scope(&req, Scope::Metrics).await?;
    let now = crate::db::now();
    let outbox = state.db.read(crate::db::metrics::outbox_stats).await?;
    let pool = state.db.pool_state();
    let mut out = String::with_capacity(8192);
    let _ = render(&mut out, &metrics, &outbox, pool, now);
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(out))
}

fn render(
    out: &mut String,
    metrics: &Metrics,
    outbox: &crate::db::metrics::OutboxStats,
    pool: crate::db::PoolState,
    now: chrono::NaiveDateTime,
) -> std::fmt::Result {
    {
        let m = metrics.inner.lock().map_err(|_| std::fmt::Error)?;
        writeln!(
            out,
            "# HELP velkomst_http_requests_total HTTP requests answered, by route template, method and status class."
        )?;
        writeln!(out, "# TYPE velkomst_http_requests_total counter")?;
        for ((route, method, class), n) in &m.requests {
            writeln!(
                out,
                "velkomst_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{class}\"}} {n}",
                escape(route)
            )?;
        }
        writeln!(out, "# HELP velkomst_http_request_duration_seconds Time to answer, by route template and method.")?;
        writeln!(out, "# TYPE velkomst_http_request_duration_seconds histogram")?;
        for ((route, method), h) in &m.latency {
            let labels = format!("route=\"{}\",method=\"{method}\"", escape(route));
            for (bound, n) in BUCKETS.iter().zip(h.buckets.iter()) {
                writeln!(out, "velkomst_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}")?;
            }
            writeln!(out, "velkomst_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", h.count)?;
            writeln!(out, "velkomst_http_request_duration_seconds_sum{{{labels}}} {}", h.sum)?;
            writeln!(out, "velkomst_http_request_duration_seconds_count{{{labels}}} {}", h.count)?;
        }
        writeln!(out, "# HELP velkomst_intake_total Inquiries sent to this instance (form and API), by result.")?;
        writeln!(out, "# TYPE velkomst_intake_total counter")?;
        for result in ["accepted", "invalid", "rate_limited", "malformed", "failed"] {
            writeln!(
                out,
                "velkomst_intake_total{{result=\"{result}\"}} {}",
                m.intake.get(result).copied().unwrap_or(0)
            )?;
        }
    }
    writeln!(
        out,
        "# HELP velkomst_outbox_emails Emails in the outbox not yet sent, by status (pending, sending, dead)."
    )?;
    writeln!(out, "# TYPE velkomst_outbox_emails gauge")?;
    for status in ["pending", "sending", "dead"] {
        let n = outbox.by_status.iter().find(|(s, _)| s == status).map_or(0, |(_, n)| *n);
        writeln!(out, "velkomst_outbox_emails{{status=\"{status}\"}} {n}")?;
    }
    writeln!(
        out,
        "# HELP velkomst_outbox_oldest_pending_age_seconds Age of the oldest email waiting to be sent (0: none)."
    )?;
    writeln!(out, "# TYPE velkomst_outbox_oldest_pending_age_seconds gauge")?;
    let age = outbox.oldest_pending.map_or(0.0, |t| (now - t).num_milliseconds().max(0) as f64 / 1000.0);
    writeln!(out, "velkomst_outbox_oldest_pending_age_seconds {age}")?;
    writeln!(out, "# HELP velkomst_worker_last_run_timestamp_seconds When this process's background worker last finished a round (absent: no worker in this process).")?;
    writeln!(out, "# TYPE velkomst_worker_last_run_timestamp_seconds gauge")?;
    if let Some(t) = crate::jobs::last_round() {
        writeln!(out, "velkomst_worker_last_run_timestamp_seconds {}", t.and_utc().timestamp())?;
    }
    writeln!(out, "# HELP velkomst_db_pool_connections Database connections of this instance's pool, by state.")?;
    writeln!(out, "# TYPE velkomst_db_pool_connections gauge")?;
    writeln!(out, "velkomst_db_pool_connections{{state=\"idle\"}} {}", pool.idle)?;
    writeln!(out, "velkomst_db_pool_connections{{state=\"in_use\"}} {}", pool.connections.saturating_sub(pool.idle))?;
    writeln!(out, "# HELP velkomst_db_pool_max_connections The pool's size (database_pool_size).")?;
    writeln!(out, "# TYPE velkomst_db_pool_max_connections gauge")?;
    writeln!(out, "velkomst_db_pool_max_connections {}", pool.max)?;
    writeln!(out, "# HELP velkomst_build_info The running version.")?;
    writeln!(out, "# TYPE velkomst_build_info gauge")?;
    writeln!(out, "velkomst_build_info{{version=\"{}\"}} 1", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::template_label;

    #[test]
    fn route_labels_keep_the_template_without_braces() {
        assert_eq!(template_label("/api/v1/cases/{reference}"), "/api/v1/cases/:reference");
        assert_eq!(template_label("/static/{path:.*}"), "/static/:path");
        assert_eq!(template_label("/healthz"), "/healthz");
    }
}
