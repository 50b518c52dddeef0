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
    Explanation, Origin, differences, explain, key_steps, leaves, lookup, notes, unset_meaning,
    written,
};
pub use model::*;
pub use num::Num;
pub use schema::{BoundSection, Curve, ScenarioFile};
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
    let mut merged = Table::new();
    for layer in &layers {
        merge(&mut merged, layer.table.clone());
    }
    merged.remove("extends");
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
        if let Err(problem) = apply_set(&mut merged, set) {
            problems.push(problem);
            set_problems = true;
        }
    }
    if set_problems {
        return Err(problems);
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
    checker.problems.into_result(())?;
    Ok(Scenario {
        warnings: checker.warnings,
        sources,
        ..scenario
    })
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
