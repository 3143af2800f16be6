//! The site model: an immutable snapshot of config, corpus, output paths, the
//! section tree and every source rendered once, with its links checked.
//!
//! Templates and every later step read it; nothing changes it after [`Site::new`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Corpus, Node, NodeKind, Source, Unpublished};
use crate::error::{Diagnostic, Error, Result, Severity};
use crate::front_matter::SortBy;
use crate::highlight::Highlighter;
use crate::i18n::I18n;
use crate::markdown::{self, GeneratedIn, LinkResolver, LinkTarget, Rendered};
use crate::mirror::manifest::{MANIFEST_FILE, SUMS_FILE};
use crate::template_sources::ThemeSources;
use crate::term_pairs::{self, NodeTerms, TermPairs};
use crate::urls::relative_slash_path;
use crate::urls::{encode_suffix, join_normalized, percent_decode};

// Addresses of the pages the build writes itself, below a language's
// folder (`/<lang>/search/`) unless said otherwise. Folders end with `/`.

/// The search page.
pub const SEARCH_PAGE: &str = "search/";
/// The Atom feed of the language's dated pages.
pub const FEED: &str = "atom.xml";
/// The "page not found" page (also at the site root, in the default language).
pub const NOT_FOUND_PAGE: &str = "404.html";
/// The translation status page.
pub const TRANSLATIONS_PAGE: &str = "translations/";
/// Below the site root: every page's address, for search engines.
pub const SITEMAP: &str = "sitemap.xml";
/// Below the site root.
pub const ROBOTS: &str = "robots.txt";
/// Below the site root: Netlify's response headers and redirects.
pub const HEADERS_FILE: &str = "_headers";
pub const REDIRECTS_FILE: &str = "_redirects";
/// Below the site root: the service worker.
pub const SERVICE_WORKER: &str = "sw.js";
/// What "keep this language" saves, with each file's hash.
pub const OFFLINE_FILES: &str = "offline-files.json";
/// What installs the site on a phone, opening at the language's home.
pub const WEB_APP_MANIFEST: &str = "manifest.webmanifest";

/// A file the build writes of its own under a name that does not depend
/// on the content (pages, which are folders, and files named after a
/// language or a page, bundles and packs, are found otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FixedFile {
    pub name: &'static str,
    /// In every language's folder (`ca/atom.xml`), else at the site root.
    pub in_each_language: bool,
    /// Left out of a build for `file://` (`build --offline`): the service
    /// worker's files.
    pub online_only: bool,
    /// What it is, as messages name it: "the Atom feed".
    pub what: &'static str,
}

/// The files of fixed name (see [`FixedFile`]) `build` writes for a site
/// with `config`: what links may name, and what nothing else may be
/// written over.
pub fn fixed_files(config: &Config) -> Vec<FixedFile> {
    let file = |name, in_each_language, what| FixedFile { name, in_each_language, online_only: false, what };
    let mut files = vec![
        file(FEED, true, "the Atom feed"),
        file(NOT_FOUND_PAGE, true, "the 404 page"),
        file(NOT_FOUND_PAGE, false, "the 404 page"),
        file(SITEMAP, false, "the sitemap.xml the build writes"),
        file(ROBOTS, false, "the robots.txt the build writes"),
        file(HEADERS_FILE, false, "the _headers the build writes for Netlify"),
        file(REDIRECTS_FILE, false, "the _redirects the build writes for Netlify"),
        // Sealed last, after everything else is hashed, but always there.
        file(SUMS_FILE, false, "the SHA256SUMS the build writes for mirrors"),
        file(MANIFEST_FILE, false, "the manifest.json the build writes for mirrors"),
    ];
    if config.offline.service_worker {
        let worker =
            |name, in_each_language, what| FixedFile { online_only: true, ..file(name, in_each_language, what) };
        files.extend([
            worker(SERVICE_WORKER, false, "the service worker"),
            worker(OFFLINE_FILES, true, "the service worker's list of files"),
            worker(WEB_APP_MANIFEST, true, "the web app manifest"),
        ]);
    }
    files
}

/// A language's offline bundle, from the site root: `ca/offline-ca.zip`.
pub fn bundle_path(lang: &str) -> String {
    format!("{lang}/offline-{lang}.zip")
}

/// What names a workshop's packs: the last part of its page's path.
pub fn workshop_slug(page_path: &str) -> &str {
    match page_path.rsplit('/').next() {
        Some(last) if !last.is_empty() => last,
        _ => "workshop",
    }
}

/// A workshop's pack, beside its page (at `page_path`, without language):
/// `digital-care-ar.zip`, or `digital-care-ar-participants.zip`.
pub fn pack_file_name(page_path: &str, lang: &str, participants: bool) -> String {
    let slug = workshop_slug(page_path);
    if participants {
        format!("{slug}-{lang}-participants.zip")
    } else {
        format!("{slug}-{lang}.zip")
    }
}

/// A taxonomy's list of terms: `tags/`.
pub fn taxonomy_page(taxonomy: &str) -> String {
    format!("{taxonomy}/")
}

/// The page of one term of a taxonomy: `tags/privacy/`.
pub fn term_page(taxonomy: &str, term: &str) -> String {
    format!("{taxonomy}/{}/", term_slug(term))
}

/// A term's part of its page's address: its slug, else (a term of no
/// letter or digit) a hash of it.
pub fn term_slug(term: &str) -> String {
    let slug = markdown::slugify(term);
    if slug.is_empty() {
        crate::output::fingerprint(term.as_bytes())
    } else {
        slug
    }
}

