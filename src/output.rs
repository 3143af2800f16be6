//! The only way into the output folder. A build produces [`Artifact`]s; they are
//! written into a fresh folder beside the output and swapped in only when all
//! of them are written, so a failed build never leaves a half-written site.
//! A file the previous output already holds byte for byte is hard-linked into
//! the new folder instead of written again: a rebuild writes only what changed,
//! and the previous output is never modified, only replaced.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::keep::{self, Carried, Kept, Occupied};
use crate::lock::ProcessLock;

#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// Copied from a source file (images, downloads), not read into memory.
    Copy(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Artifact {
    /// Relative to the output root, `/`-separated, no `..`.
    pub path: String,
    pub contents: Contents,
}

impl Artifact {
    pub fn bytes(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Artifact { path: path.into(), contents: Contents::Bytes(bytes.into()) }
    }

    pub fn copy(path: impl Into<String>, source: impl Into<PathBuf>) -> Self {
        Artifact { path: path.into(), contents: Contents::Copy(source.into()) }
    }
}

/// Sorted artifacts with unique paths; two artifacts on one path is an error.
pub fn collect(artifacts: Vec<Artifact>) -> Result<Vec<Artifact>> {
    let mut by_path: BTreeMap<String, Artifact> = BTreeMap::new();
    for artifact in artifacts {
        if !is_safe_path(&artifact.path) {
            return Err(outside_error(&artifact));
        }
        if let Some(previous) = by_path.get(&artifact.path) {
            return Err(collision_error(previous, &artifact));
        }
        by_path.insert(artifact.path.clone(), artifact);
    }
    Ok(by_path.into_values().collect())
}

/// The error for two outputs on one path (`collisions` finds those the site
/// model shows before anything is rendered; this is what is left), at the
/// copied file if one of them is.
pub fn collision_error(one: &Artifact, other: &Artifact) -> Error {
    let (at, with) = if matches!(other.contents, Contents::Copy(_)) { (other, one) } else { (one, other) };
    let name = |a: &Artifact| match &a.contents {
        Contents::Copy(source) => source.display().to_string(),
        Contents::Bytes(_) => format!("the build's own {}", a.path),
    };
    Error::input(
        describe(at),
        None,
        format!("two outputs would be written to {}: {} and {}", at.path, name(at), name(with)),
        "rename the static file or page that collides",
    )
}

fn outside_error(artifact: &Artifact) -> Error {
    if artifact.path.contains('\\') {
        return Error::input(
            describe(artifact),
            None,
            "a file name holding a backslash cannot be published: browsers and Windows read it as a folder separator",
            "rename the file without the backslash",
        );
    }
    Error::input(describe(artifact), None, "refusing to write outside the output folder", "rename the file")
}

fn describe(artifact: &Artifact) -> PathBuf {
    match &artifact.contents {
        Contents::Copy(source) => source.clone(),
        Contents::Bytes(_) => PathBuf::from(&artifact.path),
    }
}

fn is_safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
}

/// A file every output holds, so a later build knows the folder is its own.
pub const MARKER: &str = ".infrared-output";
const MARKER_TEXT: &str = "This folder is written by infrared: every build replaces it whole.\n";

pub fn marker() -> Artifact {
    Artifact::bytes(MARKER, MARKER_TEXT)
}

/// A build replaces its output folder whole, so the folder must be one
/// infrared wrote: never the site itself, its content, `/` or a home folder,
/// and not a folder of other files (unless `force`) but for the `kept`
/// paths, which the build carries over.
pub fn check_output_folder(out: &Path, site_root: &Path, force: bool, kept: &Kept) -> Result<()> {
    let refuse =
        |why: &str, hint: &str| Err(Error::input(out, None, format!("refusing to write the site here: {why}"), hint));
    let resolved = resolve(out);
    let root = resolve(site_root);
    check_not_shared(out, "pass --out with a folder of its own, e.g. public")?;
    if root.starts_with(&resolved) {
        return refuse("it holds the site itself", "pass --out with a folder of its own, e.g. public");
    }
    for inside in ["content", "static", "templates", "themes", "i18n"] {
        if resolved.starts_with(root.join(inside)) {
            return refuse(
                &format!("it is inside the site's {inside}/ folder"),
                "pass --out with a folder outside the sources, e.g. public",
            );
        }
    }
    check_not_foreign(
        out,
        force,
        &kept.paths(),
        "empty it, choose another --out, or pass --force to replace it (or --keep the paths that must stay)",
    )
}

