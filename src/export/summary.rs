//! The short text summary `run` prints.

use std::fmt::Write;

use crate::engine::{Basis, Projection, Source};
use crate::scenario::{CheckSubject, Scenario, Statistic};
use crate::uncertainty::{CheckResult, Uncertainty};

/// A whole number with thousands separators: 764715 -> "764,715".
pub fn format_count(x: f64) -> String {
    crate::number::thousands(x)
}

/// A count with its sign: "+12,000" or "-487,655".
pub fn format_signed(x: f64) -> String {
    if x.round() > 0.0 {
        format!("+{}", format_count(x))
    } else {
        format_count(x)
    }
}

pub(super) fn percent(x: f64) -> String {
    format!("{:+.1}%", x * 100.0)
}

/// What a projection's figures are, as a sentence for summaries, charts and reports; empty
/// for a scenario without uncertain inputs.
pub fn basis_note(basis: Basis) -> String {
    match basis {
        Basis::Certain => String::new(),
        Basis::Modal => {
            "Modal case: if every uncertain item happens, at its most likely value (no draws)"
                .into()
        }
        Basis::Expected { draws, .. } => format!(
            "Expected values: the mean of {} Monte Carlo draws",
            format_count(draws as f64)
        ),
    }
}

/// What a projection's figures are, in a few words for a check line or a diff header:
/// "projected", "modal case, no draws" or "expected, mean of 10,000 draws".
fn basis_phrase(basis: Basis) -> String {
    match basis {
        Basis::Expected { draws, .. } => {
            format!("expected, mean of {} draws", format_count(draws as f64))
        }
        Basis::Modal => "modal case, no draws".into(),
        Basis::Certain => basis.word().into(),
    }
}

/// The `--set` changes of a variant, as a sentence; empty for a scenario as written.
pub fn modified_note(p: &Projection) -> String {
    if p.modified.is_empty() {
        return String::new();
    }
    let changes: Vec<String> = p
        .modified
        .iter()
        .map(|c| match c.split_once('=') {
            Some((key, value)) => format!("{key} = {}", readable_value(value)),
            None => c.clone(),
        })
        .collect();
    format!(
        "Modified from scenario {}: {}",
        p.scenario_file,
        changes.join("; ")
    )
}

/// A projection's description as readers should take it: a variant's is its scenario's as
/// written, before the change, and says so (it may argue for the value that was changed).
pub fn description_of(p: &Projection) -> String {
    if p.modified.is_empty() {
        p.description.clone()
    } else {
        format!(
            "Scenario {} as written, before the change: {}",
            p.scenario_file, p.description
        )
    }
}

/// A `--set` value for readers: whole numbers of 10,000 or more get thousands separators.
fn readable_value(value: &str) -> String {
    match value.trim().parse::<f64>() {
        Ok(x) if x.fract() == 0.0 && x.abs() >= 10_000.0 && x.abs() < 1e15 => format_count(x),
        _ => value.trim().to_string(),
    }
}

/// The end-year demand that plant capacity held back, and where, when there is any: a
/// `--set` of 150,000 that builds 149,272 says why.
fn capacity_line(p: &Projection) -> Option<String> {
    let held: Vec<_> = p
        .plants
        .iter()
        .filter(|r| r.year == p.end_year && r.constrained >= 0.5)
        .collect();
    if held.is_empty() {
        return None;
    }
    let total: f64 = held.iter().map(|r| r.constrained).sum();
    let plants: Vec<String> = held
        .iter()
        .map(|r| format!("{} {}", r.plant_id, format_count(r.constrained)))
        .collect();
    let some = if matches!(p.basis, Basis::Expected { .. }) {
        " (a mean over the draws)"
    } else {
        ""
    };
    Some(format!(
        "capacity holds back {} vehicles of demand in {}{some}: {}",
        format_count(total),
        p.end_year,
        plants.join(", ")
    ))
}

/// Where the projection stands against the target path, in words.
pub fn on_path_sentence(p: &Projection) -> String {
    let s = &p.summary;
    let end = p.end_year;
    match (s.first_year_on_target, s.on_target_from) {
        (None, _) => format!("does not reach the target path by {end}"),
        (Some(first), Some(from)) if first == from => {
            format!("reaches the target path in {first} and stays on it to {end}")
        }
        (Some(first), Some(from)) => format!(
            "reaches the target path in {first}, falls below it, and is back on it from {from}"
        ),
        (Some(first), None) => format!(
            "is on the target path in {} but below it by {} in {end}",
            years_on_path(p, first),
            format_count(-s.end_gap)
        ),
    }
}

