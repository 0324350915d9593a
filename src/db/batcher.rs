//! The SQLite commit batcher: group commit for an embedded database.
//!
//! With `synchronous=FULL` every COMMIT waits for an fsync, so on a slow disk
//! one writer at a time means one fsync per request. The batcher owns the
//! process's writes instead: one dedicated writer connection on its own
//! thread takes the writes waiting at that moment (at most [`MAX_BATCH`]),
//! runs each in its own SAVEPOINT inside one `BEGIN IMMEDIATE` transaction,
//! COMMITs once, and only then answers them. A write that fails (returns an
//! error or panics) is rolled back to its savepoint and answered with its
//! error; the others of its batch are not affected. If the COMMIT itself
//! fails, every write of the batch is answered with that error: nothing is
//! acknowledged that is not durable.
//!
//! The writes are closures over the connection, run in one transaction as
//! `write_tx` would: `write_tx` inside them nests as a savepoint, and they
//! never begin or commit transactions of their own. Reads keep using the
//! pool (WAL: readers never wait for the writer). PostgreSQL does not use
//! this: it groups concurrent commits itself.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::thread::JoinHandle;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::Connection;
use tokio::sync::oneshot;

use super::Conn;

/// The most writes one COMMIT takes. Bounds how long the first write of a
/// batch waits for the others (each intake is well under a millisecond of
/// work) and how much one failed COMMIT takes down.
pub const MAX_BATCH: usize = 64;

/// Why a write was not acknowledged (its own errors come back as they are).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BatchError {
    /// The batch's COMMIT failed: nothing of the batch was written.
    #[error("the batch's commit failed: {0}")]
    Commit(String),
    /// The batch could not be completed (its transaction could not begin, or
    /// a savepoint could not be rolled back): nothing of it was written.
    #[error("the write batch was abandoned: {0}")]
    Aborted(String),
    /// The write panicked (and was rolled back), or the writer stopped
    /// before answering.
    #[error("the write did not complete (it panicked, or the writer stopped)")]
    Lost,
    /// The writer is shut down; the write was not attempted.
    #[error("the database writer is shut down")]
    Closed,
}

/// What the batcher has done so far (for tests, logs and metrics).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchStats {
    /// Batches committed.
    pub batches: u64,
    /// Writes acknowledged after their batch's COMMIT.
    pub committed: u64,
    /// Writes rolled back to their savepoint (they returned an error or panicked).
    pub rolled_back: u64,
    /// Batches whose COMMIT (or transaction) failed.
    pub failed_batches: u64,
    /// The largest batch so far.
    pub largest: u64,
}

#[derive(Default)]
struct Counters {
    batches: AtomicU64,
    committed: AtomicU64,
    rolled_back: AtomicU64,
    failed_batches: AtomicU64,
    largest: AtomicU64,
}

/// Answers a write once its batch's fate is known: `Ok` after the COMMIT
/// returned, or the reason nothing was written.
type Finish = Box<dyn FnOnce(Result<(), BatchError>) + Send>;

/// One waiting write, type-erased so writes of any result type share the
/// queue.
trait Work: Send {
    /// Runs the write; tells whether it succeeded and how to answer it.
    fn run(self: Box<Self>, conn: &mut Conn) -> (bool, Finish);
    /// Answers without running (the batch could not begin).
    fn refuse(self: Box<Self>, why: BatchError);
}

type Reply<T, E> = oneshot::Sender<Result<Result<T, E>, BatchError>>;

/// Where a submitted write's answer arrives.
pub type Answer<T, E> = oneshot::Receiver<Result<Result<T, E>, BatchError>>;

struct Pending<F, T, E> {
    f: F,
    reply: Reply<T, E>,
}

impl<F, T, E> Work for Pending<F, T, E>
where
    F: FnOnce(&mut Conn) -> Result<T, E> + Send,
    T: Send + 'static,
    E: Send + 'static,
{
    fn run(self: Box<Self>, conn: &mut Conn) -> (bool, Finish) {
        let Pending { f, reply } = *self;
        let result = f(conn);
        let ok = result.is_ok();
        // The value crosses back only once the batch committed; a write that
        // failed answers with its own error whatever the batch does.
        let finish: Finish = Box::new(move |batch| {
            let answer = match (result, batch) {
                (Err(own), _) => Ok(Err(own)),
                (Ok(value), Ok(())) => Ok(Ok(value)),
                (Ok(_), Err(why)) => Err(why),
            };
            // The caller may have gone (a dropped request): nothing to tell.
            let _ = reply.send(answer);
        });
        (ok, finish)
    }

    fn refuse(self: Box<Self>, why: BatchError) {
        let _ = self.reply.send(Err(why));
    }
}

