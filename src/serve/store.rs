//! What the rebuilding side and the HTTP side of `serve` share: the output
//! files in memory, the problems to show, the pages open in browsers and
//! the live-reload events. Each piece sits behind its own lock, held only to
//! read or swap a value, never while rendering. Files are rendered on two
//! threads (the engine and the background renderer): each owner's files
//! carry the snapshot they were rendered from, and an older snapshot's
//! never replace a newer one's.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::output::{Artifact, Contents};

/// One output file as served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Served {
    Bytes(Arc<[u8]>),
    /// LZ4-compressed (with its size first): pages are many and large (a
    /// 40,000-page site is 3 GB of HTML, a quarter of that compressed), and
    /// decompressing one takes a fraction of a millisecond.
    Compressed(Arc<[u8]>),
    /// A file of `content/` or `static/`, read when asked for.
    File(PathBuf),
}

/// Files smaller than this are kept as they are.
const COMPRESS_FROM: usize = 2048;

impl Served {
    /// An artifact as it is kept: (output path, contents).
    pub fn of(artifact: Artifact) -> (String, Served) {
        let served = match artifact.contents {
            Contents::Bytes(bytes) if bytes.len() >= COMPRESS_FROM => {
                Served::Compressed(lz4_flex::compress_prepend_size(&bytes).into())
            }
            Contents::Bytes(bytes) => Served::Bytes(bytes.into()),
            Contents::Copy(path) => Served::File(path),
        };
        (artifact.path, served)
    }

    /// The bytes, unless they are to be read from a file.
    pub fn bytes(&self) -> Option<Vec<u8>> {
        match self {
            Served::Bytes(bytes) => Some(bytes.to_vec()),
            Served::Compressed(bytes) => lz4_flex::decompress_size_prepended(bytes).ok(),
            Served::File(_) => None,
        }
    }
}

pub fn served(artifacts: Vec<Artifact>) -> Vec<(String, Served)> {
    artifacts.into_iter().map(Served::of).collect()
}

/// Which part of the rebuild wrote a file, so that rendering a part again
/// replaces exactly its files and two parts never silently share a path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Owner {
    /// The theme's fingerprinted assets.
    Assets,
    /// A page or section (by content key) in one reader's language.
    Page(String, String),
    /// A site-wide part: taxonomies, feeds, status pages… (see `build::Part`).
    SiteWide(usize),
    /// A language's browser search index; `Search("")` the analyzers,
    /// which languages share.
    Search(String),
}

struct Entry {
    owner: Owner,
    served: Served,
}

/// The files one owner wrote, and the snapshot they were rendered from.
struct Written {
    generation: u64,
    paths: Vec<String>,
}

#[derive(Default)]
struct Files {
    by_path: HashMap<String, Entry>,
    by_owner: HashMap<Owner, Written>,
}

impl Files {
    /// Whether a newer snapshot than `generation` rendered `owner` already.
    fn is_outdated(&self, owner: &Owner, generation: u64) -> bool {
        self.by_owner.get(owner).is_some_and(|w| w.generation > generation)
    }

    /// `owner` was rendered from `generation`, and failed: its files stay.
    fn note_tried(&mut self, owner: &Owner, generation: u64) {
        let written = self.by_owner.entry(owner.clone()).or_insert(Written { generation, paths: Vec::new() });
        written.generation = written.generation.max(generation);
    }

    fn replace(&mut self, owner: &Owner, generation: u64, new: Vec<(String, Served)>) -> Result<Vec<String>, String> {
        if let Some((taken, _)) = new.iter().find(|(p, _)| self.by_path.get(p).is_some_and(|e| e.owner != *owner)) {
            return Err(taken.clone());
        }
        let old: Vec<String> = self.by_owner.remove(owner).map(|w| w.paths).unwrap_or_default();
        let new_paths: BTreeSet<&str> = new.iter().map(|(p, _)| p.as_str()).collect();
        let mut changed: Vec<String> = old.iter().filter(|p| !new_paths.contains(p.as_str())).cloned().collect();
        for path in &changed {
            self.by_path.remove(path);
        }
        let mut paths = Vec::with_capacity(new.len());
        for (path, served) in new {
            let same = self.by_path.get(&path).is_some_and(|e| e.served == served);
            if !same {
                changed.push(path.clone());
                self.by_path.insert(path.clone(), Entry { owner: owner.clone(), served });
            }
            paths.push(path);
        }
        self.by_owner.insert(owner.clone(), Written { generation, paths });
        changed.sort();
        Ok(changed)
    }
}

/// A URL path the browser may be showing: `/en/guides/x/` for an
/// `index.html`, the file's own path otherwise.
pub fn url_path(output_path: &str) -> String {
    match output_path.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{output_path}"),
    }
}

