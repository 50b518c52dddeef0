//! Layout rules every chart must pass (issue 9), on the shipped scenarios and the edge cases,
//! for every chart type, at sizes doc and slide: text large enough at the size the chart is
//! pasted at, every text box inside the canvas, no two text boxes overlapping, distinct and
//! stable series colours, an SVG `<title>` and `<desc>`, and a PNG resolution that pastes at
//! the preset's width.
//!
//! The binary is run once per size for every chart (see `renders`), each SVG is parsed once,
//! and every check reads those parsed charts. Text boxes are worked out here from the embedded
//! font's own metrics (DejaVu Sans through ab_glyph), not from the program's measuring, so a
//! chart that mismeasures its labels fails. A text's box is its advance width (kerned) from its
//! anchor, by the font's line box: ascent (0.928 em) above the baseline to descent (0.236 em)
//! below, 1.164 em in all, which is the size plotters is given (`Page::font`). Stacked labels
//! therefore need baselines at least that far apart; plotters' `estimate_text_size` height
//! (0.94 em) is too little. With `CHART_LAYOUT_BOXES=DIR` set, every chart is also written to
//! DIR with these boxes outlined, to see a failure in a browser.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};

use crate::common::Project;

// ---------------------------------------------------------------------------------------------
// Size presets and the text rules, as issue 9 states them.

/// A size preset: its canvas in pixels and the width it is pasted at.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Preset {
    name: &'static str,
    width: u32,
    height: u32,
    paste_cm: f64,
}

const DOC: Preset = Preset {
    name: "doc",
    width: 1890,
    height: 1181,
    paste_cm: 16.0,
};
const SLIDE: Preset = Preset {
    name: "slide",
    width: 1920,
    height: 1080,
    paste_cm: 33.867,
};
const WIDE: Preset = Preset {
    name: "wide",
    width: 2835,
    height: 1181,
    paste_cm: 24.0,
};

impl Preset {
    /// The paste width in points (72 to the inch).
    fn paste_pt(&self) -> f64 {
        self.paste_cm / 2.54 * 72.0
    }
}

/// Smallest text anywhere, in points at the paste width.
const MIN_PT: f64 = 7.0;
/// Smallest axis tick label.
const MIN_TICK_PT: f64 = 8.0;
/// Smallest title.
const MIN_TITLE_PT: f64 = 11.0;
/// The SVG writes font-size with two decimals, so a size set exactly at a limit can print up
/// to half a hundredth of a pixel under it.
const PRINT_ROUNDING_PX: f64 = 0.005;
/// How far a box may pass the canvas edge or into another box, in pixels.
const TOLERANCE_PX: f64 = 1.0;

/// A font-size in pixels as points when a canvas `canvas_px` wide is pasted at the preset's
/// width.
fn points(px: f64, canvas_px: f64, preset: Preset) -> f64 {
    px * preset.paste_pt() / canvas_px
}

// ---------------------------------------------------------------------------------------------
// Measuring text with the embedded font.

/// DejaVu Sans, regular and bold, as the charts embed it.
struct Fonts {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts {
        regular: FontRef::try_from_slice(dejavu::sans::regular()).expect("DejaVu Sans parses"),
        bold: FontRef::try_from_slice(dejavu::sans::bold()).expect("DejaVu Sans Bold parses"),
    })
}

impl Fonts {
    fn face(&self, bold: bool) -> &FontRef<'static> {
        if bold { &self.bold } else { &self.regular }
    }
}

/// ab_glyph sizes a font by its ascent-to-descent height; an SVG font-size is the em. For
/// DejaVu Sans the em is 2048 units and that height 1901 + 483 = 2384.
fn px_scale(font: &FontRef<'_>, em_px: f64) -> PxScale {
    let em_over_height = font.units_per_em().unwrap_or(2048.0) / font.height_unscaled();
    PxScale::from((em_px / f64::from(em_over_height)) as f32)
}

/// The advance width of `text` at an em of `em_px` pixels, with the font's kerning.
fn advance_width(font: &FontRef<'_>, text: &str, em_px: f64) -> f64 {
    let scaled = font.as_scaled(px_scale(font, em_px));
    let mut width = 0.0f32;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            width += scaled.kern(p, id);
        }
        width += scaled.h_advance(id);
        previous = Some(id);
    }
    f64::from(width)
}

/// The font's vertical metrics in pixels at an em of `em_px`: ascent above the baseline,
/// descent below it (positive), and the x-height (what an SVG `ex` is).
#[derive(Debug, Clone, Copy)]
struct Vertical {
    ascent: f64,
    descent: f64,
    x_height: f64,
}

fn vertical(font: &FontRef<'_>, em_px: f64) -> Vertical {
    let scaled = font.as_scaled(px_scale(font, em_px));
    let per_unit = em_px / f64::from(font.units_per_em().unwrap_or(2048.0));
    // ab_glyph's unscaled outline bounds keep the font's y-up top in one of the two corners.
    let x_top = font
        .outline(font.glyph_id('x'))
        .map(|o| o.bounds.min.y.max(o.bounds.max.y))
        .unwrap_or(0.0);
    Vertical {
        ascent: f64::from(scaled.ascent()),
        descent: -f64::from(scaled.descent()),
        x_height: f64::from(x_top) * per_unit,
    }
}

// ---------------------------------------------------------------------------------------------
// Boxes.

/// An axis-aligned box in canvas pixels (y down).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Rect {
    fn around(points: &[(f64, f64)]) -> Option<Rect> {
        let first = points.first()?;
        Some(points.iter().fold(
            Rect {
                x0: first.0,
                y0: first.1,
                x1: first.0,
                y1: first.1,
            },
            |r, &(x, y)| Rect {
                x0: r.x0.min(x),
                y0: r.y0.min(y),
                x1: r.x1.max(x),
                y1: r.y1.max(y),
            },
        ))
    }

    /// Whether the two boxes share more than `tolerance` pixels both ways.
    fn overlaps(&self, other: &Rect, tolerance: f64) -> bool {
        let w = self.x1.min(other.x1) - self.x0.max(other.x0);
        let h = self.y1.min(other.y1) - self.y0.max(other.y0);
        w > tolerance && h > tolerance
    }

    /// Whether the box lies within a `width` by `height` canvas, give or take `tolerance`.
    fn inside(&self, width: f64, height: f64, tolerance: f64) -> bool {
        self.x0 >= -tolerance
            && self.y0 >= -tolerance
            && self.x1 <= width + tolerance
            && self.y1 <= height + tolerance
    }

    fn corners(&self) -> [(f64, f64); 4] {
        [
            (self.x0, self.y0),
            (self.x1, self.y0),
            (self.x1, self.y1),
            (self.x0, self.y1),
        ]
    }
}

impl fmt::Display for Rect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "x {:.1}..{:.1}, y {:.1}..{:.1}",
            self.x0, self.x1, self.y0, self.y1
        )
    }
}

// ---------------------------------------------------------------------------------------------
// The SVG, as plotters writes it.

