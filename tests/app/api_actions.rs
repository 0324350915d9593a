//! Issue 14, part 1: a script does everything a consultant does on the
//! case page through the staff API — with the same rules, the same
//! timeline and the same refusals — and the API says which methods a path
//! has.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, ApiClient, Staff, TestApp};

/// A mover through the JSON API, consenting to ambassador contact.
async fn mover(app: &TestApp, name: &str, email: &str) -> String {
    let page = app
        .api_inquiry(&json!({ "name": name, "email": email, "areas": ["stege"], "interests": ["nature"], "ambassador_contact": true }))
        .await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    page.json()["reference"].as_str().expect("reference").to_string()
}

fn day(days: i64) -> String {
    (Utc::now() + Duration::days(days)).format("%Y-%m-%d").to_string()
}

async fn act(api: &ApiClient, reference: &str, action: &str, body: Value) -> Value {
    let page = api.post_json(&format!("/api/v1/cases/{reference}/{action}"), &body).await;
    assert_eq!(page.status, StatusCode::OK, "{action}: {}", page.body);
    page.json()
}

fn kinds(case: &Value) -> Vec<String> {
    case["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind").to_string())
        .collect()
}

async fn on_page(kim: &Staff, reference: &str, action: &str, fields: &[(&str, &str)]) {
    let page = kim.on_case(reference, action, fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{action} on the page: {}", page.body);
}

#[tokio::test]
async fn a_script_does_what_the_case_page_does_with_the_same_timeline() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    // Both cases go to Kim, the only consultant when they arrive.
    let by_page = mover(&app, "Pia Page", "pia@example.dk").await;
    let by_api = mover(&app, "Arne Api", "arne@example.dk").await;
    let lis = app.consultant("Lis Berg", "lis@kommune.dk").await;
    let (visit_day, move_in_day) = (day(10), day(40));

    // The consultant works one case on the case page ...
    on_page(&kim, &by_page, "notes", &[("note", "Called, left a message")]).await;
    on_page(&kim, &by_page, "assign", &[("assignee", &lis.id)]).await;
    on_page(&kim, &by_page, "assign", &[("assignee", &kim.id)]).await;
    on_page(&kim, &by_page, "contact", &[("note", "Spoke on the phone")]).await;
    on_page(&kim, &by_page, "information-pack", &[("note", "As promised")]).await;
    let visit = [("visit_date", visit_day.as_str()), ("visit_time", "10:00"), ("visit_place", "Stege Rådhus")];
    on_page(&kim, &by_page, "visit", &visit).await;
    let changed = [("visit_date", visit_day.as_str()), ("visit_time", "11:30"), ("visit_place", "Stege Rådhus")];
    on_page(&kim, &by_page, "visit", &changed).await;
    let cancel = [("after", "information"), ("note", "The family is ill"), ("stage_was", "visit")];
    let page = kim
        .browser
        .submit(&format!("/cases/{by_page}/visit/cancel"), &format!("/cases/{by_page}/visit/cancel"), &cancel)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    on_page(&kim, &by_page, "visit", &visit).await;
    on_page(&kim, &by_page, "move-in", &[("move_in_date", move_in_day.as_str()), ("move_in_area", "stege")]).await;
    on_page(&kim, &by_page, "welcome-package", &[("method", "collected"), ("details", "At the library")]).await;
    on_page(&kim, &by_page, "welcome-package/delivered", &[]).await;
    let email = [("subject", "Welcome"), ("body", "Good to see you"), ("action", "send")];
    let page = kim.browser.submit(&format!("/cases/{by_page}/email"), &format!("/cases/{by_page}/email"), &email).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    // ... and a script does the same to the other through the API.
    let api = &kim.api;
    let case = act(api, &by_api, "notes", json!({ "note": "Called, left a message" })).await;
    assert_eq!(
        case["timeline"].as_array().and_then(|t| t.last()).map(|e| e["note"].clone()),
        Some(json!("Called, left a message"))
    );
    let case = act(api, &by_api, "assignment", json!({ "assignee": lis.id })).await;
    assert_eq!(case["assignee"], json!(lis.id));
    let case = act(api, &by_api, "assignment", json!({ "assignee": "me" })).await;
    assert_eq!(case["assignee"], json!(kim.id));
    let case = act(api, &by_api, "first-contact", json!({ "note": "Spoke on the phone" })).await;
    assert!(case["first_contact_at"].is_string());
    act(api, &by_api, "information-pack", json!({ "note": "As promised" })).await;
    let visit = json!({ "date": visit_day, "time": "10:00", "place": "Stege Rådhus" });
    let case = act(api, &by_api, "visit", visit.clone()).await;
    assert_eq!(case["stage"], "visit");
    act(api, &by_api, "visit", json!({ "date": visit_day, "time": "11:30", "place": "Stege Rådhus" })).await;
    let case =
        act(api, &by_api, "visit/cancellation", json!({ "after": "information", "note": "The family is ill" })).await;
    assert_eq!(case["stage"], "information");
    act(api, &by_api, "visit", visit).await;
    let case = act(api, &by_api, "move-in", json!({ "date": move_in_day, "area": "stege" })).await;
    assert_eq!(case["stage"], "move_in");
    act(api, &by_api, "welcome-package", json!({ "method": "collected", "details": "At the library" })).await;
    let page = api.post_raw(&format!("/api/v1/cases/{by_api}/welcome-package/delivery"), "", "").await;
    assert_eq!(page.status, StatusCode::OK, "delivered without a body: {}", page.body);
    assert_eq!(page.json()["stage"], "welcome_package");
    act(api, &by_api, "emails", json!({ "subject": "Welcome", "body": "Good to see you" })).await;

    let (html, json) = (kim.case_json(&by_page).await, kim.case_json(&by_api).await);
    assert_eq!(kinds(&json), kinds(&html), "the same events in the same order");
    assert_eq!(json["stage"], html["stage"]);
    assert!(kinds(&json).iter().filter(|k| *k == "email_queued").count() >= 6, "{:?}", kinds(&json));

    // An email from a template the page offers, rendered for the case.
    let before = kinds(&kim.case_json(&by_api).await).len();
    let case = act(api, &by_api, "emails", json!({ "template": "receipt" })).await;
    assert!(kinds(&case).len() > before, "queued");
    assert_eq!(kinds(&case).last().map(String::as_str), Some("email_queued"));
}

