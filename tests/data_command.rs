//! `ukprod data`: what the data say and how solid each part is, through the binary, on
//! figures worked out here by hand.
//!
//! The data are the fixture's (500,000 cars and 50,000 CVs in 2025; alpha 200,000 and beta
//! 100,000 cars, gamma 40,000 CVs) with each base-year figure given a kind: alpha published,
//! beta an estimate (90,000–110,000), gamma derived. So the car residual is 500,000 − 300,000 =
//! 200,000, 40% of 500,000; the CV residual 50,000 − 40,000 = 10,000, 20%.

use crate::common::{Project, csv_rows, row};

const OUTPUT: &str = "\
plant_id,year,output,low,high,kind,source
alpha,2024,210000,,,published,Fixture
alpha,2025,200000,,,published,Fixture: read in a release
beta,2025,100000,90000,110000,estimate,Estimate: fixture
gamma,2025,40000,,,derived,Derived: fixture
";

const RESIDUALS: &str = "\
segment,contains,source
car,Small makers,Fixture note
cv,Bus builders,Fixture note
";

/// A history whose early years leave gaps of one and two years, cited by a blog, Hansard and
/// Statista, then 2010–2025 complete from SMMT.
fn history() -> String {
    let mut csv = String::from("year,cars,commercial_vehicles,total,source\n");
    csv.push_str("1950,900000,,,carsnewsblog2017.blogspot.com table (blog not SMMT)\n");
    csv.push_str("1951,900000,,,Hansard HC 1 Jan 1952\n");
    csv.push_str("1954,900000,,,Hansard HC 1 Jan 1955\n");
    csv.push_str("1956,900000,,,Statista chart (quoting SMMT)\n");
    for year in 2010..2025 {
        csv.push_str(&format!("{year},600000,50000,650000,SMMT press release\n"));
    }
    csv.push_str("2025,500000,50000,550000,SMMT press release\n");
    csv
}

fn project() -> Project {
    Project::new()
        .data("plant_output.csv", OUTPUT)
        .data("residuals.csv", RESIDUALS)
}

/// Text with every run of whitespace made one space, so wrapped lines read as one.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_residual_is_the_national_figure_less_the_listed_plants() {
    let p = project();
    let out = flat(&p.stdout(&["data"]));
    assert!(
        out.contains(
            "Cars: SMMT's 500,000 cars in 2025 = 300,000 in the 2 listed plants + 200,000 \
             residual (40.0% of SMMT's figure)."
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "Commercial vehicles: SMMT's 50,000 commercial vehicles in 2025 = 40,000 in the 1 \
             listed plant + 10,000 residual (20.0% of SMMT's figure)."
        ),
        "{out}"
    );
    assert!(out.contains("Thought to contain: Small makers. Source: Fixture note."));
    assert!(out.contains("Thought to contain: Bus builders. Source: Fixture note."));
}

#[test]
fn shares_by_kind_reconcile_with_smmt() {
    let p = project();
    let out = p.stdout(&["data"]);
    // Cars: published alpha 200,000 (40%), estimate beta 100,000 (20%), residual 200,000
    // (40%). CVs: derived gamma 40,000 (80%), residual 10,000 (20%). All 550,000: published
    // 36.4%, derived 7.3%, estimate 18.2%, residual 210,000 = 38.2%.
    let line = |name: &str| {
        out.lines()
            .find(|l| l.starts_with(name) && l.contains('%'))
            .map(flat)
            .unwrap_or_else(|| panic!("no {name} line in\n{out}"))
    };
    assert_eq!(
        line("Cars "),
        "Cars 500,000 200,000 (40.0%) 0 (0.0%) 100,000 (20.0%) 200,000 (40.0%)"
    );
    assert_eq!(
        line("Commercial vehicles "),
        "Commercial vehicles 50,000 0 (0.0%) 40,000 (80.0%) 0 (0.0%) 10,000 (20.0%)"
    );
    assert_eq!(
        line("All vehicles"),
        "All vehicles 550,000 200,000 (36.4%) 40,000 (7.3%) 100,000 (18.2%) 210,000 (38.2%)"
    );
    // The chart's title says the same, rounded, and that the total itself is SMMT's.
    let svg = svg_text(&p.read("output/data/data.svg"));
    assert!(
        svg.contains(
            "SMMT's 2025 total is official; 36% of it is in published plant figures, 38% in no \
             listed plant (the residual)"
        ),
        "{}",
        &svg[..svg.len().min(600)]
    );
}

