//! Accessibility of the default theme, judged in headless Chromium by
//! tests/browser/a11y.mjs: axe-core (WCAG 2.0, 2.1 and 2.2 A and AA rules
//! and its best practices, every impact) over each kind of page of a fixture
//! site, the repo's own site and the Disroot corpus, at desktop and phone
//! widths in the light and the dark scheme; a walk by keyboard alone; and
//! right-to-left pages against their left-to-right twins.

mod common;

use std::path::Path;

use common::{browser_available, build_ok, fixture, repo_root, site_with};
use serde_json::{json, Value};

/// Runs `tests/browser/a11y.mjs COMMAND ARGS` and parses its JSON answer.
fn a11y(command: &str, args: &Value) -> Value {
    common::browser_script("a11y.mjs", command, args)
}

/// Rules a writer's Markdown breaks, not the theme: they count only where
/// every node is in the page's own content (`.content`).
const CONTENT_RULES: [&str; 2] = ["heading-order", "empty-heading"];

/// Every axe violation of `paths` at a desktop and a phone width, light and
/// dark, except the writer's own (CONTENT_RULES in `.content`), as lines to
/// print.
fn axe_violations(out: &Path, prefix: &str, paths: &[String]) -> Vec<String> {
    let answer = a11y(
        "axe",
        &json!({ "site": out, "prefix": prefix, "paths": paths, "widths": [1280, 375], "schemes": ["light", "dark"] }),
    );
    assert_eq!(answer["rules"], json!(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]));
    let pages = answer["pages"].as_array().unwrap();
    assert_eq!(pages.len(), paths.len() * 4, "{answer}");
    let mut found = Vec::new();
    for page in pages {
        // Each page was checked where it is, not where a script sent the browser.
        let url = page["url"].as_str().unwrap();
        let shown = &url[url.find("127.0.0.1:").unwrap() + 10..];
        let shown = &shown[shown.find('/').unwrap()..];
        assert_eq!(shown, format!("{prefix}{}", page["path"].as_str().unwrap()), "{url}");
        for v in page["violations"].as_array().unwrap() {
            let id = v["id"].as_str().unwrap();
            let nodes = v["nodes"].as_array().unwrap();
            let writers = CONTENT_RULES.contains(&id) && nodes.iter().all(|n| n["in_content"] == json!(true));
            if !writers {
                found.push(format!(
                    "{} at {} px, {}: {id} ({}): {}",
                    page["path"], page["width"], page["scheme"], v["help"], v["nodes"]
                ));
            }
        }
    }
    found
}

/// `prefix`: where the site is served (its base_url's path: 404 pages link
/// from the server's root).
fn assert_no_violations(out: &Path, prefix: &str, paths: &[String]) {
    let found = axe_violations(out, prefix, paths);
    assert!(found.is_empty(), "{} axe violations:\n{}", found.len(), found.join("\n"));
}

fn paths(list: &[&str]) -> Vec<String> {
    list.iter().map(|p| p.to_string()).collect()
}

#[test]
fn axe_finds_nothing_on_a_fixture_site_in_four_languages() {
    if !browser_available() {
        return;
    }
    let site = build_ok(&fixture("multilingual"), &[]);
    assert!(site.read("ca/docs/guide/index.html").contains("notice-fallback"), "ca/docs/guide/ is a fallback");
    assert!(site.read("ar/index.html").contains("dir=\"rtl\""));
    let pages = [
        "",
        "en/",
        "en/docs/",
        "en/docs/guide/",
        "ca/docs/guide/",
        "ar/",
        "ar/docs/guide/",
        "en/gallery/",
        "en/tags/",
        "en/tags/ops/",
        "ar/tags/",
        "en/search/?q=guide",
        "ar/search/?q=guide",
        "en/translations/",
        "en/404.html",
        "ar/404.html",
    ];
    assert_no_violations(&site.out, "/kb/", &paths(&pages));
}

