-- Staff two-factor login (TOTP, RFC 6238). The secret is sealed with a key
-- derived from the server's secret key (crypto::seal), never stored plain.
CREATE TABLE mfa_totp (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    secret TEXT NOT NULL,                 -- sealed base32 secret
    confirmed_at TIMESTAMP,               -- NULL: enrolment begun, not yet confirmed with a code
    last_step BIGINT,                     -- the last 30 s step a code was accepted for (no replay)
    created_at TIMESTAMP NOT NULL
);

-- One-time recovery codes, as keyed hashes.
CREATE TABLE mfa_recovery_codes (
    code_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX mfa_recovery_codes_user ON mfa_recovery_codes (user_id);

-- A session that must enrol a second factor before it may do anything else
-- (MFA mandatory for the role, none enrolled at login).
ALTER TABLE sessions ADD COLUMN must_enrol_mfa BOOLEAN NOT NULL DEFAULT 0;
