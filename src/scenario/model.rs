//! The resolved scenario: what the engine takes, every value checked and every default filled in.

use std::collections::BTreeMap;

use toml::Table;

use super::{Curve, Sources};
use crate::data::Segment;
use crate::diagnostic::Diagnostic;

/// Default last projected year.
pub const DEFAULT_END_YEAR: i32 = 2035;
/// The government's ambition: 1.3 million vehicles a year by 2035.
pub const DEFAULT_TARGET_VOLUME: f64 = 1_300_000.0;
/// The year of the default target.
pub const DEFAULT_TARGET_YEAR: i32 = 2035;
/// Default ramp-up of a programme, in years.
pub const DEFAULT_RAMP_YEARS: u32 = 3;
/// Latest year any scenario may refer to (the data's years stop there too).
pub const LAST_YEAR: i32 = crate::data::LAST_YEAR;
/// The most vehicles a volume, capacity, peak or target may be: 100 million a year, about
/// 55 times the UK's record output, so that no sum of them can overflow.
pub const MAX_VOLUME: f64 = 1e8;
/// The largest multiple of a plant's base-year output a waypoint may state (`of_base`).
pub const MAX_MULTIPLE: f64 = 100.0;
/// The fastest annual growth a rate may state: +100% a year.
pub const MAX_GROWTH: f64 = 1.0;
/// The longest a description may be, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 4_000;
/// The longest any other text of a scenario (a name, label, maker or key) may be, in characters.
pub const TEXT_MAX_CHARS: usize = crate::data::TEXT_MAX_CHARS;

/// The fields in which a scenario describes itself. A child scenario is a different case, so
/// these come from the named scenario's own file (or `--set`), never from a parent: a child of
/// `chery-halewood` must not be called "Chery at Halewood" or drawn in its colour.
pub const NOT_INHERITED: [&str; 3] = ["title", "headline", "colour"];

/// The longest title that fits one line of a chart: at 48 characters of ordinary text,
/// "Scenario: TITLE, modified by --set" in the bold kicker takes about 1,700 of the 1,780
/// pixels of a doc chart's line (and less of a slide's); a longer one wraps, never cut.
pub const TITLE_MAX_CHARS: usize = 48;

/// The longest headline a chart subtitle holds: 120 characters are about a line and a third of
/// a doc chart's subtitle, so with the notes before it (what the figures are, a `--set`
/// change) the subtitle stays within three lines.
pub const HEADLINE_MAX_CHARS: usize = 120;

/// The output to reach, and when.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// Vehicles a year.
    pub volume: f64,
    /// The year to reach them by.
    pub year: i32,
}

/// How a plant's existing production moves after the base year.
#[derive(Debug, Clone, PartialEq)]
pub enum ExistingPath {
    /// Flat at the base-year output.
    Flat,
    /// Constant annual growth from the base-year output.
    Growth(f64),
    /// Straight lines through the base year and these points, flat after the last.
    Waypoints(Vec<Waypoint>),
}

/// A point that a plant's existing production passes through.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Waypoint {
    /// The year.
    pub year: i32,
    /// The output then.
    pub level: Level,
}

/// A waypoint's output: a number of vehicles, or a multiple of the plant's base-year output.
/// A multiple follows the base-year output wherever it is drawn from, so that a target stated
/// relative to today ("+20% on 2025") does not inherit an error in today's estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Level {
    /// Vehicles a year.
    Volume(f64),
    /// A multiple of the base-year output.
    OfBase(f64),
}

impl Level {
    /// The output this level means for a plant whose base-year output is `base`.
    pub fn output(self, base: f64) -> f64 {
        match self {
            Level::Volume(v) => v,
            Level::OfBase(m) => m * base,
        }
    }

    /// Replace the number (vehicles or multiple), keeping the kind: a drawn value.
    pub fn with(self, value: f64) -> Level {
        match self {
            Level::Volume(_) => Level::Volume(value),
            Level::OfBase(_) => Level::OfBase(value),
        }
    }
}

