//! The command line: exit codes, one clear line for a bad setting, users
//! and tokens from the shell.

use std::io::Write;
use std::process::{Command, Stdio};

use reqwest::StatusCode;

use crate::helpers::spawn_app;

pub(crate) fn velkomst(db_url: &str, args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_velkomst"))
        .args(args)
        .env("VELKOMST_DATABASE_URL", db_url)
        .env("VELKOMST_LOG", "warn")
        .env("VELKOMST_PUBLIC_URL", "http://127.0.0.1:9")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    if let Some(text) = stdin {
        child.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("write stdin");
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().expect("exit");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[tokio::test]
async fn user_add_and_token_create_work_against_the_apps_database() {
    let app = spawn_app().await;
    let url = app.settings.database_url.clone();
    let (code, out, err) = velkomst(
        &url,
        &[
            "user",
            "add",
            "--email",
            "kim@kommune.dk",
            "--name",
            "Kim Ærø",
            "--role",
            "consultant",
            "--area",
            "stege",
            "--password-stdin",
        ],
        Some("a long and memorable passphrase\n"),
    );
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        app.browser().login("kim@kommune.dk", "a long and memorable passphrase").await.status,
        StatusCode::SEE_OTHER
    );

    // Without --password-stdin a one-time link is printed.
    let (code, out, _) =
        velkomst(&url, &["user", "add", "--email", "lis@kommune.dk", "--name", "Lis", "--role", "admin"], None);
    assert_eq!(code, 0);
    assert!(out.contains("/setup/"), "{out}");

    let (code, token, err) = velkomst(&url, &["token", "create", "--user", "kim@kommune.dk", "--name", "script"], None);
    assert_eq!(code, 0, "{err}");
    let api = app.api(Some(token.trim()));
    assert_eq!(api.get("/api/v1/cases").await.status, StatusCode::OK);

    // Same email twice, a bad role, an unknown area: exit 2 with one line naming the argument.
    for (args, names) in [
        (vec!["user", "add", "--email", "kim@kommune.dk", "--name", "Kim", "--role", "consultant"], "--email"),
        (vec!["user", "add", "--email", "x@kommune.dk", "--name", "X", "--role", "root"], "--role"),
        (
            vec!["user", "add", "--email", "y@kommune.dk", "--name", "Y", "--role", "consultant", "--area", "atlantis"],
            "--area",
        ),
        (vec!["token", "create", "--user", "nobody@kommune.dk", "--name", "x"], "--user"),
    ] {
        let (code, _, err) = velkomst(&url, &args, None);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(names), "{err}");
    }
}
