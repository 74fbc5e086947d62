//! What the cursor is on in a document's YAML: the key or value at a path. Positions come from the
//! same event parser that places `check`'s diagnostics ([`Positions`]); a document that does not
//! parse while it is typed is read from its lines' indentation instead.

use super::document::{self, Segment, parent_path, yaml_line};
use super::schema::Kind;
use crate::load::locate::Positions;

/// The cursor's place in a document's YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// Which schema the document follows.
    pub kind: Kind,
    /// The path of the key or value under the cursor.
    pub path: Vec<Segment>,
    /// Whether the cursor is on the key or on its value.
    pub on: On,
}

/// What part of a `key: value` the cursor is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum On {
    /// The key.
    Key,
    /// The value, with its text on that line.
    Value(String),
}

/// Which schema a project file follows, by its path; `None` for a file that is not YAML to the tool.
pub fn kind_of(relative: &str) -> Option<Kind> {
    if relative == crate::load::SETTINGS_FILE {
        Some(Kind::Settings)
    } else if relative.starts_with("answers/") && relative.ends_with(".md") {
        Some(Kind::Answer)
    } else {
        None
    }
}

/// The lines of `text` (from 0) that hold its YAML: the whole of `workbook.yaml`, or an answer's
/// front matter between its `---` lines (to the end while the closing line is not yet written).
pub fn yaml_lines(lines: &[&str], kind: Kind) -> Option<std::ops::Range<usize>> {
    match kind {
        Kind::Settings => Some(0..lines.len()),
        Kind::Answer => {
            let first = lines.first()?.trim_start_matches('\u{feff}').trim_end();
            if first != "---" {
                return None;
            }
            let end = lines
                .iter()
                .enumerate()
                .skip(1)
                .find(|(_, l)| matches!(l.trim_end(), "---" | "..."))
                .map_or(lines.len(), |(i, _)| i);
            Some(1..end)
        }
    }
}

/// What is under the cursor at `line` (from 0) and UTF-16 `character`; `None` outside the YAML or
/// on nothing.
pub fn at(text: &str, kind: Kind, line: usize, character: u32) -> Option<Cursor> {
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let range = yaml_lines(&lines, kind)?;
    if !range.contains(&line) {
        return None;
    }
    // A byte-order mark the editor keeps is a column to it, and none to the parser.
    let line_text = lines[line].trim_start_matches('\u{feff}');
    let mark = u32::from(line_text.len() != lines[line].len());
    let column = document::char_column(line_text, character.saturating_sub(mark)) + 1; // 1-based, as Positions counts
    let yaml = lines[range.clone()].join("\n");
    let positions = Positions::of(yaml.trim_start_matches('\u{feff}'));
    let yaml_line_number = line - range.start + 1;
    let on_key = positions.keys().find(|(path, (l, c))| {
        let width = path.rsplit(['.', ']']).next().map_or(1, |k| k.chars().count()).max(1);
        *l == yaml_line_number && (*c..*c + width).contains(&column)
    });
    if let Some((path, _)) = on_key {
        return Some(Cursor { kind, path: segments(path), on: On::Key });
    }
    let on_value = positions
        .values()
        .filter(|(_, (l, c), width)| *l == yaml_line_number && (*c..=*c + width).contains(&column))
        .max_by_key(|(path, _, _)| path.len());
    if let Some((path, (_, c), width)) = on_value {
        let value: String = line_text.chars().skip(c - 1).take(width).collect();
        return Some(Cursor { kind, path: segments(path), on: On::Value(value) });
    }
    // The document does not parse here: read the line itself.
    let read = yaml_line(line_text)?;
    let key = read.key.clone()?;
    let mut path = parent_path(&lines[range.start..], line - range.start, read.start, read.dash);
    path.push(Segment::Key(key.clone()));
    let column = column - 1;
    if (read.start..read.start + key.chars().count()).contains(&column) {
        return Some(Cursor { kind, path, on: On::Key });
    }
    let value_start = read.value_start?;
    (column >= value_start).then(|| Cursor {
        kind,
        path,
        on: On::Value(line_text.chars().skip(value_start).collect::<String>().trim().to_owned()),
    })
}

/// `risks[2].owner` as segments: `risks`, an item, `owner`.
pub fn segments(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut key = String::new();
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' if !in_index => {
                if !key.is_empty() {
                    out.push(Segment::Key(std::mem::take(&mut key)));
                }
                in_index = true;
            }
            ']' if in_index => {
                out.push(Segment::Item);
                in_index = false;
            }
            _ if in_index => {}
            '.' => {
                if !key.is_empty() {
                    out.push(Segment::Key(std::mem::take(&mut key)));
                }
            }
            c => key.push(c),
        }
    }
    if !key.is_empty() {
        out.push(Segment::Key(key));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Cursor, Kind, On, at, segments};
    use crate::lsp::document::Segment;

    fn key(k: &str) -> Segment {
        Segment::Key(k.to_owned())
    }

    #[test]
    fn the_cursor_is_on_a_key_or_a_value_at_a_path() {
        let text = "---\nquestion: 1\nprompts:\n  q1-analytics-type: Descriptive.\nrisks:\n  - title: r\n    owner: Head\n---\nbody\n";
        let on = |line, character| at(text, Kind::Answer, line, character);
        assert_eq!(
            on(3, 4),
            Some(Cursor {
                kind: Kind::Answer,
                path: vec![key("prompts"), key("q1-analytics-type")],
                on: On::Key
            })
        );
        assert_eq!(
            on(1, 10),
            Some(Cursor { kind: Kind::Answer, path: vec![key("question")], on: On::Value("1".into()) })
        );
        assert_eq!(on(6, 5).map(|c| c.path), Some(vec![key("risks"), Segment::Item, key("owner")]));
        assert_eq!(on(8, 1), None, "the body is not YAML");
        assert_eq!(on(900, 1), None);
        assert_eq!(segments("risks[2].owner"), vec![key("risks"), Segment::Item, key("owner")]);
    }

    #[test]
    fn a_byte_order_mark_is_a_column_to_the_editor_only() {
        let text = "\u{feff}framework: dfe-csc-2024\ntool:\n  phase: explore\n";
        assert_eq!(at(text, Kind::Settings, 0, 1).map(|c| c.on), Some(On::Key));
        assert_eq!(at(text, Kind::Settings, 0, 12).map(|c| c.on), Some(On::Value("dfe-csc-2024".into())));
        assert_eq!(at(text, Kind::Settings, 2, 3).map(|c| c.path), Some(vec![key("tool"), key("phase")]));
    }

    #[test]
    fn a_document_that_does_not_parse_is_read_from_its_lines() {
        let text = "---\nquestion: 1\nownr\nstatus: draft\n";
        assert_eq!(
            at(text, Kind::Answer, 3, 2),
            Some(Cursor { kind: Kind::Answer, path: vec![key("status")], on: On::Key })
        );
    }
}
