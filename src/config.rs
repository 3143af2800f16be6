//! `site.toml` → an immutable [`Config`]: languages with their directions and
//! fallback chains, theme, taxonomies and the few URLs a standard demands.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{line_of_offset, read_text, Error, Result};

pub const CONFIG_FILE: &str = "site.toml";

#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    /// Only for what a standard wants absolute (sitemap, feed ids); never for navigation.
    pub base_url: Option<String>,
    pub default_language: String,
    /// In the order site.toml lists them, the default language first.
    pub languages: Vec<Language>,
    pub theme: String,
    pub repo_url: Option<String>,
    /// Pattern for "edit this page" links; `{repo_url}` and `{path}` are filled in.
    pub edit_url: Option<String>,
    pub taxonomies: Vec<String>,
    /// `[term_translations.<taxonomy>]`: terms declared to stand for a
    /// default-language term in a language, over those inferred.
    pub term_translations: Vec<TermTranslation>,
    pub feed_limit: usize,
    /// Most siblings a page's section navigation lists: a larger section
    /// shows a window around the page, so each page's work stays bounded.
    pub nav_window: usize,
    /// Build the search index and pages (default true).
    pub search: bool,
    /// Content paths (`training/embeds`) whose raw HTML is published as written.
    pub trusted_html: Vec<String>,
    /// For a site moved in from a tool without language folders: every
    /// page's address without one (`/guides/x/`) redirects to the page in
    /// the language it was written in (default false).
    pub root_redirects: bool,
    /// Largest Markdown file read, in bytes.
    pub max_file_size: u64,
    /// Offline bundles, service worker and workshop packs (`[offline]`).
    pub offline: OfflineOptions,
    /// How workshop packs are made (`[pack]`).
    pub pack: PackConfig,
    pub extra: BTreeMap<String, toml::Value>,
    pub mirror: MirrorConfig,
}

/// `[mirror]`: the keys that sign the site, and the known copies of it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MirrorConfig {
    /// minisign public keys (`RW…`) of the network.
    #[serde(default)]
    pub public_keys: Vec<String>,
    /// `[[mirror.sites]]`: where else the site is served, shown to readers.
    #[serde(default)]
    pub sites: Vec<MirrorSite>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MirrorSite {
    pub name: String,
    /// Absolute `http(s)://` URL of the site's root on that mirror, no trailing `/`.
    pub url: String,
}

/// One declaration of `[term_translations.<taxonomy>]` in site.toml:
/// `user = { fr = "utilisateur" }` says the French `utilisateur` stands for
/// the default language's `user`; `fr = ""`, that no French term does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermTranslation {
    pub taxonomy: String,
    /// The default-language term, as written.
    pub term: String,
    pub lang: String,
    /// The term in `lang`, as written; `None` for none.
    pub translation: Option<String>,
    /// Where site.toml declares it.
    pub line: Option<usize>,
}

/// `[offline]` in site.toml: what a build makes for reading without a
/// connection. Everything is on unless a site turns it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfflineOptions {
    /// `/<lang>/offline-<lang>.zip`: the language's pages, ready for file://.
    #[serde(default = "default_true")]
    pub bundles: bool,
    /// `sw.js`, `/<lang>/offline-files.json` and web app manifests.
    #[serde(default = "default_true")]
    pub service_worker: bool,
    /// Every workshop's pack, in every language, beside the workshop's page.
    #[serde(default = "default_true")]
    pub packs: bool,
}

impl Default for OfflineOptions {
    fn default() -> Self {
        OfflineOptions { bundles: true, service_worker: true, packs: true }
    }
}

/// `[pack]` in site.toml: how workshop packs are made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackConfig {
    /// The paper print.html and `--pdf` print on (`infrared pack --paper`
    /// overrides it for one pack).
    #[serde(default)]
    pub paper: Paper,
}

