//! The fan chart: sourced history, and the spread of the Monte Carlo draws around their median.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::DrawResult;
use super::path::{
    Ink, Plot, Rect, Spot, block_size, dashed, draw_block, draw_divider, first_year, label_divider,
    line_height, place, stack, target_note, target_volume, time_axes,
};
use super::style::{
    Caption, Frame, INK, MUTED, Page, Role, SCENARIO_COLOURS, Swatch, TARGET, draw_frame,
    millions2, pale,
};
use crate::engine::Projection;
use crate::number::thousands;
use crate::uncertainty::{Bands, Uncertainty};

/// How strongly the 90% and 50% bands are filled.
const OUTER: f64 = 0.22;
/// See `OUTER`.
const INNER: f64 = 0.5;

/// The share of draws that reach the target, in words that agree with the percentage the
/// CLI prints: "About 3 in 100 draws (2.8%)", "Fewer than 1 in 10,000 draws" rather than
/// 0%, "All 10,000 draws"; under 1% or over 99%, as a count of the draws.
pub(super) fn chance_words(chance: f64, draws: usize) -> String {
    let n = thousands(draws as f64);
    let count = (chance * draws as f64).round();
    let pct = chance * 100.0;
    if count < 0.5 {
        format!("Fewer than 1 in {n} draws")
    } else if count >= draws as f64 {
        format!("All {n} draws")
    } else if !(1.0..=99.0).contains(&pct) {
        format!("{} in {n} draws", thousands(count))
    } else if (pct - pct.round()).abs() < 0.05 {
        format!("{:.0} in 100 draws ({pct:.1}%)", pct.round())
    } else {
        format!("About {:.0} in 100 draws ({pct:.1}%)", pct.round())
    }
}

/// The fan chart's message: the chance of reaching the target in its year, or of reaching
/// the straight line to it in the last year when the chart ends sooner.
fn title(p: &Projection, u: &Uncertainty) -> String {
    let target = p.target;
    let year = target.year.min(p.end_year);
    let chance = chance_words(u.probability_in(year).unwrap_or(0.0), u.draws);
    let volume = target_volume(target.volume);
    if target.year <= p.end_year {
        format!("{chance} reach the {volume} target in {year}")
    } else {
        format!(
            "{chance} reach the straight line to the {volume} target in {year} ({})",
            millions2(p.summary.end_target_path)
        )
    }
}

/// With data uncertainty on, what the draws include and how much of the spread it is.
fn data_note(p: &Projection, u: &Uncertainty) -> String {
    match u.data_only_in(p.end_year) {
        Some(b) => format!(
            " The draws include the data's ranges for {} plant outputs; drawn alone, around the modal case (every uncertain item happening), they spread the {} total by {} (P5 to P95).",
            p.base_year,
            b.year,
            thousands(b.percentiles[6] - b.percentiles[0])
        ),
        None => String::new(),
    }
}

