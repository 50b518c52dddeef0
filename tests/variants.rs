//! `--set` makes a variant, visibly: its own folder (NAME+HASH or --as), a "Modified" line in
//! the summary and on every chart, scoped changes in compare, and clear errors.

use sha2::{Digest, Sha256};

use crate::common::Project;

const FLAT: &str = "description = \"Flat\"\n[horizon]\nend_year = 2030\n";
const LEAF: &str = "extends = \"flat\"\ndescription = \"Leaf\"\n[programmes.nissan-leaf-gen3]\nplant = \"alpha\"\nstart = 2027\npeak = 30000\nramp_years = 0\n";

fn project() -> Project {
    Project::new().scenario("flat", FLAT).scenario("leaf", LEAF)
}

/// Every file of a folder with its bytes.
fn folder(p: &Project, rel: &str) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(p.path(rel))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_set_run_writes_its_own_folder_and_says_what_changed() {
    let p = project();
    p.cmd(&["run", "leaf"]).assert().success();
    let before = folder(&p, "output/leaf");
    let out = p.stdout(&[
        "run",
        "leaf",
        "--set",
        "programmes.nissan-leaf-gen3.peak=60000",
    ]);
    // The folder is NAME+ the first 8 hex digits of SHA-256 of the change as given.
    let hash = format!(
        "{:x}",
        Sha256::digest(b"programmes.nissan-leaf-gen3.peak=60000")
    );
    let variant = format!("output/leaf+{}", &hash[..8]);
    assert!(p.path(&variant).join("national.csv").exists(), "{out}");
    assert_eq!(
        folder(&p, "output/leaf"),
        before,
        "the plain run's folder is untouched"
    );
    let changed = "Modified from scenario leaf: programmes.nissan-leaf-gen3.peak = 60,000";
    assert!(out.contains(changed), "{out}");
    // 2030: 550,000 + 60,000.
    assert!(out.contains("2030 projected:        610,000"), "{out}");
    for chart in ["path", "makers", "bridge", "plants"] {
        let svg = p.read(&format!("{variant}/{chart}.svg"));
        assert!(svg.contains(changed), "{chart}");
    }
}

#[test]
fn as_names_the_variant_and_is_checked() {
    let p = project();
    p.stdout(&[
        "run",
        "leaf",
        "--set",
        "programmes.nissan-leaf-gen3.peak=60000",
        "--as",
        "leaf-60k",
    ]);
    assert!(p.path("output/leaf-60k/national.csv").exists());
    assert!(!p.path("output/leaf").exists());
    let err = p.fails(&["run", "leaf", "--as", "Leaf 60k"]);
    assert!(
        err.contains("`Leaf 60k` must be lowercase letters, digits and hyphens"),
        "{err}"
    );
    let err = p.fails(&["run", "leaf", "--as", "flat"]);
    assert!(err.contains("`flat` is a scenario"), "{err}");
    assert!(!p.path("output/flat").exists(), "nothing written");
}

#[test]
fn scoped_sets_change_one_scenario_of_a_comparison() {
    let p = project();
    let out = p.stdout(&[
        "compare",
        "leaf",
        "leaf",
        "--set",
        "2:programmes.nissan-leaf-gen3.peak=60000",
        "--as",
        "2:leaf-60k",
        "--no-charts",
    ]);
    let header: Vec<&str> = out.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["leaf", "leaf-60k"]);
    let totals = out
        .lines()
        .find(|l| l.starts_with("end-year total"))
        .unwrap();
    assert!(
        totals.contains("580,000") && totals.contains("610,000"),
        "{totals}"
    );
    assert!(p.path("output/compare-leaf-leaf-60k/compare.csv").exists());
    // By name, when the name appears once.
    let out = p.stdout(&[
        "compare",
        "flat",
        "leaf",
        "--set",
        "leaf:programmes.nissan-leaf-gen3.peak=0",
        "--no-charts",
    ]);
    let totals = out
        .lines()
        .find(|l| l.starts_with("end-year total"))
        .unwrap();
    assert_eq!(totals.matches("550,000").count(), 2, "{totals}");
}

#[test]
fn set_errors_name_the_scenario_and_the_scope() {
    let p = project();
    // Unscoped, the change reaches flat too, which has no such programme.
    let err = p.fails(&[
        "compare",
        "flat",
        "leaf",
        "--set",
        "programmes.nissan-leaf-gen3.peak=1",
    ]);
    assert!(err.contains("(applied to scenario `flat`)"), "{err}");
    let err = p.fails(&["compare", "flat", "leaf", "--set", "3:target.volume=1"]);
    assert!(err.contains("there is no scenario 3"), "{err}");
    let err = p.fails(&["compare", "flat", "leaf", "--set", "leef:target.volume=1"]);
    assert!(
        err.contains("`leef` is not one of this command's scenarios"),
        "{err}"
    );
    assert!(err.contains("did you mean `leaf`?"), "{err}");
    let err = p.fails(&["compare", "leaf", "leaf", "--set", "leaf:target.volume=1"]);
    assert!(err.contains("appears more than once"), "{err}");
    assert!(!p.path("output").exists(), "nothing written");
}

#[test]
fn a_set_that_would_create_a_near_namesake_is_a_typo() {
    let p = project();
    let err = p.fails(&["run", "leaf", "--set", "programmes.nissan-leaf.peak=80000"]);
    assert!(
        err.contains("the scenario has no `programmes.nissan-leaf`"),
        "{err}"
    );
    assert!(err.contains("did you mean `nissan-leaf-gen3`?"), "{err}");
}