/// Horizontal anchor (`text-anchor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    Start,
    Middle,
    End,
}

/// A vertical shift of the baseline (`dy`): plotters writes "0.76em" for a top anchor,
/// "0.5ex" for a centre and "-0.5ex" for a bottom one.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shift {
    Em(f64),
    Ex(f64),
    Px(f64),
}

impl Shift {
    fn parse(value: Option<&str>) -> Result<Shift, String> {
        let Some(v) = value.map(str::trim) else {
            return Ok(Shift::Px(0.0));
        };
        let number = |s: &str| s.parse::<f64>().map_err(|_| format!("dy \"{v}\""));
        if let Some(n) = v.strip_suffix("em") {
            Ok(Shift::Em(number(n)?))
        } else if let Some(n) = v.strip_suffix("ex") {
            Ok(Shift::Ex(number(n)?))
        } else {
            Ok(Shift::Px(number(v.strip_suffix("px").unwrap_or(v))?))
        }
    }

    fn px(self, em_px: f64, metrics: Vertical) -> f64 {
        match self {
            Shift::Em(n) => n * em_px,
            Shift::Ex(n) => n * metrics.x_height,
            Shift::Px(n) => n,
        }
    }
}

/// One `<text>` element.
#[derive(Debug, Clone, PartialEq)]
struct Text {
    content: String,
    x: f64,
    y: f64,
    dy: Shift,
    anchor: Anchor,
    /// font-size: the em, in pixels.
    size: f64,
    bold: bool,
    fill: String,
    /// `rotate(angle, cx, cy)`, in degrees clockwise on the canvas.
    rotate: Option<(f64, f64, f64)>,
}

impl Text {
    /// The text's box: its advance width from the anchor, from the font's ascent to its
    /// descent around the baseline (the line box a browser selects), turned by any rotation.
    fn bounds(&self) -> Rect {
        let font = fonts().face(self.bold);
        let width = advance_width(font, &self.content, self.size);
        let metrics = vertical(font, self.size);
        let baseline = self.y + self.dy.px(self.size, metrics);
        let left = match self.anchor {
            Anchor::Start => self.x,
            Anchor::Middle => self.x - width / 2.0,
            Anchor::End => self.x - width,
        };
        let upright = Rect {
            x0: left,
            y0: baseline - metrics.ascent,
            x1: left + width,
            y1: baseline + metrics.descent,
        };
        match self.rotate {
            None => upright,
            Some((angle, cx, cy)) => {
                let (sin, cos) = angle.to_radians().sin_cos();
                let turned: Vec<(f64, f64)> = upright
                    .corners()
                    .iter()
                    .map(|&(x, y)| {
                        let (dx, dy) = (x - cx, y - cy);
                        (cx + dx * cos - dy * sin, cy + dx * sin + dy * cos)
                    })
                    .collect();
                Rect::around(&turned).unwrap_or(upright)
            }
        }
    }
}

/// A drawn shape: its fill and stroke colours and its extent.
#[derive(Debug, Clone, PartialEq)]
struct Shape {
    fill: Option<String>,
    stroke: Option<String>,
    bounds: Option<Rect>,
}

impl Shape {
    /// The colour the shape shows: its fill, else its stroke (a line).
    fn colour(&self) -> Option<&str> {
        fn visible(c: &Option<String>) -> Option<&str> {
            c.as_deref()
                .filter(|c| !c.eq_ignore_ascii_case("none") && !is_white(c))
        }
        visible(&self.fill).or_else(|| visible(&self.stroke))
    }
}

fn is_white(colour: &str) -> bool {
    colour.eq_ignore_ascii_case("#ffffff") || colour.eq_ignore_ascii_case("white")
}

/// What an SVG draws, in document order.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Text(Text),
    Shape(Shape),
}

/// A parsed chart.
#[derive(Debug, Clone)]
struct Svg {
    /// Where it came from, e.g. "doc/five-entrants/makers.svg".
    name: String,
    preset: Preset,
    width: f64,
    height: f64,
    title: String,
    desc: String,
    items: Vec<Item>,
}

impl Svg {
    fn texts(&self) -> impl Iterator<Item = (usize, &Text)> {
        self.items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match item {
                Item::Text(t) if !t.content.is_empty() => Some((i, t)),
                _ => None,
            })
    }

    /// The chart as named in a failure: file and canvas.
    fn label(&self) -> String {
        format!("{} (canvas {}x{})", self.name, self.width, self.height)
    }
}

fn number(node: roxmltree::Node<'_, '_>, attribute: &str) -> Result<f64, String> {
    let value = node
        .attribute(attribute)
        .ok_or_else(|| format!("<{}> without {attribute}", node.tag_name().name()))?;
    value
        .trim()
        .trim_end_matches("px")
        .parse()
        .map_err(|_| format!("{attribute}=\"{value}\""))
}

/// `rotate(angle)` or `rotate(angle, cx, cy)`.
fn parse_rotate(transform: &str) -> Result<(f64, f64, f64), String> {
    let inner = transform
        .trim()
        .strip_prefix("rotate(")
        .and_then(|s| s.strip_suffix(')'))
        .ok_or_else(|| format!("transform \"{transform}\" is not a rotation"))?;
    let parts: Vec<f64> = inner
        .split([',', ' '])
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("transform \"{transform}\""))?;
    match parts[..] {
        [angle] => Ok((angle, 0.0, 0.0)),
        [angle, cx, cy] => Ok((angle, cx, cy)),
        _ => Err(format!("transform \"{transform}\"")),
    }
}

fn parse_text(node: roxmltree::Node<'_, '_>) -> Result<Text, String> {
    // SVG drops the leading and trailing white space of a text (plotters writes newlines).
    let content: String = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<String>()
        .trim()
        .to_string();
    let anchor = match node.attribute("text-anchor").unwrap_or("start") {
        "start" => Anchor::Start,
        "middle" => Anchor::Middle,
        "end" => Anchor::End,
        other => return Err(format!("text-anchor \"{other}\" on \"{content}\"")),
    };
    let rotate = node.attribute("transform").map(parse_rotate).transpose()?;
    Ok(Text {
        x: number(node, "x")?,
        y: number(node, "y")?,
        dy: Shift::parse(node.attribute("dy"))?,
        anchor,
        size: number(node, "font-size")?,
        bold: matches!(
            node.attribute("font-weight"),
            Some("bold" | "700" | "800" | "900")
        ),
        fill: node.attribute("fill").unwrap_or("#000000").to_uppercase(),
        rotate,
        content,
    })
}

/// The points of a polyline or polygon.
fn parse_points(points: &str) -> Vec<(f64, f64)> {
    let numbers: Vec<f64> = points
        .split([',', ' ', '\n'])
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    numbers.chunks_exact(2).map(|p| (p[0], p[1])).collect()
}

