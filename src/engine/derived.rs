//! Beyond the headcount: output by powertrain, battery demand against UK cell capacity, and
//! direct jobs, all worked out from the vehicles the projection already builds.

use super::inputs::{IndustryInputs, Inputs};
use super::rules::{existing_output, programme_volume};
use super::{EXISTING, Projection, Source};
use crate::data::{Dataset, Mix, Powertrain, Segment, step_capacity};
use crate::scenario::ExistingJobs;

/// Output of one segment in one year, by powertrain.
#[derive(Debug, Clone, PartialEq)]
pub struct PowertrainYear {
    /// Calendar year.
    pub year: i32,
    /// Cars or commercial vehicles.
    pub segment: Segment,
    /// The data's split (base year) or projected.
    pub source: Source,
    /// Vehicles by powertrain, in [`Powertrain::ALL`] order.
    pub volumes: [f64; 4],
}

impl PowertrainYear {
    /// All vehicles.
    pub fn total(&self) -> f64 {
        self.volumes.iter().sum()
    }

    /// BEV + PHEV + HEV.
    pub fn electrified(&self) -> f64 {
        self.volumes[..3].iter().sum()
    }

    /// Vehicles of one powertrain.
    pub fn of(&self, p: Powertrain) -> f64 {
        self.volumes[p.index()]
    }
}

/// Share of `part` in `whole`, 0 when there is no whole.
pub fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 { part / whole } else { 0.0 }
}

/// Battery demand and UK cell capacity in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct BatteryYear {
    /// Calendar year.
    pub year: i32,
    /// The base year (from the data's split and typical sizes) or projected.
    pub source: Source,
    /// GWh of cells the year's UK-built vehicles carry.
    pub demand_gwh: f64,
    /// GWh a year UK cell plants can make.
    pub capacity_gwh: f64,
    /// Demand UK cells cannot meet: demand less capacity, 0 when capacity covers it.
    pub shortfall_gwh: f64,
}

/// Direct jobs at one plant in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct JobsYear {
    /// Calendar year.
    pub year: i32,
    /// Plant id.
    pub plant_id: String,
    /// What charts call it.
    pub plant: String,
    /// Jobs in existing production (the data's headcount, by the scenario's rule).
    pub existing: f64,
    /// Jobs in the programmes at the plant, and a new plant's own.
    pub programmes: f64,
    /// The year the data's headcount describes, where the plant has one.
    pub figure_year: Option<i32>,
}

impl JobsYear {
    /// All direct jobs at the plant.
    pub fn jobs(&self) -> f64 {
        self.existing + self.programmes
    }
}

/// A mix at `year` on a path of mixes: straight lines between the points, flat after the last.
pub fn mix_at(path: &[(i32, Mix)], year: i32) -> Mix {
    let Some(&(mut y0, mut m0)) = path.first() else {
        return [0.0, 0.0, 0.0, 1.0];
    };
    for &(y, m) in &path[1..] {
        if year <= y {
            let t = f64::from(year - y0) / f64::from(y - y0);
            return std::array::from_fn(|i| m0[i] + (m[i] - m0[i]) * t.max(0.0));
        }
        (y0, m0) = (y, m);
    }
    m0
}

/// GWh of cells in `vehicles` built to `mix` with `kwh` per vehicle of each powertrain.
pub fn battery_gwh(vehicles: f64, mix: &Mix, kwh: &[f64; 4]) -> f64 {
    let per_vehicle: f64 = mix.iter().zip(kwh).map(|(m, k)| m * k).sum();
    vehicles * per_vehicle / 1e6
}

/// Jobs in a plant's existing production in `year`: by [`ExistingJobs::Held`], the headcount
/// while the plant is open; by [`ExistingJobs::FollowOutput`], the headcount scaled by
/// existing production against the base year. None once it has closed.
pub fn existing_jobs(
    rule: ExistingJobs,
    employees: f64,
    base: f64,
    existing: f64,
    closed: bool,
) -> f64 {
    if closed {
        return 0.0;
    }
    match rule {
        ExistingJobs::Held => employees,
        ExistingJobs::FollowOutput if base > 0.0 => employees * existing / base,
        ExistingJobs::FollowOutput => 0.0,
    }
}

