//! Two things the build would write at one address: two pages (a `slug`
//! taking another page's place), a page on a generated page's address
//! (`content/search.md` and the search page, a taxonomy's pages, the
//! translations status page, the feed…), an alias on a page's or another
//! alias's, a file of `static/` or `content/` on any of them. Found from the
//! site model, before anything is rendered, so `check` lists them among its
//! other findings and `build`, `pack` and `serve` refuse them, each at the
//! file (and line) that puts something there.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::content::NodeKind;
use crate::error::{read_text, Error, Result};
use crate::front_matter::field_line;
use crate::site::{fixed_files, term_page, FixedFile, Site, SEARCH_PAGE, TRANSLATIONS_PAGE};
use crate::templates::{alias_file, alias_is_for, root_alias_file, root_redirect_file};

/// Something that writes a file of the output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Writer {
    /// An alias of a node's page, in every language (and at the root,
    /// when it names no language's folder).
    Alias {
        node: usize,
        alias: String,
    },
    /// With `root_redirects`, the redirect from a node's address without
    /// a language folder.
    RootRedirect(usize),
    /// A file of `static/` (index into `site.static_files`).
    StaticFile(usize),
    /// A file of `content/` (index into `site.corpus.files`), beside its
    /// page in every language.
    ContentFile(usize),
    /// The pages of a node, in every language.
    Page(usize),
    Generated(Generated),
}

/// The pages and files the build makes of its own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Generated {
    SearchPage,
    TranslationsPage,
    TaxonomyList(String),
    TaxonomyTerm {
        taxonomy: String,
        term: String,
    },
    Chooser,
    /// The feed, the 404 pages, the root's files… (`site::fixed_files`).
    File(FixedFile),
}

impl Generated {
    fn name(&self) -> String {
        match self {
            Generated::SearchPage => "the search page".into(),
            Generated::TranslationsPage => "the translations status page".into(),
            Generated::TaxonomyList(taxonomy) => format!("the list of {taxonomy}"),
            Generated::TaxonomyTerm { taxonomy, term } => format!("the {taxonomy} page of \"{term}\""),
            Generated::Chooser => "the language chooser".into(),
            Generated::File(file) => file.what.into(),
        }
    }
}

impl Writer {
    /// Of the writers on one address, the one reported (and asked to give
    /// way) is the one ranked first: an alias, then a copied file, then a
    /// page with a `slug`, then any page; what the build generates last.
    fn rank(&self, site: &Site) -> u8 {
        match self {
            Writer::Alias { .. } | Writer::RootRedirect(_) => 0,
            Writer::StaticFile(_) => 1,
            Writer::ContentFile(_) => 2,
            Writer::Page(i) if site.primary_source(*i).front.slug.is_some() => 3,
            Writer::Page(_) => 4,
            Writer::Generated(_) => 5,
        }
    }

    /// The writer as named in an error reported at its own file.
    fn itself(&self, site: &Site) -> String {
        match self {
            Writer::Alias { alias, .. } => format!("the alias \"{alias}\" of this page"),
            Writer::RootRedirect(_) => "the redirect from this page's address at the root (root_redirects)".into(),
            Writer::StaticFile(_) | Writer::ContentFile(_) => "this file".into(),
            Writer::Page(i) => match (site.node(*i).kind, is_implicit(site, *i)) {
                (NodeKind::Page, _) => "this page".into(),
                (NodeKind::Section, false) => "this section".into(),
                (NodeKind::Section, true) => "the section page of this folder".into(),
            },
            Writer::Generated(_) => self.named(site),
        }
    }

    /// The writer as named in an error reported at another's file.
    fn named(&self, site: &Site) -> String {
        match self {
            Writer::Alias { node, alias } => {
                format!("the alias \"{alias}\" of content/{}", site.primary_source(*node).rel_path)
            }
            Writer::RootRedirect(i) => {
                format!("the redirect from the root to content/{} (root_redirects)", site.primary_source(*i).rel_path)
            }
            Writer::StaticFile(i) => format!("static/{}", site.static_files[*i].0),
            Writer::ContentFile(i) => format!("content/{}", site.corpus.files[*i].rel_path),
            Writer::Page(i) if is_implicit(site, *i) => {
                format!("the section page of folder content/{}/", site.node(*i).key)
            }
            Writer::Page(i) => format!("content/{}", site.primary_source(*i).rel_path),
            Writer::Generated(generated) => generated.name(),
        }
    }

    /// The file and line an error about the writer is reported at.
    fn location(&self, site: &Site) -> (PathBuf, Option<usize>) {
        match self {
            Writer::Alias { node, alias } => {
                let source = site.primary_source(*node);
                (source.path.clone(), alias_line(&source.path, alias))
            }
            Writer::StaticFile(i) => (site.static_files[*i].1.clone(), None),
            Writer::ContentFile(i) => (site.corpus.files[*i].path.clone(), None),
            Writer::Page(i) | Writer::RootRedirect(i) => {
                let source = site.primary_source(*i);
                let line = source.front.slug.as_ref().and_then(|_| front_matter_line(&source.path, "slug"));
                (source.path.clone(), line)
            }
            Writer::Generated(generated) => {
                let config = site.config.root.join(CONFIG_FILE);
                let taxonomy = matches!(generated, Generated::TaxonomyList(_) | Generated::TaxonomyTerm { .. });
                let line = taxonomy.then(|| front_matter_line(&config, "taxonomies")).flatten();
                (config, line)
            }
        }
    }

