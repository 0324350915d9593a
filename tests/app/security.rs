//! Security as a visitor, a mover, a consultant and an attacker meet it:
//! headers, CSRF, logins and roles, cookies, personal data in URLs, error
//! pages, the intake limit and the honeypot.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{html_unescape, l10n, spawn_app, spawn_app_with, Page, PASSWORD};

pub(crate) fn header(page: &Page, name: &str) -> String {
    page.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

fn set_cookies(page: &Page) -> Vec<String> {
    page.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect()
}

pub(crate) fn cookie_named(page: &Page, name: &str) -> Option<String> {
    set_cookies(page).into_iter().find(|c| c.starts_with(&format!("{name}=")))
}

#[tokio::test]
async fn state_changing_forms_refuse_a_missing_or_foreign_csrf_token_and_change_nothing() {
    let app = spawn_app().await;
    let mette = app.admin("Mette", "mette@kommune.dk").await;
    let kim_id = app.add_user("consultant", "Kim", "kim@kommune.dk").await;
    let kim_api = app.api(Some(&app.token_for(&kim_id).await));
    let created = app.api_inquiry(&json!({ "name": "Anna", "email": "anna@example.dk", "areas": ["stege"] })).await;
    let reference = created.json()["reference"].as_str().expect("reference").to_string();
    let before = mette.case_json(&reference).await;

    // A token that is valid, but for another browser's cookie.
    let stranger = app.browser();
    let foreign = stranger.get("/").await.csrf_token();
    let bad_tokens: [Option<&str>; 4] = [None, Some(""), Some("forged"), Some(&foreign)];
    let case = |action: &str| format!("/cases/{reference}/{action}");
    let active = format!("/admin/users/{kim_id}/active");
    let routes: Vec<(String, Vec<(&str, &str)>)> = vec![
        (case("transition"), vec![("action", "move:visit"), ("note", "forged")]),
        (case("assign"), vec![("assignee", mette.id.as_str())]),
        (case("notes"), vec![("note", "forged note")]),
        (case("contact"), vec![("note", "forged contact")]),
        ("/admin/users".into(), vec![("name", "Eve"), ("email", "eve@evil.dk"), ("role", "admin")]),
        (active, vec![("active", "false")]),
        ("/admin/areas".into(), vec![("area_stege", mette.id.as_str())]),
        ("/logout".into(), vec![]),
    ];
    for (path, fields) in &routes {
        for token in bad_tokens {
            let mut all = fields.clone();
            if let Some(t) = token {
                all.push(("csrf_token", t));
            }
            let page = mette.browser.post_form(path, &all).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{path} with token {token:?}");
        }
    }
    // Logging in needs the token too, and a refused login sets no session.
    let b = app.browser();
    b.get("/login").await;
    for token in bad_tokens {
        let mut fields = vec![("email", "mette@kommune.dk"), ("password", PASSWORD)];
        if let Some(t) = token {
            fields.push(("csrf_token", t));
        }
        let page = b.post_form("/login", &fields).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "login with token {token:?}");
        assert!(cookie_named(&page, "velkomst_session").is_none(), "no session from a refused login");
    }
    assert_eq!(b.get("/cases").await.status, StatusCode::SEE_OTHER, "still logged out");

    // Nothing changed.
    let after = mette.case_json(&reference).await;
    assert_eq!(after["stage"], "information");
    assert_eq!(after["assignee"], before["assignee"]);
    assert!(after["first_contact_at"].is_null());
    assert_eq!(after["timeline"], before["timeline"], "no event was written");
    assert_eq!(mette.browser.get("/cases").await.status, StatusCode::OK, "Mette is still logged in");
    assert_eq!(kim_api.get("/api/v1/cases").await.status, StatusCode::OK, "Kim is still active");
    let users = mette.browser.get("/admin/users").await;
    assert!(!users.contains("eve@evil.dk"), "no user was added");
    let areas = mette.browser.get("/admin/areas").await;
    assert!(!areas.contains(&format!("value=\"{}\" selected", mette.id)), "no area responsibility was set");

    // The same request with this browser's own token works.
    let moved = mette.move_case(&reference, "move:visit", "").await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert_eq!(mette.case_json(&reference).await["stage"], "visit");
}

