//! A register: one site for many workbooks. `register.yaml` lists the members; `build`, `check` and
//! `status` run on the register folder, and every member's site is the one it has alone.

use crate::build::tree;
use crate::support::{copy_tree, fixtures, git_at, workbook};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const BASE_URL: &str = "https://example.org/register/";

fn register_yaml(members: &str) -> String {
    format!(
        "title: Northfield children's services algorithm register\n\
         organisation: Northfield Borough Council\n\
         base_url: {BASE_URL}\n\
         contact:\n  email: data.ethics@northfield.gov.uk\n\
         members:\n{members}"
    )
}

fn commit_all(root: &Path, date: &str, subject: &str) {
    git_at(root, date, &["add", "-A"]);
    git_at(root, date, &["commit", "-qm", subject]);
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// A register in its own git repository with two project members, `tools/alpha` (the canary
/// fixture: internal passages, items and an internal answer) and `tools/beta` (the retired tool),
/// and commits including one that changes only internal material.
fn two_tool_register() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("register");
    copy_tree(&fixtures().join("canary"), &root.join("tools/alpha"));
    copy_tree(&fixtures().join("retired-tool"), &root.join("tools/beta"));
    std::fs::write(root.join("register.yaml"), register_yaml("  - tools/*\n  - records/*.json\n")).unwrap();
    std::fs::create_dir_all(root.join("records")).unwrap();
    std::fs::write(root.join("records/gamma.json"), public_record(&fixtures().join("kitchen-sink"))).unwrap();
    git_at(&root, "2026-01-01T00:00:00Z", &["init", "-q", "-b", "main"]);
    commit_all(&root, "2026-01-01T00:00:00Z", "Start the register");
    let alpha = root.join("tools/alpha/answers/01-describe-the-tool.md");
    edit(&alpha, "CANARY-PASSAGE: the board", "CANARY-PASSAGE: the panel");
    commit_all(&root, "2026-02-01T00:00:00Z", "LEAKMARK-SUBJECT reword the internal retention note");
    edit(&alpha, "More public text.", "More public text, revised.");
    commit_all(&root, "2026-02-03T00:00:00Z", "Revise alpha's public text");
    let beta_settings = root.join("tools/beta/workbook.yaml");
    let text = std::fs::read_to_string(&beta_settings).unwrap();
    std::fs::write(&beta_settings, format!("{text}\n# a comment\n")).unwrap();
    commit_all(&root, "2026-02-04T00:00:00Z", "Touch beta's settings");
    (dir, root)
}

/// The public `workbook.json` of the project at `project`, as its site publishes it.
fn public_record(project: &Path) -> Vec<u8> {
    let output = workbook().arg("export").arg(project).args(["--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    output.stdout
}

/// Runs `workbook build` on `path` into a new folder, which it returns; the build must succeed.
fn build_into(path: &Path, args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = workbook().arg("build").arg(path).arg("--out").arg(&out).args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "build failed:\n{}", String::from_utf8_lossy(&output.stderr));
    (dir, out)
}

/// The files of a built site under `prefix` (`alpha/`), keyed without it, without the build's marker.
fn under(files: &BTreeMap<String, Vec<u8>>, prefix: &str) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .filter_map(|(path, bytes)| Some((path.strip_prefix(prefix)?.to_owned(), bytes.clone())))
        .filter(|(path, _)| path != ".workbook-site")
        .collect()
}

fn without_marker(mut files: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    files.remove(".workbook-site");
    files
}

/// Asserts that each member's site in the register's `out` is byte for byte the site that member
/// has when built alone at its address under the register's.
fn assert_members_whole(root: &Path, out: &Path, audience: &str) {
    let files = tree(out);
    for slug in ["alpha", "beta"] {
        let url = format!("{BASE_URL}{slug}/");
        let (_dir, alone) =
            build_into(&root.join("tools").join(slug), &["--audience", audience, "--base-url", &url]);
        let alone = without_marker(tree(&alone));
        let in_register = under(&files, &format!("{slug}/"));
        assert_eq!(
            in_register.keys().collect::<Vec<_>>(),
            alone.keys().collect::<Vec<_>>(),
            "{slug}: the register's copy has other files than the member alone ({audience})"
        );
        for (path, bytes) in &alone {
            assert!(
                in_register[path] == *bytes,
                "{slug}/{path} differs from the member's own build ({audience}):\n{}",
                String::from_utf8_lossy(&in_register[path])
            );
        }
    }
}

