//! Content moved in unchanged from Zola, Hugo and Jekyll sites, through the
//! real binary: their link syntax, date formats and leftover template tags.

mod common;

use common::{build_ok, content_links, infrared, site_with};

const SITE_TOML: &str = "title = \"Imported\"\ndefault_language = \"en\"\n\
    [languages.en]\nname = \"English\"\n[languages.es]\nname = \"Español\"\n";

/// `infrared check`'s exit status and everything it printed.
fn check(root: &std::path::Path) -> (bool, String) {
    let output = infrared(&["check", "--root", root.to_str().unwrap()]);
    let all = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), all)
}

#[test]
fn zola_internal_links_lead_to_the_page_in_the_readers_language() {
    let root = site_with(&[
        ("site.toml", SITE_TOML),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("content/guides/_index.md", "+++\ntitle = \"Guides\"\n+++\n"),
        ("content/guides/mirroring.md", "+++\ntitle = \"Mirroring\"\n+++\n## Copying with rsync {#rsync}\n\nText.\n"),
        ("content/guides/mirroring.es.md", "+++\ntitle = \"Réplicas\"\n+++\n## Copiar {#rsync}\n\nTexto.\n"),
        (
            "content/blog/post.md",
            "+++\ntitle = \"Post\"\n+++\nSee [mirrors](@/guides/mirroring.md), [rsync](@/guides/mirroring.md#rsync) \
             and [the guides](@/guides/_index.md).\n",
        ),
    ]);
    let (ok, all) = check(root.path());
    assert!(ok && !all.contains("blog/post.md"), "{all}");
    let site = build_ok(root.path(), &["--strict"]);
    let expected = ["../../guides/mirroring/", "../../guides/mirroring/#rsync", "../../guides/"];
    assert_eq!(content_links(&site.read("en/blog/post/index.html")), expected);
    // Spanish readers get the fallback of the post, linking the Spanish guide.
    assert_eq!(content_links(&site.read("es/blog/post/index.html")), expected);
    assert!(site.read("es/guides/mirroring/index.html").contains("Copiar"));
}

#[test]
fn a_zola_link_to_a_missing_page_names_the_file_it_looked_for() {
    let root = site_with(&[
        ("site.toml", SITE_TOML),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nSee [gone](@/guides/gone.md).\n"),
    ]);
    let (ok, all) = check(root.path());
    assert!(!ok, "{all}");
    assert!(all.contains("content/_index.md:4:5: error: no page content/guides/gone.md"), "{all}");
}

#[test]
fn jekyll_dates_with_a_space_before_the_offset_are_read() {
    let root = site_with(&[
        ("site.toml", SITE_TOML),
        ("content/_index.md", "---\ntitle: Home\n---\nSee [the post](posts/welcome.md).\n"),
        (
            "content/posts/welcome.md",
            "---\nlayout: post\ntitle: Welcome\ndate: 2023-01-02 10:00:00 +0100\nupdated: 2023-02-03 08:30:00 -0530\n---\nHello.\n",
        ),
    ]);
    let (ok, all) = check(root.path());
    assert!(ok, "{all}");
    let site = build_ok(root.path(), &["--strict"]);
    assert!(site.read("en/posts/welcome/index.html").contains("2023-01-02"));
    let feed = site.read("en/atom.xml");
    assert!(feed.contains("<published>2023-01-02T10:00:00+01:00</published>"), "{feed}");
    assert!(feed.contains("<updated>2023-02-03T08:30:00-05:30</updated>"), "{feed}");
}

#[test]
fn template_tags_left_in_the_text_are_reported_where_they_are() {
    let page = "---\ntitle: Moved\n---\nIntro.\n\n{{< figure src=\"map.png\" title=\"Map\" >}}\n\n\
                Read [the guide]({{< ref \"guide.md\" >}}) first.\n\n{% include note.html %}\n\n\
                {{ youtube(id=\"abc\") }}\n\nAs code: `{{< ref \"guide.md\" >}}`.\n\n\
                ```\n{% raw %}{{ page.title }}{% endraw %}\n```\n\n\
                ```facilitator\nShow {{< youtube abc >}} here.\n```\n";
    let root = site_with(&[
        ("site.toml", SITE_TOML),
        ("content/_index.md", "---\ntitle: Home\n---\nHome.\n"),
        ("content/moved.md", page),
    ]);
    let (ok, all) = check(root.path());
    assert!(ok, "warnings only: {all}");
    let found: Vec<&str> = all.lines().filter(|l| l.contains("content/moved.md:")).collect();
    let at: Vec<&str> = found.iter().map(|l| l.split("content/").nth(1).unwrap().split(": ").next().unwrap()).collect();
    assert_eq!(at, ["moved.md:6:1", "moved.md:8:18", "moved.md:10:1", "moved.md:12:1", "moved.md:21:6"], "{all}");
    assert!(
        found[0].contains("\"{{< figure src=\"map.png\" title=\"Map\" >}}\" is a Hugo shortcode left in the text"),
        "{all}"
    );
    assert!(found[2].contains("Jekyll's Liquid"), "{all}");
    let strict = infrared(&["check", "--warnings-as-errors", "--root", root.path().to_str().unwrap()]);
    assert!(!strict.status.success());
}

