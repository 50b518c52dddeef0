//! `ukprod`: projects UK vehicle production toward the 1.3 million target.
//!
//! Data flows one way: [`data`] loads and checks the sourced CSV files, [`scenario`]
//! resolves TOML scenarios, [`engine`] projects them, [`uncertainty`] draws them, and
//! [`export`], [`chart`] and [`report`] render the results; each command (in `commands/`)
//! strings these steps together.

pub mod chart;
pub mod cli;
mod commands;
pub mod data;
pub mod diagnostic;
pub mod engine;
pub mod export;
pub mod manifest;
pub mod number;
pub mod output;
pub mod report;
pub mod scenario;
pub mod uncertainty;

pub use commands::run;
pub use diagnostic::{Diagnostic, Diagnostics};

/// The text to show for an error: diagnostics as they are, anything else as its cause chain.
pub fn error_text(err: &anyhow::Error) -> String {
    match err.downcast_ref::<Diagnostics>() {
        Some(diagnostics) => diagnostics.to_string(),
        None => format!("error: {err:#}"),
    }
}
