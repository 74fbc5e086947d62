//! Where a project's files are read from: the working tree, or a revision in git. The loader reads
//! through [`Tree`], so `diff` loads both sides of a change the same way `check` and `build` do.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What is at a path of a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A regular file (or a link to one inside the project) of this many bytes.
    File(u64),
    /// A folder.
    Folder,
    /// A link that leads outside the project.
    LinkOutside,
    /// Nothing, or something that cannot be read.
    Missing,
}

/// A project's files, by path relative to the project with `/` separators.
pub trait Tree {
    /// The names in a folder, sorted; `None` when there is no such folder.
    fn names(&self, dir: &str) -> Option<Vec<String>>;
    /// What is at `path`.
    fn entry(&self, path: &str) -> Entry;
    /// The bytes of the file at `path`.
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>>;
}

/// The project folder on disk.
pub struct WorkingTree {
    root: PathBuf,
}

impl WorkingTree {
    /// The files under `root`.
    pub fn new(root: &Path) -> WorkingTree {
        WorkingTree { root: root.to_path_buf() }
    }
}

impl Tree for WorkingTree {
    fn names(&self, dir: &str) -> Option<Vec<String>> {
        let entries = std::fs::read_dir(self.root.join(dir)).ok()?;
        let mut names: Vec<String> =
            entries.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        Some(names)
    }

    fn entry(&self, path: &str) -> Entry {
        let full = self.root.join(path);
        let Ok(meta) = std::fs::metadata(&full) else { return Entry::Missing };
        let is_link = std::fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_symlink());
        if is_link && !super::is_inside(&self.root, &full) {
            Entry::LinkOutside
        } else if meta.is_dir() {
            Entry::Folder
        } else if meta.is_file() {
            Entry::File(meta.len())
        } else {
            Entry::Missing
        }
    }

    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.root.join(path))
    }
}

/// The settings and answers of a project as they were at a git revision, read with two git
/// processes (`ls-tree` and `cat-file --batch`), never touching the working tree.
pub struct GitTree {
    files: BTreeMap<String, Vec<u8>>,
    links: Vec<String>,
}

impl GitTree {
    /// Reads the project at `root` as it was at `revision`.
    pub fn read(root: &Path, revision: &str) -> Result<GitTree, String> {
        let listing = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["ls-tree", "-r", "-z", revision, "--", "."])
            .output()
            .map_err(|e| format!("git could not be run: {e}"))?;
        if !listing.status.success() {
            let why = String::from_utf8_lossy(&listing.stderr);
            return Err(format!(
                "cannot read revision `{revision}`: {}",
                why.lines().next().unwrap_or("").trim()
            ));
        }
        let mut wanted = Vec::new();
        let mut links = Vec::new();
        for entry in listing.stdout.split(|b| *b == 0).filter(|e| !e.is_empty()) {
            let entry = String::from_utf8_lossy(entry);
            let Some((meta, path)) = entry.split_once('\t') else { continue };
            let mut fields = meta.split(' ');
            let (Some(mode), Some(kind), Some(id)) = (fields.next(), fields.next(), fields.next()) else {
                continue;
            };
            let needed = path == super::SETTINGS_FILE || path.starts_with("answers/");
            if !needed || kind != "blob" {
                continue;
            }
            if mode == "120000" {
                links.push(path.to_owned());
            } else {
                wanted.push((path.to_owned(), id.to_owned()));
            }
        }
        let mut child = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("git could not be run: {e}"))?;
        let mut stdin = child.stdin.take().ok_or("git cat-file has no input")?;
        let ids: String = wanted.iter().map(|(_, id)| format!("{id}\n")).collect();
        let writer = std::thread::spawn(move || stdin.write_all(ids.as_bytes()));
        let mut out = BufReader::new(child.stdout.take().ok_or("git cat-file has no output")?);
        let mut files = BTreeMap::new();
        for (path, _) in &wanted {
            let mut header = String::new();
            out.read_line(&mut header).map_err(|e| e.to_string())?;
            let size: usize = header
                .split(' ')
                .nth(2)
                .and_then(|s| s.trim().parse().ok())
                .ok_or("unexpected git output")?;
            let mut bytes = vec![0; size + 1]; // the content and its newline
            out.read_exact(&mut bytes).map_err(|e| e.to_string())?;
            bytes.pop();
            files.insert(path.clone(), bytes);
        }
        let _ = writer.join();
        let _ = child.wait();
        Ok(GitTree { files, links })
    }
}

impl Tree for GitTree {
    fn names(&self, dir: &str) -> Option<Vec<String>> {
        let prefix = format!("{dir}/");
        let mut names: Vec<String> = self
            .files
            .keys()
            .chain(&self.links)
            .filter_map(|p| p.strip_prefix(&prefix))
            .map(|rest| rest.split('/').next().unwrap_or(rest).to_owned())
            .collect();
        names.sort();
        names.dedup();
        (!names.is_empty()).then_some(names)
    }

    fn entry(&self, path: &str) -> Entry {
        if let Some(bytes) = self.files.get(path) {
            Entry::File(bytes.len() as u64)
        } else if self.links.iter().any(|l| l == path) {
            Entry::LinkOutside // git does not follow links; a link's target is not part of the revision
        } else if self.files.keys().any(|p| p.starts_with(&format!("{path}/"))) {
            Entry::Folder
        } else {
            Entry::Missing
        }
    }

    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        self.files.get(path).cloned().ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }
}