#[test]
fn axe_finds_nothing_on_the_repo_site() {
    if !browser_available() {
        return;
    }
    let site = build_ok(&repo_root(), &[]);
    let pages = [
        "",
        "en/",
        "en/guides/",
        // Code blocks, tables, a table of contents, alerts.
        "en/guides/hardening/",
        "ar/guides/hardening/",
        // Fallbacks: shown in English in the Arabic and French chrome.
        "ar/guides/writing/",
        "fr/guides/writing/",
        // A workshop, with its packs.
        "en/training/digital-care/",
        "ar/training/",
        "en/search/?q=mirror",
        "ar/search/?q=%D9%83%D9%84%D9%85%D8%A7%D8%AA",
        "en/tags/",
        "en/tags/mirrors/",
        "ar/tags/",
        "en/translations/",
        "ar/translations/",
        "en/404.html",
        "ar/404.html",
    ];
    assert_no_violations(&site.out, "/", &paths(&pages));
}

/// The Disroot corpus, copied into a temporary site with our site.toml.
fn disroot_copy() -> tempfile::TempDir {
    let corpus = repo_root().join("../shared/corpora/disroot/content");
    assert!(corpus.is_dir(), "the Disroot corpus must be at {}", corpus.display());
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("disroot/site.toml"), dir.path().join("site.toml")).unwrap();
    for file in common::files(&corpus) {
        let target = dir.path().join("content").join(&file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(corpus.join(&file), target).unwrap();
    }
    dir
}

#[test]
fn axe_finds_nothing_the_theme_causes_on_the_disroot_corpus() {
    if !browser_available() {
        return;
    }
    let root = disroot_copy();
    let site = build_ok(root.path(), &[]);
    // A heading that is only an image with no alt text: its table of
    // contents entry would be a link with no name.
    let empty = "de/tutorials/cloud/clients/mobile/android/calendars-contacts-and-tasks/";
    assert!(site
        .read(&format!("{empty}index.html"))
        .contains("<h2 id=\"section\"><span class=\"broken-image\"></span></h2>"));
    let pages = [
        "",
        "en/",
        "ru/",
        "en/tutorials/",
        "en/tutorials/email/clients/desktop/claws-mail/",
        "en/tutorials/office/bin/",
        "fr/tutorials/user/account/administration/",
        // Fallbacks, shown in English.
        "eo/tutorials/user/disapp/",
        empty,
        "en/search/?q=email",
        "fr/search/?q=courriel",
        "en/tags/",
        "en/tags/android/",
        "hu/translations/",
        "en/404.html",
        "it/404.html",
    ];
    assert_no_violations(&site.out, "/", &paths(&pages));
}

/// A section of 40 pages, one of them long, so that the section navigation
/// beside it is taller than a short window.
fn long_section_site() -> tempfile::TempDir {
    let mut files = vec![
        (
            "site.toml".to_string(),
            "title = \"Keys\"\ndefault_language = \"en\"\n[offline]\nbundles = false\n\
             [languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\n"
                .to_string(),
        ),
        ("content/_index.md".to_string(), "+++\ntitle = \"Home\"\n+++\n".to_string()),
        ("content/big/_index.md".to_string(), "+++\ntitle = \"Big\"\n+++\n".to_string()),
    ];
    for n in 1..=40 {
        let body = if n == 20 {
            let para = "A paragraph long enough to take a line or two of the page's column of text.";
            format!(
                "## One\n\n## ![](gone.png)\n\n## Two\n\n## Three\n\n{}",
                (0..150).map(|i| format!("{para} {i}\n\n")).collect::<String>()
            )
        } else {
            "Text.\n".to_string()
        };
        files.push((
            format!("content/big/p{n:02}.md"),
            format!("+++\ntitle = \"Page {n:02}, with a title long enough to wrap\"\nweight = {n}\n+++\n{body}"),
        ));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, c)| (p.as_str(), c.as_str())).collect();
    site_with(&files)
}

#[test]
fn a_heading_without_text_gets_no_entry_in_the_table_of_contents() {
    let dir = long_section_site();
    let site = build_ok(dir.path(), &[]);
    let html = site.read("en/big/p20/index.html");
    let toc = &html[html.find("<nav class=\"toc\"").expect("a table of contents")..];
    let toc = &toc[..toc.find("</nav>").unwrap()];
    assert!(toc.contains("href=\"#one\"") && toc.contains("href=\"#three\""), "{toc}");
    assert!(!toc.contains("\"></a>"), "an entry with no text: {toc}");
}

