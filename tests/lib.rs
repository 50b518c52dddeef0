//! One integration test binary (as just does), so the suite links once.

mod charts;
mod common;
mod errors;
mod newcomer;
mod provenance;
mod register;
mod semantics;
mod uncertainty;
mod warnings;
mod workflow;
