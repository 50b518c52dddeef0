//! Direct jobs: a waterfall from the plants' latest headcounts (the base year) through each
//! plant's change to the end year, as the bridge chart does for output.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::DrawResult;
use super::makers::{ValueAxis, anchor, boxed, text_size, value_axis_depth};
use super::style::{
    Caption, Frame, INK, MUTED, MakerPalette, Page, Role, draw_frame, pale, wrap_all,
};
use crate::engine::{Basis, Projection};
use crate::number::{and_list, thousands};

/// At most this many plants get a bar of their own; the rest are summed (fewer when the rows
/// would not fit the page).
const MAX_PLANT_BARS: usize = 8;
/// A headcount this many years older than the base year or more is named in the footer.
const OLD: i32 = 2;
/// Totals: dark grey for the base year, a paler grey for the end year.
const TOTAL: RGBColor = RGBColor(80, 80, 80);
/// The bar of small changes summed: a neutral grey no maker has.
const GROUPED: RGBColor = RGBColor(190, 190, 190);

/// Where the headcounts come from, for the source line.
const CREDIT: &str = "Sources: company statements and press reports (data/employment.csv)";

/// A count of jobs: "39,070".
fn count(v: f64) -> String {
    thousands(v)
}

/// A change in jobs: "+1,500", "−1,120" (a true minus), "0".
fn signed(v: f64) -> String {
    let r = v.round();
    if r > 0.0 {
        format!("+{}", thousands(r))
    } else if r < 0.0 {
        format!("−{}", thousands(-r))
    } else {
        "0".into()
    }
}

/// A row of the waterfall.
#[derive(Debug, Clone)]
struct Bar {
    label: String,
    from: f64,
    to: f64,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// The base year's total of the latest figures.
    Start,
    /// The end year's total.
    End,
    /// One plant's change, in its operator's colour.
    Change(RGBColor),
    /// Several small changes summed.
    Grouped,
}

/// Each plant's change from the base year to the end year, largest first: (plant id, short
/// name, change); beyond `max_bars`, the smallest summed in one bar (id empty).
fn changes(p: &Projection, max_bars: usize) -> Vec<(String, String, f64)> {
    let at = |year: i32, id: &str| {
        p.jobs
            .iter()
            .find(|j| j.year == year && j.plant_id == id)
            .map_or(0.0, |j| j.jobs())
    };
    let mut changes: Vec<(String, String, f64)> = p
        .jobs
        .iter()
        .filter(|j| j.year == p.base_year)
        .map(|j| {
            (
                j.plant_id.clone(),
                j.plant.clone(),
                at(p.end_year, &j.plant_id) - j.jobs(),
            )
        })
        .chain(
            // A plant counted only from a later year (a new plant).
            p.jobs
                .iter()
                .filter(|j| j.year == p.end_year)
                .filter(|j| {
                    !p.jobs
                        .iter()
                        .any(|b| b.year == p.base_year && b.plant_id == j.plant_id)
                })
                .map(|j| (j.plant_id.clone(), j.plant.clone(), j.jobs())),
        )
        .filter(|(_, _, c)| c.abs() >= 0.5)
        .collect();
    changes.sort_by(|a, b| b.2.abs().total_cmp(&a.2.abs()).then(a.1.cmp(&b.1)));
    if changes.len() > max_bars {
        let rest: f64 = changes[max_bars - 1..].iter().map(|c| c.2).sum();
        let n = changes.len() - (max_bars - 1);
        changes.truncate(max_bars - 1);
        changes.push((String::new(), format!("{n} smaller changes"), rest));
    }
    changes
}

/// The changes summed into one bar, for the footer: "Smaller changes: LEVC Ansty +300,
/// MINI Oxford +235".
fn grouped_note(p: &Projection, max_bars: usize) -> Option<String> {
    let all = changes(p, usize::MAX);
    if all.len() <= max_bars {
        return None;
    }
    let list: Vec<String> = all[max_bars - 1..]
        .iter()
        .map(|(_, name, c)| format!("{name} {}", signed(*c)))
        .collect();
    Some(format!("Smaller changes: {}", list.join(", ")))
}

