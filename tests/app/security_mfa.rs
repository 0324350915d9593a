//! Issue 11, staff MFA: enrolment with a QR code and the secret as text,
//! the second login step, no replay, single-use recovery codes, mandatory
//! mode, and the admin's (and the CLI's) reset of a lost phone.

use reqwest::StatusCode;
use velkomst::config::MfaRequired;
use velkomst::domain::totp;

use crate::cli::velkomst;
use crate::helpers::*;

pub(crate) fn step_now() -> i64 {
    totp::step_at(chrono::Utc::now().timestamp())
}

/// The secret as the enrolment page shows it for typing by hand.
fn secret_on(page: &Page) -> String {
    let start = page.body.find("id=\"mfa-secret\">").expect("the secret is shown as text") + 16;
    let end = page.body[start..].find('<').expect("end") + start;
    page.body[start..end].split_whitespace().collect()
}

/// The recovery codes shown once after enrolment.
fn recovery_codes_on(page: &Page) -> Vec<String> {
    page.body
        .split("<code>")
        .skip(1)
        .filter_map(|p| p.split("</code>").next())
        .filter(|c| c.len() == 11 && c.as_bytes()[5] == b'-')
        .map(str::to_string)
        .collect()
}

/// Enrols `b` (logged in) with the authenticator's current code; returns
/// the secret and the recovery codes.
pub(crate) async fn enrol(b: &Browser) -> (String, Vec<String>) {
    let page = b.get("/account/mfa").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.contains("<svg"), "a QR code as inline SVG");
    let secret = secret_on(&page);
    let code = totp::code(&secret, step_now()).expect("code");
    let done =
        b.submit("/account/mfa", "/account/mfa", &[("code", code.as_str()), ("current_password", PASSWORD)]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let codes = recovery_codes_on(&done);
    assert_eq!(codes.len(), 10, "ten recovery codes, shown once: {}", done.body);
    (secret, codes)
}

/// Password, then the second step with `code`; the second step's answer.
async fn login_with_code(app: &TestApp, email: &str, code: &str) -> (Browser, Page) {
    let b = app.browser();
    let first = b.login(email, PASSWORD).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert_eq!(first.location(), "/login/mfa", "a correct password leads to the second step");
    assert_eq!(b.get("/cases").await.location(), "/login", "no session before the second step");
    let second = b.submit("/login/mfa", "/login/mfa", &[("code", code)]).await;
    (b, second)
}

#[tokio::test]
async fn a_consultant_enrols_signs_in_with_a_code_and_a_code_never_counts_twice() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    let page = kim.browser.get("/account/mfa").await;
    assert!(page.contains("otpauth") || page.contains("<svg"), "QR code shown");
    assert_eq!(secret_on(&page).len(), 32, "160-bit base32 secret");
    // A reload shows the same secret (a scanned code stays good).
    assert_eq!(secret_on(&kim.browser.get("/account/mfa").await), secret_on(&page));
    // A wrong code or a wrong password does not enrol.
    let wrong =
        kim.browser.submit("/account/mfa", "/account/mfa", &[("code", "000000"), ("current_password", PASSWORD)]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let code = totp::code(&secret_on(&page), step_now()).expect("code");
    let no_pw = kim
        .browser
        .submit("/account/mfa", "/account/mfa", &[("code", code.as_str()), ("current_password", "wrong one")])
        .await;
    assert_eq!(no_pw.status, StatusCode::UNPROCESSABLE_ENTITY);

    let (secret, _codes) = enrol(&kim.browser).await;
    // The secret is sealed at rest, not stored plain.
    let id = kim.id.clone();
    let stored = app.db.read(move |c| velkomst::db::mfa::find(c, &id)).await.expect("row").expect("enrolled");
    assert!(stored.secret.starts_with("v1.") && !stored.secret.contains(&secret), "sealed: {}", stored.secret);
    let state = kim.browser.get("/account/mfa").await;
    assert!(!state.contains("mfa-qr") && !state.contains(&secret), "an enrolled secret is never shown again");

    // The code used at enrolment is spent: replaying it fails.
    let spent = totp::code(&secret, stored.last_step.expect("step recorded")).expect("code");
    let (_, replay) = login_with_code(&app, "kim@kommune.dk", &spent).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED, "a used code never counts again");
    // The next step's code (30 s of drift) works once.
    let next = totp::code(&secret, stored.last_step.expect("step") + 1).expect("code");
    let (b, ok) = login_with_code(&app, "kim@kommune.dk", &next).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(ok.location(), "/cases");
    assert_eq!(b.get("/cases").await.status, StatusCode::OK);
    let (_, again) = login_with_code(&app, "kim@kommune.dk", &next).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED, "the same code a second time is refused");
    // Nonsense is refused, and the second step cannot be reached without the password.
    let (_, junk) = login_with_code(&app, "kim@kommune.dk", "12345678").await;
    assert_eq!(junk.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.browser().get("/login/mfa").await.location(), "/login");
    let forged = app.browser();
    let page = forged.get("/login").await;
    let token = page.csrf_token();
    let res = forged.post_form("/login/mfa", &[("csrf_token", token.as_str()), ("code", next.as_str())]).await;
    assert_eq!(res.location(), "/login", "no pending cookie: back to the password");
}

