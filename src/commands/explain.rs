//! `ukprod explain`: a field's resolved value and where it came from.

use super::project::*;
use crate::cli::Cli;
use crate::data;
use crate::diagnostic::Diagnostics;
use crate::output::outln;
use crate::scenario::{self, Library};

pub(super) fn run(
    cli: &Cli,
    library: &Library,
    name: &str,
    key: &str,
    sets: &[String],
) -> anyhow::Result<()> {
    let sets = sets_for(name, sets)?;
    let data = data::load(&cli.data)?;
    let resolved = scenario::resolve(library, &data, name, &sets)?;
    warn(&resolved);
    if key == "extends" {
        // Parents are merged into the resolved scenario, so `extends` is the chain itself.
        outln!(
            "extends: the chain is {}, merged in that order",
            resolved.sources.chain().join(" -> ")
        )?;
        return Ok(());
    }
    let found = match scenario::explain(&resolved, key) {
        Ok(found) => found,
        Err(problem) => {
            // Not set by any scenario file: it may be a plant's capacity from the data.
            if let Some((plant, field)) =
                key.strip_prefix("plants.").and_then(|k| k.split_once('.'))
                && field == "capacity"
                && let Some(p) = data.plant(plant)
            {
                outln!("{key} = {}", p.capacity)?;
                outln!(
                    "  from the data, {} (no scenario in the chain {} changes it); source: {}",
                    cli.data.join(crate::data::PLANTS_FILE).display(),
                    resolved.sources.chain().join(" -> "),
                    p.source
                )?;
                return Ok(());
            }
            // An optional field nobody sets: say what leaving it out means.
            if let Some(meaning) = scenario::unset_meaning(&resolved, &data, key) {
                outln!("{key} is not set: {meaning}")?;
                if scenario::NOT_INHERITED.contains(&key) {
                    // A parent may set it: the chain is not what decides.
                    outln!("  optional; only the scenario's own file or a --set gives it")?;
                } else {
                    outln!(
                        "  optional; no scenario in the chain {} sets it",
                        resolved.sources.chain().join(" -> ")
                    )?;
                }
                return Ok(());
            }
            return Err(Diagnostics::from(problem).into());
        }
    };
    outln!("{} = {}", found.key, found.value)?;
    let chain = resolved.sources.chain().join(" -> ");
    match found.origin {
        scenario::Origin::Set(raw) => outln!("  from the command line: --set {raw}")?,
        scenario::Origin::File {
            scenario,
            path,
            line,
            column,
        } => {
            let whose = if scenario == name {
                "its own file".to_string()
            } else {
                format!("parent `{scenario}`")
            };
            outln!(
                "  set in {}:{line}:{column} ({whose}; chain {chain})",
                path.display()
            )?;
        }
        scenario::Origin::Default => {
            outln!("  ukprod's default: no scenario in the chain {chain} sets it")?
        }
    }
    if scenario::NOT_INHERITED.contains(&found.key.as_str()) {
        outln!("  it describes this scenario only: scenarios extending it do not inherit it")?;
    }
    Ok(())
}
