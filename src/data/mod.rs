//! Loads and checks the sourced data: national history, plants and plant output.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Diagnostics, Location, did_you_mean};

mod industry;
pub use industry::*;

/// The data files, by name, inside the data directory.
/// The maker name the residual's output counts towards.
pub const OTHER_MAKER: &str = "Other";
/// The name of the residual rows.
pub const OTHER_NAME: &str = "Other UK manufacturers";

pub const HISTORY_FILE: &str = "history.csv";
/// Plants and their capacities.
pub const PLANTS_FILE: &str = "plants.csv";
/// Each plant's annual output.
pub const PLANT_OUTPUT_FILE: &str = "plant_output.csv";
/// What each segment's residual is thought to contain (optional).
pub const RESIDUALS_FILE: &str = "residuals.csv";

/// The longest a plant's `short_name` may be, so that it fits the plants chart's name column
/// on one line.
pub const SHORT_NAME_MAX: usize = 25;

/// The earliest year the data may hold.
pub const FIRST_YEAR: i32 = 1900;
/// The latest year the data (and any scenario) may refer to.
pub const LAST_YEAR: i32 = 2100;
/// The largest figure a data file may give (vehicles a year, or a capacity): 100 million,
/// far above any plant or national figure, so that sums of them stay exact.
pub const MAX_FIGURE: u64 = 100_000_000;
/// The longest name, operator or location a data file may give, in characters.
pub const TEXT_MAX_CHARS: usize = 200;
/// The longest `source` a data file may give, in characters: a citation with its address.
pub const SOURCE_MAX_CHARS: usize = 1_000;

/// The first character of `text` that must not be in a name or a description: a control
/// character (C0 other than tab and newline, a carriage return, DEL, or C1), which could
/// rewrite a terminal or make an SVG unreadable. A carriage return just before a newline is a
/// line ending (a multi-line string in a file saved with CRLF), not a control character.
/// Returns its position in characters (from 1) too.
pub fn control_character(text: &str) -> Option<(usize, char)> {
    let mut chars = text.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        let line_ending = c == '\r' && chars.peek().is_some_and(|(_, next)| *next == '\n');
        if c.is_control() && !matches!(c, '\t' | '\n') && !line_ending {
            return Some((i + 1, c));
        }
    }
    None
}

/// A problem with a piece of text: a control character, or more than `max` characters.
pub fn text_problem(field: &str, text: &str, max: usize) -> Option<String> {
    if let Some((at, c)) = control_character(text) {
        return Some(format!(
            "{field} has a control character (U+{:04X}) at character {at}: only printable text, tabs and newlines are allowed",
            u32::from(c)
        ));
    }
    let chars = text.chars().count();
    (chars > max).then(|| format!("{field} has {chars} characters; at most {max} are allowed"))
}

/// How many years before the base year must have complete national figures.
pub const COMPLETE_YEARS_BEFORE_BASE: i32 = 15;

/// Cars or commercial vehicles (vans, trucks, buses, taxis), as SMMT splits output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Segment {
    /// Passenger cars.
    Car,
    /// Commercial vehicles.
    Cv,
}

impl Segment {
    /// Both segments, cars first.
    pub const ALL: [Segment; 2] = [Segment::Car, Segment::Cv];

    /// The id of this segment's residual "other UK manufacturers" row.
    pub fn residual_id(self) -> &'static str {
        match self {
            Segment::Car => "other-car",
            Segment::Cv => "other-cv",
        }
    }

    /// The name used in data files and scenarios.
    pub fn as_str(self) -> &'static str {
        match self {
            Segment::Car => "car",
            Segment::Cv => "cv",
        }
    }
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One year of national output as published.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct HistoryYear {
    /// Calendar year.
    pub year: i32,
    /// Cars built.
    pub cars: u64,
    /// Commercial vehicles built, where sourced.
    pub commercial_vehicles: Option<u64>,
    /// Cars plus commercial vehicles, where both are sourced.
    pub total: Option<u64>,
    /// The publication the figures come from.
    pub source: String,
}

impl HistoryYear {
    /// Output of one segment, where sourced.
    pub fn segment(&self, segment: Segment) -> Option<u64> {
        match segment {
            Segment::Car => Some(self.cars),
            Segment::Cv => self.commercial_vehicles,
        }
    }
}

