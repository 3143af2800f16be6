//! Offline reading, through the real binary: every language's offline
//! bundle (every page of the language, file:// links, search from disk in
//! Chromium, byte-identical from build to build), the service worker's
//! files, and the worker itself in Chromium against a loopback server that
//! goes down and comes back with a new build.

mod common;

use std::path::Path;

use common::offline::{browser, entries, unzip, without_isolation};
use common::{
    broken_internal_links, browser_available, build_ok, files, fixture, repo_root, site_with, third_party_loads,
    TWO_LANGUAGES,
};
use serde_json::json;

/// Pages a build wrote for `lang`: `lang/…/index.html`.
fn pages_of(out: &Path, lang: &str) -> Vec<String> {
    files(&out.join(lang))
        .into_iter()
        .map(|f| format!("{lang}/{}", f.to_string_lossy()))
        .filter(|f| f.ends_with("index.html"))
        // The translation status page is for translators, online.
        .filter(|f| !f.starts_with(&format!("{lang}/translations/")))
        .collect()
}

#[test]
fn every_language_has_a_bundle_with_every_page_of_it() {
    let site = build_ok(&repo_root(), &[]);
    for lang in ["en", "ca", "es", "fr", "pt", "ar"] {
        let zip = site.out.join(format!("{lang}/offline-{lang}.zip"));
        let bundle = unzip(&zip);
        let out = bundle.path();
        let pages = pages_of(&site.out, lang);
        assert!(pages.len() >= 15, "{lang}: {pages:?}");
        for page in &pages {
            assert!(out.join(page).is_file(), "{lang}: {page} missing from the bundle");
        }
        assert!(out.join(format!("{lang}/search/index.html")).is_file());
        assert!(out.join(format!("search/{lang}/manifest.js")).is_file());
        assert!(out.join(format!("{lang}/guides/hardening/layers.svg")).is_file());
        let names: Vec<String> = entries(&zip).into_iter().map(|(n, _)| n).collect();
        assert!(
            names.iter().all(|n| !n.ends_with(".zip")
                && !n.starts_with("sw.js")
                && (n.starts_with(&format!("{lang}/"))
                    || n.starts_with("assets/")
                    || n.starts_with("search/")
                    || n == "index.html")),
            "{lang}: only this language: {names:?}"
        );
        let top = std::fs::read_to_string(out.join("index.html")).unwrap();
        assert!(
            top.contains(&format!("url={lang}/index.html")) && top.contains(&format!("href=\"{lang}/index.html\"")),
            "{top}"
        );
        let problems = broken_internal_links(out, true, true);
        assert!(problems.is_empty(), "{lang}: {problems:#?}");
        assert!(third_party_loads(out).is_empty(), "{lang}");
        let home = std::fs::read_to_string(out.join(format!("{lang}/index.html"))).unwrap();
        assert!(!home.contains("sw.js") && !home.contains("manifest.webmanifest") && !home.contains("offline-keep"));
        // Every page of the site links to its language's bundle, with its size.
        let page = without_isolation(&site.read(&format!("{lang}/guides/index.html")));
        assert!(
            page.contains(&format!("<a href=\"../offline-{lang}.zip\" download type=\"application/zip\">")),
            "{page}"
        );
        let kb = (std::fs::metadata(&zip).unwrap().len()).div_ceil(1000);
        assert!(page.contains(&format!("{kb} KB")), "{lang}: size {kb} KB not shown");
    }
    let ar =
        std::fs::read_to_string(unzip(&site.out.join("ar/offline-ar.zip")).path().join("ar/guides/writing/index.html"))
            .unwrap();
    assert!(
        ar.contains("<html lang=\"ar\" dir=\"rtl\">") && ar.contains("notice-fallback"),
        "fallbacks are in the bundle"
    );
}

/// A site root for the Disroot corpus: our site.toml beside its content/.
fn disroot_root() -> tempfile::TempDir {
    let corpus = repo_root().join("../shared/corpora/disroot/content");
    assert!(corpus.is_dir(), "the Disroot corpus must be at {}", corpus.display());
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("disroot/site.toml"), dir.path().join("site.toml")).unwrap();
    std::os::unix::fs::symlink(corpus.canonicalize().unwrap(), dir.path().join("content")).unwrap();
    dir
}

#[test]
fn the_disroot_corpus_bundles_hold_every_page_with_links_inside() {
    let root = disroot_root();
    let site = build_ok(root.path(), &[]);
    for lang in ["en", "fr", "eo"] {
        let bundle = unzip(&site.out.join(format!("{lang}/offline-{lang}.zip")));
        for page in pages_of(&site.out, lang) {
            assert!(bundle.path().join(&page).is_file(), "{lang}: {page} missing");
        }
        // The corpus has broken anchors of its own; every file link must resolve.
        let problems = broken_internal_links(bundle.path(), true, false);
        assert!(problems.is_empty(), "{lang}: {:#?}", &problems[..problems.len().min(20)]);
    }
}

