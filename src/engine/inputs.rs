//! The engine's numeric inputs: data and a resolved scenario, flattened once into plain
//! numbers and indices, so that a Monte Carlo draw only overwrites a few numbers and runs
//! the same rules again without allocating.

use crate::data::{Dataset, Mix, Powertrain, Segment};
use crate::scenario::{Curve, ExistingJobs, ExistingPath, Scenario, ShockScope, Slot, Target};

/// A plant as the scenario leaves it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlantInput {
    /// Cars or commercial vehicles.
    pub segment: Segment,
    /// Index into [`Inputs::operators`].
    pub operator: usize,
    /// Base-year output; `None` for a new plant, which has no existing production.
    pub base_output: Option<f64>,
    /// The base-year output a draw of the data's range gave, before any scaling to SMMT's
    /// figure; `None` when the output is the data's own figure.
    pub base_drawn: Option<f64>,
    /// The data's own base-year figure, whatever a draw gives: what the base-year rows show.
    pub base_data: Option<f64>,
    /// Index into [`Inputs::splits`] of the published total this plant's output splits.
    pub split: Option<usize>,
    /// Nameplate capacity in the base year (data; 0 for a new plant).
    pub base_capacity: f64,
    /// Nameplate capacity in projected years.
    pub capacity: f64,
    /// The plant's own utilisation cap, if it has one.
    pub utilisation_cap: Option<f64>,
    /// Path of existing production.
    pub existing: ExistingPath,
    /// First year a new plant may produce.
    pub opens: Option<i32>,
    /// First year with no output.
    pub closes: Option<i32>,
    /// False when a draw decides a new plant is not built.
    pub built: bool,
    /// Indices into [`Inputs::programmes`] of the programmes at this plant.
    pub programmes: Vec<usize>,
}

impl PlantInput {
    /// How many component rows a projected year gives the plant: its existing production
    /// (a plant of the data's) and each programme at it.
    pub fn components(&self) -> usize {
        usize::from(self.base_output.is_some()) + self.programmes.len()
    }
}

/// A production programme.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProgrammeInput {
    /// Index into [`Inputs::plants`].
    pub plant: usize,
    /// First year with output.
    pub start: i32,
    /// Annual volume once ramped up.
    pub peak: f64,
    /// Years to reach the peak.
    pub ramp_years: u32,
    /// Shape of the ramp.
    pub curve: Curve,
    /// First year with no output.
    pub ends: Option<i32>,
    /// Switched on in the scenario.
    pub enabled: bool,
    /// False when a draw decides it does not happen.
    pub happens: bool,
}

/// What a shock hits, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShockTarget {
    /// Every plant and the residual.
    All,
    /// One plant.
    Plant(usize),
    /// Every plant of one operator.
    Operator(usize),
}

/// Weeks of output lost in one year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShockInput {
    /// The year.
    pub year: i32,
    /// What it hits.
    pub target: ShockTarget,
    /// Weeks lost.
    pub lost_weeks: f64,
    /// False when a draw decides it does not happen.
    pub happens: bool,
}

/// Names that tables and charts need but the arithmetic does not.
#[derive(Debug, Clone, PartialEq)]
pub struct PlantNames {
    /// Plant id.
    pub id: String,
    /// Plant name.
    pub name: String,
    /// What charts call it: the data's short name, else the name.
    pub short_name: String,
}

