ALTER TABLE cases DROP COLUMN move_in_area;
ALTER TABLE cases DROP COLUMN move_in_date;
DROP TABLE digests;
DROP TABLE visits;
DROP TABLE followups;
DROP TABLE outbox;
