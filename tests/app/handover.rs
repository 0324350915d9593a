//! Staff coming and going (issue 12): deactivating a consultant asks where
//! their open cases go; an absence hands them to a stand-in (vikar) and
//! back. Every case that changes hands says so on its timeline.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{hidden_value, html_unescape, l10n, spawn_app, Staff, TestApp};

async fn mover(app: &TestApp, name: &str) -> String {
    let page = app.api_inquiry(&json!({ "name": name, "email": format!("{}@example.dk", name.to_lowercase()) })).await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    page.json()["reference"].as_str().expect("reference").to_string()
}

/// The case's hand-over events (`because` set), oldest first.
fn handovers(case: &Value) -> Vec<Value> {
    case["timeline"].as_array().expect("timeline").iter().filter(|e| e.get("because").is_some()).cloned().collect()
}

async fn open_cases(admin: &Staff, user_id: &str) -> i64 {
    let page = admin.api.get(&format!("/api/v1/cases?assignee={user_id}&limit=100")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.json()["cases"].as_array().expect("cases").len() as i64
}

#[tokio::test]
async fn deactivating_a_consultant_asks_first_and_hands_their_cases_to_the_one_chosen() {
    let app = spawn_app().await;
    let admin = app.admin("Mette Admin", "mette@kommune.dk").await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let a = mover(&app, "Anna").await;
    let b = mover(&app, "Bo").await;
    assert_eq!(admin.case_json(&a).await["assignee"], kim.id.as_str());
    let lis = app.consultant("Lis", "lis@kommune.dk").await;

    // The users page links to a confirmation page; nothing acts on one click.
    let users = admin.browser.get("/admin/users").await;
    let confirm_path = format!("/admin/users/{}/deactivate", kim.id);
    assert!(users.contains(&format!("href=\"{confirm_path}\"")), "{}", users.body);
    let confirm = admin.browser.get(&confirm_path).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(
        confirm.contains("name=\"hand_to\"") && confirm.contains(&lis.id) && confirm.contains("value=\"unassigned\"")
    );
    assert!(confirm.contains(&a) && confirm.contains(&b), "the open cases are listed");
    assert!(!confirm.contains(&format!("value=\"{}\"", kim.id)), "not to themselves");

    // Not chosen: refused at the field, which the message names; Kim stays active.
    let action = format!("/admin/users/{}/active", kim.id);
    let refused = admin.browser.submit(&confirm_path, &action, &[("active", "false"), ("hand_to", "")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = l10n("da", "staffing-refusal-choose-hand-to");
    assert!(html_unescape(&refused.body).contains(&message), "{}", refused.body);
    assert!(refused.contains("href=\"#field-hand_to\"") && refused.contains("aria-invalid=\"true\""));
    assert_eq!(kim.browser.get("/cases").await.status, StatusCode::OK, "still signed in");
    // A deactivated or unknown person cannot take them.
    let bad = admin.browser.submit(&confirm_path, &action, &[("active", "false"), ("hand_to", &kim.id)]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    let done = admin.browser.submit(&confirm_path, &action, &[("active", "false"), ("hand_to", &lis.id)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/admin/users?done=deactivated&n=2#user-list");
    let said = admin.browser.get("/admin/users?done=deactivated&n=2").await;
    assert!(said.contains("role=\"status\""));
    assert_eq!(kim.browser.get("/cases").await.status, StatusCode::SEE_OTHER, "signed out");

    for r in [&a, &b] {
        let case = admin.case_json(r).await;
        assert_eq!(case["assignee"], lis.id.as_str());
        let h = handovers(&case);
        assert_eq!(h.len(), 1, "{h:?}");
        assert_eq!(h[0]["kind"], "assigned");
        assert_eq!(h[0]["because"], "deactivated");
        assert_eq!(h[0]["previous"], kim.id.as_str());
    }
    assert_eq!(open_cases(&admin, &lis.id).await, 2);
    // The case page says why on the timeline.
    let page = admin.browser.get(&format!("/cases/{a}")).await;
    assert!(page.contains(&l10n("da", "event-because-deactivated")));
}

#[tokio::test]
async fn a_deactivated_consultants_cases_can_go_back_to_the_queue_unassigned() {
    let app = spawn_app().await;
    let admin = app.admin("Mette Admin", "mette@kommune.dk").await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let a = mover(&app, "Anna").await;
    let confirm_path = format!("/admin/users/{}/deactivate", kim.id);
    let action = format!("/admin/users/{}/active", kim.id);
    let done = admin.browser.submit(&confirm_path, &action, &[("active", "false"), ("hand_to", "unassigned")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let case = admin.case_json(&a).await;
    assert!(case["assignee"].is_null());
    let h = handovers(&case);
    assert_eq!(h.len(), 1);
    assert_eq!(h[0]["kind"], "unassigned");
    assert_eq!(h[0]["because"], "deactivated");
    // With no open cases, nothing has to be chosen.
    let lis = app.consultant("Lis", "lis@kommune.dk").await;
    let off = admin
        .browser
        .submit(
            &format!("/admin/users/{}/deactivate", lis.id),
            &format!("/admin/users/{}/active", lis.id),
            &[("active", "false")],
        )
        .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert_eq!(off.location(), "/admin/users?done=deactivated&n=0#user-list");
}

#[tokio::test]
async fn a_stand_in_takes_the_cases_while_a_consultant_is_away_and_they_come_back() {
    let app = spawn_app().await;
    let admin = app.admin("Mette Admin", "mette@kommune.dk").await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let a = mover(&app, "Anna").await;
    let b = mover(&app, "Bo").await;
    let lis = app.consultant("Lis", "lis@kommune.dk").await;
    // Kim is responsible for Præstø: new Præstø cases would go to Kim.
    let areas = admin.browser.get("/admin/areas").await;
    let token = areas.csrf_token();
    let saved = admin.browser.post_form("/admin/areas", &[("csrf_token", &token), ("area_praestoe", &kim.id)]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);

    let away_path = format!("/admin/users/{}/away", kim.id);
    let users = admin.browser.get("/admin/users").await;
    assert!(users.contains(&format!("href=\"{away_path}\"")));
    let page = admin.browser.get(&away_path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.contains("name=\"substitute\"") && page.contains(&lis.id));

    // No stand-in chosen: refused at the field, named.
    let refused = admin.browser.submit(&away_path, &away_path, &[("substitute", "")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html_unescape(&refused.body).contains(&l10n("da", "staffing-refusal-choose-substitute")));
    assert!(refused.contains("href=\"#field-substitute\""));

    let started = admin.browser.submit(&away_path, &away_path, &[("substitute", &lis.id)]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    assert_eq!(started.location(), "/admin/users?done=away&n=2#user-list");
    for r in [&a, &b] {
        let case = admin.case_json(r).await;
        assert_eq!(case["assignee"], lis.id.as_str());
        assert_eq!(handovers(&case)[0]["because"], "away");
    }
    let users = admin.browser.get("/admin/users").await;
    assert!(html_unescape(&users.body).contains("Lis"), "the list says who stands in");
    // Kim cannot stand in for anyone while away, and Lis cannot go away while standing in.
    let lis_away = format!("/admin/users/{}/away", lis.id);
    let nested = admin.browser.submit(&lis_away, &lis_away, &[("substitute", &admin.id)]).await;
    assert_eq!(nested.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html_unescape(&nested.body).contains(&l10n("da", "staffing-refusal-is-stand-in")));

    // New cases that would have gone to Kim go to Lis: by area, and by the
    // fewest-open-cases rule (Kim, with none now, is skipped while away).
    let c = app.api_inquiry(&json!({ "name": "Cai", "email": "cai@example.dk", "areas": ["praestoe"] })).await;
    let c = c.json()["reference"].as_str().expect("reference").to_string();
    assert_eq!(admin.case_json(&c).await["assignee"], lis.id.as_str());
    let d = mover(&app, "Dora").await;
    assert_eq!(admin.case_json(&d).await["assignee"], lis.id.as_str());

    // Lis passes Bo's case to Mette meanwhile: it stays with Mette.
    let assign = lis.on_case(&b, "assign", &[("assignee", &admin.id)]).await;
    assert_eq!(assign.status, StatusCode::SEE_OTHER);

    // Kim is back: what Lis still holds from the absence comes back, each with an event.
    let back = admin.browser.submit(&away_path, &format!("/admin/users/{}/back", kim.id), &[]).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
    assert_eq!(back.location(), "/admin/users?done=back&n=2#user-list");
    let case_a = admin.case_json(&a).await;
    assert_eq!(case_a["assignee"], kim.id.as_str());
    let h = handovers(&case_a);
    assert_eq!(h.len(), 2);
    assert_eq!(h[1]["because"], "back");
    assert_eq!(admin.case_json(&c).await["assignee"], kim.id.as_str(), "the Præstø case comes to Kim");
    assert_eq!(admin.case_json(&b).await["assignee"], admin.id.as_str(), "passed on: stays");
    assert_eq!(admin.case_json(&d).await["assignee"], lis.id.as_str(), "never Kim's: stays with Lis");
    assert_eq!(open_cases(&admin, &kim.id).await, 2);
    // Back again is harmless.
    let again = admin.browser.submit("/admin/users", &format!("/admin/users/{}/back", kim.id), &[]).await;
    assert_eq!(again.location(), "/admin/users?done=back&n=0#user-list");
}

#[tokio::test]
async fn the_areas_page_is_in_the_admin_menu() {
    let app = spawn_app().await;
    let admin = app.admin("Mette Admin", "mette@kommune.dk").await;
    let cases = admin.browser.get("/cases").await;
    assert!(cases.contains("href=\"/admin/areas\""), "in the menu on every page");
    let areas = admin.browser.get("/admin/areas").await;
    assert!(areas.contains("aria-current=\"page\""), "marked as the current page");
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    assert!(!kim.browser.get("/cases").await.contains("href=\"/admin/areas\""), "admins only");
    assert!(hidden_value(&areas.body, "csrf_token").is_some());
}
