//! The report: one self-contained HTML file (charts inline as SVG, CSS inline, nothing
//! fetched) and the same text as Markdown with PNG charts beside it, laid out as a briefing
//! that prints on A4 with each chart at the 16 cm it is drawn for.

mod appendix;
mod blocks;
mod industry;
mod phrase;
mod register;

use crate::data::Dataset;
use crate::engine::Projection;
use crate::export::{format_count, format_signed};
use crate::manifest::Manifest;
use crate::scenario::{Scenario, Seg, key_steps};
use crate::uncertainty::{Swing, Uncertainty};
pub use appendix::human_date;
pub use blocks::escape;
use blocks::{Block, Cell, Table, Tone};

/// A chart for the report, in both forms.
#[derive(Debug, Clone)]
pub struct Figure {
    /// What the chart says (its title), for readers who cannot see it.
    pub alt: String,
    /// The SVG, inlined in the HTML.
    pub svg: String,
    /// The PNG's file name beside report.md.
    pub png: String,
}

impl Figure {
    /// A chart from its SVG, which carries its title; the PNG goes by `png`.
    pub fn new(svg: String, png: String) -> Figure {
        Figure {
            alt: svg_title(&svg),
            svg,
            png,
        }
    }
}

/// The text of an SVG's `<title>`, unescaped.
fn svg_title(svg: &str) -> String {
    let Some(start) = svg.find("<title>").map(|s| s + "<title>".len()) else {
        return String::new();
    };
    let end = svg[start..]
        .find("</title>")
        .map_or(svg.len(), |e| start + e);
    svg[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
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
    /// The charts above the scenarios: the comparison, when there are several, and the first
    /// scenario's path.
    pub headline: Vec<Figure>,
    /// The data.
    pub data: &'a Dataset,
    /// What made it.
    pub manifest: &'a Manifest,
    /// The day it is dated, as people write it ("26 November 2026").
    pub date: String,
}

/// The report as one self-contained HTML page.
pub fn html(report: &Report<'_>) -> String {
    let title = format!("UK vehicle production: {}", names(report));
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        escape(&title),
        blocks::html(&document(report))
    )
}

/// The report as Markdown, with the PNG charts beside it.
pub fn markdown(report: &Report<'_>) -> String {
    blocks::markdown(&document(report))
}

/// The scenarios' display names: "A", "A and B", "A, B and C".
fn names(report: &Report<'_>) -> String {
    let names: Vec<&str> = report
        .parts
        .iter()
        .map(|p| p.projection.display_name())
        .collect();
    crate::number::and_list(&names)
}

/// The whole report, in order: title, headline, each scenario, sources, provenance.
fn document(report: &Report<'_>) -> Vec<Block> {
    let mut doc = vec![
        Block::Heading(1, format!("UK vehicle production: {}", names(report))),
        Block::Para(
            Tone::Meta,
            format!(
                "{}. Made by ukprod {} from the data and scenario files listed at the end.",
                report.date, report.manifest.ukprod_version
            ),
        ),
        Block::Table(headline_table(report)),
    ];
    if let Some(note) = headline_note(report) {
        doc.push(Block::Para(Tone::Meta, note));
    }
    doc.extend(report.headline.iter().map(figure));
    for i in 0..report.parts.len() {
        doc.extend(section(report, i));
    }
    doc.extend(sources(report));
    doc
}

fn figure(f: &Figure) -> Block {
    Block::Figure {
        svg: f.svg.clone(),
        png: f.png.clone(),
        alt: f.alt.clone(),
    }
}

