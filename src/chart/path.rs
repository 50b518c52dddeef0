//! The headline chart: sourced history, the projection and the straight line to the target.
//! Also the pieces every chart over years shares (history, fan): runs of sourced years, the
//! default first year, the axes, continuous dashes and label placement.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::DrawResult;
use super::style::{
    CARS, CVS, Caption, Frame, GRID, INK, MUTED, Page, Role, Swatch, TARGET, anchored, axis_top,
    axis_value, draw_frame, millions, millions2, pale, short,
};
use crate::engine::{Basis, NationalYear, Projection, Source};

/// A chart with years across and vehicles up.
pub(super) type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A box in pixels: left, top, right, bottom.
pub(super) type Rect = (i32, i32, i32, i32);

/// A gap smaller than this reads "on target": an illustration is not precise to the vehicle.
const ON_TARGET: f64 = 5_000.0;

/// Half the width, in years, of the column drawn for a sourced year whose neighbours are
/// unsourced (an area needs two years; a column shows the one figure without bridging).
const LONE: f64 = 0.25;

/// The background of the projection period.
pub(super) const PROJECTION_SHADE: RGBColor = RGBColor(245, 245, 245);

/// How strongly actual and projected areas are filled (projected paler).
const ACTUAL_FILL: f64 = 0.45;
/// See `ACTUAL_FILL`.
const PROJECTED_FILL: f64 = 0.3;

/// Runs of consecutive years that have a value: a year without one, or a year missing from
/// the data, ends a run, so nothing is ever bridged across it.
pub(super) fn year_runs<T: Copy>(
    points: impl IntoIterator<Item = (i32, Option<T>)>,
) -> Vec<Vec<(i32, T)>> {
    let mut runs: Vec<Vec<(i32, T)>> = Vec::new();
    let mut previous: Option<i32> = None;
    for (year, value) in points {
        let Some(v) = value else {
            previous = None;
            continue;
        };
        match runs.last_mut() {
            Some(run) if previous == Some(year - 1) => run.push((year, v)),
            _ => runs.push(vec![(year, v)]),
        }
        previous = Some(year);
    }
    runs
}

/// The first year from which the total is sourced in every year up to the base year (2006
/// in the shipped data): where charts over years start unless `--from` says otherwise.
pub(super) fn unbroken_from(p: &Projection) -> i32 {
    let actual = p
        .national
        .iter()
        .filter(|n| n.source == Source::Actual && n.year <= p.base_year);
    year_runs(actual.map(|n| (n.year, n.total)))
        .last()
        .filter(|run| run.last().map(|(y, _)| *y) == Some(p.base_year))
        .and_then(|run| run.first())
        .map_or(p.base_year, |(y, _)| *y)
}

/// The first year a chart over years draws: `--from`, kept within the data (from its first
/// year to the base year), else `unbroken_from`.
pub(super) fn first_year(p: &Projection, from: Option<i32>) -> i32 {
    let earliest = p.national.first().map_or(p.base_year, |n| n.year);
    from.map_or_else(
        || unbroken_from(p),
        |y| y.clamp(earliest.min(p.base_year), p.base_year),
    )
}

/// A target volume as its source states it: "1.3m", or "1.25m" when one decimal would round.
pub(super) fn target_volume(v: f64) -> String {
    if ((v / 1e5).round() * 1e5 - v).abs() < 0.5 {
        millions(v)
    } else {
        millions2(v)
    }
}

/// A gap in words: millions for big gaps, as people quote them, thousands below 0.1m, and
/// "on" within 5,000.
pub(super) fn gap_words(gap: f64, against: &str) -> String {
    let amount = if gap.abs() >= 100_000.0 {
        millions2(gap.abs())
    } else {
        short(gap.abs())
    };
    if gap.abs() < ON_TARGET {
        format!("on {against}")
    } else if gap < 0.0 {
        format!("{amount} short of {against}")
    } else {
        format!("{amount} above {against}")
    }
}

/// What a projected figure is, as the subject of a title.
fn subject(basis: Basis) -> &'static str {
    match basis {
        Basis::Certain => "Output",
        Basis::Expected { .. } => "Expected output",
        Basis::Modal => "If every uncertain item happens, output",
    }
}

/// The path chart's message, by rule: the total in the target year and how far it is from
/// the target ("Output reaches 0.84m in 2035, 0.46m short of the 1.3m target"); a chart
/// that ends before the target year measures against the straight line to it instead.
pub(super) fn title(p: &Projection) -> String {
    let target = p.target;
    let volume = target_volume(target.volume);
    if target.year <= p.end_year {
        let total = p
            .year(target.year)
            .and_then(|n| n.total)
            .unwrap_or(p.summary.end_total);
        format!(
            "{} reaches {} in {}, {}",
            subject(p.basis),
            millions2(total),
            target.year,
            gap_words(total - target.volume, &format!("the {volume} target"))
        )
    } else {
        let end = p.end_year;
        format!(
            "{} reaches {} in {end}, {} ({} in {end})",
            subject(p.basis),
            millions2(p.summary.end_total),
            gap_words(
                p.summary.end_gap,
                &format!("the straight line to the {volume} target")
            ),
            millions2(p.summary.end_target_path)
        )
    }
}

