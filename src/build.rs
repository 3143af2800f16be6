//! The build pipeline as plain functions: config → content → site → render →
//! write. Returns a report (diagnostics, per-language counts, timings); the
//! CLI decides how to show it.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::collisions;
use crate::config::Config;
use crate::content;
use crate::error::{CollectInOrder, Diagnostic, Error, Result, Severity};
use crate::feeds;
use crate::freshness::Freshness;
use crate::highlight::Highlighter;
use crate::i18n::I18n;
use crate::keep::Kept;
use crate::mirror::{self, sign::SigningKey};
use crate::offline::{self, SiteParts};
use crate::output::{self, fingerprint, Artifact};
use crate::scope::Downloads;
use crate::search;
use crate::site::Site;
use crate::stamp;
use crate::status;
use crate::template_sources::ThemeSources;
use crate::templates::{Renderer, Theme};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `ROOT/public`.
    pub out: Option<PathBuf>,
    pub offline: bool,
    pub strict: bool,
    pub drafts: bool,
    /// Replace an output folder that holds files infrared did not write.
    pub force: bool,
    /// Signs `SHA256SUMS` into `SHA256SUMS.minisig` when given.
    pub sign_key: Option<SigningKey>,
    /// Build even when the output's stamp says nothing changed.
    pub no_cache: bool,
    /// Paths of the output folder whose files others write (certbot's
    /// `.well-known/acme-challenge/` always): each build carries them over.
    pub kept: Kept,
}

impl BuildOptions {
    pub fn out(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }

    /// Every option that changes what is written, as text for the
    /// fingerprint (`force` and `strict` only decide whether a build may write).
    fn fingerprint_text(&self) -> String {
        let key = self.sign_key.as_ref().map(|k| format!("{} {}", k.public_key_base64(), k.path.display()));
        format!("out={} offline={} drafts={} sign_key={key:?}", self.out().display(), self.offline, self.drafts)
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LanguageStats {
    pub code: String,
    pub pages: usize,
    pub translated: usize,
    pub fallback: usize,
}

/// What a build did. All but `out`, `timings` and `up_to_date` is kept in
/// the output's stamp, to be shown again by a build that finds nothing changed.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct BuildReport {
    #[serde(skip)]
    pub out: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
    pub languages: Vec<LanguageStats>,
    pub files: usize,
    pub bytes: u64,
    #[serde(skip)]
    pub timings: Vec<(&'static str, Duration)>,
    pub search: Vec<search::export::ExportStats>,
    /// Offline bundles and workshop packs: (output path, bytes).
    pub downloads: Vec<(String, u64)>,
    /// Nothing changed since the last build into `out`: nothing was written.
    #[serde(skip)]
    pub up_to_date: bool,
    /// Files under kept paths of the output folder that gave way to the
    /// site's own file (or folder) at their path.
    #[serde(skip)]
    pub displaced: Vec<String>,
}

impl BuildReport {
    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity <= Severity::Warning).count()
    }
}

/// Called as the build moves on: (stage name, pages done, pages in all).
pub type ProgressFn<'a> = &'a (dyn Fn(&str, usize, usize) + Sync);

struct Timer {
    last: Instant,
    timings: Vec<(&'static str, Duration)>,
}

impl Timer {
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.timings.push((stage, now - self.last));
        self.last = now;
    }
}

