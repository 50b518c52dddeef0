//! `ukprod rerun`: run a manifest's command again and say what changed.

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::manifest::{self, Manifest};

pub(super) fn run(path: &std::path::Path) -> anyhow::Result<()> {
    let before = Manifest::read(path)?;
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    let old = manifest::snapshot(dir, &before);
    let argv: Vec<String> = std::iter::once("ukprod".to_string())
        .chain(before.command.iter().cloned())
        .collect();
    let mut cli = Cli::try_parse_from(&argv)
        .map_err(|e| anyhow::anyhow!("the command in {} no longer parses: {e}", path.display()))?;
    if matches!(cli.command, Command::Rerun { .. }) {
        anyhow::bail!("{} records a rerun, not a run", path.display());
    }
    cli.argv = before.command.clone();
    println!("rerunning: ukprod {}\n", before.command.join(" "));
    super::run(cli)?;
    let after = Manifest::read(path)?;
    let changes = manifest::changed_inputs(&before, &after);
    if changes.is_empty() {
        println!(
            "nothing changed in the data or scenarios since {}",
            before.date
        );
    }
    for change in &changes {
        println!("{change}");
    }
    let differing: Vec<String> = old
        .iter()
        .filter(|(p, _)| !p.to_string_lossy().ends_with("manifest.json"))
        .filter(|(p, bytes)| std::fs::read(p).ok() != *bytes)
        .map(|(p, _)| p.display().to_string())
        .collect();
    let compared = old.len();
    if differing.is_empty() {
        println!("all {compared} outputs are byte for byte the same as before");
    } else {
        println!(
            "{} of {compared} outputs differ from before: {}",
            differing.len(),
            differing.join(", ")
        );
    }
    Ok(())
}
