//! `workbook status`: counts computed from the files, per phase and overall.

use crate::support::{fixtures, workbook};

#[test]
fn half_answered_workbook_shows_the_right_counts_per_phase() {
    let project = fixtures().join("half-answered");
    let output = workbook().arg("status").arg(&project).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    // Q1 3/3, Q2 1/4, Q3 missing 0/1, Q4 2/2 (its nested prompts answer q4-governance).
    assert!(text.contains("Explore (stages 1–4): 6/10 prompts"), "{text}");
    // Q6 answered by its body, Q7 1/4, the rest missing.
    assert!(text.contains("Develop (stages 5–8): 2/18 prompts"), "{text}");
    assert!(text.contains("Implement (stages 9–10): 0/12 prompts"), "{text}");
    assert!(
        text.contains("20% complete: 8 of 40 prompts answered, 1 of 13 questions complete, 1 review overdue"),
        "{text}"
    );
    assert!(text.contains("2026-03-01 overdue"), "{text}");
}

#[test]
fn status_json_and_markdown_agree_with_the_table() {
    let project = fixtures().join("half-answered");
    let output = workbook().args(["status", "--format", "json"]).arg(&project).output().unwrap();
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["summary"]["prompts_answered"], 8);
    assert_eq!(value["summary"]["prompts_total"], 40);
    assert_eq!(value["summary"]["reviews_overdue"], 1);
    let q2 = &value["questions"][1];
    assert_eq!((q2["answered"].as_u64(), q2["total"].as_u64()), (Some(1), Some(4)));
    assert_eq!(q2["status"], "draft");
    assert_eq!(
        q2["unanswered"],
        serde_json::json!([
            "q2-engaging-users",
            "q2-outcomes-children-families",
            "q2-outcomes-practitioners"
        ])
    );

    let output = workbook().args(["status", "--format", "markdown"]).arg(&project).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("| 2 | Outcomes and benefits | In progress | 1/4 | Head of Early Help | **2026-03-01 (overdue)** |"), "{text}");
}

#[test]
fn status_of_a_folder_without_settings_fails_with_the_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    workbook()
        .arg("status")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("E008 missing-settings"));
}

/// The base project, with its first answer replaced by `answer`.
fn project_with_answer(answer: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_tree(&fixtures().join("base"), dir.path());
    std::fs::write(dir.path().join("answers/01-describe-the-tool.md"), answer).unwrap();
    dir
}

#[test]
fn a_file_with_errors_shows_as_an_error_and_status_fails() {
    let dir = project_with_answer("---\nquestion: 1\nstatus: draf\nowner: Head of Data\n---\n\nText.\n");
    let output = workbook().arg("status").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    let row = text.lines().find(|l| l.contains("Describe the tool")).unwrap_or_default();
    assert!(row.contains("Error"), "{text}");
    assert!(!row.contains("Not started"), "{text}");
    // The error itself is shown, so the author knows what to fix.
    assert!(String::from_utf8_lossy(&output.stderr).contains("`draf` is not a valid `status`"));

    let output = workbook().args(["status", "--format", "json"]).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["questions"][0]["status"], "error");
    assert_eq!(value["questions"][0]["errors"], 1);
    assert_eq!(value["questions"][1]["status"], "not-started");

    let output = workbook().args(["status", "--format", "markdown"]).arg(dir.path()).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("| 1 | Describe the tool | Error |"), "{text}");
}

#[test]
fn public_status_leaves_out_what_is_internal() {
    let dir = project_with_answer(
        "---\nquestion: 1\nstatus: in-review\nvisibility: internal\nowner: Head of Quiet Matters\n\
         next_review: 2026-03-01\nprompts:\n  q1-analytics-type: Descriptive.\n---\n\nText.\n",
    );
    // Question 2 is public, with an answer only in an internal passage.
    std::fs::write(
        dir.path().join("answers/02-outcomes-and-benefits.md"),
        "---\nquestion: 2\nstatus: in-review\nowner: Head of Early Help\nnext_review: 2099-01-01\nprompts:\n  \
         q2-engaging-users: |\n    ::: internal\n    Only the board knows.\n    :::\n---\n",
    )
    .unwrap();
    let internal = workbook().arg("status").arg(dir.path()).output().unwrap();
    let internal = String::from_utf8(internal.stdout).unwrap();
    assert!(internal.contains("Head of Quiet Matters") && internal.contains("2026-03-01"), "{internal}");

    for format in ["text", "json", "markdown"] {
        let output = workbook()
            .args(["status", "--audience", "public", "--format", format])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(!text.contains("Head of Quiet Matters"), "{format}: {text}");
        assert!(!text.contains("2026-03-01"), "{format}: {text}");
        assert!(
            format == "json" || !text.contains(if format == "text" { "overdue" } else { "(overdue)" }),
            "{format}: the internal answer's review is internal too\n{text}"
        );
        // The public answer keeps its owner; its internal passage does not count as answered.
        assert!(text.contains("Head of Early Help"), "{format}: {text}");
        if format == "json" {
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            let q1 = &value["questions"][0];
            assert_eq!(q1["status"], serde_json::Value::Null, "{q1}");
            assert_eq!(q1["answered"], 0, "{q1}");
            assert_eq!(q1["unanswered"], serde_json::json!([]), "{q1}");
            assert_eq!(
                (&q1["owner"], &q1["next_review"], &q1["overdue"]),
                (&serde_json::Value::Null, &serde_json::Value::Null, &false.into())
            );
            assert_eq!(value["summary"]["reviews_overdue"], 0);
            assert_eq!(value["questions"][1]["answered"], 0);
            assert_eq!(value["summary"]["questions_complete"], 0);
        } else {
            let row = text.lines().find(|l| l.contains("Describe the tool")).unwrap_or_default();
            assert!(row.contains("Not published"), "{format}: {text}");
        }
    }
}

#[test]
fn public_status_tells_nothing_of_an_internal_checklist_entry() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_tree(&crate::support::fixtures().join("kitchen-sink"), dir.path());
    let public = |dir: &std::path::Path| {
        let output = workbook().args(["status", "--audience", "public"]).arg(dir).output().unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let before = public(dir.path());
    // `explore-governance` is internal in the kitchen sink: what it says must not move the counts.
    let path = dir.path().join("workbook.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let changed = text.replacen(
        "  explore-governance:\n    status: done",
        "  explore-governance:\n    status: not-done",
        1,
    );
    assert_ne!(text, changed, "the fixture has the internal entry");
    std::fs::write(&path, changed).unwrap();
    assert_eq!(public(dir.path()), before);
}
