//! Links in content to pages the build writes itself (search, feed, taxonomy
//! pages, translation status, sitemap, offline bundles, the mirror
//! manifest, the service worker's files…), through the real binary: each
//! reader gets their own language's, a tag page their language lacks is the
//! nearest fallback's, and offline bundles keep what they hold.

mod common;

use common::offline::unzip;
use common::{build, build_ok, content_links, infrared, link_values, site_with};

const SITE_TOML: &str = "title = \"Links\"\nbase_url = \"https://example.org/kb\"\ndefault_language = \"en\"\n\
    [languages.en]\nname = \"English\"\n[languages.es]\nname = \"Español\"\n\
    [languages.ca]\nname = \"Català\"\nfallback = [\"es\"]\n";

/// Links to every kind of generated page, the same in each language's version.
const LINKS: &str = "\
[tag](/tags/privacy/)
[shared tag](/tags/shared/)
[tags](/tags/)
[search](/search/?q=disk)
[feed](/atom.xml)
[status](/translations/)
[sitemap](/sitemap.xml)
[robots](/robots.txt)
[not found](/404.html)
[spanish search](/es/search/)
[unused tag](/tags/nowhere/)
[spanish bundle](/es/offline-es.zip)
[checksums](/SHA256SUMS)
[web app](/manifest.webmanifest)
[catalan files](/ca/offline-files.json)
[worker](/sw.js)
[headers](/_headers)
[mirror manifest](/manifest.json)
";

fn links_site() -> tempfile::TempDir {
    let links = |title: &str| format!("+++\ntitle = \"{title}\"\n+++\n{LINKS}");
    site_with(&[
        ("site.toml", SITE_TOML),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("content/_index.es.md", "+++\ntitle = \"Inicio\"\n+++\nInicio.\n"),
        ("content/_index.ca.md", "+++\ntitle = \"Inici\"\n+++\nInici.\n"),
        ("content/private.md", "+++\ntitle = \"Private\"\ntags = [\"privacy\", \"shared\"]\n+++\nPrivate.\n"),
        ("content/private.es.md", "+++\ntitle = \"Privado\"\ntags = [\"shared\"]\n+++\nPrivado.\n"),
        ("content/links.md", &links("Links")),
        ("content/links.es.md", &links("Enlaces")),
        ("content/links.ca.md", &links("Enllaços")),
    ])
}

