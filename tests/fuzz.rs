//! The fuzz harness (issue 10, point 5): scenario and data files, valid and invalid, generated
//! from the schema by mutating the shipped ones, run through the library in-process (load the
//! data, resolve the scenario, project, a few draws, SVG charts for a sample), each under a
//! panic catch and a time budget.
//!
//! What every case must show:
//! - no panic and no hang (a case that overruns its budget fails);
//! - every refusal is located: each error names a file (or the `--set` argument), and an error
//!   in a scenario (TOML) points at a line and column;
//! - every acceptance is plausible (years 1900–2100, volumes and capacities up to 1e8, growth
//!   within ±100% a year, targets 1 to 1e8, both ends of every range; issue 10 point 2) and
//!   every projection is finite and consistent: no NaN or infinity anywhere, nothing negative,
//!   each plant within its capacity times its cap, components adding up to their plant, plants
//!   and residuals adding up to the national total, every SVG well-formed.
//!
//! The checks run cheapest first and stop at the first broken property, so a non-finite
//! projection is reported before charts could loop on it, and an implausible year before the
//! projection could try to allocate billions of years.
//!
//! Three tests: `fuzz_ci` (a fixed seed and a case count that takes well under a minute on 2
//! cores), `fuzz_fixtures` (every minimal reproduction in tests/fixtures/fuzz/, always run) and
//! `fuzz_long` (`#[ignore]`: `UKPROD_FUZZ_CASES`, default 1,000,000, from `UKPROD_FUZZ_SEED`).
//! A failing case is shrunk (proptest's value trees, shrinking only while the same class of
//! failure persists) and written under `target/fuzz-failures/CLASS/` in the fixture layout, so
//! that it can be copied into tests/fixtures/fuzz/ as a regression case.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{OnceLock, mpsc};
use std::time::{Duration, Instant};

use clap::Parser;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use toml::{Table, Value};

use ukprod::chart::{self, Format, Look, Size};
use ukprod::cli::{Cli, Command};
use ukprod::data::{self, Dataset, Segment};
use ukprod::diagnostic::{Diagnostics, Location, Severity};
use ukprod::engine::{self, Inputs, Projection, Source};
use ukprod::scenario::{self, Dist, Library, Scenario, Slot};
use ukprod::uncertainty;

/// Cases `fuzz_ci` runs: about 1,000 cases a second on one core of the 2-core machine, so
/// about 20 s, well within a minute while the other tests share the machine.
const CI_CASES: u64 = 20_000;
/// Cases `fuzz_long` runs unless `UKPROD_FUZZ_CASES` says otherwise.
const LONG_CASES: u64 = 1_000_000;
/// The most a case may take, charts included; ordinary cases take milliseconds, so this
/// only catches hangs and blow-ups, even on a loaded machine.
const BUDGET: Duration = Duration::from_secs(10);
/// How many shrinking steps a failure gets before its smallest case so far is kept; each
/// run also bounds the time (a case that overruns the budget costs it all at each step).
const SHRINK_STEPS: u32 = 2_000;
/// One case in this many draws its charts (the slowest step).
const CHART_ONE_IN: u32 = 25;

/// The plausible ranges of issue 10, point 2.
const FIRST_YEAR: i64 = 1900;
const LAST_YEAR: i64 = 2100;
const MAX_VOLUME: f64 = 1e8;
/// The largest `--draws` the command line may accept: the review's suggested cap (M2); the
/// totals alone take 8 bytes a draw a year.
const MAX_DRAWS: usize = 10_000_000;

const DATA_FILES: [&str; 3] = ["history.csv", "plants.csv", "plant_output.csv"];

// ----------------------------------------------------------------------------------------
// The shipped inputs every case starts from.

struct Shipped {
    /// Data files' text, in `DATA_FILES` order.
    data: [String; 3],
    /// Scenario name and text, sorted by name.
    scenarios: Vec<(String, String)>,
}

fn shipped() -> &'static Shipped {
    static SHIPPED: OnceLock<Shipped> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let data = DATA_FILES.map(|f| fs::read_to_string(root.join("data").join(f)).expect(f));
        let mut scenarios: Vec<(String, String)> = fs::read_dir(root.join("scenarios"))
            .expect("scenarios")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .map(|p| {
                let name = p.file_stem().unwrap().to_string_lossy().into_owned();
                (name, fs::read_to_string(&p).expect("scenario"))
            })
            .collect();
        scenarios.sort();
        Shipped { data, scenarios }
    })
}

/// Plant ids of the shipped data, and ids that are close to them or not there at all.
const PLANTS: &[&str] = &[
    "nissan-sunderland",
    "toyota-burnaston",
    "mini-oxford",
    "jlr-solihull",
    "jlr-halewood",
    "jlr-castle-bromwich",
    "mclaren-woking",
    "stellantis-ellesmere-port",
    "stellantis-luton",
    "leyland-trucks",
    "levc-ansty",
    "jlr-halwood",
    "other-car",
    "chery-uk",
];
const PROGRAMMES: &[&str] = &[
    "chery-halewood",
    "nissan-leaf-gen3",
    "stellantis-ek0-vans",
    "mini-oxford-ev",
    "chery-greenfield-phase1",
    "fuzz-programme",
];
const NEW_PLANTS: &[&str] = &[
    "chery-uk",
    "second-entrant",
    "fuzz-plant",
    "nissan-sunderland",
];
const MAKERS: &[&str] = &["Nissan", "JLR", "Chery", "Other", "Fuzz Motors", ""];

// ----------------------------------------------------------------------------------------
// A case, as generated: edits to a shipped scenario and to the shipped data.

/// What a field holds, so that most generated values are of the right kind.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Year,
    Volume,
    Rate,
    Share,
    Probability,
    Weeks,
    Text,
    Segment,
    Curve,
    Colour,
    Statistic,
    Bool,
    Name,
    /// A fixed number: `{ min, max }` bounds and probabilities take no range.
    Bound,
    /// Whatever the schema does not know.
    Unknown,
}

#[derive(Debug, Clone)]
enum Edit {
    /// Set a field (creating the tables and array entries on the way).
    Set(Vec<String>, Value),
    /// Remove a field.
    Remove(Vec<String>),
}

#[derive(Debug, Clone)]
enum TextEdit {
    Insert(Index, String),
    DeleteLine(Index),
    DuplicateLine(Index),
}

#[derive(Debug, Clone)]
enum DataEdit {
    Cell {
        file: usize,
        row: Index,
        column: Index,
        value: String,
    },
    DeleteRow(usize, Index),
    DuplicateRow(usize, Index),
    /// Add this to every year of history.csv and plant_output.csv (M4, M5).
    ShiftYears(i64),
    Insert(usize, Index, String),
}

#[derive(Debug, Clone)]
struct Case {
    base: Index,
    edits: Vec<Edit>,
    text: Vec<TextEdit>,
    data: Vec<DataEdit>,
    sets: Vec<String>,
    draws_arg: String,
    draws: usize,
    seed: u64,
    charts: bool,
}

/// A case as files: what the fixtures hold and what a run reads.
#[derive(Debug, Clone, PartialEq)]
struct Files {
    /// `case.toml`.
    scenario: String,
    /// The data files, in `DATA_FILES` order.
    data: [String; 3],
    /// `--set` arguments.
    sets: Vec<String>,
    /// The `--draws` argument as typed (checked against the command line's bounds).
    draws_arg: String,
    /// Draws actually run when the scenario has ranges or probabilities.
    draws: usize,
    seed: u64,
    charts: bool,
}