/// Draw the fan chart, with history from `from` (`--from`; default: as the path chart).
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    p: &Projection,
    u: &Uncertainty,
    from: Option<i32>,
) -> DrawResult<Caption, DB> {
    let colour = SCENARIO_COLOURS[0];
    let first = first_year(p, from);
    let history = super::actual_totals(p, first);
    // A lone year other than the base year (which the fan starts from) is drawn as a dot.
    let lone = history
        .iter()
        .any(|r| r.len() == 1 && r[0].0 != f64::from(p.base_year));
    let actual = if lone {
        "Actual (a dot: a sourced year between unsourced ones)"
    } else {
        "Actual"
    };
    let frame = Frame {
        kicker: super::kicker(p),
        title: title(p, u),
        subtitle: super::subtitle(p),
        legend: vec![
            (Swatch::Line(INK), actual.into()),
            (Swatch::Line(colour), "Median of draws".into()),
            (Swatch::Dashed(INK), "Mean of draws (expected value)".into()),
            (
                Swatch::Line(TARGET),
                "Straight line to target (illustrative)".into(),
            ),
        ],
        headline: None,
        footer: super::footer_from(
            p,
            |n| n.year >= first && n.total.is_some(),
            &format!(
                "{} draws (seed {}); the bands hold the middle 50% and 90% of the draws each year.{} {}",
                thousands(u.draws as f64),
                u.seed,
                data_note(p, u),
                target_note(p)
            ),
        ),
    };
    let (area, caption) = draw_frame(root, page, &frame)?;
    let Some(last) = u.bands.last() else {
        return Ok(caption);
    };
    let max = u
        .bands
        .iter()
        .map(|b| b.percentiles[6])
        .chain(history.iter().flatten().map(|(_, v)| *v))
        .fold(p.target.volume, f64::max);
    let labels = EndLabels::of(p, last, colour);
    let right = labels.width(root, page)? + page.ui(0.9);
    let x0 = f64::from(first)
        - if history.first().is_some_and(|r| r.len() == 1) {
            0.4
        } else {
            0.0
        };
    let x = (x0, f64::from(p.end_year) + 0.5);
    let must = [p.base_year, p.target.year.min(p.end_year), first];
    let mut chart = time_axes(
        root,
        &area,
        page,
        x,
        (max, 0),
        right,
        &must,
        Some(f64::from(p.base_year)),
    )?;
    let base = (f64::from(p.base_year), p.summary.base_total);
    super::band(&mut chart, base, u, (0, 6), pale(colour, OUTER).filled())?;
    super::band(&mut chart, base, u, (2, 4), pale(colour, INNER).filled())?;
    let mut ink = Ink::default();
    for k in [0, 6] {
        ink.add_line(&chart, &super::percentile_line(base, u, k));
    }
    for run in &history {
        ink.add_line(&chart, run);
    }
    super::draw_runs(&mut chart, page, history, INK)?;
    let path = super::target_line(p);
    ink.add_line(&chart, &path);
    chart.plotting_area().draw(&PathElement::new(
        path,
        TARGET.stroke_width(page.stroke(0.7)),
    ))?;
    // The median is the fan's centre; the mean (the figure every table shows) is dashed.
    let median = super::percentile_line(base, u, 3);
    ink.add_line(&chart, &median);
    chart.draw_series(LineSeries::new(
        median,
        colour.stroke_width(page.stroke(1.8)),
    ))?;
    let mean: Vec<(f64, f64)> = std::iter::once(base)
        .chain(u.bands.iter().map(|b| (f64::from(b.year), b.mean)))
        .collect();
    dashed(
        root,
        &chart,
        page,
        &mean,
        INK.stroke_width(page.stroke(0.55)),
    )?;

    let mut taken: Vec<Rect> = Vec::new();
    draw_divider(&chart, page, p.base_year, &mut ink)?;
    label_divider(root, &chart, page, p.base_year, &ink, &mut taken)?;
    let unplaced = draw_band_labels(root, &chart, page, u, colour, &ink, &mut taken)?;
    labels.draw(root, &chart, page, &ink, &mut taken, unplaced)?;
    Ok(caption)
}

/// The bands' labels with their ranges in the last year, each marking the band's top (90%)
/// or bottom (50%) edge, for the margin.
fn band_labels(last: &Bands, colour: RGBColor) -> [Label; 2] {
    let q = last.percentiles;
    let label = |lines: Vec<String>, value: f64| Label {
        lines,
        colour,
        bold: false,
        value,
    };
    [
        label(
            vec!["90% of draws".into(), range(q[0], q[6], last.year)],
            q[6],
        ),
        label(
            vec!["50% of draws".into(), range(q[2], q[4], last.year)],
            q[2],
        ),
    ]
}

