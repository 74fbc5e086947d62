//! Writing the site so that the output folder holds one whole site at every instant.
//!
//! The output folder carries a marker file. A folder without it is never replaced unless it is
//! empty, and neither the project folder nor any folder that contains it is ever written to.
//!
//! **One build at a time.** A build takes a lock on a file beside the output (`.NAME.workbook-lock`
//! in the parent folder, never in the published folder) before it looks at the folder or at what an
//! earlier build left, and holds it until the new site is in place. A second build into the same
//! folder waits for it, a bounded time, and otherwise stops with an error: two builds never write
//! one folder together. The operating system releases the lock when its holder dies, so a killed
//! build never leaves a lock behind.
//!
//! **The swap.** Every file goes into a staging folder beside the output (`.NAME.workbook-new-PID`),
//! and the marker is written last, so a staging folder without it is known to be incomplete. Only a
//! complete one is put in place:
//!
//! - On Linux, one `renameat2(RENAME_EXCHANGE)` swaps the two folders: before it the output is the
//!   previous site, after it the new one, and there is no moment between. The previous site, now at
//!   the staging path, is deleted afterwards; a kill before that leaves it beside the output, where
//!   the next build deletes it.
//! - Where the file system cannot exchange, the previous site is renamed aside
//!   (`.NAME.workbook-old-PID`, marker included) and the new one renamed in. A kill between the two
//!   renames leaves no output but a whole previous site beside it: the next build, before anything
//!   else, renames that back. A previous site is never deleted before the new one is in place.
//! - An output that cannot be renamed (a mount point: `EBUSY` or `EXDEV`) has its contents swapped
//!   instead, through hidden folders inside it: the complete new site is moved (or, from another
//!   file system, copied, marker last) into `.workbook-new-PID`; the previous site's entries are
//!   moved into `.workbook-moving-PID`, which is then renamed `.workbook-old-PID` (the point of no
//!   return); then the new entries are moved in. A kill before
//!   the point of no return is undone by the next build (the previous entries go back); a kill after
//!   it is completed by the next build (the rest of the new entries go in). The marker stays in the
//!   output throughout, so the folder is always recognisably the build's own.
//!
//! Each of these steps is a rename within one file system, which the kernel does whole or not at
//! all; a kill can only land between two of them. (The steps protect against a killed build, not
//! against a power cut: the files are not synced to disk.)

use crate::diagnostic::{Code, Diagnostic};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod unchanged;

/// The marker file that says a folder was written by `workbook build`.
pub const MARKER: &str = ".workbook-site";

/// What the marker file says, before the list of the files the build wrote.
const MARKER_TEXT: &str = "This folder is written by `workbook build`, which replaces it whole on every build.\n\
Do not keep your own files here: the next build refuses to replace a folder that holds files it did not write.\n";

/// The line of the marker file after which the files the build wrote are listed, one a line.
const MANIFEST_HEADING: &str = "Files written:\n";

/// The marker file's text for a site of `files`: what the folder is, and every file the build wrote,
/// so the next build can tell a file of the author's from its own and never delete one.
fn marker_text<'a>(paths: impl IntoIterator<Item = &'a str>) -> String {
    let mut text = format!("{MARKER_TEXT}\n{MANIFEST_HEADING}");
    for path in paths {
        text.push_str(path);
        text.push('\n');
    }
    text
}

/// The files under `out` (relative, `/`-separated) that its marker does not list: files someone put
/// there after the build. A marker without a list (written by an older workbook) lists everything.
fn files_not_written(out: &Path) -> Vec<String> {
    let Ok(marker) = std::fs::read_to_string(out.join(MARKER)) else { return Vec::new() };
    let Some((_, listed)) = marker.split_once(MANIFEST_HEADING) else { return Vec::new() };
    let listed: std::collections::BTreeSet<&str> = listed.lines().collect();
    let mut found = Vec::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let relative = crate::diagnostic::display_path(path.strip_prefix(out).unwrap_or(&path));
            // The marker, and the folders an interrupted swap of a mount point leaves, are the build's.
            if relative == MARKER || relative.starts_with(".workbook-") {
                continue;
            }
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => stack.push(path),
                _ if !listed.contains(relative.as_str()) => found.push(relative),
                _ => {}
            }
        }
    }
    found.sort();
    found
}

/// How long a build waits for another build of the same output folder to finish.
pub const LOCK_WAIT: Duration = Duration::from_secs(30);

/// How often a waiting build tries the lock again.
const LOCK_POLL: Duration = Duration::from_millis(50);

/// The files of a site, by path relative to the output folder (with `/` separators).
pub type Files = BTreeMap<String, Vec<u8>>;

/// A site's files, read by path (`serve` answers requests from them): a project's [`Files`], or a
/// register's own files beside its members'.
pub trait SiteFiles: Send + Sync {
    /// The file at `path`, relative to the site's root with `/` separators.
    fn file(&self, path: &str) -> Option<&[u8]>;
}

