//! Tables and text for Monte Carlo draws, sensitivity and goal seek.

use std::fmt::Write;

use serde::Serialize;

use super::OutputFile;
use super::summary::format_count;
use super::tables::{count, finish};
use crate::engine::Basis;
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
    Ok(vec![
        OutputFile {
            name: "national_mc.csv".into(),
            bytes: bands,
        },
        OutputFile {
            name: "target_probability.csv".into(),
            bytes: finish(w)?,
        },
    ])
}

/// `sensitivity.csv`, largest swing first.
pub fn sensitivity_csv(swings: &[Swing]) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "parameter",
        "low",
        "high",
        "total_at_low",
        "total_at_high",
        "swing",
    ])?;
    for s in swings {
        w.write_record([
            s.parameter.clone(),
            plain(s.low),
            plain(s.high),
            count(s.total_at_low),
            count(s.total_at_high),
            count(s.swing),
        ])?;
    }
    finish(w)
}

/// The sensitivity as a few lines of text.
pub fn sensitivity_table(swings: &[Swing], year: i32, central: f64) -> String {
    let mut out = format!(
        "total in {year}, one input at a time at its low and high end, from the modal case {} (every other input at its most likely value, every item happening):\n",
        format_count(central)
    );
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
        Kind::Rate | Kind::Share | Kind::Weeks => format!("{v:.4}"),
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
