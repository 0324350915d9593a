//! The staff JSON API as an integrator's script uses it: bearer tokens and
//! their rights, the case with its timeline, transitions, campaigns, and
//! the OpenAPI document.

use std::collections::BTreeSet;

use chrono::Datelike;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{hidden_value, html_unescape, spawn_app, ApiClient, Browser, Page};

/// A mover opens the form at `link` and sends it as a browser does, with the
/// form's hidden fields (the CSRF token and the campaign) as they were.
async fn send_form_from(browser: &Browser, link: &str, fields: &[(&str, &str)]) -> Page {
    let form = browser.get(link).await;
    assert_eq!(form.status, StatusCode::OK, "{link}");
    let token = form.csrf_token();
    let campaign = hidden_value(&form.body, "campaign").map(|c| html_unescape(&c)).unwrap_or_default();
    let mut all = vec![("csrf_token", token.as_str()), ("campaign", campaign.as_str())];
    all.extend_from_slice(fields);
    browser.post_form("/inquiry", &all).await
}

pub(crate) fn reference_of(page: &Page) -> String {
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    page.json()["reference"].as_str().expect("reference").to_string()
}

async fn move_case(api: &ApiClient, reference: &str, body: Value) -> Page {
    api.post_json(&format!("/api/v1/cases/{reference}/transitions"), &body).await
}

fn assert_error(page: &Page, status: StatusCode, what: &str) {
    assert_eq!(page.status, status, "{what}: {}", page.body);
    assert!(
        page.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("application/json")),
        "{what}: JSON"
    );
    assert!(page.json()["error"].as_str().is_some_and(|e| !e.is_empty()), "{what}: {{\"error\": ...}}: {}", page.body);
}

/// Every staff endpoint with `api`; each answer must be `status` with a JSON error.
async fn assert_every_staff_endpoint(api: &ApiClient, reference: &str, status: StatusCode, who: &str) {
    let list = api.get("/api/v1/cases").await;
    assert_error(&list, status, &format!("{who}: GET /cases"));
    let show = api.get(&format!("/api/v1/cases/{reference}")).await;
    assert_error(&show, status, &format!("{who}: GET /cases/{{reference}}"));
    let unknown = api.get("/api/v1/cases/VK-2026-ZZZZZZ").await;
    assert_error(&unknown, status, &format!("{who}: GET an unknown case"));
    let moved = move_case(api, reference, json!({ "to": "visit" })).await;
    assert_error(&moved, status, &format!("{who}: POST transitions"));
}

#[tokio::test]
async fn the_staff_api_answers_only_active_staff_tokens() {
    let app = spawn_app().await;
    let mette = app.admin("Mette", "mette@kommune.dk").await;
    let reference = reference_of(&app.api_inquiry(&json!({ "name": "Anna", "email": "anna@example.dk" })).await);

    let none = app.api(None);
    assert_every_staff_endpoint(&none, &reference, StatusCode::UNAUTHORIZED, "no token").await;
    let page = none.get("/api/v1/cases").await;
    assert!(page.headers.get("www-authenticate").is_some_and(|v| v.as_bytes().starts_with(b"Bearer")));
    let wrong = app.api(Some("vk_not-a-real-token"));
    assert_every_staff_endpoint(&wrong, &reference, StatusCode::UNAUTHORIZED, "wrong token").await;
    let empty = app.api(Some(""));
    assert_error(&empty.get("/api/v1/cases").await, StatusCode::UNAUTHORIZED, "empty token");
    let basic = reqwest::Client::new()
        .get(format!("{}/api/v1/cases", app.address))
        .header("authorization", "Basic bWV0dGU6cGFzc3dvcmQ=")
        .send()
        .await
        .expect("GET");
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED, "Basic auth is not a bearer token");
    // A browser session is not an API token either.
    let session_only = mette.browser.get("/api/v1/cases").await;
    assert_eq!(session_only.status, StatusCode::UNAUTHORIZED);

    let ane = app.add_user("ambassador", "Ane Ambassadør", "ane@forening.dk").await;
    let ambassador = app.api(Some(&app.token_for(&ane).await));
    assert_every_staff_endpoint(&ambassador, &reference, StatusCode::FORBIDDEN, "ambassador").await;

    let kim = app.add_user("consultant", "Kim", "kim@kommune.dk").await;
    let kims = app.api(Some(&app.token_for(&kim).await));
    assert_eq!(kims.get("/api/v1/cases").await.status, StatusCode::OK);
    let off = mette.browser.submit("/admin/users", &format!("/admin/users/{kim}/active"), &[("active", "false")]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert_every_staff_endpoint(&kims, &reference, StatusCode::UNAUTHORIZED, "deactivated").await;

    // None of those moved the case.
    let case = mette.case_json(&reference).await;
    assert_eq!(case["stage"], "information");
    assert_eq!(mette.api.get("/api/v1/cases").await.json()["cases"][0]["reference"], reference.as_str());
}

