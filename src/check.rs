//! `infrared check`: everything a writer's CI should catch, found in one
//! pass and reported together, sorted, as `path:line:column: severity:
//! message` — broken links, anchors, images and files, links that fall back
//! to another language, front matter that fails validation (every bad file),
//! wrong translation stamps, UI strings missing or unused, resources loaded
//! from third parties, and Markdown that renders other than meant.
//!
//! Reuses content, markdown and site; never renders a template or writes a file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use pulldown_cmark::{BrokenLink, CodeBlockKind, Event, LinkType, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Corpus, NodeKind, Source};
use crate::error::{read_text, Diagnostic, Result, Severity};
use crate::freshness::Freshness;
use crate::front_matter::field_line;
use crate::highlight::Highlighter;
use crate::i18n::{I18n, CODE_KEYS};
use crate::markdown::{options, LinkTarget};
use crate::sanitize::third_party_host;
use crate::site::Site;
use crate::template_sources::{
    macro_argument_keys, marking_keys, page_extra_keys, reached_templates, ExtraKey, KeyRole, TemplateFile,
    ThemeSources,
};

#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub root: PathBuf,
    /// Check draft pages too (they are left out, as in a build, otherwise).
    pub drafts: bool,
}

#[derive(Debug, Default, serde::Serialize)]
pub struct CheckReport {
    /// Sorted by path, line, column.
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }
}

/// Checks the site at `options.root`. An `Err` only when there is nothing to
/// check (no site.toml, a broken one, UI strings that do not parse).
pub fn check(options: &CheckOptions) -> Result<CheckReport> {
    let config = Config::load(&options.root)?;
    let i18n = I18n::load(&config)?;
    let (corpus, errors) = content::load_all(&config, options.drafts)?;
    let mut found: Vec<Diagnostic> = errors.iter().map(|e| e.to_diagnostic()).collect();
    let theme = ThemeSources::load(&config)?;
    found.extend(theme.problems().iter().map(|e| e.to_diagnostic()));
    let templates = &theme.templates;
    let site = Site::with_theme(config, corpus, &i18n, &Highlighter::new(), Some(&theme))?;
    // Images from other sites: check's own pass below finds them, at their columns.
    let own_finding = |d: &&Diagnostic| d.message.starts_with(crate::sanitize::THIRD_PARTY_IMAGE);
    found.extend(
        site.diagnostics
            .iter()
            .filter(|d| !own_finding(d))
            .map(|d| Diagnostic { severity: Severity::Error, ..d.clone() }),
    );
    let theme_has = |name: &str| templates.contains_key(name);
    found.extend(crate::collisions::find(&site, &theme_has).iter().map(|e| e.to_diagnostic()));
    found.extend(fallback_links(&site));
    found.extend(Freshness::compute(&site).diagnostics);
    found.extend(crate::pack::workshop::problems(&site).iter().map(|e| e.to_diagnostic()));
    found.extend(unknown_templates(&site, templates));
    found.extend(ui_strings(&site.config, &site.corpus, &i18n, &theme));
    let sources: Vec<&Source> = site.corpus.nodes.iter().flat_map(|n| n.versions.values().map(|s| &**s)).collect();
    found.par_extend(sources.par_iter().flat_map_iter(|s| lint_markdown(s)));
    found.sort();
    found.dedup();
    Ok(CheckReport { diagnostics: found })
}

/// Links to a page that has no version in the link's own language: its
/// readers get a fallback. Worth knowing, not wrong.
fn fallback_links(site: &Site) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (index, node) in site.corpus.nodes.iter().enumerate() {
        for source in node.versions.values() {
            for link in &site.rendered[index][&source.lang].links {
                let LinkTarget::Page { key, .. } = &link.target else {
                    continue;
                };
                let Some(target) = site.index_of(key) else {
                    continue;
                };
                if site.node(target).versions.contains_key(&source.lang) {
                    continue;
                }
                let shown = site.shown_lang(target, &source.lang);
                let name = |code: &str| site.config.language(code).map_or(code.to_string(), |l| l.name.clone());
                found.push(Diagnostic {
                    path: source.path.clone(),
                    line: link.line,
                    column: link.column,
                    severity: Severity::Info,
                    message: format!(
                        "links to content/{}, not translated into {}: its readers get the {} version (link to \"{}\")",
                        site.primary_source(target).rel_path,
                        name(&source.lang),
                        name(shown),
                        link.destination
                    ),
                });
            }
        }
    }
    found
}

