//! The look shared by every chart: size, fonts, colours, number formats and the frame
//! (title, subtitle, legend row, footer) around the plot.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, register_font};

use crate::engine::Projection;

/// How big a chart is drawn, for where it will be pasted. Text sizes are set in points at
/// that size, so a chart pasted at its stated width has legible text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Size {
    /// For documents: pasted at 16 cm, the text width of an A4 page (16 by 10 cm, 300 dpi).
    #[default]
    Doc,
    /// For slides: a 16:9 slide's full width (33.9 by 19.1 cm, 1920 by 1080 pixels).
    Slide,
    /// For landscape pages and the web: 24 by 10 cm, 300 dpi.
    Wide,
}

/// The roles text plays on a chart, each with its size in points at the paste size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The chart's message.
    Title,
    /// The line above the title naming the scenario.
    Kicker,
    /// The standfirst under the title.
    Subtitle,
    /// Legend entries and direct labels.
    Body,
    /// Axis tick labels and axis titles.
    Tick,
    /// Notes inside the plot (dividers, secondary labels).
    Note,
    /// The source line.
    Footer,
}

/// The ratio of DejaVu Sans's em to its ascent-to-descent height: ab_glyph sizes text by that
/// height, CSS (and points) by the em, so a size of 1 point em is drawn at 1/EM pixels of height.
pub const EM: f64 = 2048.0 / 2384.0;

/// A chart's canvas at one size preset: pixels, the size it is meant to be pasted at, and the
/// type sizes that follow from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Page {
    /// The preset.
    pub size: Size,
    /// Canvas width in pixels.
    pub width: u32,
    /// Canvas height in pixels.
    pub height: u32,
    /// The width it is meant to be pasted at, in centimetres.
    pub paste_width_cm: f64,
}

impl Page {
    /// The canvas of a preset.
    pub fn of(size: Size) -> Page {
        let (width, height, paste_width_cm) = match size {
            Size::Doc => (1890, 1181, 16.0),
            Size::Slide => (1920, 1080, 33.867),
            Size::Wide => (2835, 1181, 24.0),
        };
        Page {
            size,
            width,
            height,
            paste_width_cm,
        }
    }

    /// Pixels per point when the chart is pasted at its width.
    pub fn px_per_pt(&self) -> f64 {
        f64::from(self.width) / (self.paste_width_cm / 2.54 * 72.0)
    }

    /// PNG resolution that makes the canvas `paste_width_cm` wide in a word processor.
    pub fn pixels_per_metre(&self) -> u32 {
        (f64::from(self.width) / (self.paste_width_cm / 100.0)).round() as u32
    }

    /// A role's size in points (the em, as a word processor counts it) at the paste size.
    pub fn points(&self, role: Role) -> f64 {
        let doc = match role {
            Role::Title => 12.0,
            Role::Kicker => 9.0,
            Role::Subtitle => 9.0,
            Role::Body => 8.5,
            Role::Tick => 8.5,
            Role::Note => 8.0,
            Role::Footer => 7.0,
        };
        match self.size {
            // A slide is read from across a room: about twice the document sizes.
            Size::Slide => match role {
                Role::Title => 24.0,
                Role::Footer => 12.0,
                _ => doc * 1.8,
            },
            Size::Doc | Size::Wide => doc,
        }
    }

    /// A role's font size as plotters takes it (the ascent-to-descent height in pixels).
    pub fn font(&self, role: Role) -> f64 {
        self.points(role) * self.px_per_pt() / EM
    }

    /// A length in pixels, given in units of the body text's size: spacing and marks scale
    /// with the text, so every preset keeps the same proportions between them.
    pub fn u(&self, units: f64) -> f64 {
        units * self.points(Role::Body) * self.px_per_pt()
    }

    /// `u` rounded to whole pixels, for plotters' integer coordinates.
    pub fn ui(&self, units: f64) -> i32 {
        self.u(units).round() as i32
    }

    /// A line's width in pixels: `weight` 1 is a data line, about 1.1 points.
    pub fn stroke(&self, weight: f64) -> u32 {
        (weight * 1.1 * self.px_per_pt()).round().max(1.0) as u32
    }

