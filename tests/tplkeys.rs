//! `t()` keys that reach the call otherwise than as its literal: through
//! a macro's argument (a call's literal, or the argument's default), and
//! from a page's front matter (`t(key=page.extra.NAME)`). One no `.ftl`
//! defines is a build warning naming where the key is written and the
//! call it reaches; a defined one is none.

mod common;

use common::{infrared, site_with, TWO_LANGUAGES};

const HOME: (&str, &str) = ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n");

/// `label` makes its argument a key; `outer` passes its own on to it;
/// `shout` only shows its argument; `rebound` sets its argument anew.
const KEY_MACROS: (&str, &str) = (
    "templates/keys.html",
    "{% macro label(key_name, lang) %}<b>{{ t(key=key_name, lang=lang) }}</b>{% endmacro label %}\n\
     {% macro outer(name, lang, fallback_key=\"coop-fallback\") %}{{ self::label(key_name=name, lang=lang) }}\n\
     {{ self::label(key_name=fallback_key, lang=lang) }}{% endmacro outer %}\n\
     {% macro shout(text) %}{{ text | upper }}{% endmacro shout %}\n\
     {% macro rebound(key_name, lang) %}{% set key_name = \"search-label\" %}{{ t(key=key_name, lang=lang) }}{% endmacro rebound %}\n",
);

const PAGE: (&str, &str) = (
    "templates/page.html",
    "{% extends \"base.html\" %}\n\
     {% import \"keys.html\" as keys %}\n\
     {% block content %}\n\
     <h1>{{ page.title }}</h1>\n\
     {{ keys::outer(name=\"coop-motto\", lang=lang_code) }}\n\
     {{ keys::outer(name=\"search-label\", lang=lang_code, fallback_key=\"search-button\") }}\n\
     {{ keys::shout(text=\"coop-not-a-key\") }}{{ keys::rebound(key_name=\"coop-rebound\", lang=lang_code) }}\n\
     {% if page.extra.badge %}<p>{{ t(key=page.extra.badge, lang=lang_code) }}</p>{% endif %}\n\
     {% endblock content %}\n",
);

fn build(root: &std::path::Path) -> String {
    let built = infrared(&["build", "--root", root.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&built.stderr).into_owned();
    assert!(built.status.success(), "{stderr}");
    stderr
}

const UNDEFINED: &str = "is defined in no i18n/*.ftl: pages would show the key itself (add it to i18n/en.ftl)";

#[test]
fn a_macro_argument_that_becomes_a_key_defined_nowhere_is_a_build_warning_at_the_literal() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "+++\ntitle = \"A\"\n+++\n"),
        KEY_MACROS,
        PAGE,
    ]);
    let stderr = build(site.path());
    let call = "templates/page.html:5:16: warning: UI string \"coop-motto\" (argument `name` of macro `outer` in \
                keys.html, which makes it the key of `t()`)";
    assert!(stderr.contains(&format!("{call} {UNDEFINED}")), "{stderr}");
    let default = "templates/keys.html:2:28: warning: UI string \"coop-fallback\" (the default of argument \
                   `fallback_key`, which macro `outer` makes the key of `t()`)";
    assert!(stderr.contains(&format!("{default} {UNDEFINED}")), "{stderr}");
    // Defined keys, an argument only shown, one set anew: no warning.
    for quiet in ["search-label", "search-button", "coop-not-a-key", "coop-rebound"] {
        assert!(!stderr.contains(&format!("\"{quiet}\"")), "{quiet}: {stderr}");
    }
    assert!(stderr.contains("2 warnings"), "{stderr}");
    let page = std::fs::read_to_string(site.path().join("public/en/a/index.html")).unwrap();
    assert!(page.contains("<b>coop-motto</b>"), "the key itself, as the warning says");
}

