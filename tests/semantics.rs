//! Each rule of the method, checked through the binary against numbers worked out by hand
//! from the fixture data (see `common::FIXTURE_DATA`).

use crate::common::{Project, csv_rows, row};

const FLAT: &str = r#"
description = "Nothing changes"
[horizon]
end_year = 2030
[target]
volume = 800000
year = 2030
"#;

fn project() -> Project {
    Project::new().scenario("flat", FLAT)
}

/// A child of `flat` with the given extra TOML.
fn with(toml: &str) -> Project {
    project().scenario("t", &format!("extends = \"flat\"\n{toml}"))
}

fn plant(p: &Project, year: &str, id: &str) -> Vec<String> {
    plant_in(p, "t", year, id)
}

/// A plant's row in the run folder `folder` (a `--set` variant writes to its own folder).
fn plant_in(p: &Project, folder: &str, year: &str, id: &str) -> Vec<String> {
    let rows = csv_rows(&p.read(&format!("output/{folder}/plants.csv")));
    row(&rows, &[year, id]).to_vec()
}

/// plants.csv columns: year,plant_id,plant,operator,segment,demand,capacity,output,utilisation,constrained
fn output_of(p: &Project, year: &str, id: &str) -> String {
    plant(p, year, id)[7].clone()
}

fn run(p: &Project, extra: &[&str]) {
    let mut args = vec!["run", "t"];
    args.extend_from_slice(extra);
    p.cmd(&args).assert().success();
}

#[test]
fn national_table_has_history_then_projection_with_target_path_and_gap() {
    let p = project();
    p.cmd(&["run", "flat"]).assert().success();
    let text = p.read("output/flat/national.csv");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "year,source,cars,commercial_vehicles,total,target_path,gap"
    );
    assert_eq!(lines[1], "1990,actual,1000000,,,,");
    assert_eq!(lines[2], "2009,actual,600000,50000,650000,,");
    // Base year: target path is the actual total, gap 0.
    assert!(lines.contains(&"2025,actual,500000,50000,550000,550000,0"));
    // Target path climbs 50,000 a year from 550,000 to 800,000 in 2030.
    assert!(lines.contains(&"2026,projected,500000,50000,550000,600000,-50000"));
    assert_eq!(
        *lines.last().unwrap(),
        "2030,projected,500000,50000,550000,800000,-250000"
    );
    assert_eq!(lines.len(), 1 + 1 + 17 + 5);
}

#[test]
fn default_target_is_1_3_million_in_2035() {
    let p = Project::new().scenario("t", "description = \"defaults\"\n");
    run(&p, &[]);
    let rows = csv_rows(&p.read("output/t/national.csv"));
    // 550,000 + (1,300,000 - 550,000) × 5/10 = 925,000
    assert_eq!(row(&rows, &["2030"])[5], "925000");
    assert_eq!(row(&rows, &["2035"])[5], "1300000");
    assert_eq!(rows.last().unwrap()[0], "2035");
}

#[test]
fn target_path_is_flat_after_the_target_year() {
    let p = with("[target]\nyear = 2028\n");
    run(&p, &[]);
    let rows = csv_rows(&p.read("output/t/national.csv"));
    // 550,000 + 250,000 × 2/3 = 716,667 in 2027; 800,000 from 2028 on.
    assert_eq!(row(&rows, &["2027"])[5], "716667");
    assert_eq!(row(&rows, &["2028"])[5], "800000");
    assert_eq!(row(&rows, &["2030"])[5], "800000");
}

#[test]
fn growth_compounds_from_the_base_output() {
    let p = with("[plants.alpha]\ngrowth = 0.1\n");
    run(&p, &[]);
    // 200,000 × 1.1² = 242,000
    assert_eq!(output_of(&p, "2027", "alpha"), "242000");
    let national = csv_rows(&p.read("output/t/national.csv"));
    // cars = 242,000 + 100,000 + 200,000 residual
    assert_eq!(row(&national, &["2027"])[2], "542000");
}

