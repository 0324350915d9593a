//! The command line of CONTRACT.md. Exit status: 0 success, 1 runtime
//! failure, 2 usage or configuration error — always with one clear line.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{LogFormat, Settings};
use crate::db::{ambassadors, users};
use crate::domain::inquiry::{Email, PersonName};
use crate::domain::password;
use crate::domain::user::Role;
use crate::startup::{self, Application, StartError};

#[derive(Parser)]
#[command(name = "velkomst", version, about = "Newcomer welcome-service case system")]
struct Cli {
    /// Settings file layered over config/default.toml (also VELKOMST_CONFIG).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run pending migrations, then serve HTTP and the background worker.
    Serve {
        /// HTTP only (extra instances behind a load balancer).
        #[arg(long)]
        no_worker: bool,
    },
    /// The background worker alone.
    Worker,
    /// Run pending migrations and exit.
    Migrate,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// A consistent, owner-only copy of the live SQLite database (PostgreSQL: use pg_dump).
    Backup {
        /// The new file; an existing one is refused.
        path: PathBuf,
    },
    /// The erasure ledger: list it, or apply it again after a restore.
    Erasures {
        #[command(subcommand)]
        command: ErasureCommand,
    },
    /// Apply the retention schedule now (the worker also runs it daily) and
    /// print what it anonymised or purged.
    Retention {
        /// Change nothing; print what would go.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum ErasureCommand {
    /// Print the ledger, one JSON object per line (no personal data: keep a
    /// copy beside the backups).
    List,
    /// Erase again every person in the ledger whose data came back with a
    /// restored backup.
    Reapply {
        /// Also the entries in FILE (the output of `erasures list` taken
        /// before the restore), added to this database's ledger.
        #[arg(long)]
        from: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an active user.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        role: String,
        /// A local area (repeatable): a consultant becomes responsible for
        /// it; an ambassador is registered for it.
        #[arg(long = "area")]
        areas: Vec<String>,
        /// An ambassador's organisation (a local council, an association…).
        #[arg(long)]
        organisation: Option<String>,
        /// An ambassador's kind: local_council, association, business or
        /// private (the default).
        #[arg(long)]
        kind: Option<String>,
        /// Read the password from standard input instead of printing a link.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Print a one-time set-password link for an existing user.
    Reset {
        #[arg(long)]
        email: String,
        /// Also remove the user's second factor (a lost phone) and end
        /// their sessions; they enrol again at their next login.
        #[arg(long)]
        mfa: bool,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Print a new bearer token once; only its hash is stored.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long)]
        name: String,
        /// read, write, intake, reports or metrics (repeatable); default:
        /// every right of the user.
        #[arg(long = "scope")]
        scopes: Vec<String>,
        /// Days until the token expires; default `auth.api_token_days`.
        #[arg(long)]
        expires_days: Option<u32>,
    },
    /// One line per token of a user: id, label, scopes, created, last used,
    /// expires (never the token).
    List {
        #[arg(long)]
        user: String,
    },
    /// Revoke one token by the id `token list` prints.
    Revoke { id: String },
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(s) => s,
        Err(e) => return fail(StartError::Config(e.to_string())),
    };
    init_tracing(&settings.log, settings.log_format);
    let result = match cli.command.unwrap_or(Command::Serve { no_worker: false }) {
        Command::Serve { no_worker } => serve(settings, !no_worker),
        Command::Worker => worker(settings),
        Command::Migrate => startup::prepare_database(&settings).map(|_| println!("migrations are up to date")),
        Command::User {
            command: UserCommand::Add { email, name, role, areas, organisation, kind, password_stdin },
        } => {
            let new = NewUser { email, name, role, areas, organisation, kind };
            add_user(&settings, &new, password_stdin)
        }
        Command::User { command: UserCommand::Reset { email, mfa } } => reset_user(&settings, &email, mfa),
        Command::Token { command: TokenCommand::Create { user, name, scopes, expires_days } } => {
            create_token(&settings, &user, &name, &scopes, expires_days)
        }
        Command::Token { command: TokenCommand::List { user } } => list_tokens(&settings, &user),
        Command::Token { command: TokenCommand::Revoke { id } } => revoke_token(&settings, &id),
        Command::Backup { path } => backup(&settings, &path),
        Command::Erasures { command: ErasureCommand::List } => list_erasures(&settings),
        Command::Erasures { command: ErasureCommand::Reapply { from } } => reapply_erasures(&settings, from.as_deref()),
        Command::Retention { dry_run } => retention(&settings, dry_run),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

fn fail(e: StartError) -> ExitCode {
    eprintln!("velkomst: {e}");
    ExitCode::from(match e {
        StartError::Config(_) => 2,
        StartError::Runtime(_) => 1,
    })
}

/// Logs go to standard error, so what a command prints on standard output
/// (a token, a link) stays clean for scripts. Colour codes only on a
/// terminal: in files and journald they are noise.
fn init_tracing(filter: &str, format: LogFormat) {
    use std::io::IsTerminal;
    let filter =
        tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.with_target(false).with_ansi(std::io::stderr().is_terminal()).try_init(),
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(false).with_ansi(false).try_init(),
    };
}