impl SiteFiles for Files {
    fn file(&self, path: &str) -> Option<&[u8]> {
        self.get(path).map(Vec::as_slice)
    }
}

fn refuse(message: String, help: &str) -> Diagnostic {
    Diagnostic::new(Code::BuildOutput, message).help(help.to_owned())
}

/// The error for a file operation that failed: which operation, on which path, and the system's words.
fn io_error(what: &str, path: &Path, e: &io::Error) -> Diagnostic {
    refuse(
        format!("cannot {what} `{}`: {e}", path.display()),
        "check the folder's permissions and free space",
    )
}

/// Checks that `out` may be replaced by a build of `project`, and returns it as an absolute path.
pub fn check_output(out: &Path, project: &Path) -> Result<PathBuf, Diagnostic> {
    let absolute = check_output_place(out, project)?;
    check_replaceable(&absolute, out)?;
    Ok(absolute)
}

/// Checks that `out` is not the project folder, nor in it where the build reads, nor a folder that
/// holds it (what is left of [`check_output`] once the folder itself was found replaceable: a
/// register checks its output once, then its place against every member's folder).
pub fn check_output_place(out: &Path, project: &Path) -> Result<PathBuf, Diagnostic> {
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
    Ok(out)
}

/// Checks that `out`, if it exists, is a folder that is empty or was written by a build.
fn check_replaceable(out: &Path, given: &Path) -> Result<(), Diagnostic> {
    if out.exists() {
        if !out.is_dir() {
            return Err(refuse(
                format!("`{}` exists and is not a folder", given.display()),
                "choose another --out",
            ));
        }
        let has_files = std::fs::read_dir(out).map(|mut d| d.next().is_some()).unwrap_or(true);
        if has_files && !out.join(MARKER).is_file() {
            return Err(refuse(
                format!("`{}` holds files that workbook did not write; nothing was deleted", given.display()),
                "choose an empty or new folder for --out; workbook replaces only folders it wrote itself",
            ));
        }
        let added = files_not_written(out);
        if !added.is_empty() {
            let shown: Vec<&str> = added.iter().take(5).map(String::as_str).collect();
            let more = if added.len() > 5 { format!(" and {} more", added.len() - 5) } else { String::new() };
            return Err(refuse(
                format!(
                    "`{}` holds files that workbook did not write since its last build ({}{more}); nothing was deleted",
                    given.display(),
                    shown.join(", ")
                ),
                "move your files out of the site's folder (keep them in `static/` to publish them), then build again",
            ));
        }
    }
    Ok(())
}

/// The folders of a project that a build reads.
const SOURCE_FOLDERS: &[&str] = &[
    crate::load::ANSWERS_DIR,
    crate::load::PAGES_DIR,
    "evidence",
    crate::load::STATIC_DIR,
    crate::load::TEMPLATES_DIR,
    ".git",
];

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

/// The parent folder of `out` and the name the folders beside it are made from.
fn parent_and_name(out: &Path) -> Result<(&Path, String), Diagnostic> {
    let parent =
        out.parent().ok_or_else(|| refuse(format!("`{}` has no parent folder", out.display()), ""))?;
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
    Ok((parent, name))
}

/// The lock on one output folder, held from before the folder is looked at until the new site is in
/// place; dropping it releases it. Only its holder may write the folder: [`OutputLock::write_site`].
#[derive(Debug)]
pub struct OutputLock {
    out: PathBuf,
    path: PathBuf,
    /// The open lock file; the lock lasts as long as the file is open.
    _file: fd_lock::RwLock<std::fs::File>,
}

