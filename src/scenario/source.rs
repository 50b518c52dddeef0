//! Where scenario values come from: files in the `extends` chain and `--set` arguments.
//!
//! Values are merged as plain TOML tables; each problem found later is traced back to
//! the file, line and column (or the `--set`) that supplied the value.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::de::{DeTable, DeValue, Deserializer};
use toml::{Spanned, Table, Value};

use super::schema::ScenarioFile;
use crate::data::is_valid_id;
use crate::diagnostic::{Diagnostic, Diagnostics, Location, did_you_mean, suggest};

/// One step of a dotted key path such as `shocks.0.lost_weeks`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A table key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// A dotted key path into a scenario.
pub type KeyPath = Vec<Seg>;

/// Build a key path from its steps.
pub fn key_path<'a>(keys: impl IntoIterator<Item = &'a str>) -> KeyPath {
    keys.into_iter().map(|k| Seg::Key(k.to_string())).collect()
}

/// Show a key path the way `--set` takes it.
pub fn dotted(path: &[Seg]) -> String {
    path.iter()
        .map(|seg| match seg {
            Seg::Key(k) => k.clone(),
            Seg::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The scenario directory.
#[derive(Debug, Clone)]
pub struct Library {
    dir: PathBuf,
}

impl Library {
    /// The scenarios in `dir`.
    pub fn new(dir: &Path) -> Self {
        Library {
            dir: dir.to_path_buf(),
        }
    }

    /// The file a scenario is read from.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.toml"))
    }

    /// Every scenario name (file stems of `*.toml`), sorted.
    pub fn names(&self) -> Result<Vec<String>, Diagnostic> {
        let entries = std::fs::read_dir(&self.dir).map_err(|err| {
            Diagnostic::new(format!("cannot read the scenario directory: {err}")).in_file(&self.dir)
        })?;
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
            .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_string))
            .collect();
        names.sort();
        Ok(names)
    }

    /// Error for a scenario name that has no file, suggesting a close one.
    fn unknown(&self, name: &str) -> Diagnostic {
        let names = self.names().unwrap_or_default();
        let listing = if names.is_empty() {
            format!("there are no scenarios in {}/", self.dir.display())
        } else {
            format!(
                "the scenarios in {}/ are {}",
                self.dir.display(),
                names.join(", ")
            )
        };
        Diagnostic::new(format!("unknown scenario `{name}` ({listing})"))
            .with_help(did_you_mean(name, names.iter().map(String::as_str)))
    }
}

/// One scenario file of an `extends` chain.
#[derive(Debug, Clone)]
pub struct Layer {
    /// Scenario name (file stem).
    pub name: String,
    /// The file.
    pub path: PathBuf,
    /// Its text, kept to point at problems.
    pub text: Arc<str>,
    /// Its contents, without the keys reported in `problems`.
    pub table: Table,
    /// Unknown keys and values of the wrong type: reported with the scenario's other
    /// problems, so one run shows them all.
    pub problems: Vec<Diagnostic>,
    /// Dotted paths whose absence `problems` already explain (`programmes.x.peak` when
    /// `peek` was unknown, or `peak` was a string), so no "needs `peak`" follows them.
    pub dropped: Vec<String>,
}

impl Layer {
    fn at(&self, span: std::ops::Range<usize>) -> Location {
        Location::Span {
            path: self.path.clone(),
            text: self.text.clone(),
            span,
        }
    }
}

/// A `--set KEY=VALUE` argument.
#[derive(Debug, Clone)]
pub struct SetArg {
    /// The argument as given.
    pub raw: String,
    /// The scenario it is scoped to (`SCENARIO:KEY=VALUE`, by name or 1-based position in the
    /// command), or `None` for every scenario.
    pub scope: Option<String>,
    /// `KEY=VALUE`, without the scope: what the change is.
    pub change: String,
    /// The key path.
    pub path: KeyPath,
    /// The value, parsed as TOML (or taken as a string when it is not TOML).
    pub value: Value,
}

