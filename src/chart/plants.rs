//! Capacity against output for each plant: one grey capacity bar per plant, a ring at its
//! base-year output and a dot at its end-year output, capacity used in a column at the right.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::makers::{
    MATERIAL_CHANGE, ValueAxis, anchor, boxed, hatch, text_size, value_axis_depth,
};
use super::style::{
    Caption, Frame, GRID, INK, MUTED, MakerPalette, Page, Role, draw_frame, short, wrap_all,
};
use super::{DrawResult, footer};
use crate::engine::{Basis, PlantYear, Projection};

/// Plants under this capacity in both years are grouped in one row, unless something happens
/// at them (their output moves by `MATERIAL_CHANGE`, another maker builds there, demand goes
/// unmet, they open or close).
pub const SMALL_PLANT: f64 = 20_000.0;

/// How much the chart shows: the rows are fitted to the page by grouping plants under a larger
/// size, moving plants closed before the chart to the footer and tightening the rows.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Plan {
    /// Plants under this capacity (that nothing happens at) share one row.
    small: f64,
    /// Plants closed before the chart have rows (else the footer names them).
    closed_rows: bool,
    /// Row text at the note size, rows closer together.
    compact: bool,
    /// The last resort when the rows still do not fit: plants that something happens at are
    /// grouped too (smallest first), and the footer names them.
    any: bool,
}

impl Plan {
    /// The plans to try, fullest first.
    fn first() -> [Plan; 3] {
        [
            Plan {
                small: SMALL_PLANT,
                closed_rows: true,
                compact: false,
                any: false,
            },
            Plan {
                small: SMALL_PLANT,
                closed_rows: false,
                compact: false,
                any: false,
            },
            Plan {
                small: SMALL_PLANT,
                closed_rows: false,
                compact: true,
                any: false,
            },
        ]
    }

    /// The role of row names and the capacity-used column.
    fn role(&self) -> Role {
        if self.compact { Role::Note } else { Role::Body }
    }

    /// Space between rows, in body units.
    fn pad(&self) -> f64 {
        if self.compact { 0.15 } else { 0.35 }
    }
}

/// Demand not met below this is not marked: a mean of draws can leave a few hundred vehicles
/// that a plant would fail to build in a handful of draws, which is not a plant running out.
const UNMET: f64 = 1_000.0;

/// What a plant does over the chart's years.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Status {
    /// Open in both years.
    Open,
    /// Not open in the base year; opens in this year.
    Opens(i32),
    /// Open in the base year, closed by the end year (first year closed).
    Closes(i32),
    /// Built nothing in the base year and builds nothing after: closed before the chart.
    Closed,
}

/// One row of the chart: a plant, or the small plants together.
#[derive(Debug, Clone)]
struct Row {
    label: String,
    /// A second, smaller line: other makers building there.
    note: Option<String>,
    colour: RGBColor,
    status: Status,
    /// Nameplate capacity in the base year (0 when not open).
    base_capacity: f64,
    /// Nameplate capacity in the end year; none for a closed plant.
    capacity: Option<f64>,
    base: Option<f64>,
    end: Option<f64>,
    /// Demand capacity could not meet in the end year: from what was built to what was asked.
    unmet: Option<(f64, f64)>,
    /// Plants in a group row.
    members: Vec<String>,
    /// Nothing happens at it, so it may join the small plants' row.
    groupable: bool,
    /// Largest capacity in either year, to order and group by.
    size: f64,
}

impl Row {
    /// "54% → 62%", "opens 2029 → 80%", "15% → none from 2026" (a closure is dated by its first
    /// year with no output, which is not when the last vehicle was built).
    fn used(&self, p: &Projection) -> String {
        let base_capacity = self.base_capacity;
        let pct = |v: f64, c: f64| format!("{:.0}%", 100.0 * v / c);
        let from = match self.status {
            Status::Opens(year) => format!("opens {year}"),
            Status::Closed => return format!("closed before {}", p.base_year),
            _ if base_capacity > 0.0 => pct(self.base.unwrap_or(0.0), base_capacity),
            _ => "–".into(),
        };
        let to = match (self.status, self.capacity) {
            (Status::Closes(year), _) => format!("none from {year}"),
            (_, Some(c)) if c > 0.0 => pct(self.end.unwrap_or(0.0), c),
            _ => "–".into(),
        };
        format!("{from} → {to}")
    }
}

