//! Translation freshness: is each translation made from the current version
//! of its source, and if not, what changed since?
//!
//! A translation's `[translation] source_hash` names the version of the
//! source it was made from ([`source_hash`], stamped by `infrared translate`).
//! Without a stamp, the last commits that touched source and translation are
//! compared, when the content is in git. Old versions come from git too, to
//! say which headings were added, removed or edited since.
//!
//! Reads the [`Site`] (and git); knows nothing of templates or output.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;
use serde_json::Value;

use crate::content::{Node, Source};
use crate::digest::Sha256;
use crate::error::{Diagnostic, Severity};
use crate::front_matter;
use crate::git::{History, LastChange, Renames, Repo, Versions};
use crate::markdown::{options, slugify};
use crate::site::Site;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Made from the current version of its source.
    UpToDate,
    /// The source changed since the translation was made.
    Outdated,
    /// No translation (a draft one does not count: readers do not see it).
    Missing,
    /// A translation with no stamp, and no git history to compare.
    Unknown,
}

impl State {
    pub const ALL: [State; 4] = [State::UpToDate, State::Outdated, State::Missing, State::Unknown];

    pub fn as_str(self) -> &'static str {
        match self {
            State::UpToDate => "up-to-date",
            State::Outdated => "outdated",
            State::Missing => "missing",
            State::Unknown => "unknown",
        }
    }
}

/// How the state is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// The translation's `source_hash`.
    Stamp,
    /// The last commits that touched source and translation.
    Git,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Edited,
}

/// A part of the source that changed since the translated version: a
/// heading's section, or (level 0, no id) the start of the page — title,
/// description and the text before the first heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeadingChange {
    pub change: ChangeKind,
    pub level: u8,
    /// The heading's anchor in the source (as the page renders it).
    pub id: String,
    pub title: String,
}

/// The freshness of one language's version of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub state: State,
    pub basis: Option<Basis>,
    /// The translation's file, relative to `content/` (also for a draft).
    pub translation: Option<String>,
    pub draft: bool,
    /// For an outdated translation: what changed, when the translated
    /// version could be found (`None`: not known).
    pub changes: Option<Vec<HeadingChange>>,
}

impl Entry {
    fn new(state: State, basis: Option<Basis>, translation: &Source) -> Entry {
        Entry { state, basis, translation: Some(translation.rel_path.clone()), draft: false, changes: None }
    }
}

/// Language → freshness of that version of one page.
type Entries = BTreeMap<String, Entry>;

/// Freshness of every translation of the site.
#[derive(Debug, Default)]
pub struct Freshness {
    /// Parallel to `site.nodes`: language → entry, for every language but the
    /// page's own. Empty for folders without an `_index.md` (nothing to translate).
    entries: Vec<Arc<Entries>>,
    /// Parallel to `entries`: the wrong stamps found in each node.
    node_diagnostics: Vec<Vec<Diagnostic>>,
    /// Stamps that are wrong: on an original, or naming no known version.
    pub diagnostics: Vec<Diagnostic>,
    /// The repository of `content/`, once looked for (`Some(None)`: none),
    /// so that updates do not look again.
    repo: Option<Option<Repo>>,
}

impl Freshness {
    pub fn compute(site: &Site) -> Freshness {
        let content_dir = site.config.content_dir();
        let mut git = GitAccess::new(&content_dir);
        let originals = Originals::default();
        let nodes = (0..site.nodes.len()).map(|index| node_freshness(site, index, &mut git, &originals)).collect();
        Freshness::from_nodes(nodes, git.repo)
    }

    /// The freshness of `site`, a later snapshot of `previous_site`: nodes
    /// whose key is not in `changed` keep what `previous` found for them (a
    /// node's freshness depends on its own files only); the others are
    /// computed again. For `serve`, which knows what it re-read.
    pub fn update(
        previous: &Freshness,
        previous_site: &Site,
        site: &Site,
        changed: &std::collections::BTreeSet<String>,
    ) -> Freshness {
        let content_dir = site.config.content_dir();
        let mut git = GitAccess::new(&content_dir);
        git.repo = previous.repo.clone();
        let originals = Originals::default();
        let nodes = site
            .corpus
            .nodes
            .iter()
            .enumerate()
            .map(|(index, node)| {
                let earlier = (!changed.contains(&node.key)).then(|| previous_site.index_of(&node.key)).flatten();
                match earlier.filter(|&e| e < previous.entries.len()) {
                    Some(e) => (Arc::clone(&previous.entries[e]), previous.node_diagnostics[e].clone()),
                    None => node_freshness(site, index, &mut git, &originals),
                }
            })
            .collect();
        Freshness::from_nodes(nodes, git.repo)
    }