/// A range of totals in a year: "1.01–1.28m in 2035"; in thousands where millions to two
/// places would show one number twice ("840–842k in 2035"), and one number where the draws
/// all agree to the vehicle ("all 841,040 in 2035").
fn range(lo: f64, hi: f64, year: i32) -> String {
    if (hi - lo).abs() < 0.5 {
        format!("all {} in {year}", thousands(lo))
    } else if format!("{:.2}", lo / 1e6) == format!("{:.2}", hi / 1e6) {
        format!("{:.0}–{:.0}k in {year}", lo / 1e3, hi / 1e3)
    } else {
        format!("{:.2}–{} in {year}", lo / 1e6, millions2(hi))
    }
}

/// Label the bands inside the plot, each with a leader into its band a year before the end:
/// the 90% band above the fan, the 50% band below it, with their ranges in the last year.
/// Returns the labels that found no room there (they go in the margin).
fn draw_band_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Plot<'_, DB>,
    page: &Page,
    u: &Uncertainty,
    colour: RGBColor,
    ink: &Ink,
    taken: &mut Vec<Rect>,
) -> DrawResult<Vec<Label>, DB> {
    let (Some(last), Some(near)) = (
        u.bands.last(),
        u.bands.iter().rev().nth(1).or(u.bands.last()),
    ) else {
        return Ok(Vec::new());
    };
    let (px, py) = chart.plotting_area().get_pixel_range();
    let bounds: Rect = (px.start, py.start, px.end, py.end);
    let n = near.percentiles;
    let year = f64::from(near.year);
    let [outer, inner] = band_labels(last, colour);
    // (label, the band's edge it sits by, a point inside the band, where it may go)
    let labels = [
        (
            outer,
            (year, n[6]),
            (year, (n[4] + n[6]) / 2.0),
            [Spot::AboveLeft, Spot::Above, Spot::AboveRight],
        ),
        (
            inner,
            (year, n[0]),
            (year, (n[2] + n[3]) / 2.0),
            [Spot::BelowLeft, Spot::Below, Spot::BelowRight],
        ),
    ];
    let gap = page.ui(1.0);
    let mut unplaced = Vec::new();
    for (label, edge, inside, spots) in labels {
        let lines = &label.lines;
        let size = block_size(root, page, lines, Role::Note, false)?;
        let at = chart.backend_coord(&edge);
        let Some(rect) = place(at, size, gap, &spots, bounds, ink, taken) else {
            unplaced.push(label);
            continue;
        };
        // The leader runs from the block's edge nearest the band to inside the band.
        let (ix, iy) = chart.backend_coord(&inside);
        let from_y = if rect.3 <= iy { rect.3 } else { rect.1 };
        let from_x = ix.clamp(rect.0, rect.2);
        root.draw(&PathElement::new(
            vec![(from_x, from_y), (ix, iy)],
            MUTED.stroke_width(page.stroke(0.4)),
        ))?;
        root.draw(&Circle::new((ix, iy), page.ui(0.1), MUTED.filled()))?;
        draw_block(root, page, lines, rect, Role::Note, colour, false)?;
        taken.push(rect);
    }
    Ok(unplaced)
}

/// A label of the fan: its lines, colour, weight and the value it marks.
struct Label {
    lines: Vec<String>,
    colour: RGBColor,
    bold: bool,
    value: f64,
}

/// The labels at the end of the fan: the target (or the straight line's value when the
/// target lies beyond the chart), the median and the expected value; and the bands', where
/// they find no room in the plot.
struct EndLabels {
    year: f64,
    target_point: (f64, f64),
    /// Whether the target's label goes in the margin (else at its ring, in the plot).
    target_in_margin: bool,
    target: Label,
    others: Vec<Label>,
    /// The bands' labels, to size the margin for them.
    bands: [Label; 2],
}

