-- The mover's own page: private links (only a SHA-256 of each 256-bit
-- token is kept), valid while the case holds the person; deleted at erasure.
CREATE TABLE mover_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX mover_links_case ON mover_links (case_id, created_at);
-- When the mover asked for no more messages (withdrew after a final
-- outcome): nothing further is sent to them.
ALTER TABLE cases ADD COLUMN messages_stopped_at TIMESTAMP;
