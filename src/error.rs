//! The core error of everything below `web/`: storage, the workflow, mail
//! and the jobs. It knows nothing of HTTP; `web::error` decides how each
//! variant is answered (status, page or JSON, correlation id).

use std::fmt;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The thing asked for does not exist (or must look as if it did not).
    #[error("not found")]
    NotFound,
    /// The request is well-formed but the current state does not allow it.
    #[error("refused: {}", .0.code())]
    Refused(Refusal),
    /// Input that cannot be used; the text names what is wrong.
    #[error("invalid: {0}")]
    Invalid(String),
    /// A resource the work needs is missing for now (pool, writer).
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Anything unexpected, with its whole chain of causes.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A typed "no" that a caller may handle as part of its flow (and that the
/// web layer answers with a locale message named by `code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Assigning to someone who is not an active consultant.
    UnknownAssignee,
    /// An area slug that is not in the configuration.
    UnknownArea,
    /// A user id that does not exist.
    UnknownUser,
    /// An admin deactivating their own account.
    DeactivateSelf,
    /// Someone else changed the record between reading and writing it.
    ChangedMeanwhile,
    /// The case's person was erased: nothing more happens to it.
    Erased,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::UnknownAssignee => "unknown_assignee",
            Refusal::UnknownArea => "unknown_area",
            Refusal::UnknownUser => "unknown_user",
            Refusal::DeactivateSelf => "deactivate_self",
            Refusal::ChangedMeanwhile => "changed_meanwhile",
            Refusal::Erased => "erased",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Error {
    /// An unexpected failure of `source`, keeping its chain under `what`.
    pub fn context<E>(source: E, what: &'static str) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Error::Internal(anyhow::Error::new(source).context(what))
    }

    /// An unexpected state that has no underlying error.
    pub fn bug(what: impl fmt::Display) -> Self {
        Error::Internal(anyhow::anyhow!("{what}"))
    }

    /// The full story for a log line or a CLI message.
    pub fn detail(&self) -> String {
        match self {
            Error::Internal(e) => format!("{e:#}"),
            other => other.to_string(),
        }
    }
}

impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => Error::NotFound,
            other => Error::context(other, "database"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_keep_their_chain() {
        let io = std::io::Error::other("disk on fire");
        let e = Error::context(io, "writing the backup");
        assert_eq!(e.detail(), "writing the backup: disk on fire");
    }

    #[test]
    fn diesel_not_found_is_not_found() {
        assert!(matches!(Error::from(diesel::result::Error::NotFound), Error::NotFound));
    }
}
