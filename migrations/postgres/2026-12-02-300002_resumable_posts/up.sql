-- A form that arrived after its session had ended, kept so that signing in
-- again completes it (docs/security.md). Keyed by a hash of the browser's
-- CSRF cookie; the fields are sealed (crypto::seal), never plain; short-lived.
CREATE TABLE resumable_posts (
    browser_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT,                         -- whose ended session it was, when known
    path TEXT NOT NULL,
    form TEXT NOT NULL,                   -- sealed url-encoded body, without its csrf_token
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
