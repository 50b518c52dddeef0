//! Charts: every chart is drawn for a fixture scenario, in both formats, at the promised
//! size, not blank, with its title, scenario name and target label; SVG is deterministic
//! and guarded by a snapshot.

use std::path::Path;

use ukprod::chart::{self, Chart, Format, Look, Page, Size};
use ukprod::scenario::{self, Library};
use ukprod::{data, engine};

use crate::common::{FIXTURE_DATA, Project, csv_rows};

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
    assert_eq!((w, h), (2000, 1125));
    assert!(ink > 0.02);
    let texts = svg_texts(&p.read("output/compare-flat-fixture/compare.svg"));
    assert!(
        texts
            .iter()
            .any(|t| t == "UK vehicle production: flat vs fixture"),
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
