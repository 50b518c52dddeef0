//! The method's rules, one small function each, so each can be tested by hand.

use super::inputs::{ProgrammeInput, ShockInput, ShockTarget};
use crate::scenario::{Curve, ExistingPath, Target};
#[cfg(test)]
use crate::scenario::{Level, Waypoint};

/// Rule 1: a plant's existing production in `year`, from its base-year output.
pub fn existing_output(path: &ExistingPath, base_year: i32, base: f64, year: i32) -> f64 {
    match path {
        ExistingPath::Flat => base,
        ExistingPath::Growth(g) => base * (1.0 + g).powi(year - base_year),
        ExistingPath::Waypoints(points) => {
            let mut previous = (base_year, base);
            for point in points {
                let (y, v) = (point.year, point.level.output(base));
                if year <= y {
                    let (y0, v0) = previous;
                    let t = f64::from(year - y0) / f64::from(y - y0);
                    return v0 + (v - v0) * t;
                }
                previous = (y, v);
            }
            previous.1
        }
    }
}

/// Rule 2: a programme's volume in `year` (before capacity and shocks).
pub fn programme_volume(programme: &ProgrammeInput, year: i32) -> f64 {
    programme.peak * programme_fraction(programme, year)
}

/// Rule 2's ramp: how far a programme is towards its peak in `year`, 0 to 1 (0 when it is
/// switched off, has not started or has ended).
pub fn programme_fraction(programme: &ProgrammeInput, year: i32) -> f64 {
    let inactive = !programme.enabled
        || !programme.happens
        || year < programme.start
        || programme.ends.is_some_and(|ends| year >= ends);
    if inactive {
        return 0.0;
    }
    if programme.ramp_years == 0 {
        return 1.0;
    }
    let t = f64::from(year - programme.start + 1) / f64::from(programme.ramp_years);
    let u = t.min(1.0);
    match programme.curve {
        Curve::Linear => u,
        Curve::SCurve => 3.0 * u * u - 2.0 * u * u * u,
    }
}

/// Rule 5: the share of output left after every shock that hits this plant in `year`.
///
/// `plant` is `(plant index, operator index)`, or `None` for the residual, which only
/// economy-wide shocks hit.
pub fn shock_factor(shocks: &[ShockInput], year: i32, plant: Option<(usize, usize)>) -> f64 {
    shocks
        .iter()
        .filter(|s| s.year == year && s.happens)
        .filter(|s| match (s.target, plant) {
            (ShockTarget::All, _) => true,
            (ShockTarget::Plant(id), Some((plant, _))) => id == plant,
            (ShockTarget::Operator(op), Some((_, operator))) => op == operator,
            _ => false,
        })
        .map(|s| 1.0 - s.lost_weeks / 52.0)
        .product()
}

