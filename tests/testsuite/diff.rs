//! `diff` as a reviewer reads it: values old → new, whole rows for added and removed items, what is
//! published for the first time, files that no longer parse, and Markdown that holds whatever the
//! answers say.

use crate::support::{copy_tree, fixtures, git, workbook};
use std::path::{Path, PathBuf};

/// Question 1, in review (so public), with three metrics and a public and an internal risk.
const ANSWER: &str = "---
question: 1
status: in-review
next_review: 2099-01-01
prompts:
  q1-analytics-type: Descriptive.
risks:
  - risk: Families are misrepresented.
    likelihood: medium
    impact: high
    mitigation: Audit the data.
  - risk: The supplier keeps a copy of every referral.
    likelihood: low
    impact: high
    mitigation: Contract clause 12.
    visibility: internal
metrics:
  - name: Referrals
    group: All
    value: 10
  - name: Referrals
    group: Disabled children
    value: 4
  - name: Re-referral rate
    unit: '%'
    value: 18.2
---

Body.
";

/// A project whose question 1 is `ANSWER`, committed once.
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    copy_tree(&fixtures().join("base"), &project);
    std::fs::write(project.join("answers/01-describe-the-tool.md"), ANSWER).unwrap();
    git(&project, &["init", "-q", "-b", "main"]);
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-qm", "Start"]);
    (dir, project)
}

/// Commits question 1 with `from` replaced by `to` (once).
fn change(project: &Path, from: &str, to: &str) {
    let answer = project.join("answers/01-describe-the-tool.md");
    let text = std::fs::read_to_string(&answer).unwrap();
    assert!(text.contains(from), "{from:?} is not in the answer");
    std::fs::write(&answer, text.replacen(from, to, 1)).unwrap();
    git(project, &["commit", "-qam", "Change"]);
}

/// `diff --from HEAD~1 --to HEAD` with extra arguments: exit code and stdout.
fn diff_last_commit(project: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = workbook()
        .args(["diff", "--from", "HEAD~1", "--to", "HEAD"])
        .args(args)
        .arg(project)
        .output()
        .unwrap();
    (output.status.code(), String::from_utf8(output.stdout).unwrap())
}