impl fmt::Display for SetArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// Everything a resolved scenario was built from, root file first.
#[derive(Debug, Clone)]
pub struct Sources {
    /// The `extends` chain, the root parent first and the named scenario last.
    pub layers: Vec<Layer>,
    /// `--set` arguments, in order.
    pub sets: Vec<SetArg>,
}

/// Which part of a `key = value` pair a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The key (or a table header).
    Key,
    /// The value.
    Value,
}

impl Sources {
    /// Where the value at `path` was set: the last `--set` or the deepest file that gives it.
    pub fn locate(&self, path: &[Seg], part: Part) -> Option<Location> {
        if let Some(set) = self
            .sets
            .iter()
            .rev()
            .find(|s| s.path.starts_with(path) || path.starts_with(&s.path))
        {
            return Some(Location::Set(set.raw.clone()));
        }
        // The deepest file holding the whole path; otherwise the one holding most of it.
        let mut best: Option<(usize, Location)> = None;
        for layer in self.layers.iter().rev() {
            let Ok(doc) = DeTable::parse(&layer.text) else {
                continue;
            };
            let (depth, span) = walk(&doc, path, part);
            if depth == path.len() {
                return span.map(|s| layer.at(s));
            }
            if depth > 0 && best.as_ref().is_none_or(|(d, _)| depth > *d) {
                best = span.map(|s| (depth, layer.at(s)));
            }
        }
        best.map(|(_, location)| location)
            .or_else(|| self.layers.last().map(|l| Location::File(l.path.clone())))
    }

    /// The names of the chain, root first.
    pub fn chain(&self) -> Vec<String> {
        self.layers.iter().map(|l| l.name.clone()).collect()
    }
}