#[test]
fn waypoints_interpolate_and_hold() {
    let p = with("[plants.alpha]\noutput = { 2027 = 260000, 2029 = 240000 }\n");
    run(&p, &[]);
    assert_eq!(output_of(&p, "2026", "alpha"), "230000");
    assert_eq!(output_of(&p, "2027", "alpha"), "260000");
    assert_eq!(output_of(&p, "2028", "alpha"), "250000");
    assert_eq!(output_of(&p, "2030", "alpha"), "240000");
}

#[test]
fn capacity_limits_output_and_scales_every_component() {
    let p = with(
        "[programmes.extra]\nplant = \"beta\"\nmaker = \"Chery\"\nstart = 2027\npeak = 60000\n",
    );
    run(&p, &[]);
    // 2027: demand 100,000 + 20,000 against capacity 100,000.
    let beta = plant(&p, "2027", "beta");
    assert_eq!(beta[5..], ["120000", "100000", "100000", "1.0000", "20000"]);
    let parts = csv_rows(&p.read("output/t/components.csv"));
    assert_eq!(
        row(&parts, &["2027", "beta", "existing"])[3..],
        ["Beta", "83333"]
    );
    assert_eq!(
        row(&parts, &["2027", "beta", "extra"])[3..],
        ["Chery", "16667"]
    );
    // 2029: demand 160,000; the programme gets 60/160 of 100,000.
    assert_eq!(row(&parts, &["2029", "beta", "extra"])[4], "37500");
    assert_eq!(row(&parts, &["2029", "beta", "existing"])[4], "62500");
}

#[test]
fn s_curve_ramp_through_the_binary() {
    let p = with(
        "[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = 100000\nramp_years = 4\ncurve = \"s-curve\"\n",
    );
    run(&p, &[]);
    // u = 1/4: 3/16 − 2/64 = 0.15625; u = 1/2: 0.5
    assert_eq!(output_of(&p, "2026", "alpha"), "200000");
    assert_eq!(output_of(&p, "2027", "alpha"), "215625");
    assert_eq!(output_of(&p, "2028", "alpha"), "250000");
    let parts = csv_rows(&p.read("output/t/components.csv"));
    // The maker defaults to the plant's operator.
    assert_eq!(
        row(&parts, &["2027", "alpha", "x"])[3..],
        ["Alpha", "15625"]
    );
}

#[test]
fn utilisation_caps_scenario_wide_and_per_plant() {
    let p = with("[assumptions]\nutilisation_cap = 0.9\n[plants.gamma]\nutilisation_cap = 0.5\n");
    run(&p, &[]);
    // beta: 100,000 demand, limit 90,000 → 10,000 constrained, 90% of nameplate.
    assert_eq!(
        plant(&p, "2026", "beta")[5..],
        ["100000", "100000", "90000", "0.9000", "10000"]
    );
    // gamma: 40,000 demand, limit 30,000.
    assert_eq!(output_of(&p, "2026", "gamma"), "30000");
    // alpha: 200,000 is under 270,000.
    assert_eq!(output_of(&p, "2026", "alpha"), "200000");
}

#[test]
fn capacity_change_applies_to_projected_years_only() {
    let p = with(
        "[plants.beta]\ncapacity = 150000\n[programmes.extra]\nplant = \"beta\"\nstart = 2027\npeak = 60000\n",
    );
    run(&p, &[]);
    assert_eq!(plant(&p, "2025", "beta")[6], "100000");
    assert_eq!(
        plant(&p, "2027", "beta")[5..],
        ["120000", "150000", "120000", "0.8000", "0"]
    );
}

