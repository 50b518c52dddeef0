//! `ukprod compare`: scenarios side by side, a table on screen, a CSV and a chart.

use std::io::Write;

use super::project::*;
use crate::chart;
use crate::cli::{ChartOptions, Cli, DrawOptions};
use crate::engine::Projection;
use crate::export::{self, OutputFile};
use crate::scenario::Library;
use crate::uncertainty::{self, Uncertainty};

pub(super) fn run(
    cli: &Cli,
    library: &Library,
    names: &[String],
    sets: &[String],
    charts: &ChartOptions,
    draw_options: &DrawOptions,
) -> anyhow::Result<()> {
    let (data, runs) = project_all(cli, library, names, sets)?;
    let mut manifest = manifest_of(cli, &data, &runs.iter().collect::<Vec<_>>());
    if let Some(draws) = draw_options.draws.filter(|d| *d > 0) {
        manifest.draws = Some(draws);
        manifest.seed = Some(draw_options.seed.unwrap_or(uncertainty::DEFAULT_SEED));
    }
    // With draws, every scenario uses the same seed: shared inputs see the same numbers.
    let spreads: Option<Vec<Uncertainty>> = draw_options.draws.filter(|d| *d > 0).map(|_| {
        runs.iter()
            .map(|run| {
                let draws = draws_of(run, draw_options);
                draws.map_or_else(Uncertainty::none, |d| Uncertainty::new(&d, &run.inputs))
            })
            .collect()
    });
    let projections: Vec<Projection> = runs.into_iter().map(|r| r.projection).collect();
    let mut files = vec![OutputFile {
        name: "compare.csv".into(),
        bytes: export::compare_csv(&projections)?,
    }];
    if !charts.no_charts {
        files.extend(chart::compare_chart(
            &projections,
            spreads.as_deref(),
            charts.format,
        )?);
    }
    manifest.attach(&mut files)?;
    let dir = cli.out.join(format!("compare-{}", names.join("-")));
    export::write_files(&dir, &files)?;
    let mut stdout = std::io::stdout().lock();
    write!(stdout, "{}", export::compare_table(&projections))?;
    writeln!(stdout, "\n{}", written(&dir, &files))?;
    Ok(())
}
