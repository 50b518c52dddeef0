//! Several scenarios' projections side by side, with history and the target.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{Caption, Page, 
    Frame, INK, MUTED, SCENARIO_COLOURS, Swatch, TARGET, anchored, axis_top, bold, draw_frame,
    millions, pale, short, spread,
};
use super::{DrawResult, mesh};
use crate::engine::{Basis, Projection};
use crate::uncertainty::Uncertainty;

/// Years of history shown before the base year, so the projections have room.
const HISTORY_YEARS: i32 = 25;

/// The colour of the i-th scenario.
pub fn scenario_colour(i: usize) -> RGBColor {
    SCENARIO_COLOURS[i % SCENARIO_COLOURS.len()]
}

/// What a scenario's legend entry says after its name: what its line is (when not a plain
/// projection), then what `--set` changed or else its description.
fn legend_text(p: &Projection) -> String {
    let what = match p.basis {
        Basis::Certain => String::new(),
        Basis::Modal => "modal case, every uncertain item happens. ".into(),
        Basis::Expected { draws, .. } => {
            format!("expected, mean of {} draws. ", short(draws as f64))
        }
    };
    let modified = crate::export::modified_note(p);
    let text = if modified.is_empty() {
        p.description.clone()
    } else {
        modified
    };
    format!("{what}{text}")
}

/// Draw the comparison chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    projections: &[Projection],
    spreads: Option<&[Uncertainty]>,
) -> DrawResult<Caption, DB> {
    let Some(first) = projections.first() else {
        return Ok(Caption::default());
    };
    let target = first.target;
    let names: Vec<&str> = projections.iter().map(|p| p.scenario.as_str()).collect();
    let mut legend: Vec<(Swatch, String)> = projections
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                Swatch::Line(scenario_colour(i)),
                format!("{}: {}", p.scenario, legend_text(p)),
            )
        })
        .collect();
    legend.push((Swatch::Line(INK), "Actual".into()));
    legend.push((
        Swatch::Dashed(TARGET),
        format!(
            "Target path to {} by {} (of {})",
            millions(target.volume),
            target.year,
            first.scenario
        ),
    ));
    let with_draws = spreads.is_some_and(|s| s.iter().any(|u| !u.bands.is_empty()));
    if with_draws {
        legend.push((
            // Each band is in its scenario's colour: the swatch is neutral.
            Swatch::Block(pale(MUTED, 0.3)),
            "Scenarios with draws: line, the expected value (mean of the draws); band, 5th to 95th percentile".into(),
        ));
    }
    let frame = Frame {
        kicker: String::new(),
        title: if names.len() <= 3 {
            format!("UK vehicle production: {}", names.join(" vs "))
        } else {
            format!("UK vehicle production under {} scenarios", names.len())
        },
        subtitle: String::new(),
        legend,
        footer: format!(
            "Source: SMMT; projection: ukprod, scenarios {} (inputs {})",
            names.join(", "),
            projections
                .iter()
                .map(Projection::fingerprint)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        headline: None,
    };
    let (area, caption) = draw_frame(root, page, &frame)?;
    let start = first.base_year - HISTORY_YEARS;
    let end = projections
        .iter()
        .map(|p| p.end_year)
        .max()
        .unwrap_or(first.end_year);
    let history = super::actual_totals(first, start);
    let max = projections
        .iter()
        .flat_map(|p| {
            p.national
                .iter()
                .filter(|n| n.year >= start)
                .filter_map(|n| n.total)
        })
        .fold(target.volume, f64::max);
    // Room at the right for the longest end label ("scenario 1.12m expected").
    let label_style = bold(page.old(25.0), INK);
    let widest = projections
        .iter()
        .map(|p| {
            root.estimate_text_size(
                &format!("{} 0.00m {}", p.scenario, p.basis.word()),
                &label_style,
            )
            .map(|(w, _)| w)
        })
        .collect::<Result<Vec<u32>, _>>()?
        .into_iter()
        .max()
        .unwrap_or(0);
    let mut chart = ChartBuilder::on(&area)
        .margin_right((widest + 40).clamp(300, 700))
        .x_label_area_size(56)
        .y_label_area_size(110)
        .build_cartesian_2d(f64::from(start)..f64::from(end) + 0.5, 0.0..axis_top(max))?;
    mesh(&mut chart, page, "Vehicles a year", (end - start) as usize / 5)?;
    super::draw_runs(&mut chart, page, history, INK)?;
    let path: Vec<(f64, f64)> = first
        .national
        .iter()
        .filter_map(|n| n.target_path.map(|t| (f64::from(n.year), t)))
        .collect();
    chart.draw_series(DashedLineSeries::new(path, 10, 8, TARGET.stroke_width(4)))?;
    let mut wishes = Vec::new();
    // With draws: each scenario's P5–P95 band (as in the table, CSV and fan chart),
    // see-through so overlapping bands both show.
    let spread_of = |i: usize| {
        spreads
            .and_then(|s| s.get(i))
            .filter(|u| !u.bands.is_empty())
    };
    for (i, p) in projections.iter().enumerate() {
        if let Some(u) = spread_of(i) {
            let base = (f64::from(p.base_year), p.summary.base_total);
            super::band(
                &mut chart,
                base,
                u,
                (0, 6),
                scenario_colour(i).mix(0.2).filled(),
            )?;
        }
    }
    let mut end_values = Vec::new();
    for (i, p) in projections.iter().enumerate() {
        let base = (f64::from(p.base_year), p.summary.base_total);
        // Every scenario's own projection: the expected values when it has draws, the same
        // figures as the compare table and CSV.
        let line: Vec<(f64, f64)> = std::iter::once(base)
            .chain(
                p.national
                    .iter()
                    .filter(|n| n.year > p.base_year)
                    .filter_map(|n| n.total.map(|t| (f64::from(n.year), t))),
            )
            .collect();
        let end_value = line.last().map_or(p.summary.end_total, |(_, v)| *v);
        end_values.push(end_value);
        chart.draw_series(LineSeries::new(line, scenario_colour(i).stroke_width(5)))?;
        let end_point = (f64::from(p.end_year), end_value);
        chart.draw_series(std::iter::once(Circle::new(
            end_point,
            8,
            scenario_colour(i).filled(),
        )))?;
        wishes.push(f64::from(chart.backend_coord(&end_point).1));
    }
    let (target_point, target_label) = super::target_mark(first, end);
    chart.draw_series(std::iter::once(Circle::new(
        target_point,
        9,
        TARGET.filled(),
    )))?;
    let (tx, ty) = chart.backend_coord(&target_point);
    wishes.push(f64::from(ty));
    let (_, plot_y) = chart.plotting_area().get_pixel_range();
    let placed = spread(
        &wishes,
        36.0,
        f64::from(plot_y.start) + 20.0,
        f64::from(plot_y.end) - 20.0,
    );
    let (right, _) = chart.backend_coord(&(f64::from(end), 0.0));
    let x = right.max(tx) + 24;
    for (i, p) in projections.iter().enumerate() {
        root.draw(&Text::new(
            match p.basis {
                Basis::Certain => format!("{} {}", p.scenario, short(end_values[i])),
                other => format!("{} {} {}", p.scenario, short(end_values[i]), other.word()),
            },
            (x, placed[i] as i32),
            anchored(bold(page.old(25.0), scenario_colour(i)), HPos::Left, VPos::Center),
        ))?;
    }
    if let Some(y) = placed.last() {
        root.draw(&Text::new(
            target_label,
            (x, *y as i32),
            anchored(bold(page.old(25.0), TARGET), HPos::Left, VPos::Center),
        ))?;
    }
    Ok(caption)
}
