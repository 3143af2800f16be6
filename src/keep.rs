//! What `build` and `mirror pull` carry over from the folder they replace
//! into the new one. Both swap a whole new tree in, so files that others
//! write into the served folder would go with the old one: certbot's tokens
//! in `.well-known/acme-challenge/` (webroot mode) always are kept, and so
//! is whatever the admin names with `--keep`. The new tree wins: a kept
//! file on a path the site publishes (or where it needs a folder) gives
//! way, and is reported.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::error::{Error, Result};

/// Where ACME clients (certbot's webroot mode, acme.sh, dehydrated) put
/// the tokens a certificate authority fetches during a renewal.
pub const ACME_CHALLENGE: &str = ".well-known/acme-challenge";

/// Paths inside DIR, relative and `/`-separated, whose files a pull keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kept {
    paths: Vec<String>,
}

impl Kept {
    /// What a pull keeps, and `verify` takes for the admin's own rather
    /// than a sign of tampering: the ACME folder and `extra`, each checked
    /// by [`Kept::parse`].
    pub fn new(extra: &[String]) -> std::result::Result<Kept, String> {
        let mut paths = extra.iter().map(|p| Kept::parse(p)).collect::<std::result::Result<Vec<_>, _>>()?;
        paths.push(ACME_CHALLENGE.to_string());
        paths.sort();
        paths.dedup();
        Ok(Kept { paths })
    }

    /// A `--keep` value: a path inside DIR, `/`-separated; a trailing `/`
    /// is allowed and dropped.
    pub fn parse(arg: &str) -> std::result::Result<String, String> {
        let path = arg.trim_end_matches('/');
        let bad = path.is_empty()
            || path.starts_with('/')
            || path.contains('\\')
            || path.split('/').any(|part| part.is_empty() || part == "." || part == "..");
        if bad {
            return Err(format!(
                "\"{arg}\" is not a path inside DIR: give it relative to DIR, without `..`, e.g. .well-known/security.txt"
            ));
        }
        Ok(path.to_string())
    }

    pub fn paths(&self) -> Vec<&str> {
        self.paths.iter().map(String::as_str).collect()
    }

    /// Whether `path` (relative to DIR) is a kept path or lies under one.
    pub fn covers(&self, path: &str) -> bool {
        self.paths
            .iter()
            .any(|k| path.strip_prefix(k.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
    }

    /// Whether `path` is kept, lies under a kept path, or is a folder
    /// holding one (certbot creates `.well-known/` for its tokens).
    pub fn covers_or_holds(&self, path: &str) -> bool {
        self.covers(path) || self.paths.iter().any(|k| k.strip_prefix(path).is_some_and(|rest| rest.starts_with('/')))
    }

    /// Every file (or symbolic link, never followed) under a kept path in
    /// `dir`, relative to it, sorted. A kept folder that cannot be read is
    /// an error: carrying on would delete what it holds.
    pub fn files_in(&self, dir: &Path) -> Result<Vec<String>> {
        let mut files = BTreeSet::new();
        for kept in &self.paths {
            let start = dir.join(kept);
            if std::fs::symlink_metadata(&start).is_err() {
                continue;
            }
            for entry in walkdir::WalkDir::new(&start).follow_links(false).follow_root_links(false) {
                let entry = entry.map_err(|e| {
                    let path = e.path().unwrap_or(&start).to_path_buf();
                    Error::input(
                        &path,
                        None,
                        format!("cannot read a folder kept across builds and pulls: {e}"),
                        "make it readable by the user running infrared, or the swap would delete what it holds",
                    )
                })?;
                if !entry.file_type().is_dir() {
                    files.insert(crate::urls::relative_slash_path(dir, entry.path()));
                }
            }
        }
        Ok(files.into_iter().collect())
    }
}

/// The paths a signed copy occupies: its files, and the folders they need.
pub struct Occupied {
    files: BTreeSet<String>,
    folders: BTreeSet<String>,
}

impl Occupied {
    pub fn new<'a>(files: impl IntoIterator<Item = &'a str>) -> Occupied {
        let files: BTreeSet<String> = files.into_iter().map(str::to_string).collect();
        let folders = files.iter().flat_map(|f| ancestors(f).map(str::to_string)).collect();
        Occupied { files, folders }
    }

    /// Whether a kept file at `path` would stand where the signed copy has
    /// a file, a folder, or a file where it needs a folder.
    pub fn clashes_with(&self, path: &str) -> bool {
        self.files.contains(path) || self.folders.contains(path) || ancestors(path).any(|a| self.files.contains(a))
    }
}

/// `a/b/c` → `a/b`, `a`.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.char_indices().rev().filter(|(_, c)| *c == '/').map(move |(i, _)| &path[..i])
}

