-- A consultant searching the queue for an email (a phone call, a reply)
-- finds it by an exact, case-blind lookup, not a scan.
CREATE INDEX persons_email_lower ON persons (lower(email));