#[test]
fn shocks_hit_a_plant_a_maker_or_everything() {
    let p = with(concat!(
        "[[shocks]]\nyear = 2026\nplant = \"alpha\"\nlost_weeks = 13\n",
        "[[shocks]]\nyear = 2027\nmaker = \"Beta\"\nlost_weeks = 26\n",
        "[[shocks]]\nyear = 2028\nlost_weeks = 5.2\n",
    ));
    run(&p, &[]);
    assert_eq!(output_of(&p, "2026", "alpha"), "150000"); // × 39/52
    assert_eq!(output_of(&p, "2026", "beta"), "100000");
    assert_eq!(output_of(&p, "2027", "beta"), "50000"); // × 26/52
    assert_eq!(output_of(&p, "2027", "alpha"), "200000");
    // 2028: everything × 0.9, the residuals too.
    assert_eq!(output_of(&p, "2028", "alpha"), "180000");
    assert_eq!(output_of(&p, "2028", "gamma"), "36000");
    assert_eq!(output_of(&p, "2028", "other-car"), "180000");
    assert_eq!(output_of(&p, "2028", "other-cv"), "9000");
    let national = csv_rows(&p.read("output/t/national.csv"));
    assert_eq!(
        row(&national, &["2028"])[2..5],
        ["450000", "45000", "495000"]
    );
    assert_eq!(output_of(&p, "2029", "other-car"), "200000");
}

#[test]
fn shocks_apply_after_capacity() {
    let p = with(concat!(
        "[programmes.extra]\nplant = \"beta\"\nstart = 2027\npeak = 60000\n",
        "[[shocks]]\nyear = 2027\nplant = \"beta\"\nlost_weeks = 26\n",
    ));
    run(&p, &[]);
    let beta = plant(&p, "2027", "beta");
    // demand 120,000 → 100,000 by capacity → 50,000 after half a year lost.
    assert_eq!(beta[5..], ["120000", "100000", "50000", "0.5000", "20000"]);
    let parts = csv_rows(&p.read("output/t/components.csv"));
    assert_eq!(row(&parts, &["2027", "beta", "existing"])[4], "41667");
    assert_eq!(row(&parts, &["2027", "beta", "extra"])[4], "8333");
}

#[test]
fn residual_is_national_minus_plants_and_grows() {
    let p = with("[assumptions]\nother_growth = 0.05\n");
    run(&p, &[]);
    // cars: 500,000 − 300,000 = 200,000; CVs: 50,000 − 40,000 = 10,000.
    assert_eq!(output_of(&p, "2025", "other-car"), "200000");
    assert_eq!(output_of(&p, "2025", "other-cv"), "10000");
    assert_eq!(output_of(&p, "2027", "other-car"), "220500");
    assert_eq!(output_of(&p, "2027", "other-cv"), "11025");
    let other = plant(&p, "2027", "other-car");
    assert_eq!(other[2..5], ["Other UK manufacturers", "Other", "car"]);
    assert_eq!(other[6], "", "the residual has no capacity");
    assert_eq!(other[8], "", "nor utilisation");
}

#[test]
fn closed_plants_make_nothing_from_the_closing_year() {
    let p = with(concat!(
        "[plants.gamma]\ncloses = 2028\n",
        "[programmes.g]\nplant = \"gamma\"\nstart = 2027\npeak = 3000\nramp_years = 0\n",
    ));
    run(&p, &[]);
    assert_eq!(output_of(&p, "2027", "gamma"), "43000");
    // From 2028 the plant's own production has ended; the programme's 3,000 is demand a closed
    // plant cannot meet, so it is constrained (rule 3).
    assert_eq!(
        plant(&p, "2028", "gamma")[5..],
        ["3000", "0", "0", "", "3000"]
    );
    let national = csv_rows(&p.read("output/t/national.csv"));
    assert_eq!(row(&national, &["2028"])[3], "10000");
}

#[test]
fn new_plants_open_and_programmes_ramp_there() {
    let p = with(concat!(
        "[new_plants.delta]\nname = \"Delta Works\"\noperator = \"Delta\"\nsegment = \"car\"\ncapacity = 50000\nopens = 2028\n",
        "[programmes.delta-line]\nplant = \"delta\"\nstart = 2028\npeak = 40000\nramp_years = 2\n",
    ));
    run(&p, &[]);
    assert_eq!(plant(&p, "2027", "delta")[5..], ["0", "0", "0", "", "0"]);
    assert_eq!(
        plant(&p, "2028", "delta")[2..],
        [
            "Delta Works",
            "Delta",
            "car",
            "20000",
            "50000",
            "20000",
            "0.4000",
            "0"
        ]
    );
    assert_eq!(output_of(&p, "2029", "delta"), "40000");
    let parts = csv_rows(&p.read("output/t/components.csv"));
    assert_eq!(
        row(&parts, &["2029", "delta", "delta-line"])[3..],
        ["Delta", "40000"]
    );
    let national = csv_rows(&p.read("output/t/national.csv"));
    assert_eq!(row(&national, &["2029"])[2], "540000");
}