/// Builds the site, or, when the output's stamp says no input changed
/// since it was written (and `no_cache` is off), reports that build again.
pub fn build(options: &BuildOptions, progress: ProgressFn) -> Result<BuildReport> {
    let mut timer = Timer { last: Instant::now(), timings: Vec::new() };
    progress("Checking for changes", 0, 0);
    let out = output::target_folder(&options.out());
    // No lock file beside what no build may replace (/, a file, a mount point…).
    output::check_not_shared(&out, "pass --out with a folder of its own, e.g. public")?;
    // Everything below may write beside `out`: one build at a time.
    let _lock = output::lock(&out)?;
    let inputs = stamp::fingerprint(&options.root, &options.fingerprint_text());
    timer.lap("fingerprint inputs");
    if let Some(inputs) = inputs.as_ref().filter(|_| !options.no_cache) {
        let stored: Option<BuildReport> = stamp::up_to_date(&out, inputs, &options.kept);
        timer.lap("check output");
        if let Some(report) = stored {
            if options.strict && report.warnings() > 0 {
                return Err(strict_failure(&report.diagnostics));
            }
            clear_leftovers(&out)?;
            return Ok(BuildReport { out, timings: timer.timings, up_to_date: true, ..report });
        }
    }
    let mut report = build_all(options, &out, progress, &mut timer)?;
    // Stamped only if no input changed while the build read them. The
    // inputs are hashed again while the output folder is walked: each has
    // a part that runs on one core.
    let (after, output) = rayon::join(
        || stamp::fingerprint(&options.root, &options.fingerprint_text()),
        || stamp::output_digest(&out, &options.kept),
    );
    if let (Some(inputs), Some(output)) = (inputs.filter(|before| after.as_ref() == Some(before)), output) {
        stamp::write(&out, inputs, output, &report);
    }
    timer.lap("stamp output");
    report.timings = std::mem::take(&mut timer.timings);
    Ok(report)
}

fn build_all(options: &BuildOptions, out: &Path, progress: ProgressFn, timer: &mut Timer) -> Result<BuildReport> {
    let out = out.to_path_buf();
    progress("Reading content", 0, 0);
    let config = Config::load(&options.root)?;
    let i18n = Arc::new(I18n::load(&config)?);
    let corpus = content::load(&config, options.drafts)?;
    timer.lap("read content");
    progress("Rendering Markdown", 0, 0);
    let highlighter = Highlighter::new();
    // Read once: the site takes the ids its templates write, the theme compiles them.
    let sources = ThemeSources::load(&config);
    let site = Site::with_theme(config, corpus, &i18n, &highlighter, sources.as_ref().ok())?;
    timer.lap("render markdown");
    let freshness = Freshness::compute(&site);
    let diagnostics = merged(&site.diagnostics, &freshness.diagnostics);
    timer.lap("translations");
    let theme = Theme::from_sources(sources?, i18n.clone())?;
    let diagnostics = merged(&diagnostics, &ui_string_warnings(&site, &i18n, &theme));
    if options.strict && diagnostics.iter().any(|d| d.severity <= Severity::Warning) {
        return Err(strict_failure(&diagnostics));
    }
    collisions::refuse(&site, &|name| theme.has(name))?;
    let (asset_map, theme_artifacts) = theme_assets(&theme);
    timer.lap("load theme");
    let parts = SiteParts {
        site: &site,
        theme: &theme,
        i18n: &i18n,
        freshness: &freshness,
        assets: &asset_map,
        asset_files: &theme_artifacts,
    };
    output::check_output_folder(&out, &options.root, options.force, &options.kept)?;
    let staging = output::Staging::begin(&out)?;
    let written = WrittenEarly { staging: &staging, hashes: Mutex::default() };
    let (mut early_artifacts, mut downloads) = workshop_packs(&parts, progress, timer)?;
    // Each language's search, then its offline bundle, which carries it. The
    // search cache is built aside and swapped in with the output.
    let cache = StagedFolder::new(search::cache_dir(&out));
    progress("Indexing for search, making offline bundles", 0, 0);
    let by_language = language_outputs(&parts, &cache.staging, &written)?;
    timer.lap("search and bundles");
    let (search_artifacts, search_stats) = by_language.search;
    timer.timings.extend(by_language.step_times);
    early_artifacts.extend(by_language.bundles);
    downloads.bundles = by_language.offered;
    let renderer = Renderer {
        site: &site,
        theme: &theme,
        i18n: &i18n,
        offline: options.offline,
        assets: &asset_map,
        freshness: &freshness,
        scope: None,
        downloads: Some(&downloads),
    };
    progress("Rendering pages", 0, site.nodes.len() * site.config.languages.len());
    let mut artifacts = render_site(&renderer, theme_artifacts, &written)?;
    timer.lap("render templates");
    artifacts.extend(search_artifacts);
    artifacts.extend(early_artifacts);
    progress("Hashing files", 0, 0);
    // Hashed once: the service worker's lists and the mirror manifest share
    // them. What was written early was hashed then, from memory.
    let hashed = mirror::manifest::hash_artifacts(&artifacts, &written.into_hashes())?;
    timer.lap("hash files");
    if site.config.offline.service_worker && !options.offline {
        let sha256 = hashed.iter().map(|f| (f.path.as_str(), f.sha256.as_str())).collect();
        let worker = offline::service_worker_files(&site, &sha256, &asset_map)?;
        artifacts.extend(worker);
        timer.lap("service worker");
    }
    artifacts.push(output::marker());
    let artifacts = output::collect(artifacts)?;
    let artifacts = mirror::seal(artifacts, &hashed, &site.config, options.sign_key.as_ref())?;
    timer.lap("sign");
    progress("Writing files", 0, 0);
    // Sizes from the hashing (pages and bundles are copies of staged files,
    // which the swap below moves away).
    let sizes: HashMap<&str, u64> = hashed.iter().map(|f| (f.path.as_str(), f.size)).collect();
    let bytes = artifacts.iter().map(|a| sizes.get(a.path.as_str()).copied().unwrap_or_else(|| artifact_size(a))).sum();
    stamp::forget(&out);
    let displaced = staging.finish(&artifacts, &options.kept)?;
    if site.config.search {
        cache.swap_in()?;
    }
    timer.lap("write output");
    Ok(BuildReport {
        out,
        languages: language_stats(&site),
        files: artifacts.len(),
        bytes,
        diagnostics,
        timings: Vec::new(),
        search: search_stats,
        downloads: downloads_report(&downloads),
        up_to_date: false,
        displaced,
    })
}

