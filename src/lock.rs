//! A lock file holding the process id of whoever holds it, so that two
//! runs replacing the same folder (two builds into one output, two pulls
//! into one mirror) never interleave: the second stops at once and says
//! which process is at work. A lock left by a killed process names a
//! process that is gone (or, after a restart, another process that got its
//! id: the lock holds the holder's start time too), and is taken over.

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
        let me = Holder { pid: std::process::id(), started: start_time(std::process::id()) };
        std::fs::write(&mine, me.to_string()).map_err(|e| Error::io(&mine, e))?;
        let taken = loop {
            match std::fs::hard_link(&mine, path) {
                Ok(()) => {
                    clear_leftovers(path);
                    break Ok(ProcessLock(path.to_path_buf()));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => match holder(path) {
                    Some(holder) if holder.is_running() => break Err(busy(holder.pid)),
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

/// Who holds a lock: a process id and, where `/proc` tells, when that
/// process started (in clock ticks since boot), written `PID START`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Holder {
    pid: u32,
    started: Option<u64>,
}

impl Holder {
    /// Whether the holder still runs: a process with its id, started when
    /// it did. Where there is no `/proc` to ask, every holder counts as running.
    fn is_running(&self) -> bool {
        let proc = Path::new("/proc");
        if !proc.is_dir() {
            return true;
        }
        proc.join(self.pid.to_string()).exists() && self.started.is_none_or(|t| start_time(self.pid) == Some(t))
    }
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.started {
            Some(started) => write!(f, "{} {started}", self.pid),
            None => write!(f, "{}", self.pid),
        }
    }
}

/// Who a lock file names, if it names anyone.
fn holder(path: &Path) -> Option<Holder> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut words = text.split_whitespace();
    let pid = words.next()?.parse().ok()?;
    Some(Holder { pid, started: words.next().and_then(|w| w.parse().ok()) })
}

/// When process `pid` started, in clock ticks since boot (`/proc/PID/stat`).
fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command's name in parentheses (which may hold anything), the
    // state is field 3 and the start time field 22.
    let after_name = stat.get(stat.rfind(')')? + 1..)?;
    after_name.split_whitespace().nth(19)?.parse().ok()
}

/// `path` + `.<what>-<our process id>`: a name no other process uses.
fn aside(path: &Path, what: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(format!(".{what}-{}", std::process::id()));
    PathBuf::from(name)
}

/// Removes the files `aside` named for processes killed while taking the
/// lock (those still running may be taking it now).
fn clear_leftovers(path: &Path) {
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else { return };
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    let name = name.to_string_lossy();
    for entry in entries.filter_map(|e| e.ok()) {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&*name) else { continue };
        let pid = rest.strip_prefix(".new-").or_else(|| rest.strip_prefix(".stale-"));
        let gone = |pid: u32| !Path::new("/proc").join(pid.to_string()).exists();
        if pid.and_then(|p| p.parse().ok()).is_some_and(gone) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Removes a lock left by a process that is gone (`stale`), moving it
/// aside first: if another process replaced it in the meantime, its lock
/// is put back rather than removed.
fn take_over(path: &Path, stale: Option<Holder>) -> Result<()> {
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
        let me = std::fs::read_to_string(taken.path()).unwrap();
        assert!(me.starts_with(&format!("{} ", std::process::id())), "{me}");
        drop(taken);
        // After a restart, the id of a process killed while holding it may
        // belong to another: this process, started at another time.
        std::fs::write(&path, format!("{} 1", std::process::id())).unwrap();
        // A process killed between writing its file and linking the lock left it.
        let left = dir.path().join(format!("lock.new-{}", gone.id()));
        std::fs::write(&left, gone.id().to_string()).unwrap();
        let taken = ProcessLock::take(&path, busy).unwrap();
        assert!(!left.exists());
        drop(taken);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(names.is_empty(), "{names:?}");
    }
}
