//! The data audit's features: plant output ranges (`low`/`high`, `kind`), data uncertainty
//! (base-year plant outputs drawn, the national total held), and relative waypoints
//! (`of_base`, `of_year`). Expected values are worked out by hand from the fixture data.

use std::path::Path;

use ukprod::data;
use ukprod::engine::Inputs;
use ukprod::scenario::{self, Library};
use ukprod::uncertainty::{sample, stream_key, uniform};

use crate::common::{Project, csv_rows, row};

/// Fixture plant output with ranges: alpha 200,000 (180,000–220,000, an estimate), beta
/// 100,000 (published, no range), gamma 40,000 (36,000–44,000, derived). National 2025:
/// 500,000 cars and 50,000 CVs, so residuals of 200,000 cars and 10,000 CVs.
const RANGED: &str = "plant_id,year,output,low,high,kind,source
alpha,2024,210000,,,published,Fixture
alpha,2025,200000,180000,220000,estimate,Estimate: fixture
beta,2025,100000,,,published,Fixture
gamma,2025,40000,36000,44000,derived,Derived: fixture
";

fn ranged() -> Project {
    Project::new().data("plant_output.csv", RANGED)
}

fn assert_has(stderr: &str, parts: &[&str]) {
    for part in parts {
        assert!(stderr.contains(part), "expected {part:?} in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A plant's output in a year, from a run's plants.csv (columns: year, plant_id, plant,
/// operator, segment, demand, capacity, output, ...).
fn output_of(p: &Project, dir: &str, year: i32, plant: &str) -> f64 {
    let rows = csv_rows(&p.read(&format!("output/{dir}/plants.csv")));
    row(&rows, &[&year.to_string(), plant])[7]
        .parse()
        .unwrap_or(f64::NAN)
}

#[test]
fn relative_waypoints_by_hand() {
    // alpha: 200,000 in 2025; 1.2 × 200,000 = 240,000 in 2027 (2026 halfway: 220,000); its
    // 2024 output, 210,000, in 2029 (2028 halfway from 240,000: 225,000); held after.
    let p = ranged().scenario(
        "rel",
        "description = \"relative\"\n[horizon]\nend_year = 2030\n\
         [plants.alpha]\noutput = { 2027 = { of_base = 1.2 }, 2029 = { of_year = 2024 } }\n",
    );
    p.stdout(&["run", "rel", "--no-charts"]);
    let at = |y| output_of(&p, "rel", y, "alpha");
    assert_eq!(at(2026), 220_000.0);
    assert_eq!(at(2027), 240_000.0);
    assert_eq!(at(2028), 225_000.0);
    assert_eq!(at(2029), 210_000.0);
    assert_eq!(at(2030), 210_000.0);
}

#[test]
fn a_relative_waypoint_inherits_no_error_of_the_base_and_an_absolute_one_does() {
    // With data uncertainty, alpha's 2025 output is drawn from Tri(180k, 200k, 220k) and the
    // residual takes up the difference (cars stay 500,000). In 2026:
    // - `of_base = 1`: alpha = a, residual = 400,000 − a: the total is 550,000 in every draw;
    // - `2026 = 200000`: the total is 750,000 − a, so its P5 is 750,000 − P95(a), where
    //   P95(a) = 220,000 − sqrt(0.05 × 40,000 × 20,000) = 213,675.44, and its P95 is
    //   750,000 − (180,000 + 6,324.56). Gamma (CVs, of_base absent, flat) adds nothing.
    let p = ranged()
        .scenario(
            "relative",
            "description = \"relative\"\n[horizon]\nend_year = 2027\n\
             [assumptions]\ndata_uncertainty = true\n\
             [plants.alpha]\noutput = { 2026 = { of_base = 1.0 } }\n",
        )
        .scenario(
            "absolute",
            "description = \"absolute\"\n[horizon]\nend_year = 2027\n\
             [assumptions]\ndata_uncertainty = true\n\
             [plants.alpha]\noutput = { 2026 = 200000 }\n",
        );
    p.stdout(&[
        "run",
        "relative",
        "absolute",
        "--no-charts",
        "--draws",
        "100000",
    ]);
    let band = |dir: &str| -> (f64, f64) {
        let rows = csv_rows(&p.read(&format!("output/{dir}/national_mc.csv")));
        let r = row(&rows, &["2026"]);
        (
            r[2].parse().unwrap_or(f64::NAN),
            r[8].parse().unwrap_or(f64::NAN),
        )
    };
    let (p5, p95) = band("relative");
    assert!(
        (p5 - 550_000.0).abs() < 0.5 && (p95 - 550_000.0).abs() < 0.5,
        "{p5} {p95}"
    );
    let (p5, p95) = band("absolute");
    let spread = (0.05_f64 * 40_000.0 * 20_000.0).sqrt();
    assert!(
        (p5 - (750_000.0 - (220_000.0 - spread))).abs() < 300.0,
        "{p5}"
    );
    assert!(
        (p95 - (750_000.0 - (180_000.0 + spread))).abs() < 300.0,
        "{p95}"
    );
}

#[test]
fn every_draw_keeps_the_national_total_and_no_residual_goes_below_zero() {
    // Cars: 320,000 nationally; alpha 200,000 (180,000–240,000) and beta 100,000
    // (90,000–130,000) leave a residual of 20,000. A draw may put both plants above what
    // SMMT's figure leaves: then both are scaled down in proportion, the residual 0.
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    std::fs::write(
        d.join("history.csv"),
        std::fs::read_to_string(Path::new(crate::common::FIXTURE_DATA).join("history.csv"))
            .expect("fixture history")
            .replace("2025,500000,50000,550000", "2025,320000,50000,370000"),
    )
    .expect("history");
    std::fs::copy(
        Path::new(crate::common::FIXTURE_DATA).join("plants.csv"),
        d.join("plants.csv"),
    )
    .expect("plants");
    std::fs::write(
        d.join("plant_output.csv"),
        "plant_id,year,output,low,high,kind,source\n\
         alpha,2025,200000,180000,240000,estimate,E\n\
         beta,2025,100000,90000,130000,estimate,E\n\
         gamma,2025,40000,36000,44000,estimate,E\n",
    )
    .expect("outputs");
    let data = data::load(d).expect("data loads");
    let scenarios = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        scenarios.path().join("s.toml"),
        "description = \"s\"\n[assumptions]\ndata_uncertainty = true\n",
    )
    .expect("scenario");
    let s = scenario::resolve(&Library::new(scenarios.path()), &data, "s", &[]).expect("s");
    assert_eq!(s.uncertain.len(), 3, "one drawn input per ranged plant");
    let mut inputs = Inputs::new(&data, &s);
    let national = [320_000.0, 50_000.0];
    let mut scaled = 0;
    for draw in 0..5_000 {
        for u in &s.uncertain {
            let slot = inputs.locate(&u.slot).expect("located");
            inputs.set(slot, sample(u.dist, uniform(7, draw, stream_key(&u.path))));
        }
        let plants = |segment: usize| -> f64 {
            inputs
                .plants
                .iter()
                .filter(|p| p.segment == data::Segment::ALL[segment])
                .filter_map(|p| p.base_output)
                .sum()
        };
        for (k, national) in national.iter().enumerate() {
            let total = plants(k) + inputs.residuals[k];
            assert!((total - national).abs() < 1e-6, "draw {draw}: {total}");
            assert!(
                inputs.residuals[k] >= -1e-9,
                "draw {draw}: residual below 0"
            );
        }
        if inputs.residuals[0] < 1e-9 {
            scaled += 1;
        }
    }
    assert!(scaled > 0, "some draws exceed SMMT's figure and are scaled");
    // By hand: alpha 240,000 and beta 130,000 (370,000 > 320,000) scale by 320/370.
    let alpha = inputs
        .locate(&scenario::Slot::BaseOutput("alpha".into()))
        .expect("alpha");
    let beta = inputs
        .locate(&scenario::Slot::BaseOutput("beta".into()))
        .expect("beta");
    inputs.set(alpha, 240_000.0);
    inputs.set(beta, 130_000.0);
    let a = inputs.plants[0].base_output.unwrap_or(f64::NAN);
    let b = inputs.plants[1].base_output.unwrap_or(f64::NAN);
    assert!((a - 240_000.0 * 320.0 / 370.0).abs() < 1e-6, "{a}");
    assert!((b - 130_000.0 * 320.0 / 370.0).abs() < 1e-6, "{b}");
    assert!(inputs.residuals[0].abs() < 1e-6);
    // And back within the room: alpha 190,000, beta 95,000 leave 35,000 unscaled.
    inputs.set(alpha, 190_000.0);
    inputs.set(beta, 95_000.0);
    assert_eq!(inputs.plants[0].base_output, Some(190_000.0));
    assert!((inputs.residuals[0] - 35_000.0).abs() < 1e-6);
}

#[test]
fn data_uncertainty_widens_the_shipped_band_and_is_reported() {
    // The shipped data and scenarios, the same seed with and without the data's ranges:
    // the draws of every other input are the same numbers (common random numbers), and
    // the ranges add spread where the scenario's other inputs leave little (2026-2029).
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("temp dir");
    let run = |extra: &[&str]| {
        let mut cmd = assert_cmd::Command::cargo_bin("ukprod").expect("binary");
        cmd.current_dir(root)
            .args(["--out", &out.path().display().to_string(), "run"])
            .args([
                "target-1-3m-uncertain",
                "--as",
                extra.first().map_or("plain", |_| "with-data"),
            ])
            .args(extra);
        String::from_utf8(cmd.assert().success().get_output().stdout.clone()).expect("utf-8")
    };
    let plain = run(&[]);
    let with = run(&["--data-uncertainty"]);
    assert!(!plain.contains("plant split alone"), "{plain}");
    assert!(with.contains("plant split alone:  a spread of"), "{with}");
    let width = |dir: &str, year: &str| -> f64 {
        let text = std::fs::read_to_string(out.path().join(dir).join("national_mc.csv"))
            .expect("national_mc.csv");
        let rows = csv_rows(&text);
        let r = row(&rows, &[year]);
        r[8].parse::<f64>().unwrap_or(f64::NAN) - r[2].parse::<f64>().unwrap_or(f64::NAN)
    };
    for year in ["2026", "2027", "2028", "2029"] {
        assert!(
            width("with-data", year) > width("plain", year),
            "{year}: {} vs {}",
            width("with-data", year),
            width("plain", year)
        );
    }
    let fan = std::fs::read_to_string(out.path().join("with-data/fan.svg")).expect("fan");
    assert!(
        fan.contains("The draws include the data&apos;s ranges for 2025 plant outputs")
            || fan.contains("The draws include the data's ranges for 2025 plant outputs"),
        "the fan chart says what its draws include"
    );
}

#[test]
fn sensitivity_lists_the_data_ranges() {
    let p = ranged().scenario(
        "s",
        "description = \"s\"\n[horizon]\nend_year = 2027\n\
         [plants.alpha]\noutput = { 2026 = 200000 }\n",
    );
    p.stdout(&["sensitivity", "s", "--data-uncertainty", "--no-charts"]);
    let dirs: Vec<_> = std::fs::read_dir(p.path("output"))
        .expect("output")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    let dir = dirs
        .iter()
        .find(|d| d.join("sensitivity.csv").exists())
        .expect("a sensitivity folder");
    let csv = std::fs::read_to_string(dir.join("sensitivity.csv")).expect("csv");
    // Alpha's 2025 output at its ends: total 2027 = 750,000 − a (absolute waypoint), so the
    // low end 180,000 gives 570,000 and the high end 220,000 gives 530,000.
    let rows = csv_rows(&csv);
    let alpha = row(&rows, &["data.alpha.base_output"]);
    assert!(alpha.iter().any(|c| c == "570000"), "{alpha:?}");
    assert!(alpha.iter().any(|c| c == "530000"), "{alpha:?}");
    assert!(csv.contains("data.gamma.base_output"), "{csv}");
}

/// A run that fails with one message and writes nothing.
fn refused(p: &Project, args: &[&str], parts: &[&str]) {
    let err = p.fails(args);
    assert_has(&err, parts);
    assert!(!p.path("output").exists(), "nothing written on failure");
}

const OK_SCENARIO: &str = "description = \"ok\"\n[horizon]\nend_year = 2027\n";

#[test]
fn a_range_that_does_not_bracket_the_output_is_refused_at_its_row() {
    let p = Project::new()
        .data(
            "plant_output.csv",
            "plant_id,year,output,low,high,kind,source\n\
             alpha,2025,200000,210000,220000,estimate,E\n\
             beta,2025,100000,,,published,P\n\
             gamma,2025,40000,,,published,P\n",
        )
        .scenario("ok", OK_SCENARIO);
    refused(
        &p,
        &["run", "ok"],
        &[
            "low 210000 and high 220000 do not bracket the output 200000",
            "plant_output.csv:2",
            "low",
        ],
    );
}

#[test]
fn negative_half_and_non_numeric_ranges_are_refused() {
    let data = |row: &str| {
        Project::new()
            .data(
                "plant_output.csv",
                &format!(
                    "plant_id,year,output,low,high,kind,source\n{row}\n\
                     beta,2025,100000,,,published,P\ngamma,2025,40000,,,published,P\n"
                ),
            )
            .scenario("ok", OK_SCENARIO)
    };
    refused(
        &data("alpha,2025,200000,-5,220000,estimate,E"),
        &["run", "ok"],
        &["low -5 is negative", "plant_output.csv:2"],
    );
    refused(
        &data("alpha,2025,200000,180000,,estimate,E"),
        &["run", "ok"],
        &[
            "low is given without high: give both, or neither",
            "plant_output.csv:2",
        ],
    );
    refused(
        &data("alpha,2025,200000,lots,220000,estimate,E"),
        &["run", "ok"],
        &["invalid digit", "plant_output.csv:2", "low"],
    );
    refused(
        &data("alpha,2025,200000,180000,220000,estimat,E"),
        &["run", "ok"],
        &[
            "unknown variant `estimat`",
            "`estimate`",
            "plant_output.csv:2",
        ],
    );
}

#[test]
fn bad_relative_waypoints_are_refused_at_file_line_and_column() {
    let bad = |toml: &str, parts: &[&str]| {
        let p = ranged().scenario("bad", toml);
        refused(&p, &["run", "bad"], parts);
    };
    bad(
        "[plants.alpha]\noutput = { 2027 = { of_year = 2020 } }\n",
        &[
            "plant `alpha` has no output figure for 2020",
            "bad.toml:2:",
            "plant_output.csv has figures for: 2024, 2025",
        ],
    );
    bad(
        "[plants.alpha]\noutput = { 2027 = { of_base = 0 } }\n",
        &[
            "of_base must be a multiple of the base-year output, more than 0",
            "bad.toml:2:",
        ],
    );
    bad(
        "[plants.alpha]\noutput = { 2027 = { of_base = -1.5 } }\n",
        &["more than 0 and at most 100, not -1.5", "bad.toml:2:"],
    );
    bad(
        "[plants.alpha]\noutput = { 2027 = { of_base = 1.2, mode = 3 } }\n",
        &["not a mix", "bad.toml:2:"],
    );
    bad(
        "[plants.alpha]\noutput = { 2027 = { of_bse = 1.2 } }\n",
        &[
            "unknown field `of_bse`",
            "bad.toml:2:",
            "did you mean `of_base`?",
        ],
    );
}

#[test]
fn a_child_may_restate_a_waypoint_in_another_form() {
    // The parent's range and the child's multiple would merge into a meaningless mix; the
    // child's form replaces the parent's. 1.5 × 200,000 = 300,000 in 2026 (alpha's
    // capacity, 300,000, allows it).
    let p = ranged()
        .scenario(
            "parent",
            "description = \"p\"\n[horizon]\nend_year = 2027\n\
             [plants.alpha]\noutput = { 2026 = { low = 150000, mode = 200000, high = 250000 } }\n",
        )
        .scenario(
            "child",
            "extends = \"parent\"\n[plants.alpha]\noutput = { 2026 = { of_base = 1.5 } }\n",
        );
    p.stdout(&["run", "child", "--no-charts"]);
    assert_eq!(output_of(&p, "child", 2026, "alpha"), 300_000.0);
}

#[test]
fn plants_that_split_a_published_total_keep_it_in_every_draw() {
    // Alpha (180,000–220,000) and beta split one published total of 300,000. Alpha drawn at
    // 220,000 with beta at its 100,000: both scale by 300,000 / 320,000, to 206,250 and
    // 93,750; the residual stays at 500,000 − 300,000 = 200,000.
    let p = Project::new()
        .data(
            "plant_output.csv",
            "plant_id,year,output,low,high,kind,split_of,source\n\
             alpha,2025,200000,180000,220000,estimate,AB total,E\n\
             beta,2025,100000,,,estimate,AB total,E\n\
             gamma,2025,40000,,,published,,P\n",
        )
        .scenario(
            "s",
            "description = \"s\"\n[assumptions]\ndata_uncertainty = true\n",
        );
    let data = data::load(&p.path("data")).expect("data loads");
    let s = scenario::resolve(&Library::new(&p.path("scenarios")), &data, "s", &[]).expect("s");
    let mut inputs = Inputs::new(&data, &s);
    let alpha = inputs
        .locate(&scenario::Slot::BaseOutput("alpha".into()))
        .expect("alpha");
    inputs.set(alpha, 220_000.0);
    assert_eq!(inputs.plants[0].base_output, Some(206_250.0));
    assert_eq!(inputs.plants[1].base_output, Some(93_750.0));
    assert_eq!(inputs.residuals[0], 200_000.0);
    // The base year shows the data's figures whatever the draw.
    assert_eq!(inputs.plants[0].base_data, Some(200_000.0));
}

#[test]
fn a_split_across_segments_is_refused() {
    let p = Project::new()
        .data(
            "plant_output.csv",
            "plant_id,year,output,low,high,kind,split_of,source\n\
             alpha,2025,200000,,,estimate,Mixed,E\n\
             beta,2025,100000,,,published,,P\n\
             gamma,2025,40000,,,estimate,Mixed,E\n",
        )
        .scenario("ok", OK_SCENARIO);
    refused(
        &p,
        &["run", "ok"],
        &[
            "split_of `Mixed` names plants of both segments (alpha, gamma)",
            "plant_output.csv",
        ],
    );
}
