//! Tera templates and the typed views they receive. Turns the [`Site`] into
//! HTML artifacts: every page in every language, taxonomy pages, 404 pages,
//! the language chooser and alias redirects.

use crate::error::CollectInOrder;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use fluent_bundle::{FluentArgs, FluentValue};
use rayon::prelude::*;
use serde::Serialize;
use tera::Tera;

use crate::config::{Config, Language};
use crate::content::NodeKind;
use crate::error::{read_text, Error, Result};
use crate::freshness::Freshness;
use crate::front_matter::field_line;
use crate::i18n::I18n;
use crate::markdown::{Href, Link, LinkTarget};
use crate::output::Artifact;
use crate::scope::{human_size, Download, Downloads, OutsideNote, Scope};
use crate::shared_partials::SharedPartials;
use crate::site::{
    term_page, term_slug, Site, FEED, NOT_FOUND_PAGE, OFFLINE_FILES, SEARCH_PAGE, TRANSLATIONS_PAGE, WEB_APP_MANIFEST,
};
use crate::template_probe::{Failed, Pinned, Probe};
use crate::template_sources::{includes_of, name_uses, ThemeSources, INFRARED_FUNCTIONS};
use crate::urls::{encode_path, page_dir, percent_decode, query_and_anchor, Linker};

pub use crate::template_sources::REQUIRED_TEMPLATES;

pub struct Theme {
    tera: Tera,
    /// The theme's `static/` files, relative to it, sorted.
    pub static_files: Vec<(String, Vec<u8>)>,
    /// Every template's text by name, the site's own `templates/` laid over
    /// the theme's (`serve` compares them to know what a change touches).
    pub sources: BTreeMap<String, String>,
    /// Every template's file, by name, for errors met while rendering.
    paths: BTreeMap<String, PathBuf>,
    /// Partials that read only what every page gets: a run of pages renders
    /// each once.
    shared: SharedPartials,
    /// The templates as read and parsed, for the checks of UI strings.
    templates: ThemeSources,
    /// The probes made for render errors, by what failed: pages failing
    /// alike share one (`template_probe`).
    probes: Probes,
}

/// Probes by what failed: whether it is a variable (else a call), and its name.
type Probes = Mutex<HashMap<(bool, String), Arc<Option<Probe>>>>;

impl Theme {
    /// The theme from `themes/<name>/` (or the embedded default), with the
    /// site's own `templates/` laid over it; every template that cannot be
    /// used is an error at its file and line.
    pub fn load(config: &Config, i18n: Arc<I18n>) -> Result<Theme> {
        Theme::from_sources(ThemeSources::load(config)?, i18n)
    }

    /// [`Theme::load`] from templates already read.
    pub fn from_sources(mut sources: ThemeSources, i18n: Arc<I18n>) -> Result<Theme> {
        let mut tera = sources.compile()?;
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        let [t, t_lang, t_marked] = INFRARED_FUNCTIONS;
        tera.register_function(t_lang, UiLanguage { i18n: i18n.clone() });
        let translate = Arc::new(Translate::new(i18n.clone()));
        tera.register_function(t_marked, MarkedTranslate { translate: translate.clone(), i18n });
        tera.register_function(t, SharedTranslate(translate));
        let shared = SharedPartials::share(&mut tera, COMMON_KEYS);
        let (texts, paths) = (sources.texts(), sources.paths());
        let static_files = std::mem::take(&mut sources.static_files);
        Ok(Theme { tera, static_files, sources: texts, paths, shared, templates: sources, probes: Mutex::default() })
    }

    /// Every template with its file and syntax tree, as `check` reads them.
    pub fn template_sources(&self) -> &ThemeSources {
        &self.templates
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    pub fn render(&self, name: &str, context: &tera::Context, what: &str) -> Result<String> {
        self.tera.render(name, context).map_err(|e| self.render_error(name, context, what, &e))
    }

    /// [`Theme::render`] as bytes, written into a buffer of `capacity`:
    /// a page's HTML goes to a file as it is, so it is neither checked as
    /// UTF-8 again nor grown from Tera's small first buffer.
    pub fn render_bytes(&self, name: &str, context: &tera::Context, what: &str, capacity: usize) -> Result<Vec<u8>> {
        let mut html = Vec::with_capacity(capacity);
        self.tera.render_to(name, context, &mut html).map_err(|e| self.render_error(name, context, what, &e))?;
        Ok(html)
    }

    /// A render error at the template file, line and column it comes
    /// from. Tera gives no line, and names the template only for an
    /// undefined variable (else the block's template, or the one
    /// rendered): an undefined variable or a failing call is pinned by
    /// rendering the page once more (`template_probe`); anything else is
    /// placed at the first line naming what failed, and the message says
    /// it is a guess.
    fn render_error(&self, name: &str, context: &tera::Context, what: &str, e: &tera::Error) -> Error {
        let chain = error_chain(e);
        // Tera's own frames ("Failed to render 'page.html'…") aside.
        let reasons: Vec<&str> =
            chain.iter().map(String::as_str).filter(|m| !m.starts_with("Failed to render")).collect();
        let failed = failing_name(&reasons);
        let reason = reasons.join(": ");
        let reason = reason.split(" while rendering '").next().unwrap_or(&reason);
        let hint = match &failed {
            Some(Failing::Variable(variable)) => variable_hint(variable, name, context),
            Some(other) => other.hint().to_string(),
            None => RENDER_HINT.to_string(),
        };
        if let Some(pinned) = failed.as_ref().and_then(|f| self.pin(name, context, f)) {
            let path = &self.paths[&pinned.template];
            let started = if pinned.template == name { String::new() } else { format!(" through {name}") };
            let message = format!("{reason} (while rendering {what}{started})");
            return Error::input_at(path.clone(), (pinned.line, pinned.column), message, hint);
        }
        let culprit = self.failing_template(name, context, &chain, failed.as_ref());
        let (Some(path), Some(text)) = (self.paths.get(culprit), self.sources.get(culprit)) else {
            // A template the theme does not have: Tera's own words.
            return Error::Template {
                name: name.to_string(),
                message: format!("{} (while rendering {what})", chain.join(": ")),
            };
        };
        let lines = failed.as_ref().map(|f| f.lines_in(text)).unwrap_or_default();
        let started = if culprit == name { String::new() } else { format!(" through {name}") };
        let mut message = format!("{reason} (while rendering {what}{started})");
        if let Some(f) = &failed {
            message.push_str(&line_guess(f, &lines));
        }
        Error::input(path.clone(), lines.first().copied(), message, hint)
    }

    /// The place that failed, found by rendering `name` once more with
    /// every place naming what failed renamed (`template_probe`): only for
    /// an undefined variable or a failing call, in the theme's templates.
    fn pin(&self, name: &str, context: &tera::Context, failed: &Failing) -> Option<Pinned> {
        let (failed, key) = match failed {
            Failing::Variable(variable) => (Failed::Undefined(variable), (true, variable.to_string())),
            Failing::Call(call) => (Failed::Call(call), (false, call.to_string())),
            Failing::Quoted(_) => return None,
        };
        let probe = {
            let mut probes = self.probes.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let probe = probes.entry(key).or_insert_with(|| {
                let texts = self.sources.iter().map(|(name, text)| (name.as_str(), text.as_str()));
                Arc::new(Probe::new(&self.tera, texts, |t| self.templates.template(t), failed))
            });
            probe.clone()
        };
        let pinned = probe.as_ref().as_ref()?.pin(name, context)?;
        self.paths.contains_key(&pinned.template).then(|| pinned.clone())
    }

    /// The template a render error comes from: one Tera's messages name
    /// (for an undefined variable, a block of another template, a macro)
    /// whose text names what failed, else the one template that `name`
    /// reaches which fails alone the same way, else the first Tera names,
    /// else `name`.
    fn failing_template<'s>(
        &'s self,
        name: &'s str,
        context: &tera::Context,
        chain: &[String],
        failed: Option<&Failing>,
    ) -> &'s str {
        let named: Vec<&'s str> = named_templates(chain, &self.tera)
            .iter()
            .filter_map(|n| self.paths.get_key_value(n))
            .map(|(n, _)| n.as_str())
            .collect();
        let names_it = |t: &&&str| failed.is_some_and(|f| !f.lines_in(&self.sources[**t]).is_empty());
        if let Some(named) = named.iter().find(names_it) {
            return named;
        }
        self.failing_alone(name, context, chain)
            .or_else(|| self.only_naming(name, failed?))
            .or(named.first().copied())
            .unwrap_or(name)
    }

    /// The one template `name` reaches (itself included) whose text names
    /// what failed: a partial that fails alone for another reason, as one
    /// reading its loop's variable does (`{% for n in … %}{% include … %}`).
    fn only_naming<'s>(&'s self, name: &str, failed: &Failing) -> Option<&'s str> {
        let reached = reached_templates(&self.tera, name);
        let mut naming =
            reached.iter().filter(|t| self.sources.get(**t).is_some_and(|text| !failed.lines_in(text).is_empty()));
        match (naming.next(), naming.next()) {
            (Some(only), None) => self.paths.get_key_value(*only).map(|(known, _)| known.as_str()),
            _ => None,
        }
    }

    /// The one template `name` reaches (extends, includes) that, rendered
    /// alone with `context`, fails as `chain` says (the innermost such).
    fn failing_alone<'s>(&'s self, name: &str, context: &tera::Context, chain: &[String]) -> Option<&'s str> {
        // Tera names the template it renders from in some messages.
        let unnamed = |m: &String| m.split(" while rendering '").next().unwrap_or_default().to_string();
        let innermost = chain.last().map(unnamed);
        let fails_alike = |e: tera::Error| error_chain(&e).last().map(unnamed) == innermost;
        let failing: Vec<&str> = reached_templates(&self.tera, name)
            .into_iter()
            .filter(|t| *t != name)
            .filter(|t| self.tera.render(t, context).err().is_some_and(fails_alike))
            .collect();
        // A partial including the failing one fails the same way.
        let mut innermost_failing = failing.iter().filter(|t| {
            reached_templates(&self.tera, t).iter().all(|reached| reached == *t || !failing.contains(reached))
        });
        match (innermost_failing.next(), innermost_failing.next()) {
            (Some(only), None) => self.paths.get_key_value(*only).map(|(known, _)| known.as_str()),
            _ => None,
        }
    }
}

const RENDER_HINT: &str = "fix the template; until then the site cannot be built";

const OPTIONAL_VALUE_HINT: &str = "correct the name (README's Theme section lists what templates get); a value \
     only some pages have needs a test, `{% if page.extra.x %}`, or a default, `{{ page.extra.x | default(value=\"\") }}`";

/// What pages get besides [`Common`]: the keys of [`PageOwn`].
const PAGE_KEYS: &[&str] = &[
    "page",
    "breadcrumbs",
    "nav",
    "nav_parent",
    "nav_before",
    "nav_after",
    "nav_total",
    "pages",
    "sections",
    "translations",
    "untranslated",
    "canonical",
    "packs",
];

