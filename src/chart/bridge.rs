//! A waterfall from the base-year total to the end-year projection, by maker, then the gap to
//! the target path, drawn against a target line.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::makers::{ON_TARGET, ValueAxis, anchor, boxed, hatch, text_size, value_axis_depth};
use super::style::{
    Caption, Frame, INK, MUTED, MakerPalette, Page, Role, TARGET, draw_frame, millions, millions2,
    pale, short, signed_short, wrap_all,
};
use super::{DrawResult, footer};
use crate::engine::{EXISTING, OTHER_MAKER, Projection};

/// At most this many makers get a bar of their own; the rest are summed (fewer when the rows
/// would not fit the page).
const MAX_MAKER_BARS: usize = 8;
/// A maker's net change is footnoted with its parts when parts of at least this size go both ways.
const OFFSETTING: f64 = 5_000.0;
/// Totals: dark grey for the actual, a paler grey for the projection.
const TOTAL: RGBColor = RGBColor(80, 80, 80);
/// The bar of small changes summed: a neutral grey no maker has.
const GROUPED: RGBColor = RGBColor(190, 190, 190);

/// A bar of the waterfall.
#[derive(Debug, Clone)]
struct Bar {
    label: String,
    from: f64,
    to: f64,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// The base year's published total.
    Actual,
    /// The end year's projected total.
    Projected,
    /// One maker's change, in its colour.
    Change(RGBColor),
    /// Several small changes summed.
    Grouped,
    /// The gap to the target path (a shortfall or a surplus).
    Gap,
}

/// Each maker's net change from the base year to the end year, largest first; beyond
/// `MAX_MAKER_BARS`, the smallest are summed in one bar.
fn changes(p: &Projection, max_bars: usize) -> Vec<(String, f64, bool)> {
    let mut changes: Vec<(String, f64, bool)> = p
        .makers()
        .iter()
        .map(|m| {
            let first = m.outputs.first().copied().unwrap_or(0.0);
            let last = m.outputs.last().copied().unwrap_or(0.0);
            let name = if m.maker == OTHER_MAKER {
                "Other UK manufacturers".to_string()
            } else {
                m.maker.clone()
            };
            (name, last - first, false)
        })
        .filter(|(_, change, _)| change.abs() >= 0.5)
        .collect();
    changes.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
    if changes.len() > max_bars {
        let rest: f64 = changes[max_bars - 1..].iter().map(|(_, c, _)| c).sum();
        let count = changes.len() - (max_bars - 1);
        changes.truncate(max_bars - 1);
        changes.push((format!("{count} smaller changes"), rest, true));
    }
    changes
}

fn bars(p: &Projection, palette: &MakerPalette, max_bars: usize) -> Vec<Bar> {
    let base = p.summary.base_total;
    let mut bars = vec![Bar {
        label: format!("{} actual", p.base_year),
        from: 0.0,
        to: base,
        kind: Kind::Actual,
    }];
    let mut level = base;
    for (maker, change, grouped) in changes(p, max_bars) {
        let kind = if grouped {
            Kind::Grouped
        } else if maker == "Other UK manufacturers" {
            Kind::Change(palette.colour(OTHER_MAKER))
        } else {
            Kind::Change(palette.colour(&maker))
        };
        bars.push(Bar {
            label: maker,
            from: level,
            to: level + change,
            kind,
        });
        level += change;
    }
    let end = p.summary.end_total;
    bars.push(Bar {
        label: format!("{} {}", p.end_year, p.basis.word()),
        from: 0.0,
        to: end,
        kind: Kind::Projected,
    });
    let path = p.summary.end_target_path;
    bars.push(Bar {
        label: if end > path + ON_TARGET {
            "Above target".into()
        } else {
            "Gap to target".into()
        },
        from: end,
        to: path,
        kind: Kind::Gap,
    });
    bars
}

/// What the end-year total is measured against: the target itself once the chart reaches the
/// target year, else the (illustrative) straight line to it.
fn against(p: &Projection) -> &'static str {
    if p.target.year <= p.end_year {
        "the target"
    } else {
        "the line to target"
    }
}

