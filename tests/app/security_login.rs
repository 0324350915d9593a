//! Issue 11, the login under attack: throttling with growing delays,
//! client addresses behind trusted proxies, token paths kept out of the
//! logs, and ambassador links that die soon after being opened.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

fn header(page: &Page, name: &str) -> Option<String> {
    page.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

#[tokio::test]
async fn wrong_passwords_slow_the_account_down_and_the_right_one_must_wait_too() {
    let app = spawn_app().await;
    app.add_user("consultant", "Kim Holm", "kim@kommune.dk").await;
    app.add_user("consultant", "Ida Berg", "ida@kommune.dk").await;
    let attacker = app.browser();
    for i in 0..5 {
        let page = attacker.login("kim@kommune.dk", &format!("guess number {i}")).await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "failure {i} costs nothing yet");
    }
    // The sixth attempt waits, whatever the password: no password check,
    // no session, and the answer says when to come back.
    let page = attacker.login("kim@kommune.dk", PASSWORD).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = header(&page, "retry-after").expect("Retry-After").parse().expect("seconds");
    assert!(retry >= 1);
    assert!(header(&page, "set-cookie").is_none_or(|c| !c.contains("velkomst_session")), "no session");
    assert!(page.contains("Vent lidt") || page.contains("Wait a little"), "the page says why");
    // The same for an unknown account, so throttling reveals no accounts.
    for i in 0..5 {
        attacker.login("nobody@kommune.dk", &format!("guess {i}")).await;
    }
    assert_eq!(attacker.login("nobody@kommune.dk", "x").await.status, StatusCode::TOO_MANY_REQUESTS);
    // Another account from the same address is not locked out.
    assert_eq!(app.browser().login("ida@kommune.dk", PASSWORD).await.status, StatusCode::SEE_OTHER);
    // The event is logged with the account as a keyed hash, never the email.
    let logs = captured_logs();
    assert!(logs.contains("login throttled"), "throttling is logged");
    assert!(!logs.lines().any(|l| l.contains("login") && l.contains("kim@kommune.dk")), "no email in the log");
}

#[tokio::test]
async fn one_address_trying_many_accounts_is_slowed_too() {
    let app = spawn_app_with(|s| s.auth.throttle_client_free = 3).await;
    let b = app.browser();
    for i in 0..3 {
        assert_eq!(b.login(&format!("user{i}@kommune.dk"), "wrong password!").await.status, StatusCode::UNAUTHORIZED);
    }
    let page = b.login("user9@kommune.dk", "wrong password!").await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(header(&page, "retry-after").is_some());
}

async fn inquiry_from(app: &TestApp, forwarded_for: Option<&str>) -> StatusCode {
    let body = json!({ "name": "Mia Moe", "email": "mia@example.dk" });
    let client = reqwest::Client::new();
    let mut req = client.post(format!("{}/api/v1/inquiries", app.address)).json(&body);
    if let Some(xff) = forwarded_for {
        req = req.header("x-forwarded-for", xff);
    }
    req.send().await.expect("POST").status()
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_intake_limit_counts_each_client_not_the_proxy() {
    let app = spawn_app_with(|s| {
        s.intake.limit_per_hour = 2;
        s.trusted_proxies = velkomst::domain::net::parse_list("127.0.0.1").expect("list");
    })
    .await;
    // One person fills their own share ...
    assert_eq!(inquiry_from(&app, Some("198.51.100.1")).await, StatusCode::CREATED);
    assert_eq!(inquiry_from(&app, Some("6.6.6.6, 198.51.100.1")).await, StatusCode::CREATED);
    assert_eq!(inquiry_from(&app, Some("198.51.100.1")).await, StatusCode::TOO_MANY_REQUESTS);
    // ... and a spoofed left-hand address does not get them round it ...
    assert_eq!(inquiry_from(&app, Some("203.0.113.77, 198.51.100.1")).await, StatusCode::TOO_MANY_REQUESTS);
    // ... while everybody else behind the same proxy still gets through.
    assert_eq!(inquiry_from(&app, Some("198.51.100.2")).await, StatusCode::CREATED);
    // IPv6 clients are counted by their /64.
    assert_eq!(inquiry_from(&app, Some("2001:db8:1:2::1")).await, StatusCode::CREATED);
    assert_eq!(inquiry_from(&app, Some("2001:db8:1:2::2")).await, StatusCode::CREATED);
    assert_eq!(inquiry_from(&app, Some("2001:db8:1:2:ffff::3")).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(inquiry_from(&app, Some("2001:db8:1:3::1")).await, StatusCode::CREATED);
}

#[tokio::test]
async fn without_trusted_proxies_forwarded_for_is_ignored() {
    let app = spawn_app_with(|s| s.intake.limit_per_hour = 1).await;
    assert_eq!(inquiry_from(&app, Some("198.51.100.1")).await, StatusCode::CREATED);
    // A client cannot claim to be someone else.
    assert_eq!(inquiry_from(&app, Some("198.51.100.2")).await, StatusCode::TOO_MANY_REQUESTS);
}

/// Waits (briefly) until the access log has a line with `marker`.
async fn log_line_with(marker: &str) -> String {
    for _ in 0..100 {
        if let Some(line) = captured_logs().lines().find(|l| l.contains(marker)) {
            return line.to_string();
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no log line with {marker}")
}

#[tokio::test]
async fn token_bearing_paths_are_redacted_in_the_request_log() {
    let app = spawn_app().await;
    let setup = app.first_admin_link.clone().expect("a first-admin link");
    let token = setup.rsplit('/').next().expect("token").to_string();
    let b = app.browser();
    assert_eq!(b.get(&format!("/setup/{token}")).await.status, StatusCode::OK);
    let made_up = velkomst::crypto::random_token();
    for prefix in ["signin", "my", "reset", "setup"] {
        b.get(&format!("/{prefix}/{made_up}")).await;
    }
    log_line_with("GET /signin/[redacted]").await;
    log_line_with("GET /setup/[redacted]").await;
    let logs = captured_logs();
    assert!(!logs.contains(&token), "the set-up token is not in the log");
    assert!(!logs.contains(&made_up), "no token of any kind is in the log");
}

#[tokio::test]
async fn an_opened_ambassador_link_dies_soon_after() {
    let app = spawn_app_with(|s| s.referrals.signin_link_opened_hours = 0).await;
    let user_id = app.add_user("ambassador", "Astrid Lund", "astrid@forening.dk").await;
    let token = velkomst::crypto::random_token();
    let (hash, id) = (velkomst::crypto::token_hash(&token), user_id.clone());
    app.db
        .write(move |conn| {
            let t = velkomst::db::now();
            velkomst::db::referrals::create_signin_link(conn, &hash, &id, None, t, t + chrono::Duration::days(7))
        })
        .await
        .expect("link");
    let b = app.browser();
    let page = b.get(&format!("/signin/{token}")).await;
    assert_eq!(page.status, StatusCode::OK, "the link opens");
    // Opening it left it zero more hours: whoever copied it is too late.
    let page = b.post_form(&format!("/signin/{token}"), &[("csrf_token", &page.csrf_token())]).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}
