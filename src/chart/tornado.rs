//! The tornado chart: how far each uncertain input alone moves the total in one year.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{Caption, Page, 
    CARS, CVS, Frame, INK, MUTED, Swatch, TARGET, anchored, bold, draw_frame, short, text,
};
use super::{DrawResult, footer};
use crate::engine::Projection;
use crate::uncertainty::Swing;

/// At most this many inputs are drawn, the largest swings.
const MAX_ROWS: usize = 14;

/// Draw the tornado chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    p: &Projection,
    swings: &[Swing],
    year: i32,
    central: f64,
    target: f64,
) -> DrawResult<Caption, DB> {
    let rows = &swings[..swings.len().min(MAX_ROWS)];
    let frame = Frame {
        kicker: super::kicker(p),
        title: format!(
            "What moves the {year} modal-case total most: scenario {}",
            p.scenario
        ),
        // The swings are around the modal case, whatever the projection's own figures are.
        subtitle: [
            crate::export::modified_note(p),
            crate::export::basis_note(crate::engine::Basis::Modal),
            crate::export::description_of(p),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(". "),
        legend: vec![
            (
                Swatch::Block(CARS),
                "Input at its low end (or the item does not happen)".into(),
            ),
            (Swatch::Block(CVS), "At its high end (or it happens)".into()),
            (
                Swatch::Line(INK),
                format!("Modal case {} (every item happens)", short(central)),
            ),
            (
                Swatch::Dashed(TARGET),
                format!("Target path {}", short(target)),
            ),
        ],
        headline: None,
        footer: footer(
            p,
            "One input varied at a time, every other input at its most likely value and every item happening (the modal case)",
        ),
    };
    let (area, caption) = draw_frame(root, page, &frame)?;
    let lowest = rows
        .iter()
        .flat_map(|s| [s.total_at_low, s.total_at_high])
        .fold(central.min(target), f64::min);
    let highest = rows
        .iter()
        .flat_map(|s| [s.total_at_low, s.total_at_high])
        .fold(central.max(target), f64::max);
    let pad = ((highest - lowest) * 0.12).max(10_000.0);
    let (x0, x1) = ((lowest - pad).max(0.0), highest + pad);
    let n = rows.len().max(1) as f64;
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(50)
        .y_label_area_size(520)
        .margin_right(40)
        .build_cartesian_2d(x0..x1, 0.0..n)?;
    super::bar_mesh(&mut chart, page, x1)?;
    let label_style = anchored(text(page.old(23.0), INK), HPos::Right, VPos::Center);
    let value_style = |h| anchored(text(page.old(21.0), MUTED), h, VPos::Center);
    for (i, s) in rows.iter().enumerate() {
        let y1 = n - i as f64 - 0.15;
        let y0 = y1 - 0.7;
        for (total, colour) in [(s.total_at_low, CARS), (s.total_at_high, CVS)] {
            let (a, b) = (central.min(total), central.max(total));
            chart.draw_series(std::iter::once(Rectangle::new(
                [(a, y0), (b, y1)],
                colour.filled(),
            )))?;
        }
        let (lx, ly) = chart.backend_coord(&(x0, (y0 + y1) / 2.0));
        root.draw(&Text::new(
            s.parameter.clone(),
            (lx - 14, ly),
            label_style.clone(),
        ))?;
        let (left, right) = if s.total_at_low <= s.total_at_high {
            (s.total_at_low, s.total_at_high)
        } else {
            (s.total_at_high, s.total_at_low)
        };
        let (px, py) = chart.backend_coord(&(left, (y0 + y1) / 2.0));
        root.draw(&Text::new(
            short(left),
            (px - 8, py),
            value_style(HPos::Right),
        ))?;
        let (px, py) = chart.backend_coord(&(right, (y0 + y1) / 2.0));
        root.draw(&Text::new(
            short(right),
            (px + 8, py),
            value_style(HPos::Left),
        ))?;
    }
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(central, 0.0), (central, n)],
        INK.stroke_width(3),
    )))?;
    chart.draw_series(DashedLineSeries::new(
        vec![(target, 0.0), (target, n)],
        10,
        8,
        TARGET.stroke_width(3),
    ))?;
    let (tx, ty) = chart.backend_coord(&(target, n));
    root.draw(&Text::new(
        format!("Target path {}", short(target)),
        (tx, ty - 6),
        anchored(bold(page.old(22.0), TARGET), HPos::Center, VPos::Bottom),
    ))?;
    Ok(caption)
}