/// Jobs in a programme: its jobs at peak, times how far its volume (after capacity, before
/// shocks: a stoppage does not lay people off) has ramped towards its peak.
pub fn programme_jobs(jobs: f64, volume: f64, peak: f64) -> f64 {
    if peak > 0.0 {
        jobs * (volume / peak).min(1.0)
    } else {
        0.0
    }
}

/// UK cell capacity in `year`, GWh a year.
pub fn cell_capacity(industry: &IndustryInputs, year: i32) -> f64 {
    industry
        .battery_plants
        .iter()
        .map(|path| step_capacity(path, year))
        .sum()
}

/// The share of a plant's demand its capacity lets it build, before shocks: what programme
/// jobs ramp with (a stoppage lays nobody off).
fn capacity_scale(demand: f64, constrained: f64) -> f64 {
    if demand > 0.0 {
        (demand - constrained) / demand
    } else {
        0.0
    }
}

/// Rule 14 for a plant's existing production in `year`: its headcount by the scenario's
/// rule, none once it has closed. Every command and draw counts existing jobs here.
fn existing_jobs_at(inputs: &Inputs, plant: usize, year: i32) -> f64 {
    let (Some(p), Some(pi)) = (inputs.plants.get(plant), inputs.industry.plants.get(plant)) else {
        return 0.0;
    };
    let (Some(employees), Some(base)) = (pi.employees, p.base_output) else {
        return 0.0;
    };
    let rule = inputs.industry.existing_jobs;
    // Held jobs do not read the plant's output.
    let existing = match rule {
        ExistingJobs::FollowOutput => existing_output(&p.existing, inputs.base_year, base, year),
        ExistingJobs::Held => base,
    };
    existing_jobs(
        rule,
        employees,
        base,
        existing,
        p.closes.is_some_and(|c| year >= c),
    )
}

/// Rule 14 for a plant's programmes in `year`: each programme's jobs as it ramps, and a new
/// plant's own jobs as all its programmes ramp together; `scale` is [`capacity_scale`].
fn programme_jobs_at(inputs: &Inputs, plant: usize, year: i32, scale: f64) -> f64 {
    let industry = &inputs.industry;
    let (Some(p), Some(pi)) = (inputs.plants.get(plant), industry.plants.get(plant)) else {
        return 0.0;
    };
    // A plant a draw does not build has no programmes (rule 3), so no programme jobs.
    if !p.built {
        return 0.0;
    }
    let (mut jobs_sum, mut volume_sum, mut peak_sum) = (0.0, 0.0, 0.0);
    for &k in &p.programmes {
        let (Some(pr), Some(pj)) = (inputs.programmes.get(k), industry.programmes.get(k)) else {
            continue;
        };
        // Only a new plant's own jobs need the volumes of programmes without jobs.
        if pj.jobs.is_none() && pi.jobs.is_none() {
            continue;
        }
        let volume = programme_volume(pr, year) * scale;
        if let Some(jobs) = pj.jobs {
            jobs_sum += programme_jobs(jobs, volume, pr.peak);
        }
        volume_sum += volume;
        peak_sum += pr.peak;
    }
    jobs_sum
        + pi.jobs
            .map_or(0.0, |jobs| programme_jobs(jobs, volume_sum, peak_sum))
}

/// Whether a plant has jobs to count: a headcount in the data, new-plant jobs, or a
/// programme with jobs.
fn counts_jobs(inputs: &Inputs, plant: usize) -> bool {
    let i = &inputs.industry;
    i.plants[plant].employees.is_some()
        || i.plants[plant].jobs.is_some()
        || inputs.plants[plant]
            .programmes
            .iter()
            .any(|&k| i.programmes[k].jobs.is_some())
}

