//! What a change touches. Two snapshots are compared node by node (shared
//! sources and renderings compare by pointer), and the difference decides
//! which jobs render again: the pages whose own content changed, in the
//! languages where what readers see changed; for a change in how a page is
//! listed, its section, the siblings whose navigation window shows it
//! (all of them when its place changed) and, for a section, everything
//! below it — everything if it is in the menu; for templates, what renders
//! with them; for assets, every page.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::snapshot::Generation;
use super::store::Owner;
use crate::build::Part;
use crate::content::NodeKind;
use crate::markdown::Rendered;
use crate::site::Site;
use crate::templates::Theme;

/// What changed between two snapshots of the site, by node key.
#[derive(Debug, Default)]
pub struct SiteDiff {
    /// Nodes whose own pages change (new ones included): a version's text,
    /// front matter or rendering differs, or a language was added or removed.
    pub changed: BTreeSet<String>,
    pub removed: BTreeSet<String>,
    /// Changed nodes whose entry in lists, menus and breadcrumbs changes
    /// (title, description, date, order, path, languages…), removed ones too.
    pub listed: BTreeSet<String>,
    /// Some node's output path changed, or nodes came or went: links
    /// between pages may all change.
    pub paths: bool,
    /// Nodes listed whose taxonomy terms or aliases (before or after) matter.
    pub taxonomies: bool,
    pub aliases: bool,
    /// Languages whose versions changed (for search).
    pub languages: BTreeSet<String>,
    /// Files of the versions that changed.
    pub sources: BTreeSet<std::path::PathBuf>,
    /// Changed nodes whose headings' anchors differ in some version, or
    /// whose versions came or went (which decides where readers land):
    /// links to their headings from other pages may break or mend.
    pub headings: BTreeSet<String>,
    pub copied_files: bool,
}

impl SiteDiff {
    /// Every node compared.
    pub fn between(before: &Site, after: &Site) -> SiteDiff {
        let mut diff = SiteDiff {
            copied_files: before.corpus.files.len() != after.corpus.files.len()
                || before.corpus.files.iter().zip(&after.corpus.files).any(|(a, b)| a.rel_path != b.rel_path)
                || before.static_files != after.static_files,
            ..SiteDiff::default()
        };
        for i in 0..after.corpus.nodes.len() {
            diff.compare(before, after, i);
        }
        for (j, node) in before.corpus.nodes.iter().enumerate() {
            if after.index_of(&node.key).is_none() {
                diff.removed.insert(node.key.clone());
                diff.listed.insert(node.key.clone());
                diff.paths = true;
                diff.languages.extend(node.versions.keys().cloned());
                diff.note_listing(&Listing::of(before, j));
            }
        }
        diff
    }

    /// Only the nodes `keys` compared: for a snapshot that, by
    /// construction, differs in nothing else.
    pub fn of_nodes(before: &Site, after: &Site, keys: &BTreeSet<String>) -> SiteDiff {
        let mut diff = SiteDiff::default();
        for key in keys {
            if let Some(i) = after.index_of(key) {
                diff.compare(before, after, i);
            }
        }
        diff
    }

    fn compare(&mut self, before: &Site, after: &Site, i: usize) {
        let node = after.node(i);
        let Some(j) = before.index_of(&node.key) else {
            self.changed.insert(node.key.clone());
            self.listed.insert(node.key.clone());
            self.paths = true;
            self.languages.extend(node.versions.keys().cloned());
            self.sources.extend(node.versions.values().map(|s| s.path.clone()));
            self.note_listing(&Listing::of(after, i));
            return;
        };
        let old = before.node(j);
        let mut changed = !old.versions.keys().eq(node.versions.keys());
        for (lang, source) in &node.versions {
            let same = old.versions.get(lang).is_some_and(|s| Arc::ptr_eq(s, source))
                && before.rendered[j].get(lang).is_some_and(|r| Arc::ptr_eq(r, &after.rendered[i][lang]));
            if !same {
                changed = true;
                self.languages.insert(lang.clone());
                self.sources.insert(source.path.clone());
            }
        }
        for lang in old.versions.keys().filter(|l| !node.versions.contains_key(*l)) {
            self.languages.insert(lang.clone());
        }
        let moved = before.nodes[j].path != after.nodes[i].path;
        self.paths |= moved;
        if !changed && !moved {
            return;
        }
        self.changed.insert(node.key.clone());
        if !same_anchors(&before.rendered[j], &after.rendered[i]) {
            self.headings.insert(node.key.clone());
        }
        let (old_listing, new_listing) = (Listing::of(before, j), Listing::of(after, i));
        if old_listing != new_listing {
            self.listed.insert(node.key.clone());
            self.note_listing(&old_listing);
            self.note_listing(&new_listing);
            // Every page has a redirect at the root then, showing its title.
            self.aliases |= after.config.root_redirects;
        }
    }

