//! The project's history from git: one `git log` process over the project folder, parsed here, gives
//! every commit (date, author, subject) and what it changed in each file (old and new blob ids, with
//! renames followed). [`public`] decides which commits the public may be told about.

pub(crate) mod blobs;
pub(crate) mod public;

use crate::diagnostic::{Code, Diagnostic};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

/// One commit that touched the project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Commit {
    /// The full hash.
    pub hash: String,
    /// The author date, as ISO 8601 with its offset (`2026-11-20T10:15:00+00:00`).
    pub date: String,
    /// The author's name; empty where the audience is not shown names.
    pub author: String,
    /// The first line of the message; empty where the audience is not shown subjects.
    pub subject: String,
    /// The files it touched (old and new paths of a rename), relative to the project folder, sorted.
    #[serde(skip)]
    pub files: Vec<String>,
    /// What it changed in each file, against its first parent, in git's order.
    #[serde(skip)]
    pub changes: Vec<FileChange>,
}

/// One file changed by a commit, as `git log --raw` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// The file before the commit; `None` when the commit added it.
    pub old: Option<Version>,
    /// The file after the commit; `None` when the commit deleted it.
    pub new: Option<Version>,
}

/// A file at one side of a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Its path, relative to the project folder.
    pub path: String,
    /// Its blob id.
    pub blob: String,
    /// True for a regular file (not a link, not a submodule).
    pub regular: bool,
}

impl Commit {
    /// The calendar day of the commit, `YYYY-MM-DD`.
    pub fn day(&self) -> &str {
        self.date.get(..10).unwrap_or(&self.date)
    }

    /// The first seven characters of the hash.
    pub fn short_hash(&self) -> &str {
        self.hash.get(..7).unwrap_or(&self.hash)
    }
}

/// The project's history, newest commit first.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Every commit that touched the project, newest first.
    pub commits: Vec<Commit>,
    /// For each file (relative to the project), the indexes into `commits` that touched it.
    by_file: BTreeMap<String, Vec<usize>>,
    /// True when git history was read (the project is in a repository).
    pub available: bool,
    /// True when the repository is a shallow clone, so older commits are missing.
    pub shallow: bool,
    /// Where the bytes of past versions are read from: shared by every history of one repository.
    blobs: Option<Arc<blobs::Blobs>>,
    /// What each commit changed in the public projection, for the settings it was last worked out
    /// with (and their twin with `site.publish_drafts` flipped): kept across the builds of `serve`
    /// while HEAD does not move.
    public: Arc<Mutex<Vec<public::Cached>>>,
}

/// The warning for a history read from a shallow clone.
fn shallow_warning() -> Diagnostic {
    Diagnostic::new(
        Code::ShallowHistory,
        "the repository is a shallow clone: the site shows only the history it has",
    )
    .help("fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` in GitHub Actions)")
}

/// A history as read, with the warnings met reading it.
type HistoryRead = (History, Vec<Diagnostic>);

/// The format of a commit's header: four fields, each ended by NUL, which no commit message holds.
const FORMAT: &str = "--format=%H%x00%ad%x00%an%x00%s%x00";