/// A UK vehicle plant.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Plant {
    /// Short id used in scenarios, e.g. `jlr-halewood`.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Short display name for charts ("Nissan Sunderland"); the full name where the file has
    /// no `short_name` column.
    #[serde(default)]
    pub short_name: Option<String>,
    /// Company that runs it, used to group output by maker.
    pub operator: String,
    /// Town or area.
    pub location: String,
    /// Cars or commercial vehicles.
    pub segment: Segment,
    /// Annual nameplate capacity in vehicles, as reported.
    pub capacity: u64,
    /// How the capacity was obtained; where the file has no `capacity_kind` column, read from
    /// the source (`Estimate: …` is an estimate, anything else published).
    #[serde(default)]
    pub capacity_kind: Option<SourceKind>,
    /// Where the capacity comes from.
    pub source: String,
}

/// How a figure in the data was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// Read in the cited publication (perhaps rounded).
    Published,
    /// Worked out from published figures by arithmetic the row states (a proxy such as
    /// deliveries for output, or a published total scaled by a published ratio).
    Derived,
    /// A judgement the row argues: a figure held flat or carried forward, or an assumed share.
    Estimate,
}

impl SourceKind {
    /// The name used in data files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Published => "published",
            SourceKind::Derived => "derived",
            SourceKind::Estimate => "estimate",
        }
    }

    /// The kind a file without a kind column means: its source says `Estimate:` or not.
    fn from_source(source: &str) -> SourceKind {
        if source.trim_start().starts_with("Estimate:") {
            SourceKind::Estimate
        } else {
            SourceKind::Published
        }
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Plant {
    /// What charts call the plant: its short name, else its full name.
    pub fn display_name(&self) -> &str {
        self.short_name.as_deref().unwrap_or(&self.name)
    }

    /// How the capacity was obtained.
    pub fn capacity_kind(&self) -> SourceKind {
        self.capacity_kind
            .unwrap_or_else(|| SourceKind::from_source(&self.source))
    }
}

/// One plant's output in one year.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PlantOutput {
    /// The plant's id in `plants.csv`.
    pub plant_id: String,
    /// Calendar year.
    pub year: i32,
    /// Vehicles built.
    pub output: i64,
    /// The lowest output the estimate's argument allows, for an estimated figure.
    #[serde(default)]
    pub low: Option<i64>,
    /// The highest output the estimate's argument allows.
    #[serde(default)]
    pub high: Option<i64>,
    /// How the figure was obtained; where the file has no `kind` column, read from the source.
    #[serde(default)]
    pub kind: Option<SourceKind>,
    /// The published total that this row and the others naming it split (a maker's UK
    /// output split between its plants): a draw of the ranges keeps that total.
    #[serde(default)]
    pub split_of: Option<String>,
    /// Where the figure comes from.
    pub source: String,
}

impl PlantOutput {
    /// How the figure was obtained.
    pub fn kind(&self) -> SourceKind {
        self.kind
            .unwrap_or_else(|| SourceKind::from_source(&self.source))
    }

    /// The plausible range, where the row gives one.
    pub fn range(&self) -> Option<(f64, f64)> {
        Some((self.low? as f64, self.high? as f64))
    }
}

/// What a segment's residual ("other UK manufacturers") is thought to contain: a row of
/// `residuals.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResidualNote {
    /// The segment whose residual it describes.
    pub segment: Segment,
    /// The makers and errors the residual is thought to hold.
    pub contains: String,
    /// Where that comes from.
    pub source: String,
}

/// A row of `residuals.csv` as read, before its segment is checked.
#[derive(Debug, Clone, Deserialize)]
struct ResidualRow {
    segment: String,
    contains: String,
    source: String,
}

/// How one segment's national figure in the base year splits: the listed plants' figures by
/// how each was obtained, and the residual.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reconciliation {
    /// The segment.
    pub segment: Segment,
    /// SMMT's national figure.
    pub national: f64,
    /// Vehicles in published plant figures.
    pub published: f64,
    /// Vehicles in derived plant figures.
    pub derived: f64,
    /// Vehicles in estimated plant figures.
    pub estimate: f64,
    /// The national figure less the listed plants.
    pub residual: f64,
}

impl Reconciliation {
    /// Vehicles in plant figures of one kind.
    pub fn of_kind(&self, kind: SourceKind) -> f64 {
        match kind {
            SourceKind::Published => self.published,
            SourceKind::Derived => self.derived,
            SourceKind::Estimate => self.estimate,
        }
    }

    /// The listed plants' total.
    pub fn plants(&self) -> f64 {
        self.published + self.derived + self.estimate
    }

    /// A part's share of the national figure (0 when the figure is 0).
    pub fn share(&self, part: f64) -> f64 {
        if self.national > 0.0 {
            part / self.national
        } else {
            0.0
        }
    }

    /// Two segments together.
    pub fn plus(&self, other: &Reconciliation) -> Reconciliation {
        Reconciliation {
            segment: self.segment,
            national: self.national + other.national,
            published: self.published + other.published,
            derived: self.derived + other.derived,
            estimate: self.estimate + other.estimate,
            residual: self.residual + other.residual,
        }
    }
}

