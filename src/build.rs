//! The build pipeline as plain functions: config → content → site → render →
//! write. Returns a report (diagnostics, per-language counts, timings); the
//! CLI decides how to show it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content;
use crate::error::{Diagnostic, Error, Result, Severity};
use crate::feeds;
use crate::freshness::Freshness;
use crate::highlight::Highlighter;
use crate::i18n::I18n;
use crate::mirror::{self, sign::SigningKey};
use crate::output::{self, fingerprint, Artifact};
use crate::search;
use crate::site::Site;
use crate::status;
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
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct LanguageStats {
    pub code: String,
    pub pages: usize,
    pub translated: usize,
    pub fallback: usize,
}

#[derive(Debug, Clone)]
pub struct BuildReport {
    pub out: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
    pub languages: Vec<LanguageStats>,
    pub files: usize,
    pub bytes: u64,
    pub timings: Vec<(&'static str, Duration)>,
    pub search: Vec<search::export::ExportStats>,
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

pub fn build(options: &BuildOptions, progress: ProgressFn) -> Result<BuildReport> {
    let mut timer = Timer { last: Instant::now(), timings: Vec::new() };
    progress("Reading content", 0, 0);
    let config = Config::load(&options.root)?;
    let out = options.out.clone().unwrap_or_else(|| options.root.join("public"));
    let i18n = Arc::new(I18n::load(&config)?);
    let corpus = content::load(&config, options.drafts)?;
    timer.lap("read content");
    progress("Rendering Markdown", 0, 0);
    let highlighter = Highlighter::new();
    let site = Site::new(config, corpus, &i18n, &highlighter)?;
    timer.lap("render markdown");
    let freshness = Freshness::compute(&site);
    let diagnostics = merged(&site.diagnostics, &freshness.diagnostics);
    timer.lap("translations");
    if options.strict && diagnostics.iter().any(|d| d.severity <= Severity::Warning) {
        return Err(strict_failure(&diagnostics));
    }
    let theme = Theme::load(&site.config, i18n.clone())?;
    let (asset_map, theme_artifacts) = theme_assets(&theme);
    timer.lap("load theme");
    let renderer = Renderer {
        site: &site,
        theme: &theme,
        i18n: &i18n,
        offline: options.offline,
        assets: &asset_map,
        freshness: &freshness,
    };
    progress("Rendering pages", 0, site.nodes.len() * site.config.languages.len());
    let mut artifacts = render_site(&renderer, theme_artifacts)?;
    timer.lap("render templates");
    let search_stats = if site.config.search {
        progress("Indexing for search", 0, 0);
        let cache = search::cache_dir(&out);
        let indexes = search::build_indexes(&site, &cache)?;
        let (search_artifacts, stats) = search::export::export_all(&indexes)?;
        artifacts.extend(search_artifacts);
        timer.lap("search index");
        stats
    } else {
        Vec::new()
    };
    progress("Hashing files", 0, 0);
    artifacts.push(output::marker());
    let artifacts = output::collect(artifacts)?;
    let artifacts = mirror::seal(artifacts, &site.config, options.sign_key.as_ref())?;
    timer.lap("hash and sign");
    output::check_output_folder(&out, &options.root, options.force)?;
    progress("Writing files", 0, 0);
    output::write_site(&out, &artifacts)?;
    timer.lap("write output");
    Ok(BuildReport {
        out,
        languages: language_stats(&site),
        files: artifacts.len(),
        bytes: artifacts.iter().map(artifact_size).sum(),
        diagnostics,
        timings: timer.timings,
        search: search_stats,
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

/// Every artifact of the site but the search index, in memory: the theme's
/// assets, every page, then the site-wide parts.
pub fn render_site(renderer: &Renderer, theme_artifacts: Vec<Artifact>) -> Result<Vec<Artifact>> {
    let mut artifacts = theme_artifacts;
    artifacts.extend(renderer.pages()?);
    for part in &Part::SITE_WIDE {
        artifacts.extend(render_part(renderer, part)?);
    }
    Ok(artifacts)
}

fn merged(a: &[Diagnostic], b: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut all: Vec<Diagnostic> = a.iter().chain(b).cloned().collect();
    all.sort();
    all
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