/// `template = "…"` naming a template the theme does not have.
fn unknown_templates(site: &Site, templates: &BTreeMap<String, TemplateFile>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for source in site.corpus.nodes.iter().flat_map(|n| n.versions.values()) {
        let Some(name) = &source.front.template else {
            continue;
        };
        if templates.contains_key(name) {
            continue;
        }
        let line = read_text(&source.path).ok().and_then(|t| field_line(&t, "template")).map_or(1, |l| l + 1);
        found.push(Diagnostic {
            path: source.path.clone(),
            line,
            column: 1,
            severity: Severity::Error,
            message: format!("template \"{name}\" does not exist in the theme or templates/"),
        });
    }
    found
}

/// A `t(key="…")` call in a template.
struct KeyUse {
    key: String,
    path: PathBuf,
    line: usize,
    column: usize,
}

/// Every `t(key="…")` (or `key='…'`) of the templates, and every
/// `t_marked(key="…")` (the same string, marked with its language).
fn used_keys(templates: &BTreeMap<String, TemplateFile>) -> Vec<KeyUse> {
    let mut uses = Vec::new();
    for call in ["t(", "t_marked("] {
        uses.extend(calls_of(templates, call));
    }
    uses.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    uses
}

fn calls_of(templates: &BTreeMap<String, TemplateFile>, call: &str) -> Vec<KeyUse> {
    let mut uses = Vec::new();
    for template in templates.values() {
        let text = &template.text;
        let mut from = 0;
        while let Some(at) = text[from..].find(call).map(|i| i + from) {
            from = at + call.len();
            let before_ok =
                at == 0 || !text.as_bytes()[at - 1].is_ascii_alphanumeric() && text.as_bytes()[at - 1] != b'_';
            let rest = text[from..].trim_start();
            let Some(rest) = rest.strip_prefix("key").map(str::trim_start) else {
                continue;
            };
            let Some(rest) = rest.strip_prefix('=').map(str::trim_start) else {
                continue;
            };
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let Some(end) = rest[1..].find(quote) else {
                continue;
            };
            if before_ok {
                let (line, column) = position(text, at, 1);
                uses.push(KeyUse { key: rest[1..1 + end].to_string(), path: template.path.clone(), line, column });
            }
        }
    }
    uses
}

/// UI strings the templates use but a language lacks, and strings of the
/// site's own `i18n/` files that nothing uses.
fn ui_strings(config: &Config, corpus: &Corpus, i18n: &I18n, theme: &ThemeSources) -> Vec<Diagnostic> {
    let uses = used_keys(&theme.templates);
    let given = macro_argument_keys(theme, KeyRole::Shown).into_iter().map(|k| k.key);
    let given: Vec<String> = given.chain(page_extra_key_values(corpus, theme).into_iter().map(|v| v.1)).collect();
    // Taxonomy names are UI strings too: the theme titles their pages with them.
    let used: BTreeSet<&str> = uses
        .iter()
        .map(|u| u.key.as_str())
        .chain(given.iter().map(String::as_str))
        .chain(CODE_KEYS.iter().copied())
        .chain(config.taxonomies.iter().map(String::as_str))
        .collect();
    let mut found = Vec::new();
    let ftl = |code: &str| config.root.join("i18n").join(format!("{code}.ftl"));
    let diagnostic = |path: PathBuf, line, severity, message| Diagnostic { path, line, column: 1, severity, message };
    for lang in &config.languages {
        let Some(keys) = i18n.keys(&lang.code) else {
            found.push(diagnostic(
                ftl(&lang.code),
                1,
                Severity::Warning,
                format!(
                    "no UI strings for {} ({}): its readers get every label in another language; add i18n/{}.ftl",
                    lang.name, lang.code, lang.code
                ),
            ));
            continue;
        };
        for key in used.iter().filter(|k| !keys.contains(**k)) {
            let fallback = lang
                .fallback_chain
                .iter()
                .chain(std::iter::once(&"en".to_string()))
                .find(|c| i18n.keys(c).is_some_and(|k| k.contains(*key)))
                .cloned();
            let Some(fallback) = fallback else { continue };
            let shown = config.language(&fallback).map_or(fallback.clone(), |l| l.name.clone());
            found.push(diagnostic(
                ftl(&lang.code),
                1,
                Severity::Warning,
                format!("UI string \"{key}\" is missing: {} readers see it in {shown}", lang.name),
            ));
        }
    }
    found.extend(undefined_ui_strings(config, corpus, i18n, theme));
    found.extend(unused_keys(config, &used));
    found
}

