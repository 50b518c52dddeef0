//! Rule 3 as filed: a programme that starts before its new plant opens, or runs on at a plant
//! that has closed, is valid (the plant has no capacity then) and the run goes on, with a
//! warning that names the programme, the years and where the dates are set.

use crate::common::{Project, csv_rows, row};

/// Fixture data plus a new plant `d` (5,000 a year from 2029) and programme `x` there from
/// 2027 at 3,000 a year at once. Line 9 is `opens = 2029`, line 12 `start = 2027`.
const EARLY: &str = "description = \"early\"\n[horizon]\nend_year = 2030\n\
[new_plants.d]\nname = \"D\"\noperator = \"D\"\nsegment = \"car\"\ncapacity = 5000\nopens = 2029\n\
[programmes.x]\nplant = \"d\"\nstart = 2027\npeak = 3000\nramp_years = 0\n";

/// Programme `v` at gamma from 2026 (1,000 at peak, 3-year ramp); gamma closes in 2028.
/// Line 4 is `closes = 2028`, line 6 `plant = "gamma"`.
const LATE: &str = "description = \"late\"\n[horizon]\nend_year = 2030\n[plants.gamma]\ncloses = 2028\n\
[programmes.v]\nplant = \"gamma\"\nstart = 2026\npeak = 1000\n";

