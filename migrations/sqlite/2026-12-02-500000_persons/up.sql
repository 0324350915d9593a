-- Who the person is lives apart from what happened to their case, so that
-- erasing the person removes one row and leaves the anonymous facts the
-- reports count (stage dates, areas, household shape, campaign, outcome).
CREATE TABLE persons (
    case_id TEXT PRIMARY KEY NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    message TEXT,
    moving_from TEXT,
    search_text TEXT NOT NULL              -- lowercased name, email and reference
);
INSERT INTO persons (case_id, name, email, phone, message, moving_from, search_text)
    SELECT id, name, email, phone, message, moving_from, search_text FROM cases;
CREATE INDEX persons_email ON persons (email);

DROP INDEX cases_email;
DROP INDEX cases_queue_open;
DROP INDEX cases_queue_stage;
CREATE INDEX cases_queue_open ON cases (is_open, waiting_since, id);
CREATE INDEX cases_queue_stage ON cases (stage, waiting_since, id);
ALTER TABLE cases DROP COLUMN name;
ALTER TABLE cases DROP COLUMN email;
ALTER TABLE cases DROP COLUMN phone;
ALTER TABLE cases DROP COLUMN message;
ALTER TABLE cases DROP COLUMN moving_from;
ALTER TABLE cases DROP COLUMN search_text;
