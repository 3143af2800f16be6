//! Search quality and behaviour, natively (tantivy) and in the browser
//! (the exported files run by headless Chromium from file:// and over HTTP),
//! measured on the qrels in tests/search/qrels.tsv.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{browser, browser_available, build_ok, fixture, repo_root, site_with, Built, TWO_LANGUAGES};
use serde_json::json;

struct Qrel {
    lang: String,
    query: String,
    expected: String,
    kind: String,
}

fn qrels() -> Vec<Qrel> {
    let text = std::fs::read_to_string(repo_root().join("tests/search/qrels.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Qrel { lang: f[0].into(), query: f[1].into(), expected: f[2].into(), kind: f[3].into() }
        })
        .collect()
}

/// `en/mirrors/` → `mirrors`.
fn page_of(url: &str) -> String {
    url.trim_end_matches('/').split('/').nth(1).unwrap_or_default().to_string()
}

#[derive(Default, Clone, Copy)]
struct Score {
    queries: usize,
    found_at_5: usize,
    reciprocal_rank: f64,
}

impl Score {
    fn add(&mut self, expected: &str, urls: &[String]) {
        self.queries += 1;
        if let Some(rank) = urls.iter().take(10).position(|u| page_of(u) == expected) {
            if rank < 5 {
                self.found_at_5 += 1;
            }
            self.reciprocal_rank += 1.0 / (rank + 1) as f64;
        }
    }
    fn recall(&self) -> f64 {
        self.found_at_5 as f64 / self.queries.max(1) as f64
    }
    fn mrr(&self) -> f64 {
        self.reciprocal_rank / self.queries.max(1) as f64
    }
}

fn native_results(out: &Path, rows: &[Qrel]) -> Vec<Vec<String>> {
    let cache = infrared::search::cache_dir(out);
    rows.iter()
        .map(|q| {
            let index = infrared::search::open_index(&cache, &q.lang).unwrap();
            let results = infrared::search::query::search(&index, &q.lang, &q.query, 10).unwrap();
            results.hits.into_iter().map(|h| h.url).collect()
        })
        .collect()
}

fn browser_results(out: &Path, mode: &str, rows: &[Qrel]) -> Vec<Vec<String>> {
    let rows_json: Vec<[&str; 2]> = rows.iter().map(|q| [q.lang.as_str(), q.query.as_str()]).collect();
    let answer = browser("queries", &json!({ "site": out, "mode": mode, "rows": rows_json }));
    assert_eq!(answer["problems"], json!([]), "errors in the page");
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().iter().map(|u| u.as_str().unwrap().to_string()).collect())
        .collect()
}

/// Scores overall, per language and per kind; prints the table.
fn report(name: &str, rows: &[Qrel], results: &[Vec<String>]) -> BTreeMap<String, Score> {
    let mut scores: BTreeMap<String, Score> = BTreeMap::new();
    for (q, urls) in rows.iter().zip(results) {
        for key in ["all".to_string(), format!("lang {}", q.lang), format!("kind {}", q.kind)] {
            scores.entry(key).or_default().add(&q.expected, urls);
        }
    }
    eprintln!("{name}:");
    for (key, s) in &scores {
        eprintln!("  {key:<16} n={:<3} recall@5={:.3} MRR@10={:.3}", s.queries, s.recall(), s.mrr());
    }
    scores
}

/// Thresholds set from measurements (see the closing note of issue 3):
/// every language and kind must stay at or above them.
fn assert_quality(name: &str, scores: &BTreeMap<String, Score>) {
    let all = scores["all"];
    assert!(all.recall() >= 0.95, "{name}: recall@5 {:.3}", all.recall());
    assert!(all.mrr() >= 0.85, "{name}: MRR@10 {:.3}", all.mrr());
    for (key, s) in scores {
        assert!(s.recall() >= 0.85, "{name}: {key} recall@5 {:.3}", s.recall());
    }
}

#[test]
fn native_search_finds_what_readers_type() {
    let site = build_ok(&fixture("search"), &[]);
    let rows = qrels();
    let native = native_results(&site.out, &rows);
    let scores = report("native (tantivy)", &rows, &native);
    assert_quality("native", &scores);
}

#[test]
fn browser_search_from_disk_and_http_matches_native() {
    if !browser_available() {
        return;
    }
    let site = build_ok(&fixture("search"), &[]);
    let rows = qrels();
    let native = native_results(&site.out, &rows);
    for mode in ["file", "http"] {
        let browser = browser_results(&site.out, mode, &rows);
        let scores = report(&format!("browser ({mode})"), &rows, &browser);
        assert_quality(mode, &scores);
        // Agreement: the expected page is in the top 5 of both, or of neither.
        let disagreements: Vec<String> = rows
            .iter()
            .zip(native.iter().zip(&browser))
            .filter(|(q, (n, b))| {
                let top = |urls: &Vec<String>| urls.iter().take(5).any(|u| page_of(u) == q.expected);
                top(n) != top(b)
            })
            .map(|(q, (n, b))| format!("{} {:?}: native {n:?} browser {b:?}", q.lang, q.query))
            .collect();
        assert!(disagreements.len() * 50 <= rows.len(), "{mode}: native and browser disagree on {disagreements:#?}");
    }
}

#[test]
fn search_page_is_keyboard_usable_and_shows_titles_as_text() {
    if !browser_available() {
        return;
    }
    let site = build_ok(&fixture("search"), &[]);
    for mode in ["file", "http"] {
        let ui = browser("ui", &json!({ "site": site.out, "mode": mode, "lang": "en", "query": "hostile titles" }));
        assert_eq!(ui["problems"], json!([]), "{mode}: {ui}");
        assert_eq!(ui["titles"][0], "<img src=x onerror=alert(1)>", "{mode}: the title is text: {ui}");
        assert_eq!(ui["images_in_results"], 0, "{mode}: no element was made from the title");
        assert_eq!(ui["status_role"], "status");
        assert_eq!(ui["status"], "1 page found");
        assert_eq!(ui["no_js_hidden"], true);
        assert_eq!(ui["focus_after_down"], "<img src=x onerror=alert(1)>", "ArrowDown reaches the results");
        assert_eq!(ui["focus_back_on_input"], true, "ArrowUp returns to the field");
        assert_eq!(ui["linked_titles"][0], "<img src=x onerror=alert(1)>", "?q= runs the query on load");
        assert_eq!(
            ui["followed_title"], "<img src=x onerror=alert(1)> · Search fixture",
            "the result link leads to the page"
        );
        let href = ui["hrefs"][0].as_str().unwrap();
        assert!(!href.contains("/../"), "{href}");
        if mode == "file" {
            assert!(href.ends_with("/en/hostile/index.html"), "{href}");
        }
    }
}

/// A page whose file name holds `#`: its search result leads to it, from
/// disk and over HTTP (an unescaped `#` cut the address at the folder above).
#[test]
fn a_search_result_leads_to_a_page_named_with_a_hash() {
    if !browser_available() {
        return;
    }
    let root = common::site_with(&[
        ("site.toml", "title = \"Hash\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n"),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("content/c#.md", "+++\ntitle = \"Sharp notes\"\n+++\nThe xylophone plays sharp notes.\n"),
    ]);
    let site = build_ok(root.path(), &[]);
    for mode in ["file", "http"] {
        let ui = browser("ui", &json!({ "site": site.out, "mode": mode, "lang": "en", "query": "xylophone" }));
        assert_eq!(ui["problems"], json!([]), "{mode}: {ui}");
        assert_eq!(ui["titles"][0], "Sharp notes", "{mode}: {ui}");
        let href = ui["hrefs"][0].as_str().unwrap();
        assert!(href.contains("/en/c%23/"), "{mode}: {href}");
        assert_eq!(ui["followed_title"], "Sharp notes · Hash", "{mode}: the result link leads to the page: {ui}");
    }
}

