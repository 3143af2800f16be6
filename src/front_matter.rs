//! Front matter: TOML between `+++` lines or YAML between `---` lines, read into
//! one typed [`FrontMatter`]. Known fields are checked and errors name the line
//! of the field; unknown fields go to `extra` for templates.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::line_of_offset;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub slug: Option<String>,
    pub aliases: Vec<String>,
    pub template: Option<String>,
    pub sort_by: SortBy,
    /// The language a page was first written in, when not the default one.
    pub original_language: Option<String>,
    /// `[translation]`: which version of its source a translation was made from.
    pub translation: Option<TranslationStamp>,
    /// Taxonomy name → terms, for the taxonomies site.toml configures.
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// Everything else, for templates.
    pub extra: Map<String, Value>,
}

/// `[translation] source_hash = "…"` of a translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslationStamp {
    /// The source's [`crate::freshness::source_hash`] when it was translated.
    pub source_hash: String,
    /// 1-based line of the stamp in its file.
    pub line: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortBy {
    #[default]
    Weight,
    Date,
    Title,
}

/// A calendar date, with an optional time of day kept as written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    /// `HH:MM:SS` plus offset (`Z`, `+02:00`), normalised; `None` for a plain date.
    pub time: Option<String>,
}

impl Date {
    /// `2026-05-12`
    pub fn ymd(&self) -> String {
        // Every dated link of every page's section navigation asks for it:
        // written digit by digit, without the formatting machinery.
        let mut out = String::with_capacity(10);
        push_padded(&mut out, self.year.into(), 4);
        out.push('-');
        push_padded(&mut out, self.month.into(), 2);
        out.push('-');
        push_padded(&mut out, self.day.into(), 2);
        out
    }

    /// RFC 3339, as Atom wants: midnight UTC when no time was given.
    pub fn rfc3339(&self) -> String {
        let time = self.time.as_deref().unwrap_or("00:00:00Z");
        format!("{}T{time}", self.ymd())
    }

    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let (date, time) = match text.find(['T', 't', ' ']) {
            Some(i) => (&text[..i], Some(text[i + 1..].trim())),
            None => (text, None),
        };
        let mut parts = date.split('-');
        let year: u16 = digits(parts.next()?, 4)?;
        let month: u8 = digits(parts.next()?, 2)?;
        let day: u8 = digits(parts.next()?, 2)?;
        if parts.next().is_some() || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        let time = match time {
            Some(t) if !t.is_empty() => Some(parse_time(t)?),
            _ => None,
        };
        Some(Date { year, month, day, time })
    }
}

fn digits<T: std::str::FromStr>(s: &str, len: usize) -> Option<T> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `HH:MM[:SS[.frac]][Z|±HH:MM]` → `HH:MM:SS` + offset (`Z` when none given).
/// The offset may follow a space and be written `±HHMM` or `±HH`, as
/// Jekyll writes dates (`2026-05-12 10:30:00 +0200`).
fn parse_time(t: &str) -> Option<String> {
    let (clock, offset) = match t.find(['Z', 'z', '+', '-']) {
        Some(i) => (t[..i].trim_end(), t[i..].trim()),
        None => (t, "Z"),
    };
    let mut parts = clock.split(':');
    let h: u8 = digits(parts.next()?, 2)?;
    let m: u8 = digits(parts.next()?, 2)?;
    let s: u8 = match parts.next() {
        Some(s) => digits(s.split('.').next()?, 2)?,
        None => 0,
    };
    if parts.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let offset = match offset {
        "Z" | "z" => "Z".to_string(),
        o => {
            let zone = &o[1..];
            let (oh, om) = match zone.split_once(':') {
                Some(split) => split,
                None if zone.len() == 4 => zone.split_at(2),
                None => (zone, "00"),
            };
            let (oh, om): (u8, u8) = (digits(oh, 2)?, digits(om, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            format!("{}{oh:02}:{om:02}", &o[..1])
        }
    };
    Some(format!("{h:02}:{m:02}:{s:02}{offset}"))
}

/// A front matter problem: 1-based line within the whole file, and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    pub line: usize,
    /// 1-based, in characters, where a syntax error points within its line.
    pub column: Option<usize>,
    pub message: String,
    pub hint: String,
}

/// A file split into its front matter and body.
#[derive(Debug)]
pub struct Split<'a> {
    pub front: FrontMatter,
    pub body: &'a str,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
}

