//! `infrared status`: per language, which pages are up to date, outdated,
//! missing or of unknown freshness, and how complete the language is,
//! counted in words. The same report feeds `--json` (schema in README.md)
//! and the site's `/<lang>/translations/` pages.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::config::Config;
use crate::content;
use crate::error::{Diagnostic, Error, Result};
use crate::freshness::{Basis, ChangeKind, Freshness, HeadingChange, State};
use crate::highlight::Highlighter;
use crate::i18n::I18n;
use crate::markdown::count_words;
use crate::site::{page_title, Site};

/// Bumped when a field changes meaning or disappears (new fields may appear).
pub const SCHEMA: u32 = 1;

#[derive(Debug, Serialize)]
pub struct StatusReport {
    pub schema: u32,
    pub default_language: String,
    pub languages: Vec<LanguageStatus>,
}

#[derive(Debug, Serialize)]
pub struct LanguageStatus {
    pub code: String,
    pub name: String,
    /// Words of the pages readers get in this language and up to date
    /// (originals included), in percent of all words, one decimal.
    pub complete_percent: f64,
    /// Pages with something to translate, and their words (in their original).
    pub pages: usize,
    pub words: usize,
    /// Pages in each state, and their words.
    pub counts: Tally,
    pub word_counts: Tally,
    /// Every page not originally written in this language, by path.
    pub translations: Vec<PageStatus>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Written in this language: nothing to translate.
    pub original: usize,
    #[serde(rename = "up-to-date")]
    pub up_to_date: usize,
    pub outdated: usize,
    pub missing: usize,
    pub unknown: usize,
}

impl Tally {
    fn add(&mut self, state: Option<State>, amount: usize) {
        let slot = match state {
            None => &mut self.original,
            Some(State::UpToDate) => &mut self.up_to_date,
            Some(State::Outdated) => &mut self.outdated,
            Some(State::Missing) => &mut self.missing,
            Some(State::Unknown) => &mut self.unknown,
        };
        *slot += amount;
    }

