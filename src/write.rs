//! Writing the site: every file goes into a new folder beside the output, which then replaces the
//! output with a rename, so a failed or killed build leaves the previous site whole.
//!
//! The output folder carries a marker file. A folder without it is never replaced unless it is
//! empty, and neither the project folder nor any folder that contains it is ever written to.

use crate::diagnostic::{Code, Diagnostic};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The marker file that says a folder was written by `workbook build`.
pub const MARKER: &str = ".workbook-site";

/// What the marker file says.
const MARKER_TEXT: &str = "This folder is written by `workbook build`, which replaces it whole on every build.\n\
Do not keep your own files here: they would be deleted by the next build.\n";

/// The files of a site, by path relative to the output folder (with `/` separators).
pub type Files = BTreeMap<String, Vec<u8>>;

fn refuse(message: String, help: &str) -> Diagnostic {
    Diagnostic::new(Code::BuildOutput, message).help(help.to_owned())
}

/// Checks that `out` may be replaced by a build of `project`, and returns it as an absolute path.
pub fn check_output(out: &Path, project: &Path) -> Result<PathBuf, Diagnostic> {
    let given = out;
    let out = resolve(out).map_err(|e| refuse(format!("cannot use `{}`: {e}", given.display()), ""))?;
    let project =
        project.canonicalize().map_err(|e| refuse(format!("cannot read the project folder: {e}"), ""))?;
    if project.starts_with(&out) {
        return Err(refuse(
            format!(
                "`{}` is the project folder or contains it; the build would replace the project",
                given.display()
            ),
            "choose an output folder of its own, such as `public` inside the project",
        ));
    }
    // The folders the build reads: a site written into one would be read back into the next build
    // (an internal build in `static/` would be published whole by the next public one).
    if let Some(source) = SOURCE_FOLDERS.iter().find(|f| out.starts_with(project.join(f))) {
        return Err(refuse(
            format!("`{}` is inside the project's `{source}` folder, which the build reads", given.display()),
            "choose an output folder of its own, such as `public` inside the project",
        ));
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(refuse(
                format!("`{}` exists and is not a folder", given.display()),
                "choose another --out",
            ));
        }
        let has_files = std::fs::read_dir(&out).map(|mut d| d.next().is_some()).unwrap_or(true);
        if has_files && !out.join(MARKER).is_file() {
            return Err(refuse(
                format!("`{}` holds files that workbook did not write; nothing was deleted", given.display()),
                "choose an empty or new folder for --out; workbook replaces only folders it wrote itself",
            ));
        }
    }
    Ok(out)
}

/// The folders of a project that a build reads.
const SOURCE_FOLDERS: &[&str] =
    &[crate::load::ANSWERS_DIR, "evidence", crate::load::STATIC_DIR, crate::load::TEMPLATES_DIR, ".git"];

/// `path` made absolute, with links resolved in the part that exists and `.` and `..` in the part
/// that does not: `new/../site` is `site`, whether or not `new` exists, so no check can be passed by
/// a path that names one folder and then writes another.
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let mut out = PathBuf::new();
    for component in std::path::absolute(path)?.components() {
        match component {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => {
                out.push(other);
                if let Ok(real) = out.canonicalize() {
                    out = real;
                }
            }
        }
    }
    Ok(out)
}

/// Writes `files` as the new content of `out` (already checked by [`check_output`]).
pub fn write_site(out: &Path, files: &Files) -> Result<(), Diagnostic> {
    let io = |what: &str, path: &Path, e: std::io::Error| {
        refuse(
            format!("cannot {what} `{}`: {e}", path.display()),
            "check the folder's permissions and free space",
        )
    };
    let parent =
        out.parent().ok_or_else(|| refuse(format!("`{}` has no parent folder", out.display()), ""))?;
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
    std::fs::create_dir_all(parent).map_err(|e| io("create", parent, e))?;
    remove_leftovers(parent, &name);
    let staging = parent.join(format!(".{name}.workbook-new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir(&staging).map_err(|e| io("create", &staging, e))?;
    let result = (|| {
        std::fs::write(staging.join(MARKER), MARKER_TEXT).map_err(|e| io("write", &staging, e))?;
        for (relative, bytes) in files {
            let path = staging.join(relative);
            if let Some(folder) = path.parent() {
                std::fs::create_dir_all(folder).map_err(|e| io("create", folder, e))?;
            }
            std::fs::write(&path, bytes).map_err(|e| io("write", &path, e))?;
        }
        let old = parent.join(format!(".{name}.workbook-old-{}", std::process::id()));
        if out.exists() {
            std::fs::rename(out, &old).map_err(|e| io("move aside", out, e))?;
        }
        if let Err(e) = std::fs::rename(&staging, out) {
            // Put the previous site back, so a failure never leaves no site at all.
            let _ = std::fs::rename(&old, out);
            return Err(io("replace", out, e));
        }
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// Removes folders that an earlier, killed build left beside the output (each carries the marker).
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let ours = file_name.starts_with(&format!(".{name}.workbook-new-"))
            || file_name.starts_with(&format!(".{name}.workbook-old-"));
        if ours && entry.path().join(MARKER).is_file() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
