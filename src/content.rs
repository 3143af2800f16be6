//! Walk `content/` into a [`Corpus`]: every Markdown source parsed (front matter
//! split off), grouped with its translations under one node, plus the other
//! files (bundle images, downloads) that are copied beside the pages.
//!
//! Knows nothing of Markdown rendering or output paths.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{is_language_tag, Config};
use crate::error::{read_text, Error, Result};
use crate::front_matter::{self, FrontMatter};
use crate::urls::relative_slash_path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    Section,
    Page,
}

/// One page or section, in every language it is written in. Sources are
/// shared, so a snapshot that changes one file (`serve`) copies no text.
#[derive(Debug, Clone)]
pub struct Node {
    /// Content path without language suffix or extension, `/`-separated:
    /// `""` (home), `guides` (section), `guides/mirroring`, `guides/hardening` (bundle).
    pub key: String,
    pub kind: NodeKind,
    /// The folder its files live in, relative to `content/` (`""` for the root).
    pub dir: String,
    pub is_bundle: bool,
    /// Language code → its source. Never empty.
    pub versions: BTreeMap<String, Arc<Source>>,
}

#[derive(Debug, Clone)]
pub struct Source {
    /// As found (under the site root), for messages.
    pub path: PathBuf,
    /// Relative to `content/`, `/`-separated: `guides/mirroring.ca.md`.
    pub rel_path: String,
    pub lang: String,
    pub front: FrontMatter,
    pub body: String,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
}

/// A file in `content/` that is not Markdown: copied beside the pages of its folder.
#[derive(Debug, Clone)]
pub struct ContentFile {
    pub path: PathBuf,
    /// Relative to `content/`, `/`-separated.
    pub rel_path: String,
}

#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Sorted by key. Shared, so a snapshot that changes one page copies
    /// one node.
    pub nodes: Vec<Arc<Node>>,
    /// Sorted by rel_path.
    pub files: Vec<ContentFile>,
    /// Markdown files that are in `content/` but make no page: relative
    /// path → why, so a link to one can say so rather than "no page".
    pub unpublished: BTreeMap<String, Unpublished>,
}

/// Why a Markdown file in `content/` makes no page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unpublished {
    /// `draft = true`, and drafts are left out.
    Draft,
    /// It could not be read (bad front matter, not UTF-8…): its own error says why.
    Unreadable,
}

impl Corpus {
    pub fn node(&self, key: &str) -> Option<&Node> {
        self.nodes.binary_search_by(|n| n.key.as_str().cmp(key)).ok().map(|i| &*self.nodes[i])
    }
}

/// What a Markdown file name says about its place in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownName {
    pub key: String,
    pub kind: NodeKind,
    pub is_bundle: bool,
    pub lang: String,
}

pub fn load(config: &Config, include_drafts: bool) -> Result<Corpus> {
    let (corpus, errors) = load_all(config, include_drafts)?;
    if !errors.is_empty() {
        return Err(Error::many(errors));
    }
    Ok(corpus)
}

/// Like [`load`], but a bad file does not stop the others: the corpus holds
/// every good file and the errors name every bad one (for `infrared check`).
/// Only a problem with the folder itself is an `Err`.
pub fn load_all(config: &Config, include_drafts: bool) -> Result<(Corpus, Vec<Error>)> {
    let Scan { markdown, files, refused } = scan(config)?;
    let parsed: Vec<Result<(MarkdownName, Source), Vec<Error>>> =
        markdown.par_iter().map(|(path, rel)| read_markdown(config, path, rel)).collect();
    let mut sources = Vec::new();
    let mut errors: Vec<Error> = refused.into_iter().map(|(_, e)| e).collect();
    let mut unreadable = Vec::new();
    for (result, (_, rel)) in parsed.into_iter().zip(&markdown) {
        match result {
            Ok((name, source)) => sources.push((name, Arc::new(source))),
            Err(e) => {
                errors.extend(e);
                unreadable.push(rel.clone());
            }
        }
    }
    let (mut corpus, grouping_errors) = assemble(config, sources, files, include_drafts);
    corpus.unpublished.extend(unreadable.into_iter().map(|rel| (rel, Unpublished::Unreadable)));
    errors.extend(grouping_errors);
    Ok((corpus, errors))
}

