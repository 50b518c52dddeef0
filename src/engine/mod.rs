//! The projection: pure functions from checked data and a resolved scenario to one result.
//!
//! Nothing here reads or writes files; every command and renderer works from [`Projection`].

mod derived;
mod inputs;
mod rules;

use crate::data::{Dataset, Segment};
pub use crate::data::{OTHER_MAKER, OTHER_NAME};
use crate::scenario::{Scenario, Target};
pub use derived::{
    BatteryYear, DerivedPlan, JobsYear, PowertrainYear, battery_gwh, cell_capacity, existing_jobs,
    fill_derived, fill_powertrain, mix_at, programme_jobs, share,
};
pub use inputs::{
    IndustryInputs, InputSlot, Inputs, PlantIndustry, PlantInput, ProgrammeIndustry,
    ProgrammeInput, ShockInput, ShockTarget,
};
pub use rules::{existing_output, programme_fraction, programme_volume, shock_factor, target_path};

/// Whether a year's national figures are published or projected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Published history.
    Actual,
    /// Projected by the scenario.
    Projected,
}

impl Source {
    /// The word used in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Actual => "actual",
            Source::Projected => "projected",
        }
    }
}

/// National output in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct NationalYear {
    /// Calendar year.
    pub year: i32,
    /// Published or projected.
    pub source: Source,
    /// Cars.
    pub cars: f64,
    /// Commercial vehicles, where known.
    pub commercial_vehicles: Option<f64>,
    /// Cars plus commercial vehicles, where known.
    pub total: Option<f64>,
    /// The straight path to the target (base year onwards).
    pub target_path: Option<f64>,
    /// Total minus target path: negative when short of it.
    pub gap: Option<f64>,
    /// Where an actual year's figures come from (history.csv's `source`); `None` when projected.
    pub citation: Option<String>,
}

/// One plant (or a segment's residual) in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct PlantYear {
    /// Calendar year.
    pub year: i32,
    /// Plant id, or `other-car` / `other-cv` for the residual.
    pub plant_id: String,
    /// Plant name.
    pub plant: String,
    /// What charts call it: the data's short name ("Nissan Sunderland"), else the name (a new
    /// plant's, or the residual's).
    pub short_name: String,
    /// Company that runs it.
    pub operator: String,
    /// Cars or commercial vehicles.
    pub segment: Segment,
    /// What its existing production and programmes would make, before capacity and shocks.
    pub demand: f64,
    /// Nameplate capacity that year (0 when closed or not yet open); `None` for the residual.
    pub capacity: Option<f64>,
    /// Nameplate capacity that year in the modal case, every uncertain item happening. An
    /// expected projection averages `capacity` over the draws (a plant that opens in 30% of
    /// them has 30% of its capacity) but keeps this, so a chart can say so.
    pub modal_capacity: Option<f64>,
    /// Vehicles built, after capacity and shocks.
    pub output: f64,
    /// Demand that capacity (times the utilisation cap) could not meet.
    pub constrained: f64,
}

impl PlantYear {
    /// Output as a share of nameplate capacity, where there is capacity.
    pub fn utilisation(&self) -> Option<f64> {
        self.capacity.filter(|c| *c > 0.0).map(|c| self.output / c)
    }
}

/// One component of a plant's output: its existing production or one programme.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentYear {
    /// Calendar year.
    pub year: i32,
    /// Plant id (or residual id).
    pub plant_id: String,
    /// `existing`, or the programme's id.
    pub component: String,
    /// The maker the volume counts towards.
    pub maker: String,
    /// Vehicles built, after capacity and shocks.
    pub output: f64,
}

/// The headline figures of a projection.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Actual total in the base year.
    pub base_total: f64,
    /// Projected total in the end year.
    pub end_total: f64,
    /// Target path in the end year.
    pub end_target_path: f64,
    /// End-year total minus target path.
    pub end_gap: f64,
    /// End-year total as a share of the target volume.
    pub share_of_target: f64,
    /// The year growth rates are measured to: the target year, or the end year if sooner.
    pub growth_year: i32,
    /// Annual growth from the base year needed to be on the target path in `growth_year`.
    pub growth_needed: f64,
    /// Annual growth from the base year the projection gives by `growth_year`.
    pub growth_projected: f64,
    /// First projected year the total reaches the target path.
    pub first_year_on_target: Option<i32>,
    /// First projected year from which the total stays on or above the target path to the end.
    pub on_target_from: Option<i32>,
}

/// Everything a scenario projects: the one result every table and chart is drawn from.
#[derive(Debug, Clone)]
pub struct Projection {
    /// The name the outputs go by: the scenario's, or a `--set` variant's.
    pub scenario: String,
    /// The scenario file it was made from (differs from `scenario` for a variant).
    pub scenario_file: String,
    /// Scenario description.
    pub description: String,
    /// The scenario's display name, if it gives one ("Chery at Halewood").
    pub title: Option<String>,
    /// The scenario's one-sentence summary for chart subtitles, if it gives one.
    pub headline: Option<String>,
    /// The scenario's colour in comparisons ("#rrggbb"), if it declares one.
    pub colour: Option<String>,
    /// Display labels of items, keyed by their path without the field: "programmes.ID",
    /// "new_plants.ID", "shocks.N".
    pub labels: std::collections::BTreeMap<String, String>,
    /// Makers' colours declared by the scenario ("#rrggbb"), by maker name.
    pub maker_colours: std::collections::BTreeMap<String, String>,
    /// Last year of published data.
    pub base_year: i32,
    /// Last projected year.
    pub end_year: i32,
    /// The target.
    pub target: Target,
    /// Every history year, then every projected year.
    pub national: Vec<NationalYear>,
    /// Every plant and residual, base year and projected years.
    pub plants: Vec<PlantYear>,
    /// Components of output, projected years.
    pub components: Vec<ComponentYear>,
    /// Headline figures.
    pub summary: Summary,
    /// SHA-256 of the data files and the resolved scenario: what this projection came from.
    pub inputs_sha256: String,
    /// What the figures are: the one projection, the modal case, or the mean of draws.
    pub basis: Basis,
    /// The `--set KEY=VALUE` changes made to the scenario, as given (empty for the scenario
    /// as written).
    pub modified: Vec<String>,
    /// Output by powertrain, by segment: the base year (the data's split), then projected
    /// years; empty when the data have no powertrain split.
    pub powertrain: Vec<PowertrainYear>,
    /// Battery demand against UK cell capacity, base year then projected years; empty when
    /// the data have no powertrain split.
    pub batteries: Vec<BatteryYear>,
    /// Direct jobs at each plant with a headcount or scenario jobs, year by year.
    pub jobs: Vec<JobsYear>,
    /// The ZEV mandate's yearly shares of new car and van SALES (the data's years only), for
    /// charts to draw as a reference: a sales rule, not a production one.
    pub zev_mandate: Vec<crate::data::ZevYear>,
    /// How the jobs of the data's plants follow their output (the scenario's rule).
    pub existing_jobs: crate::scenario::ExistingJobs,
}

