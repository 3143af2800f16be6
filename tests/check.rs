//! `infrared check`: every problem of a site at once, at the right line,
//! sorted, with an exit status for CI — and nothing written.

mod common;

use std::path::Path;

use common::{copy_fixture, infrared_in, repo_root};

fn check(root: &Path, extra: &[&str]) -> (String, i32) {
    let mut args = vec!["check"];
    args.extend_from_slice(extra);
    let output = infrared_in(root, &args);
    let stdout = String::from_utf8(output.stdout).unwrap();
    (stdout, output.status.code().unwrap())
}

#[test]
fn check_reports_each_problem_at_its_line_and_exits_1() {
    let site = copy_fixture("check");
    let (stdout, code) = check(site.path(), &[]);
    let expected = r###"content/_index.ca.md:4:23: info: links to content/guide.md, not translated into Català: its readers get the English version (link to "guide.md")
content/bad-date.md:3:1: error: date "next tuesday" is not a date (hint: write dates as YYYY-MM-DD, optionally with a time: 2026-05-12T10:30:00+02:00)
content/bad-taxonomy.md:4:1: error: taxonomy "authors" is not configured (hint: add it to taxonomies in site.toml, or remove it)
content/bad-weight.md:3:1: error: weight must be a whole number, found text (hint: write a whole number, e.g. weight = 10)
content/guide.md:6:3: error: no page content/nowhere.md (link to "nowhere.md")
content/guide.md:6:36: error: no heading #no-such-heading in content/_index.md (link to "_index.md#no-such-heading")
content/guide.md:8:1: error: no page or file at /guide/diagram.png (link to "diagram.png")
content/guide.md:10:1: error: no page or file at /guide/files/slides.pdf (link to "files/slides.pdf")
content/guide.md:12:1: error: image loads from a third party (tracker.example): every reader's browser would contact it; keep a copy beside the page (link to "https://tracker.example/pixel.gif")
content/guide.md:14:1: error: raw HTML removed: <iframe> element (list the section in trusted_html in site.toml to keep it)
content/guide.md:14:9: error: <iframe src> loads from a third party (video.example): every reader's browser would contact it; keep a copy in the site ("https://video.example/embed/42")
content/guide.md:17:3: error: raw HTML removed: <source> from another site (https://media.example/talk.webm) (list the section in trusted_html in site.toml to keep it)
content/guide.md:17:11: error: <source src> loads from a third party (media.example): every reader's browser would contact it; keep a copy in the site ("https://media.example/talk.webm")
content/guide.md:20:11: error: raw HTML removed: <script> element (list the section in trusted_html in site.toml to keep it)
content/guide.md:20:19: error: <script src> loads from a third party (cdn.example): every reader's browser would contact it; keep a copy in the site ("//cdn.example/lib.js")
content/guide.md:22:1: warning: heading without text: readers see an empty title (remove it, or write the heading)
content/guide.md:24:5: warning: link without text: readers cannot see or follow it (link to "guide.md#setup")
content/guide.md:26:1: warning: "##Not a heading" is not a heading: put a space after the #
content/odd-template.md:3:1: error: template "missing.html" does not exist in the theme or templates/
content/stamped-original.md:5:1: error: [translation] on the original of the page (en, the default language): only translations carry a stamp: remove it, or, if this file is a translation, name its original's language with original_language = "…" in its front matter
i18n/ca.ftl:1:1: warning: UI string "custom-label" is missing: Català readers see it in English
i18n/ca.ftl:2:1: info: UI string "never-used" is not used by any template
i18n/en.ftl:3:1: info: UI string "never-used" is not used by any template
templates/custom.html:4:7: error: UI string "defined-nowhere" is defined in no i18n/*.ftl: pages would show the key itself (add it to i18n/en.ftl)
"###;
    assert_eq!(stdout, expected);
    assert_eq!(code, 1);
}

#[test]
fn check_json_lists_the_same_findings() {
    let site = copy_fixture("check");
    let (stdout, code) = check(site.path(), &["--json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let found = json["diagnostics"].as_array().unwrap();
    assert_eq!(found.len(), 24);
    let severities = |s: &str| found.iter().filter(|d| d["severity"] == s).count();
    assert_eq!((severities("error"), severities("warning"), severities("info")), (17, 4, 3));
    let first = &found[0];
    assert_eq!(first["path"], "content/_index.ca.md");
    assert_eq!((first["line"].as_u64(), first["column"].as_u64()), (Some(4), Some(23)));
}

#[test]
fn check_writes_nothing() {
    let site = copy_fixture("check");
    let before = common::files(site.path());
    check(site.path(), &[]);
    assert_eq!(common::files(site.path()), before);
}

#[test]
fn check_reports_the_workshop_tables_build_would_refuse() {
    let site = copy_fixture("workshop");
    let circle = site.path().join("content/training/circle.md");
    let text = std::fs::read_to_string(&circle).unwrap();
    std::fs::write(&circle, text.replace("duration = \"2h\"", "duration = \"2 hours\"")).unwrap();
    let opening = site.path().join("content/training/circle.ar.md");
    let text = std::fs::read_to_string(&opening).unwrap();
    std::fs::write(&opening, text.replace("\"closing.md\"]", "\"missing.md\"]")).unwrap();
    let (stdout, code) = check(site.path(), &[]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("content/training/circle.md:7:1: error: duration \"2 hours\" does not parse"), "{stdout}");
    assert!(stdout.contains("content/training/circle.ar.md:9:1: error:") && stdout.contains("missing.md"), "{stdout}");
    let build = infrared_in(site.path(), &["build"]);
    assert_eq!(build.status.code(), Some(1), "build refuses the same tables");
}

#[test]
fn templates_that_do_not_parse_are_reported_at_their_file_and_line() {
    let site = common::site_with(&[
        ("site.toml", common::TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n[gone](gone.md)\n"),
        ("templates/page.html", "<main>\n{% if %}{{ page.title }}{% endif %}\n</main>\n"),
        ("templates/section.html", "{% extends \"layout.html\" %}\n"),
        ("templates/partials/a.html", "{% import \"gone-macros.html\" as m %}\n\n{% include \"partials/b.html\" %}\n"),
        ("templates/loop-a.html", "{% extends \"loop-b.html\" %}"),
        ("templates/loop-b.html", "\n{% extends \"loop-a.html\" %}"),
    ]);
    let (stdout, code) = check(site.path(), &[]);
    assert_eq!(code, 1, "{stdout}");
    let expected = [
        "content/_index.md:4:1: error: no page content/gone.md",
        "templates/loop-a.html:1:1: error: `extends` goes round in a circle: loop-a.html → loop-b.html → loop-a.html",
        "templates/loop-b.html:2:1: error: `extends` goes round in a circle: loop-b.html → loop-a.html → loop-b.html",
        "templates/page.html:2:7: error: the template does not parse: expected",
        "templates/partials/a.html:1:1: error: `import` names template \"gone-macros.html\", which neither templates/ nor the theme has",
        "templates/partials/a.html:3:1: error: `include` names template \"partials/b.html\"",
        "templates/section.html:1:1: error: `extends` names template \"layout.html\"",
    ];
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{stdout}");
    for (line, expected) in lines.iter().zip(expected) {
        assert!(line.starts_with(expected), "{line}\nexpected: {expected}");
    }
    // build refuses the same templates, naming them the same way.
    let build = common::infrared_in(site.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert_eq!(build.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("templates/page.html:2:7: the template does not parse"), "{stderr}");
    assert!(stderr.contains("templates/section.html:1: `extends` names"), "{stderr}");
    assert!(!stderr.contains("(theme)"), "{stderr}");
}

#[test]
fn a_template_syntax_error_is_placed_at_its_column_not_column_1() {
    // The column counts characters: "Déjà" is four, six bytes.
    let site = common::site_with(&[
        ("site.toml", common::TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("templates/page.html", "<main>\n<p>Déjà vu: {% if %}{{ page.title }}{% endif %}</p>\n</main>\n"),
    ]);
    let at = "templates/page.html:2:19:";
    let (stdout, code) = check(site.path(), &[]);
    assert_eq!(code, 1, "{stdout}");
    let expected = format!("{at} error: the template does not parse: expected a value that can be negated (hint:");
    assert!(stdout.starts_with(&expected), "{stdout}");
    assert!(!stdout.contains("column"), "{stdout}");
    let json: serde_json::Value = serde_json::from_str(&check(site.path(), &["--json"]).0).unwrap();
    let found = &json["diagnostics"][0];
    assert_eq!((found["line"].as_u64(), found["column"].as_u64()), (Some(2), Some(19)), "{json}");
    // build places it the same way.
    let build = common::infrared_in(site.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert_eq!(build.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("{at} the template does not parse: expected")), "{stderr}");
}

#[test]
fn a_slug_collision_is_listed_with_the_other_findings() {
    let site = common::site_with(&[
        ("site.toml", common::TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n[gone](gone.md)\n"),
        ("content/a.md", "+++\ntitle = \"A\"\n+++\nA.\n"),
        ("content/b.md", "+++\ntitle = \"B\"\nslug = \"a\"\n+++\nB.\n"),
    ]);
    let (stdout, code) = check(site.path(), &[]);
    assert_eq!(code, 1, "{stdout}");
    assert_eq!(
        stdout,
        "content/_index.md:4:1: error: no page content/gone.md (link to \"gone.md\")\n\
         content/b.md:3:1: error: this page and content/a.md would both be written to /<lang>/a/ \
         (hint: change the slug or the file name of one of them)\n"
    );
    let (json, code) = check(site.path(), &["--json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let found = json["diagnostics"].as_array().unwrap();
    assert_eq!(found.len(), 2, "{json}");
    assert_eq!((found[1]["path"].as_str(), found[1]["line"].as_u64()), (Some("content/b.md"), Some(3)));
}

#[test]
fn check_reports_pages_on_addresses_the_build_uses_at_the_writers_files() {
    let site = common::site_with(&[
        ("site.toml", common::TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("content/search.md", "+++\ntitle = \"Search tips\"\n+++\nTips.\n"),
        ("content/translations.md", "+++\ntitle = \"Translations\"\n+++\nWho translates.\n"),
        ("content/tags/privacy.md", "+++\ntitle = \"Privacy\"\n+++\nA page.\n"),
        ("content/b.md", "+++\ntitle = \"B\"\ntags = [\"privacy\"]\n+++\nB.\n"),
        ("content/a.md", "+++\ntitle = \"A\"\naliases = [\n  \"/old-a/\",\n  \"/en/b/\",\n]\n+++\nA.\n"),
        ("static/en/b/index.html", "<p>in the way</p>"),
        ("static/robots.txt", "User-agent: *\n"),
    ]);
    let (stdout, code) = check(site.path(), &[]);
    assert_eq!(code, 1, "{stdout}");
    let expected = [
        "content/a.md:5:1: error: the alias \"/en/b/\" of this page, static/en/b/index.html and content/b.md would all be written to /en/b/ (hint: remove the alias",
        "content/search.md:1:1: error: this page and the search page would both be written to /<lang>/search/ (hint: rename the file",
        "content/tags:1:1: error: the section page of this folder and the list of tags would both be written to /<lang>/tags/ (hint: rename the section's folder)",
        "content/tags/privacy.md:1:1: error: this page and the tags page of \"privacy\" would both be written to /en/tags/privacy/ (hint: rename the file",
        "content/translations.md:1:1: error: this page and the translations status page would both be written to /<lang>/translations/",
        "static/en/b/index.html:1:1: error: this file, the alias \"/en/b/\" of content/a.md and content/b.md would all be written to /en/b/ (hint: move or rename the static file)",
        "static/robots.txt:1:1: error: this file and the robots.txt the build writes would both be written to /robots.txt",
    ];
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{stdout}");
    for (line, expected) in lines.iter().zip(expected) {
        assert!(line.starts_with(expected), "{line}\nexpected: {expected}");
    }
}

#[test]
fn warnings_fail_check_only_when_asked() {
    let site = common::site_with(&[
        ("site.toml", common::TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n##\n\nText.\n"),
    ]);
    let (stdout, code) = check(site.path(), &[]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("content/_index.md:4:1: warning: heading without text"), "{stdout}");
    assert_eq!(check(site.path(), &["--warnings-as-errors"]).1, 1);
}

#[test]
fn the_repo_content_passes_check_strictly() {
    let output = infrared_in(&repo_root(), &["check", "--warnings-as-errors"]);
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The repo's `i18n/` holds the built-in strings: each is used by a
/// template or by the code, so `check` calls none unused. The agenda's
/// "The modules add up to …" (`pack-modules-add-up`), which the code
/// passes to a helper, was called unused in all six languages.
#[test]
fn check_calls_no_built_in_ui_string_unused() {
    let (stdout, _) = check(&repo_root(), &[]);
    let unused: Vec<&str> = stdout.lines().filter(|l| l.contains("is not used by any template")).collect();
    assert!(unused.is_empty(), "{unused:#?}");
}

#[test]
fn check_reports_files_on_the_addresses_of_the_service_workers_files() {
    let site = common::site_with(&[
        ("site.toml", common::TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("content/manifest.webmanifest", "{}"),
        ("static/sw.js", "// mine\n"),
    ]);
    let (stdout, code) = check(site.path(), &[]);
    assert_eq!(code, 1, "{stdout}");
    let expected = [
        "content/manifest.webmanifest:1:1: error: this file and the web app manifest would both be written to /<lang>/manifest.webmanifest (hint: move or rename the file)",
        "static/sw.js:1:1: error: this file and the service worker would both be written to /sw.js (hint: move or rename the static file)",
    ];
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines, expected, "{stdout}");
}

#[test]
fn a_link_whose_address_holds_spaces_is_reported_with_how_to_write_it() {
    let site = common::site_with(&[
        ("site.toml", common::TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("content/My Notes/first page.md", "+++\ntitle = \"First\"\n+++\nFirst.\n"),
        (
            "content/links.md",
            "+++\ntitle = \"Links\"\n+++\nRead [the first page](My Notes/first page.md).\n\n\
             These work: [escaped](My%20Notes/first%20page.md), [wrapped](<My Notes/first page.md>).\n\n\
             Prose [in brackets](and in parentheses) is left alone.\n",
        ),
    ]);
    let (stdout, code) = check(site.path(), &[]);
    assert_eq!(code, 0, "a warning: {stdout}");
    let found: Vec<&str> = stdout.lines().filter(|l| l.starts_with("content/links.md")).collect();
    assert_eq!(
        found,
        ["content/links.md:4:6: warning: \"[the first page](My Notes/first page.md)\" is not a link: an address \
          cannot hold spaces, so readers see the brackets; write My%20Notes/first%20page.md or <My Notes/first page.md>"],
        "{stdout}"
    );
}

#[test]
fn a_link_to_a_draft_or_to_a_file_that_cannot_be_read_says_so_not_no_page() {
    let site = common::site_with(&[
        ("site.toml", common::TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nSee [the plan](plan.md) and [the post](post.md).\n"),
        ("content/plan.md", "+++\ntitle = \"Plan\"\ndraft = true\n+++\nNot yet.\n"),
        ("content/post.md", "+++\ntitle = \"Post\"\nweight = \"heavy\"\n+++\nText.\n"),
    ]);
    let (stdout, code) = check(site.path(), &[]);
    assert_eq!(code, 1, "{stdout}");
    let home: Vec<&str> = stdout.lines().filter(|l| l.starts_with("content/_index.md")).collect();
    assert_eq!(
        home,
        [
            "content/_index.md:4:5: error: content/plan.md is a draft, so readers get no page there (publish it or \
             link elsewhere) (link to \"plan.md\")",
            "content/_index.md:4:29: error: content/post.md could not be read, so it makes no page (see its own \
             error) (link to \"post.md\")",
        ],
        "{stdout}"
    );
    assert!(stdout.contains("content/post.md:3:1: error: weight must be a whole number"), "{stdout}");
    // With drafts, the draft is a page like any other.
    let (stdout, _) = check(site.path(), &["--drafts"]);
    assert!(!stdout.contains("plan.md"), "{stdout}");
}

#[test]
fn a_heading_that_skips_a_level_is_a_note_at_its_line() {
    let site = common::site_with(&[
        ("site.toml", common::TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        (
            "content/steps.md",
            "+++\ntitle = \"Steps\"\n+++\n### Too deep\n\n## Right\n\n### Fine\n\n##### Skips two\n\n## Back up\n\n```\n#### in code\n```\n",
        ),
    ]);
    let (stdout, code) = check(site.path(), &["--warnings-as-errors"]);
    assert_eq!(code, 0, "notes, not warnings: {stdout}");
    let found: Vec<&str> = stdout.lines().filter(|l| l.starts_with("content/steps.md")).collect();
    assert_eq!(
        found,
        [
            "content/steps.md:4:1: info: a level-3 heading follows level 1: readers who move through a page by its \
             headings find a level missing (write ## here, or the heading it belongs under)",
            "content/steps.md:10:1: info: a level-5 heading follows level 3: readers who move through a page by its \
             headings find a level missing (write #### here, or the heading it belongs under)",
        ],
        "{stdout}"
    );
}

/// A hint's example is written in the front matter's own syntax: content
/// moved in from Hugo or Jekyll is YAML, where `weight = 10` is no field.
#[test]
fn a_front_matter_hint_is_written_in_the_files_syntax() {
    let site = copy_fixture("check");
    std::fs::write(site.path().join("content/yaml-weight.md"), "---\ntitle: Heavy\nweight: heavy\n---\nText.\n")
        .unwrap();
    let (stdout, code) = check(site.path(), &[]);
    assert!(
        stdout.contains(
            "content/yaml-weight.md:3:1: error: weight must be a whole number, found text (hint: write a whole number, e.g. weight: 10)"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("content/bad-weight.md:3:1: error: weight must be a whole number, found text (hint: write a whole number, e.g. weight = 10)"), "{stdout}");
    assert_eq!(code, 1);
}
