//! The templates a site renders with (the theme's, with the site's own
//! `templates/` laid over them), each known by the file it came from, and
//! every reason one of them cannot be used, at that file and line: a syntax
//! error (a tag left open named where it opens), an `extends`, `import` or
//! `include` naming no template, an `extends` cycle, a required template
//! missing, a filter, function, test or macro that does not exist, a `t()`
//! without its `key` or `lang` (Tera finds those only when a page's
//! rendering reaches them, and names no line). `build`, `pack`, `serve`
//! and `check` all read templates through here, so they agree on them.
//!
//! Parses templates; never renders one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tera::ast::{Expr, ExprVal, Forloop};
use tera::{Template, Tera};

use crate::config::Config;
use crate::content::ensure_inside;
use crate::embedded;
use crate::error::{Error, Result};
use crate::template_ast::{includes_in, walk, walk_with_macros, Frames, Read, Step, Visitor};
use crate::urls::relative_slash_path;

/// Templates a theme must provide (a site's `templates/` may override each).
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "base.html",
    "index.html",
    "section.html",
    "page.html",
    "taxonomy_list.html",
    "taxonomy_term.html",
    "404.html",
    "chooser.html",
    "search.html",
];

/// The functions infrared adds to Tera's (`templates` registers them).
pub const INFRARED_FUNCTIONS: [&str; 3] = ["t", "t_lang", "t_marked"];

/// One template: the file it came from (for messages) and its text.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// The file on disk, or `(built-in) themes/default/templates/…` for
    /// the embedded theme.
    pub path: PathBuf,
    pub text: String,
}

/// A theme's files as the site sees them.
#[derive(Debug)]
pub struct ThemeSources {
    /// Templates by name (`page.html`, `partials/nav.html`).
    pub templates: BTreeMap<String, TemplateFile>,
    /// The theme's `static/` files, relative to it, sorted.
    pub static_files: Vec<(String, Vec<u8>)>,
    /// Where the theme's own templates are (for a required one it lacks).
    theme_templates: PathBuf,
    theme: String,
    /// Templates that are not UTF-8, with the line of the first bad byte
    /// (kept, lossily, so nothing else reports them missing).
    not_utf8: Vec<(PathBuf, usize)>,
    /// Each template parsed, or Tera's message why it does not parse:
    /// parsed once, when first asked for, for everything that reads them.
    parsed: OnceLock<BTreeMap<String, std::result::Result<Template, String>>>,
}

impl ThemeSources {
    /// The theme from `themes/<name>/` (or the embedded default), the
    /// default theme's pack templates where it has none, and the site's
    /// own `templates/` over them. An `Err` only when a folder cannot be
    /// read or a link leads out of it; bad templates are [`problems`](Self::problems).
    pub fn load(config: &Config) -> Result<ThemeSources> {
        let theme_dir = config.root.join("themes").join(&config.theme);
        let shown_dir =
            if theme_dir.is_dir() { theme_dir } else { PathBuf::from("(built-in) themes").join(&config.theme) };
        let mut sources = ThemeSources {
            templates: BTreeMap::new(),
            static_files: Vec::new(),
            theme_templates: shown_dir.join("templates"),
            theme: config.theme.clone(),
            not_utf8: Vec::new(),
            parsed: OnceLock::new(),
        };
        for (rel, bytes) in theme_files(config)? {
            if let Some(name) = rel.strip_prefix("templates/") {
                sources.add(name, shown_dir.join(&rel), bytes);
            } else if let Some(name) = rel.strip_prefix("static/") {
                sources.static_files.push((name.to_string(), bytes));
            }
        }
        sources.add_pack_defaults();
        sources.add_overrides(&config.root.join("templates"))?;
        sources.static_files.sort();
        Ok(sources)
    }

    fn add(&mut self, name: &str, path: PathBuf, bytes: Vec<u8>) {
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
                self.not_utf8.push((path.clone(), line));
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        self.templates.insert(name.to_string(), TemplateFile { path, text });
    }

    /// Workshop packs are a format of their own: a theme without their
    /// templates and stylesheet gets the default theme's.
    fn add_pack_defaults(&mut self) {
        let builtin = PathBuf::from("(built-in) themes/default");
        for (rel, bytes) in embedded::THEME {
            if let Some(name) = rel.strip_prefix("templates/pack/") {
                let name = format!("pack/{name}");
                if !self.templates.contains_key(&name) {
                    self.add(&name, builtin.join(rel), bytes.to_vec());
                }
            } else if *rel == "static/pack.css" && !self.static_files.iter().any(|(n, _)| n == "pack.css") {
                self.static_files.push(("pack.css".to_string(), bytes.to_vec()));
            }
        }
    }