/// What a projection's figures are, so that every output can say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// A scenario without ranges or probabilities: its one projection.
    Certain,
    /// Every uncertain item happens, at its most likely value (draws turned off).
    Modal,
    /// The mean of Monte Carlo draws of every number.
    Expected {
        /// How many draws.
        draws: usize,
        /// Their seed.
        seed: u64,
    },
}

impl Basis {
    /// The word for a projected figure: "projected", "modal case" or "expected".
    pub fn word(self) -> &'static str {
        match self {
            Basis::Certain => "projected",
            Basis::Modal => "modal case",
            Basis::Expected { .. } => "expected",
        }
    }
}

impl Projection {
    /// What readers call the scenario: its title, else its name.
    pub fn display_name(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.scenario)
    }

    /// What readers call an item ("programmes.chery-halewood", "shocks.0"): its label, else
    /// its id (the last part of the path).
    pub fn label_of<'a>(&'a self, item: &'a str) -> &'a str {
        self.labels
            .get(item)
            .map(String::as_str)
            .unwrap_or_else(|| item.rsplit('.').next().unwrap_or(item))
    }

    /// The short fingerprint printed on charts: the first 8 hex digits of `inputs_sha256`.
    pub fn fingerprint(&self) -> &str {
        &self.inputs_sha256[..self.inputs_sha256.len().min(8)]
    }
}

/// SHA-256 over the data files' hashes and the resolved scenario, in hex.
pub fn inputs_sha256(data: &Dataset, scenario: &Scenario) -> String {
    let mut text = String::new();
    for file in &data.files {
        text.push_str(&file.sha256);
        text.push('\n');
    }
    text.push_str(&scenario.to_toml());
    crate::data::sha256_hex(text.as_bytes())
}

/// One maker's output from the base year to the end year.
#[derive(Debug, Clone, PartialEq)]
pub struct MakerSeries {
    /// The maker (a plant's operator, or a programme's maker; `Other` for the residual).
    pub maker: String,
    /// Output in each year from the base year to the end year.
    pub outputs: Vec<f64>,
}

impl Projection {
    /// Output by maker, base year to end year: the largest maker in the end year first,
    /// `Other` last. The base year counts each plant towards its operator.
    pub fn makers(&self) -> Vec<MakerSeries> {
        let years = (self.end_year - self.base_year + 1).max(1) as usize;
        let mut by_maker: std::collections::BTreeMap<&str, Vec<f64>> =
            std::collections::BTreeMap::new();
        let entries = self
            .plants
            .iter()
            .filter(|p| p.year == self.base_year)
            .map(|p| (p.operator.as_str(), p.year, p.output))
            .chain(
                self.components
                    .iter()
                    .map(|c| (c.maker.as_str(), c.year, c.output)),
            );
        for (maker, year, output) in entries {
            let index = (year - self.base_year) as usize;
            if index < years {
                by_maker.entry(maker).or_insert_with(|| vec![0.0; years])[index] += output;
            }
        }
        let mut series: Vec<MakerSeries> = by_maker
            .into_iter()
            // A maker that never builds anything (a switched-off programme) is left out.
            .filter(|(_, outputs)| outputs.iter().any(|v| *v >= 0.5))
            .map(|(maker, outputs)| MakerSeries {
                maker: maker.to_string(),
                outputs,
            })
            .collect();
        let last = |s: &MakerSeries| s.outputs.last().copied().unwrap_or(0.0);
        series.sort_by(|a, b| {
            (a.maker == OTHER_MAKER)
                .cmp(&(b.maker == OTHER_MAKER))
                .then(last(b).total_cmp(&last(a)))
                .then(a.maker.cmp(&b.maker))
        });
        series
    }

    /// The national row of a year.
    pub fn year(&self, year: i32) -> Option<&NationalYear> {
        self.national.iter().find(|n| n.year == year)
    }
}

/// The component name for a plant's existing production.
pub const EXISTING: &str = "existing";

/// A plant's figures for one projected year, before they become table rows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlantValues {
    /// Existing production plus programmes, before capacity and shocks.
    pub demand: f64,
    /// Nameplate capacity that year (0 when closed, not open or not built).
    pub capacity: f64,
    /// Output after capacity and shocks.
    pub output: f64,
    /// Demand that capacity could not meet.
    pub constrained: f64,
    /// Share of each component kept: capacity scaling times shocks.
    pub kept: f64,
}

/// Rules 1 to 5 for one plant in one projected year: the one place a plant's output is computed.
pub fn plant_values(inputs: &Inputs, plant: usize, year: i32) -> PlantValues {
    let p = &inputs.plants[plant];
    let open = p.built && p.opens.is_none_or(|o| year >= o);
    let closed = p.closes.is_some_and(|c| year >= c);
    // A closed plant's own production ends with it; a programme still planned there is
    // demand the plant cannot meet, so it shows as constrained (rule 3). A plant that a draw
    // decides is never built has no programmes either: nothing was held back by capacity.
    let mut demand = 0.0;
    if !closed && let Some(base) = p.base_output {
        demand += existing_output(&p.existing, inputs.base_year, base, year);
    }
    if p.built {
        for &k in &p.programmes {
            demand += programme_volume(&inputs.programmes[k], year);
        }
    }
    let capacity = if open && !closed { p.capacity } else { 0.0 };
    let limit = capacity * p.utilisation_cap.unwrap_or(inputs.utilisation_cap);
    let before_shocks = demand.min(limit);
    let scale = if demand > 0.0 {
        before_shocks / demand
    } else {
        0.0
    };
    let factor = shock_factor(&inputs.shocks, year, Some((plant, p.operator)));
    PlantValues {
        demand,
        capacity,
        output: before_shocks * factor,
        constrained: demand - before_shocks,
        kept: scale * factor,
    }
}

/// Rule 6: a segment's residual "other UK manufacturers" in a year, before and after shocks.
pub fn residual_values(inputs: &Inputs, segment: Segment, year: i32) -> (f64, f64) {
    let index = Segment::ALL.iter().position(|s| *s == segment).unwrap_or(0);
    let demand =
        inputs.residuals[index] * (1.0 + inputs.other_growth).powi(year - inputs.base_year);
    let factor = if year > inputs.base_year {
        shock_factor(&inputs.shocks, year, None)
    } else {
        1.0
    };
    (demand, demand * factor)
}

/// Rule 7: the national total of each projected year, written into `totals` (one slot per
/// year after the base year). Allocates nothing, for Monte Carlo draws.
pub fn national_totals(inputs: &Inputs, totals: &mut [f64]) {
    for (slot, year) in totals.iter_mut().zip(inputs.years()) {
        *slot = national_total(inputs, year);
    }
}

