//! The print view in proportion: questions run on rather than each starting a page, an answer's
//! changes are its last three, guidance and unanswered prompts take a line each.

use crate::support::{copy_tree, fixtures, git, git_at, workbook};

const ANSWER: &str = "answers/01-describe-the-tool.md";

#[test]
fn the_print_view_is_in_proportion() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    copy_tree(&fixtures().join("base"), &root);
    let text =
        std::fs::read_to_string(root.join(ANSWER)).unwrap().replace("status: draft", "status: in-review");
    std::fs::write(root.join(ANSWER), &text).unwrap();
    git(&root, &["init", "-q", "-b", "main"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "Start"]);
    // Five public changes to question 1's answer, a day apart.
    for day in 1..=5 {
        std::fs::write(root.join(ANSWER), format!("{text}\nChange {day}.\n")).unwrap();
        git(&root, &["add", "-A"]);
        git_at(
            &root,
            &format!("2026-02-0{day}T10:00:00Z"),
            &["commit", "-q", "-m", &format!("Change number {day}")],
        );
    }
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("site");
    let output = workbook().arg("build").arg(&root).arg("--out").arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));

    let page = std::fs::read_to_string(out.join("01-describe-the-tool.html")).unwrap();
    let print = std::fs::read_to_string(out.join("print.html")).unwrap();
    // The question's own page keeps every change; the print view its last three, and says so.
    for n in 1..=5 {
        assert!(page.contains(&format!("Change number {n}")), "{page}");
    }
    let start = print.find("id=\"question-1\"").unwrap();
    let end = print[start..].find("id=\"question-2\"").map_or(print.len(), |e| start + e);
    let q1 = &print[start..end];
    for n in [5, 4, 3] {
        assert!(q1.contains(&format!("Change number {n}")), "{q1}");
    }
    assert!(!q1.contains("Change number 2") && !q1.contains("Change number 1"), "{q1}");
    assert!(q1.contains("3 earlier changes are in the"), "{q1}");
    // Guidance is a line, not a box to open; an unanswered question is a line, not a page.
    assert!(!print.contains("<details class=\"details\""), "guidance in print is one line");
    assert!(print.contains("<strong>Guidance:</strong>"), "{print}");
    let q7 = &print[print.find("id=\"question-7\"").unwrap()..];
    let q7 = &q7[..q7.find("</section>").unwrap()];
    assert!(q7.contains("Not answered yet. The answer will cover: "), "{q7}");
    assert!(!q7.contains("<h3"), "an unanswered question has no sections in print: {q7}");
    // The style sheet no longer starts a page per question.
    let css = std::fs::read_to_string(out.join("assets/style.css")).unwrap();
    let print_question = &css[css.rfind(".print-question {").unwrap()..];
    let rule = &print_question[..print_question.find('}').unwrap()];
    assert!(!rule.contains("break-before"), "{rule}");
}
