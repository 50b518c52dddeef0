//! The look shared by every chart: size, fonts, colours, number formats and the frame
//! (title, subtitle, legend row, footer) around the plot.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, register_font};

use crate::engine::Projection;

/// Width of every chart in pixels: a report page at print resolution.
pub const WIDTH: u32 = 2000;
/// Height of every chart in pixels (16:9).
pub const HEIGHT: u32 = 1125;
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
/// The target and the gap to it (Okabe-Ito vermillion).
pub const TARGET: RGBColor = RGBColor(213, 94, 0);
/// Cars (Okabe-Ito sky blue).
pub const CARS: RGBColor = RGBColor(86, 180, 233);
/// Commercial vehicles (Okabe-Ito orange).
pub const CVS: RGBColor = RGBColor(230, 159, 0);

/// Scenario lines in comparison charts, in order (Okabe-Ito, darkest first).
pub const SCENARIO_COLOURS: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(136, 34, 85),
];

/// Each maker's colour, the same in every chart and scenario (Okabe-Ito, then Paul Tol's muted).
const MAKER_COLOURS: [(&str, RGBColor); 12] = [
    ("Nissan", RGBColor(0, 114, 178)),
    ("JLR", RGBColor(0, 158, 115)),
    ("BMW", RGBColor(86, 180, 233)),
    ("Toyota", RGBColor(204, 121, 167)),
    ("Chery", RGBColor(230, 159, 0)),
    ("Stellantis", RGBColor(240, 228, 66)),
    ("PACCAR", RGBColor(136, 34, 85)),
    ("Geely", RGBColor(68, 170, 153)),
    ("Bentley", RGBColor(51, 34, 136)),
    ("Aston Martin", RGBColor(17, 119, 51)),
    ("McLaren", RGBColor(221, 204, 119)),
    ("Other", RGBColor(170, 170, 170)),
];

/// Colours for makers not in the table, each chosen to stand apart from the named makers'
/// colours (Paul Tol's muted set and Okabe-Ito's remainder).
const SPARE_COLOURS: [RGBColor; 6] = [
    RGBColor(204, 102, 119),
    RGBColor(153, 153, 51),
    RGBColor(170, 68, 153),
    RGBColor(102, 17, 0),
    RGBColor(136, 204, 238),
    RGBColor(85, 85, 85),
];

/// `colour` blended with white: `strength` 1 is the colour itself, 0 is white.
pub fn pale(colour: RGBColor, strength: f64) -> RGBColor {
    let blend = |c: u8| (255.0 - strength * (255.0 - f64::from(c))).round() as u8;
    RGBColor(blend(colour.0), blend(colour.1), blend(colour.2))
}

/// The colour a maker outside the table prefers: fixed by a hash of its name (FNV-1a), so it
/// is the same in every chart unless another maker of the chart already has it.
fn preferred_spare(maker: &str) -> usize {
    let hash = maker.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash % SPARE_COLOURS.len() as u64) as usize
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

    /// The palette of every maker a projection names: plant operators and programme makers.
    pub fn of(p: &Projection) -> MakerPalette {
        MakerPalette::new(
            p.plants
                .iter()
                .map(|r| r.operator.as_str())
                .chain(p.components.iter().map(|c| c.maker.as_str())),
        )
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
pub fn axis_top(max: f64) -> f64 {
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
    /// An outlined block.
    Outline(RGBColor),
    /// Stripes of a few makers' colours, for "coloured by maker"; paler when `true`.
    Makers(bool),
}

/// The words around a chart.
#[derive(Debug, Clone)]
pub struct Frame {
    /// What the chart shows.
    pub title: String,
    /// The scenario's description.
    pub subtitle: String,
    /// Legend entries, drawn under the subtitle.
    pub legend: Vec<(Swatch, String)>,
    /// One legend entry per line (for long entries), instead of one row.
    pub rows: bool,
    /// A short statement drawn at the right of the legend row, such as progress to target.
    pub headline: Option<String>,
    /// Source line.
    pub footer: String,
}

/// Draw the frame on a white page and return the area left for the plot.
pub fn draw_frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let left = 60;
    let width = WIDTH as i32 - 2 * left;
    let mut y = 44;
    // A title too long for the page is cut, never allowed to run off it.
    let title = wrap(root, &frame.title, &bold(46.0, INK), width as u32, 1)?.join(" ");
    root.draw(&Text::new(title, (left, y), bold(46.0, INK)))?;
    y += 66;
    let subtitle = text(26.0, MUTED);
    for line in wrap(root, &frame.subtitle, &subtitle, width as u32, 3)? {
        root.draw(&Text::new(line, (left, y), subtitle.clone()))?;
        y += 34;
    }
    if frame.rows {
        y += 10;
        let style = anchored(text(26.0, INK), HPos::Left, VPos::Center);
        for (swatch, label) in &frame.legend {
            draw_swatch(root, swatch, (left, y + 14))?;
            let line = wrap(root, label, &style, width as u32 - 60, 1)?.join(" ");
            root.draw(&Text::new(line, (left + 56, y + 14), style.clone()))?;
            y += 38;
        }
        y += 6;
    } else if !frame.legend.is_empty() || frame.headline.is_some() {
        y += 14;
        let legend_end = draw_legend_row(root, &frame.legend, left, y)?;
        if let Some(headline) = &frame.headline {
            let style = anchored(bold(26.0, TARGET), HPos::Right, VPos::Center);
            // On the legend's row if it fits beside it, else on a row of its own.
            let (w, _) = root.estimate_text_size(headline, &style)?;
            if legend_end + w as i32 > left + width {
                y += 40;
            }
            root.draw(&Text::new(headline.clone(), (left + width, y + 14), style))?;
        }
        y += 44;
    }
    // The source line, on two lines if it needs them, ending at the same place.
    let footer = text(22.0, MUTED);
    let lines = wrap(root, &frame.footer, &footer, width as u32, 2)?;
    let first = HEIGHT as i32 - 48 - 28 * (lines.len() as i32 - 1);
    for (i, line) in lines.into_iter().enumerate() {
        root.draw(&Text::new(
            line,
            (left, first + 28 * i as i32),
            footer.clone(),
        ))?;
    }
    Ok(root.margin(y as u32 + 10, 92, 30, 30))
}

