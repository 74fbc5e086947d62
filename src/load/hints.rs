//! Small helps shared by the messages made from serde's errors (`yaml_error`) and from the schema
//! walk (`validate`), so that both word a finding the same way.

use crate::diagnostic::{Code, Diagnostic, Location};

/// `a` or `an` before `word`, as it is said: `an impact`, `a value`.
pub(super) fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some(c) if "aeiouAEIOU".contains(c) => "an",
        _ => "a",
    }
}

/// The diagnostic for the mapping at `place` (which starts at `line`, `column` of `yaml`, counted
/// from 1) lacking `key`. When a line below it holds `key:` indented differently from the mapping's
/// other keys, the key is not missing but mis-indented, and that line is what needs fixing.
pub(super) fn missing_key(
    yaml: &str,
    place: &str,
    key: &str,
    (line, column): (usize, usize),
    at: &dyn Fn(usize, usize, usize) -> Location,
) -> Diagnostic {
    if let Some((found_line, found_column)) = misindented(yaml, key, line, column) {
        let spaces = column - 1;
        return Diagnostic::new(
            Code::YamlSyntax,
            format!(
                "`{key}` on line {} is not indented as a key of {place}, so {place} has no `{key}`",
                at(found_line, found_column, 1).line
            ),
        )
        .at(at(found_line, found_column, key.chars().count()))
        .help(format!(
            "indent it by {spaces} space{}, as the other keys of {place} are",
            if spaces == 1 { "" } else { "s" }
        ));
    }
    Diagnostic::new(Code::MissingKey, format!("{place} needs {} `{key}` key", article(key)))
        .at(at(line, column, 1))
        .help(format!("add `{key}: …`"))
}

/// When the line after `line` of `yaml` (from 1) holds `key: …` indented deeper than the key on
/// `line`, YAML read it as more of that key's value, and the value is not what the author wrote: the
/// diagnostic for the deeper line. `None` when the next line is not such a key.
pub(super) fn folded_key(
    yaml: &str,
    line: usize,
    at: &dyn Fn(usize, usize, usize) -> Location,
) -> Option<Diagnostic> {
    let mut lines = yaml.lines().skip(line.checked_sub(1)?);
    let this = lines.next()?;
    let next = lines.next()?;
    let mut key_indent = this.len() - this.trim_start_matches(' ').len();
    while this.get(key_indent..).is_some_and(|rest| rest.starts_with("- ")) {
        key_indent += 2;
    }
    let indent = next.len() - next.trim_start_matches(' ').len();
    let rest = &next[indent..];
    let name_end = rest.find(':')?;
    let name = &rest[..name_end];
    let is_key = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && rest[name_end + 1..].chars().next().is_none_or(|c| c == ' ');
    if indent <= key_indent || !is_key {
        return None;
    }
    let shown = at(line + 1, indent + 1, name.chars().count());
    Some(
        Diagnostic::new(
            Code::YamlSyntax,
            format!(
                "`{name}` on line {} is indented further than the key above it, so YAML reads it as \
                 more of that key's value",
                shown.line
            ),
        )
        .at(shown)
        .help(format!(
            "indent it by {key_indent} space{}, as the key above it is",
            if key_indent == 1 { "" } else { "s" }
        )),
    )
}

/// The line and column of the first `key:` below `start_line` that is indented other than at
/// `column`, before the next item of the list the mapping may be in; `None` when there is none.
fn misindented(yaml: &str, key: &str, start_line: usize, column: usize) -> Option<(usize, usize)> {
    let wanted = format!("{key}:");
    for (index, text) in yaml.lines().enumerate().skip(start_line) {
        let indent = text.len() - text.trim_start_matches(' ').len();
        let rest = &text[indent..];
        // The next item of the list, or the same key where it belongs: the search ends there.
        if (rest.starts_with("- ") && indent + 1 < column)
            || (indent + 1 == column && rest.starts_with(&wanted))
        {
            return None;
        }
        if rest.starts_with(&wanted) {
            return Some((index + 1, indent + 1));
        }
    }
    None
}

/// The message and help for `key` met twice at `line`, `column` of `yaml` (from 1), when the first
/// `key` of the mapping began a list item (`- key:` at that column) and this one has no `- `: a new
/// item missing its dash, not a key written twice.
pub(super) fn missing_dash(yaml: &str, key: &str, line: usize, column: usize) -> Option<(String, String)> {
    let lines: Vec<&str> = yaml.lines().collect();
    let this = lines.get(line.checked_sub(1)?)?;
    let dash_at = column.checked_sub(3)?;
    let item = format!("- {key}:");
    let started_an_item = lines[..line - 1]
        .iter()
        .rev()
        .take_while(|l| l.len() - l.trim_start_matches(' ').len() >= dash_at)
        .any(|l| l.get(dash_at..).is_some_and(|rest| rest.starts_with(&item)));
    if !started_an_item {
        return None;
    }
    let written = this.trim();
    Some((
        format!("`{key}` starts a new item of the list, but its line has no `- ` before it"),
        format!("write `- {written}`, with the `- ` lined up with the one above"),
    ))
}

#[cfg(test)]
mod tests {
    use super::{article, misindented};

    #[test]
    fn articles_follow_the_sound() {
        assert_eq!(article("impact"), "an");
        assert_eq!(article("value"), "a");
    }

    #[test]
    fn a_key_out_of_line_is_found_and_one_in_another_item_is_not() {
        let yaml = "risks:\n  - risk: A\n    likelihood: low\n  impact: high\n";
        assert_eq!(misindented(yaml, "impact", 2, 5), Some((4, 3)));
        let yaml = "risks:\n  - risk: A\n    likelihood: low\n  - risk: B\n    impact: high\n";
        assert_eq!(misindented(yaml, "impact", 2, 5), None);
    }
}
