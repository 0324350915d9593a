//! Malformed, mistyped and injected input, refused before any storage.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::spawn_app;
use crate::nasty::error_fields;

#[tokio::test]
async fn malformed_json_and_bodies_that_are_not_objects_get_clear_4xx_answers() {
    let app = spawn_app().await;
    let api = app.api(None);
    for body in ["{\"name\":", "{\"name\": \"Anna\",}", "", "\u{feff}{}", "{'name': 'Anna'}"] {
        let p = api.post_raw("/api/v1/inquiries", "application/json", body.to_string()).await;
        assert_eq!(p.status, StatusCode::BAD_REQUEST, "{body:?}: {}", p.body);
        assert!(p.json()["error"].as_str().is_some_and(|e| e.contains("JSON")), "{body:?}: {}", p.body);
    }
    // Invalid UTF-8 and absurd nesting are malformed too, not a crash.
    let p = api
        .post_raw("/api/v1/inquiries", "application/json", vec![b'{', b'"', 0xff, 0xfe, b'"', b':', b'1', b'}'])
        .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST, "{}", p.body);
    let p = api.post_raw("/api/v1/inquiries", "application/json", "[".repeat(20_000)).await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST, "{}", p.body);

    for body in ["[1,2]", "\"x\"", "null", "42", "true"] {
        let p = api.post_raw("/api/v1/inquiries", "application/json", body.to_string()).await;
        assert!(p.status.is_client_error(), "{body}: {}", p.status);
        assert!(p.body.contains("object"), "{body}: the answer says an object is expected: {}", p.body);
    }

    let valid = json!({ "name": "Anna", "email": "anna@example.dk" }).to_string();
    for ctype in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
        let p = api.post_raw("/api/v1/inquiries", ctype, valid.clone()).await;
        assert!(p.status.is_client_error(), "{ctype}: {}", p.status);
        assert!(p.json()["error"].as_str().is_some_and(|e| e.contains("Content-Type")), "{ctype}: {}", p.body);
    }
    let p = api.post_raw("/api/v1/inquiries", "application/json; charset=utf-8", valid).await;
    assert_eq!(p.status, StatusCode::CREATED, "a charset parameter is fine: {}", p.body);
}

#[tokio::test]
async fn wrong_types_unknown_fields_nul_and_huge_numbers_are_refused_at_their_fields() {
    let app = spawn_app().await;
    let p = app
        .api_inquiry(&json!({
            "name": 5, "email": "anna@example.dk", "adults": "two", "children": ["x"], "areas": "stege",
            "job_help": "yes", "interests": [1], "ambassador_contact": 1, "phone": ["12"],
        }))
        .await;
    let mut fields = error_fields(&p);
    fields.sort();
    assert_eq!(fields, ["adults", "ambassador_contact", "areas", "children", "interests", "job_help", "name", "phone"]);
    for e in p.json()["errors"].as_array().expect("errors") {
        assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "every error has a message: {e}");
    }

    // Unknown fields are named, and reported beside other problems.
    let p = app.api_inquiry(&json!({ "name": "Anna", "email": "nope", "nmae": "x", "is_admin": true })).await;
    let mut fields = error_fields(&p);
    fields.sort();
    assert_eq!(fields, ["email", "is_admin", "nmae"]);

    // NUL in any text is refused at its field (PostgreSQL could not store it anyway).
    let p = app
        .api_inquiry(&json!({
            "name": "a\u{0}b", "email": "a\u{0}b@example.dk", "phone": "12\u{0}34", "moving_from": "Køge\u{0}",
            "message": "hej\u{0}", "campaign": "x\u{0}", "areas": ["stege\u{0}"], "interests": ["nature\u{0}"],
            "language": "da\u{0}", "housing": "buy\u{0}", "timeframe": "\u{0}",
        }))
        .await;
    let mut fields = error_fields(&p);
    fields.sort();
    assert_eq!(
        fields,
        [
            "areas",
            "campaign",
            "email",
            "housing",
            "interests",
            "language",
            "message",
            "moving_from",
            "name",
            "phone",
            "timeframe"
        ]
    );

    // Numbers out of any sensible range are 4xx at the field, never a 500.
    let api = app.api(None);
    for adults in ["1e30", "99999999999999999999", "2147483648", "-1", "0", "11", "1.5", "-9223372036854775809"] {
        let body = format!("{{\"name\": \"Anna\", \"email\": \"anna@example.dk\", \"adults\": {adults}}}");
        let p = api.post_raw("/api/v1/inquiries", "application/json", body).await;
        assert_eq!(error_fields(&p), ["adults"], "adults: {adults}");
    }
    for children in ["[1e30]", "[99999999999999999999]", "[9223372036854775807]", "[-2020]", "[2020.5]"] {
        let body = format!("{{\"name\": \"Anna\", \"email\": \"anna@example.dk\", \"children\": {children}}}");
        let p = api.post_raw("/api/v1/inquiries", "application/json", body).await;
        assert_eq!(error_fields(&p), ["children"], "children: {children}");
    }
    let too_many: Vec<Value> = (0..16).map(|_| json!(2020)).collect();
    let p = app.api_inquiry(&json!({ "name": "Anna", "email": "anna@example.dk", "children": too_many })).await;
    assert_eq!(error_fields(&p), ["children"]);
}

#[tokio::test]
async fn control_characters_and_header_injection_are_refused_by_form_and_api() {
    let app = spawn_app().await;
    let injected = "Anna\r\nBcc: x@y.dk";
    let p = app.api_inquiry(&json!({ "name": injected, "email": "anna@example.dk" })).await;
    assert_eq!(error_fields(&p), ["name"]);
    assert_eq!(p.json()["errors"][0]["code"], "control-chars");
    let p = app.api_inquiry(&json!({ "name": "Anna", "email": "anna@example.dk\r\nBcc: x@y.dk" })).await;
    assert_eq!(error_fields(&p), ["email"]);
    let p = app.api_inquiry(&json!({ "name": "Anna", "email": "anna@example.dk", "phone": "1234\n5678" })).await;
    assert_eq!(error_fields(&p), ["phone"]);
    let p = app
        .api_inquiry(&json!({ "name": "Anna\u{7}", "email": "anna@example.dk", "moving_from": "Køge\u{1b}[2J" }))
        .await;
    assert_eq!(error_fields(&p), ["name", "moving_from"]);

    let b = app.browser();
    let p = b.submit_inquiry(&[("name", injected), ("email", "anna@example.dk")]).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.contains("id=\"error-name\""));
    let p = b.submit_inquiry(&[("name", "Anna"), ("email", "anna@example.dk\r\nBcc: x@y.dk")]).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.contains("id=\"error-email\""));
    let p = b.submit_inquiry(&[("name", "An\u{0}na"), ("email", "anna@example.dk"), ("message", "a\u{0}b")]).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.contains("id=\"error-name\"") && p.contains("id=\"error-message\""));
}
