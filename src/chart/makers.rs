//! Projected output by maker, stacked in a fixed order, with the target path above the stack.
//! Also the small layout helpers the bar charts (makers, bridge, plants) share.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{
    Caption, Frame, GRID, INK, MUTED, MakerPalette, Page, Role, TARGET, anchored, axis_top,
    axis_value, draw_frame, millions2, pale, short, wrap_all,
};
use super::{DrawResult, footer};
use crate::engine::{OTHER_MAKER, Projection};

/// A maker under this output in every year of the chart is grouped into "Others"…
pub const SMALL_MAKER: f64 = 20_000.0;
/// …unless its output moves by at least this much between its lowest and highest year.
pub const MATERIAL_CHANGE: f64 = 5_000.0;
/// A gap to the target path smaller than this reads "on the target": an illustration is not
/// precise to the vehicle (the same threshold as the path chart's).
pub const ON_TARGET: f64 = 5_000.0;

/// What a band of the stack stands for.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// A maker with output in the base year.
    Existing,
    /// Small makers (and the residual), named in the footer.
    Others(Vec<String>),
    /// A maker with no output in the base year.
    Entrant,
}

/// One band of the stack: a maker or a group, with its output in each year.
#[derive(Debug, Clone)]
struct Band {
    name: String,
    colour: RGBColor,
    outputs: Vec<f64>,
    kind: Kind,
}

impl Band {
    fn last(&self) -> f64 {
        self.outputs.last().copied().unwrap_or(0.0)
    }
}

