//! The assumptions register: the scenario-wide settings and every plant change, new plant,
//! programme and shock, read as numbers ("peak 55,000 from 2028 over 3 years"), with the
//! files that set them and the notes those files write there.
//!
//! A scenario whose ancestor is also in the report lists only what it changes relative to
//! that ancestor: the rest is in the ancestor's register, so a child never repeats it.

use toml::Value;

use super::phrase::{
    Kind, chance, is_range, measure, number, quantity, sentence, waypoints, years,
};
use crate::data::Dataset;
use crate::engine::Projection;
use crate::scenario::{KeyPath, Scenario, Seg, key_path, lookup, notes, written};

/// One row of the register.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What readers call the item: its label, the plant's name, or its id.
    pub name: String,
    /// The item's key, as `explain` and `--set` take it.
    pub key: String,
    /// The files that set what the row shows.
    pub files: Vec<String>,
    /// What is set, in words.
    pub setting: String,
    /// The comments those files write at the item.
    pub notes: String,
}

/// One field an item sets: its key, value and the file (or `--set`) that sets it.
type Field = (String, Value, String);

/// An item of the register: its key path and kind of section.
struct Item {
    path: KeyPath,
    section: &'static str,
}

/// The register of `scenario`, relative to `ancestor` when the report shows one.
pub fn rows(
    scenario: &Scenario,
    projection: &Projection,
    data: &Dataset,
    ancestor: Option<&Scenario>,
) -> Vec<Row> {
    let own = own_files(scenario, ancestor);
    let mut rows: Vec<Row> = scenario_wide(scenario, &own, ancestor)
        .into_iter()
        .collect();
    for item in items(scenario) {
        let fields = changed(scenario, ancestor, &item);
        if fields.is_empty() {
            continue;
        }
        let whole = ancestor.is_none_or(|a| lookup(&a.resolved, &item.path).is_none());
        let setting = match item.section {
            "plants" => plant(&fields),
            "new_plants" => new_plant(&fields),
            "programmes" => programme(&fields, scenario, data),
            _ => shock(&fields, whole, scenario, data),
        };
        rows.push(row(
            scenario, projection, data, &own, &item, &fields, setting,
        ));
    }
    rows.extend(removed_shocks(scenario, ancestor));
    rows
}

/// The scenario with only the files after `ancestor` in its chain (and its `--set`s): what
/// it writes itself, whose notes belong in its register.
fn own_files(scenario: &Scenario, ancestor: Option<&Scenario>) -> Scenario {
    let mut own = scenario.clone();
    if let Some(a) = ancestor
        && let Some(at) = own.sources.layers.iter().position(|l| l.name == a.name)
    {
        own.sources.layers.drain(..=at);
    }
    own
}

/// Every item the scenario has, in the register's order: plants, new plants, programmes,
/// shocks.
fn items(scenario: &Scenario) -> Vec<Item> {
    let mut items = Vec::new();
    for section in ["plants", "new_plants", "programmes"] {
        if let Some(Value::Table(table)) = scenario.resolved.get(section) {
            items.extend(table.keys().map(|id| Item {
                path: key_path([section, id.as_str()]),
                section,
            }));
        }
    }
    if let Some(Value::Array(shocks)) = scenario.resolved.get("shocks") {
        items.extend((0..shocks.len()).map(|i| Item {
            path: vec![Seg::Key("shocks".into()), Seg::Index(i)],
            section: "shocks",
        }));
    }
    items
}

/// The fields of an item the register shows: those the files (or `--set`) write that differ
/// from the ancestor's value, or, with no ancestor (or an item the ancestor lacks), those
/// that are not ukprod's defaults. Names and labels name the row instead.
fn changed(scenario: &Scenario, ancestor: Option<&Scenario>, item: &Item) -> Vec<Field> {
    let before = ancestor.and_then(|a| match lookup(&a.resolved, &item.path) {
        Some(Value::Table(t)) => Some(t),
        _ => None,
    });
    written(scenario, &item.path)
        .into_iter()
        .filter(|(key, ..)| !matches!(key.as_str(), "label" | "name"))
        .filter(|(key, value, _)| match before {
            Some(t) => t.get(key).is_none_or(|old| !same(old, value)),
            None => !is_default(item.section, key, value),
        })
        .collect()
}

