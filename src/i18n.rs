//! UI strings: `i18n/<lang>.ftl` (Fluent, with CLDR plural rules) →
//! [`I18n::t`], following each language's fallback chain key by key.
//!
//! The default theme's strings are embedded in the binary; a site's own
//! `i18n/` files override them key by key and may add languages.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use unic_langid::LanguageIdentifier;

use crate::config::{derived_direction, Config, Direction};
use crate::embedded;
use crate::error::{line_of_offset, read_text, Error, Result};

/// UI strings the code uses itself (templates use the others through `t()`):
/// `infrared check` counts them as used.
pub const CODE_KEYS: &[&str] = &[
    "alert-note",
    "alert-tip",
    "alert-important",
    "alert-warning",
    "alert-caution",
    "facilitator-notes",
    "redirecting",
    "search-results",
    "not-translated",
    "offline-outside",
    "offline-download",
    "pack-made-from",
    "pack-outside",
    "pack-shown-in",
    "pack-total",
    "pack-modules-add-up",
    "pack-download-facilitators",
    "pack-download-participants",
    "duration-minutes",
    "duration-hours",
    "duration-hours-minutes",
    "pack-agenda",
    "pack-audience",
    "pack-contents",
    "pack-duration",
    "pack-materials",
    "pack-no-duration",
    "pack-objectives",
    "pack-participants",
];

pub struct I18n {
    bundles: BTreeMap<String, FluentBundle<FluentResource>>,
    chains: BTreeMap<String, Vec<String>>,
    keys: BTreeMap<String, BTreeSet<String>>,
    directions: BTreeMap<String, Direction>,
    /// Languages some of whose UI strings come from another language.
    foreign: BTreeSet<String>,
}

impl I18n {
    pub fn load(config: &Config) -> Result<I18n> {
        let mut i18n = I18n {
            bundles: BTreeMap::new(),
            chains: BTreeMap::new(),
            keys: BTreeMap::new(),
            directions: BTreeMap::new(),
            foreign: BTreeSet::new(),
        };
        for lang in &config.languages {
            i18n.chains.insert(lang.code.clone(), lang.fallback_chain.clone());
            i18n.directions.insert(lang.code.clone(), lang.direction);
        }
        let site_dir = config.root.join("i18n");
        let mut sources: BTreeMap<String, Vec<(PathBuf, String)>> = BTreeMap::new();
        for (name, bytes) in embedded::I18N {
            if let Some(code) = name.strip_suffix(".ftl") {
                let text = String::from_utf8_lossy(bytes).into_owned();
                sources.entry(code.to_string()).or_default().push((PathBuf::from("(built-in) i18n").join(name), text));
            }
        }
        if site_dir.is_dir() {
            for entry in std::fs::read_dir(&site_dir).map_err(|e| Error::io(&site_dir, e))? {
                let path = entry.map_err(|e| Error::io(&site_dir, e))?.path();
                let Some(code) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".ftl")) else {
                    continue;
                };
                let text = read_text(&path)?;
                sources.entry(code.to_string()).or_default().push((path.clone(), text));
            }
        }
        for (code, files) in sources {
            i18n.add_language(&code, files)?;
        }
        let every_key: BTreeSet<&String> = i18n.keys.values().flatten().collect();
        i18n.foreign = config
            .languages
            .iter()
            .filter(|l| every_key.iter().any(|key| i18n.language_of(&l.code, key).is_some_and(|from| from != l.code)))
            .map(|l| l.code.clone())
            .collect();
        Ok(i18n)
    }

    fn add_language(&mut self, code: &str, files: Vec<(PathBuf, String)>) -> Result<()> {
        let locale: LanguageIdentifier = code.parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![locale]);
        // Bidi isolation marks around placeables matter where the sentence runs
        // right to left and names or numbers run left to right; elsewhere they
        // are noise in titles, attributes and search text.
        bundle.set_use_isolating(derived_direction(code) == Direction::Rtl);
        let keys = self.keys.entry(code.to_string()).or_default();
        for (path, text) in files {
            let resource = parse_resource(&path, text)?;
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    keys.insert(m.id.name.to_string());
                }
            }
            bundle.add_resource_overriding(resource);
        }
        self.bundles.insert(code.to_string(), bundle);
        Ok(())
    }

    /// The language whose string `t(lang, key)` shows: `lang`, or the
    /// first language of its fallback chain that has `key`.
    pub fn language_of(&self, lang: &str, key: &str) -> Option<&str> {
        self.find(lang, key).map(|(code, _, _)| code)
    }

    /// Whether some UI string of `lang` comes from another language (one
    /// without its own file, or one missing keys).
    pub fn takes_foreign_strings(&self, lang: &str) -> bool {
        self.foreign.contains(lang)
    }

    /// The attributes an element showing `t(lang, key)` needs inside an
    /// element in `lang`: none when the string is in `lang`, else ` lang="…"`
    /// and, if the direction differs, ` dir="…"`.
    pub fn marking(&self, lang: &str, key: &str) -> String {
        self.marking_between(self.language_of(lang, key).unwrap_or(lang), lang, "")
    }

    /// The attributes (names starting with `prefix`) for text in `source`
    /// inside an element in `around`: nothing when they are the same.
    pub fn marking_between(&self, source: &str, around: &str, prefix: &str) -> String {
        if source == around {
            return String::new();
        }
        let dir = self.direction(source);
        if dir == self.direction(around) {
            format!(" {prefix}lang=\"{source}\"")
        } else {
            format!(" {prefix}lang=\"{source}\" {prefix}dir=\"{}\"", dir.as_str())
        }
    }

    fn direction(&self, code: &str) -> Direction {
        self.directions.get(code).copied().unwrap_or_else(|| derived_direction(code))
    }

    fn find(&self, lang: &str, key: &str) -> Option<(&str, &FluentBundle<FluentResource>, &ast::Pattern<&str>)> {
        // A language outside the configuration is its own chain.
        let chain: &[String] = self.chains.get(lang).map_or(&[], |c| &c[..]);
        let own = chain.is_empty().then_some(lang);
        own.into_iter().chain(chain.iter().map(String::as_str)).chain(std::iter::once("en")).find_map(|code| {
            let (code, bundle) = self.bundles.get_key_value(code)?;
            let pattern = bundle.get_message(key).and_then(|m| m.value())?;
            Some((code.as_str(), bundle, pattern))
        })
    }

    /// The string for `key` in `lang`, or in the first language of its
    /// fallback chain that has it; the key itself when none does.
    pub fn t(&self, lang: &str, key: &str, args: Option<&FluentArgs>) -> String {
        if let Some((code, bundle, pattern)) = self.find(lang, key) {
            let mut errors = Vec::new();
            if let (Some(args), true) = (args, ARABIC_PLURALS.contains(&code)) {
                let pattern = with_arabic_plurals(pattern, args);
                return bundle.format_pattern(&pattern, Some(args), &mut errors).into_owned();
            }
            return bundle.format_pattern(pattern, args, &mut errors).into_owned();
        }
        key.to_string()
    }

    /// `t` with one numeric argument (for plurals).
    pub fn t_count(&self, lang: &str, key: &str, name: &str, count: i64) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(count));
        self.t(lang, key, Some(&args))
    }

    /// Keys defined for `lang` (its own files only, not the fallbacks).
    pub fn keys(&self, lang: &str) -> Option<&BTreeSet<String>> {
        self.keys.get(lang)
    }
}

