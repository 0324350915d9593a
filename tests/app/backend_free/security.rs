//! Security headers, cookies and the CSRF refusal of the public form.

use reqwest::redirect::Policy;
use reqwest::StatusCode;

use crate::helpers::{hidden_value, spawn_app, spawn_app_with, Page, PASSWORD};
use crate::security::{cookie_named, header};

fn cookie_value(set_cookie: &str) -> String {
    let first = set_cookie.split(';').next().unwrap_or("");
    first.split_once('=').map(|(_, v)| v.to_string()).unwrap_or_default()
}

/// The attributes of a Set-Cookie header, lower-cased, without the value.
fn attributes(set_cookie: &str) -> Vec<String> {
    set_cookie.split(';').skip(1).map(|a| a.trim().to_lowercase()).collect()
}

fn assert_security_headers(page: &Page, what: &str) {
    let csp = header(page, "content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: CSP forbids framing: {csp:?}");
    assert!(csp.contains("default-src") || csp.contains("script-src"), "{what}: CSP restricts scripts: {csp:?}");
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{what}: no unsafe CSP: {csp:?}");
    assert_eq!(header(page, "x-content-type-options"), "nosniff", "{what}");
    assert!(!header(page, "referrer-policy").is_empty(), "{what}: Referrer-Policy");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let anonymous = app.browser();
    let reference = app.mover_submits(&[("name", "Anna"), ("email", "anna@example.dk")]).await;

    let pages = [
        ("public form", anonymous.get("/").await),
        ("receipt", anonymous.get(&format!("/received/{reference}")).await),
        ("login page", anonymous.get("/login").await),
        ("login redirect", anonymous.get("/cases").await),
        ("queue", kim.browser.get("/cases").await),
        ("case page", kim.browser.get(&format!("/cases/{reference}")).await),
        ("API list", kim.api.get("/api/v1/cases").await),
        ("API case", kim.api.get(&format!("/api/v1/cases/{reference}")).await),
        ("API 401", app.api(None).get("/api/v1/cases").await),
        ("API 404", kim.api.get("/api/v1/nothing-here").await),
        ("API 400", app.api(None).post_raw("/api/v1/inquiries", "application/json", "{").await),
        ("OpenAPI", anonymous.get("/api/v1/openapi.json").await),
        ("404 page", anonymous.get("/nothing-here").await),
        ("unknown case", kim.browser.get("/cases/VK-2026-ZZZZZZ").await),
        ("static asset", anonymous.get("/static/css/app.css").await),
        ("missing asset", anonymous.get("/static/nothing.css").await),
        ("CSRF refusal", anonymous.post_form("/login", &[("email", "x@y.dk")]).await),
        ("healthz", anonymous.get("/healthz").await),
    ];
    for (what, page) in &pages {
        assert_security_headers(page, what);
    }
    assert_eq!(pages[14].1.status, StatusCode::OK, "the asset exists");
    // Pages and answers with personal data are never stored by caches.
    for (what, page) in pages.iter().filter(|(w, _)| ["queue", "case page", "API list", "API case"].contains(w)) {
        assert!(header(page, "cache-control").contains("no-store"), "{what}: Cache-Control no-store");
    }
}

#[tokio::test]
async fn the_public_form_with_a_bad_token_comes_back_with_what_was_typed() {
    let app = spawn_app().await;
    let staff_id = app.add_user("consultant", "Kim", "kim@kommune.dk").await;
    let staff = app.api(Some(&app.token_for(&staff_id).await));
    let mover = app.browser();
    let own = mover.get("/").await.csrf_token();
    let foreign = app.browser().get("/").await.csrf_token();
    let typed = [
        ("name", "Åse Ærø"),
        ("email", "aase@example.dk"),
        ("moving_from", "Køge"),
        ("message", "Vi kommer til sommer"),
        ("areas", "stege"),
    ];
    for token in ["", "expired-or-forged", foreign.as_str()] {
        let mut fields = vec![("csrf_token", token)];
        fields.extend_from_slice(&typed);
        let page = mover.post_form("/inquiry", &fields).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "token {token:?}");
        assert!(page.contains("value=\"Åse Ærø\""), "name kept");
        assert!(page.contains("value=\"aase@example.dk\""), "email kept");
        assert!(page.contains("value=\"Køge\""), "moving_from kept");
        assert!(page.contains(">Vi kommer til sommer</textarea>"), "message kept");
        assert!(page.contains("value=\"stege\" class=\"form-checkbox\" checked"), "area kept");
        assert!(page.contains("id=\"error-summary\""), "the page says what happened");
    }
    let listed = staff.get("/api/v1/cases").await.json();
    assert_eq!(listed["cases"].as_array().map(Vec::len), Some(0), "nothing was received");

    // Sending the shown form again works.
    let page = mover.post_form("/inquiry", &[&[("csrf_token", own.as_str())][..], &typed].concat()).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
}

