//! Output by powertrain: battery-electric, plug-in hybrid, full hybrid and petrol or diesel
//! stacked over the years, and under it the shares that matter: the electrified share of all
//! vehicles built (with the spread of the draws), the battery-electric share of cars built,
//! and the ZEV mandate's share of new car SALES as a dashed reference. Also the pieces the
//! battery chart shares: the year axis with "actual" and "projected" under it, percentages.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::DrawResult;
use super::makers::{anchor, right_margin, text_size, unit_room, value_axis_room};
use super::path::{PROJECTION_SHADE, dashed, stack, year_runs, year_ticks};
use super::style::{
    Caption, Frame, GRID, INK, MUTED, Page, Role, Swatch, anchored, axis_top, axis_value,
    draw_frame, pale, short,
};
use crate::data::{Powertrain, Segment};
use crate::engine::{Basis, Projection, share};
use crate::number::thousands;
use crate::uncertainty::Uncertainty;

/// Battery-electric: the darkest of a blue ramp, so that the more electric a powertrain, the
/// darker its band, and ICE a neutral grey.
pub const BEV: RGBColor = RGBColor(8, 48, 107);
/// Plug-in hybrids (range extenders included).
pub const PHEV: RGBColor = RGBColor(33, 113, 181);
/// Full hybrids.
pub const HEV: RGBColor = RGBColor(120, 180, 220);
/// Petrol and diesel, mild hybrids included.
pub const ICE: RGBColor = RGBColor(180, 180, 180);
/// The electrified share's line and band: a blue between PHEV's and BEV's.
pub const ELECTRIFIED: RGBColor = RGBColor(20, 85, 150);

/// How strong the projected areas are next to the base year's bar (1 = full colour), as on
/// the makers chart.
const PROJECTED: f64 = 0.72;
/// How far left of the base year its bar of actuals reaches, in years.
const BAR: f64 = 0.45;
/// The band of the draws' electrified share.
const BAND: f64 = 0.35;

/// A powertrain's colour.
pub fn colour(p: Powertrain) -> RGBColor {
    match p {
        Powertrain::Bev => BEV,
        Powertrain::Phev => PHEV,
        Powertrain::Hev => HEV,
        Powertrain::Ice => ICE,
    }
}

/// The source line of a chart whose figures come from the industry files rather than the
/// national output: `credit` ("Sources: …"), then the projection and its inputs' fingerprint
/// as every chart gives them, then the notes.
pub(super) fn credit_line(p: &Projection, credit: &str, note: &str) -> String {
    let mut line = format!(
        "{credit}; projection: ukprod, scenario {} (inputs {})",
        p.scenario,
        p.fingerprint()
    );
    if !note.is_empty() {
        line.push_str(". ");
        line.push_str(note);
    }
    line
}

/// Where the powertrain figures come from, for the source line.
const CREDIT: &str = "Sources: SMMT; plant split: company statements and ukprod estimates \
                      (data/powertrain.csv); ZEV mandate: data/zev_mandate.csv";

/// A share as a chart shows it: whole percentages, one decimal under 10% so that a small
/// share never reads as 0% ("43%", "4.2%", "0.1%").
pub fn percent(x: f64) -> String {
    let pct = x * 100.0;
    if pct.abs() < 9.95 && pct.abs() >= 0.005 {
        format!("{pct:.1}%")
    } else {
        format!("{pct:.0}%")
    }
}

/// The electrified share and the battery-electric share of cars, year by year, from the base
/// year: (year, electrified share of all vehicles, BEV share of cars).
fn shares(p: &Projection) -> Vec<(i32, f64, f64)> {
    let mut years: Vec<i32> = p.powertrain.iter().map(|r| r.year).collect();
    years.dedup();
    years
        .into_iter()
        .filter_map(|year| {
            let all = p.powertrain_in(year)?;
            let cars = p
                .powertrain
                .iter()
                .find(|r| r.year == year && r.segment == Segment::Car)
                .map_or(0.0, |r| share(r.of(Powertrain::Bev), r.total()));
            Some((year, share(all.electrified(), all.total()), cars))
        })
        .collect()
}

