//! Several scenarios' projections side by side, with history and the straight line to the
//! target: each scenario in its own colour (the same in every chart), labelled at its end.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::DrawResult;
use super::style::{
    Caption, Frame, GRID, INK, MUTED, Page, Role, ScenarioPalette, Swatch, TARGET, anchored,
    axis_top, axis_value, draw_frame, millions, millions2, pale, wrap_all,
};
use crate::engine::{Basis, Projection};
use crate::scenario::Target;
use crate::uncertainty::Uncertainty;

/// A scenario within this of the target in the target year reaches it (as on the path chart:
/// an illustration is not precise to the vehicle).
const ON_TARGET: f64 = 5_000.0;

/// An end label wraps when it is wider than this share of the page width.
const LABEL_SHARE: f64 = 0.27;

/// A long name may take up to this share of the page width, so that it wraps onto two lines
/// rather than four.
const WIDE_SHARE: f64 = 0.34;

/// Draw the comparison chart; `from` is the first year drawn (by default the first year from
/// which the national total is unbroken).
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    projections: &[Projection],
    spreads: Option<&[Uncertainty]>,
    from: Option<i32>,
) -> DrawResult<Caption, DB> {
    let Some(first) = projections.first() else {
        return Ok(Caption::default());
    };
    let palette = ScenarioPalette::of(projections);
    let colour = |p: &Projection| palette.colour(&p.scenario);
    let spread_of = |i: usize| {
        spreads
            .and_then(|s| s.get(i))
            .filter(|u| !u.bands.is_empty())
    };
    let with_draws = (0..projections.len()).any(|i| spread_of(i).is_some());
    // The target path and mark come from the scenario that runs furthest (the first of them),
    // so that they reach the chart's last year.
    let longest = projections
        .iter()
        .rev()
        .max_by_key(|p| p.end_year)
        .unwrap_or(first);
    let end = longest.end_year;
    let start = from
        .unwrap_or_else(|| super::unbroken_from(first))
        .min(first.base_year);
    let frame = Frame {
        kicker: format!("UK vehicle production, {start}–{end}"),
        title: title(projections, longest.target),
        subtitle: subtitle(projections),
        legend: legend(longest, with_draws),
        footer: footer(projections),
        headline: None,
    };
    let (area, caption) = draw_frame(root, page, &frame)?;

    // End labels, measured first: the right margin is as wide as the widest.
    let mut labels = end_labels(root, page, projections, end)?;
    let column = labels
        .iter()
        .flat_map(|l| &l.lines)
        .map(|line| root.estimate_text_size(line, &labels_style(page, INK)))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .map(|(w, _)| w as i32)
        .max()
        .unwrap_or(0);

    let history = super::actual_totals(first, start);
    let max = projections
        .iter()
        .flat_map(|p| {
            p.national
                .iter()
                .filter(|n| n.year >= start)
                .filter_map(|n| n.total)
        })
        .chain(
            (0..projections.len())
                .filter_map(spread_of)
                .flat_map(|u| u.bands.iter().map(|b| b.percentiles[6])),
        )
        .fold(first.target.volume, f64::max);
    let tick = page.text(Role::Tick, MUTED);
    let tick_w = root.estimate_text_size("0.25m", &tick)?.0 as i32;
    let y_axis = tick_w + (page.font(Role::Tick) * 1.6).round() as i32 + page.ui(0.6);
    let right_margin = column + page.margin();
    // Room before the first year for half a year label, so that a tick on it stays clear of
    // the value axis's "0" (at least half a year).
    let plot_w = f64::from(area.dim_in_pixel().0 as i32 - y_axis - right_margin).max(1.0);
    let half_year_label = f64::from(root.estimate_text_size("2000", &tick)?.0) / 2.0 + page.u(0.3);
    let lead = (half_year_label / (plot_w / f64::from(end - start + 1))).max(0.5);
    let mut chart = ChartBuilder::on(&area)
        // The labels end at the frame's margin.
        .margin_right(right_margin)
        .margin_top(page.ui(0.3))
        .x_label_area_size((page.font(Role::Tick) * 1.8).round() as i32)
        .y_label_area_size(y_axis)
        .build_cartesian_2d(
            f64::from(start) - lead..f64::from(end) + 0.5,
            0.0..axis_top(max),
        )?;
    axes(&mut chart, page, start, (end - start) / 3)?;
    for (i, p) in projections.iter().enumerate() {
        if let Some(u) = spread_of(i) {
            let base = (f64::from(p.base_year), p.summary.base_total);
            super::band(&mut chart, base, u, (0, 6), colour(p).mix(0.15).filled())?;
        }
    }
    let path = super::target_line(longest);
    chart.draw_series(LineSeries::new(path, TARGET.stroke_width(page.stroke(0.7))))?;
    super::draw_runs(&mut chart, page, history, INK)?;
    // The first scenario named is drawn last, on top; each line on a white halo so that a
    // line crossing under it stays readable on both sides.
    for p in projections.iter().rev() {
        let points: Vec<(i32, i32)> = projected(p)
            .iter()
            .map(|pt| chart.backend_coord(pt))
            .collect();
        root.draw(&PathElement::new(
            points.clone(),
            WHITE.stroke_width(page.stroke(2.6)),
        ))?;
        for dash in dashes(&points, page.u(0.7), page.u(0.35)) {
            root.draw(&PathElement::new(
                dash,
                colour(p).stroke_width(page.stroke(1.2)),
            ))?;
        }
        if let Some(last) = points.last() {
            root.draw(&Circle::new(*last, page.ui(0.2), colour(p).filled()))?;
        }
    }
    let (target_point, target_label) = super::target_mark(longest, end);
    chart.draw_series(std::iter::once(Circle::new(
        target_point,
        page.ui(0.3),
        TARGET.stroke_width(page.stroke(1.0)),
    )))?;

    // Labels stacked in the right margin, in value order, each near its line's end.
    labels.push(EndLabel {
        value: target_point.1,
        lines: vec![target_label],
        colour: TARGET,
        name: String::new(),
    });
    labels.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.name.cmp(&b.name)));
    let line_h = (page.font(Role::Body) * 1.15).round() as i32;
    let heights: Vec<i32> = labels
        .iter()
        .map(|l| line_h * l.lines.len() as i32)
        .collect();
    let wanted: Vec<i32> = labels
        .iter()
        .map(|l| chart.backend_coord(&(f64::from(end), l.value)).1)
        .collect();
    // From the top of the area under the frame to the foot of the plot, clear of the year
    // labels under it.
    let (_, plot_y) = chart.plotting_area().get_pixel_range();
    let top = area.get_base_pixel().1;
    let centres = stack(&wanted, &heights, page.ui(0.25), (top, plot_y.end));
    let (right, _) = chart.backend_coord(&(f64::from(end) + 0.5, 0.0));
    let x = right + page.ui(0.5);
    for ((label, centre), height) in labels.iter().zip(centres).zip(&heights) {
        let first_line = centre - height / 2 + line_h / 2;
        for (k, line) in label.lines.iter().enumerate() {
            root.draw(&Text::new(
                line.clone(),
                (x, first_line + line_h * k as i32),
                labels_style(page, label.colour),
            ))?;
        }
    }
    Ok(caption)
}