/// How the employment of a plant in the data follows its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExistingJobs {
    /// The data's headcount while the plant is open, none once it closes: plants keep their
    /// workforce through volume swings and stoppages (JLR paid its staff through the 2025
    /// cyber shutdown), so only closure moves it.
    #[default]
    Held,
    /// The headcount scaled by existing production against the base year.
    FollowOutput,
}

impl ExistingJobs {
    /// The names a scenario may give.
    pub const NAMES: [&'static str; 2] = ["held", "follow-output"];

    /// The name used in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            ExistingJobs::Held => "held",
            ExistingJobs::FollowOutput => "follow-output",
        }
    }
}

/// A battery cell plant as the scenario leaves it: the data's, changed or not, or a new one.
#[derive(Debug, Clone, PartialEq)]
pub struct BatteryPlantSpec {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Company that runs it.
    pub operator: String,
    /// (year, GWh a year from that year on), ascending.
    pub capacity: Vec<(i32, f64)>,
    /// Whether the scenario changed or added it.
    pub changed: bool,
}

/// A scenario's changes to a plant in the data.
#[derive(Debug, Clone, PartialEq)]
pub struct PlantChange {
    /// New nameplate capacity.
    pub capacity: Option<f64>,
    /// Share of capacity this plant can use, overriding the scenario's.
    pub utilisation_cap: Option<f64>,
    /// Path of existing production.
    pub existing: ExistingPath,
    /// First year with no output.
    pub closes: Option<i32>,
    /// Waypoints of the powertrain mix of existing production, ascending by year.
    pub powertrain: Vec<(i32, crate::data::Mix)>,
}

/// A plant that is not in the data.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPlant {
    /// Id used by programmes and shocks.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Company that runs it.
    pub operator: String,
    /// Cars or commercial vehicles.
    pub segment: Segment,
    /// Annual nameplate capacity.
    pub capacity: f64,
    /// First year it may produce.
    pub opens: i32,
    /// Share of capacity this plant can use, overriding the scenario's.
    pub utilisation_cap: Option<f64>,
    /// Direct jobs once its programmes are at peak.
    pub jobs: Option<f64>,
}

/// A new production programme at a plant.
#[derive(Debug, Clone, PartialEq)]
pub struct Programme {
    /// Id, e.g. `chery-halewood`.
    pub id: String,
    /// The plant it runs at.
    pub plant: String,
    /// The maker its volume counts towards.
    pub maker: String,
    /// First year with output.
    pub start: i32,
    /// Annual volume once ramped up.
    pub peak: f64,
    /// Years to reach the peak (0: at once).
    pub ramp_years: u32,
    /// Shape of the ramp.
    pub curve: Curve,
    /// First year with no output.
    pub ends: Option<i32>,
    /// Whether it happens at all.
    pub enabled: bool,
    /// What it builds, by powertrain; `None` when the scenario does not say.
    pub powertrain: Option<crate::data::Mix>,
    /// Battery per vehicle in kWh, by powertrain, where the scenario gives one.
    pub battery_kwh: [Option<f64>; 4],
    /// Direct jobs at peak.
    pub jobs: Option<f64>,
}

/// Which output a shock hits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShockScope {
    /// One plant.
    Plant(String),
    /// Every plant of one operator.
    Maker(String),
    /// Every plant and the residual.
    All,
}

/// Weeks of output lost in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Shock {
    /// The year.
    pub year: i32,
    /// What it hits.
    pub scope: ShockScope,
    /// Weeks lost, 0 to 52.
    pub lost_weeks: f64,
}

/// How an uncertain input is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dist {
    /// A triangular distribution.
    Triangular {
        /// Lowest value.
        low: f64,
        /// Most likely value (used by the modal case).
        mode: f64,
        /// Highest value.
        high: f64,
    },
    /// The item happens with this probability (1 = happens, 0 = not, when drawn).
    Chance(f64),
}