#[test]
fn a_missing_shard_is_reported_and_other_results_kept() {
    if !browser_available() {
        return;
    }
    let site = build_ok(&fixture("search"), &[]);
    // Break the mirror: remove the shard holding one of two query terms.
    let shards: Vec<std::path::PathBuf> = common::files(&site.out.join("search/en"))
        .into_iter()
        .filter(|f| f.file_name().is_some_and(|n| n.to_string_lossy().starts_with("s-")))
        .collect();
    assert!(shards.len() > 1, "the fixture has several English shards: {shards:?}");
    let two_words = "zebracorn fibre";
    let full = browser("outcome", &json!({ "site": site.out, "mode": "file", "lang": "en", "query": two_words }));
    assert_eq!(full["outcome"]["state"]["missing"], false);
    let mut removed = None;
    for shard in &shards {
        let path = site.out.join("search/en").join(shard);
        let saved = std::fs::read(&path).unwrap();
        if String::from_utf8_lossy(&saved).contains("zebracorn") {
            std::fs::remove_file(&path).unwrap();
            removed = Some(path);
        }
    }
    assert!(removed.is_some());
    let broken = browser("outcome", &json!({ "site": site.out, "mode": "file", "lang": "en", "query": two_words }));
    assert_eq!(broken["outcome"]["state"]["missing"], true, "{broken}");
    assert!(!broken["outcome"]["hits"].as_array().unwrap().is_empty(), "results for the other word remain: {broken}");
}

#[test]
fn a_language_with_only_fallback_pages_finds_nothing_without_failing() {
    if !browser_available() {
        return;
    }
    let site = build_ok(&fixture("translations"), &[]);
    let manifest = std::fs::read_to_string(site.out.join("search/es/manifest.js")).unwrap();
    assert!(manifest.contains("\"shards\":[]"), "Spanish has no page of its own to index: {manifest}");
    for mode in ["file", "http"] {
        let answer =
            browser("queries", &json!({ "site": site.out, "mode": mode, "rows": [["es", "hola"], ["en", "hola"]] }));
        assert_eq!(answer["problems"], json!([]), "{mode}: {answer}");
        assert_eq!(answer["results"][0], json!([]), "{mode}: no results, and no error: {answer}");
    }
}

#[test]
fn bad_queries_never_fail() {
    let site = build_ok(&fixture("search"), &[]);
    let cache = infrared::search::cache_dir(&site.out);
    let en = infrared::search::open_index(&cache, "en").unwrap();
    let long = "mirror ".repeat(1500);
    for query in ["", "   ", "?!…", "the and of", "\"\"", long.as_str(), "Wi-Fi 光纤 شبكة", "\u{0}"] {
        assert!(infrared::search::query::search(&en, "en", query, 10).is_ok(), "{query:?}");
    }
    let zh = infrared::search::open_index(&cache, "zh").unwrap();
    let hits = infrared::search::query::search(&zh, "zh", "光纤", 10).unwrap().hits;
    assert_eq!(page_of(&hits[0].url), "fiber", "Chinese substring, no stemmer: {hits:?}");
}

/// Regression: natively, `snapshots:offsite` was searched as the phrase
/// "snapshots offsite" (the browser reads two words); and a Chinese or
/// Japanese character typed alone found nothing anywhere, CJK text being
/// indexed as pairs of characters.
#[test]
fn words_joined_by_a_colon_and_lone_cjk_characters_are_found_natively_and_in_the_browser() {
    let root = common::site_with(&[
        (
            "site.toml",
            "title = \"CJK\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n\
             [languages.zh]\nname = \"中文\"\n[languages.ja]\nname = \"日本語\"\n",
        ),
        ("content/backups.md", "+++\ntitle = \"Backups\"\n+++\nTake snapshots every night and keep a copy offsite.\n"),
        ("content/storage.md", "+++\ntitle = \"Storage\"\n+++\nOffsite storage, and disks at home.\n"),
        ("content/fiber.zh.md", "+++\ntitle = \"在乡村铺设光纤\"\n+++\n光缆需要穿过道路。\n"),
        ("content/radio.zh.md", "+++\ntitle = \"社区电台\"\n+++\n村里的电台每晚播出。\n"),
        ("content/library.ja.md", "+++\ntitle = \"図書館\"\n+++\n図書館でネットワークを作る。\n"),
        ("content/cats.ja.md", "+++\ntitle = \"動物\"\n+++\n犬、猫、鳥。\n"),
    ]);
    let site = build_ok(root.path(), &[]);
    // (lang, query, the pages found, in order)
    let cases: [(&str, &str, &[&str]); 7] = [
        ("en", "snapshots:offsite", &["backups"]),
        ("en", "offsite:snapshots", &["backups"]),
        ("zh", "缆", &["fiber"]),
        ("zh", "台", &["radio"]),
        ("zh", "光纤:道路", &["fiber"]),
        ("ja", "館", &["library"]),
        ("ja", "猫", &["cats"]),
    ];
    let expected =
        |lang: &str, pages: &[&str]| -> Vec<String> { pages.iter().map(|p| format!("{lang}/{p}/")).collect() };
    let cache = infrared::search::cache_dir(&site.out);
    for (lang, query, pages) in cases {
        let index = infrared::search::open_index(&cache, lang).unwrap();
        let results = infrared::search::query::search(&index, lang, query, 10).unwrap();
        let urls: Vec<String> = results.hits.iter().map(|h| h.url.clone()).collect();
        assert_eq!(urls, expected(lang, pages), "native {lang} {query:?}");
        assert!(results.all_words, "native {lang} {query:?}: every word found");
    }
    let shard_lines = |lang: &str| -> Vec<String> {
        let dir = site.out.join("search").join(lang);
        let mut lines = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().unwrap().to_string_lossy().starts_with("s-") {
                let text = std::fs::read_to_string(&path).unwrap();
                let body = &text[text.find(",\"").unwrap() + 1..text.rfind(");").unwrap()];
                let body: String = serde_json::from_str(body).unwrap();
                lines.extend(body.lines().map(|l| l.split('\t').next().unwrap().to_string()));
            }
        }
        lines
    };
    let zh = shard_lines("zh");
    for term in ["光缆", "缆", "电台", "台"] {
        assert!(zh.contains(&term.to_string()), "{term} in the Chinese shards: {zh:?}");
    }
    if !browser_available() {
        return;
    }
    for mode in ["file", "http"] {
        let rows: Vec<[&str; 2]> = cases.iter().map(|(lang, query, _)| [*lang, *query]).collect();
        let answer = browser("queries", &json!({ "site": site.out, "mode": mode, "rows": rows }));
        assert_eq!(answer["problems"], json!([]), "{mode}: {answer}");
        for (i, (lang, query, pages)) in cases.iter().enumerate() {
            assert_eq!(answer["results"][i], json!(expected(lang, pages)), "{mode} {lang} {query:?}: {answer}");
        }
    }
}

