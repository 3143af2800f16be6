//! Pins a render error to the line and column that failed. Tera's render
//! errors name no line, and often not even the template; a name that
//! failed (`page.autor`, the filter `join`) may stand at many places. On
//! the error path only, the page is rendered once more with a copy of the
//! theme in which each place naming it, in every template, carries a
//! name of its own that behaves exactly as the original does where the
//! original works and fails where it fails: the place Tera then names is
//! the one that failed.
//!
//! Places are found in the text (the tree keeps no positions): in `{{ }}`
//! and `{% %}`, outside strings, comments and `{% raw %}`. A template
//! whose renamed text does not parse into the same tree, the new names
//! aside, keeps its original: the error then stays a guess.

use std::collections::HashMap;

use tera::ast::{Expr, ExprVal, FunctionCall, Test};
use tera::{Context, Template, Tera, Value};

use crate::template_ast::{template_exprs_mut, ExprVisitor, NameKind};

/// What failed, as Tera's messages name it.
#[derive(Clone, Copy)]
pub(crate) enum Failed<'a> {
    /// A variable no value stands behind, as written (`page.autor`).
    Undefined(&'a str),
    /// A filter, function or test whose call failed (`join`).
    Call(&'a str),
}

/// The place that failed: a template, and a line and column of its text
/// (1-based, in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pinned {
    pub template: String,
    pub line: usize,
    pub column: usize,
}

/// Each place's own name: `PROBE` and its number.
const PROBE: &str = "__infrared_probe_";
/// The function a renamed variable's default calls where it is undefined.
const UNDEFINED: &str = "__infrared_undefined_";
/// The function a renamed variable in a `~` join is read through.
const VALUE: &str = "__infrared_value_";

/// A copy of a theme in which each place naming what failed has a name of
/// its own, and where each of those places is. It depends only on what
/// failed, so pages failing the same way share one.
pub(crate) struct Probe {
    tera: Tera,
    places: Vec<Pinned>,
    /// What the names of the places that can fail start with.
    prefix: &'static str,
}

impl Probe {
    /// The probe for `failed` in `tera`, whose templates' sources are
    /// `texts` and trees as parsed from them `parsed`; `None` when no
    /// place naming it could be renamed.
    pub(crate) fn new<'a>(
        tera: &Tera,
        texts: impl IntoIterator<Item = (&'a str, &'a str)>,
        parsed: impl Fn(&str) -> Option<&'a Template>,
        failed: Failed,
    ) -> Option<Probe> {
        let (name, prefix) = match failed {
            Failed::Undefined(name) => (name, UNDEFINED),
            // Tera handles these two by name, not as filters.
            Failed::Call("safe" | "default") => return None,
            Failed::Call(name) => (name, PROBE),
        };
        let mut places = Vec::new();
        let mut probed = Vec::new();
        for (template, text) in texts.into_iter().filter(|(_, text)| text.contains(name)) {
            let Some(renamed) = renamed_places(text, name, places.len()) else { continue };
            let Some(original) = parsed(template) else { continue };
            if let Some(tree) = probed_tree(template, &renamed, original, name, failed) {
                places.extend(positions(text, name).into_iter().map(|(line, column)| Pinned {
                    template: template.to_string(),
                    line,
                    column,
                }));
                probed.push(tree);
            }
        }
        if probed.is_empty() {
            return None;
        }
        let tera = probe_theme(tera, probed, name, places.len(), failed)?;
        Some(Probe { tera, places, prefix })
    }

    /// Renders `start` with `context` once more, and returns the place
    /// the render fails at; `None` when it fails elsewhere or not at all.
    pub(crate) fn pin(&self, start: &str, context: &Context) -> Option<&Pinned> {
        let error = self.tera.render_to(start, context, std::io::sink()).err()?;
        self.places.get(probe_named(&error, self.prefix)?)
    }
}

/// `text` with each place naming `name` renamed `PROBE{n}`, numbered from
/// `first`; `None` if there is none.
fn renamed_places(text: &str, name: &str, first: usize) -> Option<String> {
    let uses = code_uses(text, name);
    if uses.is_empty() {
        return None;
    }
    let mut renamed = String::with_capacity(text.len() + uses.len() * 24);
    let mut from = 0;
    for (n, at) in uses.into_iter().enumerate() {
        renamed.push_str(&text[from..at]);
        renamed.push_str(&format!("{PROBE}{}", first + n));
        from = at + name.len();
    }
    renamed.push_str(&text[from..]);
    Some(renamed)
}

