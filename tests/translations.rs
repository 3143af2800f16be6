//! Translation freshness through a real git history made in each test:
//! `translate` stamps, the original changes, `status` follows, readers see a
//! notice, `--mark-current` catches up — with stamps, with git alone, and
//! with neither.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{copy_fixture, infrared_in, repo_root};
use serde_json::Value;

/// The guide after its original changed: one section edited, one removed,
/// one added, the others as they were.
const GUIDE_V2: &str = "+++
title = \"Mirroring guide\"
weight = 1
+++
How to keep a copy of the site.

## Install {#install}

Install rsync and minisign.

## Copying with rsync {#rsync}

Run rsync every hour.

## Checking signatures {#signatures}

Verify before serving.
";

/// The translations fixture in a git repository of its own, originals committed.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        require_git();
        let site = Site { dir: copy_fixture("translations") };
        site.git(&["init", "-q"]);
        site.commit("originals");
        site
    }

    /// The fixture with no git around it at all.
    fn without_git() -> Site {
        Site { dir: copy_fixture("translations") }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str]) {
        let output = Command::new("git")
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(self.path())
            .output()
            .expect("run git");
        assert!(output.status.success(), "git {args:?}: {output:?}");
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path().join(rel), text).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap()
    }

    fn run(&self, args: &[&str]) -> Output {
        infrared_in(self.path(), args)
    }

    fn run_ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(output.status.success(), "infrared {args:?}:\n{}", stderr(&output));
        String::from_utf8(output.stdout).unwrap()
    }

    fn status(&self) -> Value {
        serde_json::from_str(&self.run_ok(&["status", "--json"])).unwrap()
    }

    /// `state/basis` of `lang`'s version of the page at `path`.
    fn state(&self, lang: &str, path: &str) -> String {
        let status = self.status();
        let page = page(&status, lang, path);
        format!("{}/{}", page["state"].as_str().unwrap(), page["basis"].as_str().unwrap_or("-"))
    }

    /// Builds the site; the HTML of `lang`'s version of the page at `path`.
    fn built(&self, pages: &[(&str, &str)]) -> Vec<String> {
        let out = self.path().join("public");
        self.run_ok(&["build", "--out", out.to_str().unwrap()]);
        pages
            .iter()
            .map(|(lang, path)| std::fs::read_to_string(out.join(lang).join(path).join("index.html")).unwrap())
            .collect()
    }

    /// The original's text with its `draft = true` line taken out, as a
    /// translator publishing the translation does.
    fn publish(&self, rel: &str, title: &str) {
        let text = self.read(rel).replace("draft = true\n", "").replacen(
            "title = \"Mirroring guide\"",
            &format!("title = \"{title}\""),
            1,
        );
        self.write(rel, &text);
    }
}