/// A gap in words: "0.46m short of the target", "45k above the target path", "on the target".
pub(super) fn gap_words(p: &Projection) -> String {
    let gap = p.summary.end_gap;
    let amount = if gap.abs() >= 100_000.0 {
        millions2(gap.abs())
    } else {
        short(gap.abs())
    };
    if gap.abs() < ON_TARGET {
        format!("on {}", against(p))
    } else if gap < 0.0 {
        format!("{amount} short of {}", against(p))
    } else {
        format!("{amount} above {}", against(p))
    }
}

/// A total as people quote it: "1.3m" for a round tenth of a million, else "1.03m".
fn amount(v: f64) -> String {
    let tenths = v / 100_000.0;
    if (tenths - tenths.round()).abs() < 1e-6 {
        millions(v)
    } else {
        millions2(v)
    }
}

/// The chart's message: where output goes and how far that is from the target.
fn title(p: &Projection) -> String {
    let (base, end) = (p.summary.base_total, p.summary.end_total);
    let verb = if (end - base).abs() < ON_TARGET {
        "stays at"
    } else if end > base {
        "rises from"
    } else {
        "falls from"
    };
    let from = if verb == "stays at" {
        format!("{} from {} to {}", millions2(base), p.base_year, p.end_year)
    } else {
        format!(
            "{} in {} to {} in {}",
            millions2(base),
            p.base_year,
            millions2(end),
            p.end_year
        )
    };
    let target = if p.target.year <= p.end_year {
        format!("the {} target", amount(p.target.volume))
    } else {
        "the line to target".to_string()
    };
    let gap = gap_words(p).replace(against(p), &target);
    // An uncertain scenario's end figure is a mean of draws, not an outcome: the title says so.
    let subject = match p.basis {
        crate::engine::Basis::Expected { .. } => "Expected output",
        crate::engine::Basis::Modal => "If every uncertain item happens, output",
        crate::engine::Basis::Certain => "Output",
    };
    format!("{subject} {verb} {from}, {gap}")
}

/// Makers whose net change hides moves both ways, in words for the footer:
/// "Stellantis +3k: Vauxhall Ellesmere Port +18k, Vauxhall Luton -15k".
fn offsetting_notes(p: &Projection) -> Vec<String> {
    let mut notes = Vec::new();
    for m in p.makers() {
        if m.maker == OTHER_MAKER {
            continue;
        }
        let mut parts: Vec<(String, f64)> = Vec::new();
        let mut add = |name: String, v: f64| match parts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, total)) => *total += v,
            None => parts.push((name, v)),
        };
        let short_name = |id: &str| {
            p.plants
                .iter()
                .find(|r| r.plant_id == id)
                .map_or(id.to_string(), |r| r.short_name.clone())
        };
        for r in p
            .plants
            .iter()
            .filter(|r| r.year == p.base_year && r.operator == m.maker)
        {
            add(short_name(&r.plant_id), -r.output);
        }
        for c in p
            .components
            .iter()
            .filter(|c| c.year == p.end_year && c.maker == m.maker)
        {
            let name = if c.component == EXISTING {
                short_name(&c.plant_id)
            } else {
                p.label_of(&format!("programmes.{}", c.component))
                    .to_string()
            };
            add(name, c.output);
        }
        let gains = parts.iter().any(|(_, v)| *v >= OFFSETTING);
        let losses = parts.iter().any(|(_, v)| *v <= -OFFSETTING);
        if gains && losses {
            parts.retain(|(_, v)| v.abs() >= 500.0);
            parts.sort_by(|a, b| b.1.total_cmp(&a.1));
            let net: f64 = parts.iter().map(|(_, v)| v).sum();
            let list: Vec<String> = parts
                .iter()
                .map(|(n, v)| format!("{n} {}", signed_short(*v)))
                .collect();
            notes.push(format!(
                "{} {}: {}",
                m.maker,
                signed_short(net),
                list.join(", ")
            ));
        }
    }
    notes
}