/// A file split into its front matter fields, unchecked, and its body: for
/// reading old versions from history (whose fields may not pass today's
/// checks) and for editing front matter as text.
#[derive(Debug)]
pub struct RawSplit<'a> {
    /// `None` when the file has no front matter.
    pub format: Option<Format>,
    pub fields: Map<String, Value>,
    /// The text between the delimiters (it starts on line 2 of the file).
    pub raw: &'a str,
    pub body: &'a str,
    pub body_line: usize,
}

/// Split `text` (a whole Markdown file) and parse its front matter; the first
/// problem (by line) is the error.
pub fn split<'a>(text: &'a str, taxonomies: &[String]) -> Result<Split<'a>, FrontMatterError> {
    split_all(text, taxonomies).map_err(|mut errors| errors.swap_remove(0))
}

/// [`split`], reporting every bad field, sorted by line (never empty on error).
pub fn split_all<'a>(text: &'a str, taxonomies: &[String]) -> Result<Split<'a>, Vec<FrontMatterError>> {
    let raw = split_raw(text).map_err(|e| vec![e])?;
    let front = match raw.format {
        None => FrontMatter::default(),
        Some(format) => FieldReader { raw: raw.raw, format, map: raw.fields }.read(taxonomies)?,
    };
    Ok(Split { front, body: raw.body, body_line: raw.body_line })
}

/// Split `text` and parse its front matter's syntax, checking no field.
pub fn split_raw(text: &str) -> Result<RawSplit<'_>, FrontMatterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let format = match text[..first_end].trim_end() {
        "+++" => Format::Toml,
        "---" => Format::Yaml,
        _ => {
            return Ok(RawSplit { format: None, fields: Map::new(), raw: "", body: text, body_line: 1 });
        }
    };
    let delimiter = &text[..3];
    let mut offset = first_end;
    for line in text[first_end..].split_inclusive('\n') {
        if line.trim_end() == delimiter {
            let raw = &text[first_end..offset];
            let body = &text[offset + line.len()..];
            let body_line = line_of_offset(text, offset + line.len());
            let fields = match format {
                Format::Toml => parse_toml(raw)?,
                Format::Yaml => parse_yaml(raw)?,
            };
            return Ok(RawSplit { format: Some(format), fields, raw, body, body_line });
        }
        offset += line.len();
    }
    Err(FrontMatterError {
        column: None,
        line: 1,
        message: format!("front matter opened with {delimiter} is never closed"),
        hint: format!("add a line with just {delimiter} after the last front matter field"),
    })
}

fn parse_toml(raw: &str) -> Result<Map<String, Value>, FrontMatterError> {
    let table: toml::Table = toml::from_str(raw).map_err(|e| toml_error(raw, &e))?;
    match toml_to_json(toml::Value::Table(table)) {
        Value::Object(map) => Ok(map),
        _ => unreachable!("a TOML table converts to an object"),
    }
}

fn toml_error(raw: &str, e: &toml::de::Error) -> FrontMatterError {
    let line = 1 + e.span().map_or(1, |s| line_of_offset(raw, s.start));
    let column = e.span().map(|s| column_of_offset(raw, s.start));
    let message = e.message().trim();
    // TOML's span of a duplicate is the second key (or table name), which
    // its message leaves unnamed.
    let duplicate = e.span().filter(|_| message == "duplicate key").and_then(|s| raw.get(s));
    if let Some(key) = duplicate {
        let key = key.trim().trim_matches('"');
        return FrontMatterError {
            column: None,
            line,
            message: format!("TOML front matter: \"{key}\" is given twice"),
            hint: format!("keep one \"{key}\" (a key once per table)"),
        };
    }
    // TOML reads an unquoted 2026-05-12 as a date of its own, so a
    // mistyped one fails here, not in the field's check.
    let hint = if message.starts_with("invalid date") || message.starts_with("invalid time") {
        DATE_HINT
    } else {
        "quote text values (title = \"…\"), one key per line"
    };
    FrontMatterError { line, column, message: format!("TOML front matter: {message}"), hint: hint.into() }
}

