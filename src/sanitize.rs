//! Raw HTML in Markdown is cleaned with an allow-list, so one careless or
//! compromised writer cannot put a script into every mirror: structural and
//! text elements stay; scripts, event handlers, `javascript:` URLs, style
//! attributes, forms, `meta`/`base` and third-party frames and media go.
//! Sections a site trusts explicitly (`trusted_html` in site.toml) are kept.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

/// Elements kept, beyond ammonia's defaults (which cover text and tables).
/// Frames are not among them: an embedded page is a document of its own, so
/// sites that need one list the section in `trusted_html`.
const EXTRA_TAGS: &[&str] = &["section", "video", "audio", "source", "track", "picture", "input"];
/// Attributes any kept element may carry.
const GENERIC_ATTRIBUTES: &[&str] = &["lang", "title", "id", "class", "dir", "role"];
const GENERIC_PREFIXES: &[&str] = &["aria-", "data-"];
/// Per element, the attributes kept beyond ammonia's defaults.
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang", "rel"]),
    ("img", &["alt", "src", "width", "height", "loading"]),
    ("video", &["src", "poster", "controls", "width", "height", "loop", "muted", "preload", "playsinline"]),
    ("audio", &["src", "controls", "loop", "muted", "preload"]),
    ("source", &["src", "type", "media"]),
    ("track", &["src", "kind", "srclang", "label", "default"]),
    ("input", &["type", "checked", "disabled"]),
    ("ol", &["start", "reversed"]),
    ("details", &["open"]),
    ("time", &["datetime"]),
    // Code blocks and tables' boxes scroll sideways: keyboard users must be
    // able to reach them (`tabindex` other than 0 is dropped: see
    // `keep_attribute`).
    ("pre", &["tabindex"]),
    ("div", &["tabindex"]),
];
/// Elements whose source must be on this site (no third-party requests).
const LOCAL_ONLY: &[&str] = &["video", "audio", "source", "track"];
/// How `build` starts its warning about an image from another site (kept
/// in the page: the theme's CSP stops the browser from fetching it);
/// `check` reports the same images itself, with their columns.
pub const THIRD_PARTY_IMAGE: &str = "image from another site";
/// URL schemes that run code or smuggle documents.
const DANGEROUS_SCHEMES: &[&str] = &["javascript", "vbscript", "data"];

fn builder() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(EXTRA_TAGS)
            .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect::<HashSet<_>>())
            .generic_attribute_prefixes(GENERIC_PREFIXES.iter().copied().collect::<HashSet<_>>())
            .link_rel(None)
            .strip_comments(true)
            .attribute_filter(keep_attribute);
        for (tag, attributes) in TAG_ATTRIBUTES {
            b.add_tag_attributes(*tag, attributes.iter().copied());
        }
        b
    })
}

fn keep_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    let url_attribute = matches!(attribute, "src" | "poster" | "href");
    if url_attribute && LOCAL_ONLY.contains(&element) && is_external(value) {
        return None;
    }
    if element == "input" && attribute == "type" && value != "checkbox" {
        return None;
    }
    // A positive tabindex would pull the box ahead of the page's menu and
    // search in the keyboard's order; -1 would take it out of it.
    if attribute == "tabindex" && value != "0" {
        return None;
    }
    Some(Cow::Borrowed(value))
}

/// The HTML with everything not on the allow-list removed.
pub fn clean(html: &str) -> String {
    builder().clean(html).to_string()
}

/// The host of a URL on another site that a browser would fetch by itself.
pub fn third_party_host(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = match url.split_once(':') {
        _ if url.starts_with("//") => &url[2..],
        Some((scheme, rest))
            if ["http", "https", "ftp", "ws", "wss"].contains(&scheme.to_ascii_lowercase().as_str()) =>
        {
            rest.trim_start_matches('/')
        }
        _ => return None,
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    Some(host.rsplit('@').next().unwrap_or(host).to_string())
}

fn is_external(url: &str) -> bool {
    let url = url.trim();
    url.starts_with("//") || scheme(url).is_some()
}

fn scheme(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once(':')?;
    let scheme: String = scheme.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    let valid = !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Whether a link's URL would run code (`javascript:` …): such links are removed.
pub fn is_dangerous_url(url: &str) -> bool {
    scheme(url).is_some_and(|s| DANGEROUS_SCHEMES.contains(&s.as_str()))
}

fn is_allowed_tag(tag: &str) -> bool {
    const DEFAULT_TAGS: &[&str] = &[
        "a",
        "abbr",
        "acronym",
        "area",
        "article",
        "aside",
        "b",
        "bdi",
        "bdo",
        "blockquote",
        "br",
        "caption",
        "center",
        "cite",
        "code",
        "col",
        "colgroup",
        "data",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "map",
        "mark",
        "nav",
        "ol",
        "p",
        "pre",
        "q",
        "rp",
        "rt",
        "rtc",
        "ruby",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "time",
        "tr",
        "tt",
        "u",
        "ul",
        "var",
        "wbr",
        "tfoot",
    ];
    DEFAULT_TAGS.contains(&tag) || EXTRA_TAGS.contains(&tag)
}

/// What [`clean`] will take out of a raw HTML fragment, said for a writer:
/// `<script> element`, `onerror handler`… (for diagnostics with file:line),
/// each with where its tag starts in `raw`.
pub fn removals(raw: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut rest = raw;
    while let Some(open) = rest.find('<') {
        let at = raw.len() - rest.len() + open;
        rest = &rest[open + 1..];
        if rest.starts_with("!--") {
            continue;
        }
        let end = tag_end(rest);
        let tag_text = &rest[..end];
        rest = &rest[end..];
        if tag_text.starts_with('/') || tag_text.starts_with('!') {
            continue;
        }
        let name: String = tag_text
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        if !is_allowed_tag(&name) {
            found.push((at, format!("<{name}> element")));
            continue;
        }
        for (attribute, value) in attributes(&tag_text[name.len()..]) {
            if attribute.starts_with("on") {
                found.push((at, format!("{attribute} handler on <{name}>")));
            } else if attribute == "style" {
                found.push((at, format!("style attribute on <{name}> (style belongs in the theme's stylesheet)")));
            } else if matches!(attribute.as_str(), "href" | "src" | "poster" | "action" | "formaction" | "xlink:href")
                && is_dangerous_url(&value)
            {
                found.push((at, format!("{}: URL in <{name} {attribute}>", scheme(&value).unwrap_or_default())));
            } else if matches!(attribute.as_str(), "src" | "poster")
                && LOCAL_ONLY.contains(&name.as_str())
                && is_external(&value)
            {
                found.push((at, format!("<{name}> from another site ({value})")));
            }
        }
    }
    found
}

/// Index of the `>` closing a tag, quotes respected (the text's length
/// when none does).
pub(crate) fn tag_end(text: &str) -> usize {
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i,
            _ => {}
        }
    }
    text.len()
}

