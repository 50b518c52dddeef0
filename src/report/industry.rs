//! A scenario's "Powertrain, batteries and jobs": its powertrain, battery and jobs charts, each
//! with a paragraph of the figures behind it, every figure as powertrain.csv, batteries.csv
//! and jobs.csv round it (shares to two places of a percentage, GWh to two decimals, whole
//! jobs and vehicles), and saying what it is (actual, estimate, projected, expected, modal
//! case).

use super::Figure;
use super::blocks::{Block, Tone};
use crate::data::{Powertrain, Segment};
use crate::engine::{Basis, PowertrainYear, Projection, share};
use crate::number::{and_list, thousands};
use crate::uncertainty::Uncertainty;

/// The charts this part shows, by the end of their PNG's name ("NAME-powertrain.png").
pub const CHARTS: [&str; 3] = ["powertrain", "batteries", "jobs"];

/// Which of `CHARTS` a figure is, if any.
pub fn chart_of(figure: &Figure) -> Option<usize> {
    CHARTS
        .iter()
        .position(|c| figure.png.ends_with(&format!("-{c}.png")))
}

/// A share as the tables print it (a fraction to four decimals), as a percentage: 0.4165 is
/// "41.65%".
pub fn percent(x: f64) -> String {
    let table: f64 = format!("{x:.4}").parse().unwrap_or(x);
    format!("{:.2}%", table * 100.0)
}

/// A share the data state in whole percentages (the ZEV mandate's): "80%".
fn whole(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// GWh as batteries.csv prints it: two decimals.
fn gwh_value(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// GWh in words: "9.29 GWh".
fn gwh(x: f64) -> String {
    let v = gwh_value(x);
    format!("{:.2} GWh", if v == 0.0 { 0.0 } else { v })
}

/// A count as the tables print it (whole vehicles or jobs), with separators.
fn count(x: f64) -> f64 {
    x.round()
}

/// A signed count: "+1,500", "−1,120", "no change".
fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", thousands(x))
    } else if x < 0.0 {
        format!("−{}", thousands(-x))
    } else {
        "no change".into()
    }
}

/// What the projected figures are, in brackets after a year: "projected", "expected, the mean
/// of 10,000 draws", "modal case: every uncertain item happening".
fn what(p: &Projection) -> String {
    match p.basis {
        Basis::Certain => "projected".into(),
        Basis::Expected { draws, .. } => {
            format!("expected, the mean of {} draws", thousands(draws as f64))
        }
        Basis::Modal => "modal case: every uncertain item happening".into(),
    }
}

/// A segment's row in a year.
fn segment(p: &Projection, year: i32, s: Segment) -> Option<&PowertrainYear> {
    p.powertrain
        .iter()
        .find(|r| r.year == year && r.segment == s)
}

/// Electrified vehicles of a row as the table's columns add them up (each rounded on its
/// own).
fn electrified_count(r: &PowertrainYear) -> f64 {
    [Powertrain::Bev, Powertrain::Phev, Powertrain::Hev]
        .iter()
        .map(|pt| count(r.of(*pt)))
        .sum()
}

