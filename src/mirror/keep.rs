//! What `mirror pull` carries over from DIR into the new copy. The swap
//! replaces DIR whole, so files that others write into the served folder
//! would go with the old copy: certbot's tokens in
//! `.well-known/acme-challenge/` (webroot mode) always are kept, and so is
//! whatever the admin names with `--keep`. The signed copy wins: a kept
//! file on a path the site publishes (or where it needs a folder) gives way,
//! and is reported.

use std::collections::BTreeSet;
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
    /// What a pull keeps: the ACME folder and `extra`, each checked by
    /// [`Kept::parse`].
    pub fn new(extra: &[String]) -> std::result::Result<Kept, String> {
        let mut named = Kept::named(extra)?;
        named.paths.push(ACME_CHALLENGE.to_string());
        named.paths.sort();
        named.paths.dedup();
        Ok(named)
    }

    /// Only the paths named, each checked by [`Kept::parse`] (`verify
    /// --keep`: an admin's own files are no sign of tampering).
    pub fn named(paths: &[String]) -> std::result::Result<Kept, String> {
        let mut paths = paths.iter().map(|p| Kept::parse(p)).collect::<std::result::Result<Vec<_>, _>>()?;
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
                        format!("cannot read a folder the pull keeps: {e}"),
                        "make it readable by the user running the pull, or the swap would delete what it holds",
                    )
                })?;
                if !entry.file_type().is_dir() {
                    files.insert(crate::content::relative_slash_path(dir, entry.path()));
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

#[cfg(test)]
mod tests {
    use super::*;

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