#[test]
fn programmes_end_and_can_be_switched_off_by_a_child() {
    let p = with("[programmes.x]\nplant = \"alpha\"\nstart = 2026\npeak = 10000\nramp_years = 0\nends = 2028\n")
        .scenario("off", "extends = \"t\"\n[programmes.x]\nenabled = false\n");
    run(&p, &[]);
    assert_eq!(output_of(&p, "2027", "alpha"), "210000");
    assert_eq!(output_of(&p, "2028", "alpha"), "200000");
    p.cmd(&["run", "off"]).assert().success();
    let rows = csv_rows(&p.read("output/off/plants.csv"));
    assert_eq!(row(&rows, &["2027", "alpha"])[7], "200000");
}

#[test]
fn components_add_up_to_the_national_total() {
    let p = with(
        "[programmes.extra]\nplant = \"beta\"\nstart = 2027\npeak = 60000\n[[shocks]]\nyear = 2029\nlost_weeks = 4\n",
    );
    run(&p, &[]);
    let parts = csv_rows(&p.read("output/t/components.csv"));
    let national = csv_rows(&p.read("output/t/national.csv"));
    for year in 2026..=2030 {
        let y = year.to_string();
        let sum: f64 = parts
            .iter()
            .filter(|r| r[0] == y)
            .map(|r| r[4].parse::<f64>().unwrap())
            .sum();
        let total: f64 = row(&national, &[&y])[4].parse().unwrap();
        assert!((sum - total).abs() <= 3.0, "{year}: {sum} vs {total}");
    }
}

#[test]
fn child_merges_key_by_key_and_replaces_arrays() {
    let p = project()
        .scenario(
            "parent",
            concat!(
                "extends = \"flat\"\n",
                "[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = 30000\nramp_years = 0\n",
                "[[shocks]]\nyear = 2026\nplant = \"alpha\"\nlost_weeks = 26\n",
                "[[shocks]]\nyear = 2026\nplant = \"beta\"\nlost_weeks = 26\n",
            ),
        )
        .scenario(
            "t",
            "extends = \"parent\"\n[programmes.x]\npeak = 50000\n[[shocks]]\nyear = 2027\nplant = \"gamma\"\nlost_weeks = 13\n",
        );
    run(&p, &[]);
    // peak changed, plant and start inherited
    assert_eq!(output_of(&p, "2027", "alpha"), "250000");
    // the parent's shocks are gone, the child's applies
    assert_eq!(output_of(&p, "2026", "alpha"), "200000");
    assert_eq!(output_of(&p, "2026", "beta"), "100000");
    assert_eq!(output_of(&p, "2027", "gamma"), "30000");
    // horizon inherited from the grandparent
    let national = csv_rows(&p.read("output/t/national.csv"));
    assert_eq!(national.last().unwrap()[0], "2030");
}

#[test]
fn set_changes_values_after_extends() {
    let p = with(
        "[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = 30000\nramp_years = 0\n[[shocks]]\nyear = 2026\nplant = \"beta\"\nlost_weeks = 13\n",
    );
    run(
        &p,
        &[
            "--set",
            "programmes.x.peak=60000",
            "--set",
            "shocks.0.lost_weeks=26",
            "--set",
            "description=Changed on the command line",
            "--set",
            "plants.gamma.growth=-0.5",
            "--as",
            "t-changed",
        ],
    );
    let output_of = |year, id| plant_in(&p, "t-changed", year, id)[7].clone();
    assert_eq!(output_of("2027", "alpha"), "260000");
    assert_eq!(output_of("2026", "beta"), "50000");
    assert_eq!(output_of("2026", "gamma"), "20000");
    let saved = p.read("output/t-changed/scenario.toml");
    assert!(
        saved.contains("description = \"Changed on the command line\""),
        "{saved}"
    );
    assert!(saved.contains("peak = 60000"), "{saved}");
    assert!(!saved.contains("extends"), "{saved}");
}

