-- Newcomers' events (issue 10). Guests are newcomers with a case,
-- ambassadors (user_id), or people who signed up through the open link
-- (neither: their name and email go some weeks after the event). `needs`
-- may be health data (GDPR art. 9): shown only to staff running the event
-- and deleted when attendance is recorded or the event is past.
CREATE TABLE events (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    duration_minutes INTEGER NOT NULL,
    place TEXT NOT NULL,
    areas TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    languages TEXT NOT NULL,
    signup_deadline TIMESTAMP NOT NULL,
    open_slug TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    reminded_at TIMESTAMP,
    attendance_at TIMESTAMP
);
CREATE TABLE event_guests (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    case_id TEXT REFERENCES cases(id) ON DELETE CASCADE,
    user_id TEXT REFERENCES users(id),
    name TEXT,
    email TEXT,
    language TEXT NOT NULL,
    area TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,                   -- invited | signed_up | waiting | cancelled
    adults INTEGER NOT NULL,
    children INTEGER NOT NULL,
    needs TEXT,
    invited_at TIMESTAMP NOT NULL,
    signed_up_at TIMESTAMP,
    came BOOLEAN
);
CREATE INDEX event_guests_event ON event_guests (event_id, state);
CREATE INDEX event_guests_case ON event_guests (case_id);
