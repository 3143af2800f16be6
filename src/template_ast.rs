//! Tera 1's syntax tree, walked in one place. Tera offers no visitor and
//! keeps no positions; what infrared reads from its trees (the includes a
//! template makes, what it calls, the names it binds, whether a partial
//! reads only what every page gets) goes through [`walk`] (and the
//! shared partials' rewrite through [`walk_mut`]). Only this file knows
//! Tera's node kinds: which bodies a node holds and what holds each (a
//! block, a branch, a loop, a macro), what an expression reads and
//! calls, and where a name is bound.
//!
//! Frames, as the walk keeps them: the template's own; one per loop body
//! (binding its variables and `loop`), per loop's `empty` body, per `if`
//! branch, per filter section, per macro (binding its arguments) and per
//! included template ([`Step::Include`]); a block's body is in the frame
//! around it. A `set` binds its name in the innermost frame, a
//! `set_global` in the template's own. Tera itself keeps a name set in a
//! branch or an include after it ends: a walk forgets it there, so what
//! depends on a name being unbound also asks whether any template sets it.

use std::ops::ControlFlow;

use tera::ast::{Expr, ExprVal, Forloop, FunctionCall, MacroCall, Node, Test};

/// What holds a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holder {
    /// `{% block %}`: rendered in the frame around it.
    Block,
    /// A branch of an `if` (`if`, `elif`, `else`).
    Branch,
    /// `{% filter name %}…{% endfilter %}`.
    Filter,
    /// A loop's body, run once per item.
    Loop,
    /// A loop's `{% else %}`, run when there is no item.
    LoopEmpty,
    /// `{% macro name(…) %}`.
    Macro,
    /// A template included ([`Step::Include`]).
    Include,
}

/// What a walk does after a node or a read.
pub(crate) enum Step<'t> {
    /// Go on into what it holds.
    Into,
    /// Go on after it, not into it.
    Over,
    /// End the walk.
    Stop,
    /// (For an include) walk these nodes, an included template's, here,
    /// in a frame of their own.
    Include(&'t [Node]),
}

/// What an expression reads or calls. A read's arguments are walked
/// after it unless the visitor answers [`Step::Over`].
#[derive(Clone, Copy)]
pub(crate) enum Read<'t> {
    /// A variable, as written (`page.title`, `assets[name]`).
    Variable(&'t str),
    /// `value | name(…)`, and `{% filter name(…) %}`.
    Filter(&'t FunctionCall),
    /// `name(…)`.
    Function(&'t FunctionCall),
    /// `value is name(…)`; the value is read as a [`Read::Variable`] first.
    Test(&'t Test),
    /// `namespace::name(…)`.
    Macro(&'t MacroCall),
}

/// What a walk tells, at each node and each read.
pub(crate) trait Visitor<'t> {
    fn node(&mut self, _node: &'t Node, _frames: &Frames<'t>) -> Step<'t> {
        Step::Into
    }

    fn read(&mut self, _read: Read<'t>, _frames: &Frames<'t>) -> Step<'t> {
        Step::Into
    }
}

/// Walks `template` outside its macro definitions, then each macro's
/// body: every node once (a template's tree holds its macros' definitions
/// too, which `template.macros` also has).
pub(crate) fn walk_with_macros<'t, V: Visitor<'t>>(template: &'t tera::Template, visitor: &mut V) {
    struct OutsideMacros<'v, V>(&'v mut V);
    impl<'t, V: Visitor<'t>> Visitor<'t> for OutsideMacros<'_, V> {
        fn node(&mut self, node: &'t Node, frames: &Frames<'t>) -> Step<'t> {
            match node {
                Node::MacroDefinition(..) => Step::Over,
                _ => self.0.node(node, frames),
            }
        }

        fn read(&mut self, read: Read<'t>, frames: &Frames<'t>) -> Step<'t> {
            self.0.read(read, frames)
        }
    }
    walk(&template.ast, &mut OutsideMacros(&mut *visitor));
    for definition in template.macros.values() {
        walk(&definition.body, visitor);
    }
}

/// The frames around the node a walk is at, outermost first.
pub(crate) struct Frames<'t> {
    frames: Vec<Frame<'t>>,
}

struct Frame<'t> {
    holder: Option<Holder>,
    bound: Vec<&'t str>,
    /// The loop whose body this is.
    forloop: Option<&'t Forloop>,
}