#[test]
fn saved_scenario_reproduces_the_run() {
    let p =
        with("[programmes.x]\nplant = \"beta\"\nstart = 2027\npeak = 30000\ncurve = \"s-curve\"\n");
    run(&p, &["--set", "programmes.x.peak=45000", "--as", "t-45k"]);
    let saved = p.read("output/t-45k/scenario.toml");
    for default in [
        "end_year = 2030",
        "utilisation_cap = 1.0",
        "ramp_years = 3",
        "maker = \"Beta\"",
        "enabled = true",
    ] {
        assert!(saved.contains(default), "missing {default}:\n{saved}");
    }
    let first = p.read("output/t-45k/plants.csv");
    std::fs::write(p.path("scenarios/again.toml"), &saved).unwrap();
    p.cmd(&["run", "again"]).assert().success();
    assert_eq!(p.read("output/again/plants.csv"), first);
}

#[test]
fn summary_gives_the_headline_figures() {
    let p = project();
    let out = p.stdout(&["run", "flat"]);
    assert!(out.contains("2025 actual:           550,000"), "{out}");
    assert!(out.contains("2030 projected:        550,000"), "{out}");
    assert!(
        out.contains("(the 2030 projected total is 68.8% of it)"),
        "{out}"
    );
    assert!(out.contains("-250,000"), "{out}");
    // (800,000 / 550,000)^(1/5) − 1 = 7.78%
    assert!(
        out.contains("needed +7.8% a year, projected +0.0% a year"),
        "{out}"
    );
    assert!(
        out.contains("does not reach the target path by 2030"),
        "{out}"
    );
}

#[test]
fn summary_names_the_first_year_on_the_target_path() {
    // Target path 550,000 → 600,000 over 5 years (+10,000 a year); alpha adds 25,000 a year from 2027.
    let p = with(
        "[target]\nvolume = 600000\n[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = 100000\nramp_years = 4\n",
    );
    let out = p.stdout(&["run", "t"]);
    // 2027: 550,000 + 25,000 = 575,000 against a path of 570,000; the gap keeps widening.
    assert!(
        out.contains("reaches the target path in 2027 and stays on it to 2030"),
        "{out}"
    );
}

#[test]
fn summary_says_when_the_projection_falls_back_below_the_path() {
    // 2026: 20,000 extra against a path of 560,000 (+10,000); the programme ends in 2027.
    let p = with(
        "[target]\nvolume = 600000\n[programmes.x]\nplant = \"alpha\"\nstart = 2026\npeak = 20000\nramp_years = 0\nends = 2027\n",
    );
    let out = p.stdout(&["run", "t"]);
    assert!(
        // 2030: 550,000 against a path of 600,000.
        out.contains("is on the target path in 2026 only but below it by 50,000 in 2030"),
        "{out}"
    );
}

#[test]
fn runs_several_scenarios_at_once() {
    let p = with("");
    p.cmd(&["run", "flat", "t"]).assert().success();
    assert!(p.path("output/flat/national.csv").is_file());
    assert!(p.path("output/t/components.csv").is_file());
}

#[test]
fn list_and_show() {
    let p = with("[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = 1\n");
    let out = p.stdout(&["list"]);
    assert!(out.contains("flat  Nothing changes"), "{out}");
    assert!(
        out.contains("t     Nothing changes"),
        "inherited description: {out}"
    );
    let shown = p.stdout(&["show", "t", "--set", "programmes.x.peak=7"]);
    assert!(
        shown.contains("resolved from flat -> t, --set programmes.x.peak=7"),
        "{shown}"
    );
    assert!(shown.contains("peak = 7"), "{shown}");
}
