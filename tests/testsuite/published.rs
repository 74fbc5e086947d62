//! What the public may see is decided once, by the record: every string field of the format that a
//! public build publishes is scanned for personal data, and `::: internal` works in settings as in
//! answers.

use crate::build::tree as read_tree;
use crate::support::{Memory, diagnostics_json, fixtures, workbook};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use workbook::diagnostic::{Code, Diagnostic};

/// The paths of every plain string field in a JSON Schema (enums and dates left out: they cannot
/// hold free text), with `[]` for a list's items and `{}` for a map's values.
fn string_fields(schema: &Value) -> Vec<String> {
    fn walk(node: &Value, root: &Value, path: String, depth: usize, out: &mut Vec<String>) {
        if depth > 8 {
            return;
        }
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            let name = reference.rsplit('/').next().unwrap_or_default();
            return walk(&root["definitions"][name], root, path, depth + 1, out);
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            for branch in node.get(key).and_then(Value::as_array).into_iter().flatten() {
                walk(branch, root, path.clone(), depth + 1, out);
            }
        }
        let types: Vec<&str> = match &node["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let free_text =
            node.get("enum").is_none() && node.get("const").is_none() && node.get("format").is_none();
        if types.contains(&"string") && free_text && !out.contains(&path) {
            out.push(path.clone());
        }
        if let Some(properties) = node.get("properties").and_then(Value::as_object) {
            for (key, child) in properties {
                let path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                walk(child, root, path, depth + 1, out);
            }
        }
        if let Some(items) = node.get("items") {
            walk(items, root, format!("{path}[]"), depth + 1, out);
        }
        if let Some(values) = node.get("additionalProperties").filter(|v| v.is_object()) {
            walk(values, root, format!("{path}{{}}"), depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(schema, schema, String::new(), 0, &mut out);
    out
}

/// Sets every value at `path` (`[]`: every item; `{}`: every value) that exists in `value` to what
/// `make` returns; returns how many were set. Nothing is created: a field is tried where the
/// kitchen sink already has its parent.
fn set_all(value: &mut serde_yaml::Value, path: &str, make: &dyn Fn() -> serde_yaml::Value) -> usize {
    let (head, rest) = match path.find(['.', '[', '{']) {
        Some(0) if path.starts_with("[]") => ("[]", path[2..].trim_start_matches('.')),
        Some(0) if path.starts_with("{}") => ("{}", path[2..].trim_start_matches('.')),
        Some(i) => (&path[..i], path[i..].trim_start_matches('.')),
        None => (path, ""),
    };
    let children: Vec<&mut serde_yaml::Value> = match (head, value) {
        ("[]", serde_yaml::Value::Sequence(items)) => items.iter_mut().collect(),
        ("{}", serde_yaml::Value::Mapping(map)) => map.iter_mut().map(|(_, v)| v).collect(),
        // A text field that the parent leaves out is added (but for `file` and `url`, of which an
        // item has one or the other).
        (key, serde_yaml::Value::Mapping(map)) if rest.is_empty() && !["file", "url"].contains(&key) => {
            vec![map.entry(key.into()).or_insert(serde_yaml::Value::Null)]
        }
        (key, serde_yaml::Value::Mapping(map)) => map.get_mut(key).into_iter().collect(),
        _ => Vec::new(),
    };
    let mut count = 0;
    for child in children {
        if rest.is_empty() {
            if child.is_string() || child.is_null() {
                *child = make();
                count += 1;
            }
        } else {
            count += set_all(child, rest, make);
        }
    }
    count
}

/// Splits an answer file into its front matter (parsed) and body.
fn split(text: &str) -> (serde_yaml::Value, String) {
    let rest = text.strip_prefix("---\n").expect("front matter");
    let end = rest.find("\n---\n").expect("closing fence");
    (serde_yaml::from_str(&rest[..end]).expect("yaml"), rest[end + 5..].to_owned())
}

/// Checks and (when it passes) builds the public site of a project held in memory: the
/// diagnostics, and every byte of the site as text.
fn check_and_build(files: BTreeMap<String, Vec<u8>>) -> (Vec<Diagnostic>, Option<String>) {
    let root = Path::new("/nonexistent/workbook-published");
    let loaded = workbook::load::load_from(root, Arc::new(Memory(files)));
    let today = jiff::civil::date(2026, 6, 1);
    let history = workbook::history::History::default();
    let diagnostics = workbook::check::check_with_history(&loaded, &history, today);
    if diagnostics.iter().any(|d| d.severity() == workbook::diagnostic::Severity::Error) {
        return (diagnostics, None);
    }
    let options =
        workbook::build::BuildOptions { audience: workbook::record::Audience::Public, base_url: None, today };
    let templates = workbook::render::templates::Templates::load(&loaded).expect("templates");
    let site = workbook::build::render_workbook(&loaded, &history, &templates, &options).expect("renders");
    let text =
        site.files.values().map(|b| String::from_utf8_lossy(b).into_owned()).collect::<Vec<_>>().join("\n");
    (diagnostics, Some(text))
}

fn personal(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.code == Code::PersonalPhone).count()
}

#[test]
fn every_string_field_that_is_published_is_scanned_for_personal_data() {
    let base = read_tree(&fixtures().join("kitchen-sink"));
    let (baseline, site) = check_and_build(base.clone());
    assert!(site.is_some(), "the kitchen sink builds: {baseline:#?}");
    let baseline = personal(&baseline);
    let mut published = Vec::new();
    let mut unpublished = Vec::new();
    let counter = std::cell::Cell::new(100);
    let fields =
        [("answer", workbook::export::schema::answer()), ("settings", workbook::export::schema::settings())];
    for (kind, schema) in fields {
        for field in string_fields(&schema) {
            // A number no other field holds, in a form each kind of field accepts.
            let number = format!("07700900{}", counter.get());
            counter.set(counter.get() + 1);
            let last = field.rsplit(['.', ']', '}']).next().unwrap_or_default();
            let value = match last {
                "file" => format!("evidence/{number}.txt"),
                _ if last.ends_with("url") || last == "website" => format!("https://example.org/{number}"),
                "email" => continue, // the project's own address, which is public on purpose
                _ => format!("Call {} {} now.", &number[..5], &number[5..]),
            };
            let mut files = base.clone();
            files.insert(format!("evidence/{number}.txt"), b"A file.".to_vec());
            let mut set = 0;
            for (path, bytes) in base.iter() {
                let is_answer = path.starts_with("answers/") && path.ends_with(".md");
                if (kind == "answer") != is_answer || (kind == "settings" && path != "workbook.yaml") {
                    continue;
                }
                let text = String::from_utf8_lossy(bytes).into_owned();
                let (mut front, body) = if is_answer {
                    split(&text)
                } else {
                    (serde_yaml::from_str(&text).unwrap(), String::new())
                };
                let n = set_all(&mut front, &field, &|| serde_yaml::Value::String(value.clone()));
                if n > 0 {
                    set += n;
                    let yaml = serde_yaml::to_string(&front).unwrap();
                    let new = if is_answer { format!("---\n{yaml}---\n{body}") } else { yaml };
                    files.insert(path.clone(), new.into_bytes());
                }
            }
            if set == 0 {
                unpublished.push(format!("{kind} {field}: not in the kitchen sink"));
                continue;
            }
            let (diagnostics, site) = check_and_build(files);
            let Some(site) = site else {
                unpublished.push(format!("{kind} {field}: refused by check"));
                continue;
            };
            if site.contains(&number) || site.contains(&format!("{} {}", &number[..5], &number[5..])) {
                assert!(
                    personal(&diagnostics) > baseline,
                    "{kind} field `{field}` is published but its text was not scanned for personal data"
                );
                published.push(format!("{kind} {field}"));
            } else {
                unpublished.push(format!("{kind} {field}: not in the public site"));
            }
        }
    }
    // Not vacuous: the fields a reader sees on every site are among those shown to be scanned.
    for expected in [
        "answer summary",
        "answer owner",
        "answer prompts{}",
        "answer evidence[].title",
        "answer evidence[].description",
        "answer evidence[].url",
        "answer evidence[].file",
        "answer risks[].risk",
        "answer risks[].mitigation",
        "answer metrics[].unit",
        "answer metrics[].group",
        "answer signoffs[].by",
        "settings organisation.name",
        "settings tool.name",
        "settings tool.summary",
        "settings contact.concerns",
        "settings accessibility.method",
        "settings accessibility.known_issues",
        "settings site.title",
    ] {
        assert!(
            published.iter().any(|p| p == expected),
            "`{expected}` was not shown published:\n{unpublished:#?}"
        );
    }
    eprintln!("scanned and published: {}\nnot published: {unpublished:#?}", published.len());
}

/// A project from the `base` fixture whose settings have `extra` appended.
fn project_with_settings(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_tree(&fixtures().join("base"), dir.path());
    let path = dir.path().join("workbook.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace("  concerns: Write to the data ethics team.\n", "");
    std::fs::write(&path, format!("{text}{extra}")).unwrap();
    dir
}

#[test]
fn internal_passages_in_settings_are_honoured_as_in_answers() {
    let dir = project_with_settings(
        "accessibility:\n  tested: 2026-01-01\n  method: |\n    We tested with a screen reader.\n\n    ::: internal\n    SETTINGS-SECRET-METHOD\n    :::\n",
    );
    let path = dir.path().join("workbook.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace(
        "contact:\n  email: ethics@testshire.example\n",
        "contact:\n  email: ethics@testshire.example\n  concerns: |\n    Write to us. <!-- SETTINGS-SECRET-COMMENT -->\n\n    ::: internal\n    SETTINGS-SECRET-CONCERNS\n    :::\n",
    );
    std::fs::write(&path, text).unwrap();
    let (_public_dir, public) = crate::build::build(dir.path(), &[]);
    for (file, bytes) in crate::build::tree(&public) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("SETTINGS-SECRET"), "{file} holds internal settings text");
        assert!(!text.contains(":::"), "{file} holds a fence line");
    }
    let index = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(index.contains("Write to us."));
    let (_internal_dir, internal) = crate::build::build(dir.path(), &["--audience", "internal"]);
    let index = std::fs::read_to_string(internal.join("index.html")).unwrap();
    let statement = std::fs::read_to_string(internal.join("accessibility.html")).unwrap();
    assert!(index.contains("SETTINGS-SECRET-CONCERNS") && statement.contains("SETTINGS-SECRET-METHOD"));
    assert!(index.contains("Internal — not published"), "internal settings text is marked");
}

#[test]
fn a_fence_in_a_plain_setting_or_an_unclosed_one_in_markdown_is_an_error_at_its_line() {
    let dir =
        project_with_settings("accessibility:\n  tested_by: |\n    Us\n    ::: internal\n    x\n    :::\n");
    let output = workbook().args(["check", "--format", "json"]).arg(dir.path()).output().unwrap();
    let found = diagnostics_json(&output.stdout);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        found.iter().any(|d| d["code"] == "E020" && d["file"] == "workbook.yaml" && d["line"] == 17),
        "{found:#?}"
    );
    let dir =
        project_with_settings("accessibility:\n  method: |\n    Fine.\n    ::: internal\n    never closed\n");
    let output = workbook().args(["check", "--format", "json"]).arg(dir.path()).output().unwrap();
    let found = diagnostics_json(&output.stdout);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        found.iter().any(|d| d["code"] == "E013" && d["file"] == "workbook.yaml" && d["line"] == 18),
        "{found:#?}"
    );
}