/// Everything the engine computes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// Last year of published data.
    pub base_year: i32,
    /// Last projected year.
    pub end_year: i32,
    /// The target.
    pub target: Target,
    /// Actual total in the base year.
    pub base_total: f64,
    /// Scenario-wide utilisation cap.
    pub utilisation_cap: f64,
    /// Annual growth of the residual.
    pub other_growth: f64,
    /// Base-year residual of cars and of commercial vehicles.
    pub residuals: [f64; 2],
    /// SMMT's base-year figures for cars and for commercial vehicles: held in every draw, so a
    /// drawn base-year plant output moves the residual, never the national total.
    pub national: [f64; 2],
    /// The data's base-year residuals, whatever a draw gives: what the base-year rows show.
    pub data_residuals: [f64; 2],
    /// The published totals that groups of plants split (a maker's UK output): a draw keeps
    /// each.
    pub splits: Vec<f64>,
    /// Data plants, then new plants.
    pub plants: Vec<PlantInput>,
    /// Programmes, in scenario order.
    pub programmes: Vec<ProgrammeInput>,
    /// Shocks, in scenario order.
    pub shocks: Vec<ShockInput>,
    /// Plant names, parallel to `plants`.
    pub plant_names: Vec<PlantNames>,
    /// Programme ids and makers, parallel to `programmes`.
    pub programme_names: Vec<(String, String)>,
    /// Operator names.
    pub operators: Vec<String>,
    /// Cell plant ids, parallel to [`IndustryInputs::battery_plants`].
    pub battery_names: Vec<String>,
    /// Index of the first new plant in `plants`.
    pub first_new_plant: usize,
    /// Powertrain, battery and jobs inputs.
    pub industry: IndustryInputs,
}

/// What a plant's existing production is made of, and who makes it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlantIndustry {
    /// The mix of existing production: the base year's, then the scenario's waypoints
    /// (ascending years); empty for a new plant.
    pub mix: Vec<(i32, Mix)>,
    /// Battery per vehicle of existing production, kWh by powertrain.
    pub kwh: [f64; 4],
    /// The data's headcount, for a plant of the data that has one.
    pub employees: Option<f64>,
    /// A new plant's direct jobs at peak.
    pub jobs: Option<f64>,
}

/// What a programme builds and who builds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProgrammeIndustry {
    /// Its mix.
    pub mix: Mix,
    /// Battery per vehicle, kWh by powertrain.
    pub kwh: [f64; 4],
    /// Direct jobs at peak.
    pub jobs: Option<f64>,
}

/// The powertrain, battery and jobs inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct IndustryInputs {
    /// Whether the data split output by powertrain (else no powertrain or battery demand).
    pub has_powertrain: bool,
    /// How existing plants' employment follows output.
    pub existing_jobs: ExistingJobs,
    /// Parallel to [`Inputs::plants`].
    pub plants: Vec<PlantIndustry>,
    /// Parallel to [`Inputs::programmes`].
    pub programmes: Vec<ProgrammeIndustry>,
    /// The residuals' mixes, cars then commercial vehicles.
    pub residual_mix: [Mix; 2],
    /// The residuals' battery sizes.
    pub residual_kwh: [[f64; 4]; 2],
    /// Each cell plant's capacity steps (year, GWh a year from then).
    pub battery_plants: Vec<Vec<(i32, f64)>>,
}

/// Where a drawn value goes, by index: a [`Slot`] looked up once before any draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputSlot {
    /// Scenario-wide utilisation cap.
    UtilisationCap,
    /// Residual growth.
    OtherGrowth,
    /// A plant's capacity.
    Capacity(usize),
    /// A plant's own utilisation cap.
    PlantUtilisationCap(usize),
    /// A plant's growth rate.
    Growth(usize),
    /// A plant's k-th waypoint value.
    Waypoint(usize, usize),
    /// A plant's closing year.
    Closes(usize),
    /// A plant's base-year output (the residual of its segment takes up the difference).
    BaseOutput(usize),
    /// A new plant's opening year.
    Opens(usize),
    /// Whether a new plant is built.
    Built(usize),
    /// A programme's peak.
    Peak(usize),
    /// A programme's start.
    Start(usize),
    /// A programme's ramp-up years.
    RampYears(usize),
    /// A programme's end.
    Ends(usize),
    /// Whether a programme happens.
    Happens(usize),
    /// A shock's year.
    ShockYear(usize),
    /// A shock's weeks lost.
    LostWeeks(usize),
    /// Whether a shock happens.
    ShockHappens(usize),
    /// A programme's jobs at peak.
    ProgrammeJobs(usize),
    /// A programme's battery size of one powertrain (4: every powertrain it builds).
    ProgrammeKwh(usize, usize),
    /// A new plant's jobs.
    PlantJobs(usize),
    /// A cell plant's k-th capacity step.
    BatteryCapacity(usize, usize),
}

fn round_year(v: f64) -> i32 {
    v.round() as i32
}

