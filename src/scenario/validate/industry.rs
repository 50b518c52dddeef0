//! Checking the powertrain, battery and jobs fields of a scenario (issue 12).

use std::collections::BTreeMap;

use toml::Value;

use super::super::*;
use super::Checker;
use crate::data::{
    Dataset, MAX_GWH, MAX_JOBS, MAX_KWH, Mix, Powertrain, is_valid_id, powertrain_help,
};
use crate::diagnostic::did_you_mean;

/// How far from 1 a mix's shares may add up to.
pub const MIX_TOLERANCE: f64 = 1e-9;

impl Checker<'_> {
    /// `assumptions.existing_jobs`: "held" (the default) or "follow-output".
    pub(super) fn existing_jobs(&mut self, value: Option<&str>) -> ExistingJobs {
        match value {
            None | Some("held") => ExistingJobs::Held,
            Some("follow-output") => ExistingJobs::FollowOutput,
            Some(other) => {
                self.report(
                    &["assumptions", "existing_jobs"],
                    Part::Value,
                    format!(
                        "unknown rule `{other}`: existing_jobs is `held` (the data's headcount while a plant is open) or `follow-output` (scaled with its existing production)"
                    ),
                    did_you_mean(other, ExistingJobs::NAMES),
                );
                ExistingJobs::Held
            }
        }
    }

    /// A powertrain mix: one name ("BEV"), or a table of shares that add up to 1.
    pub(super) fn mix(&mut self, path: &[&str], value: &Value) -> Option<Mix> {
        let mut mix = [0.0; 4];
        match value {
            Value::String(name) => match Powertrain::parse(name) {
                Some(p) => {
                    mix[p.index()] = 1.0;
                    Some(mix)
                }
                None => {
                    self.report(
                        path,
                        Part::Value,
                        format!("unknown powertrain `{name}`"),
                        powertrain_help(name),
                    );
                    None
                }
            },
            Value::Table(shares) => {
                let mut ok = true;
                for (name, share) in shares {
                    let mut at = path.to_vec();
                    at.push(name);
                    let Some(p) = Powertrain::parse(name) else {
                        self.report(
                            &at,
                            Part::Key,
                            format!("unknown powertrain `{name}`"),
                            powertrain_help(name),
                        );
                        ok = false;
                        continue;
                    };
                    let number = match share {
                        Value::Integer(i) => Some(*i as f64),
                        Value::Float(f) => Some(*f),
                        _ => None,
                    };
                    match number {
                        Some(v) if v.is_finite() && (0.0..=1.0).contains(&v) => mix[p.index()] += v,
                        Some(v) => {
                            self.report(
                                &at,
                                Part::Value,
                                format!("a share is from 0 to 1 (0.6 is 60%), not {v}"),
                                None,
                            );
                            ok = false;
                        }
                        None => {
                            self.report(
                                &at,
                                Part::Value,
                                "a share is a number from 0 to 1; a mix is not drawn from ranges (give the mix you mean, and compare scenarios to see another)".into(),
                                None,
                            );
                            ok = false;
                        }
                    }
                }
                if !ok {
                    return None;
                }
                let sum: f64 = mix.iter().sum();
                if (sum - 1.0).abs() > MIX_TOLERANCE {
                    self.report(
                        path,
                        Part::Value,
                        format!(
                            "the shares add up to {sum}, not 1: a mix says what all of the output is (ICE for the rest)"
                        ),
                        None,
                    );
                    return None;
                }
                Some(mix)
            }
            _ => {
                self.report(
                    path,
                    Part::Value,
                    "a powertrain is a name such as \"BEV\", or a mix of shares such as { BEV = 0.6, PHEV = 0.4 }".into(),
                    None,
                );
                None
            }
        }
    }

    /// `value` if it is finite and `ok`; else a problem at `path`: "PATH must be `what`, not V".
    fn bounded(
        &mut self,
        path: &[&str],
        value: Option<f64>,
        ok: impl Fn(f64) -> bool,
        what: &str,
    ) -> Option<f64> {
        let v = value?;
        if v.is_finite() && ok(v) {
            return Some(v);
        }
        let message = format!("{} must be {what}, not {}", path.join("."), super::shown(v));
        self.report(path, Part::Value, message, None);
        None
    }

    /// A battery size in kWh: above 0 and at most [`MAX_KWH`].
    fn kwh(&mut self, path: &[&str], value: Option<f64>) -> Option<f64> {
        let what = format!("a battery size above 0 and at most {MAX_KWH:.0} kWh");
        self.bounded(path, value, |v| v > 0.0 && v <= MAX_KWH, &what)
    }

    /// Jobs: from 0 to [`MAX_JOBS`].
    pub(super) fn jobs(&mut self, path: &[&str], value: Option<f64>) -> Option<f64> {
        let what = format!("a number of jobs from 0 to {MAX_JOBS:.0}");
        self.bounded(path, value, |v| (0.0..=MAX_JOBS).contains(&v), &what)
    }

    /// A programme's `battery_kwh`: one size for every powertrain with a battery in its mix,
    /// or one per powertrain; each may be a range.
    pub(super) fn battery_kwh(
        &mut self,
        id: &str,
        index: usize,
        value: Option<&Value>,
        mix: Option<Mix>,
    ) -> [Option<f64>; 4] {
        let mut out = [None; 4];
        let Some(value) = value else { return out };
        let path = ["programmes", id, "battery_kwh"];
        let Some(mix) = mix else {
            self.report(
                &path,
                Part::Key,
                format!("programme `{id}` gives `battery_kwh` but no `powertrain`: say what it builds, so the battery goes with the right vehicles"),
                None,
            );
            return out;
        };
        let is_range = matches!(value, Value::Table(t) if t.keys().any(|k| ["low", "mode", "high"].contains(&k.as_str())));
        if !matches!(value, Value::Table(_)) || is_range {
            let num = match Num::<f64>::deserialize(value.clone()) {
                Ok(n) => n,
                Err(e) => {
                    self.report(&path, Part::Value, e.message().to_string(), None);
                    return out;
                }
            };
            let kwh = self.num(&path, Some(num), Slot::ProgrammeKwh(index, 4), Self::kwh);
            for p in Powertrain::ALL {
                if p.has_battery() && mix[p.index()] > 0.0 {
                    out[p.index()] = kwh;
                }
            }
            return out;
        }
        let Value::Table(sizes) = value else {
            return out;
        };
        for (name, size) in sizes {
            let at = ["programmes", id, "battery_kwh", name.as_str()];
            let Some(p) = Powertrain::parse(name) else {
                self.report(
                    &at,
                    Part::Key,
                    format!("unknown powertrain `{name}`"),
                    powertrain_help(name),
                );
                continue;
            };
            if !p.has_battery() {
                self.report(
                    &at,
                    Part::Key,
                    "ICE has no traction battery to size".into(),
                    None,
                );
                continue;
            }
            // A warning, not an error: a child that changes a parent's mix inherits the
            // parent's sizes, and cannot unset one.
            if mix[p.index()] == 0.0 {
                self.warn(
                    &at,
                    Part::Key,
                    format!("programme `{id}` builds no {p} (its `powertrain` gives {p} no share), so this battery size is not used"),
                    None,
                );
                continue;
            }
            match Num::<f64>::deserialize(size.clone()) {
                Ok(num) => {
                    out[p.index()] = self.num(
                        &at,
                        Some(num),
                        Slot::ProgrammeKwh(index, p.index()),
                        Self::kwh,
                    );
                }
                Err(e) => self.report(&at, Part::Value, e.message().to_string(), None),
            }
        }
        out
    }

    /// A plant's `powertrain` waypoints: mixes of its existing production by year.
    pub(super) fn mix_waypoints(
        &mut self,
        id: &str,
        points: &BTreeMap<String, Value>,
        data: &Dataset,
        end: i32,
    ) -> Vec<(i32, Mix)> {
        let mut out = Vec::new();
        if data.base_output(id) <= 0.0 || data.industry.mix(id).is_none() {
            let why = if data.industry.has_powertrain() {
                format!(
                    "plant `{id}` has no base-year output in the data, so it has no existing production to give a mix to: give what it builds as a programme's `powertrain`"
                )
            } else {
                "the data have no powertrain.csv, so existing production has no base-year mix to start from".to_string()
            };
            self.report(&["plants", id, "powertrain"], Part::Key, why, None);
            return out;
        }
        for (year, value) in points {
            let path = ["plants", id, "powertrain", year.as_str()];
            let y = match year.parse::<i64>() {
                Ok(y) if y > i64::from(self.base_year) && y <= i64::from(end) => y as i32,
                _ => {
                    self.report(
                        &path,
                        Part::Key,
                        format!(
                            "plants.{id}.powertrain: waypoint `{year}` must be a year after the base year {} and no later than the end_year {end}",
                            self.base_year
                        ),
                        None,
                    );
                    continue;
                }
            };
            if let Some(mix) = self.mix(&path, value) {
                out.push((y, mix));
            }
        }
        out
    }

    /// Every battery cell plant the scenario runs with: the data's, as `[battery_plants.ID]`
    /// changes them, then new ones.
    pub(super) fn battery_plants(
        &mut self,
        file: &ScenarioFile,
        data: &Dataset,
    ) -> Vec<BatteryPlantSpec> {
        let known = &data.industry.battery_plants;
        let mut out: Vec<BatteryPlantSpec> = known
            .iter()
            .map(|b| BatteryPlantSpec {
                id: b.id.clone(),
                name: b.name.clone(),
                operator: b.operator.clone(),
                capacity: b.capacity.clone(),
                changed: false,
            })
            .collect();
        for (id, section) in &file.battery_plants {
            let at = |field: &'static str| ["battery_plants", id.as_str(), field];
            let existing = out.iter().position(|b| &b.id == id);
            if existing.is_none() && !is_valid_id(id) {
                self.report(
                    &["battery_plants", id],
                    Part::Key,
                    format!("battery plant id `{id}` must be lowercase letters, digits and dashes"),
                    None,
                );
                continue;
            }
            let capacity = section
                .capacity
                .as_ref()
                .map(|steps| self.capacity_steps(id, steps));
            match existing {
                Some(i) => {
                    for (field, value) in [("name", &section.name), ("operator", &section.operator)]
                    {
                        if value.is_some() {
                            self.report(
                                &at(field),
                                Part::Key,
                                format!("`{id}` is a cell plant of the data: its {field} is the data's; change its `capacity`, or add a plant under a new id"),
                                None,
                            );
                        }
                    }
                    match capacity {
                        Some(Some(path)) => {
                            out[i].capacity = path;
                            out[i].changed = true;
                        }
                        Some(None) => {}
                        None => self.report(
                            &["battery_plants", id],
                            Part::Key,
                            format!(
                                "`[battery_plants.{id}]` changes nothing: give its `capacity` path"
                            ),
                            None,
                        ),
                    }
                }
                None => {
                    let name = section.name.clone();
                    let operator = section.operator.clone();
                    if name.is_none() && operator.is_none() && section.capacity.is_none() {
                        self.report(
                            &["battery_plants", id],
                            Part::Key,
                            format!("unknown battery plant `{id}`: it is not in the data (a new one needs `name`, `operator` and `capacity`)"),
                            did_you_mean(id, known.iter().map(|b| b.id.as_str())),
                        );
                        continue;
                    }
                    let name = self.required(&at("name"), &name);
                    let operator = self.required(&at("operator"), &operator);
                    if capacity.is_none() {
                        self.report(
                            &["battery_plants", id],
                            Part::Key,
                            format!("battery plant `{id}` has no capacity path: give `capacity = {{ YEAR = GWH, ... }}`, the GWh a year it can make from each year on"),
                            None,
                        );
                    }
                    if let (Some(name), Some(operator), Some(Some(capacity))) =
                        (name, operator, capacity)
                    {
                        out.push(BatteryPlantSpec {
                            id: id.clone(),
                            name,
                            operator,
                            capacity,
                            changed: true,
                        });
                    }
                }
            }
        }
        out
    }

    /// A cell plant's capacity steps: years as keys, GWh a year (or a range) as values.
    fn capacity_steps(
        &mut self,
        id: &str,
        steps: &BTreeMap<String, Num<f64>>,
    ) -> Option<Vec<(i32, f64)>> {
        if steps.is_empty() {
            self.report(
                &["battery_plants", id, "capacity"],
                Part::Value,
                format!("battery plant `{id}` has an empty capacity path: give at least one year (0 GWh for none)"),
                None,
            );
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for (index, (year, gwh)) in steps.iter().enumerate() {
            let path = ["battery_plants", id, "capacity", year.as_str()];
            let y = match year.parse::<i32>() {
                Ok(y) if (crate::data::FIRST_YEAR..=LAST_YEAR).contains(&y) && year.len() == 4 => y,
                _ => {
                    self.report(
                        &path,
                        Part::Key,
                        format!("capacity step `{year}` must be a year, such as 2028"),
                        None,
                    );
                    ok = false;
                    continue;
                }
            };
            match self.num(
                &path,
                Some(*gwh),
                Slot::BatteryCapacity(id.to_string(), index),
                Self::gwh,
            ) {
                Some(v) => out.push((y, v)),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// A cell plant's capacity: 0 to [`MAX_GWH`] GWh a year.
    fn gwh(&mut self, path: &[&str], value: Option<f64>) -> Option<f64> {
        let what = format!("a cell plant's capacity, from 0 to {MAX_GWH:.0} GWh a year");
        self.bounded(path, value, |v| (0.0..=MAX_GWH).contains(&v), &what)
    }
}

use serde::Deserialize;