fn runtime() -> Result<tokio::runtime::Runtime, StartError> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| StartError::Runtime(e.to_string()))
}

fn serve(mut settings: Settings, with_worker: bool) -> Result<(), StartError> {
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings.clone())?;
        // The worker's emails link where the server really is.
        settings.public_url = app.public_url.clone();
        tracing::info!(port = app.port(), "listening on {}", settings.listen.replace(":0", &format!(":{}", app.port())));
        if let Some(link) = &app.first_admin_link {
            println!(
                "\nNo user exists yet. Create the first admin within {} minutes with this one-time link:\n\n    {link}\n",
                settings.auth.setup_link_minutes
            );
        }
        if with_worker {
            let worker = crate::jobs::Worker::new(app.db.clone(), std::sync::Arc::new(settings.clone()))
                .map_err(StartError::Config)?;
            actix_web::rt::spawn(worker.run());
        }
        let db = app.db.clone();
        let stopped = app.run_until_stopped().await.map_err(|e| StartError::Runtime(e.to_string()));
        // Requests have finished: commit and answer what is still queued.
        let _ = actix_web::rt::task::spawn_blocking(move || db.shutdown()).await;
        stopped
    })
}

fn worker(settings: Settings) -> Result<(), StartError> {
    let db = startup::prepare_database(&settings)?;
    runtime()?.block_on(async move {
        let worker = crate::jobs::Worker::new(db, std::sync::Arc::new(settings)).map_err(StartError::Config)?;
        tokio::select! {
            _ = worker.run() => {},
            _ = tokio::signal::ctrl_c() => tracing::info!("worker stopping"),
        }
        Ok::<(), StartError>(())
    })
}

/// `velkomst user add` as typed.
struct NewUser {
    email: String,
    name: String,
    role: String,
    areas: Vec<String>,
    organisation: Option<String>,
    kind: Option<String>,
}

/// An ambassador's registry entry from the command line: the same checks
/// and defaults as the admin page's form.
fn ambassador_profile(new: &NewUser) -> Result<ambassadors::Profile, StartError> {
    let organisation = new.organisation.as_deref().unwrap_or("").trim().to_string();
    if organisation.chars().count() > 200 || organisation.chars().any(char::is_control) {
        return Err(StartError::Config("--organisation: at most 200 characters, no control characters".into()));
    }
    let kind = new.kind.as_deref().unwrap_or("private").to_string();
    if !ambassadors::KINDS.contains(&kind.as_str()) {
        return Err(StartError::Config(format!("--kind: must be one of {}", ambassadors::KINDS.join(", "))));
    }
    Ok(ambassadors::Profile { organisation, kind, phone: None, areas: new.areas.clone(), interests: Vec::new() })
}

fn add_user(settings: &Settings, new: &NewUser, password_stdin: bool) -> Result<(), StartError> {
    let role = Role::parse(&new.role)
        .ok_or_else(|| StartError::Config("--role: must be admin, consultant, ambassador or reporter".into()))?;
    let email =
        Email::parse(&new.email).map_err(|_| StartError::Config("--email: not a valid email address".into()))?;
    let name = PersonName::parse(&new.name)
        .map_err(|_| StartError::Config("--name: 1–200 characters, no control characters".into()))?;
    let areas = &new.areas;
    if let Some(bad) = areas.iter().find(|a| settings.area(a).is_none()) {
        return Err(StartError::Config(format!("--area: {bad} is not a local area in the configuration")));
    }
    // An ambassador is a registry entry for their areas; they are never
    // made responsible for an area (that is a consultant's job).
    let profile = match role {
        Role::Ambassador => Some(ambassador_profile(new)?),
        _ if new.organisation.is_some() => {
            return Err(StartError::Config("--organisation: only for --role ambassador".into()))
        }
        _ if new.kind.is_some() => return Err(StartError::Config("--kind: only for --role ambassador".into())),
        _ => None,
    };
    let hash = if password_stdin {
        let mut pw = String::new();
        std::io::stdin()
            .read_to_string(&mut pw)
            .map_err(|e| StartError::Runtime(format!("reading standard input: {e}")))?;
        let pw = pw.trim_end_matches(['\r', '\n']);
        password::check(pw, password::Context { email: email.as_str(), name: name.as_str() }).map_err(|code| {
            StartError::Config(format!(
                "--password-stdin: {}",
                crate::web::pages::t(crate::web::pages::Lang::En, &format!("error-{code}"))
            ))
        })?;
        Some(crate::crypto::hash_password(pw).map_err(|e| StartError::Runtime(e.to_string()))?)
    } else {
        None
    };
    let db = startup::prepare_database(settings)?;
    let mut conn = db.direct()?;
    let new = crate::workflow::accounts::NewAccount {
        email: email.as_str(),
        name: name.as_str(),
        role,
        ambassador: profile.as_ref(),
        password_hash: hash.as_deref(),
        areas,
        actor: None,
    };
    let (_, link) = crate::workflow::accounts::add_user(&mut conn, settings, &new)?
        .ok_or_else(|| StartError::Config(format!("--email: a user with {} exists already", email.as_str())))?;
    println!("created {} {}", role.as_str(), email.as_str());
    if let Some(link) = link {
        println!("one-time link to set the password (valid {} minutes):\n{link}", settings.auth.setup_link_minutes);
    }
    Ok(())
}

