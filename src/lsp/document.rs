//! Open documents: file URIs and project paths, LSP positions (UTF-16) and the YAML around a cursor.

use std::path::{Path, PathBuf};

/// The path a `file:` URI names; `None` for any other scheme or a URI that does not decode.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///x`, or `file://localhost/x`; another host is not this machine's file.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let decoded = crate::links::percent_decoded(rest)?;
    // `/C:/Users/…` is a Windows path with a drive letter.
    let bytes = decoded.as_bytes();
    if bytes.len() > 2 && bytes[2] == b':' && bytes[1].is_ascii_alphabetic() {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of an absolute path, with every byte outside the unreserved set escaped.
pub fn path_to_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) || (byte == b':' && out.len() <= 10) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The path of `path` relative to the project `root`, `/`-separated; `None` outside the project.
pub fn relative_to(root: &Path, path: &Path) -> Option<String> {
    let inside = path.strip_prefix(root).ok().map(Path::to_path_buf).or_else(|| {
        // The editor may name the file through a link, or the root through one.
        let real = path.canonicalize().ok().or_else(|| {
            let parent = path.parent()?.canonicalize().ok()?;
            Some(parent.join(path.file_name()?))
        })?;
        real.strip_prefix(root).ok().map(Path::to_path_buf)
    })?;
    let relative = crate::diagnostic::display_path(&inside);
    crate::load::project_path(&relative).ok()
}

/// The text of line `line` (from 0) of `text`, without its line ending; `None` past the end.
pub fn line(text: &str, line: usize) -> Option<&str> {
    text.split('\n').nth(line).map(|l| l.trim_end_matches('\r'))
}

/// The UTF-16 offset of the `chars`-th character of `line`: LSP counts columns in UTF-16 code units,
/// `check` in characters. A column past the end of the line is the end of the line.
pub fn utf16_column(line: &str, chars: usize) -> u32 {
    let units: usize = line.chars().take(chars).map(char::len_utf16).sum();
    u32::try_from(units).unwrap_or(u32::MAX)
}

/// The character index on `line` of a UTF-16 offset, clamped to the line; an offset inside a
/// surrogate pair counts as its character.
pub fn char_column(line: &str, utf16: u32) -> usize {
    let mut units = 0;
    for (index, c) in line.chars().enumerate() {
        units += c.len_utf16();
        if units > utf16 as usize {
            return index;
        }
    }
    line.chars().count()
}

/// One segment of a YAML path: a key, or an item of a sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A mapping's key.
    Key(String),
    /// An item of a sequence (which one does not matter to the schema).
    Item,
}

/// What a YAML line holds, read from its text alone (the document may not parse while it is typed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlLine {
    /// The column (in characters) of a leading `- `, when the line starts a sequence item.
    pub dash: Option<usize>,
    /// The column where the key or scalar starts.
    pub start: usize,
    /// The key, when the line has `key:`.
    pub key: Option<String>,
    /// The column where the value starts, after `key: `.
    pub value_start: Option<usize>,
}

/// Reads one line of block YAML; `None` for a blank line or a comment.
pub fn yaml_line(text: &str) -> Option<YamlLine> {
    let chars: Vec<char> = text.chars().collect();
    let mut at = chars.iter().take_while(|c| **c == ' ').count();
    if at >= chars.len() || chars[at] == '#' {
        return None;
    }
    let mut dash = None;
    while chars.get(at) == Some(&'-') && matches!(chars.get(at + 1), Some(' ') | None) {
        dash = Some(at);
        at += 1;
        at += chars[at..].iter().take_while(|c| **c == ' ').count();
    }
    let start = at;
    let name_len =
        chars[at..].iter().take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.')).count();
    let after = at + name_len;
    let (key, value_start) = if name_len > 0 && chars.get(after) == Some(&':') {
        let key: String = chars[at..after].iter().collect();
        let value = after + 1 + chars[after + 1..].iter().take_while(|c| **c == ' ').count();
        (Some(key), Some(value))
    } else {
        (None, None)
    };
    Some(YamlLine { dash, start, key, value_start })
}

/// The path of the mapping or sequence item that holds a key written at column `column` of line
/// `at`, read upward from the lines' indentation. `dash` is the column of a `- ` on that line.
pub fn parent_path(lines: &[&str], at: usize, column: usize, dash: Option<usize>) -> Vec<Segment> {
    let mut reversed = Vec::new();
    // The column a parent must start left of, and whether the next parent owns a sequence.
    let (mut threshold, mut want_sequence_owner) = match dash {
        Some(d) => {
            reversed.push(Segment::Item);
            (d, true)
        }
        None => (column, false),
    };
    for text in lines[..at.min(lines.len())].iter().rev() {
        if threshold == 0 && !want_sequence_owner {
            break;
        }
        let Some(line) = yaml_line(text) else { continue };
        if text.starts_with("---") {
            break;
        }
        // Continuation lines of a block scalar, or of a value, start deeper: read past them.
        if want_sequence_owner {
            match (line.dash, &line.key) {
                (Some(d), _) if d == threshold => continue, // another item of the same sequence
                (None, Some(key)) if line.start <= threshold => {
                    reversed.push(Segment::Key(key.clone()));
                    threshold = line.start;
                    want_sequence_owner = false;
                }
                (Some(d), Some(key)) if d < threshold && line.start <= threshold => {
                    reversed.push(Segment::Key(key.clone()));
                    reversed.push(Segment::Item);
                    threshold = d;
                }
                _ => {}
            }
            continue;
        }
        match (line.dash, &line.key) {
            (Some(d), Some(_)) if line.start == threshold && d < threshold => {
                // A sibling key that starts the item this key belongs to.
                reversed.push(Segment::Item);
                threshold = d;
                want_sequence_owner = true;
            }
            (dash, Some(key)) if line.start < threshold => {
                reversed.push(Segment::Key(key.clone()));
                match dash {
                    Some(d) => {
                        reversed.push(Segment::Item);
                        threshold = d;
                        want_sequence_owner = true;
                    }
                    None => threshold = line.start,
                }
            }
            _ => {}
        }
    }
    reversed.reverse();
    reversed
}

