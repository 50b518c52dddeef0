//! The fan chart: history, the central projection and the spread of the Monte Carlo draws.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{Caption, Page, 
    Frame, INK, MUTED, SCENARIO_COLOURS, Swatch, TARGET, anchored, axis_top, bold, draw_frame,
    millions, pale, short, spread, text,
};
use super::{DrawResult, footer, mesh};
use crate::engine::Projection;
use crate::uncertainty::Uncertainty;

/// Years of history shown before the base year.
const HISTORY_YEARS: i32 = 25;

/// Draw the fan chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    p: &Projection,
    u: &Uncertainty,
) -> DrawResult<Caption, DB> {
    let colour = SCENARIO_COLOURS[0];
    let target = p.target;
    let year = target.year.min(p.end_year);
    let chance = u.probability_in(year).unwrap_or(0.0);
    let frame = Frame {
        kicker: super::kicker(p),
        title: format!(
            "How sure is the path to {}? Scenario {}",
            millions(target.volume),
            p.scenario
        ),
        subtitle: super::subtitle(p),
        legend: vec![
            (Swatch::Line(INK), "Actual".into()),
            (Swatch::Line(colour), "Median of draws".into()),
            (Swatch::Dashed(INK), "Mean of draws (expected value)".into()),
            (Swatch::Block(pale(colour, 0.5)), "50% of draws".into()),
            (Swatch::Block(pale(colour, 0.22)), "90% of draws".into()),
            (Swatch::Dashed(TARGET), "Target path".into()),
        ],
        headline: Some(format!(
            "On the target path in {year} in {:.1}% of draws",
            chance * 100.0
        )),
        footer: footer(
            p,
            &format!(
                "{} Monte Carlo draws, seed {}; bands from the 5th to 95th and 25th to 75th percentiles",
                short(u.draws as f64),
                u.seed
            ),
        ),
    };
    let (area, caption) = draw_frame(root, page, &frame)?;
    let start = p.base_year - HISTORY_YEARS;
    let history = super::actual_totals(p, start);
    let max = u
        .bands
        .iter()
        .map(|b| b.percentiles[6])
        .chain(history.iter().flatten().map(|(_, v)| *v))
        .fold(target.volume, f64::max);
    let mut chart = ChartBuilder::on(&area)
        .margin_right(300)
        .x_label_area_size(56)
        .y_label_area_size(110)
        .build_cartesian_2d(
            f64::from(start)..f64::from(p.end_year) + 0.5,
            0.0..axis_top(max),
        )?;
    mesh(
        &mut chart,
        page,
        "Vehicles a year",
        (p.end_year - start) as usize / 5,
    )?;
    let base = (f64::from(p.base_year), p.summary.base_total);
    super::band(&mut chart, base, u, (0, 6), pale(colour, 0.22).filled())?;
    super::band(&mut chart, base, u, (2, 4), pale(colour, 0.5).filled())?;
    super::draw_runs(&mut chart, page, history, INK)?;
    let median = super::percentile_line(base, u, 3);
    chart.draw_series(LineSeries::new(median, colour.stroke_width(4)))?;
    // The projection drawn with a fan is the expected one: its total is the mean of the draws.
    let mean: Vec<(f64, f64)> = p
        .national
        .iter()
        .filter(|n| n.year >= p.base_year)
        .filter_map(|n| n.total.map(|t| (f64::from(n.year), t)))
        .collect();
    chart.draw_series(DashedLineSeries::new(mean, 14, 8, INK.stroke_width(3)))?;
    let path: Vec<(f64, f64)> = p
        .national
        .iter()
        .filter_map(|n| n.target_path.map(|t| (f64::from(n.year), t)))
        .collect();
    chart.draw_series(DashedLineSeries::new(path, 10, 8, TARGET.stroke_width(4)))?;
    let (target_point, target_label) = super::target_mark(p, p.end_year);
    chart.draw_series(std::iter::once(Circle::new(
        target_point,
        11,
        TARGET.stroke_width(4),
    )))?;

    // Labels in the right margin: target, and the end-year spread.
    let Some(last) = u.bands.last() else {
        return Ok(caption);
    };
    let end = f64::from(last.year);
    // The expected value (the mean, the figure every other output shows) is the main label;
    // the median and the band's ends are secondary.
    let expected = p.year(last.year).and_then(|n| n.total).unwrap_or(last.mean);
    let wishes: Vec<f64> = [
        target_point.1,
        last.percentiles[6],
        expected,
        last.percentiles[3],
        last.percentiles[0],
    ]
    .iter()
    .map(|v| f64::from(chart.backend_coord(&(end, *v)).1))
    .collect();
    let (_, plot_y) = chart.plotting_area().get_pixel_range();
    let placed = spread(
        &wishes,
        36.0,
        f64::from(plot_y.start) + 20.0,
        f64::from(plot_y.end) - 20.0,
    );
    let (x, _) = chart.backend_coord(&(end, 0.0));
    let x = x + 24;
    let labels = [
        (target_label, bold(page.old(25.0), TARGET)),
        (
            format!("P95 {}", short(last.percentiles[6])),
            text(page.old(24.0), MUTED),
        ),
        (format!("Expected {}", short(expected)), bold(page.old(25.0), INK)),
        (
            format!("Median {}", short(last.percentiles[3])),
            text(page.old(24.0), colour),
        ),
        (
            format!("P5 {}", short(last.percentiles[0])),
            text(page.old(24.0), MUTED),
        ),
    ];
    for ((label, style), y) in labels.into_iter().zip(placed) {
        root.draw(&Text::new(
            label,
            (x, y as i32),
            anchored(style, HPos::Left, VPos::Center),
        ))?;
    }
    Ok(caption)
}