fn shape_bounds(node: roxmltree::Node<'_, '_>) -> Option<Rect> {
    let n = |a: &str| number(node, a).ok();
    match node.tag_name().name() {
        "rect" => {
            let (x, y, w, h) = (n("x")?, n("y")?, n("width")?, n("height")?);
            Some(Rect {
                x0: x,
                y0: y,
                x1: x + w,
                y1: y + h,
            })
        }
        "circle" => {
            let (cx, cy, r) = (n("cx")?, n("cy")?, n("r")?);
            Some(Rect {
                x0: cx - r,
                y0: cy - r,
                x1: cx + r,
                y1: cy + r,
            })
        }
        "line" => Rect::around(&[(n("x1")?, n("y1")?), (n("x2")?, n("y2")?)]),
        "polyline" | "polygon" => Rect::around(&parse_points(node.attribute("points")?)),
        _ => None,
    }
}

const SHAPES: [&str; 6] = ["rect", "circle", "line", "polyline", "polygon", "path"];

/// Parse an SVG as plotters writes it.
fn parse_svg(name: &str, preset: Preset, source: &str) -> Result<Svg, String> {
    let doc = roxmltree::Document::parse(source).map_err(|e| format!("not XML: {e}"))?;
    let root = doc.root_element();
    let child_text = |tag: &str| {
        root.children()
            .find(|n| n.has_tag_name(tag))
            .and_then(|n| n.text())
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let mut items = Vec::new();
    for node in root.descendants().filter(|n| n.is_element()) {
        let tag = node.tag_name().name();
        if tag == "text" {
            items.push(Item::Text(parse_text(node)?));
        } else if SHAPES.contains(&tag) {
            items.push(Item::Shape(Shape {
                fill: node.attribute("fill").map(str::to_uppercase),
                stroke: node.attribute("stroke").map(str::to_uppercase),
                bounds: shape_bounds(node),
            }));
        }
    }
    Ok(Svg {
        name: name.to_string(),
        preset,
        width: number(root, "width")?,
        height: number(root, "height")?,
        title: child_text("title"),
        desc: child_text("desc"),
        items,
    })
}

// ---------------------------------------------------------------------------------------------
// Roles of text, by rule.

/// A year or an axis value: "0", "250k", "1.0m", "1,000", "10%", "-50k", "2035".
fn is_axis_value(text: &str) -> bool {
    let body = text
        .strip_prefix(['+', '-', '\u{2212}'])
        .unwrap_or(text)
        .trim_end_matches(['k', 'm', '%']);
    !body.is_empty()
        && body.starts_with(|c: char| c.is_ascii_digit())
        && body.ends_with(|c: char| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// Rows (same y, shift and turn: an x axis) and columns (same x, anchor and turn: a y axis)
/// of at least three texts of one size.
fn aligned_groups(svg: &Svg) -> Vec<Vec<usize>> {
    let key = |v: f64| (v * 10.0).round() as i64;
    let mut rows: BTreeMap<(i64, i64, String), Vec<usize>> = BTreeMap::new();
    let mut columns: BTreeMap<(i64, i64, String), Vec<usize>> = BTreeMap::new();
    for (i, t) in svg.texts() {
        let turn = format!("{:?}", t.rotate);
        rows.entry((key(t.y), key(t.size), format!("{:?}{turn}", t.dy)))
            .or_default()
            .push(i);
        columns
            .entry((key(t.x), key(t.size), format!("{:?}{turn}", t.anchor)))
            .or_default()
            .push(i);
    }
    rows.into_values()
        .chain(columns.into_values())
        .filter(|group| group.len() >= 3)
        .collect()
}

fn is_value_at(svg: &Svg, i: usize) -> bool {
    matches!(&svg.items[i], Item::Text(t) if is_axis_value(&t.content))
}

/// The texts held to the tick size: every year or axis value, and every text in a row or
/// column with one (the category labels of an axis, such as a bridge's "2025", "Nissan").
fn tick_labels(svg: &Svg) -> BTreeSet<usize> {
    let mut ticks: BTreeSet<usize> = svg
        .texts()
        .filter(|(_, t)| is_axis_value(&t.content))
        .map(|(i, _)| i)
        .collect();
    for group in aligned_groups(svg) {
        if group.iter().any(|&i| is_value_at(svg, i)) {
            ticks.extend(group);
        }
    }
    ticks
}

/// The title: the largest bold text (the first of equals).
fn title(svg: &Svg) -> Option<&Text> {
    svg.texts()
        .map(|(_, t)| t)
        .filter(|t| t.bold)
        .fold(None, |best: Option<&Text>, t| match best {
            Some(b) if b.size >= t.size => Some(b),
            _ => Some(t),
        })
}

// ---------------------------------------------------------------------------------------------
// The checks: each returns one line per failure, naming the chart, the text and its box.

/// A text under `limit` points, as a failure.
fn too_small(svg: &Svg, t: &Text, role: &str, limit: f64) -> Option<String> {
    let pt = points(t.size, svg.width, svg.preset);
    let printed_under = points(PRINT_ROUNDING_PX, svg.width, svg.preset);
    (pt + printed_under < limit).then(|| {
        format!(
            "{}: {role} \"{}\" is {pt:.2} pt ({} px), under {limit} pt",
            svg.label(),
            t.content,
            t.size
        )
    })
}

fn check_text_sizes(svg: &Svg) -> Vec<String> {
    let ticks = tick_labels(svg);
    let mut failures: Vec<String> = svg
        .texts()
        .filter_map(|(i, t)| {
            if ticks.contains(&i) {
                too_small(svg, t, "axis tick label", MIN_TICK_PT)
            } else {
                too_small(svg, t, "text", MIN_PT)
            }
        })
        .collect();
    match title(svg) {
        None => failures.push(format!("{}: no bold text, so no title", svg.label())),
        Some(t) => failures.extend(too_small(svg, t, "title", MIN_TITLE_PT)),
    }
    failures
}

fn check_inside_canvas(svg: &Svg) -> Vec<String> {
    svg.texts()
        .filter_map(|(_, t)| {
            let b = t.bounds();
            (!b.inside(svg.width, svg.height, TOLERANCE_PX)).then(|| {
                format!(
                    "{}: \"{}\" box {b} passes the canvas edge",
                    svg.label(),
                    t.content
                )
            })
        })
        .collect()
}

fn check_overlaps(svg: &Svg) -> Vec<String> {
    let boxes: Vec<(&Text, Rect)> = svg.texts().map(|(_, t)| (t, t.bounds())).collect();
    let mut failures = Vec::new();
    for (i, (a, ab)) in boxes.iter().enumerate() {
        for (b, bb) in &boxes[i + 1..] {
            if ab.overlaps(bb, TOLERANCE_PX) {
                failures.push(format!(
                    "{}: \"{}\" box {ab} overlaps \"{}\" box {bb}",
                    svg.label(),
                    a.content,
                    b.content
                ));
            }
        }
    }
    failures
}

fn check_caption(svg: &Svg) -> Vec<String> {
    let mut failures = Vec::new();
    if svg.title.is_empty() {
        failures.push(format!("{}: empty or missing <title>", svg.label()));
    }
    if svg.desc.is_empty() {
        failures.push(format!("{}: empty or missing <desc>", svg.label()));
    }
    failures
}

fn check_canvas(svg: &Svg) -> Vec<String> {
    let p = svg.preset;
    if (svg.width, svg.height) == (f64::from(p.width), f64::from(p.height)) {
        Vec::new()
    } else {
        vec![format!(
            "{}: the {} preset is {}x{}",
            svg.label(),
            p.name,
            p.width,
            p.height
        )]
    }
}

// ---------------------------------------------------------------------------------------------
// Series colours: which colour a label identifies.

/// Text colours that identify no series in this chart: the title's, the smallest text's (the
/// source line), those of rows or columns made only of values (axis ticks), white and black.
fn neutral_colours(svg: &Svg) -> BTreeSet<String> {
    let mut neutral: BTreeSet<String> = ["#FFFFFF", "#000000", "WHITE", "BLACK"]
        .map(String::from)
        .into();
    neutral.extend(title(svg).map(|t| t.fill.clone()));
    let smallest = svg
        .texts()
        .map(|(_, t)| t)
        .min_by(|a, b| a.size.total_cmp(&b.size));
    neutral.extend(smallest.map(|t| t.fill.clone()));
    for group in aligned_groups(svg) {
        if group.iter().all(|&i| is_value_at(svg, i)) {
            for i in group {
                if let Item::Text(t) = &svg.items[i] {
                    neutral.insert(t.fill.clone());
                }
            }
        }
    }
    neutral
}

/// The colour a label identifies: its own colour when it is coloured, else that of the swatch
/// drawn just before it, to its left and level with it (a legend entry).
fn key_colour(svg: &Svg, index: usize, neutral: &BTreeSet<String>) -> Option<String> {
    let Item::Text(text) = &svg.items[index] else {
        return None;
    };
    if !neutral.contains(&text.fill) {
        return Some(text.fill.clone());
    }
    let Some(Item::Shape(shape)) = index.checked_sub(1).map(|i| &svg.items[i]) else {
        return None;
    };
    let (t, s) = (text.bounds(), shape.bounds?);
    let middle = (s.y0 + s.y1) / 2.0;
    let left_of = s.x1 <= t.x0 + TOLERANCE_PX && s.x1 >= t.x0 - 3.0 * text.size;
    let level = middle >= t.y0 && middle <= t.y1;
    (left_of && level)
        .then(|| shape.colour().map(str::to_string))
        .flatten()
}

/// The longest of `names` that `text` starts with as a whole word.
fn named<'a>(text: &str, names: &'a [String]) -> Option<&'a str> {
    names
        .iter()
        .filter(|n| {
            text.strip_prefix(n.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ':', ',', '(']))
                // The first line of a long name wrapped onto several.
                || (text.chars().count() >= 16 && n.starts_with(text.trim_end()))
        })
        .max_by_key(|n| n.len())
        .map(String::as_str)
}

