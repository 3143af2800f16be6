//! Partials that a run of pages renders once.
//!
//! Pages of one language in one folder render in runs that share the part
//! of their context every page gets (the templates' `Common`: the menu, the
//! languages, the assets…). A partial that reads nothing else (no page, no
//! variable of the template that includes it) comes out the same for every
//! page of a run. When the theme loads, each `{% include %}` of such a
//! partial, outside loops and macros, becomes "the partial rendered
//! beforehand, if the context holds it, else the include"; a run renders it
//! into its context once ([`SharedPartials::prepare`]). Contexts that do
//! not hold it (tag pages, search, packs) still include it. Themes write
//! plain includes, and what they render does not change.

use std::collections::{BTreeSet, HashMap, HashSet};

use tera::ast::{Expr, ExprVal, FunctionCall, If, Node, WS};

use crate::template_ast::{includes_in, walk, walk_mut, Frames, Holder, Read, Step, Visitor};
use tera::{Context, Tera};

/// Functions whose result depends on their arguments alone (`t` is the
/// theme's UI strings; Tera's `now`, `get_random` and `get_env` are not).
const PURE_FUNCTIONS: &[&str] = &["t", "t_lang", "t_marked", "range"];

/// The partials a theme's runs share, and which page templates reach them.
#[derive(Default)]
pub struct SharedPartials {
    /// Partial names, sorted.
    names: Vec<String>,
    /// The context variable holding each partial's shared copy.
    variables: Vec<String>,
    /// Per template, the shared partials rendering it may include.
    reached: HashMap<String, Vec<usize>>,
}

impl SharedPartials {
    /// Finds the partials of `tera` that read only `common` keys and turns
    /// their includes into the shared copy or the include.
    pub fn share(tera: &mut Tera, common: &[&str]) -> SharedPartials {
        let shareable: BTreeSet<String> = {
            let analysis = Analysis::new(tera, common);
            tera.templates.keys().filter(|name| analysis.is_shared(name)).cloned().collect()
        };
        let mut included = BTreeSet::new();
        for_each_template_body(tera, |_, body| {
            each_include_outside_loops(body, &mut |names| {
                included.extend(names.iter().filter(|n| shareable.contains(*n)).cloned());
                None
            })
        });
        let names: Vec<String> = included.into_iter().collect();
        let mut direct: HashMap<String, BTreeSet<usize>> = HashMap::new();
        for_each_template_body(tera, |template, body| {
            let found = direct.entry(template.to_string()).or_default();
            each_include_outside_loops(body, &mut |include| {
                let at = names.binary_search(&include[0]).ok()?;
                found.insert(at);
                Some(at)
            })
        });
        let reached = tera.templates.keys().map(|name| (name.clone(), reached_from(tera, name, &direct))).collect();
        let variables = (0..names.len()).map(variable).collect();
        SharedPartials { names, variables, reached }
    }

    /// Puts into a run's `context` the shared partials `template` may
    /// include, rendered as that template would (those already there are
    /// kept). A partial that fails to render is left out: its include then
    /// fails, or is never reached, as it would have been.
    pub fn prepare(&self, tera: &Tera, template: &str, context: &mut Context) {
        let Some(partials) = self.reached.get(template) else {
            return;
        };
        let page_escapes = escapes(tera, template);
        for &at in partials {
            let (name, variable) = (&self.names[at], &self.variables[at]);
            // An include is escaped as the page it is in is.
            if escapes(tera, name) != page_escapes {
                context.remove(variable);
            } else if !context.contains_key(variable) {
                if let Ok(html) = tera.render(name, context) {
                    context.insert(variable, &html);
                }
            }
        }
    }