/// The footnote on the straight line to the target: it is ukprod's illustration, not a
/// published trajectory.
pub(super) fn target_note(p: &Projection) -> String {
    format!(
        "The {} target is for {}; the straight line to it starts from the {} actual and is illustrative",
        target_volume(p.target.volume),
        p.target.year,
        p.base_year
    )
}

/// The notes under the path chart: the target line, and, on a chart that starts before
/// every year is sourced, how gaps are shown and which peaks the data lack.
fn notes(p: &Projection, first: i32) -> String {
    let mut notes = vec![target_note(p)];
    if first < unbroken_from(p) {
        notes.push(
            "Years without a sourced figure are left blank; commercial vehicles are shown where \
             sourced"
                .into(),
        );
        let has_total = |y: i32| p.year(y).is_some_and(|n| n.total.is_some());
        notes.extend(super::history::missing_peaks_note(
            first..=p.base_year,
            has_total,
        ));
    }
    notes.join(". ")
}

/// Draw the headline path chart, with history from `from` (`--from`; default
/// `unbroken_from`).
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    p: &Projection,
    from: Option<i32>,
) -> DrawResult<Caption, DB> {
    let first = first_year(p, from);
    let (end, base, target) = (p.end_year, p.base_year, p.target);
    let frame = Frame {
        kicker: super::kicker(p),
        title: title(p),
        subtitle: super::subtitle(p),
        legend: vec![
            (Swatch::Line(INK), "Total, actual".into()),
            (
                Swatch::Dashed(INK),
                format!("Total, {}", super::total_label(p)),
            ),
            (Swatch::Block(pale(CARS, ACTUAL_FILL)), "Cars".into()),
            (
                Swatch::Block(pale(CVS, ACTUAL_FILL)),
                "Commercial vehicles".into(),
            ),
            (
                Swatch::Line(TARGET),
                "Straight line to target (illustrative)".into(),
            ),
        ],
        footer: super::footer_from(p, |n| n.year >= first, &notes(p, first)),
        headline: None,
    };
    let (area, caption) = draw_frame(root, page, &frame)?;
    let rows: Vec<&NationalYear> = p.national.iter().filter(|n| n.year >= first).collect();
    let max = rows
        .iter()
        .flat_map(|n| [Some(n.cars), n.total, n.target_path])
        .flatten()
        .fold(target.volume, f64::max);
    // Room for a two-line note above the highest point (peaks are noted above).
    let headroom = 2 * line_height(page, Role::Body) + page.ui(0.6);

    // The end labels go in the right margin, sized to them.
    let margin = EndLabels::of(p);
    let right = margin.width(root, page)? + page.ui(0.9);
    let actual: Vec<&NationalYear> = rows
        .iter()
        .copied()
        .filter(|n| n.source == Source::Actual)
        .collect();
    let cars_runs = year_runs(actual.iter().map(|n| (n.year, Some(n.cars))));
    // A lone first year is a column, which needs room left of it.
    let lone_first = cars_runs.first().is_some_and(|r| r.len() == 1);
    let x0 = f64::from(first) - if lone_first { LONE + 0.15 } else { 0.0 };
    let x = (x0, f64::from(end) + 0.5);
    let must = [base, target.year.min(end), first];
    let chart = time_axes(
        root,
        &area,
        page,
        x,
        (max, headroom),
        right,
        &must,
        Some(f64::from(base)),
    )?;
    let mut ink = Ink::default();
    draw_areas(&chart, p, &actual, &mut ink)?;
    draw_lines(root, &chart, page, p, &actual, &mut ink)?;

    let (px, py) = chart.plotting_area().get_pixel_range();
    let bounds: Rect = (px.start, py.start, px.end, py.end);
    let mut taken: Vec<Rect> = Vec::new();
    draw_divider(&chart, page, base, &mut ink)?;
    let spots = [Spot::AboveRight, Spot::AboveLeft, Spot::Above, Spot::Right];
    for note in peaks(p, first) {
        let at = (spots.as_slice(), page.ui(0.35));
        draw_note(root, &chart, page, &note, at, bounds, &ink, &mut taken)?;
    }
    label_divider(root, &chart, page, base, &ink, &mut taken)?;
    margin.draw(root, &chart, page, &ink, &mut taken)?;
    Ok(caption)
}

