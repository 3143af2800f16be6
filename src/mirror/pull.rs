//! `infrared mirror pull URL DIR`: update a mirror from another one over
//! plain HTTP(S). The signed list comes first; then only files whose hash
//! differs from DIR's are fetched, each checked against its size and hash,
//! and kept in a staging folder beside DIR (`.DIR.pull/objects/<sha256>`), so
//! a run that fails resumes where it stopped. The new tree is assembled
//! beside DIR (hard links, no copies) and swapped in by renaming: until then
//! DIR is untouched, and on any fault it stays exactly as it was. Files
//! others write into DIR under kept paths (`keep`: certbot's ACME tokens,
//! `--keep`) go into the new tree too, and those written during the swap
//! follow it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::lock::ProcessLock;
use crate::output;

use super::fetch::{run_parallel, FetchError, HttpSource, Source};
use super::manifest::{hash_file, sha256_hex, Manifest, MANIFEST_FILE, SIGNATURE_FILE, SUMS_FILE};
use super::sign::{Signer, TrustedKey};
use super::{Progress as ProgressFn, Published};
use crate::keep::{self, Kept, Occupied};

pub struct PullOptions<'a> {
    pub url: &'a str,
    pub dir: &'a Path,
    pub keys: &'a [TrustedKey],
    /// Files fetched at once.
    pub jobs: usize,
    /// To connect, to get an answer, and between two reads.
    pub timeout: Duration,
    /// Replace DIR even when it holds files infrared did not write.
    pub force: bool,
    /// Replace DIR even by a build of an older commit than the one it holds.
    pub allow_older: bool,
    /// Paths of DIR whose files the new copy keeps.
    pub kept: &'a Kept,
}

#[derive(Debug, Clone)]
pub struct PullReport {
    pub dir: PathBuf,
    pub signer: Signer,
    pub files: usize,
    pub total_bytes: u64,
    /// Files whose bytes were downloaded in this run, and how many bytes.
    pub fetched: usize,
    pub fetched_bytes: u64,
    /// `SHA256SUMS`, its signature and `manifest.json`: read on every run.
    pub list_bytes: u64,
    /// Downloaded by an earlier, interrupted run.
    pub from_cache: usize,
    /// Unchanged in DIR.
    pub kept: usize,
    /// In DIR before, gone from the new copy.
    pub removed: usize,
    /// DIR's own files under kept paths, carried over into the new copy.
    pub carried_over: usize,
    /// Files under kept paths that gave way to the signed copy, which
    /// publishes a file (or needs a folder) at their path.
    pub displaced: Vec<String>,
    /// Nothing to change: DIR was left alone.
    pub up_to_date: bool,
}

/// Where a file of the new copy comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Kept,
    Cached,
    Fetch,
}

struct Wanted {
    path: String,
    size: u64,
    sha256: String,
    origin: Origin,
}

/// The folders beside DIR that a pull uses.
struct Layout {
    dir: PathBuf,
    staging: PathBuf,
    objects: PathBuf,
    next: PathBuf,
    aside: PathBuf,
}

impl Layout {
    fn new(dir: &Path) -> Result<Layout> {
        let absolute = std::path::absolute(output::target_folder(dir)).map_err(|e| Error::io(dir, e))?;
        let name = absolute.file_name().map(|n| n.to_string_lossy().into_owned()).ok_or_else(|| {
            Error::input(
                dir,
                None,
                "cannot pull into a root folder",
                "name a folder to hold the copy, e.g. /var/www/infrared",
            )
        })?;
        let parent = absolute.parent().expect("a named folder has a parent").to_path_buf();
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let staging = parent.join(format!(".{name}.pull"));
        Ok(Layout {
            dir: absolute,
            objects: staging.join("objects"),
            next: staging.join("next"),
            aside: parent.join(format!(".{name}.old")),
            staging,
        })
    }

    fn object(&self, sha256: &str) -> PathBuf {
        self.objects.join(sha256)
    }
}