/// The JSON diff of the last commit, which must succeed.
fn json_of_last_commit(project: &Path) -> serde_json::Value {
    let (code, stdout) = diff_last_commit(project, &["--format", "json"]);
    assert_eq!(code, Some(0), "{stdout}");
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn the_diff_of_a_changed_metric_shows_both_values() {
    let (_dir, project) = project();
    change(&project, "value: 18.2", "value: 17.9");
    let diff = json_of_last_commit(&project);
    assert_eq!(
        diff["questions"][0]["changes"],
        serde_json::json!([{
            "kind": "item-changed",
            "list": "metrics",
            "item": "“Re-referral rate”",
            "fields": ["value"],
            "values": [{ "path": "metrics[2].value", "from": 18.2, "to": 17.9 }],
        }])
    );
    let (code, markdown) = diff_last_commit(&project, &[]);
    assert_eq!(code, Some(0));
    assert!(markdown.contains("- `metrics[2].value`: 18.2 → 17.9\n"), "{markdown}");
}

#[test]
fn an_added_and_a_removed_item_are_shown_whole() {
    let (_dir, project) = project();
    change(
        &project,
        "    mitigation: Audit the data.\n",
        "    mitigation: Audit the data.\n  - risk: Staff read the dashboard as a ranking.\n    likelihood: high\n    impact: medium\n    mitigation: Training for every user.\n    owner: Head of Early Help\n",
    );
    let diff = json_of_last_commit(&project);
    let added = &diff["questions"][0]["changes"][0];
    assert_eq!(added["kind"], "item-added");
    assert_eq!(added["row"]["risk"], "Staff read the dashboard as a ranking.");
    assert_eq!(added["row"]["likelihood"], "high");
    assert_eq!(added["row"]["mitigation"], "Training for every user.");
    assert_eq!(added["row"]["owner"], "Head of Early Help");
    let (_, markdown) = diff_last_commit(&project, &[]);
    assert!(markdown.contains("**Added to risks** (1):"), "{markdown}");
    let row = markdown.lines().find(|l| l.contains("Staff read the dashboard")).unwrap();
    for field in ["high", "medium", "Training for every user.", "Head of Early Help"] {
        assert!(row.contains(field), "{row}");
    }

    // Removing it again shows the row it had.
    git(&project, &["revert", "--no-edit", "HEAD"]);
    let diff = json_of_last_commit(&project);
    let removed = &diff["questions"][0]["changes"][0];
    assert_eq!(removed["kind"], "item-removed");
    assert_eq!(removed["row"]["mitigation"], "Training for every user.");
    let (_, markdown) = diff_last_commit(&project, &[]);
    assert!(markdown.contains("**Removed from risks** (1):"), "{markdown}");
}

#[test]
fn the_public_diff_holds_nothing_internal() {
    let (_dir, project) = project();
    change(&project, "Contract clause 12.", "Contract clause 14, signed by Jo Bloggs.");
    let (code, markdown) = diff_last_commit(&project, &[]);
    assert_eq!(code, Some(0));
    assert!(markdown.contains("No answers changed."), "{markdown}");
    assert!(!markdown.contains("Jo Bloggs") && !markdown.contains("supplier keeps"), "{markdown}");
    // The internal view shows it, with both values.
    let (_, internal) = diff_last_commit(&project, &["--audience", "internal"]);
    assert!(
        internal.contains(
            "`risks[1].mitigation`: Contract clause 12. → Contract clause 14, signed by Jo Bloggs."
        ),
        "{internal}"
    );
}

#[test]
fn an_answer_that_leaves_draft_or_internal_is_first_published() {
    let (_dir, project) = project();
    change(&project, "status: in-review", "status: draft");
    change(&project, "status: draft", "status: in-review");
    let diff = json_of_last_commit(&project);
    let changes = diff["questions"][0]["changes"].as_array().unwrap();
    assert_eq!(changes[0], serde_json::json!({ "kind": "first-published", "was": "draft" }));
    assert_eq!(changes[1], serde_json::json!({ "kind": "status", "from": "draft", "to": "in-review" }));
    // What it publishes is all new to the public: the risk and the metrics, whole.
    assert!(
        changes
            .iter()
            .any(|c| c["kind"] == "item-added" && c["row"]["risk"] == "Families are misrepresented.")
    );
    let (_, markdown) = diff_last_commit(&project, &[]);
    assert!(markdown.contains("**First published** (it was a draft)"), "{markdown}");

    change(&project, "status: in-review", "status: in-review\nvisibility: internal");
    let diff = json_of_last_commit(&project);
    assert_eq!(
        diff["questions"][0]["changes"][0],
        serde_json::json!({ "kind": "unpublished", "now": "internal" })
    );
    change(&project, "visibility: internal\n", "");
    let diff = json_of_last_commit(&project);
    assert_eq!(
        diff["questions"][0]["changes"][0],
        serde_json::json!({ "kind": "first-published", "was": "internal" })
    );
    assert_eq!(diff["newly_public"], serde_json::json!([{ "question": 1, "what": "the whole answer" }]));
}

#[test]
fn a_file_that_no_longer_parses_is_an_error_with_its_position_not_a_removal() {
    let (_dir, project) = project();
    change(&project, "    impact: high\n    mitigation: Audit", "    impact: high\n   mitigation: [Audit");
    let output = workbook()
        .args(["diff", "--from", "HEAD~1", "--to", "HEAD", "--format", "json"])
        .arg(&project)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let diff: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(diff["questions"], serde_json::json!([]), "not removed");
    let problem = &diff["problems"][0];
    assert_eq!(problem["file"], "answers/01-describe-the-tool.md");
    assert_eq!(problem["revision"], "HEAD");
    assert!(problem["line"].as_u64().is_some_and(|l| l > 1), "{problem}");
    assert_eq!(problem["unread"], true);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("answers/01-describe-the-tool.md:"), "{stderr}");
    let (code, markdown) = diff_last_commit(&project, &[]);
    assert_eq!(code, Some(1));
    assert!(!markdown.contains("removed"), "{markdown}");
    assert!(markdown.contains("`answers/01-describe-the-tool.md:"), "{markdown}");
    // Fixing it again is a diff that succeeds: the old side's problem is reported, not fatal.
    git(&project, &["revert", "--no-edit", "HEAD"]);
    assert_eq!(diff_last_commit(&project, &[]).0, Some(0));
}

