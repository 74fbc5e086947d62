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