/// The rows of the three tables with every projected number zero, and the base year's from
/// the data: built once, then [`fill_derived`] writes the projected years.
pub fn skeleton_rows(data: &Dataset, inputs: &Inputs, projection: &mut Projection) {
    let base_year = inputs.base_year;
    let industry = &data.industry;
    if inputs.industry.has_powertrain {
        for segment in Segment::ALL {
            projection.powertrain.push(PowertrainYear {
                year: base_year,
                segment,
                source: Source::Actual,
                volumes: data.powertrain_volumes(segment),
            });
        }
        for year in inputs.years() {
            for segment in Segment::ALL {
                projection.powertrain.push(PowertrainYear {
                    year,
                    segment,
                    source: Source::Projected,
                    volumes: [0.0; 4],
                });
            }
        }
        // Base-year demand: the data's split of each plant times its typical battery sizes.
        let mut demand = 0.0;
        for (id, row) in &industry.powertrain {
            let segment = data.segment_of(id).unwrap_or(Segment::Car);
            let kwh = Powertrain::ALL.map(|p| industry.kwh(Some(id), segment, p));
            demand += battery_gwh(row.total() as f64, &row.mix(), &kwh);
        }
        let capacity = cell_capacity(&inputs.industry, base_year);
        projection.batteries.push(BatteryYear {
            year: base_year,
            source: Source::Actual,
            demand_gwh: demand,
            capacity_gwh: capacity,
            shortfall_gwh: (demand - capacity).max(0.0),
        });
        for year in inputs.years() {
            projection.batteries.push(BatteryYear {
                year,
                source: Source::Projected,
                demand_gwh: 0.0,
                capacity_gwh: 0.0,
                shortfall_gwh: 0.0,
            });
        }
    }
    let counted: Vec<usize> = (0..inputs.plants.len())
        .filter(|&i| counts_jobs(inputs, i))
        .collect();
    for year in std::iter::once(base_year).chain(inputs.years()) {
        for &i in &counted {
            let existing = if year == base_year {
                inputs.industry.plants[i].employees.unwrap_or(0.0)
            } else {
                0.0
            };
            projection.jobs.push(JobsYear {
                year,
                plant_id: inputs.plant_names[i].id.clone(),
                plant: inputs.plant_names[i].short_name.clone(),
                existing,
                programmes: 0.0,
                figure_year: data
                    .industry
                    .employees(&inputs.plant_names[i].id)
                    .filter(|_| i < inputs.first_new_plant)
                    .map(|e| e.year),
            });
        }
    }
}

/// Write the projected years of the three tables from the projection's plant and component
/// rows (already filled for the same inputs).
pub fn fill_derived(inputs: &Inputs, projection: &mut Projection) {
    let industry = &inputs.industry;
    let years = (inputs.end_year - inputs.base_year).max(0) as usize;
    let per_year_plants = inputs.plants.len() + 2;
    let mut gwh = vec![0.0; years];
    let mut jobs_rows = projection
        .jobs
        .iter_mut()
        .filter(|j| j.year > inputs.base_year);
    let mut components = projection.components.iter();
    for (y, year) in inputs.years().enumerate() {
        let plant_rows = &projection.plants[(y + 1) * per_year_plants..(y + 2) * per_year_plants];
        for (i, p) in inputs.plants.iter().enumerate() {
            let pi = &industry.plants[i];
            if p.base_output.is_some()
                && let Some(c) = components.next()
            {
                debug_assert_eq!(c.component, EXISTING);
                let mix = mix_at(&pi.mix, year);
                gwh[y] += battery_gwh(c.output, &mix, &pi.kwh);
            }
            for &k in &p.programmes {
                let Some(c) = components.next() else { break };
                let pr = &industry.programmes[k];
                gwh[y] += battery_gwh(c.output, &pr.mix, &pr.kwh);
            }
            if counts_jobs(inputs, i)
                && let Some(row) = jobs_rows.next()
            {
                let plant = &plant_rows[i];
                let scale = capacity_scale(plant.demand, plant.constrained);
                row.existing = existing_jobs_at(inputs, i, year);
                row.programmes = programme_jobs_at(inputs, i, year, scale);
            }
        }
        for (s, _) in Segment::ALL.iter().enumerate() {
            let Some(c) = components.next() else { break };
            let mix = industry.residual_mix[s];
            gwh[y] += battery_gwh(c.output, &mix, &industry.residual_kwh[s]);
        }
    }
    if !industry.has_powertrain {
        return;
    }
    fill_powertrain(inputs, projection);
    for row in projection
        .batteries
        .iter_mut()
        .filter(|r| r.source == Source::Projected)
    {
        let y = (row.year - inputs.base_year - 1) as usize;
        row.demand_gwh = gwh[y];
        row.capacity_gwh = cell_capacity(industry, row.year);
        row.shortfall_gwh = (row.demand_gwh - row.capacity_gwh).max(0.0);
    }
}

