//! Helpers for tests that build real sites with the real binary and look at
//! what it wrote.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// Runs `infrared` with `args`.
pub fn infrared(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_infrared")).args(args).env("NO_COLOR", "1").output().expect("run infrared")
}

/// A site built into a temporary folder.
pub struct Built {
    pub out: PathBuf,
    pub stderr: String,
    pub success: bool,
    _dir: tempfile::TempDir,
}

impl Built {
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}\n{}", self.stderr))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.out.join(path).exists()
    }
}

pub fn build(root: &Path, extra: &[&str]) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut args = vec!["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = infrared(&args);
    Built {
        out,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        success: output.status.success(),
        _dir: dir,
    }
}

pub fn build_ok(root: &Path, extra: &[&str]) -> Built {
    let built = build(root, extra);
    assert!(built.success, "build of {} failed:\n{}", root.display(), built.stderr);
    built
}

/// Every file under `dir`, relative, sorted.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    files.sort();
    files
}

/// The link values (`link_values`) of a page's `<main>`, in order.
pub fn content_links(html: &str) -> Vec<String> {
    let start = html.find("<main").expect("a <main>");
    let end = html[start..].find("</main>").map_or(html.len(), |e| start + e);
    link_values(&html[start..end])
}

/// Values of `href`, `src` and `poster` attributes in an HTML text.
pub fn link_values(html: &str) -> Vec<String> {
    let mut values = Vec::new();
    for name in [" href=\"", " src=\"", " poster=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(name) {
            rest = &rest[i + name.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            values.push(rest[..end].replace("&amp;", "&").replace("&#x2F;", "/"));
        }
    }
    values
}

pub fn is_external(url: &str) -> bool {
    url.starts_with("//") || url.split_once(':').is_some_and(|(scheme, _)| !scheme.contains('/') && !scheme.is_empty())
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// Internal links of every HTML file that do not lead to a written file.
/// With `offline`, a link to a folder is a problem too (file:// shows no index.html).
/// With `anchors`, `#fragment`s must name an id in the target page.
pub fn broken_internal_links(out: &Path, offline: bool, anchors: bool) -> Vec<String> {
    let mut problems = Vec::new();
    for file in files(out) {
        if file.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(out.join(&file)).unwrap();
        let dir = out.join(&file).parent().unwrap().to_path_buf();
        for url in link_values(&html) {
            if is_external(&url) {
                continue;
            }
            let (path, fragment) = match url.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (url.as_str(), None),
            };
            let path = path.split('?').next().unwrap();
            // 404 pages link by absolute path (a server shows them anywhere).
            let target = if path.is_empty() {
                out.join(&file)
            } else if let Some(absolute) = path.strip_prefix('/') {
                // Under the site's own path when it has one (`/kb/en/` → `en/`).
                let absolute = percent_decode(absolute);
                let first = absolute.split('/').next().unwrap_or_default();
                match absolute.split_once('/') {
                    Some((_, rest)) if !out.join(first).exists() => out.join(rest),
                    _ => out.join(absolute),
                }
            } else {
                dir.join(percent_decode(path))
            };
            let target = if target.is_dir() {
                if offline {
                    problems.push(format!("{}: links to folder {url}", file.display()));
                }
                target.join("index.html")
            } else {
                target
            };
            if !target.is_file() {
                problems.push(format!("{}: {url} leads nowhere", file.display()));
                continue;
            }
            if let (true, Some(fragment)) = (anchors, fragment) {
                let fragment = percent_decode(fragment);
                let text = std::fs::read_to_string(&target).unwrap_or_default();
                let escaped = fragment.replace('/', "&#x2F;");
                if !fragment.is_empty()
                    && fragment != "top"
                    && !text.contains(&format!("id=\"{fragment}\""))
                    && !text.contains(&format!("id=\"{escaped}\""))
                {
                    problems.push(format!("{}: {url}: no id {fragment}", file.display()));
                }
            }
        }
    }
    problems
}

