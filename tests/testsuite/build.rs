//! `workbook build`: the site's files, the two audiences, hostile content, reproducibility and the
//! safety of the output folder.

use crate::support::{copy_tree, fixtures, workbook};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file under `dir`, by relative path, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Builds `project` into a new folder and returns it.
pub fn build(project: &Path, args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = workbook().arg("build").arg(project).arg("--out").arg(&out).args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "build failed:\n{}", String::from_utf8_lossy(&output.stderr));
    (dir, out)
}

fn example_project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-project")
}

#[test]
fn example_project_builds_every_page() {
    let (_dir, out) = build(&example_project(), &[]);
    let files = tree(&out);
    let mut expected = vec![
        "index.html",
        "phase-explore.html",
        "phase-develop.html",
        "phase-implement.html",
        "changes.html",
        "feed.xml",
        "accessibility.html",
        "print.html",
        "workbook.json",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "assets/style.css",
        ".workbook-site",
    ];
    let questions: Vec<String> = std::fs::read_dir(example_project().join("answers"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().replace(".md", ".html"))
        .collect();
    assert_eq!(questions.len(), 13);
    expected.extend(questions.iter().map(String::as_str));
    for file in expected {
        assert!(files.contains_key(file), "{file} is missing; wrote {:?}", files.keys().collect::<Vec<_>>());
    }
    assert!(!files.contains_key("reviewers.html"), "the reviewers' page is for internal builds only");
    let json: serde_json::Value = serde_json::from_slice(&files["workbook.json"]).unwrap();
    assert_eq!(json["schema_version"], 4);
    assert_eq!(json["framework"]["id"], "dfe-csc-2024");
    assert_eq!(json["questions"].as_array().unwrap().len(), 13);
}

#[test]
fn every_local_link_resolves_to_a_file_and_every_fragment_to_an_id() {
    let attr = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    let id = regex::Regex::new(r#"\sid="([^"]+)""#).unwrap();
    for audience in ["public", "internal"] {
        let (_dir, out) = build(&example_project(), &["--audience", audience]);
        let files = tree(&out);
        let ids = |page: &str| -> Vec<String> {
            let html = String::from_utf8_lossy(&files[page]);
            id.captures_iter(&html).map(|c| c[1].to_owned()).collect()
        };
        let mut broken = Vec::new();
        for (page, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
            let html = String::from_utf8_lossy(bytes);
            let folder = Path::new(page).parent().unwrap_or(Path::new(""));
            for link in attr.captures_iter(&html).map(|c| c[1].replace("&amp;", "&")) {
                if link.starts_with("https://") || link.starts_with("http://") || link.starts_with("mailto:")
                {
                    continue;
                }
                assert!(!link.starts_with('/'), "{page}: `{link}` is not relative");
                let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
                let target = if path.is_empty() {
                    page.clone()
                } else {
                    let joined = folder.join(path);
                    let normal = joined.components().fold(PathBuf::new(), |mut acc, c| {
                        match c {
                            std::path::Component::ParentDir => {
                                acc.pop();
                            }
                            std::path::Component::CurDir => {}
                            other => acc.push(other),
                        }
                        acc
                    });
                    let mut target = normal.to_string_lossy().replace('\\', "/");
                    if target.is_empty() || path.ends_with('/') {
                        target = format!(
                            "{}index.html",
                            if target.is_empty() { String::new() } else { format!("{target}/") }
                        );
                    }
                    target
                };
                if !files.contains_key(&target) {
                    broken.push(format!("{page}: {link} (no file {target})"));
                } else if !fragment.is_empty()
                    && target.ends_with(".html")
                    && !ids(&target).iter().any(|i| i == fragment)
                {
                    broken.push(format!("{page}: {link} (no id {fragment} in {target})"));
                }
            }
        }
        assert!(broken.is_empty(), "{audience}: broken links:\n{}", broken.join("\n"));
    }
}

const CANARIES: &[&str] = &[
    "CANARY-EVIDENCE-TITLE",
    "CANARY-EVIDENCE-DESCRIPTION",
    "CANARY-EVIDENCE-FILE-CONTENT",
    "CANARY-ENGAGEMENT-WHO",
    "CANARY-ENGAGEMENT-WHAT",
    "CANARY-ENGAGEMENT-CHANGED",
    "CANARY-RISK",
    "CANARY-RISK-MITIGATION",
    "CANARY-RISK-OWNER",
    "CANARY-DATASET",
    "CANARY-DATASET-SOURCE",
    "CANARY-DATASET-QUALITY",
    "CANARY-DATASET-SENSITIVE",
    "CANARY-METRIC-GROUP",
    "CANARY-METRIC-NAME",
    "CANARY-SIGNOFF-BY",
    "CANARY-SIGNOFF-ROLE",
    "CANARY-SIGNOFF-NOTE",
    "CANARY-PASSAGE",
    "CANARY-PROMPT-PASSAGE",
    "CANARY-INTERNAL-ANSWER-OWNER",
    "CANARY-INTERNAL-ANSWER-SUMMARY",
    "CANARY-INTERNAL-ANSWER-PROMPT",
    "CANARY-INTERNAL-ANSWER-EVIDENCE",
    "CANARY-INTERNAL-ANSWER-BODY",
];

#[test]
fn the_public_build_holds_no_internal_string_in_any_file() {
    let (_dir, out) = build(&fixtures().join("canary"), &[]);
    let files = tree(&out);
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for canary in CANARIES {
            assert!(!text.contains(canary), "{canary} leaked into {path}");
        }
        assert!(!path.contains("internal"), "{path}: an internal file was copied");
    }
    // The public parts are there.
    let page = String::from_utf8_lossy(&files["01-describe-the-tool.html"]);
    assert!(page.contains("A public risk.") && page.contains("More public text."));
    assert!(page.contains("Public text after the passage."), "a prompt's public passages stay");
    assert!(files.contains_key("evidence/public-summary.txt"));
}

#[test]
fn the_internal_build_holds_every_internal_string_marked_as_internal() {
    let (_dir, out) = build(&fixtures().join("canary"), &["--audience", "internal"]);
    let files = tree(&out);
    let all: String = files.values().map(|b| String::from_utf8_lossy(b).into_owned()).collect();
    for canary in CANARIES {
        assert!(all.contains(canary), "{canary} is missing from the internal build");
    }
    let page = String::from_utf8_lossy(&files["01-describe-the-tool.html"]);
    assert!(page.contains("Internal — not published"), "internal material is marked");
    assert!(files.contains_key("reviewers.html"));
    assert!(String::from_utf8_lossy(&files["robots.txt"]).contains("Disallow: /"));
}

#[test]
fn hostile_content_never_executes_and_tera_syntax_is_text() {
    let project = fixtures().join("hostile");
    // First line: `check` refuses a link that is not a web address, with its place.
    let output = workbook().args(["check", "--format", "json"]).arg(&project).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let mut refused: Vec<(String, u64)> = crate::support::diagnostics_json(&output.stdout)
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            assert_eq!(d["code"], "E003", "{d:#?}");
            (d["file"].as_str().unwrap().to_owned(), d["line"].as_u64().unwrap())
        })
        .collect();
    refused.sort();
    let expected = [
        ("answers/01-describe-the-tool.md", 21),
        ("answers/01-describe-the-tool.md", 24),
        ("workbook.yaml", 4),
        ("workbook.yaml", 14),
    ];
    assert_eq!(refused, expected.map(|(f, l)| (f.to_owned(), l)));
    // Second line: rendered without the check, nothing in the site runs script either.
    let loaded = workbook::load::load(&project);
    let options = workbook::build::BuildOptions {
        audience: workbook::record::Audience::Public,
        base_url: None,
        today: jiff::civil::date(2026, 6, 1),
    };
    let templates = workbook::render::templates::Templates::load(&loaded).unwrap();
    let history = workbook::history::History::default();
    let files = workbook::build::render_workbook(&loaded, &history, &templates, &options).unwrap().files;
    // Text that shows hostile markup is fine (`&lt;script&gt;`); markup that a browser would act on is not.
    let tag = regex::Regex::new(r"<([a-zA-Z][a-zA-Z0-9:-]*)([^>]*)>").unwrap();
    let attribute =
        regex::Regex::new(r#"\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?"#)
            .unwrap();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html") || p.ends_with(".xml")) {
        let text = String::from_utf8_lossy(bytes);
        for element in tag.captures_iter(&text) {
            let name = element[1].to_lowercase();
            assert!(
                !["script", "iframe", "object", "embed", "img", "base", "form"].contains(&name.as_str()),
                "{path}: a <{name}> element"
            );
            for attr in attribute.captures_iter(&element[2]) {
                let key = attr[1].to_lowercase();
                let value =
                    attr.get(2).map_or("", |v| v.as_str()).trim_matches(['"', '\'']).trim().to_lowercase();
                assert!(!key.starts_with("on"), "{path}: <{name} {key}=…>");
                if ["href", "src", "action", "xlink:href"].contains(&key.as_str()) {
                    for bad in ["javascript:", "vbscript:", "data:"] {
                        assert!(!value.starts_with(bad), "{path}: <{name} {key}=\"{value}\">");
                    }
                }
            }
        }
    }
    let page = String::from_utf8_lossy(&files["01-describe-the-tool.html"]);
    // Tera syntax in content shows as written: it is never interpreted.
    assert!(page.contains("{% for x in [1,2] %}LOOP{{ x }}{% endfor %}"), "a template tag was interpreted");
    assert!(!page.contains("LOOP1"));
    assert!(page.contains("&lt;script&gt;alert("), "raw HTML shows as text");
    let home = String::from_utf8_lossy(&files["index.html"]);
    assert!(home.contains("{{ 7 * 7 }}") && !home.contains(">49<"));
}