    /// The site's own `templates/`, each file replacing the theme's of its name.
    fn add_overrides(&mut self, overrides: &Path) -> Result<()> {
        if !overrides.is_dir() {
            return Ok(());
        }
        let inside = overrides.canonicalize().map_err(|e| Error::io(overrides, e))?;
        for entry in walkdir::WalkDir::new(overrides).follow_links(true).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                Error::input(overrides, None, format!("cannot read: {e}"), "check the templates folder")
            })?;
            if entry.path_is_symlink() {
                ensure_inside(&inside, entry.path(), "templates/")?;
            }
            if entry.file_type().is_file() {
                let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
                self.add(&relative_slash_path(overrides, entry.path()), entry.path().to_path_buf(), bytes);
            }
        }
        Ok(())
    }

    /// Every template's file by name.
    pub fn paths(&self) -> BTreeMap<String, PathBuf> {
        self.templates.iter().map(|(name, file)| (name.clone(), file.path.clone())).collect()
    }

    /// Every template's text by name.
    pub fn texts(&self) -> BTreeMap<String, String> {
        self.templates.iter().map(|(name, file)| (name.clone(), file.text.clone())).collect()
    }

    /// Every reason a template cannot be used, each at its file and line,
    /// sorted by file.
    pub fn problems(&self) -> Vec<Error> {
        self.parse().1
    }

    /// The templates compiled into one Tera, or every problem at once.
    /// Each is parsed once: the tree checked is the tree Tera renders.
    pub fn compile(&self) -> Result<Tera> {
        let (parsed, problems) = self.parse();
        if !problems.is_empty() {
            return Err(Error::many(problems));
        }
        let mut tera = Tera::default();
        tera.templates.extend(parsed.into_iter().map(|(name, template)| (name.to_string(), template.clone())));
        // What `Tera::add_raw_templates` does after parsing.
        tera.build_inheritance_chains()
            .and_then(|()| tera.check_macro_files())
            .map_err(|e| Error::Template { name: "(templates/ and the theme)".into(), message: e.to_string() })?;
        Ok(tera)
    }

    /// Every template that parses, by name, and every reason one cannot
    /// be used, sorted.
    fn parse(&self) -> (BTreeMap<&str, &Template>, Vec<Error>) {
        let mut problems: Vec<Error> = self
            .not_utf8
            .iter()
            .map(|(path, line)| {
                let hint = "save it as UTF-8 (most editors have an \"encoding\" menu)";
                Error::input(path, Some(*line), "the template is not valid UTF-8", hint)
            })
            .collect();
        problems.extend(self.missing_required());
        let mut parsed = BTreeMap::new();
        for (name, template) in self.parsed() {
            match template {
                Ok(template) => {
                    parsed.insert(name.as_str(), template);
                }
                Err(e) => problems.push(syntax_error(&self.templates[name], e)),
            }
        }
        let tera = Tera::default();
        for (name, template) in &parsed {
            problems.extend(self.missing_targets(&self.templates[*name], template));
            problems.extend(unknown_names(&tera, &self.templates[*name], template, &parsed));
        }
        problems.extend(self.extends_cycles(&parsed));
        problems.sort_by_key(|e| e.to_string());
        (parsed, problems)
    }

    /// Template `name`'s syntax tree, parsed once for every reader; `None`
    /// for a template there is none of, or one that does not parse (which
    /// [`problems`](Self::problems) reports).
    pub fn template(&self, name: &str) -> Option<&Template> {
        self.parsed().get(name)?.as_ref().ok()
    }

    /// Every template parsed (Tera's message for one that does not parse).
    fn parsed(&self) -> &BTreeMap<String, std::result::Result<Template, String>> {
        self.parsed.get_or_init(|| {
            let parse = |(name, file): (&String, &TemplateFile)| {
                (name.clone(), Template::new(name, None, &file.text).map_err(|e| e.to_string()))
            };
            self.templates.iter().map(parse).collect()
        })
    }

    fn missing_required(&self) -> Vec<Error> {
        REQUIRED_TEMPLATES
            .iter()
            .filter(|name| !self.templates.contains_key(**name))
            .map(|name| {
                Error::input(
                    self.theme_templates.join(name),
                    None,
                    format!("theme \"{}\" has no {name}", self.theme),
                    "add the template, or copy it from the default theme",
                )
            })
            .collect()
    }

    /// `extends`, `import` and `include` (without `ignore missing`) naming
    /// a template there is none of.
    fn missing_targets(&self, file: &TemplateFile, template: &Template) -> Vec<Error> {
        let mut wanted: Vec<(&str, &str)> = Vec::new();
        if let Some(parent) = &template.parent {
            wanted.push(("extends", parent));
        }
        for (imported, _) in &template.imported_macro_files {
            wanted.push(("import", imported));
        }
        let includes = includes_of(template);
        // Of a list of names, Tera renders the first that exists.
        let unmet = includes.into_iter().filter(|names| !names.iter().any(|n| self.templates.contains_key(n)));
        let unmet: BTreeSet<&str> = unmet.filter_map(|names| names.first()).map(String::as_str).collect();
        wanted.extend(unmet.into_iter().map(|name| ("include", name)));
        wanted
            .into_iter()
            .filter(|(_, target)| !self.templates.contains_key(*target))
            .map(|(tag, target)| {
                Error::input(
                    &file.path,
                    line_naming(&file.text, tag, target),
                    format!("`{tag}` names template \"{target}\", which neither templates/ nor the theme has"),
                    format!("correct the name, or add templates/{target}"),
                )
            })
            .collect()
    }

    /// The ids a theme writes around a page's content: those written out
    /// (`id="main"`) in `content_templates` and in every template they reach
    /// through `extends`, `import` and `include`. A heading that took one
    /// would repeat it (`## Main` beside `<main id="main">`): invalid HTML,
    /// and a skip link landing on the heading.
    pub fn frame_ids<'a>(&self, content_templates: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
        let reached = reached_templates(self, content_templates);
        reached.keys().flat_map(|name| written_ids(&self.templates[name].text)).collect()
    }

    /// Templates whose `extends` chain comes back to themselves.
    fn extends_cycles(&self, parsed: &BTreeMap<&str, &Template>) -> Vec<Error> {
        let mut problems = Vec::new();
        for (name, template) in parsed {
            let mut chain = vec![*name];
            let mut parent = template.parent.as_deref();
            while let Some(next) = parent {
                if next == *name {
                    chain.push(next);
                    let file = &self.templates[*name];
                    problems.push(Error::input(
                        &file.path,
                        line_naming(&file.text, "extends", chain[1]),
                        format!("`extends` goes round in a circle: {}", chain.join(" → ")),
                        "make one of these templates extend none of the others",
                    ));
                    break;
                }
                if chain.contains(&next) {
                    break; // a circle that does not pass through this template
                }
                chain.push(next);
                parent = parsed.get(next).and_then(|t| t.parent.as_deref());
            }
        }
        problems
    }
}

/// The values of `id` attributes written out in a template's text, not
/// made by an expression (`id="note-{{ n }}"`).
fn written_ids(text: &str) -> impl Iterator<Item = String> + '_ {
    text.match_indices("id=").filter_map(move |(at, _)| {
        // `data-id=`, `aria-describedby=`: other attributes.
        text[..at].chars().next_back().filter(|c| c.is_whitespace())?;
        let rest = &text[at + 3..];
        let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let value = &rest[1..1 + rest[1..].find(quote)?];
        let written = !value.is_empty() && !value.contains('{') && !value.contains(char::is_whitespace);
        written.then(|| value.to_string())
    })
}

/// The name lists of every `include` in `template` (without `ignore
/// missing`), in its body, blocks and macros.
pub(crate) fn includes_of(template: &Template) -> Vec<&[String]> {
    let includes = includes_in(&template.ast).into_iter();
    includes.filter(|(_, ignore_missing)| !ignore_missing).map(|(names, _)| names).collect()
}

/// Where templates pass a taxonomy's name as the key of `t()` or
/// `t_marked()`: `taxonomy.name` (taxonomy pages), or the key of a loop
/// over `page.taxonomies`. Each of the site's taxonomies is a key such a
/// call shows. Every call writing that key (`t(key=name`) is given, at
/// its line and column, by template name. Other keys built from variables
/// are not followed.
pub fn taxonomy_name_keys(sources: &ThemeSources) -> Vec<(&TemplateFile, (usize, usize))> {
    let mut found = Vec::new();
    for (name, file) in &sources.templates {
        // Most templates name neither: they need no parse.
        if !file.text.contains("taxonomy.name") && !file.text.contains("page.taxonomies") {
            continue;
        }
        let Some(template) = sources.template(name) else {
            continue; // reported by `problems`
        };
        let mut keys = TaxonomyNameKeys(BTreeSet::new());
        walk(&template.ast, &mut keys);
        for (function, key) in keys.0 {
            found.extend(key_positions(&file.text, function, key).map(|at| (file, at)));
        }
    }
    found
}

/// The `t()` and `t_marked()` calls (function, key as written) whose key
/// is a taxonomy's name.
struct TaxonomyNameKeys<'t>(BTreeSet<(&'t str, &'t str)>);