impl History {
    /// Reads the history of the project at `root`; a problem (no git, not a repository, a shallow
    /// clone) becomes a warning, and what history there is is kept.
    pub fn read(root: &Path) -> (History, Vec<Diagnostic>) {
        let output = Command::new("git")
            .arg("-C")
            .arg(root)
            // The user's own configuration must not change what is read.
            .args(["-c", "log.showRoot=true", "-c", "log.showSignature=false", "-c", "core.quotePath=false"])
            .args([
                "log",
                "--relative",
                "--raw",
                "--no-abbrev",
                "-M",
                "-z",
                "--no-color",
                "--date=iso-strict",
            ])
            .arg(FORMAT)
            .args(["--", "."])
            .output();
        let output = match output {
            Ok(o) if o.status.success() => o,
            Ok(o) => return (History::default(), vec![git_failed(&String::from_utf8_lossy(&o.stderr))]),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let d = no_history("git is not installed (or not on PATH)".to_owned())
                    .help("install git, and keep the project in a git repository, so the site can show when each answer changed");
                return (History::default(), vec![d]);
            }
            Err(e) => return (History::default(), vec![no_history(format!("git could not be run: {e}"))]),
        };
        let mut history = History::parse(&String::from_utf8_lossy(&output.stdout));
        history.available = true;
        history.blobs = Some(blobs::Blobs::new(root));
        history.shallow = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["rev-parse", "--is-shallow-repository"])
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"true"));
        let mut warnings = Vec::new();
        if history.shallow {
            warnings.push(shallow_warning());
        }
        (history, warnings)
    }

    /// Parses the output of `git log --raw --no-abbrev -z` in the format [`History::read`] asks for.
    ///
    /// Every field ends in NUL, the one byte a commit message cannot hold, and the fields are read
    /// by position: nothing in a subject or a name can start a commit of its own. A commit whose
    /// hash or date is not one git writes is dropped.
    pub fn parse(log: &str) -> History {
        let mut history = History::default();
        let mut tokens = log.split('\0').peekable();
        loop {
            // Between commits: the empty fields that end a header or a commit without changes.
            while tokens.next_if(|t| t.trim_start_matches('\n').is_empty()).is_some() {}
            let Some(hash) = tokens.next() else { break };
            let (Some(date), Some(author), Some(subject)) = (tokens.next(), tokens.next(), tokens.next())
            else {
                break;
            };
            let mut changes = Vec::new();
            loop {
                while tokens.next_if(|t| t.trim_start_matches('\n').is_empty()).is_some() {}
                let Some(meta) = tokens.next_if(|t| t.trim_start_matches('\n').starts_with(':')) else {
                    break;
                };
                // `:old-mode new-mode old-blob new-blob status`, then one path, or two for a rename or copy.
                let fields: Vec<&str> = meta.trim_start_matches('\n')[1..].split(' ').collect();
                let [old_mode, new_mode, old_blob, new_blob, status] = fields[..] else { break };
                let two_paths = status.starts_with(['R', 'C']);
                let Some(first) = tokens.next() else { break };
                let second = if two_paths { tokens.next() } else { None };
                let (old_path, new_path) = (first, second.unwrap_or(first));
                let side = |mode: &str, blob: &str, path: &str| {
                    (!blob.bytes().all(|b| b == b'0')).then(|| Version {
                        path: path.to_owned(),
                        blob: blob.to_owned(),
                        regular: mode.starts_with("100"),
                    })
                };
                changes.push(FileChange {
                    old: side(old_mode, old_blob, old_path),
                    new: side(new_mode, new_blob, new_path),
                });
            }
            let hash = hash.trim_start_matches('\n');
            if !is_object_id(hash) || date.parse::<jiff::Timestamp>().is_err() {
                continue;
            }
            history.push(Commit {
                hash: hash.to_owned(),
                date: date.to_owned(),
                author: clean(author),
                subject: clean(subject),
                files: Vec::new(),
                changes,
            });
        }
        history
    }

    /// Reads the histories of several projects at once: projects in one git repository share one
    /// `git log` over the repository with their folders as pathspecs, split here into one history
    /// per project with paths relative to it, as [`History::read`] gives each alone. A project not
    /// in a repository found by walking up (no `.git` above it) is read alone, for its warning.
    /// The result is in the order of `roots`.
    pub fn read_many(roots: &[&Path]) -> Vec<(History, Vec<Diagnostic>)> {
        use rayon::prelude::*;
        // Each project's repository top and its folder inside it (`tools/referrals`; empty at the top).
        let placed: Vec<Option<(PathBuf, String)>> =
            roots.par_iter().map(|root| repository_of(root)).collect();
        let mut repositories: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
        for (index, place) in placed.iter().enumerate() {
            if let Some((top, _)) = place {
                repositories.entry(top.clone()).or_default().push(index);
            }
        }
        let mut results: Vec<Option<(History, Vec<Diagnostic>)>> = vec![None; roots.len()];
        let read: Vec<Vec<(usize, HistoryRead)>> = repositories
            .par_iter()
            .map(|(top, members)| {
                let prefixes: Vec<&str> =
                    members.iter().filter_map(|&i| placed[i].as_ref().map(|(_, p)| p.as_str())).collect();
                match read_repository(top, &prefixes) {
                    Some((whole, shallow)) => {
                        let blobs = blobs::Blobs::new(top);
                        members.iter().copied().zip(whole.split(&prefixes, &blobs, shallow)).collect()
                    }
                    // git failed over the repository: each project alone, for its own warning.
                    None => members.iter().map(|&i| (i, History::read(roots[i]))).collect(),
                }
            })
            .collect();
        for (index, history) in read.into_iter().flatten() {
            results[index] = Some(history);
        }
        results
            .into_iter()
            .zip(roots)
            .map(|(history, root)| history.unwrap_or_else(|| History::read(root)))
            .collect()
    }

    /// A repository's history (paths relative to its top) split into the history of each project
    /// under it: the part under each of `prefixes` (a folder; empty for the top), paths relative to
    /// it, each reading past versions through `blobs`. One pass over the changes,
    /// each looked up by its folders, so a thousand members in one repository cost one reading, not
    /// a thousand.
    fn split(
        &self,
        prefixes: &[&str],
        blobs: &Arc<blobs::Blobs>,
        shallow: bool,
    ) -> Vec<(History, Vec<Diagnostic>)> {
        let mut by_prefix: HashMap<&str, Vec<usize>> = HashMap::new();
        for (member, prefix) in prefixes.iter().enumerate() {
            by_prefix.entry(prefix).or_default().push(member);
        }
        // The members a path is in: those whose folder is the top or one of the path's folders.
        let members_of = |path: &str, found: &mut Vec<usize>| {
            found.extend(by_prefix.get("").into_iter().flatten());
            for (at, _) in path.match_indices('/') {
                found.extend(by_prefix.get(&path[..at]).into_iter().flatten());
            }
        };
        let relative = |prefix: &str, path: &str| -> Option<String> {
            if prefix.is_empty() {
                return Some(path.to_owned());
            }
            path.strip_prefix(prefix).and_then(|rest| rest.strip_prefix('/')).map(str::to_owned)
        };
        let mut histories: Vec<History> = prefixes.iter().map(|_| History::default()).collect();
        let mut found = Vec::new();
        for commit in &self.commits {
            let mut changes: BTreeMap<usize, Vec<FileChange>> = BTreeMap::new();
            for change in &commit.changes {
                found.clear();
                for version in [&change.old, &change.new].into_iter().flatten() {
                    members_of(&version.path, &mut found);
                }
                found.sort_unstable();
                found.dedup();
                for &member in &found {
                    let side = |v: &Option<Version>| {
                        v.as_ref().and_then(|v| {
                            relative(prefixes[member], &v.path).map(|path| Version { path, ..v.clone() })
                        })
                    };
                    let (old, new) = (side(&change.old), side(&change.new));
                    changes.entry(member).or_default().push(FileChange { old, new });
                }
            }
            for (member, changes) in changes {
                histories[member].push(Commit {
                    hash: commit.hash.clone(),
                    date: commit.date.clone(),
                    author: commit.author.clone(),
                    subject: commit.subject.clone(),
                    files: Vec::new(),
                    changes,
                });
            }
        }
        histories
            .into_iter()
            .map(|mut history| {
                history.available = true;
                history.shallow = shallow;
                history.blobs = Some(Arc::clone(blobs));
                let mut warnings = Vec::new();
                if shallow {
                    warnings.push(shallow_warning());
                }
                (history, warnings)
            })
            .collect()
    }

    /// Adds `commit`, older than those before it, with its files listed from its changes.
    fn push(&mut self, mut commit: Commit) {
        let mut files: Vec<String> =
            commit.changes.iter().flat_map(|c| [&c.old, &c.new]).flatten().map(|v| v.path.clone()).collect();
        files.sort();
        files.dedup();
        let index = self.commits.len();
        for file in &files {
            self.by_file.entry(file.clone()).or_default().push(index);
        }
        commit.files = files;
        self.commits.push(commit);
    }

    /// The commits that touched `file` (relative to the project, `/`-separated), newest first.
    pub fn of_file(&self, file: &str) -> impl Iterator<Item = &Commit> {
        self.by_file.get(file).into_iter().flatten().map(|&i| &self.commits[i])
    }

    /// The newest commit that touched the project.
    pub fn latest(&self) -> Option<&Commit> {
        self.commits.first()
    }
}

