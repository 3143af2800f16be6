//! Workshops and modules as front matter describes them: a workshop page's
//! `[workshop]` table (duration, audience, modules, materials) and a module
//! page's `[module]` table (duration, objectives). Both arrive in a page's
//! `extra`; here they are read strictly, with errors at their file:line: a
//! duration that does not parse, a module that does not exist, a workshop
//! that lists itself (or a cycle through other workshops), an unknown field.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::content::{Source, Unpublished};
use crate::error::{read_text, Error, Result};
use crate::site::Site;
use crate::urls::join_normalized;

/// A workshop as one language shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Workshop {
    /// Node index of the workshop's page.
    pub index: usize,
    /// Minutes.
    pub duration: Option<u32>,
    pub audience: Option<String>,
    /// Node indexes of its modules, in the order they are run.
    pub modules: Vec<usize>,
    pub materials: Vec<String>,
}

/// What a module page says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Module {
    /// Minutes.
    pub duration: Option<u32>,
    pub objectives: Vec<String>,
}

/// `3h`, `45m`, `1h30m` → minutes. Strict: hours then minutes, digits and
/// the unit letters only, minutes under 60 after hours, more than zero.
pub fn parse_duration(text: &str) -> Option<u32> {
    let (hours, rest) = match text.split_once('h') {
        Some((h, rest)) => (Some(h), rest),
        None => (None, text),
    };
    let minutes = match rest {
        "" => None,
        m => Some(m.strip_suffix('m')?),
    };
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
    };
    let hours = hours.map(number).map_or(Some(0), |h| h)?;
    let minutes = minutes.map(number).map_or(Some(0), |m| m)?;
    if text.contains('h') && text.contains('m') && minutes >= 60 {
        return None;
    }
    let total = hours * 60 + minutes;
    (total > 0).then_some(total)
}

/// Is this version of a page a workshop?
pub fn is_workshop(source: &Source) -> bool {
    source.front.extra.contains_key("workshop")
}

/// Every workshop of the site (node indexes, in content order), with every
/// version of every workshop and module checked.
pub fn workshops(site: &Site) -> Result<Vec<usize>> {
    let errors = problems(site);
    if !errors.is_empty() {
        return Err(Error::many(errors));
    }
    Ok((0..site.corpus.nodes.len()).filter(|&index| is_workshop(site.primary_source(index))).collect())
}

/// What is wrong with the `[workshop]` and `[module]` tables of every
/// version of every page: every problem, each at its line.
pub fn problems(site: &Site) -> Vec<Error> {
    (0..site.corpus.nodes.len()).flat_map(|index| node_problems(site, index)).collect()
}

/// What is wrong with the workshop at `index` and the pages it lists as
/// modules, in every version of each (what `infrared pack` reports before
/// making one language's pack: a trainer sees every problem in one run).
pub fn problems_of(site: &Site, index: usize) -> Vec<Error> {
    let mut pages = BTreeSet::from([index]);
    for source in site.corpus.nodes[index].versions.values() {
        let listed = source.front.extra.get("workshop").and_then(|w| w.get("modules")).and_then(|m| m.as_array());
        let dir = &site.corpus.nodes[index].dir;
        pages.extend(listed.into_iter().flatten().filter_map(|item| resolve_module(site, dir, item.as_str()?)));
    }
    pages.into_iter().flat_map(|page| node_problems(site, page)).collect()
}

fn node_problems(site: &Site, index: usize) -> Vec<Error> {
    site.corpus.nodes[index].versions.values().flat_map(|source| source_problems(site, index, source)).collect()
}

fn source_problems(site: &Site, index: usize, source: &Source) -> Vec<Error> {
    let mut errors = Vec::new();
    if source.front.extra.contains_key("module") {
        errors.extend(read_module(source).err().unwrap_or_default());
    }
    if is_workshop(source) {
        match read_workshop(site, index, source) {
            Ok(workshop) => errors.extend(check_cycles(site, &workshop, source).err()),
            Err(problems) => errors.extend(problems),
        }
    }
    errors
}

