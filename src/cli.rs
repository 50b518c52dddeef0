//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::chart::{Format, Look, Size};

/// Projects UK vehicle production toward the 1.3 million target from sourced data and TOML scenarios.
#[derive(Debug, Parser)]
#[command(name = "ukprod", version, about, propagate_version = true)]
pub struct Cli {
    /// Folder with history.csv, plants.csv and plant_output.csv (and, optionally, residuals.csv).
    #[arg(long, global = true, value_name = "DIR", default_value = "data")]
    pub data: PathBuf,
    /// Folder with the scenario files (NAME.toml).
    #[arg(long, global = true, value_name = "DIR", default_value = "scenarios")]
    pub scenarios: PathBuf,
    /// Folder the outputs are written to, one subfolder per scenario (list, new, explain, diff,
    /// check, show and validate write no files and do not use it).
    #[arg(long, global = true, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// The command line as given (without the program name), for manifests.
    #[arg(skip)]
    pub argv: Vec<String>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the scenarios with their descriptions.
    List,
    /// Project scenarios and write their tables and charts to OUT/SCENARIO/.
    Run {
        /// Scenario names (file stems in the scenario folder).
        #[arg(required = true, value_name = "SCENARIO")]
        names: Vec<String>,
        /// What-if changes.
        #[command(flatten)]
        variants: Variants,
        /// Chart options.
        #[command(flatten)]
        charts: ChartOptions,
        /// Monte Carlo options.
        #[command(flatten)]
        draws: DrawOptions,
    },
    /// Compare scenarios: OUT/compare-A-B.../compare.csv and a chart, and a table on screen.
    Compare {
        /// Two or more scenario names (the same one twice compares it with a variant).
        #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
        names: Vec<String>,
        /// What-if changes.
        #[command(flatten)]
        variants: Variants,
        /// Chart options.
        #[command(flatten)]
        charts: ChartOptions,
        /// Monte Carlo options.
        #[command(flatten)]
        draws: DrawOptions,
    },
    /// Vary each uncertain input alone, low end and high end: sensitivity.csv and a tornado chart.
    ///
    /// With draws (the default) each end's total is the expected value, the mean of the run's
    /// draws with that input fixed at the end; with --draws 0, the modal case with it changed.
    Sensitivity {
        /// Scenario name.
        #[arg(value_name = "SCENARIO")]
        name: String,
        /// The year whose total is compared (default: the target year).
        #[arg(long)]
        year: Option<i32>,
        /// Change one value (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
        /// Test each plant's base-year output over its low-high range in the data too (the
        /// same as --set assumptions.data_uncertainty=true).
        #[arg(long)]
        data_uncertainty: bool,
        /// Chart options.
        #[command(flatten)]
        charts: ChartOptions,
        /// Monte Carlo options.
        #[command(flatten)]
        draws: DrawOptions,
    },
    /// Find the value of one input at which the total reaches the target: seek.csv and seek.json.
    Seek {
        /// Scenario name.
        #[arg(value_name = "SCENARIO")]
        name: String,
        /// The input to vary, as a dotted path, e.g. programmes.chery-halewood.peak.
        #[arg(long, value_name = "KEY")]
        param: String,
        /// The year whose total must reach the target (default: the target year).
        #[arg(long)]
        year: Option<i32>,
        /// The total to reach (default: the scenario's target volume).
        #[arg(long, value_parser = positive_finite)]
        target: Option<f64>,
        /// The highest value to try (default: the target volume for volumes, the end year + 1 for years).
        #[arg(long, value_parser = positive_finite)]
        max: Option<f64>,
        /// Change one value (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
    },
    /// Write a report of scenarios: OUT/report-NAMES/index.html (self-contained) and report.md.
    Report {
        /// Scenario names.
        #[arg(required = true, value_name = "SCENARIO")]
        names: Vec<String>,
        /// What-if changes.
        #[command(flatten)]
        variants: Variants,
        /// Monte Carlo options.
        #[command(flatten)]
        draws: DrawOptions,
    },
    /// Re-run a scenario (tables, charts and report) whenever it, a parent or a data file is saved.
    Watch {
        /// Scenario name.
        #[arg(value_name = "SCENARIO")]
        name: String,
        /// Change one value (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
        /// Chart options.
        #[command(flatten)]
        charts: ChartOptions,
        /// Monte Carlo options.
        #[command(flatten)]
        draws: DrawOptions,
    },
    /// Start a scenario: writes scenarios/NAME.toml with commented examples of every section.
    New {
        /// The new scenario's name (lowercase letters, digits and hyphens).
        #[arg(value_name = "NAME")]
        name: String,
        /// The scenario it extends.
        #[arg(long, value_name = "PARENT")]
        from: Option<String>,
    },
    /// Show a field's resolved value and where it came from (file and line, --set, or default).
    Explain {
        /// Scenario name.
        #[arg(value_name = "SCENARIO")]
        name: String,
        /// Dotted key, e.g. programmes.chery-halewood.peak.
        #[arg(value_name = "KEY")]
        key: String,
        /// Change one value (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
    },
    /// The resolved inputs and end-year outputs that differ between two scenarios.
    Diff {
        /// First scenario.
        #[arg(value_name = "A")]
        a: String,
        /// Second scenario.
        #[arg(value_name = "B")]
        b: String,
    },
    /// Run every scenario's [[checks]] (or the named ones'); exit 1 if any fails.
    Check {
        /// Scenario names; all when none are given.
        #[arg(value_name = "SCENARIO")]
        names: Vec<String>,
    },
    /// Run again the command that wrote a manifest.json, and say what changed since.
    Rerun {
        /// Path to OUT/.../manifest.json.
        #[arg(value_name = "MANIFEST")]
        manifest: PathBuf,
    },
    /// Chart the whole historical record: OUT/history/history.png and .svg.
    History {
        /// Image format.
        #[arg(long, value_enum, default_value_t = Format::Both)]
        format: Format,
        /// Chart size (see `run --help`).
        #[arg(long, value_enum, default_value_t = Size::Doc)]
        size: Size,
    },
    /// Say what the data say and how solid each part is: the national series' years, gaps and
    /// sources; each plant's base-year output and capacity with how each was obtained; the
    /// residuals; and where the plant-by-plant split of SMMT's total comes from. Printed, and written to OUT/data/
    /// (data.md, data.csv, and the chart data.png and .svg).
    Data {
        /// Image format.
        #[arg(long, value_enum, default_value_t = Format::Both)]
        format: Format,
        /// Chart size (see `run --help`).
        #[arg(long, value_enum, default_value_t = Size::Doc)]
        size: Size,
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
    /// Check the data files and scenarios (all of them when none are named), reporting every
    /// problem (and every warning, which does not fail it).
    Validate {
        /// Scenario names; all scenarios when none are given.
        #[arg(value_name = "SCENARIO")]
        names: Vec<String>,
    },
}

/// `--set` changes, which make a run a variant, and the variant's name.
#[derive(Debug, Clone, Default, Args)]
pub struct Variants {
    /// Change one value, e.g. --set programmes.chery-halewood.peak=150000 (repeatable). The
    /// run is then a variant, written to OUT/SCENARIO+HASH/ (or OUT/NAME/ with --as), and its
    /// summary, charts and report say what was changed. With several scenarios a change
    /// applies to each, or with SCENARIO:KEY=VALUE (by name or position, from 1) to one.
    #[arg(long = "set", value_name = "[SCENARIO:]KEY=VALUE")]
    pub sets: Vec<String>,
    /// Name of the variant that --set makes (default SCENARIO+HASH of the changes); with
    /// several scenarios, say which: --as 2:NAME.
    #[arg(long = "as", value_name = "[SCENARIO:]NAME")]
    pub as_names: Vec<String>,
    /// Draw each plant's base-year output from its low-high range in the data, the national
    /// total held at SMMT's figure (the same as --set assumptions.data_uncertainty=true).
    #[arg(long)]
    pub data_uncertainty: bool,
}

/// How charts are written.
#[derive(Debug, Clone, Args)]
pub struct ChartOptions {
    /// Image format of the charts.
    #[arg(long, value_enum, default_value_t = Format::Both)]
    pub format: Format,
    /// Chart size: doc is laid out to be pasted at 16 cm (A4 text width), slide at a 16:9
    /// slide's full width, wide at 24 cm (landscape pages, the web).
    #[arg(long, value_enum, default_value_t = Size::Doc)]
    pub size: Size,
    /// First year of history on the path, fan and compare charts (default: the first year
    /// from which every year is sourced).
    #[arg(long, value_name = "YEAR")]
    pub from: Option<i32>,
    /// Write the tables only, no charts.
    #[arg(long)]
    pub no_charts: bool,
}

impl ChartOptions {
    /// How the charts are drawn.
    pub fn look(&self) -> Look {
        Look {
            format: self.format,
            size: self.size,
            from: self.from,
        }
    }
}

/// Monte Carlo draws.
#[derive(Debug, Clone, Default, Args)]
pub struct DrawOptions {
    /// Number of Monte Carlo draws (default 10,000 when the scenario has ranges or
    /// probabilities). Every figure is then the expected value, the mean of the draws;
    /// 0 turns them off and shows the modal case: every uncertain item happens, at its
    /// most likely value. At most 10,000,000: each million draws takes about 107 MB of
    /// memory and 2 seconds.
    #[arg(long, value_parser = draw_count)]
    pub draws: Option<usize>,
    /// Seed of the draws: the same seed gives the same outputs, byte for byte.
    #[arg(long)]
    pub seed: Option<u64>,
}

/// The most Monte Carlo draws a run takes: about 1.1 GB of memory and 20 seconds.
pub const MAX_DRAWS: usize = 10_000_000;

/// `--draws`: a whole number from 0 to [`MAX_DRAWS`], so a typo cannot ask for more memory
/// than the machine has (every draw keeps its yearly totals until the percentiles are taken).
fn draw_count(text: &str) -> Result<usize, String> {
    let too_many = || {
        format!(
            "at most {MAX_DRAWS} draws are allowed (each million takes about 107 MB of memory), not {text}"
        )
    };
    // A number too large for usize is still "too many", not "not a number".
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<usize>() {
            Ok(n) if n <= MAX_DRAWS => Ok(n),
            _ => Err(too_many()),
        };
    }
    Err(format!("`{text}` is not a whole number of draws"))
}

/// `seek --target` and `--max`: a finite number above 0, so the search has a real range.
fn positive_finite(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        Ok(v) => Err(format!("must be a finite number above 0, not {v}")),
        Err(_) => Err(format!("`{text}` is not a number")),
    }
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
