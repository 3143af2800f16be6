//! `infrared translate PAGE --to LANG`: start a translation as a copy of the
//! original stamped with the version it was made from (a draft until the
//! translator publishes it), or, with `--mark-current`, re-stamp an existing
//! translation once it has caught up with its original.
//!
//! Front matter is edited as text, so the writer's formatting and comments
//! stay as they were.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::config::Config;
use crate::content::{self, Node, Source};
use crate::error::{read_text, Error, Result};
use crate::freshness::{source_hash_of, stamp_on_original};
use crate::front_matter::{split_raw, Format};
use crate::site::primary_language;
use crate::status::unknown_language;
use crate::urls::relative_slash_path;

pub struct Request<'a> {
    /// The site's folder.
    pub root: &'a Path,
    /// A page's `.md` file: relative to the current folder, the root or `content/`.
    pub page: &'a Path,
    pub to: &'a str,
    pub force: bool,
    pub mark_current: bool,
}

#[derive(Debug)]
pub struct Done {
    /// Relative to the root: `content/guide.ca.md`.
    pub translation: String,
    pub source: String,
    pub hash: String,
    /// `--mark-current` on a translation already stamped with this version.
    pub unchanged: bool,
    /// A new translation's draft line as its front matter writes it
    /// (`draft = true`, or `draft: true` in YAML), which the translator
    /// deletes to publish it; `None` after `--mark-current`.
    pub draft_line: Option<String>,
}

pub fn translate(request: &Request) -> Result<Done> {
    let config = Config::load(request.root)?;
    if !config.is_language(request.to) {
        return Err(unknown_language(&config, request.to));
    }
    let rel = content_relative(&config, request.page)?;
    let (corpus, errors) = content::load_all(&config, true)?;
    let key = content::node_key(&config, &config.content_dir().join(&rel), &rel)?;
    let node = corpus.node(&key);
    let source = node.map(|n| &n.versions[&primary_language(&config, n)]);
    let Some((node, source)) = node.zip(source) else {
        // The page's own file does not load: say why.
        let own = errors.into_iter().find(|e| e.to_diagnostic().path.ends_with(&rel));
        return Err(own.unwrap_or_else(|| not_a_page(&config, &rel)));
    };
    if let Some(stamp) = &source.front.translation {
        // Translating from a translation would stamp every copy with the wrong version.
        let (what, todo) = stamp_on_original(&config.default_language, node, source);
        return Err(Error::input(&source.path, Some(stamp.line), what, todo));
    }
    if source.lang == request.to {
        return Err(Error::input(
            &source.path,
            None,
            format!("this page is written in {} (its original): there is nothing to translate into it", request.to),
            "pick another language with --to",
        ));
    }
    let target_rel = translation_path(&config, source, request.to);
    let target = config.content_dir().join(&target_rel);
    let hash = source_hash_of(source);
    let mut done = Done {
        translation: format!("content/{target_rel}"),
        source: format!("content/{}", source.rel_path),
        hash: hash.clone(),
        unchanged: false,
        draft_line: None,
    };
    if request.mark_current {
        done.unchanged = mark_current(node, request.to, &target, &hash)?;
    } else {
        done.draft_line = Some(create(&config, source, &target, &hash, request.force)?);
    }
    Ok(done)
}

/// PAGE as a `/`-separated path relative to `content/`, checking it is a
/// Markdown file in there; a bundle's or section's folder stands for its
/// `index.md` or `_index.md`.
fn content_relative(config: &Config, page: &Path) -> Result<String> {
    let content_dir = config.content_dir();
    let candidates = [page.to_path_buf(), config.root.join(page), content_dir.join(page)]
        .into_iter()
        .flat_map(|p| [p.join("index.md"), p.join("_index.md"), p]);
    let Some(found) = candidates.into_iter().find(|p| p.is_file()) else {
        return Err(Error::input(
            page,
            None,
            "no such file",
            format!(
                "give the page's .md file (or a bundle's folder), relative to the current folder or to {}",
                content_dir.display()
            ),
        ));
    };
    let found = &found;
    let canonical = |p: &Path| p.canonicalize().map_err(|e| Error::io(p, e));
    let (file, dir) = (canonical(found)?, canonical(&content_dir)?);
    if !file.starts_with(&dir) {
        return Err(Error::input(
            page,
            None,
            format!("this file is outside {}", content_dir.display()),
            "translate the pages of the site's content/ folder",
        ));
    }
    let rel = relative_slash_path(&dir, &file);
    if !rel.ends_with(".md") {
        return Err(Error::input(page, None, "not a Markdown page", "give the path of a page's .md file"));
    }
    Ok(rel)
}