impl Case {
    fn files(&self) -> Files {
        let shipped = shipped();
        // Base 0 is an empty scenario (every default), which failures shrink towards.
        let base = self.base.index(shipped.scenarios.len() + 1);
        let empty = String::new();
        let text = match base {
            0 => &empty,
            n => &shipped.scenarios[n - 1].1,
        };
        let mut scenario = text.clone();
        if !self.edits.is_empty()
            && let Ok(mut table) = toml::from_str::<Table>(text)
        {
            for edit in &self.edits {
                match edit {
                    Edit::Set(path, value) => set_path(&mut table, path, value.clone()),
                    Edit::Remove(path) => remove_path(&mut table, path),
                }
            }
            if let Ok(rendered) = toml::to_string(&table) {
                scenario = rendered;
            }
        }
        for edit in &self.text {
            scenario = text_edit(&scenario, edit);
        }
        Files {
            scenario,
            data: edit_data(&shipped.data, &self.data),
            sets: self.sets.clone(),
            draws_arg: self.draws_arg.clone(),
            draws: self.draws,
            seed: self.seed,
            charts: self.charts,
        }
    }
}

fn set_path(table: &mut Table, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut current = table;
    let mut i = 0;
    while i < parents.len() {
        let key = &parents[i];
        let index = (i == 0 && matches!(key.as_str(), "shocks" | "checks"))
            .then(|| parents.get(1).and_then(|s| s.parse::<usize>().ok()))
            .flatten();
        if let Some(index) = index {
            let entry = current
                .entry(key.clone())
                .or_insert_with(|| Value::Array(Vec::new()));
            if !entry.is_array() {
                *entry = Value::Array(Vec::new());
            }
            let array = entry.as_array_mut().unwrap();
            while array.len() <= index {
                array.push(Value::Table(Table::new()));
            }
            if !array[index].is_table() {
                array[index] = Value::Table(Table::new());
            }
            current = array[index].as_table_mut().unwrap();
            i += 2;
        } else {
            let entry = current
                .entry(key.clone())
                .or_insert_with(|| Value::Table(Table::new()));
            if !entry.is_table() {
                *entry = Value::Table(Table::new());
            }
            current = entry.as_table_mut().unwrap();
            i += 1;
        }
    }
    current.insert(last.clone(), value);
}

fn remove_path(table: &mut Table, path: &[String]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut current = &mut *table;
    for key in parents {
        let next = match current.get_mut(key.as_str()) {
            Some(Value::Table(t)) => t,
            Some(Value::Array(a)) => match a.first_mut() {
                Some(Value::Table(t)) => t,
                _ => return,
            },
            _ => return,
        };
        current = next;
    }
    current.remove(last.as_str());
}

/// The byte offset of a character boundary near `index` of `text`.
fn boundary(text: &str, index: &Index) -> usize {
    let mut at = index.index(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn text_edit(text: &str, edit: &TextEdit) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    match edit {
        TextEdit::Insert(at, insert) => {
            let at = boundary(text, at);
            format!("{}{insert}{}", &text[..at], &text[at..])
        }
        TextEdit::DeleteLine(at) if !lines.is_empty() => {
            let skip = at.index(lines.len());
            (lines.iter().enumerate())
                .filter(|(i, _)| *i != skip)
                .map(|(_, l)| *l)
                .collect()
        }
        TextEdit::DuplicateLine(at) if !lines.is_empty() => {
            let twice = at.index(lines.len());
            let mut out = String::new();
            for (i, line) in lines.iter().enumerate() {
                out.push_str(line);
                if i == twice {
                    if !line.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(line);
                }
            }
            out
        }
        _ => text.to_string(),
    }
}

fn edit_data(shipped: &[String; 3], edits: &[DataEdit]) -> [String; 3] {
    if edits.is_empty() {
        return shipped.clone();
    }
    let mut grids: Vec<Vec<Vec<String>>> = shipped
        .iter()
        .map(|text| {
            csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(text.as_bytes())
                .records()
                .map(|r| r.unwrap().iter().map(str::to_string).collect())
                .collect()
        })
        .collect();
    let mut inserts = Vec::new();
    for edit in edits {
        match edit {
            DataEdit::Cell {
                file,
                row,
                column,
                value,
            } => {
                let grid = &mut grids[*file];
                // The header is row 0: edit it one time in ten.
                let r = if row.index(10) == 0 || grid.len() < 2 {
                    0
                } else {
                    1 + row.index(grid.len() - 1)
                };
                let cells = &mut grid[r];
                let c = column.index(cells.len());
                cells[c] = value.clone();
            }
            DataEdit::DeleteRow(file, row) => {
                let grid = &mut grids[*file];
                if grid.len() > 1 {
                    let r = row.index(grid.len() - 1) + 1;
                    grid.remove(r);
                }
            }
            DataEdit::DuplicateRow(file, row) => {
                let grid = &mut grids[*file];
                if grid.len() > 1 {
                    let r = row.index(grid.len() - 1) + 1;
                    let copy = grid[r].clone();
                    grid.insert(r, copy);
                }
            }
            DataEdit::ShiftYears(delta) => {
                for (file, column) in [(0, 0), (2, 1)] {
                    for row in grids[file].iter_mut().skip(1) {
                        if let Ok(year) = row[column].parse::<i64>() {
                            row[column] = year.wrapping_add(*delta).to_string();
                        }
                    }
                }
            }
            DataEdit::Insert(file, at, text) => inserts.push((*file, *at, text.clone())),
        }
    }
    let mut out: Vec<String> = grids
        .iter()
        .map(|grid| {
            let mut writer = csv::Writer::from_writer(Vec::new());
            for row in grid {
                writer.write_record(row).unwrap();
            }
            String::from_utf8(writer.into_inner().unwrap()).unwrap()
        })
        .collect();
    for (file, at, text) in inserts {
        let at = boundary(&out[file], &at);
        out[file].insert_str(at, &text);
    }
    [out[0].clone(), out[1].clone(), out[2].clone()]
}

// ----------------------------------------------------------------------------------------
// Strategies.

fn pick(items: &'static [&'static str]) -> BoxedStrategy<String> {
    prop::sample::select(items).prop_map(str::to_string).boxed()
}

fn year_value() -> BoxedStrategy<i64> {
    prop_oneof![
        3 => prop::sample::select(vec![
            2025, 2026, 2027, 2028, 2030, 2035, 2036, 2040, 2024, 1899, 1900, 2100, 2101, 0, -1,
            i32::MAX as i64, i32::MIN as i64, i32::MAX as i64 + 1, i32::MIN as i64 - 1, i64::MAX,
            i64::MIN,
        ]),
        3 => 2020i64..2060,
        1 => any::<i64>(),
    ]
    .boxed()
}

fn special_float() -> BoxedStrategy<f64> {
    prop::sample::select(vec![
        0.0,
        -0.0,
        0.5,
        1.0,
        -1.0,
        -0.99,
        0.85,
        1e-300,
        5e-324,
        1e300,
        1e308,
        -1e308,
        f64::MAX,
        f64::MIN,
        1e8,
        1.00000001e8,
        1e31,
        52.0,
        53.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ])
    .boxed()
}

fn float_in(low: f64, high: f64) -> BoxedStrategy<Value> {
    prop_oneof![
        2 => special_float().prop_map(Value::Float),
        4 => (low..high).prop_map(Value::Float),
        1 => any::<f64>().prop_map(Value::Float),
        1 => (0i64..2_000_000).prop_map(Value::Integer),
    ]
    .boxed()
}

fn text_value() -> BoxedStrategy<String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "",
            "Nissan",
            "a\u{0}b",
            "\u{1b}[31mRED\u{1b}[0m \u{1b}]0;title\u{7}",
            "back\u{8}\u{8}space",
            "a\rb",
            "line\nbreak",
            "tab\there",
            "del\u{7f}",
            "<script>alert(1)</script>",
            "![x](http://evil.example/x.png)",
            "=HYPERLINK(\"http://evil.example\")",
            "é漢字 \u{202e}rtl",
            "nan",
            "1e308",
        ])
        .prop_map(str::to_string),
        3 => "\\PC{0,24}",
        1 => "[\\x00-\\x1f\\x7f]{1,4}",
        1 => (0usize..8_000).prop_map(|n| "word ".repeat(n)),
        1 => (0usize..60_000).prop_map(|n| "x".repeat(n)),
    ]
    .boxed()
}