fn run(p: &Project, args: &[&str]) -> (String, String) {
    let out = p.cmd(args).assert().success().get_output().clone();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// plants.csv: year,plant_id,plant,operator,segment,demand,capacity,output,utilisation,constrained
fn plant_row(p: &Project, scenario: &str, year: &str, id: &str) -> Vec<String> {
    let rows = csv_rows(&p.read(&format!("output/{scenario}/plants.csv")));
    row(&rows, &[year, id]).to_vec()
}

fn total(p: &Project, scenario: &str, year: &str) -> String {
    let rows = csv_rows(&p.read(&format!("output/{scenario}/national.csv")));
    row(&rows, &[year])[4].clone()
}

#[test]
fn a_programme_before_its_plant_opens_runs_with_a_warning() {
    let p = Project::new().scenario("early", EARLY);
    let (stdout, stderr) = run(&p, &["run", "early", "--no-charts"]);
    assert!(
        stderr.contains(
            "warning: programme `x` starts in 2027, before plant `d` opens in 2029 (set at scenarios/early.toml:9:9): the plant has no capacity in 2027-2028"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--> scenarios/early.toml:12:9"), "{stderr}");
    assert!(
        stderr.contains("help: if that is not what you meant, start it in 2029 or later"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("warning:").count(), 1, "{stderr}");
    assert!(
        stdout.contains("2030 projected:        553,000"),
        "{stdout}"
    );
    // Before it opens the plant has no capacity: all 3,000 of demand is constrained.
    let cells = |year| plant_row(&p, "early", year, "d")[5..].to_vec();
    assert_eq!(cells("2027"), ["3000", "0", "0", "", "3000"]);
    assert_eq!(cells("2028"), ["3000", "0", "0", "", "3000"]);
    assert_eq!(cells("2029"), ["3000", "5000", "3000", "0.6000", "0"]);
    assert_eq!(total(&p, "early", "2028"), "550000");
    assert_eq!(total(&p, "early", "2029"), "553000");
}

#[test]
fn a_programme_at_a_closed_plant_runs_with_a_warning() {
    let p = Project::new().scenario("late", LATE);
    let (_, stderr) = run(&p, &["run", "late", "--no-charts"]);
    assert!(
        stderr.contains(
            "warning: programme `v` runs at plant `gamma`, which closes in 2028 (set at scenarios/late.toml:5:10): it makes nothing in 2028-2030"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--> scenarios/late.toml:7:9"), "{stderr}");
    assert!(
        stderr.contains("`ends = 2028` in [programmes.v]"),
        "{stderr}"
    );
    // 2027: 40,000 existing + 1,000 × 2/3 of the ramp; from 2028 the plant and the
    // programme make nothing: the plant's own production ends with it, and the programme's
    // full 1,000 (third year of its ramp) is demand it cannot meet.
    assert_eq!(plant_row(&p, "late", "2027", "gamma")[7], "40667");
    assert_eq!(
        plant_row(&p, "late", "2028", "gamma")[5..],
        ["1000", "0", "0", "", "1000"]
    );
    assert_eq!(total(&p, "late", "2028"), "510000");
    // Saying so with `ends` silences it, and changes nothing.
    let p = Project::new().scenario("late", &format!("{LATE}ends = 2028\n"));
    let (_, stderr) = run(&p, &["run", "late", "--no-charts"]);
    assert!(!stderr.contains("warning"), "{stderr}");
    assert_eq!(total(&p, "late", "2028"), "510000");
}

#[test]
fn validate_names_the_warnings_and_passes() {
    let p = Project::new()
        .scenario("early", EARLY)
        .scenario("late", LATE);
    let (stdout, stderr) = run(&p, &["validate"]);
    assert!(
        stdout.contains("scenario early: ok, with 1 warning\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("scenario late: ok, with 1 warning\n"),
        "{stdout}"
    );
    assert!(stderr.contains("programme `x` starts in 2027"), "{stderr}");
    assert!(
        stderr.contains("programme `v` runs at plant `gamma`"),
        "{stderr}"
    );
}

#[test]
fn a_set_that_moves_the_plant_date_warns_and_never_fails() {
    // Programme and plant both start in 2029: no warning until --set opens the plant later.
    let fits = EARLY.replace("start = 2027", "start = 2029");
    let p = Project::new().scenario("early", &fits);
    let (_, stderr) = run(&p, &["run", "early", "--no-charts"]);
    assert!(!stderr.contains("warning"), "{stderr}");
    let (_, stderr) = run(
        &p,
        &[
            "run",
            "early",
            "--no-charts",
            "--set",
            "new_plants.d.opens=2030",
            "--as",
            "early-2030",
        ],
    );
    assert!(
        stderr.contains(
            "programme `x` starts in 2029, before plant `d` opens in 2030 (set by --set new_plants.d.opens=2030): the plant has no capacity in 2029,"
        ),
        "{stderr}"
    );
    assert_eq!(
        plant_row(&p, "early-2030", "2029", "d")[5..].to_vec(),
        ["3000", "0", "0", "", "3000"]
    );
    // Closing a plant under a running programme from the command line, likewise.
    let p = Project::new().scenario(
        "late",
        "description = \"late\"\n[horizon]\nend_year = 2030\n[programmes.v]\nplant = \"gamma\"\nstart = 2026\npeak = 1000\n",
    );
    let (_, stderr) = run(
        &p,
        &[
            "run",
            "late",
            "--no-charts",
            "--set",
            "plants.gamma.closes=2030",
        ],
    );
    assert!(
        stderr.contains(
            "which closes in 2030 (set by --set plants.gamma.closes=2030): it makes nothing in 2030,"
        ),
        "{stderr}"
    );
}

#[test]
fn drawn_plant_dates_never_fail_a_run() {
    // The plant opens 2027-2030 (most likely 2028); the programme starts 2028. Drawn
    // openings after 2028 leave the programme without capacity for a year or two.
    let toml = EARLY
        .replace(
            "opens = 2029",
            "opens = { low = 2027, mode = 2028, high = 2030 }",
        )
        .replace("start = 2027", "start = 2028");
    let p = Project::new().scenario("early", &toml);
    let (stdout, stderr) = run(&p, &["run", "early", "--no-charts", "--draws", "200"]);
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(stdout.contains("of 200 draws (seed 2035)"), "{stdout}");
    assert!(p.path("output/early/national_mc.csv").exists());
    // At the high end the plant opens in 2030: 2029 loses the programme's 3,000.
    let (stdout, _) = run(
        &p,
        &["sensitivity", "early", "--year", "2029", "--no-charts"],
    );
    assert!(stdout.contains("new_plants.d.opens"), "{stdout}");
    let rows = csv_rows(&p.read("output/early/sensitivity.csv"));
    assert_eq!(
        row(&rows, &["new_plants.d.opens"])[1..5],
        ["2027", "2030", "553000", "550000"]
    );
}

#[test]
fn each_warning_is_shown_once_per_command() {
    let p = Project::new().scenario("early", EARLY);
    let (_, stderr) = run(&p, &["compare", "early", "early", "--no-charts"]);
    assert_eq!(stderr.matches("warning:").count(), 1, "{stderr}");
    let (_, stderr) = run(&p, &["check", "early"]);
    assert_eq!(stderr.matches("warning:").count(), 1, "{stderr}");
}