fn not_a_page(config: &Config, rel: &str) -> Error {
    Error::input(
        config.content_dir().join(rel),
        None,
        "no such page in the site",
        "give the path of a page's .md file in content/",
    )
}

/// `guides/mirroring.md` → `guides/mirroring.ca.md`; `about.ca.md` → `about.md`
/// when the translation is into the default language.
pub fn translation_path(config: &Config, source: &Source, lang: &str) -> String {
    let stem = source.rel_path.strip_suffix(".md").unwrap_or(&source.rel_path);
    let base = match source.lang == config.default_language {
        true => stem,
        false => stem.strip_suffix(&format!(".{}", source.lang)).unwrap_or(stem),
    };
    if lang == config.default_language {
        format!("{base}.md")
    } else {
        format!("{base}.{lang}.md")
    }
}

/// Writes the stamped draft copy; returns its draft line as written.
fn create(config: &Config, source: &Source, target: &Path, hash: &str, force: bool) -> Result<String> {
    if target.exists() && !force {
        return Err(Error::input(
            target,
            None,
            "the translation already exists",
            "after catching up with the original, re-stamp it with --mark-current; to start over from the original, use --force",
        ));
    }
    let text = read_text(&source.path)?;
    let copy = set_stamp(&set_draft(&name_original(&text, config, source)), hash);
    let named = split_raw(&copy).ok().and_then(|raw| raw.fields.get("original_language").cloned());
    if source.lang != config.default_language && named.as_ref().and_then(Value::as_str) != Some(&source.lang) {
        return Err(Error::input(
            target,
            None,
            "could not name the original's language in this front matter",
            format!("add it to {} by hand: original_language = \"{}\"", source.path.display(), source.lang),
        ));
    }
    write_checked(target, &copy, hash)?;
    Ok(draft_line(&copy))
}

/// The `draft` line `set_draft` wrote, in the front matter's own syntax.
fn draft_line(text: &str) -> String {
    match FrontMatterText::cut(text).format {
        Some(Format::Yaml) => "draft: true".into(),
        _ => "draft = true".into(),
    }
}

/// The copy of an original not in the default language says which language
/// it is in (`original_language`): else, once the copy is published, the
/// copy in the default language would be taken for the original.
fn name_original(text: &str, config: &Config, source: &Source) -> String {
    match source.lang == config.default_language {
        true => text.to_string(),
        false => set_top_level(text, "original_language", &format!("\"{}\"", source.lang)),
    }
}

/// Returns whether the stamp was already current (the file is then left alone).
fn mark_current(node: &Node, lang: &str, target: &Path, hash: &str) -> Result<bool> {
    if !target.is_file() {
        return Err(Error::input(
            target,
            None,
            "there is no translation to re-stamp",
            "run the command without --mark-current to start one",
        ));
    }
    let current = node.versions.get(lang).and_then(|v| v.front.translation.as_ref());
    if current.is_some_and(|stamp| stamp.source_hash == hash) {
        return Ok(true);
    }
    let text = read_text(target)?;
    write_checked(target, &set_stamp(&text, hash), hash)?;
    Ok(false)
}

/// Writes `text` (beside the target first, then renamed over it) once it is
/// sure the stamp reads back.
fn write_checked(target: &Path, text: &str, hash: &str) -> Result<()> {
    let stamp = split_raw(text).ok().and_then(|raw| match raw.fields.get("translation")?.get("source_hash")? {
        Value::String(s) => Some(s.clone()),
        _ => None,
    });
    if stamp.as_deref() != Some(hash) {
        return Err(Error::input(
            target,
            None,
            "could not add the stamp to this front matter",
            format!("add it by hand:\n[translation]\nsource_hash = \"{hash}\""),
        ));
    }
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let temporary: PathBuf = target.with_file_name(format!(".{name}.infrared-partial"));
    std::fs::write(&temporary, text).map_err(|e| Error::io(&temporary, e))?;
    std::fs::rename(&temporary, target).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        Error::io(target, e)
    })
}

