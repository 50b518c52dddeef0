//! `ukprod run`: project scenarios and write their tables and charts.

use std::io::Write;

use super::project::*;
use crate::chart;
use crate::cli::{ChartOptions, Cli};
use crate::engine::Projection;
use crate::export::{self, OutputFile};
use crate::scenario::Library;
use crate::uncertainty::evaluate_checks;

pub(super) fn run(
    cli: &Cli,
    library: &Library,
    request: &Request,
    charts: &ChartOptions,
) -> anyhow::Result<()> {
    // Render everything before writing anything, so one failure leaves no partial run.
    let mut runs: Vec<(Projection, Vec<OutputFile>, String)> = Vec::new();
    let (data, all) = project_all(cli, library, request)?;
    for run in all {
        let manifest = manifest_of(cli, &data, &[&run]);
        let mut files = export::run_files(&run.projection, &run.scenario)?;
        if !charts.no_charts {
            files.extend(chart::scenario_charts(&run.projection, charts.format)?);
        }
        let mut note = export::summary(&run.projection, run.uncertainty.as_ref());
        if let Some(uncertainty) = &run.uncertainty {
            files.extend(export::draw_files(uncertainty)?);
            if !charts.no_charts {
                files.extend(chart::fan_chart(
                    &run.projection,
                    uncertainty,
                    charts.format,
                )?);
            }
        }
        note.push_str(&export::check_lines(&evaluate_checks(
            &run.projection,
            run.uncertainty.as_ref(),
            &run.scenario.checks,
        )));
        manifest.attach(&mut files)?;
        runs.push((run.projection, files, note));
    }
    let mut stdout = std::io::stdout().lock();
    for (projection, files, note) in &runs {
        let dir = cli.out.join(&projection.scenario);
        export::write_files(&dir, files)?;
        write!(stdout, "{note}")?;
        writeln!(stdout, "  {}\n", written(&dir, files))?;
    }
    Ok(())
}
