//! `ukprod compare`: scenarios side by side, a table on screen, a CSV and a chart.

use crate::output::Out;

use super::project::*;
use crate::chart;
use crate::cli::{ChartOptions, Cli};
use crate::engine::Projection;
use crate::export::{self, OutputFile};
use crate::scenario::Library;
use crate::uncertainty::Uncertainty;

pub(super) fn run(
    cli: &Cli,
    library: &Library,
    request: &Request,
    charts: &ChartOptions,
) -> anyhow::Result<()> {
    // Draws run by default for scenarios with ranges, as in `run`; with one seed for all,
    // shared inputs see the same numbers (common random numbers).
    let (data, runs) = project_all(cli, library, request)?;
    let manifest = manifest_of(cli, &data, &runs.iter().collect::<Vec<_>>());
    let uncertainties: Vec<Option<Uncertainty>> =
        runs.iter().map(|r| r.uncertainty.clone()).collect();
    let spreads: Option<Vec<Uncertainty>> = uncertainties.iter().any(Option::is_some).then(|| {
        uncertainties
            .iter()
            .map(|u| u.clone().unwrap_or_else(Uncertainty::none))
            .collect()
    });
    let projections: Vec<Projection> = runs.into_iter().map(|r| r.projection).collect();
    let mut files = vec![OutputFile {
        name: "compare.csv".into(),
        bytes: export::compare_csv(&projections, &uncertainties)?,
    }];
    if projections.iter().all(|p| !p.powertrain.is_empty()) {
        files.push(OutputFile {
            name: "compare_industry.csv".into(),
            bytes: export::compare_industry_csv(&projections)?,
        });
    }
    if !charts.no_charts {
        files.extend(chart::compare_chart(
            &projections,
            spreads.as_deref(),
            charts.look(),
        )?);
    }
    manifest.attach(&mut files)?;
    let run_names: Vec<&str> = projections.iter().map(|p| p.scenario.as_str()).collect();
    let dir = cli.out.join(format!("compare-{}", run_names.join("-")));
    export::write_files(&dir, &files)?;
    write!(
        Out,
        "{}",
        export::compare_table(&projections, &uncertainties)
    )?;
    writeln!(Out, "\n{}", written(&dir, &files))?;
    Ok(())
}
