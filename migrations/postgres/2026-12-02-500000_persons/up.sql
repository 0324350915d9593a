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
-- The queue's one-person search: LIKE '%term%' through a trigram index.
CREATE INDEX persons_search_trgm ON persons USING gin (search_text gin_trgm_ops);

DROP INDEX cases_search_trgm;
DROP INDEX cases_email;
ALTER TABLE cases
    DROP COLUMN name,
    DROP COLUMN email,
    DROP COLUMN phone,
    DROP COLUMN message,
    DROP COLUMN moving_from,
    DROP COLUMN search_text;
