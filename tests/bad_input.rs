//! Bad input gets a clear error naming the file (and line), a non-zero exit,
//! and the previous output stays exactly as it was.

mod common;

use common::{infrared, site_with, TWO_LANGUAGES};
use std::path::Path;

const HOME: (&str, &str) = ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n");

/// Builds `root` over an existing output folder; returns stderr after
/// checking the build failed and the old output survived.
fn fails_keeping_output(root: &Path) -> String {
    let out = root.join("public");
    std::fs::create_dir_all(out.join("en")).unwrap();
    std::fs::write(out.join("en/index.html"), "previous build").unwrap();
    // A previous build's folder, which the build may replace once it succeeds.
    std::fs::write(out.join(".infrared-output"), "written by infrared").unwrap();
    let output = infrared(&["build", "--root", root.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!output.status.success(), "build should fail:\n{stderr}");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(out.join("en/index.html")).unwrap(), "previous build", "{stderr}");
    let leftovers: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left behind: {leftovers:?}");
    stderr
}

#[test]
fn malformed_toml_front_matter_names_file_and_line() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "+++\ntitle = \"A\"\ndate = 2026-02-30\n+++\n"),
    ]);
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("content/a.md:3:"), "{stderr}");
}

#[test]
fn malformed_yaml_front_matter_names_file_and_line() {
    let site =
        site_with(&[("site.toml", TWO_LANGUAGES), HOME, ("content/a.md", "---\ntitle: A\ntags: [unclosed\n---\n")]);
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("content/a.md:") && stderr.contains("YAML"), "{stderr}");
}

#[test]
fn unknown_language_suffix_says_how_to_fix_it() {
    let site = site_with(&[("site.toml", TWO_LANGUAGES), HOME, ("content/a.oc.md", "+++\ntitle = \"A\"\n+++\n")]);
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("content/a.oc.md") && stderr.contains("\"oc\" is not a configured language"), "{stderr}");
    assert!(stderr.contains("[languages.oc]"), "{stderr}");
}

#[test]
fn unknown_template_names_the_line_that_asks_for_it() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "+++\ntitle = \"A\"\ntemplate = \"fancy.html\"\n+++\n"),
    ]);
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("content/a.md:3: template \"fancy.html\" does not exist"), "{stderr}");
}

#[test]
fn template_syntax_error_names_the_template_file_and_line() {
    let site = site_with(&[("site.toml", TWO_LANGUAGES), HOME, ("templates/page.html", "<main>\n\n{% if %}broken")]);
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("templates/page.html:3:7: the template does not parse"), "{stderr}");
    assert!(!stderr.contains("(theme)"), "{stderr}");
}

#[test]
fn a_theme_template_that_does_not_parse_is_named_in_the_theme() {
    let site = site_with(&[("site.toml", TWO_LANGUAGES), HOME]);
    // A copy of the default theme with one broken partial.
    let theme = site.path().join("themes/broken");
    let default = common::repo_root().join("themes/default");
    for file in common::files(&default) {
        std::fs::create_dir_all(theme.join(&file).parent().unwrap()).unwrap();
        std::fs::copy(default.join(&file), theme.join(&file)).unwrap();
    }
    std::fs::write(theme.join("templates/extra.html"), "<p>{{ title | }}</p>\n").unwrap();
    let toml = format!("theme = \"broken\"\n{TWO_LANGUAGES}");
    std::fs::write(site.path().join("site.toml"), toml).unwrap();
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("themes/broken/templates/extra.html:1:15: the template does not parse"), "{stderr}");
}

#[test]
fn template_render_error_names_the_template_and_page() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "+++\ntitle = \"A\"\n+++\n"),
        ("templates/page.html", "{{ no_such_variable.field }}"),
    ]);
    let stderr = fails_keeping_output(site.path());
    assert!(
        stderr.contains("page.html") && stderr.contains("no_such_variable") && stderr.contains("(while rendering /en/"),
        "{stderr}"
    );
    // The home's index.html extends page.html: Tera names the first.
    assert!(stderr.contains("templates/page.html:1:4: Variable `no_such_variable.field` not found"), "{stderr}");
}

/// A page template including a partial, both the site's own.
const PAGE_WITH_BANNER: (&str, &str) = (
    "templates/page.html",
    "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n{% include \"partials/banner.html\" %}\n{% endblock content %}\n",
);