/// Refuses what no command may replace whole with a copy of the site: the
/// root of the file system, the home folder, a mount point, and anything
/// but a folder.
/// `hint` says how to name another.
pub fn check_not_shared(out: &Path, hint: &str) -> Result<()> {
    let refuse = |why: &str| Err(Error::input(out, None, format!("refusing to write the site here: {why}"), hint));
    let resolved = resolve(out);
    let home = std::env::var_os("HOME").map(|h| resolve(Path::new(&h)));
    if resolved.parent().is_none() {
        return refuse("it is the root of the file system");
    }
    if Some(&resolved) == home.as_ref() {
        return refuse("it is your home folder");
    }
    // A file or a device (`/dev/null`) would be renamed aside and a folder
    // put in its place.
    if std::fs::metadata(out).is_ok_and(|m| !m.is_dir()) {
        return refuse("it is not a folder but a file (or a device)");
    }
    // Found now, not by the swap once everything is built or fetched.
    if is_mount_point(&resolved) {
        return Err(Error::input(
            out,
            None,
            "refusing to write the site here: it is a mount point, which cannot be swapped for a new folder by renaming",
            format!("write into a folder inside it, e.g. {}, and serve that", out.join("site").display()),
        ));
    }
    Ok(())
}

/// Whether `path` (resolved) is a folder on another file system than its
/// parent folder: a mount point (a container's volume, say).
fn is_mount_point(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (Some(parent), Ok(meta)) = (path.parent(), std::fs::metadata(path)) else { return false };
        meta.is_dir() && std::fs::metadata(parent).is_ok_and(|p| p.dev() != meta.dev())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// Refuses, unless `force`, a folder that holds files but no
/// [`MARKER`]: replacing it whole (a build's swap, a pull's) would delete
/// files infrared did not write. `kept` are paths inside it (`/`-separated)
/// that the command carries over into the new folder, so they do not count:
/// a mirror's folder holding only certbot's `.well-known/acme-challenge/`
/// is not foreign to a pull. `hint` says what to do instead.
pub fn check_not_foreign(out: &Path, force: bool, kept: &[&str], hint: &str) -> Result<()> {
    let foreign = out.is_dir() && !out.join(MARKER).is_file() && holds_more_than(out, "", kept)?;
    if foreign && !force {
        return Err(Error::input(
            out,
            None,
            "refusing to write the site here: it holds files infrared did not write, and the whole folder would be replaced",
            hint,
        ));
    }
    Ok(())
}

/// Whether `dir` (at `rel` inside the folder checked) holds anything but
/// the `kept` paths and the folders that lead to them.
fn holds_more_than(dir: &Path, rel: &str, kept: &[&str]) -> Result<bool> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() { name } else { format!("{rel}/{name}") };
        if kept.contains(&path.as_str()) {
            continue;
        }
        let leads_to_kept = kept.iter().any(|k| k.strip_prefix(path.as_str()).is_some_and(|r| r.starts_with('/')));
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !(leads_to_kept && is_dir) || holds_more_than(&entry.path(), &path, kept)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The folder a command that replaces `out` whole must act on. When `out`
/// is a symbolic link, the folder it leads to (made yet or not): the swap
/// replaces that folder and the link stays (a deploy's `current ->
/// releases/3`), where renaming the link itself would put a folder in its
/// place and strand the folder it led to. When `out` ends in `.` or `..`,
/// the folder that names: such a path cannot be renamed.
pub fn target_folder(out: &Path) -> PathBuf {
    let mut path = out.to_path_buf();
    // As many links in a row as Linux follows.
    for _ in 0..40 {
        match std::fs::read_link(&path) {
            Ok(target) => path = path.parent().map_or_else(|| target.clone(), |parent| parent.join(&target)),
            Err(_) => break,
        }
    }
    if path.file_name().is_none() {
        return std::fs::canonicalize(&path).unwrap_or_else(|_| without_dots(&path));
    }
    path
}

/// `path` made absolute with its `.` and `..` taken away as written.
fn without_dots(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut plain = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                plain.pop();
            }
            other => plain.push(other),
        }
    }
    plain
}

