//! Base-year output by plant, and how solid each figure is: one bar per plant and per
//! residual, sorted within its segment, filled by how the figure was obtained (published,
//! derived, estimate), with a whisker over the low–high range where the data give one.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::DrawResult;
use super::makers::{ValueAxis, anchor, hatch, text_size, value_axis_depth};
use super::style::{Caption, Frame, INK, MUTED, Page, Role, Swatch, draw_frame, short, wrap_all};
use crate::data::{Dataset, OTHER_NAME, Segment, SourceKind};
use crate::number::thousands;

/// Published figures: the darkest of a sequential blue ramp (ColorBrewer Blues, which reads
/// by lightness alone, so it is safe for colour-blind readers and in greyscale).
pub const PUBLISHED: RGBColor = RGBColor(8, 81, 156);
/// Derived figures: the ramp's middle.
pub const DERIVED: RGBColor = RGBColor(66, 146, 198);
/// Estimated figures: the ramp's light end, outlined so it shows on white.
pub const ESTIMATE: RGBColor = RGBColor(198, 219, 239);

/// What a bar is filled by: a kind of plant figure, or the residual.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fill {
    Kind(SourceKind),
    Residual,
}

/// One row of the chart: a segment's heading, or a bar.
#[derive(Debug, Clone)]
enum Row {
    Heading(String),
    Bar {
        name: String,
        value: f64,
        range: Option<(f64, f64)>,
        fill: Fill,
    },
}

impl Row {
    /// The value label: "91,000" (the range is the whisker's; data.md gives it in figures).
    fn label(&self) -> String {
        match self {
            Row::Heading(_) => String::new(),
            Row::Bar { value, .. } => thousands(*value),
        }
    }

    /// Where the bar or its whisker ends.
    fn reach(&self) -> f64 {
        match self {
            Row::Heading(_) => 0.0,
            Row::Bar { value, range, .. } => range.map_or(*value, |(_, high)| high.max(*value)),
        }
    }
}

/// The headline: the share of base-year output in published plant figures, and the largest
/// of the other parts ("54% of 2025's output is in published plant figures; 43% is
/// estimated").
pub fn headline(data: &Dataset) -> String {
    let [car, cv] = Segment::ALL.map(|s| data.reconciliation(s));
    let all = car.plus(&cv);
    let pct = |v: f64| (all.share(v) * 100.0).round();
    let others = [
        (all.estimate, "is estimated"),
        (all.derived, "is derived from other figures"),
        (all.residual, "is in no listed plant (the residual)"),
    ];
    let (value, words) =
        others.into_iter().fold(
            (f64::MIN, ""),
            |best, o| if o.0 > best.0 { o } else { best },
        );
    format!(
        "{:.0}% of {}'s output is in published plant figures; {:.0}% {words}",
        pct(all.published),
        data.base_year(),
        pct(value)
    )
}

/// A segment's rows: its heading, its plants that built something (largest first), then its
/// residual.
fn rows(data: &Dataset, segment: Segment) -> Vec<Row> {
    let mut rows = vec![Row::Heading(format!(
        "{} (SMMT: {})",
        match segment {
            Segment::Car => "Cars",
            Segment::Cv => "Commercial vehicles",
        },
        thousands(data.national(segment))
    ))];
    for p in data.plants_by_output(segment) {
        let value = data.base_output(&p.id);
        if value < 0.5 {
            continue;
        }
        let row = data.base_row(&p.id);
        rows.push(Row::Bar {
            name: p.display_name().to_string(),
            value,
            range: row.and_then(|r| r.range()),
            fill: Fill::Kind(row.map_or(SourceKind::Estimate, |r| r.kind())),
        });
    }
    rows.push(Row::Bar {
        name: OTHER_NAME.to_string(),
        value: data.residual(segment),
        range: None,
        fill: Fill::Residual,
    });
    rows
}

/// Plants that built nothing in the base year, by name: not drawn, named in the footer.
fn idle(data: &Dataset) -> Vec<&str> {
    data.plants
        .iter()
        .filter(|p| data.base_output(&p.id) < 0.5)
        .map(|p| p.display_name())
        .collect()
}