/// The site's own templates with `banner` as `partials/banner.html`.
fn site_with_banner(banner: &str) -> tempfile::TempDir {
    site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "+++\ntitle = \"A\"\n+++\n"),
        PAGE_WITH_BANNER,
        ("templates/partials/banner.html", banner),
    ])
}

/// Tera says only "expected tag or some content" at the end of the file.
#[test]
fn a_tag_left_open_is_named_at_the_line_opening_it() {
    let site = site_with_banner("<div class=\"banner\">\n  {% if page.draft %}<p>Draft</p>\n</div>\n");
    let stderr = fails_keeping_output(site.path());
    assert!(
        stderr.contains("templates/partials/banner.html:2:3: `{% if %}` is never closed: the template ends first"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: add `{% endif %}` where it should end"), "{stderr}");
}

/// Tera lends a template the macro namespaces its parent imports, and a
/// partial included in a block those of the block's template: calling
/// them is no unknown macro (the check once said so).
#[test]
fn macros_imported_by_the_parent_template_are_known_to_the_child() {
    let base = std::fs::read_to_string(common::repo_root().join("themes/default/templates/base.html")).unwrap();
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "+++\ntitle = \"A\"\n+++\n"),
        ("templates/coop_macros.html", "{% macro hi(name) %}<b>hi {{ name }}</b>{% endmacro hi %}"),
        ("templates/base.html", &format!("{{% import \"coop_macros.html\" as coop %}}\n{base}")),
        (
            "templates/page.html",
            "{% extends \"base.html\" %}{% block content %}{{ coop::hi(name=page.title) }}\
             {% include \"partials/p.html\" %}{% endblock content %}",
        ),
        // In a block, a partial calls what the block's template has.
        ("templates/partials/p.html", "{{ coop::hi(name=\"partial\") }}"),
    ]);
    let built = infrared(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let page = std::fs::read_to_string(site.path().join("public/en/a/index.html")).unwrap();
    assert!(page.contains("<b>hi A</b>") && page.contains("<b>hi partial</b>"), "{page}");
}

/// Tera looks a filter, function, test or macro up only when a page's
/// rendering reaches the call, and then names neither file nor line.
#[test]
fn a_filter_function_test_or_macro_that_does_not_exist_is_named_at_its_call() {
    let banner = "<div class=\"banner\">\n  {{ page.title | shout }}\n  {% if page.draft %}{{ nope() }}{% endif %}\n  {% if page.title is prime %}3{% endif %}{{ m::crumbs() }}\n</div>\n";
    let site = site_with_banner(banner);
    let stderr = fails_keeping_output(site.path());
    let check = infrared(&["check", "--root", site.path().to_str().unwrap()]);
    let checked = String::from_utf8_lossy(&check.stdout).into_owned() + &String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "{checked}");
    for expected in [
        "templates/partials/banner.html:2:19: there is no filter `shout`",
        "templates/partials/banner.html:3:25: there is no function `nope()`",
        "templates/partials/banner.html:4:23: there is no test `is prime`",
        "templates/partials/banner.html:4:46: `m::crumbs` names `m`, which no `import … as m` defines",
    ] {
        assert!(stderr.contains(expected), "build: {expected}\n{stderr}");
        let (place, message) = expected.split_once(": ").unwrap();
        assert!(checked.contains(&format!("{place}: error: {message}")), "check: {expected}\n{checked}");
    }
}

/// Tera names the template an undefined variable is read in, not the
/// line: the error cites the line and column that failed.
#[test]
fn an_undefined_variable_in_a_partial_is_named_at_the_line_naming_it() {
    let site = site_with_banner("<div class=\"banner\">\n\n  <p>{{ page.autor }}</p>\n</div>\n");
    let stderr = fails_keeping_output(site.path());
    assert!(
        stderr.contains("templates/partials/banner.html:3:9: Variable `page.autor` not found in context (while rendering /en/a/ through page.html)\n"),
        "{stderr}"
    );
    assert!(!stderr.contains("Tera gives no line"), "{stderr}");
    assert!(stderr.contains("default(value="), "the hint says how to make it optional: {stderr}");
}

