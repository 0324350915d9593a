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

/// `velkomst serve --no-worker` with these variables; the first line that
/// holds a set-up link, read as the operator reads it.
fn serve_and_read_setup_link(db_url: &str, listen: &str) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_velkomst"))
        .args(["serve", "--no-worker"])
        .env("VELKOMST_DATABASE_URL", db_url)
        .env("VELKOMST_LISTEN", listen)
        .env_remove("VELKOMST_PUBLIC_URL")
        .env("VELKOMST_SECRET_KEY", "ab".repeat(64))
        .env("VELKOMST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary runs");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("/setup/") {
                let _ = tx.send(line.trim().to_string());
            }
        }
    });
    let link = rx.recv_timeout(std::time::Duration::from_secs(120)).expect("the server prints a set-up link");
    (child, link)
}

// Fixed (was a bug): with VELKOMST_LISTEN set and VELKOMST_PUBLIC_URL unset,
// the printed first-admin link pointed at port 8080.
#[tokio::test]
async fn the_first_admin_link_points_at_the_port_the_server_listens_on() {
    let app = spawn_app().await;
    let url = app.settings.database_url.clone();
    let port = crate::smtp::free_port();
    for listen in ["127.0.0.1:0".to_string(), format!("127.0.0.1:{port}")] {
        let (mut child, link) = serve_and_read_setup_link(&url, &listen);
        let opened = reqwest::get(&link).await;
        let _ = child.kill();
        let _ = child.wait();
        let opened = opened.unwrap_or_else(|e| panic!("{listen}: {link} does not answer: {e}"));
        assert_eq!(opened.status(), StatusCode::OK, "{listen}: {link}");
        assert!(!link.contains(":8080/"), "{listen}: {link}");
        if !listen.ends_with(":0") {
            assert!(link.starts_with(&format!("http://127.0.0.1:{port}/setup/")), "{link}");
        }
    }
}

// Fixed (was a bug): `user add --role ambassador --area stege` made a user
// that could not be referred to (404) and made them the responsible
// consultant for Stege instead, displacing the real one.
#[tokio::test]
async fn user_add_registers_an_ambassador_who_can_be_referred_to_and_leaves_the_areas_consultant() {
    let app = spawn_app().await;
    let url = app.settings.database_url.clone();
    let admin = app.admin("Mette", "mette@kommune.dk").await;
    let kim = app.consultant("Kim", "kim@kommune.dk").await;
    let _lis = app.consultant("Lis", "lis@kommune.dk").await;
    let token = admin.browser.get("/admin/areas").await.csrf_token();
    let areas = [("csrf_token", token.as_str()), ("area_stege", kim.id.as_str())];
    assert_eq!(admin.browser.post_form("/admin/areas", &areas).await.status, StatusCode::SEE_OTHER);

    let (code, out, err) = velkomst(
        &url,
        &[
            "user",
            "add",
            "--email",
            "astrid@example.dk",
            "--name",
            "Astrid Holm",
            "--role",
            "ambassador",
            "--area",
            "stege",
            "--organisation",
            "Stege Borgerforening",
            "--kind",
            "association",
        ],
        None,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("/setup/"), "a link to set a password: {out}");

    // In the registry, as the admin page would have made them.
    let directory = admin.browser.get("/ambassadors?area=stege").await;
    assert!(directory.contains("Astrid Holm") && directory.contains("Stege Borgerforening"), "{}", directory.body);

    // Stege's consultant is still Kim: a new Stege case goes to Kim.
    let reference = app
        .mover_submits(&[
            ("name", "Åse"),
            ("email", "aase@example.dk"),
            ("areas", "stege"),
            ("ambassador_contact", "true"),
        ])
        .await;
    let case = kim.case_json(&reference).await;
    assert_eq!(case["assignee"], serde_json::Value::String(kim.id.clone()), "{case}");

    // And the ambassador can be referred to over the API.
    let referral = kim
        .api
        .post_json(
            &format!("/api/v1/cases/{reference}/referrals"),
            &serde_json::json!({ "ambassador": "astrid@example.dk", "message": "Åse vil gerne høre om foreningslivet." }),
        )
        .await;
    assert_eq!(referral.status, StatusCode::CREATED, "{}", referral.body);
    assert_eq!(referral.json()["state"], "offered");

    // Ambassador options elsewhere, or a kind that is not one: exit 2 naming it.
    for (args, names) in [
        (vec!["--role", "consultant", "--organisation", "X"], "--organisation"),
        (vec!["--role", "consultant", "--kind", "business"], "--kind"),
        (vec!["--role", "ambassador", "--kind", "wizard"], "--kind"),
    ] {
        let all = [&["user", "add", "--email", "z@example.dk", "--name", "Z"][..], &args].concat();
        let (code, _, err) = velkomst(&url, &all, None);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(names), "{err}");
    }
}