/// The bands from the bottom of the stack up: makers that built vehicles in the base year by
/// their base-year output (largest at the bottom, so the order is the same in every scenario),
/// then the small makers as one "Others" band, then new entrants in the order they start
/// (the story of most scenarios, so at the top edge, next to the target path).
fn bands(p: &Projection, palette: &MakerPalette) -> Vec<Band> {
    let series = p.makers();
    let first = |o: &[f64]| o.first().copied().unwrap_or(0.0);
    let small = |o: &[f64]| {
        let (lo, hi) = o.iter().fold((f64::INFINITY, 0.0_f64), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
        hi < SMALL_MAKER && hi - lo < MATERIAL_CHANGE
    };
    let mut existing: Vec<&crate::engine::MakerSeries> = series
        .iter()
        .filter(|s| s.maker == OTHER_MAKER || first(&s.outputs) >= 0.5)
        .collect();
    existing.sort_by(|a, b| {
        (a.maker == OTHER_MAKER)
            .cmp(&(b.maker == OTHER_MAKER))
            .then(first(&b.outputs).total_cmp(&first(&a.outputs)))
            .then(a.maker.cmp(&b.maker))
    });
    let grouped: Vec<&crate::engine::MakerSeries> = existing
        .iter()
        .copied()
        .filter(|s| small(&s.outputs))
        .collect();
    // A group of one is just that maker.
    let grouping = grouped.len() >= 2;
    let band = |s: &crate::engine::MakerSeries, kind: Kind| Band {
        name: if s.maker == OTHER_MAKER {
            "Other UK manufacturers".to_string()
        } else {
            s.maker.clone()
        },
        colour: palette.colour(&s.maker),
        outputs: s.outputs.clone(),
        kind,
    };
    let mut out: Vec<Band> = existing
        .iter()
        .filter(|s| !(grouping && small(&s.outputs)))
        .map(|s| band(s, Kind::Existing))
        .collect();
    if grouping {
        let years = grouped.first().map_or(0, |s| s.outputs.len());
        let outputs = (0..years)
            .map(|i| grouped.iter().map(|s| s.outputs[i]).sum())
            .collect();
        out.push(Band {
            name: "Others".into(),
            colour: palette.colour(OTHER_MAKER),
            outputs,
            kind: Kind::Others(grouped.iter().map(|s| s.maker.clone()).collect()),
        });
    }
    let mut entrants: Vec<&crate::engine::MakerSeries> = series
        .iter()
        .filter(|s| s.maker != OTHER_MAKER && first(&s.outputs) < 0.5)
        .collect();
    // In order of appearance: first year with output, then the scenario's order.
    let start = |s: &crate::engine::MakerSeries| {
        let year = s
            .outputs
            .iter()
            .position(|v| *v >= 0.5)
            .unwrap_or(usize::MAX);
        let order = p
            .components
            .iter()
            .position(|c| c.maker == s.maker)
            .unwrap_or(usize::MAX);
        (year, order)
    };
    entrants.sort_by_key(|s| start(s));
    out.extend(entrants.into_iter().map(|s| band(s, Kind::Entrant)));
    out
}

/// The footer's note on what "Others" holds.
fn others_note(bands: &[Band]) -> Option<String> {
    bands.iter().find_map(|b| match &b.kind {
        Kind::Others(members) => {
            let names: Vec<String> = members
                .iter()
                .map(|m| {
                    if m == OTHER_MAKER {
                        "other UK manufacturers".to_string()
                    } else {
                        m.clone()
                    }
                })
                .collect();
            let list = crate::number::and_list(&names);
            Some(format!(
                "Others: {list}, each under {} a year throughout",
                short(SMALL_MAKER)
            ))
        }
        _ => None,
    })
}

/// Draw the makers chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    p: &Projection,
) -> DrawResult<Caption, DB> {
    let palette = MakerPalette::of(p);
    let bands = bands(p, &palette);
    let mut note = "A programme counts towards its maker, not the plant's operator".to_string();
    if let Some(others) = others_note(&bands) {
        note = format!("{note}. {others}");
    }
    let frame = Frame {
        kicker: super::kicker(p),
        title: format!(
            "{} output by maker, {}–{}",
            if matches!(p.basis, crate::engine::Basis::Expected { .. }) {
                "Expected"
            } else {
                "Projected"
            },
            p.base_year,
            p.end_year
        ),
        subtitle: super::subtitle(p),
        legend: Vec::new(),
        footer: footer(p, &note),
        headline: None,
    };
    let (area, caption) = draw_frame(root, page, &frame)?;
    let legend = Legend::measure(&area, page, p, &bands)?;
    let years: Vec<i32> = (p.base_year..=p.end_year).collect();
    let path: Vec<(f64, f64)> = p
        .national
        .iter()
        .filter(|n| n.year >= p.base_year)
        .filter_map(|n| n.target_path.map(|t| (f64::from(n.year), t)))
        .collect();
    let stacked_top = (0..years.len())
        .map(|i| bands.iter().map(|b| b.outputs[i]).sum::<f64>())
        .fold(0.0, f64::max);
    let top = axis_top(path.iter().map(|(_, v)| *v).fold(stacked_top, f64::max));
    // The base year is drawn as a bar of actuals just left of the projection.
    let left = f64::from(p.base_year) - BAR;
    let mut chart = ChartBuilder::on(&area)
        .margin_top(unit_room(page))
        .margin_right(legend.width + page.ui(1.0) + right_margin(page))
        .x_label_area_size(year_axis_room(page))
        .y_label_area_size(value_axis_room(&area, page, top)?)
        .build_cartesian_2d(left..f64::from(p.end_year), 0.0..top)?;
    value_mesh(&mut chart, page, top)?;
    unit_label(root, page, &chart, "Vehicles a year")?;
    draw_stack(&mut chart, page, p, &bands, &years)?;
    // The target path above the stack: a thin line with a white halo, so that it reads where
    // it crosses the bands and hides none of them.
    chart.draw_series(LineSeries::new(
        path.clone(),
        WHITE.stroke_width(page.stroke(3.2)),
    ))?;
    chart.draw_series(LineSeries::new(path, TARGET.stroke_width(page.stroke(1.0))))?;
    year_axis(root, page, &chart, p.base_year, p.end_year)?;
    end_labels(root, page, &chart, p, stacked_end(&bands))?;
    let (x_pixels, y_pixels) = chart.plotting_area().get_pixel_range();
    let (_, area_y) = area.get_pixel_range();
    legend.draw(
        root,
        page,
        (x_pixels.end + page.ui(1.0), y_pixels.start),
        area_y.end,
    )?;
    Ok(caption)
}

