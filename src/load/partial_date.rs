//! Dates as records know them: a year (`2018`), a month (`2018-05`) or a day (`2018-05-03`).
//!
//! A council's record of a workshop years ago often knows only the year or the month; asking for a
//! full date makes an author invent a day. [`PartialDate`] holds what was written, no more.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A date known to the year, the month or the day; written `2018`, `2018-05` or `2018-05-03`.
///
/// Dates order by year, then month, then day, a date known less precisely before the more precise
/// ones within it (`2018` < `2018-01` < `2018-01-01`). It is written back, in `workbook.json` and
/// everywhere else, exactly as the author wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    year: i16,
    month: Option<i8>,
    day: Option<i8>,
}

/// The beginning of every error message of a partial date, so that the diagnostic gives the partial
/// date's help rather than that of a full date.
pub const ERROR_PREFIX: &str = "not a year, month or date";

/// The month names, for [`PartialDate::label`].
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PartialDate {
    /// Reads `2018`, `2018-05` or `2018-05-03`; a month must be 01 to 12 and a day must exist in
    /// its month.
    pub fn parse(text: &str) -> Result<PartialDate, String> {
        let bad = |why: &str| format!("{ERROR_PREFIX}: `{text}` ({why})");
        let mut parts = text.split('-');
        let digits = |part: &str, n: usize| part.len() == n && part.bytes().all(|b| b.is_ascii_digit());
        let year = parts.next().unwrap_or_default();
        if !digits(year, 4) {
            return Err(bad("a four-digit year first"));
        }
        let year: i16 = year.parse().map_err(|_| bad("a four-digit year first"))?;
        if year == 0 {
            return Err(bad("a real year first (there was no year 0000)"));
        }
        let month = match parts.next() {
            None => None,
            Some(m) if digits(m, 2) => match m.parse::<i8>() {
                Ok(m @ 1..=12) => Some(m),
                _ => return Err(bad("the month must be 01 to 12")),
            },
            Some(_) => return Err(bad("a two-digit month after the year")),
        };
        let day = match parts.next() {
            None => None,
            Some(d) if digits(d, 2) => {
                let day: i8 = d.parse().map_err(|_| bad("a two-digit day after the month"))?;
                let month = month.unwrap_or(1);
                if jiff::civil::Date::new(year, month, day).is_err() {
                    return Err(bad("that day does not exist in that month"));
                }
                Some(day)
            }
            Some(_) => return Err(bad("a two-digit day after the month")),
        };
        if parts.next().is_some() {
            return Err(bad("at most year, month and day"));
        }
        Ok(PartialDate { year, month, day })
    }

    /// The date as a reader sees it: `2018`, `May 2018` or `3 May 2018`.
    pub fn label(&self) -> String {
        let month = |m: i8| MONTHS[usize::try_from(m - 1).unwrap_or_default()];
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", month(m), self.year),
            (Some(m), None) => format!("{} {}", month(m), self.year),
            _ => self.year.to_string(),
        }
    }

    /// The year.
    pub fn year(&self) -> i16 {
        self.year
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for PartialDate {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        PartialDate::parse(s)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = PartialDate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a year, a month or a date: 2018, 2018-05 or 2018-05-03")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<PartialDate, E> {
                PartialDate::parse(v.trim()).map_err(E::custom)
            }
            // YAML reads `when: 2018` as a number.
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<PartialDate, E> {
                PartialDate::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<PartialDate, E> {
                PartialDate::parse(&v.to_string()).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl JsonSchema for PartialDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PartialDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A year, a month or a date: `2018`, `2018-05` or `2018-05-03`.",
            "type": ["string", "integer"],
            "minimum": 1000,
            "maximum": 9999,
            "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$",
            "examples": ["2018", "2018-05", "2018-05-03"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_months_and_days_are_read_and_written_back_as_written() {
        for (text, label) in [("2018", "2018"), ("2018-05", "May 2018"), ("2018-05-03", "3 May 2018")] {
            let date = PartialDate::parse(text).unwrap();
            assert_eq!(date.to_string(), text);
            assert_eq!(date.label(), label);
        }
        assert_eq!(PartialDate::parse("2024-02-29").unwrap().label(), "29 February 2024");
    }

    #[test]
    fn impossible_and_malformed_dates_are_refused() {
        for bad in [
            "",
            "18",
            "2018-5",
            "2018-13",
            "2018-00",
            "2023-02-29",
            "2018-04-31",
            "2018-05-03-01",
            "May 2018",
        ] {
            let error = PartialDate::parse(bad).unwrap_err();
            assert!(error.starts_with(ERROR_PREFIX), "{bad}: {error}");
        }
        assert!(PartialDate::parse("2018-13").unwrap_err().contains("01 to 12"));
        assert!(PartialDate::parse("2023-02-29").unwrap_err().contains("does not exist"));
    }

    #[test]
    fn less_precise_dates_come_first_within_their_span() {
        let d = |s| PartialDate::parse(s).unwrap();
        assert!(d("2018") < d("2018-01"));
        assert!(d("2018-01") < d("2018-01-01"));
        assert!(d("2018-12-31") < d("2019"));
        assert!(d("2018-05") < d("2018-06"));
    }

    #[test]
    fn yaml_numbers_and_strings_both_deserialize() {
        #[derive(Deserialize)]
        struct When {
            when: PartialDate,
        }
        let year: When = serde_yaml::from_str("when: 2018").unwrap();
        assert_eq!(year.when.to_string(), "2018");
        let month: When = serde_yaml::from_str("when: 2018-05").unwrap();
        assert_eq!(month.when.to_string(), "2018-05");
        let json = serde_json::to_string(&month.when).unwrap();
        assert_eq!(json, "\"2018-05\"");
        assert!(serde_yaml::from_str::<When>("when: 2018-13").is_err());
    }
}
