//! A file of the new site that the previous site holds unchanged is linked from there, not written
//! again: most of a national register's files are the same from one build to the next, and
//! writing them again, then freeing the previous copies, was most of the time spent writing.
//!
//! Only a file of the build's own is linked: a regular file with no other name, this user's and
//! writable by no one else, and only the very file whose bytes were compared. A file swapped, linked
//! in or opened up by someone else is written afresh.

use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::path::Path;

/// The previous site's file at a path, open, when it may be linked into the new site once its
/// bytes are known to be the new ones.
pub(super) struct Candidate {
    file: File,
    path: std::path::PathBuf,
    #[cfg(unix)]
    id: (u64, u64),
}

/// The previous site's file at `previous`, when it may be linked into a folder owned by
/// `folder_owner` (see the module's notes); `len`, when known, is the length it must have.
#[cfg(unix)]
pub(super) fn candidate(previous: &Path, len: Option<u64>, folder_owner: Option<u32>) -> Option<Candidate> {
    use std::os::unix::fs::MetadataExt;
    let named = std::fs::symlink_metadata(previous).ok()?;
    let ours = folder_owner == Some(named.uid());
    if !named.is_file()
        || named.nlink() != 1
        || len.is_some_and(|len| named.len() != len)
        || named.mode() & 0o022 != 0
        || !ours
    {
        return None;
    }
    let file = File::open(previous).ok()?;
    let id = (named.dev(), named.ino());
    // The file opened is the one judged by its name.
    file.metadata().ok().filter(|m| (m.dev(), m.ino()) == id)?;
    Some(Candidate { file, path: previous.to_path_buf(), id })
}

/// Elsewhere every file is written.
#[cfg(not(unix))]
pub(super) fn candidate(
    _previous: &Path,
    _len: Option<u64>,
    _folder_owner: Option<u32>,
) -> Option<Candidate> {
    None
}

impl Candidate {
    /// Links `path` to this file, whose bytes are the new ones. False when not linked.
    #[cfg(unix)]
    fn link(&self, path: &Path) -> bool {
        use std::os::unix::fs::MetadataExt;
        if std::fs::hard_link(&self.path, path).is_err() {
            return false;
        }
        // Two names now, the previous site's and the new one's: a third made meanwhile is refused,
        // as is a file put at the previous name since it was compared.
        let linked = std::fs::symlink_metadata(path);
        if linked.is_ok_and(|m| (m.dev(), m.ino()) == self.id && m.nlink() == 2) {
            return true;
        }
        let _ = std::fs::remove_file(path);
        false
    }

    #[cfg(not(unix))]
    fn link(&self, _path: &Path) -> bool {
        false
    }
}

/// Links `path` to `previous`, the same file in the previous site, when that may be linked and
/// holds exactly `bytes`. False when not linked.
pub(super) fn link_unchanged(previous: &Path, path: &Path, bytes: &[u8], folder_owner: Option<u32>) -> bool {
    let Some(mut candidate) = candidate(previous, Some(bytes.len() as u64), folder_owner) else {
        return false;
    };
    holds_exactly(&mut candidate.file, bytes) && candidate.link(path)
}