/// Rule 7 for one projected year (each year's total depends on that year's inputs only), for
/// a sensitivity that needs one year of many draws.
pub fn national_total(inputs: &Inputs, year: i32) -> f64 {
    let plants: f64 = (0..inputs.plants.len())
        .map(|i| plant_values(inputs, i, year).output)
        .sum();
    let residual: f64 = Segment::ALL
        .iter()
        .map(|s| residual_values(inputs, *s, year).1)
        .sum();
    plants + residual
}

impl Inputs {
    fn plant_row(
        &self,
        plant: usize,
        year: i32,
        demand: f64,
        capacity: f64,
        output: f64,
        constrained: f64,
    ) -> PlantYear {
        let p = &self.plants[plant];
        PlantYear {
            year,
            plant_id: self.plant_names[plant].id.clone(),
            plant: self.plant_names[plant].name.clone(),
            short_name: self.plant_names[plant].short_name.clone(),
            operator: self.operators[p.operator].clone(),
            segment: p.segment,
            demand,
            capacity: Some(capacity),
            modal_capacity: Some(capacity),
            output,
            constrained,
        }
    }

    fn residual_row(segment: Segment, year: i32, demand: f64, output: f64) -> PlantYear {
        PlantYear {
            year,
            plant_id: segment.residual_id().to_string(),
            plant: OTHER_NAME.to_string(),
            short_name: OTHER_NAME.to_string(),
            operator: OTHER_MAKER.to_string(),
            segment,
            demand,
            capacity: None,
            modal_capacity: None,
            output,
            constrained: 0.0,
        }
    }
}

/// Project a resolved scenario from the data: rules 1 to 8 of the method.
pub fn project(data: &Dataset, scenario: &Scenario) -> Projection {
    project_inputs(data, scenario, &Inputs::new(data, scenario))
}

/// Project from already-flattened inputs (the modal case, or one set of drawn values).
pub fn project_inputs(data: &Dataset, scenario: &Scenario, inputs: &Inputs) -> Projection {
    let mut projection = skeleton(data, scenario, inputs);
    derived::skeleton_rows(data, inputs, &mut projection);
    fill(inputs, &mut projection);
    projection.summary = summarise(&projection);
    projection
}

/// A projection's rows with every projected number zero: the rows, labels and order depend on
/// the scenario's structure only, never on the values drawn, so draws can refill them.
fn skeleton(data: &Dataset, scenario: &Scenario, inputs: &Inputs) -> Projection {
    let base_year = inputs.base_year;
    let national: Vec<NationalYear> = data
        .history
        .iter()
        .map(|h| NationalYear {
            year: h.year,
            source: Source::Actual,
            cars: h.cars as f64,
            commercial_vehicles: h.commercial_vehicles.map(|v| v as f64),
            total: h.total.map(|v| v as f64),
            target_path: (h.year == base_year).then_some(inputs.base_total),
            gap: (h.year == base_year).then_some(0.0),
            citation: Some(h.source.clone()),
        })
        .chain(inputs.years().map(|year| NationalYear {
            year,
            source: Source::Projected,
            cars: 0.0,
            commercial_vehicles: Some(0.0),
            total: Some(0.0),
            target_path: Some(target_path(
                base_year,
                inputs.base_total,
                inputs.target,
                year,
            )),
            gap: Some(0.0),
            citation: None,
        }))
        .collect();
    let mut plants = Vec::new();
    let mut components = Vec::new();
    for year in std::iter::once(base_year).chain(inputs.years()) {
        for (i, p) in inputs.plants.iter().enumerate() {
            if year > base_year {
                let plant_id = &inputs.plant_names[i].id;
                if p.base_output.is_some() {
                    components.push(ComponentYear {
                        year,
                        plant_id: plant_id.clone(),
                        component: EXISTING.to_string(),
                        maker: inputs.operators[p.operator].clone(),
                        output: 0.0,
                    });
                }
                for &k in &p.programmes {
                    let (id, maker) = &inputs.programme_names[k];
                    components.push(ComponentYear {
                        year,
                        plant_id: plant_id.clone(),
                        component: id.clone(),
                        maker: maker.clone(),
                        output: 0.0,
                    });
                }
            }
            plants.push(inputs.plant_row(i, year, 0.0, 0.0, 0.0, 0.0));
        }
        for segment in Segment::ALL {
            if year > base_year {
                components.push(ComponentYear {
                    year,
                    plant_id: segment.residual_id().to_string(),
                    component: EXISTING.to_string(),
                    maker: OTHER_MAKER.to_string(),
                    output: 0.0,
                });
            }
            plants.push(Inputs::residual_row(segment, year, 0.0, 0.0));
        }
    }
    Projection {
        scenario: scenario.run_name.clone(),
        scenario_file: scenario.name.clone(),
        description: scenario.description.clone(),
        title: scenario.title.clone(),
        headline: scenario.headline.clone(),
        colour: scenario.colour.clone(),
        labels: scenario.labels.clone(),
        maker_colours: scenario.maker_colours.clone(),
        base_year,
        end_year: inputs.end_year,
        target: inputs.target,
        national,
        plants,
        components,
        summary: Summary {
            base_total: inputs.base_total,
            ..Summary::default()
        },
        inputs_sha256: inputs_sha256(data, scenario),
        basis: if scenario.uncertain.is_empty() {
            Basis::Certain
        } else {
            Basis::Modal
        },
        modified: scenario
            .sources
            .sets
            .iter()
            .map(|s| s.change.clone())
            .collect(),
        powertrain: Vec::new(),
        batteries: Vec::new(),
        jobs: Vec::new(),
        existing_jobs: scenario.existing_jobs,
        zev_mandate: data.industry.zev_mandate.clone(),
    }
}

/// Rules 1 to 7 for every plant, component and year: write the numbers of `inputs` into a
/// projection built by [`skeleton`] from the same scenario (rows in the same order).
pub fn fill(inputs: &Inputs, projection: &mut Projection) {
    fill_touched(inputs, projection, &Touched::all(inputs));
}

/// Which parts of a projection a set of drawn inputs can change: the plants an input reaches
/// (its own, a programme's, a shock's), and the residuals. The rest of a draw is the modal
/// case, so a draw need not compute it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touched {
    /// By index into [`Inputs::plants`].
    pub plants: Vec<bool>,
    /// The residual "other UK manufacturers" of both segments.
    pub residuals: bool,
    /// The base-year rows (which only a first fill writes: no draw changes them).
    pub base_year: bool,
}

impl Touched {
    /// Everything: a first fill.
    pub fn all(inputs: &Inputs) -> Touched {
        Touched {
            plants: vec![true; inputs.plants.len()],
            residuals: true,
            base_year: true,
        }
    }