/// The headline table: one row per scenario; the spread and chance columns only when a
/// scenario ran draws (else they would be all dashes). A year (or what the figures are) that
/// every row shares goes in the heading, not in every cell.
fn headline_table(report: &Report<'_>) -> Table {
    let projections: Vec<&Projection> = report.parts.iter().map(|p| p.projection).collect();
    let base = common(projections.iter().map(|p| p.base_year));
    let end = common(projections.iter().map(|p| p.end_year));
    let basis = common(projections.iter().map(|p| p.basis.word()));
    let chance_year = common(projections.iter().map(|p| p.target.year.min(p.end_year)));
    let draws = report.parts.iter().any(|p| p.uncertainty.is_some());
    let in_year = |what: &str, year: Option<i32>| match year {
        Some(y) => format!("{what}, {y}"),
        None => what.to_string(),
    };
    let total = match basis {
        Some(word) => capitalised(word),
        None => "Total".into(),
    };
    let mut header = vec![
        "Scenario".to_string(),
        base.map_or("Base-year actual".into(), |y| format!("Actual, {y}")),
        in_year(&total, end),
    ];
    if draws {
        header.push(in_year("P5 to P95 of the draws", end));
    }
    header.extend(
        [
            "Gap to target path",
            "Growth needed a year",
            "Growth a year",
        ]
        .map(String::from),
    );
    if draws {
        header.push(in_year("Chance of the target", chance_year));
    }
    let rows = report
        .parts
        .iter()
        .map(|part| {
            let p = part.projection;
            let s = &p.summary;
            let mut total = format_count(s.end_total);
            match (end, basis) {
                (Some(_), Some(_)) => {}
                (Some(_), None) => total = format!("{total} ({})", p.basis.word()),
                (None, _) => total = format!("{total} ({}, {})", p.end_year, p.basis.word()),
            }
            let mut row = vec![
                p.display_name().to_string(),
                match base {
                    Some(_) => format_count(s.base_total),
                    None => format!("{} ({})", format_count(s.base_total), p.base_year),
                },
                total,
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
                let year = p.target.year.min(p.end_year);
                row.push(
                    part.uncertainty
                        .and_then(|u| u.probability_in(year))
                        .map_or("–".into(), |c| match chance_year {
                            Some(_) => format!("{:.1}%", c * 100.0),
                            None => format!("{:.1}% ({year})", c * 100.0),
                        }),
                );
            }
            row.into_iter().map(Cell::plain).collect()
        })
        .collect();
    Table {
        numeric: (0..header.len()).map(|k| k > 0).collect(),
        header,
        rows,
        class: "headline",
        stack_last: false,
    }
}

/// The value every item shares, if they all share one.
fn common<T: PartialEq>(mut values: impl Iterator<Item = T>) -> Option<T> {
    let first = values.next()?;
    values.all(|v| v == first).then_some(first)
}

/// "expected" -> "Expected".
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// What the headline table's figures are, when any is not a plain projection, and what
/// `--set` changed in any variant: a figure never stands without what it is.
fn headline_note(report: &Report<'_>) -> Option<String> {
    let notes: Vec<String> = report
        .parts
        .iter()
        .flat_map(|p| {
            let p = p.projection;
            part_notes(p)
                .into_iter()
                .map(move |n| format!("{}: {n}", p.display_name()))
        })
        .collect();
    (!notes.is_empty()).then(|| notes.join(" "))
}

/// What `--set` changed and what the figures are, each a sentence.
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