#[tokio::test]
async fn a_case_reads_back_with_household_interests_consent_campaign_and_timeline() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let year = chrono::Utc::now().year();
    let inquiry = json!({
        "name": "Åse Ærø",
        "email": "aase@example.dk",
        "phone": "+45 12 34 56 78",
        "language": "en",
        "moving_from": "Aarhus",
        "adults": 2,
        "children": [year - 1, year - 7],
        "areas": ["praestoe", "stege"],
        "housing": "buy",
        "timeframe": "6-12m",
        "interests": ["schools", "nature"],
        "job_help": true,
        "message": "Vi glæder os",
        "ambassador_contact": true,
        "campaign": "spring-2026",
    });
    let reference = reference_of(&app.api_inquiry(&inquiry).await);
    let moved = move_case(&kim.api, &reference, json!({ "to": "visit", "note": "Besøg aftalt" })).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let noted = kim.on_case(&reference, "notes", &[("note", "Ringer igen fredag")]).await;
    assert_eq!(noted.status, StatusCode::SEE_OTHER);

    let case = kim.case_json(&reference).await;
    assert_eq!(case["reference"], reference.as_str());
    assert_eq!(case["stage"], "visit");
    assert!(case["outcome"].is_null());
    assert_eq!(case["assignee"], kim.id.as_str());
    for field in ["name", "email", "phone", "language", "moving_from", "housing", "timeframe", "message", "campaign"] {
        assert_eq!(case[field], inquiry[field], "{field}");
    }
    assert_eq!(case["job_help"], true);
    assert_eq!(case["household"], json!({ "adults": 2, "children": [year - 7, year - 1] }));
    assert_eq!(case["areas"], json!(["praestoe", "stege"]), "areas in the mover's order");
    let interests: BTreeSet<&str> =
        case["interests"].as_array().expect("interests").iter().filter_map(Value::as_str).collect();
    assert_eq!(interests, BTreeSet::from(["nature", "schools"]));
    assert_eq!(case["consent"]["ambassador_contact"], true);
    for stamp in ["created_at", "updated_at"] {
        assert_rfc3339_utc(&case[stamp], stamp);
    }

    let timeline = case["timeline"].as_array().expect("timeline");
    let kinds: Vec<&str> = timeline.iter().map(|e| e["kind"].as_str().expect("kind")).collect();
    assert_eq!(kinds.first(), Some(&"received"), "{kinds:?}");
    assert!(kinds.contains(&"assigned"), "{kinds:?}");
    let position = |kind: &str| kinds.iter().position(|k| *k == kind).unwrap_or_else(|| panic!("{kind} in {kinds:?}"));
    let (changed_at, noted_at) = (position("stage_changed"), position("note_added"));
    assert!(position("assigned") < changed_at && changed_at < noted_at, "oldest first: {kinds:?}");
    let mut previous = String::new();
    for event in timeline {
        let at = assert_rfc3339_utc(&event["at"], "timeline at");
        assert!(at >= previous, "oldest first: {at} after {previous}");
        previous = at;
        assert!(event.get("actor").is_some(), "every event names its actor (null for the system): {event}");
    }
    assert!(timeline[0]["actor"].is_null(), "the mover's inquiry has no staff actor");
    assert_eq!(timeline[0]["campaign"], "spring-2026");
    let changed = &timeline[changed_at];
    assert_eq!(changed["actor"], "Kim");
    assert_eq!((&changed["from"], &changed["to"]), (&json!("information"), &json!("visit")));
    assert_eq!(changed["note"], "Besøg aftalt");
    assert_eq!(timeline[noted_at]["note"], "Ringer igen fredag");
    assert_eq!(timeline[noted_at]["actor"], "Kim");

    // The list entry agrees with the case.
    let listed = kim.api.get("/api/v1/cases").await.json();
    let entry = &listed["cases"][0];
    assert_eq!(entry["reference"], reference.as_str());
    assert_eq!(entry["stage"], "visit");
    assert_eq!(entry["assignee"], kim.id.as_str());
    assert_eq!(entry["areas"], case["areas"]);
    assert_eq!(entry["created_at"], case["created_at"]);
}

