//! Uncertainty: Monte Carlo draws of a scenario's ranges and probabilities, one-at-a-time
//! sensitivity, and goal seek. Everything runs the same engine as the modal projection.

mod checks;
mod seek;
mod sensitivity;

use rayon::prelude::*;

use crate::engine::{
    Basis, DerivedPlan, DrawPlan, Drawn, InputSlot, Inputs, Projection, Value, target_path,
};
use crate::scenario::{Dist, Uncertain};
pub use checks::{CheckResult, evaluate_checks};
pub use seek::{Kind, SeekOutcome, SeekRange, Seekable, seek, seekable};
pub use sensitivity::{Swing, modal_total, sensitivity};

/// Draws when a scenario has uncertain inputs and `--draws` is not given.
pub const DEFAULT_DRAWS: usize = 10_000;
/// Seed when `--seed` is not given, so that runs are reproducible by default.
pub const DEFAULT_SEED: u64 = 2035;
/// Draws handled together by one thread.
const CHUNK: usize = 1024;
/// A drawn year spanning more years than this is treated as a continuous range by draw plans.
const MAX_YEARS: f64 = 64.0;

/// An uncertain input ready to be drawn.
#[derive(Debug, Clone, Copy)]
struct Prepared {
    key: u64,
    dist: Dist,
    slot: InputSlot,
    year: bool,
}