/// Tab from the top of each page: the skip link comes first and moves focus
/// to `main`; the header's menu, search and language switcher come before
/// the page; every tabbable element is reached once, with a focus ring, in
/// view and not under anything; Shift+Tab walks back to the skip link.
fn assert_keyboard_walk(out: &Path, paths: &[&str], width: u32, height: u32, offline_copy: bool) {
    let answer = a11y(
        "keyboard",
        &json!({ "site": out, "paths": paths, "width": width, "height": height, "offline_copy": offline_copy }),
    );
    for page in answer["pages"].as_array().unwrap() {
        let at = format!("{} at {width}×{height}{}", page["path"], if offline_copy { ", marked offline" } else { "" });
        assert_eq!(page["first"]["classes"], "skip-link", "{at}: the first Tab: {}", page["first"]);
        assert_eq!(page["first"]["href"], "#main", "{at}");
        assert!(
            page["first"]["inView"] == json!(true) && page["first"]["ring"] == json!(true),
            "{at}: {}",
            page["first"]
        );
        assert_eq!(page["afterSkip"], "main#main", "{at}: Enter on the skip link");
        let next = page["afterSkipTab"]["where"].as_str().unwrap();
        assert!(
            next.starts_with("main") || next.contains("section-nav"),
            "{at}: Tab after the skip link went to {next}"
        );
        let forward = page["forward"].as_array().unwrap();
        let tabbable = page["tabbable"].as_array().unwrap();
        assert_eq!(
            forward.len(),
            tabbable.len(),
            "{at}: Tab reached {} of {} elements (a trap?): {forward:#?}\n{tabbable:#?}",
            forward.len(),
            tabbable.len()
        );
        let lost: Vec<&Value> = forward
            .iter()
            .filter(|f| f["ring"] != json!(true) || f["inView"] != json!(true) || f["covered"] != json!(false))
            .collect();
        assert!(lost.is_empty(), "{at}: focus without a ring, out of view or covered: {lost:#?}");
        let first_of = |what: &str| forward.iter().position(|f| f["where"].as_str().unwrap().contains(what));
        let main = first_of("main").expect("something to focus in main");
        assert!(first_of("site-menu").is_some_and(|i| i < main), "{at}: the menu after the page, or missing");
        // Every kind of page lists its translations, tag, search and status pages too.
        let switcher = first_of("language-switcher").unwrap_or_else(|| panic!("{at}: no language switcher"));
        assert!(switcher < main, "{at}: the language switcher after the page");
        let search = forward.iter().position(|f| f["key"].as_str().unwrap().starts_with("input#site-search-input"));
        // The search page has its own field, in main, instead.
        assert!(
            search.is_some_and(|i| i < main) || at.contains("/search/"),
            "{at}: the header's search after the page, or missing"
        );
        let backward = page["backward"].as_array().unwrap();
        assert_eq!(backward.len(), forward.len(), "{at}: Shift+Tab: {backward:#?}");
        assert_eq!(backward.last(), Some(&forward[0]["key"]), "{at}: Shift+Tab back to the skip link");
    }
}

#[test]
fn keyboard_alone_reaches_everything_in_order_with_a_visible_focus() {
    if !browser_available() {
        return;
    }
    let site = build_ok(&repo_root(), &[]);
    let pages = [
        "en/guides/hardening/",
        "ar/guides/writing/",
        "en/search/?q=mirror",
        "ar/tags/",
        "en/translations/",
        "ar/404.html",
    ];
    assert_keyboard_walk(&site.out, &pages, 1280, 800, false);
    assert_keyboard_walk(&site.out, &pages, 375, 700, false);
}

