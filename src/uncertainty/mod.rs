//! Uncertainty: Monte Carlo draws of a scenario's ranges and probabilities, one-at-a-time
//! sensitivity, and goal seek. Everything runs the same engine as the modal projection.

mod checks;
mod seek;
mod sensitivity;

use rayon::prelude::*;

use crate::engine::{
    Basis, InputSlot, Inputs, Projection, Source, Touched, fill_touched, target_path,
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
    let z =
        mix(mix(seed ^ 0x9e37_79b9_7f4a_7c15) ^ mix(draw.wrapping_add(key.rotate_left(17))) ^ key);
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
        self.engine_value(sample(self.dist, uniform(seed, draw, self.key)))
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
    /// Totals, draw by draw: `totals[draw * years.len() + year_index]`.
    pub totals: Vec<f64>,
    /// The electrified share of output, draw by draw like `totals` (single precision: a
    /// share needs no more, and a million draws stay within memory); empty when the data
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
    // change: every other number of the expected projection is the modal case's own.
    let touched = Touched::by(inputs, prepared.iter().map(|p| p.slot));
    let varying = Varying::of(modal, inputs, &touched);
    // Each chunk adds up its draws' numbers in draw order; chunks are then added in chunk
    // order, so the means are the same bytes whatever the number of threads.
    let mut chunk_sums: Vec<(Vec<f64>, Vec<usize>)> = Vec::new();
    if width > 0 {
        let share_chunks: Vec<&mut [f32]> = if with_powertrain {
            shares.chunks_mut(CHUNK * width).collect()
        } else {
            totals.chunks(CHUNK * width).map(|_| &mut [][..]).collect()
        };
        chunk_sums = totals
            .par_chunks_mut(CHUNK * width)
            .zip(share_chunks)
            .enumerate()
            .map(|(chunk, (rows, share_rows))| {
                let mut scratch = inputs.clone();
                let mut projection = modal.clone();
                let mut sums = vec![0.0; varying.len()];
                let mut covers = vec![0usize; width];
                for (i, row) in rows.chunks_mut(width).enumerate() {
                    let draw = (chunk * CHUNK + i) as u64;
                    for p in &prepared {
                        scratch.set(p.slot, p.drawn(seed, draw));
                    }
                    fill_touched(&scratch, &mut projection, &touched);
                    let projected = &projection.national[varying.first_projected..];
                    for (slot, n) in row.iter_mut().zip(projected) {
                        *slot = n.total.unwrap_or(0.0);
                    }
                    if with_powertrain {
                        let share_row = &mut share_rows[i * width..(i + 1) * width];
                        electrified_shares(&projection, share_row);
                        for (c, b) in covers.iter_mut().zip(
                            projection
                                .batteries
                                .iter()
                                .filter(|b| b.source == Source::Projected),
                        ) {
                            if b.demand_gwh <= b.capacity_gwh {
                                *c += 1;
                            }
                        }
                    }
                    varying.add(&mut projection, &mut sums);
                }
                progress((rows.len() / width) as u64);
                (sums, covers)
            })
            .collect();
    }
    for (_, covers) in &chunk_sums {
        for (c, n) in covered.iter_mut().zip(covers) {
            *c += n;
        }
    }
    let mut expected = modal.clone();
    if count > 0 {
        let mut sums = vec![0.0; varying.len()];
        for (chunk, _) in &chunk_sums {
            for (sum, v) in sums.iter_mut().zip(chunk) {
                *sum += v;
            }
        }
        varying.write_means(&mut expected, &sums, count);
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

/// Where a number of a projection lives, for reading it in every draw.
#[derive(Debug, Clone, Copy)]
enum Number {
    /// A plant row's demand, capacity, output or constrained (0 to 3).
    Plant(usize, u8),
    /// A component row's output.
    Component(usize),
    /// A projected national row's cars, commercial vehicles, total or gap (0 to 3).
    National(usize, u8),
}

/// The numbers of a projection that draws of some inputs can change, in the order
/// [`Projection::for_each_number`] visits them, with their places in that order.
struct Varying {
    /// (index in the full order, where it lives).
    numbers: Vec<(usize, Number)>,
    /// The index of the first projected national row.
    first_projected: usize,
    /// How many powertrain, battery and jobs numbers follow the others (every one varies).
    derived: usize,
}

impl Varying {
    /// The numbers of `modal` that `touched` can change: the rows of touched plants and of the
    /// residuals if touched, their components, and every projected national figure.
    fn of(modal: &Projection, inputs: &Inputs, touched: &Touched) -> Varying {
        let per_year = inputs.plants.len() + 2;
        let row_varies = |r: usize| {
            let year_block = r / per_year;
            let j = r % per_year;
            year_block > 0
                && match touched.plants.get(j) {
                    Some(t) => *t,
                    None => touched.residuals,
                }
        };
        let mut component_varies = Vec::with_capacity(modal.components.len());
        for _ in inputs.years() {
            for (i, p) in inputs.plants.iter().enumerate() {
                component_varies.extend(std::iter::repeat_n(touched.plants[i], p.components()));
            }
            component_varies.extend([touched.residuals; 2]);
        }
        let mut numbers = Vec::new();
        let mut k = 0;
        for (r, row) in modal.plants.iter().enumerate() {
            let fields: &[u8] = if row.capacity.is_some() {
                &[0, 1, 2, 3]
            } else {
                &[0, 2, 3]
            };
            for &f in fields {
                if row_varies(r) {
                    numbers.push((k, Number::Plant(r, f)));
                }
                k += 1;
            }
        }
        for c in 0..modal.components.len() {
            if component_varies.get(c).copied().unwrap_or(true) {
                numbers.push((k, Number::Component(c)));
            }
            k += 1;
        }
        let first_projected = modal
            .national
            .iter()
            .position(|n| n.source == Source::Projected)
            .unwrap_or(modal.national.len());
        for (n, row) in modal.national[first_projected..].iter().enumerate() {
            let fields = [
                Some(0u8),
                row.commercial_vehicles.map(|_| 1),
                row.total.map(|_| 2),
                row.gap.map(|_| 3),
            ];
            for f in fields.into_iter().flatten() {
                numbers.push((k, Number::National(first_projected + n, f)));
                k += 1;
            }
        }
        let mut derived = 0;
        modal.clone().for_each_derived_number(|_| derived += 1);
        Varying {
            numbers,
            first_projected,
            derived,
        }
    }

    fn len(&self) -> usize {
        self.numbers.len() + self.derived
    }

    fn read(p: &Projection, number: Number) -> f64 {
        match number {
            Number::Plant(r, f) => {
                let row = &p.plants[r];
                match f {
                    0 => row.demand,
                    1 => row.capacity.unwrap_or(0.0),
                    2 => row.output,
                    _ => row.constrained,
                }
            }
            Number::Component(c) => p.components[c].output,
            Number::National(n, f) => {
                let row = &p.national[n];
                match f {
                    0 => row.cars,
                    1 => row.commercial_vehicles.unwrap_or(0.0),
                    2 => row.total.unwrap_or(0.0),
                    _ => row.gap.unwrap_or(0.0),
                }
            }
        }
    }

    /// Add one draw's varying numbers into `sums`.
    fn add(&self, p: &mut Projection, sums: &mut [f64]) {
        for (sum, (_, number)) in sums.iter_mut().zip(&self.numbers) {
            *sum += Self::read(p, *number);
        }
        let mut rest = sums[self.numbers.len()..].iter_mut();
        p.for_each_derived_number(|v| {
            if let Some(sum) = rest.next() {
                *sum += *v;
            }
        });
    }

    /// Put each varying number's mean into `expected`, which holds the modal case.
    fn write_means(&self, expected: &mut Projection, sums: &[f64], count: usize) {
        let (own, derived) = sums.split_at(self.numbers.len());
        let mut next = self.numbers.iter().zip(own).peekable();
        let mut k = 0;
        let mut writing = true;
        expected.for_each_number(|v| {
            if !writing {
                return;
            }
            if let Some(((index, _), sum)) = next.peek()
                && *index == k
            {
                *v = *sum / count as f64;
                next.next();
            }
            k += 1;
            writing = next.peek().is_some();
        });
        let mut derived = derived.iter();
        expected.for_each_derived_number(|v| {
            if let Some(sum) = derived.next() {
                *v = *sum / count as f64;
            }
        });
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
pub fn percentiles_by_selection<const N: usize>(values: &mut [f64], qs: [f64; N]) -> [f64; N] {
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
    // Each selection leaves everything below its index before it and above after it, so
    // the next one only searches what lies above.
    let mut start = 0;
    let mut found = Vec::with_capacity(wanted.len());
    for &index in &wanted {
        let (_, value, _) = values[start..].select_nth_unstable_by(index - start, f64::total_cmp);
        found.push((index, *value));
        start = index + 1;
    }
    let at = |index: usize| {
        found
            .iter()
            .find(|(i, _)| *i == index)
            .map_or(f64::NAN, |(_, v)| *v)
    };
    ends.map(|(lo, hi, fraction)| at(lo) + (at(hi) - at(lo)) * fraction)
}

/// The electrified share of all output in each projected year of a filled projection.
fn electrified_shares(p: &Projection, out: &mut [f32]) {
    let mut rows = p
        .powertrain
        .iter()
        .filter(|r| r.source == Source::Projected);
    for slot in out.iter_mut() {
        let (Some(a), Some(b)) = (rows.next(), rows.next()) else {
            break;
        };
        let total = a.total() + b.total();
        let electrified = a.electrified() + b.electrified();
        *slot = crate::engine::share(electrified, total) as f32;
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
                let mut column: Vec<f64> = (0..self.count)
                    .map(|d| f64::from(self.shares[d * width + i]))
                    .collect();
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
        let width = self.years.len();
        (0..self.count)
            .map(|d| self.totals[d * width + index])
            .collect()
    }

    /// Mean and percentiles of the total in each projected year; the mean is the expected
    /// projection's total, the same figure every other output shows.
    pub fn bands(&self) -> Vec<Bands> {
        (0..self.years.len())
            .into_par_iter()
            .map(|i| {
                let mut column = self.column(i);
                let mean = self
                    .expected
                    .year(self.years[i])
                    .and_then(|n| n.total)
                    .unwrap_or(f64::NAN);
                Bands {
                    year: self.years[i],
                    mean,
                    percentiles: percentiles_by_selection(&mut column, PERCENTILES),
                }
            })
            .collect()
    }

    /// The share of draws whose total reaches the target path, each projected year.
    pub fn target_probability(&self, inputs: &Inputs) -> Vec<(i32, f64)> {
        self.years
            .iter()
            .enumerate()
            .map(|(i, &year)| {
                let path = target_path(inputs.base_year, inputs.base_total, inputs.target, year);
                // Half a vehicle of slack, as for the projection itself.
                let reached = self.column(i).iter().filter(|t| **t >= path - 0.5).count();
                (year, reached as f64 / self.count.max(1) as f64)
            })
            .collect()
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
        Uncertainty {
            bands: draws.bands(),
            probability: draws.target_probability(inputs),
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
}