pub fn pull(options: &PullOptions, progress: ProgressFn) -> Result<PullReport> {
    if options.keys.is_empty() {
        return Err(Error::input(
            options.dir,
            None,
            "no public key to check the copy's signature with",
            "pass --public-key FILE (the network's key, from a source you trust), or run in a site folder whose site.toml lists [mirror] public_keys",
        ));
    }
    // The swap replaces DIR whole: never a folder of other files.
    output::check_not_shared(options.dir, "name a folder of its own for the copy, e.g. /var/www/infrared")?;
    output::check_not_foreign(
        options.dir,
        options.force,
        &options.kept.paths(),
        "name a folder of its own for the copy (new, or a mirror pulled before), or pass --force to replace this one (or --keep the paths that must stay)",
    )?;
    let layout = Layout::new(options.dir)?;
    let _lock = take_lock(&layout)?;
    recover_interrupted_swap(&layout)?;
    progress("Fetching the signed list of files", 0, 0);
    let remote = HttpSource::new(options.url, options.timeout);
    let published = read_lists(&remote, &layout, options.keys)?;
    if !options.allow_older {
        refuse_going_back(&remote, &layout, &published)?;
    }
    let wanted = plan(&layout, &published, progress);
    let mut report = first_report(&layout, &published, &wanted, options.kept);
    if report.up_to_date {
        remove_dir(&layout.staging)?;
        return Ok(report);
    }
    (report.fetched, report.fetched_bytes) = fetch_missing(&remote, &layout, &wanted, options.jobs, progress)?;
    progress("Assembling the new copy", 0, 0);
    assemble(&layout, &published, &wanted)?;
    let occupied = occupied_by(&published);
    let carried = keep::carry_over(options.kept, &layout.dir, &layout.next, &occupied)?;
    (report.carried_over, report.displaced) = (carried.len(), carried.displaced.clone());
    swap_in(&layout)?;
    keep::catch_up(options.kept, &layout.aside, &layout.dir, &occupied, &carried)?;
    remove_dir(&layout.aside)?;
    remove_dir(&layout.staging)?;
    Ok(report)
}

/// The signed lists, `manifest.json` included: taken from DIR or the
/// staging folder when their copy has the signed hash (an unchanged site
/// costs only `SHA256SUMS` and its signature), else fetched and kept.
fn read_lists(remote: &HttpSource, layout: &Layout, keys: &[TrustedKey]) -> Result<Published> {
    let local_manifest = |sha256: &str| vec![layout.dir.join(MANIFEST_FILE), layout.object(sha256)];
    let published = Published::read(remote, keys, Some(&local_manifest))?;
    let Some(manifest) = &published.manifest else {
        return Err(Error::input(
            remote.locate(MANIFEST_FILE),
            None,
            "the copy has no manifest.json, so file sizes cannot be bounded",
            "pull from a mirror built by an infrared that writes manifest.json",
        ));
    };
    mkdir(&layout.objects)?;
    if manifest.fetched {
        store_object(layout, &sha256_hex(&manifest.bytes), &manifest.bytes)?;
    }
    Ok(published)
}

/// A mirror may serve an old copy that was validly signed in its day (an
/// attacker replaying it, or a mirror that stopped updating): the signature
/// alone cannot tell. The commit date in each build's manifest can, so a
/// pull never takes DIR back to a build of an older commit.
fn refuse_going_back(remote: &HttpSource, layout: &Layout, published: &Published) -> Result<()> {
    let offered = &published.manifest.as_ref().expect("read_lists checked it").manifest;
    let Some(held) = std::fs::read(layout.dir.join(MANIFEST_FILE)).ok().and_then(|b| Manifest::from_json(&b).ok())
    else {
        return Ok(());
    };
    let (Some(offered_date), Some(held_date)) = (&offered.source_commit_date, &held.source_commit_date) else {
        return Ok(());
    };
    if offered_date >= held_date {
        return Ok(());
    }
    let commit =
        |m: &Manifest| m.source_commit.as_deref().map(|c| c[..c.len().min(12)].to_string()).unwrap_or_default();
    Err(Error::input(
        remote.locate(MANIFEST_FILE),
        None,
        format!(
            "the mirror offers an older build than {} holds: commit {} of {offered_date}, against {} of {held_date}",
            layout.dir.display(),
            commit(offered),
            commit(&held),
        ),
        "a mirror serving an old signed copy would take readers back to it: pull from another mirror, or pass --allow-older if the site's history really went back",
    ))
}

/// What the plan says before anything is fetched.
fn first_report(layout: &Layout, published: &Published, wanted: &[Wanted], kept: &Kept) -> PullReport {
    let manifest = published.manifest.as_ref().expect("read_lists checked it");
    let stale = files_not_wanted(&layout.dir, wanted, kept);
    let count = |origin: Origin| wanted.iter().filter(|w| w.origin == origin).count();
    PullReport {
        dir: layout.dir.clone(),
        signer: published.signer.clone().expect("keys were given, so it was checked"),
        files: wanted.len(),
        total_bytes: wanted.iter().map(|w| w.size).sum(),
        fetched: 0,
        fetched_bytes: 0,
        list_bytes: (published.sums.len()
            + published.signature.as_ref().map_or(0, Vec::len)
            + if manifest.fetched { manifest.bytes.len() } else { 0 }) as u64,
        // A manifest.json fetched just now is not left over from an earlier run.
        from_cache: count(Origin::Cached) - usize::from(manifest.fetched),
        kept: count(Origin::Kept),
        removed: stale,
        carried_over: 0,
        displaced: Vec::new(),
        up_to_date: is_up_to_date(layout, published, wanted, stale),
    }
}