#[test]
fn browser_bad_queries_never_fail() {
    if !browser_available() {
        return;
    }
    let site = build_ok(&fixture("search"), &[]);
    let long = "mirror ".repeat(1500);
    let rows: Vec<[&str; 2]> =
        vec![["en", ""], ["en", "?!…"], ["en", long.as_str()], ["zh", "Wi-Fi 光纤"], ["de", "\u{0}"]];
    let answer = browser("queries", &json!({ "site": site.out, "mode": "file", "rows": rows }));
    assert_eq!(answer["problems"], json!([]), "{answer}");
    assert_eq!(answer["results"].as_array().unwrap().len(), rows.len());
}

#[test]
fn cli_search_answers_from_the_last_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let root = fixture("search");
    let built = common::infrared(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(built.status.success());
    let found = common::infrared(&[
        "search",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--lang",
        "ca",
        "--json",
        "antenes",
    ]);
    let results: serde_json::Value = serde_json::from_slice(&found.stdout).unwrap();
    assert_eq!(results["hits"][0]["url"], "ca/wifi/", "{results}");
    assert!(results["hits"][0]["snippet"].as_str().unwrap().contains("ant"), "{results}");
    let missing = common::infrared(&[
        "search",
        "--root",
        root.to_str().unwrap(),
        "--out",
        dir.path().join("nowhere").to_str().unwrap(),
        "x",
    ]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("infrared build"), "says what to do");
}

/// For each language of a site: a word of a page title written in it, and
/// that page's URL. Fallback copies are not indexed, so pick real versions.
fn title_queries(root: &Path) -> Vec<(String, String, String)> {
    let config = infrared::config::Config::load(root).unwrap();
    let corpus = infrared::content::load(&config, false).unwrap();
    let mut queries = Vec::new();
    for lang in &config.languages {
        let found = corpus.nodes.iter().filter(|n| !n.key.is_empty()).find_map(|node| {
            let title = node.versions.get(&lang.code)?.front.title.clone()?;
            let word = title
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 5)
                .max_by_key(|w| w.chars().count())?
                .to_string();
            Some((word, node.key.clone()))
        });
        if let Some((word, key)) = found {
            queries.push((lang.code.clone(), word, format!("{}/{key}/", lang.code)));
        }
    }
    queries
}

fn searchable_in_every_language(root: &Path, min_languages: usize) {
    let site = build_ok(root, &[]);
    let queries = title_queries(root);
    assert!(queries.len() >= min_languages, "{queries:?}");
    let rows: Vec<[&str; 2]> = queries.iter().map(|(l, q, _)| [l.as_str(), q.as_str()]).collect();
    for mode in ["file", "http"] {
        let answer = browser("queries", &json!({ "site": site.out, "mode": mode, "rows": rows }));
        assert_eq!(answer["problems"], json!([]), "{mode}: {answer}");
        for ((lang, query, url), found) in queries.iter().zip(answer["results"].as_array().unwrap()) {
            let found: Vec<&str> = found.as_array().unwrap().iter().filter_map(|u| u.as_str()).collect();
            assert!(found.contains(&url.as_str()), "{mode} {lang} {query:?}: expected {url} in {found:?}");
        }
    }
}

#[test]
fn repo_site_is_searchable_in_every_language_in_the_browser() {
    if !browser_available() {
        return;
    }
    searchable_in_every_language(&repo_root(), 6);
}

#[test]
fn disroot_corpus_is_searchable_in_every_language_in_the_browser() {
    if !browser_available() {
        return;
    }
    let corpus = repo_root().join("../shared/corpora/disroot/content");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("disroot/site.toml"), dir.path().join("site.toml")).unwrap();
    std::os::unix::fs::symlink(corpus.canonicalize().unwrap(), dir.path().join("content")).unwrap();
    searchable_in_every_language(dir.path(), 10);
}

/// A site where two words are on every page of each language (so the export
/// cuts them to their best pages), a page titled with the first word, one
/// titled with both, and one that repeats the first word without it in its
/// title. Pages are distinguished by a rare word, `topicN`.
fn common_words_site() -> tempfile::TempDir {
    const PAGES: usize = 30;
    let words = [("en", "Encryption", "backup"), ("es", "Contraseñas", "seguridad"), ("zh", "密钥", "备份")];
    let mut files = vec![(
        "site.toml".to_string(),
        "title = \"Common words\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n\
         [languages.es]\nname = \"Español\"\n[languages.zh]\nname = \"中文\"\n"
            .to_string(),
    )];
    for (lang, first, second) in words {
        let suffix = if lang == "en" { String::new() } else { format!(".{lang}") };
        let page = |name: &str, title: &str, body: &str| {
            (format!("content/{name}{suffix}.md"), format!("+++\ntitle = \"{title}\"\n+++\n{body}\n"))
        };
        for n in 0..PAGES {
            let body = format!("Note topic{n}: {first} and {second} come up here, with ordinary words around them.");
            files.push(page(&format!("note{n}"), &format!("Note {n}"), &body));
        }
        let loud = format!("{first} {first} {first} {first} {first} {first}, said the page. {second}.");
        files.push(page("loud", "A loud page", &loud));
        files.push(page("titled", first, &format!("All about {first}, and a word on {second}.")));
        files.push(page("both", &format!("{first} {second}"), &format!("{first} with {second}.")));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, c)| (p.as_str(), c.as_str())).collect();
    common::site_with(&files)
}

#[test]
fn words_on_most_pages_find_the_page_titled_with_them() {
    let root = common_words_site();
    let site = build_ok(root.path(), &[]);
    // (lang, query, page expected first, the query's words are all common)
    let cases = [
        ("en", "encryption", "titled", true),
        ("en", "encryption backup", "both", true),
        ("en", "encryption topic7", "note7", false),
        ("es", "contraseñas", "titled", true),
        ("es", "contraseñas seguridad", "both", true),
        ("zh", "密钥", "titled", true),
        ("zh", "密钥 备份", "both", true),
    ];
    let cache = infrared::search::cache_dir(&site.out);
    for (lang, query, page, _) in cases {
        let index = infrared::search::open_index(&cache, lang).unwrap();
        let hits = infrared::search::query::search(&index, lang, query, 10).unwrap().hits;
        assert_eq!(hits.first().map(|h| page_of(&h.url)), Some(page.to_string()), "native {lang} {query:?}: {hits:?}");
    }
    let manifest = site.read("search/en/manifest.js");
    assert!(!manifest.contains("common"), "no term is left out: {manifest}");
    if !browser_available() {
        return;
    }
    for mode in ["file", "http"] {
        for (lang, query, page, all_common) in cases {
            let answer = browser("outcome", &json!({ "site": site.out, "mode": mode, "lang": lang, "query": query }));
            let outcome = &answer["outcome"];
            assert_eq!(answer["problems"], json!([]), "{mode}: {answer}");
            assert_eq!(
                page_of(outcome["hits"][0]["url"].as_str().unwrap_or_default()),
                page,
                "{mode} {query:?}: {outcome}"
            );
            let docs = outcome["docs"].as_array().unwrap().len();
            if lang == "zh" {
                // Chinese terms are what readers type as words: every page holding them.
                let index = infrared::search::open_index(&cache, lang).unwrap();
                let native = infrared::search::query::search(&index, lang, query, 100).unwrap().hits.len();
                assert_eq!(outcome["state"]["cut"], false, "{mode} {query:?}: CJK lists are whole: {outcome}");
                assert_eq!(docs, native, "{mode} {query:?}: as many pages as natively");
                assert!(docs >= 30, "{mode} {query:?}: {docs}");
                continue;
            }
            assert_eq!(outcome["state"]["cut"], true, "{mode} {query:?}: the common words' lists are cut: {outcome}");
            if all_common {
                assert!(docs > 1 && docs < 30, "{mode} {query:?}: only the best pages of a common word: {docs}");
            } else {
                assert_eq!(docs, 1, "{mode} {query:?}: the rare word decides which pages match");
            }
            assert_eq!(outcome["hits"].as_array().unwrap().len(), docs.min(5), "records of the first 5 only");
        }
    }
}