#[test]
fn a_bundle_opens_from_disk_and_searches_there() {
    if !browser_available() {
        return;
    }
    let site = build_ok(&repo_root(), &[]);
    for (lang, query, expected) in [("ar", "كلمات المرور", "ar/training/passwords/"), ("ca", "mirall", "ca/")]
    {
        let bundle = unzip(&site.out.join(format!("{lang}/offline-{lang}.zip")));
        let root = format!("file://{}/", bundle.path().display());
        let answer = browser("disk", &json!({ "start": bundle.path().join("index.html"), "query": query }));
        assert_eq!(answer["problems"], json!([]), "{answer}");
        assert_eq!(answer["requests_outside"], json!([]), "{answer}");
        assert_eq!(
            answer["opened"],
            json!(format!("{root}{lang}/index.html")),
            "the top index.html opens the language"
        );
        let hrefs: Vec<&str> = answer["hrefs"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
        assert!(hrefs.iter().any(|h| h.starts_with(&format!("{root}{expected}"))), "{answer}");
        assert!(hrefs.iter().all(|h| h.starts_with(&root) && h.ends_with("index.html")), "{answer}");
        assert!(answer["followed"].as_str().unwrap().starts_with(&root));
    }
}

#[test]
fn bundles_are_byte_identical_from_build_to_build() {
    let one = build_ok(&fixture("workshop"), &[]);
    let two = build_ok(&fixture("workshop"), &[]);
    let zips: Vec<_> = files(&one.out).into_iter().filter(|f| f.extension().is_some_and(|e| e == "zip")).collect();
    assert_eq!(zips.len(), 2 + 4, "two bundles, four packs: {zips:?}");
    for zip in zips {
        assert!(
            std::fs::read(one.out.join(&zip)).unwrap() == std::fs::read(two.out.join(&zip)).unwrap(),
            "{} differs",
            zip.display()
        );
        for (name, _) in entries(&one.out.join(&zip)) {
            assert!(!name.contains('\\') && !name.starts_with('/'), "{name}");
        }
    }
    assert_eq!(std::fs::read(one.out.join("sw.js")).unwrap(), std::fs::read(two.out.join("sw.js")).unwrap());
}

#[test]
fn offline_outputs_can_be_turned_off() {
    let site = site_with(&[
        ("site.toml", &format!("{TWO_LANGUAGES}[offline]\nbundles = false\nservice_worker = false\npacks = false\n")),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("content/m.md", "+++\ntitle = \"M\"\n+++\nM.\n"),
        ("content/w.md", "+++\ntitle = \"W\"\n[workshop]\nmodules = [\"m.md\"]\n+++\nW.\n"),
    ]);
    let built = build_ok(site.path(), &[]);
    let all = files(&built.out);
    assert!(
        all.iter().all(|f| {
            let f = f.to_string_lossy();
            !f.ends_with(".zip")
                && f != "sw.js"
                && !f.ends_with("manifest.webmanifest")
                && !f.ends_with("offline-files.json")
        }),
        "{all:?}"
    );
    let page = built.read("en/w/index.html");
    assert!(!page.contains("offline-bundle") && !page.contains("offline-keep") && !page.contains("workshop-packs"));
    assert!(!page.contains("rel=\"manifest\""));
}

#[test]
fn the_service_worker_lists_every_file_of_a_language_with_its_hash() {
    let site = build_ok(&fixture("workshop"), &[]);
    let worker = site.read("sw.js");
    assert!(worker.starts_with("const VERSION = \""), "{worker}");
    assert!(worker.contains("const LANGUAGES = [\"en\",\"ar\"];"), "{worker}");
    for lang in ["en", "ar"] {
        let list: serde_json::Value = serde_json::from_str(&site.read(&format!("{lang}/offline-files.json"))).unwrap();
        let listed = list["files"].as_object().unwrap();
        for page in pages_of(&site.out, lang) {
            let url = page.strip_suffix("index.html").unwrap();
            let bytes = std::fs::read(site.out.join(&page)).unwrap();
            assert_eq!(listed[url], json!(sha256_10(&bytes)), "{page}");
        }
        assert!(listed.contains_key(&format!("{lang}/guides/diagram/flow.svg")));
        assert!(listed.contains_key(&format!("search/{lang}/manifest.js")));
        assert!(listed.keys().any(|k| k.starts_with("assets/style.")));
        assert!(listed
            .keys()
            .all(|k| !k.ends_with(".zip") && !k.starts_with(if lang == "en" { "ar/" } else { "en/" })));
        let manifest: serde_json::Value =
            serde_json::from_str(&site.read(&format!("{lang}/manifest.webmanifest"))).unwrap();
        assert_eq!(manifest["start_url"], "./");
        assert_eq!(manifest["scope"], "../");
        assert_eq!(manifest["lang"], lang);
        assert_eq!(manifest["dir"], if lang == "ar" { "rtl" } else { "ltr" });
        let icon = manifest["icons"][0]["src"].as_str().unwrap();
        assert!(site.out.join(lang).join(icon).is_file(), "{icon}");
        let home = site.read(&format!("{lang}/index.html"));
        assert!(home.contains("<link rel=\"manifest\" href=\"manifest.webmanifest\">"), "{home}");
        assert!(
            home.contains("class=\"offline-keep\" data-lang=\"")
                && home.contains("<p class=\"offline-copy\" role=\"status\" hidden>")
        );
    }
    // Built for disk, the site registers no worker.
    let disk = build_ok(&fixture("workshop"), &["--offline"]);
    assert!(!disk.exists("sw.js"));
    let page = disk.read("en/index.html");
    assert!(!page.contains("rel=\"manifest\"") && !page.contains("offline-keep") && !page.contains("/offline."));
}

fn sha256_10(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().take(5).map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_service_worker_keeps_pages_readable_when_the_server_stops() {
    if !browser_available() {
        return;
    }
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    for (dir, word) in [(&first, "OLDWORDING"), (&second, "NEWWORDING")] {
        for file in files(&fixture("workshop")) {
            let target = dir.path().join(&file);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(fixture("workshop").join(&file), target).unwrap();
        }
        let page = dir.path().join("content/guides/community-radio.md");
        let text = std::fs::read_to_string(&page).unwrap();
        std::fs::write(&page, text.replace("Ask the regulator.", &format!("Ask the regulator. {word}"))).unwrap();
        // The same in both builds, under a name the browser percent-encodes.
        std::fs::write(
            dir.path().join("content/guides/ràdio-lliure.md"),
            "---\ntitle: Ràdio lliure\n---\n\nUna emissora del barri.\n",
        )
        .unwrap();
    }
    let one = build_ok(first.path(), &[]);
    let two = build_ok(second.path(), &[]);
    let answer = browser(
        "worker",
        &json!({
            "first": one.out,
            "second": two.out,
            "lang": "en",
            "visit": "en/guides/community-radio/",
            "unvisited": "en/training/closing/",
            "other": "ar/training/closing/",
            "changed": "en/guides/community-radio/",
            "old": "OLDWORDING",
            "new": "NEWWORDING",
            "unchanged": ["en/guides/ràdio-lliure/", "en/training/closing/"],
        }),
    );
    assert_eq!(answer["problems"], json!([]), "{answer}");
    assert_eq!(answer["requests_outside"], json!([]), "{answer}");
    // A visited page is kept and served, marked, when the server is down…
    assert_eq!(answer["online_visit"], true, "{answer}");
    assert_eq!(answer["marked_online"], false, "{answer}");
    assert_eq!(answer["offline_visit"], true, "{answer}");
    assert!(answer["offline_text"].as_str().unwrap().contains("OLDWORDING"), "{answer}");
    assert_eq!(answer["marked_offline"], true, "{answer}");
    assert_eq!(answer["hint_visible"], true, "{answer}");
    // …a page never visited is not…
    assert_eq!(answer["unvisited_before_keep"], false, "{answer}");
    // …until the reader keeps the whole language (and only that one).
    assert_eq!(answer["keep_label"], "Keep this language for offline reading");
    assert_eq!(answer["keep_focus"], true, "the keep button lost the keyboard focus: {answer}");
    assert_eq!(answer["unvisited_after_keep"], true, "{answer}");
    assert_eq!(answer["other_language"], false, "{answer}");
    // A new build brings a new worker: the stale copy is gone, the kept
    // language saved again from the new build.
    let version = answer["version"].as_str().unwrap();
    let caches = answer["caches"].as_array().unwrap();
    assert_eq!(caches.len(), 1, "{answer}");
    assert!(caches[0].as_str().unwrap().ends_with(&format!(" {version}")), "{answer}");
    assert_eq!(answer["changed_offline"], true, "{answer}");
    assert_eq!(answer["changed_has_new"], true, "{answer}");
    assert_eq!(answer["changed_has_old"], false, "{answer}");
    assert_eq!(answer["still_kept"], true, "{answer}");
    // What did not change is carried over from the old cache, whatever its
    // name, not downloaded again; the whole language is saved again.
    assert_eq!(answer["unchanged_fetched_again"], json!([]), "{answer}");
    assert_eq!(answer["resaved"], answer["listed"], "{answer}");
}

/// A workshop pack read on a phone (or at 400 % zoom): its agenda, a
/// module and print.html do not scroll sideways at 320 CSS px, left to
/// right and right to left.
#[test]
fn workshop_packs_do_not_scroll_sideways_at_320_css_pixels() {
    if !browser_available() {
        return;
    }
    let site = build_ok(&repo_root(), &[]);
    for lang in ["en", "ar"] {
        let pack = unzip(&site.out.join(format!("{lang}/training/digital-care/digital-care-{lang}.zip")));
        let paths =
            ["index.html".to_string(), "print.html".into(), format!("{lang}/training/threat-modelling/index.html")];
        let answer =
            common::browser("reflow", &json!({ "site": pack.path(), "mode": "file", "paths": paths, "width": 320 }));
        let pages = answer["pages"].as_array().unwrap();
        assert_eq!(pages.len(), paths.len());
        for page in pages {
            assert_eq!(page["overflow"], json!(0), "{} scrolls sideways at 320 px: {}", page["path"], page["culprits"]);
        }
    }
}
