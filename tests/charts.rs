//! Charts: every chart is drawn for a fixture scenario, in both formats, at the promised
//! size, not blank, with its title, scenario name and target label; SVG is deterministic
//! and guarded by a snapshot.

use std::path::Path;

use ukprod::chart::{self, Chart, Format, Look, Page, Size};
use ukprod::scenario::{self, Library};
use ukprod::{data, engine};

use crate::common::{FIXTURE_DATA, Project, csv_rows};
use crate::uncertainty::BET;

const SCENARIO: &str = r#"
description = "Fixture: a new maker at beta from 2027, a shock in 2026"
[horizon]
end_year = 2030
[target]
volume = 800000
year = 2030
[programmes.newco]
plant = "beta"
maker = "Chery"
start = 2027
peak = 60000
[[shocks]]
year = 2026
lost_weeks = 4
"#;

fn project() -> Project {
    Project::new().scenario("fixture", SCENARIO)
}

/// Decode a PNG and return its size and the share of pixels that are not white.
fn png_ink(bytes: &[u8]) -> (u32, u32, f64) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("PNG header");
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buffer).expect("PNG data");
    let pixels = &buffer[..info.buffer_size()];
    let channels = info.color_type.samples();
    let inked = pixels
        .chunks(channels)
        .filter(|px| px.iter().take(3).any(|c| *c < 250))
        .count();
    (
        info.width,
        info.height,
        inked as f64 / (pixels.len() / channels) as f64,
    )
}

/// Every text element of an SVG, which must parse as XML.
fn svg_texts(text: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(text).expect("SVG parses as XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .collect()
}

#[test]
fn run_draws_every_chart_in_both_formats() {
    let p = project();
    p.cmd(&["run", "fixture"]).assert().success();
    for chart in ["path", "makers", "bridge", "plants"] {
        let png =
            std::fs::read(p.path(&format!("output/fixture/{chart}.png"))).expect("png written");
        let (w, h, ink) = png_ink(&png);
        assert_eq!((w, h), (1890, 1181), "{chart}");
        assert!(ink > 0.05, "{chart}.png is nearly blank ({ink:.3} inked)");
        let svg = p.read(&format!("output/fixture/{chart}.svg"));
        let texts = svg_texts(&svg);
        let all = texts.join("\n");
        assert!(
            all.contains("fixture"),
            "{chart}: scenario name missing:\n{all}"
        );
        // The fixture's history.csv credits "Fixture" for its base year.
        assert!(
            all.contains("Source: Fixture; projection: ukprod, scenario fixture"),
            "{chart}: footer missing:\n{all}"
        );
        assert!(all.contains("Scenario: fixture"), "{chart}: kicker missing");
        // Every chart but plants (capacity, not the national total) shows the target.
        if chart != "plants" {
            assert!(all.contains("target"), "{chart}: no target label:\n{all}");
        }
    }
}

#[test]
fn path_chart_says_the_gap_in_its_title_and_starts_where_every_year_is_sourced() {
    let p = project();
    p.cmd(&["run", "fixture", "--format", "svg"])
        .assert()
        .success();
    let texts = svg_texts(&p.read("output/fixture/path.svg"));
    let has = |s: &str| texts.iter().any(|t| t == s);
    // 2030: 500,000 + 60,000 Chery at beta − 60,000 beta existing (capacity 100,000 → all scaled) …
    // beta demand 160,000 against 100,000: output 100,000, so the total stays 550,000, and
    // 800,000 − 550,000 = 250,000 short.
    assert!(
        has("Output reaches 0.55m in 2030, 0.25m short of the 0.8m target"),
        "{texts:?}"
    );
    assert!(has("0.8m target, 2030"), "{texts:?}");
    assert!(has("2030: 0.55m"), "{texts:?}");
    assert!(has("0.25m short of target"), "{texts:?}");
    assert!(has("2025: last actual"), "{texts:?}");
    assert!(has("Straight line to target (illustrative)"), "{texts:?}");
    // The fixture's totals are sourced every year from 2009 to the base year (1990 has cars
    // only): the chart starts in 2009, so the 1990 car record is not on it, and the highest
    // total it shows (650,000, first in 2009) is noted as what it is.
    let years = axis_years(&texts);
    assert_eq!(years.iter().min(), Some(&2009), "{texts:?}");
    assert!(years.contains(&2025) && years.contains(&2030), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("1990")), "{texts:?}");
    assert!(
        has("2009: 0.65m vehicles, the peak of 2009–2025"),
        "{texts:?}"
    );
    let all = texts.join(" ");
    assert!(
        all.contains("The 0.8m target is for 2030; the straight line to it starts from the 2025 actual and is illustrative"),
        "{all}"
    );
    // From 1990 the car record is on the chart, and the years without a sourced figure
    // (1991-2008) are left blank, as the note says.
    p.cmd(&[
        "run", "fixture", "--from", "1990", "--as", "long", "--format", "svg",
    ])
    .assert()
    .success();
    let texts = svg_texts(&p.read("output/long/path.svg"));
    assert!(
        texts.iter().any(|t| t == "1990: 1.00m cars, the record"),
        "{texts:?}"
    );
    let all = texts.join(" ");
    assert!(
        all.contains("Years without a sourced figure are left blank"),
        "{all}"
    );
}