/// The ZEV mandate's car shares the chart draws: the data's years from the base year to the
/// end year (no year in between is made up).
fn zev_points(p: &Projection) -> Vec<(i32, f64)> {
    p.zev_mandate
        .iter()
        .filter(|z| (p.base_year..=p.end_year).contains(&z.year))
        .map(|z| (z.year, z.cars))
        .collect()
}

/// The chart's message: the electrified share in the base year and the end year, saying
/// what the end year's figure is.
fn title(p: &Projection) -> String {
    let start = percent(p.electrified_share(p.base_year).unwrap_or(0.0));
    let end = percent(p.electrified_share(p.end_year).unwrap_or(0.0));
    let (base, last) = (p.base_year, p.end_year);
    match p.basis {
        Basis::Certain => {
            format!("Electrified vehicles: {start} of UK output in {base}, {end} in {last}")
        }
        Basis::Expected { .. } => format!(
            "Electrified vehicles: {start} of UK output in {base}, {end} expected in {last}"
        ),
        Basis::Modal => format!(
            "Electrified vehicles: {start} of UK output in {base}, {end} in {last} if every \
             uncertain item happens"
        ),
    }
}

/// The footer's notes: how the base year was split, what counts as what, what the mandate
/// rules, and the draws.
fn notes(p: &Projection, u: Option<&Uncertainty>) -> String {
    let mut notes = Vec::new();
    let base_cars = p
        .powertrain
        .iter()
        .find(|r| r.year == p.base_year && r.segment == Segment::Car);
    if let Some(cars) = base_cars {
        notes.push(format!(
            "{} split by plant: estimates reconciled to SMMT's {} electrified cars \
             (data/README.md); mild hybrids count as ICE",
            p.base_year,
            thousands(cars.electrified())
        ));
    }
    if !zev_points(p).is_empty() {
        notes.push(
            "The ZEV mandate rules new car sales in Great Britain, not UK production: compare it \
             only with the battery-electric share of cars built"
                .into(),
        );
    }
    if let Some(u) = u.filter(|u| !u.share_bands.is_empty()) {
        notes.push(format!(
            "Band: the middle 90% of {} draws (seed {})",
            thousands(u.draws as f64),
            u.seed
        ));
    }
    notes.join(". ")
}