/// Lines before the one that fails name the same variable, tested or
/// given a default: the error is at the one that failed, not the first.
#[test]
fn an_undefined_variable_is_named_at_the_line_that_failed_not_the_first_naming_it() {
    let site = site_with_banner(
        "<div class=\"banner\">\n  {% if page.autor %}<p>{{ page.autor }}</p>{% endif %}\n  \
         <p>{{ page.autor | default(value=\"\") }}</p>{% if not page.autor %}-{% endif %}\n  <p>{{ page.autor }}</p>\n</div>\n",
    );
    let stderr = fails_keeping_output(site.path());
    assert!(
        stderr.contains("templates/partials/banner.html:4:9: Variable `page.autor` not found in context (while rendering /en/a/ through page.html)\n"),
        "{stderr}"
    );
    assert!(!stderr.contains("Tera gives no line"), "{stderr}");
}

/// The same filter works on one line and fails on a later one.
#[test]
fn a_failing_filter_is_named_at_the_call_that_failed_not_the_first_naming_it() {
    let site = site_with_banner(
        "<div class=\"banner\">\n  <p>{{ [\"a\", \"b\"] | join(sep=\", \") }}</p>\n  <p>{{ page.title | join(sep=\", \") }}</p>\n</div>\n",
    );
    let stderr = fails_keeping_output(site.path());
    assert!(
        stderr.contains("templates/partials/banner.html:3:22: Filter call 'join' failed: Filter `join` was called on an incorrect value"),
        "{stderr}"
    );
    assert!(!stderr.contains("Tera gives no line"), "{stderr}");
}

/// A missing value read in a `~` join, whose parts take no filter.
#[test]
fn an_undefined_variable_joined_with_tilde_is_named_at_the_line_that_failed() {
    let site = site_with_banner(
        "<div class=\"banner\">\n  {% if page.autor %}{{ \"by \" ~ page.autor }}{% endif %}\n  <p>{{ \"by \" ~ page.autor ~ \".\" }}</p>\n</div>\n",
    );
    let stderr = fails_keeping_output(site.path());
    assert!(
        stderr.contains("templates/partials/banner.html:3:17: Variable `page.autor` not found in context (while rendering /en/a/ through page.html)\n"),
        "{stderr}"
    );
}

/// What fails other than a missing value or a call (a string in a sum)
/// is still placed at the first line naming it, and said to be a guess.
#[test]
fn a_render_error_that_cannot_be_pinned_is_placed_at_the_first_line_naming_it_as_a_guess() {
    let site =
        site_with_banner("<div class=\"banner\">\n  <p>{{ page.title }}</p>\n  <p>{{ page.title + 1 }}</p>\n</div>\n");
    let stderr = fails_keeping_output(site.path());
    assert!(
        stderr.contains("templates/partials/banner.html:2: Variable `page.title` was used in a math operation"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Tera gives no line: line 2 is the first naming `page.title` (line 3 names it too)"),
        "{stderr}"
    );
}

/// A call failing in an include: Tera names only the page's template.
#[test]
fn a_call_failing_in_an_include_is_named_at_the_include() {
    let site = site_with_banner("<div class=\"banner\">\n  <p>{{ page.title | join(sep=\", \") }}</p>\n</div>\n");
    let stderr = fails_keeping_output(site.path());
    assert!(
        stderr.contains("templates/partials/banner.html:2:22: Filter call 'join' failed: Filter `join` was called on an incorrect value"),
        "{stderr}"
    );
    assert!(stderr.contains("(while rendering /en/a/ through page.html)\n"), "{stderr}");
}

/// `t()` without `lang` would fail only on the pages reaching it.
#[test]
fn a_ui_string_function_without_its_arguments_is_named_at_its_call() {
    let site = site_with_banner(
        "<div class=\"banner\">\n  <p{{ t_lang(key=\"site-footer\") }}>{{ t(key=\"site-footer\") }}</p>\n</div>\n",
    );
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("templates/partials/banner.html:2:8: `t_lang()` needs `lang=`"), "{stderr}");
    assert!(stderr.contains("templates/partials/banner.html:2:40: `t()` needs `lang=`"), "{stderr}");
    assert!(stderr.contains("add `lang=lang_code`"), "{stderr}");
}

