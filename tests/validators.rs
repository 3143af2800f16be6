//! The output judged by real validators: the Nu HTML checker, axe-core in
//! headless Chromium (with the Content-Security-Policy watched), and an XML
//! parser for the feeds.

mod common;

use std::process::Command;

use common::{browser, browser_available, build_ok, repo_root, site_with, site_with_sections, tool_available};
use serde_json::json;

/// One page of each template, in a left-to-right and a right-to-left language.
fn pages_of_each_template(out: &std::path::Path, offline: bool) -> Vec<String> {
    let index = if offline { "index.html" } else { "" };
    let term = |lang: &str| {
        std::fs::read_dir(out.join(lang).join("tags"))
            .ok()
            .and_then(|mut d| d.find(|e| e.as_ref().is_ok_and(|e| e.path().is_dir())))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
    };
    let mut pages = vec![index.to_string()];
    for lang in ["en", "ar"] {
        for path in [
            "",
            "guides/",
            "guides/mirroring/",
            "guides/writing/",
            "training/digital-care/",
            "tags/",
            "search/",
            "translations/",
        ] {
            pages.push(format!("{lang}/{path}{index}"));
        }
        if let Some(term) = term(lang) {
            pages.push(format!("{lang}/tags/{term}/{index}"));
        }
        pages.push(format!("{lang}/404.html"));
    }
    pages
}

/// The Nu HTML checker's jar, when java and it are installed (under
/// `CI=true`, missing either fails the test).
fn nu_checker() -> Option<std::path::PathBuf> {
    let vnu = repo_root().join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar");
    if !tool_available("java", &["-version"]) {
        return None;
    }
    if !vnu.is_file() {
        assert!(std::env::var("CI").is_err(), "vnu-jar is missing under CI=true: npm ci --prefix tests/browser");
        eprintln!("SKIPPED: npm ci --prefix tests/browser installs vnu-jar");
        return None;
    }
    Some(vnu)
}

/// Runs the Nu HTML checker on `files`: no error allowed.
fn assert_valid_html<P: AsRef<std::ffi::OsStr>>(vnu: &std::path::Path, files: impl IntoIterator<Item = P>) {
    let output = Command::new("java")
        .arg("-jar")
        .arg(vnu)
        .args(["--errors-only", "--format", "gnu"])
        .args(files)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() && report.trim().is_empty(), "Nu HTML checker:\n{report}");
}

/// Every HTML file of a built site, as paths.
fn html_files(out: &std::path::Path) -> Vec<String> {
    common::files(out)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "html"))
        .map(|f| out.join(f).to_string_lossy().into_owned())
        .collect()
}

#[test]
fn nu_html_checker_finds_no_errors_in_the_repo_site() {
    let Some(vnu) = nu_checker() else { return };
    let site = build_ok(&repo_root(), &[]);
    let html = html_files(&site.out);
    assert!(html.len() > 100);
    assert_valid_html(&vnu, &html);
}

#[test]
fn every_template_passes_axe_and_its_csp_in_ltr_and_rtl() {
    if !browser_available() {
        return;
    }
    for (mode, offline) in [("http", false), ("file", true)] {
        let site = build_ok(&repo_root(), if offline { &["--offline"][..] } else { &[] });
        let paths = pages_of_each_template(&site.out, offline);
        let answer = browser("pages", &json!({ "site": site.out, "mode": mode, "paths": paths }));
        let pages = answer["pages"].as_array().unwrap();
        assert_eq!(pages.len(), paths.len());
        for page in pages {
            assert_eq!(page["console"], json!([]), "{mode} {}: errors or CSP violations", page["path"]);
            assert_eq!(page["axe"], json!([]), "{mode} {}: serious or critical accessibility violations", page["path"]);
            let path = page["path"].as_str().unwrap();
            let expected = if path.starts_with("ar/") { "ar rtl" } else { "en ltr" };
            assert_eq!(page["lang"], expected, "{mode} {path}");
        }
    }
}

/// The repo site's sections are smaller than the navigation's window: a
/// larger one's gaps and link to the whole section, in ltr and rtl.
#[test]
fn a_windowed_section_navigation_passes_the_checker_and_axe() {
    let dir = site_with_sections(40, "");
    let site = build_ok(dir.path(), &[]);
    let paths = ["en/big/p20/", "ar/big/p20/", "en/big/p01/", "ar/big/p40/"];
    if let Some(vnu) = nu_checker() {
        assert_valid_html(&vnu, paths.map(|p| site.out.join(p).join("index.html")));
    }
    if !browser_available() {
        return;
    }
    let answer = browser("pages", &json!({ "site": site.out, "mode": "http", "paths": paths }));
    let pages = answer["pages"].as_array().unwrap();
    assert_eq!(pages.len(), paths.len());
    for page in pages {
        assert_eq!(page["console"], json!([]), "{}: errors or CSP violations", page["path"]);
        assert_eq!(page["axe"], json!([]), "{}: serious or critical accessibility violations", page["path"]);
    }
}