/// The axes: light horizontal gridlines, years as integers from `start` on (a tick plotters
/// puts in the room before it gets no label, which would sit under the value axis's "0").
fn axes<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    page: &Page,
    start: i32,
    x_labels: i32,
) -> DrawResult<(), DB> {
    let top = chart.y_range().end;
    let year = |x: &f64| {
        if *x < f64::from(start) - 0.01 {
            String::new()
        } else {
            format!("{}", x.round() as i64)
        }
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID.stroke_width(1))
        .axis_style(MUTED.stroke_width(page.stroke(0.4)))
        .x_labels(x_labels.clamp(2, 12) as usize)
        .y_labels(6)
        .x_label_formatter(&year)
        .y_label_formatter(&|y| axis_value(*y, top))
        .x_label_style(page.text(Role::Tick, MUTED))
        .y_label_style(page.text(Role::Tick, MUTED))
        .y_desc("Vehicles a year")
        .axis_desc_style(page.text(Role::Tick, MUTED))
        .draw()
}

/// The end labels' text style.
fn labels_style(page: &Page, colour: RGBColor) -> TextStyle<'static> {
    anchored(page.bold(Role::Body, colour), HPos::Left, VPos::Center)
}

/// A label at the right of the plot: its lines, the value it stands beside, and its colour.
struct EndLabel {
    value: f64,
    lines: Vec<String>,
    colour: RGBColor,
    /// The scenario, to order labels of equal value the same way every time.
    name: String,
}

