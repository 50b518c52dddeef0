//! Charts for reports, drawn with plotters in the embedded font: PNG for slides and word
//! processors, SVG for the web and print. Charts are drawn from the engine's results only.

mod batteries;
mod bridge;
mod compare;
mod data;
mod fan;
mod history;
mod jobs;
mod makers;
mod path;
mod plants;
mod powertrain;
mod raster;
mod style;
mod tornado;

use anyhow::anyhow;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::data::{Dataset, HistoryYear};
use crate::engine::{NationalYear, Projection};
use crate::export::OutputFile;
use crate::scenario::Uncertain;
use crate::uncertainty::{Swing, Uncertainty};
pub use data::headline as data_headline;
pub(crate) use history::{is_secondary, publishers};
pub use style::{Caption, Page, Size};

/// What drawing on a backend returns.
pub(crate) type DrawResult<T, DB> =
    Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Image formats charts are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// PNG, with a resolution that sets its size when pasted.
    Png,
    /// SVG with real text.
    Svg,
    /// Both.
    Both,
}

impl Format {
    fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Png => &["png"],
            Format::Svg => &["svg"],
            Format::Both => &["png", "svg"],
        }
    }
}

/// The charts of one scenario run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    /// History, projection and target path.
    Path,
    /// Output by maker.
    Makers,
    /// Waterfall from the base year to the end year and the gap.
    Bridge,
    /// Capacity against output by plant.
    Plants,
    /// Output by powertrain, the electrified share and the ZEV mandate for reference.
    Powertrain,
    /// Battery cells UK-built vehicles need against UK cell capacity.
    Batteries,
    /// Direct jobs by plant, base year to end year.
    Jobs,
}

impl Chart {
    /// The charts every run draws.
    pub const ALL: [Chart; 4] = [Chart::Path, Chart::Makers, Chart::Bridge, Chart::Plants];

    /// The charts beyond output, each drawn when the projection has its rows (see `drawn_for`).
    pub const INDUSTRY: [Chart; 3] = [Chart::Powertrain, Chart::Batteries, Chart::Jobs];

    /// The file stem.
    pub fn name(self) -> &'static str {
        match self {
            Chart::Path => "path",
            Chart::Makers => "makers",
            Chart::Bridge => "bridge",
            Chart::Plants => "plants",
            Chart::Powertrain => "powertrain",
            Chart::Batteries => "batteries",
            Chart::Jobs => "jobs",
        }
    }

    /// Whether a run of this projection draws the chart: the powertrain and battery charts
    /// when the data split output by powertrain (the projection has powertrain rows), the
    /// jobs chart when some plant has a headcount or scenario jobs; the others always.
    pub fn drawn_for(self, projection: &Projection) -> bool {
        match self {
            Chart::Powertrain => !projection.powertrain.is_empty(),
            Chart::Batteries => !projection.batteries.is_empty(),
            Chart::Jobs => !projection.jobs.is_empty(),
            Chart::Path | Chart::Makers | Chart::Bridge | Chart::Plants => true,
        }
    }
}

/// The source line at the foot of a scenario chart that draws no history before the base
/// year: the base year's sources, the projection, and the note.
fn footer(p: &Projection, note: &str) -> String {
    footer_from(p, |n| n.year == p.base_year, note)
}

/// The source line at the foot of a scenario chart, so a chart pasted alone says where it
/// came from: the publishers of the actual years it draws (`drawn`), by
/// `history::credit`'s rule, then the projection; the fingerprint ties it to the exact data
/// and resolved scenario (manifest.json).
fn footer_from(p: &Projection, drawn: impl Fn(&NationalYear) -> bool, note: &str) -> String {
    let cited = p
        .national
        .iter()
        .filter(|n| drawn(n))
        .filter_map(|n| n.citation.as_deref());
    let mut line = format!(
        "{}; projection: ukprod, scenario {} (inputs {})",
        history::credit(cited),
        p.scenario,
        p.fingerprint()
    );
    if !note.is_empty() {
        line.push_str(". ");
        line.push_str(note);
    }
    line
}