/// Draw the powertrain chart: volumes by powertrain on the left, shares on the right; with
/// draws, the electrified share's P5–P95 band.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    p: &Projection,
    u: Option<&Uncertainty>,
) -> DrawResult<Caption, DB> {
    let zev = zev_points(p);
    let band = u.map(|u| u.share_bands.as_slice()).unwrap_or_default();
    let mut legend = Vec::new();
    if !zev.is_empty() {
        legend.push((
            Swatch::Dashed(INK),
            "ZEV mandate: share of new car SALES that must be zero-emission".to_string(),
        ));
    }
    if !band.is_empty() {
        legend.push((
            Swatch::Block(pale(ELECTRIFIED, BAND)),
            "Electrified share, middle 90% of draws".to_string(),
        ));
    }
    let frame = Frame {
        kicker: super::kicker(p),
        title: title(p),
        subtitle: super::subtitle(p),
        legend,
        headline: None,
        footer: credit_line(p, CREDIT, &notes(p, u)),
    };
    let (area, caption) = draw_frame(root, page, &frame)?;
    let years: Vec<i32> = (p.base_year..=p.end_year).collect();
    let volumes: Vec<[f64; 4]> = years
        .iter()
        .map(|y| p.powertrain_in(*y).map_or([0.0; 4], |r| r.volumes))
        .collect();
    let stacked = volumes
        .iter()
        .map(|v| v.iter().sum::<f64>())
        .fold(0.0, f64::max);
    let top = axis_top(stacked);
    let shares = shares(p);
    let end = volumes.last().copied().unwrap_or([0.0; 4]);
    let volume_labels = EndLabels::volumes(p, end);
    let share_labels = EndLabels::shares(p, &shares, &zev);
    let (w, _) = area.dim_in_pixel();
    let (left, right) = area.split_horizontally((f64::from(w) * 0.5).round() as i32);
    let x = (f64::from(p.base_year) - BAR, f64::from(p.end_year) + 0.15);

    // Volumes by powertrain.
    let mut chart = ChartBuilder::on(&left)
        .margin_top(unit_room(page))
        .margin_right(volume_labels.width(&left, page)? + page.ui(1.6))
        .x_label_area_size(year_axis_room(page))
        .y_label_area_size(value_axis_room(&left, page, top)?)
        .build_cartesian_2d(x.0..x.1, 0.0..top)?;
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
        .draw()?;
    unit(root, page, &chart, "Vehicles built a year", page.margin())?;
    draw_stack(&chart, page, p, &years, &volumes)?;
    let words = ("actual", p.basis.word());
    year_axis(root, page, &chart, p.base_year, p.end_year, words)?;
    volume_labels.draw(root, page, &chart)?;

    // Shares, 0 to 100%.
    let (rx, _) = right.get_pixel_range();
    let mut shares_chart = ChartBuilder::on(&right)
        .margin_top(unit_room(page))
        .margin_right(share_labels.width(&right, page)? + page.ui(0.9) + right_margin(page))
        .x_label_area_size(year_axis_room(page))
        .y_label_area_size(percent_axis_room(&right, page)?)
        .build_cartesian_2d(x.0..x.1, 0.0..1.0)?;
    shares_chart.plotting_area().draw(&Rectangle::new(
        [(f64::from(p.base_year), 0.0), (x.1, 1.0)],
        PROJECTION_SHADE.filled(),
    ))?;
    shares_chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID.stroke_width(page.stroke(0.3)))
        .axis_style(MUTED.stroke_width(page.stroke(0.4)))
        .x_labels(0)
        .y_labels(5)
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .y_label_style(page.text(Role::Tick, MUTED))
        .draw()?;
    unit(root, page, &shares_chart, "Share", rx.start)?;
    draw_shares(root, &mut shares_chart, page, p, &shares, band, &zev)?;
    year_axis(root, page, &shares_chart, p.base_year, p.end_year, words)?;
    share_labels.draw(root, page, &shares_chart)?;
    Ok(caption)
}

/// The width the percentage axis needs.
fn percent_axis_room<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    page: &Page,
) -> DrawResult<i32, DB> {
    Ok(text_size(area, "100%", &page.text(Role::Tick, MUTED))?.0 + page.ui(0.6))
}

/// A panel's unit, above its value axis, starting at `x`.
fn unit<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    text: &str,
    x: i32,
) -> DrawResult<(), DB> {
    let (_, py) = chart.plotting_area().get_pixel_range();
    root.draw(&Text::new(
        text.to_string(),
        (
            x,
            py.start - (page.font(Role::Tick) * 0.6).round() as i32 - page.ui(0.15),
        ),
        anchored(page.text(Role::Tick, MUTED), HPos::Left, VPos::Bottom),
    ))
}

/// The stack, BEV at the bottom and ICE on top, so that the electrified part reads as one
/// block: the base year as a bar of actuals in full colour, projected years paler.
fn draw_stack<DB: DrawingBackend>(
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    page: &Page,
    p: &Projection,
    years: &[i32],
    volumes: &[[f64; 4]],
) -> DrawResult<(), DB> {
    let base = f64::from(p.base_year);
    let mut lower = vec![0.0; years.len()];
    let mut edges = Vec::new();
    for pt in Powertrain::ALL {
        let upper: Vec<f64> = lower
            .iter()
            .zip(volumes)
            .map(|(l, v)| l + v[pt.index()])
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
        let area = chart.plotting_area();
        area.draw(&Polygon::new(outline, pale(colour(pt), PROJECTED).filled()))?;
        area.draw(&Rectangle::new(
            [(base - BAR * 0.85, lower[0]), (base, upper[0])],
            colour(pt).filled(),
        ))?;
        edges.push(
            years
                .iter()
                .zip(&upper)
                .map(|(y, v)| (f64::from(*y), *v))
                .collect::<Vec<_>>(),
        );
        lower = upper;
    }
    for edge in edges {
        chart.plotting_area().draw(&PathElement::new(
            edge,
            WHITE.stroke_width(page.stroke(0.5)),
        ))?;
    }
    Ok(())
}

