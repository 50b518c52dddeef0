//! The tornado chart: how far each uncertain input alone moves the total in one year.
//!
//! Laid out in pixels rather than on a plotters chart, because rows take the height their
//! wrapped labels need and the label column takes the width its longest label needs.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{
    Caption, Frame, GRID, HIGH, INK, LOW, MUTED, Page, Role, Swatch, TARGET, anchored, draw_frame,
    millions, millions2, short, wrap_all,
};
use super::{DrawResult, footer};
use crate::engine::{Basis, Projection};
use crate::export::{InputLabel, input_label};
use crate::scenario::Uncertain;
use crate::uncertainty::Swing;

/// An input whose ends move the total by less than this has no effect worth a bar: it is
/// named in the note under the chart instead (the same threshold as "on target").
pub const NO_EFFECT: f64 = 5_000.0;

/// At most this many inputs are drawn, the largest swings, however much room there is.
const MAX_ROWS: usize = 12;

/// The label column takes at most this share of the width between the margins.
const LABEL_SHARE: f64 = 0.42;

/// What the tornado shows: the swings, the inputs' declared ranges (for an item's chance),
/// the year, the total the bars swing from, and the target path in that year. The swings and
/// the centre are on the projection's basis: expected values (means of the draws) when it is
/// the expected projection, else the modal case.
pub struct Tornado<'a> {
    /// The sensitivity, largest swing first.
    pub swings: &'a [Swing],
    /// The scenario's uncertain inputs.
    pub uncertain: &'a [Uncertain],
    /// The year whose total is compared.
    pub year: i32,
    /// The scenario's headline total that year (the expected value, or the modal case with
    /// no draws): where every bar starts.
    pub central: f64,
    /// The target path that year.
    pub target: f64,
}

/// One input that gets a bar.
struct Row<'a> {
    swing: &'a Swing,
    lines: Vec<String>,
}

/// Draw the tornado chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    p: &Projection,
    t: &Tornado<'_>,
) -> DrawResult<Caption, DB> {
    let labelled: Vec<(InputLabel, &Swing)> = t
        .swings
        .iter()
        .map(|s| (input_label(p, s, t.uncertain), s))
        .collect();
    let (moving, still): (Vec<_>, Vec<_>) =
        labelled.iter().partition(|(_, s)| s.swing >= NO_EFFECT);
    let draws = draws_of(p);
    let frame = Frame {
        kicker: super::kicker(p),
        title: title(t.year, moving.first().map(|(l, s)| (l, *s))),
        subtitle: subtitle(p, t, draws, moving.is_empty()),
        // With no bars there is nothing to key: the subtitle gives the centre instead.
        legend: if moving.is_empty() {
            Vec::new()
        } else {
            legend(p, t, draws)
        },
        headline: None,
        footer: footer(p, ""),
    };
    let (area, caption) = draw_frame(root, page, &frame)?;
    let left = page.margin();
    let right = page.width as i32 - page.margin();
    let top = area.get_base_pixel().1;
    let bottom = top + area.dim_in_pixel().1 as i32;
    let note_style = page.text(Role::Note, MUTED);
    let note_step = (page.font(Role::Note) * 1.15).round() as i32;
    let width = (right - left) as u32;
    if moving.is_empty() {
        let text = note_text(t.year, &still, 0, None);
        for (i, line) in wrap_all(root, &text, &note_style, width)?
            .into_iter()
            .enumerate()
        {
            root.draw(&Text::new(
                line,
                (left, top + page.ui(0.3) + note_step * i as i32),
                note_style.clone(),
            ))?;
        }
        return Ok(caption);
    }

    // The label column: as wide as the longest label, wrapped at a share of the width.
    let label_style = anchored(page.text(Role::Body, INK), HPos::Right, VPos::Center);
    let cap = (f64::from(right - left) * LABEL_SHARE) as u32;
    let mut rows = Vec::new();
    for (label, swing) in moving.iter().take(MAX_ROWS) {
        let lines = label_lines(root, label, &label_style, cap)?;
        rows.push(Row { swing, lines });
    }
    let mut column = 0;
    for line in rows.iter().flat_map(|r| &r.lines) {
        column = column.max(root.estimate_text_size(line, &label_style)?.0 as i32);
    }

    // Rows take the height their labels need; those that do not fit are counted in the note.
    let line_h = (page.font(Role::Body) * 1.15).round() as i32;
    let gap = page.ui(0.45);
    let row_h = |r: &Row<'_>| (line_h * r.lines.len() as i32).max(page.ui(0.9)) + gap;
    let tick_h = (page.font(Role::Tick) * 1.6).round() as i32;
    let mut shown = rows.len();
    let (note, room) = loop {
        let hidden = moving.len() - shown;
        let largest = moving.get(shown).map(|(_, s)| s.swing);
        let text = note_text(t.year, &still, hidden, largest);
        let lines = wrap_all(root, &text, &note_style, width)?;
        let note_h = if lines.is_empty() {
            0
        } else {
            note_step * lines.len() as i32 + page.ui(0.5)
        };
        let room = bottom - top - tick_h - note_h;
        let fit = fitting(&rows, room, row_h);
        if fit >= shown {
            break (lines, room);
        }
        shown = fit;
    };
    rows.truncate(shown);
    // Room left over spaces the rows out a little; the rest stays under the note.
    let used: i32 = rows.iter().map(row_h).sum();
    let extra = ((room - used) / rows.len().max(1) as i32).clamp(0, page.ui(1.5));
    let pitch = |r: &Row<'_>| row_h(r) + extra;

    let plot_left = left + column + page.ui(0.6);
    let rows_top = top + page.ui(0.2);
    let rows_bottom = rows_top + rows.iter().map(pitch).sum::<i32>();
    let value_style = page.text(Role::Note, MUTED);
    let scale = scale(root, t, &rows, &value_style, (plot_left, right))?;
    let span = (rows_top, rows_bottom);
    draw_grid(root, page, &scale, span)?;
    let mut mids = Vec::new();
    let mut y = rows_top;
    for row in &rows {
        let mid = y + pitch(row) / 2;
        draw_bars(root, page, &scale, row.swing, t.central, (mid, extra))?;
        mids.push(mid);
        y += pitch(row);
    }
    draw_references(root, page, &scale, t, span)?;
    for (row, mid) in rows.iter().zip(mids) {
        draw_values(root, page, &scale, row.swing, t.central, mid)?;
        let first = mid - line_h * (row.lines.len() as i32 - 1) / 2;
        for (i, line) in row.lines.iter().enumerate() {
            root.draw(&Text::new(
                line.clone(),
                (plot_left - page.ui(0.6), first + line_h * i as i32),
                label_style.clone(),
            ))?;
        }
    }
    let note_top = rows_bottom + tick_h + page.ui(0.5);
    for (i, line) in note.into_iter().enumerate() {
        root.draw(&Text::new(
            line,
            (left, note_top + note_step * i as i32),
            note_style.clone(),
        ))?;
    }
    Ok(caption)
}