/// Each named series' key colours in a chart (label text -> colours found).
fn series_colours(svg: &Svg, names: &[String]) -> BTreeMap<String, BTreeSet<String>> {
    let neutral = neutral_colours(svg);
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (i, t) in svg.texts() {
        if let Some(name) = named(&t.content, names)
            && let Some(colour) = key_colour(svg, i, &neutral)
        {
            found.entry(name.to_string()).or_default().insert(colour);
        }
    }
    found
}

/// Failures where two series share a colour.
fn shared_colours(svg: &Svg, colours: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut by_colour: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, set) in colours {
        for c in set {
            by_colour.entry(c).or_default().push(name);
        }
    }
    by_colour
        .into_iter()
        .filter(|(_, names)| names.len() > 1)
        .map(|(c, names)| {
            format!(
                "{}: {} share the colour {c}",
                svg.label(),
                names
                    .iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Rendering every chart once per size.

const SHIPPED: [&str; 11] = [
    "agratas-late",
    "baseline",
    "chery-greenfield",
    "chery-halewood",
    "chery-halewood-uncertain",
    "cyber-repeat",
    "existing-makers-best",
    "jlr-recovery",
    "pessimistic",
    "target-1-3m",
    "target-1-3m-uncertain",
];
const LONG_NAME: &str = "a-scenario-with-a-very-long-name-of-sixty-characters-in-total";
const EDGE: [&str; 5] = [
    "two-entrants",
    "five-entrants",
    "boom",
    "long-description-edge-case",
    LONG_NAME,
];
/// The scenarios with ranges: a fan on `run`, a tornado from `sensitivity`.
const UNCERTAIN: [&str; 3] = [
    "chery-halewood-uncertain",
    "target-1-3m-uncertain",
    LONG_NAME,
];
/// `--set` variants of the edge-case brief, by the name given with `--as`.
const VARIANTS: [(&str, &str, &str); 3] = [
    ("baseline", "horizon.end_year=2050", "baseline-to-2050"),
    ("baseline", "horizon.end_year=2030", "baseline-to-2030"),
    (
        "chery-halewood",
        "programmes.chery-halewood.peak=300000",
        "capacity-bound",
    ),
];
/// Variants with several `--set` changes, by the name given with `--as`: the powertrain,
/// battery and jobs charts far from the shipped cases (every new car at Halewood electric,
/// output far above capacity, jobs following output, a cell plant's capacity cut to nothing
/// so that demand outruns it every year, to 2050).
const FAR_OFF: [(&str, &[&str], &str); 2] = [
    (
        "chery-halewood",
        &[
            "horizon.end_year=2050",
            "programmes.chery-halewood.peak=400000",
            "programmes.chery-halewood.powertrain={BEV=1}",
            "programmes.chery-halewood.jobs=3000",
            "assumptions.existing_jobs=follow-output",
        ],
        "far-off",
    ),
    (
        "agratas-late",
        &[
            "battery_plants.agratas-somerset.capacity={2030=0}",
            "battery_plants.aesc-sunderland-2.capacity={2026=0}",
        ],
        "no-cells",
    ),
];
/// Scenarios a, b, c, d of the colour check: the order of a comparison, and which others are
/// in it, must not change a scenario's colour.
const A: &str = "baseline";
const B: &str = "chery-halewood";
const C: &str = "boom";
const D: &str = "pessimistic";
const COMPARISONS: [&[&str]; 5] = [
    &[A, B, C],
    &[C, A, B],
    &[B, D],
    &[
        "baseline",
        "chery-halewood",
        "chery-greenfield",
        "jlr-recovery",
        "pessimistic",
        "target-1-3m",
        "existing-makers-best",
        "boom",
    ],
    &[LONG_NAME, "long-description-edge-case", "five-entrants"],
];

/// Every chart, parsed, and what went wrong drawing them.
struct Renders {
    svgs: Vec<Svg>,
    /// PNG files: name, preset, bytes.
    pngs: Vec<(String, Preset, Vec<u8>)>,
    /// SVG commands that failed, files that would not parse.
    problems: Vec<String>,
    /// PNG commands that failed.
    png_problems: Vec<String>,
    /// The makers of each scenario run (components.csv) and "Other".
    makers: BTreeMap<String, Vec<String>>,
    /// Each scenario's name on charts.
    display: BTreeMap<String, String>,
}

fn renders() -> &'static Renders {
    static RENDERS: OnceLock<Renders> = OnceLock::new();
    RENDERS.get_or_init(render_all)
}

/// The project: the shipped data and scenarios, and the edge cases from the fixtures.
fn project() -> Project {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut project = Project::new();
    for file in [
        "history.csv",
        "plants.csv",
        "plant_output.csv",
        "residuals.csv",
        // The powertrain split, headcounts, cell plants, battery sizes and the ZEV mandate,
        // so that every run draws its powertrain, battery and jobs charts too.
        "powertrain.csv",
        "electrified.csv",
        "employment.csv",
        "battery_plants.csv",
        "battery_capacity.csv",
        "battery_sizes.csv",
        "zev_mandate.csv",
    ] {
        let csv = std::fs::read_to_string(root.join("data").join(file)).expect("shipped data");
        project = project.data(file, &csv);
    }
    for dir in ["scenarios", "tests/fixtures/edge"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("scenario folder") {
            let path = entry.expect("folder entry").path();
            if path.extension().is_some_and(|e| e == "toml") {
                let stem = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .expect("file stem");
                let toml = std::fs::read_to_string(&path).expect("scenario file");
                project = project.scenario(stem, &toml);
            }
        }
    }
    project
}

/// The commands that draw every chart at one size into `output/SIZE`.
fn commands(size: &str) -> Vec<Vec<String>> {
    let out = format!("output/{size}");
    let tail = |mut args: Vec<String>| {
        args.extend(["--format", "svg", "--size", size, "--out", out.as_str()].map(String::from));
        args
    };
    let strings = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut all = vec![tail(strings(
        &[&["run"][..], &SHIPPED[..], &EDGE[..]].concat(),
    ))];
    for (scenario, set, name) in VARIANTS {
        all.push(tail(strings(&[
            "run", scenario, "--set", set, "--as", name,
        ])));
    }
    for (scenario, sets, name) in FAR_OFF {
        let mut args = vec!["run", scenario];
        for set in sets {
            args.extend(["--set", set]);
        }
        args.extend(["--as", name]);
        all.push(tail(strings(&args)));
    }
    for scenario in UNCERTAIN {
        all.push(tail(strings(&["sensitivity", scenario])));
    }
    for names in COMPARISONS {
        all.push(tail(strings(&[&["compare"][..], names].concat())));
    }
    for command in ["history", "data"] {
        all.push(strings(&[
            command,
            "--format",
            "svg",
            "--size",
            size,
            "--out",
            out.as_str(),
        ]));
    }
    all
}

/// Run a command; its failure, if any.
fn run(project: &Project, args: &[String]) -> Option<String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = project.cmd(&args).output().expect("the binary starts");
    (!output.status.success()).then(|| {
        format!(
            "`ukprod {}` failed ({}): {}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Every file under `dir` ending in `.ext`, by its path relative to `dir`.
fn files(dir: &Path, ext: &str) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            for (rel, bytes) in files(&path, ext) {
                found.push((format!("{name}/{rel}"), bytes));
            }
        } else if path.extension().is_some_and(|e| e == ext)
            && let Ok(bytes) = std::fs::read(&path)
        {
            found.push((name, bytes));
        }
    }
    found.sort();
    found
}

fn render_all() -> Renders {
    let project = project();
    let mut renders = Renders {
        svgs: Vec::new(),
        pngs: Vec::new(),
        problems: Vec::new(),
        png_problems: Vec::new(),
        makers: BTreeMap::new(),
        display: display_names(&project),
    };
    for preset in [DOC, SLIDE] {
        for args in commands(preset.name) {
            renders.problems.extend(run(&project, &args));
        }
        let dir = project.path(&format!("output/{}", preset.name));
        for (rel, bytes) in files(&dir, "svg") {
            let name = format!("{}/{rel}", preset.name);
            let source = String::from_utf8_lossy(&bytes);
            match parse_svg(&name, preset, &source) {
                Ok(svg) => {
                    outline_boxes(&svg, &source);
                    renders.svgs.push(svg);
                }
                Err(e) => renders.problems.push(format!("{name}: {e}")),
            }
        }
    }
    renders.makers = makers(&project);
    renders.pngs = pngs(&project, &mut renders.png_problems);
    renders
}

/// With CHART_LAYOUT_BOXES=DIR set, write each chart to DIR with the text boxes these tests
/// measure outlined in red, to see in a browser what a failure means.
fn outline_boxes(svg: &Svg, source: &str) {
    let Some(dir) = std::env::var_os("CHART_LAYOUT_BOXES") else {
        return;
    };
    let rects: String = svg
        .texts()
        .map(|(_, t)| {
            let b = t.bounds();
            format!(
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" \
                 stroke=\"red\" stroke-width=\"1\"/>\n",
                b.x0,
                b.y0,
                b.x1 - b.x0,
                b.y1 - b.y0
            )
        })
        .collect();
    let file = Path::new(&dir).join(svg.name.replace('/', "_"));
    let annotated = source.replacen("</svg>", &format!("{rects}</svg>"), 1);
    let written = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&file, annotated));
    if let Err(e) = written {
        eprintln!("cannot write {}: {e}", file.display());
    }
}

