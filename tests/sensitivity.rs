//! The expected-value sensitivity (issue 9): with draws, each end's total is the mean of the
//! run's own draws with one input fixed there, around the run's expected total; `--draws 0`
//! keeps the modal case. Numbers worked by hand from the fixture data (base year 2025:
//! 550,000; alpha 200,000 of 300,000; gamma, CVs, 40,000 of 60,000).

use crate::common::{Project, csv_rows, row};
use crate::uncertainty::BET;

/// Two independent items and nothing else uncertain: `a` adds 10,000 at gamma with a
/// one-in-two chance, `b` 20,000 at alpha with a one-in-five chance, both from 2027 at full
/// volume. Neither plant runs out of capacity, so in 2030 the total is 550,000 + 10,000·A +
/// 20,000·B, A and B each 1 if the item happens.
const PAIR: &str = r#"
description = "Two bets"
[horizon]
end_year = 2030
[target]
volume = 800000
year = 2030
[programmes.a]
plant = "gamma"
start = 2027
ramp_years = 0
peak = 10000
probability = 0.5
[programmes.b]
plant = "alpha"
start = 2027
ramp_years = 0
peak = 20000
probability = 0.2
"#;

fn project() -> Project {
    Project::new().scenario("bet", BET).scenario("pair", PAIR)
}

fn number(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s}"))
}

/// The expected total in `year` as `run` writes it (national.csv, column `total`).
fn run_expected(p: &Project, name: &str, year: &str, extra: &[&str]) -> f64 {
    let mut args = vec!["run", name, "--no-charts"];
    args.extend_from_slice(extra);
    p.cmd(&args).assert().success();
    let national = csv_rows(&p.read(&format!("output/{name}/national.csv")));
    let r = row(&national, &[year]);
    assert_eq!(r[1], "expected", "{r:?}");
    number(&r[4])
}

/// sensitivity.csv as (parameter → [low, high, total_at_low, total_at_high, swing, basis]).
fn swings(p: &Project, name: &str) -> Vec<Vec<String>> {
    csv_rows(&p.read(&format!("output/{name}/sensitivity.csv")))
}

fn swing<'a>(rows: &'a [Vec<String>], parameter: &str) -> &'a [String] {
    row(rows, &[parameter])
}

