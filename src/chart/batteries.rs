//! Battery cells: the GWh of cells UK-built vehicles carry each year, as bars, against the
//! nameplate capacity of UK cell plants, as a step line; demand above capacity hatched, the
//! shortfall in the key.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::DrawResult;
use super::makers::{hatch, right_margin, text_size, unit_room};
use super::path::{Ink, Rect, Spot, block_size, draw_block, place, stack};
use super::powertrain::{ELECTRIFIED, year_axis, year_axis_room};
use super::style::{
    Caption, Frame, GRID, INK, MUTED, Page, Role, Swatch, anchored, draw_frame, pale,
};
use crate::engine::{Basis, BatteryYear, Projection};
use crate::number::and_list;
use crate::uncertainty::Uncertainty;

/// Half a bar's width, in years.
const HALF: f64 = 0.3;
/// How strong projected bars are next to the base year's (1 = full colour).
const PROJECTED: f64 = 0.6;
/// A shortfall under this many GWh rounds to 0.00 in batteries.csv: none.
const NONE: f64 = 0.005;

/// GWh as a chart shows it: one decimal ("9.3 GWh"), two under 1 GWh ("0.45 GWh").
pub fn gwh(x: f64) -> String {
    if x.abs() < 0.995 {
        format!("{x:.2} GWh")
    } else {
        format!("{x:.1} GWh")
    }
}

/// A round top for a GWh axis above `max`, and its tick step.
fn gwh_axis(max: f64) -> (f64, f64) {
    let max = if max.is_finite() { max.max(0.0) } else { 0.0 };
    let padded = (max * 1.08).max(1.0);
    let scale = 10f64.powf((padded / 5.0).log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * scale)
        .find(|s| padded / s <= 5.0)
        .unwrap_or(10.0 * scale);
    ((padded / step).ceil() * step, step)
}

/// Who needs the cells, as the start of a title.
fn subject(basis: Basis) -> &'static str {
    match basis {
        Basis::Certain => "UK-built vehicles need",
        Basis::Expected { .. } => "UK-built vehicles are expected to need",
        Basis::Modal => "If every uncertain item happens, UK-built vehicles need",
    }
}

/// The projected years in which demand outruns capacity, and the largest shortfall.
fn short_years(p: &Projection) -> (Vec<i32>, f64) {
    let years: Vec<i32> = p
        .batteries
        .iter()
        .filter(|b| b.year > p.base_year && b.year <= p.end_year && b.shortfall_gwh >= NONE)
        .map(|b| b.year)
        .collect();
    let largest = p
        .batteries
        .iter()
        .filter(|b| years.contains(&b.year))
        .map(|b| b.shortfall_gwh)
        .fold(0.0, f64::max);
    (years, largest)
}

/// Years in words: "2029", "2028 and 2029", "2028–2031", "2027, 2029 and 2031".
fn years_words(years: &[i32]) -> String {
    match years {
        [] => String::new(),
        [only] => only.to_string(),
        [first, .., last] if (last - first) as usize + 1 == years.len() && years.len() > 2 => {
            format!("{first}–{last}")
        }
        _ => {
            let list: Vec<String> = years.iter().map(i32::to_string).collect();
            and_list(&list)
        }
    }
}

/// The chart's message: the end year's demand against capacity, led by the years in which
/// UK cells fall short when the end year is not one of them.
fn title(p: &Projection) -> String {
    let Some(b) = p.battery_year(p.end_year) else {
        return "Battery cells for UK-built vehicles".into();
    };
    let need = format!(
        "{} {} of cells in {}",
        subject(p.basis),
        gwh(b.demand_gwh),
        p.end_year
    );
    if b.shortfall_gwh >= NONE {
        return format!(
            "{need}, {} more than UK cell plants are planned to make",
            gwh(b.shortfall_gwh)
        );
    }
    let (years, largest) = short_years(p);
    if years.is_empty() {
        format!(
            "{need}; UK cell plants are planned to make {} a year",
            gwh(b.capacity_gwh)
        )
    } else {
        format!(
            "{} more cells than UK plants are planned to make in {}, up to {} more",
            subject(p.basis),
            years_words(&years),
            gwh(largest)
        )
    }
}