impl<'t> Frames<'t> {
    fn new() -> Frames<'t> {
        Frames { frames: vec![Frame { holder: None, bound: Vec::new(), forloop: None }] }
    }

    /// Whether a frame binds `name` (a `set`, a loop's or a macro's variable).
    pub(crate) fn binds(&self, name: &str) -> bool {
        self.frames.iter().any(|frame| frame.bound.contains(&name))
    }

    /// The loop whose key (`KEY` in `for KEY, value in …`) `name` is
    /// here, if that is what binds it.
    pub(crate) fn loop_keyed_by(&self, name: &str) -> Option<&'t Forloop> {
        let frame = self.frames.iter().rev().find(|frame| frame.bound.contains(&name))?;
        let once = frame.bound.iter().filter(|bound| **bound == name).count() == 1;
        frame.forloop.filter(|forloop| once && forloop.key.as_deref() == Some(name))
    }

    /// How many frames `holder` made.
    pub(crate) fn count(&self, holder: Holder) -> usize {
        self.frames.iter().filter(|frame| frame.holder == Some(holder)).count()
    }

    fn bind(&mut self, name: &'t str, global: bool) {
        let frame = if global { self.frames.first_mut() } else { self.frames.last_mut() };
        frame.expect("a walk has the template's frame").bound.push(name);
    }
}

/// Walks `nodes` (and what [`Step::Include`] adds), telling `visitor` of
/// each node and read, in order; `false` if the visitor stopped it.
pub(crate) fn walk<'t>(nodes: &'t [Node], visitor: &mut impl Visitor<'t>) -> bool {
    let mut walk = Walk { visitor, frames: Frames::new() };
    walk.nodes(nodes).is_continue()
}

/// Calls `visit` with each node of `nodes` and, where it answers
/// [`Step::Into`], with each node of the bodies that node holds; `visit`
/// may replace the node it is given (what it puts there is not walked).
pub(crate) fn walk_mut(nodes: &mut [Node], visit: &mut impl FnMut(&mut Node) -> Step<'static>) -> bool {
    for node in nodes {
        match visit(node) {
            Step::Stop => return false,
            Step::Over | Step::Include(_) => {}
            Step::Into => {
                for (_, body) in bodies_mut(node) {
                    if !walk_mut(body, visit) {
                        return false;
                    }
                }
            }
        }
    }
    true
}

/// The bodies a node holds, each with what holds it, in order; `mut` for
/// the mutable ones. Written once for both.
macro_rules! bodies_of {
    ($node:expr $(, $mutable:tt)?) => {{
        let mut bodies = Vec::new();
        match $node {
            Node::Block(_, block, _) => bodies.push((Holder::Block, & $($mutable)? block.body)),
            Node::FilterSection(_, section, _) => bodies.push((Holder::Filter, & $($mutable)? section.body)),
            Node::MacroDefinition(_, definition, _) => {
                bodies.push((Holder::Macro, & $($mutable)? definition.body))
            }
            Node::Forloop(_, forloop, _) => {
                bodies.push((Holder::Loop, & $($mutable)? forloop.body));
                if let Some(empty) = & $($mutable)? forloop.empty_body {
                    bodies.push((Holder::LoopEmpty, empty));
                }
            }
            Node::If(conditions, _) => {
                for (_, _, body) in & $($mutable)? conditions.conditions {
                    bodies.push((Holder::Branch, body));
                }
                if let Some((_, body)) = & $($mutable)? conditions.otherwise {
                    bodies.push((Holder::Branch, body));
                }
            }
            Node::Super
            | Node::Text(_)
            | Node::VariableBlock(..)
            | Node::Extends(..)
            | Node::Include(..)
            | Node::ImportMacro(..)
            | Node::Set(..)
            | Node::Raw(..)
            | Node::Break(_)
            | Node::Continue(_)
            | Node::Comment(..) => {}
        }
        bodies
    }};
}

fn bodies(node: &Node) -> Vec<(Holder, &Vec<Node>)> {
    bodies_of!(node)
}

fn bodies_mut(node: &mut Node) -> Vec<(Holder, &mut Vec<Node>)> {
    bodies_of!(node, mut)
}

