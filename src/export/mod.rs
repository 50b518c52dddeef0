//! Renderers: turn a [`Projection`] into bytes, and write files atomically.
//!
//! Exporters are pure and never touch the file system; [`write_files`] is the one place
//! that writes, so a failed run never leaves a half-written file behind.

mod summary;
mod tables;
mod uncertainty;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::engine::Projection;
use crate::scenario::Scenario;
pub use summary::{
    basis_note, check_lines, compare_table, diff_text, format_count, format_signed, modified_note,
    on_path_sentence, summary,
};
pub use tables::{compare_csv, components_csv, national_csv, plants_csv};
pub use uncertainty::{
    draw_files, seek_csv, seek_json, seek_sentence, sensitivity_csv, sensitivity_table,
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
    Ok(vec![
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
    ])
}

/// Temporary files that become ordinary outputs: readable by everyone, as files made by
/// `File::create` are (the umask still applies), not private as temporary files default to.
fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".ukprod-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
}

/// Write files into `dir`, each through a temporary file renamed into place.
pub fn write_files(dir: &Path, files: &[OutputFile]) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the output folder {}", dir.display()))?;
    let mut written = Vec::new();
    for file in files {
        let path = dir.join(&file.name);
        let mut temp = temp_builder()
            .tempfile_in(dir)
            .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
        temp.write_all(&file.bytes)
            .and_then(|()| temp.flush())
            .with_context(|| format!("cannot write {}", path.display()))?;
        temp.persist(&path).with_context(|| {
            format!(
                "cannot move the finished file into place at {}",
                path.display()
            )
        })?;
        written.push(path);
    }
    Ok(written)
}
