//! A consultant walks cases through the pipeline; the rules hold on the
//! case page and in the API alike.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{html_unescape, l10n, spawn_app};

/// The case's own events, leaving out the emails and follow-ups that
/// accompany them (tests/app/mail.rs checks those).
fn pipeline_events(case: &serde_json::Value) -> Vec<serde_json::Value> {
    case["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter(|e| {
            let k = e["kind"].as_str().unwrap_or("");
            !k.starts_with("email_") && !k.starts_with("followup_")
        })
        .cloned()
        .collect()
}

fn kinds(case: &serde_json::Value) -> Vec<String> {
    pipeline_events(case).iter().map(|e| e["kind"].as_str().unwrap_or("").to_string()).collect()
}

#[tokio::test]
async fn a_case_walks_every_stage_to_welcomed_on_the_case_page() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let reference = app
        .mover_submits(&[
            ("name", "Familien Ærø"),
            ("email", "aero@example.dk"),
            ("children", "2019"),
            ("areas", "stege"),
        ])
        .await;

    // The consultant finds it in the queue, assigned to them.
    let queue = kim.queue("?assignee=me").await;
    assert!(queue.contains(&reference));
    let page = kim.browser.get(&format!("/cases/{reference}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(html_unescape(&page.body).contains("Familien Ærø"));

    for (action, stage) in
        [("move:visit", "visit"), ("move:move_in", "move_in"), ("move:welcome_package", "welcome_package")]
    {
        let moved = kim.move_case(&reference, action, "").await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{action}: {}", moved.body);
        assert_eq!(kim.case_json(&reference).await["stage"], stage);
    }
    let closed = kim
        .on_case(
            &reference,
            "transition",
            &[("action", "close"), ("outcome", "welcomed"), ("note", "Pakken er afleveret")],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);

    let case = kim.case_json(&reference).await;
    assert_eq!(case["stage"], "closed");
    assert_eq!(case["outcome"], "welcomed");
    for stage in ["visit", "move_in", "welcome_package", "closed"] {
        assert!(case["stage_dates"][stage].is_string(), "{stage} date recorded");
    }
    assert_eq!(kinds(&case), ["received", "assigned", "stage_changed", "stage_changed", "stage_changed", "closed"]);
    let events = pipeline_events(&case);
    assert_eq!(events[5]["note"], "Pakken er afleveret");
    assert_eq!(events[5]["actor"], "Kim Konsulent");

    // Closed cases leave the open queue but are found under closed.
    assert!(!kim.queue("").await.contains(&reference));
    assert!(kim.queue("?stage=closed").await.contains(&reference));
}

#[tokio::test]
async fn the_page_refuses_what_the_pipeline_forbids_and_says_why() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let reference = app.mover_submits(&[("name", "Bo"), ("email", "bo@example.dk")]).await;

    // Skipping to the welcome package: refused, with the reason, note kept.
    let refused = kim.move_case(&reference, "move:welcome_package", "springer frem").await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(html_unescape(&refused.body).contains(&l10n("da", "refusal-skips-a-stage")));
    assert!(refused.contains("springer frem"), "the note is kept");

    // Welcomed before the welcome package: refused.
    let early = kim.on_case(&reference, "transition", &[("action", "close"), ("outcome", "welcomed")]).await;
    assert_eq!(early.status, StatusCode::CONFLICT);

    // Skipping the visit is allowed and named on the timeline.
    assert_eq!(kim.move_case(&reference, "move:move_in", "").await.status, StatusCode::SEE_OTHER);
    // A step back needs a note.
    let no_note = kim.move_case(&reference, "back:information", " ").await;
    assert_eq!(no_note.status, StatusCode::CONFLICT);
    assert!(html_unescape(&no_note.body).contains(&l10n("da", "refusal-note-required")));
    assert_eq!(
        kim.move_case(&reference, "back:information", "Besøget blev aflyst").await.status,
        StatusCode::SEE_OTHER
    );

    // Close, then every move is refused until reopened with a note.
    let spam = kim.on_case(&reference, "transition", &[("action", "close"), ("outcome", "chose_elsewhere")]).await;
    assert_eq!(spam.status, StatusCode::SEE_OTHER);
    assert_eq!(kim.move_case(&reference, "move:visit", "").await.status, StatusCode::CONFLICT);
    assert_eq!(
        kim.on_case(&reference, "transition", &[("action", "reopen"), ("note", "")]).await.status,
        StatusCode::CONFLICT
    );
    let reopened = kim.on_case(&reference, "transition", &[("action", "reopen"), ("note", "Ringede igen")]).await;
    assert_eq!(reopened.status, StatusCode::SEE_OTHER);

    let case = kim.case_json(&reference).await;
    assert_eq!(case["stage"], "information");
    assert!(case["outcome"].is_null());
    assert_eq!(kinds(&case), ["received", "assigned", "visit_skipped", "stepped_back", "closed", "reopened"]);

    // Nonsense actions are refused without a 500.
    let nonsense = kim.on_case(&reference, "transition", &[("action", "move:nowhere")]).await;
    assert_eq!(nonsense.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_api_enforces_the_same_rules() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let created = app.api_inquiry(&json!({ "name": "Anna", "email": "anna@example.com", "language": "en" })).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let reference = created.json()["reference"].as_str().expect("reference").to_string();
    let path = format!("/api/v1/cases/{reference}/transitions");

    let refused = kim.api.post_json(&path, &json!({ "to": "welcome_package" })).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.json()["code"], "skips-a-stage", "{}", refused.body);
    assert!(refused.json()["error"].as_str().is_some_and(|e| !e.is_empty()), "and says why in words");

    let moved = kim.api.post_json(&path, &json!({ "to": "visit", "note": "Besøg aftalt" })).await;
    assert_eq!(moved.status, StatusCode::OK);
    assert_eq!(moved.json()["stage"], "visit");

    assert_eq!(kim.api.post_json(&path, &json!({ "to": "information" })).await.status, StatusCode::CONFLICT);
    let back = kim.api.post_json(&path, &json!({ "to": "information", "note": "Aflyst" })).await;
    assert_eq!(back.json()["stage"], "information");

    let closed = kim.api.post_json(&path, &json!({ "close": "no_response", "note": "Intet svar i 3 uger" })).await;
    assert_eq!(closed.json()["stage"], "closed");
    assert_eq!(closed.json()["outcome"], "no_response");
    assert_eq!(kim.api.post_json(&path, &json!({ "to": "visit" })).await.status, StatusCode::CONFLICT);
    assert_eq!(kim.api.post_json(&path, &json!({ "reopen": true })).await.status, StatusCode::CONFLICT);
    let reopened = kim.api.post_json(&path, &json!({ "reopen": true, "note": "Svarede alligevel" })).await;
    assert_eq!(reopened.json()["stage"], "information");
}