/// `name=value` pairs of a tag's attribute text, names lowercased.
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '/') {
            i += 1;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], '=' | '/' | '>') {
            i += 1;
        }
        if i == start {
            i += 1;
            continue;
        }
        let name: String = chars[start..i].iter().collect::<String>().to_ascii_lowercase();
        let mut value = String::new();
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i < chars.len() && chars[i] == '=' {
            i += 1;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            if i < chars.len() && matches!(chars[i], '"' | '\'') {
                let quote = chars[i];
                i += 1;
                while i < chars.len() && chars[i] != quote {
                    value.push(chars[i]);
                    i += 1;
                }
                i += 1;
            } else {
                while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '>' {
                    value.push(chars[i]);
                    i += 1;
                }
            }
        }
        pairs.push((name, value));
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tabindex_zero_is_kept() {
        let html =
            r#"<div tabindex="0">a</div><pre tabindex="5">b</pre><div tabindex="-1">c</div><p tabindex="0">d</p>"#;
        assert_eq!(clean(html), r#"<div tabindex="0">a</div><pre>b</pre><div>c</div><p>d</p>"#);
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_go() {
        let dirty = r#"<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:alert(1)">a</a><img src=x onerror=alert(1)></p>"#;
        let cleaned = clean(dirty);
        assert_eq!(cleaned, r#"<p>Hi<a>a</a><img src="x"></p>"#);
    }

    #[test]
    fn structure_and_our_own_markup_stay() {
        let html = r#"<details open><summary>More</summary><kbd>Ctrl</kbd><sup>1</sup><abbr title="x">X</abbr></details><figure><img src="a.png" alt="A"><figcaption>C</figcaption></figure><div class="alert alert-note" role="note"><p class="alert-title">Note</p></div><pre class="code" data-lang="rust"><code class="language-rust"><span class="hl-source">x</span></code></pre><h2 id="títol">T</h2><ul><li><input disabled type="checkbox" checked> done</li></ul>"#;
        let serialised = html
            .replace("open>", "open=\"\">")
            .replace("disabled ", "disabled=\"\" ")
            .replace("checked>", "checked=\"\">");
        assert_eq!(clean(html), serialised);
    }

    #[test]
    fn local_media_stays_and_third_party_media_goes() {
        assert_eq!(
            clean(r#"<video src="clip.webm" controls></video>"#),
            r#"<video src="clip.webm" controls=""></video>"#
        );
        assert_eq!(
            clean(r#"<video src="https://tracker.example/v.mp4" controls></video>"#),
            r#"<video controls=""></video>"#
        );
        assert_eq!(clean(r#"<iframe src="https://evil.example/"></iframe>"#), "");
        assert_eq!(clean(r#"<iframe src="local.html"></iframe>"#), "", "frames only in trusted sections");
    }

    #[test]
    fn forms_meta_base_and_styles_go() {
        let cleaned = clean(
            r#"<form action="/x"><input type="text" name="q"></form><meta http-equiv="refresh" content="0;url=//evil"><base href="//evil/"><p style="background:url(//evil/x.png)">t</p>"#,
        );
        assert_eq!(cleaned, "<input><p>t</p>");
    }

    #[test]
    fn removals_are_described_for_writers() {
        let found: Vec<String> = removals(
            r#"<p onclick="x()" style="color:red">Hi</p><script src="x.js"></script><a href=" JavaScript:alert(1)">a</a><iframe src="https://x.example/"></iframe>"#,
        )
        .into_iter()
        .map(|(_, what)| what)
        .collect();
        assert_eq!(
            found,
            [
                "onclick handler on <p>",
                "style attribute on <p> (style belongs in the theme's stylesheet)",
                "<script> element",
                "javascript: URL in <a href>",
                "<iframe> element",
            ]
        );
        assert!(removals("<p>plain <b>html</b></p>").is_empty());
        assert_eq!(removals("text <b>\n<b onclick=\"x()\">"), [(9, "onclick handler on <b>".to_string())]);
    }

    #[test]
    fn dangerous_schemes_are_recognised_however_written() {
        assert!(is_dangerous_url("javascript:alert(1)"));
        assert!(is_dangerous_url(" JaVaScRiPt:alert(1)"));
        assert!(is_dangerous_url("java\tscript:alert(1)"));
        assert!(is_dangerous_url("data:text/html,<script>"));
        assert!(!is_dangerous_url("https://example.org"));
        assert!(!is_dangerous_url("../guide/"));
    }
}