#[test]
fn bridge_chart_shows_each_maker_change_and_the_gap() {
    let p = project();
    p.cmd(&["run", "fixture", "--format", "svg"])
        .assert()
        .success();
    let texts = svg_texts(&p.read("output/fixture/bridge.svg"));
    let has = |s: &str| texts.iter().any(|t| t == s);
    // In 2030 beta's 100,000 splits 62,500 existing / 37,500 Chery (60/160): Chery +37,500,
    // Beta -37,500; the total stays 550,000 against a target of 800,000 in 2030.
    assert!(has("+38k") && has("Chery"), "{texts:?}");
    assert!(has("-38k") && has("Beta"), "{texts:?}");
    assert!(
        has("0.55m") && has("2025 actual") && has("2030 projected"),
        "{texts:?}"
    );
    assert!(has("0.25m short of the target"), "{texts:?}");
    assert!(has("0.8m target, 2030"), "{texts:?}");
    assert!(has("Gap to target"), "{texts:?}");
    assert!(
        texts.iter().any(|t| t.starts_with("Output stays at 0.55m")),
        "the title says the message: {texts:?}"
    );
    // No instruction legend.
    assert!(
        !texts.iter().any(|t| t.contains("in its colour")),
        "{texts:?}"
    );
}

#[test]
fn bridge_draws_a_surplus_above_the_target_line() {
    // Target 500,000 in 2030: the 550,000 total is 50,000 above it.
    let p = project();
    p.cmd(&[
        "run",
        "fixture",
        "--set",
        "target.volume=500000",
        "--as",
        "over",
        "--format",
        "svg",
    ])
    .assert()
    .success();
    let svg = p.read("output/over/bridge.svg");
    let texts = svg_texts(&svg);
    let has = |s: &str| texts.iter().any(|t| t == s);
    assert!(has("50k above the target"), "{texts:?}");
    assert!(has("Above target"), "{texts:?}");
    assert!(has("0.5m target, 2030"), "{texts:?}");
    assert!(!has("Gap to target"), "{texts:?}");
    // The surplus is hatched in ink, not filled in the target's colour like a shortfall.
    assert!(!svg.contains("fill=\"#F7E3E5\""), "no shortfall box");
}
#[test]
fn format_and_no_charts_options() {
    let p = project();
    p.cmd(&["run", "fixture", "--format", "png"])
        .assert()
        .success();
    assert!(p.path("output/fixture/path.png").is_file());
    assert!(!p.path("output/fixture/path.svg").exists());
    let p = project();
    p.cmd(&["run", "fixture", "--no-charts"]).assert().success();
    assert!(p.path("output/fixture/national.csv").is_file());
    assert!(!p.path("output/fixture/path.png").exists());
    p.cmd(&["run", "fixture", "--format", "gif"])
        .assert()
        .code(2);
}

#[test]
fn compare_writes_a_table_a_chart_and_prints_side_by_side() {
    let p = project().scenario("flat", "description = \"flat\"\n[horizon]\nend_year = 2030\n[target]\nvolume = 800000\nyear = 2030\n");
    let out = p.stdout(&["compare", "flat", "fixture"]);
    let line = |label: &str| -> Vec<String> {
        let row = out
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("{label}: {out}"));
        row[label.len()..]
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        out.lines()
            .next()
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>(),
        ["flat", "fixture"]
    );
    assert_eq!(line("end-year total"), ["550,000", "550,000"]);
    assert_eq!(line("figures"), ["projected", "projected"]);
    assert_eq!(line("gap"), ["-250,000", "-250,000"]);
    assert_eq!(line("on the target path"), ["never", "never"]);
    let rows = csv_rows(&p.read("output/compare-flat-fixture/compare.csv"));
    let header = p.read("output/compare-flat-fixture/compare.csv");
    assert!(
        header.starts_with("year,flat,fixture,target_path\n"),
        "{header}"
    );
    // Cars-only years have no total anywhere and no row; the fixture's totals start in 2009.
    assert_eq!(rows.first().unwrap(), &["2009", "650000", "650000", ""]);
    assert_eq!(
        rows.iter().find(|r| r[0] == "2025").unwrap(),
        &["2025", "550000", "550000", "550000"]
    );
    // 2026: everything × 48/52 in the fixture (4 weeks lost): 507,692; the target path 600,000.
    assert_eq!(
        rows.iter().find(|r| r[0] == "2026").unwrap(),
        &["2026", "550000", "507692", "600000"]
    );
    let (w, h, ink) =
        png_ink(&std::fs::read(p.path("output/compare-flat-fixture/compare.png")).unwrap());
    assert_eq!((w, h), (1890, 1181));
    assert!(ink > 0.02);
    let texts = svg_texts(&p.read("output/compare-flat-fixture/compare.svg"));
    // Both end at 550,000 in 2030, short of 800,000.
    assert!(
        texts
            .iter()
            .any(|t| t == "Neither scenario reaches the 0.8m target by 2030"),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t == "0.8m target, 2030"), "{texts:?}");
    p.cmd(&["compare", "flat"]).assert().code(2);
}

#[test]
fn history_chart() {
    let p = project();
    p.cmd(&["history"]).assert().success();
    let (w, h, ink) = png_ink(&std::fs::read(p.path("output/history/history.png")).unwrap());
    assert_eq!((w, h), (1890, 1181));
    assert!(ink > 0.05);
    let texts = svg_texts(&p.read("output/history/history.svg"));
    let has = |s: &str| texts.iter().any(|t| t == s);
    assert!(has("UK vehicle production, 1990–2025"), "{texts:?}");
    // 2025's 500,000 cars fell from 2024's 600,000, and no earlier year was as low.
    let all = texts.join(" ");
    assert!(
        all.contains("UK car output fell to 0.50m in 2025, the lowest in the record from 1990"),
        "{all}"
    );
    assert!(has("1990: 1.00m cars, the record"), "{texts:?}");
    // The highest total of the last 15 years (650,000, first in 2010) and the last year.
    assert!(
        has("2010: 0.65m vehicles") && has("2025: 0.55m vehicles"),
        "{texts:?}"
    );
    assert!(all.contains("years without one are left blank"), "{all}");
}

