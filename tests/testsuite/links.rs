//! Links that work: an answer links another answer's page and its headings, links and images into
//! evidence/ publish the file, and a link that leads nowhere is an error where it was written.

use crate::support::{copy_tree, diagnostics_json, fixtures, workbook};
use std::path::{Path, PathBuf};

/// The base fixture with question 1 in review (its body `body`) and question 2 answered, public
/// or internal.
fn project(body: &str, q2_visibility: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    copy_tree(&fixtures().join("base"), &root);
    let q1 = std::fs::read_to_string(root.join("answers/01-describe-the-tool.md")).unwrap();
    let (front, _) = q1.rsplit_once("---\n").unwrap();
    let front = front.replace("status: draft", "status: in-review");
    std::fs::write(root.join("answers/01-describe-the-tool.md"), format!("{front}---\n\n{body}")).unwrap();
    std::fs::write(
        root.join("answers/02-outcomes-and-benefits.md"),
        format!(
            "---\nquestion: 2\nstatus: in-review\nvisibility: {q2_visibility}\nowner: Head of Data\n\
             last_reviewed: 2026-01-10\nnext_review: 2099-01-10\nsummary: Better placements.\nprompts: {{}}\n---\n\n\
             ## Measuring the benefit\n\nWe count placements that last.\n"
        ),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("evidence")).unwrap();
    std::fs::write(root.join("evidence/chart.png"), b"\x89PNG\r\n\x1a\nnot really").unwrap();
    std::fs::write(root.join("evidence/audit report.pdf"), b"%PDF-1.4").unwrap();
    (dir, root)
}

fn build(root: &Path, audience: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output =
        workbook().arg("build").arg(root).args(["--audience", audience, "--out"]).arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    (dir, out)
}

fn check(root: &Path) -> Vec<serde_json::Value> {
    let output = workbook().args(["check", "--format", "json"]).arg(root).output().unwrap();
    diagnostics_json(&output.stdout)
}

const BODY: &str = "See [the benefits](02-outcomes-and-benefits.md#measuring-the-benefit) and \
                    [the same](../answers/02-outcomes-and-benefits.md).\n\n\
                    ![Placements by month](../evidence/chart.png)\n\n\
                    The [audit](evidence/audit%20report.pdf) is published.\n";

#[test]
fn an_answer_links_another_answers_page_and_its_evidence_in_both_audiences() {
    let (_dir, root) = project(BODY, "public");
    let found = check(&root);
    assert!(found.iter().all(|d| d["name"] != "broken-link" && d["name"] != "missing-heading"), "{found:?}");
    for audience in ["public", "internal"] {
        let (_out_dir, out) = build(&root, audience);
        let page = std::fs::read_to_string(out.join("01-describe-the-tool.html")).unwrap();
        assert!(
            page.contains(
                "<a href=\"./02-outcomes-and-benefits.html#q2-body0-measuring-the-benefit\">the benefits</a>"
            ),
            "{audience}: {page}"
        );
        assert!(page.contains("<a href=\"./02-outcomes-and-benefits.html\">the same</a>"), "{page}");
        assert!(page.contains("<img src=\"./evidence/chart.png\" alt=\"Placements by month\""), "{page}");
        assert!(page.contains("<a href=\"./evidence/audit%20report.pdf\">audit</a>"), "{page}");
        assert!(out.join("evidence/chart.png").is_file(), "the image is published ({audience})");
        assert!(out.join("evidence/audit report.pdf").is_file(), "the linked file is published ({audience})");
        let q2 = std::fs::read_to_string(out.join("02-outcomes-and-benefits.html")).unwrap();
        assert!(q2.contains("id=\"q2-body0-measuring-the-benefit\""), "the heading is there: {q2}");
    }
}

#[test]
fn the_public_site_never_links_an_internal_answer() {
    let (_dir, root) = project(BODY, "internal");
    let (_out_dir, out) = build(&root, "public");
    let page = std::fs::read_to_string(out.join("01-describe-the-tool.html")).unwrap();
    assert!(!page.contains("href=\"./02-outcomes-and-benefits.html"), "{page}");
    assert!(page.contains("See the benefits and the same."), "the link is shown as its text: {page}");
    let (_internal_dir, internal) = build(&root, "internal");
    let page = std::fs::read_to_string(internal.join("01-describe-the-tool.html")).unwrap();
    assert!(
        page.contains("href=\"./02-outcomes-and-benefits.html#q2-body0-measuring-the-benefit\""),
        "{page}"
    );
}

#[test]
fn a_broken_local_link_is_an_error_at_its_position_and_a_missing_heading_warns() {
    let body = "Intro.\n\nSee [outcomes](02-outcomes.md) and ![chart](../evidence/missing.png).\n\n\
                Also [settings](../workbook.yaml) and [a heading](02-outcomes-and-benefits.md#measuring-benefit).\n";
    let (_dir, root) = project(body, "public");
    let found = check(&root);
    let text = std::fs::read_to_string(root.join("answers/01-describe-the-tool.md")).unwrap();
    let place = |needle: &str| {
        let offset = text.find(needle).unwrap();
        let line = text[..offset].matches('\n').count() + 1;
        let column = text[..offset].rsplit('\n').next().unwrap().chars().count() + 1;
        (line as u64, column as u64)
    };
    let at = |d: &serde_json::Value| (d["line"].as_u64().unwrap_or(0), d["column"].as_u64().unwrap_or(0));
    let broken: Vec<_> = found.iter().filter(|d| d["name"] == "broken-link").collect();
    assert_eq!(broken.len(), 2, "{found:?}");
    assert!(broken.iter().any(|d| at(d) == place("02-outcomes.md)")), "{broken:?}");
    assert!(
        broken.iter().any(|d| d["help"].as_str().unwrap_or("").contains("02-outcomes-and-benefits.md")),
        "did you mean: {broken:?}"
    );
    assert!(broken.iter().any(|d| at(d) == place("../workbook.yaml")), "{broken:?}");
    assert!(
        broken.iter().all(|d| d["severity"] == "error" && d["file"] == "answers/01-describe-the-tool.md")
    );
    let missing: Vec<_> = found.iter().filter(|d| d["name"] == "evidence-missing").collect();
    assert_eq!(missing.len(), 1, "{found:?}");
    assert_eq!(at(missing[0]), place("../evidence/missing.png"));
    let heading: Vec<_> = found.iter().filter(|d| d["name"] == "missing-heading").collect();
    assert_eq!(heading.len(), 1, "{found:?}");
    assert_eq!(heading[0]["severity"], "warning");
    assert!(heading[0]["help"].as_str().unwrap_or("").contains("#measuring-the-benefit"), "{heading:?}");
    let output = workbook().arg("check").arg(&root).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
}