/// The keys of [`PAGE_KEYS`] that generated pages get too ([`Alternates`]).
const ALTERNATE_KEYS: &[&str] = &["translations", "untranslated"];

/// What to do about `variable`, undefined while `template` rendered with
/// `context`: a value only pages get, read by a template other pages use
/// too (`page.title` in `base.html`, which tag and 404 pages extend), is
/// the usual case.
fn variable_hint(variable: &str, template: &str, context: &tera::Context) -> String {
    let root = variable.split(['.', '[']).next().unwrap_or(variable);
    if context.contains_key(root) {
        return OPTIONAL_VALUE_HINT.to_string();
    }
    if ALTERNATE_KEYS.contains(&root) {
        return format!(
            "`{root}` is given to pages and to tag, search, translation-status and 404 pages, not to \
             {template}: test it first, `{{% if {root} %}}…{{% endif %}}`"
        );
    }
    if PAGE_KEYS.contains(&root) {
        return format!(
            "`{root}` is given to pages only (index.html, section.html, page.html, a page's own template), \
             not to {template}: where tag, search, 404 and other pages render it too, test it first, \
             `{{% if {root} %}}…{{% endif %}}`"
        );
    }
    format!(
        "{template} gets no `{root}` (README's Theme section lists what each template gets; a loop's or a \
         macro's variables are known only inside it): correct the name, or test it first, `{{% if {root} %}}`"
    )
}

/// What a render error's message says of the line it is placed at: a
/// guess, the first of `lines` naming what failed.
fn line_guess(failed: &Failing, lines: &[usize]) -> String {
    let Some((first, more)) = lines.split_first() else {
        return String::new();
    };
    let also = match more {
        [] => String::new(),
        [one] => format!(" (line {one} names it too)"),
        _ => format!(" (lines {} name it too)", more.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")),
    };
    format!("; Tera gives no line: line {first} is the first naming `{}`{also}", failed.name())
}

/// What a render error says failed.
enum Failing<'a> {
    /// An undefined variable, as written (`page.autor`).
    Variable(&'a str),
    /// A function, filter or test whose call failed.
    Call(&'a str),
    /// A name the message quotes.
    Quoted(&'a str),
}

impl Failing<'_> {
    fn name(&self) -> &str {
        let (Failing::Variable(name) | Failing::Call(name) | Failing::Quoted(name)) = self;
        name
    }

    /// The lines of `text` naming it (1-based).
    fn lines_in(&self, text: &str) -> Vec<usize> {
        let name = self.name();
        let names = |line: &str| match self {
            Failing::Call(_) => name_uses(line, name).any(|at| {
                let (before, after) = (line[..at].trim_end(), line[at + name.len()..].trim_start());
                after.starts_with('(') || before.ends_with('|') || before.ends_with(" is")
            }),
            _ => name_uses(line, name).any(|at| !line[..at].ends_with('.')),
        };
        text.lines().enumerate().filter(|(_, line)| names(line)).map(|(i, _)| i + 1).collect()
    }

    fn hint(&self) -> &'static str {
        match self {
            Failing::Variable(_) => OPTIONAL_VALUE_HINT,
            Failing::Call(_) => "correct the call's arguments as the message says",
            Failing::Quoted(_) => RENDER_HINT,
        }
    }
}

/// What Tera's messages (outermost first) name as failing: an undefined
/// variable (`nolang` in "Function call 't' failed: Variable `nolang` not
/// found…"), else a failing call, else the innermost name quoted.
fn failing_name<'m>(messages: &[&'m str]) -> Option<Failing<'m>> {
    let quoted = |message: &'m str, open: &str, close: char| {
        let rest = message.split_once(open)?.1;
        Some(&rest[..rest.find(close)?]).filter(|name| !name.is_empty())
    };
    let undefined = |m: &'m str| quoted(m, "Variable `", '`').filter(|_| m.contains("` not found in context"));
    let call = |m: &'m str| ["Function call '", "Filter call '", "Test call '"].iter().find_map(|o| quoted(m, o, '\''));
    let innermost = messages.iter().rev();
    innermost
        .clone()
        .find_map(|m| undefined(m).map(Failing::Variable))
        .or_else(|| innermost.clone().find_map(|m| call(m).map(Failing::Call)))
        .or_else(|| innermost.clone().find_map(|m| quoted(m, "`", '`').map(Failing::Quoted)))
}

/// The templates Tera's messages name as failing, most likely first: the
/// innermost `while rendering '…'` (an undefined variable's), the
/// block's `error happened in '…'`, the one file defining the macro
/// being rendered.
fn named_templates(chain: &[String], tera: &Tera) -> Vec<String> {
    let named = |text: &str| {
        let message = chain.iter().rev().find(|m| m.contains(text))?;
        let rest = &message[message.rfind(text)? + text.len()..];
        Some(rest[..rest.find('\'')?].to_string())
    };
    let in_macro = || {
        let message = chain.iter().find(|m| m.contains("error while rendering macro `"))?;
        let rest = &message[message.find("macro `")? + "macro `".len()..];
        let macro_name = rest[..rest.find('`')?].rsplit("::").next()?;
        let mut defining =
            tera.get_template_names().filter(|n| tera.get_template(n).is_ok_and(|t| t.macros.contains_key(macro_name)));
        match (defining.next(), defining.next()) {
            (Some(only), None) => Some(only.to_string()),
            _ => None,
        }
    };
    [named(" while rendering '"), named("(error happened in '"), in_macro()].into_iter().flatten().collect()
}

/// `name` and every template rendering it may reach: what it extends,
/// imports and includes, and so on, sorted.
fn reached_templates<'t>(tera: &'t Tera, name: &str) -> Vec<&'t str> {
    let mut seen: BTreeSet<&'t str> = BTreeSet::new();
    let mut waiting: Vec<&'t str> = tera.get_template(name).map(|t| t.name.as_str()).into_iter().collect();
    while let Some(next) = waiting.pop() {
        let Ok(template) = tera.get_template(next) else { continue };
        if !seen.insert(template.name.as_str()) {
            continue;
        }
        waiting.extend(template.parents.iter().map(String::as_str));
        waiting.extend(template.imported_macro_files.iter().map(|(file, _)| file.as_str()));
        let included = includes_of(template).into_iter().flatten().filter_map(|n| tera.get_template(n).ok());
        waiting.extend(included.map(|t| t.name.as_str()));
    }
    seen.into_iter().collect()
}

/// Escapes what HTML needs escaped, and no more: URLs keep their slashes.
fn escape_html(input: &str) -> String {
    crate::markdown::escape_html(input)
}

/// The messages of an error and of each of its sources, outermost first.
fn error_chain(e: &tera::Error) -> Vec<String> {
    let mut messages = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        messages.push(s.to_string());
        source = s.source();
    }
    messages
}

/// `t(key="…", lang="…", count=3)` in templates: a UI string in `lang`, with
/// any other arguments passed to Fluent (numbers select plural forms).
struct Translate {
    i18n: Arc<I18n>,
    /// Strings without arguments, by language and key: every page asks for
    /// the same score of them, and `t()` calls were 4% of a build's CPU.
    plain: RwLock<HashMap<String, HashMap<String, tera::Value>>>,
    /// Strings with arguments, by language, key and arguments: the counts
    /// pages pass (pages before and after in a section…) repeat too.
    with_args: RwLock<HashMap<String, tera::Value>>,
}

impl Translate {
    fn new(i18n: Arc<I18n>) -> Translate {
        Translate { i18n, plain: RwLock::default(), with_args: RwLock::default() }
    }

    /// The Fluent arguments of a call: all but `key` and `lang`, in name order.
    fn fluent_args(args: &HashMap<String, tera::Value>) -> Vec<(&str, &tera::Value)> {
        let mut list: Vec<(&str, &tera::Value)> =
            args.iter().filter(|(name, _)| *name != "key" && *name != "lang").map(|(n, v)| (n.as_str(), v)).collect();
        list.sort_by_key(|(name, _)| *name);
        list
    }

    fn format(&self, lang: &str, key: &str, args: &[(&str, &tera::Value)]) -> tera::Value {
        let mut fluent_args = FluentArgs::new();
        for &(name, value) in args {
            match value {
                tera::Value::Number(n) => fluent_args.set(name, FluentValue::from(n.as_f64().unwrap_or(0.0))),
                tera::Value::String(s) => fluent_args.set(name, FluentValue::from(s.clone())),
                other => fluent_args.set(name, FluentValue::from(other.to_string())),
            }
        }
        tera::Value::String(self.i18n.t(lang, key, Some(&fluent_args)))
    }

    fn with_args(&self, lang: &str, key: &str, args: &HashMap<String, tera::Value>) -> tera::Value {
        let args = Translate::fluent_args(args);
        let mut memo_key = format!("{lang}\0{key}");
        for (name, value) in &args {
            // JSON text tells a number from a string that reads the same.
            let _ = write!(memo_key, "\0{name}={value}");
        }
        let known = self.with_args.read().unwrap_or_else(|e| e.into_inner()).get(&memo_key).cloned();
        if let Some(value) = known {
            return value;
        }
        let value = self.format(lang, key, &args);
        self.with_args.write().unwrap_or_else(|e| e.into_inner()).insert(memo_key, value.clone());
        value
    }
}

impl tera::Function for Translate {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let key = args.get("key").and_then(|v| v.as_str()).ok_or("t() needs key=\"…\"")?;
        let lang = args.get("lang").and_then(|v| v.as_str()).ok_or("t() needs lang=\"…\"")?;
        if args.len() > 2 {
            return Ok(self.with_args(lang, key, args));
        }
        let known =
            self.plain.read().unwrap_or_else(|e| e.into_inner()).get(lang).and_then(|keys| keys.get(key)).cloned();
        if let Some(value) = known {
            return Ok(value);
        }
        let value = self.format(lang, key, &[]);
        let mut plain = self.plain.write().unwrap_or_else(|e| e.into_inner());
        plain.entry(lang.to_string()).or_default().insert(key.to_string(), value.clone());
        Ok(value)
    }
}

/// `t()` registered from an `Arc`, shared with `t_marked()`'s memo.
struct SharedTranslate(Arc<Translate>);

impl tera::Function for SharedTranslate {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        tera::Function::call(&*self.0, args)
    }
}

/// `t_marked(key="…", lang="…", …)`: `t()`'s string as HTML text, inside a
/// `<span lang="…">` when it comes from another language than `lang` (or
/// than the string `within` names, as `t_lang`), for a string that shares
/// its element with other text; no span when it is `lang`'s own.
struct MarkedTranslate {
    translate: Arc<Translate>,
    i18n: Arc<I18n>,
}

