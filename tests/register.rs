//! The report's assumptions register: what each item sets (not ukprod's defaults), in words
//! and numbers rather than TOML, named as readers name it, with the files that set it and the
//! notes they write there; a child in the same report lists only what it changes.

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

/// The register rows of the scenario whose section heading is `heading`, from report.md.
fn register(p: &Project, dir: &str, heading: &str) -> Vec<String> {
    let text = p.read(&format!("output/{dir}/report.md"));
    let section = text
        .find(&format!("## {heading}\n"))
        .unwrap_or_else(|| panic!("no section {heading}:\n{text}"));
    let start = section
        + text[section..]
            .find("### Assumptions register")
            .expect("a register");
    text[start..]
        .lines()
        .skip_while(|l| !l.starts_with("| Item |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(str::to_string)
        .collect()
}

/// The line under a register's heading: what it lists and where the rest is.
fn register_line(p: &Project, dir: &str, heading: &str) -> String {
    let text = p.read(&format!("output/{dir}/report.md"));
    let section = text.find(&format!("## {heading}\n")).expect("section");
    let start = section
        + text[section..]
            .find("### Assumptions register\n\n")
            .expect("a register")
        + "### Assumptions register\n\n".len();
    text[start..].lines().next().unwrap_or_default().to_string()
}

#[test]
fn a_scenario_alone_lists_every_setting_in_words_with_its_files_and_notes() {
    let p = Project::new().scenario("base", BASE).scenario("kid", KID);
    p.cmd(&["report", "kid", "--draws", "100"])
        .assert()
        .success();
    assert_eq!(
        register(&p, "report-kid", "Scenario kid"),
        [
            // The section divider above Alpha is no note; the comment after the value is a
            // sentence of its own.
            "| **Scenario-wide** (horizon, target, assumptions · base.toml) | Projected to 2030 |  |",
            "| **Alpha Works** (plants.alpha · base.toml) | Existing output 250,000 from 2028 | Alpha's base output is an estimate. Assumption: Alpha grows back to 250,000 by 2028. 200,000 x 1.25. |",
            // A range reads low–high, most likely; a probability as a chance; the template's
            // commented-out lines and the header's own comment are no notes.
            "| **x** (programmes.x · base.toml, kid.toml) | At Alpha Works; peak 10,000–45,000, most likely 20,000; first output 2027; 50% chance | base.toml: Sourced: X builds 30,000 a year (Fixture News, 2026). kid.toml: Assumption: slower, and uncertain. |",
            "| **Shock 1** (shocks.0 · base.toml) | 2 weeks lost in 2028 at Beta Works | A two-week stoppage at Beta. |",
        ]
    );
    assert_eq!(
        register_line(&p, "report-kid", "Scenario kid"),
        "_Builds on base: every setting is listed, the inherited ones included; ukprod's defaults are left out._"
    );
    // In HTML the notes go under the setting, so that they get the width of both columns.
    let html = p.read("output/report-kid/index.html");
    assert!(
        html.contains("<tr><td><b>x</b><br><span class=\"key\">programmes.x · base.toml, kid.toml</span></td><td>At Alpha Works; peak 10,000–45,000, most likely 20,000; first output 2027; 50% chance<div class=\"under\">base.toml: Sourced: X builds 30,000 a year (Fixture News, 2026). kid.toml: Assumption: slower, and uncertain.</div></td></tr>"),
        "{html}"
    );
}

#[test]
fn a_child_beside_its_parent_lists_only_what_it_changes() {
    let p = Project::new().scenario("base", BASE).scenario("kid", KID);
    p.cmd(&["report", "base", "kid", "--draws", "100"])
        .assert()
        .success();
    assert_eq!(register(&p, "report-base-kid", "Scenario base").len(), 4);
    // Only the programme changes, and only its peak and chance; only kid.toml's note.
    assert_eq!(
        register(&p, "report-base-kid", "Scenario kid"),
        [
            "| **x** (programmes.x · kid.toml) | Peak 10,000–45,000, most likely 20,000; 50% chance | Assumption: slower, and uncertain. |"
        ]
    );
    assert_eq!(
        register_line(&p, "report-base-kid", "Scenario kid"),
        "_Inherits from base: listed is only what kid changes; the rest is in the register of base above._"
    );
    // The order of the command does not matter: the parent's register is then below.
    p.cmd(&["report", "kid", "base", "--draws", "100"])
        .assert()
        .success();
    assert_eq!(
        register(&p, "report-kid-base", "Scenario kid").len(),
        1,
        "{}",
        p.read("output/report-kid-base/report.md")
    );
    assert!(register_line(&p, "report-kid-base", "Scenario kid").ends_with("base below._"));
}

#[test]
fn a_variant_beside_its_scenario_lists_only_the_set() {
    let p = Project::new().scenario("base", BASE);
    p.cmd(&[
        "report",
        "base",
        "base",
        "--set",
        "2:programmes.x.peak=45000",
        "--as",
        "2:base-45k",
    ])
    .assert()
    .success();
    assert_eq!(
        register(&p, "report-base-base-45k", "Scenario base-45k"),
        ["| **x** (programmes.x) | CHANGED by --set programmes.x.peak=45000. Peak 45,000 |  |"]
    );
    assert_eq!(
        register_line(&p, "report-base-base-45k", "Scenario base-45k"),
        "_A variant of base: listed is only what --set changes; the rest is in the register of base above._"
    );
}

#[test]
fn a_set_on_every_scenario_still_leaves_a_child_only_its_changes() {
    let p = Project::new().scenario("base", BASE).scenario("kid", KID);
    let out = p.stdout(&[
        "report",
        "base",
        "kid",
        "--set",
        "horizon.end_year=2029",
        "--draws",
        "100",
    ]);
    let dir = out
        .lines()
        .find_map(|l| l.strip_prefix("wrote output/"))
        .and_then(|l| l.split('/').next())
        .unwrap_or_else(|| panic!("{out}"))
        .to_string();
    let base = dir
        .strip_prefix("report-")
        .and_then(|d| d.split("-kid").next())
        .unwrap()
        .to_string();
    let kid = format!("kid{}", &base["base".len()..]);
    // Both are variants with the same change: the child lists what its file adds, and the
    // change itself is in the parent's register.
    assert_eq!(
        register(&p, &dir, &format!("Scenario {kid}")),
        [
            "| **x** (programmes.x · kid.toml) | Peak 10,000–45,000, most likely 20,000; 50% chance | Assumption: slower, and uncertain. |"
        ]
    );
    assert_eq!(
        register(&p, &dir, &format!("Scenario {base}"))[0],
        "| **Scenario-wide** (horizon, target, assumptions) | CHANGED by --set horizon.end_year=2029. Projected to 2029 |  |"
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
    let rows = register(&p, "report-base-45k", "Scenario base-45k");
    // The changed row says so, and that its notes argue for the value before the change.
    assert_eq!(
        rows[2],
        "| **x** (programmes.x · base.toml) | CHANGED by --set programmes.x.peak=45000. At Alpha Works; peak 45,000 from 2027 | (These notes are the scenario file's, written for the value before the change.) Sourced: X builds 30,000 a year (Fixture News, 2026). |"
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
    let rows = register(&p, "report-mine", "Scenario mine");
    assert_eq!(
        rows[2],
        "| **x** (programmes.x · base.toml, mine.toml) | At Alpha Works; peak 30,000 from 2027 over 2 years | Sourced: X builds 30,000 a year (Fixture News, 2026). |"
    );
    p.cmd(&["report", "base", "mine"]).assert().success();
    assert_eq!(
        register(&p, "report-base-mine", "Scenario mine"),
        ["| **x** (programmes.x · mine.toml) | Ramp over 2 years |  |"]
    );
}

/// Every kind of item and value, to check the words by hand.
const EVERYTHING: &str = r#"description = "every kind of setting"
[horizon]
end_year = 2032
[target]
volume = 900000
year = 2032
[assumptions]
utilisation_cap = 0.85
other_growth = -0.02

[plants.alpha]
growth = 0.015
[plants.beta]
capacity = 120000
closes = 2031
[plants.gamma]
utilisation_cap = { low = 0.7, mode = 0.8, high = 0.9 }
output = { 2030 = 45000, 2027 = 42000 }

[new_plants.delta]
name = "Delta greenfield"
operator = "Delta"
segment = "cv"
capacity = 50000
opens = 2029
probability = 0.3

[programmes.y]
plant = "delta"
maker = "Delta"
start = { low = 2029, mode = 2030, high = 2031 }
peak = 20000
ramp_years = 1
curve = "s-curve"
ends = 2032
probability = 1.0

[programmes.z]
plant = "beta"
start = 2027
peak = 5000
ramp_years = 0
enabled = false

[[shocks]]
year = 2029
maker = "Alpha"
lost_weeks = { low = 2, mode = 4, high = 8 }
probability = 0.25
"#;

#[test]
fn settings_read_as_numbers_with_defaults_left_out() {
    let p = Project::new().scenario("all", EVERYTHING);
    p.cmd(&["report", "all", "--draws", "50"])
        .assert()
        .success();
    let rows = register(&p, "report-all", "Scenario all");
    let settings: Vec<&str> = rows
        .iter()
        .map(|r| r.split(" | ").nth(1).unwrap_or_default())
        .collect();
    assert_eq!(
        settings,
        [
            // Years without separators, volumes with, shares and growth as percentages.
            "Projected to 2032; target 900,000 a year by 2032; plants run at up to 85% of capacity; other UK makers' output falls 2% a year",
            "Existing output grows 1.5% a year",
            "Capacity 120,000; closed from 2031",
            // Waypoints in year order, held after the last; a range inside a phrase.
            "Runs at up to 70%–90% (most likely 80%) of capacity; existing output 42,000 in 2027, 45,000 from 2030",
            "Delta, commercial vehicles; capacity 50,000 from 2029; 30% chance",
            // probability = 1.0 is the default, so it is left out; a range splits the phrase.
            "Delta at Delta greenfield; peak 20,000; first output 2029–2031, most likely 2030; ramp over 1 year; S-shaped ramp; no output from 2032",
            "At Beta Works; peak 5,000 from 2027 at full volume at once; switched off",
            "2–8 weeks lost, most likely 4; in 2029; at every Alpha plant; 25% chance",
        ]
    );
    // Rows are named as readers name them: plant names from the data and the scenario.
    let names: Vec<&str> = rows
        .iter()
        .map(|r| r.split("**").nth(1).unwrap_or_default())
        .collect();
    assert_eq!(
        names,
        [
            "Scenario-wide",
            "Alpha Works",
            "Beta Works",
            "Gamma Vans",
            "Delta greenfield",
            "y",
            "z",
            "Shock 1"
        ]
    );
    // No TOML anywhere in the register.
    for row in &rows {
        assert!(!row.contains(" = ") && !row.contains('{'), "{row}");
    }
}