/// One scenario's section: its name (the slug once, under a display title), what it
/// changes, its description once, its charts, its sensitivity and its register.
fn section(report: &Report<'_>, i: usize) -> Vec<Block> {
    let part = &report.parts[i];
    let p = part.projection;
    let mut out = vec![Block::Open("scenario")];
    match &p.title {
        Some(title) => {
            out.push(Block::Heading(2, title.clone()));
            out.push(Block::Para(Tone::Meta, format!("Scenario {}", p.scenario)));
        }
        None => out.push(Block::Heading(2, format!("Scenario {}", p.scenario))),
    }
    out.extend(
        part_notes(p)
            .into_iter()
            .map(|n| Block::Para(Tone::Strong, n)),
    );
    out.push(Block::Para(Tone::Plain, crate::export::description_of(p)));
    if let Some(b) = part.uncertainty.and_then(|u| u.data_only_in(p.end_year)) {
        out.push(Block::Para(
            Tone::Plain,
            format!(
                "The draws include the data's ranges for {} plant outputs, the national total held at SMMT's figure and each maker's published total kept. Drawn alone, around the modal case (every range at its mode and every uncertain item happening), they spread the {} total by {} (P5 to P95: {} to {}): the part of the spread that comes from not knowing today's plant split.",
                p.base_year,
                p.end_year,
                format_count(b.percentiles[6] - b.percentiles[0]),
                format_count(b.percentiles[0]),
                format_count(b.percentiles[6])
            ),
        ));
    }
    // The output charts here; the powertrain, battery and jobs charts in their own part.
    let (industry, output): (Vec<&Figure>, Vec<&Figure>) = part
        .figures
        .iter()
        .partition(|f| industry::chart_of(f).is_some());
    out.extend(output.into_iter().map(figure));
    if let Some(swings) = part.swings {
        out.extend(swings_table(part, report.data, swings));
    }
    out.extend(industry::blocks(p, part.uncertainty, &industry, figure));
    out.push(Block::Heading(3, "Assumptions register".into()));
    let ancestor = ancestor_of(report, i);
    out.push(Block::Para(
        Tone::Meta,
        inherits(report, i, ancestor.as_ref()),
    ));
    let rows = register::rows(
        part.scenario,
        p,
        report.data,
        ancestor.map(|(a, _)| report.parts[a].scenario),
    );
    if !rows.is_empty() {
        out.push(Block::Table(register_table(rows)));
    }
    out.push(Block::Close);
    out
}

/// The nearest scenario of the report that this one builds on, and the files between them:
/// a part made from a file earlier in its chain, or from its own file with fewer `--set`
/// changes (a variant beside its scenario), whose changes this one makes too. Then comparing
/// the two resolved scenarios gives exactly what this one adds.
fn ancestor_of(report: &Report<'_>, i: usize) -> Option<(usize, Vec<String>)> {
    let me = &report.parts[i];
    let chain = me.scenario.sources.chain();
    let changes = |part: &Part<'_>| -> Vec<String> {
        part.scenario
            .sources
            .sets
            .iter()
            .map(|s| s.change.clone())
            .collect()
    };
    let mine = changes(me);
    let builds_on = |j: usize, depth: usize| {
        let other = &report.parts[j];
        let theirs = changes(other);
        let own_file = depth + 1 == chain.len();
        j != i
            && other.scenario.name == chain[depth]
            && theirs.iter().all(|c| mine.contains(c))
            && (!own_file || theirs.len() < mine.len())
    };
    (0..chain.len()).rev().find_map(|depth| {
        let j = (0..report.parts.len()).find(|&j| builds_on(j, depth))?;
        let end = chain.len() - usize::from(depth + 1 < chain.len());
        Some((j, chain[depth + 1..end.max(depth + 1)].to_vec()))
    })
}

/// The line above a register: whose register holds the rest.
fn inherits(report: &Report<'_>, i: usize, ancestor: Option<&(usize, Vec<String>)>) -> String {
    let me = &report.parts[i];
    let name = me.projection.display_name();
    let Some((a, via)) = ancestor else {
        let chain = me.scenario.sources.chain();
        return match chain.len() {
            0 | 1 => "What the scenario's file sets; ukprod's defaults are left out.".into(),
            _ => format!(
                "Builds on {}: every setting is listed, the inherited ones included; ukprod's defaults are left out.",
                chain[..chain.len() - 1].join(" and ")
            ),
        };
    };
    let parent = report.parts[*a].projection.display_name();
    let place = if *a < i { "above" } else { "below" };
    if report.parts[*a].scenario.name == me.scenario.name {
        return format!(
            "A variant of {parent}: listed is only what --set changes; the rest is in the register of {parent} {place}."
        );
    }
    if via.is_empty() {
        format!(
            "Inherits from {parent}: listed is only what {name} changes; the rest is in the register of {parent} {place}."
        )
    } else {
        format!(
            "Inherits from {parent} through {}: listed is only what differs from {parent}, whose register is {place}.",
            via.join(" and ")
        )
    }
}

