-- The queue's free-text search is a LIKE over search_text while walking the
-- queue order. With search_text in the index, SQLite filters inside the
-- index instead of reading every open case's row.
DROP INDEX cases_queue_open;
DROP INDEX cases_queue_stage;
CREATE INDEX cases_queue_open ON cases (is_open, waiting_since, id, search_text);
CREATE INDEX cases_queue_stage ON cases (stage, waiting_since, id, search_text);
