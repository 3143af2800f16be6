//! Workshop packs made by the real binary: what a trainer unzips in a room
//! with no connection. The agenda, the mini-site (every link inside the
//! zip), print.html, an EPUB that epubcheck accepts in a left-to-right and
//! a right-to-left language, the sources, the participants' version, search
//! from disk in Chromium, the packs the site offers, and bad workshops.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::offline::{entries, epubcheck, epubcheck_available, files_containing, unzip, without_isolation};
use common::{
    broken_internal_links, browser_available, build_ok, copy_fixture, fixture, infrared, repo_root, site_with,
    third_party_loads, tool_available,
};
use serde_json::json;

/// `infrared pack ARGS` for the site at `root`, into a temporary folder:
/// (the folder, the zip, stderr).
fn pack(root: &Path, args: &[&str]) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("pack.zip");
    let mut all = vec!["--root", root.to_str().unwrap(), "pack"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", zip.to_str().unwrap()]);
    let output = infrared(&all);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "pack {args:?} failed:\n{stderr}");
    (dir, zip, stderr)
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn epub_entry(epub: &Path, name: &str) -> String {
    let found = entries(epub).into_iter().find(|(n, _)| n == name);
    String::from_utf8(found.unwrap_or_else(|| panic!("no {name} in the EPUB")).1).unwrap()
}

#[test]
fn repo_workshop_packs_pass_epubcheck_in_ltr_and_rtl() {
    for (lang, dir) in [("en", "ltr"), ("ar", "rtl")] {
        let (_tmp, zip, stderr) = pack(&repo_root(), &["training/digital-care", "--lang", lang]);
        assert!(stderr.contains(&format!("Wrote the {lang} pack")), "{stderr}");
        let files = unzip(&zip);
        let out = files.path();
        for path in ["index.html", "print.html", "digital-care.epub"] {
            assert!(out.join(path).is_file(), "{lang}: {path} missing");
        }
        let problems = broken_internal_links(out, true, true);
        assert!(problems.is_empty(), "{lang}: {problems:#?}");
        assert!(third_party_loads(out).is_empty(), "{lang}");
        let epub = out.join("digital-care.epub");
        let opf = epub_entry(&epub, "EPUB/package.opf");
        assert!(opf.contains(&format!("<dc:language>{lang}</dc:language>")), "{opf}");
        assert!(opf.contains(&format!("page-progression-direction=\"{dir}\"")), "{opf}");
        let nav = epub_entry(&epub, "EPUB/nav.xhtml");
        assert!(nav.contains(&format!("dir=\"{dir}\"")), "{nav}");
        for chapter in ["agenda.xhtml", "m0.xhtml", "m1.xhtml", "m2.xhtml", "m3.xhtml"] {
            assert!(nav.contains(&format!("href=\"{chapter}\"")), "{lang}: {chapter} not in the toc");
        }
        assert!(nav.contains("href=\"m1.xhtml#m1."), "sections nest in the toc: {nav}");
        if epubcheck_available() {
            epubcheck(&epub);
        }
    }
}

/// A one-language site with one workshop, `w`, of one module, `w/mod`,
/// whose body is `module_body`, with `files` (name, text) beside it.
fn one_module_workshop(module_body: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let module = format!("+++\ntitle = \"Mod\"\n[module]\nduration = \"1h\"\n+++\n{module_body}");
    let paths: Vec<String> = files.iter().map(|(name, _)| format!("content/w/mod/{name}")).collect();
    let mut all = vec![
        ("site.toml", "title = \"A\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n"),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHi.\n"),
        (
            "content/w/index.md",
            "+++\ntitle = \"W\"\n[workshop]\nduration = \"1h\"\nmodules = [\"mod/index.md\"]\n+++\nIntro.\n",
        ),
        ("content/w/mod/index.md", module.as_str()),
    ];
    all.extend(paths.iter().zip(files).map(|(path, (_, text))| (path.as_str(), *text)));
    site_with(&all)
}

#[test]
fn a_module_with_local_audio_and_video_still_makes_an_epub_epubcheck_accepts() {
    let site = one_module_workshop(
        "Listen:\n\n<audio controls src=\"clip.mp3\"></audio>\n\nWatch: <video controls src=\"clip.webm\"><track kind=\"captions\" src=\"clip.vtt\"></video> then talk.\n",
        &[("clip.mp3", "not really audio"), ("clip.webm", "not really video"), ("clip.vtt", "WEBVTT\n")],
    );
    let (_tmp, zip, _) = pack(site.path(), &["w", "--lang", "en"]);
    let files = unzip(&zip);
    let mini_site = std::fs::read_to_string(files.path().join("en/w/mod/index.html")).unwrap();
    assert!(mini_site.contains("src=\"clip.mp3\""), "the mini-site keeps the player: {mini_site}");
    let epub = files.path().join("w.epub");
    let chapter = epub_entry(&epub, "EPUB/m1.xhtml");
    assert!(!chapter.contains("<audio") && !chapter.contains("<video"), "{chapter}");
    assert!(chapter.contains("Watch:") && chapter.contains("then talk."), "the text around stays: {chapter}");
    if epubcheck_available() {
        epubcheck(&epub);
    }
}

/// The English pack of workshop `w` in `site`, unzipped, and its EPUB's path
/// (the temporary folders are kept alive by the first two).
fn packed_epub(site: &Path) -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
    let (tmp, zip, _) = pack(site, &["w", "--lang", "en"]);
    let files = unzip(&zip);
    let epub = files.path().join("w.epub");
    (tmp, files, epub)
}

/// The EPUB's copies of the pages' files, with their bytes.
fn files_inside(epub: &Path) -> Vec<(String, Vec<u8>)> {
    entries(epub).into_iter().filter(|(name, _)| name.starts_with("EPUB/files/")).collect()
}

/// Regression: `my photo.png` went into the EPUB under its own name, and
/// epubcheck warned that a name with a space needs escaping.
#[test]
fn resources_whose_names_have_spaces_make_an_epub_with_no_warning() {
    let svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"5\" height=\"5\"/></svg>";
    let site = one_module_workshop(
        "![First](<my photo.svg>)\n\n![Second](my_20photo.svg)\n\n![Third](my%25%20photo%20(2).svg)\n",
        &[
            ("my photo.svg", svg),
            ("my_20photo.svg", &svg.replace("width=\"5\"", "width=\"3\"")),
            ("my% photo (2).svg", &svg.replace("5", "7")),
        ],
    );
    let (_tmp, _files, epub) = packed_epub(site.path());
    let chapter = epub_entry(&epub, "EPUB/m1.xhtml");
    let inside = files_inside(&epub);
    assert_eq!(inside.len(), 3, "three files, three names: {inside:?}");
    for (name, bytes) in &inside {
        assert!(!name.contains([' ', '%']), "{name}");
        let href = name.strip_prefix("EPUB/").unwrap();
        assert!(chapter.contains(&format!("src=\"{href}\"")), "the chapter shows {href}: {chapter}");
        let original = match href.rsplit('/').next().unwrap() {
            "my_20photo.svg" => "my photo.svg",
            "my_5F20photo.svg" => "my_20photo.svg",
            "my_25_20photo_20_282_29.svg" => "my% photo (2).svg",
            other => panic!("unexpected name {other}"),
        };
        assert_eq!(bytes, &std::fs::read(site.path().join("content/w/mod").join(original)).unwrap(), "{name}");
    }
    let opf = epub_entry(&epub, "EPUB/package.opf");
    assert!(opf.contains("href=\"files/en/w/mod/my_20photo.svg\""), "{opf}");
    if epubcheck_available() {
        epubcheck(&epub);
    }
}

