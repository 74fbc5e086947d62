//! The settings side of a real record: phase checklists, who is responsible, and decisions about the
//! tool, each shown to the audience that may see it, counted, and checked.

use crate::build::tree as read_tree;
use crate::support::{copy_tree, diagnostics_json, fixtures, workbook};
use std::path::{Path, PathBuf};

/// The base fixture's settings with every new key: public and internal entries, each internal one
/// carrying a marker that must never reach a public file.
const SETTINGS: &str = r#"framework: dfe-csc-2024
organisation:
  name: Testshire County Council
  website: https://www.testshire.example
  partners:
    - name: Testshire Police
      role: Shares incident data on the joint database
tool:
  name: Placement Matching Helper
  summary: A tool that helps social workers compare placements for children in care.
  phase: explore
  team: Children's Data and Insight Team
  senior_responsible_owner: Director of Children's Services
  third_parties:
    - name: Analytics Supplier Ltd
      companies_house_number: "01234567"
      role: Built and hosts the model
      procurement: Call-off from the G-Cloud 13 framework, 2024
      data_access_terms: Processes pseudonymised data under a data processing agreement
    - name: Secret Consultancy MARKER-TP-INTERNAL
      companies_house_number: SC123456
      role: Reviews the code MARKER-TP-ROLE
      visibility: internal
contact:
  email: ethics@testshire.example
  concerns: Write to the data ethics team.
site:
  language: en-GB
checklist:
  explore-data-maturity:
    status: done
    date: 2025-05-03
    note: We used the *DfE* self-assessment tool.
    evidence:
      - title: Data maturity self-assessment
        kind: report
        url: https://www.testshire.example/maturity
      - title: Raw scores MARKER-EV-INTERNAL
        kind: other
        url: https://www.testshire.example/raw
        visibility: internal
  explore-data-literacy:
    status: in-progress
  explore-demands:
    status: not-applicable
    note: The demand study was done by the region.
  explore-governance:
    status: done
    note: Board terms of reference MARKER-CL-INTERNAL
    visibility: internal
decisions:
  - date: 2025-01-15
    by: Children's Services Leadership Team
    decision: approved-pilot
    note: A six-month pilot in two localities.
  - date: 2025-09-01
    by: Corporate Data Board
    decision: paused
    note: Paused while the DPIA is reviewed MARKER-DEC-INTERNAL
    visibility: internal
  - date: 2026-02-10
    by: Cabinet
    decision: deployed
"#;

fn project(settings: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    copy_tree(&fixtures().join("base"), &root);
    std::fs::write(root.join("workbook.yaml"), settings).unwrap();
    (dir, root)
}

fn build(project: &Path, audience: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = workbook()
        .arg("build")
        .arg(project)
        .arg("--out")
        .arg(&out)
        .args(["--audience", audience])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "build failed:\n{}", String::from_utf8_lossy(&output.stderr));
    (dir, out)
}

fn page(out: &Path, name: &str) -> String {
    std::fs::read_to_string(out.join(name)).unwrap()
}

fn check_json(project: &Path) -> Vec<serde_json::Value> {
    let output = workbook().args(["check", "--format", "json"]).arg(project).output().unwrap();
    diagnostics_json(&output.stdout)
}

fn named<'a>(diagnostics: &'a [serde_json::Value], name: &str) -> Vec<&'a serde_json::Value> {
    diagnostics.iter().filter(|d| d["name"] == name).collect()
}

const MARKERS: &[&str] = &[
    "MARKER-TP-INTERNAL",
    "MARKER-TP-ROLE",
    "MARKER-EV-INTERNAL",
    "MARKER-CL-INTERNAL",
    "MARKER-DEC-INTERNAL",
];

#[test]
fn internal_entries_reach_no_public_file_and_every_internal_page_that_shows_them() {
    let (_dir, root) = project(SETTINGS);
    let (_public_dir, public) = build(&root, "public");
    for (name, bytes) in read_tree(&public) {
        let text = String::from_utf8_lossy(&bytes);
        for marker in MARKERS {
            assert!(!text.contains(marker), "public {name} holds {marker}");
        }
    }
    let (_internal_dir, internal) = build(&root, "internal");
    let home = page(&internal, "index.html");
    let explore = page(&internal, "phase-explore.html");
    for marker in ["MARKER-TP-INTERNAL", "MARKER-TP-ROLE", "MARKER-DEC-INTERNAL"] {
        assert!(home.contains(marker), "internal home page lacks {marker}");
    }
    for marker in ["MARKER-EV-INTERNAL", "MARKER-CL-INTERNAL"] {
        assert!(explore.contains(marker), "internal explore page lacks {marker}");
    }
    assert!(explore.contains("Internal — not published"), "{explore}");
}