    /// What drawing the inputs in `slots` can change.
    pub fn by(inputs: &Inputs, slots: impl IntoIterator<Item = InputSlot>) -> Touched {
        let mut t = Touched {
            plants: vec![false; inputs.plants.len()],
            residuals: false,
            base_year: false,
        };
        for slot in slots {
            reach(inputs, slot, |part| match part {
                Part::Plant(i) => {
                    if let Some(touched) = t.plants.get_mut(i) {
                        *touched = true;
                    }
                }
                Part::Residuals => t.residuals = true,
            });
        }
        t
    }
}

/// A part of a projection that a drawn input can reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// A plant, by index into [`Inputs::plants`].
    Plant(usize),
    /// The residual "other UK manufacturers" of both segments.
    Residuals,
}

/// Tell `part` each part of a projection that drawing `slot` can change. The one place that
/// says so: [`Touched::by`] and [`DrawPlan`] both ask it.
fn reach(inputs: &Inputs, slot: InputSlot, mut part: impl FnMut(Part)) {
    let every_plant = |part: &mut dyn FnMut(Part)| {
        for i in 0..inputs.plants.len() {
            part(Part::Plant(i));
        }
    };
    match slot {
        InputSlot::UtilisationCap => every_plant(&mut part),
        InputSlot::OtherGrowth => part(Part::Residuals),
        // A drawn base output moves the residual and, through a published total it
        // splits, other plants: all of it.
        InputSlot::BaseOutput(_) => {
            every_plant(&mut part);
            part(Part::Residuals);
        }
        // Jobs, battery sizes and cell capacity change no vehicle: the derived tables' own
        // plan (`derived::DerivedPlan`) follows them.
        InputSlot::ProgrammeJobs(_)
        | InputSlot::ProgrammeKwh(..)
        | InputSlot::PlantJobs(_)
        | InputSlot::BatteryCapacity(..) => {}
        InputSlot::Capacity(i)
        | InputSlot::PlantUtilisationCap(i)
        | InputSlot::Growth(i)
        | InputSlot::Waypoint(i, _)
        | InputSlot::Closes(i)
        | InputSlot::Opens(i)
        | InputSlot::Built(i) => part(Part::Plant(i)),
        InputSlot::Peak(k)
        | InputSlot::Start(k)
        | InputSlot::RampYears(k)
        | InputSlot::Ends(k)
        | InputSlot::Happens(k) => {
            if let Some(p) = inputs.programmes.get(k) {
                part(Part::Plant(p.plant));
            }
        }
        InputSlot::ShockYear(k) | InputSlot::LostWeeks(k) | InputSlot::ShockHappens(k) => {
            match inputs.shocks.get(k).map(|s| s.target) {
                Some(ShockTarget::All) => {
                    every_plant(&mut part);
                    part(Part::Residuals);
                }
                Some(ShockTarget::Plant(i)) => part(Part::Plant(i)),
                Some(ShockTarget::Operator(o)) => {
                    for (i, p) in inputs.plants.iter().enumerate() {
                        if p.operator == o {
                            part(Part::Plant(i));
                        }
                    }
                }
                None => {}
            }
        }
    }
}

/// The one projected year in which drawing `slot` can change anything, when there is one. A
/// shock's weeks lost and whether it happens count only in its year (rule 5); a drawn year of
/// the same shock reaches every year itself.
fn reach_year(inputs: &Inputs, slot: InputSlot) -> Option<i32> {
    match slot {
        InputSlot::LostWeeks(k) | InputSlot::ShockHappens(k) => {
            inputs.shocks.get(k).map(|s| s.year)
        }
        _ => None,
    }
}

/// [`fill`], writing only what `touched` names: every other row keeps what the projection
/// already holds (the modal case, in a draw), and is read for the national totals.
pub fn fill_touched(inputs: &Inputs, projection: &mut Projection, touched: &Touched) {
    let base_year = inputs.base_year;
    let mut plants = projection.plants.iter_mut();
    let mut components = projection.components.iter_mut();
    let mut national = projection
        .national
        .iter_mut()
        .filter(|n| n.source == Source::Projected);
    // The base year shows the data's figures in every draw: a draw moves the plant split
    // behind the projection, never what the data say happened.
    for p in &inputs.plants {
        if let Some(row) = plants.next()
            && touched.base_year
        {
            let output = p.base_data.unwrap_or(0.0);
            (row.demand, row.output, row.constrained) = (output, output, 0.0);
            row.capacity = Some(p.base_capacity);
            row.modal_capacity = row.capacity;
        }
    }
    for residual in inputs.data_residuals {
        if let Some(row) = plants.next()
            && touched.base_year
        {
            (row.demand, row.output) = (residual, residual);
        }
    }
    for year in inputs.years() {
        let (mut cars, mut cvs) = (0.0, 0.0);
        for (i, p) in inputs.plants.iter().enumerate() {
            if !touched.plants[i] {
                if p.components() > 0 {
                    components.nth(p.components() - 1);
                }
                let output = plants.next().map_or(0.0, |row| row.output);
                match p.segment {
                    Segment::Car => cars += output,
                    Segment::Cv => cvs += output,
                }
                continue;
            }
            let v = plant_values(inputs, i, year);
            if let Some(base) = p.base_output
                && let Some(row) = components.next()
            {
                // A closed or unopened plant keeps nothing of any component (`kept` is 0).
                row.output = existing_output(&p.existing, base_year, base, year) * v.kept;
            }
            for &k in &p.programmes {
                if let Some(row) = components.next() {
                    row.output = programme_volume(&inputs.programmes[k], year) * v.kept;
                }
            }
            match p.segment {
                Segment::Car => cars += v.output,
                Segment::Cv => cvs += v.output,
            }
            if let Some(row) = plants.next() {
                (row.demand, row.output, row.constrained) = (v.demand, v.output, v.constrained);
                row.capacity = Some(v.capacity);
                row.modal_capacity = row.capacity;
            }
        }
        for segment in Segment::ALL {
            if !touched.residuals {
                components.next();
                let output = plants.next().map_or(0.0, |row| row.output);
                match segment {
                    Segment::Car => cars += output,
                    Segment::Cv => cvs += output,
                }
                continue;
            }
            let (demand, output) = residual_values(inputs, segment, year);
            if let Some(row) = components.next() {
                row.output = output;
            }
            if let Some(row) = plants.next() {
                (row.demand, row.output) = (demand, output);
            }
            match segment {
                Segment::Car => cars += output,
                Segment::Cv => cvs += output,
            }
        }
        if let Some(row) = national.next() {
            let path = row.target_path.unwrap_or(0.0);
            row.cars = cars;
            row.commercial_vehicles = Some(cvs);
            row.total = Some(cars + cvs);
            row.gap = Some(cars + cvs - path);
        }
    }
    fill_derived(inputs, projection);
}

