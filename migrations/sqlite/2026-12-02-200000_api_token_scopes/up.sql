-- API tokens: scopes (NULL = every right of the user: tokens made before
-- scopes existed keep full rights) and an expiry (NULL = never).
ALTER TABLE api_tokens ADD COLUMN scopes TEXT;
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;
