-- The audit trail of security events (logins, MFA, passwords, tokens,
-- users). Append-only; rows older than auth.security_events_days are
-- removed by the worker. No secrets: a failed login names the account by a
-- keyed hash of the email tried, never the email or the password.
CREATE TABLE security_events (
    id TEXT PRIMARY KEY NOT NULL,         -- UUIDv7
    at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,                   -- login_ok, login_failed, login_throttled, mfa_enrolled, ...
    user_id TEXT,                         -- the account concerned, when known
    actor_id TEXT,                        -- who did it, when not the user (an admin)
    account_key TEXT,                     -- keyed hash of the email tried (failed logins)
    client TEXT,                          -- client address
    detail TEXT                           -- non-secret detail: a token's label, a role
);
CREATE INDEX security_events_at ON security_events (at);
CREATE INDEX security_events_kind_at ON security_events (kind, at);