/// A stable 64-bit key for an input's dotted path (FNV-1a), naming its random stream.
pub fn stream_key(path: &str) -> u64 {
    path.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// SplitMix64's finaliser: a strong 64-bit mix.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The uniform number in [0, 1) of one input in one draw.
///
/// Counter-based: the number depends only on (seed, draw, input), never on the order or
/// thread the draws run in, and two scenarios that share an input draw the same numbers for
/// it (common random numbers).
pub fn uniform(seed: u64, draw: u64, key: u64) -> f64 {
    uniform_mixed(mix_seed(seed), draw, key)
}

/// The part of [`uniform`] that depends on the seed alone, mixed once for all draws.
fn mix_seed(seed: u64) -> u64 {
    mix(seed ^ 0x9e37_79b9_7f4a_7c15)
}

fn uniform_mixed(mixed_seed: u64, draw: u64, key: u64) -> f64 {
    let z = mix(mixed_seed ^ mix(draw.wrapping_add(key.rotate_left(17))) ^ key);
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// The triangular distribution's value at cumulative probability `u` (inverse CDF).
pub fn triangular(u: f64, low: f64, mode: f64, high: f64) -> f64 {
    if high <= low {
        return mode;
    }
    let split = (mode - low) / (high - low);
    if u < split {
        low + (u * (high - low) * (mode - low)).sqrt()
    } else {
        high - ((1.0 - u) * (high - low) * (high - mode)).sqrt()
    }
}

/// A drawn value: a triangular draw, or 1/0 for an item that happens or not.
pub fn sample(dist: Dist, u: f64) -> f64 {
    match dist {
        Dist::Triangular { low, mode, high } => triangular(u, low, mode, high),
        Dist::Chance(p) => f64::from(u8::from(u < p)),
    }
}

/// An uncertain input with its place in the engine and its random stream, if it has a place.
fn prepare_one(inputs: &Inputs, u: &Uncertain) -> Option<Prepared> {
    inputs.locate(&u.slot).map(|slot| Prepared {
        key: stream_key(&u.path),
        dist: u.dist,
        slot,
        year: u.slot.is_year(),
    })
}

fn prepare(inputs: &Inputs, uncertain: &[Uncertain]) -> Vec<Prepared> {
    uncertain
        .iter()
        .filter_map(|u| prepare_one(inputs, u))
        .collect()
}

impl Prepared {
    /// This input's value in one draw, as the draws put it into the engine.
    fn drawn(&self, seed: u64, draw: u64) -> f64 {
        self.drawn_mixed(mix_seed(seed), draw)
    }

    /// [`Prepared::drawn`] with the seed already mixed by [`mix_seed`].
    fn drawn_mixed(&self, mixed_seed: u64, draw: u64) -> f64 {
        self.engine_value(sample(self.dist, uniform_mixed(mixed_seed, draw, self.key)))
    }

    /// The input as a draw plan sees it: the few values it can take, when it takes few. An
    /// item happens or not (1 or 0); a year is a whole number within its range (widened to
    /// the whole numbers around it, so that rounding can never fall outside).
    fn plan(&self) -> Drawn {
        let values = match self.dist {
            Dist::Chance(_) => Some((0.0, 2)),
            Dist::Triangular { low, mode, high } if self.year => {
                let first = low.min(mode).min(high).floor();
                let last = low.max(mode).max(high).ceil();
                let count = last - first + 1.0;
                (first.is_finite() && count.is_finite() && count <= MAX_YEARS)
                    .then_some((first, count as usize))
            }
            Dist::Triangular { .. } => None,
        };
        Drawn {
            slot: self.slot,
            values,
        }
    }

    /// A value as the engine takes it: a year whole.
    fn engine_value(&self, value: f64) -> f64 {
        if self.year { value.round() } else { value }
    }
}

/// Every draw's national total in every projected year, and the mean of every number.
#[derive(Debug, Clone)]
pub struct Draws {
    /// The projected years.
    pub years: Vec<i32>,
    /// Totals, year by year: `totals[year_index * count + draw]` (by year, so that percentiles
    /// read each year's draws in one run).
    pub totals: Vec<f64>,
    /// The electrified share of output, year by year: `shares[year_index * count + draw]`
    /// (single precision: a share needs no more, and a million draws stay within memory; by
    /// year, so that percentiles read each year's draws in one run); empty when the data
    /// have no powertrain split.
    pub shares: Vec<f32>,
    /// How many draws' UK cell capacity covered their battery demand, each projected year.
    pub covered: Vec<usize>,
    /// How many draws.
    pub count: usize,
    /// The seed.
    pub seed: u64,
    /// The expected projection: every plant, component and national number is the mean of
    /// the draws, so that parts still add up to wholes.
    pub expected: Projection,
}

/// Run `count` draws of the scenario whose modal projection is `modal`. `progress` is told
/// how many draws have finished, now and then.
pub fn run(
    modal: &Projection,
    inputs: &Inputs,
    uncertain: &[Uncertain],
    count: usize,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Draws {
    let prepared = prepare(inputs, uncertain);
    let years: Vec<i32> = inputs.years().collect();
    let width = years.len();
    let mut totals = vec![0.0; count * width];
    let with_powertrain = inputs.industry.has_powertrain;
    let mut shares = vec![0.0f32; if with_powertrain { count * width } else { 0 }];
    let mut covered = vec![0usize; width];
    // A draw recomputes only what its inputs reach, and adds up only the numbers that can
    // differ between draws: every other number of the expected projection is the modal
    // case's own, or the same in every draw.
    let drawn: Vec<Drawn> = prepared.iter().map(Prepared::plan).collect();
    let plan = DrawPlan::new(inputs, modal, &drawn);
    let slots: Vec<InputSlot> = prepared.iter().map(|p| p.slot).collect();
    let derived = DerivedPlan::new(inputs, modal, plan.numbers(), &drawn);
    let mixed_seed = mix_seed(seed);
    // Each chunk adds up its draws' numbers in draw order; chunks are then added in chunk
    // order, so the means are the same bytes whatever the number of threads.
    let mut chunk_sums: Vec<(Vec<f64>, Vec<f64>, Vec<usize>)> = Vec::new();
    if width > 0 {
        // Each chunk of draws writes its part of every year's run of totals and shares.
        let chunks = count.div_ceil(CHUNK);
        let mut total_chunks: Vec<Vec<&mut [f64]>> =
            (0..chunks).map(|_| Vec::with_capacity(width)).collect();
        for year in totals.chunks_mut(count.max(1)) {
            for (parts, part) in total_chunks.iter_mut().zip(year.chunks_mut(CHUNK)) {
                parts.push(part);
            }
        }
        let mut share_chunks: Vec<Vec<&mut [f32]>> =
            (0..chunks).map(|_| Vec::with_capacity(width)).collect();
        if with_powertrain {
            for year in shares.chunks_mut(count.max(1)) {
                for (parts, part) in share_chunks.iter_mut().zip(year.chunks_mut(CHUNK)) {
                    parts.push(part);
                }
            }
        }
        chunk_sums = total_chunks
            .into_par_iter()
            .zip(share_chunks)
            .enumerate()
            .map(|(chunk, (mut total_parts, mut share_parts))| {
                let draws = total_parts.first().map_or(0, |p| p.len());
                let mut row = vec![0.0; width];
                let mut scratch = inputs.clone();
                let mut buffer = plan.buffer();
                let mut values = vec![0.0; prepared.len()];
                let mut sums = vec![0.0; plan.summed_len()];
                let mut derived_buffer = derived.buffer();
                let mut derived_sums = vec![0.0; derived.varying_len()];
                let mut covers = vec![0usize; width];
                let mut draw_shares = vec![0.0f32; width];
                for i in 0..draws {
                    let draw = (chunk * CHUNK + i) as u64;
                    for (p, value) in prepared.iter().zip(values.iter_mut()) {
                        *value = p.drawn_mixed(mixed_seed, draw);
                    }
                    scratch.set_all(&slots, &values);
                    plan.draw(&scratch, &values, &mut buffer, &mut row);
                    for (part, total) in total_parts.iter_mut().zip(&row) {
                        if let Some(slot) = part.get_mut(i) {
                            *slot = *total;
                        }
                    }
                    for (sum, v) in sums.iter_mut().zip(plan.summed(&buffer)) {
                        *sum += v;
                    }
                    derived.draw(
                        &scratch,
                        plan.summed(&buffer),
                        &row,
                        &mut derived_buffer,
                        &mut draw_shares,
                    );
                    for (part, share) in share_parts.iter_mut().zip(&draw_shares) {
                        if let Some(slot) = part.get_mut(i) {
                            *slot = *share;
                        }
                    }
                    derived.add(&derived_buffer, &mut derived_sums);
                    derived.covered(&derived_buffer, &mut covers);
                }
                progress(draws as u64);
                (sums, derived_sums, covers)
            })
            .collect();
    }
    for (_, _, covers) in &chunk_sums {
        for (c, n) in covered.iter_mut().zip(covers) {
            *c += n;
        }
    }
    let mut expected = modal.clone();
    if count > 0 {
        let mut sums = vec![0.0; plan.summed_len()];
        let mut derived_sums = vec![0.0; derived.varying_len()];
        for (chunk, derived_chunk, _) in &chunk_sums {
            for (sum, v) in derived_sums.iter_mut().zip(derived_chunk) {
                *sum += v;
            }
            for (sum, v) in sums.iter_mut().zip(chunk) {
                *sum += v;
            }
        }
        let mut constants = std::collections::HashMap::new();
        plan.write(&mut expected, |value| match value {
            Value::Summed(k) => sums.get(k).copied().unwrap_or(0.0) / count as f64,
            Value::Constant(c) => {
                *constants
                    .entry(c.to_bits())
                    .or_insert_with(|| constant_sum(c, count))
                    / count as f64
            }
        });
        derived.write(&mut expected, &derived_sums, count);
        crate::engine::fill_powertrain(inputs, &mut expected);
        expected.resummarise();
    }
    expected.basis = Basis::Expected { draws: count, seed };
    Draws {
        years,
        totals,
        shares,
        covered,
        count,
        seed,
        expected,
    }
}

/// The sum over `count` draws of a number that is `value` in every draw, added up exactly as
/// the draws add up the numbers that differ: draw by draw within each chunk, then chunk by
/// chunk. Its mean is then the same bytes as if it had been summed with them.
fn constant_sum(value: f64, count: usize) -> f64 {
    let chunk = |draws: usize| (0..draws).fold(0.0, |sum, _| sum + value);
    let whole = chunk(CHUNK);
    let sum = (0..count / CHUNK).fold(0.0, |sum, _| sum + whole);
    match count % CHUNK {
        0 => sum,
        rest => sum + chunk(rest),
    }
}

/// The uncertain inputs that are the data's ranges for base-year plant outputs.
pub fn data_inputs(uncertain: &[Uncertain]) -> Vec<Uncertain> {
    uncertain
        .iter()
        .filter(|u| matches!(u.slot, crate::scenario::Slot::BaseOutput(_)))
        .cloned()
        .collect()
}

/// The spread of the draws in one year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bands {
    /// The year.
    pub year: i32,
    /// Mean of the draws.
    pub mean: f64,
    /// Percentiles 5, 10, 25, 50, 75, 90, 95.
    pub percentiles: [f64; 7],
}

/// The percentiles reported, in order.
pub const PERCENTILES: [f64; 7] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

/// Percentile `q` of sorted values, interpolating between neighbours (Hyndman-Fan type 7).
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q;
    let below = h.floor() as usize;
    let above = h.ceil() as usize;
    sorted[below] + (sorted[above] - sorted[below]) * (h - below as f64)
}

/// The percentiles `qs` (ascending) of `values`, as [`percentile`] gives them from the
/// sorted values, found by selecting only the order statistics they need (each at most two
/// neighbours): the same numbers, without sorting every draw.
pub fn percentiles_by_selection<T: Drawn64, const N: usize>(
    values: &mut [T],
    qs: [f64; N],
) -> [f64; N] {
    if values.is_empty() {
        return [f64::NAN; N];
    }
    let last = values.len() - 1;
    let ends = qs.map(|q| {
        let h = last as f64 * q;
        (h.floor() as usize, h.ceil() as usize, h - h.floor())
    });
    let mut wanted: Vec<usize> = ends.iter().flat_map(|&(lo, hi, _)| [lo, hi]).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut found = Vec::with_capacity(wanted.len());
    select_ranks(values, 0, &wanted, &mut found);
    let at = |index: usize| {
        found
            .iter()
            .find(|(i, _)| *i == index)
            .map_or(f64::NAN, |(_, v)| *v)
    };
    ends.map(|(lo, hi, fraction)| at(lo) + (at(hi) - at(lo)) * fraction)
}

/// Find the order statistics `ranks` (ascending, each within `offset..offset + values.len()`)
/// of `values`, whose first is the `offset`-th of the whole. The middle one first: a selection
/// leaves everything below its rank before it and everything above after it, so each half of
/// the rest only searches its own side.
fn select_ranks<T: Drawn64>(
    values: &mut [T],
    offset: usize,
    ranks: &[usize],
    found: &mut Vec<(usize, f64)>,
) {
    let middle = ranks.len() / 2;
    let Some(&rank) = ranks.get(middle) else {
        return;
    };
    let Some(index) = rank.checked_sub(offset).filter(|i| *i < values.len()) else {
        return;
    };
    let (below, value, above) = values.select_nth_unstable_by(index, T::total_cmp);
    found.push((rank, value.to_f64()));
    select_ranks(below, offset, &ranks[..middle], found);
    select_ranks(above, rank + 1, &ranks[middle + 1..], found);
}

/// A drawn number percentiles can be selected from: `f64`, or `f32` for shares, which halves
/// the memory a million draws' selection reads.
pub trait Drawn64: Copy {
    /// The total order of [`f64::total_cmp`].
    fn total_cmp(a: &Self, b: &Self) -> std::cmp::Ordering;
    /// As `f64`.
    fn to_f64(self) -> f64;
}

impl Drawn64 for f64 {
    fn total_cmp(a: &Self, b: &Self) -> std::cmp::Ordering {
        f64::total_cmp(a, b)
    }
    fn to_f64(self) -> f64 {
        self
    }
}

impl Drawn64 for f32 {
    fn total_cmp(a: &Self, b: &Self) -> std::cmp::Ordering {
        f32::total_cmp(a, b)
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

impl Draws {
    /// Mean and percentiles of the electrified share in each projected year. The mean is the
    /// expected projection's share (expected electrified over expected total), the figure
    /// the tables show.
    pub fn share_bands(&self) -> Vec<Bands> {
        let width = self.years.len();
        if self.shares.is_empty() || width == 0 {
            return Vec::new();
        }
        (0..width)
            .into_par_iter()
            .map(|i| {
                let mut column: Vec<f32> = self
                    .shares
                    .get(i * self.count..(i + 1) * self.count)
                    .unwrap_or(&[])
                    .to_vec();
                Bands {
                    year: self.years[i],
                    mean: self
                        .expected
                        .electrified_share(self.years[i])
                        .unwrap_or(f64::NAN),
                    percentiles: percentiles_by_selection(&mut column, PERCENTILES),
                }
            })
            .collect()
    }

    /// The share of draws in which UK cells cover UK battery demand, each projected year.
    pub fn cells_cover(&self) -> Vec<(i32, f64)> {
        if self.shares.is_empty() || self.count == 0 {
            return Vec::new();
        }
        self.years
            .iter()
            .zip(&self.covered)
            .map(|(y, c)| (*y, *c as f64 / self.count as f64))
            .collect()
    }

    fn column(&self, index: usize) -> Vec<f64> {
        self.totals
            .get(index * self.count..(index + 1) * self.count)
            .unwrap_or(&[])
            .to_vec()
    }

    /// Mean and percentiles of the total in each projected year; the mean is the expected
    /// projection's total, the same figure every other output shows.
    pub fn bands(&self) -> Vec<Bands> {
        (0..self.years.len())
            .into_par_iter()
            .map(|i| self.summarise_year(i, None).0)
            .collect()
    }

    /// The share of draws whose total reaches the target path, each projected year.
    pub fn target_probability(&self, inputs: &Inputs) -> Vec<(i32, f64)> {
        self.years
            .iter()
            .enumerate()
            .map(|(i, &year)| {
                let path = target_path(inputs.base_year, inputs.base_total, inputs.target, year);
                (year, self.reaching(&self.column(i), path))
            })
            .collect()
    }

    /// The share of `column`'s draws that reach `path`.
    fn reaching(&self, column: &[f64], path: f64) -> f64 {
        // Half a vehicle of slack, as for the projection itself.
        let reached = column.iter().filter(|t| **t >= path - 0.5).count();
        reached as f64 / self.count.max(1) as f64
    }

    /// The band of projected year `i` and, given the target path that year, the share of
    /// draws reaching it: from one copy of the year's totals.
    fn summarise_year(&self, i: usize, path: Option<f64>) -> (Bands, f64) {
        let mut column = self.column(i);
        let probability = path.map_or(0.0, |path| self.reaching(&column, path));
        let mean = self
            .expected
            .year(self.years[i])
            .and_then(|n| n.total)
            .unwrap_or(f64::NAN);
        let bands = Bands {
            year: self.years[i],
            mean,
            percentiles: percentiles_by_selection(&mut column, PERCENTILES),
        };
        (bands, probability)
    }
}

/// What the draws say, for tables and charts.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncertainty {
    /// Mean and percentiles, each projected year.
    pub bands: Vec<Bands>,
    /// Share of draws on or above the target path, each projected year.
    pub probability: Vec<(i32, f64)>,
    /// Mean and percentiles of the electrified share, each projected year (empty without a
    /// powertrain split).
    pub share_bands: Vec<Bands>,
    /// Share of draws in which UK cell capacity covers UK battery demand, each projected year.
    pub cells_cover: Vec<(i32, f64)>,
    /// How many draws.
    pub draws: usize,
    /// Their seed.
    pub seed: u64,
    /// With data uncertainty on: the spread of the same draws of the data's ranges for
    /// base-year plant outputs alone, every other input at its most likely value, so that a
    /// reader can see how much of the spread comes from not knowing today's plant split.
    pub data_only: Vec<Bands>,
}

impl Uncertainty {
    /// Summarise draws.
    pub fn new(draws: &Draws, inputs: &Inputs) -> Uncertainty {
        let (bands, probability) = (0..draws.years.len())
            .into_par_iter()
            .map(|i| {
                let year = draws.years[i];
                let path = target_path(inputs.base_year, inputs.base_total, inputs.target, year);
                let (bands, share) = draws.summarise_year(i, Some(path));
                (bands, (year, share))
            })
            .unzip();
        Uncertainty {
            bands,
            probability,
            share_bands: draws.share_bands(),
            cells_cover: draws.cells_cover(),
            draws: draws.count,
            seed: draws.seed,
            data_only: Vec::new(),
        }
    }

    /// The end-year band of the data's ranges alone, when data uncertainty is on.
    pub fn data_only_in(&self, year: i32) -> Option<&Bands> {
        self.data_only.iter().find(|b| b.year == year)
    }

    /// No draws (a scenario without uncertain inputs, in a comparison with draws).
    pub fn none() -> Uncertainty {
        Uncertainty {
            bands: Vec::new(),
            probability: Vec::new(),
            share_bands: Vec::new(),
            cells_cover: Vec::new(),
            draws: 0,
            seed: 0,
            data_only: Vec::new(),
        }
    }

    /// The probability of being on the target path in a year.
    pub fn probability_in(&self, year: i32) -> Option<f64> {
        self.probability
            .iter()
            .find(|(y, _)| *y == year)
            .map(|(_, p)| *p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniforms_are_in_range_and_keyed() {
        let key = stream_key("programmes.x.peak");
        let a = uniform(1, 7, key);
        assert!((0.0..1.0).contains(&a));
        assert_eq!(a, uniform(1, 7, key));
        assert_ne!(a, uniform(2, 7, key));
        assert_ne!(a, uniform(1, 8, key));
        assert_ne!(a, uniform(1, 7, stream_key("programmes.x.start")));
    }

    #[test]
    fn triangular_inverse_cdf_by_hand() {
        // low 0, mode 1, high 4: F(1) = 1/4, so u = 1/4 gives the mode.
        assert!((triangular(0.25, 0.0, 1.0, 4.0) - 1.0).abs() < 1e-12);
        assert_eq!(triangular(0.0, 0.0, 1.0, 4.0), 0.0);
        assert_eq!(triangular(1.0, 0.0, 1.0, 4.0), 4.0);
        // u = 0.5 lies above the mode: 4 − sqrt(0.5 × 4 × 3) = 4 − sqrt(6)
        assert!((triangular(0.5, 0.0, 1.0, 4.0) - (4.0 - 6f64.sqrt())).abs() < 1e-12);
        assert_eq!(triangular(0.3, 5.0, 5.0, 5.0), 5.0);
    }

    #[test]
    fn triangular_draws_match_the_distribution() {
        // low 60,000, mode 100,000, high 150,000: mean = 310,000 / 3; median above the mode
        // where (150,000 − m)² = 0.5 × 90,000 × 50,000 → m = 150,000 − 47,434.16.
        let key = stream_key("programmes.chery-halewood.peak");
        let mut values: Vec<f64> = (0..200_000)
            .map(|d| triangular(uniform(42, d, key), 60_000.0, 100_000.0, 150_000.0))
            .collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        assert!((mean - 310_000.0 / 3.0).abs() < 150.0, "{mean}");
        values.sort_unstable_by(f64::total_cmp);
        let median = percentile(&values, 0.5);
        assert!(
            (median - (150_000.0 - 2_250_000_000f64.sqrt())).abs() < 300.0,
            "{median}"
        );
        // P10 below the mode: (x − 60,000)² = 0.1 × 90,000 × 40,000 → x = 60,000 + 18,973.67
        let p10 = percentile(&values, 0.1);
        assert!(
            (p10 - (60_000.0 + 360_000_000f64.sqrt())).abs() < 300.0,
            "{p10}"
        );
    }

    #[test]
    fn chance_is_honoured() {
        let key = stream_key("shocks.0.probability");
        let happened: f64 = (0..100_000)
            .map(|d| sample(Dist::Chance(0.3), uniform(9, d, key)))
            .sum();
        assert!((happened / 100_000.0 - 0.3).abs() < 0.005, "{happened}");
    }

    #[test]
    fn selected_percentiles_are_the_sorted_ones() {
        let key = stream_key("programmes.x.peak");
        for n in [1usize, 2, 3, 10, 1_001, 20_000] {
            let values: Vec<f64> = (0..n as u64)
                .map(|d| triangular(uniform(3, d, key), 0.0, 5.0, 40.0).round())
                .collect();
            let mut sorted = values.clone();
            sorted.sort_unstable_by(f64::total_cmp);
            let want = PERCENTILES.map(|q| percentile(&sorted, q));
            let mut work = values.clone();
            assert_eq!(
                percentiles_by_selection(&mut work, PERCENTILES),
                want,
                "{n}"
            );
        }
    }

    #[test]
    fn percentiles_interpolate() {
        let sorted = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(percentile(&sorted, 0.5), 3.0);
        assert_eq!(percentile(&sorted, 0.25), 2.0);
        assert_eq!(percentile(&sorted, 0.1), 1.4);
    }

    /// Scenarios with every kind of uncertain input between them: continuous ranges of every
    /// slot (one of them), then only chances and years (which draw plans tabulate), with a
    /// drawn shock year.
    const EVERY_KIND: &str = r#"
description = "every kind of uncertain input"
[horizon]
end_year = 2036
[target]
volume = 1300000
year = 2035
[assumptions]
utilisation_cap = { low = 0.8, mode = 0.9, high = 1.0 }
other_growth = { low = -0.02, mode = 0.0, high = 0.03 }
[plants.jlr-solihull]
capacity = { low = 150000, mode = 200000, high = 250000 }
growth = { low = -0.05, mode = 0.0, high = 0.05 }
[plants.toyota-burnaston]
output = { 2028 = { low = 100000, mode = 120000, high = 150000 }, 2031 = 140000 }
closes = { low = 2031, mode = 2033, high = 2036 }
utilisation_cap = { low = 0.7, mode = 0.8, high = 0.95 }
[new_plants.x]
name = "X"
operator = "X"
segment = "cv"
capacity = { low = 20000, mode = 40000, high = 60000 }
opens = { low = 2028, mode = 2029, high = 2031 }
utilisation_cap = { low = 0.6, mode = 0.8, high = 1.0 }
probability = 0.6
jobs = { low = 300, mode = 500, high = 900 }
[programmes.a]
plant = "x"
maker = "X"
start = { low = 2028, mode = 2029, high = 2032 }
peak = { low = 10000, mode = 30000, high = 50000 }
ramp_years = { low = 1, mode = 2, high = 4 }
ends = { low = 2033, mode = 2034, high = 2036 }
probability = 0.7
powertrain = { BEV = 0.7, PHEV = 0.3 }
battery_kwh = { BEV = { low = 40, mode = 60, high = 90 }, PHEV = 20 }
jobs = { low = 100, mode = 400, high = 600 }
[programmes.b]
plant = "mini-oxford"
start = 2027
peak = 20000
powertrain = "BEV"
battery_kwh = { low = 40, mode = 50, high = 55 }
jobs = { low = 0, mode = 200, high = 300 }
[battery_plants.agratas-somerset]
capacity = { 2028 = { low = 0, mode = 20, high = 30 }, 2031 = 40 }
[[shocks]]
year = { low = 2027, mode = 2028, high = 2030 }
lost_weeks = { low = 1, mode = 2, high = 4 }
probability = 0.3
[[shocks]]
year = 2029
plant = "nissan-sunderland"
lost_weeks = { low = 1, mode = 3, high = 6 }
probability = 0.5
[[shocks]]
year = 2030
maker = "BMW"
lost_weeks = 3
probability = 0.4
"#;
    const FEW_VALUES: &str = r#"
description = "only chances and years"
[horizon]
end_year = 2035
[target]
volume = 1300000
year = 2035
[plants.toyota-burnaston]
closes = { low = 2030, mode = 2032, high = 2034 }
[new_plants.x]
name = "X"
operator = "X"
segment = "car"
capacity = 80000
opens = { low = 2028, mode = 2029, high = 2031 }
probability = 0.6
[programmes.a]
plant = "x"
maker = "X"
start = { low = 2028, mode = 2029, high = 2032 }
peak = 60000
ramp_years = { low = 1, mode = 2, high = 4 }
probability = 0.7
[programmes.b]
plant = "mini-oxford"
maker = "BMW"
start = 2029
peak = 30000
ramp_years = 2
probability = 0.5
[[shocks]]
year = { low = 2027, mode = 2028, high = 2030 }
lost_weeks = 4
probability = 0.3
[[shocks]]
year = 2029
maker = "JLR"
lost_weeks = 5
probability = 0.5
"#;

    /// A draw plan gives every number a full fill gives, to the last bit, in every draw: the
    /// numbers that can differ in the plan's buffer, the rest as its constants or (out of the
    /// drawn inputs' reach) the modal case's own; and the same national totals.
    #[test]
    fn a_draw_plan_equals_a_full_fill() {
        use crate::engine::{Place, fill, project_inputs};
        use crate::scenario::{Library, parse_set, resolve};
        use std::path::Path;
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let data = crate::data::load(&root.join("data")).expect("shipped data");
        let shipped = Library::new(&root.join("scenarios"));
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("every-kind.toml"), EVERY_KIND).expect("written");
        std::fs::write(dir.path().join("few-values.toml"), FEW_VALUES).expect("written");
        let made = Library::new(dir.path());
        let data_on = parse_set("assumptions.data_uncertainty=true").expect("set");
        let mut cases: Vec<(&Library, String, Vec<_>)> = Vec::new();
        for name in shipped.names().expect("scenarios") {
            cases.push((&shipped, name.clone(), vec![]));
            cases.push((&shipped, name, vec![data_on.clone()]));
        }
        let follow = parse_set("assumptions.existing_jobs=\"follow-output\"").expect("set");
        for name in ["every-kind", "few-values"] {
            cases.push((&made, name.to_string(), vec![]));
            cases.push((&made, name.to_string(), vec![data_on.clone()]));
            cases.push((
                &made,
                name.to_string(),
                vec![follow.clone(), data_on.clone()],
            ));
        }
        let mut tabulated = 0;
        for (library, name, sets) in cases {
            let s = resolve(library, &data, &name, &sets).expect("resolves");
            let inputs = Inputs::new(&data, &s);
            let modal = project_inputs(&data, &s, &inputs);
            let prepared = prepare(&inputs, &s.uncertain);
            let drawn: Vec<Drawn> = prepared.iter().map(Prepared::plan).collect();
            let plan = DrawPlan::new(&inputs, &modal, &drawn);
            let derived = DerivedPlan::new(&inputs, &modal, plan.numbers(), &drawn);
            let mut derived_buffer = derived.buffer();
            tabulated += plan.tabulated();
            let numbers = |p: &Projection| {
                let mut p = p.clone();
                let mut v = Vec::new();
                p.for_each_number(|x| v.push(x.to_bits()));
                v
            };
            let modal_numbers = numbers(&modal);
            let mut scratch = inputs.clone();
            let mut buffer = plan.buffer();
            let mut values = vec![0.0; prepared.len()];
            let mut totals = vec![0.0; inputs.years().count()];
            for draw in 0..400 {
                for (p, value) in prepared.iter().zip(values.iter_mut()) {
                    *value = p.drawn(7, draw);
                    scratch.set(p.slot, *value);
                }
                plan.draw(&scratch, &values, &mut buffer, &mut totals);
                let mut full = modal.clone();
                fill(&scratch, &mut full);
                // The plan's numbers, written where they live; the rest stay modal.
                let mut planned = modal.clone();
                let summed = plan.summed(&buffer);
                plan.write(&mut planned, |v| match v {
                    Value::Summed(k) => summed[k],
                    Value::Constant(c) => c,
                });
                assert!(
                    numbers(&planned) == numbers(&full),
                    "{name} {sets:?}: draw {draw} differs"
                );
                let projected = full
                    .national
                    .iter()
                    .filter(|n| n.source == crate::engine::Source::Projected);
                let want: Vec<u64> = projected
                    .map(|n| n.total.unwrap_or(0.0).to_bits())
                    .collect();
                let got: Vec<u64> = totals.iter().map(|t| t.to_bits()).collect();
                assert_eq!(got, want, "{name} {sets:?}: draw {draw}'s totals differ");
                // The derived tables: the same figures, added up in another order.
                let mut shares = vec![0.0f32; totals.len()];
                derived.draw(
                    &scratch,
                    plan.summed(&buffer),
                    &totals,
                    &mut derived_buffer,
                    &mut shares,
                );
                let mut want = Vec::new();
                full.for_each_derived_number(|x| want.push(*x));
                assert_eq!(want.len(), derived_buffer.len(), "{name}");
                if inputs.industry.has_powertrain {
                    for (share, year) in shares.iter().zip(inputs.years()) {
                        let full_share = full.electrified_share(year).unwrap_or(0.0) as f32;
                        assert!(
                            (share - full_share).abs() < 1e-6,
                            "{name}: {year} share {share}, not {full_share}"
                        );
                    }
                }
                // The output by powertrain is worked out from components after the draws.
                let skip = if inputs.industry.has_powertrain {
                    8 * totals.len()
                } else {
                    0
                };
                for (i, (a, b)) in derived_buffer.iter().zip(&want).enumerate().skip(skip) {
                    assert!(
                        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
                        "{name} {sets:?}: draw {draw}'s derived number {i} is {a}, not {b}"
                    );
                }
            }
            // Every number out of the plan's reach is the modal case's in every draw: checked
            // above; and the plan names each number once.
            let mut places: Vec<Place> = plan.numbers().iter().map(|(p, _)| *p).collect();
            let before = places.len();
            places.sort_by_key(|p| format!("{p:?}"));
            places.dedup();
            assert_eq!(places.len(), before, "{name}: a number is planned twice");
            assert_eq!(modal_numbers.len(), numbers(&modal).len());
        }
        assert!(tabulated > 0, "some plants are tabulated");
    }

    /// Setting a draw's values together leaves the inputs exactly as setting them in turn:
    /// checked with the data's ranges drawn, where the base year is made to add up once.
    #[test]
    fn setting_drawn_values_together_equals_setting_them_in_turn() {
        use crate::scenario::{Library, parse_set, resolve};
        use std::path::Path;
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let data = crate::data::load(&root.join("data")).expect("shipped data");
        let library = Library::new(&root.join("scenarios"));
        let data_on = parse_set("assumptions.data_uncertainty=true").expect("set");
        for name in [
            "target-1-3m-uncertain",
            "baseline",
            "chery-halewood-uncertain",
        ] {
            let s =
                resolve(&library, &data, name, std::slice::from_ref(&data_on)).expect("resolves");
            let inputs = Inputs::new(&data, &s);
            let prepared = prepare(&inputs, &s.uncertain);
            assert!(
                prepared
                    .iter()
                    .any(|p| matches!(p.slot, InputSlot::BaseOutput(_)))
            );
            let slots: Vec<InputSlot> = prepared.iter().map(|p| p.slot).collect();
            let (mut in_turn, mut together) = (inputs.clone(), inputs.clone());
            for draw in 0..300 {
                let values: Vec<f64> = prepared.iter().map(|p| p.drawn(3, draw)).collect();
                for (&slot, &value) in slots.iter().zip(&values) {
                    in_turn.set(slot, value);
                }
                together.set_all(&slots, &values);
                assert_eq!(
                    format!("{together:?}"),
                    format!("{in_turn:?}"),
                    "{name}: draw {draw}"
                );
            }
        }
    }
}