/// How far left of the base year its bar of actuals reaches, in years.
const BAR: f64 = 0.45;

fn stacked_end(bands: &[Band]) -> f64 {
    bands.iter().map(Band::last).sum()
}

/// The stack: the base year as a bar of actuals in full colour, the projected years as paler
/// areas, with a thin white line between bands.
fn draw_stack<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    page: &Page,
    p: &Projection,
    bands: &[Band],
    years: &[i32],
) -> DrawResult<(), DB> {
    let base = f64::from(p.base_year);
    let mut lower = vec![0.0; years.len()];
    let mut edges = Vec::new();
    for band in bands {
        let upper: Vec<f64> = lower
            .iter()
            .zip(&band.outputs)
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
        chart.draw_series(std::iter::once(Polygon::new(
            outline,
            pale(band.colour, PROJECTED).filled(),
        )))?;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(base - BAR * 0.85, lower[0]), (base, upper[0])],
            band.colour.filled(),
        )))?;
        edges.push(
            years
                .iter()
                .zip(&upper)
                .map(|(y, v)| (f64::from(*y), *v))
                .collect::<Vec<_>>(),
        );
        lower = upper;
    }
    // Separators last, so no band paints over the one below's edge.
    for edge in edges {
        chart.draw_series(LineSeries::new(edge, WHITE.stroke_width(page.stroke(0.5))))?;
    }
    Ok(())
}

/// How strong the projected areas are next to the base year's actuals (1 = full colour).
const PROJECTED: f64 = 0.72;

/// Label the stack's end ("2035: 0.84m total") and the target path's end, each just above its
/// line; when the two would touch, the lower one goes under its line, and when they are
/// within `ON_TARGET` of each other, one label says both.
fn end_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    p: &Projection,
    total: f64,
) -> DrawResult<(), DB> {
    let end = p.end_year;
    let path = p
        .year(end)
        .and_then(|n| n.target_path)
        .unwrap_or(p.summary.end_target_path);
    let (_, target_text) = super::target_mark(p, end);
    let total_text = format!("{end}: {} total", millions2(total));
    let (x, total_y) = chart.backend_coord(&(f64::from(end), total));
    let (_, path_y) = chart.backend_coord(&(f64::from(end), path));
    let gap = page.ui(0.3);
    let total_style = page.bold(Role::Body, INK);
    let target_style = page.bold(Role::Body, TARGET);
    if (total - path).abs() < ON_TARGET {
        // Past the target year the path is the target itself.
        let on = if p.target.year <= end {
            "on the target"
        } else {
            "on the target path"
        };
        let words = format!("{total_text}, {on}");
        let at = (x, total_y.min(path_y) - gap);
        return boxed(
            root,
            page,
            &words,
            &anchor(&total_style, HPos::Right, VPos::Bottom),
            at,
        );
    }
    // The upper label above its line; the lower above its own if there is room, else below.
    let h = text_size(root, "0.84m", &total_style)?.1 + page.ui(0.15);
    let (upper, lower) = if path_y < total_y {
        (
            (target_text, target_style, path_y),
            (total_text, total_style, total_y),
        )
    } else {
        (
            (total_text, total_style, total_y),
            (target_text, target_style, path_y),
        )
    };
    boxed(
        root,
        page,
        &upper.0,
        &anchor(&upper.1, HPos::Right, VPos::Bottom),
        (x, upper.2 - gap),
    )?;
    let (v, y) = if lower.2 - upper.2 >= h + gap {
        (VPos::Bottom, lower.2 - gap)
    } else {
        (VPos::Top, lower.2 + gap)
    };
    boxed(
        root,
        page,
        &lower.0,
        &anchor(&lower.1, HPos::Right, v),
        (x, y),
    )
}