#[test]
fn personal_data_is_found_in_settings_evidence_files_and_commit_subjects_at_its_place() {
    let dir = project_with_settings("");
    let path = dir.path().join("workbook.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "  email: ethics@testshire.example\n",
            "  email: ethics@testshire.example\n  concerns: Ring Sam on 07700 900461.\n",
        ),
    )
    .unwrap();
    let answer = dir.path().join("answers/01-describe-the-tool.md");
    let text =
        std::fs::read_to_string(&answer).unwrap().replace("status: draft", "status: in-review").replacen(
            "\n---\n",
            "\nevidence:\n  - title: Notes\n    kind: report\n    file: evidence/notes.txt\n---\n",
            1,
        );
    std::fs::write(&answer, text).unwrap();
    std::fs::create_dir_all(dir.path().join("evidence")).unwrap();
    std::fs::write(
        dir.path().join("evidence/notes.txt"),
        "Meeting notes.\nCall the worker on 07700 900462.\n",
    )
    .unwrap();
    crate::support::git(dir.path(), &["init", "-q"]);
    crate::support::git(dir.path(), &["add", "."]);
    crate::support::git(dir.path(), &["commit", "-qm", "Add Sam's number 07700 900463"]);
    let output = workbook().args(["check", "--format", "json"]).arg(dir.path()).output().unwrap();
    let found: Vec<(String, String, u64, u64)> = diagnostics_json(&output.stdout)
        .iter()
        .filter(|d| d["code"] == "W006")
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_owned(),
                d["message"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(found.iter().any(|f| f.0 == "workbook.yaml" && f.2 == 11 && f.3 == 25), "{found:#?}");
    assert!(found.iter().any(|f| f.0 == "evidence/notes.txt" && f.2 == 2 && f.3 == 20), "{found:#?}");
    assert!(found.iter().any(|f| f.1.contains("commit")), "{found:#?}");
}

