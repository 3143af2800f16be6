//! Fixture sites built by the real binary, asserting on the files it writes.

mod common;

use common::{broken_internal_links, build, build_ok, fixture, site_with, site_with_sections, third_party_loads};

#[test]
fn minimal_site_builds_every_standard_file() {
    let site = build_ok(&fixture("minimal"), &[]);
    for path in [
        "index.html",
        "en/index.html",
        "en/hello/index.html",
        "en/404.html",
        "404.html",
        "en/atom.xml",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert!(site.exists(path), "{path} missing");
    }
    let hello = site.read("en/hello/index.html");
    assert!(hello.contains("<html lang=\"en\" dir=\"ltr\">"), "{hello}");
    assert!(hello.contains("<a class=\"skip-link\" href=\"#main\">"));
    assert!(hello.contains("<main id=\"main\""));
    assert!(hello.contains("href=\"../\">home</a>"), "link to the home page is relative: {hello}");
    assert!(broken_internal_links(&site.out, false, true).is_empty());
}

#[test]
fn every_page_exists_in_every_language_with_fallback_notices() {
    let site = build_ok(&fixture("multilingual"), &[]);
    // guide exists in en and es; ca falls back to es, ar to en.
    let ca = site.read("ca/docs/guide/index.html");
    assert!(ca.contains("<html lang=\"ca\" dir=\"ltr\">"));
    assert!(ca.contains("<article class=\"page\" lang=\"es\" dir=\"ltr\">"), "content keeps its language");
    assert!(ca.contains("Guía de réplicas"));
    assert!(ca.contains("notice-fallback"), "fallback notice");
    assert!(ca.contains("<link rel=\"canonical\" href=\"../../../es/docs/guide/\">"), "{ca}");
    let ar = site.read("ar/docs/guide/index.html");
    assert!(ar.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(ar.contains("<article class=\"page\" lang=\"en\" dir=\"ltr\">"));
    assert!(ar.contains("Mirroring guide"));
    // A real translation has no notice and no canonical elsewhere.
    let es = site.read("es/docs/guide/index.html");
    assert!(!es.contains("notice-fallback") && !es.contains("rel=\"canonical\""));
}

/// A link whose title is shown from another language (a fallback) carries
/// that language's `lang` and `dir`, in every list of links the default
/// theme writes: menu, breadcrumbs, section navigation and section lists.
/// A link in the page's own language is only isolated (`dir="auto"`).
#[test]
fn links_shown_from_a_fallback_carry_their_language() {
    let site = build_ok(&fixture("multilingual"), &[]);
    let guide = site.read("es/docs/guide/index.html");
    for link in [
        // Shown from English: marked.
        "<li><a href=\"../../gallery/\" lang=\"en\" dir=\"ltr\">Photos</a></li>",
        "<li><a href=\"../other/\" lang=\"en\" dir=\"ltr\">Other page</a></li>",
        // In the page's language: isolated only.
        "<li><a href=\"../\" dir=\"auto\">Documentación</a></li>",
        "<p class=\"section-nav-title\"><a href=\"../\" dir=\"auto\">Documentación</a></p>",
        "<li><a href=\"./\" dir=\"auto\" aria-current=\"page\">Guía de réplicas</a></li>",
    ] {
        assert!(guide.contains(link), "{link} in {guide}");
    }
    let docs = site.read("es/docs/index.html");
    assert!(docs.contains("<a href=\"guide/\" dir=\"auto\">Guía de réplicas</a>"), "{docs}");
    assert!(docs.contains("<a href=\"other/\" lang=\"en\" dir=\"ltr\">Other page</a>"), "{docs}");
    let ar_docs = site.read("ar/docs/index.html");
    assert!(ar_docs.contains("<li><a href=\"./\" lang=\"en\" dir=\"ltr\">Docs</a></li>"), "{ar_docs}");
    let ar_guide = site.read("ar/docs/guide/index.html");
    let docs_link = "<li><a href=\"../\" lang=\"en\" dir=\"ltr\">Docs</a></li>";
    assert_eq!(ar_guide.matches(docs_link).count(), 2, "menu and breadcrumbs: {ar_guide}");
    assert!(ar_guide.contains("<p class=\"section-nav-title\"><a href=\"../\" lang=\"en\" dir=\"ltr\">Docs</a></p>"));
}

#[test]
fn language_switcher_and_hreflang_list_real_translations() {
    let site = build_ok(&fixture("multilingual"), &[]);
    let page = site.read("ca/docs/guide/index.html");
    assert!(page.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"../../../en/docs/guide/\">"), "{page}");
    assert!(page.contains("<link rel=\"alternate\" hreflang=\"es\" href=\"../../../es/docs/guide/\">"));
    assert!(!page.contains("hreflang=\"ar\" href=\"../../../ar/docs/guide/\">\n"), "ar is not a translation");
    assert!(page.contains(">English</a>") && page.contains(">Español</a>"));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/kb/es/docs/guide/</loc>"));
    assert!(sitemap
        .contains("<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/kb/en/docs/guide/\"/>"));
    assert!(!sitemap.contains("/ca/docs/guide/"), "fallback copies are not in the sitemap");
}