pub struct Site {
    pub config: Config,
    pub corpus: Corpus,
    /// Parallel to `corpus.nodes`.
    pub nodes: Arc<Vec<NodeInfo>>,
    /// Parallel to `corpus.nodes`: language → rendered Markdown of that version.
    pub rendered: Vec<Arc<BTreeMap<String, Arc<Rendered>>>>,
    /// Files of the site's `static/` folder, relative to it, sorted.
    pub static_files: Vec<(String, PathBuf)>,
    pub diagnostics: Vec<Diagnostic>,
    /// What rendering depended on besides each source, so a later snapshot
    /// knows which renderings it can reuse: the labels of each language…
    labels: BTreeMap<String, markdown::Labels>,
    /// … the ids the theme writes around content…
    frame_ids: Arc<BTreeSet<String>>,
    /// … and everything a link can resolve to.
    link_index: Arc<LinkIndex>,
}

#[derive(Debug, Clone)]
pub struct NodeInfo {
    /// Output path below `/<lang>/`, no slashes at the ends (`""` for home).
    pub path: String,
    pub parent: Option<usize>,
    /// Child pages and sections, in display order.
    pub pages: Vec<usize>,
    pub sections: Vec<usize>,
    /// Where it stands among its parent's children, subsections first, then
    /// pages (a page's section navigation is a window centred there).
    pub position: usize,
    /// The language it was written in: `original_language`, else the default
    /// language, else the first language it exists in.
    pub primary_lang: String,
}

impl Site {
    pub fn new(config: Config, corpus: Corpus, i18n: &I18n, highlighter: &Highlighter) -> Result<Site> {
        let theme = ThemeSources::load(&config);
        Site::with_theme(config, corpus, i18n, highlighter, theme.as_ref().ok())
    }

    /// [`Site::new`] with the theme's templates already read (`None` if
    /// they cannot be: `Theme::load` reports why), so that a build parses
    /// each template once, for this and for rendering.
    pub fn with_theme(
        config: Config,
        corpus: Corpus,
        i18n: &I18n,
        highlighter: &Highlighter,
        theme: Option<&ThemeSources>,
    ) -> Result<Site> {
        let static_files = list_static_files(&config)?;
        let frame_ids = theme.map(|theme| frame_ids(theme, &corpus)).unwrap_or_default();
        let mut site = Site::assemble_framed(config, corpus, static_files, i18n, highlighter, None, frame_ids);
        site.diagnostics = site.check_links();
        site.diagnostics.extend(site.term_translation_problems());
        site.diagnostics.sort();
        Ok(site)
    }

    /// The site without its links checked (`diagnostics` is empty; see
    /// [`Site::check_links`]). Markdown `previous` rendered is reused for
    /// every version whose text, folder, path and labels are unchanged, its
    /// links resolved again if what they can point at changed: a snapshot
    /// after one edit renders one file.
    pub fn assemble(
        config: Config,
        corpus: Corpus,
        static_files: Vec<(String, PathBuf)>,
        i18n: &I18n,
        highlighter: &Highlighter,
        previous: Option<&Site>,
    ) -> Result<Site> {
        let theme = ThemeSources::load(&config);
        let frame_ids = theme.map(|theme| frame_ids(&theme, &corpus)).unwrap_or_default();
        Ok(Site::assemble_framed(config, corpus, static_files, i18n, highlighter, previous, frame_ids))
    }

