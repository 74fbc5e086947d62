//! Messages a new user met, each pointing the right way (issue 12, item 4).

use crate::support::{copy_tree, diagnostics_json, fixtures, workbook};

/// A copy of the base fixture with question 1's answer replaced by `answer`.
fn project_with(answer: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("base"), dir.path());
    std::fs::write(dir.path().join("answers/01-describe-the-tool.md"), answer).unwrap();
    dir
}

/// `check --format json` on `project`: every diagnostic.
fn diagnostics(project: &std::path::Path) -> Vec<serde_json::Value> {
    let output = workbook().args(["check", "--format", "json"]).arg(project).output().unwrap();
    diagnostics_json(&output.stdout)
}

/// The diagnostics of `code` about `file`.
fn about<'a>(all: &'a [serde_json::Value], code: &str, file: &str) -> Vec<&'a serde_json::Value> {
    all.iter().filter(|d| d["code"] == code && d["file"] == file).collect()
}

const ANSWER: &str = "answers/01-describe-the-tool.md";

#[test]
fn an_evidence_path_without_its_folder_suggests_it() {
    let project = project_with(
        "---\nquestion: 1\nstatus: draft\nevidence:\n  - title: DPIA\n    kind: dpia\n    file: dpia-summary.txt\n---\n",
    );
    std::fs::create_dir(project.path().join("evidence")).unwrap();
    std::fs::write(project.path().join("evidence/dpia-summary.txt"), "summary").unwrap();
    let all = diagnostics(project.path());
    let found: Vec<_> = all.iter().filter(|d| d["file"] == ANSWER && d["line"] == 7).collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    let help = found[0]["help"].as_str().unwrap_or_default();
    assert!(help.contains("`evidence/dpia-summary.txt`"), "{help}");
}

#[test]
fn a_wrong_question_number_does_not_suggest_creating_a_file_that_exists() {
    let project = project_with("---\nquestion: 1\nstatus: draft\n---\n");
    std::fs::write(
        project.path().join("answers/02-outcomes-and-benefits.md"),
        "---\nquestion: 3\nstatus: draft\n---\n",
    )
    .unwrap();
    let all = diagnostics(project.path());
    let missing = about(&all, "W001", "answers/02-outcomes-and-benefits.md");
    assert_eq!(missing.len(), 1, "{all:#?}");
    let help = missing[0]["help"].as_str().unwrap_or_default();
    assert!(!help.contains("create"), "{help}");
    assert!(help.contains("question: 3") && help.contains("question: 2"), "{help}");
}

#[test]
fn a_list_item_missing_its_dash_is_not_a_duplicate_key() {
    let project = project_with(
        "---\nquestion: 1\nstatus: draft\nrisks:\n  - risk: Bias against some groups\n    likelihood: low\n    impact: high\n    risk: Over-reliance on the score\n    likelihood: low\n---\n",
    );
    let all = diagnostics(project.path());
    let syntax = about(&all, "E001", ANSWER);
    assert_eq!(syntax.len(), 1, "{all:#?}");
    let message = syntax[0]["message"].as_str().unwrap();
    assert!(!message.contains("appears twice"), "{message}");
    assert!(message.contains("- "), "{message}");
    assert_eq!(syntax[0]["line"], 8);
    assert!(syntax[0]["help"].as_str().unwrap_or_default().contains("- risk: Over-reliance"), "{syntax:#?}");
}

#[test]
fn a_mis_indented_key_is_not_reported_missing() {
    for indent in ["  ", ""] {
        let project = project_with(&format!(
            "---\nquestion: 1\nstatus: draft\nrisks:\n  - risk: Bias against some groups\n    likelihood: low\n    mitigation: Test by group\n{indent}impact: high\n---\n"
        ));
        let all = diagnostics(project.path());
        let errors: Vec<_> = all.iter().filter(|d| d["severity"] == "error").collect();
        assert_eq!(errors.len(), 1, "{all:#?}");
        let message = errors[0]["message"].as_str().unwrap();
        assert!(!message.contains("needs"), "{message}");
        assert!(message.contains("`impact`") && message.contains("indent"), "{message}");
        assert_eq!(errors[0]["line"], 8, "{errors:#?}");
        assert!(errors[0]["help"].as_str().unwrap_or_default().contains("4 spaces"), "{errors:#?}");
    }
}