impl Dist {
    /// The two ends a one-at-a-time sensitivity tries: low and high, or off and on.
    pub fn ends(&self) -> (f64, f64) {
        match *self {
            Dist::Triangular { low, high, .. } => (low, high),
            Dist::Chance(_) => (0.0, 1.0),
        }
    }

    /// The value in the modal case: the mode, or "happens".
    pub fn central(&self) -> f64 {
        match *self {
            Dist::Triangular { mode, .. } => mode,
            Dist::Chance(_) => 1.0,
        }
    }
}

/// Which input of the resolved scenario a drawn value replaces. Indices follow the order of
/// the scenario's `new_plants`, `programmes` and `shocks`; plants are named by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    /// `assumptions.utilisation_cap`
    UtilisationCap,
    /// `assumptions.other_growth`
    OtherGrowth,
    /// `plants.ID.capacity`
    PlantCapacity(String),
    /// `plants.ID.utilisation_cap`
    PlantUtilisationCap(String),
    /// `plants.ID.growth`
    PlantGrowth(String),
    /// `plants.ID.output.YEAR`, by the waypoint's position in year order
    PlantWaypoint(String, usize),
    /// `plants.ID.closes`
    PlantCloses(String),
    /// A plant's base-year output in the data, drawn from its `low`/`high` range when
    /// `assumptions.data_uncertainty` is on.
    BaseOutput(String),
    /// `new_plants.ID.capacity`
    NewPlantCapacity(usize),
    /// `new_plants.ID.opens`
    NewPlantOpens(usize),
    /// `new_plants.ID.utilisation_cap`
    NewPlantUtilisationCap(usize),
    /// `new_plants.ID.probability`
    NewPlantHappens(usize),
    /// `programmes.ID.peak`
    ProgrammePeak(usize),
    /// `programmes.ID.start`
    ProgrammeStart(usize),
    /// `programmes.ID.ramp_years`
    ProgrammeRampYears(usize),
    /// `programmes.ID.ends`
    ProgrammeEnds(usize),
    /// `programmes.ID.probability`
    ProgrammeHappens(usize),
    /// `shocks.N.year`
    ShockYear(usize),
    /// `shocks.N.lost_weeks`
    ShockLostWeeks(usize),
    /// `shocks.N.probability`
    ShockHappens(usize),
    /// `programmes.ID.jobs`
    ProgrammeJobs(usize),
    /// `programmes.ID.battery_kwh`, of one powertrain (by its index in a mix)
    ProgrammeKwh(usize, usize),
    /// `new_plants.ID.jobs`
    NewPlantJobs(usize),
    /// `battery_plants.ID.capacity.YEAR`, by the step's position in year order
    BatteryCapacity(String, usize),
}

impl Slot {
    /// Whether drawn values are rounded to whole years.
    pub fn is_year(&self) -> bool {
        matches!(
            self,
            Slot::PlantCloses(_)
                | Slot::NewPlantOpens(_)
                | Slot::ProgrammeStart(_)
                | Slot::ProgrammeRampYears(_)
                | Slot::ProgrammeEnds(_)
                | Slot::ShockYear(_)
        )
    }
}

/// An input of the scenario that is a range or has a probability.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncertain {
    /// The input's dotted path, as `--set` takes it, e.g. `programmes.chery-halewood.peak`.
    pub path: String,
    /// How it is drawn.
    pub dist: Dist,
    /// Where a drawn value goes.
    pub slot: Slot,
}

/// What a check bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckSubject {
    /// The national total.
    Total,
    /// One maker's output.
    Maker(String),
    /// The share of draws on or above the target path.
    ChanceOfTarget,
    /// The electrified share of national output.
    ElectrifiedShare,
    /// Battery demand UK cells cannot meet, GWh.
    BatteryShortfall,
    /// Direct jobs at the plants counted.
    Jobs,
}