/// Values equal as readers see them (an integer and the same float are one number).
fn same(a: &Value, b: &Value) -> bool {
    let num = |v: &Value| match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    };
    match (a, b, num(a), num(b)) {
        (.., Some(x), Some(y)) => x == y,
        (Value::Table(x), Value::Table(y), ..) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// A value that says what leaving the field out says: no news for a reader.
fn is_default(section: &str, key: &str, value: &Value) -> bool {
    match (section, key, value) {
        (_, "probability", v) => same(v, &Value::Float(1.0)),
        ("programmes", "enabled", Value::Boolean(true)) => true,
        ("programmes", "curve", Value::String(c)) => c == "linear",
        _ => false,
    }
}

/// The row for the scenario-wide settings (horizon, target, assumptions), if the files set
/// any that the ancestor does not share.
fn scenario_wide(scenario: &Scenario, own: &Scenario, ancestor: Option<&Scenario>) -> Option<Row> {
    let mut fields: Vec<Field> = Vec::new();
    let mut notes_of = Vec::new();
    for section in ["horizon", "target", "assumptions"] {
        let path = key_path([section]);
        let before = ancestor.and_then(|a| match lookup(&a.resolved, &path) {
            Some(Value::Table(t)) => Some(t),
            _ => None,
        });
        let mine: Vec<Field> = written(scenario, &path)
            .into_iter()
            .filter(|(key, value, _)| {
                before.is_none_or(|t| t.get(key).is_none_or(|old| !same(old, value)))
            })
            .map(|(key, value, by)| (format!("{section}.{key}"), value, by))
            .collect();
        if !mine.is_empty() {
            notes_of.extend(notes(own, &path));
        }
        fields.extend(mine);
    }
    if fields.is_empty() {
        return None;
    }
    let get = |k: &str| fields.iter().find(|(key, ..)| key == k).map(|(_, v, _)| v);
    let mut clauses = Vec::new();
    if let Some(end) = get("horizon.end_year") {
        clauses.push(format!("projected to {}", number(end, Kind::Year)));
    }
    match (get("target.volume"), get("target.year")) {
        (Some(v), Some(y)) => clauses.push(format!(
            "target {} a year by {}",
            number(v, Kind::Count),
            number(y, Kind::Year)
        )),
        (Some(v), None) => clauses.push(format!("target {} a year", number(v, Kind::Count))),
        (None, Some(y)) => clauses.push(format!("target year {}", number(y, Kind::Year))),
        (None, None) => {}
    }
    if let Some(cap) = get("assumptions.utilisation_cap") {
        clauses.push(format!(
            "plants run at up to {} of capacity",
            quantity(cap, Kind::Share, true)
        ));
    }
    if let Some(g) = get("assumptions.other_growth") {
        clauses.push(change("other UK makers' output", g));
    }
    if get("assumptions.data_uncertainty").and_then(toml::Value::as_bool) == Some(true) {
        clauses.push("draws take each plant's base-year output from its range in the data".into());
    }
    let sets = sets_at(
        scenario,
        &[
            key_path(["horizon"]),
            key_path(["target"]),
            key_path(["assumptions"]),
        ],
    );
    let (setting, notes) = marked(sentence(&clauses), prose(own, notes_of), &sets);
    Some(Row {
        name: "Scenario-wide".into(),
        key: "horizon, target, assumptions".into(),
        files: files(scenario, &fields),
        setting,
        notes,
    })
}

/// A yearly change: "held flat", "grows 2% a year", "falls 3% a year", or a range.
fn change(subject: &str, value: &Value) -> String {
    let x = match value {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    };
    match x {
        Some(0.0) => format!("{subject} held flat"),
        Some(x) if x > 0.0 => format!("{subject} grows {} a year", number(value, Kind::Share)),
        Some(x) => format!(
            "{subject} falls {} a year",
            number(&Value::Float(-x), Kind::Share)
        ),
        None => format!(
            "{subject} changes by {} a year",
            quantity(value, Kind::Growth, false)
        ),
    }
}

/// The fields as a lookup by key.
fn get<'a>(fields: &'a [Field], key: &str) -> Option<&'a Value> {
    fields.iter().find(|(k, ..)| k == key).map(|(_, v, _)| v)
}