    fn from_nodes(nodes: Vec<(Arc<Entries>, Vec<Diagnostic>)>, repo: Option<Option<Repo>>) -> Freshness {
        let (entries, node_diagnostics): (Vec<_>, Vec<_>) = nodes.into_iter().unzip();
        let mut diagnostics: Vec<Diagnostic> = node_diagnostics.iter().flatten().cloned().collect();
        diagnostics.sort();
        Freshness { entries, node_diagnostics, diagnostics, repo }
    }

    /// The freshness of `lang`'s version of the page; `None` for the page's
    /// own language and for folders with nothing to translate.
    pub fn entry(&self, index: usize, lang: &str) -> Option<&Entry> {
        self.entries.get(index)?.get(lang)
    }

    pub fn is_outdated(&self, index: usize, lang: &str) -> bool {
        self.entry(index, lang).is_some_and(|e| e.state == State::Outdated)
    }

    /// Whether the page has anything to translate (it is a file, not a draft).
    pub fn is_tracked(&self, index: usize) -> bool {
        self.entries.get(index).is_some_and(|e| !e.is_empty())
    }

    /// Every version of a page whose original is gone (see
    /// [`is_orphaned`]): where the original went, and what to do.
    fn orphans(&mut self, site: &Site, index: usize, git: &mut GitAccess, originals: &Originals) {
        for version in site.node(index).versions.values() {
            let stamp = version.front.translation.as_ref();
            let Some(message) =
                original_gone(site, index, version, stamp.map(|s| s.source_hash.as_str()), git, originals)
            else {
                continue;
            };
            self.diagnostics.push(Diagnostic {
                path: version.path.clone(),
                line: stamp.map_or(1, |s| s.line),
                column: 1,
                severity: Severity::Error,
                message,
            });
        }
    }

    /// A stamp on the original itself is a mistake worth an error.
    fn check_original(&mut self, site: &Site, index: usize, git: &mut GitAccess, originals: &Originals) {
        let source = site.primary_source(index);
        let Some(stamp) = &source.front.translation else {
            return;
        };
        let message = match original_gone(site, index, source, Some(&stamp.source_hash), git, originals) {
            Some(message) => message,
            None if is_draft_original(site, index) => format!(
                "this translation's original, content/{}, is a draft: publish it (delete its `draft` line), or make \
                 this translation a draft too (draft = true) until it is",
                original_path(source)
            ),
            None => {
                let (what, todo) = stamp_on_original(&site.config.default_language, site.node(index), source);
                format!("{what}: {todo}")
            }
        };
        self.diagnostics.push(Diagnostic {
            path: source.path.clone(),
            line: stamp.line,
            column: 1,
            severity: Severity::Error,
            message,
        });
    }

    fn evaluate(
        &mut self,
        site: &Site,
        index: usize,
        source: &Source,
        hash: &str,
        translation: &Source,
        git: &mut GitAccess,
    ) -> Entry {
        match &translation.front.translation {
            Some(stamp) if stamp.source_hash == hash => Entry::new(State::UpToDate, Some(Basis::Stamp), translation),
            Some(stamp) => {
                let mut entry = Entry::new(State::Outdated, Some(Basis::Stamp), translation);
                let translated = git
                    .version_with_hash(&source.rel_path, &stamp.source_hash)
                    .or_else(|| git.version_of_former_original(translation, &stamp.source_hash));
                match translated {
                    Some(old) => entry.changes = changes_since(&old, source),
                    None if git.proves_absence(&source.rel_path) => {
                        self.unknown_stamp(site, index, source, translation, stamp.line)
                    }
                    None => {}
                }
                entry
            }
            None => by_history(source, translation, git),
        }
    }