fn create_token(
    settings: &Settings,
    email: &str,
    label: &str,
    scopes: &[String],
    expires_days: Option<u32>,
) -> Result<(), StartError> {
    use crate::domain::token::Scope;
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 100 {
        return Err(StartError::Config("--name: 1–100 characters".into()));
    }
    let mut wanted = Vec::new();
    for s in scopes {
        wanted.push(Scope::parse(s).ok_or_else(|| {
            StartError::Config(format!("--scope: {s} is not one of read, write, intake, reports, metrics"))
        })?);
    }
    let days = expires_days.unwrap_or(settings.auth.api_token_days);
    if expires_days == Some(0) {
        return Err(StartError::Config("--expires-days: at least 1".into()));
    }
    let db = startup::prepare_database(settings)?;
    let mut conn = db.direct()?;
    let user = users::find_by_email(&mut conn, email)?
        .filter(|u| u.active)
        .ok_or_else(|| StartError::Config(format!("--user: no active user with email {email}")))?;
    if wanted.is_empty() {
        wanted = Scope::defaults_for(user.role);
    }
    if let Some(s) = wanted.iter().find(|s| !s.allowed_for(user.role)) {
        return Err(StartError::Config(format!("--scope: a {} may not have {}", user.role.as_str(), s.as_str())));
    }
    let names: Vec<&str> = wanted.iter().map(|s| s.as_str()).collect();
    let token = format!("vk_{}", crate::crypto::random_token());
    let now = crate::db::now();
    let expires = (days > 0).then(|| now + chrono::Duration::days(i64::from(days)));
    crate::workflow::accounts::create_token(
        &mut conn,
        &user.id,
        label,
        &crate::crypto::token_hash(&token),
        &names,
        now,
        expires,
    )?;
    println!("{token}");
    Ok(())
}

fn list_tokens(settings: &Settings, email: &str) -> Result<(), StartError> {
    let db = startup::prepare_database(settings)?;
    let mut conn = db.direct()?;
    let user = users::find_by_email(&mut conn, email)?
        .ok_or_else(|| StartError::Config(format!("--user: no user with email {email}")))?;
    let day = |t: Option<chrono::NaiveDateTime>| {
        t.map_or_else(|| "-".to_string(), |t| t.format("%Y-%m-%d %H:%M").to_string())
    };
    for t in crate::db::tokens::list(&mut conn, Some(&user.id))? {
        let scopes = t.scopes.map_or_else(|| "all".to_string(), |s| s.join(","));
        let state = if t.revoked_at.is_some() { "\trevoked" } else { "" };
        println!(
            "{}\t{}\t{}\tcreated {}\tlast used {}\texpires {}{}",
            t.id,
            t.name,
            scopes,
            day(Some(t.created_at)),
            day(t.last_used_at),
            day(t.expires_at),
            state
        );
    }
    Ok(())
}

fn revoke_token(settings: &Settings, id: &str) -> Result<(), StartError> {
    let db = startup::prepare_database(settings)?;
    let mut conn = db.direct()?;
    match crate::workflow::accounts::revoke_token(&mut conn, id, None)? {
        Some(_) => {
            println!("revoked {id}");
            Ok(())
        }
        None => Err(StartError::Config(format!("ID: no live token {id}"))),
    }
}

