//! `ukprod rerun`: run a manifest's command again and say what changed.

use std::path::{Path, PathBuf};

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::export;
use crate::manifest::{self, Manifest};
use crate::output::outln;

pub(super) fn run(path: &Path) -> anyhow::Result<()> {
    let before = Manifest::read(path)?;
    if let Some(bad) = before.outputs.iter().find(|o| !is_plain_name(o)) {
        anyhow::bail!(
            "{} lists `{bad}` among its outputs, which is not a file name: ukprod wrote no such manifest",
            path.display()
        );
    }
    let argv: Vec<String> = std::iter::once("ukprod".to_string())
        .chain(before.command.iter().cloned())
        .collect();
    let mut cli = Cli::try_parse_from(&argv)
        .map_err(|e| anyhow::anyhow!("the command in {} no longer parses: {e}", path.display()))?;
    cli.argv = before.command.clone();
    let recorded = before.command.join(" ");
    match &cli.command {
        Command::Rerun { .. } => {
            anyhow::bail!("{} records a rerun, not a run", path.display())
        }
        // Only manifests from before `watch` recorded the `run` and `report` it makes say
        // `watch`; rerunning one would watch for ever, so say what to run instead.
        Command::Watch {
            name,
            sets,
            charts,
            draws,
        } => {
            let [as_run, as_report] = super::watch::equivalents(&cli, name, sets, charts, draws);
            let once = if before.outputs.iter().any(|o| o == "index.html") {
                as_report
            } else {
                as_run
            };
            anyhow::bail!(
                "{} records `ukprod {recorded}`, which watches and writes no outputs of its own; to make this folder again, run: ukprod {}",
                path.display(),
                once.argv.join(" ")
            );
        }
        command => {
            if let Some(name) = super::writes_nothing(command) {
                anyhow::bail!(
                    "{} records `ukprod {recorded}`, and `{name}` writes no outputs, so there is nothing to rerun",
                    path.display()
                );
            }
        }
    }
    outln!("rerunning: ukprod {recorded}\n")?;
    // The run's own writes say where it wrote and what each folder held before: the manifest
    // given may be a copy kept anywhere, under any name.
    let (result, replaced) = export::recording(|| super::run(cli));
    result?;
    let replaced: Vec<_> = replaced
        .into_iter()
        .filter(|r| r.manifest.is_some())
        .collect();
    if replaced.is_empty() {
        anyhow::bail!("the rerun of {} wrote no manifest", path.display());
    }
    let given = std::fs::read(path).ok();
    for folder in &replaced {
        let name = folder.manifest.as_deref().unwrap_or(manifest::FILE);
        let written = folder.dir.join(name);
        let after = Manifest::read(&written)?;
        if replaced.len() > 1 {
            outln!("{}/:", folder.dir.display())?;
        }
        let held = folder.before.iter().find(|(n, _)| n == name);
        if held.is_none_or(|(_, bytes)| Some(bytes) != given.as_ref()) {
            outln!(
                "note: {} is not the manifest {} held before this rerun; its outputs are compared with what {}/ held",
                path.display(),
                written.display(),
                folder.dir.display()
            )?;
        }
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
        let old: Vec<(PathBuf, Option<Vec<u8>>)> = before
            .outputs
            .iter()
            .map(|o| {
                let bytes = folder.before.iter().find(|(n, _)| n == o);
                (folder.dir.join(o), bytes.map(|(_, b)| b.clone()))
            })
            .collect();
        outln!("{}", compare_outputs(&folder.dir, &old, &after))?;
    }
    Ok(())
}

/// Whether a manifest's output name is a plain file name (no folder, no `..`), so reading it
/// for the comparison cannot reach outside the run's folder.
fn is_plain_name(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!(
        (parts.next(), parts.next()),
        (Some(std::path::Component::Normal(_)), None)
    ) && !name.contains(['/', '\\'])
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