/// Every plant's base-year and end-year rows, with its status; residual rows left out.
fn plants(p: &Projection) -> Vec<(&PlantYear, &PlantYear, Status)> {
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for row in p.plants.iter().filter(|r| r.capacity.is_some()) {
        if seen.contains(&row.plant_id.as_str()) {
            continue;
        }
        seen.push(&row.plant_id);
        let find = |year: i32| {
            p.plants
                .iter()
                .find(|r| r.plant_id == row.plant_id && r.year == year)
        };
        let (Some(base), Some(end)) = (find(p.base_year), find(p.end_year)) else {
            continue;
        };
        let cap = |r: &PlantYear| r.capacity.unwrap_or(0.0);
        let first = |open: bool| {
            p.plants
                .iter()
                .filter(|r| r.plant_id == row.plant_id && r.year > p.base_year)
                .find(|r| (cap(r) > 0.0) == open)
                .map_or(p.end_year, |r| r.year)
        };
        let status = if cap(base) > 0.0 {
            if base.output < 0.5 && end.output < 0.5 && end.demand < 0.5 {
                Status::Closed
            } else if cap(end) <= 0.0 {
                Status::Closes(first(false))
            } else {
                Status::Open
            }
        } else if cap(end) > 0.0 && (end.output >= 0.5 || end.constrained >= 0.5) {
            Status::Opens(first(true))
        } else {
            // A new plant that never opens or never builds (its programmes switched off)
            // would read as real idle capacity: left out.
            continue;
        };
        out.push((base, end, status));
    }
    out
}

