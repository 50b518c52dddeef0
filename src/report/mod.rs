//! The report: one self-contained HTML file (charts inline as SVG, CSS inline, nothing
//! fetched) and the same text as Markdown with PNG charts beside it.

use std::fmt::Write;

use crate::data::Dataset;
use crate::engine::Projection;
use crate::export::{format_count, format_signed};
use crate::manifest::Manifest;
use crate::scenario::{Scenario, Seg, key_path, notes, written};
use crate::uncertainty::{Swing, Uncertainty};

/// A chart for the report, in both forms.
#[derive(Debug, Clone)]
pub struct Figure {
    /// What it shows.
    pub caption: String,
    /// The SVG, inlined in the HTML.
    pub svg: String,
    /// The PNG's file name beside report.md.
    pub png: String,
}

/// One scenario's part of the report.
#[derive(Debug, Clone)]
pub struct Part<'a> {
    /// The resolved scenario.
    pub scenario: &'a Scenario,
    /// Its projection.
    pub projection: &'a Projection,
    /// Its draws, if any.
    pub uncertainty: Option<&'a Uncertainty>,
    /// Its one-at-a-time sensitivity, if it has uncertain inputs.
    pub swings: Option<&'a [Swing]>,
    /// Its charts.
    pub figures: Vec<Figure>,
}

/// Everything a report shows.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    /// The scenarios, in the order asked for.
    pub parts: Vec<Part<'a>>,
    /// Charts across scenarios: the headline path, and the comparison when there are several.
    pub headline: Vec<Figure>,
    /// The data.
    pub data: &'a Dataset,
    /// What made it.
    pub manifest: &'a Manifest,
}

/// Escape text for HTML: every string from a scenario or data file goes through here.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escape text for a Markdown table cell (and keep HTML inert).
fn md(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', " ")
}

/// An SVG ready to inline: scales to the page, no namespace URL (HTML does not need it).
fn inline_svg(svg: &str) -> String {
    svg.replacen(
        r#"<svg width="2000" height="1125" viewBox="0 0 2000 1125" xmlns="http://www.w3.org/2000/svg">"#,
        r#"<svg viewBox="0 0 2000 1125" role="img">"#,
        1,
    )
}

/// The headline table, header first: one row per scenario; the spread and chance columns
/// only when a scenario ran draws (else they would be all dashes). HTML and Markdown render
/// the same cells.
fn headline_table(report: &Report<'_>) -> Vec<Vec<String>> {
    let draws = report.parts.iter().any(|p| p.uncertainty.is_some());
    let mut header = vec!["Scenario", "Base-year actual", "End-year total"];
    if draws {
        header.push("P5 to P95 of the draws");
    }
    header.extend([
        "Gap to target path",
        "Growth needed a year",
        "Growth a year",
    ]);
    if draws {
        header.push("Chance of the target");
    }
    let mut rows = vec![header.into_iter().map(String::from).collect()];
    for part in &report.parts {
        let p = part.projection;
        let s = &p.summary;
        let year = p.target.year.min(p.end_year);
        let mut row = vec![
            p.scenario.clone(),
            format!("{} ({})", format_count(s.base_total), p.base_year),
            format!(
                "{} ({}, {})",
                format_count(s.end_total),
                p.end_year,
                p.basis.word()
            ),
        ];
        if draws {
            row.push(
                part.uncertainty
                    .and_then(|u| u.bands.iter().find(|b| b.year == p.end_year))
                    .map_or("–".into(), |b| {
                        format!(
                            "{} to {}",
                            format_count(b.percentiles[0]),
                            format_count(b.percentiles[6])
                        )
                    }),
            );
        }
        row.extend([
            format_signed(s.end_gap),
            format!("{:+.1}%", s.growth_needed * 100.0),
            format!("{:+.1}%", s.growth_projected * 100.0),
        ]);
        if draws {
            row.push(
                part.uncertainty
                    .and_then(|u| u.probability_in(year))
                    .map_or("–".into(), |c| format!("{:.1}% ({year})", c * 100.0)),
            );
        }
        rows.push(row);
    }
    rows
}

