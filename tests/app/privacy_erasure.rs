//! Erasure that keeps the statistics: the person goes from every table (and
//! on SQLite from the database files), the case stays as an anonymous record
//! whose figures do not change, and the erasure ledger erases again what a
//! restored backup brought back.

use std::process::Command;

use diesel::RunQueryDsl;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{l10n, spawn_app, TestApp};

/// A string that appears nowhere but in this person's data.
const MARKER: &str = "zqxmarker";

#[derive(diesel::QueryableByName)]
struct Line {
    #[diesel(sql_type = diesel::sql_types::Text)]
    line: String,
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn lines(conn: &mut velkomst::db::Conn, sql: &str) -> diesel::QueryResult<Vec<String>> {
    let rows: Vec<Line> = match conn {
        velkomst::db::Conn::Sqlite(c) => diesel::sql_query(sql).load(c)?,
        velkomst::db::Conn::Pg(c) => diesel::sql_query(sql).load(c)?,
    };
    Ok(rows.into_iter().map(|r| r.line).collect())
}

fn count(conn: &mut velkomst::db::Conn, sql: &str) -> diesel::QueryResult<i64> {
    let row: Count = match conn {
        velkomst::db::Conn::Sqlite(c) => diesel::sql_query(sql).get_result(c)?,
        velkomst::db::Conn::Pg(c) => diesel::sql_query(sql).get_result(c)?,
    };
    Ok(row.n)
}

/// What the reports count, case by case: stages reached and when, outcome,
/// household, campaign, where from, areas; and cases per stage and outcome.
async fn figures(app: &TestApp) -> Vec<String> {
    app.db
        .read(|conn| {
            let mut all = lines(
                conn,
                "SELECT reference || '|' || stage || '|' || COALESCE(outcome, '-') || '|' || CAST(created_at AS TEXT) \
                 || '|' || COALESCE(CAST(visit_at AS TEXT), '-') || '|' || COALESCE(CAST(move_in_at AS TEXT), '-') \
                 || '|' || COALESCE(CAST(closed_at AS TEXT), '-') || '|' || CAST(adults AS TEXT) || '|' || children \
                 || '|' || COALESCE(campaign, '-') || '|' || moving_from_kind AS line FROM cases ORDER BY reference",
            )?;
            all.extend(lines(
                conn,
                "SELECT stage || '|' || COALESCE(outcome, '-') || '|' || CAST(COUNT(*) AS TEXT) AS line \
                 FROM cases GROUP BY stage, outcome ORDER BY stage, outcome",
            )?);
            all.extend(lines(
                conn,
                "SELECT c.reference || '|' || a.area_slug AS line FROM case_areas a JOIN cases c ON c.id = a.case_id \
                 ORDER BY c.reference, a.position",
            )?);
            Ok(all)
        })
        .await
        .expect("figures")
}

/// Every column of every table (as the registry names them) holding the marker.
async fn columns_with_marker(app: &TestApp) -> Vec<String> {
    app.db
        .read(|conn| {
            let mut found = Vec::new();
            for (table, column, _) in velkomst::db::registry::COLUMNS {
                let sql =
                    format!("SELECT COUNT(*) AS n FROM {table} WHERE LOWER(CAST({column} AS TEXT)) LIKE '%{MARKER}%'");
                if count(conn, &sql)? > 0 {
                    found.push(format!("{table}.{column}"));
                }
            }
            Ok(found)
        })
        .await
        .expect("scan")
}

/// SQLite: whether the database file or its WAL holds the marker, in any case.
fn files_with_marker(db_file: &str) -> Vec<String> {
    ["", "-wal", "-journal"]
        .iter()
        .map(|ext| format!("{db_file}{ext}"))
        .filter(|path| {
            std::fs::read(path).is_ok_and(|bytes| {
                let lower = bytes.to_ascii_lowercase();
                lower.windows(MARKER.len()).any(|w| w == MARKER.as_bytes())
            })
        })
        .collect()
}

async fn marked_mover(app: &TestApp) -> String {
    app.mover_submits(&[
        ("name", "Zqxmarker Jensen"),
        ("email", "zqxmarker.jensen@example.dk"),
        ("phone", "+45 20 30 40 50"),
        ("message", "Hilsen fra familien Zqxmarker"),
        ("moving_from", "Næstved"),
        ("areas", "stege"),
        ("adults", "2"),
    ])
    .await
}

#[tokio::test]
async fn erasure_removes_the_person_from_every_table_and_file_and_keeps_the_figures() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let reference = marked_mover(&app).await;
    let control = app.mover_submits(&[("name", "Bente Kontrol"), ("email", "bente@example.dk")]).await;
    let ole = app.consultant("Ole Anden", "ole@kommune.dk").await;