    /// [`Site::assemble`] with the ids the theme writes around content.
    fn assemble_framed(
        config: Config,
        corpus: Corpus,
        static_files: Vec<(String, PathBuf)>,
        i18n: &I18n,
        highlighter: &Highlighter,
        previous: Option<&Site>,
        frame_ids: BTreeSet<String>,
    ) -> Site {
        let nodes = Arc::new(assign_paths(&config, &corpus));
        let labels = config.languages.iter().map(|l| (l.code.clone(), labels_for(i18n, &l.code))).collect();
        let frame_ids = Arc::new(frame_ids);
        let mut site = Site {
            config,
            corpus,
            nodes,
            rendered: Vec::new(),
            static_files,
            diagnostics: Vec::new(),
            labels,
            frame_ids,
            link_index: Arc::new(LinkIndex::default()),
        };
        site.link_tree();
        site.render_markdown(highlighter, previous);
        site
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
        let nodes = Arc::make_mut(&mut self.nodes);
        for (i, parent) in parents.into_iter().enumerate() {
            nodes[i].parent = parent;
            if let Some(p) = parent {
                match self.corpus.nodes[i].kind {
                    NodeKind::Page => nodes[p].pages.push(i),
                    NodeKind::Section => nodes[p].sections.push(i),
                }
            }
        }
        for p in 0..self.nodes.len() {
            let sort_by = self.primary_source(p).front.sort_by;
            let nodes = Arc::make_mut(&mut self.nodes);
            let mut pages = std::mem::take(&mut nodes[p].pages);
            let mut sections = std::mem::take(&mut nodes[p].sections);
            pages.sort_by_cached_key(|&i| self.sort_key(i, sort_by));
            sections.sort_by_cached_key(|&i| self.sort_key(i, SortBy::Weight));
            let nodes = Arc::make_mut(&mut self.nodes);
            for (position, &child) in sections.iter().chain(&pages).enumerate() {
                nodes[child].position = position;
            }
            nodes[p].pages = pages;
            nodes[p].sections = sections;
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

    fn render_markdown(&mut self, highlighter: &Highlighter, previous: Option<&Site>) {
        let mut index = Arc::new(LinkIndex::new(self));
        let same_links = previous.is_some_and(|p| p.link_index == index);
        if let (true, Some(p)) = (same_links, previous) {
            index = p.link_index.clone();
        }
        let jobs: Vec<(usize, &Arc<Source>)> =
            self.corpus.nodes.iter().enumerate().flat_map(|(i, n)| n.versions.values().map(move |s| (i, s))).collect();
        let rendered: Vec<(usize, String, Arc<Rendered>)> = jobs
            .par_iter()
            .map(|&(i, source)| {
                let resolver = SourceResolver {
                    index: &index,
                    source_dir: &self.corpus.nodes[i].dir,
                    page_path: &self.nodes[i].path,
                    lang: &source.lang,
                };
                let rendered = match previous.and_then(|p| p.reusable_rendering(self, i, source)) {
                    Some(earlier) if same_links => earlier.clone(),
                    Some(earlier) => relink(earlier, &resolver),
                    None => Arc::new(markdown::render(&markdown::Input {
                        body: &source.body,
                        first_line: source.body_line,
                        resolver: &resolver,
                        highlighter,
                        labels: &self.labels[source.lang.as_str()],
                        frame_ids: &self.frame_ids,
                    })),
                };
                (i, source.lang.clone(), rendered)
            })
            .collect();
        self.link_index = index;
        let mut maps = vec![BTreeMap::new(); self.nodes.len()];
        for (i, lang, r) in rendered {
            maps[i].insert(lang, r);
        }
        self.rendered = maps.into_iter().map(Arc::new).collect();
    }

    /// This site with some versions' sources replaced (node key, new
    /// source), for `serve`: when none of them changes the tree — paths,
    /// order, which version is the original, drafts — only their Markdown
    /// is rendered, and everything else is shared with `self`. `None` when
    /// a replacement changes the tree (or its page or version does not
    /// exist): then [`Site::assemble`] it is.
    pub fn with_replaced(&self, replaced: &[(String, Arc<Source>)], highlighter: &Highlighter) -> Option<Site> {
        let mut corpus = self.corpus.clone();
        let mut rendered = self.rendered.clone();
        for (key, source) in replaced {
            let index = self.index_of(key)?;
            let old = self.node(index).versions.get(&source.lang)?;
            if !same_place_in_tree(old, source) {
                return None;
            }
            Arc::make_mut(&mut corpus.nodes[index]).versions.insert(source.lang.clone(), source.clone());
            let resolver = SourceResolver {
                index: &self.link_index,
                source_dir: &corpus.nodes[index].dir,
                page_path: &self.nodes[index].path,
                lang: &source.lang,
            };
            let markdown = markdown::render(&markdown::Input {
                body: &source.body,
                first_line: source.body_line,
                resolver: &resolver,
                highlighter,
                labels: self.labels.get(&source.lang)?,
                frame_ids: &self.frame_ids,
            });
            Arc::make_mut(&mut rendered[index]).insert(source.lang.clone(), Arc::new(markdown));
        }
        Some(Site {
            config: self.config.clone(),
            corpus,
            nodes: self.nodes.clone(),
            rendered,
            static_files: self.static_files.clone(),
            diagnostics: Vec::new(),
            labels: self.labels.clone(),
            frame_ids: self.frame_ids.clone(),
            link_index: self.link_index.clone(),
        })
    }

    /// This snapshot's rendering of `next`'s version `source` of node
    /// `index`, if rendering it again would give the same (links aside).
    fn reusable_rendering(&self, next: &Site, index: usize, source: &Arc<Source>) -> Option<&Arc<Rendered>> {
        let node = &next.corpus.nodes[index];
        // Most snapshots keep every node where it was: look there first.
        let earlier = match self.corpus.nodes.get(index) {
            Some(same) if same.key == node.key => index,
            _ => self.index_of(&node.key)?,
        };
        let earlier_source = self.corpus.nodes[earlier].versions.get(&source.lang)?;
        let same_text = Arc::ptr_eq(earlier_source, source)
            || (earlier_source.body == source.body && earlier_source.body_line == source.body_line);
        let same_place =
            self.corpus.nodes[earlier].dir == node.dir && self.nodes[earlier].path == next.nodes[index].path;
        let same_labels =
            self.labels.get(&source.lang) == next.labels.get(&source.lang) && self.frame_ids == next.frame_ids;
        (same_text && same_place && same_labels).then(|| &self.rendered[earlier][&source.lang])
    }

    /// Broken links and anchors of every source, anchors checked against the
    /// version each of its readers lands on (those of its own language, and
    /// those it is the fallback for), and raw HTML the sanitizer removes. Sorted.
    pub fn check_links(&self) -> Vec<Diagnostic> {
        let all: Vec<usize> = (0..self.nodes.len()).collect();
        self.check_links_of(&all)
    }

    /// [`Site::check_links`] for the sources of `nodes` only.
    pub fn check_links_of(&self, nodes: &[usize]) -> Vec<Diagnostic> {
        let mut found: Vec<Diagnostic> = nodes
            .par_iter()
            .flat_map_iter(|&i| {
                self.node(i).versions.values().flat_map(move |source| {
                    let rendered = &self.rendered[i][&source.lang];
                    let readers = self.readers_of(i, &source.lang);
                    rendered.links.iter().flat_map(move |link| {
                        self.link_problems(source, rendered, &readers, &link.target).into_iter().map(|message| {
                            Diagnostic {
                                path: source.path.clone(),
                                line: link.line,
                                column: link.column,
                                severity: Severity::Warning,
                                message: format!("{message} (link to \"{}\")", link.destination),
                            }
                        })
                    })
                })
            })
            .collect();
        found.extend(self.unsafe_html_notes(nodes));
        found.sort();
        found
    }

    /// The nodes with a link to a heading of one of the nodes `keys` (in any
    /// version): those whose link problems change when those headings do.
    pub fn linking_to_headings_of(&self, keys: &BTreeSet<String>) -> Vec<usize> {
        if keys.is_empty() {
            return Vec::new();
        }
        let to_heading =
            |target: &LinkTarget| matches!(target, LinkTarget::Page { key, anchor: Some(_), .. } if keys.contains(key));
        (0..self.nodes.len())
            .into_par_iter()
            .filter(|&i| self.rendered[i].values().any(|r| r.links.iter().any(|link| to_heading(&link.target))))
            .collect()
    }

    /// Raw HTML the sanitizer takes out, and `javascript:` links, each with
    /// its file:line (sections listed in `trusted_html` keep theirs).
    fn unsafe_html_notes(&self, nodes: &[usize]) -> Vec<Diagnostic> {
        let mut notes = Vec::new();
        for &i in nodes {
            let node = self.node(i);
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
                    if let Some(message) = third_party_image(link) {
                        notes.push(note(link.line, link.column, message));
                    }
                }
            }
        }
        notes
    }