/// A plant's figure year where it is old: "2018 figure".
fn figure_note(p: &Projection, id: &str) -> Option<String> {
    p.jobs
        .iter()
        .find(|j| j.year == p.base_year && j.plant_id == id)
        .and_then(|j| j.figure_year)
        .filter(|y| *y <= p.base_year - OLD)
        .map(|y| format!("{y} figure"))
}

fn bars(p: &Projection, palette: &MakerPalette, max_bars: usize) -> Vec<Bar> {
    let base = p.jobs_in(p.base_year);
    let mut bars = vec![Bar {
        label: format!("{}: latest figures", p.base_year),
        from: 0.0,
        to: base,
        kind: Kind::Start,
    }];
    let mut level = base;
    for (id, name, change) in changes(p, max_bars) {
        let kind = if id.is_empty() {
            Kind::Grouped
        } else {
            let operator = p
                .plants
                .iter()
                .find(|r| r.plant_id == id)
                .map_or("", |r| r.operator.as_str());
            Kind::Change(palette.colour(operator))
        };
        // Jobs in the scenario's programmes (and a new plant's own) are what a reader asks
        // about: they are named apart from the plant's existing workforce; an old headcount
        // says its year.
        let programmes = p
            .jobs
            .iter()
            .find(|j| j.year == p.end_year && j.plant_id == id)
            .map_or(0.0, |j| j.programmes);
        let existing = p
            .jobs
            .iter()
            .any(|j| j.year == p.base_year && j.plant_id == id && j.jobs() >= 0.5);
        let mut notes = Vec::new();
        // A new plant's jobs are all new: no need to say so.
        if programmes >= 0.5 && existing {
            notes.push(format!("programmes {}", signed(programmes)));
        }
        notes.extend(figure_note(p, &id));
        let label = if notes.is_empty() {
            name
        } else {
            format!("{name} ({})", notes.join("; "))
        };
        bars.push(Bar {
            label,
            from: level,
            to: level + change,
            kind,
        });
        level += change;
    }
    bars.push(Bar {
        label: format!("{} {}", p.end_year, super::total_label(p)),
        from: 0.0,
        to: p.jobs_in(p.end_year),
        kind: Kind::End,
    });
    bars
}

/// What a projected figure is, as the start of a title.
fn subject(basis: Basis) -> &'static str {
    match basis {
        Basis::Certain => "Direct jobs at the plants counted",
        Basis::Expected { .. } => "Expected direct jobs at the plants counted",
        Basis::Modal => "If every uncertain item happens, direct jobs at the plants counted",
    }
}

/// The chart's message: where the jobs go.
fn title(p: &Projection) -> String {
    let (base, end) = (p.jobs_in(p.base_year), p.jobs_in(p.end_year));
    let (a, b) = (count(base), count(end));
    if a == b {
        format!(
            "{} stay at {a} from {} to {}",
            subject(p.basis),
            p.base_year,
            p.end_year
        )
    } else if (end - base).abs() < 0.01 * base {
        // Under 1% of a total made of round headcounts: no finding to headline.
        format!(
            "{} barely change: {a} in {} and {b} in {} ({})",
            subject(p.basis),
            p.base_year,
            p.end_year,
            signed(end - base)
        )
    } else {
        let verb = if end > base { "rise" } else { "fall" };
        format!(
            "{} {verb} from {a} in {} to {b} in {} ({})",
            subject(p.basis),
            p.base_year,
            p.end_year,
            signed(end - base)
        )
    }
}

/// The plants with no headcount in the data and no jobs in the scenario, by short name.
fn uncounted(p: &Projection) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for r in p.plants.iter().filter(|r| r.year == p.base_year) {
        let residual = crate::data::Segment::ALL
            .iter()
            .any(|s| s.residual_id() == r.plant_id);
        if residual || p.jobs.iter().any(|j| j.plant_id == r.plant_id) {
            continue;
        }
        if !names.contains(&r.short_name) {
            names.push(r.short_name.clone());
        }
    }
    names
}

