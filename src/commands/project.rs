//! The steps every command shares: parse `--set`, load the data, resolve and project the
//! scenarios, draw their uncertain inputs, and say what was written.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget};

use crate::cli::{ChartOptions, Cli, DrawOptions, Variants};
use crate::data::{self, Dataset};
use crate::diagnostic::{Diagnostic, Diagnostics, Location, did_you_mean};
use crate::engine::{self, Inputs, Projection};
use crate::export::OutputFile;
use crate::manifest::Manifest;
use crate::output::errln;
use crate::scenario::{self, Library, Scenario, SetArg};
use crate::uncertainty::{self, Draws, Uncertainty};

fn parse_sets(sets: &[String]) -> Result<Vec<SetArg>, Diagnostics> {
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

/// The `--set`s of a command about one scenario: a scope, if given, must name it (or be 1).
pub(super) fn sets_for(name: &str, sets: &[String]) -> Result<Vec<SetArg>, Diagnostics> {
    let sets = parse_sets(sets)?;
    let names = [name.to_string()];
    let mut problems = Diagnostics::default();
    for set in &sets {
        if let Some(problem) = scope_problem(set, &names) {
            problems.push(problem);
        }
    }
    problems.into_result(sets)
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
            errln!("{text}");
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

/// Resolve several scenarios, reporting the problems of all of them together. Each scenario
/// gets the unscoped `--set`s and those scoped to its name or its position (from 1).
pub(super) fn resolve_all(
    data: &Dataset,
    library: &Library,
    names: &[String],
    sets: &[SetArg],
) -> Result<Vec<Scenario>, Diagnostics> {
    let mut problems = Diagnostics::default();
    for set in sets {
        if let Some(problem) = scope_problem(set, names) {
            problems.push(problem);
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut scenarios = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let position = (i + 1).to_string();
        let own: Vec<SetArg> = sets
            .iter()
            .filter(|s| s.scope.as_ref().is_none_or(|x| *x == position || x == name))
            .cloned()
            .collect();
        match scenario::resolve(library, data, name, &own) {
            Ok(s) => scenarios.push(s),
            Err(mut found) => problems.0.append(&mut found.0),
        }
    }
    if problems.is_empty() {
        scenarios.iter().for_each(warn);
    }
    problems.into_result(scenarios)
}

/// A scoped `--set` must name exactly one scenario of the command.
fn scope_problem(set: &SetArg, names: &[String]) -> Option<Diagnostic> {
    let scope = set.scope.as_ref()?;
    let at = || Location::Set(set.raw.clone());
    if let Ok(position) = scope.parse::<usize>() {
        if position == 0 || position > names.len() {
            return Some(
                Diagnostic::new(format!(
                    "this command has {} scenario(s), so there is no scenario {position}",
                    names.len()
                ))
                .at(at()),
            );
        }
        return None;
    }
    match names.iter().filter(|n| *n == scope).count() {
        1 => None,
        0 => Some(
            Diagnostic::new(format!("`{scope}` is not one of this command's scenarios"))
                .at(at())
                .with_help(did_you_mean(scope, names.iter().map(String::as_str))),
        ),
        _ => Some(
            Diagnostic::new(format!(
                "`{scope}` appears more than once in this command: scope the change by position, e.g. 2:{}",
                set.change
            ))
            .at(at()),
        ),
    }
}

/// One scenario, resolved and projected, with its draws when it has uncertain inputs.
pub(super) struct ScenarioRun {
    pub(super) scenario: Scenario,
    pub(super) inputs: Inputs,
    /// The figures every output shows: the expected values when draws ran, else the one
    /// projection (or, for an uncertain scenario with draws off, its modal case).
    pub(super) projection: Projection,
    /// What the draws say, when they ran.
    pub(super) uncertainty: Option<Uncertainty>,
}

/// What a command asks of the scenarios it runs.
pub(super) struct Request<'a> {
    /// Scenario names, as given.
    pub(super) names: &'a [String],
    /// `--set` arguments, as given.
    pub(super) sets: &'a [String],
    /// `--as` names for variants, as given (`NAME` or `SCOPE:NAME`).
    pub(super) as_names: &'a [String],

    /// Monte Carlo draws: `None` for the modal case only (sensitivity, seek).
    pub(super) draws: Option<&'a DrawOptions>,
}

impl<'a> Request<'a> {
    /// Scenarios with their `--set` changes and `--as` names, and draws as asked.
    pub(super) fn new(names: &'a [String], variants: &'a Variants, draws: &'a DrawOptions) -> Self {
        Request {
            names,
            sets: &variants.sets,
            as_names: &variants.as_names,
            draws: Some(draws),
        }
    }
}

/// Load the data, resolve and project the requested scenarios, and run their draws.
pub(super) fn project_all(
    cli: &Cli,
    library: &Library,
    request: &Request,
) -> anyhow::Result<(Dataset, Vec<ScenarioRun>)> {
    let sets = parse_sets(request.sets)?;
    let data = data::load(&cli.data)?;
    let mut scenarios = resolve_all(&data, library, request.names, &sets)?;
    name_variants(library, request.names, request.as_names, &mut scenarios)?;
    let mut runs = Vec::new();
    for scenario in scenarios {
        let inputs = Inputs::new(&data, &scenario);
        let modal = engine::project_inputs(&data, &scenario, &inputs);
        engine::ensure_finite(&modal, "the projection")?;
        let mut run = ScenarioRun {
            scenario,
            inputs,
            projection: modal,
            uncertainty: None,
        };
        if let Some(options) = request.draws
            && let Some(draws) = draws_of(&run, options)
        {
            // The mean of every number is not finite if any draw's is: one check for all.
            let what = format!("the mean of {} draws", draws.count);
            engine::ensure_finite(&draws.expected, &what)?;
            let mut summary = Uncertainty::new(&draws, &run.inputs);
            summary.data_only = data_only_bands(&run, draws.count, draws.seed);
            run.uncertainty = Some(summary);
            run.projection = draws.expected;
        }
        runs.push(run);
    }
    Ok((data, runs))
}

/// Give `--as` names to the scenarios they scope (by name or position, or the only scenario),
/// refusing names that are not valid or that would write into another scenario's folder.
fn name_variants(
    library: &Library,
    names: &[String],
    as_names: &[String],
    scenarios: &mut [Scenario],
) -> Result<(), Diagnostics> {
    let mut problems = Diagnostics::default();
    for raw in as_names {
        let problem = |message: String| Diagnostic::new(format!("in `--as {raw}`: {message}"));
        let (scope, name) = match raw.split_once(':') {
            Some((scope, name)) => (Some(scope), name),
            None => (None, raw.as_str()),
        };
        let index = match scope {
            None if scenarios.len() == 1 => Some(0),
            None => {
                problems.push(problem(
                    "this command runs several scenarios: say which one, e.g. --as 2:NAME".into(),
                ));
                continue;
            }
            Some(scope) => match scope.parse::<usize>() {
                Ok(n) if (1..=names.len()).contains(&n) => Some(n - 1),
                _ => {
                    let found: Vec<usize> =
                        (0..names.len()).filter(|&i| names[i] == scope).collect();
                    (found.len() == 1).then(|| found[0])
                }
            },
        };
        let Some(index) = index else {
            problems.push(problem(format!(
                "`{}` is not one scenario of this command (by name or position)",
                scope.unwrap_or("")
            )));
            continue;
        };
        if !data::is_valid_id(name) {
            problems.push(problem(format!(
                "`{name}` must be lowercase letters, digits and hyphens"
            )));
        } else if library.path(name).exists() {
            problems.push(problem(format!(
                "`{name}` is a scenario: a variant named so would write into its folder"
            )));
        } else if let Some(scenario) = scenarios.get_mut(index) {
            scenario.run_name = name.to_string();
        }
    }
    problems.into_result(())
}

/// The manifest of outputs made from `runs`.
pub(super) fn manifest_of(cli: &Cli, data: &Dataset, runs: &[&ScenarioRun]) -> Manifest {
    manifest_for(&cli.argv, data, runs)
}

/// The manifest of outputs made from `runs` by the command line `argv`.
pub(super) fn manifest_for(argv: &[String], data: &Dataset, runs: &[&ScenarioRun]) -> Manifest {
    let made: Vec<(&Projection, String)> = runs
        .iter()
        .map(|r| (&r.projection, r.scenario.to_toml()))
        .collect();
    let mut manifest = Manifest::new(argv, data, &made);
    if let Some(u) = runs.iter().find_map(|r| r.uncertainty.as_ref()) {
        manifest.draws = Some(u.draws);
        manifest.seed = Some(u.seed);
    }
    manifest
}

/// `--flag VALUE`, or `--flag=VALUE` when the value starts with `-` and would read as a flag.
fn push_option(argv: &mut Vec<String>, flag: &str, value: &str) {
    if value.starts_with('-') {
        argv.push(format!("{flag}={value}"));
    } else {
        argv.push(flag.to_string());
        argv.push(value.to_string());
    }
}

/// The command line that reproduces one scenario's outputs: `COMMAND NAME`, its `--set`
/// changes (unscoped) and `--as` name, the draw and chart options, and the global folders
/// where they are not the defaults. Manifests record it where the command as typed would
/// reproduce more (`watch`, or a `run` of several scenarios), so that `rerun` of one folder
/// reruns and compares exactly that folder.
pub(super) fn command_line(
    cli: &Cli,
    command: &str,
    name: &str,
    sets: &[String],
    as_name: Option<&str>,
    charts: Option<&ChartOptions>,
    draws: &DrawOptions,
) -> Vec<String> {
    let mut argv = vec![command.to_string(), name.to_string()];
    for set in sets {
        push_option(&mut argv, "--set", set);
    }
    if let Some(as_name) = as_name {
        push_option(&mut argv, "--as", as_name);
    }
    if let Some(count) = draws.draws {
        push_option(&mut argv, "--draws", &count.to_string());
    }
    if let Some(seed) = draws.seed {
        push_option(&mut argv, "--seed", &seed.to_string());
    }
    if let Some(charts) = charts {
        if charts.format != crate::chart::Format::Both {
            let format = clap::ValueEnum::to_possible_value(&charts.format)
                .map(|v| v.get_name().to_string())
                .unwrap_or_default();
            push_option(&mut argv, "--format", &format);
        }
        if charts.size != crate::chart::Size::Doc {
            let size = clap::ValueEnum::to_possible_value(&charts.size)
                .map(|v| v.get_name().to_string())
                .unwrap_or_default();
            push_option(&mut argv, "--size", &size);
        }
        if let Some(year) = charts.from {
            push_option(&mut argv, "--from", &year.to_string());
        }
        if charts.no_charts {
            argv.push("--no-charts".into());
        }
    }
    for (flag, value, default) in [
        ("--data", &cli.data, "data"),
        ("--scenarios", &cli.scenarios, "scenarios"),
        ("--out", &cli.out, "output"),
    ] {
        if value.as_path() != std::path::Path::new(default) {
            push_option(&mut argv, flag, &value.to_string_lossy());
        }
    }
    argv
}

/// Monte Carlo draws of a run with uncertain inputs: 10,000 unless `--draws` says otherwise.
/// A scenario without ranges or probabilities has nothing to draw, whatever `--draws` says.
/// The bands of the same draws of the data's ranges alone (every other input at its most
/// likely value), when the scenario draws them: empty otherwise.
fn data_only_bands(run: &ScenarioRun, count: usize, seed: u64) -> Vec<uncertainty::Bands> {
    let data = uncertainty::data_inputs(&run.scenario.uncertain);
    if data.is_empty() {
        return Vec::new();
    }
    uncertainty::run(&run.projection, &run.inputs, &data, count, seed, &|_| {}).bands()
}

fn draws_of(run: &ScenarioRun, options: &DrawOptions) -> Option<Draws> {
    if run.scenario.uncertain.is_empty() {
        if options.draws.is_some_and(|d| d > 0) {
            errln!(
                "note: scenario `{}` has no ranges or probabilities, so --draws has nothing to draw",
                run.scenario.name
            );
        }
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
    let draws = uncertainty::run(
        &run.projection,
        &run.inputs,
        &run.scenario.uncertain,
        count,
        seed,
        &|n| bar.inc(n),
    );
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
    let names = [name.to_string()];
    let request = Request {
        names: &names,
        sets,
        as_names: &[],
        draws: None,
    };
    let (data, mut runs) = project_all(cli, library, &request)?;
    let run = runs.pop().context("no scenario was resolved")?;
    Ok((data, run))
}

/// "wrote DIR/ (a.csv, b.png)": what a command left behind.
pub(super) fn written(dir: &std::path::Path, files: &[OutputFile]) -> String {
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    format!("wrote {}/ ({})", dir.display(), names.join(", "))
}
