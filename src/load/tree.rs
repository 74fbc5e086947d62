//! Where a project's files are read from: the working tree, or a revision in git. The loader reads
//! through [`Tree`], so `diff` loads both sides of a change the same way `check` and `build` do.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};

/// What is at a path of a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A regular file (or a link to one inside the project) of this many bytes.
    File(u64),
    /// A folder.
    Folder,
    /// A link that leads outside the project.
    LinkOutside,
    /// A link to a folder that holds it, or to one already walked: following it would never end.
    Loop,
    /// Nothing, or something that cannot be read.
    Missing,
}

/// A project's files, by path relative to the project with `/` separators.
///
/// This is the one filesystem boundary: every read of a project (settings, answers, evidence,
/// `static/`, `templates/`) goes through a tree, and a tree never reads outside the project. On disk
/// a path that resolves outside the project — through a link to a file, or through a linked folder
/// anywhere on its way — is [`Entry::LinkOutside`], is never listed as a file, and cannot be read.
pub trait Tree {
    /// The names in a folder, sorted; `None` when there is no such folder (or it leads outside).
    fn names(&self, dir: &str) -> Option<Vec<String>>;
    /// What is at `path`.
    fn entry(&self, path: &str) -> Entry;
    /// The bytes of the file at `path`; an error for anything that is not a file inside the project.
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>>;
    /// Where `path` leads inside the project, with links resolved (`/`-separated, relative); `None`
    /// when it leads nowhere or outside. A file is judged by where it leads, so that a link in
    /// `evidence/` cannot bring in an answer.
    fn target(&self, path: &str) -> Option<String> {
        matches!(self.entry(path), Entry::File(_) | Entry::Folder).then(|| path.to_owned())
    }

    /// The device and inode of the file at `path`, where the tree has such things: two paths with
    /// one id are one file (a hard link), whatever their names say.
    fn file_id(&self, _path: &str) -> Option<(u64, u64)> {
        None
    }