fn any_value() -> BoxedStrategy<Value> {
    prop_oneof![
        any::<bool>().prop_map(Value::Boolean),
        any::<i64>().prop_map(Value::Integer),
        special_float().prop_map(Value::Float),
        text_value().prop_map(Value::String),
        Just(Value::Array(vec![Value::Integer(1), Value::Integer(2)])),
        Just(Value::Array(Vec::new())),
        Just(Value::Table(Table::new())),
        Just(Value::Table(
            [("x".to_string(), Value::Integer(1))].into_iter().collect()
        )),
    ]
    .boxed()
}

fn scalar(kind: Kind) -> BoxedStrategy<Value> {
    match kind {
        Kind::Year => year_value().prop_map(Value::Integer).boxed(),
        Kind::Volume => float_in(0.0, 2e6),
        Kind::Rate => float_in(-1.5, 1.5),
        Kind::Share | Kind::Probability => float_in(0.0, 1.2),
        Kind::Weeks => float_in(0.0, 60.0),
        Kind::Bound => float_in(-1.0, 2e6),
        Kind::Text | Kind::Name => text_value().prop_map(Value::String).boxed(),
        Kind::Segment => pick(&["car", "cv", "van", ""])
            .prop_map(Value::String)
            .boxed(),
        Kind::Curve => pick(&["linear", "s-curve", "s_curve"])
            .prop_map(Value::String)
            .boxed(),
        Kind::Colour => pick(&["#6633cc", "#FFFFFF", "#12345", "red", "#gg0000", ""])
            .prop_map(Value::String)
            .boxed(),
        Kind::Statistic => pick(&["expected", "p5", "p50", "p95", "p99", "mean"])
            .prop_map(Value::String)
            .boxed(),
        Kind::Bool => any::<bool>().prop_map(Value::Boolean).boxed(),
        Kind::Unknown => any_value(),
    }
}

/// A value for a field of this kind: mostly of the right type, a range where numbers take
/// one, sometimes anything at all.
fn value(kind: Kind) -> BoxedStrategy<Value> {
    let ranged = matches!(
        kind,
        Kind::Year | Kind::Volume | Kind::Rate | Kind::Share | Kind::Weeks
    );
    if ranged {
        let range = (scalar(kind), scalar(kind), scalar(kind), 0usize..6).prop_map(
            |(low, mode, high, shape)| {
                let mut t = Table::new();
                t.insert("low".into(), low);
                t.insert("mode".into(), mode);
                t.insert("high".into(), high);
                // Now and then a range with a key missing or one too many.
                match shape {
                    0 => {
                        t.remove("mode");
                    }
                    1 => {
                        t.insert("likely".into(), Value::Integer(1));
                    }
                    _ => {}
                }
                Value::Table(t)
            },
        );
        prop_oneof![7 => scalar(kind), 2 => range, 1 => any_value()].boxed()
    } else {
        prop_oneof![9 => scalar(kind), 1 => any_value()].boxed()
    }
}