impl<'t> Visitor<'t> for TaxonomyNameKeys<'t> {
    fn read(&mut self, read: Read<'t>, frames: &Frames<'t>) -> Step<'t> {
        let Read::Function(call) = read else {
            return Step::Into;
        };
        let key = call.args.get("key").filter(|_| ["t", "t_marked"].contains(&call.name.as_str()));
        let Some(Expr { val: ExprVal::Ident(key), filters, .. }) = key else {
            return Step::Into;
        };
        let over_taxonomies =
            |forloop: &Forloop| matches!(&forloop.container.val, ExprVal::Ident(c) if c == "page.taxonomies");
        let named = key == "taxonomy.name" && !frames.binds("taxonomy")
            || frames.loop_keyed_by(key).is_some_and(over_taxonomies);
        if named && filters.is_empty() {
            self.0.insert((&call.name, key));
        }
        Step::Into
    }
}

/// The line and column (in characters) of each call `function(… key=KEY`
/// in `text`, `key` as written.
fn key_positions<'a>(text: &'a str, function: &'a str, key: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
    text.lines().enumerate().flat_map(move |(i, line)| {
        name_uses(line, function)
            .filter(move |&at| {
                let Some(arguments) = line[at + function.len()..].trim_start().strip_prefix('(') else {
                    return false;
                };
                let arguments = arguments.split(')').next().unwrap_or(arguments);
                arguments.split(',').any(|argument| {
                    argument.split_once('=').is_some_and(|(name, value)| name.trim() == "key" && value.trim() == key)
                })
            })
            .map(move |at| (i + 1, line[..at].chars().count() + 1))
            .collect::<Vec<_>>()
    })
}

/// What a UI string's key does where a template gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRole {
    /// The key of `t()` or `t_marked()`: the page shows its string (or,
    /// undefined, the key itself).
    Shown,
    /// The `key` or `within` of `t_lang()`: the element is marked with the
    /// language its string is shown in (undefined: the page's language).
    Marking,
}

impl KeyRole {
    /// The arguments of `function` that hold a key in this role.
    fn arguments_of(self, function: &str) -> &'static [&'static str] {
        match (self, function) {
            (KeyRole::Shown, "t" | "t_marked") => &["key"],
            (KeyRole::Marking, "t_lang") => &["key", "within"],
            _ => &[],
        }
    }
}

/// A literal key that reaches `t()` or `t_marked()` (or, as asked,
/// `t_lang()`) through a macro's argument: given where the macro is
/// called, or as the argument's default where it is defined.
#[derive(Debug)]
pub struct MacroArgumentKey<'a> {
    pub file: &'a TemplateFile,
    /// Line and column (in characters) of the argument, as written.
    pub at: (usize, usize),
    pub key: String,
    /// The macro's file and name (`search_macros.html`, `page`).
    pub defined_in: String,
    pub name: String,
    pub argument: String,
    /// The macro's own default, not a call's value.
    pub default: bool,
}

/// A macro's argument, known by the macro's file and name.
type MacroArgument<'t> = (&'t str, &'t str, &'t str);

/// Every literal string passed to a macro argument that the macro passes
/// on as the key of `t()` or `t_marked()` (itself, or through another
/// macro it calls with the argument), and every literal default of such
/// an argument, each at its line and column. A key the argument is
/// otherwise built from (a variable, a filter) is not followed.
pub fn macro_argument_keys(sources: &ThemeSources, role: KeyRole) -> Vec<MacroArgumentKey<'_>> {
    let templates = &sources.templates;
    // Only templates defining, importing or calling macros can hold one.
    let parsed: BTreeMap<&str, &Template> = templates
        .iter()
        .filter(|(_, file)| ["endmacro", "import", "::"].iter().any(|s| file.text.contains(s)))
        .filter_map(|(name, _)| Some((name.as_str(), sources.template(name)?)))
        .collect();
    let key_arguments = key_arguments(&parsed, role);
    if key_arguments.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (name, template) in &parsed {
        let file = &templates[*name];
        let mut calls = MacroCalls { template, parsed: &parsed, calls: Vec::new() };
        walk_with_macros(template, &mut calls);
        for (source, call) in calls.calls {
            for (argument, value) in &call.args {
                let Some(key) = literal(value).filter(|_| key_arguments.contains(&(source, &call.name, argument)))
                else {
                    continue;
                };
                let written = format!("{}::{}", call.namespace, call.name);
                found.extend(argument_positions(&file.text, &written, argument, key).map(|at| MacroArgumentKey {
                    file,
                    at,
                    key: key.to_string(),
                    defined_in: source.to_string(),
                    name: call.name.clone(),
                    argument: argument.clone(),
                    default: false,
                }));
            }
        }
        for definition in template.macros.values() {
            for (argument, value) in &definition.args {
                let Some(key) = value.as_ref().and_then(literal) else { continue };
                if !key_arguments.contains(&(*name, &definition.name, argument)) {
                    continue;
                }
                let written = format!("macro {}", definition.name);
                found.extend(argument_positions(&file.text, &written, argument, key).map(|at| MacroArgumentKey {
                    file,
                    at,
                    key: key.to_string(),
                    defined_in: name.to_string(),
                    name: definition.name.clone(),
                    argument: argument.clone(),
                    default: true,
                }));
            }
        }
    }
    found.sort_by(|a, b| (&a.file.path, a.at, &a.key).cmp(&(&b.file.path, b.at, &b.key)));
    found.dedup_by(|a, b| (&a.file.path, a.at, &a.key) == (&b.file.path, b.at, &b.key));
    found
}

/// A literal key of `t_lang()` (its `key` or `within`), at its line and
/// column.
#[derive(Debug)]
pub struct MarkingKey<'a> {
    pub file: &'a TemplateFile,
    pub at: (usize, usize),
    pub key: String,
    /// `key` or `within`.
    pub argument: &'static str,
}

/// Every literal `key` and `within` of the templates' `t_lang()` calls.
pub fn marking_keys(sources: &ThemeSources) -> Vec<MarkingKey<'_>> {
    let mut found = Vec::new();
    for (name, file) in sources.templates.iter().filter(|(_, file)| file.text.contains("t_lang")) {
        let Some(template) = sources.template(name) else {
            continue; // reported by `problems`
        };
        let mut literals = MarkingLiterals(BTreeSet::new());
        walk_with_macros(template, &mut literals);
        for (argument, key) in literals.0 {
            found.extend(argument_positions(&file.text, "t_lang", argument, key).map(|at| MarkingKey {
                file,
                at,
                key: key.to_string(),
                argument,
            }));
        }
    }
    found
}

/// The literal keys of `t_lang()` calls: (argument, key).
struct MarkingLiterals<'t>(BTreeSet<(&'static str, &'t str)>);

impl<'t> Visitor<'t> for MarkingLiterals<'t> {
    fn read(&mut self, read: Read<'t>, _: &Frames<'t>) -> Step<'t> {
        if let Read::Function(call) = read {
            for argument in KeyRole::Marking.arguments_of(&call.name) {
                if let Some(key) = call.args.get(*argument).and_then(literal) {
                    self.0.insert((argument, key));
                }
            }
        }
        Step::Into
    }
}

/// A string literal, unfiltered.
fn literal(value: &Expr) -> Option<&str> {
    match &value.val {
        ExprVal::String(s) if value.filters.is_empty() && !value.negated => Some(s),
        _ => None,
    }
}