/// The keys already written in the mapping that holds a key at column `column` of line `at`: its
/// siblings, before and after it.
pub fn sibling_keys(lines: &[&str], at: usize, column: usize, dash: Option<usize>) -> Vec<String> {
    let mut keys = Vec::new();
    let in_item = dash.is_some();
    // Upward, until the mapping starts (a line left of it, or the `- ` that opened this item).
    if !in_item {
        for text in lines[..at.min(lines.len())].iter().rev() {
            let Some(line) = yaml_line(text) else { continue };
            if text.starts_with("---") || line.start < column {
                break;
            }
            if line.start == column {
                keys.extend(line.key.clone());
                if line.dash.is_some() {
                    break;
                }
            }
        }
    }
    for text in lines.iter().skip(at + 1) {
        let Some(line) = yaml_line(text) else { continue };
        if text.starts_with("---") || line.start < column || (line.start == column && line.dash.is_some()) {
            break;
        }
        if line.start == column {
            keys.extend(line.key.clone());
        }
    }
    keys
}

/// Applies one change of an open document: the whole text, or a range of it (positions in UTF-16,
/// clamped to the text).
pub fn apply_change(text: &mut String, change: lsp_types::TextDocumentContentChangeEvent) {
    let Some(range) = change.range else {
        *text = change.text;
        return;
    };
    let offset = |position: lsp_types::Position| -> usize {
        let mut start = 0;
        for _ in 0..position.line {
            match text[start..].find('\n') {
                Some(i) => start += i + 1,
                None => return text.len(),
            }
        }
        let line = line(&text[start..], 0).unwrap_or("");
        let chars = char_column(line, position.character);
        start + line.char_indices().nth(chars).map_or(line.len(), |(i, _)| i)
    };
    let (start, end) = (offset(range.start), offset(range.end));
    let (start, end) = (start.min(end), start.max(end));
    text.replace_range(start..end, &change.text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_for_the_editor_and_characters_for_check() {
        let line = "title: 😀 café";
        assert_eq!(utf16_column(line, 8), 9); // the emoji is two units
        assert_eq!(utf16_column(line, 100), 14);
        assert_eq!(char_column(line, 9), 8);
        assert_eq!(char_column(line, 8), 7);
        assert_eq!(char_column(line, 500), 13);
    }

    #[test]
    fn uris_and_paths_round_trip() {
        let path = Path::new("/home/author/my tool/answers/01.md");
        let uri = path_to_uri(path);
        assert_eq!(uri, "file:///home/author/my%20tool/answers/01.md");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(path));
        assert_eq!(uri_to_path("untitled:Untitled-1"), None);
        assert_eq!(uri_to_path("file:///bad%zz"), None);
    }

    #[test]
    fn the_parent_of_a_key_is_read_from_indentation() {
        let text = "question: 1\nprompts:\n  q1-a: x\n  q1-\nevidence:\n  - title: t\n    kind: \n  -\nrisks:\n- title: r\n  ow";
        let lines: Vec<&str> = text.split('\n').collect();
        let key = |path: &[&str]| path.iter().map(|k| Segment::Key((*k).to_owned())).collect::<Vec<_>>();
        assert_eq!(parent_path(&lines, 3, 2, None), key(&["prompts"]));
        assert_eq!(parent_path(&lines, 6, 4, None), vec![Segment::Key("evidence".into()), Segment::Item]);
        assert_eq!(parent_path(&lines, 7, 4, Some(2)), vec![Segment::Key("evidence".into()), Segment::Item]);
        assert_eq!(parent_path(&lines, 10, 2, None), vec![Segment::Key("risks".into()), Segment::Item]);
        assert_eq!(parent_path(&lines, 0, 0, None), vec![]);
        assert_eq!(sibling_keys(&lines, 3, 2, None), vec!["q1-a".to_owned()]);
    }

    #[test]
    fn a_ranged_change_is_applied_in_utf16_positions_and_clamped() {
        use lsp_types::{Position, Range, TextDocumentContentChangeEvent};
        let mut text = String::from("a: 😀x\nb: 2\n");
        let change = |range, text: &str| TextDocumentContentChangeEvent {
            range: Some(range),
            range_length: None,
            text: text.to_owned(),
        };
        apply_change(&mut text, change(Range::new(Position::new(0, 5), Position::new(0, 6)), "y"));
        assert_eq!(text, "a: 😀y\nb: 2\n");
        apply_change(&mut text, change(Range::new(Position::new(9, 0), Position::new(12, 4)), "c: 3\n"));
        assert_eq!(text, "a: 😀y\nb: 2\nc: 3\n");
    }
}
