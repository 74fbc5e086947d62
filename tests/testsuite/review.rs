//! `diff`, `export`, `schema` and the CI templates: review and reuse.

use crate::build::{build, tree};
use crate::support::{copy_tree, fixtures, git, workbook};
use std::path::{Path, PathBuf};

const ANSWER: &str = "---
question: 1
status: draft
next_review: 2099-01-01
prompts:
  q1-analytics-type: Descriptive.
risks:
  - risk: Families are misrepresented.
    likelihood: medium
    impact: high
    mitigation: Audit the data.
    visibility: internal
metrics:
  - name: Referrals
    group: All
    value: 10
---

Body.
";

/// `diff --deny newly-public` over the last commit of `project`.
fn deny_newly_public_in_last_commit(project: &Path) -> assert_cmd::assert::Assert {
    workbook()
        .args(["diff", "--from", "HEAD~1", "--to", "HEAD", "--deny", "newly-public"])
        .arg(project)
        .assert()
}

/// A repository with an initial commit and three changes: a status change, an internal risk made
/// public, and a new metric.
fn three_commits() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    copy_tree(&fixtures().join("base"), &project);
    let answer = project.join("answers/01-describe-the-tool.md");
    std::fs::write(&answer, ANSWER).unwrap();
    git(&project, &["init", "-q", "-b", "main"]);
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-qm", "Start"]);
    let steps = [
        ("status: draft", "status: in-review", "Send question 1 for review"),
        ("    visibility: internal\n", "", "Publish the risk"),
        (
            "    value: 10\n",
            "    value: 10\n  - name: Referrals\n    group: Disabled children\n    value: 4\n",
            "Add a metric",
        ),
    ];
    let mut text = ANSWER.to_owned();
    for (from, to, message) in steps {
        text = text.replacen(from, to, 1);
        std::fs::write(&answer, &text).unwrap();
        git(&project, &["commit", "-qam", message]);
    }
    (dir, project)
}

#[test]
fn diff_reports_exactly_the_three_changes_and_flags_the_newly_public_risk() {
    let (_dir, project) = three_commits();
    // The internal view holds the draft and the internal risk, so each change shows as itself; that
    // the public site shows the answer for the first time is said first.
    let output = workbook()
        .args(["diff", "--from", "HEAD~3", "--to", "HEAD", "--format", "json", "--audience", "internal"])
        .arg(&project)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let diff: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let questions = diff["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 1);
    assert_eq!(
        questions[0]["changes"],
        serde_json::json!([
            { "kind": "first-published", "was": "draft" },
            { "kind": "status", "from": "draft", "to": "in-review" },
            {
                "kind": "item-changed", "list": "risks", "item": "“Families are misrepresented.”", "fields": ["visibility"],
                "values": [{ "path": "risks[0].visibility", "from": "internal", "to": "public" }],
            },
            {
                "kind": "item-added", "list": "metrics", "item": "“Referrals / Disabled children”", "visibility": "public",
                // A figure keeps the digits its author wrote: `value: 4` is 4, not 4.0.
                "row": { "visibility": "public", "name": "Referrals", "group": "Disabled children", "value": 4 },
            },
        ])
    );
    assert_eq!(
        diff["newly_public"],
        serde_json::json!([{ "question": 1, "what": "risk “Families are misrepresented.”" }])
    );

    let output =
        workbook().args(["diff", "--from", "HEAD~3", "--to", "HEAD"]).arg(&project).output().unwrap();
    let markdown = String::from_utf8(output.stdout).unwrap();
    assert!(
        markdown.contains("**Newly public.**") && markdown.contains("Status: draft → **in-review**"),
        "{markdown}"
    );

    workbook()
        .args(["diff", "--from", "HEAD~3", "--to", "HEAD", "--deny", "newly-public"])
        .arg(&project)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("became public"));
    // A change with nothing newly public passes the same gate.
    deny_newly_public_in_last_commit(&project).code(0);
}