    /// A text style for a role.
    pub fn text(&self, role: Role, colour: RGBColor) -> TextStyle<'static> {
        text(self.font(role), colour)
    }

    /// A bold text style for a role.
    pub fn bold(&self, role: Role, colour: RGBColor) -> TextStyle<'static> {
        bold(self.font(role), colour)
    }

    /// A length laid out for the old 2000-pixel canvas with 26-pixel body text, scaled to
    /// this page. Transitional: charts move to `u` and `font` as they are redesigned.
    pub fn old(&self, px: f64) -> f64 {
        px * self.font(Role::Body) / 26.0
    }

    /// `old` in whole pixels.
    pub fn oldi(&self, px: i32) -> i32 {
        self.old(f64::from(px)).round() as i32
    }

    /// The left and right margin of the frame.
    pub fn margin(&self) -> i32 {
        self.ui(1.5)
    }
}

/// The embedded font's family, as SVG text names it: DejaVu Sans first, so that an SVG opened
/// outside the tool renders in the face its labels were measured in where that face is
/// installed, then faces of similar width.
pub const FONT: &str = "DejaVu Sans, Bitstream Vera Sans, Verdana, sans-serif";
/// The family plotters' own defaults ask for; it gets the embedded font too.
const DEFAULT_FONT: &str = "sans-serif";

/// Main text.
pub const INK: RGBColor = RGBColor(34, 34, 34);
/// Secondary text and axes.
pub const MUTED: RGBColor = RGBColor(96, 96, 96);
/// Gridlines.
pub const GRID: RGBColor = RGBColor(224, 224, 224);
/// The target, the target path and the gap to it: reserved, used for nothing else (a dark
/// crimson no maker or scenario colour comes near).
pub const TARGET: RGBColor = RGBColor(178, 24, 43);
/// Cars (Okabe-Ito sky blue).
pub const CARS: RGBColor = RGBColor(86, 180, 233);
/// Commercial vehicles: a neutral, so that no maker's colour means a segment too.
pub const CVS: RGBColor = RGBColor(140, 140, 140);
/// The low and high ends of a tested range (tornado): neutrals, not maker colours.
pub const LOW: RGBColor = RGBColor(150, 150, 150);
/// See `LOW`.
pub const HIGH: RGBColor = RGBColor(40, 70, 110);

/// Colours of scenarios in comparisons, apart from the maker colours and the target (Paul
/// Tol's high-contrast and vibrant sets without their reds).
pub const SCENARIO_COLOURS: [RGBColor; 8] = [
    RGBColor(0, 68, 136),
    RGBColor(221, 170, 51),
    RGBColor(0, 153, 136),
    RGBColor(238, 119, 51),
    RGBColor(51, 187, 238),
    RGBColor(170, 51, 119),
    RGBColor(102, 102, 102),
    RGBColor(119, 170, 221),
];

/// A colour from "#rrggbb".
pub fn parse_hex(hex: &str) -> Option<RGBColor> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 || !h.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some(RGBColor(byte(0)?, byte(2)?, byte(4)?))
}

/// Every scenario's colour in one chart or report: the colour it declares (`colour = "#…"`)
/// unless a scenario before it in name order declared the same, else its preferred palette
/// colour (by a hash of its scenario file's name, so the same in
/// every chart whatever the argument order) unless a scenario before it in name order took
/// it, then the next free one; no two scenarios of a chart share a colour.
#[derive(Debug, Clone, Default)]
pub struct ScenarioPalette(std::collections::BTreeMap<String, RGBColor>);

impl ScenarioPalette {
    /// The palette of these projections (their order does not matter).
    pub fn of(projections: &[Projection]) -> ScenarioPalette {
        let mut named: Vec<&Projection> = projections.iter().collect();
        named.sort_by(|a, b| a.scenario.cmp(&b.scenario));
        let mut colours = std::collections::BTreeMap::new();
        let mut taken: Vec<RGBColor> = Vec::new();
        // A declared colour goes to the first scenario claiming it (in name order): a `--set`
        // variant beside its scenario declares the same colour and takes the palette's.
        for p in &named {
            if let Some(c) = p.colour.as_deref().and_then(parse_hex)
                && !taken.contains(&c)
            {
                colours.insert(p.scenario.clone(), c);
                taken.push(c);
            }
        }
        for p in named {
            if colours.contains_key(&p.scenario) {
                continue;
            }
            let start = fnv(&p.scenario_file) as usize % SCENARIO_COLOURS.len();
            let colour = (0..)
                .flat_map(|round: u32| {
                    (0..SCENARIO_COLOURS.len()).map(move |k| {
                        let base = SCENARIO_COLOURS[(start + k) % SCENARIO_COLOURS.len()];
                        pale(base, 1.0 / f64::from(round + 1))
                    })
                })
                .find(|c| !taken.contains(c))
                .unwrap_or(SCENARIO_COLOURS[start]);
            taken.push(colour);
            colours.insert(p.scenario.clone(), colour);
        }
        ScenarioPalette(colours)
    }