/// WCAG 2.4.11: a section navigation taller than the window, and the banner
/// on pages the service worker served from its cache, hide no focused link.
#[test]
fn focus_is_never_hidden_by_a_tall_section_navigation_or_the_offline_banner() {
    if !browser_available() {
        return;
    }
    let dir = long_section_site();
    let site = build_ok(dir.path(), &[]);
    for offline_copy in [false, true] {
        assert_keyboard_walk(&site.out, &["en/big/p20/", "ar/big/p20/"], 1280, 450, offline_copy);
        assert_keyboard_walk(&site.out, &["en/big/p20/"], 375, 600, offline_copy);
    }
    let repo = build_ok(&repo_root(), &[]);
    assert_keyboard_walk(&repo.out, &["en/guides/hardening/", "ar/guides/writing/"], 375, 600, true);
}

#[test]
fn arabic_pages_mirror_their_english_twins_and_keep_code_and_language_names_in_their_own_direction() {
    if !browser_available() {
        return;
    }
    let site = build_ok(&repo_root(), &[]);
    let pairs = [
        ["en/guides/hardening/", "ar/guides/hardening/"],
        ["fr/guides/writing/", "ar/guides/writing/"],
        ["en/training/", "ar/training/"],
        ["en/search/?q=password", "ar/search/?q=%D9%83%D9%84%D9%85%D8%A7%D8%AA"],
    ];
    let answer = a11y("rtl", &json!({ "site": site.out, "pairs": pairs }));
    let mirrored = |v: &Value| {
        let swap = |a: &Value| json!([a[1], a[0]]);
        json!({ "padding": swap(&v["padding"]), "border": swap(&v["border"]), "corners": swap(&v["corners"]) })
    };
    let sides = |v: &Value| json!({ "padding": v["padding"], "border": v["border"], "corners": v["corners"] });
    for page in answer["pages"].as_array().unwrap() {
        let at = page["rtl"].as_str().unwrap();
        assert_eq!(page["dir"], "rtl", "{at}");
        let (ltr, rtl) = (page["left_to_right"].as_object().unwrap(), page["right_to_left"].as_object().unwrap());
        let mut compared = 0;
        for (selector, left) in ltr {
            let right = &rtl[selector];
            // A fallback's content stays left to right inside the Arabic page.
            if left["direction"] == "ltr" && right["direction"] == "rtl" {
                assert_eq!(sides(right), mirrored(left), "{at}: {selector} does not mirror");
                compared += 1;
            }
        }
        assert!(compared >= 3, "{at}: {compared} elements compared: {page}");
        for code in page["code"].as_array().unwrap() {
            assert_eq!(code, "ltr left", "{at}: a code block reads right to left");
        }
        let switcher = page["switcher"].as_array().unwrap();
        assert!(switcher.len() >= 5, "{at}: {switcher:?}");
        for entry in switcher {
            let code = entry["hreflang"].as_str().unwrap();
            let dir = if code == "ar" { "rtl" } else { "ltr" };
            assert_eq!(entry["lang"], code, "{at}: {entry}");
            assert_eq!((entry["dir"].as_str(), entry["direction"].as_str()), (Some(dir), Some(dir)), "{at}: {entry}");
        }
    }
    assert!(answer["pages"][1]["code"].as_array().unwrap().len() > 3, "the fallback has code blocks");
}

/// The theme's CSS says start and end, not left and right, so that a
/// right-to-left page mirrors without rules of its own; the exceptions are
/// those that must not mirror (code reads left to right).
#[test]
fn the_theme_css_uses_logical_properties() {
    let css = std::fs::read_to_string(repo_root().join("themes/default/static/style.css")).unwrap();
    let physical = physical_sides(&css);
    assert_eq!(physical, vec!["text-align: left".to_string()], "physical properties in style.css");
}

/// Declarations naming a physical side, in order.
fn physical_sides(css: &str) -> Vec<String> {
    css.split([';', '{', '}'])
        .map(|d| d.trim())
        .filter(|d| !d.starts_with("/*") && !d.starts_with("content:"))
        .filter_map(|d| {
            let (property, value) = d.split_once(':')?;
            let (property, value) = (property.trim(), value.trim());
            let side = |s: &str| s.split(['-', ' ']).any(|w| w == "left" || w == "right");
            (side(property) || (["float", "clear", "text-align"].contains(&property) && side(value)))
                .then(|| format!("{property}: {value}"))
        })
        .collect()
}