    fn unknown_stamp(&mut self, site: &Site, index: usize, source: &Source, translation: &Source, line: usize) {
        let stamp = translation.front.translation.as_ref().map(|s| &s.source_hash);
        let other = site
            .node(index)
            .versions
            .values()
            .find(|v| v.lang != source.lang && Some(&source_hash_of(v)) == stamp && v.front.translation.is_none());
        let source_path = format!("content/{}", source.rel_path);
        let message = match other {
            Some(other) => format!(
                "source_hash is the hash of content/{}, but translations are checked against the original, {source_path}",
                other.rel_path
            ),
            None => format!(
                "source_hash names no version of {source_path} in its git history (edited by hand, or stamped from uncommitted text?)"
            ),
        };
        self.diagnostics.push(Diagnostic {
            path: translation.path.clone(),
            line,
            column: 1,
            severity: Severity::Error,
            message: format!(
                "{message}; once the translation matches the original, run `infrared translate {source_path} --to {} --mark-current`",
                translation.lang
            ),
        });
    }
}

/// A stamped translation left alone at an address (its original renamed,
/// moved or deleted, and no `original_language` anywhere): what happened,
/// naming the page whose text it was made from when one has it, else the
/// page git says the original was renamed to (edited since), and what to
/// do. `None` when the page has a version in the default language or
/// names its original's language (then [`stamp_on_original`] says why).
fn original_gone(
    site: &Site,
    index: usize,
    stamped: &Source,
    stamp: Option<&str>,
    git: &mut GitAccess,
    originals: &Originals,
) -> Option<String> {
    let lang = &stamped.lang;
    let original_path = former_original(site, index)?;
    let original = format!("content/{original_path}");
    let unstamped = || (0..site.nodes.len()).filter(|&i| site.primary_source(i).front.translation.is_none());
    // Without a stamp, no text to look for (and no page's hash worth computing).
    let same_text = stamp.and_then(|stamp| originals.with_hash(site, stamp, lang));
    // The page git has the original renamed to, and whether git knows of
    // it only by similarity to a new file not staged yet.
    let renamed_to = || {
        let renames = git.renames()?;
        let new_name = renames.new_name(&original_path)?;
        let unstaged = renames.is_unstaged(&new_name);
        unstamped().find(|&i| site.primary_source(i).rel_path == new_name).map(|i| (i, unstaged))
    };
    // Rename this file beside the page (and `then`), unless the page has a
    // translation there already (a draft one, left out, included).
    let rename = |to: usize, then: &str| {
        let path = &site.primary_source(to).rel_path;
        let beside = format!("{}.{lang}.md", path.strip_suffix(".md").unwrap_or(path));
        let existing = match site.node(to).versions.get(lang) {
            Some(other) => Some(other.rel_path.clone()),
            None => site.corpus.unpublished.contains_key(&beside).then(|| beside.clone()),
        };
        match existing {
            Some(other) => {
                format!("content/{other} is its translation already: keep whichever is up to date, delete the other")
            }
            None => format!("rename this file to content/{beside}{then}"),
        }
    };
    Some(match (same_text, same_text.is_none().then(renamed_to).flatten()) {
        (Some(to), _) => format!(
            "this translation's original, {original}, is gone, and content/{} has the text it was translated \
             from: if the original was renamed or moved there, {}",
            site.primary_source(to).rel_path,
            rename(to, "")
        ),
        // Unstamped, whether the original was edited since is for git history to tell, once renamed.
        (None, Some((to, false))) if stamp.is_none() => format!(
            "this translation's original, {original}, is gone: git has it renamed to content/{}: {}",
            site.primary_source(to).rel_path,
            rename(to, "")
        ),
        (None, Some((to, true))) if stamp.is_none() => format!(
            "this translation's original, {original}, is gone, and content/{}, a file new to git, has \
             most of its text: if the original was moved there, {}",
            site.primary_source(to).rel_path,
            rename(to, "")
        ),
        (None, Some((to, false))) => format!(
            "this translation's original, {original}, is gone: git has it renamed to content/{}, and edited since \
             this translation was made: {}",
            site.primary_source(to).rel_path,
            rename(to, &bring_up_to_date(lang))
        ),
        (None, Some((to, true))) => format!(
            "this translation's original, {original}, is gone, and content/{}, a file new to git, has \
             most of its text: if the original was moved there (and edited since this translation was made), {}",
            site.primary_source(to).rel_path,
            rename(to, &bring_up_to_date(lang))
        ),
        (None, None) => format!(
            "this translation's original, {original}, is gone: if it was renamed or moved, move this file beside \
             it under its new name (with .{lang}.md); if it was deleted, delete this file too (or, to keep the \
             page without it, name the language of the version that is its original now with \
             original_language = \"…\" in each of its files)"
        ),
    })
}