/// The workshop at `index` as readers of `lang` see it: its fields from the
/// version shown in `lang` (a translation without the table uses the
/// original's).
pub fn workshop(site: &Site, index: usize, lang: &str) -> Result<Workshop> {
    let (shown, _) = site.version(index, lang);
    let source = if is_workshop(shown) { shown } else { site.primary_source(index) };
    let workshop = read_workshop(site, index, source).map_err(Error::many)?;
    check_cycles(site, &workshop, source)?;
    Ok(workshop)
}

/// The `[module]` table of the page at `index` as shown in `lang`, if any.
pub fn module(site: &Site, index: usize, lang: &str) -> Result<Module> {
    let (shown, _) = site.version(index, lang);
    let source = if shown.front.extra.contains_key("module") { shown } else { site.primary_source(index) };
    if source.front.extra.contains_key("module") {
        read_module(source).map_err(Error::many)
    } else {
        Ok(Module::default())
    }
}

/// Reads fields of one table, each error at its line; a field that cannot
/// be read is noted ([`TableReader::problem`]) and read as absent, so one
/// pass finds every problem of the table.
struct TableReader<'a> {
    source: &'a Source,
    table: &'static str,
    fields: Map<String, Value>,
    problems: RefCell<Vec<Error>>,
}

impl<'a> TableReader<'a> {
    fn new(
        source: &'a Source,
        table: &'static str,
        known: &[&str],
    ) -> std::result::Result<TableReader<'a>, Vec<Error>> {
        let reader = TableReader { source, table, fields: Map::new(), problems: RefCell::default() };
        let fields = match source.front.extra.get(table) {
            Some(Value::Object(fields)) => fields.clone(),
            _ => {
                return Err(vec![reader.error(
                    None,
                    format!("{table} must be a table of fields"),
                    &format!("write [{table}] followed by key = value lines"),
                )])
            }
        };
        for unknown in fields.keys().filter(|k| !known.contains(&k.as_str())) {
            reader.problem(reader.error(
                Some(unknown),
                format!("[{table}] has no field \"{unknown}\""),
                &format!("[{table}] takes {}", known.join(", ")),
            ));
        }
        Ok(TableReader { fields, ..reader })
    }

    fn problem(&self, error: Error) {
        self.problems.borrow_mut().push(error);
    }

    /// `value`, unless some field could not be read: then every problem.
    fn finish<T>(self, value: T) -> std::result::Result<T, Vec<Error>> {
        let problems = self.problems.into_inner();
        if problems.is_empty() {
            Ok(value)
        } else {
            Err(problems)
        }
    }

    fn error(&self, key: Option<&str>, message: String, hint: &str) -> Error {
        let line = read_text(&self.source.path).ok().and_then(|text| table_line(&text, self.table, key));
        Error::input(&self.source.path, line, message, hint)
    }

    fn error_at_item(&self, key: &str, item: &str, message: String, hint: &str) -> Error {
        let line = read_text(&self.source.path).ok().and_then(|text| {
            item_line(&text, self.table, key, item).or_else(|| table_line(&text, self.table, Some(key)))
        });
        Error::input(&self.source.path, line, message, hint)
    }

    fn text(&self, key: &str) -> Option<String> {
        match self.fields.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                self.problem(self.error(Some(key), format!("{key} must be text"), "quote the value"));
                None
            }
        }
    }

    fn list(&self, key: &str) -> Vec<String> {
        let hint = "write a list of quoted values: [\"a\", \"b\"]";
        match self.fields.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                items.iter().filter_map(|item| item.as_str().map(str::to_string)).collect()
            }
            Some(Value::Array(_)) => {
                self.problem(self.error(Some(key), format!("{key} must list text values"), hint));
                Vec::new()
            }
            Some(_) => {
                self.problem(self.error(Some(key), format!("{key} must be a list"), hint));
                Vec::new()
            }
        }
    }

    fn duration(&self) -> Option<u32> {
        let text = match self.fields.get("duration") {
            None | Some(Value::Null) => return None,
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        let minutes = parse_duration(&text);
        if minutes.is_none() {
            self.problem(self.error(
                Some("duration"),
                format!("duration \"{text}\" does not parse"),
                "write hours and minutes as \"3h\", \"45m\" or \"1h30m\" (quoted)",
            ));
        }
        minutes
    }
}