/// The files under kept paths linked from an old tree into a new one.
#[derive(Debug, Default)]
pub struct Carried {
    /// Path, and the file it was linked from (to tell later whether it changed).
    files: BTreeMap<String, Option<FileId>>,
    /// Kept files that gave way to the new tree's own file or folder at their path.
    pub displaced: Vec<String>,
}

impl Carried {
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Links `old`'s files under kept paths into `new` (both whole trees, made
/// on the same file system), except where `new` has a say (`occupied`): a
/// file of its own at that path, unless it is that very file linked from
/// `old`, or a folder. Call it when `new` is complete, before the swap.
pub fn carry_over(kept: &Kept, old: &Path, new: &Path, occupied: &Occupied) -> Result<Carried> {
    let mut carried = Carried::default();
    for path in kept.files_in(old)? {
        let (source, target) = (old.join(&path), new.join(&path));
        if occupied.clashes_with(&path) {
            if !is_same_file(&source, &target) {
                carried.displaced.push(path);
            }
            continue;
        }
        link_into_place(&source, &target)?;
        carried.files.insert(path, file_id(&source));
    }
    Ok(carried)
}

/// After the swap (`old` now aside, `new` in its place), brings what
/// changed under kept paths in `old` since [`carry_over`] (a token certbot
/// wrote or removed meanwhile) into `new`, before `old` is removed. A file
/// written into `new` since is left alone.
pub fn catch_up(kept: &Kept, old: &Path, new: &Path, occupied: &Occupied, carried: &Carried) -> Result<()> {
    let in_old = kept.files_in(old)?;
    for path in in_old.iter().filter(|p| !occupied.clashes_with(p)) {
        let (source, target) = (old.join(path), new.join(path));
        let linked = carried.files.get(path).copied().flatten();
        // The new tree's file is the one carried over, not one written since.
        let ours = linked.is_some() && file_id(&target) == linked;
        let missing = std::fs::symlink_metadata(&target).is_err();
        if missing || (ours && file_id(&source) != linked) {
            remove_if_same(&target, linked)?;
            link_into_place(&source, &target)?;
        }
    }
    let in_old: BTreeSet<&String> = in_old.iter().collect();
    for (path, linked) in &carried.files {
        if !in_old.contains(path) {
            remove_if_same(&new.join(path), *linked)?;
        }
    }
    Ok(())
}

/// (device, inode): the same file under two names, as hard links are.
type FileId = (u64, u64);

fn file_id(path: &Path) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::symlink_metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Whether `a` and `b` are one file (a hard link), or, where that cannot
/// be told, hold the same bytes.
fn is_same_file(a: &Path, b: &Path) -> bool {
    match (file_id(a), file_id(b)) {
        (Some(a), Some(b)) => a == b,
        _ => matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y),
    }
}

/// Removes `path` if it is still the file `id` names (not one written
/// there since by someone else).
fn remove_if_same(path: &Path, id: Option<FileId>) -> Result<()> {
    if id.is_some() && file_id(path) == id {
        std::fs::remove_file(path).map_err(|e| Error::io(path, e))?;
    }
    Ok(())
}

