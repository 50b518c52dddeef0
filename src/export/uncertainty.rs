//! Tables and text for Monte Carlo draws, sensitivity and goal seek.

use std::fmt::Write;

use serde::Serialize;

use super::OutputFile;
use super::summary::format_count;
use super::tables::{count, finish, text};
use crate::engine::{Basis, Projection};
use crate::scenario::{Dist, Uncertain};
use crate::uncertainty::{Kind, SeekOutcome, SeekRange, Swing, Uncertainty};

/// A number as short as it can be written exactly (60000, 0.85, 2028).
fn plain(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// `national_mc.csv` and `target_probability.csv`.
pub fn draw_files(u: &Uncertainty) -> anyhow::Result<Vec<OutputFile>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "year", "mean", "p5", "p10", "p25", "p50", "p75", "p90", "p95",
    ])?;
    for b in &u.bands {
        let mut row = vec![b.year.to_string(), count(b.mean)];
        row.extend(b.percentiles.iter().map(|p| count(*p)));
        w.write_record(&row)?;
    }
    let bands = finish(w)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["year", "probability"])?;
    for (year, p) in &u.probability {
        w.write_record([year.to_string(), format!("{p:.4}")])?;
    }
    let mut files = vec![
        OutputFile {
            name: "national_mc.csv".into(),
            bytes: bands,
        },
        OutputFile {
            name: "target_probability.csv".into(),
            bytes: finish(w)?,
        },
    ];
    if !u.share_bands.is_empty() {
        files.push(OutputFile {
            name: "powertrain_mc.csv".into(),
            bytes: powertrain_mc_csv(u)?,
        });
    }
    Ok(files)
}

/// `powertrain_mc.csv`: the electrified share of output, mean (the expected projection's) and
/// percentiles of the draws, and the share of draws in which UK cell capacity covers UK
/// battery demand, each projected year.
fn powertrain_mc_csv(u: &Uncertainty) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "year",
        "electrified_share_mean",
        "p5",
        "p10",
        "p25",
        "p50",
        "p75",
        "p90",
        "p95",
        "cells_cover_probability",
    ])?;
    for b in &u.share_bands {
        let mut row = vec![b.year.to_string(), format!("{:.4}", b.mean)];
        row.extend(b.percentiles.iter().map(|p| format!("{p:.4}")));
        let cover = u
            .cells_cover
            .iter()
            .find(|(y, _)| *y == b.year)
            .map_or(String::new(), |(_, c)| format!("{c:.4}"));
        row.push(cover);
        w.write_record(&row)?;
    }
    finish(w)
}

/// What a sensitivity's totals are, in a few words for its CSV: "expected, mean of 10,000
/// draws (seed 2035)" (each end's total the mean of the run's draws with the input fixed
/// there) or "modal case" (every other input at its most likely value).
pub fn sensitivity_basis(basis: Basis) -> String {
    match basis {
        Basis::Expected { draws, seed } => format!(
            "expected, mean of {} draws (seed {seed})",
            format_count(draws as f64)
        ),
        Basis::Modal | Basis::Certain => basis.word().into(),
    }
}

/// How a sensitivity's totals were made, as a sentence for the report.
pub fn sensitivity_method(basis: Basis) -> String {
    match basis {
        Basis::Expected { draws, seed } => format!(
            "Each input alone fixed at its low and high end, every other input drawn: each total is the expected value, the mean of the same {} draws (seed {seed}) as the figures above, with that input fixed.",
            format_count(draws as f64)
        ),
        Basis::Modal | Basis::Certain => "Each input alone at its low and high end, every other input at its most likely value and every item happening (the modal case).".into(),
    }
}

/// `sensitivity.csv`, largest swing first, with the basis of its totals on every row.
pub fn sensitivity_csv(swings: &[Swing], basis: Basis) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "parameter",
        "low",
        "high",
        "total_at_low",
        "total_at_high",
        "swing",
        "basis",
    ])?;
    let basis = sensitivity_basis(basis);
    for s in swings {
        w.write_record([
            text(&s.parameter),
            plain(s.low),
            plain(s.high),
            count(s.total_at_low),
            count(s.total_at_high),
            count(s.swing),
            basis.clone(),
        ])?;
    }
    finish(w)
}

/// The sensitivity as a few lines of text, around `central`: the expected total in `year`
/// (with draws) or the modal case's.
pub fn sensitivity_table(swings: &[Swing], year: i32, central: f64, basis: Basis) -> String {
    let mut out = match basis {
        Basis::Expected { draws, seed } => format!(
            "total in {year}, one input at a time fixed at its low and high end, around the expected total {} (mean of {} draws, seed {seed}); each end: the mean of the same draws with that input fixed there:\n",
            format_count(central),
            format_count(draws as f64)
        ),
        Basis::Modal | Basis::Certain => format!(
            "total in {year}, one input at a time at its low and high end, from the modal case {} (every other input at its most likely value, every item happening):\n",
            format_count(central)
        ),
    };
    let width = swings.iter().map(|s| s.parameter.len()).max().unwrap_or(0);
    for s in swings {
        let _ = writeln!(
            out,
            "  {:width$}  {:>10} .. {:>10}  swing {:>9}",
            s.parameter,
            format_count(s.total_at_low),
            format_count(s.total_at_high),
            format_count(s.swing)
        );
    }
    out
}