fn path(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

/// A field of the schema (and now and then one it does not have), with its kind.
fn field() -> BoxedStrategy<(Vec<String>, Kind)> {
    use Kind::*;
    let top = prop::sample::select(vec![
        (path(&["title"]), Text),
        (path(&["headline"]), Text),
        (path(&["colour"]), Colour),
        (path(&["description"]), Text),
        (path(&["extends"]), Name),
        (path(&["horizon", "end_year"]), Year),
        (path(&["target", "volume"]), Volume),
        (path(&["target", "year"]), Year),
        (path(&["assumptions", "utilisation_cap"]), Share),
        (path(&["assumptions", "other_growth"]), Rate),
        (path(&["assumptions", "data_uncertainty"]), Bool),
        (path(&["unknown_key"]), Unknown),
        (path(&["horizon", "start_year"]), Unknown),
    ]);
    let plant_fields = prop::sample::select(vec![
        ("capacity", Volume),
        ("utilisation_cap", Share),
        ("growth", Rate),
        ("closes", Year),
        ("capacty", Unknown),
    ]);
    let plants = (
        pick(PLANTS),
        prop_oneof![
            4 => plant_fields.prop_map(|(f, k)| (vec![f.to_string()], k)),
            1 => (2024i64..2045).prop_map(|y| (vec!["output".to_string(), y.to_string()], Volume)),
            1 => Just((path(&["output", "later"]), Volume)),
            1 => (2024i64..2045).prop_map(|y| (vec!["output".to_string(), y.to_string(), "of_base".to_string()], Rate)),
            1 => (2024i64..2045).prop_map(|y| (vec!["output".to_string(), y.to_string(), "of_year".to_string()], Year)),
        ],
    )
        .prop_map(|(id, (rest, kind))| {
            let mut p = vec!["plants".to_string(), id];
            p.extend(rest);
            (p, kind)
        });
    let new_plants = (
        pick(NEW_PLANTS),
        prop::sample::select(vec![
            ("name", Text),
            ("label", Text),
            ("operator", Text),
            ("segment", Segment),
            ("capacity", Volume),
            ("opens", Year),
            ("utilisation_cap", Share),
            ("probability", Probability),
        ]),
    )
        .prop_map(|(id, (f, k))| (path(&["new_plants", &id, f]), k));
    let programmes = (
        pick(PROGRAMMES),
        prop::sample::select(vec![
            ("plant", Name),
            ("maker", Name),
            ("start", Year),
            ("peak", Volume),
            ("ramp_years", Year),
            ("curve", Curve),
            ("ends", Year),
            ("enabled", Bool),
            ("probability", Probability),
            ("label", Text),
        ]),
    )
        .prop_map(|(id, (f, k))| (path(&["programmes", &id, f]), k));
    let shocks = (
        0usize..3,
        prop::sample::select(vec![
            ("year", Year),
            ("plant", Name),
            ("maker", Name),
            ("lost_weeks", Weeks),
            ("probability", Probability),
            ("label", Text),
        ]),
    )
        .prop_map(|(i, (f, k))| (path(&["shocks", &i.to_string(), f]), k));
    let checks = (
        0usize..3,
        prop_oneof![
            Just((path(&["year"]), Year)),
            Just((path(&["statistic"]), Statistic)),
            (
                prop::sample::select(vec!["total", "chance_of_target"]),
                prop::sample::select(vec!["min", "max"])
            )
                .prop_map(|(s, b)| (path(&[s, b]), Bound)),
            (pick(MAKERS), prop::sample::select(vec!["min", "max"]))
                .prop_map(|(m, b)| (path(&["makers", &m, b]), Bound)),
        ],
    )
        .prop_map(|(i, (rest, k))| {
            let mut p = path(&["checks", &i.to_string()]);
            p.extend(rest);
            (p, k)
        });
    let makers = pick(MAKERS).prop_map(|m| (path(&["makers", &m, "colour"]), Colour));
    prop_oneof![
        3 => top,
        3 => plants,
        2 => new_plants,
        4 => programmes,
        2 => shocks,
        2 => checks,
        1 => makers,
    ]
    .boxed()
}

/// A value to set at a field: names are picked from the ids that exist (and some that do not).
fn edit() -> BoxedStrategy<Edit> {
    let set = field().prop_flat_map(|(path, kind)| {
        let last = path.last().cloned().unwrap_or_default();
        let v = match (kind, last.as_str()) {
            (Kind::Name, "plant") => prop_oneof![
                3 => pick(PLANTS).prop_map(Value::String),
                1 => value(Kind::Name)
            ]
            .boxed(),
            (Kind::Name, "maker") => prop_oneof![
                3 => pick(MAKERS).prop_map(Value::String),
                1 => value(Kind::Name)
            ]
            .boxed(),
            (Kind::Name, "extends") => prop_oneof![
                3 => pick(&["baseline", "case", "chery-halewood", "nope", "../x", ""])
                    .prop_map(Value::String),
                1 => value(Kind::Name)
            ]
            .boxed(),
            _ => value(kind),
        };
        v.prop_map(move |v| Edit::Set(path.clone(), v))
    });
    prop_oneof![
        9 => set,
        1 => field().prop_map(|(p, _)| Edit::Remove(p)),
    ]
    .boxed()
}

fn text_edit_strategy() -> BoxedStrategy<TextEdit> {
    let snippet = prop_oneof![
        3 => pick(&[
            "\u{0}", "\u{1b}", "\u{7f}", "\r", "\"", "'''", "[", "]]", "{", "=", "#",
            "\n[[shocks]]\n", "\n[[checks]]\n", "\n[programmes.x]\n", "\nx = 1\n",
            "\nhorizon = 5\n", "1e999", "nan", "\u{feff}", "é", "\n[a.a.a.a.a.a.a.a]\n",
        ]),
        1 => "\\PC{0,10}",
    ];
    prop_oneof![
        3 => (any::<Index>(), snippet).prop_map(|(i, s)| TextEdit::Insert(i, s)),
        1 => any::<Index>().prop_map(TextEdit::DeleteLine),
        1 => any::<Index>().prop_map(TextEdit::DuplicateLine),
    ]
    .boxed()
}

fn cell() -> BoxedStrategy<String> {
    prop_oneof![
        4 => pick(&[
            "", "0", "-1", "1", "nan", "NaN", "inf", "-inf", "1e308", "1e8", "100000000",
            "100000001", "18446744073709551615", "18446744073709551616", "9223372036854775807",
            "-9223372036854775808", "2147483647", "-2147483648", "2147483648", "1899", "1900",
            "2100", "2101", "2024", "2025", "2026", "2035", "2040", "car", "cv", "van",
            "nissan-sunderland", "other-cv", "other-car", "1.5", "0x10", " 12 ",
            "=HYPERLINK(\"http://evil.example\")", "a\u{0}b", "\u{1b}[31mred", "a\rb", "a\nb",
            "\"", "é漢字",
        ]),
        2 => any::<u64>().prop_map(|v| v.to_string()),
        2 => (0u64..2_000_000).prop_map(|v| v.to_string()),
        1 => any::<i64>().prop_map(|v| v.to_string()),
        1 => any::<f64>().prop_map(|v| v.to_string()),
        1 => "\\PC{0,12}",
        1 => (1usize..6_000).prop_map(|n| "x".repeat(n)),
    ]
    .boxed()
}

fn data_edit() -> BoxedStrategy<DataEdit> {
    let file = 0usize..3;
    prop_oneof![
        6 => (file.clone(), any::<Index>(), any::<Index>(), cell()).prop_map(
            |(file, row, column, value)| DataEdit::Cell { file, row, column, value }
        ),
        1 => (file.clone(), any::<Index>()).prop_map(|(f, r)| DataEdit::DeleteRow(f, r)),
        1 => (file.clone(), any::<Index>()).prop_map(|(f, r)| DataEdit::DuplicateRow(f, r)),
        2 => prop_oneof![
            3 => prop::sample::select(vec![
                10i64, 11, 20, 75, 76, -100, -126, 1,
                i32::MAX as i64 - 2025, i32::MIN as i64 - 2010 + 15,
            ]),
            1 => -300i64..300,
        ]
        .prop_map(DataEdit::ShiftYears),
        1 => (
            file,
            any::<Index>(),
            pick(&["\u{0}", "\r", "\"", ",", "\n", "\n2026,1,1,2,x\n", "\u{feff}", "\u{1b}"])
        )
            .prop_map(|(f, i, s)| DataEdit::Insert(f, i, s)),
    ]
    .boxed()
}

fn set_arg() -> BoxedStrategy<String> {
    prop_oneof![
        8 => edit().prop_filter_map("a set names a field", |e| match e {
            Edit::Set(path, value) => Some(format!("{}={value}", path.join("."))),
            Edit::Remove(_) => None,
        }),
        1 => pick(&["a", "=1", ".=1", "programmes..peak=1", "shocks.-1.year=2030", "1:target.volume=1", "nope:target.volume=1"]),
    ]
    .boxed()
}

fn draws_arg() -> BoxedStrategy<String> {
    prop_oneof![
        3 => Just("10000".to_string()),
        2 => pick(&[
            "0", "1", "10000000", "10000001", "100000000", "1000000000", "18446744073709551615",
            "18446744073709551616", "-1", "1e9", "",
        ]),
        1 => any::<u64>().prop_map(|v| v.to_string()),
    ]
    .boxed()
}

fn case() -> BoxedStrategy<Case> {
    (
        any::<Index>(),
        prop::collection::vec(edit(), 0..5),
        prop::collection::vec(text_edit_strategy(), 0..2).prop_map(|mut v| {
            // Most cases keep the TOML valid, so that the checks behind parsing get exercised.
            v.truncate(1);
            v
        }),
        prop_oneof![3 => Just(Vec::new()), 1 => prop::collection::vec(data_edit(), 1..3)],
        prop_oneof![4 => Just(Vec::new()), 1 => prop::collection::vec(set_arg(), 1..3)],
        draws_arg(),
        1usize..8,
        any::<u64>(),
        0..CHART_ONE_IN,
    )
        .prop_map(
            |(base, edits, text, data, sets, draws_arg, draws, seed, chart)| Case {
                base,
                edits,
                text: if seed % 5 == 0 { text } else { Vec::new() },
                data,
                sets,
                draws_arg,
                draws,
                seed,
                charts: chart == CHART_ONE_IN - 1,
            },
        )
        .boxed()
}

// ----------------------------------------------------------------------------------------
// Running a case and checking its properties.

/// A broken property: its class (what kind of failure, for grouping) and the details.
#[derive(Debug, Clone)]
struct Failure {
    class: String,
    detail: String,
}

fn fail<T>(class: &str, detail: impl Into<String>) -> Result<T, Failure> {
    Err(Failure {
        class: class.to_string(),
        detail: detail.into(),
    })
}

/// How a case that kept every property ended.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    DataRefused,
    ScenarioRefused,
    Projected,
}

/// A folder for the case's files: `data/` and `scenarios/` with the shipped scenarios, which
/// `case.toml` may extend. Files are written only when they change.
struct Workspace {
    dir: tempfile::TempDir,
    written: BTreeMap<PathBuf, String>,
}

impl Workspace {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join("data")).unwrap();
        fs::create_dir_all(dir.path().join("scenarios")).unwrap();
        for (name, text) in &shipped().scenarios {
            fs::write(dir.path().join(format!("scenarios/{name}.toml")), text).unwrap();
        }
        Workspace {
            dir,
            written: BTreeMap::new(),
        }
    }

    fn write(&mut self, files: &Files) {
        let mut wanted = vec![(self.dir.path().join("scenarios/case.toml"), &files.scenario)];
        for (name, text) in DATA_FILES.iter().zip(&files.data) {
            wanted.push((self.dir.path().join("data").join(name), text));
        }
        for (path, text) in wanted {
            if self.written.get(&path) != Some(text) {
                fs::write(&path, text).unwrap();
                self.written.insert(path, text.clone());
            }
        }
    }
}

thread_local! {
    /// Where the last panic on this thread happened.
    static PANIC_AT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Keep panics of cases quiet (they are reported as failures), and remember where they
/// happened; every other thread's panics print as before.
fn quiet_case_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()));
            PANIC_AT.with(|p| *p.borrow_mut() = at);
            let case = std::thread::current()
                .name()
                .is_some_and(|n| n.starts_with("fuzz-case"));
            // A case's panic is reported with the case; any other prints as before.
            if !case {
                previous(info);
            }
        }));
    });
}

