//! Pages of a small fixture, as a person read and approved them. A change to the theme or the
//! pipeline that changes these pages shows here as a diff: read it, and accept it only if it is right
//! (`INSTA_UPDATE=always cargo test --test testsuite snapshots`, then review the `.snap` files).

use crate::support::{copy_tree, fixtures, workbook};

#[test]
fn home_and_question_pages_of_a_small_workbook() {
    // A copy outside any repository, so the pages carry no history that changes with each commit.
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    copy_tree(&fixtures().join("half-answered"), &project);
    let out = dir.path().join("site");
    workbook().arg("build").arg(&project).arg("--out").arg(&out).assert().success();
    let page = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    insta::assert_snapshot!("home", page("index.html"));
    insta::assert_snapshot!("question-1", page("01-describe-the-tool.html"));
}
