//! A run's folder holds exactly what that run wrote: what the previous run of the same
//! manifest wrote and this one does not is removed; files ukprod never wrote stay.

use crate::common::Project;

/// As in provenance.rs: one programme with a range, so runs draw.
const FLAT: &str = "description = \"flat\"\n[horizon]\nend_year = 2030\n[target]\nvolume = 800000\nyear = 2030\n[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = { low = 0, mode = 10000, high = 20000 }\n";

fn project() -> Project {
    Project::new().scenario("flat", FLAT)
}

/// The names in a folder, sorted.
fn names(p: &Project, rel: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(p.path(rel))
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    names.sort();
    names
}

const TABLES: [&str; 4] = [
    "national.csv",
    "plants.csv",
    "components.csv",
    "scenario.toml",
];

fn with(extra: &[&str]) -> Vec<String> {
    let all: Vec<&str> = TABLES
        .iter()
        .chain(extra.iter())
        .chain(std::iter::once(&"manifest.json"))
        .copied()
        .collect();
    sorted(&all)
}

#[test]
fn draws_off_removes_the_draws_files() {
    let p = project();
    p.cmd(&["run", "flat"]).assert().success();
    assert!(p.path("output/flat/fan.svg").exists());
    p.cmd(&["run", "flat", "--draws", "0"]).assert().success();
    assert_eq!(
        names(&p, "output/flat"),
        with(&[
            "path.png",
            "path.svg",
            "makers.png",
            "makers.svg",
            "bridge.png",
            "bridge.svg",
            "plants.png",
            "plants.svg",
        ])
    );
    // And they come back with the draws.
    p.cmd(&["run", "flat", "--no-charts"]).assert().success();
    assert_eq!(
        names(&p, "output/flat"),
        with(&["national_mc.csv", "target_probability.csv"])
    );
}

#[test]
fn png_after_both_removes_the_svgs_and_keeps_foreign_files() {
    let p = project();
    p.cmd(&["run", "flat", "--draws", "100"]).assert().success();
    // Files ukprod never wrote: a note, a folder, and a file named like an output.
    std::fs::write(p.path("output/flat/notes.txt"), "mine").expect("write");
    std::fs::create_dir(p.path("output/flat/drafts")).expect("mkdir");
    std::fs::write(p.path("output/flat/drafts/fan.svg"), "mine too").expect("write");
    std::fs::write(p.path("output/flat/tornado.svg"), "not from a run").expect("write");
    p.cmd(&["run", "flat", "--draws", "100", "--format", "png"])
        .assert()
        .success();
    assert_eq!(
        names(&p, "output/flat"),
        with(&[
            "path.png",
            "makers.png",
            "bridge.png",
            "plants.png",
            "fan.png",
            "national_mc.csv",
            "target_probability.csv",
            "notes.txt",
            "drafts",
            "tornado.svg",
        ])
    );
    assert_eq!(p.read("output/flat/notes.txt"), "mine");
    assert_eq!(p.read("output/flat/drafts/fan.svg"), "mine too");
    assert_eq!(p.read("output/flat/tornado.svg"), "not from a run");
}

#[test]
fn run_sensitivity_and_seek_each_clean_only_their_own() {
    let p = project();
    p.cmd(&["run", "flat", "--format", "svg"])
        .assert()
        .success();
    p.cmd(&["sensitivity", "flat", "--format", "svg"])
        .assert()
        .success();
    p.cmd(&[
        "seek",
        "flat",
        "--param",
        "programmes.x.peak",
        "--target",
        "560000",
    ])
    .assert()
    .success();
    let theirs = [
        "sensitivity.csv",
        "tornado.svg",
        "sensitivity.manifest.json",
        "seek.csv",
        "seek.json",
        "seek.manifest.json",
    ];
    // The run drops its charts and draws: sensitivity's and seek's files stay.
    p.cmd(&["run", "flat", "--draws", "0", "--no-charts"])
        .assert()
        .success();
    assert_eq!(names(&p, "output/flat"), with(&theirs));
    // Sensitivity drops its chart: the run's files and seek's stay.
    p.cmd(&["sensitivity", "flat", "--no-charts"])
        .assert()
        .success();
    assert_eq!(
        names(&p, "output/flat"),
        with(&[
            "sensitivity.csv",
            "sensitivity.manifest.json",
            "seek.csv",
            "seek.json",
            "seek.manifest.json",
        ])
    );
    let listed: serde_json::Value =
        serde_json::from_str(&p.read("output/flat/sensitivity.manifest.json")).expect("json");
    assert_eq!(listed["outputs"], serde_json::json!(["sensitivity.csv"]));
}

