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
        assert_eq!((w, h), (2000, 1125), "{chart}");
        assert!(ink > 0.05, "{chart}.png is nearly blank ({ink:.3} inked)");
        let svg = p.read(&format!("output/fixture/{chart}.svg"));
        let texts = svg_texts(&svg);
        let all = texts.join("\n");
        assert!(
            all.contains("fixture"),
            "{chart}: scenario name missing:\n{all}"
        );
        assert!(
            all.contains("Source: SMMT; projection: ukprod, scenario fixture"),
            "{chart}: footer missing"
        );
        assert!(
            all.contains("Fixture: a new maker at beta"),
            "{chart}: description missing"
        );
        assert!(all.contains("target"), "{chart}: no target label:\n{all}");
    }
}

#[test]
fn path_chart_labels_the_target_the_record_and_the_gap() {
    let p = project();
    p.cmd(&["run", "fixture", "--format", "svg"])
        .assert()
        .success();
    let texts = svg_texts(&p.read("output/fixture/path.svg"));
    let has = |s: &str| texts.iter().any(|t| t == s);
    assert!(
        has("UK vehicle production and the path to 0.8m by 2030: scenario fixture"),
        "{texts:?}"
    );
    assert!(has("0.8m target, 2030"), "{texts:?}");
    // The fixture's record car year is 1990 (1,000,000 cars).
    assert!(has("1990: 1.00m cars, the record"), "{texts:?}");
    // 2030: 500,000 + 60,000 Chery at beta − 60,000 beta existing (capacity 100,000 → all scaled) …
    // beta demand 160,000 against 100,000: output 100,000, so the total stays 550,000.
    assert!(has("2030: 0.55m"), "{texts:?}");
    assert!(has("0.25m short of target"), "{texts:?}");
}

#[test]
fn bridge_chart_shows_each_maker_change_and_the_gap() {
    let p = project();
    p.cmd(&["run", "fixture", "--format", "svg"])
        .assert()
        .success();
    let texts = svg_texts(&p.read("output/fixture/bridge.svg"));
    let has = |s: &str| texts.iter().any(|t| t == s);
    // In 2030 beta's 100,000 splits 62,500 existing / 37,500 Chery (60/160).
    assert!(has("+38k") && has("Chery"), "{texts:?}");
    assert!(has("-38k") && has("Beta"), "{texts:?}");
    assert!(has("550k") && has("250k short"), "{texts:?}");
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
    assert_eq!((w, h), (2000, 1125));
    assert!(ink > 0.05);
    let texts = svg_texts(&p.read("output/history/history.svg"));
    assert!(
        texts
            .iter()
            .any(|t| t == "UK vehicle production, 1990–2025"),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t == "1990: 1.00m cars, the record"),
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
    assert_eq!(byd, "#CC6677", "BYD keeps its preferred colour");
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
    assert!(texts.iter().any(|t| t == "Path 2028: 0.70m"), "{texts:?}");
    assert!(
        !texts.iter().any(|t| t.contains("target, 2030")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.ends_with("short of the target path")),
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
    assert!(texts.iter().any(|t| t == "Path 2028: 0.70m"), "{texts:?}");
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
        has("No effect on 2030 output (under 5,000 vehicles): Beta stoppage 2026."),
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
