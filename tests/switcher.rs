//! Every page lists its translations: the language switcher and the
//! `hreflang` alternates of the pages the build generates (tag lists, tag
//! terms, search, translation status, 404), online, built for `file://` and
//! in a language's offline bundle, read from what the real binary wrote.

mod common;

use std::path::{Path, PathBuf};

use common::offline::unzip;
use common::{broken_internal_links, build_ok, percent_decode, site_with};

const SITE_TOML: &str = "title = \"Switch\"\nbase_url = \"https://example.org/kb\"\ndefault_language = \"en\"\n\
    [languages.en]\nname = \"English\"\n[languages.es]\nname = \"Español\"\n\
    [languages.ca]\nname = \"Català\"\nfallback = [\"es\"]\n[languages.ar]\nname = \"العربية\"\n";

/// Four languages; the tag `shared` is used in English and Spanish, `ops`
/// in English alone, `propi` in Catalan alone, none in Arabic.
fn tagged_site(site_toml: &str) -> tempfile::TempDir {
    site_with(&[
        ("site.toml", site_toml),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHello.\n"),
        ("content/_index.es.md", "+++\ntitle = \"Inicio\"\n+++\nHola.\n"),
        ("content/guide.md", "+++\ntitle = \"Guide\"\ntags = [\"shared\", \"ops\"]\n+++\nText.\n"),
        ("content/guide.es.md", "+++\ntitle = \"Guía\"\ntags = [\"shared\"]\n+++\nTexto.\n"),
        ("content/guide.ca.md", "+++\ntitle = \"Guia\"\ntags = [\"propi\"]\n+++\nText.\n"),
    ])
}

/// `(hreflang, href)` of each link after `opening` in `html`, in order,
/// written as `{opening}HREF" hreflang="CODE"` or, `swapped`, as
/// `{opening}CODE" href="HREF"`.
fn pairs(html: &str, opening: &str, swapped: bool) -> Vec<(String, String)> {
    let middle = if swapped { "\" href=\"" } else { "\" hreflang=\"" };
    html.split(opening)
        .skip(1)
        .map(|rest| {
            let (first, after) = rest.split_once(middle).unwrap_or_else(|| panic!("{opening}… {middle}: {rest}"));
            let second = &after[..after.find('"').unwrap()];
            let (code, href) = if swapped { (first, second) } else { (second, first) };
            (code.to_string(), href.replace("&amp;", "&"))
        })
        .collect()
}

/// The links of the page's language switcher.
fn switcher(html: &str) -> Vec<(String, String)> {
    let start = html.find("<nav class=\"language-switcher\"").unwrap_or_else(|| panic!("no switcher: {html}"));
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    pairs(nav, "<a href=\"", false)
}

/// The page's `<link rel="alternate" hreflang>`s.
fn alternates(html: &str) -> Vec<(String, String)> {
    pairs(html, "<link rel=\"alternate\" hreflang=\"", true)
}

fn codes(links: &[(String, String)]) -> Vec<&str> {
    links.iter().map(|(code, _)| code.as_str()).collect()
}

/// The file a link of `page` (a path in `out`) leads to: `None` for a link
/// online (to `base_url`); 404 pages link by absolute path under `/kb/`.
fn target(out: &Path, page: &str, href: &str) -> Option<PathBuf> {
    if href.starts_with("https://example.org/kb/") {
        return None;
    }
    let path = match href.strip_prefix("/kb/") {
        Some(absolute) => out.join(percent_decode(absolute)),
        None => out.join(page).parent().unwrap().join(percent_decode(href)),
    };
    Some(if href.ends_with('/') { path.join("index.html") } else { path })
}

