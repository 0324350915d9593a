-- The reporter role (reads reports, never a person). SQLite cannot alter a
-- CHECK constraint; widening it (every stored row stays valid) is the
-- documented writable_schema edit. RESET re-reads the schema on this
-- connection; the index below changes the schema cookie, so every other
-- connection re-reads it too.
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, '''ambassador'')', '''ambassador'', ''reporter'')')
    WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;
CREATE INDEX users_role ON users (role);

-- Half-yearly reports (issue 9). The household shape the reports count,
-- fixed at intake from adults and the children's birth years (CONTRACT:
-- family_with_children, couple, single, other). Existing cases: a child
-- on the form was under 18 when it was sent (the form allows no older).
ALTER TABLE cases ADD COLUMN household TEXT NOT NULL DEFAULT 'other';
UPDATE cases SET household = CASE
    WHEN children_count > 0 THEN 'family_with_children'
    WHEN adults = 2 THEN 'couple'
    WHEN adults = 1 THEN 'single'
    ELSE 'other' END;

-- Why a case was lost: a structured reason given when closing (optional),
-- and where they chose instead (a place, short text).
ALTER TABLE cases ADD COLUMN close_reason TEXT;
ALTER TABLE cases ADD COLUMN chose_instead TEXT;

-- The reports read a cohort by the date received: a range scan.
CREATE INDEX cases_created_at ON cases (created_at);
-- The ambassadors' figures read referral events of a period.
CREATE INDEX case_events_kind_at ON case_events (kind, at);

-- The campaign register.
CREATE TABLE campaigns (
    slug TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    target_areas TEXT NOT NULL,            -- JSON array of area slugs
    target_group TEXT NOT NULL,
    channel TEXT NOT NULL,                 -- digital | print | event | handbaaret
    starts_on TEXT,                        -- YYYY-MM-DD
    ends_on TEXT,
    budget BIGINT,                         -- whole kroner
    notes TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Visits through a campaign's tracked link, counted per local day; no
-- personal data (no address, no agent, no time of day).
CREATE TABLE campaign_visits (
    slug TEXT NOT NULL REFERENCES campaigns(slug) ON DELETE CASCADE,
    day TEXT NOT NULL,
    visits INTEGER NOT NULL,
    PRIMARY KEY (slug, day)
);