    /// A scenario's colour (by the name its outputs go by).
    pub fn colour(&self, scenario: &str) -> RGBColor {
        self.0
            .get(scenario)
            .copied()
            .unwrap_or(SCENARIO_COLOURS[fnv(scenario) as usize % SCENARIO_COLOURS.len()])
    }
}

/// FNV-1a: a small, fixed hash, so colours chosen by name never change between versions.
fn fnv(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Each maker's colour, the same in every chart and scenario (Okabe-Ito, then Paul Tol's muted).
const MAKER_COLOURS: [(&str, RGBColor); 12] = [
    ("Nissan", RGBColor(0, 114, 178)),
    ("JLR", RGBColor(0, 158, 115)),
    ("BMW", RGBColor(86, 180, 233)),
    ("Toyota", RGBColor(204, 121, 167)),
    ("Chery", RGBColor(230, 159, 0)),
    // Okabe-Ito's yellow, darkened to read on white.
    ("Stellantis", RGBColor(214, 190, 30)),
    ("PACCAR", RGBColor(102, 102, 51)),
    ("Geely", RGBColor(68, 170, 153)),
    ("Bentley", RGBColor(51, 34, 136)),
    ("Aston Martin", RGBColor(17, 119, 51)),
    ("McLaren", RGBColor(221, 204, 119)),
    ("Other", RGBColor(170, 170, 170)),
];

/// Colours for makers not in the table, each chosen to stand apart from the named makers'
/// colours (Paul Tol's muted set and Okabe-Ito's remainder).
const SPARE_COLOURS: [RGBColor; 6] = [
    RGBColor(140, 86, 75),
    RGBColor(153, 153, 51),
    RGBColor(170, 68, 153),
    RGBColor(153, 102, 51),
    RGBColor(148, 103, 189),
    RGBColor(187, 204, 51),
];

/// `colour` blended with white: `strength` 1 is the colour itself, 0 is white.
pub fn pale(colour: RGBColor, strength: f64) -> RGBColor {
    let blend = |c: u8| (255.0 - strength * (255.0 - f64::from(c))).round() as u8;
    RGBColor(blend(colour.0), blend(colour.1), blend(colour.2))
}

/// The colour a maker outside the table prefers: fixed by a hash of its name (FNV-1a), so it
/// is the same in every chart unless another maker of the chart already has it.
fn preferred_spare(maker: &str) -> usize {
    (fnv(maker) % SPARE_COLOURS.len() as u64) as usize
}

/// Every maker's colour in one chart: fixed for the named makers; for any other, its
/// preferred spare colour unless a maker before it (in name order) took it, then the next
/// free one, then paler shades, so that no two makers of a chart share a colour.
#[derive(Debug, Clone, Default)]
pub struct MakerPalette(std::collections::BTreeMap<String, RGBColor>);