/// The share lines: the draws' band, the ZEV mandate dashed (runs of the years it states,
/// each marked), the battery-electric share of cars and the electrified share on top, each
/// with a dot at the base year's actual.
fn draw_shares<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    page: &Page,
    p: &Projection,
    shares: &[(i32, f64, f64)],
    band: &[crate::uncertainty::Bands],
    zev: &[(i32, f64)],
) -> DrawResult<(), DB> {
    let base = shares.first().map(|s| (f64::from(s.0), s.1));
    if let (Some(base), false) = (base, band.is_empty()) {
        let upper = std::iter::once(base).chain(
            band.iter()
                .map(|b| (f64::from(b.year), b.percentiles[6].clamp(0.0, 1.0))),
        );
        let lower: Vec<(f64, f64)> = std::iter::once(base)
            .chain(
                band.iter()
                    .map(|b| (f64::from(b.year), b.percentiles[0].clamp(0.0, 1.0))),
            )
            .collect();
        let outline: Vec<(f64, f64)> = upper.chain(lower.into_iter().rev()).collect();
        chart
            .plotting_area()
            .draw(&Polygon::new(outline, pale(ELECTRIFIED, BAND).filled()))?;
    }
    let dot = page.ui(0.14);
    for run in year_runs(
        (p.base_year..=p.end_year).map(|y| (y, zev.iter().find(|z| z.0 == y).map(|z| z.1))),
    ) {
        let points: Vec<(f64, f64)> = run.iter().map(|(y, v)| (f64::from(*y), *v)).collect();
        if points.len() > 1 {
            dashed(
                root,
                chart,
                page,
                &points,
                INK.stroke_width(page.stroke(0.8)),
            )?;
        }
        for pt in &points {
            chart.plotting_area().draw(&Circle::new(
                *pt,
                dot,
                ShapeStyle::from(&WHITE).filled(),
            ))?;
            chart.plotting_area().draw(&Circle::new(
                *pt,
                dot,
                INK.stroke_width(page.stroke(0.6)),
            ))?;
        }
    }
    let bev: Vec<(f64, f64)> = shares.iter().map(|s| (f64::from(s.0), s.2)).collect();
    let electrified: Vec<(f64, f64)> = shares.iter().map(|s| (f64::from(s.0), s.1)).collect();
    // The battery-electric share of cars is the one to read against the ZEV mandate, so it is
    // the bold line; the electrified share (hybrids included) is drawn thinner.
    for (line, colour, weight) in [(electrified, ELECTRIFIED, 1.0), (bev, BEV, 1.8)] {
        chart.plotting_area().draw(&PathElement::new(
            line.clone(),
            colour.stroke_width(page.stroke(weight)),
        ))?;
        if let Some(first) = line.first() {
            chart
                .plotting_area()
                .draw(&Circle::new(*first, page.ui(0.17), colour.filled()))?;
        }
    }
    Ok(())
}

/// Room under the shares for the years and the "actual / projected" line.
pub(super) fn year_axis_room(page: &Page) -> i32 {
    (page.font(Role::Tick) * 1.2 + page.font(Role::Note) * 1.2).round() as i32 + page.ui(0.3)
}