impl Projection {
    /// Both segments' output by powertrain in a year, added up.
    pub fn powertrain_in(&self, year: i32) -> Option<PowertrainYear> {
        let mut rows = self.powertrain.iter().filter(|r| r.year == year);
        let first = rows.next()?.clone();
        Some(rows.fold(first, |mut all, r| {
            for (a, v) in all.volumes.iter_mut().zip(r.volumes) {
                *a += v;
            }
            all
        }))
    }

    /// The electrified share of all output in a year (cars and commercial vehicles).
    pub fn electrified_share(&self, year: i32) -> Option<f64> {
        self.powertrain_in(year)
            .map(|r| share(r.electrified(), r.total()))
    }

    /// Battery demand and cell capacity in a year.
    pub fn battery_year(&self, year: i32) -> Option<&BatteryYear> {
        self.batteries.iter().find(|b| b.year == year)
    }

    /// Direct jobs at every plant counted, in a year.
    pub fn jobs_in(&self, year: i32) -> f64 {
        self.jobs
            .iter()
            .filter(|j| j.year == year)
            .map(JobsYear::jobs)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mix_moves_in_straight_lines_between_waypoints_and_holds_after() {
        let path = [(2025, [0.0, 0.0, 0.5, 0.5]), (2030, [1.0, 0.0, 0.0, 0.0])];
        // Two of five years along: 40% of the way from the base mix to the 2030 one.
        let m = mix_at(&path, 2027);
        assert!(
            (m[0] - 0.4).abs() < 1e-12 && (m[2] - 0.3).abs() < 1e-12 && (m[3] - 0.3).abs() < 1e-12
        );
        assert_eq!(mix_at(&path, 2034), [1.0, 0.0, 0.0, 0.0]);
        assert_eq!(mix_at(&path, 2025), [0.0, 0.0, 0.5, 0.5]);
    }

    #[test]
    fn battery_demand_is_vehicles_times_kwh_in_gwh() {
        // 55,000 vehicles, 60% BEV at 61 kWh and 40% PHEV at 18.3 kWh:
        // 33,000 x 61 + 22,000 x 18.3 = 2,013,000 + 402,600 kWh = 2.4156 GWh.
        let g = battery_gwh(55_000.0, &[0.6, 0.4, 0.0, 0.0], &[61.0, 18.3, 1.5, 0.0]);
        assert!((g - 2.4156).abs() < 1e-9, "{g}");
    }

    #[test]
    fn jobs_ramp_with_the_programme_and_stop_at_closure() {
        // A third of the way up a 55,000 peak: a third of 1,500 jobs.
        assert!((programme_jobs(1_500.0, 55_000.0 / 3.0, 55_000.0) - 500.0).abs() < 1e-9);
        assert_eq!(programme_jobs(1_500.0, 60_000.0, 55_000.0), 1_500.0);
        assert_eq!(
            existing_jobs(ExistingJobs::Held, 3_500.0, 44_282.0, 20_000.0, false),
            3_500.0
        );
        assert_eq!(
            existing_jobs(ExistingJobs::Held, 3_500.0, 44_282.0, 20_000.0, true),
            0.0
        );
        // Following output: half the vehicles, half the people.
        assert_eq!(
            existing_jobs(
                ExistingJobs::FollowOutput,
                6_000.0,
                200_000.0,
                100_000.0,
                false
            ),
            3_000.0
        );
    }
}

/// Where a component's output comes from in a draw.
#[derive(Debug, Clone, Copy)]
enum Output {
    /// The k-th number a [`super::DrawPlan`] sums.
    Summed(usize),
    /// The same in every draw.
    Fixed(f64),
}

/// GWh per vehicle of a component: fixed, or a programme's drawn battery sizes.
#[derive(Debug, Clone, Copy)]
enum PerVehicle {
    Fixed(f64),
    Programme(usize),
}

/// A component whose electrified output or battery demand can differ between draws.
#[derive(Debug, Clone, Copy)]
struct Term {
    output: Output,
    /// Its electrified share.
    electrified: f64,
    gwh: PerVehicle,
}

/// A plant's jobs in one year, computed in every draw.
#[derive(Debug, Clone, Copy)]
struct JobsTerm {
    plant: usize,
    year: i32,
    /// Its place among the derived numbers (existing; programmes is the next).
    at: usize,
    /// The plant row's demand and constrained output in the draw.
    demand: Output,
    constrained: Output,
    /// Whether its existing jobs, and its programmes' jobs, can differ between draws.
    existing: bool,
    programmes: bool,
}

/// What a draw computes of the powertrain, battery and jobs tables, planned once for a set of
/// drawn inputs alongside a [`super::DrawPlan`]: the parts no drawn input reaches are added up
/// once, and a draw adds only the components and plants its inputs reach.
///
/// A draw writes the battery and jobs numbers, in [`Projection::for_each_derived_number`]'s
/// order, into a buffer; those that can differ between draws are summed for their means. The
/// output by powertrain is a fixed share of each component's output, so its means are worked
/// out from the expected components ([`fill_powertrain`]); a draw only adds up its
/// electrified vehicles, for the spread of the electrified share.
#[derive(Debug, Clone)]
pub struct DerivedPlan {
    years: Vec<i32>,
    has_powertrain: bool,
    /// Each year's electrified vehicles and GWh that no drawn input reaches.
    start: Vec<(f64, f64)>,
    /// Each year's terms a draw adds: (summed number, electrified share, GWh per vehicle) for
    /// the common case of a drawn output and fixed battery sizes, in a tight loop ...
    fast: Vec<Vec<(usize, f64, f64)>>,
    /// ... and the rest (a programme's drawn battery sizes).
    terms: Vec<Vec<Term>>,
    /// Whether a cell plant's capacity is drawn.
    cells_drawn: bool,
    jobs: Vec<JobsTerm>,
    /// Every derived number in the modal case.
    template: Vec<f64>,
    /// The derived numbers that can differ between draws, by place.
    varying: Vec<usize>,
}

impl DerivedPlan {
    /// Plan the derived tables of the draws whose vehicle numbers `numbers` (a
    /// [`super::DrawPlan`]'s) says, for the inputs in `slots`.
    pub fn new(
        inputs: &Inputs,
        modal: &Projection,
        numbers: &[(super::Place, super::Value)],
        drawn: &[super::Drawn],
    ) -> DerivedPlan {
        use super::{InputSlot, Place, Value};
        let industry = &inputs.industry;
        let slots: Vec<InputSlot> = drawn.iter().map(|d| d.slot).collect();
        // The earliest year each programme can start in any draw: before it, its jobs are 0
        // in every draw, as in the modal case.
        let mut earliest: Vec<i32> = inputs.programmes.iter().map(|p| p.start).collect();
        for d in drawn {
            if let InputSlot::Start(k) = d.slot
                && let Some(e) = earliest.get_mut(k)
            {
                *e = match d.values {
                    Some((first, _)) => (*e).min(first as i32),
                    None => i32::MIN,
                };
            }
        }
        let years: Vec<i32> = inputs.years().collect();
        let per_year = inputs.plants.len() + 2;
        let mut component_output: Vec<Option<Output>> = vec![None; modal.components.len()];
        let mut plant_field: std::collections::HashMap<(usize, u8), Output> =
            std::collections::HashMap::new();
        for &(place, value) in numbers {
            let output = match value {
                Value::Summed(k) => Output::Summed(k),
                Value::Constant(c) => Output::Fixed(c),
            };
            match place {
                Place::Component(c) => {
                    if let Some(slot) = component_output.get_mut(c) {
                        *slot = Some(output);
                    }
                }
                Place::Plant(r, f) => {
                    plant_field.insert((r, f), output);
                }
                Place::National(..) => {}
            }
        }
        let mut kwh_drawn = vec![false; inputs.programmes.len()];
        // Per plant: whether its existing jobs, and its programmes' jobs, can move.
        let mut existing_moves = vec![false; inputs.plants.len()];
        let mut jobs_reached = vec![false; inputs.plants.len()];
        let mut cells_drawn = false;
        // Which plants' jobs a drawn input can move: its programmes' or its own jobs, a
        // programme's volume or the plant's capacity where programmes bring jobs, its closing
        // year, and, when jobs follow output, its existing production.
        let programme_jobs_at: Vec<bool> = (0..inputs.plants.len())
            .map(|i| {
                industry.plants[i].jobs.is_some()
                    || inputs.plants[i]
                        .programmes
                        .iter()
                        .any(|&k| industry.programmes[k].jobs.is_some())
            })
            .collect();
        let headcount = |i: usize| {
            industry
                .plants
                .get(i)
                .is_some_and(|p| p.employees.is_some())
        };
        let follows = industry.existing_jobs == ExistingJobs::FollowOutput;
        for &slot in &slots {
            match slot {
                InputSlot::Closes(i) if headcount(i) => existing_moves[i] = true,
                InputSlot::Growth(i) | InputSlot::Waypoint(i, _) if follows && headcount(i) => {
                    existing_moves[i] = true
                }
                InputSlot::BaseOutput(_) if follows => {
                    for (i, e) in existing_moves.iter_mut().enumerate() {
                        *e |= headcount(i);
                        jobs_reached[i] |= programme_jobs_at[i];
                    }
                }
                InputSlot::ProgrammeKwh(k, _) => {
                    if let Some(d) = kwh_drawn.get_mut(k) {
                        *d = true;
                    }
                }
                InputSlot::ProgrammeJobs(k) => {
                    if let Some(p) = inputs.programmes.get(k)
                        && let Some(r) = jobs_reached.get_mut(p.plant)
                    {
                        *r = true;
                    }
                }
                InputSlot::PlantJobs(i) => {
                    if let Some(r) = jobs_reached.get_mut(i) {
                        *r = true;
                    }
                }
                InputSlot::BatteryCapacity(..) => cells_drawn = true,
                // Jobs ramp with output before shocks: a stoppage lays nobody off.
                InputSlot::ShockYear(_) | InputSlot::LostWeeks(_) | InputSlot::ShockHappens(_) => {}
                _ => super::reach(inputs, slot, |part| {
                    if let super::Part::Plant(i) = part
                        && programme_jobs_at.get(i).copied().unwrap_or(false)
                        && let Some(r) = jobs_reached.get_mut(i)
                    {
                        *r = true;
                    }
                }),
            }
        }
        let mut start = vec![(0.0, 0.0); years.len()];
        let mut terms = vec![Vec::new(); years.len()];
        let mut c = 0;
        for (y, &year) in years.iter().enumerate() {
            let mut add = |c: usize, mix: Mix, gwh: PerVehicle| {
                let output = component_output
                    .get(c)
                    .copied()
                    .flatten()
                    .unwrap_or_else(|| {
                        Output::Fixed(modal.components.get(c).map_or(0.0, |row| row.output))
                    });
                let electrified = mix[..3].iter().sum::<f64>();
                match (output, gwh) {
                    (Output::Fixed(v), PerVehicle::Fixed(g)) => {
                        let (e, total) = &mut start[y];
                        *e += v * electrified;
                        *total += v * g;
                    }
                    _ => terms[y].push(Term {
                        output,
                        electrified,
                        gwh,
                    }),
                }
            };
            for (i, p) in inputs.plants.iter().enumerate() {
                if p.base_output.is_some() {
                    let mix = mix_at(&industry.plants[i].mix, year);
                    let g = battery_gwh(1.0, &mix, &industry.plants[i].kwh);
                    add(c, mix, PerVehicle::Fixed(g));
                    c += 1;
                }
                for &k in &p.programmes {
                    let pr = &industry.programmes[k];
                    let g = if kwh_drawn[k] {
                        PerVehicle::Programme(k)
                    } else {
                        PerVehicle::Fixed(battery_gwh(1.0, &pr.mix, &pr.kwh))
                    };
                    add(c, pr.mix, g);
                    c += 1;
                }
            }
            for s in 0..2 {
                let g = battery_gwh(1.0, &industry.residual_mix[s], &industry.residual_kwh[s]);
                add(c, industry.residual_mix[s], PerVehicle::Fixed(g));
                c += 1;
            }
        }
        let mut template = Vec::new();
        let mut probe = modal.clone();
        probe.for_each_derived_number(|v| template.push(*v));
        let mut varying = Vec::new();
        let (p_len, b_len) = if industry.has_powertrain {
            (8 * years.len(), 3 * years.len())
        } else {
            (0, 0)
        };
        if industry.has_powertrain {
            for (y, t) in terms.iter().enumerate() {
                if !t.is_empty() {
                    varying.extend([p_len + y * 3, p_len + y * 3 + 2]);
                }
                if cells_drawn {
                    varying.push(p_len + y * 3 + 1);
                    if t.is_empty() {
                        varying.extend([p_len + y * 3, p_len + y * 3 + 2]);
                    }
                }
            }
        }
        let counted: Vec<usize> = (0..inputs.plants.len())
            .filter(|&i| counts_jobs(inputs, i))
            .collect();
        let mut jobs = Vec::new();
        for (y, &year) in years.iter().enumerate() {
            for (j, &i) in counted.iter().enumerate() {
                // A programme's jobs can move only from the earliest year it can start.
                let own = industry.plants[i].jobs.is_some();
                let can_start = inputs.plants[i].programmes.iter().any(|&k| {
                    (own || industry.programmes[k].jobs.is_some()) && earliest[k] <= year
                });
                let programmes_move = jobs_reached[i] && can_start;
                if !programmes_move && !existing_moves[i] {
                    continue;
                }
                let at = p_len + b_len + (y * counted.len() + j) * 2;
                let row = (y + 1) * per_year + i;
                let field = |f: u8| {
                    plant_field.get(&(row, f)).copied().unwrap_or_else(|| {
                        Output::Fixed(modal.plants.get(row).map_or(0.0, |r| match f {
                            0 => r.demand,
                            _ => r.constrained,
                        }))
                    })
                };
                jobs.push(JobsTerm {
                    plant: i,
                    year,
                    at,
                    demand: field(0),
                    constrained: field(3),
                    existing: existing_moves[i],
                    programmes: programmes_move,
                });
                if existing_moves[i] {
                    varying.push(at);
                }
                if programmes_move {
                    varying.push(at + 1);
                }
            }
        }
        varying.sort_unstable();
        varying.dedup();
        let mut fast = vec![Vec::new(); terms.len()];
        for (year, f) in terms.iter_mut().zip(fast.iter_mut()) {
            year.retain(|t| match (t.output, t.gwh) {
                (Output::Summed(k), PerVehicle::Fixed(g)) => {
                    f.push((k, t.electrified, g));
                    false
                }
                _ => true,
            });
        }
        DerivedPlan {
            years,
            has_powertrain: industry.has_powertrain,
            start,
            fast,
            terms,
            cells_drawn,
            jobs,
            template,
            varying,
        }
    }