#[test]
fn a_report_folder_follows_the_same_rule() {
    let p = project();
    p.cmd(&["report", "flat", "--draws", "100"])
        .assert()
        .success();
    assert!(p.path("output/report-flat/flat-fan.png").exists());
    p.cmd(&["report", "flat", "--draws", "0"])
        .assert()
        .success();
    // No draws: no fan; the tornado needs no draws and stays.
    assert_eq!(
        names(&p, "output/report-flat"),
        sorted(&[
            "index.html",
            "report.md",
            "flat-path.png",
            "flat-makers.png",
            "flat-bridge.png",
            "flat-plants.png",
            "flat-tornado.png",
            "manifest.json",
        ])
    );
}

#[test]
fn a_manifest_naming_files_outside_its_folder_is_refused() {
    for bad in ["../victim.txt", "/tmp/victim.txt", "sub/victim.txt", "."] {
        let p = project();
        std::fs::write(p.path("victim.txt"), "keep me").expect("write");
        p.cmd(&["run", "flat", "--no-charts"]).assert().success();
        let path = p.path("output/flat/manifest.json");
        let mut m: serde_json::Value =
            serde_json::from_str(&p.read("output/flat/manifest.json")).expect("json");
        m["outputs"]
            .as_array_mut()
            .expect("outputs")
            .push(serde_json::json!(bad));
        let tampered = serde_json::to_string_pretty(&m).expect("json");
        std::fs::write(&path, &tampered).expect("write");
        let err = p.fails(&["run", "flat", "--no-charts", "--draws", "0"]);
        assert!(
            err.contains(&format!(
                "output/flat/manifest.json lists `{bad}` among its outputs, which is not a file name in output/flat"
            )),
            "{bad}: {err}"
        );
        // Nothing written, nothing removed.
        assert_eq!(p.read("victim.txt"), "keep me");
        assert_eq!(p.read("output/flat/manifest.json"), tampered);
        assert!(p.path("output/flat/national_mc.csv").exists(), "{bad}");
    }
}

#[test]
fn a_listed_file_that_is_not_there_is_not_reported_removed() {
    let p = project();
    p.cmd(&["run", "flat", "--no-charts"]).assert().success();
    // A folder is replaced whole (issue 10), so a stale file is never removed one by one: a
    // listed name that is not there (here longer than any file system allows) is no error.
    let long = format!("{}.csv", "x".repeat(300));
    let path = p.path("output/flat/manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&p.read("output/flat/manifest.json")).expect("json");
    m["outputs"]
        .as_array_mut()
        .expect("outputs")
        .push(serde_json::json!(long));
    std::fs::write(&path, serde_json::to_vec_pretty(&m).expect("json")).expect("write");
    let out = p.cmd(&["run", "flat", "--no-charts"]).assert().success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(!err.contains("removed"), "{err}");
}

#[test]
fn a_broken_old_manifest_removes_nothing() {
    let p = project();
    p.cmd(&["run", "flat", "--no-charts"]).assert().success();
    std::fs::write(p.path("output/flat/manifest.json"), "{ not json").expect("write");
    let out = p
        .cmd(&["run", "flat", "--no-charts", "--draws", "0"])
        .assert()
        .success()
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("output/flat/manifest.json is not a ukprod manifest"),
        "{err}"
    );
    // The draws' tables from the first run stay: nothing says they are stale.
    assert!(p.path("output/flat/national_mc.csv").exists());
    let m: serde_json::Value =
        serde_json::from_str(&p.read("output/flat/manifest.json")).expect("json");
    assert_eq!(m["outputs"].as_array().map(Vec::len), Some(4));
}