#[test]
fn a_key_indented_too_far_is_not_read_as_part_of_the_value_above() {
    let project = project_with(
        "---\nquestion: 1\nstatus: draft\nrisks:\n  - risk: Bias against some groups\n    likelihood: low\n     impact: high\n    mitigation: Test by group\n---\n",
    );
    let all = diagnostics(project.path());
    let errors: Vec<_> = all.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "{all:#?}");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(!message.contains("not a valid"), "{message}");
    assert!(message.contains("`impact`") && message.contains("indented"), "{message}");
    assert_eq!((errors[0]["line"].as_u64(), errors[0]["column"].as_u64()), (Some(7), Some(6)), "{errors:#?}");
    assert!(errors[0]["help"].as_str().unwrap_or_default().contains("4 spaces"), "{errors:#?}");
}

#[test]
fn a_date_written_in_words_gets_the_date_help() {
    let project = project_with("---\nquestion: 1\nstatus: draft\n---\n");
    let settings = project.path().join("workbook.yaml");
    let mut yaml = std::fs::read_to_string(&settings).unwrap();
    yaml.push_str("accessibility:\n  tested: 20 Nov 2026\n");
    std::fs::write(&settings, yaml).unwrap();
    let all = diagnostics(project.path());
    let dates = about(&all, "E004", "workbook.yaml");
    assert_eq!(dates.len(), 1, "{all:#?}");
    assert!(dates[0]["help"].as_str().unwrap().contains("YYYY-MM-DD"), "{dates:#?}");
}

#[test]
fn a_contact_email_that_is_not_an_address_is_an_error() {
    let project = project_with("---\nquestion: 1\nstatus: draft\n---\n");
    let settings = project.path().join("workbook.yaml");
    let yaml = std::fs::read_to_string(&settings)
        .unwrap()
        .replace("email: ethics@testshire.example", "email: \"data.ethics at eastmoor\"");
    std::fs::write(&settings, yaml).unwrap();
    let all = diagnostics(project.path());
    let found: Vec<_> =
        all.iter().filter(|d| d["file"] == "workbook.yaml" && d["severity"] == "error").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert!(found[0]["message"].as_str().unwrap().contains("not an email address"), "{found:#?}");
}

#[test]
fn an_empty_repository_is_not_called_no_repository_and_git_is_explained() {
    let project = project_with("---\nquestion: 1\nstatus: draft\n---\n");
    let git = std::process::Command::new("git").arg("init").arg("-q").arg(project.path()).status();
    if !git.is_ok_and(|s| s.success()) {
        return;
    }
    let all = diagnostics(project.path());
    let history: Vec<_> = all.iter().filter(|d| d["code"] == "W013").collect();
    assert_eq!(history.len(), 1, "{all:#?}");
    let message = history[0]["message"].as_str().unwrap();
    assert!(!message.contains("not in a git repository"), "{message}");
    assert!(message.contains("no commits"), "{message}");
    assert!(!message.contains("fatal:"), "{message}");
    assert!(history[0]["help"].as_str().unwrap().contains("git commit"), "{history:#?}");
    // diff says so too, rather than that `HEAD` names no commit.
    let output = workbook().arg("diff").arg(project.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("no commits yet"), "{stderr}");
    // Outside any repository: said plainly, without git's own words.
    let outside = project_with("---\nquestion: 1\nstatus: draft\n---\n");
    let all = diagnostics(outside.path());
    let history: Vec<_> = all.iter().filter(|d| d["code"] == "W013").collect();
    let message = history[0]["message"].as_str().unwrap();
    assert!(message.contains("not in a git repository") && !message.contains("fatal:"), "{message}");
}

#[test]
fn counts_and_articles_are_grammatical() {
    // Question 3 has one prompt.
    let project = project_with("---\nquestion: 1\nstatus: draft\n---\n");
    std::fs::write(
        project.path().join("answers/03-resources-and-skills.md"),
        "---\nquestion: 3\nstatus: draft\n---\n",
    )
    .unwrap();
    let all = diagnostics(project.path());
    let unanswered = about(&all, "W002", "answers/03-resources-and-skills.md");
    assert!(
        unanswered[0]["message"].as_str().unwrap().contains("1 of 1 prompt unanswered"),
        "{unanswered:#?}"
    );
    let project = project_with(
        "---\nquestion: 1\nstatus: draft\nrisks:\n  - risk: Bias\n    likelihood: low\n    mitigation: Test\n---\n",
    );
    let all = diagnostics(project.path());
    let missing = about(&all, "E017", ANSWER);
    assert!(missing[0]["message"].as_str().unwrap().contains("needs an `impact` key"), "{missing:#?}");
}
