//! Splitting an answer file into its YAML front matter and its Markdown body.

use super::source::SourceFile;
use crate::diagnostic::{Code, Diagnostic};
use std::ops::Range;

/// Where the parts of an answer file lie, as byte ranges of the file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// The YAML between the `---` lines.
    pub yaml: Range<usize>,
    /// The 1-based line of the file on which the YAML starts.
    pub yaml_first_line: usize,
    /// The Markdown after the closing `---` line.
    pub body: Range<usize>,
}

/// Finds the front matter and body of `file`.
///
/// The file must start (after any byte-order mark) with a line `---`; the front matter ends at the next
/// line that is `---` or `...`. Line endings may be `\n` or `\r\n`.
pub fn split(file: &SourceFile) -> Result<Parts, Diagnostic> {
    let text = &file.text;
    let start = file.content_start();
    let mut lines = line_ranges(text, start);
    let opening = lines.next().filter(|r| is_fence(&text[r.clone()], false));
    let Some(opening) = opening else {
        let message = if text[start..].trim().is_empty() {
            "the file is empty: an answer starts with `---` front matter"
        } else {
            "the file does not start with a `---` line, so it has no front matter"
        };
        return Err(Diagnostic::new(Code::MissingFrontMatter, message)
            .at(file.location(start, start + 3))
            .help(
                "start the file with `---`, the YAML keys (at least `question` and `status`), then `---`",
            ));
    };
    let yaml_start = line_end_with_newline(text, opening.end);
    for line in lines {
        if is_fence(&text[line.clone()], true) {
            return Ok(Parts {
                yaml: yaml_start..line.start,
                yaml_first_line: file.line_col(yaml_start).0,
                body: line_end_with_newline(text, line.end)..text.len(),
            });
        }
    }
    Err(Diagnostic::new(Code::UnclosedFrontMatter, "the front matter is never closed")
        .at(file.location(opening.start, opening.end))
        .help("add a line `---` after the last YAML key, before the Markdown"))
}

/// Byte ranges of each line from `start`, without the line ending.
fn line_ranges(text: &str, start: usize) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut at = start;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = at..end;
        at = end + 1;
        Some(line)
    })
}

fn line_end_with_newline(text: &str, end: usize) -> usize {
    if text[end..].starts_with('\n') { end + 1 } else { end }
}

fn is_fence(line: &str, closing: bool) -> bool {
    let line = line.trim_end();
    line == "---" || (closing && line == "...")
}
