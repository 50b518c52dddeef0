//! `ukprod seek`: the value of one input at which the total reaches the target.

use anyhow::Context;

use super::project::*;
use crate::cli::Cli;
use crate::engine;
use crate::export::{self, OutputFile};
use crate::output::outln;
use crate::scenario::{self, Library};
use crate::uncertainty;

#[allow(clippy::too_many_arguments)]
pub(super) fn run(
    cli: &Cli,
    library: &Library,
    name: &str,
    param: &str,
    year: Option<i32>,
    target: Option<f64>,
    max: Option<f64>,
    sets: &[String],
) -> anyhow::Result<()> {
    let (data, run) = one_run(cli, library, name, sets)?;
    let year = pick_year(&run, year)?;
    let target = target.unwrap_or(run.inputs.target.volume);
    let inputs = &run.inputs;
    let options = uncertainty::seekable(&run.scenario, inputs);
    let Some(found) = options.iter().find(|s| s.path == param) else {
        let help = crate::diagnostic::did_you_mean(param, options.iter().map(|s| s.path.as_str()));
        let mut message = format!("`{param}` is not a numeric input of scenario `{name}`");
        if let Some(help) = help {
            message.push_str(&format!("; {help}"));
        }
        anyhow::bail!(message);
    };
    // A switched-off programme adds nothing whatever its inputs: say so rather than search.
    if let Some(id) = param
        .strip_prefix("programmes.")
        .and_then(|rest| rest.split_once('.'))
        .map(|(id, _)| id)
        && run
            .scenario
            .programmes
            .iter()
            .any(|p| p.id == id && !p.enabled)
    {
        let path = scenario::key_steps(&format!("programmes.{id}.enabled"));
        let at = match run.scenario.sources.origin(&path) {
            scenario::Origin::File {
                path, line, column, ..
            } => format!(" at {}:{line}:{column}", path.display()),
            scenario::Origin::Set(raw) => format!(" by --set {raw}"),
            scenario::Origin::Default => String::new(),
        };
        anyhow::bail!(
            "programme `{id}` is switched off in scenario `{name}` (`enabled = false`{at}), so no value of {param} changes the total; to seek it with the programme on, add --set programmes.{id}.enabled=true"
        );
    }
    let slot = inputs
        .locate(&found.slot)
        .context("the input has no place in the engine")?;
    if let Some(max) = max {
        check_max(param, found.kind, inputs, max)?;
    }
    let range = uncertainty::SeekRange::for_kind(found.kind, inputs, max);
    let outcome = uncertainty::seek(inputs, slot, range, year, target);
    // Which plants run out of capacity at the best value tried.
    let mut best = inputs.clone();
    best.set(slot, outcome.best_value);
    let at_capacity: Vec<String> = (0..best.plants.len())
        .filter(|&i| engine::plant_values(&best, i, year).constrained > 0.5)
        .map(|i| best.plant_names[i].id.clone())
        .collect();
    let mut files = vec![
        OutputFile {
            name: "seek.csv".into(),
            bytes: export::seek_csv(&outcome)?,
        },
        OutputFile {
            name: "seek.json".into(),
            bytes: export::seek_json(param, year, target, run.projection.basis, &outcome)?,
        },
    ];
    manifest_of(cli, &data, &[&run]).attach_as("seek.manifest.json", &mut files)?;
    let dir = cli.out.join(&run.projection.scenario);
    export::write_files(&dir, &files)?;
    outln!(
        "{}",
        export::seek_sentence(
            param,
            year,
            target,
            found.kind,
            range,
            &outcome,
            &at_capacity
        )
    )?;
    if !run.scenario.uncertain.is_empty() {
        outln!(
            "(seek moves the modal case: every other uncertain input at its most likely value and every item happening; no draws)"
        )?;
    }
    outln!("{}", written(&dir, &files))?;
    Ok(())
}

/// `--max` must lie above the search's low end and within what the input may be in a
/// scenario, so the search stays finite and every value it tries is one validation accepts.
fn check_max(
    param: &str,
    kind: uncertainty::Kind,
    inputs: &engine::Inputs,
    max: f64,
) -> anyhow::Result<()> {
    use uncertainty::Kind;
    let low = uncertainty::SeekRange::for_kind(kind, inputs, None).low;
    let most = match kind {
        Kind::Volume => scenario::MAX_VOLUME,
        Kind::Year => f64::from(scenario::LAST_YEAR + 1),
        Kind::Years => 50.0,
        Kind::Rate => scenario::MAX_GROWTH,
        Kind::Share => 1.0,
        Kind::Weeks => 52.0,
        Kind::Multiple => scenario::MAX_MULTIPLE,
    };
    if max <= low || max > most {
        anyhow::bail!(
            "--max {max} is outside what {param} can be: it must be above {low} and at most {most}"
        );
    }
    Ok(())
}