/// The line where history ends and the projection begins (ink that labels keep clear of).
pub(super) fn draw_divider<DB: DrawingBackend>(
    chart: &Plot<'_, DB>,
    page: &Page,
    base: i32,
    ink: &mut Ink,
) -> DrawResult<(), DB> {
    let x = f64::from(base);
    let line = vec![(x, 0.0), (x, chart.y_range().end)];
    chart.plotting_area().draw(&PathElement::new(
        line.clone(),
        MUTED.stroke_width(page.stroke(0.4)),
    ))?;
    ink.add_line(chart, &line);
    Ok(())
}

/// Label the divider "2025: last actual": at its top, to its right or left, else at its
/// foot (over the areas), else not at all.
pub(super) fn label_divider<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Plot<'_, DB>,
    page: &Page,
    base: i32,
    ink: &Ink,
    taken: &mut Vec<Rect>,
) -> DrawResult<(), DB> {
    let (px, py) = chart.plotting_area().get_pixel_range();
    let x = f64::from(base);
    let label = vec![format!("{base}: last actual")];
    let size = block_size(root, page, &label, Role::Note, false)?;
    let bounds = (px.start, py.start, px.end, py.end);
    let gap = page.ui(0.3);
    let top = chart.backend_coord(&(x, chart.y_range().end));
    let foot = chart.backend_coord(&(x, 0.0));
    let found = place(
        top,
        size,
        gap,
        &[Spot::BelowRight, Spot::BelowLeft],
        bounds,
        ink,
        taken,
    )
    .or_else(|| {
        place(
            foot,
            size,
            gap,
            &[Spot::AboveRight, Spot::AboveLeft],
            bounds,
            ink,
            taken,
        )
    });
    if let Some(rect) = found {
        draw_block(root, page, &label, rect, Role::Note, MUTED, false)?;
        taken.push(rect);
    }
    Ok(())
}

/// Cars and commercial vehicles as areas over runs of sourced years (a lone year as a
/// column), actual years, then the projection's paler areas from the base year.
fn draw_areas<DB: DrawingBackend>(
    chart: &Plot<'_, DB>,
    p: &Projection,
    actual: &[&NationalYear],
    ink: &mut Ink,
) -> DrawResult<(), DB> {
    let projected: Vec<&NationalYear> = p
        .national
        .iter()
        .filter(|n| n.year >= p.base_year)
        .collect();
    let layers = [
        (actual, ACTUAL_FILL),
        (projected.as_slice(), PROJECTED_FILL),
    ];
    for (rows, strength) in layers {
        let cars = year_runs(rows.iter().map(|n| (n.year, Some((0.0, n.cars)))));
        let cvs = year_runs(
            rows.iter()
                .map(|n| (n.year, n.commercial_vehicles.map(|v| (n.cars, n.cars + v)))),
        );
        for run in cars {
            fill_run(chart, &run, pale(CARS, strength), ink)?;
        }
        for run in cvs {
            fill_run(chart, &run, pale(CVS, strength), ink)?;
        }
    }
    Ok(())
}

/// Fill between the lower and upper values of a run of years; a lone year as a column.
fn fill_run<DB: DrawingBackend>(
    chart: &Plot<'_, DB>,
    run: &[(i32, (f64, f64))],
    colour: RGBColor,
    ink: &mut Ink,
) -> DrawResult<(), DB> {
    let upper: Vec<(f64, f64)> = if run.len() == 1 {
        let (y, (_, hi)) = run[0];
        vec![(f64::from(y) - LONE, hi), (f64::from(y) + LONE, hi)]
    } else {
        run.iter()
            .map(|(y, (_, hi))| (f64::from(*y), *hi))
            .collect()
    };
    let lower: Vec<(f64, f64)> = if run.len() == 1 {
        let (y, (lo, _)) = run[0];
        vec![(f64::from(y) + LONE, lo), (f64::from(y) - LONE, lo)]
    } else {
        run.iter()
            .rev()
            .map(|(y, (lo, _))| (f64::from(*y), *lo))
            .collect()
    };
    ink.add_line(chart, &upper);
    let outline: Vec<(f64, f64)> = upper.into_iter().chain(lower).collect();
    chart
        .plotting_area()
        .draw(&Polygon::new(outline, colour.filled()))
}

/// The total (solid where actual, dashed where projected; a lone year as a cap on its
/// column) and the straight line to the target (thin and solid: dashes mean projections).
fn draw_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Plot<'_, DB>,
    page: &Page,
    p: &Projection,
    actual: &[&NationalYear],
    ink: &mut Ink,
) -> DrawResult<(), DB> {
    let line = INK.stroke_width(page.stroke(1.0));
    for run in year_runs(actual.iter().map(|n| (n.year, n.total))) {
        let points: Vec<(f64, f64)> = if run.len() == 1 {
            let (y, t) = run[0];
            vec![(f64::from(y) - LONE, t), (f64::from(y) + LONE, t)]
        } else {
            run.iter().map(|(y, t)| (f64::from(*y), *t)).collect()
        };
        ink.add_line(chart, &points);
        chart
            .plotting_area()
            .draw(&PathElement::new(points, line))?;
    }
    let path = super::target_line(p);
    ink.add_line(chart, &path);
    chart.plotting_area().draw(&PathElement::new(
        path,
        TARGET.stroke_width(page.stroke(0.7)),
    ))?;
    let projected: Vec<(f64, f64)> = p
        .national
        .iter()
        .filter(|n| n.year >= p.base_year)
        .filter_map(|n| n.total.map(|t| (f64::from(n.year), t)))
        .collect();
    ink.add_line(chart, &projected);
    dashed(root, chart, page, &projected, line)
}

