//! Watches the site's inputs — `site.toml`, `content/`, `i18n/`, `static/`,
//! `templates/` and `themes/` — with the platform's file events, falling
//! back to polling where they are not available (or with `--poll`, for
//! network and container file systems that never send them), and groups
//! events into batches: a batch ends when the files have been quiet for a
//! moment, so one save that the editor writes in several steps is read once.
//! Where the platform says when a file written to is closed (inotify), a
//! batch also waits for every file it saw written to be closed: a save
//! written slowly (truncated, then filled in later) is read once, whole.
//! Polling tells nothing of the kind: there a batch waits until its files'
//! size and modification time stay the same across a poll interval, and
//! its files are looked at again for a moment after (notify's poller sees
//! modification times in whole seconds only).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::error::{Error, Result};

/// Quiet time that ends a batch.
const QUIET: Duration = Duration::from_millis(8);
/// A batch never waits longer than this for quiet.
const MAX_BATCH: Duration = Duration::from_millis(80);
/// …nor longer than this for the files it saw written to to be closed (a
/// program that keeps one open is read after this, as it is).
const MAX_OPEN: Duration = Duration::from_millis(1500);
const POLL_INTERVAL: Duration = Duration::from_millis(300);
/// Polling: a batch waits for its files to stay the same across a poll
/// interval, but never longer than this (a file written to all the time
/// is read after this, as it is).
const MAX_STEADY: Duration = Duration::from_millis(3000);
/// Polling: how long the files of a batch are looked at again at each
/// poll interval (notify's poller compares modification times in whole
/// seconds: a file changed again within the second it was seen changing
/// would go unseen).
const RECENT: Duration = Duration::from_millis(2000);
/// Folders watched recursively, when they exist.
const FOLDERS: [&str; 5] = ["content", "i18n", "static", "templates", "themes"];

pub enum Event {
    Paths(Vec<PathBuf>, Writing),
    /// Events were lost (a queue overflowed): read everything again.
    Rescan,
}

pub struct Watcher {
    backend: Backend,
    events: Receiver<Event>,
    root: PathBuf,
    watched: Vec<PathBuf>,
    /// Folders of `content/` that are links to other folders of `content/`:
    /// (the link, where it leads as the watcher names it).
    links: Vec<(PathBuf, PathBuf)>,
    /// Polling: the files of recent batches, as last read, and when.
    recent: Vec<(PathBuf, Stamp, Instant)>,
}

/// A file's size and modification time; `None` for a file gone.
type Stamp = Option<(u64, Option<std::time::SystemTime>)>;

enum Backend {
    Native(RecommendedWatcher),
    Poll(PollWatcher),
}

impl Backend {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Backend::Native(w) => w.watch(path, mode),
            Backend::Poll(w) => w.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            Backend::Native(w) => w.unwatch(path),
            Backend::Poll(w) => w.unwatch(path),
        }
    }
}

impl Watcher {
    /// Starts watching `root` (already canonical). Native events unless
    /// `poll` or they fail; then polling, said on the terminal.
    pub fn start(root: &Path, poll: bool) -> Result<Watcher> {
        if !poll {
            match Watcher::native(root) {
                Ok(watcher) => return Ok(watcher),
                Err(e) => eprintln!("File events are not available ({e}); polling for changes instead."),
            }
        }
        let (tx, events) = mpsc::channel();
        let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
        let backend = PollWatcher::new(move |e| forward(&tx, e, false), config).map_err(|e| watch_error(root, e))?;
        let mut watcher = Watcher {
            backend: Backend::Poll(backend),
            events,
            root: root.to_path_buf(),
            watched: Vec::new(),
            links: Vec::new(),
            recent: Vec::new(),
        };
        watcher.watch_inputs().map_err(|e| watch_error(root, e))?;
        watcher.links = content_links(root);
        Ok(watcher)
    }

    fn native(root: &Path) -> notify::Result<Watcher> {
        let (tx, events) = mpsc::channel();
        // Links inside the inputs are not followed: one leading out of the
        // site (to a home folder, to /) is refused, never watched through.
        let config = notify::Config::default().with_follow_symlinks(false);
        let backend = RecommendedWatcher::new(move |e| forward(&tx, e, cfg!(target_os = "linux")), config)?;
        let mut watcher = Watcher {
            backend: Backend::Native(backend),
            events,
            root: root.to_path_buf(),
            watched: Vec::new(),
            links: Vec::new(),
            recent: Vec::new(),
        };
        watcher.watch_inputs()?;
        watcher.links = content_links(root);
        Ok(watcher)
    }

    pub fn is_polling(&self) -> bool {
        matches!(self.backend, Backend::Poll(_))
    }

