//! The rest of what a change touched, rendered on a thread of its own at a
//! lower priority. The engine renders what the writer is looking at (the
//! edited page, the pages open in a browser) and hands the rest over here,
//! so that a long job — a translation status page listing 5,000 pages, the
//! navigation of every sibling of a renamed page — never keeps the next
//! save waiting. Jobs are always rendered from the newest snapshot; what
//! an older one made arrives too late to replace a newer one's files
//! (`Shared::settle`).

use std::collections::BTreeSet;
use std::sync::{Arc, Condvar, Mutex};

use super::snapshot::Generation;
use super::store::{Owner, Shared};

/// Jobs taken at once: small, so the newest snapshot is picked up soon.
const CHUNK: usize = 32;
/// How far the background threads step back for the engine (Linux nice).
pub const NICENESS: i32 = 10;

/// Jobs the newest snapshot has not rendered yet.
#[derive(Default)]
pub struct Backlog {
    queue: Mutex<Queue>,
    wake: Condvar,
}

#[derive(Default)]
struct Queue {
    generation: Option<Arc<Generation>>,
    jobs: BTreeSet<Owner>,
}

impl Backlog {
    /// From now on jobs are rendered from `generation`: `jobs` are added,
    /// `done` (rendered from it already) dropped. Returns how many are left.
    pub fn update(&self, generation: Arc<Generation>, jobs: BTreeSet<Owner>, done: &BTreeSet<Owner>) -> usize {
        let mut queue = self.queue.lock().expect("backlog lock");
        queue.generation = Some(generation);
        queue.jobs.extend(jobs);
        queue.jobs.retain(|job| !done.contains(job));
        self.wake.notify_all();
        queue.jobs.len()
    }

    /// Waits for work: the newest snapshot and some of its jobs, those of
    /// pages open in a browser (`open`) first, pages before site-wide parts.
    fn take(&self, open: impl Fn(&Generation) -> BTreeSet<Owner>) -> (Arc<Generation>, Vec<Owner>) {
        let mut queue = self.queue.lock().expect("backlog lock");
        loop {
            if let (Some(generation), false) = (queue.generation.clone(), queue.jobs.is_empty()) {
                let chunk = next_chunk(&queue.jobs, &open(&generation));
                for job in &chunk {
                    queue.jobs.remove(job);
                }
                return (generation, chunk);
            }
            queue = self.wake.wait(queue).expect("backlog lock");
        }
    }
}

fn next_chunk(jobs: &BTreeSet<Owner>, open: &BTreeSet<Owner>) -> Vec<Owner> {
    let open: Vec<Owner> = jobs.intersection(open).take(CHUNK).cloned().collect();
    if !open.is_empty() {
        return open;
    }
    let pages: Vec<Owner> = jobs.iter().filter(|j| !matches!(j, Owner::SiteWide(_))).take(CHUNK).cloned().collect();
    if pages.is_empty() {
        jobs.iter().take(1).cloned().collect()
    } else {
        pages
    }
}

/// Renders the backlog as it comes, for as long as the server runs.
pub fn run(shared: Arc<Shared>, backlog: Arc<Backlog>) {
    lower_priority(NICENESS);
    // Its own pool: the engine's renders must never queue behind these.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .thread_name(|_| "serve-background".into())
        .start_handler(|_| lower_priority(NICENESS))
        .build()
        .ok();
    loop {
        let (generation, chunk) = backlog.take(|g| g.open_jobs(&shared.open_pages()));
        let changed = match &pool {
            Some(pool) => pool.install(|| generation.render_into(&shared, &chunk)),
            None => generation.render_into(&shared, &chunk),
        };
        shared.announce(&changed);
    }
}

/// Makes the calling thread (and the threads it starts) yield the CPU to
/// the others: Linux sets niceness per thread.
pub fn lower_priority(niceness: i32) {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its arguments; `0` names the calling thread.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, niceness);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = niceness;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_pages_come_first_then_pages_then_one_site_wide_part() {
        let page = |key: &str| Owner::Page(key.into(), "en".into());
        let jobs: BTreeSet<Owner> = [page("a"), page("b"), page("c"), Owner::SiteWide(0), Owner::SiteWide(1)].into();
        assert_eq!(next_chunk(&jobs, &[page("c"), page("z")].into()), [page("c")]);
        assert_eq!(next_chunk(&jobs, &BTreeSet::new()), [page("a"), page("b"), page("c")]);
        let site_wide: BTreeSet<Owner> = [Owner::SiteWide(0), Owner::SiteWide(1)].into();
        assert_eq!(next_chunk(&site_wide, &BTreeSet::new()), [Owner::SiteWide(0)]);
    }
}