/// With draws: how often UK cells cover demand in the end year.
fn cover_note(p: &Projection, u: Option<&Uncertainty>) -> Option<String> {
    let u = u?;
    let (_, chance) = u.cells_cover.iter().find(|(y, _)| *y == p.end_year)?;
    let words = super::fan::chance_words(*chance, u.draws);
    let mut lower = words.chars();
    let words = match lower.next() {
        Some(c) => c.to_lowercase().chain(lower).collect::<String>(),
        None => words,
    };
    Some(format!(
        "In {words}, UK cell capacity covers the cells UK-built vehicles need in {}",
        p.end_year
    ))
}

/// Where the figures come from, for the source line: the cell plants' and battery sizes'
/// files, not the national output's publishers.
const CREDIT: &str = "Sources: company statements and press reports (UK cell plants, \
                      data/battery_capacity.csv); battery sizes: makers' figures and ukprod \
                      estimates (data/battery_sizes.csv)";

/// The steps up in capacity: (year, GWh added).
fn steps(rows: &[&BatteryYear]) -> Vec<(i32, f64)> {
    rows.windows(2)
        .filter(|w| w[1].capacity_gwh - w[0].capacity_gwh >= NONE)
        .map(|w| (w[1].year, w[1].capacity_gwh - w[0].capacity_gwh))
        .collect()
}

/// The footer's notes: how demand and capacity are worked out, what they leave out, and the
/// steps in capacity when the chart has no room to label them.
fn notes(p: &Projection, steps: &[(i32, f64)], labelled: bool) -> String {
    let mut notes = vec![
        "Demand: vehicles built times typical battery sizes by plant and powertrain \
         (estimates). Capacity: nameplate, from each plant's first full year; plants seldom \
         run at nameplate, and UK cells need not go into UK-built vehicles"
            .to_string(),
    ];
    if !labelled && !steps.is_empty() {
        let list: Vec<String> = steps
            .iter()
            .map(|(y, g)| format!("{} in {y}", gwh(*g)))
            .collect();
        notes.push(format!("Capacity rises by {}", and_list(&list)));
    }
    if matches!(p.basis, Basis::Expected { .. }) {
        notes.push(
            "The shortfall is the mean of the draws' shortfalls, so it can exceed expected \
             demand less expected capacity"
                .into(),
        );
    }
    notes.join(". ")
}

/// The shortfalls in words for the key: "1.56 GWh in 2025", "1.6 GWh in 2025 and 4.5 GWh in
/// 2035", or over many years the number of years and the largest.
fn shortfall_words(rows: &[&BatteryYear]) -> String {
    let short: Vec<&&BatteryYear> = rows.iter().filter(|b| b.shortfall_gwh >= NONE).collect();
    if short.len() <= 3 {
        let list: Vec<String> = short
            .iter()
            .map(|b| format!("{} in {}", gwh(b.shortfall_gwh), b.year))
            .collect();
        return and_list(&list);
    }
    let largest = short
        .iter()
        .max_by(|a, b| a.shortfall_gwh.total_cmp(&b.shortfall_gwh))
        .map_or(String::new(), |b| {
            format!("up to {} ({})", gwh(b.shortfall_gwh), b.year)
        });
    format!("in {} of the years, {largest}", short.len())
}

