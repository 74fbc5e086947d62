//! Prose beside its figures: a line such as `::: figures` in an answer's body places that block
//! (the table or chart the site renders from the front matter) at that point of the body.

use crate::build::build;
use crate::support::{copy_tree, diagnostics_json, fixtures, workbook};
use std::path::{Path, PathBuf};

/// The base fixture with `answer` as question 7's file.
fn project(answer: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    copy_tree(&fixtures().join("base"), &root);
    std::fs::write(root.join("answers/07-bias-and-disproportionate-impact.md"), answer).unwrap();
    (dir, root)
}

/// Question 7, in review (so published), with a metric and a risk, and `body` as its body.
fn answer(body: &str) -> String {
    format!(
        "---\nquestion: 7\nstatus: in-review\nsummary: Figures by group.\nmetrics:\n  - name: Referral rate\n    \
         group: All children\n    value: 12.5\n    unit: \"%\"\nrisks:\n  - risk: The rate is misread.\n    \
         likelihood: low\n    impact: medium\n    status: open\n---\n\n{body}"
    )
}

fn page(out: &Path) -> String {
    std::fs::read_to_string(out.join("07-bias-and-disproportionate-impact.html")).unwrap()
}

/// Where `needle` first is in `html`, failing with the page when it is absent.
fn at(html: &str, needle: &str) -> usize {
    html.find(needle).unwrap_or_else(|| panic!("{needle:?} is not on the page:\n{html}"))
}

const FIGURES_TABLE: &str = "Referral rate: the figures in the chart";
const RISKS_TABLE: &str = "What could go wrong (question 7)";

#[test]
fn a_placed_block_goes_between_the_prose_before_and_after_its_line() {
    let (_project, root) =
        project(&answer("Before the figures.\n\n::: figures\n\nThe tables above show the rate.\n"));
    let (_site, out) = build(&root, &[]);
    let html = page(&out);
    let (before, chart, table, after) = (
        at(&html, "Before the figures."),
        at(&html, "<svg class=\"chart\""),
        at(&html, FIGURES_TABLE),
        at(&html, "The tables above show the rate."),
    );
    assert!(before < chart && chart < table && table < after, "{html}");
    assert!(!html.contains("::: figures"), "the placement line is not shown");
    // The risks, not placed, keep their default place after the body.
    assert!(after < at(&html, RISKS_TABLE), "{html}");
    // A placed block's heading sits below the body's "More detail" (h3).
    assert!(html.contains("<h4 class=\"heading-m\" id=\"q7-figures\">Figures</h4>"), "{html}");
}

#[test]
fn blocks_not_placed_keep_their_default_order_after_the_body() {
    let (_project, root) = project(&answer("Only prose.\n"));
    let (_site, out) = build(&root, &[]);
    let html = page(&out);
    let (prose, risks, figures) =
        (at(&html, "Only prose."), at(&html, RISKS_TABLE), at(&html, FIGURES_TABLE));
    assert!(prose < risks && risks < figures, "risks come before figures by default:\n{html}");
    assert!(html.contains("<h2 class=\"heading-l\" id=\"q7-figures\">Figures</h2>"), "{html}");
}

#[test]
fn a_placement_inside_an_internal_passage_is_placed_only_in_the_internal_build() {
    let (_project, root) = project(&answer(
        "Public prose.\n\n::: internal\nINTERNAL-301 reading of the rate.\n\n::: figures\n\nINTERNAL-302 after.\n:::\n\nPublic close.\n",
    ));
    let (_public, out) = build(&root, &[]);
    let html = page(&out);
    assert!(!html.contains("INTERNAL-30"), "{html}");
    // In the public build the figures are not placed: they keep their default place.
    assert!(at(&html, "Public close.") < at(&html, FIGURES_TABLE), "{html}");
    let (_internal, out) = build(&root, &["--audience", "internal"]);
    let html = page(&out);
    let (first, table, second, close) = (
        at(&html, "INTERNAL-301"),
        at(&html, FIGURES_TABLE),
        at(&html, "INTERNAL-302"),
        at(&html, "Public close."),
    );
    assert!(first < table && table < second && second < close, "{html}");
}

#[test]
fn a_block_placed_twice_is_an_error_at_its_second_line() {
    let (_project, root) = project(&answer("One.\n\n::: figures\n\nTwo.\n\n::: figures\n"));
    let output = workbook().args(["check", "--format", "json"]).arg(&root).output().unwrap();
    let found = diagnostics_json(&output.stdout);
    let errors: Vec<_> = found.iter().filter(|d| d["code"] == "E020").collect();
    assert_eq!(errors.len(), 1, "{found:?}");
    let text = std::fs::read_to_string(root.join("answers/07-bias-and-disproportionate-impact.md")).unwrap();
    let line = text.lines().enumerate().filter(|(_, l)| *l == "::: figures").nth(1).unwrap().0 + 1;
    assert_eq!(errors[0]["line"], line, "{:?}", errors[0]);
    assert!(errors[0]["message"].as_str().unwrap().contains("placed already"), "{:?}", errors[0]);
}

#[test]
fn an_unknown_placement_still_fails_closed() {
    let (_project, root) = project(&answer("Prose.\n\n::: figurse\n"));
    let output = workbook().args(["check", "--format", "json"]).arg(&root).output().unwrap();
    let found = diagnostics_json(&output.stdout);
    assert!(found.iter().any(|d| d["code"] == "E020"), "{found:?}");
}

#[test]
fn the_retired_tool_fixture_checks_and_builds_in_both_audiences() {
    // A copy outside any repository, as a council's own project would be.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("retired-tool");
    copy_tree(&fixtures().join("retired-tool"), &root);
    let output = workbook().args(["check", "--format", "json"]).arg(&root).output().unwrap();
    let found = diagnostics_json(&output.stdout);
    let errors: Vec<_> = found.iter().filter(|d| d["severity"] == "error").collect();
    assert!(errors.is_empty(), "{errors:?}");
    let (_public, out) = build(&root, &[]);
    for (file, bytes) in crate::build::tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("INTERNAL-2"), "{file} holds internal text");
    }
    let page = std::fs::read_to_string(out.join("02-outcomes-and-benefits.html")).unwrap();
    assert!(at(&page, "The tables below show") < at(&page, "the figures in the chart"), "{page}");
    assert!(at(&page, "the figures in the chart") < at(&page, "That is why we stopped."), "{page}");
    let (_internal, out) = build(&root, &["--audience", "internal"]);
    let page = std::fs::read_to_string(out.join("01-describe-the-tool.html")).unwrap();
    assert!(page.contains("INTERNAL-203"), "the internal build shows the internal passage");
}
