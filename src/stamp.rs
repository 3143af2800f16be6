//! Skipping a build that would change nothing. A build leaves a stamp in
//! the search cache beside its output: a fingerprint of everything it read
//! (site files, git history, options, infrared itself), a digest of what
//! the output folder held once written, and the build's report. The next
//! build into that folder, if both still match, shows the stored report and
//! writes nothing.
//!
//! Any doubt means a full build: a file or git state that cannot be read, a
//! symbolic link leaving its folder, a stamp that does not parse, an output
//! folder touched since (a file added, removed, written or even `touch`ed).

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::digest::{digest_all, hex, Digest, Sha256};
use crate::error::CollectInOrder;
use crate::keep::Kept;

const STAMP_FILE: &str = "build-stamp.json";
/// Changes whenever what goes into a fingerprint does.
const FORMAT: &str = "infrared build stamp 1";
/// The site's folders a build reads, besides `site.toml`.
const INPUT_FOLDERS: [&str; 5] = ["content", "static", "templates", "themes", "i18n"];

/// The digest of everything a build reads, as hex.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fingerprint(String);

#[derive(serde::Serialize, serde::Deserialize)]
struct Stamp<R> {
    format: String,
    inputs: Fingerprint,
    output: String,
    report: R,
}

/// The fingerprint of a build of the site at `root` with `options` (every
/// option that changes the output, as text); `None` when some input cannot
/// be read, which rules out skipping.
pub fn fingerprint(root: &Path, options: &str) -> Option<Fingerprint> {
    let mut hasher = Sha256::new();
    let mut add = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    add(FORMAT.as_bytes());
    add(env!("CARGO_PKG_VERSION").as_bytes());
    add(executable_identity()?.as_bytes());
    add(std::env::current_dir().ok()?.as_os_str().as_encoded_bytes());
    add(root.as_os_str().as_encoded_bytes());
    add(options.as_bytes());
    add(&file_digest(&root.join(crate::config::CONFIG_FILE))?);
    for folder in INPUT_FOLDERS {
        add(&folder_digest(&root.join(folder))?);
    }
    add(git_digest(root)?.as_bytes());
    Some(Fingerprint(hex(&hasher.finalize())))
}

/// The stored report of the build that left `out` as it is, if that build
/// had this fingerprint and nothing in `out` changed since.
pub fn up_to_date<R: serde::de::DeserializeOwned>(out: &Path, inputs: &Fingerprint, kept: &Kept) -> Option<R> {
    let text = std::fs::read(stamp_path(out)).ok()?;
    let stamp: Stamp<R> = serde_json::from_slice(&text).ok()?;
    (stamp.format == FORMAT && stamp.inputs == *inputs && output_digest(out, kept)? == stamp.output)
        .then_some(stamp.report)
}

/// Removes the stamp of `out`, before the output changes.
pub fn forget(out: &Path) {
    let _ = std::fs::remove_file(stamp_path(out));
}

/// Stamps `out`, just written by a build with this fingerprint and report;
/// `output` is its [`output_digest`] once written. Best effort: without a
/// stamp the next build is a full one.
pub fn write<R: serde::Serialize>(out: &Path, inputs: Fingerprint, output: String, report: R) {
    let stamp = Stamp { format: FORMAT.to_string(), inputs, output, report };
    let Ok(json) = serde_json::to_vec(&stamp) else { return };
    let path = stamp_path(out);
    let partial = path.with_extension(format!("partial-{}", std::process::id()));
    let written = path.parent().is_some_and(|dir| std::fs::create_dir_all(dir).is_ok())
        && std::fs::write(&partial, json).is_ok()
        && std::fs::rename(&partial, &path).is_ok();
    if !written {
        let _ = std::fs::remove_file(&partial);
    }
}

fn stamp_path(out: &Path) -> PathBuf {
    crate::search::cache_dir(out).join(STAMP_FILE)
}

/// The running binary: a rebuilt infrared may write other output.
fn executable_identity() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    Some(format!("{} {}", exe.display(), stat_text(&meta)))
}

