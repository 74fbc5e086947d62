//! The history the site shows: parsed from `git log` without being fooled by what a commit message
//! holds, and, for the public, only the commits that changed what the public may read.

use crate::build::{build, tree};
use crate::support::{copy_tree, fixtures, git_at};
use std::path::{Path, PathBuf};

/// The canary fixture (a public answer with internal passages and items, and an internal answer)
/// in a new repository with one commit, "Start the workbook".
fn canary_repository() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    copy_tree(&fixtures().join("canary"), &project);
    git_at(&project, "2026-01-01T00:00:00Z", &["init", "-q", "-b", "main"]);
    commit_all(&project, "2026-01-01T00:00:00Z", "Start the workbook");
    (dir, project)
}

fn commit_all(project: &Path, date: &str, subject: &str) {
    git_at(project, date, &["add", "-A"]);
    git_at(project, date, &["commit", "-qm", subject]);
}

/// Replaces `from` with `to` in the project file `file`, which must contain it.
fn edit(project: &Path, file: &str, from: &str, to: &str) {
    let path = project.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The files of the built site that contain `needle`.
fn files_containing(out: &Path, needle: &str) -> Vec<String> {
    tree(out)
        .into_iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(needle))
        .map(|(path, _)| path)
        .collect()
}

fn json(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("workbook.json")).unwrap()).unwrap()
}

fn subjects(changes: &serde_json::Value) -> Vec<String> {
    changes.as_array().unwrap().iter().map(|c| c["subject"].as_str().unwrap().to_owned()).collect()
}

/// Asserts that `subject` is in no file of the public site and in the internal site's change log.
fn assert_only_internal(project: &Path, subject: &str) {
    let (_public_dir, public) = build(project, &[]);
    assert_eq!(files_containing(&public, subject), Vec::<String>::new(), "the public site shows `{subject}`");
    let (_internal_dir, internal) = build(project, &["--audience", "internal"]);
    assert!(
        std::fs::read_to_string(internal.join("changes.html")).unwrap().contains(subject),
        "the internal change log lacks `{subject}`"
    );
}

#[test]
fn history_a_commit_that_changed_only_internal_passages_and_items_is_not_public() {
    let (_dir, project) = canary_repository();
    let answer = "answers/01-describe-the-tool.md";
    edit(&project, answer, "CANARY-PASSAGE: the board", "CANARY-PASSAGE: the panel");
    edit(&project, answer, "CANARY-PROMPT-PASSAGE: the supplier", "CANARY-PROMPT-PASSAGE: the vendor");
    commit_all(&project, "2026-02-01T00:00:00Z", "LEAKMARK-PASSAGE reword the retention note");
    edit(
        &project,
        answer,
        "mitigation: CANARY-RISK-MITIGATION",
        "mitigation: CANARY-RISK-MITIGATION, revised",
    );
    commit_all(&project, "2026-02-02T00:00:00Z", "LEAKMARK-ITEM revise the supplier risk");
    // A public change after them is listed.
    edit(&project, answer, "More public text.", "More public text, revised.");
    commit_all(&project, "2026-02-03T00:00:00Z", "Revise the public text");

    assert_only_internal(&project, "LEAKMARK-PASSAGE");
    assert_only_internal(&project, "LEAKMARK-ITEM");
    let (_d, public) = build(&project, &[]);
    let record = json(&public);
    assert_eq!(subjects(&record["changes"]), ["Revise the public text", "Start the workbook"]);
    assert_eq!(
        subjects(&record["questions"][0]["history"]),
        ["Revise the public text", "Start the workbook"]
    );
}

#[test]
fn history_a_commit_made_while_an_answer_was_internal_is_not_public() {
    let (_dir, project) = canary_repository();
    let answer = "answers/02-outcomes-and-benefits.md";
    edit(&project, answer, "Workshops.", "Workshops with the safeguarding board.");
    commit_all(&project, "2026-02-01T00:00:00Z", "LEAKMARK-WHILE-INTERNAL note the board's concerns");
    edit(&project, answer, "visibility: internal", "visibility: public");
    commit_all(&project, "2026-03-01T00:00:00Z", "Publish the answer to question 2");

    assert_only_internal(&project, "LEAKMARK-WHILE-INTERNAL");
    let (_d, public) = build(&project, &[]);
    let record = json(&public);
    assert_eq!(subjects(&record["questions"][1]["history"]), ["Publish the answer to question 2"]);
}

