-- Who opened a case's personal data, when, what and why. Kept for its own
-- period (not erased with the person: it holds no personal content).
CREATE TABLE access_log (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    what TEXT NOT NULL,                    -- case_page | api_case | export
    purpose TEXT NOT NULL                  -- case_work | subject_access
);
CREATE INDEX access_log_case ON access_log (case_id, at);
