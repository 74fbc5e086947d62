//! A little HTML passes (`<details>`, `<sup>` …); any other HTML is shown as text, and `check` says so
//! where it was written.

use crate::support::{copy_tree, diagnostics_json, fixtures, workbook};
use std::path::{Path, PathBuf};

const ANSWER: &str = "answers/01-describe-the-tool.md";

fn project(body: &str, prompt: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    copy_tree(&fixtures().join("base"), &root);
    let answer = format!(
        "---\nquestion: 1\nstatus: in-review\nowner: Head of Data\nlast_reviewed: 2026-01-10\nnext_review: 2099-01-10\n\
         summary: The tool compares placements.\nprompts:\n  q1-analytics-type: {prompt}\n  \
         q1-decision-process: Matching children to placements.\n  \
         q1-users-and-affected: Social workers use it; children in care are affected.\n---\n\n{body}"
    );
    std::fs::write(root.join(ANSWER), answer).unwrap();
    (dir, root)
}

fn html_warnings(root: &Path) -> Vec<serde_json::Value> {
    let output = workbook().args(["check", "--format", "json"]).arg(root).output().unwrap();
    diagnostics_json(&output.stdout).into_iter().filter(|d| d["name"] == "html-shown-as-text").collect()
}

#[test]
fn details_render_and_script_is_text_with_a_warning_where_it_was_written() {
    let body = "Intro.\n\n<details>\n<summary>How the score is worked out</summary>\n\nIt adds **three** \
                things.\n\n</details>\n\nWater is H<sub>2</sub>O.\n\nThen <script>alert(1)</script> here.\n";
    let (_dir, root) = project(body, "Descriptive <iframe src=x></iframe> only.");
    let warnings = html_warnings(&root);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    let text = std::fs::read_to_string(root.join(ANSWER)).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1;
    let at =
        |needle: &str| warnings.iter().find(|d| d["message"].as_str().unwrap().contains(needle)).unwrap();
    assert_eq!(at("<script>")["line"], line_of("<script>"), "{warnings:?}");
    assert_eq!(at("<iframe")["line"], line_of("<iframe"), "{warnings:?}");
    assert_eq!(at("<script>")["file"], ANSWER);

    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("site");
    let output = workbook().arg("build").arg(&root).arg("--out").arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let page = std::fs::read_to_string(out.join("01-describe-the-tool.html")).unwrap();
    assert!(page.contains("<summary>How the score is worked out</summary>"), "{page}");
    assert!(page.contains("<strong>three</strong>"), "{page}");
    assert!(page.contains("H<sub>2</sub>O"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{page}");
    assert!(page.contains("&lt;iframe src=x&gt;"), "{page}");
    assert!(!page.contains("<script") && !page.contains("<iframe"), "{page}");
}

#[test]
fn council_text_with_angle_brackets_is_no_false_alarm() {
    let body = "Fewer than <10 children; a score < 5 or > 7 is flagged. Write to <data.ethics@testshire.gov.uk> \
                or see <https://www.testshire.gov.uk/ethics>. The field is `<script>` in the export.\n\n\
                ```\n<table><tr><td>code</td></tr></table>\n```\n\nPress <kbd>Ctrl</kbd>+<kbd>P</kbd>; \
                <abbr title=\"Local authority\">LA</abbr> data, line one<br>\nline two.\n";
    let (_dir, root) = project(body, "Descriptive analytics only.");
    assert!(html_warnings(&root).is_empty(), "{:?}", html_warnings(&root));
}