#[tokio::test]
async fn the_api_refuses_what_the_case_page_refuses_with_the_same_codes() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    let reference = mover(&app, "Ole Olsen", "ole@example.dk").await;
    let api = &kim.api;
    let post = |action: &str, body: Value| {
        let path = format!("/api/v1/cases/{reference}/{action}");
        async move { api.post_json(&path, &body).await }
    };
    let invalid_at = |page: &crate::helpers::Page, field: &str, code: &str| {
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", page.body);
        let e = &page.json()["errors"][0];
        assert_eq!((e["field"].as_str(), e["code"].as_str()), (Some(field), Some(code)), "{}", page.body);
        assert!(e["message"].as_str().is_some_and(|m| !m.is_empty() && !m.starts_with("error-")), "{}", page.body);
    };
    let refused = |page: &crate::helpers::Page, code: &str| {
        assert_eq!(page.status, StatusCode::CONFLICT, "{code}: {}", page.body);
        assert_eq!(page.json()["code"], code, "{}", page.body);
        assert!(page.json()["error"].as_str().is_some_and(|e| !e.is_empty()));
    };

    invalid_at(&post("notes", json!({ "note": "  " })).await, "note", "required");
    invalid_at(&post("notes", json!({ "note": "a\u{7}b" })).await, "note", "control-chars");
    invalid_at(&post("notes", json!({ "note": "x", "extra": 1 })).await, "extra", "unknown-field");
    invalid_at(
        &post("assignment", json!({ "assignee": uuid::Uuid::new_v4().to_string() })).await,
        "assignee",
        "unknown-assignee",
    );
    let past = json!({ "date": day(-1), "time": "10:00", "place": "Stege" });
    invalid_at(&post("visit", past).await, "date", "visit-past");
    invalid_at(
        &post("visit", json!({ "date": day(3), "time": "25:00", "place": "Stege" })).await,
        "time",
        "visit-time",
    );
    invalid_at(&post("visit", json!({ "date": day(3), "time": "10:00", "place": "" })).await, "place", "visit-place");
    invalid_at(
        &post("visit", json!({ "date": day(3), "time": "10:00", "place": "S", "minutes": 5 })).await,
        "minutes",
        "visit-minutes",
    );
    invalid_at(&post("move-in", json!({ "date": day(3), "area": "atlantis" })).await, "area", "choice-invalid");
    invalid_at(&post("move-in", json!({ "date": day(3000), "area": "stege" })).await, "date", "move-in-date-range");
    invalid_at(&post("welcome-package", json!({ "method": "drone" })).await, "method", "choice-invalid");
    invalid_at(&post("emails", json!({ "template": "receipt", "subject": "x" })).await, "(body)", "email-shape");
    invalid_at(&post("emails", json!({ "template": "password_reset" })).await, "template", "choice-invalid");
    invalid_at(&post("emails", json!({ "subject": "Hi", "body": "" })).await, "body", "required");

    // The pipeline's refusals: 409 with the page's refusal code.
    refused(&post("visit/cancellation", json!({})).await, "no-visit");
    refused(&post("welcome-package/delivery", json!({})).await, "package-not-now");
    refused(&post("welcome-package", json!({ "method": "collected" })).await, "package-not-now");
    assert_eq!(post("move-in", json!({ "date": day(20), "area": "stege" })).await.status, StatusCode::OK);
    refused(&post("visit", json!({ "date": day(3), "time": "10:00", "place": "Stege" })).await, "visit-not-now");
    let page = post("welcome-package", json!({ "method": "ambassador", "ambassador": kim.id })).await;
    refused(&page, "package-no-ambassador");
    // While the case is in visit, a cancellation must say where it stands then.
    let other = mover(&app, "Pia Petersen", "pia@example.dk").await;
    act(api, &other, "visit", json!({ "date": day(3), "time": "10:00", "place": "Stege" })).await;
    let page = api.post_json(&format!("/api/v1/cases/{other}/visit/cancellation"), &json!({})).await;
    invalid_at(&page, "after", "required");

    // An unknown case is 404 before anything is judged.
    let page = api.post_json("/api/v1/cases/VK-2026-ZZZZZZ/visit", &json!({})).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND, "{}", page.body);
    // Nothing refused reached the timeline.
    let case = kim.case_json(&reference).await;
    assert!(!kinds(&case).contains(&"note_added".to_string()), "{:?}", kinds(&case));
}