/// The years of the first run on or above the target path from `first`: "2027", "2027-2030".
fn years_on_path(p: &Projection, first: i32) -> String {
    let last = p
        .national
        .iter()
        .filter(|n| n.source == Source::Projected && n.year >= first)
        .take_while(|n| n.gap.is_some_and(|g| g >= -0.5))
        .last()
        .map_or(first, |n| n.year);
    if last > first {
        format!("{first}-{last}")
    } else {
        format!("{first} only")
    }
}

/// The headline figures of one projection, a few lines of text, with the spread of the
/// draws and the chance of the target when they ran.
pub fn summary(projection: &Projection, uncertainty: Option<&Uncertainty>) -> String {
    let s = &projection.summary;
    let t = projection.target;
    let base = projection.base_year;
    let end = projection.end_year;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {}",
        projection.scenario,
        description_of(projection)
    );
    let modified = modified_note(projection);
    if !modified.is_empty() {
        let _ = writeln!(out, "  {modified}");
    }
    let basis = basis_note(projection.basis);
    if !basis.is_empty() {
        let _ = writeln!(out, "  {basis}");
    }
    let _ = writeln!(
        out,
        "  {base} actual:        {:>10}",
        format_count(s.base_total)
    );
    let word = projection.basis.word();
    let label = format!("{end} {word}:");
    let _ = write!(out, "  {label:<20}{:>10}", format_count(s.end_total));
    if let Some(b) = uncertainty.and_then(|u| u.bands.iter().find(|b| b.year == end)) {
        let _ = write!(
            out,
            "  (P5 to P95: {} to {}; median {})",
            format_count(b.percentiles[0]),
            format_count(b.percentiles[6]),
            format_count(b.percentiles[3])
        );
    }
    out.push('\n');
    if let Some(b) = uncertainty.and_then(|u| u.data_only_in(end)) {
        let _ = writeln!(
            out,
            "  plant split alone:  a spread of {} in {end} (P5 to P95 {} to {}: only the data's ranges for {base} plant outputs drawn, around the modal case, in which every uncertain item happens)",
            format_count(b.percentiles[6] - b.percentiles[0]),
            format_count(b.percentiles[0]),
            format_count(b.percentiles[6])
        );
    }
    let _ = writeln!(
        out,
        "  target:             {:>10}  by {} (the {end} {word} total is {:.1}% of it)",
        format_count(t.volume),
        t.year,
        s.share_of_target * 100.0
    );
    let _ = writeln!(
        out,
        "  gap in {end}:        {:>10}  against a target path of {}",
        format_signed(s.end_gap),
        format_count(s.end_target_path)
    );
    let _ = writeln!(
        out,
        "  growth {base}-{}:   needed {} a year, {word} {} a year",
        s.growth_year,
        percent(s.growth_needed),
        percent(s.growth_projected)
    );
    let _ = writeln!(out, "  {}", on_path_sentence(projection));
    if let Some(line) = capacity_line(projection) {
        let _ = writeln!(out, "  {line}");
    }
    for line in industry_lines(projection, uncertainty) {
        let _ = writeln!(out, "  {line}");
    }
    if let Some(u) = uncertainty {
        let year = t.year.min(end);
        let _ = writeln!(
            out,
            "  chance of being on the target path in {year}: {:.1}% of {} draws (seed {})",
            u.probability_in(year).unwrap_or(0.0) * 100.0,
            format_count(u.draws as f64),
            u.seed
        );
    }
    out
}