/// The shipped data and a shipped scenario, projected.
fn shipped_projection(name: &str) -> engine::Projection {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = data::load(&root.join("data")).expect("shipped data");
    let scenario = scenario::resolve(&Library::new(&root.join("scenarios")), &data, name, &[])
        .expect("shipped scenario resolves");
    engine::project(&data, &scenario)
}

/// A chart's SVG text.
fn svg_of(files: Vec<ukprod::export::OutputFile>) -> String {
    String::from_utf8(files[0].bytes.clone()).expect("SVG is UTF-8")
}

/// The year-to-pixel scale of a chart over years, from its first and last year labels
/// centred on their years.
fn year_scale(doc: &roxmltree::Document) -> impl Fn(f64) -> f64 {
    let labels: Vec<(f64, f64)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.attribute("text-anchor") == Some("middle"))
        .filter_map(|n| {
            let year: i32 = n.text()?.trim().parse().ok()?;
            (1900..2100)
                .contains(&year)
                .then(|| Some((f64::from(year), n.attribute("x")?.parse().ok()?)))
                .flatten()
        })
        .collect();
    assert!(labels.len() >= 2, "year labels: {labels:?}");
    let ((ya, xa), (yb, xb)) = (labels[0], labels[labels.len() - 1]);
    move |year: f64| xa + (year - ya) * (xb - xa) / (yb - ya)
}

/// The years labelled on a chart's axis (numbers from 1900 on: not the value axis's "0").
fn axis_years(texts: &[String]) -> Vec<i32> {
    texts
        .iter()
        .filter_map(|t| t.parse().ok())
        .filter(|y| *y >= 1900)
        .collect()
}

/// Every straight segment of the data drawn: the SVG's polylines and polygons (closing edges
/// included) below the plot's top (the unit label, so legend swatches are left out), except
/// the axes, ticks and divider (drawn in the muted grey, #606060).
fn plot_segments(doc: &roxmltree::Document) -> Vec<((f64, f64), (f64, f64))> {
    let top: f64 = doc
        .descendants()
        .find(|n| n.has_tag_name("text") && n.text().map(str::trim) == Some("Vehicles a year"))
        .and_then(|n| n.attribute("y"))
        .expect("unit label")
        .parse()
        .unwrap();
    let mut segments = Vec::new();
    for node in doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline") || n.has_tag_name("polygon"))
        .filter(|n| n.attribute("stroke") != Some("#606060"))
    {
        let points: Vec<(f64, f64)> = node
            .attribute("points")
            .unwrap_or("")
            .split_whitespace()
            .filter_map(|pair| pair.split_once(','))
            .map(|(x, y)| (x.parse().unwrap(), y.parse().unwrap()))
            .collect();
        if points.iter().any(|p| p.1 < top) {
            continue;
        }
        let closing = node
            .has_tag_name("polygon")
            .then(|| (points[points.len() - 1], points[0]));
        segments.extend(points.windows(2).map(|w| (w[0], w[1])).chain(closing));
    }
    segments
}

#[test]
fn path_chart_of_the_shipped_data_starts_in_2006_and_credits_its_sources() {
    // data/history.csv has totals every year from 2006 to 2025 (2005 has cars only), and
    // those rows name SMMT and OICA only.
    let svg = svg_of(
        chart::scenario_chart(
            Chart::Path,
            &shipped_projection("baseline"),
            look(Format::Svg),
        )
        .unwrap(),
    );
    let texts = svg_texts(&svg);
    let years = axis_years(&texts);
    assert_eq!(years.iter().min(), Some(&2006), "{texts:?}");
    // The base and target years are always labelled on the axis.
    assert!(years.contains(&2025) && years.contains(&2035), "{texts:?}");
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Sources: SMMT, OICA; projection: ukprod, scenario baseline")),
        "{texts:?}"
    );
}

#[test]
fn path_chart_from_1952_bridges_no_year_without_a_sourced_figure() {
    // data/history.csv has 1952 and 1955 but not 1953 or 1954: nothing drawn may span them.
    let p = shipped_projection("baseline");
    let long = Look {
        from: Some(1952),
        ..look(Format::Svg)
    };
    let svg = svg_of(chart::scenario_chart(Chart::Path, &p, long).unwrap());
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let px = year_scale(&doc);
    let (a, b) = (px(1953.0), px(1954.0));
    let segments = plot_segments(&doc);
    for (p0, p1) in &segments {
        assert!(
            !(p0.0.min(p1.0) <= a && p0.0.max(p1.0) >= b),
            "a segment spans 1953-1954: {p0:?} {p1:?}"
        );
    }
    // 1952's lone figure is still drawn, as a column around its year.
    let (l, r) = (px(1951.6), px(1952.4));
    assert!(
        segments
            .iter()
            .any(|(p0, p1)| p0.0 >= l && p1.0 <= r && p0.0 != p1.0),
        "no 1952 column"
    );
    let texts = svg_texts(&svg);
    let all = texts.join(" ");
    // The earliest rows are Hansard's and a blog's as well as SMMT's; the blog is not SMMT.
    assert!(
        all.contains("Sources: Hansard, Auto Express, US DOT BTS, The Times, Statista (quoting SMMT), Bessem (a compilation), carsnewsblog (a blog), SMMT, OICA;"),
        "{all}"
    );
    assert!(
        all.contains(
            "Total-vehicle peaks of about 2.3m (1964 and 1972) are not in the sourced data"
        ),
        "{all}"
    );
    // The 1972 car record and the higher 1971 total beside it, each saying what it counts.
    assert!(
        texts.iter().any(|t| t == "1972: 1.92m cars, the record"),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t == "1971: 2.20m, the highest sourced total"),
        "{texts:?}"
    );
}

