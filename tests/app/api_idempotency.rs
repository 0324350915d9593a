//! Issue 14, part 2: a client that retries a POST after a timeout does not
//! create a second inquiry, note or email (`Idempotency-Key`), and the
//! municipality's website posting inquiries has a limit of its own and
//! names the mover's address for theirs.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, Page, TestApp};

/// POST with a key; the test reads the whole answer.
async fn post_with_key(app: &TestApp, token: Option<&str>, path: &str, key: &str, body: &Value) -> Page {
    let mut req = reqwest::Client::new()
        .post(format!("{}{path}", app.address))
        .header("content-type", "application/json")
        .header("idempotency-key", key)
        .body(body.to_string());
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("POST");
    let (status, headers) = (resp.status(), resp.headers().clone());
    Page { status, headers, body: resp.text().await.expect("body") }
}

fn replayed(page: &Page) -> bool {
    page.headers.get("idempotent-replayed").is_some_and(|v| v == "true")
}

async fn token_with(app: &TestApp, user_id: &str, scopes: &'static [&'static str]) -> String {
    let token = format!("vk_{}", velkomst::crypto::random_token());
    let (hash, user) = (velkomst::crypto::token_hash(&token), user_id.to_string());
    app.db
        .write(move |conn| {
            velkomst::workflow::accounts::create_token(
                conn,
                &user,
                "integration",
                &hash,
                scopes,
                velkomst::db::now(),
                None,
            )
        })
        .await
        .expect("token");
    token
}

fn count(case: &Value, kind: &str) -> usize {
    case["timeline"].as_array().expect("timeline").iter().filter(|e| e["kind"] == kind).count()
}

#[tokio::test]
async fn a_retried_post_gets_the_first_answer_and_nothing_happens_twice() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    let website = token_with(&app, &kim.id, &["intake"]).await;
    let kim_token = token_with(&app, &kim.id, &["read", "write"]).await;

    // The website's POST timed out; it sends the same inquiry again.
    let inquiry = json!({ "name": "Mette Dahl", "email": "mette@example.dk" });
    let first = post_with_key(&app, Some(&website), "/api/v1/inquiries", "form-4711", &inquiry).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert!(!replayed(&first));
    let again = post_with_key(&app, Some(&website), "/api/v1/inquiries", "form-4711", &inquiry).await;
    assert_eq!((again.status, again.json()), (StatusCode::CREATED, first.json()), "the same answer");
    assert!(replayed(&again));
    let reference = first.json()["reference"].as_str().expect("reference").to_string();
    let found = kim.api.get("/api/v1/cases?q=mette@example.dk").await.json();
    assert_eq!(found["cases"].as_array().map(Vec::len), Some(1), "one case: {found}");

    // A note and an email, each sent twice with its key, happen once.
    let notes = format!("/api/v1/cases/{reference}/notes");
    let note = json!({ "note": "Called back" });
    let first = post_with_key(&app, Some(&kim_token), &notes, "note-1", &note).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let again = post_with_key(&app, Some(&kim_token), &notes, "note-1", &note).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, first.body, "the stored answer, byte for byte");
    let emails = format!("/api/v1/cases/{reference}/emails");
    let email = json!({ "subject": "Welcome", "body": "Good to hear from you" });
    for _ in 0..2 {
        let page = post_with_key(&app, Some(&kim_token), &emails, "email-1", &email).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    }
    let case = kim.case_json(&reference).await;
    assert_eq!(count(&case, "note_added"), 1);
    let custom = case["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter(|e| e["kind"] == "email_queued" && e["template"] == "custom")
        .count();
    assert_eq!(custom, 1, "one email: {}", case["timeline"]);

    // The same key with another request is refused; another token's key of
    // the same name is its own.
    let other = post_with_key(&app, Some(&kim_token), &notes, "note-1", &json!({ "note": "Something else" })).await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", other.body);
    assert_eq!(other.json()["errors"][0]["code"], "idempotency-key-reused");
    assert_eq!(other.json()["errors"][0]["field"], "Idempotency-Key");
    let script = token_with(&app, &kim.id, &["read", "write"]).await;
    let page = post_with_key(&app, Some(&script), &notes, "note-1", &json!({ "note": "Something else" })).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(!replayed(&page));
    assert_eq!(count(&kim.case_json(&reference).await, "note_added"), 2);

    // A refusal settles the request too; a malformed key is refused.
    let back = format!("/api/v1/cases/{reference}/transitions");
    let refused = post_with_key(&app, Some(&kim_token), &back, "t-1", &json!({ "reopen": true, "note": "x" })).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(replayed(
        &post_with_key(&app, Some(&kim_token), &back, "t-1", &json!({ "reopen": true, "note": "x" })).await
    ));
    let page = post_with_key(&app, Some(&kim_token), &notes, "not a key", &note).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.body);

    // A day later the key is forgotten: the same key starts afresh.
    let later = velkomst::db::now() + chrono::Duration::hours(25);
    let purged = app.db.write(move |conn| velkomst::workflow::idempotency::purge(conn, later)).await.expect("purge");
    assert!(purged >= 4, "{purged} keys forgotten");
    let page = post_with_key(&app, Some(&kim_token), &notes, "note-1", &json!({ "note": "Next day" })).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(!replayed(&page));

    // Erasing the person erases the answers kept about them.
    let erased = kim.api.post_json(&format!("/api/v1/cases/{reference}/erasure"), &json!({ "note": "asked" })).await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.body);
    let page = post_with_key(&app, Some(&kim_token), &notes, "note-1", &json!({ "note": "Next day" })).await;
    assert_eq!(page.status, StatusCode::GONE, "{}", page.body);
    assert!(!page.body.contains("Mette"), "{}", page.body);
    let kept: Vec<Option<String>> = app
        .db
        .read(|conn| {
            use diesel::prelude::*;
            use velkomst::db::schema::idempotency_keys as k;
            Ok(k::table.filter(k::case_id.is_not_null()).select(k::response_body).load(conn)?)
        })
        .await
        .expect("read");
    assert!(!kept.is_empty() && kept.iter().all(Option::is_none), "{kept:?}");
}