/// The blocks of a Markdown document as GitHub reads it: (kind, text) for each table, table row,
/// code block and HTML block at the top level or in a list.
fn blocks(markdown: &str) -> Vec<(String, String)> {
    use comrak::nodes::NodeValue;
    let arena = comrak::Arena::new();
    let mut options = comrak::Options::default();
    options.extension.table = true;
    let root = comrak::parse_document(&arena, markdown, &options);
    let mut out = Vec::new();
    for node in root.descendants() {
        match &node.data.borrow().value {
            NodeValue::CodeBlock(block) => out.push(("code".to_owned(), block.literal.clone())),
            NodeValue::HtmlBlock(block) => out.push(("html".to_owned(), block.literal.clone())),
            NodeValue::TableRow(_) => out.push(("row".to_owned(), String::new())),
            NodeValue::Heading(_) => out.push(("heading".to_owned(), String::new())),
            _ => {}
        }
    }
    out
}

#[test]
fn markdown_output_cannot_be_broken_out_of() {
    let (_dir, project) = project();
    change(
        &project,
        "  q1-analytics-type: Descriptive.\n",
        "  q1-analytics-type: |\n    Descriptive.\n\n    ````\n    </details>\n\n    # Approved by the board\n\n    ``````\n",
    );
    change(
        &project,
        "    mitigation: Audit the data.\n",
        "    mitigation: Audit the data.\n  - risk: \"Pipes | in a cell\\r\\n| and a row\"\n    likelihood: high\n    impact: medium\n    mitigation: \"`code` and | more\\n\\n# heading\"\n",
    );
    git(&project, &["reset", "-q", "--soft", "HEAD~2"]);
    git(&project, &["commit", "-qm", "Both"]);
    let (code, markdown) = diff_last_commit(&project, &[]);
    assert_eq!(code, Some(0), "{markdown}");
    let blocks = blocks(&markdown);
    // One code block, holding the whole text diff; the table has its header and one row.
    let code_blocks: Vec<&String> = blocks.iter().filter(|(k, _)| k == "code").map(|(_, t)| t).collect();
    assert_eq!(code_blocks.len(), 1, "{markdown}");
    assert!(code_blocks[0].contains("</details>") && code_blocks[0].contains("``````"), "{markdown}");
    assert!(code_blocks[0].contains("# Approved by the board"), "{markdown}");
    assert_eq!(blocks.iter().filter(|(k, _)| k == "row").count(), 2, "{markdown}");
    // The only headings are the diff's own: its title and the question.
    assert_eq!(blocks.iter().filter(|(k, _)| k == "heading").count(), 2, "{markdown}");
    // The `</details>` that closes the fold is the diff's, after the code block.
    let html: Vec<&String> = blocks.iter().filter(|(k, _)| k == "html").map(|(_, t)| t).collect();
    assert_eq!(html.len(), 2, "{markdown}");
    assert!(html[1].contains("</details>"), "{markdown}");
}

#[test]
fn an_old_revisions_file_over_the_limit_is_never_read() {
    let (_dir, project) = project();
    let answer = project.join("answers/01-describe-the-tool.md");
    let big = ANSWER.replace("Body.\n", &"A long body line that repeats.\n".repeat(40_000));
    std::fs::write(&answer, &big).unwrap();
    git(&project, &["commit", "-qam", "Too long"]);
    let tree = workbook::load::tree::GitTree::read(&project, "HEAD").unwrap();
    use workbook::load::tree::{Entry, Tree};
    assert_eq!(tree.entry("answers/01-describe-the-tool.md"), Entry::File(big.len() as u64));
    assert!(tree.read("answers/01-describe-the-tool.md").is_err(), "read whole");
    assert!(tree.read("workbook.yaml").is_ok());
    // The diff says why, with the limit, as `check` does.
    let (code, markdown) = diff_last_commit(&project, &[]);
    assert_eq!(code, Some(1));
    assert!(markdown.contains("the limit is 1048576"), "{markdown}");
}
