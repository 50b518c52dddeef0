//! Ranges, probabilities, Monte Carlo, sensitivity and goal seek, against numbers worked out
//! by hand from the fixture data (base year 2025: total 550,000; alpha 200,000 of 300,000).

use crate::common::{Project, csv_rows, row};

/// A programme at alpha whose peak is triangular (0, 30,000, 90,000), and a half-year
/// shock in 2026 with a one-in-four chance.
pub const BET: &str = r#"
description = "A bet on alpha"
[horizon]
end_year = 2030
[target]
volume = 800000
year = 2030
[programmes.x]
plant = "alpha"
start = 2027
ramp_years = 0
peak = { low = 0, mode = 30000, high = 90000 }
[[shocks]]
year = 2026
lost_weeks = 26
probability = 0.25
"#;

fn project() -> Project {
    Project::new().scenario("bet", BET)
}

#[test]
fn central_run_uses_the_mode_and_every_item() {
    let p = project();
    let out = p.stdout(&["run", "bet", "--draws", "0"]);
    let national = csv_rows(&p.read("output/bet/national.csv"));
    // 2026: the shock counts in the central run, whatever its probability: 550,000 × 26/52.
    assert_eq!(row(&national, &["2026"])[4], "275000");
    // 2030: 550,000 + the mode 30,000.
    assert_eq!(row(&national, &["2030"])[4], "580000");
    assert!(
        !p.path("output/bet/national_mc.csv").exists(),
        "--draws 0 turns draws off"
    );
    assert!(!out.contains("chance"), "{out}");
}

#[test]
fn draws_default_to_ten_thousand_and_match_the_distributions() {
    let p = project();
    let out = p.stdout(&["run", "bet", "--no-charts"]);
    assert!(out.contains("of 10,000 draws (seed 2035)"), "{out}");
    let p = project();
    p.cmd(&[
        "run",
        "bet",
        "--draws",
        "20000",
        "--seed",
        "7",
        "--no-charts",
    ])
    .assert()
    .success();
    let bands = csv_rows(&p.read("output/bet/national_mc.csv"));
    assert_eq!(
        p.read("output/bet/national_mc.csv").lines().next().unwrap(),
        "year,mean,p5,p10,p25,p50,p75,p90,p95"
    );
    let number = |s: &str| s.parse::<f64>().unwrap();
    // 2030: 550,000 + peak; the triangular mean is (0 + 30,000 + 90,000) / 3 = 40,000.
    let y2030 = row(&bands, &["2030"]);
    assert!((number(&y2030[1]) - 590_000.0).abs() < 600.0, "{y2030:?}");
    // Median: above the mode, where (90,000 − m)² = 0.5 × 90,000 × 60,000 → m = 90,000 − 51,961.5
    assert!(
        (number(&y2030[5]) - (550_000.0 + 38_038.5)).abs() < 800.0,
        "{y2030:?}"
    );
    // 2026: the shock halves output with probability 0.25: mean 550,000 − 0.25 × 275,000.
    let y2026 = row(&bands, &["2026"]);
    assert!((number(&y2026[1]) - 481_250.0).abs() < 3_000.0, "{y2026:?}");
    assert_eq!(y2026[2], "275000", "P5 of 2026 is a shocked draw");
    assert_eq!(y2026[5], "550000", "the median draw escapes the shock");
}

#[test]
fn target_probability_counts_draws_on_the_path() {
    let p = project();
    p.cmd(&[
        "run",
        "bet",
        "--draws",
        "20000",
        "--no-charts",
        "--set",
        "target.volume=560000",
        "--as",
        "bet-560k",
    ])
    .assert()
    .success();
    let probability = csv_rows(&p.read("output/bet-560k/target_probability.csv"));
    // Path in 2030 is 560,000: reached when the peak is at least 10,000.
    // P(peak ≥ 10,000) = 1 − 10,000² / (90,000 × 30,000) = 0.96296.
    let p2030: f64 = row(&probability, &["2030"])[1].parse().unwrap();
    assert!((p2030 - 0.96296).abs() < 0.01, "{p2030}");
    // 2026: the path is 552,000 and the most any draw reaches is 550,000.
    assert_eq!(row(&probability, &["2026"])[1], "0.0000");
}

