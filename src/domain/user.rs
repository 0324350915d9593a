//! Staff and ambassador roles, and what each may reach.

use super::text::text_enum;

text_enum!(
    pub enum Role as "role" {
        Admin = "admin", Consultant = "consultant", Ambassador = "ambassador",
    }
);

impl Role {
    /// Staff work the queue and see every case; ambassadors see only what is
    /// referred to them.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Consultant)
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
        assert!(check_password("short").is_err());
        assert!(check_password("a long enough passphrase æøå").is_ok());
    }
}