type Queue = mpsc::Sender<Box<dyn Work>>;

/// The handle: cheap to share (`Arc`), safe to call from any thread.
pub struct Batcher {
    queue: RwLock<Option<Queue>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    counters: Arc<Counters>,
}

/// Opens a fresh writer connection (at start, and again after a batch left
/// the old one in doubt).
pub type Open = Box<dyn FnMut() -> Result<Conn, String> + Send>;

impl Batcher {
    /// Opens the writer connection now (so a bad database fails at start)
    /// and starts the writer thread.
    pub fn start(mut open: Open) -> Result<Self, String> {
        let conn = open()?;
        let (tx, rx) = mpsc::channel::<Box<dyn Work>>();
        let counters = Arc::new(Counters::default());
        let c = Arc::clone(&counters);
        let thread = std::thread::Builder::new()
            .name("velkomst-db-writer".into())
            .spawn(move || writer(conn, open, rx, &c))
            .map_err(|e| format!("cannot start the database writer thread: {e}"))?;
        Ok(Self { queue: RwLock::new(Some(tx)), thread: Mutex::new(Some(thread)), counters })
    }

    /// Queues `f` and returns where its answer will arrive: `Ok(f's result)`
    /// after its batch committed (or at once if `f` failed), `Err` if the
    /// write is not durable.
    pub fn submit<T, E, F>(&self, f: F) -> Answer<T, E>
    where
        F: FnOnce(&mut Conn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let work: Box<dyn Work> = Box::new(Pending { f, reply });
        let queue = self.queue.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        match queue.as_ref() {
            // A send fails only if the writer thread is gone: the write is
            // dropped with its reply, which the caller sees as `Lost`.
            Some(q) => drop(q.send(work)),
            None => work.refuse(BatchError::Closed),
        }
        answer
    }