/// The line and column of each place naming `name` in `text`, in order.
fn positions(text: &str, name: &str) -> Vec<(usize, usize)> {
    code_uses(text, name)
        .into_iter()
        .map(|at| {
            let before = &text[..at];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
        })
        .collect()
}

/// The tree of `renamed` made ready to render, if it is `original`'s with
/// places renamed and nothing else: each renamed variable back to `name`
/// with a default calling its own [`UNDEFINED`] function (for an undefined
/// variable), or each renamed call kept (for a failing call, whose alias
/// [`probe_theme`] registers); every other place back to `name`.
fn probed_tree(template: &str, renamed: &str, original: &Template, name: &str, failed: Failed) -> Option<Template> {
    let mut tree = Template::new(template, None, renamed).ok()?;
    let mut restored = tree.clone();
    template_exprs_mut(&mut restored, &mut Restore { name, only: None });
    if restored.ast != original.ast {
        return None;
    }
    match failed {
        Failed::Undefined(_) => template_exprs_mut(&mut tree, &mut ProbeVariables { name }),
        Failed::Call(_) => {
            let calls = [NameKind::Filter, NameKind::Function, NameKind::Test];
            template_exprs_mut(&mut tree, &mut Restore { name, only: Some(&calls) });
        }
    }
    Some(tree)
}

/// Gives places back their original `name`: all, or all but those of the
/// kinds `only` keeps renamed.
struct Restore<'a> {
    name: &'a str,
    only: Option<&'a [NameKind]>,
}

impl ExprVisitor for Restore<'_> {
    fn name(&mut self, kind: NameKind, name: &mut String) {
        if probe_number(name).is_some() && !self.only.is_some_and(|kept| kept.contains(&kind)) {
            *name = self.name.to_string();
        }
    }
}

/// Turns each renamed variable read by an expression back into `name`,
/// followed by `default(value=UNDEFINED{n}(defined=name is defined))`:
/// where `name` has a value, that value (a `null` one too, which the
/// function gives back); where it has none, the function fails, named.
/// An expression that tests it (`not name`), or has a default already,
/// cannot fail on it and is only renamed back, as are the other places.
/// In a `~` join (whose parts take no filter), the part becomes
/// `VALUE{n}(value=name | default(…))`, which gives the value back: only
/// where no call comes before it in the join (a call's result decides
/// whether the join is escaped, and the last call's wins).
struct ProbeVariables<'a> {
    name: &'a str,
}

impl ProbeVariables<'_> {
    /// `name`, with the default failing as place `n` where it has no value.
    fn probed(&self, n: usize) -> Expr {
        let defined = ExprVal::Test(Test {
            ident: self.name.to_string(),
            negated: false,
            name: "defined".to_string(),
            args: Vec::new(),
        });
        let call = FunctionCall {
            name: format!("{UNDEFINED}{n}"),
            args: HashMap::from([("defined".to_string(), Expr::new(defined))]),
        };
        let value = Expr::new(ExprVal::FunctionCall(call));
        let default = FunctionCall { name: "default".to_string(), args: HashMap::from([("value".to_string(), value)]) };
        Expr::with_filters(ExprVal::Ident(self.name.to_string()), vec![default])
    }
}

impl ExprVisitor for ProbeVariables<'_> {
    fn expr(&mut self, expr: &mut Expr) {
        if let ExprVal::StringConcat(join) = &mut expr.val {
            let calls_before = join.values.iter().position(|part| matches!(part, ExprVal::FunctionCall(_)));
            for (at, part) in join.values.iter_mut().enumerate() {
                let Some(n) = as_probe(part).filter(|_| calls_before.is_none_or(|call| at < call)) else { continue };
                let args = HashMap::from([("value".to_string(), self.probed(n))]);
                *part = ExprVal::FunctionCall(FunctionCall { name: format!("{VALUE}{n}"), args });
            }
            return;
        }
        let Some(n) = as_probe(&expr.val) else { return };
        if expr.negated || expr.has_default_filter() {
            expr.val = ExprVal::Ident(self.name.to_string());
            return;
        }
        let Expr { val, filters, .. } = self.probed(n);
        expr.val = val;
        expr.filters.splice(0..0, filters);
    }

    fn name(&mut self, _kind: NameKind, name: &mut String) {
        if probe_number(name).is_some() {
            *name = self.name.to_string();
        }
    }
}

