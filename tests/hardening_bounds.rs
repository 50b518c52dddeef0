//! Issue 10, bounds: every number within a plausible range (defaults and both ends of ranges
//! included), no control characters or endless text, finite results, and bounded `--draws`.
//! Each test reproduces a case of the adversarial review through the binary.

use crate::common::Project;

const FLAT: &str = "description = \"flat\"\n";

fn has(stderr: &str, parts: &[&str]) {
    for part in parts {
        assert!(stderr.contains(part), "expected {part:?} in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Run and return stderr, asserting the exit code.
fn fails_with(p: &Project, args: &[&str], code: i32) -> String {
    let out = p.cmd(args).assert().code(code).get_output().clone();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The fixture's history with its years renumbered to end at `base` (the plant outputs moved
/// with them), 16 complete years as the data needs.
fn history_to(base: i64) -> (String, String) {
    let mut history = String::from("year,cars,commercial_vehicles,total,source\n");
    for year in base - 15..=base {
        history.push_str(&format!("{year},500000,50000,550000,Fixture\n"));
    }
    let outputs = format!(
        "plant_id,year,output,source\nalpha,{base},200000,Fixture\nbeta,{base},100000,Fixture\ngamma,{base},40000,Fixture\n"
    );
    (history, outputs)
}

#[test]
fn draws_above_the_maximum_are_a_usage_error() {
    let p = Project::new().scenario("flat", FLAT);
    // M2: this panicked with "capacity overflow"; now clap refuses it, exit 2.
    for draws in [
        "18446744073709551615",
        "10000001",
        "99999999999999999999999",
    ] {
        let err = fails_with(&p, &["run", "flat", "--no-charts", "--draws", draws], 2);
        has(
            &err,
            &[&format!(
                "at most 10000000 draws are allowed (each million takes about 107 MB of memory), not {draws}"
            )],
        );
    }
    let err = fails_with(&p, &["run", "flat", "--draws", "abc"], 2);
    has(&err, &["`abc` is not a whole number of draws"]);
    let help = p.stdout(&["run", "--help"]);
    assert!(help.contains("At most 10,000,000"), "{help}");
    assert!(help.contains("107 MB"), "{help}");
}

#[test]
fn a_huge_growth_rate_set_on_the_command_line_is_refused() {
    // M3: this projected `inf` and hung in the chart code.
    let p = Project::new().scenario("flat", FLAT);
    let err = p.fails(&[
        "run",
        "flat",
        "--no-charts",
        "--set",
        "assumptions.other_growth=1e31",
    ]);
    has(
        &err,
        &[
            "assumptions.other_growth must be an annual rate above -1 and at most 1 (e.g. -0.03 for -3% a year, 1 for +100%), not 1e31",
            "--set assumptions.other_growth=1e31",
        ],
    );
    assert!(!p.path("output/flat").exists());
}

#[test]
fn plants_of_absurd_capacity_are_refused() {
    // M3: two plants of 1e308 added up to inf.
    let toml = "description = \"r5\"\n\
        [new_plants.a]\nname = \"A\"\noperator = \"A\"\nsegment = \"car\"\ncapacity = 1e308\nopens = 2027\n\
        [new_plants.b]\nname = \"B\"\noperator = \"B\"\nsegment = \"car\"\ncapacity = 1e308\nopens = 2027\n\
        [programmes.p]\nplant = \"a\"\nstart = 2027\npeak = 1e308\nramp_years = 0\n";
    let p = Project::new().scenario("r5", toml);
    let err = p.fails(&["run", "r5", "--no-charts"]);
    has(
        &err,
        &[
            "new_plants.a.capacity must be a number of vehicles from 0 to 100,000,000, not 1e308",
            "scenarios/r5.toml:6:12",
            "new_plants.b.capacity must be a number of vehicles from 0 to 100,000,000",
            "scenarios/r5.toml:12:12",
            "programmes.p.peak must be a number of vehicles from 0 to 100,000,000",
            "scenarios/r5.toml:17:8",
        ],
    );
}

#[test]
fn the_high_end_of_a_range_is_checked() {
    // M3: the central run was finite, the draws were NaN.
    let toml = "description = \"wide\"\n[assumptions]\nother_growth = { low = 0, mode = 0, high = 1e300 }\n";
    let p = Project::new().scenario("wide", toml);
    let err = p.fails(&["run", "wide", "--no-charts", "--draws", "100"]);
    has(
        &err,
        &[
            "assumptions.other_growth must be an annual rate above -1 and at most 1",
            "scenarios/wide.toml:3:16",
        ],
    );
    // The low end too.
    let toml =
        "description = \"low\"\n[plants.alpha]\ncapacity = { low = -5, mode = 10, high = 20 }\n";
    let p = Project::new().scenario("low", toml);
    let err = p.fails(&["validate", "low"]);
    has(
        &err,
        &["plants.alpha.capacity must be a number of vehicles from 0 to 100,000,000, not -5"],
    );
}

#[test]
fn extreme_but_valid_values_still_finish_with_finite_numbers_and_charts() {
    // The largest growth allowed, to the last year allowed: huge but finite, and every chart
    // (the bridge's value axis once drew millions of ticks) is drawn.
    let toml = "description = \"wild\"\n[horizon]\nend_year = 2100\n\
        [assumptions]\nother_growth = { low = 0, mode = 0.5, high = 1 }\n";
    let p = Project::new().scenario("wild", toml);
    p.stdout(&["run", "wild", "--draws", "200", "--format", "svg"]);
    let national = p.read("output/wild/national.csv");
    assert!(
        !national.contains("inf") && !national.contains("NaN"),
        "{national}"
    );
    p.stdout(&["report", "wild", "--draws", "200"]);
}

#[test]
fn absurd_targets_and_check_bounds_are_refused() {
    // S7.
    for (volume, shown) in [("1e308", "1e308"), ("1e-300", "1e-300"), ("0.5", "0.5")] {
        let toml = format!("description = \"t\"\n[target]\nvolume = {volume}\n");
        let p = Project::new().scenario("t", &toml);
        let err = p.fails(&["validate", "t"]);
        has(
            &err,
            &[
                &format!(
                    "target.volume must be a number of vehicles from 1 to 100,000,000, not {shown}"
                ),
                "scenarios/t.toml:3:10",
            ],
        );
    }
    for bound in [
        "{ min = nan }",
        "{ max = -inf }",
        "{ min = inf, max = nan }",
        "{ min = -1 }",
    ] {
        let toml = format!("description = \"c\"\n[[checks]]\nyear = 2030\ntotal = {bound}\n");
        let p = Project::new().scenario("c", &toml);
        let err = p.fails(&["validate", "c"]);
        has(
            &err,
            &[
                "checks.0.total bounds must be numbers from 0 to 100,000,000, not",
                "scenarios/c.toml:4:9",
            ],
        );
    }
}

#[test]
fn history_years_outside_1900_to_2100_are_located_data_errors() {
    // M5: these years made `run` allocate until the machine ran out of memory.
    let (history, outputs) = history_to(-2_147_483_633);
    let p = Project::new()
        .scenario("flat", FLAT)
        .data("history.csv", &history)
        .data("plant_output.csv", &outputs);
    let err = p.fails(&["run", "flat", "--no-charts"]);
    has(
        &err,
        &[
            "data/history.csv:2: column `year`: year -2147483648 is not a plausible year: it must be from 1900 to 2100",
            "data/plant_output.csv:2: column `year`: year -2147483633 is not a plausible year",
        ],
    );
    let (history, outputs) = history_to(2_147_483_647);
    let p = Project::new()
        .scenario("flat", FLAT)
        .data("history.csv", &history)
        .data("plant_output.csv", &outputs);
    let err = p.fails(&["validate"]);
    has(
        &err,
        &["data/history.csv:17: column `year`: year 2147483647 is not a plausible year"],
    );
}

#[test]
fn a_default_end_year_before_the_base_year_is_an_error_that_says_default() {
    // M4: base year 2040 and the default end year 2035 panicked in the makers chart.
    let (history, outputs) = history_to(2040);
    let p = Project::new()
        .scenario("empty", "")
        .data("history.csv", &history)
        .data("plant_output.csv", &outputs);
    let err = p.fails(&["run", "empty"]);
    has(
        &err,
        &[
            "horizon.end_year is not set, and its default 2035 is not after the data's base year 2040: set `end_year` under [horizon] to a year from 2041 to 2100",
            "target.year is not set, and its default 2035 is not after the data's base year 2040: set `year` under [target] to a year from 2041 to 2100",
        ],
    );
    // The base year equal to the default: nothing to project either.
    let (history, outputs) = history_to(2035);
    let p = Project::new()
        .scenario("empty", "")
        .data("history.csv", &history)
        .data("plant_output.csv", &outputs);
    has(
        &p.fails(&["validate", "empty"]),
        &["its default 2035 is not after the data's base year 2035"],
    );
    // Stated years after the base year are fine.
    let p = Project::new()
        .scenario(
            "later",
            "[horizon]\nend_year = 2045\n[target]\nyear = 2045\n",
        )
        .data("history.csv", &history_to(2040).0)
        .data("plant_output.csv", &history_to(2040).1);
    p.stdout(&["run", "later", "--no-charts"]);
}

#[test]
fn a_history_row_that_overflows_u64_is_refused() {
    // S6: cars + commercial vehicles wrapped round to the total.
    let fixture = std::fs::read_to_string(
        std::path::Path::new(crate::common::FIXTURE_DATA).join("history.csv"),
    )
    .expect("fixture");
    let history = fixture.replace(
        "2025,500000,50000,550000,Fixture",
        "2025,18446744073709551615,47344,47343,Fixture",
    );
    let p = Project::new()
        .scenario("flat", FLAT)
        .data("history.csv", &history);
    let err = p.fails(&["run", "flat", "--no-charts"]);
    has(
        &err,
        &[
            "data/history.csv:19: column `cars`: cars 18446744073709551615 is more than any plausible figure: it must be from 0 to 100000000",
            "data/history.csv:19: column `total`: total 47343 is not cars + commercial_vehicles (18446744073709551615 + 47344 is too large to add up)",
        ],
    );
}

#[test]
fn control_characters_in_scenario_text_are_located_errors() {
    // S5: escapes rewrote the terminal and made the SVG invalid XML.
    let toml = "description = \"ok \\u001b[31mRED\\u001b[0m\"\n";
    let p = Project::new().scenario("ctl", toml);
    let err = p.fails(&["run", "ctl", "--no-charts"]);
    has(
        &err,
        &[
            "description has a control character (U+001B) at character 4: only printable text, tabs and newlines are allowed",
            "scenarios/ctl.toml:1:15",
        ],
    );
    // A NUL in a new plant's name, a carriage return in a label, DEL in a maker.
    let toml = "description = \"n\"\n[new_plants.x]\nname = \"a\\u0000b\"\noperator = \"X\"\nsegment = \"car\"\ncapacity = 1000\nopens = 2027\n\
        [programmes.p]\nplant = \"x\"\nstart = 2027\npeak = 10\nlabel = \"a\\rb\"\nmaker = \"M\\u007f\"\n";
    let p = Project::new().scenario("nul", toml);
    let err = p.fails(&["validate", "nul"]);
    has(
        &err,
        &[
            "new_plants.x.name has a control character (U+0000) at character 2",
            "scenarios/nul.toml:3:8",
            "programmes.p.label has a control character (U+000D) at character 2",
            "programmes.p.maker has a control character (U+007F) at character 2",
        ],
    );
    // A multi-line description in a file saved with CRLF line endings is fine; a bare CR is not.
    let p = Project::new()
        .scenario("crlf", "description = \"\"\"two\r\nlines\"\"\"\r\n")
        .scenario("cr", "description = \"a\\rb\"\n");
    p.stdout(&["validate", "crlf"]);
    has(
        &p.fails(&["validate", "cr"]),
        &["description has a control character (U+000D) at character 2"],
    );
    // And in a --set value.
    let p = Project::new().scenario("flat", FLAT);
    let err = p.fails(&["run", "flat", "--no-charts", "--set", "description=a\u{7}b"]);
    has(
        &err,
        &["description has a control character (U+0007) at character 2"],
    );
}

#[test]
fn long_scenario_text_is_refused_with_its_limit() {
    let toml = format!("description = \"{}\"\n", "word ".repeat(801));
    let p = Project::new().scenario("long", &toml);
    has(
        &p.fails(&["validate", "long"]),
        &[
            "description has 4005 characters; at most 4000 are allowed",
            "scenarios/long.toml:1:15",
        ],
    );
    let toml = format!(
        "description = \"x\"\n[programmes.p]\nplant = \"alpha\"\nstart = 2027\npeak = 10\nmaker = \"{}\"\n",
        "M".repeat(201)
    );
    let p = Project::new().scenario("maker", &toml);
    has(
        &p.fails(&["validate", "maker"]),
        &["programmes.p.maker has 201 characters; at most 200 are allowed"],
    );
}

#[test]
fn control_characters_and_long_text_in_data_are_located_errors() {
    let fixture = std::fs::read_to_string(
        std::path::Path::new(crate::common::FIXTURE_DATA).join("plants.csv"),
    )
    .expect("fixture");
    let plants = fixture
        .replace("Alpha Works", "Alpha\u{1b}]0;pwned\u{7}")
        .replace("Southtown", &"S".repeat(201));
    let p = Project::new()
        .scenario("flat", FLAT)
        .data("plants.csv", &plants);
    let err = p.fails(&["validate"]);
    has(
        &err,
        &[
            "data/plants.csv:2: column `name`: name has a control character (U+001B) at character 6",
            "data/plants.csv:3: column `location`: location has 201 characters; at most 200 are allowed",
        ],
    );
}

#[test]
fn seek_refuses_a_max_or_target_that_is_not_finite_and_positive() {
    // N4: these gave "from 0 to NaN" and a NaN row in seek.csv.
    let p = Project::new().scenario("flat", FLAT);
    for (flag, value) in [
        ("--max", "nan"),
        ("--max", "inf"),
        ("--max", "0"),
        ("--target", "nan"),
        ("--target", "inf"),
        ("--target", "-5"),
        ("--max", "1e999"),
    ] {
        let err = fails_with(
            &p,
            &[
                "seek",
                "flat",
                "--param",
                "assumptions.other_growth",
                &format!("{flag}={value}"),
            ],
            2,
        );
        has(&err, &["must be a finite number above 0, not"]);
    }
    let err = p.fails(&[
        "seek",
        "flat",
        "--param",
        "assumptions.other_growth",
        "--max",
        "5",
    ]);
    has(
        &err,
        &[
            "--max 5 is outside what assumptions.other_growth can be: it must be above -0.5 and at most 1",
        ],
    );
}

#[test]
fn every_year_a_range_can_draw_must_fit_start_before_ends() {
    // N5: the central start fitted, a drawn one did not.
    let toml = "description = \"r\"\n[programmes.p]\nplant = \"alpha\"\npeak = 10\n\
        start = { low = 2026, mode = 2030, high = 2035 }\nends = 2031\n";
    let p = Project::new().scenario("r", &format!("[horizon]\nend_year = 2040\n{toml}"));
    has(
        &p.fails(&["validate", "r"]),
        &[
            "programme `p` can end in 2031, which is not after a start it can draw in 2035",
            "scenarios/r.toml:8:8",
        ],
    );
}

#[test]
fn a_projection_that_is_not_finite_is_an_error_naming_the_number() {
    // Validation keeps every input small enough that this cannot arise; the engine still
    // refuses to pass on a number that is not finite.
    let p = Project::new().scenario("flat", FLAT);
    let data = ukprod::data::load(&p.path("data")).expect("fixture data");
    let library = ukprod::scenario::Library::new(&p.path("scenarios"));
    let scenario = ukprod::scenario::resolve(&library, &data, "flat", &[]).expect("scenario");
    let mut projection = ukprod::engine::project(&data, &scenario);
    assert!(ukprod::engine::ensure_finite(&projection, "the projection").is_ok());
    let last = projection.national.last_mut().expect("a projected year");
    last.total = Some(f64::INFINITY);
    let err = ukprod::engine::ensure_finite(&projection, "the projection").unwrap_err();
    assert_eq!(
        err.to_string(),
        "scenario `flat`: the projection has a number that is not finite: the national total in 2035 is inf; an input is too large for the projection (check the scenario's capacities, peaks and growth rates, and the data)"
    );
}
