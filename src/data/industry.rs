//! Beyond the headcount of vehicles: what each plant built by powertrain, who works there, the
//! UK's battery cell plants, typical battery sizes and the ZEV mandate. Every file is optional,
//! so a data folder made before these existed still loads; the outputs that need a file say so.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::{
    DataFile, Row, Segment, SourceKind, check_text, check_year, is_missing, is_valid_id, read_csv,
    row_at,
};
use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};

/// Base-year output of each plant by powertrain.
pub const POWERTRAIN_FILE: &str = "powertrain.csv";
/// SMMT's national electrified output.
pub const ELECTRIFIED_FILE: &str = "electrified.csv";
/// Direct employees by plant.
pub const EMPLOYMENT_FILE: &str = "employment.csv";
/// UK battery cell plants.
pub const BATTERY_PLANTS_FILE: &str = "battery_plants.csv";
/// Each cell plant's capacity path.
pub const BATTERY_CAPACITY_FILE: &str = "battery_capacity.csv";
/// Typical battery sizes.
pub const BATTERY_SIZES_FILE: &str = "battery_sizes.csv";
/// The ZEV mandate's yearly shares.
pub const ZEV_MANDATE_FILE: &str = "zev_mandate.csv";

/// The `plant_id` of SMMT's national automotive manufacturing employment in `employment.csv`.
pub const NATIONAL_EMPLOYMENT: &str = "national";

/// The most kWh a vehicle's battery may be stated as: five times the largest pack sold.
pub const MAX_KWH: f64 = 1_000.0;
/// The most GWh a year a cell plant may be stated as: ten times the largest plant built.
pub const MAX_GWH: f64 = 10_000.0;
/// The most jobs a plant or programme may be stated as: ten times the largest UK plant's.
pub const MAX_JOBS: f64 = 1_000_000.0;

/// How a vehicle is driven, as SMMT counts it: mild hybrids count as ICE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Powertrain {
    /// Battery electric.
    Bev,
    /// Plug-in hybrid (range extenders included).
    Phev,
    /// Full hybrid.
    Hev,
    /// Petrol or diesel, mild hybrids included.
    Ice,
}

/// Shares of a plant's (or a programme's) output by powertrain, in [`Powertrain::ALL`] order,
/// summing to 1.
pub type Mix = [f64; 4];

impl Powertrain {
    /// Every powertrain, in table order.
    pub const ALL: [Powertrain; 4] = [
        Powertrain::Bev,
        Powertrain::Phev,
        Powertrain::Hev,
        Powertrain::Ice,
    ];

    /// The name used in scenarios and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Powertrain::Bev => "BEV",
            Powertrain::Phev => "PHEV",
            Powertrain::Hev => "HEV",
            Powertrain::Ice => "ICE",
        }
    }

    /// The powertrain a name means, in any case ("bev", "BEV").
    pub fn parse(name: &str) -> Option<Powertrain> {
        Powertrain::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(name))
    }

    /// Its place in a [`Mix`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether SMMT counts it as electrified (BEV, PHEV or HEV).
    pub fn is_electrified(self) -> bool {
        self != Powertrain::Ice
    }

    /// Whether it has a traction battery that `battery_sizes.csv` sizes.
    pub fn has_battery(self) -> bool {
        self != Powertrain::Ice
    }
}

impl std::fmt::Display for Powertrain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// "did you mean" for a powertrain name.
pub fn powertrain_help(name: &str) -> Option<String> {
    did_you_mean(name, Powertrain::ALL.map(Powertrain::as_str)).or_else(|| {
        Some("a powertrain is one of `BEV`, `PHEV`, `HEV` or `ICE` (mild hybrids are ICE)".into())
    })
}

/// One row of `powertrain.csv`: what a plant (or a residual) built in a year, by powertrain.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PowertrainRow {
    /// Plant id, or `other-car` / `other-cv`.
    pub plant_id: String,
    /// Calendar year (the base year).
    pub year: i32,
    /// Battery electric vehicles.
    pub bev: u64,
    /// Plug-in hybrids.
    pub phev: u64,
    /// Full hybrids.
    pub hev: u64,
    /// Petrol and diesel, mild hybrids included.
    pub ice: u64,
    /// How the split was obtained.
    pub kind: SourceKind,
    /// Where it comes from.
    pub source: String,
}

