//! A build into the folder of the last one: skipped, writing nothing, when
//! nothing it reads changed and its output is as it was left; a full build
//! as soon as any input, option, git state or output file differs.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{infrared_in, site_with};

const SITE_TOML: &str = "title = \"Test\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ca]\nname = \"Català\"\n";

/// A two-language site with a broken link (a warning every build reports).
fn site() -> tempfile::TempDir {
    site_with(&[
        ("site.toml", SITE_TOML),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nWelcome.\n"),
        ("content/guide.md", "+++\ntitle = \"Guide\"\n+++\nSee [the missing page](missing.md).\n"),
        ("content/guide.ca.md", "+++\ntitle = \"Guia\"\n+++\nUna guia.\n"),
        ("static/robots-extra.txt", "one\n"),
    ])
}

/// Builds the site in `root` (into `root/public`); its stderr.
fn build(root: &Path, extra: &[&str]) -> String {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let output = infrared_in(root, &args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "build failed:\n{stderr}");
    stderr
}

fn assert_built(stderr: &str, why: &str) {
    assert!(stderr.contains("Built ") && !stderr.contains("Up to date"), "{why}: expected a full build:\n{stderr}");
}

fn assert_skipped(stderr: &str, why: &str) {
    assert!(stderr.contains("Up to date (nothing changed, nothing written)"), "{why}: expected no build:\n{stderr}");
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The report line's counts: "4 pages in 2 languages (…), 40 files, 0.2 MiB, 1 warning".
fn summary(stderr: &str) -> String {
    let line = stderr.lines().find(|l| l.starts_with("Built ") || l.starts_with("Up to date")).unwrap();
    let counts = &line[line.find(|c: char| c.is_ascii_digit()).unwrap()..];
    counts.split(", in ").next().unwrap().to_string()
}

/// Every file of the output with its bytes and inode.
#[cfg(unix)]
fn snapshot(out: &Path) -> Vec<(PathBuf, Vec<u8>, u64)> {
    use std::os::unix::fs::MetadataExt;
    common::files(out)
        .into_iter()
        .map(|f| {
            let path = out.join(&f);
            (f, std::fs::read(&path).unwrap(), std::fs::metadata(&path).unwrap().ino())
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn a_build_with_nothing_changed_writes_nothing_and_reports_the_same() {
    let dir = site();
    let root = dir.path();
    let first = build(root, &[]);
    assert_built(&first, "first build");
    let before = snapshot(&root.join("public"));
    let second = build(root, &["--timings"]);
    assert_skipped(&second, "second build");
    assert_eq!(snapshot(&root.join("public")), before, "not a byte nor an inode changed");
    assert!(second.contains("guide.md:4:") && second.contains("missing.md"), "diagnostics shown again:\n{second}");
    assert!(second.contains("1 warning") && first.contains("1 warning"), "{first}\n{second}");
    assert_eq!(summary(&second), summary(&first), "the same pages, languages, files, bytes and warnings");
    assert!(second.contains("fingerprint inputs") && second.contains("check output"), "{second}");
    let strict = infrared_in(root, &["build", "--strict"]);
    assert!(!strict.status.success(), "--strict fails on the stored warning");
    assert!(String::from_utf8_lossy(&strict.stderr).contains("missing.md"));
    assert_eq!(snapshot(&root.join("public")), before);
    assert_built(&build(root, &["--no-cache"]), "--no-cache");
    assert_skipped(&build(root, &[]), "after --no-cache");
}

#[test]
fn every_input_change_builds_again() {
    let dir = site();
    let root = dir.path();
    build(root, &[]);
    type Change = (&'static str, fn(&Path), fn(&Path));
    let changes: [Change; 9] = [
        (
            "content edited",
            |r| write(r, "content/guide.ca.md", "+++\ntitle = \"Guia\"\n+++\nUna guia nova.\n"),
            |r| assert!(read(r, "public/ca/guide/index.html").contains("Una guia nova.")),
        ),
        (
            "page added",
            |r| write(r, "content/extra.md", "+++\ntitle = \"Extra\"\n+++\nMore.\n"),
            |r| assert!(read(r, "public/en/extra/index.html").contains("More.")),
        ),
        (
            "page removed",
            |r| std::fs::remove_file(r.join("content/extra.md")).unwrap(),
            |r| assert!(!r.join("public/en/extra/index.html").exists()),
        ),
        (
            "site.toml edited",
            |r| write(r, "site.toml", &SITE_TOML.replace("\"Test\"", "\"Renamed site\"")),
            |r| assert!(read(r, "public/en/index.html").contains("Renamed site")),
        ),
        (
            "template overridden",
            |r| {
                let page = read(&common::repo_root(), "themes/default/templates/page.html");
                write(
                    r,
                    "templates/page.html",
                    &page.replace("{% block head %}", "{% block head %}<!-- overridden -->"),
                );
            },
            |r| assert!(read(r, "public/en/guide/index.html").contains("<!-- overridden -->")),
        ),
        (
            "UI string overridden",
            |r| write(r, "i18n/en.ftl", "skip-to-content = Jump to the text\n"),
            |r| assert!(read(r, "public/en/guide/index.html").contains("Jump to the text")),
        ),
        (
            "static file edited",
            |r| write(r, "static/robots-extra.txt", "two\n"),
            |r| assert_eq!(read(r, "public/robots-extra.txt"), "two\n"),
        ),
        (
            "draft added",
            |r| write(r, "content/soon.md", "+++\ntitle = \"Soon\"\ndraft = true\n+++\nNot yet.\n"),
            |r| assert!(!r.join("public/en/soon/index.html").exists()),
        ),
        (
            "content file added",
            |r| write(r, "content/notes.txt", "notes\n"),
            |r| assert_eq!(read(r, "public/en/notes.txt"), "notes\n"),
        ),
    ];
    for (what, change, check) in changes {
        change(root);
        assert_built(&build(root, &[]), what);
        check(root);
        assert_skipped(&build(root, &[]), &format!("again after {what}"));
    }
    assert_built(&build(root, &["--drafts"]), "--drafts");
    assert!(read(root, "public/en/soon/index.html").contains("Not yet."));
    assert_skipped(&build(root, &["--drafts"]), "--drafts again");
    assert_built(&build(root, &[]), "without --drafts");
    assert!(!root.join("public/en/soon/index.html").exists());
}

#[test]
fn a_touched_output_is_built_again_and_restored() {
    let dir = site();
    let root = dir.path();
    build(root, &[]);
    let page = "public/en/guide/index.html";
    let original = read(root, page);

    write(root, page, "vandalised");
    assert_built(&build(root, &[]), "an output file edited");
    assert_eq!(read(root, page), original);

    let file = std::fs::File::options().append(true).open(root.join(page)).unwrap();
    file.set_modified(std::time::SystemTime::UNIX_EPOCH).unwrap();
    drop(file);
    assert_built(&build(root, &[]), "an output file's time changed");

    std::fs::remove_file(root.join(page)).unwrap();
    assert_built(&build(root, &[]), "an output file removed");
    assert_eq!(read(root, page), original);

    write(root, "public/en/stray.html", "stray");
    assert_built(&build(root, &[]), "a file added to the output");
    assert!(!root.join("public/en/stray.html").exists());

    std::fs::remove_dir_all(root.join(".public-cache/search")).unwrap();
    assert_built(&build(root, &[]), "the search indexes removed");
    assert!(root.join(".public-cache/search/en").is_dir());

    std::fs::remove_dir_all(root.join("public")).unwrap();
    assert_built(&build(root, &[]), "the output removed");
    assert_eq!(read(root, page), original);
    assert_skipped(&build(root, &[]), "at last");
}

/// certbot (webroot mode) writes its tokens into the served folder during a
/// renewal. Builds carry them over; they are no reason to build again. The
/// site's own files in `.well-known/` still are.
#[test]
fn certbots_tokens_in_the_output_do_not_make_a_full_build() {
    let dir = site();
    let root = dir.path();
    write(root, "static/.well-known/security.txt", "Contact: mailto:admin@example.net\n");
    build(root, &[]);
    write(root, "public/.well-known/acme-challenge/token", "renewing\n");
    assert_skipped(&build(root, &[]), "a token written by a renewal");
    std::fs::remove_dir_all(root.join("public/.well-known/acme-challenge")).unwrap();
    assert_skipped(&build(root, &[]), "the renewal's tokens removed");
    write(root, "public/.well-known/security.txt", "vandalised\n");
    assert_built(&build(root, &[]), "the site's own file in .well-known edited");
    assert_eq!(read(root, "public/.well-known/security.txt"), "Contact: mailto:admin@example.net\n");
    write(root, "public/.well-known/acme-challenge/token", "renewing\n");
    std::fs::write(root.join("public/.well-known/security.txt"), "vandalised\n").unwrap();
    assert_built(&build(root, &[]), "the site's own file edited beside a token");
    assert_eq!(read(root, "public/.well-known/acme-challenge/token"), "renewing\n", "carried over");
    // The same for paths the admin names with --keep, build after build.
    build(root, &["--keep", "status/"]);
    write(root, "public/status/ok.txt", "ok\n");
    assert_skipped(&build(root, &["--keep", "status/"]), "a file written under a --keep path");
    write(root, "public/stray.txt", "stray\n");
    assert_built(&build(root, &["--keep", "status/"]), "a file written elsewhere");
    assert_eq!(read(root, "public/status/ok.txt"), "ok\n", "carried over");
}

#[test]
fn a_damaged_stamp_means_a_full_build() {
    let dir = site();
    let root = dir.path();
    build(root, &[]);
    let stamp = root.join(".public-cache/build-stamp.json");
    let text = std::fs::read_to_string(&stamp).unwrap();
    std::fs::write(&stamp, &text[..text.len() / 2]).unwrap();
    assert_built(&build(root, &[]), "a truncated stamp");
    std::fs::write(&stamp, text.replace("infrared build stamp", "other stamp")).unwrap();
    assert_built(&build(root, &[]), "a stamp of another format");
    assert_skipped(&build(root, &[]), "stamped again");
}

#[test]
fn a_skipped_build_clears_what_killed_builds_left() {
    let dir = site();
    let root = dir.path();
    build(root, &[]);
    for leftover in [".public-cache.partial-1/search", ".public.partial-2/en", ".public.old-3/en"] {
        std::fs::create_dir_all(root.join(leftover)).unwrap();
    }
    assert_skipped(&build(root, &[]), "leftovers are not output");
    let mut names: Vec<String> =
        std::fs::read_dir(root).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, [".public-cache", "content", "public", "site.toml", "static"]);
}

#[test]
fn a_failed_build_leaves_the_last_stamp_valid() {
    let dir = site();
    let root = dir.path();
    build(root, &[]);
    let good = read(root, "content/guide.md");
    write(root, "content/guide.md", "+++\ntitle = \n+++\nBroken front matter.\n");
    assert!(!infrared_in(root, &["build"]).status.success());
    write(root, "content/guide.md", &good);
    assert_skipped(&build(root, &[]), "the output is the one these inputs made");
}

/// The translations fixture in its own git repository.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo { dir: common::copy_fixture("translations") };
        repo.git(&["init", "-q"]);
        repo.commit("originals");
        repo
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str]) -> String {
        let output = Command::new("git")
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(self.root())
            .env("GIT_CEILING_DIRECTORIES", self.root().parent().unwrap())
            .output()
            .expect("run git");
        assert!(output.status.success(), "git {args:?}: {output:?}");
        String::from_utf8(output.stdout).unwrap()
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
    }

    fn commit_file(&self, rel: &str, message: &str) {
        self.git(&["add", rel]);
        self.git(&["commit", "-q", "-m", message]);
    }
}

#[test]
fn a_change_of_git_history_alone_builds_again() {
    let repo = Repo::new();
    let root = repo.root();
    let translation = "+++\ntitle = \"Guía de réplicas\"\n+++\nCómo guardar una copia.\n";
    // The original, then its translation: the translation is up to date.
    write(root, "content/guide.md", &format!("{}\nMore.\n", read(root, "content/guide.md")));
    repo.commit_file("content/guide.md", "guide: more");
    write(root, "content/guide.es.md", translation);
    repo.commit_file("content/guide.es.md", "es translation");
    assert_built(&build(root, &[]), "first build");
    let page = "public/es/guide/index.html";
    assert!(!read(root, page).contains("notice-outdated"));
    assert_skipped(&build(root, &[]), "nothing changed");

    // The same files, committed the other way round: now it is outdated.
    repo.git(&["reset", "-q", "--hard", "HEAD~2"]);
    write(root, "content/guide.es.md", translation);
    repo.commit_file("content/guide.es.md", "es translation");
    write(root, "content/guide.md", &format!("{}\nMore.\n", read(root, "content/guide.md")));
    repo.commit_file("content/guide.md", "guide: more");
    assert_built(&build(root, &[]), "history rewritten, files as they were");
    assert!(read(root, page).contains("notice-outdated"), "freshness follows the history");

    // A commit that changes no file still changes manifest.json's commit.
    repo.git(&["commit", "-q", "--allow-empty", "-m", "nothing"]);
    assert_built(&build(root, &[]), "an empty commit");
    let head = repo.git(&["rev-parse", "HEAD"]);
    assert!(read(root, "public/manifest.json").contains(head.trim()), "manifest names the new commit");
    assert_skipped(&build(root, &[]), "nothing changed since");
}
