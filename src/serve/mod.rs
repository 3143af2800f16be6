//! `infrared serve`: live preview for writers. Builds the site into memory
//! (never into `public/`), serves it over HTTP on loopback, watches the
//! inputs, renders again only what a change touches, and tells open pages
//! to reload. The only module with mutable state: the engine's inputs and
//! snapshots on one thread; the backlog, the served files and the problems
//! behind locks held only to read or swap a value, never while rendering.
//!
//! - `engine`: inputs as last read → snapshots; what to render at once
//! - `background`: the rest, on its own thread, at a lower priority
//! - `snapshot`: one immutable snapshot, and rendering jobs from it
//! - `plan`: what a change touches
//! - `watch`: file events (or polling) in debounced batches
//! - `store`: what the threads share (files, problems, events, open pages)
//! - `http`, `routes`: a small HTTP/1.1 server and what each path gets
//! - `search`: indexes rebuilt in the background, `/api/search`

mod background;
mod engine;
mod http;
mod plan;
mod range;
mod routes;
mod search;
mod snapshot;
mod store;
mod watch;

use std::collections::BTreeSet;
use std::net::{IpAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex};

use crate::config::CONFIG_FILE;
use crate::error::{Error, Result};
use background::Backlog;
use engine::{Changes, Engine, Report};
use store::Shared;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    pub drafts: bool,
    /// Poll for changes instead of waiting for file events.
    pub poll: bool,
    /// Print how long each step of each rebuild took.
    pub timings: bool,
}

/// Serves until the process is stopped; returns only on a startup error.
pub fn serve(options: &ServeOptions) -> Result<()> {
    let root = std::fs::canonicalize(&options.root).map_err(|e| {
        Error::input(
            &options.root,
            None,
            format!("cannot open the site's folder: {e}"),
            "give the site's folder with --root DIR",
        )
    })?;
    if !root.join(CONFIG_FILE).is_file() {
        return Err(Error::input(
            root.join(CONFIG_FILE),
            None,
            "no site.toml here",
            "run infrared serve in the site's folder, or give --root DIR",
        ));
    }
    let listener = TcpListener::bind((options.bind, options.port)).map_err(|e| {
        Error::input(
            std::net::SocketAddr::from((options.bind, options.port)).to_string(),
            None,
            format!("cannot listen here: {e}"),
            "choose another --port (--port 0 picks a free one)",
        )
    })?;
    let address = listener.local_addr().map_err(|e| Error::io(&root, e))?;
    let shared = Arc::new(Shared::new(root.clone(), problems_printer()));
    let mut watcher = watch::Watcher::start(&root, options.poll)?;
    let backlog = Arc::new(Backlog::default());
    let mut engine = Engine::new(root.clone(), options.drafts, shared.clone(), backlog.clone());
    eprintln!("Building {} …", root.display());
    let terminal = Terminal { timings: options.timings };
    let report = engine.apply(Changes::default());
    terminal.show(&report, true);
    let background_shared = shared.clone();
    std::thread::spawn(move || background::run(background_shared, backlog));

    let (search_updates, search_inbox) = mpsc::channel();
    engine.send_search_updates_to(search_updates);
    let search_shared = shared.clone();
    std::thread::spawn(move || search::run(search_shared, search_inbox));
    let routes = routes::Routes { shared: shared.clone(), local_hosts_only: options.bind.is_loopback() };
    std::thread::spawn(move || http::run(listener, Arc::new(move |request: &http::Request| routes.handle(request))));

    let url = format!("http://{address}{}", shared.site_path());
    println!("Serving {url} (drafts {}; Ctrl-C to stop)", if options.drafts { "shown" } else { "hidden" });
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {} — anyone who can reach this machine can read the preview, drafts included",
            options.bind
        );
    }
    if watcher.is_polling() {
        eprintln!("Polling for changes.");
    }
    if options.open {
        let local = match options.bind.is_unspecified() {
            true => format!("http://localhost:{}{}", address.port(), shared.site_path()),
            false => url,
        };
        if let Err(e) = open::that_detached(&local) {
            eprintln!("warning: cannot open a browser ({e}); open {local}");
        }
    }
    run(&root, &mut watcher, &mut engine, &terminal);
    Ok(())
}