/// The subtitle, then the assumption every figure of the chart rests on, so that a flat bar
/// is not read as a finding about jobs.
fn rule_note(p: &Projection, subtitle: String) -> String {
    let rule = match p.existing_jobs {
        crate::scenario::ExistingJobs::Held => {
            "Assumed: a plant that stays open keeps its latest headcount whatever it builds; only closures and new programmes move jobs."
        }
        crate::scenario::ExistingJobs::FollowOutput => {
            "Assumed: a plant's headcount moves in proportion to its existing production."
        }
    };
    if subtitle.is_empty() {
        rule.to_string()
    } else {
        format!("{subtitle} {rule}")
    }
}

/// The footer's notes: what is counted, the age of the figures, and what is not counted.
fn notes(p: &Projection) -> String {
    let mut notes = vec![format!(
        "Direct employees at vehicle plants, not suppliers or cell plants. {}: each plant's \
         latest headcount, whatever its year; a programme's jobs ramp with its output",
        p.base_year
    )];
    let mut old: Vec<(i32, String)> = p
        .jobs
        .iter()
        .filter(|j| j.year == p.base_year)
        .filter_map(|j| {
            j.figure_year
                .filter(|y| *y <= p.base_year - OLD)
                .map(|y| (y, j.plant.clone()))
        })
        .collect();
    old.sort();
    if !old.is_empty() {
        let list: Vec<String> = old.iter().map(|(y, n)| format!("{n} {y}")).collect();
        notes.push(format!(
            "Figures from before {}: {}",
            p.base_year - OLD + 1,
            list.join(", ")
        ));
    }
    let missing = uncounted(p);
    if !missing.is_empty() {
        notes.push(format!(
            "No published headcount, so not counted: {}",
            and_list(&missing)
        ));
    }
    notes.join(". ")
}

/// Draw the jobs bridge: one row per bar, top to bottom, jobs across.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    p: &Projection,
) -> DrawResult<Caption, DB> {
    let frame = |max_bars: usize| {
        let mut note = notes(p);
        if let Some(grouped) = grouped_note(p, max_bars) {
            note = format!("{note}. {grouped}");
        }
        Frame {
            kicker: super::kicker(p),
            title: title(p),
            subtitle: rule_note(p, super::subtitle(p)),
            legend: Vec::new(),
            headline: None,
            footer: super::powertrain::credit_line(p, CREDIT, &note),
        }
    };
    let palette = MakerPalette::of(p);
    // The most bars whose rows fit under the frame that names the rest, tried on a scratch
    // SVG (text is measured the same way on every backend) so the chart is drawn once.
    let fits = |max_bars: usize| {
        let mut scratch = String::new();
        let probe =
            SVGBackend::with_string(&mut scratch, (page.width, page.height)).into_drawing_area();
        draw_frame(&probe, page, &frame(max_bars))
            .and_then(|(area, _)| Layout::try_fit(&area, page, p, &palette, max_bars))
            .is_ok_and(|layout| layout.fits())
    };
    let max_bars = (2..=MAX_PLANT_BARS).rev().find(|m| fits(*m)).unwrap_or(2);
    let (area, caption) = draw_frame(root, page, &frame(max_bars))?;
    let layout = Layout::try_fit(&area, page, p, &palette, max_bars)?;
    layout.draw(root, page, p)?;
    Ok(caption)
}

/// Where everything goes: the label column, the rows and the value axis.
struct Layout {
    bars: Vec<Bar>,
    labels: Vec<Vec<String>>,
    rows: Vec<(i32, i32)>,
    axis: ValueAxis,
    left: i32,
    top: i32,
    bottom: i32,
}

/// A line of body text.
fn line_height(page: &Page) -> i32 {
    (page.font(Role::Body) * 1.12).round() as i32
}