    /// The languages whose readers are shown node `index`'s version in
    /// `lang`: `lang` itself, and those it is the fallback for. In order.
    fn readers_of(&self, index: usize, lang: &str) -> Vec<&str> {
        self.config.languages.iter().map(|l| l.code.as_str()).filter(|&r| self.shown_lang(index, r) == lang).collect()
    }

    /// What is wrong with a link of `source` (read by readers of `readers`).
    fn link_problems(
        &self,
        source: &Source,
        rendered: &Rendered,
        readers: &[&str],
        target: &LinkTarget,
    ) -> Vec<String> {
        match target {
            LinkTarget::Broken { reason } => vec![reason.clone()],
            LinkTarget::Anchor(anchor) if !has_anchor(rendered, anchor) => {
                vec![format!("no heading #{anchor} in this page{}", did_you_mean_anchor(rendered, anchor))]
            }
            LinkTarget::Page { key, anchor: Some(anchor), .. } => self
                .index_of(key)
                .and_then(|target| self.missing_anchor(source, readers, target, anchor))
                .into_iter()
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A heading anchor missing from a version of page `target` some reader
    /// of `source` lands on: its own language's readers, or those it is a
    /// fallback for, who land on their own language's version of the target
    /// (or its fallback). One problem at most: the own readers' version
    /// first (fixing the link there is the writer's next step), else every
    /// version fallback readers reach that lacks it.
    fn missing_anchor(&self, source: &Source, readers: &[&str], target: usize, anchor: &str) -> Option<String> {
        let mut by_version: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for &reader in readers {
            by_version.entry(self.shown_lang(target, reader)).or_default().push(reader);
        }
        by_version.retain(|shown, _| !has_anchor(&self.rendered[target][*shown], anchor));
        let path = |shown: &str| format!("content/{}", self.node(target).versions[shown].rel_path);
        if let Some((shown, _)) = by_version.iter().find(|(_, readers)| readers.contains(&source.lang.as_str())) {
            let near = did_you_mean_anchor(&self.rendered[target][*shown], anchor);
            return Some(format!("no heading #{anchor} in {}{near}", path(shown)));
        }
        let versions: Vec<String> = by_version
            .iter()
            .map(|(shown, readers)| {
                let names: Vec<String> = readers
                    .iter()
                    .map(|code| self.config.language(code).map_or(code.to_string(), |l| format!("{} ({code})", l.name)))
                    .collect();
                format!("{} (readers of {})", path(shown), names.join(", "))
            })
            .collect();
        (!versions.is_empty()).then(|| {
            format!(
                "no heading #{anchor} in {}, where this link takes readers who read this page as their fallback; \
                 add the heading there, or link to a heading every version has",
                versions.join(" nor ")
            )
        })
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

    /// Where a generated page a link names is written (from the site root)
    /// for readers of `reader`: in the language the link names, else the
    /// reader's; a term page is the one of the term standing for it in
    /// that language (`term_in`, from the default language's), else the
    /// one of the nearest language of its fallback chain that has it (else
    /// of the first language that does). `None` for a term no page uses.
    pub fn generated_output(&self, place: &GeneratedIn, path: &str, reader: &str) -> Option<String> {
        let lang = match place {
            GeneratedIn::SiteRoot => return Some(path.to_string()),
            GeneratedIn::Language(lang) => lang.as_str(),
            GeneratedIn::ReaderLanguage => reader,
        };
        let Some(langs) = self.link_index.term_pages.get(path) else {
            return Some(format!("{lang}/{path}"));
        };
        // A term named as written in the default language, which the
        // reader's language has under a name of its own.
        let named = *place == GeneratedIn::ReaderLanguage || !langs.contains(lang);
        if let Some((taxonomy, slug)) = path.strip_suffix('/').and_then(|p| p.split_once('/')).filter(|_| named) {
            if let Some(there) = self.term_in(taxonomy, &self.config.default_language, slug, lang) {
                return Some(format!("{lang}/{taxonomy}/{there}/"));
            }
        }
        let chain = self.config.language(lang).map(|l| l.fallback_chain.as_slice()).unwrap_or_default();
        let shown = chain
            .iter()
            .find(|l| langs.contains(l.as_str()))
            .or_else(|| self.config.languages.iter().map(|l| &l.code).find(|l| langs.contains(l.as_str())))?;
        Some(format!("{shown}/{path}"))
    }

    /// Whether a version in `lang` uses the term of slug `slug`.
    fn uses_term(&self, taxonomy: &str, lang: &str, slug: &str) -> bool {
        let page = format!("{taxonomy}/{slug}/");
        self.link_index.term_pages.get(&page).is_some_and(|langs| langs.contains(lang))
    }

    /// The slug of the term that stands in `to` for the term `slug` of
    /// `from`, whose page is the one a reader switching language on that
    /// term's page lands on: the term itself in `from`; else the term of
    /// `to` paired with the default-language term it is or stands for
    /// (`term_pairs`), else that default-language term where `to` uses
    /// it, else a term of the same slug. `None` where `to` has none.
    pub fn term_in(&self, taxonomy: &str, from: &str, slug: &str, to: &str) -> Option<String> {
        if from == to {
            return self.uses_term(taxonomy, to, slug).then(|| slug.to_string());
        }
        let pairs = self.link_index.term_pairs.get(taxonomy);
        let default = self.config.default_language.as_str();
        let original = if self.uses_term(taxonomy, default, slug) {
            Some(slug.to_string())
        } else {
            pairs.and_then(|p| p.to_default.get(&(from.to_string(), slug.to_string()))).cloned()
        };
        if let Some(original) = original {
            if let Some(paired) = pairs.and_then(|p| p.from_default.get(&(to.to_string(), original.clone()))) {
                return Some(paired.clone());
            }
            if self.uses_term(taxonomy, to, &original) {
                return Some(original);
            }
        }
        self.uses_term(taxonomy, to, slug).then(|| slug.to_string())
    }

    /// Declarations of `[term_translations]` naming a term no page of
    /// their language uses, at their line of site.toml.
    pub fn term_translation_problems(&self) -> Vec<Diagnostic> {
        let config = &self.config;
        let mut problems = Vec::new();
        for declared in &config.term_translations {
            let default = config.default_lang();
            let named = [
                (default, Some(&declared.term)),
                (config.language(&declared.lang).unwrap_or(default), declared.translation.as_ref()),
            ];
            for (lang, term) in named {
                let Some(term) = term.filter(|t| !self.uses_term(&declared.taxonomy, &lang.code, &term_slug(t))) else {
                    continue;
                };
                problems.push(Diagnostic {
                    path: config.root.join(crate::config::CONFIG_FILE),
                    line: declared.line.unwrap_or(1),
                    column: 1,
                    severity: Severity::Warning,
                    message: format!(
                        "[term_translations.{}]: no {} page has the term \"{term}\", so nothing is paired with it; \
                         write it as a page's {} has it",
                        declared.taxonomy, lang.name, declared.taxonomy
                    ),
                });
            }
        }
        problems
    }

    /// Whether the file at `output` (from the site root) is one a build for
    /// `file://` leaves out (see [`FixedFile::online_only`]).
    pub fn is_online_only(&self, output: &str) -> bool {
        let (lang, name) = output.split_once('/').unwrap_or(("", output));
        let in_each_language = !lang.is_empty();
        self.link_index
            .fixed_files
            .iter()
            .any(|f| f.online_only && f.name == name && f.in_each_language == in_each_language)
    }

    /// Whether `path` (below a language's folder) is a taxonomy's page:
    /// its list of terms or a term's.
    pub fn is_taxonomy_page(&self, path: &str) -> bool {
        let first = path.split('/').next().unwrap_or_default();
        self.config.taxonomies.iter().any(|t| t == first)
    }

    pub fn count_diagnostics(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }
}

/// A warning for an image (Markdown, or a raw `<img src>`) that readers'
/// browsers would fetch from another site (the sanitiser removes and reports
/// media from other sites, and keeps images).
fn third_party_image(link: &crate::markdown::Link) -> Option<String> {
    use crate::markdown::LinkForm;
    let image = match &link.form {
        LinkForm::Image { .. } => true,
        LinkForm::Attribute { name, element, .. } => element == "img" && name == "src",
        LinkForm::Anchor { .. } => false,
    };
    let host = crate::sanitize::third_party_host(&link.destination).filter(|_| image)?;
    Some(format!(
        "{} ({host}): readers' browsers would have to contact it, and the default theme's \
         Content-Security-Policy forbids that, so they see its description instead; keep a copy beside the \
         page (link to \"{}\")",
        crate::sanitize::THIRD_PARTY_IMAGE,
        link.destination
    ))
}

/// Whether a new version of a source leaves the site's tree as it was:
/// the same file, and nothing that decides paths, order, the original
/// language or whether it is built at all.
fn same_place_in_tree(old: &Source, new: &Source) -> bool {
    let (a, b) = (&old.front, &new.front);
    old.rel_path == new.rel_path
        && a.slug == b.slug
        && a.title == b.title
        && a.weight == b.weight
        && a.date == b.date
        && a.sort_by == b.sort_by
        && a.original_language == b.original_language
        && a.draft == b.draft
        && a.taxonomies == b.taxonomies
}

/// The ids the theme writes around the content of the site's pages and
/// sections (through `page.html`, `section.html` and any template a page
/// names).
fn frame_ids(theme: &ThemeSources, corpus: &Corpus) -> BTreeSet<String> {
    let chosen = corpus.nodes.iter().flat_map(|n| n.versions.values()).filter_map(|v| v.front.template.as_deref());
    let chosen: BTreeSet<&str> = chosen.collect();
    theme.frame_ids(["page.html", "section.html"].into_iter().chain(chosen))
}

/// ` (did you mean #x?)` when a page has an anchor that is `anchor`'s next
/// free id, or that differs from `anchor` only in case or punctuation (as
/// other generators name headings: `#Setup`, `#whats_new`), else nothing.
fn did_you_mean_anchor(rendered: &Rendered, anchor: &str) -> String {
    // A heading named like another one, or like an id of the theme's frame
    // (`## Main`), takes the next free id: `#main-1`.
    let next = format!("{anchor}-1");
    if rendered.anchors.contains(&next) {
        return format!(" (did you mean #{next}?)");
    }
    let wanted = letters_and_digits(anchor);
    match rendered.anchors.iter().find(|a| !wanted.is_empty() && letters_and_digits(a) == wanted) {
        Some(near) => format!(" (did you mean #{near}?)"),
        None => String::new(),
    }
}

/// `text` lowercased, with only its letters and digits.
fn letters_and_digits(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
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

/// `rendered` with its links resolved by `resolver`: the same `Arc` when
/// none of them resolves differently.
fn relink(rendered: &Arc<Rendered>, resolver: &dyn LinkResolver) -> Arc<Rendered> {
    let targets: Vec<LinkTarget> = rendered.links.iter().map(|l| resolver.resolve(&l.destination)).collect();
    if rendered.links.iter().zip(&targets).all(|(link, target)| link.target == *target) {
        return rendered.clone();
    }
    Arc::new(rendered.with_targets(targets))
}

fn labels_for(i18n: &I18n, lang: &str) -> markdown::Labels {
    let label = |key| {
        let source = i18n.language_of(lang, key).unwrap_or(lang);
        markdown::Label {
            text: i18n.t(lang, key, None),
            marking: i18n.marking_between(source, lang, ""),
            reset: i18n.marking_between(lang, source, ""),
        }
    };
    markdown::Labels {
        note: label("alert-note"),
        tip: label("alert-tip"),
        important: label("alert-important"),
        warning: label("alert-warning"),
        caution: label("alert-caution"),
        facilitator: label("facilitator-notes"),
    }
}

/// Output paths: the content key, with a page's `slug` renaming its last part.
/// Two nodes may end up on one path: `collisions` finds and reports them.
fn assign_paths(config: &Config, corpus: &Corpus) -> Vec<NodeInfo> {
    let mut infos = Vec::with_capacity(corpus.nodes.len());
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
        infos.push(NodeInfo { path, parent: None, pages: Vec::new(), sections: Vec::new(), position: 0, primary_lang });
    }
    infos
}

pub fn primary_language(config: &Config, node: &Node) -> String {
    let declared = node.versions.values().find_map(|s| s.front.original_language.clone());
    declared
        .filter(|l| node.versions.contains_key(l))
        .or_else(|| node.versions.contains_key(&config.default_language).then(|| config.default_language.clone()))
        .or_else(|| config.languages.iter().map(|l| l.code.clone()).find(|c| node.versions.contains_key(c)))
        .expect("a node has at least one version")
}

/// A file of the site's `static/` folder: (path relative to it, path).
pub type StaticFile = (String, PathBuf);

/// Files of the site's `static/` folder, sorted; an error for a symbolic
/// link that leads outside it.
pub fn list_static_files(config: &Config) -> Result<Vec<StaticFile>> {
    let (files, refused) = scan_static_files(config)?;
    if !refused.is_empty() {
        return Err(Error::many(refused));
    }
    Ok(files)
}

/// Files of the site's `static/` folder, sorted, and the symbolic links
/// that lead outside it, left out (for `serve`, which shows them as
/// problems and serves the rest).
pub fn scan_static_files(config: &Config) -> Result<(Vec<StaticFile>, Vec<Error>)> {
    let dir = config.root.join("static");
    if !dir.is_dir() {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut files = Vec::new();
    let mut refused = Vec::new();
    let inside = dir.canonicalize().map_err(|e| Error::io(&dir, e))?;
    let mut walker = walkdir::WalkDir::new(&dir).follow_links(true).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(&dir).to_path_buf();
            Error::input(path, None, format!("cannot read: {e}"), "fix or remove this file or link in static/")
        })?;
        if entry.path_is_symlink() {
            if let Err(e) = crate::content::ensure_inside(&inside, entry.path(), "static/") {
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                refused.push(e);
                continue;
            }
        }
        if entry.file_type().is_file() && !entry.file_name().to_string_lossy().starts_with('.') {
            files.push((relative_slash_path(&dir, entry.path()), entry.path().to_path_buf()));
        }
    }
    Ok((files, refused))
}

/// Everything a link can point at, for resolving links while rendering.
/// Kept with the site: a later snapshot whose index is equal reuses every
/// rendering's links as they are.
#[derive(Debug, Default, PartialEq, Eq)]
struct LinkIndex {
    languages: BTreeSet<String>,
    /// `guides/mirroring.ca.md` → node key.
    markdown_files: BTreeMap<String, String>,
    /// Markdown files that make no page, and why.
    unpublished: BTreeMap<String, Unpublished>,
    /// Output path → node key.
    page_paths: BTreeMap<String, String>,
    content_files: BTreeSet<String>,
    static_files: BTreeSet<String>,
    /// Taxonomy names (`tags`).
    taxonomies: BTreeSet<String>,
    /// Term page (`tags/privacy/`) → the languages that have it: those
    /// with a version that uses the term.
    term_pages: BTreeMap<String, BTreeSet<String>>,
    /// Taxonomy → its terms paired across languages (`term_pairs`).
    term_pairs: BTreeMap<String, TermPairs>,
    search: bool,
    /// What [`fixed_files`] says the build writes.
    fixed_files: Vec<FixedFile>,
    /// Whether each language gets an offline bundle.
    bundles: bool,
    /// Every workshop's packs in every language, from the site root
    /// (`en/training/care/care-en.zip`), when the site makes them.
    packs: BTreeSet<String>,
}

impl LinkIndex {
    fn new(site: &Site) -> Self {
        let mut markdown_files = BTreeMap::new();
        let mut page_paths = BTreeMap::new();
        let mut term_pages: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (node, info) in site.corpus.nodes.iter().zip(site.nodes.iter()) {
            page_paths.insert(info.path.clone(), node.key.clone());
            for source in node.versions.values() {
                markdown_files.insert(source.rel_path.clone(), node.key.clone());
                for (taxonomy, terms) in &source.front.taxonomies {
                    for term in terms {
                        term_pages.entry(term_page(taxonomy, term)).or_default().insert(source.lang.clone());
                    }
                }
            }
            if node.kind == NodeKind::Section {
                // Links to a folder's `_index.md` and to the folder itself both mean the section.
                page_paths.entry(node.key.clone()).or_insert_with(|| node.key.clone());
            }
        }
        LinkIndex {
            languages: site.config.languages.iter().map(|l| l.code.clone()).collect(),
            markdown_files,
            unpublished: site.corpus.unpublished.clone(),
            page_paths,
            content_files: site.corpus.files.iter().map(|f| f.rel_path.clone()).collect(),
            static_files: site.static_files.iter().map(|(p, _)| p.clone()).collect(),
            taxonomies: site.config.taxonomies.iter().cloned().collect(),
            term_pages,
            term_pairs: infer_term_pairs(site),
            search: site.config.search,
            fixed_files: fixed_files(&site.config),
            bundles: site.config.offline.bundles,
            packs: if site.config.offline.packs { pack_paths(site) } else { BTreeSet::new() },
        }
    }

