//! The browser suite (`tests/browser/run.mjs`): builds the example project and the kitchen-sink
//! fixture, visits every page in headless Chromium (axe-core, keyboard, reflow at 320 px, print to
//! PDF) and validates the HTML, the Atom feed and the sitemap. It needs Node and npm, Chromium, a
//! Java runtime and xmllint; when one is missing this test fails and says what to install.

use std::path::{Path, PathBuf};
use std::process::Command;

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// True when `program arg` runs and exits 0.
fn runs(program: &str, arg: &str) -> bool {
    Command::new(program).arg(arg).output().is_ok_and(|o| o.status.success())
}

/// What is missing from the machine, each with how to install it.
fn missing_tools() -> Vec<String> {
    let mut missing = Vec::new();
    if !runs("node", "--version") || !runs("npm", "--version") {
        missing.push("Node.js 20 and npm".to_owned());
    }
    let chromium =
        std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if !chromium.exists() {
        missing.push(format!(
            "Chromium at {} (`apt-get install -y chromium`, or set CHROMIUM)",
            chromium.display()
        ));
    }
    if !runs("java", "-version") {
        missing.push("a Java runtime (`apt-get install -y default-jre-headless`)".to_owned());
    }
    if !runs("xmllint", "--version") {
        missing.push("xmllint (`apt-get install -y libxml2-utils`)".to_owned());
    }
    if !runs("git", "--version") {
        missing.push("git (`apt-get install -y git`)".to_owned());
    }
    missing
}

#[test]
fn every_page_passes_the_browser_suite() {
    // Chromium and Java load the whole machine: the tests that measure time wait for their turn.
    let _turn = crate::support::exclusive();
    let missing = missing_tools();
    assert!(
        missing.is_empty(),
        "the browser suite cannot run; install:\n  - {}\n(.ci/run installs them all)",
        missing.join("\n  - ")
    );
    let dir = browser_dir();
    if !dir.join("node_modules").exists() {
        let output = Command::new("npm")
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .output()
            .expect("npm runs");
        assert!(
            output.status.success(),
            "`npm ci --prefix tests/browser` failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let output = Command::new("node")
        .arg(dir.join("run.mjs"))
        .env("WORKBOOK_BIN", env!("CARGO_BIN_EXE_workbook"))
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the browser suite failed (exit {:?}); run it alone with\n  \
         cargo build && WORKBOOK_BIN=target/debug/workbook node tests/browser/run.mjs\n\n{stdout}{stderr}",
        output.status.code()
    );
    println!("{stdout}{stderr}");
}

/// The register's pages in the browser suite: its home, an organisation page and a member's home,
/// public and internal (with the reviewers' page), through axe and the Nu checker; and the home
/// page's filter with and without JavaScript (`run.mjs --register`).
#[test]
fn register_pages_pass_the_browser_suite() {
    let _turn = crate::support::exclusive();
    let missing = missing_tools();
    assert!(
        missing.is_empty(),
        "the browser suite cannot run; install:\n  - {}\n(.ci/run installs them all)",
        missing.join("\n  - ")
    );
    let dir = browser_dir();
    assert!(
        dir.join("node_modules").exists(),
        "run `npm ci --ignore-scripts --prefix tests/browser` first (every_page_passes_the_browser_suite does)"
    );
    let register = tempfile::tempdir().expect("temporary folder");
    let public = register.path().join("register-public");
    let internal = register.path().join("register-internal");
    crate::register_site::write_register(
        &public,
        workbook::record::Audience::Public,
        Some("https://register.example/"),
    );
    crate::register_site::write_register(
        &internal,
        workbook::record::Audience::Internal,
        Some("https://register.example/"),
    );
    let output = Command::new("node")
        .arg(dir.join("run.mjs"))
        .arg("--check-dir")
        .arg(&public)
        .arg("--check-dir")
        .arg(&internal)
        .args(["--register", "--pages"])
        .arg("index.html,organisations/northfield-borough-council.html,early-help/index.html,reviewers.html")
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the register's browser checks failed:\n{stdout}{stderr}");
    println!("{stdout}{stderr}");
}