#[test]
fn a_fence_with_an_invisible_character_and_a_comment_in_a_plain_field_are_refused() {
    for invisible in ['\u{200B}', '\u{FEFF}', '\u{2060}', '\u{00AD}', '\u{180E}'] {
        let dir = project_with_settings("");
        let answer = dir.path().join("answers/01-describe-the-tool.md");
        let text = std::fs::read_to_string(&answer).unwrap();
        std::fs::write(&answer, format!("{text}\n{invisible}::: internal\nSECRET\n{invisible}:::\n"))
            .unwrap();
        let output = workbook().args(["check", "--format", "json"]).arg(dir.path()).output().unwrap();
        let found = diagnostics_json(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "U+{:04X}: {found:#?}", invisible as u32);
        assert!(found.iter().any(|d| d["code"] == "E020"), "{found:#?}");
    }
    let dir = project_with_settings("");
    let answer = dir.path().join("answers/01-describe-the-tool.md");
    let text = std::fs::read_to_string(&answer).unwrap();
    std::fs::write(
        &answer,
        text.replace("summary: The tool compares placements.", "summary: \"A summary. <!-- NOTE -->\""),
    )
    .unwrap();
    let output = workbook().args(["check", "--format", "json"]).arg(dir.path()).output().unwrap();
    let found = diagnostics_json(&output.stdout);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        found.iter().any(|d| d["code"] == "E020"
            && d["message"].as_str().unwrap().contains("`summary` holds an HTML comment")),
        "{found:#?}"
    );
}