    // The person's details spread: notes, a stage change, a closing note.
    let page = kim.on_case(&reference, "notes", &[("note", "Ringede til Zqxmarker, ring igen")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = kim.move_case(&reference, "move:visit", "Zqxmarker vil se Stege").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let close = [("action", "close"), ("outcome", "chose_elsewhere"), ("note", "Zqxmarker valgte Køge")];
    let page = kim.on_case(&reference, "transition", &close).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(!columns_with_marker(&app).await.is_empty(), "the marker is stored before erasure");
    if let Some(file) = app.settings.database_url.strip_prefix("sqlite://") {
        assert!(!files_with_marker(file).is_empty(), "and is in the files");
    }
    let before = figures(&app).await;
    assert!(before.iter().any(|l| l.starts_with(&reference) && l.ends_with("|region")), "Næstved: {before:?}");

    // Only an admin or the assigned consultant may erase; others get the 404 of an unknown case.
    let url = format!("/api/v1/cases/{reference}/erasure");
    let page = ole.api.post_json(&url, &json!({ "note": "Borgeren bad om det" })).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND, "{}", page.body);
    let page = kim.api.post_json(&url, &json!({})).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "a reason is required: {}", page.body);

    let page = kim.api.post_json(&url, &json!({ "note": "Borgeren bad om det" })).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let erased = page.json();
    assert_eq!(erased["reference"], reference.as_str());
    let erased_at = erased["erased_at"].as_str().expect("erased_at").to_string();
    let again = kim.api.post_json(&url, &json!({ "note": "igen" })).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.json(), erased, "erasing again answers the first erasure");

    // The case stays as an anonymous record.
    let case = kim.case_json(&reference).await;
    for field in ["name", "email", "phone", "message", "moving_from"] {
        assert!(case[field].is_null(), "{field}: {}", case[field]);
    }
    assert_eq!(case["erased_at"], erased_at.as_str());
    assert_eq!((case["stage"].as_str(), case["outcome"].as_str()), (Some("closed"), Some("chose_elsewhere")));
    assert_eq!(case["areas"], json!(["stege"]));
    let page = kim.browser.get(&format!("/cases/{reference}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.contains(&l10n("da", "privacy-erased-heading")), "the page says so");
    assert!(!page.body.to_lowercase().contains(MARKER));
    let queue = kim.queue("?stage=closed").await;
    assert!(queue.contains(&reference), "the erased case is still in the queue");

    // Nothing is left, and the figures are the same.
    assert_eq!(columns_with_marker(&app).await, Vec::<String>::new());
    assert_eq!(figures(&app).await, before, "report figures unchanged by erasure");
    assert_eq!(kim.case_json(&control).await["name"], "Bente Kontrol", "other cases untouched");
    if let Some(file) = app.settings.database_url.strip_prefix("sqlite://") {
        assert_eq!(files_with_marker(file), Vec::<String>::new(), "secure_delete and the WAL checkpoint");
    }

    // Nothing more happens to an erased case.
    let page = kim.api.post_json(&format!("/api/v1/cases/{reference}/transitions"), &json!({ "reopen": true })).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
}

#[tokio::test]
async fn erasing_an_open_case_from_the_case_page_closes_it_as_withdrawn_first() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let reference = marked_mover(&app).await;
    let ada = app.admin("Ada Admin", "ada@kommune.dk").await;
    let ole = app.consultant("Ole Anden", "ole@kommune.dk").await;
    let action = format!("/cases/{reference}/erasure");

    let page = ole.browser.get(&format!("/cases/{reference}")).await;
    assert!(!page.contains(&action), "no erase form for a consultant the case is not assigned to");
    let page = ole.on_case(&reference, "erasure", &[("reason", "Prøver")]).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let page = kim.browser.get(&format!("/cases/{reference}")).await;
    assert!(page.contains(&action), "the assigned consultant may erase");

    let page = ada.on_case(&reference, "erasure", &[("reason", "  ")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "a reason is required");
    assert!(page.contains(&l10n("da", "error-required")));
    let page = ada.on_case(&reference, "erasure", &[("reason", "Borgeren bad om sletning i telefonen")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    let case = ada.case_json(&reference).await;
    assert_eq!((case["stage"].as_str(), case["outcome"].as_str()), (Some("closed"), Some("withdrawn")));
    assert!(case["erased_at"].is_string() && case["name"].is_null());
    let closing = case["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .any(|e| e["to"] == "closed" && e["outcome"] == "withdrawn" && e["actor"] == "Ada Admin");
    assert!(closing, "the closing is on the timeline: {}", case["timeline"]);
    assert_eq!(columns_with_marker(&app).await, Vec::<String>::new());
    let page = ada.browser.get(&format!("/cases/{reference}")).await;
    assert!(!page.contains(&action), "no second erase form");
    assert!(page.contains(&l10n("da", "privacy-erased")));
}

fn cli(db_url: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_velkomst"))
        .args(args)
        .env("VELKOMST_DATABASE_URL", db_url)
        .env("VELKOMST_LOG", "warn")
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[tokio::test]
async fn a_restored_backup_is_erased_again_from_the_ledger() {
    let app = spawn_app().await;
    if !app.settings.database_url.starts_with("sqlite://") {
        // `velkomst backup` is SQLite's; the ledger commands are the same on PostgreSQL.
        return;
    }
    let kim = app.consultant("Kim Konsulent", "kim@kommune.dk").await;
    let reference = marked_mover(&app).await;
    let dir = std::env::temp_dir().join(format!("velkomst-erasure-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("folder");
    let backup = dir.join("before.db");
    let (code, _, err) = crate::backup::backup(&app.settings.database_url, &backup);
    assert_eq!(code, 0, "{err}");

    let page = kim.api.post_json(&format!("/api/v1/cases/{reference}/erasure"), &json!({ "note": "Anmodning" })).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let (code, ledger, err) = cli(&app.settings.database_url, &["erasures", "list"]);
    assert_eq!(code, 0, "{err}");
    assert!(ledger.contains(&reference) && !ledger.to_lowercase().contains(MARKER), "{ledger}");
    let ledger_file = dir.join("erasures.jsonl");
    std::fs::write(&ledger_file, &ledger).expect("ledger kept");

    // The backup was taken before the erasure: the person is back in it.
    let restored = format!("sqlite://{}", backup.display());
    assert!(!files_with_marker(&backup.display().to_string()).is_empty(), "the backup holds the person");
    let from = ledger_file.display().to_string();
    let (code, out, err) = cli(&restored, &["erasures", "reapply", "--from", &from]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&format!("erased again: {reference}")), "{out}");
    assert_eq!(files_with_marker(&backup.display().to_string()), Vec::<String>::new());
    let (code, out, _) = cli(&restored, &["erasures", "reapply"]);
    assert_eq!(code, 0);
    assert!(out.contains("0 erased again, 1 already erased"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
