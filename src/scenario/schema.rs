//! The shape of one scenario file, exactly as written: every field optional, no unknown keys.
//!
//! Required fields are checked after `extends` and `--set` are merged, because a child
//! scenario may change one field of a programme its parent defines.

use std::collections::BTreeMap;

use serde::Deserialize;

pub use super::num::Num;
use crate::data::Segment;

/// One scenario file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// What readers call the scenario ("Chery at Halewood"); not inherited.
    pub title: Option<String>,
    /// One sentence for chart subtitles; not inherited.
    pub headline: Option<String>,
    /// The scenario's colour in comparisons, "#rrggbb"; not inherited.
    pub colour: Option<String>,
    /// What the scenario assumes and why.
    pub description: Option<String>,
    /// The parent scenario this one is merged onto.
    pub extends: Option<String>,
    /// How far to project.
    pub horizon: Option<HorizonSection>,
    /// The output target.
    pub target: Option<TargetSection>,
    /// Scenario-wide assumptions.
    pub assumptions: Option<AssumptionsSection>,
    /// Changes to plants in the data.
    #[serde(default)]
    pub plants: BTreeMap<String, PlantSection>,
    /// Plants that are not in the data.
    #[serde(default)]
    pub new_plants: BTreeMap<String, NewPlantSection>,
    /// New production programmes at plants.
    #[serde(default)]
    pub programmes: BTreeMap<String, ProgrammeSection>,
    /// Temporary losses of output.
    pub shocks: Option<Vec<ShockSection>>,
    /// What the scenario is meant to show, checked on every run.
    pub checks: Option<Vec<CheckSection>>,
    /// How makers are drawn, by maker name.
    #[serde(default)]
    pub makers: BTreeMap<String, MakerSection>,
    /// Changes to battery cell plants in the data, and new ones.
    #[serde(default)]
    pub battery_plants: BTreeMap<String, BatteryPlantSection>,
}

/// `[battery_plants.ID]`: a cell plant of the data changed, or a new one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatteryPlantSection {
    /// Name (a new plant's; required for one).
    pub name: Option<String>,
    /// Company that runs it (a new plant's; required for one).
    pub operator: Option<String>,
    /// Capacity in GWh a year from each year on, keyed by year: replaces the data's path.
    pub capacity: Option<BTreeMap<String, Num<f64>>>,
}

/// `[makers.NAME]`: how one maker is drawn.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MakerSection {
    /// The maker's colour on charts, "#rrggbb".
    pub colour: Option<String>,
}

/// `[[checks]]`: bounds on the projection in one year.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSection {
    /// The year checked.
    pub year: Option<i64>,
    /// Bounds on the national total.
    pub total: Option<BoundSection>,
    /// Bounds on makers' output, by maker.
    pub makers: Option<BTreeMap<String, BoundSection>>,
    /// Bounds on the share of draws on or above the target path, between 0 and 1.
    pub chance_of_target: Option<BoundSection>,
    /// Bounds on the electrified (BEV, PHEV, HEV) share of output, between 0 and 1.
    pub electrified_share: Option<BoundSection>,
    /// Bounds on the battery demand UK cell plants cannot meet, in GWh.
    pub battery_shortfall_gwh: Option<BoundSection>,
    /// Bounds on the direct jobs at the plants the data and scenario count.
    pub jobs: Option<BoundSection>,
    /// Which figure is tested: "expected" (the default), or a percentile "p5" … "p95".
    pub statistic: Option<String>,
}

/// `{ min = .., max = .. }`
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoundSection {
    /// Lowest acceptable value.
    pub min: Option<f64>,
    /// Highest acceptable value.
    pub max: Option<f64>,
}

/// `[horizon]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HorizonSection {
    /// Last projected year.
    pub end_year: Option<i64>,
}

/// `[target]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSection {
    /// Annual vehicles to reach.
    pub volume: Option<f64>,
    /// Year to reach them by.
    pub year: Option<i64>,
}

/// `[assumptions]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssumptionsSection {
    /// Share of capacity any plant can use.
    pub utilisation_cap: Option<Num<f64>>,
    /// Annual growth of the residual "other UK manufacturers".
    pub other_growth: Option<Num<f64>>,
    /// Draw each plant's base-year output from its range in the data.
    pub data_uncertainty: Option<bool>,
    /// How existing plants' employment follows output: "held" or "follow-output".
    pub existing_jobs: Option<String>,
}

/// `[plants.ID]`: changes to a plant in the data.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlantSection {
    /// New nameplate capacity.
    pub capacity: Option<Num<f64>>,
    /// Share of capacity this plant can use.
    pub utilisation_cap: Option<Num<f64>>,
    /// Waypoints for existing production, by year.
    pub output: Option<BTreeMap<String, WaypointSpec>>,
    /// Constant annual growth of existing production.
    pub growth: Option<Num<f64>>,
    /// First year with no output.
    pub closes: Option<Num<i64>>,
    /// Waypoints of the powertrain mix of existing production, by year.
    pub powertrain: Option<BTreeMap<String, toml::Value>>,
}

