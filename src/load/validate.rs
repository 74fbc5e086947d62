//! Every error of a YAML document at once: the document, read as a tree, is checked against the JSON
//! Schema its types generate ([`crate::export::schema`]), so that an unknown key does not hide a bad
//! value further down, as serde's first error would.
//!
//! This is a walk of our own over the few draft-07 keywords schemars writes (`$ref`, `allOf`,
//! `oneOf`/`anyOf`, `type`, `const`/`enum`, `properties`, `additionalProperties`, `required`,
//! `items`, `minItems`/`maxItems`, `minimum`/`maximum`, `format: date`) rather than the `jsonschema`
//! crate: each finding needs the schema beside it (the keys a mapping allows, for "did you mean";
//! the values an enum allows), which a validator's errors do not carry, and it must accept exactly
//! what serde accepts from YAML (a number where text is expected, `~` for an empty string), which a
//! JSON validator would not. A keyword the walk does not know is not checked: serde still is, so
//! nothing is let through, it is only reported one at a time.

use super::locate::Positions;
use super::source::SourceFile;
use super::yaml_error::{date_reason, humanise, suggest};
use crate::diagnostic::{Code, Diagnostic};
use serde_json::Value as Schema;
use serde_yaml::Value;
use std::sync::OnceLock;

/// The schema of an answer's front matter, generated once.
pub(super) fn answer_schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(crate::export::schema::answer)
}

/// The schema of `workbook.yaml`, generated once.
pub(super) fn settings_schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(crate::export::schema::settings)
}

/// The schema of a page file's front matter, generated once.
pub(super) fn page_schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(crate::export::schema::page)
}

/// Keys and items nested deeper than this are not walked: nothing an author writes is, and a hostile
/// file must not exhaust the stack (the YAML reader refuses far deeper nesting anyway).
const MAX_DEPTH: usize = 64;

/// One way a document departs from its schema, at a path such as `risks[2].likelihood`.
#[derive(Debug, Clone, PartialEq)]
enum Finding {
    /// A key the mapping at `path` does not allow; `known` are the keys it does.
    UnknownKey { path: String, key: String, known: Vec<String> },
    /// A value that is not one of `choices`.
    NotAChoice { path: String, value: String, choices: Vec<String> },
    /// A key the mapping at `path` must have.
    Missing { path: String, key: String },
    /// A value of the wrong kind; `message` is in serde's words ("invalid type: …, expected …").
    WrongType { path: String, message: String },
    /// A date that cannot be read; `reason` is the date parser's.
    BadDate { path: String, reason: String },
}

/// The diagnostics of every departure of `yaml` from `schema`, in the order of the document. Empty
/// when the YAML cannot be read as a tree (a syntax error, a duplicate key, an alias bomb) or when it
/// meets the schema: the caller then reports serde's own error.
pub(super) fn diagnose_all(
    file: &SourceFile,
    first_line: usize,
    yaml: &str,
    schema: &Schema,
    whole: &str,
) -> Vec<Diagnostic> {
    let Ok(tree) = serde_yaml::from_str::<Value>(yaml) else { return Vec::new() };
    // An empty document is an empty mapping to serde: every required key is missing.
    let tree = if tree.is_null() { Value::Mapping(Default::default()) } else { tree };
    let mut findings = Vec::new();
    Walk { root: schema }.node(schema, &tree, "", 0, &mut findings);
    if findings.is_empty() {
        return Vec::new();
    }
    let positions = Positions::of(yaml);
    let mut diagnostics: Vec<Diagnostic> =
        findings.iter().map(|f| diagnostic(file, first_line, yaml, &positions, f, whole)).collect();
    // A key found mis-indented is reported there once, not also as unknown where it landed.
    let misplaced: Vec<(String, Option<(usize, usize)>)> = diagnostics
        .iter()
        .filter(|d| d.code == Code::YamlSyntax)
        .filter_map(|d| {
            let key = d.message.strip_prefix('`')?.split('`').next()?;
            Some((format!("unknown key `{key}`"), d.location.as_ref().map(|l| (l.line, l.column))))
        })
        .collect();
    diagnostics.retain(|d| {
        d.code != Code::UnknownKey
            || !misplaced.iter().any(|(message, place)| {
                *message == d.message && *place == d.location.as_ref().map(|l| (l.line, l.column))
            })
    });
    sort_by_place(&mut diagnostics);
    // One mis-indented line can be found from two sides (a value that runs on, a key then missing).
    diagnostics.dedup();
    diagnostics
}

