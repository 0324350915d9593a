//! API token scopes: what a bearer token may do, at most what its user may.

use super::text::text_enum;
use super::user::Role;

text_enum!(
    /// What a token may do:
    /// - `Read`: Read cases (GET on the staff API).
    /// - `Write`: Change cases (transitions, referrals, erasure).
    /// - `Intake`: Submit inquiries on someone's behalf (integrations).
    /// - `Reports`: Aggregate reports.
    /// - `Metrics`: Operational metrics.
    pub enum Scope as "scope" {
        Read = "read", Write = "write", Intake = "intake", Reports = "reports", Metrics = "metrics",
    }
);

impl Scope {
    /// Whether a user with `role` holds this right at all.
    pub fn allowed_for(self, role: Role) -> bool {
        // Operational metrics are the admins' (who run the service).
        if self == Scope::Metrics {
            return role == Role::Admin;
        }
        if role.is_staff() {
            return true;
        }
        match role {
            Role::Ambassador => false,
            _ => matches!(self, Scope::Reports),
        }
    }

    /// Every right of the role: a token's default.
    pub fn defaults_for(role: Role) -> Vec<Scope> {
        Self::ALL.iter().copied().filter(|s| s.allowed_for(role)).collect()
    }
}

/// Whether a token with `scopes` (`None`: a token from before scopes, full
/// rights) carries `needed`.
pub fn grants(scopes: Option<&[String]>, needed: Scope) -> bool {
    scopes.is_none_or(|list| list.iter().any(|s| s == needed.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes() {
        assert_eq!(Scope::parse("read"), Some(Scope::Read));
        assert_eq!(Scope::parse("root"), None);
        assert_eq!(Scope::defaults_for(Role::Admin).len(), 5);
        assert_eq!(Scope::defaults_for(Role::Consultant).len(), 4, "metrics are the admins'");
        assert!(Scope::defaults_for(Role::Ambassador).is_empty());
        assert!(grants(None, Scope::Write), "old tokens keep full rights");
        let read = vec!["read".to_string()];
        assert!(grants(Some(&read), Scope::Read) && !grants(Some(&read), Scope::Write));
    }
}