/// Each run's makers, from its components.csv, and the "Other" band.
fn makers(project: &Project) -> BTreeMap<String, Vec<String>> {
    let dir = project.path("output/doc");
    let mut all = BTreeMap::new();
    for (rel, bytes) in files(&dir, "csv") {
        let Some(scenario) = rel.strip_suffix("/components.csv") else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let rows = crate::common::csv_rows(&text);
        let mut names: BTreeSet<String> = rows.iter().filter_map(|r| r.get(3).cloned()).collect();
        names.insert("Other".to_string());
        all.insert(scenario.to_string(), names.into_iter().collect());
    }
    all
}

/// Each scenario's display name, as the library resolves it (its title, else its file name).
fn display_names(project: &Project) -> BTreeMap<String, String> {
    let Ok(data) = ukprod::data::load(&project.path("data")) else {
        return BTreeMap::new();
    };
    let library = ukprod::scenario::Library::new(&project.path("scenarios"));
    SHIPPED
        .iter()
        .chain(EDGE.iter())
        .filter_map(|name| {
            let scenario = ukprod::scenario::resolve(&library, &data, name, &[]).ok()?;
            let projection = ukprod::engine::project(&data, &scenario);
            Some((name.to_string(), projection.display_name().to_string()))
        })
        .collect()
}

