//! A number as its author wrote it: `7.0` stays "7.0", not "7".
//!
//! A statistician who writes `7.0%` is saying the figure is known to one decimal place; printing "7%"
//! would claim less, and `12.50` printed "12.5" would claim less again. YAML's number types forget
//! the digits, so a [`Figure`] asks the YAML deserializer for the scalar's text (`deserialize_str`
//! gives a plain scalar's source characters), reads the number from it as YAML would, and keeps the
//! count of decimals it was written with.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A number with the precision it was written with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    value: f64,
    /// Digits after the decimal point as written; `None` when the written form has none to count
    /// (`1e3`), and the number is shown as [`crate::render::chart::number`] shows it.
    decimals: Option<usize>,
}

impl Figure {
    /// A figure of `value`, shown with `decimals` decimals (or, with `None`, as short as it reads).
    pub fn new(value: f64, decimals: Option<usize>) -> Figure {
        Figure { value, decimals }
    }

    /// Reads a figure from its written form, which YAML's rules for numbers read (`7`, `-3.5`,
    /// `7.0`, `1e3`, `.inf`).
    pub fn parse(text: &str) -> Option<Figure> {
        let text = text.trim();
        let value: f64 = match plain_decimal(text) {
            Some(value) => value,
            None => serde_yaml::from_str(text).ok()?,
        };
        let plain = text.trim_start_matches(['-', '+']);
        let decimals = if plain.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            Some(plain.split_once('.').map_or(0, |(_, fraction)| fraction.len()))
        } else {
            None
        };
        Some(Figure { value, decimals })
    }

    /// The number.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// The number as written: `7.0`, `12.50`, `-3`.
    pub fn text(&self) -> String {
        match self.decimals {
            // Twelve decimals are more than any published figure needs; the cap keeps a hostile
            // `0.000…1` from making a long string.
            Some(decimals) if self.value.is_finite() => {
                let s = format!("{:.*}", decimals.min(12), self.value);
                if s.trim_start_matches('-').bytes().all(|b| b == b'0' || b == b'.') {
                    s.trim_start_matches('-').to_owned()
                } else {
                    s
                }
            }
            _ => crate::render::chart::number(self.value),
        }
    }
}

/// The number a plain decimal (`-?(0|[1-9][0-9]*)(\.[0-9]+)?`, at most 15 digits) reads as. YAML
/// reads such a text as this same number, and every figure is read again each time a record is
/// written, so the common form is read without starting a YAML parser; any other form is YAML's.
fn plain_decimal(text: &str) -> Option<f64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let plain = all_digits(whole)
        && (whole == "0" || !whole.starts_with('0'))
        && fraction.is_none_or(all_digits)
        && whole.len() + fraction.map_or(0, str::len) <= 15;
    if plain { text.parse().ok() } else { None }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl Serialize for Figure {
    /// A number in JSON: consumers of `workbook.json` sum and compare figures.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.value)
    }
}

impl<'de> Deserialize<'de> for Figure {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Figure;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Figure, E> {
                Figure::parse(v).ok_or_else(|| E::invalid_type(serde::de::Unexpected::Str(v), &self))
            }
            // Deserializers that have already read the number (not the YAML one) still work; the
            // figure is then shown as short as it reads.
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Figure, E> {
                Ok(Figure { value: v, decimals: None })
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Figure, E> {
                Ok(Figure { value: v as f64, decimals: Some(0) })
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Figure, E> {
                Ok(Figure { value: v as f64, decimals: Some(0) })
            }
        }
        // The YAML deserializer hands a plain scalar's own characters to `visit_str`.
        deserializer.deserialize_str(Visitor)
    }
}

impl JsonSchema for Figure {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Figure".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A number, shown with as many decimals as it is written with (`7.0` is shown \"7.0\").",
            "type": "number"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A plain decimal reads as YAML reads it.
        #[test]
        fn a_plain_decimal_reads_as_yaml_reads_it(whole in prop_oneof![Just(0u64), 0u64..1_000_000_000], fraction in proptest::option::of("[0-9]{1,6}"), negative: bool) {
            let text = format!("{}{whole}{}", if negative { "-" } else { "" }, fraction.map(|f| format!(".{f}")).unwrap_or_default());
            let yaml: f64 = serde_yaml::from_str(&text).expect("YAML reads it");
            prop_assert_eq!(plain_decimal(&text).map(f64::to_bits), Some(yaml.to_bits()), "{}", text);
        }
    }

    #[test]
    fn only_a_plain_decimal_is_read_without_yaml() {
        for text in
            ["007", "+5", "1e3", ".5", "5.", "0x1F", ".inf", "1_000", "-", "", "1234567890123456", "1.2.3"]
        {
            assert_eq!(plain_decimal(text), None, "{text:?}");
        }
        for text in ["-0", "0", "-0.0", "999999999999999", "-999999999999999"] {
            let yaml: f64 = serde_yaml::from_str(text).expect("YAML reads it");
            assert_eq!(plain_decimal(text).map(f64::to_bits), Some(yaml.to_bits()), "{text:?}");
        }
        assert_eq!(Figure::parse("-0.0").map(|f| f.text()), Some("0.0".to_owned()));
        assert_eq!(Figure::parse("12.50").map(|f| f.text()), Some("12.50".to_owned()));
    }

    #[test]
    fn figures_keep_the_decimals_they_were_written_with() {
        #[derive(Deserialize)]
        struct M {
            value: Figure,
        }
        for (yaml, shown, value) in [
            ("value: 7.0", "7.0", 7.0),
            ("value: 7", "7", 7.0),
            ("value: 12.50", "12.50", 12.5),
            ("value: -3.5", "-3.5", -3.5),
            ("value: 0.126", "0.126", 0.126),
            ("value: -0.0", "0.0", 0.0),
            ("value: 1e3", "1000", 1000.0),
        ] {
            let m: M = serde_yaml::from_str(yaml).unwrap();
            assert_eq!(m.value.text(), shown, "{yaml}");
            assert_eq!(m.value.value(), value, "{yaml}");
        }
        let inf: M = serde_yaml::from_str("value: .inf").unwrap();
        assert!(!inf.value.value().is_finite());
        assert!(serde_yaml::from_str::<M>("value: many").is_err());
        assert!(serde_yaml::from_str::<M>("value: [1]").is_err());
        assert_eq!(serde_json::to_string(&Figure::parse("7.0").unwrap()).unwrap(), "7.0");
    }
}
