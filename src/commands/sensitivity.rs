//! `ukprod sensitivity`: each uncertain input alone at its low and high end.

use super::project::*;
use crate::chart;
use crate::cli::{ChartOptions, Cli};
use crate::engine;
use crate::export::{self, OutputFile};
use crate::scenario::Library;
use crate::uncertainty;

pub(super) fn run(
    cli: &Cli,
    library: &Library,
    name: &str,
    year: Option<i32>,
    sets: &[String],
    charts: &ChartOptions,
) -> anyhow::Result<()> {
    let (data, run) = one_run(cli, library, name, sets)?;
    let year = pick_year(&run, year)?;
    if run.scenario.uncertain.is_empty() {
        anyhow::bail!(
            "scenario `{name}` has no ranges or probabilities to vary: write an input as {{ low, mode, high }} or give an item a probability"
        );
    }
    let swings = uncertainty::sensitivity(&run.inputs, &run.scenario.uncertain, year);
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
        bytes: export::sensitivity_csv(&swings)?,
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
    manifest_of(cli, &data, &[&run]).attach_as("sensitivity.manifest.json", &mut files)?;
    let dir = cli.out.join(&run.projection.scenario);
    export::write_files(&dir, &files)?;
    print!("{}", export::sensitivity_table(&swings, year, central));
    println!("{}", written(&dir, &files));
    Ok(())
}
