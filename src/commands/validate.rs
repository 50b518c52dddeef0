//! `ukprod validate`: check the data and scenarios, reporting every problem.

use std::io::Write;

use anyhow::Context;

use crate::cli::Cli;
use crate::data;
use crate::diagnostic::Diagnostics;
use crate::scenario::{self, Library};

pub(super) fn run(cli: &Cli, library: &Library, names: &[String]) -> anyhow::Result<()> {
    let mut problems = Diagnostics::default();
    let mut stdout = std::io::stdout().lock();
    let data = match data::load(&cli.data) {
        Ok(data) => {
            writeln!(
                stdout,
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
                    stdout.flush().context("cannot write to standard output")?;
                    super::project::warn(&scenario);
                    match scenario.warnings.len() {
                        0 => writeln!(stdout, "scenario {name}: ok")?,
                        1 => writeln!(stdout, "scenario {name}: ok, with 1 warning")?,
                        n => writeln!(stdout, "scenario {name}: ok, with {n} warnings")?,
                    }
                }
                Err(mut found) => problems.0.append(&mut found.0),
            }
        }
    }
    stdout.flush().context("cannot write to standard output")?;
    problems.into_result(())?;
    Ok(())
}