#[test]
fn two_builds_are_byte_identical() {
    let (_a, first) = build(&example_project(), &[]);
    let (_b, second) = build(&example_project(), &[]);
    let (first, second) = (tree(&first), tree(&second));
    assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>());
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{path} differs between two builds");
    }
}

#[test]
fn a_build_with_errors_leaves_the_previous_site_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    copy_tree(&fixtures().join("base"), &project);
    let out = dir.path().join("site");
    workbook().arg("build").arg(&project).arg("--out").arg(&out).assert().success();
    let before = tree(&out);
    std::fs::write(project.join("answers/01-describe-the-tool.md"), "---\nquestion: 1\nstatus: [\n---\n")
        .unwrap();
    workbook().arg("build").arg(&project).arg("--out").arg(&out).assert().code(1);
    assert_eq!(tree(&out), before);
}

#[test]
fn the_output_guard_refuses_and_deletes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    copy_tree(&fixtures().join("base"), &project);
    let before = tree(&project);
    // The project folder itself, a folder that contains it, the same through a folder that does not
    // exist and `..`, and the folders the build reads.
    for out in [
        project.clone(),
        dir.path().to_path_buf(),
        dir.path().join("nothere/../project"),
        project.join("static"),
        project.join("answers/site"),
        project.join("templates"),
    ] {
        let output = workbook().arg("build").arg(&project).arg("--out").arg(&out).output().unwrap();
        // The `--out` argument's fault, not the content's: a usage error.
        assert_eq!(output.status.code(), Some(2), "{}", out.display());
        assert!(String::from_utf8_lossy(&output.stderr).contains("E021 build-output"));
        assert_eq!(tree(&project), before, "the project is untouched");
        assert!(!dir.path().join("nothere").exists());
    }
    // A folder with files that workbook did not write.
    let mine = dir.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("thesis.docx"), "precious").unwrap();
    workbook()
        .arg("build")
        .arg(&project)
        .arg("--out")
        .arg(&mine)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("nothing was deleted"));
    // The same folder named through a folder that does not exist.
    let around = dir.path().join("nothere/../mine");
    workbook().arg("build").arg(&project).arg("--out").arg(&around).assert().code(2);
    assert_eq!(std::fs::read_to_string(mine.join("thesis.docx")).unwrap(), "precious");
    // A file.
    let file = dir.path().join("file.txt");
    std::fs::write(&file, "x").unwrap();
    workbook().arg("build").arg(&project).arg("--out").arg(&file).assert().code(2);
    // An empty folder, and then the same folder again (it now carries the marker), are fine.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    workbook().arg("build").arg(&project).arg("--out").arg(&empty).assert().success();
    workbook().arg("build").arg(&project).arg("--out").arg(&empty).assert().success();
}

