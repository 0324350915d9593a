# Messages of the staff JSON API (docs/api.md); Danish in da/api.ftl.
error-email-shape = Give either a template, or a subject and a body.
error-unknown-assignee = That assignee does not exist or is not active.
error-idempotency-key-reused = This Idempotency-Key was used with another request.
