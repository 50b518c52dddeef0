//! Renderers: turn a [`Projection`] into bytes, and write files atomically.
//!
//! Exporters are pure and never touch the file system; [`write_files`] is the one place
//! that writes, and it replaces a folder whole or not at all, so a failed or interrupted
//! run never leaves a half-written or mixed folder behind.

mod folder;
mod summary;
mod tables;
mod uncertainty;

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::engine::Projection;
use crate::output::errln;
use crate::scenario::Scenario;
pub use folder::{Replaced, recording};
pub use summary::{
    basis_note, check_lines, compare_table, description_of, diff_text, format_count, format_signed,
    modified_note, on_path_sentence, summary,
};
pub use tables::{
    batteries_csv, compare_csv, compare_industry_csv, components_csv, data_csv, jobs_csv,
    national_csv, plants_csv, powertrain_csv,
};
pub use uncertainty::{
    InputLabel, draw_files, input_label, seek_csv, seek_json, seek_sentence, sensitivity_basis,
    sensitivity_csv, sensitivity_method, sensitivity_table,
};

/// One output file: its name inside the scenario's folder and its contents.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputFile {
    /// File name, e.g. `national.csv`.
    pub name: String,
    /// The bytes to write.
    pub bytes: Vec<u8>,
}

/// Every table of one run, rendered in memory.
pub fn run_files(projection: &Projection, scenario: &Scenario) -> anyhow::Result<Vec<OutputFile>> {
    let mut files = vec![
        OutputFile {
            name: "national.csv".into(),
            bytes: national_csv(projection)?,
        },
        OutputFile {
            name: "plants.csv".into(),
            bytes: plants_csv(projection)?,
        },
        OutputFile {
            name: "components.csv".into(),
            bytes: components_csv(projection)?,
        },
        OutputFile {
            name: "scenario.toml".into(),
            bytes: scenario.to_toml().into_bytes(),
        },
    ];
    // The data may have no powertrain split or headcounts (an older data folder): then there
    // is nothing to tabulate, and the summary says so.
    if !projection.powertrain.is_empty() {
        files.push(OutputFile {
            name: "powertrain.csv".into(),
            bytes: powertrain_csv(projection)?,
        });
        files.push(OutputFile {
            name: "batteries.csv".into(),
            bytes: batteries_csv(projection)?,
        });
    }
    if !projection.jobs.is_empty() {
        files.push(OutputFile {
            name: "jobs.csv".into(),
            bytes: jobs_csv(projection)?,
        });
    }
    Ok(files)
}

/// Whether a file is a manifest: `manifest.json`, or `NAME.manifest.json` for a command
/// that writes beside a run's outputs.
fn is_manifest(name: &str) -> bool {
    name == "manifest.json" || name.ends_with(".manifest.json")
}

/// Whether a name in a manifest is a plain file name in its folder: not absolute, no `..`,
/// no subfolder (ukprod writes none), so removing it can never reach outside the folder.
fn is_plain_name(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!(
        (parts.next(), parts.next()),
        (Some(std::path::Component::Normal(_)), None)
    ) && !name.contains(['/', '\\'])
}

/// The files a manifest in a folder lists (only that field is read). `None` when there is no
/// such manifest, or it is not one ukprod wrote (then a warning says its files are kept).
fn listed_outputs(path: &Path, warn: bool) -> anyhow::Result<Option<Vec<String>>> {
    #[derive(serde::Deserialize)]
    struct Listed {
        outputs: Vec<String>,
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    match serde_json::from_slice::<Listed>(&bytes) {
        Ok(listed) => Ok(Some(listed.outputs)),
        Err(_) => {
            if warn {
                errln!(
                    "warning: {} is not a ukprod manifest; the files of the previous run, if any, are left in place",
                    path.display()
                );
            }
            Ok(None)
        }
    }
}

/// The files the previous run of the same manifest wrote into `dir` that this run does not
/// write (`names`) and no other manifest in the folder lists (a run must not remove
/// `sensitivity` or `seek` outputs, nor they a run's).
fn stale_files(
    real: &Path,
    dir: &Path,
    manifest: &str,
    names: &[&str],
) -> anyhow::Result<Vec<String>> {
    let path = dir.join(manifest);
    let Some(previous) = listed_outputs(&path, true)? else {
        return Ok(Vec::new());
    };
    if let Some(bad) = previous.iter().find(|name| !is_plain_name(name)) {
        anyhow::bail!(
            "{} lists `{bad}` among its outputs, which is not a file name in {}: ukprod will not remove it, nor write over this folder; remove that manifest and run again",
            path.display(),
            dir.display()
        );
    }
    let mut others = Vec::new();
    let entries = std::fs::read_dir(real)
        .with_context(|| format!("cannot list the output folder {}", dir.display()))?;
    for entry in entries {
        let entry =
            entry.with_context(|| format!("cannot list the output folder {}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_manifest(&name)
            && name != manifest
            && let Some(listed) = listed_outputs(&entry.path(), false)?
        {
            others.extend(listed);
        }
    }
    Ok(previous
        .into_iter()
        .filter(|name| {
            !is_manifest(name) && !names.contains(&name.as_str()) && !others.contains(name)
        })
        .collect())
}

/// Write files as folder `dir`, replacing it whole or not at all (see [`folder`]): the new
/// folder holds these files, the manifest among them, plus what the old one held that this
/// write neither replaces nor finds stale. Stale files are those the previous write of the
/// same manifest listed and this one does not write (and no other manifest in the folder
/// lists); files ukprod never wrote are kept.
pub fn write_files(dir: &Path, files: &[OutputFile]) -> anyhow::Result<Vec<PathBuf>> {
    if let Some(bad) = files.iter().find(|f| !is_plain_name(&f.name)) {
        anyhow::bail!("`{}` is not a file name ukprod can write", bad.name);
    }
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    let mut ordered: Vec<&OutputFile> = files.iter().filter(|f| !is_manifest(&f.name)).collect();
    ordered.extend(files.iter().filter(|f| is_manifest(&f.name)));
    let removed = folder::replace(dir, &ordered, |real| {
        match names.iter().find(|n| is_manifest(n)) {
            Some(manifest) => stale_files(real, dir, manifest, &names),
            None => Ok(Vec::new()),
        }
    })?;
    if !removed.is_empty() {
        errln!(
            "removed from {}/ what the previous run wrote and this one does not: {}",
            dir.display(),
            removed.join(", ")
        );
    }
    Ok(files.iter().map(|f| dir.join(&f.name)).collect())
}