/// "1,126,343" as printed.
fn commas(x: f64) -> String {
    let digits = format!("{:.0}", x);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn one_item_one_range_by_hand() {
    let p = project();
    let centre = run_expected(&p, "bet", "2030", &[]);
    // 2030: 550,000 + peak; the triangular (0, 30,000, 90,000) has mean 40,000 and standard
    // deviation sqrt((0² + 30,000² + 90,000² − 0 − 0 − 30,000 × 90,000) / 18) = 18,708, so
    // 10,000 draws put the mean within 4 × 187 = 750 of 590,000.
    assert!((centre - 590_000.0).abs() < 750.0, "{centre}");
    let out = p.stdout(&["sensitivity", "bet", "--no-charts"]);
    assert!(
        out.contains(&format!(
            "around the expected total {} (mean of 10,000 draws, seed 2035)",
            commas(centre)
        )),
        "{out}"
    );
    let rows = swings(&p, "bet");
    assert_eq!(
        rows[0].last().map(String::as_str),
        Some("expected, mean of 10,000 draws (seed 2035)")
    );
    // The peak fixed: the 2026 shock, the only other input, does nothing in 2030, so every
    // draw gives 550,000 + the end.
    assert_eq!(
        swing(&rows, "programmes.x.peak")[1..6],
        ["0", "90000", "550000", "640000", "90000"]
    );
    // The shock fixed either way leaves 2030 at the mean of the same draws: the centre.
    let shock = swing(&rows, "shocks.0.probability");
    assert_eq!(shock[1..3], ["0", "1"]);
    assert!(
        (number(&shock[3]) - centre).abs() <= 1.0,
        "{shock:?} vs {centre}"
    );
    assert_eq!(shock[3], shock[4]);
    assert_eq!(shock[5], "0");

    // 2026: the shock halves output (26 of 52 weeks) with a one-in-four chance: 275,000 when
    // it happens, 550,000 when not; expected 550,000 − 0.25 × 275,000 = 481,250, within
    // 4 × 275,000 × sqrt(0.25 × 0.75 / 10,000) = 4,763 for 10,000 draws.
    let centre = run_expected(&p, "bet", "2026", &[]);
    assert!((centre - 481_250.0).abs() < 4_763.0, "{centre}");
    let out = p.stdout(&["sensitivity", "bet", "--year", "2026", "--no-charts"]);
    assert!(
        out.contains(&format!("around the expected total {}", commas(centre))),
        "{out}"
    );
    let rows = swings(&p, "bet");
    assert_eq!(
        swing(&rows, "shocks.0.probability")[1..6],
        ["0", "1", "550000", "275000", "275000"]
    );
    // The peak starts in 2027: either end leaves 2026 at the centre.
    let peak = swing(&rows, "programmes.x.peak");
    assert!(
        (number(&peak[3]) - centre).abs() <= 1.0,
        "{peak:?} vs {centre}"
    );
    assert_eq!(peak[3], peak[4]);
}

#[test]
fn two_independent_items_by_hand() {
    let p = project();
    let centre = run_expected(&p, "pair", "2030", &[]);
    // 550,000 + 0.5 × 10,000 + 0.2 × 20,000 = 559,000; the draws' standard deviation is
    // sqrt(0.25 × 10,000² + 0.16 × 20,000²) = 9,434, so within 4 × 94 = 380 for 10,000 draws.
    assert!((centre - 559_000.0).abs() < 380.0, "{centre}");
    let out = p.stdout(&["sensitivity", "pair", "--no-charts"]);
    assert!(
        out.contains(&format!("around the expected total {}", commas(centre))),
        "{out}"
    );
    let rows = swings(&p, "pair");
    let ends = |parameter: &str| {
        let r = swing(&rows, parameter);
        assert_eq!(r[1..3], ["0", "1"], "{r:?}");
        (number(&r[3]), number(&r[4]), number(&r[5]))
    };
    let (a_low, a_high, a_swing) = ends("programmes.a.probability");
    let (b_low, b_high, b_swing) = ends("programmes.b.probability");
    // With common random numbers the other item's draws are the same at both ends, so an
    // item's two ends differ by exactly its own volume.
    assert_eq!((a_swing, b_swing), (10_000.0, 20_000.0));
    assert!((a_high - a_low - 10_000.0).abs() <= 1.0, "{a_low} {a_high}");
    assert!((b_high - b_low - 20_000.0).abs() <= 1.0, "{b_low} {b_high}");
    // Fixing one item leaves the other's expected contribution: a fixed = 550,000 + a's end +
    // 0.2 × 20,000 (4,000, within 4 × 20,000 × sqrt(0.16 / 10,000) = 320); b fixed =
    // 550,000 + b's end + 0.5 × 10,000 (5,000, within 4 × 10,000 × 0.005 = 200).
    assert!((a_low - 554_000.0).abs() < 320.0, "{a_low}");
    assert!((a_high - 564_000.0).abs() < 320.0, "{a_high}");
    assert!((b_low - 555_000.0).abs() < 200.0, "{b_low}");
    assert!((b_high - 575_000.0).abs() < 200.0, "{b_high}");
    // And exactly, over the same draws: a off keeps b's share of 20,000 and b off keeps a's
    // share of 10,000, which together are the centre's additions to 550,000.
    assert!(
        (a_low + b_low - 550_000.0 - centre).abs() <= 2.0,
        "{a_low} + {b_low} − 550,000 vs {centre}"
    );
    // The largest swing first.
    assert_eq!(rows[0][0], "programmes.b.probability");
}

#[test]
fn draws_zero_gives_the_modal_sensitivity() {
    let p = project();
    let out = p.stdout(&["sensitivity", "pair", "--draws", "0", "--no-charts"]);
    // The modal case: both items happen, 580,000.
    assert!(out.contains("from the modal case 580,000"), "{out}");
    assert_eq!(
        p.read("output/pair/sensitivity.csv"),
        "parameter,low,high,total_at_low,total_at_high,swing,basis\n\
         programmes.b.probability,0,1,560000,580000,20000,modal case\n\
         programmes.a.probability,0,1,570000,580000,10000,modal case\n"
    );
    // As `run --draws 0` shows it.
    p.cmd(&["run", "pair", "--draws", "0", "--no-charts"])
        .assert()
        .success();
    let national = csv_rows(&p.read("output/pair/national.csv"));
    assert_eq!(
        row(&national, &["2030"])[1..5],
        ["modal case", "520000", "60000", "580000"]
    );
}

#[test]
fn draws_and_seed_are_those_of_run_and_recorded() {
    let p = project();
    let options = ["--draws", "500", "--seed", "7"];
    let centre = run_expected(&p, "pair", "2030", &options);
    let mut args = vec!["sensitivity", "pair", "--no-charts"];
    args.extend_from_slice(&options);
    let out = p.stdout(&args);
    assert!(
        out.contains(&format!(
            "around the expected total {} (mean of 500 draws, seed 7)",
            commas(centre)
        )),
        "{out}"
    );
    let rows = swings(&p, "pair");
    assert_eq!(rows[0][6], "expected, mean of 500 draws (seed 7)");
    let manifest: serde_json::Value =
        serde_json::from_str(&p.read("output/pair/sensitivity.manifest.json")).expect("json");
    assert_eq!(manifest["draws"], 500);
    assert_eq!(manifest["seed"], 7);
    assert_eq!(
        manifest["command"],
        serde_json::json!([
            "sensitivity",
            "pair",
            "--no-charts",
            "--draws",
            "500",
            "--seed",
            "7"
        ])
    );
    let out = p.stdout(&["rerun", "output/pair/sensitivity.manifest.json"]);
    assert!(
        out.contains("all 1 outputs are identical, byte for byte, to the previous run"),
        "{out}"
    );
    // Another seed, other draws, another centre.
    let other = p.stdout(&["sensitivity", "pair", "--no-charts", "--draws", "500"]);
    assert!(other.contains("(mean of 500 draws, seed 2035)"), "{other}");
}

#[test]
fn same_bytes_whatever_the_threads() {
    let csv = |threads: &str| {
        let p = project();
        p.cmd(&["sensitivity", "bet", "--draws", "3000", "--format", "svg"])
            .env("RAYON_NUM_THREADS", threads)
            .assert()
            .success();
        ["sensitivity.csv", "tornado.svg"].map(|f| p.read(&format!("output/bet/{f}")))
    };
    assert_eq!(csv("1"), csv("3"));
}

/// The texts of an SVG, in order, each trimmed.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let inner = t.split_once('>')?.1;
            Some(inner.split_once("</text>")?.0.trim().to_string())
        })
        .collect()
}

