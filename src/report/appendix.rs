//! The report's appendix: the sources of the data, one line each, how solid the plant figures
//! are and what the residual holds (the same text `ukprod data` writes), and the provenance;
//! and the date as people write it.

use std::fmt::Write;

use super::blocks::{Block, Cell, Entry, Table, Tone};
use crate::data::{Dataset, OTHER_NAME, Reconciliation, Segment, SourceKind};
use crate::manifest::Manifest;
use crate::number::thousands;

/// "26 November 2026" from an ISO date or timestamp ("2026-11-26", "2026-11-26T07:09:32Z").
pub fn human_date(iso: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
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
    let mut parts = iso.get(..10)?.split('-');
    let year: u32 = parts.next()?.parse().ok()?;
    let month: usize = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    let name = MONTHS.get(month.checked_sub(1)?)?;
    (1..=31)
        .contains(&day)
        .then(|| format!("{day} {name} {year}"))
}

/// Years as runs: 1991, 1994, 1995, 1996 -> "1991, 1994–1996" (two in a row stay a list).
pub fn year_runs(years: &[i32]) -> String {
    runs(years, 2)
}

/// Years as spans: 1953, 1954, 1956 -> "1953–1954, 1956" (two in a row are a span too), for
/// lists of gaps, where "1953, 1954" would read as two separate gaps.
pub fn year_spans(years: &[i32]) -> String {
    runs(years, 1)
}

