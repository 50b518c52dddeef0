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
        &[
            "capacity",
            "utilisation_cap",
            "output",
            "growth",
            "closes",
            "powertrain",
        ],
    ),
    (
        "new_plants",
        &["utilisation_cap", "probability", "label", "jobs"],
    ),
    (
        "programmes",
        &[
            "ends",
            "probability",
            "label",
            "powertrain",
            "battery_kwh",
            "jobs",
        ],
    ),
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
        keys.extend(super::NOT_INHERITED.iter().map(|k| k.to_string()));
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
        .filter(|k| !display_only(k))
        .filter_map(|k| {
            let (x, y) = (find(&left, k), find(&right, k));
            (x != y).then(|| (k.clone(), x, y))
        })
        .collect()
}

/// Whether a resolved key only says how the scenario is shown (its description, title,
/// headline and colour, items' labels, makers' colours): none of them changes a number, so
/// `diff` leaves them out.
pub fn display_only(key: &str) -> bool {
    key == "description"
        || super::NOT_INHERITED.contains(&key)
        || key.starts_with("makers.")
        || (key.ends_with(".label") && !key.starts_with("checks."))
}

/// The comments the scenario files write at an item, one string per line, without the `#`:
/// those just above its table header (up to a blank line or a section divider such as
/// `# --- JLR ----`) and those inside the table. Commented-out TOML (`# plant = "x"`, a
/// template's unused lines) is not a note. Every file of the chain that writes the item
/// contributes, the root first; when several do, each one's first line names its file.
pub fn notes(scenario: &Scenario, path: &[Seg]) -> Vec<String> {
    let files: Vec<(String, Vec<String>)> = layers_with(scenario, path)
        .into_iter()
        .filter_map(|(layer, line)| {
            let lines = notes_at(&layer.text, line);
            let file = layer.path.file_name()?.to_string_lossy().into_owned();
            (!lines.is_empty()).then_some((file, lines))
        })
        .collect();
    let several = files.len() > 1;
    files
        .into_iter()
        .flat_map(|(file, mut lines)| {
            if several {
                lines[0] = format!("{file}: {}", lines[0]);
            }
            lines
        })
        .collect()
}

/// Where the files of a scenario's chain say something about an item: each file that writes
/// its header or key, root first, with the (0-based) line it is on. Arrays (`shocks`) are
/// replaced, not merged, so for an array's item only the deepest file giving the array counts.
fn layers_with<'a>(scenario: &'a Scenario, path: &[Seg]) -> Vec<(&'a super::Layer, usize)> {
    let in_array = path.iter().any(|s| matches!(s, Seg::Index(_)));
    let mut found = Vec::new();
    for layer in scenario.sources.layers.iter().rev() {
        let Ok(doc) = DeTable::parse(&layer.text) else {
            continue;
        };
        let (depth, span) = walk(&doc, path, Part::Key);
        if depth == path.len()
            && let Some(span) = span
        {
            let (line, _) = line_column(&layer.text, span.start);
            found.push((layer, line - 1));
        }
        if in_array && walk(&doc, &path[..1], Part::Key).0 == 1 {
            break;
        }
    }
    found.reverse();
    found
}

/// The notes of the item whose header or key is on line `header` (0-based) of `text`.
fn notes_at(text: &str, header: usize) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut above: Vec<&str> = lines[..header.min(lines.len())]
        .iter()
        .rev()
        .map_while(|l| comment(l))
        .take_while(|c| !is_divider(c))
        .collect();
    above.reverse();
    // Comments inside the table, up to its last `key = value` line: comments after that
    // introduce whatever comes next in the file. A key line's own comment counts too.
    // (The header's own comment says what kind of table it is, as in the `new` template.)
    let mut inside = Vec::new();
    let mut kept = 0;
    for l in lines.iter().skip(header + 1) {
        let t = l.trim_start();
        if t.starts_with('[') {
            break;
        }
        if let Some(c) = comment(t) {
            inside.push(c);
        } else if !t.is_empty() {
            inside.extend(trailing_comment(t));
            kept = inside.len();
        }
    }
    inside.truncate(kept);
    above
        .into_iter()
        .chain(inside)
        .filter(|c| !c.is_empty() && !is_divider(c) && !is_code(c))
        .map(str::to_string)
        .collect()
}

/// The text of a comment line, without its `#`.
fn comment(line: &str) -> Option<&str> {
    line.trim_start().strip_prefix('#').map(str::trim)
}

/// The comment after a `key = value` (or a table header) on one line, if any. A `#` inside
/// a quoted string is not a comment.
fn trailing_comment(line: &str) -> Option<&str> {
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match (c, quote) {
            ('"' | '\'', None) => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            ('#', None) => return Some(line[i + 1..].trim()),
            _ => {}
        }
    }
    None
}

/// A section divider such as `--- JLR -----------` or `=====`.
fn is_divider(comment: &str) -> bool {
    comment.starts_with("---") || comment.contains("-----") || comment.contains("=====")
}

