# Security: login, passwords, two-factor, tokens and the audit trail.
login-throttled = Too many attempts. Wait a little, then try again.