/// Each scenario's end label: its display name and its end-year figure, saying what the
/// figure is when it is not a plain projection ("expected 0.90m"); the name wraps when the
/// label is wide, and the figure is never split.
fn end_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    projections: &[Projection],
    end: i32,
) -> DrawResult<Vec<EndLabel>, DB> {
    let palette = ScenarioPalette::of(projections);
    let style = labels_style(page, INK);
    let cap = (f64::from(page.width) * LABEL_SHARE) as u32;
    let wide = (f64::from(page.width) * WIDE_SHARE) as u32;
    let names = display_names(projections);
    let mut labels = Vec::new();
    for (p, name) in projections.iter().zip(names) {
        let value = projected(p).last().map_or(p.summary.end_total, |(_, v)| *v);
        let figure = match p.basis {
            Basis::Certain => millions2(value),
            other => format!("{} {}", other.word(), millions2(value)),
        };
        // A scenario that ends before the others says when.
        let figure = if p.end_year < end {
            format!("{figure} in {}", p.end_year)
        } else {
            figure
        };
        let lines = label_lines(root, &style, (&name, &figure), (cap, wide))?;
        labels.push(EndLabel {
            value,
            lines,
            colour: palette.colour(&p.scenario),
            name: p.scenario.clone(),
        });
    }
    Ok(labels)
}

/// An end label's lines: on one line when it fits `cap`; else the name on one line (up to
/// `wide`) and the figure under it; else the name wrapped onto two lines at the narrowest
/// width that allows (up to `wide`), the figure after it or under it. The figure is never split.
fn label_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    style: &TextStyle<'_>,
    (name, figure): (&str, &str),
    (cap, wide): (u32, u32),
) -> DrawResult<Vec<String>, DB> {
    let width = |s: &str| root.estimate_text_size(s, style).map(|(w, _)| w);
    let whole = format!("{name} {figure}");
    if width(&whole)? <= cap {
        return Ok(vec![whole]);
    }
    let name_w = width(name)?;
    if name_w <= wide {
        return Ok(vec![name.to_string(), figure.to_string()]);
    }
    let step = (wide / 40).max(1) as usize;
    let mut lines = Vec::new();
    let mut used = wide;
    for limit in (name_w / 2..=wide).step_by(step).chain([wide]) {
        lines = wrap_all(root, name, style, limit)?;
        used = limit;
        if lines.len() <= 2 {
            break;
        }
    }
    let last = lines.pop().unwrap_or_default();
    let joined = format!("{last} {figure}");
    if width(&joined)? <= used {
        lines.push(joined);
    } else {
        lines.push(last);
        lines.push(figure.to_string());
    }
    Ok(lines)
}

/// What readers call a scenario: its display name; for a `--set` variant without a title or
/// an `--as` name, its scenario's name (the subtitle says what was changed), not the name
/// its outputs go by ("baseline+669d6057").
fn reader_name(p: &Projection) -> &str {
    let auto_variant = !p.modified.is_empty()
        && p.scenario
            .strip_prefix(p.scenario_file.as_str())
            .is_some_and(|rest| rest.starts_with('+'));
    match &p.title {
        Some(title) => title,
        None if auto_variant => &p.scenario_file,
        None => &p.scenario,
    }
}

/// Every scenario's name for readers, told apart where two would read the same: a modified
/// one says so, and if that is not enough, the name its outputs go by is added.
fn display_names(projections: &[Projection]) -> Vec<String> {
    let count = |names: &[String], name: &str| names.iter().filter(|n| *n == name).count();
    let mut names: Vec<String> = projections
        .iter()
        .map(|p| reader_name(p).to_string())
        .collect();
    let first: Vec<String> = names.clone();
    for (name, p) in names.iter_mut().zip(projections) {
        if count(&first, name) > 1 && !p.modified.is_empty() {
            name.push_str(" (modified)");
        }
    }
    let second = names.clone();
    for (name, p) in names.iter_mut().zip(projections) {
        if count(&second, name) > 1 {
            *name = format!("{name} ({})", p.scenario);
        }
    }
    names
}

