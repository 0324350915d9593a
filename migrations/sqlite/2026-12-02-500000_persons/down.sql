ALTER TABLE cases ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN phone TEXT;
ALTER TABLE cases ADD COLUMN message TEXT;
ALTER TABLE cases ADD COLUMN moving_from TEXT;
ALTER TABLE cases ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE cases SET
    name = (SELECT p.name FROM persons p WHERE p.case_id = cases.id),
    email = (SELECT p.email FROM persons p WHERE p.case_id = cases.id),
    phone = (SELECT p.phone FROM persons p WHERE p.case_id = cases.id),
    message = (SELECT p.message FROM persons p WHERE p.case_id = cases.id),
    moving_from = (SELECT p.moving_from FROM persons p WHERE p.case_id = cases.id),
    search_text = (SELECT p.search_text FROM persons p WHERE p.case_id = cases.id)
    WHERE EXISTS (SELECT 1 FROM persons p WHERE p.case_id = cases.id);
DROP INDEX cases_queue_open;
DROP INDEX cases_queue_stage;
CREATE INDEX cases_queue_open ON cases (is_open, waiting_since, id, search_text);
CREATE INDEX cases_queue_stage ON cases (stage, waiting_since, id, search_text);
CREATE INDEX cases_email ON cases (email);
DROP TABLE persons;