impl PowertrainRow {
    /// Vehicles of each powertrain, in [`Powertrain::ALL`] order.
    pub fn volumes(&self) -> [f64; 4] {
        [self.bev, self.phev, self.hev, self.ice].map(|v| v as f64)
    }

    /// All vehicles.
    pub fn total(&self) -> u64 {
        self.bev + self.phev + self.hev + self.ice
    }

    /// Shares of each powertrain; all ICE for a plant that built nothing.
    pub fn mix(&self) -> Mix {
        let total = self.total() as f64;
        if total == 0.0 {
            return [0.0, 0.0, 0.0, 1.0];
        }
        self.volumes().map(|v| v / total)
    }
}

/// One row of `electrified.csv`: SMMT's national electrified output in a year.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ElectrifiedRow {
    /// Calendar year.
    pub year: i32,
    /// `car` or `cv`.
    pub segment: Segment,
    /// Battery electric, where published.
    #[serde(default)]
    pub bev: Option<u64>,
    /// Plug-in hybrids, where published.
    #[serde(default)]
    pub phev: Option<u64>,
    /// Full hybrids, where published.
    #[serde(default)]
    pub hev: Option<u64>,
    /// BEV + PHEV + HEV, as published.
    pub electrified: u64,
    /// How it was obtained.
    pub kind: SourceKind,
    /// Where it comes from.
    pub source: String,
}

/// One row of `employment.csv`: a plant's direct employees (or the national figure).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EmploymentRow {
    /// Plant id, or `national`.
    pub plant_id: String,
    /// The year the figure describes.
    pub year: i32,
    /// People employed.
    pub employees: u64,
    /// How it was obtained.
    pub kind: SourceKind,
    /// Where it comes from.
    pub source: String,
}

/// Whether a cell plant is running, being built, announced or abandoned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BatteryStatus {
    /// Making cells.
    Operating,
    /// Being built.
    UnderConstruction,
    /// Announced, not yet being built.
    Announced,
    /// Abandoned.
    Cancelled,
}

impl BatteryStatus {
    /// Every status's name.
    pub const NAMES: [&'static str; 4] =
        ["operating", "under-construction", "announced", "cancelled"];

    /// The name used in the data.
    pub fn as_str(self) -> &'static str {
        match self {
            BatteryStatus::Operating => "operating",
            BatteryStatus::UnderConstruction => "under construction",
            BatteryStatus::Announced => "announced",
            BatteryStatus::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
struct BatteryPlantRow {
    id: String,
    name: String,
    operator: String,
    site: String,
    status: String,
    source: String,
}

#[derive(Debug, Clone, Deserialize)]
struct BatteryCapacityRow {
    plant_id: String,
    year: i32,
    gwh: f64,
    kind: SourceKind,
    source: String,
}

/// A UK battery cell plant and its capacity path.
#[derive(Debug, Clone, PartialEq)]
pub struct BatteryPlant {
    /// Id used by scenarios' `[battery_plants.ID]`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Company that runs it.
    pub operator: String,
    /// Where it is.
    pub site: String,
    /// Running, being built, announced or abandoned.
    pub status: BatteryStatus,
    /// Where the plant's facts come from.
    pub source: String,
    /// (year, GWh a year from that year on), ascending; 0 before the first.
    pub capacity: Vec<(i32, f64)>,
    /// Where each capacity step comes from, parallel to `capacity`.
    pub capacity_sources: Vec<(SourceKind, String)>,
}

/// A cell plant's capacity in a year on a step path: the latest step at or before the year.
pub fn step_capacity(path: &[(i32, f64)], year: i32) -> f64 {
    path.iter()
        .take_while(|(y, _)| *y <= year)
        .last()
        .map_or(0.0, |(_, gwh)| *gwh)
}

/// One row of `battery_sizes.csv`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BatterySize {
    /// `car`, `cv` or a plant id.
    pub scope: String,
    /// BEV, PHEV or HEV.
    pub powertrain: String,
    /// Gross kWh per vehicle.
    pub kwh: f64,
    /// How it was obtained.
    pub kind: SourceKind,
    /// Where it comes from.
    pub source: String,
}

/// One row of `zev_mandate.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct ZevYear {
    /// Calendar year.
    pub year: i32,
    /// Required zero-emission share of new car sales.
    pub cars: f64,
    /// Required zero-emission share of new van sales.
    pub vans: f64,
}

#[derive(Debug, Clone, Deserialize)]
struct ZevRow {
    year: i32,
    cars: f64,
    vans: f64,
    source: String,
}

/// The powertrain, employment and battery data, each part empty when its file is absent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Industry {
    /// Base-year output by powertrain, by plant id (and `other-car`, `other-cv`).
    pub powertrain: BTreeMap<String, PowertrainRow>,
    /// SMMT's national electrified output, by year.
    pub electrified: Vec<ElectrifiedRow>,
    /// Direct employees, by plant id (and `national`).
    pub employment: BTreeMap<String, EmploymentRow>,
    /// Cell plants, in file order.
    pub battery_plants: Vec<BatteryPlant>,
    /// Typical battery sizes.
    pub battery_sizes: Vec<BatterySize>,
    /// The ZEV mandate's shares, by year.
    pub zev_mandate: Vec<ZevYear>,
    /// Where the ZEV mandate's shares come from (the first row's source).
    pub zev_source: Option<String>,
}