/// A scenario's projected line: from the base year's actual total to its end year.
fn projected(p: &Projection) -> Vec<(f64, f64)> {
    std::iter::once((f64::from(p.base_year), p.summary.base_total))
        .chain(
            p.national
                .iter()
                .filter(|n| n.year > p.base_year)
                .filter_map(|n| n.total.map(|t| (f64::from(n.year), t))),
        )
        .collect()
}

/// "three", for counts in a title.
fn count_word(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_string())
}

/// The first letter in capitals.
fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// The message: how many scenarios reach the target in its year (on the figure each line
/// shows), or, when no scenario runs to the target year, what they are measured against.
fn title(projections: &[Projection], target: Target) -> String {
    // A mean of draws is not an outcome: with draws, the title says what it tests.
    let on = if projections
        .iter()
        .any(|p| matches!(p.basis, Basis::Expected { .. }))
    {
        " on expected values"
    } else {
        ""
    };
    let goal = format!(
        "the {} target by {}{on}",
        millions(target.volume),
        target.year
    );
    let n = projections.len();
    let words = count_word(n);
    if projections.iter().all(|p| p.end_year < target.year) {
        return capitalised(&format!(
            "{words} scenarios against the straight line to the {} target for {}",
            millions(target.volume),
            target.year
        ));
    }
    let reaching: Vec<&Projection> = projections
        .iter()
        .filter(|p| {
            p.year(target.year)
                .and_then(|y| y.total)
                .is_some_and(|v| v >= target.volume - ON_TARGET)
        })
        .collect();
    match (reaching.len(), n) {
        (0, 2) => format!("Neither scenario reaches {goal}"),
        (0, _) => format!("None of the {words} scenarios reaches {goal}"),
        (2, 2) => format!("Both scenarios reach {goal}"),
        (k, _) if k == n => format!("All {words} scenarios reach {goal}"),
        // Quoted: a display name mid-sentence ("What 1.3m requires") reads as words.
        (1, _) => format!(
            "Of {words} scenarios, only \u{201c}{}\u{201d} reaches {goal}",
            reader_name(reaching[0])
        ),
        (k, _) => capitalised(&format!(
            "{} of the {words} scenarios reach {goal}",
            count_word(k)
        )),
    }
}

/// What the lines are and what was changed: one sentence per kind of figure shown, and
/// the `--set` changes (once, when every scenario has the same).
fn subtitle(projections: &[Projection]) -> String {
    let mut parts = Vec::new();
    let modified: Vec<&Projection> = projections
        .iter()
        .filter(|p| !p.modified.is_empty())
        .collect();
    let same = modified.len() == projections.len()
        && modified.windows(2).all(|w| w[0].modified == w[1].modified);
    if same && let Some(p) = modified.first() {
        // The note's changes, after "Modified from scenario NAME: ", said once for all.
        let note = crate::export::modified_note(p);
        let changes = note.split_once(": ").map_or(note.as_str(), |(_, c)| c);
        parts.push(format!("Every scenario modified: {changes}"));
    } else {
        parts.extend(modified.into_iter().map(crate::export::modified_note));
    }
    if let Some(draws) = projections.iter().find_map(|p| match p.basis {
        Basis::Expected { draws, .. } => Some(draws),
        _ => None,
    }) {
        parts.push(format!(
            "Scenarios with ranges: the expected value, the mean of {} draws",
            crate::export::format_count(draws as f64)
        ));
    }
    if projections.iter().any(|p| p.basis == Basis::Modal) {
        parts.push("Modal case: every uncertain item happens, at its most likely value".into());
    }
    parts.join(". ")
}

/// The key, one row: actual, projected, the straight line to the target, and the band.
fn legend(longest: &Projection, with_draws: bool) -> Vec<(Swatch, String)> {
    let mut legend = vec![
        (Swatch::Line(INK), "Actual".to_string()),
        (
            Swatch::Dashed(MUTED),
            if with_draws {
                "Projected (expected where uncertain)".to_string()
            } else {
                "Projected".to_string()
            },
        ),
        (
            Swatch::Line(TARGET),
            format!(
                "Straight line to the {} target",
                millions(longest.target.volume)
            ),
        ),
    ];
    if with_draws {
        legend.push((
            Swatch::Block(pale(MUTED, 0.3)),
            "5th to 95th percentile of draws".into(),
        ));
    }
    legend
}