fn register_table(rows: Vec<register::Row>) -> Table {
    let rows = rows
        .into_iter()
        .map(|r| {
            let mut key = r.key;
            if !r.files.is_empty() {
                key = format!("{key} · {}", r.files.join(", "));
            }
            vec![
                Cell {
                    text: r.name,
                    bold: true,
                    sub: Some(key),
                },
                Cell::plain(r.setting),
                Cell::plain(r.notes),
            ]
        })
        .collect();
    Table {
        header: vec![
            "Item".into(),
            "Setting".into(),
            "Notes in the scenario files".into(),
        ],
        rows,
        numeric: vec![false; 3],
        class: "register",
        stack_last: true,
    }
}

/// The one-at-a-time table: each input by name, its tested range read as numbers.
fn swings_table(part: &Part<'_>, data: &Dataset, swings: &[Swing]) -> Vec<Block> {
    let basis = part.projection.basis;
    let rows = swings
        .iter()
        .map(|s| {
            let (name, kind) = input(part, data, &s.parameter);
            let end = |x: f64| match kind {
                Some(kind) => phrase::number(&toml::Value::Float(x), kind),
                None if x == 0.0 => "does not happen".into(),
                None => "happens".into(),
            };
            vec![
                Cell::plain(name),
                Cell::plain(end(s.low)),
                Cell::plain(end(s.high)),
                Cell::plain(format_count(s.total_at_low)),
                Cell::plain(format_count(s.total_at_high)),
            ]
        })
        .collect();
    vec![
        Block::Heading(3, "What moves the total most".into()),
        Block::Para(Tone::Meta, crate::export::sensitivity_method(basis)),
        Block::Table(Table {
            header: ["Input", "Low", "High", "Total at low", "Total at high"]
                .map(String::from)
                .to_vec(),
            rows,
            numeric: vec![false, true, true, true, true],
            class: "swings",
            stack_last: false,
        }),
    ]
}

/// An uncertain input's name ("chery-halewood: peak") and how its values read (`None` for a
/// probability, whose ends are "does not happen" and "happens").
fn input(part: &Part<'_>, data: &Dataset, parameter: &str) -> (String, Option<phrase::Kind>) {
    use phrase::Kind;
    let path = key_steps(parameter);
    if let [Seg::Key(first), Seg::Key(id), ..] = path.as_slice()
        && first == "data"
    {
        let name = data.plant(id).map_or(id.as_str(), |p| p.display_name());
        return (
            format!("{name}: {} output (estimate in the data)", data.base_year()),
            Some(Kind::Count),
        );
    }
    let is_item = matches!(
        path.first(),
        Some(Seg::Key(s)) if ["plants", "new_plants", "programmes", "shocks"].contains(&s.as_str())
    );
    let split = if is_item { 2.min(path.len()) } else { 0 };
    let field = crate::scenario::dotted(&path[split..]);
    let kind = match field.split('.').next().unwrap_or_default() {
        "probability" => None,
        "start" | "opens" | "closes" | "ends" | "year" => Some(Kind::Year),
        "utilisation_cap" => Some(Kind::Share),
        "growth" | "other_growth" => Some(Kind::Growth),
        "lost_weeks" | "ramp_years" => Some(Kind::Plain),
        _ => Some(Kind::Count),
    };
    if let Some(year) = field
        .strip_prefix("output.")
        .and_then(|f| f.strip_suffix(".of_base"))
    {
        let item = register::item_name(part.scenario, part.projection, data, &path[..split]);
        return (
            format!(
                "{item}: output in {year}, times its {} output",
                data.base_year()
            ),
            Some(Kind::Plain),
        );
    }
    let words = match field.split_once('.') {
        Some(("output", year)) => format!("output in {year}"),
        _ => match field.as_str() {
            "start" => "first output".into(),
            "probability" => "happens".into(),
            "lost_weeks" => "weeks lost".into(),
            other => other.replace('_', " "),
        },
    };
    if split == 0 {
        return (words, kind);
    }
    let item = register::item_name(part.scenario, part.projection, data, &path[..split]);
    (format!("{item}: {words}"), kind)
}

