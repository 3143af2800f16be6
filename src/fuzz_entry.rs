//! Entry points for fuzzing (`fuzz/`, run by `scripts/fuzz`) and for the
//! regression tests that keep every input fuzzing ever found
//! (`tests/fuzz_regressions.rs`): each takes arbitrary bytes and must
//! neither panic nor let a script through.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use infrared_analyzer::{Analyzer, Token};
use tantivy::Index;

use crate::config::Config;
use crate::content::{self, Corpus};
use crate::freshness::Freshness;
use crate::highlight::Highlighter;
use crate::i18n::I18n;
use crate::search::{self, SearchDoc};
use crate::site::Site;
use crate::templates::{Renderer, Theme};

/// Front matter as the site reads it (split and every field checked), as
/// history reads it (`freshness`), and as `infrared translate` rewrites it.
pub fn front_matter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let taxonomies = ["tags".to_string(), "categories".to_string()];
    match crate::front_matter::split_all(text, &taxonomies) {
        Ok(split) => {
            assert!(text.ends_with(split.body), "the body is not the end of the file");
            assert!(split.body_line >= 1 && split.body_line <= line_count(text), "body line {}", split.body_line);
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "an error without a problem");
            assert!(errors.windows(2).all(|w| w[0].line <= w[1].line), "errors not sorted by line: {errors:?}");
            for e in &errors {
                assert!(
                    e.line >= 1 && e.line <= line_count(text),
                    "error names line {} of {}",
                    e.line,
                    line_count(text)
                );
            }
        }
    }
    let _ = crate::freshness::source_hash_of_text(text);
    let _ = crate::translate::set_stamp(&crate::translate::set_draft(text), "0123456789abcdef");
}

/// Lines of `text` as an editor numbers them (an empty last line counts).
fn line_count(text: &str) -> usize {
    text.split('\n').count()
}

/// The site the markdown target writes its input into, as
/// `content/guides/fuzzed.md`: real pages, headings, bundle and static
/// files and languages for its links to resolve against.
const FUZZ_SITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/site");
const FUZZED_PAGE: &str = "guides/fuzzed";

struct FuzzSite {
    config: Config,
    corpus: Corpus,
    i18n: Arc<I18n>,
    theme: Theme,
    highlighter: Highlighter,
    /// Rayon on the fuzzing thread alone, so runs are repeatable and the
    /// coverage libFuzzer sees is the input's, not the scheduler's.
    _one_thread: rayon::ThreadPool,
}

impl FuzzSite {
    fn load() -> FuzzSite {
        let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).use_current_thread().build();
        let config = Config::load(Path::new(FUZZ_SITE)).expect("fuzz/site/site.toml loads");
        let corpus = content::load(&config, true).expect("fuzz/site/content loads");
        let i18n = Arc::new(I18n::load(&config).expect("the built-in translations load"));
        let theme = Theme::load(&config, i18n.clone()).expect("the default theme loads");
        let highlighter = Highlighter::new();
        FuzzSite { config, corpus, i18n, theme, highlighter, _one_thread: one_thread.expect("a rayon pool builds") }
    }

    /// The site with `text` as the fuzzed page's file, built as `build`
    /// builds it (`None` when the file is refused, as a build would).
    fn with_page(&self, text: &str) -> Option<Site> {
        let mut corpus = self.corpus.clone();
        let node = corpus.nodes.iter_mut().find(|n| n.key == FUZZED_PAGE).expect("fuzz/site has the fuzzed page");
        let page =
            Arc::make_mut(node).versions.get_mut(&self.config.default_language).expect("in the default language");
        *page = Arc::new(content::source_from_text(&self.config, &page.path, &page.rel_path, &page.lang, text).ok()?);
        Site::new(self.config.clone(), corpus, &self.i18n, &self.highlighter).ok()
    }

    /// The page's final HTML: links filled in, raw HTML sanitised.
    fn page_html(&self, site: &Site) -> String {
        let renderer = Renderer {
            site,
            theme: &self.theme,
            i18n: &self.i18n,
            offline: false,
            assets: &BTreeMap::new(),
            freshness: &Freshness::default(),
            scope: None,
            downloads: None,
        };
        let index = site.index_of(FUZZED_PAGE).expect("the fuzzed page is in the site");
        renderer.content_html(index, &self.config.default_language)
    }
}