/// Asserts that `page` lists `expected` languages in its switcher and, but
/// on 404 pages, as `hreflang` alternates too, with the same links, each
/// leading to a file of `out` (or online); returns the links.
fn assert_lists(out: &Path, page: &str, expected: &[&str]) -> Vec<(String, String)> {
    let html = std::fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
    let links = switcher(&html);
    assert_eq!(codes(&links), expected, "{page}: switcher {links:?}");
    let head = alternates(&html);
    if page.ends_with("404.html") {
        assert!(head.is_empty(), "{page}: a 404 page is shown at addresses it does not own: {head:?}");
    } else {
        assert_eq!(head, links, "{page}: the alternates are the switcher's links");
    }
    for (code, href) in &links {
        if let Some(file) = target(out, page, href) {
            assert!(file.is_file(), "{page}: {code} link {href} leads nowhere ({})", file.display());
        }
    }
    links
}

const ALL: [&str; 4] = ["en", "es", "ca", "ar"];

#[test]
fn tag_search_status_and_404_pages_list_their_translations() {
    let dir = tagged_site(SITE_TOML);
    let site = build_ok(dir.path(), &[]);
    let out = &site.out;
    for lang in ALL {
        assert_lists(out, &format!("{lang}/tags/index.html"), &ALL);
        assert_lists(out, &format!("{lang}/search/index.html"), &ALL);
        assert_lists(out, &format!("{lang}/translations/index.html"), &ALL);
        assert_lists(out, &format!("{lang}/404.html"), &ALL);
    }
    // A term lists only the languages whose pages use it.
    let shared = assert_lists(out, "es/tags/shared/index.html", &["en", "es"]);
    assert_eq!(shared[0].1, "../../../en/tags/shared/");
    assert_eq!(shared[1].1, "./");
    assert_lists(out, "en/tags/shared/index.html", &["en", "es"]);
    assert_lists(out, "en/tags/ops/index.html", &["en"]);
    assert_lists(out, "ca/tags/propi/index.html", &["ca"]);
    assert!(!site.exists("ca/tags/shared/index.html") && !site.exists("ar/tags/ops/index.html"));
    let list = site.read("ar/tags/index.html");
    assert!(list.contains("<a href=\"../../ca/tags/\" hreflang=\"ca\" lang=\"ca\" dir=\"ltr\">Català</a>"), "{list}");
    assert!(list.contains("<a href=\"./\" hreflang=\"ar\" lang=\"ar\" dir=\"rtl\" aria-current=\"page\">العربية</a>"));
    // The 404 page leads to each language's home (its own is current, not the page).
    for page in ["ca/404.html", "404.html"] {
        let links = assert_lists(out, page, &ALL);
        let homes: Vec<&str> = links.iter().map(|(_, href)| href.as_str()).collect();
        assert_eq!(homes, ["/kb/en/", "/kb/es/", "/kb/ca/", "/kb/ar/"], "{page}");
    }
    let not_found = site.read("ca/404.html");
    assert!(not_found.contains("<a href=\"/kb/ca/\" hreflang=\"ca\" lang=\"ca\" dir=\"ltr\" aria-current=\"true\">"));
    assert!(!not_found.contains("aria-current=\"page\""), "{not_found}");
    let root = site.read("404.html");
    assert!(root.contains("<nav class=\"language-switcher\" aria-label=\"Choose your language\">"), "{root}");
    let problems = broken_internal_links(out, false, true);
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The status page once had its own list of the languages' status pages
/// below the report, besides the switcher every page has: each language
/// was offered twice. The switcher, where every page has it, is the one.
#[test]
fn the_translation_status_page_lists_each_language_once() {
    let dir = tagged_site(SITE_TOML);
    let site = build_ok(dir.path(), &[]);
    for lang in ALL {
        let page = format!("{lang}/translations/index.html");
        let links = assert_lists(&site.out, &page, &ALL);
        let html = site.read(&page);
        let body = &html[html.find("<body").unwrap()..];
        for (code, href) in &links {
            let anchors = body.matches(&format!("<a href=\"{href}\" hreflang=\"{code}\"")).count();
            assert_eq!(anchors, 1, "{page}: {code}'s status page is linked {anchors} times:\n{body}");
        }
        let names = body.matches(">Español</a>").count();
        assert_eq!(names, 1, "{page}: \"Español\" is offered {names} times:\n{body}");
    }
}

#[test]
fn built_for_file_urls_the_switchers_link_index_files() {
    let dir = tagged_site(SITE_TOML);
    let site = build_ok(dir.path(), &["--offline"]);
    let out = &site.out;
    let shared = assert_lists(out, "en/tags/shared/index.html", &["en", "es"]);
    assert_eq!(shared[1].1, "../../../es/tags/shared/index.html");
    let mut checked = shared;
    for lang in ALL {
        checked.extend(assert_lists(out, &format!("{lang}/tags/index.html"), &ALL));
        checked.extend(assert_lists(out, &format!("{lang}/search/index.html"), &ALL));
        checked.extend(assert_lists(out, &format!("{lang}/404.html"), &ALL));
    }
    checked.extend(assert_lists(out, "404.html", &ALL));
    assert!(checked.iter().all(|(_, href)| href.ends_with("index.html")), "{checked:?}");
    assert!(site.read("ar/404.html").contains("<a href=\"../es/index.html\" hreflang=\"es\""));
    let problems = broken_internal_links(out, true, true);
    assert!(problems.is_empty(), "{problems:#?}");
}

/// A bundle holds one language: the others' pages are online, at
/// `base_url`, as a content page's translations are; without `base_url`
/// the switcher lists the bundle's language alone.
#[test]
fn a_bundle_links_the_other_languages_generated_pages_online_or_not_at_all() {
    let dir = tagged_site(SITE_TOML);
    let site = build_ok(dir.path(), &[]);
    let bundle = unzip(&site.out.join("es/offline-es.zip"));
    let out = bundle.path();
    let shared = assert_lists(out, "es/tags/shared/index.html", &["en", "es"]);
    assert_eq!(shared[0].1, "https://example.org/kb/en/tags/shared/");
    assert_eq!(shared[1].1, "index.html");
    let search = assert_lists(out, "es/search/index.html", &ALL);
    assert_eq!(search[2].1, "https://example.org/kb/ca/search/");
    let tags = assert_lists(out, "es/tags/index.html", &ALL);
    let guide = std::fs::read_to_string(out.join("es/guide/index.html")).unwrap();
    assert_eq!(tags[0].1.replace("/tags/", "/guide/"), switcher(&guide)[0].1, "as a page's translations");
    let problems = broken_internal_links(out, true, true);
    assert!(problems.is_empty(), "{problems:#?}");

    let without_address = SITE_TOML.replace("base_url = \"https://example.org/kb\"\n", "");
    let dir = tagged_site(&without_address);
    let site = build_ok(dir.path(), &[]);
    let bundle = unzip(&site.out.join("es/offline-es.zip"));
    for page in ["es/tags/shared/index.html", "es/tags/index.html", "es/search/index.html"] {
        assert_eq!(assert_lists(bundle.path(), page, &["es"])[0].1, "index.html", "{page}");
    }
}

/// A term page's language and term, and the (language, term) of each
/// term page its switcher lists.
type TermPage = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

/// The term pages of `fixtures/term_pairs`, each with the languages its
/// switcher lists and the term page of each: English `user` is French
/// `utilisateur` and Spanish `usuarix`, `account` is `compte` and `cuenta`
/// (settled once `user` is), `privacy` keeps its name in French, and the
/// Catalan `xarxa`, standing for `mesh` or `radio` alike, is paired with
/// neither.
const TERM_PAIRS: [TermPage; 11] = [
    ("en", "user", &[("en", "user"), ("fr", "utilisateur"), ("es", "usuarix")]),
    ("fr", "utilisateur", &[("en", "user"), ("fr", "utilisateur"), ("es", "usuarix")]),
    ("es", "usuarix", &[("en", "user"), ("fr", "utilisateur"), ("es", "usuarix")]),
    // A Spanish page that kept the English term: its page leads to the
    // English term's, which leads to `usuarix`, the name most use.
    ("es", "user", &[("en", "user"), ("fr", "utilisateur"), ("es", "user")]),
    ("en", "account", &[("en", "account"), ("fr", "compte"), ("es", "cuenta")]),
    ("fr", "compte", &[("en", "account"), ("fr", "compte"), ("es", "cuenta")]),
    ("es", "cuenta", &[("en", "account"), ("fr", "compte"), ("es", "cuenta")]),
    ("en", "privacy", &[("en", "privacy"), ("fr", "privacy")]),
    ("en", "mesh", &[("en", "mesh")]),
    ("en", "radio", &[("en", "radio")]),
    ("ca", "xarxa", &[("ca", "xarxa")]),
];

/// Asserts the switchers of [`TERM_PAIRS`]' pages in `out`, whose links to
/// a term page of another language are `other(lang, term)`, from the page's
/// folder.
fn assert_term_pairs(out: &Path, other: impl Fn(&str, &str) -> String) {
    for (lang, term, expected) in TERM_PAIRS {
        let page = format!("{lang}/tags/{term}/index.html");
        let codes: Vec<&str> = expected.iter().map(|(code, _)| *code).collect();
        let links = assert_lists(out, &page, &codes);
        for ((code, href), (_, there)) in links.iter().zip(expected) {
            if code != lang {
                assert_eq!(href, &other(code, there), "{page}: the {code} term");
            }
        }
    }
}

#[test]
fn a_term_translated_under_another_name_lists_its_translations() {
    let source = common::fixture("term_pairs");
    let site = build_ok(&source, &[]);
    assert_term_pairs(&site.out, |lang, term| format!("../../../{lang}/tags/{term}/"));
    let problems = broken_internal_links(&site.out, false, true);
    assert!(problems.is_empty(), "{problems:#?}");
    // A link to the English term leads a French reader to the French one.
    let profile = site.read("fr/profile/index.html");
    assert!(profile.contains("<a href=\"../tags/utilisateur/\">tous les guides</a>"), "{profile}");
    // The same pairs however often it is built.
    let again = build_ok(&source, &[]);
    for (lang, term, _) in TERM_PAIRS {
        let page = format!("{lang}/tags/{term}/index.html");
        assert_eq!(site.read(&page), again.read(&page), "{page}");
    }

    let offline = build_ok(&source, &["--offline"]);
    assert_term_pairs(&offline.out, |lang, term| format!("../../../{lang}/tags/{term}/index.html"));
    let profile = offline.read("fr/profile/index.html");
    assert!(profile.contains("<a href=\"../tags/utilisateur/index.html\">tous les guides</a>"), "{profile}");
    let problems = broken_internal_links(&offline.out, true, true);
    assert!(problems.is_empty(), "{problems:#?}");

    for lang in ["fr", "es"] {
        let bundle = unzip(&site.out.join(format!("{lang}/offline-{lang}.zip")));
        let in_bundle: Vec<_> = TERM_PAIRS.iter().filter(|(l, _, _)| *l == lang).collect();
        assert!(!in_bundle.is_empty());
        for (_, term, expected) in in_bundle {
            let page = format!("{lang}/tags/{term}/index.html");
            let codes: Vec<&str> = expected.iter().map(|(code, _)| *code).collect();
            let links = assert_lists(bundle.path(), &page, &codes);
            for ((code, href), (_, there)) in links.iter().zip(*expected) {
                let want = if code == lang {
                    "index.html".to_string()
                } else {
                    format!("https://example.org/kb/{code}/tags/{there}/")
                };
                assert_eq!(href, &want, "{lang} bundle, {page}: the {code} term");
            }
        }
    }
}

/// `fixtures/term_pairs` with `declarations` added to its site.toml.
fn declared_site(declarations: &str) -> tempfile::TempDir {
    let dir = common::copy_fixture("term_pairs");
    let config = dir.path().join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\n[term_translations.tags]\n{declarations}")).unwrap();
    dir
}

#[test]
fn declared_term_translations_override_what_is_inferred() {
    // `xarxa`, ambiguous to inference, is declared to be `mesh`; Spanish
    // is declared to have no term for `user`, so `usuarix` is linked to
    // nothing, and the English `user` to the Spanish page keeping `user`.
    let dir = declared_site("mesh = { ca = \"xarxa\" }\nuser = { es = \"\" }\n");
    let site = build_ok(dir.path(), &[]);
    assert!(!site.stderr.contains("term_translations"), "{}", site.stderr);
    let expected: [TermPage; 6] = [
        ("en", "mesh", &[("en", "mesh"), ("ca", "xarxa")]),
        ("ca", "xarxa", &[("en", "mesh"), ("ca", "xarxa")]),
        ("en", "radio", &[("en", "radio")]),
        ("en", "user", &[("en", "user"), ("fr", "utilisateur"), ("es", "user")]),
        ("es", "usuarix", &[("es", "usuarix")]),
        ("fr", "compte", &[("en", "account"), ("fr", "compte"), ("es", "cuenta")]),
    ];
    for (lang, term, links) in expected {
        let page = format!("{lang}/tags/{term}/index.html");
        let codes: Vec<&str> = links.iter().map(|(code, _)| *code).collect();
        let found = assert_lists(&site.out, &page, &codes);
        for ((code, href), (_, there)) in found.iter().zip(links) {
            if code != lang {
                assert_eq!(href, &format!("../../../{code}/tags/{there}/"), "{page}");
            }
        }
    }
}

#[test]
fn a_declaration_naming_an_unknown_term_or_language_names_its_line() {
    let dir = declared_site("mesh = { ca = \"xarxa\" }\nradio = { ca = \"raadio\" }\nmeshh = { fr = \"maillage\" }\n");
    let site = build_ok(dir.path(), &[]);
    let config = dir.path().join("site.toml");
    let line = |n| format!("{}:{n}:1: warning: [term_translations.tags]: ", config.display());
    let lines = std::fs::read_to_string(&config).unwrap().lines().count();
    for (n, problem) in [
        (lines - 1, "no Català page has the term \"raadio\""),
        (lines, "no English page has the term \"meshh\""),
        (lines, "no Français page has the term \"maillage\""),
    ] {
        assert!(site.stderr.contains(&format!("{}{problem}", line(n))), "{problem}: {}", site.stderr);
    }
    // The declaration that holds still pairs.
    assert_lists(&site.out, "ca/tags/xarxa/index.html", &["en", "ca"]);
    let strict = common::build(dir.path(), &["--strict"]);
    assert!(!strict.success && strict.stderr.contains("raadio"), "{}", strict.stderr);
    let check = common::infrared(&["check", "--root", dir.path().to_str().unwrap()]);
    let said = String::from_utf8_lossy(&check.stdout).into_owned() + &String::from_utf8_lossy(&check.stderr);
    let error = format!("site.toml:{}:1: error: [term_translations.tags]: no Català page", lines - 1);
    assert!(!check.status.success() && said.contains(&error), "{said}");

    let dir = declared_site("mesh = { oc = \"malha\" }\n");
    let failed = common::build(dir.path(), &[]);
    let lines = std::fs::read_to_string(dir.path().join("site.toml")).unwrap().lines().count();
    let at = format!("site.toml:{lines}");
    assert!(!failed.success && failed.stderr.contains(&at) && failed.stderr.contains("\"oc\""), "{}", failed.stderr);
    let dir = declared_site("mesh = { ca = \"xarxa\" }\nradio = { ca = \"Xarxa\" }\n");
    let failed = common::build(dir.path(), &[]);
    let lines = std::fs::read_to_string(dir.path().join("site.toml")).unwrap().lines().count();
    let at = format!("site.toml:{lines}");
    assert!(!failed.success && failed.stderr.contains(&at) && failed.stderr.contains("both"), "{}", failed.stderr);
    let dir = declared_site("mesh = { en = \"mesh\" }\n");
    let failed = common::build(dir.path(), &[]);
    assert!(!failed.success && failed.stderr.contains("default language"), "{}", failed.stderr);
}
