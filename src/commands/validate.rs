//! `ukprod validate`: check the data and scenarios, reporting every problem.

use crate::cli::Cli;
use crate::data;
use crate::diagnostic::Diagnostics;
use crate::output::Out;
use crate::scenario::{self, Library};

pub(super) fn run(cli: &Cli, library: &Library, names: &[String]) -> anyhow::Result<()> {
    let mut problems = Diagnostics::default();
    let data = match data::load(&cli.data) {
        Ok(data) => {
            writeln!(
                Out,
                "data: ok ({} years of history to {}, {} plants)",
                data.history.len(),
                data.base_year(),
                data.plants.len()
            )?;
            Some(data)
        }
        Err(mut found) => {
            problems.0.append(&mut found.0);
            None
        }
    };
    let names = if names.is_empty() {
        library.names().map_err(Diagnostics::from)?
    } else {
        names.to_vec()
    };
    if let Some(data) = &data {
        for name in &names {
            match scenario::resolve(library, data, name, &[]) {
                Ok(scenario) => {
                    super::project::warn(&scenario);
                    match scenario.warnings.len() {
                        0 => writeln!(Out, "scenario {name}: ok")?,
                        1 => writeln!(Out, "scenario {name}: ok, with 1 warning")?,
                        n => writeln!(Out, "scenario {name}: ok, with {n} warnings")?,
                    }
                }
                Err(mut found) => problems.0.append(&mut found.0),
            }
        }
    }
    problems.into_result(())?;
    Ok(())
}