/// PNGs of a run with a fan, of the history chart and of the data chart at every preset.
fn pngs(project: &Project, problems: &mut Vec<String>) -> Vec<(String, Preset, Vec<u8>)> {
    let mut all = Vec::new();
    for preset in [DOC, SLIDE, WIDE] {
        let out = format!("output/png-{}", preset.name);
        let tail = [
            "--format",
            "png",
            "--size",
            preset.name,
            "--out",
            out.as_str(),
        ];
        for head in [
            &["run", "chery-halewood-uncertain"][..],
            &["history"][..],
            &["data"][..],
        ] {
            let args: Vec<String> = head.iter().chain(&tail).map(|s| s.to_string()).collect();
            problems.extend(run(project, &args));
        }
        for (rel, bytes) in files(&project.path(&out), "png") {
            all.push((format!("{}/{rel}", preset.name), preset, bytes));
        }
    }
    all
}

/// Panic with every failure, if any, under a heading.
fn report(heading: &str, failures: Vec<String>) {
    if !failures.is_empty() {
        let charts: BTreeSet<&str> = failures
            .iter()
            .flat_map(|f| f.split([' ', '"', ',', '[', ']', ':']))
            .filter(|w| w.ends_with(".svg") || w.ends_with(".png"))
            .collect();
        panic!(
            "{heading}: {} failures in {} charts\n{}",
            failures.len(),
            charts.len(),
            failures.join("\n")
        );
    }
}

fn every_svg(check: fn(&Svg) -> Vec<String>) -> Vec<String> {
    renders().svgs.iter().flat_map(check).collect()
}

// ---------------------------------------------------------------------------------------------
// The tests of the harness itself, on values worked out by hand from the font's tables.

/// DejaVu Sans's advance widths (hmtx, units of a 2048 em): "1" and "3" 1303, "." 651, "m"
/// 1995, "A" and "V" 1401, "T" 1251, "o" 1253; bold "1" and "3" 1425, "." 778, "m" 2134. Its
/// kern table: A-V -131, T-o -348.
#[test]
fn text_is_measured_by_the_fonts_advance_widths_and_kerning() {
    let f = fonts();
    let close = |a: f64, b: f64| (a - b).abs() < 0.01;
    // "1.3m" at a 100 px em: (1303 + 651 + 1303 + 1995) / 2048 × 100 = 256.45 px.
    let w = advance_width(&f.regular, "1.3m", 100.0);
    assert!(close(w, 5252.0 / 2048.0 * 100.0), "{w}");
    // Bold: (1425 + 778 + 1425 + 2134) / 2048 × 100 = 281.35 px.
    let w = advance_width(&f.bold, "1.3m", 100.0);
    assert!(close(w, 5762.0 / 2048.0 * 100.0), "{w}");
    // Kerned pairs are narrower than their advances.
    let w = advance_width(&f.regular, "AV", 100.0);
    assert!(close(w, (1401.0 + 1401.0 - 131.0) / 2048.0 * 100.0), "{w}");
    let w = advance_width(&f.regular, "To", 100.0);
    assert!(close(w, (1251.0 + 1253.0 - 348.0) / 2048.0 * 100.0), "{w}");
    // Width scales with the em: 35.42 px (8.5 pt on doc).
    let w = advance_width(&f.regular, "1.3m", 35.42);
    assert!(close(w, 5252.0 / 2048.0 * 35.42), "{w}");
}

/// hhea ascent 1901 and descent 483, x-height ("x" is 1120 high), in a 2048 em.
#[test]
fn vertical_metrics_are_dejavus() {
    let v = vertical(&fonts().regular, 2048.0);
    assert!((v.ascent - 1901.0).abs() < 0.01, "{v:?}");
    assert!((v.descent - 483.0).abs() < 0.01, "{v:?}");
    assert!((v.x_height - 1120.0).abs() < 0.01, "{v:?}");
}

fn sample(anchor: Anchor, dy: Shift, rotate: Option<(f64, f64, f64)>) -> Text {
    Text {
        content: "1.3m".into(),
        x: 1000.0,
        y: 500.0,
        dy,
        anchor,
        size: 100.0,
        bold: false,
        fill: "#222222".into(),
        rotate,
    }
}

#[test]
fn a_text_box_follows_its_anchor_shift_and_rotation() {
    let width = 5252.0 / 2048.0 * 100.0;
    let (ascent, descent) = (1901.0 / 2048.0 * 100.0, 483.0 / 2048.0 * 100.0);
    let near = |a: Rect, b: Rect| {
        assert!(
            (a.x0 - b.x0).abs() < 0.01
                && (a.x1 - b.x1).abs() < 0.01
                && (a.y0 - b.y0).abs() < 0.01
                && (a.y1 - b.y1).abs() < 0.01,
            "{a} is not {b}"
        );
    };
    // Start, no shift: the baseline at y.
    let b = sample(Anchor::Start, Shift::Px(0.0), None).bounds();
    near(
        b,
        Rect {
            x0: 1000.0,
            y0: 500.0 - ascent,
            x1: 1000.0 + width,
            y1: 500.0 + descent,
        },
    );
    // End, a centre anchor: the baseline half an x-height (1120 units) below y.
    let base = 500.0 + 0.5 * 1120.0 / 2048.0 * 100.0;
    let b = sample(Anchor::End, Shift::Ex(0.5), None).bounds();
    near(
        b,
        Rect {
            x0: 1000.0 - width,
            y0: base - ascent,
            x1: 1000.0,
            y1: base + descent,
        },
    );
    // Middle, a top anchor: the baseline 0.76 em below y.
    let base = 500.0 + 76.0;
    let b = sample(Anchor::Middle, Shift::Em(0.76), None).bounds();
    near(
        b,
        Rect {
            x0: 1000.0 - width / 2.0,
            y0: base - ascent,
            x1: 1000.0 + width / 2.0,
            y1: base + descent,
        },
    );
    // Turned 270° (reading upwards) about its anchor: x' = cx + (y - cy), y' = cy - (x - cx).
    let b = sample(
        Anchor::Middle,
        Shift::Em(0.76),
        Some((270.0, 1000.0, 500.0)),
    )
    .bounds();
    near(
        b,
        Rect {
            x0: 1000.0 + (base - ascent - 500.0),
            y0: 500.0 - width / 2.0,
            x1: 1000.0 + (base + descent - 500.0),
            y1: 500.0 + width / 2.0,
        },
    );
}