/// The macro arguments that become the key of `t()`/`t_marked()`: read
/// as the key in the macro's body (not rebound there), or passed on
/// unchanged to such an argument of a macro it calls.
fn key_arguments<'t>(parsed: &'t BTreeMap<&'t str, &'t Template>, role: KeyRole) -> BTreeSet<MacroArgument<'t>> {
    let mut keys = BTreeSet::new();
    // (argument, the argument it is passed to)
    let mut passed: Vec<(MacroArgument<'t>, MacroArgument<'t>)> = Vec::new();
    for (name, template) in parsed {
        for definition in template.macros.values() {
            let mut flow = ArgumentFlow { template, parsed, definition, role, keys: Vec::new(), passed: Vec::new() };
            walk(&definition.body, &mut flow);
            keys.extend(flow.keys.into_iter().map(|argument| (*name, definition.name.as_str(), argument)));
            passed.extend(
                flow.passed.into_iter().map(|(argument, to)| ((*name, definition.name.as_str(), argument), to)),
            );
        }
    }
    // Through macros calling macros, to a fixed point.
    while let Some(at) = passed.iter().position(|(_, to)| keys.contains(to)) {
        let (argument, _) = passed.swap_remove(at);
        keys.insert(argument);
    }
    keys
}

/// What a macro's body does with its arguments.
struct ArgumentFlow<'t, 'p> {
    template: &'t Template,
    parsed: &'t BTreeMap<&'p str, &'p Template>,
    definition: &'t tera::ast::MacroDefinition,
    role: KeyRole,
    /// Arguments read as a key in `role`.
    keys: Vec<&'t str>,
    /// Arguments passed unchanged to another macro's argument.
    passed: Vec<(&'t str, MacroArgument<'t>)>,
}

impl<'t> ArgumentFlow<'t, '_> {
    /// `value` is this macro's argument, unchanged.
    fn argument(&self, value: &'t Expr, frames: &Frames<'t>) -> Option<&'t str> {
        match &value.val {
            ExprVal::Ident(name)
                if value.filters.is_empty()
                    && !value.negated
                    && !frames.binds(name)
                    && self.definition.args.contains_key(name) =>
            {
                Some(name)
            }
            _ => None,
        }
    }
}

impl<'t> Visitor<'t> for ArgumentFlow<'t, '_> {
    fn read(&mut self, read: Read<'t>, frames: &Frames<'t>) -> Step<'t> {
        match read {
            Read::Function(call) => {
                let keys = self.role.arguments_of(&call.name).iter().filter_map(|name| call.args.get(*name));
                let keys: Vec<&'t str> = keys.filter_map(|key| self.argument(key, frames)).collect();
                self.keys.extend(keys);
            }
            Read::Macro(call) => {
                let Some(source) = macro_source(self.template, &call.namespace, self.parsed, &mut BTreeSet::new())
                else {
                    return Step::Into;
                };
                for (to, value) in &call.args {
                    if let Some(argument) = self.argument(value, frames) {
                        self.passed.push((argument, (source, &call.name, to)));
                    }
                }
            }
            _ => {}
        }
        Step::Into
    }
}

/// Every macro call of a template, with the file it calls into.
struct MacroCalls<'t, 'p> {
    template: &'t Template,
    parsed: &'t BTreeMap<&'p str, &'p Template>,
    calls: Vec<(&'t str, &'t tera::ast::MacroCall)>,
}

impl<'t> Visitor<'t> for MacroCalls<'t, '_> {
    fn read(&mut self, read: Read<'t>, _: &Frames<'t>) -> Step<'t> {
        if let Read::Macro(call) = read {
            let source = macro_source(self.template, &call.namespace, self.parsed, &mut BTreeSet::new());
            // A partial may call what its includer imports: any import of
            // the namespace that defines the macro.
            let source = source.or_else(|| {
                let imports = self.parsed.values().flat_map(|t| &t.imported_macro_files);
                imports
                    .filter(|(_, ns)| *ns == call.namespace)
                    .map(|(file, _)| file.as_str())
                    .find(|file| self.parsed.get(file).is_some_and(|t| t.macros.contains_key(&call.name)))
            });
            self.calls.extend(source.map(|source| (source, call)));
        }
        Step::Into
    }
}

/// The line and column (in characters) of `argument = "value"` (any
/// quotes) in each `opening(…)` of `text`.
fn argument_positions<'a>(
    text: &'a str,
    opening: &'a str,
    argument: &'a str,
    value: &'a str,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    name_uses(text, opening).filter_map(move |at| {
        let rest = &text[at + opening.len()..];
        let arguments = rest.trim_start().strip_prefix('(')?;
        let start = text.len() - arguments.len();
        let arguments = &arguments[..closing_paren(arguments)];
        let offset = name_uses(arguments, argument).find(|&found| {
            let after = arguments[found + argument.len()..].trim_start();
            let Some(after) = after.strip_prefix('=').map(str::trim_start) else { return false };
            ['"', '\'', '`']
                .iter()
                .any(|q| after.strip_prefix(*q).and_then(|a| a.strip_prefix(value)).is_some_and(|a| a.starts_with(*q)))
        })?;
        let offset = start + offset;
        let line = crate::error::line_of_offset(text, offset);
        let column = text[..offset].rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Some((line, column))
    })
}

/// The byte offset of the `)` closing a list of arguments that `text`
/// starts inside, skipping quoted strings and nested calls (the end of
/// `text` if none).
fn closing_paren(text: &str) -> usize {
    let (mut depth, mut quote) = (0usize, None);
    for (at, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') if depth == 0 => return at,
            (None, ')') => depth -= 1,
            _ => {}
        }
    }
    text.len()
}

/// A `t()` or `t_marked()` call whose key is a field of the page's front
/// matter: `t(key=page.extra.NAME)`.
#[derive(Debug, Clone)]
pub struct ExtraKey<'a> {
    /// The template's name (`page.html`).
    pub template: &'a str,
    pub file: &'a TemplateFile,
    pub at: (usize, usize),
    /// The field's path below `extra` (`label`, or `labels.more`).
    pub field: String,
    /// The innermost block holding the call.
    pub block: Option<String>,
}

impl ExtraKey<'_> {
    /// The field's own name, as its front matter writes it.
    pub fn field_name(&self) -> &str {
        self.field.rsplit('.').next().unwrap_or(&self.field)
    }
}

/// Every call of `t()` or `t_marked()` whose key is `page.extra.NAME`
/// (outside macros, which do not see `page`), at its line and column.
pub fn page_extra_keys(sources: &ThemeSources) -> Vec<ExtraKey<'_>> {
    let mut found = Vec::new();
    for (name, file) in sources.templates.iter().filter(|(_, file)| file.text.contains("page.extra.")) {
        let Some(template) = sources.template(name) else {
            continue; // reported by `problems`
        };
        let mut keys = ExtraKeys(BTreeSet::new());
        walk(&template.ast, &mut keys);
        let mut calls: Vec<_> = keys.0.into_iter().map(|call| (None, call)).collect();
        for (block, definition) in &template.blocks {
            let mut keys = ExtraKeys(BTreeSet::new());
            walk(&definition.body, &mut keys);
            calls.extend(keys.0.into_iter().map(|call| (Some(block.clone()), call)));
        }
        for (block, (function, key)) in calls {
            let field = &key["page.extra.".len()..];
            found.extend(key_positions(&file.text, function, key).map(|at| ExtraKey {
                template: name,
                file,
                at,
                field: field.to_string(),
                block: block.clone(),
            }));
        }
    }
    found
}