/// `page` in `base.html`: fine on pages, undefined on the tag, search and
/// 404 pages extending it too. Tera names the child template, not base.html.
#[test]
fn a_page_value_read_by_base_html_is_named_there_with_how_to_test_for_it() {
    let base = std::fs::read_to_string(common::repo_root().join("themes/default/templates/base.html")).unwrap();
    let broken = base.replacen("<body>", "<body data-kind=\"{{ page.kind }}\">", 1);
    let line = broken.lines().position(|l| l.contains("page.kind")).unwrap() + 1;
    let site = site_with(&[("site.toml", TWO_LANGUAGES), HOME, ("templates/base.html", &broken)]);
    let stderr = fails_keeping_output(site.path());
    let column = broken.lines().nth(line - 1).unwrap().find("page.kind").unwrap() + 1;
    assert!(
        stderr.contains(&format!("templates/base.html:{line}:{column}: Variable `page.kind` not found in context")),
        "{stderr}"
    );
    assert!(stderr.contains("`page` is given to pages only"), "{stderr}");
    assert!(stderr.contains("`{% if page %}…{% endif %}`"), "{stderr}");
}

/// A `t()` key no `.ftl` defines shows on the pages as the key itself:
/// `build` publishes, but says where the key is asked for; `--strict` fails.
#[test]
fn a_ui_string_defined_nowhere_is_a_build_warning_at_its_call() {
    let site =
        site_with_banner("<div class=\"banner\">\n  <p>{{ t(key=\"coop-tagline\", lang=lang_code) }}</p>\n</div>\n");
    let root = site.path().to_str().unwrap();
    let built = infrared(&["build", "--root", root]);
    let stderr = String::from_utf8_lossy(&built.stderr).into_owned();
    assert!(built.status.success(), "{stderr}");
    assert!(
        stderr.contains("templates/partials/banner.html:2:9: warning: UI string \"coop-tagline\" is defined in no i18n/*.ftl: pages would show the key itself (add it to i18n/en.ftl)"),
        "{stderr}"
    );
    assert!(stderr.contains("1 warning"), "{stderr}");
    let page = std::fs::read_to_string(site.path().join("public/en/a/index.html")).unwrap();
    assert!(page.contains("<p>coop-tagline</p>"), "the key itself, as the warning says");
    let strict = infrared(&["build", "--strict", "--root", root]);
    assert_eq!(strict.status.code(), Some(1), "{}", String::from_utf8_lossy(&strict.stderr));
}

/// A taxonomy's name is the key the theme titles its pages with
/// (`t(key=taxonomy.name, …)`, and the key of a loop over `page.taxonomies`):
/// one no `.ftl` defines is a warning at each such call.
#[test]
fn a_taxonomy_name_defined_nowhere_is_a_build_warning_at_each_call_showing_it() {
    let site = site_with(&[
        (
            "site.toml",
            &TWO_LANGUAGES.replacen("[languages.en]", "taxonomies = [\"tags\", \"audience\"]\n[languages.en]", 1),
        ),
        HOME,
        ("content/a.md", "+++\ntitle = \"A\"\naudience = [\"adults\"]\ntags = [\"mail\"]\n+++\n"),
    ]);
    let root = site.path().to_str().unwrap();
    let built = infrared(&["build", "--root", root]);
    let stderr = String::from_utf8_lossy(&built.stderr).into_owned();
    assert!(built.status.success(), "{stderr}");
    let message =
        "warning: UI string \"audience\" (the name of a taxonomy in site.toml, this call's key) is defined in \
                   no i18n/*.ftl: pages would show the key itself (add it to i18n/en.ftl)";
    let templates = "(built-in) themes/default/templates";
    for at in [
        "taxonomy_list.html:4:21",
        "taxonomy_list.html:8:55",
        "taxonomy_term.html:9:250",
        "partials/terms.html:2:35",
        "partials/terms.html:3:32",
    ] {
        assert!(stderr.contains(&format!("{templates}/{at}: {message}")), "{at}: {stderr}");
    }
    assert!(stderr.contains("5 warnings"), "{stderr}");
    assert!(!stderr.contains("UI string \"tags\""), "{stderr}");
    let term = std::fs::read_to_string(site.path().join("public/en/a/index.html")).unwrap();
    assert!(term.contains("<span class=\"terms-title\">audience:</span>"), "the key itself, as the warning says");
}