/// A file's text cut around its front matter.
struct FrontMatterText<'a> {
    bom: &'a str,
    format: Option<Format>,
    /// Opening delimiter line, field lines, closing delimiter line (with line ends).
    open: &'a str,
    fields: Vec<&'a str>,
    close: &'a str,
    body: &'a str,
    newline: &'static str,
}

impl<'a> FrontMatterText<'a> {
    fn cut(text: &'a str) -> FrontMatterText<'a> {
        let bom = if text.starts_with('\u{feff}') { "\u{feff}" } else { "" };
        let text = &text[bom.len()..];
        let newline =
            if text.lines().next().is_some_and(|l| text[l.len()..].starts_with("\r\n")) { "\r\n" } else { "\n" };
        let none = FrontMatterText { bom, format: None, open: "", fields: Vec::new(), close: "", body: text, newline };
        let mut lines = text.split_inclusive('\n');
        let Some(open) = lines.next() else {
            return none;
        };
        let format = match open.trim_end() {
            "+++" => Format::Toml,
            "---" => Format::Yaml,
            _ => return none,
        };
        let mut fields = Vec::new();
        for line in lines {
            if line.trim_end() == open.trim_end() {
                let end = open.len() + fields.iter().map(|l: &&str| l.len()).sum::<usize>() + line.len();
                return FrontMatterText {
                    bom,
                    format: Some(format),
                    open,
                    fields,
                    close: line,
                    body: &text[end..],
                    newline,
                };
            }
            fields.push(line);
        }
        none
    }

    fn join(&self, fields: &[String]) -> String {
        let mut out = format!("{}{}", self.bom, self.open);
        for line in fields {
            out.push_str(line);
        }
        out.push_str(self.close);
        out.push_str(self.body);
        out
    }

    fn owned_fields(&self) -> Vec<String> {
        let mut fields: Vec<String> = self.fields.iter().map(|l| l.to_string()).collect();
        if let Some(last) = fields.last_mut() {
            if !last.ends_with('\n') {
                last.push_str(self.newline);
            }
        }
        fields
    }
}

/// `key = value` (TOML) or `key: value` (YAML) at the start of `line`.
fn is_field(line: &str, key: &str) -> bool {
    line.trim_start().strip_prefix(key).is_some_and(|rest| matches!(rest.trim_start().chars().next(), Some('=' | ':')))
}

/// `draft = true` as the first field (replacing a top-level `draft`).
pub(crate) fn set_draft(text: &str) -> String {
    set_top_level(text, "draft", "true")
}

/// `key = value` (`key: value` in YAML) as the first field, or in place of a
/// top-level `key`; `value` is written as given (a literal both formats read
/// alike: `true`, `"ca"`).
fn set_top_level(text: &str, key: &str, value: &str) -> String {
    let cut = FrontMatterText::cut(text);
    let nl = cut.newline;
    let Some(format) = cut.format else {
        return format!("{}+++{nl}{key} = {value}{nl}+++{nl}{}", cut.bom, cut.body);
    };
    let line = match format {
        Format::Toml => format!("{key} = {value}{nl}"),
        Format::Yaml => format!("{key}: {value}{nl}"),
    };
    let mut fields = cut.owned_fields();
    let top_level_end = match format {
        Format::Toml => fields.iter().position(|l| l.trim_start().starts_with('[')).unwrap_or(fields.len()),
        Format::Yaml => fields.len(),
    };
    let existing = fields[..top_level_end].iter().position(|l| !l.starts_with([' ', '\t']) && is_field(l, key));
    match existing {
        Some(i) => fields[i] = line,
        None => fields.insert(0, line),
    }
    cut.join(&fields)
}

/// `[translation] source_hash = "…"` set to `hash`: the existing line
/// rewritten, or the table added at the end of the front matter.
pub(crate) fn set_stamp(text: &str, hash: &str) -> String {
    let cut = FrontMatterText::cut(text);
    let nl = cut.newline;
    let Some(format) = cut.format else {
        return format!("{}+++{nl}[translation]{nl}source_hash = \"{hash}\"{nl}+++{nl}{}", cut.bom, cut.body);
    };
    let (table, assign) = match format {
        Format::Toml => ("[translation]", format!("source_hash = \"{hash}\"{nl}")),
        Format::Yaml => ("translation:", format!("source_hash: \"{hash}\"{nl}")),
    };
    let mut fields = cut.owned_fields();
    if let Some(i) = fields.iter().position(|l| is_field(l, "source_hash")) {
        let indent: String = fields[i].chars().take_while(|c| c.is_whitespace()).collect();
        fields[i] = format!("{indent}{assign}");
    } else if let Some(i) = fields.iter().position(|l| l.trim_end() == table) {
        let indent = if format == Format::Yaml { "  " } else { "" };
        fields.insert(i + 1, format!("{indent}{assign}"));
    } else {
        if fields.last().is_some_and(|l| !l.trim().is_empty()) && format == Format::Toml {
            fields.push(nl.to_string());
        }
        fields.push(format!("{table}{nl}"));
        let indent = if format == Format::Yaml { "  " } else { "" };
        fields.push(format!("{indent}{assign}"));
    }
    cut.join(&fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn toml_copy_becomes_a_stamped_draft_keeping_everything_else() {
        let text =
            "+++\n# the guide\ntitle = \"Guide\"\nweight = 2\n\n[extra]\ncolour = \"red\"\n+++\n# Guide\n\nText.\n";
        let out = set_stamp(&set_draft(text), H);
        assert_eq!(
            out,
            format!("+++\ndraft = true\n# the guide\ntitle = \"Guide\"\nweight = 2\n\n[extra]\ncolour = \"red\"\n\n[translation]\nsource_hash = \"{H}\"\n+++\n# Guide\n\nText.\n")
        );
        let raw = split_raw(&out).unwrap();
        assert_eq!(raw.fields["draft"], true);
        assert_eq!(raw.fields["extra"]["colour"], "red");
    }

    #[test]
    fn existing_stamp_and_draft_lines_are_rewritten_in_place() {
        let text = "+++\ntitle = \"G\"\ndraft = false\n[translation]\nsource_hash = \"old\"\n+++\nBody\n";
        let out = set_stamp(&set_draft(text), H);
        assert_eq!(out, format!("+++\ntitle = \"G\"\ndraft = true\n[translation]\nsource_hash = \"{H}\"\n+++\nBody\n"));
    }

    #[test]
    fn original_language_is_set_at_the_top_level_only() {
        let yaml = "---\ntitle: G\nextra:\n  original_language: x\n---\nBody\n";
        let out = set_draft(&set_top_level(yaml, "original_language", "\"ca\""));
        assert_eq!(
            out,
            "---\ndraft: true\noriginal_language: \"ca\"\ntitle: G\nextra:\n  original_language: x\n---\nBody\n"
        );
        let toml = "+++\noriginal_language = \"es\"\n[extra]\noriginal_language = \"x\"\n+++\n";
        let out = set_top_level(toml, "original_language", "\"ca\"");
        assert_eq!(out, "+++\noriginal_language = \"ca\"\n[extra]\noriginal_language = \"x\"\n+++\n");
        assert_eq!(split_raw(&out).unwrap().fields["original_language"], "ca");
    }

    #[test]
    fn yaml_crlf_and_missing_front_matter_are_handled() {
        let yaml = "---\r\ntitle: G\r\n---\r\nBody\r\n";
        let out = set_stamp(yaml, H);
        assert_eq!(out, format!("---\r\ntitle: G\r\ntranslation:\r\n  source_hash: \"{H}\"\r\n---\r\nBody\r\n"));
        let bare = set_stamp("# Title\n", H);
        assert_eq!(bare, format!("+++\n[translation]\nsource_hash = \"{H}\"\n+++\n# Title\n"));
        for out in [out, bare] {
            let raw = split_raw(&out).unwrap();
            assert_eq!(raw.fields["translation"]["source_hash"], H);
        }
    }
}