/// What is in `content/`, sorted; an error only for a folder that is
/// missing or cannot be walked.
pub fn scan(config: &Config) -> Result<Scan> {
    let content_dir = config.content_dir();
    if !content_dir.is_dir() {
        return Err(Error::input(
            &content_dir,
            None,
            "no content/ folder",
            "create content/_index.md (the home page) and add pages beside it",
        ));
    }
    walk(config, &content_dir)
}

/// The corpus made of parsed sources and the other files: translations
/// grouped, drafts left out unless asked for, folders without `_index.md`
/// made sections. Two sources for one page and language are an error each
/// (the later one in `sources` is left out).
pub fn assemble(
    config: &Config,
    mut sources: Vec<(MarkdownName, Arc<Source>)>,
    files: Vec<ContentFile>,
    include_drafts: bool,
) -> (Corpus, Vec<Error>) {
    let mut unpublished = BTreeMap::new();
    sources.retain(|(_, s)| {
        let left_out = !include_drafts && s.front.draft;
        if left_out {
            unpublished.insert(s.rel_path.clone(), Unpublished::Draft);
        }
        !left_out
    });
    let mut errors = Vec::new();
    let mut nodes = group(sources, &config.default_language, &mut errors);
    add_implicit_sections(config, &mut nodes);
    (Corpus { nodes: nodes.into_iter().map(Arc::new).collect(), files, unpublished }, errors)
}

/// The files of `content/`.
#[derive(Debug, Default)]
pub struct Scan {
    /// Markdown files: (path, path relative to `content/`).
    pub markdown: Vec<(PathBuf, String)>,
    pub files: Vec<ContentFile>,
    /// Symbolic links that lead outside `content/`, left out: (path
    /// relative to `content/`, the error that names them).
    pub refused: Vec<(String, Error)>,
}

