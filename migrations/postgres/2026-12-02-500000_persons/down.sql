ALTER TABLE cases
    ADD COLUMN name TEXT NOT NULL DEFAULT '',
    ADD COLUMN email TEXT NOT NULL DEFAULT '',
    ADD COLUMN phone TEXT,
    ADD COLUMN message TEXT,
    ADD COLUMN moving_from TEXT,
    ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE cases SET name = p.name, email = p.email, phone = p.phone, message = p.message,
    moving_from = p.moving_from, search_text = p.search_text
    FROM persons p WHERE p.case_id = cases.id;
CREATE INDEX cases_email ON cases (email);
CREATE INDEX cases_search_trgm ON cases USING gin (search_text gin_trgm_ops);
DROP TABLE persons;