/// The Markdown pipeline of a build: front matter, Markdown, link resolution
/// against a real site, link checks, sanitising. Whatever the input, the
/// HTML a reader gets runs nothing.
pub fn markdown(data: &[u8]) {
    thread_local! {
        static SITE: FuzzSite = FuzzSite::load();
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    SITE.with(|fuzz_site| {
        let Some(site) = fuzz_site.with_page(text) else { return };
        let html = fuzz_site.page_html(&site);
        assert_runs_nothing(&html);
        let index = site.index_of(FUZZED_PAGE).expect("the fuzzed page is in the site");
        let (_, rendered) = site.version(index, &fuzz_site.config.default_language);
        if !rendered.needs_sanitizer() {
            assert!(!sanitiser_removes_something(&html), "HTML that skipped the sanitiser needed it: {html}");
        }
    });
}

/// The site at `root` read and rendered as `build` does, every version's
/// content checked: how many versions skip the sanitiser, how many there
/// are, and the versions (`path [lang]`) that skipped it though it would
/// have removed something (there must be none).
pub fn sanitiser_skips(root: &Path) -> (usize, usize, Vec<String>) {
    let config = Config::load(root).expect("site.toml loads");
    let corpus = content::load(&config, true).expect("content loads");
    let i18n = Arc::new(I18n::load(&config).expect("translations load"));
    let theme = Theme::load(&config, i18n.clone()).expect("the theme loads");
    let highlighter = Highlighter::new();
    let site = Site::new(config, corpus, &i18n, &highlighter).expect("the site renders");
    let renderer = Renderer {
        site: &site,
        theme: &theme,
        i18n: &i18n,
        offline: false,
        assets: &BTreeMap::new(),
        freshness: &Freshness::default(),
        scope: None,
        downloads: None,
    };
    let (mut skipped, mut total, mut wrong) = (0, 0, Vec::new());
    for index in 0..site.nodes.len() {
        for (lang, source) in &site.node(index).versions {
            total += 1;
            if site.rendered[index][lang].needs_sanitizer() {
                continue;
            }
            skipped += 1;
            if sanitiser_removes_something(&renderer.content_html(index, lang)) {
                wrong.push(format!("{} [{lang}]", source.rel_path));
            }
        }
    }
    (skipped, total, wrong)
}

/// Whether the sanitiser takes anything out of `html`: its output compared
/// with that of one allowing every element, attribute and URL scheme `html`
/// holds (the two parse and serialise alike, so they differ only in what
/// was removed). Pages whose HTML does not need the sanitiser skip it
/// (`Rendered::needs_sanitizer`); tests and the fuzz target check with this
/// that it would indeed have changed nothing.
pub fn sanitiser_removes_something(html: &str) -> bool {
    let found = start_tags(html);
    let schemes: Vec<String> = found
        .iter()
        .flat_map(|(_, attributes)| attributes)
        .filter(|(name, _)| URL_ATTRIBUTES.contains(&name.as_str()))
        .filter_map(|(_, value)| ammonia::Url::parse(&decode_attribute(value)).ok())
        .map(|url| url.scheme().to_string())
        .collect();
    let mut everything = ammonia::Builder::empty();
    everything
        .tags(found.iter().map(|(name, _)| name.as_str()).collect())
        .generic_attributes(found.iter().flat_map(|(_, a)| a).map(|(name, _)| name.as_str()).collect())
        .url_schemes(schemes.iter().map(String::as_str).collect())
        .link_rel(None)
        .strip_comments(false)
        .clean_content_tags(Default::default());
    crate::sanitize::clean(html) != everything.clean(html).to_string()
}

/// Elements that run code, load documents or restyle the page.
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "meta",
    "base",
    "link",
    "svg",
    "math",
    "template",
    "noscript",
    "xmp",
    "plaintext",
    "noembed",
    "noframes",
    "portal",
];
/// Attributes whose value a browser reads as a URL.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "poster",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "cite",
    "background",
    "srcset",
    "longdesc",
    "usemap",
    "ping",
    "manifest",
    "codebase",
    "dynsrc",
    "lowsrc",
];