#[test]
fn register_builds_every_member_whole_and_nothing_internal_in_public() {
    let (_dir, root) = two_tool_register();
    let (_public_dir, public) = build_into(&root, &[]);
    assert_members_whole(&root, &public, "public");
    let files = tree(&public);
    assert!(files.contains_key("index.html"), "the register has a home page");
    let home = String::from_utf8_lossy(&files["index.html"]);
    assert!(home.contains("alpha/index.html") && home.contains("beta/index.html"), "{home}");
    assert!(home.contains("gamma/index.html"), "the record member is listed: {home}");
    assert_record_member_whole(&files);
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for marker in ["CANARY", "LEAKMARK"] {
            assert!(!text.contains(marker), "{marker} reached the public file {path}");
            assert!(!path.contains(marker), "{marker} is in a public file's name: {path}");
        }
        assert!(!path.contains("internal"), "{path}: an internal file was published");
    }

    assert_records_follow_the_schema(&public);
    assert_register_pages(&public, "public");
    assert!(!files.contains_key("reviewers.html"), "the reviewers' page is internal");

    let (_internal_dir, internal) = build_into(&root, &["--audience", "internal"]);
    assert_members_whole(&root, &internal, "internal");
    assert_records_follow_the_schema(&internal);
    assert_register_pages(&internal, "internal");
    let reviewers = std::fs::read_to_string(internal.join("reviewers.html")).unwrap();
    assert!(
        reviewers.contains("alpha") && reviewers.contains("beta"),
        "the reviewers' page covers the members"
    );
    let changes = std::fs::read_to_string(internal.join("alpha/changes.html")).unwrap();
    assert!(changes.contains("LEAKMARK-SUBJECT"), "the internal change log lists the internal-only commit");
    assert!(
        !std::fs::read_to_string(internal.join("beta/changes.html")).unwrap().contains("LEAKMARK-SUBJECT"),
        "a commit that touched only alpha is not in beta's history"
    );
}

/// The register's own pages in `out`: the home page lists every tool and loads the filter script,
/// the organisation and phase pages narrow the list without it, and register.json validates
/// against its schema, holding every member's record.
fn assert_register_pages(out: &Path, audience: &str) {
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    for slug in ["alpha", "beta", "gamma"] {
        assert!(
            home.contains(&format!("href=\"{slug}/index.html\"")),
            "{audience}: the home page links {slug}"
        );
    }
    assert!(home.contains("assets/register-filter.js"), "{audience}: the home page loads the filter script");
    assert!(out.join("assets/register-filter.js").is_file());
    // beta is the retired tool: the retired phase's page lists it, and only it.
    let retired = std::fs::read_to_string(out.join("phases/retired.html")).unwrap();
    assert!(retired.contains("../beta/index.html"), "{audience}: {retired}");
    assert!(!retired.contains("../alpha/index.html") && !retired.contains("../gamma/index.html"));
    assert!(out.join("organisations/index.html").is_file());
    let output = workbook().args(["schema", "--for", "register"]).output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("register.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&json).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{audience}: register.json: {errors:?}");
    let mut slugs: Vec<&str> =
        json["members"].as_array().unwrap().iter().map(|m| m["slug"].as_str().unwrap()).collect();
    slugs.sort_unstable();
    assert_eq!(slugs, ["alpha", "beta", "gamma"], "register.json holds every member");
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(&format!("{BASE_URL}alpha/sitemap.xml")), "{sitemap}");
}

/// Every member's workbook.json in the register's `out` validates against the record's schema.
fn assert_records_follow_the_schema(out: &Path) {
    let output = workbook().args(["schema", "--for", "record"]).output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for slug in ["alpha", "beta", "gamma"] {
        let record: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(slug).join("workbook.json")).unwrap()).unwrap();
        let errors: Vec<String> = validator.iter_errors(&record).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{slug}/workbook.json: {errors:?}");
    }
}