/// The absolute, link-free form of a path that may not exist yet.
fn resolve(path: &Path) -> PathBuf {
    let absolute =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    let mut existing = absolute.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

/// Held by a build for as long as it may write `out`, its staging folders
/// or its cache: a second build into the same output stops at once, rather
/// than clearing the first one's staging folder as a killed build's
/// leftovers (`.NAME.lock` beside `out`, holding the build's process id).
pub fn lock(out: &Path) -> Result<ProcessLock> {
    let (parent, name) = parent_and_name(out);
    std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let path = parent.join(format!(".{name}.lock"));
    ProcessLock::take(&path, |pid| {
        Error::input(
            out,
            None,
            format!("another build (process {pid}) is writing this output folder"),
            format!("let it finish, or build into another --out; if no build is running, remove {}", path.display()),
        )
    })
}

/// Write every artifact into a new folder and swap it in for `out`.
pub fn write_site(out: &Path, artifacts: &[Artifact]) -> Result<()> {
    Staging::begin(out)?.finish(artifacts, &Kept::default()).map(|_| ())
}

/// The folder a build is written into beside `out`, swapped in for it when
/// complete. Pages can be written into it while the rest is still being
/// made ([`Staging::write_now`]), so a build need not hold every page in
/// memory at once. Dropped unfinished (a failed build), it is removed and
/// `out` stays as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    aside: PathBuf,
    previous: Option<PathBuf>,
    finished: bool,
}

impl Staging {
    pub fn begin(out: &Path) -> Result<Staging> {
        let (parent, name) = parent_and_name(out);
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        recover_interrupted(out, &parent, &name)?;
        let dir = parent.join(format!(".{name}.partial-{}", std::process::id()));
        remove_dir_if_exists(&dir)?;
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            aside: parent.join(format!(".{name}.old-{}", std::process::id())),
            previous: out.join(MARKER).is_file().then(|| out.to_path_buf()),
            dir,
            finished: false,
        })
    }

    /// Writes `artifacts` into the staging folder now and returns them as
    /// copies of the files written, which [`Staging::finish`] leaves in place
    /// (and hashing reads back from the page cache).
    pub fn write_now(&self, artifacts: Vec<Artifact>) -> Result<Vec<Artifact>> {
        if let Some(unsafe_path) = artifacts.iter().find(|a| !is_safe_path(&a.path)) {
            return Err(outside_error(unsafe_path));
        }
        write_all(&self.dir, self.previous.as_deref(), &artifacts)?;
        Ok(artifacts.into_iter().map(|a| Artifact::copy(a.path.clone(), self.dir.join(&a.path))).collect())
    }

    /// Writes what is not written yet and swaps the folder in for `out`,
    /// with the files `out` holds under `kept` paths carried over (those
    /// written or removed there up to the swap too). Returns the kept
    /// files that gave way to an artifact at their path (or needing a
    /// folder there), gone with the old output.
    pub fn finish(mut self, artifacts: &[Artifact], kept: &Kept) -> Result<Vec<String>> {
        write_all(&self.dir, self.previous.as_deref(), artifacts)?;
        let occupied = Occupied::new(artifacts.iter().map(|a| a.path.as_str()));
        let carried = if self.out.is_dir() {
            keep::carry_over(kept, &self.out, &self.dir, &occupied)?
        } else {
            Carried::default()
        };
        let swapped = swap_in(&self.out, &self.dir, &self.aside);
        self.finished = swapped.is_ok();
        let had_previous = swapped?;
        if had_previous {
            keep::catch_up(kept, &self.aside, &self.out, &occupied, &carried)?;
            remove_tree(&self.aside)?;
        }
        Ok(carried.displaced)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Puts back or clears what killed builds left beside `out`, for a build
/// that writes nothing (one that writes does it first).
pub fn clear_leftovers(out: &Path) -> Result<()> {
    let (parent, name) = parent_and_name(out);
    recover_interrupted(out, &parent, &name)
}

fn parent_and_name(out: &Path) -> (PathBuf, String) {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    (parent, name)
}

/// A build killed mid-way leaves its staging folder behind, and one killed
/// between the two renames of the swap leaves the previous output aside:
/// put that back and clear the leftovers before writing again.
fn recover_interrupted(out: &Path, parent: &Path, name: &str) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(parent) else { return Ok(()) };
    let mut leftovers: Vec<(PathBuf, bool)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            let rest = file.strip_prefix(&format!(".{name}."))?;
            let is_old = rest.starts_with("old-");
            (is_old || rest.starts_with("partial-")).then(|| (e.path(), is_old))
        })
        .collect();
    leftovers.sort();
    for (path, is_old) in leftovers {
        if is_old && !out.exists() {
            std::fs::rename(&path, out).map_err(|e| Error::io(&path, e))?;
        } else {
            remove_dir_if_exists(&path)?;
        }
    }
    Ok(())
}

