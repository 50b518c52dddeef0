//! One-at-a-time sensitivity: each uncertain input at its low and high end (an item off and
//! on), on the basis of the scenario's headline figure.
//!
//! With draws (the headline is the expected value, the mean of the draws) each end's total is
//! the mean, over the same draws the run makes (same seed, same random stream per input), of
//! the total with that input fixed at the end and every other input drawn: common random
//! numbers, so that the difference between the two ends is the input's effect alone and not
//! the noise of other draws. Without draws every other input is at its most likely value and
//! every item happens (the modal case).

use rayon::prelude::*;

use super::{CHUNK, Prepared, prepare_one};
use crate::engine::{Basis, Inputs, national_total, national_totals};
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
    /// The total in the year with the input at its low end: the modal case's, or the mean
    /// over the draws with every other input drawn.
    pub total_at_low: f64,
    /// The total with the input at its high end.
    pub total_at_high: f64,
    /// |total at high − total at low|.
    pub swing: f64,
}

/// The modal case's total in `year`: every uncertain input at its most likely value and every
/// item happening; the point a modal tornado's bars swing from.
pub fn modal_total(inputs: &Inputs, year: i32) -> f64 {
    let index = (year - inputs.base_year - 1) as usize;
    let mut totals = vec![0.0; inputs.years().count()];
    national_totals(inputs, &mut totals);
    totals.get(index).copied().unwrap_or(f64::NAN)
}

/// The total in `year` with each uncertain input at each end, largest swing first.
///
/// `basis` is the basis of the figures the sensitivity is shown with: for
/// `Basis::Expected { draws, seed }` each total is the mean of those draws with the input
/// fixed (the bars then swing from the expected total, the run's headline figure); otherwise
/// (`Modal`, or no draws) each is the modal case's total with the input changed.
pub fn sensitivity(
    inputs: &Inputs,
    uncertain: &[Uncertain],
    year: i32,
    basis: Basis,
) -> Vec<Swing> {
    let tested: Vec<(&Uncertain, Prepared)> = uncertain
        .iter()
        .filter_map(|u| Some((u, prepare_one(inputs, u)?)))
        .collect();
    // Two cases per input, low end then high end: (index into `tested`, value).
    let cases: Vec<(usize, f64)> = tested
        .iter()
        .enumerate()
        .flat_map(|(i, (u, _))| {
            let (low, high) = u.dist.ends();
            [(i, low), (i, high)]
        })
        .collect();
    let totals = if !inputs.years().contains(&year) {
        vec![f64::NAN; cases.len()]
    } else {
        match basis {
            Basis::Expected { draws, seed } if draws > 0 => {
                let prepared: Vec<Prepared> = tested.iter().map(|(_, p)| *p).collect();
                expected_totals(inputs, &prepared, &cases, year, draws, seed)
            }
            _ => modal_totals(inputs, &tested, &cases, year),
        }
    };
    let mut swings: Vec<Swing> = tested
        .iter()
        .zip(cases.chunks(2).zip(totals.chunks(2)))
        .map(|((u, _), (ends, at))| Swing {
            parameter: u.path.clone(),
            low: ends[0].1,
            high: ends[1].1,
            total_at_low: at[0],
            total_at_high: at[1],
            swing: (at[1] - at[0]).abs(),
        })
        .collect();
    swings.sort_by(|a, b| {
        b.swing
            .total_cmp(&a.swing)
            .then(a.parameter.cmp(&b.parameter))
    });
    swings
}

/// Each case's total with every other input at its most likely value.
fn modal_totals(
    inputs: &Inputs,
    tested: &[(&Uncertain, Prepared)],
    cases: &[(usize, f64)],
    year: i32,
) -> Vec<f64> {
    cases
        .iter()
        .map(|&(i, value)| {
            let mut scratch = inputs.clone();
            scratch.set(tested[i].1.slot, value);
            national_total(&scratch, year)
        })
        .collect()
}

/// Each case's mean total over draws `0..count` of `seed`, the case's input fixed and every
/// other input drawn as `run` draws it.
///
/// The work is split into (case, chunk of draws) tasks run in parallel; each task adds its
/// draws in draw order and a case's chunks are then added in chunk order, so the means are
/// the same bytes whatever the number of threads.
fn expected_totals(
    inputs: &Inputs,
    prepared: &[Prepared],
    cases: &[(usize, f64)],
    year: i32,
    count: usize,
    seed: u64,
) -> Vec<f64> {
    let chunks = count.div_ceil(CHUNK);
    let sums: Vec<f64> = (0..cases.len() * chunks)
        .into_par_iter()
        .map_init(
            // Every drawn slot is set again in every draw, and no other slot is touched, so
            // a thread's scratch carries nothing from one task to the next.
            || inputs.clone(),
            |scratch, task| {
                let (input, value) = cases[task / chunks];
                let chunk = task % chunks;
                let fixed = prepared[input].engine_value(value);
                let mut sum = 0.0;
                for draw in chunk * CHUNK..((chunk + 1) * CHUNK).min(count) {
                    for (k, p) in prepared.iter().enumerate() {
                        if k != input {
                            scratch.set(p.slot, p.drawn(seed, draw as u64));
                        }
                    }
                    scratch.set(prepared[input].slot, fixed);
                    sum += national_total(scratch, year);
                }
                sum
            },
        )
        .collect();
    sums.chunks(chunks.max(1))
        .map(|c| c.iter().sum::<f64>() / count as f64)
        .collect()
}