/// Sorts diagnostics by line and column, keeping the order of those at one place.
pub(super) fn sort_by_place(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| d.location.as_ref().map(|l| (l.line, l.column)));
}

struct Walk<'a> {
    root: &'a Schema,
}

impl<'a> Walk<'a> {
    /// The schema `#/definitions/X` names, or the schema itself when it is not a reference.
    fn resolve(&self, schema: &'a Schema) -> &'a Schema {
        let mut schema = schema;
        for _ in 0..16 {
            let Some(reference) = schema.get("$ref").and_then(Schema::as_str) else { break };
            let Some(found) = reference.strip_prefix('#').and_then(|pointer| self.root.pointer(pointer))
            else {
                break;
            };
            schema = found;
        }
        schema
    }

    fn node(&self, schema: &'a Schema, value: &Value, path: &str, depth: usize, out: &mut Vec<Finding>) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.resolve(schema);
        // A tag (`!foo x`) does not change what serde reads.
        let value = match value {
            Value::Tagged(tagged) => &tagged.value,
            other => other,
        };
        for part in schema.get("allOf").and_then(Schema::as_array).into_iter().flatten() {
            self.node(part, value, path, depth + 1, out);
        }
        if let Some(branches) = schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(Schema::as_array)
        {
            self.branches(branches, value, path, depth, out);
        }
        if let Some(types) = schema.get("type") {
            let types: Vec<&str> = match types {
                Schema::String(t) => vec![t.as_str()],
                Schema::Array(ts) => ts.iter().filter_map(Schema::as_str).collect(),
                _ => Vec::new(),
            };
            if !types.is_empty() && !types.iter().any(|t| accepts(t, schema, value)) {
                let expected = types.iter().find(|t| **t != "null").copied().unwrap_or("null");
                let verb =
                    if is_out_of_range(expected, schema, value) { "invalid value" } else { "invalid type" };
                out.push(Finding::WrongType {
                    path: path.to_owned(),
                    message: format!(
                        "{verb}: {}, expected {}",
                        found(value),
                        expected_words(expected, schema)
                    ),
                });
                return;
            }
        }
        if let Some(choices) = choices(schema) {
            self.choose(&choices, value, path, out);
        }
        match value {
            Value::Mapping(map) => self.mapping(schema, map, path, depth, out),
            Value::Sequence(items) => self.sequence(schema, items, path, depth, out),
            _ => {}
        }
        if schema.get("format").and_then(Schema::as_str) == Some("date")
            && let Some(text) = scalar_text(value)
            && let Err(e) = text.parse::<jiff::civil::Date>()
        {
            out.push(Finding::BadDate { path: path.to_owned(), reason: e.to_string() });
        }
    }

    /// `oneOf`/`anyOf`: an enum when every branch is a constant; otherwise the value must meet one
    /// branch, and when it meets none, the findings of the branch that takes its kind are reported.
    fn branches(
        &self,
        branches: &'a [Schema],
        value: &Value,
        path: &str,
        depth: usize,
        out: &mut Vec<Finding>,
    ) {
        let resolved: Vec<&Schema> = branches.iter().map(|b| self.resolve(b)).collect();
        let constants: Option<Vec<String>> = resolved.iter().map(|b| constant(b)).collect();
        if let Some(choices) = constants {
            self.choose(&choices, value, path, out);
            return;
        }
        let mut tried = Vec::new();
        for branch in branches {
            let mut found = Vec::new();
            self.node(branch, value, path, depth + 1, &mut found);
            if found.is_empty() {
                return;
            }
            tried.push(found);
        }
        // The branch whose findings are not about the value's kind is the one the author meant.
        let meant = tried.iter().position(|found| {
            !found.iter().any(|f| matches!(f, Finding::WrongType { path: p, .. } if p == path))
        });
        match meant {
            Some(i) => out.append(&mut tried.swap_remove(i)),
            None => {
                out.push(Finding::WrongType {
                    path: path.to_owned(),
                    message: format!("invalid type: {}, expected one of the forms it may take", found(value)),
                });
            }
        }
    }

    /// A value that must be one of `choices`.
    fn choose(&self, choices: &[String], value: &Value, path: &str, out: &mut Vec<Finding>) {
        match scalar_text(value) {
            Some(text) if choices.contains(&text) => {}
            Some(text) => out.push(Finding::NotAChoice {
                path: path.to_owned(),
                value: text,
                choices: choices.to_vec(),
            }),
            None => out.push(Finding::WrongType {
                path: path.to_owned(),
                message: format!("invalid type: {}, expected one of: {}", found(value), choices.join(", ")),
            }),
        }
    }

    fn mapping(
        &self,
        schema: &'a Schema,
        map: &serde_yaml::Mapping,
        path: &str,
        depth: usize,
        out: &mut Vec<Finding>,
    ) {
        let properties = schema.get("properties").and_then(Schema::as_object);
        let additional = schema.get("additionalProperties");
        let child = |key: &str| if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
        let known: Vec<String> = properties.map(|p| p.keys().cloned().collect()).unwrap_or_default();
        let mut keys = Vec::new();
        let mut unknown = Vec::new();
        for (key, value) in map {
            let Some(key) = scalar_text(key) else { continue };
            match (properties.and_then(|p| p.get(&key)), additional) {
                (Some(property), _) => self.node(property, value, &child(&key), depth + 1, out),
                (None, Some(Schema::Bool(false))) => {
                    unknown.push(key.clone());
                    out.push(Finding::UnknownKey {
                        path: child(&key),
                        key: key.clone(),
                        known: known.clone(),
                    });
                }
                (None, Some(extra @ Schema::Object(_))) => {
                    self.node(extra, value, &child(&key), depth + 1, out);
                }
                _ => {}
            }
            keys.push(key);
        }
        for required in schema.get("required").and_then(Schema::as_array).into_iter().flatten() {
            // A misspelt key is reported once, as unknown with "did you mean": not also as missing.
            if let Some(key) = required.as_str()
                && !keys.iter().any(|k| k == key)
                && !unknown.iter().any(|u| suggest(u, &known) == Some(key))
            {
                out.push(Finding::Missing { path: path.to_owned(), key: key.to_owned() });
            }
        }
    }

    fn sequence(
        &self,
        schema: &'a Schema,
        items: &[Value],
        path: &str,
        depth: usize,
        out: &mut Vec<Finding>,
    ) {
        let count = items.len() as u64;
        let min = schema.get("minItems").and_then(Schema::as_u64);
        let max = schema.get("maxItems").and_then(Schema::as_u64);
        if min.is_some_and(|m| count < m) || max.is_some_and(|m| count > m) {
            let expected = match (min, max) {
                (Some(a), Some(b)) if a == b => format!("{a} items"),
                (Some(a), Some(b)) => format!("{a} to {b} items"),
                (Some(a), None) => format!("at least {a} items"),
                (_, Some(b)) => format!("at most {b} items"),
                (None, None) => String::new(),
            };
            out.push(Finding::WrongType {
                path: path.to_owned(),
                message: format!("invalid length {count}, expected {expected}"),
            });
        }
        match schema.get("items") {
            Some(Schema::Array(positional)) => {
                for (i, (item, item_schema)) in items.iter().zip(positional).enumerate() {
                    self.node(item_schema, item, &format!("{path}[{i}]"), depth + 1, out);
                }
            }
            Some(each @ Schema::Object(_)) => {
                for (i, item) in items.iter().enumerate() {
                    self.node(each, item, &format!("{path}[{i}]"), depth + 1, out);
                }
            }
            _ => {}
        }
    }
}

/// The constant a schema allows, when it allows only one (`const`, or a one-value `enum`).
fn constant(schema: &Schema) -> Option<String> {
    match (schema.get("const"), schema.get("enum").and_then(Schema::as_array)) {
        (Some(Schema::String(c)), _) => Some(c.clone()),
        (None, Some(values)) if values.len() == 1 => values[0].as_str().map(str::to_owned),
        _ => None,
    }
}

/// The values a schema allows, when it lists them (`enum` of text, or `const`).
fn choices(schema: &Schema) -> Option<Vec<String>> {
    if let Some(c) = schema.get("const").and_then(Schema::as_str) {
        return Some(vec![c.to_owned()]);
    }
    schema.get("enum")?.as_array()?.iter().map(|v| v.as_str().map(str::to_owned)).collect()
}

/// True when `value` is of the JSON Schema type `ty`, as serde reads YAML: text accepts any scalar
/// (`owner: 1234` is the text "1234", `summary: ~` is empty), a number accepts a whole number.
fn accepts(ty: &str, schema: &Schema, value: &Value) -> bool {
    match ty {
        "string" => matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null),
        "integer" => match value {
            Value::Number(n) if n.is_i64() || n.is_u64() => !is_out_of_range(ty, schema, value),
            _ => false,
        },
        "number" => matches!(value, Value::Number(_)),
        "boolean" => matches!(value, Value::Bool(_)),
        "null" => value.is_null(),
        "array" => matches!(value, Value::Sequence(_)),
        "object" => matches!(value, Value::Mapping(_)),
        _ => true,
    }
}