/// The line under a plant's name: other makers' output there ("incl. Chery 55k"), and for an
/// expected projection a plant that exists in only some draws ("in 30% of draws"): its
/// expected capacity is that share of its nameplate capacity, which would otherwise read as
/// a smaller plant.
fn row_note(p: &Projection, end: &PlantYear, guests: &[(String, f64)]) -> Option<String> {
    let mut parts = Vec::new();
    if !guests.is_empty() {
        let list: Vec<String> = guests
            .iter()
            .map(|(m, v)| format!("{m} {}", short(*v)))
            .collect();
        parts.push(format!("incl. {}", list.join(", ")));
    }
    if let crate::engine::Basis::Expected { .. } = p.basis
        && let (Some(expected), Some(modal)) = (end.capacity, end.modal_capacity)
        && modal > 0.0
        && expected < modal * 0.995
    {
        parts.push(format!(
            "{} plant in {:.0}% of draws",
            short(modal),
            expected / modal * 100.0
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// A plant's end-year output by other makers than its operator ("Chery 55k").
fn guests(p: &Projection, end: &PlantYear) -> Vec<(String, f64)> {
    let mut makers: Vec<(String, f64)> = Vec::new();
    for c in p
        .components
        .iter()
        .filter(|c| c.year == p.end_year && c.plant_id == end.plant_id && c.maker != end.operator)
    {
        match makers.iter_mut().find(|(m, _)| *m == c.maker) {
            Some((_, total)) => *total += c.output,
            None => makers.push((c.maker.clone(), c.output)),
        }
    }
    makers.retain(|(_, v)| *v >= 0.5);
    makers
}

/// A plant's display name: its short name, or for a new plant its label, or its name without
/// company-form words ("… Joint Venture Company Limited" → "… Joint Venture"); a
/// parenthesis such as "(hypothetical)" stays, as it says what the plant is; what is left wraps.
fn display_name(p: &Projection, row: &PlantYear) -> String {
    if let Some(label) = p.labels.get(&format!("new_plants.{}", row.plant_id)) {
        return label.clone();
    }
    let name = row.short_name.trim().to_string();
    const FORMS: [&str; 9] = [
        "Limited", "Ltd", "Ltd.", "plc", "PLC", "Company", "Co.", "LLP", "Inc.",
    ];
    let mut words: Vec<&str> = name.split_whitespace().collect();
    while words.len() > 1 && words.last().is_some_and(|w| FORMS.contains(w)) {
        words.pop();
    }
    words.join(" ")
}

/// The chart's rows, biggest plant first, with plants at or under `small` grouped (unless
/// something happens at them), then plants that had closed before the chart.
fn rows(p: &Projection, palette: &MakerPalette, plan: Plan) -> Vec<Row> {
    let small = plan.small;
    let mut rows = Vec::new();
    let mut group: Vec<Row> = Vec::new();
    let mut closed = Vec::new();
    for (base, end, status) in plants(p) {
        let cap = |r: &PlantYear| r.capacity.unwrap_or(0.0);
        let guests = guests(p, end);
        let unmet =
            (end.constrained >= UNMET).then_some((end.demand - end.constrained, end.demand));
        let row = Row {
            label: display_name(p, end),
            note: row_note(p, end, &guests),
            colour: palette.colour(&end.operator),
            status,
            base_capacity: if status == Status::Closed {
                0.0
            } else {
                cap(base)
            },
            // A closed plant gets no bar: its capacity is not on offer.
            capacity: (cap(end) > 0.0 && status != Status::Closed).then(|| cap(end)),
            base: (cap(base) > 0.0 && status != Status::Closed).then_some(base.output),
            end: (cap(end) > 0.0 && status != Status::Closed).then_some(end.output),
            unmet,
            members: Vec::new(),
            groupable: status == Status::Open
                && guests.is_empty()
                && unmet.is_none()
                && (end.output - base.output).abs() < MATERIAL_CHANGE,
            size: cap(base).max(cap(end)),
        };
        let quiet = row.groupable || (plan.any && row.unmet.is_none());
        if status == Status::Closed && unmet.is_none() {
            closed.push(row);
        } else if quiet && row.size < small {
            group.push(row);
        } else {
            rows.push(row);
        }
    }
    if group.len() == 1 {
        rows.append(&mut group);
    }
    rows.sort_by(|a, b| b.size.total_cmp(&a.size).then(a.label.cmp(&b.label)));
    if !group.is_empty() {
        group.sort_by(|a, b| b.size.total_cmp(&a.size).then(a.label.cmp(&b.label)));
        let sum = |f: &dyn Fn(&Row) -> f64| group.iter().map(f).sum::<f64>();
        rows.push(Row {
            label: format!(
                "{} {} plants",
                group.len(),
                if plan.any { "smaller" } else { "small" }
            ),
            note: None,
            colour: MUTED,
            status: Status::Open,
            base_capacity: sum(&|r| r.base_capacity),
            capacity: Some(sum(&|r| r.capacity.unwrap_or(0.0))),
            base: Some(sum(&|r| r.base.unwrap_or(0.0))),
            end: Some(sum(&|r| r.end.unwrap_or(0.0))),
            unmet: None,
            members: group.iter().map(|r| r.label.clone()).collect(),
            groupable: false,
            size: sum(&|r| r.size),
        });
    }
    if plan.closed_rows {
        rows.append(&mut closed);
    }
    rows
}

/// Plants closed before the chart, by display name.
fn closed_before(p: &Projection) -> Vec<String> {
    plants(p)
        .into_iter()
        .filter(|(_, end, status)| *status == Status::Closed && end.constrained < UNMET)
        .map(|(_, end, _)| display_name(p, end))
        .collect()
}

/// The chart's message: plants that run out of capacity, else how much of it is used.
fn title(p: &Projection, rows: &[Row]) -> String {
    let bound: Vec<&Row> = rows
        .iter()
        .filter(|r| r.unmet.is_some() && r.capacity.is_some())
        .collect();
    let unmet: f64 = bound
        .iter()
        .filter_map(|r| r.unmet)
        .map(|(a, b)| b - a)
        .sum();
    // A mean of draws is held back by capacity in some draws, not all.
    let (runs, unmet_words) = if matches!(p.basis, Basis::Expected { .. }) {
        (
            "is capacity-bound in some draws",
            "of demand not met on average",
        )
    } else {
        ("runs out of capacity", "of demand not met")
    };
    let who = match bound.as_slice() {
        [one] => one.label.clone(),
        _ => format!("{} plants", bound.len()),
    };
    let runs = if bound.len() > 1 {
        runs.replacen("is ", "are ", 1).replacen("runs", "run", 1)
    } else {
        runs.to_string()
    };
    match bound.as_slice() {
        [_, ..] => format!(
            "{who} {runs} by {}: {} {unmet_words}",
            p.end_year,
            short(unmet)
        ),
        [] => {
            let (base, end) = national_use(p);
            let (end_pct, base_pct) = ((end * 100.0).round(), (base * 100.0).round());
            let way = if end_pct > base_pct {
                format!("up from {base_pct:.0}% in {}", p.base_year)
            } else if end_pct < base_pct {
                format!("down from {base_pct:.0}% in {}", p.base_year)
            } else {
                format!("the same as in {}", p.base_year)
            };
            let verb = match p.basis {
                Basis::Expected { .. } => "are expected to use",
                Basis::Modal => "would use, if every uncertain item happens,",
                Basis::Certain => "use",
            };
            format!(
                "UK plants {verb} {end_pct:.0}% of their capacity in {}, {way}",
                p.end_year
            )
        }
    }
}

/// Output over nameplate capacity of every plant building vehicles, base year and end year
/// (plants closed before the chart are left out; their capacity is not on offer).
fn national_use(p: &Projection) -> (f64, f64) {
    let mut sums = [(0.0, 0.0); 2];
    for (base, end, status) in plants(p) {
        if status == Status::Closed {
            continue;
        }
        for (k, r) in [base, end].into_iter().enumerate() {
            let c = r.capacity.unwrap_or(0.0);
            if c > 0.0 {
                sums[k].0 += r.output;
                sums[k].1 += c;
            }
        }
    }
    let ratio = |(o, c): (f64, f64)| if c > 0.0 { o / c } else { 0.0 };
    (ratio(sums[0]), ratio(sums[1]))
}

/// The footer's notes: what the figures are, what is left out, what is grouped.
fn note(p: &Projection, rows: &[Row], plan: Plan) -> String {
    let small = plan.small;
    let residual = |year: i32| -> f64 {
        p.plants
            .iter()
            .filter(|r| r.year == year && r.capacity.is_none())
            .map(|r| r.output)
            .sum()
    };
    let mut parts = vec![
        "Many plant figures are estimates (ukprod data shows which); capacity used = output / nameplate capacity".to_string(),
        format!(
            "Excludes other UK manufacturers ({} in {}, {} in {})",
            short(residual(p.base_year)),
            p.base_year,
            short(residual(p.end_year)),
            p.end_year
        ),
    ];
    let closed = closed_before(p);
    if !plan.closed_rows && !closed.is_empty() {
        parts.push(format!(
            "Closed before {}: {}",
            p.base_year,
            closed.join(", ")
        ));
    }
    if let Some(group) = rows.iter().find(|r| !r.members.is_empty()) {
        let list = crate::number::and_list(&group.members);
        parts.push(format!(
            "Small plants: {list}, each under {} capacity",
            short(small)
        ));
    }
    parts.join(". ")
}

/// Draw the plants chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    p: &Projection,
) -> DrawResult<Caption, DB> {
    let palette = MakerPalette::of(p);
    let plans = Plan::first();
    let mut frame = Frame {
        kicker: super::kicker(p),
        title: title(p, &rows(p, &palette, plans[0])),
        subtitle: super::subtitle(p),
        legend: Vec::new(),
        footer: String::new(),
        headline: None,
    };
    // The footer says what is grouped or left out, so the plot's room is measured anew for
    // each plan.
    let attempt = |plan: Plan, frame: &mut Frame| {
        let rows = rows(p, &palette, plan);
        frame.footer = footer(p, &note(p, &rows, plan));
        Layout::fit(root, page, p, rows, plan, plot_rect(page, frame))
    };
    let mut plan = plans[0];
    let mut layout = attempt(plan, &mut frame)?;
    for next in &plans[1..] {
        if layout.fits() {
            break;
        }
        plan = *next;
        layout = attempt(plan, &mut frame)?;
    }
    // Still too many rows: group the next plant up in size that nothing happens at, then,
    // as a last resort, the next plant up whatever happens at it.
    while !layout.fits() {
        let next = layout
            .rows
            .iter()
            .filter(|r| (r.groupable || plan.any) && r.members.is_empty() && r.size >= plan.small)
            .map(|r| r.size)
            .fold(f64::INFINITY, f64::min);
        if !next.is_finite() {
            if plan.any {
                break;
            }
            plan.any = true;
            continue;
        }
        plan.small = next + 1.0;
        layout = attempt(plan, &mut frame)?;
    }
    let (area, caption) = draw_frame(root, page, &frame)?;
    let layout = Layout::fit(root, page, p, layout.rows, plan, area.get_pixel_range())?;
    layout.draw(root, page)?;
    Ok(caption)
}

/// The rectangle a frame leaves for the plot, measured on a scratch canvas (drawing the frame
/// twice on the real one would leave the first copy's text in an SVG).
fn plot_rect(page: &Page, frame: &Frame) -> (Range<i32>, Range<i32>) {
    let mut scratch = String::new();
    let root = SVGBackend::with_string(&mut scratch, (page.width, page.height)).into_drawing_area();
    draw_frame(&root, page, frame)
        .map(|(area, _)| area.get_pixel_range())
        .unwrap_or((0..page.width as i32, 0..page.height as i32))
}

/// Where everything goes.
struct Layout {
    rows: Vec<Row>,
    plan: Plan,
    names: Vec<Vec<String>>,
    notes: Vec<Vec<String>>,
    used: Vec<String>,
    /// Top and bottom pixel of each row.
    spans: Vec<(i32, i32)>,
    axis: ValueAxis,
    left: i32,
    /// The right edge of the capacity-used column.
    right: i32,
    /// The key's entries (mark, label, left edge, centre line) and the heading's centre line.
    key: Vec<KeyEntry>,
    heading: i32,
    top: i32,
    bottom: i32,
}

impl Layout {
    /// Lay the rows out in the plot rectangle `(xs, ys)`, measuring text on `area`.
    fn fit<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        page: &Page,
        p: &Projection,
        rows: Vec<Row>,
        plan: Plan,
        (xs, ys): (Range<i32>, Range<i32>),
    ) -> DrawResult<Layout, DB> {
        let left = page.margin();
        let right = page.width as i32 - page.margin();
        let name_style = page.text(plan.role(), INK);
        let note_style = page.text(Role::Note, MUTED);
        let mut widest = 0;
        for r in &rows {
            widest = widest.max(text_size(area, &r.label, &name_style)?.0);
            if let Some(n) = &r.note {
                widest = widest.max(text_size(area, n, &note_style)?.0);
            }
        }
        // Names take at most a quarter of the width; longer names wrap.
        let column = widest
            .min((f64::from(xs.end - xs.start) * 0.25) as i32)
            .max(page.ui(5.0));
        let used: Vec<String> = rows.iter().map(|r| r.used(p)).collect();
        let used_style = page.text(plan.role(), INK);
        let mut used_width = text_size(area, USED, &page.bold(Role::Note, MUTED))?.0;
        for u in &used {
            used_width = used_width.max(text_size(area, u, &used_style)?.0);
        }
        let mut names = Vec::new();
        let mut notes = Vec::new();
        for r in &rows {
            names.push(wrap_all(area, &r.label, &name_style, column as u32)?);
            notes.push(match &r.note {
                Some(n) => wrap_all(area, n, &note_style, column as u32)?,
                None => Vec::new(),
            });
        }
        let x0 = left + column + page.ui(0.8);
        let x1 = right - used_width - page.ui(1.0);
        let gap = page.ui(0.3);
        let mut after = Vec::new();
        for r in &rows {
            if let Some((_, to)) = r.unmet {
                let w = text_size(area, &unmet_words(r), &page.text(Role::Note, INK))?.0;
                after.push((to, w + gap));
            }
        }
        let reach = rows
            .iter()
            .flat_map(|r| [r.capacity, r.base, r.end, r.unmet.map(|u| u.1)])
            .flatten()
            .fold(0.0, f64::max);
        let axis = ValueAxis::fitting(x0, x1, reach * 1.04, &after);
        let line = (page.font(plan.role()) * 1.1).round() as i32;
        let note_line = (page.font(Role::Note) * 1.1).round() as i32;
        let (key, heading) = key_layout(area, page, p, &rows, (left, right), ys.start)?;
        let key_line = (page.font(Role::Body) * 1.15).round() as i32;
        let last = key.last().map_or(heading, |k| k.3);
        let top = last + key_line / 2 + page.ui(0.4);
        let bottom = ys.end - value_axis_depth(page);
        let heights: Vec<i32> = names
            .iter()
            .zip(&notes)
            .map(|(n, m)| line * n.len() as i32 + note_line * m.len() as i32 + page.ui(plan.pad()))
            .collect();
        let spare = (bottom - top - heights.iter().sum::<i32>()).max(0);
        let extra = (spare / heights.len().max(1) as i32).min(line / 2);
        let mut spans = Vec::new();
        let mut y = top;
        for h in heights {
            spans.push((y, y + h + extra));
            y += h + extra;
        }
        Ok(Layout {
            rows,
            plan,
            names,
            notes,
            used,
            spans,
            axis,
            left,
            right,
            key,
            heading,
            top,
            bottom,
        })
    }

    fn fits(&self) -> bool {
        self.spans.last().is_none_or(|s| s.1 <= self.bottom)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
    ) -> DrawResult<(), DB> {
        let axis = &self.axis;
        axis.draw(root, page, (self.top - page.ui(0.2), self.bottom), &|v| {
            thousands(v)
        })?;
        root.draw(&Text::new(
            "Vehicles a year",
            (self.left, self.bottom + page.ui(0.25)),
            anchor(&page.text(Role::Tick, MUTED), HPos::Left, VPos::Top),
        ))?;
        self.draw_key(root, page)?;
        let role = self.plan.role();
        let line = (page.font(role) * 1.1).round() as i32;
        let note_line = (page.font(Role::Note) * 1.1).round() as i32;
        let name_style = anchor(&page.text(role, INK), HPos::Left, VPos::Center);
        let note_style = anchor(&page.text(Role::Note, MUTED), HPos::Left, VPos::Center);
        let used_style = anchor(&page.text(role, INK), HPos::Right, VPos::Center);
        for (i, row) in self.rows.iter().enumerate() {
            let (y0, y1) = self.spans[i];
            let text_h = line * self.names[i].len() as i32 + note_line * self.notes[i].len() as i32;
            let mut y = (y0 + y1) / 2 - text_h / 2 + line / 2;
            for l in &self.names[i] {
                root.draw(&Text::new(l.clone(), (self.left, y), name_style.clone()))?;
                y += line;
            }
            y += (note_line - line) / 2;
            for l in &self.notes[i] {
                root.draw(&Text::new(l.clone(), (self.left, y), note_style.clone()))?;
                y += note_line;
            }
            let mid = (y0 + y1) / 2;
            self.draw_row(root, page, row, mid)?;
            root.draw(&Text::new(
                self.used[i].clone(),
                (self.right, mid),
                used_style.clone(),
            ))?;
        }
        Ok(())
    }

    /// One plant: its capacity bar, the demand it could not meet, the ring and the dot.
    fn draw_row<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
        row: &Row,
        mid: i32,
    ) -> DrawResult<(), DB> {
        let axis = &self.axis;
        let half = page.ui(0.3);
        if let Some(c) = row.capacity {
            root.draw(&Rectangle::new(
                [(axis.px(0.0), mid - half), (axis.px(c), mid + half)],
                CAPACITY.filled(),
            ))?;
        }
        if let Some((from, to)) = row.unmet {
            let (x0, x1) = (axis.px(from), axis.px(to).max(axis.px(from) + 2));
            hatch(root, page, (x0, mid - half, x1, mid + half), MUTED)?;
            root.draw(&Rectangle::new(
                [(x0, mid - half), (x1, mid + half)],
                INK.stroke_width(page.stroke(0.5)),
            ))?;
            boxed(
                root,
                page,
                &unmet_words(row),
                &anchor(&page.text(Role::Note, INK), HPos::Left, VPos::Center),
                (x1 + page.ui(0.3), mid),
            )?;
        }
        let r = page.ui(0.27);
        let stroke = page.stroke(0.9);
        if let (Some(b), Some(e)) = (row.base, row.end)
            && (axis.px(e) - axis.px(b)).abs() > 2 * r
        {
            let dir = if e > b { 1 } else { -1 };
            root.draw(&PathElement::new(
                vec![(axis.px(b) + dir * r, mid), (axis.px(e) - dir * r, mid)],
                row.colour.stroke_width(stroke),
            ))?;
        }
        if let Some(b) = row.base {
            root.draw(&Circle::new((axis.px(b), mid), r, WHITE.filled()))?;
            root.draw(&Circle::new(
                (axis.px(b), mid),
                r,
                row.colour.stroke_width(stroke),
            ))?;
        }
        if let Some(e) = row.end {
            root.draw(&Circle::new((axis.px(e), mid), r, row.colour.filled()))?;
        }
        Ok(())
    }

    /// The key above the rows, and the capacity-used column's heading.
    fn draw_key<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
    ) -> DrawResult<(), DB> {
        let style = anchor(&page.text(Role::Body, INK), HPos::Left, VPos::Center);
        let r = page.ui(0.27);
        let stroke = page.stroke(0.9);
        let half = page.ui(0.3);
        let mark = page.ui(1.0);
        for (kind, label, x, y) in &self.key {
            let (x, y) = (*x, *y);
            match kind {
                Mark::Ring => {
                    root.draw(&Circle::new((x + mark / 2, y), r, INK.stroke_width(stroke)))?;
                }
                Mark::Dot => root.draw(&Circle::new((x + mark / 2, y), r, INK.filled()))?,
                Mark::Capacity => root.draw(&Rectangle::new(
                    [(x, y - half), (x + mark, y + half)],
                    CAPACITY.filled(),
                ))?,
                Mark::Unmet => {
                    hatch(root, page, (x, y - half, x + mark, y + half), MUTED)?;
                    root.draw(&Rectangle::new(
                        [(x, y - half), (x + mark, y + half)],
                        INK.stroke_width(page.stroke(0.5)),
                    ))?;
                }
            }
            root.draw(&Text::new(
                label.clone(),
                (x + mark + page.ui(0.3), y),
                style.clone(),
            ))?;
        }
        root.draw(&Text::new(
            USED,
            (self.right, self.heading),
            anchor(&page.bold(Role::Note, MUTED), HPos::Right, VPos::Center),
        ))
    }
}

