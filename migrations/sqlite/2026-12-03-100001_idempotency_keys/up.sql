-- Idempotency-Key of the staff API (docs/api.md): per token, the first
-- answer to a POST with a key, replayed to a retry with the same key and
-- body for 24 hours. `status` is NULL while the first request is being
-- answered. `response_body` may hold the case as the API shows it (the
-- mover's personal data), so it hangs off the case (`case_id`) and erasure
-- empties it.
CREATE TABLE idempotency_keys (
    token_id TEXT NOT NULL REFERENCES api_tokens(id) ON DELETE CASCADE,
    idem_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    case_id TEXT REFERENCES cases(id) ON DELETE CASCADE,
    status INTEGER,
    response_body TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (token_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
CREATE INDEX idempotency_keys_case ON idempotency_keys (case_id);