fn reset_user(settings: &Settings, email: &str, mfa: bool) -> Result<(), StartError> {
    let db = startup::prepare_database(settings)?;
    let mut conn = db.direct()?;
    let user = users::find_by_email(&mut conn, email)?
        .filter(|u| u.active)
        .ok_or_else(|| StartError::Config(format!("--email: no active user with email {email}")))?;
    if mfa {
        let had = crate::workflow::accounts::reset_mfa(&mut conn, settings, &user.id, None)?.unwrap_or(false);
        println!(
            "{} for {}; their sessions have ended",
            if had { "second factor removed" } else { "no second factor was enrolled" },
            user.email
        );
    }
    let token = crate::crypto::random_token();
    let expires = crate::db::now() + chrono::Duration::minutes(i64::from(settings.auth.setup_link_minutes));
    users::create_setup_link(&mut conn, &crate::crypto::token_hash(&token), Some(&user.id), expires)?;
    println!(
        "one-time link to set a new password for {} (valid {} minutes):\n{}/setup/{token}",
        user.email, settings.auth.setup_link_minutes, settings.public_url
    );
    Ok(())
}

/// `velkomst erasures list`: the ledger as JSON lines.
fn list_erasures(settings: &Settings) -> Result<(), StartError> {
    let db = startup::prepare_database(settings)?;
    let mut conn = db.direct()?;
    for e in crate::db::privacy::ledger(&mut conn)? {
        let line = serde_json::to_string(&e).map_err(|e| StartError::Runtime(e.to_string()))?;
        println!("{line}");
    }
    Ok(())
}

/// `velkomst erasures reapply [--from FILE]`.
fn reapply_erasures(settings: &Settings, from: Option<&std::path::Path>) -> Result<(), StartError> {
    let mut entries = Vec::new();
    if let Some(path) = from {
        let text = std::fs::read_to_string(path)
            .map_err(|e| StartError::Config(format!("--from: cannot read {}: {e}", path.display())))?;
        for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let e: crate::db::privacy::Erasure =
                serde_json::from_str(line).map_err(|e| StartError::Config(format!("--from: line {}: {e}", i + 1)))?;
            entries.push(e);
        }
    }
    let db = startup::prepare_database(settings)?;
    let mut conn = db.direct()?;
    entries.extend(crate::db::privacy::ledger(&mut conn)?);
    let done = crate::workflow::privacy::reapply(&mut conn, settings, &entries)?;
    drop(conn);
    crate::db::privacy::checkpoint(&db)?;
    for reference in &done.erased {
        println!("erased again: {reference}");
    }
    for reference in &done.unknown {
        println!("not in this database: {reference}");
    }
    println!("{} erased again, {} already erased, {} unknown", done.erased.len(), done.unchanged, done.unknown.len());
    Ok(())
}

/// `velkomst retention [--dry-run]`.
fn retention(settings: &Settings, dry_run: bool) -> Result<(), StartError> {
    let db = startup::prepare_database(settings)?;
    let mut conn = db.direct()?;
    let r = crate::workflow::retention::run(&mut conn, settings, crate::db::now(), dry_run)?;
    drop(conn);
    if !dry_run && !r.anonymised.is_empty() {
        crate::db::privacy::checkpoint(&db)?;
    }
    let (closed, anonymised) = if dry_run { ("would close", "would anonymise") } else { ("closed", "anonymised") };
    for reference in &r.closed_inactive {
        println!("{closed} as no_response (no activity): {reference}");
    }
    for reference in &r.anonymised {
        println!("{anonymised}: {reference}");
    }
    let verb = if dry_run { "would purge" } else { "purged" };
    println!(
        "{verb}: {} email bodies, {} used or expired links, {} expired sessions, {} access-log entries; \
         {} cases {closed}, {} {anonymised}",
        r.email_bodies,
        r.links,
        r.sessions,
        r.access_log,
        r.closed_inactive.len(),
        r.anonymised.len()
    );
    Ok(())
}

/// `velkomst backup PATH`: never migrates or changes the database.
fn backup(settings: &Settings, path: &std::path::Path) -> Result<(), StartError> {
    use crate::db::backup::{sqlite_backup, BackupError};
    let Some(file) = settings.database_url.strip_prefix("sqlite://") else {
        return Err(StartError::Config(BackupError::Postgres.to_string()));
    };
    if !std::path::Path::new(file).is_file() {
        return Err(StartError::Config(format!("VELKOMST_DATABASE_URL: no database at {file}")));
    }
    let db = crate::db::Db::connect(&settings.database_url, 1).map_err(|e| StartError::Config(e.to_string()))?;
    let mut conn = db.direct()?;
    let started = std::time::Instant::now();
    match sqlite_backup(&mut conn, path) {
        Ok(bytes) => {
            println!(
                "backup written to {} ({:.1} MiB in {:.1} s, readable by its owner only)",
                path.display(),
                bytes as f64 / 1_048_576.0,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Err(e @ (BackupError::Target(_) | BackupError::Postgres)) => Err(StartError::Config(e.to_string())),
        Err(e @ BackupError::Failed(_)) => Err(StartError::Runtime(e.to_string())),
    }
}