fn draw_legend_row<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    legend: &[(Swatch, String)],
    left: i32,
    y: i32,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    let style = anchored(text(26.0, INK), HPos::Left, VPos::Center);
    let mut x = left;
    let mid = y + 14;
    for (swatch, label) in legend {
        draw_swatch(root, swatch, (x, mid))?;
        root.draw(&Text::new(label.clone(), (x + 56, mid), style.clone()))?;
        let (w, _) = root.estimate_text_size(label, &style)?;
        x += 56 + w as i32 + 44;
    }
    Ok(x)
}

/// Draw a 44-pixel legend swatch with its left edge at `x`, centred on `y`.
pub fn draw_swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    swatch: &Swatch,
    (x, y): (i32, i32),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    match swatch {
        Swatch::Line(c) => root.draw(&PathElement::new(
            vec![(x, y), (x + 44, y)],
            c.stroke_width(5),
        )),
        Swatch::Dashed(c) => {
            for i in 0..3 {
                let x0 = x + i * 17;
                root.draw(&PathElement::new(
                    vec![(x0, y), (x0 + 10, y)],
                    c.stroke_width(4),
                ))?;
            }
            Ok(())
        }
        Swatch::Block(c) => root.draw(&Rectangle::new([(x, y - 12), (x + 44, y + 12)], c.filled())),
        Swatch::Outline(c) => root.draw(&Rectangle::new(
            [(x, y - 12), (x + 44, y + 12)],
            c.stroke_width(3),
        )),
        Swatch::Makers(paler) => {
            let palette = MakerPalette::default();
            for (i, maker) in ["Nissan", "JLR", "Chery", "Toyota"].iter().enumerate() {
                let colour = palette.colour(maker);
                let colour = if *paler { pale(colour, 0.45) } else { colour };
                let x0 = x + 11 * i as i32;
                root.draw(&Rectangle::new(
                    [(x0, y - 12), (x0 + 11, y + 12)],
                    colour.filled(),
                ))?;
            }
            Ok(())
        }
    }
}

/// Split `text` into at most `max_lines` lines no wider than `width`, ending with "…" if cut.
pub fn wrap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle<'_>,
    width: u32,
    max_lines: usize,
) -> Result<Vec<String>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        let candidate = if current.is_empty() {
            (*word).to_string()
        } else {
            format!("{current} {word}")
        };
        if root.estimate_text_size(&candidate, style)?.0 <= width || current.is_empty() {
            current = candidate;
            continue;
        }
        lines.push(std::mem::take(&mut current));
        current = (*word).to_string();
        if lines.len() == max_lines {
            // Out of room: cut the last line short and mark the cut.
            let mut last = lines.pop().unwrap_or_default();
            let rest = words[i..].join(" ");
            last = format!("{last} {rest}");
            while root.estimate_text_size(&format!("{last}…"), style)?.0 > width {
                match last.rfind(' ') {
                    Some(cut) => last.truncate(cut),
                    None => break,
                }
            }
            lines.push(format!("{}…", last.trim_end()));
            return Ok(lines);
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    Ok(lines)
}

/// Move labels apart vertically so none overlaps another, keeping them near their wish.
///
/// `wanted` are pixel centres; returns centres at least `gap` apart, within `top..=bottom`.
pub fn spread(wanted: &[f64], gap: f64, top: f64, bottom: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by(|a, b| wanted[*a].total_cmp(&wanted[*b]));
    let mut placed: Vec<f64> = order
        .iter()
        .map(|i| wanted[*i].clamp(top, bottom))
        .collect();
    for i in 1..placed.len() {
        if placed[i] < placed[i - 1] + gap {
            placed[i] = placed[i - 1] + gap;
        }
    }
    // If the last ran off the bottom, push the stack back up.
    if let Some(last) = placed.last().copied()
        && last > bottom
    {
        let shift = last - bottom;
        for p in &mut placed {
            *p -= shift;
        }
        for i in (0..placed.len().saturating_sub(1)).rev() {
            if placed[i] > placed[i + 1] - gap {
                placed[i] = placed[i + 1] - gap;
            }
        }
    }
    let mut out = vec![0.0; wanted.len()];
    for (slot, i) in order.into_iter().enumerate() {
        out[i] = placed[slot];
    }
    out
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
    }

    #[test]
    fn spread_separates_close_labels() {
        let placed = spread(&[100.0, 105.0, 300.0], 40.0, 0.0, 1000.0);
        assert_eq!(placed, [100.0, 140.0, 300.0]);
        let placed = spread(&[990.0, 995.0], 40.0, 0.0, 1000.0);
        assert_eq!(placed, [960.0, 1000.0]);
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
