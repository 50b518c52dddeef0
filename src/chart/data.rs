//! Base-year output by plant, and how solid each figure is: one bar per plant and per
//! residual, sorted within its segment, filled by how the figure was obtained (published,
//! derived, estimate), with a whisker over the low–high range where the data give one (or
//! the range in the bar's label, where a whisker would be too small to read as one).

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

/// One row of the chart: a segment's heading, a note under it, or a bar.
#[derive(Debug, Clone)]
enum Row {
    Heading(String),
    Note(String),
    Bar {
        name: String,
        value: f64,
        range: Option<(f64, f64)>,
        fill: Fill,
        /// The range is given in the label, not drawn: too narrow for a whisker to read as
        /// one, or on a bar too short to carry it.
        ranged: bool,
    },
}

impl Row {
    /// The value label: "91,000", or with its range where the range is not drawn: "2,137
    /// (1,600–2,600)".
    fn label(&self) -> String {
        match self {
            Row::Heading(_) | Row::Note(_) => String::new(),
            Row::Bar {
                value,
                range: Some((low, high)),
                ranged: true,
                ..
            } => ranged_label(*value, *low, *high),
            Row::Bar { value, .. } => thousands(*value),
        }
    }

    /// The range drawn as a whisker, if any.
    fn whisker(&self) -> Option<(f64, f64)> {
        match self {
            Row::Bar {
                range,
                ranged: false,
                ..
            } => *range,
            _ => None,
        }
    }

    /// Where the bar or its whisker ends.
    fn reach(&self) -> f64 {
        match self {
            Row::Heading(_) | Row::Note(_) => 0.0,
            Row::Bar { value, .. } => self.whisker().map_or(*value, |(_, high)| high.max(*value)),
        }
    }
}

/// A value with its range: "2,137 (1,600–2,600)".
fn ranged_label(value: f64, low: f64, high: f64) -> String {
    format!(
        "{} ({}–{})",
        thousands(value),
        thousands(low),
        thousands(high)
    )
}

/// The headline: SMMT's total is official, and the share of it in published plant figures
/// and in the largest of the other parts ("SMMT's 2025 total is official; 54% of it is in
/// published plant figures, 43% in our estimates").
pub fn headline(data: &Dataset) -> String {
    let [car, cv] = Segment::ALL.map(|s| data.reconciliation(s));
    let all = car.plus(&cv);
    let pct = |v: f64| (all.share(v) * 100.0).round();
    let others = [
        (all.estimate, "in our estimates"),
        (all.derived, "derived from other published figures"),
        (all.residual, "in no listed plant (the residual)"),
    ];
    let (value, words) =
        others.into_iter().fold(
            (f64::MIN, ""),
            |best, o| if o.0 > best.0 { o } else { best },
        );
    format!(
        "SMMT's {} total is official; {:.0}% of it is in published plant figures, {:.0}% {words}",
        data.base_year(),
        pct(all.published),
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
            ranged: false,
        });
    }
    rows.push(Row::Bar {
        name: OTHER_NAME.to_string(),
        value: data.residual(segment),
        range: None,
        fill: Fill::Residual,
        ranged: false,
    });
    rows
}

/// Plants that built nothing in the base year, not drawn but named in the footer, with the
/// year each closed where the data say: "JLR Castle Bromwich (closed 2024)".
fn idle(data: &Dataset) -> Vec<String> {
    data.plants
        .iter()
        .filter(|p| data.base_output(&p.id) < 0.5)
        .map(|p| match data.closure_year(&p.id) {
            Some(year) => format!("{} (closed {year})", p.display_name()),
            None => p.display_name().to_string(),
        })
        .collect()
}

/// The shares of the plot's width the car panel may get, tried in turn until every value
/// label fits in both panels; the commercial vehicles' panel, with fewer and smaller plants,
/// gets the rest.
const CAR_SHARES: [f64; 4] = [0.6, 0.55, 0.5, 0.45];

/// How the rows are set: names at a role's size, the distance between lines as a multiple of
/// that size, and the space between rows in body units.
#[derive(Debug, Clone, Copy)]
struct Set {
    role: Role,
    leading: f64,
    pad: f64,
}