    /// A site path (`search/`, `ca/tags/x`, `sitemap.xml`, `ca/offline-ca.zip`)
    /// → the generated page or file there, if any; an error for a term page
    /// of a term no page uses.
    fn generated_at(&self, path: &str) -> Option<std::result::Result<(GeneratedIn, String), String>> {
        let found = |place, path: &str| Some(Ok((place, path.to_string())));
        if self.packs.contains(path) {
            return found(GeneratedIn::SiteRoot, path);
        }
        let (place, rest) = match path.split_once('/') {
            Some((first, _)) if self.bundles && path == bundle_path(first) && self.languages.contains(first) => {
                return found(GeneratedIn::SiteRoot, path);
            }
            Some((first, rest)) if self.languages.contains(first) => (GeneratedIn::Language(first.into()), rest),
            _ if self.languages.contains(path) => return None,
            _ => (GeneratedIn::ReaderLanguage, path),
        };
        // A file in every language's folder is the reader's (`/404.html`),
        // else a file of the root is where the link says (`/404.html` too).
        let fixed = |in_each_language, name: &str| {
            self.fixed_files.iter().any(|f| f.in_each_language == in_each_language && f.name == name)
        };
        if fixed(true, rest) {
            return found(place, rest);
        }
        if place == GeneratedIn::ReaderLanguage && fixed(false, path) {
            return found(GeneratedIn::SiteRoot, path);
        }
        let folder = rest.strip_suffix("index.html").unwrap_or(rest).trim_end_matches('/');
        let page = format!("{folder}/");
        if page == TRANSLATIONS_PAGE || (page == SEARCH_PAGE && self.search) {
            return found(place, &page);
        }
        let (taxonomy, term) = folder.split_once('/').unwrap_or((folder, ""));
        if !self.taxonomies.contains(taxonomy) || term.contains('/') {
            return None;
        }
        if term.is_empty() || self.term_pages.contains_key(&page) {
            return found(place, &page);
        }
        Some(Err(format!("no page uses the {taxonomy} term \"{term}\", so there is no page /{taxonomy}/{term}/")))
    }