/// Fields the phrases below do not know (a field added after them), as "key value".
fn others(fields: &[Field], known: &[&str]) -> Vec<String> {
    fields
        .iter()
        .filter(|(k, ..)| !known.contains(&k.as_str()))
        .map(|(k, v, _)| {
            format!(
                "{} {}",
                k.replace('_', " "),
                quantity(v, Kind::Plain, false)
            )
        })
        .collect()
}

/// "peak 55,000 from 2028 over 3 years" when every part is one number; with a range among
/// them, each part on its own ("peak 30,000–150,000, most likely 55,000; first output …").
fn volume_clause(
    size: Option<(&str, &Value)>,
    from: Option<(&str, &Value)>,
    ramp: Option<&Value>,
) -> Vec<String> {
    let any_range = [size.map(|s| s.1), from.map(|f| f.1), ramp]
        .into_iter()
        .flatten()
        .any(is_range);
    let size_text = size.map(|(word, v)| format!("{word} {}", quantity(v, Kind::Count, false)));
    if any_range {
        let mut out: Vec<String> = size_text.into_iter().collect();
        out.extend(from.map(|(word, v)| format!("{word} {}", quantity(v, Kind::Year, false))));
        out.extend(ramp.map(|v| format!("ramp over {}", years(v))));
        return out;
    }
    let mut words: Vec<String> = size_text.into_iter().collect();
    if let Some((word, v)) = from {
        let word = if size.is_some() { "from" } else { word };
        words.push(format!("{word} {}", number(v, Kind::Year)));
    }
    match ramp {
        // `ramp_years = 0`: the full volume from the first year.
        Some(Value::Integer(0)) => words.push("at full volume at once".into()),
        Some(v) => {
            let word = if words.is_empty() {
                "ramp over"
            } else {
                "over"
            };
            words.push(format!("{word} {}", years(v)));
        }
        None => {}
    }
    if words.is_empty() {
        Vec::new()
    } else {
        vec![words.join(" ")]
    }
}

/// A plant in the data: its capacity, cap, existing output and closure.
fn plant(fields: &[Field]) -> String {
    let mut clauses = Vec::new();
    if let Some(c) = get(fields, "capacity") {
        clauses.push(format!("capacity {}", quantity(c, Kind::Count, false)));
    }
    if let Some(u) = get(fields, "utilisation_cap") {
        clauses.push(format!(
            "runs at up to {} of capacity",
            quantity(u, Kind::Share, true)
        ));
    }
    if let Some(o) = get(fields, "output") {
        clauses.push(format!("existing output {}", waypoints(o)));
    }
    if let Some(g) = get(fields, "growth") {
        clauses.push(change("existing output", g));
    }
    if let Some(y) = get(fields, "closes") {
        clauses.push(format!("closed from {}", quantity(y, Kind::Year, false)));
    }
    clauses.extend(others(
        fields,
        &["capacity", "utilisation_cap", "output", "growth", "closes"],
    ));
    sentence(&clauses)
}