    /// Everything under the folder `dir`, recursively, sorted by path: files and links that lead
    /// outside, never folders. Hidden names (a leading `.`) are left out, as the site never
    /// publishes them.
    fn walk(&self, dir: &str) -> Vec<(String, Entry)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_owned()];
        // Where each folder walked leads, so that a link back to a folder on the way (`static/loop ->
        // ..`) is reported once instead of walked for ever.
        let mut seen: Vec<String> = self.target(dir).into_iter().collect();
        while let Some(folder) = stack.pop() {
            for name in self.names(&folder).unwrap_or_default() {
                if name.starts_with('.') {
                    continue;
                }
                let path = format!("{folder}/{name}");
                match self.entry(&path) {
                    Entry::Folder => match self.target(&path) {
                        Some(target) if seen.iter().any(|s| s == &target || is_within(s, &target)) => {
                            out.push((path, Entry::Loop));
                        }
                        target => {
                            seen.extend(target);
                            stack.push(path);
                        }
                    },
                    Entry::Missing => {}
                    entry => out.push((path, entry)),
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

/// The project folder on disk.
pub struct WorkingTree {
    root: PathBuf,
    /// The project folder with links resolved, once: every path is judged against it.
    real_root: Option<PathBuf>,
    /// Where each folder resolved so far leads. A path is resolved from its folder's, so each
    /// folder on the way is looked up once, not once for every file in it (resolving a whole path
    /// asks the system about every folder from `/` down).
    folders: Mutex<HashMap<String, Result<PathBuf, Entry>>>,
    /// What each path asked about was found to be, the first time: the loader asks of a file what
    /// it is, where it leads, which file it is and then its bytes, and each question asked the
    /// system again (a third of loading a register's members was spent in `stat`).
    found: Mutex<HashMap<String, Result<Arc<Found>, Entry>>>,
}

/// What a path of the project leads to, as the system said when the tree first asked.
#[derive(Debug)]
struct Found {
    /// The path with every link resolved, inside the project.
    real: PathBuf,
    /// A file (and its length), a folder, or missing.
    entry: Entry,
    /// The device and inode of what it leads to.
    id: Option<(u64, u64)>,
    /// True when the path's own last name is known to be no symbolic link (its metadata was read
    /// on the way); otherwise it is asked when it matters.
    plain_name: bool,
}

impl WorkingTree {
    /// The files under `root`.
    pub fn new(root: &Path) -> WorkingTree {
        WorkingTree {
            root: root.to_path_buf(),
            real_root: root.canonicalize().ok(),
            folders: Mutex::default(),
            found: Mutex::default(),
        }
    }

    /// What `path` leads to, asked of the system once.
    fn found(&self, path: &str) -> Result<Arc<Found>, Entry> {
        if let Some(known) = self.found.lock().unwrap_or_else(PoisonError::into_inner).get(path) {
            return known.clone();
        }
        let found = self.find(path).map(Arc::new);
        self.found.lock().unwrap_or_else(PoisonError::into_inner).insert(path.to_owned(), found.clone());
        found
    }

    fn find(&self, path: &str) -> Result<Found, Entry> {
        let (real, own) = self.resolve(path)?;
        let plain_name = own.is_some();
        // The last name's own metadata is that of what it leads to when it is no link.
        let meta = match own {
            Some(meta) => Some(meta),
            None => std::fs::metadata(&real).ok(),
        };
        let entry = match &meta {
            Some(meta) if meta.is_dir() => Entry::Folder,
            Some(meta) if meta.is_file() => Entry::File(meta.len()),
            _ => Entry::Missing,
        };
        Ok(Found { real, entry, id: meta.as_ref().and_then(file_id), plain_name })
    }

    /// `path` with every link resolved, when it exists and lies inside the project, and the
    /// metadata of its last name when that is no link (what the system said on the way).
    fn resolve(&self, path: &str) -> Result<(PathBuf, Option<std::fs::Metadata>), Entry> {
        if !is_relative_path(path) {
            return Err(Entry::LinkOutside);
        }
        let parts: Vec<&str> = path.split('/').filter(|part| !part.is_empty() && *part != ".").collect();
        let (real, own) = self.resolve_parts(&parts)?;
        // `file.txt/` and `file.txt/.` name a folder, as the system reads them: a file is not one.
        let names_a_folder = path.rsplit('/').next().is_some_and(|last| last.is_empty() || last == ".");
        if names_a_folder && !parts.is_empty() && !real.is_dir() {
            return Err(Entry::Missing);
        }
        // Through a trailing `/` the system follows a link, so the name's own metadata is not
        // what the path leads to.
        Ok((real, own.filter(|_| !names_a_folder)))
    }

    /// The path made of `parts` with every link resolved: its folder's (remembered), then its name,
    /// with the name's metadata when it is no link.
    fn resolve_parts(&self, parts: &[&str]) -> Result<(PathBuf, Option<std::fs::Metadata>), Entry> {
        let real_root = self.real_root.as_ref().ok_or(Entry::Missing)?;
        let Some((name, folder)) = parts.split_last() else { return Ok((real_root.clone(), None)) };
        let real_folder = if folder.is_empty() {
            Ok(real_root.clone())
        } else {
            let key = folder.join("/");
            let known = self.folders.lock().unwrap_or_else(PoisonError::into_inner).get(&key).cloned();
            known.unwrap_or_else(|| {
                let found = self.resolve_parts(folder).map(|(real, _)| real);
                self.folders.lock().unwrap_or_else(PoisonError::into_inner).insert(key, found.clone());
                found
            })
        };
        let full = match real_folder {
            Ok(real_folder) => real_folder.join(name),
            Err(Entry::LinkOutside) => return self.resolve_whole(&parts.join("/")).map(|real| (real, None)),
            Err(entry) => return Err(entry),
        };
        match std::fs::symlink_metadata(&full) {
            Ok(meta) if meta.file_type().is_symlink() => {
                self.resolve_whole(&parts.join("/")).map(|real| (real, None))
            }
            Ok(meta) => Ok((full, Some(meta))),
            Err(_) => Err(Entry::Missing),
        }
    }

    /// `path` resolved whole by the system: for a link, and for a path in a folder that leads
    /// outside (whose files are outside, or missing when it leads nowhere).
    fn resolve_whole(&self, path: &str) -> Result<PathBuf, Entry> {
        let real_root = self.real_root.as_ref().ok_or(Entry::Missing)?;
        let full = self.root.join(path);
        match full.canonicalize() {
            Ok(real) if real.starts_with(real_root) => Ok(real),
            Ok(_) => Err(Entry::LinkOutside),
            // A link whose target is missing is still a link out of reach; anything else is missing.
            Err(_) if std::fs::symlink_metadata(&full).is_ok() => Err(Entry::LinkOutside),
            Err(_) => Err(Entry::Missing),
        }
    }
}

/// The device and inode of a file, where the system has them.
#[cfg(unix)]
fn file_id(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// True when `path` lies inside the folder `folder` (both relative, `/`-separated; `""` is the root).
fn is_within(path: &str, folder: &str) -> bool {
    folder.is_empty() || path.strip_prefix(folder).is_some_and(|rest| rest.starts_with('/'))
}

/// True for a relative path that names no parent folder: the only paths a tree is asked for.
fn is_relative_path(path: &str) -> bool {
    !path.starts_with('/') && !path.split('/').any(|part| part == "..")
}

impl Tree for WorkingTree {
    fn names(&self, dir: &str) -> Option<Vec<String>> {
        let real = self.found(dir).ok()?.real.clone();
        let entries = std::fs::read_dir(real).ok()?;
        let mut names: Vec<String> =
            entries.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        Some(names)
    }

    fn entry(&self, path: &str) -> Entry {
        self.found(path).map_or_else(|entry| entry, |found| found.entry)
    }

    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        let found = match self.found(path) {
            // Where files have no ids to tell one from another (not Unix), the path is judged
            // afresh for each read, as it was before the tree remembered anything.
            Ok(found) if found.id.is_none() => self.find(path).map(Arc::new),
            found => found,
        };
        let found = found.map_err(|entry| match entry {
            Entry::LinkOutside => std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the path leads outside the project",
            ),
            _ => std::io::Error::from(std::io::ErrorKind::NotFound),
        })?;
        let mut file = std::fs::File::open(&found.real)?;
        let meta = file.metadata()?;
        // Only the very file judged is read: one put in its place since (an editor's save, or a
        // link swapped in to lead elsewhere) was never judged, and is refused.
        if found.id.is_some() && file_id(&meta) != found.id {
            return Err(std::io::Error::other("it was replaced while the project was being read; try again"));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        file.read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    fn file_id(&self, path: &str) -> Option<(u64, u64)> {
        let found = self.found(path).ok()?;
        // A symbolic link is judged by where it leads (`target`); this finds the other kind.
        let named_by_link = !found.plain_name
            && std::fs::symlink_metadata(self.root.join(path)).is_ok_and(|m| m.file_type().is_symlink());
        if named_by_link {
            return None;
        }
        found.id
    }

    fn target(&self, path: &str) -> Option<String> {
        let found = self.found(path).ok()?;
        let relative = found.real.strip_prefix(self.real_root.as_ref()?).ok()?;
        Some(crate::diagnostic::display_path(relative))
    }
}

/// A project as it was at a git revision, read with two git processes (`ls-tree` and
/// `cat-file --batch`), never touching the working tree. Every file is listed; the bytes are read of
/// the settings, the answers, and the text files that the site may publish (what `diff` compares).
pub struct GitTree {
    files: BTreeMap<String, Vec<u8>>,
    sizes: BTreeMap<String, u64>,
    links: Vec<String>,
}

/// Text files larger than this are listed but not read from a revision: `diff` compares prose.
const MAX_TEXT_BYTES: u64 = 1024 * 1024;

/// Why git could not be started, for a person: most often it is not installed.
fn git_not_run(e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::NotFound {
        "git is not installed (or not on PATH): revisions are read through git".to_owned()
    } else {
        format!("git could not be run: {e}")
    }
}

/// True when the repository that holds `root` has no commit at all (a `git init` not yet committed).
fn has_no_commits(root: &Path) -> bool {
    Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-list", "-n", "1", "--all"])
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.is_empty())
}

/// A tree with one file's bytes given rather than read: `check -` checks an editor's unsaved text as
/// if it were at its path, and reads the rest of the project from `inner`.
pub struct WithFile<T: Tree> {
    inner: T,
    path: String,
    bytes: Vec<u8>,
}

impl<T: Tree> WithFile<T> {
    /// `inner`, with the file at `path` (relative, `/`-separated) holding `bytes`.
    pub fn new(inner: T, path: &str, bytes: Vec<u8>) -> WithFile<T> {
        WithFile { inner, path: path.to_owned(), bytes }
    }

    /// The folder the given file is in (`""` for the project's top), and its name.
    fn parts(&self) -> (&str, &str) {
        self.path.rsplit_once('/').unwrap_or(("", &self.path))
    }
}

impl<T: Tree> Tree for WithFile<T> {
    fn names(&self, dir: &str) -> Option<Vec<String>> {
        let (folder, name) = self.parts();
        let mut names = self.inner.names(dir);
        // A file not yet saved is listed as if it were.
        if folder == dir.trim_end_matches('/') {
            let list = names.get_or_insert_with(Vec::new);
            if !list.iter().any(|n| n == name) {
                list.push(name.to_owned());
                list.sort();
            }
        }
        names
    }

    fn entry(&self, path: &str) -> Entry {
        if path == self.path {
            return Entry::File(self.bytes.len() as u64);
        }
        self.inner.entry(path)
    }

    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        if path == self.path {
            return Ok(self.bytes.clone());
        }
        self.inner.read(path)
    }

    fn target(&self, path: &str) -> Option<String> {
        if path == self.path {
            return Some(path.to_owned());
        }
        self.inner.target(path)
    }

    fn file_id(&self, path: &str) -> Option<(u64, u64)> {
        if path == self.path {
            return None;
        }
        self.inner.file_id(path)
    }
}

/// The largest size of `path` that a revision's tree reads, when it reads the file at all: the
/// settings and answers up to the loader's limits, published text files and templates up to
/// [`MAX_TEXT_BYTES`]. Anything else is listed only.
fn read_limit(path: &str) -> Option<u64> {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if path == super::SETTINGS_FILE {
        Some(super::MAX_SETTINGS_BYTES)
    } else if path.starts_with("answers/") {
        Some(super::MAX_ANSWER_BYTES)
    } else if crate::published::TEXT_TYPES.contains(&extension.as_str()) || path.starts_with("templates/") {
        Some(MAX_TEXT_BYTES)
    } else {
        None
    }
}

impl GitTree {
    /// Reads the project at `root` as it was at `revision`.
    pub fn read(root: &Path, revision: &str) -> Result<GitTree, String> {
        // A revision names a commit: never an option for git (`--full-tree`), nor a tree or a blob
        // (`HEAD:answers`), which would read as a project that has lost its files.
        if revision.starts_with('-') {
            return Err(format!("`{revision}` is not a revision"));
        }
        let resolved = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["rev-parse", "--verify", "--quiet", "--end-of-options", &format!("{revision}^{{commit}}")])
            .output()
            .map_err(|e| git_not_run(&e))?;
        if !resolved.status.success() {
            if String::from_utf8_lossy(&resolved.stderr).contains("not a git repository") {
                return Err(format!(
                    "`{}` is not in a git repository, so it has no revision `{revision}` to compare",
                    root.display()
                ));
            }
            if has_no_commits(root) {
                return Err(format!(
                    "the repository has no commits yet, so there is no `{revision}` to compare with: \
                     commit the project first (`git add . && git commit`)"
                ));
            }
            return Err(format!("cannot read revision `{revision}`: it names no commit"));
        }
        let commit = String::from_utf8_lossy(&resolved.stdout).trim().to_owned();
        let listing = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["ls-tree", "-r", "-l", "-z", &commit, "--", "."])
            .output()
            .map_err(|e| git_not_run(&e))?;
        if !listing.status.success() {
            let why = String::from_utf8_lossy(&listing.stderr);
            return Err(format!(
                "cannot read revision `{revision}`: {}",
                why.lines().next().unwrap_or("").trim()
            ));
        }
        let mut wanted = Vec::new();
        let mut sizes = BTreeMap::new();
        let mut links = Vec::new();
        for entry in listing.stdout.split(|b| *b == 0).filter(|e| !e.is_empty()) {
            let entry = String::from_utf8_lossy(entry);
            let Some((meta, path)) = entry.split_once('\t') else { continue };
            let mut fields = meta.split_whitespace();
            let (Some(mode), Some(kind), Some(id), Some(size)) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            if kind != "blob" {
                continue;
            }
            if mode == "120000" {
                links.push(path.to_owned());
                continue;
            }
            let size: u64 = size.parse().unwrap_or(u64::MAX);
            sizes.insert(path.to_owned(), size);
            // The size is git's own (the object's, as `cat-file --batch-check` gives it): a file over
            // its limit is never read, and the loader refuses it from this size as `check` would.
            if read_limit(path).is_some_and(|limit| size <= limit) {
                wanted.push((path.to_owned(), id.to_owned(), size));
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
        let ids: String = wanted.iter().map(|(_, id, _)| format!("{id}\n")).collect();
        let writer = std::thread::spawn(move || stdin.write_all(ids.as_bytes()));
        let mut out = BufReader::new(child.stdout.take().ok_or("git cat-file has no output")?);
        let mut files = BTreeMap::new();
        for (path, _, listed) in &wanted {
            let mut header = String::new();
            out.read_line(&mut header).map_err(|e| e.to_string())?;
            let size: u64 = header
                .split(' ')
                .nth(2)
                .and_then(|s| s.trim().parse().ok())
                .ok_or("unexpected git output")?;
            if size != *listed {
                // Never allocate what the listing did not promise: skip the object, unread.
                std::io::copy(&mut (&mut out).take(size + 1), &mut std::io::sink())
                    .map_err(|e| e.to_string())?;
                continue;
            }
            let mut bytes = vec![0; size as usize + 1]; // the content and its newline
            out.read_exact(&mut bytes).map_err(|e| e.to_string())?;
            bytes.pop();
            files.insert(path.clone(), bytes);
        }
        let _ = writer.join();
        let _ = child.wait();
        Ok(GitTree { files, sizes, links })
    }
}

impl Tree for GitTree {
    fn names(&self, dir: &str) -> Option<Vec<String>> {
        let prefix = format!("{dir}/");
        let mut names: Vec<String> = self
            .sizes
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
        if let Some(size) = self.sizes.get(path) {
            Entry::File(*size)
        } else if self.links.iter().any(|l| l == path) {
            Entry::LinkOutside // git does not follow links; a link's target is not part of the revision
        } else if self.sizes.keys().chain(&self.links).any(|p| p.starts_with(&format!("{path}/"))) {
            Entry::Folder
        } else {
            Entry::Missing
        }
    }

    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        self.files.get(path).cloned().ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }
}

/// A tree with some files' text replaced from memory: the documents open in an editor, unsaved.
/// Everything else is read from the tree beneath, so the language server loads exactly what `check`
/// would load if the open documents were saved.
pub struct OverlayTree<T> {
    below: T,
    /// The open documents' bytes, by path relative to the project.
    files: BTreeMap<String, Vec<u8>>,
}

impl<T: Tree> OverlayTree<T> {
    /// `below` with the files of `files` (relative `/`-separated paths) answered from memory.
    pub fn new(below: T, files: BTreeMap<String, Vec<u8>>) -> OverlayTree<T> {
        // A path that names a parent folder, or is absolute, is no file of the project.
        let files =
            files.into_iter().filter(|(path, _)| is_relative_path(path) && !path.is_empty()).collect();
        OverlayTree { below, files }
    }
}

impl<T: Tree> Tree for OverlayTree<T> {
    fn names(&self, dir: &str) -> Option<Vec<String>> {
        let prefix = if dir.is_empty() { String::new() } else { format!("{dir}/") };
        let added: Vec<String> = self
            .files
            .keys()
            .filter_map(|path| path.strip_prefix(&prefix))
            .map(|rest| rest.split('/').next().unwrap_or(rest).to_owned())
            .collect();
        let mut names = match self.below.names(dir) {
            Some(names) => names,
            None if added.is_empty() => return None,
            None => Vec::new(),
        };
        names.extend(added);
        names.sort();
        names.dedup();
        Some(names)
    }

    fn entry(&self, path: &str) -> Entry {
        match self.files.get(path) {
            Some(bytes) => Entry::File(bytes.len() as u64),
            None if self.files.keys().any(|p| is_within(p, path)) && !path.is_empty() => Entry::Folder,
            None => self.below.entry(path),
        }
    }

    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        match self.files.get(path) {
            Some(bytes) => Ok(bytes.clone()),
            None => self.below.read(path),
        }
    }

    fn target(&self, path: &str) -> Option<String> {
        if self.files.contains_key(path) { Some(path.to_owned()) } else { self.below.target(path) }
    }

    fn file_id(&self, path: &str) -> Option<(u64, u64)> {
        if self.files.contains_key(path) { None } else { self.below.file_id(path) }
    }
}

