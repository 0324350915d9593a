DROP TABLE campaign_visits;
DROP TABLE campaigns;
DROP INDEX case_events_kind_at;
DROP INDEX cases_created_at;
ALTER TABLE cases DROP COLUMN chose_instead;
ALTER TABLE cases DROP COLUMN close_reason;
ALTER TABLE cases DROP COLUMN household;
DROP INDEX users_role;
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, '''ambassador'', ''reporter'')', '''ambassador'')')
    WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;
CREATE INDEX users_role_gone ON users (role);
DROP INDEX users_role_gone;
