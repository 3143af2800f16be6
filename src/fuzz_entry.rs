//! Entry points for fuzzing (`fuzz/`, run by `scripts/fuzz`) and for the
//! regression tests that keep every input fuzzing ever found
//! (`tests/fuzz_regressions.rs`): each takes arbitrary bytes and must
//! neither panic nor let a script through.

use crate::highlight::Highlighter;
use crate::markdown::{self, LinkResolver, LinkTarget};

/// Front matter splitting and field reading.
pub fn front_matter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = crate::front_matter::split_all(text, &["tags".to_string(), "categories".to_string()]);
}

/// Resolves links like the site does, without a site: `.md` files are pages,
/// `#…` anchors, schemes external, the rest broken.
struct Resolver;

impl LinkResolver for Resolver {
    fn resolve(&self, destination: &str) -> LinkTarget {
        if let Some(anchor) = destination.strip_prefix('#') {
            return LinkTarget::Anchor(anchor.to_string());
        }
        if destination.contains(':') {
            return LinkTarget::External(destination.to_string());
        }
        match destination.split_once(".md") {
            Some((key, rest)) => {
                LinkTarget::Page { key: key.to_string(), anchor: rest.strip_prefix('#').map(String::from) }
            }
            None => LinkTarget::Broken { reason: "fuzz".into() },
        }
    }
}

/// The Markdown pipeline: render, fill in links, sanitise. Whatever the
/// input, the sanitised HTML runs nothing.
pub fn markdown(data: &[u8]) {
    thread_local! {
        static HIGHLIGHTER: Highlighter = Highlighter::new();
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    let rendered = HIGHLIGHTER.with(|highlighter| {
        markdown::render(&markdown::Input {
            body: text,
            first_line: 1,
            resolver: &Resolver,
            highlighter,
            labels: &markdown::Labels::default(),
        })
    });
    let html = rendered.html_with(|link| match &link.target {
        LinkTarget::External(url) => Some(url.clone()),
        LinkTarget::Anchor(a) => Some(format!("#{a}")),
        LinkTarget::Page { key, .. } => Some(format!("../{key}/")),
        _ => None,
    });
    let clean = crate::sanitize::clean(&html).to_ascii_lowercase();
    assert!(!clean.contains("<script"), "a script survived sanitising: {clean}");
    assert!(
        !clean.contains("javascript:") || !clean.contains("href=\"javascript:"),
        "a javascript: link survived: {clean}"
    );
}

/// The search query parser and analyzer, in a few languages' rules.
pub fn search_query(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for lang in ["en", "ca", "ar", "zh"] {
        for terms in crate::search::query::query_terms(lang, text) {
            assert!(terms.iter().all(|t| !t.is_empty()), "empty term from {text:?}");
        }
    }
}