/// All sourced data, checked for consistency.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// National output by year, ascending.
    pub history: Vec<HistoryYear>,
    /// Every plant, in file order.
    pub plants: Vec<Plant>,
    /// Each plant's output in the base year, by plant id.
    pub base_outputs: BTreeMap<String, f64>,
    /// Every plant output row, in file order.
    pub outputs: Vec<PlantOutput>,
    /// What each segment's residual is thought to contain, from the optional
    /// `residuals.csv` (empty without it).
    pub residuals: Vec<ResidualNote>,
    /// The files the data was read from, with their SHA-256.
    pub files: Vec<DataFile>,
    /// Powertrain, employment and battery data (each part empty when its file is absent).
    pub industry: Industry,
}

/// A data file and the SHA-256 of its bytes, so outputs can say exactly what they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// SHA-256 of its contents, in hex.
    pub sha256: String,
}

/// SHA-256 of some bytes, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Dataset {
    /// The last year of the national history: the year projections start from.
    pub fn base_year(&self) -> i32 {
        self.history.last().map_or(0, |h| h.year)
    }

    /// National figures for the base year (`load` refuses an empty history).
    pub fn base(&self) -> Option<&HistoryYear> {
        self.history.last()
    }

    /// A plant by id.
    pub fn plant(&self, id: &str) -> Option<&Plant> {
        self.plants.iter().find(|p| p.id == id)
    }

    /// The segment of a plant, or of a residual (`other-car`, `other-cv`).
    pub fn segment_of(&self, id: &str) -> Option<Segment> {
        self.plant(id)
            .map(|p| p.segment)
            .or_else(|| Segment::ALL.into_iter().find(|s| s.residual_id() == id))
    }

    /// A segment's base-year output by powertrain, as `powertrain.csv` splits it (all zero
    /// without the file).
    pub fn powertrain_volumes(&self, segment: Segment) -> [f64; 4] {
        let mut volumes = [0.0; 4];
        for (id, row) in &self.industry.powertrain {
            if self.segment_of(id) == Some(segment) {
                for (v, x) in volumes.iter_mut().zip(row.volumes()) {
                    *v += x;
                }
            }
        }
        volumes
    }

    /// A plant's output in the base year (0 for an unknown id).
    pub fn base_output(&self, id: &str) -> f64 {
        self.base_outputs.get(id).copied().unwrap_or(0.0)
    }

    /// A plant's output row for a year.
    pub fn output_row(&self, id: &str, year: i32) -> Option<&PlantOutput> {
        self.outputs
            .iter()
            .find(|o| o.plant_id == id && o.year == year)
    }

    /// The years a plant has an output figure for, ascending.
    pub fn output_years(&self, id: &str) -> Vec<i32> {
        let mut years: Vec<i32> = self
            .outputs
            .iter()
            .filter(|o| o.plant_id == id)
            .map(|o| o.year)
            .collect();
        years.sort_unstable();
        years
    }

    /// The base-year rows that split one published total, by that total's name, in file
    /// order: each group's plants and the total they add up to.
    pub fn splits(&self) -> Vec<(String, Vec<String>, f64)> {
        let mut groups: Vec<(String, Vec<String>, f64)> = Vec::new();
        for o in self.outputs.iter().filter(|o| o.year == self.base_year()) {
            let Some(name) = o
                .split_of
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
            else {
                continue;
            };
            let output = o.output.max(0) as f64;
            match groups.iter_mut().find(|(n, _, _)| n == name) {
                Some((_, plants, total)) => {
                    plants.push(o.plant_id.clone());
                    *total += output;
                }
                None => groups.push((name.to_string(), vec![o.plant_id.clone()], output)),
            }
        }
        groups
    }

    /// A plant's base-year row.
    pub fn base_row(&self, id: &str) -> Option<&PlantOutput> {
        self.output_row(id, self.base_year())
    }

    /// SMMT's national figure for one segment in the base year.
    pub fn national(&self, segment: Segment) -> f64 {
        self.base().and_then(|b| b.segment(segment)).unwrap_or(0) as f64
    }

    /// Base-year output of one segment not accounted for by the listed plants.
    pub fn residual(&self, segment: Segment) -> f64 {
        let national = self.base().and_then(|b| b.segment(segment)).unwrap_or(0) as f64;
        national - self.segment_plant_output(segment)
    }

    fn segment_plant_output(&self, segment: Segment) -> f64 {
        self.plants
            .iter()
            .filter(|p| p.segment == segment)
            .map(|p| self.base_output(&p.id))
            .sum()
    }

    /// A segment's plants, largest base-year output first (then by display name).
    pub fn plants_by_output(&self, segment: Segment) -> Vec<&Plant> {
        let mut plants: Vec<&Plant> = self
            .plants
            .iter()
            .filter(|p| p.segment == segment)
            .collect();
        plants.sort_by(|a, b| {
            self.base_output(&b.id)
                .total_cmp(&self.base_output(&a.id))
                .then_with(|| a.display_name().cmp(b.display_name()))
        });
        plants
    }

    /// What `residuals.csv` says a segment's residual contains, where it says.
    pub fn residual_note(&self, segment: Segment) -> Option<&ResidualNote> {
        self.residuals.iter().find(|r| r.segment == segment)
    }

    /// How a segment's national figure in the base year splits between published, derived
    /// and estimated plant figures and the residual.
    pub fn reconciliation(&self, segment: Segment) -> Reconciliation {
        let mut r = Reconciliation {
            segment,
            national: self.national(segment),
            published: 0.0,
            derived: 0.0,
            estimate: 0.0,
            residual: self.residual(segment),
        };
        for p in self.plants.iter().filter(|p| p.segment == segment) {
            let kind = self
                .base_row(&p.id)
                .map_or(SourceKind::Estimate, PlantOutput::kind);
            let output = self.base_output(&p.id);
            match kind {
                SourceKind::Published => r.published += output,
                SourceKind::Derived => r.derived += output,
                SourceKind::Estimate => r.estimate += output,
            }
        }
        r
    }

    /// SHA-256 over every data file's hash: one fingerprint of all the data, in hex.
    pub fn sha256(&self) -> String {
        let joined: String = self
            .files
            .iter()
            .map(|f| format!("{}\n", f.sha256))
            .collect();
        sha256_hex(joined.as_bytes())
    }

    /// Every plant id, for suggestions.
    pub fn plant_ids(&self) -> impl Iterator<Item = &str> {
        self.plants.iter().map(|p| p.id.as_str())
    }

    /// The plants whose base-year figure rests on a figure "transcribed" by a third party
    /// (the row's source says so), cars then commercial vehicles, largest first.
    pub fn transcribed(&self) -> Vec<&Plant> {
        Segment::ALL
            .into_iter()
            .flat_map(|s| self.plants_by_output(s))
            .filter(|p| {
                self.base_row(&p.id)
                    .is_some_and(|r| r.source.to_lowercase().contains("transcribed"))
            })
            .collect()
    }

    /// What rests on a third party's copy, in a sentence: "MINI Oxford's, JLR's and
    /// Stellantis's 2025 totals are SMMT's by-maker figures as copied by a third party (the
    /// original not seen)." A published row is the maker's total itself and is named by its
    /// plant; a derived or estimated one starts from its operator's total and is named by
    /// the operator. None when no base-year row says "transcribed".
    pub fn transcription_note(&self) -> Option<String> {
        let mut names: Vec<String> = Vec::new();
        for p in self.transcribed() {
            let published = self
                .base_row(&p.id)
                .is_some_and(|r| r.kind() == SourceKind::Published);
            let name = if published {
                p.display_name()
            } else {
                p.operator.as_str()
            };
            let name = format!("{name}'s");
            if !names.contains(&name) {
                names.push(name);
            }
        }
        let list = match names.as_slice() {
            [] => return None,
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        };
        Some(format!(
            "{list} {} total{} {} SMMT's by-maker figure{} as copied by a third party (the \
             original not seen).",
            self.base_year(),
            if names.len() == 1 { "" } else { "s" },
            if names.len() == 1 { "is" } else { "are" },
            if names.len() == 1 { "" } else { "s" },
        ))
    }

    /// The year a plant closed, where its base-year row or its capacity's source says so:
    /// the first year within a few words after "closed" or "ended" ("Car assembly ended May
    /// 2024" → 2024).
    pub fn closure_year(&self, id: &str) -> Option<i32> {
        let texts = [
            self.base_row(id).map(|r| r.source.as_str()),
            self.plant(id).map(|p| p.source.as_str()),
        ];
        texts.into_iter().flatten().find_map(|text| {
            let words: Vec<&str> = text.split_whitespace().collect();
            words.iter().enumerate().find_map(|(i, w)| {
                let w = w.to_lowercase();
                if !(w.starts_with("closed") || w.starts_with("ended")) {
                    return None;
                }
                words.iter().skip(i + 1).take(5).find_map(|w| {
                    let digits = w.trim_matches(|c: char| !c.is_ascii_digit());
                    (digits.len() == 4 && digits.len() + 2 >= w.len())
                        .then(|| digits.parse().ok())
                        .flatten()
                        .filter(|y| (FIRST_YEAR..=LAST_YEAR).contains(y))
                })
            })
        })
    }
}

