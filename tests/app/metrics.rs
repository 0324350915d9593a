//! `GET /metrics`, scraped and parsed by a Prometheus text-format parser.

use prometheus_parse::{Sample, Scrape, Value};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

fn value(s: &Sample) -> f64 {
    match &s.value {
        Value::Counter(v) | Value::Gauge(v) | Value::Untyped(v) => *v,
        Value::Histogram(h) => h.last().map_or(0.0, |c| c.count),
        Value::Summary(_) => 0.0,
    }
}

fn find<'a>(scrape: &'a Scrape, metric: &str, labels: &[(&str, &str)]) -> Option<&'a Sample> {
    scrape.samples.iter().find(|s| s.metric == metric && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
}

#[tokio::test]
async fn metrics_are_prometheus_text_by_route_template_for_admins_only() {
    let app = spawn_app().await;
    let admin = app.admin("Metrik Admin", "metrics-admin@kommune.dk").await;
    let consultant = app.consultant("Metrik Konsulent", "metrics-c@kommune.dk").await;

    // Traffic: an accepted and a refused inquiry, a case by reference, an
    // unknown reference, a path no route knows.
    let created = app.api_inquiry(&json!({"name": "Åse Ørsted", "email": "aase@example.dk"})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let reference = created.json()["reference"].as_str().expect("reference").to_string();
    let refused = app.api_inquiry(&json!({"name": "", "email": "not an email"})).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(admin.api.get(&format!("/api/v1/cases/{reference}")).await.status, StatusCode::OK);
    assert_eq!(admin.api.get("/api/v1/cases/VK-2026-SECRET").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.browser().get("/no/such/page/aase@example.dk").await.status, StatusCode::NOT_FOUND);

    // Who may scrape.
    assert_eq!(app.api(None).get("/metrics").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(consultant.api.get("/metrics").await.status, StatusCode::FORBIDDEN);
    let page = admin.api.get("/metrics").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let ctype = page.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(ctype.starts_with("text/plain; version=0.0.4"), "{ctype}");

    let scrape = Scrape::parse(page.body.lines().map(|l| Ok(l.to_string()))).expect("Prometheus text format");

    // By route template, never by raw path: no reference, email or token in any label.
    let by_ref: f64 = scrape
        .samples
        .iter()
        .filter(|s| s.metric == "velkomst_http_requests_total")
        .filter(|s| s.labels.get("route") == Some("/api/v1/cases/:reference") && s.labels.get("method") == Some("GET"))
        .map(value)
        .sum();
    assert_eq!(by_ref, 2.0, "the case route is counted by its template: {}", page.body);
    for s in &scrape.samples {
        for v in s.labels.values() {
            assert!(
                !v.contains(&reference) && !v.contains("SECRET") && !v.contains("aase") && !v.contains("vk_"),
                "raw value in a label: {s:?}"
            );
        }
    }
    assert!(find(&scrape, "velkomst_http_requests_total", &[("route", "unmatched")]).is_some());
    let latency = find(&scrape, "velkomst_http_request_duration_seconds", &[("route", "/api/v1/inquiries")])
        .expect("intake latency histogram");
    assert!(matches!(&latency.value, Value::Histogram(b) if !b.is_empty()), "{latency:?}");
    assert_eq!(value(latency), 2.0, "two inquiries timed");

    // Intake, outbox, pool.
    assert_eq!(find(&scrape, "velkomst_intake_total", &[("result", "accepted")]).map(value), Some(1.0));
    assert_eq!(find(&scrape, "velkomst_intake_total", &[("result", "invalid")]).map(value), Some(1.0));
    let pending = find(&scrape, "velkomst_outbox_emails", &[("status", "pending")]).map(value).expect("pending");
    assert!(pending >= 1.0, "the receipt waits in the outbox: {pending}");
    assert!(find(&scrape, "velkomst_outbox_emails", &[("status", "dead")]).is_some());
    assert!(find(&scrape, "velkomst_outbox_oldest_pending_age_seconds", &[]).is_some_and(|s| value(s) >= 0.0));
    assert!(find(&scrape, "velkomst_db_pool_max_connections", &[]).is_some_and(|s| value(s) >= 1.0));
    assert!(find(&scrape, "velkomst_db_pool_connections", &[("state", "idle")]).is_some());

    // /healthz stays as the contract says: the database only.
    let health = app.api(None).get("/healthz").await;
    assert_eq!(health.json(), json!({"status": "ok"}));
}
