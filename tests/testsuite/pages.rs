//! Free-standing pages: `pages/*.md` become pages of the site, in its navigation and sitemap, and are
//! checked like answers (unknown keys, internal passages, personal data, names the site uses).

use crate::support::{copy_tree, diagnostics_json, fixtures, git, git_at, workbook};
use std::path::{Path, PathBuf};

fn project(pages: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    copy_tree(&fixtures().join("base"), &root);
    std::fs::create_dir_all(root.join("pages")).unwrap();
    for (name, text) in pages {
        std::fs::write(root.join("pages").join(name), text).unwrap();
    }
    (dir, root)
}

fn check(root: &Path) -> (Option<i32>, Vec<serde_json::Value>) {
    let output = workbook().args(["check", "--format", "json"]).arg(root).output().unwrap();
    (output.status.code(), diagnostics_json(&output.stdout))
}

fn build(root: &Path, audience: &str) -> (tempfile::TempDir, PathBuf) {
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("site");
    let output =
        workbook().arg("build").arg(root).args(["--audience", audience, "--out"]).arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    (out_dir, out)
}

const GLOSSARY: &str = "---\ntitle: Words we use\nnav_order: 2\nsummary: What the words on this site mean.\n---\n\n\
                        ## Early help\n\nSupport for a family before problems grow.\n";
const EASY_READ: &str =
    "---\ntitle: About this tool in easy read\nnav_order: 1\n---\n\nThis is a computer tool.\n";
const ZEBRA: &str = "---\ntitle: Zebra facts\n---\n\nNo nav order: it comes last.\n";

#[test]
fn a_page_is_in_the_nav_and_the_sitemap() {
    let (_dir, root) =
        project(&[("glossary.md", GLOSSARY), ("easy-read.md", EASY_READ), ("zebra.md", ZEBRA)]);
    let (code, diagnostics) = check(&root);
    assert!(diagnostics.iter().all(|d| d["severity"] != "error"), "{diagnostics:?}");
    assert_eq!(code, Some(0), "{diagnostics:?}");
    let (_out_dir, out) = build(&root, "public");
    let page = std::fs::read_to_string(out.join("glossary.html")).unwrap();
    assert!(page.contains("<h1 class=\"heading-xl\">Words we use</h1>"), "{page}");
    assert!(page.contains("What the words on this site mean."), "{page}");
    assert!(page.contains("Support for a family before problems grow."), "{page}");
    assert!(page.contains(">Early help</h2>"), "{page}");
    assert!(page.contains("href=\"glossary.html\" aria-current=\"page\""), "{page}");
    // Every page's navigation lists the pages, by nav_order and then title.
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    let at = |needle: &str| home.find(needle).unwrap_or_else(|| panic!("{needle} in {home}"));
    assert!(at("href=\"easy-read.html\"") < at("href=\"glossary.html\""), "{home}");
    assert!(at("href=\"glossary.html\"") < at("href=\"zebra.html\""), "{home}");
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    for name in ["easy-read.html", "glossary.html", "zebra.html"] {
        assert!(sitemap.contains(&format!("<loc>./{name}</loc>")), "{sitemap}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("workbook.json")).unwrap()).unwrap();
    assert_eq!(json["pages"][0]["title"], "About this tool in easy read", "{json}");
}

#[test]
fn an_internal_page_and_internal_passages_reach_no_public_file() {
    let internal_page = "---\ntitle: Notes for the board CANARY-PAGE-TITLE\nvisibility: internal\n---\n\n\
                         CANARY-PAGE-BODY\n";
    let public_page = "---\ntitle: How we use this tool\n---\n\nWe use it to plan.\n\n::: internal\n\
                       CANARY-PASSAGE\n:::\n\nThe end.\n";
    let (_dir, root) = project(&[("board.md", internal_page), ("how-we-use-it.md", public_page)]);
    let (_out_dir, out) = build(&root, "public");
    assert!(!out.join("board.html").exists());
    for (path, bytes) in crate::build::tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        for canary in ["CANARY-PAGE-TITLE", "CANARY-PAGE-BODY", "CANARY-PASSAGE", "board.html"] {
            assert!(!text.contains(canary), "{canary} in {path}");
        }
    }
    let page = std::fs::read_to_string(out.join("how-we-use-it.html")).unwrap();
    assert!(page.contains("We use it to plan.") && page.contains("The end."), "{page}");

    // The internal build has both, marked as internal.
    let (_internal_dir, internal) = build(&root, "internal");
    let board = std::fs::read_to_string(internal.join("board.html")).unwrap();
    assert!(board.contains("CANARY-PAGE-BODY") && board.contains("Internal — not published"), "{board}");
    let how = std::fs::read_to_string(internal.join("how-we-use-it.html")).unwrap();
    assert!(how.contains("CANARY-PASSAGE"), "{how}");
}

#[test]
fn an_unknown_key_is_an_error_at_its_position() {
    let (_dir, root) = project(&[("glossary.md", "---\ntitle: Words\nnav_ordr: 2\n---\n\nText.\n")]);
    let (code, diagnostics) = check(&root);
    assert_eq!(code, Some(1), "{diagnostics:?}");
    let d = diagnostics.iter().find(|d| d["name"] == "unknown-key").expect("an unknown-key error");
    assert_eq!(d["file"], "pages/glossary.md", "{d}");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(3), Some(1)), "{d}");
    assert!(d["help"].as_str().unwrap().contains("`nav_order`"), "{d}");
}