/// A drawn input as a [`DrawPlan`] sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Drawn {
    /// Where its value goes.
    pub slot: InputSlot,
    /// `Some((first, count))` when a draw only ever gives one of `first`, `first + 1`, …
    /// `first + count - 1` (whether an item happens, a year), so that a plant reached only by
    /// such inputs can be computed once for each combination before any draw; `None` for a
    /// value from a continuous range.
    pub values: Option<(f64, usize)>,
}

/// Where a number of a projection lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A plant or residual row's demand, capacity, output or constrained (0 to 3), by row.
    Plant(usize, u8),
    /// A component row's output, by row.
    Component(usize),
    /// A national row's cars, commercial vehicles, total or gap (0 to 3), by row.
    National(usize, u8),
}

/// What a number that draws can reach is in each draw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// It can differ between draws: the k-th of [`DrawPlan::summed`].
    Summed(usize),
    /// It is the same in every draw.
    Constant(f64),
}

/// Plants reached only by inputs of a few values are computed for each combination of them up to
/// this many; beyond it a table would cost more to build than the draws save.
const MAX_COMBINATIONS: usize = 256;

/// What a draw computes, planned once for a set of drawn inputs: [`fill_touched`] into a flat
/// buffer instead of a projection, doing only the work that can differ between draws.
///
/// A draw's buffer holds every projected plant and residual output (which the national sums
/// read), one slot that nothing reads, then the numbers that can differ between draws, whose
/// sums over the draws give their means. Every number of the projection that the drawn inputs
/// reach (the rows [`fill_touched`] writes for [`Touched::by`] them, and every projected national
/// figure) is one of those, or a constant found before any draw:
/// - a plant reached by an input of a continuous range is computed by [`plant_values`] in each
///   year its inputs reach (a shock's weeks lost reach only its year); in other years it is the
///   modal case's, and a component whose volume no drawn input feeds is computed once;
/// - a plant reached only by inputs of a few values is computed for every combination of them
///   before any draw, and a draw copies its combination's numbers: only those that differ
///   between combinations;
/// - each year's national sums start from the sum of the outputs before the first one that can
///   differ (the same in every draw), then add the rest one by one in the order
///   [`fill_touched`] adds them, so that every sum is the same to the last bit.
#[derive(Debug, Clone)]
pub struct DrawPlan {
    /// Projected plant and residual outputs at the start of a buffer: years × (plants + 2).
    rows: usize,
    /// How many numbers can differ between draws.
    summed: usize,
    /// A buffer before its first draw: the modal outputs, or each one's constant.
    template: Vec<f64>,
    direct: Vec<DirectYear>,
    components: Vec<ComponentJob>,
    residuals: Vec<ResidualYear>,
    tables: Vec<Table>,
    national: Vec<NationalYearPlan>,
    /// Buffer places of the outputs each national sum adds one by one.
    terms: Vec<usize>,
    /// Every number the drawn inputs reach, and what it is in a draw.
    numbers: Vec<(Place, Value)>,
}

/// A plant in one projected year, computed in every draw.
#[derive(Debug, Clone)]
struct DirectYear {
    plant: usize,
    year: i32,
    /// Buffer places of demand, capacity, output and constrained.
    at: [usize; 4],
    /// Buffer place of its output among the rows.
    row: usize,
    /// Its components, in [`DrawPlan::components`].
    components: std::ops::Range<usize>,
}

/// A component row of a plant computed in every draw: its volume before capacity and shocks
/// times the share the plant keeps.
#[derive(Debug, Clone, Copy)]
struct ComponentJob {
    at: usize,
    volume: Volume,
}

#[derive(Debug, Clone, Copy)]
enum Volume {
    /// No drawn input feeds it.
    Fixed(f64),
    /// The plant's existing production (rule 1).
    Existing,
    /// A programme's volume (rule 2), by index.
    Programme(usize),
}

/// A segment's residual in one projected year, computed in every draw.
#[derive(Debug, Clone, Copy)]
struct ResidualYear {
    segment: Segment,
    year: i32,
    demand: usize,
    output: usize,
    component: usize,
    row: usize,
}

/// A plant's numbers for every combination of the few values its inputs can take.
#[derive(Debug, Clone)]
struct Table {
    /// (index of the drawn input, its first value, how many values, stride in `values`).
    digits: Vec<(usize, f64, usize, usize)>,
    /// Buffer places of the numbers that differ between combinations.
    targets: Vec<usize>,
    /// Those numbers, combination by combination.
    values: Vec<f64>,
}

/// A projected year's national figures.
#[derive(Debug, Clone)]
struct NationalYearPlan {
    /// Sums of the outputs before the first that can differ, cars then commercial vehicles.
    start: [f64; 2],
    /// The rest of each sum, in [`DrawPlan::terms`].
    terms: [std::ops::Range<usize>; 2],
    path: f64,
    /// Buffer places of cars, commercial vehicles, total and gap.
    at: [usize; 4],
}

/// Numbers as a plan is built: each either summed over the draws or a constant.
struct Numbers {
    /// Buffer place of the first summed number.
    first: usize,
    summed: usize,
    list: Vec<(Place, Value)>,
}

impl Numbers {
    fn summed(&mut self, place: Place) -> usize {
        self.list.push((place, Value::Summed(self.summed)));
        self.summed += 1;
        self.first + self.summed - 1
    }

    fn constant(&mut self, place: Place, value: f64) {
        self.list.push((place, Value::Constant(value)));
    }
}

/// A plant row's field as [`Place::Plant`] numbers it.
fn plant_field(row: &PlantYear, field: u8) -> f64 {
    match field {
        0 => row.demand,
        1 => row.capacity.unwrap_or(0.0),
        2 => row.output,
        _ => row.constrained,
    }
}

/// The fields of a row that are numbers: capacity only where the row has one.
fn plant_fields(row: Option<&PlantYear>) -> &'static [u8] {
    if row.is_some_and(|r| r.capacity.is_some()) {
        &[0, 1, 2, 3]
    } else {
        &[0, 2, 3]
    }
}

/// A plant's numbers in each projected year as [`fill_touched`] writes them: demand, capacity,
/// output, constrained, then its components.
fn plant_numbers(inputs: &Inputs, plant: usize, years: &[i32], out: &mut Vec<f64>) {
    let Some(p) = inputs.plants.get(plant) else {
        return;
    };
    for &year in years {
        let v = plant_values(inputs, plant, year);
        out.extend([v.demand, v.capacity, v.output, v.constrained]);
        if let Some(base) = p.base_output {
            out.push(existing_output(&p.existing, inputs.base_year, base, year) * v.kept);
        }
        for &k in &p.programmes {
            out.push(programme_volume(&inputs.programmes[k], year) * v.kept);
        }
    }
}