/// Consecutive years as "first–last" where a run is at least `span` years beyond its first.
fn runs(years: &[i32], span: i32) -> String {
    let mut sorted = years.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for y in sorted {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == y => *end = y,
            _ => runs.push((y, y)),
        }
    }
    runs.iter()
        .map(|&(a, b)| match b - a {
            0 => a.to_string(),
            d if d < span => (a..=b)
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            _ => format!("{a}–{b}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The national series' sources: one line per publication, led by the years it gives, in
/// order of the first of them.
pub fn history_sources(data: &Dataset) -> Vec<Entry> {
    let mut by_source: Vec<(&str, Vec<i32>)> = Vec::new();
    for h in &data.history {
        match by_source.iter_mut().find(|(s, _)| *s == h.source) {
            Some((_, years)) => years.push(h.year),
            None => by_source.push((&h.source, vec![h.year])),
        }
    }
    by_source.sort_by_key(|(_, years)| years.iter().min().copied());
    by_source
        .into_iter()
        .map(|(source, years)| Entry {
            lead: Some(format!("{}:", year_runs(&years))),
            text: source.to_string(),
        })
        .collect()
}

/// A share as a percentage with one decimal: "40.0%".
fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// Vehicles and their share of a whole: "200,000 (40.0%)".
fn with_share(vehicles: f64, r: &Reconciliation) -> String {
    format!("{} ({})", thousands(vehicles), percent(r.share(vehicles)))
}

/// "cars" or "commercial vehicles".
fn segment_words(segment: Segment) -> &'static str {
    match segment {
        Segment::Car => "cars",
        Segment::Cv => "commercial vehicles",
    }
}

/// "Cars" or "Commercial vehicles".
fn segment_heading(segment: Segment) -> &'static str {
    match segment {
        Segment::Car => "Cars",
        Segment::Cv => "Commercial vehicles",
    }
}

/// How the plant figures are, how solid each is, what the residual holds and how SMMT's
/// figures reconcile: the text `ukprod data` writes to data.md and the report's appendix
/// gives, so the two can never disagree. Headings start at `level`.
pub fn plant_blocks(data: &Dataset, level: u8) -> Vec<Block> {
    let base = data.base_year();
    let mut out = vec![
        Block::Heading(level, format!("Plants: {base} output and capacity")),
        Block::Para(Tone::Meta, KINDS.to_string()),
    ];
    for segment in Segment::ALL {
        out.push(Block::Heading(level + 1, segment_heading(segment).into()));
        out.push(Block::Table(plant_table(data, segment)));
    }
    out.push(Block::Heading(
        level + 1,
        "Where each plant figure comes from".into(),
    ));
    out.push(Block::List(plant_sources(data)));
    out.push(Block::Heading(level, format!("{OTHER_NAME}: the residual")));
    for segment in Segment::ALL {
        out.extend(residual_paras(data, segment));
    }
    out.push(Block::Heading(
        level,
        format!("Where the plant-by-plant split of SMMT's {base} total comes from"),
    ));
    let mut intro = "Vehicles in the listed plants' figures by how each was obtained, and the \
                     residual, each with its share of SMMT's figure."
        .to_string();
    if let Some(note) = data.transcription_note() {
        intro.push(' ');
        intro.push_str(&note);
    }
    out.push(Block::Para(Tone::Meta, intro));
    out.push(Block::Table(reconciliation_table(data)));
    out
}

/// What the kinds mean, for the reader of the tables.
const KINDS: &str = "Published: read in the cited source (perhaps rounded). Derived: worked out \
from published figures by arithmetic the row states. Estimate: a judgement the row argues. \
Low–high is the range the row's argument allows, where it gives one.";

/// One segment's plants: base-year output, its kind and range, capacity and its kind; then
/// the residual and SMMT's figure.
fn plant_table(data: &Dataset, segment: Segment) -> Table {
    let base = data.base_year();
    let mut rows: Vec<Vec<Cell>> = data
        .plants_by_output(segment)
        .into_iter()
        .map(|p| {
            let row = data.base_row(&p.id);
            let range = row
                .and_then(|r| r.range())
                .map(|(low, high)| format!("{}–{}", thousands(low), thousands(high)))
                .unwrap_or_default();
            vec![
                Cell::plain(p.display_name()),
                Cell::plain(thousands(data.base_output(&p.id))),
                Cell::plain(row.map(|r| r.kind().as_str()).unwrap_or_default()),
                Cell::plain(range),
                Cell::plain(thousands(p.capacity as f64)),
                Cell::plain(p.capacity_kind().as_str()),
            ]
        })
        .collect();
    let blank = || Cell::plain("");
    rows.push(vec![
        Cell::plain(OTHER_NAME),
        Cell::plain(thousands(data.residual(segment))),
        Cell::plain("residual"),
        blank(),
        blank(),
        blank(),
    ]);
    rows.push(vec![
        Cell {
            text: format!("SMMT, all {}", segment_words(segment)),
            bold: true,
            sub: None,
        },
        Cell::plain(thousands(data.national(segment))),
        Cell::plain("published"),
        blank(),
        blank(),
        blank(),
    ]);
    Table {
        header: vec![
            "Plant".into(),
            format!("{base} output"),
            "Kind".into(),
            "Low–high".into(),
            "Capacity".into(),
            "Capacity kind".into(),
        ],
        rows,
        numeric: vec![false, true, false, true, true, false],
        class: "data",
        stack_last: false,
    }
}

/// Each plant's sources: one line per plant, its base-year output and capacity with where
/// each comes from.
pub fn plant_sources(data: &Dataset) -> Vec<Entry> {
    let base = data.base_year();
    Segment::ALL
        .into_iter()
        .flat_map(|segment| data.plants_by_output(segment))
        .map(|p| {
            let mut text = String::new();
            if let Some(row) = data.base_row(&p.id) {
                let _ = write!(
                    text,
                    "{base} output {} ({}): {}. ",
                    thousands(data.base_output(&p.id)),
                    row.kind(),
                    without_kind(&row.source, row.kind())
                );
            }
            let _ = write!(
                text,
                "Capacity {} ({}): {}.",
                thousands(p.capacity as f64),
                p.capacity_kind(),
                without_kind(&p.source, p.capacity_kind())
            );
            Entry {
                lead: Some(format!("{}:", p.display_name())),
                text,
            }
        })
        .collect()
}

/// A source without its closing full stop, and without a leading "Estimate: " or "Derived: "
/// that repeats the kind shown beside it.
fn without_kind(source: &str, kind: SourceKind) -> &str {
    let source = source.trim().trim_end_matches('.');
    let label = match kind {
        SourceKind::Published => return source,
        SourceKind::Derived => "Derived:",
        SourceKind::Estimate => "Estimate:",
    };
    source
        .strip_prefix(label)
        .map(str::trim_start)
        .filter(|rest| !rest.is_empty())
        .unwrap_or(source)
}

/// A segment's residual: SMMT's figure = the listed plants + the residual, with its share;
/// then what it is thought to contain, or that residuals.csv does not say.
fn residual_paras(data: &Dataset, segment: Segment) -> Vec<Block> {
    let r = data.reconciliation(segment);
    let listed = data.plants.iter().filter(|p| p.segment == segment).count();
    let words = segment_words(segment);
    let sum = format!(
        "{}: SMMT's {} {words} in {} = {} in the {listed} listed plant{} + {} residual \
         ({} of SMMT's figure).",
        segment_heading(segment),
        thousands(r.national),
        data.base_year(),
        thousands(r.plants()),
        if listed == 1 { "" } else { "s" },
        thousands(r.residual),
        percent(r.share(r.residual)),
    );
    let contains = match data.residual_note(segment) {
        Some(note) => format!(
            "Thought to contain: {}. Source: {}.",
            note.contains.trim_end_matches('.'),
            note.source.trim_end_matches('.')
        ),
        None => format!(
            "What it contains is not described: {} has no row for `{segment}`.",
            crate::data::RESIDUALS_FILE
        ),
    };
    vec![
        Block::Para(Tone::Plain, sum),
        Block::Para(Tone::Plain, contains),
    ]
}

/// Each segment's national figure split by kind of plant figure and residual, and all
/// vehicles together.
fn reconciliation_table(data: &Dataset) -> Table {
    let [car, cv] = Segment::ALL.map(|s| data.reconciliation(s));
    let all = car.plus(&cv);
    let row = |name: &str, r: &Reconciliation| {
        let mut cells = vec![Cell::plain(name), Cell::plain(thousands(r.national))];
        for kind in [
            SourceKind::Published,
            SourceKind::Derived,
            SourceKind::Estimate,
        ] {
            cells.push(Cell::plain(with_share(r.of_kind(kind), r)));
        }
        cells.push(Cell::plain(with_share(r.residual, r)));
        cells
    };
    Table {
        header: vec![
            "Segment".into(),
            format!("SMMT {}", data.base_year()),
            "Published".into(),
            "Derived".into(),
            "Estimate".into(),
            "Residual".into(),
        ],
        rows: vec![
            row(segment_heading(Segment::Car), &car),
            row(segment_heading(Segment::Cv), &cv),
            row("All vehicles", &all),
        ],
        numeric: vec![false, true, true, true, true, true],
        // Kept on one page in print: its last row is the headline's.
        class: "data keep",
        stack_last: false,
    }
}

/// The national series: the years it covers, the years without a sourced figure, and its
/// sources by period, secondary ones flagged. Headings start at `level`.
pub fn history_blocks(data: &Dataset, level: u8) -> Vec<Block> {
    let history = &data.history;
    let (Some(first), Some(last)) = (history.first(), history.last()) else {
        return Vec::new();
    };
    let years: Vec<i32> = history.iter().map(|h| h.year).collect();
    let totals: Vec<i32> = history
        .iter()
        .filter(|h| h.total.is_some())
        .map(|h| h.year)
        .collect();
    let gaps: Vec<i32> = (first.year..=last.year)
        .filter(|y| !years.contains(y))
        .collect();
    let mut coverage = format!(
        "{} years with a sourced figure from {} to {}: cars in every one; commercial vehicles, \
         and so totals, in {} of them ({}).",
        years.len(),
        first.year,
        last.year,
        totals.len(),
        year_runs(&totals)
    );
    coverage.push_str(&if gaps.is_empty() {
        " No year in between is missing.".to_string()
    } else {
        format!(
            " {} years have no sourced figure and are left out: {}.",
            gaps.len(),
            year_spans(&gaps)
        )
    });
    vec![
        Block::Heading(level, "UK output by year".into()),
        Block::Para(Tone::Plain, coverage),
        Block::Heading(level + 1, "Sources by period".into()),
        Block::Para(
            Tone::Meta,
            "Years grouped by source, each group's sources most cited first. Secondary: a compilation, a \
             blog or a later article rather than SMMT or an official record quoting SMMT; treat \
             those years as approximate."
                .into(),
        ),
        Block::Table(periods_table(data)),
    ]
}

/// A run of consecutive rows of the history citing a publisher in common.
struct Period {
    years: Vec<i32>,
    /// Each publisher with the number of rows citing it, in order of first citation.
    publishers: Vec<(String, usize)>,
}

/// The history's rows grouped into periods: a row joins the period before it when it cites
/// a publisher the previous row cites.
fn periods(data: &Dataset) -> Vec<Period> {
    let mut periods: Vec<Period> = Vec::new();
    let mut previous: Vec<String> = Vec::new();
    for h in &data.history {
        let names = crate::chart::publishers(&h.source);
        let joins = names.iter().any(|n| previous.contains(n));
        match periods.last_mut() {
            Some(period) if joins => period.years.push(h.year),
            _ => periods.push(Period {
                years: vec![h.year],
                publishers: Vec::new(),
            }),
        }
        if let Some(period) = periods.last_mut() {
            for name in &names {
                match period.publishers.iter_mut().find(|(n, _)| n == name) {
                    Some((_, count)) => *count += 1,
                    None => period.publishers.push((name.clone(), 1)),
                }
            }
        }
        previous = names;
    }
    periods
}

fn periods_table(data: &Dataset) -> Table {
    let rows = periods(data)
        .into_iter()
        .map(|mut period| {
            // Stable: publishers cited equally often keep their order of first citation.
            period.publishers.sort_by_key(|p| std::cmp::Reverse(p.1));
            let first = period.years.first().copied().unwrap_or_default();
            let last = period.years.last().copied().unwrap_or_default();
            let span = if first == last {
                first.to_string()
            } else {
                format!("{first}–{last}")
            };
            let names: Vec<&str> = period.publishers.iter().map(|(n, _)| n.as_str()).collect();
            let secondary: Vec<&str> = names
                .iter()
                .copied()
                .filter(|n| crate::chart::is_secondary(n))
                .collect();
            vec![
                Cell::plain(span),
                Cell::plain(period.years.len().to_string()),
                Cell::plain(names.join(", ")),
                Cell::plain(match secondary.len() {
                    0 => "",
                    n if n == names.len() => "secondary",
                    _ => "partly secondary",
                }),
            ]
        })
        .collect();
    Table {
        header: vec![
            "Years".into(),
            "Rows".into(),
            "Sources".into(),
            "Note".into(),
        ],
        rows,
        numeric: vec![false, true, false, false],
        class: "data",
        stack_last: false,
    }
}

/// What made the report, for `rerun` and for anyone checking it: no time of day, so the
/// same inputs give the same bytes.
pub fn provenance(manifest: &Manifest, date: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "ukprod {}, dated {date}: the day these inputs were first reported (the time of each run is in manifest.json)",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_people_write_them() {
        assert_eq!(
            human_date("2026-11-26T07:09:32Z").as_deref(),
            Some("26 November 2026")
        );
        assert_eq!(human_date("2027-01-05").as_deref(), Some("5 January 2027"));
        assert_eq!(human_date("2027-13-05"), None);
        assert_eq!(human_date("soon"), None);
    }

    #[test]
    fn a_source_does_not_repeat_the_kind_shown_beside_it() {
        assert_eq!(
            without_kind("Estimate: 2023 carried forward.", SourceKind::Estimate),
            "2023 carried forward"
        );
        assert_eq!(
            without_kind("Derived: deliveries as output", SourceKind::Derived),
            "deliveries as output"
        );
        // Only the label of the kind shown goes, and never the whole text.
        assert_eq!(
            without_kind("Estimate: a share", SourceKind::Derived),
            "Estimate: a share"
        );
        assert_eq!(without_kind("Estimate:", SourceKind::Estimate), "Estimate:");
        assert_eq!(
            without_kind("SMMT press release.", SourceKind::Published),
            "SMMT press release"
        );
    }

    #[test]
    fn years_as_runs() {
        assert_eq!(
            year_runs(&[1998, 1991, 1994, 1995, 1996, 1997]),
            "1991, 1994–1998"
        );
        assert_eq!(year_runs(&[2000, 2001, 2005]), "2000, 2001, 2005");
        assert_eq!(year_runs(&[1952]), "1952");
        assert_eq!(
            year_spans(&[1953, 1954, 1956, 1957, 1958, 1990]),
            "1953–1954, 1956–1958, 1990"
        );
    }
}