#[test]
fn a_page_without_a_title_or_with_an_unclosed_passage_is_an_error() {
    let (_dir, root) = project(&[
        ("a.md", "---\nsummary: No title.\n---\n\nText.\n"),
        ("b.md", "---\ntitle: B\n---\n\n::: internal\nNever closed.\n"),
        ("c.md", "Just text.\n"),
    ]);
    let (code, diagnostics) = check(&root);
    assert_eq!(code, Some(1), "{diagnostics:?}");
    let names: Vec<_> = diagnostics.iter().map(|d| (d["file"].clone(), d["name"].clone())).collect();
    assert!(names.contains(&("pages/a.md".into(), "missing-key".into())), "{names:?}");
    assert!(names.contains(&("pages/b.md".into(), "unclosed-internal".into())), "{names:?}");
    let c = diagnostics.iter().find(|d| d["file"] == "pages/c.md").expect("c.md has no front matter");
    assert!(c["help"].as_str().unwrap().contains("`title: `"), "{c}");
}

#[test]
fn a_name_the_site_uses_is_an_error() {
    let page = "---\ntitle: Another home\n---\n\nText.\n";
    for name in [
        "index.md",
        "print.md",
        "changes.md",
        "accessibility.md",
        "01-describe-the-tool.md",
        "phase-explore.md",
        "Glossary.md",
    ] {
        let (_dir, root) = project(&[(name, page)]);
        let (code, diagnostics) = check(&root);
        assert_eq!(code, Some(1), "{name}: {diagnostics:?}");
        let d = diagnostics
            .iter()
            .find(|d| d["name"] == "page-name")
            .unwrap_or_else(|| panic!("{name}: {diagnostics:?}"));
        assert_eq!(d["file"], format!("pages/{name}"), "{d}");
        assert_eq!(d["line"], 1, "{d}");
    }
}

#[test]
fn personal_data_in_a_page_is_found_at_its_line() {
    let page = "---\ntitle: Contact\nsummary: Ring 07700 900123 for help.\n---\n\nFirst line.\n\n\
                Write to jo.bloggs@gmail.com any time.\n";
    let (_dir, root) = project(&[("contact.md", page)]);
    let (_, diagnostics) = check(&root);
    let find = |name: &str| {
        diagnostics
            .iter()
            .find(|d| d["name"] == name)
            .unwrap_or_else(|| panic!("{name}: {diagnostics:?}"))
            .clone()
    };
    let email = find("personal-data-email");
    assert_eq!(email["file"], "pages/contact.md", "{email}");
    assert_eq!((email["line"].as_u64(), email["column"].as_u64()), (Some(8), Some(10)), "{email}");
    let phone = find("personal-data-phone");
    assert_eq!(phone["file"], "pages/contact.md", "{phone}");
    assert_eq!(phone["line"], 3, "{phone}");
}