impl Inputs {
    /// Flatten checked data and a resolved scenario (modal values: each range at its mode, every item happening).
    pub fn new(data: &Dataset, scenario: &Scenario) -> Inputs {
        let mut operators: Vec<String> = Vec::new();
        let mut operator = |name: &str| match operators.iter().position(|o| o == name) {
            Some(i) => i,
            None => {
                operators.push(name.to_string());
                operators.len() - 1
            }
        };
        let splits = data.splits();
        let mut plants = Vec::new();
        let mut plant_names = Vec::new();
        for p in &data.plants {
            let change = scenario.plant_changes.get(&p.id);
            plants.push(PlantInput {
                segment: p.segment,
                operator: operator(&p.operator),
                base_output: Some(data.base_output(&p.id)),
                base_drawn: None,
                base_data: Some(data.base_output(&p.id)),
                split: splits
                    .iter()
                    .position(|(_, plants, _)| plants.contains(&p.id)),
                base_capacity: p.capacity as f64,
                capacity: change.and_then(|c| c.capacity).unwrap_or(p.capacity as f64),
                utilisation_cap: change.and_then(|c| c.utilisation_cap),
                existing: change.map_or(ExistingPath::Flat, |c| c.existing.clone()),
                opens: None,
                closes: change.and_then(|c| c.closes),
                built: true,
                programmes: Vec::new(),
            });
            plant_names.push(PlantNames {
                id: p.id.clone(),
                name: p.name.clone(),
                short_name: p.display_name().to_string(),
            });
        }
        let first_new_plant = plants.len();
        for n in &scenario.new_plants {
            plants.push(PlantInput {
                segment: n.segment,
                operator: operator(&n.operator),
                base_output: None,
                base_drawn: None,
                base_data: None,
                split: None,
                base_capacity: 0.0,
                capacity: n.capacity,
                utilisation_cap: n.utilisation_cap,
                existing: ExistingPath::Flat,
                opens: Some(n.opens),
                closes: None,
                built: true,
                programmes: Vec::new(),
            });
            plant_names.push(PlantNames {
                id: n.id.clone(),
                name: n.name.clone(),
                short_name: n.name.clone(),
            });
        }
        let plant_index = |id: &str| plant_names.iter().position(|n| n.id == id).unwrap_or(0);
        let mut programmes = Vec::new();
        let mut programme_names = Vec::new();
        for (k, p) in scenario.programmes.iter().enumerate() {
            let plant = plant_index(&p.plant);
            plants[plant].programmes.push(k);
            programmes.push(ProgrammeInput {
                plant,
                start: p.start,
                peak: p.peak,
                ramp_years: p.ramp_years,
                curve: p.curve,
                ends: p.ends,
                enabled: p.enabled,
                happens: true,
            });
            programme_names.push((p.id.clone(), p.maker.clone()));
        }
        let shocks = scenario
            .shocks
            .iter()
            .map(|s| ShockInput {
                year: s.year,
                target: match &s.scope {
                    ShockScope::All => ShockTarget::All,
                    ShockScope::Plant(id) => ShockTarget::Plant(plant_index(id)),
                    ShockScope::Maker(name) => ShockTarget::Operator(operator(name)),
                },
                lost_weeks: s.lost_weeks,
                happens: true,
            })
            .collect();
        Inputs {
            base_year: data.base_year(),
            end_year: scenario.end_year,
            target: scenario.target,
            base_total: data.base().and_then(|b| b.total).unwrap_or(0) as f64,
            utilisation_cap: scenario.utilisation_cap,
            other_growth: scenario.other_growth,
            residuals: Segment::ALL.map(|s| data.residual(s)),
            national: Segment::ALL.map(|s| data.national(s)),
            data_residuals: Segment::ALL.map(|s| data.residual(s)),
            splits: splits.iter().map(|(_, _, total)| *total).collect(),
            plants,
            programmes,
            shocks,
            plant_names,
            programme_names,
            operators,
            first_new_plant,
            battery_names: scenario
                .battery_plants
                .iter()
                .map(|b| b.id.clone())
                .collect(),
            industry: IndustryInputs::new(data, scenario),
        }
    }

