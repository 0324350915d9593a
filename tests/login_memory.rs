//! The memory ceiling under a login storm (issue 11, High). Its own test
//! binary, so the process's peak resident memory (VmHWM) is this test's
//! alone. Before the bound, 64 parallel logins ran 64 argon2id hashes of
//! 19 MiB at once (1.2 GB and more); now at most `password_hash_threads`
//! run, on the same threads, whatever the number of clients.

#[allow(dead_code)]
#[path = "app/helpers.rs"]
mod helpers;

use helpers::*;
use reqwest::StatusCode;

fn vm_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_login_storm_stays_under_a_fixed_memory_ceiling() {
    if vm_kib("VmHWM:").is_none() {
        eprintln!("no /proc/self/status here; nothing to measure");
        return;
    }
    let threads: usize = std::env::var("STORM_HASH_THREADS").ok().and_then(|t| t.parse().ok()).unwrap_or(2);
    let app = spawn_app_with(|s| {
        s.auth.password_hash_threads = threads;
        s.auth.password_hash_wait_ms = 60_000;
        s.auth.login_throttle = false;
    })
    .await;
    app.add_user("consultant", "Kim Storm", "kim@kommune.dk").await;
    let b = app.browser();
    let token = b.get("/login").await.csrf_token();
    // One login first, so the baseline includes a warm app.
    b.post_form("/login", &[("csrf_token", &token), ("email", "kim@kommune.dk"), ("password", "warming up only")])
        .await;
    let before = vm_kib("VmHWM:").unwrap_or(0);
    let browser = std::sync::Arc::new(b);
    let mut statuses = Vec::new();
    for _round in 0..2 {
        let mut tasks = Vec::new();
        for i in 0..64 {
            let (b, token) = (std::sync::Arc::clone(&browser), token.clone());
            tasks.push(tokio::spawn(async move {
                let pw = format!("wrong password number {i}");
                b.post_form("/login", &[("csrf_token", &token), ("email", "kim@kommune.dk"), ("password", &pw)])
                    .await
                    .status
            }));
        }
        for t in tasks {
            statuses.push(t.await.expect("request"));
        }
    }
    let after = vm_kib("VmHWM:").unwrap_or(0);
    let rss = vm_kib("VmRSS:").unwrap_or(0);
    let grown_mib = after.saturating_sub(before) / 1024;
    eprintln!(
        "login storm: 128 logins (64 parallel, {threads} hashing threads): VmHWM {} MiB → {} MiB (+{grown_mib} MiB), VmRSS now {} MiB",
        before / 1024,
        after / 1024,
        rss / 1024
    );
    assert!(statuses.iter().all(|s| *s == StatusCode::UNAUTHORIZED), "every wrong password is refused: {statuses:?}");
    // Two hashing threads hold 2 × 19 MiB of argon2 memory, reused; the
    // margin covers the test's own clients and the app. 64 parallel hashes
    // (the old behaviour) needed 1.2 GB and more.
    if threads == 2 {
        assert!(grown_mib < 150, "peak memory grew by {grown_mib} MiB during the storm");
    }
}