    /// A buffer for one thread's draws: every derived number, in the modal case.
    pub fn buffer(&self) -> Vec<f64> {
        self.template.clone()
    }

    /// How many derived numbers can differ between draws.
    pub fn varying_len(&self) -> usize {
        self.varying.len()
    }

    /// One draw's derived numbers into `buffer`, from the inputs of the draw and the numbers
    /// its [`super::DrawPlan`] summed.
    /// `totals` are the draw's national totals, `shares` receives its electrified share of
    /// them, each projected year.
    pub fn draw(
        &self,
        inputs: &Inputs,
        summed: &[f64],
        totals: &[f64],
        buffer: &mut [f64],
        shares: &mut [f32],
    ) {
        let read = |o: Output| match o {
            Output::Summed(k) => summed.get(k).copied().unwrap_or(0.0),
            Output::Fixed(v) => v,
        };
        let industry = &inputs.industry;
        if self.has_powertrain {
            let p_len = 8 * self.years.len();
            for (y, &year) in self.years.iter().enumerate() {
                let (mut electrified, mut gwh) = self.start[y];
                for &(k, e, g) in &self.fast[y] {
                    let v = summed.get(k).copied().unwrap_or(0.0);
                    electrified += v * e;
                    gwh += v * g;
                }
                for t in &self.terms[y] {
                    let v = read(t.output);
                    electrified += v * t.electrified;
                    gwh += v * match t.gwh {
                        PerVehicle::Fixed(g) => g,
                        PerVehicle::Programme(k) => industry
                            .programmes
                            .get(k)
                            .map_or(0.0, |p| battery_gwh(1.0, &p.mix, &p.kwh)),
                    };
                }
                if let (Some(slot), Some(total)) = (shares.get_mut(y), totals.get(y)) {
                    *slot = share(electrified, *total) as f32;
                }
                let at = p_len + y * 3;
                let capacity = if self.cells_drawn {
                    cell_capacity(industry, year)
                } else {
                    buffer[at + 1]
                };
                if !self.terms[y].is_empty() || !self.fast[y].is_empty() || self.cells_drawn {
                    buffer[at] = gwh;
                    buffer[at + 1] = capacity;
                    buffer[at + 2] = (gwh - capacity).max(0.0);
                }
            }
        }
        for j in &self.jobs {
            let Some(p) = inputs.plants.get(j.plant) else {
                continue;
            };
            if j.existing {
                buffer[j.at] = existing_jobs_at(inputs, j.plant, j.year);
            }
            if !j.programmes {
                continue;
            }
            // A plant not built, or none of whose programmes runs this year (as in most draws
            // of an uncertain entrant), has no programme jobs: no need to work out its scale.
            let active = p.built
                && p.programmes.iter().any(|&k| {
                    inputs
                        .programmes
                        .get(k)
                        .is_some_and(|pr| super::programme_fraction(pr, j.year) > 0.0)
                });
            let scale = if active {
                capacity_scale(read(j.demand), read(j.constrained))
            } else {
                0.0
            };
            buffer[j.at + 1] = programme_jobs_at(inputs, j.plant, j.year, scale);
        }
    }