/// Read and check the three data files in `dir`, and `residuals.csv` where it is there,
/// reporting every problem found.
pub fn load(dir: &Path) -> Result<Dataset, Diagnostics> {
    let mut problems = Diagnostics::default();
    let history_path = dir.join(HISTORY_FILE);
    let plants_path = dir.join(PLANTS_FILE);
    let output_path = dir.join(PLANT_OUTPUT_FILE);
    let mut files = Vec::new();
    let history: Vec<Row<HistoryYear>> = read_csv(&history_path, &mut files, &mut problems);
    let plants: Vec<Row<Plant>> = read_csv(&plants_path, &mut files, &mut problems);
    let outputs: Vec<Row<PlantOutput>> = read_csv(&output_path, &mut files, &mut problems);
    let residuals_path = dir.join(RESIDUALS_FILE);
    let residual_rows: Vec<Row<ResidualRow>> = if is_missing(&residuals_path) {
        Vec::new()
    } else {
        read_csv(&residuals_path, &mut files, &mut problems)
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    check_history(&history_path, &history, &mut problems);
    check_plants(&plants_path, &plants, &mut problems);
    let base_year = history.last().map_or(0, |h| h.value.year);
    let base_outputs = check_outputs(&output_path, &plants, &outputs, base_year, &mut problems);
    let residuals = check_residual_notes(&residuals_path, &residual_rows, &mut problems);
    let mut dataset = Dataset {
        history: history.into_iter().map(|r| r.value).collect(),
        plants: plants.into_iter().map(|r| r.value).collect(),
        base_outputs,
        outputs: outputs.into_iter().map(|r| r.value).collect(),
        residuals,
        files,
        industry: Industry::default(),
    };
    if problems.is_empty() {
        check_residuals(&dataset, &output_path, &mut problems);
        check_splits(&dataset, &output_path, &mut problems);
    }
    if problems.is_empty() {
        let context = industry::Context {
            plants: dataset
                .plants
                .iter()
                .map(|p| (p.id.as_str(), p.segment))
                .collect(),
            base_outputs: &dataset.base_outputs,
            residuals: Segment::ALL.map(|s| dataset.residual(s)),
            base_year: dataset.base_year(),
        };
        let mut files = Vec::new();
        let industry = industry::load(dir, &context, &mut files, &mut problems);
        dataset.files.extend(files);
        dataset.industry = industry;
    }
    problems.into_result(dataset)
}

/// Whether an optional data file is absent (any other problem reading it is reported when it
/// is read).
fn is_missing(path: &Path) -> bool {
    matches!(std::fs::metadata(path), Err(e) if e.kind() == std::io::ErrorKind::NotFound)
}

/// A parsed record and the line it came from.
struct Row<T> {
    line: u64,
    value: T,
}

/// Parse every record of a CSV file, recording a problem per bad record.
fn read_csv<T: DeserializeOwned>(
    path: &Path,
    files: &mut Vec<DataFile>,
    problems: &mut Diagnostics,
) -> Vec<Row<T>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => {
            files.push(DataFile {
                path: path.to_path_buf(),
                sha256: sha256_hex(text.as_bytes()),
            });
            text
        }
        Err(err) => {
            problems
                .push(Diagnostic::new(format!("cannot read the data file: {err}")).in_file(path));
            return Vec::new();
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(err) => {
            problems.push(csv_problem(path, &err, None));
            return Vec::new();
        }
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let parsed = record.and_then(|record| {
            let line = record.position().map_or(0, csv::Position::line);
            record
                .deserialize::<T>(Some(&headers))
                .map(|value| Row { line, value })
        });
        match parsed {
            Ok(row) => rows.push(row),
            Err(err) => problems.push(csv_problem(path, &err, Some(&headers))),
        }
    }
    rows
}

