//! Reading a record back from `workbook.json`, as a register reads a member it knows only by the
//! record its own build published.

use super::{Record, SCHEMA_VERSION};
use serde::Deserialize;

/// The versions of the record's shape that [`Record::from_json`] reads: only the current one, since
/// a field that changed meaning cannot be read as if it had not.
pub const READABLE_SCHEMA_VERSIONS: &[u32] = &[SCHEMA_VERSION];

impl Record {
    /// Reads a record back from the `workbook.json` a build wrote (`file` names it in diagnostics).
    /// Malformed JSON or a wrong shape is an E030 error at its line and column; so is a
    /// `schema_version` not in [`READABLE_SCHEMA_VERSIONS`], which is checked first, so that a
    /// record of another version is refused for its version rather than for a field it lacks. What
    /// `workbook.json` never holds (the project files a build copies, list items' places in their
    /// files) comes back empty.
    pub fn from_json(bytes: &[u8], file: &std::path::Path) -> Result<Record, crate::diagnostic::Diagnostic> {
        use crate::diagnostic::{Code, Diagnostic};
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let source = crate::load::source::SourceFile::new(
                file.to_path_buf(),
                String::from_utf8_lossy(bytes).into_owned(),
            );
            let (line, column) = source.line_col(e.valid_up_to());
            Diagnostic::new(Code::RecordJson, "the record is not UTF-8 text")
                .at(source.location_at(line, column, 1))
        })?;
        let source = crate::load::source::SourceFile::new(file.to_path_buf(), text.to_owned());
        let at = |e: &serde_json::Error, message: String| {
            let diagnostic = Diagnostic::new(Code::RecordJson, message);
            match e.line() {
                0 => diagnostic.in_file(file),
                line => diagnostic.at(source.location_at(line, e.column().max(1), 1)),
            }
        };
        /// Only the version, read before the rest, so that another version's shape is not judged.
        #[derive(Deserialize)]
        struct Version {
            schema_version: Option<serde_json::Value>,
        }
        let version: Version = serde_json::from_str(text)
            .map_err(|e| at(&e, format!("the record cannot be read: {}", without_position(&e))))?;
        let readable = READABLE_SCHEMA_VERSIONS.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
        match version.schema_version {
            Some(serde_json::Value::Number(n))
                if n.as_u64()
                    .is_some_and(|v| READABLE_SCHEMA_VERSIONS.iter().any(|r| u64::from(*r) == v)) => {}
            found => {
                let found = match found {
                    Some(found) => format!("the record's schema_version is {found}"),
                    None => "the record has no schema_version".to_owned(),
                };
                return Err(Diagnostic::new(
                    Code::RecordJson,
                    format!("{found}; this version of workbook reads schema_version {readable}"),
                )
                .in_file(file)
                .help("rebuild the record with this version of workbook (`workbook build`), or read it with the version that wrote it"));
            }
        }
        serde_json::from_str(text).map_err(|e| {
            at(&e, format!("the record does not have the shape of workbook.json: {}", without_position(&e)))
                .help("`workbook schema --for record` prints the shape a record has")
        })
    }
}

/// A JSON error's message without serde_json's " at line L column C", which the diagnostic's
/// location says.
fn without_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(i) if e.line() > 0 => message[..i].to_owned(),
        _ => message,
    }
}