/// The parts a site's output is made of, each rendered from the site model
/// alone. `build` renders them all; `serve` renders again only those a
/// change touches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// The pages of these nodes (indexes into `site.nodes`), in every language.
    Pages(Vec<usize>),
    Taxonomies,
    NotFound,
    Chooser,
    SearchPages,
    Aliases,
    TranslationStatus,
    Feeds,
    Sitemap,
    Robots,
    /// Files of `content/` and `static/`, copied as they are.
    CopiedFiles,
    /// Netlify's `_headers` and `_redirects`.
    Hosting,
}

impl Part {
    /// Every part but the pages.
    pub const SITE_WIDE: [Part; 11] = [
        Part::Taxonomies,
        Part::NotFound,
        Part::Chooser,
        Part::SearchPages,
        Part::Aliases,
        Part::TranslationStatus,
        Part::Feeds,
        Part::Sitemap,
        Part::Robots,
        Part::CopiedFiles,
        Part::Hosting,
    ];
}

/// The artifacts of one part, in memory.
pub fn render_part(renderer: &Renderer, part: &Part) -> Result<Vec<Artifact>> {
    let site = renderer.site;
    Ok(match part {
        Part::Pages(nodes) => renderer.node_pages(nodes)?,
        Part::Taxonomies => renderer.taxonomies()?,
        Part::NotFound => renderer.not_found_pages()?,
        Part::Chooser => vec![renderer.chooser()?],
        Part::SearchPages => renderer.search_pages()?,
        Part::Aliases => renderer.aliases(),
        Part::TranslationStatus => renderer.translation_pages(&status::report(site, renderer.freshness))?,
        Part::Feeds => site.config.languages.iter().map(|l| feeds::atom_feed(site, l)).collect(),
        Part::Sitemap => vec![feeds::sitemap(site)],
        Part::Robots => vec![feeds::robots(site)],
        Part::CopiedFiles => copied_files(site),
        Part::Hosting => mirror::hosting::netlify_files(site),
    })
}

/// How many nodes' pages (in every language) are rendered before they are
/// written out: enough to keep both cores busy, few enough that a site's
/// pages are never all in memory at once.
const PAGES_WRITTEN_EVERY: usize = 64;

