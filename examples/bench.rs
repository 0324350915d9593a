//! Velkomst benchmark: prints the figures of docs/performance.md.
//!
//! ```text
//! cargo run --release --example bench -- [--cases N] [--database-url URL]
//!     [--intake-requests R] [--queue-requests Q] [--seed-method bulk|receive]
//!     [--server-bin PATH] [--keep] [--reports]
//! ```
//!
//! `--reports` adds the half-year report (issue 9) to the measured requests:
//! the report page and the API's funnel by area for the last complete
//! half-year (about a sixth of the seeded cases), target p95 ≤ 500 ms.
//!
//! Default: N = 100 000 cases in a fresh SQLite file in a temporary folder.
//! With `--database-url postgres://USER@127.0.0.1:5432/DB` a fresh database
//! `velkomst_bench_<random>` is created on that server, used and dropped.
//!
//! Order of the run: seed the database to N cases (directly, not over HTTP),
//! start `target/release/velkomst serve` as a child process, read its idle
//! RSS, measure the raw insert ceiling (`receive`: the case rows in-process, with
//! durability off: a CPU ceiling) and the disk's fdatasync rate, the
//! HTTP intake at 1 and 16 clients, then queue latency; print one table.
//! Everything is bounded in time and talks only to 127.0.0.1.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use chrono::{Datelike, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};
use serde_json::{json, Value};

use velkomst::config::Settings;
use velkomst::db::cases::Cursor;
use velkomst::db::schema::{case_areas, case_events, case_interests, cases, outbox, persons};
use velkomst::db::{self, users as dbusers, Conn, Db};
use velkomst::domain::case::{EventKind, Outcome, Stage};
use velkomst::domain::inquiry::{Catalog, Inquiry, InquiryDraft};
use velkomst::domain::reference;
use velkomst::domain::report::{Household, Period};
use velkomst::domain::user::Role;

const PREFIX: &str = "VK";
/// Inquiries for the raw insert ceiling (at most `CEILING_MAX_TIME`).
const CEILING_INQUIRIES: usize = 3000;
const CEILING_MAX_TIME: Duration = Duration::from_secs(30);
/// Each intake level stops after its requests or this long, whichever first.
const INTAKE_MAX_TIME: Duration = Duration::from_secs(15);
/// Each queue scenario stops after its requests or this long.
const QUEUE_MAX_TIME: Duration = Duration::from_secs(20);
const QUEUE_WARMUP: usize = 5;
/// The half-year report with its area breakdown (issue 9).
const REPORT_TARGET_MS: f64 = 500.0;
/// Waiting for the worker to deliver the intake's emails stops after this.
const DRAIN_MAX_TIME: Duration = Duration::from_secs(120);
const RSS_SAMPLE_EVERY: Duration = Duration::from_millis(100);
const IDLE_RSS_TARGET_MIB: f64 = 30.0;
const RATIO_TARGET: f64 = 0.5;
/// "Deep is no slower than first": deep p50 ≤ first p50 × 1.2 + 1 ms (noise
/// allowance; an OFFSET scan 90 % into 1 M rows would be 10–100× slower).
const DEEP_ALLOWANCE: f64 = 1.2;
const DEEP_SLACK_MS: f64 = 1.0;
/// "1,000,000 cases in a few minutes": 5 minutes.
const SEED_TARGET_PER_SEC: f64 = 1_000_000.0 / 300.0;

const FIRST_NAMES: &[&str] = &[
    "Søren",
    "Mette",
    "Jørgen",
    "Åse",
    "Bjørn",
    "Anne",
    "Lærke",
    "Mads",
    "Frederikke",
    "Kasper",
    "Sofie",
    "Rasmus",
    "Ida",
    "Mikkel",
    "Camilla",
    "Jens",
    "Karen",
    "Niels",
    "Birgitte",
    "Ole",
    "Signe",
    "Thomas",
    "Maja",
    "Anders",
    "Louise",
    "Peter",
    "Emma",
    "Lars",
    "Freja",
    "Henrik",
    "Line",
    "Morten",
    "Astrid",
    "Jonas",
    "Bodil",
    "Kåre",
    "Nanna",
    "Østen",
    "Helle",
    "Gorm",
];
const MIDDLE_NAMES: &[&str] = &["Marie", "Kristian", "Louise", "Bøgh", "Holm", "Skov", "Lund", "Dam"];
const SURNAMES: &[&str] = &[
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Møller",
    "Mortensen",
    "Østergaard",
    "Bækgaard",
    "Kjær",
    "Grønbæk",
    "Holm",
    "Dahl",
    "Frandsen",
    "Skovgård",
    "Nørgaard",
    "Søndergaard",
    "Højlund",
    "Ærenlund",
    "Brøndum",
];
const TOWNS: &[&str] =
    &["København", "Aarhus", "Odense", "Aalborg", "Køge", "Næstved", "Roskilde", "Hillerød", "Malmö", "Hamburg"];
const MESSAGES: &[&str] = &[
    "Vi overvejer at flytte til området og vil gerne høre om skoler og børnehaver.",
    "Hej! Vi leder efter et hus med have tæt på vandet. Hvad koster grunde i øjeblikket?",
    "Min kæreste har fået job i Vordingborg. Kan I hjælpe mig med at finde arbejde?",
    "Vi er en familie på fire, der drømmer om et liv på landet. Må vi komme på besøg?",
    "We are moving from abroad and would like to know more about daycare and English-speaking schools.",
    "Jeg er pensioneret og søger et mindre hus nær Præstø. Hvordan er det med lægedækning?",
    "Vi vil gerne starte en lille gårdbutik. Er der foreninger for lokale fødevareproducenter?",
];
const CAMPAIGNS: &[&str] = &["sommer-2026", "boligmesse", "facebook", "moen-biosphere"];
const CONSULTANTS: &[(&str, &str)] = &[
    ("bench.anne@example.dk", "Anne Bækgaard"),
    ("bench.soeren@example.dk", "Søren Østergaard"),
    ("bench.maja@example.dk", "Maja Kjær"),
    ("bench.jens@example.dk", "Jens Grønbæk"),
    ("bench.aase@example.dk", "Åse Nørgaard"),
];

static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// A progress line on stderr, with the seconds since the start.
macro_rules! progress {
    ($($arg:tt)*) => {
        eprintln!("[{:7.1} s] {}", START.get_or_init(Instant::now).elapsed().as_secs_f64(), format!($($arg)*))
    };
}

// ---------------------------------------------------------------- arguments

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SeedMethod {
    Receive,
    Bulk,
}

struct Args {
    cases: usize,
    database_url: Option<String>,
    intake_requests: usize,
    queue_requests: usize,
    seed_method: SeedMethod,
    server_bin: Option<PathBuf>,
    keep: bool,
    reports: bool,
}

const USAGE: &str = "usage: cargo run --release --example bench -- [--cases N] [--database-url URL] \
[--intake-requests R] [--queue-requests Q] [--seed-method bulk|receive] [--server-bin PATH] [--keep] [--reports]";

fn parse_args() -> Result<Args> {
    let mut a = Args {
        cases: 100_000,
        database_url: None,
        intake_requests: 2000,
        queue_requests: 200,
        seed_method: SeedMethod::Bulk,
        server_bin: None,
        keep: false,
        reports: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| anyhow!("{flag} needs a value\n{USAGE}"));
        match flag.as_str() {
            "--cases" => a.cases = value()?.replace(['_', ','], "").parse().context("--cases: a whole number")?,
            "--database-url" => a.database_url = Some(value()?),
            "--intake-requests" => a.intake_requests = value()?.parse().context("--intake-requests")?,
            "--queue-requests" => a.queue_requests = value()?.parse().context("--queue-requests")?,
            "--seed-method" => {
                a.seed_method = match value()?.as_str() {
                    "receive" => SeedMethod::Receive,
                    "bulk" => SeedMethod::Bulk,
                    other => bail!("--seed-method: receive or bulk, not {other}"),
                }
            }
            "--server-bin" => a.server_bin = Some(PathBuf::from(value()?)),
            "--keep" => a.keep = true,
            "--reports" => a.reports = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => bail!("unknown argument {other}\n{USAGE}"),
        }
    }
    if a.intake_requests == 0 || a.queue_requests == 0 {
        bail!("--intake-requests and --queue-requests must be at least 1");
    }
    Ok(a)
}

