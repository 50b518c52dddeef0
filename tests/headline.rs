//! One figure, one meaning: an uncertain scenario's headline figures are the expected values
//! (means of the draws) in every output, labelled as such; `--draws 0` gives the modal case,
//! labelled too; checks test the expected value, a percentile or the chance of the target.
//! Figures are worked out by hand from the fixture data (base year 2025: total 550,000;
//! alpha 200,000 of 300,000 capacity).

use crate::common::{Project, csv_rows, row};

// `BET` (from the uncertainty tests): a programme at alpha whose peak is triangular
// (0, 30,000, 90,000): mean 40,000, mode 30,000; and a half-year shock in 2026 with a
// one-in-four chance: expected loss 1/8. End year and target year 2030, target 800,000.
use crate::uncertainty::BET;

fn bet(checks: &str) -> Project {
    Project::new().scenario("bet", &format!("{BET}{checks}"))
}

fn number(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s}"))
}

/// national.csv columns: year,source,cars,commercial_vehicles,total,target_path,gap
fn total(p: &Project, folder: &str, year: &str) -> f64 {
    let national = csv_rows(&p.read(&format!("output/{folder}/national.csv")));
    number(&row(&national, &[year])[4])
}

#[test]
fn uncertain_runs_show_expected_values_everywhere() {
    let p = bet("");
    let out = p.stdout(&["run", "bet"]);
    // 2030: 550,000 + the mean peak (0 + 30,000 + 90,000) / 3 = 590,000. The draws' standard
    // deviation is 18,708 (triangular), so the mean of 10,000 draws is within 190 of it at 1 s.e.
    let t2030 = total(&p, "bet", "2030");
    assert!((t2030 - 590_000.0).abs() < 1_000.0, "{t2030}");
    let national = csv_rows(&p.read("output/bet/national.csv"));
    assert_eq!(row(&national, &["2030"])[1], "expected");
    assert_eq!(row(&national, &["2025"])[1], "actual");
    // 2026: 550,000 × (1 − 0.25 × 26/52) = 481,250; one draw is 275,000 or 550,000 (s.e. 1,191).
    let t2026 = total(&p, "bet", "2026");
    assert!((t2026 - 481_250.0).abs() < 5_000.0, "{t2026}");
    // Plants and components hold means too, and parts still add up to the whole.
    let plants = csv_rows(&p.read("output/bet/plants.csv"));
    let alpha = number(&row(&plants, &["2030", "alpha"])[7]);
    assert!((alpha - 240_000.0).abs() < 1_000.0, "{alpha}");
    let components = csv_rows(&p.read("output/bet/components.csv"));
    let sum: f64 = components
        .iter()
        .filter(|r| r[0] == "2030")
        .map(|r| number(r.last().unwrap()))
        .sum();
    assert!((sum - t2030).abs() <= 3.0, "{sum} vs {t2030}");
    // The headline lies inside the draws' P5-P95, and national_mc.csv's mean is the same figure.
    let mc = csv_rows(&p.read("output/bet/national_mc.csv"));
    let r = row(&mc, &["2030"]);
    assert_eq!(number(&r[1]), t2030);
    assert!(number(&r[2]) <= t2030 && t2030 <= number(&r[8]), "{r:?}");
    // The summary says what the figures are and shows the same number.
    assert!(
        out.contains("Expected values: the mean of 10,000 Monte Carlo draws"),
        "{out}"
    );
    let shown = format!("{t2030:.0}");
    let with_commas = format!("{},{}", &shown[..3], &shown[3..]);
    assert!(
        out.contains(&format!("2030 expected:         {with_commas}")),
        "{out}"
    );
    // Every chart says so; the fan chart has no "central" line outside its bands.
    for chart in ["path", "makers", "bridge", "plants", "fan"] {
        let svg = p.read(&format!("output/bet/{chart}.svg"));
        assert!(
            svg.contains("Expected values: the mean of 10,000 Monte Carlo draws"),
            "{chart}"
        );
    }
    let fan = p.read("output/bet/fan.svg");
    assert!(!fan.contains("Central projection"));
    assert!(fan.contains("Mean of draws (expected value)"));
    assert!(p.read("output/bet/path.svg").contains("Total, expected"));
}

#[test]
fn draws_zero_gives_the_labelled_modal_case() {
    let p = bet("");
    let out = p.stdout(&["run", "bet", "--draws", "0"]);
    // Every item happens at its mode: 550,000 + 30,000; the shock halves 2026.
    assert_eq!(total(&p, "bet", "2030"), 580_000.0);
    assert_eq!(total(&p, "bet", "2026"), 275_000.0);
    let national = csv_rows(&p.read("output/bet/national.csv"));
    assert_eq!(row(&national, &["2030"])[1], "modal case");
    assert!(
        out.contains("Modal case: if every uncertain item happens, at its most likely value"),
        "{out}"
    );
    assert!(out.contains("2030 modal case:       580,000"), "{out}");
    let svg = p.read("output/bet/path.svg");
    assert!(svg.contains("Modal case: if every uncertain item happens"));
    assert!(svg.contains("Total, modal case"));
}