/// Keys the templates pass to `t()` that no language defines, at each
/// call: pages would show the key itself (`build` warns of them). A key is
/// followed where it is a literal of the call, a taxonomy's name, a
/// literal given to a macro's argument that becomes the key (or that
/// argument's default), or a field of a page's front matter
/// (`t(key=page.extra.NAME)`, at the field, in each page whose template
/// reaches the call).
pub fn undefined_ui_strings(config: &Config, corpus: &Corpus, i18n: &I18n, theme: &ThemeSources) -> Vec<Diagnostic> {
    let defined_anywhere = |key: &str| {
        config
            .languages
            .iter()
            .map(|l| l.code.as_str())
            .chain(std::iter::once("en"))
            .any(|c| i18n.keys(c).is_some_and(|k| k.contains(key)))
    };
    let default = &config.default_lang().code;
    let undefined = |path: PathBuf, (line, column): (usize, usize), key: &str, why: &str| Diagnostic {
        path,
        line,
        column,
        severity: Severity::Error,
        message: format!(
            "UI string \"{key}\"{why} is defined in no i18n/*.ftl: pages would show the key itself (add it to \
             i18n/{default}.ftl)"
        ),
    };
    let uses = used_keys(&theme.templates);
    let mut found: Vec<Diagnostic> = uses
        .into_iter()
        .filter(|u| !defined_anywhere(&u.key))
        .map(|u| undefined(u.path, (u.line, u.column), &u.key, ""))
        .collect();
    // A taxonomy's name is the key of the calls titling its pages.
    let taxonomies: Vec<&String> = config.taxonomies.iter().filter(|name| !defined_anywhere(name)).collect();
    let calls = if taxonomies.is_empty() { Vec::new() } else { crate::template_sources::taxonomy_name_keys(theme) };
    for taxonomy in taxonomies {
        let why = " (the name of a taxonomy in site.toml, this call's key)";
        found.extend(calls.iter().map(|(file, at)| undefined(file.path.clone(), *at, taxonomy, why)));
    }
    for given in macro_argument_keys(theme, KeyRole::Shown).into_iter().filter(|k| !defined_anywhere(&k.key)) {
        let why = if given.default {
            format!(
                " (the default of argument `{}`, which macro `{}` makes the key of `t()`)",
                given.argument, given.name
            )
        } else {
            format!(
                " (argument `{}` of macro `{}` in {}, which makes it the key of `t()`)",
                given.argument, given.name, given.defined_in
            )
        };
        found.push(undefined(given.file.path.clone(), given.at, &given.key, &why));
    }
    found.extend(undefined_marking_keys(theme, &defined_anywhere, default));
    for (source, key, call) in page_extra_key_values(corpus, theme) {
        if defined_anywhere(&key) {
            continue;
        }
        let line = read_text(&source.path).ok().and_then(|t| field_line(&t, call.field_name())).map_or(1, |l| l + 1);
        let (at_line, at_column) = call.at;
        let why = format!(
            " (`{}` of this page's front matter, the key of `t()` at {}:{at_line}:{at_column})",
            call.field,
            call.file.path.strip_prefix(&config.root).unwrap_or(&call.file.path).display()
        );
        found.push(undefined(source.path.clone(), (line, 1), &key, &why));
    }
    found
}