    fn note_listing(&mut self, listing: &Listing) {
        self.taxonomies |= listing.has_terms();
        self.aliases |= !listing.aliases.is_empty();
    }

    /// Keys whose own pages (and freshness) may differ.
    pub fn touched(&self) -> BTreeSet<String> {
        self.changed.union(&self.removed).cloned().collect()
    }

    fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty() && !self.paths && !self.copied_files
    }
}

/// Whether two renderings of a node's versions have the same versions,
/// with the same anchors.
fn same_anchors(before: &BTreeMap<String, Arc<Rendered>>, after: &BTreeMap<String, Arc<Rendered>>) -> bool {
    before.len() == after.len()
        && before
            .iter()
            .zip(after)
            .all(|((lang_a, a), (lang_b, b))| lang_a == lang_b && (Arc::ptr_eq(a, b) || a.anchors == b.anchors))
}

/// How a node appears in other pages (section lists, navigation, menus,
/// breadcrumbs, taxonomy pages, alias redirects), in every language.
#[derive(Debug, PartialEq)]
struct Listing {
    path: String,
    /// Per reader's language: (title, shown language, description, date).
    entries: Vec<(String, String, Option<String>, Option<String>)>,
    /// What orders it among its siblings and its own children.
    order: (Option<i64>, Option<String>, Option<String>, String),
    drafts: Vec<bool>,
    terms: Vec<BTreeMap<String, Vec<String>>>,
    aliases: Vec<String>,
}

impl Listing {
    fn of(site: &Site, i: usize) -> Listing {
        let primary = &site.primary_source(i).front;
        let versions = &site.node(i).versions;
        let entries = site
            .config
            .languages
            .iter()
            .map(|l| {
                let (source, _) = site.version(i, &l.code);
                (
                    site.title(i, &l.code),
                    site.shown_lang(i, &l.code).to_string(),
                    source.front.description.clone(),
                    source.front.date.as_ref().map(|d| d.rfc3339()),
                )
            })
            .collect();
        Listing {
            path: site.nodes[i].path.clone(),
            entries,
            order: (
                primary.weight,
                primary.title.clone(),
                primary.date.as_ref().map(|d| d.rfc3339()),
                format!("{:?}", primary.sort_by),
            ),
            drafts: versions.values().map(|s| s.front.draft).collect(),
            terms: versions.values().map(|s| s.front.taxonomies.clone()).collect(),
            aliases: primary.aliases.clone(),
        }
    }

    fn has_terms(&self) -> bool {
        self.terms.iter().any(|t| t.values().any(|v| !v.is_empty()))
    }
}

/// What to render again after a change, and what of it first.
pub struct Plan {
    pub jobs: BTreeSet<Owner>,
    /// The pages of the nodes edited, in the languages where they changed,
    /// that show a version that changed in its own language
    /// (not another language's fallback): what the writer looks at, served
    /// before anything else.
    pub own_versions: BTreeSet<Owner>,
    /// Languages whose search index is out of date.
    pub languages: BTreeSet<String>,
}

pub fn site_wide(part: Part) -> Owner {
    Owner::SiteWide(Part::SITE_WIDE.iter().position(|p| *p == part).expect("a site-wide part"))
}

