//! The whole historical record: one bar per sourced year (cars, with commercial vehicles
//! stacked where sourced), so a year without a sourced figure is a visible gap.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::DrawResult;
use super::path::{Ink, Note, Rect, Spot, draw_note, line_height, record_notes, time_axes};
use super::style::{CARS, CVS, Caption, Frame, INK, Page, Role, Swatch, draw_frame, millions2};
use crate::data::HistoryYear;

/// Publishers a source may start with, the short name the source line gives each, and
/// whether it is a secondary source (a blog, a chart quoting SMMT, a compilation, a later
/// article: data/README.md).
const PUBLISHERS: [(&str, &str, bool); 9] = [
    ("SMMT", "SMMT", false),
    ("OICA", "OICA", false),
    ("Hansard", "Hansard", false),
    ("US DOT BTS", "US DOT BTS", false),
    ("BTS", "US DOT BTS", false),
    // A blog, not SMMT (data/README.md): say so wherever it is credited.
    ("carsnewsblog", "carsnewsblog (a blog)", true),
    // Secondary sources (data/README.md): a chart quoting SMMT, and a compilation.
    ("Statista", "Statista (quoting SMMT)", true),
    ("Frank Bessem", "Bessem (a compilation)", true),
    // A later article (data/README.md: 1955 from an Auto Express column of 2026).
    ("Auto Express", "Auto Express", true),
];

/// Whether a publisher's short name (from [`publishers`]) is a secondary source.
pub(crate) fn is_secondary(name: &str) -> bool {
    PUBLISHERS
        .iter()
        .any(|(_, short, secondary)| *secondary && *short == name)
}

/// Half a bar's width, in years.
const HALF_BAR: f64 = 0.38;

/// Total-vehicle peaks that the sourced data leave out (data/README.md: 1964's "over 2.3
/// million" has no exact figure; 1972's 1.92m cars has no CV figure), noted on a chart that
/// spans their years while the data still lack them.
const MISSING_PEAKS: [i32; 2] = [1964, 1972];

/// The publishers one `source` field of history.csv names, by rule: parenthesised asides are
/// dropped (they say who relayed a figure, and caveats such as "blog, not SMMT"); the rest is
/// split into clauses at ";" and " and ", each without a leading "cars:" or "CVs:"; a clause
/// that starts with a known publisher gives its short name ("Hansard HC 15 Nov 1979, …" →
/// "Hansard"); the first clause, when it names no known publisher, gives its words up to the
/// first comma ("The Times, 8 Feb 1968" → "The Times"); other clauses (notes such as "all
/// rounded to thousands") give nothing.
pub(crate) fn publishers(source: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut depth = 0_usize;
    for c in source.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let mut names: Vec<String> = Vec::new();
    let clauses = plain.split(';').flat_map(|c| c.split(" and "));
    for (i, clause) in clauses.enumerate() {
        let clause = clause.trim();
        let clause = ["cars:", "CVs:"]
            .iter()
            .find_map(|label| clause.strip_prefix(label))
            .unwrap_or(clause)
            .trim();
        let known = PUBLISHERS
            .iter()
            .find(|(start, _, _)| clause.starts_with(start))
            .map(|(_, name, _)| name.to_string());
        let name = known.or_else(|| {
            (i == 0)
                .then(|| clause.split(',').next().unwrap_or("").trim().to_string())
                .filter(|s| !s.is_empty())
        });
        if let Some(name) = name.filter(|n| !names.contains(n)) {
            names.push(name);
        }
    }
    names
}

