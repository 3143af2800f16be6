//! The rebuilding side of `serve`: keeps the last good read of every input
//! file, turns changed files into a new immutable snapshot ([`Generation`])
//! that shares everything unchanged with the previous one, and renders again
//! only what the change touches — the edited page and the pages open in a
//! browser at once, everything else it touches in the background
//! (`background`).
//!
//! A file that fails to read keeps its last good version in the site and
//! shows as a problem until fixed; a snapshot that fails to assemble (a
//! template error, two pages on one path) leaves the previous one served.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use super::background::Backlog;
use super::plan::{plan, Plan, SiteDiff};
use super::snapshot::Generation;
use super::store::{Owner, Shared};
use crate::build::theme_assets;
use crate::config::{Config, OfflineOptions};
use crate::content::{self, ContentFile, MarkdownName, Source};
use crate::error::{Diagnostic, Error, Result};
use crate::freshness::Freshness;
use crate::highlight::Highlighter;
use crate::i18n::I18n;
use crate::site::{self, Site};
use crate::templates::Theme;
use crate::urls::relative_slash_path;

/// Up to this many edited pages are rendered at once, before the
/// background; a bigger change serves the open pages first.
const URGENT_LIMIT: usize = 64;

/// A search refresh for the background thread: the languages whose pages changed.
pub struct SearchUpdate {
    pub generation: Arc<Generation>,
    pub languages: BTreeSet<String>,
}

/// What a batch of file events asks to read again.
#[derive(Debug, Default)]
pub struct Changes {
    /// `site.toml` or `i18n/`: everything is read and rendered again.
    pub everything: bool,
    pub theme: bool,
    pub static_files: bool,
    /// Paths below `content/` (files or folders, present or gone).
    pub content: BTreeSet<PathBuf>,
    /// The watcher lost events: walk `content/` again.
    pub rescan: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        !self.everything && !self.theme && !self.static_files && self.content.is_empty() && !self.rescan
    }

    fn merge(&mut self, other: Changes) {
        self.everything |= other.everything;
        self.theme |= other.theme;
        self.static_files |= other.static_files;
        self.rescan |= other.rescan;
        self.content.extend(other.content);
    }

    /// Which input a changed path belongs to (paths under `root`).
    pub fn classify(root: &Path, theme: &str, path: &Path) -> Changes {
        let mut changes = Changes::default();
        let Ok(rel) = path.strip_prefix(root) else {
            return changes;
        };
        let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        if parts.iter().skip(1).any(|p| content::is_ignored(p)) {
            return changes;
        }
        match parts.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            [crate::config::CONFIG_FILE] | ["i18n", ..] => changes.everything = true,
            ["content", ..] => {
                changes.content.insert(path.to_path_buf());
            }
            ["static", ..] => changes.static_files = true,
            ["templates", ..] => changes.theme = true,
            ["themes", name, ..] if *name == theme => changes.theme = true,
            _ => {}
        }
        changes
    }
}

/// A Markdown file read, or every problem found in it.
type Read = std::result::Result<(MarkdownName, Source), Vec<Error>>;

/// Inputs as last read without error.
#[derive(Default)]
struct Inputs {
    config: Option<Config>,
    i18n: Option<Arc<I18n>>,
    /// Every Markdown file by its path below `content/`.
    sources: BTreeMap<String, (MarkdownName, Arc<Source>)>,
    files: BTreeMap<String, ContentFile>,
    static_files: Vec<(String, PathBuf)>,
    /// Files of `content/` that failed to read or are links leading out of
    /// it, by path below `content/`: the last good version of a Markdown
    /// file (if any) stays in the site meanwhile.
    file_errors: BTreeMap<String, Vec<String>>,
    /// Links in `static/` that lead out of it (left out).
    static_errors: Vec<String>,
}

