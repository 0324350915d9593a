//! Staff and ambassador roles, and what each may reach.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Consultant,
    Ambassador,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Consultant, Role::Ambassador];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Consultant => "consultant",
            Role::Ambassador => "ambassador",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

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