const DATE_HINT: &str = "write dates as YYYY-MM-DD, optionally with a time: 2026-05-12T10:30:00+02:00";

fn parse_yaml(raw: &str) -> Result<Map<String, Value>, FrontMatterError> {
    if raw.trim().is_empty() {
        return Ok(Map::new());
    }
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(raw).map_err(|e| yaml_error(raw, &e))?;
    match yaml_to_json(value) {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        _ => Err(FrontMatterError {
            column: None,
            line: 2,
            message: "YAML front matter is not a mapping of fields".into(),
            hint: "write one `field: value` per line".into(),
        }),
    }
}

fn yaml_error(raw: &str, e: &serde_yaml_ng::Error) -> FrontMatterError {
    let at = e.location().map(|l| l.index());
    // YAML places a duplicate key at the start of its mapping: find the
    // second one, which is what the writer has to remove.
    let text = e.to_string();
    let duplicate = text.split_once("duplicate entry with key \"").and_then(|(within, rest)| {
        let (key, _) = rest.split_once('"')?;
        let within = within.trim_end().trim_end_matches(':');
        Some((key.to_string(), if within.is_empty() { String::new() } else { format!(" (in {within})") }))
    });
    if let (Some((key, within)), Some(at)) = (duplicate, at) {
        if let Some(line) = duplicate_key_line(raw, at, &key) {
            return FrontMatterError {
                column: None,
                line: 1 + line,
                message: format!("YAML front matter: \"{key}\"{within} is given twice"),
                hint: format!("keep one \"{key}\" line (the first is on line {})", 1 + first_key_line(raw, at, &key)),
            };
        }
    }
    // YAML's message counts lines from the front matter's first line, and
    // breaks them at a lone `\r` too, which editors and the rest of infrared
    // do not: its place is said from the byte offset instead, as the file's.
    let tab = at.and_then(|index| raw[index.min(raw.len())..].chars().next()) == Some('\t');
    FrontMatterError {
        line: 1 + at.map_or(1, |index| line_of_offset(raw, index)),
        column: at.map(|index| column_of_offset(raw, index)),
        message: format!("YAML front matter: {}", without_location(&text)),
        hint: if tab {
            "indent with spaces: YAML does not allow tabs there".into()
        } else {
            "quote values that contain \": \" or start with a special character".into()
        },
    }
}

/// 1-based column, in characters, of byte `offset` of `text`.
fn column_of_offset(text: &str, offset: usize) -> usize {
    let before = &text[..offset.min(text.len())];
    before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1
}

/// A YAML error's message in the file's lines: its first " at line L
/// column C" (the error's own place, which the diagnostic gives) is left
/// out, and any other place (where a quote began…) is counted from the
/// top of the file, as YAML counts from the line after the opening `---`.
fn without_location(message: &str) -> String {
    const AT: &str = " at line ";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    let mut first = true;
    while let Some(start) = rest.find(AT) {
        out.push_str(&rest[..start]);
        let after = &rest[start + AT.len()..];
        let digits = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
        let Ok(line) = after[..digits].parse::<usize>() else {
            out.push_str(AT);
            rest = after;
            continue;
        };
        if !first {
            out.push_str(&format!("{AT}{}", line + 1));
        }
        rest = &after[digits..];
        if let Some(column) = rest.strip_prefix(" column ") {
            let digits = column.find(|c: char| !c.is_ascii_digit()).unwrap_or(column.len());
            if !first {
                out.push_str(&rest[.." column ".len() + digits]);
            }
            rest = &column[digits..];
        }
        first = false;
    }
    out.push_str(rest);
    out
}