/// Follow `path` into a parsed document; returns how many steps matched and the span there.
pub(super) fn walk(
    doc: &Spanned<DeTable<'_>>,
    path: &[Seg],
    part: Part,
) -> (usize, Option<std::ops::Range<usize>>) {
    let mut span = None;
    let mut table: Option<&DeTable<'_>> = Some(doc.get_ref());
    let mut array: Option<&[Spanned<DeValue<'_>>]> = None;
    for (depth, seg) in path.iter().enumerate() {
        let (key_span, value) = match (seg, table, array) {
            (Seg::Key(k), Some(t), _) => match t.iter().find(|(key, _)| key.get_ref() == k) {
                Some((key, value)) => (key.span(), value),
                None => return (depth, span),
            },
            (Seg::Index(i), _, Some(items)) => match items.get(*i) {
                Some(value) => (value.span(), value),
                None => return (depth, span),
            },
            _ => return (depth, span),
        };
        let last = depth + 1 == path.len();
        span = Some(if last && part == Part::Value {
            value.span()
        } else {
            key_span
        });
        table = None;
        array = None;
        match value.get_ref() {
            DeValue::Table(t) => table = Some(t),
            DeValue::Array(a) => array = Some(a),
            _ => {}
        }
    }
    (path.len(), span)
}

/// Read a scenario and its parents, checking each file against the schema.
pub fn load_chain(library: &Library, name: &str) -> Result<Vec<Layer>, Diagnostics> {
    let mut chain: Vec<Layer> = Vec::new();
    let mut next = Some((name.to_string(), None::<Location>));
    while let Some((current, referenced_at)) = next.take() {
        if let Some(pos) = chain.iter().position(|l| l.name == current) {
            let mut names: Vec<&str> = chain[pos..].iter().map(|l| l.name.as_str()).collect();
            names.push(&current);
            let mut d = Diagnostic::new(format!(
                "scenarios extend each other in a cycle: {}",
                names.join(" -> ")
            ));
            d.location = referenced_at;
            return Err(d.into());
        }
        if !is_valid_id(&current) {
            let mut d = Diagnostic::new(format!(
                "scenario name `{current}` must be lowercase letters, digits and hyphens (it is the file name without .toml)"
            ));
            d.location = referenced_at;
            return Err(d.into());
        }
        let path = library.path(&current);
        if !path.is_file() {
            let mut d = library.unknown(&current);
            if let Some(parent) = chain.last() {
                d.message = format!("scenario `{}` extends {}", parent.name, d.message);
            }
            d.location = referenced_at;
            return Err(d.into());
        }
        let layer = read_layer(&current, &path)?;
        if let Some(parent) = layer.table.get("extends").and_then(Value::as_str) {
            let location = DeTable::parse(&layer.text)
                .ok()
                .and_then(|doc| walk(&doc, &key_path(["extends"]), Part::Value).1)
                .map(|span| layer.at(span));
            next = Some((parent.to_string(), location));
        }
        chain.push(layer);
    }
    chain.reverse();
    Ok(chain)
}

fn read_layer(name: &str, path: &Path) -> Result<Layer, Diagnostics> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| Diagnostic::new(format!("cannot read the scenario: {err}")).in_file(path))?;
    let text: Arc<str> = Arc::from(text);
    let at = |span: Option<std::ops::Range<usize>>| match span {
        Some(span) => Location::Span {
            path: path.to_path_buf(),
            text: text.clone(),
            span,
        },
        None => Location::File(path.to_path_buf()),
    };
    let mut doc = DeTable::parse(&text).map_err(|err| {
        let mut problem = schema_problem(&err);
        // `checks = []` (as `new --from` writes) and a `[[checks]]` below it clash.
        let key = err.span().and_then(|s| text.get(s)).unwrap_or_default();
        if err.message().starts_with("duplicate key") && !key.is_empty() {
            let mut help = format!("`{key}` is already set earlier in this file: keep one");
            if key == "checks" {
                help.push_str(
                    " (`checks = []` drops the parent's checks; delete it to write [[checks]])",
                );
            }
            problem.help = Some(help);
        }
        problem.at(at(err.span()))
    })?;
    // Each schema problem (an unknown key, a value of the wrong type) is recorded and its key
    // taken out, until the rest reads: so the checks of the values still run, and one run
    // reports everything. Every round removes a key, so this ends.
    let (mut problems, mut dropped) = (Vec::new(), Vec::new());
    while let Err(err) = ScenarioFile::deserialize(Deserializer::from(doc.clone())) {
        let problem = schema_problem(&err).at(at(err.span()));
        let removed = err
            .span()
            .and_then(|span| remove_spanned(doc.get_mut(), &span));
        let Some(mut removed) = removed else {
            problems.push(problem);
            return Err(Diagnostics(problems));
        };
        if let Some(meant) = misspelt_name(err.message())
            && let Some(Seg::Key(last)) = removed.last_mut()
        {
            *last = meant;
        }
        dropped.push(dotted(&removed));
        problems.push(problem);
    }
    // In the order of the file, as a reader goes through it.
    problems.sort_by_key(|p: &Diagnostic| match &p.location {
        Some(Location::Span { span, .. }) => span.start,
        _ => 0,
    });
    let table = Table::deserialize(Deserializer::from(doc))
        .map_err(|err| schema_problem(&err).at(at(err.span())))?;
    Ok(Layer {
        name: name.to_string(),
        path: path.to_path_buf(),
        text: text.clone(),
        table,
        problems,
        dropped,
    })
}

/// Take out of `table` the key whose name or value is at `span` (a whole array when the
/// span is one of its plain values), returning its path.
fn remove_spanned(table: &mut DeTable<'_>, span: &std::ops::Range<usize>) -> Option<KeyPath> {
    let hit = table.iter().find_map(|(key, value)| {
        let here = key.span() == *span
            || value.span() == *span
            || matches!(value.get_ref(), DeValue::Array(items)
                if items.iter().any(|i| i.span() == *span && !matches!(i.get_ref(), DeValue::Table(_))));
        here.then(|| key.get_ref().to_string())
    });
    if let Some(name) = hit {
        table.remove(name.as_str());
        return Some(vec![Seg::Key(name)]);
    }
    for (key, value) in table.iter_mut() {
        let found = match value.get_mut() {
            DeValue::Table(inner) => remove_spanned(inner, span),
            DeValue::Array(items) => items.iter_mut().enumerate().find_map(|(i, item)| {
                let DeValue::Table(inner) = item.get_mut() else {
                    return None;
                };
                remove_spanned(inner, span).map(|mut path| {
                    path.insert(0, Seg::Index(i));
                    path
                })
            }),
            _ => None,
        };
        if let Some(mut path) = found {
            path.insert(0, Seg::Key(key.get_ref().to_string()));
            return Some(path);
        }
    }
    None
}

