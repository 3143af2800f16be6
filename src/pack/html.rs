//! One pass over a page's rendered HTML for the pack's single-document
//! outputs: ids get a per-page prefix (so the printable page and the EPUB
//! chapters never clash, and every id is a valid XML name), and, for the
//! EPUB, the HTML becomes well-formed XHTML (void elements closed, boolean
//! attributes given values, entities XML knows, tags balanced, no scripts).
//!
//! Links were already resolved by the caller (see `Rendered::html_for`);
//! only same-page `#fragment`s that name an id of the page are prefixed.

use std::collections::BTreeSet;

/// Elements with no end tag.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];
/// Elements an EPUB must not carry (with their contents). Audio and video
/// go too: the book does not carry their files (the pack's mini-site does),
/// and epubcheck refuses a player with no source and no fallback.
const DROPPED: &[&str] =
    &["script", "style", "iframe", "object", "embed", "noscript", "template", "form", "audio", "video"];
/// Elements whose contents are text up to their end tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title"];
/// Opening one of these ends an open paragraph (HTML's implied `</p>`).
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "fieldset",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];
/// Opening one of these ends an open sibling of the same name.
const SELF_CLOSING_SIBLINGS: &[&str] = &["li", "dt", "dd", "tr", "td", "th", "option"];

#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// Put before every id (and same-page fragments that name one).
    pub id_prefix: &'a str,
    /// Make well-formed XHTML for an EPUB.
    pub xhtml: bool,
}

/// A piece of HTML.
#[derive(Debug)]
enum Token<'h> {
    Text(&'h str),
    Start {
        name: String,
        attributes: Vec<(String, Option<String>)>,
        self_closed: bool,
    },
    End(String),
    /// Comments, doctypes, processing instructions.
    Other(&'h str),
}

pub fn rewrite(html: &str, options: Options) -> String {
    let tokens = tokenize(html);
    let ids: BTreeSet<String> = tokens
        .iter()
        .filter_map(|t| match t {
            Token::Start { attributes, .. } => attributes.iter().find(|(n, _)| n == "id").and_then(|(_, v)| v.clone()),
            _ => None,
        })
        .collect();
    let mut writer =
        Writer { out: String::with_capacity(html.len() + html.len() / 8), options, ids, open: Vec::new(), dropping: 0 };
    for token in tokens {
        writer.token(token);
    }
    writer.finish()
}

struct Writer<'a> {
    out: String,
    options: Options<'a>,
    ids: BTreeSet<String>,
    /// Open elements (XHTML only).
    open: Vec<String>,
    /// Depth inside a dropped element (XHTML only).
    dropping: usize,
}