#[test]
fn a_scenario_without_ranges_is_labelled_projected_and_says_draws_do_nothing() {
    let p = Project::new().scenario(
        "flat",
        "description = \"flat\"\n[horizon]\nend_year = 2030\n",
    );
    let out = p
        .cmd(&["run", "flat", "--draws", "1000", "--no-charts"])
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("2030 projected:        550,000"),
        "{stdout}"
    );
    assert!(!stdout.contains("Expected values"), "{stdout}");
    assert!(
        stderr.contains("has no ranges or probabilities, so --draws has nothing to draw"),
        "{stderr}"
    );
}

#[test]
fn checks_test_the_expected_value_a_percentile_or_the_chance() {
    // P10 of the 2030 total: the peak's P10 solves x² / (90,000 × 30,000) = 0.1, x = 16,432,
    // so 566,432. The target path in 2030 is 800,000, which no draw reaches.
    let p = bet("[[checks]]\nyear = 2030\ntotal = { min = 585000 }\n\
         [[checks]]\nyear = 2030\nstatistic = \"p10\"\ntotal = { min = 560000, max = 570000 }\n\
         [[checks]]\nyear = 2030\nchance_of_target = { min = 0.25 }\n");
    let out = p.stdout(&["run", "bet", "--no-charts"]);
    assert!(
        out.contains("check: 2030 total (expected, mean of 10,000 draws) at least 585,000: passed"),
        "{out}"
    );
    let p10 = out
        .lines()
        .find(|l| l.contains("(P10 of 10,000 draws) between 560,000 and 570,000: passed"))
        .unwrap_or_else(|| panic!("{out}"));
    let value: f64 = p10
        .rsplit('(')
        .next()
        .unwrap()
        .trim_end_matches(')')
        .replace(',', "")
        .parse()
        .unwrap();
    assert!((value - 566_432.0).abs() < 1_500.0, "{value}");
    assert!(
        out.contains(
            "check: 2030 chance of being on the target path (share of 10,000 draws) at least 25.0%: FAILED (0.0%)"
        ),
        "{out}"
    );
    let err = p.fails(&["check", "bet"]);
    assert!(err.contains("1 of 3 checks failed"), "{err}");
    // The modal case is not what the checks are about: they are not tested on it.
    let out = p.stdout(&["run", "bet", "--no-charts", "--draws", "0"]);
    assert!(!out.contains("check:"), "{out}");
    assert!(
        out.contains("checks not tested: they are about the expected values, and --draws 0 shows the modal case"),
        "{out}"
    );
}

#[test]
fn bad_check_statistics_and_chances_are_located() {
    let p = bet("[[checks]]\nyear = 2030\nstatistic = \"p11\"\ntotal = { min = 1 }\n");
    let err = p.fails(&["validate", "bet"]);
    assert!(err.contains("bet.toml:19:13"), "{err}");
    assert!(err.contains("`p11` is not a statistic"), "{err}");
    assert!(err.contains("did you mean `p10`?"), "{err}");
    let p = bet("[[checks]]\nyear = 2030\nchance_of_target = { min = 1.5 }\n");
    let err = p.fails(&["validate", "bet"]);
    assert!(err.contains("bet.toml:19:"), "{err}");
    assert!(err.contains("a chance is between 0 and 1"), "{err}");
    let p = bet("[[checks]]\nyear = 2030\nstatistic = \"p90\"\nmakers = { Alpha = { min = 1 } }\n");
    let err = p.fails(&["validate", "bet"]);
    assert!(
        err.contains("percentiles are drawn for the national total only"),
        "{err}"
    );
}

#[test]
fn compare_runs_draws_by_default_and_prints_what_its_chart_draws() {
    let p = bet("").scenario(
        "flat",
        "description = \"flat\"\n[horizon]\nend_year = 2030\n[target]\nvolume = 800000\nyear = 2030\n",
    );
    let out = p.stdout(&["compare", "bet", "flat", "--no-charts"]);
    let cells = |label: &str| -> String {
        out.lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("{label}: {out}"))[label.len()..]
            .trim()
            .to_string()
    };
    assert!(
        cells("figures").starts_with("expected (10,000 draws)"),
        "{out}"
    );
    assert!(cells("figures").ends_with("projected"), "{out}");
    // The same expected total as `run` writes, and the spread beside it.
    let expected = cells("end-year total");
    let first = expected.split_whitespace().next().unwrap().replace(',', "");
    assert!((number(&first) - 590_000.0).abs() < 1_000.0, "{out}");
    assert!(cells("P5 to P95").ends_with('-'), "{out}");
    assert!(
        cells("chance on target path").starts_with("0.0% (2030)"),
        "{out}"
    );
    let manifest = p.read("output/compare-bet-flat/manifest.json");
    assert!(manifest.contains("\"draws\": 10000"), "{manifest}");
    // diff compares the same expected figures, and says so.
    let out = p.stdout(&["diff", "bet", "flat"]);
    assert!(
        out.contains("(2030; bet: expected, mean of 10,000 draws, flat: projected)"),
        "{out}"
    );
}

