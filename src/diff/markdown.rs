//! The diff as Markdown that reads well as a pull-request comment.
//!
//! Nothing the project writes can break out of its place: inline text is escaped (a newline is a
//! space, `|` cannot end a table cell), code spans and the fence around the text diff are longer
//! than any run of backticks in what they hold.

use super::{Change, Diff, ValueChange};
use crate::record::Audience;
use serde_json::{Map, Value};

/// The diff as Markdown: newly public material first, then each question's changes (changed values
/// old → new, added and removed items as tables of all their fields), with the text changes folded
/// away in a `<details>` block.
pub fn render(diff: &Diff) -> String {
    let mut out = format!("## Workbook changes: {} → {}\n\n", code(&diff.from), code(&diff.to));
    if diff.audience == Audience::Internal {
        out += "Compared as the internal view: internal material is included.\n\n";
    }
    if !diff.newly_public.is_empty() {
        out += "> [!WARNING]\n> **Newly public.** These were internal and will be published:\n";
        for n in &diff.newly_public {
            let place = match (n.question, &n.file) {
                (Some(q), _) => format!("Question {q}"),
                (None, Some(file)) => code(file),
                (None, None) => String::from("The record"),
            };
            out += &format!("> - {place}: {}\n", escape(&n.what));
        }
        out += "\n";
    }
    if !diff.problems.is_empty() {
        out += "### Files that could not be read\n\n";
        for p in &diff.problems {
            let place = match (p.line, p.column) {
                (Some(line), Some(column)) => format!("{}:{line}:{column}", p.file),
                _ => p.file.clone(),
            };
            out += &format!("- {} at {}: {}\n", code(&place), code(&p.revision), escape(&p.message));
        }
        out += "\n";
    }
    if diff.questions.is_empty() {
        out += "No answers changed.\n";
    }
    for q in &diff.questions {
        out += &format!("### Question {}: {}\n\n", q.number, escape(&q.title));
        for change in &q.changes {
            if let Some(line) = describe(change) {
                out += &format!("- {line}\n");
            }
            if let Change::ItemChanged { values, .. } = change {
                for v in values {
                    out += &format!("  - {}\n", value_change(v));
                }
            }
        }
        out += &tables(&q.changes);
        if let Some(text) = &q.text_diff {
            let fence = fence(text);
            out += &format!(
                "\n<details><summary>Text changes</summary>\n\n{fence}diff\n{text}{}{fence}\n\n</details>\n",
                if text.ends_with('\n') { "" } else { "\n" }
            );
        }
        out += "\n";
    }
    out
}

/// One line for a change; added and removed items are shown in tables instead.
fn describe(change: &Change) -> Option<String> {
    Some(match change {
        Change::AnswerAdded => "Answer file added".into(),
        Change::AnswerRemoved => "Answer file removed".into(),
        Change::FirstPublished { was } => format!("**First published** (it was {})", was_words(was)),
        Change::Unpublished { now } => format!("**No longer published** (it is now {})", was_words(now)),
        Change::Status { from, to } => format!("Status: {} → **{}**", escape(from), escape(to)),
        Change::Visibility { from, to } => format!("Visibility: {} → **{}**", escape(from), escape(to)),
        Change::Field { field, from, to } => match (from, to) {
            (Some(f), Some(t)) => format!("{}: {} → {}", code(field), escape(f), escape(t)),
            (None, Some(t)) => format!("{} set: {}", code(field), escape(t)),
            (Some(f), None) => format!("{} removed (was: {})", code(field), escape(f)),
            (None, None) => format!("{} changed", code(field)),
        },
        Change::PromptAnswered { prompt } => format!("Prompt {} answered", code(prompt)),
        Change::PromptChanged { prompt } => format!("Prompt {} changed", code(prompt)),
        Change::PromptCleared { prompt } => format!("Prompt {} cleared", code(prompt)),
        Change::ItemAdded { .. } | Change::ItemRemoved { .. } => return None,
        Change::ItemChanged { list, item, .. } => format!("Changed in {}: {}", escape(list), escape(item)),
        Change::BodyChanged => "Text of the answer changed".into(),
    })
}

fn was_words(why: &str) -> &str {
    match why {
        "draft" => "a draft",
        "internal" => "internal",
        other => other,
    }
}

/// `path`: old → new.
fn value_change(v: &ValueChange) -> String {
    format!("{}: {} → {}", code(&v.path), value(&v.from), value(&v.to))
}

/// A value of the record as inline Markdown.
fn value(v: &Value) -> String {
    match v {
        Value::Null => "*(none)*".into(),
        Value::String(s) if s.trim().is_empty() => "*(empty)*".into(),
        Value::String(s) => escape(s),
        other => escape(&other.to_string()),
    }
}

/// A table cell: the value, escaped, or nothing when it is not set.
fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => escape(s),
        Some(other) => escape(&other.to_string()),
    }
}

/// An item's fields, by name.
type Row = Map<String, Value>;

/// Tables of the items added to and removed from each list, every field a column.
fn tables(changes: &[Change]) -> String {
    // (heading, list, rows) in the order the lists first appear.
    let mut groups: Vec<(&str, &str, Vec<&Row>)> = Vec::new();
    for change in changes {
        let (heading, list, row) = match change {
            Change::ItemAdded { list, row, .. } => ("Added to", list.as_str(), row),
            Change::ItemRemoved { list, row, .. } => ("Removed from", list.as_str(), row),
            _ => continue,
        };
        match groups.iter_mut().find(|(h, l, _)| *h == heading && *l == list) {
            Some((_, _, rows)) => rows.push(row),
            None => groups.push((heading, list, vec![row])),
        }
    }
    let mut out = String::new();
    for (heading, list, rows) in groups {
        let mut columns: Vec<&str> = Vec::new();
        for row in &rows {
            for key in row.keys() {
                if !columns.contains(&key.as_str()) {
                    columns.push(key);
                }
            }
        }
        if columns.is_empty() {
            continue;
        }
        out += &format!("\n**{heading} {}** ({}):\n\n", escape(list), rows.len());
        out += &format!("| {} |\n", columns.iter().map(|c| escape(c)).collect::<Vec<_>>().join(" | "));
        out += &format!("|{}\n", "---|".repeat(columns.len()));
        for row in rows {
            let cells: Vec<String> = columns.iter().map(|c| cell(row.get(*c))).collect();
            out += &format!("| {} |\n", cells.join(" | "));
        }
    }
    out
}

/// Text escaped for inline Markdown: no markup, no line break (a carriage return is one too).
fn escape(s: &str) -> String {
    crate::render::markdown::escape_inline(&s.replace(['\r', '\u{2028}', '\u{2029}'], " "))
}

/// The longest run of backticks in `s`.
fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// `s` as an inline code span, its delimiters longer than any run of backticks in it, on one line.
fn code(s: &str) -> String {
    let s = s.replace(['\n', '\r', '\u{2028}', '\u{2029}'], " ");
    let ticks = "`".repeat(longest_backtick_run(&s) + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{s}{pad}{ticks}")
}

/// A code fence longer than any run of backticks in `text` (at least three), so no line of the text
/// can close it.
fn fence(text: &str) -> String {
    "`".repeat((longest_backtick_run(text) + 1).max(3))
}

#[cfg(test)]
mod tests {
    use super::{code, fence};

    #[test]
    fn fences_and_code_spans_are_longer_than_any_run_of_backticks_they_hold() {
        assert_eq!(fence("a ``` b\n`````\n"), "``````");
        assert_eq!(fence("plain"), "```");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("one\ntwo"), "`one two`");
    }
}
