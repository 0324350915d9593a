//! Issue 11, getting back in: "forgot password" emails a single-use,
//! short-lived link through the outbox without telling whether the address
//! has an account; an admin can send the same link. Also the token scopes
//! of `/metrics` and the intake API.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

/// The password-reset emails in the outbox, to `address`.
async fn reset_emails(app: &TestApp, address: &'static str) -> Vec<velkomst::db::outbox::OutboxEmail> {
    app.db
        .read(move |c| velkomst::db::outbox::list(c, "pending", 1000))
        .await
        .expect("outbox")
        .into_iter()
        .map(|(m, _)| m)
        .filter(|m| m.template == "password_reset" && m.recipient == address)
        .collect()
}

/// Waits (a little) for the emails that the forgot form queues after
/// answering.
async fn wait_for_reset_emails(
    app: &TestApp,
    address: &'static str,
    n: usize,
) -> Vec<velkomst::db::outbox::OutboxEmail> {
    for _ in 0..100 {
        let list = reset_emails(app, address).await;
        if list.len() >= n {
            return list;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    reset_emails(app, address).await
}

fn reset_path(text: &str) -> String {
    let start = text.find("/reset/").expect("a reset link in the email");
    text[start..].split_whitespace().next().expect("link").to_string()
}

#[tokio::test]
async fn a_forgotten_password_is_recovered_by_email_without_revealing_accounts() {
    let app = spawn_app().await;
    app.add_user("consultant", "Kim Holm", "kim@kommune.dk").await;
    let login = app.browser().get("/login").await;
    assert!(login.contains("href=\"/login/forgot\""), "the login page links to it");

    let b = app.browser();
    let known = b.submit("/login/forgot", "/login/forgot", &[("email", "Kim@Kommune.dk")]).await;
    let unknown = b.submit("/login/forgot", "/login/forgot", &[("email", "nobody@kommune.dk")]).await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(unknown.status, known.status);
    assert_eq!(unknown.body, known.body, "the same answer either way");
    assert!(known.contains(&l10n("da", "forgot-sent")));

    let emails = wait_for_reset_emails(&app, "kim@kommune.dk", 1).await;
    assert_eq!(emails.len(), 1, "one email to the account");
    let all = app.db.read(|c| velkomst::db::outbox::list(c, "pending", 1000)).await.expect("outbox");
    assert!(all.iter().all(|(m, _)| m.recipient != "nobody@kommune.dk"), "nothing to an unknown address");
    // Asking again at once sends no second email (no inbox flooding).
    b.submit("/login/forgot", "/login/forgot", &[("email", "kim@kommune.dk")]).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(reset_emails(&app, "kim@kommune.dk").await.len(), 1);

    let path = reset_path(&emails[0].body_text);
    let token = path.trim_start_matches("/reset/").to_string();
    // Stored hashed: the token itself is in no table row of links.
    let stored = app
        .db
        .read(|c| {
            use diesel::prelude::*;
            use velkomst::db::schema::setup_links;
            Ok(setup_links::table.select(setup_links::token_hash).load::<String>(c)?)
        })
        .await
        .expect("links");
    assert!(stored.contains(&velkomst::crypto::token_hash(&token)) && !stored.contains(&token));

    let new = "the ferry to Bogø leaves at nine";
    let page = app.browser().get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    let reset = app.browser();
    let done = reset.submit(&path, &path, &[("password", new), ("password_again", new)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(app.browser().login("kim@kommune.dk", new).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.browser().login("kim@kommune.dk", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    // Single use.
    assert_eq!(app.browser().get(&path).await.status, StatusCode::NOT_FOUND);
    // Never in the logs.
    assert!(!captured_logs().contains(&token), "the reset token reached the log");
    // Recorded, with the reset itself.
    let kinds = app
        .db
        .read(|c| Ok(velkomst::db::audit::page(c, None, 0, 100)?.0))
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.kind)
        .collect::<Vec<_>>();
    assert!(kinds.contains(&"password_reset_requested".to_string()) && kinds.contains(&"password_reset".to_string()));
}

#[tokio::test]
async fn a_reset_link_expires() {
    let app = spawn_app_with(|s| s.auth.reset_link_minutes = 0).await;
    app.add_user("consultant", "Kim Holm", "kim@kommune.dk").await;
    app.browser().submit("/login/forgot", "/login/forgot", &[("email", "kim@kommune.dk")]).await;
    let emails = wait_for_reset_emails(&app, "kim@kommune.dk", 1).await;
    let path = reset_path(&emails[0].body_text);
    assert_eq!(app.browser().get(&path).await.status, StatusCode::NOT_FOUND, "an expired link is dead");
}

#[tokio::test]
async fn an_admin_emails_a_reset_link_to_a_stranded_user() {
    let app = spawn_app().await;
    let admin = app.admin("Mette Admin", "mette@kommune.dk").await;
    let kim = app.add_user("consultant", "Kim Holm", "kim@kommune.dk").await;
    let action = format!("/admin/users/{kim}/reset-link");
    assert!(admin.browser.get("/admin/users").await.contains(&action));
    let done = admin.browser.submit("/admin/users", &action, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), "/admin/users?reset=sent");
    assert_eq!(reset_emails(&app, "kim@kommune.dk").await.len(), 1);
    let consultant = app.consultant("Lis Berg", "lis@kommune.dk").await;
    let token = consultant.browser.get("/cases").await.csrf_token();
    let refused = consultant.browser.post_form(&action, &[("csrf_token", token.as_str())]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

/// A token for `user_id` with exactly `scopes`, as `token create --scope` makes.
async fn scoped_token(app: &TestApp, user_id: &str, scopes: &'static [&'static str]) -> String {
    let token = format!("vk_{}", velkomst::crypto::random_token());
    let (hash, id) = (velkomst::crypto::token_hash(&token), user_id.to_string());
    app.db
        .write(move |c| {
            velkomst::workflow::accounts::create_token(c, &id, "scoped", &hash, scopes, velkomst::db::now(), None)
        })
        .await
        .expect("token");
    token
}

#[tokio::test]
async fn metrics_take_a_token_with_just_the_metrics_scope() {
    let app = spawn_app().await;
    let admin = app.add_user("admin", "Mette Admin", "mette@kommune.dk").await;
    let scraper = scoped_token(&app, &admin, &["metrics"]).await;
    let reader = scoped_token(&app, &admin, &["read"]).await;
    let page = app.api(Some(&scraper)).get("/metrics").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.contains("velkomst_http_requests_total"));
    assert_eq!(app.api(Some(&reader)).get("/metrics").await.status, StatusCode::FORBIDDEN);
    // The scraper's token reaches nothing else.
    assert_eq!(app.api(Some(&scraper)).get("/api/v1/cases").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_integration_token_with_the_intake_scope_is_not_held_to_the_address_limit() {
    let app = spawn_app_with(|s| s.intake.limit_per_hour = 1).await;
    let kim = app.add_user("consultant", "Kim Holm", "kim@kommune.dk").await;
    let intake = scoped_token(&app, &kim, &["intake"]).await;
    let reader = scoped_token(&app, &kim, &["read"]).await;
    let body = json!({ "name": "Mia Moe", "email": "mia@example.dk" });
    assert_eq!(app.api_inquiry(&body).await.status, StatusCode::CREATED);
    assert_eq!(app.api_inquiry(&body).await.status, StatusCode::TOO_MANY_REQUESTS, "the public limit holds");
    for _ in 0..3 {
        let page = app.api(Some(&intake)).post_json("/api/v1/inquiries", &body).await;
        assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    }
    let page = app.api(Some(&reader)).post_json("/api/v1/inquiries", &body).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "a token without the intake scope");
    let page = app.api(Some("vk_not_a_token")).post_json("/api/v1/inquiries", &body).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
}
