//! Which changes in the project folder call for a rebuild.

use std::path::Path;

/// True when a change to `relative` (a path inside the project) should rebuild the site: not git's
/// own files, not the default output folder, and not the temporary and backup files of editors.
pub fn is_relevant(relative: &Path) -> bool {
    let mut parts = relative.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else { return false };
    if first == ".git" || first == "public" || first == "target" || first == "node_modules" {
        return false;
    }
    let Some(name) = relative.file_name().map(|n| n.to_string_lossy()) else { return true };
    !is_editor_temporary(&name)
}

/// Temporary, swap and backup files of common editors, which come and go around every save.
pub fn is_editor_temporary(name: &str) -> bool {
    name == "4913" // vim probes whether it may write the folder
        || name.ends_with('~') // vim, emacs and others' backups
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo") // vim swap files
        || (name.starts_with('#') && name.ends_with('#')) // emacs auto-save
        || name.starts_with(".#") // emacs lock files
        || name.contains("___jb_") // JetBrains safe-write
        || name.ends_with(".kate-swp") // kate
        || name.ends_with(".bck") // helix
        || name == ".DS_Store"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editors_leftovers_are_ignored_and_answers_are_not() {
        for ignored in [
            ".git/index",
            "public/index.html",
            "answers/.01.md.swp",
            "answers/01.md~",
            "answers/4913",
            "answers/#01.md#",
            "answers/.#01.md",
            "answers/01.md___jb_tmp___",
            "answers/01.md.kate-swp",
            "answers/01.md.bck",
        ] {
            assert!(!is_relevant(Path::new(ignored)), "{ignored}");
        }
        for relevant in [
            "answers/01-describe-the-tool.md",
            "workbook.yaml",
            "evidence/dpia.pdf",
            "static/x.css",
            "new/folder/file",
        ] {
            assert!(is_relevant(Path::new(relevant)), "{relevant}");
        }
    }
}
