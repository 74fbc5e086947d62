//! Helpers shared by the tests: running the binary, copying fixtures.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The folder of fixtures.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The `workbook` binary, with a fixed date and no colour, so output is the same on every machine.
pub fn workbook() -> Command {
    let mut cmd = Command::cargo_bin("workbook").expect("binary builds");
    // 2026-06-01T00:00:00Z: "today" for overdue reviews.
    cmd.env("SOURCE_DATE_EPOCH", "1780272000").env("NO_COLOR", "1");
    // A hang fails its test instead of holding the whole run until CI's time limit.
    cmd.timeout(std::time::Duration::from_secs(120));
    cmd
}

/// Copies the folder `from` into `to`, overwriting files that exist.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read fixture folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// Parses the JSON that `check --format json` prints.
pub fn diagnostics_json(stdout: &[u8]) -> Vec<serde_json::Value> {
    serde_json::from_slice(stdout).expect("check --format json prints a JSON array")
}

/// Tests that measure time (the `serve` tests) and the browser suite, which loads the whole machine,
/// take turns: every test of this harness runs in one process, so one lock is enough.
static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Waits for this test's turn among the tests that must not overlap; the turn ends when the guard drops.
pub fn exclusive() -> std::sync::MutexGuard<'static, ()> {
    TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Runs git in `dir` as a fixed test author, with the author and commit date `date` (ISO 8601),
/// whatever the machine's own git configuration says; panics when git fails.
pub fn git_at(dir: &Path, date: &str, args: &[&str]) {
    let status = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"])
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// [`git_at`] on 1 January 2026.
pub fn git(dir: &Path, args: &[&str]) {
    git_at(dir, "2026-01-01T00:00:00Z", args);
}

/// A project held in memory, as a [`workbook::load::tree::Tree`]: paths relative to the project.
pub struct Memory(pub std::collections::BTreeMap<String, Vec<u8>>);

impl workbook::load::tree::Tree for Memory {
    fn names(&self, dir: &str) -> Option<Vec<String>> {
        let prefix = format!("{dir}/");
        let mut names: Vec<String> = self
            .0
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .map(|rest| rest.split('/').next().unwrap_or(rest).to_owned())
            .collect();
        names.dedup();
        (!names.is_empty()).then_some(names)
    }
    fn entry(&self, path: &str) -> workbook::load::tree::Entry {
        use workbook::load::tree::Entry;
        match self.0.get(path) {
            Some(bytes) => Entry::File(bytes.len() as u64),
            None if self.0.keys().any(|k| k.starts_with(&format!("{path}/"))) => Entry::Folder,
            None => Entry::Missing,
        }
    }
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        self.0.get(path).cloned().ok_or_else(|| std::io::ErrorKind::NotFound.into())
    }
}
