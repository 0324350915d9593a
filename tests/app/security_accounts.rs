//! Issue 11, accounts: changing a password (re-authentication, other
//! sessions end), which passwords are refused, session lifetimes, slow
//! request bodies and owner-only files.

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;

const NEW_PASSWORD: &str = "the ferry to Bogø leaves at nine";

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    let laptop = app.browser();
    assert_eq!(laptop.login("kim@kommune.dk", PASSWORD).await.status, StatusCode::SEE_OTHER);

    let form = kim.browser.get("/account/password").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.contains("name=\"current_password\""), "the current password is asked for");
    let change = |current: &'static str, new: &'static str| {
        let b = &kim.browser;
        async move {
            b.submit(
                "/account/password",
                "/account/password",
                &[("current_password", current), ("password", new), ("password_again", new)],
            )
            .await
        }
    };
    // No or a wrong current password: refused, nothing changes.
    assert_eq!(change("", NEW_PASSWORD).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(change("not my password at all", NEW_PASSWORD).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Weak new passwords: refused with the reason.
    for weak in ["            ", "qwertyuiop123", "Password123456", "kim.holm is the best"] {
        let page = change(PASSWORD, weak).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{weak:?} is refused");
    }
    assert_eq!(laptop.get("/cases").await.status, StatusCode::OK, "nothing changed yet");

    let done = change(PASSWORD, NEW_PASSWORD).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    // The other session is over; this one goes on.
    assert_eq!(laptop.get("/cases").await.location(), "/login");
    assert_eq!(kim.browser.get("/cases").await.status, StatusCode::OK);
    assert_eq!(app.browser().login("kim@kommune.dk", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.browser().login("kim@kommune.dk", NEW_PASSWORD).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_set_up_link_refuses_common_and_repetitive_passwords() {
    let app = spawn_app().await;
    let link = app.first_admin_link.clone().expect("first admin link");
    let path = link.trim_start_matches(&app.address).to_string();
    let b = app.browser();
    for weak in ["            ", "aaaaaaaaaaaaaaaa", "1qaz2wsx3edc4rfv", "letmein123456789", "Mette Admin rocks"] {
        let page = b
            .submit(
                &path,
                &path,
                &[("name", "Mette Admin"), ("email", "mette@kommune.dk"), ("password", weak), ("password_again", weak)],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{weak:?} is refused");
    }
    let page = b
        .submit(
            &path,
            &path,
            &[
                ("name", "Mette Admin"),
                ("email", "mette@kommune.dk"),
                ("password", PASSWORD),
                ("password_again", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
}

#[tokio::test]
async fn sessions_end_after_thirty_idle_minutes_and_twelve_hours_at_most() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    let id = kim.id.clone();
    let expires: chrono::NaiveDateTime = app
        .db
        .read(move |conn| {
            use diesel::prelude::*;
            use velkomst::db::schema::sessions;
            Ok(sessions::table.filter(sessions::user_id.eq(&id)).select(sessions::expires_at).first(conn)?)
        })
        .await
        .expect("session");
    let left = expires - velkomst::db::now();
    assert!(left <= chrono::Duration::hours(12), "absolute lifetime at most 12 h, was {left}");
    // Idle for 31 minutes: over.
    let id = kim.id.clone();
    app.db
        .write(move |conn| {
            use diesel::prelude::*;
            use velkomst::db::schema::sessions;
            let back = velkomst::db::now() - chrono::Duration::minutes(31);
            diesel::update(sessions::table.filter(sessions::user_id.eq(&id)))
                .set(sessions::last_seen_at.eq(back))
                .execute(conn)?;
            Ok(())
        })
        .await
        .expect("idle");
    assert_eq!(kim.browser.get("/cases").await.location(), "/login");
}

#[tokio::test]
async fn a_body_that_never_arrives_is_answered_408() {
    let app = spawn_app_with(|s| s.intake.body_timeout_seconds = 1).await;
    let addr = app.address.trim_start_matches("http://").to_string();
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.expect("connect");
    let head = "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                Content-Length: 200\r\n\r\nemail=";
    tcp.write_all(head.as_bytes()).await.expect("write");
    let mut buf = vec![0u8; 4096];
    // The guard only stops a hanging test; the server answers after 1 s.
    let n = tokio::time::timeout(std::time::Duration::from_secs(60), tcp.read(&mut buf))
        .await
        .expect("the server answers instead of waiting for ever")
        .expect("read");
    let answer = String::from_utf8_lossy(&buf[..n]);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[cfg(unix)]
#[tokio::test]
async fn the_database_and_its_folder_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let app = spawn_app().await;
    let Some(path) = app.settings.database_url.strip_prefix("sqlite://") else { return };
    // A write, so the WAL exists.
    app.mover_submits(&[("name", "Mia Moe"), ("email", "mia@example.dk")]).await;
    let mode = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.permissions().mode() & 0o777).ok();
    let db = std::path::Path::new(path);
    assert_eq!(mode(db), Some(0o600), "database file");
    assert_eq!(mode(&std::path::PathBuf::from(format!("{path}-wal"))), Some(0o600), "WAL");
    assert_eq!(mode(db.parent().expect("folder")), Some(0o700), "database folder");
}
