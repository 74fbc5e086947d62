//! Turning a YAML or serde error into a diagnostic with a code, a place and, where it helps, a hint.

use super::locate::Positions;
use super::source::SourceFile;
use crate::diagnostic::{Code, Diagnostic};

/// How messages name an answer's front matter (`workbook.yaml` is named by its file name).
pub(super) const FRONT_MATTER: &str = "the front matter";

/// Keys whose values are dates, so that a failure to read them is reported as a date error.
const DATE_KEYS: &[&str] = &["last_reviewed", "next_review", "when", "date"];

/// Builds the diagnostic for `error`, raised while parsing `yaml`, which starts on line `first_line` of
/// `file`; `whole` names the document in messages ("the front matter", "workbook.yaml").
pub(super) fn diagnose(
    file: &SourceFile,
    first_line: usize,
    yaml: &str,
    error: &serde_yaml::Error,
    whole: &str,
) -> Diagnostic {
    let raw = error.to_string();
    let text = strip_locations(&raw);
    // Nested errors name their path first: `risks[0].owner: invalid type…`.
    let (path, message) = match text.split_once(": ") {
        Some((path, rest)) if is_path(path) => (path.to_owned(), rest.to_owned()),
        _ => (String::new(), text.clone()),
    };
    let (mut line, mut column) = error.location().map_or((1, 1), |l| (l.line(), l.column()));
    // For an unclosed quote or bracket the parser stops at the end of the text, and for a line that
    // is not `key: value` it stops on the line after; the place that needs fixing is where the quote,
    // bracket or line began, which the message gives as its context.
    if (raw.contains("while scanning a quoted scalar")
        || raw.contains("while parsing a flow")
        || raw.contains("while scanning a simple key"))
        && let Some(mark) = context_mark(&raw)
    {
        (line, column) = mark;
    }
    let at =
        |line: usize, column: usize, width: usize| file.location_at(first_line + line - 1, column, width);
    // The YAML parser reads NEL, LS and PS as line breaks (YAML 1.1) where editors show none, so its
    // message and line number would both mislead: name the invisible character instead.
    if let Some((i, c)) = yaml.char_indices().find(|(_, c)| matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')) {
        let line = yaml[..i].matches('\n').count() + 1;
        let column = yaml[..i].rsplit('\n').next().unwrap_or_default().chars().count() + 1;
        return Diagnostic::new(
            Code::YamlSyntax,
            format!("{whole} holds an invisible line separator (U+{:04X}), which YAML reads as a new line", u32::from(c)),
        )
        .at(at(line, column, 1))
        .help("delete it, or put a space in its place: it often comes with text pasted from a word processor or a PDF");
    }
    let key = path.rsplit(['.', '[']).next().unwrap_or_default();
    let joined = |field: &str| if path.is_empty() { field.to_owned() } else { format!("{path}.{field}") };

    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = backticked_and_choices(rest);
        let mut d = Diagnostic::new(Code::UnknownKey, format!("unknown key `{field}`")).at(at(
            line,
            column,
            field.chars().count(),
        ));
        d = match suggest(field, &expected) {
            Some(best) => d.help(format!("did you mean `{best}`?")),
            None => d.help(format!("the keys here are: {}", expected.join(", "))),
        };
        return d;
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        if let Some(folded) = super::hints::folded_key(yaml, line, &at) {
            return folded;
        }
        let (value, expected) = backticked_and_choices(rest);
        let what = if key.is_empty() { String::from("value") } else { format!("`{key}`") };
        let mut d = Diagnostic::new(Code::WrongType, format!("`{value}` is not a valid {what}")).at(at(
            line,
            column,
            value.chars().count(),
        ));
        d = match suggest(value, &expected) {
            Some(best) => d.help(format!("did you mean `{best}`? It is one of: {}", expected.join(", "))),
            None => d.help(format!("it is one of: {}", expected.join(", "))),
        };
        return d;
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        let place = if path.is_empty() { whole.to_owned() } else { format!("`{path}`") };
        let field = joined(field).rsplit('.').next().unwrap_or(field).to_owned();
        return super::hints::missing_key(yaml, &place, &field, (line, column), &at);
    }
    if let Some(rest) = message
        .strip_prefix("duplicate field `")
        .or_else(|| message.strip_prefix("duplicate entry with key \""))
    {
        let field = rest.split(['`', '"']).next().unwrap_or_default();
        let positions = Positions::of(yaml);
        let found = positions
            .duplicates()
            .find(|(dup, _)| dup == &joined(field) || dup.rsplit('.').next() == Some(field))
            .map(|(_, (l, c))| (l, c));
        let place = found.map_or_else(|| at(line, column, 1), |(l, c)| at(l, c, field.chars().count()));
        if let Some((message, help)) = found.and_then(|(l, c)| super::hints::missing_dash(yaml, field, l, c))
        {
            return Diagnostic::new(Code::YamlSyntax, message).at(place).help(help);
        }
        return Diagnostic::new(Code::YamlSyntax, format!("the key `{field}` appears twice"))
            .at(place)
            .help("keep one of them: YAML would silently use only one");
    }
    if DATE_KEYS.contains(&key) && !message.starts_with("invalid type") {
        let value = Positions::of(yaml).value(&path).map(|((l, c), w)| (l, c, w));
        let (l, c, w) = value.unwrap_or((line, column, 1));
        let written = file.location_at(first_line + l - 1, c, w);
        let shown = written
            .source_line
            .as_deref()
            .and_then(|s| s.chars().skip(c - 1).take(w).collect::<String>().into())
            .unwrap_or_default();
        let help = match message.strip_prefix(super::partial_date::ERROR_PREFIX) {
            // A key that takes a year or a month as well as a day says so.
            Some(rest) => format!(
                "write a year, a month or a date: 2018, 2018-05 or 2018-05-03 ({})",
                rest.rsplit_once('(').map_or("", |(_, why)| why.trim_end_matches(')'))
            ),
            None => format!("write dates as YYYY-MM-DD, such as 2026-03-31 ({})", date_reason(&message)),
        };
        return Diagnostic::new(Code::InvalidDate, format!("`{key}` is not a real date: {}", shown.trim()))
            .at(written)
            .help(help);
    }
    if message.starts_with("invalid type")
        || message.starts_with("invalid value")
        || message.starts_with("invalid length")
    {
        let what = if key.is_empty() { whole.to_owned() } else { format!("`{path}`") };
        return Diagnostic::new(
            Code::WrongType,
            format!("{what} has the wrong type: {}", humanise(&message)),
        )
        .at(at(line, column, 1));
    }
    let location = at(line, column, 1);
    let on_tab = location.source_line.as_deref().and_then(|l| l.chars().nth(column - 1)) == Some('\t');
    let mut d = Diagnostic::new(Code::YamlSyntax, format!("the YAML cannot be read: {}", humanise(&text)))
        .at(location);
    if text.contains("tab character") || on_tab {
        d = d.help("indent with spaces: YAML does not allow tabs for indentation");
    } else if text.contains("mapping values are not allowed") {
        d = d.help("a value that contains `: ` must be quoted, or written as a block with `|`");
    } else if text.contains("while scanning a simple key") {
        let body = if whole == FRONT_MATTER { " or in the Markdown below the closing `---`" } else { "" };
        d = d.help(format!(
            "each line of {whole} is `key: value`; prose belongs in a value (quoted, or a block with `|`){body}"
        ));
    }
    d
}

