//! Bad input: one clear message naming the file, line and column, a suggestion where a
//! name is close, exit status 1 (2 for command-line usage), and no partial output.

use crate::common::Project;

const FLAT: &str = "description = \"flat\"\n[horizon]\nend_year = 2030\n";

fn bad(toml: &str) -> String {
    Project::new()
        .scenario("flat", FLAT)
        .scenario("bad", toml)
        .fails(&["run", "bad"])
}

fn assert_has(stderr: &str, parts: &[&str]) {
    for part in parts {
        assert!(stderr.contains(part), "expected {part:?} in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn unknown_key_names_line_column_and_suggests() {
    let err = bad("[programmes.x]\nplant = \"alpha\"\npeek = 5\n");
    assert_has(
        &err,
        &[
            "unknown field `peek`",
            "scenarios/bad.toml:3:1",
            "help: did you mean `peak`?",
        ],
    );
}

#[test]
fn unknown_top_level_section() {
    let err = bad("[assumption]\nutilisation_cap = 0.9\n");
    assert_has(
        &err,
        &[
            "unknown field `assumption`",
            "bad.toml:1:2",
            "did you mean `assumptions`?",
        ],
    );
}

#[test]
fn unknown_plant_in_a_programme_suggests_the_close_one() {
    let err = bad("[programmes.x]\nplant = \"alpah\"\nstart = 2027\npeak = 5\n");
    assert_has(
        &err,
        &[
            "unknown plant `alpah`",
            "bad.toml:2:9",
            "did you mean `alpha`?",
        ],
    );
}

#[test]
fn unknown_plant_table_points_at_its_name() {
    let err = bad("[plants.gamm]\ncapacity = 5\n");
    assert_has(
        &err,
        &[
            "unknown plant `gamm`",
            "bad.toml:1:9",
            "did you mean `gamma`?",
        ],
    );
}

#[test]
fn unknown_shock_target_suggests() {
    let err = bad("[[shocks]]\nyear = 2026\nmaker = \"alpha\"\nlost_weeks = 2\n");
    assert_has(
        &err,
        &[
            "no plant is operated by `alpha`",
            "bad.toml:3:9",
            "did you mean `Alpha`?",
        ],
    );
    let err = bad("[[shocks]]\nyear = 2026\nplant = \"betta\"\nlost_weeks = 2\n");
    assert_has(&err, &["unknown plant `betta`", "did you mean `beta`?"]);
}

#[test]
fn unknown_curve_suggests() {
    let err =
        bad("[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = 5\ncurve = \"scurve\"\n");
    assert_has(
        &err,
        &[
            "unknown variant `scurve`",
            "bad.toml:5:9",
            "did you mean `s-curve`?",
        ],
    );
}

#[test]
fn syntax_errors_name_the_line() {
    let err = bad("[target]\nvolume = = 3\n");
    assert_has(&err, &["bad.toml:2:"]);
}

#[test]
fn wrong_types_name_the_field() {
    let err = bad("[target]\nvolume = \"lots\"\n");
    assert_has(&err, &["invalid type: string \"lots\"", "bad.toml:2:10"]);
    let err = bad("shocks = 5\n");
    assert_has(&err, &["invalid type", "bad.toml:1:10"]);
}

#[test]
fn out_of_range_values() {
    let cases = [
        (
            "[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = -5\n",
            "programmes.x.peak must be a number of vehicles from 0 to 100,000,000, not -5",
            "bad.toml:4:8",
        ),
        (
            "[assumptions]\nutilisation_cap = 1.5\n",
            "assumptions.utilisation_cap must be more than 0 and at most 1",
            "bad.toml:2:19",
        ),
        (
            "[plants.beta]\nutilisation_cap = 0\n",
            "plants.beta.utilisation_cap must be more than 0 and at most 1",
            "bad.toml:2:19",
        ),
        (
            "[[shocks]]\nyear = 2026\nlost_weeks = 60\n",
            "lost_weeks must be from 0 to 52, not 60",
            "bad.toml:3:14",
        ),
        (
            "[[shocks]]\nyear = 2026\nlost_weeks = -1\n",
            "lost_weeks must be from 0 to 52, not -1",
            "bad.toml:3:14",
        ),
        (
            "[plants.alpha]\noutput = { 2027 = -3 }\n",
            "plants.alpha.output.2027 must be a number of vehicles from 0 to 100,000,000",
            "bad.toml:2:19",
        ),
        (
            "[plants.alpha]\ncapacity = -100\n",
            "plants.alpha.capacity must be a number of vehicles",
            "bad.toml:2:12",
        ),
        (
            "[target]\nvolume = 0\n",
            "target.volume must be a number of vehicles from 1 to 100,000,000, not 0",
            "bad.toml:2:10",
        ),
        (
            "[plants.alpha]\ngrowth = -1.5\n",
            "plants.alpha.growth must be an annual rate above -1",
            "bad.toml:2:10",
        ),
        (
            "[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = 5\nramp_years = -2\n",
            "ramp_years must be a whole number of years from 0 to 50",
            "bad.toml:5:14",
        ),
    ];
    for (toml, message, place) in cases {
        assert_has(&bad(toml), &[message, place]);
    }
}

#[test]
fn years_outside_the_horizon() {
    let cases = [
        (
            "[programmes.x]\nplant = \"alpha\"\nstart = 2020\npeak = 5\n",
            "programmes.x.start 2020 is outside the horizon: it must be after the base year 2025",
            "bad.toml:3:9",
        ),
        (
            "[horizon]\nend_year = 2030\n[programmes.x]\nplant = \"alpha\"\nstart = 2031\npeak = 5\n",
            "no later than 2030",
            "bad.toml:5:9",
        ),
        (
            "[[shocks]]\nyear = 2025\nlost_weeks = 5\n",
            "shocks.0.year 2025 is outside the horizon",
            "bad.toml:2:8",
        ),
        (
            "[plants.alpha]\noutput = { 2040 = 5 }\n",
            "plants.alpha.output: waypoint 2040 is outside the horizon",
            "bad.toml:2:12",
        ),
        (
            "[new_plants.d]\nname = \"D\"\noperator = \"D\"\nsegment = \"car\"\ncapacity = 5\nopens = 2024\n",
            "new_plants.d.opens 2024 is outside the horizon",
            "bad.toml:6:9",
        ),
        (
            "[horizon]\nend_year = 2025\n",
            "horizon.end_year 2025 is outside the horizon",
            "bad.toml:2:12",
        ),
        (
            "[plants.alpha]\ncloses = 2025\n",
            "plants.alpha.closes 2025 is outside the horizon",
            "bad.toml:2:10",
        ),
    ];
    for (toml, message, place) in cases {
        assert_has(&bad(toml), &[message, place]);
    }
}

#[test]
fn start_after_ends() {
    let err = bad("[programmes.x]\nplant = \"alpha\"\nstart = 2030\nends = 2029\npeak = 5\n");
    assert_has(
        &err,
        &[
            "programme `x` ends in 2029, which is not after its start in 2030",
            "bad.toml:4:8",
        ],
    );
}

#[test]
fn output_and_growth_together() {
    let err = bad("[plants.alpha]\noutput = { 2027 = 5 }\ngrowth = 0.1\n");
    assert_has(
        &err,
        &[
            "plant `alpha` has both `output` waypoints and `growth`",
            "bad.toml:3:1",
        ],
    );
}

#[test]
fn missing_required_fields() {
    let err = bad("[programmes.x]\nplant = \"alpha\"\n");
    assert_has(
        &err,
        &[
            "`programmes.x` needs `start`",
            "`programmes.x` needs `peak`",
            "bad.toml:1:13",
            "2 problems found",
        ],
    );
    let err = bad("[new_plants.d]\nname = \"D\"\n");
    assert_has(
        &err,
        &[
            "`new_plants.d` needs `operator`",
            "needs `segment`",
            "needs `capacity`",
            "needs `opens`",
        ],
    );
}

#[test]
fn new_plant_rules() {
    let err = bad(
        "[new_plants.alpha]\nname = \"A\"\noperator = \"A\"\nsegment = \"car\"\ncapacity = 5\nopens = 2027\n",
    );
    assert_has(
        &err,
        &["`alpha` is already a plant in the data", "bad.toml:1:13"],
    );
    let err = bad(
        "[new_plants.d]\nname = \"D\"\noperator = \"D\"\nsegment = \"truck\"\ncapacity = 5\nopens = 2029\n",
    );
    assert_has(
        &err,
        &[
            "unknown variant `truck`, expected `car` or `cv`",
            "bad.toml:4:11",
        ],
    );
}

#[test]
fn shock_with_plant_and_maker() {
    let err =
        bad("[[shocks]]\nyear = 2026\nplant = \"alpha\"\nmaker = \"Alpha\"\nlost_weeks = 5\n");
    assert_has(
        &err,
        &[
            "either one `plant` or one `maker`, not both",
            "bad.toml:4:1",
        ],
    );
}

#[test]
fn errors_in_a_parent_point_at_the_parent_file() {
    let p = Project::new()
        .scenario(
            "parent",
            "[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = 5\n",
        )
        .scenario(
            "child",
            "extends = \"parent\"\n[horizon]\nend_year = 2026\n",
        );
    let err = p.fails(&["run", "child"]);
    assert_has(
        &err,
        &[
            "programmes.x.start 2027 is outside the horizon",
            "no later than 2026",
            "scenarios/parent.toml:3:9",
        ],
    );
}

#[test]
fn extends_a_missing_parent() {
    let err = bad("extends = \"flta\"\n");
    assert_has(
        &err,
        &[
            "scenario `bad` extends unknown scenario `flta`",
            "bad.toml:1:11",
            "did you mean `flat`?",
        ],
    );
}

#[test]
fn extends_cycle_names_the_chain() {
    let p = Project::new()
        .scenario("a", "extends = \"b\"\n")
        .scenario("b", "extends = \"c\"\n")
        .scenario("c", "extends = \"a\"\n");
    let err = p.fails(&["run", "a"]);
    assert_has(
        &err,
        &[
            "scenarios extend each other in a cycle: a -> b -> c -> a",
            "c.toml:1:11",
        ],
    );
}

#[test]
fn unknown_scenario_on_the_command_line() {
    let p = Project::new().scenario("baseline", FLAT);
    let err = p.fails(&["run", "baseiine"]);
    assert_has(
        &err,
        &[
            "unknown scenario `baseiine`",
            "the scenarios in scenarios/ are baseline",
            "did you mean `baseline`?",
        ],
    );
    let err = p.fails(&["run", "Base Line"]);
    assert_has(
        &err,
        &["scenario name `Base Line` must be lowercase letters, digits and hyphens"],
    );
}

#[test]
fn bad_set_arguments() {
    let p = Project::new().scenario("flat", FLAT);
    let err = p.fails(&["run", "flat", "--set", "assumptions.utilisation_cp=0.5"]);
    assert_has(
        &err,
        &[
            "in `--set assumptions.utilisation_cp=0.5`",
            "unknown field `utilisation_cp`",
            "did you mean `utilisation_cap`?",
        ],
    );
    let err = p.fails(&["run", "flat", "--set", "nonsense"]);
    assert_has(&err, &["in `--set nonsense`: expected KEY=VALUE"]);
    let err = p.fails(&["run", "flat", "--set", "assumptions.utilisation_cap=2"]);
    assert_has(
        &err,
        &[
            "in `--set assumptions.utilisation_cap=2`",
            "must be more than 0 and at most 1",
        ],
    );
    let err = p.fails(&["run", "flat", "--set", "shocks.3.year=2027"]);
    assert_has(&err, &["in `--set shocks.3.year=2027`"]);
    let err = p.fails(&["run", "flat", "--set", "target.volume=lots"]);
    assert_has(
        &err,
        &[
            "in `--set target.volume=lots`",
            "invalid type: string \"lots\"",
        ],
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let p = Project::new().scenario("flat", FLAT);
    p.cmd(&["run"]).assert().code(2);
    p.cmd(&["frobnicate"]).assert().code(2);
    p.cmd(&["run", "flat", "--sett", "x=1"]).assert().code(2);
}

#[test]
fn validate_reports_every_problem() {
    let p = Project::new()
        .scenario("flat", FLAT)
        .scenario(
            "one",
            "[assumptions]\nutilisation_cap = 7\n[target]\nvolume = -1\n",
        )
        .scenario("two", "[plants.alhpa]\ngrowth = 0.1\n");
    let out = p.cmd(&["validate"]).assert().code(1).get_output().clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("scenario flat: ok"), "{stdout}");
    assert_has(
        &stderr,
        &[
            "one.toml:2:19",
            "one.toml:4:10",
            "two.toml:1:9",
            "did you mean `alpha`?",
            "3 problems found",
        ],
    );
    p.cmd(&["validate", "flat"]).assert().success();
}

#[test]
fn a_failed_run_writes_nothing() {
    let p = Project::new()
        .scenario("flat", FLAT)
        .scenario("bad", "[target]\nvolume = -1\n");
    p.fails(&["run", "flat", "bad"]);
    assert!(
        !p.path("output").exists(),
        "no output folder after a failed run"
    );
}

#[test]
fn data_errors_name_file_line_and_column() {
    let p = Project::new().scenario("flat", FLAT).data(
        "plants.csv",
        "id,name,operator,location,segment,capacity,source\nalpha,A,Alpha,X,car,lots,F\nbeta,B,Beta,Y,truck,100000,F\ngamma,G,Gamma,Z,cv,60000,F\n",
    );
    let err = p.fails(&["run", "flat"]);
    assert_has(
        &err,
        &[
            "data/plants.csv:2: column `capacity`",
            "data/plants.csv:3: unknown variant `truck`, expected `car` or `cv`",
        ],
    );
}

#[test]
fn data_unknown_plant_and_missing_base_year() {
    let p = Project::new().scenario("flat", FLAT).data(
        "plant_output.csv",
        "plant_id,year,output,source\nalpah,2025,200000,F\nbeta,2025,100000,F\ngamma,2025,40000,F\n",
    );
    let err = p.fails(&["validate"]);
    assert_has(
        &err,
        &[
            "data/plant_output.csv:2: column `plant_id`: unknown plant `alpah`",
            "did you mean `alpha`?",
            "plant `alpha` has no output for the base year 2025",
        ],
    );
}

#[test]
fn data_plants_cannot_exceed_the_national_figure() {
    let p = Project::new().scenario("flat", FLAT).data(
        "plant_output.csv",
        "plant_id,year,output,source\nalpha,2025,450000,F\nbeta,2025,100000,F\ngamma,2025,40000,F\n",
    );
    let err = p.fails(&["run", "flat"]);
    assert_has(
        &err,
        &[
            "in 2025, the car plants built 550000 vehicles, more than the national car figure of 500000",
        ],
    );
}

#[test]
fn data_history_must_add_up_and_be_complete() {
    let mut history = String::from("year,cars,commercial_vehicles,total,source\n");
    for year in 2011..=2025 {
        history.push_str(&format!("{year},500000,50000,550000,F\n"));
    }
    history = history.replace("2020,500000,50000,550000", "2020,500000,50000,550001");
    let p = Project::new()
        .scenario("flat", FLAT)
        .data("history.csv", &history);
    let err = p.fails(&["validate"]);
    assert_has(
        &err,
        &[
            "data/history.csv:11: column `total`: total 550001 is not cars + commercial_vehicles (500000 + 50000 = 550000)",
            "year 2010 needs cars, commercial_vehicles and total",
        ],
    );
}

#[test]
fn missing_data_folder() {
    let p = Project::new().scenario("flat", FLAT);
    let err = p.fails(&["run", "flat", "--data", "nowhere"]);
    assert_has(&err, &["nowhere/history.csv: cannot read the data file"]);
}

#[test]
fn bad_ranges_and_probabilities() {
    let cases = [
        (
            "[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = { low = 9, mode = 5, high = 10 }\n",
            "programmes.x.peak must have low <= mode <= high, not 9, 5, 10",
            "bad.toml:4:8",
        ),
        (
            "[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = { low = -1, mode = 5, high = 10 }\n",
            "programmes.x.peak must be a number of vehicles from 0 to 100,000,000, not -1",
            "bad.toml:4:8",
        ),
        (
            "[programmes.x]\nplant = \"alpha\"\nstart = { low = 2020, mode = 2027, high = 2029 }\npeak = 5\n",
            "programmes.x.start 2020 is outside the horizon",
            "bad.toml:3:9",
        ),
        (
            "[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = 5\nprobability = 1.5\n",
            "programmes.x.probability must be from 0 to 1, not 1.5",
            "bad.toml:5:15",
        ),
        (
            "[[shocks]]\nyear = 2026\nlost_weeks = { low = 1, mode = 2, high = 60 }\n",
            "lost_weeks must be from 0 to 52, not 60",
            "bad.toml:3:14",
        ),
        (
            "[assumptions]\nutilisation_cap = { low = 0.8, mode = 0.9, hihg = 1 }\n",
            "unknown field `hihg`, expected one of `low`, `mode`, `high`",
            "bad.toml:2:",
        ),
        (
            "[assumptions]\nother_growth = { low = 0.0, high = 0.1 }\n",
            "missing field `mode`",
            "bad.toml:2:",
        ),
        (
            "[programmes.x]\nplant = \"alpha\"\nstart = { low = 2026, mode = 2027.5, high = 2029 }\npeak = 5\n",
            "invalid type: floating point `2027.5`",
            "bad.toml:3:",
        ),
    ];
    for (toml, message, place) in cases {
        assert_has(&bad(toml), &[message, place]);
    }
    let err = bad("[assumptions]\nutilisation_cap = { low = 0.8, mode = 0.9, hihg = 1 }\n");
    assert_has(&err, &["did you mean `high`?"]);
}
