//! `workbook init`: a new project checks clean but for one warning per unanswered question, and a
//! folder that holds anything is refused untouched.

use crate::support::{diagnostics_json, workbook};

#[test]
fn init_then_check_warns_of_each_unanswered_question_and_blank_public_setting_and_no_errors() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("x");
    workbook()
        .args(["init", "--org", "Northfield Borough Council", "--tool", "Early Help Dashboard"])
        .arg(&project)
        .assert()
        .success();
    let output = workbook().args(["check", "--format", "json"]).arg(&project).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let diagnostics = diagnostics_json(&output.stdout);
    assert!(diagnostics.iter().all(|d| d["severity"] != "error"), "{diagnostics:#?}");
    // Beside the warnings, one info line: the ATRS record is far from ready.
    let (info, mut diagnostics): (Vec<_>, Vec<_>) =
        diagnostics.into_iter().partition(|d| d["severity"] == "info");
    assert_eq!(info.len(), 1, "{info:#?}");
    assert_eq!(info[0]["name"], "atrs-not-ready");
    // Not yet in git, and no address yet: the warnings about publishing, as build gives them.
    let before = diagnostics.len();
    diagnostics.retain(|d| d["code"] != "W013" && d["code"] != "W014");
    assert_eq!(before - diagnostics.len(), 2, "W013 and W014");
    let (answers, settings): (Vec<_>, Vec<_>) = diagnostics.iter().partition(|d| d["code"] == "W002");
    let mut files: Vec<&str> = answers.iter().map(|d| d["file"].as_str().unwrap()).collect();
    files.dedup();
    assert_eq!((answers.len(), files.len()), (13, 13), "one warning per answer file");
    // What the new settings leave for the council to fill in before publishing.
    let blanks: Vec<(&str, &str)> =
        settings.iter().map(|d| (d["code"].as_str().unwrap(), d["file"].as_str().unwrap())).collect();
    assert_eq!(blanks, [("W015", "workbook.yaml"); 3], "{settings:#?}");
    for field in ["tool.summary", "contact.email", "contact.concerns"] {
        assert!(settings.iter().any(|d| d["message"].as_str().unwrap().contains(field)), "{field}");
    }
    // The names given reach the settings.
    let settings = std::fs::read_to_string(project.join("workbook.yaml")).unwrap();
    assert!(settings.contains("name: \"Northfield Borough Council\""));
    // CI workflows and the .gitignore are there.
    for file in [".github/workflows/workbook.yml", ".gitlab-ci.yml", ".gitignore"] {
        assert!(project.join(file).is_file(), "{file}");
    }
}

#[test]
fn init_in_a_folder_that_is_not_empty_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    // The folder given is the argument's fault: a usage error.
    workbook().arg("init").arg(dir.path()).assert().code(2).stderr(predicates::str::contains("is not empty"));
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(), "mine");
}

#[test]
fn init_names_with_yaml_syntax_are_quoted() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("x");
    workbook()
        .args(["init", "--org", "Council: \"North\" # 1", "--tool", "{{ tool }}"])
        .arg(&project)
        .assert()
        .success();
    workbook().arg("check").arg(&project).assert().code(0);
}

#[test]
fn every_answer_template_names_its_prompts() {
    let framework = workbook::framework::Framework::builtin("dfe-csc-2024").unwrap();
    for question in &framework.questions {
        let text = workbook::init::answer_template(&framework, question);
        for prompt in question.all_prompts() {
            assert!(text.contains(&format!("  {}: \"\"", prompt.id)), "{}", prompt.id);
        }
    }
}
