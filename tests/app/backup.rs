//! `velkomst backup PATH` on a live SQLite database, and restoring it.

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with};

pub(crate) fn backup(db_url: &str, path: &std::path::Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_velkomst"))
        .arg("backup")
        .arg(path)
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
async fn a_backup_taken_during_intake_restores_every_inquiry_acknowledged_before_it() {
    let app = spawn_app().await;
    if !app.settings.database_url.starts_with("sqlite://") {
        // PostgreSQL: the command refuses and names pg_dump (tested below);
        // .ci/pg-backup-restore tests pg_dump/pg_restore.
        return;
    }
    let dir = std::env::temp_dir().join(format!("velkomst-backup-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("folder");
    let target = dir.join("velkomst-backup.db");

    // Four clients send inquiries until told to stop; every 201 is recorded.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::new();
    for c in 0..4 {
        let (acknowledged, stop, api) = (acknowledged.clone(), stop.clone(), app.api(None));
        clients.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                let page = api
                    .post_json(
                        "/api/v1/inquiries",
                        &json!({"name": format!("Åse Ørsted {c}-{i}"), "email": format!("aase{c}x{i}@example.dk")}),
                    )
                    .await;
                assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
                acknowledged.lock().expect("lock").push(page.json()["reference"].as_str().expect("reference").into());
            }
        }));
    }
    while acknowledged.lock().expect("lock").len() < 20 {
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }

    // Everything acknowledged before the backup starts must be in it.
    let before: Vec<String> = acknowledged.lock().expect("lock").clone();
    let (url, path) = (app.settings.database_url.clone(), target.clone());
    let (code, out, err) = tokio::task::spawn_blocking(move || backup(&url, &path)).await.expect("backup ran");
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.await.expect("client");
    }
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("backup written"), "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&target).expect("backup file").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "owner-only backup, got {mode:o}");
    }

    // An existing file is refused and left as it was.
    let len = std::fs::metadata(&target).expect("backup").len();
    let (code, _, err) = backup(&app.settings.database_url, &target);
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("exists already"), "{err}");
    assert_eq!(std::fs::metadata(&target).expect("backup").len(), len);

    // Restore as docs/operations.md says: the copy becomes the database file
    // of a (here: new) instance, which then finds every inquiry.
    let restored = dir.join("restored").join("velkomst.db");
    std::fs::create_dir_all(restored.parent().expect("parent")).expect("folder");
    std::fs::copy(&target, &restored).expect("copy backup into place");
    let restored_url = format!("sqlite://{}", restored.display());
    let app2 = spawn_app_with(|s| s.database_url = restored_url).await;
    let admin = app2.admin("Gendan Admin", "restore@kommune.dk").await;
    for reference in &before {
        let page = admin.api.get(&format!("/api/v1/cases/{reference}")).await;
        assert_eq!(page.status, StatusCode::OK, "{reference} acknowledged before the backup is in it");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
