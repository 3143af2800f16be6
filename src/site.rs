//! The site model: an immutable snapshot of config, corpus, output paths, the
//! section tree and every source rendered once, with its links checked.
//!
//! Templates and every later step read it; nothing changes it after [`Site::new`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{relative_slash_path, Corpus, Node, NodeKind, Source};
use crate::error::{Diagnostic, Error, Result, Severity};
use crate::front_matter::SortBy;
use crate::highlight::Highlighter;
use crate::i18n::I18n;
use crate::markdown::{self, LinkResolver, LinkTarget, Rendered};
use crate::urls::{join_normalized, percent_decode};

pub struct Site {
    pub config: Config,
    pub corpus: Corpus,
    /// Parallel to `corpus.nodes`.
    pub nodes: Vec<NodeInfo>,
    /// Parallel to `corpus.nodes`: language → rendered Markdown of that version.
    pub rendered: Vec<BTreeMap<String, Rendered>>,
    /// Files of the site's `static/` folder, relative to it, sorted.
    pub static_files: Vec<(String, PathBuf)>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub struct NodeInfo {
    /// Output path below `/<lang>/`, no slashes at the ends (`""` for home).
    pub path: String,
    pub parent: Option<usize>,
    /// Child pages and sections, in display order.
    pub pages: Vec<usize>,
    pub sections: Vec<usize>,
    /// The language it was written in: `original_language`, else the default
    /// language, else the first language it exists in.
    pub primary_lang: String,
}

impl Site {
    pub fn new(config: Config, corpus: Corpus, i18n: &I18n, highlighter: &Highlighter) -> Result<Site> {
        let nodes = assign_paths(&config, &corpus)?;
        let static_files = list_static_files(&config)?;
        let mut site = Site { config, corpus, nodes, rendered: Vec::new(), static_files, diagnostics: Vec::new() };
        site.link_tree();
        site.render_markdown(i18n, highlighter);
        site.diagnostics = site.check_links();
        Ok(site)
    }

    pub fn node(&self, index: usize) -> &Node {
        &self.corpus.nodes[index]
    }

    pub fn index_of(&self, key: &str) -> Option<usize> {
        self.corpus.nodes.binary_search_by(|n| n.key.as_str().cmp(key)).ok()
    }

    /// The language whose version a reader of `lang` sees: `lang` itself, the
    /// first of its fallback chain that exists, else the page's own language.
    pub fn shown_lang<'s>(&'s self, index: usize, lang: &'s str) -> &'s str {
        let node = self.node(index);
        let chain = self.config.language(lang).map(|l| l.fallback_chain.as_slice()).unwrap_or_default();
        chain
            .iter()
            .find(|code| node.versions.contains_key(code.as_str()))
            .map(String::as_str)
            .unwrap_or(&self.nodes[index].primary_lang)
    }

    pub fn version(&self, index: usize, lang: &str) -> (&Source, &Rendered) {
        let shown = self.shown_lang(index, lang);
        (&self.node(index).versions[shown], &self.rendered[index][shown])
    }

    /// Title of the version shown in `lang`.
    pub fn title(&self, index: usize, lang: &str) -> String {
        let (source, rendered) = self.version(index, lang);
        page_title(self.node(index), source, rendered)
    }

    fn link_tree(&mut self) {
        let sections: BTreeMap<&str, usize> = self
            .corpus
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == NodeKind::Section)
            .map(|(i, n)| (n.key.as_str(), i))
            .collect();
        let mut parents = Vec::with_capacity(self.nodes.len());
        for node in &self.corpus.nodes {
            let mut key = node.key.as_str();
            let parent = loop {
                if key.is_empty() {
                    break if node.key.is_empty() { None } else { sections.get("").copied() };
                }
                key = key.rsplit_once('/').map_or("", |(p, _)| p);
                if let Some(&i) = sections.get(key) {
                    break Some(i);
                }
            };
            parents.push(parent);
        }
        for (i, parent) in parents.into_iter().enumerate() {
            self.nodes[i].parent = parent;
            if let Some(p) = parent {
                match self.corpus.nodes[i].kind {
                    NodeKind::Page => self.nodes[p].pages.push(i),
                    NodeKind::Section => self.nodes[p].sections.push(i),
                }
            }
        }
        for p in 0..self.nodes.len() {
            let sort_by = self.primary_source(p).front.sort_by;
            let mut pages = std::mem::take(&mut self.nodes[p].pages);
            let mut sections = std::mem::take(&mut self.nodes[p].sections);
            pages.sort_by_cached_key(|&i| self.sort_key(i, sort_by));
            sections.sort_by_cached_key(|&i| self.sort_key(i, SortBy::Weight));
            self.nodes[p].pages = pages;
            self.nodes[p].sections = sections;
        }
    }