#[cfg(test)]
mod overlay_tests {
    use super::{Entry, OverlayTree, Tree, WorkingTree};
    use std::collections::BTreeMap;

    #[test]
    fn an_open_document_is_read_from_memory_and_listed_beside_the_files_on_disk() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("answers")).expect("folder");
        std::fs::write(dir.path().join("answers/01.md"), "on disk").expect("write");
        std::fs::write(dir.path().join("answers/02.md"), "also on disk").expect("write");
        let open = BTreeMap::from([
            ("answers/01.md".to_owned(), b"unsaved".to_vec()),
            ("answers/03-new.md".to_owned(), b"new".to_vec()),
            ("../outside.md".to_owned(), b"never".to_vec()),
        ]);
        let tree = OverlayTree::new(WorkingTree::new(dir.path()), open);
        assert_eq!(tree.read("answers/01.md").expect("read"), b"unsaved");
        assert_eq!(tree.read("answers/02.md").expect("read"), b"also on disk");
        assert_eq!(tree.entry("answers/01.md"), Entry::File(7));
        assert_eq!(tree.entry("answers/03-new.md"), Entry::File(3));
        assert_eq!(
            tree.names("answers"),
            Some(vec!["01.md".to_owned(), "02.md".to_owned(), "03-new.md".to_owned()])
        );
        assert!(tree.read("../outside.md").is_err());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the system says of each path, the tree says too: a path is resolved from its folder's,
    /// but a file named as a folder is still missing, and a link still judged by where it leads.
    #[cfg(unix)]
    #[test]
    fn a_path_resolved_from_its_folder_is_what_the_system_resolves() {
        let outside = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(outside.path().join("secret.txt"), "internal").expect("written");
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path();
        std::fs::create_dir_all(root.join("evidence/inner")).expect("made");
        std::fs::write(root.join("evidence/file.txt"), "public").expect("written");
        std::os::unix::fs::symlink("file.txt", root.join("evidence/flink")).expect("linked");
        std::os::unix::fs::symlink("inner", root.join("evidence/dlink")).expect("linked");
        std::os::unix::fs::symlink(outside.path(), root.join("evidence/out")).expect("linked");
        std::os::unix::fs::symlink("missing", root.join("evidence/broken")).expect("linked");
        let tree = WorkingTree::new(root);
        for (path, expected) in [
            ("evidence/file.txt", Entry::File(6)),
            ("evidence/./file.txt", Entry::File(6)),
            ("evidence//file.txt", Entry::File(6)),
            ("evidence/file.txt/", Entry::Missing),
            ("evidence/file.txt/.", Entry::Missing),
            ("evidence/flink", Entry::File(6)),
            ("evidence/flink/", Entry::Missing),
            ("evidence/file.txt/x", Entry::Missing),
            ("evidence/dlink/", Entry::Folder),
            ("evidence/dlink/.", Entry::Folder),
            ("evidence/out", Entry::LinkOutside),
            ("evidence/out/secret.txt", Entry::LinkOutside),
            ("evidence/broken", Entry::LinkOutside),
            ("evidence/inner", Entry::Folder),
            ("evidence/none", Entry::Missing),
        ] {
            assert_eq!(tree.entry(path), expected, "{path}");
        }
        assert!(tree.read("evidence/out/secret.txt").is_err());
        assert!(tree.read("evidence/file.txt/").is_err());
        assert_eq!(tree.target("evidence/flink").as_deref(), Some("evidence/file.txt"));
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(root.join("evidence/file.txt")).expect("a file");
        assert_eq!(tree.file_id("evidence/file.txt"), Some((meta.dev(), meta.ino())));
        assert_eq!(tree.file_id("evidence/dlink/../file.txt"), None, "no parent folders");
        // A symbolic link is judged by where it leads, not as a second name of a file.
        assert_eq!(tree.file_id("evidence/flink"), None);
        assert_eq!(tree.file_id("evidence/out/secret.txt"), None);
    }

    /// A tree remembers what it found of each path, and reads only the file it judged: a file
    /// put in its place afterwards, by a link out of the project or by an editor's save, is
    /// refused rather than read unjudged.
    #[cfg(unix)]
    #[test]
    fn a_file_replaced_after_it_was_judged_is_not_read() {
        let outside = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(outside.path().join("secret.txt"), "internal").expect("written");
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path();
        std::fs::create_dir_all(root.join("evidence")).expect("made");
        for name in ["kept.txt", "linked.txt", "saved.txt"] {
            std::fs::write(root.join("evidence").join(name), "public").expect("written");
        }
        let tree = WorkingTree::new(root);
        for name in ["kept.txt", "linked.txt", "saved.txt"] {
            assert_eq!(tree.entry(&format!("evidence/{name}")), Entry::File(6));
        }
        std::fs::remove_file(root.join("evidence/linked.txt")).expect("removed");
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), root.join("evidence/linked.txt"))
            .expect("linked");
        std::fs::write(root.join("evidence/.saved.txt.new"), "public, edited").expect("written");
        std::fs::rename(root.join("evidence/.saved.txt.new"), root.join("evidence/saved.txt"))
            .expect("saved");
        assert_eq!(tree.read("evidence/kept.txt").expect("read"), b"public");
        let linked = tree.read("evidence/linked.txt").expect_err("the link is refused");
        assert!(linked.to_string().contains("replaced"), "{linked}");
        assert!(tree.read("evidence/saved.txt").is_err(), "the new file was never judged");
        // A tree made afterwards judges them as they are now.
        let fresh = WorkingTree::new(root);
        assert_eq!(fresh.entry("evidence/linked.txt"), Entry::LinkOutside);
        assert_eq!(fresh.read("evidence/saved.txt").expect("read"), b"public, edited");
    }
}
