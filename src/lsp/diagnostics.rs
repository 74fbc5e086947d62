//! `check`'s diagnostics as the editor shows them: the same codes, severities and places, per file,
//! with positions converted from characters to UTF-16 code units.

use super::document::{self, path_to_uri};
use crate::diagnostic::{self, Severity};
use lsp_types::{DiagnosticSeverity, NumberOrString, Position, Range};
use std::collections::BTreeMap;
use std::path::Path;

/// Where a finding with no file is shown: the settings, which every project has or is told to have.
const NO_FILE: &str = crate::load::SETTINGS_FILE;

/// `check`'s diagnostics grouped by file (relative to the project), in `check`'s order, as LSP
/// diagnostics. `text_of` gives a file's current text (an open document's, or the file's on disk)
/// so that columns are converted on the line the editor holds.
pub fn by_file(
    found: &[diagnostic::Diagnostic],
    text_of: &dyn Fn(&str) -> Option<String>,
) -> BTreeMap<String, Vec<lsp_types::Diagnostic>> {
    let mut files: BTreeMap<String, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
    let mut texts: BTreeMap<String, Option<String>> = BTreeMap::new();
    for finding in found {
        let file = finding.location.as_ref().map_or(NO_FILE, |l| l.file.as_str()).to_owned();
        let text = texts.entry(file.clone()).or_insert_with(|| text_of(&file));
        let range = match finding.location.as_deref() {
            Some(location) if location.line > 0 => {
                let held = text.as_deref().and_then(|t| document::line(t, location.line - 1));
                let line = held.or(location.source_line.as_deref()).unwrap_or("");
                // `check` does not count a byte-order mark as a column; an editor that keeps one
                // in the text does.
                let mark = usize::from(location.line == 1 && line.starts_with('\u{feff}'));
                let start = location.column.saturating_sub(1) + mark;
                let end = start + location.width.max(1);
                let line_number = u32::try_from(location.line - 1).unwrap_or(u32::MAX);
                Range::new(
                    Position::new(line_number, document::utf16_column(line, start)),
                    Position::new(line_number, document::utf16_column(line, end)),
                )
            }
            // A finding about a whole file (or about none) sits at its start.
            _ => Range::default(),
        };
        let mut message = finding.message.clone();
        if let Some(help) = &finding.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        files.entry(file).or_default().push(lsp_types::Diagnostic {
            range,
            severity: Some(match finding.severity() {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Info => DiagnosticSeverity::INFORMATION,
            }),
            code: Some(NumberOrString::String(finding.code.code().to_owned())),
            source: Some(String::from("workbook")),
            message,
            ..lsp_types::Diagnostic::default()
        });
    }
    files
}

/// The URI of a project file.
pub fn file_uri(root: &Path, file: &str) -> String {
    path_to_uri(&root.join(file))
}

#[cfg(test)]
mod tests {
    use super::by_file;
    use crate::diagnostic::{Code, Diagnostic, Location};

    #[test]
    fn a_column_after_wide_characters_is_counted_in_utf16_units() {
        let finding = Diagnostic::new(Code::UnknownKey, "unknown key `ownr`").at(Location {
            file: "answers/01.md".into(),
            line: 2,
            column: 4,
            width: 3,
            source_line: None,
        });
        let files = by_file(&[finding], &|_| Some(String::from("---\n😀😀 ab: x\n")));
        let range = files["answers/01.md"][0].range;
        assert_eq!((range.start.line, range.start.character), (1, 5));
        assert_eq!((range.end.line, range.end.character), (1, 8));
    }

    #[test]
    fn a_byte_order_mark_in_the_editor_text_moves_the_first_line_by_one() {
        let finding = Diagnostic::new(Code::UnknownKey, "unknown key").at(Location {
            file: "workbook.yaml".into(),
            line: 1,
            column: 1,
            width: 4,
            source_line: None,
        });
        let with_mark = by_file(std::slice::from_ref(&finding), &|_| Some(String::from("\u{feff}ownr: x\n")));
        assert_eq!(with_mark["workbook.yaml"][0].range.start.character, 1);
        let without = by_file(&[finding], &|_| Some(String::from("ownr: x\n")));
        assert_eq!(without["workbook.yaml"][0].range.start.character, 0);
    }
}
