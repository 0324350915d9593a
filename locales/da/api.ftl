# Beskeder fra staff-API'et (docs/api.md); engelsk i en/api.ftl.
error-email-shape = Angiv enten en skabelon eller et emne og en tekst.
error-unknown-assignee = Sagsbehandleren findes ikke eller er ikke aktiv.
error-idempotency-key-reused = Denne Idempotency-Key er brugt til en anden forespørgsel.