#[test]
fn the_tornado_and_the_report_are_centred_on_the_expected_value() {
    let p = project();
    let centre = run_expected(&p, "bet", "2030", &[]);
    p.cmd(&["sensitivity", "bet", "--format", "svg"])
        .assert()
        .success();
    let texts = svg_texts(&p.read("output/bet/tornado.svg"));
    let short = format!("{:.2}m", centre / 1e6);
    // The key names the centre line; the subtitle (wrapped) says what centre and bars are.
    assert!(texts.contains(&format!("Expected {short}")), "{texts:?}");
    let all = texts.join(" ");
    assert!(
        all.contains(&format!(
            "Expected 2030 output {short} (mean of 10,000 draws); each bar: the expected output with that input fixed at the low or high end of its range"
        )),
        "{all}"
    );
    assert!(!all.contains("odal case"), "{all}");
    // The report's tornado and table use the same draws.
    p.cmd(&["report", "bet"]).assert().success();
    let md = p.read("output/report-bet/report.md");
    assert!(
        md.contains("the mean of the same 10,000 draws (seed 2035) as the figures above"),
        "{md}"
    );
    assert!(
        md.contains("| x: peak | 0 | 90,000 | 550,000 | 640,000 |"),
        "{md}"
    );
    let html = svg_texts(&p.read("output/report-bet/index.html"));
    assert!(html.contains(&format!("Expected {short}")), "{html:?}");
    assert!(
        !html.iter().any(|t| t.starts_with("Modal case")),
        "{html:?}"
    );
}