#[test]
fn a_set_into_a_list_the_scenario_lacks_says_so() {
    let p = project();
    let err = p.fails(&["run", "flat", "--set", "shocks.0.lost_weeks=8"]);
    assert!(err.contains("the scenario has no `shocks`"), "{err}");
    assert!(err.contains("--set 'shocks=[{ ... }]'"), "{err}");
    // The whole list can be set.
    let out = p.stdout(&[
        "run",
        "flat",
        "--set",
        "shocks=[{ year = 2026, lost_weeks = 26 }]",
        "--no-charts",
    ]);
    // Every plant and the residual lose half of 2026: 275,000.
    assert!(
        out.contains("Modified from scenario flat: shocks = "),
        "{out}"
    );
    let _ = out;
}

#[test]
fn a_variant_report_says_what_changed_in_its_headline_and_register() {
    let p = project();
    p.stdout(&[
        "report",
        "leaf",
        "--set",
        "programmes.nissan-leaf-gen3.peak=60000",
        "--as",
        "leaf-60k",
    ]);
    let md = p.read("output/report-leaf-60k/report.md");
    assert!(
        md.contains("**Modified from scenario leaf: programmes.nissan-leaf-gen3.peak = 60,000.**"),
        "{md}"
    );
    let row = md
        .lines()
        .find(|l| l.starts_with("| **nissan-leaf-gen3** (programmes.nissan-leaf-gen3"))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(
        row.contains("CHANGED by --set programmes.nissan-leaf-gen3.peak=60000"),
        "{row}"
    );
    // No draws anywhere: no spread or chance columns full of dashes. The end year and what
    // the figures are, shared by every row, are said once in the heading.
    assert!(!md.contains("Chance of the target"), "{md}");
    assert!(!md.contains("P5 to P95"), "{md}");
    assert!(
        md.contains("| Scenario | Actual, 2025 | Projected, 2030 |"),
        "{md}"
    );
    assert!(md.contains("| leaf-60k | 550,000 | 610,000 |"), "{md}");
}

#[test]
fn a_scoped_change_is_shown_without_its_scope_and_names_the_same_variant() {
    let p = project();
    let out = p.stdout(&[
        "compare",
        "flat",
        "leaf",
        "--set",
        "2:programmes.nissan-leaf-gen3.peak=60000",
    ]);
    let hash = format!(
        "{:x}",
        Sha256::digest(b"programmes.nissan-leaf-gen3.peak=60000")
    );
    let name = format!("leaf+{}", &hash[..8]);
    assert!(out.lines().next().unwrap().contains(&name), "{out}");
    let svg = p.read(&format!("output/compare-flat-{name}/compare.svg"));
    assert!(
        svg.contains("Modified from scenario leaf: programmes.nissan-leaf-gen3.peak = 60,000"),
        "the legend shows the change without its scope"
    );
}

#[test]
fn a_variant_report_headline_says_what_changed() {
    let p = project();
    p.stdout(&[
        "report",
        "flat",
        "leaf",
        "--set",
        "leaf:programmes.nissan-leaf-gen3.peak=60000",
        "--as",
        "2:leaf-60k",
    ]);
    let md = p.read("output/report-flat-leaf-60k/report.md");
    // The headline: everything before the first scenario's section.
    let headline = &md[..md.find("## Scenario").unwrap()];
    assert!(
        headline.contains(
            "leaf-60k: Modified from scenario leaf: programmes.nissan-leaf-gen3.peak = 60,000."
        ),
        "{headline}"
    );
}

#[test]
fn compare_lists_the_changes_and_run_says_what_capacity_held_back() {
    let p = project();
    let out = p.stdout(&[
        "compare",
        "leaf",
        "leaf",
        "--set",
        "2:programmes.nissan-leaf-gen3.peak=150000",
        "--no-charts",
    ]);
    let row = out
        .lines()
        .find(|l| l.starts_with("changed by --set"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        row.contains("-") && row.contains("programmes.nissan-leaf-gen3.peak=150000"),
        "{row}"
    );
    // alpha: 200,000 existing + 150,000 against 300,000 of capacity: 50,000 held back.
    let out = p.stdout(&[
        "run",
        "leaf",
        "--set",
        "programmes.nissan-leaf-gen3.peak=150000",
        "--no-charts",
    ]);
    assert!(
        out.contains("capacity holds back 50,000 vehicles of demand in 2030: alpha 50,000"),
        "{out}"
    );
}

#[test]
fn a_variant_is_not_bound_by_its_scenarios_checks() {
    let p = Project::new().scenario("flat", FLAT).scenario(
        "leaf",
        &format!("{LEAF}[[checks]]\nyear = 2030\ntotal = {{ min = 580000 }}\n"),
    );
    let out = p.stdout(&["run", "leaf", "--no-charts"]);
    assert!(
        out.contains("check: 2030 total (projected) at least 580,000: passed"),
        "{out}"
    );
    let out = p.stdout(&[
        "run",
        "leaf",
        "--set",
        "programmes.nissan-leaf-gen3.peak=0",
        "--no-charts",
    ]);
    assert!(!out.contains("FAILED"), "{out}");
    assert!(
        out.contains(
            "checks not tested: a --set variant is not bound by its scenario's [[checks]]"
        ),
        "{out}"
    ); // Nor does a shorter horizon set on the command line break on a check beyond it.
    let out = p.stdout(&[
        "run",
        "leaf",
        "--set",
        "horizon.end_year=2028",
        "--no-charts",
    ]);
    assert!(out.contains("2028 projected:"), "{out}");
    assert!(out.contains("checks not tested"), "{out}");
}
