//! The filesystem boundary: nothing outside the project is read, by any path or link, and `build`
//! copies exactly the evidence `check` approved.

use crate::build::tree;
use crate::support::{copy_tree, diagnostics_json, fixtures, workbook};
use std::path::Path;

/// A project from the `base` fixture with an internal answer to question 2 holding `secret`.
fn project_with_internal_answer(dir: &Path, secret: &str) -> std::path::PathBuf {
    let project = dir.join("project");
    copy_tree(&fixtures().join("base"), &project);
    std::fs::write(
        project.join("answers/02-outcomes-and-benefits.md"),
        format!(
            "---\nquestion: 2\nstatus: draft\nvisibility: internal\nsummary: {secret}\n---\n\n{secret}\n"
        ),
    )
    .unwrap();
    project
}

/// Writes question 1's answer (from the `base` fixture) with one evidence item linking `file`.
fn link_evidence(project: &Path, file: &str) {
    let base = std::fs::read_to_string(fixtures().join("base/answers/01-describe-the-tool.md")).unwrap();
    // In review, so that the answer and its evidence are published.
    let mut text = base.replace("status: draft", "status: in-review");
    let close = text[3..].find("\n---").unwrap() + 3;
    text.insert_str(
        close,
        &format!("\nevidence:\n  - title: Our assessment\n    kind: dpia\n    file: '{file}'"),
    );
    std::fs::write(project.join("answers/01-describe-the-tool.md"), text).unwrap();
}

/// Runs `check --format json` and returns its exit code and diagnostics.
fn check(project: &Path) -> (Option<i32>, Vec<serde_json::Value>) {
    let output = workbook().args(["check", "--format", "json"]).arg(project).output().unwrap();
    (output.status.code(), diagnostics_json(&output.stdout))
}

/// Builds into `out` and returns the exit code.
fn build(project: &Path, out: &Path) -> Option<i32> {
    workbook().arg("build").arg(project).arg("--out").arg(out).output().unwrap().status.code()
}

fn every_output_byte_lacks(out: &Path, secret: &str) {
    if !out.exists() {
        return;
    }
    for (path, bytes) in tree(out) {
        assert!(!String::from_utf8_lossy(&bytes).contains(secret), "{path} holds {secret}");
    }
}

#[test]
fn a_backslash_path_with_a_decoy_file_cannot_publish_an_internal_answer() {
    let dir = tempfile::tempdir().unwrap();
    let project = project_with_internal_answer(dir.path(), "SECRET-INTERNAL-ANSWER");
    let written = r"evidence/a\..\..\answers\02-outcomes-and-benefits.md";
    std::fs::create_dir_all(project.join("evidence")).unwrap();
    // A file whose name is the whole path, backslashes and all: on Linux, one name in evidence/.
    std::fs::write(project.join(written), "decoy").unwrap();
    link_evidence(&project, written);
    let (code, found) = check(&project);
    assert_eq!(code, Some(1), "{found:#?}");
    let refusal = found
        .iter()
        .find(|d| d["code"] == "E012")
        .unwrap_or_else(|| panic!("no outside-project error: {found:#?}"));
    assert_eq!(refusal["file"], "answers/01-describe-the-tool.md");
    assert!(refusal["line"].as_u64().unwrap() > 1, "{refusal}");
    assert!(refusal["message"].as_str().unwrap().contains('\\'), "{refusal}");
    let out = dir.path().join("site");
    assert_eq!(build(&project, &out), Some(1));
    every_output_byte_lacks(&out, "SECRET-INTERNAL-ANSWER");
}

#[test]
fn a_folder_linked_from_outside_the_project_is_an_error_at_its_path() {
    for folder in ["static", "templates", "answers", "evidence"] {
        let dir = tempfile::tempdir().unwrap();
        let project = project_with_internal_answer(dir.path(), "unused");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("secret.txt"), "SECRET-FROM-ELSEWHERE").unwrap();
        std::fs::write(elsewhere.join("01-describe-the-tool.md"), "SECRET-FROM-ELSEWHERE").unwrap();
        std::fs::write(elsewhere.join("base.html"), "SECRET-FROM-ELSEWHERE").unwrap();
        if folder == "answers" {
            std::fs::remove_dir_all(project.join("answers")).unwrap();
        }
        if folder == "evidence" {
            link_evidence(&project, "evidence/secret.txt");
        }
        std::os::unix::fs::symlink(&elsewhere, project.join(folder)).unwrap();
        let (code, found) = check(&project);
        assert_eq!(code, Some(1), "{folder}: {found:#?}");
        assert!(
            found.iter().any(|d| d["code"] == "E012" && d["file"] == folder),
            "{folder}: no error at the link: {found:#?}"
        );
        let out = dir.path().join("site");
        assert_eq!(build(&project, &out), Some(1), "{folder}");
        every_output_byte_lacks(&out, "SECRET-FROM-ELSEWHERE");
    }
}

