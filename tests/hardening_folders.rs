//! Issue 10, point 4 (review S1, S2, S3, S9): an output folder is replaced whole or not at
//! all, leftovers of an interrupted run are cleaned by the next one, two runs into one folder
//! never mix, and `rerun` of a copied manifest tells the truth.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::common::Project;

/// One programme whose peak the tests vary with --set, so two runs differ in every table.
const FLAT: &str = "description = \"flat\"\n[horizon]\nend_year = 2030\n[target]\nvolume = 800000\nyear = 2030\n[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = 10000\n";

fn project() -> Project {
    Project::new().scenario("flat", FLAT)
}

/// Every file in a folder (recursively, folders as empty entries), by relative name.
fn folder(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("folder") {
            let path = entry.expect("entry").path();
            let rel = path
                .strip_prefix(root)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(root, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The names in `output/` other than the run folders and their lock files: leftovers.
fn leftovers(p: &Project) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(p.path("output")).expect("output") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.contains(".staging-") || name.contains(".old-") {
            found.push(name);
        }
    }
    for (name, _) in folder(&p.path("output")) {
        if name.contains(".ukprod-") {
            found.push(name);
        }
    }
    found
}

fn sha(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// The run's folder agrees with its manifest: it lists exactly the folder's files, and the
/// resolved scenario beside it is the one it hashed. Returns the `--set` it records, if any.
fn consistent(dir: &Path) -> String {
    let files = folder(dir);
    let m: serde_json::Value =
        serde_json::from_slice(&files["manifest.json"]).expect("manifest is whole JSON");
    let mut listed: Vec<String> = m["outputs"]
        .as_array()
        .expect("outputs")
        .iter()
        .map(|o| o.as_str().expect("name").to_string())
        .collect();
    listed.push("manifest.json".into());
    listed.sort();
    assert_eq!(files.keys().cloned().collect::<Vec<_>>(), listed);
    assert_eq!(
        m["scenarios"][0]["sha256"].as_str(),
        Some(sha(&files["scenario.toml"]).as_str()),
        "scenario.toml is not the one the manifest describes"
    );
    let command: Vec<&str> = m["command"]
        .as_array()
        .expect("command")
        .iter()
        .map(|a| a.as_str().expect("arg"))
        .collect();
    command
        .iter()
        .find(|a| a.starts_with("programmes.x.peak="))
        .map(|a| a.to_string())
        .unwrap_or_default()
}

fn spawn(p: &Project, args: &[&str]) -> Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("ukprod"))
        .current_dir(p.dir.path())
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn")
}

#[test]
fn a_folder_in_the_way_is_one_error_and_the_old_folder_stays_whole() {
    let p = project();
    p.cmd(&["run", "flat", "--no-charts"]).assert().success();
    std::fs::create_dir(p.path("output/flat/path.png")).expect("mkdir");
    let old = folder(&p.path("output/flat"));
    let err = p.fails(&["run", "flat"]);
    assert_eq!(
        err,
        "error: cannot write output/flat/path.png: a folder of that name is in the way; move or remove it and run again (nothing was written)\n"
    );
    assert_eq!(folder(&p.path("output/flat")), old);
    assert_eq!(leftovers(&p), Vec::<String>::new());
}

#[test]
fn leftovers_of_an_interrupted_run_are_cleaned_by_the_next() {
    let p = project();
    p.cmd(&["run", "flat", "--no-charts"]).assert().success();
    // A staging folder and an old-version temporary file, as a kill leaves them, and a
    // staging folder of another scenario's folder.
    for dir in ["output/.flat.staging-4242-0", "output/.other.staging-7-3"] {
        std::fs::create_dir(p.path(dir)).expect("mkdir");
        std::fs::write(p.path(&format!("{dir}/national.csv")), "half").expect("write");
    }
    std::fs::write(p.path("output/flat/.ukprod-Ab12Cd"), "half").expect("write");
    p.cmd(&["run", "flat", "--no-charts"]).assert().success();
    assert_eq!(leftovers(&p), Vec::<String>::new());
    consistent(&p.path("output/flat"));
    assert!(!p.path("output/.flat.staging-4242-0").exists());
    assert!(!p.path("output/.other.staging-7-3").exists());
}

#[test]
fn a_crash_between_the_two_renames_is_repaired_by_the_next_run() {
    let p = project();
    p.cmd(&["run", "flat", "--no-charts"]).assert().success();
    std::fs::write(p.path("output/flat/notes.txt"), "mine").expect("write");
    // Where the two-rename swap stops if killed between its renames: no folder, the old one
    // beside it, a complete new one staged.
    std::fs::rename(p.path("output/flat"), p.path("output/.flat.old-99-0")).expect("rename");
    std::fs::create_dir(p.path("output/.flat.staging-99-1")).expect("mkdir");
    let out = p.cmd(&["run", "flat", "--no-charts"]).assert().success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert_eq!(
        err,
        "restored output/flat/ from the copy an interrupted run left beside it\n"
    );
    assert_eq!(p.read("output/flat/notes.txt"), "mine");
    assert_eq!(leftovers(&p), Vec::<String>::new());
}