/// The loop: each batch of changed files makes a new snapshot.
fn run(root: &std::path::Path, watcher: &mut watch::Watcher, engine: &mut Engine, terminal: &Terminal) {
    while let Some(batch) = watcher.next_batch() {
        let theme = engine.theme_name().unwrap_or("default").to_string();
        let mut changes = Changes { rescan: batch.rescan, ..Changes::default() };
        for path in &batch.paths {
            let found = Changes::classify(root, &theme, path);
            changes.everything |= found.everything;
            changes.theme |= found.theme;
            changes.static_files |= found.static_files;
            changes.content.extend(found.content);
        }
        if !changes.is_empty() {
            terminal.show(&engine.apply(changes), false);
        }
    }
}

/// Link warnings and translation errors found or fixed shown after a
/// rebuild; `infrared check` lists them all.
const MAX_DIAGNOSTICS: usize = 40;

/// What the terminal shows: one line per rebuild, then the link warnings
/// and translation errors it found and fixed (problems are shown as they change, by
/// [`problems_printer`]).
struct Terminal {
    timings: bool,
}

impl Terminal {
    fn show(&self, report: &Report, first: bool) {
        let changed_nothing = report.pages == 0 && report.changed_files == 0 && report.later == 0;
        if !report.failed && !changed_nothing {
            let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
            let later = if report.later > 0 {
                format!(", {} in the background", plural(report.later, "more part", "more parts"))
            } else {
                String::new()
            };
            let what = if first { "Built" } else { "Rebuilt" };
            eprintln!(
                "{what} {} in {:.0} ms ({} changed{later})",
                plural(report.pages, "page", "pages"),
                report.elapsed.as_secs_f64() * 1000.0,
                plural(report.changed_files, "file", "files")
            );
            if self.timings {
                let laps: Vec<String> = report
                    .laps
                    .iter()
                    .map(|(step, time)| format!("{step} {:.1}", time.as_secs_f64() * 1000.0))
                    .collect();
                eprintln!("  ms: {}", laps.join(", "));
            }
        }
        // A snapshot that changed no file may still change what links say.
        let links: Vec<&String> = report.links_found.iter().chain(&report.links_fixed).collect();
        for line in links.iter().take(MAX_DIAGNOSTICS) {
            eprintln!("{line}");
        }
        if links.len() > MAX_DIAGNOSTICS {
            eprintln!("… and {} more (infrared check lists them all)", links.len() - MAX_DIAGNOSTICS);
        }
    }
}

/// Prints the problems each time they change (the browsers get them too).
/// A template error is met again by each part the background renders:
/// each problem is listed once, when it appears, and after that only how
/// many are left.
fn problems_printer() -> store::ProblemsShown {
    let shown = Mutex::new(BTreeSet::new());
    Box::new(move |problems: &[String]| {
        let mut shown = shown.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for line in problem_lines(&shown, problems) {
            eprintln!("{line}");
        }
        *shown = problems.iter().cloned().collect();
    })
}

/// What the terminal says when the problems become `problems`, having
/// listed `shown` before.
fn problem_lines(shown: &BTreeSet<String>, problems: &[String]) -> Vec<String> {
    if problems.is_empty() {
        return vec!["Fixed: no problems left.".to_string()];
    }
    let count = format!("{} problem{}", problems.len(), if problems.len() == 1 { "" } else { "s" });
    let new: Vec<&String> = problems.iter().filter(|p| !shown.contains(*p)).collect();
    if new.is_empty() {
        return vec![format!("{count} left (the last good version of each page is served).")];
    }
    let listed_before = match problems.len() - new.len() {
        0 => String::new(),
        n => format!(", {n} listed above"),
    };
    let mut lines = vec![format!("{count} (the last good version of each page is served{listed_before}):")];
    lines.extend(new.iter().map(|p| format!("error: {p}")));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_problem_is_listed_once_then_counted() {
        let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let shown = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        assert_eq!(
            problem_lines(&shown(&[]), &list(&["a.md:1: x"])),
            ["1 problem (the last good version of each page is served):", "error: a.md:1: x"]
        );
        assert_eq!(
            problem_lines(&shown(&["a.md:1: x"]), &list(&["a.md:1: x", "b.md:2: y"])),
            ["2 problems (the last good version of each page is served, 1 listed above):", "error: b.md:2: y"]
        );
        assert_eq!(
            problem_lines(&shown(&["a.md:1: x", "b.md:2: y"]), &list(&["b.md:2: y"])),
            ["1 problem left (the last good version of each page is served)."]
        );
        assert_eq!(problem_lines(&shown(&["b.md:2: y"]), &[]), ["Fixed: no problems left."]);
    }
}