#[test]
fn links_resolve_to_the_readers_language() {
    let site = build_ok(&fixture("multilingual"), &[]);
    let es = site.read("es/docs/guide/index.html");
    assert!(es.contains("href=\"../other/#second-heading\""), "{es}");
    let en = site.read("en/docs/guide/index.html");
    assert!(en.contains("<a href=\"../\">docs</a>"), "site path /docs/: {en}");
    assert!(en.contains("href=\"../../../img/logo.svg\""), "static file");
    assert!(en.contains("href=\"../../gallery/sea.svg\""), "bundle file under the slug");
    assert!(site.exists("en/gallery/sea.svg") && site.exists("ar/gallery/sea.svg"));
    let photos = site.read("ca/gallery/index.html");
    assert!(photos.contains("<img src=\"sea.svg\" alt=\"The sea\">"), "{photos}");
    assert!(
        broken_internal_links(&site.out, false, true).is_empty(),
        "{:?}",
        broken_internal_links(&site.out, false, true)
    );
}

#[test]
fn offline_build_links_index_files_and_never_folders() {
    let site = build_ok(&fixture("multilingual"), &["--offline"]);
    let page = site.read("en/docs/guide/index.html");
    assert!(page.contains("href=\"../other/index.html#second-heading\""), "{page}");
    assert!(site.read("index.html").contains("href=\"en/index.html\""));
    let problems = broken_internal_links(&site.out, true, true);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn markdown_features_reach_the_page() {
    let site = build_ok(&fixture("multilingual"), &[]);
    let page = site.read("en/docs/guide/index.html");
    assert!(page.contains("<h2 id=\"rsync\">Copying with rsync</h2>"));
    assert!(page.contains("class=\"alert alert-tip\""));
    assert!(page.contains("<pre class=\"code\" data-lang=\"sh\" tabindex=\"0\">"));
    let css = std::fs::read_dir(site.out.join("assets"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect::<Vec<_>>();
    assert!(css.iter().any(|n| n.starts_with("syntax.") && n.ends_with(".css")), "{css:?}");
    assert!(css.iter().any(|n| n.starts_with("style.") && n.ends_with(".css")), "{css:?}");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = build_ok(&fixture("multilingual"), &[]);
    assert!(!site.exists("en/docs/secret/index.html"));
    let drafts = build_ok(&fixture("multilingual"), &["--drafts"]);
    assert!(drafts.read("en/docs/secret/index.html").contains("notice-draft"));
}

#[test]
fn taxonomies_feeds_and_aliases() {
    let site = build_ok(&fixture("multilingual"), &[]);
    let ops = site.read("en/tags/ops/index.html");
    assert!(ops.contains("Mirroring guide") && ops.contains("Other page"));
    assert!(ops.contains("2 pages"), "plural in English: {ops}");
    assert!(site.read("es/tags/réplicas/index.html").contains("Guía de réplicas"));
    assert!(!site.exists("ca/tags/ops/index.html"), "tags belong to pages written in the language");
    let feed = site.read("en/atom.xml");
    assert!(feed.contains("<id>https://example.org/kb/en/docs/guide/</id>"));
    assert!(feed.find("Mirroring guide").unwrap() < feed.find("Other page").unwrap(), "newest first");
    let alias = site.read("es/old/mirroring/index.html");
    assert!(alias.contains("url=../../docs/guide/"), "{alias}");
}

#[test]
fn arabic_pages_are_rtl_and_counted_with_arabic_plurals() {
    let site = build_ok(&fixture("multilingual"), &[]);
    let docs = site.read("ar/docs/index.html");
    assert!(docs.contains("dir=\"rtl\""));
    // Two pages: Arabic has a dual form.
    let count = docs.replace(['\u{2068}', '\u{2069}'], "");
    assert!(count.contains("صفحتان"), "{count}");
}

#[test]
fn rtl_site_derives_direction_and_honours_overrides() {
    let site = build_ok(&fixture("rtl"), &[]);
    assert!(site.read("ar/page/index.html").contains("<html lang=\"ar\" dir=\"rtl\">"));
    let fa = site.read("fa/page/index.html");
    assert!(fa.contains("<html lang=\"fa\" dir=\"rtl\">"));
    assert!(fa.contains("lang=\"ar\" dir=\"rtl\""), "fallback content keeps Arabic");
    let en = site.read("en/page/index.html");
    assert!(en.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(en.contains("<article class=\"page\" lang=\"en\" dir=\"ltr\">"));
}

#[test]
fn broken_links_are_reported_with_file_and_line_but_the_site_is_published() {
    let site = build_ok(&fixture("broken_links"), &[]);
    let stderr = &site.stderr;
    assert!(stderr.contains("content/page.md:6:3: warning: no page content/nowhere.md"), "{stderr}");
    assert!(stderr.contains("content/page.md:7:3: warning: no heading #no-such-heading"), "{stderr}");
    assert!(stderr.contains("content/page.md:7:51: warning: no heading #nope in this page"), "{stderr}");
    assert!(stderr.contains("content/page.md:9:1: warning: no page or file at /page/missing.png"), "{stderr}");
    assert!(stderr.contains("4 warnings"), "{stderr}");
    let page = site.read("en/page/index.html");
    assert!(page.contains("<a class=\"broken-link\">missing page</a>"));
    assert!(page.contains("<span class=\"broken-image\">missing image</span>"));
}

#[test]
fn strict_build_fails_on_broken_links_and_keeps_the_old_output() {
    let root = fixture("broken_links");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("previous.txt"), "old").unwrap();
    let output =
        common::infrared(&["build", "--strict", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("content/page.md:6:3"), "{stderr}");
    assert_eq!(std::fs::read_to_string(out.join("previous.txt")).unwrap(), "old");
}

#[test]
fn bad_front_matter_fixture_fails_naming_file_and_line() {
    let site = build(&fixture("bad_front_matter"), &[]);
    assert!(!site.success);
    assert!(site.stderr.contains("content/page.md:3: weight must be a whole number"), "{}", site.stderr);
}

#[test]
fn fixtures_load_nothing_from_third_parties() {
    for name in ["minimal", "multilingual", "rtl"] {
        let site = build_ok(&fixture(name), &[]);
        assert!(third_party_loads(&site.out).is_empty(), "{name}: {:?}", third_party_loads(&site.out));
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let a = build_ok(&fixture("multilingual"), &[]);
    let b = build_ok(&fixture("multilingual"), &[]);
    let files = common::files(&a.out);
    assert_eq!(files, common::files(&b.out));
    for file in files {
        assert_eq!(
            std::fs::read(a.out.join(&file)).unwrap(),
            std::fs::read(b.out.join(&file)).unwrap(),
            "{}",
            file.display()
        );
    }
}

/// The `<nav class="section-nav">` of a page, and the titles it links to.
fn section_nav(html: &str) -> (String, Vec<String>) {
    let start = html.find("<nav class=\"section-nav\"").unwrap_or_else(|| panic!("no section nav: {html}"));
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    let list = &nav[nav.find("<ul>").unwrap()..nav.find("</ul>").unwrap()];
    let titles = list
        .split("<li><a ")
        .skip(1)
        .map(|item| item[item.find('>').unwrap() + 1..item.find("</a>").unwrap()].to_string());
    (nav.replace(['\u{2068}', '\u{2069}'], ""), titles.collect())
}

#[test]
fn section_nav_of_a_large_section_shows_a_window_around_the_page() {
    let dir = site_with_sections(40, "");
    let site = build_ok(dir.path(), &[]);
    let (nav, titles) = section_nav(&site.read("en/big/p20/index.html"));
    let window: Vec<String> = (13..=27).map(|n| format!("Page {n:02}")).collect();
    assert_eq!(titles, window, "15 entries centred on page 20: {nav}");
    assert!(nav.contains("aria-label=\"In this section\""), "{nav}");
    assert!(nav.contains("<a href=\"./\" dir=\"auto\" aria-current=\"page\">Page 20</a>"), "{nav}");
    assert_eq!(nav.matches("aria-current").count(), 1, "{nav}");
    assert!(nav.contains("<span aria-hidden=\"true\">… </span>12 earlier pages</li>"), "{nav}");
    assert!(nav.contains("<span aria-hidden=\"true\">… </span>13 later pages</li>"), "{nav}");
    assert!(nav.contains("<a href=\"../\">All 40 pages in this section</a>"), "{nav}");
    // At the ends the window shifts to stay 15 long.
    let (nav, titles) = section_nav(&site.read("en/big/p01/index.html"));
    assert_eq!(titles, (1..=15).map(|n| format!("Page {n:02}")).collect::<Vec<_>>());
    assert!(!nav.contains("earlier") && nav.contains("25 later pages"), "{nav}");
    let (nav, titles) = section_nav(&site.read("en/big/p40/index.html"));
    assert_eq!(titles, (26..=40).map(|n| format!("Page {n:02}")).collect::<Vec<_>>());
    assert!(nav.contains("25 earlier pages") && !nav.contains("later"), "{nav}");
    // Other languages (here, every page a fallback) say it in theirs.
    let (nav, titles) = section_nav(&site.read("ca/big/p20/index.html"));
    assert_eq!(titles, window);
    assert!(nav.contains("12 pàgines anteriors") && nav.contains("Totes les 40 pàgines d&#39;aquesta secció"), "{nav}");
    let (nav, _) = section_nav(&site.read("ar/big/p20/index.html"));
    assert!(nav.contains("12 صفحةً سابقةً") && nav.contains("جميع صفحات هذا القسم (40 صفحةً)"), "{nav}");
    assert!(broken_internal_links(&site.out, false, false).is_empty());
}

#[test]
fn section_nav_of_a_small_section_lists_every_page() {
    let dir = site_with_sections(15, "");
    let site = build_ok(dir.path(), &[]);
    let (nav, titles) = section_nav(&site.read("en/small/s2/index.html"));
    assert_eq!(titles, ["Small 1", "Small 2", "Small 3"]);
    assert!(nav.contains("aria-current=\"page\">Small 2</a>"), "{nav}");
    assert!(!nav.contains("section-nav-gap") && !nav.contains("section-nav-all"), "{nav}");
    // A section exactly as large as the window shows whole too.
    let (nav, titles) = section_nav(&site.read("en/big/p08/index.html"));
    assert_eq!(titles.len(), 15);
    assert!(!nav.contains("section-nav-gap") && !nav.contains("section-nav-all"), "{nav}");
}

/// The titles the header's menu links to, and its last entry.
fn menu(html: &str) -> (Vec<String>, String) {
    let start = html.find("<nav class=\"site-menu\"").unwrap_or_else(|| panic!("no menu: {html}"));
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    let titles = nav
        .split("<li><a ")
        .skip(1)
        .map(|item| item[item.find('>').unwrap() + 1..item.find("</a>").unwrap()].to_string());
    let last = nav[nav.rfind("<li").unwrap()..nav.rfind("</li>").unwrap()].to_string();
    (titles.collect(), last)
}

#[test]
fn the_menu_lists_the_homes_sections_and_as_many_of_its_pages_as_the_window_holds() {
    let config = "title = \"Menu\"\ndefault_language = \"en\"\nnav_window = 5\n[offline]\nbundles = false\n\
                  [languages.en]\nname = \"English\"\n";
    let mut files = vec![
        ("site.toml".to_string(), config.to_string()),
        ("content/_index.md".to_string(), "+++\ntitle = \"Home\"\n+++\n".to_string()),
        ("content/guides/_index.md".to_string(), "+++\ntitle = \"Guides\"\nweight = 1\n+++\n".to_string()),
        ("content/news/_index.md".to_string(), "+++\ntitle = \"News\"\nweight = 2\n+++\n".to_string()),
    ];
    for n in 1..=40 {
        files
            .push((format!("content/p{n:02}.md"), format!("+++\ntitle = \"Page {n:02}\"\nweight = {n}\n+++\nText.\n")));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, c)| (p.as_str(), c.as_str())).collect();
    let dir = site_with(&files);
    let site = build_ok(dir.path(), &[]);
    // Every page's menu is as long, however many pages sit under the home.
    for page in ["en/p30/index.html", "en/guides/index.html", "en/index.html"] {
        let (titles, last) = menu(&site.read(page));
        assert_eq!(titles, ["Guides", "News", "Page 01", "Page 02", "Page 03"], "{page}");
        assert!(
            last.contains("class=\"site-menu-all\"") && last.contains("All 42 pages in this section"),
            "{page}: {last}"
        );
    }
    let (_, last) = menu(&site.read("en/p30/index.html"));
    assert!(last.contains("<a href=\"../\">"), "the rest are on the home page: {last}");
    // The home page lists every one of them.
    let home = site.read("en/index.html");
    assert!((1..=40).all(|n| home.contains(&format!(">Page {n:02}</a>"))));
    assert!(broken_internal_links(&site.out, false, false).is_empty());
    // A home with no more children than the window lists them all, with no link to the rest.
    let dir = site_with_sections(3, "");
    let site = build_ok(dir.path(), &[]);
    let (titles, last) = menu(&site.read("en/big/p01/index.html"));
    assert_eq!(titles, ["Big", "Small"]);
    assert!(!last.contains("site-menu-all"), "{last}");
}

/// The menu's links from a page, as (title, href).
fn menu_links(html: &str) -> Vec<(String, String)> {
    let start = html.find("<nav class=\"site-menu\"").unwrap_or_else(|| panic!("no menu: {html}"));
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    nav.split("<li><a href=\"")
        .skip(1)
        .map(|item| {
            let href = &item[..item.find('"').unwrap()];
            (item[item.find('>').unwrap() + 1..item.find("</a>").unwrap()].to_string(), href.to_string())
        })
        .collect()
}

/// Pages of one folder share the part of their context every page gets;
/// a page the menu links to must still link to itself from its own folder.
#[test]
fn every_page_links_its_menu_from_its_own_folder() {
    let config = "title = \"Menu\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n";
    let mut files = vec![
        ("site.toml".to_string(), config.to_string()),
        ("content/_index.md".to_string(), "+++\ntitle = \"Home\"\n+++\n".to_string()),
        ("content/guides/_index.md".to_string(), "+++\ntitle = \"Guides\"\nweight = 1\n+++\n".to_string()),
    ];
    for n in 1..=3 {
        let page = format!("+++\ntitle = \"Page {n}\"\nweight = {n}\n+++\nText.\n");
        files.push((format!("content/p{n}.md"), page.clone()));
        files.push((format!("content/guides/g{n}.md"), page.replace("Page", "Guide")));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, c)| (p.as_str(), c.as_str())).collect();
    let dir = site_with(&files);
    let site = build_ok(dir.path(), &[]);
    let menu_of = |page: &str| -> Vec<String> { menu_links(&site.read(page)).into_iter().map(|(_, h)| h).collect() };
    assert_eq!(menu_of("en/index.html"), ["guides/", "p1/", "p2/", "p3/"]);
    assert_eq!(menu_of("en/guides/index.html"), ["./", "../p1/", "../p2/", "../p3/"]);
    assert_eq!(menu_of("en/p1/index.html"), ["../guides/", "./", "../p2/", "../p3/"]);
    assert_eq!(menu_of("en/p2/index.html"), ["../guides/", "../p1/", "./", "../p3/"]);
    for guide in ["g1", "g2", "g3"] {
        assert_eq!(menu_of(&format!("en/guides/{guide}/index.html")), ["../", "../../p1/", "../../p2/", "../../p3/"]);
    }
    // The offline bundle's pages link the same way, to files.
    let zip = std::fs::File::open(site.out.join("en/offline-en.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(zip).unwrap();
    let mut read = |name: &str| {
        let mut html = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut html).unwrap();
        menu_links(&html).into_iter().map(|(_, h)| h).collect::<Vec<_>>()
    };
    assert_eq!(
        read("en/p2/index.html"),
        ["../guides/index.html", "../p1/index.html", "index.html", "../p3/index.html"]
    );
    assert_eq!(
        read("en/guides/g2/index.html"),
        ["../index.html", "../../p1/index.html", "../../p2/index.html", "../../p3/index.html"]
    );
}

/// Pages of one folder share the partials that read only what every page
/// gets; a site's own partial that reads the page, or that a template gives
/// a value of its own, is still rendered for each page.
#[test]
fn a_partial_that_reads_the_page_is_rendered_for_each_page() {
    let config = "title = \"Parts\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n";
    let mut files = vec![
        ("site.toml".to_string(), config.to_string()),
        ("content/_index.md".to_string(), "+++\ntitle = \"Home\"\n+++\n".to_string()),
        ("content/guides/_index.md".to_string(), "+++\ntitle = \"Guides\"\n+++\n".to_string()),
        // The menu names the page it is on: it cannot be shared.
        (
            "templates/partials/site_menu.html".to_string(),
            "<p class=\"menu-of\">{{ site.title }}: {% if page is defined %}{{ page.title }}{% endif %}</p>"
                .to_string(),
        ),
        // The footer's links read a value the page template sets.
        ("templates/partials/footer_links.html".to_string(), "<li class=\"home-of\">{{ home }}</li>".to_string()),
    ];
    let page_template =
        std::fs::read_to_string(common::repo_root().join("themes/default/templates/page.html")).unwrap();
    let page_template =
        page_template.replacen("{% block content %}", "{% block content %}{% set home = page.title %}", 1);
    files.push(("templates/page.html".to_string(), page_template));
    for n in 1..=4 {
        files.push((
            format!("content/guides/g{n}.md"),
            format!("+++\ntitle = \"Guide {n}\"\nweight = {n}\n+++\nText.\n"),
        ));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, c)| (p.as_str(), c.as_str())).collect();
    let dir = site_with(&files);
    let site = build_ok(dir.path(), &[]);
    for n in 1..=4 {
        let html = site.read(&format!("en/guides/g{n}/index.html"));
        assert!(html.contains(&format!("<p class=\"menu-of\">Parts: Guide {n}</p>")), "g{n}: {html}");
        assert!(html.contains(&format!("<li class=\"home-of\">Guide {n}</li>")), "g{n}: {html}");
    }
}

#[test]
fn nav_window_in_site_toml_sets_the_window() {
    let dir = site_with_sections(40, "nav_window = 5\n");
    let site = build_ok(dir.path(), &[]);
    let (nav, titles) = section_nav(&site.read("en/big/p20/index.html"));
    assert_eq!(titles, ["Page 18", "Page 19", "Page 20", "Page 21", "Page 22"]);
    assert!(nav.contains("17 earlier pages") && nav.contains("18 later pages"), "{nav}");
    let dir = site_with_sections(3, "nav_window = 0\n");
    let built = build(dir.path(), &[]);
    assert!(!built.success);
    assert!(built.stderr.contains("site.toml:3") && built.stderr.contains("nav_window"), "{}", built.stderr);
}

/// Titles and tag names are written by people, in either direction: in the
/// chrome of the other direction each is isolated, so `c++` in an Arabic
/// page's lists stays `c++` (not `++c`), and a fallback page's own title in
/// its breadcrumb carries the language it is written in, as its article does.
#[test]
fn titles_and_tags_in_the_chrome_keep_their_direction_and_language() {
    let dir = site_with(&[
        (
            "site.toml",
            "title = \"Mix\"\ndefault_language = \"en\"\n[offline]\nbundles = false\n\
             [languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\n",
        ),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/notes/_index.md", "+++\ntitle = \"Notes\"\n+++\n"),
        ("content/notes/_index.ar.md", "+++\ntitle = \"ملاحظات\"\n+++\n"),
        ("content/notes/cpp.md", "+++\ntitle = \"C++!\"\ntags = [\"c++\"]\n+++\nText.\n"),
        ("content/notes/cpp.ar.md", "+++\ntitle = \"C++!\"\ntags = [\"c++\"]\n+++\nنص.\n"),
        ("content/notes/gpg.md", "+++\ntitle = \"GnuPG, step by step\"\n+++\nText.\n"),
    ]);
    let site = build_ok(dir.path(), &[]);
    // A fallback page: English title in Arabic chrome.
    let gpg = site.read("ar/notes/gpg/index.html");
    assert!(gpg.contains("<li aria-current=\"page\" lang=\"en\" dir=\"ltr\">GnuPG, step by step</li>"), "{gpg}");
    // A Latin title in the page's own language, and its tag, in Arabic chrome.
    let cpp = site.read("ar/notes/cpp/index.html");
    for isolated in [
        "<li aria-current=\"page\" dir=\"auto\">C++!</li>",
        "<a href=\"./\" dir=\"auto\" aria-current=\"page\">C++!</a>",
        "<a href=\"../../tags/c/\" rel=\"tag\" dir=\"auto\">c++</a>",
        "<a href=\"../\" dir=\"auto\">ملاحظات</a>",
    ] {
        assert!(cpp.contains(isolated), "{isolated} in {cpp}");
    }
    let section = site.read("ar/notes/index.html");
    assert!(section.contains("<a href=\"cpp/\" dir=\"auto\">C++!</a>"), "{section}");
    assert!(section.contains("<a href=\"gpg/\" lang=\"en\" dir=\"ltr\">GnuPG, step by step</a>"), "{section}");
    let tags = site.read("ar/tags/index.html");
    assert!(tags.contains("<a href=\"c/\" dir=\"auto\">c++</a>"), "{tags}");
    let term = site.read("ar/tags/c/index.html");
    assert!(term.contains("<li aria-current=\"page\" dir=\"auto\">c++</li>"), "{term}");
    assert!(term.contains("<a href=\"../../notes/cpp/\" dir=\"auto\">C++!</a>"), "{term}");
}

/// A language without UI strings of its own (no `i18n/de.ftl`, none built
/// in) shows English chrome: each element carrying it says it is English
/// (and left to right in a right-to-left page), so screen readers read it
/// in the right voice; a language with its strings gets no extra attribute.
#[test]
fn chrome_shown_from_another_language_is_marked_with_it() {
    let site = build_ok(&fixture("ui_fallback"), &[]);
    for (lang, attrs) in [("de", " lang=\"en\""), ("fa", " lang=\"en\" dir=\"ltr\"")] {
        let page = site.read(&format!("{lang}/guides/mirroring/index.html"));
        assert!(page.contains(&format!("<html lang=\"{lang}\"")), "{lang}");
        for element in [
            format!("<a class=\"skip-link\" href=\"#main\"{attrs}>Skip to content</a>"),
            format!("aria-label=\"Site information\"{attrs}>"),
            format!("aria-label=\"Sections\"{attrs}>"),
            format!("aria-label=\"You are here\"{attrs}>"),
            format!("aria-label=\"On this page\"{attrs}>"),
            format!("placeholder=\"Search…\"{attrs}>"),
            format!("<button type=\"submit\"{attrs}>Search</button>"),
            format!("title=\"Atom feed of this language\"{attrs}>"),
        ] {
            assert!(page.contains(&element), "{lang}: no {element}");
        }
        // Markdown's own labels: an alert's title, and facilitator notes, whose
        // box is named in English while the notes stay in the page's language.
        assert!(page.contains(&format!("<p class=\"alert-title\"{attrs}>Note</p>")), "{lang}");
        let back = if lang == "fa" { " lang=\"fa\" dir=\"rtl\"" } else { " lang=\"de\"" };
        let notes = format!("aria-label=\"Facilitator notes\"{attrs}>\n<p class=\"facilitator-title\">Facilitator notes</p>\n<div{back}>\n<p>Ask who runs a mirror");
        assert!(page.contains(&notes), "{lang}: {page}");
        // Inside an English-marked menu, the page titles are the page's language again.
        let menu = page.split("aria-label=\"Sections\"").nth(1).unwrap();
        assert!(menu.trim_start().split('>').nth(1).unwrap().contains(&format!("lang=\"{lang}\"")), "{lang}: {menu}");
        let search = site.read(&format!("{lang}/search/index.html"));
        assert!(search.contains(&format!("<title{attrs}>Search · UI fallback</title>")), "{lang}");
        assert!(search.contains("data-msg-none-lang=\"en\""), "{lang}");
        assert!(search.contains("data-count-lang=\"en\""), "{lang}");
        let missing = site.read(&format!("{lang}/404.html"));
        assert!(missing.contains(&format!("<h1{attrs}>Page not found</h1>")), "{lang}");
        let section = site.read(&format!("{lang}/guides/index.html"));
        assert!(
            section.contains(&format!("<h2 id=\"pages-title\"><span{attrs}>Pages in this section</span>")),
            "{lang}"
        );
        let fallback = site.read(&format!("{lang}/guides/backups/index.html"));
        assert!(fallback.contains(&format!("notice-fallback\" role=\"note\"{attrs}>")), "{lang}");
    }
    // A language with some strings of its own: only the others are marked.
    let page = site.read("it/guides/mirroring/index.html");
    assert!(page.contains("<a class=\"skip-link\" href=\"#main\">Vai al contenuto</a>"), "{page}");
    assert!(page.contains("aria-label=\"Site information\" lang=\"en\">"), "{page}");
    assert!(page.contains("aria-label=\"You are here\" lang=\"en\">"), "{page}");
    // The language chooser names each language's own words in its language only.
    let chooser = site.read("index.html");
    assert!(chooser.contains("<span lang=\"es\">Elige tu idioma</span>"), "{chooser}");
    assert!(!chooser.contains("<span lang=\"de\">") && !chooser.contains("<span lang=\"fa\""), "{chooser}");
    // English, and Spanish with its own strings, carry none of it.
    for (lang, skip, footer, heading) in [
        ("en", "Skip to content", "Site information", "Pages in this section"),
        ("es", "Ir al contenido", "Información del sitio", "Páginas de esta sección"),
    ] {
        let page = site.read(&format!("{lang}/guides/mirroring/index.html"));
        assert!(page.contains(&format!("<a class=\"skip-link\" href=\"#main\">{skip}</a>")), "{lang}");
        assert!(page.contains(&format!("aria-label=\"{footer}\">")), "{lang}");
        let section = site.read(&format!("{lang}/guides/index.html"));
        assert!(section.contains(&format!("<h2 id=\"pages-title\">{heading} <span class=\"count\">")), "{lang}");
        let search = site.read(&format!("{lang}/search/index.html"));
        assert!(
            !search.contains("data-msg-none-lang") && !search.contains("data-count-lang") && search.contains("<h1>"),
            "{lang}"
        );
    }
}

/// A page with no text and no description gets the site's description, or
/// none at all: never an empty `<meta name="description" content="">`
/// (63 pages of the Disroot corpus had one).
#[test]
fn a_page_without_a_summary_has_no_empty_description() {
    let toml = "title = \"T\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n";
    let page = ("content/empty.md", "+++\ntitle = \"Empty\"\n+++\n");
    let dir = site_with(&[("site.toml", toml), ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHi.\n"), page]);
    let html = build_ok(dir.path(), &[]).read("en/empty/index.html");
    assert!(!html.contains("<meta name=\"description\""), "{html}");
    let described = format!("description = \"About things.\"\n{toml}");
    let dir = site_with(&[("site.toml", &described), ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHi.\n"), page]);
    let html = build_ok(dir.path(), &[]).read("en/empty/index.html");
    assert!(html.contains("<meta name=\"description\" content=\"About things.\">"), "{html}");
}