#[test]
fn history_an_internal_answer_with_a_comment_in_the_settings_is_not_public() {
    let (_dir, project) = canary_repository();
    edit(&project, "answers/02-outcomes-and-benefits.md", "Workshops.", "Workshops and interviews.");
    edit(&project, "workbook.yaml", "review:", "# Reviewed by the board.\nreview:");
    commit_all(&project, "2026-02-01T00:00:00Z", "LEAKMARK-SETTINGS-COMMENT board notes");
    // A change to the public part of the settings is listed.
    edit(
        &project,
        "workbook.yaml",
        "Write to the data ethics team.",
        "Write to the data ethics team, or call.",
    );
    commit_all(&project, "2026-03-01T00:00:00Z", "Say how to raise a concern");

    assert_only_internal(&project, "LEAKMARK-SETTINGS-COMMENT");
    let (_d, public) = build(&project, &[]);
    assert_eq!(subjects(&json(&public)["changes"]), ["Say how to raise a concern", "Start the workbook"]);
}

#[test]
fn history_a_record_separator_in_a_subject_forges_no_commit() {
    let (_dir, project) = canary_repository();
    edit(&project, "answers/01-describe-the-tool.md", "More public text.", "More public text, revised.");
    let forged = "Real change\u{1e}0123456789abcdef0123456789abcdef01234567\u{1f}2020-01-01T00:00:00Z\u{1f}FORGED-AUTHOR\u{1f}FORGED-SUBJECT";
    commit_all(&project, "2026-02-01T00:00:00Z", forged);

    for audience in ["public", "internal"] {
        let (_d, out) = build(&project, &["--audience", audience]);
        let record = json(&out);
        assert_eq!(record["changes"].as_array().unwrap().len(), 2, "{audience}: {}", record["changes"]);
        for change in record["changes"].as_array().unwrap() {
            assert_ne!(change["hash"], "0123456789abcdef0123456789abcdef01234567", "{audience}");
            assert_ne!(change["author"], "FORGED-AUTHOR", "{audience}");
            assert_ne!(change["date"], "2020-01-01T00:00:00Z", "{audience}");
        }
        assert!(
            !String::from_utf8_lossy(&std::fs::read(out.join("changes.html")).unwrap())
                .contains("commit-0123456")
        );
        if audience == "internal" {
            // The subject is kept whole, its control characters dropped.
            let subject = record["changes"][0]["subject"].as_str().unwrap();
            assert!(subject.starts_with("Real change0123456789abcdef"), "{subject}");
            assert!(!subject.contains('\u{1e}') && !subject.contains('\u{1f}'), "{subject:?}");
        }
    }
}

#[test]
fn history_bidi_controls_are_removed_from_subjects_and_names() {
    let (_dir, project) = canary_repository();
    edit(&project, "answers/01-describe-the-tool.md", "More public text.", "More public text, revised.");
    git_at(&project, "2026-02-01T00:00:00Z", &["add", "-A"]);
    git_at(
        &project,
        "2026-02-01T00:00:00Z",
        &[
            "commit",
            "-qm",
            "Fix \u{202e}txt.exe\u{2066}\u{200f}",
            "--author",
            "Eve\u{202d} Writer <eve@example.invalid>",
        ],
    );
    let (_d, out) = build(&project, &["--audience", "internal"]);
    let record = json(&out);
    assert_eq!(record["changes"][0]["subject"], "Fix txt.exe");
    assert_eq!(record["changes"][0]["author"], "Eve Writer");
    let bidi = [
        '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}',
        '\u{2069}', '\u{200e}', '\u{200f}', '\u{061c}',
    ];
    for (path, bytes) in tree(&out) {
        assert!(!String::from_utf8_lossy(&bytes).contains(bidi), "{path} holds a bidi control");
    }
}

#[test]
fn history_a_renamed_answer_keeps_its_history() {
    let (_dir, project) = canary_repository();
    edit(&project, "answers/01-describe-the-tool.md", "More public text.", "More public text, revised.");
    commit_all(&project, "2026-02-01T00:00:00Z", "Revise the public text");
    git_at(
        &project,
        "2026-03-01T00:00:00Z",
        &["mv", "answers/01-describe-the-tool.md", "answers/01-the-tool.md"],
    );
    commit_all(&project, "2026-03-01T00:00:00Z", "LEAKMARK-RENAME tidy file names");

    let (_d, public) = build(&project, &[]);
    let record = json(&public);
    assert_eq!(
        subjects(&record["questions"][0]["history"]),
        ["Revise the public text", "Start the workbook"]
    );
    assert_eq!(
        files_containing(&public, "LEAKMARK-RENAME"),
        Vec::<String>::new(),
        "a pure rename is not public"
    );
    let (_i, internal) = build(&project, &["--audience", "internal"]);
    assert_eq!(
        subjects(&json(&internal)["questions"][0]["history"]),
        ["LEAKMARK-RENAME tidy file names", "Revise the public text", "Start the workbook"]
    );
}