fn csv_problem(path: &Path, err: &csv::Error, headers: Option<&csv::StringRecord>) -> Diagnostic {
    let (line, column, message) = match err.kind() {
        csv::ErrorKind::Deserialize { pos, err } => {
            let column = err
                .field()
                .and_then(|i| headers.and_then(|h| h.get(i as usize)))
                .map(str::to_string);
            (
                pos.as_ref().map(csv::Position::line),
                column,
                err.kind().to_string(),
            )
        }
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => (
            pos.as_ref().map(csv::Position::line),
            None,
            format!("this row has {len} fields, but the header has {expected_len}"),
        ),
        _ => (
            err.position().map(csv::Position::line),
            None,
            err.to_string(),
        ),
    };
    let diagnostic = Diagnostic::new(message);
    match line {
        Some(line) => diagnostic.at(row_at(path, line, column.as_deref())),
        None => diagnostic.in_file(path),
    }
}

fn row_at(path: &Path, line: u64, column: Option<&str>) -> Location {
    Location::Row {
        path: path.to_path_buf(),
        line,
        column: column.map(str::to_string),
    }
}

fn check_history(path: &Path, rows: &[Row<HistoryYear>], problems: &mut Diagnostics) {
    let Some(last) = rows.last() else {
        problems.push(Diagnostic::new("the national history has no rows").in_file(path));
        return;
    };
    let mut previous: Option<i32> = None;
    for row in rows {
        let h = &row.value;
        let at = |column: &str| row_at(path, row.line, Some(column));
        if let Some(prev) = previous
            && h.year <= prev
        {
            problems.push(
                Diagnostic::new(format!(
                    "year {} comes after {prev}: years must be in ascending order, each once",
                    h.year
                ))
                .at(at("year")),
            );
        }
        previous = Some(h.year);
        check_year(h.year, at("year"), problems);
        let figures = [
            ("cars", Some(h.cars)),
            ("commercial_vehicles", h.commercial_vehicles),
            ("total", h.total),
        ];
        for (column, figure) in figures {
            check_figure(column, figure, at(column), problems);
        }
        match (h.commercial_vehicles, h.total) {
            // Checked: a corrupt row near u64::MAX must not wrap round to a plausible sum.
            (Some(cv), Some(total)) if h.cars.checked_add(cv) != Some(total) => problems.push(
                Diagnostic::new(match h.cars.checked_add(cv) {
                    Some(sum) => format!(
                        "total {total} is not cars + commercial_vehicles ({} + {cv} = {sum})",
                        h.cars
                    ),
                    None => format!(
                        "total {total} is not cars + commercial_vehicles ({} + {cv} is too large to add up)",
                        h.cars
                    ),
                })
                .at(at("total")),
            ),
            (Some(_), None) | (None, Some(_)) => problems.push(
                Diagnostic::new(
                    "commercial_vehicles and total must both be given or both be empty",
                )
                .at(at("total")),
            ),
            _ => {}
        }
        if h.source.is_empty() {
            problems.push(Diagnostic::new("every figure needs a source").at(at("source")));
        }
        check_text("source", &h.source, at("source"), problems);
    }
    let base = last.value.year;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&base) {
        // Reported with its row above; the years before it cannot be counted.
        return;
    }
    if last.value.total == Some(0) {
        problems.push(
            Diagnostic::new(format!(
                "the base year {base} has a total of 0: projections grow from the base year's output, so it must be more than 0"
            ))
            .at(row_at(path, last.line, Some("total"))),
        );
    }
    for year in base - COMPLETE_YEARS_BEFORE_BASE..=base {
        let complete = rows
            .iter()
            .any(|r| r.value.year == year && r.value.total.is_some());
        if !complete {
            problems.push(
                Diagnostic::new(format!(
                    "year {year} needs cars, commercial_vehicles and total: the base year {base} and the {COMPLETE_YEARS_BEFORE_BASE} years before it must be complete"
                ))
                .in_file(path),
            );
        }
    }
}