#[cfg(unix)]
#[test]
fn a_build_killed_part_way_leaves_the_earlier_site_whole() {
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let project = example_project();
    workbook().arg("build").arg(&project).arg("--out").arg(&out).assert().success();
    let reference = tree(&out);
    let mut killed_while_running = 0;
    for i in 0..24u64 {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("workbook"))
            .arg("build")
            .arg(&project)
            .arg("--out")
            .arg(&out)
            .env("SOURCE_DATE_EPOCH", "1780272000")
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(i * 4));
        if child.try_wait().unwrap().is_none() {
            killed_while_running += 1;
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        assert_eq!(tree(&out), reference, "after a kill at {} ms the site is not whole", i * 4);
    }
    assert!(killed_while_running > 3, "only {killed_while_running} kills landed while a build ran");
    // The next build cleans up what killed builds left beside the output.
    workbook().arg("build").arg(&project).arg("--out").arg(&out).assert().success();
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, ["site"], "leftovers: {leftovers:?}");
}

#[test]
fn without_git_the_site_builds_with_a_warning_and_no_history() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    copy_tree(&fixtures().join("base"), &project);
    let out = dir.path().join("site");
    let output = workbook().arg("build").arg(&project).arg("--out").arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("W013 no-history"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("workbook.json")).unwrap()).unwrap();
    assert_eq!(json["changes"], serde_json::json!([]));
    assert_eq!(json["last_updated"], serde_json::Value::Null);
    // The feed's date comes from the content (the newest review date), not the clock or 1970.
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(feed.contains("<updated>2026-01-10T00:00:00Z</updated>"), "{feed}");
}