#[test]
fn history_authors_are_hidden_from_the_public_by_default_and_shown_internally() {
    let (_dir, project) = canary_repository();
    edit(&project, "answers/01-describe-the-tool.md", "More public text.", "More public text, revised.");
    git_at(&project, "2026-02-01T00:00:00Z", &["add", "-A"]);
    git_at(
        &project,
        "2026-02-01T00:00:00Z",
        &["commit", "-qm", "Revise the public text", "--author", "Avery Quillmark <avery@example.invalid>"],
    );
    let (_d, public) = build(&project, &[]);
    assert_eq!(files_containing(&public, "Quillmark"), Vec::<String>::new());
    let changes = std::fs::read_to_string(public.join("changes.html")).unwrap();
    assert!(!changes.contains("By ."), "no empty byline: {changes}");
    let feed = std::fs::read_to_string(public.join("feed.xml")).unwrap();
    assert!(!feed.contains("<name></name>"), "{feed}");
    assert!(feed.contains("<name>Testshire County Council</name>"), "{feed}");

    let (_i, internal) = build(&project, &["--audience", "internal"]);
    assert!(std::fs::read_to_string(internal.join("changes.html")).unwrap().contains("Avery Quillmark"));
    assert_eq!(json(&internal)["changes"][0]["author"], "Avery Quillmark");

    // `history.authors: show` publishes them.
    edit(&project, "workbook.yaml", "review:", "history:\n  authors: show\nreview:");
    let (_s, shown) = build(&project, &[]);
    assert!(std::fs::read_to_string(shown.join("changes.html")).unwrap().contains("Avery Quillmark"));
}

#[test]
fn history_subjects_can_be_hidden_from_the_public() {
    let (_dir, project) = canary_repository();
    edit(&project, "answers/01-describe-the-tool.md", "More public text.", "More public text, revised.");
    edit(&project, "workbook.yaml", "review:", "history:\n  subjects: hide\nreview:");
    commit_all(&project, "2026-02-01T00:00:00Z", "SUBJECTMARK revise the public text");

    let (_d, public) = build(&project, &[]);
    assert_eq!(files_containing(&public, "SUBJECTMARK"), Vec::<String>::new());
    assert_eq!(files_containing(&public, "Start the workbook"), Vec::<String>::new());
    let changes = std::fs::read_to_string(public.join("changes.html")).unwrap();
    assert!(changes.contains("Updated"), "{changes}");
    let feed = std::fs::read_to_string(public.join("feed.xml")).unwrap();
    assert!(feed.contains("<title>Updated</title>") && !feed.contains("<title></title>"), "{feed}");

    let (_i, internal) = build(&project, &["--audience", "internal"]);
    assert!(std::fs::read_to_string(internal.join("changes.html")).unwrap().contains("SUBJECTMARK"));
}

#[test]
fn history_read_for_many_projects_in_one_repository_is_each_projects_own() {
    use workbook::history::History;
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path();
    // `a` and `a-b` share the start of their names; `deep/c` is two folders down.
    let names = ["a", "a-b", "deep/c"];
    for name in names {
        copy_tree(&fixtures().join("base"), &top.join(name));
    }
    git_at(top, "2026-01-01T00:00:00Z", &["init", "-q", "-b", "main"]);
    commit_all(top, "2026-01-01T00:00:00Z", "Start three tools");
    edit(&top.join("a-b"), "answers/01-describe-the-tool.md", "Descriptive analytics only.", "Descriptive.");
    commit_all(top, "2026-02-01T00:00:00Z", "Change a-b");
    std::fs::rename(
        top.join("deep/c/answers/01-describe-the-tool.md"),
        top.join("deep/c/answers/01-the-tool.md"),
    )
    .unwrap();
    edit(&top.join("a"), "workbook.yaml", "Placement Matching Helper", "Placement Finder");
    commit_all(top, "2026-03-01T00:00:00Z", "Rename in c, retitle a");
    let roots: Vec<PathBuf> = names.iter().map(|n| top.join(n)).collect();
    let refs: Vec<&Path> = roots.iter().map(PathBuf::as_path).collect();
    let many = History::read_many(&refs);
    for (root, (together, _)) in roots.iter().zip(&many) {
        let (alone, _) = History::read(root);
        assert_eq!(together.commits, alone.commits, "{}", root.display());
        assert!(!alone.commits.is_empty());
    }
    let subjects = |i: usize| many[i].0.commits.iter().map(|c| c.subject.clone()).collect::<Vec<_>>();
    assert_eq!(subjects(0), ["Rename in c, retitle a", "Start three tools"]);
    assert_eq!(subjects(1), ["Change a-b", "Start three tools"]);
    assert_eq!(subjects(2), ["Rename in c, retitle a", "Start three tools"]);
}