/// An SVG's text with the entities the writer uses for quotes turned back into characters.
fn svg_text(svg: &str) -> String {
    svg.replace("&apos;", "'").replace("&#39;", "'")
}

/// The contents of an SVG's `<text>` elements, trimmed.
fn svg_labels(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = t.split_once('>')?.1;
            Some(body.split_once("</text>")?.0.trim().to_string())
        })
        .collect()
}

/// Plants for a tiny bar: delta builds 2,137 cars (1,600–2,600) beside alpha's 200,000;
/// epsilon, closed, builds none.
const TINY_PLANTS: &str = "\
id,name,operator,location,segment,capacity,source
alpha,Alpha Works,Alpha,Northtown,car,300000,Fixture
beta,Beta Works,Beta,Southtown,car,100000,Fixture
delta,Delta Cars,Delta,Easttown,car,6000,Fixture
epsilon,Epsilon Works,Epsilon,Uptown,car,50000,Fixture
gamma,Gamma Vans,Gamma,Westtown,cv,60000,Fixture
";

/// Alpha's figure is a by-maker total as transcribed by a third party (published), and
/// beta's estimate starts from Beta's transcribed total; delta's tiny figure has a range.
const TINY_OUTPUT: &str = "\
plant_id,year,output,low,high,kind,source
alpha,2025,200000,,,published,\"SMMT output by manufacturer, as transcribed by a third party\"
beta,2025,100000,90000,110000,estimate,\"Estimate: share of Beta's total (SMMT, as transcribed by a third party)\"
delta,2025,2137,1600,2600,estimate,Estimate: 2023 carried forward
epsilon,2025,0,,,published,Car assembly ended May 2024 (fixture)
gamma,2025,40000,,,derived,Derived: fixture
";

#[test]
fn a_tiny_bar_gives_its_range_in_its_label_and_transcribed_totals_are_flagged() {
    // Cars: 200,000 + 100,000 + 2,137 + 0 of 500,000.
    let p = Project::new()
        .data("plants.csv", TINY_PLANTS)
        .data("plant_output.csv", TINY_OUTPUT);
    let out = flat(&p.stdout(&["data", "--format", "svg"]));
    // Alpha's row is published, so it is named by its plant; beta's is an estimate from its
    // operator's total, so by the operator. Once, under the split of SMMT's total.
    let caveat = "Alpha Works's and Beta's 2025 totals are SMMT's by-maker figures as copied by \
                  a third party (the original not seen).";
    assert_eq!(out.matches(caveat).count(), 1, "{out}");
    let svg = svg_text(&p.read("output/data/data.svg"));
    // In the chart's footer too, with the closed plant that is not drawn.
    assert!(flat(&svg).contains(caveat), "{svg}");
    assert!(
        flat(&svg).contains("Epsilon Works (closed 2024): 0 in 2025, not shown."),
        "{svg}"
    );
    let labels = svg_labels(&svg);
    // Delta's bar is a sliver: no whisker, the range in its label.
    assert!(
        labels.iter().any(|l| l == "2,137 (1,600–2,600)"),
        "{labels:?}"
    );
    // Beta's bar is long and its range wide enough to draw: a whisker, a plain label.
    assert!(labels.iter().any(|l| l == "100,000"), "{labels:?}");
    assert!(!svg.contains("(90,000–110,000)"), "{labels:?}");
}

