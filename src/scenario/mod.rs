//! Scenarios: TOML files, merged along `extends`, changed by `--set`, checked and resolved.

mod explain;
mod model;
mod num;
mod schema;
mod source;
mod template;
mod validate;

use toml::{Table, Value};

use crate::data::Dataset;
use crate::diagnostic::{Diagnostic, Diagnostics};
pub use explain::{
    Explanation, Origin, differences, display_only, explain, key_steps, leaves, lookup, notes,
    unset_meaning, written,
};
pub use model::*;
pub use num::Num;
pub use schema::{BoundSection, Curve, ScenarioFile, WaypointSpec};
pub use source::load_chain;
pub use source::{
    KeyPath, Layer, Library, Part, Seg, SetArg, Sources, dotted, key_path, parse_set,
};
use source::{apply_set, merge};
pub use template::template;
use validate::Checker;

/// Resolve a scenario by name: read its `extends` chain, apply `--set`, check it against the data.
pub fn resolve(
    library: &Library,
    data: &Dataset,
    name: &str,
    sets: &[SetArg],
) -> Result<Scenario, Diagnostics> {
    let layers = load_chain(library, name)?;
    let mut merged = merge_chain(&layers);
    let sources = Sources {
        layers,
        sets: sets.to_vec(),
    };
    // Unknown keys and mistyped values were taken out of each file: report them with the
    // problems the checks below find in the rest.
    let mut problems = Diagnostics::default();
    let mut dropped = Vec::new();
    for layer in &sources.layers {
        problems.0.extend(layer.problems.iter().cloned());
        dropped.extend(layer.dropped.iter().cloned());
    }
    let mut set_problems = false;
    for set in sets {
        if let Some(problem) = near_miss(&merged, set) {
            problems.push(problem);
            set_problems = true;
        } else if let Err(problem) = apply_set(&mut merged, set) {
            problems.push(problem);
            set_problems = true;
        }
    }
    if set_problems {
        return Err(for_scenario(problems, name));
    }
    let file = ScenarioFile::deserialize_table(merged.clone())
        .map_err(|err| Diagnostic::new(err.message().trim_end().to_string()))?;
    let mut checker = Checker {
        sources: &sources,
        base_year: data.base_year(),
        problems,
        dropped,
        warnings: Vec::new(),
        uncertain: Vec::new(),
    };
    let scenario = checker.build(name, &file, data, merged);
    let problems = std::mem::take(&mut checker.problems);
    if !problems.is_empty() {
        return Err(for_scenario(problems, name));
    }
    Ok(Scenario {
        run_name: variant_name(name, sets),
        warnings: checker.warnings,
        sources,
        ..scenario
    })
}

/// The files of a chain merged, root first, each onto the ones before it. A parent's
/// `title`, `headline` and `colour` are left out: they describe the parent, not this scenario.
fn merge_chain(layers: &[Layer]) -> Table {
    let mut merged = Table::new();
    let last = layers.len().saturating_sub(1);
    for (i, layer) in layers.iter().enumerate() {
        let mut table = layer.table.clone();
        if i < last {
            for key in NOT_INHERITED {
                table.remove(key);
            }
        }
        merge(&mut merged, table);
    }
    merged.remove("extends");
    merged
}

/// A `--set` that would create an item named like one that exists (`programmes.nissan-leaf`
/// when `nissan-leaf-gen3` exists) is a typo far more often than a new item.
fn near_miss(merged: &Table, set: &SetArg) -> Option<Diagnostic> {
    let [Seg::Key(section), Seg::Key(item), _, ..] = set.path.as_slice() else {
        return None;
    };
    if !matches!(section.as_str(), "programmes" | "new_plants" | "plants") {
        return None;
    }
    let items = merged.get(section).and_then(Value::as_table)?;
    if items.contains_key(item) {
        return None;
    }
    // Close by spelling, or one name is the other with a hyphenated part more or less
    // (`nissan-leaf` for `nissan-leaf-gen3`).
    let close =
        crate::diagnostic::suggest(item, items.keys().map(String::as_str)).or_else(|| {
            items.keys().map(String::as_str).find(|k| {
                k.strip_prefix(item.as_str())
                    .or_else(|| item.strip_prefix(*k))
                    .is_some_and(|rest| rest.starts_with('-'))
            })
        })?;
    let help = format!("did you mean `{close}`?");
    Some(
        Diagnostic::new(format!(
            "the scenario has no `{section}.{item}`, and this would create one"
        ))
        .at(crate::diagnostic::Location::Set(set.raw.clone()))
        .with_help(Some(help)),
    )
}

/// Problems found while applying `--set`s name the scenario they were applied to, since an
/// unscoped `--set` applies to every scenario of the command.
fn for_scenario(mut problems: Diagnostics, name: &str) -> Diagnostics {
    for problem in &mut problems.0 {
        if let Some(crate::diagnostic::Location::Set(arg)) = &problem.location {
            problem.location = Some(crate::diagnostic::Location::SetFor {
                arg: arg.clone(),
                scenario: name.to_string(),
            });
        }
    }
    problems
}

/// The name a scenario's outputs go by: its own, or with `--set` changes `NAME+HASH`, the first
/// 8 hex digits of the SHA-256 of the changes as given, so a variant never writes into the
/// scenario's own folder and the same changes always give the same name.
pub fn variant_name(name: &str, sets: &[SetArg]) -> String {
    if sets.is_empty() {
        return name.to_string();
    }
    let text: Vec<&str> = sets.iter().map(|s| s.change.as_str()).collect();
    let hash = crate::data::sha256_hex(text.join("\n").as_bytes());
    format!("{name}+{}", &hash[..8])
}

/// A scenario's description (its own or inherited) without checking it against the data.
pub fn describe(library: &Library, name: &str) -> Result<String, Diagnostics> {
    let layers = load_chain(library, name)?;
    Ok(layers
        .iter()
        .rev()
        .find_map(|l| l.table.get("description").and_then(Value::as_str))
        .unwrap_or("")
        .to_string())
}