/// `seek.csv`: every value tried and its total.
pub fn seek_csv(outcome: &SeekOutcome) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["value", "total"])?;
    for (value, total) in &outcome.tried {
        w.write_record([plain(*value), count(*total)])?;
    }
    finish(w)
}

#[derive(Serialize)]
struct SeekJson<'a> {
    param: &'a str,
    year: i32,
    target: serde_json::Number,
    value: Option<serde_json::Number>,
    best_total: serde_json::Number,
    /// What the totals are: "projected", or "modal case" for a scenario with uncertain inputs
    /// (seek moves the modal case; it runs no draws).
    basis: &'static str,
}

/// A JSON number: whole numbers as integers (950000, not 950000.0).
fn json_number(x: f64) -> serde_json::Number {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        serde_json::Number::from(x as i64)
    } else {
        serde_json::Number::from_f64(x).unwrap_or_else(|| serde_json::Number::from(0))
    }
}

/// `seek.json`, for scripts.
pub fn seek_json(
    param: &str,
    year: i32,
    target: f64,
    basis: Basis,
    outcome: &SeekOutcome,
) -> anyhow::Result<Vec<u8>> {
    let json = SeekJson {
        param,
        year,
        target: json_number(target),
        value: outcome.value.map(json_number),
        best_total: json_number(outcome.best_total.round()),
        basis: basis.word(),
    };
    let mut bytes = serde_json::to_vec_pretty(&json)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The answer in a sentence.
pub fn seek_sentence(
    param: &str,
    year: i32,
    target: f64,
    kind: Kind,
    range: SeekRange,
    outcome: &SeekOutcome,
    at_capacity: &[String],
) -> String {
    let show = |v: f64| match kind {
        Kind::Year | Kind::Years => format!("{v:.0}"),
        Kind::Volume => format_count(v),
        Kind::Rate | Kind::Share | Kind::Weeks | Kind::Multiple => format!("{v:.4}"),
    };
    match outcome.value {
        Some(v) if (outcome.best_total - target).abs() < 0.5 => format!(
            "{param} = {} brings the {year} total to {}.",
            show(v),
            format_count(target)
        ),
        Some(v) => format!(
            "{param} = {} brings the {year} total to {} (target {}).",
            show(v),
            format_count(outcome.best_total),
            format_count(target)
        ),
        None => {
            let mut s = format!(
                "No value of {param} from {} to {} brings the {year} total to {}: the most it reaches is {} with {} = {}.",
                show(range.low),
                show(range.high),
                format_count(target),
                format_count(outcome.best_total),
                param.rsplit('.').next().unwrap_or(param),
                show(outcome.best_value)
            );
            if !at_capacity.is_empty() {
                s.push_str(&format!(" At capacity then: {}.", at_capacity.join(", ")));
            }
            s
        }
    }
}

/// What readers call one tested input of a sensitivity, by rule from its dotted path: the
/// item's display name (`Projection::label_of`, a plant's name, or "Stoppage N"), a human
/// name for the field, and the two ends tried in the field's unit. The tornado chart and the
/// report's sensitivity table use it, so a row reads the same in both.
#[derive(Debug, Clone, PartialEq)]
pub struct InputLabel {
    /// The input, without its range: "Chery at Halewood, peak volume", "Second entrant's
    /// plant happens (30% chance)", "JLR stoppage 2027".
    pub name: String,
    /// The two ends tried: "30k / 150k", "no / yes", "2 / 8 weeks", "2027 / 2030".
    pub range: String,
    /// The input in a sentence: "the peak volume of Chery at Halewood", "whether Second
    /// entrant's plant happens".
    pub phrase: String,
    /// For an item that may not happen, its chance (its ends are "does not happen" and
    /// "happens").
    pub chance: Option<f64>,
}

impl InputLabel {
    /// The row label: "Chery at Halewood, peak volume: 30k / 150k".
    pub fn row(&self) -> String {
        format!("{}: {}", self.name, self.range)
    }
}

/// The label of a tested input. `uncertain` gives an item's chance (a `Swing` carries only
/// the ends 0 and 1); an input it does not list reads as a range.
pub fn input_label(p: &Projection, s: &Swing, uncertain: &[Uncertain]) -> InputLabel {
    let chance = uncertain
        .iter()
        .find(|u| u.path == s.parameter)
        .and_then(|u| match u.dist {
            Dist::Chance(c) => Some(c),
            Dist::Triangular { .. } => None,
        });
    let parts: Vec<&str> = s.parameter.split('.').collect();
    let (item, field) = match parts.as_slice() {
        ["assumptions", field] => (assumption_item(field).to_string(), *field),
        [kind, id, field, ..] => (item_name(p, kind, id), *field),
        _ => (s.parameter.clone(), ""),
    };
    if let Some(c) = chance {
        let name = format!("{item} happens ({} chance)", percent(c));
        return InputLabel {
            phrase: format!("whether {item} happens"),
            name,
            range: "no / yes".into(),
            chance,
        };
    }
    let (what, of, unit) = field_words(field, &parts, p.base_year);
    let range = unit.range(s.low, s.high);
    let (name, phrase) = if what.is_empty() {
        (item.clone(), item.clone())
    } else {
        (format!("{item}, {what}"), format!("the {what} {of} {item}"))
    };
    InputLabel {
        name,
        range,
        phrase,
        chance,
    }
}

/// The item a path names, as readers know it: its label, else a plant's name (existing and
/// new plants have one), else "Stoppage N" for a shock (numbered from 1), else its id.
fn item_name(p: &Projection, kind: &str, id: &str) -> String {
    let key = format!("{kind}.{id}");
    if let Some(label) = p.labels.get(&key) {
        return label.clone();
    }
    match kind {
        "plants" | "new_plants" | "data" => p.plants.iter().find(|r| r.plant_id == id).map_or_else(
            || id.to_string(),
            // The data's base-year outputs come many at once: the short names charts use.
            |r| {
                if kind == "data" {
                    r.short_name.clone()
                } else {
                    r.plant.clone()
                }
            },
        ),
        "shocks" => id
            .parse::<usize>()
            .map_or_else(|_| id.to_string(), |n| format!("Stoppage {}", n + 1)),
        _ => p.label_of(&key).to_string(),
    }
}

/// The subject of a scenario-wide assumption.
fn assumption_item(field: &str) -> &'static str {
    match field {
        "utilisation_cap" => "All plants",
        "other_growth" => "Other UK manufacturers",
        _ => "Assumptions",
    }
}