    pub fn primary_source(&self, index: usize) -> &Source {
        &self.node(index).versions[&self.nodes[index].primary_lang]
    }

    /// Weight first (unweighted last), then as the section asks, then path.
    fn sort_key(&self, index: usize, sort_by: SortBy) -> (i64, String, String, String) {
        let front = &self.primary_source(index).front;
        let weight = front.weight.unwrap_or(i64::MAX);
        let title = front.title.clone().unwrap_or_default().to_lowercase();
        // Newest first: invert the date's digits so an ascending sort puts it first.
        let newest_first = front
            .date
            .as_ref()
            .map(|d| {
                d.rfc3339()
                    .chars()
                    .map(|c| if c.is_ascii_digit() { (b'9' - c as u8 + b'0') as char } else { c })
                    .collect()
            })
            .unwrap_or_else(|| "~".to_string());
        let path = self.nodes[index].path.clone();
        match sort_by {
            SortBy::Weight => (weight, title, newest_first, path),
            SortBy::Title => (0, title, newest_first, path),
            SortBy::Date => (0, newest_first, title, path),
        }
    }

    fn render_markdown(&mut self, i18n: &I18n, highlighter: &Highlighter) {
        let index = LinkIndex::new(self);
        let labels: BTreeMap<&str, markdown::Labels> =
            self.config.languages.iter().map(|l| (l.code.as_str(), labels_for(i18n, &l.code))).collect();
        let jobs: Vec<(usize, &Source)> =
            self.corpus.nodes.iter().enumerate().flat_map(|(i, n)| n.versions.values().map(move |s| (i, s))).collect();
        let rendered: Vec<(usize, String, Rendered)> = jobs
            .par_iter()
            .map(|&(i, source)| {
                let resolver = SourceResolver {
                    index: &index,
                    source_dir: &self.corpus.nodes[i].dir,
                    page_path: &self.nodes[i].path,
                    lang: &source.lang,
                };
                let rendered = markdown::render(&markdown::Input {
                    body: &source.body,
                    first_line: source.body_line,
                    resolver: &resolver,
                    highlighter,
                    labels: &labels[source.lang.as_str()],
                });
                (i, source.lang.clone(), rendered)
            })
            .collect();
        self.rendered = vec![BTreeMap::new(); self.nodes.len()];
        for (i, lang, r) in rendered {
            self.rendered[i].insert(lang, r);
        }
    }

    /// Broken links and anchors of every source, checked against the version
    /// a reader of the source's own language lands on.
    fn check_links(&self) -> Vec<Diagnostic> {
        let mut found: Vec<Diagnostic> = (0..self.nodes.len())
            .into_par_iter()
            .flat_map_iter(|i| {
                self.node(i).versions.values().flat_map(move |source| {
                    let rendered = &self.rendered[i][&source.lang];
                    rendered.links.iter().filter_map(move |link| {
                        let message = self.link_problem(source, rendered, &link.target)?;
                        Some(Diagnostic {
                            path: source.path.clone(),
                            line: link.line,
                            column: link.column,
                            severity: Severity::Warning,
                            message: format!("{message} (link to \"{}\")", link.destination),
                        })
                    })
                })
            })
            .collect();
        found.extend(self.unsafe_html_notes());
        found.sort();
        found
    }