#[test]
fn two_runs_into_one_folder_never_mix() {
    let p = project();
    for round in 0..20 {
        let a = spawn(
            &p,
            &[
                "run",
                "flat",
                "--no-charts",
                "--set",
                "programmes.x.peak=20000",
                "--as",
                "v",
            ],
        );
        let b = spawn(
            &p,
            &[
                "run",
                "flat",
                "--no-charts",
                "--set",
                "programmes.x.peak=30000",
                "--as",
                "v",
            ],
        );
        for child in [a, b] {
            let out = child.wait_with_output().expect("wait");
            assert!(out.status.success(), "round {round}: {out:?}");
        }
        let set = consistent(&p.path("output/v"));
        let national = p.read("output/v/national.csv");
        // Each --set gives its own national table: the folder's is the manifest's run's.
        let expected = if set.ends_with("20000") {
            "2030,projected,520000,50000,570000,"
        } else {
            "2030,projected,530000,50000,580000,"
        };
        assert!(
            national.contains(expected),
            "round {round}: {set}\n{national}"
        );
        assert_eq!(leftovers(&p), Vec::<String>::new());
    }
}

#[test]
fn a_second_run_waits_for_the_lock_and_says_so() {
    let p = project();
    std::fs::create_dir(p.path("output")).expect("mkdir");
    let lock = std::fs::File::create(p.path("output/.flat.lock")).expect("lock file");
    lock.lock().expect("lock");
    let mut child = spawn(&p, &["run", "flat", "--no-charts"]);
    std::thread::sleep(Duration::from_millis(400));
    assert!(child.try_wait().expect("poll").is_none(), "did not wait");
    assert!(!p.path("output/flat").exists());
    drop(lock);
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "waiting: another ukprod is writing output/flat/ (lock output/.flat.lock)\n"
    );
    consistent(&p.path("output/flat"));
}

#[test]
fn kill_9_leaves_the_old_or_the_new_folder_whole() {
    let p = project();
    p.cmd(&[
        "run",
        "flat",
        "--set",
        "programmes.x.peak=20000",
        "--as",
        "v",
    ])
    .assert()
    .success();
    let started = Instant::now();
    p.cmd(&[
        "run",
        "flat",
        "--set",
        "programmes.x.peak=30000",
        "--as",
        "v",
    ])
    .assert()
    .success();
    let took = started.elapsed().as_millis() as u64;
    for i in 0..8u64 {
        let set = if i % 2 == 0 {
            "programmes.x.peak=20000"
        } else {
            "programmes.x.peak=30000"
        };
        let mut child = spawn(&p, &["run", "flat", "--set", set, "--as", "v"]);
        // Spread over the whole run, the write at its end included.
        std::thread::sleep(Duration::from_millis(took * i / 6));
        let _ = child.kill();
        let _ = child.wait();
        consistent(&p.path("output/v"));
    }
    p.cmd(&[
        "run",
        "flat",
        "--set",
        "programmes.x.peak=20000",
        "--as",
        "v",
    ])
    .assert()
    .success();
    consistent(&p.path("output/v"));
    assert_eq!(leftovers(&p), Vec::<String>::new());
}

#[test]
fn rerun_of_a_copied_manifest_reports_truthfully() {
    let p = project();
    p.cmd(&["run", "flat", "--no-charts", "--draws", "0"])
        .assert()
        .success();
    std::fs::copy(p.path("output/flat/manifest.json"), p.path("saved.json")).expect("copy");
    let edited = p
        .read("data/plant_output.csv")
        .replace("alpha,2025,200000", "alpha,2025,190000");
    std::fs::write(p.path("data/plant_output.csv"), edited).expect("write");
    let out = p.stdout(&["rerun", "saved.json"]);
    assert!(
        out.contains("data file data/plant_output.csv has changed\n"),
        "{out}"
    );
    assert!(
        out.contains("2 of 4 outputs differ from the previous run: output/flat/plants.csv, output/flat/components.csv\n"),
        "{out}"
    );
    assert!(!out.contains("nothing changed"), "{out}");
    // Again: the folder now holds the rerun's outputs, which the copy does not describe.
    let out = p.stdout(&["rerun", "saved.json"]);
    assert!(
        out.contains("note: saved.json is not the manifest output/flat/manifest.json held before this rerun; its outputs are compared with what output/flat/ held\n"),
        "{out}"
    );
    assert!(
        out.contains("data file data/plant_output.csv has changed\n"),
        "{out}"
    );
    assert!(
        out.contains("all 4 outputs are identical, byte for byte, to the previous run"),
        "{out}"
    );
}

#[test]
fn rerun_refuses_a_command_that_writes_no_outputs() {
    let p = project();
    p.cmd(&["run", "flat", "--no-charts"]).assert().success();
    let mut m: serde_json::Value =
        serde_json::from_str(&p.read("output/flat/manifest.json")).expect("json");
    m["command"] = serde_json::json!(["new", "fresh"]);
    std::fs::write(p.path("saved.json"), serde_json::to_vec(&m).expect("json")).expect("write");
    let err = p.fails(&["rerun", "saved.json"]);
    assert_eq!(
        err,
        "error: saved.json records `ukprod new fresh`, and `new` writes no outputs, so there is nothing to rerun\n"
    );
    assert!(!p.path("scenarios/fresh.toml").exists());
}
