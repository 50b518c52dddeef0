//! Projected output by maker, stacked, with the target path on top.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{Caption, Page, 
    Frame, INK, MUTED, MakerPalette, Swatch, TARGET, anchored, axis_top, bold, draw_frame,
    draw_swatch, millions, short, spread, text,
};
use super::{DrawResult, footer, mesh};
use crate::engine::Projection;

/// Draw the makers chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    p: &Projection,
) -> DrawResult<Caption, DB> {
    let palette = MakerPalette::of(p);
    let frame = Frame {
        kicker: super::kicker(p),
        title: format!(
            "Who builds the UK's vehicles: output by maker, scenario {}",
            p.scenario
        ),
        subtitle: super::subtitle(p),
        legend: vec![(
            Swatch::Dashed(TARGET),
            format!("Path to the {} target", millions(p.target.volume)),
        )],
        footer: footer(
            p,
            "A programme counts towards its maker, not the plant's operator; Other = other UK manufacturers",
        ),
        headline: None,
    };
    let (area, caption) = draw_frame(root, page, &frame)?;
    let makers = p.makers();
    let years: Vec<i32> = (p.base_year..=p.end_year).collect();
    let path: Vec<(f64, f64)> = p
        .national
        .iter()
        .filter_map(|n| n.target_path.map(|t| (f64::from(n.year), t)))
        .collect();
    let stacked_top = (0..years.len())
        .map(|i| makers.iter().map(|m| m.outputs[i]).sum::<f64>())
        .fold(0.0, f64::max);
    let max = path.iter().map(|(_, v)| *v).fold(stacked_top, f64::max);
    let mut chart = ChartBuilder::on(&area)
        .margin_right(360)
        .x_label_area_size(56)
        .y_label_area_size(110)
        .build_cartesian_2d(
            f64::from(p.base_year)..f64::from(p.end_year),
            0.0..axis_top(max),
        )?;
    mesh(&mut chart, page, "Vehicles a year", years.len())?;

    let mut lower = vec![0.0; years.len()];
    let mut label_wishes = Vec::new();
    for maker in &makers {
        let upper: Vec<f64> = lower
            .iter()
            .zip(&maker.outputs)
            .map(|(l, v)| l + v)
            .collect();
        let outline: Vec<(f64, f64)> = years
            .iter()
            .zip(&upper)
            .map(|(y, v)| (f64::from(*y), *v))
            .chain(
                years
                    .iter()
                    .zip(&lower)
                    .rev()
                    .map(|(y, v)| (f64::from(*y), *v)),
            )
            .collect();
        let colour = palette.colour(&maker.maker);
        chart.draw_series(std::iter::once(Polygon::new(outline, colour.filled())))?;
        let end = years.len() - 1;
        let middle = (lower[end] + upper[end]) / 2.0;
        let (_, y) = chart.backend_coord(&(f64::from(p.end_year), middle));
        label_wishes.push((
            f64::from(y),
            maker.maker.clone(),
            colour,
            maker.outputs[end],
        ));
        lower = upper;
    }
    chart.draw_series(DashedLineSeries::new(
        path.clone(),
        10,
        8,
        TARGET.stroke_width(4),
    ))?;

    // Direct labels at the right, in stack order, pushed apart where bands are thin.
    let (_, plot_y) = chart.plotting_area().get_pixel_range();
    let (right, _) = chart.backend_coord(&(f64::from(p.end_year), 0.0));
    let wishes: Vec<f64> = label_wishes.iter().map(|w| w.0).collect();
    let top = f64::from(plot_y.start);
    let placed = spread(&wishes, 34.0, top + 54.0, f64::from(plot_y.end) - 14.0);
    root.draw(&Text::new(
        format!("Output in {}", p.end_year),
        (right + 20, top as i32 + 14),
        anchored(bold(page.old(25.0), INK), HPos::Left, VPos::Center),
    ))?;
    let name_style = anchored(text(page.old(25.0), INK), HPos::Left, VPos::Center);
    let value_style = anchored(text(page.old(25.0), MUTED), HPos::Right, VPos::Center);
    for ((_, name, colour, value), y) in label_wishes.iter().zip(&placed) {
        let y = *y as i32;
        draw_swatch(root, page, &Swatch::Block(*colour), (right + 20, y))?;
        root.draw(&Text::new(
            name.clone(),
            (right + 76, y),
            name_style.clone(),
        ))?;
        root.draw(&Text::new(
            short(*value),
            (right + 350, y),
            value_style.clone(),
        ))?;
    }
    Ok(caption)
}