/// Draw the bridge chart: one row per bar, top to bottom, values across, so that maker names
/// of any length sit in a column of their own, wrapped, and every figure has room at its bar.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    p: &Projection,
) -> DrawResult<Caption, DB> {
    let mut note = format!(
        "Line to target: a straight line from the {} actual to {} in {} (illustrative); a \
         programme counts towards its maker, not the plant's operator",
        p.base_year,
        amount(p.target.volume),
        p.target.year
    );
    for n in offsetting_notes(p) {
        note.push_str(". ");
        note.push_str(&n);
    }
    let frame = Frame {
        kicker: super::kicker(p),
        title: title(p),
        subtitle: super::subtitle(p),
        legend: Vec::new(),
        footer: footer(p, &note),
        headline: None,
    };
    let (area, caption) = draw_frame(root, page, &frame)?;
    let palette = MakerPalette::of(p);
    let layout = Layout::fit(&area, page, p, &palette)?;
    layout.draw(root, page, p)?;
    Ok(caption)
}

/// Where everything goes: the label column, the rows and the value axis.
struct Layout {
    bars: Vec<Bar>,
    labels: Vec<Vec<String>>,
    /// Top and bottom pixel of each row.
    rows: Vec<(i32, i32)>,
    axis: ValueAxis,
    /// The label column's left edge.
    left: i32,
    /// The axis line's pixel row.
    bottom: i32,
    top: i32,
}