/// 1-based lines (within `raw`) of the keys named `key` of the block mapping
/// that starts at byte `at`: the keys at its first key's column, until a line
/// that is indented less.
fn mapping_key_lines(raw: &str, at: usize, key: &str) -> Vec<usize> {
    let line_start = raw[..at.min(raw.len())].rfind('\n').map_or(0, |i| i + 1);
    let column = at.min(raw.len()) - line_start;
    let first = line_of_offset(raw, at);
    let mut found = Vec::new();
    for (i, line) in raw.lines().enumerate().skip(first - 1) {
        let (indent, rest) = (line.get(..column).unwrap_or(line), line.get(column..).unwrap_or(""));
        let is_first = i + 1 == first;
        if !is_first && (!indent.trim().is_empty() || rest.starts_with(' ')) {
            if line.trim().is_empty() || line.trim_start().starts_with('#') || rest.starts_with(' ') {
                continue; // a blank line, a comment, or a value nested deeper
            }
            break; // the mapping has ended
        }
        if yaml_line_key(rest) == Some(key) {
            found.push(i + 1);
        }
    }
    found
}

fn duplicate_key_line(raw: &str, at: usize, key: &str) -> Option<usize> {
    mapping_key_lines(raw, at, key).get(1).copied()
}

fn first_key_line(raw: &str, at: usize, key: &str) -> usize {
    mapping_key_lines(raw, at, key).first().copied().unwrap_or_else(|| line_of_offset(raw, at))
}

/// The key of a `key: value` line (quoted or not).
fn yaml_line_key(line: &str) -> Option<&str> {
    let (key, _) = line.split_once(':')?;
    let key = key.trim_end();
    Some(
        key.strip_prefix('"')
            .and_then(|k| k.strip_suffix('"'))
            .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))
            .unwrap_or(key),
    )
}

pub fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

fn yaml_to_json(value: serde_yaml_ng::Value) -> Value {
    use serde_yaml_ng::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else {
                n.as_f64().map_or(Value::Null, Value::from)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(s) => Value::Array(s.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(m) => Value::Object(m.into_iter().map(|(k, v)| (yaml_key(k), yaml_to_json(v))).collect()),
        Y::Tagged(t) => yaml_to_json(t.value),
    }
}

fn yaml_key(key: serde_yaml_ng::Value) -> String {
    match key {
        serde_yaml_ng::Value::String(s) => s,
        other => serde_yaml_ng::to_string(&other).unwrap_or_default().trim().to_string(),
    }
}

/// Takes known fields out of the parsed map, checking each, so an error can
/// name the field and its line.
struct FieldReader<'a> {
    raw: &'a str,
    /// The syntax hints write their examples in.
    format: Format,
    map: Map<String, Value>,
}

