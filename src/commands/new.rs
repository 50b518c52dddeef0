//! `ukprod new`: start a scenario file from a commented template.

use std::io::Write;

use anyhow::Context;

use crate::cli::Cli;
use crate::data;
use crate::output::outln;
use crate::scenario::{self, Library};

pub(super) fn run(
    cli: &Cli,
    library: &Library,
    name: &str,
    from: Option<&str>,
) -> anyhow::Result<()> {
    if !crate::data::is_valid_id(name) {
        anyhow::bail!("scenario name `{name}` must be lowercase letters, digits and hyphens");
    }
    let path = library.path(name);
    if path.exists() {
        anyhow::bail!(
            "{} already exists: ukprod new never overwrites a scenario",
            path.display()
        );
    }
    if let Some(parent) = from {
        // The parent must resolve, so the new scenario runs as soon as it is written.
        let data = data::load(&cli.data)?;
        scenario::resolve(library, &data, parent, &[])?;
    }
    let text = scenario::template(name, from);
    std::fs::create_dir_all(&cli.scenarios).with_context(|| {
        format!(
            "cannot create the scenario folder {}",
            cli.scenarios.display()
        )
    })?;
    // create_new: never replace a file that appeared since the check above.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    outln!(
        "wrote {}: edit it, then `ukprod run {name}`",
        path.display()
    )?;
    Ok(())
}