/// A reader types a section's or a page's title ("Cloud"): that page comes
/// first, natively and in the browser, ahead of pages with longer titles
/// holding the word ("Cloud: Settings") whose long bodies repeat it. On the
/// Disroot corpus "Cloud", "Correo" and "Nube" came third, below two of
/// their own subpages.
#[test]
fn a_query_that_is_a_page_title_finds_that_page_first() {
    let mention = "Your cloud keeps your files. The cloud syncs them; open the cloud app to see the cloud. ";
    let dir = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nGuides to our services.\n"),
        ("content/cloud/_index.md", "+++\ntitle = \"Cloud\"\n+++\nBasics, settings, sync and clients.\n"),
        (
            "content/cloud/settings.md",
            &format!("+++\ntitle = \"Cloud: Settings\"\n+++\n{}Change the settings here.\n", mention.repeat(3)),
        ),
        (
            "content/cloud/intro.md",
            &format!("+++\ntitle = \"Cloud: Introduction\"\n+++\n{}Start here.\n", mention.repeat(3)),
        ),
        ("content/mail.md", "+++\ntitle = \"Mail\"\n+++\nLetters arrive in the mailbox.\n"),
        ("content/chat.md", "+++\ntitle = \"Chat\"\n+++\nTalk with friends in rooms.\n"),
    ]);
    let site = build_ok(dir.path(), &[]);
    let cases =
        [("cloud", "Cloud"), ("Cloud: Settings", "Cloud: Settings"), ("cloud introduction", "Cloud: Introduction")];
    let cache = infrared::search::cache_dir(&site.out);
    let index = infrared::search::open_index(&cache, "en").unwrap();
    for (query, title) in cases {
        let hits = infrared::search::query::search(&index, "en", query, 10).unwrap().hits;
        let titles: Vec<&str> = hits.iter().map(|h| h.title.as_str()).collect();
        assert_eq!(titles.first(), Some(&title), "native {query:?}: {titles:?}");
    }
    if !browser_available() {
        return;
    }
    for mode in ["file", "http"] {
        for (query, title) in cases {
            let answer = browser("outcome", &json!({ "site": site.out, "mode": mode, "lang": "en", "query": query }));
            assert_eq!(answer["problems"], json!([]), "{mode}: {answer}");
            assert_eq!(answer["outcome"]["hits"][0]["title"], title, "{mode} {query:?}: {answer}");
        }
    }
}

#[test]
fn more_results_load_on_request_and_take_the_focus() {
    if !browser_available() {
        return;
    }
    let root = common_words_site();
    let site = build_ok(root.path(), &[]);
    for mode in ["file", "http"] {
        // "ordinary" is on every note: its best pages are more than the first 5.
        let more = browser("more", &json!({ "site": site.out, "mode": mode, "lang": "en", "query": "ordinary" }));
        assert_eq!(more["problems"], json!([]), "{mode}: {more}");
        let counts: Vec<u64> = more["counts"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).collect();
        assert_eq!(counts.first(), Some(&5), "{mode}: the first 5 results: {more}");
        assert!(counts.len() >= 2 && counts.windows(2).all(|w| w[1] > w[0]), "{mode}: more results came: {more}");
        let total: u64 = more["status"].as_str().unwrap().split(' ').next().unwrap().parse().unwrap();
        assert_eq!(counts.last(), Some(&total), "{mode}: every result can be shown: {more}");
        let focused: Vec<u64> = more["focused"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).collect();
        assert_eq!(focused, counts[..counts.len() - 1].to_vec(), "{mode}: the first new result takes the focus");
    }
}

/// A reader types the start of a word, sees the pages it begins, and
/// presses Enter (on the search page or in the header's box on any page):
/// the same pages stay. The query sent used to look the unfinished word up
/// whole and answer "No page matches", as did a link to it (`?q=quot`).
#[test]
fn results_shown_while_typing_stay_after_enter() {
    if !browser_available() {
        return;
    }
    let dir = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/quota.md", "+++\ntitle = \"Disk quota\"\n+++\nThe quota is 100% of the disk.\n"),
        ("content/mail.md", "+++\ntitle = \"Mail\"\n+++\nThe mailbox holds your letters.\n"),
    ]);
    let site = build_ok(dir.path(), &[]);
    for mode in ["file", "http"] {
        for query in ["quot", "disk quot"] {
            let answer = browser("enter", &json!({ "site": site.out, "mode": mode, "lang": "en", "query": query }));
            assert_eq!(answer["problems"], json!([]), "{mode} {query}: {answer}");
            assert_eq!(answer["typed"]["titles"], json!(["Disk quota"]), "{mode} {query}: {answer}");
            assert_eq!(answer["entered"], answer["typed"], "{mode} {query}: Enter keeps what typing showed");
        }
        let header = browser(
            "enter",
            &json!({ "site": site.out, "mode": mode, "lang": "en", "query": "quot", "from": "en/mail/" }),
        );
        assert_eq!(header["problems"], json!([]), "{mode}: {header}");
        assert_eq!(header["entered"]["titles"], json!(["Disk quota"]), "{mode}: the header's box: {header}");
        // A word on no page, whole, begun or a letter off, still finds nothing.
        let none = browser("linked", &json!({ "site": site.out, "mode": mode, "lang": "en", "search": "?q=zebra" }));
        assert_eq!(none["titles"], json!([]), "{mode}: {none}");
        assert_eq!(none["status"], "No page matches “zebra”.", "{mode}: {none}");
    }
}

/// Results mark the words the query found, in titles and summaries: other
/// inflections ("passwords" for "password"), accents the reader left out
/// ("contraseña" for "contrasena"), a word being completed ("passw"); not a
/// word on most pages ("guide") when the query has a rarer one; and as
/// text, never markup from a title.
#[test]
fn results_mark_the_words_the_query_found() {
    if !browser_available() {
        return;
    }
    let notes: Vec<(String, String)> = (1..=10)
        .map(|n| {
            (format!("content/note{n}.md"), format!("+++\ntitle = \"Note {n}\"\n+++\nThis guide covers topic{n}.\n"))
        })
        .collect();
    let mut files: Vec<(&str, &str)> = vec![
        (
            "site.toml",
            "title = \"Marks\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.es]\nname = \"Español\"\n",
        ),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nEvery guide we wrote.\n"),
        (
            "content/passwords.md",
            "+++\ntitle = \"<b>Password</b> managers\"\n+++\nThis guide says: change your passwords often; a password manager remembers them.\n",
        ),
        ("content/passwords.es.md", "+++\ntitle = \"Gestores de contraseñas\"\n+++\nCambia tu contraseña a menudo.\n"),
    ];
    files.extend(notes.iter().map(|(path, text)| (path.as_str(), text.as_str())));
    let dir = site_with(&files);
    let site = build_ok(dir.path(), &[]);
    let password = json!([["Password", "passwords", "password"]]);
    for mode in ["file", "http"] {
        for (lang, search, marks) in [
            ("en", "?q=passwords", password.clone()),
            ("en", "?q=passw", password.clone()),
            ("en", "?q=guide+password", password.clone()),
            ("es", "?q=contrasena", json!([["contraseñas", "contraseña"]])),
        ] {
            let answer = browser("linked", &json!({ "site": site.out, "mode": mode, "lang": lang, "search": search }));
            assert_eq!(answer["problems"], json!([]), "{mode} {search}: {answer}");
            assert_eq!(answer["marks"], marks, "{mode} {lang} {search}: {answer}");
            assert_eq!(answer["foreign_elements"], json!([]), "{mode} {search}: titles stay text: {answer}");
        }
        let answer =
            browser("linked", &json!({ "site": site.out, "mode": mode, "lang": "en", "search": "?q=password" }));
        assert_eq!(answer["titles"], json!(["<b>Password</b> managers"]), "{mode}: {answer}");
    }
}