/// Languages whose plural rules intl_pluralrules 7 gets wrong: for Arabic it
/// compares the whole number with 3..10 ("few") and 11..99 ("many") where
/// CLDR compares the number modulo 100, so 103 pages came out as "other".
/// Their plural variants are chosen here instead.
const ARABIC_PLURALS: &[&str] = &["ar", "ars"];

/// CLDR's cardinal category for Arabic, for a whole number.
fn arabic_category(n: u64) -> &'static str {
    match (n, n % 100) {
        (0, _) => "zero",
        (1, _) => "one",
        (2, _) => "two",
        (_, 3..=10) => "few",
        (_, 11..=99) => "many",
        _ => "other",
    }
}

/// `pattern` with each plural choice on a whole-number argument replaced by
/// the variant CLDR's Arabic rules choose (an exact `[5]` variant first).
fn with_arabic_plurals<'p>(pattern: &ast::Pattern<&'p str>, args: &FluentArgs) -> ast::Pattern<&'p str> {
    let mut elements = Vec::with_capacity(pattern.elements.len());
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable {
            expression: ast::Expression::Select { selector: ast::InlineExpression::VariableReference { id }, variants },
        } = element
        {
            let whole = match args.get(id.name) {
                Some(FluentValue::Number(number)) if number.value >= 0.0 && number.value.fract() == 0.0 => {
                    Some(number.value as u64)
                }
                _ => None,
            };
            if let Some(n) = whole {
                let category = arabic_category(n);
                let exact = variants.iter().find(
                    |v| matches!(&v.key, ast::VariantKey::NumberLiteral { value } if value.parse::<u64>() == Ok(n)),
                );
                let named = variants
                    .iter()
                    .find(|v| matches!(&v.key, ast::VariantKey::Identifier { name } if *name == category));
                let chosen = exact.or(named).or_else(|| variants.iter().find(|v| v.default));
                if let Some(variant) = chosen {
                    elements.extend(with_arabic_plurals(&variant.value, args).elements);
                    continue;
                }
            }
        }
        elements.push(element.clone());
    }
    ast::Pattern { elements }
}

