//! Provenance: `manifest.json` beside every set of outputs, saying exactly what made them,
//! and `rerun`, which makes them again and says what changed.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::data::{Dataset, sha256_hex};
use crate::engine::Projection;
use crate::export::OutputFile;

/// The name of the manifest file in an output folder.
pub const FILE: &str = "manifest.json";

/// A data file and its hash at the time of the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileHash {
    /// Path as the run read it.
    pub path: String,
    /// SHA-256 of its contents.
    pub sha256: String,
}

/// A scenario as the run resolved it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioHash {
    /// Scenario name.
    pub name: String,
    /// SHA-256 of the resolved scenario (scenario.toml).
    pub sha256: String,
    /// The fingerprint on its charts: the first 8 hex digits of the hash of data and scenario.
    pub fingerprint: String,
}

/// What a run was made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// ukprod's version.
    pub ukprod_version: String,
    /// The command line, without the program name.
    pub command: Vec<String>,
    /// When the run happened (UTC).
    pub date: String,
    /// The day a report is dated (YYYY-MM-DD): the day its inputs were first reported, kept
    /// while the command and inputs stay the same, so a rerun is byte for byte the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dated: Option<String>,
    /// The data files read.
    pub data: Vec<FileHash>,
    /// The scenarios resolved.
    pub scenarios: Vec<ScenarioHash>,
    /// Monte Carlo draws, if any.
    pub draws: Option<usize>,
    /// Their seed, if any.
    pub seed: Option<u64>,
    /// The files written beside this manifest.
    pub outputs: Vec<String>,
}

impl Manifest {
    /// A manifest for outputs made from `data` and `projections` by `command`.
    pub fn new(
        command: &[String],
        data: &Dataset,
        projections: &[(&Projection, String)],
    ) -> Manifest {
        Manifest {
            ukprod_version: env!("CARGO_PKG_VERSION").to_string(),
            command: command.to_vec(),
            date: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
            dated: None,
            data: data
                .files
                .iter()
                .map(|f| FileHash {
                    path: f.path.display().to_string(),
                    sha256: f.sha256.clone(),
                })
                .collect(),
            scenarios: projections
                .iter()
                .map(|(p, resolved)| ScenarioHash {
                    name: p.scenario.clone(),
                    sha256: sha256_hex(resolved.as_bytes()),
                    fingerprint: p.fingerprint().to_string(),
                })
                .collect(),
            draws: None,
            seed: None,
            outputs: Vec::new(),
        }
    }

    /// Add the manifest to a folder's files as `manifest.json`, listing them.
    pub fn attach(self, files: &mut Vec<OutputFile>) -> anyhow::Result<()> {
        self.attach_as(FILE, files)
    }

    /// Add the manifest under another name, for a command that writes beside a run's outputs
    /// (`sensitivity.manifest.json`), so it does not replace the run's own manifest.
    pub fn attach_as(mut self, name: &str, files: &mut Vec<OutputFile>) -> anyhow::Result<()> {
        self.outputs = files.iter().map(|f| f.name.clone()).collect();
        let mut bytes = serde_json::to_vec_pretty(&self)?;
        bytes.push(b'\n');
        files.push(OutputFile {
            name: name.into(),
            bytes,
        });
        Ok(())
    }

    /// Read a manifest.
    pub fn read(path: &Path) -> anyhow::Result<Manifest> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        serde_json::from_str(&text)
            .with_context(|| format!("{} is not a ukprod manifest", path.display()))
    }
}

/// What changed in the inputs since a manifest was written, one sentence each.
pub fn changed_inputs(before: &Manifest, after: &Manifest) -> Vec<String> {
    let mut changes = Vec::new();
    for old in &before.data {
        match after.data.iter().find(|f| f.path == old.path) {
            Some(new) if new.sha256 != old.sha256 => {
                changes.push(format!("data file {} has changed", old.path))
            }
            Some(_) => {}
            None => changes.push(format!("data file {} was not read this time", old.path)),
        }
    }
    for old in &before.scenarios {
        match after.scenarios.iter().find(|s| s.name == old.name) {
            Some(new) if new.sha256 != old.sha256 => changes.push(format!(
                "scenario `{}` resolves differently (a scenario file it reads has changed)",
                old.name
            )),
            Some(_) => {}
            None => changes.push(format!("scenario `{}` was not run this time", old.name)),
        }
    }
    if before.ukprod_version != after.ukprod_version {
        changes.push(format!(
            "ukprod was {} and is now {}",
            before.ukprod_version, after.ukprod_version
        ));
    }
    changes
}

/// The outputs listed in a manifest, as they are now on disk.
pub fn snapshot(dir: &Path, manifest: &Manifest) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    manifest
        .outputs
        .iter()
        .map(|name| {
            let path = dir.join(name);
            let bytes = std::fs::read(&path).ok();
            (path, bytes)
        })
        .collect()
}