/// What a file's metadata says about its identity and last change.
#[cfg(unix)]
fn stat_text(meta: &std::fs::Metadata) -> String {
    use std::os::unix::fs::MetadataExt;
    format!(
        "{:o} {} {} {}.{} {}.{} {}",
        meta.mode(),
        meta.len(),
        meta.ino(),
        meta.mtime(),
        meta.mtime_nsec(),
        meta.ctime(),
        meta.ctime_nsec(),
        meta.nlink()
    )
}

#[cfg(not(unix))]
fn stat_text(meta: &std::fs::Metadata) -> String {
    format!("{} {:?} {:?}", meta.len(), meta.modified().ok(), meta.file_type())
}

/// SHA-256 of a file's bytes, or of "absent" for a file that does not exist.
fn file_digest(path: &Path) -> Option<Vec<u8>> {
    match std::fs::read(path) {
        Ok(bytes) => Some(Sha256::digest(&bytes).to_vec()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(Sha256::digest(b"absent").to_vec()),
        Err(_) => None,
    }
}

/// How many input files a thread reads before hashing them together.
const FILES_HASHED_TOGETHER: usize = 64;

/// Every entry under `dir` (links followed as the build follows them), its
/// relative path, kind and, for files, contents. Hidden files count too.
fn folder_digest(dir: &Path) -> Option<Vec<u8>> {
    if !dir.exists() {
        return file_digest(dir);
    }
    let inside = dir.canonicalize().ok()?;
    let mut entries = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        let entry = entry.ok()?;
        // A link leaving the folder stops the build; never hash what it leads to.
        if entry.path_is_symlink() && !entry.path().canonicalize().ok()?.starts_with(&inside) {
            return None;
        }
        let rel = crate::urls::relative_slash_path(dir, entry.path());
        entries.push((rel, entry.file_type().is_file(), entry.into_path()));
    }
    // Files are read a chunk at a time and hashed side by side
    // (`digest_all`); folders have no digest.
    let chunks: Vec<Vec<Option<Digest>>> = entries
        .par_chunks(FILES_HASHED_TOGETHER)
        .map(|chunk| {
            let files = chunk
                .iter()
                .filter(|(_, is_file, _)| *is_file)
                .map(|(_, _, path)| std::fs::read(path).map_err(|e| crate::error::Error::io(path, e)))
                .collect::<crate::error::Result<Vec<_>>>()?;
            let files: Vec<&[u8]> = files.iter().map(Vec::as_slice).collect();
            let mut digests = digest_all(&files).into_iter();
            Ok(chunk.iter().map(|(_, is_file, _)| is_file.then(|| digests.next()).flatten()).collect())
        })
        .collect_in_order()
        .ok()?;
    let digests = chunks.into_iter().flatten();
    let mut hasher = Sha256::new();
    for ((rel, is_file, _), digest) in entries.iter().zip(digests) {
        let digest = digest.as_ref().map_or(&[][..], |d| &d[..]);
        hasher.update(format!("{rel}\0{is_file}\0{}\0", digest.len()));
        hasher.update(digest);
    }
    Some(hasher.finalize().to_vec())
}

/// What git says that the output shows: the commit `manifest.json` names,
/// and the content folder's history and uncommitted files, which decide
/// translations' freshness. Outside a repository, just that.
fn git_digest(root: &Path) -> Option<String> {
    let commit = crate::mirror::git::source_commit(root);
    let content = root.join("content");
    let Some(repo) = crate::git::Repo::open(&content) else {
        return Some(format!("commit {commit:?}, no repository at content/"));
    };
    let history = repo.history()?;
    let mut hasher = Sha256::new();
    hasher.update(format!("commit {commit:?} shallow {}\0", repo.shallow));
    std::hash::Hash::hash(&history, &mut ShaHasher(&mut hasher));
    Some(hex(&hasher.finalize()))
}

/// Every entry of the output folder and of the search indexes beside it
/// (`infrared search` reads them), with their metadata: any change to them
/// since they were stamped changes this. Except what others write under
/// `kept` paths (certbot's tokens always), which builds carry over: a
/// renewal between two builds is no reason to build again.
pub fn output_digest(out: &Path, kept: &Kept) -> Option<String> {
    let mut hasher = Sha256::new();
    let indexes = crate::search::cache_dir(out).join("search");
    for dir in [out, indexes.as_path()] {
        if dir != out && !dir.exists() {
            hasher.update("no search indexes\0");
            continue;
        }
        for (rel, stat) in entries_with_metadata(dir, "")? {
            if dir == out && kept.covers_or_holds(&rel) {
                continue;
            }
            hasher.update(format!("{rel}\0{stat}\0"));
        }
        hasher.update("\0\0");
    }
    Some(hex(&hasher.finalize()))
}