/// Run one case on its own thread, under a panic catch and the time budget. A case that
/// overruns is left running (a thread cannot be stopped) and reported.
fn run_case(workspace: &mut Option<Workspace>, files: &Files) -> Result<Outcome, Failure> {
    quiet_case_panics();
    let ws = workspace.get_or_insert_with(Workspace::new);
    ws.write(files);
    let dir = ws.dir.path().to_path_buf();
    let owned = files.clone();
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("fuzz-case".into())
        .spawn(move || {
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| check(&dir, &owned)));
            let result = result.map_err(|payload| {
                let message = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                let at = PANIC_AT.with(|p| p.borrow_mut().take());
                Failure {
                    class: format!("panic at {}", at.unwrap_or_else(|| first_line(&message))),
                    detail: message,
                }
            });
            let _ = tx.send(result.and_then(|r| r));
        })
        .expect("spawn a case thread");
    match rx.recv_timeout(BUDGET) {
        Ok(result) => result,
        Err(_) => {
            // The thread may still be using the folder: the next case gets a new one.
            if let Some(ws) = workspace.take() {
                std::mem::forget(ws.dir);
            }
            fail("timeout", format!("the case took more than {BUDGET:?}"))
        }
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").chars().take(120).collect()
}

/// Every property of one case, cheapest first; the `--draws` bound last, since it is
/// independent of the files and would hide what they show.
fn check(dir: &Path, files: &Files) -> Result<Outcome, Failure> {
    let outcome = check_files(dir, files)?;
    check_draws_option(&files.draws_arg)?;
    Ok(outcome)
}

fn check_files(dir: &Path, files: &Files) -> Result<Outcome, Failure> {
    let data = match data::load(&dir.join("data")) {
        Ok(data) => data,
        Err(problems) => {
            located(&problems, false)?;
            return Ok(Outcome::DataRefused);
        }
    };
    plausible_data_years(&data)?;
    let mut sets = Vec::new();
    for raw in &files.sets {
        match scenario::parse_set(raw) {
            Ok(set) => sets.push(set),
            Err(problem) => {
                located(&problem.into(), true)?;
                return Ok(Outcome::ScenarioRefused);
            }
        }
    }
    let library = Library::new(&dir.join("scenarios"));
    let scenario = match scenario::resolve(&library, &data, "case", &sets) {
        Ok(s) => s,
        Err(problems) => {
            located(&problems, true)?;
            return Ok(Outcome::ScenarioRefused);
        }
    };
    plausible_years(&scenario, data.base_year())?;
    let inputs = Inputs::new(&data, &scenario);
    let modal = engine::project_inputs(&data, &scenario, &inputs);
    consistent(&modal, &scenario, true).map_err(|f| in_case(f, "modal projection"))?;
    let mut projection = modal.clone();
    if !scenario.uncertain.is_empty() {
        let draws = uncertainty::run(
            &modal,
            &inputs,
            &scenario.uncertain,
            files.draws,
            files.seed,
            &|_| {},
        );
        if let Some(bad) = draws.totals.iter().find(|v| !v.is_finite() || **v < 0.0) {
            return fail(
                "non-finite or negative draw",
                format!("a draw's national total is {bad}"),
            );
        }
        consistent(&draws.expected, &scenario, false)
            .map_err(|f| in_case(f, "expected projection"))?;
        let spread = uncertainty::Uncertainty::new(&draws, &inputs);
        let _ = uncertainty::evaluate_checks(&draws.expected, Some(&spread), &scenario.checks);
        projection = draws.expected;
    } else {
        let _ = uncertainty::evaluate_checks(&projection, None, &scenario.checks);
    }
    // Absurd but finite values: after the projection, so that one that makes it non-finite
    // is reported as such.
    plausible_data(&data)?;
    plausible_values(&scenario)?;
    if let Err(e) = ukprod::export::run_files(&projection, &scenario) {
        return fail("table error", format!("{e:#}"));
    }
    if files.charts {
        let look = Look {
            format: Format::Svg,
            size: Size::Doc,
            from: None,
        };
        let charts = match chart::scenario_charts(&projection, look) {
            Ok(charts) => charts,
            Err(e) => return fail("chart error", format!("{e:#}")),
        };
        for file in charts {
            let text = String::from_utf8_lossy(&file.bytes);
            if let Err(e) = roxmltree::Document::parse(&text) {
                return fail("SVG not well-formed", format!("{}: {e}", file.name));
            }
        }
    }
    Ok(Outcome::Projected)
}

fn in_case(mut f: Failure, what: &str) -> Failure {
    f.detail = format!("{what}: {}", f.detail);
    f
}

/// `--draws` as the command line takes it: refused, or at most `MAX_DRAWS` (M2).
fn check_draws_option(arg: &str) -> Result<(), Failure> {
    let argv = ["ukprod", "run", "case", "--draws", arg];
    if let Ok(cli) = Cli::try_parse_from(argv)
        && let Command::Run { draws, .. } = cli.command
        && let Some(count) = draws.draws
        && count > MAX_DRAWS
    {
        return fail(
            "--draws unbounded",
            format!("--draws {arg} is accepted: {count} draws"),
        );
    }
    Ok(())
}

/// Every error names where it is: a file (a CSV line where there is one), and for a
/// scenario a line and column (or the `--set` argument), or, for a default the file does not
/// set, the file and the words "is not set".
fn located(problems: &Diagnostics, scenario: bool) -> Result<(), Failure> {
    let errors: Vec<_> = problems
        .0
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        return fail("refused without an error", format!("{problems}"));
    }
    for d in errors {
        let ok = match &d.location {
            None => false,
            Some(Location::Span { .. } | Location::Set(_) | Location::SetFor { .. }) => true,
            // A default the file does not set has no line to point at: the error names the
            // file and says the value is not set.
            Some(Location::File(_)) if scenario => d.message.contains("is not set"),
            Some(Location::Row { .. } | Location::File(_)) => !scenario,
        };
        if !ok {
            let class = if scenario {
                "scenario error without line and column"
            } else {
                "data error without a file"
            };
            return fail(class, format!("{d}"));
        }
    }
    Ok(())
}

fn year_ok(y: i64) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&y)
}

fn volume_ok(v: f64) -> bool {
    v.is_finite() && (0.0..=MAX_VOLUME).contains(&v)
}

/// Accepted data has its years within 1900–2100 (M5): checked before anything is projected,
/// since the projection's length follows from them.
fn plausible_data_years(data: &Dataset) -> Result<(), Failure> {
    for h in &data.history {
        if !year_ok(h.year as i64) {
            return fail(
                "implausible year accepted (data)",
                format!("history year {}", h.year),
            );
        }
    }
    Ok(())
}

/// A C0 control character other than tab and newline, or DEL (issue 10 point 3, S5).
fn control(text: &str) -> bool {
    text.chars()
        .any(|c| (c.is_ascii_control() && c != '\t' && c != '\n') || c == '\u{7f}')
}

fn no_control<'a>(
    class: &str,
    texts: impl IntoIterator<Item = (String, &'a str)>,
) -> Result<(), Failure> {
    for (what, text) in texts {
        if control(text) {
            return fail(class, format!("{what} = {text:?}"));
        }
    }
    Ok(())
}

/// Accepted data has its figures within the plausible ranges, its totals add up (S6), and
/// its text has no control characters (S5).
fn plausible_data(data: &Dataset) -> Result<(), Failure> {
    let class = "control character accepted (data)";
    no_control(
        class,
        (data.history.iter()).map(|h| (format!("history {} source", h.year), h.source.as_str())),
    )?;
    for p in &data.plants {
        let texts = [
            ("name", p.name.as_str()),
            ("short_name", p.short_name.as_deref().unwrap_or("")),
            ("operator", &p.operator),
            ("location", &p.location),
            ("source", &p.source),
        ];
        no_control(class, texts.map(|(f, t)| (format!("{} {f}", p.id), t)))?;
    }
    no_control(
        class,
        (data.outputs.iter().filter(|o| o.year == data.base_year()))
            .map(|o| (format!("{} output source", o.plant_id), o.source.as_str())),
    )?;
    for h in &data.history {
        for v in [Some(h.cars), h.commercial_vehicles, h.total]
            .into_iter()
            .flatten()
        {
            if v as f64 > MAX_VOLUME {
                return fail(
                    "implausible volume accepted (data)",
                    format!("history {}: {v}", h.year),
                );
            }
        }
        if let (Some(cv), Some(total)) = (h.commercial_vehicles, h.total)
            && h.cars as u128 + cv as u128 != total as u128
        {
            return fail(
                "history total does not add up",
                format!("{}: {} + {cv} != {total}", h.year, h.cars),
            );
        }
    }
    for p in &data.plants {
        if p.capacity == 0 || p.capacity as f64 > MAX_VOLUME {
            return fail(
                "implausible volume accepted (data)",
                format!("{} capacity {}", p.id, p.capacity),
            );
        }
    }
    for (id, v) in &data.base_outputs {
        if !volume_ok(*v) {
            return fail(
                "implausible volume accepted (data)",
                format!("{id} output {v}"),
            );
        }
    }
    Ok(())
}