/// The pages that are originals (their own version carries no stamp) by
/// [`source_hash`], made on first need and kept for the run: each
/// translation whose original is gone looks up the page with the text it
/// was made from, and hashing every page for each of them made `status`
/// and `check` grow with their product (15 s of CPU for 2,350 of them on
/// a 1,000-page site, 1 s with the index).
#[derive(Default)]
struct Originals {
    /// Hash → node indices, in the site's order.
    by_hash: std::cell::OnceCell<BTreeMap<String, Vec<usize>>>,
}

impl Originals {
    /// The first original whose text has `hash`, in a language other than `lang`.
    fn with_hash(&self, site: &Site, hash: &str, lang: &str) -> Option<usize> {
        let by_hash = self.by_hash.get_or_init(|| {
            let mut by_hash: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for index in 0..site.nodes.len() {
                let source = site.primary_source(index);
                if source.front.translation.is_none() {
                    by_hash.entry(source_hash_of(source)).or_default().push(index);
                }
            }
            by_hash
        });
        by_hash.get(hash)?.iter().copied().find(|&i| site.primary_source(i).lang != lang)
    }
}

/// Where the page's original was, relative to `content/`, when the page
/// has no version in the default language, none names its original's
/// language, and no file is there (a draft original is not gone): `guide.md`
/// for `guide.ca.md`.
fn former_original(site: &Site, index: usize) -> Option<String> {
    let node = site.node(index);
    let default = &site.config.default_language;
    if node.versions.contains_key(default) || node.versions.values().any(|v| v.front.original_language.is_some()) {
        return None;
    }
    let original = original_path(site.primary_source(index));
    let there = site.corpus.unpublished.contains_key(&original) || site.config.content_dir().join(&original).exists();
    (!there).then_some(original)
}

/// Where the original of the translation `version` is, by name: `guide.md`
/// for `guide.ca.md` (relative to `content/`).
fn original_path(version: &Source) -> String {
    let rel = &version.rel_path;
    rel.strip_suffix(&format!(".{}.md", version.lang)).map_or_else(|| rel.clone(), |stem| format!("{stem}.md"))
}

/// Whether the page's only version in the default language is a draft,
/// left out, and no version names another original.
fn is_draft_original(site: &Site, index: usize) -> bool {
    let node = site.node(index);
    let names_one = node.versions.values().any(|v| v.front.original_language.is_some());
    !names_one
        && !node.versions.contains_key(&site.config.default_language)
        && matches!(
            site.corpus.unpublished.get(&original_path(site.primary_source(index))),
            Some(crate::content::Unpublished::Draft)
        )
}

/// Whether the page's original is gone and its other versions are left
/// alone: it has no version in the default language, none names another
/// as the original, and one of them is stamped (made from an original) or
/// git has a file where the original would be (it was committed once).
fn is_orphaned(site: &Site, index: usize, git: &mut GitAccess) -> bool {
    let Some(original) = former_original(site, index) else {
        return false;
    };
    site.node(index).versions.values().any(|v| v.front.translation.is_some())
        || git.history().is_some_and(|h| h.is_tracked(&original))
}

/// What to do once an outdated translation has its original's new name.
fn bring_up_to_date(lang: &str) -> String {
    format!(", then bring it up to date (`infrared status --lang {lang}` lists what changed)")
}

/// What is wrong with a stamp on `original`, the version of `node` taken as
/// its original, and what to do: (what, todo). A stamp made from another
/// version says that one is the original, which only `original_language`
/// can tell (without it, the default language's version is the original).
pub fn stamp_on_original(default_language: &str, node: &Node, original: &Source) -> (String, String) {
    let why = match node.versions.values().any(|v| v.front.original_language.is_some()) {
        true => "its original_language",
        false if original.lang == default_language => "the default language",
        false => "the first of the site's languages it is written in",
    };
    let what = format!("[translation] on the original of the page ({}, {why})", original.lang);
    let stamp = original.front.translation.as_ref().map(|s| &s.source_hash);
    let made_from = node
        .versions
        .values()
        .find(|v| v.lang != original.lang && v.front.translation.is_none() && Some(&source_hash_of(v)) == stamp);
    let todo = match made_from {
        Some(from) if why == "its original_language" => format!(
            "it was made from content/{}: if that is the original, set original_language = \"{}\" in every version that names one",
            from.rel_path, from.lang
        ),
        Some(from) => format!(
            "it was made from content/{}: if that is the original, say so with original_language = \"{}\" in this file's front matter",
            from.rel_path, from.lang
        ),
        None => "only translations carry a stamp: remove it, or, if this file is a translation, name its original's language with original_language = \"…\" in its front matter".to_string(),
    };
    (what, todo)
}

