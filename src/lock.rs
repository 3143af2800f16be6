//! A lock file holding the process id of whoever holds it, so that two
//! runs replacing the same folder (two builds into one output, two pulls
//! into one mirror) never interleave: the second stops at once and says
//! which process is at work. A lock left by a killed process names a
//! process that is gone, and is taken over.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Held until dropped; the file is removed then.
#[derive(Debug)]
pub struct ProcessLock(PathBuf);

impl ProcessLock {
    /// Takes the lock at `path` (its folder must exist); while a running
    /// process holds it, returns `busy(its id)`.
    pub fn take(path: &Path, busy: impl Fn(u32) -> Error) -> Result<ProcessLock> {
        // The lock appears with its process id in it (a hard link to a
        // file written first), so no one ever reads it empty and takes it
        // for a dead process's.
        let mine = aside(path, "new");
        std::fs::write(&mine, std::process::id().to_string()).map_err(|e| Error::io(&mine, e))?;
        let taken = loop {
            match std::fs::hard_link(&mine, path) {
                Ok(()) => break Ok(ProcessLock(path.to_path_buf())),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => match holder(path) {
                    Some(pid) if process_is_running(pid) => break Err(busy(pid)),
                    stale => {
                        if let Err(e) = take_over(path, stale) {
                            break Err(e);
                        }
                    }
                },
                Err(e) => break Err(Error::io(path, e)),
            }
        };
        let _ = std::fs::remove_file(&mine);
        taken
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

/// The process id a lock file names, if it names one.
fn holder(path: &Path) -> Option<u32> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// `path` + `.<what>-<our process id>`: a name no other process uses.
fn aside(path: &Path, what: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(format!(".{what}-{}", std::process::id()));
    PathBuf::from(name)
}

/// Removes a lock left by a process that is gone (`stale`), moving it
/// aside first: if another process replaced it in the meantime, its lock
/// is put back rather than removed.
fn take_over(path: &Path, stale: Option<u32>) -> Result<()> {
    let moved = aside(path, "stale");
    match std::fs::rename(path, &moved) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path, e)),
        Ok(()) => {}
    }
    if holder(&moved) != stale {
        let _ = std::fs::hard_link(&moved, path);
    }
    std::fs::remove_file(&moved).map_err(|e| Error::io(&moved, e))
}

impl Drop for ProcessLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Where there is no `/proc` to ask, every holder counts as running.
fn process_is_running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn busy(pid: u32) -> Error {
        Error::input("lock", None, format!("held by {pid}"), "wait")
    }

    #[test]
    fn a_held_lock_is_refused_and_a_dead_holders_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lock");
        let held = ProcessLock::take(&path, busy).unwrap();
        let refused = ProcessLock::take(&path, busy).unwrap_err().to_string();
        assert!(refused.contains(&format!("held by {}", std::process::id())), "{refused}");
        drop(held);
        assert!(!path.exists());
        let mut gone = std::process::Command::new("true").spawn().unwrap();
        gone.wait().unwrap();
        std::fs::write(&path, gone.id().to_string()).unwrap();
        let taken = ProcessLock::take(&path, busy).unwrap();
        assert_eq!(std::fs::read_to_string(taken.path()).unwrap(), std::process::id().to_string());
    }
}