/// The `t()` and `t_marked()` calls (function, key as written) whose key
/// is `page.extra.…`, outside blocks (each block is walked on its own).
struct ExtraKeys<'t>(BTreeSet<(&'t str, &'t str)>);

impl<'t> Visitor<'t> for ExtraKeys<'t> {
    fn node(&mut self, node: &'t tera::ast::Node, _: &Frames<'t>) -> Step<'t> {
        match node {
            tera::ast::Node::MacroDefinition(..) | tera::ast::Node::Block(..) => Step::Over,
            _ => Step::Into,
        }
    }

    fn read(&mut self, read: Read<'t>, frames: &Frames<'t>) -> Step<'t> {
        let Read::Function(call) = read else {
            return Step::Into;
        };
        let key = call.args.get("key").filter(|_| ["t", "t_marked"].contains(&call.name.as_str()));
        let Some(Expr { val: ExprVal::Ident(key), filters, negated: false }) = key else {
            return Step::Into;
        };
        let field = key.strip_prefix("page.extra.").filter(|f| f.split('.').all(|part| !part.is_empty()));
        if field.is_some_and(|f| !f.contains('[')) && filters.is_empty() && !frames.binds("page") {
            self.0.insert((&call.name, key));
        }
        Step::Into
    }
}

/// The templates rendering `roots` reaches (they and what they extend,
/// import and include), by name, each with the blocks that the templates
/// extending it on the way override (those of its blocks do not render;
/// a template reached along several ways keeps the blocks all override).
pub fn reached_templates<'a>(
    sources: &ThemeSources,
    roots: impl IntoIterator<Item = &'a str>,
) -> BTreeMap<String, BTreeSet<String>> {
    reach(roots, |name| {
        sources.templates.get(name)?;
        // One that does not parse is reported by `problems`.
        Some(sources.template(name).map(Reaches::of))
    })
}

/// What rendering a template leads to.
struct Reaches {
    parent: Option<String>,
    blocks: Vec<String>,
    /// What it imports and includes.
    others: Vec<String>,
}

impl Reaches {
    fn of(template: &Template) -> Reaches {
        let imported = template.imported_macro_files.iter().map(|(file, _)| file.clone());
        let included = includes_of(template).into_iter().flatten().cloned();
        Reaches {
            parent: template.parent.clone(),
            blocks: template.blocks.keys().cloned().collect(),
            others: imported.chain(included).collect(),
        }
    }
}

/// [`reached_templates`], told by `reaches` whether a template exists
/// (`None` if not) and, if it parses, what it leads to.
fn reach<'a>(
    roots: impl IntoIterator<Item = &'a str>,
    reaches: impl Fn(&str) -> Option<Option<Reaches>>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut waiting: Vec<(String, BTreeSet<String>)> =
        roots.into_iter().map(|r| (r.to_string(), BTreeSet::new())).collect();
    let mut reached: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    while let Some((name, overridden)) = waiting.pop() {
        let overridden = match reached.get(&name) {
            Some(before) if before.is_subset(&overridden) => continue,
            Some(before) => before.intersection(&overridden).cloned().collect(),
            None => overridden,
        };
        let Some(leads) = reaches(&name) else { continue };
        reached.insert(name.clone(), overridden.clone());
        let Some(leads) = leads else { continue };
        if let Some(parent) = leads.parent {
            let mut overridden = overridden;
            overridden.extend(leads.blocks);
            waiting.push((parent, overridden));
        }
        waiting.extend(leads.others.into_iter().map(|name| (name, BTreeSet::new())));
    }
    reached
}

/// What a template calls by name, which Tera looks up only when rendering
/// reaches the call.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Called<'a> {
    Filter(&'a str),
    Function(&'a str),
    Test(&'a str),
    /// `namespace::name(…)`.
    Macro(&'a str, &'a str),
    /// One of infrared's functions called without an argument it needs.
    Lacking(&'a str, &'static str),
}

/// The arguments each of infrared's functions needs.
const NEEDED_ARGUMENTS: [(&str, &[&str]); 3] =
    [("t", &["key", "lang"]), ("t_lang", &["lang"]), ("t_marked", &["key", "lang"])];

/// Filters, functions, tests and macros `template` calls that do not
/// exist, each at the first line and column calling it: Tera would fail
/// only on a page whose rendering reaches the call, naming no file or line.
fn unknown_names(
    tera: &Tera,
    file: &TemplateFile,
    template: &Template,
    parsed: &BTreeMap<&str, &Template>,
) -> Vec<Error> {
    let mut called = Calls(BTreeSet::new());
    walk(&template.ast, &mut called);
    called.0.into_iter().filter_map(|call| unknown_call(tera, file, template, parsed, call)).collect()
}

/// The error for `call` if what it names does not exist.
fn unknown_call(
    tera: &Tera,
    file: &TemplateFile,
    template: &Template,
    parsed: &BTreeMap<&str, &Template>,
    call: Called,
) -> Option<Error> {
    let (message, hint) = match call {
        // Tera's renderer handles these two itself.
        Called::Filter("safe" | "default") => return None,
        Called::Filter(name) => {
            tera.get_filter(name).err()?;
            (format!("there is no filter `{name}`"), FILTERS_HINT.to_string())
        }
        Called::Function(name) => {
            if INFRARED_FUNCTIONS.contains(&name) || tera.get_function(name).is_ok() {
                return None;
            }
            (format!("there is no function `{name}()`"), FUNCTIONS_HINT.to_string())
        }
        Called::Lacking(name, argument) => (
            format!("`{name}()` needs `{argument}=`"),
            match argument {
                "lang" => "add `lang=lang_code` (the page's language), or `lang=page.content_lang` for a string in \
                           the content's language"
                    .to_string(),
                _ => format!("add `{argument}=\"…\"`: the string's name in i18n/<lang>.ftl"),
            },
        ),
        Called::Test(name) => {
            tera.get_tester(name).err()?;
            (format!("there is no test `is {name}`"), TESTS_HINT.to_string())
        }
        Called::Macro(namespace, name) => {
            let source = macro_source(template, namespace, parsed, &mut BTreeSet::new());
            let defines = |file: &str| parsed.get(file).is_none_or(|t| t.macros.contains_key(name));
            if source.is_some_and(defines) {
                return None;
            }
            // In a block, Tera looks the namespace up in the block's
            // template, not in a partial it includes: a partial may call
            // what its includer imports. Only a name no import of the
            // theme leads to is surely wrong.
            let elsewhere: BTreeSet<&str> = parsed
                .values()
                .flat_map(|t| &t.imported_macro_files)
                .filter(|(_, ns)| ns == namespace)
                .map(|(file, _)| file.as_str())
                .collect();
            if elsewhere.iter().any(|file| defines(file)) {
                return None;
            }
            match source.or(elsewhere.first().copied()) {
                None => (
                    format!("`{namespace}::{name}` names `{namespace}`, which no `import … as {namespace}` defines"),
                    format!("import the macros' file first: {{% import \"macros.html\" as {namespace} %}}"),
                ),
                Some(source) => (
                    format!("there is no macro `{name}` in {source}"),
                    format!(
                        "correct the name, or define it in {source}: {{% macro {name}(…) %}}…{{% endmacro {name} %}}"
                    ),
                ),
            }
        }
    };
    let at = call_position(&file.text, &call);
    Some(match at {
        Some(at) => Error::input_at(&file.path, at, message, hint),
        None => Error::input(&file.path, None, message, hint),
    })
}

/// The file whose macros `namespace::` calls in `template`, as Tera finds
/// it: `self` (a template defining macros), its own imports, then the
/// namespaces of the files it imports and of the templates it extends.
/// A file that is missing or does not parse is taken as found (it is
/// reported as such).
fn macro_source<'p>(
    template: &'p Template,
    namespace: &str,
    parsed: &'p BTreeMap<&str, &Template>,
    seen: &mut BTreeSet<&'p str>,
) -> Option<&'p str> {
    if !seen.insert(&template.name) {
        return None;
    }
    if namespace == "self" && !template.macros.is_empty() {
        return Some(&template.name);
    }
    let imports = &template.imported_macro_files;
    if let Some((file, _)) = imports.iter().rev().find(|(_, ns)| ns == namespace) {
        return Some(file);
    }
    let imported = imports.iter().map(|(file, _)| file);
    imported.chain(&template.parent).find_map(|other| match parsed.get(other.as_str()) {
        Some(other) => macro_source(other, namespace, parsed, seen),
        None => None,
    })
}