/// The freshness of every translation of one node, and its wrong stamps.
fn node_freshness(
    site: &Site,
    index: usize,
    git: &mut GitAccess,
    originals: &Originals,
) -> (Arc<Entries>, Vec<Diagnostic>) {
    let mut found = Freshness::default();
    let mut entries = BTreeMap::new();
    let source = site.primary_source(index);
    if is_translatable(source) {
        // Versions whose original is gone are each told so; measured against
        // the one standing in for it, their stamps would be wrong too.
        let mut left_alone = Freshness::default();
        let orphaned = is_orphaned(site, index, git);
        match orphaned {
            true => found.orphans(site, index, git, originals),
            false => found.check_original(site, index, git, originals),
        }
        let judge = if orphaned { &mut left_alone } else { &mut found };
        let hash = source_hash_of(source);
        for lang in &site.config.languages {
            if lang.code == source.lang {
                continue;
            }
            let entry = match site.node(index).versions.get(&lang.code) {
                None => missing(None),
                Some(t) if t.front.draft => missing(Some(t)),
                Some(t) => judge.evaluate(site, index, source, &hash, t, git),
            };
            entries.insert(lang.code.clone(), entry);
        }
    }
    (Arc::new(entries), found.diagnostics)
}

fn missing(draft: Option<&Source>) -> Entry {
    Entry {
        state: State::Missing,
        basis: None,
        translation: draft.map(|d| d.rel_path.clone()),
        draft: draft.is_some(),
        changes: None,
    }
}

/// No stamp: a translation last changed no earlier than its source is up to date.
fn by_history(source: &Source, translation: &Source, git: &mut GitAccess) -> Entry {
    let Some(history) = git.history() else {
        return Entry::new(State::Unknown, None, translation);
    };
    let changes = (history.last_change(&source.rel_path), history.last_change(&translation.rel_path));
    match changes {
        (Some(s), Some(t)) if t <= s => Entry::new(State::UpToDate, Some(Basis::Git), translation),
        (Some(_), Some(LastChange::Commit(t))) => {
            let mut entry = Entry::new(State::Outdated, Some(Basis::Git), translation);
            entry.changes = git.read(t, &source.rel_path).and_then(|old| changes_since(&old, source));
            entry
        }
        _ => Entry::new(State::Unknown, None, translation),
    }
}

/// Real pages and sections, not folders standing in for a missing `_index.md`.
fn is_translatable(source: &Source) -> bool {
    source.path.extension().is_some_and(|e| e == "md") && !source.front.draft
}

/// The version stamp of a source: SHA-256 of what a translator translates —
/// title, description and Markdown body — with line endings, trailing space
/// and blank lines at either end normalised away, so an editor's whims do
/// not make translations outdated. Dates, weight or tags are not part of it.
pub fn source_hash(title: Option<&str>, description: Option<&str>, body: &str) -> String {
    let text = format!(
        "title: {}\ndescription: {}\n\n{}",
        normalize(title.unwrap_or_default()),
        normalize(description.unwrap_or_default()),
        normalize(body)
    );
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn source_hash_of(source: &Source) -> String {
    source_hash(source.front.title.as_deref(), source.front.description.as_deref(), &source.body)
}

/// [`source_hash`] of a whole file's text (an old version), if its front
/// matter parses at all.
pub fn source_hash_of_text(text: &str) -> Option<String> {
    let (title, description, body) = translatable_parts(text)?;
    Some(source_hash(title.as_deref(), description.as_deref(), body))
}

/// Title, description and body of a file, without checking other fields.
fn translatable_parts(text: &str) -> Option<(Option<String>, Option<String>, &str)> {
    let raw = front_matter::split_raw(text).ok()?;
    let field = |key: &str| match raw.fields.get(key) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    Some((field("title"), field("description"), raw.body))
}

/// Unix line endings, no trailing space, one blank line where there were
/// several (Markdown makes nothing of the others), none at either end.
fn normalize(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    lines.dedup_by(|line, previous| line.is_empty() && previous.is_empty());
    let start = lines.iter().position(|l| !l.is_empty()).unwrap_or(0);
    let end = lines.iter().rposition(|l| !l.is_empty()).map_or(0, |e| e + 1);
    lines[start..end.max(start)].join("\n")
}

/// A heading's section of a page: the heading and the text up to the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Section {
    level: u8,
    id: String,
    title: String,
    text: String,
}

