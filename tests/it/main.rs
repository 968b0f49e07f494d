//! The integration tests, one binary with a module per area (a binary per file linked the
//! library and the heavy test dependencies — onig, scraper, jsonschema, docx parsing — twenty
//! times). `cargo test --test it MODULE::` runs one area, e.g. `cargo test --test it e2e::`.
//! What each module covers: `tests/README.md`.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod analyze;
mod architecture;
mod backtest;
mod build;
mod calendar;
mod calibrate;
mod calibrate_apply;
mod calibrate_crm;
mod calibrate_reach;
mod cards;
mod check_speed;
mod cli_russian;
mod cohorts;
mod common;
mod consistency;
mod counters;
mod coverage;
mod crm;
mod crm_stand_in;
mod diagnostics;
mod doc_language;
mod docs;
mod documents;
mod e2e;
mod editors;
mod field_cond;
mod flow;
mod fmt;
mod forecast;
mod fuzz;
mod hardening;
mod inactivity;
mod init;
mod kpi;
mod language;
mod lsp;
mod open_deals;
mod planning;
mod quality;
mod routing;
mod scenario;
mod segments;
mod serve;
mod sim_truth;
mod simulate_cli;
mod telcal;
mod terms;
mod triggers;