pub struct Engine {
    root: PathBuf,
    drafts: bool,
    shared: Arc<Shared>,
    highlighter: Highlighter,
    inputs: Inputs,
    pending: Changes,
    /// Everything was read again and no snapshot made from it yet: the next
    /// one shares nothing with the previous.
    reread: bool,
    /// Since the last snapshot: Markdown files read again that were there
    /// before, as the same page and language (paths below `content/`)…
    replaced: BTreeSet<String>,
    /// … and whether anything else changed (files came or went).
    structural: bool,
    generation: Option<Arc<Generation>>,
    /// Id of the next snapshot.
    next_id: u64,
    /// What the current snapshot has not rendered yet, for the background.
    backlog: Arc<Backlog>,
    /// Problems of the last attempt to make a snapshot.
    build_problems: Vec<String>,
    /// Content problems that do not stop a snapshot (two files for one page).
    content_problems: Vec<String>,
    /// Workshops and modules whose fields are wrong (they do not stop a
    /// snapshot in serve; a build stops at them).
    workshop_problems: Vec<String>,
    /// The link warnings of the served snapshot, by node key: what `check`
    /// finds in links, kept up to date as pages and their headings change.
    link_warnings: BTreeMap<String, Vec<Diagnostic>>,
    /// The translation errors of the served snapshot (stamps that name no
    /// version, translations whose original is gone), as `build` lists
    /// them: reported when they come and go.
    translation_errors: Vec<Diagnostic>,
    /// `t()` keys of the templates that no `.ftl` defines, as `build` warns.
    ui_string_warnings: Vec<Diagnostic>,
    search: Option<Sender<SearchUpdate>>,
    /// How long each step of the current rebuild took.
    laps: Laps,
}

/// Step timings of one rebuild.
#[derive(Debug, Clone)]
pub struct Laps {
    last: Instant,
    pub list: Vec<(&'static str, std::time::Duration)>,
}

impl Default for Laps {
    fn default() -> Self {
        Laps { last: Instant::now(), list: Vec::new() }
    }
}

impl Laps {
    fn lap(&mut self, step: &'static str) {
        let now = Instant::now();
        self.list.push((step, now - self.last));
        self.last = now;
    }
}

impl Engine {
    pub fn new(root: PathBuf, drafts: bool, shared: Arc<Shared>, backlog: Arc<Backlog>) -> Engine {
        Engine {
            root,
            drafts,
            shared,
            highlighter: Highlighter::new(),
            inputs: Inputs::default(),
            pending: Changes { everything: true, ..Changes::default() },
            reread: false,
            replaced: BTreeSet::new(),
            structural: false,
            generation: None,
            next_id: 1,
            backlog,
            build_problems: Vec::new(),
            content_problems: Vec::new(),
            workshop_problems: Vec::new(),
            link_warnings: BTreeMap::new(),
            translation_errors: Vec::new(),
            ui_string_warnings: Vec::new(),
            search: None,
            laps: Laps::default(),
        }
    }

    pub fn send_search_updates_to(&mut self, sender: Sender<SearchUpdate>) {
        self.search = Some(sender);
        if let Some(generation) = &self.generation {
            self.send_search(generation.clone(), generation.languages());
        }
    }

    pub fn theme_name(&self) -> Option<&str> {
        self.inputs.config.as_ref().map(|c| c.theme.as_str())
    }

    /// Problems reading the inputs and making the last snapshot (rendering
    /// problems are the renderers' to note, in `Shared`).
    fn input_problems(&self) -> Vec<String> {
        let files = self.inputs.file_errors.values().flatten().chain(&self.inputs.static_errors);
        let snapshot = self.content_problems.iter().chain(&self.workshop_problems).chain(&self.build_problems);
        files.chain(snapshot).cloned().collect()
    }

    /// Reads what changed, makes and serves a new snapshot. Returns what
    /// it did, for the terminal.
    pub fn apply(&mut self, changes: Changes) -> Report {
        let started = Instant::now();
        self.laps = Laps::default();
        self.pending.merge(changes);
        let result = self.read_inputs().and_then(|()| {
            self.laps.lap("read files");
            self.make_generation()
        });
        let report = match result {
            Ok(Some(made)) => {
                self.build_problems.clear();
                self.reread = false;
                self.replaced.clear();
                self.structural = false;
                self.serve_generation(made, started)
            }
            Ok(None) => Report { elapsed: started.elapsed(), laps: self.laps.list.clone(), ..Report::default() },
            Err(e) => {
                self.build_problems = vec![self.display(&e)];
                Report { failed: true, elapsed: started.elapsed(), ..Report::default() }
            }
        };
        self.shared.set_input_problems(self.input_problems());
        report
    }