/// A partial included in a loop that reads the loop's variable fails
/// alone for another reason (the variable is missing); the template
/// rendering started from names the same filter, where it works.
#[test]
fn a_render_error_in_a_partial_reading_its_loops_variable_is_named_there() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "+++\ntitle = \"A\"\n+++\n"),
        (
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title | upper }}</h1>\n\
             {% for n in [1, 2] %}{% include \"partials/entry.html\" %}{% endfor %}\n{% endblock content %}\n",
        ),
        ("templates/partials/entry.html", "<p>\n  {{ n | upper }}\n</p>\n"),
    ]);
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("templates/partials/entry.html:2:10: Filter call 'upper' failed"), "{stderr}");
    assert!(stderr.contains("(while rendering /en/a/ through page.html)\n"), "{stderr}");
    assert!(!stderr.contains("Tera gives no line"), "{stderr}");
}

/// A value that is there but empty (`page.description` of a page without
/// one is `null`) works where it is read; the place named is the later
/// one where it is missing.
#[test]
fn an_empty_value_read_before_the_place_it_is_missing_is_not_taken_for_it() {
    let site = site_with_banner(
        "{% for n in [page, 1] %}\n{% if loop.first %}<i>{{ n.description }}</i>\n{% else %}<b>{{ n.description }}</b>{% endif %}\n{% endfor %}\n",
    );
    let stderr = fails_keeping_output(site.path());
    assert!(
        stderr.contains("templates/partials/banner.html:3:17: Variable `n.description` not found in context"),
        "{stderr}"
    );
    assert!(!stderr.contains("Tera gives no line"), "{stderr}");
}

/// In a macro, Tera names the macro; the place is the line of its
/// file that failed, not a test of the same value before it.
#[test]
fn an_undefined_variable_in_a_macro_is_named_at_the_line_that_failed() {
    let base = std::fs::read_to_string(common::repo_root().join("themes/default/templates/base.html")).unwrap();
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "+++\ntitle = \"A\"\n+++\n"),
        (
            "templates/coop_macros.html",
            "{% macro card(item) %}\n{% if item.blurb %}{{ item.blurb }}{% endif %}\n<p>{{ item.blurb }}</p>\n{% endmacro card %}\n",
        ),
        ("templates/base.html", &format!("{{% import \"coop_macros.html\" as coop %}}\n{base}")),
        ("templates/page.html", "{% extends \"base.html\" %}{% block content %}{{ coop::card(item=page) }}{% endblock content %}"),
    ]);
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("templates/coop_macros.html:3:7: Variable `item.blurb` not found in context"), "{stderr}");
    assert!(!stderr.contains("Tera gives no line"), "{stderr}");
}

/// The same partial included in two loops, one whose items have the
/// value it reads and one whose items do not; another template reads the
/// same name where it has a value.
#[test]
fn an_undefined_variable_in_a_partial_included_in_two_loops_is_named_there() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "+++\ntitle = \"A\"\n+++\n"),
        (
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}\n{% for n in [page] %}<h1>{{ n.title }}</h1>{% endfor %}\n\
             {% for n in [page] %}{% include \"partials/entry.html\" %}{% endfor %}\n\
             {% for n in [1, 2] %}{% include \"partials/entry.html\" %}{% endfor %}\n{% endblock content %}\n",
        ),
        ("templates/partials/entry.html", "<p>\n  {% if n.title %}{{ n.title }}{% endif %}\n  <b>{{ n.title }}</b>\n</p>\n"),
    ]);
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("templates/partials/entry.html:3:9: Variable `n.title` not found in context"), "{stderr}");
    assert!(!stderr.contains("Tera gives no line"), "{stderr}");
}

/// Outside its blocks, a parent template's error is "in a parent template" for Tera.
#[test]
fn an_error_in_a_parent_template_outside_its_blocks_is_named_at_its_line() {
    let base = std::fs::read_to_string(common::repo_root().join("themes/default/templates/base.html")).unwrap();
    let broken = base.replacen("<body>", "<body>\n<p>{{ lang_code | join(sep=\",\") }}</p>", 1);
    let line = broken.lines().position(|l| l.contains("join(")).unwrap() + 1;
    let site = site_with(&[("site.toml", TWO_LANGUAGES), HOME, ("templates/base.html", &broken)]);
    let stderr = fails_keeping_output(site.path());
    let column = broken.lines().nth(line - 1).unwrap().find("join(").unwrap() + 1;
    assert!(stderr.contains(&format!("templates/base.html:{line}:{column}: Filter call 'join' failed")), "{stderr}");
    assert!(!stderr.contains("Tera gives no line"), "{stderr}");
}

