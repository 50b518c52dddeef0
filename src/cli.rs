//! The command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Projects UK vehicle production toward the 1.3 million target from sourced data and TOML scenarios.
#[derive(Debug, Parser)]
#[command(name = "ukprod", version, about, propagate_version = true)]
pub struct Cli {
    /// Folder with history.csv, plants.csv and plant_output.csv.
    #[arg(long, global = true, value_name = "DIR", default_value = "data")]
    pub data: PathBuf,
    /// Folder with the scenario files (NAME.toml).
    #[arg(long, global = true, value_name = "DIR", default_value = "scenarios")]
    pub scenarios: PathBuf,
    /// Folder the outputs are written to, one subfolder per scenario.
    #[arg(long, global = true, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the scenarios with their descriptions.
    List,
    /// Project scenarios and write their tables to OUT/SCENARIO/.
    Run {
        /// Scenario names (file stems in the scenario folder).
        #[arg(required = true, value_name = "SCENARIO")]
        names: Vec<String>,
        /// Change one value, e.g. --set programmes.chery-halewood.peak=120000 (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
    },
    /// Print a scenario as resolved: after `extends` and `--set`, defaults filled in.
    Show {
        /// Scenario name.
        #[arg(value_name = "SCENARIO")]
        name: String,
        /// Change one value (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
    },
    /// Check the data files and scenarios (all of them when none are named), reporting every problem.
    Validate {
        /// Scenario names; all scenarios when none are given.
        #[arg(value_name = "SCENARIO")]
        names: Vec<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