/// Every artifact of the site but the search index: the theme's assets,
/// every page, then the site-wide parts. Pages are written into `staging`
/// as they are rendered, a batch at a time, so peak memory does not grow
/// with the site; the rest stays in memory.
fn render_site(renderer: &Renderer, theme_artifacts: Vec<Artifact>, written: &WrittenEarly) -> Result<Vec<Artifact>> {
    let mut artifacts = theme_artifacts;
    let nodes: Vec<usize> = (0..renderer.site.nodes.len()).collect();
    for batch in nodes.chunks(PAGES_WRITTEN_EVERY) {
        artifacts.extend(written.write(renderer.node_pages(batch)?)?);
    }
    // The site-wide parts are small next to the pages but were the build's
    // last second on one core: rendered side by side, kept in this order.
    let parts: Vec<Vec<Artifact>> =
        Part::SITE_WIDE.par_iter().map(|part| render_part(renderer, part)).collect_in_order()?;
    artifacts.extend(parts.into_iter().flatten());
    Ok(artifacts)
}

/// Files written into the staging folder before the end of the build
/// (pages, bundles), hashed while their bytes are still in memory: the
/// manifest and the service worker need every file's hash, and reading
/// thousands of files back was most of the cost of hashing them.
struct WrittenEarly<'s> {
    staging: &'s output::Staging,
    hashes: Mutex<Vec<mirror::manifest::FileEntry>>,
}

impl WrittenEarly<'_> {
    /// Hashes and writes `artifacts`; returns them as copies of the written files.
    fn write(&self, artifacts: Vec<Artifact>) -> Result<Vec<Artifact>> {
        let hashed = mirror::manifest::hash_artifacts(&artifacts, &[])?;
        self.hashes.lock().unwrap_or_else(|e| e.into_inner()).extend(hashed);
        self.staging.write_now(artifacts)
    }

    fn into_hashes(self) -> Vec<mirror::manifest::FileEntry> {
        self.hashes.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// Keys the templates pass to `t()` that no language defines: the pages
/// show the key itself, so the build says where (`check` too, as errors).
pub(crate) fn ui_string_warnings(site: &Site, i18n: &I18n, theme: &Theme) -> Vec<Diagnostic> {
    let found = crate::check::undefined_ui_strings(&site.config, &site.corpus, i18n, theme.template_sources());
    found.into_iter().map(|d| Diagnostic { severity: Severity::Warning, ..d }).collect()
}

fn merged(a: &[Diagnostic], b: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut all: Vec<Diagnostic> = a.iter().chain(b).cloned().collect();
    all.sort();
    all
}

/// A folder built beside its final place and swapped in only when the
/// build succeeds (the search cache); removed if the build fails.
struct StagedFolder {
    target: PathBuf,
    staging: PathBuf,
}

impl StagedFolder {
    fn new(target: PathBuf) -> StagedFolder {
        let name = target.file_name().map_or_else(|| "cache".into(), |n| n.to_string_lossy().into_owned());
        let staging = target.with_file_name(format!("{name}.partial-{}", std::process::id()));
        clear_stale_staging(&target, &format!("{name}.partial-"));
        StagedFolder { target, staging }
    }

    fn swap_in(&self) -> Result<()> {
        match std::fs::remove_dir_all(&self.target) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::io(&self.target, e)),
            _ => {}
        }
        std::fs::rename(&self.staging, &self.target).map_err(|e| Error::io(&self.target, e))
    }
}

/// What killed builds left beside the output and its search cache, cleared
/// by a build that finds nothing to write, as one that writes clears them.
fn clear_leftovers(out: &Path) -> Result<()> {
    let cache = search::cache_dir(out);
    let name = cache.file_name().map_or_else(|| "cache".into(), |n| n.to_string_lossy().into_owned());
    clear_stale_staging(&cache, &format!("{name}.partial-"));
    output::clear_leftovers(out)
}

