//! Findings of a hostile test of pages, the little HTML and the ATRS page, each kept as a test
//! once fixed.

use crate::support::{copy_tree, fixtures, git, git_at, workbook};
use std::path::{Path, PathBuf};

fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    copy_tree(&fixtures().join("base"), &root);
    std::fs::create_dir_all(root.join("pages")).unwrap();
    std::fs::create_dir_all(root.join("evidence")).unwrap();
    // Published (not a draft), so that its body is on the public site.
    let answer = root.join("answers/01-describe-the-tool.md");
    let text = std::fs::read_to_string(&answer).unwrap().replace("status: draft", "status: in-review");
    std::fs::write(&answer, text).unwrap();
    (dir, root)
}

fn build(root: &Path, audience: &str) -> (tempfile::TempDir, PathBuf) {
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("site");
    let output =
        workbook().arg("build").arg(root).args(["--audience", audience, "--out"]).arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    (out_dir, out)
}

fn files_containing(dir: &Path, marker: &str) -> Vec<String> {
    crate::build::tree(dir)
        .into_iter()
        .filter(|(path, bytes)| String::from_utf8_lossy(bytes).contains(marker) || path.contains(marker))
        .map(|(path, _)| path)
        .collect()
}

/// with its subject.
#[test]
fn a_commit_changing_only_an_internal_passage_of_a_public_page_is_not_public() {
    let (_dir, root) = project();
    let page =
        |passage: &str| format!("---\ntitle: About\n---\n\nPublic words.\n\n::: internal\n{passage}\n:::\n");
    std::fs::write(root.join("pages/about.md"), page("Board notes.")).unwrap();
    git(&root, &["init", "-q", "-b", "main"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-qm", "Start the workbook"]);
    std::fs::write(root.join("pages/about.md"), page("Board notes, revised.")).unwrap();
    git_at(&root, "2026-02-01T00:00:00Z", &["commit", "-qam", "HUNT3MARKER board notes revised"]);
    let (_out_dir, out) = build(&root, "public");
    let leaks = files_containing(&out, "HUNT3MARKER");
    assert!(leaks.is_empty(), "an internal-only change of a page is public in {leaks:?}");
    let (_internal_dir, internal) = build(&root, "internal");
    let changes = std::fs::read_to_string(internal.join("changes.html")).unwrap();
    assert!(changes.contains("HUNT3MARKER"), "the internal change log has it");
}

/// and the menu and sitemap list it twice, both links to the ATRS page.
#[test]
fn a_page_named_as_the_atrs_page_is_refused_by_check() {
    let (_dir, root) = project();
    std::fs::write(
        root.join("pages/algorithmic-transparency-record.md"),
        "---\ntitle: Our record\n---\n\nHUNT3PAGEBODY words of our own.\n",
    )
    .unwrap();
    let output = workbook().args(["check", "--format", "json"]).arg(&root).output().unwrap();
    let diagnostics = crate::support::diagnostics_json(&output.stdout);
    assert!(
        diagnostics.iter().any(|d| d["name"] == "page-name"),
        "no page-name error for a page over the ATRS page: {:?}",
        diagnostics.iter().map(|d| d["code"].as_str().unwrap_or("")).collect::<Vec<_>>()
    );
}

/// shows as "&amp;" and `&copy;` as "&copy;" on the page (inline, the same entities are right).
#[test]
fn entities_in_a_details_block_are_not_escaped_twice() {
    let (_dir, root) = project();
    let answer = root.join("answers/01-describe-the-tool.md");
    let mut text = std::fs::read_to_string(&answer).unwrap();
    text.push_str("\n<details>\n<summary>Fish &amp; chips</summary>\n\nBody.\n\n</details>\n");
    std::fs::write(&answer, text).unwrap();
    let (_out_dir, out) = build(&root, "public");
    let page = std::fs::read_to_string(out.join("01-describe-the-tool.html")).unwrap();
    assert!(
        !page.contains("&amp;amp;"),
        "double-escaped: {}",
        page.lines().find(|l| l.contains("Fish")).unwrap_or("")
    );
    assert!(page.contains("<summary>Fish &amp; chips</summary>"), "summary as written");
}

/// changed it while it was internal joins the public change log, feed and workbook.json.
#[test]
fn a_commit_to_a_page_while_it_was_internal_stays_internal_once_it_is_public() {
    let (_dir, root) = project();
    let page = |visibility: &str, words: &str| {
        format!("---\ntitle: Board\nvisibility: {visibility}\n---\n\n{words}\n")
    };
    std::fs::write(root.join("pages/board.md"), page("internal", "Draft notes.")).unwrap();
    git(&root, &["init", "-q", "-b", "main"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-qm", "Start the workbook"]);
    std::fs::write(root.join("pages/board.md"), page("internal", "Notes on the supplier.")).unwrap();
    git_at(
        &root,
        "2026-02-01T00:00:00Z",
        &["commit", "-qam", "HUNT3WHILEINTERNAL supplier failed the audit"],
    );
    std::fs::write(root.join("pages/board.md"), page("public", "What the board does.")).unwrap();
    git_at(&root, "2026-03-01T00:00:00Z", &["commit", "-qam", "Publish the board page"]);
    let (_out_dir, out) = build(&root, "public");
    let changes = std::fs::read_to_string(out.join("changes.html")).unwrap();
    assert!(changes.contains("Publish the board page"), "{changes}");
    let leaks = files_containing(&out, "HUNT3WHILEINTERNAL");
    assert!(leaks.is_empty(), "a commit made while the page was internal is public in {leaks:?}");
}
