//! The report as a printed briefing: charts printed at the 16 cm they are drawn for, no
//! forced page breaks, the description once, sources one line each, a date in words that a
//! rerun keeps, plain text in report.md, and no columns of dashes.

use crate::common::Project;

const BASE: &str = "description = \"The base case, described once: 2024->2025 fell, 33,600 < 50,000.\"\nheadline = \"The base case in one sentence.\"\n[horizon]\nend_year = 2030\n[target]\nvolume = 800000\nyear = 2030\n\n[programmes.x]\n# Existing + peak = 33,600 < 50,000 capacity; 2024->2025 fell & more.\nplant = \"alpha\"\nstart = 2027\npeak = 30000\n";

const BET: &str =
    "extends = \"base\"\ndescription = \"A bet.\"\n[programmes.x]\nprobability = 0.5\n";

/// An ISO day in words, worked out here, not by ukprod: "2026-03-01" -> "1 March 2026".
pub fn in_words(iso: &str) -> String {
    let months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<usize> = iso.split('-').map(|p| p.parse().unwrap()).collect();
    format!("{} {} {}", parts[2], months[parts[1] - 1], parts[0])
}

fn manifest(p: &Project, dir: &str) -> serde_json::Value {
    serde_json::from_str(&p.read(&format!("{dir}/manifest.json"))).unwrap()
}

#[test]
fn charts_print_at_their_width_with_no_forced_breaks_and_no_captions() {
    let p = Project::new().scenario("base", BASE);
    p.cmd(&["report", "base"]).assert().success();
    let html = p.read("output/report-base/index.html");
    // A4, and each chart 16 cm wide in print: the width its text sizes are set for.
    assert!(html.contains("@page{size:A4"), "{html}");
    assert!(html.contains("figure{width:16cm"), "{html}");
    // Charts and table rows are never split; nothing forces a page break.
    assert!(html.contains("figure{margin:.8em auto;max-width:16cm;break-inside:avoid"));
    assert!(!html.contains("break-before:page") && !html.contains("page-break-before"));
    // The SVG scales to the page: no pixel size left on it.
    assert_eq!(
        html.matches("<svg viewBox=").count(),
        4,
        "path, makers, bridge, plants"
    );
    assert!(!html.contains("<svg width="));
    // No caption repeating a chart's title under it.
    assert!(!html.contains("<figcaption"), "{html}");
    // The description once, in the scenario's section, in both forms.
    let description = "The base case, described once";
    assert_eq!(html.matches(description).count(), 1);
    let md = p.read("output/report-base/report.md");
    assert_eq!(md.matches(description).count(), 1);
}

#[test]
fn report_md_is_plain_text_without_entities() {
    let p = Project::new().scenario("base", BASE);
    p.cmd(&["report", "base"]).assert().success();
    let md = p.read("output/report-base/report.md");
    for entity in ["&gt;", "&lt;", "&amp;", "&#39;"] {
        assert!(!md.contains(entity), "report.md holds {entity}:\n{md}");
    }
    // Arrows, comparisons and ampersands stay as written, in the description and the notes.
    assert!(
        md.contains("The base case, described once: 2024->2025 fell, 33,600 < 50,000."),
        "{md}"
    );
    assert!(
        md.contains("Existing + peak = 33,600 < 50,000 capacity; 2024->2025 fell & more."),
        "{md}"
    );
    // The HTML escapes them.
    let html = p.read("output/report-base/index.html");
    assert!(html.contains("2024-&gt;2025 fell, 33,600 &lt; 50,000."));
}

#[test]
fn the_chance_column_appears_only_with_draws() {
    let p = Project::new().scenario("base", BASE).scenario("bet", BET);
    p.cmd(&["report", "base", "bet", "--draws", "0"])
        .assert()
        .success();
    let md = p.read("output/report-base-bet/report.md");
    assert!(!md.contains("Chance of the target"), "{md}");
    assert!(!md.contains("P5 to P95"), "{md}");
    p.cmd(&["report", "base", "bet", "--draws", "200"])
        .assert()
        .success();
    let md = p.read("output/report-base-bet/report.md");
    // Both years are the target year 2030, said once in the heading.
    assert!(md.contains("| Chance of the target, 2030 |"), "{md}");
    // The scenario without draws has a dash, not a chance.
    let base_row = md.lines().find(|l| l.starts_with("| base |")).unwrap();
    assert!(base_row.ends_with("| – |"), "{base_row}");
}

#[test]
fn sources_are_one_line_each_with_years_as_runs() {
    let p = Project::new().scenario("base", BASE);
    p.cmd(&["report", "base"]).assert().success();
    let md = p.read("output/report-base/report.md");
    let sources = &md[md.find("## Sources").unwrap()..md.find("### Provenance").unwrap()];
    let lines: Vec<&str> = sources.lines().filter(|l| l.starts_with("- ")).collect();
    // The fixture's history has two sources (1990; 2009 to 2025) and three plants (cars,
    // then CVs, largest output first), each with its 2025 output and capacity and how each
    // was obtained (a file without kind columns: published unless the source says
    // "Estimate:"), as `ukprod data` gives them.
    assert_eq!(
        lines,
        [
            "- **1990:** Fixture: cars only",
            "- **2009–2025:** Fixture",
            "- **Alpha Works:** 2025 output 200,000 (published): Fixture. Capacity 300,000 (published): Fixture.",
            "- **Beta Works:** 2025 output 100,000 (published): Fixture. Capacity 100,000 (published): Fixture.",
            "- **Gamma Vans:** 2025 output 40,000 (published): Fixture. Capacity 60,000 (published): Fixture.",
        ]
    );
}

#[test]
fn the_date_is_in_words_and_kept_while_the_inputs_are_the_same() {
    let p = Project::new().scenario("base", BASE);
    p.cmd(&["report", "base"]).assert().success();
    let dir = "output/report-base";
    let first = manifest(&p, dir);
    let today = first["date"].as_str().unwrap()[..10].to_string();
    assert_eq!(first["dated"].as_str(), Some(today.as_str()));
    let md = p.read(&format!("{dir}/report.md"));
    assert!(
        md.contains(&format!("_{}. Made by ukprod", in_words(&today))),
        "{md}"
    );
    // As if the report had been made on 1 March 2026: made again from the same inputs, it
    // keeps that day, so a rerun on another day is byte for byte the same.
    let text = p.read(&format!("{dir}/manifest.json")).replace(
        &format!("\"dated\": \"{today}\""),
        "\"dated\": \"2026-03-01\"",
    );
    std::fs::write(p.path(&format!("{dir}/manifest.json")), text).unwrap();
    p.cmd(&["report", "base"]).assert().success();
    assert_eq!(manifest(&p, dir)["dated"], "2026-03-01");
    for file in ["report.md", "index.html"] {
        let text = p.read(&format!("{dir}/{file}"));
        assert!(text.contains("1 March 2026"), "{file}");
    }
    let out = p.stdout(&["rerun", &format!("{dir}/manifest.json")]);
    assert!(out.contains("identical"), "{out}");
    // A changed input makes a new report, dated the day it is made.
    std::fs::write(
        p.path("scenarios/base.toml"),
        BASE.replace("peak = 30000", "peak = 40000"),
    )
    .unwrap();
    p.cmd(&["report", "base"]).assert().success();
    let now = manifest(&p, dir);
    let day = &now["date"].as_str().unwrap()[..10];
    assert_eq!(now["dated"].as_str(), Some(day));
    assert!(p.read(&format!("{dir}/report.md")).contains(&in_words(day)));
}