/// A build killed while indexing leaves its staging folder behind (its
/// `Drop` never ran): clear those before staging again, so kills don't pile
/// up folders beside the output.
fn clear_stale_staging(target: &Path, prefix: &str) {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.filter_map(|e| e.ok()) {
        if entry.file_name().to_string_lossy().starts_with(prefix) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

impl Drop for StagedFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.staging);
    }
}

/// Workshop packs, before the pages that offer them.
fn workshop_packs(parts: &SiteParts, progress: ProgressFn, timer: &mut Timer) -> Result<(Vec<Artifact>, Downloads)> {
    let mut artifacts = Vec::new();
    let mut downloads = Downloads::default();
    // Workshops are checked in every build, packs or not: a bad duration or
    // a missing module is an error at its file:line.
    crate::pack::workshop::workshops(parts.site)?;
    if parts.site.config.offline.packs {
        progress("Making workshop packs", 0, 0);
        let (packs, offered) = crate::pack::site_packs(parts)?;
        artifacts.extend(packs);
        downloads.packs = offered;
        timer.lap("workshop packs");
    }
    Ok((artifacts, downloads))
}

/// What the languages add beside their pages.
struct LanguageOutputs {
    /// Every language's browser search files and their stats.
    search: (Vec<Artifact>, Vec<search::export::ExportStats>),
    /// The offline bundles, as written into the staging folder.
    bundles: Vec<Artifact>,
    /// The bundles the site's pages offer, by language.
    offered: BTreeMap<String, crate::scope::Download>,
    /// Each step's time, summed over the languages.
    step_times: Vec<(&'static str, Duration)>,
}

/// One language's search and bundle, and how long each took.
struct OneLanguage {
    search: Option<search::export::Export>,
    bundle: Option<(Artifact, crate::scope::Download)>,
    times: [Duration; 2],
}

/// Each language's search index, then its offline bundle (which carries
/// that search): a language's steps in turn, the languages side by side,
/// the one with most text to index first. No core waits for the slowest
/// language's index before bundles start, nor for the last bundle before
/// the pages. Bundles are written out as each is zipped, so they are not
/// all held in memory.
fn language_outputs(parts: &SiteParts, cache: &Path, written: &WrittenEarly) -> Result<LanguageOutputs> {
    let site = parts.site;
    let languages = &site.config.languages;
    let codes: Vec<String> = languages.iter().map(|l| l.code.clone()).collect();
    let analyzers = site.config.search.then(|| search::export::Analyzers::of(&codes)).transpose()?;
    let each = run_in_order(&most_text_first(site), |i| {
        let lang = &languages[i];
        let started = Instant::now();
        let search = match &analyzers {
            Some(analyzers) => {
                Some(analyzers.export(&lang.code, &search::build_language_index(site, cache, &lang.code)?)?)
            }
            None => None,
        };
        let searched = Instant::now();
        let bundle = if site.config.offline.bundles {
            let mut files: Vec<Artifact> = search.iter().flat_map(|e| e.artifacts.iter().cloned()).collect();
            files.extend(analyzers.as_ref().and_then(|a| a.script_of(&lang.code)).cloned());
            let (artifact, download) = offline::bundle(parts, lang, &files)?;
            Some((written.write(vec![artifact])?.remove(0), download))
        } else {
            None
        };
        Ok(OneLanguage { search, bundle, times: [searched - started, searched.elapsed()] })
    })?;
    let mut outputs = LanguageOutputs {
        search: (analyzers.map(|a| a.files).unwrap_or_default(), Vec::new()),
        bundles: Vec::new(),
        offered: BTreeMap::new(),
        step_times: Vec::new(),
    };
    let mut times = [Duration::ZERO; 2];
    for (lang, one) in languages.iter().zip(each) {
        if let Some(export) = one.search {
            outputs.search.0.extend(export.artifacts);
            outputs.search.1.push(export.stats);
        }
        if let Some((artifact, download)) = one.bundle {
            outputs.bundles.push(artifact);
            outputs.offered.insert(lang.code.clone(), download);
        }
        times[0] += one.times[0];
        times[1] += one.times[1];
    }
    if site.config.search {
        outputs.step_times.push(("  search index", times[0]));
    }
    if site.config.offline.bundles {
        outputs.step_times.push(("  offline bundles", times[1]));
    }
    Ok(outputs)
}

/// The languages' indexes (into `config.languages`), most text of their
/// own first: indexing a language is one task, so the longest should not
/// start last.
fn most_text_first(site: &Site) -> Vec<usize> {
    let text = |code: &str| -> usize {
        site.rendered.iter().filter_map(|versions| versions.get(code)).map(|r| r.text.len()).sum()
    };
    let mut order: Vec<(usize, usize)> =
        site.config.languages.iter().enumerate().map(|(i, l)| (text(&l.code), i)).collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    order.into_iter().map(|(_, i)| i).collect()
}

/// `work` for each of `order` (a permutation of `0..order.len()`), started
/// in that order on as many threads as the pool has, each thread taking the
/// next when done; the results by index, or the error of the first index
/// that failed. (A parallel iterator splits the list in halves, so its
/// last item may start last whatever its size.)
fn run_in_order<T: Send>(order: &[usize], work: impl Fn(usize) -> Result<T> + Sync) -> Result<Vec<T>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Result<T>>>> = order.iter().map(|_| Mutex::new(None)).collect();
    rayon::scope(|scope| {
        for _ in 0..rayon::current_num_threads().min(order.len()) {
            scope.spawn(|_| {
                while let Some(&i) = order.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                    let result = work(i);
                    *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                }
            });
        }
    });
    results
        .into_iter()
        .map(|slot| slot.into_inner().unwrap_or_else(|e| e.into_inner()).expect("every index of the order ran"))
        .collect()
}