#[test]
fn a_front_matter_value_that_becomes_a_key_defined_nowhere_is_a_build_warning_at_the_field() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "+++\ntitle = \"A\"\nbadge = \"coop-badge\"\n+++\n"),
        ("content/b.md", "+++\ntitle = \"B\"\n[extra]\nbadge = \"search-label\"\n+++\n"),
        // A section is rendered with section.html, which has no such call.
        ("content/s/_index.md", "+++\ntitle = \"S\"\nbadge = \"coop-section\"\n+++\n"),
        KEY_MACROS,
        PAGE,
    ]);
    let stderr = build(site.path());
    let field = "content/a.md:3:1: warning: UI string \"coop-badge\" (`badge` of this page's front matter, the key \
                 of `t()` at templates/page.html:8:32)";
    assert!(stderr.contains(&format!("{field} {UNDEFINED}")), "{stderr}");
    assert!(!stderr.contains("content/b.md"), "{stderr}");
    assert!(!stderr.contains("coop-section"), "{stderr}");
    let page = std::fs::read_to_string(site.path().join("public/en/a/index.html")).unwrap();
    assert!(page.contains("<p>coop-badge</p>"), "the key itself, as the warning says");
}

const UNMARKED: &str = "is defined in no i18n/*.ftl: t_lang() marks the element as if its string were in the page's \
                        language (correct the key, or add it to i18n/en.ftl)";

/// `t_lang()` shows nothing of its key: one no `.ftl` defines leaves the
/// element marked in the page's language, whatever language its string
/// is shown in. Its `key` and `within`, written there or given to a
/// macro's argument that becomes one, are checked as `t()`'s are.
#[test]
fn a_t_lang_key_defined_nowhere_is_a_build_warning_at_the_literal() {
    let site = site_with(&[
        ("site.toml", TWO_LANGUAGES),
        HOME,
        ("content/a.md", "+++\ntitle = \"A\"\n+++\n"),
        (
            "templates/marks.html",
            "{% macro label(text, lang, label_key=\"coop-label\") %}<b{{ t_lang(key=label_key, lang=lang) }}>{{ text }}</b>{% endmacro label %}\n",
        ),
        (
            "templates/page.html",
            "{% extends \"base.html\" %}\n\
             {% import \"marks.html\" as marks %}\n\
             {% block content %}\n\
             <p{{ t_lang(key=\"coop-typo\", lang=lang_code) }}>{{ t(key=\"search-label\", lang=lang_code) }}</p>\n\
             <ul{{ t_lang(lang=lang_code, within=\"coop-list\") }}><li>{{ page.title }}</li></ul>\n\
             {{ marks::label(text=\"x\", lang=lang_code, label_key=\"coop-label-typo\") }}\n\
             {{ marks::label(text=\"y\", lang=lang_code, label_key=\"search-button\") }}\n\
             <p{{ t_lang(key=\"search-label\", lang=lang_code) }}{{ t_lang(lang=lang_code, within=\"search-button\") }}></p>\n\
             {% endblock content %}\n",
        ),
    ]);
    let stderr = build(site.path());
    let expected = [
        "templates/page.html:4:13: warning: UI string \"coop-typo\" (`key` of `t_lang()`)",
        "templates/page.html:5:30: warning: UI string \"coop-list\" (`within` of `t_lang()`)",
        "templates/page.html:6:43: warning: UI string \"coop-label-typo\" (argument `label_key` of macro `label` in \
         marks.html, which gives it `t_lang()` as a key)",
        "templates/marks.html:1:28: warning: UI string \"coop-label\" (the default of argument `label_key`, which \
         macro `label` gives `t_lang()` as a key)",
    ];
    for warning in expected {
        assert!(stderr.contains(&format!("{warning} {UNMARKED}")), "{warning}\n{stderr}");
    }
    for quiet in ["\"search-label\"", "\"search-button\""] {
        assert!(!stderr.contains(quiet), "{quiet}: {stderr}");
    }
    assert!(stderr.contains("4 warnings"), "{stderr}");
}