/// Years under a time axis (round years, and the base and end years always, as the path
/// chart picks them), and a line under them saying what the base year's figures are
/// (`base_word`: "actual", "estimate") and the years after it (`word`: "projected",
/// "expected", "modal case").
pub(super) fn year_axis<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    base: i32,
    end: i32,
    (base_word, word): (&str, &str),
) -> DrawResult<(), DB> {
    let tick = page.text(Role::Tick, MUTED);
    let (px, _) = chart.plotting_area().get_pixel_range();
    let (_, axis_y) = chart.backend_coord(&(f64::from(base), 0.0));
    let x_range = chart.x_range();
    let per_year = f64::from(px.end - px.start) / (x_range.end - x_range.start);
    let (year_w, _) = text_size(root, "2035", &tick)?;
    let y = axis_y + page.ui(0.25);
    let years = year_ticks(
        (x_range.start, x_range.end),
        &[base, end],
        per_year,
        f64::from(year_w),
    );
    for year in years {
        let (x, _) = chart.backend_coord(&(f64::from(year), 0.0));
        root.draw(&PathElement::new(
            vec![(x, axis_y), (x, axis_y + page.ui(0.15))],
            MUTED.stroke_width(page.stroke(0.4)),
        ))?;
        // Within the plot's width: the first label starts right of the value axis's "0",
        // the last ends at the plot's right edge, clear of the labels beside it.
        let x = x
            .max(px.start + year_w / 2 + page.ui(0.2))
            .min(px.end - year_w / 2);
        root.draw(&Text::new(
            year.to_string(),
            (x, y),
            anchored(tick.clone(), HPos::Center, VPos::Top),
        ))?;
    }
    let note = page.text(Role::Note, MUTED);
    let y2 = y + (page.font(Role::Tick) * 1.2).round() as i32;
    let (bx, _) = chart.backend_coord(&(f64::from(base), 0.0));
    let (actual_w, _) = text_size(root, base_word, &note)?;
    let actual_x = bx.max(px.start + actual_w / 2);
    root.draw(&Text::new(
        base_word.to_string(),
        (actual_x, y2),
        anchor(&note, HPos::Center, VPos::Top),
    ))?;
    if end > base {
        // Centred on the projected years, but clear of "actual" and within the plot.
        let (word_w, _) = text_size(root, word, &note)?;
        let (mid, _) = chart.backend_coord(&(f64::from(base + end) / 2.0 + 0.5, 0.0));
        let least = actual_x + actual_w / 2 + page.ui(0.6) + word_w / 2;
        let x = mid.max(least).min(px.end - word_w / 2);
        if x >= least {
            root.draw(&Text::new(
                word.to_string(),
                (x, y2),
                anchor(&note, HPos::Center, VPos::Top),
            ))?;
        }
    }
    Ok(())
}

/// Labels right of a panel's last year: each line's or band's end value with what it is,
/// stacked so that none touches another, with a leader where a label moved from its point.
struct EndLabels {
    labels: Vec<EndLabel>,
}

struct EndLabel {
    lines: Vec<String>,
    /// A swatch before the first line (a band's colour), else the text is in `colour`.
    swatch: Option<RGBColor>,
    colour: RGBColor,
    bold: bool,
    /// The point it labels (year, value).
    at: (f64, f64),
}

impl EndLabels {
    /// The volumes' labels: each powertrain at the middle of its band, the total at the top.
    fn volumes(p: &Projection, end: [f64; 4]) -> EndLabels {
        let year = f64::from(p.end_year);
        let mut lower = 0.0;
        let mut labels = Vec::new();
        for pt in Powertrain::ALL {
            let v = end[pt.index()];
            labels.push(EndLabel {
                lines: vec![format!("{} {}", pt.as_str(), short(v))],
                swatch: Some(colour(pt)),
                colour: INK,
                bold: false,
                at: (year, lower + v / 2.0),
            });
            lower += v;
        }
        labels.push(EndLabel {
            lines: vec![format!("All {}", short(lower))],
            swatch: None,
            colour: INK,
            bold: true,
            at: (year, lower),
        });
        EndLabels { labels }
    }

