//! Email delivery benchmark: the outbox worker against a raw lettre send
//! loop, both to the same local SMTP sink in the same run.
//!
//! ```sh
//! cargo run --release --example mail_bench -- [--emails N] [--senders N] [--database-url URL]
//! ```
//! The ceiling is lettre alone: the same messages, the same pooled SMTP
//! transport and the same number of parallel senders, with no database.
//! The worker does everything real delivery does: claim with a lease, send,
//! and record each result with its timeline event in its own transaction.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use futures_util::StreamExt;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use velkomst::config::Settings;
use velkomst::db::outbox::{self, NewEmail};
use velkomst::db::Db;

/// A minimal, fast SMTP sink that counts what it accepts.
async fn sink(count: Arc<AtomicUsize>) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind sink");
    // Small SMTP replies must not wait for delayed ACKs (Nagle).
    let nodelay = true;
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let count = count.clone();
            let _ = socket.set_nodelay(nodelay);
            tokio::spawn(async move {
                let (r, mut w) = socket.into_split();
                let mut lines = BufReader::new(r);
                if w.write_all(b"220 sink\r\n").await.is_err() {
                    return;
                }
                let mut line = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let up = line.trim_end().to_ascii_uppercase();
                    let reply: &[u8] = if up.starts_with("EHLO") {
                        b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
                    } else if up == "DATA" {
                        if w.write_all(b"354 go\r\n").await.is_err() {
                            return;
                        }
                        loop {
                            line.clear();
                            if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                                return;
                            }
                            if line == ".\r\n" {
                                break;
                            }
                        }
                        count.fetch_add(1, Ordering::Relaxed);
                        b"250 ok\r\n"
                    } else if up == "QUIT" {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    if w.write_all(reply).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    port
}

fn email(i: usize) -> NewEmail {
    NewEmail {
        case_id: None,
        template: "receipt".into(),
        recipient: format!("mover{i}@example.dk"),
        recipient_name: format!("Åse Østergård {i}"),
        reply_to: Some("Kim Konsulent <kim@kommune.dk>".into()),
        subject: format!("Tak for din henvendelse — VK-2026-{i:06}"),
        body_text: "Kære Åse\n\nTak for din henvendelse. Vi er glade for, at du overvejer at flytte hertil.\n"
            .repeat(8),
        body_html: format!(
            "<!DOCTYPE html><html lang=\"da\"><body>{}</body></html>",
            "<p>Tak for din henvendelse.</p>".repeat(20)
        ),
        ics: None,
        ics_method: None,
    }
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n: usize = arg("--emails").and_then(|v| v.parse().ok()).unwrap_or(2000);
    let dir = std::env::temp_dir().join(format!("velkomst-mail-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let pg_server = arg("--database-url");
    let pg_db = format!("velkomst_mail_bench_{}", std::process::id());
    let url = match &pg_server {
        Some(server) => {
            use diesel::{Connection, RunQueryDsl};
            let mut c = diesel::PgConnection::establish(server).expect("PostgreSQL reachable");
            diesel::sql_query(format!("CREATE DATABASE {pg_db}")).execute(&mut c).expect("create database");
            format!("{}/{pg_db}", server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b))
        }
        None => format!("sqlite://{}", dir.join("bench.db").display()),
    };
    let count = Arc::new(AtomicUsize::new(0));
    let port = sink(count.clone()).await;
    let env = [
        ("VELKOMST_DATABASE_URL".to_string(), url.clone()),
        ("VELKOMST_SMTP_URL".to_string(), format!("smtp://127.0.0.1:{port}")),
        ("VELKOMST_LOG".to_string(), "warn".to_string()),
    ]
    .into();
    let mut settings = Settings::load_from(None, &env).expect("settings");
    settings.data_dir = dir.clone();
    settings.mail.batch_size = 50;
    if let Some(n) = arg("--senders").and_then(|v| v.parse().ok()) {
        settings.mail.senders = n;
    }
    let senders = settings.mail.senders;
    let db = Db::connect(&url, settings.database_pool_size).expect("database");
    db.migrate().expect("migrate");

    // Ceiling: lettre alone, same sink, same parallelism, same messages.
    let rows: Vec<NewEmail> = (0..n).map(email).collect();
    let stored: Vec<outbox::OutboxEmail> = rows
        .iter()
        .enumerate()
        .map(|(i, e)| outbox::OutboxEmail {
            id: format!("raw-{i}"),
            case_id: None,
            template: e.template.clone(),
            recipient: e.recipient.clone(),
            recipient_name: e.recipient_name.clone(),
            reply_to: e.reply_to.clone(),
            subject: e.subject.clone(),
            body_text: e.body_text.clone(),
            body_html: e.body_html.clone(),
            ics: None,
            ics_method: None,
            message_id: format!("<raw-{i}@bench>"),
            status: "pending".into(),
            attempts: 0,
            next_attempt_at: velkomst::db::now(),
            lease_until: None,
            leased_by: None,
            last_error: None,
            created_at: velkomst::db::now(),
            sent_at: None,
        })
        .collect();
    let transport: AsyncSmtpTransport<Tokio1Executor> =
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
            .port(port)
            .pool_config(lettre::transport::smtp::PoolConfig::new().max_size(senders as u32))
            .build();
    let from = settings.mail.from.clone();
    let t = Instant::now();
    futures_util::stream::iter(stored.iter())
        .map(|e| {
            let msg = velkomst::jobs::outbox_message(&from, e).and_then(|m| m.to_lettre()).expect("message");
            let tr = &transport;
            async move { tr.send(msg).await.expect("raw send") }
        })
        .buffer_unordered(senders)
        .collect::<Vec<_>>()
        .await;
    let raw = t.elapsed();
    let raw_rate = n as f64 / raw.as_secs_f64();
    let raw_count = count.swap(0, Ordering::Relaxed);

    // The worker: queue the same emails, then deliver them as `serve` does.
    db.write(move |conn| {
        velkomst::db::write_tx(conn, |conn| {
            for e in &rows {
                outbox::enqueue(conn, e, "bench.local", velkomst::db::now())?;
            }
            Ok(())
        })
    })
    .await
    .expect("queue");
    let worker = velkomst::jobs::Worker::new(db.clone(), Arc::new(settings)).expect("worker");
    let t = Instant::now();
    let mut sent = 0;
    while sent < n {
        let r = worker.deliver_due(velkomst::db::now()).await.expect("delivery");
        if r.sent == 0 {
            break;
        }
        sent += r.sent;
    }
    let took = t.elapsed();
    let rate = sent as f64 / took.as_secs_f64();
    let ratio = rate / raw_rate;
    println!("Velkomst email delivery benchmark — {} cores, {n} emails, {} senders", num_cpus(), senders);
    println!("database: {}", if pg_server.is_some() { "postgres" } else { "sqlite" });
    println!("{:<44} {:>10} {:>12}", "measure", "emails/s", "delivered");
    println!("{:<44} {:>10.0} {:>12}", "raw lettre loop (ceiling)", raw_rate, raw_count);
    println!("{:<44} {:>10.0} {:>12}", "outbox worker (claim, send, record)", rate, count.load(Ordering::Relaxed));
    println!("worker / ceiling = {ratio:.2} (target ≥ 0.50: {})", if ratio >= 0.5 { "PASS" } else { "FAIL" });
    drop(worker);
    drop(db);
    if let Some(server) = pg_server {
        use diesel::{Connection, RunQueryDsl};
        if let Ok(mut c) = diesel::PgConnection::establish(&server) {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")).execute(&mut c);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn num_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}