/// Resources (not links) the pages would load from other hosts.
pub fn third_party_loads(out: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for file in files(out) {
        let ext = file.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
        if ext != "html" && ext != "css" {
            continue;
        }
        let text = std::fs::read_to_string(out.join(&file)).unwrap();
        for marker in ["src=\"http", "src=\"//", "url(http", "url(//", "@import"] {
            if text.contains(marker) {
                problems.push(format!("{}: {marker}", file.display()));
            }
        }
        for line in text.lines().filter(|l| l.contains("<link ") && l.contains("stylesheet")) {
            if line.contains("href=\"http") || line.contains("href=\"//") {
                problems.push(format!("{}: {line}", file.display()));
            }
        }
    }
    problems
}

/// A throwaway site: files given as (path, contents).
pub fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, contents) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    dir
}

/// A site with a section of `big` pages (weights in order) and one of 3,
/// in English, Catalan (no translations: fallbacks) and Arabic.
pub fn site_with_sections(big: usize, site_toml_extra: &str) -> tempfile::TempDir {
    let config = format!(
        "title = \"Nav\"\ndefault_language = \"en\"\n{site_toml_extra}[offline]\nbundles = false\n\
         [languages.en]\nname = \"English\"\n[languages.ca]\nname = \"Català\"\n[languages.ar]\nname = \"العربية\"\n"
    );
    let mut files = vec![
        ("site.toml".to_string(), config),
        ("content/_index.md".to_string(), "+++\ntitle = \"Home\"\n+++\n".to_string()),
        ("content/big/_index.md".to_string(), "+++\ntitle = \"Big\"\n+++\n".to_string()),
        ("content/small/_index.md".to_string(), "+++\ntitle = \"Small\"\n+++\n".to_string()),
    ];
    for n in 1..=big {
        files.push((
            format!("content/big/p{n:02}.md"),
            format!("+++\ntitle = \"Page {n:02}\"\nweight = {n}\n+++\nText.\n"),
        ));
    }
    for n in 1..=3 {
        files.push((
            format!("content/small/s{n}.md"),
            format!("+++\ntitle = \"Small {n}\"\nweight = {n}\n+++\nText.\n"),
        ));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, c)| (p.as_str(), c.as_str())).collect();
    site_with(&files)
}

pub const TWO_LANGUAGES: &str = "title = \"Test\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ca]\nname = \"Català\"\n";

/// A tool a test needs. Under CI it must be there (the test fails, naming
/// it); elsewhere the test is skipped with a note, so a laptop without
/// Chromium can still run the rest.
pub fn tool_available(name: &str, probe: &[&str]) -> bool {
    let found = Command::new(name).args(probe).output().is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{name} is required under CI=true (.ci/run installs it)");
        }
        eprintln!("SKIPPED: {name} is not installed");
    }
    found
}

/// Browser tests need Node, the npm packages in tests/browser, and Chromium.
pub fn browser_available() -> bool {
    let modules = repo_root().join("tests/browser/node_modules/playwright-core");
    if !modules.is_dir() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("tests/browser/node_modules is missing under CI=true: run npm ci --prefix tests/browser");
        }
        eprintln!("SKIPPED: run `npm ci --prefix tests/browser` for browser tests");
        return false;
    }
    tool_available("node", &["--version"]) && tool_available("chromium", &["--version"])
}

/// Runs `tests/browser/harness.mjs COMMAND ARGS` and parses its JSON answer.
pub fn browser(command: &str, args: &serde_json::Value) -> serde_json::Value {
    browser_script("harness.mjs", command, args)
}

/// Runs `tests/browser/SCRIPT COMMAND ARGS` (the browser scripts' command
/// line: `cli.mjs`) and parses the JSON it prints.
pub fn browser_script(script: &str, command: &str, args: &serde_json::Value) -> serde_json::Value {
    let output = Command::new("node")
        .arg(repo_root().join("tests/browser").join(script))
        .arg(command)
        .arg(args.to_string())
        .output()
        .expect("run node");
    assert!(output.status.success(), "{script} {command} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{script} {command} printed no JSON: {e}"))
}

/// A copy of a fixture in a temporary folder (to change it, or to put it in
/// a git repository of its own).
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = fixture(name);
    for file in files(&from) {
        let target = dir.path().join(&file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&file), target).unwrap();
    }
    dir
}

/// Runs `infrared ARGS` in `dir`, where git finds no repository above `dir`
/// (so a test's own repository, or none, is all it sees).
pub fn infrared_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_infrared"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap())
        .output()
        .expect("run infrared")
}
pub mod offline;
