//! The short text summary `run` prints.

use std::fmt::Write;

use crate::engine::{CheckResult, Projection};
use crate::scenario::{CheckSubject, Scenario};

/// A whole number with thousands separators: 764715 -> "764,715".
pub fn format_count(x: f64) -> String {
    let rounded = x.round();
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if rounded < 0.0 {
        format!("-{out}")
    } else {
        out
    }
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

/// The headline figures of one projection, a few lines of text.
pub fn summary(projection: &Projection) -> String {
    let s = &projection.summary;
    let t = projection.target;
    let base = projection.base_year;
    let end = projection.end_year;
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", projection.scenario, projection.description);
    let _ = writeln!(
        out,
        "  {base} actual:        {:>10}",
        format_count(s.base_total)
    );
    let _ = writeln!(
        out,
        "  {end} projected:     {:>10}",
        format_count(s.end_total)
    );
    let _ = writeln!(
        out,
        "  target:             {:>10}  by {} ({:.1}% reached in {end})",
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
        "  growth {base}-{}:   needed {} a year, projected {} a year",
        s.growth_year,
        percent(s.growth_needed),
        percent(s.growth_projected)
    );
    let _ = match (s.first_year_on_target, s.on_target_from) {
        (None, _) => writeln!(out, "  does not reach the target path by {end}"),
        (Some(first), Some(from)) if first == from => {
            writeln!(
                out,
                "  reaches the target path in {first} and stays on it to {end}"
            )
        }
        (Some(first), Some(from)) => writeln!(
            out,
            "  reaches the target path in {first}, falls below it, and is back on it from {from}"
        ),
        (Some(first), None) => writeln!(
            out,
            "  reaches the target path in {first} but is below it again by {end}"
        ),
    };
    out
}

/// One line per check: what it bounds, passed or FAILED, and the projected value.
pub fn check_lines(results: &[CheckResult]) -> String {
    let mut out = String::new();
    for r in results {
        let subject = match &r.check.subject {
            CheckSubject::Total => "total".to_string(),
            CheckSubject::Maker(m) => format!("{m} output"),
        };
        let bounds = match (r.check.min, r.check.max) {
            (Some(min), Some(max)) => {
                format!("between {} and {}", format_count(min), format_count(max))
            }
            (Some(min), None) => format!("at least {}", format_count(min)),
            (None, Some(max)) => format!("at most {}", format_count(max)),
            (None, None) => "unbounded".into(),
        };
        let verdict = if r.passed { "passed" } else { "FAILED" };
        let _ = writeln!(
            out,
            "  check: {} {subject} {bounds}: {verdict} ({})",
            r.check.year,
            format_count(r.value)
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
    let _ = writeln!(out, "\nend-year outputs that differ ({when}):");
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
    if !any {
        out.push_str("  none\n");
    }
    out
}

/// A side-by-side table of several projections' headline figures.
pub fn compare_table(projections: &[Projection]) -> String {
    let mut rows: Vec<(String, Vec<String>)> = vec![(
        "".into(),
        projections.iter().map(|p| p.scenario.clone()).collect(),
    )];
    let mut row = |label: String, cell: &dyn Fn(&Projection) -> String| {
        rows.push((label, projections.iter().map(cell).collect()));
    };
    row("end year".into(), &|p| p.end_year.to_string());
    row("projected total".into(), &|p| {
        format_count(p.summary.end_total)
    });
    row("target path".into(), &|p| {
        format_count(p.summary.end_target_path)
    });
    row("gap".into(), &|p| format_signed(p.summary.end_gap));
    row("share of target".into(), &|p| {
        format!("{:.1}%", p.summary.share_of_target * 100.0)
    });
    row("growth needed a year".into(), &|p| {
        percent(p.summary.growth_needed)
    });
    row("growth projected a year".into(), &|p| {
        percent(p.summary.growth_projected)
    });
    row("first year on target path".into(), &|p| {
        p.summary
            .first_year_on_target
            .map_or("never".into(), |y| y.to_string())
    });
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
