//! Goal seek: the value of one input at which the total in a year reaches a target.

use crate::engine::{InputSlot, Inputs, national_totals};
use crate::scenario::{ExistingPath, Level, Scenario, Slot};

/// What kind of number an input is, which sets its search range and precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Vehicles a year.
    Volume,
    /// A calendar year.
    Year,
    /// A number of years.
    Years,
    /// An annual growth rate.
    Rate,
    /// A share of capacity.
    Share,
    /// Weeks lost.
    Weeks,
    /// A multiple of a plant's base-year output.
    Multiple,
}

/// An input that goal seek can vary.
#[derive(Debug, Clone, PartialEq)]
pub struct Seekable {
    /// Dotted path, as `--set` takes it.
    pub path: String,
    /// Where its value goes.
    pub slot: Slot,
    /// What kind of number it is.
    pub kind: Kind,
}

/// Every numeric input of a scenario that goal seek can vary.
pub fn seekable(scenario: &Scenario, inputs: &Inputs) -> Vec<Seekable> {
    let mut out = Vec::new();
    let mut add = |path: String, slot, kind| out.push(Seekable { path, slot, kind });
    add(
        "assumptions.utilisation_cap".into(),
        Slot::UtilisationCap,
        Kind::Share,
    );
    add(
        "assumptions.other_growth".into(),
        Slot::OtherGrowth,
        Kind::Rate,
    );
    for (i, names) in inputs.plant_names.iter().enumerate() {
        let id = names.id.clone();
        if i < inputs.first_new_plant {
            let p = |field: &str| format!("plants.{id}.{field}");
            add(p("capacity"), Slot::PlantCapacity(id.clone()), Kind::Volume);
            add(
                p("utilisation_cap"),
                Slot::PlantUtilisationCap(id.clone()),
                Kind::Share,
            );
            add(p("closes"), Slot::PlantCloses(id.clone()), Kind::Year);
            match &inputs.plants[i].existing {
                ExistingPath::Waypoints(points) => {
                    for (k, point) in points.iter().enumerate() {
                        let (field, kind) = match point.level {
                            Level::Volume(_) => (format!("output.{}", point.year), Kind::Volume),
                            Level::OfBase(_) => {
                                (format!("output.{}.of_base", point.year), Kind::Multiple)
                            }
                        };
                        add(p(&field), Slot::PlantWaypoint(id.clone(), k), kind);
                    }
                }
                _ => add(p("growth"), Slot::PlantGrowth(id.clone()), Kind::Rate),
            }
        } else {
            let k = i - inputs.first_new_plant;
            let p = |field: &str| format!("new_plants.{id}.{field}");
            add(p("capacity"), Slot::NewPlantCapacity(k), Kind::Volume);
            add(p("opens"), Slot::NewPlantOpens(k), Kind::Year);
            add(
                p("utilisation_cap"),
                Slot::NewPlantUtilisationCap(k),
                Kind::Share,
            );
        }
    }
    for (k, programme) in scenario.programmes.iter().enumerate() {
        let p = |field: &str| format!("programmes.{}.{field}", programme.id);
        add(p("peak"), Slot::ProgrammePeak(k), Kind::Volume);
        add(p("start"), Slot::ProgrammeStart(k), Kind::Year);
        add(p("ramp_years"), Slot::ProgrammeRampYears(k), Kind::Years);
        add(p("ends"), Slot::ProgrammeEnds(k), Kind::Year);
    }
    for k in 0..scenario.shocks.len() {
        add(format!("shocks.{k}.year"), Slot::ShockYear(k), Kind::Year);
        add(
            format!("shocks.{k}.lost_weeks"),
            Slot::ShockLostWeeks(k),
            Kind::Weeks,
        );
    }
    out
}

/// The values goal seek searches between, and whether it searches whole numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeekRange {
    /// Lowest value tried.
    pub low: f64,
    /// Highest value tried.
    pub high: f64,
    /// Whole vehicles or years (else a rate, to six decimals).
    pub whole: bool,
}

impl SeekRange {
    /// The default range for a kind of input; `max` replaces the upper end.
    pub fn for_kind(kind: Kind, inputs: &Inputs, max: Option<f64>) -> SeekRange {
        let (low, high, whole) = match kind {
            Kind::Volume => (0.0, inputs.target.volume, true),
            Kind::Year => (
                f64::from(inputs.base_year + 1),
                f64::from(inputs.end_year + 1),
                true,
            ),
            Kind::Years => (0.0, 20.0, true),
            Kind::Rate => (-0.5, 0.5, false),
            Kind::Share => (0.01, 1.0, false),
            Kind::Weeks => (0.0, 52.0, false),
            Kind::Multiple => (0.01, 10.0, false),
        };
        SeekRange {
            low,
            high: max.unwrap_or(high),
            whole,
        }
    }
}

/// What goal seek found.
#[derive(Debug, Clone, PartialEq)]
pub struct SeekOutcome {
    /// Every value tried and the total it gave, in the order tried.
    pub tried: Vec<(f64, f64)>,
    /// The value that reaches the target, if one in the range does.
    pub value: Option<f64>,
    /// The value giving the highest total tried (the answer when there is one).
    pub best_value: f64,
    /// The total at `best_value`.
    pub best_total: f64,
}

/// Bisect `slot` over `range` until the total in `year` reaches `target`, assuming the total
/// moves one way with the input. For an input that raises the total (a peak) it finds the
/// smallest value that reaches the target; for one that lowers it (a start year), the largest.
pub fn seek(
    inputs: &Inputs,
    slot: InputSlot,
    range: SeekRange,
    year: i32,
    target: f64,
) -> SeekOutcome {
    let index = (year - inputs.base_year - 1) as usize;
    let mut totals = vec![0.0; inputs.years().count()];
    let mut tried = Vec::new();
    let mut total_at = |value: f64| {
        let mut scratch = inputs.clone();
        scratch.set(slot, value);
        national_totals(&scratch, &mut totals);
        let total = totals.get(index).copied().unwrap_or(f64::NAN);
        tried.push((value, total));
        total
    };
    let reaches = |total: f64| total >= target - 0.5;
    let (low, high) = (range.low, range.high);
    let (at_low, at_high) = (total_at(low), total_at(high));
    let rising = at_high >= at_low;
    let step = if range.whole { 1.0 } else { 1e-6 };
    let middle = |a: f64, b: f64| {
        let m = (a + b) / 2.0;
        if range.whole { m.floor() } else { m }
    };
    let value = if !reaches(at_low.max(at_high)) {
        None
    } else if rising {
        // Smallest value that reaches: `a` never does, `b` always does.
        if reaches(at_low) {
            Some(low)
        } else {
            let (mut a, mut b) = (low, high);
            while b - a > step {
                let m = middle(a, b);
                if reaches(total_at(m)) { b = m } else { a = m }
            }
            Some(b)
        }
    } else if reaches(at_high) {
        Some(high)
    } else {
        // Largest value that reaches: `a` always does, `b` never does.
        let (mut a, mut b) = (low, high);
        while b - a > step {
            let m = middle(a, b);
            if reaches(total_at(m)) { a = m } else { b = m }
        }
        Some(a)
    };
    let (best_value, best_total) = match value {
        Some(v) => (
            v,
            tried
                .iter()
                .rev()
                .find(|(x, _)| *x == v)
                .map_or(f64::NAN, |(_, t)| *t),
        ),
        None if rising => (high, at_high),
        None => (low, at_low),
    };
    SeekOutcome {
        tried,
        value,
        best_value,
        best_total,
    }
}
