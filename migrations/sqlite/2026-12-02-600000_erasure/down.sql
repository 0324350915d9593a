DROP TABLE erasures;
ALTER TABLE cases DROP COLUMN moving_from_kind;
