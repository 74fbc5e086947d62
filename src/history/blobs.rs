//! The bytes of past versions, read from git by one `git cat-file --batch` process per repository:
//! started on first use and kept while a history of that repository is, so that a register of a
//! thousand projects in one repository starts git once for them, not once for each.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};

/// How many blobs are read at a time, holding the process: between two such reads the process is
/// free for another project's, and what was read is handed on with nothing held. A request of this
/// many ids (65 bytes each at most, with SHA-256) fits in any pipe's buffer (4 KiB at least), so it
/// is written whole before git's answers are read, with no thread to write it.
const AT_A_TIME: usize = 32;

/// The blobs of one repository.
pub(crate) struct Blobs {
    /// A folder of the repository, where git is run.
    root: PathBuf,
    /// The process, once started; `None` again after it failed, so the next read starts another.
    process: Mutex<Option<CatFile>>,
}

impl std::fmt::Debug for Blobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Blobs").field("root", &self.root).finish_non_exhaustive()
    }
}

/// A running `git cat-file --batch`.
struct CatFile {
    child: Child,
    input: Option<ChildStdin>,
    output: BufReader<ChildStdout>,
}

impl Drop for CatFile {
    fn drop(&mut self) {
        // Its input closed, git ends; it is stopped in case it is stuck.
        drop(self.input.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Blobs {
    /// The blobs of the repository that holds `root`; git is not started until they are read.
    pub(crate) fn new(root: &Path) -> Arc<Blobs> {
        Arc::new(Blobs { root: root.to_path_buf(), process: Mutex::new(None) })
    }

    /// Reads the blobs `ids`, handing each to `each` with its index in `ids`, until `each` returns
    /// false. A blob git does not have is skipped; after an error, the rest are (they stay unknown).
    /// `each` is called with the process free, so it may wait on anything.
    pub(crate) fn read(
        &self,
        ids: &[&str],
        mut each: impl FnMut(usize, Vec<u8>) -> bool,
    ) -> Result<(), String> {
        for (chunk, start) in ids.chunks(AT_A_TIME).zip((0..).step_by(AT_A_TIME)) {
            let read = {
                let mut process = self.process.lock().unwrap_or_else(PoisonError::into_inner);
                let read = self.read_chunk(&mut process, chunk);
                if read.is_err() {
                    *process = None;
                }
                read?
            };
            for (index, bytes) in read {
                if !each(start + index, bytes) {
                    return Err("stopped".into());
                }
            }
        }
        Ok(())
    }

    /// Reads `ids` with the process (started if there is none), in their order.
    fn read_chunk(
        &self,
        process: &mut Option<CatFile>,
        ids: &[&str],
    ) -> Result<Vec<(usize, Vec<u8>)>, String> {
        if process.is_none() {
            *process = Some(self.start()?);
        }
        let CatFile { input, output, .. } = process.as_mut().ok_or("git cat-file is not running")?;
        let input = input.as_mut().ok_or("git cat-file has no input")?;
        let request: String = ids.iter().map(|id| format!("{id}\n")).collect();
        input.write_all(request.as_bytes()).and_then(|()| input.flush()).map_err(|e| e.to_string())?;
        read_answers(output, ids.len())
    }

    fn start(&self) -> Result<CatFile, String> {
        let mut child = Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(["cat-file", "--batch"])
            // A partial clone would fetch each missing blob over the network, one by one.
            .env("GIT_NO_LAZY_FETCH", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("git could not be run: {e}"))?;
        let input = child.stdin.take().ok_or("git cat-file has no input")?;
        let output = BufReader::new(child.stdout.take().ok_or("git cat-file has no output")?);
        Ok(CatFile { child, input: Some(input), output })
    }
}

/// The answers to `count` requests: `<id> blob <size>`, the bytes and a newline; or `<id> missing`
/// (left out). Each blob with the index of its request.
fn read_answers(output: &mut impl BufRead, count: usize) -> Result<Vec<(usize, Vec<u8>)>, String> {
    let mut blobs = Vec::with_capacity(count);
    for index in 0..count {
        let mut header = String::new();
        if output.read_line(&mut header).map_err(|e| e.to_string())? == 0 {
            return Err("git cat-file stopped".into());
        }
        let mut fields = header.split_whitespace();
        let (Some(_), Some(kind), size) = (fields.next(), fields.next(), fields.next()) else {
            return Err("unexpected git output".into());
        };
        let Some(size) = size.and_then(|s| s.parse::<usize>().ok()) else { continue };
        if size as u64 > crate::load::MAX_ANSWER_BYTES {
            // Larger than any file the loader reads, so it would tell nothing (a version that does
            // not load is unknown): passed over, never held.
            let skipped = std::io::copy(&mut output.by_ref().take(size as u64 + 1), &mut std::io::sink());
            if skipped.map_err(|e| e.to_string())? != size as u64 + 1 {
                return Err("git cat-file stopped".into());
            }
            continue;
        }
        let mut bytes = vec![0; size + 1]; // the content and its newline
        output.read_exact(&mut bytes).map_err(|e| e.to_string())?;
        bytes.pop();
        if kind == "blob" {
            blobs.push((index, bytes));
        }
    }
    Ok(blobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_blob(root: &Path, bytes: &[u8]) -> String {
        let mut git = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["hash-object", "-w", "--stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("git runs");
        git.stdin.take().expect("input").write_all(bytes).expect("written");
        let out = git.wait_with_output().expect("git ends");
        String::from_utf8(out.stdout).expect("an id").trim().to_owned()
    }

    #[test]
    fn blobs_are_read_in_order_across_chunks_and_reads_with_the_missing_and_the_huge_passed_over() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path();
        assert!(
            Command::new("git").arg("-C").arg(root).args(["init", "-q"]).status().expect("git").success()
        );
        let texts: Vec<Vec<u8>> =
            (0..AT_A_TIME * 2 + 5).map(|i| format!("version {i}\n").into_bytes()).collect();
        let mut ids: Vec<String> = texts.iter().map(|t| write_blob(root, t)).collect();
        let huge = write_blob(root, &vec![b'x'; crate::load::MAX_ANSWER_BYTES as usize + 1]);
        let missing = "0123456789abcdef0123456789abcdef01234567".to_owned();
        ids.insert(3, missing.clone());
        ids.insert(AT_A_TIME + 1, huge);
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let blobs = Blobs::new(root);
        for _ in 0..2 {
            let mut read = Vec::new();
            blobs
                .read(&ids, |index, bytes| {
                    read.push((index, bytes));
                    true
                })
                .expect("read");
            let expected: Vec<(usize, Vec<u8>)> = ids
                .iter()
                .enumerate()
                .filter(|(_, id)| **id != missing && **id != ids[AT_A_TIME + 1])
                .zip(&texts)
                .map(|((index, _), text)| (index, text.clone()))
                .collect();
            assert_eq!(read, expected);
        }
        // Stopping part-way leaves the process able to read again.
        assert!(blobs.read(&ids, |_, _| false).is_err());
        let mut again = 0;
        blobs
            .read(&ids[..2], |_, _| {
                again += 1;
                true
            })
            .expect("read again");
        assert_eq!(again, 2);
    }
}