    /// The shares' labels: the electrified share, the battery-electric share of cars and the
    /// mandate's last share drawn.
    fn shares(p: &Projection, shares: &[(i32, f64, f64)], zev: &[(i32, f64)]) -> EndLabels {
        let mut labels = Vec::new();
        if let Some((year, electrified, bev)) = shares.last() {
            labels.push(EndLabel {
                lines: vec![
                    format!("Electrified {}", percent(*electrified)),
                    "of all vehicles".into(),
                ],
                swatch: None,
                colour: ELECTRIFIED,
                bold: false,
                at: (f64::from(*year), *electrified),
            });
            labels.push(EndLabel {
                lines: vec![format!("BEV {}", percent(*bev)), "of cars built".into()],
                swatch: None,
                colour: BEV,
                bold: true,
                at: (f64::from(*year), *bev),
            });
        }
        if let Some((year, share)) = zev.last() {
            let head = if *year == p.end_year {
                format!("ZEV mandate {}", percent(*share))
            } else {
                format!("ZEV mandate {year}: {}", percent(*share))
            };
            labels.push(EndLabel {
                lines: vec![head, "of new car SALES".into()],
                swatch: None,
                colour: INK,
                bold: false,
                at: (f64::from(*year), *share),
            });
        }
        EndLabels { labels }
    }

    fn style(page: &Page, l: &EndLabel) -> TextStyle<'static> {
        if l.bold {
            page.bold(Role::Note, l.colour)
        } else {
            page.text(Role::Note, l.colour)
        }
    }

    fn swatch(page: &Page) -> i32 {
        page.ui(0.7)
    }

    /// The widest label, swatch included, in pixels.
    fn width<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
    ) -> DrawResult<i32, DB> {
        let mut w = 0;
        for l in &self.labels {
            let inset = if l.swatch.is_some() {
                Self::swatch(page) + page.ui(0.3)
            } else {
                0
            };
            for line in &l.lines {
                w = w.max(inset + text_size(root, line, &Self::style(page, l))?.0);
            }
        }
        Ok(w)
    }

    /// In the panel's right margin, each block as near its point as the others allow; a
    /// label that moved from its point, or whose point ends before the panel does (a
    /// mandate's last year), gets a leader.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
        chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    ) -> DrawResult<(), DB> {
        let line = (page.font(Role::Note) * 1.15).round() as i32;
        let (px, py) = chart.plotting_area().get_pixel_range();
        let wishes: Vec<(f64, f64)> = self
            .labels
            .iter()
            .map(|l| {
                let (_, y) = chart.backend_coord(&l.at);
                (f64::from(y), f64::from(line * l.lines.len() as i32))
            })
            .collect();
        // From a little above the plot (a share of 100% sits on its top edge) down to the
        // axis line, never into the years under it.
        let reach = f64::from(unit_room(page)) * 0.5;
        let placed = stack(&wishes, f64::from(py.start) - reach, f64::from(py.end));
        let x = px.end + page.ui(0.7);
        for ((l, centre), (wish, h)) in self.labels.iter().zip(placed).zip(wishes) {
            let top = (centre - h / 2.0).round() as i32;
            let (ex, ey) = chart.backend_coord(&l.at);
            let mid = top + line / 2;
            if ex < px.end - page.ui(0.5) || (centre - wish).abs() > f64::from(line) * 0.4 {
                root.draw(&PathElement::new(
                    vec![(ex + page.ui(0.2), ey), (x - page.ui(0.2), mid)],
                    MUTED.stroke_width(page.stroke(0.3)),
                ))?;
            }
            let mut tx = x;
            if let Some(c) = l.swatch {
                let half = page.ui(0.25);
                root.draw(&Rectangle::new(
                    [(x, mid - half), (x + Self::swatch(page), mid + half)],
                    c.filled(),
                ))?;
                tx += Self::swatch(page) + page.ui(0.3);
            }
            let style = anchored(Self::style(page, l), HPos::Left, VPos::Top);
            for (k, text) in l.lines.iter().enumerate() {
                root.draw(&Text::new(
                    text.clone(),
                    (tx, top + line * k as i32),
                    style.clone(),
                ))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_read_as_whole_percentages_and_small_ones_keep_a_decimal() {
        assert_eq!(percent(0.4165), "42%");
        assert_eq!(percent(0.0013), "0.1%");
        assert_eq!(percent(0.042), "4.2%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.0), "0%");
    }
}