/// True when `s` looks like a serde path (`risks[0].owner`) rather than prose.
fn is_path(s: &str) -> bool {
    !s.is_empty() && !s.contains(' ') && s.chars().all(|c| c.is_alphanumeric() || "_-.[]".contains(c))
}

/// The last "at line L column C" of a message: the place of its context.
fn context_mark(raw: &str) -> Option<(usize, usize)> {
    let at = raw.rfind(" at line ")?;
    let rest = &raw[at + " at line ".len()..];
    let (line, rest) = rest.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// Removes the "at line N column M" parts that serde_yaml adds: the diagnostic shows the place itself.
fn strip_locations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + " at line ".len()..];
        let skip = tail
            .find(" column ")
            .map(|j| j + " column ".len())
            .map(|j| j + tail[j..].chars().take_while(char::is_ascii_digit).count());
        match skip {
            Some(j) => rest = &tail[j..],
            None => {
                out.push_str(" at line ");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Splits "x`, expected one of `a`, `b`" into `x` and the choices.
fn backticked_and_choices(rest: &str) -> (&str, Vec<String>) {
    let (name, tail) = rest.split_once('`').unwrap_or((rest, ""));
    let choices = tail.split('`').skip(1).step_by(2).map(str::to_owned).collect();
    (name, choices)
}

/// The known name closest to `given`, when one is close enough to be a likely typo.
pub fn suggest<'a>(given: &str, known: &'a [String]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(&given.to_lowercase(), &k.to_lowercase()), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k.as_str())
}

/// serde's type names, in words an author knows.
pub(super) fn humanise(message: &str) -> String {
    let mut s = message.to_owned();
    for (from, to) in [
        ("expected u32", "expected a whole number"),
        ("expected u8", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected a list"),
        ("expected a map", "expected keys and values"),
        ("invalid type: sequence", "found a list"),
        ("invalid type: map", "found keys and values"),
        ("invalid type: string", "found the text"),
        ("invalid type: integer", "found the number"),
        ("invalid type: floating point", "found the number"),
        ("invalid type: boolean", "found"),
        ("invalid type: unit value", "found nothing"),
    ] {
        s = s.replace(from, to);
    }
    if let Some(i) = s.find("expected struct ") {
        s.replace_range(i.., "expected keys and values");
    }
    s
}

/// The first key that appears twice in its mapping, as a diagnostic. serde rejects duplicate fields of
/// a struct, but not duplicate keys of a map such as `prompts`, where the second would silently win.
pub(super) fn duplicate_key(
    file: &SourceFile,
    first_line: usize,
    positions: &Positions,
) -> Option<Diagnostic> {
    let (path, (line, column)) = positions.duplicates().next()?;
    let key = path.rsplit('.').next().unwrap_or(path);
    let yaml = file.text.lines().skip(first_line - 1).collect::<Vec<_>>().join("\n");
    if let Some((message, help)) = super::hints::missing_dash(&yaml, key, line, column) {
        return Some(
            Diagnostic::new(Code::YamlSyntax, message)
                .at(file.location_at(first_line + line - 1, column, key.chars().count()))
                .help(help),
        );
    }
    Some(
        Diagnostic::new(Code::YamlSyntax, format!("the key `{key}` appears twice"))
            .at(file.location_at(first_line + line - 1, column, key.chars().count()))
            .help("keep one of them: YAML would silently use only one"),
    )
}

/// Why a date failed, shortly.
pub(super) fn date_reason(message: &str) -> &'static str {
    if message.contains("'day'") {
        "that day does not exist in that month"
    } else if message.contains("'month'") || message.contains("as month") {
        "the month must be 01 to 12"
    } else if message.contains("invalid type") {
        "a date is not a list or a mapping"
    } else {
        "four-digit year, two-digit month and day"
    }
}