fn downloads_report(downloads: &Downloads) -> Vec<(String, u64)> {
    let mut list: Vec<(String, u64)> = downloads
        .bundles
        .values()
        .chain(downloads.packs.values().flatten())
        .map(|d| (d.path.clone(), d.bytes))
        .collect();
    list.sort();
    list
}

fn strict_failure(diagnostics: &[Diagnostic]) -> Error {
    let list: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
    Error::Many {
        count: list.len(),
        list: format!(
            "{}\n  hint: --strict makes broken links fatal; fix them or build without --strict",
            list.join("\n")
        ),
    }
}

/// The theme's static files under `assets/`, fingerprinted, plus the
/// generated highlighting stylesheet. Returns (logical name → path, artifacts).
pub fn theme_assets(theme: &Theme) -> (BTreeMap<String, String>, Vec<Artifact>) {
    let generated = ("syntax.css".to_string(), Highlighter::stylesheet().into_bytes());
    let mut map = BTreeMap::new();
    let mut artifacts = Vec::new();
    for (name, bytes) in theme.static_files.iter().cloned().chain(std::iter::once(generated)) {
        let hash = fingerprint(&bytes);
        let fingerprinted = match name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => format!("assets/{stem}.{hash}.{ext}"),
            _ => format!("assets/{name}.{hash}"),
        };
        map.insert(name, fingerprinted.clone());
        artifacts.push(Artifact::bytes(fingerprinted, bytes));
    }
    (map, artifacts)
}

/// Content files beside their pages in every language, and `static/` at the root.
fn copied_files(site: &Site) -> Vec<Artifact> {
    let mut artifacts = Vec::new();
    for file in &site.corpus.files {
        let rel = site.content_file_output(&file.rel_path);
        for lang in &site.config.languages {
            artifacts.push(Artifact::copy(format!("{}/{rel}", lang.code), &file.path));
        }
    }
    for (rel, path) in &site.static_files {
        artifacts.push(Artifact::copy(rel.clone(), path));
    }
    artifacts
}