/// The number of draws when the figures are expected values (means of draws), else `None`
/// (the modal case).
fn draws_of(p: &Projection) -> Option<usize> {
    match p.basis {
        Basis::Expected { draws, .. } => Some(draws),
        Basis::Certain | Basis::Modal => None,
    }
}

/// A row's label on lines no wider than `width`: the name wrapped, its range kept whole on
/// the last line ("no / yes" is never split).
fn label_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    label: &InputLabel,
    style: &TextStyle<'_>,
    width: u32,
) -> DrawResult<Vec<String>, DB> {
    let mut lines = wrap_all(root, &format!("{}:", label.name), style, width)?;
    let last = lines.pop().unwrap_or_default();
    let joined = format!("{last} {}", label.range);
    if root.estimate_text_size(&joined, style)?.0 <= width {
        lines.push(joined);
    } else {
        lines.push(last);
        lines.extend(wrap_all(root, &label.range, style, width)?);
    }
    Ok(lines)
}

/// The message: which input moves the total most, and by how much.
fn title(year: i32, top: Option<(&InputLabel, &Swing)>) -> String {
    let Some((label, s)) = top else {
        return format!(
            "No single input moves {year} output by {} vehicles or more",
            crate::export::format_count(NO_EFFECT)
        );
    };
    let mut phrase = label.phrase.clone();
    if let Some(first) = phrase.get(..1) {
        phrase.replace_range(..1, &first.to_uppercase());
    }
    format!("{phrase} moves {year} output most, by {}", short(s.swing))
}