impl OutputLock {
    /// Takes the lock on `out` (already checked by [`check_output`]), waiting up to `wait` for
    /// another build to release it, then puts right whatever a killed build left (see the module
    /// documentation). The error names the folder when another build holds it all that time.
    pub fn take(out: &Path, wait: Duration) -> Result<OutputLock, Diagnostic> {
        let (parent, name) = parent_and_name(out)?;
        std::fs::create_dir_all(parent).map_err(|e| io_error("create", parent, &e))?;
        let path = parent.join(format!(".{name}.workbook-lock"));
        let deadline = Instant::now() + wait;
        loop {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(|e| io_error("open the lock file", &path, &e))?;
            let mut file = fd_lock::RwLock::new(file);
            // Whether the lock was taken on the file still at `path`. The lock is released by
            // closing the file, which `OutputLock` owns, not by the guard, which borrows it.
            let attempt = file.try_write().map(|guard| {
                let current = is_current(&guard, &path);
                std::mem::forget(guard);
                current
            });
            match attempt {
                Ok(current) => {
                    // The holder before deletes the file as it finishes: a lock on a deleted file
                    // excludes no one, so open the file anew.
                    if !current && Instant::now() < deadline {
                        continue;
                    }
                    if !current {
                        return Err(refuse(
                            format!("the lock file `{}` keeps changing under this build", path.display()),
                            "make sure no other program deletes files beside the output folder",
                        ));
                    }
                    let lock = OutputLock { out: out.to_path_buf(), path, _file: file };
                    lock.recover()?;
                    return Ok(lock);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock || e.kind() == io::ErrorKind::Interrupted => {
                    if Instant::now() >= deadline {
                        return Err(refuse(
                            format!(
                                "another build is writing `{}`; waited {} s for it to finish",
                                out.display(),
                                wait.as_secs()
                            ),
                            "wait for the other build to finish and build again, or choose another --out",
                        ));
                    }
                    std::thread::sleep(LOCK_POLL);
                }
                Err(e) => return Err(io_error("lock", &path, &e)),
            }
        }
    }

    /// Puts right what a killed build left: restores a previous site that was moved aside when the
    /// output is missing, deletes staging folders and moved-aside sites once the output is whole,
    /// and finishes or undoes a swap of a mount point's contents.
    fn recover(&self) -> Result<(), Diagnostic> {
        let out = &self.out;
        let (parent, name) = parent_and_name(out)?;
        let leftovers = leftovers_beside(parent, &name);
        if !out.exists()
            && let Some(previous) =
                leftovers.iter().find(|(kind, path)| *kind == Kind::Old && is_complete(path))
        {
            std::fs::rename(&previous.1, out)
                .map_err(|e| io_error("restore the previous site to", out, &e))?;
        }
        // The output is whole now (or there never was one): what is left beside it can go. A
        // folder that cannot be deleted endangers no site, so it does not stop the build.
        for (_, path) in &leftovers {
            if path.exists() {
                let _ = std::fs::remove_dir_all(path);
            }
        }
        if out.join(MARKER).is_file() {
            recover_in_place(out)?;
        }
        Ok(())
    }

    /// Writes `files` as the new content of the locked output folder.
    pub fn write_site(&self, files: &Files) -> Result<(), Diagnostic> {
        let staging = self.stage()?;
        staging.add(files)?;
        staging.finish()
    }

    /// Starts the new content of the locked output folder, to be written a part at a time
    /// ([`Staging::add`]) and put in place whole ([`Staging::finish`]); dropped unfinished, it is
    /// deleted and the output is untouched.
    pub fn stage(&self) -> Result<Staging<'_>, Diagnostic> {
        Staging::begin(&self.out)
    }
}

/// A new site being written into its staging folder beside the output, a part at a time: a
/// register writes each member's files as soon as the member is built, so a national register is
/// never held in memory whole. Parts may be added from several threads at once.
#[derive(Debug)]
pub struct Staging<'lock> {
    out: &'lock Path,
    folder: PathBuf,
    /// The output, when it holds a previous site of the build's own: its unchanged files are linked
    /// into the new one rather than written again ([`link_unchanged`]).
    previous: Option<PathBuf>,
    /// Every file written so far, for the marker's list.
    written: std::sync::Mutex<Vec<String>>,
    /// Set once the folder is put in place (or given up), so that dropping it deletes nothing.
    finished: bool,
}

