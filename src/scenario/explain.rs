//! Where a resolved value came from, and how two resolved scenarios differ.

use std::path::PathBuf;

use toml::de::DeTable;
use toml::{Table, Value};

use super::source::{KeyPath, Seg, Sources, dotted, walk};
use super::{Part, Scenario};
use crate::data::Dataset;
use crate::diagnostic::{Diagnostic, did_you_mean};

/// Where a resolved value was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A `--set` argument.
    Set(String),
    /// A scenario file in the `extends` chain.
    File {
        /// The scenario (file stem).
        scenario: String,
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// Nobody set it: ukprod's default.
    Default,
}

/// A resolved value and its origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The dotted key.
    pub key: String,
    /// The value, as TOML.
    pub value: String,
    /// Where it came from.
    pub origin: Origin,
}

/// Split a dotted key the way `--set` does: the number after `shocks` is an index.
pub fn key_steps(key: &str) -> KeyPath {
    let mut path: KeyPath = Vec::new();
    for seg in key.split('.') {
        let in_shocks = path.len() == 1
            && matches!(path.last(), Some(Seg::Key(k)) if k == "shocks" || k == "checks");
        match seg.parse::<usize>() {
            Ok(index) if in_shocks => path.push(Seg::Index(index)),
            _ => path.push(Seg::Key(seg.to_string())),
        }
    }
    path
}

