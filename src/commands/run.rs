//! `ukprod run`: project scenarios and write their tables and charts.

use std::io::Write;

use super::project::*;
use crate::chart;
use crate::cli::{ChartOptions, Cli, DrawOptions};
use crate::engine::{self, Projection};
use crate::export::{self, OutputFile};
use crate::scenario::Library;
use crate::uncertainty::Uncertainty;

pub(super) fn run(
    cli: &Cli,
    library: &Library,
    names: &[String],
    sets: &[String],
    charts: &ChartOptions,
    draw_options: &DrawOptions,
) -> anyhow::Result<()> {
    // Render everything before writing anything, so one failure leaves no partial run.
    let mut runs: Vec<(Projection, Vec<OutputFile>, String)> = Vec::new();
    let (data, all) = project_all(cli, library, names, sets)?;
    for run in all {
        let mut manifest = manifest_of(cli, &data, &[&run]);
        let mut files = export::run_files(&run.projection, &run.scenario)?;
        if !charts.no_charts {
            files.extend(chart::scenario_charts(&run.projection, charts.format)?);
        }
        let mut note = String::new();
        if let Some(draws) = draws_of(&run, draw_options) {
            manifest.draws = Some(draws.count);
            manifest.seed = Some(draws.seed);
            let uncertainty = Uncertainty::new(&draws, &run.inputs);
            files.extend(export::draw_files(&uncertainty)?);
            if !charts.no_charts {
                files.extend(chart::fan_chart(
                    &run.projection,
                    &uncertainty,
                    charts.format,
                )?);
            }
            note = export::probability_line(&run.projection, &uncertainty);
        }
        note.push_str(&export::check_lines(&engine::evaluate_checks(
            &run.projection,
            &run.scenario.checks,
        )));
        manifest.attach(&mut files)?;
        runs.push((run.projection, files, note));
    }
    let mut stdout = std::io::stdout().lock();
    for (projection, files, note) in &runs {
        let dir = cli.out.join(&projection.scenario);
        export::write_files(&dir, files)?;
        write!(stdout, "{}{note}", export::summary(projection))?;
        writeln!(stdout, "  {}\n", written(&dir, files))?;
    }
    Ok(())
}
