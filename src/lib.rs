//! Velkomst — a newcomer welcome-service case system for municipalities.
//!
//! Layers: `web` → `workflow` → `domain` and `db`, with `mail` beside
//! `workflow` and `jobs` (the worker) beside `web`. `web` knows HTTP and is
//! the only layer that decides a status; every state change is one
//! `workflow` function in one transaction through `db::Db::write`; the
//! `domain` is pure (rules and types, no IO); diesel lives only in `db`;
//! actix only in `web`, `startup` and `cli`. Below `web` the error is
//! [`error::Error`]. `.ci/layers` checks the rule; docs/architecture.md
//! draws it.

pub mod cli;
pub mod config;
pub mod crypto;
pub mod db;
pub mod domain;
pub mod error;
pub mod files;
pub mod hashing;
pub mod jobs;
pub mod mail;
pub mod startup;
pub mod templates;
pub mod web;
pub mod workflow;