/// The powertrain paragraph: the electrified share in the base and end years (all vehicles,
/// and of cars), the spread of the draws, the battery-electric share of cars, and the ZEV
/// mandate as a sales reference.
pub fn powertrain_text(p: &Projection, u: Option<&Uncertainty>) -> Option<String> {
    let (base, end) = (p.base_year, p.end_year);
    let first = p.powertrain_in(base)?;
    let last = p.powertrain_in(end)?;
    let share_of = |r: &PowertrainYear| percent(share(r.electrified(), r.total()));
    let mut text = format!(
        "Electrified vehicles (battery-electric, plug-in hybrid and full hybrid) are {} of the {} \
         vehicles built in {base} (actual",
        share_of(&first),
        thousands(count(first.total())),
    );
    if let Some(cars) = segment(p, base, Segment::Car) {
        text.push_str(&format!(
            "; of cars, {}: {} of {}",
            share_of(cars),
            thousands(electrified_count(cars)),
            thousands(count(cars.total()))
        ));
    }
    text.push_str(&format!(
        ") and {} of the {} built in {end} ({}",
        share_of(&last),
        thousands(count(last.total())),
        what(p)
    ));
    if let Some(cars) = segment(p, end, Segment::Car) {
        text.push_str(&format!("; of cars, {}", share_of(cars)));
    }
    text.push_str(").");
    if let Some(b) = u.and_then(|u| u.share_bands.iter().find(|b| b.year == end)) {
        text.push_str(&format!(
            " Ninety per cent of the draws put the {end} share between {} and {}.",
            percent(b.percentiles[0]),
            percent(b.percentiles[6])
        ));
    }
    let bev = |year: i32| {
        segment(p, year, Segment::Car).map(|r| percent(share(r.of(Powertrain::Bev), r.total())))
    };
    let zev_2030 = p.zev_mandate.iter().find(|z| z.year == 2030);
    match (bev(2030).filter(|_| end > 2030), bev(end)) {
        (Some(in_2030), Some(at_end)) => text.push_str(&format!(
            " Battery-electric cars are {in_2030} of the cars built in 2030 and {at_end} in {end}."
        )),
        (None, Some(at_end)) => text.push_str(&format!(
            " Battery-electric cars are {at_end} of the cars built in {end}."
        )),
        _ => {}
    }
    if let Some(z) = zev_2030 {
        let later = p
            .zev_mandate
            .iter()
            .filter(|y| y.year > 2030)
            .max_by_key(|y| y.year)
            .map(|y| format!(" and {} in {}", whole(y.cars), y.year))
            .unwrap_or_default();
        text.push_str(&format!(
            " For reference only: the ZEV mandate requires {} of each maker's new car SALES in \
             2030 to be zero-emission{later}. It rules what is sold in Great Britain, wherever \
             it is built, not what UK plants build, so it sets no share for production.",
            whole(z.cars)
        ));
    }
    text.push_str(&format!(
        " The {base} split by plant is partly estimated, reconciled to SMMT's national totals \
         (data/README.md)."
    ));
    Some(text)
}

/// The battery paragraph: demand against capacity and the shortfall in the base and end
/// years, and the draws' chance that UK cells cover demand.
pub fn batteries_text(p: &Projection, u: Option<&Uncertainty>) -> Option<String> {
    let (base, end) = (p.base_year, p.end_year);
    let first = p.battery_year(base)?;
    let last = p.battery_year(end)?;
    // Whether capacity covers demand, from the figures as the table prints them.
    let outcome = |b: &crate::engine::BatteryYear| {
        if gwh_value(b.shortfall_gwh) > 0.0 {
            format!("a shortfall of {}", gwh(b.shortfall_gwh))
        } else {
            let spare = gwh_value(b.capacity_gwh) - gwh_value(b.demand_gwh);
            format!("covered, with {} to spare", gwh(spare.max(0.0)))
        }
    };
    let mut text = format!(
        "In {end} ({}), the vehicles built in the UK carry {} of battery cells, against {} a \
         year of UK cell capacity: {}. In {base} (estimate): {} against {}, {}.",
        what(p),
        gwh(last.demand_gwh),
        gwh(last.capacity_gwh),
        outcome(last),
        gwh(first.demand_gwh),
        gwh(first.capacity_gwh),
        outcome(first)
    );
    // The years between that fall short, which the end year may not show.
    let short: Vec<String> = p
        .batteries
        .iter()
        .filter(|b| b.year > base && b.year < end && gwh_value(b.shortfall_gwh) > 0.0)
        .map(|b| format!("{} ({})", b.year, gwh(b.shortfall_gwh)))
        .collect();
    if !short.is_empty() {
        text = format!(
            "UK cells fall short of UK demand in {}. {text}",
            crate::number::and_list(&short)
        );
    }
    if matches!(p.basis, Basis::Expected { .. }) {
        text.push_str(
            " The shortfall is the mean of the draws' shortfalls, so it can exceed expected \
             demand less expected capacity.",
        );
    }
    if let Some((_, chance)) = u.and_then(|u| u.cells_cover.iter().find(|(y, _)| *y == end)) {
        text.push_str(&format!(
            " UK cell capacity covers demand in {end} in {:.1}% of the draws.",
            chance * 100.0
        ));
    }
    text.push_str(
        " Demand is each year's vehicles by powertrain times typical battery sizes (estimates); \
         capacity is the nameplate of UK cell plants, which seldom run at it, and UK cells need \
         not go into UK-built vehicles.",
    );
    Some(text)
}