/// The legend block at the right: the bands top to bottom as they stack, each with its swatch,
/// its name wrapped to the name column and its end-year output in a column of its own, so a
/// long name never runs into its value or off the canvas.
struct Legend {
    heading: String,
    rows: Vec<(RGBColor, Vec<String>, String)>,
    width: i32,
    name_width: i32,
    value_width: i32,
}

impl Legend {
    fn measure<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        page: &Page,
        p: &Projection,
        bands: &[Band],
    ) -> DrawResult<Legend, DB> {
        let style = page.text(Role::Body, INK);
        let (area_width, _) = area.dim_in_pixel();
        let values: Vec<String> = bands.iter().rev().map(|b| short(b.last())).collect();
        let mut value_width = 0;
        for v in &values {
            value_width = value_width.max(text_size(area, v, &style)?.0);
        }
        let mut widest = 0;
        for b in bands {
            widest = widest.max(text_size(area, &b.name, &style)?.0);
        }
        // The block takes at most about a third of the width; longer names wrap.
        let cap = (f64::from(area_width) * 0.34) as i32
            - Self::swatch(page)
            - value_width
            - 2 * page.ui(0.5);
        let name_width = widest.min(cap.max(page.ui(6.0)));
        let mut rows = Vec::new();
        for (b, value) in bands.iter().rev().zip(values) {
            let lines = wrap_all(area, &b.name, &style, name_width.max(1) as u32)?;
            rows.push((b.colour, lines, value));
        }
        let heading = format!("{} {}", p.end_year, p.basis.word());
        let heading_width = text_size(area, &heading, &page.bold(Role::Body, INK))?.0;
        let width = (Self::swatch(page) + page.ui(0.5) + name_width + page.ui(0.5) + value_width)
            .max(heading_width);
        Ok(Legend {
            heading,
            rows,
            width,
            name_width,
            value_width,
        })
    }

    fn swatch(page: &Page) -> i32 {
        page.ui(1.0)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
        (x, top): (i32, i32),
        bottom: i32,
    ) -> DrawResult<(), DB> {
        // Rows closer together when a long legend would not fit above the area's foot.
        let height = |line: i32, gap: i32| {
            line + page.ui(0.2)
                + self
                    .rows
                    .iter()
                    .map(|(_, l, _)| line * l.len() as i32 + gap)
                    .sum::<i32>()
        };
        let (mut line, mut gap) = ((page.font(Role::Body) * 1.12).round() as i32, page.ui(0.25));
        if top + height(line, gap) > bottom {
            (line, gap) = ((page.font(Role::Body) * 1.0).round() as i32, 0);
        }
        let style = anchored(page.text(Role::Body, INK), HPos::Left, VPos::Center);
        let value_style = anchored(page.text(Role::Body, MUTED), HPos::Right, VPos::Center);
        root.draw(&Text::new(
            self.heading.clone(),
            (x, top + line / 2),
            anchored(page.bold(Role::Body, INK), HPos::Left, VPos::Center),
        ))?;
        let mut y = top + line / 2 + line + page.ui(0.2);
        let name_x = x + Self::swatch(page) + page.ui(0.5);
        let value_x = name_x + self.name_width + page.ui(0.5) + self.value_width;
        for (colour, lines, value) in &self.rows {
            let half = page.ui(0.3);
            root.draw(&Rectangle::new(
                [(x, y - half), (x + Self::swatch(page), y + half)],
                colour.filled(),
            ))?;
            for (k, l) in lines.iter().enumerate() {
                root.draw(&Text::new(
                    l.clone(),
                    (name_x, y + line * k as i32),
                    style.clone(),
                ))?;
            }
            root.draw(&Text::new(value.clone(), (value_x, y), value_style.clone()))?;
            y += line * lines.len() as i32 + gap;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Helpers the bar charts share.

/// A text's width and height in pixels as drawn.
pub(super) fn text_size<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle<'_>,
) -> DrawResult<(i32, i32), DB> {
    let (w, h) = root.estimate_text_size(text, style)?;
    Ok((w as i32, h as i32))
}

/// A style anchored at a corner or edge.
pub(super) fn anchor(style: &TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    anchored(style.clone(), h, v)
}

/// The box a text covers when drawn at `at` with its style's anchor: (left, top, right, bottom).
pub(super) fn text_box<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle<'_>,
    (x, y): (i32, i32),
) -> DrawResult<(i32, i32, i32, i32), DB> {
    let (w, h) = text_size(root, text, style)?;
    let x0 = match style.pos.h_pos {
        HPos::Left => x,
        HPos::Center => x - w / 2,
        HPos::Right => x - w,
    };
    let y0 = match style.pos.v_pos {
        VPos::Top => y,
        VPos::Center => y - h / 2,
        VPos::Bottom => y - h,
    };
    Ok((x0, y0, x0 + w, y0 + h))
}