/// A summary (a search result's, a page's description for listings and
/// `<meta>`, a feed entry's) leaves out the page's headings: the heading a
/// page opens with repeats the title shown above it (on Disroot most pages
/// open with one: "Thunderbird", then "Mozilla Thunderbird Thunderbird is
/// a…"), and a later one ran into the next sentence ("Setup Add your
/// account"). Search results left out only the first; listings and feeds
/// neither. A description is shown as written.
#[test]
fn summaries_leave_out_the_headings_of_the_page() {
    let dir = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        (
            "content/thunderbird.md",
            "+++\ntitle = \"Thunderbird\"\ndate = 2026-01-01\n+++\n# Mozilla   Thunderbird\n\nThunderbird is a mail client.\n\n## Setup\n\nAdd your account.\n",
        ),
        ("content/git.md", "+++\ntitle = \"Git\"\ndate = 2026-01-02\n+++\n# Git\n\nGithub is not git.\n"),
        (
            "content/mutt.md",
            "+++\ntitle = \"Mutt\"\ndate = 2026-01-03\n+++\nMutt is a mail client too.\n\n# Mutt\n\nIt runs in a terminal.\n",
        ),
        (
            "content/claws.md",
            "+++\ntitle = \"Claws\"\ndate = 2026-01-04\ndescription = \"Claws Mail, a light mail client.\"\n+++\n# Claws Mail\n\nClaws is light.\n",
        ),
    ]);
    let site = build_ok(dir.path(), &[]);
    let cases = [
        ("thunderbird", "Thunderbird is a mail client. Add your account."),
        ("github", "Github is not git."),
        ("terminal", "Mutt is a mail client too. It runs in a terminal."),
        ("light", "Claws Mail, a light mail client."),
    ];
    expect_summaries(&site.out, &cases, &["thunderbird", "git", "mutt", "claws"]);
}

/// Each page (`en/PAGE/`) has its case's summary in its `<meta>`
/// description and in the feed, and the case's query finds it first with
/// that summary, natively and in the browser.
fn expect_summaries(out: &Path, cases: &[(&str, &str)], pages: &[&str]) {
    let feed = std::fs::read_to_string(out.join("en/atom.xml")).unwrap();
    for ((_, summary), page) in cases.iter().zip(pages) {
        let html = std::fs::read_to_string(out.join(format!("en/{page}/index.html"))).unwrap();
        let meta = format!("<meta name=\"description\" content=\"{summary}\">");
        assert!(html.contains(&meta), "{page}: the page's summary is {summary:?}: {html}");
        assert!(feed.contains(&format!("<summary>{summary}</summary>")), "{page}: {summary:?} in {feed}");
    }
    let index = infrared::search::open_index(&infrared::search::cache_dir(out), "en").unwrap();
    for (query, summary) in cases {
        let hits = infrared::search::query::search(&index, "en", query, 10).unwrap().hits;
        assert_eq!(hits.first().map(|h| h.summary.as_str()), Some(*summary), "native {query:?}: {hits:?}");
    }
    if !browser_available() {
        return;
    }
    for (query, summary) in cases {
        let answer = browser("outcome", &json!({ "site": out, "mode": "file", "lang": "en", "query": query }));
        assert_eq!(answer["outcome"]["hits"][0]["summary"], *summary, "browser {query:?}: {answer}");
    }
}

/// A word typed with a letter missing, added, wrong or two swapped
/// ("pasword", "thunderbrid", "contrasenia") finds the pages of the words
/// closest to it, natively and in the browser (marked, from the shard its
/// lookup loaded already and a tail shard: no other term shard); it used
/// to answer "No page matches". A word with digits is not corrected ("topic12" is not "topic1").
#[test]
fn a_misspelt_word_finds_the_closest_words_pages() {
    let dir = site_with(&[
        (
            "site.toml",
            "title = \"Typos\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.es]\nname = \"Español\"\n",
        ),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/passwords.md", "+++\ntitle = \"Password managers\"\n+++\nA manager remembers each password.\n"),
        ("content/passwords.es.md", "+++\ntitle = \"Gestores de contraseñas\"\n+++\nCambia tu contraseña.\n"),
        ("content/thunderbird.md", "+++\ntitle = \"Thunderbird\"\n+++\nA mail client for topic1.\n"),
    ]);
    let site = build_ok(dir.path(), &[]);
    let cache = infrared::search::cache_dir(&site.out);
    for (lang, query, titles) in [
        ("en", "pasword", vec!["Password managers"]),
        ("en", "thunderbrid client", vec!["Thunderbird"]),
        ("es", "contrasenia", vec!["Gestores de contraseñas"]),
        ("en", "topic12", vec![]),
        ("en", "zebra", vec![]),
    ] {
        let index = infrared::search::open_index(&cache, lang).unwrap();
        let hits = infrared::search::query::search(&index, lang, query, 10).unwrap().hits;
        assert_eq!(hits.iter().map(|h| h.title.as_str()).collect::<Vec<_>>(), titles, "native {lang} {query:?}");
    }
    // `infrared search` says so, as the search page does; a word as written
    // on a page gets no such note.
    let (root, out) = (dir.path().to_str().unwrap(), site.out.to_str().unwrap());
    for (query, noted) in [("pasword", true), ("password", false)] {
        let said = common::infrared(&["search", "--root", root, "--out", out, query]);
        assert!(said.status.success(), "{said:?}");
        assert!(String::from_utf8_lossy(&said.stdout).contains("Password managers"), "{query}: {said:?}");
        let note = "Some words are on no page as written: these pages have the closest ones.";
        assert_eq!(String::from_utf8_lossy(&said.stderr).contains(note), noted, "{query}: {said:?}");
        let json = common::infrared(&["search", "--root", root, "--out", out, "--json", query]);
        let results: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(results["closest_words"], noted, "{query}: {results}");
    }
    if !browser_available() {
        return;
    }
    for mode in ["file", "http"] {
        for (lang, search, titles, marks) in [
            ("en", "?q=pasword", json!(["Password managers"]), json!([["Password", "password"]])),
            ("en", "?q=thunderbrid+client", json!(["Thunderbird"]), json!([["Thunderbird", "client"]])),
            ("es", "?q=contrasenia", json!(["Gestores de contraseñas"]), json!([["contraseñas", "contraseña"]])),
            ("en", "?q=topic12", json!([]), json!([])),
            ("en", "?q=zebra", json!([]), json!([])),
        ] {
            let answer = browser("linked", &json!({ "site": site.out, "mode": mode, "lang": lang, "search": search }));
            assert_eq!(answer["problems"], json!([]), "{mode} {search}: {answer}");
            assert_eq!(answer["titles"], titles, "{mode} {lang} {search}: {answer}");
            assert_eq!(answer["marks"], marks, "{mode} {lang} {search}: {answer}");
            let said = answer["status_html"].as_str().unwrap_or_default();
            let closest = [
                ("en", "Some words are on no page as written: these pages have the closest ones."),
                ("es", "Algunas palabras no están en ninguna página tal como se escribieron: estas páginas tienen las más parecidas."),
            ];
            let message = closest.iter().find(|(l, _)| *l == lang).unwrap().1;
            assert_eq!(
                said.contains(message),
                !titles.as_array().unwrap().is_empty(),
                "{mode} {search}: the status says the words were corrected: {said}"
            );
        }
        let bytes = browser("bytes", &json!({ "site": site.out, "mode": mode, "lang": "en", "queries": ["pasword"] }));
        let files = bytes["steps"][0]["files"].as_array().unwrap();
        let shards = files.iter().filter(|f| f.as_str().unwrap_or_default().contains("/s-")).count();
        assert_eq!(shards, 1, "{mode}: the correction reads the shard the word's lookup loaded: {bytes}");
    }
}