impl tera::Function for MarkedTranslate {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let key = args.get("key").and_then(|v| v.as_str()).ok_or("t_marked() needs key=\"…\"")?;
        let lang = args.get("lang").and_then(|v| v.as_str()).ok_or("t_marked() needs lang=\"…\"")?;
        let within = args.get("within").and_then(|v| v.as_str());
        let text = match within {
            Some(_) => {
                let mut rest = args.clone();
                rest.remove("within");
                tera::Function::call(&*self.translate, &rest)?
            }
            None => tera::Function::call(&*self.translate, args)?,
        };
        let text = escape_html(text.as_str().unwrap_or_default());
        let source = self.i18n.language_of(lang, key).unwrap_or(lang);
        let around = within.map_or(lang, |k| self.i18n.language_of(lang, k).unwrap_or(lang));
        let marking = self.i18n.marking_between(source, around, "");
        Ok(tera::Value::String(if marking.is_empty() { text } else { format!("<span{marking}>{text}</span>") }))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `t_lang(key="…", lang="…")` in templates: the attributes the element
/// showing `t(key, lang)` needs when that string comes from another language
/// than the one around it (` lang="en"`, and `dir` when the direction
/// differs), else nothing, so pages of languages with their own strings
/// carry no extra bytes. Around it is `lang`, or `in="code"`, or
/// `within="key"`: the language the string `key` comes from, for what sits
/// inside an element marked by its own `t_lang`. Without `key` the element
/// holds text in `from="code"`, else in `lang` itself (a list of pages
/// inside a labelled `nav`). `as="data-msg-x-"` names the attributes for a
/// script that shows the string later (`data-msg-x-lang`, `data-msg-x-dir`).
struct UiLanguage {
    i18n: Arc<I18n>,
}

impl tera::Function for UiLanguage {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let lang = args.get("lang").and_then(|v| v.as_str()).ok_or("t_lang() needs lang=\"…\"")?;
        let of = |name: &str| match args.get(name) {
            Some(v) => v
                .as_str()
                .map(|key| Some(self.i18n.language_of(lang, key).unwrap_or(lang)))
                .ok_or_else(|| tera::Error::msg(format!("t_lang(): {name} is not a string"))),
            None => Ok(None),
        };
        let code = |name: &str| args.get(name).and_then(|v| v.as_str());
        let source = of("key")?.or(code("from")).unwrap_or(lang);
        let around = code("in").or(of("within")?).unwrap_or(lang);
        Ok(tera::Value::String(self.i18n.marking_between(source, around, code("as").unwrap_or_default())))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

#[derive(Serialize, Clone)]
pub struct LangView {
    pub code: String,
    pub name: String,
    pub dir: &'static str,
}

impl From<&Language> for LangView {
    fn from(l: &Language) -> Self {
        LangView { code: l.code.clone(), name: l.name.clone(), dir: l.direction.as_str() }
    }
}

#[derive(Serialize)]
struct LinkView {
    title: String,
    href: String,
    /// Language of the title (differs from the page's when shown from a fallback).
    lang: String,
    dir: &'static str,
    /// `lang` is not the page's: the link needs its own `lang` and `dir`.
    /// Templates test this flag rather than compare `lang` with `lang_code`,
    /// which costs Tera two escaped copies of each string per link.
    foreign: bool,
    current: bool,
    is_section: bool,
    description: Option<String>,
    date: Option<String>,
}

/// A language as a link: the switcher's entries, the chooser's, the status page's.
#[derive(Serialize)]
pub(crate) struct AlternateView {
    code: String,
    name: String,
    dir: &'static str,
    href: String,
    current: bool,
}

impl AlternateView {
    pub(crate) fn new(language: &Language, href: String, current_code: &str) -> AlternateView {
        AlternateView {
            code: language.code.clone(),
            name: language.name.clone(),
            dir: language.direction.as_str(),
            href,
            current: language.code == current_code,
        }
    }
}

/// What the language switcher and the `hreflang` alternates of a page the
/// build generates (tag, search, translation-status and 404 pages) list:
/// the keys pages have, `translations` being the languages the page is
/// made in. `untranslated` is always empty: such a page is made in a
/// language (with its own chrome and content) or not at all.
#[derive(Serialize)]
pub(crate) struct Alternates {
    translations: Vec<AlternateView>,
    untranslated: Vec<AlternateView>,
}

#[derive(Serialize)]
struct SiteView {
    title: String,
    description: String,
    repo_url: Option<String>,
    extra: BTreeMap<String, toml::Value>,
    /// `[[mirror.sites]]`: other copies a reader can switch to.
    mirrors: Vec<crate::config::MirrorSite>,
}

/// The keys of [`Common`]'s context: the partials that read only these
/// are shared by a run of pages.
const COMMON_KEYS: &[&str] = &[
    "site",
    "lang",
    "lang_code",
    "ui_foreign",
    "languages",
    "root",
    "home",
    "chooser",
    "feed",
    "assets",
    "offline",
    "menu",
    "menu_total",
    "search_href",
    "translation_status",
    "offline_bundle",
    "service_worker",
];

/// What every template gets.
#[derive(Serialize)]
pub(crate) struct Common {
    site: SiteView,
    lang: LangView,
    /// `lang.code` again under a plain name: Tera 1 resolves a dotted name
    /// through JSON-pointer escaping, several times slower, and the default
    /// theme asks for the code some thirty times a page.
    lang_code: String,
    /// Some UI string of this language comes from another: templates call
    /// `t_lang` only then where every page would pay for it.
    ui_foreign: bool,
    languages: Vec<AlternateView>,
    root: String,
    home: String,
    chooser: String,
    feed: String,
    assets: BTreeMap<String, String>,
    offline: bool,
    menu: Vec<LinkView>,
    /// How many sections and pages the home holds: more than `menu` lists
    /// when it has more pages than `nav_window` leaves room for.
    menu_total: usize,
    /// The language's search page, when the site has search.
    search_href: Option<String>,
    /// This language's translation status page: for translators, so not in
    /// offline bundles and packs, which link it online when they can.
    translation_status: Option<String>,
    /// The language's offline bundle, offered by the site's pages.
    offline_bundle: Option<DownloadView>,
    /// The service worker's files, for the site's pages served over HTTP.
    service_worker: Option<ServiceWorkerView>,
}

#[derive(Serialize)]
pub struct DownloadView {
    pub href: String,
    /// What it is and its size, in the reader's language.
    pub label: String,
    /// The language `label` is written in: the reader's, or a fallback's.
    pub label_lang: String,
    pub bytes: u64,
}

#[derive(Serialize)]
struct ServiceWorkerView {
    /// The language's web app manifest.
    manifest: String,
    /// The list of files "keep this language" saves.
    files: String,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: String,
    description: Option<String>,
    /// Borrowed: the final HTML of a version is made once and shown in many pages.
    content: &'a str,
    summary: String,
    toc: &'a [crate::markdown::TocEntry],
    date: Option<String>,
    updated: Option<String>,
    draft: bool,
    kind: &'static str,
    /// Output path below the language folder, as on disk (`guides/c#`)…
    path: String,
    /// … and escaped, for URLs (`guides/c%23`).
    url_path: String,
    content_lang: String,
    content_dir: &'static str,
    content_language_name: String,
    /// Some UI string of `content_lang` comes from another language (the
    /// table of contents and dates are in the content's language).
    content_ui_foreign: bool,
    is_fallback: bool,
    word_count: usize,
    reading_minutes: usize,
    taxonomies: BTreeMap<String, Vec<LinkView>>,
    edit_url: Option<String>,
    source_path: String,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    /// Set when the version shown is a translation its original has changed since.
    outdated_original: Option<OriginalView>,
}

/// The original of a page, for the notice on an outdated translation.
#[derive(Serialize)]
struct OriginalView {
    code: String,
    name: String,
    /// None in a bundle or pack without the original and no `base_url`.
    href: Option<String>,
}

#[derive(Serialize)]
struct PageContext<'a> {
    #[serde(flatten)]
    common: Common,
    #[serde(flatten)]
    own: PageOwn<'a>,
}

/// What a page's context holds besides [`Common`]. Its keys are the same for
/// every page (what a page lacks is null), so that one page's replace the
/// last one's in a context shared by a run of pages.
#[derive(Serialize)]
struct PageOwn<'a> {
    page: PageView<'a>,
    breadcrumbs: Vec<LinkView>,
    #[serde(flatten)]
    section_nav: SectionNav,
    /// Children of a section (empty for pages).
    pages: Vec<LinkView>,
    sections: Vec<LinkView>,
    translations: Vec<AlternateView>,
    untranslated: Vec<AlternateView>,
    canonical: Option<String>,
    /// A workshop's packs, offered on its page.
    packs: Vec<DownloadView>,
}

/// A page's section navigation: its section and, of the section's children,
/// at most `nav_window` around the page, so that every page's share of the
/// work stays the same however large its section grows.
#[derive(Serialize, Default)]
struct SectionNav {
    /// The children shown, in order, the current one marked.
    nav: Vec<LinkView>,
    nav_parent: Option<LinkView>,
    /// How many children come before and after those shown.
    nav_before: usize,
    nav_after: usize,
    /// How many children the section has.
    nav_total: usize,
}

/// Positions `start..end` of at most `size` items out of `total`, centred
/// on `current` and shifted to fit where it is near either end.
fn nav_window(total: usize, current: usize, size: usize) -> std::ops::Range<usize> {
    if total <= size {
        return 0..total;
    }
    let start = current.saturating_sub(size / 2).min(total - size);
    start..start + size
}

/// How many pages share one [`Common`] at most: enough that making it is a
/// small part of each page's work, few enough that one section's pages still
/// spread over the cores.
const PAGES_SHARING_COMMON: usize = 16;

/// The folder that holds `dir` (`ca/guides/` for `ca/guides/mirroring/`).
fn parent_dir(dir: &str) -> &str {
    let inner = dir.strip_suffix('/').unwrap_or(dir);
    inner.rfind('/').map_or("", |slash| &dir[..=slash])
}

/// A template context from a view.
fn context_of(view: &impl Serialize) -> Result<tera::Context> {
    tera::Context::from_serialize(view).map_err(|e| Error::Template { name: "context".into(), message: e.to_string() })
}

/// The final HTML of a version, and its word count.
struct Content {
    html: String,
    words: usize,
}

/// Renders the whole site into artifacts.
pub struct Renderer<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub i18n: &'a I18n,
    pub offline: bool,
    /// Logical asset name (`style.css`) → fingerprinted output path.
    pub assets: &'a BTreeMap<String, String>,
    pub freshness: &'a Freshness,
    /// What the output holds: `None` for the whole site, else one language's
    /// offline bundle or a workshop pack.
    pub scope: Option<&'a Scope>,
    /// Offline bundles and packs the site's pages link to.
    pub downloads: Option<&'a Downloads>,
}

