//! The report's appendix: the sources of the data, one line each, and the provenance; and
//! the date as people write it.

use std::fmt::Write;

use super::blocks::Entry;
use crate::data::Dataset;
use crate::manifest::Manifest;
use crate::number::thousands;

/// "26 November 2026" from an ISO date or timestamp ("2026-11-26", "2026-11-26T07:09:32Z").
pub fn human_date(iso: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut parts = iso.get(..10)?.split('-');
    let year: u32 = parts.next()?.parse().ok()?;
    let month: usize = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    let name = MONTHS.get(month.checked_sub(1)?)?;
    (1..=31)
        .contains(&day)
        .then(|| format!("{day} {name} {year}"))
}

/// Years as runs: 1991, 1994, 1995, 1996 -> "1991, 1994–1996" (two in a row stay a list).
pub fn year_runs(years: &[i32]) -> String {
    let mut sorted = years.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for y in sorted {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == y => *end = y,
            _ => runs.push((y, y)),
        }
    }
    runs.iter()
        .map(|&(a, b)| match b - a {
            0 => a.to_string(),
            1 => format!("{a}, {b}"),
            _ => format!("{a}–{b}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The national series' sources: one line per publication, led by the years it gives, in
/// order of the first of them.
pub fn history_sources(data: &Dataset) -> Vec<Entry> {
    let mut by_source: Vec<(&str, Vec<i32>)> = Vec::new();
    for h in &data.history {
        match by_source.iter_mut().find(|(s, _)| *s == h.source) {
            Some((_, years)) => years.push(h.year),
            None => by_source.push((&h.source, vec![h.year])),
        }
    }
    by_source.sort_by_key(|(_, years)| years.iter().min().copied());
    by_source
        .into_iter()
        .map(|(source, years)| Entry {
            lead: Some(format!("{}:", year_runs(&years))),
            text: source.to_string(),
        })
        .collect()
}

/// Each plant's sources: one line per plant, its capacity and base-year output with where
/// each comes from.
pub fn plant_sources(data: &Dataset) -> Vec<Entry> {
    let base = data.base_year();
    data.plants
        .iter()
        .map(|p| {
            let mut text = format!(
                "capacity {}: {}",
                thousands(p.capacity as f64),
                p.source.trim_end_matches('.')
            );
            if let Some(source) = data.base_output_sources.get(&p.id) {
                let _ = write!(
                    text,
                    ". {base} output {}: {}",
                    thousands(data.base_output(&p.id)),
                    source.trim_end_matches('.')
                );
            }
            Entry {
                lead: Some(format!("{}:", p.name)),
                text: text + ".",
            }
        })
        .collect()
}

/// What made the report, for `rerun` and for anyone checking it: no time of day, so the
/// same inputs give the same bytes.
pub fn provenance(manifest: &Manifest, date: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "ukprod {}, dated {date}: the day these inputs were first reported (the time of each run is in manifest.json)",
        manifest.ukprod_version
    );
    let _ = writeln!(out, "command: ukprod {}", manifest.command.join(" "));
    if let (Some(draws), Some(seed)) = (manifest.draws, manifest.seed) {
        let _ = writeln!(out, "draws: {draws}, seed {seed}");
    }
    for f in &manifest.data {
        let _ = writeln!(out, "data {}: sha256 {}", f.path, f.sha256);
    }
    for s in &manifest.scenarios {
        let _ = writeln!(
            out,
            "scenario {}: sha256 {} (chart fingerprint {})",
            s.name, s.sha256, s.fingerprint
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_people_write_them() {
        assert_eq!(
            human_date("2026-11-26T07:09:32Z").as_deref(),
            Some("26 November 2026")
        );
        assert_eq!(human_date("2027-01-05").as_deref(), Some("5 January 2027"));
        assert_eq!(human_date("2027-13-05"), None);
        assert_eq!(human_date("soon"), None);
    }

    #[test]
    fn years_as_runs() {
        assert_eq!(
            year_runs(&[1998, 1991, 1994, 1995, 1996, 1997]),
            "1991, 1994–1998"
        );
        assert_eq!(year_runs(&[2000, 2001, 2005]), "2000, 2001, 2005");
        assert_eq!(year_runs(&[1952]), "1952");
    }
}
