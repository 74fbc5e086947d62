//! Diagnostics as a GitLab Code Quality report, which a merge request shows beside its changes.
//!
//! The report is a JSON array of issues in the subset of the Code Climate format that GitLab reads:
//! `description`, `check_name`, `fingerprint`, `severity` and `location.path` with
//! `location.lines.begin`.

use super::{Diagnostic, Severity};
use serde::Serialize;
use std::collections::BTreeMap;

/// One Code Quality issue.
#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation,
}

/// Where an issue is: a file from the repository root and its first line.
#[derive(Serialize)]
struct IssueLocation {
    path: String,
    lines: Lines,
}

/// The lines of an issue; GitLab reads only the first.
#[derive(Serialize)]
struct Lines {
    begin: usize,
}

/// Renders `diagnostics` as a pretty-printed Code Quality JSON array.
///
/// `path` is from the repository root, so `project_prefix` (the project folder relative to the
/// repository, or empty) is put in front of each file. A finding with no file (the project as a whole)
/// points at the project's `workbook.yaml`, and one about a whole file at its line 1, because GitLab
/// needs a file and a line for every issue.
///
/// The fingerprint identifies a finding across pipelines, so that GitLab can tell new findings from
/// old: it is a hash of the code, the file and the message, and of how many identical findings came
/// before it, but not of the line, so that a finding does not count as new when lines above it move.
pub fn render(diagnostics: &[Diagnostic], project_prefix: &str) -> String {
    let in_repository = |file: &str| {
        if project_prefix.is_empty() { file.to_owned() } else { format!("{project_prefix}/{file}") }
    };
    let mut seen: BTreeMap<(String, &str, &str), usize> = BTreeMap::new();
    let issues: Vec<Issue> = diagnostics
        .iter()
        .map(|d| {
            let path = in_repository(d.location.as_ref().map_or("workbook.yaml", |l| l.file.as_str()));
            let line = d.location.as_ref().map_or(1, |l| l.line.max(1));
            let mut description = d.message.clone();
            if let Some(help) = &d.help {
                description.push_str(" (help: ");
                description.push_str(help);
                description.push(')');
            }
            let occurrence = seen.entry((path.clone(), d.code.code(), d.message.as_str())).or_insert(0);
            *occurrence += 1;
            let fingerprint = fingerprint(&[d.code.code(), &path, &d.message, &occurrence.to_string()]);
            Issue {
                description,
                check_name: format!("{} {}", d.code.code(), d.code.name()),
                fingerprint,
                severity: match d.severity() {
                    Severity::Error => "critical",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                location: IssueLocation { path, lines: Lines { begin: line } },
            }
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).expect("issues serialize");
    out.push('\n');
    out
}

/// A stable hash of `parts` as 32 hex digits: 128-bit FNV-1a, which is the same on every machine and
/// in every release (the standard library's hasher promises neither).
fn fingerprint(parts: &[&str]) -> String {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013b;
    let mut hash = OFFSET;
    for part in parts {
        // A separator that no part holds, so that ("ab", "c") and ("a", "bc") differ.
        for byte in part.bytes().chain([0u8]) {
            hash ^= u128::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{hash:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_fnv1a_and_separates_parts() {
        // The FNV-1a 128 hash of the empty input is its offset basis; one part adds its separator.
        assert_eq!(fingerprint(&[]), "6c62272e07bb014262b821756295c58d");
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_eq!(fingerprint(&["E002", "answers/01.md"]), fingerprint(&["E002", "answers/01.md"]));
    }
}
