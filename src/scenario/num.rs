//! A number in a scenario file: fixed (`peak = 100000`) or a triangular range
//! (`peak = { low = 60000, mode = 100000, high = 150000 }`).

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

/// A fixed number, or a range drawn from a triangular distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num<T> {
    /// One value.
    Fixed(T),
    /// Low, most likely and high values.
    Range {
        /// Lowest possible value.
        low: T,
        /// Most likely value: the one used by the central run.
        mode: T,
        /// Highest possible value.
        high: T,
    },
}

impl<T: Copy> Num<T> {
    /// The central value: the number itself, or the range's mode.
    pub fn central(&self) -> T {
        match *self {
            Num::Fixed(v) => v,
            Num::Range { mode, .. } => mode,
        }
    }
}

/// Numbers a scenario field may hold: floats accept integers too; years are integers only.
pub trait Number: Copy + PartialOrd + fmt::Display {
    /// What the field expects, for error messages.
    const EXPECTING: &'static str;
    /// From a TOML integer.
    fn from_i64(v: i64) -> Option<Self>;
    /// From a TOML float.
    fn from_f64(v: f64) -> Option<Self>;
}

impl Number for f64 {
    const EXPECTING: &'static str = "a number or a range { low, mode, high }";
    fn from_i64(v: i64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(v)
    }
}

impl Number for i64 {
    const EXPECTING: &'static str =
        "a whole number or a range { low, mode, high } of whole numbers";
    fn from_i64(v: i64) -> Option<Self> {
        Some(v)
    }
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
}

struct NumVisitor<T>(PhantomData<T>);

const FIELDS: &[&str] = &["low", "mode", "high"];

impl<'de, T: Number> Visitor<'de> for NumVisitor<T>
where
    Num<T>: Deserialize<'de>,
{
    type Value = Num<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::from_i64(v)
            .map(Num::Fixed)
            .ok_or_else(|| E::invalid_type(de::Unexpected::Signed(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        i64::try_from(v)
            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            .and_then(|v| self.visit_i64(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::from_f64(v)
            .map(Num::Fixed)
            .ok_or_else(|| E::invalid_type(de::Unexpected::Float(v), &self))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut low, mut mode, mut high) = (None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            let slot = match key.as_str() {
                "low" => &mut low,
                "mode" => &mut mode,
                "high" => &mut high,
                other => return Err(de::Error::unknown_field(other, FIELDS)),
            };
            let value: Num<T> = map.next_value()?;
            match value {
                Num::Fixed(v) => *slot = Some(v),
                Num::Range { .. } => {
                    return Err(de::Error::custom(format!(
                        "`{key}` must be a single number"
                    )));
                }
            }
        }
        match (low, mode, high) {
            (Some(low), Some(mode), Some(high)) => Ok(Num::Range { low, mode, high }),
            (None, _, _) => Err(de::Error::missing_field("low")),
            (_, None, _) => Err(de::Error::missing_field("mode")),
            (_, _, None) => Err(de::Error::missing_field("high")),
        }
    }
}

impl<'de> Deserialize<'de> for Num<f64> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NumVisitor(PhantomData))
    }
}

impl<'de> Deserialize<'de> for Num<i64> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NumVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct T {
        v: Num<f64>,
        y: Option<Num<i64>>,
    }

    #[test]
    fn fixed_and_ranges() {
        let t: T = toml::from_str("v = 5\ny = 2030").unwrap();
        assert_eq!(t.v, Num::Fixed(5.0));
        assert_eq!(t.y, Some(Num::Fixed(2030)));
        let t: T = toml::from_str("v = { low = 1, mode = 2.5, high = 4 }").unwrap();
        assert_eq!(
            t.v,
            Num::Range {
                low: 1.0,
                mode: 2.5,
                high: 4.0
            }
        );
        assert_eq!(t.v.central(), 2.5);
    }

    #[test]
    fn errors_name_the_problem() {
        let err = toml::from_str::<T>("v = { low = 1, mdoe = 2, high = 3 }").unwrap_err();
        assert!(
            err.message()
                .contains("unknown field `mdoe`, expected one of `low`, `mode`, `high`"),
            "{err}"
        );
        let err = toml::from_str::<T>("v = { low = 1, high = 3 }").unwrap_err();
        assert!(err.message().contains("missing field `mode`"), "{err}");
        let err = toml::from_str::<T>("v = 1\ny = 2030.5").unwrap_err();
        assert!(
            err.message().contains("invalid type: floating point"),
            "{err}"
        );
        let err = toml::from_str::<T>("v = \"x\"").unwrap_err();
        assert!(
            err.message().contains("expected a number or a range"),
            "{err}"
        );
    }
}