impl Industry {
    /// Whether the data can split output by powertrain.
    pub fn has_powertrain(&self) -> bool {
        !self.powertrain.is_empty()
    }

    /// A plant's (or residual's) base-year mix.
    pub fn mix(&self, plant_id: &str) -> Option<Mix> {
        self.powertrain.get(plant_id).map(PowertrainRow::mix)
    }

    /// The typical battery of a powertrain at a plant (its own row, else its segment's), in kWh.
    pub fn kwh(&self, plant_id: Option<&str>, segment: Segment, powertrain: Powertrain) -> f64 {
        if !powertrain.has_battery() {
            return 0.0;
        }
        let find = |scope: &str| {
            self.battery_sizes
                .iter()
                .find(|s| s.scope == scope && Powertrain::parse(&s.powertrain) == Some(powertrain))
                .map(|s| s.kwh)
        };
        plant_id
            .and_then(find)
            .or_else(|| find(segment.as_str()))
            .unwrap_or(0.0)
    }

    /// A plant's direct employees as the data give them.
    pub fn employees(&self, plant_id: &str) -> Option<&EmploymentRow> {
        self.employment.get(plant_id)
    }

    /// SMMT's national automotive manufacturing employment.
    pub fn national_employment(&self) -> Option<&EmploymentRow> {
        self.employment.get(NATIONAL_EMPLOYMENT)
    }

    /// SMMT's electrified output of a segment in a year.
    pub fn electrified_in(&self, year: i32, segment: Segment) -> Option<&ElectrifiedRow> {
        self.electrified
            .iter()
            .find(|e| e.year == year && e.segment == segment)
    }

    /// The ZEV mandate's share for a segment in a year, where the data give one.
    pub fn zev_share(&self, year: i32, segment: Segment) -> Option<f64> {
        self.zev_mandate
            .iter()
            .find(|z| z.year == year)
            .map(|z| match segment {
                Segment::Car => z.cars,
                Segment::Cv => z.vans,
            })
    }
}

/// What the industry checks need to know of the rest of the data.
pub(super) struct Context<'a> {
    /// Plant ids and segments.
    pub plants: Vec<(&'a str, Segment)>,
    /// Base-year output of each plant with a base-year row.
    pub base_outputs: &'a BTreeMap<String, f64>,
    /// Base-year residual of each segment.
    pub residuals: [f64; 2],
    /// The base year.
    pub base_year: i32,
}

fn optional<T: serde::de::DeserializeOwned>(
    dir: &Path,
    name: &str,
    files: &mut Vec<DataFile>,
    problems: &mut Diagnostics,
) -> Vec<Row<T>> {
    let path = dir.join(name);
    if is_missing(&path) {
        Vec::new()
    } else {
        read_csv(&path, files, problems)
    }
}