    /// The projected years, base year excluded.
    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        self.base_year + 1..=self.end_year
    }

    fn plant(&self, id: &str) -> Option<usize> {
        self.plant_names.iter().position(|n| n.id == id)
    }

    /// Where a scenario slot's value lives in these inputs.
    pub fn locate(&self, slot: &Slot) -> Option<InputSlot> {
        let new = |i: &usize| self.first_new_plant + i;
        Some(match slot {
            Slot::UtilisationCap => InputSlot::UtilisationCap,
            Slot::OtherGrowth => InputSlot::OtherGrowth,
            Slot::PlantCapacity(id) => InputSlot::Capacity(self.plant(id)?),
            Slot::PlantUtilisationCap(id) => InputSlot::PlantUtilisationCap(self.plant(id)?),
            Slot::PlantGrowth(id) => InputSlot::Growth(self.plant(id)?),
            Slot::PlantWaypoint(id, k) => InputSlot::Waypoint(self.plant(id)?, *k),
            Slot::PlantCloses(id) => InputSlot::Closes(self.plant(id)?),
            Slot::BaseOutput(id) => InputSlot::BaseOutput(self.plant(id)?),
            Slot::NewPlantCapacity(i) => InputSlot::Capacity(new(i)),
            Slot::NewPlantOpens(i) => InputSlot::Opens(new(i)),
            Slot::NewPlantUtilisationCap(i) => InputSlot::PlantUtilisationCap(new(i)),
            Slot::NewPlantHappens(i) => InputSlot::Built(new(i)),
            Slot::ProgrammePeak(i) => InputSlot::Peak(*i),
            Slot::ProgrammeStart(i) => InputSlot::Start(*i),
            Slot::ProgrammeRampYears(i) => InputSlot::RampYears(*i),
            Slot::ProgrammeEnds(i) => InputSlot::Ends(*i),
            Slot::ProgrammeHappens(i) => InputSlot::Happens(*i),
            Slot::ShockYear(i) => InputSlot::ShockYear(*i),
            Slot::ShockLostWeeks(i) => InputSlot::LostWeeks(*i),
            Slot::ShockHappens(i) => InputSlot::ShockHappens(*i),
            Slot::ProgrammeJobs(i) => InputSlot::ProgrammeJobs(*i),
            Slot::ProgrammeKwh(i, p) => InputSlot::ProgrammeKwh(*i, *p),
            Slot::NewPlantJobs(i) => InputSlot::PlantJobs(new(i)),
            Slot::BatteryCapacity(id, k) => {
                InputSlot::BatteryCapacity(self.battery_names.iter().position(|b| b == id)?, *k)
            }
        })
    }

    /// Set a plant's base-year output to a drawn value, then make the base year add up again.
    ///
    /// Plants that split a published total (a maker's UK output between its plants) are
    /// scaled together so that they keep that total: a draw moves the split, not the maker.
    /// The residual of the segment is what SMMT's figure leaves after every plant, so the
    /// national total is the same in every draw. Where the other drawn plants would add up
    /// to more than SMMT's figure leaves them, they are scaled down in proportion until they
    /// fit, the residual then being 0: no draw builds more than the UK did.
    fn set_base_output(&mut self, plant: usize, value: f64) {
        self.plants[plant].base_drawn = Some(value);
        self.rebalance(self.plants[plant].segment);
    }

    /// Make one segment's base year add up again after its plants' drawn outputs changed (see
    /// [`Inputs::set_base_output`]). Writes only that segment's plants and residual, and reads
    /// no output it writes.
    fn rebalance(&mut self, segment: Segment) {
        let index = Segment::ALL.iter().position(|s| *s == segment).unwrap_or(0);
        let raw = |p: &PlantInput| p.base_drawn.or(p.base_data);
        let mut split_sums = vec![0.0; self.splits.len()];
        for p in &self.plants {
            if let (Some(k), Some(v)) = (p.split, raw(p)) {
                split_sums[k] += v;
            }
        }
        let (mut fixed, mut free) = (0.0, 0.0);
        for p in self.plants.iter_mut().filter(|p| p.segment == segment) {
            let Some(v) = raw(p) else { continue };
            match p.split {
                Some(k) => {
                    let total = self.splits[k];
                    let v = if split_sums[k] > 0.0 {
                        v * total / split_sums[k]
                    } else {
                        v
                    };
                    p.base_output = Some(v);
                    fixed += v;
                }
                None if p.base_drawn.is_some() => free += v,
                None => fixed += v,
            }
        }
        let room = (self.national[index] - fixed).max(0.0);
        let scale = if free > room && free > 0.0 {
            room / free
        } else {
            1.0
        };
        for p in self.plants.iter_mut().filter(|p| p.segment == segment) {
            if p.split.is_none()
                && let Some(d) = p.base_drawn
            {
                p.base_output = Some(d * scale);
            }
        }
        self.residuals[index] = self.national[index] - fixed - free * scale;
    }

    /// Put drawn values into their slots, leaving the inputs as [`Inputs::set`] of each in turn
    /// would, with each segment's base year made to add up again once, after all of them,
    /// rather than after each drawn base-year output.
    ///
    /// That is the same only while no published total is split between plants of both
    /// segments: making one segment add up reads the drawn outputs of every plant sharing a
    /// total with its plants, so with such a split the result depends on which outputs were
    /// already drawn, and the values are then set in turn.
    pub fn set_all(&mut self, slots: &[InputSlot], values: &[f64]) {
        let drawn_base = slots.iter().any(|s| matches!(s, InputSlot::BaseOutput(_)));
        if drawn_base && !self.splits_within_segments() {
            for (&slot, &value) in slots.iter().zip(values) {
                self.set(slot, value);
            }
            return;
        }
        let mut segments = [false; 2];
        for (&slot, &value) in slots.iter().zip(values) {
            match slot {
                InputSlot::BaseOutput(i) => {
                    if let Some(p) = self.plants.get_mut(i) {
                        p.base_drawn = Some(value);
                        let index = Segment::ALL.iter().position(|s| *s == p.segment);
                        segments[index.unwrap_or(0)] = true;
                    }
                }
                _ => self.set(slot, value),
            }
        }
        for (segment, drawn) in Segment::ALL.into_iter().zip(segments) {
            if drawn {
                self.rebalance(segment);
            }
        }
    }

    /// Whether every published total is split between plants of one segment.
    fn splits_within_segments(&self) -> bool {
        (0..self.splits.len()).all(|k| {
            let mut segments = self
                .plants
                .iter()
                .filter(|p| p.split == Some(k))
                .map(|p| p.segment);
            let first = segments.next();
            segments.all(|s| Some(s) == first)
        })
    }

    /// Put a value into a slot; for "happens" slots, 1 is yes and 0 is no.
    pub fn set(&mut self, slot: InputSlot, value: f64) {
        let happens = value >= 0.5;
        match slot {
            InputSlot::UtilisationCap => self.utilisation_cap = value,
            InputSlot::OtherGrowth => self.other_growth = value,
            InputSlot::Capacity(i) => self.plants[i].capacity = value,
            InputSlot::PlantUtilisationCap(i) => self.plants[i].utilisation_cap = Some(value),
            InputSlot::Growth(i) => self.plants[i].existing = ExistingPath::Growth(value),
            InputSlot::Waypoint(i, k) => {
                if let ExistingPath::Waypoints(points) = &mut self.plants[i].existing
                    && let Some(point) = points.get_mut(k)
                {
                    point.level = point.level.with(value);
                }
            }
            InputSlot::Closes(i) => self.plants[i].closes = Some(round_year(value)),
            InputSlot::BaseOutput(i) => self.set_base_output(i, value),
            InputSlot::Opens(i) => self.plants[i].opens = Some(round_year(value)),
            InputSlot::Built(i) => self.plants[i].built = happens,
            InputSlot::Peak(k) => self.programmes[k].peak = value,
            InputSlot::Start(k) => self.programmes[k].start = round_year(value),
            InputSlot::RampYears(k) => {
                self.programmes[k].ramp_years = value.round().max(0.0) as u32
            }
            InputSlot::Ends(k) => self.programmes[k].ends = Some(round_year(value)),
            InputSlot::Happens(k) => self.programmes[k].happens = happens,
            InputSlot::ShockYear(k) => self.shocks[k].year = round_year(value),
            InputSlot::LostWeeks(k) => self.shocks[k].lost_weeks = value,
            InputSlot::ShockHappens(k) => self.shocks[k].happens = happens,
            InputSlot::ProgrammeJobs(k) => self.industry.programmes[k].jobs = Some(value),
            InputSlot::ProgrammeKwh(k, p) => {
                let programme = &mut self.industry.programmes[k];
                for (i, kwh) in programme.kwh.iter_mut().enumerate() {
                    if i == p || (p == 4 && programme.mix[i] > 0.0 && i != Powertrain::Ice.index())
                    {
                        *kwh = value;
                    }
                }
            }
            InputSlot::PlantJobs(i) => self.industry.plants[i].jobs = Some(value),
            InputSlot::BatteryCapacity(b, k) => {
                if let Some(step) = self.industry.battery_plants[b].get_mut(k) {
                    step.1 = value;
                }
            }
        }
    }
}