/// Which figure of an uncertain scenario a check tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statistic {
    /// The headline figure: the expected value (mean of the draws), or the one projection.
    Expected,
    /// A percentile of the draws' national total: 5, 10, 25, 50, 75, 90 or 95.
    Percentile(u8),
}

/// The percentiles a check may name, as `statistic = "p10"`.
pub const CHECK_PERCENTILES: [u8; 7] = [5, 10, 25, 50, 75, 90, 95];

/// A bound the scenario promises its projection keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// The year checked.
    pub year: i32,
    /// What is checked.
    pub subject: CheckSubject,
    /// Which figure of the draws is tested.
    pub statistic: Statistic,
    /// Lowest acceptable value.
    pub min: Option<f64>,
    /// Highest acceptable value.
    pub max: Option<f64>,
}

/// A scenario after `extends` and `--set`, checked against the data: the engine's input.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Name (file stem).
    pub name: String,
    /// The name its outputs go by: the file stem, `NAME+HASH` when `--set` changed it, or the
    /// name given with `--as`.
    pub run_name: String,
    /// What it assumes and why.
    pub description: String,
    /// What readers call it ("Chery at Halewood"), from its own file or `--set` only.
    pub title: Option<String>,
    /// One sentence for chart subtitles, from its own file or `--set` only.
    pub headline: Option<String>,
    /// Its colour in comparisons ("#rrggbb"), from its own file or `--set` only.
    pub colour: Option<String>,
    /// Display labels of items, by path without the field ("programmes.ID", "new_plants.ID",
    /// "shocks.N"); inherited with the items. A new plant without a label is called by its name.
    pub labels: BTreeMap<String, String>,
    /// Makers' colours ("#rrggbb") declared under `[makers.NAME]`, by maker; inherited.
    pub maker_colours: BTreeMap<String, String>,
    /// Last projected year.
    pub end_year: i32,
    /// The output target.
    pub target: Target,
    /// Share of capacity any plant can use.
    pub utilisation_cap: f64,
    /// Annual growth of the residual "other UK manufacturers".
    pub other_growth: f64,
    /// Whether draws take each plant's base-year output from its range in the data.
    pub data_uncertainty: bool,
    /// How existing plants' employment follows output.
    pub existing_jobs: ExistingJobs,
    /// Every battery cell plant: the data's (as changed) and new ones.
    pub battery_plants: Vec<BatteryPlantSpec>,
    /// Changes to plants in the data, by plant id.
    pub plant_changes: BTreeMap<String, PlantChange>,
    /// Plants not in the data, by id.
    pub new_plants: Vec<NewPlant>,
    /// Production programmes, by id.
    pub programmes: Vec<Programme>,
    /// Output losses.
    pub shocks: Vec<Shock>,
    /// Inputs given as ranges or with a probability, in the order they appear.
    pub uncertain: Vec<Uncertain>,
    /// Bounds the projection should keep.
    pub checks: Vec<Check>,
    /// The merged TOML with every default filled in.
    pub resolved: Table,
    /// The files and `--set` arguments it came from.
    pub sources: Sources,
    /// What is valid but probably not meant (a programme before its plant opens), located.
    pub warnings: Vec<Diagnostic>,
}

impl Scenario {
    /// The resolved scenario as TOML, with a header naming what it was built from.
    pub fn to_toml(&self) -> String {
        let mut header = format!(
            "# Scenario `{}`, resolved from {}",
            self.name,
            self.sources.chain().join(" -> ")
        );
        for set in &self.sources.sets {
            header.push_str(&format!(", --set {set}"));
        }
        header.push_str(
            "\n# Every default is filled in and the parent scenarios are merged in, so this file runs as it is.\n\n",
        );
        header + &toml::to_string(&self.resolved).unwrap_or_default()
    }
}