/// Live-reload events, one channel per connected browser.
#[derive(Default)]
struct Events {
    subscribers: Mutex<Vec<Sender<String>>>,
}

impl Events {
    fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        self.subscribers.lock().expect("events lock").push(tx);
        rx
    }

    /// Sends a server-sent event to every browser still listening.
    fn publish(&self, event: &str, data: &str) {
        let message = format!("event: {event}\ndata: {data}\n\n");
        self.subscribers.lock().expect("events lock").retain(|tx| tx.send(message.clone()).is_ok());
    }
}

/// How long a page told open counts as open (`live.js` tells every 5 s).
const TOLD_OPEN_FOR: Duration = Duration::from_secs(15);

/// Called with the problems whenever they change (the terminal shows them).
pub type ProblemsShown = Box<dyn Fn(&[String]) + Send + Sync>;

pub struct Shared {
    files: RwLock<Files>,
    /// What browsers show: the problems below, each once.
    problems: RwLock<Vec<String>>,
    /// Problems reading the inputs or making a snapshot (the engine's)…
    input_problems: Mutex<Vec<String>>,
    /// … and of the jobs whose last render failed (either renderer's).
    job_problems: Mutex<BTreeMap<Owner, String>>,
    on_problems: ProblemsShown,
    events: Events,
    /// Connection id → URL path of the page it was opened from.
    open_pages: Mutex<BTreeMap<u64, String>>,
    /// Pages of tabs that share another tab's event stream, by URL path:
    /// when each last said it was open (`live.js` says so every few seconds).
    told_open: Mutex<BTreeMap<String, Instant>>,
    next_connection: AtomicU64,
    /// Bumped by every change of what is served.
    generation: AtomicU64,
    /// The path the site is served under, as `base_url` gives it: `/`, `/kb/`.
    site_path: RwLock<String>,
    /// Names this run of the server, so browsers reload after a restart.
    pub instance: String,
    /// The site's folder, resolved.
    pub root: PathBuf,
    /// Where files served from disk may lie, resolved: the site's folder,
    /// and its `content/` and `static/` (which may be links to elsewhere).
    pub allowed: Vec<PathBuf>,
    /// Native search indexes by language, once built.
    pub search: RwLock<BTreeMap<String, tantivy::Index>>,
}

impl Shared {
    pub fn new(root: PathBuf, on_problems: ProblemsShown) -> Shared {
        let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        Shared {
            files: RwLock::default(),
            problems: RwLock::default(),
            input_problems: Mutex::default(),
            job_problems: Mutex::default(),
            on_problems,
            events: Events::default(),
            open_pages: Mutex::default(),
            told_open: Mutex::default(),
            next_connection: AtomicU64::new(1),
            generation: AtomicU64::new(0),
            site_path: RwLock::new("/".into()),
            instance: format!("{}-{}", std::process::id(), started.as_millis()),
            allowed: ["", "content", "static"]
                .iter()
                .filter_map(|folder| std::fs::canonicalize(root.join(folder)).ok())
                .collect(),
            root,
            search: RwLock::default(),
        }
    }

    /// An error's text as a writer reads it: paths relative to the site.
    pub fn relative(&self, text: &str) -> String {
        text.replace(&format!("{}/", self.root.display()), "")
    }

    pub fn get(&self, path: &str) -> Option<Served> {
        self.files.read().expect("files lock").by_path.get(path).map(|e| e.served.clone())
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.read().expect("files lock").by_path.contains_key(path)
    }

    /// Replaces every file `owner` wrote by `new` (output path, contents),
    /// rendered from snapshot `generation`; returns the output paths whose
    /// contents changed (added, changed or removed), or the path another
    /// owner already holds (nothing is changed then). Files rendered from
    /// an older snapshot than the newest that rendered `owner` are dropped.
    pub fn replace(&self, owner: &Owner, generation: u64, new: Vec<(String, Served)>) -> Result<Vec<String>, String> {
        let mut files = self.files.write().expect("files lock");
        if files.is_outdated(owner, generation) {
            return Ok(Vec::new());
        }
        let result = files.replace(owner, generation, new);
        match &result {
            Ok(changed) if !changed.is_empty() => {
                self.generation.fetch_add(1, Ordering::SeqCst);
            }
            Ok(_) => {}
            Err(_) => files.note_tried(owner, generation),
        }
        result
    }

