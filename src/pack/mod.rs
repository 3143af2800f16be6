//! Workshop packs: one zip with what a trainer needs in a room with no
//! connection, in the group's language.
//!
//! - `index.html`: the agenda (modules in order, durations and total,
//!   objectives, audience, materials; which modules are in another language);
//! - a mini-site of the workshop and its modules, rendered by the site's
//!   [`Renderer`] for `file://` within a [`Scope`] of those pages (links to
//!   other pages marked as outside), searchable through an index of just
//!   those pages;
//! - `print.html`: everything on one page, for paper;
//! - `WORKSHOP.epub`: an EPUB 3 book;
//! - the Markdown sources, and optionally a PDF printed by Chromium.
//!
//! A participants' pack leaves the facilitator notes out of all of them.

mod book;
mod epub;
mod head;
pub mod html;
mod pdf;
pub mod workshop;

use crate::error::CollectInOrder;
use std::collections::{BTreeMap, BTreeSet};

use fluent_bundle::{FluentArgs, FluentValue};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

use crate::archive;
use crate::config::{Language, Paper};
use crate::error::{read_text, Error, Result};
use crate::markdown::{self, GeneratedIn, Href, Link, LinkForm, LinkTarget, Note};
use crate::offline::SiteParts;
use crate::output::{self, Artifact};
use crate::scope::{Download, OutsideNote, Scope};
use crate::search::{self, SearchDoc};
use crate::site::Site;
use crate::templates::{plural_language, plural_patterns};
use crate::urls::{encode_path, page_dir, query_and_anchor, Linker};

pub use workshop::{parse_duration, Workshop};

#[derive(Debug, Clone, Copy, Default)]
pub struct PackOptions {
    /// Leave facilitator notes out (everywhere, sources included).
    pub participants: bool,
    /// Add a PDF of `print.html`, printed by Chromium.
    pub pdf: bool,
    /// The paper to print on, over site.toml's `[pack] paper`.
    pub paper: Option<Paper>,
}

/// The identifier `infrared pack` takes for the workshop at `index`: its
/// content path without language or `.md` (`training/digital-care`).
pub fn identifier(site: &Site, index: usize) -> String {
    site.corpus.nodes[index].key.clone()
}

/// Every workshop, as `(identifier, title in lang)`, in content order.
pub fn list(site: &Site, lang: &str) -> Result<Vec<(String, String)>> {
    Ok(workshop::workshops(site)?.into_iter().map(|i| (identifier(site, i), site.title(i, lang))).collect())
}

/// The workshop a command line names: its identifier, its Markdown file
/// (`training/digital-care.md`, `content/training/digital-care.ar.md`) or
/// its page (`/ar/training/digital-care/`); an error listing every problem
/// of its `[workshop]` and its modules' `[module]` tables, in every
/// language (not only the one packed, as `build` and `check` do).
pub fn find(site: &Site, name: &str) -> Result<usize> {
    let index = find_page(site, name)?;
    let problems = workshop::problems_of(site, index);
    if !problems.is_empty() {
        return Err(Error::many(problems));
    }
    Ok(index)
}

fn find_page(site: &Site, name: &str) -> Result<usize> {
    let index = lookup(site, name).ok_or_else(|| {
        let known: Vec<String> =
            workshop::workshops(site).unwrap_or_default().into_iter().map(|i| identifier(site, i)).collect();
        Error::input(
            site.config.content_dir().join(name.trim_start_matches("content/")),
            None,
            format!("no page \"{name}\" in content/"),
            format!(
                "name a workshop as `infrared pack --list` shows it (workshops: {})",
                if known.is_empty() { "none".into() } else { known.join(", ") }
            ),
        )
    })?;
    if !workshop::is_workshop(site.primary_source(index)) {
        return Err(Error::input(
            &site.primary_source(index).path,
            Some(1),
            "this page is not a workshop: its front matter has no [workshop] table",
            "add [workshop] with modules = [\"…\"], or name a workshop (`infrared pack --list`)",
        ));
    }
    Ok(index)
}