#[test]
fn a_file_linked_from_outside_inside_a_published_folder_is_an_error_at_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let project = project_with_internal_answer(dir.path(), "unused");
    std::fs::write(dir.path().join("passwords.txt"), "SECRET-FROM-ELSEWHERE").unwrap();
    std::fs::create_dir_all(project.join("static/docs")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("passwords.txt"), project.join("static/docs/notes.txt"))
        .unwrap();
    let (code, found) = check(&project);
    assert_eq!(code, Some(1));
    assert!(found.iter().any(|d| d["code"] == "E012" && d["file"] == "static/docs/notes.txt"), "{found:#?}");
}

#[test]
fn a_link_that_stays_inside_the_project_is_followed_and_judged_by_where_it_leads() {
    let dir = tempfile::tempdir().unwrap();
    let project = project_with_internal_answer(dir.path(), "SECRET-INTERNAL-ANSWER");
    std::fs::create_dir_all(project.join("evidence")).unwrap();
    std::fs::create_dir_all(project.join("docs")).unwrap();
    std::fs::write(project.join("docs/shared.txt"), "A public note.").unwrap();
    std::os::unix::fs::symlink("../docs/shared.txt", project.join("evidence/note.txt")).unwrap();
    std::os::unix::fs::symlink("../answers/02-outcomes-and-benefits.md", project.join("evidence/a.md"))
        .unwrap();
    link_evidence(&project, "evidence/note.txt");
    let (code, found) = check(&project);
    assert_eq!(code, Some(0), "{found:#?}");
    let out = dir.path().join("site");
    assert_eq!(build(&project, &out), Some(0));
    assert_eq!(std::fs::read_to_string(out.join("evidence/note.txt")).unwrap(), "A public note.");
    // The same kind of link into answers/ is refused.
    link_evidence(&project, "evidence/a.md");
    let (code, found) = check(&project);
    assert_eq!(code, Some(1));
    assert!(found.iter().any(|d| d["code"] == "E023"), "{found:#?}");
}

#[test]
fn links_and_hard_links_into_the_projects_own_source_are_refused() {
    type Setup = fn(&Path);
    let cases: [(&str, Setup); 5] = [
        ("static -> .git", |p| std::os::unix::fs::symlink(".git", p.join("static")).unwrap()),
        ("static -> answers", |p| std::os::unix::fs::symlink("answers", p.join("static")).unwrap()),
        ("static/a.md -> an answer", |p| {
            std::fs::create_dir_all(p.join("static")).unwrap();
            std::os::unix::fs::symlink("../answers/02-outcomes-and-benefits.md", p.join("static/a.md"))
                .unwrap()
        }),
        ("a hard link in static/", |p| {
            std::fs::create_dir_all(p.join("static")).unwrap();
            std::fs::hard_link(p.join("answers/02-outcomes-and-benefits.md"), p.join("static/copy.md"))
                .unwrap()
        }),
        ("a hard link as evidence", |p| {
            std::fs::create_dir_all(p.join("evidence")).unwrap();
            std::fs::hard_link(p.join("answers/02-outcomes-and-benefits.md"), p.join("evidence/h.md"))
                .unwrap();
            link_evidence(p, "evidence/h.md");
        }),
    ];
    for (name, setup) in cases {
        let dir = tempfile::tempdir().unwrap();
        let project = project_with_internal_answer(dir.path(), "SECRET-INTERNAL-ANSWER");
        crate::support::git(&project, &["init", "-q"]);
        crate::support::git(&project, &["add", "-A"]);
        crate::support::git(&project, &["commit", "-qm", "Start"]);
        setup(&project);
        let (code, found) = check(&project);
        assert_eq!(code, Some(1), "{name}: {found:#?}");
        assert!(found.iter().any(|d| d["code"] == "E023"), "{name}: {found:#?}");
        let out = dir.path().join("site");
        assert_eq!(build(&project, &out), Some(1), "{name}");
        every_output_byte_lacks(&out, "SECRET-INTERNAL-ANSWER");
    }
}

#[test]
fn a_link_back_to_a_folder_that_holds_it_is_named_as_such_once() {
    let dir = tempfile::tempdir().unwrap();
    let project = project_with_internal_answer(dir.path(), "unused");
    std::fs::create_dir_all(project.join("static/sub")).unwrap();
    std::os::unix::fs::symlink("..", project.join("static/sub/loop")).unwrap();
    let (code, found) = check(&project);
    assert_eq!(code, Some(1));
    let loops: Vec<_> =
        found.iter().filter(|d| d["message"].as_str().unwrap().contains("back to a folder")).collect();
    assert_eq!(loops.len(), 1, "{found:#?}");
    assert_eq!(loops[0]["file"], "static/sub/loop");
}
