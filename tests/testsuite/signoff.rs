//! Withheld answers say why and publish no counts; `status: complete` needs an approving sign-off;
//! an answer whose public content changed after its sign-off says so.

use crate::support::{copy_tree, diagnostics_json, fixtures, git_at, workbook};
use std::path::{Path, PathBuf};

const PAGE: &str = "01-describe-the-tool.html";
const ANSWER: &str = "answers/01-describe-the-tool.md";

fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    copy_tree(&fixtures().join("base"), &root);
    (dir, root)
}

/// The base fixture's answer to question 1 with `front` (front matter lines) in place of its status.
fn answer(front: &str, summary: &str) -> String {
    format!(
        "---\nquestion: 1\n{front}\nowner: Head of Data\nlast_reviewed: 2026-01-10\nnext_review: 2099-01-10\n\
         summary: {summary}\nprompts:\n  q1-analytics-type: Descriptive analytics only.\n  \
         q1-decision-process: Matching children to placements.\n  \
         q1-users-and-affected: Social workers use it; children in care are affected.\n---\n\nThe tool is descriptive.\n"
    )
}

fn build(project: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = workbook().arg("build").arg(project).arg("--out").arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "build failed:\n{}", String::from_utf8_lossy(&output.stderr));
    (dir, out)
}

fn record_question(out: &Path) -> serde_json::Value {
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("workbook.json")).unwrap()).unwrap();
    json["questions"][0].clone()
}

fn check_json(project: &Path) -> Vec<serde_json::Value> {
    let output = workbook().args(["check", "--format", "json"]).arg(project).output().unwrap();
    diagnostics_json(&output.stdout)
}

fn named<'a>(diagnostics: &'a [serde_json::Value], name: &str) -> Vec<&'a serde_json::Value> {
    diagnostics.iter().filter(|d| d["name"] == name).collect()
}

const SIGNED: &str =
    "status: complete\nsignoffs:\n  - by: Ethics Board\n    date: 2026-03-01\n    decision: approved";

#[test]
fn a_withheld_answer_gives_its_reason_and_no_answered_count() {
    let (_dir, root) = project();
    let front = "status: complete\nvisibility: internal\n\
                 withheld_reason: The supplier's test report is commercially confidential.";
    std::fs::write(root.join(ANSWER), answer(front, "Secret summary.")).unwrap();
    let (_out_dir, out) = build(&root);
    let q = record_question(&out);
    assert_eq!(q["withheld"], "internal");
    assert_eq!(q["withheld_reason"], "The supplier's test report is commercially confidential.");
    assert!(q["prompts_answered"].is_null(), "{q}");
    let page = std::fs::read_to_string(out.join(PAGE)).unwrap();
    assert!(page.contains("test report is commercially confidential."), "{page}");
    assert!(!page.contains("prompts answered"), "{page}");
    assert!(!page.contains("Secret summary"));
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("id=\"home-explore-q1-hint\">The answer is not published"), "{index}");
}

#[test]
fn a_drafts_public_json_has_no_answered_count() {
    let (_dir, root) = project();
    let (_out_dir, out) = build(&root);
    let q = record_question(&out);
    assert_eq!(q["withheld"], "draft");
    assert!(q["prompts_answered"].is_null(), "{q}");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("id=\"home-explore-q1-hint\">The answer is not published yet"), "{index}");
}

#[test]
fn complete_without_an_approving_signoff_warns() {
    let (_dir, root) = project();
    std::fs::write(root.join(ANSWER), answer("status: complete", "The tool compares placements.")).unwrap();
    let found = check_json(&root);
    assert_eq!(named(&found, "complete-without-signoff").len(), 1, "{found:?}");
    std::fs::write(root.join(ANSWER), answer(SIGNED, "The tool compares placements.")).unwrap();
    assert!(named(&check_json(&root), "complete-without-signoff").is_empty());
}

#[test]
fn complete_with_a_latest_rejected_signoff_is_an_error_with_position() {
    let (_dir, root) = project();
    let front = format!("{SIGNED}\n  - by: Ethics Board\n    date: 2026-04-01\n    decision: rejected");
    std::fs::write(root.join(ANSWER), answer(&front, "The tool compares placements.")).unwrap();
    let found = check_json(&root);
    let errors = named(&found, "complete-but-not-approved");
    assert_eq!(errors.len(), 1, "{found:?}");
    assert_eq!(errors[0]["severity"], "error");
    assert_eq!(errors[0]["file"], ANSWER);
    assert!(errors[0]["line"].as_u64().unwrap_or(0) > 3, "{:?}", errors[0]);
    assert!(named(&found, "complete-without-signoff").is_empty());
}