/// What the headline table's figures are, when any is not a plain projection, and what
/// `--set` changed in any variant: a figure never stands without what it is.
fn headline_note(report: &Report<'_>) -> Option<String> {
    let notes: Vec<String> = report
        .parts
        .iter()
        .flat_map(|p| {
            let p = p.projection;
            [
                crate::export::modified_note(p),
                crate::export::basis_note(p.basis),
            ]
            .into_iter()
            .filter(|n| !n.is_empty())
            .map(move |n| format!("{}: {n}", p.scenario))
        })
        .collect();
    (!notes.is_empty()).then(|| notes.join(". ") + ".")
}

/// The notes above a scenario's section: what `--set` changed and what the figures are.
fn part_notes(p: &Projection) -> Vec<String> {
    [
        crate::export::modified_note(p),
        crate::export::basis_note(p.basis),
    ]
    .into_iter()
    .filter(|n| !n.is_empty())
    .map(|n| n + ".")
    .collect()
}

/// Register rows changed by `--set` say so in their setting, with the values given, so a
/// variant's register never shows a note that argues for the value it replaced.
fn marked(
    rows: Vec<(String, String, String)>,
    scenario: &Scenario,
) -> Vec<(String, String, String)> {
    rows.into_iter()
        .map(|(item, setting, note)| {
            let changes: Vec<&str> = scenario
                .sources
                .sets
                .iter()
                .map(|s| s.change.as_str())
                .filter(|c| {
                    // The row's key, before "(set in ...)".
                    let key = item.split_once(" (").map_or(item.as_str(), |(k, _)| k);
                    c.strip_prefix(key)
                        .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('='))
                })
                .collect();
            if changes.is_empty() {
                (item, setting, note)
            } else {
                let mark = format!("CHANGED by --set {}", changes.join(", --set "));
                let note = format!("(These notes are the scenario file's, written for the value before the change.) {note}");
                (item, format!("{mark}. {setting}"), note)
            }
        })
        .collect()
}

/// The assumptions register: every plant change, new plant, programme and shock, with what
/// the scenario's files (or `--set`) write there, which files those are, and the comments
/// they write there. Defaults ukprod filled in are left out.
fn register(scenario: &Scenario) -> Vec<(String, String, String)> {
    let mut items: Vec<(String, Vec<Seg>)> = Vec::new();
    for section in ["plants", "new_plants", "programmes"] {
        if let Some(toml::Value::Table(table)) = scenario.resolved.get(section) {
            items.extend(
                table
                    .keys()
                    .map(|id| (format!("{section}.{id}"), key_path([section, id.as_str()]))),
            );
        }
    }
    if let Some(toml::Value::Array(shocks)) = scenario.resolved.get("shocks") {
        items.extend((0..shocks.len()).map(|i| {
            (
                format!("shocks.{i}"),
                vec![Seg::Key("shocks".into()), Seg::Index(i)],
            )
        }));
    }
    items
        .into_iter()
        .map(|(name, path)| {
            let section = name.split('.').next().unwrap_or_default();
            let mut fields = written(scenario, &path);
            fields.sort_by_key(|(key, ..)| field_rank(section, key));
            let mut by: Vec<&str> = Vec::new();
            for (.., file) in &fields {
                if !by.contains(&file.as_str()) {
                    by.push(file);
                }
            }
            let item = if by.is_empty() {
                name
            } else {
                format!("{name} (set in {})", by.join(", "))
            };
            let setting = fields
                .iter()
                .map(|(key, value, _)| format!("{key} = {}", setting(key, value)))
                .collect::<Vec<_>>()
                .join("; ");
            (item, setting, notes(scenario, &path).join(" "))
        })
        .collect()
}