    /// Raw HTML the sanitizer takes out, and `javascript:` links, each with
    /// its file:line (sections listed in `trusted_html` keep theirs).
    fn unsafe_html_notes(&self) -> Vec<Diagnostic> {
        let mut notes = Vec::new();
        for (i, node) in self.corpus.nodes.iter().enumerate() {
            if self.config.trusts_html(&node.key) {
                continue;
            }
            for source in node.versions.values() {
                let rendered = &self.rendered[i][&source.lang];
                let note = |line, column, message: String| Diagnostic {
                    path: source.path.clone(),
                    line,
                    column,
                    severity: Severity::Warning,
                    message,
                };
                for (line, column, what) in &rendered.unsafe_html {
                    notes.push(note(
                        *line,
                        *column,
                        format!("raw HTML removed: {what} (list the section in trusted_html in site.toml to keep it)"),
                    ));
                }
                for link in &rendered.links {
                    let markdown_link = !matches!(link.form, crate::markdown::LinkForm::Attribute { .. });
                    if markdown_link && crate::sanitize::is_dangerous_url(&link.destination) {
                        notes.push(note(
                            link.line,
                            link.column,
                            format!("link removed: \"{}\" would run code in readers' browsers", link.destination),
                        ));
                    }
                }
            }
        }
        notes
    }

    fn link_problem(&self, source: &Source, rendered: &Rendered, target: &LinkTarget) -> Option<String> {
        match target {
            LinkTarget::Broken { reason } => Some(reason.clone()),
            LinkTarget::Anchor(anchor) if !has_anchor(rendered, anchor) => {
                Some(format!("no heading #{anchor} in this page"))
            }
            LinkTarget::Page { key, anchor: Some(anchor) } => {
                let target = self.index_of(key)?;
                let (target_source, target_rendered) = self.version(target, &source.lang);
                (!has_anchor(target_rendered, anchor))
                    .then(|| format!("no heading #{anchor} in content/{}", target_source.rel_path))
            }
            _ => None,
        }
    }

    /// Where a file of `content/` is copied below `/<lang>/`: its own path,
    /// with the folder of a renamed (slugged) bundle replaced by the bundle's path.
    pub fn content_file_output(&self, rel_path: &str) -> String {
        let mut dir = rel_path.rsplit_once('/').map_or("", |(d, _)| d);
        while !dir.is_empty() {
            if let Some(i) = self.index_of(dir) {
                if self.corpus.nodes[i].is_bundle && self.nodes[i].path != dir {
                    return format!("{}{}", self.nodes[i].path, &rel_path[dir.len()..]);
                }
            }
            dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
        }
        rel_path.to_string()
    }

    pub fn count_diagnostics(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }
}

/// `#top` needs no id: browsers scroll to the top of the document for it.
fn has_anchor(rendered: &Rendered, anchor: &str) -> bool {
    anchor.eq_ignore_ascii_case("top") || rendered.anchors.contains(anchor)
}

pub fn page_title(node: &Node, source: &Source, rendered: &Rendered) -> String {
    source.front.title.clone().or_else(|| rendered.first_heading.clone()).unwrap_or_else(|| {
        let last = node.key.rsplit('/').next().unwrap_or_default();
        let words = last.replace(['-', '_'], " ");
        let mut chars = words.chars();
        chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
    })
}

fn labels_for(i18n: &I18n, lang: &str) -> markdown::Labels {
    markdown::Labels {
        note: i18n.t(lang, "alert-note", None),
        tip: i18n.t(lang, "alert-tip", None),
        important: i18n.t(lang, "alert-important", None),
        warning: i18n.t(lang, "alert-warning", None),
        caution: i18n.t(lang, "alert-caution", None),
        facilitator: i18n.t(lang, "facilitator-notes", None),
    }
}

