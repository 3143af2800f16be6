//! Links in content to pages the build writes itself (search, feed, taxonomy
//! pages, translation status, sitemap…), through the real binary: each
//! reader gets their own language's, a tag page their language lacks is
//! the nearest fallback's, and offline bundles keep what they hold.

mod common;

use common::offline::unzip;
use common::{build, build_ok, infrared, link_values, site_with};

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

/// The `href`s of a page's content, in order.
fn content_links(html: &str) -> Vec<String> {
    let start = html.find("<main").expect("a <main>");
    let end = html[start..].find("</main>").map_or(html.len(), |e| start + e);
    link_values(&html[start..end])
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
    let broken: Vec<String> = common::broken_internal_links(&site.out, false, false)
        .into_iter()
        .filter(|p| !p.contains("offline-"))
        .collect();
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
    assert!(!all.contains("/search/") && !all.contains("atom.xml") && !all.contains("sitemap"), "{all}");
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
    ] {
        assert!(links.iter().any(|l| l == expected), "bundle: no link {expected} in {links:?}");
    }
    for file in ["ca/tags/index.html", "ca/search/index.html", "ca/atom.xml"] {
        assert!(bundle.path().join(file).is_file(), "{file} not in the bundle");
    }
    assert!(page.contains("class=\"outside-link\" href=\"https://example.org/kb/en/tags/privacy/\""), "{page}");
}
