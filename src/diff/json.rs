//! The diff as JSON, for CI and tools. Field names are stable.

use super::Diff;

/// The diff as pretty-printed JSON, ending in a newline.
pub fn render(diff: &Diff) -> String {
    let mut out = serde_json::to_string_pretty(diff).expect("the diff serializes");
    out.push('\n');
    out
}