#[tokio::test]
async fn a_recovery_code_signs_in_once() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    let (_, codes) = enrol(&kim.browser).await;
    let (b, ok) = login_with_code(&app, "kim@kommune.dk", &codes[3].to_uppercase()).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(b.get("/cases").await.status, StatusCode::OK);
    let (_, again) = login_with_code(&app, "kim@kommune.dk", &codes[3]).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED, "a recovery code is single use");
    let (_, other) = login_with_code(&app, "kim@kommune.dk", &codes[4]).await;
    assert_eq!(other.status, StatusCode::SEE_OTHER, "the others still work");
    // Recovery codes are stored as keyed hashes, never as typed.
    let id = kim.id.clone();
    let hashes: Vec<String> = app
        .db
        .read(move |c| {
            use diesel::prelude::*;
            use velkomst::db::schema::mfa_recovery_codes as r;
            Ok(r::table.filter(r::user_id.eq(&id)).select(r::code_hash).load(c)?)
        })
        .await
        .expect("codes");
    assert_eq!(hashes.len(), 10);
    assert!(hashes.iter().all(|h| h.len() == 64 && !codes.iter().any(|c| h.contains(&c.replace('-', "")))));
}

#[tokio::test]
async fn mandatory_mode_sends_an_unenrolled_admin_to_enrolment_and_nowhere_else() {
    let app = spawn_app_with(|s| s.auth.mfa_required = MfaRequired::Admins).await;
    app.add_user("admin", "Mette Admin", "mette@kommune.dk").await;
    app.add_user("consultant", "Kim Holm", "kim@kommune.dk").await;
    let mette = app.browser();
    let login = mette.login("mette@kommune.dk", PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    assert_eq!(login.location(), "/account/mfa", "straight to enrolment");
    // Until enrolled, every other page leads back to enrolment.
    for path in ["/cases", "/admin/users", "/admin/security", "/account/password"] {
        let page = mette.get(path).await;
        assert_eq!(page.location(), "/login", "{path}");
    }
    assert_eq!(mette.get("/login").await.location(), "/account/mfa");
    let page = mette.get("/account/mfa").await;
    assert!(page.contains(&l10n("en", "mfa-required")) || page.contains(&l10n("da", "mfa-required")));
    enrol(&mette).await;
    assert_eq!(mette.get("/cases").await.status, StatusCode::OK, "enrolled: the session is whole");
    // Consultants are not required to under "admins".
    let kim = app.browser().login("kim@kommune.dk", PASSWORD).await;
    assert_eq!(kim.location(), "/cases");
    // "auto" requires it of staff in production only: development is free.
    let dev = spawn_app().await;
    assert!(!dev.settings.mfa_required_for(velkomst::domain::user::Role::Admin));
}

#[tokio::test]
async fn an_admin_resets_a_lost_phone_which_ends_the_users_sessions() {
    let app = spawn_app().await;
    let admin = app.admin("Mette Admin", "mette@kommune.dk").await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    let (secret, _) = enrol(&kim.browser).await;
    let users = admin.browser.get("/admin/users").await;
    let action = format!("/admin/users/{}/mfa-reset", kim.id);
    assert!(users.contains(&action), "the users page offers the reset");
    // Not for consultants.
    let token = kim.browser.get("/cases").await.csrf_token();
    let refused = kim.browser.post_form(&action, &[("csrf_token", token.as_str())]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let done = admin.browser.submit("/admin/users", &action, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(kim.browser.get("/cases").await.location(), "/login", "the lost phone's sessions end");
    // Kim signs in with the password alone and can enrol again.
    let b = app.browser();
    assert_eq!(b.login("kim@kommune.dk", PASSWORD).await.location(), "/cases");
    let (new_secret, _) = enrol(&b).await;
    assert_ne!(new_secret, secret);
    // The reset is in the security log with who did it.
    let log = admin.browser.get("/admin/security?kind=mfa_reset").await;
    assert_eq!(log.status, StatusCode::OK);
    assert!(log.contains("kim@kommune.dk") && log.contains("mette@kommune.dk"), "{}", log.body);
}

#[tokio::test]
async fn user_reset_with_mfa_removes_the_second_factor() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    enrol(&kim.browser).await;
    let url = app.settings.database_url.clone();
    let (code, out, err) = velkomst(&url, &["user", "reset", "--email", "kim@kommune.dk", "--mfa"], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("/setup/"), "{out}");
    let id = kim.id.clone();
    assert!(!app.db.read(move |c| velkomst::db::mfa::enrolled(c, &id)).await.expect("state"));
    assert_eq!(kim.browser.get("/cases").await.location(), "/login");
    assert_eq!(app.browser().login("kim@kommune.dk", PASSWORD).await.location(), "/cases");
}

#[tokio::test]
async fn the_user_is_told_by_email_when_their_password_or_second_factor_changes() {
    let app = spawn_app().await;
    let admin = app.admin("Mette Admin", "mette@kommune.dk").await;
    let kim = app.consultant("Kim Holm", "kim@kommune.dk").await;
    enrol(&kim.browser).await;
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
    let action = format!("/admin/users/{}/mfa-reset", kim.id);
    assert_eq!(admin.browser.submit("/admin/users", &action, &[]).await.status, StatusCode::SEE_OTHER);
    let notices: Vec<(String, String)> = app
        .db
        .read(|c| velkomst::db::outbox::list(c, "pending", 1000))
        .await
        .expect("outbox")
        .into_iter()
        .map(|(m, _)| m)
        .filter(|m| m.template == "account_notice" && m.recipient == "kim@kommune.dk")
        .map(|m| (m.subject, m.body_text))
        .collect();
    assert_eq!(notices.len(), 3, "enrolment, password change, reset: {notices:?}");
    let all = format!("{notices:?}");
    assert!(all.contains("Tofaktorlogin blev slået til") && all.contains("blev ændret") && all.contains("nulstillede"));
    assert!(!all.contains(new) && !all.contains("/reset/"), "nothing secret, no link");
}