/// The line above a scenario chart's title: the scenario's display name, and "modified by --set"
/// for a `--set` variant.
fn kicker(p: &Projection) -> String {
    if p.modified.is_empty() {
        format!("Scenario: {}", p.display_name())
    } else {
        format!("Scenario: {}, modified by --set", p.display_name())
    }
}

/// The longest description a chart shows as its subtitle when the scenario has no headline:
/// the longest a headline should be. A longer one is never cut; `validate` asks for a headline.
const SHORT_DESCRIPTION: usize = 120;

/// The subtitle of a scenario's chart: what was changed by `--set`, what the figures are
/// (expected values, the modal case), then what the scenario is: its one-sentence headline,
/// else its description when that is short (so a caveat such as "illustration only" is never
/// lost). A `--set` variant shows neither, as both describe the scenario before the change.
fn subtitle(p: &Projection) -> String {
    let mut parts = vec![
        crate::export::modified_note(p),
        crate::export::basis_note(p.basis),
    ];
    if p.modified.is_empty() {
        let short = p.description.trim();
        let short = (short.chars().count() <= SHORT_DESCRIPTION).then(|| short.to_string());
        parts.extend(p.headline.clone().or(short));
    }
    parts.retain(|s| !s.is_empty());
    parts.join(". ").replace("..", ".")
}

/// How a projected total is labelled on a chart: "projected", "expected" or "modal case",
/// and "(modified)" for a `--set` variant, so a bar or legend pasted alone says so.
fn total_label(p: &Projection) -> String {
    if p.modified.is_empty() {
        p.basis.word().to_string()
    } else {
        format!("{} (modified)", p.basis.word())
    }
}

/// The straight line from the base-year actual to the target, as points. It ends at the
/// target: after its year the engine holds the target flat, which is no line to anything.
fn target_line(p: &Projection) -> Vec<(f64, f64)> {
    p.national
        .iter()
        .filter(|n| n.year <= p.target.year)
        .filter_map(|n| n.target_path.map(|t| (f64::from(n.year), t)))
        .collect()
}

/// Where the target is marked on a chart that ends in `end`, and its label: the target itself
/// ("1.3m target, 2035") when the chart reaches the target year, else the target path's value
/// in the chart's last year ("Line to target, 2030: 1.03m", in the target's colour), since the target
/// lies beyond it. Both fit the margin the target label has always had.
fn target_mark(p: &Projection, end: i32) -> ((f64, f64), String) {
    let target = p.target;
    if target.year <= end {
        (
            (f64::from(target.year), target.volume),
            format!("{} target, {}", style::millions(target.volume), target.year),
        )
    } else {
        let path = p
            .year(end)
            .and_then(|n| n.target_path)
            .unwrap_or(p.summary.end_target_path);
        (
            (f64::from(end), path),
            format!("Line to target, {end}: {}", style::millions2(path)),
        )
    }
}

/// A projection's published totals from `from` on, as runs of consecutive sourced years
/// (a year without a total breaks the line rather than being bridged).
fn actual_totals(p: &Projection, from: i32) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    let mut previous: Option<i32> = None;
    for n in p
        .national
        .iter()
        .filter(|n| n.source == crate::engine::Source::Actual && n.year >= from)
    {
        let Some(total) = n.total else {
            previous = None;
            continue;
        };
        // A new run after a year without a total, or after a year missing from the data.
        if previous.is_none_or(|y| n.year != y + 1) {
            runs.push(Vec::new());
        }
        runs.last_mut()
            .map(|r| r.push((f64::from(n.year), total)))
            .unwrap_or_default();
        previous = Some(n.year);
    }
    runs.retain(|r| !r.is_empty());
    runs
}