/// A plant not in the data: who runs it, what it builds, its size and opening, its odds.
fn new_plant(fields: &[Field]) -> String {
    let mut clauses = Vec::new();
    let who: Vec<String> = [
        get(fields, "operator").map(|o| number(o, Kind::Plain)),
        get(fields, "segment").map(|s| match s.as_str() {
            Some("car") => "cars".to_string(),
            Some("cv") => "commercial vehicles".to_string(),
            _ => number(s, Kind::Plain),
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !who.is_empty() {
        clauses.push(who.join(", "));
    }
    clauses.extend(volume_clause(
        get(fields, "capacity").map(|v| ("capacity", v)),
        get(fields, "opens").map(|v| ("opens", v)),
        None,
    ));
    if let Some(u) = get(fields, "utilisation_cap") {
        clauses.push(format!(
            "runs at up to {} of capacity",
            quantity(u, Kind::Share, true)
        ));
    }
    if let Some(p) = get(fields, "probability") {
        clauses.push(chance(p));
    }
    clauses.extend(others(
        fields,
        &[
            "operator",
            "segment",
            "capacity",
            "opens",
            "utilisation_cap",
            "probability",
        ],
    ));
    sentence(&clauses)
}

/// What readers call a plant: its name in the data or in the scenario, else its id.
fn plant_name(id: &str, scenario: &Scenario, data: &Dataset) -> String {
    if let Some(p) = data.plant(id) {
        return p.name.clone();
    }
    match lookup(&scenario.resolved, &key_path(["new_plants", id, "name"])) {
        Some(Value::String(name)) => name.clone(),
        _ => id.to_string(),
    }
}

/// A programme: who builds it where, how much from when, its ramp, end and odds.
fn programme(fields: &[Field], scenario: &Scenario, data: &Dataset) -> String {
    let mut clauses = Vec::new();
    let maker = get(fields, "maker").map(|m| number(m, Kind::Plain));
    let at = get(fields, "plant").map(|p| plant_name(&number(p, Kind::Plain), scenario, data));
    match (maker, at) {
        (Some(m), Some(p)) => clauses.push(format!("{m} at {p}")),
        (Some(m), None) => clauses.push(format!("made by {m}")),
        (None, Some(p)) => clauses.push(format!("at {p}")),
        (None, None) => {}
    }
    clauses.extend(volume_clause(
        get(fields, "peak").map(|v| ("peak", v)),
        get(fields, "start").map(|v| ("first output", v)),
        get(fields, "ramp_years"),
    ));
    if let Some(c) = get(fields, "curve") {
        clauses.push(match c.as_str() {
            Some("s-curve") => "S-shaped ramp".into(),
            Some("linear") => "straight-line ramp".into(),
            _ => format!("{} ramp", number(c, Kind::Plain)),
        });
    }
    if let Some(e) = get(fields, "ends") {
        clauses.push(format!("no output from {}", quantity(e, Kind::Year, false)));
    }
    match get(fields, "enabled") {
        Some(Value::Boolean(false)) => clauses.push("switched off".into()),
        Some(Value::Boolean(true)) => clauses.push("switched on".into()),
        _ => {}
    }
    if let Some(p) = get(fields, "probability") {
        clauses.push(chance(p));
    }
    clauses.extend(others(
        fields,
        &[
            "plant",
            "maker",
            "peak",
            "start",
            "ramp_years",
            "curve",
            "ends",
            "enabled",
            "probability",
        ],
    ));
    sentence(&clauses)
}

/// A shock: weeks lost, the year, where (when the row is the whole shock), its odds.
fn shock(fields: &[Field], whole: bool, scenario: &Scenario, data: &Dataset) -> String {
    let mut clauses = Vec::new();
    let weeks = get(fields, "lost_weeks");
    let year = get(fields, "year");
    match (weeks, year) {
        (Some(w), Some(y)) if !is_range(w) && !is_range(y) => clauses.push(format!(
            "{} weeks lost in {}",
            number(w, Kind::Plain),
            number(y, Kind::Year)
        )),
        _ => {
            if let Some(w) = weeks {
                clauses.push(measure(w, Kind::Plain, "weeks lost", false));
            }
            if let Some(y) = year {
                clauses.push(format!("in {}", quantity(y, Kind::Year, false)));
            }
        }
    }
    let plant = get(fields, "plant").map(|p| plant_name(&number(p, Kind::Plain), scenario, data));
    let maker = get(fields, "maker").map(|m| number(m, Kind::Plain));
    let place = match (plant, maker) {
        (Some(p), _) => Some(format!("at {p}")),
        (None, Some(m)) => Some(format!("at every {m} plant")),
        (None, None) if whole => Some("at every plant".into()),
        _ => None,
    };
    // "2 weeks lost in 2028 at Beta Works"; with a range, the place is a clause of its own.
    let plain = [weeks, year].into_iter().flatten().all(|v| !is_range(v));
    match (place, clauses.first_mut()) {
        (Some(place), Some(first)) if plain => *first = format!("{first} {place}"),
        (Some(place), _) => clauses.push(place),
        (None, _) => {}
    }
    if let Some(p) = get(fields, "probability") {
        clauses.push(chance(p));
    }
    clauses.extend(others(
        fields,
        &["lost_weeks", "year", "plant", "maker", "probability"],
    ));
    sentence(&clauses)
}

/// The files among the fields' origins, root first, each once; `--set`s are left out (the
/// setting says them).
fn files(scenario: &Scenario, fields: &[Field]) -> Vec<String> {
    scenario
        .sources
        .layers
        .iter()
        .filter_map(|l| l.path.file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| fields.iter().any(|(.., by)| by == name))
        .collect()
}

/// The `--set` changes at or inside any of `paths`, as given (without their scope).
fn sets_at(scenario: &Scenario, paths: &[KeyPath]) -> Vec<String> {
    scenario
        .sources
        .sets
        .iter()
        .filter(|s| {
            paths
                .iter()
                .any(|p| s.path.starts_with(p) || p.starts_with(&s.path))
        })
        .map(|s| s.change.clone())
        .collect()
}

/// A setting changed by `--set` says so, with the changes as given, and that the notes were
/// written for the value before the change.
fn marked(setting: String, notes: String, sets: &[String]) -> (String, String) {
    if sets.is_empty() {
        return (setting, notes);
    }
    let setting = format!("CHANGED by --set {}. {setting}", sets.join(", --set "));
    let notes = if notes.is_empty() {
        notes
    } else {
        format!(
            "(These notes are the scenario file's, written for the value before the change.) {notes}"
        )
    };
    (setting, notes)
}

/// The row of one item.
fn row(
    scenario: &Scenario,
    projection: &Projection,
    data: &Dataset,
    own: &Scenario,
    item: &Item,
    fields: &[Field],
    setting: String,
) -> Row {
    let key = crate::scenario::dotted(&item.path);
    let name = item_name(scenario, projection, data, &item.path);
    let sets = sets_at(scenario, std::slice::from_ref(&item.path));
    let (setting, notes) = marked(setting, prose(own, notes(own, &item.path)), &sets);
    Row {
        name,
        key,
        files: files(scenario, fields),
        setting,
        notes,
    }
}

/// The notes as prose: the lines of one comment run on; a comment after a value (`peak =
/// 40000  # the Gen-2 Leaf's best year`) is a sentence of its own, capitalised and ended.
fn prose(own: &Scenario, lines: Vec<String>) -> String {
    let after_value = |note: &str| {
        own.sources.layers.iter().any(|layer| {
            layer.text.lines().any(|l| {
                let l = l.trim();
                !l.starts_with('#') && l.contains('#') && l.ends_with(note)
            })
        })
    };
    let mut out = String::new();
    for line in lines {
        // A note of several files starts with the file's name: "kid.toml: ...".
        let (prefix, text) = match line.split_once(": ") {
            Some((file, rest)) if file.ends_with(".toml") => (format!("{file}: "), rest),
            _ => (String::new(), line.as_str()),
        };
        let own_line = after_value(text);
        if !out.is_empty() {
            if own_line && !out.ends_with(['.', '!', '?']) {
                out.push('.');
            }
            out.push(' ');
        }
        out.push_str(&prefix);
        if own_line {
            let mut chars = text.chars();
            out.extend(chars.next().map(|c| c.to_ascii_uppercase()));
            out.push_str(chars.as_str());
            if !text.ends_with(['.', '!', '?']) {
                out.push('.');
            }
        } else {
            out.push_str(text);
        }
    }
    out
}

/// What readers call an item (`programmes.ID`, `plants.ID`, `shocks.N`): its label, else a
/// plant's name, else "Shock N", else its id.
pub fn item_name(
    scenario: &Scenario,
    projection: &Projection,
    data: &Dataset,
    path: &[Seg],
) -> String {
    let key = crate::scenario::dotted(path);
    match (projection.labels.get(&key), path) {
        (Some(label), _) => label.clone(),
        (None, [Seg::Key(s), Seg::Index(i)]) if s == "shocks" => format!("Shock {}", i + 1),
        (None, [Seg::Key(s), Seg::Key(id)]) if s == "plants" || s == "new_plants" => {
            plant_name(id, scenario, data)
        }
        (None, [_, Seg::Key(id)]) => id.clone(),
        _ => key,
    }
}

/// Shocks the ancestor has and the scenario does not (a child's `[[shocks]]` replaces the
/// parent's list).
fn removed_shocks(scenario: &Scenario, ancestor: Option<&Scenario>) -> Vec<Row> {
    let count = |s: &Scenario| match s.resolved.get("shocks") {
        Some(Value::Array(a)) => a.len(),
        _ => 0,
    };
    let Some(a) = ancestor else {
        return Vec::new();
    };
    (count(scenario)..count(a))
        .map(|i| Row {
            name: format!("Shock {}", i + 1),
            key: format!("shocks.{i}"),
            files: Vec::new(),
            setting: format!("Removed: {}'s shock {} does not happen here", a.name, i + 1),
            notes: String::new(),
        })
        .collect()
}