impl Renderer<'_> {
    pub fn pages(&self) -> Result<Vec<Artifact>> {
        let all: Vec<usize> = (0..self.site.nodes.len()).collect();
        self.node_pages(&all)
    }

    /// The page of each of `nodes` (indexes into `site.nodes`) in every language.
    pub fn node_pages(&self, nodes: &[usize]) -> Result<Vec<Artifact>> {
        let all: Vec<&Language> = self.site.config.languages.iter().collect();
        self.node_pages_in(nodes, &all)
    }

    /// The pages of `nodes` in `languages` only (those the scope holds).
    pub fn node_pages_in(&self, nodes: &[usize], languages: &[&Language]) -> Result<Vec<Artifact>> {
        self.check_templates(nodes)?;
        let jobs: Vec<(usize, &Language)> = nodes
            .iter()
            .flat_map(|&i| languages.iter().map(move |&l| (i, l)))
            .filter(|(i, l)| self.holds(&l.code, *i))
            .collect();
        let contents = self.contents(&jobs);
        let runs = self.runs_sharing_common(&jobs);
        let rendered: Vec<Vec<(usize, Result<Artifact>)>> =
            runs.par_iter().map(|run| self.run_of_pages(run, &jobs, &contents)).collect();
        let mut pages: Vec<Option<Result<Artifact>>> = jobs.iter().map(|_| None).collect();
        for (at, page) in rendered.into_iter().flatten() {
            pages[at] = Some(page);
        }
        // A run stops at its first error, so the pages it left out all come
        // after an error: the first error in the jobs' order is reported,
        // whichever thread met it first.
        pages.into_iter().flatten().collect()
    }

    /// The jobs (as positions in `jobs`) in runs that share one [`Common`],
    /// each in the jobs' order: pages of one language in one folder whose
    /// every common link leads outside their own folders, so that each link
    /// reads the same from any of them. At most [`PAGES_SHARING_COMMON`]
    /// a run, so that one section's pages still spread over the cores.
    fn runs_sharing_common(&self, jobs: &[(usize, &Language)]) -> Vec<Vec<usize>> {
        let mut targets: HashMap<&str, Vec<String>> = HashMap::new();
        let mut keyed: Vec<(Option<(&str, String)>, usize)> = Vec::with_capacity(jobs.len());
        for (at, &(index, lang)) in jobs.iter().enumerate() {
            let dir = page_dir(&lang.code, &self.site.nodes[index].path);
            let targets = targets.entry(&lang.code).or_insert_with(|| self.common_targets(lang));
            let shares = !targets.iter().any(|t| t.starts_with(&dir));
            let key = shares.then(|| (lang.code.as_str(), parent_dir(&dir).to_string()));
            keyed.push((key, at));
        }
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        let mut runs: Vec<Vec<usize>> = Vec::new();
        let mut last_key = None;
        for (key, at) in keyed {
            let joins = key.is_some() && key == last_key && runs.last().is_some_and(|r| r.len() < PAGES_SHARING_COMMON);
            match runs.last_mut() {
                Some(run) if joins => run.push(at),
                _ => runs.push(vec![at]),
            }
            last_key = key;
        }
        runs
    }

    /// What the links of a [`Common`] in `lang` lead to, from the top of the
    /// output (`ca/`, `assets/style.1a2b.css`…): every string of it written
    /// as a link from `/`, unescaped (output paths, as `c#/` is on disk).
    /// Other strings that start with `/` only make fewer pages share.
    fn common_targets(&self, lang: &Language) -> Vec<String> {
        fn collect(value: &serde_json::Value, into: &mut Vec<String>) {
            match value {
                serde_json::Value::String(s) => into.extend(s.strip_prefix('/').map(percent_decode)),
                serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, into)),
                serde_json::Value::Object(map) => map.values().for_each(|v| collect(v, into)),
                _ => {}
            }
        }
        let mut targets = Vec::new();
        if let Ok(value) = serde_json::to_value(self.common(lang, &Linker::absolute("/"))) {
            collect(&value, &mut targets);
        }
        targets
    }

    /// The pages of one run, each with its position in `jobs`: the common
    /// part of their context is made once, from the first page's folder,
    /// and each page's own part replaces the last one's.
    fn run_of_pages(
        &self,
        run: &[usize],
        jobs: &[(usize, &Language)],
        contents: &BTreeMap<(usize, &str), Content>,
    ) -> Vec<(usize, Result<Artifact>)> {
        let mut pages = Vec::with_capacity(run.len());
        let mut context: Option<tera::Context> = None;
        for &at in run {
            let (index, lang) = jobs[at];
            let content = &contents[&self.content_key(index, &lang.code)];
            let page = self.page_in_run(&mut context, index, lang, content);
            let failed = page.is_err();
            pages.push((at, page));
            if failed {
                break;
            }
        }
        pages
    }

    /// A page rendered with the run's `context`, made first when it is the
    /// run's first page.
    fn page_in_run(
        &self,
        context: &mut Option<tera::Context>,
        index: usize,
        lang: &Language,
        content: &Content,
    ) -> Result<Artifact> {
        let dir = page_dir(&lang.code, &self.site.nodes[index].path);
        let linker = Linker::new(&dir, self.offline);
        let context = match context {
            Some(context) => context,
            None => context.insert(context_of(&self.common(lang, &linker))?),
        };
        context.extend(context_of(&self.page_own(index, lang, &linker, content))?);
        let template = self.template_for(index, &lang.code);
        self.theme.shared.prepare(&self.theme.tera, template, context);
        // Room for the content and the theme's frame around it.
        let capacity = content.html.len() + 16 * 1024;
        let html = self.theme.render_bytes(template, context, &format!("/{dir}"), capacity)?;
        Ok(Artifact::bytes(format!("{dir}index.html"), html))
    }

    /// A page naming a template the theme lacks is an error at its `template` line.
    fn check_templates(&self, nodes: &[usize]) -> Result<()> {
        for &index in nodes {
            for source in self.site.node(index).versions.values() {
                let Some(name) = &source.front.template else {
                    continue;
                };
                if !self.theme.has(name) {
                    let line = read_text(&source.path).ok().and_then(|t| field_line(&t, "template")).map(|l| l + 1);
                    return Err(Error::input(
                        &source.path,
                        line,
                        format!("template \"{name}\" does not exist"),
                        "name a template of the theme (page.html, section.html…) or add it to templates/",
                    ));
                }
            }
        }
        Ok(())
    }

    /// The template a node's page in `lang` is rendered with.
    pub fn template_for(&self, index: usize, lang: &str) -> &str {
        let (source, _) = self.site.version(index, lang);
        if let Some(name) = &source.front.template {
            return name;
        }
        let node = self.site.node(index);
        match node.kind {
            NodeKind::Section if node.key.is_empty() => "index.html",
            NodeKind::Section => "section.html",
            NodeKind::Page => "page.html",
        }
    }

    /// The final HTML of every version, links filled in and raw HTML
    /// sanitised: the same for every reader's language (links lead into the
    /// reader's language at the same depth), so it is made once per version.
    /// In a bundle or a pack, whether a link leads outside depends on the
    /// reader's language, so there it is made once per page.
    fn contents<'s>(&'s self, jobs: &[(usize, &'s Language)]) -> BTreeMap<(usize, &'s str), Content> {
        let keys: BTreeSet<(usize, &str)> = jobs.iter().map(|&(i, lang)| self.content_key(i, &lang.code)).collect();
        let keys: Vec<(usize, &str)> = keys.into_iter().collect();
        keys.par_iter().map(|&(i, lang)| ((i, lang), self.content(i, lang))).collect()
    }

    /// A page's content and its word count, made once for the pages that share it.
    fn content(&self, index: usize, lang: &str) -> Content {
        let words = self.site.version(index, lang).1.word_count();
        Content { html: self.content_html(index, lang), words }
    }

    /// Which shared content a page shows: its version's, or its own in a
    /// bundle or pack.
    fn content_key<'s>(&'s self, index: usize, reader: &'s str) -> (usize, &'s str) {
        match self.scope {
            None => (index, self.site.shown_lang(index, reader)),
            Some(_) => (index, reader),
        }
    }

    /// The content of page `index` for readers of `lang`, ready to insert.
    pub fn content_html(&self, index: usize, lang: &str) -> String {
        let dir = page_dir(lang, &self.site.nodes[index].path);
        let linker = Linker::new(&dir, self.offline);
        let (_, rendered) = self.site.version(index, lang);
        if self.site.config.trusts_html(&self.site.node(index).key) {
            let notes = self.scope.is_none_or(|s| s.facilitator_notes);
            let shown = self.site.shown_lang(index, lang);
            return rendered.html_for(notes, |link| self.content_href(link, &linker, lang, shown));
        }
        // Sanitising is the costly part: done once per version, shared by
        // the site and the offline bundles, which differ only in URLs, and
        // only for versions holding what it may remove (most hold nothing
        // but what the Markdown renderer makes, see `needs_sanitizer`).
        // Outputs that hold part of a language or leave notes out change
        // more than URLs, so they sanitise their own copy.
        if self.scope.is_none_or(|s| s.pages.is_none() && s.facilitator_notes) {
            let cleaned = rendered.cleaned_once(|| {
                let tokenized = rendered.tokenized(|l| self.fixed_href(l));
                if rendered.needs_sanitizer() {
                    crate::sanitize::clean(&tokenized)
                } else {
                    tokenized
                }
            });
            // A link this output marks as leaving it (a bundle's link to a
            // generated page it does not hold) is more than a URL: such a
            // version is sanitised alone.
            let shown = self.site.shown_lang(index, lang);
            let filled = rendered.fill_tokens(cleaned, |link| match self.content_href(link, &linker, lang, shown) {
                Href::To(url) => Some(not_a_scheme(url)),
                Href::Outside { .. } | Href::Broken => None,
            });
            if let Some(html) = filled {
                return html;
            }
        }
        self.content_sanitised_alone(index, lang, &linker)
    }

    /// [`Renderer::content_html`] with links filled in first and the result
    /// sanitised on its own.
    fn content_sanitised_alone(&self, index: usize, lang: &str, linker: &Linker) -> String {
        let (_, rendered) = self.site.version(index, lang);
        let notes = self.scope.is_none_or(|s| s.facilitator_notes);
        let shown = self.site.shown_lang(index, lang);
        crate::sanitize::clean(&rendered.html_for(notes, |link| self.content_href(link, linker, lang, shown)))
    }

    /// A link's URL when it is the same wherever the page is written
    /// (another site, a heading of the page, nowhere); `None` when it
    /// depends on where (pages and files of this site).
    fn fixed_href(&self, link: &Link) -> Option<Href> {
        match &link.target {
            LinkTarget::Page { .. }
            | LinkTarget::ContentFile { .. }
            | LinkTarget::StaticFile { .. }
            | LinkTarget::Generated { .. } => None,
            _ => Some(self.href(link, &Linker::absolute("/"), "").map_or(Href::Broken, Href::To)),
        }
    }

    /// A page rendered with `template`, with `extra` in its context as `pack`
    /// (workshop packs render their pages this way).
    pub fn page_with(
        &self,
        index: usize,
        lang: &Language,
        template: &str,
        extra: serde_json::Value,
    ) -> Result<Artifact> {
        let content = self.content(index, &lang.code);
        self.render_page(index, lang, template, extra, &content)
    }

    fn render_page(
        &self,
        index: usize,
        lang: &Language,
        template: &str,
        extra: serde_json::Value,
        content: &Content,
    ) -> Result<Artifact> {
        let dir = page_dir(&lang.code, &self.site.nodes[index].path);
        let linker = Linker::new(&dir, self.offline);
        let context =
            PageContext { common: self.common(lang, &linker), own: self.page_own(index, lang, &linker, content) };
        let mut context = context_of(&context)?;
        if !extra.is_null() {
            context.insert("pack", &extra);
        }
        // Room for the content and the theme's frame around it.
        let capacity = content.html.len() + 16 * 1024;
        let html = self.theme.render_bytes(template, &context, &format!("/{dir}"), capacity)?;
        Ok(Artifact::bytes(format!("{dir}index.html"), html))
    }

    /// Any template with what every template gets, plus `extra` as `pack`,
    /// written at `path` (a workshop pack's agenda and printable page).
    pub fn render_with(
        &self,
        template: &str,
        path: &str,
        lang: &Language,
        extra: serde_json::Value,
    ) -> Result<Artifact> {
        let dir = path.rsplit_once('/').map_or("", |(d, _)| &path[..d.len() + 1]);
        let linker = Linker::new(dir, self.offline);
        let mut context = tera::Context::from_serialize(self.common(lang, &linker))
            .map_err(|e| Error::Template { name: template.into(), message: e.to_string() })?;
        context.insert("pack", &extra);
        let html = self.theme.render(template, &context, &format!("/{path}"))?;
        Ok(Artifact::bytes(path, html))
    }

    /// The page `index` in `lang` is part of this output.
    fn holds(&self, lang: &str, index: usize) -> bool {
        self.scope.is_none_or(|s| s.contains(lang, index))
    }

    /// Every page of `lang` is part of this output (its search, tags, 404…).
    fn holds_language(&self, lang: &str) -> bool {
        self.scope.is_none_or(|s| s.covers_language(lang))
    }

    /// Link to a page in `lang`: relative when this output holds it, else its
    /// address online (with `base_url`), else none.
    fn page_href(&self, linker: &Linker, lang: &str, index: usize) -> Option<String> {
        let path = &self.site.nodes[index].path;
        if self.holds(lang, index) {
            return Some(linker.page(lang, path));
        }
        self.online(lang, path)
    }

    fn online(&self, lang: &str, path: &str) -> Option<String> {
        self.online_generated(&page_dir(lang, path))
    }

    /// The address online (with `base_url`) of an output file or folder.
    fn online_generated(&self, output: &str) -> Option<String> {
        let base = self.site.config.base_url.as_deref()?;
        Some(format!("{base}/{}", encode_path(output)))
    }

    /// Whether this output holds a generated page (`ca/search/`): the whole
    /// site does (but for the service worker's files, when built for
    /// `file://`); a language's offline bundle holds that language's search,
    /// feed and taxonomy pages.
    fn holds_generated(&self, output: &str) -> bool {
        let Some(scope) = self.scope else {
            return !(self.offline && self.site.is_online_only(output));
        };
        let Some(path) = output.strip_prefix(&scope.lang).and_then(|p| p.strip_prefix('/')) else {
            return false;
        };
        self.holds_language(&scope.lang) && (path == SEARCH_PAGE || path == FEED || self.site.is_taxonomy_page(path))
    }

    fn download_view(&self, download: &Download, lang: &str, linker: &Linker) -> DownloadView {
        let mut args = FluentArgs::new();
        args.set("size", FluentValue::from(human_size(download.bytes)));
        DownloadView {
            href: linker.to(&download.path),
            label: self.i18n.t(lang, download.label_key, Some(&args)),
            label_lang: self.i18n.language_of(lang, download.label_key).unwrap_or(lang).to_string(),
            bytes: download.bytes,
        }
    }

    /// A page's own part of its context (see [`PageOwn`]).
    fn page_own<'c>(&'c self, index: usize, lang: &Language, linker: &Linker, content: &'c Content) -> PageOwn<'c> {
        let site = self.site;
        let info = &site.nodes[index];
        let node = site.node(index);
        let shown = site.shown_lang(index, &lang.code).to_string();
        let (source, rendered) = site.version(index, &lang.code);
        let shown_language = site.config.language(&shown).unwrap_or(site.config.default_lang());
        let is_fallback = shown != lang.code;
        let words = content.words;
        let (translations, untranslated): (Vec<_>, Vec<_>) = site
            .config
            .languages
            .iter()
            .filter_map(|l| Some(AlternateView::new(l, self.page_href(linker, &l.code, index)?, &lang.code)))
            .partition(|a| node.versions.contains_key(&a.code));
        let summary = source
            .front
            .description
            .clone()
            .unwrap_or_else(|| summarize(rendered.lead(self.scope.is_none_or(|s| s.facilitator_notes)), 200));
        let taxonomies = if is_fallback { BTreeMap::new() } else { self.page_terms(source, &lang.code, linker) };
        let page = PageView {
            title: site.title(index, &lang.code),
            description: source.front.description.clone(),
            content: &content.html,
            summary,
            toc: &rendered.toc,
            date: source.front.date.as_ref().map(|d| d.ymd()),
            updated: source.front.updated.as_ref().map(|d| d.ymd()),
            draft: source.front.draft,
            kind: if node.kind == NodeKind::Section { "section" } else { "page" },
            path: info.path.clone(),
            url_path: encode_path(&info.path),
            content_lang: shown.clone(),
            content_dir: shown_language.direction.as_str(),
            content_language_name: shown_language.name.clone(),
            content_ui_foreign: self.i18n.takes_foreign_strings(&shown),
            is_fallback,
            word_count: words,
            reading_minutes: words.div_ceil(200).max(1),
            taxonomies,
            edit_url: self.edit_url(&source.path),
            source_path: source.rel_path.clone(),
            extra: &source.front.extra,
            outdated_original: self.outdated_original(index, &shown, linker),
        };
        PageOwn {
            breadcrumbs: self.breadcrumbs(index, &lang.code, linker),
            section_nav: self.section_nav(index, &lang.code, linker),
            pages: info.pages.iter().map(|&c| self.link(c, &lang.code, linker, false)).collect(),
            sections: info.sections.iter().map(|&c| self.link(c, &lang.code, linker, false)).collect(),
            canonical: is_fallback.then(|| self.page_href(linker, &shown, index)).flatten(),
            translations,
            untranslated,
            packs: self
                .downloads
                .filter(|_| self.scope.is_none())
                .and_then(|d| d.packs.get(&(index, lang.code.clone())))
                .into_iter()
                .flatten()
                .map(|d| self.download_view(d, &lang.code, linker))
                .collect(),
            page,
        }
    }

    fn outdated_original(&self, index: usize, shown: &str, linker: &Linker) -> Option<OriginalView> {
        if !self.freshness.is_outdated(index, shown) {
            return None;
        }
        let info = &self.site.nodes[index];
        let original = self.site.config.language(&info.primary_lang)?;
        Some(OriginalView {
            code: original.code.clone(),
            name: original.name.clone(),
            href: self.page_href(linker, &original.code, index),
        })
    }

    pub(crate) fn common(&self, lang: &Language, linker: &Linker) -> Common {
        let config = &self.site.config;
        let (menu, menu_total) = self.menu(&lang.code, linker);
        Common {
            site: SiteView {
                title: lang.title.clone().unwrap_or_else(|| config.title.clone()),
                description: lang.description.clone().unwrap_or_else(|| config.description.clone()),
                repo_url: config.repo_url.clone(),
                extra: config.extra.clone(),
                mirrors: config.mirror.sites.clone(),
            },
            lang: lang.into(),
            lang_code: lang.code.clone(),
            ui_foreign: self.i18n.takes_foreign_strings(&lang.code),
            languages: self.language_homes(lang, linker),
            root: linker.root(),
            home: linker.page(&lang.code, ""),
            // An offline bundle or pack holds one language: "all languages"
            // are online, when the site has an address.
            chooser: match self.scope {
                None => linker.to(""),
                Some(_) => config.base_url.as_ref().map(|base| format!("{base}/")).unwrap_or_default(),
            },
            feed: linker.to(&format!("{}/{FEED}", lang.code)),
            assets: self.assets.iter().map(|(name, path)| (name.clone(), linker.to(path))).collect(),
            offline: self.offline,
            menu,
            menu_total,
            search_href: config.search.then(|| linker.to(&format!("{}/{SEARCH_PAGE}", lang.code))),
            translation_status: match self.scope {
                None => Some(linker.to(&format!("{}/{TRANSLATIONS_PAGE}", lang.code))),
                Some(_) => self.online_generated(&format!("{}/{TRANSLATIONS_PAGE}", lang.code)),
            },
            offline_bundle: self
                .downloads
                .filter(|_| self.scope.is_none())
                .and_then(|d| d.bundles.get(&lang.code))
                .map(|d| self.download_view(d, &lang.code, linker)),
            service_worker: (config.offline.service_worker && !self.offline && self.scope.is_none()).then(|| {
                ServiceWorkerView {
                    manifest: linker.to(&format!("{}/{WEB_APP_MANIFEST}", lang.code)),
                    files: linker.to(&format!("{}/{OFFLINE_FILES}", lang.code)),
                }
            }),
        }
    }

    /// Every language's home, as this output links it: relative where it
    /// holds the language, else online (with `base_url`), else left out.
    fn language_homes(&self, lang: &Language, linker: &Linker) -> Vec<AlternateView> {
        let config = &self.site.config;
        let home = |l: &Language| {
            if self.holds_language(&l.code) {
                Some(linker.page(&l.code, ""))
            } else {
                self.online(&l.code, "")
            }
        };
        config.languages.iter().filter_map(|l| Some(AlternateView::new(l, home(l)?, &lang.code))).collect()
    }

    /// The switcher of a page the build generates: the same page in each
    /// language `output` names a file or folder for (from the site root;
    /// `None` where the language has no such page), linked as a page's
    /// translations are: relative where this output holds it, else online
    /// (with `base_url`), else left out.
    pub(crate) fn generated_alternates(
        &self,
        lang: &Language,
        linker: &Linker,
        output: impl Fn(&Language) -> Option<String>,
    ) -> Alternates {
        let href = |output: String| match self.holds_generated(&output) {
            true => Some(linker.to(&output)),
            false => self.online_generated(&output),
        };
        let translations = self
            .site
            .config
            .languages
            .iter()
            .filter_map(|l| Some(AlternateView::new(l, href(output(l)?)?, &lang.code)))
            .collect();
        Alternates { translations, untranslated: Vec::new() }
    }

    /// The home's sections, then as many of its pages as fill `nav_window`
    /// entries; and how many children the home has. Every page shows the
    /// menu, so a site with hundreds of pages directly under its home would
    /// otherwise grow with the square of their number; the rest are listed
    /// on the home page, which the menu links when it leaves some out.
    fn menu(&self, lang: &str, linker: &Linker) -> (Vec<LinkView>, usize) {
        let Some(home) = self.site.index_of("") else {
            return (Vec::new(), 0);
        };
        let info = &self.site.nodes[home];
        let room = self.site.config.nav_window.saturating_sub(info.sections.len());
        let pages = &info.pages[..info.pages.len().min(room)];
        let links = info.sections.iter().chain(pages).map(|&i| self.link(i, lang, linker, false)).collect();
        (links, info.sections.len() + info.pages.len())
    }

    /// A page's section navigation; links are made only for the children shown.
    fn section_nav(&self, index: usize, lang: &str, linker: &Linker) -> SectionNav {
        let info = &self.site.nodes[index];
        let Some(parent) = info.parent.filter(|_| self.site.node(index).kind == NodeKind::Page) else {
            return SectionNav::default();
        };
        let section = &self.site.nodes[parent];
        let child =
            |n: usize| section.sections.get(n).copied().unwrap_or_else(|| section.pages[n - section.sections.len()]);
        let total = section.sections.len() + section.pages.len();
        let shown = nav_window(total, info.position, self.site.config.nav_window);
        SectionNav {
            nav: shown.clone().map(child).map(|i| self.link(i, lang, linker, i == index)).collect(),
            nav_parent: Some(self.link(parent, lang, linker, false)),
            nav_before: shown.start,
            nav_after: total - shown.end,
            nav_total: total,
        }
    }

    fn breadcrumbs(&self, index: usize, lang: &str, linker: &Linker) -> Vec<LinkView> {
        let mut crumbs = Vec::new();
        let mut at = self.site.nodes[index].parent;
        while let Some(i) = at {
            crumbs.push(self.link(i, lang, linker, false));
            at = self.site.nodes[i].parent;
        }
        crumbs.reverse();
        crumbs
    }

    fn link(&self, index: usize, lang: &str, linker: &Linker, current: bool) -> LinkView {
        let site = self.site;
        let shown = site.shown_lang(index, lang);
        let node = site.node(index);
        let source = &node.versions[shown];
        LinkView {
            title: crate::site::page_title(node, source, &site.rendered[index][shown]),
            href: linker.page(lang, &site.nodes[index].path),
            lang: shown.to_string(),
            dir: site.config.language(shown).map_or("ltr", |l| l.direction.as_str()),
            foreign: shown != lang,
            current,
            is_section: node.kind == NodeKind::Section,
            description: source.front.description.clone(),
            date: source.front.date.as_ref().map(|d| d.ymd()),
        }
    }

    fn page_terms(
        &self,
        source: &crate::content::Source,
        lang: &str,
        linker: &Linker,
    ) -> BTreeMap<String, Vec<LinkView>> {
        source
            .front
            .taxonomies
            .iter()
            .map(|(taxonomy, terms)| {
                let links = terms
                    .iter()
                    .map(|term| LinkView {
                        title: term.clone(),
                        href: linker.to(&format!("{lang}/{}", term_page(taxonomy, term))),
                        lang: lang.to_string(),
                        dir: "auto",
                        foreign: false,
                        current: false,
                        is_section: false,
                        description: None,
                        date: None,
                    })
                    .collect();
                (taxonomy.clone(), links)
            })
            .collect()
    }

    fn edit_url(&self, source: &Path) -> Option<String> {
        let config = &self.site.config;
        let repo = config.repo_url.as_deref()?;
        if !source.is_file() {
            return None;
        }
        let rel = crate::urls::relative_slash_path(&config.root, source);
        let pattern = config.edit_url.as_deref().unwrap_or("{repo_url}/edit/main/{path}");
        Some(pattern.replace("{repo_url}", repo).replace("{path}", &rel))
    }

    /// What a link in a page's content becomes in this output: like
    /// [`Renderer::href`], with pages it does not hold marked as outside
    /// (their note marked with its language when the content, in
    /// `text_lang`, is in another).
    pub fn content_href(&self, link: &Link, linker: &Linker, lang: &str, text_lang: &str) -> Href {
        if let (Some(scope), LinkTarget::Page { key, query, anchor }) = (self.scope, &link.target) {
            if let Some(index) = self.site.index_of(key).filter(|&i| !self.holds(lang, i)) {
                let url = self
                    .online(lang, &self.site.nodes[index].path)
                    .map(|url| url + &query_and_anchor(query, anchor.as_deref()));
                return Href::Outside { url, note: scope.outside_note.on_text_in(self.i18n, text_lang) };
            }
        }
        if let LinkTarget::Generated { place, path, suffix } = &link.target {
            let Some(output) = self.site.generated_output(place, path, lang) else {
                return Href::Broken;
            };
            if !self.holds_generated(&output) {
                let url = self.online_generated(&output).map(|url| url + suffix);
                let note = match self.scope {
                    Some(scope) => scope.outside_note.clone(),
                    None => OutsideNote::new(self.i18n, lang, "offline-outside"),
                };
                return Href::Outside { url, note: note.on_text_in(self.i18n, text_lang) };
            }
        }
        self.href(link, linker, lang).map_or(Href::Broken, Href::To)
    }

    /// The URL a link gets in a page shown to readers of `lang`.
    pub fn href(&self, link: &Link, linker: &Linker, lang: &str) -> Option<String> {
        match &link.target {
            LinkTarget::External(url) => Some(url.clone()),
            LinkTarget::Anchor(anchor) => Some(format!("#{}", encode_path(anchor))),
            LinkTarget::Page { key, query, anchor } => {
                let index = self.site.index_of(key)?;
                let url = linker.page(lang, &self.site.nodes[index].path);
                Some(url + &query_and_anchor(query, anchor.as_deref()))
            }
            LinkTarget::ContentFile { rel_path, suffix } => {
                Some(linker.to(&format!("{lang}/{}", self.site.content_file_output(rel_path))) + suffix)
            }
            LinkTarget::StaticFile { rel_path, suffix } => Some(linker.to(rel_path) + suffix),
            LinkTarget::Generated { place, path, suffix } => {
                let output = self.site.generated_output(place, path, lang)?;
                Some(linker.to(&output) + suffix)
            }
            LinkTarget::Broken { .. } => None,
        }
    }

    /// Taxonomy list and term pages, per language, from the versions written in it.
    pub fn taxonomies(&self) -> Result<Vec<Artifact>> {
        let pairs: Vec<(&Language, &String)> = self
            .languages()
            .flat_map(|lang| self.site.config.taxonomies.iter().map(move |taxonomy| (lang, taxonomy)))
            .collect();
        let lists: Vec<Vec<Artifact>> =
            pairs.par_iter().map(|(lang, taxonomy)| self.taxonomy(lang, taxonomy)).collect_in_order()?;
        Ok(lists.into_iter().flatten().collect())
    }

    fn taxonomy(&self, lang: &Language, taxonomy: &str) -> Result<Vec<Artifact>> {
        let mut terms: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
        for (i, node) in self.site.corpus.nodes.iter().enumerate() {
            let Some(source) = node.versions.get(&lang.code) else {
                continue;
            };
            for term in source.front.taxonomies.get(taxonomy).into_iter().flatten() {
                terms.entry(term_slug(term)).or_insert_with(|| (term.clone(), Vec::new())).1.push(i);
            }
        }
        let list_dir = page_dir(&lang.code, taxonomy);
        let linker = Linker::new(&list_dir, self.offline);
        let term_views: Vec<TermView> = terms
            .iter()
            .map(|(slug, (name, pages))| TermView {
                name: name.clone(),
                href: linker.page(&lang.code, &format!("{taxonomy}/{slug}")),
                count: pages.len(),
                pages: Vec::new(),
            })
            .collect();
        let mut artifacts =
            vec![self.taxonomy_artifact("taxonomy_list.html", lang, taxonomy, taxonomy, term_views, None)?];
        for (slug, (name, pages)) in terms {
            let path = format!("{taxonomy}/{slug}");
            let dir = page_dir(&lang.code, &path);
            let linker = Linker::new(&dir, self.offline);
            let mut links: Vec<LinkView> = pages.iter().map(|&i| self.link(i, &lang.code, &linker, false)).collect();
            links.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)));
            let term = TermView {
                name,
                href: linker.page(&lang.code, &format!("{taxonomy}/{slug}")),
                count: links.len(),
                pages: links,
            };
            artifacts.push(self.taxonomy_artifact(
                "taxonomy_term.html",
                lang,
                &path,
                taxonomy,
                Vec::new(),
                Some(term),
            )?);
        }
        Ok(artifacts)
    }

    fn taxonomy_artifact(
        &self,
        template: &str,
        lang: &Language,
        path: &str,
        taxonomy: &str,
        terms: Vec<TermView>,
        term: Option<TermView>,
    ) -> Result<Artifact> {
        let dir = &page_dir(&lang.code, path);
        let linker = Linker::new(dir, self.offline);
        let context = TaxonomyContext {
            common: self.common(lang, &linker),
            alternates: self.taxonomy_alternates(lang, &linker, path, term.is_some()),
            taxonomy: TaxonomyView { name: taxonomy.to_string(), href: linker.page(&lang.code, taxonomy), terms },
            term,
        };
        let context = tera::Context::from_serialize(&context)
            .map_err(|e| Error::Template { name: template.into(), message: e.to_string() })?;
        let html = self.theme.render(template, &context, &format!("/{dir}"))?;
        Ok(Artifact::bytes(format!("{dir}index.html"), html))
    }

    /// The taxonomy page at `path` (`tags`, `tags/privacy`) in each language
    /// that has it: every language has the list of terms; a term's page is
    /// in the languages whose versions use the term or one paired with it
    /// (`Site::term_in`).
    fn taxonomy_alternates(&self, lang: &Language, linker: &Linker, path: &str, is_term: bool) -> Alternates {
        let term = path.split_once('/').filter(|_| is_term);
        self.generated_alternates(lang, linker, |l| match term {
            Some((taxonomy, slug)) => {
                let there = self.site.term_in(taxonomy, &lang.code, slug, &l.code)?;
                Some(page_dir(&l.code, &format!("{taxonomy}/{there}")))
            }
            None => Some(page_dir(&l.code, path)),
        })
    }

    /// `/<lang>/404.html` for every language, and `/404.html` in the default one.
    pub fn not_found_pages(&self) -> Result<Vec<Artifact>> {
        let mut artifacts = Vec::new();
        let default = self.site.config.default_lang();
        let site_root = self.scope.is_none().then_some((default, String::new()));
        for (lang, dir) in self.languages().map(|l| (l, format!("{}/", l.code))).chain(site_root) {
            // Servers show a 404 page at the missing address, where relative
            // links would resolve against the wrong folder: its links are
            // absolute paths under the site's path (from base_url, else `/`).
            // An offline copy has no server, so it keeps relative links.
            let prefix = self.site.config.site_path();
            let linker = if self.offline { Linker::new(&dir, true) } else { Linker::absolute(&prefix) };
            // The same page in another language is no use to a reader who
            // followed a broken link: the switcher leads to each home.
            let alternates = Alternates { translations: self.language_homes(lang, &linker), untranslated: Vec::new() };
            let mut context = tera::Context::from_serialize(self.common(lang, &linker))
                .map_err(|e| Error::Template { name: "404.html".into(), message: e.to_string() })?;
            context.extend(context_of(&alternates)?);
            let html = self.theme.render("404.html", &context, &format!("/{dir}{NOT_FOUND_PAGE}"))?;
            artifacts.push(Artifact::bytes(format!("{dir}{NOT_FOUND_PAGE}"), html));
        }
        Ok(artifacts)
    }

    /// `/<lang>/search/`: the search page, with the result-count message in
    /// every plural form of the language (the browser picks one).
    pub fn search_pages(&self) -> Result<Vec<Artifact>> {
        if !self.site.config.search {
            return Ok(Vec::new());
        }
        let mut artifacts = Vec::new();
        for lang in self.languages() {
            let dir = format!("{}/{SEARCH_PAGE}", lang.code);
            let linker = Linker::new(&dir, self.offline);
            let mut context = tera::Context::from_serialize(self.common(lang, &linker))
                .map_err(|e| Error::Template { name: "search.html".into(), message: e.to_string() })?;
            let alternates = self.generated_alternates(lang, &linker, |l| Some(format!("{}/{SEARCH_PAGE}", l.code)));
            context.extend(context_of(&alternates)?);
            let counts = plural_patterns(self.i18n, &lang.code, "search-results");
            let plural_lang = plural_language(self.i18n, &lang.code, "search-results");
            context.insert("search", &serde_json::json!({ "counts": counts, "plural_lang": plural_lang }));
            let html = self.theme.render("search.html", &context, &format!("/{dir}"))?;
            artifacts.push(Artifact::bytes(format!("{dir}index.html"), html));
        }
        Ok(artifacts)
    }

    /// The languages whose every page this output holds.
    fn languages(&self) -> impl Iterator<Item = &Language> {
        self.site.config.languages.iter().filter(|l| self.holds_language(&l.code))
    }

    /// `/index.html`: the language chooser.
    pub fn chooser(&self) -> Result<Artifact> {
        let linker = Linker::new("", self.offline);
        let context = tera::Context::from_serialize(self.common(self.site.config.default_lang(), &linker))
            .map_err(|e| Error::Template { name: "chooser.html".into(), message: e.to_string() })?;
        let html = self.theme.render("chooser.html", &context, "/")?;
        Ok(Artifact::bytes("index.html", html))
    }

    /// Old URLs (`aliases`) redirect to the page, in every language; one
    /// naming an address outside every language's folder also at the root,
    /// as, with `root_redirects`, every page's address without a language
    /// folder does (but in a language's offline bundle): to the page in the
    /// language it was written in.
    pub fn aliases(&self) -> Vec<Artifact> {
        let mut artifacts = Vec::new();
        let config = &self.site.config;
        for (i, info) in self.site.nodes.iter().enumerate() {
            let original = self.site.primary_source(i);
            let at_root = config.language(&original.lang).filter(|_| self.scope.is_none());
            for alias in &original.front.aliases {
                for lang in self.languages().filter(|l| alias_is_for(alias, &l.code, &config.languages)) {
                    artifacts.push(self.redirect(alias_file(alias, &lang.code), i, lang));
                }
                if let (Some(file), Some(lang)) = (root_alias_file(alias, &config.languages), at_root) {
                    artifacts.push(self.redirect(file, i, lang));
                }
            }
            if let (Some(file), Some(lang)) = (root_redirect_file(config, &info.path), at_root) {
                artifacts.push(self.redirect(file, i, lang));
            }
        }
        artifacts
    }

    /// A page at `file` sending readers to node `index`'s page for `lang`.
    fn redirect(&self, file: String, index: usize, lang: &Language) -> Artifact {
        let dir = &file[..file.rfind('/').map_or(0, |slash| slash + 1)];
        let linker = Linker::new(dir, self.offline);
        let target = linker.page(&lang.code, &self.site.nodes[index].path);
        let title = crate::markdown::escape_text(&self.site.title(index, &lang.code));
        let message = self.i18n.t(&lang.code, "redirecting", Some(&title_args(&title)));
        let target = crate::markdown::escape_attr(&target);
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{code}\" dir=\"{dir_attr}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{target}\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<p><a href=\"{target}\"{marking}>{message}</a></p>\n</body>\n</html>\n",
            code = lang.code,
            dir_attr = lang.direction.as_str(),
            marking = self.i18n.marking(&lang.code, "redirecting"),
        );
        Artifact::bytes(file, html)
    }
}