/// The settings tried in turn until every row fits: body text, then note-sized text, then
/// note-sized text set tighter and tighter.
const SETS: [Set; 4] = [
    Set {
        role: Role::Body,
        leading: 1.15,
        pad: 0.3,
    },
    Set {
        role: Role::Note,
        leading: 1.15,
        pad: 0.15,
    },
    Set {
        role: Role::Note,
        leading: 1.08,
        pad: 0.12,
    },
    Set {
        role: Role::Note,
        leading: 1.0,
        pad: 0.1,
    },
];

/// Half the height of a whisker's cap, in body units.
const CAP: f64 = 0.2;

/// The narrowest range drawn as a whisker, and the shortest bar that carries one, in body
/// units: a little over the caps' height. Narrower, the caps merge into a dark block that
/// reads as a published bar when the chart is shrunk; the range goes in the label instead.
const NARROWEST: f64 = 0.5;

/// "cars" or "commercial vehicles".
fn segment_words(segment: Segment) -> &'static str {
    match segment {
        Segment::Car => "cars",
        Segment::Cv => "commercial vehicles",
    }
}

/// Draw the chart: a panel per segment, side by side, each on its own scale (commercial
/// vehicles are a fifteenth of cars, and on one scale their bars would be slivers and the
/// chart too tall for its rows at a legible size). The panel on the larger scale says by how
/// much under its heading.
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
    if let Some(note) = data.transcription_note() {
        footer.push(' ');
        footer.push_str(&note);
    }
    let idle = idle(data);
    if !idle.is_empty() {
        footer.push_str(&format!(" {}: 0 in {base}, not shown.", idle.join(", ")));
    }
    // Whether the scales differ is a matter of widths alone: lay the panels out across the
    // page's full height to find out, before the frame says so.
    let whole = 0..page.height as i32;
    let differ = layout(root, page, data, whole, SETS[0])?
        .iter()
        .any(|p| p.rows.iter().any(|r| matches!(r, Row::Note(_))));
    let mut subtitle = format!("Vehicles built in {base}.");
    if differ {
        subtitle.push_str(" The two panels have different scales.");
    }
    // A range too short to draw is in its bar's label: "2,137 (1,600–2,600)" needs no key.
    subtitle.push_str(
        " Whiskers: the plausible range each estimate's argument allows (a judgement, not a \
         statistical interval).",
    );
    let frame = Frame {
        kicker: format!(
            "UK vehicle production: {base} output by plant, and how solid each figure is"
        ),
        title: headline(data),
        subtitle,
        legend: vec![
            (Swatch::Block(PUBLISHED), "Published".into()),
            (Swatch::Block(DERIVED), "Derived".into()),
            (Swatch::Outlined(ESTIMATE, DERIVED), "Estimate".into()),
            (
                Swatch::Hatched(MUTED),
                "Residual (SMMT less listed plants)".into(),
            ),
            (Swatch::Whisker(INK), "Plausible range".into()),
        ],
        footer,
        headline: None,
    };
    let (area, mut caption) = draw_frame(root, page, &frame)?;
    // The caption joins sentences with ". ": the subtitle's own full stop is not doubled.
    caption.description = caption.description.replace(".. ", ". ");
    let (_, ys) = area.get_pixel_range();
    let mut panels = Vec::new();
    for set in SETS {
        panels = layout(root, page, data, ys.clone(), set)?;
        if panels.iter().all(Panel::fits) {
            break;
        }
    }
    for panel in &panels {
        panel.draw(root, page)?;
    }
    Ok(caption)
}

