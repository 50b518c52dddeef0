//! The report's assumptions register: what each item sets (not ukprod's defaults), read as
//! people write numbers, which files set it, and the notes its files write there.

use crate::common::Project;

const BASE: &str = r#"description = "base"
[horizon]
end_year = 2030

# --- Alpha ---------------------------------------------------------------
# Alpha's base output is an estimate.
[plants.alpha]
# Assumption: Alpha grows back to 250,000 by 2028.
output = { 2028 = 250000 }   # 200,000 x 1.25

[programmes.x]
# Sourced: X builds 30,000 a year (Fixture News, 2026).
plant = "alpha"
start = 2027
peak = 30000

# --- Shocks ----------------------------------------------------------------
[[shocks]]
# A two-week stoppage at Beta.
year = 2028
plant = "beta"
lost_weeks = 2
"#;

/// A child as `new --from` leaves it once two lines are uncommented and one is added.
const KID: &str = r#"extends = "base"
description = "kid"

[programmes.x]                    # a new production programme
# plant = "alpha"
# start = 2027
peak = { low = 10000, mode = 20000, high = 45000 }   # Assumption: slower, and uncertain
# ramp_years = 3
# curve = "linear"                # or "s-curve"
probability = 0.5
"#;

fn register(p: &Project, dir: &str) -> Vec<String> {
    let text = p.read(&format!("output/{dir}/report.md"));
    let start = text.find("### Assumptions register").expect("a register");
    text[start..]
        .lines()
        .skip(4)
        .take_while(|l| l.starts_with('|'))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_register_shows_what_the_files_write_and_their_notes() {
    let p = Project::new().scenario("base", BASE).scenario("kid", KID);
    p.cmd(&["report", "kid", "--draws", "100"])
        .assert()
        .success();
    assert_eq!(
        register(&p, "report-kid"),
        [
            "| plants.alpha (set in base.toml) | output = 250,000 in 2028 | Alpha's base output is an estimate. Assumption: Alpha grows back to 250,000 by 2028. 200,000 x 1.25 |",
            "| programmes.x (set in base.toml, kid.toml) | plant = alpha; start = 2027; peak = 10,000 / 20,000 / 45,000 (low / mode / high); probability = 0.5 | base.toml: Sourced: X builds 30,000 a year (Fixture News, 2026). kid.toml: Assumption: slower, and uncertain |",
            "| shocks.0 (set in base.toml) | year = 2028; plant = beta; lost_weeks = 2 | A two-week stoppage at Beta. |",
        ]
    );
    let html = p.read("output/report-kid/index.html");
    assert!(
        html.contains("<tr><td>programmes.x (set in base.toml, kid.toml)</td><td>plant = alpha; start = 2027; peak = 10,000 / 20,000 / 45,000 (low / mode / high); probability = 0.5</td>"),
        "{html}"
    );
}

#[test]
fn the_register_names_a_set_and_a_template_leaves_no_notes() {
    let p = Project::new().scenario("base", BASE);
    p.cmd(&[
        "report",
        "base",
        "--set",
        "programmes.x.peak=45000",
        "--as",
        "base-45k",
    ])
    .assert()
    .success();
    let rows = register(&p, "report-base-45k");
    // The changed row says so, and that its notes argue for the value before the change.
    assert_eq!(
        rows[1],
        "| programmes.x (set in base.toml, --set programmes.x.peak=45000) | CHANGED by --set programmes.x.peak=45000. plant = alpha; start = 2027; peak = 45,000 | (These notes are the scenario file's, written for the value before the change.) Sourced: X builds 30,000 a year (Fixture News, 2026). |"
    );
    // A child from `new --from` with its programme header and `ramp_years` uncommented: the
    // template's commented-out lines and its guidance are no one's notes.
    p.stdout(&["new", "mine", "--from", "base"]);
    let text = p.read("scenarios/mine.toml");
    let text = text
        .replace("# [programmes.chery-halewood]", "[programmes.x]")
        .replace("# ramp_years = 3", "ramp_years = 2");
    std::fs::write(p.path("scenarios/mine.toml"), text).unwrap();
    p.cmd(&["report", "mine"]).assert().success();
    let rows = register(&p, "report-mine");
    assert_eq!(
        rows[1],
        "| programmes.x (set in base.toml, mine.toml) | plant = alpha; start = 2027; peak = 30,000; ramp_years = 2 | Sourced: X builds 30,000 a year (Fixture News, 2026). |"
    );
}