    /// The partials shared, by name, sorted.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// The context variable that holds shared partial `at`: a name themes do not use.
fn variable(at: usize) -> String {
    format!("__infrared_partial_{at}")
}

fn escapes(tera: &Tera, name: &str) -> bool {
    tera.autoescape_suffixes.iter().any(|suffix| name.ends_with(suffix))
}

/// Calls `visit` with the name of each template and each of its bodies
/// that rendering goes through (macros aside).
fn for_each_template_body(tera: &mut Tera, mut visit: impl FnMut(&str, &mut [Node])) {
    for template in tera.templates.values_mut() {
        let name = template.name.as_str();
        visit(name, &mut template.ast);
        for block in template.blocks.values_mut() {
            visit(name, &mut block.body);
        }
        for chain in template.blocks_definitions.values_mut() {
            for (_, block) in chain {
                visit(name, &mut block.body);
            }
        }
    }
}

/// Calls `share` with the template names of each single-template include
/// in `nodes` outside loops (whose variables it could read) and macros;
/// where it answers with a shared partial, the include becomes its shared
/// copy or the include.
fn each_include_outside_loops(nodes: &mut [Node], share: &mut impl FnMut(&[String]) -> Option<usize>) {
    walk_mut(nodes, &mut |node| match node {
        Node::Include(ws, names, _) if names.len() == 1 => {
            if let Some(at) = share(names) {
                let ws = *ws;
                let include = std::mem::replace(node, Node::Super);
                *node = shared_or(at, ws, include);
            }
            Step::Over
        }
        Node::Forloop(..) | Node::MacroDefinition(..) => Step::Over,
        _ => Step::Into,
    });
}

/// `{% if VAR %}{{ VAR | safe }}{% else %}INCLUDE{% endif %}`.
fn shared_or(at: usize, ws: WS, include: Node) -> Node {
    let copy = Expr { val: ExprVal::Ident(variable(at)), negated: false, filters: Vec::new() };
    let safe = FunctionCall { name: "safe".into(), args: HashMap::new() };
    let shown = Expr { filters: vec![safe], ..copy.clone() };
    Node::If(
        If { conditions: vec![(ws, copy, vec![Node::VariableBlock(ws, shown)])], otherwise: Some((ws, vec![include])) },
        ws,
    )
}

/// The shared partials that rendering `name` may include: those replaced
/// in it, its parents and every template they include, on and on.
fn reached_from(tera: &Tera, name: &str, direct: &HashMap<String, BTreeSet<usize>>) -> Vec<usize> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut queue: Vec<&str> = vec![name];
    if let Some(template) = tera.templates.get(name) {
        queue.extend(template.parents.iter().map(String::as_str));
    }
    let mut reached = BTreeSet::new();
    while let Some(next) = queue.pop() {
        if !seen.insert(next) {
            continue;
        }
        reached.extend(direct.get(next).into_iter().flatten());
        if let Some(template) = tera.templates.get(next) {
            // A template's own blocks and macros are in its body; its
            // parents' blocks are not.
            let bodies = std::iter::once(&template.ast)
                .chain(template.blocks_definitions.values().flatten().map(|(_, b)| &b.body));
            for body in bodies {
                let includes = includes_in(body).into_iter().flat_map(|(names, _)| names);
                queue.extend(includes.map(String::as_str));
            }
        }
    }
    reached.into_iter().collect()
}

/// What decides whether a partial can be shared.
struct Analysis<'t> {
    tera: &'t Tera,
    common: HashSet<&'t str>,
    /// Names some template sets or loops over: an include could see them
    /// in place of the common values.
    rebound: HashSet<&'t str>,
}

impl<'t> Analysis<'t> {
    fn new(tera: &'t Tera, common: &[&'t str]) -> Analysis<'t> {
        let mut rebound = Rebound(HashSet::new());
        for template in tera.templates.values() {
            walk(&template.ast, &mut rebound);
        }
        Analysis { tera, common: common.iter().copied().collect(), rebound: rebound.0 }
    }

    /// Whether partial `name` reads only common values, through pure calls.
    fn is_shared(&self, name: &str) -> bool {
        let Some(template) = self.tera.templates.get(name) else {
            return false;
        };
        template.parent.is_none() && walk(&template.ast, &mut SharedReads { analysis: self })
    }

    /// A common value no template rebinds.
    fn readable(&self, root: &str) -> bool {
        self.common.contains(root) && !self.rebound.contains(root)
    }
}

/// Every name a `set` or a loop binds.
struct Rebound<'t>(HashSet<&'t str>);