#[test]
fn the_svg_is_read_as_plotters_writes_it() {
    let source = r##"<svg width="1890" height="1181" viewBox="0 0 1890 1181" xmlns="http://www.w3.org/2000/svg">
<title>A title</title>
<desc>A description</desc>
<rect x="10" y="20" width="46" height="22" opacity="1" fill="#0072B2" stroke="none"/>
<text x="18" y="659" dy="0.76em" text-anchor="middle" font-family="DejaVu Sans" font-size="35.42" opacity="1" fill="#606060" transform="rotate(270, 18, 659)">
Vehicles a year
</text>
<text x="53" y="86" dy="-0.5ex" text-anchor="end" font-size="50.01" fill="#222222" font-weight="bold">
Who builds the UK&apos;s vehicles
</text>
</svg>"##;
    let svg = parse_svg("t.svg", DOC, source).unwrap();
    assert_eq!((svg.width, svg.height), (1890.0, 1181.0));
    assert_eq!(
        (svg.title.as_str(), svg.desc.as_str()),
        ("A title", "A description")
    );
    assert_eq!(svg.items.len(), 3);
    let Item::Shape(swatch) = &svg.items[0] else {
        panic!("{:?}", svg.items[0])
    };
    assert_eq!(swatch.colour(), Some("#0072B2"));
    assert_eq!(
        svg.items[1],
        Item::Text(Text {
            content: "Vehicles a year".into(),
            x: 18.0,
            y: 659.0,
            dy: Shift::Em(0.76),
            anchor: Anchor::Middle,
            size: 35.42,
            bold: false,
            fill: "#606060".into(),
            rotate: Some((270.0, 18.0, 659.0)),
        })
    );
    let Item::Text(t) = &svg.items[2] else {
        panic!()
    };
    assert_eq!(t.content, "Who builds the UK's vehicles");
    assert_eq!(
        (t.anchor, t.dy, t.bold),
        (Anchor::End, Shift::Ex(-0.5), true)
    );
    assert_eq!(title(&svg).map(|t| t.size), Some(50.01));
}

#[test]
fn boxes_overlap_and_leave_the_canvas_only_past_the_tolerance() {
    let a = Rect {
        x0: 0.0,
        y0: 0.0,
        x1: 10.0,
        y1: 10.0,
    };
    let touching = Rect {
        x0: 9.5,
        y0: 0.0,
        x1: 20.0,
        y1: 10.0,
    };
    let into = Rect {
        x0: 8.0,
        y0: 5.0,
        x1: 20.0,
        y1: 20.0,
    };
    assert!(!a.overlaps(&touching, 1.0));
    assert!(a.overlaps(&into, 1.0) && into.overlaps(&a, 1.0));
    assert!(a.inside(10.0, 10.0, 1.0));
    assert!(!into.inside(19.0, 30.0, 0.5));
}

#[test]
fn font_sizes_convert_to_points_at_the_paste_width() {
    // Doc: 1890 px over 16 cm = 453.5 pt, so 4.1667 px a point; body text 8.5 pt = 35.42 px.
    assert!((points(35.42, 1890.0, DOC) - 8.5).abs() < 0.001);
    assert!((points(29.17, 1890.0, DOC) - 7.0).abs() < 0.001);
    // Slide: 1920 px over 33.867 cm = 960 pt, 2 px a point.
    assert!((points(24.0, 1920.0, SLIDE) - 12.0).abs() < 0.001);
    // Wide: 2835 px over 24 cm = 680.315 pt, 4.16719 px a point; 12 pt = 50.006 px.
    assert!((points(50.006, 2835.0, WIDE) - 12.0).abs() < 0.001);
}

#[test]
fn axis_values_and_names_are_recognised() {
    for tick in ["0", "250k", "1.0m", "2035", "1,000", "-50k", "+1.2m", "10%"] {
        assert!(is_axis_value(tick), "{tick}");
    }
    for other in ["Nissan", "1.3m target, 2035", "k", "-", "2035: 0.84m", ""] {
        assert!(!is_axis_value(other), "{other}");
    }
    let names = [
        "chery-halewood".to_string(),
        "chery-halewood-uncertain".to_string(),
    ];
    assert_eq!(named("chery-halewood 896k", &names), Some("chery-halewood"));
    assert_eq!(
        named("chery-halewood-uncertain: a bet", &names),
        Some("chery-halewood-uncertain")
    );
    assert_eq!(named("chery-halewoodish", &names), None);
}