impl DrawPlan {
    /// Plan draws of `drawn` from the modal case `modal`, projected from `inputs`.
    pub fn new(inputs: &Inputs, modal: &Projection, drawn: &[Drawn]) -> DrawPlan {
        let n = inputs.plants.len();
        let per_year = n + 2;
        let years: Vec<i32> = inputs.years().collect();
        let rows = years.len() * per_year;
        let dump = rows;
        let mut numbers = Numbers {
            first: rows + 1,
            summed: 0,
            list: Vec::new(),
        };
        let plant_row = |yi: usize, j: usize| (yi + 1) * per_year + j;
        let mut template: Vec<f64> = (0..rows)
            .map(|r| {
                let row = modal.plants.get(plant_row(r / per_year, r % per_year));
                row.map_or(0.0, |row| row.output)
            })
            .collect();
        template.push(0.0);
        // Whether a draw writes the output at each place of the rows.
        let mut varies = vec![false; rows];
        let mut first_component = Vec::with_capacity(per_year);
        let mut count = 0;
        for p in &inputs.plants {
            first_component.push(count);
            count += p.components();
        }
        first_component.extend([count, count + 1]);
        let component_row =
            |yi: usize, j: usize, k: usize| yi * (count + 2) + first_component[j] + k;
        let modal_row = |r: usize| modal.plants.get(r);
        let modal_component = |c: usize| modal.components.get(c).map_or(0.0, |c| c.output);

        // The drawn inputs that reach each plant (then the residuals), and in which years.
        let slots: Vec<InputSlot> = drawn.iter().map(|d| d.slot).collect();
        let mut relevant: Vec<Vec<usize>> = vec![Vec::new(); n + 1];
        let mut reached = vec![vec![false; years.len()]; n + 1];
        for (j, d) in drawn.iter().enumerate() {
            let only = reach_year(inputs, d.slot);
            reach(inputs, d.slot, |part| {
                let p = match part {
                    Part::Plant(i) => i,
                    Part::Residuals => n,
                };
                if let (Some(r), Some(y)) = (relevant.get_mut(p), reached.get_mut(p)) {
                    if r.last() != Some(&j) {
                        r.push(j);
                    }
                    for (flag, &year) in y.iter_mut().zip(&years) {
                        *flag |= only.is_none_or(|o| o == year);
                    }
                }
            });
        }

        let mut direct = Vec::new();
        let mut components = Vec::new();
        let mut tables = Vec::new();
        for (i, p) in inputs.plants.iter().enumerate() {
            if relevant[i].is_empty() {
                continue;
            }
            let width = 4 + p.components();
            let digits: Option<Vec<(usize, f64, usize)>> = relevant[i]
                .iter()
                .map(|&j| drawn[j].values.map(|(first, count)| (j, first, count)))
                .collect();
            let combinations = digits.as_ref().and_then(|d| {
                d.iter()
                    .try_fold(1usize, |all, &(_, _, count)| all.checked_mul(count))
                    .filter(|c| (1..=MAX_COMBINATIONS).contains(c))
            });
            if let (Some(digits), Some(combinations)) = (digits, combinations) {
                let mut strides = Vec::with_capacity(digits.len());
                let mut stride = 1;
                for &(_, _, count) in &digits {
                    strides.push(stride);
                    stride *= count;
                }
                let mut results = Vec::with_capacity(combinations);
                for combination in 0..combinations {
                    let mut scratch = inputs.clone();
                    for (&(j, first, count), &stride) in digits.iter().zip(&strides) {
                        let digit = (combination / stride) % count;
                        scratch.set(drawn[j].slot, first + digit as f64);
                    }
                    let mut numbers = Vec::with_capacity(years.len() * width);
                    plant_numbers(&scratch, i, &years, &mut numbers);
                    results.push(numbers);
                }
                let mut targets = Vec::new();
                let mut columns: Vec<Vec<f64>> = Vec::new();
                for yi in 0..years.len() {
                    let r = plant_row(yi, i);
                    let places = plant_fields(modal_row(r))
                        .iter()
                        .map(|&f| (usize::from(f), Place::Plant(r, f)))
                        .chain(
                            (0..p.components())
                                .map(|k| (4 + k, Place::Component(component_row(yi, i, k)))),
                        );
                    for (f, place) in places {
                        let column: Vec<f64> = results
                            .iter()
                            .map(|r| r.get(yi * width + f).copied().unwrap_or(0.0))
                            .collect();
                        let first = column.first().copied().unwrap_or(0.0);
                        let is_output = f == 2;
                        if column.iter().all(|v| v.to_bits() == first.to_bits()) {
                            numbers.constant(place, first);
                            if is_output {
                                template[yi * per_year + i] = first;
                            }
                            continue;
                        }
                        targets.push(numbers.summed(place));
                        if is_output {
                            targets.push(yi * per_year + i);
                            varies[yi * per_year + i] = true;
                            columns.push(column.clone());
                        }
                        columns.push(column);
                    }
                }
                let mut values = Vec::with_capacity(combinations * targets.len());
                for combination in 0..combinations {
                    values.extend(columns.iter().map(|c| c[combination]));
                }
                tables.push(Table {
                    digits: digits
                        .iter()
                        .zip(&strides)
                        .map(|(&(j, first, count), &stride)| (j, first, count, stride))
                        .collect(),
                    targets,
                    values,
                });
                continue;
            }
            // What each component's volume reads, and whether a drawn input writes it.
            let existing_drawn = slots.iter().any(|s| {
                matches!(s, InputSlot::Growth(q) | InputSlot::Waypoint(q, _) if *q == i)
                    || matches!(s, InputSlot::BaseOutput(_))
            });
            let programme_drawn = |k: usize| {
                slots.iter().any(|s| {
                    matches!(s, InputSlot::Peak(q) | InputSlot::Start(q) | InputSlot::RampYears(q)
                        | InputSlot::Ends(q) | InputSlot::Happens(q) if *q == k)
                })
            };
            for (yi, &year) in years.iter().enumerate() {
                let r = plant_row(yi, i);
                if !reached[i][yi] {
                    for &f in plant_fields(modal_row(r)) {
                        let value = modal_row(r).map_or(0.0, |row| plant_field(row, f));
                        numbers.constant(Place::Plant(r, f), value);
                    }
                    for k in 0..p.components() {
                        let c = component_row(yi, i, k);
                        numbers.constant(Place::Component(c), modal_component(c));
                    }
                    continue;
                }
                let mut at = [dump; 4];
                for &f in plant_fields(modal_row(r)) {
                    at[usize::from(f)] = numbers.summed(Place::Plant(r, f));
                }
                let start = components.len();
                let mut k = 0;
                if let Some(base) = p.base_output {
                    let volume = if existing_drawn {
                        Volume::Existing
                    } else {
                        Volume::Fixed(existing_output(&p.existing, inputs.base_year, base, year))
                    };
                    let at = numbers.summed(Place::Component(component_row(yi, i, k)));
                    components.push(ComponentJob { at, volume });
                    k += 1;
                }
                for &q in &p.programmes {
                    let volume = if programme_drawn(q) {
                        Volume::Programme(q)
                    } else {
                        Volume::Fixed(programme_volume(&inputs.programmes[q], year))
                    };
                    let at = numbers.summed(Place::Component(component_row(yi, i, k)));
                    components.push(ComponentJob { at, volume });
                    k += 1;
                }
                varies[yi * per_year + i] = true;
                direct.push(DirectYear {
                    plant: i,
                    year,
                    at,
                    row: yi * per_year + i,
                    components: start..components.len(),
                });
            }
        }

        let mut residuals = Vec::new();
        if !relevant[n].is_empty() {
            for (yi, &year) in years.iter().enumerate() {
                for (s, segment) in Segment::ALL.into_iter().enumerate() {
                    let r = plant_row(yi, n + s);
                    let c = component_row(yi, n + s, 0);
                    let modal_value = |f| modal_row(r).map_or(0.0, |row| plant_field(row, f));
                    if !reached[n][yi] {
                        for &f in plant_fields(modal_row(r)) {
                            numbers.constant(Place::Plant(r, f), modal_value(f));
                        }
                        numbers.constant(Place::Component(c), modal_component(c));
                        continue;
                    }
                    // A residual row's capacity and constrained are never written by a draw.
                    let mut at = [dump; 4];
                    for &f in plant_fields(modal_row(r)) {
                        if f == 0 || f == 2 {
                            at[usize::from(f)] = numbers.summed(Place::Plant(r, f));
                        } else {
                            numbers.constant(Place::Plant(r, f), modal_value(f));
                        }
                    }
                    residuals.push(ResidualYear {
                        segment,
                        year,
                        demand: at[0],
                        output: at[2],
                        component: numbers.summed(Place::Component(c)),
                        row: yi * per_year + n + s,
                    });
                    varies[yi * per_year + n + s] = true;
                }
            }
        }

        let mut national = Vec::new();
        let mut terms = Vec::new();
        let projected = modal
            .national
            .iter()
            .enumerate()
            .filter(|(_, row)| row.source == Source::Projected);
        for ((r, row), yi) in projected.zip(0..years.len()) {
            let mut start = [0.0; 2];
            let mut ranges = [0..0, 0..0];
            for (s, segment) in Segment::ALL.into_iter().enumerate() {
                let first = terms.len();
                let places = (0..n)
                    .filter(|&j| inputs.plants[j].segment == segment)
                    .chain([n + s])
                    .map(|j| yi * per_year + j);
                for place in places {
                    if terms.len() > first || varies[place] {
                        terms.push(place);
                    } else {
                        start[s] += template[place];
                    }
                }
                ranges[s] = first..terms.len();
            }
            let path = row.target_path.unwrap_or(0.0);
            let present = [
                true,
                row.commercial_vehicles.is_some(),
                row.total.is_some(),
                row.gap.is_some(),
            ];
            let mut at = [dump; 4];
            let varying = ranges.iter().any(|t| !t.is_empty());
            let [cars, cvs] = start;
            let constants = [cars, cvs, cars + cvs, cars + cvs - path];
            for f in 0..4u8 {
                let place = Place::National(r, f);
                if !present[usize::from(f)] {
                    continue;
                }
                if varying {
                    at[usize::from(f)] = numbers.summed(place);
                } else {
                    numbers.constant(place, constants[usize::from(f)]);
                }
            }
            national.push(NationalYearPlan {
                start,
                terms: ranges,
                path,
                at,
            });
        }

        DrawPlan {
            rows,
            summed: numbers.summed,
            template,
            direct,
            components,
            residuals,
            tables,
            national,
            terms,
            numbers: numbers.list,
        }
    }