impl FieldReader<'_> {
    /// Every known field, checked; all the problems found, sorted by line.
    fn read(mut self, taxonomies: &[String]) -> Result<FrontMatter, Vec<FrontMatterError>> {
        let mut errors = Vec::new();
        let mut front = FrontMatter {
            title: keep(&mut errors, self.text("title")),
            description: keep(&mut errors, self.text("description")),
            date: keep(&mut errors, self.date("date")),
            updated: keep(&mut errors, self.date("updated")),
            weight: keep(&mut errors, self.integer("weight")),
            draft: keep(&mut errors, self.boolean("draft")).unwrap_or(false),
            slug: keep(&mut errors, self.text("slug")),
            aliases: keep(&mut errors, self.list("aliases")),
            template: keep(&mut errors, self.text("template")),
            sort_by: keep(&mut errors, self.sort_by()),
            original_language: keep(&mut errors, self.text("original_language")),
            translation: keep(&mut errors, self.translation()),
            taxonomies: keep(&mut errors, self.taxonomies(taxonomies)),
            ..FrontMatter::default()
        };
        if let Some(slug) = &front.slug {
            if slug.is_empty() || slug.contains(['/', '\\']) || slug == "." || slug == ".." {
                errors.push(self.error(
                    "slug",
                    format!("slug \"{slug}\" is not a single path segment"),
                    "a slug renames the last part of the URL: use letters, digits and dashes",
                ));
            }
        }
        let explicit_extra = match self.map.remove("extra") {
            Some(Value::Object(extra)) => extra,
            Some(Value::Null) | None => Map::new(),
            Some(_) => {
                errors.push(self.error(
                    "extra",
                    "extra must be a table of fields".into(),
                    "write [extra] followed by key = value lines",
                ));
                Map::new()
            }
        };
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Err(errors);
        }
        front.extra = std::mem::take(&mut self.map);
        front.extra.extend(explicit_extra);
        Ok(front)
    }

    /// `[translation] source_hash = "…"`: the version of the source a
    /// translation was made from, as `infrared translate` stamps it.
    fn translation(&mut self) -> Result<Option<TranslationStamp>, FrontMatterError> {
        let line =
            field_line(self.raw, "source_hash").or_else(|| field_line(self.raw, "translation")).map_or(1, |l| l + 2);
        let fail = |message: String| FrontMatterError {
            column: None,
            line,
            message,
            hint: "let `infrared translate PAGE --to LANG --mark-current` write it".into(),
        };
        let mut table = match self.map.remove("translation") {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Object(table)) => table,
            Some(other) => {
                return Err(fail(format!("translation must be a table with source_hash, found {}", kind(&other))))
            }
        };
        let source_hash = match table.remove("source_hash") {
            Some(Value::String(hash)) => hash,
            Some(other) => return Err(fail(format!("source_hash must be text, found {}", kind(&other)))),
            None => return Err(fail("translation has no source_hash".into())),
        };
        if let Some(key) = table.keys().next() {
            return Err(fail(format!("translation takes only source_hash, not \"{key}\"")));
        }
        if source_hash.len() != 64 || !source_hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(fail(format!("source_hash \"{source_hash}\" is not a hash infrared wrote (64 hex digits)")));
        }
        Ok(Some(TranslationStamp { source_hash: source_hash.to_ascii_lowercase(), line }))
    }

    fn line_of(&self, key: &str) -> usize {
        // `raw` starts on the line after the opening delimiter.
        field_line(self.raw, key).map_or(1, |l| l + 2)
    }

    /// `key = value` (TOML) or `key: value` (YAML), for hints.
    fn example(&self, key: &str, value: &str) -> String {
        match self.format {
            Format::Toml => format!("{key} = {value}"),
            Format::Yaml => format!("{key}: {value}"),
        }
    }

    fn error(&self, key: &str, message: String, hint: &str) -> FrontMatterError {
        FrontMatterError { line: self.line_of(key), column: None, message, hint: hint.into() }
    }

    fn text(&mut self, key: &str) -> Result<Option<String>, FrontMatterError> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(other) => {
                Err(self.error(key, format!("{key} must be text, found {}", kind(&other)), "quote the value"))
            }
        }
    }

    fn integer(&mut self, key: &str) -> Result<Option<i64>, FrontMatterError> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) if n.is_i64() => Ok(n.as_i64()),
            Some(Value::String(s)) if s.trim().parse::<i64>().is_ok() => Ok(s.trim().parse().ok()),
            Some(other) => Err(self.error(
                key,
                format!("{key} must be a whole number, found {}", kind(&other)),
                &format!("write a whole number, e.g. {}", self.example(key, "10")),
            )),
        }
    }

    fn boolean(&mut self, key: &str) -> Result<Option<bool>, FrontMatterError> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(other) => Err(self.error(
                key,
                format!("{key} must be true or false, found {}", kind(&other)),
                "write true or false without quotes",
            )),
        }
    }

    fn date(&mut self, key: &str) -> Result<Option<Date>, FrontMatterError> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => match Date::parse(&s) {
                Some(d) => Ok(Some(d)),
                None => Err(self.error(key, format!("{key} \"{s}\" is not a date"), DATE_HINT)),
            },
            Some(other) => Err(self.error(
                key,
                format!("{key} must be a date, found {}", kind(&other)),
                "write dates as YYYY-MM-DD",
            )),
        }
    }

    fn list(&mut self, key: &str) -> Result<Vec<String>, FrontMatterError> {
        let value = self.map.remove(key);
        self.string_list(key, value)
    }

    fn string_list(&self, key: &str, value: Option<Value>) -> Result<Vec<String>, FrontMatterError> {
        match value {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::String(s)) => Ok(vec![s]),
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s),
                    Value::Number(n) => Ok(n.to_string()),
                    other => Err(self.error(
                        key,
                        format!("{key} must list text values, found {}", kind(&other)),
                        "write a list of quoted values: [\"a\", \"b\"]",
                    )),
                })
                .collect(),
            Some(other) => Err(self.error(
                key,
                format!("{key} must be a list, found {}", kind(&other)),
                "write a list of quoted values: [\"a\", \"b\"]",
            )),
        }
    }

    fn sort_by(&mut self) -> Result<SortBy, FrontMatterError> {
        match self.text("sort_by")?.as_deref() {
            None | Some("weight") => Ok(SortBy::Weight),
            Some("date") => Ok(SortBy::Date),
            Some("title") => Ok(SortBy::Title),
            Some(other) => Err(self.error(
                "sort_by",
                format!("sort_by \"{other}\" is not known"),
                "use \"weight\", \"date\" or \"title\"",
            )),
        }
    }

    /// Terms from top-level keys (`tags = […]`, as Hugo writes them) and from a
    /// `[taxonomies]` table (as Zola does), merged.
    fn taxonomies(&mut self, known: &[String]) -> Result<BTreeMap<String, Vec<String>>, FrontMatterError> {
        let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for name in known {
            let value = self.map.remove(name);
            let terms = self.string_list(name, value)?;
            found.entry(name.clone()).or_default().extend(terms);
        }
        match self.map.remove("taxonomies") {
            None | Some(Value::Null) => {}
            Some(Value::Object(table)) => {
                for (name, value) in table {
                    if !known.contains(&name) {
                        return Err(self.error(
                            &name,
                            format!("taxonomy \"{name}\" is not configured"),
                            "add it to taxonomies in site.toml, or remove it",
                        ));
                    }
                    let terms = self.string_list(&name, Some(value))?;
                    found.entry(name).or_default().extend(terms);
                }
            }
            Some(_) => {
                return Err(self.error(
                    "taxonomies",
                    "taxonomies must be a table".into(),
                    "write [taxonomies] then tags = [\"…\"]",
                ))
            }
        }
        for terms in found.values_mut() {
            terms.retain(|t| !t.trim().is_empty());
            let mut seen = std::collections::BTreeSet::new();
            terms.retain(|t| seen.insert(t.clone()));
        }
        found.retain(|_, terms| !terms.is_empty());
        Ok(found)
    }
}