fn artifact_size(artifact: &Artifact) -> u64 {
    match &artifact.contents {
        output::Contents::Bytes(b) => b.len() as u64,
        output::Contents::Copy(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
    }
}

fn language_stats(site: &Site) -> Vec<LanguageStats> {
    site.config
        .languages
        .iter()
        .map(|lang| {
            let translated = site.corpus.nodes.iter().filter(|n| n.versions.contains_key(&lang.code)).count();
            LanguageStats {
                code: lang.code.clone(),
                pages: site.nodes.len(),
                translated,
                fallback: site.nodes.len() - translated,
            }
        })
        .collect()
}

/// A workshop pack made by `infrared pack`.
#[derive(Debug, Clone)]
pub struct MadePack {
    /// `digital-care-ar.zip`.
    pub file_name: String,
    pub lang: String,
    pub title: String,
    pub bytes: Vec<u8>,
}

/// The site as a build sees it (drafts left out), for commands that work on
/// its pages without writing it.
fn load_site(root: &Path) -> Result<(Site, Arc<I18n>)> {
    let config = Config::load(root)?;
    let i18n = Arc::new(I18n::load(&config)?);
    let corpus = content::load(&config, false)?;
    let site = Site::new(config, corpus, &i18n, &Highlighter::new())?;
    Ok((site, i18n))
}

/// `lang`, or the default language; an unknown one is an error at site.toml.
fn pack_language(site: &Site, lang: Option<&str>) -> Result<crate::config::Language> {
    let config = &site.config;
    let code = lang.unwrap_or(&config.default_language);
    if let Some(language) = config.language(code) {
        return Ok(language.clone());
    }
    let path = config.root.join(crate::config::CONFIG_FILE);
    let line = crate::error::read_text(&path)
        .ok()
        .and_then(|text| text.lines().position(|l| l.trim_start().starts_with("[languages.")).map(|i| i + 1));
    let known: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    Err(Error::input(
        path,
        line,
        format!("\"{code}\" is not a language of this site"),
        format!("use one of {}, or add [languages.{code}] here", known.join(", ")),
    ))
}

/// `infrared pack --list`: every workshop, (identifier, title in `lang`).
pub fn list_workshops(root: &Path, lang: Option<&str>) -> Result<Vec<(String, String)>> {
    let (site, _) = load_site(root)?;
    let lang = pack_language(&site, lang)?;
    crate::pack::list(&site, &lang.code)
}

/// `infrared pack WORKSHOP --lang L`: the workshop's pack as a zip.
pub fn make_pack(
    root: &Path,
    workshop: &str,
    lang: Option<&str>,
    options: &crate::pack::PackOptions,
) -> Result<MadePack> {
    let (site, i18n) = load_site(root)?;
    let lang = pack_language(&site, lang)?;
    let index = crate::pack::find(&site, workshop)?;
    let theme = Theme::load(&site.config, i18n.clone())?;
    collisions::refuse(&site, &|name| theme.has(name))?;
    let (assets, asset_files) = theme_assets(&theme);
    let freshness = Freshness::compute(&site);
    let parts = SiteParts {
        site: &site,
        theme: &theme,
        i18n: &i18n,
        freshness: &freshness,
        assets: &assets,
        asset_files: &asset_files,
    };
    let bytes = crate::pack::pack_zip(&parts, index, &lang, options)?;
    Ok(MadePack {
        file_name: crate::pack::file_name(&site, index, &lang.code, options.participants),
        title: site.title(index, &lang.code),
        lang: lang.code,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_started_in_any_order_comes_back_by_index_with_the_first_error_by_index() {
        let started = Mutex::new(Vec::new());
        let results = run_in_order(&[2, 0, 3, 1], |i| {
            started.lock().unwrap().push(i);
            Ok(i * 10)
        })
        .unwrap();
        assert_eq!(results, vec![0, 10, 20, 30]);
        let mut started = started.into_inner().unwrap();
        started.sort();
        assert_eq!(started, vec![0, 1, 2, 3], "each index runs once");

        let failing = |i: usize| -> Result<usize> {
            if i == 0 {
                Ok(0)
            } else {
                Err(Error::io(format!("language {i}"), std::io::Error::other("failed")))
            }
        };
        // Index 3 is started first and fails first; index 1 is reported.
        let error = run_in_order(&[3, 2, 1, 0], failing).unwrap_err().to_string();
        assert!(error.contains("language 1"), "{error}");
    }
}
