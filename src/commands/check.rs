//! `ukprod check`: every scenario's `[[checks]]`, failing if any fails.

use super::project::*;
use crate::cli::{Cli, DrawOptions, Variants};
use crate::diagnostic::Diagnostics;
use crate::export;
use crate::output::{out, outln};
use crate::scenario::Library;
use crate::uncertainty::evaluate_checks;

pub(super) fn run(cli: &Cli, library: &Library, names: &[String]) -> anyhow::Result<()> {
    let names = if names.is_empty() {
        library.names().map_err(Diagnostics::from)?
    } else {
        names.to_vec()
    };
    // Checks test the figures `run` shows: expected values for uncertain scenarios, so the
    // draws run with their defaults.
    let (draws, variants) = (DrawOptions::default(), Variants::default());
    let (_, runs) = project_all(cli, library, &Request::new(&names, &variants, &draws))?;
    let (mut failed, mut total) = (0, 0);
    for run in &runs {
        let results = evaluate_checks(
            &run.projection,
            run.uncertainty.as_ref(),
            &run.scenario.checks,
        );
        if results.is_empty() {
            if runs.len() > 1 {
                outln!("{}: no checks", run.scenario.name)?;
            }
            continue;
        }
        outln!("{}:", run.scenario.name)?;
        out!("{}", export::check_lines(&results))?;
        total += results.len();
        failed += results.iter().filter(|r| !r.passed).count();
    }
    match (failed, total) {
        (0, 0) => match runs.as_slice() {
            [only] => outln!("{} has no checks", only.scenario.name)?,
            _ => outln!("no scenario has [[checks]]")?,
        },
        (0, 1) => outln!("the 1 check passed")?,
        (0, _) => outln!("all {total} checks passed")?,
        (_, 1) => anyhow::bail!("the 1 check failed"),
        _ => anyhow::bail!("{failed} of {total} checks failed"),
    }
    Ok(())
}