/// Pages render in parallel; the error reported must still be the same one
/// every run (the first page in order), not whichever thread failed first.
#[test]
fn render_error_report_is_the_same_every_run() {
    let mut files = vec![("site.toml".to_string(), TWO_LANGUAGES.to_string())];
    files.push((HOME.0.to_string(), HOME.1.to_string()));
    for n in 0..40 {
        files.push((format!("content/p{n:02}.md"), format!("+++\ntitle = \"P{n}\"\n+++\n")));
    }
    files.push(("templates/page.html".to_string(), "{{ missing_variable }}".to_string()));
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, c)| (p.as_str(), c.as_str())).collect();
    let site = site_with(&borrowed);
    let reports: std::collections::BTreeSet<String> = (0..4).map(|_| fails_keeping_output(site.path())).collect();
    assert_eq!(reports.len(), 1, "the report changed between runs: {reports:#?}");
}

#[test]
fn two_sources_for_one_page_name_both_files() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "+++\ntitle = \"A\"\n+++\n"),
        ("content/a/index.md", "+++\ntitle = \"A again\"\n+++\n"),
    ]);
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("content/a.md") && stderr.contains("content/a/index.md"), "{stderr}");
}

#[test]
fn a_duplicate_default_language_file_is_reported_at_the_one_without_a_suffix() {
    let page = "+++\ntitle = \"X\"\n+++\nX.\n";
    // Sorted, x.ca.md comes first and x.en.md before x.md: neither decides.
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/x.ca.md", page),
        ("content/x.en.md", page),
        ("content/x.md", page),
        ("content/guide/_index.en.md", page),
        ("content/guide/_index.md", page),
    ]);
    let stderr = fails_keeping_output(site.path());
    let twins =
        [("content/x.md", "content/x.en.md", "x"), ("content/guide/_index.md", "content/guide/_index.en.md", "guide")];
    for (file, twin, page) in twins {
        let line = stderr.lines().find(|l| l.contains(&format!("{file}: this file duplicates"))).unwrap_or_default();
        let says = format!(
            "{twin}: a file without a language suffix is in the default language (en), so both make the page /en/{page}"
        );
        assert!(line.ends_with(&says), "{file}: {stderr}");
    }
    assert!(!stderr.contains("x.ca.md"), "{stderr}");
    assert!(stderr.contains("add the suffix of the language this file is in"), "{stderr}");
}

#[test]
fn a_duplicate_and_a_bundle_on_one_page_are_reported_in_one_run() {
    let page = "+++\ntitle = \"X\"\n+++\nX.\n";
    // x/ sorts before x.en.md and x.md: the bundle is found first.
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/x.md", page),
        ("content/x.en.md", page),
        ("content/x/index.md", page),
    ]);
    let duplicate = "content/x.md: this file duplicates";
    let clash = "content/x.en.md: this file and";
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("2 errors stopped the build"), "{stderr}");
    let line = |start: &str| stderr.lines().find(|l| l.contains(start)).unwrap_or_default().to_string();
    assert!(line(duplicate).ends_with("content/x.en.md: a file without a language suffix is in the default language (en), so both make the page /en/x"), "{stderr}");
    assert!(line(clash).ends_with("content/x/index.md both make the page /en/x"), "{stderr}");
    assert!(stderr.contains("hint: rename or remove one of them"), "{stderr}");
    assert!(stderr.contains("hint: remove one of them, or add the suffix"), "{stderr}");
    // `check` lists the same two, at file:line.
    let output = infrared(&["check", "--root", site.path().to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let errors: Vec<&str> = stdout.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 2, "{stdout}");
    assert!(errors[0].contains("content/x.en.md:1:1: error: this file and"), "{stdout}");
    assert!(errors[1].contains("content/x.md:1:1: error: this file duplicates"), "{stdout}");
}

#[test]
fn slug_collision_names_both_files() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "+++\ntitle = \"A\"\n+++\n"),
        ("content/b.md", "+++\ntitle = \"B\"\nslug = \"a\"\n+++\n"),
    ]);
    let stderr = fails_keeping_output(site.path());
    assert!(
        stderr.contains("content/b.md:3: this page and content/a.md would both be written to /<lang>/a/"),
        "at the slug's line, naming the other file: {stderr}"
    );
    assert!(stderr.contains("change the slug"), "{stderr}");
}

