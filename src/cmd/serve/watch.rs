//! Which changes in the project folder call for a rebuild, and the watcher that `serve` and
//! `build --watch` rebuild from.

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the watcher waits for a burst of events to end. Short: editors finish a save within a
/// few milliseconds, and the reload should follow at once.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// When saves keep coming while a rebuild runs (a script, a `git checkout`, an editor that saves
/// every keystroke), wait until they have stopped for this long, then rebuild once more.
const BURST_QUIET: Duration = Duration::from_millis(100);

/// The longest a stream of saves that never pauses waits for its trailing rebuild.
const BURST_MAX: Duration = Duration::from_secs(1);

/// Watches a project folder, and the git folder's HEAD and branches, so that a save and a commit
/// both rebuild. Made before the first build, so that a save made while it runs is not missed.
pub struct Watcher {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    events: mpsc::Receiver<DebounceEventResult>,
    root: PathBuf,
    canonical_root: PathBuf,
    /// The git folders whose `HEAD`, `packed-refs` and `refs/` a commit changes (a worktree's own
    /// and the repository's common one), canonical.
    git_dirs: Vec<PathBuf>,
    /// Folders whose changes never rebuild (the output of `build --watch`), absolute.
    ignored: Vec<PathBuf>,
}

impl Watcher {
    /// Watches `root` (recursively) and its git folders; changes under `ignored` never count.
    pub fn new(root: &Path, ignored: Vec<PathBuf>) -> Result<Watcher, String> {
        let (tx, events) = mpsc::channel::<DebounceEventResult>();
        let mut debouncer =
            new_debouncer(DEBOUNCE, None, tx).map_err(|e| format!("cannot watch the project: {e}"))?;
        debouncer
            .watch(root, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let mut git_dirs = Vec::new();
        if let Some(git_dir) = workbook::history::git_dir(root).and_then(|d| d.canonicalize().ok()) {
            // A worktree's git folder holds its HEAD; the branches are in the common folder.
            let common = std::fs::read_to_string(git_dir.join("commondir"))
                .ok()
                .and_then(|c| git_dir.join(c.trim()).canonicalize().ok());
            for dir in std::iter::once(git_dir).chain(common) {
                // A git folder inside the project is watched already; one outside it (a project in
                // a worktree, or below the repository's top) is watched for what a commit changes.
                // A folder that cannot be watched only costs the refresh on commit.
                if !dir.starts_with(&canonical_root) {
                    let _ = debouncer.watch(&dir, RecursiveMode::NonRecursive);
                    let _ = debouncer.watch(dir.join("refs"), RecursiveMode::Recursive);
                }
                git_dirs.push(dir);
            }
        }
        let ignored = ignored.into_iter().flat_map(|p| [p.canonicalize().ok(), std::path::absolute(&p).ok()]);
        Ok(Watcher {
            _debouncer: debouncer,
            events,
            root: root.to_path_buf(),
            canonical_root,
            git_dirs,
            ignored: ignored.flatten().collect(),
        })
    }

    /// Adds the relevant paths of `result` to `changed` (relative to the project; a commit as
    /// `.git/…`).
    fn relevant(&self, result: DebounceEventResult, changed: &mut Vec<PathBuf>) {
        let Ok(events) = result else { return };
        // Reading a file is an event too (the build reads every answer); only changes count.
        let changes = events.into_iter().filter(|e| !matches!(e.kind, EventKind::Access(_)));
        for path in changes.flat_map(|e| e.event.paths) {
            if self.ignored.iter().any(|i| path.starts_with(i)) {
                continue;
            }
            let in_git = self.git_dirs.iter().find_map(|d| path.strip_prefix(d).ok());
            let relative = match in_git {
                Some(in_git) if is_git_change(in_git, self.head_ref().as_deref()) => {
                    Path::new(".git").join(in_git)
                }
                Some(_) => continue,
                None => {
                    let relative = path
                        .strip_prefix(&self.canonical_root)
                        .or_else(|_| path.strip_prefix(&self.root))
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|_| path.clone());
                    if !is_relevant(&relative) {
                        continue;
                    }
                    relative
                }
            };
            if !changed.contains(&relative) {
                changed.push(relative);
            }
        }
    }