/// The first year of the unbroken run of published totals that ends in the base year: where
/// time-series charts start by default, so that no line crosses a year without a sourced
/// total (2006 for the shipped data).
fn unbroken_from(p: &Projection) -> i32 {
    actual_totals(p, i32::MIN)
        .last()
        .and_then(|run| run.first())
        .map_or(p.base_year, |(year, _)| *year as i32)
}

/// Points of one percentile of the draws, from the base year's actual total on.
fn percentile_line(base: (f64, f64), u: &Uncertainty, k: usize) -> Vec<(f64, f64)> {
    std::iter::once(base)
        .chain(
            u.bands
                .iter()
                .map(|b| (f64::from(b.year), b.percentiles[k])),
        )
        .collect()
}

/// Fill the band between two percentiles of the draws (indices into `percentiles`).
fn band<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    base: (f64, f64),
    u: &Uncertainty,
    (lower, upper): (usize, usize),
    style: ShapeStyle,
) -> DrawResult<(), DB> {
    let bottom = percentile_line(base, u, lower);
    let outline: Vec<(f64, f64)> = percentile_line(base, u, upper)
        .into_iter()
        .chain(bottom.into_iter().rev())
        .collect();
    chart.draw_series(std::iter::once(Polygon::new(outline, style)))?;
    Ok(())
}

/// Draw runs of points as lines, and a lone point as a dot.
fn draw_runs<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    page: &Page,
    runs: Vec<Vec<(f64, f64)>>,
    colour: RGBColor,
) -> DrawResult<(), DB> {
    for run in runs {
        if run.len() == 1 {
            let r = page.ui(0.15);
            chart.draw_series(run.iter().map(|pt| Circle::new(*pt, r, colour.filled())))?;
        } else {
            chart.draw_series(LineSeries::new(run, colour.stroke_width(page.stroke(1.0))))?;
        }
    }
    Ok(())
}

/// Something that can be drawn on any plotters backend.
trait Drawing {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
    ) -> DrawResult<Caption, DB>;
}

/// Render a drawing as SVG text, with its caption as `<title>` and `<desc>`.
fn svg(drawing: &impl Drawing, page: &Page) -> anyhow::Result<Vec<u8>> {
    let mut out = String::new();
    let caption = {
        let root = SVGBackend::with_string(&mut out, (page.width, page.height)).into_drawing_area();
        let caption = drawing.draw(&root, page).map_err(|e| anyhow!("{e}"))?;
        root.present().map_err(|e| anyhow!("{e}"))?;
        caption
    };
    Ok(finish_svg(&out, &caption).into_bytes())
}

/// plotters writes a text's font-size as its size / 1.24; the PNG draws the same size as a
/// glyph height of `size` (an em of `size` × EM). Rewrite every font-size to that em, so the
/// SVG's text is the PNG's size, and add the caption after the opening tag.
fn finish_svg(svg: &str, caption: &Caption) -> String {
    let mut out = String::with_capacity(svg.len() + 512);
    let mut rest = svg;
    const KEY: &str = "font-size=\"";
    while let Some(at) = rest.find(KEY) {
        let (head, tail) = rest.split_at(at + KEY.len());
        out.push_str(head);
        let end = tail.find('"').unwrap_or(tail.len());
        match tail[..end].parse::<f64>() {
            Ok(v) => out.push_str(&format!("{:.2}", v * 1.24 * style::EM)),
            Err(_) => out.push_str(&tail[..end]),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let head = format!(
        "\n<title>{}</title>\n<desc>{}</desc>",
        escape(&caption.title),
        escape(&caption.description)
    );
    if let Some(at) = out
        .find("<svg")
        .and_then(|s| out[s..].find('>').map(|e| s + e + 1))
    {
        out.insert_str(at, &head);
    }
    out
}

/// Render a drawing as PNG, in memory, so a failed drawing never leaves a blank file.
fn png(drawing: &impl Drawing, page: &Page) -> anyhow::Result<Vec<u8>> {
    let (width, height) = (page.width, page.height);
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let backend = raster::Raster::with_buffer(&mut pixels, (width, height))
            .map_err(|_| anyhow!("the embedded font could not be loaded"))?;
        let root = backend.into_drawing_area();
        drawing.draw(&root, page).map_err(|e| anyhow!("{e}"))?;
        root.present().map_err(|e| anyhow!("{e}"))?;
    }
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    // A resolution, so that a word processor inserts the chart at the width it was laid out
    // for (16 cm for `doc`) rather than at its size in pixels.
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: page.pixels_per_metre(),
        yppu: page.pixels_per_metre(),
        unit: png::Unit::Meter,
    }));
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder.set_filter(png::FilterType::Up);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(bytes)
}

