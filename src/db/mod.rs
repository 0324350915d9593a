//! Storage. Diesel lives only in this folder. One code path serves SQLite
//! (the embedded default) and PostgreSQL (several app instances), chosen
//! from the URL scheme.

pub mod ambassadors;
pub mod audit;
pub mod backup;
pub mod batcher;
pub mod campaigns;
pub mod cases;
pub mod events;
pub mod followups;
pub mod idempotency;
pub mod metrics;
pub mod mfa;
pub mod mover;
pub mod outbox;
pub mod packages;
pub mod privacy;
pub mod referrals;
pub mod registry;
pub mod reports;
pub mod resume;
pub mod retention;
pub mod schema;
pub mod staffing;
pub mod surveys;
pub mod text;
pub mod tokens;
pub mod users;
pub mod visits;

use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDateTime, Timelike, Utc};
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::Error;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum Conn {
    Pg(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub type DbPool = Pool<ConnectionManager<Conn>>;

/// The app's handle on the database: a pool plus the one way to run
/// blocking diesel work off the async threads.
#[derive(Clone)]
pub struct Db {
    pool: DbPool,
    /// SQLite only: the commit batcher that owns the process's writes.
    writer: Option<Arc<batcher::Batcher>>,
    /// What diesel connects to, for `direct` connections.
    url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("VELKOMST_DATABASE_URL: {0}")]
    Setting(String),
}

impl Db {
    /// Opens the pool and proves the database answers, so a wrong or
    /// unreachable URL fails at start with one clear line.
    pub fn connect(url: &str, pool_size: u32) -> Result<Self, ConnectError> {
        let diesel_url = match url.strip_prefix("sqlite://") {
            Some(path) => {
                let path = std::path::Path::new(path);
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    crate::files::private_dir(dir)
                        .map_err(|e| ConnectError::Setting(format!("cannot create folder {}: {e}", dir.display())))?;
                }
                // Owner-only before SQLite opens it; the -wal and -shm files
                // SQLite makes take the database file's mode.
                if path.to_str() != Some(":memory:") {
                    crate::files::private_file(path)
                        .map_err(|e| ConnectError::Setting(format!("cannot create {}: {e}", path.display())))?;
                    for ext in ["-wal", "-shm"] {
                        let side = std::path::PathBuf::from(format!("{}{ext}", path.display()));
                        if side.exists() {
                            let _ = crate::files::private_file(&side);
                        }
                    }
                }
                path.display().to_string()
            }
            None if url.starts_with("postgres://") || url.starts_with("postgresql://") => url.to_string(),
            None => return Err(ConnectError::Setting("must start with sqlite:// or postgres://".into())),
        };
        // Connect once by hand first: r2d2 would retry for its whole timeout
        // and then report only "timed out", hiding the real reason.
        let mut probe = Conn::establish(&diesel_url).map_err(|e| {
            ConnectError::Setting(format!("cannot connect to {}: {}", redact(url), one_line(&e.to_string())))
        })?;
        pragmas(&mut probe, Access::ReadWrite).map_err(|e| ConnectError::Setting(format!("{e}")))?;
        let writer = match probe {
            Conn::Sqlite(_) => Some(Arc::new(sqlite_writer(&diesel_url).map_err(ConnectError::Setting)?)),
            Conn::Pg(_) => None,
        };
        drop(probe);
        let pool = Pool::builder()
            .max_size(pool_size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            .connection_customizer(Box::new(ReadOnly))
            .build(ConnectionManager::<Conn>::new(diesel_url.clone()))
            .map_err(|e| ConnectError::Setting(format!("cannot open pool for {}: {e}", redact(url))))?;
        Ok(Self { pool, writer, url: diesel_url })
    }

    /// Runs reads: `f` gets a pooled connection on the blocking thread
    /// pool. The pool's connections are read-only (SQLite `query_only`,
    /// PostgreSQL `default_transaction_read_only`), so a change that forgot
    /// to go through [`Db::write`] fails loudly instead of bypassing it.
    pub async fn read<T, F>(&self, f: F) -> Result<T, Error>
    where
        F: FnOnce(&mut Conn) -> Result<T, Error> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| Error::Unavailable(format!("database pool: {e}")))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| Error::context(e, "blocking database task"))?
    }

    /// The one way the running service changes the database: `f` runs as
    /// one write transaction and the call returns only once it is durable.
    /// On SQLite `f` goes to the commit batcher (`batcher`): it runs on the
    /// writer connection in its own savepoint of a batch that commits once
    /// for all the writes waiting at that moment; `write_tx` inside `f`
    /// nests. On PostgreSQL it is `write_tx` on a pooled connection (the
    /// server groups commits itself).
    pub async fn write<T, F>(&self, f: F) -> Result<T, Error>
    where
        F: FnOnce(&mut Conn) -> Result<T, Error> + Send + 'static,
        T: Send + 'static,
    {
        match &self.writer {
            Some(w) => w.write(f).await.map_err(batch_error)?,
            None => self.read(move |conn| write_tx(conn, f)).await,
        }
    }

    /// What the SQLite commit batcher has done (None on PostgreSQL).
    pub fn batch_stats(&self) -> Option<batcher::BatchStats> {
        self.writer.as_ref().map(|w| w.stats())
    }

    /// Commits and answers the writes still queued, then stops taking
    /// writes (they answer "shut down"). Blocks until the writer is done.
    pub fn shutdown(&self) {
        if let Some(w) = &self.writer {
            w.shutdown();
        }
    }

    /// A connection of its own that may write, for the CLI and start-up
    /// (another process, or before the service takes requests).
    pub fn direct(&self) -> Result<Conn, Error> {
        let mut conn = Conn::establish(&self.url).map_err(|e| Error::Unavailable(one_line(&e.to_string())))?;
        pragmas(&mut conn, Access::ReadWrite).map_err(|e| Error::context(e, "connection settings"))?;
        Ok(conn)
    }

    pub fn migrate(&self) -> Result<usize, Error> {
        let mut conn = self.direct()?;
        let applied = match &mut conn {
            Conn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
            Conn::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.len()),
        };
        applied.map_err(|e| Error::Internal(anyhow::anyhow!(e).context("migrations")))
    }
}

