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
            let mut volumes = [0.0; 4];
            for (id, row) in &industry.powertrain {
                let of = data
                    .plant(id)
                    .map(|p| p.segment)
                    .or_else(|| Segment::ALL.into_iter().find(|s| s.residual_id() == id));
                if of == Some(segment) {
                    for (v, x) in volumes.iter_mut().zip(row.volumes()) {
                        *v += x;
                    }
                }
            }
            projection.powertrain.push(PowertrainYear {
                year: base_year,
                segment,
                source: Source::Actual,
                volumes,
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
            let (plant, segment) = match data.plant(id) {
                Some(p) => (Some(id.as_str()), p.segment),
                None => (
                    Some(id.as_str()),
                    Segment::ALL
                        .into_iter()
                        .find(|s| s.residual_id() == id)
                        .unwrap_or(Segment::Car),
                ),
            };
            let kwh = Powertrain::ALL.map(|p| industry.kwh(plant, segment, p));
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
    let mut volumes = vec![[[0.0; 4]; 2]; years];
    let mut gwh = vec![0.0; years];
    let mut jobs_rows = projection
        .jobs
        .iter_mut()
        .filter(|j| j.year > inputs.base_year);
    let mut components = projection.components.iter();
    for (y, year) in inputs.years().enumerate() {
        let plant_rows = &projection.plants[(y + 1) * per_year_plants..(y + 2) * per_year_plants];
        for (i, p) in inputs.plants.iter().enumerate() {
            let s = usize::from(p.segment == Segment::Cv);
            let pi = &industry.plants[i];
            let mut programme_jobs_sum = 0.0;
            let mut programme_volume_sum = 0.0;
            let mut peak_sum = 0.0;
            let row = &plant_rows[i];
            // Capacity's share of demand kept, before shocks: what jobs ramp with.
            let scale = if row.demand > 0.0 {
                (row.demand - row.constrained) / row.demand
            } else {
                0.0
            };
            if p.base_output.is_some()
                && let Some(c) = components.next()
            {
                debug_assert_eq!(c.component, EXISTING);
                let mix = mix_at(&pi.mix, year);
                for (v, m) in volumes[y][s].iter_mut().zip(mix) {
                    *v += c.output * m;
                }
                gwh[y] += battery_gwh(c.output, &mix, &pi.kwh);
            }
            for &k in &p.programmes {
                let Some(c) = components.next() else { break };
                let pr = &industry.programmes[k];
                for (v, m) in volumes[y][s].iter_mut().zip(pr.mix) {
                    *v += c.output * m;
                }
                gwh[y] += battery_gwh(c.output, &pr.mix, &pr.kwh);
                let volume = programme_volume(&inputs.programmes[k], year) * scale;
                let peak = inputs.programmes[k].peak;
                if let Some(j) = pr.jobs {
                    programme_jobs_sum += programme_jobs(j, volume, peak);
                }
                if p.built {
                    programme_volume_sum += volume;
                    peak_sum += peak;
                }
            }
            if counts_jobs(inputs, i)
                && let Some(row) = jobs_rows.next()
            {
                let closed = p.closes.is_some_and(|c| year >= c);
                row.existing = match (pi.employees, p.base_output) {
                    (Some(e), Some(base)) => existing_jobs(
                        industry.existing_jobs,
                        e,
                        base,
                        existing_output(&p.existing, inputs.base_year, base, year),
                        closed,
                    ),
                    _ => 0.0,
                };
                // A new plant's own jobs ramp with all its programmes together.
                let own = pi.jobs.map_or(0.0, |j| {
                    if p.built {
                        programme_jobs(j, programme_volume_sum, peak_sum)
                    } else {
                        0.0
                    }
                });
                row.programmes = programme_jobs_sum + own;
            }
        }
        for (s, _) in Segment::ALL.iter().enumerate() {
            let Some(c) = components.next() else { break };
            let mix = industry.residual_mix[s];
            for (v, m) in volumes[y][s].iter_mut().zip(mix) {
                *v += c.output * m;
            }
            gwh[y] += battery_gwh(c.output, &mix, &industry.residual_kwh[s]);
        }
    }
    if !industry.has_powertrain {
        return;
    }
    for row in projection
        .powertrain
        .iter_mut()
        .filter(|r| r.source == Source::Projected)
    {
        let y = (row.year - inputs.base_year - 1) as usize;
        let s = usize::from(row.segment == Segment::Cv);
        row.volumes = volumes[y][s];
    }
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