/// An RFC 3339 UTC timestamp ending in Z; returns it for ordering.
fn assert_rfc3339_utc(value: &Value, what: &str) -> String {
    let s = value.as_str().unwrap_or_else(|| panic!("{what}: a string, got {value}"));
    assert!(s.ends_with('Z'), "{what}: UTC with Z: {s}");
    chrono::DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{what}: RFC 3339 ({e}): {s}"));
    s.to_string()
}

#[tokio::test]
async fn transitions_follow_the_pipeline_and_refusals_say_why() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let api = &kim.api;
    let new_case =
        || async { reference_of(&app.api_inquiry(&json!({ "name": "Anna", "email": "anna@example.dk" })).await) };
    let a = new_case().await;
    let b = new_case().await;

    let page = move_case(api, &a, json!({ "to": "visit" })).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.json()["reference"], a.as_str());
    assert_eq!(page.json()["stage"], "visit");
    assert!(page.json()["timeline"].is_array(), "the answer is the whole case");

    // Refusals: 409 with a reason; the case stays where it was.
    for (body, why) in [
        (json!({ "to": "welcome_package" }), "skips a stage"),
        (json!({ "close": "welcomed" }), "welcomed too early"),
        (json!({ "to": "information" }), "already there"),
        (json!({ "to": "closed" }), "closed needs an outcome"),
        (json!({ "reopen": true, "note": "x" }), "not closed"),
    ] {
        assert_error(&move_case(api, &b, body).await, StatusCode::CONFLICT, why);
    }
    assert_error(&move_case(api, &a, json!({ "to": "information" })).await, StatusCode::CONFLICT, "back, no note");
    assert_error(
        &move_case(api, &a, json!({ "to": "information", "note": "  " })).await,
        StatusCode::CONFLICT,
        "back, blank note",
    );
    assert_eq!(kim.case_json(&a).await["stage"], "visit");
    assert_eq!(kim.case_json(&b).await["stage"], "information");
    let back = move_case(api, &a, json!({ "to": "information", "note": "Besøget blev aflyst" })).await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert_eq!(back.json()["stage"], "information");

    // Close with an outcome; a closed case moves nowhere until reopened.
    let closed = move_case(api, &b, json!({ "close": "chose_elsewhere", "note": "Købte hus i Køge" })).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    assert_eq!(closed.json()["stage"], "closed");
    assert_eq!(closed.json()["outcome"], "chose_elsewhere");
    assert_rfc3339_utc(&closed.json()["stage_dates"]["closed"], "closed date");
    assert_error(&move_case(api, &b, json!({ "to": "visit" })).await, StatusCode::CONFLICT, "closed case");
    assert_error(&move_case(api, &b, json!({ "close": "spam" })).await, StatusCode::CONFLICT, "closed twice");
    let reopened = move_case(api, &b, json!({ "reopen": true, "note": "Fortrød" })).await;
    assert_eq!(reopened.status, StatusCode::OK, "{}", reopened.body);
    assert_eq!((&reopened.json()["stage"], &reopened.json()["outcome"]), (&json!("information"), &Value::Null));

    // Bodies that are not a transition: 422 naming what is wrong.
    for (body, field) in [
        (json!({ "to": "x" }), "to"),
        (json!({ "to": "Visit" }), "to"),
        (json!({ "close": "moved" }), "close"),
        (json!({ "to": "visit", "close": "spam" }), "(body)"),
        (json!({}), "(body)"),
        (json!({ "to": 3 }), "(body)"),
        (json!({ "to": "visit", "stage": "visit" }), "stage"),
        (json!({ "to": "visit", "note": 5 }), "note"),
        (json!({ "to": "visit", "note": "a\u{0}b" }), "note"),
        (json!(["visit"]), "(body)"),
    ] {
        let page = move_case(api, &a, body.clone()).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", page.body);
        assert_eq!(page.json()["errors"][0]["field"], field, "{body}");
    }
    assert_error(
        &api.post_raw(&format!("/api/v1/cases/{a}/transitions"), "application/json", "{").await,
        StatusCode::BAD_REQUEST,
        "malformed",
    );
    assert_eq!(kim.case_json(&a).await["stage"], "information", "nothing above moved it");

    // Unknown cases: 404 JSON, whatever the reference looks like.
    for reference in ["VK-2026-ZZZZZZ", "garbage", "vk-2026-zzzzzz"] {
        let page = move_case(api, reference, json!({ "to": "visit" })).await;
        assert_error(&page, StatusCode::NOT_FOUND, reference);
        assert_error(&api.get(&format!("/api/v1/cases/{reference}")).await, StatusCode::NOT_FOUND, reference);
    }
}