/// Draw the battery chart; with draws, the chance cells cover demand in the subtitle.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    p: &Projection,
    u: Option<&Uncertainty>,
) -> DrawResult<Caption, DB> {
    let mut subtitle = super::subtitle(p);
    if let Some(note) = cover_note(p, u) {
        let trimmed = subtitle.trim_end().trim_end_matches('.').len();
        subtitle.truncate(trimmed);
        if !subtitle.is_empty() {
            subtitle.push_str(". ");
        }
        subtitle.push_str(&note);
    }
    let rows: Vec<&BatteryYear> = p
        .batteries
        .iter()
        .filter(|b| (p.base_year..=p.end_year).contains(&b.year))
        .collect();
    let mut legend = vec![
        (
            Swatch::Block(ELECTRIFIED),
            "Cells in UK-built vehicles (demand)".to_string(),
        ),
        (
            Swatch::Line(INK),
            "UK cell plants' nameplate capacity".to_string(),
        ),
    ];
    if rows.iter().any(|b| b.shortfall_gwh >= NONE) {
        legend.push((
            Swatch::Hatched(INK),
            format!("Demand beyond UK capacity: {}", shortfall_words(&rows)),
        ));
    }
    let steps = steps(&rows);
    let frame = |labelled: bool| Frame {
        kicker: super::kicker(p),
        title: title(p),
        subtitle: subtitle.clone(),
        legend: legend.clone(),
        headline: None,
        footer: super::powertrain::credit_line(p, CREDIT, &notes(p, &steps, labelled)),
    };
    // Step labels go on the chart only if every one fits; else the footer lists the steps.
    // Whether they fit is tried on a scratch SVG first (text is measured the same way on
    // every backend), so that the chart itself is drawn once.
    let labelled = {
        let mut scratch = String::new();
        let probe =
            SVGBackend::with_string(&mut scratch, (page.width, page.height)).into_drawing_area();
        draw_frame(&probe, page, &frame(true))
            .and_then(|(area, _)| draw_plot(&probe, &area, page, p, &rows, &steps, true))
            .unwrap_or(false)
    };
    let (area, caption) = draw_frame(root, page, &frame(labelled))?;
    draw_plot(root, &area, page, p, &rows, &steps, labelled)?;
    Ok(caption)
}