#[test]
fn phase_page_shows_the_checklist_as_a_task_list_with_a_status_per_item() {
    let (_dir, root) = project(SETTINGS);
    let (_out_dir, out) = build(&root, "public");
    let explore = page(&out, "phase-explore.html");
    let item = |id: &str| {
        let start =
            explore.find(&format!("id=\"checklist-{id}\"")).unwrap_or_else(|| panic!("no {id}: {explore}"));
        // To the next item, or the end of the list.
        let end =
            explore[start + 1..].find("<li class=\"task-list__item").map_or(explore.len(), |e| e + start + 1);
        explore[start..end].to_owned()
    };
    let maturity = item("explore-data-maturity");
    assert!(maturity.contains("completed a data maturity self-assessment"), "{maturity}");
    assert!(maturity.contains(">Done</strong>"), "{maturity}");
    assert!(maturity.contains("<time datetime=\"2025-05-03\">3 May 2025</time>"), "{maturity}");
    assert!(maturity.contains("<em>DfE</em>"), "the note is Markdown: {maturity}");
    assert!(maturity.contains("href=\"https://www.testshire.example/maturity\""), "{maturity}");
    assert!(item("explore-data-literacy").contains(">In progress</strong>"));
    assert!(item("explore-demands").contains(">Not applicable</strong>"));
    assert!(item("explore-business-case").contains(">Not recorded</strong>"));
    // The internal entry is not published: the public sees that, and nothing of it.
    assert!(item("explore-governance").contains(">Not published</strong>"));
    assert!(explore.contains("class=\"task-list\""), "{explore}");

    let (_internal_dir, internal) = build(&root, "internal");
    let explore = page(&internal, "phase-explore.html");
    let start = explore.find("id=\"checklist-explore-governance\"").unwrap();
    let governance = &explore[start..start + explore[start..].find("<p class=\"hint\">").unwrap()];
    assert!(governance.contains(">Done</strong>"), "{governance}");
    assert!(governance.contains("Internal — not published"), "{governance}");
}

#[test]
fn the_print_view_holds_the_checklists_responsibility_and_decisions() {
    let (_dir, root) = project(SETTINGS);
    let (_out_dir, out) = build(&root, "public");
    let print = page(&out, "print.html");
    let start = print.find("id=\"checklist-explore-heading\"").expect("the explore phase's checklist");
    let explore = &print[start..];
    assert!(explore.contains("completed a data maturity self-assessment"), "{explore}");
    assert!(explore.contains(">Done</strong>"), "{explore}");
    assert!(explore.contains(">Not published</strong>"), "the internal entry shows as not published");
    assert!(print.contains("href=\"#checklist-explore\""), "the contents link to it: {print}");
    assert!(print.contains("id=\"responsible\"") && print.contains("Analytics Supplier Ltd"), "{print}");
    assert!(print.contains("Approved for a pilot"), "{print}");

    let (_internal_dir, internal) = build(&root, "internal");
    let print = page(&internal, "print.html");
    for marker in MARKERS {
        assert!(print.contains(marker), "the internal print view lacks {marker}");
    }
}

#[test]
fn home_page_says_who_is_responsible_and_lists_the_decisions_oldest_first() {
    let (_dir, root) = project(SETTINGS);
    let (_out_dir, out) = build(&root, "public");
    let home = page(&out, "index.html");
    let start = home.find("id=\"responsible\"").expect("a Who is responsible section");
    let section = &home[start..];
    assert!(section.contains("Who is responsible"), "{section}");
    for text in [
        "Children&#39;s Data and Insight Team",
        "Director of Children&#39;s Services",
        "Testshire Police",
        "Shares incident data on the joint database",
        "Analytics Supplier Ltd",
        "01234567",
        "Call-off from the G-Cloud 13 framework, 2024",
        "Processes pseudonymised data under a data processing agreement",
    ] {
        assert!(section.contains(text), "no {text} in {section}");
    }
    assert!(home.contains("summary-list"), "{home}");
    let pilot = home.find("Approved for a pilot").expect("the pilot decision");
    let deployed = home.find(">Deployed<").expect("the deployment decision");
    assert!(pilot < deployed, "decisions are oldest first");
    assert!(home.contains("<time datetime=\"2025-01-15\">15 January 2025</time>"), "{home}");
    assert!(!home.contains("Paused"), "the internal decision is not public");

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("workbook.json")).unwrap()).unwrap();
    assert_eq!(json["responsibility"]["senior_responsible_owner"], "Director of Children's Services");
    assert_eq!(json["responsibility"]["third_parties"].as_array().map(Vec::len), Some(1));
    assert_eq!(json["decisions"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["decisions"][0]["decision"], "approved-pilot");
}