// ---------------------------------------------------------------- clean-up

/// Ends the server, drops the PostgreSQL database and removes the temporary
/// folder, however `main` ends.
struct Cleanup {
    dir: PathBuf,
    server: Option<Child>,
    pg: Option<(String, String)>,
    keep: bool,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Some(mut child) = self.server.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        if self.keep {
            eprintln!("kept {} (and the database) for inspection", self.dir.display());
            return;
        }
        if let Some((admin_url, name)) = self.pg.take() {
            match diesel::PgConnection::establish(&admin_url) {
                Ok(mut c) => {
                    if let Err(e) = c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")) {
                        eprintln!("could not drop database {name}: {e}");
                    }
                }
                Err(e) => eprintln!("could not connect to drop database {name}: {e}"),
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// `postgres://u@h:5432/test?x=y` with the database name replaced.
fn with_database(url: &str, name: &str) -> Result<String> {
    let (main, query) = match url.split_once('?') {
        Some((m, q)) => (m, Some(q)),
        None => (url, None),
    };
    let after_scheme = main.find("://").map(|i| i + 3).ok_or_else(|| anyhow!("not a URL: {url}"))?;
    let base = match main[after_scheme..].find('/') {
        Some(i) => &main[..after_scheme + i],
        None => main,
    };
    Ok(match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    })
}

// ---------------------------------------------------------------- inquiries

/// Realistic inquiries: Danish names with æøå, 0–3 children born within the
/// last 18 years, 1–2 configured areas, interests, now and then a message.
struct Gen {
    rng: StdRng,
    year: i32,
    areas: Vec<String>,
    interests: Vec<String>,
    seq: u64,
}

fn ascii_fold(s: &str) -> String {
    s.to_lowercase().replace('æ', "ae").replace('ø', "oe").replace('å', "aa").replace(' ', ".")
}

impl Gen {
    fn new(seed: u64, settings: &Settings) -> Self {
        Self {
            rng: StdRng::seed_from_u64(seed),
            year: chrono::Utc::now().with_timezone(&settings.time_zone).year(),
            areas: settings.areas.iter().map(|a| a.slug.clone()).collect(),
            interests: settings.interests.iter().map(|i| i.slug.clone()).collect(),
            seq: seed.wrapping_mul(10_000_000),
        }
    }