impl Layout {
    /// Whether the rows fit above the value axis.
    fn fits(&self) -> bool {
        self.rows.last().is_none_or(|r| r.1 <= self.bottom)
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
        let column = widest
            .min(((xs.end - xs.start) as f64 * 0.38) as i32)
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
        let spare = (bottom - top - heights.iter().sum::<i32>()).max(0);
        let extra = (spare / heights.len().max(1) as i32).min(line * 3 / 2);
        let mut rows = Vec::new();
        let mut y = top;
        for h in heights {
            rows.push((y, y + h + extra));
            y += h + extra;
        }
        let value_style = page.bold(Role::Body, INK);
        let gap = page.ui(0.3);
        let mut after = Vec::new();
        for b in &bars {
            let text = value_text(b);
            after.push((
                b.from.max(b.to),
                text_size(area, &text, &value_style)?.0 + gap,
            ));
        }
        let reach = bars.iter().flat_map(|b| [b.from, b.to]).fold(0.0, f64::max);
        let axis = ValueAxis::fitting(x0, right, reach * 1.02, &after);
        Ok(Layout {
            bars,
            labels,
            rows,
            axis,
            left,
            top,
            bottom,
        })
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
        _p: &Projection,
    ) -> DrawResult<(), DB> {
        let axis = &self.axis;
        axis.draw(root, page, (self.top, self.bottom), &|v| {
            if v.abs() < 0.5 {
                "0".into()
            } else if v >= 1_000.0 {
                format!("{}k", trim(v / 1_000.0))
            } else {
                format!("{v:.0}")
            }
        })?;
        root.draw(&Text::new(
            "Direct jobs",
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
            if let Some(next) = self.bars.get(i + 1)
                && next.kind != Kind::End
            {
                let x = axis.px(bar.to);
                let next_mid = (self.rows[i + 1].0 + self.rows[i + 1].1) / 2;
                root.draw(&PathElement::new(
                    vec![(x, mid + thick), (x, next_mid - thick)],
                    MUTED.stroke_width(page.stroke(0.4)),
                ))?;
            }
        }
        for (i, bar) in self.bars.iter().enumerate() {
            let (y0, y1) = self.rows[i];
            let x = axis.px(bar.from.max(bar.to)) + page.ui(0.3);
            boxed(
                root,
                page,
                &value_text(bar),
                &anchor(&page.bold(Role::Body, INK), HPos::Left, VPos::Center),
                (x, (y0 + y1) / 2),
            )?;
        }
        Ok(())
    }

    /// One bar; a change too small to see gets a minimum width so its colour shows.
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
            if bar.to >= bar.from {
                x1 = x0 + least;
            } else {
                x0 = x1 - least;
            }
        }
        let rect = [(x0, top), (x1, bottom)];
        match bar.kind {
            Kind::Start => root.draw(&Rectangle::new(rect, TOTAL.filled())),
            Kind::End => {
                root.draw(&Rectangle::new(rect, pale(TOTAL, 0.55).filled()))?;
                root.draw(&Rectangle::new(rect, TOTAL.stroke_width(page.stroke(0.5))))
            }
            Kind::Change(colour) => root.draw(&Rectangle::new(rect, colour.filled())),
            Kind::Grouped => root.draw(&Rectangle::new(rect, GROUPED.filled())),
        }
    }
}

/// A bar's figure: totals as counts, changes signed.
fn value_text(bar: &Bar) -> String {
    match bar.kind {
        Kind::Start | Kind::End => count(bar.to),
        Kind::Change(_) | Kind::Grouped => signed(bar.to - bar.from),
    }
}

/// A number with at most one decimal and no trailing zero: "10", "2.5".
fn trim(x: f64) -> String {
    let text = format!("{x:.1}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_signed_with_a_true_minus() {
        assert_eq!(signed(-1_120.0), "−1,120");
        assert_eq!(signed(1_500.4), "+1,500");
        assert_eq!(signed(0.3), "0");
        assert_eq!(trim(10.0), "10");
        assert_eq!(trim(2.5), "2.5");
    }
}