/// Output paths: the content key, with a page's `slug` renaming its last part.
/// Two nodes on one path is an error naming both files.
fn assign_paths(config: &Config, corpus: &Corpus) -> Result<Vec<NodeInfo>> {
    let mut infos = Vec::with_capacity(corpus.nodes.len());
    let mut taken: BTreeMap<String, &Source> = BTreeMap::new();
    let mut errors = Vec::new();
    for node in &corpus.nodes {
        let primary_lang = primary_language(config, node);
        let primary = &node.versions[&primary_lang];
        let mut path = node.key.clone();
        if let (NodeKind::Page, Some(slug)) = (node.kind, &primary.front.slug) {
            path = match path.rsplit_once('/') {
                Some((dir, _)) => format!("{dir}/{slug}"),
                None => slug.clone(),
            };
        }
        if let Some(other) = taken.get(&path) {
            errors.push(Error::input(
                &primary.path,
                None,
                format!("this page and {} would both be written to /<lang>/{path}/", other.path.display()),
                "change the slug or the file name of one of them",
            ));
        } else {
            taken.insert(path.clone(), primary);
        }
        infos.push(NodeInfo { path, parent: None, pages: Vec::new(), sections: Vec::new(), primary_lang });
    }
    if errors.is_empty() {
        Ok(infos)
    } else {
        Err(Error::many(errors))
    }
}

pub fn primary_language(config: &Config, node: &Node) -> String {
    let declared = node.versions.values().find_map(|s| s.front.original_language.clone());
    declared
        .filter(|l| node.versions.contains_key(l))
        .or_else(|| node.versions.contains_key(&config.default_language).then(|| config.default_language.clone()))
        .or_else(|| config.languages.iter().map(|l| l.code.clone()).find(|c| node.versions.contains_key(c)))
        .expect("a node has at least one version")
}

fn list_static_files(config: &Config) -> Result<Vec<(String, PathBuf)>> {
    let dir = config.root.join("static");
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    let inside = dir.canonicalize().map_err(|e| Error::io(&dir, e))?;
    for entry in walkdir::WalkDir::new(&dir).follow_links(true).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(&dir).to_path_buf();
            Error::input(path, None, format!("cannot read: {e}"), "fix or remove this file or link in static/")
        })?;
        if entry.path_is_symlink() {
            crate::content::ensure_inside(&inside, entry.path(), "static/")?;
        }
        if entry.file_type().is_file() && !entry.file_name().to_string_lossy().starts_with('.') {
            files.push((relative_slash_path(&dir, entry.path()), entry.path().to_path_buf()));
        }
    }
    Ok(files)
}

/// Everything a link can point at, for resolving links while rendering.
struct LinkIndex<'s> {
    languages: BTreeSet<&'s str>,
    /// `guides/mirroring.ca.md` → node key.
    markdown_files: BTreeMap<String, &'s str>,
    /// Output path → node key.
    page_paths: BTreeMap<&'s str, &'s str>,
    content_files: BTreeSet<&'s str>,
    static_files: BTreeSet<&'s str>,
}

impl<'s> LinkIndex<'s> {
    fn new(site: &'s Site) -> Self {
        let mut markdown_files = BTreeMap::new();
        let mut page_paths = BTreeMap::new();
        for (node, info) in site.corpus.nodes.iter().zip(&site.nodes) {
            page_paths.insert(info.path.as_str(), node.key.as_str());
            for source in node.versions.values() {
                markdown_files.insert(source.rel_path.clone(), node.key.as_str());
            }
            if node.kind == NodeKind::Section {
                // Links to a folder's `_index.md` and to the folder itself both mean the section.
                page_paths.entry(node.key.as_str()).or_insert(node.key.as_str());
            }
        }
        LinkIndex {
            languages: site.config.languages.iter().map(|l| l.code.as_str()).collect(),
            markdown_files,
            page_paths,
            content_files: site.corpus.files.iter().map(|f| f.rel_path.as_str()).collect(),
            static_files: site.static_files.iter().map(|(p, _)| p.as_str()).collect(),
        }
    }

    /// A site path (`ca/guides/x/`, `guides/x/index.html`) → page key.
    fn page_at(&self, path: &str) -> Option<&'s str> {
        let path = path.trim_end_matches("index.html").trim_end_matches('/');
        if let Some(&key) = self.page_paths.get(path) {
            return Some(key);
        }
        let (first, rest) = path.split_once('/').unwrap_or((path, ""));
        if self.languages.contains(first) {
            return self.page_paths.get(rest).copied();
        }
        None
    }
}