#[test]
fn static_text_files_and_utf16_evidence_are_scanned_and_published_markdown_cannot_hide_anything() {
    let dir = project_with_settings("");
    let root = dir.path();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/notes.txt"), "Ring the worker on 07700 900111.\n").unwrap();
    std::fs::create_dir_all(root.join("evidence")).unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("Call 07700 900222.".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(root.join("evidence/minutes.txt"), utf16).unwrap();
    std::fs::write(root.join("evidence/plan.md"), "# Plan\n\n::: internal\nSECRET\n:::\n").unwrap();
    let answer = root.join("answers/01-describe-the-tool.md");
    let text = std::fs::read_to_string(&answer).unwrap().replace("status: draft", "status: in-review").replacen(
        "\n---\n",
        "\nevidence:\n  - title: Minutes\n    kind: report\n    file: evidence/minutes.txt\n  - title: Plan\n    kind: report\n    file: evidence/plan.md\n---\n",
        1,
    );
    std::fs::write(&answer, text).unwrap();
    let output = workbook().args(["check", "--format", "json"]).arg(root).output().unwrap();
    let found = diagnostics_json(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{found:#?}");
    for file in ["static/notes.txt", "evidence/minutes.txt"] {
        assert!(found.iter().any(|d| d["code"] == "W006" && d["file"] == file), "{file}: {found:#?}");
    }
    assert!(
        found.iter().any(|d| d["code"] == "E020" && d["file"] == "evidence/plan.md" && d["line"] == 3),
        "{found:#?}"
    );
}

#[test]
fn a_contact_address_is_one_address() {
    let dir = project_with_settings("");
    let path = dir.path().join("workbook.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("email: ethics@testshire.example", "email: 'a@b.example or Jane on 07700 900123'"),
    )
    .unwrap();
    let output = workbook().args(["check", "--format", "json"]).arg(dir.path()).output().unwrap();
    let found = diagnostics_json(&output.stdout);
    assert_eq!(output.status.code(), Some(1));
    assert!(found.iter().any(|d| d["code"] == "E003" && d["line"] == 10), "{found:#?}");
}
