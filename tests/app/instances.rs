//! Several app instances on one database, as docs/operations.md deploys them
//! on PostgreSQL: two `serve --no-worker` behind a proxy and one `worker`.
//! Intake spread over both loses nothing and duplicates nothing: no
//! reference twice, one receipt per inquiry, one follow-up per rule.

use std::collections::{HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::json;

use crate::helpers::spawn_app;
use crate::smtp::{free_port, SmtpSink};

/// A child process killed when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(args: &[&str], db_url: &str, smtp_url: &str, listen: &str, dir: &std::path::Path) -> Running {
    let child = Command::new(env!("CARGO_BIN_EXE_velkomst"))
        .args(args)
        .current_dir(dir)
        .env("VELKOMST_DATABASE_URL", db_url)
        .env("VELKOMST_SMTP_URL", smtp_url)
        .env("VELKOMST_LISTEN", listen)
        .env("VELKOMST_PUBLIC_URL", "http://127.0.0.1:9")
        .env("VELKOMST_SECRET_KEY", "ab".repeat(64))
        .env("VELKOMST_INTAKE_LIMIT", "0")
        .env("VELKOMST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    Running(child)
}

async fn until_healthy(base: &str) {
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if client.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{base} never became healthy");
}

#[tokio::test]
async fn two_web_instances_and_a_worker_lose_and_duplicate_nothing() {
    let app = spawn_app().await;
    let kim = app.consultant("Kim Konsulent", "kim.k@kommune.dk").await;
    let db_url = app.settings.database_url.clone();
    let sink = SmtpSink::start().await;
    let dir = app.settings.data_dir.clone();
    std::fs::create_dir_all(&dir).expect("data dir");
    let (a, b) = (format!("127.0.0.1:{}", free_port()), format!("127.0.0.1:{}", free_port()));
    let _web_a = start(&["serve", "--no-worker"], &db_url, &sink.url(), &a, &dir);
    let _web_b = start(&["serve", "--no-worker"], &db_url, &sink.url(), &b, &dir);
    let bases = [format!("http://{a}"), format!("http://{b}")];
    for base in &bases {
        until_healthy(base).await;
    }

    // 60 inquiries, 8 at a time, every other one to the other instance.
    let client = reqwest::Client::new();
    let answers: Vec<(usize, String)> = futures_util::stream::iter(0..60usize)
        .map(|i| {
            let (client, base) = (client.clone(), bases[i % 2].clone());
            async move {
                let body = json!({ "name": format!("Mover {i}"), "email": format!("mover{i}@example.dk"), "areas": ["stege"] });
                let r = client.post(format!("{base}/api/v1/inquiries")).json(&body).send().await.expect("sent");
                assert_eq!(r.status(), reqwest::StatusCode::CREATED, "inquiry {i} accepted");
                let v: serde_json::Value = r.json().await.expect("json");
                (i, v["reference"].as_str().expect("a reference").to_string())
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    let references: HashSet<&String> = answers.iter().map(|(_, r)| r).collect();
    assert_eq!(references.len(), 60, "no reference twice");

    // One worker delivers what both instances queued.
    let _worker = start(&["worker"], &db_url, &sink.url(), "127.0.0.1:0", &dir);
    for _ in 0..300 {
        if (0..60).all(|i| !sink.to(&format!("mover{i}@example.dk")).is_empty()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    for (i, reference) in &answers {
        let receipts = sink.to(&format!("mover{i}@example.dk"));
        assert_eq!(receipts.len(), 1, "one receipt for inquiry {i}");
        assert!(
            receipts[0].header("Subject").contains(reference.as_str())
                || receipts[0].text().contains(reference.as_str())
        );
        let case = kim.case_json(reference).await;
        assert_eq!(case["stage"], "information", "{reference} stored");
    }
    let followups = app
        .db
        .read(|conn| {
            use diesel::prelude::*;
            use velkomst::db::schema::followups;
            let rows: Vec<(String, String)> =
                followups::table.select((followups::case_id, followups::rule)).load(conn)?;
            Ok(rows)
        })
        .await
        .expect("follow-ups listed");
    let mut per_rule: HashMap<(String, String), usize> = HashMap::new();
    for row in followups {
        *per_rule.entry(row).or_default() += 1;
    }
    assert!(per_rule.len() >= 60, "every case has its follow-ups: {}", per_rule.len());
    assert!(per_rule.values().all(|n| *n == 1), "no follow-up twice");
}