/// The source line: the scenarios and their inputs' fingerprints.
fn footer(projections: &[Projection]) -> String {
    let names: Vec<String> = projections
        .iter()
        .map(|p| format!("{} ({})", p.scenario, p.fingerprint()))
        .collect();
    format!(
        "Source: SMMT; projection: ukprod, scenarios {}",
        names.join(", ")
    )
}

/// A polyline in pixels cut into dashes of `on` pixels with `off` between, the pattern
/// running on across the line's points (so the dashes are even where the line bends).
fn dashes(points: &[(i32, i32)], on: f64, off: f64) -> Vec<Vec<(i32, i32)>> {
    let mut out = Vec::new();
    let mut current: Vec<(i32, i32)> = Vec::new();
    // Where in the on-off cycle the pen is.
    let mut phase = 0.0;
    let period = on + off;
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
        let length = dx.hypot(dy);
        let at = |d: f64| {
            let t = if length > 0.0 { d / length } else { 0.0 };
            (a.0 + (dx * t).round() as i32, a.1 + (dy * t).round() as i32)
        };
        let mut d = 0.0;
        while d < length {
            let drawing = phase < on;
            let left_in_state = if drawing { on - phase } else { period - phase };
            let step = left_in_state.min(length - d);
            if drawing {
                if current.is_empty() {
                    current.push(at(d));
                }
                current.push(at(d + step));
            }
            d += step;
            phase += step;
            if phase >= period - 1e-9 {
                phase = 0.0;
            }
            if phase >= on && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        }
    }
    if current.len() > 1 {
        out.push(current);
    }
    out
}

/// Centres for labels of the given heights, in order from top to bottom, each as near its
/// wanted centre as the labels above and below allow, `gap` apart, within `top..bottom`
/// where they fit.
fn stack(wanted: &[i32], heights: &[i32], gap: i32, (top, bottom): (i32, i32)) -> Vec<i32> {
    let mut centres: Vec<i32> = wanted.to_vec();
    for i in 0..centres.len() {
        let floor = if i == 0 {
            top + heights[i] / 2
        } else {
            centres[i - 1] + (heights[i - 1] + heights[i]) / 2 + gap
        };
        centres[i] = centres[i].max(floor);
    }
    // Push back up from the bottom, then down again from the top if that went too far.
    for i in (0..centres.len()).rev() {
        let ceiling = if i + 1 == centres.len() {
            bottom - heights[i] / 2
        } else {
            centres[i + 1] - (heights[i + 1] + heights[i]) / 2 - gap
        };
        centres[i] = centres[i].min(ceiling);
    }
    for i in 0..centres.len() {
        let floor = if i == 0 {
            top + heights[i] / 2
        } else {
            centres[i - 1] + (heights[i - 1] + heights[i]) / 2 + gap
        };
        centres[i] = centres[i].max(floor);
    }
    centres
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_keep_their_rhythm_across_points() {
        // A straight line of 100 px in two pieces (40 + 60): dashes of 20 with gaps of 10
        // run 0-20, 30-50, 60-80, 90-100 whatever the break at 40.
        let dashes = dashes(&[(0, 0), (40, 0), (100, 0)], 20.0, 10.0);
        let spans: Vec<(i32, i32)> = dashes.iter().map(|d| (d[0].0, d[d.len() - 1].0)).collect();
        assert_eq!(spans, [(0, 20), (30, 50), (60, 80), (90, 100)]);
    }

    #[test]
    fn stacked_labels_keep_their_order_and_do_not_touch() {
        // Two labels 40 px high wanted at 100 and 110, 10 px apart: the second moves to 150.
        assert_eq!(stack(&[100, 110], &[40, 40], 10, (0, 1000)), [100, 150]);
        // Near the bottom (1000): the pair is pushed up, the lower ending at 1000.
        assert_eq!(stack(&[990, 995], &[40, 40], 10, (0, 1000)), [930, 980]);
    }

    #[test]
    fn counts_read_as_words() {
        assert_eq!(count_word(3), "three");
        assert_eq!(count_word(12), "12");
        assert_eq!(capitalised("three scenarios"), "Three scenarios");
    }
}
