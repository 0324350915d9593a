//! Velkomst driven as its users drive it. One binary; every test gets its
//! own app and database. Run against PostgreSQL by setting
//! VELKOMST_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test.

mod helpers;
mod instances;

mod ambassadors;
mod api;
mod api_actions;
mod api_idempotency;
mod backend_free;
mod backup;
mod cli;
mod events;
mod handover;
mod intake;
mod mail;
mod metrics;
mod nasty;
mod pipeline;
mod privacy;
mod privacy_erasure;
mod privacy_export;
mod privacy_mover;
mod privacy_retention;
mod queue;
mod reports;
mod security;
mod security_accounts;
mod security_audit;
mod security_login;
mod security_mfa;
mod security_recovery;
mod security_resume;
mod security_tokens;
mod smtp;
mod staff;
mod storage;
mod survey;
mod ux;