/// Draw a text on a white box a little larger than it, so it reads over lines and areas.
pub(super) fn boxed<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    text: &str,
    style: &TextStyle<'static>,
    at: (i32, i32),
) -> DrawResult<(), DB> {
    let (x0, y0, x1, y1) = text_box(root, text, style, at)?;
    let pad = page.ui(0.15);
    root.draw(&Rectangle::new(
        [(x0 - pad, y0 - pad / 2), (x1 + pad, y1 + pad / 2)],
        WHITE.filled(),
    ))?;
    root.draw(&Text::new(text.to_string(), at, style.clone()))
}

/// How much further in than the drawing area the page's right margin is: labels drawn in a
/// chart's right margin end there, level with the frame's text.
pub(super) fn right_margin(page: &Page) -> i32 {
    (page.margin() - page.ui(0.5)).max(0)
}

/// Room above the plot for the unit label.
pub(super) fn unit_room(page: &Page) -> i32 {
    (page.font(Role::Tick) * 1.9).round() as i32
}

/// Room under a time axis for its years and the "actual / projected" line under them.
fn year_axis_room(page: &Page) -> i32 {
    (page.font(Role::Tick) * 1.2 + page.font(Role::Note) * 1.2).round() as i32 + page.ui(0.3)
}

/// The width the value axis needs: its widest tick label and a gap.
pub(super) fn value_axis_room<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    page: &Page,
    top: f64,
) -> DrawResult<i32, DB> {
    let style = page.text(Role::Tick, MUTED);
    let mut widest = 0;
    // Every value a tick could take on this axis (plotters picks among multiples of these).
    for k in 0..=40 {
        let v = top * f64::from(k) / 40.0;
        widest = widest.max(text_size(area, &axis_value(v, top), &style)?.0);
    }
    Ok(widest + page.ui(0.6))
}

/// A value axis up the left: light horizontal gridlines, ticks in the axis's unit, no axis
/// title (the unit goes above the axis, where it cannot touch the ticks).
pub(super) fn value_mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    page: &Page,
    top: f64,
) -> DrawResult<(), DB> {
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID.stroke_width(page.stroke(0.3)))
        .axis_style(MUTED.stroke_width(page.stroke(0.4)))
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(&|y| axis_value(*y, top))
        .y_label_style(page.text(Role::Tick, MUTED))
        .draw()
}

/// The unit of the value axis, above its top left.
pub(super) fn unit_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    unit: &str,
) -> DrawResult<(), DB> {
    let (x_pixels, y_pixels) = chart.plotting_area().get_pixel_range();
    let (w, _) = text_size(root, unit, &page.text(Role::Tick, MUTED))?;
    // Left-aligned with the tick labels' column, but never off the canvas.
    let x = (x_pixels.start - w / 2).max(page.margin());
    root.draw(&Text::new(
        unit.to_string(),
        (
            x,
            y_pixels.start - (page.font(Role::Tick) * 0.6).round() as i32 - page.ui(0.15),
        ),
        anchored(page.text(Role::Tick, MUTED), HPos::Left, VPos::Bottom),
    ))
}