/// `tera` with the `probed` trees in place of the originals and, for each
/// of the `places`, what its name calls: the [`UNDEFINED`] function, or
/// the filter, function or test `name` is.
fn probe_theme(tera: &Tera, probed: Vec<Template>, name: &str, places: usize, failed: Failed) -> Option<Tera> {
    let mut probe = tera.clone();
    for mut tree in probed {
        tree.path = probe.templates.get(&tree.name).and_then(|t| t.path.clone());
        probe.templates.insert(tree.name.clone(), tree);
    }
    probe.build_inheritance_chains().ok()?;
    for n in 0..places {
        match failed {
            Failed::Undefined(_) => {
                probe.register_function(&format!("{UNDEFINED}{n}"), undefined);
                probe.register_function(&format!("{VALUE}{n}"), JoinedValue);
            }
            Failed::Call(_) => {
                let alias = format!("{PROBE}{n}");
                if let Some(filter) = tera.filters.get(name) {
                    probe.filters.insert(alias.clone(), filter.clone());
                }
                if let Some(function) = tera.functions.get(name) {
                    probe.functions.insert(alias.clone(), function.clone());
                }
                if let Some(test) = tera.testers.get(name) {
                    probe.testers.insert(alias, test.clone());
                }
            }
        }
    }
    Some(probe)
}

/// A renamed variable's default: its value where it is defined (`null`),
/// else an error naming the place.
fn undefined(args: &HashMap<String, Value>) -> tera::Result<Value> {
    match args.get("defined") {
        Some(Value::Bool(true)) => Ok(Value::Null),
        _ => Err("no value".into()),
    }
}

/// A renamed variable in a `~` join: its value, as the join reads a
/// variable (safe: the join's escaping stays what the calls before decide).
struct JoinedValue;

impl tera::Function for JoinedValue {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        Ok(args.get("value").cloned().unwrap_or(Value::Null))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// The place the probe render's `error` names: the call Tera says failed,
/// whose name starts with `prefix`.
fn probe_named(error: &tera::Error, prefix: &str) -> Option<usize> {
    let mut messages = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        messages.push(s.to_string());
        source = s.source();
    }
    messages.iter().find_map(|message| {
        ["Function call '", "Filter call '", "Test call '"].iter().find_map(|opening| {
            let called = message.split_once(opening)?.1;
            let called = &called[..called.find('\'')?];
            called.strip_prefix(prefix)?.parse().ok()
        })
    })
}

/// The number of a renamed variable read.
fn as_probe(value: &ExprVal) -> Option<usize> {
    match value {
        ExprVal::Ident(ident) => probe_number(ident),
        _ => None,
    }
}

/// The number of a place's own name.
fn probe_number(name: &str) -> Option<usize> {
    name.strip_prefix(PROBE)?.parse().ok()
}

/// Byte offsets in `text` where `name` stands as a whole name (not a part
/// of a longer one, `page.autor.x` or `page.autor[0]` for `page.autor`) in
/// code: inside `{{ }}` and `{% %}`, outside strings, `{# #}` comments and
/// `{% raw %}` blocks.
fn code_uses(text: &str, name: &str) -> Vec<usize> {
    let mut uses = Vec::new();
    let mut at = 0;
    let mut raw = false;
    while let Some(open) = text[at..].find('{').map(|i| at + i) {
        let close = match text.get(open + 1..open + 2) {
            Some("{") => "}}",
            Some("%") => "%}",
            Some("#") => "#}",
            _ => {
                at = open + 1;
                continue;
            }
        };
        let start = open + 2;
        let Some(end) = tag_end(text, start, close) else { break };
        let inner = &text[start..end];
        let tag = inner.trim_matches(|c: char| c == '-' || c.is_whitespace());
        let is_tag = close == "%}";
        if raw {
            raw = !(is_tag && tag == "endraw");
            // Inside `{% raw %}`, only a tag can end it.
            at = if raw { open + 1 } else { end + 2 };
            continue;
        }
        if is_tag && tag == "raw" {
            raw = true;
        } else if close != "#}" {
            uses.extend(names_in_code(inner, name).into_iter().map(|i| start + i));
        }
        at = end + 2;
    }
    uses
}