/// The top of the git repository that holds `root` (the nearest folder above it with a `.git`
/// folder or file, so a submodule is its own repository), and `root`'s folder inside it.
fn repository_of(root: &Path) -> Option<(PathBuf, String)> {
    let root = root.canonicalize().ok()?;
    let top = root.ancestors().find(|dir| dir.join(".git").exists())?;
    let inside = root.strip_prefix(top).ok()?;
    let prefix = inside.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
    Some((top.to_path_buf(), prefix))
}

/// One `git log` over the repository at `top`, limited to the folders `prefixes`, and whether the
/// repository is shallow; `None` when git fails (not installed, no commits yet).
fn read_repository(top: &Path, prefixes: &[&str]) -> Option<(History, bool)> {
    let mut pathspecs: Vec<&str> = prefixes.iter().map(|p| if p.is_empty() { "." } else { *p }).collect();
    pathspecs.sort_unstable();
    pathspecs.dedup();
    let output = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["-c", "log.showRoot=true", "-c", "log.showSignature=false", "-c", "core.quotePath=false"])
        .args(["log", "--raw", "--no-abbrev", "-M", "-z", "--no-color", "--date=iso-strict"])
        .arg(FORMAT)
        .arg("--")
        // Literal paths: a folder's name is not a pathspec pattern.
        .args(pathspecs.iter().map(|p| format!(":(literal){p}")))
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let history = History::parse(&String::from_utf8_lossy(&output.stdout));
    let shallow = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["rev-parse", "--is-shallow-repository"])
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"true"));
    Some((history, shallow))
}