    fn pick<'a>(&mut self, list: &'a [&'a str]) -> &'a str {
        list[self.rng.gen_range(0..list.len())]
    }

    fn draft(&mut self) -> InquiryDraft {
        self.seq += 1;
        let first = self.pick(FIRST_NAMES);
        let surname = self.pick(SURNAMES);
        let name = if self.rng.gen_bool(0.2) {
            let middle = self.pick(MIDDLE_NAMES);
            format!("{first} {middle} {surname}")
        } else {
            format!("{first} {surname}")
        };
        let domain = self.pick(&["example.dk", "example.com", "post.example.dk"]);
        let email = format!("{}.{}{}@{domain}", ascii_fold(first), ascii_fold(surname), self.seq);
        let n_children = self.rng.gen_range(0..=3);
        let children = (0..n_children).map(|_| (self.year - self.rng.gen_range(0..=18)).to_string()).collect();
        let n_areas = self.rng.gen_range(1..=2);
        let mut areas = Vec::new();
        while areas.len() < n_areas {
            let a = self.areas[self.rng.gen_range(0..self.areas.len())].clone();
            if !areas.contains(&a) {
                areas.push(a);
            }
        }
        let n_interests = self.rng.gen_range(0..=4);
        let mut interests = Vec::new();
        while interests.len() < n_interests {
            let i = self.interests[self.rng.gen_range(0..self.interests.len())].clone();
            if !interests.contains(&i) {
                interests.push(i);
            }
        }
        InquiryDraft {
            name,
            email,
            phone: if self.rng.gen_bool(0.7) {
                format!("+45 {:08}", self.rng.gen_range(20_000_000..99_999_999))
            } else {
                String::new()
            },
            language: if self.rng.gen_bool(0.85) { "da" } else { "en" }.into(),
            moving_from: if self.rng.gen_bool(0.6) { self.pick(TOWNS).to_string() } else { String::new() },
            adults: self.rng.gen_range(1..=2).to_string(),
            children,
            areas,
            housing: self.pick(&["buy", "rent", "build", "undecided"]).into(),
            timeframe: self.pick(&["0-6m", "6-12m", "12m+", "undecided"]).into(),
            interests,
            job_help: self.rng.gen_bool(0.3),
            message: if self.rng.gen_bool(0.4) { self.pick(MESSAGES).to_string() } else { String::new() },
            ambassador_contact: self.rng.gen_bool(0.5),
            campaign: if self.rng.gen_bool(0.2) { self.pick(CAMPAIGNS).to_string() } else { String::new() },
        }
    }

    fn inquiry(&mut self, settings: &Settings) -> Result<Inquiry> {
        let d = self.draft();
        let catalog = Catalog {
            areas: settings.areas.iter().map(|a| a.slug.as_str()).collect(),
            interests: settings.interests.iter().map(|i| i.slug.as_str()).collect(),
        };
        Inquiry::parse(&d, &catalog, self.year).map_err(|e| anyhow!("generated an invalid inquiry: {e:?}"))
    }
}

/// The JSON body of POST /api/v1/inquiries for a draft.
fn draft_json(d: &InquiryDraft) -> Value {
    let children: Vec<i64> = d.children.iter().filter_map(|c| c.parse().ok()).collect();
    let opt = |s: &str| if s.is_empty() { Value::Null } else { Value::String(s.to_string()) };
    json!({
        "name": d.name,
        "email": d.email,
        "phone": opt(&d.phone),
        "language": d.language,
        "moving_from": opt(&d.moving_from),
        "adults": d.adults.parse::<i64>().unwrap_or(1),
        "children": children,
        "areas": d.areas,
        "housing": d.housing,
        "timeframe": d.timeframe,
        "interests": d.interests,
        "job_help": d.job_help,
        "message": opt(&d.message),
        "ambassador_contact": d.ambassador_contact,
        "campaign": opt(&d.campaign),
    })
}

// ---------------------------------------------------------------- seeding

/// Where one seeded case ends up.
struct Plan {
    created_at: NaiveDateTime,
    waiting_since: NaiveDateTime,
    stage: Stage,
    last_open_stage: Stage,
    outcome: Option<Outcome>,
    /// Index into the consultants; `None`: unassigned (about 10 %).
    assignee: Option<usize>,
    first_contact_at: Option<NaiveDateTime>,
    visit_at: Option<NaiveDateTime>,
    move_in_at: Option<NaiveDateTime>,
    welcome_package_at: Option<NaiveDateTime>,
    closed_at: Option<NaiveDateTime>,
}

const MICROS_PER_DAY: i64 = 86_400_000_000;

fn weighted<T: Copy>(rng: &mut StdRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.gen_range(0..total);
    for (item, w) in items {
        if x < *w {
            return *item;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

/// Case `i` of `n`: created in its own slot of the last three years (so
/// creation times are distinct and follow insertion order), about 85 %
/// closed, the open ones spread over the four open stages.
fn plan(rng: &mut StdRng, i: usize, n: usize, start: NaiveDateTime, now: NaiveDateTime, consultants: usize) -> Plan {
    let span = (now - start).num_microseconds().unwrap_or(i64::MAX);
    let slot = (span / n.max(1) as i64).max(1);
    let created_at = start + chrono::Duration::microseconds(i as i64 * slot + rng.gen_range(0..slot));
    let room = (now - created_at).num_microseconds().unwrap_or(0).max(1);
    let after = |rng: &mut StdRng, max_days: i64| {
        created_at + chrono::Duration::microseconds(rng.gen_range(0..room.min(max_days * MICROS_PER_DAY).max(1)))
    };
    let closed = rng.gen_bool(0.85);
    let (stage, last_open_stage, outcome) = if closed {
        let outcome = weighted(
            rng,
            &[
                (Outcome::Welcomed, 35),
                (Outcome::ChoseElsewhere, 20),
                (Outcome::NoResponse, 25),
                (Outcome::Withdrawn, 10),
                (Outcome::Duplicate, 5),
                (Outcome::Spam, 5),
            ],
        );
        let last = match outcome {
            Outcome::Welcomed => Stage::WelcomePackage,
            Outcome::ChoseElsewhere | Outcome::Withdrawn => {
                weighted(rng, &[(Stage::Information, 50), (Stage::Visit, 35), (Stage::MoveIn, 15)])
            }
            Outcome::NoResponse => weighted(rng, &[(Stage::Information, 85), (Stage::Visit, 15)]),
            Outcome::Duplicate | Outcome::Spam => Stage::Information,
        };
        (Stage::Closed, last, Some(outcome))
    } else {
        let s = weighted(
            rng,
            &[(Stage::Information, 40), (Stage::Visit, 25), (Stage::MoveIn, 20), (Stage::WelcomePackage, 15)],
        );
        (s, s, None)
    };
    let waiting_since = if closed { after(rng, 120) } else { after(rng, 60) };
    // Stage dates between creation and the last change, in order.
    let between = |rng: &mut StdRng| {
        let r = (waiting_since - created_at).num_microseconds().unwrap_or(0).max(1);
        created_at + chrono::Duration::microseconds(rng.gen_range(0..r))
    };
    let mut dates = [between(rng), between(rng), between(rng)];
    dates.sort();
    let reached = |s: Stage| last_open_stage >= s;
    let entered = |s: Stage, d: NaiveDateTime| if !closed && stage == s { waiting_since } else { d };
    let skipped_visit = reached(Stage::MoveIn) && rng.gen_bool(0.2);
    let visit_at = (reached(Stage::Visit) && !skipped_visit).then(|| entered(Stage::Visit, dates[0]));
    let move_in_at = reached(Stage::MoveIn).then(|| entered(Stage::MoveIn, dates[1]));
    let welcome_package_at = reached(Stage::WelcomePackage).then(|| entered(Stage::WelcomePackage, dates[2]));
    let contacted = match (closed, last_open_stage) {
        (_, s) if s > Stage::Information => true,
        (true, _) => !matches!(outcome, Some(Outcome::NoResponse | Outcome::Duplicate | Outcome::Spam)),
        (false, _) => rng.gen_bool(0.5),
    };
    let first_contact_at = contacted.then(|| {
        let limit = if closed || stage != Stage::Information { waiting_since } else { now };
        let r = (limit - created_at).num_microseconds().unwrap_or(0).clamp(1, 3 * MICROS_PER_DAY);
        created_at + chrono::Duration::microseconds(rng.gen_range(0..r))
    });
    Plan {
        created_at,
        waiting_since,
        stage,
        last_open_stage,
        outcome,
        assignee: if rng.gen_bool(0.1) { None } else { Some(rng.gen_range(0..consultants)) },
        first_contact_at,
        visit_at,
        move_in_at,
        welcome_package_at,
        closed_at: closed.then_some(waiting_since),
    }
}

/// Whether `write_tx` may be called inside `write_tx` (PostgreSQL nests with
/// a savepoint; on SQLite diesel 2.3 refuses a second BEGIN IMMEDIATE with
/// AlreadyInTransaction, so `--seed-method receive` works on PostgreSQL only).
fn write_tx_nests(conn: &mut Conn) -> bool {
    db::write_tx(conn, |c| db::write_tx(c, |_| Ok(()))).is_ok()
}

struct SeedReport {
    inserted: usize,
    secs: f64,
    method: &'static str,
}

fn seed(
    conn: &mut Conn,
    settings: &Settings,
    target: usize,
    consultants: &[String],
    method: SeedMethod,
) -> Result<SeedReport> {
    let existing: i64 = cases::table.count().get_result(conn)?;
    let missing = target.saturating_sub(usize::try_from(existing).unwrap_or(0));
    // Bulk by default: receive() costs ~10 statements a case (PostgreSQL:
    // ~650 cases/s measured), too slow for 1 M in minutes, and cannot be
    // batched on SQLite at all. The bulk rows are the ones receive() writes.
    let use_receive = method == SeedMethod::Receive;
    if use_receive && !write_tx_nests(conn) {
        bail!("--seed-method receive: write_tx does not nest on this backend (see docs/performance.md)");
    }
    let method_name = if use_receive { "receive() in write_tx batches + UPDATE" } else { "bulk INSERT in write_tx" };
    progress!("seeding {missing} cases ({method_name})…");
    let now = db::now();
    let start = now - chrono::Duration::days(3 * 365);
    let mut gen = Gen::new(1, settings);
    let mut plan_rng = StdRng::seed_from_u64(2);
    let mut refs_seen: HashSet<String> = HashSet::new();
    let batch = if use_receive { 500 } else { 1000 };
    let t0 = Instant::now();
    let mut done = 0;
    let mut next_report = missing / 10;
    while done < missing {
        let k = batch.min(missing - done);
        let mut items = Vec::with_capacity(k);
        for j in 0..k {
            let p = plan(&mut plan_rng, done + j, missing, start, now, consultants.len());
            items.push((gen.inquiry(settings)?, p));
        }
        if use_receive {
            seed_batch_receive(conn, &items, consultants)?;
        } else {
            seed_batch_bulk(conn, &items, consultants, &mut refs_seen)?;
        }
        done += k;
        if done >= next_report && missing >= 10 {
            progress!("  {done}/{missing} in {:.1} s", t0.elapsed().as_secs_f64());
            next_report += missing / 10;
        }
    }
    // One UPDATE brings the auto-assignment counters in line with the cases.
    diesel::sql_query(
        "UPDATE users SET open_cases = (SELECT COUNT(*) FROM cases \
         WHERE cases.assignee_id = users.id AND cases.is_open)",
    )
    .execute(conn)?;
    let secs = t0.elapsed().as_secs_f64();
    Ok(SeedReport { inserted: missing, secs, method: method_name })
}

/// The brief's way: `receive` for each inquiry, then the plan as UPDATEs,
/// all in one write transaction per batch.
fn seed_batch_receive(conn: &mut Conn, items: &[(Inquiry, Plan)], consultants: &[String]) -> Result<()> {
    db::write_tx(conn, |conn| {
        for (inquiry, p) in items {
            let reference = receive(conn, inquiry, p.created_at.year())?;
            diesel::update(cases::table.filter(cases::reference.eq(&reference)))
                .set((
                    cases::assignee_id.eq(p.assignee.map(|i| consultants[i].clone())),
                    cases::stage.eq(p.stage.as_str()),
                    cases::last_open_stage.eq(p.last_open_stage.as_str()),
                    cases::outcome.eq(p.outcome.map(Outcome::as_str)),
                    cases::is_open.eq(p.stage.is_open()),
                    cases::waiting_since.eq(p.waiting_since),
                    cases::first_contact_at.eq(p.first_contact_at),
                    cases::created_at.eq(p.created_at),
                    cases::updated_at.eq(p.waiting_since),
                    cases::visit_at.eq(p.visit_at),
                    cases::move_in_at.eq(p.move_in_at),
                    cases::welcome_package_at.eq(p.welcome_package_at),
                    cases::closed_at.eq(p.closed_at),
                ))
                .execute(conn)?;
        }
        Ok(())
    })?;
    Ok(())
}

/// The case rows alone, as intake writes them (no emails, no follow-ups):
/// a fresh reference, the assignee intake would pick, then the inserts.
fn receive(conn: &mut Conn, inquiry: &Inquiry, year: i32) -> Result<velkomst::domain::reference::Reference> {
    Ok(db::write_tx(conn, |conn| {
        let mut rng = rand::thread_rng();
        let mut reference = reference::generate(PREFIX, year, &mut rng);
        while db::cases::reference_taken(conn, &reference)? {
            reference = reference::generate(PREFIX, year, &mut rng);
        }
        let assignee = db::staffing::pick_assignee(conn, inquiry.areas.first().map(String::as_str))?.assignee;
        db::cases::receive_as(conn, inquiry, &reference, assignee.as_deref())?;
        Ok(reference)
    })?)
}

/// The same rows `receive` writes (case, areas, interests, "received" and
/// "assigned" events), already spread, as multi-row INSERTs.
fn seed_batch_bulk(
    conn: &mut Conn,
    items: &[(Inquiry, Plan)],
    consultants: &[String],
    refs_seen: &mut HashSet<String>,
) -> Result<()> {
    let mut rng = rand::thread_rng();
    let mut case_rows = Vec::with_capacity(items.len());
    let mut area_rows = Vec::new();
    let mut interest_rows = Vec::new();
    let mut event_rows = Vec::new();
    let mut person_rows = Vec::with_capacity(items.len());
    for (inq, p) in items {
        let id = db::new_id();
        // References are unique per prefix and year; a collision is retried
        // (receive asks the database; this run is the only writer).
        let mut reference = reference::generate(PREFIX, p.created_at.year(), &mut rng);
        while !refs_seen.insert(reference.to_string()) {
            reference = reference::generate(PREFIX, p.created_at.year(), &mut rng);
        }
        let children: Vec<i32> = inq.children.iter().map(|c| c.year()).collect();
        let search_text = format!("{} {} {}", inq.name.as_str(), inq.email.as_str(), reference).to_lowercase();
        let assignee = p.assignee.map(|i| consultants[i].clone());
        for (i, slug) in inq.areas.iter().enumerate() {
            area_rows.push((
                case_areas::case_id.eq(id.clone()),
                case_areas::area_slug.eq(slug.clone()),
                case_areas::position.eq(i32::try_from(i).unwrap_or(0)),
            ));
        }
        for interest in &inq.interests {
            interest_rows.push((case_interests::case_id.eq(id.clone()), case_interests::interest.eq(interest.clone())));
        }
        event_rows.push((
            case_events::id.eq(db::new_id()),
            case_events::case_id.eq(id.clone()),
            case_events::at.eq(p.created_at),
            case_events::kind.eq(EventKind::Received.as_str()),
            case_events::actor_id.eq(None::<String>),
            case_events::data.eq(json!({ "campaign": inq.campaign }).to_string()),
        ));
        if let Some(a) = &assignee {
            event_rows.push((
                case_events::id.eq(db::new_id()),
                case_events::case_id.eq(id.clone()),
                case_events::at.eq(p.created_at),
                case_events::kind.eq(EventKind::Assigned.as_str()),
                case_events::actor_id.eq(None::<String>),
                case_events::data.eq(json!({ "assignee": a, "automatic": true }).to_string()),
            ));
        }
        person_rows.push((
            persons::case_id.eq(id.clone()),
            persons::name.eq(inq.name.as_str().to_string()),
            persons::email.eq(inq.email.as_str().to_string()),
            persons::phone.eq(inq.phone.clone()),
            persons::message.eq(inq.message.clone()),
            persons::moving_from.eq(inq.moving_from.clone()),
            persons::search_text.eq(search_text),
        ));
        case_rows.push((
            (
                cases::id.eq(id),
                cases::reference.eq(reference),
                cases::language.eq(inq.language.as_str()),
                cases::adults.eq(inq.adults),
                cases::children.eq(serde_json::to_string(&children).unwrap_or_else(|_| "[]".into())),
                cases::children_count.eq(i32::try_from(children.len()).unwrap_or(0)),
                cases::housing.eq(inq.housing.as_str()),
                cases::timeframe.eq(inq.timeframe.as_str()),
                cases::job_help.eq(inq.job_help),
                cases::ambassador_contact.eq(inq.ambassador_contact),
                cases::campaign.eq(inq.campaign.clone()),
                cases::household.eq(Household::of(inq.adults, &children, p.created_at.year()).as_str()),
            ),
            (
                cases::assignee_id.eq(assignee),
                cases::stage.eq(p.stage.as_str()),
                cases::last_open_stage.eq(p.last_open_stage.as_str()),
                cases::outcome.eq(p.outcome.map(Outcome::as_str)),
                cases::is_open.eq(p.stage.is_open()),
                cases::waiting_since.eq(p.waiting_since),
                cases::first_contact_at.eq(p.first_contact_at),
                cases::created_at.eq(p.created_at),
                cases::updated_at.eq(p.waiting_since),
                cases::visit_at.eq(p.visit_at),
                cases::move_in_at.eq(p.move_in_at),
                cases::welcome_package_at.eq(p.welcome_package_at),
                cases::closed_at.eq(p.closed_at),
            ),
        ));
    }
    // Multi-row INSERT is not available through the multi-connection's
    // backend, so each statement runs on the concrete connection.
    macro_rules! insert_all {
        ($c:expr) => {{
            // 30 binds a row: 500 rows stay under SQLite's 32 766 and PostgreSQL's 65 535.
            for chunk in case_rows.chunks(500) {
                diesel::insert_into(cases::table).values(chunk).execute($c)?;
            }
            for chunk in person_rows.chunks(2000) {
                diesel::insert_into(persons::table).values(chunk).execute($c)?;
            }
            for chunk in area_rows.chunks(2000) {
                diesel::insert_into(case_areas::table).values(chunk).execute($c)?;
            }
            for chunk in interest_rows.chunks(2000) {
                diesel::insert_into(case_interests::table).values(chunk).execute($c)?;
            }
            for chunk in event_rows.chunks(1000) {
                diesel::insert_into(case_events::table).values(chunk).execute($c)?;
            }
        }};
    }
    db::write_tx(conn, |conn| {
        match conn {
            Conn::Sqlite(c) => insert_all!(c),
            Conn::Pg(c) => insert_all!(c),
        }
        Ok(())
    })?;
    Ok(())
}

// ---------------------------------------------------------------- the server

/// How long the disk's fdatasync rate is measured.
const FSYNC_TIME: Duration = Duration::from_secs(2);

/// Rewrites 4 KiB and waits for `fdatasync`, again and again, in the
/// database's folder: the most durable commits per second one writer that
/// commits alone can reach there (a WAL commit is a write and one flush).
fn fsync_rate(dir: &Path) -> Result<(f64, usize)> {
    use std::io::{Seek, SeekFrom, Write};
    let path = dir.join("fsync-probe");
    let mut f = std::fs::OpenOptions::new().create(true).truncate(true).read(true).write(true).open(&path)?;
    let block = [7u8; 4096];
    let t0 = Instant::now();
    let mut n = 0;
    while t0.elapsed() < FSYNC_TIME {
        f.seek(SeekFrom::Start(0))?;
        f.write_all(&block)?;
        f.sync_data()?;
        n += 1;
    }
    let rate = n as f64 / t0.elapsed().as_secs_f64();
    drop(f);
    std::fs::remove_file(&path)?;
    Ok((rate, n))
}

fn server_binary(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    // The example is target/release/examples/bench; the server sits in
    // target/release. Build it, so the figures are of the current source.
    let exe = std::env::current_exe()?;
    let dir = exe.parent().and_then(Path::parent).ok_or_else(|| anyhow!("cannot locate target dir"))?;
    let bin = dir.join(format!("velkomst{}", std::env::consts::EXE_SUFFIX));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let profile = if dir.ends_with("release") { vec!["--release"] } else { vec![] };
    progress!("building the server (cargo build {} --bin velkomst)…", profile.join(" "));
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--bin", "velkomst", "--manifest-path"])
        .arg(&manifest)
        .args(&profile)
        .status()
        .context("running cargo build")?;
    if !status.success() {
        bail!("cargo build --bin velkomst failed");
    }
    if !bin.exists() {
        bail!("{} not found after building", bin.display());
    }
    Ok(bin)
}

fn free_port() -> Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

fn start_server(bin: &Path, dir: &Path, database_url: &str, port: u16) -> Result<Child> {
    let config = dir.join("bench.toml");
    let data = dir.join("data");
    std::fs::write(
        &config,
        format!(
            "# written by examples/bench.rs\ndata_dir = {:?}\npublic_url = \"http://127.0.0.1:{port}\"\n",
            data.display().to_string()
        ),
    )?;
    let log = std::fs::File::create(dir.join("server.log"))?;
    let mut cmd = Command::new(bin);
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("VELKOMST_")) {
        cmd.env_remove(k);
    }
    cmd.arg("--config")
        .arg(&config)
        .arg("serve")
        .env("VELKOMST_DATABASE_URL", database_url)
        .env("VELKOMST_LISTEN", format!("127.0.0.1:{port}"))
        .env("VELKOMST_INTAKE_LIMIT", "0")
        .env("VELKOMST_LOG", "warn")
        .env("VELKOMST_SECRET_KEY", random_hex(64))
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    cmd.spawn().with_context(|| format!("starting {}", bin.display()))
}

fn server_log_tail(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

async fn wait_healthy(client: &reqwest::Client, base: &str, child: &mut Child, dir: &Path) -> Result<Duration> {
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(60) {
        if let Some(status) = child.try_wait()? {
            bail!("the server exited ({status}):\n{}", server_log_tail(dir));
        }
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await {
            if r.status().is_success() {
                return Ok(t0.elapsed());
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("the server did not answer /healthz within 60 s:\n{}", server_log_tail(dir))
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Samples the server's VmRSS every 100 ms; keeps the maximum per phase.
struct RssSampler {
    phase: Arc<Mutex<Option<&'static str>>>,
    max: Arc<Mutex<BTreeMap<&'static str, u64>>>,
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl RssSampler {
    fn start(pid: u32) -> Self {
        let phase: Arc<Mutex<Option<&'static str>>> = Arc::new(Mutex::new(None));
        let max: Arc<Mutex<BTreeMap<&'static str, u64>>> = Arc::new(Mutex::new(BTreeMap::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (p, m, s) = (phase.clone(), max.clone(), stop.clone());
        let handle = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                let current = *p.lock().unwrap_or_else(|e| e.into_inner());
                if let (Some(name), Some(kib)) = (current, rss_kib(pid)) {
                    let mut m = m.lock().unwrap_or_else(|e| e.into_inner());
                    let e = m.entry(name).or_insert(0);
                    *e = (*e).max(kib);
                }
                std::thread::sleep(RSS_SAMPLE_EVERY);
            }
        });
        Self { phase, max, stop, handle: Some(handle) }
    }

    fn set_phase(&self, name: Option<&'static str>) {
        *self.phase.lock().unwrap_or_else(|e| e.into_inner()) = name;
    }

    fn finish(mut self) -> BTreeMap<&'static str, u64> {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        let m = self.max.lock().unwrap_or_else(|e| e.into_inner());
        m.clone()
    }
}

// ---------------------------------------------------------------- measuring

#[derive(Default)]
struct Stats {
    samples: Vec<Duration>,
    errors: usize,
    first_error: Option<String>,
    wall: Duration,
}

impl Stats {
    fn pct(&self, p: f64) -> f64 {
        if self.samples.is_empty() {
            return f64::NAN;
        }
        let mut v = self.samples.clone();
        v.sort();
        // Nearest rank.
        let rank = ((p / 100.0) * v.len() as f64).ceil().max(1.0) as usize;
        v[rank.min(v.len()) - 1].as_secs_f64() * 1000.0
    }

    fn rate(&self) -> f64 {
        self.samples.len() as f64 / self.wall.as_secs_f64().max(1e-9)
    }

    fn error(&mut self, msg: String) {
        self.errors += 1;
        self.first_error.get_or_insert(msg);
    }
}

/// POSTs the bodies with `clients` concurrent clients until all are sent
/// or `INTAKE_MAX_TIME` has passed.
async fn intake(client: &reqwest::Client, base: &str, bodies: Arc<Vec<Vec<u8>>>, clients: usize) -> Stats {
    let next = Arc::new(AtomicUsize::new(0));
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, bodies, next) = (client.clone(), bodies.clone(), next.clone());
        let url = format!("{base}/api/v1/inquiries");
        tasks.push(tokio::spawn(async move {
            let mut s = Stats::default();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= bodies.len() || t0.elapsed() > INTAKE_MAX_TIME {
                    break;
                }
                let started = Instant::now();
                let r =
                    client.post(&url).header("content-type", "application/json").body(bodies[i].clone()).send().await;
                match r {
                    Ok(r) if r.status() == reqwest::StatusCode::CREATED => {
                        let _ = r.bytes().await;
                        s.samples.push(started.elapsed());
                    }
                    Ok(r) => {
                        let status = r.status();
                        let body = r.text().await.unwrap_or_default();
                        s.error(format!("{status}: {}", body.chars().take(200).collect::<String>()));
                    }
                    Err(e) => s.error(e.to_string()),
                }
            }
            s
        }));
    }
    let mut all = Stats::default();
    for t in tasks {
        match t.await {
            Ok(s) => {
                all.samples.extend(s.samples);
                all.errors += s.errors;
                if all.first_error.is_none() {
                    all.first_error = s.first_error;
                }
            }
            Err(e) => all.error(format!("client task failed: {e}")),
        }
    }
    all.wall = t0.elapsed();
    all
}

#[derive(Clone)]
enum Auth {
    None,
    Bearer(String),
    Cookie(String),
}

async fn get(client: &reqwest::Client, url: &str, auth: &Auth) -> Result<(Duration, String)> {
    let req = match auth {
        Auth::None => client.get(url),
        Auth::Bearer(t) => client.get(url).bearer_auth(t),
        Auth::Cookie(c) => client.get(url).header("cookie", format!("velkomst_session={c}")),
    };
    // As a browser asks: compressed, on a kept-alive connection (the
    // client's pool). The time includes inflating the body.
    let req = req.header("accept-encoding", "gzip");
    let started = Instant::now();
    let r = req.send().await?;
    let status = r.status();
    let gzip = r.headers().get("content-encoding").is_some_and(|v| v == "gzip");
    let bytes = r.bytes().await?;
    let body = if gzip {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text)?;
        text
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let took = started.elapsed();
    if status != reqwest::StatusCode::OK {
        bail!("GET {url}: {status}: {}", body.chars().take(200).collect::<String>());
    }
    Ok((took, body))
}

/// The same GET, sequentially, after a few warm-up requests.
async fn repeat(client: &reqwest::Client, url: &str, auth: &Auth, n: usize) -> (Stats, usize) {
    let mut s = Stats::default();
    let mut rows = 0;
    for _ in 0..QUEUE_WARMUP {
        if let Err(e) = get(client, url, auth).await {
            s.error(e.to_string());
            return (s, 0);
        }
    }
    let t0 = Instant::now();
    for _ in 0..n {
        match get(client, url, auth).await {
            Ok((took, body)) => {
                s.samples.push(took);
                if rows == 0 {
                    rows = count_rows(&body);
                }
            }
            Err(e) => s.error(e.to_string()),
        }
        if t0.elapsed() > QUEUE_MAX_TIME {
            break;
        }
    }
    s.wall = t0.elapsed();
    (s, rows)
}

/// Rows on a page: the API's `cases` array, or the HTML table's rows.
fn count_rows(body: &str) -> usize {
    match serde_json::from_str::<Value>(body) {
        Ok(v) => v["cases"].as_array().map_or(0, Vec::len),
        Err(_) => body.matches("<tr").count().saturating_sub(1),
    }
}

/// Follows `next` from the first page of `url`, timing every page.
async fn walk(client: &reqwest::Client, url: &str, auth: &Auth, pages: usize) -> (Stats, usize) {
    let mut s = Stats::default();
    let mut after: Option<String> = None;
    let t0 = Instant::now();
    let mut walked = 0;
    while walked < pages && t0.elapsed() < QUEUE_MAX_TIME {
        let page_url = match &after {
            Some(c) => format!("{url}&after={c}"),
            None => url.to_string(),
        };
        match get(client, &page_url, auth).await {
            Ok((took, body)) => {
                s.samples.push(took);
                walked += 1;
                let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                match v["next"].as_str() {
                    Some(c) => after = Some(c.to_string()),
                    None => break,
                }
            }
            Err(e) => {
                s.error(e.to_string());
                break;
            }
        }
    }
    s.wall = t0.elapsed();
    (s, walked)
}

/// A cursor `fraction` of the way into the (waiting_since, id) order of the
/// rows `filter` selects.
fn cursor_at(conn: &mut Conn, closed: bool, fraction: f64) -> Result<String> {
    let total: i64 = if closed {
        cases::table.filter(cases::stage.eq("closed")).count().get_result(conn)?
    } else {
        cases::table.filter(cases::is_open.eq(true)).count().get_result(conn)?
    };
    let k = ((total as f64) * fraction) as i64;
    let mut q = cases::table.select((cases::waiting_since, cases::id)).into_boxed::<<Conn as Connection>::Backend>();
    q = if closed { q.filter(cases::stage.eq("closed")) } else { q.filter(cases::is_open.eq(true)) };
    let (waiting_since, id): (NaiveDateTime, String) =
        q.order((cases::waiting_since.asc(), cases::id.asc())).offset(k).first(conn)?;
    Ok(Cursor { waiting_since, id }.encode())
}

// ---------------------------------------------------------------- the table

struct Table {
    rows: Vec<[String; 4]>,
    failures: usize,
}

impl Table {
    fn row(
        &mut self,
        figure: impl Into<String>,
        value: impl Into<String>,
        target: impl Into<String>,
        ok: Option<bool>,
    ) {
        let result = match ok {
            Some(true) => "PASS",
            Some(false) => {
                self.failures += 1;
                "FAIL"
            }
            None => "—",
        };
        self.rows.push([figure.into(), value.into(), target.into(), result.into()]);
    }

    fn print(&self) {
        let heads = ["Figure", "Value", "Target", "Result"];
        let mut w = heads.map(|h| h.chars().count());
        for r in &self.rows {
            for (i, c) in r.iter().enumerate() {
                w[i] = w[i].max(c.chars().count());
            }
        }
        let line = |cells: [&str; 4]| {
            let padded: Vec<String> =
                cells.iter().enumerate().map(|(i, c)| format!("{c}{}", " ".repeat(w[i] - c.chars().count()))).collect();
            println!("| {} |", padded.join(" | "));
        };
        line(heads);
        println!("|{}|", w.iter().map(|n| "-".repeat(n + 2)).collect::<Vec<_>>().join("|"));
        for r in &self.rows {
            line([&r[0], &r[1], &r[2], &r[3]]);
        }
    }
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

// ---------------------------------------------------------------- main

fn main() {
    if let Err(e) = run() {
        eprintln!("bench: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let started = *START.get_or_init(Instant::now);
    let args = parse_args()?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let dir = std::env::temp_dir().join(format!("velkomst-bench-{}", random_hex(4)));
    std::fs::create_dir_all(&dir)?;
    let mut cleanup = Cleanup { dir: dir.clone(), server: None, pg: None, keep: args.keep };

    // The database: a fresh SQLite file, or a fresh PostgreSQL database.
    let database_url = match &args.database_url {
        None => format!("sqlite://{}", dir.join("bench.db").display()),
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            let name = format!("velkomst_bench_{}", random_hex(4));
            let mut admin =
                diesel::PgConnection::establish(url).with_context(|| format!("connecting to {}", db::redact(url)))?;
            admin.batch_execute(&format!("CREATE DATABASE \"{name}\""))?;
            cleanup.pg = Some((url.clone(), name.clone()));
            with_database(url, &name)?
        }
        Some(url) if url.starts_with("sqlite://") => {
            bail!("--database-url: give no URL for SQLite (a fresh file is used)")
        }
        Some(_) => bail!("--database-url: must be postgres://…"),
    };
    let backend = if database_url.starts_with("sqlite://") { "SQLite" } else { "PostgreSQL" };
    progress!("database: {} ({backend}); folder {}", db::redact(&database_url), dir.display());

    let env: HashMap<String, String> = [("VELKOMST_DATABASE_URL".to_string(), database_url.clone())].into();
    let settings = Settings::load_from(None, &env).map_err(|e| anyhow!("{e}"))?;
    // Migrations and areas, as `velkomst migrate` does.
    let db = velkomst::startup::prepare_database(&settings).map_err(|e| anyhow!("{e}"))?;

    // Staff: five consultants, an API token and an HTML session for the first.
    let mut conn = db.direct()?;
    let mut consultants = Vec::new();
    for (email, name) in CONSULTANTS {
        let u = dbusers::create(&mut conn, email, name, Role::Consultant, None)?
            .ok_or_else(|| anyhow!("user {email} exists already"))?;
        consultants.push(u);
    }
    let me = consultants[0].clone();
    let token = format!("vk_{}", velkomst::crypto::random_token());
    dbusers::create_api_token(&mut conn, &me.id, "bench", &velkomst::crypto::token_hash(&token))?;
    let session = velkomst::crypto::random_token();
    let expires = db::now() + chrono::Duration::hours(24);
    dbusers::create_session(&mut conn, &velkomst::crypto::token_hash(&session), &me.id, expires)?;
    drop(conn);
    let consultant_ids: Vec<String> = consultants.iter().map(|u| u.id.clone()).collect();

    // 3. Seeding, on its own connection (SQLite: a larger page cache for the bulk load only).
    let seeded = {
        let seed_db = Db::connect(&database_url, 1).map_err(|e| anyhow!("{e}"))?;
        let mut c = seed_db.direct()?;
        if let Conn::Sqlite(inner) = &mut c {
            inner.batch_execute("PRAGMA cache_size = -262144")?;
        }
        let r = seed(&mut c, &settings, args.cases, &consultant_ids, args.seed_method)?;
        if let Conn::Pg(inner) = &mut c {
            // Autovacuum would do this soon after the bulk load. Without it the
            // visibility map is empty and the queue header's stage counts
            // cannot use an index-only scan (measured: 37 ms instead of 2 ms at 100k).
            inner.batch_execute("VACUUM ANALYZE")?;
        }
        r
    };
    let mut conn = db.direct()?;
    let total_after_seed: i64 = cases::table.count().get_result(&mut conn)?;
    progress!(
        "seeded {} cases in {:.1} s ({:.0}/s); {} in the database",
        seeded.inserted,
        seeded.secs,
        seeded.inserted as f64 / seeded.secs.max(1e-9),
        total_after_seed
    );
    // Search terms and cursors from the seeded data.
    let open_total: i64 = cases::table.filter(cases::is_open.eq(true)).count().get_result(&mut conn)?;
    // A full name (shared by about one case in 1,500) and an email (unique)
    // of an open case half-way down the queue: a search that finds one
    // person reads every open case.
    let (full_name, email): (String, String) = cases::table
        .inner_join(persons::table)
        .filter(cases::is_open.eq(true))
        .order((cases::waiting_since.asc(), cases::id.asc()))
        .offset(open_total / 2)
        .select((persons::name, persons::email))
        .first(&mut conn)?;
    let deep_closed = cursor_at(&mut conn, true, 0.9)?;
    let deep_open = cursor_at(&mut conn, false, 0.9)?;

    // 1. Raw insert ceiling, before the server starts (nothing competes for
    // the write lock): receive() in this process, one pooled connection, one thread. Then the same for what POST /api/v1/inquiries
    // runs since the outbox landed: workflow::receive_inquiry (receive() +
    // the receipt and consultant-notice emails rendered into the outbox +
    // follow-ups), so the HTTP layer's own cost can be read off too.
    // A CPU ceiling: durability off for this connection only (SQLite
    // synchronous=OFF, PostgreSQL synchronous_commit=off), so the disk's
    // flush rate does not hide in it; restored before the server starts.
    let durability = |c: &mut Conn, on: bool| -> Result<()> {
        match c {
            Conn::Sqlite(inner) => {
                inner.batch_execute(if on { "PRAGMA synchronous = FULL" } else { "PRAGMA synchronous = OFF" })?
            }
            Conn::Pg(inner) => {
                inner.batch_execute(if on { "SET synchronous_commit = on" } else { "SET synchronous_commit = off" })?
            }
        }
        Ok(())
    };
    durability(&mut conn, false)?;
    let year = chrono::Utc::now().with_timezone(&settings.time_zone).year();
    let mut gen = Gen::new(7, &settings);
    let mut ceiling_of = |name: &str, f: &mut dyn FnMut(&mut Conn, &Inquiry) -> Result<()>| -> Result<(f64, usize)> {
        let inquiries: Vec<Inquiry> = (0..CEILING_INQUIRIES).map(|_| gen.inquiry(&settings)).collect::<Result<_>>()?;
        progress!("ceiling: {} × {name}…", inquiries.len());
        let t0 = Instant::now();
        let mut n = 0;
        for inq in &inquiries {
            f(&mut conn, inq)?;
            n += 1;
            if t0.elapsed() > CEILING_MAX_TIME {
                break;
            }
        }
        Ok((n as f64 / t0.elapsed().as_secs_f64(), n))
    };
    let (ceiling, ceiling_n) = ceiling_of("case rows (receive)", &mut |c, inq| {
        receive(c, inq, year)?;
        Ok(())
    })?;
    let (wf_ceiling, wf_ceiling_n) = ceiling_of("workflow::receive_inquiry", &mut |c, inq| {
        velkomst::workflow::receive_inquiry(c, &settings, inq, year)?;
        Ok(())
    })?;
    // The ceiling's emails are bench data: marked sent, so the server's
    // worker does not spend the measurements delivering them.
    diesel::update(outbox::table.filter(outbox::status.eq_any(["pending", "sending"])))
        .set((outbox::status.eq("sent"), outbox::sent_at.eq(Some(db::now()))))
        .execute(&mut conn)?;
    durability(&mut conn, true)?;
    drop(conn);
    // What one durable commit at a time can reach on this disk.
    progress!("disk: fdatasync rate…");
    let fsyncs = fsync_rate(&dir)?;

    // The server.
    let bin = server_binary(args.server_bin.as_deref())?;
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let client = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(64)
        .build()?;
    let child = start_server(&bin, &dir, &database_url, port)?;
    let pid = child.id();
    cleanup.server = Some(child);
    let up = rt.block_on(async {
        let child = cleanup.server.as_mut().ok_or_else(|| anyhow!("no server"))?;
        wait_healthy(&client, &base, child, &dir).await
    })?;
    progress!("server up on {base} after {:.2} s (pid {pid})", up.as_secs_f64());
    std::thread::sleep(Duration::from_secs(1));
    let idle_kib = rss_kib(pid).ok_or_else(|| anyhow!("cannot read /proc/{pid}/status"))?;
    let sampler = RssSampler::start(pid);

    // 2. Intake over HTTP at 1 and 16 clients.
    let bodies = |seed: u64| -> Arc<Vec<Vec<u8>>> {
        let mut g = Gen::new(seed, &settings);
        Arc::new((0..args.intake_requests).map(|_| draft_json(&g.draft()).to_string().into_bytes()).collect())
    };
    let (b1, b16) = (bodies(11), bodies(12));
    // The floor under every request: HTTP, a blocking-pool hop and a pooled `SELECT 1`.
    progress!("floor: GET /healthz…");
    let (floor, _) = rt.block_on(repeat(&client, &format!("{base}/healthz"), &Auth::None, args.queue_requests));
    progress!("intake: 1 client…");
    let intake1 = rt.block_on(intake(&client, &base, b1, 1));
    progress!("intake: 16 clients…");
    sampler.set_phase(Some("intake16"));
    let intake16 = rt.block_on(intake(&client, &base, b16, 16));
    // The worker delivers the intake's emails (receipt + consultant notice;
    // development mail: .eml files). Wait for it, so the queue is measured
    // on a quiet server; how long it takes is the delivery rate.
    progress!("waiting for the outbox to drain…");
    let drain_t0 = Instant::now();
    let pending = |c: &mut Conn| -> Result<i64> {
        Ok(outbox::table.filter(outbox::status.eq_any(["pending", "sending"])).count().get_result(c)?)
    };
    let mut c = db.direct()?;
    let backlog = pending(&mut c)?;
    let mut left = backlog;
    while left > 0 && drain_t0.elapsed() < DRAIN_MAX_TIME {
        std::thread::sleep(Duration::from_millis(250));
        left = pending(&mut c)?;
    }
    drop(c);
    let drain_secs = drain_t0.elapsed().as_secs_f64();
    sampler.set_phase(None);

    // 4. Queue latency.
    sampler.set_phase(Some("queue"));
    let bearer = Auth::Bearer(token);
    let cookie = Auth::Cookie(session);
    let api = format!("{base}/api/v1/cases");
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let surname = "Jørgensen";
    let area = "stege";
    let n = args.queue_requests;
    let mut scenarios: Vec<(String, String, Auth)> = vec![
        ("GET /cases (HTML, first page)".into(), format!("{base}/cases"), cookie.clone()),
        ("GET /cases (HTML, deep: 90 % into open)".into(), format!("{base}/cases?after={deep_open}"), cookie.clone()),
        ("API first page (open queue)".into(), api.clone(), bearer.clone()),
        ("API stage=information".into(), format!("{api}?stage=information"), bearer.clone()),
        ("API assignee=<consultant>".into(), format!("{api}?assignee={}", me.id), bearer.clone()),
        (format!("API area={area}"), format!("{api}?area={area}"), bearer.clone()),
        ("API overdue=1".into(), format!("{api}?overdue=1"), bearer.clone()),
        (format!("API q={surname}"), format!("{api}?q={}", enc(surname)), bearer.clone()),
        ("API q=<full name of one open case>".into(), format!("{api}?q={}", enc(&full_name)), bearer.clone()),
        ("API q=<email of one open case>".into(), format!("{api}?q={}", enc(&email)), bearer.clone()),
        ("API stage=closed".into(), format!("{api}?stage=closed"), bearer.clone()),
        ("API deep: 90 % into open".into(), format!("{api}?after={deep_open}"), bearer.clone()),
        ("API deep: stage=closed, 90 % in".into(), format!("{api}?stage=closed&after={deep_closed}"), bearer.clone()),
    ];
    if args.reports {
        // The last complete half-year: about a sixth of the seeded cases.
        let today = chrono::Utc::now().with_timezone(&settings.time_zone).date_naive();
        let half = Period::half_of(today).previous().key().unwrap_or_default();
        let (from, to) = Period::half_of(today).previous().utc_bounds(settings.time_zone);
        let in_half: i64 = cases::table
            .filter(cases::created_at.ge(from).and(cases::created_at.lt(to)))
            .count()
            .get_result(&mut db.direct()?)?;
        progress!("reports: half-year {half} holds {in_half} cases");
        let p = Period::half_of(today).previous();
        scenarios.push((
            format!("Report: GET /reports?period={half} (HTML)"),
            format!("{base}/reports?period={half}"),
            cookie.clone(),
        ));
        scenarios.push((
            format!("Report: API funnel by=area, {half}"),
            format!("{base}/api/v1/reports/funnel?from={}&to={}&by=area", p.from, p.to),
            bearer.clone(),
        ));
        scenarios.push((
            format!("Report: GET /reports/by-area.csv?period={half}"),
            format!("{base}/reports/by-area.csv?period={half}"),
            cookie.clone(),
        ));
    }
    let mut queue_results = Vec::new();
    for (name, url, auth) in scenarios.drain(..) {
        progress!("queue: {name}…");
        let (stats, rows) = rt.block_on(repeat(&client, &url, &auth, n));
        queue_results.push((name, stats, rows));
    }
    progress!("queue: walking `next` from the open queue's first page…");
    let (walk_stats, walked) = rt.block_on(walk(&client, &format!("{api}?limit=50"), &bearer, 200.max(n)));
    sampler.set_phase(None);
    let rss = sampler.finish();

    // Stop the server before the database goes away.
    if let Some(mut child) = cleanup.server.take() {
        let _ = child.kill();
        let _ = child.wait();
    }
    let final_total: i64 = cases::table.count().get_result(&mut db.direct()?)?;
    drop(db);

    // ---- the table
    let mib = |kib: u64| kib as f64 / 1024.0;
    let queue_target = if args.cases <= 100_000 { 50.0 } else { 100.0 };
    let commit = git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    let mut t = Table { rows: Vec::new(), failures: 0 };
    t.row(
        "Seeding",
        format!(
            "{:.0} cases/s ({} in {:.1} s; {})",
            seeded.inserted as f64 / seeded.secs.max(1e-9),
            thousands(seeded.inserted),
            seeded.secs,
            seeded.method
        ),
        format!("≥ {SEED_TARGET_PER_SEC:.0}/s (1 M in ≤ 5 min)"),
        (seeded.inserted > 0).then(|| seeded.inserted as f64 / seeded.secs >= SEED_TARGET_PER_SEC),
    );
    t.row(
        "Disk: fdatasync rate, 4 KiB rewrites, 1 thread",
        format!("{:.0} fsyncs/s ({} in {:.1} s)", fsyncs.0, fsyncs.1, FSYNC_TIME.as_secs_f64()),
        "—",
        None,
    );
    t.row(
        "Raw insert ceiling: case rows (receive), 1 thread, no fsync",
        format!("{ceiling:.0} inquiries/s ({ceiling_n} inquiries)"),
        "—",
        None,
    );
    t.row(
        "Intake-path ceiling: workflow::receive_inquiry, 1 thread, no fsync",
        format!("{wf_ceiling:.0} inquiries/s ({wf_ceiling_n} inquiries)"),
        "—",
        None,
    );
    t.row(
        "Outbox drain after intake (worker, .eml files)",
        format!(
            "{} of {backlog} emails in {drain_secs:.1} s after the last request ({:.0}/s)",
            backlog - left,
            (backlog - left) as f64 / drain_secs.max(1e-9)
        ),
        "drained",
        Some(left == 0),
    );
    t.row(
        "HTTP floor: GET /healthz, 1 client",
        format!("p50 {:.2} ms, p95 {:.2} ms (n={})", floor.pct(50.0), floor.pct(95.0), floor.samples.len()),
        "—",
        None,
    );
    for (label, s) in [("1 client", &intake1), ("16 clients", &intake16)] {
        let ok = s.errors == 0 && !s.samples.is_empty();
        t.row(
            format!("Intake HTTP, {label}"),
            format!(
                "{:.0} req/s, p50 {:.1} ms, p95 {:.1} ms ({} ok, {} errors)",
                s.rate(),
                s.pct(50.0),
                s.pct(95.0),
                s.samples.len(),
                s.errors
            ),
            "no errors",
            Some(ok),
        );
        for (what, c) in [("receive", ceiling), ("receive_inquiry", wf_ceiling)] {
            let ratio = s.rate() / c;
            t.row(
                format!("Intake/ceiling ({what}), {label}"),
                format!("{ratio:.2}"),
                format!("≥ {RATIO_TARGET}"),
                Some(ratio >= RATIO_TARGET),
            );
        }
    }
    let mut first_p50: HashMap<&str, f64> = HashMap::new();
    for (name, s, rows) in &queue_results {
        let target = if name.starts_with("Report:") { REPORT_TARGET_MS } else { queue_target };
        let ok = s.errors == 0 && !s.samples.is_empty() && s.pct(95.0) <= target;
        t.row(
            if name.starts_with("Report:") { name.clone() } else { format!("Queue: {name}") },
            format!(
                "p50 {:.1} ms, p95 {:.1} ms (n={}, {rows} rows{})",
                s.pct(50.0),
                s.pct(95.0),
                s.samples.len(),
                if s.errors > 0 { format!(", {} errors", s.errors) } else { String::new() }
            ),
            format!("p95 ≤ {target:.0} ms"),
            Some(ok),
        );
        if name.contains("first page") {
            first_p50.insert(if name.starts_with("GET /cases") { "html" } else { "api" }, s.pct(50.0));
        }
        if name == "API stage=closed" {
            first_p50.insert("closed", s.pct(50.0));
        }
    }
    t.row(
        "Queue: API open queue, pages 1…N via `next`",
        format!("p50 {:.1} ms, p95 {:.1} ms ({walked} pages)", walk_stats.pct(50.0), walk_stats.pct(95.0)),
        format!("p95 ≤ {queue_target:.0} ms"),
        Some(walk_stats.errors == 0 && walk_stats.pct(95.0) <= queue_target),
    );
    for (name, s, _) in &queue_results {
        let key = if name.starts_with("GET /cases (HTML, deep") {
            "html"
        } else if name == "API deep: 90 % into open" {
            "api"
        } else if name.starts_with("API deep: stage=closed") {
            "closed"
        } else {
            continue;
        };
        let first = first_p50.get(key).copied().unwrap_or(f64::NAN);
        let deep = s.pct(50.0);
        t.row(
            format!("Deep vs first p50 ({key})"),
            format!("{deep:.1} ms vs {first:.1} ms"),
            format!("deep ≤ first × {DEEP_ALLOWANCE} + {DEEP_SLACK_MS} ms"),
            Some(deep <= first * DEEP_ALLOWANCE + DEEP_SLACK_MS),
        );
    }
    t.row(
        "Server RSS idle",
        format!("{:.1} MiB", mib(idle_kib)),
        format!("≤ {IDLE_RSS_TARGET_MIB:.0} MiB"),
        Some(mib(idle_kib) <= IDLE_RSS_TARGET_MIB),
    );
    for (phase, label) in [("intake16", "intake, 16 clients"), ("queue", "queue runs")] {
        let v = rss.get(phase).copied().unwrap_or(0);
        t.row(format!("Server RSS max during {label}"), format!("{:.1} MiB", mib(v)), "—", None);
    }

    println!();
    println!(
        "Velkomst bench — {} — commit {commit}{} — {backend} — {cores} cores — N = {} cases (seeded; {} after the run)",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        if dirty { " (+uncommitted changes)" } else { "" },
        thousands(args.cases),
        thousands(usize::try_from(final_total).unwrap_or(0)),
    );
    println!();
    t.print();
    println!();
    println!(
        "{} of {} checks failed; total run {:.0} s. Intake bodies: {} per level (or {} s).",
        t.failures,
        t.rows.iter().filter(|r| r[3] != "—").count(),
        started.elapsed().as_secs_f64(),
        args.intake_requests,
        INTAKE_MAX_TIME.as_secs()
    );
    for (name, s) in [("healthz", &floor), ("intake 1", &intake1), ("intake 16", &intake16), ("walk", &walk_stats)] {
        if let Some(e) = &s.first_error {
            println!("first error ({name}): {e}");
        }
    }
    for (name, s, _) in &queue_results {
        if let Some(e) = &s.first_error {
            println!("first error ({name}): {e}");
        }
    }
    drop(cleanup);
    Ok(())
}
