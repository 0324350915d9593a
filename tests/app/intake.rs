//! A prospective mover sends an inquiry: in Danish, in English, as JSON.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{html_unescape, l10n, spawn_app, spawn_app_with};

#[tokio::test]
async fn a_family_sends_the_danish_form_and_gets_a_receipt() {
    let app = spawn_app().await;
    let mover = app.browser();
    let form = mover.get("/").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.contains("<html lang=\"da\""));
    assert!(html_unescape(&form.body).contains(&l10n("da", "inquiry-title")));
    assert!(html_unescape(&form.body).contains("Præstø (4720)"), "areas come from the configuration");
    assert!(form.contains("name=\"website\""), "a honeypot field");

    let sent = mover
        .submit_inquiry(&[
            ("name", "Søren Østergård"),
            ("email", "soren@example.dk"),
            ("phone", "+45 12 34 56 78"),
            ("moving_from", "København"),
            ("adults", "2"),
            ("children", "2016"),
            ("children", "2020"),
            ("children", ""),
            ("areas", "praestoe"),
            ("areas", "stege"),
            ("housing", "build"),
            ("timeframe", "6-12m"),
            ("interests", "nature"),
            ("interests", "water"),
            ("job_help", "true"),
            ("message", "Vi drømmer om en grund tæt på vandet."),
            ("ambassador_contact", "true"),
        ])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let location = sent.location();
    assert!(location.starts_with("/received/VK-"), "{location}");
    let receipt = mover.get(&location).await;
    assert_eq!(receipt.status, StatusCode::OK);
    let reference = location.trim_start_matches("/received/");
    assert!(receipt.contains(reference));
    assert!(!html_unescape(&receipt.body).contains("Søren"), "no personal data on the receipt");

    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let case = kim.case_json(reference).await;
    assert_eq!(case["name"], "Søren Østergård");
    assert_eq!(case["household"], json!({ "adults": 2, "children": [2016, 2020] }));
    assert_eq!(case["areas"], json!(["praestoe", "stege"]));
    assert_eq!(case["interests"], json!(["nature", "water"]));
    assert_eq!(case["housing"], "build");
    assert_eq!(case["timeframe"], "6-12m");
    assert_eq!(case["job_help"], true);
    assert_eq!(case["consent"]["ambassador_contact"], true);
    assert_eq!(case["language"], "da");
    assert_eq!(case["stage"], "information");
}

