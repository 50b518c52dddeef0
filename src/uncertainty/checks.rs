//! A scenario's `[[checks]]`, tested on the figures its outputs show: the expected values
//! (or the one projection), a percentile of the draws, or the chance of the target.

use crate::engine::{Basis, Projection};
use crate::scenario::{CHECK_PERCENTILES, Check, CheckSubject, Statistic};

use super::Uncertainty;

/// A check evaluated on a projection and its draws.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    /// The check.
    pub check: Check,
    /// The value it bounds (a count, or a chance between 0 and 1).
    pub value: f64,
    /// What the projection's figures are (for a check of the expected value or without draws).
    pub basis: Basis,
    /// How many draws a percentile or chance came from; `None` when it came from the
    /// projection itself.
    pub draws: Option<usize>,
    /// Whether the value is within the bounds.
    pub passed: bool,
}

/// Evaluate checks on the projection every output shows (`projection`, the expected values
/// when draws ran) and on the draws' percentiles and chances. Without draws, a percentile is
/// the projection itself and a chance is 1 or 0: whether the projection is on the path.
pub fn evaluate_checks(
    projection: &Projection,
    uncertainty: Option<&Uncertainty>,
    checks: &[Check],
) -> Vec<CheckResult> {
    let makers = projection.makers();
    let national = |year: i32| projection.year(year);
    checks
        .iter()
        .map(|check| {
            let year = check.year;
            let headline = || match &check.subject {
                CheckSubject::Maker(maker) => makers
                    .iter()
                    .find(|m| &m.maker == maker)
                    .and_then(|m| m.outputs.get((year - projection.base_year) as usize))
                    .copied()
                    .unwrap_or(0.0),
                CheckSubject::ElectrifiedShare => {
                    projection.electrified_share(year).unwrap_or(f64::NAN)
                }
                CheckSubject::BatteryShortfall => projection
                    .battery_year(year)
                    .map_or(f64::NAN, |b| b.shortfall_gwh),
                CheckSubject::Jobs => projection.jobs_in(year),
                _ => national(year).and_then(|n| n.total).unwrap_or(0.0),
            };
            let draws = uncertainty.filter(|u| u.draws > 0);
            let (value, from_draws) = match (&check.subject, check.statistic, draws) {
                (CheckSubject::ChanceOfTarget, _, Some(u)) => {
                    (u.probability_in(year).unwrap_or(0.0), Some(u.draws))
                }
                (CheckSubject::ChanceOfTarget, _, None) => {
                    let on = national(year)
                        .and_then(|n| n.gap)
                        .is_some_and(|g| g >= -0.5);
                    (f64::from(u8::from(on)), None)
                }
                (CheckSubject::ElectrifiedShare, Statistic::Percentile(p), Some(u)) => {
                    let k = CHECK_PERCENTILES.iter().position(|q| *q == p).unwrap_or(3);
                    let value = u
                        .share_bands
                        .iter()
                        .find(|b| b.year == year)
                        .map_or(f64::NAN, |b| b.percentiles[k]);
                    (value, Some(u.draws))
                }
                (_, Statistic::Percentile(p), Some(u)) => {
                    let k = CHECK_PERCENTILES.iter().position(|q| *q == p).unwrap_or(3);
                    let value = u
                        .bands
                        .iter()
                        .find(|b| b.year == year)
                        .map_or(f64::NAN, |b| b.percentiles[k]);
                    (value, Some(u.draws))
                }
                _ => (headline(), None),
            };
            let slack = if check.subject == CheckSubject::ChanceOfTarget {
                1e-9
            } else if check.subject == CheckSubject::ElectrifiedShare {
                // Half of the 0.1 percentage point that tables show.
                0.0005
            } else if check.subject == CheckSubject::BatteryShortfall {
                // Half of the 0.01 GWh that tables show.
                0.005
            } else {
                // Half a vehicle: tables show whole vehicles.
                0.5
            };
            let passed = value.is_finite()
                && check.min.is_none_or(|min| value >= min - slack)
                && check.max.is_none_or(|max| value <= max + slack);
            CheckResult {
                check: check.clone(),
                value,
                basis: projection.basis,
                draws: from_draws,
                passed,
            }
        })
        .collect()
}
