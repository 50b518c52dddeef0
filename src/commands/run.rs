//! `ukprod run`: project scenarios and write their tables and charts.

use crate::output::Out;

use super::project::*;
use crate::chart;
use crate::cli::{ChartOptions, Cli};
use crate::engine::{Basis, Projection};
use crate::export::{self, OutputFile};
use crate::scenario::{self, Library};
use crate::uncertainty::evaluate_checks;

/// `run NAME` with the changes, name and options that made `run`'s outputs.
fn alone(cli: &Cli, run: &ScenarioRun, request: &Request, charts: &ChartOptions) -> Vec<String> {
    let s = &run.scenario;
    let sets: Vec<String> = s.sources.sets.iter().map(|x| x.change.clone()).collect();
    let named = s.run_name != scenario::variant_name(&s.name, &s.sources.sets);
    let draws = request.draws.cloned().unwrap_or_default();
    command_line(
        cli,
        "run",
        &s.name,
        &sets,
        named.then_some(s.run_name.as_str()),
        Some(charts),
        &draws,
    )
}

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
        // One scenario's folder records the command that reproduces it alone, so that a
        // rerun of that folder compares everything the rerun changes.
        let manifest = if request.names.len() == 1 {
            manifest_of(cli, &data, &[&run])
        } else {
            manifest_for(&alone(cli, &run, request, charts), &data, &[&run])
        };
        let mut files = export::run_files(&run.projection, &run.scenario)?;
        if !charts.no_charts {
            files.extend(chart::scenario_charts_with(
                &run.projection,
                run.uncertainty.as_ref(),
                charts.look(),
            )?);
        }
        let mut note = export::summary(&run.projection, run.uncertainty.as_ref());
        if let Some(uncertainty) = &run.uncertainty {
            files.extend(export::draw_files(uncertainty)?);
            if !charts.no_charts {
                files.extend(chart::fan_chart(
                    &run.projection,
                    uncertainty,
                    charts.look(),
                )?);
            }
        }
        // A scenario's checks are claims about it as written, with its expected values: a
        // what-if or the modal case is not bound by them.
        let skip = if !run.scenario.checks.is_empty() && !run.projection.modified.is_empty() {
            Some("a --set variant is not bound by its scenario's [[checks]]")
        } else if !run.scenario.checks.is_empty() && run.projection.basis == Basis::Modal {
            Some("they are about the expected values, and --draws 0 shows the modal case")
        } else {
            None
        };
        match skip {
            Some(why) => note.push_str(&format!("  checks not tested: {why}\n")),
            None => note.push_str(&export::check_lines(&evaluate_checks(
                &run.projection,
                run.uncertainty.as_ref(),
                &run.scenario.checks,
            ))),
        }
        manifest.attach(&mut files)?;
        runs.push((run.projection, files, note));
    }
    for (projection, files, note) in &runs {
        let dir = cli.out.join(&projection.scenario);
        export::write_files(&dir, files)?;
        write!(Out, "{note}")?;
        writeln!(Out, "  {}\n", written(&dir, files))?;
    }
    Ok(())
}