impl MakerPalette {
    /// The palette of the given makers (duplicates and order do not matter).
    pub fn new<'a>(makers: impl IntoIterator<Item = &'a str>) -> MakerPalette {
        let mut names: Vec<&str> = makers.into_iter().collect();
        names.sort_unstable();
        names.dedup();
        let mut colours = std::collections::BTreeMap::new();
        let mut taken: Vec<RGBColor> = Vec::new();
        for name in &names {
            if let Some((_, colour)) = MAKER_COLOURS.iter().find(|(n, _)| n == name) {
                colours.insert(name.to_string(), *colour);
            }
        }
        let unknown: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !colours.contains_key(*n))
            .collect();
        for name in unknown {
            let start = preferred_spare(name);
            // Full strength first, then ever paler rounds of the spare colours.
            let colour = (0..)
                .flat_map(|round: u32| {
                    (0..SPARE_COLOURS.len()).map(move |k| {
                        let base = SPARE_COLOURS[(start + k) % SPARE_COLOURS.len()];
                        pale(base, 1.0 / f64::from(round + 1))
                    })
                })
                .find(|c| !taken.contains(c))
                .unwrap_or(SPARE_COLOURS[start]);
            taken.push(colour);
            colours.insert(name.to_string(), colour);
        }
        MakerPalette(colours)
    }

    /// The palette of every maker a projection names (plant operators and programme
    /// makers), with the colours the scenario declares for makers (`[makers.NAME] colour`).
    pub fn of(p: &Projection) -> MakerPalette {
        let mut palette = MakerPalette::new(
            p.plants
                .iter()
                .map(|r| r.operator.as_str())
                .chain(p.components.iter().map(|c| c.maker.as_str())),
        );
        for (maker, hex) in &p.maker_colours {
            if let Some(c) = parse_hex(hex) {
                palette.0.insert(maker.clone(), c);
            }
        }
        palette
    }

    /// A maker's colour in this palette (a maker it does not know gets its preferred colour).
    pub fn colour(&self, maker: &str) -> RGBColor {
        self.0.get(maker).copied().unwrap_or_else(|| {
            MAKER_COLOURS
                .iter()
                .find(|(n, _)| *n == maker)
                .map_or(SPARE_COLOURS[preferred_spare(maker)], |(_, c)| *c)
        })
    }
}

/// Register the embedded DejaVu fonts once; charts never look for system fonts.
pub fn init_fonts() -> Result<(), String> {
    static FONTS: OnceLock<Result<(), String>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            [FONT, DEFAULT_FONT]
                .into_iter()
                .try_for_each(|family| {
                    register_font(family, FontStyle::Normal, dejavu::sans::regular())?;
                    register_font(family, FontStyle::Bold, dejavu::sans::bold())
                })
                .map_err(|_| "the embedded font could not be loaded".to_string())
        })
        .clone()
}

/// A text style in the embedded font.
pub fn text(size: f64, colour: RGBColor) -> TextStyle<'static> {
    (FONT, size).into_font().color(&colour)
}

/// A bold text style in the embedded font.
pub fn bold(size: f64, colour: RGBColor) -> TextStyle<'static> {
    // Built whole: plotters' `FontDesc::style` keeps the regular face's glyphs.
    (FONT, size, FontStyle::Bold).into_font().color(&colour)
}

/// Anchor a text style at a corner or edge.
pub fn anchored(style: TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    style.pos(Pos::new(h, v))
}

/// Millions with one decimal, for axes and headlines: "1.3m", "0.5m", "0".
pub fn millions(v: f64) -> String {
    if v.abs() < 0.5 {
        return "0".into();
    }
    format!("{:.1}m", v / 1e6)
}

/// An axis tick on an axis running to `top`: thousands on axes up to a million ("250k"),
/// millions above ("1.5m", "0.25m"), so neighbouring ticks never read the same.
pub fn axis_value(v: f64, top: f64) -> String {
    if top <= 1_050_000.0 {
        return if v >= 999_500.0 {
            millions(v)
        } else {
            short(v)
        };
    }
    let tenths = v / 100_000.0;
    if v.abs() < 0.5 || (tenths - tenths.round()).abs() < 1e-9 {
        millions(v)
    } else {
        format!("{:.2}m", v / 1e6)
    }
}

/// Millions with two decimals: "0.81m".
pub fn millions2(v: f64) -> String {
    format!("{:.2}m", v / 1e6)
}

/// A signed change for labels: "+120k", "-45k", "+1.2m", "+800".
pub fn signed_short(v: f64) -> String {
    let sign = if v < 0.0 { "-" } else { "+" };
    let a = v.abs();
    let body = if a >= 999_500.0 {
        format!("{:.1}m", a / 1e6)
    } else if a >= 999.5 {
        format!("{:.0}k", a / 1e3)
    } else {
        format!("{a:.0}")
    };
    format!("{sign}{body}")
}