#[test]
fn an_old_address_ending_in_html_answers_at_that_file() {
    let root = site_with(&[
        ("site.toml", SITE_TOML),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        (
            "content/first.md",
            "---\ntitle: First\naliases: [/2023/01/02/first.html, /old/first/, /about/index.html]\n---\nText.\n",
        ),
    ]);
    let built = build_ok(root.path(), &[]);
    // Jekyll's and Hugo's "ugly URLs" end in a file name: that file answers.
    for (file, target) in
        [("en/2023/01/02/first.html", "../../../first/"), ("es/2023/01/02/first.html", "../../../first/")]
    {
        let html = built.read(file);
        assert!(html.contains(&format!("<meta http-equiv=\"refresh\" content=\"0; url={target}\">")), "{file}: {html}");
    }
    assert!(!built.out.join("en/2023/01/02/first").exists(), "no folder in place of the old file");
    // Other addresses name folders, as before.
    assert!(built.read("en/old/first/index.html").contains("url=../../first/"));
    assert!(built.read("en/about/index.html").contains("url=../first/"));
    let redirects = built.read("_redirects");
    for line in [
        "/en/2023/01/02/first.html  /en/first/  301!",
        "/es/2023/01/02/first.html  /es/first/  301!",
        "/en/old/first  /en/first/  301!",
        "/en/about  /en/first/  301!",
    ] {
        assert!(redirects.lines().any(|l| l == line), "{line} in:\n{redirects}");
    }
}

/// A site moved in from a tool without language folders: its pages' old
/// addresses were at the root (`/guides/x/`), and aliases naming them
/// must answer there, not only below each language's folder.
fn moved_in_site() -> tempfile::TempDir {
    site_with(&[
        ("site.toml", SITE_TOML),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        (
            "content/guides/moved.md",
            "---\ntitle: Moved\naliases:\n  - /guides/x/\n  - /2023/01/02/first.html\n  - /es/viejo/\n---\nText.\n",
        ),
        ("content/guides/moved.es.md", "---\ntitle: Movida\n---\nTexto.\n"),
        // Written in Spanish only: its old address leads to the Spanish page.
        ("content/notas.es.md", "+++\ntitle = \"Notas\"\naliases = [\"notas-viejas\"]\n+++\nNotas.\n"),
    ])
}

/// Regression: aliases were written below each language's folder only, so
/// `/guides/x/` of a site moved in reached the root 404 page.
#[test]
fn an_alias_outside_every_language_folder_also_answers_at_the_root() {
    let root = moved_in_site();
    let (ok, all) = check(root.path());
    assert!(ok, "{all}");
    let built = build_ok(root.path(), &["--strict"]);
    for (file, lang, target) in [
        ("guides/x/index.html", "en", "../../en/guides/moved/"),
        ("2023/01/02/first.html", "en", "../../../en/guides/moved/"),
        ("notas-viejas/index.html", "es", "../es/notas/"),
    ] {
        let html = built.read(file);
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{file}: {html}");
        assert!(html.contains(&format!("<meta http-equiv=\"refresh\" content=\"0; url={target}\">")), "{file}: {html}");
        assert!(html.contains(&format!("<a href=\"{target}\">")), "{file}: {html}");
    }
    // The language folders keep theirs; one naming a language's folder stays there.
    assert!(built.read("es/guides/x/index.html").contains("url=../moved/"));
    assert!(built.read("es/viejo/index.html").contains("url=../guides/moved/"));
    assert!(!built.exists("viejo/index.html"));
    // Regression: it was written below every other language's folder too (`/en/es/viejo/`).
    assert!(!built.exists("en/es/viejo/index.html"));
    let redirects = built.read("_redirects");
    for line in [
        "/guides/x  /en/guides/moved/  301!",
        "/2023/01/02/first.html  /en/guides/moved/  301!",
        "/notas-viejas  /es/notas/  301!",
        "/es/guides/x  /es/guides/moved/  301!",
    ] {
        assert!(redirects.lines().any(|l| l == line), "{line} in:\n{redirects}");
    }
    assert!(!redirects.contains("/en/es/viejo"), "{redirects}");
    assert!(common::broken_internal_links(&built.out, false, true).is_empty());
    // Built for file://, the redirects name the page's index.html.
    let offline = build_ok(root.path(), &["--offline"]);
    assert!(offline.read("guides/x/index.html").contains("url=../../en/guides/moved/index.html"));
    assert!(offline.read("notas-viejas/index.html").contains("url=../es/notas/index.html"));
    let broken = common::broken_internal_links(&offline.out, true, true);
    assert!(broken.is_empty(), "{broken:#?}");
}