/// The peaks noted on the path chart: the car record where the chart reaches back to it
/// (with the highest sourced total where that stands above it), else the highest actual
/// total the chart shows.
fn peaks(p: &Projection, first: i32) -> Vec<Note> {
    let actual = || p.national.iter().filter(|n| n.source == Source::Actual);
    let highest_total = actual()
        .filter(|n| n.year >= first)
        .filter_map(|n| n.total.map(|t| (n.year, t)))
        .fold(None, |best: Option<(i32, f64)>, (y, t)| match best {
            Some((_, b)) if b >= t => best,
            _ => Some((y, t)),
        });
    let record = actual().fold(None, |best: Option<&NationalYear>, n| match best {
        Some(b) if b.cars >= n.cars => best,
        _ => Some(n),
    });
    match record {
        Some(r) if r.year >= first => {
            record_notes((r.year, r.cars, r.total.unwrap_or(r.cars)), highest_total)
        }
        _ => highest_total
            .map(|(y, t)| Note {
                points: vec![(f64::from(y), t)],
                lines: vec![format!(
                    "{y}: {} vehicles, the peak of {first}–{}",
                    millions2(t),
                    p.base_year
                )],
            })
            .into_iter()
            .collect(),
    }
}

/// A note on a chart over years: the points it marks (the first anchors it) and its lines.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Note {
    /// Points marked with a dot, in chart coordinates.
    pub(super) points: Vec<(f64, f64)>,
    /// The note's lines.
    pub(super) lines: Vec<String>,
}

/// The notes on the car record, `(year, cars, top of its mark)`, and the highest sourced
/// total, `(year, total)`, where that stands above the record's mark: each says what it
/// counts; a total within two years of the record shares its note (one block, the higher
/// point anchoring it), so no higher mark stands unlabelled beside "the record".
pub(super) fn record_notes(record: (i32, f64, f64), highest: Option<(i32, f64)>) -> Vec<Note> {
    let (year, cars, top) = record;
    let line = format!("{year}: {} cars, the record", millions2(cars));
    let point = (f64::from(year), top);
    let Some((hy, total)) = highest.filter(|(y, t)| *y != year && *t > top) else {
        return vec![Note {
            points: vec![point],
            lines: vec![line],
        }];
    };
    let high = (f64::from(hy), total);
    let high_line = format!("{hy}: {}, the highest sourced total", millions2(total));
    if (hy - year).abs() <= 2 {
        let lines = if hy < year {
            vec![high_line, line]
        } else {
            vec![line, high_line]
        };
        vec![Note {
            points: vec![high, point],
            lines,
        }]
    } else {
        vec![
            Note {
                points: vec![point],
                lines: vec![line],
            },
            Note {
                points: vec![high],
                lines: vec![high_line],
            },
        ]
    }
}

/// Draw a note at the first of `spots` where it fits, `gap` pixels from its first point (as
/// by `place`), else from its others; a one-line note may wrap after its last comma. A note
/// that fits nowhere is left out: a chart that cannot fit its text shows less text.
#[allow(clippy::too_many_arguments)]
pub(super) fn draw_note<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Plot<'_, DB>,
    page: &Page,
    note: &Note,
    (spots, gap): (&[Spot], i32),
    bounds: Rect,
    ink: &Ink,
    taken: &mut Vec<Rect>,
) -> DrawResult<(), DB> {
    let mut options = vec![note.lines.clone()];
    if let [only] = note.lines.as_slice()
        && let Some((a, b)) = only.rsplit_once(", ")
    {
        options.push(vec![format!("{a},"), b.to_string()]);
    }
    for lines in options {
        let size = block_size(root, page, &lines, Role::Body, false)?;
        for anchor in &note.points {
            let at = chart.backend_coord(anchor);
            let Some(rect) = place(at, size, gap, spots, bounds, ink, taken) else {
                continue;
            };
            for point in &note.points {
                root.draw(&Circle::new(
                    chart.backend_coord(point),
                    page.ui(0.15),
                    INK.filled(),
                ))?;
            }
            draw_block(root, page, &lines, rect, Role::Body, INK, false)?;
            taken.push(rect);
            return Ok(());
        }
    }
    Ok(())
}