/// The appendix: where the data comes from, one line per source, and what made the report.
fn sources(report: &Report<'_>) -> Vec<Block> {
    let data = report.data;
    vec![
        Block::Open("appendix"),
        Block::Heading(2, "Sources".into()),
        Block::Heading(3, "UK output by year".into()),
        Block::List(appendix::history_sources(data)),
    ]
    .into_iter()
    .chain(appendix::plant_blocks(data, 3))
    .chain([
        Block::Heading(3, "Provenance".into()),
        Block::Pre(appendix::provenance(report.manifest, &report.date)),
        Block::Close,
    ])
    .collect()
}

/// What the data say and how solid each part is (`ukprod data`): the national series, then
/// the plants, residuals and reconciliation as the report's appendix gives them.
fn data_blocks(data: &Dataset) -> Vec<Block> {
    let mut blocks = vec![
        Block::Heading(1, "What the data say, and how solid each part is".into()),
        Block::Para(Tone::Strong, crate::chart::data_headline(data)),
    ];
    blocks.extend(appendix::history_blocks(data, 2));
    blocks.extend(appendix::plant_blocks(data, 2));
    blocks
}

/// `ukprod data` as Markdown (data.md).
pub fn data_markdown(data: &Dataset) -> String {
    blocks::markdown(&data_blocks(data))
}

/// `ukprod data` as plain text for the terminal: as data.md, without the list of each
/// figure's source.
pub fn data_text(data: &Dataset) -> String {
    blocks::text(&data_blocks(data))
}

/// The page: on screen a readable column; in print A4 with each chart at 16 cm, the width
/// it is drawn for, so its text prints at the sizes it was designed for (7 pt and up).
/// Nothing forces a page break: headings keep with what follows, charts and table rows are
/// never split.
const CSS: &str = "\
body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}\
h1{font-size:1.6em;margin:0 0 .2em}h2{font-size:1.3em;margin:1.6em 0 .3em;border-bottom:1px solid #ccc}\
h3{font-size:1.05em;margin:1.2em 0 .3em}h1,h2,h3{break-after:avoid;page-break-after:avoid}\
p{margin:.4em 0;break-inside:avoid;page-break-inside:avoid}p.note,p.meta{break-after:avoid;page-break-after:avoid}.meta,.key{color:#555}.meta{font-size:.85em}.key{font-size:.85em}\
table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:.85em}\
th,td{border-bottom:1px solid #ddd;padding:.25em .4em;text-align:left;vertical-align:top}\
td.n,th.n{text-align:right}table.headline td.n{white-space:nowrap}tr{break-inside:avoid;page-break-inside:avoid}\
table.register td:first-child{width:24%}.under{color:#555;font-size:.94em;margin-top:.2em}\
table.headline td:first-child{width:20%}\
figure{margin:.8em auto;max-width:16cm;break-inside:avoid;page-break-inside:avoid}\
figure svg{width:100%;height:auto;display:block}\
svg text{font-family:'DejaVu Sans','Bitstream Vera Sans',Verdana,sans-serif}\
ul.sources{padding-left:0;list-style:none;font-size:.8em}ul.sources li{margin:.15em 0;padding-left:1.5em;text-indent:-1.5em}\
pre{break-inside:avoid;white-space:pre-wrap;word-break:break-all;font-size:.75em;background:#f6f6f6;padding:.6em}\
@page{size:A4;margin:14mm 15mm}\
@media print{body{max-width:none;margin:0;padding:0;font-size:9.5pt}figure{width:16cm;max-width:100%}\
table{font-size:8pt}table.headline{font-size:8.5pt}ul.sources{font-size:7.5pt}pre{font-size:7pt}}";