/// A link to the search page typed by hand may hold a stray `%` (`?q=100%`)
/// or bytes that are not UTF-8: the page searches what it can read, as
/// written, instead of stopping its script with a URIError and showing
/// nothing. Form-encoded links (`+` for spaces) still read as before.
#[test]
fn a_linked_query_with_a_stray_percent_still_searches() {
    if !browser_available() {
        return;
    }
    let dir = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/quota.md", "+++\ntitle = \"Disk quota\"\n+++\nThe quota is 100% of the disk.\n"),
    ]);
    let site = build_ok(dir.path(), &[]);
    for mode in ["file", "http"] {
        for (search, input) in
            [("?q=quota+100%", "quota 100%"), ("?q=quota%20%E0", "quota \u{fffd}"), ("?q=disk+quota", "disk quota")]
        {
            let answer = browser("linked", &json!({ "site": site.out, "mode": mode, "lang": "en", "search": search }));
            assert_eq!(answer["problems"], json!([]), "{mode} {search}: {answer}");
            assert_eq!(answer["input"], input, "{mode} {search}: {answer}");
            assert_eq!(answer["titles"], json!(["Disk quota"]), "{mode} {search}: {answer}");
        }
    }
}

/// A language without its own UI strings (here Chinese) shows the default
/// language's, and counts results by that language's plural rules: "1 page
/// found", not Chinese rules' single form made from English ("1 pages").
#[test]
fn a_result_count_shown_from_a_fallback_language_uses_its_plural_rules() {
    if !browser_available() {
        return;
    }
    let dir = site_with(&[
        (
            "site.toml",
            "title = \"Test\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n\
             [languages.zh]\nname = \"中文\"\n",
        ),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/mirror.md", "+++\ntitle = \"Mirror\"\n+++\nWe mirror with rsync.\n"),
        ("content/mirror.zh.md", "+++\ntitle = \"镜像\"\n+++\n我们用 rsync 同步镜像。\n"),
        ("content/backup.md", "+++\ntitle = \"Backup\"\n+++\nBackups with rsync.\n"),
        ("content/backup.zh.md", "+++\ntitle = \"备份\"\n+++\n备份很重要。\n"),
    ]);
    let site = build_ok(dir.path(), &[]);
    for mode in ["file", "http"] {
        for (lang, search, status) in [
            ("zh", "?q=rsync", "1 page found"),
            ("zh", "?q=%E5%A4%87%E4%BB%BD", "1 page found"),
            ("en", "?q=rsync", "2 pages found"),
            ("en", "?q=mirror", "1 page found"),
        ] {
            let answer = browser("linked", &json!({ "site": site.out, "mode": mode, "lang": lang, "search": search }));
            assert_eq!(answer["status"], status, "{mode} {lang} {search}: {answer}");
            // Chinese has no UI strings of its own: the English count says it is English.
            let html = if lang == "zh" { format!("<span lang=\"en\">{status}</span>") } else { status.to_string() };
            assert_eq!(answer["status_html"], html, "{mode} {lang} {search}: {answer}");
        }
    }
}

/// A Chinese character (or pair) on more than half of a language's pages is
/// what a reader types as a word: the browser finds every page holding it,
/// as `infrared search` does, not only the best pages a very common word
/// keeps (here 3 of 10).
#[test]
fn a_cjk_character_on_most_pages_finds_every_page_in_the_browser() {
    let mut files = vec![(
        "site.toml".to_string(),
        "title = \"CJK\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n\
         [languages.zh]\nname = \"中文\"\n"
            .to_string(),
    )];
    files.push(("content/_index.md".into(), "+++\ntitle = \"Home\"\n+++\nHome.\n".into()));
    let topics = [
        "光纤", "电台", "备份", "镜像", "邮件", "加密", "路由", "服务", "存储", "合作", "培训", "社区", "天线", "电源",
    ];
    for (i, topic) in topics.iter().enumerate() {
        // Ten of the fourteen pages speak of the network (网络), the last four do not.
        let body =
            if i < 10 { format!("我们的网络需要{topic}。") } else { format!("关于{topic}的说明。") };
        files.push((format!("content/p{i:02}.zh.md"), format!("+++\ntitle = \"{topic}\"\n+++\n{body}\n")));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let root = common::site_with(&files);
    let site = build_ok(root.path(), &[]);
    let cache = infrared::search::cache_dir(&site.out);
    let index = infrared::search::open_index(&cache, "zh").unwrap();
    let network: Vec<String> = (0..10).map(|i| format!("zh/p{i:02}/")).collect();
    for query in ["网", "络", "网络"] {
        let native = infrared::search::query::search(&index, "zh", query, 50).unwrap();
        let mut urls: Vec<String> = native.hits.iter().map(|h| h.url.clone()).collect();
        urls.sort();
        assert_eq!(urls, network, "native {query:?}");
    }
    if !browser_available() {
        return;
    }
    for mode in ["file", "http"] {
        for query in ["网", "络", "网络"] {
            let answer = browser("outcome", &json!({ "site": site.out, "mode": mode, "lang": "zh", "query": query }));
            assert_eq!(answer["problems"], json!([]), "{mode} {query:?}: {answer}");
            let outcome = &answer["outcome"];
            assert_eq!(outcome["total"], 10, "{mode} {query:?}: every page holding it: {outcome}");
            assert_eq!(outcome["state"]["cut"], false, "{mode} {query:?}: {outcome}");
        }
    }
}

/// The search page's live region is read out at each change: a reader
/// typing word after word used to hear "Searching…" at every pause, though
/// the answer came at once. It says so only for an answer that keeps the
/// reader waiting (a slow link), and never the same words twice running.
#[test]
fn the_live_region_says_searching_only_when_the_answer_keeps_the_reader_waiting() {
    if !browser_available() {
        return;
    }
    let dir = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/thunderbird.md", "+++\ntitle = \"Thunderbird\"\n+++\nA mail client. Setup your account.\n"),
        ("content/mutt.md", "+++\ntitle = \"Mutt\"\n+++\nA mail client in a terminal.\n"),
    ]);
    let site = build_ok(dir.path(), &[]);
    let words = ["mail", "client", "setup", "account"];
    for mode in ["file", "http"] {
        let answer = browser("announced", &json!({ "site": site.out, "mode": mode, "lang": "en", "words": words }));
        assert_eq!(answer["problems"], json!([]), "{mode}: {answer}");
        assert_eq!(answer["titles"], json!(["Thunderbird"]), "{mode}: {answer}");
        let said: Vec<&str> = answer["announced"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
        assert!(!said.contains(&answer["loading"].as_str().unwrap()), "{mode}: said while typing: {said:?}");
        assert!(said.windows(2).all(|w| w[0] != w[1]), "{mode}: the same words twice running: {said:?}");
        assert_eq!(said.last(), Some(&"1 page found"), "{mode}: {said:?}");
    }
    let slow = browser(
        "announced",
        &json!({ "site": site.out, "mode": "http", "lang": "en", "words": ["mail"], "slow": 700 }),
    );
    assert_eq!(slow["problems"], json!([]), "{slow}");
    assert_eq!(slow["announced"], json!([slow["loading"], "2 pages found"]), "a slow answer is announced: {slow}");
}