/// Thousands, for compact labels: "273k", "1.3m".
pub fn short(v: f64) -> String {
    if v >= 999_500.0 {
        format!("{:.2}m", v / 1e6)
    } else if v >= 999.5 {
        format!("{:.0}k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
}

/// A round axis top above `max`: a multiple of 0.25m (or of a smaller step for small values).
///
/// Never infinite, NaN or zero: plotters' tick search does not end on a range that is not a
/// finite positive width, so a value that is not finite (which validation and the engine
/// refuse) draws against the smallest axis rather than hang.
pub fn axis_top(max: f64) -> f64 {
    let max = if max.is_finite() { max.min(1e300) } else { 0.0 };
    let padded = (max * 1.08).max(1.0);
    let step = [250_000.0, 100_000.0, 50_000.0, 10_000.0, 5_000.0, 1_000.0]
        .into_iter()
        .find(|s| padded >= s * 2.0)
        .unwrap_or(500.0);
    (padded / step).ceil() * step
}

/// An entry of a legend: a swatch and its label.
#[derive(Debug, Clone)]
pub enum Swatch {
    /// A solid line.
    Line(RGBColor),
    /// A dashed line.
    Dashed(RGBColor),
    /// A filled block.
    Block(RGBColor),
    /// A filled block with an outline (fill, outline), for a fill too light to show alone.
    Outlined(RGBColor, RGBColor),
    /// A block hatched with thin diagonal lines, outlined.
    Hatched(RGBColor),
    /// A low–high whisker: a line with a cap at each end.
    Whisker(RGBColor),
}

/// The words around a chart.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    /// What the chart is about, above the title: the scenario's display name.
    pub kicker: String,
    /// The chart's message.
    pub title: String,
    /// The standfirst: what the figures are and what was changed (short; never cut).
    pub subtitle: String,
    /// Legend entries, flowed in rows under the subtitle.
    pub legend: Vec<(Swatch, String)>,
    /// A short statement drawn after the legend, such as progress to target.
    pub headline: Option<String>,
    /// Source line.
    pub footer: String,
}

/// What an SVG says about itself for screen readers: its `<title>` and `<desc>`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Caption {
    /// The kicker and title.
    pub title: String,
    /// The subtitle, legend, headline and source line.
    pub description: String,
}

impl Frame {
    /// The chart's caption, from its words.
    pub fn caption(&self) -> Caption {
        let title = [self.kicker.as_str(), self.title.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(": ");
        let mut parts: Vec<String> = vec![self.subtitle.clone()];
        if !self.legend.is_empty() {
            let keys: Vec<&str> = self.legend.iter().map(|(_, l)| l.as_str()).collect();
            parts.push(format!("Key: {}", keys.join("; ")));
        }
        parts.extend(self.headline.clone());
        parts.push(self.footer.clone());
        parts.retain(|s| !s.is_empty());
        Caption {
            title,
            description: parts.join(". "),
        }
    }
}

/// Draw the frame on a white page and return the area left for the plot and the chart's
/// caption. Every line wraps to the page's width; nothing is cut.
pub fn draw_frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    frame: &Frame,
) -> super::DrawResult<(DrawingArea<DB, Shift>, Caption), DB> {
    root.fill(&WHITE)?;
    let left = page.margin();
    let width = (page.width as i32 - 2 * left).max(1) as u32;
    let mut y = page.ui(0.9);
    let lines = |role: Role, style: &TextStyle<'_>, text: &str, y: &mut i32| {
        let step = (page.font(role) * 1.15).round() as i32;
        for line in wrap_all(root, text, style, width)? {
            root.draw(&Text::new(line, (left, *y), style.clone()))?;
            *y += step;
        }
        Ok::<(), DrawingAreaErrorKind<DB::ErrorType>>(())
    };
    if !frame.kicker.is_empty() {
        lines(
            Role::Kicker,
            &page.bold(Role::Kicker, MUTED),
            &frame.kicker,
            &mut y,
        )?;
        y += page.ui(0.1);
    }
    lines(
        Role::Title,
        &page.bold(Role::Title, INK),
        &frame.title,
        &mut y,
    )?;
    y += page.ui(0.15);
    if !frame.subtitle.is_empty() {
        lines(
            Role::Subtitle,
            &page.text(Role::Subtitle, MUTED),
            &frame.subtitle,
            &mut y,
        )?;
    }
    let mut entries: Vec<(Option<&Swatch>, String, TextStyle<'static>)> = frame
        .legend
        .iter()
        .map(|(swatch, label)| {
            (
                Some(swatch),
                label.clone(),
                anchored(page.text(Role::Body, INK), HPos::Left, VPos::Center),
            )
        })
        .collect();
    if let Some(headline) = &frame.headline {
        entries.push((
            None,
            headline.clone(),
            anchored(page.bold(Role::Body, INK), HPos::Left, VPos::Center),
        ));
    }
    if !entries.is_empty() {
        y += page.ui(0.3);
        y = draw_legend_rows(root, page, &entries, left, width as i32, y)?;
    }
    // The source line at the foot, on as many lines as it needs, ending at the same place.
    let footer = page.text(Role::Footer, MUTED);
    let step = (page.font(Role::Footer) * 1.15).round() as i32;
    let foot = wrap_all(root, &frame.footer, &footer, width)?;
    let bottom = page.height as i32 - page.ui(0.5);
    let first = bottom - step * foot.len() as i32;
    for (i, line) in foot.into_iter().enumerate() {
        root.draw(&Text::new(
            line,
            (left, first + step * i as i32),
            footer.clone(),
        ))?;
    }
    let top = (y + page.ui(0.3)).max(0) as u32;
    let below = (page.height as i32 - first + page.ui(0.3)).max(0) as u32;
    let side = page.ui(0.5) as u32;
    Ok((root.margin(top, below, side, side), frame.caption()))
}