/// The expressions a node holds itself (not in its bodies): evaluated in
/// the frame around it.
fn expressions(node: &Node) -> Vec<&Expr> {
    match node {
        Node::VariableBlock(_, expr) => vec![expr],
        Node::Set(_, set) => vec![&set.value],
        Node::Forloop(_, forloop, _) => vec![&forloop.container],
        Node::If(conditions, _) => conditions.conditions.iter().map(|(_, condition, _)| condition).collect(),
        Node::MacroDefinition(_, definition, _) => definition.args.values().flatten().collect(),
        _ => Vec::new(),
    }
}

/// The names a frame `holder` makes for `node` binds.
fn bound_in(node: &Node, holder: Holder) -> Vec<&str> {
    match (node, holder) {
        (Node::Forloop(_, forloop, _), Holder::Loop) => {
            let mut bound = vec![forloop.value.as_str(), "loop"];
            bound.extend(forloop.key.as_deref());
            bound
        }
        (Node::MacroDefinition(_, definition, _), Holder::Macro) => {
            definition.args.keys().map(String::as_str).collect()
        }
        _ => Vec::new(),
    }
}

struct Walk<'v, 't, V> {
    visitor: &'v mut V,
    frames: Frames<'t>,
}

type Flow = ControlFlow<()>;

impl<'t, V: Visitor<'t>> Walk<'_, 't, V> {
    fn nodes(&mut self, nodes: &'t [Node]) -> Flow {
        nodes.iter().try_for_each(|node| self.node(node))
    }

    fn node(&mut self, node: &'t Node) -> Flow {
        match self.visitor.node(node, &self.frames) {
            Step::Into => {}
            Step::Over => return Flow::Continue(()),
            Step::Stop => return Flow::Break(()),
            Step::Include(included) => return self.framed(Some(Holder::Include), Vec::new(), None, included),
        }
        self.exprs(expressions(node))?;
        match node {
            Node::FilterSection(_, section, _) => self.read(Read::Filter(&section.filter))?,
            Node::Set(_, set) => self.frames.bind(&set.key, set.global),
            _ => {}
        }
        for (holder, body) in bodies(node) {
            // A block renders in the frame around it.
            let holder = Some(holder).filter(|h| *h != Holder::Block);
            let forloop = match node {
                Node::Forloop(_, forloop, _) if holder == Some(Holder::Loop) => Some(forloop),
                _ => None,
            };
            match holder {
                Some(h) => self.framed(Some(h), bound_in(node, h), forloop, body)?,
                None => self.nodes(body)?,
            }
        }
        Flow::Continue(())
    }

    fn framed(
        &mut self,
        holder: Option<Holder>,
        bound: Vec<&'t str>,
        forloop: Option<&'t Forloop>,
        nodes: &'t [Node],
    ) -> Flow {
        self.frames.frames.push(Frame { holder, bound, forloop });
        let flow = self.nodes(nodes);
        self.frames.frames.pop();
        flow
    }

    fn expr(&mut self, expr: &'t Expr) -> Flow {
        self.value(&expr.val)?;
        expr.filters.iter().try_for_each(|filter| self.read(Read::Filter(filter)))
    }

    fn exprs(&mut self, exprs: impl IntoIterator<Item = &'t Expr>) -> Flow {
        exprs.into_iter().try_for_each(|expr| self.expr(expr))
    }

    fn value(&mut self, value: &'t ExprVal) -> Flow {
        match value {
            ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => Flow::Continue(()),
            ExprVal::Ident(ident) => self.read(Read::Variable(ident)),
            ExprVal::Math(math) => self.exprs([&*math.lhs, &*math.rhs]),
            ExprVal::Logic(logic) => self.exprs([&*logic.lhs, &*logic.rhs]),
            ExprVal::In(within) => self.exprs([&*within.lhs, &*within.rhs]),
            ExprVal::Test(test) => {
                self.read(Read::Variable(&test.ident))?;
                self.read(Read::Test(test))
            }
            ExprVal::FunctionCall(call) => self.read(Read::Function(call)),
            ExprVal::MacroCall(call) => self.read(Read::Macro(call)),
            ExprVal::Array(items) => self.exprs(items),
            ExprVal::StringConcat(concat) => concat.values.iter().try_for_each(|part| self.value(part)),
        }
    }

    /// Tells the visitor of `read`, then walks its arguments.
    fn read(&mut self, read: Read<'t>) -> Flow {
        match self.visitor.read(read, &self.frames) {
            Step::Into => {}
            Step::Over | Step::Include(_) => return Flow::Continue(()),
            Step::Stop => return Flow::Break(()),
        }
        match read {
            Read::Variable(_) => Flow::Continue(()),
            Read::Filter(call) | Read::Function(call) => self.exprs(call.args.values()),
            Read::Test(test) => self.exprs(&test.args),
            Read::Macro(call) => self.exprs(call.args.values()),
        }
    }
}