/// The panels across the page at the one of `CAR_SHARES` that fits their labels with the
/// fewest lines of names, set as `set` says; under the heading of the panel drawn on the
/// larger scale, a note of how much larger ("Bars 8× as long as on the cars' scale").
fn layout<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    data: &Dataset,
    ys: Range<i32>,
    set: Set,
) -> DrawResult<Vec<Panel>, DB> {
    let left = page.margin();
    let right = page.width as i32 - page.margin();
    let gap = page.ui(1.2);
    let mut tried: Vec<Vec<Panel>> = Vec::new();
    for share in CAR_SHARES {
        let split = left + (f64::from(right - left) * share) as i32;
        let spans = [(left, split - gap / 2), (split + gap / 2, right)];
        let mut panels = Vec::new();
        for (segment, span) in Segment::ALL.into_iter().zip(spans) {
            let rows = rows(data, segment);
            panels.push(Panel::fit(
                root,
                page,
                segment,
                rows,
                span,
                ys.clone(),
                set,
            )?);
        }
        tried.push(panels);
    }
    // Of the shares at which every label fits, the first with the fewest lines of names;
    // else the last share.
    let lines = |ps: &Vec<Panel>| ps.iter().map(Panel::name_lines).sum::<usize>();
    let pick = tried
        .iter()
        .enumerate()
        .filter(|(_, ps)| ps.iter().all(Panel::labels_fit))
        .min_by_key(|(i, ps)| (lines(ps), *i))
        .map_or(tried.len() - 1, |(i, _)| i);
    let mut panels = tried.swap_remove(pick);
    let scale = |p: &Panel| f64::from(p.axis.x1 - p.axis.x0) / p.axis.max;
    let (Some(small), Some(large)) = (
        panels.iter().min_by(|a, b| scale(a).total_cmp(&scale(b))),
        panels.iter().max_by(|a, b| scale(a).total_cmp(&scale(b))),
    ) else {
        return Ok(panels);
    };
    let times = (scale(large) / scale(small)).round();
    if times >= 2.0 {
        let (other, segment) = (segment_words(small.segment), large.segment);
        if let Some(i) = panels.iter().position(|p| p.segment == segment) {
            let panel = &panels[i];
            let mut rows = panel.rows.clone();
            rows.insert(
                1,
                Row::Note(format!("Bars {times:.0}× as long as on the {other}' scale")),
            );
            panels[i] = Panel::fit(root, page, segment, rows, panel.span, ys, set)?;
        }
    }
    Ok(panels)
}

/// One segment's panel: where everything goes.
struct Panel {
    segment: Segment,
    rows: Vec<Row>,
    role: Role,
    /// The distance between lines of a name.
    line: i32,
    /// Left and right edges.
    span: (i32, i32),
    names: Vec<Vec<String>>,
    /// Top and bottom of each row.
    spans: Vec<(i32, i32)>,
    axis: ValueAxis,
    /// Each bar's reach and the room its label takes after it.
    labels: Vec<(f64, i32)>,
    bottom: i32,
}