const FILTERS_HINT: &str = "correct the name: Tera's built-in filters are infrared's, but for `date`, \
     `slugify`, `urlencode`, `urlencode_strict` and `filesizeformat`, left out of its build; `safe` and `default` \
     are always there";
const FUNCTIONS_HINT: &str = "correct the name: templates have infrared's `t()`, `t_lang()` and `t_marked()` \
     (UI strings) and Tera's `range()`, `throw()` and `get_env()`";
const TESTS_HINT: &str = "correct the name: Tera's tests are `defined`, `undefined`, `odd`, `even`, `string`, \
     `number`, `divisibleby`, `iterable`, `object`, `starting_with`, `ending_with` and `containing`";

/// What a template calls, through its body, blocks and macros.
struct Calls<'t>(BTreeSet<Called<'t>>);

impl<'t> Visitor<'t> for Calls<'t> {
    fn read(&mut self, read: Read<'t>, _: &Frames<'t>) -> Step<'t> {
        match read {
            Read::Variable(_) => {}
            Read::Filter(filter) => {
                self.0.insert(Called::Filter(&filter.name));
            }
            Read::Test(test) => {
                self.0.insert(Called::Test(&test.name));
            }
            Read::Macro(call) => {
                self.0.insert(Called::Macro(&call.namespace, &call.name));
            }
            Read::Function(call) => {
                self.0.insert(Called::Function(&call.name));
                let needed = NEEDED_ARGUMENTS.iter().find(|(name, _)| *name == call.name).map_or(&[][..], |(_, n)| *n);
                let lacking = needed.iter().filter(|argument| !call.args.contains_key(**argument));
                self.0.extend(lacking.map(|argument| Called::Lacking(&call.name, argument)));
            }
        }
        Step::Into
    }
}

/// The line and column (in characters) of the first place in `text`
/// calling `call` as such: `| name`, `{% filter name`, `name(`,
/// `is name`, `namespace::name(`. Tera's syntax tree keeps no positions.
fn call_position(text: &str, call: &Called) -> Option<(usize, usize)> {
    let name = match call {
        Called::Filter(n) | Called::Function(n) | Called::Test(n) | Called::Macro(_, n) | Called::Lacking(n, _) => *n,
    };
    text.lines().enumerate().find_map(|(i, line)| {
        let at = name_uses(line, name).find(|&at| {
            let (before, after) = (line[..at].trim_end(), line[at + name.len()..].trim_start());
            match call {
                Called::Filter(_) => before.ends_with('|') || ends_with_word(before, "filter"),
                Called::Function(_) => after.starts_with('(') && !before.ends_with('.') && !before.ends_with("::"),
                Called::Test(_) => ends_with_word(before, "is") || ends_with_word(before, "not"),
                Called::Macro(namespace, _) => line[..at].ends_with(&format!("{namespace}::")),
                Called::Lacking(_, argument) => {
                    let arguments = after.strip_prefix('(').map(|rest| rest.split(')').next().unwrap_or(rest));
                    arguments
                        .is_some_and(|a| !a.split(',').any(|a| a.split('=').next().unwrap_or("").trim() == *argument))
                }
            }
        })?;
        // A macro call is shown from its namespace on.
        let at = match call {
            Called::Macro(namespace, _) => at - namespace.len() - 2,
            _ => at,
        };
        Some((i + 1, line[..at].chars().count() + 1))
    })
}

/// Byte offsets in `line` where `name` stands as a whole identifier.
pub(crate) fn name_uses<'a>(line: &'a str, name: &'a str) -> impl Iterator<Item = usize> + 'a {
    let identifier = |c: char| c.is_alphanumeric() || c == '_';
    line.match_indices(name).map(|(at, _)| at).filter(move |&at| {
        let before = line[..at].chars().next_back();
        let after = line[at + name.len()..].chars().next();
        !before.is_some_and(identifier) && !after.is_some_and(identifier)
    })
}