/// A slip in a word's first letters ("hunderbird", "tunderbird") sends it
/// to another term shard than the word meant: the browser looked for the
/// closest words only there and found nothing, while `infrared search`
/// found "Thunderbird". It now also reads the tail shard (terms written
/// backwards, about 2 KB) holding the word's end: one small file more,
/// and only for a word on no page.
/// A site of one language with Thunderbird's and the password managers'
/// pages, and a page of `filler` words (for term, tail and inner shards
/// of their own).
fn typos_site(filler: &[String]) -> (tempfile::TempDir, Built) {
    let filler_page = format!("+++\ntitle = \"Words\"\n+++\n{}\n", filler.join(" "));
    let dir = site_with(&[
        ("site.toml", "title = \"Typos\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n"),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/words.md", filler_page.as_str()),
        ("content/thunderbird.md", "+++\ntitle = \"Thunderbird\"\n+++\nA mail client.\n"),
        ("content/passwords.md", "+++\ntitle = \"Password managers\"\n+++\nA manager remembers each password.\n"),
    ]);
    let site = build_ok(dir.path(), &[]);
    (dir, site)
}

/// Each query of `cases`, searched natively in `out`'s English index,
/// finds exactly its titles.
fn expect_titles_natively(out: &Path, cases: &[(&str, serde_json::Value)]) {
    let index = infrared::search::open_index(&infrared::search::cache_dir(out), "en").unwrap();
    for (query, titles) in cases {
        let hits = infrared::search::query::search(&index, "en", query, 10).unwrap().hits;
        assert_eq!(json!(hits.iter().map(|h| h.title.as_str()).collect::<Vec<_>>()), *titles, "native {query:?}");
    }
}

/// Each query of `cases`, linked as `?q=` on the English search page of
/// `out` opened by `mode` ("file" or "http"), lists exactly its titles.
fn expect_titles_in_browser(out: &Path, mode: &str, cases: &[(&str, serde_json::Value)]) {
    for (query, titles) in cases {
        let search = format!("?q={}", query.replace(' ', "+"));
        let answer = browser("linked", &json!({ "site": out, "mode": mode, "lang": "en", "search": search }));
        assert_eq!(answer["problems"], json!([]), "{mode} {query}: {answer}");
        assert_eq!(answer["titles"], *titles, "{mode} {query:?}: {answer}");
    }
}

/// The files the browser fetched for each of `queries`, searched one after
/// the other on one page, in `mode`.
fn files_fetched(out: &Path, mode: &str, queries: &[&str]) -> Vec<Vec<String>> {
    let bytes = browser("bytes", &json!({ "site": out, "mode": mode, "lang": "en", "queries": queries }));
    let steps = bytes["steps"].as_array().unwrap();
    steps
        .iter()
        .map(|step| step["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect())
        .collect()
}

#[test]
fn a_slip_in_a_words_first_letters_finds_it_in_the_browser_too() {
    // Enough other words for several term shards, none near "thunderbird".
    let letters: Vec<char> = ('a'..='z').collect();
    let filler: Vec<String> = (0..2000)
        .map(|i| [i % 26, i / 26 % 26, i / 676 % 26].iter().map(|&n| letters[n]).collect::<String>() + "q")
        .collect();
    let (_dir, site) = typos_site(&filler);
    let manifest = std::fs::read_to_string(site.out.join("search/en/manifest.js")).unwrap();
    let json_part = &manifest[manifest.find('{').unwrap()..manifest.rfind('}').unwrap() + 1];
    let shards = serde_json::from_str::<serde_json::Value>(json_part).unwrap()["shards"].as_array().unwrap().len();
    assert!(shards >= 3, "several term shards: {manifest}");
    let cases = [
        ("hunderbird", json!(["Thunderbird"])),
        ("tunderbird", json!(["Thunderbird"])),
        ("htunderbird", json!(["Thunderbird"])),
        ("mail hunderbird", json!(["Thunderbird"])),
        ("thunderbirb", json!(["Thunderbird"])),
        ("oassword", json!(["Password managers"])),
    ];
    expect_titles_natively(&site.out, &cases);
    if !browser_available() {
        return;
    }
    for mode in ["file", "http"] {
        expect_titles_in_browser(&site.out, mode, &cases);
        // What it costs: the word's term shard, one tail shard, and the
        // term shard of the word found.
        let files = &files_fetched(&site.out, mode, &["hunderbird"])[0];
        let count = |kind: &str| files.iter().filter(|f| f.contains(kind)).count();
        assert_eq!((count("/s-"), count("/t-")), (2, 1), "{mode}: {files:?}");
    }
}

/// Natively a page titled with one word of the query, whose text repeats
/// the other ("Calls", listing its subpages "Web", "Desktop"…), ranked
/// above the page titled with both ("Calls: Web") for "calls web", while
/// the browser ranked them the other way (as on Disroot's Italian pages):
/// the native search summed raw scores, the browser the logarithms of
/// each word's. Both now rank on the browser's scale, and agree.
#[test]
fn a_subpage_titled_with_every_word_ranks_above_its_parent_natively_as_in_the_browser() {
    let long =
        "Open the meeting page, choose a name for the room and share its link with the people you meet. ".repeat(3);
    let subpage = format!("+++\ntitle = \"Calls: Web\"\n+++\n{long}\n");
    let parent = format!(
        "+++\ntitle = \"Calls\"\n+++\nCalls for everyone: group calls, video calls, audio calls and calls with a phone. Our calls are free. {}There is also a web app.\n",
        "Meet people you know and talk as long as you like. ".repeat(4)
    );
    let dir = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/calls/_index.md", parent.as_str()),
        ("content/calls/web.md", subpage.as_str()),
        ("content/calls/desktop.md", "+++\ntitle = \"Calls: Desktop\"\n+++\nInstall the desktop app.\n"),
        ("content/mail.md", "+++\ntitle = \"Mail\"\n+++\nRead your mail anywhere.\n"),
        ("content/cloud.md", "+++\ntitle = \"Cloud\"\n+++\nYour files in the cloud.\n"),
    ]);
    let site = build_ok(dir.path(), &[]);
    let index = infrared::search::open_index(&infrared::search::cache_dir(&site.out), "en").unwrap();
    let native: Vec<String> = infrared::search::query::search(&index, "en", "calls web", 10)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.url)
        .collect();
    assert_eq!(native, ["en/calls/web/", "en/calls/"], "native");
    if !browser_available() {
        return;
    }
    let answer = browser("queries", &json!({ "site": site.out, "mode": "file", "rows": [["en", "calls web"]] }));
    assert_eq!(answer["problems"], json!([]), "{answer}");
    assert_eq!(answer["results"][0], json!(native), "the browser ranks as the native search does");
}

