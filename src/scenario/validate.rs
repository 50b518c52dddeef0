//! Checking a merged scenario against the schema's rules and the data, every problem located.

mod display;
mod industry;

use std::collections::BTreeMap;

use toml::{Table, Value};

use super::source::merge;
use super::*;
use crate::data::{Dataset, is_valid_id};
use crate::diagnostic::{Diagnostic, Diagnostics, Location, did_you_mean};

/// Checks a merged scenario, pointing each problem at the file and line that set the value.
pub(super) struct Checker<'a> {
    pub(super) sources: &'a Sources,
    pub(super) base_year: i32,
    pub(super) problems: Diagnostics,
    /// Dotted paths whose absence a problem already explains: no "needs" for them.
    pub(super) dropped: Vec<String>,
    pub(super) warnings: Vec<Diagnostic>,
    pub(super) uncertain: Vec<Uncertain>,
}

impl Checker<'_> {
    fn report(&mut self, path: &[&str], part: Part, message: String, help: Option<String>) {
        // `shocks.0.year`: the number after `shocks` (or `checks`) is an index into the array.
        let mut steps = key_path(path.iter().copied());
        if let [Seg::Key(first), second, ..] = steps.as_mut_slice()
            && (first == "shocks" || first == "checks")
            && let Seg::Key(index) = second
            && let Ok(i) = index.parse()
        {
            *second = Seg::Index(i);
        }
        self.report_at(&steps, part, message, help);
    }

    fn warn(&mut self, path: &[&str], part: Part, message: String, help: Option<String>) {
        let mut warning = Diagnostic::warning(message).with_help(help);
        warning.location = self.sources.locate(&key_path(path.iter().copied()), part);
        self.warnings.push(warning);
    }

    /// Where a value was set, in a few words (`scenarios/x.toml:6:9`, `--set ...`).
    fn set_at(&self, path: &[&str]) -> String {
        self.sources
            .locate(&key_path(path.iter().copied()), Part::Value)
            .map_or_else(String::new, |l| match l {
                Location::Set(_) => format!(" (set by {})", l.brief()),
                _ => format!(" (set at {})", l.brief()),
            })
    }

    fn report_at(&mut self, path: &KeyPath, part: Part, message: String, help: Option<String>) {
        let mut diagnostic = Diagnostic::new(message).with_help(help);
        diagnostic.location = self.sources.locate(path, part);
        self.problems.push(diagnostic);
    }

    /// Whether a problem reported with the files already explains why `path` is missing.
    fn explained(&self, path: &[&str]) -> bool {
        let path = path.join(".");
        self.dropped.contains(&path)
    }

    fn required<T: Clone>(&mut self, path: &[&str], value: &Option<T>) -> Option<T> {
        if value.is_none() && !self.explained(path) {
            let (field, table) = path.split_last().map_or(("", &[][..]), |(f, t)| (*f, t));
            self.report(
                table,
                Part::Key,
                format!("`{}` needs `{field}`", table.join(".")),
                None,
            );
        }
        value.clone()
    }

    /// A number that may be a range: `check` runs on the value, or on a range's low and high
    /// ends; a valid range is recorded as uncertain, and the central value is returned.
    fn num(
        &mut self,
        path: &[&str],
        value: Option<Num<f64>>,
        slot: Slot,
        check: fn(&mut Self, &[&str], Option<f64>) -> Option<f64>,
    ) -> Option<f64> {
        match value? {
            Num::Fixed(v) => check(self, path, Some(v)),
            Num::Range { low, mode, high } => {
                self.ordered(path, low, mode, high)?;
                let (low, high) = (check(self, path, Some(low)), check(self, path, Some(high)));
                let (low, high) = (low?, high?);
                self.uncertain.push(Uncertain {
                    path: path.join("."),
                    dist: Dist::Triangular { low, mode, high },
                    slot,
                });
                Some(mode)
            }
        }
    }

    /// A year that may be a range, each end after the base year and no later than `last`.
    fn num_year(
        &mut self,
        path: &[&str],
        value: Option<Num<i64>>,
        last: i32,
        why: &str,
        slot: Slot,
    ) -> Option<i32> {
        self.whole(path, value?, slot, |this, v| {
            this.year(path, Some(v), last, why)
        })
    }

    /// A whole number that may be a range: `check` turns each stated value into the field's
    /// type (or reports it); a valid range is recorded as uncertain; the central value returns.
    fn whole<T: Copy + Into<f64>>(
        &mut self,
        path: &[&str],
        value: Num<i64>,
        slot: Slot,
        check: impl Fn(&mut Self, i64) -> Option<T>,
    ) -> Option<T> {
        match value {
            Num::Fixed(v) => check(self, v),
            Num::Range { low, mode, high } => {
                self.ordered(path, low as f64, mode as f64, high as f64)?;
                let (lo, hi) = (check(self, low), check(self, high));
                let (lo, hi) = (lo?, hi?);
                let mode = check(self, mode)?;
                self.uncertain.push(Uncertain {
                    path: path.join("."),
                    dist: Dist::Triangular {
                        low: lo.into(),
                        mode: mode.into(),
                        high: hi.into(),
                    },
                    slot,
                });
                Some(mode)
            }
        }
    }

    fn ordered(&mut self, path: &[&str], low: f64, mode: f64, high: f64) -> Option<()> {
        if low <= mode && mode <= high {
            return Some(());
        }
        self.report(
            path,
            Part::Value,
            format!(
                "{} must have low <= mode <= high, not {low}, {mode}, {high}",
                path.join(".")
            ),
            None,
        );
        None
    }

    /// A `probability`: from 0 to 1; below 1 it makes the item uncertain.
    fn probability(&mut self, path: &[&str], value: Option<f64>, slot: Slot) {
        let Some(p) = value else { return };
        if !(0.0..=1.0).contains(&p) {
            self.report(
                path,
                Part::Value,
                format!("{} must be from 0 to 1, not {p}", path.join(".")),
                None,
            );
        } else if p < 1.0 {
            self.uncertain.push(Uncertain {
                path: path.join("."),
                dist: Dist::Chance(p),
                slot,
            });
        }
    }

    /// Years to ramp up: whole years from 0 to 50, or a range of them.
    fn ramp_years(&mut self, path: &[&str], value: Num<i64>, slot: Slot) -> Option<u32> {
        self.whole(path, value, slot, |this, r| match u32::try_from(r) {
            Ok(r) if r <= 50 => Some(r),
            _ => {
                let message =
                    format!("ramp_years must be a whole number of years from 0 to 50, not {r}");
                this.report(path, Part::Value, message, None);
                None
            }
        })
    }

    /// A year after the base year and no later than `last`.
    fn year(&mut self, path: &[&str], value: Option<i64>, last: i32, why: &str) -> Option<i32> {
        let value = value?;
        let base = self.base_year;
        if value <= i64::from(base) || value > i64::from(last) {
            self.report(
                path,
                Part::Value,
                format!("{} {value} is outside the horizon: it must be after the base year {base} and no later than {last}{why}", path.join(".")),
                None,
            );
            return None;
        }
        i32::try_from(value).ok()
    }

    /// A problem when a default year is not after the data's base year, saying it is the
    /// default and what to set instead.
    fn default_after_base(&mut self, path: &[&str], default: i32) {
        let base = self.base_year;
        if default > base {
            return;
        }
        let (field, table) = (path.join("."), path[0]);
        let message = format!(
            "{field} is not set, and its default {default} is not after the data's base year {base}: set `{}` under [{table}] to a year from {} to {LAST_YEAR}",
            path[1],
            base.saturating_add(1)
        );
        self.report(&path[..1], Part::Key, message, None);
    }

    /// A value that `ok` accepts, or a problem saying what the field must be.
    fn within(
        &mut self,
        path: &[&str],
        value: Option<f64>,
        ok: fn(f64) -> bool,
        rule: &str,
    ) -> Option<f64> {
        let value = value?;
        if ok(value) {
            return Some(value);
        }
        self.report(
            path,
            Part::Value,
            format!("{} must be {rule}, not {}", path.join("."), shown(value)),
            None,
        );
        None
    }

    fn volume(&mut self, path: &[&str], value: Option<f64>) -> Option<f64> {
        self.within(
            path,
            value,
            |v| v.is_finite() && (0.0..=MAX_VOLUME).contains(&v),
            "a number of vehicles from 0 to 100,000,000",
        )
    }

    /// A multiple of a base-year output: more than 0 (a waypoint of nothing is `0` vehicles,
    /// or `closes`), and at most 100 times the base.
    fn multiple(&mut self, path: &[&str], value: Option<f64>) -> Option<f64> {
        self.within(
            path,
            value,
            |v| v.is_finite() && v > 0.0 && v <= MAX_MULTIPLE,
            "a multiple of the base-year output, more than 0 and at most 100",
        )
    }

    fn capacity(&mut self, path: &[&str], value: Option<f64>) -> Option<f64> {
        let value = self.volume(path, value);
        self.within(
            path,
            value,
            |v| v > 0.0,
            "more than 0 (to stop a plant, use `closes`)",
        )
    }

    /// The target volume: at least one vehicle, so growth rates towards it are numbers.
    fn target_volume(&mut self, path: &[&str], value: Option<f64>) -> Option<f64> {
        self.within(
            path,
            value,
            |v| v.is_finite() && (1.0..=MAX_VOLUME).contains(&v),
            "a number of vehicles from 1 to 100,000,000",
        )
    }

    fn utilisation_cap(&mut self, path: &[&str], value: Option<f64>) -> Option<f64> {
        let rule = "more than 0 and at most 1 (a share of capacity)";
        self.within(path, value, |v| v > 0.0 && v <= 1.0, rule)
    }

    fn growth(&mut self, path: &[&str], value: Option<f64>) -> Option<f64> {
        let rule = "an annual rate above -1 and at most 1 (e.g. -0.03 for -3% a year, 1 for +100%)";
        self.within(
            path,
            value,
            |v| v.is_finite() && v > -1.0 && v <= MAX_GROWTH,
            rule,
        )
    }

    fn checks(
        &mut self,
        file: &ScenarioFile,
        data: &Dataset,
        new_plants: &[NewPlant],
        programmes: &[Programme],
        end: i32,
    ) -> Vec<Check> {
        let makers = makers(file, data, new_plants, programmes);
        let mut checks = Vec::new();
        for (i, section) in file.checks.iter().flatten().enumerate() {
            let index = i.to_string();
            let at = |field: &'static str| ["checks", index.as_str(), field];
            let year = match section.year {
                None if self.explained(&at("year")) => None,
                None => {
                    self.report(
                        &["checks", index.as_str()],
                        Part::Key,
                        format!("check {i} needs `year`"),
                        None,
                    );
                    None
                }
                // A --set variant is not bound by its scenario's checks (run does not test
                // them), so a shorter horizon set on the command line does not break it.
                Some(y) if !self.sources.sets.is_empty() => {
                    self.year(&at("year"), Some(y), LAST_YEAR, "")
                }
                Some(y) => self.year(&at("year"), Some(y), end, " (the horizon's end_year)"),
            };
            let statistic = self.statistic(&at("statistic"), section.statistic.as_deref());
            let mut bounds: Vec<(CheckSubject, BoundSection, Vec<String>)> = Vec::new();
            if let Some(total) = section.total {
                bounds.push((CheckSubject::Total, total, vec!["total".into()]));
            }
            if let Some(chance) = section.chance_of_target {
                for value in [chance.min, chance.max].into_iter().flatten() {
                    if !(0.0..=1.0).contains(&value) {
                        self.report(
                            &at("chance_of_target"),
                            Part::Value,
                            format!("a chance is between 0 and 1 (0.25 is 25%), not {value}"),
                            None,
                        );
                    }
                }
                bounds.push((
                    CheckSubject::ChanceOfTarget,
                    chance,
                    vec!["chance_of_target".into()],
                ));
            }
            for (field, bound, subject) in [
                (
                    "electrified_share",
                    section.electrified_share,
                    CheckSubject::ElectrifiedShare,
                ),
                (
                    "battery_shortfall_gwh",
                    section.battery_shortfall_gwh,
                    CheckSubject::BatteryShortfall,
                ),
                ("jobs", section.jobs, CheckSubject::Jobs),
            ] {
                let Some(bound) = bound else { continue };
                let share = subject == CheckSubject::ElectrifiedShare;
                let bad = [bound.min, bound.max]
                    .into_iter()
                    .flatten()
                    .find(|v| !v.is_finite() || *v < 0.0 || (share && *v > 1.0));
                if let Some(value) = bad {
                    let what = if share {
                        "a share is between 0 and 1 (0.5 is 50%)"
                    } else {
                        "bounds must be numbers of 0 or more"
                    };
                    self.report(
                        &at(field),
                        Part::Value,
                        format!("{what}, not {}", shown(value)),
                        None,
                    );
                    continue;
                }
                if matches!(statistic, Some(Statistic::Percentile(_))) && !share {
                    self.report(
                        &at("statistic"),
                        Part::Value,
                        format!("percentiles are drawn for the national total and the electrified share only: check the expected `{field}`, in a check of its own"),
                        None,
                    );
                }
                bounds.push((subject, bound, vec![field.into()]));
            }
            if matches!(statistic, Some(Statistic::Percentile(_))) && section.makers.is_some() {
                self.report(
                    &at("statistic"),
                    Part::Value,
                    "percentiles are drawn for the national total only: check makers' expected output, or put the percentile in a check of `total`".into(),
                    None,
                );
            }
            for (maker, bound) in section.makers.iter().flatten() {
                if !makers.contains(&maker.as_str()) {
                    let path = ["checks", index.as_str(), "makers", maker.as_str()];
                    let message = format!(
                        "no maker `{maker}` in this scenario (makers: {})",
                        makers.join(", ")
                    );
                    self.report(
                        &path,
                        Part::Key,
                        message,
                        did_you_mean(maker, makers.iter().copied()),
                    );
                    continue;
                }
                bounds.push((
                    CheckSubject::Maker(maker.clone()),
                    *bound,
                    vec!["makers".into(), maker.clone()],
                ));
            }
            if bounds.is_empty()
                && (section.total.is_none()
                    && section.makers.is_none()
                    && section.chance_of_target.is_none()
                    && section.electrified_share.is_none()
                    && section.battery_shortfall_gwh.is_none()
                    && section.jobs.is_none())
            {
                self.report(
                    &["checks", index.as_str()],
                    Part::Key,
                    format!("check {i} needs `total`, `makers`, `chance_of_target`, `electrified_share`, `battery_shortfall_gwh` or `jobs` bounds"),
                    None,
                );
            }
            for (subject, bound, field) in bounds {
                let mut path = vec!["checks", index.as_str()];
                path.extend(field.iter().map(String::as_str));
                if bound.min.is_none() && bound.max.is_none() {
                    self.report(
                        &path,
                        Part::Value,
                        format!("{} needs `min` or `max`", path.join(".")),
                        None,
                    );
                    continue;
                }
                // Bounds are vehicles (or a chance, checked above): a NaN or negative bound
                // would make a check that says nothing.
                let bad = [bound.min, bound.max]
                    .into_iter()
                    .flatten()
                    .find(|v| !v.is_finite() || *v < 0.0 || *v > MAX_VOLUME);
                if let Some(value) = bad {
                    self.report(
                        &path,
                        Part::Value,
                        format!(
                            "{} bounds must be numbers from 0 to 100,000,000, not {}",
                            path.join("."),
                            shown(value)
                        ),
                        None,
                    );
                    continue;
                }
                if let (Some(min), Some(max)) = (bound.min, bound.max)
                    && min > max
                {
                    self.report(
                        &path,
                        Part::Value,
                        format!("{} has min {min} above max {max}", path.join(".")),
                        None,
                    );
                    continue;
                }
                if let (Some(year), Some(statistic)) = (year, statistic) {
                    checks.push(Check {
                        year,
                        subject,
                        statistic,
                        min: bound.min,
                        max: bound.max,
                    });
                }
            }
        }
        checks
    }

    /// A check's `statistic`: "expected" (or "mean"), or a percentile such as "p10".
    fn statistic(&mut self, path: &[&str], value: Option<&str>) -> Option<Statistic> {
        let Some(value) = value else {
            return Some(Statistic::Expected);
        };
        if matches!(value, "expected" | "mean") {
            return Some(Statistic::Expected);
        }
        if value == "median" {
            return Some(Statistic::Percentile(50));
        }
        if let Some(n) = value.strip_prefix('p').and_then(|n| n.parse::<u8>().ok())
            && CHECK_PERCENTILES.contains(&n)
        {
            return Some(Statistic::Percentile(n));
        }
        let names: Vec<String> = ["expected", "mean", "median"]
            .into_iter()
            .map(String::from)
            .chain(CHECK_PERCENTILES.iter().map(|p| format!("p{p}")))
            .collect();
        self.report(
            path,
            Part::Value,
            format!(
                "`{value}` is not a statistic: use one of {}",
                names.join(", ")
            ),
            did_you_mean(value, names.iter().map(String::as_str)),
        );
        None
    }

    fn lost_weeks(&mut self, path: &[&str], value: Option<f64>) -> Option<f64> {
        self.within(path, value, |w| (0.0..=52.0).contains(&w), "from 0 to 52")
    }

    fn id(&mut self, path: &[&str], id: &str) {
        if !is_valid_id(id) {
            self.report(
                path,
                Part::Key,
                format!("`{id}` must be lowercase letters, digits and hyphens"),
                None,
            );
        }
    }

    /// Every string and key of the merged scenario (`--set` values included): no control
    /// characters, and no longer than its limit, each problem located.
    fn texts(&mut self, table: &Table, path: &mut KeyPath) {
        for (key, value) in table {
            path.push(Seg::Key(key.clone()));
            if let Some(problem) = crate::data::text_problem("a key", key, TEXT_MAX_CHARS) {
                self.report_at(path, Part::Key, problem, None);
            }
            self.text_value(value, path);
            path.pop();
        }
    }

    fn text_value(&mut self, value: &Value, path: &mut KeyPath) {
        match value {
            Value::String(text) => {
                let description = matches!(path.as_slice(), [Seg::Key(k)] if k == "description");
                let max = if description {
                    DESCRIPTION_MAX_CHARS
                } else {
                    TEXT_MAX_CHARS
                };
                if let Some(problem) = crate::data::text_problem(&dotted(path), text, max) {
                    self.report_at(path, Part::Value, problem, None);
                }
            }
            Value::Table(table) => self.texts(table, path),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    self.text_value(item, path);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    pub(super) fn build(
        &mut self,
        name: &str,
        file: &ScenarioFile,
        data: &Dataset,
        resolved: Table,
    ) -> Scenario {
        self.texts(&resolved, &mut Vec::new());
        let horizon = file.horizon.clone().unwrap_or_default();
        let target = file.target.clone().unwrap_or_default();
        let assumptions = file.assumptions.clone().unwrap_or_default();
        let end_year = self
            .year(&["horizon", "end_year"], horizon.end_year, LAST_YEAR, "")
            .unwrap_or(DEFAULT_END_YEAR);
        let target = Target {
            volume: self
                .target_volume(&["target", "volume"], target.volume)
                .unwrap_or(DEFAULT_TARGET_VOLUME),
            year: self
                .year(&["target", "year"], target.year, LAST_YEAR, "")
                .unwrap_or(DEFAULT_TARGET_YEAR),
        };
        // A default is checked like a stated value: data that runs to 2035 leaves nothing for
        // the default end year to project.
        if horizon.end_year.is_none() {
            self.default_after_base(&["horizon", "end_year"], DEFAULT_END_YEAR);
        }
        if file.target.as_ref().is_none_or(|t| t.year.is_none()) {
            self.default_after_base(&["target", "year"], DEFAULT_TARGET_YEAR);
        }
        let utilisation_cap = self
            .num(
                &["assumptions", "utilisation_cap"],
                assumptions.utilisation_cap,
                Slot::UtilisationCap,
                Self::utilisation_cap,
            )
            .unwrap_or(1.0);
        let other_growth = self
            .num(
                &["assumptions", "other_growth"],
                assumptions.other_growth,
                Slot::OtherGrowth,
                Self::growth,
            )
            .unwrap_or(0.0);
        let end = end_year;
        let data_uncertainty = assumptions.data_uncertainty.unwrap_or(false);
        if data_uncertainty {
            self.data_ranges(data);
        }
        let existing_jobs = self.existing_jobs(assumptions.existing_jobs.as_deref());
        let plant_changes = self.plant_changes(file, data, end);
        let new_plants = self.new_plants(file, data, end);
        let programmes = self.programmes(file, data, &new_plants, end);
        self.dates_that_do_not_fit(&programmes, &plant_changes, &new_plants, end);
        let shocks = self.shocks(file, data, &new_plants, end);
        let battery_plants = self.battery_plants(file, data);
        let checks = self.checks(file, data, &new_plants, &programmes, end);
        let shown = self.presentation(name, file, &makers(file, data, &new_plants, &programmes));
        let mut scenario = Scenario {
            name: name.to_string(),
            run_name: name.to_string(),
            description: file.description.clone().unwrap_or_default(),
            title: shown.title,
            headline: shown.headline,
            colour: shown.colour,
            labels: shown.labels,
            maker_colours: shown.maker_colours,
            end_year,
            target,
            utilisation_cap,
            other_growth,
            data_uncertainty,
            existing_jobs,
            battery_plants,
            plant_changes,
            new_plants,
            programmes,
            shocks,
            uncertain: std::mem::take(&mut self.uncertain),
            checks,
            warnings: Vec::new(),
            resolved,
            sources: Sources {
                layers: Vec::new(),
                sets: Vec::new(),
            },
        };
        fill_defaults(&mut scenario);
        scenario
    }

    /// Each plant's base-year output as an uncertain input, where the data give a range: the
    /// figure is the most likely value, `low` and `high` the ends.
    fn data_ranges(&mut self, data: &Dataset) {
        for plant in &data.plants {
            let Some(row) = data.base_row(&plant.id) else {
                continue;
            };
            if let Some((low, high)) = row.range().filter(|(low, high)| low < high) {
                self.uncertain.push(Uncertain {
                    path: format!("data.{}.base_output", plant.id),
                    dist: Dist::Triangular {
                        low,
                        mode: row.output as f64,
                        high,
                    },
                    slot: Slot::BaseOutput(plant.id.clone()),
                });
            }
        }
    }

    fn plant_changes(
        &mut self,
        file: &ScenarioFile,
        data: &Dataset,
        end: i32,
    ) -> BTreeMap<String, PlantChange> {
        let mut changes = BTreeMap::new();
        for (id, section) in &file.plants {
            let p = |field: &'static str| ["plants", id.as_str(), field];
            if data.plant(id).is_none() {
                let help = if file.new_plants.contains_key(id) {
                    Some(format!(
                        "`{id}` is a new plant: change it under [new_plants.{id}]"
                    ))
                } else {
                    did_you_mean(id, data.plant_ids())
                };
                self.report(
                    &["plants", id],
                    Part::Key,
                    format!("unknown plant `{id}`: it is not in the plant data"),
                    help,
                );
                continue;
            }
            let slot = id.clone();
            let capacity = self.num(
                &p("capacity"),
                section.capacity,
                Slot::PlantCapacity(slot.clone()),
                Self::capacity,
            );
            let utilisation_cap = self.num(
                &p("utilisation_cap"),
                section.utilisation_cap,
                Slot::PlantUtilisationCap(slot.clone()),
                Self::utilisation_cap,
            );
            let growth = self.num(
                &p("growth"),
                section.growth,
                Slot::PlantGrowth(slot.clone()),
                Self::growth,
            );
            let closes = self.num_year(
                &p("closes"),
                section.closes,
                LAST_YEAR,
                "",
                Slot::PlantCloses(slot),
            );
            let existing = match (&section.output, growth) {
                (Some(_), Some(_)) => {
                    self.report(&p("growth"), Part::Key, format!("plant `{id}` has both `output` waypoints and `growth`: give one or the other"), None);
                    ExistingPath::Flat
                }
                (Some(points), None) => {
                    ExistingPath::Waypoints(self.waypoints(id, points, data, end))
                }
                (None, Some(g)) => ExistingPath::Growth(g),
                (None, None) => ExistingPath::Flat,
            };
            let powertrain = section
                .powertrain
                .as_ref()
                .map(|points| self.mix_waypoints(id, points, data, end))
                .unwrap_or_default();
            changes.insert(
                id.clone(),
                PlantChange {
                    capacity,
                    utilisation_cap,
                    existing,
                    closes,
                    powertrain,
                },
            );
        }
        changes
    }

    fn waypoints(
        &mut self,
        id: &str,
        points: &BTreeMap<String, WaypointSpec>,
        data: &Dataset,
        end: i32,
    ) -> Vec<Waypoint> {
        let mut out = Vec::new();
        // Keys are 4-digit years, so their text order is year order: the slot index below is
        // the waypoint's position in the sorted list the engine uses.
        for (index, (year, spec)) in points.iter().enumerate() {
            let path = ["plants", id, "output", year.as_str()];
            let Ok(y) = year.parse::<i64>() else {
                self.report(
                    &path,
                    Part::Key,
                    format!("waypoint `{year}` must be a year, such as 2030"),
                    None,
                );
                continue;
            };
            let year = if y <= i64::from(self.base_year) || y > i64::from(end) {
                let message = format!(
                    "plants.{id}.output: waypoint {y} is outside the horizon: it must be after the base year {} and no later than the end_year {end}",
                    self.base_year
                );
                self.report(&path, Part::Key, message, None);
                None
            } else {
                i32::try_from(y).ok()
            };
            let slot = Slot::PlantWaypoint(id.to_string(), index);
            let level = match *spec {
                WaypointSpec::Volume(v) => self
                    .num(&path, Some(v), slot, Self::volume)
                    .map(Level::Volume),
                WaypointSpec::OfBase(m) => {
                    let at = [path[0], path[1], path[2], path[3], "of_base"];
                    self.num(&at, Some(m), slot, Self::multiple)
                        .map(Level::OfBase)
                }
                WaypointSpec::OfYear(of) => self.of_year(id, &path, of, data),
            };
            if let (Some(year), Some(level)) = (year, level) {
                out.push(Waypoint { year, level });
            }
        }
        out.sort_by_key(|w| w.year);
        out
    }

    /// `{ of_year = YEAR }`: the plant's output in a year of the data. The base year's is a
    /// multiple of 1 of the base, so that it follows the base wherever that is drawn from.
    fn of_year(&mut self, id: &str, path: &[&str; 4], of: i64, data: &Dataset) -> Option<Level> {
        let at = [path[0], path[1], path[2], path[3], "of_year"];
        let row = i32::try_from(of).ok().and_then(|y| data.output_row(id, y));
        match row {
            Some(row) if row.year == self.base_year => Some(Level::OfBase(1.0)),
            Some(row) => Some(Level::Volume(row.output.max(0) as f64)),
            None => {
                let years = data.output_years(id);
                let have = if years.is_empty() {
                    "none".to_string()
                } else {
                    years
                        .iter()
                        .map(i32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                self.report(
                    &at,
                    Part::Value,
                    format!(
                        "plants.{id}.output.{}.of_year: plant `{id}` has no output figure for {of} in the data",
                        path[3]
                    ),
                    Some(format!("{} has figures for: {have}", crate::data::PLANT_OUTPUT_FILE)),
                );
                None
            }
        }
    }

    fn new_plants(&mut self, file: &ScenarioFile, data: &Dataset, end: i32) -> Vec<NewPlant> {
        let mut plants = Vec::new();
        for (index, (id, section)) in file.new_plants.iter().enumerate() {
            let p = |field: &'static str| ["new_plants", id.as_str(), field];
            self.id(&["new_plants", id], id);
            if data.plant(id).is_some() {
                self.report(
                    &["new_plants", id],
                    Part::Key,
                    format!("`{id}` is already a plant in the data: change it under [plants.{id}]"),
                    None,
                );
                continue;
            }
            let name = self.required(&p("name"), &section.name);
            let operator = self.required(&p("operator"), &section.operator);
            let segment = self.required(&p("segment"), &section.segment);
            let capacity = self.required(&p("capacity"), &section.capacity);
            let capacity = self.num(
                &p("capacity"),
                capacity,
                Slot::NewPlantCapacity(index),
                Self::capacity,
            );
            let opens = self.required(&p("opens"), &section.opens);
            let opens = self.num_year(
                &p("opens"),
                opens,
                end,
                " (the horizon's end_year)",
                Slot::NewPlantOpens(index),
            );
            let utilisation_cap = self.num(
                &p("utilisation_cap"),
                section.utilisation_cap,
                Slot::NewPlantUtilisationCap(index),
                Self::utilisation_cap,
            );
            self.probability(
                &p("probability"),
                section.probability,
                Slot::NewPlantHappens(index),
            );
            let jobs = self.num(
                &p("jobs"),
                section.jobs,
                Slot::NewPlantJobs(index),
                Self::jobs,
            );
            if let Some(operator) = &operator
                && operator.trim().is_empty()
            {
                self.report(
                    &p("operator"),
                    Part::Value,
                    "operator must not be empty".into(),
                    None,
                );
            }
            if let (Some(name), Some(operator), Some(segment), Some(capacity), Some(opens)) =
                (name, operator, segment, capacity, opens)
            {
                plants.push(NewPlant {
                    id: id.clone(),
                    name,
                    operator,
                    segment,
                    capacity,
                    opens,
                    utilisation_cap,
                    jobs,
                });
            }
        }
        plants
    }

    fn programmes(
        &mut self,
        file: &ScenarioFile,
        data: &Dataset,
        new_plants: &[NewPlant],
        end: i32,
    ) -> Vec<Programme> {
        let mut programmes = Vec::new();
        for (index, (id, section)) in file.programmes.iter().enumerate() {
            let p = |field: &'static str| ["programmes", id.as_str(), field];
            self.id(&["programmes", id], id);
            let plant = self.required(&p("plant"), &section.plant);
            let operator = plant.as_deref().and_then(|plant| {
                let found = data.plant(plant).map(|d| d.operator.clone()).or_else(|| {
                    new_plants
                        .iter()
                        .find(|n| n.id == plant)
                        .map(|n| n.operator.clone())
                });
                if found.is_none() && !file.new_plants.contains_key(plant) {
                    let known = data
                        .plant_ids()
                        .chain(file.new_plants.keys().map(String::as_str));
                    self.report(
                        &p("plant"),
                        Part::Value,
                        format!("unknown plant `{plant}`"),
                        did_you_mean(plant, known),
                    );
                }
                found
            });
            let start = self.required(&p("start"), &section.start);
            let start = self.num_year(
                &p("start"),
                start,
                end,
                " (the horizon's end_year)",
                Slot::ProgrammeStart(index),
            );
            let peak = self.required(&p("peak"), &section.peak);
            let peak = self.num(&p("peak"), peak, Slot::ProgrammePeak(index), Self::volume);
            let ramp_years = match section.ramp_years {
                None => Some(DEFAULT_RAMP_YEARS),
                Some(r) => self.ramp_years(&p("ramp_years"), r, Slot::ProgrammeRampYears(index)),
            };
            let ends = self.num_year(
                &p("ends"),
                section.ends,
                LAST_YEAR,
                "",
                Slot::ProgrammeEnds(index),
            );
            self.probability(
                &p("probability"),
                section.probability,
                Slot::ProgrammeHappens(index),
            );
            // Every year the ranges can draw must fit, not just the central ones: the
            // latest start against the earliest end.
            let (latest_start, earliest_end) = (
                section.start.map(|s| extent(&s).1),
                section.ends.map(|e| extent(&e).0),
            );
            let ranged = matches!(section.start, Some(Num::Range { .. }))
                || matches!(section.ends, Some(Num::Range { .. }));
            if let (Some(_), Some(_), Some(latest), Some(earliest)) =
                (start, ends, latest_start, earliest_end)
                && ranged
                && earliest <= latest
            {
                self.report(
                    &p("ends"),
                    Part::Value,
                    format!(
                        "programme `{id}` can end in {earliest}, which is not after a start it can draw in {latest}: every year the ranges of `start` and `ends` can draw must fit, so the lowest `ends` must be after the highest `start`"
                    ),
                    None,
                );
            } else if let (Some(start), Some(ends)) = (start, ends)
                && ends <= start
            {
                self.report(
                    &p("ends"),
                    Part::Value,
                    format!(
                        "programme `{id}` ends in {ends}, which is not after its start in {start}"
                    ),
                    None,
                );
            }
            let maker = section.maker.clone().or(operator);
            let powertrain = section
                .powertrain
                .as_ref()
                .and_then(|v| self.mix(&p("powertrain"), v));
            if section.powertrain.is_none()
                && data.industry.has_powertrain()
                && let Some(plant) = &section.plant
            {
                let counted = if data.industry.mix(plant).is_some() {
                    format!("at `{plant}`'s {} mix", self.base_year)
                } else {
                    format!("at the UK's {} mix of its segment", self.base_year)
                };
                self.warn(
                    &["programmes", id],
                    Part::Key,
                    format!("programme `{id}` gives no `powertrain`: its vehicles are counted {counted}"),
                    Some("say what it builds, e.g. powertrain = \"BEV\" or powertrain = { BEV = 0.5, PHEV = 0.5 }".into()),
                );
            }
            let battery_kwh = self.battery_kwh(id, index, section.battery_kwh.as_ref(), powertrain);
            let jobs = self.num(
                &p("jobs"),
                section.jobs,
                Slot::ProgrammeJobs(index),
                Self::jobs,
            );
            if let (Some(plant), Some(maker), Some(start), Some(peak), Some(ramp_years)) =
                (plant, maker, start, peak, ramp_years)
            {
                programmes.push(Programme {
                    id: id.clone(),
                    plant,
                    maker,
                    start,
                    peak,
                    ramp_years,
                    curve: section.curve.unwrap_or_default(),
                    ends,
                    enabled: section.enabled.unwrap_or(true),
                    powertrain,
                    battery_kwh,
                    jobs,
                });
            }
        }
        programmes
    }

    /// Rule 3 as filed: a programme that starts before its new plant opens, or runs on at a
    /// plant that has closed, is valid (the plant has no capacity then) but is probably not
    /// what was meant, so it is a warning, judged on the central values. Drawn or `--set`
    /// dates that no longer fit therefore never stop a run.
    fn dates_that_do_not_fit(
        &mut self,
        programmes: &[Programme],
        plant_changes: &BTreeMap<String, PlantChange>,
        new_plants: &[NewPlant],
        end: i32,
    ) {
        let span = |from: i32, to: i32| {
            if from == to {
                from.to_string()
            } else {
                format!("{from}-{to}")
            }
        };
        for p in programmes.iter().filter(|p| p.enabled) {
            let (id, plant) = (p.id.as_str(), p.plant.as_str());
            // The last year with output of the programme's own, within the horizon.
            let last = p.ends.map_or(end, |e| e - 1).min(end);
            if let Some(new) = new_plants.iter().find(|n| n.id == plant)
                && p.start < new.opens
            {
                let opens = new.opens;
                let at = self.set_at(&["new_plants", plant, "opens"]);
                let years = span(p.start, last.min(opens - 1));
                self.warn(
                    &["programmes", id, "start"],
                    Part::Value,
                    format!(
                        "programme `{id}` starts in {}, before plant `{plant}` opens in {opens}{at}: the plant has no capacity in {years}, so the programme makes nothing then (its demand shows as `constrained` in plants.csv)",
                        p.start
                    ),
                    Some(format!(
                        "if that is not what you meant, start it in {opens} or later, or open the plant earlier"
                    )),
                );
            }
            if let Some(closes) = plant_changes.get(plant).and_then(|c| c.closes)
                && p.start.max(closes) <= last
            {
                let at = self.set_at(&["plants", plant, "closes"]);
                let years = span(p.start.max(closes), last);
                self.warn(
                    &["programmes", id, "plant"],
                    Part::Value,
                    format!(
                        "programme `{id}` runs at plant `{plant}`, which closes in {closes}{at}: it makes nothing in {years}, as a closed plant makes nothing (its demand shows as `constrained` in plants.csv)"
                    ),
                    Some(format!(
                        "if that is what you meant, say so with `ends = {}` in [programmes.{id}]",
                        p.start.max(closes)
                    )),
                );
            }
        }
    }

    fn shocks(
        &mut self,
        file: &ScenarioFile,
        data: &Dataset,
        new_plants: &[NewPlant],
        end: i32,
    ) -> Vec<Shock> {
        let mut shocks = Vec::new();
        let operators: Vec<&str> = data
            .plants
            .iter()
            .map(|p| p.operator.as_str())
            .chain(new_plants.iter().map(|n| n.operator.as_str()))
            .collect();
        for (i, section) in file.shocks.iter().flatten().enumerate() {
            let at = |field: &str| {
                vec![
                    Seg::Key("shocks".into()),
                    Seg::Index(i),
                    Seg::Key(field.into()),
                ]
            };
            let index = i.to_string();
            let p = |field: &'static str| ["shocks", index.as_str(), field];
            let year = match section.year {
                None if self.explained(&p("year")) => None,
                None => {
                    self.report_at(
                        &at("year")[..2].to_vec(),
                        Part::Key,
                        format!("shock {i} needs `year`"),
                        None,
                    );
                    None
                }
                Some(y) => self.num_year(&p("year"), Some(y), end, "", Slot::ShockYear(i)),
            };
            let lost_weeks = match section.lost_weeks {
                None if self.explained(&p("lost_weeks")) => None,
                None => {
                    self.report_at(
                        &at("lost_weeks")[..2].to_vec(),
                        Part::Key,
                        format!("shock {i} needs `lost_weeks`"),
                        None,
                    );
                    None
                }
                Some(w) => self.num(
                    &p("lost_weeks"),
                    Some(w),
                    Slot::ShockLostWeeks(i),
                    Self::lost_weeks,
                ),
            };
            self.probability(
                &p("probability"),
                section.probability,
                Slot::ShockHappens(i),
            );
            let scope = match (&section.plant, &section.maker) {
                (Some(_), Some(_)) => {
                    self.report_at(
                        &at("maker"),
                        Part::Key,
                        "a shock hits either one `plant` or one `maker`, not both".into(),
                        None,
                    );
                    None
                }
                (Some(plant), None) => {
                    let known =
                        data.plant(plant).is_some() || new_plants.iter().any(|n| &n.id == plant);
                    if !known {
                        let ids = data
                            .plant_ids()
                            .chain(new_plants.iter().map(|n| n.id.as_str()));
                        self.report_at(
                            &at("plant"),
                            Part::Value,
                            format!("unknown plant `{plant}`"),
                            did_you_mean(plant, ids),
                        );
                    }
                    known.then(|| ShockScope::Plant(plant.clone()))
                }
                (None, Some(maker)) => {
                    let known = operators.contains(&maker.as_str());
                    if !known {
                        let mut names = operators.clone();
                        names.sort_unstable();
                        names.dedup();
                        self.report_at(
                            &at("maker"),
                            Part::Value,
                            format!(
                                "no plant is operated by `{maker}` (operators: {})",
                                names.join(", ")
                            ),
                            did_you_mean(maker, names.iter().copied()),
                        );
                    }
                    known.then(|| ShockScope::Maker(maker.clone()))
                }
                (None, None) => Some(ShockScope::All),
            };
            if let (Some(year), Some(lost_weeks), Some(scope)) = (year, lost_weeks, scope) {
                shocks.push(Shock {
                    year,
                    scope,
                    lost_weeks,
                });
            }
        }
        shocks
    }
}

/// A number as a message shows it: very large or very small ones as `1e308`, not 309 digits.
fn shown(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude >= 1e15 || (magnitude > 0.0 && magnitude < 1e-6) {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

/// The lowest and highest value a number can take.
fn extent(value: &Num<i64>) -> (i64, i64) {
    match *value {
        Num::Fixed(v) => (v, v),
        Num::Range { low, high, .. } => (low, high),
    }
}

/// Every maker a scenario names, sorted: plant operators, new plants' operators, programmes'
/// makers, and `Other` for the residual.
fn makers<'a>(
    file: &'a ScenarioFile,
    data: &'a Dataset,
    new_plants: &'a [NewPlant],
    programmes: &'a [Programme],
) -> Vec<&'a str> {
    let mut makers: Vec<&str> = data.plants.iter().map(|p| p.operator.as_str()).collect();
    makers.extend(new_plants.iter().map(|n| n.operator.as_str()));
    makers.extend(programmes.iter().map(|p| p.maker.as_str()));
    // A programme with a problem of its own is not in `programmes`; its maker still counts,
    // so one mistake does not cascade into a second, misleading error.
    makers.extend(file.programmes.values().filter_map(|p| p.maker.as_deref()));
    makers.push(crate::data::OTHER_MAKER);
    makers.sort_unstable();
    makers.dedup();
    makers
}

/// Write every default into the resolved table, so the saved scenario states all it assumed.
fn fill_defaults(scenario: &mut Scenario) {
    let programmes = scenario.programmes.iter().map(|p| {
        let defaults = table([
            ("maker", Value::String(p.maker.clone())),
            ("ramp_years", Value::Integer(p.ramp_years.into())),
            ("curve", Value::String(p.curve.as_str().into())),
            ("enabled", Value::Boolean(p.enabled)),
        ]);
        (p.id.clone(), Value::Table(defaults))
    });
    let mut defaults = table([
        ("description", Value::String(scenario.description.clone())),
        (
            "horizon",
            Value::Table(table([(
                "end_year",
                Value::Integer(scenario.end_year.into()),
            )])),
        ),
        (
            "target",
            Value::Table(table([
                ("volume", number(scenario.target.volume)),
                ("year", Value::Integer(scenario.target.year.into())),
            ])),
        ),
        (
            "assumptions",
            Value::Table(table([
                ("utilisation_cap", Value::Float(scenario.utilisation_cap)),
                ("other_growth", Value::Float(scenario.other_growth)),
                (
                    "data_uncertainty",
                    Value::Boolean(scenario.data_uncertainty),
                ),
                (
                    "existing_jobs",
                    Value::String(scenario.existing_jobs.as_str().into()),
                ),
            ])),
        ),
        ("programmes", Value::Table(programmes.collect())),
    ]);
    merge(&mut defaults, std::mem::take(&mut scenario.resolved));
    if defaults
        .get("programmes")
        .and_then(Value::as_table)
        .is_some_and(Table::is_empty)
    {
        defaults.remove("programmes");
    }
    scenario.resolved = defaults;
}

fn table<const N: usize>(entries: [(&str, Value); N]) -> Table {
    entries
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// Whole numbers as TOML integers, so volumes read as written.
fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        Value::Integer(x as i64)
    } else {
        Value::Float(x)
    }
}