/// What a slot holds, for naming failures, and whether it is a year.
fn slot_kind(slot: &Slot) -> (&'static str, bool) {
    match slot {
        Slot::UtilisationCap | Slot::PlantUtilisationCap(_) | Slot::NewPlantUtilisationCap(_) => {
            ("utilisation cap", false)
        }
        Slot::OtherGrowth | Slot::PlantGrowth(_) => ("growth", false),
        Slot::PlantCapacity(_) | Slot::NewPlantCapacity(_) => ("capacity", false),
        Slot::PlantWaypoint(..) | Slot::ProgrammePeak(_) | Slot::BaseOutput(_) => ("volume", false),
        Slot::PlantCloses(_)
        | Slot::NewPlantOpens(_)
        | Slot::ProgrammeStart(_)
        | Slot::ProgrammeEnds(_)
        | Slot::ShockYear(_) => ("year", true),
        Slot::ProgrammeRampYears(_) => ("ramp years", false),
        Slot::ShockLostWeeks(_) => ("lost weeks", false),
        Slot::NewPlantHappens(_) | Slot::ProgrammeHappens(_) | Slot::ShockHappens(_) => {
            ("probability", false)
        }
        Slot::ProgrammeJobs(_) | Slot::NewPlantJobs(_) => ("jobs", false),
        Slot::ProgrammeKwh(..) => ("kwh", false),
        Slot::BatteryCapacity(..) => ("gwh", false),
    }
}

/// Bounds of an input the scenario may draw, by slot: both ends of a range must keep them.
fn slot_ok(slot: &Slot, v: f64) -> bool {
    match slot_kind(slot).0 {
        "utilisation cap" => v > 0.0 && v <= 1.0,
        "growth" => v > -1.0 && v <= 1.0,
        "capacity" => v > 0.0 && v <= MAX_VOLUME,
        "volume" => volume_ok(v),
        "year" => v.is_finite() && year_ok(v as i64),
        "ramp years" => v.is_finite() && v >= 0.0,
        "lost weeks" => (0.0..=52.0).contains(&v),
        "jobs" => (0.0..=1e6).contains(&v),
        "kwh" => v > 0.0 && v <= 1e3,
        "gwh" => (0.0..=1e4).contains(&v),
        _ => (0.0..=1.0).contains(&v),
    }
}

/// The values of a scenario, each with the slot whose bounds it must keep.
fn scenario_values(s: &Scenario) -> Vec<(String, Slot, f64)> {
    let mut out = vec![
        (
            "assumptions.utilisation_cap".into(),
            Slot::UtilisationCap,
            s.utilisation_cap,
        ),
        (
            "assumptions.other_growth".into(),
            Slot::OtherGrowth,
            s.other_growth,
        ),
    ];
    for (id, change) in &s.plant_changes {
        let at = |f: &str| format!("plants.{id}.{f}");
        if let Some(c) = change.capacity {
            out.push((at("capacity"), Slot::PlantCapacity(id.clone()), c));
        }
        if let Some(c) = change.utilisation_cap {
            out.push((at("utilisation_cap"), Slot::UtilisationCap, c));
        }
        match &change.existing {
            scenario::ExistingPath::Growth(g) => {
                out.push((at("growth"), Slot::PlantGrowth(id.clone()), *g))
            }
            scenario::ExistingPath::Waypoints(points) => {
                for (i, point) in points.iter().enumerate() {
                    let (year, v) = match point.level {
                        scenario::Level::Volume(v) | scenario::Level::OfBase(v) => (point.year, v),
                    };
                    let w = Slot::PlantWaypoint(id.clone(), i);
                    out.push((at(&format!("output.{year}")), w, v));
                    out.push((
                        at(&format!("output.{year}")),
                        Slot::ShockYear(0),
                        year as f64,
                    ));
                }
            }
            scenario::ExistingPath::Flat => {}
        }
        if let Some(y) = change.closes {
            out.push((at("closes"), Slot::PlantCloses(id.clone()), y as f64));
        }
    }
    for (i, p) in s.new_plants.iter().enumerate() {
        let at = |f: &str| format!("new_plants.{}.{f}", p.id);
        out.push((at("capacity"), Slot::NewPlantCapacity(i), p.capacity));
        out.push((at("opens"), Slot::NewPlantOpens(i), p.opens as f64));
        if let Some(c) = p.utilisation_cap {
            out.push((at("utilisation_cap"), Slot::UtilisationCap, c));
        }
    }
    for (i, p) in s.programmes.iter().enumerate() {
        let at = |f: &str| format!("programmes.{}.{f}", p.id);
        out.push((at("start"), Slot::ProgrammeStart(i), p.start as f64));
        out.push((at("peak"), Slot::ProgrammePeak(i), p.peak));
        if let Some(e) = p.ends {
            out.push((at("ends"), Slot::ProgrammeEnds(i), e as f64));
        }
    }
    for (i, shock) in s.shocks.iter().enumerate() {
        out.push((
            format!("shocks.{i}.year"),
            Slot::ShockYear(i),
            shock.year as f64,
        ));
        let weeks = Slot::ShockLostWeeks(i);
        out.push((format!("shocks.{i}.lost_weeks"), weeks, shock.lost_weeks));
    }
    for u in &s.uncertain {
        match u.dist {
            Dist::Triangular { low, mode, high } => {
                out.push((format!("{} (low end)", u.path), u.slot.clone(), low));
                out.push((format!("{} (mode)", u.path), u.slot.clone(), mode));
                out.push((format!("{} (high end)", u.path), u.slot.clone(), high));
            }
            Dist::Chance(p) => out.push((u.path.clone(), u.slot.clone(), p)),
        }
    }
    out
}

/// An accepted scenario's years: its end and target year after the base year and every year
/// it names within 1900–2100, defaults included (M4, M5). Checked before projecting, since
/// the projection's length follows from them.
fn plausible_years(s: &Scenario, base_year: i32) -> Result<(), Failure> {
    if !(s.end_year > base_year && year_ok(s.end_year as i64)) {
        return fail(
            "end year not after the base year",
            format!("end year {} with base year {base_year}", s.end_year),
        );
    }
    if !(s.target.year > base_year && year_ok(s.target.year as i64)) {
        return fail(
            "target year not after the base year",
            format!("target year {} with base year {base_year}", s.target.year),
        );
    }
    for (what, slot, v) in scenario_values(s) {
        if slot_kind(&slot).1 && !slot_ok(&slot, v) {
            return fail(
                "implausible year accepted (scenario)",
                format!("{what} = {v}"),
            );
        }
    }
    Ok(())
}