/// A schema error as a diagnostic, with "did you mean" for misspelt keys and variants.
fn schema_problem(err: &toml::de::Error) -> Diagnostic {
    let message = err.message().trim_end().to_string();
    let help = misspelt(&message);
    Diagnostic::new(message).with_help(help)
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" (or variant), the closest name.
fn misspelt(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (bad, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    did_you_mean(bad, candidates)
}

/// For an unknown field, the field that was probably meant (`peak` for `peek`).
fn misspelt_name(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (bad, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    suggest(bad, candidates).map(str::to_string)
}

/// Merge `child` onto `base` table by table, key by key; arrays and values are replaced.
pub fn merge(base: &mut Table, child: Table) {
    for (key, value) in child {
        match (base.get_mut(&key), value) {
            // A powertrain mix replaces the mix it overrides: merged share by share, the two
            // would no longer add up to 1. (Battery sizes by powertrain do merge, size by size.)
            (Some(Value::Table(_)), Value::Table(child_table))
                if key != "battery_kwh" && is_mix(&child_table) =>
            {
                base.insert(key, Value::Table(child_table));
            }
            (Some(Value::Table(base_table)), Value::Table(child_table)) => {
                drop_other_waypoint_form(base_table, &child_table);
                merge(base_table, child_table)
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// Whether a table is a powertrain mix: every key a powertrain's name.
fn is_mix(table: &Table) -> bool {
    !table.is_empty()
        && table
            .keys()
            .all(|k| crate::data::Powertrain::parse(k).is_some())
}

/// A waypoint written one way (`{ of_base = 1.2 }`) over one written another (a range
/// `{ low, mode, high }`, or `{ of_year = 2023 }`) replaces it: merged, the two would be a mix
/// that means nothing. A child that changes one part of the same form (`.mode`) still merges.
fn drop_other_waypoint_form(base: &mut Table, child: &Table) {
    const FORMS: [&[&str]; 3] = [&["low", "mode", "high"], &["of_base"], &["of_year"]];
    let form = |t: &Table| {
        FORMS
            .iter()
            .position(|f| f.iter().any(|k| t.contains_key(*k)))
    };
    if let (Some(old), Some(new)) = (form(base), form(child))
        && old != new
    {
        for key in FORMS[old] {
            base.remove(*key);
        }
    }
}

/// Parse `KEY=VALUE`, where VALUE is TOML (a bare word is taken as a string).
pub fn parse_set(raw: &str) -> Result<SetArg, Diagnostic> {
    let problem = |message: String| Diagnostic::new(message).at(Location::Set(raw.to_string()));
    let Some((key, value)) = raw.split_once('=') else {
        return Err(problem(
            "expected KEY=VALUE, for example programmes.chery-halewood.peak=120000".into(),
        ));
    };
    // Keys are dotted names, which never hold a colon: one before `=` scopes the change.
    let (scope, key) = match key.split_once(':') {
        Some((scope, key)) => {
            let scope = scope.trim();
            if scope.is_empty() {
                return Err(problem(
                    "expected SCENARIO:KEY=VALUE, with a scenario name or position before `:`"
                        .into(),
                ));
            }
            (Some(scope.to_string()), key)
        }
        None => (None, key),
    };
    let key = key.trim();
    if key.is_empty() || key.split('.').any(str::is_empty) {
        return Err(problem(format!(
            "`{key}` is not a dotted key such as programmes.chery-halewood.peak"
        )));
    }
    let mut path: KeyPath = Vec::new();
    for seg in key.split('.') {
        let in_shocks = matches!(path.last(), Some(Seg::Key(k)) if k == "shocks" || k == "checks")
            && path.len() == 1;
        match seg.parse::<usize>() {
            Ok(index) if in_shocks => path.push(Seg::Index(index)),
            _ => path.push(Seg::Key(seg.to_string())),
        }
    }
    let text = value.trim();
    let value = match toml::from_str::<Table>(&format!("v = {text}")) {
        Ok(mut table) => table.remove("v").unwrap_or(Value::String(text.to_string())),
        Err(_) => Value::String(text.to_string()),
    };
    let set = SetArg {
        raw: raw.to_string(),
        scope,
        change: format!("{key}={text}"),
        path,
        value,
    };
    check_set(&set)?;
    Ok(set)
}

/// Check a `--set` against the schema on its own, so its errors name the argument.
fn check_set(set: &SetArg) -> Result<(), Diagnostic> {
    let mut value = set.value.clone();
    for seg in set.path.iter().rev() {
        value = match seg {
            Seg::Key(k) => Value::Table(Table::from_iter([(k.clone(), value)])),
            Seg::Index(_) => Value::Array(vec![value]),
        };
    }
    let Value::Table(fragment) = value else {
        return Ok(());
    };
    if fragment.contains_key("extends") {
        return Err(Diagnostic::new(
            "`extends` cannot be set from the command line: name the child scenario instead",
        )
        .at(Location::Set(set.raw.clone())));
    }
    match ScenarioFile::deserialize_table(fragment) {
        Ok(_) => Ok(()),
        Err(err) => Err(schema_problem(&err).at(Location::Set(set.raw.clone()))),
    }
}

impl ScenarioFile {
    /// Read an already-parsed table against the schema.
    pub fn deserialize_table(table: Table) -> Result<ScenarioFile, toml::de::Error> {
        Value::Table(table).try_into()
    }
}

/// Apply a `--set` to a merged table.
pub fn apply_set(table: &mut Table, set: &SetArg) -> Result<(), Diagnostic> {
    let problem = |message: String| Diagnostic::new(message).at(Location::Set(set.raw.clone()));
    let Some((last, parents)) = set.path.split_last() else {
        return Ok(());
    };
    let mut current = Value::Table(std::mem::take(table));
    let result = (|| {
        let mut node = &mut current;
        for (depth, seg) in parents.iter().enumerate() {
            let next_is_index = matches!(set.path.get(depth + 1), Some(Seg::Index(_)));
            node = match (seg, node) {
                (Seg::Key(k), Value::Table(t)) if next_is_index && !t.contains_key(k) => {
                    return Err(problem(format!(
                        "the scenario has no `{}`, so there is no entry to change; to add one, \
                         set the whole list, e.g. --set '{k}=[{{ ... }}]'",
                        dotted(&set.path[..=depth])
                    )));
                }
                (Seg::Key(k), Value::Table(t)) => t
                    .entry(k.clone())
                    .or_insert_with(|| Value::Table(Table::new())),
                (Seg::Index(i), Value::Array(items)) => {
                    let len = items.len();
                    items.get_mut(*i).ok_or_else(|| {
                        problem(format!(
                            "`{}` has {len} entries, so there is no entry {i}",
                            dotted(&set.path[..depth])
                        ))
                    })?
                }
                _ => {
                    return Err(problem(format!(
                        "`{}` is not a table",
                        dotted(&set.path[..depth])
                    )));
                }
            };
        }
        match (last, node) {
            (Seg::Key(k), Value::Table(t)) => {
                let mut one = Table::new();
                one.insert(k.clone(), set.value.clone());
                drop_other_waypoint_form(t, &one);
                t.insert(k.clone(), set.value.clone());
                Ok(())
            }
            (Seg::Index(i), Value::Array(items)) => match items.get_mut(*i) {
                Some(slot) => {
                    *slot = set.value.clone();
                    Ok(())
                }
                None => Err(problem(format!(
                    "there is no entry {i} in `{}`",
                    dotted(parents)
                ))),
            },
            _ => Err(problem(format!("`{}` is not a table", dotted(parents)))),
        }
    })();
    if let Value::Table(t) = current {
        *table = t;
    }
    result
}
