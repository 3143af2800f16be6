//! Search in `serve`: each language's tantivy index is rebuilt in memory, in
//! the background, once edits have paused — pages are served first — and
//! exported for the browser like a build does. `/api/search?lang=&q=`
//! answers from the native index.

use std::collections::BTreeSet;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

use super::background::lower_priority;
use super::engine::SearchUpdate;
use super::http::Response;
use super::routes::query_value;
use super::snapshot::Generation;
use super::store::{served, Owner, Shared};
use crate::search;

/// Edits pause this long before search catches up.
const QUIET: Duration = Duration::from_millis(1000);
const MAX_LIMIT: usize = 50;

/// Runs until the engine goes away: collects the languages to refresh and
/// refreshes them, one at a time, when updates pause.
pub fn run(shared: Arc<Shared>, updates: Receiver<SearchUpdate>) {
    // Indexing yields to rendering: its own thread pool, at the lowest priority.
    lower_priority(LOWEST);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).start_handler(|_| lower_priority(LOWEST)).build().ok();
    wait_and_refresh(&shared, &updates, pool.as_ref());
}

/// Search comes after everything else, the background renderer too.
const LOWEST: i32 = 19;

fn wait_and_refresh(shared: &Shared, updates: &Receiver<SearchUpdate>, pool: Option<&rayon::ThreadPool>) {
    let mut pending: BTreeSet<String> = BTreeSet::new();
    let mut latest: Option<Arc<Generation>> = None;
    loop {
        let waited = if pending.is_empty() {
            updates.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            updates.recv_timeout(QUIET)
        };
        match waited {
            Ok(update) => {
                pending.extend(update.languages);
                latest = Some(update.generation);
            }
            Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => {
                let Some(generation) = latest.clone() else {
                    pending.clear();
                    continue;
                };
                // One language at a time, as long as no edit comes in.
                while let Some(lang) = pending.pop_first() {
                    match pool {
                        Some(pool) => pool.install(|| refresh(shared, &generation, &lang)),
                        None => refresh(shared, &generation, &lang),
                    }
                    if let Ok(update) = updates.try_recv() {
                        pending.extend(update.languages);
                        latest = Some(update.generation);
                        break;
                    }
                }
            }
        }
    }
}

/// Rebuilds one language's index from `generation` and serves its export.
fn refresh(shared: &Shared, generation: &Generation, lang: &str) {
    let site = &generation.site;
    let owner = Owner::Search(lang.to_string());
    if !site.config.search || !site.config.is_language(lang) {
        shared.search.write().expect("search lock").remove(lang);
        let _ = shared.replace(&owner, generation.id, Vec::new());
        return;
    }
    let result = search::index_in_memory(lang, &search::documents(site, lang)).and_then(|index| {
        let (artifacts, _) = search::export::export_all(&[lang.to_string()], &|_| Ok(index.clone()))?;
        Ok((index, artifacts))
    });
    match result {
        Ok((index, artifacts)) => {
            let prefix = format!("search/{lang}/");
            let (own, shared_files): (Vec<_>, Vec<_>) =
                artifacts.into_iter().partition(|a| a.path.starts_with(&prefix));
            for artifact in shared_files {
                shared.add_shared(&Owner::Search(String::new()), artifact);
            }
            if let Err(path) = shared.replace(&owner, generation.id, served(own)) {
                eprintln!("search ({lang}): {path} is taken by another file of the site");
            }
            shared.search.write().expect("search lock").insert(lang.to_string(), index);
        }
        Err(e) => eprintln!("search ({lang}): {e}"),
    }
}

/// `/api/search?lang=ca&q=…[&limit=N]`: results as `infrared search --json` prints them.
pub fn answer(shared: &Shared, query: &str) -> Response {
    let Some(lang) = query_value(query, "lang") else {
        return Response::text(400, "give the language: /api/search?lang=en&q=words");
    };
    let words = query_value(query, "q").unwrap_or_default();
    let limit = query_value(query, "limit").and_then(|l| l.parse().ok()).unwrap_or(10).clamp(1, MAX_LIMIT);
    let indexes = shared.search.read().expect("search lock");
    let Some(index) = indexes.get(&lang) else {
        return Response::text(404, "no search index for this language (yet: it is built after the pages)");
    };
    match search::query::search(index, &lang, &words, limit) {
        Ok(results) => Response::new(200, "application/json", serde_json::to_vec(&results).unwrap_or_default()),
        Err(e) => Response::text(500, &e.to_string()),
    }
}