/// The labels at the end of the path chart: the target (or the straight line's value in the
/// last year, when the target lies beyond the chart), the last year's total and its gap.
struct EndLabels {
    target_point: (f64, f64),
    target: String,
    /// Whether the target label goes in the margin (the target is in the chart's last year
    /// or beyond), or at its ring inside the plot.
    target_in_margin: bool,
    end_point: (f64, f64),
    end: String,
    gap: String,
}

impl EndLabels {
    fn of(p: &Projection) -> EndLabels {
        let end = p.end_year;
        let (target_point, target) = super::target_mark(p, end);
        // Before the target year the gap is to the straight line, not to the target itself.
        let against = if p.target.year <= end {
            "target"
        } else {
            "the line to target"
        };
        EndLabels {
            target_point,
            target,
            target_in_margin: p.target.year >= end,
            end_point: (f64::from(end), p.summary.end_total),
            end: format!("{end}: {}", millions2(p.summary.end_total)),
            gap: gap_words(p.summary.end_gap, against),
        }
    }

    /// The widest label that goes in the margin, in pixels.
    fn width<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
    ) -> DrawResult<i32, DB> {
        let bold = page.bold(Role::Body, INK);
        let mut w = root.estimate_text_size(&self.end, &bold)?.0;
        w = w.max(
            root.estimate_text_size(&self.gap, &page.text(Role::Note, MUTED))?
                .0,
        );
        // The target label goes in the margin unless there is room at its ring; size the
        // margin for it in any case, so the fallback fits.
        w = w.max(root.estimate_text_size(&self.target, &bold)?.0);
        Ok(w as i32)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &Plot<'_, DB>,
        page: &Page,
        ink: &Ink,
        taken: &mut Vec<Rect>,
    ) -> DrawResult<(), DB> {
        let ring = chart.backend_coord(&self.target_point);
        let end = chart.backend_coord(&self.end_point);
        root.draw(&Circle::new(end, page.ui(0.22), INK.filled()))?;
        // The target as a ring on top, so it stays visible when the projection reaches it.
        root.draw(&Circle::new(
            ring,
            page.ui(0.32),
            TARGET.stroke_width(page.stroke(0.9)),
        ))?;
        let (px, py) = chart.plotting_area().get_pixel_range();
        let line = (page.font(Role::Body) * 1.2).round() as i32;
        let target_lines = vec![self.target.clone()];
        // A target inside the plot (the chart runs past the target year) is labelled at its ring.
        let mut in_margin = self.target_in_margin;
        if !in_margin {
            let size = block_size(root, page, &target_lines, Role::Body, true)?;
            let spots = [Spot::Above, Spot::AboveLeft, Spot::Below, Spot::BelowLeft];
            let bounds = (px.start, py.start, px.end, py.end);
            match place(ring, size, page.ui(0.5), &spots, bounds, ink, taken) {
                Some(rect) => {
                    draw_block(root, page, &target_lines, rect, Role::Body, TARGET, true)?;
                    taken.push(rect);
                }
                None => in_margin = true,
            }
        }
        let mut wishes = vec![(f64::from(end.1), f64::from(2 * line))];
        if in_margin {
            wishes.push((f64::from(ring.1), f64::from(line)));
        }
        let placed = stack(&wishes, f64::from(py.start), f64::from(py.end));
        let x = end.0 + page.ui(0.7);
        let end_top = (placed[0] - f64::from(line)).round() as i32;
        let end_lines = vec![self.end.clone()];
        draw_block(
            root,
            page,
            &end_lines,
            (x, end_top, x, end_top + line),
            Role::Body,
            INK,
            true,
        )?;
        root.draw(&Text::new(
            self.gap.clone(),
            (x, end_top + line),
            anchored(page.text(Role::Note, MUTED), HPos::Left, VPos::Top),
        ))?;
        if in_margin && let Some(y) = placed.get(1) {
            let top = (y - f64::from(line) / 2.0).round() as i32;
            draw_block(
                root,
                page,
                &target_lines,
                (x, top, x, top + line),
                Role::Body,
                TARGET,
                true,
            )?;
        }
        Ok(())
    }
}