/// A year of the data: from [`FIRST_YEAR`] to [`LAST_YEAR`].
fn check_year(year: i32, at: Location, problems: &mut Diagnostics) {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        problems.push(
            Diagnostic::new(format!(
                "year {year} is not a plausible year: it must be from {FIRST_YEAR} to {LAST_YEAR}"
            ))
            .at(at),
        );
    }
}

/// A figure of the data: at most [`MAX_FIGURE`] vehicles.
fn check_figure(column: &str, figure: Option<u64>, at: Location, problems: &mut Diagnostics) {
    if let Some(figure) = figure.filter(|f| *f > MAX_FIGURE) {
        problems.push(
            Diagnostic::new(format!(
                "{column} {figure} is more than any plausible figure: it must be from 0 to {MAX_FIGURE}"
            ))
            .at(at),
        );
    }
}

/// A text of the data: no control characters, at most [`TEXT_MAX_CHARS`] characters
/// ([`SOURCE_MAX_CHARS`] for a source or a residual's description).
fn check_text(column: &str, text: &str, at: Location, problems: &mut Diagnostics) {
    let max = if matches!(column, "source" | "contains") {
        SOURCE_MAX_CHARS
    } else {
        TEXT_MAX_CHARS
    };
    if let Some(problem) = text_problem(column, text, max) {
        problems.push(Diagnostic::new(problem).at(at));
    }
}