/// Every file under `content/`, sorted, hidden files and editor leftovers skipped.
fn walk(config: &Config, content_dir: &Path) -> Result<Scan> {
    let mut scan = Scan::default();
    let mut walker = walkdir::WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()));
    // Links inside content/ may point anywhere inside it, never outside: a
    // writer's symlink must not publish /etc or a home folder.
    let inside = content_dir.canonicalize().map_err(|e| Error::io(content_dir, e))?;
    while let Some(entry) = walker.next() {
        let entry = entry.map_err(|e| walk_error(config, e))?;
        if entry.path_is_symlink() && entry.depth() > 0 {
            if let Err(refused) = ensure_inside(&inside, entry.path(), "content/") {
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                scan.refused.push((relative_slash_path(content_dir, entry.path()), refused));
                continue;
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative_slash_path(content_dir, entry.path());
        if rel.ends_with(".md") {
            scan.markdown.push((entry.path().to_path_buf(), rel));
        } else {
            scan.files.push(ContentFile { path: entry.path().to_path_buf(), rel_path: rel });
        }
    }
    Ok(scan)
}

/// Refuses a symbolic link that resolves outside `inside` (a canonical folder).
pub fn ensure_inside(inside: &Path, link: &Path, name: &str) -> Result<()> {
    let target = link.canonicalize().map_err(|e| Error::io(link, e))?;
    if target.starts_with(inside) {
        return Ok(());
    }
    Err(Error::input(
        link,
        None,
        format!("this symbolic link leads outside {name} (to {})", target.display()),
        format!("copy the file into {name} instead of linking to it"),
    ))
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Hidden files, editor backups and lock files, left out of the site.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
}

/// An entry of `content/` that cannot be walked: a link loop, a link to
/// nowhere, a folder that cannot be read.
pub fn walk_error(config: &Config, e: walkdir::Error) -> Error {
    let path = e.path().unwrap_or(&config.root).to_path_buf();
    if let Some(ancestor) = e.loop_ancestor() {
        return Error::input(
            path,
            None,
            format!("symbolic link loop: it leads back to {}", ancestor.display()),
            "remove or fix the link so content/ is a tree",
        );
    }
    let io = e.into_io_error().unwrap_or_else(|| std::io::Error::other("unreadable entry"));
    unreadable(path, io)
}

/// A file of `content/` that cannot be read (a link to nowhere, no permission).
pub fn unreadable(path: impl Into<PathBuf>, io: std::io::Error) -> Error {
    Error::input(
        path,
        None,
        format!("cannot read: {io}"),
        "check the file's permissions (and that links point to existing files)",
    )
}

/// One Markdown file (`rel` is its path relative to `content/`), or every
/// problem found in it.
pub fn read_markdown(config: &Config, path: &Path, rel: &str) -> Result<(MarkdownName, Source), Vec<Error>> {
    let name = parse_markdown_name(config, path, rel).map_err(|e| vec![e])?;
    let size = std::fs::metadata(path).map_err(|e| vec![Error::io(path, e)])?.len();
    if size > config.max_file_size {
        return Err(vec![Error::input(
            path,
            None,
            format!("the file is {:.1} MiB, over the limit of {:.1} MiB", mib(size), mib(config.max_file_size)),
            "split it into several pages, or raise max_file_size in site.toml",
        )]);
    }
    let text = read_text(path).map_err(|e| vec![e])?;
    let source = source_from_text(config, path, rel, &name.lang, &text)?;
    Ok((name, source))
}

/// A Markdown file's text, read as [`read_source`] reads it: front matter
/// checked, body kept (for the fuzzer, which has no file).
pub fn source_from_text(config: &Config, path: &Path, rel: &str, lang: &str, text: &str) -> Result<Source, Vec<Error>> {
    // NUL is never text: CommonMark replaces it, and so do we, everywhere
    // (titles and summaries too), before anything reads the file.
    let text = text.replace('\0', "\u{FFFD}");
    let split = front_matter::split_all(&text, &config.taxonomies).map_err(|errors| {
        let error = |e: front_matter::FrontMatterError| match e.column {
            Some(column) => Error::input_at(path, (e.line, column), e.message, e.hint),
            None => Error::input(path, Some(e.line), e.message, e.hint),
        };
        errors.into_iter().map(error).collect::<Vec<_>>()
    })?;
    if let Some(original) = &split.front.original_language {
        if !config.is_language(original) {
            return Err(vec![Error::input(
                path,
                front_matter::field_line(&text, "original_language").map(|l| l + 1),
                format!("original_language \"{original}\" is not configured"),
                "use one of the language codes in site.toml",
            )]);
        }
    }
    Ok(Source {
        path: path.to_path_buf(),
        rel_path: rel.to_string(),
        lang: lang.to_string(),
        front: split.front,
        body: split.body.to_string(),
        body_line: split.body_line,
    })
}

/// The key of the page a Markdown file belongs to (`guides/mirroring.ca.md`
/// → `guides/mirroring`): an error for a suffix that is not a language.
pub fn node_key(config: &Config, path: &Path, rel: &str) -> Result<String> {
    parse_markdown_name(config, path, rel).map(|name| name.key)
}

/// `guides/mirroring.ca.md` → key `guides/mirroring`, page, in `ca`.
fn parse_markdown_name(config: &Config, path: &Path, rel: &str) -> Result<MarkdownName> {
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = file.strip_suffix(".md").unwrap_or(file);
    let (base, lang) = match stem.rsplit_once('.') {
        Some((base, suffix)) if config.is_language(suffix) => (base, suffix.to_string()),
        Some((_, suffix)) if is_language_tag(suffix) => {
            let known: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
            return Err(Error::input(
                path,
                None,
                format!("\"{suffix}\" is not a configured language"),
                format!("add [languages.{suffix}] to site.toml, or rename the file (languages: {})", known.join(", ")),
            ));
        }
        _ => (stem, config.default_language.clone()),
    };
    let join = |a: &str, b: &str| {
        if a.is_empty() {
            b.to_string()
        } else {
            format!("{a}/{b}")
        }
    };
    let (key, kind, is_bundle) = match base {
        "_index" => (dir.to_string(), NodeKind::Section, false),
        "index" if !dir.is_empty() => (dir.to_string(), NodeKind::Page, true),
        _ => (join(dir, base), NodeKind::Page, false),
    };
    Ok(MarkdownName { key, kind, is_bundle, lang })
}

/// Group translations under one node. Two sources for one page and language
/// is an error (one of them is left out: of a file without a language suffix
/// and its twin with the default language's, the one without), and so are
/// sources of one address that make different things (a page and a bundle,
/// a page and a section): the one with a version in the default language
/// (else the first found) stays, each version of the others is reported.
/// Both are found in one pass, so one run reports them all.
fn group(sources: Vec<(MarkdownName, Arc<Source>)>, default_language: &str, errors: &mut Vec<Error>) -> Vec<Node> {
    // Each address's nodes, one per kind of thing made there, in the order found.
    let mut by_key: BTreeMap<String, Vec<Node>> = BTreeMap::new();
    for (name, source) in sources {
        let shapes = by_key.entry(name.key.clone()).or_default();
        let same_shape = |n: &Node| n.kind == name.kind && n.is_bundle == name.is_bundle;
        let at = match shapes.iter().position(same_shape) {
            Some(at) => at,
            None => {
                shapes.push(empty_node(&name));
                shapes.len() - 1
            }
        };
        add_version(&mut shapes[at], source, &name.key, errors);
    }
    by_key.into_values().filter_map(|shapes| kept_shape(shapes, default_language, errors)).collect()
}

fn empty_node(name: &MarkdownName) -> Node {
    Node {
        dir: if name.kind == NodeKind::Page && !name.is_bundle {
            name.key.rsplit_once('/').map_or(String::new(), |(d, _)| d.to_string())
        } else {
            name.key.clone()
        },
        key: name.key.clone(),
        kind: name.kind,
        is_bundle: name.is_bundle,
        versions: BTreeMap::new(),
    }
}

/// `source` as the version of its language, unless the node has one: then
/// one of the two is reported.
fn add_version(node: &mut Node, source: Arc<Source>, key: &str, errors: &mut Vec<Error>) {
    let Some(existing) = node.versions.get(&source.lang).cloned() else {
        node.versions.insert(source.lang.clone(), source);
        return;
    };
    // The file whose language is implied is the one reported.
    let (reported, kept) = match (has_language_suffix(&existing), has_language_suffix(&source)) {
        (false, true) => (existing, source),
        _ => (source, existing),
    };
    errors.push(same_page_error(&reported, Some(&kept), key));
    node.versions.insert(kept.lang.clone(), kept);
}

/// Of the things made at one address, the one the default language's
/// version makes (an original moved into or out of a bundle takes its page
/// with it), else the first found; every version of the others is
/// reported, naming the version it clashes with.
fn kept_shape(mut shapes: Vec<Node>, default_language: &str, errors: &mut Vec<Error>) -> Option<Node> {
    let at = shapes.iter().position(|n| n.versions.contains_key(default_language)).unwrap_or(0);
    if at >= shapes.len() {
        return None;
    }
    let kept = shapes.remove(at);
    for other in shapes {
        // Translations left where a page was before it moved into or out of a bundle.
        let left_behind = kept.kind == NodeKind::Page
            && other.kind == NodeKind::Page
            && kept.versions.contains_key(default_language)
            && !other.versions.contains_key(default_language);
        for source in other.versions.values() {
            let error = match left_behind {
                true => left_behind_error(source, &kept, default_language),
                false => {
                    let clash = kept.versions.get(&source.lang).or_else(|| kept.versions.values().next());
                    same_page_error(source, clash.map(|s| &**s), &kept.key)
                }
            };
            errors.push(error);
        }
    }
    Some(kept)
}

/// `source` is a version of a page that moved into a bundle (`guide.md` →
/// `guide/index.md`) or out of one, left where the page was: where to move
/// it, or, when the page has a version in its language there already,
/// which file to keep.
fn left_behind_error(source: &Source, page: &Node, default_language: &str) -> Error {
    let lang = &source.lang;
    let original = page.versions.get(default_language).or_else(|| page.versions.values().next());
    let moved = original.map_or_else(|| page.key.clone(), |v| shown(&v.path));
    let now = if page.is_bundle { "the page is a bundle now" } else { "the page is no longer a bundle" };
    if let Some(existing) = page.versions.get(lang) {
        return Error::input(
            &source.path,
            None,
            format!("this file and {} both make the page /{lang}/{}: {now}, {moved}", shown(&existing.path), page.key),
            "keep whichever is up to date, delete the other",
        );
    }
    let name = match page.is_bundle {
        true => format!("index.{lang}.md"),
        false => format!("{}.{lang}.md", page.key.rsplit('/').next().unwrap_or(&page.key)),
    };
    let target = match original.and_then(|v| v.path.parent()) {
        Some(folder) => shown(&folder.join(name)),
        None => name,
    };
    let from = shown(&source.path);
    Error::input(
        &source.path,
        None,
        format!("this translation of /{lang}/{} is left behind: {now}, {moved}", page.key),
        format!("move the translation with its page: `git mv {from} {target}`"),
    )
}

/// A path as the terminal shows it: relative to the current folder, without `./`.
fn shown(path: &Path) -> String {
    path.display().to_string().trim_start_matches("./").to_string()
}

/// `source` makes a page (in its language) that `other` makes too.
fn same_page_error(source: &Source, other: Option<&Source>, key: &str) -> Error {
    let other_path = other.map(|o| shown(&o.path)).unwrap_or_default();
    let implied =
        other.is_some_and(|o| o.lang == source.lang && has_language_suffix(o)) && !has_language_suffix(source);
    if implied {
        return Error::input(
            &source.path,
            None,
            format!(
                "this file duplicates {other_path}: a file without a language suffix is in the default language \
                 ({}), so both make the page /{}/{key}",
                source.lang, source.lang
            ),
            "remove one of them, or add the suffix of the language this file is in to its name",
        );
    }
    Error::input(
        &source.path,
        None,
        format!("this file and {other_path} both make the page /{}/{key}", source.lang),
        "rename or remove one of them",
    )
}

/// Whether the file's name says its language (`x.ca.md`, `_index.en.md`).
fn has_language_suffix(source: &Source) -> bool {
    let name = source.rel_path.rsplit('/').next().unwrap_or(&source.rel_path);
    let stem = name.strip_suffix(".md").unwrap_or(name);
    stem.rsplit_once('.').is_some_and(|(_, suffix)| suffix == source.lang)
}

/// Every folder holding pages becomes a section, described or not, so every
/// URL prefix of a page is a page too (the home page included).
fn add_implicit_sections(config: &Config, nodes: &mut Vec<Node>) {
    let existing: std::collections::BTreeSet<String> = nodes.iter().map(|n| n.key.clone()).collect();
    let mut missing = std::collections::BTreeSet::new();
    for node in nodes.iter() {
        let mut key = node.key.as_str();
        while !key.is_empty() {
            key = key.rsplit_once('/').map_or("", |(parent, _)| parent);
            if !existing.contains(key) {
                missing.insert(key.to_string());
            }
        }
    }
    if nodes.is_empty() {
        missing.insert(String::new());
    }
    for key in missing {
        let title = if key.is_empty() {
            config.title.clone()
        } else {
            let name = key.rsplit('/').next().unwrap_or(&key).replace(['-', '_'], " ");
            let mut chars = name.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        };
        let source = Source {
            path: config.content_dir().join(&key),
            rel_path: if key.is_empty() { "_index.md".into() } else { format!("{key}/_index.md") },
            lang: config.default_language.clone(),
            front: FrontMatter { title: Some(title), ..FrontMatter::default() },
            body: String::new(),
            body_line: 1,
        };
        let versions = BTreeMap::from([(source.lang.clone(), Arc::new(source))]);
        nodes.push(Node { dir: key.clone(), key, kind: NodeKind::Section, is_bundle: false, versions });
    }
    nodes.sort_by(|a, b| a.key.cmp(&b.key));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            Path::new("."),
            Path::new("site.toml"),
            "title = \"t\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ca]\nname = \"Català\"\n[languages.pt-br]\nname = \"Português\"\n",
        )
        .unwrap()
    }

    fn name(rel: &str) -> Result<MarkdownName> {
        parse_markdown_name(&config(), Path::new(rel), rel)
    }

    #[test]
    fn names_map_to_keys_kinds_and_languages() {
        let page = |key: &str, lang: &str| MarkdownName {
            key: key.into(),
            kind: NodeKind::Page,
            is_bundle: false,
            lang: lang.into(),
        };
        assert_eq!(name("guides/mirroring.md").unwrap(), page("guides/mirroring", "en"));
        assert_eq!(name("guides/mirroring.ca.md").unwrap(), page("guides/mirroring", "ca"));
        assert_eq!(name("release-1.2.md").unwrap(), page("release-1.2", "en"));
        assert_eq!(name("guides/x.pt-br.md").unwrap(), page("guides/x", "pt-br"));
        let section = name("guides/_index.ca.md").unwrap();
        assert_eq!((section.key.as_str(), section.kind), ("guides", NodeKind::Section));
        assert_eq!(name("_index.md").unwrap().key, "");
        let bundle = name("guides/backups/index.md").unwrap();
        assert!(bundle.is_bundle && bundle.key == "guides/backups");
    }

    #[test]
    fn unknown_language_suffix_is_an_error_naming_the_file() {
        let err = name("guides/mirroring.oc.md").unwrap_err().to_string();
        assert!(err.contains("guides/mirroring.oc.md") && err.contains("\"oc\""), "{err}");
    }
}
