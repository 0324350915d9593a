//! The background worker: housekeeping now; the outbox and follow-ups
//! join it here. Runs inside `serve` or alone as `velkomst worker`.

use std::time::Duration;

use crate::db::{users, Db};

const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(15 * 60);

/// Runs until the process ends. Errors are logged and retried next round:
/// a database hiccup must not stop the worker.
pub async fn run(db: Db) {
    let mut tick = tokio::time::interval(HOUSEKEEPING_EVERY);
    loop {
        tick.tick().await;
        match db.run(users::delete_expired_sessions).await {
            Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "housekeeping failed"),
        }
    }
}