/// Rule 8: the straight path from the base-year total to the target, flat after the target year.
pub fn target_path(base_year: i32, base_total: f64, target: Target, year: i32) -> f64 {
    if year >= target.year {
        return target.volume;
    }
    let t = f64::from(year - base_year) / f64::from(target.year - base_year);
    base_total + (target.volume - base_total) * t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn programme(start: i32, peak: f64, ramp_years: u32, curve: Curve) -> ProgrammeInput {
        ProgrammeInput {
            plant: 0,
            start,
            peak,
            ramp_years,
            curve,
            ends: None,
            enabled: true,
            happens: true,
        }
    }

    #[test]
    fn flat_and_growth() {
        assert_eq!(
            existing_output(&ExistingPath::Flat, 2025, 1000.0, 2030),
            1000.0
        );
        // 1000 × 1.1² = 1210
        let g = existing_output(&ExistingPath::Growth(0.1), 2025, 1000.0, 2027);
        assert!((g - 1210.0).abs() < 1e-9, "{g}");
        // 1000 × 0.97³ = 912.673
        let g = existing_output(&ExistingPath::Growth(-0.03), 2025, 1000.0, 2028);
        assert!((g - 912.673).abs() < 1e-9, "{g}");
    }

    #[test]
    fn waypoints_interpolate_from_the_base_year_and_hold_after_the_last() {
        let path = ExistingPath::Waypoints(vec![
            Waypoint {
                year: 2027,
                level: Level::Volume(90_000.0),
            },
            Waypoint {
                year: 2030,
                level: Level::Volume(120_000.0),
            },
        ]);
        let at = |y| existing_output(&path, 2025, 60_000.0, y);
        assert_eq!(at(2026), 75_000.0); // halfway from 60k to 90k
        assert_eq!(at(2027), 90_000.0);
        assert_eq!(at(2028), 100_000.0); // a third of the way from 90k to 120k
        assert_eq!(at(2030), 120_000.0);
        assert_eq!(at(2035), 120_000.0);
    }

    #[test]
    fn a_multiple_of_the_base_follows_the_base() {
        // 1.2 × base by 2030, through 100,000 in 2027: with a base of 80,000 the 2030 level
        // is 96,000; 2026 is halfway from 80,000 to 100,000; 2029 is two thirds of the way
        // from 100,000 to 96,000.
        let path = ExistingPath::Waypoints(vec![
            Waypoint {
                year: 2027,
                level: Level::Volume(100_000.0),
            },
            Waypoint {
                year: 2030,
                level: Level::OfBase(1.2),
            },
        ]);
        let at = |base, y| existing_output(&path, 2025, base, y);
        assert_eq!(at(80_000.0, 2026), 90_000.0);
        assert_eq!(at(80_000.0, 2030), 96_000.0);
        assert!((at(80_000.0, 2029) - (100_000.0 - 4_000.0 * 2.0 / 3.0)).abs() < 1e-9);
        // The same path from a base of 90,000: 108,000 in 2030 and after.
        assert_eq!(at(90_000.0, 2030), 108_000.0);
        assert_eq!(at(90_000.0, 2035), 108_000.0);
    }

    #[test]
    fn linear_ramp() {
        let p = programme(2028, 90_000.0, 3, Curve::Linear);
        let v: Vec<f64> = (2027..=2031).map(|y| programme_volume(&p, y)).collect();
        assert_eq!(v, [0.0, 30_000.0, 60_000.0, 90_000.0, 90_000.0]);
    }

    #[test]
    fn s_curve_ramp() {
        // t = 1/4: 3/16 − 2/64 = 0.15625; t = 1/2: 0.5; t = 3/4: 27/16 − 54/64 = 0.84375
        let p = programme(2030, 100_000.0, 4, Curve::SCurve);
        let v: Vec<f64> = (2030..=2034).map(|y| programme_volume(&p, y)).collect();
        assert_eq!(v, [15_625.0, 50_000.0, 84_375.0, 100_000.0, 100_000.0]);
    }

    #[test]
    fn zero_ramp_ends_and_disabled() {
        let mut p = programme(2028, 50_000.0, 0, Curve::Linear);
        assert_eq!(programme_volume(&p, 2028), 50_000.0);
        p.ends = Some(2031);
        assert_eq!(programme_volume(&p, 2030), 50_000.0);
        assert_eq!(programme_volume(&p, 2031), 0.0);
        p.enabled = false;
        assert_eq!(programme_volume(&p, 2029), 0.0);
        p.enabled = true;
        p.happens = false;
        assert_eq!(programme_volume(&p, 2029), 0.0);
    }

    #[test]
    fn shocks_multiply_and_match_by_plant_maker_or_all() {
        // plant 0 = jlr-solihull (operator 0 = JLR), plant 1 = jlr-halewood (JLR), plant 2 = Nissan (1)
        let shock = |target, lost_weeks| ShockInput {
            year: 2026,
            target,
            lost_weeks,
            happens: true,
        };
        let mut shocks = vec![
            shock(ShockTarget::Plant(0), 5.2),
            shock(ShockTarget::Operator(0), 13.0),
            shock(ShockTarget::All, 26.0),
        ];
        let solihull = shock_factor(&shocks, 2026, Some((0, 0)));
        assert!((solihull - 0.9 * 0.75 * 0.5).abs() < 1e-12, "{solihull}");
        assert_eq!(shock_factor(&shocks, 2026, Some((1, 0))), 0.75 * 0.5);
        assert_eq!(shock_factor(&shocks, 2026, Some((2, 1))), 0.5);
        assert_eq!(shock_factor(&shocks, 2026, None), 0.5);
        assert_eq!(shock_factor(&shocks, 2027, None), 1.0);
        shocks[2].happens = false;
        assert_eq!(shock_factor(&shocks, 2026, None), 1.0);
    }

    #[test]
    fn target_path_is_a_straight_line_then_flat() {
        let target = Target {
            volume: 1_300_000.0,
            year: 2035,
        };
        assert_eq!(target_path(2025, 800_000.0, target, 2025), 800_000.0);
        assert_eq!(target_path(2025, 800_000.0, target, 2030), 1_050_000.0);
        assert_eq!(target_path(2025, 800_000.0, target, 2035), 1_300_000.0);
        assert_eq!(target_path(2025, 800_000.0, target, 2040), 1_300_000.0);
    }
}