fn lookup(site: &Site, name: &str) -> Option<usize> {
    let mut key = name.trim().trim_matches('/');
    key = key.strip_prefix("content/").unwrap_or(key);
    key = key.strip_suffix("/index.html").unwrap_or(key);
    let by_file = site
        .corpus
        .nodes
        .iter()
        .position(|n| n.versions.values().any(|s| s.rel_path == key || s.rel_path == format!("{key}.md")));
    if by_file.is_some() {
        return by_file;
    }
    let key = key.strip_suffix(".md").unwrap_or(key);
    let key = match key.split_once('/') {
        Some((lang, rest)) if site.config.is_language(lang) => rest,
        _ => key,
    };
    site.index_of(key).or_else(|| site.nodes.iter().position(|n| n.path == key))
}

/// The pack's zip file name: `digital-care-ar.zip`.
pub fn file_name(site: &Site, index: usize, lang: &str, participants: bool) -> String {
    crate::site::pack_file_name(&site.nodes[index].path, lang, participants)
}

fn slug(site: &Site, index: usize) -> String {
    crate::site::workshop_slug(&site.nodes[index].path).to_string()
}

/// (workshop's node index, language) → its packs, as `Downloads::packs`.
pub type PackDownloads = BTreeMap<(usize, String), Vec<Download>>;

/// Every workshop's packs (facilitators' and participants') in every
/// language, beside the workshop's page, for the site to offer.
pub fn site_packs(parts: &SiteParts) -> Result<(Vec<Artifact>, PackDownloads)> {
    let site = parts.site;
    let jobs: Vec<(usize, &Language, bool)> = workshop::workshops(site)?
        .into_iter()
        .flat_map(|i| site.config.languages.iter().map(move |l| (i, l)))
        .flat_map(|(i, l)| [(i, l, false), (i, l, true)])
        .collect();
    let built: Vec<(Artifact, Download)> = jobs
        .par_iter()
        .map(|&(index, lang, participants)| {
            let options = PackOptions { participants, pdf: false, paper: None };
            let bytes = pack_zip(parts, index, lang, &options)?;
            let path = format!(
                "{}{}",
                page_dir(&lang.code, &site.nodes[index].path),
                file_name(site, index, &lang.code, participants)
            );
            let download = Download {
                path: path.clone(),
                bytes: bytes.len() as u64,
                label_key: if participants { "pack-download-participants" } else { "pack-download-facilitators" },
            };
            Ok((Artifact::bytes(path, bytes), download))
        })
        .collect_in_order()?;
    let mut downloads = PackDownloads::new();
    let mut artifacts = Vec::new();
    for ((index, lang, _), (artifact, download)) in jobs.iter().zip(built) {
        downloads.entry((*index, lang.code.clone())).or_default().push(download);
        artifacts.push(artifact);
    }
    Ok((artifacts, downloads))
}

/// A workshop's pack in `lang`, as a zip.
pub fn pack_zip(parts: &SiteParts, index: usize, lang: &Language, options: &PackOptions) -> Result<Vec<u8>> {
    let name = file_name(parts.site, index, &lang.code, options.participants);
    let files = output::collect(pack_files(parts, index, lang, options)?)?;
    archive::zip_artifacts(&name, &files)
}

/// A workshop's pack in `lang`: its files, by their paths in the zip.
pub fn pack_files(parts: &SiteParts, index: usize, lang: &Language, options: &PackOptions) -> Result<Vec<Artifact>> {
    let pack = Pack::new(parts, index, lang, options)?;
    let mut files: Vec<Artifact> = pack.mini_site()?.into_iter().map(|page| pack.with_head(page)).collect();
    files.push(pack.with_head(pack.agenda_page()?));
    let print = pack.with_head(pack.print_page()?);
    files.extend(pack.epub()?);
    files.extend(pack.sources()?);
    files.extend(pack.linked_files());
    files.extend(parts.asset_files.iter().cloned());
    files.push(pack.paper_stylesheet());
    if options.pdf {
        let mut for_printing = files.clone();
        for_printing.push(print.clone());
        let pdf = pdf::print_to_pdf(&for_printing, "print.html")?;
        files.push(Artifact::bytes(format!("{}.pdf", pack.slug), pdf));
    }
    files.push(print);
    Ok(files)
}