/// Panics when sanitised HTML could run code: a forbidden element, an event
/// handler, style or `srcdoc`, or a URL whose scheme runs code — judged the
/// way a browser parses it, independently of `sanitize`'s own checks.
fn assert_runs_nothing(html: &str) {
    for (name, attributes) in start_tags(html) {
        assert!(!FORBIDDEN_ELEMENTS.contains(&name.as_str()), "<{name}> survived sanitising: {html}");
        for (attribute, value) in attributes {
            let active = attribute.starts_with("on") || matches!(attribute.as_str(), "style" | "srcdoc" | "http-equiv");
            assert!(!active, "{attribute} on <{name}> survived sanitising: {html}");
            if URL_ATTRIBUTES.contains(&attribute.as_str()) {
                let url = decode_attribute(&value);
                assert!(!runs_code(&url), "<{name} {attribute}=\"{url}\"> survived sanitising: {html}");
            }
        }
    }
}

/// Start tags of serialised HTML, names lowercased, with their attributes
/// (values still escaped). The sanitiser's serialiser, like the Markdown
/// renderer, escapes `<` in text and quotes every value, so a plain scan
/// finds exactly the tags (unquoted values are read too, so that any input
/// is scanned to its end).
fn start_tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let name_end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = &rest[name_end..];
        if name.is_empty() || name.starts_with('!') {
            continue;
        }
        let mut attributes = Vec::new();
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if rest.is_empty() || rest.starts_with('>') {
                break;
            }
            let attribute_end = rest.find(|c: char| c.is_whitespace() || c == '=' || c == '>').unwrap_or(rest.len());
            let attribute = rest[..attribute_end].to_ascii_lowercase();
            rest = &rest[attribute_end..];
            let mut value = "";
            if let Some(after) = rest.strip_prefix('=') {
                (value, rest) = attribute_value(after);
            }
            attributes.push((attribute, value.to_string()));
        }
        tags.push((name, attributes));
    }
    tags
}

/// An attribute's value after its `=` (double-quoted, single-quoted or
/// bare), and the text after it.
fn attribute_value(after: &str) -> (&str, &str) {
    match after.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let inside = &after[1..];
            let end = inside.find(quote).unwrap_or(inside.len());
            (&inside[..end], inside.get(end + 1..).unwrap_or(""))
        }
        _ => {
            let end = after.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(after.len());
            after.split_at(end)
        }
    }
}