    fn read_inputs(&mut self) -> Result<()> {
        if self.pending.everything {
            self.read_everything()?;
            self.pending = Changes { theme: true, ..Changes::default() };
            self.reread = true;
            return Ok(());
        }
        let config = self.inputs.config.clone().expect("read before");
        // A path that is `content/` itself (made again, moved back) asks
        // for a walk of it all, as lost events do.
        if !self.pending.rescan {
            for path in std::mem::take(&mut self.pending.content) {
                self.refresh_content(&config, &path);
            }
            // A link to nowhere may lead somewhere now: its target was made.
            let content_dir = config.content_dir();
            let links: Vec<PathBuf> = (self.inputs.file_errors.keys())
                .map(|rel| content_dir.join(rel))
                .filter(|path| path.is_symlink() && path.exists())
                .collect();
            for path in links {
                self.refresh_content(&config, &path);
            }
        }
        if self.pending.rescan {
            // Until it succeeds (`content/` is back), every batch asks again.
            self.rescan_content(&config)?;
            self.structural = true;
        }
        self.pending.rescan = false;
        self.pending.content.clear();
        if self.pending.static_files {
            self.read_static_files(&config)?;
            self.pending.static_files = false;
        }
        Ok(())
    }

    fn read_static_files(&mut self, config: &Config) -> Result<()> {
        let (listed, refused) = site::scan_static_files(config)?;
        self.structural |= listed != self.inputs.static_files;
        self.inputs.static_files = listed;
        self.inputs.static_errors = refused.iter().map(|e| self.display(e)).collect();
        Ok(())
    }

    fn read_everything(&mut self) -> Result<()> {
        let mut config = Config::load(&self.root)?;
        // What copies the whole site is for publishing, not previewing: an
        // offline bundle or pack would be made again on every save, and a
        // service worker would cache the preview in the browser.
        config.offline = OfflineOptions { bundles: false, service_worker: false, packs: false };
        let i18n = Arc::new(I18n::load(&config)?);
        self.read_static_files(&config)?;
        self.inputs.config = Some(config.clone());
        self.inputs.i18n = Some(i18n);
        self.rescan_content(&config)
    }

    /// Walks `content/` and reads every Markdown file again (in parallel).
    fn rescan_content(&mut self, config: &Config) -> Result<()> {
        let content::Scan { markdown, files, refused } = content::scan(config)?;
        let read: Vec<(String, Read)> =
            markdown.par_iter().map(|(path, rel)| (rel.clone(), content::read_markdown(config, path, rel))).collect();
        let previous = std::mem::take(&mut self.inputs.sources);
        self.inputs.file_errors.clear();
        for (rel, error) in refused {
            self.inputs.file_errors.insert(rel, vec![self.display(&error)]);
        }
        for (rel, result) in read {
            match result {
                Ok((name, source)) => {
                    self.inputs.sources.insert(rel, (name, Arc::new(source)));
                }
                Err(errors) => {
                    // The last good version stays, unless its language is
                    // no longer one of the site's (`site.toml` edited).
                    if let Some(earlier) = previous.get(&rel).filter(|(name, _)| config.is_language(&name.lang)) {
                        self.inputs.sources.insert(rel.clone(), earlier.clone());
                    }
                    self.inputs.file_errors.insert(rel, errors.iter().map(|e| self.display(e)).collect());
                }
            }
        }
        self.inputs.files = files.into_iter().map(|f| (f.rel_path.clone(), f)).collect();
        Ok(())
    }