/// True for ids made of lowercase letters, digits and hyphens, as scenario names and plant ids are.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn check_plants(path: &Path, rows: &[Row<Plant>], problems: &mut Diagnostics) {
    let mut seen = HashSet::new();
    check_short_names(path, rows, problems);
    for row in rows {
        let p = &row.value;
        let at = |column: &str| row_at(path, row.line, Some(column));
        if !is_valid_id(&p.id) {
            problems.push(
                Diagnostic::new(format!(
                    "plant id `{}` must be lowercase letters, digits and hyphens",
                    p.id
                ))
                .at(at("id")),
            );
        } else if Segment::ALL.iter().any(|s| s.residual_id() == p.id) {
            problems.push(
                Diagnostic::new(format!(
                    "plant id `{}` is reserved for the residual of other UK manufacturers",
                    p.id
                ))
                .at(at("id")),
            );
        }
        if !seen.insert(p.id.as_str()) {
            problems
                .push(Diagnostic::new(format!("plant `{}` is listed twice", p.id)).at(at("id")));
        }
        if p.capacity == 0 {
            problems.push(Diagnostic::new("capacity must be more than 0").at(at("capacity")));
        }
        check_figure("capacity", Some(p.capacity), at("capacity"), problems);
        for (column, value) in [
            ("name", &p.name),
            ("operator", &p.operator),
            ("source", &p.source),
        ] {
            if value.is_empty() {
                problems
                    .push(Diagnostic::new(format!("{column} must not be empty")).at(at(column)));
            }
        }
        for (column, value) in [
            ("name", &p.name),
            ("operator", &p.operator),
            ("location", &p.location),
            ("source", &p.source),
            (
                "short_name",
                p.short_name.as_ref().unwrap_or(&String::new()),
            ),
        ] {
            check_text(column, value, at(column), problems);
        }
    }
}

/// Short names are optional (a data folder without the column still loads), but once the
/// column is there every plant needs one, short enough for a chart and not shared with another
/// plant, since a chart shows it alone.
fn check_short_names(path: &Path, rows: &[Row<Plant>], problems: &mut Diagnostics) {
    if rows.iter().all(|r| r.value.short_name.is_none()) {
        return;
    }
    let mut seen = HashSet::new();
    for row in rows {
        let at = row_at(path, row.line, Some("short_name"));
        let name = row.value.short_name.as_deref().unwrap_or("").trim();
        if name.is_empty() {
            problems.push(Diagnostic::new("short_name must not be empty").at(at));
            continue;
        }
        let chars = name.chars().count();
        if chars > SHORT_NAME_MAX {
            problems.push(
                Diagnostic::new(format!(
                    "short_name `{name}` has {chars} characters; at most {SHORT_NAME_MAX} fit a chart's name column"
                ))
                .at(at.clone()),
            );
        }
        if !seen.insert(name) {
            problems.push(
                Diagnostic::new(format!(
                    "short_name `{name}` is used by another plant: a chart could not tell them apart"
                ))
                .at(at),
            );
        }
    }
}

fn check_outputs(
    path: &Path,
    plants: &[Row<Plant>],
    rows: &[Row<PlantOutput>],
    base_year: i32,
    problems: &mut Diagnostics,
) -> BTreeMap<String, f64> {
    let ids: Vec<&str> = plants.iter().map(|p| p.value.id.as_str()).collect();
    let mut seen = HashSet::new();
    let mut base_outputs = BTreeMap::new();
    for row in rows {
        let o = &row.value;
        let at = |column: &str| row_at(path, row.line, Some(column));
        if !ids.contains(&o.plant_id.as_str()) {
            problems.push(
                Diagnostic::new(format!(
                    "unknown plant `{}`: it is not in {PLANTS_FILE}",
                    o.plant_id
                ))
                .at(at("plant_id"))
                .with_help(did_you_mean(&o.plant_id, ids.iter().copied())),
            );
        }
        if !seen.insert((o.plant_id.as_str(), o.year)) {
            problems.push(
                Diagnostic::new(format!(
                    "plant `{}` has two rows for {}",
                    o.plant_id, o.year
                ))
                .at(at("year")),
            );
        }
        if o.output < 0 {
            problems
                .push(Diagnostic::new(format!("output {} is negative", o.output)).at(at("output")));
        }
        let output = u64::try_from(o.output).ok();
        check_figure("output", output, at("output"), problems);
        check_range(o, &at, problems);
        if let Some(split) = &o.split_of {
            check_text("split_of", split, at("split_of"), problems);
        }
        check_year(o.year, at("year"), problems);
        check_text("source", &o.source, at("source"), problems);
        if o.year > base_year {
            problems.push(
                Diagnostic::new(format!(
                    "year {} is after the base year {base_year}, the last year of {HISTORY_FILE}",
                    o.year
                ))
                .at(at("year")),
            );
        }
        if o.source.is_empty() {
            problems.push(Diagnostic::new("every figure needs a source").at(at("source")));
        }
        if o.year == base_year {
            base_outputs.insert(o.plant_id.clone(), o.output.max(0) as f64);
        }
    }
    for id in ids {
        if !base_outputs.contains_key(id) {
            problems.push(
                Diagnostic::new(format!(
                    "plant `{id}` has no output for the base year {base_year} (0 is allowed for a plant that has stopped)"
                ))
                .in_file(path),
            );
        }
    }
    base_outputs
}