/// A root alias on an address something else writes is refused at the
/// alias's line, as every other collision is.
#[test]
fn a_root_alias_on_a_taken_address_is_an_error_at_its_line() {
    let root = site_with(&[
        ("site.toml", SITE_TOML),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("content/a.md", "+++\ntitle = \"A\"\naliases = [\"/old/\", \"/404.html\", \"/es/\"]\n+++\nA.\n"),
        ("content/b.md", "---\ntitle: B\naliases:\n  - /\n---\nB.\n"),
        ("static/old/index.html", "<p>an old page kept as it was</p>"),
    ]);
    let (ok, all) = check(root.path());
    assert!(!ok, "{all}");
    for says in [
        "content/a.md:3:1: error: the alias \"/old/\" of this page and static/old/index.html would both be written \
         to /old/ (hint: remove the alias, or change it to an address nothing else uses)",
        "content/a.md:3:1: error: the alias \"/404.html\" of this page and the 404 page",
        "content/b.md:4:1: error: the alias \"/\" of this page and the language chooser would both be written to /",
        // A language's home: regression, it was written to /es/es/ (and /en/es/).
        "content/a.md:3:1: error: the alias \"/es/\" of this page, the alias \"/\" of content/b.md and \
         content/_index.md would all be written to /es/",
    ] {
        assert!(all.contains(says), "{says}\nin:\n{all}");
    }
    let built = common::build(root.path(), &[]);
    assert!(!built.success);
    assert!(
        built.stderr.contains("content/b.md:4: the alias \"/\" of this page and the language chooser"),
        "{}",
        built.stderr
    );
}

/// `root_redirects = true`: the site moved in had its pages at the root.
fn root_redirects_site(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let config = format!("root_redirects = true\n{SITE_TOML}");
    let mut files = vec![
        ("site.toml", config.as_str()),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("content/guides/_index.md", "+++\ntitle = \"Guides\"\n+++\n"),
        ("content/guides/x.md", "---\ntitle: X\n---\nText.\n"),
        ("content/guides/x.es.md", "---\ntitle: Equis\n---\nTexto.\n"),
        ("content/notas.es.md", "+++\ntitle = \"Notas\"\n+++\nNotas.\n"),
    ];
    files.extend_from_slice(extra);
    site_with(&files)
}

#[test]
fn with_root_redirects_every_pages_old_address_at_the_root_answers() {
    let root = root_redirects_site(&[]);
    let (ok, all) = check(root.path());
    assert!(ok, "{all}");
    let built = build_ok(root.path(), &["--strict"]);
    for (file, lang, target) in [
        ("guides/x/index.html", "en", "../../en/guides/x/"),
        ("guides/index.html", "en", "../en/guides/"),
        ("notas/index.html", "es", "../es/notas/"),
    ] {
        let html = built.read(file);
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{file}: {html}");
        assert!(html.contains(&format!("<meta http-equiv=\"refresh\" content=\"0; url={target}\">")), "{file}: {html}");
    }
    assert!(!built.read("index.html").contains("http-equiv=\"refresh\""), "the root stays the language chooser");
    let redirects = built.read("_redirects");
    for line in ["/guides/x  /en/guides/x/  301!", "/guides  /en/guides/  301!", "/notas  /es/notas/  301!"] {
        assert!(redirects.lines().any(|l| l == line), "{line} in:\n{redirects}");
    }
    let offline = build_ok(root.path(), &["--offline"]);
    assert!(offline.read("guides/x/index.html").contains("url=../../en/guides/x/index.html"));
    let broken = common::broken_internal_links(&offline.out, true, true);
    assert!(broken.is_empty(), "{broken:#?}");
    // Off by default: no language owns the root.
    let plain = site_with(&[
        ("site.toml", SITE_TOML),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        ("content/guides/x.md", "---\ntitle: X\n---\nText.\n"),
    ]);
    assert!(!build_ok(plain.path(), &[]).exists("guides/x/index.html"));
}

#[test]
fn a_root_redirect_on_a_taken_address_is_an_error_at_the_page() {
    let root = root_redirects_site(&[
        ("content/x.md", "+++\ntitle = \"X\"\n+++\nX.\n"),
        ("content/en/x.md", "+++\ntitle = \"Old English X\"\n+++\nX.\n"),
        ("static/guides/x/index.html", "<p>the old page, kept</p>"),
    ]);
    let (ok, all) = check(root.path());
    assert!(!ok, "{all}");
    for says in [
        "content/en/x.md:1:1: error: the redirect from this page's address at the root (root_redirects) and \
         content/x.md would both be written to /en/x/ (hint: rename the file, give the page a `slug` that nothing \
         else uses, or set root_redirects = false in site.toml)",
        "content/guides/x.md:1:1: error: the redirect from this page's address at the root (root_redirects) and \
         static/guides/x/index.html would both be written to /guides/x/",
    ] {
        assert!(all.contains(says), "{says}\nin:\n{all}");
    }
    assert!(!common::build(root.path(), &[]).success);
}