    /// One path below `content/` changed: a file (read again), a folder
    /// (every file in it read again), or something gone (forgotten, with
    /// everything below it).
    fn refresh_content(&mut self, config: &Config, path: &Path) {
        let content_dir = config.content_dir();
        if !path.starts_with(&content_dir) || path == content_dir {
            self.pending.rescan = true;
            return;
        }
        self.structural |= !path.is_file();
        let rel = relative_slash_path(&content_dir, path);
        let below = format!("{rel}/");
        let gone = |key: &String| *key == rel || key.starts_with(&below);
        if path.is_dir() {
            let mut entries = walkdir::WalkDir::new(path)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !content::is_ignored(&e.file_name().to_string_lossy()));
            let mut present = BTreeSet::new();
            while let Some(entry) = entries.next() {
                let entry = match entry {
                    Ok(entry) => entry,
                    // A link to nowhere or a loop: `build` stops at it.
                    Err(e) => {
                        let Some(file_rel) = e.path().map(|p| relative_slash_path(&content_dir, p)) else {
                            continue;
                        };
                        let error = self.display(&content::walk_error(config, e));
                        self.inputs.file_errors.insert(file_rel.clone(), vec![error]);
                        present.insert(file_rel);
                        continue;
                    }
                };
                let file_rel = relative_slash_path(&content_dir, entry.path());
                // A linked folder leading out of content/ is one problem, as
                // `build` reports it, and is not walked.
                let refused = match entry.file_type().is_dir() && entry.path_is_symlink() {
                    true => inside_content(config, entry.path()).err(),
                    false => None,
                };
                if let Some(refused) = refused {
                    entries.skip_current_dir();
                    self.inputs.file_errors.insert(file_rel.clone(), vec![self.display(&refused)]);
                    present.insert(file_rel);
                } else if entry.file_type().is_file() {
                    self.refresh_file(config, entry.path(), &file_rel);
                    present.insert(file_rel);
                }
            }
            self.forget(|key| gone(key) && !present.contains(key));
        } else if path.is_file() {
            self.refresh_file(config, path, &rel);
        } else if let (Ok(_), Err(e)) = (path.symlink_metadata(), path.metadata()) {
            // A link to nowhere: `build` stops at it. A Markdown file keeps
            // its last good version meanwhile; anything below it goes.
            self.forget(|key| key.starts_with(&below));
            self.inputs.files.remove(&rel);
            let error = self.display(&content::unreadable(path, e));
            self.inputs.file_errors.insert(rel, vec![error]);
        } else {
            self.forget(gone);
        }
    }

    fn forget(&mut self, gone: impl Fn(&String) -> bool) {
        self.replaced.retain(|key| !gone(key));
        self.inputs.sources.retain(|key, _| !gone(key));
        self.inputs.files.retain(|key, _| !gone(key));
        self.inputs.file_errors.retain(|key, _| !gone(key));
    }

    fn refresh_file(&mut self, config: &Config, path: &Path, rel: &str) {
        if let Err(refused) = inside_content(config, path) {
            // A Markdown file keeps its last good version; any other file goes.
            self.structural |= self.inputs.files.remove(rel).is_some();
            self.inputs.file_errors.insert(rel.to_string(), vec![self.display(&refused)]);
            return;
        }
        if !rel.ends_with(".md") {
            self.inputs.file_errors.remove(rel);
            if !self.inputs.files.contains_key(rel) {
                let file = ContentFile { path: path.to_path_buf(), rel_path: rel.to_string() };
                self.inputs.files.insert(rel.to_string(), file);
                self.structural = true;
            }
            return;
        }
        match content::read_markdown(config, path, rel) {
            Ok((_, source)) if self.inputs.sources.get(rel).is_some_and(|(_, s)| same_source(s, &source)) => {
                self.inputs.file_errors.remove(rel);
            }
            Ok((name, source)) => {
                let in_place = self.inputs.sources.get(rel).is_some_and(|(earlier, _)| *earlier == name);
                if in_place {
                    self.replaced.insert(rel.to_string());
                } else {
                    self.structural = true;
                }
                self.inputs.sources.insert(rel.to_string(), (name, Arc::new(source)));
                self.inputs.file_errors.remove(rel);
            }
            Err(errors) => {
                let shown = errors.iter().map(|e| self.display(e)).collect();
                self.inputs.file_errors.insert(rel.to_string(), shown);
            }
        }
    }