/// A row's `low` and `high`: both or neither, neither negative nor implausible, and bracketing
/// the output, since a draw takes the output as the most likely value between them.
fn check_range(o: &PlantOutput, at: &dyn Fn(&str) -> Location, problems: &mut Diagnostics) {
    for (column, value) in [("low", o.low), ("high", o.high)] {
        if let Some(v) = value {
            if v < 0 {
                problems.push(Diagnostic::new(format!("{column} {v} is negative")).at(at(column)));
            }
            check_figure(column, u64::try_from(v).ok(), at(column), problems);
        }
    }
    match (o.low, o.high) {
        (Some(low), Some(high)) if !(low <= o.output && o.output <= high) => problems.push(
            Diagnostic::new(format!(
                "low {low} and high {high} do not bracket the output {}: a range must have low <= output <= high",
                o.output
            ))
            .at(at(if low > o.output { "low" } else { "high" })),
        ),
        (Some(_), None) => problems.push(
            Diagnostic::new("low is given without high: give both, or neither").at(at("high")),
        ),
        (None, Some(_)) => problems.push(
            Diagnostic::new("high is given without low: give both, or neither").at(at("low")),
        ),
        _ => {}
    }
}

/// The rows of `residuals.csv`: a known segment (with a "did you mean"), each once, and a
/// description and source of printable text within the limits.
fn check_residual_notes(
    path: &Path,
    rows: &[Row<ResidualRow>],
    problems: &mut Diagnostics,
) -> Vec<ResidualNote> {
    let mut notes: Vec<ResidualNote> = Vec::new();
    for row in rows {
        let r = &row.value;
        let at = |column: &str| row_at(path, row.line, Some(column));
        for (column, value) in [("contains", &r.contains), ("source", &r.source)] {
            if value.is_empty() {
                problems
                    .push(Diagnostic::new(format!("{column} must not be empty")).at(at(column)));
            }
            check_text(column, value, at(column), problems);
        }
        let Some(segment) = Segment::ALL.into_iter().find(|s| s.as_str() == r.segment) else {
            problems.push(
                Diagnostic::new(format!(
                    "unknown segment `{}`: it must be `car` or `cv`",
                    r.segment
                ))
                .at(at("segment"))
                .with_help(did_you_mean(&r.segment, Segment::ALL.map(Segment::as_str))),
            );
            continue;
        };
        if notes.iter().any(|n| n.segment == segment) {
            problems.push(
                Diagnostic::new(format!(
                    "segment `{segment}` is described twice: give one row per segment"
                ))
                .at(at("segment")),
            );
            continue;
        }
        notes.push(ResidualNote {
            segment,
            contains: r.contains.clone(),
            source: r.source.clone(),
        });
    }
    notes
}

/// The plants that split one published total must be of one segment: a draw keeps the total,
/// and the residual of each segment takes up what its plants do not hold.
fn check_splits(data: &Dataset, path: &Path, problems: &mut Diagnostics) {
    for (name, plants, _) in data.splits() {
        let segments: HashSet<Segment> = plants
            .iter()
            .filter_map(|id| data.plant(id).map(|p| p.segment))
            .collect();
        if segments.len() > 1 {
            problems.push(
                Diagnostic::new(format!(
                    "split_of `{name}` names plants of both segments ({}): the plants that split a total must all build cars or all commercial vehicles",
                    plants.join(", ")
                ))
                .in_file(path),
            );
        }
    }
}

fn check_residuals(data: &Dataset, path: &Path, problems: &mut Diagnostics) {
    for segment in Segment::ALL {
        let national = data.base().and_then(|b| b.segment(segment)).unwrap_or(0);
        let plants = data.segment_plant_output(segment);
        if plants > national as f64 {
            problems.push(
                Diagnostic::new(format!(
                    "in {}, the {segment} plants built {plants:.0} vehicles, more than the national {segment} figure of {national} in {HISTORY_FILE}",
                    data.base_year()
                ))
                .in_file(path),
            );
        }
    }
}
