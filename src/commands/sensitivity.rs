//! `ukprod sensitivity`: each uncertain input alone at its low and high end, around the
//! scenario's headline figure (the expected value with draws, the modal case with `--draws 0`).

use super::project::*;
use crate::chart;
use crate::cli::{ChartOptions, Cli, DrawOptions};
use crate::engine;
use crate::export::{self, OutputFile};
use crate::output::{out, outln};
use crate::scenario::Library;
use crate::uncertainty;

pub(super) fn run(
    cli: &Cli,
    library: &Library,
    name: &str,
    year: Option<i32>,
    sets: &[String],
    charts: &ChartOptions,
    draws: &DrawOptions,
) -> anyhow::Result<()> {
    let names = [name.to_string()];
    let request = Request {
        names: &names,
        sets,
        as_names: &[],
        draws: Some(draws),
    };
    let (data, mut runs) = project_all(cli, library, &request)?;
    let run = runs
        .pop()
        .ok_or_else(|| anyhow::anyhow!("no scenario was resolved"))?;
    let year = pick_year(&run, year)?;
    if run.scenario.uncertain.is_empty() {
        anyhow::bail!(
            "scenario `{name}` has no ranges or probabilities to vary: write an input as {{ low, mode, high }} or give an item a probability"
        );
    }
    // The bars are on the basis of the figures the run shows: the mean of the same draws
    // (the projection is then the expected one), else the modal case.
    let basis = run.projection.basis;
    let swings = uncertainty::sensitivity(&run.inputs, &run.scenario.uncertain, year, basis);
    // The centre is the headline figure itself, the same number `run` prints for the year.
    let central = run
        .projection
        .year(year)
        .and_then(|n| n.total)
        .unwrap_or(f64::NAN);
    let target = engine::target_path(
        run.inputs.base_year,
        run.inputs.base_total,
        run.inputs.target,
        year,
    );
    let mut files = vec![OutputFile {
        name: "sensitivity.csv".into(),
        bytes: export::sensitivity_csv(&swings, basis)?,
    }];
    if !charts.no_charts {
        files.extend(chart::tornado_chart(
            &run.projection,
            &swings,
            &run.scenario.uncertain,
            year,
            central,
            target,
            charts.look(),
        )?);
    }
    // The command as typed reproduces these outputs (its --draws and --seed included); the
    // manifest also records the draws and seed used.
    manifest_of(cli, &data, &[&run]).attach_as("sensitivity.manifest.json", &mut files)?;
    let dir = cli.out.join(&run.projection.scenario);
    export::write_files(&dir, &files)?;
    out!(
        "{}",
        export::sensitivity_table(&swings, year, central, basis)
    )?;
    outln!("{}", written(&dir, &files))?;
    Ok(())
}