    /// The next snapshot from the inputs, reusing the previous one's
    /// rendered Markdown, freshness and theme where nothing they depend on
    /// changed.
    /// `None` when nothing the site is made of changed.
    fn make_generation(&mut self) -> Result<Option<Made>> {
        let i18n = self.inputs.i18n.clone().expect("i18n read");
        let previous = self.generation.clone().filter(|_| !self.reread);
        let in_place = previous.as_ref().filter(|_| !self.structural && !self.pending.theme);
        let mut replaced_keys = BTreeSet::new();
        let mut workshops_touched = false;
        let site = match in_place {
            Some(_) if self.replaced.is_empty() => return Ok(None),
            Some(p) => {
                let replaced: Vec<(String, Arc<Source>)> = self
                    .replaced
                    .iter()
                    .filter_map(|rel| self.inputs.sources.get(rel))
                    .map(|(name, source)| (name.key.clone(), source.clone()))
                    .collect();
                replaced_keys = replaced.iter().map(|(key, _)| key.clone()).collect();
                workshops_touched = replaced.iter().any(|(key, source)| {
                    let before = p.site.index_of(key).and_then(|i| p.site.node(i).versions.get(&source.lang));
                    is_workshop_part(source) || before.is_some_and(|old| is_workshop_part(old))
                });
                p.site.with_replaced(&replaced, &self.highlighter)
            }
            None => None,
        };
        let site = match site {
            Some(site) => site,
            None => {
                replaced_keys.clear();
                let config = self.inputs.config.clone().expect("config read");
                let sources: Vec<(MarkdownName, Arc<Source>)> = self.inputs.sources.values().cloned().collect();
                let files: Vec<ContentFile> = self.inputs.files.values().cloned().collect();
                let (corpus, problems) = content::assemble(&config, sources, files, self.drafts);
                self.content_problems = problems.iter().map(|e| self.display(e)).collect();
                self.laps.lap("group content");
                let static_files = self.inputs.static_files.clone();
                let previous_site = previous.as_ref().map(|g| &*g.site);
                Site::assemble(config, corpus, static_files, &i18n, &self.highlighter, previous_site)?
            }
        };
        // Checking every workshop reads every source's fields: only when
        // the tree changed or an edit touched a workshop or module.
        if replaced_keys.is_empty() || workshops_touched {
            // Each on its own: they stop `build`, not the preview.
            let mut problems: Vec<String> =
                crate::pack::workshop::problems(&site).iter().map(|e| self.display(e)).collect();
            problems.sort();
            self.workshop_problems = problems;
        }
        self.laps.lap("site and markdown");
        let diff = previous.as_ref().map(|p| match replaced_keys.is_empty() {
            true => SiteDiff::between(&p.site, &site),
            false => SiteDiff::of_nodes(&p.site, &site, &replaced_keys),
        });
        self.laps.lap("compare");
        let freshness = match (&previous, &diff) {
            (Some(p), Some(diff)) => Freshness::update(&p.freshness, &p.site, &site, &diff.touched()),
            _ => Freshness::compute(&site),
        };
        self.laps.lap("translations");
        let (theme, assets, asset_artifacts) = match previous.as_ref().filter(|_| !self.pending.theme) {
            Some(p) => (p.theme.clone(), p.assets.clone(), p.asset_artifacts.clone()),
            None => {
                let theme = Theme::load(&site.config, i18n.clone())?;
                let (assets, artifacts) = theme_assets(&theme);
                (Arc::new(theme), Arc::new(assets), Arc::new(artifacts))
            }
        };
        // Two outputs on one address: the last good snapshot stays served.
        crate::collisions::refuse(&site, &|name| theme.has(name))?;
        let theme_changed = self.pending.theme;
        self.pending.theme = false;
        self.laps.lap("theme");
        let generation = Generation {
            id: self.next_id,
            site: Arc::new(site),
            i18n,
            freshness: Arc::new(freshness),
            theme,
            assets,
            asset_artifacts,
        };
        self.next_id += 1;
        Ok(Some(Made { generation: Arc::new(generation), previous, diff, theme_changed }))
    }

    fn serve_generation(&mut self, made: Made, started: Instant) -> Report {
        let Made { generation, previous, diff, theme_changed } = made;
        let plan = match (&previous, &diff) {
            (Some(previous), Some(diff)) => plan(previous, &generation, diff, theme_changed),
            _ => {
                // Files of pages that are gone go too.
                let mut jobs = generation.all_jobs();
                jobs.extend(self.shared.owners().into_iter().filter(|o| !matches!(o, Owner::Search(_))));
                Plan { jobs, own_versions: BTreeSet::new(), languages: generation.languages() }
            }
        };
        let first_build = self.generation.is_none();
        let urgent: BTreeSet<Owner> = if first_build {
            plan.jobs.clone()
        } else {
            // What the writer is looking at: the pages open in a browser and
            // the edited versions (not the other languages showing them).
            let open = generation.open_jobs(&self.shared.open_pages());
            let mut urgent: BTreeSet<Owner> = plan.jobs.intersection(&open).cloned().collect();
            urgent.extend(plan.own_versions.iter().take(URGENT_LIMIT).cloned());
            urgent.extend(plan.jobs.get(&Owner::Assets).cloned());
            urgent
        };
        self.laps.lap("plan");
        let site_path = generation.site.config.site_path();
        if self.generation.is_some() && site_path != self.shared.site_path() {
            eprintln!("The site is served under {site_path} now (base_url changed).");
        }
        self.shared.set_site_path(site_path);
        self.generation = Some(generation.clone());
        let later = self.backlog.update(generation.clone(), plan.jobs.clone(), &urgent);
        let jobs: Vec<Owner> = urgent.iter().cloned().collect();
        let changed = generation.render_into(&self.shared, &jobs);
        self.shared.announce(&changed);
        self.laps.lap("render and serve");
        let mut links = self.recheck_links(&generation.site, diff.as_ref());
        links.extend(self.recheck_translations(&generation.freshness));
        links.extend(self.recheck_ui_strings(&generation));
        self.laps.lap("check links");
        self.send_search(generation.clone(), plan.languages);
        Report {
            failed: false,
            pages: urgent.iter().filter(|j| matches!(j, Owner::Page(..))).count(),
            later,
            changed_files: changed.len(),
            elapsed: started.elapsed(),
            laps: self.laps.list.clone(),
            links_found: links.found.iter().map(|d| self.shared.relative(&d.to_string())).collect(),
            links_fixed: links.fixed.iter().map(|d| self.shared.relative(&fixed_line(d))).collect(),
        }
    }