#[tokio::test]
async fn the_english_form_is_complete_and_remembered() {
    let app = spawn_app().await;
    let mover = app.browser();
    let form = mover.get("/?lang=en").await;
    assert!(form.contains("<html lang=\"en\""));
    assert!(html_unescape(&form.body).contains(&l10n("en", "inquiry-title")));
    assert!(html_unescape(&form.body).contains(&l10n("en", "inquiry-submit")));
    assert!(!html_unescape(&form.body).contains(&l10n("da", "inquiry-title")), "no Danish left on the English page");
    // The choice is remembered in a cookie.
    assert!(mover.get("/").await.contains("<html lang=\"en\""));

    let refused = mover.submit_inquiry(&[("name", "Anna"), ("email", "anna@"), ("language", "en")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let shown = html_unescape(&refused.body);
    assert!(shown.contains(&l10n("en", "form-error-summary")));
    assert!(shown.contains(&l10n("en", "error-email-invalid")));

    let r = mover.submit_inquiry(&[("name", "Anna"), ("email", "anna@example.com"), ("language", "en")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(html_unescape(&mover.get(&r.location()).await.body).contains(&l10n("en", "receipt-title")));
}

#[tokio::test]
async fn a_refused_form_keeps_everything_typed_and_names_every_error() {
    let app = spawn_app().await;
    let mover = app.browser();
    let refused = mover
        .submit_inquiry(&[
            ("name", ""),
            ("email", "ikke-en-adresse"),
            ("adults", "0"),
            ("children", "1990"),
            ("areas", "praestoe"),
            ("interests", "nature"),
            ("housing", "rent"),
            ("message", "Hej 👋 med æøå"),
            ("ambassador_contact", "true"),
            ("moving_from", "Aarhus"),
        ])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = html_unescape(&refused.body);
    assert!(body.contains(&l10n("da", "form-error-summary")));
    for anchor in ["#field-name", "#field-email", "#field-adults", "#field-children"] {
        assert!(body.contains(anchor), "the summary links to {anchor}");
    }
    assert!(body.contains("value=\"ikke-en-adresse\""));
    assert!(body.contains("value=\"1990\""));
    assert!(body.contains("value=\"Aarhus\""));
    assert!(body.contains("Hej 👋 med æøå"));
    assert!(body.contains("value=\"praestoe\" class=\"form-checkbox\" checked"));
    assert!(body.contains("value=\"nature\" class=\"form-checkbox\" checked"));
    assert!(body.contains("value=\"rent\" class=\"form-radio\" checked"));
    assert!(body.contains("id=\"ambassador-contact\" type=\"checkbox\" name=\"ambassador_contact\" value=\"true\" class=\"form-checkbox\" checked"));
}

#[tokio::test]
async fn the_json_api_receives_inquiries_and_names_every_error() {
    let app = spawn_app().await;
    let ok = app
        .api_inquiry(&json!({
            "name": "Anna Smith", "email": "anna@example.com", "language": "en", "adults": 2,
            "children": [2015], "areas": ["vordingborg"], "housing": "rent", "timeframe": "0-6m",
            "interests": ["sports"], "job_help": true, "message": "Hello!", "ambassador_contact": false,
            "campaign": "facebook-2026", "phone": null, "moving_from": "Berlin"
        }))
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    assert_eq!(ok.json()["stage"], "information");

    let bad = app.api_inquiry(&json!({ "email": "x", "adults": 11, "areas": ["atlantis"], "colour": "blue" })).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = bad.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().unwrap_or("").to_string())
        .collect();
    for f in ["colour", "name", "email", "adults", "areas"] {
        assert!(fields.contains(&f.to_string()), "{f} named in {fields:?}");
    }
}

#[tokio::test]
async fn a_campaign_link_is_kept_on_the_case() {
    let app = spawn_app().await;
    let mover = app.browser();
    let form = mover.get("/?campaign=sommer-2026").await;
    assert!(form.contains("name=\"campaign\" value=\"sommer-2026\""));
    let token = form.csrf_token();
    let sent = mover
        .post_form(
            "/inquiry",
            &[("csrf_token", &token), ("name", "Ida"), ("email", "ida@example.dk"), ("campaign", "sommer-2026")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let reference = sent.location().trim_start_matches("/received/").to_string();
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    assert_eq!(kim.case_json(&reference).await["campaign"], "sommer-2026");
}

/// Many movers at once: every inquiry answered 201 is in the database (on
/// SQLite the answers come from the commit batcher, after their batch's
/// COMMIT), with its receipt in the outbox.
#[tokio::test]
async fn two_hundred_inquiries_from_sixteen_clients_are_all_acknowledged_and_stored() {
    const CLIENTS: usize = 16;
    const EACH: usize = 200 / CLIENTS + 1;
    let app = spawn_app().await;
    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        let api = app.api(None);
        tasks.push(tokio::spawn(async move {
            let mut references = Vec::new();
            for i in 0..EACH {
                if client * EACH + i >= 200 {
                    break;
                }
                let body = json!({
                    "name": format!("Mover {client}-{i}"), "email": format!("m{client}-{i}@example.com"),
                    "language": if i % 2 == 0 { "da" } else { "en" }, "adults": 1 + (i % 3),
                    "children": [], "areas": ["vordingborg"], "housing": "rent", "timeframe": "0-6m",
                    "interests": [], "job_help": false, "ambassador_contact": false
                });
                let page = api.post_json("/api/v1/inquiries", &body).await;
                assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
                references.push(page.json()["reference"].as_str().expect("reference").to_string());
            }
            references
        }));
    }
    let mut acknowledged = Vec::new();
    for t in tasks {
        acknowledged.extend(t.await.expect("client task"));
    }
    assert_eq!(acknowledged.len(), 200);
    let distinct: std::collections::HashSet<_> = acknowledged.iter().cloned().collect();
    assert_eq!(distinct.len(), 200, "every reference is unique");

    let refs = acknowledged.clone();
    let (missing, cases, receipts) = app
        .db
        .read(move |conn| {
            let mut missing = Vec::new();
            for r in &refs {
                let reference = velkomst::domain::reference::Reference::parse(r).expect("a reference");
                if !velkomst::db::cases::exists(conn, &reference)? {
                    missing.push(r.clone());
                }
            }
            let cases: i64 = velkomst::db::cases::stage_counts(conn)?.iter().map(|(_, n)| n).sum();
            let emails: i64 = velkomst::db::outbox::counts(conn)?.iter().map(|(_, n)| n).sum();
            Ok((missing, cases, emails))
        })
        .await
        .expect("read back");
    assert!(missing.is_empty(), "acknowledged but not stored: {missing:?}");
    assert_eq!(cases, 200);
    // No consultant exists, so each inquiry queued exactly its receipt.
    assert_eq!(receipts, 200, "one receipt per acknowledged inquiry");
}

// Fixed (was a bug): the receipt page promised "inden for to hverdage"
// whatever the first-contact goal was set to (the receipt email followed it).
#[tokio::test]
async fn the_receipt_page_promises_the_configured_response_time() {
    for (days, da, en) in [
        (2, "inden for to hverdage", "within two working days"),
        (1, "inden for én hverdag", "within one working day"),
        (3, "inden for tre hverdage", "within three working days"),
        (7, "inden for 7 hverdage", "within 7 working days"),
    ] {
        let app = spawn_app_with(|s| s.queue.first_contact_goal_working_days = days).await;
        let mover = app.browser();
        let sent = mover.submit_inquiry(&[("name", "Ane"), ("email", "ane@example.dk")]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let receipt = html_unescape(&mover.get(&sent.location()).await.body);
        assert!(receipt.contains(da), "{days} days: {receipt}");
        let english = html_unescape(&mover.get(&format!("{}?lang=en", sent.location())).await.body);
        assert!(english.contains(en), "{days} days: {english}");
    }
}