#[test]
fn the_schema_covers_page_front_matter() {
    let output = workbook().args(["schema", "--for", "page"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for key in ["title", "nav_order", "visibility", "summary"] {
        assert!(schema["properties"][key].is_object(), "{key}: {schema}");
    }
    assert_eq!(schema["required"], serde_json::json!(["title"]), "{schema}");
    assert_eq!(schema["additionalProperties"], false, "{schema}");
}

#[test]
fn init_writes_an_internal_easy_read_page_that_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("new");
    let output = workbook()
        .args(["init", "--org", "Testshire Council", "--tool", "Needs dashboard"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let page = std::fs::read_to_string(root.join("pages/easy-read.md")).unwrap();
    assert!(page.contains("visibility: internal"), "{page}");
    let (_, diagnostics) = check(&root);
    let about_page: Vec<_> = diagnostics.iter().filter(|d| d["file"] == "pages/easy-read.md").collect();
    assert!(about_page.is_empty(), "{about_page:?}");
    let (_out_dir, out) = build(&root, "internal");
    assert!(out.join("easy-read.html").exists());
}

#[test]
fn a_page_file_is_never_published_as_it_is() {
    // Its internal passages are cut only when it is read as a page: as evidence or a static file it
    // would be copied whole.
    let page = "---\ntitle: Board notes\n---\n\nPublic.\n\n::: internal\nCANARY-PASSAGE\n:::\n";
    let (_dir, root) = project(&[("board.md", page)]);
    let answer = root.join("answers/01-describe-the-tool.md");
    let text = std::fs::read_to_string(&answer).unwrap().replace(
        "summary: The tool compares placements.\n",
        "summary: The tool compares placements.\nevidence:\n  - title: Notes\n    kind: minutes\n    file: pages/board.md\n",
    );
    std::fs::write(&answer, text).unwrap();
    let (code, diagnostics) = check(&root);
    assert_eq!(code, Some(1), "{diagnostics:?}");
    let d = diagnostics.iter().find(|d| d["name"] == "unsafe-evidence").expect("refused as evidence");
    assert_eq!(d["file"], "answers/01-describe-the-tool.md", "{d}");

    #[cfg(unix)]
    {
        let (_dir, root) = project(&[("board.md", page)]);
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::os::unix::fs::symlink("../pages/board.md", root.join("static/board.md")).unwrap();
        let (code, diagnostics) = check(&root);
        assert_eq!(code, Some(1), "{diagnostics:?}");
        let d = diagnostics.iter().find(|d| d["name"] == "unsafe-evidence").expect("refused as static");
        assert_eq!(d["file"], "static/board.md", "{d}");
    }
}

#[test]
fn a_public_page_is_in_the_change_log_and_an_internal_page_is_not() {
    let (_dir, root) = project(&[]);
    git(&root, &["init", "-q", "-b", "main"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-qm", "Start the workbook"]);
    let commit = |name: &str, text: &str, date: &str, subject: &str| {
        std::fs::write(root.join("pages").join(name), text).unwrap();
        git_at(&root, date, &["add", "-A"]);
        git_at(&root, date, &["commit", "-qm", subject]);
    };
    commit(
        "board.md",
        "---\ntitle: Board\nvisibility: internal\n---\n\nNotes.\n",
        "2026-02-01T00:00:00Z",
        "Write the board notes",
    );
    commit("glossary.md", GLOSSARY, "2026-03-01T00:00:00Z", "Add a glossary");
    let (_out_dir, out) = build(&root, "public");
    let changes = std::fs::read_to_string(out.join("changes.html")).unwrap();
    assert!(changes.contains("Add a glossary"), "{changes}");
    assert!(!changes.contains("board notes"), "{changes}");
    let (_internal_dir, internal) = build(&root, "internal");
    let changes = std::fs::read_to_string(internal.join("changes.html")).unwrap();
    assert!(changes.contains("Write the board notes"), "{changes}");
}

#[test]
fn a_comment_or_a_fence_in_a_page_title_or_summary_is_an_error_there() {
    // Only Markdown is cut into passages; the title and summary would be published as written.
    let page = "---\ntitle: Words\nsummary: Plain words <!-- not the board's -->\n---\n\nText.\n";
    let (_dir, root) = project(&[("glossary.md", page)]);
    let (code, diagnostics) = check(&root);
    assert_eq!(code, Some(1), "{diagnostics:?}");
    let d = diagnostics.iter().find(|d| d["name"] == "unknown-block").expect("an unknown-block error");
    assert_eq!((d["file"].as_str(), d["line"].as_u64()), (Some("pages/glossary.md"), Some(3)), "{d}");
}