    /// Checks again the links whose warnings `site` may have changed: all
    /// of them without a `diff` (a first or full rebuild), else those of
    /// the nodes that changed and of the nodes linking to a heading of a
    /// node whose headings changed. Returns the warnings that came and went.
    fn recheck_links(&mut self, site: &Site, diff: Option<&SiteDiff>) -> LinkChanges {
        let nodes: Vec<usize> = match diff {
            None => {
                self.link_warnings.retain(|key, _| site.index_of(key).is_some());
                (0..site.nodes.len()).collect()
            }
            Some(diff) => {
                for key in &diff.removed {
                    self.link_warnings.remove(key);
                }
                let mut nodes: BTreeSet<usize> = diff.changed.iter().filter_map(|key| site.index_of(key)).collect();
                nodes.extend(site.linking_to_headings_of(&diff.headings));
                nodes.into_iter().collect()
            }
        };
        let checked: Vec<(usize, Vec<Diagnostic>)> =
            nodes.par_iter().map(|&i| (i, site.check_links_of(&[i]))).collect();
        let mut changes = LinkChanges::default();
        for (i, now) in checked {
            let key = &site.node(i).key;
            let before = self.link_warnings.get(key).map(Vec::as_slice).unwrap_or_default();
            let (found, fixed) = compare_warnings(before, &now);
            changes.found.extend(found.into_iter().cloned());
            changes.fixed.extend(fixed.into_iter().cloned());
            match now.is_empty() {
                true => self.link_warnings.remove(key),
                false => self.link_warnings.insert(key.clone(), now),
            };
        }
        changes.found.sort();
        changes.fixed.sort();
        changes
    }

    /// The translation errors that came and went with the snapshot whose
    /// freshness is `freshness`.
    fn recheck_translations(&mut self, freshness: &Freshness) -> LinkChanges {
        let (found, fixed) = compare_warnings(&self.translation_errors, &freshness.diagnostics);
        let changes =
            LinkChanges { found: found.into_iter().cloned().collect(), fixed: fixed.into_iter().cloned().collect() };
        self.translation_errors = freshness.diagnostics.clone();
        changes
    }

    /// The UI strings the templates ask for that no language defines,
    /// come and gone with `generation` (a template or `i18n/` edited).
    fn recheck_ui_strings(&mut self, generation: &Generation) -> LinkChanges {
        let now = crate::build::ui_string_warnings(&generation.site, &generation.i18n, &generation.theme);
        let (found, fixed) = compare_warnings(&self.ui_string_warnings, &now);
        let changes =
            LinkChanges { found: found.into_iter().cloned().collect(), fixed: fixed.into_iter().cloned().collect() };
        self.ui_string_warnings = now;
        changes
    }

    fn send_search(&mut self, generation: Arc<Generation>, languages: BTreeSet<String>) {
        if let Some(sender) = &self.search {
            if sender.send(SearchUpdate { generation, languages }).is_err() {
                self.search = None;
            }
        }
    }

    /// An error as a writer reads it, paths relative to the site.
    fn display(&self, error: &Error) -> String {
        self.shared.relative(&error.to_string())
    }
}

/// An error unless `path` (a file below `content/`) really lies inside
/// `content/`, links followed: a writer's link must not publish what it
/// leads to elsewhere.
fn inside_content(config: &Config, path: &Path) -> Result<()> {
    let content_dir = config.content_dir();
    let inside = content_dir.canonicalize().map_err(|e| Error::io(&content_dir, e))?;
    content::ensure_inside(&inside, path, "content/")
}

