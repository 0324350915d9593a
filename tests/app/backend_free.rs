//! Tests whose outcome cannot depend on the database backend: headers,
//! cookies, CSRF, the OpenAPI document, CLI exit codes before any database,
//! template previews, input refused before storage. They run on SQLite
//! only; `.ci/run`'s PostgreSQL run skips `backend_free::`. A test belongs
//! here only if nothing it asserts reads what the database stored.

mod api;
mod cli;
mod mail;
mod nasty;
mod ops;
mod security;