/// An accepted scenario's other values keep their plausible ranges, both ends of every
/// range included (M3, S7), and its text has no control characters (S5).
fn plausible_values(s: &Scenario) -> Result<(), Failure> {
    let mut texts: Vec<(String, &str)> = vec![("description".into(), s.description.as_str())];
    for (f, t) in [
        ("title", &s.title),
        ("headline", &s.headline),
        ("colour", &s.colour),
    ] {
        if let Some(t) = t {
            texts.push((f.into(), t));
        }
    }
    texts.extend(
        s.labels
            .iter()
            .map(|(k, v)| (format!("label of {k}"), v.as_str())),
    );
    texts.extend(
        s.maker_colours
            .keys()
            .map(|k| (format!("makers.{k}"), k.as_str()))
            .chain(
                s.maker_colours
                    .iter()
                    .map(|(k, v)| (format!("makers.{k}.colour"), v.as_str())),
            ),
    );
    for p in &s.new_plants {
        texts.push((format!("new_plants.{}.name", p.id), &p.name));
        texts.push((format!("new_plants.{}.operator", p.id), &p.operator));
    }
    for p in &s.programmes {
        texts.push((format!("programmes.{}.maker", p.id), &p.maker));
    }
    for c in &s.checks {
        if let scenario::CheckSubject::Maker(m) = &c.subject {
            texts.push(("checks maker".into(), m));
        }
    }
    no_control("control character accepted (scenario)", texts)?;
    if !(s.target.volume >= 1.0 && s.target.volume <= MAX_VOLUME) {
        return fail(
            "implausible value accepted: target volume",
            format!("target.volume = {}", s.target.volume),
        );
    }
    for (what, slot, v) in scenario_values(s) {
        let (kind, year) = slot_kind(&slot);
        if !year && !slot_ok(&slot, v) {
            return fail(
                &format!("implausible value accepted: {kind}"),
                format!("{what} = {v}"),
            );
        }
    }
    for u in &s.uncertain {
        if let Dist::Triangular { low, mode, high } = u.dist
            && !(low <= mode && mode <= high)
        {
            return fail(
                "range out of order accepted",
                format!("{} = {:?}", u.path, u.dist),
            );
        }
    }
    for (i, c) in s.checks.iter().enumerate() {
        if c.min.is_some_and(|v| !v.is_finite()) || c.max.is_some_and(|v| !v.is_finite()) {
            return fail(
                "non-finite check bound accepted",
                format!("checks.{i}: min {:?} max {:?}", c.min, c.max),
            );
        }
    }
    Ok(())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 + 1e-9 * a.abs().max(b.abs())
}

/// A projection is finite, non-negative and adds up (M3, M4).
fn consistent(p: &Projection, s: &Scenario, modal: bool) -> Result<(), Failure> {
    let projected: Vec<i32> = (p.national.iter())
        .filter(|n| n.source == Source::Projected)
        .map(|n| n.year)
        .collect();
    let expected: Vec<i32> = (p.base_year + 1..=p.end_year).collect();
    if projected.is_empty() || projected != expected {
        return fail(
            "no projected years",
            format!(
                "base year {} end year {}: projected years {:?}",
                p.base_year,
                p.end_year,
                projected.first()
            ),
        );
    }
    let mut numbers: Vec<(String, f64)> = Vec::new();
    for n in p.national.iter().filter(|n| n.source == Source::Projected) {
        let mut add = |what: &str, v: Option<f64>| {
            if let Some(v) = v {
                numbers.push((format!("national {} {what}", n.year), v));
            }
        };
        add("cars", Some(n.cars));
        add("commercial_vehicles", n.commercial_vehicles);
        add("total", n.total);
        add("target_path", n.target_path);
    }
    for r in &p.plants {
        let at = format!("{} {}", r.plant_id, r.year);
        numbers.push((format!("{at} demand"), r.demand));
        numbers.push((format!("{at} output"), r.output));
        numbers.push((format!("{at} constrained"), r.constrained));
        for c in [r.capacity, r.modal_capacity].into_iter().flatten() {
            numbers.push((format!("{at} capacity"), c));
        }
    }
    for c in &p.components {
        numbers.push((
            format!("{} {} {}", c.plant_id, c.component, c.year),
            c.output,
        ));
    }
    for (what, v) in &numbers {
        if !v.is_finite() {
            return fail("non-finite projection", format!("{what} = {v}"));
        }
        if *v < -1e-6 {
            return fail("negative projection", format!("{what} = {v}"));
        }
    }
    for n in &p.national {
        if let Some(gap) = n.gap
            && !gap.is_finite()
        {
            return fail("non-finite projection", format!("gap {} = {gap}", n.year));
        }
    }
    let m = &p.summary;
    for (what, v) in [
        ("base_total", m.base_total),
        ("end_total", m.end_total),
        ("end_target_path", m.end_target_path),
        ("end_gap", m.end_gap),
        ("share_of_target", m.share_of_target),
        ("growth_needed", m.growth_needed),
        ("growth_projected", m.growth_projected),
    ] {
        if !v.is_finite() {
            return fail("non-finite summary", format!("{what} = {v}"));
        }
    }
    // Components add up to their plant; plants and residuals to the national figures.
    let mut parts: BTreeMap<(i32, &str), f64> = BTreeMap::new();
    for c in &p.components {
        *parts.entry((c.year, c.plant_id.as_str())).or_default() += c.output;
    }
    let mut by_segment: BTreeMap<(i32, Segment), f64> = BTreeMap::new();
    for r in p.plants.iter().filter(|r| r.year > p.base_year) {
        let sum = parts.remove(&(r.year, r.plant_id.as_str())).unwrap_or(0.0);
        if !close(sum, r.output) {
            return fail(
                "components do not add up to the plant",
                format!("{} {}: {sum} against {}", r.plant_id, r.year, r.output),
            );
        }
        *by_segment.entry((r.year, r.segment)).or_default() += r.output;
        if let Some(capacity) = r.capacity {
            let cap = if modal { cap_of(s, &r.plant_id) } else { 1.0 };
            if r.output > capacity * cap + 1e-6 * capacity.max(1.0) {
                return fail(
                    "output above capacity",
                    format!(
                        "{} {}: output {} capacity {capacity} cap {cap}",
                        r.plant_id, r.year, r.output
                    ),
                );
            }
        }
    }
    if let Some(((year, plant), v)) = parts.into_iter().next() {
        return fail(
            "components do not add up to the plant",
            format!("component of {plant} {year} ({v}) without a plant row"),
        );
    }
    for n in p.national.iter().filter(|n| n.source == Source::Projected) {
        let cars = by_segment
            .get(&(n.year, Segment::Car))
            .copied()
            .unwrap_or(0.0);
        let cvs = by_segment
            .get(&(n.year, Segment::Cv))
            .copied()
            .unwrap_or(0.0);
        let total = n.total.unwrap_or(f64::NAN);
        if !close(cars, n.cars)
            || !close(cvs, n.commercial_vehicles.unwrap_or(f64::NAN))
            || !close(cars + cvs, total)
        {
            return fail(
                "plants do not add up to the national total",
                format!(
                    "{}: plants {cars} + {cvs} against national {} + {:?} = {total}",
                    n.year, n.cars, n.commercial_vehicles
                ),
            );
        }
    }
    Ok(())
}

/// The share of capacity a plant may use in the modal case.
fn cap_of(s: &Scenario, plant: &str) -> f64 {
    s.plant_changes
        .get(plant)
        .and_then(|c| c.utilisation_cap)
        .or_else(|| {
            (s.new_plants.iter())
                .find(|p| p.id == plant)
                .and_then(|p| p.utilisation_cap)
        })
        .unwrap_or(s.utilisation_cap)
}

// ----------------------------------------------------------------------------------------
// The fuzzing loop, shrinking, and the fixtures.

/// How a fuzz run goes: its case count, seed, how long each new failure may be shrunk, and
/// how often it says how far it is.
struct Run {
    cases: u64,
    seed: u64,
    shrink_time: Duration,
    report_every: Option<Duration>,
}