impl Writer<'_> {
    fn token(&mut self, token: Token) {
        match token {
            Token::Text(text) if self.dropping == 0 => {
                if self.options.xhtml {
                    push_xml_text(&mut self.out, text);
                } else {
                    self.out.push_str(text);
                }
            }
            Token::Other(raw) if self.dropping == 0 && !self.options.xhtml => {
                self.out.push_str(raw);
            }
            Token::Start { name, attributes, self_closed } => self.start(name, attributes, self_closed),
            Token::End(name) => self.end(&name),
            _ => {}
        }
    }

    fn start(&mut self, name: String, attributes: Vec<(String, Option<String>)>, self_closed: bool) {
        let void = VOID.contains(&name.as_str()) || self_closed;
        if self.options.xhtml {
            if self.dropping > 0 || DROPPED.contains(&name.as_str()) {
                if !void {
                    self.dropping += 1;
                    self.open.push(name);
                }
                return;
            }
            self.close_implied(&name);
        }
        self.out.push('<');
        self.out.push_str(&name);
        // Code reads left to right in every book, inline code too (EPUB
        // style sheets may not set `direction`, so the attribute says it;
        // on an inline element it also isolates it from the text around).
        let code = matches!(name.as_str(), "pre" | "code" | "kbd" | "samp");
        if self.options.xhtml && code && !attributes.iter().any(|(a, _)| a == "dir") {
            self.out.push_str(" dir=\"ltr\"");
        }
        let mut seen = BTreeSet::new();
        for (attribute, value) in attributes {
            if self.options.xhtml && (!is_xml_name(&attribute) || !seen.insert(attribute.clone())) {
                continue;
            }
            let value = self.attribute_value(&attribute, value);
            self.out.push(' ');
            self.out.push_str(&attribute);
            if let Some(value) = value {
                self.out.push_str("=\"");
                push_attribute(&mut self.out, &value, self.options.xhtml);
                self.out.push('"');
            } else if self.options.xhtml {
                self.out.push_str("=\"\"");
            }
        }
        if void {
            self.out.push_str(if self.options.xhtml { " />" } else { ">" });
        } else {
            self.out.push('>');
            if self.options.xhtml {
                self.open.push(name);
            }
        }
    }

    fn attribute_value(&self, attribute: &str, value: Option<String>) -> Option<String> {
        let prefix = self.options.id_prefix;
        let value = value?;
        if prefix.is_empty() {
            return Some(value);
        }
        if attribute == "id" {
            return Some(format!("{prefix}{value}"));
        }
        if attribute == "href" {
            if let Some(fragment) = value.strip_prefix('#') {
                let decoded = crate::urls::percent_decode(fragment);
                if self.ids.contains(fragment) || self.ids.contains(&decoded) {
                    return Some(format!("#{prefix}{fragment}"));
                }
            }
        }
        Some(value)
    }

    /// HTML ends some elements without saying so; XML needs it said.
    fn close_implied(&mut self, name: &str) {
        let top = self.open.last().map(String::as_str);
        let closes = (top == Some("p") && CLOSES_P.contains(&name))
            || (SELF_CLOSING_SIBLINGS.contains(&name) && top == Some(name));
        if closes {
            let top = self.open.pop().unwrap_or_default();
            self.out.push_str(&format!("</{top}>"));
        }
    }

    fn end(&mut self, name: &str) {
        if !self.options.xhtml {
            if !VOID.contains(&name) {
                self.out.push_str(&format!("</{name}>"));
            }
            return;
        }
        // An end tag with no open element of its name is dropped; one that
        // skips open elements closes them too.
        let Some(at) = self.open.iter().rposition(|n| n == name) else {
            return;
        };
        while self.open.len() > at {
            let element = self.open.pop().unwrap_or_default();
            if self.dropping > 0 {
                self.dropping -= 1;
            } else {
                self.out.push_str(&format!("</{element}>"));
            }
        }
    }

    fn finish(mut self) -> String {
        while let Some(element) = self.open.pop() {
            if self.dropping > 0 {
                self.dropping -= 1;
            } else {
                self.out.push_str(&format!("</{element}>"));
            }
        }
        self.out
    }
}

fn tokenize(html: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(at) = rest.find('<') else {
            tokens.push(Token::Text(rest));
            break;
        };
        let after = &rest[at + 1..];
        let starts_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        if !starts_tag {
            let end = at + 1;
            tokens.push(Token::Text(&rest[..end]));
            rest = &rest[end..];
            continue;
        }
        if at > 0 {
            tokens.push(Token::Text(&rest[..at]));
        }
        rest = &rest[at..];
        let consumed = if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
            tokens.push(Token::Other(&rest[..end]));
            end
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            tokens.push(Token::Other(&rest[..end]));
            end
        } else {
            let (token, end) = tag(rest);
            let raw_text = match &token {
                Token::Start { name, self_closed: false, .. } if RAW_TEXT.contains(&name.as_str()) => {
                    Some(name.clone())
                }
                _ => None,
            };
            tokens.push(token);
            match raw_text {
                Some(name) => {
                    let body = &rest[end..];
                    let close = format!("</{name}");
                    let stop = body.to_ascii_lowercase().find(&close).unwrap_or(body.len());
                    if stop > 0 {
                        tokens.push(Token::Text(&body[..stop]));
                    }
                    end + stop
                }
                None => end,
            }
        };
        rest = &rest[consumed..];
    }
    tokens
}

/// One start or end tag at the start of `text`: the token and its length.
fn tag(text: &str) -> (Token<'_>, usize) {
    let bytes = text.as_bytes();
    let closing = bytes.get(1) == Some(&b'/');
    let mut i = if closing { 2 } else { 1 };
    let name_start = i;
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' && bytes[i] != b'/' {
        i += 1;
    }
    let name = text[name_start..i].to_ascii_lowercase();
    let mut attributes = Vec::new();
    let mut self_closed = false;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i) {
            None => break,
            Some(b'>') => {
                i += 1;
                break;
            }
            Some(b'/') => {
                self_closed = bytes.get(i + 1) == Some(&b'>');
                i += 1;
                continue;
            }
            _ => {}
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let attribute = text[start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = None;
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = text[i + 1..].find(q as char).map_or(text.len(), |e| i + 1 + e);
                    value = Some(text[i + 1..end].to_string());
                    i = (end + 1).min(text.len());
                }
                _ => {
                    let start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = Some(text[start..i].to_string());
                }
            }
        }
        if !attribute.is_empty() {
            attributes.push((attribute, value));
        }
    }
    let token = if closing { Token::End(name) } else { Token::Start { name, attributes, self_closed } };
    (token, i.min(text.len()))
}

fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
}

/// Text for XML: `&` only as an entity XML knows, `<` and `>` escaped.
fn push_xml_text(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>']) {
        out.push_str(&rest[..at]);
        match rest.as_bytes()[at] {
            b'<' => out.push_str("&lt;"),
            b'>' => out.push_str("&gt;"),
            _ => {
                let (entity, length) = xml_entity(&rest[at..]);
                out.push_str(&entity);
                rest = &rest[at + length..];
                continue;
            }
        }
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

fn push_attribute(out: &mut String, value: &str, xhtml: bool) {
    if !xhtml {
        out.push_str(&value.replace('"', "&quot;"));
        return;
    }
    let mut text = String::new();
    push_xml_text(&mut text, value);
    out.push_str(&text.replace('"', "&quot;"));
}

/// The entity at the start of `text` as XML can read it, and how much of
/// `text` it took: named HTML entities become numeric references.
fn xml_entity(text: &str) -> (String, usize) {
    let Some(end) = text[1..].find(';').map(|e| e + 1).filter(|&e| e <= 32) else {
        return ("&amp;".into(), 1);
    };
    let name = &text[1..end];
    let known = match name {
        "amp" | "lt" | "gt" | "quot" | "apos" => Some(format!("&{name};")),
        _ if name.starts_with("#x") || name.starts_with("#X") => {
            u32::from_str_radix(&name[2..], 16).ok().filter(|&n| char::from_u32(n).is_some()).map(|n| format!("&#{n};"))
        }
        _ if name.starts_with('#') => {
            name[1..].parse::<u32>().ok().filter(|&n| char::from_u32(n).is_some()).map(|n| format!("&#{n};"))
        }
        _ => named_entity(name).map(|c| format!("&#{};", c as u32)),
    };
    match known {
        Some(entity) => (entity, end + 1),
        None => ("&amp;".into(), 1),
    }
}

/// The named entities people type into Markdown's raw HTML.
fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "nbsp" => '\u{a0}',
        "shy" => '\u{ad}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "laquo" => '«',
        "raquo" => '»',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "middot" => '·',
        "bull" => '•',
        "times" => '×',
        "rarr" => '→',
        "larr" => '←',
        "euro" => '€',
        "zwj" => '\u{200d}',
        "zwnj" => '\u{200c}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xhtml(html: &str) -> String {
        rewrite(html, Options { id_prefix: "m1.", xhtml: true })
    }

    #[test]
    fn ids_and_the_fragments_naming_them_get_the_prefix() {
        let html = "<h2 id=\"why\">Why</h2><p><a href=\"#why\">up</a> <a href=\"#m2.other\">next</a> <a href=\"https://x.org/#why\">x</a><sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></p><div class=\"footnote-definition\" id=\"1\"></div>";
        let out = rewrite(html, Options { id_prefix: "m1.", xhtml: false });
        assert!(out.contains("<h2 id=\"m1.why\">"), "{out}");
        assert!(out.contains("<a href=\"#m1.why\">up</a>"), "{out}");
        assert!(out.contains("<a href=\"#m2.other\">"), "links to other pages stay: {out}");
        assert!(out.contains("href=\"https://x.org/#why\""), "{out}");
        assert!(out.contains("<a href=\"#m1.1\">1</a>") && out.contains("id=\"m1.1\""), "{out}");
    }

    #[test]
    fn html_becomes_well_formed_xhtml() {
        let out =
            xhtml("<p>a<br>b &nbsp;&copy; &bogus; & <img src=x.png alt='it\"s'><input disabled type=checkbox></p><hr>");
        assert_eq!(
            out,
            "<p>a<br />b &#160;&#169; &amp;bogus; &amp; <img src=\"x.png\" alt=\"it&quot;s\" /><input disabled=\"\" type=\"checkbox\" /></p><hr />"
        );
    }

    #[test]
    fn unbalanced_tags_are_balanced_and_scripts_dropped() {
        let out =
            xhtml("<div><p>one<p>two</div><span>x</b></span><script>alert('<p>')</script><ul><li>a<li>b</ul><em>open");
        assert_eq!(out, "<div><p>one</p><p>two</p></div><span>x</span><ul><li>a</li><li>b</li></ul><em>open</em>");
    }

    #[test]
    fn comments_stay_in_html_and_leave_xhtml() {
        assert_eq!(xhtml("a<!-- x -- y -->b"), "ab");
        let html = rewrite("a<!-- x -->b", Options { id_prefix: "", xhtml: false });
        assert_eq!(html, "a<!-- x -->b");
    }
}