/// How busy a pool is, for `/metrics`.
#[derive(Debug, Clone, Copy)]
pub struct PoolState {
    pub connections: u32,
    pub idle: u32,
    pub max: u32,
}

impl Db {
    pub fn pool_state(&self) -> PoolState {
        let s = self.pool.state();
        PoolState { connections: s.connections, idle: s.idle_connections, max: self.pool.max_size() }
    }
}

/// A write transaction. On SQLite it begins IMMEDIATE, taking the write lock
/// up front: a deferred transaction that reads and then writes can fail with
/// SQLITE_BUSY at once instead of waiting out busy_timeout.
pub fn write_tx<T, F>(conn: &mut Conn, f: F) -> Result<T, Error>
where
    F: FnOnce(&mut Conn) -> Result<T, Error>,
{
    // Nested: a savepoint inside the caller's transaction, which already
    // holds the write lock.
    let depth = <Conn as Connection>::TransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()
        .map_err(Error::from)?;
    if depth.is_some() {
        return conn.transaction(f);
    }
    // Pool connections are read-only by default; a write transaction says
    // otherwise as its first statement.
    if let Conn::Pg(_) = conn {
        return conn.transaction(|conn| {
            diesel::sql_query("SET TRANSACTION READ WRITE").execute(conn)?;
            f(conn)
        });
    }
    // The multi-connection's transaction manager delegates to the inner
    // one, so beginning on the inner connection and committing on the outer
    // keeps diesel's bookkeeping consistent.
    if let Conn::Sqlite(inner) = conn {
        AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
    }
    match f(conn) {
        Ok(value) => {
            <Conn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            <Conn as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(e)
        }
    }
}

/// A write that is not durable: the writer being shut down is a temporary
/// unavailability, anything else an internal error.
fn batch_error(e: batcher::BatchError) -> Error {
    match e {
        batcher::BatchError::Closed => Error::Unavailable(e.to_string()),
        other => Error::Internal(anyhow::Error::new(other).context("database write")),
    }
}

/// The batcher's writer connection: the pool's settings, its own
/// connection (reopened if a failed batch leaves it in doubt).
fn sqlite_writer(path: &str) -> Result<batcher::Batcher, String> {
    let path = path.to_string();
    batcher::Batcher::start(Box::new(move || {
        let mut conn =
            Conn::establish(&path).map_err(|e| format!("cannot open {path}: {}", one_line(&e.to_string())))?;
        pragmas(&mut conn, Access::ReadWrite).map_err(|e| format!("{e}"))?;
        Ok(conn)
    }))
}

/// Whether a connection may change the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    ReadOnly,
    ReadWrite,
}

/// Per-connection settings. SQLite: `synchronous=FULL` so an acknowledged
/// inquiry survives a power cut, WAL so readers never block the writer.
/// Page caches are small (1 MiB per connection) and SQLite's heap is held
/// near 3 MiB for the whole process: recently read pages stay in the
/// operating system's file cache anyway, and a small server's memory should
/// not grow with the size of the database. `secure_delete` overwrites
/// deleted content with zeros, so an erased person cannot be read back from
/// the file's free space (docs/privacy.md). The pool's connections are
/// read-only on both backends: every change goes through `Db::write`.
pub(crate) fn pragmas(conn: &mut Conn, access: Access) -> QueryResult<()> {
    let read_only = access == Access::ReadOnly;
    match conn {
        Conn::Sqlite(c) => c.batch_execute(&format!(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000; \
             PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; PRAGMA secure_delete = ON; \
             PRAGMA cache_size = -1000; PRAGMA soft_heap_limit = 3145728; PRAGMA query_only = {read_only};"
        )),
        Conn::Pg(c) if read_only => c.batch_execute("SET default_transaction_read_only = on"),
        Conn::Pg(_) => Ok(()),
    }
}

/// The pool's connection customiser: read-only connections.
#[derive(Debug, Clone, Copy)]
struct ReadOnly;

impl CustomizeConnection<Conn, diesel::r2d2::Error> for ReadOnly {
    fn on_acquire(&self, conn: &mut Conn) -> Result<(), diesel::r2d2::Error> {
        pragmas(conn, Access::ReadOnly).map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Now, in UTC, truncated to microseconds: PostgreSQL keeps no more, and
/// both backends must hand back exactly what was written.
pub fn now() -> NaiveDateTime {
    let t = Utc::now().naive_utc();
    t.with_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..s], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A cheap query that proves the database answers.
pub fn ping(conn: &mut Conn) -> Result<(), Error> {
    diesel::sql_query("SELECT 1").execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_passwords() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("sqlite://data/x.db"), "sqlite://data/x.db");
    }
}