/// A plural message in each CLDR category of the language it is written in
/// (`lang`, or the fallback that has `key`: see `plural_language`), with
/// `{n}` where the number goes: found by formatting it for a number of each
/// category.
pub fn plural_patterns(i18n: &I18n, lang: &str, key: &str) -> BTreeMap<String, String> {
    use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
    let mut patterns = BTreeMap::new();
    let rules = plural_language(i18n, lang, key)
        .parse::<unic_langid::LanguageIdentifier>()
        .ok()
        .and_then(|id| PluralRules::create(id, PluralRuleType::CARDINAL).ok());
    for n in 0..=1000u32 {
        let category = match &rules {
            Some(rules) => rules.select(n).unwrap_or(PluralCategory::OTHER),
            None => PluralCategory::OTHER,
        };
        let name = format!("{category:?}").to_lowercase();
        patterns.entry(name).or_insert_with(|| {
            let text = i18n.t_count(lang, key, "count", n as i64);
            text.replace(&n.to_string(), "{n}")
        });
    }
    patterns
}

/// The language whose plural rules choose among `plural_patterns`: the one
/// the message is written in, so a language without the string (say `zh`
/// showing English) does not count English with Chinese rules ("1 pages").
pub fn plural_language<'a>(i18n: &'a I18n, lang: &'a str, key: &str) -> &'a str {
    i18n.language_of(lang, key).unwrap_or(lang)
}