/// Regression: `Photo.svg` and `photo.svg` went into the EPUB under names
/// that differ only in case, which a book's names must not.
#[test]
fn resources_whose_names_differ_only_in_case_stay_apart_in_the_epub() {
    let svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"5\" height=\"5\"/></svg>";
    let site = one_module_workshop(
        "![Upper](Photo.svg)\n\n![Lower](photo.svg)\n\n![Upper again](Photo.svg)\n",
        &[("Photo.svg", svg), ("photo.svg", &svg.replace("5", "7"))],
    );
    let (_tmp, _files, epub) = packed_epub(site.path());
    let chapter = epub_entry(&epub, "EPUB/m1.xhtml");
    let inside = files_inside(&epub);
    let folded: std::collections::BTreeSet<String> = inside.iter().map(|(name, _)| name.to_lowercase()).collect();
    assert_eq!((inside.len(), folded.len()), (2, 2), "two files, two names ignoring case: {inside:?}");
    for (name, bytes) in &inside {
        let href = name.strip_prefix("EPUB/").unwrap();
        let original = if href.ends_with("/Photo.svg") { "Photo.svg" } else { "photo.svg" };
        assert_eq!(bytes, &std::fs::read(site.path().join("content/w/mod").join(original)).unwrap(), "{name}");
        assert!(chapter.contains(&format!("src=\"{href}\"")), "the chapter shows {href}: {chapter}");
    }
    assert_eq!(chapter.matches("Photo.svg\"").count(), 2, "the same file keeps its name: {chapter}");
    if epubcheck_available() {
        epubcheck(&epub);
    }
}