    /// The branch HEAD points at (`refs/heads/main`), read now: other branches' commits, in other
    /// worktrees of the same repository, change nothing here.
    fn head_ref(&self) -> Option<String> {
        let head = std::fs::read_to_string(self.git_dirs.first()?.join("HEAD")).ok()?;
        head.trim().strip_prefix("ref: ").map(str::to_owned)
    }

    /// Calls `rebuild` with the paths changed, sorted, after every save or commit, until the
    /// watcher stops. A burst of saves makes two rebuilds, not a storm.
    pub fn run(self, mut rebuild: impl FnMut(&[PathBuf])) {
        while let Ok(result) = self.events.recv() {
            // A save rebuilds at once (leading edge)…
            let mut changed = Vec::new();
            self.relevant(result, &mut changed);
            while let Ok(more) = self.events.try_recv() {
                self.relevant(more, &mut changed);
            }
            if changed.is_empty() {
                continue;
            }
            changed.sort();
            rebuild(&changed);
            // …and saves that come during the rebuild or soon after make one more, once they stop
            // for BURST_QUIET (trailing edge), so a burst of saves makes two rebuilds, not a storm.
            // Saves that never stop still rebuild every BURST_MAX. (Waiting only for saves already
            // queued when the rebuild ended let a burst that outlasted one rebuild start a second
            // leading edge.)
            loop {
                let waiting = Instant::now();
                let mut burst = Vec::new();
                while waiting.elapsed() < BURST_MAX {
                    match self.events.recv_timeout(BURST_QUIET) {
                        Ok(more) => self.relevant(more, &mut burst),
                        Err(_) => break,
                    }
                }
                if burst.is_empty() {
                    break;
                }
                burst.sort();
                rebuild(&burst);
            }
        }
    }
}

/// True when a change to `relative` (a path inside a git folder) is one a commit or a checkout makes
/// to what HEAD points at: `HEAD`, `packed-refs`, or `head_ref`, the branch HEAD names; not another
/// branch, the lock files written on the way, the index or the objects.
pub fn is_git_change(relative: &Path, head_ref: Option<&str>) -> bool {
    relative == Path::new("HEAD")
        || relative == Path::new("packed-refs")
        || head_ref.is_some_and(|r| relative == Path::new(r))
}

/// True when a change to `relative` (a path inside the project) should rebuild the site: not git's
/// own files, not the default output folder, and not the temporary and backup files of editors.
pub fn is_relevant(relative: &Path) -> bool {
    let mut parts = relative.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else { return false };
    if first == ".git" || first == "public" || first == "target" || first == "node_modules" {
        return false;
    }
    // The lock, staging and set-aside folders the site writer keeps beside an output folder.
    if relative.components().any(|c| c.as_os_str().to_string_lossy().contains(".workbook-")) {
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
            ".site.workbook-lock",
            ".site.workbook-new-123/index.html",
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

    #[test]
    fn a_commit_counts_and_the_rest_of_git_does_not() {
        let head = Some("refs/heads/feature/x");
        for commit in ["HEAD", "packed-refs", "refs/heads/feature/x"] {
            assert!(is_git_change(Path::new(commit), head), "{commit}");
        }
        for other in [
            "index",
            "refs/heads/main",
            "refs/heads/feature/x.lock",
            "HEAD.lock",
            "objects/ab/cdef",
            "logs/HEAD",
            "ORIG_HEAD",
        ] {
            assert!(!is_git_change(Path::new(other), head), "{other}");
        }
        assert!(!is_git_change(Path::new("refs/heads/main"), None), "a detached HEAD follows HEAD only");
    }
}