#[test]
fn history_chart_of_the_shipped_data_leaves_unsourced_years_blank() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let history = data::load(&root.join("data"))
        .expect("shipped data")
        .history;
    let svg = svg_of(chart::history_chart(&history, "00000000", look(Format::Svg)).unwrap());
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let px = year_scale(&doc);
    // One car bar per row of history.csv, each within its own year: 53 rows, 1952-2025.
    let per_year = px(1.0) - px(0.0);
    let cars: Vec<f64> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some("#56B4E9"))
        .filter_map(|n| {
            let x: f64 = n.attribute("x")?.parse().ok()?;
            let w: f64 = n.attribute("width")?.parse().ok()?;
            (w < per_year).then_some(x + w / 2.0)
        })
        .collect();
    assert_eq!(cars.len(), 53);
    let years: Vec<i64> = cars
        .iter()
        .map(|x| ((x - px(0.0)) / per_year).round() as i64)
        .collect();
    // 1984 is Statista's figure quoting SMMT (a secondary source, labelled as one).
    assert!(years.contains(&1952) && years.contains(&1955) && years.contains(&1984));
    for blank in [1953, 1954, 1964, 1973, 1975, 1990] {
        assert!(!years.contains(&blank), "{blank} has a bar");
    }
    let texts = svg_texts(&svg);
    let all = texts.join(" ");
    assert!(
        all.contains("Sources: Hansard, Auto Express, US DOT BTS, The Times, Statista (quoting SMMT), Bessem (a compilation), carsnewsblog (a blog), SMMT, OICA"),
        "{all}"
    );
    assert!(
        all.contains(
            "Total-vehicle peaks of about 2.3m (1964 and 1972) are not in the sourced data"
        )
    );
    assert!(
        texts.iter().any(|t| t == "1972: 1.92m cars, the record"),
        "{texts:?}"
    );
    // 2025's 717,371 cars: the last earlier row with fewer is 1952 (448,000).
    assert!(
        all.contains("UK car output fell to 0.72m in 2025, the lowest sourced figure since 1952"),
        "{all}"
    );
}

/// The fixture with one uncertain programme at a new plant, its peak drawn from `peak`.
fn uncertain(peak: &str) -> Project {
    project().scenario(
        "bet",
        &format!(
            "extends = \"fixture\"\n\
             [new_plants.n]\nname = \"N\"\noperator = \"N\"\nsegment = \"car\"\ncapacity = 600000\nopens = 2027\n\
             [programmes.x]\nplant = \"n\"\nstart = 2027\nramp_years = 0\npeak = {peak}\n"
        ),
    )
}

#[test]
fn fan_chart_says_the_chance_of_the_target_in_words() {
    // 550,000 in 2030 plus a programme of 300,000-400,000: every draw is above 800,000.
    let p = uncertain("{ low = 300000, mode = 350000, high = 400000 }");
    p.cmd(&["run", "bet", "--format", "svg"]).assert().success();
    let texts = svg_texts(&p.read("output/bet/fan.svg"));
    let has = |s: &str| texts.iter().any(|t| t == s);
    assert!(
        has("All 10,000 draws reach the 0.8m target in 2030"),
        "{texts:?}"
    );
    let all = texts.join(" ");
    assert!(all.contains("10,000 draws (seed 2035)"), "{all}");
    assert!(
        all.contains("90% of draws") && all.contains("50% of draws"),
        "{all}"
    );
    assert!(
        texts.iter().any(|t| t.starts_with("Expected 0.")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.starts_with("Median 0.")),
        "{texts:?}"
    );
    // Like the path chart, the fan starts where every year is sourced (2009 in the fixture).
    let years = axis_years(&texts);
    assert_eq!(years.iter().min(), Some(&2009), "{texts:?}");
    // A programme of at most 20,000 never gets there: not "0%".
    let p = uncertain("{ low = 0, mode = 10000, high = 20000 }");
    p.cmd(&["run", "bet", "--format", "svg"]).assert().success();
    let texts = svg_texts(&p.read("output/bet/fan.svg"));
    assert!(
        texts
            .iter()
            .any(|t| t == "Fewer than 1 in 10,000 draws reach the 0.8m target in 2030"),
        "{texts:?}"
    );
}

fn look(format: Format) -> Look {
    Look {
        format,
        size: Size::Doc,
        from: None,
    }
}

fn fixture_projection() -> engine::Projection {
    let data = data::load(Path::new(FIXTURE_DATA)).expect("fixture data");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fixture.toml"), SCENARIO).unwrap();
    let scenario = scenario::resolve(&Library::new(dir.path()), &data, "fixture", &[])
        .expect("fixture resolves");
    engine::project(&data, &scenario)
}

#[test]
fn svg_is_deterministic_and_snapshotted() {
    let projection = fixture_projection();
    let first = chart::scenario_chart(Chart::Path, &projection, look(Format::Svg)).unwrap();
    let second = chart::scenario_chart(Chart::Path, &projection, look(Format::Svg)).unwrap();
    assert_eq!(first, second);
    let png_a = chart::scenario_chart(Chart::Bridge, &projection, look(Format::Png)).unwrap();
    let png_b = chart::scenario_chart(Chart::Bridge, &projection, look(Format::Png)).unwrap();
    assert_eq!(png_a, png_b);
    // 16 by 10 cm at 300 dpi.
    let page = Page::of(Size::Doc);
    assert_eq!((page.width, page.height), (1890, 1181));
    let svg = String::from_utf8(first[0].bytes.clone()).unwrap();
    insta::assert_snapshot!("path_svg", svg);
}

