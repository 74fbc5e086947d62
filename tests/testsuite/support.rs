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