    pub fn get(&self, state: State) -> usize {
        match state {
            State::UpToDate => self.up_to_date,
            State::Outdated => self.outdated,
            State::Missing => self.missing,
            State::Unknown => self.unknown,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PageStatus {
    /// The page's path below `/<lang>/` (`""` for the home page).
    pub path: String,
    /// Its title in the original.
    pub title: String,
    pub state: State,
    /// How the state is known: `stamp`, `git`, or null.
    pub basis: Option<Basis>,
    /// The original, relative to the site root: `content/guides/mirroring.md`.
    pub source: String,
    pub source_language: String,
    /// The translation's file; for a missing page, a draft in progress if any.
    pub translation: Option<String>,
    pub draft: bool,
    pub words: usize,
    /// Only for outdated pages: what changed in the original since the
    /// translated version, or null when that version is not known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<Option<Vec<HeadingChange>>>,
    /// Index of the page in the site, for the generated pages.
    #[serde(skip)]
    pub node: usize,
}

/// The report for every language of `site`.
pub fn report(site: &Site, freshness: &Freshness) -> StatusReport {
    let words: Vec<usize> = (0..site.nodes.len())
        .map(|i| {
            let (source, rendered) = (site.primary_source(i), &site.rendered[i]);
            let body = rendered.get(&source.lang).map_or(0, |r| r.word_count());
            count_words(source.front.title.as_deref().unwrap_or_default()) + body
        })
        .collect();
    StatusReport {
        schema: SCHEMA,
        default_language: site.config.default_language.clone(),
        languages: site
            .config
            .languages
            .iter()
            .map(|lang| language_status(site, freshness, &words, &lang.code, &lang.name))
            .collect(),
    }
}

fn language_status(site: &Site, freshness: &Freshness, words: &[usize], code: &str, name: &str) -> LanguageStatus {
    let mut status = LanguageStatus {
        code: code.to_string(),
        name: name.to_string(),
        complete_percent: 100.0,
        pages: 0,
        words: 0,
        counts: Tally::default(),
        word_counts: Tally::default(),
        translations: Vec::new(),
    };
    for index in (0..site.nodes.len()).filter(|&i| freshness.is_tracked(i)) {
        let entry = freshness.entry(index, code);
        status.pages += 1;
        status.words += words[index];
        status.counts.add(entry.map(|e| e.state), 1);
        status.word_counts.add(entry.map(|e| e.state), words[index]);
        let Some(entry) = entry else { continue };
        let source = site.primary_source(index);
        let rendered = &site.rendered[index][&source.lang];
        status.translations.push(PageStatus {
            path: site.nodes[index].path.clone(),
            title: page_title(site.node(index), source, rendered),
            state: entry.state,
            basis: entry.basis,
            source: format!("content/{}", source.rel_path),
            source_language: source.lang.clone(),
            translation: entry.translation.as_ref().map(|t| format!("content/{t}")),
            draft: entry.draft,
            words: words[index],
            changes: (entry.state == State::Outdated).then(|| entry.changes.clone()),
            node: index,
        });
    }
    status.translations.sort_by(|a, b| a.path.cmp(&b.path));
    if status.words > 0 {
        let done = status.word_counts.original + status.word_counts.up_to_date;
        status.complete_percent = (done as f64 * 1000.0 / status.words as f64).round() / 10.0;
    }
    status
}

/// What `infrared status` shows: the report, and wrong stamps found on the way.
pub struct Status {
    pub report: StatusReport,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the site at `root` (draft translations included, to name them) and
/// reports on it, for `lang` only if given.
pub fn status(root: &Path, lang: Option<&str>) -> Result<Status> {
    let config = Config::load(root)?;
    if let Some(code) = lang {
        if !config.is_language(code) {
            return Err(unknown_language(&config, code));
        }
    }
    let i18n = I18n::load(&config)?;
    let corpus = content::load(&config, true)?;
    let site = Site::new(config, corpus, &i18n, &Highlighter::new())?;
    let freshness = Freshness::compute(&site);
    let mut report = report(&site, &freshness);
    if let Some(code) = lang {
        report.languages.retain(|l| l.code == code);
    }
    Ok(Status { report, diagnostics: freshness.diagnostics })
}

/// `--lang xx` or `--to xx` naming no configured language.
pub fn unknown_language(config: &Config, code: &str) -> Error {
    let known: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    Error::input(
        config.root.join(crate::config::CONFIG_FILE),
        None,
        format!("\"{code}\" is not a configured language"),
        format!("use one of {}, or add [languages.{code}] to site.toml", known.join(", ")),
    )
}

/// The report for a terminal: a table of every language, then the pages
/// that need work — every page of each state when `every_page`.
pub fn write_text(report: &StatusReport, every_page: bool, out: &mut impl Write) -> io::Result<()> {
    let label = |lang: &LanguageStatus| format!("{} {}", lang.code, lang.name);
    // As wide as the longest language's label, so the columns line up.
    let width = report.languages.iter().map(|l| label(l).chars().count()).max().unwrap_or(0).max(20);
    writeln!(
        out,
        "{:<width$} {:>9} {:>11} {:>9} {:>8} {:>8} {:>9}",
        "language", "complete", "up-to-date", "outdated", "missing", "unknown", "original"
    )?;
    for lang in &report.languages {
        let label = label(lang);
        let pad = width.saturating_sub(label.chars().count());
        let c = &lang.counts;
        writeln!(
            out,
            "{label}{:pad$} {:>8.1}% {:>11} {:>9} {:>8} {:>8} {:>9}",
            "", lang.complete_percent, c.up_to_date, c.outdated, c.missing, c.unknown, c.original
        )?;
    }
    let shown: &[State] = if every_page { &State::ALL } else { &[State::Outdated, State::Unknown] };
    for lang in &report.languages {
        for &state in shown {
            write_pages(lang, state, out)?;
        }
    }
    if !every_page && report.languages.iter().any(|l| l.counts.missing > 0) {
        writeln!(out, "\nMissing and up-to-date pages: infrared status --lang LANG lists every page.")?;
    }
    Ok(())
}

fn write_pages(lang: &LanguageStatus, state: State, out: &mut impl Write) -> io::Result<()> {
    let pages: Vec<&PageStatus> = lang.translations.iter().filter(|p| p.state == state).collect();
    if pages.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{} {}: {} ({})", lang.code, lang.name, state.as_str(), pages.len())?;
    for page in pages {
        match state {
            // A draft has been started: `translate` would refuse to start
            // it again, so say how to finish it instead.
            State::Missing => match (&page.translation, page.draft) {
                (Some(draft), true) => writeln!(
                    out,
                    "  {} (draft in progress: {draft})\n    translate it, then delete its draft line to publish it",
                    page.source
                )?,
                _ => writeln!(out, "  {}\n    infrared translate {} --to {}", page.source, page.source, lang.code)?,
            },
            _ => {
                let basis = match page.basis {
                    Some(Basis::Stamp) => " (by its stamp)",
                    Some(Basis::Git) => " (by git history)",
                    None => " (no stamp, not in git)",
                };
                writeln!(out, "  {} ← {}{basis}", page.translation.as_deref().unwrap_or_default(), page.source)?;
            }
        }
        if let Some(changes) = &page.changes {
            write_changes(changes.as_deref(), out)?;
        }
    }
    Ok(())
}

fn write_changes(changes: Option<&[HeadingChange]>, out: &mut impl Write) -> io::Result<()> {
    let Some(changes) = changes else {
        return writeln!(out, "    changes: not known (the translated version is not in git history)");
    };
    if changes.is_empty() {
        writeln!(out, "    changes: spacing only, no section changed")?;
    }
    for change in changes {
        let kind = match change.change {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Edited => "edited",
        };
        if change.level == 0 {
            writeln!(out, "    {kind:<8} start of the page (title, description, introduction)")?;
        } else {
            let hashes = "#".repeat(change.level as usize);
            writeln!(out, "    {kind:<8} {hashes} {} (#{})", change.title, change.id)?;
        }
    }
    Ok(())
}