#[test]
fn pngs_paste_at_a4_text_width_and_svgs_name_the_embedded_face() {
    let p = project();
    p.cmd(&["run", "fixture"]).assert().success();
    let file = std::fs::File::open(p.path("output/fixture/path.png")).unwrap();
    let reader = png::Decoder::new(file).read_info().unwrap();
    let dims = reader.info().pixel_dims.expect("a pHYs chunk");
    // 1890 pixels over 16 cm: 11,813 pixels a metre (300 dpi), the same both ways.
    assert_eq!((dims.xppu, dims.yppu), (11_813, 11_813));
    assert_eq!(dims.unit, png::Unit::Meter);
    assert!((1890.0 / f64::from(dims.xppu) * 100.0 - 16.0).abs() < 0.001);
    let svg = p.read("output/fixture/path.svg");
    let families: Vec<&str> = svg
        .split("font-family=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert!(!families.is_empty());
    assert!(
        families
            .iter()
            .all(|f| *f == "DejaVu Sans, Bitstream Vera Sans, Verdana, sans-serif"),
        "{families:?}"
    );
}

/// The fill of the legend swatch drawn just before a maker's label in the makers chart.
fn swatch_of(svg: &str, maker: &str) -> String {
    let at = svg
        .find(&format!(">\n{maker}\n<"))
        .unwrap_or_else(|| panic!("no label {maker}"));
    let rect = svg[..at].rfind("<rect").expect("a swatch before the label");
    let fill = &svg[rect..at];
    let start = fill.find("fill=\"").expect("a fill") + 6;
    fill[start..start + 7].to_string()
}

#[test]
fn new_makers_whose_names_hash_alike_get_different_colours() {
    // BYD and Great Wall prefer the same spare colour (rose, #CC6677): in one chart they
    // must still differ, and each keeps its colour in every chart of the run.
    let p = project().scenario(
        "two",
        "extends = \"fixture\"\n\
         [new_plants.b]\nname = \"B\"\noperator = \"BYD\"\nsegment = \"car\"\ncapacity = 50000\nopens = 2027\n\
         [new_plants.g]\nname = \"G\"\noperator = \"Great Wall\"\nsegment = \"car\"\ncapacity = 50000\nopens = 2027\n\
         [programmes.pb]\nplant = \"b\"\nstart = 2027\npeak = 20000\n\
         [programmes.pg]\nplant = \"g\"\nstart = 2027\npeak = 20000\n",
    );
    p.cmd(&["run", "two", "--format", "svg"]).assert().success();
    let makers = p.read("output/two/makers.svg");
    let (byd, great_wall) = (swatch_of(&makers, "BYD"), swatch_of(&makers, "Great Wall"));
    assert_eq!(byd, "#8C564B", "BYD keeps its preferred colour");
    assert_ne!(byd, great_wall);
    for chart in ["bridge", "plants"] {
        let svg = p.read(&format!("output/two/{chart}.svg"));
        for colour in [&byd, &great_wall] {
            assert!(
                svg.contains(&format!("fill=\"{colour}\"")),
                "{chart}: {colour}"
            );
        }
    }
}

#[test]
fn a_chart_that_ends_before_the_target_year_marks_the_path_not_the_target() {
    // Target 800,000 in 2030 from 550,000 in 2025; the charts end in 2028, where the straight
    // path is at 550,000 + 250,000 × 3/5 = 700,000 and the fixture at 550,000 (less 4 weeks'
    // shock in 2026 only).
    let p = project().scenario(
        "short",
        "extends = \"fixture\"\n[horizon]\nend_year = 2028\n",
    );
    p.cmd(&["run", "short", "--format", "svg"])
        .assert()
        .success();
    let texts = svg_texts(&p.read("output/short/path.svg"));
    assert!(
        texts.iter().any(|t| t == "Line to target, 2028: 0.70m"),
        "{texts:?}"
    );
    assert!(
        !texts.iter().any(|t| t.contains("target, 2030")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.ends_with("short of the line to target")),
        "{texts:?}"
    );
    // A comparison of scenarios that all end in 2028 likewise; one that reaches 2030 shows
    // the target itself.
    p.cmd(&[
        "compare",
        "short",
        "short",
        "--set",
        "2:assumptions.other_growth=0.01",
        "--as",
        "2:short-growing",
        "--format",
        "svg",
    ])
    .assert()
    .success();
    let texts = svg_texts(&p.read("output/compare-short-short-growing/compare.svg"));
    assert!(
        texts.iter().any(|t| t == "Line to target, 2028: 0.70m"),
        "{texts:?}"
    );
    p.cmd(&["compare", "short", "fixture", "--format", "svg"])
        .assert()
        .success();
    let texts = svg_texts(&p.read("output/compare-short-fixture/compare.svg"));
    assert!(texts.iter().any(|t| t == "0.8m target, 2030"), "{texts:?}");
}

/// The fill of the SVG text element whose text is `text`.
fn text_fill(svg: &str, text: &str) -> String {
    let at = svg
        .find(&format!(">\n{text}\n<"))
        .unwrap_or_else(|| panic!("no text {text:?}"));
    let open = svg[..at].rfind("<text").expect("a text element");
    let tag = &svg[open..at];
    let start = tag.find("fill=\"").expect("a fill") + 6;
    tag[start..start + 7].to_string()
}

/// How many polylines are stroked in `colour`.
fn strokes(svg: &str, colour: &str) -> usize {
    svg.split("<polyline")
        .skip(1)
        .filter(|p| p.contains(&format!("stroke=\"{colour}\"")))
        .count()
}

/// A flat scenario like the fixture's base year: 550,000 every year to 2030.
const FLAT: &str =
    "description = \"flat\"\n[horizon]\nend_year = 2030\n[target]\nvolume = 800000\nyear = 2030\n";

#[test]
fn compare_keeps_each_scenarios_colour_whatever_the_order() {
    let p = project().scenario("flat", FLAT).scenario(
        "growing",
        &format!("{FLAT}[assumptions]\nother_growth = 0.01\n"),
    );
    p.cmd(&["compare", "flat", "fixture", "--format", "svg"])
        .assert()
        .success();
    p.cmd(&["compare", "growing", "fixture", "flat", "--format", "svg"])
        .assert()
        .success();
    let a = p.read("output/compare-flat-fixture/compare.svg");
    let b = p.read("output/compare-growing-fixture-flat/compare.svg");
    // The fixture and flat both end at 550,000 (0.55m): the end label names the scenario and
    // its 2030 figure, in the scenario's colour, and its line is drawn in that colour.
    for label in ["flat 0.55m", "fixture 0.55m"] {
        let colour = text_fill(&a, label);
        assert_eq!(colour, text_fill(&b, label), "{label}");
        assert!(
            strokes(&a, &colour) >= 5,
            "{label}: dashed line in {colour}"
        );
        assert!(
            strokes(&b, &colour) >= 5,
            "{label}: dashed line in {colour}"
        );
    }
    assert_ne!(text_fill(&a, "flat 0.55m"), text_fill(&a, "fixture 0.55m"));
    // No legend of descriptions; a key of what the lines are instead.
    let texts = svg_texts(&a);
    assert!(
        !texts.iter().any(|t| t.contains("Fixture: a new maker")),
        "{texts:?}"
    );
    for key in ["Actual", "Projected", "Straight line to the 0.8m target"] {
        assert!(texts.iter().any(|t| t == key), "{key}: {texts:?}");
    }
}

#[test]
fn compare_starts_where_the_total_is_unbroken_or_from_the_year_asked() {
    // The fixture's totals run unbroken from 2009 (1990 has cars only).
    let p = project().scenario("flat", FLAT);
    p.cmd(&["compare", "flat", "fixture", "--format", "svg"])
        .assert()
        .success();
    let texts = svg_texts(&p.read("output/compare-flat-fixture/compare.svg"));
    assert!(
        texts
            .iter()
            .any(|t| t == "UK vehicle production, 2009–2030"),
        "{texts:?}"
    );
    p.cmd(&[
        "compare", "flat", "fixture", "--format", "svg", "--from", "2015",
    ])
    .assert()
    .success();
    let texts = svg_texts(&p.read("output/compare-flat-fixture/compare.svg"));
    assert!(
        texts
            .iter()
            .any(|t| t == "UK vehicle production, 2015–2030"),
        "{texts:?}"
    );
}

#[test]
fn compare_says_an_end_figure_is_expected_when_there_are_draws() {
    let p = project().scenario("bet", BET).scenario("flat", FLAT);
    p.cmd(&["compare", "bet", "flat", "--format", "svg"])
        .assert()
        .success();
    let texts = svg_texts(&p.read("output/compare-bet-flat/compare.svg"));
    assert!(
        texts.iter().any(|t| t.starts_with("bet expected 0.")),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t == "flat 0.55m"), "{texts:?}");
}