#[test]
fn same_seed_same_bytes_whatever_the_threads() {
    let outputs = |threads: &str| {
        let p = project();
        p.cmd(&[
            "run", "bet", "--draws", "5000", "--seed", "11", "--format", "svg",
        ])
        .env("RAYON_NUM_THREADS", threads)
        .assert()
        .success();
        ["national_mc.csv", "target_probability.csv", "fan.svg"]
            .map(|f| p.read(&format!("output/bet/{f}")))
    };
    assert_eq!(outputs("1"), outputs("4"));
    let p = project();
    p.cmd(&[
        "run",
        "bet",
        "--draws",
        "5000",
        "--seed",
        "12",
        "--no-charts",
    ])
    .assert()
    .success();
    assert_ne!(
        p.read("output/bet/national_mc.csv"),
        outputs("2")[0],
        "another seed, other draws"
    );
}

#[test]
fn scenarios_sharing_an_input_see_the_same_draws() {
    // `more` adds a fixed 10,000 at gamma (40,000 of 60,000: never capacity-bound), so every
    // draw of its 2030 total is exactly 10,000 above the same draw of `bet`.
    let p = project().scenario(
        "more",
        "extends = \"bet\"\n[programmes.y]\nplant = \"gamma\"\nstart = 2027\nramp_years = 0\npeak = 10000\n",
    );
    p.cmd(&["run", "bet", "more", "--draws", "3000", "--no-charts"])
        .assert()
        .success();
    let bet = csv_rows(&p.read("output/bet/national_mc.csv"));
    let more = csv_rows(&p.read("output/more/national_mc.csv"));
    let a = row(&bet, &["2030"]);
    let b = row(&more, &["2030"]);
    for column in 1..=8 {
        let (x, y): (f64, f64) = (a[column].parse().unwrap(), b[column].parse().unwrap());
        assert!(
            (y - x - 10_000.0).abs() <= 1.0,
            "column {column}: {x} vs {y}"
        );
    }
    p.cmd(&["compare", "bet", "more", "--draws", "2000"])
        .assert()
        .success();
    assert!(p.path("output/compare-bet-more/compare.png").is_file());
}

#[test]
fn sensitivity_by_hand() {
    // The modal case (--draws 0); the expected sensitivity is in tests/sensitivity.rs.
    let p = project();
    p.cmd(&["sensitivity", "bet", "--draws", "0"])
        .assert()
        .success();
    assert_eq!(
        p.read("output/bet/sensitivity.csv"),
        "parameter,low,high,total_at_low,total_at_high,swing,basis\n\
         programmes.x.peak,0,90000,550000,640000,90000,modal case\n\
         shocks.0.probability,0,1,580000,580000,0,modal case\n"
    );
    assert!(
        p.path("output/bet/tornado.png").is_file() && p.path("output/bet/tornado.svg").is_file()
    );
    let p = project();
    p.cmd(&[
        "sensitivity",
        "bet",
        "--year",
        "2026",
        "--no-charts",
        "--draws",
        "0",
    ])
    .assert()
    .success();
    assert_eq!(
        p.read("output/bet/sensitivity.csv"),
        "parameter,low,high,total_at_low,total_at_high,swing,basis\n\
         shocks.0.probability,0,1,550000,275000,275000,modal case\n\
         programmes.x.peak,0,90000,275000,275000,0,modal case\n"
    );
}

#[test]
fn seek_by_hand() {
    let p = project();
    // 2030 total = 550,000 + peak, so 600,000 needs a peak of 50,000.
    let out = p.stdout(&[
        "seek",
        "bet",
        "--param",
        "programmes.x.peak",
        "--target",
        "600000",
    ]);
    assert!(
        out.contains("programmes.x.peak = 50,000 brings the 2030 total to 600,000"),
        "{out}"
    );
    let json = p.read("output/bet/seek.json");
    assert!(
        json.contains("\"value\": 50000,") && json.contains("\"best_total\": 600000"),
        "{json}"
    );
    let tried = csv_rows(&p.read("output/bet/seek.csv"));
    assert_eq!(tried[0], ["0", "550000"]);
    assert_eq!(tried[1], ["800000", "650000"], "alpha is capped at 300,000");
    // A later start lowers the total: the latest start still giving 580,000 in 2030 is 2030.
    let out = p.stdout(&[
        "seek",
        "bet",
        "--param",
        "programmes.x.start",
        "--target",
        "580000",
    ]);
    assert!(
        out.contains("programmes.x.start = 2030 brings the 2030 total to 580,000"),
        "{out}"
    );
}