#[tokio::test]
async fn a_campaign_on_the_form_link_lands_on_the_case() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let mover = app.browser();
    let page = send_form_from(&mover, "/?campaign=spring-2026", &[("name", "Ane"), ("email", "ane@example.dk")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let reference = page.location().rsplit('/').next().expect("reference").to_string();
    let case = kim.case_json(&reference).await;
    assert_eq!(case["campaign"], "spring-2026");
    assert_eq!(case["timeline"][0]["campaign"], "spring-2026");
    let html = kim.browser.get(&format!("/cases/{reference}")).await;
    assert!(html.contains("spring-2026"), "the case page shows the campaign");

    // Capitals in the link are the same campaign; the English form keeps it too.
    let page =
        send_form_from(&mover, "/?lang=en&campaign=Spring-2026", &[("name", "Bo"), ("email", "bo@example.dk")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let reference = page.location().rsplit('/').next().expect("reference").to_string();
    assert_eq!(kim.case_json(&reference).await["campaign"], "spring-2026");

    // The API takes the campaign as a field, and refuses one that is not a slug.
    let api = app.api_inquiry(&json!({ "name": "Cai", "email": "cai@example.dk", "campaign": "forår 2026" })).await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(api.json()["errors"][0]["field"], "campaign");
}

// Fixed (was a bug): src/web/public.rs `form` copies any `?campaign=` into the hidden
// campaign field; `Inquiry::parse` then refuses it (campaign-invalid) on
// every submit, and the mover cannot see or change a hidden field, so a
// mistyped campaign link (here `forår-2026`) blocks the mover for good. The
// form page should drop a campaign that is not a slug (or the form intake
// should ignore it) so the inquiry is received without a campaign.
#[tokio::test]
async fn a_campaign_link_that_is_not_a_slug_never_blocks_the_mover() {
    let app = spawn_app().await;
    let id = app.add_user("consultant", "Kim", "kim@kommune.dk").await;
    let staff = app.api(Some(&app.token_for(&id).await));
    let mover = app.browser();
    for link in ["/?campaign=for%C3%A5r-2026", "/?campaign=spring%202026", "/?campaign=%3Cscript%3E"] {
        let page = send_form_from(&mover, link, &[("name", "Ane"), ("email", "ane@example.dk")]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{link}: the mover's inquiry is received");
        let reference = page.location().rsplit('/').next().expect("reference").to_string();
        let case = staff.get(&format!("/api/v1/cases/{reference}")).await.json();
        assert!(case["campaign"].is_null(), "{link}: no invalid campaign stored: {}", case["campaign"]);
    }
}