/// True for a full object id as git writes it: 40 hex digits (SHA-1), or 64 (SHA-256).
fn is_object_id(s: &str) -> bool {
    matches!(s.len(), 40 | 64) && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A subject or name without control characters or bidirectional controls, which have no place in
/// a page or a feed (a right-to-left override can make `txt.exe` read as `exe.txt`).
fn clean(s: &str) -> String {
    const BIDI: [char; 12] = [
        '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}',
        '\u{2069}', '\u{200e}', '\u{200f}', '\u{061c}',
    ];
    s.chars().filter(|c| !c.is_control() && !BIDI.contains(c)).collect::<String>().trim().to_owned()
}

/// The git folder of the repository that holds `root`, if there is one.
pub fn git_dir(root: &Path) -> Option<std::path::PathBuf> {
    let output =
        Command::new("git").arg("-C").arg(root).args(["rev-parse", "--absolute-git-dir"]).output().ok()?;
    output.status.success().then(|| std::path::PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()))
}

/// The commit HEAD points at, read from the git folder without running git.
pub fn head_commit(git_dir: &Path) -> Option<String> {
    let head = std::fs::read_to_string(git_dir.join("HEAD")).ok()?;
    let head = head.trim();
    let Some(reference) = head.strip_prefix("ref: ") else { return Some(head.to_owned()) };
    if let Ok(id) = std::fs::read_to_string(git_dir.join(reference)) {
        return Some(id.trim().to_owned());
    }
    let packed = std::fs::read_to_string(git_dir.join("packed-refs")).ok()?;
    packed.lines().find(|l| l.ends_with(reference)).map(|l| l.split(' ').next().unwrap_or("").to_owned())
}

