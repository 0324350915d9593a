DROP INDEX cases_queue_open;
DROP INDEX cases_queue_stage;
CREATE INDEX cases_queue_open ON cases (is_open, waiting_since, id);
CREATE INDEX cases_queue_stage ON cases (stage, waiting_since, id);