/// Where a name stands in an expression, for [`ExprVisitor::name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameKind {
    /// A variable read (`page.title`; a test's value; a part of `~`).
    Variable,
    /// `value | name(…)`, and `{% filter name %}`.
    Filter,
    /// `name(…)`.
    Function,
    /// `value is name`.
    Test,
}

/// What a mutable walk of a template's expressions ([`exprs_mut`]) is told.
pub(crate) trait ExprVisitor {
    /// Each expression, before what it holds (what this adds is walked too).
    fn expr(&mut self, _expr: &mut Expr) {}

    /// Each name an expression reads or calls, as written.
    fn name(&mut self, _kind: NameKind, _name: &mut String) {}
}

/// Walks every expression of `template` that rendering may evaluate: its
/// tree, and the copies Tera keeps of its blocks and macros.
pub(crate) fn template_exprs_mut(template: &mut tera::Template, visitor: &mut impl ExprVisitor) {
    exprs_mut(&mut template.ast, visitor);
    for block in template.blocks.values_mut() {
        exprs_mut(&mut block.body, visitor);
    }
    for definition in template.macros.values_mut() {
        definition.args.values_mut().flatten().for_each(|default| expr_mut(default, visitor));
        exprs_mut(&mut definition.body, visitor);
    }
}

/// Tells `visitor` of each expression in `nodes` and in the bodies they
/// hold, and of each name those read or call (not of the names a node
/// binds: `set`, loops, macros' arguments).
pub(crate) fn exprs_mut(nodes: &mut [Node], visitor: &mut impl ExprVisitor) {
    for node in nodes {
        match node {
            Node::VariableBlock(_, expr) => expr_mut(expr, visitor),
            Node::Set(_, set) => expr_mut(&mut set.value, visitor),
            Node::Forloop(_, forloop, _) => expr_mut(&mut forloop.container, visitor),
            Node::If(conditions, _) => {
                conditions.conditions.iter_mut().for_each(|(_, condition, _)| expr_mut(condition, visitor))
            }
            Node::MacroDefinition(_, definition, _) => {
                definition.args.values_mut().flatten().for_each(|default| expr_mut(default, visitor))
            }
            Node::FilterSection(_, section, _) => call_mut(NameKind::Filter, &mut section.filter, visitor),
            _ => {}
        }
        for (_, body) in bodies_mut(node) {
            exprs_mut(body, visitor);
        }
    }
}

fn expr_mut(expr: &mut Expr, visitor: &mut impl ExprVisitor) {
    visitor.expr(expr);
    value_mut(&mut expr.val, visitor);
    for filter in &mut expr.filters {
        call_mut(NameKind::Filter, filter, visitor);
    }
}

fn call_mut(kind: NameKind, call: &mut FunctionCall, visitor: &mut impl ExprVisitor) {
    visitor.name(kind, &mut call.name);
    call.args.values_mut().for_each(|arg| expr_mut(arg, visitor));
}

fn value_mut(value: &mut ExprVal, visitor: &mut impl ExprVisitor) {
    match value {
        ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => {}
        ExprVal::Ident(ident) => visitor.name(NameKind::Variable, ident),
        ExprVal::Math(math) => [&mut math.lhs, &mut math.rhs].into_iter().for_each(|e| expr_mut(e, visitor)),
        ExprVal::Logic(logic) => [&mut logic.lhs, &mut logic.rhs].into_iter().for_each(|e| expr_mut(e, visitor)),
        ExprVal::In(within) => [&mut within.lhs, &mut within.rhs].into_iter().for_each(|e| expr_mut(e, visitor)),
        ExprVal::Test(test) => {
            visitor.name(NameKind::Variable, &mut test.ident);
            visitor.name(NameKind::Test, &mut test.name);
            test.args.iter_mut().for_each(|arg| expr_mut(arg, visitor));
        }
        ExprVal::FunctionCall(call) => call_mut(NameKind::Function, call, visitor),
        ExprVal::MacroCall(call) => call.args.values_mut().for_each(|arg| expr_mut(arg, visitor)),
        ExprVal::Array(items) => items.iter_mut().for_each(|item| expr_mut(item, visitor)),
        ExprVal::StringConcat(concat) => concat.values.iter_mut().for_each(|part| value_mut(part, visitor)),
    }
}