/// Keys of `t_lang()` (its `key` or `within`, written there or given to a
/// macro's argument that becomes one) that no language defines: the
/// element is then marked as if its string were in the page's language,
/// wrongly wherever the string is shown from a fallback.
fn undefined_marking_keys(
    theme: &ThemeSources,
    defined_anywhere: &dyn Fn(&str) -> bool,
    default: &str,
) -> Vec<Diagnostic> {
    let undefined = |path: PathBuf, (line, column): (usize, usize), key: &str, why: String| Diagnostic {
        path,
        line,
        column,
        severity: Severity::Error,
        message: format!(
            "UI string \"{key}\"{why} is defined in no i18n/*.ftl: t_lang() marks the element as if its string \
             were in the page's language (correct the key, or add it to i18n/{default}.ftl)"
        ),
    };
    let mut found: Vec<Diagnostic> = marking_keys(theme)
        .into_iter()
        .filter(|k| !defined_anywhere(&k.key))
        .map(|k| undefined(k.file.path.clone(), k.at, &k.key, format!(" (`{}` of `t_lang()`)", k.argument)))
        .collect();
    for given in macro_argument_keys(theme, KeyRole::Marking).into_iter().filter(|k| !defined_anywhere(&k.key)) {
        let why = match given.default {
            true => format!(
                " (the default of argument `{}`, which macro `{}` gives `t_lang()` as a key)",
                given.argument, given.name
            ),
            false => format!(
                " (argument `{}` of macro `{}` in {}, which gives it `t_lang()` as a key)",
                given.argument, given.name, given.defined_in
            ),
        };
        found.push(undefined(given.file.path.clone(), given.at, &given.key, why));
    }
    found
}

/// Each string a page's front matter gives as the key of a `t()` its
/// template reaches (`t(key=page.extra.NAME)`): the page's source, the
/// string and the call.
fn page_extra_key_values<'a>(corpus: &'a Corpus, theme: &'a ThemeSources) -> Vec<(&'a Source, String, ExtraKey<'a>)> {
    let calls = page_extra_keys(theme);
    if calls.is_empty() {
        return Vec::new();
    }
    let mut reached: BTreeMap<&str, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    let mut found = Vec::new();
    for node in &corpus.nodes {
        for source in node.versions.values() {
            let template = source.front.template.as_deref().unwrap_or(match node.kind {
                NodeKind::Section if node.key.is_empty() => "index.html",
                NodeKind::Section => "section.html",
                NodeKind::Page => "page.html",
            });
            let reached = reached.entry(template).or_insert_with(|| reached_templates(theme, [template]));
            let renders = |call: &&ExtraKey| {
                reached
                    .get(call.template)
                    .is_some_and(|overridden| call.block.as_ref().is_none_or(|block| !overridden.contains(block)))
            };
            for call in calls.iter().filter(renders) {
                let mut value = source.front.extra.get(call.field.split('.').next().unwrap_or_default());
                for part in call.field.split('.').skip(1) {
                    value = value.and_then(|v| v.get(part));
                }
                if let Some(key) = value.and_then(|v| v.as_str()) {
                    found.push((&**source, key.to_string(), call.clone()));
                }
            }
        }
    }
    found
}

/// Messages of the site's own `i18n/*.ftl` that no template or code uses.
fn unused_keys(config: &Config, used: &BTreeSet<&str>) -> Vec<Diagnostic> {
    let dir = config.root.join("i18n");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
        .collect();
    files.sort();
    let mut found = Vec::new();
    for path in files {
        let Ok(text) = read_text(&path) else { continue };
        for (number, line) in text.lines().enumerate() {
            let Some(key) = message_id(line) else {
                continue;
            };
            if !used.contains(key) {
                found.push(Diagnostic {
                    path: path.clone(),
                    line: number + 1,
                    column: 1,
                    // Harmless to readers: worth knowing, not failing for.
                    severity: Severity::Info,
                    message: format!("UI string \"{key}\" is not used by any template"),
                });
            }
        }
    }
    found
}

/// `key = …` at the start of a line of a Fluent file (messages, not terms).
fn message_id(line: &str) -> Option<&str> {
    let (id, _) = line.split_once('=')?;
    let id = id.trim_end();
    let valid = id.starts_with(|c: char| c.is_ascii_alphabetic())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    valid.then_some(id)
}

