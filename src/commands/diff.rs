//! `ukprod diff`: the inputs and end-year outputs that differ between two scenarios.

use super::project::*;
use crate::cli::{Cli, DrawOptions, Variants};
use crate::export;
use crate::output::out;
use crate::scenario::Library;

pub(super) fn run(cli: &Cli, library: &Library, a: &str, b: &str) -> anyhow::Result<()> {
    // Uncertain scenarios are compared on their expected values, as every output shows them.
    let names = [a.to_string(), b.to_string()];
    let (draws, variants) = (DrawOptions::default(), Variants::default());
    let (_, runs) = project_all(cli, library, &Request::new(&names, &variants, &draws))?;
    let [left, right] = runs.as_slice() else {
        anyhow::bail!("both scenarios must resolve");
    };
    out!(
        "{}",
        export::diff_text(
            &left.scenario,
            &right.scenario,
            &left.projection,
            &right.projection
        )
    )?;
    Ok(())
}