/// The order fields are listed in: as the README's scenario reference lists them.
fn field_rank(section: &str, key: &str) -> (usize, String) {
    let order: &[&str] = match section {
        "plants" => &["capacity", "utilisation_cap", "output", "growth", "closes"],
        "new_plants" => &[
            "name",
            "operator",
            "segment",
            "capacity",
            "opens",
            "utilisation_cap",
            "probability",
        ],
        "programmes" => &[
            "plant",
            "maker",
            "start",
            "peak",
            "ramp_years",
            "curve",
            "ends",
            "enabled",
            "probability",
        ],
        _ => &["year", "plant", "maker", "lost_weeks", "probability"],
    };
    let rank = order.iter().position(|k| *k == key).unwrap_or(order.len());
    (rank, key.to_string())
}

/// A value as a reader writes it: volumes with thousands separators (years without), a range
/// as low / mode / high, waypoints as "168,000 in 2026", strings without quotes.
fn setting(key: &str, value: &toml::Value) -> String {
    let year = matches!(key, "start" | "opens" | "closes" | "ends" | "year");
    let number = |v: &toml::Value| match v {
        toml::Value::Integer(i) if !year && i.abs() >= 1000 => format_count(*i as f64),
        toml::Value::Float(x) if !year && x.fract() == 0.0 && x.abs() >= 1000.0 => format_count(*x),
        toml::Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let one = |v: &toml::Value| match v {
        toml::Value::Table(t) if t.contains_key("mode") => {
            let end = |k: &str| t.get(k).map(number).unwrap_or_default();
            format!(
                "{} / {} / {} (low / mode / high)",
                end("low"),
                end("mode"),
                end("high")
            )
        }
        other => number(other),
    };
    match value {
        toml::Value::Table(t) if !t.contains_key("mode") => t
            .iter()
            .map(|(k, v)| format!("{} in {k}", one(v)))
            .collect::<Vec<_>>()
            .join(", "),
        other => one(other),
    }
}

/// The sources behind the data: publications by the years they cover, and each plant's.
/// (years, publication) for the national series.
type HistorySources = Vec<(String, String)>;
/// (plant, capacity source, base-year output source).
type PlantSources = Vec<(String, String, String)>;

fn sources(data: &Dataset) -> (HistorySources, PlantSources) {
    let mut history: Vec<(String, Vec<i32>)> = Vec::new();
    for h in &data.history {
        match history.iter_mut().find(|(s, _)| *s == h.source) {
            Some((_, years)) => years.push(h.year),
            None => history.push((h.source.clone(), vec![h.year])),
        }
    }
    let history = history
        .into_iter()
        .map(|(source, years)| {
            let list: Vec<String> = years.iter().map(i32::to_string).collect();
            (list.join(", "), source)
        })
        .collect();
    let plants = data
        .plants
        .iter()
        .map(|p| {
            let output = data
                .base_output_sources
                .get(&p.id)
                .cloned()
                .unwrap_or_default();
            (p.name.clone(), p.source.clone(), output)
        })
        .collect();
    (history, plants)
}

const CSS: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;\
color:#222;line-height:1.45}h1{font-size:1.7em}h2{margin-top:2em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;width:100%;font-size:.85em;margin:1em 0}th,td{border-bottom:1px solid #ddd;\
padding:.3em .5em;text-align:left;vertical-align:top}td.n,th.n{text-align:right}figure{margin:1.5em 0}\
figure svg{width:100%;height:auto;display:block}svg text{font-family:'DejaVu Sans','Bitstream Vera Sans',Verdana,sans-serif}figcaption{font-size:.85em;color:#555}pre{white-space:pre-wrap;\
font-size:.8em;background:#f6f6f6;padding:1em}.meta{color:#555}\
@page{size:A4;margin:15mm}@media print{body{max-width:none;margin:0}figure,table,tr{break-inside:avoid;\
page-break-inside:avoid}h2,h3{break-after:avoid;page-break-after:avoid}section{break-before:page}}";

fn provenance(manifest: &Manifest) -> String {
    let mut out = String::new();
    // No date here: the report is the same, byte for byte, whenever it is made from the same
    // inputs; the date of the run is in manifest.json.
    let _ = writeln!(
        out,
        "ukprod {} (the date of the run is in manifest.json)",
        manifest.ukprod_version
    );
    let _ = writeln!(out, "command: ukprod {}", manifest.command.join(" "));
    if let (Some(draws), Some(seed)) = (manifest.draws, manifest.seed) {
        let _ = writeln!(out, "draws: {draws}, seed {seed}");
    }
    for f in &manifest.data {
        let _ = writeln!(out, "data {}: sha256 {}", f.path, f.sha256);
    }
    for s in &manifest.scenarios {
        let _ = writeln!(
            out,
            "scenario {}: sha256 {} (chart fingerprint {})",
            s.name, s.sha256, s.fingerprint
        );
    }
    out
}

/// The report as one self-contained HTML page.
pub fn html(report: &Report<'_>) -> String {
    let names: Vec<&str> = report
        .parts
        .iter()
        .map(|p| p.projection.scenario.as_str())
        .collect();
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>ukprod report: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        escape(&names.join(", "))
    );
    let _ = writeln!(
        h,
        "<h1>UK vehicle production: {}</h1>",
        escape(&names.join(", "))
    );
    let _ = writeln!(
        h,
        "<p class=\"meta\">Made by ukprod {} from SMMT history and the plant data listed below.</p>",
        escape(&report.manifest.ukprod_version)
    );
    h.push_str("<h2>Headline</h2>\n<table>\n");
    for (i, row) in headline_table(report).iter().enumerate() {
        let cell = if i == 0 { "th" } else { "td" };
        h.push_str("<tr>");
        for (k, text) in row.iter().enumerate() {
            let class = if k > 0 { " class=\"n\"" } else { "" };
            let _ = write!(h, "<{cell}{class}>{}</{cell}>", escape(text));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n");
    if let Some(note) = headline_note(report) {
        let _ = writeln!(h, "<p class=\"meta\">{}</p>", escape(&note));
    }
    for f in &report.headline {
        figure_html(&mut h, f);
    }
    for part in &report.parts {
        let _ = writeln!(
            h,
            "<section>\n<h2>Scenario {}</h2>",
            escape(&part.projection.scenario)
        );
        for note in part_notes(part.projection) {
            let _ = writeln!(
                h,
                "<p class=\"note\"><strong>{}</strong></p>",
                escape(&note)
            );
        }
        let _ = writeln!(
            h,
            "<p>{}</p>",
            escape(&crate::export::description_of(part.projection))
        );
        for f in &part.figures {
            figure_html(&mut h, f);
        }
        if let Some(swings) = part.swings {
            let _ = writeln!(
                h,
                "<h3>What moves the total most</h3>\n<p class=\"note\">{}</p>",
                escape(&crate::export::sensitivity_method(part.projection.basis))
            );
            h.push_str("<table>\n<tr><th>Input</th><th class=\"n\">Low</th><th class=\"n\">High</th><th class=\"n\">Total at low</th><th class=\"n\">Total at high</th></tr>\n");
            for s in swings {
                let _ = writeln!(
                    h,
                    "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                    escape(&s.parameter),
                    s.low,
                    s.high,
                    format_count(s.total_at_low),
                    format_count(s.total_at_high)
                );
            }
            h.push_str("</table>\n");
        }
        h.push_str("<h3>Assumptions register</h3>\n<table>\n<tr><th>Item</th><th>Setting</th><th>Notes in the scenario files</th></tr>\n");
        for (item, setting, note) in marked(register(part.scenario), part.scenario) {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&item),
                escape(&setting),
                escape(&note)
            );
        }
        h.push_str("</table>\n</section>\n");
    }
    let (history, plants) = sources(report.data);
    h.push_str(
        "<h2>Data sources</h2>\n<table>\n<tr><th>Years</th><th>National output: source</th></tr>\n",
    );
    for (years, source) in &history {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td></tr>",
            escape(years),
            escape(source)
        );
    }
    h.push_str("</table>\n<table>\n<tr><th>Plant</th><th>Capacity: source</th><th>Base-year output: source</th></tr>\n");
    for (plant, capacity, output) in &plants {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(plant),
            escape(capacity),
            escape(output)
        );
    }
    h.push_str("</table>\n<h2>Provenance</h2>\n");
    let _ = writeln!(h, "<pre>{}</pre>", escape(&provenance(report.manifest)));
    h.push_str("</body>\n</html>\n");
    h
}

