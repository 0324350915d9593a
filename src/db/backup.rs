//! `velkomst backup PATH`: a consistent copy of a live SQLite database.
//!
//! `VACUUM INTO` reads the database in one read transaction, so the copy is
//! the database as it stood at one commit, while writers (WAL mode) go on.
//! The target is first created empty with mode 0600 (`O_EXCL`: an existing
//! file is refused, never overwritten); SQLite accepts an empty file as the
//! target and keeps its permissions, so the copy is never readable by
//! others, not even for a moment.

use std::path::Path;

use diesel::RunQueryDsl;

use super::Conn;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The target exists already (or its folder does not): a usage error.
    #[error("{0}")]
    Target(String),
    /// PostgreSQL: not this command's job.
    #[error("the database is PostgreSQL: back it up with pg_dump (see docs/operations.md)")]
    Postgres,
    #[error("{0}")]
    Failed(String),
}

/// Creates `path` (owner-only) and writes the copy into it. On failure the
/// partial file is removed.
pub fn sqlite_backup(conn: &mut Conn, path: &Path) -> Result<u64, BackupError> {
    let Conn::Sqlite(sqlite) = conn else { return Err(BackupError::Postgres) };
    create_private(path)?;
    let result = (|| {
        let target =
            path.to_str().ok_or_else(|| BackupError::Target(format!("{}: not valid UTF-8", path.display())))?;
        diesel::sql_query("VACUUM INTO ?")
            .bind::<diesel::sql_types::Text, _>(target)
            .execute(sqlite)
            .map_err(|e| BackupError::Failed(format!("VACUUM INTO {}: {e}", path.display())))?;
        // VACUUM INTO does not sync its output: make the copy durable.
        let file = std::fs::File::open(path).map_err(|e| BackupError::Failed(format!("{}: {e}", path.display())))?;
        file.sync_all().map_err(|e| BackupError::Failed(format!("{}: {e}", path.display())))?;
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(len)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(path);
    }
    result
}

fn create_private(path: &Path) -> Result<(), BackupError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    match opts.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(BackupError::Target(format!("PATH: {} exists already; give a new file name", path.display())))
        }
        Err(e) => Err(BackupError::Target(format!("PATH: cannot create {}: {e}", path.display()))),
    }
}