/// The share of the plot's width the car panel gets; the commercial vehicles' panel, with
/// fewer and smaller plants, gets the rest.
const CAR_SHARE: f64 = 0.6;

/// Draw the chart: a panel per segment, side by side, each on its own scale (commercial
/// vehicles are a fifteenth of cars, and on one scale their bars and ranges would not show).
pub fn draw<DB: DrawingBackend>(
    fingerprint: &str,
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    data: &Dataset,
) -> DrawResult<Caption, DB> {
    let base = data.base_year();
    let mut footer = format!(
        "Source: SMMT; plant figures: data/plant_output.csv (see data/README.md; data {fingerprint})."
    );
    let idle = idle(data);
    if !idle.is_empty() {
        footer.push_str(&format!(" Not shown: {}, 0 in {base}.", idle.join(", ")));
    }
    let frame = Frame {
        kicker: format!(
            "UK vehicle production: {base} output by plant, and how solid each figure is"
        ),
        title: headline(data),
        subtitle: format!(
            "Vehicles built in {base}, each segment on its own scale. Whiskers span the \
             low–high range where the data give one."
        ),
        legend: vec![
            (Swatch::Block(PUBLISHED), "Published".into()),
            (Swatch::Block(DERIVED), "Derived".into()),
            (Swatch::Outlined(ESTIMATE, DERIVED), "Estimate".into()),
            (
                Swatch::Hatched(MUTED),
                "Residual (SMMT less listed plants)".into(),
            ),
            (Swatch::Whisker(INK), "Low–high range".into()),
        ],
        footer,
        headline: None,
    };
    let (area, caption) = draw_frame(root, page, &frame)?;
    let (_, ys) = area.get_pixel_range();
    let left = page.margin();
    let right = page.width as i32 - page.margin();
    let split = left + (f64::from(right - left) * CAR_SHARE) as i32;
    let gap = page.ui(1.2);
    let spans = [(left, split - gap / 2), (split + gap / 2, right)];
    let mut panels = Vec::new();
    for role in [Role::Body, Role::Note] {
        panels.clear();
        for (segment, span) in Segment::ALL.into_iter().zip(spans) {
            let rows = rows(data, segment);
            panels.push(Panel::fit(root, page, rows, span, ys.clone(), role)?);
        }
        if panels.iter().all(Panel::fits) {
            break;
        }
    }
    for panel in &panels {
        panel.draw(root, page)?;
    }
    Ok(caption)
}

/// One segment's panel: where everything goes.
struct Panel {
    rows: Vec<Row>,
    role: Role,
    /// Left edge of the names.
    left: i32,
    names: Vec<Vec<String>>,
    /// Top and bottom of each row.
    spans: Vec<(i32, i32)>,
    axis: ValueAxis,
    bottom: i32,
}