#[test]
fn slug_collision_refuses_a_pack_too() {
    let site = common::copy_fixture("workshop");
    let page = "+++\ntitle = \"Radio again\"\nslug = \"community-radio\"\n+++\nAgain.\n";
    std::fs::write(site.path().join("content/guides/radio.md"), page).unwrap();
    let zip = site.path().join("pack.zip");
    let root = site.path().to_str().unwrap();
    let output = infrared(&["--root", root, "pack", "training/circle", "--lang", "en", "--out", zip.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/guides/radio.md:3: this page and content/guides/community-radio.md would both"),
        "{stderr}"
    );
    assert!(!zip.exists());
}

#[test]
fn invalid_utf8_names_file_and_line() {
    let site = site_with(&[("site.toml", TWO_LANGUAGES), HOME]);
    std::fs::write(site.path().join("content/a.md"), b"+++\ntitle = \"A\"\n+++\nfine\n\xff\xfe broken\n").unwrap();
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("content/a.md:5: the file is not valid UTF-8"), "{stderr}");
}

#[test]
fn symlink_loop_is_reported_not_followed_forever() {
    let site = site_with(&[("site.toml", TWO_LANGUAGES), HOME]);
    std::fs::create_dir_all(site.path().join("content/docs")).unwrap();
    std::os::unix::fs::symlink("..", site.path().join("content/docs/loop")).unwrap();
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("content/docs/loop") && stderr.contains("symbolic link loop"), "{stderr}");
}

#[test]
fn unreadable_file_is_named() {
    // A dangling link cannot be read by anyone, root included.
    let site = site_with(&[("site.toml", TWO_LANGUAGES), HOME]);
    std::os::unix::fs::symlink("nowhere.md", site.path().join("content/dangling.md")).unwrap();
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("content/dangling.md") && stderr.contains("cannot read"), "{stderr}");
}

#[test]
fn bad_site_toml_names_its_line() {
    let site = site_with(&[
        ("site.toml", "title = \"T\"\ndefault_language = \"en\"\n[languages.en]\nnmae = \"English\"\n"),
        HOME,
    ]);
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("site.toml:4") && stderr.contains("nmae"), "{stderr}");
}

#[test]
fn a_quoted_language_key_in_site_toml_is_reported_at_its_line() {
    let base = "title = \"T\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n";
    for (table, line) in [
        (
            "[languages.\"pt-BR\"]\nname = \"Português\"\nfallback = [\"xx\"]\n",
            "site.toml:8: language pt-BR falls back to \"xx\"",
        ),
        ("[languages.\"pt-BR\"]\nname = \"Português\"\ndirection = \"up\"\n", "site.toml:8: direction \"up\""),
        ("[languages.\"pt-BR\"]\nnmae = \"Português\"\n", "site.toml:7: language pt-BR: unknown field `nmae`"),
        ("\n[languages.\"pt_BR\"]\nname = \"Português\"\n", "site.toml:7: \"pt_BR\" is not a BCP 47 language tag"),
    ] {
        let site = site_with(&[("site.toml", &format!("{base}\n{table}")), HOME]);
        let stderr = fails_keeping_output(site.path());
        assert!(stderr.contains(line), "expected {line}:\n{stderr}");
    }
}

#[test]
fn a_duplicate_yaml_key_is_reported_at_the_duplicate() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "---\ntitle: A\nweight: 2\ndescription: About A\ntitle: B\n---\nBody.\n"),
    ]);
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("content/a.md:5: YAML front matter: \"title\" is given twice"), "{stderr}");
    assert!(stderr.contains("the first is on line 2"), "{stderr}");
}

#[test]
fn a_duplicate_toml_key_is_named_at_the_duplicate() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "+++\ntitle = \"A\"\nweight = 2\ntitle = \"B\"\n+++\nBody.\n"),
    ]);
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("content/a.md:4: TOML front matter: \"title\" is given twice"), "{stderr}");
    assert!(stderr.contains("keep one \"title\""), "{stderr}");
}

#[test]
fn a_mistyped_toml_date_gets_the_date_format_as_its_hint() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "+++\ntitle = \"A\"\ndate = 2026-13-01\n+++\nBody.\n"),
    ]);
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("content/a.md:3:8: TOML front matter: invalid date"), "{stderr}");
    assert!(stderr.contains("write dates as YYYY-MM-DD"), "{stderr}");
    assert!(!stderr.contains("quote text values"), "{stderr}");
}