#[test]
fn an_internal_item_reworded_and_made_public_in_one_change_is_flagged() {
    let (_dir, project) = three_commits();
    let answer = project.join("answers/01-describe-the-tool.md");
    let text = std::fs::read_to_string(&answer).unwrap();
    // Start again from an internal risk, then reword it and publish it in one commit.
    std::fs::write(
        &answer,
        text.replace(
            "    mitigation: Audit the data.\n",
            "    mitigation: Audit the data.\n    visibility: internal\n",
        ),
    )
    .unwrap();
    git(&project, &["commit", "-qam", "Make the risk internal again"]);
    let reworded = std::fs::read_to_string(&answer)
        .unwrap()
        .replace("Families are misrepresented.", "Some families are misrepresented.")
        .replace("    visibility: internal\n", "");
    std::fs::write(&answer, reworded).unwrap();
    git(&project, &["commit", "-qam", "Reword and publish the risk"]);
    deny_newly_public_in_last_commit(&project)
        .code(1)
        .stdout(predicates::str::contains("may be an internal one, reworded"));
}

#[test]
fn diff_reads_revisions_through_git_and_never_touches_the_working_tree() {
    let (_dir, project) = three_commits();
    let answer = project.join("answers/01-describe-the-tool.md");
    let committed = std::fs::read_to_string(&answer).unwrap();
    std::fs::write(&answer, committed.replace("Descriptive.", "Descriptive only.")).unwrap();
    let before = tree(&project.join("answers"));
    let output = workbook().args(["diff", "--format", "json"]).arg(&project).output().unwrap();
    let diff: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(diff["to"], "working tree");
    let kinds: Vec<&str> = diff["questions"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"prompt-changed"), "{kinds:?}");
    assert_eq!(tree(&project.join("answers")), before);
    workbook().args(["diff", "--from", "no-such-revision"]).arg(&project).assert().code(2);
}

fn example_project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-project")
}