#[test]
fn gaps_are_runs_and_secondary_sources_are_flagged() {
    let p = project().data("history.csv", &history());
    let md = p.stdout(&["data"]);
    let out = flat(&md);
    assert!(
        out.contains(
            "20 years with a sourced figure from 1950 to 2025: cars in every one; commercial \
             vehicles, and so totals, in 16 of them (2010–2025). 56 years have no sourced \
             figure and are left out: 1952–1953, 1955, 1957–2009."
        ),
        "{out}"
    );
    let periods: Vec<String> = md
        .lines()
        .skip_while(|l| !(l.starts_with("Years") && l.contains("Rows")))
        .take(5)
        .map(flat)
        .collect();
    assert_eq!(
        periods,
        [
            "Years Rows Sources Note",
            "1950 1 carsnewsblog (a blog) secondary",
            "1951–1954 2 Hansard",
            "1956 1 Statista (quoting SMMT) secondary",
            "2010–2025 16 SMMT",
        ]
    );
}

#[test]
fn data_csv_has_a_row_per_plant_and_per_residual() {
    let p = project();
    p.cmd(&["data", "--format", "svg"]).assert().success();
    let text = p.read("output/data/data.csv");
    assert!(
        text.starts_with(
            "id,name,segment,year,output,low,high,kind,capacity,capacity_kind,source\n"
        )
    );
    let rows = csv_rows(&text);
    assert_eq!(rows.len(), 5);
    assert_eq!(
        row(&rows, &["alpha"])[..10],
        [
            "alpha",
            "Alpha Works",
            "car",
            "2025",
            "200000",
            "",
            "",
            "published",
            "300000",
            "published"
        ]
    );
    assert_eq!(
        row(&rows, &["beta"])[4..8],
        ["100000", "90000", "110000", "estimate"]
    );
    assert_eq!(row(&rows, &["gamma"])[7], "derived");
    let other = row(&rows, &["other-car"]);
    assert_eq!(other[4..8], ["200000", "", "", "residual"]);
    assert!(other[10].contains("Thought to contain: Small makers"));
    assert_eq!(row(&rows, &["other-cv"])[4], "10000");
    // --format svg: no PNG.
    assert!(!p.path("output/data/data.png").exists());
    assert!(p.path("output/data/data.svg").exists());
}

#[test]
fn without_residuals_csv_the_residual_is_not_described() {
    let p = Project::new().data("plant_output.csv", OUTPUT);
    let out = flat(&p.stdout(&["data"]));
    assert!(
        out.contains("What it contains is not described: residuals.csv has no row for `car`."),
        "{out}"
    );
    assert!(out.contains("200,000 residual (40.0% of SMMT's figure)"));
}

#[test]
fn an_unknown_segment_fails_with_its_line_and_column_and_writes_nothing() {
    let p = project().data(
        "residuals.csv",
        "segment,contains,source\ncv,Buses,Note\ncarz,Small makers,Note\n",
    );
    let err = p.fails(&["data"]);
    assert!(
        err.contains("residuals.csv:3: column `segment`: unknown segment `carz`"),
        "{err}"
    );
    assert!(err.contains("help: did you mean `car`?"), "{err}");
    assert!(!p.path("output/data").exists());
}

#[test]
fn a_segment_described_twice_or_a_blank_description_fails() {
    let p = project().data(
        "residuals.csv",
        "segment,contains,source\ncar,Small makers,Note\ncar,Others,Note\ncv,,Note\n",
    );
    let err = p.fails(&["validate"]);
    assert!(
        err.contains("residuals.csv:3: column `segment`: segment `car` is described twice"),
        "{err}"
    );
    assert!(
        err.contains("residuals.csv:4: column `contains`: contains must not be empty"),
        "{err}"
    );
}

#[test]
fn the_report_appendix_gives_the_same_plant_text_as_data_md() {
    let p = project().scenario(
        "base",
        "description = \"Base.\"\n[horizon]\nend_year = 2030\n[target]\nvolume = 800000\nyear = 2030\n",
    );
    p.cmd(&["data", "--format", "svg"]).assert().success();
    p.cmd(&["report", "base"]).assert().success();
    let data = p.read("output/data/data.md");
    let report = p.read("output/report-base/report.md");
    // From the plants' heading to the end of the reconciliation table, heading levels aside.
    let part = |md: &str| -> Vec<String> {
        md.lines()
            .skip_while(|l| !l.trim_start_matches('#').starts_with(" Plants: 2025"))
            .take_while(|l| !l.trim_start_matches('#').starts_with(" Provenance"))
            .map(|l| l.trim_start_matches('#').to_string())
            .collect()
    };
    let (from_data, from_report) = (part(&data), part(&report));
    assert!(from_data.len() > 20, "{data}");
    assert_eq!(from_data, from_report[..from_data.len()]);
}