#[tokio::test]
async fn assigning_notes_and_first_contact_land_on_the_timeline() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let lis = app.consultant("Lis", "lis@kommune.dk").await;
    let reference = app.mover_submits(&[("name", "Ane"), ("email", "ane@example.dk")]).await;
    let before = kim.case_json(&reference).await;
    let other = if before["assignee"] == kim.id.as_str() { &lis } else { &kim };

    assert_eq!(kim.on_case(&reference, "assign", &[("assignee", &other.id)]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        kim.on_case(&reference, "notes", &[("note", "Ringede — svarede ikke")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(kim.on_case(&reference, "notes", &[("note", "   ")]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(kim.on_case(&reference, "contact", &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        kim.on_case(&reference, "assign", &[("assignee", "not-a-user")]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(kim.on_case(&reference, "assign", &[("assignee", "")]).await.status, StatusCode::SEE_OTHER);

    let case = kim.case_json(&reference).await;
    assert!(case["assignee"].is_null());
    assert!(case["first_contact_at"].is_string());
    assert_eq!(kinds(&case), ["received", "assigned", "assigned", "note_added", "first_contact", "unassigned"]);
    assert_eq!(pipeline_events(&case)[3]["note"], "Ringede — svarede ikke");

    // The page shows the timeline with the note, in English on request.
    let page = kim.browser.get(&format!("/cases/{reference}?lang=en")).await;
    assert!(page.contains("Note added") || page.contains("Note"));
    assert!(page.contains("Timeline"));
    assert!(html_unescape(&page.body).contains("Ringede — svarede ikke"));
}

#[tokio::test]
async fn open_case_counters_follow_assignment_and_closing() {
    let app = spawn_app().await;
    let admin = app.admin("Mette", "mette@kommune.dk").await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let r1 = app.mover_submits(&[("name", "A"), ("email", "a@example.dk")]).await;
    let r2 = app.mover_submits(&[("name", "B"), ("email", "b@example.dk")]).await;
    assert_eq!(kim.case_json(&r1).await["assignee"], kim.id.as_str());
    assert_eq!(kim.case_json(&r2).await["assignee"], kim.id.as_str());
    let users = admin.browser.get("/admin/users").await;
    assert!(users.status == StatusCode::OK);
    kim.api.post_json(&format!("/api/v1/cases/{r1}/transitions"), &json!({ "close": "spam" })).await;
    let count = app
        .db
        .read({
            let id = kim.id.clone();
            move |conn| Ok(velkomst::db::users::find(conn, &id)?.map(|u| u.open_cases))
        })
        .await
        .expect("read");
    assert_eq!(count, Some(1));
}
