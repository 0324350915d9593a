ALTER TABLE sessions DROP COLUMN must_enrol_mfa;
DROP TABLE mfa_recovery_codes;
DROP TABLE mfa_totp;