#[test]
fn tornado_rows_are_labelled_with_their_ranges_and_no_effect_inputs_are_in_a_note() {
    // bet in 2030: peak 0 / 90,000 gives 550,000 / 640,000 around the modal 580,000 (with
    // --draws 0; tests/sensitivity.rs has the expected tornado); the one-in-four 2026 shock
    // has no effect in 2030.
    let p = project().scenario("bet", BET);
    p.cmd(&["sensitivity", "bet", "--format", "svg", "--draws", "0"])
        .assert()
        .success();
    let svg = p.read("output/bet/tornado.svg");
    let texts = svg_texts(&svg);
    let has = |s: &str| texts.iter().any(|t| t == s);
    assert!(
        has("The peak volume of x moves 2030 output most, by 90k"),
        "{texts:?}"
    );
    assert!(has("x, peak volume: 0 / 90k"), "{texts:?}");
    assert!(has("0.55m") && has("0.64m"), "{texts:?}");
    assert!(has("Modal case 0.58m"), "{texts:?}");
    assert!(
        has("No effect on 2030 output (under 5,000 vehicles): Stoppage 1 happens (25% chance)."),
        "{texts:?}"
    );
    assert!(
        !has("Stoppage 1 happens (25% chance): no / yes"),
        "{texts:?}"
    );
    // One target label, in the legend.
    assert_eq!(
        texts.iter().filter(|t| t.contains("target")).count(),
        1,
        "{texts:?}"
    );
}