/// Raw HTML as imported guides have it: a tag over several lines has its
/// links on its later lines resolved and checked at their own line and
/// column, and an image whose file is missing becomes its alt text, as a
/// Markdown image does (an `<img>` with no `src` is not HTML).
#[test]
fn raw_html_with_missing_images_and_tags_over_lines_stays_valid_html() {
    let page = "+++\ntitle = \"Raw\"\n+++\nIntro.\n\n<p class=\"shots\">\n<img alt=\"The menu\"\n     src=\"menu.png\">\n\
                <a class=\"next\"\n   href=\"../other.md\">Other</a>\n<img src=\"found.png\" alt=\"Found\" width=\"10\">\n</p>\n\n\
                Inline <img src=\"gone.png\" alt=\"Gone\"> too.\n";
    let root = site_with(&[
        ("site.toml", "title = \"Raw\"\ndefault_language = \"en\"\n[offline]\nbundles = false\n[languages.en]\nname = \"English\"\n"),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("content/raw/index.md", page),
        ("content/raw/found.png", "not really a png"),
        ("content/other.md", "+++\ntitle = \"Other\"\n+++\nOther.\n"),
    ]);
    let site = build_ok(root.path(), &[]);
    let html = site.read("en/raw/index.html");
    assert!(html.contains("<span class=\"broken-image\">The menu</span>"), "{html}");
    assert!(html.contains("<span class=\"broken-image\">Gone</span>"), "{html}");
    assert!(html.contains("href=\"../other/\">Other</a>"), "{html}");
    assert!(html.contains("src=\"found.png\" alt=\"Found\" width=\"10\">"), "{html}");
    assert!(!html.contains("broken-src"), "{html}");
    let page_file = std::path::Path::new("content").join("raw").join("index.md");
    let at = |line_column: &str| format!("{}:{line_column}", page_file.display());
    assert!(site.stderr.contains(&at("8:6: warning")), "the missing menu.png at its line and column:\n{}", site.stderr);
    assert!(site.stderr.contains(&at("14:13: warning")), "the missing gone.png at its column:\n{}", site.stderr);
    if let Some(vnu) = nu_checker() {
        assert_valid_html(&vnu, [site.out.join("en/raw/index.html")]);
    }
}

#[test]
fn an_inline_script_is_refused_by_the_pages_own_policy() {
    // The control for the test above: a CSP violation does reach the report.
    if !browser_available() {
        return;
    }
    let site = build_ok(&common::fixture("minimal"), &[]);
    let page = site.out.join("en/hello/index.html");
    let html =
        std::fs::read_to_string(&page).unwrap().replace("</main>", "<script>document.title = 'ran'</script></main>");
    std::fs::write(&page, html).unwrap();
    let answer = browser("pages", &json!({ "site": site.out, "mode": "http", "paths": ["en/hello/"] }));
    let console = answer["pages"][0]["console"].to_string();
    assert!(console.contains("Content Security Policy"), "{answer}");
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|c| c.tag_name().name() == name)
}

