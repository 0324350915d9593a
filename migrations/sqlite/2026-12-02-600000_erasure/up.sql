-- Where the mover moves from, as a class the reports can count after the
-- free text is erased: municipality, region, abroad or unknown.
ALTER TABLE cases ADD COLUMN moving_from_kind TEXT NOT NULL DEFAULT 'unknown';

-- Every erasure, without personal data: the reference, when, by which rule
-- and (for staff) who. Erasures done after a backup was taken are applied
-- again from this ledger when the backup is restored (velkomst erasures).
CREATE TABLE erasures (
    reference TEXT PRIMARY KEY NOT NULL,
    erased_at TIMESTAMP NOT NULL,
    rule TEXT NOT NULL,                    -- staff | mover | retention
    actor_id TEXT,                         -- the staff member, for rule staff
    reason TEXT NOT NULL                   -- the staff's short reason (no personal data), or the rule's name
);
