//! Issue 11, API tokens: scopes, expiry, revocation (CLI and admin page),
//! last use; and `velkomst user reset`.

use reqwest::StatusCode;
use serde_json::json;

use crate::cli::velkomst;
use crate::helpers::*;

#[tokio::test]
async fn tokens_expire_carry_scopes_and_can_be_listed_and_revoked() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    let reference = app.mover_submits(&[("name", "Mia Moe"), ("email", "mia@example.dk")]).await;
    let url = app.settings.database_url.clone();
    let create = |args: &[&str]| {
        let mut all = vec!["token", "create", "--user", "kim@kommune.dk"];
        all.extend_from_slice(args);
        let (code, out, err) = velkomst(&url, &all, None);
        assert_eq!(code, 0, "{out}{err}");
        out.trim().to_string()
    };
    let reader = create(&["--name", "dashboard", "--scope", "read", "--expires-days", "30"]);
    let full = create(&["--name", "integration"]);
    // A read-only token reads, and may not change a case.
    let api = app.api(Some(&reader));
    assert_eq!(api.get(&format!("/api/v1/cases/{reference}")).await.status, StatusCode::OK);
    let move_it = json!({ "to": "visit", "note": "" });
    let path = format!("/api/v1/cases/{reference}/transitions");
    assert_eq!(api.post_json(&path, &move_it).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.api(Some(&full)).get(&format!("/api/v1/cases/{reference}")).await.status, StatusCode::OK);
    // A token made before scopes existed keeps its full rights.
    assert_eq!(kim.api.post_json(&path, &json!({ "to": "visit", "note": "ok" })).await.status, StatusCode::OK);

    // The list shows labels, scopes and last use, never the token.
    let (code, list, _) = velkomst(&url, &["token", "list", "--user", "kim@kommune.dk"], None);
    assert_eq!(code, 0);
    assert!(!list.contains(&reader) && !list.contains(&full), "no token in the list");
    let line = list.lines().find(|l| l.contains("dashboard")).expect("the dashboard token is listed");
    assert!(line.contains("\tread\t"), "{line}");
    assert!(!line.contains("last used -"), "last use is written: {line}");
    let id = line.split('\t').next().expect("id").to_string();
    // Revoke by id: the token stops working at once.
    let (code, _, err) = velkomst(&url, &["token", "revoke", &id], None);
    assert_eq!(code, 0, "{err}");
    assert_eq!(api.get(&format!("/api/v1/cases/{reference}")).await.status, StatusCode::UNAUTHORIZED);
    let (code, _, _) = velkomst(&url, &["token", "revoke", &id], None);
    assert_eq!(code, 2, "revoking twice is a usage error");
    // Scopes the role does not have are refused.
    let (code, _, err) =
        velkomst(&url, &["token", "create", "--user", "kim@kommune.dk", "--name", "x", "--scope", "root"], None);
    assert_eq!(code, 2, "{err}");

    // An expired token is refused.
    let full_hash = velkomst::crypto::token_hash(&full);
    app.db
        .write(move |conn| {
            use diesel::prelude::*;
            use velkomst::db::schema::api_tokens;
            let past = velkomst::db::now() - chrono::Duration::minutes(1);
            diesel::update(api_tokens::table.filter(api_tokens::token_hash.eq(&full_hash)))
                .set(api_tokens::expires_at.eq(Some(past)))
                .execute(conn)?;
            Ok(())
        })
        .await
        .expect("expire");
    assert_eq!(app.api(Some(&full)).get("/api/v1/cases").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_admin_sees_and_revokes_tokens_on_the_admin_page() {
    let app = spawn_app().await;
    let admin = app.admin("Mette Admin", "mette@kommune.dk").await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    let page = admin.browser.get("/admin/tokens").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.contains("kim@kommune.dk"));
    let id = kim.id.clone();
    let token_id: String = app
        .db
        .read(move |conn| {
            use diesel::prelude::*;
            use velkomst::db::schema::api_tokens;
            Ok(api_tokens::table.filter(api_tokens::user_id.eq(&id)).select(api_tokens::id).first(conn)?)
        })
        .await
        .expect("kim's token");
    assert!(page.contains(&format!("/admin/tokens/{token_id}/revoke")));
    let done = admin.browser.submit("/admin/tokens", &format!("/admin/tokens/{token_id}/revoke"), &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(kim.api.get("/api/v1/cases").await.status, StatusCode::UNAUTHORIZED);
    // Not for consultants.
    assert_eq!(kim.browser.get("/admin/tokens").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn user_reset_prints_a_link_and_an_unknown_email_exits_2() {
    let app = spawn_app().await;
    app.add_user("consultant", "Kim Holm", "kim@kommune.dk").await;
    let url = app.settings.database_url.clone();
    let (code, _, err) = velkomst(&url, &["user", "reset", "--email", "nobody@kommune.dk"], None);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    let (code, out, err) = velkomst(&url, &["user", "reset", "--email", "kim@kommune.dk"], None);
    assert_eq!(code, 0, "{err}");
    let link = out.split_whitespace().find(|w| w.contains("/setup/")).expect("a link");
    let path = &link[link.find("/setup/").expect("path")..];
    let b = app.browser();
    let new = "the ferry to Bogø leaves at nine";
    let page = b.submit(path, path, &[("password", new), ("password_again", new)]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(app.browser().login("kim@kommune.dk", new).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.browser().login("kim@kommune.dk", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
}