/// One line per check: what it bounds, which figure it tests, passed or FAILED, and the value.
pub fn check_lines(results: &[CheckResult]) -> String {
    let mut out = String::new();
    for r in results {
        let chance = r.check.subject == CheckSubject::ChanceOfTarget;
        let subject = match &r.check.subject {
            CheckSubject::Total => "total".to_string(),
            CheckSubject::Maker(m) => format!("{m} output"),
            CheckSubject::ChanceOfTarget => "chance of being on the target path".to_string(),
            CheckSubject::ElectrifiedShare => "electrified share of output".to_string(),
            CheckSubject::BatteryShortfall => "battery shortfall".to_string(),
            CheckSubject::Jobs => "direct jobs".to_string(),
        };
        let show = |x: f64| match r.check.subject {
            CheckSubject::ChanceOfTarget | CheckSubject::ElectrifiedShare => {
                format!("{:.1}%", x * 100.0)
            }
            CheckSubject::BatteryShortfall => format!("{x:.2} GWh"),
            _ => format_count(x),
        };
        let bounds = match (r.check.min, r.check.max) {
            (Some(min), Some(max)) => format!("between {} and {}", show(min), show(max)),
            (Some(min), None) => format!("at least {}", show(min)),
            (None, Some(max)) => format!("at most {}", show(max)),
            (None, None) => "unbounded".into(),
        };
        let tested = match (r.draws, r.check.statistic, chance) {
            (Some(n), _, true) => format!("share of {} draws", format_count(n as f64)),
            (Some(n), Statistic::Percentile(p), _) => {
                format!("P{p} of {} draws", format_count(n as f64))
            }
            (None, Statistic::Percentile(p), false) if r.basis == Basis::Certain => {
                format!("P{p}: no uncertain inputs, so the projection")
            }
            (None, _, true) => {
                format!("no draws: whether the {} is on the path", r.basis.word())
            }
            _ => basis_phrase(r.basis),
        };
        let verdict = if r.passed { "passed" } else { "FAILED" };
        let _ = writeln!(
            out,
            "  check: {} {subject} ({tested}) {bounds}: {verdict} ({})",
            r.check.year,
            show(r.value)
        );
    }
    out
}