/// A sheet of paper a pack prints on. A4 unless a site says otherwise: most
/// of the network's regions use it (US Letter is Chromium's default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    /// Every paper, by the name site.toml and `--paper` give it.
    pub const NAMES: [&'static str; 2] = ["a4", "letter"];

    pub fn from_name(name: &str) -> Option<Paper> {
        match name {
            "a4" => Some(Paper::A4),
            "letter" => Some(Paper::Letter),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
        }
    }

    /// The sheet as CSS's `@page { size: … }` names it.
    pub fn css_size(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "letter",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Language {
    pub code: String,
    /// The language's name in itself: `Català`, `العربية`.
    pub name: String,
    pub direction: Direction,
    /// This language, its configured fallbacks (recursively), then the default.
    pub fallback_chain: Vec<String>,
    pub title: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: Option<String>,
    default_language: String,
    #[serde(default = "default_theme")]
    theme: String,
    repo_url: Option<String>,
    edit_url: Option<String>,
    #[serde(default = "default_taxonomies")]
    taxonomies: Vec<String>,
    #[serde(default)]
    term_translations: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
    #[serde(default = "default_feed_limit")]
    feed_limit: usize,
    #[serde(default = "default_nav_window")]
    nav_window: i64,
    #[serde(default = "default_true")]
    search: bool,
    #[serde(default)]
    trusted_html: Vec<String>,
    #[serde(default)]
    root_redirects: bool,
    #[serde(default = "default_max_file_size")]
    max_file_size: u64,
    #[serde(default)]
    offline: OfflineOptions,
    #[serde(default)]
    pack: PackConfig,
    languages: toml::Table,
    #[serde(default)]
    extra: BTreeMap<String, toml::Value>,
    #[serde(default)]
    mirror: MirrorConfig,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    name: String,
    #[serde(default)]
    fallback: Vec<String>,
    direction: Option<String>,
    title: Option<String>,
    description: Option<String>,
}

fn default_theme() -> String {
    "default".into()
}
fn default_taxonomies() -> Vec<String> {
    vec!["tags".into()]
}
fn default_feed_limit() -> usize {
    20
}
fn default_nav_window() -> i64 {
    15
}
fn default_true() -> bool {
    true
}
fn default_max_file_size() -> u64 {
    16 * 1024 * 1024
}

/// Scripts written right to left, by primary language subtag.
const RTL_LANGUAGES: &[&str] =
    &["ar", "arc", "ckb", "dv", "fa", "ha-arab", "he", "khw", "ks", "ku-arab", "ps", "sd", "syr", "ug", "ur", "yi"];
const RTL_SCRIPTS: &[&str] = &["arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg"];

impl Config {
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        if !path.exists() {
            return Err(Error::input(
                &path,
                None,
                "no site.toml here",
                "run infrared in the site's folder or pass --root DIR (the folder holding site.toml and content/)",
            ));
        }
        let text = read_text(&path)?;
        Self::parse(root, &path, &text)
    }

    pub fn parse(root: &Path, path: &Path, text: &str) -> Result<Config> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of_offset(text, s.start));
            Error::input(path, line, e.message().trim(), "see README.md for the keys site.toml takes")
        })?;
        let mut languages = Vec::new();
        for (code, value) in &raw.languages {
            let lang: RawLanguage = value.clone().try_into().map_err(|e: toml::de::Error| {
                let line = backticked(e.message())
                    .and_then(|field| key_line(text, &["languages", code, field]))
                    .or_else(|| key_line(text, &["languages", code]));
                Error::input(
                    path,
                    line,
                    format!("language {code}: {}", e.message().trim()),
                    "a language takes name, fallback, direction, title and description",
                )
            })?;
            languages.push((code.clone(), lang));
        }
        build_config(root, path, text, raw, languages)
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    pub fn is_language(&self, code: &str) -> bool {
        self.language(code).is_some()
    }

    pub fn default_lang(&self) -> &Language {
        &self.languages[0]
    }

    /// Whether raw HTML under this content key is published unsanitised.
    pub fn trusts_html(&self, key: &str) -> bool {
        self.trusted_html.iter().any(|p| p.is_empty() || key == p || key.starts_with(&format!("{p}/")))
    }

    /// The path the site is served under: `/kb/` for base_url
    /// `https://x.org/kb`, `/` without one.
    pub fn site_path(&self) -> String {
        let path = self
            .base_url
            .as_deref()
            .and_then(|u| u.split_once("://"))
            .map_or("", |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
        format!("{}/", path.trim_end_matches('/'))
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }
}