/// Why `git log` failed, in words a team can act on, from what git wrote to stderr: an empty
/// repository is not "not a git repository", and git's own `fatal:` is not shown as it is.
fn git_failed(stderr: &str) -> Diagnostic {
    let said = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    let said = said.trim().trim_start_matches("fatal:").trim();
    if stderr.contains("does not have any commits yet") {
        no_history("the project's git repository has no commits yet".to_owned()).help(
            "commit the project (`git add . && git commit -m \"First answers\"`) so the site can show when each answer changed",
        )
    } else if stderr.contains("not a git repository") {
        no_history("the project is not in a git repository".to_owned()).help(
            "run `git init` in the project folder and commit it, so the site can show when each answer changed",
        )
    } else if stderr.contains("dubious ownership") {
        no_history("git will not read the repository, because another user owns its folder".to_owned()).help(
            "if you trust it (as in a CI container), run `git config --global --add safe.directory` with the folder",
        )
    } else {
        no_history(format!("git could not read the history (it said: {said})"))
    }
}

fn no_history(why: String) -> Diagnostic {
    Diagnostic::new(Code::NoHistory, format!("{why}; the site is built without history"))
        .help("keep the project in a git repository so the site can show when each answer changed")
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    const ZERO: &str = "0000000000000000000000000000000000000000";

    #[test]
    fn parses_commits_and_their_changes() {
        let log = format!(
            "{A}\02026-11-20T10:00:00+00:00\0Ana\0Answer question 1\0\0\n:100644 100644 {A} {B} M\0answers/01.md\0:100644 100644 {B} {A} R100\0old.md\0new.md\0\
             {B}\02026-11-19T09:00:00Z\0Ben\0Start: with \u{1f} inside\0\0\n:000000 100644 {ZERO} {A} A\0answers/01.md\0"
        );
        let history = History::parse(&log);
        assert_eq!(history.commits.len(), 2);
        assert_eq!(history.commits[0].files, ["answers/01.md", "new.md", "old.md"]);
        let rename = &history.commits[0].changes[1];
        assert_eq!(
            (rename.old.as_ref().unwrap().path.as_str(), rename.new.as_ref().unwrap().path.as_str()),
            ("old.md", "new.md")
        );
        assert_eq!(history.commits[1].changes[0].old, None);
        assert_eq!(
            history.of_file("answers/01.md").map(|c| c.author.as_str()).collect::<Vec<_>>(),
            ["Ana", "Ben"]
        );
        assert_eq!(history.commits[1].day(), "2026-11-19");
        assert_eq!(history.commits[1].subject, "Start: with  inside", "control characters are dropped");
    }

    #[test]
    fn a_subject_cannot_forge_a_commit() {
        let forged = format!(
            "Real\u{1e}{B}\u{1f}2020-01-01T00:00:00Z\u{1f}Mallory\u{1f}Forged\n:100644 100644 {A} {B} M"
        );
        let log = format!(
            "{A}\02026-11-20T10:00:00Z\0Ana\0{forged}\0\0\n:100644 100644 {A} {B} M\0answers/01.md\0"
        );
        let history = History::parse(&log);
        assert_eq!(history.commits.len(), 1);
        assert_eq!(history.commits[0].hash, A);
        assert_eq!(history.commits[0].files, ["answers/01.md"]);
    }

    #[test]
    fn a_commit_with_a_bad_hash_or_date_is_dropped() {
        let log = format!(
            "nothex\02026-11-20T10:00:00Z\0Ana\0One\0\0{A}\0yesterday\0Ana\0Two\0\0{B}\02026-11-20T10:00:00Z\0Ana\0Three\0\0"
        );
        let history = History::parse(&log);
        assert_eq!(history.commits.iter().map(|c| c.subject.as_str()).collect::<Vec<_>>(), ["Three"]);
    }

    #[test]
    fn bidi_controls_are_dropped() {
        assert_eq!(clean("Fix \u{202e}txt.exe\u{2066}\u{200f}\u{61c}"), "Fix txt.exe");
    }
}