#[test]
fn tornado_draws_only_inputs_that_move_the_total() {
    use ukprod::scenario::{Dist, Slot, Uncertain};
    use ukprod::uncertainty::Swing;
    let mut projection = fixture_projection();
    for (item, label) in [
        ("programmes.newco", "Chery at Beta"),
        ("new_plants.second", "Second plant"),
        ("shocks.0", "Beta stoppage 2026"),
    ] {
        projection.labels.insert(item.into(), label.into());
    }
    let swing = |parameter: &str, (low, high): (f64, f64), (at_low, at_high): (f64, f64)| Swing {
        parameter: parameter.into(),
        low,
        high,
        total_at_low: at_low,
        total_at_high: at_high,
        swing: (at_high - at_low).abs(),
    };
    let swings = [
        swing(
            "programmes.newco.peak",
            (30_000.0, 150_000.0),
            (520_000.0, 640_000.0),
        ),
        swing(
            "new_plants.second.probability",
            (0.0, 1.0),
            (500_000.0, 550_000.0),
        ),
        // 1,000 vehicles: under the 5,000 that count as an effect.
        swing("shocks.0.lost_weeks", (2.0, 8.0), (551_000.0, 550_000.0)),
    ];
    let uncertain = [Uncertain {
        path: "new_plants.second.probability".into(),
        dist: Dist::Chance(0.3),
        slot: Slot::NewPlantHappens(0),
    }];
    let files = chart::tornado_chart(
        &projection,
        &swings,
        &uncertain,
        2030,
        550_000.0,
        800_000.0,
        look(Format::Svg),
    )
    .unwrap();
    let svg = String::from_utf8(files[0].bytes.clone()).unwrap();
    let texts = svg_texts(&svg);
    let has = |s: &str| texts.iter().any(|t| t == s);
    // Labels wrap (the range stays whole): read them as one text.
    let all = texts.join(" ");
    assert!(
        all.contains("Chery at Beta, peak volume: 30k / 150k"),
        "{all}"
    );
    assert!(
        all.contains("Second plant happens (30% chance): no / yes"),
        "{all}"
    );
    assert!(
        has("No effect on 2030 output (under 5,000 vehicles): Beta stoppage 2026, weeks lost."),
        "{texts:?}"
    );
    assert!(
        all.contains("The peak volume of Chery at Beta moves 2030 output most, by 120k"),
        "{all}"
    );
    // The plant's row has a bar for "no" only ("yes" is the modal case); the peak's has both;
    // the stoppage has none. Plus one legend swatch for each end.
    let rects = |colour: &str| {
        svg.split("<rect")
            .skip(1)
            .filter(|r| r.contains(&format!("fill=\"{colour}\"")))
            .count()
    };
    assert_eq!(rects("#969696"), 3, "low-end bars");
    assert_eq!(rects("#28466E"), 2, "high-end bars");
}

/// A scenario from the shipped scenarios and data, projected in-process.
fn shipped(name: &str) -> engine::Projection {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = data::load(&root.join("data")).expect("shipped data");
    let scenario = scenario::resolve(&Library::new(&root.join("scenarios")), &data, name, &[])
        .expect("shipped scenario resolves");
    engine::project(&data, &scenario)
}

/// The makers chart's legend, top to bottom: the names after the heading, without values.
fn makers_legend(texts: &[String], heading: &str) -> Vec<String> {
    let at = texts
        .iter()
        .position(|t| t == heading)
        .unwrap_or_else(|| panic!("no heading {heading}: {texts:?}"));
    texts[at + 1..]
        .iter()
        .filter(|t| !t.ends_with('k') || t.contains(' '))
        .take_while(|t| !t.starts_with("Source:"))
        .cloned()
        .collect()
}

fn chart_svg(chart: Chart, projection: &engine::Projection) -> String {
    let files = chart::scenario_chart(chart, projection, look(Format::Svg)).expect("drawn");
    String::from_utf8(files[0].bytes.clone()).expect("UTF-8")
}

#[test]
fn makers_stack_existing_makers_by_base_year_output_with_small_ones_grouped() {
    // 2025 output by maker (data/plant_output.csv): Nissan 273,087, JLR 200,460, BMW 115,712,
    // Toyota 98,000, Stellantis 30,378; PACCAR, Bentley, Aston Martin, McLaren and Geely are
    // under 20,000 and flat in the baseline, as is the residual (764,715 - 752,772 = 11,943):
    // they form one "Others" band, last of the existing makers. The legend lists the bands
    // as they stack, top first.
    let svg = chart_svg(Chart::Makers, &shipped("baseline"));
    let texts = svg_texts(&svg);
    assert_eq!(
        makers_legend(&texts, "2035 projected"),
        ["Others", "Stellantis", "Toyota", "BMW", "JLR", "Nissan"]
    );
    assert!(
        texts
            .iter()
            .any(|t| t == "Projected output by maker, 2025–2035"),
        "{texts:?}"
    );
    // The stack's total and the target are labelled at the end: 0.84m against 1.3m.
    assert!(texts.iter().any(|t| t == "2035: 0.84m total"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "1.3m target, 2035"), "{texts:?}");
    let all = texts.join(" ");
    assert!(
        all.contains("Others: PACCAR, Bentley, Aston Martin, McLaren, Geely and other UK manufacturers, each under 20k a year throughout"),
        "{all}"
    );
}

#[test]
fn a_new_maker_stacks_above_every_existing_maker() {
    // Fixture, 2025: alpha 200,000 (Alpha), beta 100,000 (Beta), gamma 40,000 (Gamma) and a
    // residual of 210,000 (not small, so its own band, last of the existing makers); Chery
    // builds nothing in 2025, so it goes on top whatever its size.
    let projection = fixture_projection();
    let svg = chart_svg(Chart::Makers, &projection);
    let texts = svg_texts(&svg);
    assert_eq!(
        makers_legend(&texts, "2030 projected"),
        ["Chery", "Other UK manufacturers", "Gamma", "Beta", "Alpha"]
    );
    // The bands are drawn bottom up: Chery's colour (#E69F00) is the last band's.
    let polygons: Vec<&str> = svg
        .split("<polygon")
        .skip(1)
        .filter_map(|s| s.split("fill=\"").nth(1))
        .map(|s| &s[..7])
        .collect();
    assert_eq!(polygons.len(), 5, "{polygons:?}");
    // Projected areas are paler than the base-year bar: Chery's orange (230, 159, 0) at 72%
    // strength, 255 - 0.72 × (255 - c): (237, 186, 71).
    assert_eq!(polygons[4], "#EDBA47", "{polygons:?}");
}