/// The file where an alias of a page is written for readers of `lang`
/// (see [`alias_is_for`]). Most name a folder: `old/path`,
/// `/old/path/index.html` and `/ca/old/path` are all
/// `ca/old/path/index.html`, `/ca/` is `ca/index.html`. An address ending in
/// an HTML file's name (`/2023/01/first.html`, as Jekyll and Hugo's "ugly
/// URLs" have them) is that file, so the old address itself answers.
pub fn alias_file(alias: &str, lang: &str) -> String {
    let alias = alias.trim_matches('/');
    let rest = if alias == lang { "" } else { alias.strip_prefix(&format!("{lang}/")).unwrap_or(alias) };
    format!("{lang}/{}", file_in_folder(rest))
}

/// The file at the root where an alias naming an address outside every
/// language's folder is written too (`/guides/x/` → `guides/x/index.html`,
/// `/2023/first.html` as that file), so the address a site without
/// language folders had (moved in from Hugo, Zola or Jekyll) answers
/// itself. `None` for an address in a language's folder (`/ca/x/`).
pub fn root_alias_file(alias: &str, languages: &[Language]) -> Option<String> {
    if alias_language(alias, languages).is_some() {
        return None;
    }
    Some(file_in_folder(alias.trim_matches('/')))
}

/// Whether readers of `lang` get a redirect at an alias: an alias naming
/// a language's folder (`/ca/old/`) is the old address of that language's
/// version alone; any other is written in every language's folder.
pub fn alias_is_for(alias: &str, lang: &str, languages: &[Language]) -> bool {
    alias_language(alias, languages).is_none_or(|named| named == lang)
}