/// Where the tag opened before `start` ends (`close` outside strings).
fn tag_end(text: &str, start: usize, close: &str) -> Option<usize> {
    if close == "#}" {
        return text[start..].find(close).map(|i| start + i);
    }
    let mut quote = None;
    for (i, c) in text[start..].char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '\'' | '`') => quote = Some(c),
            None if text[start + i..].starts_with(close) => return Some(start + i),
            None => {}
        }
    }
    None
}

/// Byte offsets in `code` where `name` stands whole, outside strings.
fn names_in_code(code: &str, name: &str) -> Vec<usize> {
    let part_of_name = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let mut found = Vec::new();
    let mut quote = None;
    for (i, c) in code.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '\'' | '`') => quote = Some(c),
            None => {
                let before = code[..i].chars().next_back();
                let after = code[i..].strip_prefix(name).map(|rest| rest.chars().next());
                if let Some(after) = after {
                    let whole =
                        !before.is_some_and(part_of_name) && !after.is_some_and(|a| part_of_name(a) || a == '[');
                    if whole {
                        found.push(i);
                    }
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_uses_skip_strings_comments_raw_and_longer_names() {
        let text = "{{ page.autor }} page.autor {# page.autor #}{{ \"page.autor\" ~ page.autor.x }}\n\
                    {% raw %}{{ page.autor }}{% endraw %}{%- if page.autor -%}{{ page.autor[0] }}{{ xpage.autor }}{% endif %}";
        let uses = code_uses(text, "page.autor");
        let lines: Vec<(usize, usize)> = positions(text, "page.autor");
        assert_eq!(uses.len(), 2, "{uses:?}");
        assert_eq!(lines, [(1, 4), (2, 45)]);
    }

    /// Every name a tree reads or calls, in the walk's order.
    fn names(tree: &mut Template) -> Vec<String> {
        struct Names(Vec<String>);
        impl ExprVisitor for Names {
            fn name(&mut self, _: NameKind, name: &mut String) {
                self.0.push(name.clone());
            }
        }
        let mut names = Names(Vec::new());
        template_exprs_mut(tree, &mut names);
        names.0
    }

    #[test]
    fn a_variable_that_can_fail_gets_a_default_calling_its_own_function() {
        let text = "{% set page_autor = 1 %}{{ page.autor | upper }}{% if not page.autor %}x{% endif %}";
        let original = Template::new("t.html", None, text).unwrap();
        let renamed = renamed_places(text, "page.autor", 3).unwrap();
        assert_eq!(
            renamed,
            "{% set page_autor = 1 %}{{ __infrared_probe_3 | upper }}{% if not __infrared_probe_4 %}x{% endif %}"
        );
        let mut tree =
            probed_tree("t.html", &renamed, &original, "page.autor", Failed::Undefined("page.autor")).unwrap();
        // `not page.autor` cannot fail: it is only named back.
        assert_eq!(
            names(&mut tree),
            ["page.autor", "default", "__infrared_undefined_3", "page.autor", "defined", "upper", "page.autor"]
        );
    }

    #[test]
    fn a_variable_in_a_join_is_read_through_a_function_only_before_any_call() {
        let text = "{{ \"a\" ~ x ~ f() ~ x }}";
        let original = Template::new("t.html", None, text).unwrap();
        let renamed = renamed_places(text, "x", 0).unwrap();
        let mut tree = probed_tree("t.html", &renamed, &original, "x", Failed::Undefined("x")).unwrap();
        // After `f()`, the join's escaping is the last call's: `x` is left as it was.
        assert_eq!(
            names(&mut tree),
            ["__infrared_value_0", "x", "default", "__infrared_undefined_0", "x", "defined", "f", "x"]
        );
    }

    #[test]
    fn a_failing_call_keeps_its_own_name_where_it_is_called_only() {
        let text = "{{ join | join(sep=\",\") }}";
        let original = Template::new("t.html", None, text).unwrap();
        let renamed = renamed_places(text, "join", 0).unwrap();
        let mut tree = probed_tree("t.html", &renamed, &original, "join", Failed::Call("join")).unwrap();
        assert_eq!(names(&mut tree), ["join", "__infrared_probe_1"]);
    }

    #[test]
    fn a_template_whose_renamed_text_reads_otherwise_is_not_probed() {
        // The name `set` binds is not a read: renamed, the tree differs.
        let text = "{% set x = 1 %}{{ x }}";
        let original = Template::new("t.html", None, text).unwrap();
        let renamed = renamed_places(text, "x", 0).unwrap();
        assert!(probed_tree("t.html", &renamed, &original, "x", Failed::Undefined("x")).is_none());
    }
}