#[test]
fn site_path_links_to_generated_pages_resolve_in_the_readers_language() {
    let root = links_site();
    let site = build_ok(root.path(), &[]);
    let en = content_links(&site.read("en/links/index.html"));
    for expected in [
        "../tags/privacy/",
        "../tags/shared/",
        "../tags/",
        "../search/?q=disk",
        "../atom.xml",
        "../translations/",
        "../../sitemap.xml",
        "../../robots.txt",
        "../404.html",
        "../../es/search/",
        "../../es/offline-es.zip",
        "../../SHA256SUMS",
        "../manifest.webmanifest",
        "../../ca/offline-files.json",
        "../../sw.js",
        "../../_headers",
        "../../manifest.json",
    ] {
        assert!(en.iter().any(|l| l == expected), "en: no link {expected} in {en:?}");
    }
    // Catalan readers: their own search, feed and status pages; "privacy"
    // is used in English only (ca → es → en), "shared" in Spanish too.
    let ca = content_links(&site.read("ca/links/index.html"));
    for expected in [
        "../../en/tags/privacy/",
        "../../es/tags/shared/",
        "../tags/",
        "../search/?q=disk",
        "../atom.xml",
        "../translations/",
        "../../sitemap.xml",
        "../404.html",
        "../../es/search/",
        "../manifest.webmanifest",
        "../offline-files.json",
        "../../sw.js",
    ] {
        assert!(ca.iter().any(|l| l == expected), "ca: no link {expected} in {ca:?}");
    }
    for page in ["en/tags/privacy/index.html", "es/tags/shared/index.html", "ca/search/index.html", "sitemap.xml"] {
        assert!(site.exists(page), "{page} not written");
    }
    assert!(!site.exists("ca/tags/privacy/index.html"));
    // Every link leads somewhere, but the term no page uses, which is
    // reported where it is written and is no link.
    assert!(!en.iter().chain(&ca).any(|l| l.contains("nowhere")), "{en:?} {ca:?}");
    for file in ["links.md", "links.es.md", "links.ca.md"] {
        let at = format!("content/{file}:14:1: warning: no page uses the tags term \"nowhere\"");
        assert!(site.stderr.contains(&at), "{at} missing from:\n{}", site.stderr);
    }
    assert!(site.stderr.contains("3 warnings"), "{}", site.stderr);
    let broken = common::broken_internal_links(&site.out, false, false);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn check_reports_a_tag_no_page_uses_and_nothing_else() {
    let root = links_site();
    let output = infrared(&["check", "--root", root.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let all = format!("{stdout}{stderr}");
    assert!(all.contains("content/links.md:14:1"), "{all}");
    for generated in [
        "/search/",
        "atom.xml",
        "sitemap",
        "offline-es.zip",
        "SHA256SUMS",
        "manifest.webmanifest",
        "offline-files.json",
        "sw.js",
        "_headers",
        "manifest.json",
    ] {
        assert!(!all.contains(generated), "{all}");
    }
}

#[test]
fn a_strict_build_refuses_a_link_to_a_tag_no_page_uses() {
    let root = links_site();
    let site = build(root.path(), &["--strict"]);
    assert!(!site.success, "{}", site.stderr);
    assert!(site.stderr.contains("content/links.md:14:1"), "{}", site.stderr);
}

#[test]
fn a_bundle_links_its_own_tag_and_search_pages_and_sends_others_online() {
    let root = links_site();
    let site = build_ok(root.path(), &[]);
    let bundle = unzip(&site.out.join("ca/offline-ca.zip"));
    let page = std::fs::read_to_string(bundle.path().join("ca/links/index.html")).unwrap();
    let links = content_links(&page);
    for expected in [
        "../tags/index.html",
        "../search/index.html?q=disk",
        "../atom.xml",
        "https://example.org/kb/en/tags/privacy/",
        "https://example.org/kb/es/tags/shared/",
        "https://example.org/kb/ca/translations/",
        "https://example.org/kb/sitemap.xml",
        "https://example.org/kb/robots.txt",
        "https://example.org/kb/ca/404.html",
        "https://example.org/kb/es/search/",
        "https://example.org/kb/es/offline-es.zip",
        "https://example.org/kb/SHA256SUMS",
        "https://example.org/kb/ca/manifest.webmanifest",
        "https://example.org/kb/ca/offline-files.json",
        "https://example.org/kb/sw.js",
        "https://example.org/kb/_headers",
    ] {
        assert!(links.iter().any(|l| l == expected), "bundle: no link {expected} in {links:?}");
    }
    for file in ["ca/tags/index.html", "ca/search/index.html", "ca/atom.xml"] {
        assert!(bundle.path().join(file).is_file(), "{file} not in the bundle");
    }
    assert!(page.contains("class=\"outside-link\" href=\"https://example.org/kb/en/tags/privacy/\""), "{page}");
}

/// Pages whose file names hold characters with a meaning in URLs.
fn odd_names_site() -> tempfile::TempDir {
    site_with(&[
        (
            "site.toml",
            "title = \"Odd\"\nbase_url = \"https://example.org/kb\"\ndefault_language = \"en\"\n\
             [languages.en]\nname = \"English\"\n[languages.ca]\nname = \"Català\"\n",
        ),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("content/_index.ca.md", "+++\ntitle = \"Inici\"\n+++\nInici.\n"),
        ("content/c#.md", "+++\ntitle = \"Sharp\"\nweight = 1\n+++\nSharp keys, and [percent](50%25.md).\n"),
        ("content/c#.ca.md", "+++\ntitle = \"Sostingut\"\nweight = 1\n+++\nTecles.\n"),
        ("content/50%.md", "+++\ntitle = \"Percent\"\nweight = 2\n+++\nHalf.\n"),
        ("content/why?.md", "+++\ntitle = \"Question\"\nweight = 3\n+++\nAsking.\n"),
        ("content/a:b.md", "+++\ntitle = \"Colon\"\nweight = 4\n+++\nLooks like a scheme.\n"),
    ])
}

#[test]
fn pages_named_with_hash_percent_and_question_mark_are_linked_escaped() {
    let root = odd_names_site();
    let site = build_ok(root.path(), &[]);
    // The files are written under their own names…
    for page in ["en/c#/index.html", "en/50%/index.html", "en/why?/index.html", "en/a:b/index.html"] {
        assert!(site.exists(page), "{page} not written");
    }
    // … and every link to them is escaped: the menu and the content.
    let home = link_values(&site.read("en/index.html"));
    for expected in ["c%23/", "50%25/", "why%3F/", "./a:b/"] {
        assert!(home.iter().any(|l| l == expected), "home: no link {expected} in {home:?}");
    }
    // Section navigation, the language switcher and the content's own links.
    let sharp = site.read("en/c#/index.html");
    let links = link_values(&sharp);
    for expected in ["../50%25/", "../why%3F/", "../../ca/c%23/"] {
        assert!(links.iter().any(|l| l == expected), "en/c#/: no link {expected} in {links:?}");
    }
    assert!(!links.iter().any(|l| l.contains("c#") || l.contains("why?") || l.ends_with("50%/")), "{links:?}");
    let catalan = link_values(&site.read("ca/c#/index.html"));
    assert!(catalan.iter().any(|l| l == "../../en/c%23/"), "switcher: {catalan:?}");
    // Search documents and the service worker's list are URLs too.
    let records: String = common::files(&site.out.join("search/en"))
        .iter()
        .filter(|f| f.to_string_lossy().starts_with("r-"))
        .map(|f| std::fs::read_to_string(site.out.join("search/en").join(f)).unwrap())
        .collect();
    for expected in ["\"en/c%23/\"", "\"en/50%25/\"", "\"en/why%3F/\""] {
        assert!(records.contains(expected), "search records: no {expected} in {records}");
    }
    let list = site.read("en/offline-files.json");
    assert!(list.contains("\"en/c%23/\"") && list.contains("\"en/why%3F/\""), "{list}");
    // The sitemap and the manifest: one a list of URLs, the other of files.
    assert!(site.read("sitemap.xml").contains("https://example.org/kb/en/c%23/"));
    assert!(site.read("manifest.json").contains("\"en/c#/index.html\""), "{}", site.read("manifest.json"));
    let broken = common::broken_internal_links(&site.out, false, true);
    assert!(broken.is_empty(), "{broken:#?}");
}

/// `links.md` exists in English only: Spanish and Catalan readers get it as
/// their fallback, and its link to `guide.md#install` takes them to the
/// Spanish guide, which has no such heading.
fn fallback_anchor_site() -> tempfile::TempDir {
    site_with(&[
        ("site.toml", SITE_TOML),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("content/guide.md", "+++\ntitle = \"Guide\"\n+++\n## Install\n\nSteps.\n\n## Use\n\nMore.\n"),
        ("content/guide.es.md", "+++\ntitle = \"Guía\"\n+++\n## Instalar\n\nPasos.\n\n## Use {#use}\n\nMás.\n"),
        (
            "content/links.md",
            "+++\ntitle = \"Links\"\n+++\nFirst [install](guide.md#install).\n\nThen [use](guide.md#use).\n",
        ),
    ])
}

const FALLBACK_ANCHOR: &str = "content/links.md:4:7: warning: no heading #install in content/guide.es.md \
    (readers of Español (es), Català (ca)), where this link takes readers who read this page as their fallback";

#[test]
fn an_anchor_missing_in_the_version_fallback_readers_reach_is_reported() {
    let root = fallback_anchor_site();
    let site = build_ok(root.path(), &[]);
    assert!(site.stderr.contains(FALLBACK_ANCHOR), "{}", site.stderr);
    assert!(site.stderr.contains("1 warning"), "only that link, once: {}", site.stderr);
    // `check` calls it an error; `--strict` refuses to build.
    let output = infrared(&["check", "--root", root.path().to_str().unwrap()]);
    let all = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(!output.status.success(), "{all}");
    assert!(all.contains(&FALLBACK_ANCHOR.replace("warning", "error")), "{all}");
    let strict = build(root.path(), &["--strict"]);
    assert!(!strict.success && strict.stderr.contains("content/links.md:4:7"), "{}", strict.stderr);
}

#[test]
fn a_build_for_file_urls_sends_links_to_the_service_workers_files_online() {
    let root = links_site();
    let site = build_ok(root.path(), &["--offline"]);
    assert!(!site.exists("sw.js") && !site.exists("ca/offline-files.json"), "written for file://");
    let page = site.read("ca/links/index.html");
    let links = content_links(&page);
    for expected in [
        "https://example.org/kb/ca/manifest.webmanifest",
        "https://example.org/kb/ca/offline-files.json",
        "https://example.org/kb/sw.js",
        "../../SHA256SUMS",
        "../../_headers",
    ] {
        assert!(links.iter().any(|l| l == expected), "no link {expected} in {links:?}");
    }
    assert!(page.contains("class=\"outside-link\" href=\"https://example.org/kb/sw.js\""), "{page}");
    let broken = common::broken_internal_links(&site.out, true, false);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn headings_never_take_a_footnotes_id_and_an_id_given_twice_is_reported() {
    let root = site_with(&[
        ("site.toml", SITE_TOML),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        (
            "content/notes.md",
            "+++\ntitle = \"Notes\"\n+++\nA claim.[^1]\n\n## 1\n\nFirst step.\n\n## Keys {#keys}\n\n## Locks {#keys}\n\n\
             [first step](#1-1)\n\n[^1]: The source.\n",
        ),
    ]);
    let site = build_ok(root.path(), &[]);
    let page = site.read("en/notes/index.html");
    assert_eq!(page.matches("id=\"1\"").count(), 1, "{page}");
    assert!(page.contains("<div class=\"footnote-definition\" id=\"1\">"), "the footnote keeps its id: {page}");
    assert!(page.contains("<h2 id=\"1-1\">1</h2>"), "{page}");
    let output = infrared(&["check", "--root", root.path().to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let notes: Vec<&str> = stdout.lines().filter(|l| l.contains("content/notes.md")).collect();
    assert_eq!(notes.len(), 1, "{stdout}");
    assert!(
        notes[0].ends_with(
            "content/notes.md:12:1: warning: heading id #keys is given twice: links to #keys reach only \
                            the first heading; give this one another id"
        ),
        "{stdout}"
    );
}

#[test]
fn a_link_that_differs_only_in_case_or_punctuation_gets_the_near_name() {
    let root = site_with(&[
        ("site.toml", SITE_TOML),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("content/Guides/Mirroring.md", "+++\ntitle = \"Mirroring\"\n+++\n## What's new?\n\n## Setup\n\nText.\n"),
        (
            "content/links.md",
            "+++\ntitle = \"Links\"\n+++\n[a](guides/mirroring.md) [b](Guides/Mirroring.md#Setup) \
             [c](Guides/Mirroring.md#whats_new) [d](#Intro) [e](Guides/Mirroring.md#nothing-like-it)\n\n## Intro\n",
        ),
    ]);
    let output = infrared(&["check", "--root", root.path().to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let found: Vec<&str> =
        stdout.lines().filter_map(|l| l.split_once("content/links.md:").map(|(_, rest)| rest)).collect();
    assert_eq!(
        found,
        [
            "4:1: error: no page content/guides/mirroring.md (did you mean content/Guides/Mirroring.md?) (link to \"guides/mirroring.md\")",
            "4:26: error: no heading #Setup in content/Guides/Mirroring.md (did you mean #setup?) (link to \"Guides/Mirroring.md#Setup\")",
            "4:57: error: no heading #whats_new in content/Guides/Mirroring.md (did you mean #whats-new?) (link to \"Guides/Mirroring.md#whats_new\")",
            "4:92: error: no heading #Intro in this page (did you mean #intro?) (link to \"#Intro\")",
            "4:104: error: no heading #nothing-like-it in content/Guides/Mirroring.md (link to \"Guides/Mirroring.md#nothing-like-it\")",
        ],
        "{stdout}"
    );
}

#[test]
fn headings_never_take_an_id_of_the_themes_frame() {
    let root = site_with(&[
        ("site.toml", SITE_TOML),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("content/main.md", "+++\ntitle = \"Main\"\n+++\n## Main\n\nText.\n\n## Languages\n\n[back up](#main)\n"),
        (
            "content/kit.md",
            "+++\ntitle = \"Kit\"\ntemplate = \"kit.html\"\n+++\n## Kit frame\n\n## Agenda\n",
        ),
        (
            "templates/kit.html",
            "{% extends \"page.html\" %}{% block content %}<div id=\"kit-frame\">{{ page.content | safe }}</div>{% endblock content %}",
        ),
    ]);
    let site = build_ok(root.path(), &[]);
    let page = site.read("en/main/index.html");
    assert_eq!(page.matches("id=\"main\"").count(), 1, "only the theme's <main>: {page}");
    assert!(page.contains("<h2 id=\"main-1\">Main</h2>"), "{page}");
    // Ids of templates that show no page content are free: the language
    // chooser's `languages`, a pack's `agenda`.
    assert!(page.contains("<h2 id=\"languages\">Languages</h2>"), "{page}");
    let kit = site.read("en/kit/index.html");
    assert!(kit.contains("<h2 id=\"kit-frame-1\">Kit frame</h2>"), "a page's own template counts: {kit}");
    assert!(kit.contains("<h2 id=\"agenda\">Agenda</h2>"), "{kit}");
    assert!(
        site.stderr.contains("no heading #main in this page (did you mean #main-1?)"),
        "the link to the heading is told its id: {}",
        site.stderr
    );
}

/// A page with a heading, linked with a query from another page (and from
/// its fallback, for Spanish readers).
fn query_site() -> tempfile::TempDir {
    site_with(&[
        ("site.toml", SITE_TOML),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("content/guide.md", "+++\ntitle = \"Guide\"\n+++\n## Heading {#h}\n\nText.\n"),
        ("content/guide.es.md", "+++\ntitle = \"Guía\"\n+++\n## Encabezado {#h}\n\nTexto.\n"),
        (
            "content/asks.md",
            "+++\ntitle = \"Asks\"\n+++\n[q](guide.md?x=1) [qh](guide.md?x=1&y=%C3%A9#h) \
             [path](/guide/?x=2#h) [none](guide.md?) [gone](guide.md?x=1#nope)\n\n\
             [spaced](<guide.md?q=a b>) [search](</search/?q=a b>)\n",
        ),
    ])
}

/// Regression: `[q](guide.md?x=1)` was written `../guide/`, the query dropped.
#[test]
fn a_query_on_a_link_to_a_page_is_kept_and_its_anchor_still_checked() {
    let root = query_site();
    let expected = [
        "../guide/?x=1",
        "../guide/?x=1&y=%C3%A9#h",
        "../guide/?x=2#h",
        "../guide/?",
        "../guide/?x=1#nope",
        // What a URL may not hold raw is escaped, in a query to a generated page too.
        "../guide/?q=a%20b",
        "../search/?q=a%20b",
    ];
    let site = build(root.path(), &[]);
    assert!(site.success, "{}", site.stderr);
    assert_eq!(content_links(&site.read("en/asks/index.html")), expected);
    // Spanish readers get the fallback, linking the Spanish guide.
    assert_eq!(content_links(&site.read("es/asks/index.html")), expected);
    // The anchor after the query is checked, at the link's line and column.
    assert!(
        site.stderr.contains("content/asks.md:4:89: warning: no heading #nope in content/guide.md"),
        "{}",
        site.stderr
    );
    assert_eq!(site.stderr.matches("warning:").count(), 1, "{}", site.stderr);
    let check = infrared(&["check", "--root", root.path().to_str().unwrap()]);
    let printed = String::from_utf8_lossy(&check.stdout);
    assert!(!check.status.success() && printed.contains("no heading #nope"), "{printed}");
    assert!(!printed.contains("#h"), "the query hides no anchor: {printed}");
    // Built for file://, the link names the file, then the query.
    let offline = build(root.path(), &["--offline"]);
    let in_file = [
        "../guide/index.html?x=1",
        "../guide/index.html?x=1&y=%C3%A9#h",
        "../guide/index.html?x=2#h",
        "../guide/index.html?",
        "../guide/index.html?x=1#nope",
        "../guide/index.html?q=a%20b",
        "../search/index.html?q=a%20b",
    ];
    assert_eq!(content_links(&offline.read("en/asks/index.html")), in_file);
    // So does the language's offline bundle.
    let bundle = unzip(&site.out.join("es/offline-es.zip"));
    let page = std::fs::read_to_string(bundle.path().join("es/asks/index.html")).unwrap();
    assert_eq!(content_links(&page), in_file);
}
