//! A bounded pool for password hashing. argon2id takes 19 MiB per hash;
//! run on an unbounded blocking pool, a login storm multiplies that by the
//! number of parallel attempts, and the allocator keeps the memory. Here at
//! most `threads` hashes run at once, always on the same few threads (so at
//! most that many 19 MiB blocks are ever held), and an attempt that cannot
//! get a turn within `wait` is refused with [`Busy`] (503 + Retry-After).

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{oneshot, Semaphore};

type Job = Box<dyn FnOnce() + Send + 'static>;

/// Every hashing thread is busy and stayed busy for the whole wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("password hashing is busy; retry in {retry_after_secs} s")]
pub struct Busy {
    pub retry_after_secs: u64,
}

pub struct HashPool {
    turns: Arc<Semaphore>,
    jobs: Mutex<mpsc::Sender<Job>>,
    wait: Duration,
    threads: usize,
}

impl HashPool {
    /// `threads` = 0: one per CPU core.
    pub fn new(threads: usize, wait: Duration) -> Self {
        let threads = if threads == 0 { std::thread::available_parallelism().map_or(2, usize::from) } else { threads };
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..threads {
            let rx = Arc::clone(&rx);
            let spawned = std::thread::Builder::new().name(format!("velkomst-hash-{i}")).spawn(move || loop {
                let job = {
                    let guard = rx.lock().unwrap_or_else(|p| p.into_inner());
                    guard.recv()
                };
                match job {
                    Ok(job) => job(),
                    Err(_) => return, // the pool is gone
                }
            });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        Self { turns: Arc::new(Semaphore::new(threads)), jobs: Mutex::new(tx), wait, threads }
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Runs `f` (a password hash or verification) on a hashing thread,
    /// waiting at most the configured time for a turn.
    pub async fn run<T, F>(&self, f: F) -> Result<T, Busy>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let busy = Busy { retry_after_secs: self.wait.as_secs().max(1) * 2 };
        let permit = match tokio::time::timeout(self.wait, Arc::clone(&self.turns).acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            _ => return Err(busy),
        };
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(f());
        });
        {
            let jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
            if jobs.send(job).is_err() {
                return Err(busy);
            }
        }
        let out = rx.await.map_err(|_| busy);
        drop(permit);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_jobs_and_refuses_when_every_turn_is_taken() {
        let pool = Arc::new(HashPool::new(1, Duration::ZERO));
        assert_eq!(pool.run(|| 2 + 2).await, Ok(4));
        // Hold the only turn with a job that waits for our signal.
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let (started_tx, started_rx) = oneshot::channel::<()>();
        let p = Arc::clone(&pool);
        let held = tokio::spawn(async move {
            p.run(move || {
                let _ = started_tx.send(());
                let _ = release_rx.recv();
                7
            })
            .await
        });
        started_rx.await.expect("the job started");
        let refused = pool.run(|| 1).await.expect_err("no turn is free");
        assert!(refused.retry_after_secs >= 1);
        release_tx.send(()).expect("release");
        assert_eq!(held.await.expect("joined"), Ok(7));
        assert_eq!(pool.run(|| 5).await, Ok(5), "the turn is free again");
    }
}
