//! Diagnostics as one JSON array, for editors and scripts. The field names are stable.

use super::Diagnostic;
use serde::Serialize;

/// One diagnostic as JSON shows it.
#[derive(Serialize)]
struct Record<'a> {
    severity: super::Severity,
    code: &'static str,
    name: &'static str,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    help: Option<&'a str>,
}

/// Renders `diagnostics` as a pretty-printed JSON array:
/// `[{"severity", "code", "name", "message", "file", "line", "column", "help"}]`, where `line` and
/// `column` count from 1 and are null for a finding about a whole file.
pub fn render(diagnostics: &[Diagnostic]) -> String {
    let records: Vec<Record> = diagnostics
        .iter()
        .map(|d| {
            let place = d.location.as_ref();
            let line = place.map(|l| l.line).filter(|&n| n > 0);
            Record {
                severity: d.severity(),
                code: d.code.code(),
                name: d.code.name(),
                message: &d.message,
                file: place.map(|l| l.file.as_str()),
                line,
                column: line.and(place.map(|l| l.column)),
                help: d.help.as_deref(),
            }
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&records).expect("diagnostics serialize");
    out.push('\n');
    out
}