#[test]
fn atom_feeds_are_well_formed_with_the_required_elements() {
    let site = build_ok(&repo_root(), &[]);
    for lang in ["en", "ca", "es", "fr", "pt", "ar"] {
        let text = site.read(&format!("{lang}/atom.xml"));
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{lang}/atom.xml: {e}"));
        let feed = doc.root_element();
        assert_eq!(feed.tag_name().name(), "feed");
        assert_eq!(feed.tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
        for required in ["id", "title", "updated", "author"] {
            assert!(child(feed, required).is_some(), "{lang}: feed without <{required}>");
        }
        let entries: Vec<_> = feed.children().filter(|c| c.tag_name().name() == "entry").collect();
        assert!(!entries.is_empty(), "{lang}: no entries");
        for entry in entries {
            for required in ["id", "title", "updated", "link"] {
                assert!(child(entry, required).is_some(), "{lang}: entry without <{required}>");
            }
            let updated = child(entry, "updated").unwrap().text().unwrap();
            assert!(updated.len() >= 20 && updated.contains('T'), "{lang}: {updated} is not RFC 3339");
        }
    }
}

/// WCAG 1.4.10 (reflow): at 320 CSS px — a phone, or 400 % zoom — no page
/// scrolls sideways. Long inline code, a long word in a title or tag, and a
/// long link text wrap; tables and code blocks scroll in their own box.
#[test]
fn pages_do_not_scroll_sideways_at_320_css_pixels() {
    if !browser_available() {
        return;
    }
    let long = "Supercalifragilisticexpialidociousnessesandmore";
    let page = format!(
        "+++\ntitle = \"{long} {long}\"\ntags = [\"{long}\"]\n+++\n\
         Run `#channelname%irc.network.tld@irc.example.org/AgsmqnJEyUZAcybZmOGKljqYRtDhJKsvZC` now.\n\n\
         ## {long}{long}\n\n\
         See [https://example.org/a/very/long/address/that/has/no/spaces/at/all/{long}](https://example.org/x).\n\n\
         | `{long}` | `{long}` | `{long}` |\n|---|---|---|\n| a | b | c |\n\n\
         ```text\n{long}{long}{long}\n```\n"
    );
    let dir = common::site_with(&[
        (
            "site.toml",
            "title = \"Reflow\"\ndefault_language = \"en\"\n[offline]\nbundles = false\n\
             [languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\n",
        ),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/docs/_index.md", "+++\ntitle = \"Docs\"\n+++\n"),
        ("content/docs/wide.md", &page),
    ]);
    let site = build_ok(dir.path(), &[]);
    let term = long.to_lowercase();
    let mut paths = Vec::new();
    for lang in ["en", "ar"] {
        for path in ["docs/wide/", "docs/", "tags/", &format!("tags/{term}/")] {
            paths.push(format!("{lang}/{path}"));
        }
    }
    assert!(site.exists(&format!("en/tags/{term}/index.html")), "{}", site.stderr);
    let answer = browser("reflow", &json!({ "site": site.out, "mode": "http", "paths": paths, "width": 320 }));
    let pages = answer["pages"].as_array().unwrap();
    assert_eq!(pages.len(), paths.len());
    for page in pages {
        assert_eq!(page["overflow"], json!(0), "{} scrolls sideways at 320 px: {}", page["path"], page["culprits"]);
    }
}

/// WCAG 1.4.11 (non-text contrast): every focus ring reached with Tab, and
/// the edge of every text field, stands out at least 3:1 from what is behind
/// it, in the light and the dark scheme, in the header (its own background)
/// and on the page, left to right and right to left.
#[test]
fn focus_rings_and_field_borders_have_3_to_1_contrast_in_both_schemes() {
    if !browser_available() {
        return;
    }
    let site = build_ok(&repo_root(), &[]);
    let paths = ["en/guides/backups/", "ar/guides/mirroring/", "en/search/", "ar/tags/"];
    let answer = browser("focus", &json!({ "site": site.out, "mode": "http", "paths": paths }));
    let marks = answer["marks"].as_array().unwrap();
    for path in paths {
        for scheme in ["light", "dark"] {
            let of_page = |what: &str| {
                marks
                    .iter()
                    .filter(|m| {
                        m["path"] == path && m["scheme"] == scheme && m["what"].as_str().unwrap().starts_with(what)
                    })
                    .count()
            };
            assert!(of_page("focus outline of ") > 10, "{path} {scheme}: too few controls reached with Tab: {answer}");
            assert!(of_page("border of input") >= 2, "{path} {scheme}: no text field reached: {answer}");
        }
    }
    let faint: Vec<String> = marks
        .iter()
        .filter(|m| m["ratio"].as_f64().unwrap() < 3.0)
        .map(|m| format!("{} {}: {} ({}:1)", m["path"], m["scheme"], m["what"], m["ratio"]))
        .collect();
    assert!(faint.is_empty(), "below 3:1:\n{}", faint.join("\n"));
}

/// Chrome marked with the language it is shown in (a language without UI
/// strings of its own, left to right in a right-to-left one) is valid HTML.
#[test]
fn nu_html_checker_passes_chrome_marked_with_another_language() {
    let Some(vnu) = nu_checker() else { return };
    let site = build_ok(&common::fixture("ui_fallback"), &[]);
    let html = html_files(&site.out);
    let marked = html
        .iter()
        .filter(|f| std::fs::read_to_string(f).unwrap().contains("href=\"#main\" lang=\"en\" dir=\"ltr\">"))
        .count();
    assert!(marked > 5, "the fixture's Persian pages show English chrome");
    assert_valid_html(&vnu, &html);
}
