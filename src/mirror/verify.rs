//! `infrared verify DIR|URL`: is this copy exactly what was published? The
//! signature of `SHA256SUMS` first (when a key is known), then every file's
//! hash, and for a folder, that nothing unlisted was slipped in (but under
//! the paths the admin says are theirs, `--keep`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::error::Result;

use super::fetch::{run_parallel, FetchError, Source};
use super::manifest::{sha256_hex, SIGNATURE_FILE, SUMS_FILE};
use super::sign::{Signer, TrustedKey};
use super::Published;
use crate::keep::Kept;

/// Largest file read when `manifest.json` gives no size.
const DEFAULT_FILE_LIMIT: u64 = 4 * 1024 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Problem {
    /// Its bytes differ from its hash in `SHA256SUMS`.
    Changed(String),
    Missing(String),
    /// In the folder but not in `SHA256SUMS`.
    Unlisted(String),
    /// Could not be read: why.
    Unreadable(String, String),
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Changed(p) => write!(f, "changed: {p} (its hash differs from {SUMS_FILE})"),
            Problem::Missing(p) => write!(f, "missing: {p}"),
            Problem::Unlisted(p) => write!(f, "unlisted: {p} (not in {SUMS_FILE})"),
            Problem::Unreadable(p, why) => write!(f, "unreadable: {p}: {why}"),
        }
    }
}

#[derive(Debug)]
pub struct Report {
    /// Who signed; `None` when no key was known and the signature was not checked.
    pub signer: Option<Signer>,
    pub files: usize,
    pub problems: Vec<Problem>,
    /// Whether unlisted files could be looked for (only in a folder).
    pub looked_for_unlisted: bool,
    /// Unlisted files under kept paths, not counted as problems.
    pub kept: usize,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks the copy `source`; `local` is its folder when it is one, where
/// unlisted files under `kept` paths are counted apart. A bad signature or
/// unreadable `SHA256SUMS` is an error: nothing else can be trusted.
pub fn verify(
    source: &dyn Source,
    local: Option<&Path>,
    kept: &Kept,
    keys: &[TrustedKey],
    jobs: usize,
) -> Result<Report> {
    let published = Published::read(source, keys, Some(&|_| Vec::new()))?;
    let sizes = published.sizes();
    let results = run_parallel(&published.entries, jobs, |(path, hash)| {
        let limit = sizes.get(path.as_str()).copied().unwrap_or(DEFAULT_FILE_LIMIT);
        let problem = match source.fetch(path, limit) {
            Ok(bytes) if sha256_hex(&bytes) == *hash => None,
            Ok(_) | Err(FetchError::TooLarge(_)) => Some(Problem::Changed(path.clone())),
            Err(FetchError::NotFound) => Some(Problem::Missing(path.clone())),
            Err(FetchError::Failed(why)) => Some(Problem::Unreadable(path.clone(), why)),
        };
        (problem, false)
    });
    let mut problems: Vec<Problem> = results.into_iter().flatten().flatten().collect();
    let mut kept_files = 0;
    if let Some(dir) = local {
        let (others, theirs): (Vec<Problem>, Vec<Problem>) = unlisted(dir, &published.entries)
            .into_iter()
            .partition(|p| !matches!(p, Problem::Unlisted(path) if kept.covers(path)));
        problems.extend(others);
        kept_files = theirs.len();
    }
    problems.sort();
    Ok(Report {
        signer: published.signer,
        files: published.entries.len(),
        problems,
        looked_for_unlisted: local.is_some(),
        kept: kept_files,
    })
}

/// Files in `dir` that `SHA256SUMS` does not list (besides itself and its signature).
fn unlisted(dir: &Path, entries: &[(String, String)]) -> Vec<Problem> {
    let listed: BTreeSet<&str> = entries.iter().map(|(p, _)| p.as_str()).collect();
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().map(|p| p.display().to_string()).unwrap_or_default();
                found.push(Problem::Unreadable(path, e.to_string()));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = crate::urls::relative_slash_path(dir, entry.path());
        if rel != SUMS_FILE && rel != SIGNATURE_FILE && !listed.contains(rel.as_str()) {
            found.push(Problem::Unlisted(rel));
        }
    }
    found
}

/// Problems grouped by kind, for a short summary line.
pub fn count_by_kind(problems: &[Problem]) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for problem in problems {
        let kind = match problem {
            Problem::Changed(_) => "changed",
            Problem::Missing(_) => "missing",
            Problem::Unlisted(_) => "unlisted",
            Problem::Unreadable(..) => "unreadable",
        };
        *counts.entry(kind).or_insert(0) += 1;
    }
    counts
}