#[test]
fn a_file_name_holding_a_backslash_is_named_with_the_reason() {
    for name in ["static/back\\slash.txt", "content/a\\b.txt"] {
        let site = site_with(&[("site.toml", TWO_LANGUAGES), HOME, (name, "text\n")]);
        let stderr = fails_keeping_output(site.path());
        assert!(stderr.contains(&format!("{name}: a file name holding a backslash cannot be published")), "{stderr}");
        assert!(!stderr.contains("outside the output folder"), "{stderr}");
    }
}

#[test]
fn missing_site_toml_says_where_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let output = infrared(&["build", "--root", dir.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("site.toml") && stderr.contains("--root"), "{stderr}");
}

#[test]
fn several_bad_files_are_reported_together() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "+++\nweight = \"x\"\n+++\n"),
        ("content/b.md", "+++\ndraft = \"maybe\"\n+++\n"),
    ]);
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("content/a.md:2") && stderr.contains("content/b.md:2"), "{stderr}");
}

#[test]
fn a_static_file_on_a_pages_path_is_an_error_naming_both() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "+++\ntitle = \"A\"\n+++\nA page.\n"),
        ("static/en/a/index.html", "<p>a file in the way</p>"),
    ]);
    let stderr = fails_keeping_output(site.path());
    assert!(
        stderr.contains("static/en/a/index.html: this file and content/a.md would both be written to /en/a/"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: move or rename the static file"), "{stderr}");
    assert!(!stderr.contains(".partial-"), "never the staging folder: {stderr}");
}

#[test]
fn a_page_on_a_generated_pages_address_is_an_error_at_the_page() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/search.md", "+++\ntitle = \"Search tips\"\n+++\nTips.\n"),
        ("content/a.md", "+++\ntitle = \"A\"\naliases = [\"/en/search/\"]\n+++\nA.\n"),
    ]);
    let stderr = fails_keeping_output(site.path());
    assert!(
        stderr.contains("content/search.md: this page and the search page would both be written to /<lang>/search/"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "content/a.md:3: the alias \"/en/search/\" of this page, content/search.md and the search page \
             would all be written to /en/search/"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains(".partial-"), "never the staging folder: {stderr}");
}

#[test]
fn a_yaml_syntax_error_names_the_files_line_and_column_and_no_other() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "---\ntitle: A\ntags:\n\t- privacy\n---\nBody.\n"),
        ("content/b.md", "---\ntitle: Mirrors: how to\n---\nBody.\n"),
        ("content/c.md", "---\nweight: 2\ntitle: \"Unclosed\n---\nBody.\n"),
    ]);
    let stderr = fails_keeping_output(site.path());
    assert!(stderr.contains("content/a.md:4:1: YAML front matter: found character that cannot start any token, while scanning for the next token"), "{stderr}");
    assert!(stderr.contains("hint: indent with spaces: YAML does not allow tabs there"), "{stderr}");
    assert!(
        stderr.contains("content/b.md:2:15: YAML front matter: mapping values are not allowed in this context\n"),
        "{stderr}"
    );
    // The place where the quote began, counted as the file's lines.
    assert!(stderr.contains("content/c.md:4:1: YAML front matter: found unexpected end of stream, while scanning a quoted scalar at line 3 column 8\n"), "{stderr}");
    assert!(!stderr.contains("at line 2"), "YAML's own count of lines is not the file's: {stderr}");
    let check = infrared(&["check", "--json", "--root", site.path().to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let places: Vec<(String, u64, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().rsplit('/').next().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(places, [("a.md".to_string(), 4, 1), ("b.md".to_string(), 2, 15), ("c.md".to_string(), 4, 1)], "{json}");
}

/// `--strict` with one broken link (CI's usual failure) counts it in the
/// singular: "1 error stopped the build" (it said "1 errors").
#[test]
fn a_strict_build_with_one_broken_link_counts_one_error() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nSee [the guide](guide.md).\n"),
    ]);
    let built = infrared(&["build", "--strict", "--root", site.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert_eq!(built.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error: 1 error stopped the build (the previous output was left untouched):"), "{stderr}");
    assert!(stderr.contains("content/_index.md:4:5: warning: no page content/guide.md"), "{stderr}");
}
