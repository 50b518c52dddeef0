//! Scenario settings as a reader writes them: "peak 55,000 from 2028 over 3 years",
//! "30,000–150,000, most likely 55,000", "50% chance", never TOML.

use toml::Value;

use crate::number::thousands;

/// What a number is, which decides how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Vehicles: thousands separators.
    Count,
    /// A calendar year: no separator.
    Year,
    /// A share between 0 and 1, as a percentage.
    Share,
    /// A yearly growth rate, as a signed percentage.
    Growth,
    /// A number as written (weeks, years of ramp).
    Plain,
}

/// One number (or a string, as written) of the given kind.
pub fn number(value: &Value, kind: Kind) -> String {
    let x = match value {
        Value::Integer(i) => *i as f64,
        Value::Float(f) => *f,
        Value::String(text) => return text.clone(),
        Value::Boolean(b) => return if *b { "yes" } else { "no" }.into(),
        other => return other.to_string(),
    };
    match kind {
        Kind::Count => thousands(x),
        Kind::Year => format!("{}", x.round() as i64),
        Kind::Share => format!("{}%", trim(x * 100.0)),
        Kind::Growth => {
            let sign = if x > 0.0 {
                "+"
            } else if x < 0.0 {
                "−"
            } else {
                ""
            };
            format!("{sign}{}%", trim(x.abs() * 100.0))
        }
        Kind::Plain => trim(x),
    }
}

/// A number with at most two decimals and no trailing zeros: 5.5, 3, 85, 12.25.
fn trim(x: f64) -> String {
    let text = format!("{:.2}", x);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.to_string()
    }
}

/// Whether a value is a range `{ low, mode, high }`.
pub fn is_range(value: &Value) -> bool {
    matches!(value, Value::Table(t) if t.contains_key("mode"))
}

/// A value that may be a range: "55,000", or "30,000–150,000, most likely 55,000" (with
/// `inner`, "30,000–150,000 (most likely 55,000)", for a value inside a longer phrase).
pub fn quantity(value: &Value, kind: Kind, inner: bool) -> String {
    match value {
        Value::Table(t) if t.contains_key("mode") => {
            let end = |k: &str| t.get(k).map(|v| number(v, kind)).unwrap_or_default();
            let (low, mode, high) = (end("low"), end("mode"), end("high"));
            if inner {
                format!("{low}–{high} (most likely {mode})")
            } else {
                format!("{low}–{high}, most likely {mode}")
            }
        }
        other => number(other, kind),
    }
}

/// A probability as a chance: "50% chance".
pub fn chance(value: &Value) -> String {
    format!("{} chance", quantity(value, Kind::Share, false))
}

/// A value with its unit after the numbers: "5.5 weeks lost", "2–8 weeks lost, most likely 4"
/// (with `inner`, "2–8 weeks lost (most likely 4)").
pub fn measure(value: &Value, kind: Kind, unit: &str, inner: bool) -> String {
    match value {
        Value::Table(t) if t.contains_key("mode") => {
            let end = |k: &str| t.get(k).map(|v| number(v, kind)).unwrap_or_default();
            let (low, mode, high) = (end("low"), end("mode"), end("high"));
            if inner {
                format!("{low}–{high} {unit} (most likely {mode})")
            } else {
                format!("{low}–{high} {unit}, most likely {mode}")
            }
        }
        other => format!("{} {unit}", number(other, kind)),
    }
}

/// "3 years" or "1 year", ranges included ("2–4 years (most likely 3)").
pub fn years(value: &Value) -> String {
    let one = matches!(value, Value::Integer(1));
    measure(value, Kind::Plain, if one { "year" } else { "years" }, true)
}

/// Output waypoints `{ 2027 = 90000, 2030 = 120000 }`: "90,000 in 2027, 120,000 from 2030"
/// (output is held after the last one).
pub fn waypoints(value: &Value) -> String {
    let Value::Table(points) = value else {
        return quantity(value, Kind::Count, false);
    };
    let mut points: Vec<(&String, &Value)> = points.iter().collect();
    points.sort_by_key(|(year, _)| year.parse::<i64>().unwrap_or(i64::MAX));
    let last = points.len().saturating_sub(1);
    points
        .iter()
        .enumerate()
        .map(|(i, (year, v))| {
            let word = if i == last { "from" } else { "in" };
            format!("{} {word} {year}", waypoint(v))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One waypoint's output: "90,000", "1.2 times its base-year output", "its 2023 output".
fn waypoint(value: &Value) -> String {
    if let Value::Table(t) = value {
        if let Some(m) = t.get("of_base") {
            return measure(m, Kind::Plain, "times its base-year output", true);
        }
        if let Some(y) = t.get("of_year") {
            return format!("its {} output", number(y, Kind::Year));
        }
    }
    quantity(value, Kind::Count, true)
}

/// Clauses joined for a register cell: "a; b; c" with the first letter capitalised.
pub fn sentence(clauses: &[String]) -> String {
    let text = clauses
        .iter()
        .filter(|c| !c.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(low: i64, mode: i64, high: i64) -> Value {
        toml::from_str::<toml::Table>(&format!(
            "v = {{ low = {low}, mode = {mode}, high = {high} }}"
        ))
        .unwrap()["v"]
            .clone()
    }

    #[test]
    fn numbers_by_kind() {
        assert_eq!(number(&Value::Integer(150_000), Kind::Count), "150,000");
        assert_eq!(number(&Value::Integer(2028), Kind::Year), "2028");
        assert_eq!(number(&Value::Float(0.5), Kind::Share), "50%");
        assert_eq!(number(&Value::Float(0.855), Kind::Share), "85.5%");
        assert_eq!(number(&Value::Float(1.0), Kind::Share), "100%");
        assert_eq!(number(&Value::Float(-0.03), Kind::Growth), "−3%");
        assert_eq!(number(&Value::Float(0.02), Kind::Growth), "+2%");
        assert_eq!(number(&Value::Float(0.0), Kind::Growth), "0%");
        assert_eq!(number(&Value::Float(5.5), Kind::Plain), "5.5");
    }

    #[test]
    fn ranges_read_low_to_high_then_the_most_likely() {
        let peak = range(30_000, 55_000, 150_000);
        assert_eq!(
            quantity(&peak, Kind::Count, false),
            "30,000–150,000, most likely 55,000"
        );
        assert_eq!(
            quantity(&range(2027, 2028, 2030), Kind::Year, true),
            "2027–2030 (most likely 2028)"
        );
        assert_eq!(years(&Value::Integer(1)), "1 year");
        assert_eq!(years(&Value::Integer(3)), "3 years");
        assert_eq!(chance(&Value::Float(0.3)), "30% chance");
    }

    #[test]
    fn waypoints_in_year_order_held_after_the_last() {
        let table: toml::Table = toml::from_str("v = { 2030 = 120000, 2027 = 90000 }").unwrap();
        assert_eq!(waypoints(&table["v"]), "90,000 in 2027, 120,000 from 2030");
        let table: toml::Table = toml::from_str(
            "v = { 2028 = { of_year = 2023 }, 2030 = { of_base = { low = 1.1, mode = 1.2, high = 1.35 } } }",
        )
        .unwrap();
        assert_eq!(
            waypoints(&table["v"]),
            "its 2023 output in 2028, 1.1–1.35 times its base-year output (most likely 1.2) from 2030"
        );
        assert_eq!(
            sentence(&["peak 5".into(), String::new(), "x".into()]),
            "Peak 5; x"
        );
    }
}