/// Resolves the links of one source file.
struct SourceResolver<'a, 's> {
    index: &'a LinkIndex<'s>,
    /// Folder of the source, relative to `content/`.
    source_dir: &'a str,
    /// Output path of the page (its URL's folder, without language).
    page_path: &'a str,
    /// Language of the source: content imported from Hugo or Zola writes
    /// relative URLs from `/<lang>/path/`, one level deeper than `page_path`.
    lang: &'a str,
}

impl LinkResolver for SourceResolver<'_, '_> {
    fn resolve(&self, destination: &str) -> LinkTarget {
        let destination = destination.trim();
        if destination.is_empty() {
            return LinkTarget::Broken { reason: "empty link".into() };
        }
        if let Some(anchor) = destination.strip_prefix('#') {
            return LinkTarget::Anchor(percent_decode(anchor));
        }
        if has_scheme(destination) || destination.starts_with("//") {
            return LinkTarget::External(destination.to_string());
        }
        let (path, suffix) = match destination.find(['?', '#']) {
            Some(i) => (&destination[..i], &destination[i..]),
            None => (destination, ""),
        };
        let anchor = suffix.split_once('#').map(|(_, a)| percent_decode(a)).filter(|a| !a.is_empty());
        let path = percent_decode(path);
        if path.ends_with(".md") {
            return self.markdown_link(&path, anchor);
        }
        self.site_link(&path, suffix, anchor)
    }
}

impl SourceResolver<'_, '_> {
    fn markdown_link(&self, path: &str, anchor: Option<String>) -> LinkTarget {
        let Some(file) = join_normalized(self.source_dir, path) else {
            return LinkTarget::Broken { reason: "the link leads outside content/".into() };
        };
        match self.index.markdown_files.get(&file) {
            Some(key) => LinkTarget::Page { key: key.to_string(), anchor },
            None => LinkTarget::Broken { reason: format!("no page content/{file}") },
        }
    }

    /// Site paths as imported content writes them (`/guides/x/`, `../x/`), and files.
    fn site_link(&self, path: &str, suffix: &str, anchor: Option<String>) -> LinkTarget {
        // Relative to the page's address in our layout, and in Hugo's and
        // Zola's, where a translation lives one level deeper (`/ca/path/`).
        let in_language = format!("{}/{}", self.lang, self.page_path);
        let candidates: Vec<String> = [join_normalized(self.page_path, path), join_normalized(&in_language, path)]
            .into_iter()
            .flatten()
            .collect();
        if let Some(key) = candidates.iter().find_map(|p| self.index.page_at(p)) {
            return LinkTarget::Page { key: key.to_string(), anchor };
        }
        let suffix = suffix.to_string();
        if let Some(file) =
            join_normalized(self.source_dir, path).filter(|f| self.index.content_files.contains(f.as_str()))
        {
            return LinkTarget::ContentFile { rel_path: file, suffix };
        }
        for url in &candidates {
            if self.index.static_files.contains(url.as_str()) {
                return LinkTarget::StaticFile { rel_path: url.clone(), suffix };
            }
            if self.index.content_files.contains(url.as_str()) {
                return LinkTarget::ContentFile { rel_path: url.clone(), suffix };
            }
            // A link into another language's copy of a bundle file: `/ca/guides/x/img.png`.
            if let Some((first, rest)) = url.split_once('/') {
                if self.index.languages.contains(first) && self.index.content_files.contains(rest) {
                    return LinkTarget::ContentFile { rel_path: rest.to_string(), suffix };
                }
            }
        }
        match candidates.first() {
            Some(url) => LinkTarget::Broken { reason: format!("no page or file at /{url}") },
            None => LinkTarget::Broken { reason: "the link leads outside the site".into() },
        }
    }
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) if i > 0 => {
            let scheme = &s[..i];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !scheme.contains('/')
        }
        _ => false,
    }
}