/// A legend entry: its swatch (none for a headline), label and text style.
type Entry<'a> = (Option<&'a Swatch>, String, TextStyle<'static>);

/// Legend entries flowed into rows, moving to a new row when the next would pass the right
/// edge; a label wider than the page wraps. Returns the y below them.
fn draw_legend_rows<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    entries: &[Entry<'_>],
    left: i32,
    width: i32,
    top: i32,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    let swatch_w = page.ui(1.3);
    let row_h = (page.font(Role::Body) * 1.3).round() as i32;
    let gap = page.ui(1.0);
    let mut x = left;
    let mut mid = top + row_h / 2;
    for (swatch, label, style) in entries {
        let inset = if swatch.is_some() {
            swatch_w + page.ui(0.35)
        } else {
            0
        };
        let parts = wrap_all(root, label, style, (width - inset).max(1) as u32)?;
        let mut w = 0;
        for part in &parts {
            w = w.max(root.estimate_text_size(part, style)?.0 as i32);
        }
        if x > left && x + inset + w > left + width {
            x = left;
            mid += row_h;
        }
        if let Some(swatch) = swatch {
            draw_swatch(root, page, swatch, (x, mid))?;
        }
        for (i, part) in parts.iter().enumerate() {
            root.draw(&Text::new(
                part.clone(),
                (x + inset, mid + row_h * i as i32),
                style.clone(),
            ))?;
        }
        mid += row_h * (parts.len() as i32 - 1);
        x += inset + w + gap;
    }
    Ok(mid + row_h / 2)
}

/// Draw a legend swatch with its left edge at `x`, centred on `y`.
pub fn draw_swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    swatch: &Swatch,
    (x, y): (i32, i32),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let w = page.ui(1.3);
    let h = page.ui(0.3);
    match swatch {
        Swatch::Line(c) => root.draw(&PathElement::new(
            vec![(x, y), (x + w, y)],
            c.stroke_width(page.stroke(1.0)),
        )),
        Swatch::Dashed(c) => {
            let dash = w / 3;
            for i in 0..3 {
                let x0 = x + i * dash;
                root.draw(&PathElement::new(
                    vec![(x0, y), (x0 + dash * 3 / 5, y)],
                    c.stroke_width(page.stroke(1.0)),
                ))?;
            }
            Ok(())
        }
        Swatch::Block(c) => root.draw(&Rectangle::new([(x, y - h), (x + w, y + h)], c.filled())),
        Swatch::Outlined(fill, line) => {
            root.draw(&Rectangle::new([(x, y - h), (x + w, y + h)], fill.filled()))?;
            root.draw(&Rectangle::new(
                [(x, y - h), (x + w, y + h)],
                line.stroke_width(page.stroke(0.4)),
            ))
        }
        Swatch::Hatched(c) => {
            super::makers::hatch(root, page, (x, y - h, x + w, y + h), *c)?;
            root.draw(&Rectangle::new(
                [(x, y - h), (x + w, y + h)],
                c.stroke_width(page.stroke(0.4)),
            ))
        }
        Swatch::Whisker(c) => {
            let stroke = c.stroke_width(page.stroke(0.7));
            root.draw(&PathElement::new(vec![(x, y), (x + w, y)], stroke))?;
            for end in [x, x + w] {
                root.draw(&PathElement::new(vec![(end, y - h), (end, y + h)], stroke))?;
            }
            Ok(())
        }
    }
}

