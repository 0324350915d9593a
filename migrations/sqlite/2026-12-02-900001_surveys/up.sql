-- After the move: the welcome survey and the one-year check (issue 10).
-- One row per case and kind, written when the email goes out. The private
-- links are 256-bit tokens stored as hashes (the first email's and the
-- reminder's). Scores, help and residence are statistics kept after an
-- erasure; the free text is the mover's and goes with them.
CREATE TABLE surveys (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                    -- welcome | one_year
    token_hash TEXT NOT NULL UNIQUE,
    reminder_token_hash TEXT UNIQUE,
    sent_at TIMESTAMP NOT NULL,
    reminded_at TIMESTAMP,
    closes_at TIMESTAMP NOT NULL,
    answered_at TIMESTAMP,
    scores TEXT,                           -- JSON {statement: 1..5}
    helped TEXT,                           -- comma-separated help options
    residence TEXT,                        -- stayed | moved_within | moved_away
    comment TEXT
);
CREATE UNIQUE INDEX surveys_case_kind ON surveys (case_id, kind);
CREATE INDEX surveys_open ON surveys (answered_at, reminded_at, sent_at);