fn export(project: &Path, args: &[&str]) -> String {
    let output = workbook().arg("export").arg(project).args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn export_json_is_the_sites_workbook_json() {
    for audience in ["public", "internal"] {
        let (_dir, out) = build(&example_project(), &["--audience", audience]);
        let site = std::fs::read_to_string(out.join("workbook.json")).unwrap();
        assert_eq!(
            export(&example_project(), &["--format", "json", "--audience", audience]),
            site,
            "{audience}"
        );
    }
}

#[test]
fn export_csv_parses_with_a_row_per_question_and_per_prompt() {
    let text = export(&example_project(), &["--format", "csv"]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.iter().collect::<Vec<_>>(), workbook::export::csv::QUESTION_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 13);
    assert_eq!(&rows[6][0], "7");
    assert_eq!(&rows[6][4], "in-review");

    let text = export(&example_project(), &["--format", "csv-prompts"]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let framework = workbook::framework::Framework::builtin("dfe-csc-2024").unwrap();
    let prompts: usize = framework.questions.iter().map(|q| q.all_prompts().count()).sum();
    assert_eq!(rows.len(), prompts);
}

#[test]
fn public_exports_hold_no_internal_string() {
    let canary = fixtures().join("canary");
    for format in ["json", "csv", "csv-prompts", "atrs", "atrs-markdown", "atrs-csv"] {
        let text = export(&canary, &["--format", format]);
        assert!(!text.contains("CANARY"), "{format} leaked: {}", &text[text.find("CANARY").unwrap()..][..40]);
    }
    assert!(export(&canary, &["--format", "json", "--audience", "internal"]).contains("CANARY-RISK"));
}

fn schema(of: &str) -> serde_json::Value {
    let output = workbook().args(["schema", "--for", of]).output().unwrap();
    assert!(output.status.success());
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn the_schema_accepts_every_example_answer_and_rejects_an_unknown_key() {
    let answer = schema("answer");
    assert_eq!(answer["$schema"], "http://json-schema.org/draft-07/schema#");
    let validator = jsonschema::draft7::new(&answer).unwrap();
    for entry in std::fs::read_dir(example_project().join("answers")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let yaml = text.split("---\n").nth(1).unwrap();
        let value: serde_json::Value = serde_yaml::from_str(yaml).unwrap();
        let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
    let bad: serde_json::Value = serde_json::json!({ "question": 1, "status": "draft", "ownr": "x" });
    assert!(!validator.is_valid(&bad));

    let settings = jsonschema::draft7::new(&schema("settings")).unwrap();
    let value: serde_json::Value =
        serde_yaml::from_str(&std::fs::read_to_string(example_project().join("workbook.yaml")).unwrap())
            .unwrap();
    assert!(settings.is_valid(&value));
}

#[test]
fn ci_templates_are_valid_yaml_and_call_only_commands_that_exist() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("x");
    workbook().arg("init").arg(&project).assert().success();
    let mut calls = Vec::new();
    for file in [".github/workflows/workbook.yml", ".gitlab-ci.yml"] {
        let text = std::fs::read_to_string(project.join(file)).unwrap();
        let value: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        // They install the version that wrote them, and publish from the default branch by whatever
        // name it has.
        let version = format!("WORKBOOK_VERSION: \"{}\"", env!("CARGO_PKG_VERSION"));
        assert!(text.contains(&version), "{file}");
        assert!(!text.contains("branches: [main]") && !text.contains("{version}"), "{file}");
        // Every command line: `run:` steps and `script:` entries, the commented opt-ins too.
        let mut lines: Vec<String> = Vec::new();
        collect_commands(&value, &mut lines);
        lines.extend(
            text.lines()
                .filter_map(|l| l.trim().trim_start_matches('#').trim().strip_prefix("- "))
                .map(str::to_owned),
        );
        lines.extend(
            text.lines()
                .filter_map(|l| l.trim().trim_start_matches('#').trim().split_once("run: "))
                .map(|(_, r)| r.to_owned()),
        );
        for line in lines {
            for command in line.split(['|', '>', ';']).flat_map(|c| c.split("&&")) {
                let words: Vec<&str> = command.split_whitespace().collect();
                if words.first() == Some(&"workbook") {
                    calls.push(
                        words[1..]
                            .iter()
                            .map(|w| if w.contains('$') { "x" } else { w.trim_matches('"') })
                            .map(str::to_owned)
                            .collect::<Vec<_>>(),
                    );
                }
            }
        }
    }
    let subcommands: std::collections::BTreeSet<&str> = calls.iter().map(|c| c[0].as_str()).collect();
    assert!(subcommands.is_superset(&["check", "build", "diff"].into()), "{subcommands:?}");
    for call in calls {
        workbook().args(&call).arg("--help").assert().success();
    }
}

fn collect_commands(value: &serde_yaml::Value, out: &mut Vec<String>) {
    match value {
        serde_yaml::Value::Mapping(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    (Some("run"), serde_yaml::Value::String(s)) => out.push(s.clone()),
                    (Some("script" | "before_script"), serde_yaml::Value::Sequence(items)) => {
                        out.extend(items.iter().filter_map(|i| i.as_str().map(str::to_owned)));
                    }
                    _ => collect_commands(value, out),
                }
            }
        }
        serde_yaml::Value::Sequence(items) => items.iter().for_each(|i| collect_commands(i, out)),
        _ => {}
    }
}

#[test]
fn text_moved_from_an_internal_passage_into_a_public_prompt_is_flagged() {
    let (_dir, project) = three_commits();
    let answer = project.join("answers/01-describe-the-tool.md");
    let text = std::fs::read_to_string(&answer).unwrap();
    std::fs::write(
        &answer,
        text.replace("Body.\n", "Body.\n\n::: internal\nThe supplier keeps a copy of the data.\n:::\n"),
    )
    .unwrap();
    git(&project, &["commit", "-qam", "Note the supplier's copy, internally"]);
    let moved = std::fs::read_to_string(&answer)
        .unwrap()
        .replace("\n::: internal\nThe supplier keeps a copy of the data.\n:::\n", "")
        .replace(
            "q1-analytics-type: Descriptive.",
            "q1-analytics-type: Descriptive. The supplier keeps a copy of the data.",
        );
    std::fs::write(&answer, moved).unwrap();
    git(&project, &["commit", "-qam", "Move the note into the answer"]);
    deny_newly_public_in_last_commit(&project)
        .code(1)
        .stdout(predicates::str::contains("The supplier keeps a copy of the data."));
}

#[test]
fn internal_text_copied_into_another_questions_public_answer_is_flagged() {
    let (_dir, project) = three_commits();
    // Question 8 is internal as a whole; question 4 is public with an internal risk.
    std::fs::write(
        project.join("answers/08-privacy-and-safety.md"),
        "---\nquestion: 8\nstatus: draft\nvisibility: internal\n---\n\nThe supplier keeps a copy of the data.\n",
    )
    .unwrap();
    std::fs::write(
        project.join("answers/04-risks-and-mitigations.md"),
        "---\nquestion: 4\nstatus: draft\nrisks:\n  - risk: Re-identification of a family.\n    likelihood: low\n    impact: high\n    mitigation: Named contact at the supplier, Jo Bloggs, checks each extract.\n    visibility: internal\n---\n",
    )
    .unwrap();
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-qm", "Internal notes"]);
    let answer = project.join("answers/01-describe-the-tool.md");
    let text = std::fs::read_to_string(&answer).unwrap().replace(
        "Body.\n",
        "Body. The supplier keeps a copy\nof the data.\n\nNamed contact at the supplier, Jo Bloggs, checks each extract.\n",
    );
    std::fs::write(&answer, text).unwrap();
    git(&project, &["commit", "-qam", "Say more in question 1"]);
    let output = workbook()
        .args(["diff", "--from", "HEAD~1", "--to", "HEAD", "--format", "json", "--deny", "newly-public"])
        .arg(&project)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let diff: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        diff["newly_public"],
        serde_json::json!([
            { "question": 1, "what": "internal risk “Re-identification of a family.” of question 4: “Named contact at the supplier, Jo Bloggs, checks each extra…”" },
            { "question": 1, "what": "the internal answer of question 8: “The supplier keeps a copy of the data.”" },
        ])
    );
    // Words that were public already are not flagged when they are reused.
    git(&project, &["commit", "-q", "--allow-empty", "-m", "Nothing"]);
    deny_newly_public_in_last_commit(&project).success();
}