fn build_config(
    root: &Path,
    path: &Path,
    text: &str,
    raw: RawConfig,
    raw_languages: Vec<(String, RawLanguage)>,
) -> Result<Config> {
    let fail = |key: &[&str], message: String, hint: &str| Error::input(path, key_line(text, key), message, hint);
    if raw_languages.is_empty() {
        return Err(fail(
            &["languages"],
            "no languages configured".into(),
            "add a [languages.en] table with name = \"English\"",
        ));
    }
    for (code, _) in &raw_languages {
        if !is_language_tag(code) {
            return Err(fail(
                &["languages", code],
                format!("\"{code}\" is not a BCP 47 language tag"),
                "use codes such as en, ca, pt-br, zh-Hant",
            ));
        }
    }
    let Some(nav_window) = usize::try_from(raw.nav_window).ok().filter(|&n| n > 0) else {
        return Err(fail(
            &["nav_window"],
            format!("nav_window = {} would list no page in a section's navigation", raw.nav_window),
            "set nav_window to 1 or more (the default is 15), or leave it out",
        ));
    };
    if !raw_languages.iter().any(|(c, _)| *c == raw.default_language) {
        return Err(fail(
            &["default_language"],
            format!("default_language \"{}\" is not among [languages]", raw.default_language),
            "add a [languages.<code>] table for it or pick one of the configured languages",
        ));
    }
    let owned_fallbacks: BTreeMap<String, Vec<String>> =
        raw_languages.iter().map(|(c, l)| (c.clone(), l.fallback.clone())).collect();
    let fallbacks: BTreeMap<&str, &[String]> =
        owned_fallbacks.iter().map(|(c, l)| (c.as_str(), l.as_slice())).collect();
    for (code, lang) in &raw_languages {
        for f in &lang.fallback {
            if !fallbacks.contains_key(f.as_str()) {
                return Err(fail(
                    &["languages", code, "fallback"],
                    format!("language {code} falls back to \"{f}\", which is not configured"),
                    "list only configured languages in fallback",
                ));
            }
        }
    }
    let mut ordered: Vec<(String, RawLanguage)> = raw_languages;
    ordered.sort_by_key(|(c, _)| *c != raw.default_language);
    let mut languages = Vec::new();
    for (code, lang) in ordered {
        let direction = match lang.direction.as_deref() {
            None => derived_direction(&code),
            Some("ltr") => Direction::Ltr,
            Some("rtl") => Direction::Rtl,
            Some(other) => {
                return Err(fail(
                    &["languages", &code, "direction"],
                    format!("direction \"{other}\" is neither \"ltr\" nor \"rtl\""),
                    "leave direction out to derive it from the language code",
                ))
            }
        };
        languages.push(Language {
            fallback_chain: fallback_chain(&code, &fallbacks, &raw.default_language),
            code,
            name: lang.name,
            direction,
            title: lang.title,
            description: lang.description,
        });
    }
    let term_translations = term_translations(path, text, &raw, &languages)?;
    Ok(Config {
        root: root.to_path_buf(),
        title: raw.title,
        description: raw.description,
        base_url: raw.base_url.map(|u| u.trim_end_matches('/').to_string()),
        default_language: raw.default_language,
        languages,
        theme: raw.theme,
        repo_url: raw.repo_url.map(|u| u.trim_end_matches('/').to_string()),
        edit_url: raw.edit_url,
        term_translations,
        taxonomies: raw.taxonomies,
        feed_limit: raw.feed_limit,
        nav_window,
        search: raw.search,
        trusted_html: raw.trusted_html.iter().map(|p| p.trim_matches('/').to_string()).collect(),
        root_redirects: raw.root_redirects,
        max_file_size: raw.max_file_size,
        offline: raw.offline,
        pack: raw.pack,
        extra: raw.extra,
        mirror: mirror_config(path, text, raw.mirror)?,
    })
}

/// Mirror URLs are links readers follow to leave this copy: absolute, http(s).
/// `[term_translations]`, each declaration checked against the taxonomies
/// and languages (the terms are checked against the pages by `Site`).
fn term_translations(path: &Path, text: &str, raw: &RawConfig, languages: &[Language]) -> Result<Vec<TermTranslation>> {
    let mut declared = Vec::new();
    for (taxonomy, terms) in &raw.term_translations {
        let at = |key: &[&str]| key_line(text, &[&["term_translations", taxonomy], key].concat());
        if !raw.taxonomies.contains(taxonomy) {
            let message = format!("\"{taxonomy}\" in [term_translations] is not a taxonomy of the site");
            let hint = "name one of `taxonomies` (default [\"tags\"]), or add it there";
            return Err(Error::input(path, at(&[]), message, hint));
        }
        for (term, translations) in terms {
            for (lang, translation) in translations {
                let line = at(&[term, lang]);
                if lang == &raw.default_language || !languages.iter().any(|l| &l.code == lang) {
                    let message = match lang == &raw.default_language {
                        true => format!("{lang} is the default language, whose terms the others' stand for"),
                        false => format!("\"{lang}\" is not a language of the site"),
                    };
                    let hint = "name a language of [languages] other than the default one";
                    return Err(Error::input(path, line, message, hint));
                }
                let twice = declared.iter().find(|d: &&TermTranslation| {
                    d.taxonomy == *taxonomy
                        && d.lang == *lang
                        && !translation.is_empty()
                        && d.translation.as_deref().is_some_and(|t| t.to_lowercase() == translation.to_lowercase())
                });
                if let Some(other) = twice {
                    let message =
                        format!("\"{translation}\" ({lang}) is declared for both \"{}\" and \"{term}\"", other.term);
                    let hint = "a term stands for one term of the default language: keep one of the two";
                    return Err(Error::input(path, line, message, hint));
                }
                declared.push(TermTranslation {
                    taxonomy: taxonomy.clone(),
                    term: term.clone(),
                    lang: lang.clone(),
                    translation: Some(translation.clone()).filter(|t| !t.is_empty()),
                    line,
                });
            }
        }
    }
    Ok(declared)
}

