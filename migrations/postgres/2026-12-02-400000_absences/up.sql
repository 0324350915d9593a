-- A consultant away (holiday, leave) and their stand-in (vikar): while the
-- row exists, the consultant's open cases and new cases that would have
-- gone to them are with the stand-in. Ended by deleting the row.
CREATE TABLE absences (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id),
    substitute_id TEXT NOT NULL REFERENCES users(id),
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX absences_substitute ON absences (substitute_id);

-- The cases handed to the stand-in during an absence: they go back to the
-- consultant when the absence ends (those still open and still with the
-- stand-in).
CREATE TABLE absence_cases (
    user_id TEXT NOT NULL REFERENCES absences(user_id) ON DELETE CASCADE,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, case_id)
);
