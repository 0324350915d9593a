-- Email that is never lost: every email is a row, written in the same
-- transaction as the change that causes it, and delivered by the worker.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,          -- UUIDv7; also the Message-ID's left part
    case_id TEXT REFERENCES cases(id) ON DELETE CASCADE,
    template TEXT NOT NULL,                -- e.g. receipt, visit_invitation, custom
    recipient TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    reply_to TEXT,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    ics TEXT,                              -- calendar attachment (visits)
    ics_method TEXT,                       -- REQUEST or CANCEL
    message_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,                  -- pending, sending, sent, dead
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_until TIMESTAMP,
    leased_by TEXT,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_lease ON outbox (status, lease_until);
CREATE INDEX outbox_case ON outbox (case_id, created_at);

-- A follow-up belongs to the stage that scheduled it and is cancelled when
-- the case leaves that stage or closes.
CREATE TABLE followups (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    rule TEXT NOT NULL,                    -- a rule name from the configuration, or visit_reminder / visit_thanks
    due_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL,                  -- scheduled, done, cancelled
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX followups_due ON followups (status, due_at);
CREATE INDEX followups_case ON followups (case_id, status);

CREATE TABLE visits (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    starts_at TIMESTAMP NOT NULL,          -- UTC
    duration_minutes INTEGER NOT NULL,
    place TEXT NOT NULL,
    note TEXT,
    uid TEXT NOT NULL UNIQUE,              -- iCalendar UID, kept across updates
    sequence INTEGER NOT NULL,
    status TEXT NOT NULL,                  -- planned, cancelled
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX visits_case ON visits (case_id, status);

-- One digest per consultant per local day, ever.
CREATE TABLE digests (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day TEXT NOT NULL,                     -- YYYY-MM-DD in the municipality's time zone
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, day)
);

ALTER TABLE cases ADD COLUMN move_in_date TEXT;      -- YYYY-MM-DD
ALTER TABLE cases ADD COLUMN move_in_area TEXT REFERENCES areas(slug);