/// Markdown that renders other than its writer likely meant, and resources
/// a reader's browser would fetch from a third party.
fn lint_markdown(source: &Source) -> Vec<Diagnostic> {
    let body = source.body.as_str();
    let mut found = Vec::new();
    let at = |offset: usize, severity, message: String| {
        let (line, column) = position(body, offset, source.body_line);
        Diagnostic { path: source.path.clone(), line, column, severity, message }
    };
    let mut undefined: Vec<(usize, String)> = Vec::new();
    let mut note_undefined = |link: BrokenLink| {
        if matches!(link.link_type, LinkType::Reference | LinkType::Collapsed) {
            undefined.push((link.span.start, link.reference.to_string()));
        }
        None
    };
    let parser = Parser::new_with_broken_link_callback(body, options(), Some(&mut note_undefined));
    let mut events = parser.into_offset_iter().peekable();
    let mut html_block: Option<std::ops::Range<usize>> = None;
    // Consecutive text events (smart punctuation splits text at quotes),
    // read as one for template tags and would-be links left in the text.
    let mut text_run: Option<std::ops::Range<usize>> = None;
    let text_problems = |run: Option<std::ops::Range<usize>>, found: &mut Vec<Diagnostic>| {
        if let Some(run) = run {
            let text = &body[run.clone()];
            for (offset, message) in template_tags(text).into_iter().chain(spaced_destinations(text)) {
                found.push(at(run.start + offset, Severity::Warning, message));
            }
        }
    };
    let mut in_code = false;
    let mut explicit_ids = BTreeSet::new();
    // The theme shows the page's title as its one level-1 heading.
    let mut heading_level = 1;
    while let Some((event, range)) = events.next() {
        // Code is read as written; a `facilitator` block is Markdown.
        match &event {
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = !matches!(kind, CodeBlockKind::Fenced(info) if info.trim() == "facilitator");
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(_) if in_code => continue,
            _ => {}
        }
        if let Event::Text(_) = event {
            match &mut text_run {
                Some(run) if run.end == range.start => run.end = range.end,
                _ => text_problems(text_run.replace(range.clone()), &mut found),
            }
            continue;
        }
        text_problems(text_run.take(), &mut found);
        match event {
            Event::Start(Tag::Heading { id, level, .. }) => {
                let level = level as usize;
                if level > heading_level + 1 {
                    found.push(at(
                        range.start,
                        Severity::Info,
                        format!(
                            "a level-{level} heading follows level {heading_level}: readers who move through a page by its headings find a level missing (write {} here, or the heading it belongs under)",
                            "#".repeat(heading_level + 1)
                        ),
                    ));
                }
                heading_level = level;
                if let Some(id) = id.filter(|id| !explicit_ids.insert(id.to_string())) {
                    found.push(at(
                        range.start,
                        Severity::Warning,
                        format!("heading id #{id} is given twice: links to #{id} reach only the first heading; give this one another id"),
                    ));
                }
                let mut text = String::new();
                for (e, _) in events.by_ref() {
                    match e {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(t) | Event::Code(t) => text.push_str(&t),
                        Event::Start(Tag::Image { .. }) | Event::InlineHtml(_) => text.push('*'),
                        _ => {}
                    }
                }
                if text.trim().is_empty() {
                    found.push(at(
                        range.start,
                        Severity::Warning,
                        "heading without text: readers see an empty title (remove it, or write the heading)".into(),
                    ));
                }
            }
            Event::Start(Tag::Paragraph) => {
                if let Some((Event::Text(t), r)) = events.peek() {
                    let hashes = t.chars().take_while(|c| *c == '#').count();
                    let next = t[hashes..].chars().next();
                    if (2..=6).contains(&hashes) && next.is_some_and(|c| !c.is_whitespace()) {
                        found.push(at(
                            r.start,
                            Severity::Warning,
                            format!(
                                "\"{}\" is not a heading: put a space after the #",
                                t.lines().next().unwrap_or_default()
                            ),
                        ));
                    }
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let mut has_text = false;
                let mut depth = 1;
                for (e, _) in events.by_ref() {
                    match e {
                        Event::Start(Tag::Link { .. }) => depth += 1,
                        Event::End(TagEnd::Link) => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        Event::Text(t) | Event::Code(t) if !t.trim().is_empty() => has_text = true,
                        Event::Start(Tag::Image { .. }) | Event::InlineHtml(_) => has_text = true,
                        _ => {}
                    }
                }
                if !has_text && !dest_url.trim().is_empty() {
                    found.push(at(
                        range.start,
                        Severity::Warning,
                        format!("link without text: readers cannot see or follow it (link to \"{dest_url}\")"),
                    ));
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let mut alt = String::new();
                for (e, _) in events.by_ref() {
                    match e {
                        Event::End(TagEnd::Image) => break,
                        Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                        _ => {}
                    }
                }
                if let Some(host) = third_party_host(&dest_url) {
                    found.push(at(range.start, Severity::Error, format!("image loads from a third party ({host}): every reader's browser would contact it; keep a copy beside the page (link to \"{dest_url}\")")));
                }
                if alt.trim().is_empty() {
                    found.push(at(range.start, Severity::Info, format!("image without alternative text: screen readers and broken links show nothing (link to \"{dest_url}\")")));
                }
            }
            Event::Start(Tag::HtmlBlock) => html_block = None,
            Event::Html(_) => {
                let span = html_block.get_or_insert(range.clone());
                span.end = range.end;
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(span) = html_block.take() {
                    for (offset, what, url) in third_party_resources(&body[span.clone()]) {
                        found.push(at(span.start + offset, Severity::Error, third_party_message(&what, &url)));
                    }
                }
            }
            Event::InlineHtml(_) => {
                for (offset, what, url) in third_party_resources(&body[range.clone()]) {
                    found.push(at(range.start + offset, Severity::Error, third_party_message(&what, &url)));
                }
            }
            _ => {}
        }
    }
    text_problems(text_run.take(), &mut found);
    drop(events);
    for (offset, reference) in undefined {
        found.push(at(offset, Severity::Warning, format!("no link definition for [{reference}]: the brackets show as plain text (add \"[{reference}]: URL\" or write [text](URL))")));
    }
    found
}

/// Template tags of other generators left in a page's text, which readers
/// would see as written: Hugo shortcodes (`{{< … >}}`, `{{% … %}}`),
/// Jekyll Liquid and Zola tags (`{% … %}`) and expressions or Zola
/// shortcodes (`{{ … }}`): (offset, message) for each.
fn template_tags(text: &str) -> Vec<(usize, String)> {
    const KINDS: [(&str, &str, &str); 4] = [
        ("{{<", ">}}", "a Hugo shortcode"),
        ("{{%", "%}}", "a Hugo shortcode"),
        ("{%", "%}", "a template tag (Jekyll's Liquid or a Zola shortcode)"),
        ("{{", "}}", "a template expression (Liquid, Hugo or a Zola shortcode)"),
    ];
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find('{').map(|i| from + i) {
        let rest = &text[start..];
        let tag = KINDS.iter().find_map(|(open, close, what)| {
            let end = rest.strip_prefix(open)?.find(close)? + open.len() + close.len();
            Some((end, *what))
        });
        let Some((end, what)) = tag else {
            from = start + 1;
            continue;
        };
        let written: String = rest[..end].split_whitespace().collect::<Vec<_>>().join(" ");
        let shown = match written.char_indices().nth(60) {
            Some((cut, _)) => format!("{}…", &written[..cut]),
            None => written,
        };
        found.push((
            start,
            format!(
                "\"{shown}\" is {what} left in the text: readers see it as written; \
                 write what it made in Markdown (a link, an image, a note), or put it in `code` if it is meant to be read"
            ),
        ));
        from = start + end;
    }
    found
}

/// `[text](some file.md)`: a link whose address holds a space is no link
/// in Markdown, and readers see the brackets: (offset, message) for each
/// such address that looks like a path.
fn spaced_destinations(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(middle) = text[from..].find("](").map(|i| from + i) {
        from = middle + 2;
        let Some(open) = text[..middle].rfind('[') else { continue };
        let Some(close) = text[from..].find([')', '\n']).map(|i| from + i).filter(|&i| &text[i..=i] == ")") else {
            continue;
        };
        let address = &text[from..close];
        let looks_like_path = address.contains(['/', '.', '#']) && !address.trim().contains('"');
        if !address.trim().contains(char::is_whitespace) || !looks_like_path {
            continue;
        }
        let escaped = address.trim().replace(' ', "%20");
        found.push((
            open,
            format!(
                "\"{}\" is not a link: an address cannot hold spaces, so readers see the brackets; \
                 write {escaped} or <{}>",
                &text[open..=close],
                address.trim()
            ),
        ));
        from = close + 1;
    }
    found
}

fn third_party_message(what: &str, url: &str) -> String {
    let host = third_party_host(url).unwrap_or_default();
    format!("{what} loads from a third party ({host}): every reader's browser would contact it; keep a copy in the site (\"{url}\")")
}

/// Resources a piece of raw HTML would load from other hosts: (offset,
/// what loads it — `<iframe src>`, `style url()` —, URL).
fn third_party_resources(html: &str) -> Vec<(usize, String, String)> {
    let mut found = Vec::new();
    for tag in tags(html) {
        for (name, value, offset) in &tag.attributes {
            let loads = match name.as_str() {
                "src" | "poster" | "data" | "background" | "lowsrc" => true,
                "href" | "xlink:href" => {
                    matches!(tag.name.as_str(), "link" | "image" | "use" | "feimage")
                }
                _ => false,
            };
            let urls: Vec<&str> = match name.as_str() {
                "srcset" | "imagesrcset" => value.split(',').filter_map(|c| c.split_whitespace().next()).collect(),
                _ if loads => vec![value.as_str()],
                _ => Vec::new(),
            };
            for url in urls.into_iter().filter(|u| third_party_host(u).is_some()) {
                found.push((*offset, format!("<{} {name}>", tag.name), url.to_string()));
            }
        }
    }
    // CSS in style attributes and <style> elements.
    let lower = html.to_ascii_lowercase();
    for (marker, what) in [("url(", "CSS url()"), ("@import", "CSS @import")] {
        for (offset, _) in lower.match_indices(marker) {
            let rest = html[offset + marker.len()..].trim_start();
            let rest = rest.strip_prefix("url(").unwrap_or(rest).trim_start();
            let url: String = rest
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| !matches!(c, '"' | '\'' | ')' | ';') && !c.is_whitespace())
                .collect();
            if third_party_host(&url).is_some() {
                found.push((offset, what.to_string(), url));
            }
        }
    }
    found.sort();
    found
}

struct HtmlTag {
    name: String,
    /// (lowercase name, value, offset of the attribute)
    attributes: Vec<(String, String, usize)>,
}

/// Start tags of an HTML fragment, with their attributes; comments skipped.
fn tags(html: &str) -> Vec<HtmlTag> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(open) = html[i..].find('<').map(|p| p + i) {
        if html[open..].starts_with("<!--") {
            i = html[open..].find("-->").map_or(html.len(), |e| open + e + 3);
            continue;
        }
        let name_len = html[open + 1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
            .unwrap_or(html.len() - open - 1);
        i = open + 1 + name_len;
        if name_len == 0 || !bytes[open + 1].is_ascii_alphabetic() {
            continue;
        }
        let mut tag = HtmlTag { name: html[open + 1..i].to_ascii_lowercase(), attributes: Vec::new() };
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                break;
            }
            let start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/') {
                i += 1;
            }
            let name = html[start..i].to_ascii_lowercase();
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = String::new();
            if i < bytes.len() && bytes[i] == b'=' {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                    let quote = bytes[i] as char;
                    let end = html[i + 1..].find(quote).map_or(html.len(), |e| i + 1 + e);
                    value = html[i + 1..end].to_string();
                    i = (end + 1).min(html.len());
                } else {
                    let end =
                        html[i..].find(|c: char| c.is_ascii_whitespace() || c == '>').map_or(html.len(), |e| i + e);
                    value = html[i..end].to_string();
                    i = end;
                }
            }
            if name.is_empty() {
                i += 1;
                continue;
            }
            tag.attributes.push((name, value, start));
        }
        tags.push(tag);
    }
    tags
}

