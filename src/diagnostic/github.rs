//! Diagnostics as GitHub Actions workflow commands, which GitHub shows as annotations on a pull request.

use super::{Diagnostic, Severity};

/// Renders each diagnostic as a line `::error file=…,line=…,col=…,title=…::message`.
///
/// `file` is the path from the repository root, so `project_prefix` (the project folder relative to the
/// repository, or empty) is put in front of each file.
pub fn render(diagnostics: &[Diagnostic], project_prefix: &str) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = Vec::new();
        if let Some(loc) = &d.location {
            let file = if project_prefix.is_empty() {
                loc.file.clone()
            } else {
                format!("{project_prefix}/{}", loc.file)
            };
            properties.push(format!("file={}", escape_property(&file)));
            if loc.line > 0 {
                properties.push(format!("line={}", loc.line));
                properties.push(format!("col={}", loc.column));
            }
        }
        properties
            .push(format!("title={}", escape_property(&format!("{} {}", d.code.code(), d.code.name()))));
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!("::{command} {}::{}\n", properties.join(","), escape_data(&message)));
    }
    out
}

/// Escapes a message as the workflow-command syntax requires.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value, which also may not hold `:` or `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