impl Panel {
    /// Lay a segment's rows out across `left..right` and down `ys`, names set as `set` says;
    /// names wrap in a column of at most 45% of the panel (never narrower than a word). A
    /// range too narrow to draw as a whisker, or on a bar too short to carry one, goes in
    /// its bar's label instead.
    fn fit<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        page: &Page,
        segment: Segment,
        mut rows: Vec<Row>,
        (left, right): (i32, i32),
        ys: Range<i32>,
        set: Set,
    ) -> DrawResult<Panel, DB> {
        let role = set.role;
        // Which ranges go in labels is decided afresh below.
        for row in &mut rows {
            if let Row::Bar { ranged, .. } = row {
                *ranged = false;
            }
        }
        let name_style = page.text(role, INK);
        let heading_style = page.bold(role, INK);
        let note_style = page.text(Role::Note, MUTED);
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
            .min((f64::from(right - left) * 0.45) as i32)
            .max(word)
            .max(page.ui(4.0));
        let mut names = Vec::new();
        for row in &rows {
            names.push(match row {
                // A heading and its note run across the panel.
                Row::Heading(text) => wrap_all(area, text, &heading_style, (right - left) as u32)?,
                Row::Note(text) => wrap_all(area, text, &note_style, (right - left) as u32)?,
                Row::Bar { name, .. } => wrap_all(area, name, &name_style, column as u32)?,
            });
        }
        let x0 = left + column + page.ui(0.6);
        let gap = page.ui(0.4);
        // Which ranges go in labels is decided on the axis the plain labels give. A short
        // bar's always does; a longer bar's only where its label, range and all, still fits
        // after it, so no label pushes the scale down and narrows the other whiskers (a
        // narrow whisker at the end of a long bar is a mark on it, not a block of its own).
        // The labels that gain a range can still lengthen the axis, so a whisker left drawn
        // is checked once more, against the caps' height, on the axis they give. Two passes,
        // never a cascade.
        let fitted = |rows: &[Row]| -> DrawResult<(ValueAxis, Vec<(f64, i32)>), DB> {
            let mut labels = Vec::new();
            for row in rows {
                if let Row::Bar { .. } = row {
                    let w = text_size(area, &row.label(), &name_style)?.0;
                    labels.push((row.reach(), w + gap));
                }
            }
            let reach = rows.iter().map(Row::reach).fold(0.0, f64::max);
            Ok((ValueAxis::fitting(x0, right, reach, &labels), labels))
        };
        let (mut axis, mut labels) = fitted(&rows)?;
        for narrowest in [page.ui(NARROWEST), 2 * page.ui(CAP)] {
            for row in &mut rows {
                let Row::Bar {
                    value,
                    range: Some((low, high)),
                    ranged: ranged @ false,
                    ..
                } = row
                else {
                    continue;
                };
                let short = axis.px(*value) - axis.px(0.0) < narrowest;
                if !short && axis.px(*high) - axis.px(*low) >= narrowest {
                    continue;
                }
                let w = text_size(area, &ranged_label(*value, *low, *high), &name_style)?.0;
                if short || axis.px(*value) + w + gap <= right {
                    *ranged = true;
                }
            }
            (axis, labels) = fitted(&rows)?;
        }
        let line = (page.font(role) * set.leading).round() as i32;
        let pad = page.ui(set.pad);
        let bottom = ys.end - value_axis_depth(page);
        let mut spans = Vec::new();
        let mut y = ys.start + page.ui(0.1);
        for lines in &names {
            let h = line * lines.len().max(1) as i32 + pad;
            spans.push((y, y + h));
            y += h;
        }
        Ok(Panel {
            segment,
            rows,
            role,
            line,
            span: (left, right),
            names,
            spans,
            axis,
            labels,
            bottom,
        })
    }

    fn fits(&self) -> bool {
        self.spans.last().is_none_or(|s| s.1 <= self.bottom)
    }

    /// How many lines the bars' names take.
    fn name_lines(&self) -> usize {
        self.rows
            .iter()
            .zip(&self.names)
            .filter(|(row, _)| matches!(row, Row::Bar { .. }))
            .map(|(_, lines)| lines.len())
            .sum()
    }

    /// Whether every value label ends inside the panel.
    fn labels_fit(&self) -> bool {
        self.labels
            .iter()
            .all(|&(v, w)| self.axis.px(v) + w <= self.span.1)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
    ) -> DrawResult<(), DB> {
        // Gridlines start at the first bar's row.
        let top = self
            .rows
            .iter()
            .position(|r| matches!(r, Row::Bar { .. }))
            .map_or(self.bottom, |i| self.spans[i].0);
        self.axis.draw(root, page, (top, self.bottom), &short)?;
        let line = self.line;
        let name_style = anchor(&page.text(self.role, INK), HPos::Left, VPos::Center);
        let heading_style = anchor(&page.bold(self.role, INK), HPos::Left, VPos::Center);
        let note_style = anchor(&page.text(Role::Note, MUTED), HPos::Left, VPos::Center);
        for (i, row) in self.rows.iter().enumerate() {
            let (y0, y1) = self.spans[i];
            let lines = &self.names[i];
            let mid = (y0 + y1) / 2;
            let mut y = mid - line * (lines.len() as i32 - 1) / 2;
            let style = match row {
                Row::Heading(_) => &heading_style,
                Row::Note(_) => &note_style,
                Row::Bar { .. } => &name_style,
            };
            for l in lines {
                root.draw(&Text::new(l.clone(), (self.span.0, y), style.clone()))?;
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
        let Row::Bar { value, fill, .. } = row else {
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
        if let Some((low, high)) = row.whisker() {
            whisker(root, page, (axis.px(low), axis.px(high)), mid)?;
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
    let cap = page.ui(CAP);
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