/// Every entry under `dir` (links not followed), as its path below it
/// (prefixed by `rel`) and its metadata, in name order, each folder before
/// what it holds. Folders are read side by side and each entry's metadata
/// is asked of its folder's handle, not by its whole path: after a build of
/// 5000 pages this walk over ~50,000 entries took a second on one core.
fn entries_with_metadata(dir: &Path, rel: &str) -> Option<Vec<(String, String)>> {
    let mut entries = std::fs::read_dir(dir).ok()?.collect::<std::io::Result<Vec<_>>>().ok()?;
    entries.sort_by_key(|e| e.file_name());
    let lists: Option<Vec<Vec<(String, String)>>> = entries
        .par_iter()
        .map(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let path = if rel.is_empty() { name.into_owned() } else { format!("{rel}/{name}") };
            let meta = entry.metadata().ok()?;
            let below = if meta.is_dir() { entries_with_metadata(&entry.path(), &path)? } else { Vec::new() };
            Some(std::iter::once((path, stat_text(&meta))).chain(below).collect())
        })
        .collect();
    Some(lists?.into_iter().flatten().collect())
}

/// Feeds a value's `Hash` into SHA-256. The bytes may change between
/// Rust versions, but a new infrared binary changes the fingerprint anyway.
struct ShaHasher<'a>(&'a mut Sha256);

impl std::hash::Hasher for ShaHasher<'_> {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    fn finish(&self) -> u64 {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_digest_follows_names_and_contents() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("content");
        std::fs::create_dir_all(folder.join("a")).unwrap();
        std::fs::write(folder.join("a/page.md"), "one").unwrap();
        let first = folder_digest(&folder).unwrap();
        std::fs::write(folder.join("a/page.md"), "two").unwrap();
        let edited = folder_digest(&folder).unwrap();
        std::fs::rename(folder.join("a/page.md"), folder.join("a/other.md")).unwrap();
        let renamed = folder_digest(&folder).unwrap();
        std::fs::create_dir(folder.join("b")).unwrap();
        let with_folder = folder_digest(&folder).unwrap();
        assert!(first != edited && edited != renamed && renamed != with_folder);
        assert_eq!(folder_digest(&folder).unwrap(), with_folder);
        assert_ne!(folder_digest(&dir.path().join("missing")).unwrap(), with_folder);
    }

    #[test]
    fn the_output_digest_lists_every_entry_in_walk_order_and_notices_a_touch() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for file in ["b/z.html", "b/a/index.html", "a.txt", "b.txt", "c/d/e/f.txt", "b-c/x"] {
            std::fs::create_dir_all(out.join(file).parent().unwrap()).unwrap();
            std::fs::write(out.join(file), file).unwrap();
        }
        let walked: Vec<String> = walkdir::WalkDir::new(&out)
            .min_depth(1)
            .sort_by_file_name()
            .into_iter()
            .map(|e| crate::urls::relative_slash_path(&out, e.unwrap().path()))
            .collect();
        let listed: Vec<String> = entries_with_metadata(&out, "").unwrap().into_iter().map(|(rel, _)| rel).collect();
        assert_eq!(listed, walked);
        assert_eq!(listed.len(), 12);
        let before = output_digest(&out, &Kept::default()).unwrap();
        assert_eq!(output_digest(&out, &Kept::default()).unwrap(), before);
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::File::options().write(true).open(out.join("c/d/e/f.txt")).unwrap().set_modified(later).unwrap();
        assert_ne!(
            output_digest(&out, &Kept::default()).unwrap(),
            before,
            "a touched file deep down changes the digest"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_leaving_the_folder_rules_out_a_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("content");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), folder.join("link.txt")).unwrap();
        assert!(folder_digest(&folder).is_none());
    }
}