/// How charts are drawn: which files, at which size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    /// PNG, SVG or both.
    pub format: Format,
    /// The size preset.
    pub size: Size,
    /// The first year drawn on time-series charts (each chart's own default when `None`).
    pub from: Option<i32>,
}

/// Render a drawing in the requested formats as `STEM.png` / `STEM.svg`.
fn render(stem: &str, look: Look, drawing: &impl Drawing) -> anyhow::Result<Vec<OutputFile>> {
    style::init_fonts().map_err(|e| anyhow!(e))?;
    let page = Page::of(look.size);
    look.format
        .extensions()
        .iter()
        .map(|ext| {
            let bytes = match *ext {
                "png" => png(drawing, &page),
                _ => svg(drawing, &page),
            }
            .map_err(|e| anyhow!("cannot draw the {stem} chart: {e}"))?;
            Ok(OutputFile {
                name: format!("{stem}.{ext}"),
                bytes,
            })
        })
        .collect()
}

struct ScenarioChart<'a> {
    chart: Chart,
    projection: &'a Projection,
    /// The scenario's draws, if any: the powertrain chart draws the electrified share's
    /// band, the battery chart the chance cells cover demand.
    uncertainty: Option<&'a Uncertainty>,
    /// The first year of history drawn (`--from`), for the charts that draw history.
    from: Option<i32>,
}

impl Drawing for ScenarioChart<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
    ) -> DrawResult<Caption, DB> {
        match self.chart {
            Chart::Path => path::draw(root, page, self.projection, self.from),
            Chart::Makers => makers::draw(root, page, self.projection),
            Chart::Bridge => bridge::draw(root, page, self.projection),
            Chart::Plants => plants::draw(root, page, self.projection),
            Chart::Powertrain => powertrain::draw(root, page, self.projection, self.uncertainty),
            Chart::Batteries => batteries::draw(root, page, self.projection, self.uncertainty),
            Chart::Jobs => jobs::draw(root, page, self.projection),
        }
    }
}

/// One chart of a scenario run, in the requested formats (without draws; see
/// `scenario_chart_with`).
pub fn scenario_chart(
    chart: Chart,
    projection: &Projection,
    look: Look,
) -> anyhow::Result<Vec<OutputFile>> {
    scenario_chart_with(chart, projection, None, look)
}

/// One chart of a scenario run, with the scenario's draws where it has them: the powertrain
/// chart then shows the P5–P95 band of the electrified share, and the battery chart the
/// chance that UK cells cover demand. Pass the same draws the projection's expected values
/// come from.
pub fn scenario_chart_with(
    chart: Chart,
    projection: &Projection,
    uncertainty: Option<&Uncertainty>,
    look: Look,
) -> anyhow::Result<Vec<OutputFile>> {
    let drawing = ScenarioChart {
        chart,
        projection,
        uncertainty,
        from: look.from,
    };
    render(chart.name(), look, &drawing)
}

/// Every chart of a scenario run: the four on output, then the powertrain, battery and jobs
/// charts where the projection has their rows (without draws; see `scenario_charts_with`).
pub fn scenario_charts(projection: &Projection, look: Look) -> anyhow::Result<Vec<OutputFile>> {
    scenario_charts_with(projection, None, look)
}