    /// Runs `f` in the next batch and waits, without blocking, for the
    /// batch's COMMIT.
    pub async fn write<T, E, F>(&self, f: F) -> Result<Result<T, E>, BatchError>
    where
        F: FnOnce(&mut Conn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: Send + 'static,
    {
        self.submit(f).await.unwrap_or(Err(BatchError::Lost))
    }

    /// The same for threads outside an async runtime (CLI, tests). Panics
    /// if called on an async runtime's thread.
    pub fn write_blocking<T, E, F>(&self, f: F) -> Result<Result<T, E>, BatchError>
    where
        F: FnOnce(&mut Conn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: Send + 'static,
    {
        self.submit(f).blocking_recv().unwrap_or(Err(BatchError::Lost))
    }

    pub fn stats(&self) -> BatchStats {
        let c = &self.counters;
        BatchStats {
            batches: c.batches.load(Ordering::Relaxed),
            committed: c.committed.load(Ordering::Relaxed),
            rolled_back: c.rolled_back.load(Ordering::Relaxed),
            failed_batches: c.failed_batches.load(Ordering::Relaxed),
            largest: c.largest.load(Ordering::Relaxed),
        }
    }

    /// Stops taking writes, commits and answers every write already queued,
    /// and waits for the writer thread to end. Later writes answer
    /// [`BatchError::Closed`]. Blocks; idempotent.
    pub fn shutdown(&self) {
        drop(self.queue.write().unwrap_or_else(std::sync::PoisonError::into_inner).take());
        let thread = self.thread.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        if let Some(t) = thread {
            if t.join().is_err() {
                tracing::error!("the database writer thread panicked");
            }
        }
    }
}

impl Drop for Batcher {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// The writer thread: one batch at a time until the queue is closed and
/// empty (a closed channel still hands out what was sent before).
fn writer(conn: Conn, mut open: Open, rx: mpsc::Receiver<Box<dyn Work>>, counters: &Counters) {
    let mut conn = Some(conn);
    while let Ok(first) = rx.recv() {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(w) => batch.push(w),
                Err(_) => break,
            }
        }
        let mut c = match conn.take() {
            Some(c) => c,
            None => match open() {
                Ok(c) => c,
                Err(e) => {
                    tracing::error!(error = %e, "the database writer cannot reopen its connection");
                    counters.failed_batches.fetch_add(1, Ordering::Relaxed);
                    for w in batch {
                        w.refuse(BatchError::Aborted(format!("cannot open the database: {e}")));
                    }
                    continue;
                }
            },
        };
        if run_batch(&mut c, batch, counters) {
            conn = Some(c);
        }
    }
}

fn depth(conn: &mut Conn) -> Result<u32, String> {
    <Conn as Connection>::TransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()
        .map(|d| d.map_or(0, std::num::NonZeroU32::get))
        .map_err(|e| e.to_string())
}

/// One batch: BEGIN IMMEDIATE, each write in a savepoint, one COMMIT, then
/// the answers. Returns whether the connection is fit for the next batch.
fn run_batch(conn: &mut Conn, batch: Vec<Box<dyn Work>>, counters: &Counters) -> bool {
    type Tm = <Conn as Connection>::TransactionManager;
    let size = batch.len() as u64;
    let begun = match conn {
        // Through diesel's bookkeeping, so `write_tx` inside a write sees a
        // transaction and nests as a savepoint.
        Conn::Sqlite(inner) => AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE"),
        Conn::Pg(_) => Tm::begin_transaction(conn),
    };
    if let Err(e) = begun {
        tracing::error!(error = %e, "the database writer cannot begin a transaction");
        counters.failed_batches.fetch_add(1, Ordering::Relaxed);
        for w in batch {
            w.refuse(BatchError::Aborted(format!("cannot begin: {e}")));
        }
        return false;
    }
    let mut done: Vec<Finish> = Vec::with_capacity(batch.len());
    let mut broken: Option<String> = None;
    for w in batch {
        if let Some(why) = &broken {
            w.refuse(BatchError::Aborted(why.clone()));
            continue;
        }
        if let Err(e) = Tm::begin_transaction(conn) {
            broken = Some(format!("cannot set a savepoint: {e}"));
            w.refuse(BatchError::Aborted(format!("cannot set a savepoint: {e}")));
            continue;
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| w.run(conn)));
        // A write must leave the nesting as it found it: its own savepoint open.
        let balanced = depth(conn) == Ok(2);
        match outcome {
            Ok((true, finish)) if balanced => match Tm::commit_transaction(conn) {
                Ok(()) => done.push(finish),
                Err(e) => {
                    broken = Some(format!("cannot release a savepoint: {e}"));
                    finish(Err(BatchError::Aborted(format!("cannot release a savepoint: {e}"))));
                }
            },
            Ok((ok, finish)) => {
                counters.rolled_back.fetch_add(1, Ordering::Relaxed);
                if let Err(e) = rollback_to_batch(conn) {
                    broken = Some(e);
                }
                if ok {
                    // Succeeded but left a transaction open or closed one of
                    // ours: a bug in the write; its changes are undone.
                    tracing::error!("a database write left the transaction nesting unbalanced; rolled back");
                    finish(Err(BatchError::Aborted("the write left its transaction unbalanced".into())));
                } else {
                    // Its own error, whatever happens to the batch.
                    finish(Ok(()));
                }
            }
            Err(_) => {
                // The write's reply was dropped while unwinding: its caller
                // sees `Lost`. Its changes go with its savepoint.
                counters.rolled_back.fetch_add(1, Ordering::Relaxed);
                tracing::error!("a database write panicked; its changes were rolled back");
                if let Err(e) = rollback_to_batch(conn) {
                    broken = Some(e);
                }
            }
        }
    }
    if let Some(why) = broken {
        tracing::error!(error = %why, "a write batch was abandoned");
        counters.failed_batches.fetch_add(1, Ordering::Relaxed);
        // The connection is in doubt: it is dropped (closing it rolls back).
        let _ = conn.batch_execute("ROLLBACK");
        for finish in done {
            finish(Err(BatchError::Aborted(why.clone())));
        }
        return false;
    }
    match Tm::commit_transaction(conn) {
        Ok(()) => {
            counters.batches.fetch_add(1, Ordering::Relaxed);
            counters.committed.fetch_add(done.len() as u64, Ordering::Relaxed);
            counters.largest.fetch_max(size, Ordering::Relaxed);
            for finish in done {
                finish(Ok(()));
            }
            true
        }
        Err(e) => {
            tracing::error!(error = %e, writes = done.len(), "a write batch's commit failed; none of it is acknowledged");
            counters.failed_batches.fetch_add(1, Ordering::Relaxed);
            // diesel rolls back after a failed top-level COMMIT; make sure.
            let _ = conn.batch_execute("ROLLBACK");
            for finish in done {
                finish(Err(BatchError::Commit(e.to_string())));
            }
            depth(conn) == Ok(0)
        }
    }
}

