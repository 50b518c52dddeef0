//! One integration test binary (as just does), so the suite links once.

mod chart_layout;
mod charts;
mod common;
mod data_command;
mod data_uncertainty;
mod errors;
mod folders;
mod fuzz;
mod hardening_bounds;
mod hardening_folders;
mod hardening_io;
mod headline;
mod industry;
mod layout;
mod newcomer;
mod provenance;
mod register;
mod report_briefing;
mod rerun;
mod scenario_display;
mod semantics;
mod sensitivity;
mod uncertainty;
mod variants;
mod warnings;
mod workflow;