/// Writes every artifact under `staging`, or hard-links it from `previous`
/// (the output being replaced) when that holds the same bytes already.
/// Artifacts already written there ([`Staging::write_now`]) stay as they are.
fn write_all(staging: &Path, previous: Option<&Path>, artifacts: &[Artifact]) -> Result<()> {
    let written = |artifact: &Artifact| matches!(&artifact.contents, Contents::Copy(source) if *source == staging.join(&artifact.path));
    // Folders of files written already exist: on slow file systems each
    // needless `mkdir` costs as much as writing a small file.
    let mut dirs: Vec<PathBuf> = artifacts
        .iter()
        .filter(|a| !written(a))
        .filter_map(|a| Path::new(&a.path).parent().map(|p| staging.join(p)))
        .collect();
    dirs.dedup();
    dirs.par_iter().try_for_each(|dir| std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e)))?;
    artifacts.par_iter().try_for_each(|artifact| {
        if written(artifact) {
            return Ok(());
        }
        let target = staging.join(&artifact.path);
        if let Some(previous) = previous {
            let old = previous.join(&artifact.path);
            if holds_already(&old, &artifact.contents) && std::fs::hard_link(&old, &target).is_ok() {
                return Ok(());
            }
        }
        match &artifact.contents {
            Contents::Bytes(bytes) => std::fs::write(&target, bytes).map_err(|e| Error::io(&target, e)),
            Contents::Copy(source) => std::fs::copy(source, &target).map(|_| ()).map_err(|e| Error::io(source, e)),
        }
    })
}

/// Whether the regular file at `old` holds exactly `contents` (any doubt: no).
fn holds_already(old: &Path, contents: &Contents) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(old) else { return false };
    if !meta.is_file() {
        return false;
    }
    match contents {
        Contents::Bytes(bytes) => meta.len() == bytes.len() as u64 && std::fs::read(old).is_ok_and(|b| b == *bytes),
        Contents::Copy(source) => {
            std::fs::metadata(source).is_ok_and(|m| m.len() == meta.len())
                && matches!((std::fs::read(old), std::fs::read(source)), (Ok(a), Ok(b)) if a == b)
        }
    }
}

/// Replace `out` by `staging`: the old copy is moved aside first (the
/// caller removes it once the new one is in place). Whether there was one.
fn swap_in(out: &Path, staging: &Path, aside: &Path) -> Result<bool> {
    remove_dir_if_exists(aside)?;
    let had_previous = out.exists();
    if had_previous {
        std::fs::rename(out, aside).map_err(|e| Error::io(out, e))?;
    }
    if let Err(e) = std::fs::rename(staging, out) {
        if had_previous {
            let _ = std::fs::rename(aside, out);
        }
        return Err(Error::io(out, e));
    }
    Ok(had_previous)
}

/// Removes a folder and everything in it, its top-level entries in parallel
/// (one per language, mostly): file systems that discard freed blocks make
/// each removal wait on the disk, and the waits overlap.
fn remove_tree(dir: &Path) -> Result<()> {
    // Never through a link: that would empty the folder it leads to.
    if std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return std::fs::remove_file(dir).map_err(|e| Error::io(dir, e));
    }
    let entries: Vec<std::fs::DirEntry> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.collect::<std::io::Result<_>>().map_err(|e| Error::io(dir, e))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    entries.par_iter().try_for_each(|entry| {
        let path = entry.path();
        let removed = match entry.file_type() {
            Ok(kind) if kind.is_dir() => std::fs::remove_dir_all(&path),
            _ => std::fs::remove_file(&path),
        };
        removed.map_err(|e| Error::io(&path, e))
    })?;
    std::fs::remove_dir(dir).map_err(|e| Error::io(dir, e))
}

fn remove_dir_if_exists(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(dir, e)),
        _ => Ok(()),
    }
}

/// How long a fingerprint is: the first hex digits of the SHA-256.
pub const FINGERPRINT_HEX_DIGITS: usize = 10;

