//! `/<lang>/translations/`: the status report of one language as a page of
//! the site, so translators find the work waiting without a terminal.

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Language;
use crate::error::{CollectInOrder, Error, Result};
use crate::freshness::{ChangeKind, State};
use crate::output::Artifact;
use crate::site::TRANSLATIONS_PAGE;
use crate::status::{LanguageStatus, PageStatus, StatusReport, Tally};
use crate::templates::{Alternates, Common, Renderer};
use crate::urls::Linker;

pub const TEMPLATE: &str = "translations.html";

#[derive(Serialize)]
struct StatusContext {
    #[serde(flatten)]
    common: Common,
    /// The switcher's and `hreflang`'s: every language's status page, the
    /// page's one list of its languages.
    #[serde(flatten)]
    alternates: Alternates,
    status: StatusView,
}

#[derive(Serialize)]
struct StatusView {
    /// Whole percent, rounded down: "100" only when nothing is left to do.
    complete_percent: u32,
    pages: usize,
    words: usize,
    counts: Tally,
    /// Outdated, missing, unknown, then up-to-date: the work first.
    groups: Vec<GroupView>,
}

#[derive(Serialize)]
struct GroupView {
    state: &'static str,
    pages: Vec<PageItem>,
}

#[derive(Serialize)]
struct PageItem {
    /// The title readers of the language get (from a fallback if missing).
    title: String,
    title_lang: String,
    title_dir: &'static str,
    /// The page as readers of this language get it.
    href: String,
    original_href: String,
    original_name: String,
    /// The original's language: changed headings are in it.
    source_lang: String,
    source_dir: &'static str,
    source: String,
    translation: Option<String>,
    draft: bool,
    words: usize,
    basis: Option<&'static str>,
    changes_known: bool,
    changes: Vec<ChangeView>,
}

#[derive(Serialize)]
struct ChangeView {
    change: &'static str,
    level: u8,
    title: String,
    /// The heading in the original (none for removed ones).
    href: Option<String>,
}

impl Renderer<'_> {
    /// One status page per language, if the theme has the template.
    pub fn translation_pages(&self, report: &StatusReport) -> Result<Vec<Artifact>> {
        if !self.theme.has(TEMPLATE) {
            return Ok(Vec::new());
        }
        report
            .languages
            .par_iter()
            .filter_map(|status| {
                let lang = self.site.config.language(&status.code)?;
                Some(self.translation_page(lang, status, report))
            })
            .collect_in_order()
    }

    fn translation_page(&self, lang: &Language, status: &LanguageStatus, report: &StatusReport) -> Result<Artifact> {
        let dir = format!("{}/{TRANSLATIONS_PAGE}", lang.code);
        let linker = Linker::new(&dir, self.offline);
        let order = [State::Outdated, State::Missing, State::Unknown, State::UpToDate];
        let groups = order
            .iter()
            .map(|&state| GroupView {
                state: state.as_str(),
                pages: status
                    .translations
                    .iter()
                    .filter(|p| p.state == state)
                    .map(|p| self.page_item(p, &lang.code, &linker))
                    .collect(),
            })
            .collect();
        let has_page = |l: &Language| report.languages.iter().any(|s| s.code == l.code);
        let alternates = self
            .generated_alternates(lang, &linker, |l| has_page(l).then(|| format!("{}/{TRANSLATIONS_PAGE}", l.code)));
        let context = StatusContext {
            common: self.common(lang, &linker),
            alternates,
            status: StatusView {
                complete_percent: status.complete_percent.floor() as u32,
                pages: status.pages,
                words: status.words,
                counts: status.counts.clone(),
                groups,
            },
        };
        let context = tera::Context::from_serialize(&context)
            .map_err(|e| Error::Template { name: TEMPLATE.into(), message: e.to_string() })?;
        let html = self.theme.render(TEMPLATE, &context, &format!("/{dir}"))?;
        Ok(Artifact::bytes(format!("{dir}index.html"), html))
    }

    fn page_item(&self, page: &PageStatus, lang: &str, linker: &Linker) -> PageItem {
        let original = self.site.config.language(&page.source_language);
        let original_href = linker.page(&page.source_language, &page.path);
        let changes = page.changes.clone().flatten();
        let shown = self.site.shown_lang(page.node, lang);
        PageItem {
            title: self.site.title(page.node, lang),
            title_lang: shown.to_string(),
            title_dir: self.site.config.language(shown).map_or("ltr", |l| l.direction.as_str()),
            href: linker.page(lang, &page.path),
            original_name: original.map_or_else(|| page.source_language.clone(), |l| l.name.clone()),
            source_lang: page.source_language.clone(),
            source_dir: original.map_or("ltr", |l| l.direction.as_str()),
            source: page.source.clone(),
            translation: page.translation.clone(),
            draft: page.draft,
            words: page.words,
            basis: page.basis.map(|b| match b {
                crate::freshness::Basis::Stamp => "stamp",
                crate::freshness::Basis::Git => "git",
            }),
            changes_known: changes.is_some(),
            changes: changes
                .unwrap_or_default()
                .into_iter()
                .map(|c| ChangeView {
                    change: match c.change {
                        ChangeKind::Added => "added",
                        ChangeKind::Removed => "removed",
                        ChangeKind::Edited => "edited",
                    },
                    level: c.level,
                    href: match (c.change, c.level) {
                        (ChangeKind::Removed, _) => None,
                        (_, 0) => Some(original_href.clone()),
                        _ => Some(format!("{original_href}#{}", crate::urls::encode_path(&c.id))),
                    },
                    title: c.title,
                })
                .collect(),
            original_href,
        }
    }
}
