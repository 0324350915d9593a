//! The first admin, adding a consultant, logging in and out, areas.

use reqwest::StatusCode;

use crate::helpers::{hidden_value, html_unescape, spawn_app, PASSWORD};

#[tokio::test]
async fn first_admin_from_the_printed_link_then_a_consultant_from_the_admin_page() {
    let app = spawn_app().await;
    let link = app.first_admin_link.clone().expect("an empty database prints a first-admin link");
    let path = link.trim_start_matches(&app.address).to_string();
    let admin = app.browser();

    // The link opens the first-admin form; weak input is refused and kept.
    let page = admin.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.contains("name=\"email\""));
    let refused = admin
        .submit(
            &path,
            &path,
            &[("name", "Mette Ærø"), ("email", "mette@kommune.dk"), ("password", "short"), ("password_again", "short")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.contains("value=\"mette@kommune.dk\""), "email kept");

    let done = admin
        .submit(
            &path,
            &path,
            &[
                ("name", "Mette Ærø"),
                ("email", "mette@kommune.dk"),
                ("password", PASSWORD),
                ("password_again", PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), "/login?setup=done");

    // Single use: the link is gone.
    assert_eq!(admin.get(&path).await.status, StatusCode::NOT_FOUND);

    let login = admin.login("Mette@Kommune.dk", PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    assert_eq!(login.location(), "/cases");
    assert!(admin.get("/cases").await.contains("Mette Ærø"));

    // The admin adds a consultant and hands over a one-time link.
    let created = admin
        .submit(
            "/admin/users",
            "/admin/users",
            &[("name", "Kim Konsulent"), ("email", "kim@kommune.dk"), ("role", "consultant")],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let body = html_unescape(&created.body);
    let start = body.find("/setup/").expect("a set-password link is shown");
    let token: String =
        body[start + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    let kim = app.browser();
    let setup = format!("/setup/{token}");
    let set = kim.submit(&setup, &setup, &[("password", PASSWORD), ("password_again", PASSWORD)]).await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    assert_eq!(kim.login("kim@kommune.dk", PASSWORD).await.status, StatusCode::SEE_OTHER);
    assert_eq!(kim.get("/cases").await.status, StatusCode::OK);

    // A consultant is not an admin.
    assert_eq!(kim.get("/admin/users").await.status, StatusCode::FORBIDDEN);

    // The same email twice is refused at its field.
    let dup = admin
        .submit(
            "/admin/users",
            "/admin/users",
            &[("name", "Kim Igen"), ("email", "KIM@kommune.dk"), ("role", "consultant")],
        )
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn login_refuses_wrong_passwords_and_unknown_emails_alike() {
    let app = spawn_app().await;
    app.add_user("consultant", "Kim", "kim@kommune.dk").await;
    let b = app.browser();
    let wrong = b.login("kim@kommune.dk", "not the password at all").await;
    let unknown = b.login("nobody@kommune.dk", "not the password at all").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    let text = |p: &crate::helpers::Page| p.body.replace("kim@kommune.dk", "").replace("nobody@kommune.dk", "");
    assert_eq!(
        text(&wrong).split("csrf_token").next().map(str::len),
        text(&unknown).split("csrf_token").next().map(str::len),
        "the two refusals look the same"
    );
    assert_eq!(b.get("/cases").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let page = kim.browser.get("/cases").await;
    assert_eq!(page.status, StatusCode::OK);
    // Keep the session cookie as an attacker who copied it would.
    let out = kim.browser.post_form("/logout", &[("csrf_token", &page.csrf_token())]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(kim.browser.get("/cases").await.location(), "/login");
}

#[tokio::test]
async fn a_new_session_id_at_every_login() {
    let app = spawn_app().await;
    app.add_user("consultant", "Kim", "kim@kommune.dk").await;
    let b = app.browser();
    let first = b.login("kim@kommune.dk", PASSWORD).await;
    // Logging in again from a logged-in browser (the login page itself
    // redirects, so post with the token from another page).
    let token = b.get("/cases").await.csrf_token();
    let second =
        b.post_form("/login", &[("csrf_token", &token), ("email", "kim@kommune.dk"), ("password", PASSWORD)]).await;
    let cookie = |p: &crate::helpers::Page| {
        p.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("velkomst_session="))
            .map(str::to_string)
            .expect("session cookie set")
    };
    let (a, c) = (cookie(&first), cookie(&second));
    assert_ne!(a, c);
    assert!(a.contains("HttpOnly") && a.contains("SameSite=Lax"));
}

#[tokio::test]
async fn deactivating_a_user_ends_their_sessions_and_tokens_at_once() {
    let app = spawn_app().await;
    let admin = app.admin("Mette", "mette@kommune.dk").await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    assert_eq!(kim.browser.get("/cases").await.status, StatusCode::OK);
    assert_eq!(kim.api.get("/api/v1/cases").await.status, StatusCode::OK);

    let off =
        admin.browser.submit("/admin/users", &format!("/admin/users/{}/active", kim.id), &[("active", "false")]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert_eq!(kim.browser.get("/cases").await.status, StatusCode::SEE_OTHER);
    assert_eq!(kim.api.get("/api/v1/cases").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.browser().login("kim@kommune.dk", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn inquiries_go_to_the_consultant_responsible_for_the_first_area() {
    let app = spawn_app().await;
    let admin = app.admin("Mette", "mette@kommune.dk").await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let _lis = app.consultant("Lis", "lis@kommune.dk").await;

    let page = admin.browser.get("/admin/areas").await;
    assert!(page.contains("Præstø"));
    let token = page.csrf_token();
    let saved = admin.browser.post_form("/admin/areas", &[("csrf_token", &token), ("area_praestoe", &kim.id)]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);

    for _ in 0..3 {
        let r = app
            .mover_submits(&[("name", "Ane"), ("email", "ane@example.dk"), ("areas", "praestoe"), ("areas", "stege")])
            .await;
        assert_eq!(kim.case_json(&r).await["assignee"], serde_json::Value::String(kim.id.clone()));
    }
    // Without a responsible consultant: the one with the fewest open cases (Lis, 0 vs 3).
    let r = app.mover_submits(&[("name", "Bo"), ("email", "bo@example.dk"), ("areas", "stege")]).await;
    let case = kim.case_json(&r).await;
    assert_eq!(case["assignee_name"], "Lis");
    assert_eq!(case["timeline"][1]["kind"], "assigned");
}

#[tokio::test]
async fn no_consultant_means_unassigned() {
    let app = spawn_app().await;
    let admin = app.admin("Mette", "mette@kommune.dk").await;
    let r = app.mover_submits(&[("name", "Ane"), ("email", "ane@example.dk")]).await;
    let case = admin.case_json(&r).await;
    assert!(case["assignee"].is_null());
    let queue = admin.queue("?assignee=unassigned").await;
    assert!(queue.contains(&r));
    let _ = hidden_value(&queue.body, "csrf_token").expect("logout form carries a token");
}