/// A key entry: its mark, its label, its left edge and its centre line.
type KeyEntry = (Mark, String, i32, i32);

/// The marks of the key.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    Ring,
    Dot,
    Capacity,
    Unmet,
}

/// The key's entries flowed into lines from the left margin, the first line stopping short of
/// the capacity-used heading at the right; returns them with the heading's centre line.
fn key_layout<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    page: &Page,
    p: &Projection,
    rows: &[Row],
    (left, right): (i32, i32),
    top: i32,
) -> DrawResult<(Vec<KeyEntry>, i32), DB> {
    let style = page.text(Role::Body, INK);
    let line = (page.font(Role::Body) * 1.15).round() as i32;
    let first = top + page.ui(0.2) + line / 2;
    let mut entries = vec![
        (Mark::Ring, format!("{} output", p.base_year)),
        (Mark::Dot, format!("{} {}", p.end_year, p.basis.word())),
        (Mark::Capacity, "Nameplate capacity".to_string()),
    ];
    if rows.iter().any(|r| r.unmet.is_some()) {
        entries.push((Mark::Unmet, "Demand not met".to_string()));
    }
    let heading = text_size(area, USED, &page.bold(Role::Note, MUTED))?.0;
    let mark = page.ui(1.0) + page.ui(0.3);
    let (mut x, mut y) = (left, first);
    let mut out = Vec::new();
    for (kind, label) in entries {
        let (w, _) = text_size(area, &label, &style)?;
        let limit = if y == first {
            right - heading - page.ui(1.0)
        } else {
            right
        };
        if x > left && x + mark + w > limit {
            x = left;
            y += line;
        }
        out.push((kind, label, x, y));
        x += mark + w + page.ui(1.0);
    }
    Ok((out, first))
}

/// The capacity-used column's heading.
const USED: &str = "Capacity used";
/// Capacity bars: a light neutral, so that the output markers stand out on them.
const CAPACITY: RGBColor = GRID;

/// "+151k demand not met" ("… (plant closed)" where the plant is closed).
fn unmet_words(row: &Row) -> String {
    let (from, to) = row.unmet.unwrap_or((0.0, 0.0));
    let closed = row.capacity.is_none();
    format!(
        "+{} demand not met{}",
        short(to - from),
        if closed { " (plant closed)" } else { "" }
    )
}

/// Thousands throughout, as plant figures are quoted: "0", "250k", "1,000k".
fn thousands(v: f64) -> String {
    if v.abs() < 0.5 {
        return "0".into();
    }
    let k = (v / 1_000.0).round() as i64;
    let digits = k.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out}k")
}