/// The member from a record (`gamma`, the kitchen-sink fixture's public workbook.json) has the pages
/// and data files the fixture's own site has (not its copied evidence and static files, which a
/// record does not hold), and its workbook.json is the record, at its address under the register.
fn assert_record_member_whole(files: &BTreeMap<String, Vec<u8>>) {
    let (_dir, alone) =
        build_into(&fixtures().join("kitchen-sink"), &["--base-url", &format!("{BASE_URL}gamma/")]);
    let alone = without_marker(tree(&alone));
    let gamma = under(files, "gamma/");
    let pages = |files: &BTreeMap<String, Vec<u8>>| -> Vec<String> {
        files.keys().filter(|p| !p.starts_with("evidence/") && !p.starts_with("static/")).cloned().collect()
    };
    let theirs: Vec<String> = pages(&alone).into_iter().filter(|p| !alone_only(p)).collect();
    assert_eq!(pages(&gamma), theirs, "the record member has the pages the project has alone");
    let record: serde_json::Value = serde_json::from_slice(&gamma["workbook.json"]).unwrap();
    let own: serde_json::Value = serde_json::from_slice(&alone["workbook.json"]).unwrap();
    assert_eq!(record["tool"], own["tool"]);
    assert_eq!(record["site"]["base_url"], format!("{BASE_URL}gamma/"));
}

/// Files a project's own site has that its record cannot give: the files it copies.
fn alone_only(path: &str) -> bool {
    path.starts_with("evidence/") || path.starts_with("static/") || path.starts_with("images/")
}

/// A register folder with the members given, not in git.
fn register_with(members: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("register");
    copy_tree(&fixtures().join("base"), &root.join("tools/alpha"));
    copy_tree(&fixtures().join("base"), &root.join("tools/beta"));
    std::fs::write(root.join("register.yaml"), register_yaml(members)).unwrap();
    (dir, root)
}

/// `check --format json` on `root`: its exit code and diagnostics.
fn check_json(root: &Path) -> (Option<i32>, Vec<serde_json::Value>) {
    let output = workbook().arg("check").arg(root).args(["--format", "json"]).output().unwrap();
    (output.status.code(), crate::support::diagnostics_json(&output.stdout))
}

fn codes_in(diagnostics: &[serde_json::Value], file: &str) -> Vec<(String, u64)> {
    diagnostics
        .iter()
        .filter(|d| d["file"] == file)
        .map(|d| (d["code"].as_str().unwrap_or_default().to_owned(), d["line"].as_u64().unwrap_or(0)))
        .collect()
}

#[test]
fn register_two_members_with_one_slug_is_an_error_at_the_entry() {
    let (_dir, root) = register_with("  - tools/*\n  - path: tools/beta\n    slug: alpha\n");
    let (code, diagnostics) = check_json(&root);
    assert_eq!(code, Some(1));
    let found = codes_in(&diagnostics, "register.yaml");
    assert!(found.iter().any(|(c, line)| c == "E029" && *line == 9), "{diagnostics:#?}");
    // The second entry asks for `alpha` again (the glob gave `beta` its own name): one collision.
    assert_eq!(found.len(), 1, "{diagnostics:#?}");
}

#[test]
fn register_a_slug_that_is_not_a_page_name_is_an_error() {
    let (_dir, root) = register_with("  - path: tools/alpha\n    slug: Early_Help\n");
    let (code, diagnostics) = check_json(&root);
    assert_eq!(code, Some(1));
    assert_eq!(codes_in(&diagnostics, "register.yaml"), [("E029".to_owned(), 8)], "{diagnostics:#?}");
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(message.contains("Early_Help"), "{message}");
}

#[test]
fn register_a_glob_that_matches_nothing_is_a_warning() {
    let (_dir, root) = register_with("  - tools/*\n  - records/*.json\n");
    let (code, diagnostics) = check_json(&root);
    assert_eq!(code, Some(0), "{diagnostics:#?}");
    assert_eq!(codes_in(&diagnostics, "register.yaml"), [("W028".to_owned(), 8)], "{diagnostics:#?}");
}

#[test]
fn register_a_glob_never_reads_the_registers_own_output_back() {
    let (_dir, root) = register_with("  - tools/*\n");
    let output = workbook().arg("build").arg(&root).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(root.join("public/alpha/workbook.json").is_file());
    std::fs::write(root.join("register.yaml"), register_yaml("  - tools/*\n  - '*/*/workbook.json'\n"))
        .unwrap();
    let (code, diagnostics) = check_json(&root);
    assert_eq!(code, Some(0), "{diagnostics:#?}");
    assert_eq!(codes_in(&diagnostics, "register.yaml"), [("W028".to_owned(), 8)], "{diagnostics:#?}");
}