#[test]
fn a_shallow_clone_warns_and_shows_the_history_it_has() {
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin");
    copy_tree(&fixtures().join("base"), &origin);
    crate::support::git(&origin, &["init", "-q", "-b", "main"]);
    crate::support::git(&origin, &["add", "-A"]);
    crate::support::git(&origin, &["commit", "-qm", "First"]);
    for i in 0..3 {
        std::fs::write(
            origin.join("answers/01-describe-the-tool.md"),
            format!(
                "{}\n{i}\n",
                std::fs::read_to_string(origin.join("answers/01-describe-the-tool.md")).unwrap()
            ),
        )
        .unwrap();
        crate::support::git(&origin, &["commit", "-qam", &format!("Change {i}")]);
    }
    let clone = dir.path().join("clone");
    let url = format!("file://{}", origin.display());
    crate::support::git(dir.path(), &["clone", "-q", "--depth", "1", &url, clone.to_str().unwrap()]);
    let out = dir.path().join("site");
    let output = workbook().arg("build").arg(&clone).arg("--out").arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("W012 shallow-history"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("workbook.json")).unwrap()).unwrap();
    let changes = json["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "a depth-1 clone has one commit");
    assert_eq!(changes[0]["subject"], "Change 2");
}

#[test]
fn a_project_overrides_templates_and_assets_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    copy_tree(&fixtures().join("base"), &project);
    std::fs::create_dir_all(project.join("templates")).unwrap();
    std::fs::write(
        project.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Lost? Try the council's home page.</h1>{% endblock main %}",
    )
    .unwrap();
    std::fs::create_dir_all(project.join("static/assets")).unwrap();
    std::fs::write(project.join("static/assets/style.css"), "body { color: #0b0c0c; } /* council brand */")
        .unwrap();
    std::fs::write(project.join("static/favicon.ico"), [0u8, 0, 1, 0]).unwrap();
    let (_dir, out) = build(&project, &[]);
    assert!(std::fs::read_to_string(out.join("404.html")).unwrap().contains("Lost? Try the council"));
    assert!(std::fs::read_to_string(out.join("assets/style.css")).unwrap().contains("council brand"));
    assert_eq!(std::fs::read(out.join("favicon.ico")).unwrap(), [0u8, 0, 1, 0]);

    // A broken template is a clear error, and nothing is written.
    std::fs::write(project.join("templates/404.html"), "{% if %}").unwrap();
    let output =
        workbook().arg("build").arg(&project).arg("--out").arg(dir.path().join("other")).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("E022 template") && stderr.contains("templates/404.html:1:"), "{stderr}");
    assert!(!dir.path().join("other").exists());
}