/// The plot under the frame: axes, bars, capacity, years and end labels, and the capacity
/// steps' labels when `labelled` and every one finds room. Returns whether they were drawn.
fn draw_plot<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    page: &Page,
    p: &Projection,
    rows: &[&BatteryYear],
    steps: &[(i32, f64)],
    labelled: bool,
) -> DrawResult<bool, DB> {
    let max = rows
        .iter()
        .flat_map(|b| [b.demand_gwh, b.capacity_gwh])
        .fold(0.0, f64::max);
    let (top, step) = gwh_axis(max);
    let end_labels = EndLabels::of(p);
    let right = end_labels.width(area, page)? + page.ui(0.9) + right_margin(page);
    let tick = page.text(Role::Tick, MUTED);
    let mut widest = 0;
    let ticks = (top / step).round() as i32;
    for k in 0..=ticks {
        widest = widest.max(text_size(area, &tick_label(step * f64::from(k), step), &tick)?.0);
    }
    let x = (f64::from(p.base_year) - 0.5, f64::from(p.end_year) + 0.5);
    let mut chart = ChartBuilder::on(area)
        .margin_top(unit_room(page))
        .margin_right(right)
        .x_label_area_size(year_axis_room(page))
        .y_label_area_size(widest + page.ui(0.6))
        .build_cartesian_2d(x.0..x.1, 0.0..top)?;
    let (px, py) = chart.plotting_area().get_pixel_range();
    let bounds: Rect = (px.start, py.start, px.end, py.end);
    // The step labels' places, worked out before anything is drawn.
    let mut ink = Ink::default();
    for b in rows {
        let x = f64::from(b.year);
        ink.add_box(&chart, (x - HALF, 0.0), (x + HALF, b.demand_gwh));
    }
    let line = capacity_line(rows);
    ink.add_line(&chart, &line);
    let mut labels = Vec::new();
    let mut taken: Vec<Rect> = Vec::new();
    let mut all_fit = labelled;
    if labelled {
        for (year, added) in steps {
            let capacity = rows
                .iter()
                .find(|b| b.year == *year)
                .map_or(0.0, |b| b.capacity_gwh);
            let corner = chart.backend_coord(&(f64::from(*year) - 0.5, capacity));
            let options = [
                vec![format!("{year}: +{}", gwh(*added))],
                vec![format!("{year}:"), format!("+{}", gwh(*added))],
            ];
            let spots = [Spot::AboveRight, Spot::AboveLeft];
            let mut found = None;
            for lines in options {
                let size = block_size(root, page, &lines, Role::Note, false)?;
                let gap = page.ui(0.3);
                if let Some(rect) = place(corner, size, gap, &spots, bounds, &ink, &taken) {
                    found = Some((lines, rect));
                    break;
                }
            }
            let Some((lines, rect)) = found else {
                // All or none: a reader should not wonder why one step has no label.
                all_fit = false;
                break;
            };
            taken.push(rect);
            labels.push((lines, rect, false));
        }
        if !all_fit {
            labels.clear();
            taken.clear();
        }
    }
    // The largest projected shortfall, over its bar, where the step labels leave room (the
    // key gives every shortfall).
    let largest = rows
        .iter()
        .filter(|b| b.year > p.base_year && b.shortfall_gwh >= NONE)
        .max_by(|a, b| a.shortfall_gwh.total_cmp(&b.shortfall_gwh));
    if let Some(b) = largest {
        let lines = vec![format!("{} short", gwh(b.shortfall_gwh))];
        let size = block_size(root, page, &lines, Role::Note, true)?;
        let at = chart.backend_coord(&(f64::from(b.year), b.demand_gwh.max(b.capacity_gwh)));
        let spots = [Spot::Above, Spot::AboveLeft, Spot::AboveRight];
        if let Some(rect) = place(at, size, page.ui(0.3), &spots, bounds, &ink, &taken) {
            taken.push(rect);
            labels.push((lines, rect, true));
        }
    }
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID.stroke_width(page.stroke(0.3)))
        .axis_style(MUTED.stroke_width(page.stroke(0.4)))
        .x_labels(0)
        .y_labels(ticks as usize + 1)
        .y_label_formatter(&|v| tick_label(*v, step))
        .y_label_style(tick)
        .draw()?;
    root.draw(&Text::new(
        "GWh of cells a year",
        (
            page.margin(),
            py.start - (page.font(Role::Tick) * 0.6).round() as i32 - page.ui(0.15),
        ),
        anchored(page.text(Role::Tick, MUTED), HPos::Left, VPos::Bottom),
    ))?;
    draw_bars(root, &chart, page, p, rows)?;
    // White under the line, so it reads where it crosses a bar.
    chart.plotting_area().draw(&PathElement::new(
        line.clone(),
        WHITE.stroke_width(page.stroke(2.6)),
    ))?;
    chart
        .plotting_area()
        .draw(&PathElement::new(line, INK.stroke_width(page.stroke(1.2))))?;
    // The base year's demand is worked out from the estimated split, as batteries.csv says.
    let words = ("estimate", p.basis.word());
    year_axis(root, page, &chart, p.base_year, p.end_year, words)?;
    for (lines, rect, bold) in labels {
        let colour = if bold { INK } else { MUTED };
        draw_block(root, page, &lines, rect, Role::Note, colour, bold)?;
    }
    end_labels.draw(root, &chart, page)?;
    Ok(all_fit)
}