/// The unit a field's ends are written in.
#[derive(Debug, Clone, Copy)]
enum Unit {
    Vehicles,
    Year,
    Years,
    Weeks,
    Share,
    Growth,
    Plain,
}

impl Unit {
    /// "30k / 150k", "2027 / 2030", "1 / 3 years", "2 / 8 weeks", "80% / 95%".
    fn range(self, low: f64, high: f64) -> String {
        let one = |x: f64| match self {
            Unit::Vehicles => vehicles(x),
            Unit::Share => percent(x),
            Unit::Growth => signed_percent(x),
            Unit::Year | Unit::Years | Unit::Weeks | Unit::Plain => plain(x),
        };
        let ends = format!("{} / {}", one(low), one(high));
        match self {
            Unit::Years => format!("{ends} years"),
            Unit::Weeks => format!("{ends} weeks"),
            Unit::Growth => format!("{ends} a year"),
            _ => ends,
        }
    }
}

/// A field's human name, the preposition that ties it to its item in a sentence ("the peak
/// volume of …", "the weeks lost to …") and its unit.
fn field_words(field: &str, parts: &[&str], base_year: i32) -> (String, &'static str, Unit) {
    let (what, of, unit) = match field {
        "peak" => ("peak volume", "of", Unit::Vehicles),
        "start" => ("start year", "of", Unit::Year),
        "ramp_years" => ("ramp-up", "of", Unit::Years),
        "ends" => ("end year", "of", Unit::Year),
        "capacity" => ("capacity", "of", Unit::Vehicles),
        "opens" => ("opening year", "of", Unit::Year),
        "closes" => ("closing year", "of", Unit::Year),
        "utilisation_cap" => ("utilisation cap", "of", Unit::Share),
        "growth" | "other_growth" => ("growth", "of", Unit::Growth),
        "year" => ("year", "of", Unit::Year),
        "lost_weeks" => ("weeks lost", "to", Unit::Weeks),
        "output" => {
            let year = parts.get(3).copied().unwrap_or("");
            if parts.get(4) == Some(&"of_base") {
                return (
                    format!("output in {year} as a multiple of {base_year}'s"),
                    "of",
                    Unit::Plain,
                );
            }
            return (format!("output in {year}"), "of", Unit::Vehicles);
        }
        "base_output" => {
            return (
                format!("{base_year} output (estimate in the data)"),
                "of",
                Unit::Vehicles,
            );
        }
        other => return (other.replace('_', " "), "of", Unit::Plain),
    };
    (what.to_string(), of, unit)
}

/// Vehicles, short: "30k", "12.5k", "150k", "1.20m", "800".
fn vehicles(x: f64) -> String {
    let a = x.abs();
    if a >= 999_500.0 {
        format!("{:.2}m", x / 1e6)
    } else if a >= 999.5 {
        let k = x / 1e3;
        if (k - k.round()).abs() < 0.05 {
            format!("{k:.0}k")
        } else {
            format!("{k:.1}k")
        }
    } else {
        format!("{x:.0}")
    }
}

/// A share as a percentage, to a tenth where needed: "30%", "87.5%".
fn percent(x: f64) -> String {
    let pc = x * 100.0;
    if (pc - pc.round()).abs() < 0.05 {
        format!("{pc:.0}%")
    } else {
        format!("{pc:.1}%")
    }
}

/// A growth rate with its sign: "-2%", "+3%", "0%".
fn signed_percent(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", percent(x))
    } else {
        percent(x)
    }
}