#[test]
fn history_of_internal_files_never_reaches_the_public_build() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    copy_tree(&fixtures().join("canary"), &project);
    let git = |args: &[&str], date: &str| crate::support::git_at(&project, date, args);
    git(&["init", "-q", "-b", "main"], "2026-01-01T00:00:00Z");
    git(&["add", "-A"], "2026-01-01T00:00:00Z");
    git(&["commit", "-qm", "Start the workbook"], "2026-01-01T00:00:00Z");
    let internal = project.join("answers/02-outcomes-and-benefits.md");
    std::fs::write(&internal, std::fs::read_to_string(&internal).unwrap() + "\nMore.\n").unwrap();
    git(&["commit", "-qam", "CANARY-SUBJECT-INTERNAL-ONLY"], "2026-02-01T00:00:00Z");
    git(&["mv", "answers/02-outcomes-and-benefits.md", "answers/02-outcomes.md"], "2026-03-01T00:00:00Z");
    git(&["commit", "-qm", "CANARY-SUBJECT-RENAME"], "2026-03-01T00:00:00Z");
    std::fs::write(project.join("evidence/internal/contract.txt"), "CANARY-EVIDENCE-FILE-CONTENT v2")
        .unwrap();
    git(&["commit", "-qam", "CANARY-SUBJECT-EVIDENCE"], "2026-04-01T00:00:00Z");

    let (_out_dir, out) = build(&project, &[]);
    for (path, bytes) in tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("CANARY"), "{path} leaked: {}", &text[text.find("CANARY").unwrap()..][..40]);
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("workbook.json")).unwrap()).unwrap();
    assert_eq!(json["last_updated"], "2026-01-01", "the date of the last public change");
    assert_eq!(json["changes"].as_array().unwrap().len(), 1);
    // A wholly internal answer tells the public nothing, not even its progress.
    let q2 = &json["questions"][1];
    assert_eq!(
        (q2["status"].clone(), q2["prompts_answered"].clone()),
        (serde_json::Value::Null, serde_json::Value::Null)
    );
    assert!(q2.get("status_label").is_none(), "the record holds values, the theme their words: {q2}");
    // The internal build shows all of it.
    let (_internal_dir, internal) = build(&project, &["--audience", "internal"]);
    let changes = std::fs::read_to_string(internal.join("changes.html")).unwrap();
    assert!(changes.contains("CANARY-SUBJECT-INTERNAL-ONLY") && changes.contains("CANARY-SUBJECT-RENAME"));
}

#[test]
fn a_prompt_answered_only_in_an_internal_passage_is_unanswered_in_public() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    copy_tree(&fixtures().join("base"), &project);
    std::fs::write(
        project.join("answers/01-describe-the-tool.md"),
        "---\nquestion: 1\nstatus: in-review\nnext_review: 2099-01-01\nprompts:\n  q1-analytics-type: Descriptive.\n  q1-decision-process: |\n    ::: internal\n    Only the board may know.\n    :::\n  q1-users-and-affected: Managers.\n---\n",
    )
    .unwrap();
    let (_d, out) = build(&project, &[]);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("workbook.json")).unwrap()).unwrap();
    assert_eq!(json["questions"][0]["prompts_answered"], 2);
    assert!(!String::from_utf8_lossy(&std::fs::read(out.join("index.html")).unwrap()).contains("3 of 3"));
    let (_i, internal) = build(&project, &["--audience", "internal"]);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(internal.join("workbook.json")).unwrap()).unwrap();
    assert_eq!(json["questions"][0]["prompts_answered"], 3);
}

