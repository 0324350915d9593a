-- Local ambassadors: users with the ambassador role, their organisation,
-- areas and interests; consent-gated referrals; welcome packages per area.
CREATE TABLE ambassadors (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organisation TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('local_council', 'association', 'business', 'private')),
    phone TEXT,
    paused BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE ambassador_areas (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    area_slug TEXT NOT NULL REFERENCES areas(slug),
    PRIMARY KEY (user_id, area_slug)
);
CREATE INDEX ambassador_areas_area ON ambassador_areas (area_slug);

CREATE TABLE ambassador_interests (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    interest TEXT NOT NULL,
    PRIMARY KEY (user_id, interest)
);

CREATE TABLE referrals (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    ambassador_id TEXT NOT NULL REFERENCES users(id),
    message TEXT NOT NULL,
    state TEXT NOT NULL,                   -- offered, accepted, declined, contacted, met, closed, withdrawn
    decline_reason TEXT,
    report TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    reminded_at TIMESTAMP,                 -- the no-answer reminder went to the ambassador
    flagged_at TIMESTAMP                   -- still no answer: flagged to the consultant
);
CREATE INDEX referrals_ambassador ON referrals (ambassador_id, state);
CREATE INDEX referrals_case ON referrals (case_id, created_at);
CREATE INDEX referrals_state ON referrals (state, created_at);

-- Emailed sign-in links: single use, expiring, bound to one ambassador.
CREATE TABLE signin_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    referral_id TEXT REFERENCES referrals(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

CREATE TABLE welcome_packages (
    area_slug TEXT PRIMARY KEY NOT NULL REFERENCES areas(slug),
    items TEXT NOT NULL,                   -- JSON array of strings
    deliverer TEXT NOT NULL,               -- who normally delivers it
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE case_packages (
    case_id TEXT PRIMARY KEY NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    area_slug TEXT NOT NULL REFERENCES areas(slug),
    items TEXT NOT NULL,                   -- JSON array, copied from the area's package when prepared
    method TEXT NOT NULL CHECK (method IN ('ambassador', 'local_council', 'collected')),
    ambassador_id TEXT REFERENCES users(id),
    note TEXT,
    prepared_by TEXT NOT NULL REFERENCES users(id),
    prepared_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP,
    delivered_by TEXT REFERENCES users(id)
);
CREATE INDEX case_packages_ambassador ON case_packages (ambassador_id, delivered_at);