fn figure_html(h: &mut String, f: &Figure) {
    let _ = writeln!(
        h,
        "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>",
        inline_svg(&f.svg),
        escape(&f.caption)
    );
}

/// The report as Markdown, with the PNG charts beside it.
pub fn markdown(report: &Report<'_>) -> String {
    let names: Vec<&str> = report
        .parts
        .iter()
        .map(|p| p.projection.scenario.as_str())
        .collect();
    let mut m = String::new();
    let _ = writeln!(m, "# UK vehicle production: {}\n", md(&names.join(", ")));
    let _ = writeln!(
        m,
        "Made by ukprod {} from SMMT history and the plant data listed below.\n",
        report.manifest.ukprod_version
    );
    m.push_str("## Headline\n\n");
    for (i, row) in headline_table(report).iter().enumerate() {
        let cells: Vec<String> = row.iter().map(|c| md(c)).collect();
        let _ = writeln!(m, "| {} |", cells.join(" | "));
        if i == 0 {
            let _ = writeln!(m, "|---|{}", "---:|".repeat(row.len() - 1));
        }
    }
    m.push('\n');
    if let Some(note) = headline_note(report) {
        let _ = writeln!(m, "{}\n", md(&note));
    }
    for f in &report.headline {
        let _ = writeln!(m, "![{}]({})\n", md(&f.caption), f.png);
    }
    for part in &report.parts {
        let _ = writeln!(m, "## Scenario {}\n", md(&part.projection.scenario));
        for note in part_notes(part.projection) {
            let _ = writeln!(m, "**{}**\n", md(&note));
        }
        let _ = writeln!(
            m,
            "{}\n",
            md(&crate::export::description_of(part.projection))
        );
        for f in &part.figures {
            let _ = writeln!(m, "![{}]({})\n", md(&f.caption), f.png);
        }
        if let Some(swings) = part.swings {
            let _ = writeln!(
                m,
                "### What moves the total most\n\n{}\n",
                md(&crate::export::sensitivity_method(part.projection.basis))
            );
            m.push_str("| Input | Low | High | Total at low | Total at high |\n|---|---:|---:|---:|---:|\n");
            for s in swings {
                let _ = writeln!(
                    m,
                    "| {} | {} | {} | {} | {} |",
                    md(&s.parameter),
                    s.low,
                    s.high,
                    format_count(s.total_at_low),
                    format_count(s.total_at_high)
                );
            }
            m.push('\n');
        }
        m.push_str("### Assumptions register\n\n| Item | Setting | Notes in the scenario files |\n|---|---|---|\n");
        for (item, setting, note) in marked(register(part.scenario), part.scenario) {
            let _ = writeln!(m, "| {} | {} | {} |", md(&item), md(&setting), md(&note));
        }
        m.push('\n');
    }
    let (history, plants) = sources(report.data);
    m.push_str("## Data sources\n\n| Years | National output: source |\n|---|---|\n");
    for (years, source) in &history {
        let _ = writeln!(m, "| {} | {} |", md(years), md(source));
    }
    m.push_str("\n| Plant | Capacity: source | Base-year output: source |\n|---|---|---|\n");
    for (plant, capacity, output) in &plants {
        let _ = writeln!(m, "| {} | {} | {} |", md(plant), md(capacity), md(output));
    }
    let _ = writeln!(
        m,
        "\n## Provenance\n\n```\n{}```",
        provenance(report.manifest)
    );
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(md("a | b <i>"), "a \\| b &lt;i&gt;");
    }
}
