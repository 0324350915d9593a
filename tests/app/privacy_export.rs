//! The subject-access export: everything stored about the person, as JSON
//! from the API and as a download from the case page.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{l10n, spawn_app};
use velkomst::db::registry::{Class, Subject, COLUMNS};

#[tokio::test]
async fn the_export_holds_every_row_about_the_person_as_stored() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let reference = app
        .mover_submits(&[
            ("name", "Ida Eksport"),
            ("email", "ida.eksport@example.dk"),
            ("phone", "+45 11 22 33 44"),
            ("message", "Vi har en hund"),
            ("moving_from", "Berlin, Tyskland"),
            ("areas", "stege"),
        ])
        .await;
    let page = kim.on_case(&reference, "notes", &[("note", "Ringet til Ida om skolerne")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);

    let page = kim.api.get(&format!("/api/v1/cases/{reference}/export")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let export = page.json();
    assert_eq!(export["reference"], reference.as_str());
    assert_eq!(export["case"]["name"], "Ida Eksport");
    assert!(export["controller"]["name"].is_string());
    let stored = export["stored"].as_object().expect("stored");
    let person = &stored["persons"][0];
    assert_eq!(
        (person["email"].as_str(), person["moving_from"].as_str()),
        (Some("ida.eksport@example.dk"), Some("Berlin, Tyskland"))
    );
    assert_eq!(stored["cases"][0]["moving_from_kind"], "abroad");
    let receipt = stored["outbox"].as_array().expect("outbox").iter().find(|m| m["template"] == "receipt");
    assert!(receipt.is_some_and(|m| m["body_text"].as_str().is_some_and(|b| b.contains("Ida"))), "the receipt as sent");
    let notes = stored["case_events"].to_string();
    assert!(notes.contains("Ringet til Ida om skolerne"), "the timeline with its notes");

    // Every personal column the registry knows is in the export of its table.
    for (table, column, class) in COLUMNS {
        if *class != Class::Personal(Subject::Mover) {
            continue;
        }
        let rows = stored.get(*table).and_then(Value::as_array).unwrap_or_else(|| panic!("{table} exported"));
        if let Some(row) = rows.first() {
            assert!(row.get(*column).is_some(), "{table}.{column} exported");
        }
    }

    // The case page offers the same as a download.
    let page = kim.browser.get(&format!("/cases/{reference}")).await;
    assert!(page.contains(&format!("/cases/{reference}/export")) && page.contains(&l10n("da", "privacy-export-link")));
    let file = kim.browser.get(&format!("/cases/{reference}/export")).await;
    assert_eq!(file.status, StatusCode::OK);
    let disposition = file.headers.get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(disposition.starts_with("attachment") && disposition.contains(&reference), "{disposition}");
    let downloaded: Value = serde_json::from_str(&file.body).expect("JSON");
    for table in ["cases", "persons", "case_events", "outbox"] {
        assert_eq!(downloaded["stored"][table], export["stored"][table], "{table}");
    }

    // The access log: who opened the personal data, when, what, why; admins see it on the case page.
    let ada = app.admin("Ada Admin", "ada@kommune.dk").await;
    let queue = ada.queue("").await;
    assert!(queue.contains(&reference));
    let page = ada.browser.get(&format!("/cases/{reference}")).await;
    assert!(page.contains(&l10n("da", "privacy-access-heading")), "admins see the access log");
    let log = &page.body[page.body.find("access-log-list").expect("the list")..];
    assert!(log.contains("Kim Konsulent") && log.contains(&l10n("da", "privacy-purpose-subject_access")));
    let page = kim.browser.get(&format!("/cases/{reference}")).await;
    assert!(!page.contains("access-log-list"), "consultants do not");
    let export = kim.api.get(&format!("/api/v1/cases/{reference}/export")).await.json();
    let log = export["stored"]["access_log"].as_array().expect("the access log is exported");
    let whats: Vec<&str> = log.iter().filter_map(|a| a["what"].as_str()).collect();
    assert!(whats.contains(&"case_page") && whats.contains(&"export"), "{whats:?}");
    assert!(log.iter().all(|a| a["role"].is_string() && a["purpose"].is_string() && a["at"].is_string()));
    let admin_rows = log.iter().filter(|a| a["role"] == "admin").count();
    assert_eq!(admin_rows, 1, "the admin opened the page once; the queue listing is not an opening");

    let page = kim.api.get("/api/v1/cases/VK-2026-AAAAAA/export").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);

    // After erasure the export shows what is left: no person.
    let page = kim.api.post_json(&format!("/api/v1/cases/{reference}/erasure"), &json!({ "note": "Anmodning" })).await;
    assert_eq!(page.status, StatusCode::OK);
    let export = kim.api.get(&format!("/api/v1/cases/{reference}/export")).await.json();
    assert_eq!(export["stored"]["persons"], json!([]));
    assert!(export["case"]["name"].is_null());
    assert!(!export.to_string().contains("ida.eksport"), "{export}");
}