#[test]
fn register_absolute_paths_and_links_out_of_the_register_are_refused() {
    let (dir, root) = register_with("  - /srv/tools/alpha\n  - tools/*\n");
    // A link inside tools/ to a project outside the register folder.
    let outside = dir.path().join("outside-tool");
    copy_tree(&fixtures().join("base"), &outside);
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, root.join("tools/gamma")).unwrap();
    let (code, diagnostics) = check_json(&root);
    assert_eq!(code, Some(1));
    let found = codes_in(&diagnostics, "register.yaml");
    assert!(found.contains(&("E029".to_owned(), 7)), "an absolute path is refused: {diagnostics:#?}");
    #[cfg(unix)]
    assert!(
        diagnostics.iter().any(|d| d["message"].as_str().unwrap_or_default().contains("tools/gamma")),
        "a link that leads out is refused: {diagnostics:#?}"
    );
    // A member named by its path may be outside the register, as a cargo workspace member may.
    std::fs::write(root.join("register.yaml"), register_yaml("  - ../outside-tool\n")).unwrap();
    let (code, diagnostics) = check_json(&root);
    assert_eq!(code, Some(0), "{diagnostics:#?}");
}

#[test]
fn register_check_shows_each_file_relative_to_the_register() {
    let (_dir, root) = register_with("  - tools/*\n");
    let answer = root.join("tools/beta/answers/01-describe-the-tool.md");
    let text = std::fs::read_to_string(&answer).unwrap();
    std::fs::write(&answer, text.replacen("status:", "status: nonsense\nstatus_was:", 1)).unwrap();
    let (code, diagnostics) = check_json(&root);
    assert_eq!(code, Some(1));
    let files: Vec<&str> = diagnostics.iter().filter_map(|d| d["file"].as_str()).collect();
    assert!(files.contains(&"tools/beta/answers/01-describe-the-tool.md"), "{files:?}");
    // A finding with no file of its own (no git history) names the member's folder.
    assert!(files.iter().all(|f| f.starts_with("tools/alpha") || f.starts_with("tools/beta")), "{files:?}");
    // Every format check supports keeps working.
    for format in ["human", "github", "gitlab", "markdown"] {
        let output = workbook().arg("check").arg(&root).args(["--format", format]).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{format}");
        let all =
            format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(all.contains("tools/beta/answers/01-describe-the-tool.md"), "{format}:\n{all}");
    }
}

#[test]
fn register_a_member_with_errors_fails_the_build_and_leaves_the_output_untouched() {
    let (_dir, root) = register_with("  - tools/*\n");
    let (_out_dir, out) = build_into(&root, &[]);
    let before = tree(&out);
    for slug in ["alpha", "beta"] {
        let answer = root.join(format!("tools/{slug}/answers/01-describe-the-tool.md"));
        let text = std::fs::read_to_string(&answer).unwrap();
        std::fs::write(&answer, text.replacen("status:", "status: nonsense\nstatus_was:", 1)).unwrap();
    }
    let output = workbook().arg("build").arg(&root).arg("--out").arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for slug in ["alpha", "beta"] {
        assert!(stderr.contains(&format!("tools/{slug}/answers/01-describe-the-tool.md")), "{stderr}");
    }
    assert!(tree(&out) == before, "a failed build left the output as it was");
}