    /// A site path (`ca/guides/x/`, `guides/x/index.html`) → page key.
    fn page_at(&self, path: &str) -> Option<&str> {
        let path = path.trim_end_matches("index.html").trim_end_matches('/');
        if let Some(key) = self.page_paths.get(path) {
            return Some(key);
        }
        let (first, rest) = path.split_once('/').unwrap_or((path, ""));
        if self.languages.contains(first) {
            return self.page_paths.get(rest).map(String::as_str);
        }
        None
    }
}

/// Every taxonomy's terms paired across languages, from the pages'
/// translations (see `term_pairs`), then as `[term_translations]` declares.
fn infer_term_pairs(site: &Site) -> BTreeMap<String, TermPairs> {
    let default = site.config.default_language.as_str();
    let taxonomy_pairs = |taxonomy: &String| {
        let nodes: Vec<NodeTerms> = site
            .corpus
            .nodes
            .iter()
            .map(|node| NodeTerms {
                versions: node
                    .versions
                    .values()
                    .map(|v| {
                        let terms = v.front.taxonomies.get(taxonomy).into_iter().flatten();
                        (v.lang.as_str(), terms.map(|t| term_slug(t)).collect())
                    })
                    .collect(),
            })
            .collect();
        let mut pairs = term_pairs::infer(default, &nodes);
        for declared in site.config.term_translations.iter().filter(|d| &d.taxonomy == taxonomy) {
            let translation = declared.translation.as_deref().map(term_slug);
            pairs.declare(&declared.lang, &term_slug(&declared.term), translation);
        }
        (taxonomy.clone(), pairs)
    };
    site.config.taxonomies.iter().map(taxonomy_pairs).collect()
}

/// Where `build` writes every workshop's packs (facilitators' and
/// participants', in every language): beside the workshop's page.
fn pack_paths(site: &Site) -> BTreeSet<String> {
    let workshops = (0..site.nodes.len()).filter(|&i| crate::pack::workshop::is_workshop(site.primary_source(i)));
    let mut paths = BTreeSet::new();
    for index in workshops {
        let page = &site.nodes[index].path;
        for lang in &site.config.languages {
            for participants in [false, true] {
                let name = pack_file_name(page, &lang.code, participants);
                paths.insert(format!("{}{name}", crate::urls::page_dir(&lang.code, page)));
            }
        }
    }
    paths
}

/// What a link to a page adds to its address: the query as written
/// (`?x=1`, or empty) and the heading anchor, decoded.
struct PageSuffix {
    query: String,
    anchor: Option<String>,
}

/// Resolves the links of one source file.
struct SourceResolver<'a> {
    index: &'a LinkIndex,
    /// Folder of the source, relative to `content/`.
    source_dir: &'a str,
    /// Output path of the page (its URL's folder, without language).
    page_path: &'a str,
    /// Language of the source: content imported from Hugo or Zola writes
    /// relative URLs from `/<lang>/path/`, one level deeper than `page_path`.
    lang: &'a str,
}