/// Sections of a page, the first (level 0) being its start: title,
/// description and what comes before the first heading.
fn sections(title: Option<&str>, description: Option<&str>, body: &str) -> Vec<Section> {
    let mut sections = vec![Section {
        level: 0,
        id: String::new(),
        title: title.unwrap_or_default().to_string(),
        text: format!("{}\n{}\n", title.unwrap_or_default(), description.unwrap_or_default()),
    }];
    let mut ids = std::collections::BTreeSet::new();
    let mut text_start = 0;
    let mut parser = Parser::new_ext(body, options()).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        let Event::Start(Tag::Heading { level, id, .. }) = event else {
            continue;
        };
        let last = sections.last_mut().expect("the start section");
        last.text.push_str(&normalize(&body[text_start..range.start]));
        let mut heading = String::new();
        for (event, _) in parser.by_ref() {
            match event {
                Event::Text(t) | Event::Code(t) => heading.push_str(&t),
                Event::End(TagEnd::Heading(_)) => break,
                _ => {}
            }
        }
        let heading = heading.trim().to_string();
        let base = id.map_or_else(|| slugify(&heading), |i| i.to_string());
        sections.push(Section {
            level: level as u8,
            id: unique_id(&mut ids, base),
            title: heading,
            text: String::new(),
        });
        text_start = range.end;
    }
    let last = sections.last_mut().expect("the start section");
    last.text.push_str(&normalize(&body[text_start..]));
    sections
}

/// The ids the page's headings get when rendered (see `markdown`), so a
/// change can link to its heading in the original.
fn unique_id(taken: &mut std::collections::BTreeSet<String>, base: String) -> String {
    let base = if base.is_empty() { "section".to_string() } else { base };
    let mut id = base.clone();
    let mut n = 1;
    while !taken.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// What changed in `source` since the version `old` (a whole file's text);
/// `None` when that version's front matter does not parse.
fn changes_since(old: &str, source: &Source) -> Option<Vec<HeadingChange>> {
    let (title, description, body) = translatable_parts(old)?;
    let before = sections(title.as_deref(), description.as_deref(), body);
    let after = sections(source.front.title.as_deref(), source.front.description.as_deref(), &source.body);
    Some(heading_changes(&before, &after))
}

/// Sections are matched by id (explicit ids keep them stable), then an
/// unmatched pair with the same text counts as one heading renamed. Changes
/// are listed in the order of the new version, removed ones where they were.
fn heading_changes(before: &[Section], after: &[Section]) -> Vec<HeadingChange> {
    let mut match_of_old: Vec<Option<usize>> = vec![None; before.len()];
    let mut match_of_new: Vec<Option<usize>> = vec![None; after.len()];
    let mut pair = |same: &dyn Fn(&Section, &Section) -> bool| {
        for (n, new) in after.iter().enumerate() {
            if match_of_new[n].is_some() {
                continue;
            }
            let found = before.iter().enumerate().find(|(o, old)| match_of_old[*o].is_none() && same(old, new));
            if let Some((o, _)) = found {
                match_of_old[o] = Some(n);
                match_of_new[n] = Some(o);
            }
        }
    };
    pair(&|old, new| old.id == new.id && (old.level == 0) == (new.level == 0));
    pair(&|old, new| old.level > 0 && new.level > 0 && old.text == new.text);
    let change =
        |kind, s: &Section| HeadingChange { change: kind, level: s.level, id: s.id.clone(), title: s.title.clone() };
    // Sort key: position in the new version; removed ones after the new
    // position of the last section before them that survived.
    let mut found: Vec<((usize, usize, usize), HeadingChange)> = Vec::new();
    for (n, new) in after.iter().enumerate() {
        match match_of_new[n] {
            None => found.push(((n + 1, 0, 0), change(ChangeKind::Added, new))),
            Some(o) if before[o] != *new && !same_but_id(&before[o], new) => {
                found.push(((n + 1, 0, 0), change(ChangeKind::Edited, new)))
            }
            Some(_) => {}
        }
    }
    for (o, old) in before.iter().enumerate() {
        if match_of_old[o].is_some() {
            continue;
        }
        let anchor = before[..o].iter().enumerate().rev().find_map(|(p, _)| match_of_old[p]).map_or(0, |n| n + 1);
        found.push(((anchor, 1, o), change(ChangeKind::Removed, old)));
    }
    found.sort_by_key(|(key, _)| *key);
    found.into_iter().map(|(_, change)| change).collect()
}

/// Only the id changed (a duplicate heading elsewhere renumbered it): nothing to translate.
fn same_but_id(old: &Section, new: &Section) -> bool {
    old.level == new.level && old.title == new.title && old.text == new.text
}

/// Git, opened on first need: a site whose translations are all stamped and
/// current never runs it.
struct GitAccess<'a> {
    dir: &'a Path,
    repo: Option<Option<Repo>>,
    history: Option<Option<History>>,
    versions: Option<Option<Versions>>,
    renames: Option<Option<Renames>>,
    /// (commit index, path) → that version's text.
    read: BTreeMap<(usize, String), Option<String>>,
}