#[test]
fn register_status_prints_a_row_per_tool() {
    let (_dir, root) = register_with("  - tools/*\n");
    let output = workbook().arg("status").arg(&root).args(["--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let slugs: Vec<&str> =
        json["members"].as_array().unwrap().iter().map(|m| m["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["alpha", "beta"]);
    let output = workbook().arg("status").arg(&root).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.lines().count() == 3 && text.contains("alpha") && text.contains("beta"), "{text}");
}

/// GET `path` from the server on `port`, as (status, response text).
fn get(port: u16, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else { return (0, String::new()) };
    stream.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
    let _ = write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    (response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0), response)
}

/// A running `workbook serve`, stopped when dropped.
struct Serving(std::process::Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn register_serve_rebuilds_only_the_member_whose_file_changed() {
    use std::io::BufRead;
    use std::time::{Duration, Instant};
    let _turn = crate::support::exclusive();
    let (dir, root) = register_with("  - tools/*\n  - path: ../outside\n    slug: outside\n");
    copy_tree(&fixtures().join("base"), &dir.path().join("outside"));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_workbook"))
        .args(["serve", "--port", "0"])
        .arg(&root)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let _serving = Serving(child);
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let port: u16 = loop {
        let line =
            lines.recv_timeout(deadline.saturating_duration_since(Instant::now())).expect("serve starts");
        if let Some(rest) =
            line.strip_prefix("Serving the register ").and_then(|l| l.split(" on http://").nth(1))
        {
            break rest.split('/').next().unwrap().rsplit(':').next().unwrap().parse().unwrap();
        }
    };
    assert!(get(port, "/index.html").1.contains("outside/index.html"));
    assert_eq!(get(port, "/alpha/index.html").0, 200);
    // A save in the member outside the register folder: that member alone is built again.
    let answer = dir.path().join("outside/answers/01-describe-the-tool.md");
    let text = std::fs::read_to_string(&answer).unwrap();
    std::fs::write(&answer, text.replacen("status: draft", "status: in-review", 1)).unwrap();
    let rebuilt = loop {
        let line = lines.recv_timeout(deadline.saturating_duration_since(Instant::now())).expect("a rebuild");
        if line.contains("changed: rebuilt") {
            break line;
        }
    };
    assert!(rebuilt.contains("rebuilt 1 of 3 tools"), "{rebuilt}");
    assert!(get(port, "/outside/01-describe-the-tool.html").1.contains("In review"));
}

#[test]
fn register_an_internal_or_other_version_record_is_refused() {
    let (_dir, root) = register_with("  - records/*.json\n");
    std::fs::create_dir_all(root.join("records")).unwrap();
    let output = workbook()
        .arg("export")
        .arg(fixtures().join("base"))
        .args(["--format", "json", "--audience", "internal"])
        .output()
        .unwrap();
    std::fs::write(root.join("records/inside.json"), &output.stdout).unwrap();
    let mut old: serde_json::Value =
        serde_json::from_slice(&public_record(&fixtures().join("base"))).unwrap();
    old["schema_version"] = 1.into();
    std::fs::write(root.join("records/old.json"), serde_json::to_vec(&old).unwrap()).unwrap();
    let (code, diagnostics) = check_json(&root);
    assert_eq!(code, Some(1));
    let messages: Vec<(&str, &str)> = diagnostics
        .iter()
        .map(|d| (d["file"].as_str().unwrap_or_default(), d["message"].as_str().unwrap_or_default()))
        .collect();
    assert!(
        messages.iter().any(|(f, m)| *f == "records/inside.json" && m.contains("internal")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|(f, m)| *f == "records/old.json" && m.contains("schema_version")),
        "{messages:?}"
    );
}

fn example_register() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-register")
}

#[test]
fn register_the_example_registers_record_is_the_fixtures_public_record() {
    // Exported from a copy outside git, so that the record holds no history of this repository.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("placement-matching");
    copy_tree(&fixtures().join("half-answered"), &copy);
    let committed = std::fs::read(example_register().join("records/placement-matching.json")).unwrap();
    assert!(
        public_record(&copy) == committed,
        "example-register/records/placement-matching.json is stale: export tests/fixtures/half-answered \
         again (from a copy outside git, SOURCE_DATE_EPOCH=1780272000) with `workbook export --format json`"
    );
}

#[test]
fn register_the_example_register_builds_and_its_settings_follow_the_schema() {
    let output = workbook().args(["schema", "--for", "register-settings"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let text = std::fs::read_to_string(example_register().join("register.yaml")).unwrap();
    let settings: serde_json::Value = serde_yaml::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&settings).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    // A wrong key is refused by the schema as by the loader.
    let mut wrong = settings.clone();
    wrong["membres"] = serde_json::json!([]);
    assert!(!validator.is_valid(&wrong));

    let (_dir, out) = build_into(&example_register(), &[]);
    for slug in ["example-project", "retired-tool", "placement-matching"] {
        assert!(out.join(slug).join("index.html").is_file(), "{slug}/index.html");
    }
}

#[test]
fn register_a_mistake_in_register_yaml_is_shown_at_its_key() {
    let (_dir, root) = register_with("  - path: tools/alpha\n    slg: alpha\n");
    let (code, diagnostics) = check_json(&root);
    assert_eq!(code, Some(1));
    let found: Vec<(String, u64, String)> = diagnostics
        .iter()
        .map(|d| {
            let text = |k: &str| d[k].as_str().unwrap_or_default().to_owned();
            (text("code"), d["line"].as_u64().unwrap_or(0), text("help"))
        })
        .collect();
    assert_eq!(found, [("E002".to_owned(), 8, "did you mean `slug`?".to_owned())], "{diagnostics:#?}");
}

#[test]
fn register_a_rebuild_renders_the_registers_pages_again_only_when_a_listing_or_the_settings_change() {
    use workbook::register::build::RegisterBuilder;
    use workbook::write::SiteFiles;
    let (_dir, root) = register_with("  - tools/*\n");
    let options = workbook::build::BuildOptions {
        audience: workbook::record::Audience::Public,
        base_url: None,
        today: jiff::civil::date(2026, 6, 1),
    };
    // `serve`'s builder: the fixture's answers are drafts, which its preview shows.
    let mut builder = RegisterBuilder::preview(&root, options);
    let text = |files: &workbook::register::build::RegisterFiles, path: &str| {
        String::from_utf8(files.file(path).unwrap_or_else(|| panic!("no {path}")).to_vec()).unwrap()
    };
    let first = builder.build(None).expect("the register builds");
    let home = text(&first.files, "index.html");
    assert!(home.contains("Placement Matching Helper"));
    let canonical = root.canonicalize().unwrap();
    let alpha = canonical.join("tools/alpha");

    // An answer's words: the member's site and register.json change, the register's pages do not.
    let answer = alpha.join("answers/01-describe-the-tool.md");
    let words = std::fs::read_to_string(&answer).unwrap();
    std::fs::write(&answer, words.replace("Descriptive analytics only.", "Descriptive analytics, weekly."))
        .unwrap();
    let second = builder.build(Some(std::slice::from_ref(&answer))).expect("it builds again");
    assert_eq!(second.rebuilt, 1);
    assert_eq!(text(&second.files, "index.html"), home);
    assert!(
        text(&second.files, "alpha/01-describe-the-tool.html").contains("Descriptive analytics, weekly.")
    );
    let json: serde_json::Value = serde_json::from_str(&text(&second.files, "register.json")).unwrap();
    let alpha_json = json["members"].as_array().unwrap().iter().find(|m| m["slug"] == "alpha").unwrap();
    assert!(alpha_json["record"].to_string().contains("Descriptive analytics, weekly."));
    assert!(!text(&second.files, "beta/01-describe-the-tool.html").contains("weekly"));

    // The tool's name is in its listing: the register's pages are rendered again.
    let settings = alpha.join("workbook.yaml");
    let yaml = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, yaml.replace("Placement Matching Helper", "Placement Finder")).unwrap();
    let third = builder.build(Some(std::slice::from_ref(&settings))).expect("it builds again");
    assert!(text(&third.files, "index.html").contains("Placement Finder"));

    // The register's own settings: every page again, with the new title.
    let register_yaml = canonical.join("register.yaml");
    let settings_text = std::fs::read_to_string(&register_yaml).unwrap();
    std::fs::write(&register_yaml, settings_text.replace("algorithm register", "tool register")).unwrap();
    let fourth = builder.build(Some(std::slice::from_ref(&register_yaml))).expect("it builds again");
    assert!(
        text(&fourth.files, "index.html").contains("Northfield children&#39;s services tool register")
            || text(&fourth.files, "index.html").contains("Northfield children's services tool register")
    );
}

#[test]
fn register_a_save_in_a_member_with_a_repository_of_its_own_shows_its_new_commits() {
    use workbook::register::build::RegisterBuilder;
    use workbook::write::SiteFiles;
    let (_dir, root) = register_with("  - tools/*\n");
    // `alpha` is a repository of its own (as a git submodule is), which the register's watcher
    // does not see commit.
    let alpha = root.canonicalize().unwrap().join("tools/alpha");
    git_at(&alpha, "2026-01-01T00:00:00Z", &["init", "-q", "-b", "main"]);
    commit_all(&alpha, "2026-01-01T00:00:00Z", "Start the workbook");
    let options = workbook::build::BuildOptions {
        audience: workbook::record::Audience::Internal,
        base_url: None,
        today: jiff::civil::date(2026, 6, 1),
    };
    let mut builder = RegisterBuilder::new(&root, options);
    builder.build(None).expect("the register builds");
    let answer = alpha.join("answers/01-describe-the-tool.md");
    let words = std::fs::read_to_string(&answer).unwrap();
    std::fs::write(&answer, words.replace("Descriptive analytics only.", "Descriptive, weekly.")).unwrap();
    commit_all(&alpha, "2026-02-01T00:00:00Z", "Say how often it runs");
    let site = builder.build(Some(std::slice::from_ref(&answer))).expect("it builds again");
    let changes =
        String::from_utf8(site.files.file("alpha/changes.html").expect("a changes page").to_vec()).unwrap();
    assert!(changes.contains("Say how often it runs"), "{changes}");
}