impl<'lock> Staging<'lock> {
    /// Creates the empty staging folder for `out` (checked by [`check_output`]; checked again when
    /// the new site is put in place).
    fn begin(out: &'lock Path) -> Result<Staging<'lock>, Diagnostic> {
        let (parent, name) = parent_and_name(out)?;
        let folder = parent.join(format!(".{name}.workbook-new-{}", std::process::id()));
        if folder.exists() {
            std::fs::remove_dir_all(&folder).map_err(|e| io_error("delete", &folder, &e))?;
        }
        std::fs::create_dir(&folder).map_err(|e| io_error("create", &folder, &e))?;
        // Only a previous site of the build's own is linked from (and only files of the very bytes
        // the new site has, at the paths it has them).
        let previous = out.join(MARKER).is_file().then(|| out.to_path_buf());
        Ok(Staging { out, folder, previous, written: std::sync::Mutex::new(Vec::new()), finished: false })
    }

    /// Writes `files` into the new site.
    pub fn add(&self, files: &Files) -> Result<(), Diagnostic> {
        self.add_under("", files)
    }

    /// Writes the file at `path` (relative, `/`-separated) of the new site as `write` makes it, in
    /// pieces, so that a large file is never whole in memory.
    pub fn add_stream(
        &self,
        path: &str,
        write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<(), Diagnostic> {
        let target = self.folder.join(path);
        if let Some(inner) = target.parent() {
            std::fs::create_dir_all(inner).map_err(|e| io_error("create", inner, &e))?;
        }
        // Compared with the previous site's file as it is written, and linked from there when the
        // same (as `add` does): `register.json` is most of a register's bytes.
        let previous = (self.previous.as_ref().map(|previous| previous.join(path)))
            .filter(|earlier| earlier.parent().is_some_and(is_real_folder));
        let candidate = previous.and_then(|earlier| {
            let owner = target.parent().and_then(unchanged::folder_owner);
            unchanged::candidate(&earlier, None, owner)
        });
        let written = unchanged::Streamed::new(&target, candidate).and_then(|file| {
            let mut out = io::BufWriter::with_capacity(1 << 20, file);
            write(&mut out)?;
            out.into_inner().map_err(io::IntoInnerError::into_error)?.finish()
        });
        written.map_err(|e| io_error("write", &target, &e))?;
        self.written.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(path.to_owned());
        Ok(())
    }

    /// Writes `files` into the folder `folder` (a `/`-separated relative path; empty for the top)
    /// of the new site.
    pub fn add_under(&self, folder: &str, files: &Files) -> Result<(), Diagnostic> {
        let previous = self.previous.as_ref().map(|p| p.join(folder));
        write_files(&self.folder.join(folder), files, previous.as_deref())?;
        let paths = files
            .keys()
            .map(|path| if folder.is_empty() { path.clone() } else { format!("{folder}/{path}") });
        self.written.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend(paths);
        Ok(())
    }

    /// Writes the marker, last, then puts the new site in place of the output.
    pub fn finish(self) -> Result<(), Diagnostic> {
        self.finish_with(&replace_folder)
    }

    /// [`Staging::finish`], with the whole-folder replacement given, so that a test can make it
    /// fail as a mount point does.
    fn finish_with(mut self, replace: &ReplaceFolder) -> Result<(), Diagnostic> {
        self.finished = true;
        let result = self.put_in_place(replace);
        if self.folder.exists() {
            remove_tree(&self.folder);
        }
        result
    }

    fn put_in_place(&self, replace: &ReplaceFolder) -> Result<(), Diagnostic> {
        let out = self.out;
        // Again, now: a register's members take minutes to build, and a file put into the output
        // meanwhile must stop the swap, not be deleted with the previous site.
        check_replaceable(out, out)?;
        let mut written =
            std::mem::take(&mut *self.written.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        written.sort_unstable();
        // Last: a staging folder with the marker is complete.
        let marker = self.folder.join(MARKER);
        std::fs::write(&marker, marker_text(written.iter().map(String::as_str)))
            .map_err(|e| io_error("write", &marker, &e))?;
        let (parent, name) = parent_and_name(out)?;
        let aside = parent.join(format!(".{name}.workbook-old-{}", std::process::id()));
        match replace(&self.folder, out, &aside) {
            // The previous site, now at the staging path or aside, is deleted (by `finish_with`).
            Ok(Some(previous)) if previous != self.folder => {
                remove_tree(&previous);
                Ok(())
            }
            Ok(_) => Ok(()),
            Err(failure) if failure.is_unmovable() => write_in_place(out, &self.folder).map_err(|d| {
                refuse(
                    format!(
                        "`{}` cannot be renamed ({} failed: {}), and swapping its contents failed: {}",
                        out.display(),
                        failure.operation,
                        failure.error,
                        d.message
                    ),
                    "check the folder's permissions and free space",
                )
            }),
            Err(failure) => Err(refuse(
                format!(
                    "cannot replace `{}`: {} failed: {}",
                    out.display(),
                    failure.operation,
                    failure.error
                ),
                "check the permissions of the folder and of the folder that holds it",
            )),
        }
    }
}

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        // Given up (an error, or a member that failed): the output is untouched.
        if !self.finished {
            remove_tree(&self.folder);
        }
    }
}

/// Deletes the folder `path` and everything in it, its top-level entries in parallel: the previous
/// site of a national register is tens of thousands of files. Nothing depends on it succeeding (a
/// leftover folder beside the output is deleted by the next build).
fn remove_tree(path: &Path) {
    use rayon::prelude::*;
    if let Ok(entries) = std::fs::read_dir(path) {
        let entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        entries.par_iter().for_each(|entry| {
            if entry.symlink_metadata().is_ok_and(|m| m.is_dir()) {
                let _ = std::fs::remove_dir_all(entry);
            } else {
                let _ = std::fs::remove_file(entry);
            }
        });
    }
    let _ = std::fs::remove_dir_all(path);
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Deleted while still held, so that a build waiting on this file opens it anew (see `take`)
        // and the parent folder keeps no trace of the build. Elsewhere an open file cannot be deleted.
        #[cfg(unix)]
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether the open lock `file` is still the file at `path` (not deleted by the build before).
#[cfg(unix)]
fn is_current(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

/// Elsewhere the lock file is never deleted, so it is always current.
#[cfg(not(unix))]
fn is_current(_file: &std::fs::File, _path: &Path) -> bool {
    true
}

/// What a leftover folder beside the output is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// A staging folder: a new site, complete when it has the marker.
    New,
    /// A previous site, moved aside.
    Old,
}

/// The folders beside `parent/name` that a killed build left.
fn leftovers_beside(parent: &Path, name: &str) -> Vec<(Kind, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(parent) else { return Vec::new() };
    let mut found: Vec<(Kind, PathBuf)> = entries
        .flatten()
        .filter_map(|entry| {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let kind = if has_pid_suffix(&file_name, &format!(".{name}.workbook-new-")) {
                Kind::New
            } else if has_pid_suffix(&file_name, &format!(".{name}.workbook-old-")) {
                Kind::Old
            } else {
                return None;
            };
            entry.file_type().ok().filter(std::fs::FileType::is_dir).map(|_| (kind, entry.path()))
        })
        .collect();
    found.sort();
    found
}

/// Whether `name` is `prefix` followed by a process id: the names a build gives its own folders.
fn has_pid_suffix(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix).is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether the site in `folder` was written to the end: the marker is its last file.
fn is_complete(folder: &Path) -> bool {
    folder.join(MARKER).is_file()
}

/// Why the whole output folder could not be replaced: the operation, and the system's error.
#[derive(Debug)]
struct ReplaceError {
    operation: String,
    error: io::Error,
}

impl ReplaceError {
    /// Whether the output cannot be renamed at all (a mount point), so its contents must be swapped.
    fn is_unmovable(&self) -> bool {
        matches!(self.error.kind(), io::ErrorKind::ResourceBusy | io::ErrorKind::CrossesDevices)
    }
}

/// Puts the complete site at `staging` in place of `out`; `aside` is where a previous site may be
/// moved meanwhile. Returns the folder that holds the previous site afterwards, to delete.
type ReplaceFolder = dyn Fn(&Path, &Path, &Path) -> Result<Option<PathBuf>, ReplaceError>;

/// The real [`ReplaceFolder`]: a rename when there is no output yet, an exchange where the system
/// has one, and otherwise two renames.
fn replace_folder(staging: &Path, out: &Path, aside: &Path) -> Result<Option<PathBuf>, ReplaceError> {
    let failed = |operation: String| move |error| ReplaceError { operation, error };
    if !out.exists() {
        std::fs::rename(staging, out).map_err(failed(format!("renaming `{}` to it", staging.display())))?;
        return Ok(None);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(Some(staging.to_path_buf())),
            // A file system without the exchange: fall back to two renames.
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::OPNOTSUPP) => {}
            Err(errno) => {
                return Err(failed(format!("exchanging it with `{}`", staging.display()))(io::Error::from(
                    errno,
                )));
            }
        }
    }
    std::fs::rename(out, aside).map_err(failed(format!("moving it aside to `{}`", aside.display())))?;
    if let Err(error) = std::fs::rename(staging, out) {
        // Put the previous site back, so a failure never leaves no site at all.
        let _ = std::fs::rename(aside, out);
        return Err(failed(format!("renaming `{}` to it", staging.display()))(error));
    }
    Ok(Some(aside.to_path_buf()))
}