/// What the centre and the bars are. With draws: the expected output (the headline figure)
/// and each bar the expected output with one input fixed at an end. Without: each input
/// alone at an end of the modal case, and, with no bars to draw (`no_bars`), the modal
/// case's value, which the key would otherwise give.
fn subtitle(p: &Projection, t: &Tornado<'_>, draws: Option<usize>, no_bars: bool) -> String {
    let mut parts = vec![crate::export::modified_note(p)];
    match draws {
        Some(draws) => parts.push(format!(
            "Expected {} output {} (mean of {} draws); each bar: the expected output with that \
             input fixed at the low or high end of its range",
            t.year,
            millions2(t.central),
            crate::export::format_count(draws as f64)
        )),
        None => {
            parts.push(
                "Each input alone at the low and high end of its range, the others as in the \
                 modal case (most likely values, every uncertain item happening)"
                    .into(),
            );
            if no_bars {
                parts.push(format!("The modal case is {}", millions2(t.central)));
            }
        }
    }
    parts.retain(|s| !s.is_empty());
    parts.join(". ")
}

/// The key: the two ends, the centre (the expected value, or the modal case), the target.
fn legend(p: &Projection, t: &Tornado<'_>, draws: Option<usize>) -> Vec<(Swatch, String)> {
    let centre = match draws {
        Some(_) => format!("Expected {}", millions2(t.central)),
        None => format!("Modal case {}", millions2(t.central)),
    };
    vec![
        (Swatch::Block(LOW), "Low end (no)".into()),
        (Swatch::Block(HIGH), "High end (yes)".into()),
        (Swatch::Line(INK), centre),
        (Swatch::Dashed(TARGET), target_words(p, t)),
    ]
}

/// The target line's one label: the target itself from its year on, else the straight
/// line's value in the year.
fn target_words(p: &Projection, t: &Tornado<'_>) -> String {
    if t.year >= p.target.year {
        format!("{} target, {}", millions(p.target.volume), p.target.year)
    } else {
        format!(
            "Straight line to the {} target, {}: {}",
            millions(p.target.volume),
            t.year,
            millions2(t.target)
        )
    }
}

/// The most inputs with no effect that the note names; more are counted.
const MAX_NO_EFFECT_NAMES: usize = 4;

