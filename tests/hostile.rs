//! Hostile input: every file builds or fails with a clear error, nothing
//! panics, and no executable script reaches the output. Also path traversal,
//! symlinks, and builds killed at random moments.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{build, build_ok, files, site_with, TWO_LANGUAGES};

/// Script vectors from the usual cheat sheets, written as Markdown and raw HTML.
const XSS: &str = r#"+++
title = "Vectors"
+++
<script>alert(1)</script>
<img src=x onerror=alert(1)>
<svg onload=alert(1)><circle r=1 /></svg>
<a href="javascript:alert(1)">a</a> <a href="&#106;avascript:alert(1)">b</a> <a href=" JaVaScRiPt:alert(1)">c</a>
<iframe src="javascript:alert(1)"></iframe><iframe srcdoc="<script>alert(1)</script>"></iframe>
<body onload=alert(1)><div style="background:url(javascript:alert(1))">styled</div>
<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>
<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object><embed src="x.swf">
<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><base href="javascript:alert(1)//">
<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>
<input onfocus=alert(1) autofocus><details open ontoggle=alert(1)><summary>s</summary></details>
<<script>script>alert(1)<</script>/script>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>
<video src="x" onerror="alert(1)"><source src="javascript:alert(1)"></video>
<style>@import url(//evil.example/x.css); body { background: red }</style>
<link rel="stylesheet" href="//evil.example/x.css">
<!--<script>alert(1)</script>-->
<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>

[md link](javascript:alert(1)) [md2](JaVaScRiPt:alert(1)) [md3](vbscript:msgbox(1))
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
![img](javascript:alert(1)) ![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)
[title](https://example.org "onmouseover=alert(1)") <https://example.org/"onmouseover="alert(1)>

jaVasCript:/*-/*`/*\`/*'/*"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\x3csVg/<sVg/oNloAd=alert()//>\x3e
"#;

fn hostile_site() -> tempfile::TempDir {
    let long_line = format!("+++\ntitle = \"Long\"\n+++\n{}\n", "word ".repeat(2 * 1024 * 1024));
    // `- - - …` opens a list inside a list item 10 000 times over.
    let nested_lists = format!("{}deep\n", "- ".repeat(10_000));
    let nested_quotes = format!("{} deep\n", ">".repeat(10_000));
    let nested_html = format!("{}x{}", "<div>".repeat(10_000), "</div>".repeat(10_000));
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("content/xss.md", XSS),
        (
            "content/titles.md",
            "+++\ntitle = \"</title><script>alert(1)</script> \u{202E}txet desrever \u{5d0}\u{5d1} عربي 中文\"\ndescription = \"\\\"><img src=x onerror=alert(1)>\"\ntags = [\"<script>\", \"\u{202E}bidi\"]\n+++\nBody.\n",
        ),
        ("content/long.md", &long_line),
        ("content/nested-lists.md", &format!("+++\ntitle = \"Lists\"\n+++\n{nested_lists}")),
        ("content/nested-quotes.md", &format!("+++\ntitle = \"Quotes\"\n+++\n{nested_quotes}")),
        ("content/nested-html.md", &format!("+++\ntitle = \"Divs\"\n+++\n{nested_html}\n")),
        ("content/nul.md", "+++\ntitle = \"Nul\"\n+++\nbefore\u{0}after\n"),
        ("content/bom.md", "\u{feff}+++\r\ntitle = \"Bom\"\r\n+++\r\nWindows line endings.\r\n"),
        ("content/traversal.md", "+++\ntitle = \"Up\"\n+++\n[up](../../../../etc/passwd) ![img](/etc/passwd) <img src=\"../../../../etc/passwd\">\n"),
    ]);
    site
}

/// Every `<script>` has a `src` under assets/ (the theme's), and nothing
/// else in the HTML (or an EPUB's XHTML) can run: no handlers, no javascript: URLs, no frames.
fn assert_no_executable_content(out: &Path) {
    for file in files(out) {
        if file.extension().is_none_or(|e| e != "html" && e != "xhtml") {
            continue;
        }
        let html = std::fs::read_to_string(out.join(&file)).unwrap();
        // The theme's own search forms are the only forms a page may have.
        let lower = html.to_ascii_lowercase().replace("<form class=\"search-form", "<search-form");
        let mut rest = lower.as_str();
        while let Some(i) = rest.find("<script") {
            let tag = &rest[i..i + rest[i..].find('>').unwrap_or(rest.len() - i)];
            assert!(
                tag.contains(" src=\"") && tag.contains("assets/"),
                "{}: inline or foreign script {tag}",
                file.display()
            );
            rest = &rest[i + 7..];
        }
        for attribute in ["href=\"", "src=\"", "action=\"", "data=\"", "poster=\""] {
            for (i, _) in lower.match_indices(attribute) {
                let value: String = lower[i + attribute.len()..]
                    .chars()
                    .take_while(|c| *c != '"')
                    .filter(|c| !c.is_whitespace())
                    .collect();
                let runs = ["javascript:", "vbscript:", "data:text"].iter().any(|s| value.starts_with(s));
                assert!(!runs, "{}: {attribute}{value} reached the output", file.display());
            }
        }
        for bad in [
            "<iframe",
            "<object",
            "<embed",
            "<base ",
            "<form",
            "<svg",
            "<math",
            "<style",
            "<link rel=\"stylesheet\" href=\"//",
        ] {
            assert!(!lower.contains(bad), "{}: {bad} reached the output", file.display());
        }
        for (i, _) in lower.match_indices(" on") {
            let attribute: String = lower[i + 1..].chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            let after = &lower[i + 1 + attribute.len()..];
            let is_handler = attribute.len() > 3 && after.trim_start().starts_with('=');
            let tag_start = lower[..i].rfind('<');
            let in_text = tag_start < lower[..i].rfind('>');
            // Inside a quoted attribute value (escaped text), not an attribute.
            let in_value = tag_start.is_some_and(|t| lower[t..i].matches('"').count() % 2 == 1);
            assert!(!is_handler || in_text || in_value, "{}: {attribute} handler reached the output", file.display());
        }
    }
}

#[test]
fn hostile_markdown_builds_and_no_script_reaches_the_output() {
    let site = hostile_site();
    let built = build(site.path(), &[]);
    assert!(built.success, "{}", built.stderr);
    assert!(!built.stderr.contains("panicked"), "{}", built.stderr);
    assert_no_executable_content(&built.out);
    // Titles are text, everywhere they appear.
    let titles = built.read("en/titles/index.html");
    assert!(titles.contains("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), "{titles}");
    // Writers are told what was removed, where.
    assert!(
        built.stderr.contains("content/xss.md:4:1: warning: raw HTML removed: <script> element"),
        "{}",
        built.stderr
    );
    assert!(
        built.stderr.contains("content/xss.md:25:1: warning: link removed: \"javascript:alert(1)\""),
        "{}",
        built.stderr
    );
    // Links that climb out of the site lead nowhere, and nothing outside was read.
    assert!(
        built.stderr.contains("content/traversal.md:4:1: warning: the link leads outside the site"),
        "{}",
        built.stderr
    );
    assert!(!files(&built.out).iter().any(|f| f.ends_with("passwd")));
    let nul = built.read("en/nul/index.html");
    assert!(nul.contains("before\u{FFFD}after") && !nul.contains('\0'), "NUL never reaches the output");
    assert!(built.read("en/bom/index.html").contains("Windows line endings."));
}

/// A workshop pack's print.html and EPUB are made from the pages' HTML
/// apart from the mini-site: the script vectors a writer's raw HTML holds
/// are removed there too (a trainer opens print.html from disk, `--pdf`
/// has Chromium open it on the machine that builds), and a tag HTML does
/// not know (`<Enter>`) never reaches the EPUB's XHTML.
#[test]
fn a_workshop_pack_of_hostile_pages_carries_no_script() {
    let workshop = "+++\ntitle = \"W\"\n[workshop]\nmodules = [\"xss.md\", \"keys.md\"]\n+++\nIntro.\n";
    let keys = "+++\ntitle = \"Keys\"\n+++\nPress <Enter> to search.\n";
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("content/w.md", workshop),
        ("content/xss.md", XSS),
        ("content/keys.md", keys),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("w.zip");
    let root = site.path().to_str().unwrap();
    let made = common::infrared(&["--root", root, "pack", "w", "--lang", "ca", "--out", zip.to_str().unwrap()]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let pack = common::offline::unzip(&zip);
    let book = common::offline::unzip(&pack.path().join("w.epub"));
    assert_no_executable_content(pack.path());
    assert_no_executable_content(book.path());
    let print = std::fs::read_to_string(pack.path().join("print.html")).unwrap();
    let chapter = std::fs::read_to_string(book.path().join("EPUB/m2.xhtml")).unwrap();
    for html in [&print, &chapter] {
        assert!(html.contains("Press  to search.") && !html.contains("<enter>"), "{html}");
    }
}

#[test]
fn images_from_other_sites_are_reported_by_build_once_each() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHi.\n"),
        (
            "content/remote.md",
            "+++\ntitle = \"Remote\"\n+++\n![badge](https://cdn.example/b.png)\n\n<img alt=\"t\" src=\"//tracker.example/p.gif\">\n\n<video controls src=\"https://media.example/v.mp4\"></video>\n\n![here](local.png) [a link](https://example.org/)\n",
        ),
    ]);
    let built = build(site.path(), &[]);
    assert!(built.success, "{}", built.stderr);
    let warned = |line: usize, host: &str| {
        built.stderr.lines().any(|l| {
            l.contains(&format!("content/remote.md:{line}:"))
                && l.contains(&format!("image from another site ({host})"))
        })
    };
    assert!(warned(4, "cdn.example"), "a Markdown image: {}", built.stderr);
    assert!(warned(6, "tracker.example"), "a raw <img>: {}", built.stderr);
    assert_eq!(built.stderr.matches("media.example").count(), 1, "the removed video once: {}", built.stderr);
    assert_eq!(built.stderr.matches("image from another site").count(), 2, "{}", built.stderr);
    assert!(!built.stderr.contains("example.org"), "a link to another site loads nothing: {}", built.stderr);
}

#[test]
fn files_over_the_size_limit_are_refused_by_name() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/big.md", &"x".repeat(64 * 1024)),
    ]);
    std::fs::write(site.path().join("site.toml"), format!("max_file_size = 32768\n{TWO_LANGUAGES}")).unwrap();
    let built = build(site.path(), &[]);
    assert!(!built.success);
    assert!(
        built.stderr.contains("content/big.md: the file is 0.1 MiB, over the limit of 0.0 MiB"),
        "{}",
        built.stderr
    );
    assert!(built.stderr.contains("max_file_size"), "{}", built.stderr);
}

#[test]
fn symlinks_out_of_the_site_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "+++\ntitle = \"Secret\"\n+++\n").unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    for (link, target) in [
        ("content/secret.md", "secret.md"),
        ("content/img/secret.txt", "secret.txt"),
        ("static/secret.txt", "secret.txt"),
        ("templates/page.html", "secret.txt"),
    ] {
        let site = site_with(&[("site.toml", TWO_LANGUAGES), ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n")]);
        let path = site.path().join(link);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(outside.path().join(target), &path).unwrap();
        let built = build(site.path(), &[]);
        assert!(!built.success, "{link} was followed");
        assert!(built.stderr.contains(link) && built.stderr.contains("leads outside"), "{link}: {}", built.stderr);
    }
}

#[test]
fn links_inside_content_are_fine() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/a/page.md", "+++\ntitle = \"A\"\n+++\n"),
    ]);
    std::os::unix::fs::symlink(site.path().join("content/a"), site.path().join("content/b")).unwrap();
    let built = build_ok(site.path(), &[]);
    assert!(built.exists("en/b/page/index.html"));
}

#[test]
fn output_folder_that_is_not_ours_is_refused() {
    let site = site_with(&[("site.toml", TWO_LANGUAGES), ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n")]);
    let root = site.path().to_str().unwrap();
    for out in [root.to_string(), format!("{root}/content"), "/".to_string()] {
        let output = common::infrared(&["build", "--root", root, "--out", &out, "--force"]);
        assert!(!output.status.success(), "{out}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("refusing to write the site here"), "{out}");
    }
    let photos = site.path().join("photos");
    std::fs::create_dir_all(&photos).unwrap();
    std::fs::write(photos.join("cat.jpg"), "meow").unwrap();
    let refused = common::infrared(&["build", "--root", root, "--out", photos.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert!(photos.join("cat.jpg").exists(), "nothing was touched");
    let forced = common::infrared(&["build", "--root", root, "--out", photos.to_str().unwrap(), "--force"]);
    assert!(forced.status.success());
    assert!(!photos.join("cat.jpg").exists() && photos.join(".infrared-output").exists());
}

/// The bytes of every file of a folder, for comparing whole outputs.
fn snapshot(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    files(dir).into_iter().map(|f| (f.clone(), std::fs::read(dir.join(&f)).unwrap())).collect()
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_output_intact() {
    let root = common::repo_root();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let first = common::infrared(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(first.status.success());
    let before = snapshot(&out);
    // A deterministic spread of moments over a build's life.
    for delay_ms in [5u64, 30, 80, 150, 250, 400, 600, 900] {
        // --no-cache: a build that finds nothing changed would write nothing to interrupt.
        let mut child = Command::new(env!("CARGO_BIN_EXE_infrared"))
            .args(["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-cache"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Killed before the swap: untouched. Killed after: the same site, rebuilt.
        // Killed between the two renames: the next build puts it back.
        if !out.exists() {
            let again = common::infrared(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()]);
            assert!(again.status.success());
        }
        assert!(snapshot(&out) == before, "output changed after a kill at {delay_ms} ms");
    }
    let last = common::infrared(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(last.status.success());
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(names.iter().all(|n| n == "public" || n.to_string_lossy().ends_with("-cache")), "leftovers: {names:?}");
}

/// Two builds into one output (a cron job and a hand-run build, two CI
/// jobs on one host) must not take each other's staging folder for a
/// killed build's leftovers: the second stops at once, naming the first.
#[test]
fn a_second_build_into_the_same_output_stops_while_the_first_runs() {
    let root = common::fixture("multilingual");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        common::infrared(&args)
    };
    assert!(build(&[]).status.success());
    let before = snapshot(&out);
    // A build that is running: this very process holds the lock.
    let lock = dir.path().join(".public.lock");
    std::fs::write(&lock, std::process::id().to_string()).unwrap();
    let refused = build(&["--no-cache"]);
    let said = String::from_utf8_lossy(&refused.stderr).into_owned();
    assert_eq!(refused.status.code(), Some(1), "{said}");
    assert!(said.contains("another build") && said.contains(&std::process::id().to_string()), "{said}");
    assert!(snapshot(&out) == before, "the output was touched");
    // A build that was killed: its process is gone, and the lock is taken over.
    let mut gone = Command::new("true").spawn().unwrap();
    gone.wait().unwrap();
    std::fs::write(&lock, gone.id().to_string()).unwrap();
    assert!(build(&["--no-cache"]).status.success());
    assert!(!lock.exists());
    // After a restart, the id of a build killed holding the lock may belong
    // to another process (this one, say), started at another time.
    let mut killed = Command::new(env!("CARGO_BIN_EXE_infrared"))
        .args(["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-cache"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !lock.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = killed.kill();
    let _ = killed.wait();
    let left = std::fs::read_to_string(&lock).unwrap();
    let (pid, rest) = left.split_once(' ').unwrap_or((&left, ""));
    assert_eq!(pid, killed.id().to_string());
    std::fs::write(&lock, format!("{} {rest}", std::process::id())).unwrap();
    let after_restart = build(&["--no-cache"]);
    assert!(after_restart.status.success(), "{}", String::from_utf8_lossy(&after_restart.stderr));
    assert!(!lock.exists());
    // Really at once: each build either completes or stops with that message.
    for _ in 0..6 {
        let spawn = || {
            Command::new(env!("CARGO_BIN_EXE_infrared"))
                .args(["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-cache"])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (first, second) = (spawn(), spawn());
        for child in [first, second] {
            let output = child.wait_with_output().unwrap();
            let said = String::from_utf8_lossy(&output.stderr).into_owned();
            assert!(output.status.success() || said.contains("another build"), "{said}");
        }
        assert!(snapshot(&out) == before, "the output differs from a build of its own");
    }
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(names.iter().all(|n| n == "public" || n.to_string_lossy().ends_with("-cache")), "leftovers: {names:?}");
}

/// A deploy that switches a link (`current -> releases/1`) builds into the
/// link: the folder it leads to is replaced whole, and the link stays. The
/// swap used to rename the link aside, empty its target through it, put a
/// folder in its place and fail on removing the link.
#[test]
fn an_output_reached_through_a_symbolic_link_is_built_where_it_leads() {
    let site =
        site_with(&[("site.toml", TWO_LANGUAGES), ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nFirst.\n")]);
    let root = site.path().to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let release = dir.path().join("releases/1");
    assert!(common::infrared(&["build", "--root", root, "--out", release.to_str().unwrap()]).status.success());
    let current = dir.path().join("current");
    std::os::unix::fs::symlink("releases/1", &current).unwrap();
    std::fs::write(site.path().join("content/_index.md"), "+++\ntitle = \"Home\"\n+++\nSecond.\n").unwrap();
    let output = common::infrared(&["build", "--root", root, "--out", current.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(std::fs::symlink_metadata(&current).unwrap().file_type().is_symlink(), "the link stays");
    assert!(std::fs::read_to_string(release.join("en/index.html")).unwrap().contains("Second."));
    let beside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(beside.len(), 2, "only the link and releases/: {beside:?}");
    let in_releases: Vec<_> =
        std::fs::read_dir(dir.path().join("releases")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(in_releases.iter().all(|n| n == "1" || n.to_string_lossy().ends_with("-cache")), "{in_releases:?}");
}

/// `--out` naming a file (or a device: `/dev/null` was renamed aside and a
/// folder put in its place) is refused, --force or not, and left alone.
#[test]
fn an_output_that_is_a_file_is_refused_and_left_alone() {
    let site = site_with(&[("site.toml", TWO_LANGUAGES), ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n")]);
    let root = site.path().to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "my notes\n").unwrap();
    for extra in [&[][..], &["--force"][..]] {
        let mut args = vec!["build", "--root", root, "--out", file.to_str().unwrap()];
        args.extend_from_slice(extra);
        let output = common::infrared(&args);
        let said = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(1), "{extra:?}: {said}");
        assert!(said.contains("refusing to write the site here") && said.contains("not a folder"), "{said}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "my notes\n");
        let beside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(beside, ["notes.txt"], "nothing made beside it");
    }
}

/// `--out .` or `--out public/..` names a folder by a path that cannot be
/// renamed: the build went all the way to the swap and failed there with
/// "Device or resource busy". It now builds into the folder the path names.
#[test]
fn an_output_named_with_dots_is_built_into_the_folder_it_names() {
    let site = site_with(&[("site.toml", TWO_LANGUAGES), ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n")]);
    let root = site.path().to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    std::fs::create_dir_all(&out).unwrap();
    for named in [".", "missing/.."] {
        let output = Command::new(env!("CARGO_BIN_EXE_infrared"))
            .args(["build", "--root", root, "--out", named, "--no-cache"])
            .current_dir(&out)
            .output()
            .unwrap();
        assert!(output.status.success(), "{named}: {}", String::from_utf8_lossy(&output.stderr));
        assert!(out.join("en/index.html").is_file(), "{named}");
        assert!(!out.join("missing").exists(), "{named}");
    }
}

/// A mount point (a container's volume) cannot be renamed, so the swap
/// failed with "Device or resource busy" once the whole site was built, or
/// a whole mirror fetched. Both now refuse it at once, saying what to do.
/// Needs the right to mount (root); skipped elsewhere.
#[test]
fn an_output_that_is_a_mount_point_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let volume = dir.path().join("volume");
    std::fs::create_dir_all(&volume).unwrap();
    let mounted = Command::new("mount").args(["-t", "tmpfs", "none", volume.to_str().unwrap()]).output();
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    // Without the right to mount (not root, or a container without it),
    // /proc stands in: every Linux system mounts it, and nothing can be
    // written into it, so the test never goes without a mount point.
    let (volume, _unmount) = if mounted.is_ok_and(|m| m.status.success()) {
        (volume.clone(), Some(Unmount(&volume)))
    } else {
        eprintln!("cannot mount a tmpfs here: /proc is the mount point");
        (PathBuf::from("/proc"), None)
    };
    let beside_volume = volume.parent().unwrap().to_path_buf();
    let site = site_with(&[("site.toml", TWO_LANGUAGES), ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n")]);
    let build =
        common::infrared(&["build", "--root", site.path().to_str().unwrap(), "--out", volume.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&build.stderr).into_owned();
    assert_eq!(build.status.code(), Some(1), "{said}");
    assert!(said.contains("mount point") && said.contains(&format!("{}/site", volume.display())), "{said}");
    assert!(!said.contains("Rendering"), "refused before building: {said}");
    let key = dir.path().join("k.key");
    let public = dir.path().join("k.pub");
    let made =
        common::infrared(&["keygen", "--secret-key", key.to_str().unwrap(), "--public-key", public.to_str().unwrap()]);
    assert!(made.status.success());
    // Port 9 (discard): nothing is fetched before the check.
    let pull = common::infrared(&[
        "mirror",
        "pull",
        "http://127.0.0.1:9/",
        volume.to_str().unwrap(),
        "--public-key",
        public.to_str().unwrap(),
    ]);
    let said = String::from_utf8_lossy(&pull.stderr).into_owned();
    assert_eq!(pull.status.code(), Some(1), "{said}");
    assert!(said.contains("mount point"), "{said}");
    // No lock, staging folder or download beside the volume.
    let name = volume.file_name().unwrap().to_string_lossy().into_owned();
    let left: Vec<_> = std::fs::read_dir(&beside_volume)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|entry| entry != &name && entry.contains(&name))
        .collect();
    assert!(left.is_empty(), "nothing written beside {}: {left:?}", volume.display());
}

/// certbot's webroot mode writes its tokens into the folder the server
/// serves, which a build replaces whole: the tokens went with the old
/// output (a renewal during a rebuild failed), and a new folder holding
/// only them was refused without --force. They are carried over now, as
/// are the admin's `--keep` paths; where the site has its own file, the
/// site's wins and the build says so.
#[test]
fn a_build_into_a_served_folder_keeps_certbots_tokens_and_kept_paths() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("static/.well-known/security.txt", "Contact: mailto:security@example.org\n"),
    ]);
    let root = site.path().to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("www");
    let token = |name: &str| out.join(".well-known/acme-challenge").join(name);
    let write = |path: &Path, text: &str| {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let build_into = |extra: &[&str]| {
        let mut args = vec!["build", "--root", root, "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let output = common::infrared(&args);
        let said = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{extra:?}: {said}");
        said
    };
    write(&token("first"), "first token");
    build_into(&[]);
    assert_eq!(
        std::fs::read_to_string(token("first")).unwrap(),
        "first token",
        "a folder of tokens is no foreign folder"
    );
    assert!(out.join("en/index.html").is_file());

    // Written between builds: the output changed, so this is a whole build.
    write(&token("second"), "second token");
    write(&out.join("stats/report.html"), "the admin's");
    write(&out.join(".well-known/security.txt"), "the admin's own");
    let said = build_into(&["--keep", "stats", "--keep", ".well-known/security.txt"]);
    assert!(token("first").is_file() && token("second").is_file());
    assert_eq!(std::fs::read_to_string(out.join("stats/report.html")).unwrap(), "the admin's");
    assert_eq!(
        std::fs::read_to_string(out.join(".well-known/security.txt")).unwrap(),
        "Contact: mailto:security@example.org\n",
        "the site's own file wins"
    );
    assert!(
        said.contains("warning:") && said.contains(".well-known/security.txt") && said.contains("the site's won"),
        "{said}"
    );

    std::fs::remove_file(token("first")).unwrap();
    let said = build_into(&["--no-cache"]);
    assert!(!said.contains("warning:"), "{said}");
    assert!(!token("first").exists(), "a token certbot removed stays removed");
    assert!(token("second").is_file());
    assert!(!out.join("stats").exists(), "only what is kept this time is kept");
}