impl<'t> Visitor<'t> for Rebound<'t> {
    fn node(&mut self, node: &'t Node, _: &Frames<'t>) -> Step<'t> {
        match node {
            Node::Set(_, set) => {
                self.0.insert(&set.key);
            }
            Node::Forloop(_, forloop, _) => {
                self.0.insert(&forloop.value);
                self.0.extend(forloop.key.as_deref());
            }
            _ => {}
        }
        Step::Into
    }
}

/// How deep includes are followed: deeper (or recursive)
/// partials are not shared.
const MAX_DEPTH: usize = 16;

/// A walk through a partial and what it includes, stopping at the first
/// thing that could make it differ between pages.
struct SharedReads<'a, 't> {
    analysis: &'a Analysis<'t>,
}

impl<'t> Visitor<'t> for SharedReads<'_, 't> {
    fn node(&mut self, node: &'t Node, frames: &Frames<'t>) -> Step<'t> {
        match node {
            Node::Super | Node::Extends(..) => Step::Stop,
            Node::Set(_, set) if set.global => Step::Stop,
            // Rendered only where called, and calls stop the walk.
            Node::MacroDefinition(..) => Step::Over,
            // An included template sees the frames of the one including it.
            Node::Include(_, names, ignore_missing) => {
                match names.iter().find_map(|name| self.analysis.tera.templates.get(name)) {
                    Some(included) if frames.count(Holder::Include) < MAX_DEPTH && included.parent.is_none() => {
                        Step::Include(&included.ast)
                    }
                    Some(_) => Step::Stop,
                    None if *ignore_missing => Step::Over,
                    None => Step::Stop,
                }
            }
            _ => Step::Into,
        }
    }

    fn read(&mut self, read: Read<'t>, frames: &Frames<'t>) -> Step<'t> {
        let shared = match read {
            Read::Variable(ident) => self.readable(ident, frames),
            Read::Function(call) => PURE_FUNCTIONS.contains(&call.name.as_str()),
            // Tera finds a macro from the template including the partial
            // (or the block it is in), so what it runs depends on the page.
            Read::Macro(_) => false,
            Read::Filter(_) | Read::Test(_) => true,
        };
        if shared {
            Step::Into
        } else {
            Step::Stop
        }
    }
}

impl SharedReads<'_, '_> {
    /// A variable (`a.b`, `a[b]`, `a["b"]`) whose every name is bound in
    /// the walk's frames or common.
    fn readable(&self, ident: &str, frames: &Frames) -> bool {
        match names_read(ident) {
            Some(names) => names.iter().all(|name| frames.binds(name) || self.analysis.readable(name)),
            None => false,
        }
    }
}