/// The language whose folder an alias names (`/ca/old/` → `ca`), if any.
fn alias_language<'a>(alias: &str, languages: &'a [Language]) -> Option<&'a str> {
    let first = alias.trim_matches('/').split('/').next().unwrap_or_default();
    languages.iter().map(|l| l.code.as_str()).find(|&code| code == first)
}

/// With `root_redirects`, the file at the root redirecting from a page's
/// address on a site without language folders: `guides/x/index.html` for
/// the page at `/<lang>/guides/x/` (none for the home: the language
/// chooser answers there).
pub fn root_redirect_file(config: &Config, page_path: &str) -> Option<String> {
    (config.root_redirects && !page_path.is_empty()).then(|| format!("{page_path}/index.html"))
}

/// The file answering at an address below a folder: `old/path` and
/// `old/path/index.html` are `old/path/index.html`; an address ending in
/// an HTML file's name is that file.
fn file_in_folder(address: &str) -> String {
    let rest = if address == "index.html" { "" } else { address.strip_suffix("/index.html").unwrap_or(address) };
    let (parent, name) = rest.rsplit_once('/').unwrap_or(("", rest));
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") {
        return if parent.is_empty() { name.to_string() } else { format!("{parent}/{name}") };
    }
    if rest.is_empty() {
        "index.html".to_string()
    } else {
        format!("{rest}/index.html")
    }
}

fn title_args(title: &str) -> FluentArgs<'static> {
    let mut args = FluentArgs::new();
    args.set("title", FluentValue::from(title.to_string()));
    args
}

#[derive(Serialize)]
struct TermView {
    name: String,
    href: String,
    count: usize,
    pages: Vec<LinkView>,
}

#[derive(Serialize)]
struct TaxonomyView {
    name: String,
    href: String,
    terms: Vec<TermView>,
}

#[derive(Serialize)]
struct TaxonomyContext {
    #[serde(flatten)]
    common: Common,
    #[serde(flatten)]
    alternates: Alternates,
    taxonomy: TaxonomyView,
    term: Option<TermView>,
}

/// A relative URL a browser cannot take for one with a scheme: `a:b/`
/// (from a file named `a:b.md`) becomes `./a:b/`.
fn not_a_scheme(url: String) -> String {
    let first_part = url.split(['/', '?', '#']).next().unwrap_or_default();
    if first_part.contains(':') {
        format!("./{url}")
    } else {
        url
    }
}