#[tokio::test]
async fn session_and_csrf_cookies_are_http_only_and_same_site() {
    let app = spawn_app().await;
    app.add_user("consultant", "Kim", "kim@kommune.dk").await;
    let b = app.browser();
    let form = b.get("/login").await;
    let csrf = cookie_named(&form, "velkomst_csrf").expect("the CSRF cookie is set with the form");
    let login = b.login("kim@kommune.dk", PASSWORD).await;
    let session = cookie_named(&login, "velkomst_session").expect("the session cookie is set at login");
    for cookie in [&csrf, &session] {
        let attrs = attributes(cookie);
        assert!(attrs.contains(&"httponly".to_string()), "{cookie}");
        assert!(attrs.iter().any(|a| a == "samesite=strict" || a == "samesite=lax"), "{cookie}");
        assert!(attrs.contains(&"path=/".to_string()), "{cookie}");
        assert!(!attrs.iter().any(|a| a.starts_with("domain")), "{cookie}");
    }
    assert!(cookie_value(&session).len() >= 32, "the session id is long and random");
}

#[tokio::test]
async fn secure_cookies_carry_the_host_prefix_and_the_secure_flag() {
    let app = spawn_app_with(|s| s.cookie_secure = true).await;
    app.add_user("consultant", "Kim", "kim@kommune.dk").await;
    // reqwest's cookie store keeps Secure cookies off plain http, so carry them by hand.
    let client = reqwest::Client::builder().redirect(Policy::none()).build().expect("client");
    let resp = client.get(format!("{}/", app.address)).send().await.expect("GET /");
    let headers = resp.headers().clone();
    let form = Page { status: resp.status(), headers, body: resp.text().await.expect("body") };
    assert!(!header(&form, "strict-transport-security").is_empty(), "HSTS with secure cookies");
    let csrf = cookie_named(&form, "__Host-velkomst_csrf").expect("__Host- CSRF cookie");
    assert!(cookie_named(&form, "velkomst_csrf").is_none(), "no unprefixed cookie");
    let token = hidden_value(&form.body, "csrf_token").expect("token on the form");

    let resp = client
        .post(format!("{}/login", app.address))
        .header("cookie", format!("__Host-velkomst_csrf={}", cookie_value(&csrf)))
        .form(&[("csrf_token", token.as_str()), ("email", "kim@kommune.dk"), ("password", PASSWORD)])
        .send()
        .await
        .expect("POST /login");
    let login = Page { status: resp.status(), headers: resp.headers().clone(), body: String::new() };
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    let session = cookie_named(&login, "__Host-velkomst_session").expect("__Host- session cookie");
    assert!(cookie_named(&login, "velkomst_session").is_none(), "no unprefixed cookie");
    for cookie in [&csrf, &session] {
        let attrs = attributes(cookie);
        for required in ["secure", "httponly", "path=/"] {
            assert!(attrs.contains(&required.to_string()), "{cookie} has {required}");
        }
        assert!(attrs.iter().any(|a| a.starts_with("samesite=")), "{cookie}");
        assert!(!attrs.iter().any(|a| a.starts_with("domain")), "{cookie} has no Domain");
    }

    // The server reads the prefixed session cookie.
    let resp = client
        .get(format!("{}/cases", app.address))
        .header("cookie", format!("__Host-velkomst_session={}", cookie_value(&session)))
        .send()
        .await
        .expect("GET /cases");
    assert_eq!(resp.status(), StatusCode::OK);
}
