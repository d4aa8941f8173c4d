//! The integration tests: one binary (one link of the crate and its
//! dependencies), one module per area. Shared helpers live in `common`.

mod common;

mod architecture;
mod build;
mod checkin;
mod cli_check;
mod consistency;
mod diff;
mod docs;
mod fuzz;
mod git_history;
mod handout;
mod handout_equivalence;
mod hardening;
mod i18n;
mod init;
mod kill;
mod kpi_page;
mod languages;
mod messages;
mod native;
mod numbers;
mod numbers_revised;
mod pull;
mod remind;
mod scheduled_workflows;
mod serve;
mod serve_incremental;
mod site;
mod svg;
mod workflow;
