ALTER TABLE cases DROP COLUMN messages_stopped_at;
DROP TABLE mover_links;