/// A repository whose answer was signed off on 1 March 2026, committed on 2 March, then changed by
/// `edit` on 10 March.
fn signed_then_changed(edit: impl Fn(&Path)) -> (tempfile::TempDir, PathBuf) {
    let (dir, root) = project();
    std::fs::write(root.join(ANSWER), answer(SIGNED, "The tool compares placements.")).unwrap();
    git_at(&root, "2026-03-02T10:00:00Z", &["init", "-q"]);
    git_at(&root, "2026-03-02T10:00:00Z", &["add", "."]);
    git_at(&root, "2026-03-02T10:00:00Z", &["commit", "-q", "-m", "Signed off"]);
    edit(&root);
    git_at(&root, "2026-03-10T10:00:00Z", &["commit", "-q", "-a", "-m", "Edited"]);
    (dir, root)
}

#[test]
fn a_signoff_older_than_the_last_public_change_warns_and_the_page_says_so() {
    let (_dir, root) = signed_then_changed(|root| {
        std::fs::write(root.join(ANSWER), answer(SIGNED, "The tool now ranks placements.")).unwrap();
    });
    let found = check_json(&root);
    assert_eq!(named(&found, "changed-since-signoff").len(), 1, "{found:?}");
    let (_out_dir, out) = build(&root);
    assert_eq!(record_question(&out)["changed_since_signoff"], "2026-03-01");
    let page = std::fs::read_to_string(out.join(PAGE)).unwrap();
    assert!(page.contains("Changed since it was signed off on"), "{page}");
}

#[test]
fn an_internal_only_change_after_the_signoff_does_not_warn() {
    let (_dir, root) = signed_then_changed(|root| {
        let front = format!(
            "{SIGNED}\nrisks:\n  - risk: A supplier fails\n    likelihood: low\n    impact: low\n    visibility: internal"
        );
        std::fs::write(root.join(ANSWER), answer(&front, "The tool compares placements.")).unwrap();
    });
    let found = check_json(&root);
    assert!(named(&found, "changed-since-signoff").is_empty(), "{found:?}");
    let (_out_dir, out) = build(&root);
    assert!(record_question(&out)["changed_since_signoff"].is_null());
}

#[test]
fn an_internal_list_item_gives_its_reason_and_nothing_else() {
    let (_dir, root) = project();
    let front = "status: in-review\nrisks:\n  - risk: The public risk.\n    likelihood: low\n    impact: low\n  \
                 - risk: The supplier's secret risk.\n    likelihood: high\n    impact: high\n    \
                 visibility: internal\n    withheld_reason: The supplier's test report is commercially confidential.\n  \
                 - risk: Another secret risk, with no reason.\n    likelihood: low\n    impact: low\n    visibility: internal";
    std::fs::write(root.join(ANSWER), answer(front, "The tool compares placements.")).unwrap();
    let (_out_dir, out) = build(&root);
    let q = record_question(&out);
    assert_eq!(q["risks"].as_array().map(Vec::len), Some(1), "{q}");
    assert_eq!(
        q["withheld_items"],
        serde_json::json!([{"block": "risks", "reason": "The supplier's test report is commercially confidential."}])
    );
    let page = std::fs::read_to_string(out.join(PAGE)).unwrap();
    assert!(page.contains("A risk is not published. Why: The supplier&#39;s test report"), "{page}");
    let everything =
        String::from_utf8_lossy(&std::fs::read(out.join("workbook.json")).unwrap()).to_string() + &page;
    assert!(!everything.contains("secret risk"), "an internal item reached the public site");
}

#[test]
fn a_reason_on_a_published_item_or_answer_warns_at_it() {
    let (_dir, root) = project();
    let front = "status: draft\nwithheld_reason: Left over.\nrisks:\n  - risk: A public risk.\n    likelihood: low\n    \
                 impact: low\n    withheld_reason: Also left over.";
    std::fs::write(root.join(ANSWER), answer(front, "The tool compares placements.")).unwrap();
    let found = check_json(&root);
    let warned = named(&found, "reason-but-published");
    assert_eq!(warned.len(), 2, "{found:?}");
    assert!(warned.iter().all(|d| d["file"] == ANSWER && d["line"].as_u64().is_some()), "{warned:?}");
    assert!(warned.iter().any(|d| d["message"].as_str().unwrap_or("").contains("risks[0]")), "{warned:?}");
}