/// Question 1 (in review, so public) with an internal passage of two sentences, committed.
fn with_internal_passage() -> (tempfile::TempDir, PathBuf) {
    let (dir, project) = three_commits();
    let answer = project.join("answers/01-describe-the-tool.md");
    let text = std::fs::read_to_string(&answer).unwrap().replace(
        "Body.\n",
        "Body.\n\n::: internal\nThe supplier's engineers can see every family's referral history on request. \
         Our contract manager agreed this by phone in March.\n:::\n",
    );
    std::fs::write(&answer, text).unwrap();
    git(&project, &["commit", "-qam", "An internal note"]);
    (dir, project)
}

fn newly_public_in_last_commit(project: &Path) -> Vec<serde_json::Value> {
    let output = workbook()
        .args(["diff", "--from", "HEAD~1", "--to", "HEAD", "--format", "json"])
        .arg(project)
        .output()
        .unwrap();
    let diff: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    diff["newly_public"].as_array().unwrap().clone()
}

#[test]
fn one_sentence_copied_out_of_an_internal_passage_is_flagged_wherever_it_lands() {
    // Into the same answer's public prompt: one sentence of two, reworded around its edges.
    let (_dir, project) = with_internal_passage();
    let answer = project.join("answers/01-describe-the-tool.md");
    let text = std::fs::read_to_string(&answer).unwrap().replace(
        "q1-analytics-type: Descriptive.",
        "q1-analytics-type: \"Descriptive. Note that the supplier's engineers can see every family's referral history.\"",
    );
    std::fs::write(&answer, text).unwrap();
    git(&project, &["commit", "-qam", "Say who can see the data"]);
    let flags = newly_public_in_last_commit(&project);
    assert_eq!(flags.len(), 1, "{flags:#?}");
    assert_eq!(flags[0]["question"], 1);
    assert!(
        flags[0]["what"].as_str().unwrap().contains("supplier's engineers can see every family's"),
        "{flags:#?}"
    );
    deny_newly_public_in_last_commit(&project).code(1);

    // Into the settings, and into a text file the site publishes from static/.
    let (_dir, project) = with_internal_passage();
    let settings = project.join("workbook.yaml");
    let text = std::fs::read_to_string(&settings).unwrap().replace(
        "  concerns: Write to the data ethics team.\n",
        "  concerns: Write to us. Our contract manager agreed this by phone in March.\n",
    );
    std::fs::write(&settings, text).unwrap();
    std::fs::create_dir_all(project.join("static")).unwrap();
    std::fs::write(
        project.join("static/notes.txt"),
        "Notes: the supplier's engineers can see every family's referral history on request.\n",
    )
    .unwrap();
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-qm", "More words"]);
    let flags = newly_public_in_last_commit(&project);
    let files: Vec<&str> = flags.iter().filter_map(|f| f["file"].as_str()).collect();
    assert_eq!(files, ["static/notes.txt", "workbook.yaml"], "{flags:#?}");
    assert!(flags.iter().all(|f| f["what"].as_str().unwrap().contains("an internal passage")), "{flags:#?}");
}