fn require_git() {
    let found = Command::new("git").arg("--version").output();
    assert!(found.is_ok_and(|o| o.status.success()), "these tests need the git command (CI installs it: see .ci/run)");
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn page<'a>(status: &'a Value, lang: &str, path: &str) -> &'a Value {
    let language = status["languages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == lang)
        .unwrap_or_else(|| panic!("no language {lang}"));
    language["translations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == path)
        .unwrap_or_else(|| panic!("no page {path} in {lang}: {language}"))
}

/// `change level #id` of each change listed for the page.
fn changes(status: &Value, lang: &str, path: &str) -> Vec<String> {
    page(status, lang, path)["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("changes of {lang}/{path} are not known"))
        .iter()
        .map(|c| format!("{} {} #{}", c["change"].as_str().unwrap(), c["level"], c["id"].as_str().unwrap()))
        .collect()
}

const EXPECTED_CHANGES: [&str; 3] = ["edited 2 #install", "removed 2 #the-old-way", "added 2 #signatures"];

#[test]
fn stamped_translations_move_from_missing_to_current_to_outdated_and_back() {
    let site = Site::new();
    assert_eq!(site.state("ca", "guide"), "missing/-");

    let created = site.run_ok(&["translate", "content/guide.md", "--to", "ca"]);
    assert!(created.contains("Created content/guide.ca.md from content/guide.md"), "{created}");
    site.run_ok(&["translate", "guide.md", "--to", "ar"]);
    let status = site.status();
    let draft = page(&status, "ca", "guide");
    assert_eq!(draft["state"], "missing", "an unpublished draft is not a translation yet");
    assert_eq!((draft["draft"].as_bool(), draft["translation"].as_str()), (Some(true), Some("content/guide.ca.md")));

    site.publish("content/guide.ca.md", "Guia de rèpliques");
    site.publish("content/guide.ar.md", "دليل المرايا");
    assert_eq!(site.state("ca", "guide"), "up-to-date/stamp");
    site.commit("ca and ar translations");

    // What a translator does not translate does not make translations outdated.
    site.write("content/guide.md", &site.read("content/guide.md").replace("weight = 1", "weight = 5"));
    site.commit("reorder");
    assert_eq!(site.state("ca", "guide"), "up-to-date/stamp");

    site.write("content/guide.md", GUIDE_V2);
    assert_eq!(site.state("ca", "guide"), "outdated/stamp", "uncommitted edits count");
    site.commit("guide: signatures");
    let status = site.status();
    assert_eq!(page(&status, "ca", "guide")["state"], "outdated");
    assert_eq!(changes(&status, "ca", "guide"), EXPECTED_CHANGES);
    assert_eq!(changes(&status, "ar", "guide"), EXPECTED_CHANGES);

    let html =
        site.built(&[("ca", "guide"), ("ar", "guide"), ("en", "guide"), ("es", "guide"), ("ca", "translations")]);
    assert!(
        html[0].contains("<p class=\"notice notice-outdated\" role=\"note\">L&#39;original d&#39;aquesta pàgina s&#39;ha actualitzat després d&#39;aquesta traducció. <a href=\"../../en/guide/\" hreflang=\"en\">Llegiu l&#39;original (English)</a>.</p>"),
        "{}",
        html[0]
    );
    assert!(html[1].contains("notice-outdated") && html[1].contains("حُدِّث النص الأصلي لهذه الصفحة"), "{}", html[1]);
    assert!(!html[2].contains("notice-outdated"), "the original has no notice");
    assert!(!html[3].contains("notice-outdated"), "a fallback to the original has none");
    assert!(
        html[4].contains("href=\"../../en/guide/#signatures\"") && html[4].contains("Checking signatures"),
        "the status page links the changed headings: {}",
        html[4]
    );

    let stamped = site.run_ok(&["translate", "content/guide.ca.md", "--to", "ca", "--mark-current"]);
    assert!(stamped.contains("Stamped content/guide.ca.md as up to date"), "{stamped}");
    assert_eq!(site.state("ca", "guide"), "up-to-date/stamp");
    assert_eq!(site.state("ar", "guide"), "outdated/stamp");
    let html = site.built(&[("ca", "guide")]);
    assert!(!html[0].contains("notice-outdated"), "{}", html[0]);
}

#[test]
fn without_stamps_git_history_decides() {
    let site = Site::new();
    site.write("content/guide.es.md", "+++\ntitle = \"Guía de réplicas\"\n+++\nCómo guardar una copia.\n");
    site.commit("es translation, no stamp");
    assert_eq!(site.state("es", "guide"), "up-to-date/git");

    site.write("content/guide.md", GUIDE_V2);
    assert_eq!(site.state("es", "guide"), "outdated/git", "uncommitted edits count");
    site.commit("guide: signatures");
    let status = site.status();
    assert_eq!(changes(&status, "es", "guide"), EXPECTED_CHANGES);
    assert_eq!(page(&status, "ca", "guide")["state"], "missing", "ca falls back to es");

    site.write("content/guide.es.md", "+++\ntitle = \"Guía de réplicas\"\n+++\nCómo guardar una copia, con firmas.\n");
    site.commit("es caught up");
    assert_eq!(site.state("es", "guide"), "up-to-date/git");

    // An original in another language than the default: the charter, in Catalan.
    site.write("content/charter.md", "+++\ntitle = \"Charter\"\n+++\nWe are a network.\n");
    site.commit("charter in English");
    assert_eq!(site.state("en", "charter"), "up-to-date/git");
    site.write(
        "content/charter.ca.md",
        &site.read("content/charter.ca.md").replace("Som una xarxa.", "Som una xarxa feminista."),
    );
    site.commit("carta");
    assert_eq!(site.state("en", "charter"), "outdated/git");
    assert_eq!(changes(&site.status(), "en", "charter"), ["edited 0 #"]);
    let html = site.built(&[("en", "charter"), ("ca", "charter")]);
    assert!(
        html[0].contains("The original of this page was updated after this translation. <a href=\"../../ca/charter/\" hreflang=\"ca\">Read the original (Català)</a>."),
        "{}",
        html[0]
    );
    assert!(!html[1].contains("notice-outdated"));
}

/// Regression: the copy of an original in Catalan, with no
/// `original_language`, made into English (the default language) was taken
/// for the original once published, and `check` refused its stamp.
#[test]
fn translating_an_original_in_another_language_keeps_it_the_original() {
    let site = Site::new();
    site.write("content/notes.ca.md", "+++\ntitle = \"Notes\"\n+++\nNotes de la xarxa.\n");
    site.commit("notes in Catalan");
    site.run_ok(&["translate", "content/notes.ca.md", "--to", "en"]);
    assert!(
        site.read("content/notes.md").contains("original_language = \"ca\"\n"),
        "{}",
        site.read("content/notes.md")
    );
    let status = site.status();
    let draft = page(&status, "en", "notes");
    assert_eq!((draft["state"].as_str(), draft["draft"].as_bool()), (Some("missing"), Some(true)), "{draft}");
    assert_eq!(draft["source"], "content/notes.ca.md");

    site.publish("content/notes.md", "Notes");
    site.run_ok(&["check"]);
    let status = site.status();
    let en = page(&status, "en", "notes");
    assert_eq!((en["state"].as_str(), en["basis"].as_str()), (Some("up-to-date"), Some("stamp")), "{en}");
    assert_eq!((en["source"].as_str(), en["source_language"].as_str()), (Some("content/notes.ca.md"), Some("ca")));
    let ca = status["languages"].as_array().unwrap().iter().find(|l| l["code"] == "ca").unwrap();
    let listed = ca["translations"].as_array().unwrap().iter().any(|p| p["path"] == "notes");
    assert!(!listed, "the original is no translation of its own copy: {ca}");
    site.run_ok(&["translate", "content/notes.ca.md", "--to", "es"]);
    assert!(site.read("content/notes.es.md").contains("original_language = \"ca\""));

    // A copy made before the fix: check and translate say what to do.
    std::fs::remove_file(site.path().join("content/notes.es.md")).unwrap();
    site.write("content/notes.md", &site.read("content/notes.md").replace("original_language = \"ca\"\n", ""));
    let says = "content/notes.md:5:1: error: [translation] on the original of the page (en, the default language): it was made from content/notes.ca.md: if that is the original, say so with original_language = \"ca\" in this file's front matter";
    let check = site.run(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains(says), "{check:?}");
    let output = site.run(&["translate", "content/notes.ca.md", "--to", "ar"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("original_language = \"ca\""), "{}", stderr(&output));
    assert!(!site.path().join("content/notes.ar.md").exists(), "no copy stamped with the wrong version");
}

#[test]
fn without_git_a_stamp_is_all_there_is() {
    let site = Site::without_git();
    site.write("content/guide.es.md", "+++\ntitle = \"Guía\"\n+++\nTexto.\n");
    assert_eq!(site.state("es", "guide"), "unknown/-");
    site.run_ok(&["translate", "content/guide.es.md", "--to", "es", "--mark-current"]);
    assert_eq!(site.state("es", "guide"), "up-to-date/stamp");
    site.write("content/guide.md", GUIDE_V2);
    let status = site.status();
    let es = page(&status, "es", "guide");
    assert_eq!(es["state"], "outdated");
    assert!(es["changes"].is_null(), "no history to say what changed: {es}");
}

#[test]
fn wrong_stamps_and_bad_requests_are_clear_errors() {
    let site = Site::new();
    let zeros = "0".repeat(64);
    site.write(
        "content/guide.ca.md",
        &format!("+++\ntitle = \"Guia\"\n[translation]\nsource_hash = \"{zeros}\"\n+++\nText.\n"),
    );
    site.commit("a stamp made up");
    let output = site.run(&["status"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("content/guide.ca.md:4:1: error: source_hash names no version of content/guide.md"),
        "{}",
        stderr(&output)
    );
    let check = String::from_utf8(site.run(&["check"]).stdout).unwrap();
    assert!(check.contains("content/guide.ca.md:4:1: error: source_hash names no version"), "{check}");

    let stamp_on_original = format!("+++\ntitle = \"Home\"\n[translation]\nsource_hash = \"{zeros}\"\n+++\nHome.\n");
    site.write("content/_index.md", &stamp_on_original);
    let output = site.run(&["status"]);
    assert!(
        stderr(&output).contains(
            "content/_index.md:4:1: error: [translation] on the original of the page (en, the default language)"
        ),
        "{}",
        stderr(&output)
    );

    let fails = |args: &[&str], says: &str| {
        let output = site.run(args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(stderr(&output).contains(says), "{args:?}: {}", stderr(&output));
    };
    fails(&["translate", "content/guide.md", "--to", "oc"], "\"oc\" is not a configured language");
    fails(&["status", "--lang", "oc"], "\"oc\" is not a configured language");
    fails(&["translate", "site.toml", "--to", "ca"], "is outside");
    fails(&["translate", "content/nowhere.md", "--to", "ca"], "no such file");
    fails(&["translate", "content/guide.md", "--to", "en"], "written in en (its original)");
    fails(&["translate", "content/guide.md", "--to", "es", "--mark-current"], "no translation to re-stamp");
    let before = site.read("content/guide.ca.md");
    fails(&["translate", "content/guide.md", "--to", "ca"], "already exists");
    assert_eq!(site.read("content/guide.ca.md"), before, "left untouched");
    site.run_ok(&["translate", "content/guide.md", "--to", "ca", "--force"]);
    assert!(site.read("content/guide.ca.md").contains("## Copying with rsync"), "a fresh copy");
}

/// `status --json` is a contract for CI and dashboards: compared with
/// tests/expected/status.json (`UPDATE_EXPECTED=1` rewrites it).
#[test]
fn status_json_matches_the_expected_file() {
    let site = Site::new();
    site.run_ok(&["translate", "content/guide.md", "--to", "ca"]);
    site.publish("content/guide.ca.md", "Guia de rèpliques");
    site.write("content/guide.es.md", "+++\ntitle = \"Guía de réplicas\"\n+++\nCómo guardar una copia.\n");
    site.write("content/charter.md", "+++\ntitle = \"Charter\"\n+++\nWe are a network.\n");
    site.run_ok(&["translate", "content/charter.md", "--to", "en", "--mark-current"]);
    site.commit("translations");
    site.write("content/guide.md", GUIDE_V2);
    site.commit("guide: signatures");
    let json = site.run_ok(&["status", "--json"]);
    let expected_path = repo_root().join("tests/expected/status.json");
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::write(&expected_path, &json).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap();
    assert_eq!(json, expected, "status --json changed; if on purpose, run with UPDATE_EXPECTED=1 and review the diff");
}

#[test]
fn the_repo_translations_are_stamped_with_known_versions() {
    let output = infrared_in(&repo_root(), &["status", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let status: Value = serde_json::from_slice(&output.stdout).unwrap();
    for language in status["languages"].as_array().unwrap() {
        for page in language["translations"].as_array().unwrap() {
            if page["state"] != "missing" {
                assert_eq!(page["basis"], "stamp", "{} {page}", language["code"]);
            }
        }
    }
}

#[test]
fn help_describes_the_translation_commands() {
    let site = Site::without_git();
    for (command, words) in [
        ("status", ["--lang", "--json", "words"]),
        ("translate", ["--to", "--mark-current", "--force"]),
        ("check", ["--json", "--warnings-as-errors", "third part"]),
    ] {
        let help = site.run_ok(&[command, "--help"]);
        for word in words {
            assert!(help.contains(word), "{command} --help lacks {word}:\n{help}");
        }
    }
}

#[test]
fn a_translation_whose_original_was_renamed_says_where_the_original_went() {
    let site = Site::new();
    site.run_ok(&["translate", "content/guide.md", "--to", "es"]);
    site.publish("content/guide.es.md", "Guía de réplicas");
    site.commit("Spanish guide");
    site.git(&["mv", "content/guide.md", "content/mirroring.md"]);
    let says = "content/guide.es.md:6:1: error: this translation's original, content/guide.md, is gone, and \
                content/mirroring.md has the text it was translated from: if the original was renamed or moved \
                there, rename this file to content/mirroring.es.md";
    let check = site.run(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    let printed = String::from_utf8(check.stdout).unwrap();
    assert!(printed.contains(says), "{printed}");
    assert!(!printed.contains("original_language"), "no advice that would make it an original: {printed}");
    assert!(stderr(&site.run(&["status"])).contains(says));
    // Renamed as told, it is the up-to-date translation of the moved page.
    site.git(&["mv", "content/guide.es.md", "content/mirroring.es.md"]);
    site.run_ok(&["check"]);
    assert_eq!(site.state("es", "mirroring"), "up-to-date/stamp");
    // An original deleted: no page has its text, git knows no new name.
    site.git(&["rm", "-q", "-f", "content/mirroring.md"]);
    let printed = String::from_utf8(site.run(&["check"]).stdout).unwrap();
    assert!(
        printed.contains(
            "content/mirroring.es.md:6:1: error: this translation's original, content/mirroring.md, is gone: if it \
             was renamed or moved, move this file beside it under its new name (with .es.md); if it was deleted, \
             delete this file too"
        ),
        "{printed}"
    );
}

/// A site whose original has a Spanish translation, then is renamed with
/// `git mv` to content/mirroring.md and rewritten (not committed yet).
fn site_with_original_renamed_and_edited() -> Site {
    let site = Site::new();
    site.run_ok(&["translate", "content/guide.md", "--to", "es"]);
    site.publish("content/guide.es.md", "Guía de réplicas");
    site.commit("Spanish guide");
    site.git(&["mv", "content/guide.md", "content/mirroring.md"]);
    site.write("content/mirroring.md", GUIDE_V2);
    site
}

/// Regression: an original renamed and edited got the generic "original
/// gone" error, without the file to rename the translation to.
#[test]
fn a_translation_whose_original_was_renamed_and_edited_names_the_new_file() {
    let site = site_with_original_renamed_and_edited();
    let says = "content/guide.es.md:6:1: error: this translation's original, content/guide.md, is gone: git has it \
                renamed to content/mirroring.md, and edited since this translation was made: rename this file to \
                content/mirroring.es.md, then bring it up to date (`infrared status --lang es` lists what changed)";
    // Renamed with `git mv`, not committed yet…
    let check = site.run(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    let printed = String::from_utf8(check.stdout).unwrap();
    assert!(printed.contains(says), "staged: {printed}");
    // … and committed, the edit in the same commit: git finds it by similarity.
    site.commit("Guide renamed and rewritten");
    let printed = String::from_utf8(site.run(&["check"]).stdout).unwrap();
    assert!(printed.contains(says), "committed: {printed}");
    assert!(stderr(&site.run(&["status"])).contains(says));
    // Renamed as told, it is an outdated translation of the renamed page,
    // its stamp found under the original's former name.
    site.git(&["mv", "content/guide.es.md", "content/mirroring.es.md"]);
    site.run_ok(&["check"]);
    let status = site.status();
    let page = page(&status, "es", "mirroring");
    assert_eq!((page["state"].as_str(), page["basis"].as_str()), (Some("outdated"), Some("stamp")), "{page}");
    let changes: Vec<String> = page["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("changes are known: {page}"))
        .iter()
        .map(|c| format!("{} #{}", c["change"].as_str().unwrap(), c["id"].as_str().unwrap()))
        .collect();
    assert_eq!(changes, ["edited #install", "removed #the-old-way", "added #signatures"], "{page}");
}

/// Several originals gone at once, each looked up by the text its
/// translations were made from (an index built once, see
/// `freshness::Originals`): every translation is told where its own
/// original went, none is sent to another page's.
#[test]
fn several_translations_whose_originals_are_gone_are_each_told_where_theirs_went() {
    let site = Site::new();
    for (page, text) in [("keys", "Keep two copies of each key."), ("backups", "Back up every night.")] {
        site.write(&format!("content/{page}.md"), &format!("+++\ntitle = \"{page}\"\n+++\n{text}\n"));
    }
    site.write("content/old.md", "+++\ntitle = \"Old\"\n+++\nNobody reads this.\n");
    site.commit("more originals");
    for (page, lang) in [("guide", "es"), ("guide", "ca"), ("keys", "ar"), ("backups", "es"), ("old", "es")] {
        site.run_ok(&["translate", &format!("content/{page}.md"), "--to", lang]);
        site.publish(&format!("content/{page}.{lang}.md"), "Traducción");
    }
    site.commit("translations");
    site.git(&["mv", "content/guide.md", "content/mirroring.md"]);
    site.git(&["mv", "content/keys.md", "content/signing-keys.md"]);
    site.git(&["mv", "content/backups.md", "content/copies.md"]);
    site.git(&["rm", "-q", "content/old.md"]);
    // The stamp's line: 5 under a title, 6 under the guide's title and weight.
    let moved = |from: &str, to: &str, lang: &str, line: usize| {
        format!(
            "content/{from}.{lang}.md:{line}:1: error: this translation's original, content/{from}.md, is gone, and \
             content/{to}.md has the text it was translated from: if the original was renamed or moved there, \
             rename this file to content/{to}.{lang}.md\n"
        )
    };
    let expected = [
        moved("backups", "copies", "es", 5),
        moved("guide", "mirroring", "ca", 6),
        moved("guide", "mirroring", "es", 6),
        moved("keys", "signing-keys", "ar", 5),
        "content/old.es.md:5:1: error: this translation's original, content/old.md, is gone: if it was renamed or \
         moved, move this file beside it under its new name (with .es.md); if it was deleted, delete this file too"
            .to_string(),
    ];
    let check = site.run(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    let printed = String::from_utf8(check.stdout).unwrap();
    for says in &expected {
        assert!(printed.contains(says.as_str()), "{says}\nnot in:\n{printed}");
    }
    assert_eq!(printed.matches("is gone").count(), expected.len(), "{printed}");
    let status = stderr(&site.run(&["status"]));
    assert!(expected.iter().all(|says| status.contains(says.as_str())), "{status}");
    // Each renamed as told: all current again, the deleted one's translation deleted too.
    let renames = [("backups", "copies", "es"), ("guide", "mirroring", "ca"), ("guide", "mirroring", "es")];
    for (from, to, lang) in renames.into_iter().chain([("keys", "signing-keys", "ar")]) {
        site.git(&["mv", &format!("content/{from}.{lang}.md"), &format!("content/{to}.{lang}.md")]);
    }
    site.git(&["rm", "-q", "content/old.es.md"]);
    site.run_ok(&["check"]);
    assert_eq!(site.state("ar", "signing-keys"), "up-to-date/stamp");
    assert_eq!(site.state("ca", "mirroring"), "up-to-date/stamp");
}

/// An original renamed and edited, and a new translation started beside
/// it: renaming the old one there would overwrite it.
#[test]
fn an_orphaned_translation_beside_a_new_one_is_told_to_keep_one() {
    let site = site_with_original_renamed_and_edited();
    site.commit("Guide renamed and rewritten");
    site.run_ok(&["translate", "content/mirroring.md", "--to", "es"]);
    let says = "content/guide.es.md:6:1: error: this translation's original, content/guide.md, is gone: git has it \
                renamed to content/mirroring.md, and edited since this translation was made: \
                content/mirroring.es.md is its translation already: keep whichever is up to date, delete the other";
    let printed = String::from_utf8(site.run(&["check"]).stdout).unwrap();
    assert!(printed.contains(says), "a draft: {printed}");
    site.publish("content/mirroring.es.md", "Réplicas");
    let printed = String::from_utf8(site.run(&["check"]).stdout).unwrap();
    assert!(printed.contains(says), "published: {printed}");
}

#[test]
fn the_status_table_lines_up_whatever_the_languages_names() {
    let site = common::site_with(&[
        (
            "site.toml",
            "title = \"T\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n\
             [languages.pt-br]\nname = \"Português do Brasil\"\n[languages.zh-Hant]\nname = \"繁體中文\"\n",
        ),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
    ]);
    let output = infrared_in(site.path(), &["status"]);
    let text = String::from_utf8(output.stdout).unwrap();
    let table: Vec<&str> = text.lines().take(4).collect();
    // Where the column "complete" ends: the same on every line.
    let ends: Vec<usize> = table
        .iter()
        .map(|line| {
            let at = line.find("complete").map(|i| i + "complete".len()).or_else(|| line.find('%').map(|i| i + 1));
            line[..at.unwrap()].chars().count()
        })
        .collect();
    assert!(ends.iter().all(|&e| e == ends[0]), "{ends:?}:\n{text}");
}

#[test]
fn status_tells_how_to_finish_a_draft_translation_not_to_start_it_again() {
    let site = Site::without_git();
    site.run_ok(&["translate", "content/guide.md", "--to", "es"]);
    let listed = site.run_ok(&["status", "--lang", "es"]);
    assert!(
        listed.contains(
            "  content/guide.md (draft in progress: content/guide.es.md)\n    translate it, then delete its draft line to publish it\n"
        ),
        "{listed}"
    );
    // What it used to advise is refused.
    let again = site.run(&["translate", "content/guide.md", "--to", "es"]);
    assert!(!again.status.success() && stderr(&again).contains("already exists"));
    assert!(!listed.contains("infrared translate content/guide.md --to es"), "{listed}");
    assert!(listed.contains("infrared translate content/_index.md --to es"), "others still get the command: {listed}");
}

/// Regression: a page moved into a bundle (`guide.md` → `guide/index.md`)
/// with its Spanish translation left beside it gave "guide.es.md and
/// guide/index.ca.md both make /es/…", naming the bundle's Catalan file.
#[test]
fn a_translation_left_behind_when_its_page_moves_into_a_bundle_is_told_where_to_go() {
    let site = Site::new();
    for lang in ["es", "ca"] {
        site.run_ok(&["translate", "content/guide.md", "--to", lang]);
        site.publish(&format!("content/guide.{lang}.md"), "Guia");
    }
    site.commit("translations");
    std::fs::create_dir(site.path().join("content/guide")).unwrap();
    site.git(&["mv", "content/guide.md", "content/guide/index.md"]);
    site.git(&["mv", "content/guide.ca.md", "content/guide/index.ca.md"]);
    site.write("content/guide/layers.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    let says = "content/guide.es.md:1:1: error: this translation of /es/guide is left behind: the page is a bundle \
                now, content/guide/index.md (hint: move the translation with its page: \
                `git mv content/guide.es.md content/guide/index.es.md`)";
    let check = site.run(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    let printed = String::from_utf8(check.stdout).unwrap();
    assert!(printed.contains(says), "{printed}");
    assert!(!printed.contains("index.ca.md"), "the Catalan translation moved already: {printed}");
    assert!(stderr(&site.run(&["build"])).contains("`git mv content/guide.es.md content/guide/index.es.md`"));
    // Moved as told, it is the up-to-date translation of the bundle, its image beside it.
    site.git(&["mv", "content/guide.es.md", "content/guide/index.es.md"]);
    site.run_ok(&["check"]);
    assert_eq!(site.state("es", "guide"), "up-to-date/stamp");
    site.built(&[("es", "guide")]);
    assert!(site.path().join("public/es/guide/layers.svg").is_file());
    // Out of the bundle again, the translations left inside are told to follow.
    site.git(&["mv", "content/guide/index.md", "content/guide.md"]);
    let printed = String::from_utf8(site.run(&["check"]).stdout).unwrap();
    for lang in ["ca", "es"] {
        let says = format!(
            "content/guide/index.{lang}.md:1:1: error: this translation of /{lang}/guide is left behind: the page \
             is no longer a bundle, content/guide.md (hint: move the translation with its page: \
             `git mv content/guide/index.{lang}.md content/guide.{lang}.md`)"
        );
        assert!(printed.contains(&says), "{printed}");
    }
    // Both moved and one copied back: two Spanish versions, keep one.
    site.git(&["mv", "content/guide/index.es.md", "content/guide.es.md"]);
    site.git(&["mv", "content/guide/index.ca.md", "content/guide.ca.md"]);
    std::fs::copy(site.path().join("content/guide.es.md"), site.path().join("content/guide/index.es.md")).unwrap();
    let printed = String::from_utf8(site.run(&["check"]).stdout).unwrap();
    assert!(
        printed.contains(
            "content/guide/index.es.md:1:1: error: this file and content/guide.es.md both make the page /es/guide: \
             the page is no longer a bundle, content/guide.md (hint: keep whichever is up to date, delete the other)"
        ),
        "{printed}"
    );
}

/// Regression: an original moved with a plain `mv` and edited, not staged,
/// got the generic "original gone" error: git pairs a rename by
/// similarity only once it is staged. Its last committed version is now
/// compared with the files new to git (untracked, or staged as added).
#[test]
fn a_translation_whose_original_was_moved_with_mv_and_edited_names_the_new_file() {
    let site = Site::new();
    site.run_ok(&["translate", "content/guide.md", "--to", "es"]);
    site.publish("content/guide.es.md", "Guía de réplicas");
    site.commit("Spanish guide");
    std::fs::rename(site.path().join("content/guide.md"), site.path().join("content/mirroring.md")).unwrap();
    site.write("content/mirroring.md", GUIDE_V2);
    // A new page with other text is no candidate.
    site.write("content/about.md", "+++\ntitle = \"About\"\n+++\nWho we are.\n");
    let says = "content/guide.es.md:6:1: error: this translation's original, content/guide.md, is gone, and \
                content/mirroring.md, a file new to git, has most of its text: if the original was \
                moved there (and edited since this translation was made), rename this file to \
                content/mirroring.es.md, then bring it up to date (`infrared status --lang es` lists what changed)";
    let check = site.run(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    let printed = String::from_utf8(check.stdout).unwrap();
    assert!(printed.contains(says), "{printed}");
    assert!(stderr(&site.run(&["status"])).contains(says));
    // The new file staged, the deletion not: git pairs nothing yet, nor do we need it to.
    site.git(&["add", "content/mirroring.md"]);
    let printed = String::from_utf8(site.run(&["check"]).stdout).unwrap();
    assert!(printed.contains(says), "{printed}");
    // Moved as told, with a plain `mv` too: outdated, what changed read from
    // the original's committed versions under its former name.
    std::fs::rename(site.path().join("content/guide.es.md"), site.path().join("content/mirroring.es.md")).unwrap();
    site.run_ok(&["check"]);
    assert_eq!(site.state("es", "mirroring"), "outdated/stamp");
    assert_eq!(changes(&site.status(), "es", "mirroring"), EXPECTED_CHANGES);
    // Deleted, not moved: the new page left has too little of its text.
    std::fs::remove_file(site.path().join("content/mirroring.md")).unwrap();
    std::fs::remove_file(site.path().join("content/mirroring.es.md")).unwrap();
    site.git(&["checkout", "content/guide.es.md"]);
    let printed = String::from_utf8(site.run(&["check"]).stdout).unwrap();
    assert!(
        printed.contains(
            "content/guide.es.md:6:1: error: this translation's original, content/guide.md, is gone: if it was \
             renamed or moved, move this file beside it under its new name (with .es.md); if it was deleted, \
             delete this file too"
        ),
        "{printed}"
    );
}

/// Regression: an original moved with a plain `mv` and rewritten so that
/// git no longer pairs its names got the generic "original gone" error;
/// its translation moved beside it as told, once committed, got "source_hash
/// names no version of content/mirroring.md", and what changed was not
/// known. The translation's own move (which git pairs) leads to the
/// original's former name, where the stamped version is.
#[test]
fn a_translation_that_follows_its_rewritten_original_is_outdated_not_wrongly_stamped() {
    let site = Site::new();
    site.run_ok(&["translate", "content/guide.md", "--to", "es"]);
    site.publish("content/guide.es.md", "Guía de réplicas");
    site.commit("Spanish guide");
    std::fs::remove_file(site.path().join("content/guide.md")).unwrap();
    site.write(
        "content/mirroring.md",
        "+++\ntitle = \"Mirrors\"\n+++\nEverything about mirrors, said again.\n\n## Install {#install}\n\n\
         Use the package manager.\n\n## Copying with rsync {#rsync}\n\nRun rsync every hour.\n",
    );
    let printed = String::from_utf8(site.run(&["check"]).stdout).unwrap();
    assert!(
        printed.contains(
            "content/guide.es.md:6:1: error: this translation's original, content/guide.md, is gone: if it was \
             renamed or moved, move this file beside it under its new name (with .es.md)"
        ),
        "git pairs nothing: {printed}"
    );
    std::fs::rename(site.path().join("content/guide.es.md"), site.path().join("content/mirroring.es.md")).unwrap();
    let expected = ["edited 0 #", "edited 2 #install", "removed 2 #the-old-way"];
    for when in ["moved", "committed"] {
        let check = site.run(&["check"]);
        assert!(check.status.success(), "{when}: {}", String::from_utf8_lossy(&check.stdout));
        assert_eq!(site.state("es", "mirroring"), "outdated/stamp", "{when}");
        assert_eq!(changes(&site.status(), "es", "mirroring"), expected, "{when}");
        site.commit("Guide rewritten as mirroring.md, its translation moved with it");
    }
}

/// Regression: a translation without a stamp (imported content, such as
/// the Disroot corpus) whose original was renamed was silently taken for
/// the original of a page of its own, `status` asking for it to be
/// translated into the default language.
#[test]
fn an_unstamped_translation_whose_original_was_renamed_is_told_where_it_went() {
    let site = Site::new();
    site.write("content/guide.es.md", "+++\ntitle = \"Guía\"\n+++\nCómo guardar una copia del sitio.\n");
    site.commit("Spanish guide");
    site.git(&["mv", "content/guide.md", "content/mirroring.md"]);
    site.commit("Guide renamed");
    let says = "content/guide.es.md:1:1: error: this translation's original, content/guide.md, is gone: git has it \
                renamed to content/mirroring.md: rename this file to content/mirroring.es.md";
    let check = site.run(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    let printed = String::from_utf8(check.stdout).unwrap();
    assert!(printed.contains(says), "{printed}");
    let status = site.run(&["status"]);
    assert!(stderr(&status).contains(says), "{}", stderr(&status));
    assert!(stderr(&status).contains("error: 1 error in translations (each says what to do)"), "{}", stderr(&status));
    // Renamed as told: the Spanish translation of the renamed page, by git history.
    site.git(&["mv", "content/guide.es.md", "content/mirroring.es.md"]);
    site.run_ok(&["check"]);
    assert_eq!(site.state("es", "mirroring"), "up-to-date/git");
    // An original made a draft again is not gone.
    site.write("content/mirroring.md", &site.read("content/mirroring.md").replacen("+++\n", "+++\ndraft = true\n", 1));
    site.run_ok(&["check"]);
}

/// A bundle is named by its folder as readily as by its `index.md`.
#[test]
fn translate_takes_a_bundles_folder_for_its_index() {
    let site = Site::without_git();
    std::fs::create_dir(site.path().join("content/guide")).unwrap();
    std::fs::rename(site.path().join("content/guide.md"), site.path().join("content/guide/index.md")).unwrap();
    let said = site.run_ok(&["translate", "content/guide", "--to", "es"]);
    assert!(said.contains("Created content/guide/index.es.md from content/guide/index.md"), "{said}");
    site.publish("content/guide/index.es.md", "Guía");
    site.write("content/guide/index.md", GUIDE_V2);
    let said = site.run_ok(&["translate", "guide/", "--to", "es", "--mark-current"]);
    assert!(said.contains("content/guide/index.es.md"), "{said}");
    assert_eq!(site.state("es", "guide"), "up-to-date/stamp");
    let missing = site.run(&["translate", "content/nothing", "--to", "es"]);
    assert!(stderr(&missing).contains("give the page's .md file (or a bundle's folder)"), "{}", stderr(&missing));
}

/// Regression: a published translation of an original made a draft was
/// told it was the original carrying a stamp, and to remove the stamp.
#[test]
fn a_translation_of_a_draft_original_is_told_to_wait_for_it() {
    let site = Site::new();
    site.run_ok(&["translate", "content/guide.md", "--to", "es"]);
    site.publish("content/guide.es.md", "Guía");
    site.write("content/guide.md", &site.read("content/guide.md").replacen("+++\n", "+++\ndraft = true\n", 1));
    let printed = String::from_utf8(site.run(&["check"]).stdout).unwrap();
    assert!(
        printed.contains(
            "content/guide.es.md:6:1: error: this translation's original, content/guide.md, is a draft: publish it \
             (delete its `draft` line), or make this translation a draft too (draft = true) until it is"
        ),
        "{printed}"
    );
    assert!(!printed.contains("original_language"), "{printed}");
}

/// `translate` tells the translator which line to delete to publish the
/// draft: as the copy writes it, `draft: true` in YAML front matter (it said
/// `draft = true` whatever the syntax, a line not in a YAML file).
#[test]
fn translate_names_the_draft_line_as_the_front_matter_writes_it() {
    let site = Site::without_git();
    site.write("content/notes.md", "---\ntitle: Notes\nweight: 3\n---\nSome notes.\n");
    let said = site.run_ok(&["translate", "content/notes.md", "--to", "ca"]);
    assert!(said.contains("delete the `draft: true` line to publish it"), "{said}");
    assert!(site.read("content/notes.ca.md").starts_with("---\ndraft: true\n"), "{}", site.read("content/notes.ca.md"));
    let said = site.run_ok(&["translate", "content/guide.md", "--to", "ca"]);
    assert!(said.contains("delete the `draft = true` line to publish it"), "{said}");
    assert!(
        site.read("content/guide.ca.md").starts_with("+++\ndraft = true\n"),
        "{}",
        site.read("content/guide.ca.md")
    );
}
