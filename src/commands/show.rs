//! `ukprod show`: a scenario as resolved.

use super::project::*;
use crate::cli::Cli;
use crate::data;
use crate::output::out;
use crate::scenario::{self, Library};

pub(super) fn run(cli: &Cli, library: &Library, name: &str, sets: &[String]) -> anyhow::Result<()> {
    let sets = sets_for(name, sets)?;
    let data = data::load(&cli.data)?;
    let scenario = scenario::resolve(library, &data, name, &sets)?;
    warn(&scenario);
    out!("{}", scenario.to_toml())?;
    Ok(())
}