impl<'a> GitAccess<'a> {
    fn new(dir: &'a Path) -> Self {
        GitAccess { dir, repo: None, history: None, versions: None, renames: None, read: BTreeMap::new() }
    }

    fn repo(&mut self) -> Option<&Repo> {
        let dir = self.dir;
        self.repo.get_or_insert_with(|| Repo::open(dir)).as_ref()
    }

    fn history(&mut self) -> Option<&History> {
        if self.history.is_none() {
            let history = self.repo().and_then(Repo::history);
            self.history = Some(history);
        }
        self.history.as_ref().and_then(Option::as_ref)
    }

    /// `rel_path` as of the commit at `index` of the history.
    fn read(&mut self, index: usize, rel_path: &str) -> Option<String> {
        let key = (index, rel_path.to_string());
        if let Some(text) = self.read.get(&key) {
            return text.clone();
        }
        let commit = self.history()?.commits.get(index)?.clone();
        let text = self.versions()?.read(&commit, rel_path);
        self.read.insert(key, text.clone());
        text
    }

    /// The committed version of `rel_path` whose hash is `hash`, newest
    /// first, under its name or, renamed since, under a former one.
    fn version_with_hash(&mut self, rel_path: &str, hash: &str) -> Option<String> {
        if let Some(text) = self.version_named(rel_path, hash) {
            return Some(text);
        }
        let former = self.renames()?.former_names(rel_path);
        former.iter().find_map(|name| self.version_named(name, hash))
    }

    /// The committed version whose hash is `hash` of the original that
    /// `translation` had under a former name of its own: `guide.md` for a
    /// translation moved from `guide.es.md`. An original moved and rewritten
    /// so that git no longer pairs its two names is found this way once its
    /// translation has followed it (git pairs that move: the translation's
    /// text is the same).
    fn version_of_former_original(&mut self, translation: &Source, hash: &str) -> Option<String> {
        let suffix = format!(".{}.md", translation.lang);
        let former = self.renames()?.former_names(&translation.rel_path);
        let originals = former.iter().filter_map(|name| Some(format!("{}.md", name.strip_suffix(&suffix)?)));
        originals.collect::<Vec<_>>().iter().find_map(|original| self.version_named(original, hash))
    }

    /// The committed version of the file at `rel_path` whose hash is `hash`.
    fn version_named(&mut self, rel_path: &str, hash: &str) -> Option<String> {
        let commits = self.history()?.commits_touching(rel_path).to_vec();
        commits
            .into_iter()
            .filter_map(|c| self.read(c, rel_path))
            .find(|text| source_hash_of_text(text).as_deref() == Some(hash))
    }

    fn versions(&mut self) -> Option<&mut Versions> {
        if self.versions.is_none() {
            let versions = self.repo().and_then(Repo::versions);
            self.versions = Some(versions);
        }
        self.versions.as_mut().and_then(Option::as_mut)
    }