/// Build the axes of a chart over years in `area`: values from zero to a round top above
/// `max` that leaves `headroom` pixels over it (for labels), light horizontal gridlines,
/// value ticks in the axis's unit, year labels that always include the `must` years where
/// they fit (in order of priority), "Vehicles a year" above the value axis, and the
/// projection period shaded from `shade_from`. `right` is the margin kept for end labels.
#[allow(clippy::too_many_arguments)]
pub(super) fn time_axes<'a, DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &'a DrawingArea<DB, Shift>,
    page: &Page,
    x: (f64, f64),
    (max, headroom): (f64, i32),
    right: i32,
    must: &[i32],
    shade_from: Option<f64>,
) -> DrawResult<Plot<'a, DB>, DB> {
    let tick = page.text(Role::Tick, MUTED);
    let tick_h = page.font(Role::Tick).round() as i32;
    let (margin_top, label_h) = (tick_h * 2 + page.ui(0.3), tick_h + page.ui(0.8));
    let plot_h = f64::from((area.dim_in_pixel().1 as i32 - margin_top - label_h).max(1));
    let mut top = axis_top(max);
    for _ in 0..20 {
        if (top - max) / top * plot_h >= f64::from(headroom) {
            break;
        }
        top = axis_top(top);
    }
    let mut widest = 0;
    for k in 0..=20 {
        let label = axis_value(top * f64::from(k) / 20.0, top);
        widest = widest.max(root.estimate_text_size(&label, &tick)?.0);
    }
    // plotters sets a label twice the tick mark's length from the axis.
    let mark = page.ui(0.2);
    let label_area = widest as i32 + 2 * mark + page.ui(0.2);
    let mut chart = ChartBuilder::on(area)
        .margin_top(margin_top)
        .margin_right(right)
        .x_label_area_size(label_h)
        .y_label_area_size(label_area)
        .build_cartesian_2d(x.0..x.1, 0.0..top)?;
    if let Some(from) = shade_from {
        chart.plotting_area().draw(&Rectangle::new(
            [(from, 0.0), (x.1, top)],
            PROJECTION_SHADE.filled(),
        ))?;
    }
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID.stroke_width(1))
        .axis_style(MUTED.stroke_width(page.stroke(0.4)))
        .x_labels(0)
        .y_labels(6)
        .set_all_tick_mark_size(mark)
        .y_label_formatter(&|v| axis_value(*v, top))
        .y_label_style(tick.clone())
        .draw()?;
    let (px, py) = chart.plotting_area().get_pixel_range();
    let per_year = f64::from(px.end - px.start) / (x.1 - x.0);
    let label_w = f64::from(root.estimate_text_size("2000", &tick)?.0);
    // The right end of the last label drawn, so that none runs into the next.
    let mut last_end = f64::NEG_INFINITY;
    for year in year_ticks(x, must, per_year, label_w) {
        let (tx, ty) = chart.backend_coord(&(f64::from(year), 0.0));
        // A label centred on a year at the axis's left end would run under the value axis's
        // "0": it starts at the axis instead.
        let (h, start) = if f64::from(tx) - label_w / 2.0 < f64::from(px.start) {
            (HPos::Left, f64::from(tx))
        } else {
            (HPos::Center, f64::from(tx) - label_w / 2.0)
        };
        if start < last_end + label_w * 0.2 {
            continue;
        }
        last_end = start + label_w;
        root.draw(&PathElement::new(
            vec![(tx, ty), (tx, ty + page.ui(0.25))],
            MUTED.stroke_width(page.stroke(0.4)),
        ))?;
        root.draw(&Text::new(
            year.to_string(),
            (tx, ty + page.ui(0.35)),
            anchored(tick.clone(), h, VPos::Top),
        ))?;
    }
    // The unit above the value axis, starting where its widest tick label starts, clear of
    // the top tick label (centred on the plot's top edge).
    let (ax, _) = area.get_base_pixel();
    root.draw(&Text::new(
        "Vehicles a year",
        (
            ax + label_area - 2 * mark - widest as i32,
            py.start - tick_h / 2 - page.ui(0.25),
        ),
        anchored(tick, HPos::Left, VPos::Bottom),
    ))?;
    Ok(chart)
}

/// Years labelled on an axis over `x`: the `must` years first (in order of priority, each
/// where it does not crowd one already chosen), then round years every 1, 2, 5, 10, … years,
/// the first step that leaves room for a label, except where they would crowd.
pub(super) fn year_ticks(x: (f64, f64), must: &[i32], per_year: f64, label_w: f64) -> Vec<i32> {
    let room = label_w * 1.4 / per_year.max(1e-9);
    let (first, last) = (x.0.ceil() as i32, x.1.floor() as i32);
    let mut ticks: Vec<i32> = Vec::new();
    let free = |ticks: &[i32], y: i32| ticks.iter().all(|t| f64::from((t - y).abs()) >= room);
    for &y in must {
        if (first..=last).contains(&y) && free(&ticks, y) {
            ticks.push(y);
        }
    }
    let step = [1, 2, 5, 10, 20, 25, 50]
        .into_iter()
        .find(|s| f64::from(*s) >= room)
        .unwrap_or(100);
    let mut y = first.div_euclid(step) * step;
    while y <= last {
        if y >= first && free(&ticks, y) {
            ticks.push(y);
        }
        y += step;
    }
    ticks.sort_unstable();
    ticks
}