fn mirror_config(path: &Path, text: &str, mut mirror: MirrorConfig) -> Result<MirrorConfig> {
    for (i, site) in mirror.sites.iter_mut().enumerate() {
        let url = site.url.trim().trim_end_matches('/');
        if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(['"', '<', '>', ' ']) {
            return Err(Error::input(
                path,
                key_line(text, &["mirror", "sites", &i.to_string(), "url"]),
                format!("mirror \"{}\": \"{}\" is not an http(s):// URL", site.name, site.url),
                "give each [[mirror.sites]] the absolute URL of the site's root on that mirror",
            ));
        }
        site.url = url.to_string();
    }
    Ok(mirror)
}

/// Depth-first through the configured fallbacks, each language once, ending
/// with the default language: `pt-br → pt → es → en`.
fn fallback_chain(code: &str, fallbacks: &BTreeMap<&str, &[String]>, default: &str) -> Vec<String> {
    fn visit(code: &str, fallbacks: &BTreeMap<&str, &[String]>, chain: &mut Vec<String>) {
        if chain.iter().any(|c| c == code) {
            return;
        }
        chain.push(code.to_string());
        for next in fallbacks.get(code).copied().unwrap_or_default() {
            visit(next, fallbacks, chain);
        }
    }
    let mut chain = Vec::new();
    visit(code, fallbacks, &mut chain);
    if !chain.iter().any(|c| c == default) {
        chain.push(default.to_string());
    }
    chain
}

pub fn derived_direction(code: &str) -> Direction {
    let lower = code.to_ascii_lowercase();
    let mut subtags = lower.split('-');
    let primary = subtags.next().unwrap_or_default();
    let script_rtl = lower.split('-').skip(1).any(|s| RTL_SCRIPTS.contains(&s));
    let script_ltr = lower.split('-').skip(1).any(|s| s.len() == 4 && !RTL_SCRIPTS.contains(&s));
    if script_rtl || (RTL_LANGUAGES.contains(&primary) && !script_ltr) {
        Direction::Rtl
    } else {
        Direction::Ltr
    }
}

/// A BCP 47 tag as people write them: `en`, `pt-br`, `zh-Hant`, `sr-Latn-RS`.
pub fn is_language_tag(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// 1-based line of a key in a TOML text, from the parser's own positions:
/// `["languages", "pt-BR", "fallback"]` is found however it is written
/// (`[languages."pt-BR"]`, dotted keys, inline tables); a number indexes an
/// array of tables (`["mirror", "sites", "1", "url"]`). The deepest key of
/// the path that exists, if not all do.
fn key_line(text: &str, path: &[&str]) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let mut value: &DeValue = &DeValue::Table(root.into_inner());
    let mut found = None;
    for key in path {
        let next = match value {
            DeValue::Table(table) => table.iter().find(|(k, _)| k.get_ref() == key).map(|(k, v)| (k.span().start, v)),
            DeValue::Array(array) => key.parse::<usize>().ok().and_then(|i| array.get(i)).map(|v| (v.span().start, v)),
            _ => None,
        };
        let Some((start, next)) = next else { break };
        found = Some(line_of_offset(text, start));
        value = next.get_ref();
    }
    found
}