impl Layout {
    /// Lay the rows out in the area, summing more small changes while they do not fit.
    fn fit<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        page: &Page,
        p: &Projection,
        palette: &MakerPalette,
    ) -> DrawResult<Layout, DB> {
        let mut max_bars = MAX_MAKER_BARS;
        loop {
            let layout = Self::try_fit(area, page, p, palette, max_bars)?;
            let fits = layout
                .rows
                .last()
                .is_none_or(|r| r.1 + below(page) <= layout.bottom);
            if fits || max_bars <= 2 {
                return Ok(layout);
            }
            max_bars -= 1;
        }
    }

    fn try_fit<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        page: &Page,
        p: &Projection,
        palette: &MakerPalette,
        max_bars: usize,
    ) -> DrawResult<Layout, DB> {
        let bars = bars(p, palette, max_bars);
        let (xs, ys) = area.get_pixel_range();
        let left = page.margin();
        let right = page.width as i32 - page.margin();
        let style = page.text(Role::Body, INK);
        let mut widest = 0;
        for b in &bars {
            widest = widest.max(text_size(area, &b.label, &style)?.0);
        }
        // The label column takes at most 30% of the width; longer names wrap.
        let column = widest
            .min(((xs.end - xs.start) as f64 * 0.3) as i32)
            .max(page.ui(4.0));
        let mut labels = Vec::new();
        for b in &bars {
            labels.push(wrap_all(area, &b.label, &style, column as u32)?);
        }
        let x0 = left + column + page.ui(0.8);
        let line = line_height(page);
        let pad = page.ui(0.45);
        let top = ys.start + page.ui(0.2);
        let bottom = ys.end - value_axis_depth(page);
        let heights: Vec<i32> = labels
            .iter()
            .map(|l| line * l.len().max(1) as i32 + pad)
            .collect();
        // Spare height is shared out between the rows, up to a comfortable spacing.
        // A line under the rows is kept for the target line's label.
        let spare = (bottom - top - below(page) - heights.iter().sum::<i32>()).max(0);
        let extra = (spare / heights.len().max(1) as i32).min(line * 3 / 4);
        let mut rows = Vec::new();
        let mut y = top;
        for h in heights {
            rows.push((y, y + h + extra));
            y += h + extra;
        }
        // The axis reaches the target path and the highest level, with room for each figure
        // after its bar (and for the target's label after the line, which may go left instead).
        let value_style = page.bold(Role::Body, INK);
        let gap = page.ui(0.3);
        let mut after = Vec::new();
        for b in &bars {
            if let Some(v) = value_text(b) {
                after.push((b.from.max(b.to), text_size(area, &v, &value_style)?.0 + gap));
            }
        }
        let reach = bars
            .iter()
            .flat_map(|b| [b.from, b.to])
            .fold(p.summary.end_target_path, f64::max);
        let axis = ValueAxis::fitting(x0, right, reach * 1.02, &after);
        Ok(Layout {
            bars,
            labels,
            rows,
            axis,
            left,
            bottom,
            top,
        })
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
        p: &Projection,
    ) -> DrawResult<(), DB> {
        let axis = &self.axis;
        axis.draw(root, page, (self.top, self.bottom), &|v| {
            millions_tick(v, axis.step)
        })?;
        // The unit, in the label column level with the tick labels.
        root.draw(&Text::new(
            "Vehicles a year",
            (self.left, self.bottom + page.ui(0.25)),
            anchor(&page.text(Role::Tick, MUTED), HPos::Left, VPos::Top),
        ))?;
        let line = line_height(page);
        let label_style = anchor(&page.text(Role::Body, INK), HPos::Left, VPos::Center);
        let thick = page.ui(0.5);
        for (i, bar) in self.bars.iter().enumerate() {
            let (y0, y1) = self.rows[i];
            let mid = (y0 + y1) / 2;
            let lines = &self.labels[i];
            let first = mid - line * (lines.len() as i32 - 1) / 2;
            for (k, l) in lines.iter().enumerate() {
                root.draw(&Text::new(
                    l.clone(),
                    (self.left, first + line * k as i32),
                    label_style.clone(),
                ))?;
            }
            self.draw_bar(root, page, bar, (mid - thick, mid + thick))?;
            // Connector from this bar's end to the next bar.
            if let Some(next) = self.bars.get(i + 1)
                && !matches!(next.kind, Kind::Projected)
            {
                let x = axis.px(bar.to);
                let next_mid = (self.rows[i + 1].0 + self.rows[i + 1].1) / 2;
                root.draw(&PathElement::new(
                    vec![(x, mid + thick), (x, next_mid - thick)],
                    MUTED.stroke_width(page.stroke(0.4)),
                ))?;
            }
        }
        self.draw_target(root, page, p)?;
        for (i, bar) in self.bars.iter().enumerate() {
            let (y0, y1) = self.rows[i];
            if let Some(v) = value_text(bar) {
                let x = axis.px(bar.from.max(bar.to)) + page.ui(0.3);
                boxed(
                    root,
                    page,
                    &v,
                    &anchor(&page.bold(Role::Body, INK), HPos::Left, VPos::Center),
                    (x, (y0 + y1) / 2),
                )?;
            }
        }
        Ok(())
    }

    /// One bar. Changes have no outline, and a change too small to see gets a minimum width,
    /// so that its colour still shows.
    fn draw_bar<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
        bar: &Bar,
        (top, bottom): (i32, i32),
    ) -> DrawResult<(), DB> {
        let (low, high) = (bar.from.min(bar.to), bar.from.max(bar.to));
        let (mut x0, mut x1) = (self.axis.px(low), self.axis.px(high));
        let least = page.ui(0.12).max(3);
        if x1 - x0 < least {
            // Grown away from the level the bar starts at.
            if bar.to >= bar.from {
                x1 = x0 + least;
            } else {
                x0 = x1 - least;
            }
        }
        let rect = [(x0, top), (x1, bottom)];
        match bar.kind {
            Kind::Actual => root.draw(&Rectangle::new(rect, TOTAL.filled())),
            Kind::Projected => {
                root.draw(&Rectangle::new(rect, pale(TOTAL, 0.55).filled()))?;
                root.draw(&Rectangle::new(rect, TOTAL.stroke_width(page.stroke(0.5))))
            }
            Kind::Change(colour) => root.draw(&Rectangle::new(rect, colour.filled())),
            Kind::Grouped => root.draw(&Rectangle::new(rect, GROUPED.filled())),
            Kind::Gap if bar.from < bar.to - ON_TARGET => {
                // Short of the target: the open box from the total up to the target line.
                root.draw(&Rectangle::new(rect, pale(TARGET, 0.12).filled()))?;
                root.draw(&Rectangle::new(rect, TARGET.stroke_width(page.stroke(0.8))))
            }
            Kind::Gap if bar.from > bar.to + ON_TARGET => {
                // Above the target: hatched, in ink, beyond the target line.
                hatch(root, page, (x0, top, x1, bottom), MUTED)?;
                root.draw(&Rectangle::new(rect, INK.stroke_width(page.stroke(0.6))))
            }
            Kind::Gap => Ok(()),
        }
    }

    /// The target line down the last two rows and on below them, labelled under the rows
    /// ("1.3m target, 2035"); the gap in words beside its box, on the side with room.
    fn draw_target<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
        p: &Projection,
    ) -> DrawResult<(), DB> {
        let n = self.rows.len();
        if n < 2 {
            return Ok(());
        }
        let path = p.summary.end_target_path;
        let x = self.axis.px(path);
        let line = line_height(page);
        let start = self.rows[n - 2].0 + page.ui(0.1);
        let gap_row = self.rows[n - 1];
        let end = gap_row.1 + line;
        root.draw(&PathElement::new(
            vec![(x, start), (x, end)],
            WHITE.stroke_width(page.stroke(3.0)),
        ))?;
        root.draw(&PathElement::new(
            vec![(x, start), (x, end)],
            TARGET.stroke_width(page.stroke(1.2)),
        ))?;
        // Named as on the path chart: the target itself in its year, else the illustrative
        // straight line's value (before the target year) or the target held (after it).
        let target = if p.end_year == p.target.year {
            format!("{} target, {}", amount(path), p.end_year)
        } else if p.end_year < p.target.year {
            format!("Line to target, {}: {}", p.end_year, amount(path))
        } else {
            format!("{} target (from {})", amount(path), p.target.year)
        };
        let style = page.bold(Role::Body, TARGET);
        let (w, _) = text_size(root, &target, &style)?;
        let gap = page.ui(0.3);
        let label_y = (gap_row.1 + end) / 2 + page.ui(0.1);
        // Right of the line if it fits before the plot's end, else left of it.
        let (h, lx) = if x + gap + w <= self.axis.x1 {
            (HPos::Left, x + gap)
        } else {
            (HPos::Right, x - gap)
        };
        root.draw(&Text::new(
            target,
            (lx, label_y),
            anchor(&style, h, VPos::Center),
        ))?;
        // The gap's words in its row: left of the box (that part of the row is empty), or
        // right of it when the box starts too near the axis.
        let mid = (gap_row.0 + gap_row.1) / 2;
        let words = gap_words(p);
        let colour = if p.summary.end_gap < 0.0 { TARGET } else { INK };
        let style = page.bold(Role::Body, colour);
        let (w, _) = text_size(root, &words, &style)?;
        let end_total = p.summary.end_total;
        let box_left = self.axis.px(end_total.min(path));
        let box_right = self.axis.px(end_total.max(path));
        if p.summary.end_gap.abs() < ON_TARGET {
            // Left of the line, where the gap row is empty.
            return boxed(
                root,
                page,
                &words,
                &anchor(&style, HPos::Right, VPos::Center),
                (x - gap, mid),
            );
        }
        if box_left - gap - w >= self.axis.x0 + gap {
            boxed(
                root,
                page,
                &words,
                &anchor(&style, HPos::Right, VPos::Center),
                (box_left - gap, mid),
            )
        } else {
            boxed(
                root,
                page,
                &words,
                &anchor(&style, HPos::Left, VPos::Center),
                (box_right + gap, mid),
            )
        }
    }
}

/// Room under the rows for the target line's label.
fn below(page: &Page) -> i32 {
    line_height(page) + page.ui(0.3)
}

/// An axis tick in millions, with as many decimals as the step needs ("0.5m" on a 0.5m axis,
/// "0.50m" on a 0.25m one), the same across the axis.
fn millions_tick(v: f64, step: f64) -> String {
    if v.abs() < 0.5 {
        "0".into()
    } else if (step / 100_000.0 - (step / 100_000.0).round()).abs() < 1e-9 {
        format!("{:.1}m", v / 1e6)
    } else {
        format!("{:.2}m", v / 1e6)
    }
}

/// A line of body text.
fn line_height(page: &Page) -> i32 {
    (page.font(Role::Body) * 1.12).round() as i32
}

/// A bar's figure: totals in millions, changes in thousands; the gap's goes beside its box.
fn value_text(bar: &Bar) -> Option<String> {
    match bar.kind {
        Kind::Actual | Kind::Projected => Some(millions2(bar.to)),
        Kind::Change(_) | Kind::Grouped => Some(signed_short(bar.to - bar.from)),
        Kind::Gap => None,
    }
}