    /// How rendering `owner` from snapshot `generation` went: its files
    /// replace the ones it wrote, or its problem is noted (and its last good
    /// files stay). Returns the output paths that changed. An outcome from an
    /// older snapshot than the newest that rendered `owner` is dropped.
    /// Problems are shown at the next [`Shared::publish_problems`].
    pub fn settle(
        &self,
        owner: &Owner,
        generation: u64,
        outcome: Result<Vec<(String, Served)>, String>,
    ) -> Vec<String> {
        let mut files = self.files.write().expect("files lock");
        if files.is_outdated(owner, generation) {
            return Vec::new();
        }
        let (changed, problem) = match outcome.and_then(|new| {
            files.replace(owner, generation, new).map_err(|path| {
                format!("two outputs would be written to {path}: rename the page, alias or static file that collides")
            })
        }) {
            Ok(changed) => (changed, None),
            Err(problem) => {
                files.note_tried(owner, generation);
                (Vec::new(), Some(problem))
            }
        };
        let mut jobs = self.job_problems.lock().expect("job problems lock");
        match problem {
            Some(problem) => jobs.insert(owner.clone(), problem),
            None => jobs.remove(owner),
        };
        if !changed.is_empty() {
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
        changed
    }

    /// Files shared by several owners that never differ between them (the
    /// search analyzers): added if missing, never replaced.
    pub fn add_shared(&self, owner: &Owner, artifact: Artifact) {
        let (path, served) = Served::of(artifact);
        let mut files = self.files.write().expect("files lock");
        if !files.by_path.contains_key(&path) {
            let written = files.by_owner.entry(owner.clone()).or_insert(Written { generation: 0, paths: Vec::new() });
            written.paths.push(path.clone());
            files.by_path.insert(path, Entry { owner: owner.clone(), served });
        }
    }

    pub fn owners(&self) -> BTreeSet<Owner> {
        self.files.read().expect("files lock").by_owner.keys().cloned().collect()
    }

    pub fn problems(&self) -> Vec<String> {
        self.problems.read().expect("problems lock").clone()
    }

    /// Sets the problems of reading the inputs and making a snapshot.
    pub fn set_input_problems(&self, problems: Vec<String>) {
        *self.input_problems.lock().expect("input problems lock") = problems;
        self.publish_problems();
    }

    /// Every problem, once (a template error stops many pages alike); tells
    /// browsers and the terminal when they changed.
    pub fn publish_problems(&self) {
        let mut current = self.problems.write().expect("problems lock");
        let mut seen = BTreeSet::new();
        let problems: Vec<String> = {
            let inputs = self.input_problems.lock().expect("input problems lock");
            let jobs = self.job_problems.lock().expect("job problems lock");
            inputs.iter().chain(jobs.values()).filter(|p| seen.insert(p.as_str())).cloned().collect()
        };
        if *current != problems {
            *current = problems;
            self.generation.fetch_add(1, Ordering::SeqCst);
            let data = serde_json::to_string(&*current).unwrap_or_else(|_| "[]".into());
            (self.on_problems)(&current);
            drop(current);
            self.events.publish("problems", &data);
        }
    }

    /// Tells browsers showing any of `output_paths` to reload.
    pub fn announce(&self, output_paths: &[String]) {
        if output_paths.is_empty() {
            return;
        }
        let site_path = self.site_path();
        let urls: BTreeSet<String> = output_paths.iter().map(|p| format!("{site_path}{}", &url_path(p)[1..])).collect();
        let data = serde_json::to_string(&urls).unwrap_or_else(|_| "[]".into());
        self.events.publish("reload", &data);
    }

    pub fn site_path(&self) -> String {
        self.site_path.read().expect("site path lock").clone()
    }

    pub fn set_site_path(&self, path: String) {
        *self.site_path.write().expect("site path lock") = path;
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// A browser listening for events, from the page at `url_path`.
    pub fn connect(&self, url_path: &str) -> (u64, Receiver<String>) {
        let id = self.next_connection.fetch_add(1, Ordering::SeqCst);
        self.open_pages.lock().expect("open pages lock").insert(id, url_path.to_string());
        (id, self.events.subscribe())
    }

    pub fn disconnect(&self, id: u64) {
        self.open_pages.lock().expect("open pages lock").remove(&id);
    }

    /// A tab without an event stream of its own shows the page at `url_path`.
    pub fn tell_open(&self, url_path: &str) {
        let mut told = self.told_open.lock().expect("told open lock");
        told.retain(|_, at| at.elapsed() < TOLD_OPEN_FOR);
        told.insert(url_path.to_string(), Instant::now());
    }

    /// URL paths of the pages open in a browser now.
    pub fn open_pages(&self) -> BTreeSet<String> {
        let mut open: BTreeSet<String> = self.open_pages.lock().expect("open pages lock").values().cloned().collect();
        let told = self.told_open.lock().expect("told open lock");
        open.extend(told.iter().filter(|(_, at)| at.elapsed() < TOLD_OPEN_FOR).map(|(path, _)| path.clone()));
        open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_told_open_count_as_open_pages() {
        let shared = Shared::new(PathBuf::from("."), Box::new(|_| {}));
        let (_id, _events) = shared.connect("/en/a/");
        shared.tell_open("/ca/b/");
        let open: Vec<String> = shared.open_pages().into_iter().collect();
        assert_eq!(open, ["/ca/b/", "/en/a/"]);
    }

    #[test]
    fn replacing_an_owners_files_reports_what_changed() {
        let shared = Shared::new(PathBuf::from("."), Box::new(|_| {}));
        let page = Owner::Page("a".into(), "en".into());
        let page_at = |path: &str| served(vec![Artifact::bytes(path, "1")]);
        let first = shared.replace(&page, 1, page_at("en/a/index.html")).unwrap();
        assert_eq!(first, ["en/a/index.html"]);
        let same = shared.replace(&page, 1, page_at("en/a/index.html")).unwrap();
        assert!(same.is_empty());
        let moved = shared.replace(&page, 2, page_at("en/b/index.html")).unwrap();
        assert_eq!(moved, ["en/a/index.html", "en/b/index.html"]);
        assert!(shared.get("en/a/index.html").is_none());
    }

    #[test]
    fn files_of_an_older_snapshot_never_replace_a_newer_ones() {
        let shared = Shared::new(PathBuf::from("."), Box::new(|_| {}));
        let page = Owner::Page("a".into(), "en".into());
        shared.replace(&page, 3, served(vec![Artifact::bytes("en/a/index.html", "new")])).unwrap();
        let late = shared.replace(&page, 2, served(vec![Artifact::bytes("en/a/index.html", "old")])).unwrap();
        assert!(late.is_empty());
        assert_eq!(shared.get("en/a/index.html"), Some(Served::Bytes(Arc::from(&b"new"[..]))));
    }

    #[test]
    fn problems_are_shown_once_each_and_only_when_they_change() {
        let shown = Arc::new(Mutex::new(Vec::new()));
        let log = shown.clone();
        let shared = Shared::new(PathBuf::from("."), Box::new(move |p| log.lock().unwrap().push(p.to_vec())));
        let page = |key: &str| Owner::Page(key.into(), "en".into());
        let settle = |key: &str, generation, outcome: Result<&str, &str>| {
            let outcome = outcome
                .map(|text| served(vec![Artifact::bytes(format!("en/{key}/index.html"), text)]))
                .map_err(str::to_string);
            shared.settle(&page(key), generation, outcome);
            shared.publish_problems();
        };
        shared.set_input_problems(vec!["content/a.md:2: bad".into()]);
        settle("a", 1, Err("page.html: bad tag"));
        settle("b", 1, Err("page.html: bad tag"));
        settle("a", 2, Ok("a"));
        shared.set_input_problems(Vec::new());
        settle("b", 3, Ok("b"));
        settle("b", 2, Err("page.html: an old problem"));
        let expected: Vec<Vec<String>> = vec![
            vec!["content/a.md:2: bad".into()],
            vec!["content/a.md:2: bad".into(), "page.html: bad tag".into()],
            vec!["page.html: bad tag".into()],
            vec![],
        ];
        assert_eq!(*shown.lock().unwrap(), expected, "an older snapshot's problem is not shown");
    }

    #[test]
    fn two_owners_never_share_a_path() {
        let shared = Shared::new(PathBuf::from("."), Box::new(|_| {}));
        shared.replace(&Owner::Page("a".into(), "en".into()), 1, served(vec![Artifact::bytes("x.html", "a")])).unwrap();
        let clash =
            shared.replace(&Owner::Page("b".into(), "en".into()), 1, served(vec![Artifact::bytes("x.html", "b")]));
        assert_eq!(clash, Err("x.html".to_string()));
        assert_eq!(shared.get("x.html"), Some(Served::Bytes(Arc::from(&b"a"[..]))));
    }

    #[test]
    fn large_files_are_kept_compressed_and_read_back_whole() {
        let page = "<li><a href=\"../x/\">A page</a></li>\n".repeat(200);
        let (_, kept) = Served::of(Artifact::bytes("en/index.html", page.clone()));
        let Served::Compressed(bytes) = &kept else { panic!("not compressed: {kept:?}") };
        assert!(bytes.len() < page.len() / 4);
        assert_eq!(kept.bytes().unwrap(), page.as_bytes());
        assert_eq!(Served::of(Artifact::bytes("a.txt", "small")).1, Served::Bytes(Arc::from(&b"small"[..])));
    }

    #[test]
    fn url_paths_name_folders_for_index_files() {
        assert_eq!(url_path("en/guides/x/index.html"), "/en/guides/x/");
        assert_eq!(url_path("index.html"), "/");
        assert_eq!(url_path("en/atom.xml"), "/en/atom.xml");
        assert_eq!(url_path("en/notindex.html"), "/en/notindex.html");
    }
}