#[test]
fn an_arabic_pack_has_the_agenda_mini_site_print_epub_and_sources() {
    let (_tmp, zip, _) = pack(&fixture("workshop"), &["training/circle.md", "--lang", "ar"]);
    let names: Vec<String> = entries(&zip).into_iter().map(|(n, _)| n).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries are sorted");
    for expected in [
        "index.html",
        "print.html",
        "circle.epub",
        "ar/training/circle/index.html",
        "ar/training/opening/index.html",
        "ar/guides/diagram/index.html",
        "ar/guides/diagram/flow.svg",
        "ar/training/closing/index.html",
        "ar/search/index.html",
        "search/ar/manifest.js",
        "sources/training/circle.ar.md",
        "sources/training/opening.ar.md",
        "sources/guides/diagram/index.md",
        "sources/guides/diagram/flow.svg",
        "sources/training/closing.md",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected} missing: {names:#?}");
    }
    assert!(
        !names.iter().any(|n| n.contains("community-radio") || n.starts_with("en/")),
        "only the workshop and its modules: {names:#?}"
    );
    let files = unzip(&zip);
    let out = files.path();
    let agenda = without_isolation(&read(out, "index.html"));
    assert!(agenda.contains("<html lang=\"ar\" dir=\"rtl\">"), "{agenda}");
    for text in [
        "دائرة الإصغاء",
        "مجموعات الأحياء",
        "كراسٍ في دائرة",
        "جولة افتتاحية",
        "سماع كل صوت مرة واحدة",
        "Drawing the flow",
        "Closing round",
        "Name one change for the group",
        "لم تُحدَّد مدة",
    ] {
        assert!(agenda.contains(text), "agenda lacks {text}:\n{agenda}");
    }
    // Modules shown from the fallback are named as such, and the durations add up.
    assert_eq!(agenda.matches("باللغة").count(), 2, "{agenda}");
    assert!(agenda.contains("ساعتان"), "total of 2h: {agenda}");
    assert!(agenda.contains("45 دقيقة"), "{agenda}");
    let opening = read(out, "ar/training/opening/index.html");
    assert!(opening.contains("<article class=\"page\" lang=\"ar\" dir=\"rtl\">"));
    assert!(opening.contains("href=\"../closing/index.html#wrap\""), "{opening}");
    assert!(opening.contains("href=\"../circle/index.html\""), "pack navigation: {opening}");
    let closing = read(out, "ar/training/closing/index.html");
    assert!(closing.contains("notice-fallback"), "{closing}");
    assert!(closing.contains("<article class=\"page\" lang=\"en\" dir=\"ltr\">"));
    let print = read(out, "print.html");
    assert_eq!(print.matches("<section class=\"print-section\"").count(), 4);
    assert!(print.contains("id=\"m1.round\"") && print.contains("href=\"#m3.wrap\""), "{print}");
    assert!(
        print.contains("<sup class=\"footnote-reference\"><a href=\"#m0.time\">"),
        "footnotes stay linked in one page: {print}"
    );
    assert!(!print.contains("site-header") && !print.contains("pack-nav"), "no navigation chrome");
    let css = std::fs::read_dir(out.join("assets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("pack."))
        .expect("pack stylesheet");
    let css = std::fs::read_to_string(css).unwrap();
    assert!(css.contains(".print-section { break-before: page;"), "{css}");
    let epub = out.join("circle.epub");
    let opf = epub_entry(&epub, "EPUB/package.opf");
    assert!(opf.contains("files/ar/guides/diagram/flow.svg"), "images travel in the book: {opf}");
    let chapter = epub_entry(&epub, "EPUB/m3.xhtml");
    assert!(chapter.contains("lang=\"en\" xml:lang=\"en\" dir=\"ltr\""), "{chapter}");
    assert!(chapter.contains("<pre dir=\"ltr\""), "{chapter}");
    if epubcheck_available() {
        epubcheck(&epub);
    }
}

#[test]
fn links_leaving_the_pack_are_marked_and_lead_online_when_the_site_has_an_address() {
    let (_tmp, zip, _) = pack(&fixture("workshop"), &["training/circle", "--lang", "en"]);
    let files = unzip(&zip);
    let page = read(files.path(), "en/training/circle/index.html");
    assert!(page.contains("<a class=\"outside-link\" title=\"Not in this pack\">community radio</a>"), "{page}");
    // With a base_url, the same link leads to the page online.
    let site = site_with(&[]);
    copy_tree(&fixture("workshop"), site.path());
    let config = std::fs::read_to_string(site.path().join("site.toml")).unwrap();
    std::fs::write(
        site.path().join("site.toml"),
        config.replace("default_language", "base_url = \"https://circle.example.org\"\ndefault_language"),
    )
    .unwrap();
    let (_tmp, zip, _) = pack(site.path(), &["training/circle", "--lang", "en"]);
    let files = unzip(&zip);
    let opening = read(files.path(), "en/training/opening/index.html");
    assert!(
        opening.contains("<a class=\"outside-link\" href=\"https://circle.example.org/en/guides/community-radio/#licences\" title=\"Not in this pack\">"),
        "{opening}"
    );
    let print = read(files.path(), "print.html");
    assert!(print.contains("href=\"https://circle.example.org/en/guides/community-radio/#licences\""));
    assert!(broken_internal_links(files.path(), true, true).is_empty());
}

#[test]
fn the_participants_pack_leaves_facilitator_notes_out_everywhere() {
    for lang in ["en", "ar"] {
        let (_tmp, zip, _) = pack(&fixture("workshop"), &["training/circle", "--lang", lang]);
        let full = unzip(&zip);
        for secret in ["SECRETFENCE", "SECRETALERT"] {
            let found = files_containing(full.path(), secret);
            for part in ["print.html", "circle.epub", "sources/"] {
                assert!(
                    found.iter().any(|f| f.to_string_lossy().starts_with(part)),
                    "{lang}: the facilitators' pack keeps {secret} in {part}: {found:?}"
                );
            }
        }
        let (_tmp, zip, _) = pack(&fixture("workshop"), &["training/circle", "--lang", lang, "--participants"]);
        let participants = unzip(&zip);
        for secret in ["SECRETFENCE", "SECRETALERT", "class=\"facilitator\""] {
            let found = files_containing(participants.path(), secret);
            assert!(found.is_empty(), "{lang}: {secret} in {found:?}");
        }
        let agenda = read(participants.path(), "index.html");
        assert!(agenda.contains("pack-facts"), "{agenda}");
        let source = if lang == "ar" { "opening.ar.md" } else { "opening.md" };
        let source = read(participants.path(), &format!("sources/training/{source}"));
        assert!(source.contains("## ") && source.contains("{#round}"), "the rest stays: {source}");
        if lang == "en" {
            assert!(source.contains("> [!TIP]"), "other alerts stay: {source}");
        }
        if epubcheck_available() {
            epubcheck(&participants.path().join("circle.epub"));
        }
    }
}

#[test]
fn a_pack_searches_its_own_pages_from_disk() {
    if !browser_available() {
        return;
    }
    let (_tmp, zip, _) = pack(&repo_root(), &["training/digital-care", "--lang", "ar"]);
    let files = unzip(&zip);
    let answer =
        common::offline::browser("disk", &json!({ "start": files.path().join("index.html"), "query": "كلمات المرور" }));
    assert_eq!(answer["problems"], json!([]), "{answer}");
    assert_eq!(answer["requests_outside"], json!([]), "{answer}");
    let hrefs: Vec<&str> = answer["hrefs"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
    assert!(!hrefs.is_empty(), "{answer}");
    let root = format!("file://{}/", files.path().display());
    for href in &hrefs {
        assert!(href.starts_with(&root) && href.ends_with("/index.html"), "{href}");
    }
    assert!(hrefs.iter().any(|h| h.contains("ar/training/passwords/")), "{answer}");
    assert!(answer["followed"].as_str().unwrap().starts_with(&root), "{answer}");
}

#[test]
fn packs_are_byte_identical_from_one_run_to_the_next() {
    let (_a, one, _) = pack(&fixture("workshop"), &["training/circle", "--lang", "ar"]);
    let (_b, two, _) = pack(&fixture("workshop"), &["training/circle", "--lang", "ar"]);
    assert!(std::fs::read(one).unwrap() == std::fs::read(two).unwrap());
}

#[test]
fn list_shows_each_workshop_identifier_then_title() {
    let output = infrared(&["--root", fixture("workshop").to_str().unwrap(), "pack", "--list"]);
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout), "training/circle\tListening circle\n");
    let output = infrared(&["--root", fixture("workshop").to_str().unwrap(), "pack", "--list", "--lang", "ar"]);
    assert_eq!(String::from_utf8_lossy(&output.stdout), "training/circle\tدائرة الإصغاء\n");
    let output = infrared(&["--root", repo_root().to_str().unwrap(), "pack", "--list"]);
    let listed = String::from_utf8_lossy(&output.stdout);
    let first = listed.lines().next().unwrap().split('\t').next().unwrap();
    let (_tmp, zip, _) = pack(&repo_root(), &[first]);
    assert!(zip.is_file(), "the identifier --list shows is what pack takes");
}

#[test]
fn the_site_offers_every_workshops_packs_in_every_language() {
    let site = build_ok(&fixture("workshop"), &[]);
    for lang in ["en", "ar"] {
        let page = site.read(&format!("{lang}/training/circle/index.html"));
        for name in [format!("circle-{lang}.zip"), format!("circle-{lang}-participants.zip")] {
            assert!(page.contains(&format!("<a href=\"{name}\" download type=\"application/zip\">")), "{lang}: {page}");
            let built = std::fs::read(site.out.join(format!("{lang}/training/circle/{name}"))).unwrap();
            let mut args = vec!["training/circle", "--lang", lang];
            if name.contains("participants") {
                args.push("--participants");
            }
            let (_tmp, zip, _) = pack(&fixture("workshop"), &args);
            assert!(built == std::fs::read(zip).unwrap(), "{name}: the site's pack is the one `infrared pack` makes");
        }
        let size = if lang == "ar" { "ZIP، " } else { "ZIP, " };
        assert!(page.contains(size) && page.contains(" KB"), "sizes shown: {page}");
        // A module page is not a workshop: no packs there.
        assert!(!site.read(&format!("{lang}/training/opening/index.html")).contains("workshop-packs"));
    }
    assert!(broken_internal_links(&site.out, false, true).is_empty());
}

#[test]
fn links_to_a_workshops_packs_lead_to_the_zips_beside_its_page() {
    let root = copy_fixture("workshop");
    let page = root.path().join("content/guides/community-radio.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let links =
        "\n\n[pack](/en/training/circle/circle-en.zip) [handouts](/ar/training/circle/circle-ar-participants.zip) [as on the site](../../training/circle/circle-en-participants.zip)\n";
    std::fs::write(&page, format!("{text}{links}")).unwrap();
    let site = build_ok(root.path(), &[]);
    assert!(!site.stderr.contains("no page or file"), "{}", site.stderr);
    let html = site.read("en/guides/community-radio/index.html");
    for href in [
        "../../training/circle/circle-en.zip",
        "../../../ar/training/circle/circle-ar-participants.zip",
        "../../training/circle/circle-en-participants.zip",
    ] {
        assert!(html.contains(&format!("href=\"{href}\"")), "{href}: {html}");
        let target = site.out.join("en/guides/community-radio").join(href);
        assert!(target.is_file(), "{href} leads to no file");
    }
    let output = infrared(&["check", "--root", root.path().to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn a_pdf_is_printed_by_chromium_or_its_absence_explained() {
    let root = fixture("workshop");
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("p.zip");
    let output = Command::new(env!("CARGO_BIN_EXE_infrared"))
        .args(["--root", root.to_str().unwrap(), "pack", "training/circle", "--pdf", "--out"])
        .arg(&zip)
        .env("PATH", dir.path())
        .env_remove("CHROMIUM")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success() && !zip.exists());
    assert!(stderr.contains("Chromium is not installed") && stderr.contains("leave out --pdf"), "{stderr}");
    if !tool_available("chromium", &["--version"]) {
        return;
    }
    let (_tmp, zip, _) = pack(&root, &["training/circle", "--lang", "ar", "--pdf"]);
    let pdf = entries(&zip).into_iter().find(|(n, _)| n == "circle.pdf").expect("circle.pdf in the pack");
    assert!(pdf.1.starts_with(b"%PDF"), "a PDF");
    let files = unzip(&zip);
    assert!(read(files.path(), "index.html").contains("href=\"circle.pdf\""));
}

/// A one-module workshop `w` on a site whose site.toml ends with `site_extra`.
fn workshop_with_site_toml(site_extra: &str) -> tempfile::TempDir {
    let config = format!("title = \"A\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n{site_extra}");
    site_with(&[
        ("site.toml", &config),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHi.\n"),
        ("content/w.md", "+++\ntitle = \"W\"\n[workshop]\nmodules = [\"mod.md\"]\n+++\nIntro.\n"),
        ("content/mod.md", "+++\ntitle = \"Mod\"\n[module]\nduration = \"1h\"\n+++\nText.\n"),
    ])
}

/// The sheet print.html asks for: the `@page` size of the stylesheet it links.
fn printed_paper(print_html: &str, files: &Path) -> String {
    let css = print_html
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .filter(|href| href.ends_with(".css"))
        .map(|href| read(files, href))
        .find(|css| css.contains("@page { size:"))
        .unwrap_or_else(|| panic!("no stylesheet of print.html sets the paper size: {print_html}"));
    css.split("size:").nth(1).unwrap().split(';').next().unwrap().trim().to_string()
}

/// Width and height, in points, of a PDF's first page (its `/MediaBox`).
fn media_box(pdf: &[u8]) -> (f64, f64) {
    let text = String::from_utf8_lossy(pdf);
    let boxed = text.split("/MediaBox").nth(1).expect("a /MediaBox in the PDF");
    let numbers: Vec<f64> = boxed
        .trim_start()
        .trim_start_matches('[')
        .split(']')
        .next()
        .unwrap()
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    (numbers[2] - numbers[0], numbers[3] - numbers[1])
}

/// Chromium prints on US Letter unless the page asks for another sheet:
/// packs ask for A4 (most of the network's regions use it), or Letter when
/// site.toml's `[pack] paper` says so, and `--paper` decides for one pack.
/// print.html and the mini-site's pages link the sheet's stylesheet; the
/// PDF's pages are that size (595 × 842 points for A4, 612 × 792 for Letter).
#[test]
fn packs_print_on_a4_unless_the_site_or_the_command_asks_for_letter() {
    let site = workshop_with_site_toml("");
    let (_tmp, zip, _) = pack(site.path(), &["w", "--lang", "en"]);
    let files = unzip(&zip);
    assert_eq!(printed_paper(&read(files.path(), "print.html"), files.path()), "A4");
    assert!(read(files.path(), "en/mod/index.html").contains("href=\"../../assets/paper-a4.css\""));
    let letter = workshop_with_site_toml("[pack]\npaper = \"letter\"\n");
    let (_tmp, zip, _) = pack(letter.path(), &["w", "--lang", "en"]);
    let files = unzip(&zip);
    assert_eq!(printed_paper(&read(files.path(), "print.html"), files.path()), "letter");
    let (_tmp, zip, _) = pack(letter.path(), &["w", "--lang", "en", "--paper", "a4"]);
    let files = unzip(&zip);
    assert_eq!(printed_paper(&read(files.path(), "print.html"), files.path()), "A4");
    // The site's own packs print on the site's paper.
    let built = build_ok(letter.path(), &[]);
    let offered = unzip(&built.out.join("en/w/w-en.zip"));
    assert_eq!(printed_paper(&read(offered.path(), "print.html"), offered.path()), "letter");
    // A sheet infrared does not know is an error at its line.
    let odd = workshop_with_site_toml("[pack]\npaper = \"a5\"\n");
    let output = infrared(&["--root", odd.path().to_str().unwrap(), "pack", "w"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success() && stderr.contains("site.toml:6:") && stderr.contains("letter"), "{stderr}");
    if !tool_available("chromium", &["--version"]) {
        return;
    }
    for (site, args, (width, height)) in [
        (&site, vec!["w", "--pdf"], (595.0, 842.0)),
        (&letter, vec!["w", "--pdf"], (612.0, 792.0)),
        (&letter, vec!["w", "--pdf", "--paper", "a4"], (595.0, 842.0)),
    ] {
        let (_tmp, zip, _) = pack(site.path(), &args);
        let pdf = entries(&zip).into_iter().find(|(n, _)| n == "w.pdf").expect("w.pdf in the pack").1;
        let (w, h) = media_box(&pdf);
        assert!((w - width).abs() < 1.0 && (h - height).abs() < 1.0, "{args:?}: {w} × {h} points");
    }
}

/// A copy of a site folder, to change a file of it.
fn copy_tree(from: &Path, to: &Path) {
    for file in common::files(from) {
        let target = to.join(&file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&file), target).unwrap();
    }
}

const WORKSHOP_SITE: &str = "title = \"T\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\n";
const HOME: (&str, &str) = ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n");
const MODULE: (&str, &str) = ("content/m.md", "+++\ntitle = \"M\"\n[module]\nduration = \"45m\"\n+++\nText.\n");

/// `infrared pack` and `infrared build` both fail on a bad workshop, with
/// the message; returns pack's stderr.
fn both_fail(files: &[(&str, &str)], args: &[&str]) -> String {
    let site = site_with(files);
    let root = site.path().to_str().unwrap();
    let mut pack_args = vec!["--root", root, "pack"];
    pack_args.extend_from_slice(args);
    let packed = infrared(&pack_args);
    let stderr = String::from_utf8_lossy(&packed.stderr).into_owned();
    assert_eq!(packed.status.code(), Some(1), "{stderr}");
    if args.iter().all(|a| *a != "--lang") {
        let built = infrared(&["build", "--root", root]);
        let build_stderr = String::from_utf8_lossy(&built.stderr);
        assert_eq!(built.status.code(), Some(1), "{build_stderr}");
        let first = stderr.lines().next().unwrap_or_default();
        let first = first.trim_start_matches("error: ");
        assert!(build_stderr.contains(first), "build says it too:\n{build_stderr}");
    }
    stderr
}

#[test]
fn a_module_that_does_not_exist_is_an_error_at_its_line() {
    let stderr = both_fail(
        &[
            ("site.toml", WORKSHOP_SITE),
            HOME,
            MODULE,
            ("content/w.md", "+++\ntitle = \"W\"\n\n[workshop]\nmodules = [\n  \"m.md\",\n  \"gone.md\",\n]\n+++\n"),
        ],
        &["w"],
    );
    assert!(stderr.contains("w.md:7: module \"gone.md\" does not exist (no content/gone.md)"), "{stderr}");
}

#[test]
fn a_module_that_is_a_draft_is_named_as_one_at_its_line() {
    let stderr = both_fail(
        &[
            ("site.toml", WORKSHOP_SITE),
            HOME,
            MODULE,
            ("content/later.md", "+++\ntitle = \"Later\"\ndraft = true\n+++\nNot yet.\n"),
            ("content/w.md", "+++\ntitle = \"W\"\n\n[workshop]\nmodules = [\n  \"m.md\",\n  \"later.md\",\n]\n+++\n"),
        ],
        &["w"],
    );
    assert!(
        stderr.contains("w.md:7: module \"later.md\" is a draft (content/later.md), so no reader gets it"),
        "{stderr}"
    );
    assert!(stderr.contains("take it out of modules"), "{stderr}");
}

#[test]
fn a_workshop_listing_itself_or_a_cycle_is_an_error() {
    let stderr = both_fail(
        &[
            ("site.toml", WORKSHOP_SITE),
            HOME,
            ("content/w.md", "+++\ntitle = \"W\"\n[workshop]\nmodules = [\"w.md\"]\n+++\n"),
        ],
        &["w"],
    );
    assert!(stderr.contains("w.md:4: the workshop lists itself"), "{stderr}");
    let stderr = both_fail(
        &[
            ("site.toml", WORKSHOP_SITE),
            HOME,
            ("content/a.md", "+++\ntitle = \"A\"\n[workshop]\nduration = \"1h\"\nmodules = [\"b.md\"]\n+++\n"),
            ("content/b.md", "+++\ntitle = \"B\"\n[workshop]\nmodules = [\"a.md\"]\n+++\n"),
        ],
        &["a"],
    );
    assert!(stderr.contains("a.md:5: workshops list each other in a cycle: a.md → b.md → a.md"), "{stderr}");
}

#[test]
fn a_duration_that_does_not_parse_is_an_error_at_its_line() {
    let stderr = both_fail(
        &[
            ("site.toml", WORKSHOP_SITE),
            HOME,
            ("content/m.md", "---\ntitle: M\nmodule:\n  objectives: [a]\n  duration: 1h 30m\n---\n"),
            ("content/w.md", "+++\ntitle = \"W\"\n[workshop]\nmodules = [\"m.md\"]\n+++\n"),
        ],
        &["w"],
    );
    assert!(stderr.contains("m.md:5: duration \"1h 30m\" does not parse") && stderr.contains("\"1h30m\""), "{stderr}");
    let stderr = both_fail(
        &[
            ("site.toml", WORKSHOP_SITE),
            HOME,
            MODULE,
            ("content/w.md", "+++\ntitle = \"W\"\n[workshop]\nmodules = [\"m.md\"]\nduration = \"three hours\"\n+++\n"),
        ],
        &["w"],
    );
    assert!(stderr.contains("w.md:5: duration \"three hours\""), "{stderr}");
}

#[test]
fn unknown_fields_languages_and_workshops_are_errors() {
    let stderr = both_fail(
        &[
            ("site.toml", WORKSHOP_SITE),
            HOME,
            MODULE,
            ("content/w.md", "+++\ntitle = \"W\"\n[workshop]\nmodules = [\"m.md\"]\nmaterial = [\"pens\"]\n+++\n"),
        ],
        &["w"],
    );
    assert!(stderr.contains("w.md:5: [workshop] has no field \"material\""), "{stderr}");
    let files = [
        ("site.toml", WORKSHOP_SITE),
        HOME,
        MODULE,
        ("content/w.md", "+++\ntitle = \"W\"\n[workshop]\nmodules = [\"m.md\"]\n+++\n"),
    ];
    let stderr = both_fail(&files, &["w", "--lang", "oc"]);
    assert!(
        stderr.contains("site.toml:3: \"oc\" is not a language of this site") && stderr.contains("en, ar"),
        "{stderr}"
    );
    let stderr = both_fail(&files, &["m", "--lang", "en"]);
    assert!(stderr.contains("m.md:1: this page is not a workshop"), "{stderr}");
    let stderr = both_fail(&files, &["nowhere", "--lang", "en"]);
    assert!(stderr.contains("no page \"nowhere\"") && stderr.contains("workshops: w"), "{stderr}");
}

/// A module with what runs wider than paper: a long link, a long word, a
/// table and code holding long paths.
const WIDE_MODULE: &str = "+++\ntitle = \"Copying the site\"\n[module]\nduration = \"30m\"\n+++\n\
    Clone <https://git.example.org/network/site/src/branch/main/content/guides/mirroring/with/rsync/every/hour.md>\n\
    or read Pneumonoultramicroscopicsilicovolcanoconiosis_and_other_very_long_words_without_any_break_in_them.\n\n\
    | step | command |\n|---|---|\n| copy | https://mirror.example.org/infrared/public/en/guides/mirroring/index.html?from=pack |\n\n\
    ```sh\nrsync -avz rsync://mirror.example.org/infrared/public/this/is/a/very/long/path/without/spaces/in/it/at/all/ /var/www/\n```\n";

#[test]
fn printed_packs_keep_long_links_words_tables_and_code_inside_the_paper() {
    if !browser_available() {
        return;
    }
    let root = site_with(&[
        ("site.toml", "title = \"Print\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\n"),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/training/care.md", "+++\ntitle = \"Care\"\n[workshop]\nduration = \"30m\"\nmodules = [\"copying.md\"]\n+++\nIntro.\n"),
        ("content/training/copying.md", WIDE_MODULE),
    ]);
    for lang in ["en", "ar"] {
        let (_tmp, zip, _) = pack(root.path(), &["training/care", "--lang", lang]);
        let files = unzip(&zip);
        // A4 less the pack's margins (1.8 cm each side), in CSS pixels.
        let printed = common::browser(
            "print",
            &json!({ "site": files.path(), "mode": "file", "path": "print.html", "width": 657 }),
        );
        assert_eq!(printed["cut"], json!([]), "{lang}: cut off on paper: {printed}");
        assert_eq!(printed["page_width"], printed["width"], "{lang}: {printed}");
    }
}

/// An Arabic module with commands in code: paths end in `/`, which a
/// right-to-left line would move to the left of the command.
const ARABIC_COMMANDS: &str = "+++\ntitle = \"نسخ الموقع\"\n[module]\nduration = \"30m\"\n+++\n\
    استخدم `ls -la /var/www/` ثم `rsync -a /srv/site/ /var/www/` للنسخ.\n\n\
    ```\nrsync -a /srv/site/ /var/www/\n```\n";

#[test]
fn commands_in_arabic_pages_read_left_to_right_on_screen_on_paper_and_in_the_book() {
    if !browser_available() {
        return;
    }
    let root = site_with(&[
        ("site.toml", "title = \"Bidi\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\n"),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/training/care.md", "+++\ntitle = \"Care\"\n[workshop]\nmodules = [\"copying.md\"]\n+++\nIntro.\n"),
        ("content/training/copying.md", "+++\ntitle = \"Copying\"\n+++\nText.\n"),
        ("content/training/copying.ar.md", ARABIC_COMMANDS),
    ]);
    let (_tmp, zip, _) = pack(root.path(), &["training/care", "--lang", "ar"]);
    let files = unzip(&zip);
    if epubcheck_available() {
        epubcheck(&files.path().join("care.epub"));
    }
    let book = unzip(&files.path().join("care.epub"));
    let chapter = common::files(book.path())
        .into_iter()
        .find(|f| {
            f.extension().is_some_and(|e| e == "xhtml") && read(book.path(), f.to_str().unwrap()).contains("rsync")
        })
        .expect("the module's chapter");
    for (dir, path) in [
        (files.path(), "ar/training/copying/index.html".to_string()),
        (files.path(), "print.html".to_string()),
        (book.path(), chapter.to_string_lossy().into_owned()),
    ] {
        let found = common::browser(
            "reading",
            &json!({ "site": dir, "mode": "file", "path": path, "selector": "p code, pre code" }),
        );
        let texts: Vec<&str> = found["found"].as_array().unwrap().iter().map(|f| f["text"].as_str().unwrap()).collect();
        assert!(texts.len() >= 3, "{path}: {found}");
        for code in found["found"].as_array().unwrap() {
            assert_eq!(code["left_to_right"], true, "{path}: {code} is laid out right to left");
        }
    }
}

#[test]
fn an_address_written_as_the_links_text_is_printed_once() {
    if !browser_available() {
        return;
    }
    let module = "+++\ntitle = \"Reading\"\n[module]\nduration = \"10m\"\n+++\n\
        See <https://example.org/guide> and [the guide](https://example.org/other); write to <care@example.org>.\n";
    let root = site_with(&[
        ("site.toml", "title = \"Print\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n"),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/training/care.md", "+++\ntitle = \"Care\"\n[workshop]\nmodules = [\"reading.md\"]\n+++\nIntro.\n"),
        ("content/training/reading.md", module),
    ]);
    let expected = json!([
        { "text": "https://example.org/guide", "after": "none" },
        { "text": "the guide", "after": "\" (https://example.org/other)\"" },
        { "text": "care@example.org", "after": "none" },
    ]);
    let (_tmp, zip, _) = pack(root.path(), &["training/care", "--lang", "en"]);
    let files = unzip(&zip);
    let site = build_ok(root.path(), &[]);
    for (folder, path) in [(files.path(), "print.html"), (site.out.as_path(), "en/training/reading/index.html")] {
        let printed = common::browser(
            "printed",
            &json!({ "site": folder, "mode": "file", "path": path, "selector": "main p a[href*='example.org']" }),
        );
        assert_eq!(printed["found"], expected, "{path}: {printed}");
    }
}

/// Regression: a query on a link to a page was dropped. In a pack the
/// mini-site keeps it, as does a link to the page online; print.html and
/// the EPUB, where the page is a section of the one page or a chapter of
/// the book (no script there reads a query), keep only the anchor.
#[test]
fn a_query_on_a_link_to_a_page_stays_where_a_browser_opens_the_page() {
    let site = site_with(&[
        (
            "site.toml",
            "title = \"A\"\nbase_url = \"https://example.org/kb\"\ndefault_language = \"en\"\n\
             [languages.en]\nname = \"English\"\n",
        ),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHi.\n"),
        ("content/out.md", "+++\ntitle = \"Out\"\n+++\n## Out heading {#h}\n"),
        (
            "content/w/index.md",
            "+++\ntitle = \"W\"\n[workshop]\nduration = \"2h\"\nmodules = [\"a.md\", \"b.md\"]\n+++\nIntro.\n",
        ),
        (
            "content/w/a.md",
            "+++\ntitle = \"A\"\n[module]\nduration = \"1h\"\n+++\nSee [b](b.md?x=1#h) and [out](../out.md?y=2#h).\n",
        ),
        ("content/w/b.md", "+++\ntitle = \"B\"\n[module]\nduration = \"1h\"\n+++\n## B heading {#h}\n\nText.\n"),
    ]);
    let (_tmp, zip, _) = pack(site.path(), &["w", "--lang", "en"]);
    let files = unzip(&zip);
    let mini_site = read(files.path(), "en/w/a/index.html");
    let links = common::content_links(&mini_site);
    assert!(links.iter().any(|l| l == "../b/index.html?x=1#h"), "{links:?}");
    assert!(links.iter().any(|l| l == "https://example.org/kb/en/out/?y=2#h"), "{links:?}");
    let print = common::link_values(&read(files.path(), "print.html"));
    assert!(print.iter().any(|l| l == "#m2.h"), "{print:?}");
    assert!(print.iter().any(|l| l == "https://example.org/kb/en/out/?y=2#h"), "{print:?}");
    let epub = files.path().join("w.epub");
    let chapter = common::link_values(&epub_entry(&epub, "EPUB/m1.xhtml"));
    assert!(chapter.iter().any(|l| l == "m2.xhtml#m2.h"), "{chapter:?}");
    assert!(chapter.iter().any(|l| l == "https://example.org/kb/en/out/?y=2#h"), "{chapter:?}");
    assert!(broken_internal_links(files.path(), true, true).is_empty());
    if epubcheck_available() {
        epubcheck(&epub);
    }
}

/// A pack in a language without UI strings of its own (Persian here, none
/// built in) shows English chrome: the agenda, the mini-site, print.html and
/// the EPUB mark each such element as English, left to right, and the EPUB
/// still passes epubcheck.
#[test]
fn a_pack_in_a_language_without_ui_strings_marks_the_english_chrome() {
    let site = persian_workshop();
    let (_tmp, zip, _) = pack(site.path(), &["w", "--lang", "fa"]);
    let files = unzip(&zip);
    let english = " lang=\"en\" dir=\"ltr\"";
    let agenda = read(files.path(), "index.html");
    assert!(agenda.contains(&format!("<h2 id=\"agenda\"{english}>Agenda</h2>")), "{agenda}");
    assert!(agenda.contains(&format!("<a class=\"skip-link\" href=\"#main\"{english}>")), "{agenda}");
    let print = read(files.path(), "print.html");
    assert!(print.contains(&format!("<strong{english}>Objectives:</strong>")), "{print}");
    assert!(print.contains(&format!("<footer class=\"print-footer\"><p{english}>A workshop pack from")), "{print}");
    // The module is shown from English: in its English section the English chrome needs nothing.
    let module = print.split(" lang=\"en\" dir=\"ltr\">\n  <p class=\"module-number\">Module 1</p>").count();
    assert_eq!(module, 2, "{print}");
    let epub = files.path().join("w.epub");
    let chapter = epub_entry(&epub, "EPUB/agenda.xhtml");
    assert!(chapter.contains(&format!("<h2 xml:lang=\"en\"{english}>Agenda</h2>")), "{chapter}");
    let module = epub_entry(&epub, "EPUB/m1.xhtml");
    assert!(module.contains(&format!("<strong xml:lang=\"en\"{english}>Objectives:</strong>")), "{module}");
    if epubcheck_available() {
        epubcheck(&epub);
    }
}

/// A workshop in English and Persian (no UI strings of its own, none built
/// in) whose module is in English only: a Persian pack shows English chrome.
/// Its Persian page links to a page outside the workshop and to the sitemap.
fn persian_workshop() -> tempfile::TempDir {
    site_with(&[
        (
            "site.toml",
            "title = \"A\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.fa]\nname = \"فارسی\"\n",
        ),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHi.\n"),
        (
            "content/w/index.md",
            "+++\ntitle = \"W\"\n[workshop]\nduration = \"1h\"\nmaterials = [\"Paper\"]\nmodules = [\"mod.md\"]\n+++\nIntro. [Other](../other.md)\n",
        ),
        ("content/w/index.fa.md", "+++\ntitle = \"کارگاه\"\n[workshop]\nduration = \"1h\"\nmaterials = [\"کاغذ\"]\nmodules = [\"mod.md\"]\n+++\nمقدمه. [راهنما](../other.md) [نقشه](/sitemap.xml)\n"),
        ("content/other.md", "+++\ntitle = \"Other\"\n+++\nElsewhere.\n"),
        ("content/w/mod.md", "+++\ntitle = \"Mod\"\n[module]\nduration = \"1h\"\nobjectives = [\"Learn\"]\n+++\nText.\n"),
    ])
}

/// Durations (`1 h`) come from the UI strings too: in a Persian pack they
/// are English, and say so on the agenda, the module's page, print.html and
/// in the EPUB. So do the EPUB's own titles: the contents' (heading,
/// `<title>`, landmark), the agenda chapter's `<title>`, and a module shown
/// in English, in the contents and its chapter's `<title>`.
#[test]
fn durations_and_the_epubs_titles_in_another_language_say_which() {
    let site = persian_workshop();
    let (_tmp, zip, _) = pack(site.path(), &["w", "--lang", "fa"]);
    let files = unzip(&zip);
    let english = " lang=\"en\" dir=\"ltr\"";
    let agenda = read(files.path(), "index.html");
    assert!(agenda.contains(&format!("<td{english}>1 h</td>")), "{agenda}");
    let module = read(files.path(), "fa/w/mod/index.html");
    assert!(module.contains(&format!("Duration:</strong> <span{english}>1 h</span></p>")), "{module}");
    let print = read(files.path(), "print.html");
    assert!(print.contains(&format!("Duration:</strong> <span{english}>1 h</span></p>")), "{print}");
    assert!(print.contains(&format!("<td{english}>1 h</td>")), "{print}");
    let epub = files.path().join("w.epub");
    let xml = format!(" xml:lang=\"en\"{english}");
    let nav = epub_entry(&epub, "EPUB/nav.xhtml");
    for marked in [
        format!("<title{xml}>Contents</title>"),
        format!("<h1{xml}>Contents</h1>"),
        format!("href=\"nav.xhtml#toc\"{xml}>Contents</a>"),
        format!("<a href=\"agenda.xhtml\"{xml}>Agenda</a>"),
        format!("<a href=\"m1.xhtml\"{xml}>Mod</a>"),
    ] {
        assert!(nav.contains(&marked), "no {marked} in {nav}");
    }
    assert!(nav.contains("<a href=\"m0.xhtml\">کارگاه</a>"), "{nav}");
    let chapter = epub_entry(&epub, "EPUB/agenda.xhtml");
    assert!(chapter.contains(&format!("<title{xml}>Agenda</title>")), "{chapter}");
    assert!(chapter.contains(&format!("<td{xml}>1 h</td>")), "{chapter}");
    let module = epub_entry(&epub, "EPUB/m1.xhtml");
    assert!(module.contains(&format!("<title{xml}>Mod</title>")), "{module}");
    assert!(module.contains(&format!("Duration:</strong> <span{xml}>1 h</span></p>")), "{module}");
    // In a language with its own strings, none of it adds a byte.
    let (_tmp, zip, _) = pack(site.path(), &["w", "--lang", "en"]);
    let files = unzip(&zip);
    assert!(read(files.path(), "index.html").contains("<td>1 h</td>"));
    let nav = epub_entry(&files.path().join("w.epub"), "EPUB/nav.xhtml");
    assert!(nav.contains("<title>Contents</title>") && nav.contains("<h1>Contents</h1>"), "{nav}");
    if epubcheck_available() {
        epubcheck(&epub);
    }
}

/// The note on a link leaving a pack or an offline bundle ("Not in this
/// pack", its `title`, printed after it on paper) is English in a Persian
/// pack: the link says so, and its Persian text gets its own language back.
#[test]
fn the_note_on_links_leaving_a_pack_or_bundle_says_its_language() {
    let site = persian_workshop();
    let (_tmp, zip, _) = pack(site.path(), &["w", "--lang", "fa"]);
    let files = unzip(&zip);
    let outside = "<a class=\"outside-link\" title=\"Not in this pack\" lang=\"en\" dir=\"ltr\"><span lang=\"fa\" dir=\"rtl\">راهنما</span></a>";
    let page = read(files.path(), "fa/w/index.html");
    assert!(page.contains(outside), "{page}");
    let print = read(files.path(), "print.html");
    assert!(print.contains(outside), "{print}");
    let epub = files.path().join("w.epub");
    let chapter = epub_entry(&epub, "EPUB/m0.xhtml");
    assert!(chapter.contains(outside), "{chapter}");
    if epubcheck_available() {
        epubcheck(&epub);
    }
    // An offline bundle holds no sitemap: its note is English too.
    let built = build_ok(site.path(), &[]);
    let bundle = unzip(&built.out.join("fa/offline-fa.zip"));
    let page = read(bundle.path(), "fa/w/index.html");
    let note =
        "title=\"Not in this offline copy\" lang=\"en\" dir=\"ltr\"><span lang=\"fa\" dir=\"rtl\">نقشه</span></a>";
    assert!(page.contains(note), "{page}");
    // In English the note adds nothing.
    let (_tmp, zip, _) = pack(site.path(), &["w", "--lang", "en"]);
    let page = read(unzip(&zip).path(), "print.html");
    assert!(page.contains("<a class=\"outside-link\" title=\"Not in this pack\">Other</a>"), "{page}");
}

/// A workshop not yet translated into the pack's language is shown in its
/// original: the pack's titles (agenda, print.html, the workshop's page,
/// the EPUB's package and chapter) say that language; a module's page in
/// Catalan is titled by the module alone (a `<title>` holds one language),
/// and a module shown in English within a Catalan workshop says English.
#[test]
fn a_workshop_shown_from_another_language_titles_the_pack_in_it() {
    let site = site_with(&[
        ("site.toml", "title = \"A\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ca]\nname = \"Català\"\n"),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHi.\n"),
        ("content/w.md", "+++\ntitle = \"Care\"\ndescription = \"Caring.\"\n[workshop]\nmodules = [\"mod.md\"]\n+++\nIntro.\n"),
        ("content/mod.md", "+++\ntitle = \"Mod\"\n+++\nText.\n"),
        ("content/mod.ca.md", "+++\ntitle = \"Mòdul\"\n+++\nText.\n"),
    ]);
    let (_tmp, zip, _) = pack(site.path(), &["w", "--lang", "ca"]);
    let files = unzip(&zip);
    let english = " lang=\"en\" dir=\"ltr\"";
    assert!(read(files.path(), "index.html").contains(&format!("<title{english}>Care</title>")));
    assert!(read(files.path(), "print.html").contains(&format!("<title{english}>Care</title>")));
    assert!(read(files.path(), "ca/w/index.html").contains(&format!("<title{english}>Care · Care</title>")));
    assert!(read(files.path(), "ca/mod/index.html").contains("<title>Mòdul</title>"));
    let epub = files.path().join("w.epub");
    let package = epub_entry(&epub, "EPUB/package.opf");
    assert!(package.contains("<dc:title xml:lang=\"en\">Care</dc:title>"), "{package}");
    assert!(package.contains("<dc:description xml:lang=\"en\">Caring.</dc:description>"), "{package}");
    let chapter = epub_entry(&epub, "EPUB/m0.xhtml");
    assert!(chapter.contains("<title xml:lang=\"en\" lang=\"en\">Care</title>"), "{chapter}");
    // Translated, nothing is marked.
    let (_tmp, zip, _) = pack(site.path(), &["w", "--lang", "en"]);
    let files = unzip(&zip);
    assert!(read(files.path(), "index.html").contains("<title>Care</title>"));
    let package = epub_entry(&files.path().join("w.epub"), "EPUB/package.opf");
    assert!(package.contains("<dc:title>Care</dc:title>"), "{package}");
    // The reverse: the workshop in Catalan, a module shown in English.
    std::fs::write(
        site.path().join("content/w.ca.md"),
        "+++\ntitle = \"Cura\"\n[workshop]\nmodules = [\"mod.md\", \"other.md\"]\n+++\nIntro.\n",
    )
    .unwrap();
    std::fs::write(site.path().join("content/other.md"), "+++\ntitle = \"Other\"\n+++\nText.\n").unwrap();
    let (_tmp, zip, _) = pack(site.path(), &["w", "--lang", "ca"]);
    let files = unzip(&zip);
    assert!(read(files.path(), "ca/mod/index.html").contains("<title>Mòdul · Cura</title>"));
    assert!(read(files.path(), "ca/other/index.html").contains(&format!("<title{english}>Other</title>")));
    if epubcheck_available() {
        epubcheck(&epub);
    }
}

/// A pack's pages and print.html carry the site's Content-Security-Policy:
/// an image from another site, which the sanitiser keeps and the site's
/// policy stops, is not fetched when a trainer opens the pack on a laptop
/// that happens to be online (the reader is never tracked; the page reads
/// the same offline as online), while the pack's own search still runs.
/// (Playwright lists the refused image among the requests all the same:
/// Chromium's console says it was blocked.)
#[test]
fn a_pack_fetches_nothing_from_other_sites_when_opened_online() {
    let site = site_with(&[
        ("site.toml", "title = \"A\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n"),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHi.\n"),
        ("content/w.md", "+++\ntitle = \"W\"\n[workshop]\nmodules = [\"mod.md\"]\n+++\nIntro.\n"),
        ("content/mod.md", "+++\ntitle = \"Mod\"\n+++\nTracking pixel ![pixel](http://127.0.0.1:9/pixel.png)\n"),
    ]);
    let (_tmp, zip, _) = pack(site.path(), &["w", "--lang", "en"]);
    let files = unzip(&zip);
    let policy = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; img-src 'self' data:;";
    for page in ["index.html", "print.html", "en/mod/index.html", "en/search/index.html"] {
        let html = read(files.path(), page);
        assert!(html.contains(policy), "{page}: {html}");
    }
    if !browser_available() {
        return;
    }
    let answer =
        common::offline::browser("disk", &json!({ "start": files.path().join("index.html"), "query": "pixel" }));
    assert!(answer["followed"].as_str().unwrap().ends_with("en/mod/index.html"), "{answer}");
    // Chromium names the image it refused; without the policy it would have
    // asked the other site for it (and not said a word).
    let problems = answer["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{answer}");
    let refused = problems[0].as_str().unwrap();
    assert!(
        refused.contains("http://127.0.0.1:9/pixel.png") && refused.contains("Content Security Policy"),
        "{answer}"
    );
}

/// A page whose text opens with facilitator notes: a participants' pack
/// summed the page up (`page.summary`, which a site's `pack/` templates
/// may show) from its whole text, notes included.
#[test]
fn a_participants_pack_leaves_facilitator_notes_out_of_page_summaries() {
    let site = copy_fixture("workshop");
    std::fs::create_dir_all(site.path().join("templates/pack")).unwrap();
    std::fs::write(
        site.path().join("templates/pack/page.html"),
        "{% extends \"pack/base.html\" %}\n{% block content %}<p class=\"summary\">{{ page.summary }}</p>\n{{ page.content | safe }}{% endblock content %}\n",
    )
    .unwrap();
    let opening = site.path().join("content/training/opening.md");
    let text = std::fs::read_to_string(&opening).unwrap();
    let text = text.replacen(
        "Each person says",
        "```facilitator\nSECRETLEAD: greet each person at the door.\n```\n\nEach person says",
        1,
    );
    std::fs::write(&opening, text).unwrap();
    let (_tmp, zip, _) = pack(site.path(), &["training/circle", "--lang", "en", "--participants"]);
    let participants = unzip(&zip);
    let found = files_containing(participants.path(), "SECRETLEAD");
    assert!(found.is_empty(), "SECRETLEAD in {found:?}");
    let (_tmp, zip, _) = pack(site.path(), &["training/circle", "--lang", "en"]);
    let full = unzip(&zip);
    assert!(!files_containing(full.path(), "SECRETLEAD").is_empty(), "the facilitators' pack keeps it");
}

/// A theme's own `pack/` templates that leave out the site's
/// Content-Security-Policy and the paper's stylesheet (its print.html
/// writes a looser policy instead) still make pages that carry both: the
/// pack writer adds them first in the head, so the policy covers the image
/// from another site, and the looser one cannot loosen it (a browser
/// enforces both). The default theme's pages, which have them, get no copy.
#[test]
fn a_themes_pack_pages_carry_the_policy_and_paper_it_left_out() {
    let (_tmp, zip, _) = pack(&fixture("pack_theme"), &["w"]);
    let files = unzip(&zip);
    let policy = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; img-src 'self' data:;";
    for (page, paper) in [
        ("index.html", "assets/paper-a4.css"),
        ("print.html", "assets/paper-a4.css"),
        ("en/w/index.html", "../../assets/paper-a4.css"),
        ("en/mod/index.html", "../../assets/paper-a4.css"),
    ] {
        let html = read(files.path(), page);
        let head = html.split("<title>").next().unwrap();
        assert!(head.contains(policy), "{page}: {html}");
        assert!(head.contains(&format!("<link rel=\"stylesheet\" href=\"{paper}\">")), "{page}: {html}");
    }
    let module = read(files.path(), "en/mod/index.html");
    assert!(
        module.find(policy).unwrap() < module.find("http://127.0.0.1:9/pixel.png").unwrap(),
        "the policy comes before the image it stops: {module}"
    );
    let print = read(files.path(), "print.html");
    assert!(print.contains("content=\"default-src *\"") && print.matches("Content-Security-Policy").count() == 2);
    assert_eq!(printed_paper(&print, files.path()), "A4");
    let (_tmp, zip, _) = pack(&fixture("workshop"), &["training/circle"]);
    let files = unzip(&zip);
    for page in ["index.html", "print.html", "en/training/circle/index.html", "en/search/index.html"] {
        let html = read(files.path(), page);
        assert_eq!(html.matches("Content-Security-Policy").count(), 1, "{page}: {html}");
        assert_eq!(html.matches("paper-a4.css").count(), 1, "{page}: {html}");
    }
}

/// An Occitan workshop (no UI strings built in) whose site gives `oc.ftl`.
fn occitan_workshop(ftl: &str) -> tempfile::TempDir {
    site_with(&[
        ("site.toml", "title = \"A\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.oc]\nname = \"Occitan\"\n"),
        ("i18n/oc.ftl", ftl),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHi.\n"),
        ("content/w.md", "+++\ntitle = \"W\"\n[workshop]\nduration = \"2h\"\nmodules = [\"mod.md\"]\n+++\nIntro.\n"),
        ("content/mod.md", "+++\ntitle = \"Mod\"\n[module]\nduration = \"1h\"\n+++\nText.\n"),
    ])
}

/// A site's own `.ftl` may give the total's sentence and not the words of
/// durations, or the reverse: the sentence says its language, and the
/// duration inside it says its own when it differs (agenda, print.html, EPUB).
#[test]
fn a_total_whose_sentence_and_duration_come_from_two_languages_marks_both() {
    let site = occitan_workshop("pack-total = Durada totala: { $duration }\n");
    let (_tmp, zip, _) = pack(site.path(), &["w", "--lang", "oc"]);
    let files = unzip(&zip);
    let expected = "<dd>Durada totala: <span lang=\"en\">2 h</span><br><span class=\"modules-total\"><span lang=\"en\">The modules add up to 1 h.</span></span></dd>";
    for page in ["index.html", "print.html"] {
        let html = read(files.path(), page);
        assert!(html.contains(expected), "{page}: {html}");
    }
    let epub = files.path().join("w.epub");
    let agenda = epub_entry(&epub, "EPUB/agenda.xhtml");
    assert!(
        agenda.contains("<p><strong>Durada totala: <span xml:lang=\"en\" lang=\"en\">2 h</span></strong></p>"),
        "{agenda}"
    );
    if epubcheck_available() {
        epubcheck(&epub);
    }
    let site = occitan_workshop("duration-hours = { $hours } oras\n");
    let (_tmp, zip, _) = pack(site.path(), &["w", "--lang", "oc"]);
    let files = unzip(&zip);
    let html = read(files.path(), "index.html");
    assert!(
        html.contains("<dd><span lang=\"en\">Total duration: <span lang=\"oc\">2 oras</span></span><br>"),
        "{html}"
    );
    let epub = files.path().join("w.epub");
    let agenda = epub_entry(&epub, "EPUB/agenda.xhtml");
    let sentence = "<strong><span xml:lang=\"en\" lang=\"en\">Total duration: <span xml:lang=\"oc\" lang=\"oc\">2 oras</span></span></strong>";
    assert!(agenda.contains(sentence), "{agenda}");
    if epubcheck_available() {
        epubcheck(&epub);
    }
}

/// `pack --lang en` reports every problem of the workshop and its modules
/// in every language, each at its file:line, in one run, as `build` and
/// `check` do: the Arabic version's two missing modules and bad duration,
/// and its module's Arabic duration, though the English pack shows none of
/// them. A workshop the pack does not hold does not stop it.
#[test]
fn pack_reports_every_problem_of_every_version_of_its_workshop_at_once() {
    let files = [
        ("site.toml", WORKSHOP_SITE),
        HOME,
        MODULE,
        ("content/m.ar.md", "+++\ntitle = \"م\"\n[module]\nduration = \"soon\"\n+++\nنص.\n"),
        ("content/w.md", "+++\ntitle = \"W\"\n[workshop]\nmodules = [\"m.md\"]\n+++\n"),
        (
            "content/w.ar.md",
            "+++\ntitle = \"و\"\n[workshop]\nduration = \"three hours\"\nmodules = [\n  \"m.md\",\n  \"gone.md\",\n  \"also-gone.md\",\n]\n+++\n",
        ),
    ];
    let stderr = both_fail(&files, &["w", "--lang", "en"]);
    for problem in [
        "w.ar.md:4: duration \"three hours\" does not parse",
        "w.ar.md:7: module \"gone.md\" does not exist",
        "w.ar.md:8: module \"also-gone.md\" does not exist",
        "m.ar.md:4: duration \"soon\" does not parse",
    ] {
        assert!(stderr.contains(problem), "no {problem} in:\n{stderr}");
    }
    let site = site_with(&files);
    let checked = infrared(&["check", "--root", site.path().to_str().unwrap()]);
    let said = format!("{}{}", String::from_utf8_lossy(&checked.stdout), String::from_utf8_lossy(&checked.stderr));
    assert!(said.contains("w.ar.md:8:1: error: module \"also-gone.md\" does not exist"), "{said}");
    assert!(said.contains("check found 4 errors"), "{said}");
    // Another workshop's problems are its own: this pack is made.
    std::fs::write(site.path().join("content/w.ar.md"), "+++\ntitle = \"و\"\n[workshop]\nmodules = [\"m.md\"]\n+++\n")
        .unwrap();
    std::fs::write(site.path().join("content/m.ar.md"), "+++\ntitle = \"م\"\n+++\nنص.\n").unwrap();
    std::fs::write(
        site.path().join("content/other.md"),
        "+++\ntitle = \"O\"\n[workshop]\nmodules = [\"gone.md\"]\n+++\n",
    )
    .unwrap();
    pack(site.path(), &["w", "--lang", "en"]);
}