/// True when what is left to read of `file` is `bytes`, read a piece at a time into one buffer on
/// the stack rather than whole into a new one: most of a site is compared this way on every build.
pub(super) fn holds_exactly(file: &mut File, bytes: &[u8]) -> bool {
    let mut buffer = [0u8; 64 * 1024];
    let mut at = 0;
    loop {
        match file.read(&mut buffer) {
            Ok(0) => return at == bytes.len(),
            Ok(n) => {
                if bytes.get(at..at + n) != Some(&buffer[..n]) {
                    return false;
                }
                at += n;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// The user who owns `folder` (a folder of the new site, made by this build), or `None` when it
/// cannot be read.
#[cfg(unix)]
pub(super) fn folder_owner(folder: &Path) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(folder).ok().map(|m| m.uid())
}

#[cfg(not(unix))]
pub(super) fn folder_owner(_folder: &Path) -> Option<u32> {
    None
}

/// A file of the new site written a piece at a time (`register.json`, too large to hold whole),
/// compared with the previous site's file while the pieces match it, and written out from the
/// first piece that does not. [`Streamed::finish`] links the previous file when every piece
/// matched and it has no more.
pub(super) struct Streamed<'a> {
    target: &'a Path,
    sink: Sink,
}

enum Sink {
    /// The previous file, of which `matched` bytes were the same; `piece` holds what was read of it.
    Comparing {
        previous: Candidate,
        matched: u64,
        piece: Vec<u8>,
    },
    Writing(File),
}

impl<'a> Streamed<'a> {
    /// The new file at `target` (which must not exist yet), compared with `previous` when given.
    pub(super) fn new(target: &'a Path, previous: Option<Candidate>) -> io::Result<Streamed<'a>> {
        let sink = match previous {
            Some(previous) => Sink::Comparing { previous, matched: 0, piece: Vec::new() },
            None => Sink::Writing(super::new_file(target)?),
        };
        Ok(Streamed { target, sink })
    }

    /// From here on the new file is written: it is made, and what matched so far is copied into
    /// it from the previous file (being the same bytes).
    fn write_out(&mut self) -> io::Result<()> {
        if let Sink::Comparing { previous, matched, .. } = &mut self.sink {
            let mut file = super::new_file(self.target)?;
            previous.file.rewind()?;
            let copied = io::copy(&mut (&previous.file).take(*matched), &mut file)?;
            if copied != *matched {
                return Err(io::Error::other("the previous site's file changed while it was compared"));
            }
            self.sink = Sink::Writing(file);
        }
        Ok(())
    }

    /// Ends the file: when every piece matched the previous file and it has no more, the new file
    /// is that one, linked (or, where it cannot be, copied from it).
    pub(super) fn finish(mut self) -> io::Result<()> {
        if let Sink::Comparing { previous, .. } = &mut self.sink {
            let mut more = [0u8; 1];
            let ended = matches!(previous.file.read(&mut more), Ok(0));
            if ended && previous.link(self.target) {
                return Ok(());
            }
            self.write_out()?;
        }
        Ok(())
    }
}

impl Write for Streamed<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Writing(file) => file.write(buf),
            Sink::Comparing { previous, matched, piece } => {
                piece.resize(buf.len(), 0);
                // A shorter previous file, or one that cannot be read, is not the same.
                if previous.file.read_exact(piece).is_ok() && piece.as_slice() == buf {
                    *matched += buf.len() as u64;
                    return Ok(buf.len());
                }
                self.write_out()?;
                self.write(buf)
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Writing(file) => file.flush(),
            Sink::Comparing { .. } => Ok(()),
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn inode(path: &Path) -> u64 {
        std::fs::symlink_metadata(path).unwrap().ino()
    }

    #[test]
    fn a_file_holds_exactly_the_bytes_only_when_every_piece_and_its_length_match() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        // Longer than one piece read, so that the second piece and the end are compared too.
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let holds = |wanted: &[u8]| holds_exactly(&mut File::open(&path).unwrap(), wanted);
        assert!(holds(&bytes));
        assert!(!holds(&bytes[..bytes.len() - 1]), "the file is longer");
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(!holds(&longer), "the file is shorter");
        for at in [0, 65_535, 65_536, 131_073, bytes.len() - 1] {
            let mut changed = bytes.clone();
            changed[at] ^= 1;
            assert!(!holds(&changed), "a byte at {at} differs");
        }
        std::fs::write(&path, b"").unwrap();
        assert!(holds(b"") && !holds(b"x"));
    }

    #[test]
    fn a_previous_file_is_linked_only_into_a_folder_of_its_owner() {
        let dir = tempfile::tempdir().unwrap();
        let previous = dir.path().join("previous.html");
        std::fs::write(&previous, "<p>same</p>").unwrap();
        let owner = std::fs::metadata(&previous).unwrap().uid();
        let new = dir.path().join("new");
        std::fs::create_dir(&new).unwrap();
        assert_eq!(folder_owner(&new), Some(owner));
        // Another user's file, or a folder whose owner could not be read: written afresh.
        assert!(!link_unchanged(&previous, &new.join("a.html"), b"<p>same</p>", Some(owner.wrapping_add(1))));
        assert!(!link_unchanged(&previous, &new.join("b.html"), b"<p>same</p>", None));
        assert!(!new.join("a.html").exists() && !new.join("b.html").exists());
        assert!(link_unchanged(&previous, &new.join("c.html"), b"<p>same</p>", Some(owner)));
        assert_eq!(inode(&new.join("c.html")), inode(&previous));
    }

    /// Streams `pieces` into `new/name` against the previous file `previous/name`: the new file's
    /// bytes, and whether it is the previous file linked.
    fn stream(dir: &Path, name: &str, pieces: &[&[u8]]) -> (Vec<u8>, bool) {
        let (previous, target) = (dir.join("previous").join(name), dir.join("new").join(name));
        let owner = folder_owner(&dir.join("new"));
        let mut streamed = Streamed::new(&target, candidate(&previous, None, owner)).unwrap();
        for piece in pieces {
            streamed.write_all(piece).unwrap();
        }
        streamed.flush().unwrap();
        streamed.finish().unwrap();
        let linked = std::fs::symlink_metadata(&previous).is_ok_and(|m| m.ino() == inode(&target));
        (std::fs::read(&target).unwrap(), linked)
    }

    /// A streamed file is the previous one linked only when every piece matched and the previous
    /// one has no more; a difference anywhere (first piece, a later one, its last byte, a missing
    /// or an extra byte) writes the new bytes whole, what matched before it included.
    #[test]
    fn a_streamed_file_is_linked_when_unchanged_and_written_whole_from_any_difference() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("previous")).unwrap();
        std::fs::create_dir(dir.path().join("new")).unwrap();
        let old: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let (head, tail) = old.split_at(100_000);
        let (middle, end) = tail.split_at(150_000);
        let mut cases: Vec<(&str, Vec<Vec<u8>>)> =
            vec![("same", vec![head.into(), middle.into(), end.into()])];
        let changed = |at: usize| {
            let mut bytes = old.clone();
            bytes[at] ^= 1;
            let (a, b) = bytes.split_at(100_000);
            let (b, c) = b.split_at(150_000);
            vec![a.to_vec(), b.to_vec(), c.to_vec()]
        };
        cases.push(("first", changed(0)));
        cases.push(("later", changed(180_000)));
        cases.push(("last", changed(old.len() - 1)));
        cases.push(("shorter", vec![head.into(), middle.into(), end[..end.len() - 1].into()]));
        cases.push(("longer", vec![head.into(), middle.into(), end.into(), b"!".to_vec()]));
        cases.push(("empty", vec![]));
        for (name, pieces) in &cases {
            std::fs::write(dir.path().join("previous").join(name), &old).unwrap();
            let pieces: Vec<&[u8]> = pieces.iter().map(Vec::as_slice).collect();
            let (bytes, linked) = stream(dir.path(), name, &pieces);
            assert_eq!(bytes, pieces.concat(), "{name}: the new bytes");
            assert_eq!(linked, *name == "same", "{name}: linked");
            assert_eq!(std::fs::read(dir.path().join("previous").join(name)).unwrap(), old, "{name}");
        }
        // With no previous file, or one with a second name, the file is written.
        let (bytes, _) = stream(dir.path(), "none", &[b"new"]);
        assert_eq!(bytes, b"new");
        std::fs::write(dir.path().join("previous/shared"), &old).unwrap();
        std::fs::hard_link(dir.path().join("previous/shared"), dir.path().join("elsewhere")).unwrap();
        let (bytes, linked) = stream(dir.path(), "shared", &[&old]);
        assert!(bytes == old && !linked, "a file with another name is written afresh");
    }
}