/// True for a whole number outside the range its schema (or its Rust type, `format: uint8`) allows.
fn is_out_of_range(ty: &str, schema: &Schema, value: &Value) -> bool {
    let Value::Number(n) = value else { return false };
    if ty != "integer" {
        return false;
    }
    let Some(n) = n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from)) else { return false };
    let bits = match schema.get("format").and_then(Schema::as_str) {
        Some("uint8") => Some(8),
        Some("uint16") => Some(16),
        Some("uint32") => Some(32),
        Some("uint64") => Some(64),
        _ => None,
    };
    let too_big = bits.is_some_and(|b| n > (1i128 << b) - 1)
        || schema.get("maximum").and_then(Schema::as_f64).is_some_and(|m| n as f64 > m);
    let too_small = schema.get("minimum").and_then(Schema::as_f64).is_some_and(|m| (n as f64) < m);
    too_big || too_small
}

/// What serde would say it expected, for [`humanise`] to put in words.
fn expected_words(ty: &str, schema: &Schema) -> String {
    match (ty, schema.get("format").and_then(Schema::as_str)) {
        ("integer", Some(format)) if format.starts_with("uint") => format!("u{}", &format[4..]),
        ("integer", _) => String::from("a whole number"),
        ("number", _) => String::from("f64"),
        ("string", _) => String::from("a string"),
        ("boolean", _) => String::from("a boolean"),
        ("array", _) => String::from("a sequence"),
        ("object", _) => String::from("a map"),
        (other, _) => other.to_owned(),
    }
}