    /// A buffer for one thread's draws, ready for the first.
    pub fn buffer(&self) -> Vec<f64> {
        let mut buffer = self.template.clone();
        buffer.resize(self.rows + 1 + self.summed, 0.0);
        buffer
    }

    /// How many numbers can differ between draws.
    pub fn summed_len(&self) -> usize {
        self.summed
    }

    /// The numbers of a draw in `buffer` that can differ between draws, in the order
    /// [`Value::Summed`] counts them.
    pub fn summed<'a>(&self, buffer: &'a [f64]) -> &'a [f64] {
        buffer.get(self.rows + 1..).unwrap_or(&[])
    }

    /// How many plants are tabulated by the combinations of their inputs' values.
    #[cfg(test)]
    pub(crate) fn tabulated(&self) -> usize {
        self.tables.len()
    }

    /// Every number of a projection that the drawn inputs reach, and what it is in a draw.
    pub fn numbers(&self) -> &[(Place, Value)] {
        &self.numbers
    }

    /// One draw: `inputs` hold the drawn values, which `values` gives again in the order of the
    /// plan's [`Drawn`] inputs. Writes into `buffer` (from [`DrawPlan::buffer`], kept between
    /// draws) and each projected year's national total into `totals`.
    pub fn draw(&self, inputs: &Inputs, values: &[f64], buffer: &mut [f64], totals: &mut [f64]) {
        for t in &self.tables {
            let mut index = 0;
            for &(j, first, count, stride) in &t.digits {
                // Always a whole number below `count`: the values were listed from the range
                // the draw takes them from (see `Drawn::values`).
                let digit = values.get(j).map_or(0.0, |v| v - first);
                index += stride * (digit.max(0.0) as usize).min(count - 1);
            }
            let width = t.targets.len();
            if let Some(row) = t.values.get(index * width..(index + 1) * width) {
                for (&at, &v) in t.targets.iter().zip(row) {
                    buffer[at] = v;
                }
            }
        }
        for d in &self.direct {
            let v = plant_values(inputs, d.plant, d.year);
            buffer[d.at[0]] = v.demand;
            buffer[d.at[1]] = v.capacity;
            buffer[d.at[2]] = v.output;
            buffer[d.at[3]] = v.constrained;
            buffer[d.row] = v.output;
            for job in &self.components[d.components.clone()] {
                let volume = match job.volume {
                    Volume::Fixed(v) => v,
                    Volume::Existing => inputs.plants.get(d.plant).map_or(0.0, |p| {
                        p.base_output.map_or(0.0, |base| {
                            existing_output(&p.existing, inputs.base_year, base, d.year)
                        })
                    }),
                    Volume::Programme(k) => inputs
                        .programmes
                        .get(k)
                        .map_or(0.0, |p| programme_volume(p, d.year)),
                };
                buffer[job.at] = volume * v.kept;
            }
        }
        for r in &self.residuals {
            let (demand, output) = residual_values(inputs, r.segment, r.year);
            buffer[r.demand] = demand;
            buffer[r.output] = output;
            buffer[r.component] = output;
            buffer[r.row] = output;
        }
        for (plan, total) in self.national.iter().zip(totals.iter_mut()) {
            let sum = |s: usize| {
                self.terms[plan.terms[s].clone()]
                    .iter()
                    .fold(plan.start[s], |sum, &t| sum + buffer[t])
            };
            let (cars, cvs) = (sum(0), sum(1));
            buffer[plan.at[0]] = cars;
            buffer[plan.at[1]] = cvs;
            buffer[plan.at[2]] = cars + cvs;
            buffer[plan.at[3]] = cars + cvs - plan.path;
            *total = cars + cvs;
        }
    }

    /// Write into `projection` each number the drawn inputs reach, as `value` gives it.
    pub fn write(&self, projection: &mut Projection, mut value: impl FnMut(Value) -> f64) {
        for &(place, v) in &self.numbers {
            let x = value(v);
            match place {
                Place::Plant(r, f) => {
                    if let Some(row) = projection.plants.get_mut(r) {
                        match f {
                            0 => row.demand = x,
                            1 => {
                                if let Some(c) = row.capacity.as_mut() {
                                    *c = x;
                                }
                            }
                            2 => row.output = x,
                            _ => row.constrained = x,
                        }
                    }
                }
                Place::Component(c) => {
                    if let Some(row) = projection.components.get_mut(c) {
                        row.output = x;
                    }
                }
                Place::National(r, f) => {
                    if let Some(row) = projection.national.get_mut(r) {
                        let field = match f {
                            0 => Some(&mut row.cars),
                            1 => row.commercial_vehicles.as_mut(),
                            2 => row.total.as_mut(),
                            _ => row.gap.as_mut(),
                        };
                        if let Some(field) = field {
                            *field = x;
                        }
                    }
                }
            }
        }
    }
}