impl LinkResolver for SourceResolver<'_> {
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
        let (query, anchor) = match suffix.split_once('#') {
            Some((query, anchor)) => (query, Some(percent_decode(anchor)).filter(|a| !a.is_empty())),
            None => (suffix, None),
        };
        // Written into the output as they are, but for what a URL may not hold raw.
        let (query, suffix) = (encode_suffix(query), encode_suffix(suffix));
        let page = PageSuffix { query, anchor };
        let path = percent_decode(path);
        if path.ends_with(".md") {
            return self.markdown_link(&path, page);
        }
        self.site_link(&path, &suffix, page)
    }
}

impl SourceResolver<'_> {
    fn markdown_link(&self, path: &str, PageSuffix { query, anchor }: PageSuffix) -> LinkTarget {
        // Zola's internal links, `@/guides/x.md`, start from `content/` as
        // `/guides/x.md` does.
        let path = path.strip_prefix('@').filter(|p| p.starts_with('/')).unwrap_or(path);
        let Some(file) = join_normalized(self.source_dir, path) else {
            return LinkTarget::Broken { reason: "the link leads outside content/".into() };
        };
        match (self.index.markdown_files.get(&file), self.index.unpublished.get(&file)) {
            (Some(key), _) => LinkTarget::Page { key: key.to_string(), query, anchor },
            (None, Some(Unpublished::Draft)) => LinkTarget::Broken {
                reason: format!(
                    "content/{file} is a draft, so readers get no page there (publish it or link elsewhere)"
                ),
            },
            (None, Some(Unpublished::Unreadable)) => LinkTarget::Broken {
                reason: format!("content/{file} could not be read, so it makes no page (see its own error)"),
            },
            (None, None) => {
                // Files written on systems that ignore case often link in another case.
                let lower = file.to_lowercase();
                let near =
                    self.index.markdown_files.keys().find(|f| f.len() == file.len() && f.to_lowercase() == lower);
                let near = near.map(|f| format!(" (did you mean content/{f}?)")).unwrap_or_default();
                LinkTarget::Broken { reason: format!("no page content/{file}{near}") }
            }
        }
    }

    /// Site paths as imported content writes them (`/guides/x/`, `../x/`), and files.
    fn site_link(&self, path: &str, suffix: &str, PageSuffix { query, anchor }: PageSuffix) -> LinkTarget {
        // Relative to the page's address in our layout, and in Hugo's and
        // Zola's, where a translation lives one level deeper (`/ca/path/`).
        let in_language = format!("{}/{}", self.lang, self.page_path);
        let candidates: Vec<String> = [join_normalized(self.page_path, path), join_normalized(&in_language, path)]
            .into_iter()
            .flatten()
            .collect();
        if let Some(key) = candidates.iter().find_map(|p| self.index.page_at(p)) {
            return LinkTarget::Page { key: key.to_string(), query, anchor };
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
            if let Some(generated) = self.index.generated_at(url) {
                return match generated {
                    Ok((place, path)) => LinkTarget::Generated { place, path, suffix },
                    Err(reason) => LinkTarget::Broken { reason },
                };
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