/// The variable names `ident` reads: its root, and any variable used as a
/// subscript (`b` in `a[b]`, not `"b"` or `0`); `None` when it cannot be
/// read that way.
fn names_read(ident: &str) -> Option<Vec<&str>> {
    let root_end = ident.find(['.', '[']).unwrap_or(ident.len());
    let mut names = vec![&ident[..root_end]];
    let mut rest = &ident[root_end..];
    while let Some(open) = rest.find('[') {
        let close = open + rest[open..].find(']')?;
        let inner = rest[open + 1..close].trim();
        let literal = inner.starts_with(['"', '\'', '`']) || inner.parse::<i64>().is_ok();
        if !literal {
            if inner.contains('[') {
                return None;
            }
            names.extend(names_read(inner)?);
        }
        rest = &rest[close + 1..];
    }
    names.iter().all(|name| !name.is_empty()).then_some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMON: &[&str] = &["site", "lang_code", "menu", "assets", "home"];

    fn tera_with(templates: &[(&str, &str)]) -> (Tera, SharedPartials) {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.to_vec()).unwrap();
        tera.register_function("t", |args: &HashMap<String, tera::Value>| Ok(args["key"].clone()));
        let shared = SharedPartials::share(&mut tera, COMMON);
        (tera, shared)
    }

    fn shared_names(shared: &SharedPartials) -> Vec<&str> {
        shared.names.iter().map(String::as_str).collect()
    }

    #[test]
    fn partials_reading_only_common_values_are_shared() {
        let (_, shared) = tera_with(&[
            ("page.html", "{% include \"common.html\" %}{% include \"page_bits.html\" %}{% include \"nested.html\" %}"),
            ("common.html", "<a href=\"{{ home }}\">{{ site.title }}</a>{% for item in menu %}{{ item.title }}{{ loop.index }}{% endfor %}{{ assets['style.css'] }}{{ t(key='x', lang=lang_code) }}"),
            ("page_bits.html", "{{ page.title }}"),
            ("nested.html", "{% set x = home %}{% include \"reads_x.html\" %}"),
            ("reads_x.html", "{{ x }}"),
        ]);
        assert_eq!(shared_names(&shared), ["common.html", "nested.html"]);
        assert_eq!(shared.reached["page.html"], [0, 1]);
    }

    #[test]
    fn partials_that_could_read_a_page_or_the_clock_are_not_shared() {
        let (_, shared) = tera_with(&[
            ("page.html", "{% for x in menu %}{% include \"in_loop.html\" %}{% endfor %}{% include \"a.html\" %}{% include \"b.html\" %}{% include \"c.html\" %}{% include \"d.html\" %}{% include \"e.html\" %}{% include \"f.html\" %}{% include \"g.html\" %}"),
            ("in_loop.html", "{{ home }}"),
            ("a.html", "{% if page is defined %}{{ home }}{% endif %}"),
            ("b.html", "{{ now() }}"),
            ("c.html", "{{ assets[page.style] }}"),
            ("d.html", "{% set_global n = 1 %}{{ home }}"),
            ("e.html", "{% import \"macros.html\" as m %}{{ m::site_title() }}"),
            ("macros.html", "{% macro site_title() %}{{ site.title }}{% endmacro site_title %}"),
            ("f.html", "{{ site.title }}{% include \"page_bits.html\" %}"),
            ("page_bits.html", "{{ page.title }}"),
            ("g.html", "{{ __tera_context }}"),
        ]);
        assert!(shared.names().is_empty(), "{:?}", shared_names(&shared));
    }

    #[test]
    fn a_common_name_some_template_rebinds_is_not_common() {
        let (_, shared) = tera_with(&[
            ("page.html", "{% set home = page.href %}{% include \"home.html\" %}{% include \"menu.html\" %}"),
            ("home.html", "{{ home }}"),
            ("menu.html", "{% for item in menu %}{% set title = item.title %}{{ title }}{% endfor %}"),
        ]);
        assert_eq!(shared_names(&shared), ["menu.html"]);
    }

    #[test]
    fn a_shared_partial_renders_as_its_include_did() {
        let (tera, shared) = tera_with(&[
            ("base.html", "<h>{% include \"head.html\" %}</h>{% block body %}{% endblock body %}"),
            (
                "page.html",
                "{% extends \"base.html\" %}{% block body %}{{ page }}|{% include \"head.html\" %}{% endblock body %}",
            ),
            ("head.html", "{{ site }} & {{ home }}"),
        ]);
        let mut context = Context::new();
        context.insert("site", "S<1>");
        context.insert("home", "../");
        context.insert("page", "P");
        let included = tera.render("page.html", &context).unwrap();
        shared.prepare(&tera, "page.html", &mut context);
        assert_eq!(context.get(&variable(0)).and_then(|v| v.as_str()), Some("S&lt;1&gt; & ..&#x2F;"));
        // The shared copy is what is shown now: the include is not rendered again.
        context.insert(variable(0), "shared");
        assert_eq!(tera.render("page.html", &context).unwrap(), "<h>shared</h>P|shared");
        context.remove(&variable(0));
        assert_eq!(tera.render("page.html", &context).unwrap(), included);
    }

    #[test]
    fn subscripts_name_the_variables_they_read() {
        assert_eq!(names_read("a"), Some(vec!["a"]));
        assert_eq!(names_read("a.b.c"), Some(vec!["a"]));
        assert_eq!(names_read("assets['style.css']"), Some(vec!["assets"]));
        assert_eq!(names_read("a[0].b[c.d]"), Some(vec!["a", "c"]));
        assert_eq!(names_read("a[b[c]]"), None);
    }
}
