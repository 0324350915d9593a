-- The whole pipeline's schema. Ids are UUIDs as TEXT and timestamps are UTC,
-- so one diesel schema serves SQLite and PostgreSQL.
CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,            -- lowercased
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'consultant', 'ambassador')),
    password_hash TEXT,                    -- argon2id PHC string; NULL until set
    active BOOLEAN NOT NULL DEFAULT TRUE,
    open_cases INTEGER NOT NULL DEFAULT 0, -- kept in step by the case writes; drives auto-assignment
    created_at TIMESTAMP NOT NULL,
    deactivated_at TIMESTAMP
);

CREATE TABLE areas (
    slug TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    postcode TEXT NOT NULL,
    position INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,     -- false once removed from the configuration
    responsible_id TEXT REFERENCES users(id)
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,     -- sha256 of the cookie value
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE setup_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT REFERENCES users(id) ON DELETE CASCADE, -- NULL: creates the first admin
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);

CREATE TABLE cases (
    id TEXT PRIMARY KEY NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    language TEXT NOT NULL,
    moving_from TEXT,
    adults INTEGER NOT NULL,
    children TEXT NOT NULL,                -- JSON array of birth years
    children_count INTEGER NOT NULL,
    housing TEXT NOT NULL,
    timeframe TEXT NOT NULL,
    job_help BOOLEAN NOT NULL,
    message TEXT,
    ambassador_contact BOOLEAN NOT NULL,
    campaign TEXT,
    assignee_id TEXT REFERENCES users(id),
    stage TEXT NOT NULL,
    last_open_stage TEXT NOT NULL,
    outcome TEXT,
    is_open BOOLEAN NOT NULL,
    waiting_since TIMESTAMP NOT NULL,      -- entered the current stage; the queue's order
    first_contact_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    visit_at TIMESTAMP,
    move_in_at TIMESTAMP,
    welcome_package_at TIMESTAMP,
    closed_at TIMESTAMP,
    search_text TEXT NOT NULL              -- lowercased name, email and reference
);
-- The queue walks one of these in (waiting_since, id) order, so every page,
-- deep or not, is an index range scan (keyset pagination, no OFFSET).
CREATE INDEX cases_queue_open ON cases (is_open, waiting_since, id);
CREATE INDEX cases_queue_stage ON cases (stage, waiting_since, id);
CREATE INDEX cases_queue_assignee_open ON cases (assignee_id, is_open, waiting_since, id);
CREATE INDEX cases_queue_assignee_stage ON cases (assignee_id, stage, waiting_since, id);
CREATE INDEX cases_stage_counts ON cases (is_open, stage);
CREATE INDEX cases_email ON cases (email);

CREATE TABLE case_areas (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    area_slug TEXT NOT NULL REFERENCES areas(slug),
    position INTEGER NOT NULL,
    PRIMARY KEY (case_id, area_slug)
);
CREATE INDEX case_areas_area ON case_areas (area_slug, case_id);

CREATE TABLE case_interests (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    interest TEXT NOT NULL,
    PRIMARY KEY (case_id, interest)
);

CREATE TABLE case_events (
    id TEXT PRIMARY KEY NOT NULL,          -- UUIDv7: time-ordered
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    actor_id TEXT REFERENCES users(id),
    data TEXT NOT NULL                     -- JSON: note, from, to, outcome, assignee…
);
CREATE INDEX case_events_case ON case_events (case_id, at, id);
