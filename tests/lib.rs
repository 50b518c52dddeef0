//! One integration test binary (as just does), so the suite links once.

mod charts;
mod common;
mod errors;
mod folders;
mod provenance;
mod rerun;
mod semantics;
mod uncertainty;
mod workflow;