/// `text` ends with `word`, not as the end of a longer word.
fn ends_with_word(text: &str, word: &str) -> bool {
    text.strip_suffix(word)
        .is_some_and(|rest| !rest.chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_'))
}

/// A template that does not parse, at the line and column (in characters,
/// as Tera's parser counts them) the parser names.
fn syntax_error(file: &TemplateFile, text: &str) -> Error {
    let position = text.lines().find_map(|l| l.trim_start().strip_prefix("--> ")).and_then(|p| {
        let (line, column) = p.trim().split_once(':')?;
        Some((line.parse::<usize>().ok()?, column.parse::<usize>().ok()?))
    });
    // Tera reads to the end of a file for the end of a tag left open, and
    // says only that the file ended there.
    let at_end = position.is_some_and(|(line, column)| {
        let mut rest = file.text.lines().skip(line.saturating_sub(1));
        let here = rest.next().unwrap_or_default();
        here.chars().skip(column.saturating_sub(1)).all(char::is_whitespace) && rest.all(|l| l.trim().is_empty())
    });
    if let Some(((line, column), tag)) = unclosed_tag(&file.text).filter(|_| at_end) {
        return Error::input_at(
            &file.path,
            (line, column),
            format!("`{{% {tag} %}}` is never closed: the template ends first"),
            format!("add `{{% end{tag} %}}` where it should end"),
        );
    }
    let expected: Vec<&str> = text.lines().filter_map(|l| l.trim_start().strip_prefix("= ")).collect();
    let hint = "fix the template's syntax; until then the site cannot be built";
    let why = if expected.is_empty() { text.trim().to_string() } else { expected.join("; ") };
    let message = format!("the template does not parse: {why}");
    match position {
        Some(at) => Error::input_at(&file.path, at, message, hint),
        None => Error::input(&file.path, None, message, hint),
    }
}

/// Tags that need an `end…` tag.
const BLOCK_TAGS: [&str; 6] = ["if", "for", "block", "macro", "filter", "raw"];

/// The innermost `{% if %}`, `{% for %}`, `{% block %}`… of `text` left
/// open at its end, with its line and column (in characters).
fn unclosed_tag(text: &str) -> Option<((usize, usize), &'static str)> {
    let mut open: Vec<(usize, &'static str)> = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("{%").map(|i| i + from) {
        // A comment before the tag hides what it holds.
        if let Some(comment) = text[from..start].find("{#").map(|i| i + from) {
            from = text[comment..].find("#}").map_or(text.len(), |end| comment + end + 2);
            continue;
        }
        let inside = text[start + 2..].trim_start_matches('-').trim_start();
        let word: &str = inside.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or("");
        from = start + 2;
        if let Some(tag) = BLOCK_TAGS.iter().find(|t| **t == word) {
            if *tag == "raw" {
                // What a raw block holds is text, tags included.
                match text[from..].find("endraw") {
                    Some(end) => from += end + "endraw".len(),
                    None => open.push((start, tag)),
                }
                continue;
            }
            open.push((start, tag));
        } else if let Some(tag) = word.strip_prefix("end") {
            if let Some(at) = open.iter().rposition(|(_, t)| *t == tag) {
                open.truncate(at);
            }
        }
    }
    let (at, tag) = open.pop()?;
    let line = crate::error::line_of_offset(text, at);
    let column = text[..at].rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Some(((line, column), tag))
}

/// The first line holding `tag` and then `"target"` (any quotes).
fn line_naming(text: &str, tag: &str, target: &str) -> Option<usize> {
    let quoted = ['"', '\'', '`'].map(|q| format!("{q}{target}{q}"));
    text.lines()
        .position(|line| line.find(tag).is_some_and(|at| quoted.iter().any(|q| line[at..].contains(q.as_str()))))
        .map(|i| i + 1)
}

/// Every file of the theme (`templates/…`, `static/…`), from `themes/<name>/`
/// or the embedded default.
pub fn theme_files(config: &Config) -> Result<Vec<(String, Vec<u8>)>> {
    let dir = config.root.join("themes").join(&config.theme);
    if dir.is_dir() {
        let mut files = Vec::new();
        let inside = dir.canonicalize().map_err(|e| Error::io(&dir, e))?;
        for entry in walkdir::WalkDir::new(&dir).follow_links(true).sort_by_file_name() {
            let entry = entry
                .map_err(|e| Error::input(&dir, None, format!("cannot read theme: {e}"), "check the theme folder"))?;
            if entry.path_is_symlink() {
                ensure_inside(&inside, entry.path(), "the theme's folder")?;
            }
            if entry.file_type().is_file() {
                let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
                files.push((relative_slash_path(&dir, entry.path()), bytes));
            }
        }
        return Ok(files);
    }
    if config.theme == "default" {
        return Ok(embedded::THEME.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect());
    }
    Err(Error::input(
        config.root.join("site.toml"),
        None,
        format!("theme \"{}\" not found in {}", config.theme, dir.display()),
        "set theme = \"default\" or add the theme's folder",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(templates: &[(&str, &str)]) -> ThemeSources {
        let mut sources = ThemeSources {
            templates: BTreeMap::new(),
            static_files: Vec::new(),
            theme_templates: PathBuf::from("themes/t/templates"),
            theme: "t".into(),
            not_utf8: Vec::new(),
            parsed: OnceLock::new(),
        };
        for name in REQUIRED_TEMPLATES {
            sources.add(name, PathBuf::from("themes/t/templates").join(name), b"ok".to_vec());
        }
        for (name, text) in templates {
            sources.add(name, PathBuf::from("templates").join(name), text.as_bytes().to_vec());
        }
        sources
    }

    fn problems(templates: &[(&str, &str)]) -> Vec<String> {
        sources(templates).problems().iter().map(|e| e.to_string().lines().next().unwrap().to_string()).collect()
    }

    #[test]
    fn every_template_that_cannot_be_used_is_named_at_its_line() {
        let found = problems(&[
            ("a.html", "one\n{% if %}x{% endif %}"),
            ("b.html", "{% extends \"gone.html\" %}"),
            ("c.html", "{% import \"macros.html\" as m %}\n"),
            ("d.html", "x\n\n{% for i in l %}{% include \"nav.html\" %}{% endfor %}"),
            ("e.html", "{% include \"nav.html\" ignore missing %}{% include [\"x\", \"base.html\"] %}"),
            ("h.html", "{% include [\"x.html\", \"y.html\"] %}"),
            ("f.html", "{% extends \"g.html\" %}"),
            ("g.html", "\n{% extends 'f.html' %}"),
        ]);
        assert_eq!(found.len(), 7, "{found:#?}");
        assert!(found[0].starts_with("templates/a.html:2:7: the template does not parse: expected"), "{found:#?}");
        assert!(found[1].starts_with("templates/b.html:1: `extends` names template \"gone.html\""), "{found:#?}");
        assert!(found[2].starts_with("templates/c.html:1: `import` names template \"macros.html\""), "{found:#?}");
        assert!(found[3].starts_with("templates/d.html:3: `include` names template \"nav.html\""), "{found:#?}");
        assert_eq!(found[4], "templates/f.html:1: `extends` goes round in a circle: f.html → g.html → f.html");
        assert_eq!(found[5], "templates/g.html:2: `extends` goes round in a circle: g.html → f.html → g.html");
        assert!(found[6].starts_with("templates/h.html:1: `include` names template \"x.html\""), "{found:#?}");
    }

    #[test]
    fn filters_functions_tests_and_macros_that_do_not_exist_are_named_at_their_call() {
        let found = problems(&[
            ("a.html", "<p>\n  {{ page.title | upper | shout(loud=true) }}</p>"),
            ("b.html", "{% if x %}\n{% for i in nope(n=2) %}{% endfor %}{% endif %}"),
            ("c.html", "{% if n is prime %}{% endif %}"),
            ("d.html", "{% import \"macros.html\" as m %}\n\n{{ m::bread(a=1) }} {{ other::x() }}"),
            ("macros.html", "{% macro crumbs(a) %}{{ a | safe | default(value=1) }}{% endmacro crumbs %}"),
            ("e.html", "{% filter loud %}x{% endfilter %}{{ t(key=\"k\", lang=\"en\") | trim }}"),
            ("f.html", "{{ t(key=\"a\", lang=l) }}\n<p{{ t_lang(key=\"b\") }}>{{ t(key=\"b\") }}</p>"),
            // Namespaces imported by a parent, or by an imported file, are there too.
            ("g.html", "{% extends \"d.html\" %}{% block x %}{{ m::crumbs(a=1) }}{{ n::more() }}{% endblock x %}"),
            ("h.html", "{% import \"macros.html\" as m %}{% macro more() %}{{ self::more() }}{% endmacro more %}"),
            ("i.html", "{% import \"h.html\" as n %}{{ n::more() }}{{ m::crumbs(a=1) }}{{ m::gone() }}"),
            // A partial may call what the template including it imports.
            ("j.html", "{{ m::crumbs(a=2) }}{{ q::x() }}"),
        ]);
        assert_eq!(
            found,
            [
                "templates/a.html:2:27: there is no filter `shout`",
                "templates/b.html:2:13: there is no function `nope()`",
                "templates/c.html:1:12: there is no test `is prime`",
                "templates/d.html:3:24: `other::x` names `other`, which no `import … as other` defines",
                "templates/d.html:3:4: there is no macro `bread` in macros.html",
                "templates/e.html:1:11: there is no filter `loud`",
                "templates/f.html:2:28: `t()` needs `lang=`",
                "templates/f.html:2:6: `t_lang()` needs `lang=`",
                "templates/i.html:1:65: there is no macro `gone` in macros.html",
                "templates/j.html:1:24: `q::x` names `q`, which no `import … as q` defines",
            ]
        );
    }

    /// The hints name what infrared's Tera has and lacks: keep them true.
    #[test]
    fn the_hints_name_what_tera_has() {
        let tera = Tera::default();
        for name in ["date", "slugify", "urlencode", "urlencode_strict", "filesizeformat"] {
            assert!(tera.get_filter(name).is_err() && FILTERS_HINT.contains(&format!("`{name}`")), "{name}");
        }
        for name in ["now", "get_random"] {
            assert!(tera.get_function(name).is_err(), "README says {name}() is left out");
        }
        for name in ["range", "throw", "get_env"] {
            assert!(tera.get_function(name).is_ok() && FUNCTIONS_HINT.contains(&format!("`{name}()`")), "{name}");
        }
        let tests = TESTS_HINT.split('`').skip(1).step_by(2);
        assert_eq!(tests.clone().count(), 12);
        assert!(tests.into_iter().all(|name| tera.get_tester(name).is_ok()));
    }

    #[test]
    fn a_tag_left_open_is_named_where_it_opens() {
        let found = problems(&[
            ("a.html", "<div>\n  {% if page.title %}\n<p>x</p>\n</div>\n"),
            ("b.html", "{% for x in l %}{% if x %}{% endif %}\n{# {% if %} #}{% raw %}{% if %}{% endraw %}"),
            ("c.html", "{% extends \"base.html\" %}\n{% block content %}\n{%- if a -%}\n{% endif %}\n"),
            ("d.html", "{% if a %}\n{% for x in b %}\n{% endif %}\n"),
        ]);
        assert_eq!(
            found,
            [
                "templates/a.html:2:3: `{% if %}` is never closed: the template ends first",
                "templates/b.html:1:1: `{% for %}` is never closed: the template ends first",
                "templates/c.html:2:1: `{% block %}` is never closed: the template ends first",
                "templates/d.html:3:1: the template does not parse: unexpected tag; expected an `else` tag, an endfor \
                 tag (`{% endfor %}`), or some content",
            ]
        );
    }

    #[test]
    fn taxonomy_names_are_found_as_keys_only_where_they_are_one() {
        let sources = sources(&[
            ("a.html", "{{ t(key=taxonomy.name, lang=l) }}\n{{ t(key = taxonomy.name , lang=l) }}{{ t_lang(key=taxonomy.name) }}"),
            ("b.html", "{% for name, terms in page.taxonomies %}\n  {{ t_marked(key=name, lang=l) }}{% endfor %}{{ t(key=name) }}"),
            ("c.html", "{% for name, x in page.menus %}{{ t(key=name) }}{% endfor %}{% set taxonomy = page %}{{ t(key=taxonomy.name) }}"),
            ("d.html", "{% for name, terms in page.taxonomies %}{% for name in terms %}{{ t(key=name) }}{% endfor %}{% endfor %}"),
        ]);
        let found: Vec<String> = taxonomy_name_keys(&sources)
            .into_iter()
            .map(|(file, (line, column))| format!("{}:{line}:{column}", file.path.display()))
            .collect();
        assert_eq!(found, ["templates/a.html:1:4", "templates/a.html:2:4", "templates/b.html:2:6"]);
    }

    #[test]
    fn macro_arguments_are_followed_to_the_key_through_other_macros_and_files() {
        let sources = sources(&[
            ("keys.html", "{% macro key(k, lang) %}{{ t_marked(key=k, lang=lang) }}{% endmacro key %}"),
            (
                "more.html",
                "{% import \"keys.html\" as keys %}{% macro wrap(w, lang, d=\"dflt\") %}\n\
                 {{ keys::key(k=w, lang=lang) }}{{ keys::key(k=d | upper, lang=lang) }}{% endmacro wrap %}",
            ),
            // A partial calling what its includer imports.
            ("partial.html", "<p>\n  {{ more::wrap(lang=l,\n    w=\"from-partial\") }}</p>"),
            (
                "a.html",
                "{% import \"more.html\" as more %}{% include \"partial.html\" %}{{ more::wrap(w='x', lang=l) }}",
            ),
        ]);
        let found: Vec<String> = macro_argument_keys(&sources, KeyRole::Shown)
            .into_iter()
            .map(|k| {
                let (line, column) = k.at;
                format!(
                    "{}:{line}:{column} {} {}::{}({}) {}",
                    k.file.path.display(),
                    k.key,
                    k.defined_in,
                    k.name,
                    k.argument,
                    k.default
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                "templates/a.html:1:75 x more.html::wrap(w) false",
                "templates/partial.html:3:5 from-partial more.html::wrap(w) false",
            ],
            "`d` reaches the key filtered: not followed"
        );
    }

    #[test]
    fn a_block_overridden_on_the_way_is_not_reached() {
        let sources = sources(&[
            ("p.html", "{% block content %}{% include \"inner.html\" %}{% endblock content %}{% block aside %}{% endblock aside %}"),
            ("s.html", "{% extends \"p.html\" %}{% block content %}{% endblock content %}"),
            ("inner.html", ""),
        ]);
        let reached = reached_templates(&sources, ["s.html"]);
        let overridden: Vec<(&str, Vec<&str>)> =
            reached.iter().map(|(name, blocks)| (name.as_str(), blocks.iter().map(String::as_str).collect())).collect();
        // The include is found, though its block does not render: only
        // the blocks are told apart.
        assert_eq!(overridden, [("inner.html", vec![]), ("p.html", vec!["content"]), ("s.html", vec![])]);
    }

    #[test]
    fn sound_templates_compile() {
        let sources = sources(&[("a.html", "{% extends \"base.html\" %}"), ("b.html", "{% include \"a.html\" %}")]);
        assert!(sources.problems().is_empty());
        assert!(sources.compile().is_ok());
    }
}