/// Held while a pull runs, so that a second one into the same DIR (an
/// hourly cron job on a link slower than an hour) stops at once instead of
/// racing the first.
fn take_lock(layout: &Layout) -> Result<ProcessLock> {
    mkdir(&layout.staging)?;
    let path = layout.staging.join("lock");
    ProcessLock::take(&path, |pid| {
        Error::input(
            &layout.dir,
            None,
            format!("another pull (process {pid}) is updating this folder"),
            format!("let it finish; if no pull is running, remove {}", path.display()),
        )
    })
}

/// A run stopped between its two renames left DIR missing and the old copy
/// aside: put the old copy back before anything else.
fn recover_interrupted_swap(layout: &Layout) -> Result<()> {
    if !layout.dir.exists() && layout.aside.is_dir() {
        std::fs::rename(&layout.aside, &layout.dir).map_err(|e| Error::io(&layout.aside, e))?;
    }
    Ok(())
}

/// Every file of the new copy and where it will come from: DIR when its
/// bytes already match, the staging folder when an earlier run fetched it.
fn plan(layout: &Layout, published: &Published, progress: ProgressFn) -> Vec<Wanted> {
    progress("Comparing with the local copy", 0, published.entries.len());
    let sizes = published.sizes();
    published
        .entries
        .par_iter()
        .map(|(path, sha256)| {
            let size = sizes.get(path.as_str()).copied().unwrap_or(0);
            // A regular file (not a link to one) with the signed size and hash.
            let matches = |file: &Path| {
                std::fs::symlink_metadata(file).is_ok_and(|m| m.is_file() && m.len() == size)
                    && hash_file(file).is_ok_and(|(h, _)| h == *sha256)
            };
            let origin = if matches(&layout.dir.join(path)) {
                Origin::Kept
            } else if matches(&layout.object(sha256)) {
                Origin::Cached
            } else {
                Origin::Fetch
            };
            Wanted { path: path.clone(), size, sha256: sha256.clone(), origin }
        })
        .collect()
}

/// How many files DIR holds that the new copy will not (lists and kept
/// paths aside).
fn files_not_wanted(dir: &Path, wanted: &[Wanted], kept: &Kept) -> usize {
    let paths: BTreeSet<&str> = wanted.iter().map(|w| w.path.as_str()).collect();
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_type().is_dir())
        .map(|e| crate::urls::relative_slash_path(dir, e.path()))
        .filter(|p| p != SUMS_FILE && p != SIGNATURE_FILE && !paths.contains(p.as_str()) && !kept.covers(p))
        .count()
}

fn is_up_to_date(layout: &Layout, published: &Published, wanted: &[Wanted], stale: usize) -> bool {
    let same = |name: &str, bytes: Option<&Vec<u8>>| std::fs::read(layout.dir.join(name)).ok().as_ref() == bytes;
    stale == 0
        && wanted.iter().all(|w| w.origin == Origin::Kept)
        && same(SUMS_FILE, Some(&published.sums))
        && same(SIGNATURE_FILE, published.signature.as_ref())
}

/// Downloads what neither DIR nor the staging folder has, each file once
/// even when several paths share its bytes. Returns (files, bytes).
fn fetch_missing(
    remote: &dyn Source,
    layout: &Layout,
    wanted: &[Wanted],
    jobs: usize,
    progress: ProgressFn,
) -> Result<(usize, u64)> {
    let mut by_hash: BTreeMap<&str, &Wanted> = BTreeMap::new();
    for w in wanted.iter().filter(|w| w.origin == Origin::Fetch) {
        by_hash.entry(w.sha256.as_str()).or_insert(w);
    }
    let todo: Vec<&Wanted> = by_hash.into_values().collect();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results = run_parallel(&todo, jobs, |w| {
        let result = fetch_one(remote, layout, w);
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress("Fetching changed files", n, todo.len());
        // A server that is gone or a disk that is full will not get better.
        let halt = matches!(&result, Err((_, true)));
        (result, halt)
    });
    let mut failures = Vec::new();
    let mut fetched = (0, 0);
    for (w, result) in todo.iter().zip(results) {
        match result {
            Some(Ok(())) => fetched = (fetched.0 + 1, fetched.1 + w.size),
            Some(Err((message, _))) => failures.push(message),
            None => {}
        }
    }
    if failures.is_empty() {
        return Ok(fetched);
    }
    let not_tried = todo.len() - fetched.0 - failures.len();
    let shown: Vec<String> = failures.iter().take(10).map(|f| format!("  {f}")).collect();
    Err(Error::input(
        &layout.dir,
        None,
        format!(
            "the copy was NOT updated: {} of {} files failed{}:\n{}{}",
            failures.len(),
            todo.len(),
            if not_tried > 0 { format!(" ({not_tried} not tried after that)") } else { String::new() },
            shown.join("\n"),
            if failures.len() > 10 { format!("\n  … and {} more", failures.len() - 10) } else { String::new() }
        ),
        format!(
            "the folder was left exactly as it was; {} fetched and verified {} kept in {}, so running the same command again fetches only what is still missing",
            if fetched.0 == 1 { "the 1 file".to_string() } else { format!("the {} files", fetched.0) },
            if fetched.0 == 1 { "is" } else { "are" },
            layout.objects.display()
        ),
    ))
}