fn read_module(source: &Source) -> std::result::Result<Module, Vec<Error>> {
    let table = TableReader::new(source, "module", &["duration", "objectives"])?;
    let module = Module { duration: table.duration(), objectives: table.list("objectives") };
    table.finish(module)
}

fn read_workshop(site: &Site, index: usize, source: &Source) -> std::result::Result<Workshop, Vec<Error>> {
    let table = TableReader::new(source, "workshop", &["duration", "audience", "modules", "materials"])?;
    let listed = table.list("modules");
    if listed.is_empty() && table.fields.get("modules").is_none_or(|m| m.as_array().is_some_and(Vec::is_empty)) {
        table.problem(table.error(
            Some("modules"),
            "a workshop lists its modules".into(),
            "add modules = [\"first-module.md\", \"second-module.md\"], relative to this file",
        ));
    }
    let mut modules: Vec<usize> = Vec::new();
    for item in &listed {
        let Some(module) = resolve_module(site, &site.corpus.nodes[index].dir, item) else {
            let dir = &site.corpus.nodes[index].dir;
            let looked = join_normalized(dir, item).unwrap_or_else(|| item.clone());
            let (message, hint) = match site.corpus.unpublished.get(&looked) {
                Some(Unpublished::Draft) => (
                    format!("module \"{item}\" is a draft (content/{looked}), so no reader gets it"),
                    "publish it (delete its draft line), or take it out of modules until it is ready",
                ),
                Some(Unpublished::Unreadable) => (
                    format!("module \"{item}\" could not be read (content/{looked}: see its own error)"),
                    "fix the module's file; the workshop needs it",
                ),
                None => (
                    format!("module \"{item}\" does not exist (no content/{looked})"),
                    "list Markdown files relative to this one, like \"passwords.md\" or \"../guides/backups.md\"",
                ),
            };
            table.problem(table.error_at_item("modules", item, message, hint));
            continue;
        };
        if module == index {
            table.problem(table.error_at_item(
                "modules",
                item,
                format!("the workshop lists itself as a module (\"{item}\")"),
                "a workshop's modules are other pages; remove this one",
            ));
        } else if modules.contains(&module) {
            table.problem(table.error_at_item(
                "modules",
                item,
                format!("module \"{item}\" is listed twice"),
                "list each module once",
            ));
        } else {
            modules.push(module);
        }
    }
    let workshop = Workshop {
        index,
        duration: table.duration(),
        audience: table.text("audience"),
        modules,
        materials: table.list("materials"),
    };
    table.finish(workshop)
}

/// A module that is itself a workshop must not lead back to this one.
fn check_cycles(site: &Site, workshop: &Workshop, source: &Source) -> Result<()> {
    let mut path = vec![workshop.index];
    if let Some(cycle) = find_cycle(site, &workshop.modules, &mut path) {
        let names: Vec<String> = cycle.iter().map(|&i| site.primary_source(i).rel_path.clone()).collect();
        let table = TableReader { source, table: "workshop", fields: Map::new(), problems: RefCell::default() };
        return Err(table.error(
            Some("modules"),
            format!("workshops list each other in a cycle: {}", names.join(" → ")),
            "a workshop may include another workshop, but not one that includes it back",
        ));
    }
    Ok(())
}

fn find_cycle(site: &Site, modules: &[usize], path: &mut Vec<usize>) -> Option<Vec<usize>> {
    for &module in modules {
        if let Some(at) = path.iter().position(|&p| p == module) {
            let mut cycle = path[at..].to_vec();
            cycle.push(module);
            return Some(cycle);
        }
        let primary = site.primary_source(module);
        if !is_workshop(primary) {
            continue;
        }
        let Ok(inner) = read_workshop(site, module, primary) else {
            continue;
        };
        path.push(module);
        if let Some(cycle) = find_cycle(site, &inner.modules, path) {
            return Some(cycle);
        }
        path.pop();
    }
    None
}

