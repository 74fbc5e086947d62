//! The project's history from git: one `git log` process over the project folder, parsed here, gives
//! every file its commits (date, author, subject) and the project its change log.

use crate::diagnostic::{Code, Diagnostic};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// One commit that touched the project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commit {
    /// The full hash.
    pub hash: String,
    /// The author date, as ISO 8601 with its offset (`2026-11-20T10:15:00+00:00`).
    pub date: String,
    /// The author's name.
    pub author: String,
    /// The first line of the message.
    pub subject: String,
    /// The files it touched, relative to the project folder, sorted.
    #[serde(skip)]
    pub files: Vec<String>,
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
}

/// Separates commits in the log output.
const RECORD: char = '\u{1e}';
/// Separates fields of a commit's header.
const FIELD: char = '\u{1f}';

impl History {
    /// Reads the history of the project at `root`; a problem (no git, not a repository, a shallow
    /// clone) becomes a warning, and what history there is is kept.
    pub fn read(root: &Path) -> (History, Vec<Diagnostic>) {
        let output = Command::new("git")
            .arg("-C")
            .arg(root)
            // The user's own configuration must not change what is read.
            .args(["-c", "log.showRoot=true", "-c", "log.showSignature=false", "-c", "core.quotePath=false"])
            .args(["log", "--relative", "--name-only", "--no-renames", "-z", "--date=iso-strict"])
            .arg(format!("--format={RECORD}%H{FIELD}%ad{FIELD}%an{FIELD}%s"))
            .args(["--", "."])
            .output();
        let output = match output {
            Ok(o) if o.status.success() => o,
            Ok(o) => {
                let why = String::from_utf8_lossy(&o.stderr).lines().next().unwrap_or_default().to_owned();
                return (
                    History::default(),
                    vec![no_history(format!("the project is not in a git repository ({why})"))],
                );
            }
            Err(e) => return (History::default(), vec![no_history(format!("git could not be run: {e}"))]),
        };
        let mut history = History::parse(&String::from_utf8_lossy(&output.stdout));
        history.available = true;
        history.shallow = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["rev-parse", "--is-shallow-repository"])
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"true"));
        let mut warnings = Vec::new();
        if history.shallow {
            warnings.push(
                Diagnostic::new(Code::ShallowHistory, "the repository is a shallow clone: the site shows only the history it has")
                    .help("fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` in GitHub Actions)"),
            );
        }
        (history, warnings)
    }

    /// Parses the output of `git log --name-only -z` in the format [`History::read`] asks for.
    pub fn parse(log: &str) -> History {
        let mut history = History::default();
        for record in log.split(RECORD).filter(|r| !r.trim_matches(['\0', '\n']).is_empty()) {
            // With -z the header ends in NUL and a newline, and each file name ends in NUL.
            let (header, files) = record.split_once('\0').unwrap_or((record, ""));
            let mut fields = header.splitn(4, FIELD);
            let (Some(hash), Some(date), Some(author), Some(subject)) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let mut files: Vec<String> = files
                .split('\0')
                .map(|f| f.trim_matches('\n'))
                .filter(|f| !f.is_empty())
                .map(str::to_owned)
                .collect();
            files.sort();
            files.dedup();
            let index = history.commits.len();
            for file in &files {
                history.by_file.entry(file.clone()).or_default().push(index);
            }
            // Control characters in a subject or name have no place in a page or a feed.
            let clean = |s: &str| s.chars().filter(|c| !c.is_control()).collect::<String>();
            history.commits.push(Commit {
                hash: hash.to_owned(),
                date: date.to_owned(),
                author: clean(author),
                subject: clean(subject),
                files,
            });
        }
        history
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

fn no_history(why: String) -> Diagnostic {
    Diagnostic::new(Code::NoHistory, format!("{why}; the site is built without history"))
        .help("keep the project in a git repository so the site can show when each answer changed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commits_and_files() {
        let log = "\u{1e}aaaaaaa1\u{1f}2026-11-20T10:00:00+00:00\u{1f}Ana\u{1f}Answer question 1\0\nanswers/01.md\0workbook.yaml\0\u{1e}bbbbbbb2\u{1f}2026-11-19T09:00:00Z\u{1f}Ben\u{1f}Start: with \u{1f} inside\0\nanswers/01.md\0";
        let history = History::parse(log);
        assert_eq!(history.commits.len(), 2);
        assert_eq!(history.commits[0].files, ["answers/01.md", "workbook.yaml"]);
        assert_eq!(
            history.of_file("answers/01.md").map(|c| c.author.as_str()).collect::<Vec<_>>(),
            ["Ana", "Ben"]
        );
        assert_eq!(history.of_file("workbook.yaml").count(), 1);
        assert_eq!(history.commits[1].day(), "2026-11-19");
        assert_eq!(history.commits[1].subject, "Start: with  inside", "control characters are dropped");
    }
}