/// Writes every file of `files` into `folder`, making the folders they are in (each once); a file
/// that `previous` (the previous site's folder) holds unchanged is linked from there instead.
fn write_files(folder: &Path, files: &Files, previous: Option<&Path>) -> Result<(), Diagnostic> {
    let mut made: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let mut real_folders: std::collections::HashMap<PathBuf, bool> = std::collections::HashMap::new();
    // Who owns each new folder, asked once a folder rather than once a file.
    let mut owners: std::collections::HashMap<PathBuf, Option<u32>> = std::collections::HashMap::new();
    for (relative, bytes) in files {
        let path = folder.join(relative);
        if let Some(inner) = path.parent()
            && !made.contains(inner)
        {
            std::fs::create_dir_all(inner).map_err(|e| io_error("create", inner, &e))?;
            made.insert(inner.to_path_buf());
        }
        let linked = previous.is_some_and(|previous| {
            let earlier = previous.join(relative);
            // Only within the previous site: no folder on the way is a link to elsewhere.
            let inside = earlier.parent().is_some_and(|folder| {
                *real_folders.entry(folder.to_path_buf()).or_insert_with(|| is_real_folder(folder))
            });
            let mut owner = || {
                let inner = path.parent().unwrap_or(&path);
                *owners.entry(inner.to_path_buf()).or_insert_with(|| unchanged::folder_owner(inner))
            };
            inside && unchanged::link_unchanged(&earlier, &path, bytes, owner())
        });
        if linked {
            continue;
        }
        new_file(&path)
            .and_then(|mut file| io::Write::write_all(&mut file, bytes))
            .map_err(|e| io_error("write", &path, &e))?;
    }
    Ok(())
}

/// True when `folder` is itself, no link on the way: a previous file is linked only from within
/// the previous site.
fn is_real_folder(folder: &Path) -> bool {
    folder.canonicalize().is_ok_and(|real| real == folder)
}

/// A file of the new site, which must not exist yet: one that does may be linked to the previous
/// site's, which writing through it would change.
fn new_file(path: &Path) -> io::Result<std::fs::File> {
    std::fs::OpenOptions::new().write(true).create_new(true).open(path)
}