pub fn plan(previous: &Generation, next: &Generation, diff: &SiteDiff, theme_changed: bool) -> Plan {
    let site = &next.site;
    let edited = edited_pages(previous, next, diff);
    let own_versions = own_versions(previous, next, &edited);
    let mut jobs: BTreeSet<Owner> = edited.iter().cloned().collect();
    let languages = if diff.paths { next.languages() } else { diff.languages.clone() };
    if theme_changed {
        if next.assets != previous.assets {
            jobs.extend(next.all_jobs());
            return Plan { jobs, own_versions, languages };
        }
        if next.asset_artifacts.len() != previous.asset_artifacts.len() {
            jobs.insert(Owner::Assets);
        }
        jobs.extend(template_jobs(next, &changed_templates(&previous.theme, &next.theme)));
    }
    let in_menu = |s: &Site, key: &str| {
        key.is_empty() || s.index_of(key).and_then(|i| s.nodes[i].parent).is_some_and(|p| s.node(p).key.is_empty())
    };
    let menu_changed = diff.listed.iter().any(|key| in_menu(&previous.site, key) || in_menu(site, key));
    if diff.paths || menu_changed {
        // The menu is on every page, the site-wide ones too.
        jobs.extend(site.corpus.nodes.iter().flat_map(|n| next.pages_of(&n.key)));
        jobs.extend((0..Part::SITE_WIDE.len()).map(Owner::SiteWide));
    } else {
        for key in &diff.listed {
            let moved = sibling_place(&previous.site, key) != sibling_place(site, key);
            for s in [&*previous.site, &**site] {
                for i in listing_neighbours(s, key, moved) {
                    jobs.extend(next.pages_of(&s.node(i).key));
                }
            }
        }
    }
    if !diff.is_empty() {
        jobs.insert(site_wide(Part::TranslationStatus));
        jobs.insert(site_wide(Part::Feeds));
    }
    if diff.paths || !diff.listed.is_empty() {
        jobs.insert(site_wide(Part::Sitemap));
    }
    if diff.taxonomies || diff.paths {
        jobs.insert(site_wide(Part::Taxonomies));
    }
    if diff.aliases || diff.paths {
        // Netlify's `_redirects` lists the aliases too.
        jobs.insert(site_wide(Part::Aliases));
        jobs.insert(site_wide(Part::Hosting));
    }
    if diff.copied_files {
        jobs.insert(site_wide(Part::CopiedFiles));
    }
    Plan { jobs, own_versions, languages }
}

/// The pages of `edited` in the language of a version that changed.
fn own_versions(previous: &Generation, next: &Generation, edited: &BTreeSet<Owner>) -> BTreeSet<Owner> {
    let changed_version = |key: &str, lang: &str| {
        let Some(source) = next.site.index_of(key).and_then(|i| next.site.node(i).versions.get(lang)) else {
            return false;
        };
        let before = previous.site.index_of(key).and_then(|j| previous.site.node(j).versions.get(lang));
        before.is_none_or(|old| !Arc::ptr_eq(old, source))
    };
    edited.iter().filter(|job| matches!(job, Owner::Page(key, lang) if changed_version(key, lang))).cloned().collect()
}

/// The pages of the nodes touched that change. A node whose listing and
/// languages stayed the same changes only where readers see another
/// version, another rendering of it, or another freshness of it: an edit of
/// an original leaves its (unchanged, equally fresh) translations' pages be.
fn edited_pages(previous: &Generation, next: &Generation, diff: &SiteDiff) -> BTreeSet<Owner> {
    let (before, after) = (&previous.site, &next.site);
    let mut pages = BTreeSet::new();
    for key in diff.touched() {
        let (Some(i), Some(j)) = (after.index_of(&key), before.index_of(&key)) else {
            pages.extend(next.pages_of(&key));
            continue;
        };
        if diff.listed.contains(&key) || !after.node(i).versions.keys().eq(before.node(j).versions.keys()) {
            pages.extend(next.pages_of(&key));
            continue;
        }
        for lang in &after.config.languages {
            let (now, then) = (after.shown_lang(i, &lang.code), before.shown_lang(j, &lang.code));
            let same = now == then
                && Arc::ptr_eq(&after.node(i).versions[now], &before.node(j).versions[then])
                && Arc::ptr_eq(&after.rendered[i][now], &before.rendered[j][then])
                && next.freshness.entry(i, now) == previous.freshness.entry(j, then);
            if !same {
                pages.insert(Owner::Page(key.clone(), lang.code.clone()));
            }
        }
    }
    pages
}