    /// Renames in the history, staged, and made with a plain `mv` not
    /// staged yet (asked of git once, when needed).
    fn renames(&mut self) -> Option<&Renames> {
        if self.renames.is_none() {
            let mut renames = self.repo().map(Repo::renames);
            if let Some(found) = renames.as_mut() {
                self.history();
                self.versions();
                if let (Some(Some(repo)), Some(Some(history)), Some(Some(versions))) =
                    (&self.repo, &self.history, &mut self.versions)
                {
                    repo.uncommitted_renames(history, versions, found);
                }
            }
            self.renames = Some(renames);
        }
        self.renames.as_ref().and_then(Option::as_ref)
    }

    /// Whether a version missing from history really never existed: the
    /// file is tracked and the clone is not shallow.
    fn proves_absence(&mut self, rel_path: &str) -> bool {
        let tracked = self.history().is_some_and(|h| h.is_tracked(rel_path));
        tracked && self.repo().is_some_and(|r| !r.shallow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Vec<Section> {
        let (t, d, b) = translatable_parts(text).unwrap();
        sections(t.as_deref(), d.as_deref(), b)
    }

    fn summary(old: &str, new: &str) -> Vec<String> {
        heading_changes(&parts(old), &parts(new))
            .iter()
            .map(|c| format!("{:?} {} #{}", c.change, c.level, c.id))
            .collect()
    }

    #[test]
    fn hash_ignores_line_endings_trailing_space_and_extra_blank_lines() {
        let a = source_hash(Some("T"), None, "# Hi\n\nText.\n");
        assert_eq!(a, source_hash(Some("T"), None, "\r\n# Hi  \r\n\r\nText.\t\r\n\r\n"));
        assert_eq!(a, source_hash(Some("T"), None, "# Hi\n\n\n\nText.\n"));
        assert_ne!(a, source_hash(Some("T"), None, "# Hi\nText.\n"));
        assert_ne!(a, source_hash(Some("T"), None, "# Hi\n\nText!\n"));
        assert_ne!(a, source_hash(Some("Title"), None, "# Hi\n\nText.\n"));
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn hash_of_a_file_covers_title_description_and_body_only() {
        let a = "+++\ntitle = \"T\"\nweight = 1\n+++\nBody\n";
        let b = "---\ntitle: T\nweight: 9\ntags: [x]\n---\n\nBody\n";
        assert_eq!(source_hash_of_text(a), source_hash_of_text(b));
        assert_eq!(source_hash_of_text(a).unwrap(), source_hash(Some("T"), None, "Body"));
    }

    #[test]
    fn headings_added_removed_and_edited_are_found_in_order() {
        let old = "+++\ntitle = \"G\"\n+++\nIntro.\n\n## Install\n\nStep.\n\n## Old way\n\nGone.\n\n## Use {#use}\n\nRun it.\n";
        let new = "+++\ntitle = \"G\"\n+++\nIntro.\n\n## Install\n\nStep, then check.\n\n## Using it {#use}\n\nRun it.\n\n## Signatures\n\nNew.\n";
        assert_eq!(
            summary(old, new),
            ["Edited 2 #install", "Removed 2 #old-way", "Edited 2 #use", "Added 2 #signatures"]
        );
    }

    #[test]
    fn a_renamed_heading_with_the_same_text_is_one_edit() {
        let old = "## Backups\n\nKeep three copies.\n";
        let new = "## Backing up\n\nKeep three copies.\n";
        assert_eq!(summary(old, new), ["Edited 2 #backing-up"]);
    }

    #[test]
    fn title_and_intro_changes_are_the_start_of_the_page() {
        let old = "+++\ntitle = \"Old\"\n+++\nIntro.\n\n## A\n\nx\n";
        let new = "+++\ntitle = \"New\"\n+++\nIntro.\n\n## A\n\nx\n";
        assert_eq!(summary(old, new), ["Edited 0 #"]);
        assert!(summary(new, new).is_empty());
        assert!(summary(old, "+++\ntitle = \"Old\"\n+++\n\nIntro.  \r\n\r\n## A\r\n\r\nx\r\n").is_empty());
    }

    #[test]
    fn heading_ids_match_the_rendered_page() {
        let s = parts("## Mirall\n\n## Mirall\n\n## نسخ المرايا\n\n##\n");
        let ids: Vec<_> = s.iter().skip(1).map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["mirall", "mirall-1", "نسخ-المرايا", "section"]);
    }
}