/// An attribute value as the browser reads it: character references decoded.
fn decode_attribute(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let reference = rest.find(';').map(|end| (&rest[1..end], end + 1));
        let decoded = reference.and_then(|(name, len)| decode_reference(name).map(|c| (c, len)));
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_reference(name: &str) -> Option<char> {
    let number = |digits: &str, radix| u32::from_str_radix(digits, radix).ok().and_then(char::from_u32);
    match name {
        "amp" => Some('&'),
        "quot" => Some('"'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "nbsp" => Some('\u{a0}'),
        "Tab" => Some('\t'),
        "NewLine" => Some('\n'),
        "colon" => Some(':'),
        _ => match name.strip_prefix('#')? {
            hex if hex.starts_with(['x', 'X']) => number(&hex[1..], 16),
            decimal => number(decimal, 10),
        },
    }
}

/// Whether a browser would run (or open as a document) this URL, parsing
/// its scheme as the URL standard does: leading and trailing controls and
/// spaces dropped, tabs and newlines anywhere ignored, case folded.
fn runs_code(url: &str) -> bool {
    let url: String =
        url.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let Some((scheme, _)) = url.split_once(':') else { return false };
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    is_scheme && matches!(scheme.to_ascii_lowercase().as_str(), "javascript" | "vbscript" | "data")
}

/// Languages the search target reads queries in: stemmed with elision,
/// stemmed, Arabic, CJK bigrams.
const SEARCH_LANGUAGES: &[&str] = &["ca", "en", "ar", "zh"];
/// Languages it also runs the query in (the costly part): words and phrases
/// of one word each, bigram phrases from one CJK word.
const SEARCHED_LANGUAGES: &[&str] = &["ca", "zh"];
/// What the search target searches: a little of every script it reads.
const SEARCH_DOCS: &[(&str, &str)] = &[
    (
        "Mirroring with rsync",
        "Run rsync to pull the mirror servers: rsync -a public/ mirror:/srv/www/. Mirrors are cheap.",
    ),
    (
        "L'antena de la xarxa",
        "Cal connectar l'antena d'energia solar a la xarxa del col·lectiu. Informação e aplicação.",
    ),
    ("光纤网络", "光纤网络连接各个社区。 الشبكة المحلية تربط المجتمعات، والمرآة تنسخ الموقع."),
];

fn search_index(lang: &str) -> Index {
    let docs: Vec<SearchDoc> = SEARCH_DOCS
        .iter()
        .enumerate()
        .map(|(i, (title, body))| SearchDoc {
            url: format!("{i}/"),
            title: title.to_string(),
            summary: String::new(),
            body: body.to_string(),
        })
        .collect();
    search::index_in_memory(lang, &docs).expect("an index in memory builds")
}

/// The search query parser and analyzer, in a few languages' rules: a query
/// is parsed and run against a small index (phrases, snippets), and the
/// input, read as a page's text, must give tokens that fit in it.
pub fn search_query(data: &[u8]) {
    thread_local! {
        static INDEXES: BTreeMap<&'static str, Index> =
            SEARCHED_LANGUAGES.iter().map(|lang| (*lang, search_index(lang))).collect();
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    for lang in SEARCH_LANGUAGES {
        assert_tokens_fit(text, &Analyzer::for_language(lang).analyze_for_index(text));
        for terms in search::query::query_terms(lang, text) {
            assert!(!terms.is_empty() && terms.iter().all(|t| !t.is_empty()), "empty term from {text:?}");
        }
    }
    for lang in SEARCHED_LANGUAGES {
        let results = INDEXES.with(|indexes| search::query::search(&indexes[lang], lang, text, 2));
        let results = results.unwrap_or_else(|e| panic!("searching {text:?} in {lang}: {e}"));
        assert!(results.hits.len() <= 2, "more hits than asked for");
    }
}

/// Tokens name non-empty terms, at char boundaries of the text they came
/// from, in order: the index stores these offsets and snippets cut the text there.
fn assert_tokens_fit(text: &str, tokens: &[Token]) {
    let mut position = 0;
    for token in tokens {
        assert!(!token.term.is_empty(), "an empty term in {text:?}");
        assert!(token.start < token.end && token.end <= text.len(), "token {token:?} outside {text:?}");
        assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end), "token {token:?} cuts a char");
        assert!(token.position >= position, "token {token:?} goes back in {text:?}");
        position = token.position;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fuzzed_page_links_into_the_fuzz_site() {
        let fuzz_site = FuzzSite::load();
        let text =
            "+++\ntitle = \"T\"\n+++\n[o](other.md#second-heading) [l](/img/logo.svg) ![d](bundle/diagram.svg)\n";
        let site = fuzz_site.with_page(text).unwrap();
        let links = r#"<a href="../altre/#second-heading">o</a> <a href="../../../img/logo.svg">l</a> <img src="../bundle/diagram.svg" alt="d">"#;
        assert_eq!(fuzz_site.page_html(&site), format!("<p>{links}</p>\n"));
        assert!(fuzz_site.with_page("+++\nweight = \"heavy\"\n+++\n").is_none(), "a refused file builds nothing");
    }

    #[test]
    fn urls_that_run_code_are_recognised_as_a_browser_reads_them() {
        assert!(runs_code(&decode_attribute(" \u{1}JaVa&#x09;script&colon;alert(1)")));
        assert!(runs_code("vbscript:msgbox(1)") && runs_code("DATA:text/html,x"));
        assert!(!runs_code("../javascript:x/") && !runs_code("https://example.org/javascript:"));
    }

    #[test]
    #[should_panic(expected = "survived sanitising")]
    fn an_event_handler_in_the_output_is_caught() {
        assert_runs_nothing(r#"<p>a &lt;b onclick="x"&gt; <img src="a.png" alt=">" onerror="x()"></p>"#);
    }

    #[test]
    fn sanitised_markup_with_lookalike_text_passes() {
        assert_runs_nothing(
            r#"<p title="onclick=&quot;x&quot;">javascript:alert(1) &lt;script&gt;</p><a href="../x/">x</a>"#,
        );
    }
}
