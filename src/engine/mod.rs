//! The projection: pure functions from checked data and a resolved scenario to one result.
//!
//! Nothing here reads or writes files; every command and renderer works from [`Projection`].

mod rules;

use crate::data::{Dataset, Segment};
use crate::scenario::{ExistingPath, Programme, Scenario, Target};
pub use rules::{existing_output, programme_volume, shock_factor, target_path};

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
    /// Company that runs it.
    pub operator: String,
    /// Cars or commercial vehicles.
    pub segment: Segment,
    /// What its existing production and programmes would make, before capacity and shocks.
    pub demand: f64,
    /// Nameplate capacity that year (0 when closed or not yet open); `None` for the residual.
    pub capacity: Option<f64>,
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
#[derive(Debug, Clone, PartialEq)]
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
    /// Scenario name.
    pub scenario: String,
    /// Scenario description.
    pub description: String,
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

/// The maker name the residual's output counts towards.
pub const OTHER_MAKER: &str = "Other";
/// The name of the residual rows.
pub const OTHER_NAME: &str = "Other UK manufacturers";
/// The component name for a plant's existing production.
pub const EXISTING: &str = "existing";

/// A plant as the scenario leaves it, ready to be projected year by year.
#[derive(Debug, Clone)]
struct PlantModel<'a> {
    id: &'a str,
    name: &'a str,
    operator: &'a str,
    segment: Segment,
    /// Nameplate capacity in the base year (data).
    base_capacity: f64,
    /// Nameplate capacity in projected years (scenario, else data).
    capacity: f64,
    utilisation_cap: f64,
    /// `None` for a new plant, which has no existing production.
    base_output: Option<f64>,
    existing: &'a ExistingPath,
    opens: Option<i32>,
    closes: Option<i32>,
    programmes: Vec<&'a Programme>,
}

const FLAT: ExistingPath = ExistingPath::Flat;

fn plant_models<'a>(data: &'a Dataset, scenario: &'a Scenario) -> Vec<PlantModel<'a>> {
    let programmes_at = |id: &str| {
        scenario
            .programmes
            .iter()
            .filter(|p| p.plant == id)
            .collect::<Vec<_>>()
    };
    let existing = data.plants.iter().map(|p| {
        let change = scenario.plant_changes.get(&p.id);
        PlantModel {
            id: &p.id,
            name: &p.name,
            operator: &p.operator,
            segment: p.segment,
            base_capacity: p.capacity as f64,
            capacity: change.and_then(|c| c.capacity).unwrap_or(p.capacity as f64),
            utilisation_cap: change
                .and_then(|c| c.utilisation_cap)
                .unwrap_or(scenario.utilisation_cap),
            base_output: Some(data.base_output(&p.id)),
            existing: change.map_or(&FLAT, |c| &c.existing),
            opens: None,
            closes: change.and_then(|c| c.closes),
            programmes: programmes_at(&p.id),
        }
    });
    let new = scenario.new_plants.iter().map(|n| PlantModel {
        id: &n.id,
        name: &n.name,
        operator: &n.operator,
        segment: n.segment,
        base_capacity: 0.0,
        capacity: n.capacity,
        utilisation_cap: n.utilisation_cap.unwrap_or(scenario.utilisation_cap),
        base_output: None,
        existing: &FLAT,
        opens: Some(n.opens),
        closes: None,
        programmes: programmes_at(&n.id),
    });
    existing.chain(new).collect()
}

/// A plant's row and components for one projected year: semantics rules 1 to 5 in one place.
fn plant_year(
    plant: &PlantModel<'_>,
    year: i32,
    base_year: i32,
    scenario: &Scenario,
) -> (PlantYear, Vec<ComponentYear>) {
    let open = plant.opens.is_none_or(|o| year >= o);
    let closed = plant.closes.is_some_and(|c| year >= c);
    let mut parts: Vec<(&str, &str, f64)> = Vec::new();
    if let Some(base) = plant.base_output {
        let volume = if closed {
            0.0
        } else {
            existing_output(plant.existing, base_year, base, year)
        };
        parts.push((EXISTING, plant.operator, volume));
    }
    for programme in &plant.programmes {
        let volume = if closed {
            0.0
        } else {
            programme_volume(programme, year)
        };
        parts.push((&programme.id, &programme.maker, volume));
    }
    let demand: f64 = parts.iter().map(|(_, _, v)| v).sum();
    let capacity = if open && !closed { plant.capacity } else { 0.0 };
    let limit = capacity * plant.utilisation_cap;
    let before_shocks = demand.min(limit);
    let scale = if demand > 0.0 {
        before_shocks / demand
    } else {
        0.0
    };
    let factor = shock_factor(&scenario.shocks, year, Some((plant.id, plant.operator)));
    let row = PlantYear {
        year,
        plant_id: plant.id.to_string(),
        plant: plant.name.to_string(),
        operator: plant.operator.to_string(),
        segment: plant.segment,
        demand,
        capacity: Some(capacity),
        output: before_shocks * factor,
        constrained: demand - before_shocks,
    };
    let components = parts
        .into_iter()
        .map(|(component, maker, volume)| ComponentYear {
            year,
            plant_id: plant.id.to_string(),
            component: component.to_string(),
            maker: maker.to_string(),
            output: volume * scale * factor,
        })
        .collect();
    (row, components)
}