/// The value of a field read with `result`, or its default when it is bad
/// (the problem is kept in `errors`), so one pass finds every bad field.
fn keep<T: Default>(errors: &mut Vec<FrontMatterError>, result: Result<T, FrontMatterError>) -> T {
    result.unwrap_or_else(|e| {
        errors.push(e);
        T::default()
    })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a table",
    }
}

/// 0-based line within `raw` of `key = …`, `key: …` or `[key]`.
pub fn field_line(raw: &str, key: &str) -> Option<usize> {
    raw.lines().position(|line| {
        let line = line.trim_start();
        let quoted = format!("\"{key}\"");
        let rest = line.strip_prefix(key).or_else(|| line.strip_prefix(quoted.as_str()));
        match rest {
            Some(rest) => {
                let rest = rest.trim_start();
                rest.starts_with('=') || rest.starts_with(':')
            }
            None => line == format!("[{key}]"),
        }
    })
}

/// `value` in decimal, with leading zeros up to `width` digits (`{:0width$}`).
fn push_padded(out: &mut String, value: u32, width: u32) {
    let digits = value.checked_ilog10().unwrap_or(0) + 1;
    for _ in digits..width {
        out.push('0');
    }
    for place in (0..digits).rev() {
        out.push(char::from(b'0' + (value / 10u32.pow(place) % 10) as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags() -> Vec<String> {
        vec!["tags".into()]
    }

    #[test]
    fn toml_and_yaml_give_the_same_front_matter() {
        let toml =
            "+++\ntitle = \"Mirrors\"\ndate = 2026-05-12\nweight = 3\ntags = [\"ops\"]\ncolour = \"red\"\n+++\nBody\n";
        let yaml = "---\ntitle: Mirrors\ndate: 2026-05-12\nweight: 3\ntags: [ops]\ncolour: red\n---\nBody\n";
        let a = split(toml, &tags()).unwrap();
        let b = split(yaml, &tags()).unwrap();
        assert_eq!(a.front, b.front);
        assert_eq!(a.front.title.as_deref(), Some("Mirrors"));
        assert_eq!(a.front.date.as_ref().unwrap().ymd(), "2026-05-12");
        assert_eq!(a.front.taxonomies["tags"], ["ops"]);
        assert_eq!(a.front.extra["colour"], "red");
        assert_eq!(a.body, "Body\n");
        assert_eq!(a.body_line, 8);
    }

    #[test]
    fn zola_taxonomies_table_is_read() {
        let text = "+++\ntitle = \"x\"\n[taxonomies]\ntags = [\"a\", \"b\", \"a\"]\n+++\n";
        assert_eq!(split(text, &tags()).unwrap().front.taxonomies["tags"], ["a", "b"]);
    }

    #[test]
    fn bad_weight_names_its_line() {
        let text = "+++\ntitle = \"x\"\nweight = \"heavy\"\n+++\n";
        let err = split(text, &tags()).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("whole number"), "{}", err.message);
    }

    #[test]
    fn toml_syntax_error_names_its_line() {
        let text = "+++\ntitle = \"x\"\n\ndate = 2026-13-45\n+++\n";
        assert_eq!(split(text, &tags()).unwrap_err().line, 4);
    }

    #[test]
    fn yaml_syntax_error_names_its_line() {
        let text = "---\ntitle: ok\ndescription: [unclosed\n---\n";
        let err = split(text, &tags()).unwrap_err();
        assert!(err.line >= 3, "{err:?}");
    }

    #[test]
    fn yaml_error_lines_are_counted_like_every_other_line() {
        // YAML finds the problem at the end of the front matter: its 4th
        // line by YAML's count, the file's 3rd (the closing `---`).
        let err = split("---\ni:\ra\n---\n", &tags()).unwrap_err();
        assert_eq!(err.line, 3, "{err:?}");
    }

    #[test]
    fn a_duplicate_toml_key_is_named_at_the_duplicate() {
        let err = split("+++\ntitle = \"A\"\nweight = 2\ntitle = \"B\"\n+++\n", &tags()).unwrap_err();
        assert_eq!((err.line, err.message.as_str()), (4, "TOML front matter: \"title\" is given twice"), "{err:?}");
        let nested = "+++\ntitle = \"A\"\n[module]\nduration = \"1h\"\nduration = \"2h\"\n+++\n";
        let err = split(nested, &tags()).unwrap_err();
        assert_eq!((err.line, err.message.as_str()), (5, "TOML front matter: \"duration\" is given twice"), "{err:?}");
    }

    #[test]
    fn a_duplicate_yaml_key_is_reported_at_the_duplicate() {
        let err = split("---\ntitle: A\nweight: 2\n\"title\": B\n---\n", &tags()).unwrap_err();
        assert_eq!((err.line, err.message.as_str()), (4, "YAML front matter: \"title\" is given twice"), "{err:?}");
        assert!(err.hint.contains("line 2"), "{err:?}");
        let nested = "---\ntitle: A\nmodule:\n  duration: 1h\n  objectives:\n    - one\n  duration: 2h\n---\n";
        let err = split(nested, &tags()).unwrap_err();
        assert_eq!((err.line, err.message.as_str()), (7, "YAML front matter: \"duration\" (in module) is given twice"));
        let listed = "---\ntitle: A\nlinks:\n  - name: x\n    name: y\n---\n";
        let err = split(listed, &tags()).unwrap_err();
        assert_eq!(err.line, 5, "{err:?}");
    }

    #[test]
    fn yaml_syntax_errors_say_the_files_line_and_column_and_no_other() {
        let err = split("---\ntitle: Foo: bar\n---\n", &tags()).unwrap_err();
        assert_eq!((err.line, err.column), (2, Some(11)), "{err:?}");
        assert_eq!(err.message, "YAML front matter: mapping values are not allowed in this context");
        let err = split("---\ntitle: ok\ntags:\n\t- a\n---\n", &tags()).unwrap_err();
        assert_eq!((err.line, err.column), (4, Some(1)), "{err:?}");
        assert!(!err.message.contains("line 3"), "{err:?}");
        assert!(err.message.ends_with("cannot start any token, while scanning for the next token"), "{err:?}");
        assert!(err.hint.contains("tabs"), "{err:?}");
        // A second place, where the unclosed quote began, in the file's lines.
        let err = split("---\ntitle: \"Unclosed\n---\nBody\n", &tags()).unwrap_err();
        assert_eq!(
            err.message,
            "YAML front matter: found unexpected end of stream, while scanning a quoted scalar at line 2 column 8"
        );
        let err = split("+++\ntitle = \"x\"\nweight = = 2\n+++\n", &tags()).unwrap_err();
        assert_eq!((err.line, err.column), (3, Some(10)), "{err:?}");
    }

    #[test]
    fn bad_date_string_is_an_error() {
        let err = split("---\ntitle: t\ndate: next tuesday\n---\n", &tags()).unwrap_err();
        assert_eq!(err.line, 3);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(split("+++\ntitle = \"x\"\n", &tags()).is_err());
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let s = split("\u{feff}+++\r\ntitle = \"x\"\r\n+++\r\nBody", &tags()).unwrap();
        assert_eq!(s.front.title.as_deref(), Some("x"));
        assert_eq!(s.body, "Body");
    }

    #[test]
    fn dates_print_as_the_format_machinery_would() {
        for (year, month, day) in
            [(2026, 5, 12), (999, 1, 1), (0, 0, 0), (9999, 12, 31), (10000, 10, 9), (65535, 255, 100)]
        {
            let date = Date { year, month, day, time: None };
            assert_eq!(date.ymd(), format!("{year:04}-{month:02}-{day:02}"));
        }
    }

    #[test]
    fn dates_with_times_become_rfc3339() {
        assert_eq!(Date::parse("2026-05-12").unwrap().rfc3339(), "2026-05-12T00:00:00Z");
        assert_eq!(Date::parse("2026-05-12T10:30+02:00").unwrap().rfc3339(), "2026-05-12T10:30:00+02:00");
        assert_eq!(Date::parse("2026-02-29"), None);
        // Jekyll's own format, and offsets without a colon.
        assert_eq!(Date::parse("2023-01-02 10:00:00 +0100").unwrap().rfc3339(), "2023-01-02T10:00:00+01:00");
        assert_eq!(Date::parse("2023-01-02 10:00:00 -0530").unwrap().rfc3339(), "2023-01-02T10:00:00-05:30");
        assert_eq!(Date::parse("2023-01-02T10:00:00+02").unwrap().rfc3339(), "2023-01-02T10:00:00+02:00");
        assert_eq!(Date::parse("2023-01-02 10:00 Z").unwrap().rfc3339(), "2023-01-02T10:00:00Z");
        for bad in [
            "2023-01-02 10:00:00 +1",
            "2023-01-02 10:00:00 +01000",
            "2023-01-02 10:00:00 +2400",
            "2023-01-02 10:00 +01:0",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2024-02-29").is_some());
    }

    #[test]
    fn unknown_taxonomy_is_an_error() {
        let err = split("+++\ntitle = \"x\"\n[taxonomies]\nauthors = [\"me\"]\n+++\n", &tags()).unwrap_err();
        assert_eq!(err.line, 4);
    }
}
