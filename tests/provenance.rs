//! Provenance: manifest.json beside every output, the fingerprint on every chart, and rerun.

use crate::common::Project;
use ukprod::data::sha256_hex;

const FLAT: &str = "description = \"flat\"\n[horizon]\nend_year = 2030\n[target]\nvolume = 800000\nyear = 2030\n[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = { low = 0, mode = 10000, high = 20000 }\n";

fn project() -> Project {
    Project::new().scenario("flat", FLAT)
}

fn json(p: &Project, rel: &str) -> serde_json::Value {
    serde_json::from_str(&p.read(rel)).expect("manifest is JSON")
}

#[test]
fn run_writes_a_manifest_naming_every_input() {
    let p = project();
    p.cmd(&["run", "flat", "--draws", "100", "--seed", "3"])
        .assert()
        .success();
    let m = json(&p, "output/flat/manifest.json");
    assert_eq!(
        m["command"],
        serde_json::json!(["run", "flat", "--draws", "100", "--seed", "3"])
    );
    assert_eq!(m["ukprod_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["draws"], 100);
    assert_eq!(m["seed"], 3);
    assert!(m["date"].as_str().unwrap().starts_with("20"));
    let history = std::fs::read(p.path("data/history.csv")).unwrap();
    assert_eq!(m["data"][0]["path"], "data/history.csv");
    assert_eq!(m["data"][0]["sha256"], sha256_hex(&history));
    let resolved = std::fs::read(p.path("output/flat/scenario.toml")).unwrap();
    assert_eq!(m["scenarios"][0]["sha256"], sha256_hex(&resolved));
    let outputs: Vec<&str> = m["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        outputs.contains(&"national.csv") && outputs.contains(&"fan.png"),
        "{outputs:?}"
    );
    // The same fingerprint is on every chart.
    let fingerprint = m["scenarios"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(fingerprint.len(), 8);
    for chart in ["path", "makers", "bridge", "plants", "fan"] {
        let svg = p.read(&format!("output/flat/{chart}.svg"));
        assert!(
            svg.contains(&format!("(inputs {fingerprint})")),
            "{chart} lacks the fingerprint"
        );
    }
}

#[test]
fn every_command_that_writes_leaves_a_manifest() {
    let p = project().scenario("other", "extends = \"flat\"\n");
    p.cmd(&["compare", "flat", "other"]).assert().success();
    assert_eq!(
        json(&p, "output/compare-flat-other/manifest.json")["scenarios"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    p.cmd(&["sensitivity", "flat"]).assert().success();
    assert_eq!(
        json(&p, "output/flat/sensitivity.manifest.json")["command"][0],
        "sensitivity"
    );
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
    assert_eq!(
        json(&p, "output/flat/seek.manifest.json")["command"][0],
        "seek"
    );
    p.cmd(&["history"]).assert().success();
    assert_eq!(
        json(&p, "output/history/manifest.json")["data"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn rerun_reproduces_a_run_and_says_what_changed() {
    let p = project();
    p.cmd(&["run", "flat"]).assert().success();
    let before = p.read("output/flat/plants.csv");
    let out = p.stdout(&["rerun", "output/flat/manifest.json"]);
    assert!(
        out.contains("nothing changed in the data or scenarios"),
        "{out}"
    );
    assert!(
        out.contains("all 16 outputs are identical, byte for byte, to the previous run"),
        "{out}"
    );
    assert_eq!(p.read("output/flat/plants.csv"), before);

    std::fs::write(
        p.path("scenarios/flat.toml"),
        FLAT.replace("mode = 10000", "mode = 15000"),
    )
    .unwrap();
    let history = p
        .read("data/history.csv")
        .replace("2024,600000", "2024,600001")
        .replace("2024,600001,50000,650000", "2024,600001,50000,650001");
    std::fs::write(p.path("data/history.csv"), history).unwrap();
    let out = p.stdout(&["rerun", "output/flat/manifest.json"]);
    assert!(
        out.contains("data file data/history.csv has changed"),
        "{out}"
    );
    assert!(
        out.contains("scenario `flat` resolves differently"),
        "{out}"
    );
    assert!(
        out.contains("outputs differ from the previous run"),
        "{out}"
    );
    assert!(out.contains("plants.csv"), "{out}");
}

#[test]
fn rerun_of_a_missing_or_broken_manifest() {
    let p = project();
    let err = p.fails(&["rerun", "output/nowhere/manifest.json"]);
    assert!(
        err.contains("cannot read output/nowhere/manifest.json"),
        "{err}"
    );
    std::fs::write(p.path("bad.json"), "{ not json").unwrap();
    let err = p.fails(&["rerun", "bad.json"]);
    assert!(err.contains("bad.json is not a ukprod manifest"), "{err}");
}
