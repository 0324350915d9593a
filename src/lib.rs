//! Velkomst — a newcomer welcome-service case system for municipalities.
//!
//! Layers: `web` → `domain` → `db`, with `jobs` beside `web`. The domain is
//! pure; diesel lives only in `db`; actix only in `web` and `startup`.

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