/// Moves the folder `from` to `to`, copying it where it cannot be renamed (another file system:
/// the staging folder beside a mount point is outside it).
fn move_tree(from: &Path, to: &Path) -> Result<(), Diagnostic> {
    if std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    copy_tree(from, to)?;
    remove_tree(from);
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), Diagnostic> {
    std::fs::create_dir(to).map_err(|e| io_error("create", to, &e))?;
    let mut names: Vec<_> =
        std::fs::read_dir(from).map_err(|e| io_error("read", from, &e))?.flatten().collect();
    names.sort_by_key(std::fs::DirEntry::file_name);
    // The marker last, as a staging folder's is written.
    names.sort_by_key(|entry| entry.file_name() == MARKER);
    for entry in names {
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            copy_tree(&source, &target)?;
        } else {
            std::fs::copy(&source, &target).map_err(|e| io_error("write", &target, &e))?;
        }
    }
    Ok(())
}

/// The hidden folders inside the output that a swap of its contents uses.
const IN_PLACE_NEW: &str = ".workbook-new-";
const IN_PLACE_MOVING: &str = ".workbook-moving-";
const IN_PLACE_OLD: &str = ".workbook-old-";

/// Whether `name` is one of the hidden folders of a swap of contents.
fn is_in_place_folder(name: &str) -> bool {
    [IN_PLACE_NEW, IN_PLACE_MOVING, IN_PLACE_OLD].iter().any(|prefix| has_pid_suffix(name, prefix))
}

/// The entries of `folder` other than the marker and the hidden folders of a swap, by name.
fn site_entries(folder: &Path) -> Result<Vec<std::ffi::OsString>, Diagnostic> {
    let entries = std::fs::read_dir(folder).map_err(|e| io_error("read", folder, &e))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error("read", folder, &e))?;
        let name = entry.file_name();
        let text = name.to_string_lossy();
        if text != MARKER && !is_in_place_folder(&text) {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// Moves every site entry of `from` into `to`, leaving any that `to` already has.
fn move_entries(from: &Path, to: &Path) -> Result<(), Diagnostic> {
    for name in site_entries(from)? {
        let target = to.join(&name);
        if target.symlink_metadata().is_ok() {
            continue;
        }
        let source = from.join(&name);
        std::fs::rename(&source, &target)
            .map_err(|e| io_error(&format!("move `{}` to", source.display()), &target, &e))?;
    }
    Ok(())
}

/// Swaps the contents of `out`, a folder that cannot itself be renamed, for the complete site
/// staged in `staged`, in the steps the module documentation describes.
fn write_in_place(out: &Path, staged: &Path) -> Result<(), Diagnostic> {
    let marker = out.join(MARKER);
    if !marker.is_file() {
        // `out` is empty (checked): mark it first, so a kill leaves a folder the next build owns.
        std::fs::write(&marker, marker_text([])).map_err(|e| io_error("write", &marker, &e))?;
    }
    let pid = std::process::id();
    let staging = out.join(format!("{IN_PLACE_NEW}{pid}"));
    if let Err(error) = move_tree(staged, &staging) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(error);
    }
    let moving = out.join(format!("{IN_PLACE_MOVING}{pid}"));
    let old = out.join(format!("{IN_PLACE_OLD}{pid}"));
    let swapped = (|| {
        std::fs::create_dir(&moving).map_err(|e| io_error("create", &moving, &e))?;
        move_entries(out, &moving)?;
        // The point of no return: from here on, the next build completes the swap.
        std::fs::rename(&moving, &old)
            .map_err(|e| io_error(&format!("rename `{}` to", moving.display()), &old, &e))?;
        // The old files are out of sight: the marker now lists the new ones, before they move in.
        std::fs::copy(staging.join(MARKER), &marker).map_err(|e| io_error("write", &marker, &e))?;
        move_entries(&staging, out)
    })();
    // Finish or undo what was done, and tidy up; the first error is the one to report.
    let recovered = recover_in_place(out);
    swapped.and(recovered)
}

