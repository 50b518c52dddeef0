//! The powertrain, battery and jobs charts on the shipped data: what each chart says (the ZEV
//! mandate as a SALES reference, the band of the draws, the years cells fall short, old
//! headcounts and plants without one), and that `run` draws them only where the data have
//! their rows.

use std::path::Path;

use ukprod::chart::{self, Chart, Format, Look, Size};
use ukprod::data;
use ukprod::engine::{self, Inputs, Projection};
use ukprod::scenario::{self, Library};
use ukprod::uncertainty::{self, Uncertainty};

use crate::common::Project;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A shipped scenario's projection, and with `draws` its expected projection and spread.
fn shipped(name: &str, draws: usize) -> (Projection, Option<Uncertainty>) {
    shipped_with(name, &[], draws)
}

/// A shipped scenario with `--set` changes.
fn shipped_with(name: &str, sets: &[&str], draws: usize) -> (Projection, Option<Uncertainty>) {
    let data = data::load(&root().join("data")).expect("shipped data");
    let sets: Vec<scenario::SetArg> = sets
        .iter()
        .map(|s| scenario::parse_set(s).expect("a valid --set"))
        .collect();
    let scenario = scenario::resolve(&Library::new(&root().join("scenarios")), &data, name, &sets)
        .expect("shipped scenario resolves");
    let inputs = Inputs::new(&data, &scenario);
    let modal = engine::project_inputs(&data, &scenario, &inputs);
    if draws == 0 {
        return (modal, None);
    }
    let run = uncertainty::run(&modal, &inputs, &scenario.uncertain, draws, 2035, &|_| {});
    let spread = Uncertainty::new(&run, &inputs);
    (run.expected, Some(spread))
}

/// A chart's SVG texts, in document order.
fn texts(chart: Chart, p: &Projection, u: Option<&Uncertainty>) -> Vec<String> {
    let look = Look {
        format: Format::Svg,
        size: Size::Doc,
        from: None,
    };
    let files = chart::scenario_chart_with(chart, p, u, look).expect("drawn");
    let svg = String::from_utf8(files[0].bytes.clone()).expect("UTF-8");
    let doc = roxmltree::Document::parse(&svg).expect("SVG parses");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .collect()
}

/// Whether any text contains `part` (a footer wraps, so look in all of them joined).
fn says(texts: &[String], part: &str) -> bool {
    texts.join(" ").contains(part)
}

#[test]
fn powertrain_chart_draws_the_zev_mandate_as_a_sales_reference_only() {
    let (p, _) = shipped("baseline", 0);
    let t = texts(Chart::Powertrain, &p, None);
    // 2025: 315,453 electrified of 764,715 vehicles (powertrain.csv), 41%.
    assert_eq!(
        t.iter()
            .filter(|s| s.starts_with("Electrified vehicles: 41% of UK output in 2025"))
            .count(),
        1,
        "{t:?}"
    );
    assert!(
        says(
            &t,
            "ZEV mandate: share of new car SALES that must be zero-emission"
        ),
        "{t:?}"
    );
    assert!(says(&t, "of new car SALES"), "{t:?}");
    assert!(says(&t, "not UK production"), "{t:?}");
    // The base year's split is said to be estimated, reconciled to SMMT's figure.
    assert!(
        says(
            &t,
            "2025 split by plant: estimates reconciled to SMMT's 298,813 electrified cars"
        ),
        "{t:?}"
    );
    assert!(says(&t, "scenario baseline (inputs"), "{t:?}");
    // Without draws there is no band to key.
    assert!(!says(&t, "middle 90% of draws"), "{t:?}");
}

#[test]
fn powertrain_chart_with_draws_keys_the_band_and_says_the_figures_are_expected() {
    let (p, u) = shipped("chery-halewood-uncertain", 200);
    let t = texts(Chart::Powertrain, &p, u.as_ref());
    assert!(says(&t, "Electrified share, middle 90% of draws"), "{t:?}");
    assert!(says(&t, "expected in 2035"), "{t:?}");
    assert!(
        says(&t, "Expected values: the mean of 200 Monte Carlo draws"),
        "{t:?}"
    );
    assert!(says(&t, "the middle 90% of 200 draws (seed 2035)"), "{t:?}");
    // The battery chart gives the chance UK cells cover demand in the end year.
    let t = texts(Chart::Batteries, &p, u.as_ref());
    assert!(
        says(
            &t,
            "UK cell capacity covers the cells UK-built vehicles need in 2035"
        ),
        "{t:?}"
    );
}