#[tokio::test]
async fn the_websites_token_has_its_own_limit_and_names_the_movers_address() {
    let app = spawn_app_with(|s| {
        s.intake.limit_per_hour = 2;
        s.intake.integration_limit_per_hour = 3;
    })
    .await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    let website = token_with(&app, &kim.id, &["intake"]).await;
    let send = |address: &'static str, n: u32| {
        let (base, token) = (app.address.clone(), website.clone());
        async move {
            let body = json!({ "name": format!("Mover {n}"), "email": format!("m{n}@example.dk") });
            let resp = reqwest::Client::new()
                .post(format!("{base}/api/v1/inquiries"))
                .bearer_auth(token)
                .header("velkomst-mover-address", address)
                .json(&body)
                .send()
                .await
                .expect("POST");
            (resp.status(), resp.headers().get("retry-after").is_some())
        }
    };
    // Two from one mover's address; the third from it is that mover's limit.
    assert_eq!(send("203.0.113.7", 1).await.0, StatusCode::CREATED);
    assert_eq!(send("203.0.113.7", 2).await.0, StatusCode::CREATED);
    assert_eq!(send("203.0.113.7", 3).await, (StatusCode::TOO_MANY_REQUESTS, true));
    // Another mover gets through; then the website's own limit (3) is reached.
    assert_eq!(send("2001:db8::1", 4).await.0, StatusCode::CREATED);
    assert_eq!(send("203.0.113.9", 5).await, (StatusCode::TOO_MANY_REQUESTS, true));
    assert_eq!(send("not an address", 6).await.0, StatusCode::BAD_REQUEST);
    // The public form's limit per address is untouched by the website's.
    let page = app.api_inquiry(&json!({ "name": "Walk In", "email": "walk@example.dk" })).await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
}