/// What differs between two scenarios: resolved inputs, then end-year outputs.
pub fn diff_text(a: &Scenario, b: &Scenario, pa: &Projection, pb: &Projection) -> String {
    let mut out = String::new();
    let inputs = crate::scenario::differences(a, b);
    let _ = writeln!(out, "inputs that differ ({} -> {}):", a.name, b.name);
    if inputs.is_empty() {
        out.push_str("  none\n");
    }
    let unset = || "(not set)".to_string();
    for (key, x, y) in &inputs {
        let _ = writeln!(
            out,
            "  {key}: {} -> {}",
            x.clone().unwrap_or_else(unset),
            y.clone().unwrap_or_else(unset)
        );
    }
    let (ya, yb) = (pa.end_year, pb.end_year);
    let when = if ya == yb {
        ya.to_string()
    } else {
        format!("{ya} and {yb}")
    };
    // Say what each side's figures are when either is not a plain projection.
    let what = |p: &Projection| basis_phrase(p.basis);
    let bases = if pa.basis == Basis::Certain && pb.basis == Basis::Certain {
        String::new()
    } else {
        format!("; {}: {}, {}: {}", a.name, what(pa), b.name, what(pb))
    };
    let _ = writeln!(out, "\nend-year outputs that differ ({when}{bases}):");
    let mut rows: Vec<(String, f64, f64)> =
        vec![("total".into(), pa.summary.end_total, pb.summary.end_total)];
    let (ma, mb) = (pa.makers(), pb.makers());
    let mut names: Vec<&str> = ma.iter().chain(&mb).map(|m| m.maker.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let last = |series: &[crate::engine::MakerSeries], name: &str| {
        series
            .iter()
            .find(|m| m.maker == name)
            .and_then(|m| m.outputs.last())
            .copied()
            .unwrap_or(0.0)
    };
    for name in names {
        rows.push((name.to_string(), last(&ma, name), last(&mb, name)));
    }
    let mut any = false;
    for (label, x, y) in rows {
        if (x - y).abs() >= 0.5 {
            any = true;
            let _ = writeln!(
                out,
                "  {label}: {} -> {} ({})",
                format_count(x),
                format_count(y),
                format_signed(y - x)
            );
        }
    }
    for (label, x, y) in industry_figures(pa)
        .into_iter()
        .zip(industry_figures(pb))
        .filter_map(|((label, x), (_, y))| (x != y).then_some((label, x, y)))
    {
        any = true;
        let _ = writeln!(out, "  {label}: {x} -> {y}");
    }
    if !any {
        out.push_str("  none\n");
    }
    out
}

/// The end-year powertrain, battery and jobs figures as readers see them (label, text), for
/// `diff` and `compare`: the same rounding as the summary, so equal texts are equal figures.
pub fn industry_figures(p: &Projection) -> Vec<(&'static str, String)> {
    use crate::data::Powertrain;
    let end = p.end_year;
    let mut rows = Vec::new();
    if let Some(r) = p.powertrain_in(end) {
        rows.push((
            "electrified share",
            share_percent(crate::engine::share(r.electrified(), r.total())),
        ));
        rows.push((
            "battery-electric share",
            share_percent(crate::engine::share(r.of(Powertrain::Bev), r.total())),
        ));
    }
    if let Some(b) = p.battery_year(end) {
        rows.push(("battery demand", gwh_text(b.demand_gwh)));
        rows.push(("UK cell capacity", gwh_text(b.capacity_gwh)));
        rows.push(("cell shortfall", gwh_text(b.shortfall_gwh)));
    }
    if p.jobs.iter().any(|j| j.year == end) {
        rows.push(("direct jobs", format_count(p.jobs_in(end))));
    }
    rows
}

/// A side-by-side table of several projections' headline figures: the same figures the
/// compare chart draws, with the spread and chance of the target where draws ran.
pub fn compare_table(projections: &[Projection], spreads: &[Option<Uncertainty>]) -> String {
    let mut rows: Vec<(String, Vec<String>)> = vec![(
        "".into(),
        projections.iter().map(|p| p.scenario.clone()).collect(),
    )];
    let cells = |cell: &dyn Fn(&Projection, Option<&Uncertainty>) -> String| -> Vec<String> {
        projections
            .iter()
            .enumerate()
            .map(|(i, p)| cell(p, spreads.get(i).and_then(Option::as_ref)))
            .collect()
    };
    let end_band = |p: &Projection, u: Option<&Uncertainty>| {
        u.and_then(|u| u.bands.iter().find(|b| b.year == p.end_year).copied())
    };
    let any_draws = spreads.iter().any(Option::is_some);
    rows.push(("end year".into(), cells(&|p, _| p.end_year.to_string())));
    rows.push((
        "figures".into(),
        cells(&|p, _| match p.basis {
            Basis::Expected { draws, .. } => {
                format!("expected ({} draws)", format_count(draws as f64))
            }
            other => other.word().into(),
        }),
    ));
    if projections.iter().any(|p| !p.modified.is_empty()) {
        rows.push((
            "changed by --set".into(),
            cells(&|p, _| {
                if p.modified.is_empty() {
                    "-".into()
                } else {
                    p.modified.join("; ")
                }
            }),
        ));
    }
    rows.push((
        "end-year total".into(),
        cells(&|p, _| format_count(p.summary.end_total)),
    ));
    if any_draws {
        rows.push((
            "P5 to P95".into(),
            cells(&|p, u| {
                end_band(p, u).map_or("-".into(), |b| {
                    format!(
                        "{} to {}",
                        format_count(b.percentiles[0]),
                        format_count(b.percentiles[6])
                    )
                })
            }),
        ));
    }
    rows.push((
        "target path".into(),
        cells(&|p, _| format_count(p.summary.end_target_path)),
    ));
    rows.push((
        "gap".into(),
        cells(&|p, _| format_signed(p.summary.end_gap)),
    ));
    rows.push((
        "share of target".into(),
        cells(&|p, _| format!("{:.1}%", p.summary.share_of_target * 100.0)),
    ));
    if any_draws {
        rows.push((
            "chance on target path".into(),
            cells(&|p, u| {
                let year = p.target.year.min(p.end_year);
                u.and_then(|u| u.probability_in(year))
                    .map_or("-".into(), |c| format!("{:.1}% ({year})", c * 100.0))
            }),
        ));
    }
    rows.push((
        "growth needed a year".into(),
        cells(&|p, _| percent(p.summary.growth_needed)),
    ));
    rows.push((
        "growth a year".into(),
        cells(&|p, _| percent(p.summary.growth_projected)),
    ));
    // Powertrain, cells and jobs, where every projection has them (same data, so all or none).
    let figures: Vec<Vec<(&str, String)>> = projections.iter().map(industry_figures).collect();
    if let Some(first) = figures.first() {
        for (k, (label, _)) in first.iter().enumerate() {
            rows.push((
                (*label).to_string(),
                figures
                    .iter()
                    .map(|f| f.get(k).map_or("-".into(), |(_, v)| v.clone()))
                    .collect(),
            ));
        }
        if any_draws && projections.iter().any(|p| !p.batteries.is_empty()) {
            rows.push((
                "chance cells cover".into(),
                cells(&|p, u| {
                    u.and_then(|u| u.cells_cover.iter().find(|(y, _)| *y == p.end_year))
                        .map_or("-".into(), |(_, c)| share_percent(*c))
                }),
            ));
        }
    }
    rows.push((
        "on the target path".into(),
        cells(&|p, _| {
            let s = &p.summary;
            match (s.first_year_on_target, s.on_target_from) {
                (None, _) => "never".into(),
                (_, Some(from)) => format!("from {from}"),
                (Some(first), None) => format!(
                    "in {}; {} below in {}",
                    years_on_path(p, first),
                    format_count(-s.end_gap),
                    p.end_year
                ),
            }
        }),
    ));
    let label_width = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let widths: Vec<usize> = (0..projections.len())
        .map(|i| {
            rows.iter()
                .map(|(_, cells)| cells[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (label, cells) in rows {
        let _ = write!(out, "{label:label_width$}");
        for (cell, width) in cells.iter().zip(&widths) {
            let _ = write!(out, "  {cell:>width$}");
        }
        out.push('\n');
    }
    out
}

/// A share as readers see it: one decimal of a percent.
pub fn share_percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// GWh as readers see it: one decimal.
pub fn gwh_text(x: f64) -> String {
    format!("{x:.1} GWh")
}

/// The summary's lines on powertrain, batteries and jobs: the base year's figures and the end
/// year's, with the draws' spread of the electrified share and the chance cells cover demand.
pub fn industry_lines(p: &Projection, uncertainty: Option<&Uncertainty>) -> Vec<String> {
    use crate::data::{Powertrain, Segment};
    let (base, end) = (p.base_year, p.end_year);
    let word = p.basis.word();
    let mut lines = Vec::new();
    let draws = uncertainty.filter(|u| u.draws > 0);
    if let (Some(b), Some(e)) = (p.powertrain_in(base), p.powertrain_in(end)) {
        let cars = p
            .powertrain
            .iter()
            .find(|r| r.year == base && r.segment == Segment::Car);
        let car_note = cars.map_or(String::new(), |c| {
            format!(
                "; cars {}, {} electrified",
                share_percent(crate::engine::share(c.electrified(), c.total())),
                format_count(c.electrified())
            )
        });
        let mut line = format!(
            "electrified:        {base} actual {} of output{car_note}; {end} {word} {} (battery electric {})",
            share_percent(crate::engine::share(b.electrified(), b.total())),
            share_percent(crate::engine::share(e.electrified(), e.total())),
            share_percent(crate::engine::share(e.of(Powertrain::Bev), e.total())),
        );
        if let Some(band) = draws.and_then(|u| u.share_bands.iter().find(|b| b.year == end)) {
            line.push_str(&format!(
                " (P5 to P95: {} to {})",
                share_percent(band.percentiles[0]),
                share_percent(band.percentiles[6])
            ));
        }
        lines.push(line);
    }
    if let (Some(b), Some(e)) = (p.battery_year(base), p.battery_year(end)) {
        let verdict = if e.shortfall_gwh >= 0.05 {
            format!("a shortfall of {}", gwh_text(e.shortfall_gwh))
        } else {
            "covered".to_string()
        };
        let mut line = format!(
            "battery cells:      {end} {word} demand {} against UK cell capacity {}: {verdict} ({base} estimate: demand {}, capacity {})",
            gwh_text(e.demand_gwh),
            gwh_text(e.capacity_gwh),
            gwh_text(b.demand_gwh),
            gwh_text(b.capacity_gwh),
        );
        if let Some((_, chance)) = draws.and_then(|u| u.cells_cover.iter().find(|(y, _)| *y == end))
        {
            line.push_str(&format!(
                "; UK cells cover demand in {} of draws",
                share_percent(*chance)
            ));
        }
        lines.push(line);
    }
    let plants_counted = p
        .jobs
        .iter()
        .filter(|j| j.year == base && j.figure_year.is_some())
        .count();
    if plants_counted > 0 {
        let (b, e) = (p.jobs_in(base), p.jobs_in(end));
        lines.push(format!(
            "direct jobs:        {base} {} at the {plants_counted} plants with a published headcount; {end} {word} {} ({})",
            format_count(b),
            format_count(e),
            format_signed(e - b)
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(format_count(764_715.0), "764,715");
        assert_eq!(format_count(1_300_000.0), "1,300,000");
        assert_eq!(format_count(999.4), "999");
        assert_eq!(format_count(-487_655.0), "-487,655");
        assert_eq!(format_signed(12_000.0), "+12,000");
        assert_eq!(format_signed(0.2), "0");
    }
}
