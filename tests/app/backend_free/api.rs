//! The OpenAPI document.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::api::reference_of;
use crate::helpers::spawn_app;

/// The inquiry fields of CONTRACT.md.
const CONTRACT_FIELDS: [&str; 15] = [
    "name",
    "email",
    "phone",
    "language",
    "moving_from",
    "adults",
    "children",
    "areas",
    "housing",
    "timeframe",
    "interests",
    "job_help",
    "message",
    "ambassador_contact",
    "campaign",
];

/// Resolves a local `$ref` such as `#/components/schemas/Inquiry`.
fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_openapi_document_describes_every_json_route_and_the_inquiry_contract() {
    let app = spawn_app().await;
    let page = app.api(None).get("/api/v1/openapi.json").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.headers.get("content-type").is_some_and(|v| v.as_bytes().starts_with(b"application/json")));
    let doc = page.json();
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")), "OpenAPI 3: {}", doc["openapi"]);
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        assert!(resolve(&doc, &r).is_some(), "$ref {r} resolves");
    }

    let paths = doc["paths"].as_object().expect("paths");
    for (path, method) in [
        ("/inquiries", "post"),
        ("/cases", "get"),
        ("/cases/{reference}", "get"),
        ("/cases/{reference}/transitions", "post"),
        ("/openapi.json", "get"),
    ] {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} is described");
    }

    // Every described operation is one the app really serves.
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let reference = reference_of(&app.api_inquiry(&json!({ "name": "Anna", "email": "anna@example.dk" })).await);
    for (path, item) in paths {
        let url = format!("/api/v1{}", path.replace("{reference}", &reference));
        for method in item.as_object().expect("path item").keys() {
            let page = match method.as_str() {
                "get" => kim.api.get(&url).await,
                "post" => kim.api.post_json(&url, &json!({})).await,
                other => panic!("{other} {path}: a method the tests do not know"),
            };
            // A path naming a referral by `{id}` is served; that id names none.
            let unknown_id = path.contains("{id}") && page.status == StatusCode::NOT_FOUND;
            assert!(
                unknown_id || (page.status != StatusCode::NOT_FOUND && page.status != StatusCode::METHOD_NOT_ALLOWED),
                "{method} {url} is served: {}",
                page.status
            );
            assert_ne!(page.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {url}");
            assert!(!page.status.is_server_error(), "{method} {url}: {}", page.status);
        }
    }

    // The Inquiry schema is exactly the contract, with this municipality's choices.
    let inquiry = resolve(&doc, "#/components/schemas/Inquiry").expect("Inquiry schema");
    let fields: BTreeSet<&str> =
        inquiry["properties"].as_object().expect("properties").keys().map(String::as_str).collect();
    assert_eq!(fields, BTreeSet::from(CONTRACT_FIELDS));
    assert_eq!(inquiry["additionalProperties"], false, "unknown fields are refused");
    let required: BTreeSet<&str> =
        inquiry["required"].as_array().expect("required").iter().filter_map(Value::as_str).collect();
    assert_eq!(required, BTreeSet::from(["name", "email"]));
    let areas: Vec<&str> = app.settings.areas.iter().map(|a| a.slug.as_str()).collect();
    assert_eq!(inquiry["properties"]["areas"]["items"]["enum"], json!(areas));
    let interests: Vec<&str> = app.settings.interests.iter().map(|i| i.slug.as_str()).collect();
    assert_eq!(inquiry["properties"]["interests"]["items"]["enum"], json!(interests));
    let body = doc.pointer("/paths/~1inquiries/post/requestBody/content/application~1json/schema/$ref");
    assert_eq!(body, Some(&json!("#/components/schemas/Inquiry")), "the intake takes an Inquiry");
}