/// First sentences of `text`, cut at a word boundary near `max` characters.
pub fn summarize(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A site read and rendered to Markdown, with its theme, UI strings and
    /// translation states, and no fingerprinted assets.
    struct Loaded {
        site: Site,
        theme: Theme,
        i18n: Arc<I18n>,
        freshness: Freshness,
        assets: BTreeMap<String, String>,
    }

    impl Loaded {
        /// A renderer of the site (`scope: None`) or of one output of it.
        fn renderer<'a>(&'a self, offline: bool, scope: Option<&'a Scope>) -> Renderer<'a> {
            Renderer {
                site: &self.site,
                theme: &self.theme,
                i18n: &self.i18n,
                offline,
                assets: &self.assets,
                freshness: &self.freshness,
                scope,
                downloads: None,
            }
        }
    }

    fn loaded(root: &Path) -> Loaded {
        let config = Config::load(root).unwrap();
        let i18n = Arc::new(I18n::load(&config).unwrap());
        let corpus = crate::content::load(&config, false).unwrap();
        let site = Site::new(config, corpus, &i18n, &crate::highlight::Highlighter::new()).unwrap();
        let theme = Theme::load(&site.config, i18n.clone()).unwrap();
        let freshness = Freshness::compute(&site);
        Loaded { site, theme, i18n, freshness, assets: BTreeMap::new() }
    }

    /// Every page's content as the build makes it (sanitised once per
    /// version, or not at all when it needs no sanitiser) and sanitised on
    /// its own, in every language, as the site and as an offline bundle;
    /// with whether its version needs the sanitiser.
    fn contents_both_ways(root: &Path) -> Vec<(String, String, String, bool)> {
        let loaded = loaded(root);
        let site = &loaded.site;
        let mut found = Vec::new();
        for lang in &site.config.languages {
            let scope = Scope::language(&lang.code, OutsideNote { text: "outside".into(), lang: lang.code.clone() });
            for (offline, scope) in [(false, None), (true, Some(&scope))] {
                let renderer = loaded.renderer(offline, scope);
                for index in 0..site.nodes.len() {
                    let dir = page_dir(&lang.code, &site.nodes[index].path);
                    let linker = Linker::new(&dir, offline);
                    found.push((
                        format!("{} {} offline={offline}", lang.code, site.nodes[index].path),
                        renderer.content_html(index, &lang.code),
                        renderer.content_sanitised_alone(index, &lang.code, &linker),
                        site.version(index, &lang.code).1.needs_sanitizer(),
                    ));
                }
            }
        }
        found
    }

    #[test]
    fn content_sanitised_once_is_what_sanitising_each_page_gives() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let tricky = tempfile::tempdir().unwrap();
        let files: &[(&str, &str)] = &[
            ("site.toml", "title = \"T\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\n"),
            ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n[a](a%20%26%20b.md#x) <a href=\"a &amp; b.md\">raw</a> <img src=\"f&g.png\" alt=\"x\">\n"),
            ("content/a & b.md", "+++\ntitle = \"A & B\"\n+++\n# X\n\n<div><table><tr><td>[in a table](_index.md)</td></tr></table></div>\n<video src=\"f&g.png\"></video> <script>[no](_index.md)</script>\n[far](https://example.org/?a=1&b=\"2\") [js](javascript:alert(1)) ![img](f&g.png \"t\") [gone](nowhere.md)\n"),
            ("content/f&g.png", "png"),
            ("content/_index.ar.md", "+++\ntitle = \"ع\"\n+++\n[a](a%20%26%20b.md)\n"),
            ("content/a:b.md", "+++\ntitle = \"colon\"\n+++\n[back](_index.md)\n"),
        ];
        for (path, text) in files {
            let path = tricky.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let roots =
            ["multilingual", "rtl", "broken_links", "workshop", "search", "translations"].map(|f| fixtures.join(f));
        let (mut compared, mut skipped) = (0, 0);
        for root in roots.iter().map(PathBuf::as_path).chain([tricky.path()]) {
            for (at, once, alone, sanitised) in contents_both_ways(root) {
                // Content that skipped the sanitiser is the same once the
                // sanitiser has written it out its own way (`&quot;` in
                // text as `"` …), removing nothing.
                let once = if sanitised { once } else { crate::sanitize::clean(&once) };
                assert_eq!(once, alone, "{}: {at}", root.display());
                compared += 1;
                skipped += usize::from(!sanitised);
            }
        }
        assert!(compared > 100, "only {compared} pages compared");
        assert!(skipped > 0 && skipped < compared, "{skipped} of {compared} pages skipped the sanitiser");
    }

    #[test]
    fn common_keys_are_the_keys_of_common() {
        let loaded = loaded(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multilingual"));
        let (site, theme) = (&loaded.site, &loaded.theme);
        let renderer = loaded.renderer(false, None);
        let common =
            serde_json::to_value(renderer.common(&site.config.languages[0], &Linker::new("en/", false))).unwrap();
        let mut keys: Vec<&str> = common.as_object().unwrap().keys().map(String::as_str).collect();
        let mut expected = COMMON_KEYS.to_vec();
        keys.sort_unstable();
        expected.sort_unstable();
        assert_eq!(keys, expected);
        assert_eq!(
            theme.shared.names(),
            [
                "partials/footer_links.html",
                "partials/head_links.html",
                "partials/offline_footer.html",
                "partials/offline_head.html",
                "partials/search_form.html",
                "partials/site_menu.html",
            ],
            "the default theme's partials that read only what every page gets"
        );
    }

    /// README's Theme section is a theme author's reference: it names
    /// every value a page's template gets, and every field of `page` and
    /// of a link.
    #[test]
    fn the_readme_names_every_value_a_page_template_gets() {
        let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
        let theme_section = readme.split("\n## Theme\n").nth(1).unwrap().split("\n## ").next().unwrap();
        let loaded = loaded(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multilingual"));
        let site = &loaded.site;
        let renderer = loaded.renderer(false, None);
        let lang = &site.config.languages[0];
        let index = (0..site.nodes.len()).find(|&i| !site.nodes[i].pages.is_empty()).unwrap();
        let linker = Linker::new("en/", false);
        let content = renderer.content(index, &lang.code);
        let own = renderer.page_own(index, lang, &linker, &content);
        let context = serde_json::to_value(PageContext { common: renderer.common(lang, &linker), own }).unwrap();
        let keys = |value: &serde_json::Value| -> Vec<String> { value.as_object().unwrap().keys().cloned().collect() };
        let mut names = keys(&context);
        names.extend(keys(&context["page"]));
        names.extend(keys(&context["pages"][0]));
        names.extend(keys(&context["site"]));
        names.extend(keys(&context["languages"][0]));
        let mut own: Vec<&str> = keys(&context)
            .into_iter()
            .filter(|k| !COMMON_KEYS.contains(&k.as_str()))
            .map(|k| PAGE_KEYS.iter().copied().find(|p| *p == k).unwrap_or("(not in PAGE_KEYS)"))
            .collect();
        own.sort_unstable();
        let mut page_keys = PAGE_KEYS.to_vec();
        page_keys.sort_unstable();
        assert_eq!(own, page_keys, "PAGE_KEYS are what pages get besides the common keys");
        let missing: Vec<&String> = names.iter().filter(|n| !theme_section.contains(&format!("`{n}`"))).collect();
        assert!(missing.is_empty(), "README's Theme section does not name {missing:?}");
    }

    #[test]
    fn a_page_named_like_a_url_scheme_is_linked_not_dropped() {
        let site = tempfile::tempdir().unwrap();
        let files: &[(&str, &str)] = &[
            ("site.toml", "title = \"T\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n"),
            ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n[b](./javascript:b.md)\n"),
            ("content/javascript:b.md", "+++\ntitle = \"colon\"\n+++\nB.\n"),
        ];
        for (path, text) in files {
            std::fs::create_dir_all(site.path().join("content")).unwrap();
            std::fs::write(site.path().join(path), text).unwrap();
        }
        let home = contents_both_ways(site.path()).into_iter().find(|(at, ..)| at == "en  offline=false").unwrap();
        assert!(home.1.contains("<a href=\"./javascript:b/\">b</a>"), "{}", home.1);
    }

    #[test]
    fn a_link_the_sanitiser_turns_into_text_stays_text() {
        let site = tempfile::tempdir().unwrap();
        let files: &[(&str, &str)] = &[
            ("site.toml", "title = \"T\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n"),
            (
                "content/_index.md",
                "+++\ntitle = \"Home\"\n+++\n<textarea><a href=\"f.png#<img src=x onerror=alert(1)>\">x</a></textarea>\n\n<xmp><img src=\"f.png?<script>alert(1)</script>\"></xmp>\n",
            ),
            ("content/f.png", "png"),
        ];
        for (path, text) in files {
            std::fs::create_dir_all(site.path().join("content")).unwrap();
            std::fs::write(site.path().join(path), text).unwrap();
        }
        for (at, once, alone, _) in contents_both_ways(site.path()) {
            for html in [&once, &alone] {
                assert!(!html.contains("<img") && !html.contains("<script"), "{at}: {html}");
            }
            // The link stays as text, its fragment escaped as every link's is.
            assert!(
                once.contains("&lt;a href=\"f.png#%3Cimg%20src=x%20onerror=alert(1)%3E\"&gt;x&lt;/a&gt;"),
                "{at}: {once}"
            );
        }
    }

    /// `translations` is no longer a page's alone: the hint for a template
    /// that lacks it names the generated pages that have it too.
    #[test]
    fn the_hint_for_a_missing_translations_names_every_kind_of_page_that_gets_it() {
        let empty = tera::Context::new();
        let hint = variable_hint("translations", "chooser.html", &empty);
        assert!(
            hint.contains("pages and to tag, search, translation-status and 404 pages, not to chooser.html"),
            "{hint}"
        );
        let page_only = variable_hint("breadcrumbs", "404.html", &empty);
        assert!(page_only.contains("given to pages only"), "{page_only}");
    }

    #[test]
    fn a_relative_url_never_reads_as_a_scheme() {
        assert_eq!(not_a_scheme("a:b/".into()), "./a:b/");
        assert_eq!(not_a_scheme("javascript:alert(1)/".into()), "./javascript:alert(1)/");
        assert_eq!(not_a_scheme("../a:b/".into()), "../a:b/");
        assert_eq!(not_a_scheme("a/b?x=c:d#e:f".into()), "a/b?x=c:d#e:f");
    }

    #[test]
    fn nav_window_is_centred_and_shifted_to_fit_at_the_ends() {
        assert_eq!(nav_window(10, 4, 15), 0..10, "a small section shows whole");
        assert_eq!(nav_window(15, 14, 15), 0..15);
        assert_eq!(nav_window(40, 20, 15), 13..28);
        assert_eq!(nav_window(40, 0, 15), 0..15);
        assert_eq!(nav_window(40, 3, 15), 0..15);
        assert_eq!(nav_window(40, 39, 15), 25..40);
        assert_eq!(nav_window(40, 35, 15), 25..40);
        assert_eq!(nav_window(40, 20, 1), 20..21);
        assert_eq!(nav_window(40, 20, 4), 18..22);
    }
}
