//! One-at-a-time sensitivity: each uncertain input at its low and high end (an item off and
//! on), everything else at its most likely value (the modal case: every item happens).

use crate::engine::{Inputs, national_totals};
use crate::scenario::Uncertain;

/// How much one input moves the total in the chosen year.
#[derive(Debug, Clone, PartialEq)]
pub struct Swing {
    /// The input's dotted path, as `--set` takes it.
    pub parameter: String,
    /// Its low end (0 = the item does not happen).
    pub low: f64,
    /// Its high end (1 = the item happens).
    pub high: f64,
    /// The total in the year with the input at its low end.
    pub total_at_low: f64,
    /// The total with the input at its high end.
    pub total_at_high: f64,
    /// |total at high − total at low|.
    pub swing: f64,
}

/// The modal case's total in `year`: every uncertain input at its most likely value and every
/// item happening; the point a tornado's bars swing from.
pub fn modal_total(inputs: &Inputs, year: i32) -> f64 {
    let index = (year - inputs.base_year - 1) as usize;
    let mut totals = vec![0.0; inputs.years().count()];
    national_totals(inputs, &mut totals);
    totals.get(index).copied().unwrap_or(f64::NAN)
}

/// The total in `year` with each uncertain input at each end, largest swing first.
pub fn sensitivity(inputs: &Inputs, uncertain: &[Uncertain], year: i32) -> Vec<Swing> {
    let index = (year - inputs.base_year - 1) as usize;
    let mut totals = vec![0.0; inputs.years().count()];
    let mut total_with = |slot, value: f64| {
        let mut scratch = inputs.clone();
        scratch.set(slot, value);
        national_totals(&scratch, &mut totals);
        totals.get(index).copied().unwrap_or(f64::NAN)
    };
    let mut swings: Vec<Swing> = uncertain
        .iter()
        .filter_map(|u| {
            let slot = inputs.locate(&u.slot)?;
            let (low, high) = u.dist.ends();
            let (total_at_low, total_at_high) = (total_with(slot, low), total_with(slot, high));
            Some(Swing {
                parameter: u.path.clone(),
                low,
                high,
                total_at_low,
                total_at_high,
                swing: (total_at_high - total_at_low).abs(),
            })
        })
        .collect();
    swings.sort_by(|a, b| {
        b.swing
            .total_cmp(&a.swing)
            .then(a.parameter.cmp(&b.parameter))
    });
    swings
}