#[test]
fn no_page_shows_a_programmers_placeholder() {
    // Words a template prints when a value is missing, which a reader should never meet.
    let placeholder = regex::Regex::new(r">\s*(None|none|null|undefined|NaN|inf)\s*<").unwrap();
    for project in [example_project(), fixtures().join("kitchen-sink")] {
        for audience in ["public", "internal"] {
            let (_dir, out) = build(&project, &["--audience", audience]);
            for (name, bytes) in tree(&out).iter().filter(|(n, _)| n.ends_with(".html")) {
                let html = String::from_utf8_lossy(bytes);
                if let Some(m) = placeholder.find(&html) {
                    panic!("{} ({audience}) {name}: `{}`", project.display(), m.as_str());
                }
            }
        }
    }
}

/// An answer with HTML comments everywhere Markdown has them, and `<!--` in code, which is code.
const COMMENTS: &str = "---
question: 1
status: in-review
next_review: 2099-01-01
prompts:
  q1-analytics-type: |
    Descriptive analytics. <!-- NOTE-PROMPT-INLINE --> Nothing more.

    <!-- NOTE-PROMPT-BLOCK
    on two lines -->

    The end of the answer.
  q1-decision-process: Matching children to placements. <!-- NOTE-PROMPT-ONE-LINE -->
  q1-users-and-affected: Social workers use it.
---

The tool is descriptive. <!-- NOTE-BODY-INLINE --> It predicts nothing.

<!-- NOTE-BODY-BLOCK
a second line of the note -->

A quote:

> Quoted <!-- NOTE-IN-QUOTE
> still the note --> text.

Code shows `<!-- CODE-SPAN -->` as written:

```html
<!-- CODE-FENCE -->
```

The end.
";

#[test]
fn html_comments_reach_no_public_file_and_code_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    copy_tree(&fixtures().join("base"), &project);
    std::fs::write(project.join("answers/01-describe-the-tool.md"), COMMENTS).unwrap();
    for audience in ["public", "internal"] {
        let (_out_dir, out) = build(&project, &["--audience", audience]);
        let files = tree(&out);
        let mut code = (false, false);
        for (path, bytes) in &files {
            let text = String::from_utf8_lossy(bytes);
            assert!(!text.contains("NOTE-"), "{audience}: {path} holds an author's note: {}", {
                let at = text.find("NOTE-").unwrap();
                &text[at.saturating_sub(60)..(at + 40).min(text.len())]
            });
            code.0 |= text.contains("&lt;!-- CODE-SPAN --&gt;");
            code.1 |= text.contains("&lt;!-- CODE-FENCE --&gt;");
        }
        assert_eq!(code, (true, true), "{audience}: a `<!--` in code is code, shown as written");
        let page = files.iter().find(|(p, _)| p.contains("describe-the-tool")).unwrap();
        let page = String::from_utf8_lossy(page.1);
        for kept in [
            "Descriptive analytics.",
            "Nothing more.",
            "The end of the answer.",
            "It predicts nothing.",
            "Quoted",
            "The end.",
        ] {
            assert!(page.contains(kept), "{audience}: {kept:?} is lost");
        }
    }
    for format in ["json", "csv", "csv-prompts", "atrs", "atrs-markdown", "atrs-csv"] {
        let output = workbook().arg("export").arg(&project).args(["--format", format]).output().unwrap();
        assert!(output.status.success(), "{format}: {}", String::from_utf8_lossy(&output.stderr));
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(!text.contains("NOTE-"), "{format} holds an author's note");
        assert!(!text.contains("<!--") || format == "json", "{format} holds a comment marker");
    }
}