/// Draw a polyline dashed with one rhythm along its whole length (plotters' dashed series
/// restarts its pattern at every point, which jogs).
pub(super) fn dashed<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Plot<'_, DB>,
    page: &Page,
    points: &[(f64, f64)],
    style: ShapeStyle,
) -> DrawResult<(), DB> {
    let (dash, gap) = (page.u(0.55), page.u(0.3));
    let px: Vec<(f64, f64)> = points
        .iter()
        .map(|p| {
            let (x, y) = chart.backend_coord(p);
            (f64::from(x), f64::from(y))
        })
        .collect();
    let round = |(x, y): (f64, f64)| (x.round() as i32, y.round() as i32);
    let (mut on, mut left) = (true, dash);
    let mut current: Vec<(i32, i32)> = px.first().map(|p| vec![round(*p)]).unwrap_or_default();
    for w in px.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let mut t = 0.0;
        while len - t > left {
            t += left;
            let at = round((a.0 + (b.0 - a.0) * t / len, a.1 + (b.1 - a.1) * t / len));
            if on {
                current.push(at);
                root.draw(&PathElement::new(std::mem::take(&mut current), style))?;
            } else {
                current = vec![at];
            }
            on = !on;
            left = if on { dash } else { gap };
        }
        left -= len - t;
        if on {
            current.push(round(b));
        }
    }
    if on && current.len() >= 2 {
        root.draw(&PathElement::new(current, style))?;
    }
    Ok(())
}

/// Pixels of drawn lines and area edges that labels must not cover.
#[derive(Debug, Default)]
pub(super) struct Ink(Vec<(i32, i32)>);

impl Ink {
    /// Add a polyline in chart coordinates, sampled every few pixels.
    pub(super) fn add_line<DB: DrawingBackend>(
        &mut self,
        chart: &Plot<'_, DB>,
        points: &[(f64, f64)],
    ) {
        let px: Vec<(i32, i32)> = points.iter().map(|p| chart.backend_coord(p)).collect();
        if let [only] = px.as_slice() {
            self.0.push(*only);
        }
        for w in px.windows(2) {
            let (a, b) = (w[0], w[1]);
            let steps = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) / 3).max(1);
            for k in 0..=steps {
                self.0
                    .push((a.0 + (b.0 - a.0) * k / steps, a.1 + (b.1 - a.1) * k / steps));
            }
        }
    }

    /// Add the edges of a box in chart coordinates (a bar).
    pub(super) fn add_box<DB: DrawingBackend>(
        &mut self,
        chart: &Plot<'_, DB>,
        (x0, y0): (f64, f64),
        (x1, y1): (f64, f64),
    ) {
        self.add_line(chart, &[(x0, y0), (x0, y1), (x1, y1), (x1, y0)]);
    }

    /// Whether any of the ink lies in (or within 2 pixels of) a box.
    pub(super) fn hits(&self, (x0, y0, x1, y1): Rect) -> bool {
        self.0
            .iter()
            .any(|(x, y)| *x >= x0 - 2 && *x <= x1 + 2 && *y >= y0 - 2 && *y <= y1 + 2)
    }
}

/// Where a label goes relative to its point.
#[derive(Debug, Clone, Copy)]
pub(super) enum Spot {
    /// To the right, centred vertically.
    Right,
    /// Above, centred horizontally.
    Above,
    /// Below, centred horizontally.
    Below,
    /// Above, starting at the point.
    AboveRight,
    /// Above, ending at the point.
    AboveLeft,
    /// Below, starting at the point.
    BelowRight,
    /// Below, ending at the point.
    BelowLeft,
}

impl Spot {
    /// The box of a block of `size` at this spot of the point `at`, `gap` away from it.
    fn rect(self, (x, y): (i32, i32), (w, h): (i32, i32), gap: i32) -> Rect {
        let (x0, y0) = match self {
            Spot::Right => (x + gap, y - h / 2),
            Spot::Above => (x - w / 2, y - gap - h),
            Spot::Below => (x - w / 2, y + gap),
            Spot::AboveRight => (x + gap / 2, y - gap - h),
            Spot::AboveLeft => (x - gap / 2 - w, y - gap - h),
            Spot::BelowRight => (x + gap / 2, y + gap),
            Spot::BelowLeft => (x - gap / 2 - w, y + gap),
        };
        (x0, y0, x0 + w, y0 + h)
    }
}

/// The box of the first of `spots` where a label of `size` next to `at` stays inside
/// `bounds` and clear of `ink` and of the labels already `taken`; `None` if none is.
pub(super) fn place(
    at: (i32, i32),
    size: (i32, i32),
    gap: i32,
    spots: &[Spot],
    bounds: Rect,
    ink: &Ink,
    taken: &[Rect],
) -> Option<Rect> {
    let inside = |r: Rect| r.0 >= bounds.0 && r.1 >= bounds.1 && r.2 <= bounds.2 && r.3 <= bounds.3;
    // Labels keep a little space between them, not just clear of each other.
    let pad = (gap / 3).max(2);
    let clear = |r: Rect| {
        taken
            .iter()
            .all(|t| !overlaps(r, (t.0 - pad, t.1 - pad, t.2 + pad, t.3 + pad)))
    };
    spots
        .iter()
        .map(|s| s.rect(at, size, gap))
        .find(|r| inside(*r) && !ink.hits(*r) && clear(*r))
}