/// Completes or undoes a swap of the contents of `out` that a killed build left, and deletes its
/// hidden folders.
fn recover_in_place(out: &Path) -> Result<(), Diagnostic> {
    let entries = std::fs::read_dir(out).map_err(|e| io_error("read", out, &e))?;
    let mut found: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            is_in_place_folder(&name).then(|| (name, entry.path()))
        })
        .collect();
    found.sort();
    let of = |prefix: &str| -> Vec<&PathBuf> {
        found.iter().filter(|(name, _)| name.starts_with(prefix)).map(|(_, path)| path).collect()
    };
    let (moving, old, new) = (of(IN_PLACE_MOVING), of(IN_PLACE_OLD), of(IN_PLACE_NEW));
    if let Some(&moving) = moving.first() {
        // Killed before the point of no return: the previous entries go back.
        move_entries(moving, out)?;
    } else if !old.is_empty() {
        // Killed after it: the rest of the new entries go in.
        if let Some(&new) = new.iter().find(|path| is_complete(path)) {
            // Its marker, written last, lists what it holds: it becomes the folder's.
            let marker = out.join(MARKER);
            std::fs::copy(new.join(MARKER), &marker).map_err(|e| io_error("write", &marker, &e))?;
            move_entries(new, out)?;
        }
    }
    for path in moving.into_iter().chain(old).chain(new) {
        std::fs::remove_dir_all(path).map_err(|e| io_error("delete the leftover folder", path, &e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(marker: &str) -> Files {
        let mut files = Files::new();
        files.insert("index.html".into(), format!("<p>{marker}</p>").into_bytes());
        files.insert("assets/style.css".into(), b"p {}".to_vec());
        files.insert(format!("{marker}.html"), marker.as_bytes().to_vec());
        files
    }

    /// Every file under `dir`, by relative path, with its text.
    fn tree(dir: &Path) -> BTreeMap<String, String> {
        let mut files = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(folder) = stack.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let relative = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                    files.insert(relative, std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        files
    }

    fn expected(marker: &str) -> BTreeMap<String, String> {
        let mut files: BTreeMap<String, String> =
            site(marker).into_iter().map(|(k, v)| (k, String::from_utf8(v).unwrap())).collect();
        files.insert(MARKER.into(), marker_text(site(marker).keys().map(String::as_str)));
        files
    }

    fn write_site_with(out: &Path, files: &Files, replace: &ReplaceFolder) -> Result<(), Diagnostic> {
        let staging = Staging::begin(out)?;
        staging.add(files)?;
        staging.finish_with(replace)
    }

    /// A complete staging folder of `files` at `folder`, as a build killed after staging leaves.
    fn stage(folder: &Path, files: &Files) -> Result<(), Diagnostic> {
        std::fs::create_dir(folder).map_err(|e| io_error("create", folder, &e))?;
        write_files(folder, files, None)?;
        std::fs::write(folder.join(MARKER), marker_text(files.keys().map(String::as_str)))
            .map_err(|e| io_error("write", folder, &e))
    }

    /// A mount point: the folder itself cannot be renamed.
    fn busy(_: &Path, _: &Path, _: &Path) -> Result<Option<PathBuf>, ReplaceError> {
        Err(ReplaceError {
            operation: "exchanging it".into(),
            error: io::Error::from(io::ErrorKind::ResourceBusy),
        })
    }

    #[test]
    fn a_folder_that_cannot_be_renamed_has_its_contents_swapped() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("mount");
        std::fs::create_dir(&out).unwrap();
        // An empty mount point, then one that holds a site.
        write_site_with(&out, &site("first"), &busy).unwrap();
        assert_eq!(tree(&out), expected("first"));
        write_site_with(&out, &site("second"), &busy).unwrap();
        assert_eq!(tree(&out), expected("second"));
        let beside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(beside, ["mount"], "nothing is left beside the output");
    }

    #[test]
    fn a_rename_that_fails_for_another_reason_names_the_operation_and_the_cause() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site_with(&out, &site("first"), &replace_folder).unwrap();
        let denied = |_: &Path, _: &Path, _: &Path| -> Result<Option<PathBuf>, ReplaceError> {
            Err(ReplaceError {
                operation: "exchanging it with `staging`".into(),
                error: io::Error::from_raw_os_error(13),
            })
        };
        let error = write_site_with(&out, &site("second"), &denied).unwrap_err();
        let message = &error.message;
        assert!(message.contains("exchanging it with `staging` failed"), "{message}");
        assert!(message.contains("os error 13"), "{message}");
        assert_eq!(tree(&out), expected("first"), "the previous site is untouched");
    }

    #[test]
    fn a_swap_of_contents_killed_before_the_point_of_no_return_is_undone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("mount");
        std::fs::create_dir(&out).unwrap();
        write_site_with(&out, &site("first"), &busy).unwrap();
        // What a kill half-way through moving the previous entries aside leaves.
        stage(&out.join(".workbook-new-7"), &site("second")).unwrap();
        std::fs::create_dir(out.join(".workbook-moving-7")).unwrap();
        std::fs::rename(out.join("index.html"), out.join(".workbook-moving-7/index.html")).unwrap();
        recover_in_place(&out).unwrap();
        assert_eq!(tree(&out), expected("first"));
    }

    #[test]
    fn a_swap_of_contents_killed_after_the_point_of_no_return_is_completed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("mount");
        std::fs::create_dir(&out).unwrap();
        write_site_with(&out, &site("first"), &busy).unwrap();
        // What a kill half-way through moving the new entries in leaves.
        stage(&out.join(".workbook-new-7"), &site("second")).unwrap();
        std::fs::create_dir(out.join(".workbook-old-7")).unwrap();
        for name in ["index.html", "assets", "first.html"] {
            std::fs::rename(out.join(name), out.join(".workbook-old-7").join(name)).unwrap();
        }
        std::fs::rename(out.join(".workbook-new-7/assets"), out.join("assets")).unwrap();
        recover_in_place(&out).unwrap();
        assert_eq!(tree(&out), expected("second"));
    }

    #[cfg(unix)]
    fn inode(path: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        std::fs::symlink_metadata(path).unwrap().ino()
    }

    #[cfg(unix)]
    #[test]
    fn an_unchanged_file_is_linked_from_the_previous_site_and_a_changed_one_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site_with(&out, &site("first"), &replace_folder).unwrap();
        let (style, index) = (inode(&out.join("assets/style.css")), inode(&out.join("index.html")));
        let mut second = site("first");
        second.insert("index.html".into(), b"<p>changed</p>".to_vec());
        write_site_with(&out, &second, &replace_folder).unwrap();
        assert_eq!(inode(&out.join("assets/style.css")), style, "the unchanged file is the same file");
        assert_ne!(inode(&out.join("index.html")), index);
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "<p>changed</p>");
        let beside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(beside, ["site"], "the previous site is deleted");
    }

    #[cfg(unix)]
    #[test]
    fn a_previous_file_with_another_name_or_turned_into_a_link_is_written_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site_with(&out, &site("first"), &replace_folder).unwrap();
        // Someone keeps a second name for a published file, to change the next site through it;
        // another turns a published file into a link to a file of theirs with the same bytes.
        let kept = dir.path().join("kept.css");
        std::fs::hard_link(out.join("assets/style.css"), &kept).unwrap();
        let theirs = dir.path().join("theirs.html");
        std::fs::write(&theirs, "<p>first</p>").unwrap();
        std::fs::remove_file(out.join("index.html")).unwrap();
        std::os::unix::fs::symlink(&theirs, out.join("index.html")).unwrap();
        write_site_with(&out, &site("first"), &replace_folder).unwrap();
        assert_ne!(inode(&out.join("assets/style.css")), inode(&kept));
        // A published file opened to everyone, and a published folder turned into a link to a
        // folder elsewhere that holds the same bytes.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(out.join("first.html"), std::fs::Permissions::from_mode(0o666)).unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::rename(out.join("assets"), &elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("assets")).unwrap();
        let opened = inode(&out.join("first.html"));
        let error = write_site_with(&out, &site("first"), &replace_folder).unwrap_err();
        assert!(error.message.contains("did not write"), "{}", error.message);
        std::fs::remove_file(out.join("assets")).unwrap();
        std::fs::create_dir(out.join("assets")).unwrap();
        std::fs::copy(elsewhere.join("style.css"), out.join("assets/style.css")).unwrap();
        write_site_with(&out, &site("first"), &replace_folder).unwrap();
        assert_ne!(inode(&out.join("first.html")), opened, "written afresh");
        assert_eq!(std::fs::metadata(out.join("first.html")).unwrap().permissions().mode() & 0o022, 0);
        std::fs::write(&kept, "body { display: none }").unwrap();
        assert_eq!(std::fs::read_to_string(out.join("assets/style.css")).unwrap(), "p {}");
        assert!(std::fs::symlink_metadata(out.join("index.html")).unwrap().is_file(), "not a link");
        assert_eq!(tree(&out), expected("first"));
    }

    #[cfg(unix)]
    #[test]
    fn what_changes_in_the_output_while_a_site_is_staged_is_neither_linked_nor_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site_with(&out, &site("first"), &replace_folder).unwrap();
        let staging = Staging::begin(&out).unwrap();
        // Meanwhile: a file of someone's put in the output, and a published folder moved out and
        // linked back, to be published from where it now is.
        std::fs::write(out.join("CNAME"), "example.org").unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::rename(out.join("assets"), &elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("assets")).unwrap();
        staging.add(&site("first")).unwrap();
        let staged = dir.path().join(format!(".site.workbook-new-{}", std::process::id()));
        assert_ne!(inode(&staged.join("assets/style.css")), inode(&elsewhere.join("style.css")));
        let error = staging.finish().unwrap_err();
        assert!(error.message.contains("CNAME"), "{}", error.message);
        assert_eq!(std::fs::read_to_string(out.join("CNAME")).unwrap(), "example.org");
        assert!(!staged.exists(), "the staging folder is deleted");
    }

    #[test]
    fn a_second_lock_on_one_output_waits_then_refuses_naming_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let first = OutputLock::take(&out, Duration::ZERO).unwrap();
        let started = Instant::now();
        let error = OutputLock::take(&out, Duration::from_millis(200)).unwrap_err();
        assert!(started.elapsed() >= Duration::from_millis(200), "it waited");
        let message = &error.message;
        assert!(message.contains("another build is writing") && message.contains("site`"), "{message}");
        drop(first);
        let again = OutputLock::take(&out, Duration::ZERO).unwrap();
        drop(again);
        let beside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(beside.is_empty(), "the lock file is gone: {beside:?}");
    }
}