/// Read and check whichever of the industry files `dir` holds.
pub(super) fn load(
    dir: &Path,
    context: &Context,
    files: &mut Vec<DataFile>,
    problems: &mut Diagnostics,
) -> Industry {
    let powertrain: Vec<Row<PowertrainRow>> = optional(dir, POWERTRAIN_FILE, files, problems);
    let electrified: Vec<Row<ElectrifiedRow>> = optional(dir, ELECTRIFIED_FILE, files, problems);
    let employment: Vec<Row<EmploymentRow>> = optional(dir, EMPLOYMENT_FILE, files, problems);
    let battery_plants: Vec<Row<BatteryPlantRow>> =
        optional(dir, BATTERY_PLANTS_FILE, files, problems);
    let battery_capacity: Vec<Row<BatteryCapacityRow>> =
        optional(dir, BATTERY_CAPACITY_FILE, files, problems);
    let battery_sizes: Vec<Row<BatterySize>> = optional(dir, BATTERY_SIZES_FILE, files, problems);
    let zev: Vec<Row<ZevRow>> = optional(dir, ZEV_MANDATE_FILE, files, problems);
    if !problems.is_empty() {
        return Industry::default();
    }
    let electrified = check_electrified(&dir.join(ELECTRIFIED_FILE), electrified, problems);
    let powertrain = check_powertrain(
        &dir.join(POWERTRAIN_FILE),
        powertrain,
        &electrified,
        context,
        problems,
    );
    let employment = check_employment(&dir.join(EMPLOYMENT_FILE), employment, context, problems);
    let battery_plants = check_battery_plants(dir, battery_plants, battery_capacity, problems);
    let battery_sizes = check_battery_sizes(
        &dir.join(BATTERY_SIZES_FILE),
        battery_sizes,
        context,
        problems,
    );
    let zev_source = zev.first().map(|r| r.value.source.clone());
    let zev_mandate = check_zev(&dir.join(ZEV_MANDATE_FILE), zev, problems);
    Industry {
        powertrain,
        electrified,
        employment,
        battery_plants,
        battery_sizes,
        zev_mandate,
        zev_source,
    }
}

fn check_electrified(
    path: &Path,
    rows: Vec<Row<ElectrifiedRow>>,
    problems: &mut Diagnostics,
) -> Vec<ElectrifiedRow> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for row in rows {
        let e = row.value;
        let at = |column: &str| row_at(path, row.line, Some(column));
        check_year(e.year, at("year"), problems);
        check_text("source", &e.source, at("source"), problems);
        if !seen.insert((e.year, e.segment)) {
            problems.push(
                Diagnostic::new(format!("{} {} is given twice", e.segment, e.year)).at(at("year")),
            );
        }
        if let (Some(b), Some(p), Some(h)) = (e.bev, e.phev, e.hev)
            && b + p + h != e.electrified
        {
            problems.push(
                Diagnostic::new(format!(
                    "bev + phev + hev = {} is not the electrified total {}",
                    b + p + h,
                    e.electrified
                ))
                .at(at("electrified")),
            );
        }
        out.push(e);
    }
    out.sort_by_key(|e| (e.year, e.segment.as_str()));
    out
}