fn parse_resource(path: &Path, text: String) -> Result<FluentResource> {
    FluentResource::try_new(text.clone()).map_err(|(_, errors)| {
        let first = &errors[0];
        Error::input(
            path,
            Some(line_of_offset(&text, first.pos.start)),
            format!("Fluent syntax: {:?}", first.kind),
            "see https://projectfluent.org/fluent/guide/ for the syntax",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i18n(extra_lang: &str) -> I18n {
        let config = Config::parse(
            Path::new("/nonexistent"),
            Path::new("site.toml"),
            &format!("title = \"t\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\n{extra_lang}"),
        )
        .unwrap();
        I18n::load(&config).unwrap()
    }

    #[test]
    fn english_plurals() {
        let i = i18n("");
        assert_eq!(i.t_count("en", "pages-count", "count", 1).replace(['\u{2068}', '\u{2069}'], ""), "1 page");
        assert_eq!(i.t_count("en", "pages-count", "count", 3).replace(['\u{2068}', '\u{2069}'], ""), "3 pages");
    }

    /// CLDR's Arabic rules look at the number modulo 100: 103 is "few",
    /// 111 "many", 100 and 102 "other".
    #[test]
    fn arabic_plurals_follow_cldr_past_a_hundred() {
        let i = i18n("");
        let page = |n| i.t_count("ar", "pages-count", "count", n).replace(['\u{2068}', '\u{2069}'], "");
        assert_eq!(page(0), "لا توجد صفحات");
        assert_eq!(page(1), "صفحة واحدة");
        assert_eq!(page(2), "صفحتان");
        for few in [3, 10, 103, 1005] {
            assert_eq!(page(few), format!("{few} صفحات"), "{few}");
        }
        for many in [11, 99, 111, 1099] {
            assert_eq!(page(many), format!("{many} صفحةً"), "{many}");
        }
        for other in [100, 102, 1000] {
            assert_eq!(page(other), format!("{other} صفحة"), "{other}");
        }
    }

    /// The section navigation's counts of pages left out, in every plural form.
    #[test]
    fn section_nav_counts_use_plural_forms() {
        let i = i18n("[languages.fr]\nname = \"Français\"\n");
        let t = |lang, key, n| i.t_count(lang, key, "count", n).replace(['\u{2068}', '\u{2069}'], "");
        assert_eq!(t("en", "section-nav-before", 1), "1 earlier page");
        assert_eq!(t("en", "section-nav-after", 7), "7 later pages");
        assert_eq!(t("en", "section-nav-all", 312), "All 312 pages in this section");
        assert_eq!(t("fr", "section-nav-after", 1), "1 page suivante");
        assert_eq!(t("fr", "section-nav-all", 40), "Les 40 pages de cette rubrique");
        assert_eq!(t("ar", "section-nav-before", 2), "صفحتان سابقتان");
        assert_eq!(t("ar", "section-nav-after", 5), "5 صفحات لاحقة");
        assert_eq!(t("ar", "section-nav-all", 312), "جميع صفحات هذا القسم (312 صفحةً)");
        assert_eq!(t("ar", "section-nav-all", 100), "جميع صفحات هذا القسم (100 صفحة)");
    }

    /// Every `.t(lang, "key", …)` of the code is listed in CODE_KEYS, so
    /// `infrared check` never calls a string the code uses unused.
    #[test]
    fn code_keys_list_every_key_the_code_uses() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut used = BTreeSet::new();
        let mut code = String::new();
        for entry in walkdir::WalkDir::new(&src).into_iter().map(|e| e.unwrap()).filter(|e| e.file_type().is_file()) {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let text = text.split("#[cfg(test)]").next().unwrap();
            if entry.path() != src.join("i18n.rs") {
                code.push_str(text);
            }
            for call in text.split(".t(").skip(1).chain(text.split("t_count(").skip(1)) {
                let args = call.split(')').next().unwrap_or_default();
                // The key is the second argument, when it is written out (or
                // the only one, for helpers that know their language).
                let mut written = args.split(',').map(str::trim);
                let key = match (written.next(), written.next()) {
                    (Some(only), None) => only.strip_prefix('"'),
                    (_, second) => second.and_then(|k| k.strip_prefix('"')),
                };
                if let Some(key) = key {
                    used.insert(key.trim_end_matches('"').to_string());
                }
            }
            // Helpers taking the key first, as a literal.
            for call in text.split("plural_patterns(").skip(1).chain(text.split("duration_sentence(").skip(1)) {
                if let Some(key) = call.split(')').next().and_then(|a| a.split('"').nth(1)) {
                    used.insert(key.to_string());
                }
            }
        }
        let listed: BTreeSet<String> = CODE_KEYS.iter().map(|k| k.to_string()).collect();
        let unlisted: Vec<_> = used.difference(&listed).collect();
        assert!(unlisted.is_empty(), "keys the code calls but CODE_KEYS lacks: {unlisted:?}");
        // Some keys are chosen at run time (a download's label, a duration's
        // form): each listed key must at least be written in the code.
        let stale: Vec<_> = listed.iter().filter(|k| !code.contains(&format!("\"{k}\""))).collect();
        assert!(stale.is_empty(), "CODE_KEYS lists keys the code never names: {stale:?}");
    }

    #[test]
    fn unknown_key_and_language_fall_back() {
        let i = i18n("[languages.oc]\nname = \"Occitan\"\n");
        assert_eq!(i.t("oc", "skip-to-content", None), "Skip to content");
        assert_eq!(i.t("en", "no-such-key", None), "no-such-key");
    }
}
