//! The steps every command shares: parse `--set`, load the data, resolve and project the
//! scenarios, draw their uncertain inputs, and say what was written.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget};

use crate::cli::{Cli, DrawOptions};
use crate::data::{self, Dataset};
use crate::diagnostic::Diagnostics;
use crate::engine::{self, Inputs, Projection};
use crate::export::OutputFile;
use crate::manifest::Manifest;
use crate::scenario::{self, Library, Scenario, SetArg};
use crate::uncertainty::{self, Draws};

pub(super) fn parse_sets(sets: &[String]) -> Result<Vec<SetArg>, Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut parsed = Vec::new();
    for raw in sets {
        match scenario::parse_set(raw) {
            Ok(set) => parsed.push(set),
            Err(problem) => problems.push(problem),
        }
    }
    problems.into_result(parsed)
}

/// Print a resolved scenario's warnings to stderr, each once per command (`watch` forgets them
/// before each run, so a save that keeps a warning shows it again).
pub(super) fn warn(scenario: &Scenario) {
    let mut shown = SHOWN_WARNINGS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for warning in &scenario.warnings {
        let text = format!("{warning}");
        if shown.insert(text.clone()) {
            eprintln!("{text}");
        }
    }
}

/// Show every warning again, as at the start of a command.
pub(super) fn forget_warnings() {
    SHOWN_WARNINGS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clear();
}

static SHOWN_WARNINGS: std::sync::Mutex<std::collections::BTreeSet<String>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

/// Resolve several scenarios, reporting the problems of all of them together.
pub(super) fn resolve_all(
    data: &Dataset,
    library: &Library,
    names: &[String],
    sets: &[SetArg],
) -> Result<Vec<Scenario>, Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut scenarios = Vec::new();
    for name in names {
        match scenario::resolve(library, data, name, sets) {
            Ok(s) => scenarios.push(s),
            Err(mut found) => problems.0.append(&mut found.0),
        }
    }
    if problems.is_empty() {
        scenarios.iter().for_each(warn);
    }
    problems.into_result(scenarios)
}

/// One scenario, resolved and projected.
pub(super) struct ScenarioRun {
    pub(super) scenario: Scenario,
    pub(super) inputs: Inputs,
    pub(super) projection: Projection,
}

/// Load the data and resolve and project the named scenarios.
pub(super) fn project_all(
    cli: &Cli,
    library: &Library,
    names: &[String],
    sets: &[String],
) -> anyhow::Result<(Dataset, Vec<ScenarioRun>)> {
    let sets = parse_sets(sets)?;
    let data = data::load(&cli.data)?;
    let scenarios = resolve_all(&data, library, names, &sets)?;
    let runs = scenarios
        .into_iter()
        .map(|scenario| {
            let inputs = Inputs::new(&data, &scenario);
            let projection = engine::project_inputs(&data, &scenario, &inputs);
            ScenarioRun {
                scenario,
                inputs,
                projection,
            }
        })
        .collect();
    Ok((data, runs))
}

/// The manifest of outputs made from `runs`.
pub(super) fn manifest_of(cli: &Cli, data: &Dataset, runs: &[&ScenarioRun]) -> Manifest {
    let made: Vec<(&Projection, String)> = runs
        .iter()
        .map(|r| (&r.projection, r.scenario.to_toml()))
        .collect();
    Manifest::new(&cli.argv, data, &made)
}

/// Monte Carlo draws of a run with uncertain inputs: 10,000 unless `--draws` says otherwise.
/// A scenario without ranges or probabilities has nothing to draw, whatever `--draws` says.
pub(super) fn draws_of(run: &ScenarioRun, options: &DrawOptions) -> Option<Draws> {
    if run.scenario.uncertain.is_empty() {
        return None;
    }
    let count = options.draws.unwrap_or(uncertainty::DEFAULT_DRAWS);
    if count == 0 {
        return None;
    }
    let seed = options.seed.unwrap_or(uncertainty::DEFAULT_SEED);
    // Only long runs get a bar; indicatif hides it when stderr is not a terminal.
    let bar = if count >= 200_000 {
        ProgressBar::with_draw_target(Some(count as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    let draws = uncertainty::run(&run.inputs, &run.scenario.uncertain, count, seed, &|n| {
        bar.inc(n)
    });
    bar.finish_and_clear();
    Some(draws)
}

/// The year a command looks at: the one asked for, else the target year (or the end year if
/// sooner); it must be a projected year.
pub(super) fn pick_year(run: &ScenarioRun, year: Option<i32>) -> anyhow::Result<i32> {
    let inputs = &run.inputs;
    let year = year.unwrap_or(inputs.target.year.min(inputs.end_year));
    if !inputs.years().contains(&year) {
        anyhow::bail!(
            "--year {year} is outside the projection of `{}`, which runs from {} to {}",
            run.scenario.name,
            inputs.base_year + 1,
            inputs.end_year
        );
    }
    Ok(year)
}

pub(super) fn one_run(
    cli: &Cli,
    library: &Library,
    name: &str,
    sets: &[String],
) -> anyhow::Result<(Dataset, ScenarioRun)> {
    let (data, mut runs) =
        project_all(cli, library, std::slice::from_ref(&name.to_string()), sets)?;
    let run = runs.pop().context("no scenario was resolved")?;
    Ok((data, run))
}

/// "wrote DIR/ (a.csv, b.png)": what a command left behind.
pub(super) fn written(dir: &std::path::Path, files: &[OutputFile]) -> String {
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    format!("wrote {}/ ({})", dir.display(), names.join(", "))
}