#[test]
fn status_and_the_record_count_the_checklist() {
    let (_dir, root) = project(SETTINGS);
    let output = workbook().arg("status").arg(&root).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    // Explore has 6 items: 2 done (one internal), 1 not applicable, 1 in progress.
    assert!(
        text.contains("Explore (stages 1–4): 3/10 prompts; checklist 3 of 6 done or not applicable"),
        "{text}"
    );
    assert!(text.contains("checklist: 3 of 18 items done or not applicable"), "{text}");

    let output = workbook().args(["status", "--format", "json"]).arg(&root).output().unwrap();
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["summary"]["checklist_done"], 2);
    assert_eq!(value["summary"]["checklist_not_applicable"], 1);
    assert_eq!(value["summary"]["checklist_total"], 18);

    let output = workbook().args(["status", "--format", "markdown"]).arg(&root).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("3 of 18 checklist items done or not applicable"), "{text}");

    // The public record counts what the public may read: the internal entry is not counted.
    let (_public_dir, public) = build(&root, "public");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("workbook.json")).unwrap()).unwrap();
    assert_eq!(json["progress"]["checklist_done"], 1);
    assert_eq!(json["progress"]["checklist_not_applicable"], 1);
    assert_eq!(json["progress"]["checklist_total"], 18);
    let (_internal_dir, internal) = build(&root, "internal");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(internal.join("workbook.json")).unwrap()).unwrap();
    assert_eq!(json["progress"]["checklist_done"], 2);
}

#[test]
fn the_new_keys_add_no_finding_where_all_is_in_order() {
    let (_dir, root) = project(SETTINGS);
    let found = check_json(&root);
    let new: Vec<_> = found
        .iter()
        .filter(|d| {
            // W014 no-base-url is about publishing, not the new keys.
            (d["file"] == "workbook.yaml" && d["code"] != "W014")
                || d["name"].as_str().is_some_and(|n| n.starts_with("checklist"))
        })
        .collect();
    assert!(new.is_empty(), "{new:#?}");
}

#[test]
fn an_unknown_checklist_id_is_an_error_at_its_key_with_did_you_mean() {
    let settings = SETTINGS.replace("  explore-demands:\n", "  explore-demand:\n");
    let (_dir, root) = project(&settings);
    let output = workbook().args(["check", "--format", "json"]).arg(&root).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let found = diagnostics_json(&output.stdout);
    let unknown = named(&found, "unknown-checklist-item");
    assert_eq!(unknown.len(), 1, "{found:#?}");
    let line = settings.lines().position(|l| l == "  explore-demand:").unwrap() + 1;
    assert_eq!(unknown[0]["file"], "workbook.yaml");
    assert_eq!(unknown[0]["line"], line);
    assert_eq!(unknown[0]["column"], 3);
    assert_eq!(unknown[0]["severity"], "error");
    assert!(unknown[0]["help"].as_str().unwrap().contains("did you mean `explore-demands`?"), "{unknown:#?}");
}

#[test]
fn a_phase_left_behind_with_items_not_done_warns() {
    let settings = SETTINGS.replace("  phase: explore\n", "  phase: develop\n");
    let (_dir, root) = project(&settings);
    let found = check_json(&root);
    let incomplete = named(&found, "checklist-incomplete");
    assert_eq!(incomplete.len(), 1, "{found:#?}");
    let message = incomplete[0]["message"].as_str().unwrap();
    assert!(message.contains("explore"), "{message}");
    for id in ["explore-data-literacy", "explore-datasets", "explore-business-case"] {
        assert!(message.contains(id), "{message}");
    }
    assert!(!message.contains("explore-data-maturity"), "{message}");
    assert!(!message.contains("explore-demands"), "not applicable counts as done: {message}");
    let line = settings.lines().position(|l| l == "  phase: develop").unwrap() + 1;
    assert_eq!(incomplete[0]["line"], line);

    // The current phase's items may still be under way.
    let found = check_json(&project(SETTINGS).1);
    assert!(named(&found, "checklist-incomplete").is_empty(), "{found:#?}");
}

#[test]
fn a_senior_responsible_owner_who_looks_like_a_person_warns() {
    for name in ["Sarah Jones", "Dr Amir Khan"] {
        let settings = SETTINGS.replace("Director of Children's Services", name);
        let found = check_json(&project(&settings).1);
        let warned = named(&found, "sro-looks-like-a-name");
        assert_eq!(warned.len(), 1, "{name}: {found:#?}");
        let line = settings.lines().position(|l| l.contains(name)).unwrap() + 1;
        assert_eq!(warned[0]["line"], line);
    }
    for role in ["Head of Early Help", "Chief Information Officer", "Assistant Director, Safeguarding"] {
        let settings = SETTINGS.replace("Director of Children's Services", role);
        let found = check_json(&project(&settings).1);
        assert!(named(&found, "sro-looks-like-a-name").is_empty(), "{role}: {found:#?}");
    }
}

