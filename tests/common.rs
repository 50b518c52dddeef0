//! A test harness in the style of just's: a temporary project with the fixture data,
//! scenarios written inline, and the real binary run inside it.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// Fixture data: base year 2025, 500,000 cars + 50,000 CVs; plants alpha (car, 200,000 of
/// 300,000 capacity), beta (car, 100,000 of 100,000), gamma (CV, 40,000 of 60,000);
/// residuals: 200,000 cars and 10,000 CVs.
pub const FIXTURE_DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/data");

pub struct Project {
    pub dir: TempDir,
}

impl Project {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let project = Project { dir };
        fs::create_dir_all(project.path("data")).expect("data dir");
        fs::create_dir_all(project.path("scenarios")).expect("scenario dir");
        for file in ["history.csv", "plants.csv", "plant_output.csv"] {
            fs::copy(
                Path::new(FIXTURE_DATA).join(file),
                project.path("data").join(file),
            )
            .expect("copy fixture");
        }
        project
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Write `scenarios/NAME.toml`.
    pub fn scenario(self, name: &str, toml: &str) -> Self {
        fs::write(self.path(&format!("scenarios/{name}.toml")), toml).expect("write scenario");
        self
    }

    /// Replace a data file.
    pub fn data(self, file: &str, csv: &str) -> Self {
        fs::write(self.path(&format!("data/{file}")), csv).expect("write data");
        self
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("ukprod").expect("binary");
        cmd.current_dir(self.dir.path()).args(args);
        cmd
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Run successfully and return stdout.
    pub fn stdout(&self, args: &[&str]) -> String {
        let out = self
            .cmd(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).expect("stdout is UTF-8")
    }

    /// Run and return stderr, asserting exit code 1.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.cmd(args).assert().code(1).get_output().clone();
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.expect("csv record").iter().map(str::to_string).collect())
        .collect()
}

/// The row of a plants.csv or components.csv table for a year and plant (and component).
pub fn row<'a>(rows: &'a [Vec<String>], keys: &[&str]) -> &'a [String] {
    rows.iter()
        .find(|r| keys.iter().zip(r.iter()).all(|(k, v)| k == v))
        .unwrap_or_else(|| panic!("no row {keys:?}"))
}