/// One pack being made.
struct Pack<'a> {
    parts: &'a SiteParts<'a>,
    site: &'a Site,
    lang: &'a Language,
    workshop: Workshop,
    /// The workshop's page, then its modules.
    pages: Vec<usize>,
    scope: Scope,
    options: PackOptions,
    slug: String,
}

/// One page of the pack, as the agenda, navigation and print show it.
#[derive(Serialize, Clone)]
struct PageEntry {
    /// 0 for the workshop's own page, then 1, 2… for its modules.
    number: usize,
    title: String,
    href: String,
    /// The content's language, and its name when it is not the reader's.
    lang: String,
    dir: &'static str,
    other_language: Option<String>,
    duration: Option<String>,
    /// The language `duration` is written in (the reader's, unless its
    /// strings come from another language).
    duration_lang: Option<String>,
    objectives: Vec<String>,
    current: bool,
}

impl<'a> Pack<'a> {
    fn new(parts: &'a SiteParts<'a>, index: usize, lang: &'a Language, options: &PackOptions) -> Result<Pack<'a>> {
        let site = parts.site;
        let workshop = workshop::workshop(site, index, &lang.code)?;
        let pages: Vec<usize> = std::iter::once(index).chain(workshop.modules.iter().copied()).collect();
        let scope = Scope {
            lang: lang.code.clone(),
            pages: Some(pages.iter().copied().collect()),
            facilitator_notes: !options.participants,
            outside_note: OutsideNote::new(parts.i18n, &lang.code, "pack-outside"),
        };
        Ok(Pack { parts, site, lang, slug: slug(site, index), workshop, pages, scope, options: *options })
    }

    /// The paper print.html and the PDF print on.
    fn paper(&self) -> Paper {
        self.options.paper.unwrap_or(self.site.config.pack.paper)
    }

    /// `assets/paper-a4.css`: the sheet's size, in a stylesheet of its own
    /// (the Content-Security-Policy allows no `<style>`). Theme assets there
    /// all carry a fingerprint, so the name is the pack's.
    fn paper_path(&self) -> String {
        format!("assets/paper-{}.css", self.paper().name())
    }

    /// A page the pack rendered, with the policy and the paper's stylesheet
    /// in its head whatever its theme wrote ([`head::guaranteed`]).
    fn with_head(&self, page: Artifact) -> Artifact {
        match &page.contents {
            output::Contents::Bytes(bytes) if page.path.ends_with(".html") => {
                let dir = page.path.rsplit_once('/').map_or(String::new(), |(dir, _)| format!("{dir}/"));
                let paper = Linker::new(&dir, true).to(&self.paper_path());
                let html = head::guaranteed(&String::from_utf8_lossy(bytes), &paper);
                Artifact::bytes(page.path, html)
            }
            _ => page,
        }
    }

    fn paper_stylesheet(&self) -> Artifact {
        let css = format!(
            "/* The paper this pack prints on: site.toml's [pack] paper, or infrared pack --paper. */\n@page {{ size: {}; }}\n",
            self.paper().css_size()
        );
        Artifact::bytes(self.paper_path(), css)
    }

    fn t(&self, key: &str) -> String {
        self.parts.i18n.t(&self.lang.code, key, None)
    }

    /// The XHTML attributes of an element showing `t(key)` inside one in
    /// the pack's language: none, unless the string comes from another
    /// language (one without its own strings), which they name.
    fn marking(&self, key: &str) -> String {
        self.marking_from(self.parts.i18n.language_of(&self.lang.code, key).unwrap_or(&self.lang.code))
    }

    /// The XHTML attributes of an element showing text in `source` inside
    /// one in the pack's language: none when they are the same.
    fn marking_from(&self, source: &str) -> String {
        if source == self.lang.code {
            return String::new();
        }
        format!(" xml:lang=\"{source}\"{}", self.parts.i18n.marking_between(source, &self.lang.code, ""))
    }

    /// `text` (the string `key` names) as XHTML text, inside a span saying
    /// its language when [`Pack::marking`] calls for one.
    fn marked(&self, key: &str, text: &str) -> String {
        self.marked_from(self.parts.i18n.language_of(&self.lang.code, key).unwrap_or(&self.lang.code), text)
    }

    /// `text`, written in `source`, as XHTML text inside an element in the
    /// pack's language: in a span saying its language when they differ.
    fn marked_from(&self, source: &str, text: &str) -> String {
        let text = crate::markdown::escape_text(text);
        match self.marking_from(source) {
            marking if marking.is_empty() => text,
            marking => format!("<span{marking}>{text}</span>"),
        }
    }

    /// The sentence `key` makes of the duration `minutes` (`pack-total`:
    /// "Total duration: 1 h 30 min") as HTML inside an element in the pack's
    /// language: the sentence in a span saying its language when its string
    /// comes from another, and the duration in one of its own when its
    /// words come from another language than the sentence's (a site's own
    /// `.ftl` may give one string and not the other). `xml` marks for XHTML.
    fn duration_sentence(&self, key: &str, minutes: u32, xml: bool) -> String {
        const SLOT: &str = "\u{E000}";
        let i18n = self.parts.i18n;
        let sentence_lang = i18n.language_of(&self.lang.code, key).unwrap_or(&self.lang.code);
        let duration_lang = self.duration_lang(minutes);
        let marking = |source: &str, around: &str| match (source == around, xml) {
            (true, _) => String::new(),
            (false, true) => format!(" xml:lang=\"{source}\"{}", i18n.marking_between(source, around, "")),
            (false, false) => i18n.marking_between(source, around, ""),
        };
        let mut args = FluentArgs::new();
        args.set("duration", FluentValue::from(SLOT));
        let sentence = i18n.t(&self.lang.code, key, Some(&args));
        let duration = crate::markdown::escape_text(&self.duration(minutes));
        let duration = match marking(&duration_lang, sentence_lang) {
            m if m.is_empty() => duration,
            m => format!("<span{m}>{duration}</span>"),
        };
        let html: Vec<String> = sentence.split(SLOT).map(crate::markdown::escape_text).collect();
        let html = html.join(&duration);
        match marking(sentence_lang, &self.lang.code) {
            m if m.is_empty() => html,
            m => format!("<span{m}>{html}</span>"),
        }
    }

    /// `minutes` as the reader reads a duration (`1 h 30 min`).
    fn duration(&self, minutes: u32) -> String {
        self.parts.i18n.t(&self.lang.code, Self::duration_key(minutes), Some(&Self::duration_args(minutes)))
    }

    /// The language [`Pack::duration`] writes `minutes` in.
    fn duration_lang(&self, minutes: u32) -> String {
        let i18n = &self.parts.i18n;
        i18n.language_of(&self.lang.code, Self::duration_key(minutes)).unwrap_or(&self.lang.code).to_string()
    }

    fn duration_args(minutes: u32) -> FluentArgs<'static> {
        let mut args = FluentArgs::new();
        args.set("hours", FluentValue::from(minutes / 60));
        args.set("minutes", FluentValue::from(minutes % 60));
        args
    }

