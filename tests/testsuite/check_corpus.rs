//! The bad-input corpus: each folder under `tests/fixtures/invalid/` is laid over a copy of
//! `tests/fixtures/base/` (a valid project), and `check` must exit 1 with the diagnostic that the
//! folder's `expect.yaml` names, at the file, line and column it names, and must not panic.
//!
//! A few inputs cannot live in git as they are (a 10 MB file, a symlink out of the project, a folder
//! named like an answer); `expect.yaml` names a `generate` step for those.

use crate::support::{copy_tree, diagnostics_json, fixtures, workbook};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// The diagnostic code, such as E002.
    code: String,
    /// The file, relative to the project.
    file: String,
    /// Line and column, or absent for a finding about a whole file.
    line: Option<u64>,
    column: Option<u64>,
    /// A step that makes input git cannot hold.
    #[serde(default)]
    generate: Option<String>,
    /// Files of the base project to remove first.
    #[serde(default)]
    remove: Vec<String>,
    /// A piece of text the message must contain.
    #[serde(default)]
    message: Option<String>,
    /// A piece of text the help must contain.
    #[serde(default)]
    help: Option<String>,
    /// More diagnostics that must be reported besides the first, each as the first is named.
    #[serde(default)]
    also: Vec<Also>,
    /// How many errors `file` must have in all, when that is part of the case.
    #[serde(default)]
    errors_in_file: Option<usize>,
}

/// One more diagnostic a case expects.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Also {
    code: String,
    line: u64,
    column: u64,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    help: Option<String>,
}

fn generate(step: &str, project: &Path) {
    match step {
        "huge-answer" => {
            let mut text = String::from("---\nquestion: 2\nstatus: draft\n---\n");
            while text.len() < 10 * 1024 * 1024 {
                text.push_str("All work and no play makes a very long answer indeed.\n");
            }
            std::fs::write(project.join("answers/02-outcomes-and-benefits.md"), text).unwrap();
        }
        "symlink-outside" => {
            let outside = project.parent().unwrap().join("outside.md");
            std::fs::write(&outside, "---\nquestion: 2\nstatus: draft\n---\n").unwrap();
            #[cfg(unix)]
            std::os::unix::fs::symlink(&outside, project.join("answers/02-outcomes-and-benefits.md"))
                .unwrap();
        }
        "evidence-too-large" => {
            // Sparse: 101 MB on paper, nothing on disk.
            std::fs::create_dir_all(project.join("evidence")).unwrap();
            let file = std::fs::File::create(project.join("evidence/archive.zip")).unwrap();
            file.set_len(101 * 1024 * 1024).unwrap();
        }
        "folder-named-like-answer" => {
            std::fs::create_dir_all(project.join("answers/02-outcomes-and-benefits.md")).unwrap();
        }
        "evidence-symlink-outside" => {
            let outside = project.parent().unwrap().join("secret.txt");
            std::fs::write(&outside, "not for publishing").unwrap();
            std::fs::create_dir_all(project.join("evidence")).unwrap();
            #[cfg(unix)]
            std::os::unix::fs::symlink(&outside, project.join("evidence/secret.txt")).unwrap();
        }
        other => panic!("unknown generate step `{other}`"),
    }
}

#[test]
fn every_bad_input_fails_with_its_diagnostic() {
    let root = fixtures().join("invalid");
    let mut cases: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
    cases.sort();
    assert!(cases.len() >= 40, "the corpus has {} cases; it should have at least 40", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expect: Expect =
            serde_yaml::from_str(&std::fs::read_to_string(case.join("expect.yaml")).unwrap())
                .unwrap_or_else(|e| panic!("{name}/expect.yaml: {e}"));
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("project");
        copy_tree(&fixtures().join("base"), &project);
        for file in &expect.remove {
            std::fs::remove_file(project.join(file)).unwrap();
        }
        copy_tree(case, &project);
        std::fs::remove_file(project.join("expect.yaml")).unwrap();
        if let Some(step) = &expect.generate {
            generate(step, &project);
        }
        // A hang (an alias bomb, a loop) is killed and reported as a failure rather than stalling the suite.
        let output = workbook()
            .args(["check", "--format", "json"])
            .arg(&project)
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        if output.status.code() != Some(1) {
            failures.push(format!(
                "{name}: exit {:?}, expected 1\n{}",
                output.status.code(),
                String::from_utf8_lossy(&output.stderr)
            ));
            continue;
        }
        let diagnostics = diagnostics_json(&output.stdout);
        let wanted = std::iter::once((
            &expect.code,
            expect.line,
            expect.column,
            expect.message.as_deref(),
            expect.help.as_deref(),
        ))
        .chain(
            expect
                .also
                .iter()
                .map(|a| (&a.code, Some(a.line), Some(a.column), a.message.as_deref(), a.help.as_deref())),
        );
        for (code, line, column, message, help) in wanted {
            let found = diagnostics.iter().any(|d| {
                d["code"] == code.as_str()
                    && d["file"] == expect.file.as_str()
                    && d["line"].as_u64() == line
                    && d["column"].as_u64() == column
                    && message.is_none_or(|m| d["message"].as_str().unwrap_or("").contains(m))
                    && help.is_none_or(|h| d["help"].as_str().unwrap_or("").contains(h))
            });
            if !found {
                failures.push(format!(
                    "{name}: no {code} at {}:{line:?}:{column:?}; got:\n{}",
                    expect.file,
                    serde_json::to_string_pretty(&diagnostics).unwrap()
                ));
            }
        }
        if let Some(count) = expect.errors_in_file {
            let errors = diagnostics
                .iter()
                .filter(|d| d["file"] == expect.file.as_str() && d["severity"] == "error")
                .count();
            if errors != count {
                failures.push(format!(
                    "{name}: {errors} errors in {}, expected {count}; got:\n{}",
                    expect.file,
                    serde_json::to_string_pretty(&diagnostics).unwrap()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