/// Commented-out TOML: `plant = "jlr-halewood"`, `[programmes.x]`, or the continuation of
/// a commented-out line's own comment (`#   # or s-curve`).
fn is_code(comment: &str) -> bool {
    comment.starts_with('#')
        || toml::from_str::<Table>(comment).is_ok_and(|table| !table.is_empty())
}

/// The keys an item's files (or `--set`) write, in the item's resolved table, with the file
/// (or `--set`) that gives each: the defaults ukprod filled in are left out.
pub fn written(scenario: &Scenario, path: &[Seg]) -> Vec<(String, Value, String)> {
    let Some(Value::Table(fields)) = lookup(&scenario.resolved, path) else {
        return Vec::new();
    };
    fields
        .iter()
        .filter_map(|(key, value)| {
            let mut at = path.to_vec();
            at.push(Seg::Key(key.clone()));
            let by = match scenario.sources.origin(&at) {
                Origin::Default => return None,
                Origin::Set(raw) => format!("--set {raw}"),
                Origin::File { path, .. } => path.file_name()?.to_string_lossy().into_owned(),
            };
            Some((key.clone(), value.clone(), by))
        })
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
        [field] if super::NOT_INHERITED.contains(field) => own_only(scenario, field),
        ["plants", id, field] if data.plant(id).is_some() => match *field {
            "utilisation_cap" => cap(),
            "closes" => "the plant does not close".into(),
            "powertrain" => match data.industry.mix(id) {
                Some(_) => format!(
                    "existing production keeps its {} powertrain mix (data/powertrain.csv)",
                    data.base_year()
                ),
                None => "the data give no powertrain mix for this plant".into(),
            },
            "output" | "growth" => {
                let base = data.base_output(id);
                match (own("output"), own("growth")) {
                    (_, Some(g)) => format!("existing production follows `growth = {g}`"),
                    (Some(_), _) => "existing production follows the `output` waypoints".into(),
                    _ => format!(
                        "existing production stays at its {} output, {}",
                        data.base_year(),
                        crate::number::thousands(base)
                    ),
                }
            }
            _ => return None,
        },
        ["new_plants", id, field] if scenario.new_plants.iter().any(|n| n.id == *id) => {
            match *field {
                "utilisation_cap" => cap(),
                "probability" => "the plant is always built (probability 1)".into(),
                "jobs" => "the plant adds no jobs of its own (its programmes' jobs still count)".into(),
                "label" => match own("name") {
                    Some(name) => format!("charts call the plant by its name, \"{name}\""),
                    None => format!("charts call the plant by its id, `{id}`"),
                },
                _ => return None,
            }
        }
        ["programmes", id, field] if scenario.programmes.iter().any(|p| p.id == *id) => {
            match *field {
                "ends" => "the programme never ends".into(),
                "probability" => always("programme"),
                "powertrain" => {
                    "its vehicles are counted at its plant's base-year powertrain mix (a new plant's: the UK's mix of its segment), with a warning".into()
                }
                "battery_kwh" => {
                    "its batteries are the typical sizes of data/battery_sizes.csv for its segment".into()
                }
                "jobs" => "the programme adds no jobs (those at its plant are counted with the plant)".into(),
                "label" => format!("charts call the programme by its id, `{id}`"),
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
                ("label", ..) => "the shock has no display name of its own".into(),
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
        ["makers", maker, "colour"] if has_maker(scenario, data, maker) => {
            format!("maker {maker} keeps the colour it has on every chart")
        }
        _ => return None,
    };
    Some(meaning)
}

/// Whether a maker makes anything in the scenario (or is the residual's `Other`).
fn has_maker(scenario: &Scenario, data: &Dataset, maker: &str) -> bool {
    maker == crate::data::OTHER_MAKER
        || data.plants.iter().any(|p| p.operator == maker)
        || scenario.new_plants.iter().any(|n| n.operator == maker)
        || scenario.programmes.iter().any(|p| p.maker == maker)
}

/// What an unset `title`, `headline` or `colour` means, and, when a parent sets it, that it is
/// not inherited.
fn own_only(scenario: &Scenario, field: &str) -> String {
    let meaning = match field {
        "title" => format!("charts call the scenario by its name, `{}`", scenario.name),
        "headline" => {
            "charts have no subtitle from the scenario (they never show its description)".into()
        }
        _ => "comparisons give the scenario a colour of their own palette, the same in every chart"
            .into(),
    };
    let parent = scenario
        .sources
        .layers
        .iter()
        .rev()
        .skip(1)
        .find_map(|layer| {
            let value = layer.table.get(field)?.as_str()?;
            Some((layer.name.as_str(), value))
        });
    match parent {
        Some((name, value)) => format!(
            "{meaning}; `{name}` sets {field} = \"{value}\", but a scenario describes itself, so its parents' {field} is not inherited"
        ),
        None => meaning,
    }
}