/// Undoes one write: rolls back whatever it left open down to the batch's
/// transaction, including its own savepoint.
fn rollback_to_batch(conn: &mut Conn) -> Result<(), String> {
    type Tm = <Conn as Connection>::TransactionManager;
    loop {
        match depth(conn)? {
            0 => return Err("the write ended the batch's transaction".into()),
            1 => return Ok(()),
            _ => Tm::rollback_transaction(conn).map_err(|e| format!("cannot roll back a savepoint: {e}"))?,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::mpsc::{channel, Sender};

    use diesel::prelude::*;
    use diesel::sql_types::{BigInt, Text};

    use super::*;
    use crate::error::Error;

    /// A fresh SQLite file with the pool's settings and two tables, a child
    /// referring to its parent.
    fn temp_db() -> (std::path::PathBuf, Batcher) {
        let dir = std::env::temp_dir().join(format!("velkomst-batcher-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        let p = path.display().to_string();
        let open: Open = Box::new(move || {
            let mut c = Conn::establish(&p).map_err(|e| e.to_string())?;
            crate::db::pragmas(&mut c, crate::db::Access::ReadWrite).map_err(|e| e.to_string())?;
            Ok(c)
        });
        let b = Batcher::start(open).unwrap();
        b.write_blocking(|c| {
            c.batch_execute(
                "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE); \
                 CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER NOT NULL REFERENCES t(id));",
            )
        })
        .unwrap()
        .unwrap();
        (path, b)
    }

    fn insert(c: &mut Conn, v: &str) -> QueryResult<usize> {
        diesel::sql_query("INSERT INTO t (v) VALUES (?)").bind::<Text, _>(v).execute(c)
    }

    /// The values in `t`, read on a connection of its own (what a pool
    /// reader sees: only committed rows).
    fn committed(path: &std::path::Path) -> Vec<String> {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = Text)]
            v: String,
        }
        let mut c = Conn::establish(&path.display().to_string()).unwrap();
        let rows: Vec<Row> = diesel::sql_query("SELECT v FROM t ORDER BY v").load(&mut c).unwrap();
        rows.into_iter().map(|r| r.v).collect()
    }

    /// Holds the writer in a one-write batch until released, so the writes
    /// submitted meanwhile all wait for the next batch.
    fn hold(b: &Batcher) -> (Sender<()>, Answer<usize, String>) {
        let (started_tx, started) = channel::<()>();
        let (release, released) = channel::<()>();
        let answer = b.submit(move |c| {
            started_tx.send(()).unwrap();
            released.recv().unwrap();
            insert(c, "held").map_err(|e| e.to_string())
        });
        started.recv().unwrap();
        (release, answer)
    }

    #[test]
    fn a_write_is_answered_with_its_value_once_committed() {
        let (path, b) = temp_db();
        let n = b.write_blocking(|c| insert(c, "one").map_err(|e| e.to_string())).unwrap().unwrap();
        assert_eq!(n, 1);
        assert_eq!(committed(&path), ["one"]);
        let s = b.stats();
        assert_eq!((s.batches, s.committed, s.failed_batches), (2, 2, 0));
    }

    #[test]
    fn a_failing_write_fails_alone_in_its_batch() {
        let (path, b) = temp_db();
        let before = b.stats();
        let (release, held) = hold(&b);
        let ok = b.submit(|c| insert(c, "a").map_err(|e| e.to_string()));
        let fails = b.submit(|c| {
            insert(c, "b").map_err(|e| e.to_string())?;
            Err::<usize, _>("refused".to_string())
        });
        let constraint = b.submit(|c| insert(c, "a").map_err(|e| e.to_string()));
        let panics = b.submit(|c| -> Result<usize, String> {
            insert(c, "c").unwrap();
            panic!("a bug in a write");
        });
        // write_tx inside a write nests: its failure undoes only its part.
        let nested = b.submit(|c| {
            let inner = crate::db::write_tx(c, |c| {
                insert(c, "d-inner")?;
                Err::<(), _>(Error::NotFound)
            });
            assert!(matches!(inner, Err(Error::NotFound)));
            crate::db::write_tx(c, |c| Ok(insert(c, "d")?))
        });
        let last = b.submit(|c| insert(c, "e").map_err(|e| e.to_string()));
        release.send(()).unwrap();

        assert_eq!(held.blocking_recv().unwrap(), Ok(Ok(1)));
        assert_eq!(ok.blocking_recv().unwrap(), Ok(Ok(1)));
        assert_eq!(fails.blocking_recv().unwrap(), Ok(Err("refused".to_string())));
        let dup = constraint.blocking_recv().unwrap().unwrap().unwrap_err();
        assert!(dup.contains("UNIQUE"), "{dup}");
        assert!(panics.blocking_recv().is_err(), "a panicking write is never acknowledged");
        assert!(matches!(nested.blocking_recv().unwrap(), Ok(Ok(1))));
        assert_eq!(last.blocking_recv().unwrap(), Ok(Ok(1)));
        assert_eq!(committed(&path), ["a", "d", "e", "held"]);
        let s = b.stats();
        assert_eq!(s.batches - before.batches, 2, "the held write, then the other six together");
        assert_eq!(s.largest, 6);
        assert_eq!(s.committed - before.committed, 4);
        assert_eq!(s.rolled_back, 3);
        assert_eq!(s.failed_batches, 0);
        // The writer thread survived the panic.
        assert_eq!(b.write_blocking(|c| insert(c, "f").map_err(|e| e.to_string())), Ok(Ok(1)));
    }

    #[test]
    fn a_batch_whose_commit_fails_acknowledges_none_of_its_writes() {
        let (path, b) = temp_db();
        let (release, held) = hold(&b);
        let first = b.submit(|c| insert(c, "a").map_err(|e| e.to_string()));
        // A real COMMIT failure: with foreign keys deferred, a child without
        // its parent passes its own savepoint and fails the batch's COMMIT.
        let orphan = b.submit(|c| {
            c.batch_execute("PRAGMA defer_foreign_keys = ON").map_err(|e| e.to_string())?;
            diesel::sql_query("INSERT INTO child (parent) VALUES (?)")
                .bind::<BigInt, _>(999_i64)
                .execute(c)
                .map_err(|e| e.to_string())
        });
        let third = b.submit(|c| insert(c, "c").map_err(|e| e.to_string()));
        release.send(()).unwrap();

        assert_eq!(held.blocking_recv().unwrap(), Ok(Ok(1)), "the batch before commits alone");
        for answer in [first, orphan, third] {
            match answer.blocking_recv().unwrap() {
                Err(BatchError::Commit(e)) => assert!(e.contains("FOREIGN KEY"), "{e}"),
                other => panic!("acknowledged a write whose batch did not commit: {other:?}"),
            }
        }
        assert_eq!(committed(&path), ["held"], "nothing of the failed batch is in the database");
        assert_eq!(b.stats().failed_batches, 1);
        // The writer goes on with the next batch.
        assert_eq!(b.write_blocking(|c| insert(c, "after").map_err(|e| e.to_string())), Ok(Ok(1)));
        assert_eq!(committed(&path), ["after", "held"]);
    }

    #[test]
    fn shutdown_commits_what_is_queued_then_refuses() {
        let (path, b) = temp_db();
        let b = Arc::new(b);
        let (release, held) = hold(&b);
        let queued: Vec<_> =
            (0..5).map(|i| b.submit(move |c| insert(c, &format!("q{i}")).map_err(|e| e.to_string()))).collect();
        let stopper = {
            let b = Arc::clone(&b);
            std::thread::spawn(move || b.shutdown())
        };
        // Wait until the queue is closed (a write is then refused at once).
        let mut extra = Vec::new();
        loop {
            let mut probe = b.submit(|c| insert(c, &format!("p{}", db_now_nanos())).map_err(|e| e.to_string()));
            match probe.try_recv() {
                Ok(answer) => {
                    assert_eq!(answer, Err(BatchError::Closed));
                    break;
                }
                Err(_) => extra.push(probe),
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        release.send(()).unwrap();
        stopper.join().unwrap();
        assert_eq!(held.blocking_recv().unwrap(), Ok(Ok(1)));
        for answer in queued.into_iter().chain(extra) {
            assert_eq!(answer.blocking_recv().unwrap(), Ok(Ok(1)), "queued before shutdown: committed");
        }
        let rows = committed(&path);
        assert!((0..5).all(|i| rows.contains(&format!("q{i}"))), "{rows:?}");
        assert_eq!(b.write_blocking(|c| insert(c, "late").map_err(|e| e.to_string())), Err(BatchError::Closed));
    }

    fn db_now_nanos() -> u128 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    }
}
