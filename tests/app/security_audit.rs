//! Issue 11, the audit trail: security events recorded without secrets,
//! an admin page paged and filtered by kind, kept for a configured time.

use reqwest::StatusCode;

use crate::helpers::*;

/// The kinds of the rows on a security log page, in order.
fn kinds_on(page: &Page) -> Vec<String> {
    page.body.split("data-kind=\"").skip(1).filter_map(|p| p.split('"').next()).map(str::to_string).collect()
}

#[tokio::test]
async fn logins_failures_throttling_tokens_and_users_are_recorded_without_secrets() {
    let app = spawn_app().await;
    let admin = app.admin("Mette Admin", "mette@kommune.dk").await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    let typed = "a wrong guess that must never be stored";
    // A password change (before the failures below slow Kim's account down).
    let new = "the ferry to Bogø leaves at nine";
    let changed = kim
        .browser
        .submit(
            "/account/password",
            "/account/password",
            &[("current_password", PASSWORD), ("password", new), ("password_again", new)],
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    // Failed logins: a wrong password for a real account, and an unknown one.
    assert_eq!(app.browser().login("kim@kommune.dk", typed).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.browser().login("nobody@kommune.dk", typed).await.status, StatusCode::UNAUTHORIZED);
    // Enough failures to be throttled.
    let mut throttled = false;
    for _ in 0..8 {
        if app.browser().login("kim@kommune.dk", typed).await.status == StatusCode::TOO_MANY_REQUESTS {
            throttled = true;
            break;
        }
    }
    assert!(throttled, "the throttle answers 429");
    // A token made and revoked, a user deactivated.
    let kim_id = kim.id.clone();
    let token_id = app
        .db
        .write(move |c| {
            velkomst::workflow::accounts::create_token(
                c,
                &kim_id,
                "dashboard",
                &velkomst::crypto::token_hash("vk_secret_token_value"),
                &["read"],
                velkomst::db::now(),
                None,
            )
        })
        .await
        .expect("token");
    let revoke = format!("/admin/tokens/{token_id}/revoke");
    assert_eq!(admin.browser.submit("/admin/tokens", &revoke, &[]).await.status, StatusCode::SEE_OTHER);
    let deactivate = format!("/admin/users/{}/active", kim.id);
    let off = admin.browser.submit("/admin/users", &deactivate, &[("active", "false")]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);

    let log = admin.browser.get("/admin/security").await;
    assert_eq!(log.status, StatusCode::OK);
    let kinds = kinds_on(&log);
    for k in [
        "login_ok",
        "login_failed",
        "login_throttled",
        "password_changed",
        "token_created",
        "token_revoked",
        "user_deactivated",
    ] {
        assert!(kinds.iter().any(|x| x == k), "{k} recorded: {kinds:?}");
    }
    assert_eq!(kinds.first().map(String::as_str), Some("user_deactivated"), "newest first");
    // No secrets: not the password typed, not the token, not the unknown email.
    for secret in [typed, "vk_secret_token_value", PASSWORD, new, "nobody@kommune.dk"] {
        assert!(!log.contains(secret), "{secret:?} on the security log");
    }
    let rows = app.db.read(|c| Ok(velkomst::db::audit::page(c, None, 0, 1000)?.0)).await.expect("events");
    let failed = rows.iter().find(|e| e.kind == "login_failed").expect("a failed login");
    assert!(failed.account_key.as_ref().is_some_and(|k| k.len() == 16), "the account as a keyed hash");
    assert!(failed.user.is_none(), "a failed login names no user");
    let dump = format!("{rows:?}");
    for secret in [typed, "vk_secret_token_value", "nobody@kommune.dk"] {
        assert!(!dump.contains(secret), "{secret:?} in the table");
    }

    // Filtered by kind.
    let only = admin.browser.get("/admin/security?kind=login_failed").await;
    let kinds = kinds_on(&only);
    assert!(!kinds.is_empty() && kinds.iter().all(|k| k == "login_failed"), "{kinds:?}");
    // Admins only.
    let consultant = app.consultant("Lis Berg", "lis@kommune.dk").await;
    assert_eq!(consultant.browser.get("/admin/security").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_log_is_paged_and_old_events_are_removed_after_the_configured_time() {
    let app = spawn_app_with(|s| s.auth.security_events_days = 30).await;
    let admin = app.admin("Mette Admin", "mette@kommune.dk").await;
    let old = velkomst::db::now() - chrono::Duration::days(31);
    app.db
        .write(move |c| {
            use velkomst::db::audit::{record, Kind, NewEvent};
            for i in 0..60 {
                let e = NewEvent { detail: Some(format!("event {i}")), ..Default::default() };
                record(c, Kind::LoginFailed, e, old + chrono::Duration::seconds(i))?;
            }
            Ok(())
        })
        .await
        .expect("events");
    let first = admin.browser.get("/admin/security").await;
    assert_eq!(kinds_on(&first).len(), 50, "fifty a page");
    assert!(first.contains("page=2"), "a link to the older ones");
    let second = admin.browser.get("/admin/security?page=2").await;
    // 60 old ones and the admin's own login.
    assert_eq!(kinds_on(&second).len(), 11);
    assert!(!second.contains("page=3"));
    assert!(second.contains("page=1"), "and back");

    let removed = app.worker().purge_security_events(velkomst::db::now()).await.expect("purge");
    assert_eq!(removed, 60, "older than 30 days");
    let after = admin.browser.get("/admin/security").await;
    assert_eq!(kinds_on(&after), ["login_ok"]);
}
