//! Issue 11, sessions: a form sent after the session had ended is
//! completed by signing in again (password, then the second step), without
//! script, so a long note is not lost; once, and only for its own user.

use reqwest::StatusCode;
use velkomst::domain::totp;

use crate::helpers::*;
use crate::security_mfa::{enrol, step_now};

/// Ends the user's sessions as 31 idle minutes would.
async fn idle_out(app: &TestApp, user_id: &str) {
    let id = user_id.to_string();
    app.db
        .write(move |c| {
            use diesel::prelude::*;
            use velkomst::db::schema::sessions;
            let long_ago = velkomst::db::now() - chrono::Duration::minutes(31);
            diesel::update(sessions::table.filter(sessions::user_id.eq(&id)))
                .set(sessions::last_seen_at.eq(long_ago))
                .execute(c)?;
            Ok(())
        })
        .await
        .expect("sessions idled out");
}

const NOTE: &str = "Ringede til familien: de kommer til Stege i påskeferien og vil gerne se skolen.\nHusk at spørge om børnehave — æøå 🙂";

/// Kim writes a note on the case page, but the session has ended meanwhile.
async fn note_after_the_session_ended(app: &TestApp, kim: &Staff, reference: &str) -> String {
    let page = kim.browser.get(&format!("/cases/{reference}")).await;
    let csrf = page.csrf_token();
    idle_out(app, &kim.id).await;
    let sent = kim
        .browser
        .post_form(
            &format!("/cases/{reference}/notes"),
            &[("csrf_token", csrf.as_str()), ("note", NOTE), ("stage_was", "information")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert_eq!(sent.location(), "/login", "the session had ended");
    csrf
}

/// How often the note is on the case.
async fn notes_on(app: &TestApp, reference: &str) -> usize {
    let admin = app.add_user("admin", "Ole Opslag", &format!("ole-{}@kommune.dk", uuid::Uuid::new_v4().simple())).await;
    let token = app.token_for(&admin).await;
    let page = app.api(Some(&token)).get(&format!("/api/v1/cases/{reference}")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.body.matches("påskeferien").count()
}

#[tokio::test]
async fn signing_in_again_completes_the_note_that_met_an_ended_session() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    let reference = app.mover_submits(&[("name", "Mia Moe"), ("email", "mia@example.dk")]).await;
    note_after_the_session_ended(&app, &kim, &reference).await;
    assert_eq!(notes_on(&app, &reference).await, 0);

    let login_page = kim.browser.get("/login").await;
    assert!(login_page.contains(&l10n("da", "login-resume-notice")), "the login page says the form is kept");
    let login = kim.browser.login("kim@kommune.dk", PASSWORD).await;
    assert_eq!(login.status, StatusCode::TEMPORARY_REDIRECT, "{}", login.body);
    let target = login.location();
    assert_eq!(target, format!("/cases/{reference}/notes?resume=1"));
    // The browser repeats its POST (307) with the login form's body.
    let csrf = kim.browser.get("/login").await;
    assert_eq!(csrf.status, StatusCode::SEE_OTHER, "signed in now");
    let csrf = kim.browser.get("/cases").await.csrf_token();
    let fields = [("csrf_token", csrf.as_str()), ("email", "kim@kommune.dk"), ("password", PASSWORD)];
    let done = kim.browser.post_form(&target, &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), format!("/cases/{reference}"));
    assert_eq!(notes_on(&app, &reference).await, 1, "the note, exactly as typed, is on the case");
    let case = kim.browser.get(&format!("/cases/{reference}")).await;
    assert!(html_unescape(&case.body).contains("Husk at spørge om børnehave — æøå 🙂"));
    // Once only: repeating the repeat changes nothing.
    let again = kim.browser.post_form(&target, &fields).await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
    assert_eq!(notes_on(&app, &reference).await, 1);
    // The note never reached the log.
    assert!(!captured_logs().contains("påskeferien"));
}

#[tokio::test]
async fn the_kept_form_is_completed_only_after_the_second_step_and_only_for_its_user() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    app.add_user("consultant", "Lis Berg", "lis@kommune.dk").await;
    let (secret, _) = enrol(&kim.browser).await;
    let reference = app.mover_submits(&[("name", "Mia Moe"), ("email", "mia@example.dk")]).await;
    note_after_the_session_ended(&app, &kim, &reference).await;

    // Someone else signing in on this browser does not send Kim's note.
    let lis = kim.browser.login("lis@kommune.dk", PASSWORD).await;
    assert_eq!(lis.location(), "/cases");
    let token = kim.browser.get("/cases").await.csrf_token();
    let refused =
        kim.browser.post_form(&format!("/cases/{reference}/notes?resume=1"), &[("csrf_token", token.as_str())]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "not Lis's form");
    assert_eq!(notes_on(&app, &reference).await, 0);
    let logout_token = kim.browser.get("/cases").await.csrf_token();
    kim.browser.post_form("/logout", &[("csrf_token", logout_token.as_str())]).await;

    // Kim: password, then the code; only then the note.
    let first = kim.browser.login("kim@kommune.dk", PASSWORD).await;
    assert_eq!(first.location(), "/login/mfa");
    let code = totp::code(&secret, step_now() + 1).expect("code");
    let second = kim.browser.submit("/login/mfa", "/login/mfa", &[("code", code.as_str())]).await;
    assert_eq!(second.status, StatusCode::TEMPORARY_REDIRECT, "{}", second.body);
    let target = second.location();
    let token = kim.browser.get("/cases").await.csrf_token();
    let done = kim.browser.post_form(&target, &[("csrf_token", token.as_str()), ("code", code.as_str())]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(notes_on(&app, &reference).await, 1);
}

#[tokio::test]
async fn a_form_without_a_valid_csrf_token_is_not_kept() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    let reference = app.mover_submits(&[("name", "Mia Moe"), ("email", "mia@example.dk")]).await;
    kim.browser.get(&format!("/cases/{reference}")).await;
    idle_out(&app, &kim.id).await;
    let sent =
        kim.browser.post_form(&format!("/cases/{reference}/notes"), &[("csrf_token", "forged"), ("note", NOTE)]).await;
    assert!(matches!(sent.status, StatusCode::SEE_OTHER | StatusCode::FORBIDDEN), "{}", sent.status);
    assert!(!kim.browser.get("/login").await.contains(&l10n("da", "login-resume-notice")));
    assert_eq!(kim.browser.login("kim@kommune.dk", PASSWORD).await.location(), "/cases");
}