#[test]
fn seven_words_in_common_are_not_a_copy_and_words_already_public_are_not_flagged() {
    let (_dir, project) = with_internal_passage();
    let answer = project.join("answers/01-describe-the-tool.md");
    // Seven words of the passage, then others.
    let text = std::fs::read_to_string(&answer).unwrap().replace(
        "q1-analytics-type: Descriptive.",
        "q1-analytics-type: \"Descriptive. The supplier's engineers can see every family's records, never their history.\"",
    );
    std::fs::write(&answer, text).unwrap();
    git(&project, &["commit", "-qam", "Seven words"]);
    assert_eq!(newly_public_in_last_commit(&project), Vec::<serde_json::Value>::new());
    deny_newly_public_in_last_commit(&project).code(0);
}

/// An answer whose cells start with every character a spreadsheet reads as the start of a formula. (Its
/// risk is only counted in the `csv` and `csv-prompts` tables; it is there for tables that list risks.)
const FORMULAS: &str = "---
question: 1
status: in-review
owner: \"-cmd|' /C calc'!A0\"
summary: \"@SUM(A1)\"
next_review: 2099-01-01
prompts:
  q1-analytics-type: \"=1+2\"
  q1-decision-process: \"+44 1632 960000\"
  q1-users-and-affected: \"-cmd|' /C calc'!A0\"
risks:
  - risk: \"@SUM(A1)\"
    likelihood: low
    impact: low
    mitigation: \"-2+3\"
---

Body.
";

/// A project whose answers start cells with formula characters, in a temporary folder.
fn formula_project(answers: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    copy_tree(&fixtures().join("base"), &project);
    for (name, text) in answers {
        std::fs::write(project.join("answers").join(name), text).unwrap();
    }
    (dir, project)
}

/// The rows of a CSV export, after its byte-order mark.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let body = text.strip_prefix('\u{feff}').unwrap_or_else(|| panic!("no BOM at the start: {text:?}"));
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(body.as_bytes());
    reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
}