impl IndustryInputs {
    /// Flatten the data's and the scenario's powertrain, battery and jobs figures.
    pub fn new(data: &Dataset, scenario: &Scenario) -> IndustryInputs {
        let industry = &data.industry;
        let base_year = data.base_year();
        let kwh = |plant: Option<&str>, segment: Segment| {
            Powertrain::ALL.map(|p| industry.kwh(plant, segment, p))
        };
        // The mix a programme is counted at when the scenario does not give one: its plant's
        // base-year mix, or a new plant's segment's (the validator warns of it).
        let national_mix = |segment: Segment| {
            let volumes = data.powertrain_volumes(segment);
            let total: f64 = volumes.iter().sum();
            if total > 0.0 {
                volumes.map(|v| v / total)
            } else {
                [0.0, 0.0, 0.0, 1.0]
            }
        };
        let mut plants: Vec<PlantIndustry> = data
            .plants
            .iter()
            .map(|p| {
                let change = scenario.plant_changes.get(&p.id);
                let mut mix: Vec<(i32, Mix)> = industry
                    .mix(&p.id)
                    .map(|m| vec![(base_year, m)])
                    .unwrap_or_default();
                if !mix.is_empty() {
                    mix.extend(change.map(|c| c.powertrain.clone()).unwrap_or_default());
                }
                PlantIndustry {
                    mix,
                    kwh: kwh(Some(&p.id), p.segment),
                    employees: industry.employees(&p.id).map(|e| e.employees as f64),
                    jobs: None,
                }
            })
            .collect();
        plants.extend(scenario.new_plants.iter().map(|n| PlantIndustry {
            mix: Vec::new(),
            kwh: kwh(None, n.segment),
            employees: None,
            jobs: n.jobs,
        }));
        let segment_of = |plant: &str| {
            data.plant(plant).map(|p| p.segment).or_else(|| {
                scenario
                    .new_plants
                    .iter()
                    .find(|n| n.id == plant)
                    .map(|n| n.segment)
            })
        };
        let programmes = scenario
            .programmes
            .iter()
            .map(|p| {
                let segment = segment_of(&p.plant).unwrap_or(Segment::Car);
                let mix = p
                    .powertrain
                    .or_else(|| industry.mix(&p.plant))
                    .unwrap_or_else(|| national_mix(segment));
                let defaults = kwh(None, segment);
                ProgrammeIndustry {
                    mix,
                    kwh: std::array::from_fn(|i| p.battery_kwh[i].unwrap_or(defaults[i])),
                    jobs: p.jobs,
                }
            })
            .collect();
        IndustryInputs {
            has_powertrain: industry.has_powertrain(),
            existing_jobs: scenario.existing_jobs,
            plants,
            programmes,
            residual_mix: Segment::ALL.map(|s| {
                industry
                    .mix(s.residual_id())
                    .unwrap_or([0.0, 0.0, 0.0, 1.0])
            }),
            residual_kwh: Segment::ALL.map(|s| kwh(Some(s.residual_id()), s)),
            battery_plants: scenario
                .battery_plants
                .iter()
                .map(|b| b.capacity.clone())
                .collect(),
        }
    }
}