/// A word misspelt at both ends ("hunderbirb": a letter missing at its
/// start, one wrong at its end) is in neither the term shard of the word
/// meant nor its tail shard: the browser found nothing, while `infrared
/// search` found "Thunderbird". Its inner part (the letters after its
/// first) now leads to the inner shard holding "thunderbird" by its own
/// ("underbird"): a small table and up to three inner shards of about 1 KB,
/// read only for a word of 8 letters or more that neither shard corrected.
#[test]
fn a_word_misspelt_at_both_ends_finds_it_in_the_browser_too() {
    // Enough other words of 6 letters or more for several term, tail and
    // inner shards, none near "thunderbird" or "password".
    let letters: Vec<char> = ('a'..='z').collect();
    let filler: Vec<String> = (0..5000)
        .map(|i| {
            let [a, b, c] = [i % 26, i / 26 % 26, i / 676 % 26].map(|n| letters[n]);
            format!("{a}{b}qxq{c}{a}")
        })
        .collect();
    let (_dir, site) = typos_site(&filler);
    let inner_shards = std::fs::read_dir(site.out.join("search/en"))
        .unwrap()
        .filter(|f| f.as_ref().unwrap().file_name().to_string_lossy().starts_with("i-"))
        .count();
    assert!(inner_shards >= 3, "several inner shards: {inner_shards}");
    let cases = [
        ("hunderbirb", json!(["Thunderbird"])),
        ("xhunderbirx", json!(["Thunderbird"])),
        ("athunderbir", json!(["Thunderbird"])),
        ("htunderbirb", json!(["Thunderbird"])),
        ("wassworx", json!(["Password managers"])),
    ];
    expect_titles_natively(&site.out, &cases);
    if !browser_available() {
        return;
    }
    for mode in ["file", "http"] {
        expect_titles_in_browser(&site.out, mode, &cases);
        // What it costs: the table and a few inner shards more, only for a
        // word the term and tail shards did not correct; a word as written,
        // or misspelt at one end only, loads none of them.
        let queries = ["hunderbirb", "mail", "hunderbird", "passwort"];
        let fetched = files_fetched(&site.out, mode, &queries);
        let files = |step: usize| &fetched[step];
        let count = |step: usize, kind: &str| files(step).iter().filter(|f| f.contains(kind)).count();
        assert_eq!(count(0, "/inner.js"), 1, "{mode}: {:?}", files(0));
        assert!((1..=3).contains(&count(0, "/i-")), "{mode}: {:?}", files(0));
        for (step, query) in queries.iter().enumerate().skip(1) {
            assert_eq!(count(step, "/i-") + count(step, "/inner.js"), 0, "{mode} {query}: {:?}", files(step));
        }
    }
}

/// A word misspelt at both ends whose first slip is past its second letter
/// ("thnuderbirb": letters 3 and 4 swapped, the last one wrong) begins
/// unlike "thunderbird" past "th", ends unlike it, and its letters after
/// the first ones do not begin as "thunderbird"'s do: where other words
/// keep those apart in the term, tail and inner shards, the browser found
/// nothing, while `infrared search` found "Thunderbird". The letters
/// before its last two, backwards ("ibredunht"), now lead to the inner
/// shard holding "thunderbird" keyed the same way ("ibrednuht"): up to
/// three shards of about 1 KB more, read only when the inner shards keyed
/// by the start corrected nothing.
#[test]
fn a_word_misspelt_past_its_second_letter_and_at_its_end_finds_it_in_the_browser_too() {
    // Words of 6 letters only (too short to be two slips from one of 11),
    // many enough to keep those places apart: "th" then any letter but
    // "u", ending in "c" (term shards between "thn" and "thu", tail shards
    // between "b…" and "d…"), and inner keys from "ue" to "ug", between
    // "uderbirb" and "underbird".
    let letters: Vec<char> = ('a'..='z').collect();
    let mut filler: Vec<String> = Vec::new();
    for third in "nopqrstvwxyz".chars() {
        for (a, b) in letters.iter().flat_map(|&a| letters.iter().map(move |&b| (a, b))) {
            filler.push(format!("th{third}{a}{b}c"));
        }
    }
    for fourth in "efg".chars() {
        for (a, b) in letters.iter().flat_map(|&a| letters.iter().map(move |&b| (a, b))) {
            filler.push(format!("zku{fourth}{a}{b}"));
        }
    }
    let (_dir, site) = typos_site(&filler);
    let cases = [
        ("thnuderbirb", json!(["Thunderbird"])),
        ("thxnderbirx", json!(["Thunderbird"])),
        ("thnderbirdo", json!(["Thunderbird"])),
        ("hunderbirb", json!(["Thunderbird"])),
    ];
    expect_titles_natively(&site.out, &cases);
    if !browser_available() {
        return;
    }
    for mode in ["file", "http"] {
        expect_titles_in_browser(&site.out, mode, &cases);
        // What it costs: the table and the inner shards keyed by the start
        // (which correct nothing here), then a few keyed by the end; a word
        // as written, or one those keyed by the start correct, loads none.
        let queries = ["thnuderbirb", "thunderbird", "hunderbirb"];
        let fetched = files_fetched(&site.out, mode, &queries);
        let files = |step: usize| &fetched[step];
        let count = |step: usize, kind: &str| files(step).iter().filter(|f| f.contains(kind)).count();
        assert_eq!(count(0, "/inner.js"), 1, "{mode}: {:?}", files(0));
        assert!((1..=3).contains(&count(0, "/f-")), "{mode}: {:?}", files(0));
        for (step, query) in queries.iter().enumerate().skip(1) {
            assert_eq!(count(step, "/f-"), 0, "{mode} {query}: {:?}", files(step));
        }
    }
}

/// A page whose text is only headings (an index of topics) had an empty
/// summary: no `<meta name=description>` worth the name, an empty feed
/// summary, a search result without one. Its summary is now its headings'
/// text, each apart from the next ("Mail · Cloud"), never run together as
/// one sentence ("Mail Cloud"); a page with other text still leaves its
/// headings out.
#[test]
fn a_page_of_headings_only_is_summarised_by_its_headings() {
    let dir = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        (
            "content/services.md",
            "+++\ntitle = \"Services\"\ndate = 2026-01-01\n+++\n# Our   services\n\n## Mail\n\n## Cloud *storage*\n",
        ),
        ("content/mail.md", "+++\ntitle = \"Mail\"\ndate = 2026-01-02\n+++\n# Mail\n\nRead your mail.\n\n## Webmail\n"),
    ]);
    let site = build_ok(dir.path(), &[]);
    let cases = [("services", "Our services · Mail · Cloud storage"), ("webmail", "Read your mail.")];
    expect_summaries(&site.out, &cases, &["services", "mail"]);
}
