//! Diagnostics as a Markdown table, for a CI job's summary page, which shows every finding where
//! annotations stop (GitHub shows ten of each kind per step).

use super::{Diagnostic, Severity};

/// Renders `diagnostics` as a heading, a count, and a table of severity, code, place and message.
///
/// Places are from the repository root, so `project_prefix` (the project folder relative to the
/// repository, or empty) is put in front of each file.
pub fn render(diagnostics: &[Diagnostic], project_prefix: &str) -> String {
    let (errors, warnings) = super::counts(diagnostics);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut out = String::from("## workbook check\n\n");
    if diagnostics.is_empty() {
        out.push_str("No problems found.\n");
        return out;
    }
    out.push_str(&format!("{}, {}.\n\n", plural(errors, "error"), plural(warnings, "warning")));
    out.push_str("| Severity | Code | Where | Problem |\n| --- | --- | --- | --- |\n");
    for d in diagnostics {
        let severity = match d.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let place = match &d.location {
            Some(loc) => {
                let file = if project_prefix.is_empty() {
                    loc.file.clone()
                } else {
                    format!("{project_prefix}/{}", loc.file)
                };
                if loc.line > 0 { format!("{file}:{}", loc.line) } else { file }
            }
            None => String::new(),
        };
        let mut message = cell(&d.message);
        if let Some(help) = &d.help {
            message.push_str("<br>help: ");
            message.push_str(&cell(help));
        }
        out.push_str(&format!(
            "| {severity} | {} {} | {} | {message} |\n",
            d.code.code(),
            d.code.name(),
            cell(&place)
        ));
    }
    out
}

/// Text made safe for one table cell: no pipe ends the cell, no newline ends the row, and no HTML
/// or Markdown in the answers is interpreted (a finding quotes what the answer says).
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}
