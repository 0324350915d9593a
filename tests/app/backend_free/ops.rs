//! Operations, backend-free: log formats and `backup` refusing PostgreSQL.

use std::process::{Command, Stdio};

use reqwest::StatusCode;

/// Runs `velkomst serve --no-worker` on a free port in a fresh folder with
/// `extra` environment, asks for /healthz once, stops it and returns the
/// lines it wrote to standard error.
async fn serve_and_collect_stderr(extra: &[(&str, &str)]) -> Vec<String> {
    use std::io::BufRead;
    let dir = std::env::temp_dir().join(format!("velkomst-log-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp folder");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_velkomst"));
    cmd.args(["serve", "--no-worker"])
        .current_dir(&dir)
        .env("VELKOMST_DATABASE_URL", format!("sqlite://{}", dir.join("v.db").display()))
        .env("VELKOMST_LISTEN", "127.0.0.1:0")
        .env("VELKOMST_LOG", "info")
        .env("VELKOMST_SECRET_KEY", "ab".repeat(64))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("binary runs");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut lines = Vec::new();
    let port = loop {
        let line = rx.recv_timeout(std::time::Duration::from_secs(60)).expect("the server logs that it listens");
        lines.push(line.clone());
        if let Some(i) = line.find("listening on 127.0.0.1:") {
            let rest = &line[i + "listening on 127.0.0.1:".len()..];
            break rest.chars().take_while(char::is_ascii_digit).collect::<String>();
        }
    };
    let resp = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await.expect("GET /healthz");
    assert_eq!(resp.status(), StatusCode::OK);
    // The access log line is written after the response: wait for it.
    while let Ok(line) = rx.recv_timeout(std::time::Duration::from_secs(30)) {
        let done = line.contains("/healthz");
        lines.push(line);
        if done {
            break;
        }
    }
    child.kill().expect("stop the server");
    let _ = child.wait();
    reader.join().expect("reader");
    lines.extend(rx.try_iter());
    let _ = std::fs::remove_dir_all(&dir);
    lines
}

#[tokio::test]
async fn json_logs_are_one_object_per_line_and_never_coloured() {
    let lines = serve_and_collect_stderr(&[("VELKOMST_LOG_FORMAT", "json")]).await;
    assert!(lines.len() >= 2, "{lines:?}");
    for line in &lines {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not one JSON object ({e}): {line}"));
        assert!(v.is_object(), "{line}");
        assert!(v["timestamp"].is_string() && v["level"].is_string(), "{line}");
        assert!(!line.contains('\u{1b}'), "colour code in {line}");
    }
    assert!(lines.iter().any(|l| l.contains("listening on")), "{lines:?}");
    // The access log: method, path and status, and a line of its own.
    assert!(lines.iter().any(|l| l.contains("GET /healthz 200")), "{lines:?}");

    // Text, the default: readable lines, no colour codes on a pipe.
    let lines = serve_and_collect_stderr(&[]).await;
    assert!(lines.iter().any(|l| l.contains("listening on") && l.contains("INFO")), "{lines:?}");
    assert!(lines.iter().all(|l| !l.contains('\u{1b}')), "{lines:?}");
}

#[test]
fn an_unknown_log_format_is_a_usage_error_naming_the_variable() {
    let out = Command::new(env!("CARGO_BIN_EXE_velkomst"))
        .arg("migrate")
        .env("VELKOMST_DATABASE_URL", "sqlite://data/never.db")
        .env("VELKOMST_LOG_FORMAT", "xml")
        .output()
        .expect("binary runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("VELKOMST_LOG_FORMAT"), "{err}");
}

#[test]
fn backup_on_postgresql_says_to_use_pg_dump() {
    let (code, _, err) = crate::backup::backup(
        "postgres://nobody@127.0.0.1:1/none",
        &std::env::temp_dir().join("velkomst-never-written.db"),
    );
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("pg_dump"), "{err}");
    assert!(!std::env::temp_dir().join("velkomst-never-written.db").exists());
}
