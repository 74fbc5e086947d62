//! The command line as a user meets it: exit codes, output formats, help, colour.

use crate::support::{diagnostics_json, fixtures, workbook};
use predicates::prelude::*;

#[test]
fn version_and_help_with_examples() {
    workbook().arg("--version").assert().success().stdout(predicate::str::starts_with("workbook "));
    for command in ["init", "check", "status", "questions"] {
        workbook().args([command, "--help"]).assert().success().stdout(predicate::str::contains("Example"));
    }
}

#[test]
fn usage_errors_exit_2() {
    workbook().arg("frobnicate").assert().code(2);
    workbook().args(["check", "--format", "xml"]).assert().code(2);
    workbook()
        .args(["check", "/no/such/folder"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a folder"));
}

#[test]
fn the_example_project_checks_without_errors() {
    let project = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-project");
    let output = workbook().args(["check", "--format", "json"]).arg(&project).output().unwrap();
    let diagnostics = diagnostics_json(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{diagnostics:#?}");
    assert!(diagnostics.iter().all(|d| d["severity"] != "error"));
    // --strict turns its warnings into a failure.
    workbook().args(["check", "--strict"]).arg(&project).assert().code(1);
}

fn project_with(answer: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_tree(&fixtures().join("base"), dir.path());
    std::fs::write(dir.path().join("answers/01-describe-the-tool.md"), answer).unwrap();
    dir
}

#[test]
fn human_output_shows_the_line_a_caret_and_help_without_colour_when_not_a_terminal() {
    let dir = project_with("---\nquestion: 1\nstatus: draft\nownr: x\n---\n");
    let output = workbook().arg("check").arg(dir.path()).env_remove("NO_COLOR").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("error[E002 unknown-key]: unknown key `ownr`"), "{stderr}");
    // Paths open from where the command ran: under the project folder as it was given.
    let path = format!("--> {}/answers/01-describe-the-tool.md:4:1", dir.path().display());
    assert!(stderr.contains(&path), "{stderr}");
    assert!(stderr.contains("4 | ownr: x"), "{stderr}");
    assert!(stderr.contains("| ^^^^"), "{stderr}");
    assert!(stderr.contains("help: did you mean `owner`?"), "{stderr}");
    assert!(!stderr.contains('\x1b'), "no colour codes when stderr is not a terminal");
}

#[test]
fn without_a_project_folder_the_nearest_one_above_is_used() {
    let dir = project_with("---\nquestion: 1\nstatus: draft\nownr: x\n---\n");
    let output = workbook().arg("check").current_dir(dir.path().join("answers")).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("--> ../answers/01-describe-the-tool.md:4:1"), "{stderr}");
    // Given a folder, that folder is used and no other.
    workbook()
        .args(["check", "."])
        .current_dir(dir.path().join("answers"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("E008 missing-settings"));
}

#[test]
fn github_format_prints_workflow_commands() {
    let dir = project_with("---\nquestion: 1\nstatus: draft\nownr: x\n---\n");
    let output = workbook().args(["check", "--format", "github"]).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    // Each line is `::error|warning|notice key=value,…::message` with no raw newline in the message.
    let line_re = regex::Regex::new(
        r"^::(error|warning|notice) (file=[^,:]+(,line=\d+,col=\d+)?,)?title=[EWI]\d{3} [a-z0-9-]+::[^\r\n]*$",
    )
    .unwrap();
    assert!(!stdout.is_empty());
    for line in stdout.lines() {
        assert!(line_re.is_match(line), "not a workflow command: {line}");
    }
    assert!(stdout.contains("::error file=answers/01-describe-the-tool.md,line=4,col=1,title=E002 unknown-key::unknown key `ownr`%0Ahelp: did you mean `owner`?"), "{stdout}");
}

#[test]
fn json_format_has_stable_fields() {
    let dir = project_with("---\nquestion: 1\nstatus: draft\nownr: x\n---\n");
    let output = workbook().args(["check", "--format", "json"]).arg(dir.path()).output().unwrap();
    let diagnostics = diagnostics_json(&output.stdout);
    let first = diagnostics.iter().find(|d| d["code"] == "E002").unwrap();
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["severity", "code", "name", "message", "file", "line", "column", "help"]);
}

#[test]
fn personal_data_in_public_text_is_caught_and_internal_text_is_not() {
    let dir = project_with(
        "---\nquestion: 1\nstatus: draft\nnext_review: 2099-01-01\nsummary: Ring 07700 900982 or mail jo.bloggs@gmail.example.\nprompts:\n  q1-analytics-type: NHS 943 476 5919\n---\n\nContact ethics@testshire.example.\n\n::: internal\nNI QQ123456C AB123456C\n:::\n",
    );
    let output = workbook().args(["check", "--format", "json"]).arg(dir.path()).output().unwrap();
    let diagnostics = diagnostics_json(&output.stdout);
    let found: Vec<(String, u64, u64)> = diagnostics
        .iter()
        .filter(|d| d["name"].as_str().unwrap().starts_with("personal-data"))
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("W006".to_owned(), 5, 15), ("W005".to_owned(), 5, 36), ("W007".to_owned(), 7, 26)],
        "{diagnostics:#?}"
    );
}

#[test]
fn an_answer_that_does_not_parse_is_not_also_reported_missing() {
    let project = project_with("---\nquestion: 1\nstatus: draft\n<p>Pasted</p>\nsummary: s\n---\n");
    let output = workbook().args(["check", "--format", "json"]).arg(project.path()).output().unwrap();
    let diagnostics = diagnostics_json(&output.stdout);
    let about_q1: Vec<_> =
        diagnostics.iter().filter(|d| d["file"] == "answers/01-describe-the-tool.md").collect();
    assert_eq!(about_q1.len(), 1, "{about_q1:#?}");
    assert_eq!(about_q1[0]["code"], "E001");
    assert_eq!(about_q1[0]["line"], 4);
    // Question 2 has no file in the base project, and is still reported.
    assert!(
        diagnostics.iter().any(|d| d["code"] == "W001" && d["file"] == "answers/02-outcomes-and-benefits.md")
    );
}