/// One file: fetched within its size, checked, stored under its hash.
/// The error says whether it is worth going on with other files.
fn fetch_one(remote: &dyn Source, layout: &Layout, w: &Wanted) -> std::result::Result<(), (String, bool)> {
    let url = remote.locate(&w.path);
    let bytes = remote.fetch(&w.path, w.size).map_err(|e| match e {
        FetchError::Failed(why) => (format!("{url}: {why}"), true),
        other => (format!("{url}: {other}"), false),
    })?;
    if bytes.len() as u64 != w.size {
        return Err((
            format!("{url}: {} bytes instead of the {} signed (cut short, or tampered with)", bytes.len(), w.size),
            false,
        ));
    }
    if sha256_hex(&bytes) != w.sha256 {
        return Err((format!("{url}: its content does not match its signed hash (tampered or damaged)"), false));
    }
    store_object(layout, &w.sha256, &bytes).map_err(|e| (e.to_string(), true))
}

/// Writes verified bytes under their hash; a half-written file never has
/// the final name.
fn store_object(layout: &Layout, sha256: &str, bytes: &[u8]) -> Result<()> {
    let target = layout.object(sha256);
    let temporary = layout.objects.join(format!(".{sha256}.{}", std::process::id()));
    std::fs::write(&temporary, bytes).and_then(|_| std::fs::rename(&temporary, &target)).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        Error::io(&target, e)
    })
}

/// Builds the new tree in the staging folder: links to DIR's unchanged files
/// and to verified downloads, then the signed list.
fn assemble(layout: &Layout, published: &Published, wanted: &[Wanted]) -> Result<()> {
    remove_dir(&layout.next)?;
    mkdir(&layout.next)?;
    let dirs: BTreeSet<PathBuf> =
        wanted.iter().filter_map(|w| Path::new(&w.path).parent().map(|p| layout.next.join(p))).collect();
    for dir in &dirs {
        mkdir(dir)?;
    }
    wanted.par_iter().try_for_each(|w| {
        let source = match w.origin {
            Origin::Kept => layout.dir.join(&w.path),
            Origin::Cached | Origin::Fetch => layout.object(&w.sha256),
        };
        link_or_copy(&source, &layout.next.join(&w.path))
    })?;
    write(&layout.next.join(SUMS_FILE), &published.sums)?;
    if let Some(signature) = &published.signature {
        write(&layout.next.join(SIGNATURE_FILE), signature)?;
    }
    // Links to DIR's files could have changed under us: check sizes once more.
    for w in wanted {
        let target = layout.next.join(&w.path);
        let size = std::fs::metadata(&target).map_err(|e| Error::io(&target, e))?.len();
        if size != w.size {
            return Err(Error::input(&target, None, "changed while the new copy was assembled", "run the pull again"));
        }
    }
    Ok(())
}

fn link_or_copy(source: &Path, target: &Path) -> Result<()> {
    std::fs::hard_link(source, target)
        .or_else(|_| std::fs::copy(source, target).map(|_| ()))
        .map_err(|e| Error::io(target, e))
}

/// What the signed copy puts in DIR: its files, the lists, and their folders.
fn occupied_by(published: &Published) -> Occupied {
    let lists = [SUMS_FILE, SIGNATURE_FILE];
    Occupied::new(published.entries.iter().map(|(path, _)| path.as_str()).chain(lists))
}

/// DIR aside and the new copy in its place; if the second rename fails,
/// the old copy goes back. The caller removes the old copy.
fn swap_in(layout: &Layout) -> Result<()> {
    remove_dir(&layout.aside)?;
    let had_copy = layout.dir.exists();
    if had_copy {
        std::fs::rename(&layout.dir, &layout.aside).map_err(|e| {
            Error::input(
                &layout.dir,
                None,
                format!("cannot move the old copy aside: {e}"),
                "the folder must be renameable by this user (not a mount point), and its parent writable",
            )
        })?;
    }
    if let Err(e) = std::fs::rename(&layout.next, &layout.dir) {
        if had_copy {
            let _ = std::fs::rename(&layout.aside, &layout.dir);
        }
        return Err(Error::io(&layout.dir, e));
    }
    Ok(())
}

fn mkdir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
}

fn remove_dir(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(dir, e)),
        _ => Ok(()),
    }
}