/// Whether a source is (or was) part of a workshop: a workshop or a module.
fn is_workshop_part(source: &Source) -> bool {
    crate::pack::workshop::is_workshop(source) || source.front.extra.contains_key("module")
}

/// Whether a file read again says exactly what it said before.
fn same_source(a: &Source, b: &Source) -> bool {
    a.body == b.body && a.body_line == b.body_line && a.front == b.front && a.path == b.path
}

/// The warnings of `after` that `before` lacks, and those of `before` that
/// `after` lacks; one that only moved to another line of its file is the
/// same warning.
fn compare_warnings<'d>(
    before: &'d [Diagnostic],
    after: &'d [Diagnostic],
) -> (Vec<&'d Diagnostic>, Vec<&'d Diagnostic>) {
    let unmatched = |list: &'d [Diagnostic], other: &'d [Diagnostic]| {
        let mut left: BTreeMap<(&Path, &str), usize> = BTreeMap::new();
        for d in other {
            *left.entry((&d.path, &d.message)).or_default() += 1;
        }
        let mut unmatched = Vec::new();
        for d in list {
            match left.get_mut(&(d.path.as_path(), d.message.as_str())) {
                Some(n) if *n > 0 => *n -= 1,
                _ => unmatched.push(d),
            }
        }
        unmatched
    };
    (unmatched(after, before), unmatched(before, after))
}

/// A warning gone, as the terminal says it.
fn fixed_line(d: &Diagnostic) -> String {
    format!("fixed: {}:{}:{}: {}", d.path.display(), d.line, d.column, d.message)
}

/// Link warnings (and translation errors) that came and went with a snapshot.
#[derive(Default)]
struct LinkChanges {
    found: Vec<Diagnostic>,
    fixed: Vec<Diagnostic>,
}

impl LinkChanges {
    fn extend(&mut self, other: LinkChanges) {
        self.found.extend(other.found);
        self.fixed.extend(other.fixed);
        self.found.sort();
        self.fixed.sort();
    }
}

struct Made {
    generation: Arc<Generation>,
    previous: Option<Arc<Generation>>,
    diff: Option<SiteDiff>,
    theme_changed: bool,
}

/// What a rebuild did, for the terminal.
#[derive(Debug, Default)]
pub struct Report {
    pub failed: bool,
    /// Pages rendered before the snapshot was served.
    pub pages: usize,
    /// Jobs left for later.
    pub later: usize,
    pub changed_files: usize,
    pub elapsed: std::time::Duration,
    pub laps: Vec<(&'static str, std::time::Duration)>,
    /// Link warnings and translation errors that came with this snapshot
    /// (after the first build: every one the site has)…
    pub links_found: Vec<String>,
    /// … and those it fixed.
    pub links_fixed: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Severity;

    fn warning(line: usize, message: &str) -> Diagnostic {
        let path = PathBuf::from("content/a.md");
        Diagnostic { path, line, column: 1, severity: Severity::Warning, message: message.into() }
    }

    #[test]
    fn a_warning_moved_to_another_line_is_neither_found_nor_fixed() {
        let before = [warning(3, "no page x"), warning(5, "no page x"), warning(7, "no page y")];
        let after = [warning(4, "no page x"), warning(8, "no page y"), warning(9, "no page z")];
        let (found, fixed) = compare_warnings(&before, &after);
        assert_eq!(found, [&after[2]]);
        assert_eq!(fixed, [&before[1]], "one of two alike went");
    }

    #[test]
    fn paths_are_classified_by_input() {
        let root = Path::new("/site");
        let classify = |p: &str| Changes::classify(root, "default", Path::new(p));
        assert!(classify("/site/site.toml").everything);
        assert!(classify("/site/i18n/ca.ftl").everything);
        assert!(classify("/site/themes/default/templates/page.html").theme);
        assert!(classify("/site/themes/other/templates/page.html").is_empty());
        assert!(classify("/site/templates/page.html").theme);
        assert!(classify("/site/static/logo.svg").static_files);
        assert_eq!(classify("/site/content/a.md").content.len(), 1);
        assert!(classify("/site/content/.a.md.swp").is_empty());
        assert!(classify("/site/content/a.md~").is_empty());
        assert!(classify("/site/public/index.html").is_empty());
        assert!(classify("/elsewhere/site.toml").is_empty());
    }
}