#[test]
fn plants_chart_shows_capacity_output_and_demand_not_met() {
    // Fixture, 2030: beta has 100,000 of capacity and 160,000 of demand (100,000 existing +
    // 60,000 Chery), so it builds 100,000 and 60,000 goes unmet; alpha and gamma run as in
    // 2025: 200,000 of 300,000 (67%) and 40,000 of 60,000 (67%).
    let p = project();
    p.cmd(&["run", "fixture", "--format", "svg"])
        .assert()
        .success();
    let texts = svg_texts(&p.read("output/fixture/plants.svg"));
    let has = |s: &str| texts.iter().any(|t| t == s);
    let all = texts.join(" ");
    assert!(
        all.contains("Beta Works runs out of capacity by 2030: 60k of demand not met"),
        "{texts:?}"
    );
    assert!(has("+60k demand not met"), "{texts:?}");
    assert!(has("100% → 100%") && has("67% → 67%"), "{texts:?}");
    // Chery's 37,500 of beta's 100,000 under the plant's name.
    assert!(has("incl. Chery 38k"), "{texts:?}");
    // The fixture's plants.csv has no short_name column: the full names are used.
    assert!(has("Alpha Works") && has("Gamma Vans"), "{texts:?}");
    // Axis in thousands; the residual is footnoted (200,000 cars + 10,000 CVs).
    assert!(
        has("100k") && !texts.iter().any(|t| t.ends_with("0m")),
        "{texts:?}"
    );
    assert!(
        all.contains("Excludes other UK manufacturers (210k in 2025, 210k in 2030)"),
        "{all}"
    );
    // No percentage of the target floats on this chart.
    assert!(!all.contains("of the 0.8m target"), "{all}");
}

#[test]
fn closed_plants_are_drawn_without_capacity() {
    // Gamma closes in 2028: in 2030 it has no capacity bar, and its column says when it
    // closed (2025: 40,000 of 60,000, 67%).
    let p = project().scenario(
        "shut",
        "extends = \"fixture\"\n[plants.gamma]\ncloses = 2028\n",
    );
    p.cmd(&["run", "shut", "--format", "svg"])
        .assert()
        .success();
    let svg = p.read("output/shut/plants.svg");
    let texts = svg_texts(&svg);
    assert!(
        texts.iter().any(|t| t == "67% → none from 2028"),
        "{texts:?}"
    );
    // Capacity bars are the light grey blocks: alpha's, beta's and the key's, not gamma's.
    let bars = svg.matches("fill=\"#E0E0E0\"").count();
    assert_eq!(bars, 3, "capacity bars");
}

#[test]
fn shipped_plants_use_short_names_and_mark_closed_plants() {
    // Castle Bromwich built nothing in 2025 and builds nothing after: closed before the chart,
    // no bar. Luton built 16,548 of 100,000 in 2025 (17%) and closes in 2026 (baseline.toml).
    let svg = chart_svg(Chart::Plants, &shipped("baseline"));
    let texts = svg_texts(&svg);
    let has = |s: &str| texts.iter().any(|t| t == s);
    assert!(
        has("Nissan Sunderland") && has("Toyota Burnaston"),
        "{texts:?}"
    );
    assert!(has("17% → none from 2026"), "{texts:?}");
    let all = texts.join(" ");
    assert!(
        has("closed before 2025") || all.contains("Closed before 2025: JLR Castle Bromwich"),
        "{texts:?}"
    );
    // Five plants under 20,000 that nothing happens at share a row: Bentley Crewe 15,639,
    // Rolls-Royce Goodwood 7,000, Aston Martin Gaydon 7,000, Aston Martin St Athan 7,000,
    // McLaren Woking 4,806 of capacity.
    assert!(has("5 small plants"), "{texts:?}");
    // Bars: 15 plants - 5 grouped - Luton and Castle Bromwich, the group's bar, the key's.
    assert_eq!(svg.matches("fill=\"#E0E0E0\"").count(), 8 + 1 + 1);
}

#[test]
fn plant_short_names_are_checked() {
    let p = project().data(
        "plants.csv",
        "id,name,short_name,operator,location,segment,capacity,source\n\
         alpha,Alpha Works,Alpha,Alpha,X,car,300000,F\n\
         beta,Beta Works,,Beta,Y,car,100000,F\n\
         gamma,Gamma Vans,Alpha,Gamma,Z,cv,60000,F\n",
    );
    let err = p.fails(&["validate"]);
    assert!(err.contains("short_name must not be empty"), "{err}");
    assert!(
        err.contains("short_name `Alpha` is used by another plant"),
        "{err}"
    );
    let p = project().data(
        "plants.csv",
        "id,name,short_name,operator,location,segment,capacity,source\n\
         alpha,Alpha Works,Alpha Works at the Northtown site,Alpha,X,car,300000,F\n\
         beta,Beta Works,Beta,Beta,Y,car,100000,F\n\
         gamma,Gamma Vans,Gamma,Gamma,Z,cv,60000,F\n",
    );
    let err = p.fails(&["validate"]);
    assert!(
        err.contains(
            "short_name `Alpha Works at the Northtown site` has 33 characters; at most 25"
        ),
        "{err}"
    );
}