#[test]
fn a_retired_tool_without_a_decision_to_decommission_it_warns() {
    let settings = SETTINGS.replace("  phase: explore\n", "  phase: retired\n");
    let (_dir, root) = project(&settings);
    let found = check_json(&root);
    assert_eq!(named(&found, "retired-without-decommission").len(), 1, "{found:#?}");

    let decided = format!(
        "{settings}  - date: 2026-05-01\n    by: Cabinet\n    decision: decommissioned\n    note: Replaced by a manual process.\n"
    );
    let found = check_json(&project(&decided).1);
    assert!(named(&found, "retired-without-decommission").is_empty(), "{found:#?}");
}

#[test]
fn a_companies_house_number_of_the_wrong_form_is_an_error_at_it() {
    let settings = SETTINGS.replace("\"01234567\"", "\"1234567\"");
    let found = check_json(&project(&settings).1);
    let wrong: Vec<_> =
        found.iter().filter(|d| d["message"].as_str().is_some_and(|m| m.contains("1234567"))).collect();
    assert_eq!(wrong.len(), 1, "{found:#?}");
    assert_eq!(wrong[0]["severity"], "error");
    let line = settings.lines().position(|l| l.contains("\"1234567\"")).unwrap() + 1;
    assert_eq!(wrong[0]["line"], line);
}

#[test]
fn checklist_evidence_is_checked_and_copied_as_answers_evidence_is() {
    let with_file = SETTINGS.replace(
        "        url: https://www.testshire.example/maturity\n",
        "        file: evidence/maturity.pdf\n",
    );
    let (_dir, root) = project(&with_file);
    let found = check_json(&root);
    assert_eq!(named(&found, "evidence-missing").len(), 1, "{found:#?}");
    std::fs::create_dir_all(root.join("evidence")).unwrap();
    std::fs::write(root.join("evidence/maturity.pdf"), b"%PDF-1.4 maturity").unwrap();
    let found = check_json(&root);
    assert!(named(&found, "evidence-missing").is_empty(), "{found:#?}");
    let (_out_dir, out) = build(&root, "public");
    assert!(out.join("evidence/maturity.pdf").is_file());
    assert!(page(&out, "phase-explore.html").contains("href=\"./evidence/maturity.pdf\""));
}

#[test]
fn the_settings_schema_describes_the_new_keys() {
    let output = workbook().args(["schema", "--for", "settings"]).output().unwrap();
    let schema = String::from_utf8(output.stdout).unwrap();
    for key in [
        "checklist",
        "decisions",
        "senior_responsible_owner",
        "third_parties",
        "companies_house_number",
        "partners",
        "decommissioned",
        "not-applicable",
    ] {
        assert!(schema.contains(&format!("\"{key}\"")), "the schema lacks {key}");
    }
}

#[test]
fn a_change_to_an_internal_entry_is_not_a_public_change() {
    let (_dir, root) = project(SETTINGS);
    crate::support::git(&root, &["init", "-q"]);
    crate::support::git(&root, &["add", "-A"]);
    crate::support::git_at(&root, "2026-01-01T00:00:00Z", &["commit", "-q", "-m", "Start the workbook"]);
    let edit = |from: &str, to: &str, date: &str, subject: &str| {
        let path = root.join("workbook.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        crate::support::git_at(&root, date, &["commit", "-q", "-am", subject]);
    };
    edit("MARKER-DEC-INTERNAL", "MARKER-DEC-INTERNAL, done", "2026-02-01T00:00:00Z", "LEAK-DECISION");
    edit("MARKER-TP-ROLE", "MARKER-TP-ROLE and tests", "2026-02-02T00:00:00Z", "LEAK-THIRD-PARTY");
    edit("Board terms of reference", "Board terms", "2026-02-03T00:00:00Z", "LEAK-CHECKLIST");
    edit("A six-month pilot", "A nine-month pilot", "2026-03-01T00:00:00Z", "Lengthen the pilot");

    let (_public_dir, public) = build(&root, "public");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("workbook.json")).unwrap()).unwrap();
    let subjects: Vec<&str> =
        json["changes"].as_array().unwrap().iter().filter_map(|c| c["subject"].as_str()).collect();
    assert_eq!(subjects, ["Lengthen the pilot", "Start the workbook"]);
    let (_internal_dir, internal) = build(&root, "internal");
    assert!(page(&internal, "changes.html").contains("LEAK-CHECKLIST"));
}