#[test]
fn seek_says_when_the_target_is_out_of_reach() {
    let p = project();
    let out = p.stdout(&[
        "seek",
        "bet",
        "--param",
        "programmes.x.peak",
        "--target",
        "900000",
        "--max",
        "200000",
    ]);
    // Peak 200,000 asks alpha for 400,000 against 300,000 of capacity: 650,000 at most.
    assert!(
        out.contains("No value of programmes.x.peak from 0 to 200,000 brings the 2030 total to 900,000: the most it reaches is 650,000 with peak = 200,000. At capacity then: alpha."),
        "{out}"
    );
    assert!(p.read("output/bet/seek.json").contains("\"value\": null"));
}

#[test]
fn bad_uncertainty_commands() {
    let p = project().scenario("plain", "description = \"no ranges\"\n");
    let err = p.fails(&["seek", "bet", "--param", "programmes.x.paek"]);
    assert!(err.contains("`programmes.x.paek` is not a numeric input of scenario `bet`; did you mean `programmes.x.peak`?"), "{err}");
    let err = p.fails(&["sensitivity", "bet", "--year", "2040"]);
    assert!(
        err.contains(
            "--year 2040 is outside the projection of `bet`, which runs from 2026 to 2030"
        ),
        "{err}"
    );
    let err = p.fails(&["sensitivity", "plain"]);
    assert!(
        err.contains("scenario `plain` has no ranges or probabilities to vary"),
        "{err}"
    );
    p.cmd(&["seek", "bet"]).assert().code(2);
    p.cmd(&["run", "bet", "--draws", "-3"]).assert().code(2);
}

/// A draw recomputes only what its inputs reach: for every shipped uncertain scenario (and
/// one with the data's ranges), filling only the touched plants gives exactly the projection
/// a full fill gives, in every draw.
#[test]
fn a_draw_that_fills_only_what_its_inputs_reach_equals_a_full_fill() {
    use std::path::Path;
    use ukprod::engine::{self, Inputs, Touched};
    use ukprod::scenario::{self, Library};
    use ukprod::uncertainty::{sample, stream_key, uniform};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = ukprod::data::load(&root.join("data")).expect("shipped data");
    let library = Library::new(&root.join("scenarios"));
    let data_on = scenario::parse_set("assumptions.data_uncertainty=true").expect("set");
    for (name, sets) in [
        ("target-1-3m-uncertain", vec![]),
        ("chery-halewood-uncertain", vec![]),
        ("target-1-3m-uncertain", vec![data_on]),
    ] {
        let s = scenario::resolve(&library, &data, name, &sets).expect("resolves");
        let inputs = Inputs::new(&data, &s);
        let modal = engine::project_inputs(&data, &s, &inputs);
        let slots: Vec<_> = s
            .uncertain
            .iter()
            .map(|u| inputs.locate(&u.slot).expect("located"))
            .collect();
        let touched = Touched::by(&inputs, slots.iter().copied());
        if sets.is_empty() {
            assert!(
                touched.plants.iter().any(|t| !t),
                "{name}: some plants are out of reach of its inputs"
            );
        }
        let mut scratch = inputs.clone();
        for draw in 0..300 {
            for (u, slot) in s.uncertain.iter().zip(&slots) {
                scratch.set(
                    *slot,
                    sample(u.dist, uniform(11, draw, stream_key(&u.path))),
                );
            }
            let mut partial = modal.clone();
            engine::fill_touched(&scratch, &mut partial, &touched);
            let mut full = modal.clone();
            engine::fill(&scratch, &mut full);
            let numbers = |mut p: engine::Projection| {
                let mut v = Vec::new();
                p.for_each_number(|x| v.push(x.to_bits()));
                v
            };
            assert!(
                numbers(partial) == numbers(full),
                "{name}: draw {draw} differs"
            );
        }
    }
}