    /// The root itself (for `site.toml` and folders created later), and
    /// each input folder that exists and is not watched yet.
    fn watch_inputs(&mut self) -> notify::Result<()> {
        if self.watched.is_empty() {
            self.backend.watch(&self.root.clone(), RecursiveMode::NonRecursive)?;
            self.watched.push(self.root.clone());
        }
        for folder in FOLDERS {
            let path = self.root.join(folder);
            if path.is_dir() && !self.watched.contains(&path) {
                self.backend.watch(&path, RecursiveMode::Recursive)?;
                self.watched.push(path);
            }
        }
        Ok(())
    }

    /// Input folders that came, went or were replaced at the top (`rm -rf
    /// static` and a new `static/`, a branch switched): a folder's watch
    /// ends with the folder, so each one named is watched afresh. The
    /// batch names the folder too, so its files are all read again after.
    fn watch_again(&mut self, paths: &[PathBuf]) -> notify::Result<()> {
        for folder in FOLDERS {
            let path = self.root.join(folder);
            if !paths.contains(&path) {
                continue;
            }
            if let Some(at) = self.watched.iter().position(|p| *p == path) {
                self.watched.remove(at);
                // Gone with the folder already, most likely.
                let _ = self.backend.unwatch(&path);
            }
        }
        self.watch_inputs()
    }