impl Panel {
    /// Lay a segment's rows out across `left..right` and down `ys`, names at `role`'s size;
    /// names wrap in a column of at most 40% of the panel (never narrower than a word).
    fn fit<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        page: &Page,
        rows: Vec<Row>,
        (left, right): (i32, i32),
        ys: Range<i32>,
        role: Role,
    ) -> DrawResult<Panel, DB> {
        let name_style = page.text(role, INK);
        let heading_style = page.bold(role, INK);
        let (mut widest, mut word) = (0, 0);
        for row in &rows {
            if let Row::Bar { name, .. } = row {
                widest = widest.max(text_size(area, name, &name_style)?.0);
                for w in name.split_whitespace() {
                    word = word.max(text_size(area, w, &name_style)?.0);
                }
            }
        }
        let column = widest
            .min((f64::from(right - left) * 0.4) as i32)
            .max(word)
            .max(page.ui(4.0));
        let mut names = Vec::new();
        for row in &rows {
            names.push(match row {
                // A heading runs across the panel.
                Row::Heading(text) => wrap_all(area, text, &heading_style, (right - left) as u32)?,
                Row::Bar { name, .. } => wrap_all(area, name, &name_style, column as u32)?,
            });
        }
        let x0 = left + column + page.ui(0.6);
        let gap = page.ui(0.3);
        let mut after = Vec::new();
        for row in &rows {
            if let Row::Bar { .. } = row {
                let w = text_size(area, &row.label(), &name_style)?.0;
                after.push((row.reach(), w + gap));
            }
        }
        let reach = rows.iter().map(Row::reach).fold(0.0, f64::max);
        let axis = ValueAxis::fitting(x0, right, reach, &after);
        let line = (page.font(role) * 1.15).round() as i32;
        let pad = page.ui(if role == Role::Body { 0.3 } else { 0.15 });
        let bottom = ys.end - value_axis_depth(page);
        let mut spans = Vec::new();
        let mut y = ys.start + page.ui(0.1);
        for lines in &names {
            let h = line * lines.len().max(1) as i32 + pad;
            spans.push((y, y + h));
            y += h;
        }
        Ok(Panel {
            rows,
            role,
            left,
            names,
            spans,
            axis,
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
        // Gridlines start under the heading.
        let top = self.spans.get(1).map_or(self.bottom, |s| s.0);
        self.axis.draw(root, page, (top, self.bottom), &short)?;
        let line = (page.font(self.role) * 1.15).round() as i32;
        let name_style = anchor(&page.text(self.role, INK), HPos::Left, VPos::Center);
        let heading_style = anchor(&page.bold(self.role, INK), HPos::Left, VPos::Center);
        for (i, row) in self.rows.iter().enumerate() {
            let (y0, y1) = self.spans[i];
            let lines = &self.names[i];
            let mid = (y0 + y1) / 2;
            let mut y = mid - line * (lines.len() as i32 - 1) / 2;
            let style = match row {
                Row::Heading(_) => &heading_style,
                Row::Bar { .. } => &name_style,
            };
            for l in lines {
                root.draw(&Text::new(l.clone(), (self.left, y), style.clone()))?;
                y += line;
            }
            if let Row::Bar { .. } = row {
                self.draw_bar(root, page, row, mid)?;
            }
        }
        Ok(())
    }

    /// One bar: filled by kind (hatched for the residual), its whisker and its label.
    fn draw_bar<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
        row: &Row,
        mid: i32,
    ) -> DrawResult<(), DB> {
        let Row::Bar {
            value, range, fill, ..
        } = row
        else {
            return Ok(());
        };
        let axis = &self.axis;
        let half = page.ui(0.32);
        let (x0, x1) = (axis.px(0.0), axis.px(*value).max(axis.px(0.0) + 1));
        let outline = page.stroke(0.4);
        match fill {
            Fill::Residual => {
                hatch(root, page, (x0, mid - half, x1, mid + half), MUTED)?;
                root.draw(&Rectangle::new(
                    [(x0, mid - half), (x1, mid + half)],
                    MUTED.stroke_width(outline),
                ))?;
            }
            Fill::Kind(kind) => {
                let colour = colour(*kind);
                root.draw(&Rectangle::new(
                    [(x0, mid - half), (x1, mid + half)],
                    colour.filled(),
                ))?;
                if *kind == SourceKind::Estimate {
                    root.draw(&Rectangle::new(
                        [(x0, mid - half), (x1, mid + half)],
                        DERIVED.stroke_width(outline),
                    ))?;
                }
            }
        }
        if let Some((low, high)) = range {
            whisker(root, page, (axis.px(*low), axis.px(*high)), mid)?;
        }
        let end = axis.px(row.reach()).max(x1);
        root.draw(&Text::new(
            row.label(),
            (end + page.ui(0.4), mid),
            anchor(&page.text(self.role, INK), HPos::Left, VPos::Center),
        ))?;
        Ok(())
    }
}

/// A low–high whisker centred on `y`: a line with a cap at each end.
fn whisker<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    (x0, x1): (i32, i32),
    y: i32,
) -> DrawResult<(), DB> {
    let stroke = INK.stroke_width(page.stroke(0.7));
    let cap = page.ui(0.2);
    root.draw(&PathElement::new(vec![(x0, y), (x1, y)], stroke))?;
    for x in [x0, x1] {
        root.draw(&PathElement::new(vec![(x, y - cap), (x, y + cap)], stroke))?;
    }
    Ok(())
}

/// The fill of a kind of figure.
fn colour(kind: SourceKind) -> RGBColor {
    match kind {
        SourceKind::Published => PUBLISHED,
        SourceKind::Derived => DERIVED,
        SourceKind::Estimate => ESTIMATE,
    }
}