/// Every include in `nodes`, however deep (macros and loops too): the
/// template names each lists (Tera renders the first that exists) and
/// whether it says `ignore missing`.
pub(crate) fn includes_in(nodes: &[Node]) -> Vec<(&[String], bool)> {
    struct Includes<'t>(Vec<(&'t [String], bool)>);
    impl<'t> Visitor<'t> for Includes<'t> {
        fn node(&mut self, node: &'t Node, _: &Frames<'t>) -> Step<'t> {
            if let Node::Include(_, names, ignore_missing) = node {
                self.0.push((names, *ignore_missing));
            }
            Step::Into
        }
    }
    let mut includes = Includes(Vec::new());
    walk(nodes, &mut includes);
    includes.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Template;

    /// Records each variable read with whether the frames bind it, and each node's kind.
    struct Reads(Vec<String>);
    impl<'t> Visitor<'t> for Reads {
        fn read(&mut self, read: Read<'t>, frames: &Frames<'t>) -> Step<'t> {
            let seen = match read {
                Read::Variable(name) => {
                    let root = name.split(['.', '[']).next().unwrap_or(name);
                    format!("{name}{}", if frames.binds(root) { " (bound)" } else { "" })
                }
                Read::Filter(call) => format!("| {}", call.name),
                Read::Function(call) => format!("{}()", call.name),
                Read::Test(test) => format!("is {}", test.name),
                Read::Macro(call) => format!("{}::{}()", call.namespace, call.name),
            };
            self.0.push(seen);
            Step::Into
        }
    }

    fn reads(text: &str) -> Vec<String> {
        let template = Template::new("t.html", None, text).unwrap();
        let mut reads = Reads(Vec::new());
        assert!(walk(&template.ast, &mut reads));
        reads.0
    }

    #[test]
    fn reads_are_told_with_the_frames_binding_them() {
        assert_eq!(
            reads(
                "{% set a = b | upper %}{{ a }}{% for x in l %}{{ x.y ~ loop.index }}{% set c = 1 %}{{ c }}\
                 {% else %}{{ x }}{% endfor %}{{ c }}{% filter f(n=a) %}{% if a is divisibleby(n) %}{{ m::z(p=q) }}\
                 {% endif %}{% endfilter %}{% macro k(arg, d=1) %}{{ arg }}{{ t(key=x) }}{% endmacro k %}"
            ),
            [
                "b",
                "| upper",
                "a (bound)",
                "l",
                "x.y (bound)",
                "loop.index (bound)",
                "c (bound)",
                "x",
                "c",
                "| f",
                "a (bound)",
                "a (bound)",
                "is divisibleby",
                "n",
                "m::z()",
                "q",
                "arg (bound)",
                "t()",
                "x",
            ]
        );
    }

    #[test]
    fn a_stopped_walk_says_so_and_goes_no_further() {
        struct StopAtFunction(usize);
        impl<'t> Visitor<'t> for StopAtFunction {
            fn read(&mut self, read: Read<'t>, _: &Frames<'t>) -> Step<'t> {
                self.0 += 1;
                match read {
                    Read::Function(_) => Step::Stop,
                    _ => Step::Into,
                }
            }
        }
        let template = Template::new("t.html", None, "{{ a }}{% if b %}{{ now() }}{% endif %}{{ c }}").unwrap();
        let mut visitor = StopAtFunction(0);
        assert!(!walk(&template.ast, &mut visitor));
        assert_eq!(visitor.0, 3);
    }

    #[test]
    fn includes_are_found_in_every_body() {
        let template = Template::new(
            "t.html",
            None,
            "{% include \"a\" %}{% block b %}{% for x in l %}{% include [\"b\", \"c\"] ignore missing %}{% endfor %}\
             {% endblock b %}{% macro m() %}{% if x %}{% else %}{% include \"d\" %}{% endif %}{% endmacro m %}",
        )
        .unwrap();
        let found: Vec<(Vec<&str>, bool)> = includes_in(&template.ast)
            .into_iter()
            .map(|(names, ignore)| (names.iter().map(String::as_str).collect(), ignore))
            .collect();
        assert_eq!(found, [(vec!["a"], false), (vec!["b", "c"], true), (vec!["d"], false)]);
    }
}