    /// What to do, said to the writer reported.
    fn hint(&self, site: &Site) -> &'static str {
        match self {
            Writer::Page(i) if site.node(*i).kind == NodeKind::Section => "rename the section's folder",
            Writer::Alias { .. } => "remove the alias, or change it to an address nothing else uses",
            Writer::RootRedirect(_) => {
                "rename the file, give the page a `slug` that nothing else uses, or set root_redirects = false in site.toml"
            }
            Writer::StaticFile(_) => "move or rename the static file",
            Writer::ContentFile(_) => "move or rename the file",
            Writer::Page(_) if self.rank(site) == 3 => "change the slug or the file name of one of them",
            Writer::Page(_) => "rename the file, or give the page a `slug` that nothing else uses",
            Writer::Generated(_) => "rename the taxonomy in site.toml",
        }
    }
}

/// The addresses of the site's output and who writes there. Most of what a
/// build writes is written in every language at the same path below the
/// language's folder: those are kept once, not once per language.
#[derive(Default)]
struct Claims {
    /// Below every language's folder (`guides/x/index.html`).
    every_language: BTreeMap<String, Vec<Writer>>,
    /// Paths from the output's root (`en/old/index.html`, `robots.txt`).
    one_place: BTreeMap<String, Vec<Writer>>,
    languages: BTreeSet<String>,
}

impl Claims {
    fn of(site: &Site, theme_has: &dyn Fn(&str) -> bool) -> Claims {
        let mut claims =
            Claims { languages: site.config.languages.iter().map(|l| l.code.clone()).collect(), ..Claims::default() };
        for (i, info) in site.nodes.iter().enumerate() {
            claims.in_every_language(index_html(&info.path), Writer::Page(i));
            for alias in &site.primary_source(i).front.aliases {
                let writer = Writer::Alias { node: i, alias: alias.clone() };
                let languages = &site.config.languages;
                for lang in languages.iter().filter(|l| alias_is_for(alias, &l.code, languages)) {
                    claims.in_one_place(alias_file(alias, &lang.code), writer.clone());
                }
                if let Some(file) = root_alias_file(alias, &site.config.languages) {
                    claims.in_one_place(file, writer);
                }
            }
            if let Some(file) = root_redirect_file(&site.config, &info.path) {
                claims.in_one_place(file, Writer::RootRedirect(i));
            }
        }
        for (i, file) in site.corpus.files.iter().enumerate() {
            claims.in_every_language(site.content_file_output(&file.rel_path), Writer::ContentFile(i));
        }
        for (i, (rel, _)) in site.static_files.iter().enumerate() {
            claims.in_one_place(rel.clone(), Writer::StaticFile(i));
        }
        claims.generated(site, theme_has);
        claims
    }

    /// What `build` renders of its own (see `build::Part`).
    fn generated(&mut self, site: &Site, theme_has: &dyn Fn(&str) -> bool) {
        let config = &site.config;
        let mut every_language = Vec::new();
        if config.search {
            every_language.push((index_html(SEARCH_PAGE), Generated::SearchPage));
        }
        if theme_has(crate::translations_page::TEMPLATE) {
            every_language.push((index_html(TRANSLATIONS_PAGE), Generated::TranslationsPage));
        }
        for taxonomy in &config.taxonomies {
            every_language.push((index_html(taxonomy), Generated::TaxonomyList(taxonomy.clone())));
        }
        for (rel, generated) in every_language {
            self.in_every_language(rel, Writer::Generated(generated));
        }
        self.in_one_place("index.html".into(), Writer::Generated(Generated::Chooser));
        for file in fixed_files(config) {
            let writer = Writer::Generated(Generated::File(file));
            if file.in_each_language {
                self.in_every_language(file.name.into(), writer);
            } else {
                self.in_one_place(file.name.into(), writer);
            }
        }
        for (path, term) in taxonomy_terms(site) {
            self.in_one_place(path, Writer::Generated(term));
        }
    }

    fn in_every_language(&mut self, rel: String, writer: Writer) {
        self.every_language.entry(rel).or_default().push(writer);
    }

    fn in_one_place(&mut self, path: String, writer: Writer) {
        self.one_place.entry(path).or_default().push(writer);
    }

    /// Each address with more than one writer: (address as readers see it, writers).
    fn shared(&self) -> Vec<(String, Vec<Writer>)> {
        let mut shared = Vec::new();
        for (rel, writers) in &self.every_language {
            if writers.len() > 1 {
                shared.push((format!("/<lang>/{}", shown(rel)), writers.clone()));
            }
        }
        for (path, writers) in &self.one_place {
            let mut all = writers.clone();
            if let Some((_, rest)) = path.split_once('/').filter(|(first, _)| self.languages.contains(*first)) {
                all.extend(self.every_language.get(rest).into_iter().flatten().cloned());
            }
            if all.len() > 1 {
                shared.push((format!("/{}", shown(path)), all));
            }
        }
        shared
    }
}