#[test]
fn data_md_for_the_fixture() {
    let p = project();
    p.cmd(&["data", "--format", "svg"]).assert().success();
    insta::assert_snapshot!(p.read("output/data/data.md"), @r#"
    # What the data say, and how solid each part is

    **SMMT's 2025 total is official; 36% of it is in published plant figures, 38% in no listed plant (the residual)**

    ## UK output by year

    18 years with a sourced figure from 1990 to 2025: cars in every one; commercial vehicles, and so totals, in 17 of them (2009–2025). 18 years have no sourced figure and are left out: 1991–2008.

    ### Sources by period

    _Years grouped by source, each group's sources most cited first. Secondary: a compilation, a blog or a later article rather than SMMT or an official record quoting SMMT; treat those years as approximate._

    | Years | Rows | Sources | Note |
    |---|---:|---|---|
    | 1990 | 1 | Fixture: cars only |  |
    | 2009–2025 | 17 | Fixture |  |

    ## Plants: 2025 output and capacity

    _Published: read in the cited source (perhaps rounded). Derived: worked out from published figures by arithmetic the row states. Estimate: a judgement the row argues. Low–high is the range the row's argument allows, where it gives one._

    ### Cars

    | Plant | 2025 output | Kind | Low–high | Capacity | Capacity kind |
    |---|---:|---|---:|---:|---|
    | Alpha Works | 200,000 | published |  | 300,000 | published |
    | Beta Works | 100,000 | estimate | 90,000–110,000 | 100,000 | published |
    | Other UK manufacturers | 200,000 | residual |  |  |  |
    | **SMMT, all cars** | 500,000 | published |  |  |  |

    ### Commercial vehicles

    | Plant | 2025 output | Kind | Low–high | Capacity | Capacity kind |
    |---|---:|---|---:|---:|---|
    | Gamma Vans | 40,000 | derived |  | 60,000 | published |
    | Other UK manufacturers | 10,000 | residual |  |  |  |
    | **SMMT, all commercial vehicles** | 50,000 | published |  |  |  |

    ### Where each plant figure comes from

    - **Alpha Works:** 2025 output 200,000 (published): Fixture: read in a release. Capacity 300,000 (published): Fixture.
    - **Beta Works:** 2025 output 100,000 (estimate): fixture. Capacity 100,000 (published): Fixture.
    - **Gamma Vans:** 2025 output 40,000 (derived): fixture. Capacity 60,000 (published): Fixture.

    ## Other UK manufacturers: the residual

    Cars: SMMT's 500,000 cars in 2025 = 300,000 in the 2 listed plants + 200,000 residual (40.0% of SMMT's figure).

    Thought to contain: Small makers. Source: Fixture note.

    Commercial vehicles: SMMT's 50,000 commercial vehicles in 2025 = 40,000 in the 1 listed plant + 10,000 residual (20.0% of SMMT's figure).

    Thought to contain: Bus builders. Source: Fixture note.

    ## Where the plant-by-plant split of SMMT's 2025 total comes from

    _Vehicles in the listed plants' figures by how each was obtained, and the residual, each with its share of SMMT's figure._

    | Segment | SMMT 2025 | Published | Derived | Estimate | Residual |
    |---|---:|---:|---:|---:|---:|
    | Cars | 500,000 | 200,000 (40.0%) | 0 (0.0%) | 100,000 (20.0%) | 200,000 (40.0%) |
    | Commercial vehicles | 50,000 | 0 (0.0%) | 40,000 (80.0%) | 0 (0.0%) | 10,000 (20.0%) |
    | All vehicles | 550,000 | 200,000 (36.4%) | 40,000 (7.3%) | 100,000 (18.2%) | 210,000 (38.2%) |
    "#);
}