    /// Waits for the next batch of changed paths; `None` once events can
    /// no longer come.
    pub fn next_batch(&mut self) -> Option<Batch> {
        let first = self.first_event()?;
        let mut batch = Batch::default();
        batch.add(first);
        let started = Instant::now();
        loop {
            let limit = if batch.open.is_empty() { MAX_BATCH } else { MAX_OPEN };
            let left = limit.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            let wait = if batch.open.is_empty() { QUIET.min(left) } else { left };
            match self.events.recv_timeout(wait) {
                Ok(event) => batch.add(event),
                Err(RecvTimeoutError::Timeout) if batch.open.is_empty() => break,
                Err(RecvTimeoutError::Timeout) => {} // MAX_OPEN reached: checked above
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        if self.is_polling() {
            let stamps = self.wait_until_steady(&mut batch);
            self.remember(&batch.paths, stamps);
        }
        // A folder created (or made again) at the top (static/, i18n/…) is
        // watched from now on.
        if batch.paths.iter().any(|p| p.parent() == Some(&self.root)) {
            if let Err(e) = self.watch_again(&batch.paths) {
                eprintln!("warning: cannot watch a new folder: {e}");
            }
        }
        self.through_links(&mut batch);
        Some(batch)
    }

    /// The event that starts a batch; polling, also a file of a recent
    /// batch found changed again. `None` once events can no longer come.
    fn first_event(&mut self) -> Option<Event> {
        if !self.is_polling() {
            return self.events.recv().ok();
        }
        loop {
            match self.events.recv_timeout(POLL_INTERVAL) {
                Ok(event) => return Some(event),
                Err(RecvTimeoutError::Timeout) => {
                    let changed = self.changed_again();
                    if !changed.is_empty() {
                        return Some(Event::Paths(changed, Writing::Other));
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// The files of recent batches whose size or modification time is no
    /// longer what it was when they were read.
    fn changed_again(&mut self) -> Vec<PathBuf> {
        self.recent.retain(|(_, _, at)| at.elapsed() < RECENT);
        let mut changed = Vec::new();
        for (path, stamp, _) in &mut self.recent {
            let now = stamp_of(path);
            if now != *stamp {
                *stamp = now;
                changed.push(path.clone());
            }
        }
        changed
    }

    /// The files (not folders: a file made in one is an event of its own)
    /// of a batch, as read, to look at again for RECENT.
    fn remember(&mut self, paths: &[PathBuf], stamps: Vec<Stamp>) {
        let now = Instant::now();
        self.recent.retain(|(path, _, _)| !paths.contains(path));
        let files = paths.iter().zip(stamps).filter(|(path, _)| path.is_file());
        self.recent.extend(files.map(|(path, stamp)| (path.clone(), stamp, now)));
    }

    /// Waits (up to MAX_STEADY) until the size and modification time of
    /// every path in `batch` are the same at two looks a poll interval
    /// apart; events that come meanwhile join the batch. Returns them.
    fn wait_until_steady(&mut self, batch: &mut Batch) -> Vec<Stamp> {
        let started = Instant::now();
        let mut seen = stamps(&batch.paths);
        while started.elapsed() < MAX_STEADY {
            let look = Instant::now() + POLL_INTERVAL;
            while let Some(left) = look.checked_duration_since(Instant::now()) {
                match self.events.recv_timeout(left) {
                    Ok(event) => batch.add(event),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return seen,
                }
            }
            let now = stamps(&batch.paths);
            if now == seen {
                return seen;
            }
            seen = now;
        }
        seen
    }

    /// Links are not followed (one could lead out of the site), so a file
    /// changed in a folder of `content/` that another folder of `content/`
    /// links to is named here by its path through each such link as well.
    fn through_links(&mut self, batch: &mut Batch) {
        // Found again only when links may have come or gone: a link made,
        // a folder made or moved in (it may hold links), a link removed.
        let links_changed = |p: &PathBuf| {
            let meta = p.symlink_metadata();
            meta.as_ref().is_ok_and(|m| m.is_symlink() || m.is_dir())
                || (meta.is_err() && self.links.iter().any(|(link, _)| link.starts_with(p)))
        };
        if batch.rescan || batch.paths.iter().any(links_changed) {
            self.links = content_links(&self.root);
        }
        let mut through = Vec::new();
        for path in &batch.paths {
            for (link, target) in &self.links {
                if let Ok(rest) = path.strip_prefix(target) {
                    through.push(link.join(rest));
                }
            }
        }
        for path in through {
            if !batch.paths.contains(&path) {
                batch.paths.push(path);
            }
        }
    }
}

fn stamps(paths: &[PathBuf]) -> Vec<Stamp> {
    paths.iter().map(|p| stamp_of(p)).collect()
}

fn stamp_of(path: &Path) -> Stamp {
    std::fs::metadata(path).ok().map(|m| (m.len(), m.modified().ok()))
}

/// The folders of `content/` that are links to another folder inside
/// `content/`, with where they lead as `content/…` (links leading out of
/// the site are refused when the site is read; they are not watched).
fn content_links(root: &Path) -> Vec<(PathBuf, PathBuf)> {
    let content = root.join("content");
    let Ok(real_content) = content.canonicalize() else {
        return Vec::new();
    };
    let mut links = Vec::new();
    for entry in walkdir::WalkDir::new(&content).min_depth(1).into_iter().filter_map(|e| e.ok()) {
        if !entry.path_is_symlink() {
            continue;
        }
        let Ok(real) = entry.path().canonicalize() else {
            continue;
        };
        if let (true, Ok(inside)) = (real.is_dir(), real.strip_prefix(&real_content)) {
            links.push((entry.path().to_path_buf(), content.join(inside)));
        }
    }
    links
}

#[derive(Debug, Default)]
pub struct Batch {
    pub paths: Vec<PathBuf>,
    pub rescan: bool,
    /// Files written to and not closed yet.
    open: Vec<PathBuf>,
}

impl Batch {
    fn add(&mut self, event: Event) {
        match event {
            Event::Paths(paths, writing) => {
                for path in paths {
                    match writing {
                        // Swap and lock files stay open while an editor
                        // runs; the site never reads them.
                        Writing::Open if !self.open.contains(&path) && !is_ignored(&path) => {
                            self.open.push(path.clone())
                        }
                        Writing::Closed => self.open.retain(|p| *p != path),
                        _ => {}
                    }
                    if !self.paths.contains(&path) {
                        self.paths.push(path);
                    }
                }
            }
            Event::Rescan => self.rescan = true,
        }
    }
}

/// What an event says of a file being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writing {
    /// Created or written to: more may come until it is closed.
    Open,
    /// Closed after writing (or removed, renamed): it is whole.
    Closed,
    Other,
}

impl Writing {
    /// Only inotify tells when a file written to is closed (`closes`);
    /// elsewhere (FSEvents, polling) nothing would end the wait: none.
    fn of(kind: &EventKind, closes: bool) -> Writing {
        use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
        if !closes {
            return Writing::Other;
        }
        match kind {
            EventKind::Create(CreateKind::File) | EventKind::Modify(ModifyKind::Data(_)) => Writing::Open,
            EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Name(_)) => Writing::Closed,
            _ => Writing::Other,
        }
    }
}

/// Passes on events that can change a file: not reads, not opens.
/// `closes`: the backend tells when a file written to is closed.
fn forward(tx: &mpsc::Sender<Event>, event: notify::Result<notify::Event>, closes: bool) {
    let event = match event {
        Ok(event) => event,
        Err(_) => {
            let _ = tx.send(Event::Rescan);
            return;
        }
    };
    if event.need_rescan() {
        let _ = tx.send(Event::Rescan);
        return;
    }
    let relevant = match event.kind {
        EventKind::Access(notify::event::AccessKind::Close(notify::event::AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    };
    if relevant && !event.paths.is_empty() {
        let _ = tx.send(Event::Paths(event.paths, Writing::of(&event.kind, closes)));
    }
}

fn is_ignored(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(crate::content::is_ignored)
}

fn watch_error(root: &Path, e: notify::Error) -> Error {
    Error::io(root, std::io::Error::other(format!("cannot watch for changes: {e}")))
}