/// Whether two boxes overlap.
pub(super) fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// The line height of a role's text.
pub(super) fn line_height(page: &Page, role: Role) -> i32 {
    (page.font(role) * 1.2).round() as i32
}

/// The size in pixels of a block of lines of a role's text.
pub(super) fn block_size<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    lines: &[String],
    role: Role,
    bold: bool,
) -> DrawResult<(i32, i32), DB> {
    let style = if bold {
        page.bold(role, INK)
    } else {
        page.text(role, INK)
    };
    let mut w = 0;
    for line in lines {
        w = w.max(root.estimate_text_size(line, &style)?.0 as i32);
    }
    Ok((w, line_height(page, role) * lines.len() as i32))
}

/// Draw a block of lines with its top-left corner at the box's.
pub(super) fn draw_block<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    lines: &[String],
    rect: Rect,
    role: Role,
    colour: RGBColor,
    bold: bool,
) -> DrawResult<(), DB> {
    let style = if bold {
        page.bold(role, colour)
    } else {
        page.text(role, colour)
    };
    let style = anchored(style, HPos::Left, VPos::Top);
    let step = line_height(page, role);
    for (i, line) in lines.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (rect.0, rect.1 + step * i as i32),
            style.clone(),
        ))?;
    }
    Ok(())
}

/// Centres for blocks given as (wished centre, height), each as near its wish as the others
/// allow: in the order of their wishes, none overlapping, all within `top..=bottom`.
pub(super) fn stack(wishes: &[(f64, f64)], top: f64, bottom: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..wishes.len()).collect();
    order.sort_by(|a, b| wishes[*a].0.total_cmp(&wishes[*b].0));
    let mut placed: Vec<f64> = Vec::with_capacity(order.len());
    let mut floor = top;
    for &i in &order {
        let (wish, h) = wishes[i];
        let c = wish.max(floor + h / 2.0);
        placed.push(c);
        floor = c + h / 2.0;
    }
    // Push back up from the bottom if the stack ran past it.
    let mut ceiling = bottom;
    for (slot, &i) in order.iter().enumerate().rev() {
        let h = wishes[i].1;
        placed[slot] = placed[slot].min(ceiling - h / 2.0);
        ceiling = placed[slot] - h / 2.0;
    }
    let mut out = vec![0.0; wishes.len()];
    for (slot, i) in order.into_iter().enumerate() {
        out[i] = placed[slot];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_break_at_missing_and_empty_years() {
        let runs = year_runs([
            (1952, Some(1.0)),
            (1955, Some(2.0)),
            (1960, Some(3.0)),
            (1961, Some(4.0)),
            (1962, None),
            (1963, Some(5.0)),
        ]);
        let years: Vec<Vec<i32>> = runs
            .iter()
            .map(|r| r.iter().map(|(y, _)| *y).collect())
            .collect();
        assert_eq!(
            years,
            [vec![1952], vec![1955], vec![1960, 1961], vec![1963]]
        );
    }

    #[test]
    fn ticks_keep_the_base_and_target_years() {
        // 2006-2035 at 40 pixels a year, labels 80 wide: 2.8 years each, so every 5 years,
        // with 2006 itself; 2005 is not on the axis.
        let ticks = year_ticks((2006.0, 2035.5), &[2025, 2035, 2006], 40.0, 80.0);
        assert_eq!(ticks, [2006, 2010, 2015, 2020, 2025, 2030, 2035]);
        // 1952-2035 at 15 pixels a year: 7.5 years each, so every 10 years; 2020 and 2030
        // crowd 2025 and 2035 and give way; 1960 is 8 years from 1952.
        let ticks = year_ticks((1952.0, 2035.5), &[2025, 2035, 1952], 15.0, 80.0);
        assert_eq!(
            ticks,
            [1952, 1960, 1970, 1980, 1990, 2000, 2010, 2025, 2035]
        );
    }

    #[test]
    fn stack_keeps_order_and_bounds() {
        // The second block's top must clear the first's bottom (110): its centre moves to 130.
        assert_eq!(
            stack(&[(100.0, 20.0), (105.0, 40.0)], 0.0, 1000.0),
            [100.0, 130.0]
        );
        assert_eq!(
            stack(&[(990.0, 20.0), (995.0, 20.0)], 0.0, 1000.0),
            [970.0, 990.0]
        );
    }

    #[test]
    fn gaps_in_words() {
        assert_eq!(
            gap_words(-458_000.0, "the 1.3m target"),
            "0.46m short of the 1.3m target"
        );
        assert_eq!(gap_words(783.0, "target"), "on target");
        assert_eq!(gap_words(-4_999.0, "target"), "on target");
        assert_eq!(gap_words(45_000.0, "target"), "45k above target");
        assert_eq!(target_volume(1_300_000.0), "1.3m");
        assert_eq!(target_volume(1_250_000.0), "1.25m");
    }
}