/// Short content hash for fingerprinted file names.
pub fn fingerprint(bytes: &[u8]) -> String {
    crate::digest::hex(&crate::digest::Sha256::digest(bytes)[..FINGERPRINT_HEX_DIGITS / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colliding_paths_are_an_error() {
        let err =
            collect(vec![Artifact::bytes("a/index.html", "x"), Artifact::bytes("a/index.html", "y")]).unwrap_err();
        assert!(err.to_string().contains("a/index.html"));
    }

    #[test]
    fn paths_that_leave_the_output_are_refused() {
        for bad in ["../x", "/etc/passwd", "a/../../b", "a//b"] {
            assert!(collect(vec![Artifact::bytes(bad, "x")]).is_err(), "{bad}");
        }
    }

    #[test]
    fn writing_swaps_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[Artifact::bytes("a/b.txt", "one")]).unwrap();
        write_site(&out, &[Artifact::bytes("c.txt", "two")]).unwrap();
        assert!(!out.join("a/b.txt").exists());
        assert_eq!(std::fs::read_to_string(out.join("c.txt")).unwrap(), "two");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders are cleaned up");
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_keeps_unchanged_files_and_writes_changed_ones() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let image = dir.path().join("cat.png");
        std::fs::write(&image, "meow").unwrap();
        let site = |text: &str| {
            vec![
                marker(),
                Artifact::bytes("a/same.txt", "same"),
                Artifact::bytes("b.txt", text),
                Artifact::copy("cat.png", &image),
            ]
        };
        write_site(&out, &site("old")).unwrap();
        let inode = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
        let (same, image_inode, changed) = (inode("a/same.txt"), inode("cat.png"), inode("b.txt"));
        write_site(&out, &site("new")).unwrap();
        assert_eq!((inode("a/same.txt"), inode("cat.png")), (same, image_inode), "unchanged files are kept");
        assert_ne!(inode("b.txt"), changed);
        assert_eq!(std::fs::read_to_string(out.join("b.txt")).unwrap(), "new");
        assert_eq!(std::fs::metadata(out.join("a/same.txt")).unwrap().nlink(), 1, "the previous output is gone");
        // A folder infrared did not write lends nothing to the new output.
        std::fs::remove_file(out.join(MARKER)).unwrap();
        write_site(&out, &site("new")).unwrap();
        assert_ne!(inode("a/same.txt"), same);
    }

    #[test]
    fn an_interrupted_swap_is_recovered() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[Artifact::bytes("a.txt", "old")]).unwrap();
        // As if killed between the renames: the output aside, a staging folder left.
        std::fs::rename(&out, dir.path().join(".public.old-1")).unwrap();
        std::fs::create_dir_all(dir.path().join(".public.partial-2/x")).unwrap();
        write_site(&out, &[Artifact::bytes("b.txt", "new")]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("b.txt")).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["public"]);
    }

    #[test]
    fn output_folder_must_be_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("content")).unwrap();
        assert!(check_output_folder(&site.join("public"), &site, false, &Kept::default()).is_ok());
        for bad in
            [site.clone(), site.join("content"), site.join("content/out"), dir.path().to_path_buf(), PathBuf::from("/")]
        {
            assert!(check_output_folder(&bad, &site, false, &Kept::default()).is_err(), "{}", bad.display());
            assert!(
                check_output_folder(&bad, &site, true, &Kept::default()).is_err(),
                "--force does not allow {}",
                bad.display()
            );
        }
        let foreign = dir.path().join("photos");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("cat.jpg"), "meow").unwrap();
        assert!(check_output_folder(&foreign, &site, false, &Kept::default()).is_err());
        assert!(check_output_folder(&foreign, &site, true, &Kept::default()).is_ok());
        std::fs::write(foreign.join(MARKER), MARKER_TEXT).unwrap();
        assert!(check_output_folder(&foreign, &site, false, &Kept::default()).is_ok());
    }

    #[test]
    fn kept_paths_do_not_make_a_folder_foreign() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("www");
        let acme = [".well-known/acme-challenge"];
        std::fs::create_dir_all(out.join(".well-known/acme-challenge")).unwrap();
        std::fs::write(out.join(".well-known/acme-challenge/token"), "t").unwrap();
        assert!(check_not_foreign(&out, false, &acme, "").is_ok());
        assert!(check_not_foreign(&out, false, &[], "").is_err(), "a build keeps nothing");
        // Anything else beside it, even on the way to it, is someone's.
        std::fs::write(out.join(".well-known/security.txt"), "s").unwrap();
        assert!(check_not_foreign(&out, false, &acme, "").is_err());
        std::fs::remove_file(out.join(".well-known/security.txt")).unwrap();
        std::fs::write(out.join(".well-known-notes"), "n").unwrap();
        assert!(check_not_foreign(&out, false, &acme, "").is_err());
        std::fs::remove_file(out.join(".well-known-notes")).unwrap();
        // A file where the way to a kept path should be a folder.
        std::fs::remove_dir_all(out.join(".well-known")).unwrap();
        std::fs::write(out.join(".well-known"), "a file").unwrap();
        assert!(check_not_foreign(&out, false, &acme, "").is_err());
    }

    #[test]
    fn a_failed_write_keeps_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[Artifact::bytes("keep.txt", "old")]).unwrap();
        let missing = Artifact::copy("x.png", dir.path().join("does-not-exist.png"));
        assert!(write_site(&out, &[Artifact::bytes("new.txt", "new"), missing]).is_err());
        assert_eq!(std::fs::read_to_string(out.join("keep.txt")).unwrap(), "old");
        assert!(!out.join("new.txt").exists());
    }
}