/// The value as serde's messages name it.
fn found(value: &Value) -> String {
    match value {
        Value::Null => String::from("unit value"),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {s:?}"),
        Value::Sequence(_) => String::from("sequence"),
        Value::Mapping(_) => String::from("map"),
        Value::Tagged(tagged) => found(&tagged.value),
    }
}

/// A scalar as the text serde would read from it.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(tagged) => scalar_text(&tagged.value),
        _ => None,
    }
}

/// The diagnostic for `finding`, worded as those made from serde's errors (see `yaml_error`).
fn diagnostic(
    file: &SourceFile,
    first_line: usize,
    yaml: &str,
    positions: &Positions,
    finding: &Finding,
    whole: &str,
) -> Diagnostic {
    let at = |line: usize, column: usize, width: usize| {
        file.location_at(first_line + line - 1, column, width.max(1))
    };
    let value_at = |path: &str, width: Option<usize>| {
        let ((line, column), w) = positions.best(path).unwrap_or(((1, 1), 1));
        at(line, column, width.unwrap_or(w))
    };
    let last = |path: &str| path.rsplit(['.', '[']).next().unwrap_or_default().to_owned();
    match finding {
        Finding::UnknownKey { path, key, known } => {
            let location = match positions.key(path) {
                Some((line, column)) => at(line, column, key.chars().count()),
                None => value_at(path, Some(1)),
            };
            let d = Diagnostic::new(Code::UnknownKey, format!("unknown key `{key}`")).at(location);
            match suggest(key, known) {
                Some(best) => d.help(format!("did you mean `{best}`?")),
                None => d.help(format!("the keys here are: {}", known.join(", "))),
            }
        }
        Finding::NotAChoice { path, value, choices } => {
            let folded =
                positions.best(path).and_then(|((line, _), _)| super::hints::folded_key(yaml, line, &at));
            if let Some(folded) = folded {
                return folded;
            }
            let key = last(path);
            let what = if key.is_empty() { String::from("value") } else { format!("`{key}`") };
            let d = Diagnostic::new(Code::WrongType, format!("`{value}` is not a valid {what}"))
                .at(value_at(path, Some(value.chars().count())));
            match suggest(value, choices) {
                Some(best) => d.help(format!("did you mean `{best}`? It is one of: {}", choices.join(", "))),
                None => d.help(format!("it is one of: {}", choices.join(", "))),
            }
        }
        Finding::Missing { path, key } => {
            let place = if path.is_empty() { whole.to_owned() } else { format!("`{path}`") };
            let start = positions.value(path).map_or((1, 1), |(start, _)| start);
            super::hints::missing_key(yaml, &place, key, start, &at)
        }
        Finding::WrongType { path, message } => {
            let what = if path.is_empty() { whole.to_owned() } else { format!("`{path}`") };
            Diagnostic::new(Code::WrongType, format!("{what} has the wrong type: {}", humanise(message)))
                .at(value_at(path, Some(1)))
        }
        Finding::BadDate { path, reason } => {
            let written = value_at(path, None);
            let column = written.column;
            let width = written.width;
            let shown: String = written
                .source_line
                .as_deref()
                .map(|s| s.chars().skip(column - 1).take(width).collect())
                .unwrap_or_default();
            Diagnostic::new(
                Code::InvalidDate,
                format!("`{}` is not a real date: {}", last(path), shown.trim()),
            )
            .at(written)
            .help(format!("write dates as YYYY-MM-DD, such as 2026-03-31 ({})", date_reason(reason)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn diagnose(yaml: &str, schema: &Schema) -> Vec<(String, usize, usize)> {
        let file = SourceFile::new(PathBuf::from("answers/01.md"), format!("---\n{yaml}---\n"));
        diagnose_all(&file, 2, yaml, schema, "the front matter")
            .into_iter()
            .map(|d| {
                let l = d.location.expect("placed");
                (format!("{} {}", d.code.code(), d.message), l.line, l.column)
            })
            .collect()
    }

    #[test]
    fn every_departure_from_the_schema_is_found_with_its_place() {
        let yaml = "question: 1\nstatus: draf\nownr: Head of Data\nnext_review: 2026-02-30\nrisks:\n  - risk: Unfair\n    likelihood: often\n";
        let found = diagnose(yaml, answer_schema());
        assert_eq!(
            found,
            vec![
                ("E003 `draf` is not a valid `status`".to_owned(), 3, 9),
                ("E002 unknown key `ownr`".to_owned(), 4, 1),
                ("E004 `next_review` is not a real date: 2026-02-30".to_owned(), 5, 14),
                ("E017 `risks[0]` needs an `impact` key".to_owned(), 7, 5),
                ("E003 `often` is not a valid `likelihood`".to_owned(), 8, 17),
            ]
        );
    }

    #[test]
    fn what_serde_accepts_is_not_a_finding() {
        // Text from a number or nothing, a tagged value, a whole number where any number will do.
        let yaml = "question: 1\nstatus: draft\nowner: 1234\nsummary: ~\nprompts:\n  q1: !md text\nmetrics:\n  - name: Rate\n    value: 7\n";
        assert_eq!(diagnose(yaml, answer_schema()), vec![]);
    }

    #[test]
    fn numbers_out_of_range_and_of_the_wrong_kind_are_wrong_types() {
        let found = diagnose(
            "question: -1\nstatus: draft\nmetrics:\n  - name: Rate\n    value: high\n",
            answer_schema(),
        );
        let codes: Vec<_> = found.iter().map(|(m, l, c)| (&m[..4], *l, *c)).collect();
        assert_eq!(codes, vec![("E003", 2, 11), ("E003", 6, 12)], "{found:?}");
    }
}