/// The note under the chart: inputs with no effect, by name, and how many
/// smaller ones there was no room for.
fn note_text(
    year: i32,
    still: &[&(InputLabel, &Swing)],
    hidden: usize,
    largest: Option<f64>,
) -> String {
    let mut parts = Vec::new();
    if !still.is_empty() {
        // The data's base-year outputs are one kind of input, often many: one phrase for all.
        let is_data = |s: &Swing| s.parameter.starts_with("data.");
        let data: Vec<&str> = still
            .iter()
            .filter(|(_, s)| is_data(s))
            .map(|(l, _)| l.name.as_str())
            .collect();
        let mut names: Vec<String> = still
            .iter()
            .filter(|(_, s)| !is_data(s))
            .map(|(l, _)| l.name.clone())
            .collect();
        match data.as_slice() {
            [] => {}
            [one] => names.push(one.to_string()),
            many => names.push(format!(
                "the data's base-year output of {} plants (listed in sensitivity.csv)",
                many.len()
            )),
        }
        // A long list would take the room of the bars that matter: past a few, a count.
        let listed = if names.len() > MAX_NO_EFFECT_NAMES {
            format!(
                "{} inputs (listed in sensitivity.csv)",
                names.len() + data.len().saturating_sub(1)
            )
        } else {
            names.join("; ")
        };
        parts.push(format!(
            "No effect on {year} output (under {} vehicles): {listed}",
            crate::export::format_count(NO_EFFECT),
        ));
    }
    if hidden > 0 {
        let each = largest.map_or(String::new(), |v| format!(" ({} or less each)", short(v)));
        let inputs = if hidden == 1 { "input" } else { "inputs" };
        parts.push(format!("{hidden} more {inputs} not drawn for room{each}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}.", parts.join(". "))
    }
}

/// How many rows, from the first, fit in `room` pixels.
fn fitting(rows: &[Row<'_>], room: i32, row_h: impl Fn(&Row<'_>) -> i32) -> usize {
    let mut used = 0;
    rows.iter()
        .take_while(|r| {
            used += row_h(r);
            used <= room
        })
        .count()
}

/// The value axis: data range to pixels, with ticks.
struct Scale {
    lo: f64,
    hi: f64,
    x0: i32,
    x1: i32,
    ticks: Vec<f64>,
    /// Ticks in millions (else thousands), with this many decimals.
    millions: bool,
    decimals: usize,
}

impl Scale {
    /// The pixel of a value.
    fn px(&self, v: f64) -> i32 {
        let share = (v - self.lo) / (self.hi - self.lo);
        self.x0 + (share * f64::from(self.x1 - self.x0)).round() as i32
    }

    /// A tick's label, every tick with the same decimals: "1.20m", "850k".
    fn tick(&self, v: f64) -> String {
        if self.millions {
            format!("{:.*}m", self.decimals, v / 1e6)
        } else {
            format!("{:.*}k", self.decimals, v / 1e3)
        }
    }
}

/// The values at a row's bar ends, as written beside them: (left, right). An end at the centre
/// needs no label (the key gives it); two ends on one side share the outer label.
fn end_labels(s: &Swing, central: f64) -> (Option<String>, Option<String>) {
    let at_centre = |v: f64| (v - central).abs() < 500.0;
    let (low, high) = (s.total_at_low, s.total_at_high);
    let below = |v: f64| !at_centre(v) && v < central;
    let above = |v: f64| !at_centre(v) && v > central;
    if below(low) && below(high) {
        let both = format!("low {}, high {}", millions2(low), millions2(high));
        return (Some(both), None);
    }
    if above(low) && above(high) {
        let both = format!("low {}, high {}", millions2(low), millions2(high));
        return (None, Some(both));
    }
    let label = |v: f64| Some(millions2(v));
    let (min, max) = (low.min(high), low.max(high));
    (
        below(min).then(|| label(min)).flatten(),
        above(max).then(|| label(max)).flatten(),
    )
}

/// The axis: every value drawn, with room on each side for the value labels.
fn scale<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &Tornado<'_>,
    rows: &[Row<'_>],
    value_style: &TextStyle<'_>,
    (x0, x1): (i32, i32),
) -> DrawResult<Scale, DB> {
    let values = rows
        .iter()
        .flat_map(|r| [r.swing.total_at_low, r.swing.total_at_high])
        .chain([t.central, t.target])
        .filter(|v| v.is_finite());
    let (mut lo, mut hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    // A narrow range still gets an axis a few ticks wide.
    let span = (hi - lo).max(40_000.0);
    let mid = (lo + hi) / 2.0;
    (lo, hi) = (lo.min(mid - span / 2.0), hi.max(mid + span / 2.0));
    let (mut room_left, mut room_right) = (0, 0);
    for row in rows {
        let (l, r) = end_labels(row.swing, t.central);
        if let Some(l) = l {
            room_left = room_left.max(root.estimate_text_size(&l, value_style)?.0 as i32);
        }
        if let Some(r) = r {
            room_right = room_right.max(root.estimate_text_size(&r, value_style)?.0 as i32);
        }
    }
    // The value labels sit outside the bars; widen the range so they stay inside the plot.
    let pad = root.estimate_text_size("0", value_style)?.0 as i32;
    let (room_left, room_right) = (room_left + 2 * pad, room_right + 2 * pad);
    let inner = f64::from((x1 - x0 - room_left - room_right).max(1));
    let per_px = (hi - lo) / inner;
    let (lo, hi) = (
        lo - f64::from(room_left) * per_px,
        hi + f64::from(room_right) * per_px,
    );
    let (ticks, millions, decimals) = ticks(lo, hi);
    Ok(Scale {
        lo,
        hi,
        x0,
        x1,
        ticks,
        millions,
        decimals,
    })
}

/// Round ticks inside `lo..hi` (steps of 1, 2 or 5 times a power of ten, as near six of
/// them as they come), in millions (as the bar values) unless the axis stays under 100,000,
/// with the decimals the step needs.
fn ticks(lo: f64, hi: f64) -> (Vec<f64>, bool, usize) {
    let span = hi - lo;
    // A zero-width or non-finite range has no round ticks (and a zero step would never end).
    if !(span.is_finite() && span > 0.0) {
        return (Vec::new(), hi >= 100_000.0, 0);
    }
    let power = 10f64.powf((span / 6.0).log10().floor());
    let count = |step: f64| ((hi / step).floor() - (lo / step).ceil() + 1.0).max(0.0);
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .min_by(|a, b| (count(*a) - 6.0).abs().total_cmp(&(count(*b) - 6.0).abs()))
        .unwrap_or(power);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    let ticks: Vec<f64> = (first..=last).map(|k| k as f64 * step).collect();
    // Millions as the value labels are, unless the whole axis is small.
    let millions = hi >= 100_000.0;
    let unit = if millions { 1e6 } else { 1e3 };
    let needed = (-(step / unit).log10() - 1e-9).ceil().max(0.0) as usize;
    let decimals = if millions { needed.max(2) } else { needed };
    (ticks, millions, decimals)
}

/// Gridlines and tick labels under the rows.
fn draw_grid<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    scale: &Scale,
    (top, bottom): (i32, i32),
) -> DrawResult<(), DB> {
    let tick_style = anchored(page.text(Role::Tick, MUTED), HPos::Center, VPos::Top);
    for v in &scale.ticks {
        let x = scale.px(*v);
        root.draw(&PathElement::new(
            vec![(x, top), (x, bottom)],
            GRID.stroke_width(page.stroke(0.5)),
        ))?;
        root.draw(&Text::new(
            scale.tick(*v),
            (x, bottom + page.ui(0.25)),
            tick_style.clone(),
        ))?;
    }
    root.draw(&PathElement::new(
        vec![(scale.x0, bottom), (scale.x1, bottom)],
        MUTED.stroke_width(page.stroke(0.4)),
    ))
}

/// One row's two bars from the centre (thicker when the rows have room to spare), the
/// farther end first so that the nearer one shows on top when both lie on one side.
fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    scale: &Scale,
    s: &Swing,
    central: f64,
    (mid, extra): (i32, i32),
) -> DrawResult<(), DB> {
    let half = page.ui(0.4) + extra / 4;
    let mut ends = [(s.total_at_low, LOW), (s.total_at_high, HIGH)];
    ends.sort_by(|a, b| (b.0 - central).abs().total_cmp(&(a.0 - central).abs()));
    for (total, colour) in ends {
        let (a, b) = (scale.px(central.min(total)), scale.px(central.max(total)));
        // An end at the centre has no bar.
        if a == b {
            continue;
        }
        root.draw(&Rectangle::new(
            [(a, mid - half), (b, mid + half)],
            colour.filled(),
        ))?;
    }
    Ok(())
}