#[test]
fn powertrain_chart_draws_only_the_mandate_years_within_the_chart() {
    // Ending in 2030, the chart's last mandate share is 2030's 80%; running to 2050, it is
    // 2035's 100%, labelled with its year (the data state no share after 2035).
    let (p, _) = shipped_with("baseline", &["horizon.end_year=2030"], 0);
    let t = texts(Chart::Powertrain, &p, None);
    assert!(t.iter().any(|s| s == "ZEV mandate 80%"), "{t:?}");
    let (p, _) = shipped_with("baseline", &["horizon.end_year=2050"], 0);
    let t = texts(Chart::Powertrain, &p, None);
    assert!(t.iter().any(|s| s == "ZEV mandate 2035: 100%"), "{t:?}");
    assert!(says(&t, "in 2050"), "{t:?}");
}

#[test]
fn battery_chart_titles_the_years_uk_cells_fall_short() {
    let (p, _) = shipped("agratas-late", 0);
    let short: Vec<i32> = p
        .batteries
        .iter()
        .filter(|b| b.year > p.base_year && b.shortfall_gwh >= 0.005)
        .map(|b| b.year)
        .collect();
    assert!(!short.is_empty(), "agratas-late has no shortfall any more");
    let t = texts(Chart::Batteries, &p, None);
    let title = t
        .iter()
        .find(|s| s.starts_with("UK-built vehicles need more cells than UK plants"))
        .unwrap_or_else(|| panic!("{t:?}"));
    let all = t.join(" ");
    for year in &short {
        assert!(all.contains(&year.to_string()), "{year}: {title}");
    }
    assert!(says(&t, "Demand beyond UK capacity:"), "{t:?}");
    assert!(says(&t, "Capacity: nameplate"), "{t:?}");
    assert!(says(&t, "typical battery sizes"), "{t:?}");
    // The base year's shortfall (3.46 GWh of demand, 1.9 GWh of AESC's first plant) is keyed.
    assert!(says(&t, "1.6 GWh in 2025"), "{t:?}");
}

#[test]
fn jobs_chart_names_old_figures_and_plants_without_a_headcount() {
    let (p, _) = shipped("baseline", 0);
    let t = texts(Chart::Jobs, &p, None);
    // data/employment.csv: the 13 plant rows add up to 39,070.
    assert!(says(&t, "39,070 in 2025"), "{t:?}");
    assert!(t.iter().any(|s| s == "2025: latest figures"), "{t:?}");
    assert!(says(&t, "JLR Solihull 2018"), "{t:?}");
    assert!(
        says(
            &t,
            "No published headcount, so not counted: JLR Castle Bromwich and McLaren Woking"
        ),
        "{t:?}"
    );
    assert!(
        says(&t, "Sources: company statements and press reports"),
        "{t:?}"
    );
    // Luton closed in 2025: its 1,120 jobs go.
    assert!(t.iter().any(|s| s == "Vauxhall Luton"), "{t:?}");
    assert!(t.iter().any(|s| s == "−1,120"), "{t:?}");
}

/// A project holding the shipped data and scenarios.
pub fn shipped_project() -> Project {
    let mut project = Project::new();
    for dir in ["data", "scenarios"] {
        for entry in std::fs::read_dir(root().join(dir)).expect("folder") {
            let path = entry.expect("entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).expect("name");
            if !(name.ends_with(".csv") || name.ends_with(".toml")) {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("readable");
            project = if dir == "data" {
                project.data(name, &text)
            } else {
                project.scenario(name.trim_end_matches(".toml"), &text)
            };
        }
    }
    project
}

#[test]
fn run_draws_the_industry_charts_only_where_the_data_have_their_rows() {
    let shipped = shipped_project();
    shipped
        .cmd(&["run", "baseline", "--format", "svg"])
        .assert()
        .success();
    for chart in ["powertrain", "batteries", "jobs"] {
        assert!(
            shipped
                .path(&format!("output/baseline/{chart}.svg"))
                .exists(),
            "{chart}.svg not drawn"
        );
    }
    // The fixture data have no powertrain split and no headcounts: no such charts.
    let fixture = Project::new().scenario("plain", "description = \"plain\"\n");
    fixture
        .cmd(&["run", "plain", "--format", "svg"])
        .assert()
        .success();
    for chart in ["powertrain", "batteries", "jobs"] {
        assert!(
            !fixture.path(&format!("output/plain/{chart}.svg")).exists(),
            "{chart}.svg drawn without its data"
        );
    }
}