#[test]
fn compare_says_when_on_the_path_when_a_scenario_falls_back_below_the_path() {
    // A 20,000 programme in 2026 only: on the 560,000 path that year, 50,000 short in 2030.
    let p = Project::new()
        .scenario(
            "flat",
            "description = \"flat\"\n[horizon]\nend_year = 2030\n[target]\nvolume = 600000\nyear = 2030\n",
        )
        .scenario(
            "blip",
            "extends = \"flat\"\n[programmes.x]\nplant = \"alpha\"\nstart = 2026\npeak = 20000\nramp_years = 0\nends = 2027\n",
        );
    let out = p.stdout(&["compare", "flat", "blip", "--no-charts"]);
    let line = out
        .lines()
        .find(|l| l.starts_with("on the target path"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("never"), "{line}");
    assert!(
        line.contains("in 2026 only; 50,000 below in 2030"),
        "{line}"
    );
}

#[test]
fn the_fan_and_the_tornado_label_the_expected_value_and_seek_says_modal() {
    let p = bet("");
    p.stdout(&["run", "bet"]);
    let t2030 = total(&p, "bet", "2030");
    // The fan's end label is the expected total, in the charts' form for totals (0.59m).
    let fan = p.read("output/bet/fan.svg");
    let label = format!("Expected {:.2}m", t2030 / 1e6);
    assert!(fan.contains(&label), "{label}");
    // The tornado swings from the expected total, and says so; with --draws 0 from the
    // modal case (580,000), and says that.
    p.stdout(&["sensitivity", "bet"]);
    let tornado = p.read("output/bet/tornado.svg");
    let label = format!("Expected {:.2}m", t2030 / 1e6);
    assert!(tornado.contains(&label), "{label}");
    assert!(tornado.contains("Expected 2030 output"));
    p.stdout(&["sensitivity", "bet", "--draws", "0"]);
    let tornado = p.read("output/bet/tornado.svg");
    assert!(tornado.contains("the others as in the modal case"));
    assert!(tornado.contains("Modal case 0.58m"));
    p.stdout(&[
        "seek",
        "bet",
        "--param",
        "programmes.x.peak",
        "--target",
        "600000",
    ]);
    let seek = p.read("output/bet/seek.json");
    assert!(seek.contains("\"basis\": \"modal case\""), "{seek}");
    // compare.csv names the expected column as such.
    p.stdout(&[
        "compare",
        "bet",
        "bet",
        "--set",
        "2:programmes.x.peak=0",
        "--no-charts",
    ]);
    let dir = std::fs::read_dir(p.path("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("compare-bet-bet+"))
        .unwrap();
    let csv = p.read(&format!("output/{dir}/compare.csv"));
    let header = csv.lines().next().unwrap();
    assert!(
        header.starts_with("year,bet_expected,bet_p5,bet_p95,bet+"),
        "{header}"
    );
}

#[test]
fn a_plant_that_may_not_be_built_holds_nothing_back_in_the_draws_where_it_is_not() {
    // New plant d (5,000 a year from 2027) is built with a one-in-four chance; programme x
    // there makes 3,000 a year, well within capacity. Where d is not built, x does not
    // happen either, so nothing is held back by capacity in any draw.
    let p = Project::new().scenario(
        "maybe",
        "description = \"maybe\"\n[horizon]\nend_year = 2030\n\
         [new_plants.d]\nname = \"D\"\noperator = \"D\"\nsegment = \"car\"\ncapacity = 5000\nopens = 2027\nprobability = 0.25\n\
         [programmes.x]\nplant = \"d\"\nstart = 2027\npeak = 3000\nramp_years = 0\n",
    );
    let out = p.stdout(&["run", "maybe", "--no-charts"]);
    assert!(!out.contains("capacity holds back"), "{out}");
    let plants = csv_rows(&p.read("output/maybe/plants.csv"));
    let d = row(&plants, &["2030", "d"]);
    // Expected: a quarter of 3,000 made and of 5,000 capacity (s.e. 0.43% of the draws).
    assert!((number(&d[7]) - 750.0).abs() < 50.0, "{d:?}");
    assert!((number(&d[6]) - 1_250.0).abs() < 80.0, "{d:?}");
    assert_eq!(d[9], "0", "{d:?}");
}