/// The values at a row's bar ends, on white so that a reference line behind stays clear of
/// the digits.
fn draw_values<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    scale: &Scale,
    s: &Swing,
    central: f64,
    mid: i32,
) -> DrawResult<(), DB> {
    let (left, right) = end_labels(s, central);
    let pad = page.ui(0.3);
    let lowest = scale.px(s.total_at_low.min(s.total_at_high).min(central));
    let highest = scale.px(s.total_at_low.max(s.total_at_high).max(central));
    for (text, x, h) in [
        (left, lowest - pad, HPos::Right),
        (right, highest + pad, HPos::Left),
    ] {
        let Some(text) = text else { continue };
        let style = anchored(page.text(Role::Note, MUTED), h, VPos::Center);
        let (w, th) = root.estimate_text_size(&text, &style)?;
        let (w, th) = (w as i32, th as i32);
        let x0 = if matches!(h, HPos::Right) { x - w } else { x };
        let margin = page.ui(0.1);
        root.draw(&Rectangle::new(
            [
                (x0 - margin, mid - th / 2 - margin),
                (x0 + w + margin, mid + th / 2 + margin),
            ],
            WHITE.filled(),
        ))?;
        root.draw(&Text::new(text, (x, mid), style))?;
    }
    Ok(())
}

/// The centre (where the bars start) and the target, across every row.
fn draw_references<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    scale: &Scale,
    t: &Tornado<'_>,
    (top, bottom): (i32, i32),
) -> DrawResult<(), DB> {
    let top = top - page.ui(0.2);
    if t.central.is_finite() {
        let x = scale.px(t.central);
        root.draw(&PathElement::new(
            vec![(x, top), (x, bottom)],
            INK.stroke_width(page.stroke(1.0)),
        ))?;
    }
    if t.target.is_finite() {
        // Dashed with a steady rhythm, drawn over the centre line when they coincide.
        let x = scale.px(t.target);
        let (on, off) = (page.ui(0.45), page.ui(0.3));
        let mut y = top;
        while y < bottom {
            root.draw(&PathElement::new(
                vec![(x, y), (x, (y + on).min(bottom))],
                TARGET.stroke_width(page.stroke(1.0)),
            ))?;
            y += on + off;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_share_their_decimals() {
        // 1.10m to 1.40m: a step of 0.05m, every tick with two decimals.
        let (t, millions, decimals) = ticks(1_100_000.0, 1_400_000.0);
        assert_eq!(t.first().copied(), Some(1_100_000.0));
        assert_eq!(t.len(), 7);
        assert!(millions);
        assert_eq!(decimals, 2);
        // Below 100,000: thousands, no decimals.
        let (_, millions, decimals) = ticks(60_000.0, 90_000.0);
        assert!(!millions);
        assert_eq!(decimals, 0);
        // A narrow range around a million: steps of 5,000 need three decimals.
        let (_, _, decimals) = ticks(1_290_000.0, 1_310_000.0);
        assert_eq!(decimals, 3);
    }
}