fn link_into_place(source: &Path, target: &Path) -> Result<()> {
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    std::fs::hard_link(source, target)
        .or_else(|_| std::fs::copy(source, target).map(|_| ()))
        .map_err(|e| Error::io(target, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(path: &Path) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }

    /// Between assembling the new tree and the swap, certbot may write a
    /// token into the old tree, remove one, or write one again: the new
    /// tree ends as the old one was at the swap, and what is written into
    /// the new one meanwhile stays.
    #[cfg(unix)]
    #[test]
    fn kept_files_changed_around_the_swap_follow_it() {
        let root = tempfile::tempdir().unwrap();
        let (dir, next, aside) = (root.path().join("www"), root.path().join("next"), root.path().join("aside"));
        let token = |dir: &Path, name: &str| dir.join(".well-known/acme-challenge").join(name);
        for name in ["removed", "rewritten", "kept"] {
            write(&token(&dir, name), name);
        }
        write(&next.join("index.html"), "the new copy");
        let kept = Kept::new(&[]).unwrap();
        let occupied = Occupied::new(["index.html"]);
        let carried = carry_over(&kept, &dir, &next, &occupied).unwrap();
        assert_eq!(carried.len(), 3);
        std::fs::remove_file(token(&dir, "removed")).unwrap();
        std::fs::remove_file(token(&dir, "rewritten")).unwrap();
        write(&token(&dir, "rewritten"), "written again");
        write(&token(&dir, "appeared"), "appeared");
        std::fs::rename(&dir, &aside).unwrap();
        std::fs::rename(&next, &dir).unwrap();
        write(&token(&dir, "into the new copy"), "new");
        catch_up(&kept, &aside, &dir, &occupied, &carried).unwrap();
        let token = |name: &str| read(&token(&dir, name));
        assert_eq!(token("removed"), None);
        assert_eq!(token("rewritten").as_deref(), Some("written again"));
        assert_eq!(token("appeared").as_deref(), Some("appeared"));
        assert_eq!(token("kept").as_deref(), Some("kept"));
        assert_eq!(token("into the new copy").as_deref(), Some("new"));
        assert_eq!(read(&dir.join("index.html")).as_deref(), Some("the new copy"));
    }

    #[test]
    fn a_kept_file_gives_way_to_the_new_trees_own_unless_it_is_that_file() {
        let root = tempfile::tempdir().unwrap();
        let (old, new) = (root.path().join("old"), root.path().join("new"));
        let mine = ".well-known/acme-challenge/mine";
        let same = ".well-known/acme-challenge/same";
        write(&old.join(mine), "the admin's");
        write(&new.join(mine), "the site's");
        write(&old.join(same), "one file");
        std::fs::create_dir_all(new.join(".well-known/acme-challenge")).unwrap();
        std::fs::hard_link(old.join(same), new.join(same)).unwrap();
        let occupied = Occupied::new([mine, same]);
        let carried = carry_over(&Kept::new(&[]).unwrap(), &old, &new, &occupied).unwrap();
        assert_eq!(carried.displaced, [mine]);
        assert!(carried.is_empty());
        assert_eq!(read(&new.join(mine)).as_deref(), Some("the site's"));
    }

    #[test]
    fn keep_values_must_stay_inside_dir() {
        assert_eq!(Kept::parse(".well-known/security.txt/").unwrap(), ".well-known/security.txt");
        for bad in ["", "/", "/etc/passwd", "../x", "a/../../b", "a//b", "./a", "a\\b"] {
            assert!(Kept::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_acme_folder_is_always_kept() {
        let kept = Kept::new(&["notes/".into()]).unwrap();
        assert!(kept.covers(".well-known/acme-challenge/token"));
        assert!(kept.covers("notes") && kept.covers("notes/a.txt"));
        assert!(!kept.covers("notes.txt") && !kept.covers(".well-known/security.txt"));
        assert!(kept.covers_or_holds(".well-known") && kept.covers_or_holds(".well-known/acme-challenge/token"));
        assert!(!kept.covers_or_holds(".well") && !kept.covers_or_holds(".well-known/security.txt"));
        assert!(!kept.covers_or_holds("note") && !kept.covers_or_holds(""));
    }

    #[test]
    fn the_signed_copy_wins_every_kind_of_clash() {
        let occupied = Occupied::new(["en/index.html", "a/b"]);
        assert!(occupied.clashes_with("en/index.html"), "the same file");
        assert!(occupied.clashes_with("en"), "a file where the site has a folder");
        assert!(occupied.clashes_with("a/b/c"), "a folder where the site has a file");
        assert!(!occupied.clashes_with("en/mine.txt") && !occupied.clashes_with("a/c"));
    }
}