/// The value at a key path in a resolved table.
pub fn lookup<'a>(table: &'a Table, path: &[Seg]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let Seg::Key(key) = first else { return None };
    let mut value = table.get(key)?;
    for seg in rest {
        value = match (seg, value) {
            (Seg::Key(k), Value::Table(t)) => t.get(k)?,
            (Seg::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

/// Every leaf of a resolved scenario as (dotted key, TOML value), in key order.
pub fn leaves(table: &Table) -> Vec<(String, String)> {
    fn walk_value(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
        match value {
            // A range is one value: `{ low = .., mode = .., high = .. }`.
            Value::Table(t) if !t.contains_key("mode") => {
                for (k, v) in t {
                    walk_value(&format!("{prefix}.{k}"), v, out);
                }
            }
            Value::Array(items) if items.iter().all(Value::is_table) => {
                for (i, v) in items.iter().enumerate() {
                    walk_value(&format!("{prefix}.{i}"), v, out);
                }
            }
            other => out.push((prefix.to_string(), other.to_string())),
        }
    }
    let mut out = Vec::new();
    for (k, v) in table {
        walk_value(k, v, &mut out);
    }
    out
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

impl Sources {
    /// Exactly where `path` was set: a `--set`, the deepest file that gives it, or nowhere.
    pub fn origin(&self, path: &[Seg]) -> Origin {
        if let Some(set) = self.sets.iter().rev().find(|s| path.starts_with(&s.path)) {
            return Origin::Set(set.raw.clone());
        }
        for layer in self.layers.iter().rev() {
            let Ok(doc) = DeTable::parse(&layer.text) else {
                continue;
            };
            let (depth, span) = walk(&doc, path, Part::Key);
            if depth == path.len()
                && let Some(span) = span
            {
                let (line, column) = line_column(&layer.text, span.start);
                return Origin::File {
                    scenario: layer.name.clone(),
                    path: layer.path.clone(),
                    line,
                    column,
                };
            }
        }
        Origin::Default
    }
}

/// Optional fields of each kind of item, which a resolved scenario leaves out when unset.
const OPTIONAL: &[(&str, &[&str])] = &[
    (
        "plants",
        &["capacity", "utilisation_cap", "output", "growth", "closes"],
    ),
    ("new_plants", &["utilisation_cap", "probability"]),
    ("programmes", &["ends", "probability"]),
];

/// The resolved value of `key` in a scenario and where it came from.
pub fn explain(scenario: &Scenario, key: &str) -> Result<Explanation, Diagnostic> {
    let path = key_steps(key);
    let Some(value) = lookup(&scenario.resolved, &path) else {
        let mut keys: Vec<String> = leaves(&scenario.resolved)
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        // Optional fields nobody set are not in the resolved table, but are worth suggesting.
        for (section, fields) in OPTIONAL {
            if let Some(Value::Table(items)) = scenario.resolved.get(*section) {
                for id in items.keys() {
                    keys.extend(fields.iter().map(|f| format!("{section}.{id}.{f}")));
                }
            }
        }
        let help = did_you_mean(key, keys.iter().map(String::as_str));
        return Err(
            Diagnostic::new(format!("scenario `{}` has no `{key}`", scenario.name)).with_help(help),
        );
    };
    Ok(Explanation {
        key: dotted(&path),
        value: value.to_string(),
        origin: scenario.sources.origin(&path),
    })
}

/// The resolved inputs that differ between two scenarios: (key, value in a, value in b).
pub fn differences(a: &Scenario, b: &Scenario) -> Vec<(String, Option<String>, Option<String>)> {
    let (left, right) = (leaves(&a.resolved), leaves(&b.resolved));
    let mut keys: Vec<&String> = left.iter().chain(&right).map(|(k, _)| k).collect();
    keys.sort();
    keys.dedup();
    let find = |side: &[(String, String)], key: &str| {
        side.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    };
    keys.into_iter()
        .filter(|k| k.as_str() != "description")
        .filter_map(|k| {
            let (x, y) = (find(&left, k), find(&right, k));
            (x != y).then(|| (k.clone(), x, y))
        })
        .collect()
}

/// The comment lines a scenario file writes at an item: those just above its table header
/// and those inside the table, without the `#`.
pub fn notes(scenario: &Scenario, path: &[Seg]) -> Vec<String> {
    let Origin::File {
        path: file, line, ..
    } = scenario.sources.origin(path)
    else {
        return Vec::new();
    };
    let Some(layer) = scenario.sources.layers.iter().find(|l| l.path == file) else {
        return Vec::new();
    };
    let lines: Vec<&str> = layer.text.lines().collect();
    let header = line.saturating_sub(1);
    let comment = |l: &&&str| l.trim_start().starts_with('#');
    let strip = |l: &str| l.trim_start().trim_start_matches('#').trim().to_string();
    let mut above: Vec<String> = lines[..header.min(lines.len())]
        .iter()
        .rev()
        .take_while(comment)
        .map(|l| strip(l))
        .collect();
    above.reverse();
    // Comments inside the table, up to its last `key = value` line: comments after that
    // introduce whatever comes next in the file.
    let mut inside = Vec::new();
    let mut kept = 0;
    for l in lines.iter().skip(header + 1) {
        let t = l.trim_start();
        if t.starts_with('[') {
            break;
        }
        if let Some((_, c)) = t.split_once('#') {
            inside.push(c.trim().to_string());
        }
        if !t.is_empty() && !t.starts_with('#') {
            kept = inside.len();
        }
    }
    inside.truncate(kept);
    above
        .into_iter()
        .chain(inside)
        .filter(|l| !l.is_empty())
        .collect()
}

/// What leaving out an optional field means, for a field no file sets (`ends` not set: the
/// programme never ends). `None` when the item does not exist or the field is not optional.
pub fn unset_meaning(scenario: &Scenario, data: &Dataset, key: &str) -> Option<String> {
    let path = key_steps(key);
    let keys: Vec<&str> = path
        .iter()
        .map(|seg| match seg {
            Seg::Key(k) => k.as_str(),
            Seg::Index(_) => "#",
        })
        .collect();
    let own = |field: &str| {
        let mut p = path[..path.len().saturating_sub(1)].to_vec();
        p.push(Seg::Key(field.to_string()));
        lookup(&scenario.resolved, &p).map(|v| match v {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
    };
    let cap = || {
        format!(
            "the plant uses the scenario's assumptions.utilisation_cap ({})",
            scenario.utilisation_cap
        )
    };
    let always = |what: &str| format!("the {what} always happens (probability 1)");
    let meaning = match keys.as_slice() {
        ["plants", id, field] if data.plant(id).is_some() => match *field {
            "utilisation_cap" => cap(),
            "closes" => "the plant does not close".into(),
            "output" | "growth" => {
                let base = data.base_output(id);
                match (own("output"), own("growth")) {
                    (_, Some(g)) => format!("existing production follows `growth = {g}`"),
                    (Some(_), _) => "existing production follows the `output` waypoints".into(),
                    _ => format!(
                        "existing production stays at its {} output, {}",
                        data.base_year(),
                        group(base)
                    ),
                }
            }
            _ => return None,
        },
        ["new_plants", id, field] if scenario.new_plants.iter().any(|n| n.id == *id) => {
            match *field {
                "utilisation_cap" => cap(),
                "probability" => "the plant is always built (probability 1)".into(),
                _ => return None,
            }
        }
        ["programmes", id, field] if scenario.programmes.iter().any(|p| p.id == *id) => {
            match *field {
                "ends" => "the programme never ends".into(),
                "probability" => always("programme"),
                _ => return None,
            }
        }
        ["shocks", "#", field] if lookup(&scenario.resolved, &path[..2]).is_some() => {
            let hits = |what: &str| format!("the shock hits {what}");
            match (*field, own("plant"), own("maker")) {
                ("plant", None, Some(maker)) => hits(&format!("every plant of maker {maker}")),
                ("maker", Some(plant), None) => hits(&format!("plant {plant} only")),
                ("plant" | "maker", None, None) => hits("every plant and the residual"),
                ("probability", ..) => always("shock"),
                _ => return None,
            }
        }
        ["checks", "#", field] if lookup(&scenario.resolved, &path[..2]).is_some() => {
            match *field {
                "total" => "the check bounds no national total, only makers".into(),
                "makers" => "the check bounds no maker, only the national total".into(),
                _ => return None,
            }
        }
        ["checks", "#", .., bound @ ("min" | "max")]
            if lookup(&scenario.resolved, &path[..path.len() - 1]).is_some() =>
        {
            match *bound {
                "min" => "no lower bound".into(),
                _ => "no upper bound".into(),
            }
        }
        _ => return None,
    };
    Some(meaning)
}

/// A whole number with thousands separators (the data layer cannot use `export`'s).
fn group(x: f64) -> String {
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < -0.5 { format!("-{out}") } else { out }
}