    fn duration_key(minutes: u32) -> &'static str {
        match (minutes / 60, minutes % 60) {
            (0, _) => "duration-minutes",
            (_, 0) => "duration-hours",
            _ => "duration-hours-minutes",
        }
    }

    fn entries(&self, linker: &Linker, current: Option<usize>) -> Result<Vec<PageEntry>> {
        self.pages
            .iter()
            .enumerate()
            .map(|(number, &index)| {
                let shown = self.site.shown_lang(index, &self.lang.code);
                let language = self.site.config.language(shown);
                let module = if number == 0 {
                    workshop::Module::default()
                } else {
                    workshop::module(self.site, index, &self.lang.code)?
                };
                Ok(PageEntry {
                    number,
                    title: self.site.title(index, &self.lang.code),
                    href: linker.page(&self.lang.code, &self.site.nodes[index].path),
                    lang: shown.to_string(),
                    dir: language.map_or("ltr", |l| l.direction.as_str()),
                    other_language: (shown != self.lang.code).then(|| language.map(|l| l.name.clone())).flatten(),
                    duration: module.duration.map(|m| self.duration(m)),
                    duration_lang: module.duration.map(|m| self.duration_lang(m)),
                    objectives: module.objectives,
                    current: current == Some(number),
                })
            })
            .collect()
    }

    /// What the agenda, the pages and the printable page all show.
    fn agenda(&self, from_dir: &str, current: Option<usize>) -> Result<serde_json::Value> {
        let linker = Linker::new(from_dir, true);
        let entries = self.entries(&linker, current)?;
        let module_minutes: Vec<Option<u32>> = self.pages[1..]
            .iter()
            .map(|&i| workshop::module(self.site, i, &self.lang.code).map(|m| m.duration))
            .collect::<Result<_>>()?;
        let sum: u32 = module_minutes.iter().flatten().sum();
        let missing = module_minutes.iter().filter(|m| m.is_none()).count();
        let (source, _) = self.site.version(self.workshop.index, &self.lang.code);
        let mut args = FluentArgs::new();
        args.set("site", FluentValue::from(self.site_title()));
        let sources: Vec<serde_json::Value> = self
            .source_files()
            .iter()
            .map(|rel| json!({ "name": rel, "href": linker.to(&format!("sources/{rel}")) }))
            .collect();
        let total = self.workshop.duration.or((sum > 0).then_some(sum));
        Ok(json!({
            "title": entries[0].title,
            "description": source.front.description,
            "lang": entries[0].lang,
            "dir": entries[0].dir,
            "audience": self.workshop.audience,
            "materials": self.workshop.materials,
            "total": total.map(|m| self.duration(m)),
            "total_lang": total.map(|m| self.duration_lang(m)),
            "total_minutes": total,
            "total_sentence": total.map(|m| self.duration_sentence("pack-total", m, false)),
            "modules_total": (sum > 0 && self.workshop.duration.is_some()).then(|| self.duration(sum)),
            "modules_total_sentence": (sum > 0 && self.workshop.duration.is_some())
                .then(|| self.duration_sentence("pack-modules-add-up", sum, false)),
            "modules_without_duration": missing,
            "about": entries[0],
            "modules": entries[1..],
            "participants": self.options.participants,
            "agenda": linker.to("index.html"),
            "print": linker.to("print.html"),
            "paper": self.paper().name(),
            "paper_css": linker.to(&self.paper_path()),
            "epub": linker.to(&format!("{}.epub", self.slug)),
            "pdf": self.options.pdf.then(|| linker.to(&format!("{}.pdf", self.slug))),
            "sources": sources,
            "made_from": self.parts.i18n.t(&self.lang.code, "pack-made-from", Some(&args)),
        }))
    }

    fn site_title(&self) -> String {
        self.lang.title.clone().unwrap_or_else(|| self.site.config.title.clone())
    }

    /// The pages, their search page and search files, for `file://`.
    fn mini_site(&self) -> Result<Vec<Artifact>> {
        let renderer = self.parts.renderer(&self.scope);
        let mut files = Vec::new();
        for (number, &index) in self.pages.iter().enumerate() {
            let dir = page_dir(&self.lang.code, &self.site.nodes[index].path);
            let mut extra = self.agenda(&dir, Some(number))?;
            let linker = Linker::new(&dir, true);
            let entries = self.entries(&linker, Some(number))?;
            extra["previous"] = json!(number.checked_sub(1).map(|p| &entries[p]));
            extra["next"] = json!(entries.get(number + 1));
            extra["module"] = json!(entries[number]);
            files.push(renderer.page_with(index, self.lang, "pack/page.html", extra)?);
        }
        if self.site.config.search {
            files.extend(self.search_files()?);
            let path = format!("{}search/index.html", page_dir(&self.lang.code, ""));
            let mut extra = self.agenda(&format!("{}/{}", self.lang.code, crate::site::SEARCH_PAGE), None)?;
            extra["search_counts"] = json!(plural_patterns(self.parts.i18n, &self.lang.code, "search-results"));
            extra["search_plural_lang"] = json!(plural_language(self.parts.i18n, &self.lang.code, "search-results"));
            files.push(renderer.render_with("pack/search.html", &path, self.lang, extra)?);
        }
        Ok(files)
    }

    /// An index of just the pack's pages (fallbacks included: everything in
    /// a pack can be found in it), exported as the site's are.
    fn search_files(&self) -> Result<Vec<Artifact>> {
        let lang = &self.lang.code;
        let docs: Vec<SearchDoc> = self
            .pages
            .iter()
            .map(|&i| {
                let (source, rendered) = self.site.version(i, lang);
                let text = if self.options.participants {
                    rendered.text_without_facilitator_notes()
                } else {
                    rendered.text.clone()
                };
                SearchDoc {
                    url: page_dir(lang, &self.site.nodes[i].path),
                    title: self.site.title(i, lang),
                    summary: search::result_summary(
                        source.front.description.as_deref(),
                        rendered.lead(!self.options.participants),
                    ),
                    body: text,
                }
            })
            .collect();
        let index = search::index_in_memory(lang, &docs)?;
        let (name, file, analyzer) = search::export::analyzer_artifact(lang)?;
        let mut files = search::export::export_language(lang, &index, name, &file)?.artifacts;
        files.push(analyzer);
        Ok(files)
    }

    fn agenda_page(&self) -> Result<Artifact> {
        let renderer = self.parts.renderer(&self.scope);
        renderer.render_with("pack/index.html", "index.html", self.lang, self.agenda("", None)?)
    }

    fn print_page(&self) -> Result<Artifact> {
        let mut extra = self.agenda("", None)?;
        let sections: Vec<serde_json::Value> = (0..self.pages.len())
            .map(|number| {
                let content = self.content(number, |link| self.print_href(link));
                let prefix = format!("m{number}.");
                let content = html::rewrite(
                    &content,
                    html::Options {
                        id_prefix: &prefix,
                        xhtml: false,
                    },
                );
                let mut entry = if number == 0 {
                    extra["about"].clone()
                } else {
                    extra["modules"][number - 1].clone()
                };
                entry["href"] = json!(format!("#m{number}"));
                json!({ "anchor": format!("m{number}"), "entry": entry, "content": content, "notice": self.notice(number) })
            })
            .collect();
        extra["sections"] = json!(sections);
        // In print, the agenda leads to the sections of the same page.
        extra["about"]["href"] = json!("#m0");
        for (n, module) in extra["modules"].as_array_mut().into_iter().flatten().enumerate() {
            module["href"] = json!(format!("#m{}", n + 1));
        }
        let renderer = self.parts.renderer(&self.scope);
        renderer.render_with("pack/print.html", "print.html", self.lang, extra)
    }

    /// "Not yet translated into …; shown in …", for a page shown from a fallback.
    fn notice(&self, number: usize) -> Option<String> {
        let index = self.pages[number];
        let shown = self.site.shown_lang(index, &self.lang.code);
        let shown_name = self.site.config.language(shown)?.name.clone();
        (shown != self.lang.code).then(|| {
            let mut args = FluentArgs::new();
            args.set("language", FluentValue::from(self.lang.name.clone()));
            args.set("shown", FluentValue::from(shown_name));
            self.parts.i18n.t(&self.lang.code, "not-translated", Some(&args))
        })
    }

    /// The content of page `number` with links as `href_for` says,
    /// sanitised as the site's pages are (print.html and the EPUB hold no
    /// script, handler or element a writer's raw HTML smuggled in), unless
    /// its section is in `trusted_html`.
    /// Links leaving the pack get its note, marked with its language when
    /// the page's text is in another.
    fn content(&self, number: usize, mut href_for: impl FnMut(&Link) -> Href) -> String {
        let index = self.pages[number];
        let (_, rendered) = self.site.version(index, &self.lang.code);
        let note = self.scope.outside_note.on_text_in(self.parts.i18n, self.site.shown_lang(index, &self.lang.code));
        let html = rendered.html_for(!self.options.participants, |link| match href_for(link) {
            Href::Outside { url, .. } => Href::Outside { url, note: note.clone() },
            href => href,
        });
        if self.site.config.trusts_html(&self.site.node(index).key) {
            html
        } else {
            crate::sanitize::clean(&html)
        }
    }

    /// Position in the pack of the page with content key `key`.
    fn position(&self, key: &str) -> Option<usize> {
        let index = self.site.index_of(key)?;
        self.pages.iter().position(|&p| p == index)
    }

    /// A page the pack does not hold: its address online, query and anchor
    /// kept, when the site has a `base_url`.
    fn outside(&self, key: &str, query: &str, anchor: &Option<String>) -> Href {
        let url = self.site.config.base_url.as_deref().and_then(|base| {
            let index = self.site.index_of(key)?;
            let path = page_dir(&self.lang.code, &self.site.nodes[index].path);
            Some(format!("{base}/{}{}", encode_path(&path), query_and_anchor(query, anchor.as_deref())))
        });
        Href::Outside { url, note: Note::default() }
    }

    /// A generated page of the site (search, feed, tag pages…), which a
    /// pack does not hold: its address online.
    pub(crate) fn outside_generated(&self, place: &GeneratedIn, path: &str, suffix: &str) -> Href {
        let url = self.site.config.base_url.as_deref().and_then(|base| {
            let output = self.site.generated_output(place, path, &self.lang.code)?;
            Some(format!("{base}/{}{suffix}", encode_path(&output)))
        });
        Href::Outside { url, note: Note::default() }
    }

    /// Links in `print.html`, at the zip's top: other pages of the pack are
    /// sections of the same page (a query would only load print.html
    /// again, where nothing reads it: it is left out).
    fn print_href(&self, link: &Link) -> Href {
        let linker = Linker::new("", true);
        match &link.target {
            LinkTarget::Page { key, query, anchor } => match self.position(key) {
                Some(number) => Href::To(match anchor {
                    Some(a) => format!("#m{number}.{}", encode_path(a)),
                    None => format!("#m{number}"),
                }),
                None => self.outside(key, query, anchor),
            },
            LinkTarget::Anchor(anchor) => Href::To(format!("#{}", encode_path(anchor))),
            LinkTarget::External(url) => Href::To(url.clone()),
            LinkTarget::ContentFile { rel_path, suffix } => {
                Href::To(linker.to(&self.content_file_path(rel_path)) + suffix)
            }
            LinkTarget::StaticFile { rel_path, suffix } => Href::To(encode_path(rel_path) + suffix),
            LinkTarget::Generated { place, path, suffix } => self.outside_generated(place, path, suffix),
            LinkTarget::Broken { .. } => Href::Broken,
        }
    }

    fn content_file_path(&self, rel_path: &str) -> String {
        format!("{}/{}", self.lang.code, self.site.content_file_output(rel_path))
    }

    /// Files the pack's pages link to or show (images, downloads), where the
    /// mini-site and `print.html` expect them.
    fn linked_files(&self) -> Vec<Artifact> {
        let mut files = BTreeMap::new();
        for &index in &self.pages {
            let (_, rendered) = self.site.version(index, &self.lang.code);
            for link in &rendered.links {
                if let Some((path, source)) = self.linked_file(&link.target) {
                    files.insert(path, source);
                }
            }
        }
        files.into_iter().map(|(path, source)| Artifact::copy(path, source)).collect()
    }

    /// (path in the pack, file on disk) of a link to a file.
    fn linked_file(&self, target: &LinkTarget) -> Option<(String, std::path::PathBuf)> {
        match target {
            LinkTarget::ContentFile { rel_path, .. } => {
                let file = self.content_file(rel_path)?;
                Some((self.content_file_path(rel_path), file))
            }
            LinkTarget::StaticFile { rel_path, .. } => {
                let (_, path) = self.site.static_files.iter().find(|(p, _)| p == rel_path)?;
                Some((rel_path.clone(), path.clone()))
            }
            _ => None,
        }
    }

    fn content_file(&self, rel_path: &str) -> Option<std::path::PathBuf> {
        let files = &self.site.corpus.files;
        files.binary_search_by(|f| f.rel_path.as_str().cmp(rel_path)).ok().map(|i| files[i].path.clone())
    }

    /// The Markdown files shown (relative to `content/`).
    fn source_files(&self) -> Vec<String> {
        self.pages.iter().map(|&i| self.site.version(i, &self.lang.code).0.rel_path.clone()).collect()
    }

    /// `sources/…`: the Markdown shown, with the files it links to beside it
    /// so its relative links still work. Participants' copies lose the
    /// facilitator notes here too.
    fn sources(&self) -> Result<Vec<Artifact>> {
        let mut files = Vec::new();
        let mut linked = BTreeSet::new();
        for &index in &self.pages {
            let (source, rendered) = self.site.version(index, &self.lang.code);
            let mut text = read_text(&source.path)?;
            if self.options.participants {
                text = without_facilitator_notes(&text, &source.body);
            }
            files.push(Artifact::bytes(format!("sources/{}", source.rel_path), text));
            for link in &rendered.links {
                if let LinkTarget::ContentFile { rel_path, .. } = &link.target {
                    if let Some(path) = self.content_file(rel_path) {
                        linked.insert((rel_path.clone(), path));
                    }
                }
            }
        }
        files.extend(linked.into_iter().map(|(rel, path)| Artifact::copy(format!("sources/{rel}"), path)));
        Ok(files)
    }

    fn epub(&self) -> Result<Vec<Artifact>> {
        let name = format!("{}.epub", self.slug);
        let book = book::book(self)?;
        Ok(vec![Artifact::bytes(name.clone(), epub::write(&book, &name)?)])
    }
}

/// A Markdown file's text without its facilitator notes (`body` is the
/// text after its front matter).
fn without_facilitator_notes(text: &str, body: &str) -> String {
    let start = text.len().saturating_sub(body.len());
    let (front, body) = text.split_at(start);
    let mut out = front.to_string();
    let mut at = 0;
    for range in markdown::facilitator_ranges(body) {
        out.push_str(&body[at..range.start]);
        at = range.end;
    }
    out.push_str(&body[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn participants_sources_lose_the_notes_but_keep_the_front_matter() {
        let text = "+++\ntitle = \"x\"\n+++\nKeep.\n\n```facilitator\nSecret.\n```\n\nAlso.\n";
        let body = &text[text.find("Keep").unwrap()..];
        let out = without_facilitator_notes(text, body);
        assert!(out.starts_with("+++\ntitle = \"x\"\n+++\nKeep."), "{out}");
        assert!(!out.contains("Secret") && out.contains("Also."), "{out}");
    }
}