impl Projection {
    /// Every number that depends on the scenario's inputs, in a fixed order: plant rows
    /// (demand, capacity, output, constrained), components, then projected national rows
    /// (cars, commercial vehicles, total, gap). Draws add these up to take their mean.
    pub fn for_each_number(&mut self, mut f: impl FnMut(&mut f64)) {
        for row in &mut self.plants {
            f(&mut row.demand);
            if let Some(c) = row.capacity.as_mut() {
                f(c);
            }
            f(&mut row.output);
            f(&mut row.constrained);
        }
        for row in &mut self.components {
            f(&mut row.output);
        }
        for row in self
            .national
            .iter_mut()
            .filter(|n| n.source == Source::Projected)
        {
            f(&mut row.cars);
            for v in [&mut row.commercial_vehicles, &mut row.total, &mut row.gap]
                .into_iter()
                .flatten()
            {
                f(v);
            }
        }
    }

    /// The projected numbers of the powertrain, battery and jobs tables, in a fixed order.
    pub fn for_each_derived_number(&mut self, mut f: impl FnMut(&mut f64)) {
        for row in self
            .powertrain
            .iter_mut()
            .filter(|r| r.source == Source::Projected)
        {
            row.volumes.iter_mut().for_each(&mut f);
        }
        for row in self
            .batteries
            .iter_mut()
            .filter(|r| r.source == Source::Projected)
        {
            f(&mut row.demand_gwh);
            f(&mut row.capacity_gwh);
            f(&mut row.shortfall_gwh);
        }
        let base_year = self.base_year;
        for row in self.jobs.iter_mut().filter(|r| r.year > base_year) {
            f(&mut row.existing);
            f(&mut row.programmes);
        }
    }

    /// Recompute the headline figures from the national rows (after the rows were changed).
    pub fn resummarise(&mut self) {
        self.summary = summarise(self);
    }
}

fn summarise(p: &Projection) -> Summary {
    let (national, base_year, target, end_year) = (&p.national, p.base_year, p.target, p.end_year);
    let base_total = p.summary.base_total;
    let total_in = |year: i32| {
        national
            .iter()
            .find(|n| n.year == year)
            .and_then(|n| n.total)
            .unwrap_or(0.0)
    };
    let end_total = total_in(end_year);
    let end_target_path = target_path(base_year, base_total, target, end_year);
    let growth_year = target.year.min(end_year);
    let years = f64::from(growth_year - base_year);
    let rate = |to: f64| (to / base_total).powf(1.0 / years) - 1.0;
    let projected = || national.iter().filter(|n| n.source == Source::Projected);
    // Half a vehicle of slack, so a total that rounds to the path counts as on it.
    let on_path = |n: &NationalYear| n.gap.is_some_and(|g| g >= -0.5);
    Summary {
        base_total,
        end_total,
        end_target_path,
        end_gap: end_total - end_target_path,
        share_of_target: end_total / target.volume,
        growth_year,
        growth_needed: rate(target_path(base_year, base_total, target, growth_year)),
        growth_projected: rate(total_in(growth_year)),
        first_year_on_target: projected().find(|n| on_path(n)).map(|n| n.year),
        on_target_from: projected()
            .rev()
            .take_while(|n| on_path(n))
            .last()
            .map(|n| n.year),
    }
}

/// The first number of a projection that is not finite, said in words ("plant `x`'s output in
/// 2031"), or `None` when every number is finite. Validation bounds every input so that this
/// cannot happen; the check stays so that no `inf` or `NaN` is ever written out.
pub fn first_non_finite(p: &Projection) -> Option<String> {
    let bad = |v: f64| !v.is_finite();
    for row in &p.plants {
        for (what, v) in [
            ("demand", row.demand),
            ("capacity", row.capacity.unwrap_or(0.0)),
            ("output", row.output),
            ("constrained output", row.constrained),
        ] {
            if bad(v) {
                return Some(format!(
                    "plant `{}`'s {what} in {} is {v}",
                    row.plant_id, row.year
                ));
            }
        }
    }
    for row in &p.components {
        if bad(row.output) {
            return Some(format!(
                "the output of `{}` at plant `{}` in {} is {}",
                row.component, row.plant_id, row.year, row.output
            ));
        }
    }
    let s = &p.summary;
    for (what, v) in [
        ("growth needed", s.growth_needed),
        ("projected growth", s.growth_projected),
        ("share of the target", s.share_of_target),
    ] {
        if bad(v) {
            return Some(format!("the {what} to {} is {v}", s.growth_year));
        }
    }
    for row in &p.national {
        let values = [
            ("cars", Some(row.cars)),
            ("commercial vehicles", row.commercial_vehicles),
            ("total", row.total),
            ("target path", row.target_path),
            ("gap", row.gap),
        ];
        for (what, v) in values {
            if let Some(v) = v.filter(|v| bad(*v)) {
                return Some(format!("the national {what} in {} is {v}", row.year));
            }
        }
    }
    None
}

/// An error unless every number of the projection is finite, naming the scenario and the
/// first number that is not.
pub fn ensure_finite(p: &Projection, what: &str) -> anyhow::Result<()> {
    match first_non_finite(p) {
        None => Ok(()),
        Some(problem) => anyhow::bail!(
            "scenario `{}`: {what} has a number that is not finite: {problem}; an input is too large for the projection (check the scenario's capacities, peaks and growth rates, and the data)",
            p.scenario
        ),
    }
}