/// A waypoint as written: a number of vehicles (or a range of them), a multiple of the plant's
/// base-year output (`{ of_base = 1.2 }`), or the plant's output in a year of the data
/// (`{ of_year = 2023 }`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WaypointSpec {
    /// Vehicles a year.
    Volume(Num<f64>),
    /// A multiple of the base-year output.
    OfBase(Num<f64>),
    /// The output in a year of the data.
    OfYear(i64),
}

/// The keys a waypoint's table may have.
pub const WAYPOINT_FIELDS: &[&str] = &["low", "mode", "high", "of_base", "of_year"];

impl<'de> Deserialize<'de> for WaypointSpec {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = toml::Value::deserialize(deserializer)?;
        let table = match value {
            toml::Value::Table(table) => table,
            other => {
                return Num::<f64>::deserialize(other)
                    .map(WaypointSpec::Volume)
                    .map_err(|_| {
                        D::Error::custom(
                            "a waypoint must be a number of vehicles, a range { low, mode, high }, { of_base = MULTIPLE } or { of_year = YEAR }",
                        )
                    });
            }
        };
        if let Some(key) = table
            .keys()
            .find(|k| !WAYPOINT_FIELDS.contains(&k.as_str()))
        {
            return Err(D::Error::unknown_field(key, WAYPOINT_FIELDS));
        }
        let relative = ["of_base", "of_year"]
            .into_iter()
            .filter(|k| table.contains_key(*k))
            .count();
        if relative > 0 && table.len() > 1 {
            return Err(D::Error::custom(
                "a waypoint is one of a number, a range { low, mode, high }, { of_base = MULTIPLE } or { of_year = YEAR }, not a mix: `of_base` and `of_year` stand alone (a range of multiples is `{ of_base = { low, mode, high } }`)",
            ));
        }
        let message = |e: toml::de::Error| D::Error::custom(e.message().to_string());
        if let Some(v) = table.get("of_base") {
            return Num::<f64>::deserialize(v.clone())
                .map(WaypointSpec::OfBase)
                .map_err(message);
        }
        if let Some(v) = table.get("of_year") {
            return match v {
                toml::Value::Integer(y) => Ok(WaypointSpec::OfYear(*y)),
                _ => Err(D::Error::custom(
                    "`of_year` must be a year of the data, such as 2023",
                )),
            };
        }
        Num::<f64>::deserialize(toml::Value::Table(table))
            .map(WaypointSpec::Volume)
            .map_err(message)
    }
}

/// `[new_plants.ID]`: a plant that is not in the data.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPlantSection {
    /// Full name.
    pub name: Option<String>,
    /// What charts call it (default: `name`).
    pub label: Option<String>,
    /// Company that runs it.
    pub operator: Option<String>,
    /// Cars or commercial vehicles.
    pub segment: Option<Segment>,
    /// Annual nameplate capacity.
    pub capacity: Option<Num<f64>>,
    /// First year it may produce.
    pub opens: Option<Num<i64>>,
    /// Share of capacity this plant can use.
    pub utilisation_cap: Option<Num<f64>>,
    /// Chance that the plant is built at all (default 1).
    pub probability: Option<f64>,
    /// Direct jobs once its programmes are at peak.
    pub jobs: Option<Num<f64>>,
}

/// `[programmes.ID]`: a new production programme at a plant.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeSection {
    /// Plant id, existing or new.
    pub plant: Option<String>,
    /// Maker the volume counts towards.
    pub maker: Option<String>,
    /// First year with output.
    pub start: Option<Num<i64>>,
    /// Annual volume once ramped up.
    pub peak: Option<Num<f64>>,
    /// Years to reach the peak.
    pub ramp_years: Option<Num<i64>>,
    /// Shape of the ramp.
    pub curve: Option<Curve>,
    /// First year with no output.
    pub ends: Option<Num<i64>>,
    /// Whether the programme happens in this scenario.
    pub enabled: Option<bool>,
    /// Chance that the programme happens (default 1).
    pub probability: Option<f64>,
    /// What charts call it (default: its id).
    pub label: Option<String>,
    /// What it builds: one powertrain ("BEV"), or a mix ({ BEV = 0.6, PHEV = 0.4 }).
    pub powertrain: Option<toml::Value>,
    /// Battery per vehicle in kWh: one size, or one per powertrain ({ BEV = 61, PHEV = 18.3 }).
    pub battery_kwh: Option<toml::Value>,
    /// Direct jobs at peak, ramping with the programme.
    pub jobs: Option<Num<f64>>,
}

/// Shape of a programme's ramp-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Curve {
    /// Equal steps each year.
    #[default]
    Linear,
    /// Slow start, fast middle, slow finish: 3u² − 2u³.
    SCurve,
}

impl Curve {
    /// The name used in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            Curve::Linear => "linear",
            Curve::SCurve => "s-curve",
        }
    }
}

/// `[[shocks]]`: weeks of output lost in one year.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShockSection {
    /// Year of the loss.
    pub year: Option<Num<i64>>,
    /// One plant, by id.
    pub plant: Option<String>,
    /// Every plant of one operator.
    pub maker: Option<String>,
    /// Weeks of production lost, 0 to 52.
    pub lost_weeks: Option<Num<f64>>,
    /// Chance that the shock happens (default 1).
    pub probability: Option<f64>,
    /// What charts call it.
    pub label: Option<String>,
}