/// The jobs paragraph: the total in the base and end years, the change, old figures and the
/// plants without a headcount.
pub fn jobs_text(p: &Projection) -> Option<String> {
    let (base, end) = (p.base_year, p.end_year);
    if p.jobs.is_empty() {
        return None;
    }
    let plants = p.jobs.iter().filter(|j| j.year == base).count();
    let (first, last) = (count(p.jobs_in(base)), count(p.jobs_in(end)));
    let mut text = format!(
        "Direct jobs at the {plants} plants counted: {} in {base} (each plant's latest figure in \
         the data) and {} in {end} ({}), {}.",
        thousands(first),
        thousands(last),
        what(p),
        match signed(last - first).as_str() {
            "no change" => "no change".to_string(),
            change => format!("a change of {change}"),
        }
    );
    let mut old: Vec<(i32, &str)> = p
        .jobs
        .iter()
        .filter(|j| j.year == base)
        .filter_map(|j| {
            j.figure_year
                .filter(|y| *y <= base - 2)
                .map(|y| (y, j.plant.as_str()))
        })
        .collect();
    old.sort();
    if !old.is_empty() {
        let list: Vec<String> = old.iter().map(|(y, n)| format!("{n} ({y})")).collect();
        text.push_str(&format!(" Some figures are old: {}.", and_list(&list)));
    }
    let mut missing: Vec<&str> = Vec::new();
    for r in p.plants.iter().filter(|r| r.year == base) {
        let residual = Segment::ALL.iter().any(|s| s.residual_id() == r.plant_id);
        if !residual
            && !p.jobs.iter().any(|j| j.plant_id == r.plant_id)
            && !missing.contains(&r.short_name.as_str())
        {
            missing.push(&r.short_name);
        }
    }
    if !missing.is_empty() {
        text.push_str(&format!(
            " Not counted, for want of a published headcount: {}.",
            and_list(&missing)
        ));
    }
    Some(text)
}

/// The part's blocks: a heading, then each chart that was drawn and its paragraph.
pub fn blocks(
    p: &Projection,
    u: Option<&Uncertainty>,
    figures: &[&Figure],
    figure: impl Fn(&Figure) -> Block,
) -> Vec<Block> {
    let texts = [powertrain_text(p, u), batteries_text(p, u), jobs_text(p)];
    if texts.iter().all(Option::is_none) {
        return Vec::new();
    }
    let mut out = vec![Block::Heading(3, "Powertrain, batteries and jobs".into())];
    for (k, text) in texts.into_iter().enumerate() {
        let Some(text) = text else { continue };
        if let Some(f) = figures.iter().find(|f| chart_of(f) == Some(k)) {
            out.push(figure(f));
        }
        out.push(Block::Para(Tone::Plain, text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_read_as_the_tables_round_them() {
        // 298,813 / 717,371 = 0.416537...: the table's 0.4165, the report's 41.65%.
        assert_eq!(percent(298_813.0 / 717_371.0), "41.65%");
        assert_eq!(percent(0.00127), "0.13%");
        assert_eq!(percent(1.0), "100.00%");
        assert_eq!(whole(0.8), "80%");
        assert_eq!(gwh(57.7), "57.70 GWh");
        assert_eq!(gwh(-0.001), "0.00 GWh");
        assert_eq!(signed(-1_120.0), "−1,120");
    }
}