/// A module as a workshop lists it: a Markdown file relative to the
/// workshop's folder (`passwords.md`, `../guides/backups.md`, a bundle's
/// `index.md`), or the same without `.md`.
pub fn resolve_module(site: &Site, dir: &str, item: &str) -> Option<usize> {
    let path = join_normalized(dir, item.trim())?;
    let candidates = if path.ends_with(".md") {
        vec![path]
    } else {
        vec![format!("{path}.md"), format!("{path}/index.md"), format!("{path}/_index.md")]
    };
    let files: BTreeMap<&str, usize> = site
        .corpus
        .nodes
        .iter()
        .enumerate()
        .flat_map(|(i, n)| n.versions.values().map(move |s| (s.rel_path.as_str(), i)))
        .collect();
    candidates.iter().find_map(|c| files.get(c.as_str()).copied())
}

/// 1-based line of `key` in the front matter's `table` (`[table]` then
/// `key = …` in TOML, `table:` then an indented `key:` in YAML), else of the
/// table itself.
fn table_line(text: &str, table: &str, key: Option<&str>) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| {
        let l = l.trim();
        l == format!("[{table}]") || l == format!("{table}:") || l.starts_with(&format!("{table} ="))
    })?;
    let Some(key) = key else {
        return Some(start + 1);
    };
    let found = lines
        .iter()
        .enumerate()
        .skip(start + 1)
        .take_while(|(_, l)| {
            let t = l.trim();
            !(t.starts_with('[') && t.ends_with(']') && !t.contains('=')) && t != "+++" && t != "---"
        })
        .find(|(_, l)| {
            let t = l.trim_start();
            t.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(['=', ':']))
        })
        .map(|(i, _)| i + 1);
    found.or(Some(start + 1))
}

/// 1-based line where `item` of the list `key` is written.
fn item_line(text: &str, table: &str, key: &str, item: &str) -> Option<usize> {
    let from = table_line(text, table, Some(key))?;
    let quoted = [format!("\"{item}\""), format!("'{item}'"), format!("- {item}")];
    text.lines()
        .enumerate()
        .skip(from - 1)
        .take(64)
        .find(|(_, l)| quoted.iter().any(|q| l.contains(q.as_str())))
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_strictly() {
        assert_eq!(parse_duration("3h"), Some(180));
        assert_eq!(parse_duration("45m"), Some(45));
        assert_eq!(parse_duration("1h30m"), Some(90));
        assert_eq!(parse_duration("90m"), Some(90));
        for bad in [
            "", "h", "m", "3", "3 h", "1h 30m", "1h75m", "0m", "0h", "1.5h", "30m1h", "-5m", "3H", "45min", "1h30",
            "hm", "99999m",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad:?} must not parse");
        }
    }

    #[test]
    fn lines_are_found_in_toml_and_yaml_tables() {
        let toml = "+++\ntitle = \"x\"\nduration = \"9h\"\n\n[workshop]\naudience = \"a\"\nduration = \"3 hours\"\nmodules = [\n  \"a.md\",\n  \"b.md\",\n]\n+++\n";
        assert_eq!(table_line(toml, "workshop", Some("duration")), Some(7));
        assert_eq!(table_line(toml, "workshop", Some("materials")), Some(5));
        assert_eq!(item_line(toml, "workshop", "modules", "b.md"), Some(10));
        let yaml = "---\ntitle: x\nworkshop:\n  modules:\n    - a.md\n    - gone.md\n  duration: 3 hours\n---\n";
        assert_eq!(table_line(yaml, "workshop", Some("duration")), Some(7));
        assert_eq!(item_line(yaml, "workshop", "modules", "gone.md"), Some(6));
    }
}