/// Years under a time axis (every year, or every 2nd or 5th on a long axis), and a line
/// under them marking the base year "actual" and the years after it "projected".
fn year_axis<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    base: i32,
    end: i32,
) -> DrawResult<(), DB> {
    let tick = anchored(page.text(Role::Tick, MUTED), HPos::Center, VPos::Top);
    let (x_pixels, _) = chart.plotting_area().get_pixel_range();
    let (_, axis_y) = chart.backend_coord(&(f64::from(base), 0.0));
    let slot = f64::from(x_pixels.end - x_pixels.start) / f64::from((end - base).max(1));
    let (year_w, _) = text_size(root, "2035", &tick)?;
    let step = [1, 2, 5, 10]
        .into_iter()
        .find(|s| slot * f64::from(*s) >= f64::from(year_w) * 1.6)
        .unwrap_or(10);
    let y = axis_y + page.ui(0.25);
    for year in (base..=end).filter(|y| (y - base) % step == 0 || *y == end) {
        // The end year is always labelled; the tick before it gives way if they would touch.
        if year != end
            && (end - year) < step
            && slot * f64::from(end - year) < f64::from(year_w) * 1.3
        {
            continue;
        }
        let (x, _) = chart.backend_coord(&(f64::from(year), 0.0));
        root.draw(&PathElement::new(
            vec![(x, axis_y), (x, axis_y + page.ui(0.15))],
            MUTED.stroke_width(page.stroke(0.4)),
        ))?;
        // The base year's label starts right of the value axis, clear of its "0".
        let x = x.max(x_pixels.start + year_w / 2 + page.ui(0.2));
        root.draw(&Text::new(year.to_string(), (x, y), tick.clone()))?;
    }
    let note = page.text(Role::Note, MUTED);
    let y2 = y + (page.font(Role::Tick) * 1.2).round() as i32;
    let (bx, _) = chart.backend_coord(&(f64::from(base), 0.0));
    root.draw(&Text::new(
        "actual",
        (bx, y2),
        anchor(&note, HPos::Center, VPos::Top),
    ))?;
    if end > base {
        let (px, _) = chart.backend_coord(&(f64::from(base + end) / 2.0 + 0.5, 0.0));
        root.draw(&Text::new(
            "projected",
            (px, y2),
            anchor(&note, HPos::Center, VPos::Top),
        ))?;
    }
    Ok(())
}

/// Fill a pixel rectangle (left, top, right, bottom) with thin diagonal lines, for a quantity
/// that is not output (a surplus over the target, demand no plant can meet).
pub(super) fn hatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    (x0, y0, x1, y1): (i32, i32, i32, i32),
    colour: RGBColor,
) -> DrawResult<(), DB> {
    let (w, h) = (x1 - x0, y1 - y0);
    if w <= 0 || h <= 0 {
        return Ok(());
    }
    let step = page.ui(0.3).max(3);
    let style = colour.stroke_width(page.stroke(0.35));
    // Lines u - v = c, with u across from the left and v up from the bottom.
    let mut c = -h + step / 2;
    while c < w {
        let (u0, v0) = if c >= 0 { (c, 0) } else { (0, -c) };
        let (u1, v1) = if c + h <= w { (c + h, h) } else { (w, w - c) };
        root.draw(&PathElement::new(
            vec![(x0 + u0, y1 - v0), (x0 + u1, y1 - v1)],
            style,
        ))?;
        c += step;
    }
    Ok(())
}

/// A horizontal value axis in pixels: values 0..=`max` across `x0..x1`.
#[derive(Debug, Clone, Copy)]
pub(super) struct ValueAxis {
    /// Pixel of 0.
    pub x0: i32,
    /// Pixel of `max`.
    pub x1: i32,
    /// The axis's top value, a whole number of `step`s.
    pub max: f64,
    /// Distance between ticks.
    pub step: f64,
}