/// A node's position among its section's children, and how many they are.
fn sibling_place(site: &Site, key: &str) -> Option<(usize, usize)> {
    let i = site.index_of(key)?;
    let section = &site.nodes[site.nodes[i].parent?];
    Some((site.nodes[i].position, section.sections.len() + section.pages.len()))
}

/// Nodes that show `key` in a list: its section, the section's children
/// whose navigation window can show it (all of them when it `moved`: every
/// window between its old and new place shifts), and for a section
/// everything below it.
fn listing_neighbours(site: &Site, key: &str, moved: bool) -> Vec<usize> {
    let Some(i) = site.index_of(key) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if let Some(parent) = site.nodes[i].parent {
        let section = &site.nodes[parent];
        let children: Vec<usize> = section.sections.iter().chain(&section.pages).copied().collect();
        // A window of `nav_window` holding both a page and this node holds
        // no page farther from it than `nav_window - 1`.
        let (at, reach) = (site.nodes[i].position, site.config.nav_window - 1);
        let near = at.saturating_sub(reach)..(at + reach + 1).min(children.len());
        found.push(parent);
        found.extend(if moved { &children[..] } else { &children[near] });
    }
    if site.node(i).kind == NodeKind::Section {
        let mut stack = vec![i];
        while let Some(at) = stack.pop() {
            found.extend(&site.nodes[at].pages);
            found.extend(&site.nodes[at].sections);
            stack.extend(&site.nodes[at].sections);
        }
    }
    found
}

/// Templates whose text differs (or that came or went), and every template
/// that extends, includes or imports one of them.
fn changed_templates(before: &Theme, after: &Theme) -> BTreeSet<String> {
    let names: BTreeSet<&String> = before.sources.keys().chain(after.sources.keys()).collect();
    let mut changed: BTreeSet<String> =
        names.into_iter().filter(|n| before.sources.get(*n) != after.sources.get(*n)).cloned().collect();
    loop {
        let users: Vec<String> = after
            .sources
            .iter()
            .filter(|(name, text)| {
                !changed.contains(*name) && template_references(text).iter().any(|r| changed.contains(r))
            })
            .map(|(name, _)| name.clone())
            .collect();
        if users.is_empty() {
            return changed;
        }
        changed.extend(users);
    }
}

/// Names in `{% extends %}`, `{% include %}` and `{% import %}` tags.
pub fn template_references(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for tag in text.split("{%").skip(1) {
        let tag = tag.split("%}").next().unwrap_or_default().trim_start_matches('-').trim_start();
        let keyword = tag.split_whitespace().next().unwrap_or_default();
        if !matches!(keyword, "extends" | "include" | "import") {
            continue;
        }
        for (n, quoted) in tag.split(['"', '\'', '`']).enumerate() {
            if n % 2 == 1 {
                names.push(quoted.to_string());
            }
        }
    }
    names
}

/// The jobs rendered with any of `templates`.
fn template_jobs(generation: &Generation, templates: &BTreeSet<String>) -> BTreeSet<Owner> {
    let site = &generation.site;
    let renderer = generation.renderer();
    let mut jobs = BTreeSet::new();
    for (i, node) in site.corpus.nodes.iter().enumerate() {
        for lang in &site.config.languages {
            if templates.contains(renderer.template_for(i, &lang.code)) {
                jobs.insert(Owner::Page(node.key.clone(), lang.code.clone()));
            }
        }
    }
    let by_template = [
        ("taxonomy_list.html", Part::Taxonomies),
        ("taxonomy_term.html", Part::Taxonomies),
        ("404.html", Part::NotFound),
        ("chooser.html", Part::Chooser),
        ("search.html", Part::SearchPages),
        (crate::translations_page::TEMPLATE, Part::TranslationStatus),
    ];
    for (template, part) in by_template {
        if templates.contains(template) {
            jobs.insert(site_wide(part));
        }
    }
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_references_are_found_in_tags() {
        let text = r#"{% extends "base.html" %}{%- include "partials/toc.html" -%}{% import 'macros.html' as m %}{{ "x.html" }}{% if a %}"#;
        assert_eq!(template_references(text), ["base.html", "partials/toc.html", "macros.html"]);
    }
}