/// 1-based line and column (in characters) of byte `offset` of `text`,
/// whose first line is line `first_line` of its file.
fn position(text: &str, offset: usize, first_line: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = first_line + before.matches('\n').count();
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Where the CLI shows a path: relative to the current folder as given.
pub fn shown_path(path: &Path) -> String {
    path.display().to_string().trim_start_matches("./").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn third_party_resources_in_raw_html_are_found_and_links_are_not() {
        let html = "<p><a href=\"https://example.org/\">fine</a>\n<iframe src=\"https://video.example/embed/1\"></iframe>\n<img srcset=\"local.png 1x, //cdn.example/x.png 2x\">\n<link rel=stylesheet href='http://fonts.example/css'>\n<div style=\"background: url(https://img.example/bg.jpg)\"></div>\n<video poster=local.jpg><source src=\"https://media.example/v.mp4\"></video>\n<!-- <img src=\"https://commented.example/x\"> -->\n<img src=\"data:image/png;base64,xx\"><img src=\"/img/local.png\">";
        let found: Vec<String> =
            third_party_resources(html).into_iter().map(|(_, what, url)| format!("{what} {url}")).collect();
        assert_eq!(
            found,
            [
                "<iframe src> https://video.example/embed/1",
                "<img srcset> //cdn.example/x.png",
                "<link href> http://fonts.example/css",
                "CSS url() https://img.example/bg.jpg",
                "<source src> https://media.example/v.mp4",
            ]
        );
    }

    #[test]
    fn template_tags_of_other_generators_are_found_once_each() {
        let text = "A {{< figure src=\"x.png\" >}} and {{% note %}}b{{% /note %}}, {% include a.html %}, \
                    {{ youtube(id=\"x\") }} and {{ page.title }}; {not a tag} {{ unclosed";
        let found: Vec<(usize, String)> = template_tags(text);
        let tags: Vec<&str> = found.iter().map(|(_, m)| m.split('"').nth(1).unwrap()).collect();
        assert_eq!(
            tags,
            [
                "{{< figure src=",
                "{{% note %}}",
                "{{% /note %}}",
                "{% include a.html %}",
                "{{ youtube(id=",
                "{{ page.title }}"
            ]
        );
        assert_eq!(found[0].0, 2);
        assert!(found[0].1.contains("a Hugo shortcode left in the text"), "{}", found[0].1);
        assert!(template_tags("plain {text} and { braces }").is_empty());
    }

    #[test]
    fn link_addresses_with_spaces_are_found_and_prose_is_not() {
        let text = "See [the guide](../My Folder/page one.md) and [x](notes about this) or (a) [b](c).";
        let found = spaced_destinations(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 4);
        assert!(found[0].1.contains("write ../My%20Folder/page%20one.md or <../My Folder/page one.md>"), "{found:?}");
    }

    #[test]
    fn hosts_of_third_party_urls() {
        assert_eq!(third_party_host("https://user@cdn.example:8080/x").as_deref(), Some("cdn.example:8080"));
        assert_eq!(third_party_host("//cdn.example").as_deref(), Some("cdn.example"));
        assert_eq!(third_party_host("mailto:a@b.example"), None);
        assert_eq!(third_party_host("../img/x.png"), None);
    }

    #[test]
    fn template_key_uses_are_found_with_their_position() {
        let mut templates = BTreeMap::new();
        templates.insert(
            "a.html".to_string(),
            TemplateFile {
                path: "a.html".into(),
                text: "<p>{{ t(key=\"one\", lang=lang.code) }}</p>\n{{ t( key = 'two' ) }} {{ not_t(key=\"no\") }}\n{{ t_marked(key=\"three\", lang=l) }} {{ t_lang(key=\"no\", lang=l) }}"
                    .into(),
            },
        );
        let uses: Vec<_> =
            used_keys(&templates).into_iter().map(|u| format!("{}:{}:{}", u.key, u.line, u.column)).collect();
        assert_eq!(uses, ["one:1:7", "two:2:4", "three:3:4"]);
    }

    #[test]
    fn fluent_message_ids_but_not_terms_or_comments() {
        assert_eq!(message_id("skip-to-content = Skip"), Some("skip-to-content"));
        assert_eq!(message_id("-brand = Infrared"), None);
        assert_eq!(message_id("# a = b"), None);
        assert_eq!(message_id("    [one] x = y"), None);
    }
}
