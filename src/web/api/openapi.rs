//! GET /api/v1/openapi.json — the OpenAPI 3 description of every JSON
//! endpoint. The area and interest enums come from the configuration, so
//! the document tells the truth for this municipality.

use actix_web::{web, HttpResponse};
use serde_json::Value;

use crate::web::AppState;

pub(super) const DOCUMENT: &str = include_str!("openapi.json");

pub async fn document(state: web::Data<AppState>) -> HttpResponse {
    let mut doc: Value = serde_json::from_str(DOCUMENT).unwrap_or(Value::Null);
    let areas: Vec<Value> = state.settings.areas.iter().map(|a| Value::String(a.slug.clone())).collect();
    let interests: Vec<Value> = state.settings.interests.iter().map(|i| Value::String(i.slug.clone())).collect();
    if let Some(props) = doc.pointer_mut("/components/schemas/Inquiry/properties") {
        if let Some(items) = props.pointer_mut("/areas/items") {
            items["enum"] = Value::Array(areas);
        }
        if let Some(items) = props.pointer_mut("/interests/items") {
            items["enum"] = Value::Array(interests);
        }
    }
    // Lists the server keeps in code or configuration, so the document
    // cannot promise another.
    let texts = |list: &[&str]| Value::Array(list.iter().map(|s| Value::String(s.to_string())).collect());
    if let Some(schemas) = doc.pointer_mut("/components/schemas") {
        schemas["Area"]["enum"] =
            Value::Array(state.settings.areas.iter().map(|a| Value::String(a.slug.clone())).collect());
        schemas["Starter"]["enum"] = texts(&crate::workflow::STARTERS);
        schemas["PackageMethod"]["enum"] = texts(&crate::workflow::packages::METHODS);
    }
    if let Some(servers) = doc.get_mut("servers") {
        *servers = serde_json::json!([{ "url": format!("{}/api/v1", state.settings.public_url) }]);
    }
    HttpResponse::Ok().json(doc)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_document_is_valid_json_with_every_path() {
        let doc: serde_json::Value = serde_json::from_str(super::DOCUMENT).expect("valid JSON");
        for path in [
            "/inquiries",
            "/cases",
            "/cases/{reference}",
            "/cases/{reference}/transitions",
            "/cases/{reference}/referrals",
            "/openapi.json",
        ] {
            assert!(doc["paths"].get(path).is_some(), "{path} is described");
        }
    }
}