    /// Add a draw's varying derived numbers into `sums`.
    pub fn add(&self, buffer: &[f64], sums: &mut [f64]) {
        for (sum, &at) in sums.iter_mut().zip(&self.varying) {
            *sum += buffer[at];
        }
    }

    /// Whether UK cells cover demand in each projected year of a draw's buffer.
    pub fn covered(&self, buffer: &[f64], out: &mut [usize]) {
        if !self.has_powertrain {
            return;
        }
        let p_len = 8 * self.years.len();
        for (y, c) in out.iter_mut().enumerate().take(self.years.len()) {
            let at = p_len + y * 3;
            if buffer[at] <= buffer[at + 1] {
                *c += 1;
            }
        }
    }

    /// Write the means of the draws into `expected`: a varying number's sum over `count`
    /// draws divided by `count`; every other number is the modal case's.
    pub fn write(&self, expected: &mut Projection, sums: &[f64], count: usize) {
        let mut next = self.varying.iter().zip(sums).peekable();
        let mut k = 0;
        expected.for_each_derived_number(|v| {
            if let Some(&(&at, &sum)) = next.peek()
                && at == k
            {
                *v = sum / count as f64;
                next.next();
            }
            k += 1;
        });
    }
}

/// Output by powertrain of the projected years, from the projection's components: each
/// component's output times its fixed mix. For the expected projection, whose components are
/// the means of the draws, these are the means of the draws' own figures.
pub fn fill_powertrain(inputs: &Inputs, projection: &mut Projection) {
    let industry = &inputs.industry;
    if !industry.has_powertrain {
        return;
    }
    let years = (inputs.end_year - inputs.base_year).max(0) as usize;
    let mut volumes = vec![[[0.0; 4]; 2]; years];
    let mut components = projection.components.iter();
    for (y, year) in inputs.years().enumerate() {
        for (i, p) in inputs.plants.iter().enumerate() {
            let s = usize::from(p.segment == Segment::Cv);
            if p.base_output.is_some()
                && let Some(c) = components.next()
            {
                let mix = mix_at(&industry.plants[i].mix, year);
                for (v, m) in volumes[y][s].iter_mut().zip(mix) {
                    *v += c.output * m;
                }
            }
            for &k in &p.programmes {
                let Some(c) = components.next() else { break };
                for (v, m) in volumes[y][s].iter_mut().zip(industry.programmes[k].mix) {
                    *v += c.output * m;
                }
            }
        }
        for (s, mix) in industry.residual_mix.iter().enumerate() {
            let Some(c) = components.next() else { break };
            for (v, m) in volumes[y][s].iter_mut().zip(mix) {
                *v += c.output * m;
            }
        }
    }
    for row in projection
        .powertrain
        .iter_mut()
        .filter(|r| r.source == Source::Projected)
    {
        let y = (row.year - inputs.base_year - 1) as usize;
        let s = usize::from(row.segment == Segment::Cv);
        if let Some(v) = volumes.get(y) {
            row.volumes = v[s];
        }
    }
}
