//! The repo's own site and a real-world corpus, built by the real binary:
//! every internal link must lead to a written file, online and offline.

mod common;

use std::path::PathBuf;

use common::{broken_internal_links, build_ok, repo_root, third_party_loads};

/// A site root for the Disroot corpus: our site.toml beside its content/.
fn disroot_root() -> tempfile::TempDir {
    let corpus = repo_root().join("../shared/corpora/disroot/content");
    assert!(corpus.is_dir(), "the Disroot corpus must be at {} (shared/ beside the repo)", corpus.display());
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(common::fixture("disroot/site.toml"), dir.path().join("site.toml")).unwrap();
    std::os::unix::fs::symlink(corpus.canonicalize().unwrap(), dir.path().join("content")).unwrap();
    dir
}

fn repo() -> PathBuf {
    repo_root()
}

#[test]
fn repo_site_builds_strictly_with_every_link_resolving() {
    let site = build_ok(&repo(), &["--strict"]);
    assert!(site.stderr.contains(" 0 warnings"), "{}", site.stderr);
    let problems = broken_internal_links(&site.out, false, true);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn repo_site_offline_has_no_folder_links() {
    let site = build_ok(&repo(), &["--offline"]);
    let problems = broken_internal_links(&site.out, true, true);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn repo_site_loads_nothing_from_third_parties() {
    let site = build_ok(&repo(), &[]);
    let problems = third_party_loads(&site.out);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn repo_site_has_six_languages_with_fallbacks_showing() {
    let site = build_ok(&repo(), &[]);
    for lang in ["en", "ca", "es", "fr", "pt", "ar"] {
        assert!(site.exists(&format!("{lang}/index.html")), "{lang}");
        assert!(site.exists(&format!("{lang}/about/index.html")), "{lang}");
    }
    let fallback = site.read("ar/guides/writing/index.html");
    assert!(fallback.contains("notice-fallback") && fallback.contains("dir=\"rtl\""));
    let about = site.read("ca/about/index.html");
    assert!(!about.contains("notice-fallback"), "the charter's original is Catalan");
}

/// Pages without a description of their own (search, tags, translation
/// status, 404) describe the site in their language: site.toml gives each
/// language its description (they all had the English one).
#[test]
fn repo_site_describes_itself_in_each_language() {
    let site = build_ok(&repo(), &[]);
    let mut seen: Vec<String> = Vec::new();
    for lang in ["en", "ca", "es", "fr", "pt", "ar"] {
        let descriptions: Vec<String> = ["search/index.html", "tags/index.html", "translations/index.html", "404.html"]
            .iter()
            .map(|page| {
                let html = site.read(&format!("{lang}/{page}"));
                let start =
                    html.find("<meta name=\"description\" content=\"").unwrap_or_else(|| panic!("{lang}/{page}"));
                let rest = &html[start + 34..];
                rest[..rest.find('"').unwrap()].to_string()
            })
            .collect();
        assert!(descriptions.iter().all(|d| d == &descriptions[0] && !d.is_empty()), "{lang}: {descriptions:?}");
        assert!(
            !seen.contains(&descriptions[0]),
            "{lang} describes the site as another language does: {}",
            descriptions[0]
        );
        seen.push(descriptions[0].clone());
    }
}

#[test]
fn repo_site_builds_byte_identically_twice() {
    let a = build_ok(&repo(), &[]);
    let b = build_ok(&repo(), &[]);
    assert_same_files(&a.out, &b.out);
}

#[test]
fn disroot_corpus_builds_and_reports_its_broken_links() {
    let root = disroot_root();
    let site = build_ok(root.path(), &[]);
    let warnings: Vec<&str> = site.stderr.lines().filter(|l| l.contains(": warning: ")).collect();
    assert!(warnings.len() > 100, "the corpus has many broken links and images: {}", site.stderr);
    assert!(warnings.iter().all(|w| w.contains(".md:")), "every warning names a file and line");
    assert!(site.exists("fr/tutorials/email/index.html"));
    let problems = broken_internal_links(&site.out, false, false);
    assert!(problems.is_empty(), "{:#?}", &problems[..problems.len().min(20)]);
}

#[test]
fn disroot_corpus_offline_has_no_folder_links() {
    let root = disroot_root();
    let site = build_ok(root.path(), &["--offline"]);
    let problems = broken_internal_links(&site.out, true, false);
    assert!(problems.is_empty(), "{:#?}", &problems[..problems.len().min(20)]);
}

#[test]
fn disroot_corpus_builds_byte_identically_twice() {
    let root = disroot_root();
    let a = build_ok(root.path(), &[]);
    let b = build_ok(root.path(), &[]);
    assert_same_files(&a.out, &b.out);
}

/// Two output folders hold the same files, byte for byte.
fn assert_same_files(a: &std::path::Path, b: &std::path::Path) {
    let files = common::files(a);
    assert_eq!(files, common::files(b));
    for file in &files {
        assert!(
            std::fs::read(a.join(file)).unwrap() == std::fs::read(b.join(file)).unwrap(),
            "{} differs",
            file.display()
        );
    }
}

#[test]
fn versions_that_skip_the_sanitiser_would_lose_nothing_to_it() {
    let disroot = disroot_root();
    let roots = [repo(), disroot.path().to_path_buf(), common::fixture("multilingual"), common::fixture("workshop")];
    for root in roots {
        let (skipped, total, wrong) = infrared::fuzz_entry::sanitiser_skips(&root);
        assert!(wrong.is_empty(), "{}: {wrong:#?}", root.display());
        assert!(skipped > 0 && skipped <= total, "{}: {skipped} of {total} skipped", root.display());
    }
}