/// Every chart of a scenario run, with the scenario's draws where it has them.
pub fn scenario_charts_with(
    projection: &Projection,
    uncertainty: Option<&Uncertainty>,
    look: Look,
) -> anyhow::Result<Vec<OutputFile>> {
    let mut files = Vec::new();
    for chart in Chart::ALL.into_iter().chain(Chart::INDUSTRY) {
        if chart.drawn_for(projection) {
            files.extend(scenario_chart_with(chart, projection, uncertainty, look)?);
        }
    }
    Ok(files)
}

struct CompareChart<'a>(&'a [Projection], Option<&'a [Uncertainty]>, Option<i32>);

impl Drawing for CompareChart<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
    ) -> DrawResult<Caption, DB> {
        compare::draw(root, page, self.0, self.1, self.2)
    }
}

/// The comparison chart of several scenarios, from `look.from` (else the first year of the
/// unbroken run of totals); with draws, each gets its expected line and P5–P95 band.
pub fn compare_chart(
    projections: &[Projection],
    spreads: Option<&[Uncertainty]>,
    look: Look,
) -> anyhow::Result<Vec<OutputFile>> {
    render(
        "compare",
        look,
        &CompareChart(projections, spreads, look.from),
    )
}

/// A fan chart: the projection, its draws and the first year of history drawn (`--from`).
struct FanChart<'a>(&'a Projection, &'a Uncertainty, Option<i32>);

impl Drawing for FanChart<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
    ) -> DrawResult<Caption, DB> {
        fan::draw(root, page, self.0, self.1, self.2)
    }
}

/// The fan chart of a scenario's Monte Carlo draws.
pub fn fan_chart(
    projection: &Projection,
    uncertainty: &Uncertainty,
    look: Look,
) -> anyhow::Result<Vec<OutputFile>> {
    render("fan", look, &FanChart(projection, uncertainty, look.from))
}

struct TornadoChart<'a> {
    projection: &'a Projection,
    tornado: tornado::Tornado<'a>,
}

impl Drawing for TornadoChart<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
    ) -> DrawResult<Caption, DB> {
        tornado::draw(root, page, self.projection, &self.tornado)
    }
}

/// The tornado chart of a one-at-a-time sensitivity: `uncertain` (the scenario's uncertain
/// inputs) gives each item's chance for its label; `central` is the headline total in `year`
/// (the expected value when `projection` is the mean of draws, else the modal case), where the
/// bars start, and `target` the target path then. The swings must be on the same basis.
pub fn tornado_chart(
    projection: &Projection,
    swings: &[Swing],
    uncertain: &[Uncertain],
    year: i32,
    central: f64,
    target: f64,
    look: Look,
) -> anyhow::Result<Vec<OutputFile>> {
    let chart = TornadoChart {
        projection,
        tornado: tornado::Tornado {
            swings,
            uncertain,
            year,
            central,
            target,
        },
    };
    render("tornado", look, &chart)
}

struct HistoryChart<'a>(&'a [HistoryYear], &'a str);

impl Drawing for HistoryChart<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
    ) -> DrawResult<Caption, DB> {
        history::draw(self.1, root, page, self.0)
    }
}

/// The whole historical record, cars and commercial vehicles stacked.
pub fn history_chart(
    history: &[HistoryYear],
    fingerprint: &str,
    look: Look,
) -> anyhow::Result<Vec<OutputFile>> {
    render("history", look, &HistoryChart(history, fingerprint))
}

struct DataChart<'a>(&'a Dataset, &'a str);

impl Drawing for DataChart<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page,
    ) -> DrawResult<Caption, DB> {
        data::draw(self.1, root, page, self.0)
    }
}

/// Base-year output by plant and residual, filled by how solid each figure is (`ukprod data`).
pub fn data_chart(
    data: &Dataset,
    fingerprint: &str,
    look: Look,
) -> anyhow::Result<Vec<OutputFile>> {
    render("data", look, &DataChart(data, fingerprint))
}
