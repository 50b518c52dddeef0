//! A waterfall from the base-year total to the end-year projection, by maker, then the gap.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{Caption, Page, 
    Frame, INK, MUTED, MakerPalette, Swatch, TARGET, anchored, axis_top, bold, draw_frame, pale,
    short, signed_short, text, wrap_all,
};
use super::{DrawResult, footer, mesh};
use crate::engine::Projection;

/// At most this many makers get a bar of their own; the rest are summed.
const MAX_MAKER_BARS: usize = 8;

/// A bar of the waterfall.
struct Bar {
    label: String,
    from: f64,
    to: f64,
    kind: Kind,
}

enum Kind {
    Total,
    Change(RGBColor),
    Gap,
}

fn bars(p: &Projection) -> Vec<Bar> {
    let palette = MakerPalette::of(p);
    let makers = p.makers();
    let mut changes: Vec<(String, f64)> = makers
        .iter()
        .map(|m| {
            let first = m.outputs.first().copied().unwrap_or(0.0);
            let last = m.outputs.last().copied().unwrap_or(0.0);
            (m.maker.clone(), last - first)
        })
        .filter(|(_, change)| change.abs() >= 0.5)
        .collect();
    changes.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
    if changes.len() > MAX_MAKER_BARS {
        let rest: f64 = changes[MAX_MAKER_BARS - 1..].iter().map(|(_, c)| c).sum();
        let count = changes.len() - (MAX_MAKER_BARS - 1);
        changes.truncate(MAX_MAKER_BARS - 1);
        changes.push((format!("{count} smaller changes"), rest));
    }
    let base = p.summary.base_total;
    let end = p.summary.end_total;
    let mut bars = vec![Bar {
        label: format!("{} actual", p.base_year),
        from: 0.0,
        to: base,
        kind: Kind::Total,
    }];
    let mut level = base;
    for (maker, change) in changes {
        let colour = palette.colour(&maker);
        bars.push(Bar {
            label: maker,
            from: level,
            to: level + change,
            kind: Kind::Change(colour),
        });
        level += change;
    }
    bars.push(Bar {
        label: format!("{} {}", p.end_year, super::total_label(p)),
        from: 0.0,
        to: end,
        kind: Kind::Total,
    });
    bars.push(Bar {
        label: "Gap to target path".into(),
        from: end,
        to: p.summary.end_target_path,
        kind: Kind::Gap,
    });
    bars
}

/// Draw the bridge chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    p: &Projection,
) -> DrawResult<Caption, DB> {
    let frame = Frame {
        kicker: super::kicker(p),
        title: format!(
            "From {} to {}: what changes, by maker, scenario {}",
            p.base_year, p.end_year, p.scenario
        ),
        subtitle: super::subtitle(p),
        legend: vec![
            (Swatch::Block(RGBColor(80, 80, 80)), "Total".into()),
            (
                Swatch::Makers(false),
                "Change by maker, in its colour (gains up, losses down)".into(),
            ),
            (
                Swatch::Outline(TARGET),
                format!("Gap to the target path in {}", p.end_year),
            ),
        ],
        footer: footer(
            p,
            "A programme counts towards its maker, not the plant's operator",
        ),
        headline: None,
    };
    let (area, caption) = draw_frame(root, page, &frame)?;
    let bars = bars(p);
    let max = bars.iter().flat_map(|b| [b.from, b.to]).fold(0.0, f64::max);
    let n = bars.len() as f64;
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(90)
        .y_label_area_size(110)
        .margin_right(20)
        .build_cartesian_2d(0.0..n, 0.0..axis_top(max))?;
    mesh(&mut chart, page, "Vehicles a year", 0)?;
    let plot = chart.plotting_area().clone();
    let (x_pixels, _) = plot.get_pixel_range();
    let slot = f64::from(x_pixels.end - x_pixels.start) / n;
    let label_style = text(page.old(24.0), INK);
    for (i, bar) in bars.iter().enumerate() {
        let x0 = i as f64 + 0.18;
        let x1 = i as f64 + 0.82;
        let (low, high) = (bar.from.min(bar.to), bar.from.max(bar.to));
        let rect = [(x0, low), (x1, high)];
        let (value, colour) = match bar.kind {
            Kind::Total => {
                chart.draw_series(std::iter::once(Rectangle::new(
                    rect,
                    RGBColor(80, 80, 80).filled(),
                )))?;
                (short(bar.to), INK)
            }
            Kind::Change(c) => {
                chart.draw_series(std::iter::once(Rectangle::new(rect, c.filled())))?;
                chart.draw_series(std::iter::once(Rectangle::new(
                    rect,
                    RGBColor(90, 90, 90).stroke_width(1),
                )))?;
                (signed_short(bar.to - bar.from), INK)
            }
            Kind::Gap => {
                chart.draw_series(std::iter::once(Rectangle::new(
                    rect,
                    pale(TARGET, 0.12).filled(),
                )))?;
                chart.draw_series(std::iter::once(Rectangle::new(
                    rect,
                    TARGET.stroke_width(4),
                )))?;
                let gap = bar.from - bar.to;
                let words = if gap < 0.0 { "short" } else { "above" };
                (format!("{} {words}", short(gap.abs())), TARGET)
            }
        };
        // Connector from this bar's end level to the next bar.
        if i + 1 < bars.len() && !matches!(bars[i + 1].kind, Kind::Total) {
            let level = bar.to;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x1, level), (x1 + 0.36, level)],
                MUTED.stroke_width(2),
            )))?;
        }
        // Value above a rising bar, below a falling one.
        let falling = matches!(bar.kind, Kind::Change(_)) && bar.to < bar.from;
        let (px, py) = chart.backend_coord(&((x0 + x1) / 2.0, if falling { low } else { high }));
        let (v, dy) = if falling {
            (VPos::Top, 10)
        } else {
            (VPos::Bottom, -10)
        };
        root.draw(&Text::new(
            value,
            (px, py + dy),
            anchored(bold(page.old(26.0), colour), HPos::Center, v),
        ))?;
        // Category label under the axis, wrapped to the bar's slot.
        let (_, base_y) = chart.backend_coord(&(0.0, 0.0));
        let lines = wrap_all(root, &bar.label, &label_style, (slot * 0.95) as u32)?;
        for (k, line) in lines.into_iter().enumerate() {
            root.draw(&Text::new(
                line,
                (px, base_y + 16 + 30 * k as i32),
                anchored(label_style.clone(), HPos::Center, VPos::Top),
            ))?;
        }
    }
    Ok(caption)
}
