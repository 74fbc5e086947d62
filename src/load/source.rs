//! A text file read from the project, with the means to turn byte offsets into lines and columns.

use crate::diagnostic::{Location, display_path};
use std::path::PathBuf;

/// A UTF-8 text file of the project.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path relative to the project folder.
    pub path: PathBuf,
    /// The whole text, byte-order mark included, so offsets are the file's own.
    pub text: String,
    /// Byte offset of the start of every line.
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Wraps a file's text.
    pub fn new(path: PathBuf, text: String) -> SourceFile {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        SourceFile { path, text, line_starts }
    }

    /// The text after any byte-order mark.
    pub fn content_start(&self) -> usize {
        if self.text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 }
    }

    /// The 1-based line and column (in characters) of a byte offset.
    ///
    /// A byte-order mark does not count as a column, and an offset inside a character counts as it.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line].max(if line == 0 { self.content_start() } else { 0 });
        let column = self.text.get(start..offset).map_or_else(
            || self.text[start..].char_indices().take_while(|(i, _)| start + i < offset).count(),
            |s| s.chars().count(),
        );
        (line + 1, column + 1)
    }

    /// The byte offset of a 1-based line and column (in characters), clamped to the text.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let start = if line <= 1 { start.max(self.content_start()) } else { start };
        let rest = &self.text[start..self.line_end(start)];
        start + rest.char_indices().nth(column.saturating_sub(1)).map_or(rest.len(), |(i, _)| i)
    }

    /// The text of the 1-based line, without its line ending or a byte-order mark.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        let &start = self.line_starts.get(line.checked_sub(1)?)?;
        let start = if line == 1 { start.max(self.content_start()) } else { start };
        let end = self.line_end(start);
        Some(self.text[start..end].trim_end_matches('\r'))
    }

    fn line_end(&self, start: usize) -> usize {
        self.text[start..].find('\n').map_or(self.text.len(), |i| start + i)
    }

    /// A [`Location`] for the byte range `start..end`, clipped to its first line.
    pub fn location(&self, start: usize, end: usize) -> Location {
        let (line, column) = self.line_col(start);
        let source_line = self.line_text(line).map(str::to_owned);
        let line_chars = source_line.as_deref().map_or(0, |l| l.chars().count());
        let wanted = self.text.get(start..end.max(start)).map_or(1, |s| s.chars().count());
        let width = wanted.min(line_chars.saturating_sub(column - 1)).max(1);
        Location { file: display_path(&self.path), line, column, width, source_line }
    }

    /// A [`Location`] for a 1-based line and column, underlining `width` characters.
    pub fn location_at(&self, line: usize, column: usize, width: usize) -> Location {
        let start = self.offset_of(line, column);
        let end = self.text[start..].char_indices().nth(width).map_or(self.text.len(), |(i, _)| start + i);
        self.location(start, end)
    }
}