#[tokio::test]
async fn staff_pages_need_a_login_and_the_right_role() {
    let app = spawn_app().await;
    let reference = app.mover_submits(&[("name", "Anna"), ("email", "anna@example.dk")]).await;
    let anonymous = app.browser();
    for path in [
        "/cases".to_string(),
        "/cases?stage=visit".to_string(),
        format!("/cases/{reference}"),
        "/cases/VK-2026-ZZZZZZ".to_string(),
        "/admin/users".to_string(),
        "/admin/areas".to_string(),
    ] {
        let page = anonymous.get(&path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(page.location(), "/login", "{path}");
        assert!(!page.contains("Anna"), "{path} shows nothing before the login");
    }

    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    for path in ["/cases/VK-2026-ZZZZZZ", "/cases/vk-2026-zzzzzz", "/cases/garbage", "/cases/'%20OR%201=1%20--"] {
        let page = kim.browser.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(kim.browser.get(&format!("/cases/{reference}")).await.status, StatusCode::OK);
    for path in ["/admin/users", "/admin/areas"] {
        assert_eq!(kim.browser.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    // The admin forms refuse a consultant even with a good token.
    let token = kim.browser.get("/cases").await.csrf_token();
    let add = kim
        .browser
        .post_form(
            "/admin/users",
            &[("csrf_token", &token), ("name", "Eve"), ("email", "eve@evil.dk"), ("role", "admin")],
        )
        .await;
    assert_eq!(add.status, StatusCode::FORBIDDEN);
    let areas = kim.browser.post_form("/admin/areas", &[("csrf_token", &token), ("area_stege", &kim.id)]).await;
    assert_eq!(areas.status, StatusCode::FORBIDDEN);
    assert_eq!(app.browser().login("eve@evil.dk", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn actions_on_an_unknown_case_are_not_found() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let token = kim.browser.get("/cases").await.csrf_token();
    for reference in ["VK-2026-ZZZZZZ", "garbage"] {
        for (action, fields) in [
            ("transition", vec![("action", "move:visit"), ("note", "")]),
            ("assign", vec![("assignee", kim.id.as_str())]),
            ("notes", vec![("note", "Hej")]),
            ("contact", vec![("note", "")]),
        ] {
            let mut all = vec![("csrf_token", token.as_str())];
            all.extend(fields);
            let page = kim.browser.post_form(&format!("/cases/{reference}/{action}"), &all).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{action} on {reference}");
        }
    }
}

/// CONTRACT.md: staff pages answer "404 (not 403) for a case the user may
/// not see", so an ambassador learns nothing about which references exist.
#[tokio::test]
async fn an_ambassador_gets_not_found_for_case_pages() {
    let app = spawn_app().await;
    let reference = app.mover_submits(&[("name", "Anna Hemmelig"), ("email", "anna@example.dk")]).await;
    app.add_user("ambassador", "Ane Ambassadør", "ane@forening.dk").await;
    let ane = app.browser();
    assert_eq!(ane.login("ane@forening.dk", PASSWORD).await.status, StatusCode::SEE_OTHER);
    for path in ["/cases", "/admin/users", "/admin/areas"] {
        let page = ane.get(path).await;
        assert_ne!(page.status, StatusCode::OK, "{path}");
        assert!(!page.contains("Anna Hemmelig"), "{path}");
    }
    for path in [format!("/cases/{reference}"), "/cases/VK-2026-ZZZZZZ".to_string()] {
        let page = ane.get(&path).await;
        assert!(!page.contains("Anna Hemmelig"), "{path}");
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn personal_data_never_lands_in_urls_or_on_the_receipt() {
    let app = spawn_app().await;
    let b = app.browser();
    let page = b
        .submit_inquiry(&[
            ("name", "Hemmelig Hansen"),
            ("email", "hemmelig@example.dk"),
            ("phone", "+45 11223344"),
            ("moving_from", "Hemmeligby"),
        ])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let location = page.location();
    let reference = location.strip_prefix("/received/").expect("the receipt URL").to_string();
    assert!(reference.starts_with("VK-") && reference.len() == "VK-2026-XXXXXX".len(), "{location}");
    assert!(reference.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'), "{location}");

    let receipt = b.get(&location).await;
    assert_eq!(receipt.status, StatusCode::OK);
    assert!(receipt.contains(&reference), "the receipt shows the reference");
    let text = html_unescape(&receipt.body).to_lowercase();
    for secret in ["hemmelig", "hansen", "11223344", "example.dk"] {
        assert!(!text.contains(secret), "the receipt does not show {secret:?}");
    }
    // The JSON intake answers with the reference only.
    let created = app.api_inquiry(&json!({ "name": "Hemmelig Hansen", "email": "hemmelig@example.dk" })).await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert!(!created.body.to_lowercase().contains("hemmelig"), "{}", created.body);
    // An unknown receipt is simply not found.
    assert_eq!(b.get("/received/VK-2026-ZZZZZZ").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn error_pages_show_no_internals() {
    let app = spawn_app().await;
    let b = app.browser();
    let leaks = ["panicked", "backtrace", "src/", ".rs:", "diesel", "actix", "tera", "stack", "sqlite", "postgres"];

    let page = b.get("/nothing/here").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(header(&page, "content-type").starts_with("text/html"), "{}", header(&page, "content-type"));
    assert!(page.contains("<html") && page.contains(&l10n("da", "error-page-not-found")), "a friendly page");
    let lower = page.body.to_lowercase();
    for leak in leaks {
        assert!(!lower.contains(leak), "the 404 page shows no {leak:?}");
    }

    for path in ["/api/v1/nothing", "/api/v1/cases/VK-2026-ZZZZZZ/nothing"] {
        let page = app.api(None).get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(header(&page, "content-type").starts_with("application/json"), "{path}");
        assert!(page.json()["error"].is_string(), "{path}: {}", page.body);
    }
    let id = app.add_user("consultant", "Kim", "kim@kommune.dk").await;
    let api = app.api(Some(&app.token_for(&id).await));
    let page = api.get("/api/v1/cases/VK-2026-ZZZZZZ").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.json()["error"].is_string());
    let page = api.post_raw("/api/v1/inquiries", "application/json", "{\"name\":").await;
    let lower = page.json()["error"].as_str().expect("error").to_lowercase();
    for leak in ["panicked", "src/", "diesel", "actix"] {
        assert!(!lower.contains(leak), "the 400 shows no {leak:?}");
    }

    // A real 500: the table the case page and the API read the timeline from
    // is gone, so the database answers with an error naming it.
    let kim = app.consultant("Kim Konsulent", "kim.k@kommune.dk").await;
    let reference = app.mover_submits(&[("name", "Anna"), ("email", "anna@example.dk")]).await;
    app.db
        .write(|conn| {
            use diesel::RunQueryDsl;
            let sql = "ALTER TABLE case_events RENAME TO case_events_gone";
            match conn {
                velkomst::db::Conn::Sqlite(c) => diesel::sql_query(sql).execute(c),
                velkomst::db::Conn::Pg(c) => diesel::sql_query(sql).execute(c),
            }
            .expect("table renamed");
            Ok(())
        })
        .await
        .expect("broken on purpose");
    let leaks = [&leaks[..], &["case_events", "no such table", "does not exist", "relation"]].concat();
    let page = kim.browser.get(&format!("/cases/{reference}")).await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", page.body);
    assert!(header(&page, "content-type").starts_with("text/html"), "{}", header(&page, "content-type"));
    let id = correlation_id(&page.body).expect("the page shows a correlation id");
    assert!(page.contains("<html") && page.contains(&l10n("da", "error-page-internal")), "a friendly page");
    let lower = page.body.to_lowercase();
    for leak in &leaks {
        assert!(!lower.contains(leak), "the 500 page shows no {leak:?}");
    }
    let answer = kim.api.get(&format!("/api/v1/cases/{reference}")).await;
    assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", answer.body);
    let other = answer.json()["correlation_id"].as_str().expect("the JSON names a correlation id").to_string();
    assert!(other.len() >= 8 && other != id, "one id per failure: {id} {other}");
    let lower = answer.json()["error"].as_str().expect("error").to_lowercase();
    for leak in &leaks {
        assert!(!lower.contains(leak), "the JSON 500 shows no {leak:?}");
    }
}

/// The id in `<code>…</code>` on an error page.
fn correlation_id(html: &str) -> Option<String> {
    let start = html.find("<code>")? + "<code>".len();
    let id = &html[start..start + html[start..].find("</code>")?];
    (id.len() >= 8 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')).then(|| id.to_string())
}

#[tokio::test]
async fn the_intake_limit_counts_accepted_inquiries_only() {
    let app = spawn_app_with(|s| s.intake.limit_per_hour = 3).await;
    let b = app.browser();
    // A person correcting their form is never blocked: refusals do not count.
    for _ in 0..3 {
        let refused = b.submit_inquiry(&[("name", "Åse"), ("email", "not an email")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let refused = app.api_inquiry(&json!({ "name": "Åse", "email": "nope" })).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    let ok = [("name", "Åse"), ("email", "aase@example.dk")];
    assert_eq!(b.submit_inquiry(&ok).await.status, StatusCode::SEE_OTHER);
    let api = app.api_inquiry(&json!({ "name": "Åse", "email": "aase@example.dk" })).await;
    assert_eq!(api.status, StatusCode::CREATED);
    assert_eq!(app.browser().submit_inquiry(&ok).await.status, StatusCode::SEE_OTHER, "a new browser, same address");

    let retry_after = |p: &Page| {
        let secs: u64 = header(p, "retry-after").parse().expect("Retry-After is whole seconds");
        assert!((1..=3600).contains(&secs), "Retry-After {secs}");
    };
    let form = b.submit_inquiry(&ok).await;
    assert_eq!(form.status, StatusCode::TOO_MANY_REQUESTS);
    retry_after(&form);
    assert!(header(&form, "content-type").starts_with("text/html"));
    let api = app.api_inquiry(&json!({ "name": "Åse", "email": "aase@example.dk" })).await;
    assert_eq!(api.status, StatusCode::TOO_MANY_REQUESTS);
    retry_after(&api);
    assert!(api.json()["error"].is_string());
}

#[tokio::test]
async fn the_honeypot_catches_bots_and_no_case_is_created() {
    let app = spawn_app().await;
    let id = app.add_user("consultant", "Kim", "kim@kommune.dk").await;
    let staff = app.api(Some(&app.token_for(&id).await));
    let form = app.browser().get("/").await;
    assert!(form.contains("name=\"website\""), "the form has the hidden field");

    let bot = app
        .browser()
        .submit_inquiry(&[("name", "Cheap Pills"), ("email", "bot@spam.example"), ("website", "http://spam.example")])
        .await;
    assert!(bot.status.is_client_error(), "{}", bot.status);
    let api = app
        .api_inquiry(&json!({ "name": "Cheap Pills", "email": "bot@spam.example", "website": "http://spam.example" }))
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(api.json()["errors"][0]["field"], "website");

    let listed = staff.get("/api/v1/cases?stage=closed").await.json();
    assert_eq!(listed["cases"].as_array().map(Vec::len), Some(0));
    let listed = staff.get("/api/v1/cases").await.json();
    assert_eq!(listed["cases"].as_array().map(Vec::len), Some(0), "no case from a bot");
}

#[tokio::test]
async fn healthz_answers_ok() {
    let app = spawn_app().await;
    let page = app.browser().get("/healthz").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.json(), json!({ "status": "ok" }));
}