impl ValueAxis {
    /// An axis across `x0..x1` reaching at least `need`, with at most six round ticks.
    pub fn new(x0: i32, x1: i32, need: f64) -> ValueAxis {
        let steps = [
            1_000.0,
            2_000.0,
            5_000.0,
            10_000.0,
            20_000.0,
            25_000.0,
            50_000.0,
            100_000.0,
            200_000.0,
            250_000.0,
            500_000.0,
            1_000_000.0,
        ];
        // A value that is not finite draws on the smallest axis; a huge one gets a step of
        // its own size (at most six ticks), never millions of 2m ticks.
        let need = if need.is_finite() {
            need.max(1_000.0)
        } else {
            1_000.0
        };
        let step = steps
            .into_iter()
            .find(|s| need / s <= 5.0)
            .unwrap_or_else(|| {
                let scale = 10f64.powf((need / 5.0).log10().floor());
                [1.0, 2.0, 2.5, 5.0, 10.0]
                    .into_iter()
                    .map(|m| m * scale)
                    .find(|s| need / s <= 5.0)
                    .unwrap_or(10.0 * scale)
            });
        ValueAxis {
            x0,
            x1,
            max: (need / step).ceil() * step,
            step,
        }
    }

    /// The axis to use when some labels must fit to the right of values: each `(value,
    /// pixels)` asks for `pixels` of room after `value`.
    pub fn fitting(x0: i32, x1: i32, reach: f64, after: &[(f64, i32)]) -> ValueAxis {
        let width = f64::from((x1 - x0).max(1));
        let mut need = reach;
        // A value at v with w pixels after it needs max >= v * width / (width - w).
        for (v, w) in after {
            let free = (width - f64::from(*w)).max(width * 0.25);
            need = need.max(v * width / free);
        }
        let mut axis = ValueAxis::new(x0, x1, need);
        // Rounding up can only make room; one more check for safety with huge labels.
        if after.iter().any(|(v, w)| axis.px(*v) + w > x1) {
            axis = ValueAxis::new(x0, x1, axis.max + axis.step);
        }
        axis
    }

    /// The pixel of a value.
    pub fn px(&self, v: f64) -> i32 {
        self.x0 + ((v / self.max) * f64::from(self.x1 - self.x0)).round() as i32
    }

    /// Gridlines from `top` down to the axis line at `bottom`, and tick labels under it.
    pub fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
        (top, bottom): (i32, i32),
        label: &dyn Fn(f64) -> String,
    ) -> DrawResult<(), DB> {
        let style = anchored(page.text(Role::Tick, MUTED), HPos::Center, VPos::Top);
        let ticks = (self.max / self.step).round() as i32;
        for k in 0..=ticks {
            let v = self.step * f64::from(k);
            let x = self.px(v);
            if k > 0 {
                root.draw(&PathElement::new(
                    vec![(x, top), (x, bottom)],
                    GRID.stroke_width(page.stroke(0.3)),
                ))?;
            }
            // The last tick's label ends at its tick if centring it would pass the canvas.
            let text = label(v);
            let (w, _) = text_size(root, &text, &style)?;
            let style = if x + w / 2 > page.width as i32 - page.ui(0.3) {
                anchor(&style, HPos::Right, VPos::Top)
            } else {
                style.clone()
            };
            root.draw(&Text::new(text, (x, bottom + page.ui(0.25)), style))?;
        }
        root.draw(&PathElement::new(
            vec![(self.x0, bottom), (self.x1, bottom)],
            MUTED.stroke_width(page.stroke(0.4)),
        ))?;
        root.draw(&PathElement::new(
            vec![(self.x0, top), (self.x0, bottom)],
            MUTED.stroke_width(page.stroke(0.4)),
        ))
    }
}

/// Room under a horizontal value axis for its tick labels.
pub(super) fn value_axis_depth(page: &Page) -> i32 {
    (page.font(Role::Tick) * 1.2).round() as i32 + page.ui(0.4)
}
