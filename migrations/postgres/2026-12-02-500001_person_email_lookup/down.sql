DROP INDEX persons_email_lower;