/// The residual "other UK manufacturers" of a segment in one year (rule 6).
fn residual_year(data: &Dataset, scenario: &Scenario, segment: Segment, year: i32) -> PlantYear {
    let base_year = data.base_year();
    let demand = data.residual(segment) * (1.0 + scenario.other_growth).powi(year - base_year);
    let factor = if year > base_year {
        shock_factor(&scenario.shocks, year, None)
    } else {
        1.0
    };
    PlantYear {
        year,
        plant_id: segment.residual_id().to_string(),
        plant: OTHER_NAME.to_string(),
        operator: OTHER_MAKER.to_string(),
        segment,
        demand,
        capacity: None,
        output: demand * factor,
        constrained: 0.0,
    }
}

/// Base-year rows: published plant output, capacity from the data.
fn base_year_row(plant: &PlantModel<'_>, year: i32) -> PlantYear {
    let output = plant.base_output.unwrap_or(0.0);
    PlantYear {
        year,
        plant_id: plant.id.to_string(),
        plant: plant.name.to_string(),
        operator: plant.operator.to_string(),
        segment: plant.segment,
        demand: output,
        capacity: Some(plant.base_capacity),
        output,
        constrained: 0.0,
    }
}

/// Project a resolved scenario from the data: rules 1 to 8 of the method.
pub fn project(data: &Dataset, scenario: &Scenario) -> Projection {
    let base_year = data.base_year();
    let base_total = data.base().and_then(|b| b.total).unwrap_or(0) as f64;
    let target = scenario.target;
    let models = plant_models(data, scenario);
    let mut national: Vec<NationalYear> = data
        .history
        .iter()
        .map(|h| NationalYear {
            year: h.year,
            source: Source::Actual,
            cars: h.cars as f64,
            commercial_vehicles: h.commercial_vehicles.map(|v| v as f64),
            total: h.total.map(|v| v as f64),
            target_path: (h.year == base_year).then_some(base_total),
            gap: (h.year == base_year).then_some(0.0),
        })
        .collect();
    let mut plants: Vec<PlantYear> = models.iter().map(|m| base_year_row(m, base_year)).collect();
    plants.extend(Segment::ALL.map(|s| residual_year(data, scenario, s, base_year)));
    let mut components = Vec::new();
    for year in base_year + 1..=scenario.end_year {
        let first = plants.len();
        for model in &models {
            let (row, parts) = plant_year(model, year, base_year, scenario);
            plants.push(row);
            components.extend(parts);
        }
        for segment in Segment::ALL {
            let row = residual_year(data, scenario, segment, year);
            components.push(ComponentYear {
                year,
                plant_id: row.plant_id.clone(),
                component: EXISTING.to_string(),
                maker: OTHER_MAKER.to_string(),
                output: row.output,
            });
            plants.push(row);
        }
        let segment_total = |segment| {
            plants[first..]
                .iter()
                .filter(|p| p.segment == segment)
                .map(|p| p.output)
                .sum::<f64>()
        };
        let cars = segment_total(Segment::Car);
        let cvs = segment_total(Segment::Cv);
        let path = target_path(base_year, base_total, target, year);
        national.push(NationalYear {
            year,
            source: Source::Projected,
            cars,
            commercial_vehicles: Some(cvs),
            total: Some(cars + cvs),
            target_path: Some(path),
            gap: Some(cars + cvs - path),
        });
    }
    let summary = summarise(&national, base_year, base_total, scenario);
    Projection {
        scenario: scenario.name.clone(),
        description: scenario.description.clone(),
        base_year,
        end_year: scenario.end_year,
        target,
        national,
        plants,
        components,
        summary,
    }
}

fn summarise(
    national: &[NationalYear],
    base_year: i32,
    base_total: f64,
    scenario: &Scenario,
) -> Summary {
    let target = scenario.target;
    let end_year = scenario.end_year;
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
