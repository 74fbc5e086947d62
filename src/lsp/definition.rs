//! Go to definition: from an evidence `file:` (or any `file:` a checklist entry names) to the file.

use super::document::Segment;
use super::yaml::{Cursor, On};
use std::path::{Path, PathBuf};

/// The file a `file:` value under the cursor names, when it is a project path that exists.
pub fn target(cursor: &Cursor, root: &Path) -> Option<PathBuf> {
    let (Some(Segment::Key(key)), On::Value(value)) = (cursor.path.last(), &cursor.on) else { return None };
    if key != "file" {
        return None;
    }
    let written = value.trim().trim_matches(['"', '\'']);
    let relative = crate::load::project_path(written).ok()?;
    let full = root.join(&relative);
    // Only a file inside the project: a link out of it leads nowhere here, as in `check`.
    let real = full.canonicalize().ok()?;
    (real.starts_with(root) && real.is_file()).then_some(full)
}