/// The term pages of every taxonomy in every language, from the versions
/// written in it: (path from the output's root, the term's page).
fn taxonomy_terms(site: &Site) -> BTreeMap<String, Generated> {
    let mut terms = BTreeMap::new();
    for node in &site.corpus.nodes {
        for source in node.versions.values() {
            for taxonomy in &site.config.taxonomies {
                for term in source.front.taxonomies.get(taxonomy).into_iter().flatten() {
                    let path = format!("{}/{}index.html", source.lang, term_page(taxonomy, term));
                    terms
                        .entry(path)
                        .or_insert_with(|| Generated::TaxonomyTerm { taxonomy: taxonomy.clone(), term: term.clone() });
                }
            }
        }
    }
    terms
}

/// Every place two writers would write one file of the output, reported
/// once for each writer that has to give way, at its file and line, naming
/// the others and where they meet. Sorted; empty when there are none.
/// `theme_has` says whether the theme has a template (a theme without
/// one of the status page makes none).
pub fn find(site: &Site, theme_has: &dyn Fn(&str) -> bool) -> Vec<Error> {
    let claims = Claims::of(site, theme_has);
    // The same writers usually meet in every language: one report, listing where.
    let mut meetings: BTreeMap<(Writer, Vec<Writer>), Vec<String>> = BTreeMap::new();
    for (address, mut writers) in claims.shared() {
        writers.sort_by_cached_key(|w| (w.rank(site), w.clone()));
        writers.dedup();
        if writers.len() < 2 {
            continue; // one writer claiming a place twice (an alias listed twice)
        }
        // Every writer but the one that stays (generated pages stay; else
        // the last ranked) has to give way.
        for (at, writer) in writers.iter().enumerate().take(writers.len() - 1) {
            let others: Vec<Writer> =
                writers.iter().enumerate().filter(|(i, _)| *i != at).map(|(_, w)| w.clone()).collect();
            meetings.entry((writer.clone(), others)).or_default().push(address.clone());
        }
    }
    let mut errors: Vec<Error> =
        meetings.into_iter().map(|((first, others), addresses)| report(site, &first, &others, &addresses)).collect();
    errors.sort_by_key(|e| e.to_string());
    errors
}

/// [`find`] as one error (all of them), for the commands that refuse them.
pub fn refuse(site: &Site, theme_has: &dyn Fn(&str) -> bool) -> Result<()> {
    let errors = find(site, theme_has);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::many(errors))
    }
}

fn report(site: &Site, first: &Writer, others: &[Writer], addresses: &[String]) -> Error {
    let mut names = vec![first.itself(site)];
    names.extend(others.iter().map(|w| w.named(site)));
    let all = if names.len() > 2 { "all" } else { "both" };
    let (path, line) = first.location(site);
    Error::input(
        path,
        line,
        format!("{} would {all} be written to {}", and_list(&names), and_list_capped(addresses)),
        first.hint(site),
    )
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The first three addresses, then how many more.
fn and_list_capped(addresses: &[String]) -> String {
    const SHOWN: usize = 3;
    if addresses.len() <= SHOWN {
        return and_list(addresses);
    }
    format!("{} and {} more addresses", addresses[..SHOWN].join(", "), addresses.len() - SHOWN)
}

/// The file written for a page at `path` (`""` for the home; a trailing
/// slash is allowed).
fn index_html(path: &str) -> String {
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        "index.html".to_string()
    } else {
        format!("{path}/index.html")
    }
}

/// An output path as its address: `x/index.html` is `x/`.
fn shown(rel: &str) -> &str {
    rel.strip_suffix("index.html").unwrap_or(rel)
}

/// A section made for a folder with no `_index.md`: its "source" is the folder.
fn is_implicit(site: &Site, index: usize) -> bool {
    site.primary_source(index).path.extension().is_none_or(|e| e != "md")
}

/// 1-based line of a front-matter field (or a `site.toml` key) of the file at `path`.
fn front_matter_line(path: &Path, field: &str) -> Option<usize> {
    read_text(path).ok().and_then(|text| field_line(&text, field)).map(|l| l + 1)
}

/// 1-based line of one alias in a page's front matter: the line from
/// `aliases` on that names it, else the `aliases` line itself.
fn alias_line(path: &Path, alias: &str) -> Option<usize> {
    let text = read_text(path).ok()?;
    let start = field_line(&text, "aliases")?;
    let quoted = [format!("\"{alias}\""), format!("'{alias}'"), format!("- {alias}")];
    let end = text.lines().skip(1).position(|l| l == "+++" || l == "---").map_or(usize::MAX, |i| i + 1);
    let named = text
        .lines()
        .enumerate()
        .take(end)
        .skip(start)
        .find(|(_, line)| quoted.iter().any(|q| line.contains(q.as_str())))
        .map(|(i, _)| i);
    Some(named.unwrap_or(start) + 1)
}