/// A tick on the GWh axis, with as many decimals as its step needs.
fn tick_label(v: f64, step: f64) -> String {
    if v.abs() < 1e-9 {
        "0".into()
    } else if step >= 1.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// A bar per year: demand up to capacity solid (the base year's full colour, estimated;
/// projected years paler), and any demand above capacity hatched.
fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    page: &Page,
    p: &Projection,
    rows: &[&BatteryYear],
) -> DrawResult<(), DB> {
    for b in rows {
        let x = f64::from(b.year);
        let fill = if b.year == p.base_year {
            ELECTRIFIED
        } else {
            pale(ELECTRIFIED, PROJECTED)
        };
        let met = b.demand_gwh.min(b.capacity_gwh);
        chart.plotting_area().draw(&Rectangle::new(
            [(x - HALF, 0.0), (x + HALF, met)],
            fill.filled(),
        ))?;
        if b.demand_gwh > b.capacity_gwh + NONE {
            let (x0, y0) = chart.backend_coord(&(x - HALF, b.demand_gwh));
            let (x1, y1) = chart.backend_coord(&(x + HALF, b.capacity_gwh));
            // In ink, so that a shortfall of a few pixels still shows against the pale bars.
            root.draw(&Rectangle::new([(x0, y0), (x1, y1)], WHITE.filled()))?;
            hatch(root, page, (x0, y0, x1, y1), INK)?;
            root.draw(&Rectangle::new(
                [(x0, y0), (x1, y1)],
                INK.stroke_width(page.stroke(0.4)),
            ))?;
        }
    }
    Ok(())
}

/// The capacity as a step line: each year's capacity across its whole year.
fn capacity_line(rows: &[&BatteryYear]) -> Vec<(f64, f64)> {
    rows.iter()
        .flat_map(|b| {
            let x = f64::from(b.year);
            [(x - 0.5, b.capacity_gwh), (x + 0.5, b.capacity_gwh)]
        })
        .collect()
}

/// The labels right of the last year: demand and capacity, each with its value.
struct EndLabels {
    labels: Vec<(Vec<String>, RGBColor, f64)>,
}

impl EndLabels {
    fn of(p: &Projection) -> EndLabels {
        let Some(b) = p.battery_year(p.end_year) else {
            return EndLabels { labels: Vec::new() };
        };
        EndLabels {
            labels: vec![
                (
                    vec![
                        format!("{} {}", p.end_year, p.basis.word()),
                        format!("demand {}", gwh(b.demand_gwh)),
                    ],
                    ELECTRIFIED,
                    b.demand_gwh,
                ),
                (
                    vec!["UK capacity".into(), gwh(b.capacity_gwh)],
                    INK,
                    b.capacity_gwh,
                ),
            ],
        }
    }

    fn width<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
    ) -> DrawResult<i32, DB> {
        let mut w = 0;
        for (lines, _, _) in &self.labels {
            w = w.max(block_size(root, page, lines, Role::Body, true)?.0);
        }
        Ok(w)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
        page: &Page,
    ) -> DrawResult<(), DB> {
        let (px, py) = chart.plotting_area().get_pixel_range();
        let line = super::path::line_height(page, Role::Body);
        let wishes: Vec<(f64, f64)> = self
            .labels
            .iter()
            .map(|(lines, _, v)| {
                let (_, y) = chart.backend_coord(&(0.0, *v));
                (f64::from(y), f64::from(line * lines.len() as i32))
            })
            .collect();
        let placed = stack(&wishes, f64::from(py.start), f64::from(py.end));
        let x = px.end + page.ui(0.6);
        for (((lines, colour, _), centre), (_, h)) in self.labels.iter().zip(placed).zip(wishes) {
            let top = (centre - h / 2.0).round() as i32;
            draw_block(
                root,
                page,
                lines,
                (x, top, x, top),
                Role::Body,
                *colour,
                true,
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gwh_axes_are_round() {
        assert_eq!(gwh_axis(57.7), (80.0, 20.0));
        assert_eq!(gwh_axis(3.46), (4.0, 1.0));
        assert_eq!(gwh_axis(0.0), (1.0, 0.2));
        assert_eq!(gwh(9.29), "9.3 GWh");
        assert_eq!(gwh(0.451), "0.45 GWh");
        assert_eq!(years_words(&[2028, 2029]), "2028 and 2029");
        assert_eq!(years_words(&[2028, 2029, 2030]), "2028–2030");
        assert_eq!(years_words(&[2027, 2029, 2031]), "2027, 2029 and 2031");
    }
}