#[test]
fn csv_exports_neutralise_every_formula_prefix_and_start_with_a_bom() {
    // Prompt answers are trimmed, so a leading tab or carriage return can only reach the owner and
    // summary.
    let second = "---\nquestion: 2\nstatus: in-review\nowner: \"\\tTab first\"\nsummary: \"\\rCR first\"\n\
                  next_review: 2099-01-01\nprompts:\n  q2-engaging-users: \"-3.5\"\n---\n";
    let (_dir, project) =
        formula_project(&[("01-describe-the-tool.md", FORMULAS), ("02-outcomes-and-benefits.md", second)]);

    let questions = csv_rows(&export(&project, &["--format", "csv"]));
    let column =
        |name: &str| workbook::export::csv::QUESTION_COLUMNS.iter().position(|c| *c == name).unwrap();
    assert_eq!(questions[0], workbook::export::csv::QUESTION_COLUMNS);
    assert_eq!(questions[1][column("owner")], "'-cmd|' /C calc'!A0");
    assert_eq!(questions[1][column("summary")], "'@SUM(A1)");
    assert_eq!(questions[2][column("owner")], "'\tTab first");
    assert_eq!(questions[2][column("summary")], "'\rCR first");

    let prompts = csv_rows(&export(&project, &["--format", "csv-prompts"]));
    assert_eq!(prompts[0], workbook::export::csv::PROMPT_COLUMNS);
    let answer = |id: &str| prompts.iter().find(|r| r[1] == id).unwrap_or_else(|| panic!("{id}"))[5].clone();
    assert_eq!(answer("q1-analytics-type"), "'=1+2");
    assert_eq!(answer("q1-decision-process"), "'+44 1632 960000");
    assert_eq!(answer("q1-users-and-affected"), "'-cmd|' /C calc'!A0");
    // A plain number cannot be a formula, and keeps its value in a spreadsheet.
    assert_eq!(answer("q2-engaging-users"), "-3.5");
    for row in questions.iter().chain(&prompts) {
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '@', '\t', '\r']), "live formula {cell:?} in {row:?}");
            assert!(!cell.starts_with('-') || cell == "-3.5", "live formula {cell:?} in {row:?}");
        }
    }
}

#[test]
fn no_bom_leaves_the_byte_order_mark_out_of_every_csv_export() {
    let (_dir, project) = formula_project(&[("01-describe-the-tool.md", FORMULAS)]);
    for format in ["csv", "csv-prompts"] {
        let with = export(&project, &["--format", format]);
        let without = export(&project, &["--format", format, "--no-bom"]);
        assert!(with.starts_with('\u{feff}'), "{format}: {with:?}");
        assert!(!without.starts_with('\u{feff}'), "{format}: {without:?}");
        assert_eq!(with.strip_prefix('\u{feff}'), Some(without.as_str()), "{format}");
    }
}

#[test]
fn words_joined_by_dashes_or_split_by_invisible_characters_are_still_the_same_words() {
    let (_dir, project) = with_internal_passage();
    let answer = project.join("answers/01-describe-the-tool.md");
    let text = std::fs::read_to_string(&answer).unwrap().replace(
        "q1-analytics-type: Descriptive.",
        "q1-analytics-type: \"Descriptive. The supplier's\u{2014}engineers can see ev&shy;ery fam\u{200B}ily's referral history on request.\"",
    );
    std::fs::write(&answer, text).unwrap();
    std::fs::create_dir_all(project.join("templates")).unwrap();
    git(&project, &["commit", "-qam", "Obfuscated copy"]);
    assert_eq!(newly_public_in_last_commit(&project).len(), 1);
    // A copy into a template the project overrides is public too.
    let (_dir, project) = with_internal_passage();
    std::fs::create_dir_all(project.join("templates")).unwrap();
    std::fs::write(
        project.join("templates/404.html"),
        "<p>Our contract manager agreed this by phone in March.</p>",
    )
    .unwrap();
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-qm", "A custom page"]);
    let flags = newly_public_in_last_commit(&project);
    assert_eq!(flags.len(), 1, "{flags:#?}");
    assert_eq!(flags[0]["file"], "templates/404.html");
}

#[test]
fn a_revision_is_a_commit_never_an_option_or_a_tree() {
    let (_dir, project) = three_commits();
    for rev in ["--full-tree", "HEAD:answers"] {
        workbook().args(["diff", "--from", rev]).arg(&project).assert().code(2);
    }
}