/// Run the cases; return the distinct failures, each shrunk, with how often each class came.
/// The rate printed leaves out the time spent shrinking, and says how long each outcome took.
fn fuzz(run: Run) -> Vec<(Failure, Files, u64)> {
    let config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&run.seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let strategy = case();
    let mut workspace = None;
    let mut found: BTreeMap<String, (Failure, Files, u64)> = BTreeMap::new();
    // Count and time of each outcome ("failed" for any broken property).
    let mut outcomes: BTreeMap<String, (u64, Duration)> = BTreeMap::new();
    let mut shrinking = Duration::ZERO;
    let start = Instant::now();
    let mut last_report = Instant::now();
    let rate = |n: u64, shrinking: Duration| {
        n as f64 / (start.elapsed() - shrinking).as_secs_f64().max(1e-9)
    };
    let show = |outcomes: &BTreeMap<String, (u64, Duration)>| {
        (outcomes.iter())
            .map(|(k, (n, t))| {
                format!("{k} {n} ({:.2} ms each)", t.as_secs_f64() * 1e3 / *n as f64)
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    for n in 0..run.cases {
        let mut tree = strategy.new_tree(&mut runner).expect("a case");
        let files = tree.current().files();
        let t = Instant::now();
        let result = run_case(&mut workspace, &files);
        let took = t.elapsed();
        let kind = match &result {
            Ok(outcome) => format!("{outcome:?}"),
            Err(_) => "failed".to_string(),
        };
        let entry = outcomes.entry(kind).or_default();
        entry.0 += 1;
        entry.1 += took;
        if let Err(failure) = result {
            if let Some(seen) = found.get_mut(&failure.class) {
                seen.2 += 1;
            } else {
                let t = Instant::now();
                let (failure, files) =
                    shrink(&mut tree, &mut workspace, failure, files, run.shrink_time);
                shrinking += t.elapsed();
                // Saved at once, so that a long run stopped early keeps what it found.
                let dir = save_failure(&failure, &files);
                eprintln!(
                    "fuzz: case {n}: new failure class `{}`: {} ({})",
                    failure.class,
                    first_line(&failure.detail),
                    dir.display()
                );
                found.insert(failure.class.clone(), (failure, files, 1));
            }
        }
        if let Some(every) = run.report_every
            && last_report.elapsed() >= every
        {
            last_report = Instant::now();
            eprintln!(
                "fuzz: {} cases, {:.0} cases/s, {} failure classes; {}",
                n + 1,
                rate(n + 1, shrinking),
                found.len(),
                show(&outcomes)
            );
        }
    }
    eprintln!(
        "fuzz: {} cases from seed {} in {:.1} s ({:.1} s of it shrinking): {:.0} cases/s; {}; {} failure classes",
        run.cases,
        run.seed,
        start.elapsed().as_secs_f64(),
        shrinking.as_secs_f64(),
        rate(run.cases, shrinking),
        show(&outcomes),
        found.len()
    );
    for (failure, _, count) in found.values() {
        let dir = Path::new("target/fuzz-failures").join(slug(&failure.class));
        eprintln!(
            "fuzz: {count} x `{}`: {}\n      smallest case: {}",
            failure.class,
            first_line(&failure.detail),
            dir.display()
        );
    }
    found.into_values().collect()
}

/// Simplify a failing case while it fails in the same way.
fn shrink(
    tree: &mut impl ValueTree<Value = Case>,
    workspace: &mut Option<Workspace>,
    mut failure: Failure,
    mut files: Files,
    shrink_time: Duration,
) -> (Failure, Files) {
    if !tree.simplify() {
        return (failure, files);
    }
    let start = Instant::now();
    for _ in 0..SHRINK_STEPS {
        if start.elapsed() > shrink_time {
            break;
        }
        let candidate = tree.current().files();
        let still = match run_case(workspace, &candidate) {
            Err(f) if f.class == failure.class => Some(f),
            _ => None,
        };
        let more = match still {
            Some(f) => {
                failure = f;
                files = candidate;
                tree.simplify()
            }
            None => tree.complicate(),
        };
        if !more {
            break;
        }
    }
    (failure, files)
}

fn slug(class: &str) -> String {
    let s: String = class
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    s.split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Write a case in the fixture layout: `case.toml`, the data files that differ from the
/// shipped ones, and `run.toml` with the arguments and what failed.
fn write_fixture(dir: &Path, files: &Files, note: &str) {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("case.toml"), &files.scenario).unwrap();
    for (i, name) in DATA_FILES.iter().enumerate() {
        if files.data[i] != shipped().data[i] {
            fs::write(dir.join(name), &files.data[i]).unwrap();
        }
    }
    let mut run = Table::new();
    let sets = files.sets.iter().cloned().map(Value::String).collect();
    run.insert("sets".into(), Value::Array(sets));
    run.insert("draws_arg".into(), Value::String(files.draws_arg.clone()));
    run.insert("draws".into(), Value::Integer(files.draws as i64));
    run.insert("seed".into(), Value::String(files.seed.to_string()));
    run.insert("charts".into(), Value::Boolean(files.charts));
    let mut text = String::new();
    for line in note.lines() {
        let line: String = line.chars().filter(|c| !c.is_control()).collect();
        let _ = writeln!(text, "# {line}");
    }
    text.push_str(&toml::to_string(&run).unwrap());
    fs::write(dir.join("run.toml"), text).unwrap();
}

fn read_fixture(dir: &Path) -> Files {
    let read = |name: &str| fs::read_to_string(dir.join(name));
    let run: Table = toml::from_str(&read("run.toml").unwrap()).unwrap();
    let data = DATA_FILES
        .map(|name| read(name).unwrap_or_else(|_| shipped().data[index_of(name)].clone()));
    Files {
        scenario: read("case.toml").unwrap(),
        data,
        sets: (run["sets"].as_array().unwrap().iter())
            .map(|v| v.as_str().unwrap().to_string())
            .collect(),
        draws_arg: run["draws_arg"].as_str().unwrap().to_string(),
        draws: run["draws"].as_integer().unwrap() as usize,
        seed: run["seed"].as_str().unwrap().parse().unwrap(),
        charts: run["charts"].as_bool().unwrap(),
    }
}

fn index_of(name: &str) -> usize {
    DATA_FILES.iter().position(|f| *f == name).unwrap()
}

fn save_failure(failure: &Failure, files: &Files) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/fuzz-failures")
        .join(slug(&failure.class));
    write_fixture(
        &dir,
        files,
        &format!("{}: {}", failure.class, first_line(&failure.detail)),
    );
    dir
}

fn assert_no_failures(failures: &[(Failure, Files, u64)]) {
    if failures.is_empty() {
        return;
    }
    let mut text = String::new();
    for (failure, _, count) in failures {
        let _ = writeln!(
            text,
            "{count} x {}: {}\n    smallest case in target/fuzz-failures/{}/",
            failure.class,
            first_line(&failure.detail),
            slug(&failure.class)
        );
    }
    panic!("{} failure classes:\n{text}", failures.len());
}

#[test]
fn fuzz_ci() {
    let failures = fuzz(Run {
        cases: CI_CASES,
        seed: 10,
        shrink_time: Duration::from_secs(2),
        report_every: None,
    });
    assert_no_failures(&failures);
}

#[test]
#[ignore = "long: cargo test --release --test integration -- --ignored fuzz"]
fn fuzz_long() {
    let cases = std::env::var("UKPROD_FUZZ_CASES")
        .ok()
        .and_then(|v| v.replace(['_', ','], "").parse().ok())
        .unwrap_or(LONG_CASES);
    let seed = std::env::var("UKPROD_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_secs())
        });
    let failures = fuzz(Run {
        cases,
        seed,
        shrink_time: Duration::from_secs(60),
        report_every: Some(Duration::from_secs(30)),
    });
    assert_no_failures(&failures);
}

/// Every minimal reproduction the fuzzer found, kept as a regression case.
#[test]
fn fuzz_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    dirs.retain(|d| d.join("case.toml").exists());
    dirs.sort();
    let mut workspace = None;
    let mut failed = Vec::new();
    for dir in &dirs {
        let files = read_fixture(dir);
        if let Err(f) = run_case(&mut workspace, &files) {
            failed.push(format!(
                "{}: {}: {}",
                dir.file_name().unwrap().to_string_lossy(),
                f.class,
                first_line(&f.detail)
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} fuzz fixtures fail:\n{}",
        failed.len(),
        dirs.len(),
        failed.join("\n")
    );
}

/// The fixture layout reads back exactly what was written.
#[test]
fn fuzz_fixture_layout_round_trips() {
    let mut runner = TestRunner::deterministic();
    let strategy = case();
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..50 {
        let files = strategy.new_tree(&mut runner).unwrap().current().files();
        write_fixture(dir.path(), &files, "note");
        assert_eq!(read_fixture(dir.path()), files);
    }
}
