//! `ukprod rerun`: run a manifest's command again and say what changed.

use std::path::Path;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::manifest::{self, Manifest};
use crate::output::outln;

pub(super) fn run(path: &Path) -> anyhow::Result<()> {
    let before = Manifest::read(path)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let old = manifest::snapshot(dir, &before);
    let argv: Vec<String> = std::iter::once("ukprod".to_string())
        .chain(before.command.iter().cloned())
        .collect();
    let mut cli = Cli::try_parse_from(&argv)
        .map_err(|e| anyhow::anyhow!("the command in {} no longer parses: {e}", path.display()))?;
    cli.argv = before.command.clone();
    let watched = match &cli.command {
        Command::Rerun { .. } => {
            anyhow::bail!("{} records a rerun, not a run", path.display())
        }
        // Manifests from before `watch` recorded the `run` and `report` it makes: one round
        // of the watch, the half that wrote this folder, never the watch itself.
        Command::Watch {
            name,
            sets,
            charts,
            draws,
        } => {
            let [as_run, as_report] = super::watch::equivalents(&cli, name, sets, charts, draws);
            let wrote_report = before.outputs.iter().any(|o| o == "index.html");
            Some(if wrote_report { as_report } else { as_run })
        }
        _ => None,
    };
    let cli = match watched {
        Some(once) => {
            outln!(
                "{} records `ukprod {}`; running it once, as: ukprod {}\n",
                path.display(),
                before.command.join(" "),
                once.argv.join(" ")
            )?;
            once
        }
        None => {
            outln!("rerunning: ukprod {}\n", before.command.join(" "))?;
            cli
        }
    };
    super::run(cli)?;
    let after = Manifest::read(path)?;
    let changes = manifest::changed_inputs(&before, &after);
    if changes.is_empty() {
        outln!(
            "nothing changed in the data or scenarios since {}",
            before.date
        )?;
    }
    for change in &changes {
        outln!("{change}")?;
    }
    outln!("{}", compare_outputs(dir, &old, &after))?;
    Ok(())
}

/// Whether the outputs are the same, byte for byte, as the ones listed before the rerun
/// (`old`, as they were on disk then), and if not, which differ, went or came.
fn compare_outputs(
    dir: &Path,
    old: &[(std::path::PathBuf, Option<Vec<u8>>)],
    after: &Manifest,
) -> String {
    let is_manifest = |p: &Path| p.to_string_lossy().ends_with("manifest.json");
    let old: Vec<_> = old.iter().filter(|(p, _)| !is_manifest(p)).collect();
    let now: Vec<std::path::PathBuf> = after
        .outputs
        .iter()
        .map(|name| dir.join(name))
        .filter(|p| !is_manifest(p))
        .collect();
    let show = |paths: Vec<&std::path::PathBuf>| -> String {
        paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let kept: Vec<_> = old.iter().filter(|(p, _)| now.contains(p)).collect();
    let differing: Vec<_> = kept
        .iter()
        .filter(|(p, bytes)| std::fs::read(p).ok() != *bytes)
        .map(|(p, _)| p)
        .collect();
    let gone: Vec<_> = old
        .iter()
        .filter(|(p, _)| !now.contains(p))
        .map(|(p, _)| p)
        .collect();
    let new: Vec<_> = now
        .iter()
        .filter(|p| !old.iter().any(|(q, _)| q == *p))
        .collect();
    if differing.is_empty() && gone.is_empty() && new.is_empty() {
        return format!(
            "all {} outputs are identical, byte for byte, to the previous run",
            old.len()
        );
    }
    let mut lines = Vec::new();
    if differing.is_empty() {
        lines.push(format!(
            "the {} outputs written both times are identical, byte for byte, to the previous run",
            kept.len()
        ));
    } else {
        lines.push(format!(
            "{} of {} outputs differ from the previous run: {}",
            differing.len(),
            kept.len(),
            show(differing)
        ));
    }
    if !gone.is_empty() {
        lines.push(format!("no longer written (removed): {}", show(gone)));
    }
    if !new.is_empty() {
        lines.push(format!("written this time only: {}", show(new)));
    }
    lines.join("\n")
}