#[tokio::test]
async fn referrals_are_listed_and_withdrawn_and_the_timeline_reads_page_by_page() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    let profile = velkomst::db::ambassadors::Profile {
        organisation: "Stege Lokalråd".into(),
        kind: "local_council".into(),
        phone: None,
        areas: vec!["stege".into()],
        interests: vec!["nature".into()],
    };
    app.db
        .write(move |conn| {
            velkomst::workflow::referrals::register_ambassador(conn, "astrid@stege.dk", "Astrid Holm", &profile)
        })
        .await
        .expect("registered")
        .expect("a new ambassador");
    let reference = mover(&app, "Ulla Jensen", "ulla@example.dk").await;
    let page = kim
        .api
        .post_json(
            &format!("/api/v1/cases/{reference}/referrals"),
            &json!({ "ambassador": "astrid@stege.dk", "message": "Nature lovers" }),
        )
        .await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    let id = page.json()["id"].as_str().expect("id").to_string();

    let list = kim.api.get(&format!("/api/v1/cases/{reference}/referrals")).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let listed = &list.json()["referrals"];
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!((listed[0]["id"].as_str(), listed[0]["state"].as_str()), (Some(id.as_str()), Some("offered")));
    assert_eq!(listed[0]["ambassador_name"], "Astrid Holm");

    // A referral of another case is not found under this one.
    let other = mover(&app, "Bo Berg", "bo@example.dk").await;
    let wrong = kim.api.post_json(&format!("/api/v1/cases/{other}/referrals/{id}/withdrawal"), &json!({})).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND, "{}", wrong.body);
    let path = format!("/api/v1/cases/{reference}/referrals/{id}/withdrawal");
    let page = kim.api.post_raw(&path, "", "").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.json()["state"], "withdrawn");
    let again = kim.api.post_json(&path, &json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(again.json()["code"], "referral-not-now");

    // The timeline, two events a page, reads back as the case shows it.
    for n in 0..5 {
        act(&kim.api, &reference, "notes", json!({ "note": format!("note {n}") })).await;
    }
    let whole = kim.case_json(&reference).await["timeline"].clone();
    let (mut read, mut after, mut pages) = (Vec::new(), String::new(), 0);
    loop {
        let query = if after.is_empty() { "?limit=2".to_string() } else { format!("?limit=2&after={after}") };
        let page = kim.api.get(&format!("/api/v1/cases/{reference}/timeline{query}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let body = page.json();
        let events = body["events"].as_array().expect("events").clone();
        assert!(events.len() <= 2);
        pages += 1;
        for mut e in events {
            assert!(e["id"].as_str().is_some_and(|i| !i.is_empty()));
            e.as_object_mut().expect("event").remove("id");
            read.push(e);
        }
        match body["next"].as_str() {
            Some(next) => after = next.to_string(),
            None => break,
        }
    }
    assert_eq!(Value::Array(read), whole, "every event once, in order");
    assert!(pages >= 5, "{pages} pages");
    for bad in ["?limit=0", "?limit=201", "?after=nonsense", "?page=2"] {
        let page = kim.api.get(&format!("/api/v1/cases/{reference}/timeline{bad}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{bad}: {}", page.body);
    }
}

#[tokio::test]
async fn a_read_only_token_changes_nothing_and_every_path_names_its_methods() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    let reference = mover(&app, "Ea Eriksen", "ea@example.dk").await;
    let token = format!("vk_{}", velkomst::crypto::random_token());
    let (hash, user) = (velkomst::crypto::token_hash(&token), kim.id.clone());
    app.db
        .write(move |conn| {
            velkomst::workflow::accounts::create_token(
                conn,
                &user,
                "dashboard",
                &hash,
                &["read"],
                velkomst::db::now(),
                None,
            )
        })
        .await
        .expect("token");
    let reader = app.api(Some(&token));
    let before = kinds(&kim.case_json(&reference).await);

    // Every path of the document, with this case and a made-up referral.
    let doc = reader.get("/api/v1/openapi.json").await.json();
    let paths = doc["paths"].as_object().expect("paths").clone();
    let concrete = |p: &str| {
        format!(
            "/api/v1{}",
            p.replace("{reference}", &reference).replace("{id}", "00000000-0000-4000-8000-000000000000")
        )
    };
    let mut writes = 0;
    for (path, item) in &paths {
        for method in item.as_object().expect("methods").keys() {
            if method == "post" && path != "/inquiries" {
                let page = reader.post_json(&concrete(path), &json!({})).await;
                assert_eq!(page.status, StatusCode::FORBIDDEN, "POST {path}: {}", page.body);
                writes += 1;
            }
        }
    }
    assert!(writes >= 14, "{writes} write endpoints");
    for read in ["", "/timeline", "/referrals"] {
        let page = reader.get(&format!("/api/v1/cases/{reference}{read}")).await;
        assert_eq!(page.status, StatusCode::OK, "{read}: {}", page.body);
    }
    let case = kim.case_json(&reference).await;
    assert_eq!(kinds(&case), before, "nothing changed");

    // A method a path does not have: 405 naming the ones it has.
    let client = reqwest::Client::new();
    for (path, item) in &paths {
        let allowed: Vec<String> = item.as_object().expect("methods").keys().map(|m| m.to_uppercase()).collect();
        for method in ["TRACE", "DELETE", "PUT", "PATCH"] {
            let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
            let resp = client
                .request(m, format!("{}{}", app.address, concrete(path)))
                .bearer_auth(&token)
                .send()
                .await
                .expect("sent");
            assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            let allow = resp.headers().get("allow").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            let mut listed: Vec<String> = allow.split(", ").map(str::to_string).collect();
            let mut want = allowed.clone();
            listed.sort();
            want.sort();
            assert_eq!(listed, want, "Allow of {path}");
        }
    }
    let resp =
        client.request(reqwest::Method::TRACE, format!("{}/api/v1/nothing", app.address)).send().await.expect("sent");
    assert_eq!(resp.status(), StatusCode::NOT_FOUND, "a path that is not there stays 404");
}