impl EndLabels {
    fn of(p: &Projection, last: &Bands, colour: RGBColor) -> EndLabels {
        let (target_point, target) = super::target_mark(p, p.end_year);
        EndLabels {
            year: f64::from(last.year),
            target_point,
            target_in_margin: p.target.year >= p.end_year,
            target: Label {
                lines: vec![target],
                colour: TARGET,
                bold: true,
                value: target_point.1,
            },
            bands: band_labels(last, colour),
            others: vec![
                Label {
                    lines: vec![format!("Expected {}", millions2(last.mean))],
                    colour: INK,
                    bold: false,
                    value: last.mean,
                },
                Label {
                    lines: vec![format!("Median {}", millions2(last.percentiles[3]))],
                    colour,
                    bold: true,
                    value: last.percentiles[3],
                },
            ],
        }
    }

    /// The widest label, in pixels.
    fn width<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
    ) -> DrawResult<i32, DB> {
        let mut w = 0;
        for label in std::iter::once(&self.target)
            .chain(&self.others)
            .chain(&self.bands)
        {
            w = w.max(block_size(root, page, &label.lines, Role::Body, label.bold)?.0);
        }
        Ok(w)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &Plot<'_, DB>,
        page: &Page,
        ink: &Ink,
        taken: &mut Vec<Rect>,
        extra: Vec<Label>,
    ) -> DrawResult<(), DB> {
        let ring = chart.backend_coord(&self.target_point);
        root.draw(&Circle::new(
            ring,
            page.ui(0.32),
            TARGET.stroke_width(page.stroke(0.9)),
        ))?;
        let (px, py) = chart.plotting_area().get_pixel_range();
        let (ex, _) = chart.backend_coord(&(self.year, 0.0));
        let mut labels: Vec<&Label> = self.others.iter().chain(&extra).collect();
        let mut in_margin = self.target_in_margin;
        if !in_margin {
            let size = block_size(root, page, &self.target.lines, Role::Body, true)?;
            let spots = [Spot::Above, Spot::AboveLeft, Spot::Below, Spot::BelowLeft];
            let bounds = (px.start, py.start, px.end, py.end);
            match place(ring, size, page.ui(0.5), &spots, bounds, ink, taken) {
                Some(rect) => {
                    draw_block(
                        root,
                        page,
                        &self.target.lines,
                        rect,
                        Role::Body,
                        TARGET,
                        true,
                    )?;
                    taken.push(rect);
                }
                None => in_margin = true,
            }
        }
        if in_margin {
            labels.insert(0, &self.target);
        }
        let line = line_height(page, Role::Body);
        let wishes: Vec<(f64, f64)> = labels
            .iter()
            .map(|l| {
                let y = chart.backend_coord(&(self.year, l.value)).1;
                (f64::from(y), f64::from(line * l.lines.len() as i32))
            })
            .collect();
        let placed = stack(&wishes, f64::from(py.start), f64::from(py.end));
        let x = ex + page.ui(0.7);
        for ((label, centre), (_, h)) in labels.iter().zip(placed).zip(wishes) {
            let top = (centre - h / 2.0).round() as i32;
            let rect = (x, top, x, top + h as i32);
            draw_block(
                root,
                page,
                &label.lines,
                rect,
                Role::Body,
                label.colour,
                label.bold,
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_ranges_never_show_one_number_twice() {
        assert_eq!(range(1_010_000.0, 1_280_000.0, 2035), "1.01–1.28m in 2035");
        assert_eq!(range(840_100.0, 841_900.0, 2035), "840–842k in 2035");
        assert_eq!(range(841_040.0, 841_040.2, 2035), "all 841,040 in 2035");
    }

    #[test]
    fn chances_in_words_agree_with_the_percentage() {
        assert_eq!(chance_words(0.028, 10_000), "About 3 in 100 draws (2.8%)");
        assert_eq!(chance_words(0.03, 10_000), "3 in 100 draws (3.0%)");
        assert_eq!(chance_words(0.0, 10_000), "Fewer than 1 in 10,000 draws");
        assert_eq!(chance_words(0.0032, 10_000), "32 in 10,000 draws");
        assert_eq!(chance_words(1.0, 10_000), "All 10,000 draws");
        assert_eq!(chance_words(0.9968, 10_000), "9,968 in 10,000 draws");
    }
}