/// The first `quoted` name in a serde message (``unknown field `nmae` ``).
fn backticked(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(&message[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(Path::new("."), Path::new("site.toml"), text)
    }

    const SITE: &str = r#"
title = "T"
default_language = "en"
[languages.ca]
name = "Català"
fallback = ["es"]
[languages.en]
name = "English"
[languages.es]
name = "Español"
[languages.ar]
name = "العربية"
[languages.pt-br]
name = "Português do Brasil"
fallback = ["pt"]
[languages.pt]
name = "Português"
fallback = ["es"]
"#;

    #[test]
    fn default_language_comes_first_and_others_keep_their_order() {
        let config = parse(SITE).unwrap();
        let codes: Vec<_> = config.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["en", "ca", "es", "ar", "pt-br", "pt"]);
    }

    #[test]
    fn fallback_chains_are_followed_to_the_default() {
        let config = parse(SITE).unwrap();
        assert_eq!(config.language("pt-br").unwrap().fallback_chain, ["pt-br", "pt", "es", "en"]);
        assert_eq!(config.language("ca").unwrap().fallback_chain, ["ca", "es", "en"]);
        assert_eq!(config.language("en").unwrap().fallback_chain, ["en"]);
    }

    #[test]
    fn direction_is_derived_from_language_and_script() {
        assert_eq!(derived_direction("ar"), Direction::Rtl);
        assert_eq!(derived_direction("fa-IR"), Direction::Rtl);
        assert_eq!(derived_direction("az-Arab"), Direction::Rtl);
        assert_eq!(derived_direction("ku-Latn"), Direction::Ltr);
        assert_eq!(derived_direction("ca"), Direction::Ltr);
    }

    #[test]
    fn unknown_key_names_its_line() {
        let err = parse("title = \"T\"\ndefault_language = \"en\"\ntheem = \"x\"\n[languages.en]\nname = \"E\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("site.toml:3"), "{err}");
        assert!(err.contains("theem"), "{err}");
    }

    #[test]
    fn offline_outputs_are_on_unless_turned_off() {
        let base = "title = \"T\"\ndefault_language = \"en\"\n[languages.en]\nname = \"E\"\n";
        assert_eq!(parse(base).unwrap().offline, OfflineOptions::default());
        let off = parse(&format!("{base}[offline]\nbundles = false\n")).unwrap();
        assert!(!off.offline.bundles && off.offline.service_worker && off.offline.packs);
        let err = parse(&format!("{base}[offline]\nbundle = false\n")).unwrap_err().to_string();
        assert!(err.contains("site.toml:") && err.contains("bundle"), "{err}");
    }

    #[test]
    fn nav_window_defaults_to_fifteen_and_must_show_a_page() {
        let base = "title = \"T\"\ndefault_language = \"en\"\n";
        let languages = "[languages.en]\nname = \"E\"\n";
        assert_eq!(parse(&format!("{base}{languages}")).unwrap().nav_window, 15);
        assert_eq!(parse(&format!("{base}nav_window = 7\n{languages}")).unwrap().nav_window, 7);
        let err = parse(&format!("{base}nav_window = 0\n{languages}")).unwrap_err().to_string();
        assert!(err.contains("site.toml:3") && err.contains("nav_window"), "{err}");
        let err = parse(&format!("{base}nav_window = -2\n{languages}")).unwrap_err().to_string();
        assert!(err.contains("site.toml:3") && err.contains("nav_window"), "{err}");
    }

    #[test]
    fn keys_are_found_however_they_are_written() {
        let text = "title = \"T\"\n[languages.\"pt-BR\"]\nname = \"P\"\n\n[languages]\n'zh-Hant'.name = \"Z\"\nen = { name = \"E\",\n  direction = \"x\" }\n[[mirror.sites]]\nurl = \"a\"\n[[mirror.sites]]\nurl = \"b\"\n";
        assert_eq!(key_line(text, &["languages", "pt-BR"]), Some(2));
        assert_eq!(key_line(text, &["languages", "pt-BR", "name"]), Some(3));
        assert_eq!(key_line(text, &["languages", "zh-Hant", "name"]), Some(6));
        assert_eq!(key_line(text, &["languages", "en", "direction"]), Some(8));
        assert_eq!(key_line(text, &["mirror", "sites", "1", "url"]), Some(12));
        assert_eq!(key_line(text, &["nav_window"]), None);
    }

    #[test]
    fn fallback_to_unconfigured_language_is_an_error() {
        let err = parse("title = \"T\"\ndefault_language = \"en\"\n[languages.en]\nname = \"E\"\n[languages.ca]\nname = \"C\"\nfallback = [\"oc\"]\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("site.toml:7") && err.contains("\"oc\""), "at the fallback line: {err}");
    }

    #[test]
    fn language_tags_as_written() {
        assert!(is_language_tag("zh-Hant"));
        assert!(is_language_tag("pt-br"));
        assert!(!is_language_tag("english"));
        assert!(!is_language_tag("e"));
    }
}
