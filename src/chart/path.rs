//! The headline chart: history, the projection and the straight path to the target.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{Caption, Page, 
    CARS, CVS, Frame, INK, MUTED, Swatch, TARGET, anchored, axis_top, bold, draw_frame, millions,
    millions2, pale, short, spread, text,
};
use super::{DrawResult, footer, mesh};
use crate::engine::{Projection, Source};

/// Runs of consecutive rows that have a value, as (year, value) points.
pub(super) fn runs(points: impl Iterator<Item = (i32, Option<f64>)>) -> Vec<Vec<(f64, f64)>> {
    let mut runs = vec![Vec::new()];
    for (year, value) in points {
        match value {
            Some(v) => runs
                .last_mut()
                .map(|r| r.push((f64::from(year), v)))
                .unwrap_or_default(),
            None if runs.last().is_some_and(|r| !r.is_empty()) => runs.push(Vec::new()),
            None => {}
        }
    }
    runs.retain(|r| !r.is_empty());
    runs
}

/// A gap smaller than this reads "on target": an illustration is not precise to the vehicle.
const ON_TARGET: f64 = 5_000.0;

/// Draw the headline path chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    p: &Projection,
) -> DrawResult<Caption, DB> {
    let target = p.target;
    let complete_from = runs(p.national.iter().map(|n| (n.year, n.commercial_vehicles)))
        .last()
        .and_then(|run| run.first())
        .map_or(p.base_year, |(x, _)| *x as i32);
    let frame = Frame {
        kicker: super::kicker(p),
        title: format!(
            "UK vehicle production and the path to {} by {}: scenario {}",
            millions(target.volume),
            target.year,
            p.scenario
        ),
        subtitle: super::subtitle(p),
        legend: vec![
            (Swatch::Line(INK), "Total, actual".into()),
            (
                Swatch::Dashed(INK),
                format!("Total, {}", super::total_label(p)),
            ),
            (Swatch::Block(pale(CARS, 0.45)), "Cars".into()),
            (Swatch::Block(pale(CVS, 0.45)), "Commercial vehicles".into()),
            (Swatch::Dashed(TARGET), "Target path".into()),
        ],
        footer: footer(
            p,
            &format!(
                "Commercial vehicles stacked from {complete_from}, since when every year is sourced; \
                 earlier totals drawn where sourced (dots: lone years); gaps bridged by straight lines"
            ),
        ),
        headline: None,
    };
    let (area, caption) = draw_frame(root, page, &frame)?;
    let first = p.national.first().map_or(p.base_year, |n| n.year);
    let end = p.end_year;
    let max = p
        .national
        .iter()
        .flat_map(|n| [Some(n.cars), n.total])
        .flatten()
        .fold(target.volume, f64::max);
    let top = axis_top(max);
    let mut chart = ChartBuilder::on(&area)
        .margin_right(330)
        .x_label_area_size(56)
        .y_label_area_size(110)
        .build_cartesian_2d(f64::from(first)..f64::from(end) + 0.5, 0.0..top)?;
    mesh(&mut chart, page, "Vehicles a year", (end - first) as usize / 5)?;

    let rows = &p.national;
    let cars: Vec<(f64, f64)> = rows.iter().map(|n| (f64::from(n.year), n.cars)).collect();
    chart.draw_series(AreaSeries::new(cars, 0.0, pale(CARS, 0.45).filled()))?;
    // Commercial vehicles are stacked only over the unbroken run of complete years up to the
    // base year (and the projection): an earlier band with gaps would read as falls in output.
    if let Some(run) = runs(
        rows.iter()
            .map(|n| (n.year, n.commercial_vehicles.map(|v| v + n.cars))),
    )
    .pop()
        && run.len() >= 2
    {
        let lower = run.iter().rev().filter_map(|(x, _)| {
            rows.iter()
                .find(|n| f64::from(n.year) == *x)
                .map(|n| (*x, n.cars))
        });
        let outline: Vec<(f64, f64)> = run.iter().copied().chain(lower).collect();
        chart.draw_series(std::iter::once(Polygon::new(
            outline,
            pale(CVS, 0.45).filled(),
        )))?;
    }
    let actual = rows.iter().filter(|n| n.source == Source::Actual);
    for run in runs(actual.map(|n| (n.year, n.total))) {
        if run.len() == 1 {
            chart.draw_series(run.iter().map(|pt| Circle::new(*pt, 5, INK.filled())))?;
        } else {
            chart.draw_series(LineSeries::new(run, INK.stroke_width(5)))?;
        }
    }
    let projected: Vec<(f64, f64)> = rows
        .iter()
        .filter(|n| n.year >= p.base_year)
        .filter_map(|n| n.total.map(|t| (f64::from(n.year), t)))
        .collect();
    chart.draw_series(DashedLineSeries::new(
        projected,
        18,
        10,
        INK.stroke_width(5),
    ))?;
    let path: Vec<(f64, f64)> = rows
        .iter()
        .filter_map(|n| n.target_path.map(|t| (f64::from(n.year), t)))
        .collect();
    chart.draw_series(DashedLineSeries::new(path, 10, 8, TARGET.stroke_width(4)))?;

    // Record car output, labelled to its right where the later, lower years leave room.
    if let Some(record) = rows
        .iter()
        .filter(|n| n.source == Source::Actual)
        .max_by(|a, b| a.cars.total_cmp(&b.cars))
    {
        let point = (f64::from(record.year), record.cars);
        chart.draw_series(std::iter::once(Circle::new(point, 8, INK.filled())))?;
        let (x, y) = chart.backend_coord(&point);
        root.draw(&Text::new(
            format!(
                "{}: {} cars, the record",
                record.year,
                millions2(record.cars)
            ),
            (x + 18, y),
            anchored(text(page.old(26.0), INK), HPos::Left, VPos::Center),
        ))?;
    }

    // Target and end-year labels in the right margin, moved apart if they would touch.
    let end_total = p.summary.end_total;
    let (target_point, target_label) = super::target_mark(p, end);
    let end_point = (f64::from(end), end_total);
    chart.draw_series(std::iter::once(Circle::new(end_point, 8, INK.filled())))?;
    // The target as a ring on top, so it stays visible when the projection reaches it.
    chart.draw_series(std::iter::once(Circle::new(
        target_point,
        11,
        TARGET.stroke_width(4),
    )))?;

    // Where history ends and the projection begins.
    let divider = f64::from(p.base_year);
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(divider, 0.0), (divider, top)],
        MUTED.mix(0.5).stroke_width(1),
    )))?;
    let (dx, dy) = chart.backend_coord(&(divider, top));
    root.draw(&Text::new(
        "projection",
        (dx + 8, dy + 6),
        anchored(text(page.old(22.0), MUTED), HPos::Left, VPos::Top),
    ))?;
    let gap = p.summary.end_gap;
    // Millions for big gaps, as people quote them; thousands when millions would read 0.00m.
    let amount = if gap.abs() < 999.5 {
        format!("{:.0} vehicles", gap.abs())
    } else if gap.abs() >= 100_000.0 {
        millions2(gap.abs())
    } else {
        short(gap.abs())
    };
    // Before the target year the gap is to the path, not to the target itself.
    let against = if target.year <= end {
        "target"
    } else {
        "the target path"
    };
    let gap_words = if gap.abs() < ON_TARGET {
        format!("on {against}")
    } else if gap < 0.0 {
        format!("{amount} short of {against}")
    } else {
        format!("{amount} above {against}")
    };
    let (tx, ty) = chart.backend_coord(&target_point);
    let (ex, ey) = chart.backend_coord(&end_point);
    let (_, plot_y) = chart.plotting_area().get_pixel_range();
    let placed = spread(
        &[f64::from(ty), f64::from(ey)],
        72.0,
        f64::from(plot_y.start) + 30.0,
        f64::from(plot_y.end) - 30.0,
    );
    let label_x = ex.max(tx) + 26;
    let left = anchored(bold(page.old(28.0), TARGET), HPos::Left, VPos::Center);
    root.draw(&Text::new(target_label, (label_x, placed[0] as i32), left))?;
    let end_style = anchored(bold(page.old(28.0), INK), HPos::Left, VPos::Center);
    let end_y = placed[1] as i32;
    root.draw(&Text::new(
        format!("{end}: {}", millions2(end_total)),
        (label_x, end_y - 17),
        end_style,
    ))?;
    root.draw(&Text::new(
        gap_words,
        (label_x, end_y + 17),
        anchored(text(page.old(26.0), MUTED), HPos::Left, VPos::Center),
    ))?;
    Ok(caption)
}