/// Split `text` into lines no wider than `width`, never dropping a word: a word wider than
/// the line on its own (an identifier, say) is broken after a hyphen, dot, underscore or
/// slash where one fits, else between characters.
pub fn wrap_all<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle<'_>,
    width: u32,
) -> Result<Vec<String>, DrawingAreaErrorKind<DB::ErrorType>> {
    let fits = |s: &str| root.estimate_text_size(s, style).map(|(w, _)| w <= width);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if fits(&candidate)? {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        let mut rest = word.to_string();
        while !fits(&rest)? {
            let ends: Vec<usize> = rest.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
            // The longest prefix that fits (at least one character), preferring to end just
            // after a separator.
            let mut cut = ends.first().copied().unwrap_or(rest.len());
            let mut at_separator = None;
            for end in ends.iter().copied().skip(1) {
                if !fits(&rest[..end])? {
                    break;
                }
                cut = end;
                if rest[..end].ends_with(['-', '.', '_', '/']) {
                    at_separator = Some(end);
                }
            }
            let cut = at_separator.unwrap_or(cut);
            if cut >= rest.len() {
                break;
            }
            lines.push(rest[..cut].to_string());
            rest = rest[cut..].to_string();
        }
        current = rest;
    }
    if !current.is_empty() {
        lines.push(current);
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(millions(1_300_000.0), "1.3m");
        assert_eq!(millions(0.0), "0");
        assert_eq!(millions2(812_345.0), "0.81m");
        assert_eq!(signed_short(120_400.0), "+120k");
        assert_eq!(signed_short(-45_000.0), "-45k");
        assert_eq!(signed_short(1_260_000.0), "+1.3m");
        assert_eq!(signed_short(800.0), "+800");
        assert_eq!(short(273_087.0), "273k");
        assert_eq!(axis_value(1_500_000.0, 2_500_000.0), "1.5m");
        assert_eq!(axis_value(250_000.0, 1_500_000.0), "0.25m");
        assert_eq!(axis_value(0.0, 1_500_000.0), "0");
        assert_eq!(axis_value(50_000.0, 600_000.0), "50k");
        assert_eq!(axis_value(1_000_000.0, 1_000_000.0), "1.0m");
    }

    #[test]
    fn axis_top_is_round_and_above_the_data() {
        assert_eq!(axis_top(2_198_000.0), 2_500_000.0);
        assert_eq!(axis_top(1_300_000.0), 1_500_000.0);
        assert_eq!(axis_top(40_000.0), 50_000.0);
        for bad in [f64::INFINITY, f64::NAN, f64::NEG_INFINITY, 0.0, -5.0] {
            assert_eq!(axis_top(bad), 500.0, "{bad}");
        }
        assert!(axis_top(f64::MAX).is_finite());
    }

    #[test]
    fn maker_colours_are_fixed_stable_and_distinct_within_a_chart() {
        let palette = MakerPalette::new(["Chery", "BYD", "Great Wall"]);
        assert_eq!(palette.colour("Chery"), RGBColor(230, 159, 0));
        // BYD and Great Wall prefer the same spare colour; the second in name order moves on.
        assert_eq!(preferred_spare("BYD"), preferred_spare("Great Wall"));
        assert_eq!(palette.colour("BYD"), SPARE_COLOURS[preferred_spare("BYD")]);
        assert_ne!(palette.colour("BYD"), palette.colour("Great Wall"));
        // Alone, a maker keeps its preferred colour in any chart.
        assert_eq!(
            MakerPalette::new(["Great Wall"]).colour("Great Wall"),
            SPARE_COLOURS[preferred_spare("Great Wall")]
        );
        // More unknown makers than spare colours: still all different.
        let names: Vec<String> = (0..20).map(|i| format!("Maker {i}")).collect();
        let palette = MakerPalette::new(names.iter().map(String::as_str));
        let mut colours: Vec<(u8, u8, u8)> = names
            .iter()
            .map(|n| {
                let c = palette.colour(n);
                (c.0, c.1, c.2)
            })
            .collect();
        colours.sort_unstable();
        colours.dedup();
        assert_eq!(colours.len(), 20);
    }
}