#[test]
fn series_colours_come_from_legend_swatches_and_coloured_labels() {
    // A legend (a swatch just left of a label in body ink), coloured end labels, a title and
    // axis ticks in the neutral inks.
    let source = r##"<svg width="1890" height="1181" xmlns="http://www.w3.org/2000/svg">
<text x="53" y="86" dy="0.76em" font-size="50" fill="#222222" font-weight="bold">Title</text>
<rect x="53" y="250" width="46" height="22" fill="#0072B2" stroke="none"/>
<text x="111" y="261" dy="0.5ex" font-size="35" fill="#222222">Nissan</text>
<rect x="400" y="250" width="46" height="22" fill="#0072B2" stroke="none"/>
<text x="458" y="261" dy="0.5ex" font-size="35" fill="#222222">BYD</text>
<rect x="700" y="600" width="46" height="22" fill="#CC6677" stroke="none"/>
<text x="1500" y="611" dy="0.5ex" font-size="35" fill="#222222">JLR</text>
<text x="1500" y="700" dy="0.5ex" font-size="35" fill="#009E73" font-weight="bold">JLR 224k</text>
<text x="118" y="1000" dy="0.5ex" text-anchor="end" font-size="35" fill="#606060">0</text>
<text x="118" y="800" dy="0.5ex" text-anchor="end" font-size="35" fill="#606060">0.5m</text>
<text x="118" y="600" dy="0.5ex" text-anchor="end" font-size="35" fill="#606060">1.0m</text>
<text x="53" y="1124" dy="0.76em" font-size="29" fill="#606060">Source</text>
</svg>"##;
    let svg = parse_svg("t.svg", DOC, source).unwrap();
    let names = ["Nissan", "BYD", "JLR"].map(String::from);
    let found = series_colours(&svg, &names);
    let set = |c: &[&str]| c.iter().map(|c| c.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(found["Nissan"], set(&["#0072B2"]));
    assert_eq!(found["BYD"], set(&["#0072B2"]));
    // The rect far to the left of the plain "JLR" is no swatch of it; its coloured label is.
    assert_eq!(found["JLR"], set(&["#009E73"]));
    let shared = shared_colours(&svg, &found);
    assert_eq!(
        shared,
        ["t.svg (canvas 1890x1181): \"BYD\", \"Nissan\" share the colour #0072B2"]
    );
    assert!(tick_labels(&svg).len() == 3);
}

// ---------------------------------------------------------------------------------------------
// The rules, on every chart.

/// The charts each command must draw at each size.
fn expected_charts(size: &str) -> Vec<String> {
    let mut all = Vec::new();
    let runs = SHIPPED
        .iter()
        .chain(&EDGE)
        .copied()
        .chain(VARIANTS.iter().map(|v| v.2))
        .chain(FAR_OFF.iter().map(|v| v.2));
    for scenario in runs {
        for chart in [
            "path",
            "makers",
            "bridge",
            "plants",
            "powertrain",
            "batteries",
            "jobs",
        ] {
            all.push(format!("{size}/{scenario}/{chart}.svg"));
        }
    }
    for scenario in UNCERTAIN {
        all.push(format!("{size}/{scenario}/fan.svg"));
        all.push(format!("{size}/{scenario}/tornado.svg"));
    }
    for names in COMPARISONS {
        all.push(format!("{size}/compare-{}/compare.svg", names.join("-")));
    }
    all.push(format!("{size}/history/history.svg"));
    all.push(format!("{size}/data/data.svg"));
    all
}

#[test]
fn every_chart_is_drawn_at_doc_and_slide_on_its_presets_canvas() {
    let r = renders();
    let drawn: BTreeSet<&str> = r.svgs.iter().map(|s| s.name.as_str()).collect();
    let mut failures = r.problems.clone();
    for size in ["doc", "slide"] {
        for chart in expected_charts(size) {
            if !drawn.contains(chart.as_str()) {
                failures.push(format!("{chart}: not drawn"));
            }
        }
    }
    failures.extend(every_svg(check_canvas));
    report("charts drawn", failures);
}

#[test]
fn text_is_at_least_7_pt_ticks_8_pt_and_the_title_11_pt() {
    report("text sizes", every_svg(check_text_sizes));
}

#[test]
fn every_text_box_lies_inside_the_canvas() {
    report("text inside the canvas", every_svg(check_inside_canvas));
}

#[test]
fn no_two_text_boxes_overlap() {
    report("overlapping text", every_svg(check_overlaps));
}

#[test]
fn every_svg_has_a_title_and_a_description() {
    report("SVG title and desc", every_svg(check_caption));
}

#[test]
fn makers_have_distinct_colours_and_every_new_maker_a_key() {
    let r = renders();
    let mut failures = Vec::new();
    let new_makers: [(&str, &[&str]); 2] = [
        ("two-entrants", &["BYD", "Leapmotor"]),
        (
            "five-entrants",
            &["BYD", "Leapmotor", "Great Wall", "SAIC", "VinFast"],
        ),
    ];
    for svg in r.svgs.iter().filter(|s| s.name.ends_with("/makers.svg")) {
        let scenario = svg.name.split('/').nth(1).unwrap_or_default();
        let Some(makers) = r.makers.get(scenario) else {
            failures.push(format!(
                "{}: no components.csv to name its makers",
                svg.label()
            ));
            continue;
        };
        let colours = series_colours(svg, makers);
        failures.extend(shared_colours(svg, &colours));
        for (_, expected) in new_makers.iter().filter(|(s, _)| *s == scenario) {
            for maker in *expected {
                if !colours.contains_key(*maker) {
                    failures.push(format!(
                        "{}: no legend swatch or coloured label gives {maker}'s colour",
                        svg.label()
                    ));
                }
            }
        }
    }
    report("maker colours", failures);
}

/// Each scenario's colour in a comparison chart, or the failures finding it.
fn scenario_colours(
    svg: &Svg,
    scenarios: &[&str],
    display: &BTreeMap<String, String>,
) -> (BTreeMap<String, String>, Vec<String>) {
    let name = |s: &str| display.get(s).cloned().unwrap_or_else(|| s.to_string());
    let names: Vec<String> = scenarios.iter().map(|s| name(s)).collect();
    let found = series_colours(svg, &names);
    let mut colours = BTreeMap::new();
    let mut failures = shared_colours(svg, &found);
    for scenario in scenarios {
        match found.get(&name(scenario)) {
            None => failures.push(format!(
                "{}: no coloured label or legend swatch names \"{}\"",
                svg.label(),
                name(scenario)
            )),
            Some(set) if set.len() > 1 => failures.push(format!(
                "{}: \"{}\" is drawn in several colours {set:?}",
                svg.label(),
                name(scenario)
            )),
            Some(set) => {
                colours.extend(set.first().map(|c| (scenario.to_string(), c.clone())));
            }
        }
    }
    (colours, failures)
}

#[test]
fn each_scenario_keeps_its_colour_whatever_the_comparison() {
    let r = renders();
    let mut failures = Vec::new();
    // A scenario that declares `colour` keeps it in every comparison. One that does not
    // takes a palette colour by a hash of its name, unless a scenario beside it declared or
    // took that colour first (distinct colours within a chart come first): so it keeps its
    // colour whatever the argument order, among the same scenarios.
    let declared = |name: &str| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        ["scenarios", "tests/fixtures/edge"].iter().any(|dir| {
            std::fs::read_to_string(root.join(dir).join(format!("{name}.toml")))
                .is_ok_and(|t| t.lines().any(|l| l.trim_start().starts_with("colour")))
        })
    };
    // (scenario, the comparison's scenarios if undeclared) -> colour -> charts.
    type Seen = BTreeMap<(String, String), BTreeMap<String, Vec<String>>>;
    let mut seen: Seen = BTreeMap::new();
    for names in COMPARISONS {
        let mut set: Vec<&str> = names.to_vec();
        set.sort_unstable();
        for size in ["doc", "slide"] {
            let file = format!("{size}/compare-{}/compare.svg", names.join("-"));
            let Some(svg) = r.svgs.iter().find(|s| s.name == file) else {
                failures.push(format!("{file}: not drawn"));
                continue;
            };
            let (colours, problems) = scenario_colours(svg, names, &r.display);
            failures.extend(problems);
            for (scenario, colour) in colours {
                let among = if declared(&scenario) {
                    String::new()
                } else {
                    set.join(" ")
                };
                seen.entry((scenario, among))
                    .or_default()
                    .entry(colour)
                    .or_default()
                    .push(file.clone());
            }
        }
    }
    for ((scenario, _), by_colour) in seen.iter().filter(|(_, c)| c.len() > 1) {
        failures.push(format!(
            "{scenario} changes colour between comparisons: {by_colour:?}"
        ));
    }
    report("scenario colours", failures);
}

#[test]
fn pngs_carry_the_presets_resolution() {
    let r = renders();
    let mut failures = r.png_problems.clone();
    if r.pngs.is_empty() {
        failures.push("no PNG drawn".to_string());
    }
    for (name, preset, bytes) in &r.pngs {
        let reader = match png::Decoder::new(std::io::Cursor::new(bytes)).read_info() {
            Ok(reader) => reader,
            Err(e) => {
                failures.push(format!("{name}: not a PNG: {e}"));
                continue;
            }
        };
        let info = reader.info();
        if (info.width, info.height) != (preset.width, preset.height) {
            failures.push(format!(
                "{name}: {}x{}, the {} preset is {}x{}",
                info.width, info.height, preset.name, preset.width, preset.height
            ));
        }
        // Pixels a metre such that the width pastes at the preset's width (doc: 1890 px over
        // 16 cm = 11,812.5 a metre), rounded to a whole number, the same both ways.
        let per_metre = f64::from(preset.width) / (preset.paste_cm / 100.0);
        match info.pixel_dims {
            Some(d)
                if d.unit == png::Unit::Meter
                    && d.xppu == d.yppu
                    && (f64::from(d.xppu) - per_metre).abs() <= 0.5 => {}
            other => failures.push(format!(
                "{name}: pHYs {other:?}, wanted {per_metre:.1} pixels a metre both ways \
                 ({} px over {} cm)",
                preset.width, preset.paste_cm
            )),
        }
    }
    report("PNG resolution", failures);
}
