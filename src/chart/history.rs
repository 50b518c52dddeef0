//! The whole historical record: cars and commercial vehicles stacked, peaks annotated.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::path::runs;
use super::style::{Caption, Page, 
    CARS, CVS, Frame, INK, Swatch, anchored, axis_top, draw_frame, millions2, pale, text,
};
use super::{DrawResult, mesh};
use crate::data::HistoryYear;

/// Where an annotation sits relative to its point.
enum Side {
    RightAbove,
    LeftAbove,
    Right,
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
    let complete_from = history
        .iter()
        .rev()
        .take_while(|h| h.total.is_some())
        .last()
        .map_or(last.year, |h| h.year);
    let frame = Frame {
        kicker: String::new(),
        title: format!("UK vehicle production, {}–{}", first.year, last.year),
        subtitle: format!(
            "Cars and commercial vehicles (vans, trucks, buses, taxis) built in the UK each year. Commercial \
             vehicles are stacked from {complete_from}, since when every year is sourced; before that the total \
             is drawn where a source gives it."
        ),
        legend: vec![
            (Swatch::Block(pale(CARS, 0.45)), "Cars".into()),
            (Swatch::Block(pale(CVS, 0.45)), "Commercial vehicles".into()),
            (Swatch::Line(INK), "Total, where both are sourced".into()),
        ],
        footer: format!(
            "Source: SMMT, OICA, Hansard, US DOT BTS (see data/README.md; data {fingerprint}); years with no \
             sourced figure are bridged by straight lines; dots are lone years with a sourced total"
        ),
        headline: None,
    };
    let (area, caption) = draw_frame(root, page, &frame)?;
    let max = history
        .iter()
        .map(|h| h.total.unwrap_or(h.cars) as f64)
        .fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(&area)
        .margin_right(200)
        .x_label_area_size(56)
        .y_label_area_size(110)
        .build_cartesian_2d(
            f64::from(first.year)..f64::from(last.year) + 0.5,
            0.0..axis_top(max),
        )?;
    mesh(
        &mut chart,
        page,
        "Vehicles a year",
        (last.year - first.year) as usize / 5,
    )?;
    let cars: Vec<(f64, f64)> = history
        .iter()
        .map(|h| (f64::from(h.year), h.cars as f64))
        .collect();
    chart.draw_series(AreaSeries::new(cars, 0.0, pale(CARS, 0.45).filled()))?;
    let totals = runs(history.iter().map(|h| (h.year, h.total.map(|t| t as f64))));
    // Commercial vehicles are stacked only over the unbroken run of complete years: an earlier
    // band with gaps would read as falls in output.
    if let Some(run) = totals.last()
        && run.len() >= 2
    {
        let lower = run.iter().rev().filter_map(|(x, _)| {
            history
                .iter()
                .find(|h| f64::from(h.year) == *x)
                .map(|h| (*x, h.cars as f64))
        });
        let outline: Vec<(f64, f64)> = run.iter().copied().chain(lower).collect();
        chart.draw_series(std::iter::once(Polygon::new(
            outline,
            pale(CVS, 0.45).filled(),
        )))?;
    }
    for run in totals {
        if run.len() == 1 {
            chart.draw_series(run.iter().map(|pt| Circle::new(*pt, 5, INK.filled())))?;
        } else {
            chart.draw_series(LineSeries::new(run, INK.stroke_width(4)))?;
        }
    }
    let by_cars = history.iter().max_by_key(|h| h.cars);
    let by_total = history
        .iter()
        .filter(|h| h.total.is_some())
        .max_by_key(|h| h.total);
    let recent = history
        .iter()
        .filter(|h| h.year >= last.year - 15)
        .max_by_key(|h| h.total);
    // (x, y, label, where the label goes: right and above, left and above, or right of the point)
    let mut notes: Vec<(f64, f64, String, Side)> = Vec::new();
    if let Some(h) = by_total {
        let total = h.total.unwrap_or(0) as f64;
        notes.push((
            f64::from(h.year),
            total,
            format!(
                "{}: {} vehicles, the highest total in the data",
                h.year,
                millions2(total)
            ),
            Side::RightAbove,
        ));
    }
    if let Some(h) = by_cars {
        notes.push((
            f64::from(h.year),
            h.cars as f64,
            format!("{}: {} cars, the record", h.year, millions2(h.cars as f64)),
            Side::RightAbove,
        ));
    }
    if let Some(h) = recent.filter(|r| Some(r.year) != by_total.map(|b| b.year)) {
        let total = h.total.unwrap_or(0) as f64;
        notes.push((
            f64::from(h.year),
            total,
            format!("{}: {}", h.year, millions2(total)),
            Side::LeftAbove,
        ));
    }
    if let Some(total) = last.total {
        notes.push((
            f64::from(last.year),
            total as f64,
            format!("{}: {}", last.year, millions2(total as f64)),
            Side::Right,
        ));
    }
    for (x, y, label, side) in notes {
        chart.draw_series(std::iter::once(Circle::new((x, y), 8, INK.filled())))?;
        let (px, py) = chart.backend_coord(&(x, y));
        let (h, dx, dy) = match side {
            Side::RightAbove => (HPos::Left, 16, -22),
            Side::LeftAbove => (HPos::Right, -16, -22),
            Side::Right => (HPos::Left, 18, 0),
        };
        root.draw(&Text::new(
            label,
            (px + dx, py + dy),
            anchored(text(page.old(26.0), INK), h, VPos::Center),
        ))?;
    }
    Ok(caption)
}