/// The credit for the figures of the given `source` fields: each row's publishers by
/// `publishers`' rule, in the order of the rows, each once: "Source: SMMT" or
/// "Sources: Hansard, US DOT BTS, SMMT".
pub(super) fn credit<'a>(sources: impl IntoIterator<Item = &'a str>) -> String {
    let mut names: Vec<String> = Vec::new();
    for source in sources {
        for name in publishers(source) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    match names.len() {
        0 => "Source: history.csv".into(),
        1 => format!("Source: {}", names[0]),
        _ => format!("Sources: {}", names.join(", ")),
    }
}

/// The history chart's message, by rule from its car figures (sourced in every row): how the
/// last year compares with the latest earlier year that was as low (after a fall) or as high
/// (after a rise).
fn title(history: &[HistoryYear]) -> String {
    let Some((last, earlier)) = history.split_last() else {
        return "UK car output".into();
    };
    let value = millions2(last.cars as f64);
    let first = history.first().map_or(last.year, |h| h.year);
    let fell = earlier.last().is_some_and(|h| last.cars < h.cars);
    if fell {
        match earlier.iter().rev().find(|h| h.cars <= last.cars) {
            Some(h) => format!(
                "UK car output fell to {value} in {}, the lowest sourced figure since {}",
                last.year, h.year
            ),
            None => format!(
                "UK car output fell to {value} in {}, the lowest in the record from {first}",
                last.year
            ),
        }
    } else {
        match earlier.iter().rev().find(|h| h.cars >= last.cars) {
            Some(h) => format!(
                "UK car output rose to {value} in {}, the highest sourced figure since {}",
                last.year, h.year
            ),
            None => format!(
                "UK car output reached {value} in {}, the highest in the record from {first}",
                last.year
            ),
        }
    }
}

/// The note on total-vehicle peaks the data leave out, when the chart spans them.
pub(super) fn missing_peaks_note(
    years: std::ops::RangeInclusive<i32>,
    has_total: impl Fn(i32) -> bool,
) -> Option<String> {
    MISSING_PEAKS
        .iter()
        .all(|y| years.contains(y) && !has_total(*y))
        .then(|| {
            format!(
                "Total-vehicle peaks of about 2.3m ({} and {}) are not in the sourced data",
                MISSING_PEAKS[0], MISSING_PEAKS[1]
            )
        })
}

/// Draw the history chart.
pub fn draw<DB: DrawingBackend>(
    fingerprint: &str,
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    history: &[HistoryYear],
) -> DrawResult<Caption, DB> {
    let (Some(first), Some(last)) = (history.first(), history.last()) else {
        return Ok(Caption::default());
    };
    let cv_from = history
        .iter()
        .rev()
        .take_while(|h| h.commercial_vehicles.is_some())
        .last()
        .map_or(last.year, |h| h.year);
    let mut subtitle = format!(
        "One bar per year with a sourced figure; years without one are left blank. Commercial \
         vehicles (vans, trucks, buses) are shown where sourced, every year from {cv_from}."
    );
    if let Some(note) = missing_peaks_note(first.year..=last.year, |y| {
        history.iter().any(|h| h.year == y && h.total.is_some())
    }) {
        subtitle.push(' ');
        subtitle.push_str(&note);
        subtitle.push('.');
    }
    let frame = Frame {
        kicker: format!("UK vehicle production, {}–{}", first.year, last.year),
        title: title(history),
        subtitle,
        legend: vec![
            (Swatch::Block(CARS), "Cars".into()),
            (Swatch::Block(CVS), "Commercial vehicles".into()),
        ],
        footer: format!(
            "{} (see data/README.md; data {fingerprint})",
            credit(history.iter().map(|h| h.source.as_str()))
        ),
        headline: None,
    };
    let (area, caption) = draw_frame(root, page, &frame)?;
    let max = history
        .iter()
        .map(|h| h.total.unwrap_or(h.cars) as f64)
        .fold(0.0, f64::max);
    // Room for a two-line note above the highest bar.
    let headroom = 2 * line_height(page, Role::Body) + page.ui(0.6);
    let x = (f64::from(first.year) - 0.6, f64::from(last.year) + 0.6);
    let labels = notes(history);
    // Room on the right for the last year's label, measured.
    let style = page.text(Role::Body, INK);
    let mut right = 0;
    for note in &labels {
        if note.points.first().map(|p| p.0) == Some(f64::from(last.year)) {
            for line in &note.lines {
                right = right.max(root.estimate_text_size(line, &style)?.0 as i32);
            }
        }
    }
    let must = [last.year, first.year];
    let chart = time_axes(
        root,
        &area,
        page,
        x,
        (max, headroom),
        right + page.ui(0.6),
        &must,
        None,
    )?;
    let mut ink = Ink::default();
    for h in history {
        let (year, cars) = (f64::from(h.year), h.cars as f64);
        let mut bar = [(year - HALF_BAR, 0.0), (year + HALF_BAR, cars)];
        chart
            .plotting_area()
            .draw(&Rectangle::new([bar[0], bar[1]], CARS.filled()))?;
        if let Some(cv) = h.commercial_vehicles {
            let total = cars + cv as f64;
            chart.plotting_area().draw(&Rectangle::new(
                [(year - HALF_BAR, cars), (year + HALF_BAR, total)],
                CVS.filled(),
            ))?;
            bar[1].1 = total;
        }
        ink.add_box(&chart, bar[0], bar[1]);
    }
    let (px, py) = chart.plotting_area().get_pixel_range();
    // The last year's label goes in the right margin kept for it.
    let bounds: Rect = (px.start, py.start, px.end + right + page.ui(0.6), py.end);
    let mut taken: Vec<Rect> = Vec::new();
    // Labels beside a bar clear its edge.
    let (x0, _) = chart.backend_coord(&(0.0, 0.0));
    let (x1, _) = chart.backend_coord(&(HALF_BAR, 0.0));
    let gap = (x1 - x0) + page.ui(0.3);
    for note in labels {
        let spots: &[Spot] = if note.points.first().map(|p| p.0) == Some(f64::from(last.year)) {
            &[Spot::Right, Spot::AboveLeft]
        } else {
            &[Spot::AboveRight, Spot::AboveLeft, Spot::Above]
        };
        draw_note(
            root,
            &chart,
            page,
            &note,
            (spots, gap),
            bounds,
            &ink,
            &mut taken,
        )?;
    }
    Ok(caption)
}

/// The notes: the car record (with the highest sourced total where that stands above it),
/// the highest total of the last 15 years and the last year.
fn notes(history: &[HistoryYear]) -> Vec<Note> {
    let Some(last) = history.last() else {
        return Vec::new();
    };
    let top = |h: &HistoryYear| h.total.unwrap_or(h.cars) as f64;
    // The earliest of equal values.
    let record = history.iter().max_by_key(|h| (h.cars, -h.year));
    let highest = history
        .iter()
        .filter_map(|h| h.total.map(|t| (h.year, t as f64)))
        .fold(None, |best: Option<(i32, f64)>, (y, t)| match best {
            Some((_, b)) if b >= t => best,
            _ => Some((y, t)),
        });
    let mut notes = record.map_or_else(Vec::new, |r| {
        record_notes((r.year, r.cars as f64, top(r)), highest)
    });
    let noted = |notes: &[Note], year: i32| {
        notes
            .iter()
            .flat_map(|n| &n.points)
            .any(|p| p.0 == f64::from(year))
    };
    let recent = history
        .iter()
        .filter(|h| h.year >= last.year - 15 && h.year != last.year && h.total.is_some())
        .max_by_key(|h| (h.total, -h.year));
    if let Some(h) = recent.filter(|h| !noted(&notes, h.year)) {
        notes.push(Note {
            points: vec![(f64::from(h.year), top(h))],
            lines: vec![format!("{}: {} {}", h.year, millions2(top(h)), counts(h))],
        });
    }
    if !noted(&notes, last.year) {
        notes.push(Note {
            points: vec![(f64::from(last.year), top(last))],
            lines: vec![format!(
                "{}: {} {}",
                last.year,
                millions2(top(last)),
                counts(last)
            )],
        });
    }
    notes
}

/// What a bar's top counts: every vehicle where commercial vehicles are sourced, else cars.
fn counts(h: &HistoryYear) -> &'static str {
    if h.total.is_some() {
        "vehicles"
    } else {
        "cars"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publishers_by_rule() {
        assert_eq!(
            publishers("Hansard HC 15 Nov 1979, written answer 'Motor Cars' (SMMT table, '000s)"),
            ["Hansard"]
        );
        // The blog's caveat "not SMMT" is an aside: the blog is credited, SMMT is not.
        assert_eq!(
            publishers(
                "carsnewsblog2017.blogspot.com 'UK Car Production' (blog, not SMMT; rounded)"
            ),
            ["carsnewsblog (a blog)"]
        );
        assert_eq!(
            publishers(
                "cars: Hansard HC 20 Mar 1972 (Ridley) and BTS NTS table 1-19; CVs: BTS NTS \
                 World Motor Vehicle Production table (Ward's); all rounded to thousands"
            ),
            ["Hansard", "US DOT BTS"]
        );
        assert_eq!(
            publishers(
                "The Times, 8 Feb 1968 (SMMT figures), via roverp5.com; Hansard 15 Nov 1979 \
                 gives 1,552 thousand"
            ),
            ["The Times", "Hansard"]
        );
        assert_eq!(
            publishers(
                "cars: OICA production statistics 2010 (via github jhelvy/oica; SMMT said \
                 '1.27 million'); CVs: SMMT, 20 Jan 2011 (PA)"
            ),
            ["OICA", "SMMT"]
        );
        assert_eq!(
            publishers("Auto Express, Mike Rutherford column"),
            ["Auto Express"]
        );
    }

    #[test]
    fn credit_lists_each_publisher_once_in_order() {
        assert_eq!(
            credit(["SMMT, Jan 2009", "SMMT press release"]),
            "Source: SMMT"
        );
        assert_eq!(
            credit([
                "Hansard HC 1979",
                "US DOT BTS table 1-19",
                "cars: SMMT, 2007; CVs: OICA 2006",
                "OICA 2007 (SMMT-supplied)",
            ]),
            "Sources: Hansard, US DOT BTS, SMMT, OICA"
        );
    }
}