fn check_powertrain(
    path: &Path,
    rows: Vec<Row<PowertrainRow>>,
    electrified: &[ElectrifiedRow],
    context: &Context,
    problems: &mut Diagnostics,
) -> BTreeMap<String, PowertrainRow> {
    if rows.is_empty() {
        return BTreeMap::new();
    }
    let residual_ids = Segment::ALL.map(Segment::residual_id);
    let ids: Vec<&str> = context
        .plants
        .iter()
        .map(|(id, _)| *id)
        .chain(residual_ids)
        .collect();
    let mut mixes = BTreeMap::new();
    for row in rows {
        let r = row.value;
        let at = |column: &str| row_at(path, row.line, Some(column));
        check_text("source", &r.source, at("source"), problems);
        if !ids.contains(&r.plant_id.as_str()) {
            problems.push(
                Diagnostic::new(format!(
                    "unknown plant `{}`: it is not in plants.csv, nor `other-car` or `other-cv`",
                    r.plant_id
                ))
                .at(at("plant_id"))
                .with_help(did_you_mean(&r.plant_id, ids.iter().copied())),
            );
            continue;
        }
        if r.year != context.base_year {
            problems.push(
                Diagnostic::new(format!(
                    "year {} is not the base year {}: the powertrain split is of the base year's output, from which scenarios project",
                    r.year, context.base_year
                ))
                .at(at("year")),
            );
            continue;
        }
        let expected = match residual_ids.iter().position(|id| *id == r.plant_id) {
            Some(i) => Some(context.residuals[i]),
            None => context.base_outputs.get(&r.plant_id).copied(),
        };
        match expected {
            Some(output) if (r.total() as f64 - output).abs() > 0.5 => problems.push(
                Diagnostic::new(format!(
                    "bev + phev + hev + ice = {} is not `{}`'s {} output of {output:.0}: the split must add up to the output",
                    r.total(),
                    r.plant_id,
                    r.year
                ))
                .at(at("ice")),
            ),
            None => problems.push(
                Diagnostic::new(format!(
                    "plant `{}` has no {} output in plant_output.csv to split",
                    r.plant_id, r.year
                ))
                .at(at("plant_id")),
            ),
            _ => {}
        }
        if mixes.contains_key(&r.plant_id) {
            problems.push(
                Diagnostic::new(format!("plant `{}` has two rows", r.plant_id)).at(at("plant_id")),
            );
            continue;
        }
        mixes.insert(r.plant_id.clone(), r);
    }
    if !problems.is_empty() {
        return mixes;
    }
    // Every plant that built something must be split, or the national figures would not add up.
    let missing: Vec<&str> = context
        .base_outputs
        .keys()
        .map(String::as_str)
        .chain(residual_ids)
        .filter(|id| !mixes.contains_key(*id))
        .collect();
    if !missing.is_empty() {
        problems.push(
            Diagnostic::new(format!(
                "no {} row for {}: every plant with base-year output, and both residuals, need one",
                context.base_year,
                missing
                    .iter()
                    .map(|id| format!("`{id}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .in_file(path),
        );
        return mixes;
    }
    for segment in Segment::ALL {
        let Some(national) = electrified
            .iter()
            .find(|e| e.year == context.base_year && e.segment == segment)
        else {
            continue;
        };
        let sum: u64 = mixes
            .values()
            .filter(|r| segment_of(context, &r.plant_id) == Some(segment))
            .map(|r| r.bev + r.phev + r.hev)
            .sum();
        if sum != national.electrified {
            problems.push(
                Diagnostic::new(format!(
                    "the {segment} rows add up to {sum} electrified vehicles in {}, but {ELECTRIFIED_FILE} gives SMMT's {}: the plants' split must reproduce the published total",
                    context.base_year, national.electrified
                ))
                .in_file(path),
            );
        }
    }
    mixes
}

fn segment_of(context: &Context, id: &str) -> Option<Segment> {
    Segment::ALL
        .into_iter()
        .find(|s| s.residual_id() == id)
        .or_else(|| {
            context
                .plants
                .iter()
                .find(|(p, _)| *p == id)
                .map(|(_, s)| *s)
        })
}

fn check_employment(
    path: &Path,
    rows: Vec<Row<EmploymentRow>>,
    context: &Context,
    problems: &mut Diagnostics,
) -> BTreeMap<String, EmploymentRow> {
    let ids: Vec<&str> = context
        .plants
        .iter()
        .map(|(id, _)| *id)
        .chain([NATIONAL_EMPLOYMENT])
        .collect();
    let mut out = BTreeMap::new();
    for row in rows {
        let r = row.value;
        let at = |column: &str| row_at(path, row.line, Some(column));
        check_year(r.year, at("year"), problems);
        check_text("source", &r.source, at("source"), problems);
        if !ids.contains(&r.plant_id.as_str()) {
            problems.push(
                Diagnostic::new(format!(
                    "unknown plant `{}`: it is not in plants.csv, nor `{NATIONAL_EMPLOYMENT}`",
                    r.plant_id
                ))
                .at(at("plant_id"))
                .with_help(did_you_mean(&r.plant_id, ids.iter().copied())),
            );
            continue;
        }
        if r.employees as f64 > MAX_JOBS {
            problems.push(
                Diagnostic::new(format!(
                    "{} employees is more than {MAX_JOBS:.0}",
                    r.employees
                ))
                .at(at("employees")),
            );
        }
        if out.contains_key(&r.plant_id) {
            problems.push(
                Diagnostic::new(format!(
                    "`{}` has two rows: give the latest figure only",
                    r.plant_id
                ))
                .at(at("plant_id")),
            );
            continue;
        }
        out.insert(r.plant_id.clone(), r);
    }
    out
}

fn check_battery_plants(
    dir: &Path,
    plants: Vec<Row<BatteryPlantRow>>,
    capacity: Vec<Row<BatteryCapacityRow>>,
    problems: &mut Diagnostics,
) -> Vec<BatteryPlant> {
    let plants_path = dir.join(BATTERY_PLANTS_FILE);
    let capacity_path = dir.join(BATTERY_CAPACITY_FILE);
    let mut out: Vec<BatteryPlant> = Vec::new();
    let mut lines = Vec::new();
    for row in plants {
        let r = row.value;
        let at = |column: &str| row_at(&plants_path, row.line, Some(column));
        if !is_valid_id(&r.id) {
            problems.push(
                Diagnostic::new(format!(
                    "id `{}` must be lowercase letters, digits and dashes",
                    r.id
                ))
                .at(at("id")),
            );
        }
        for (column, text) in [
            ("name", &r.name),
            ("operator", &r.operator),
            ("site", &r.site),
            ("source", &r.source),
        ] {
            check_text(column, text, at(column), problems);
        }
        let status = match r.status.as_str() {
            "operating" => BatteryStatus::Operating,
            "under-construction" => BatteryStatus::UnderConstruction,
            "announced" => BatteryStatus::Announced,
            "cancelled" => BatteryStatus::Cancelled,
            other => {
                problems.push(
                    Diagnostic::new(format!(
                        "unknown status `{other}`: it must be one of {}",
                        BatteryStatus::NAMES.join(", ")
                    ))
                    .at(at("status"))
                    .with_help(did_you_mean(other, BatteryStatus::NAMES)),
                );
                continue;
            }
        };
        if out.iter().any(|p| p.id == r.id) {
            problems.push(
                Diagnostic::new(format!("battery plant `{}` is given twice", r.id)).at(at("id")),
            );
            continue;
        }
        lines.push(row.line);
        out.push(BatteryPlant {
            id: r.id,
            name: r.name,
            operator: r.operator,
            site: r.site,
            status,
            source: r.source,
            capacity: Vec::new(),
            capacity_sources: Vec::new(),
        });
    }
    for row in capacity {
        let r = row.value;
        let at = |column: &str| row_at(&capacity_path, row.line, Some(column));
        check_year(r.year, at("year"), problems);
        check_text("source", &r.source, at("source"), problems);
        if !(r.gwh.is_finite() && (0.0..=MAX_GWH).contains(&r.gwh)) {
            problems.push(
                Diagnostic::new(format!(
                    "{} GWh is not a capacity: it must be between 0 and {MAX_GWH:.0}",
                    r.gwh
                ))
                .at(at("gwh")),
            );
            continue;
        }
        let ids: Vec<String> = out.iter().map(|p| p.id.clone()).collect();
        let Some(plant) = out.iter_mut().find(|p| p.id == r.plant_id) else {
            problems.push(
                Diagnostic::new(format!(
                    "unknown battery plant `{}`: it is not in {BATTERY_PLANTS_FILE}",
                    r.plant_id
                ))
                .at(at("plant_id"))
                .with_help(did_you_mean(&r.plant_id, ids.iter().map(String::as_str))),
            );
            continue;
        };
        if plant.capacity.iter().any(|(y, _)| *y >= r.year) {
            problems.push(
                Diagnostic::new(format!(
                    "battery plant `{}`'s steps must be in ascending years, each once: {} is not after the step before",
                    r.plant_id, r.year
                ))
                .at(at("year")),
            );
            continue;
        }
        plant.capacity.push((r.year, r.gwh));
        plant.capacity_sources.push((r.kind, r.source));
    }
    for (plant, line) in out.iter().zip(lines) {
        if plant.capacity.is_empty() {
            problems.push(
                Diagnostic::new(format!(
                    "battery plant `{}` has no capacity path: give it at least one row in {BATTERY_CAPACITY_FILE} (0 GWh for a plant that never made cells)",
                    plant.id
                ))
                .at(row_at(&plants_path, line, Some("id"))),
            );
        }
    }
    out
}

fn check_battery_sizes(
    path: &Path,
    rows: Vec<Row<BatterySize>>,
    context: &Context,
    problems: &mut Diagnostics,
) -> Vec<BatterySize> {
    let scopes: Vec<&str> = Segment::ALL
        .map(Segment::as_str)
        .into_iter()
        .chain(Segment::ALL.map(Segment::residual_id))
        .chain(context.plants.iter().map(|(id, _)| *id))
        .collect();
    let mut out: Vec<BatterySize> = Vec::new();
    for row in rows {
        let r = row.value;
        let at = |column: &str| row_at(path, row.line, Some(column));
        check_text("source", &r.source, at("source"), problems);
        if !scopes.contains(&r.scope.as_str()) {
            problems.push(
                Diagnostic::new(format!(
                    "unknown scope `{}`: it must be `car`, `cv`, a plant id, `other-car` or `other-cv`",
                    r.scope
                ))
                .at(at("scope"))
                .with_help(did_you_mean(&r.scope, scopes.iter().copied())),
            );
            continue;
        }
        match Powertrain::parse(&r.powertrain) {
            None => {
                problems.push(
                    Diagnostic::new(format!("unknown powertrain `{}`", r.powertrain))
                        .at(at("powertrain"))
                        .with_help(powertrain_help(&r.powertrain)),
                );
                continue;
            }
            Some(Powertrain::Ice) => {
                problems.push(
                    Diagnostic::new("ICE has no traction battery to size (a mild hybrid's 48-volt pack is left out)")
                        .at(at("powertrain")),
                );
                continue;
            }
            Some(_) => {}
        }
        if !(r.kwh.is_finite() && r.kwh > 0.0 && r.kwh <= MAX_KWH) {
            problems.push(
                Diagnostic::new(format!(
                    "{} kWh is not a battery size: it must be above 0 and at most {MAX_KWH:.0}",
                    r.kwh
                ))
                .at(at("kwh")),
            );
            continue;
        }
        if out.iter().any(|s| {
            s.scope == r.scope
                && Powertrain::parse(&s.powertrain) == Powertrain::parse(&r.powertrain)
        }) {
            problems.push(
                Diagnostic::new(format!("{} {} is given twice", r.scope, r.powertrain))
                    .at(at("powertrain")),
            );
            continue;
        }
        out.push(r);
    }
    if !out.is_empty() {
        for segment in Segment::ALL {
            for p in Powertrain::ALL.into_iter().filter(|p| p.has_battery()) {
                if !out.iter().any(|s| {
                    s.scope == segment.as_str() && Powertrain::parse(&s.powertrain) == Some(p)
                }) {
                    problems.push(
                        Diagnostic::new(format!(
                            "no `{segment}` row for {p}: each segment needs a typical size for BEV, PHEV and HEV"
                        ))
                        .in_file(path),
                    );
                }
            }
        }
    }
    out
}

fn check_zev(path: &Path, rows: Vec<Row<ZevRow>>, problems: &mut Diagnostics) -> Vec<ZevYear> {
    let mut out: Vec<ZevYear> = Vec::new();
    for row in rows {
        let r = row.value;
        let at = |column: &str| row_at(path, row.line, Some(column));
        check_year(r.year, at("year"), problems);
        check_text("source", &r.source, at("source"), problems);
        for (column, v) in [("cars", r.cars), ("vans", r.vans)] {
            if !(0.0..=1.0).contains(&v) {
                problems.push(
                    Diagnostic::new(format!("{v} is not a share: write 28% as 0.28"))
                        .at(at(column)),
                );
            }
        }
        if out.iter().any(|z| z.year >= r.year) {
            problems.push(
                Diagnostic::new(format!(
                    "year {} is not after the row before: one row a year, ascending",
                    r.year
                ))
                .at(at("year")),
            );
            continue;
        }
        out.push(ZevYear {
            year: r.year,
            cars: r.cars,
            vans: r.vans,
        });
    }
    out
}
