//! Staff and ambassador roles, and what each may reach.

use super::text::text_enum;

text_enum!(
    pub enum Role as "role" {
        Admin = "admin", Consultant = "consultant", Ambassador = "ambassador",
        Reporter = "reporter",
    }
);

impl Role {
    /// Staff work the queue and see every case; ambassadors see only what is
    /// referred to them.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Consultant)
    }

    /// Reads the reports: staff (exact figures) and reporters (aggregates
    /// with small groups masked, never a person).
    pub fn reads_reports(self) -> bool {
        self.is_staff() || self == Role::Reporter
    }
}

/// Passwords: long enough to matter, short enough that hashing stays cheap.
pub fn check_password(pw: &str) -> Result<(), &'static str> {
    let n = pw.chars().count();
    if n < 12 {
        Err("password-too-short")
    } else if n > 256 {
        Err("too-long")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles() {
        assert_eq!(Role::parse("consultant"), Some(Role::Consultant));
        assert_eq!(Role::parse("root"), None);
        assert!(Role::Admin.is_staff() && !Role::Ambassador.is_staff());
        assert!(!Role::Reporter.is_staff() && Role::Reporter.reads_reports() && !Role::Ambassador.reads_reports());
        assert!(check_password("short").is_err());
        assert!(check_password("a long enough passphrase æøå").is_ok());
    }
}
