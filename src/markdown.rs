//! Markdown → HTML, as a transformation of pulldown-cmark's event stream.
//!
//! Pure: it reads no files. Links are classified by a [`LinkResolver`] the
//! caller supplies and left as numbered placeholders, so one rendering serves
//! every language the page is shown in ([`Rendered::html_with`] fills them in).

use std::collections::BTreeSet;
use std::fmt::Write;
use std::ops::Range;

use pulldown_cmark::{
    html, BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

use crate::highlight::Highlighter;

/// Placeholder delimiters: private-use characters that never reach the output.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';
/// Around facilitator notes, so a participants' copy can leave them out.
const NOTES_OPEN: char = '\u{E002}';
const NOTES_CLOSE: char = '\u{E003}';

/// What a link or image destination points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another site (or `mailto:` …): kept as written.
    External(String),
    /// A heading in this page.
    Anchor(String),
    /// A page or section, by content key, maybe with a query (`?x=1` as
    /// written, or empty) and a heading anchor.
    Page { key: String, query: String, anchor: Option<String> },
    /// A non-Markdown file in `content/`, copied beside the pages (relative to `content/`).
    ContentFile { rel_path: String, suffix: String },
    /// A file from `static/`, served from the site root.
    StaticFile { rel_path: String, suffix: String },
    /// A page the build writes itself (search, feed, taxonomy pages,
    /// sitemap…): its output path below the folder `place` names.
    Generated { place: GeneratedIn, path: String, suffix: String },
    /// Points nowhere; `reason` says why, for the diagnostic.
    Broken { reason: String },
}

/// Where a generated page a link names lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GeneratedIn {
    /// The reader's language folder (`/search/`, `/tags/x/`): each reader
    /// gets their own language's.
    ReaderLanguage,
    /// The folder of the language the link names (`/ca/search/`).
    Language(String),
    /// The site root (`/sitemap.xml`, `/robots.txt`).
    SiteRoot,
}

pub trait LinkResolver {
    fn resolve(&self, destination: &str) -> LinkTarget;
}

/// How the link appears in the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkForm {
    /// A Markdown link: an `<a>` start tag. `shows_address` for an autolink
    /// (`<https://…>`), whose text is its address: marked `class="url"`, so
    /// print styles do not print the address a second time.
    Anchor { title: String, shows_address: bool },
    /// A Markdown image: a whole `<img>` element.
    Image { alt: String, title: String },
    /// An attribute (`href`, `src`…) of an `element` (lowercase) inside raw
    /// HTML; with `whole`, the placeholder stands for its whole start tag.
    Attribute { name: String, element: String, whole: Option<WholeTag> },
}

/// A raw-HTML `<img>` start tag around its `src`, so that an image whose
/// file is missing becomes text, as a Markdown image's does: an `<img>`
/// with no `src` is not HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WholeTag {
    /// From `<` to the attribute.
    pub before: String,
    /// From after the attribute to `>`.
    pub after: String,
    /// Its `alt`, as raw HTML writes it (entities kept).
    pub alt: String,
}

#[derive(Debug, Clone)]
pub struct Link {
    pub destination: String,
    pub target: LinkTarget,
    pub form: LinkForm,
    /// 1-based, in the whole file.
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// HTML with link placeholders.
    html: String,
    pub links: Vec<Link>,
    pub toc: Vec<TocEntry>,
    /// Every id a link can point at: headings, footnotes, ids in raw HTML.
    pub anchors: BTreeSet<String>,
    /// Plain text, for summaries, search and word counts.
    pub text: String,
    pub first_heading: Option<String>,
    /// The start of `text` without its headings, for summaries (search
    /// results, section listings, feeds): a heading the page opens with
    /// repeats the title shown above, and a later one would run into the
    /// next sentence ("Setup Add your account"); for a page of headings
    /// only, their text, apart. Whole, and without the facilitator notes
    /// (see [`Rendered::lead`]).
    lead: [String; 2],
    /// Raw HTML the sanitizer will take out: (line, column, what).
    pub unsafe_html: Vec<(usize, usize, String)>,
    /// Holds markup a writer wrote (raw HTML, attributes named in a
    /// heading's `{…}`): only the sanitiser can tell what of it may stay.
    writer_markup: bool,
    /// The parts of `text` that are facilitator notes.
    facilitator_text: Vec<String>,
    /// Words in `text`, counted once: every page showing it needs them.
    words: usize,
    /// [`Rendered::tokenized`] as sanitised once, for every output to fill
    /// (see [`Rendered::cleaned_once`]). Kept as it is: compressing it saved
    /// a tenth of the build's memory and cost a fiftieth of its time, and
    /// since bundles are zipped as they are rendered memory is the cheaper.
    cleaned: std::sync::OnceLock<String>,
}

/// What a link becomes in one output (see [`Rendered::html_for`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Href {
    To(String),
    /// A page the output does not hold (a workshop pack holds a few pages):
    /// marked as such, linked to the page online when there is an address.
    Outside {
        url: Option<String>,
        note: Note,
    },
    /// Points nowhere: visibly not a link.
    Broken,
}

/// What a link leaving an output says of itself, as its `title` ("Not in
/// this pack"), and in which language.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Note {
    pub text: String,
    /// When the note is not in the language of the link's text: the
    /// attributes naming the note's (on the link, which its title and what
    /// print shows after it follow) and those giving the link's text its own
    /// back (on a span inside the link).
    pub languages: Option<(String, String)>,
}

impl Rendered {
    /// The final HTML, asking `href_for` for each link's URL (`None`: broken,
    /// rendered as text that is visibly not a link).
    pub fn html_with(&self, mut href_for: impl FnMut(&Link) -> Option<String>) -> String {
        self.html_for(true, |link| href_for(link).map_or(Href::Broken, Href::To))
    }

    /// The final HTML for one output: with or without facilitator notes, and
    /// with links that may lead outside it.
    pub fn html_for(&self, facilitator_notes: bool, mut href_for: impl FnMut(&Link) -> Href) -> String {
        self.html_for_indexed(facilitator_notes, |_, link| href_for(link))
    }

    /// [`Rendered::html_for`], telling `href_for` each link's index too.
    fn html_for_indexed(&self, facilitator_notes: bool, mut href_for: impl FnMut(usize, &Link) -> Href) -> String {
        let mut out = String::with_capacity(self.html.len() + self.links.len() * 16);
        let mut rest = self.html.as_str();
        let mut skipped_notes: usize = 0;
        // Links whose text went into a span of its own (see `Note::languages`).
        let mut spans: Vec<usize> = Vec::new();
        while let Some(start) = find_marker(rest, &[OPEN, NOTES_OPEN, NOTES_CLOSE]) {
            if skipped_notes == 0 {
                out.push_str(&rest[..start]);
            }
            let marker = rest[start..].chars().next().unwrap_or(OPEN);
            let after = &rest[start + marker.len_utf8()..];
            if marker != OPEN {
                if !facilitator_notes {
                    skipped_notes =
                        if marker == NOTES_OPEN { skipped_notes + 1 } else { skipped_notes.saturating_sub(1) };
                }
                rest = after;
                continue;
            }
            let end = after.find(CLOSE).unwrap_or(after.len());
            if let (Some(closing), 0) = (after[..end].strip_prefix('/'), skipped_notes) {
                let spanned = closing.parse::<usize>().ok().and_then(|i| spans.iter().position(|&s| s == i));
                out.push_str(match spanned.map(|at| spans.remove(at)) {
                    Some(_) => "</span></a>",
                    None => "</a>",
                });
                rest = after.get(end + CLOSE.len_utf8()..).unwrap_or("");
                continue;
            }
            let index = after[..end].parse::<usize>().ok();
            let link = index.and_then(|i| Some((i, self.links.get(i)?)));
            if let (Some((index, link)), 0) = (link, skipped_notes) {
                if write_link(&mut out, link, href_for(index, link)) {
                    spans.push(index);
                }
            }
            rest = after.get(end + CLOSE.len_utf8()..).unwrap_or("");
        }
        if skipped_notes == 0 {
            out.push_str(rest);
        }
        out
    }

    /// The HTML with facilitator notes kept, and links filled in as
    /// `fixed` says; a link it has no answer for (one whose URL depends on
    /// where the page is written) gets a token as its URL instead, which
    /// [`Rendered::fill_tokens`] replaces. Tokens are private-use characters
    /// standing alone as an attribute's value, so an HTML sanitiser keeps
    /// them as they are (a relative URL): the HTML can be sanitised once and
    /// filled in for every output.
    pub fn tokenized(&self, mut fixed: impl FnMut(&Link) -> Option<Href>) -> String {
        self.html_for_indexed(true, |index, link| fixed(link).unwrap_or_else(|| Href::To(placeholder(index))))
    }

    /// Whether the HTML needs the sanitiser: it holds markup a writer wrote,
    /// or a link to another site whose URL is not plainly `http(s):`,
    /// `mailto:` or scheme-less. Everything else is made here and by
    /// pulldown-cmark from elements and attributes on the sanitiser's
    /// allow-list, text and attribute values escaped, so the sanitiser would
    /// remove nothing: tests and the Markdown fuzz target check exactly that.
    pub fn needs_sanitizer(&self) -> bool {
        self.writer_markup
            || self.links.iter().any(|link| matches!(&link.target, LinkTarget::External(url) if !plainly_safe_url(url)))
    }

    /// `make()` the first time, then what it made: the sanitised
    /// [`Rendered::tokenized`] HTML every output of this rendering fills in.
    pub fn cleaned_once(&self, make: impl FnOnce() -> String) -> &str {
        self.cleaned.get_or_init(make)
    }

    /// `template` (from [`Rendered::tokenized`]) with each token replaced by
    /// the link's URL from `href`, escaped (see `escape_serialized_attr`).
    /// `None` if `href` has no URL for one of them.
    pub fn fill_tokens(&self, template: &str, mut href: impl FnMut(&Link) -> Option<String>) -> Option<String> {
        let mut out = String::with_capacity(template.len() + self.links.len() * 16);
        let mut rest = template;
        while let Some(start) = find_marker(rest, &[OPEN]) {
            out.push_str(&rest[..start]);
            let after = &rest[start + OPEN.len_utf8()..];
            let end = after.find(CLOSE)?;
            let link = self.links.get(after[..end].parse::<usize>().ok()?)?;
            out.push_str(&escape_serialized_attr(&href(link)?));
            rest = &after[end + CLOSE.len_utf8()..];
        }
        out.push_str(rest);
        Some(out)
    }

    /// The same rendering with other link targets (the cleaned HTML made
    /// for the old ones is dropped).
    pub fn with_targets(&self, targets: Vec<LinkTarget>) -> Rendered {
        let mut relinked = self.clone();
        relinked.cleaned = std::sync::OnceLock::new();
        for (link, target) in relinked.links.iter_mut().zip(targets) {
            link.target = target;
        }
        relinked
    }

    /// The start of the page's text for a summary: at least
    /// [`LEAD_CHARS`] characters of it (all, when it is shorter), headings
    /// left out, facilitator notes too unless `notes`; when that leaves
    /// nothing, the headings' text, one from the next apart ("Setup ·
    /// Accounts").
    pub fn lead(&self, notes: bool) -> &str {
        &self.lead[usize::from(!notes)]
    }

    /// `text` without the facilitator notes, for a participants' copy.
    pub fn text_without_facilitator_notes(&self) -> String {
        let mut text = self.text.clone();
        for notes in &self.facilitator_text {
            text = text.replacen(notes.as_str(), " ", 1);
        }
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    pub fn word_count(&self) -> usize {
        self.words
    }
}

/// Writes what opens a link (or an image, or an attribute); true when it
/// opened a span inside the link too, which its end closes.
fn write_link(out: &mut String, link: &Link, href: Href) -> bool {
    let href = match href {
        Href::To(href) => Some(href),
        Href::Broken => None,
        Href::Outside { url, note } => return write_outside_link(out, link, url, &note),
    };
    match (&link.form, href) {
        (LinkForm::Anchor { title, shows_address }, Some(href)) => {
            let _ = write!(out, "<a href=\"{}\"", escape_attr(&href));
            if *shows_address {
                out.push_str(" class=\"url\"");
            }
            if !title.is_empty() {
                let _ = write!(out, " title=\"{}\"", escape_attr(title));
            }
            out.push('>');
        }
        (LinkForm::Anchor { .. }, None) => out.push_str("<a class=\"broken-link\">"),
        (LinkForm::Image { alt, title }, Some(src)) => {
            let _ = write!(out, "<img src=\"{}\" alt=\"{}\"", escape_attr(&src), escape_attr(alt));
            if !title.is_empty() {
                let _ = write!(out, " title=\"{}\"", escape_attr(title));
            }
            out.push('>');
        }
        (LinkForm::Image { alt, .. }, None) => {
            let _ = write!(out, "<span class=\"broken-image\">{}</span>", escape_text(alt));
        }
        (LinkForm::Attribute { name, whole: Some(tag), .. }, Some(value)) => {
            let _ = write!(out, "{}{name}=\"{}\"{}", tag.before, escape_attr(&value), tag.after);
        }
        (LinkForm::Attribute { whole: Some(tag), .. }, None) => write_broken_raw_image(out, tag),
        (LinkForm::Attribute { name, .. }, Some(value)) => {
            let _ = write!(out, "{name}=\"{}\"", escape_attr(&value));
        }
        (LinkForm::Attribute { name, .. }, None) => {
            let _ = write!(out, "data-broken-{name}=\"{}\"", escape_attr(&link.destination));
        }
    }
    false
}

/// A raw-HTML image whose file the output does not hold, as its `alt` text.
fn write_broken_raw_image(out: &mut String, tag: &WholeTag) {
    // The alt is attribute text, entities and all: only `<` and `>` would
    // read differently as element text.
    let alt = tag.alt.replace('<', "&lt;").replace('>', "&gt;");
    let _ = write!(out, "<span class=\"broken-image\">{alt}</span>");
}

/// A URL that is `http:`, `https:` or `mailto:`, or has no scheme at all,
/// with nothing a browser would strip before reading its scheme (spaces,
/// control characters): the sanitiser keeps such a URL as it is.
fn plainly_safe_url(url: &str) -> bool {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let has_prefix = |prefix: &str| url.get(..prefix.len()).is_some_and(|s| s.eq_ignore_ascii_case(prefix));
    let scheme_less = !url.split(['/', '?', '#']).next().unwrap_or_default().contains(':');
    scheme_less || ["http://", "https://", "mailto:"].into_iter().any(has_prefix)
}

/// A link to a page the output does not hold: `class="outside-link"`, the
/// note as its title, and the page's address online when there is one.
fn write_outside_link(out: &mut String, link: &Link, url: Option<String>, note: &Note) -> bool {
    let href = url.map(|u| format!(" href=\"{}\"", escape_attr(&u))).unwrap_or_default();
    match &link.form {
        LinkForm::Anchor { .. } => {
            let title = escape_attr(&note.text);
            let Some((on_link, on_text)) = &note.languages else {
                let _ = write!(out, "<a class=\"outside-link\"{href} title=\"{title}\">");
                return false;
            };
            let _ = write!(out, "<a class=\"outside-link\"{href} title=\"{title}\"{on_link}><span{on_text}>");
            return true;
        }
        LinkForm::Image { alt, .. } => {
            let _ = write!(out, "<span class=\"broken-image\">{}</span>", escape_text(alt));
        }
        LinkForm::Attribute { whole: Some(tag), .. } => write_broken_raw_image(out, tag),
        LinkForm::Attribute { name, .. } => match href.strip_prefix(' ') {
            Some(attribute) if name == "href" => out.push_str(attribute),
            _ => {
                let _ = write!(out, "data-outside-{name}=\"{}\"", escape_attr(&link.destination));
            }
        },
    }
    false
}

/// Words in reading terms: whitespace-separated runs, and each CJK character.
pub fn count_words(text: &str) -> usize {
    text.split_whitespace().map(word_weight).sum()
}

/// How many words a whitespace-separated run counts for: one, or each of
/// its CJK characters (plus one for any other letters or digits in it).
fn word_weight(word: &str) -> usize {
    // CJK starts at U+3040, whose UTF-8 begins with 0xE3: a run without
    // such a byte (most runs, in most languages) is one word.
    if word.bytes().all(|b| b < 0xE3) {
        return 1;
    }
    let cjk = word.chars().filter(|c| is_cjk(*c)).count();
    if cjk > 0 {
        cjk + usize::from(word.chars().any(|c| !is_cjk(c) && c.is_alphanumeric()))
    } else {
        1
    }
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// The strings Markdown itself puts on the page, in the content's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    pub note: Label,
    pub tip: Label,
    pub important: Label,
    pub warning: Label,
    pub caution: Label,
    pub facilitator: Label,
}

/// One of them, and the attributes of the element showing it when it comes
/// from another language than the content's (` lang="en"`, else nothing);
/// `reset` gives the content's language back inside such an element.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Label {
    pub text: String,
    pub marking: String,
    pub reset: String,
}

impl From<&str> for Label {
    fn from(text: &str) -> Label {
        Label { text: text.to_string(), marking: String::new(), reset: String::new() }
    }
}

impl Default for Labels {
    fn default() -> Self {
        Labels {
            note: "Note".into(),
            tip: "Tip".into(),
            important: "Important".into(),
            warning: "Warning".into(),
            caution: "Caution".into(),
            facilitator: "Facilitator notes".into(),
        }
    }
}

/// The one place pulldown-cmark's options are set.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
}

pub struct Input<'a> {
    pub body: &'a str,
    /// 1-based line of the file where `body` starts.
    pub first_line: usize,
    pub resolver: &'a dyn LinkResolver,
    pub highlighter: &'a Highlighter,
    pub labels: &'a Labels,
    /// Ids the theme writes around the content (`main`…), which no heading
    /// may take.
    pub frame_ids: &'a BTreeSet<String>,
}

pub fn render(input: &Input) -> Rendered {
    // Footnotes keep their names as ids (their references link to them), so
    // a heading named like one (`## 1` beside `[^1]`) takes another id, as
    // does one named like an id of the theme's frame.
    let mut ids = footnote_names(input.body);
    ids.extend(input.frame_ids.iter().cloned());
    let mut state = State {
        input,
        out: Rendered::default(),
        ids,
        quotes: Vec::new(),
        depth: 0,
        headings: Vec::new(),
        notes: Vec::new(),
    };
    let events = state.transform(input.body, input.first_line);
    html::push_html(&mut state.out.html, events.into_iter());
    state.out.html = alignment_as_classes(std::mem::take(&mut state.out.html));
    let with_notes = summary_lead(&state.out.text, &state.headings, &[]);
    let without_notes = summary_lead(&state.out.text, &state.headings, &state.notes);
    state.out.lead = [with_notes, without_notes];
    let normalise = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    state.out.text = normalise(&state.out.text);
    state.out.words = count_words(&state.out.text);
    state.out.facilitator_text =
        state.out.facilitator_text.iter().map(|notes| normalise(notes)).filter(|notes| !notes.is_empty()).collect();
    state.out
}

/// The names of a text's footnote definitions (the ids they are given).
fn footnote_names(body: &str) -> BTreeSet<String> {
    if !body.contains("[^") {
        return BTreeSet::new();
    }
    Parser::new_ext(body, options())
        .filter_map(|event| match event {
            Event::Start(Tag::FootnoteDefinition(name)) => Some(name.to_string()),
            _ => None,
        })
        .collect()
}

struct State<'i> {
    input: &'i Input<'i>,
    out: Rendered,
    ids: BTreeSet<String>,
    /// How many facilitator blocks deep we are (each renders Markdown inside).
    depth: usize,
    /// Open block quotes: where the text of each began, if it holds facilitator notes.
    quotes: Vec<Option<usize>>,
    /// Where each heading's text and each facilitator note lie in
    /// `out.text` (before its spaces are evened out): summaries leave them out.
    headings: Vec<Range<usize>>,
    notes: Vec<Range<usize>>,
}

/// Characters of a page's text kept for summaries: more than any shows
/// (feeds show the most, 300), so a summary cut from it is cut as from the
/// whole text.
pub const LEAD_CHARS: usize = 400;

/// The start of `text` outside its `headings` and `notes` ([`lead`]); for
/// a text that is only headings (and notes), the headings outside `notes`
/// instead, so its summary is not empty.
fn summary_lead(text: &str, headings: &[Range<usize>], notes: &[Range<usize>]) -> String {
    let lead = lead(text, [headings, notes].concat());
    if !lead.is_empty() {
        return lead;
    }
    let outside_notes = |h: &&Range<usize>| !notes.iter().any(|n| n.start <= h.start && h.end <= n.end);
    let mut headings: Vec<&Range<usize>> = headings.iter().filter(outside_notes).collect();
    headings.sort_by_key(|range| range.start);
    headings_lead(text, &headings)
}

/// Between two headings in a summary: each is a title of its own, and
/// written one after the other they would read as one ("Setup Accounts").
const HEADINGS_APART: &str = " · ";

/// The words of each of `headings` in `text`, its spaces evened out, one
/// heading from the next [`HEADINGS_APART`]: past [`LEAD_CHARS`] at most.
fn headings_lead(text: &str, headings: &[&Range<usize>]) -> String {
    let mut lead = String::new();
    let mut chars = 0;
    for range in headings {
        if chars >= LEAD_CHARS {
            break;
        }
        let mut words = String::new();
        push_words(&mut words, &text[(*range).clone()], LEAD_CHARS - chars);
        if words.is_empty() {
            continue;
        }
        if !lead.is_empty() {
            lead.push_str(HEADINGS_APART);
            chars += HEADINGS_APART.chars().count();
        }
        chars += words.chars().count();
        lead.push_str(&words);
    }
    lead
}

/// The start of `text` outside `skip`, its spaces evened out: the first
/// words past [`LEAD_CHARS`] characters at most.
fn lead(text: &str, mut skip: Vec<Range<usize>>) -> String {
    skip.sort_by_key(|range| range.start);
    let mut lead = String::new();
    let mut chars = 0;
    let mut at = 0;
    for range in &skip {
        if range.start > at {
            chars += push_words(&mut lead, &text[at..range.start], LEAD_CHARS.saturating_sub(chars));
        }
        at = at.max(range.end);
    }
    push_words(&mut lead, &text[at..], LEAD_CHARS.saturating_sub(chars));
    lead
}

/// The words of `text` onto `lead`, one space between them, until `room`
/// characters are taken; returns the characters taken.
fn push_words(lead: &mut String, text: &str, room: usize) -> usize {
    let mut taken = 0;
    for word in text.split_whitespace() {
        if taken >= room {
            break;
        }
        if !lead.is_empty() {
            lead.push(' ');
            taken += 1;
        }
        lead.push_str(word);
        taken += word.chars().count();
    }
    taken
}

/// Facilitator notes inside facilitator notes, at most this deep; deeper ones
/// show as code, so hostile input cannot exhaust the stack.
const MAX_NESTED_NOTES: usize = 4;

/// Lines and columns of byte offsets in a text whose first line is `first_line`.
/// Offsets come mostly in order, so the column is counted on from the last one
/// asked on the same line: a page costs time in proportion to its length.
struct Positions<'t> {
    text: &'t str,
    first_line: usize,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// The last answer: (offset, line index, column).
    last: (usize, usize, usize),
}

impl<'t> Positions<'t> {
    fn new(text: &'t str, first_line: usize) -> Self {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Positions { text, first_line, line_starts, last: (0, 0, 1) }
    }

    /// 1-based line and column (in characters) of byte `offset`.
    fn at(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let (last_offset, last_line, last_column) = self.last;
        let (from, column) = if last_line == line && last_offset <= offset {
            (last_offset, last_column)
        } else {
            (self.line_starts[line], 1)
        };
        let column = column + self.text[from..offset].chars().count();
        self.last = (offset, line, column);
        (self.first_line + line, column)
    }
}

impl State<'_> {
    fn transform<'a>(&mut self, body: &'a str, first_line: usize) -> Vec<Event<'a>> {
        let mut events = Vec::new();
        let mut positions = Positions::new(body, first_line);
        let parsed: Vec<_> = Parser::new_ext(body, options()).into_offset_iter().collect();
        let mut iter = parsed.into_iter();
        while let Some((event, range)) = iter.next() {
            let at = positions.at(range.start);
            match event {
                // A block of HTML comes a line at a time: read whole, so that
                // a tag's attributes on its later lines are resolved too.
                Event::Html(first) => {
                    let mut block = first.into_string();
                    while let [(Event::Html(line), _), ..] = iter.as_slice() {
                        block.push_str(line);
                        iter.next();
                    }
                    events.extend(self.transform_inline(vec![Event::Html(block.into())], at));
                }
                Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                    let mut inner = Vec::new();
                    for (e, _) in iter.by_ref() {
                        if matches!(e, Event::End(TagEnd::Heading(_))) {
                            break;
                        }
                        inner.push(e);
                    }
                    let start = self.out.text.len();
                    let inner = self.transform_inline(inner, at);
                    self.heading(&mut events, level, id, classes, attrs, inner);
                    self.headings.push(start..self.out.text.len());
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let mut code = String::new();
                    let mut code_start = None;
                    for (e, r) in iter.by_ref() {
                        match e {
                            Event::Text(t) => {
                                code_start.get_or_insert(r.start);
                                code.push_str(&without_markers(t));
                            }
                            Event::End(TagEnd::CodeBlock) => break,
                            _ => {}
                        }
                    }
                    let lang = match &kind {
                        CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    let code_line = positions.at(code_start.unwrap_or(range.start)).0;
                    self.code_block(&mut events, &lang, code, code_line);
                }
                Event::Start(Tag::BlockQuote(Some(kind))) => {
                    let (class, label) = self.alert(kind);
                    events.push(Event::Html(
                        format!(
                            "<div class=\"alert alert-{class}\" role=\"note\">\n<p class=\"alert-title\"{}>{}</p>\n",
                            label.marking,
                            escape_text(&label.text)
                        )
                        .into(),
                    ));
                }
                Event::End(TagEnd::BlockQuote(Some(_))) => events.push(Event::Html("</div>\n".into())),
                Event::Start(Tag::BlockQuote(None)) => {
                    let marker = facilitator_marker(iter.as_slice());
                    if marker == 0 {
                        self.quotes.push(None);
                        events.push(Event::Start(Tag::BlockQuote(None)));
                        continue;
                    }
                    // `> [!FACILITATOR]`: notes like a `facilitator` block.
                    let keeps_paragraph = matches!(iter.as_slice().get(marker), Some((Event::SoftBreak, _)));
                    iter.nth(marker);
                    self.quotes.push(Some(self.out.text.len()));
                    events.push(Event::Html(self.facilitator_open().into()));
                    if keeps_paragraph {
                        events.push(Event::Start(Tag::Paragraph));
                    }
                }
                Event::End(TagEnd::BlockQuote(None)) => match self.quotes.pop().flatten() {
                    Some(start) => {
                        let notes = self.out.text[start..].to_string();
                        self.notes.push(start..self.out.text.len());
                        self.out.facilitator_text.push(notes);
                        events.push(Event::Html(self.facilitator_close().into()));
                    }
                    None => events.push(Event::End(TagEnd::BlockQuote(None))),
                },
                // A table wider than the page scrolls in a box of its own,
                // which keyboard users must be able to focus to scroll (as
                // code blocks): the table itself cannot be given a tabindex
                // by pulldown-cmark's writer.
                Event::Start(Tag::Table(alignments)) => {
                    events.push(Event::Html(TABLE_BOX_OPEN.into()));
                    events.push(Event::Start(Tag::Table(alignments)));
                }
                Event::End(TagEnd::Table) => {
                    events.push(Event::End(TagEnd::Table));
                    events.push(Event::Html("</div>\n".into()));
                }
                Event::Start(Tag::FootnoteDefinition(name)) => {
                    self.out.anchors.insert(name.to_string());
                    events.push(Event::Start(Tag::FootnoteDefinition(name)));
                }
                other => {
                    let mut pending = vec![other];
                    // Inline runs (links, images) need their closing events too.
                    if matches!(pending[0], Event::Start(Tag::Link { .. } | Tag::Image { .. })) {
                        let mut depth = 1;
                        for (e, _) in iter.by_ref() {
                            match &e {
                                Event::Start(Tag::Link { .. } | Tag::Image { .. }) => depth += 1,
                                Event::End(TagEnd::Link | TagEnd::Image) => depth -= 1,
                                _ => {}
                            }
                            pending.push(e);
                            if depth == 0 {
                                break;
                            }
                        }
                    }
                    let inline = self.transform_inline(pending, at);
                    events.extend(inline);
                }
            }
        }
        events
    }

    /// Links, images, raw HTML and text inside a block; `at` is where the run starts.
    fn transform_inline<'a>(&mut self, events: Vec<Event<'a>>, at: (usize, usize)) -> Vec<Event<'a>> {
        let mut out = Vec::with_capacity(events.len());
        // Links opened and not yet closed: CommonMark nests none (an
        // image's text, links included, is read whole below), so this holds
        // one at most; each end still finds its own start.
        let mut open_links: Vec<usize> = Vec::new();
        let mut iter = events.into_iter();
        while let Some(event) = iter.next() {
            match event {
                Event::Start(Tag::Link { link_type, dest_url, title, .. }) => {
                    let shows_address = matches!(link_type, LinkType::Autolink | LinkType::Email);
                    let form = LinkForm::Anchor { title: title.to_string(), shows_address };
                    // `<care@example.org>` comes as the bare address.
                    let index = if link_type == LinkType::Email {
                        self.link(&format!("mailto:{dest_url}"), form, at)
                    } else {
                        self.link(&dest_url, form, at)
                    };
                    out.push(Event::InlineHtml(placeholder(index).into()));
                    open_links.push(index);
                }
                Event::End(TagEnd::Link) => match open_links.pop() {
                    Some(index) => out.push(Event::InlineHtml(placeholder_end(index).into())),
                    None => out.push(Event::InlineHtml("</a>".into())),
                },
                Event::Start(Tag::Image { dest_url, title, .. }) => {
                    let mut alt = String::new();
                    let mut depth = 1;
                    for e in iter.by_ref() {
                        match e {
                            Event::Start(Tag::Image { .. }) => depth += 1,
                            Event::End(TagEnd::Image) => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                            _ => {}
                        }
                    }
                    self.out.text.push_str(&without_markers(alt.as_str().into()));
                    let index = self.link(&dest_url, LinkForm::Image { alt, title: title.to_string() }, at);
                    out.push(Event::InlineHtml(placeholder(index).into()));
                }
                Event::Html(raw) => out.push(Event::Html(self.raw_html(&raw, at).into())),
                Event::InlineHtml(raw) => out.push(Event::InlineHtml(self.raw_html(&raw, at).into())),
                // Placeholder characters a writer typed are dropped: in the
                // HTML they would read as links.
                Event::Text(t) => {
                    let t = without_markers(t);
                    self.out.text.push_str(&t);
                    out.push(Event::Text(t));
                }
                Event::Code(t) => {
                    let t = without_markers(t);
                    self.out.text.push_str(&t);
                    out.push(Event::Code(t));
                }
                Event::SoftBreak | Event::HardBreak => {
                    self.out.text.push(' ');
                    out.push(event);
                }
                Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::DefinitionListDefinition) => {
                    self.out.text.push('\n');
                    out.push(event);
                }
                other => out.push(other),
            }
        }
        out
    }

    fn link(&mut self, destination: &str, form: LinkForm, at: (usize, usize)) -> usize {
        let target = self.input.resolver.resolve(destination);
        self.out.links.push(Link { destination: destination.to_string(), target, form, line: at.0, column: at.1 });
        self.out.links.len() - 1
    }

    /// Rewrite `href`/`src`/`poster` attributes in raw HTML like Markdown links.
    fn raw_html(&mut self, raw: &str, at: (usize, usize)) -> String {
        self.out.writer_markup = true;
        let cleaned: String = raw.chars().filter(|c| !is_marker(*c)).collect();
        for (offset, what) in crate::sanitize::removals(&cleaned) {
            let (line, column) = position_within(&cleaned, offset, at);
            self.out.unsafe_html.push((line, column, what));
        }
        for id in attribute_values(&cleaned, "id") {
            self.out.anchors.insert(id.1.to_string());
        }
        let mut out = String::with_capacity(cleaned.len());
        let mut last = 0;
        let mut found: Vec<(std::ops::Range<usize>, &str, &str)> = ["href", "src", "poster"]
            .iter()
            .flat_map(|name| attribute_values(&cleaned, name).into_iter().map(move |(r, v)| (r, *name, v)))
            .collect();
        // Each tag's attributes are read whole (`attribute_values`), so a
        // name inside another attribute's value (`src="<a href=…"`) is
        // none of these.
        found.sort_by_key(|(r, _, _)| r.start);
        for (range, name, value) in found {
            if range.start < last {
                // Inside an `<img>` start tag taken whole before.
                continue;
            }
            let element = element_of(&cleaned[..range.start]);
            let tag = (element == "img" && name == "src").then(|| start_tag_around(&cleaned, &range, last)).flatten();
            let (start, end, whole) = match tag {
                Some(tag) => (tag.start, tag.end, Some(whole_tag(&cleaned, tag, &range))),
                None => (range.start, range.end, None),
            };
            let form = LinkForm::Attribute { name: name.to_string(), element, whole };
            let index = self.link(value, form, position_within(&cleaned, range.start, at));
            out.push_str(&cleaned[last..start]);
            out.push_str(&placeholder(index));
            last = end;
        }
        out.push_str(&cleaned[last..]);
        out
    }

    fn heading<'a>(
        &mut self,
        events: &mut Vec<Event<'a>>,
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
        inner: Vec<Event<'a>>,
    ) {
        let title: String = inner
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let title = title.trim().to_string();
        let id = self.unique_id(id.map(|i| i.to_string()).unwrap_or_else(|| slugify(&title)));
        let level_number = level as u8;
        if self.out.first_heading.is_none() && level_number == 1 {
            self.out.first_heading = Some(title.clone());
        }
        self.out.toc.push(TocEntry { level: level_number, id: id.clone(), title });
        self.out.anchors.insert(id.clone());
        let mut open = format!("<h{level_number} id=\"{}\"", escape_attr(&id));
        if !classes.is_empty() {
            let classes: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
            let _ = write!(open, " class=\"{}\"", escape_attr(&classes.join(" ")));
        }
        for (name, value) in attrs {
            self.out.writer_markup = true;
            let _ = write!(open, " {}=\"{}\"", escape_attr(&name), escape_attr(value.as_deref().unwrap_or("")));
        }
        open.push('>');
        events.push(Event::Html(open.into()));
        events.extend(inner);
        events.push(Event::Html(format!("</h{level_number}>\n").into()));
        self.out.text.push('\n');
    }

    fn unique_id(&mut self, base: String) -> String {
        let base = if base.is_empty() { "section".to_string() } else { base };
        let mut id = base.clone();
        let mut n = 1;
        while !self.ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    fn code_block(&mut self, events: &mut Vec<Event<'_>>, lang: &str, code: String, code_line: usize) {
        if lang == "facilitator" && self.depth < MAX_NESTED_NOTES {
            // Notes for whoever runs a workshop: Markdown inside, kept apart so
            // participants' copies can leave them out.
            let mut inner = self.facilitator_open();
            let start = self.out.text.len();
            self.depth += 1;
            html::push_html(&mut inner, self.transform(&code, code_line).into_iter());
            self.depth -= 1;
            let notes = self.out.text[start..].to_string();
            self.notes.push(start..self.out.text.len());
            self.out.facilitator_text.push(notes);
            inner.push_str(&self.facilitator_close());
            events.push(Event::Html(inner.into()));
            return;
        }
        self.out.text.push_str(&code);
        self.out.text.push('\n');
        let highlighted = if lang.is_empty() { None } else { self.input.highlighter.highlight(&code, lang) };
        let body = highlighted.unwrap_or_else(|| escape_text(&code));
        let html = if lang.is_empty() {
            format!("<pre class=\"code\" tabindex=\"0\"><code>{body}</code></pre>\n")
        } else {
            let lang = escape_attr(lang);
            format!("<pre class=\"code\" data-lang=\"{lang}\" tabindex=\"0\"><code class=\"language-{lang}\">{body}</code></pre>\n")
        };
        events.push(Event::Html(html.into()));
    }

    /// The notes' box, named by its label; a label from another language
    /// marks the box (its name is read in that language) and the notes go
    /// inside a `div` in the content's language.
    fn facilitator_open(&self) -> String {
        let label = &self.input.labels.facilitator;
        let text = escape_text(&label.text);
        let head = format!("{NOTES_OPEN}<aside class=\"facilitator\" aria-label=\"{text}\"");
        match label.marking.as_str() {
            "" => format!("{head}>\n<p class=\"facilitator-title\">{text}</p>\n"),
            marking => format!("{head}{marking}>\n<p class=\"facilitator-title\">{text}</p>\n<div{}>\n", label.reset),
        }
    }

    fn facilitator_close(&self) -> String {
        let div = if self.input.labels.facilitator.marking.is_empty() { "" } else { "</div>" };
        format!("{div}</aside>{NOTES_CLOSE}\n")
    }

    fn alert(&self, kind: BlockQuoteKind) -> (&'static str, &Label) {
        let labels = self.input.labels;
        match kind {
            BlockQuoteKind::Note => ("note", &labels.note),
            BlockQuoteKind::Tip => ("tip", &labels.tip),
            BlockQuoteKind::Important => ("important", &labels.important),
            BlockQuoteKind::Warning => ("warning", &labels.warning),
            BlockQuoteKind::Caution => ("caution", &labels.caution),
        }
    }
}

/// What a table is wrapped in: a box that scrolls sideways and takes focus.
const TABLE_BOX_OPEN: &str = "<div class=\"table-scroll\" tabindex=\"0\">\n";

/// pulldown-cmark aligns table cells with `style` attributes, which a strict
/// Content-Security-Policy blocks: classes do the same from the stylesheet.
fn alignment_as_classes(html: String) -> String {
    if !html.contains(" style=\"text-align: ") {
        return html;
    }
    html.replace(" style=\"text-align: left\"", " class=\"align-left\"")
        .replace(" style=\"text-align: center\"", " class=\"align-center\"")
        .replace(" style=\"text-align: right\"", " class=\"align-right\"")
}

/// Events after a block quote's start that spell `[!FACILITATOR]` at the
/// start of its first paragraph (the paragraph's start included), or 0.
fn facilitator_marker(next: &[(Event, std::ops::Range<usize>)]) -> usize {
    if !matches!(next.first(), Some((Event::Start(Tag::Paragraph), _))) {
        return 0;
    }
    let mut text = String::new();
    for (i, (event, _)) in next.iter().enumerate().skip(1) {
        let Event::Text(t) = event else { break };
        text.push_str(t);
        if text.eq_ignore_ascii_case("[!FACILITATOR]") {
            let after = next.get(i + 1).map(|(e, _)| e);
            let ends_line = matches!(after, Some(Event::SoftBreak | Event::End(TagEnd::Paragraph)));
            return if ends_line { i + 1 } else { 0 };
        }
        if text.len() > "[!FACILITATOR]".len() {
            break;
        }
    }
    0
}

/// Byte ranges of `body` holding facilitator notes (```facilitator blocks
/// and `> [!FACILITATOR]` quotes), for copies of the sources without them.
pub fn facilitator_ranges(body: &str) -> Vec<std::ops::Range<usize>> {
    let events: Vec<_> = Parser::new_ext(body, options()).into_offset_iter().collect();
    let mut ranges = Vec::new();
    for (i, (event, range)) in events.iter().enumerate() {
        let is_notes = match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                info.split([' ', ',', '{']).next() == Some("facilitator")
            }
            Event::Start(Tag::BlockQuote(None)) => facilitator_marker(&events[i + 1..]) > 0,
            _ => false,
        };
        if is_notes && !ranges.iter().any(|r: &std::ops::Range<usize>| r.contains(&range.start)) {
            ranges.push(range.clone());
        }
    }
    ranges
}

/// The private-use characters that delimit placeholders and notes.
fn is_marker(c: char) -> bool {
    matches!(c, OPEN | CLOSE | NOTES_OPEN | NOTES_CLOSE)
}

/// `text` without the placeholder characters a writer might have typed.
fn without_markers(text: CowStr<'_>) -> CowStr<'_> {
    if has_marker(&text) {
        text.replace(is_marker, "").into()
    } else {
        text
    }
}

/// Where the first of `markers` (placeholder characters) stands in `text`.
/// Every placeholder's UTF-8 starts with 0xEE, a byte that only the private
/// use characters U+E000–U+EFFF start with: looking for that byte with
/// `memchr` skips most of a page's HTML many bytes at a time, where `find`
/// decoded every character (a set of characters) or stopped at every 0x80
/// (the last byte of U+E000, the middle of many accented letters).
fn find_marker(text: &str, markers: &[char]) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(offset) = memchr::memchr(MARKER_LEAD_BYTE, &bytes[from..]) {
        let at = from + offset;
        // 0xEE only ever starts a character, so `at` is a character boundary.
        if text[at..].chars().next().is_some_and(|c| markers.contains(&c)) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The first UTF-8 byte of every placeholder character (U+E000–U+E003).
const MARKER_LEAD_BYTE: u8 = 0xEE;

/// `text` holds a placeholder character.
fn has_marker(text: &str) -> bool {
    find_marker(text, &[OPEN, CLOSE, NOTES_OPEN, NOTES_CLOSE]).is_some()
}

fn placeholder(index: usize) -> String {
    format!("{OPEN}{index}{CLOSE}")
}

/// Where link `index`'s text ends: `</a>`, or `</span></a>` when its
/// opening wrote a span (see [`Note::languages`]).
fn placeholder_end(index: usize) -> String {
    format!("{OPEN}/{index}{CLOSE}")
}

/// `name="value"` attributes in raw HTML tags: (range of the whole attribute, value).
fn attribute_values<'h>(html: &'h str, name: &str) -> Vec<(std::ops::Range<usize>, &'h str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = html[from..].find('<').map(|at| from + at + 1) {
        from = open;
        // Start tags only: `</a>`, `<!-- -->` and a lone `<` name no attributes.
        if !html[open..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let end = open + crate::sanitize::tag_end(&html[open..]);
        let name_end = html[open..end].find(|c: char| c.is_ascii_whitespace() || c == '/').map_or(end, |at| open + at);
        found.extend(tag_attributes(html, name_end..end).filter(|(range, _)| {
            html[range.start..].get(..name.len()).is_some_and(|n| n.eq_ignore_ascii_case(name))
                && html[range.start + name.len()..].trim_start().starts_with('=')
        }));
        from = end;
    }
    found
}

/// The attributes with values in `tag` (a start tag's text after its
/// name, up to its `>`): each from its name to the end of its value, and
/// the value without quotes. Quoted values may hold `>` and spaces.
fn tag_attributes(html: &str, tag: std::ops::Range<usize>) -> impl Iterator<Item = (std::ops::Range<usize>, &str)> {
    let mut at = tag.start;
    std::iter::from_fn(move || loop {
        let rest = &html[at..tag.end];
        let start = at + rest.find(|c: char| !c.is_ascii_whitespace() && c != '/')?;
        let name_len =
            html[start..tag.end].find(|c: char| c.is_ascii_whitespace() || c == '=').unwrap_or(tag.end - start);
        at = start + name_len.max(1);
        let after_name = &html[at..tag.end];
        let Some(value_part) = after_name.trim_start().strip_prefix('=') else {
            continue;
        };
        let value_part = value_part.trim_start();
        let value_start = tag.end - value_part.len();
        let (value, end) = match value_part.chars().next() {
            Some(q @ ('"' | '\'')) => match value_part[1..].find(q) {
                Some(close) => (&value_part[1..1 + close], value_start + close + 2),
                None => return None,
            },
            Some(_) => {
                let len = value_part.find(|c: char| c.is_ascii_whitespace()).unwrap_or(value_part.len());
                (&value_part[..len], value_start + len)
            }
            None => return None,
        };
        at = end;
        return Some((start..end, value));
    })
}

/// A heading id that keeps every script: `Com s'hi arriba?` → `com-shi-arriba`,
/// `نسخ المرايا` → `نسخ-المرايا`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            slug.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-') && !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

pub fn escape_text(s: &str) -> String {
    escape(s, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        _ => None,
    })
}

pub fn escape_attr(s: &str) -> String {
    escape(s, |b| match b {
        b'"' => Some("&quot;"),
        other => text_entity(other),
    })
}

/// A URL put where a token stood after sanitising: [`escape_attr`] (so
/// `<` and `>` too: a token stands as an attribute's value, but one in raw
/// HTML the sanitiser turned into text, a link inside `<textarea>`, ends up
/// in text, where a `<` in a URL's fragment would start a tag), and a
/// no-break space as html5ever writes it, so the result is what the
/// sanitiser would have written.
fn escape_serialized_attr(s: &str) -> String {
    let escaped = escape_attr(s);
    if escaped.contains('\u{a0}') {
        escaped.replace('\u{a0}', "&nbsp;")
    } else {
        escaped
    }
}

/// [`escape_attr`], and single quotes too: for values templates put anywhere.
pub fn escape_html(s: &str) -> String {
    escape(s, |b| match b {
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        other => text_entity(other),
    })
}

fn text_entity(b: u8) -> Option<&'static str> {
    match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        _ => None,
    }
}

/// `s` with the ASCII characters `entity` names replaced, in one pass (an
/// ASCII byte is never part of a longer UTF-8 character, so slicing at it is safe).
fn escape(s: &str, entity: impl Fn(u8) -> Option<&'static str>) -> String {
    // Most values (titles, links, language codes) hold nothing to escape:
    // one scan, one copy. Tera escapes every string a template compares or
    // tests, so this runs hundreds of times a page.
    let Some(first) = first_maybe_special(s.as_bytes()) else {
        return s.to_owned();
    };
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    out.push_str(&s[..first]);
    let mut last = first;
    for (i, b) in s.bytes().enumerate().skip(first) {
        if let Some(replacement) = entity(b) {
            out.push_str(&s[last..i]);
            out.push_str(replacement);
            last = i + 1;
        }
    }
    out.push_str(&s[last..]);
    out
}

/// Index of the first byte of `bytes` any escape here replaces (`&<>"'`),
/// tested a block at a time with plain comparisons and no early exit
/// inside a block, so that the compiler tests a block with a few vector
/// compares. Each escape goes on from there byte by byte.
fn first_maybe_special(bytes: &[u8]) -> Option<usize> {
    const BLOCK: usize = 32;
    let special = |b: u8| {
        u8::from(b == b'&') | u8::from(b == b'<') | u8::from(b == b'>') | u8::from(b == b'"') | u8::from(b == b'\'')
    };
    let mut blocks = bytes.chunks_exact(BLOCK);
    let mut start = 0;
    for block in &mut blocks {
        if block.iter().fold(0, |found, &b| found | special(b)) != 0 {
            break;
        }
        start += BLOCK;
    }
    bytes[start..].iter().position(|&b| special(b) != 0).map(|i| start + i)
}

/// Where `offset` of raw HTML that starts at `at` stands in the file: its
/// lines start at the margin (a block of HTML ends at a blank line, and
/// Markdown does not indent it).
fn position_within(html: &str, offset: usize, at: (usize, usize)) -> (usize, usize) {
    let before = &html[..offset];
    match before.rfind('\n') {
        Some(newline) => (at.0 + before.matches('\n').count(), before[newline + 1..].chars().count() + 1),
        None => (at.0, at.1 + before.chars().count()),
    }
}

/// The start tag holding the attribute at `attribute`, from its `<` (not
/// before `from`) to its `>`, quoted values stepped over; none when the
/// tag does not end in `html`.
fn start_tag_around(html: &str, attribute: &std::ops::Range<usize>, from: usize) -> Option<std::ops::Range<usize>> {
    let start = html[..attribute.start].rfind('<').filter(|&at| at >= from)?;
    let rest = &html[attribute.end..];
    let end = crate::sanitize::tag_end(rest);
    (end < rest.len()).then(|| start..attribute.end + end + 1)
}

/// `tag`, the start tag holding `attribute`, around it.
fn whole_tag(html: &str, tag: std::ops::Range<usize>, attribute: &std::ops::Range<usize>) -> WholeTag {
    let text = &html[tag.clone()];
    let alt = attribute_values(text, "alt").first().map(|(_, value)| value.to_string()).unwrap_or_default();
    WholeTag {
        before: html[tag.start..attribute.start].to_string(),
        after: html[attribute.end..tag.end].to_string(),
        alt,
    }
}

/// The name (lowercase) of the element whose start tag `before` ends inside.
fn element_of(before: &str) -> String {
    let tag = before.rfind('<').map_or("", |at| &before[at + 1..]);
    tag.chars().take_while(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Resolves `*.md` to pages, `#x` to anchors, the rest as external.
    struct Fake;
    impl LinkResolver for Fake {
        fn resolve(&self, destination: &str) -> LinkTarget {
            if let Some(anchor) = destination.strip_prefix('#') {
                return LinkTarget::Anchor(anchor.into());
            }
            match destination.split_once(".md") {
                Some((key, rest)) => LinkTarget::Page {
                    key: key.into(),
                    query: String::new(),
                    anchor: rest.strip_prefix('#').map(Into::into),
                },
                None if destination.starts_with("missing") => LinkTarget::Broken { reason: "missing".into() },
                None => LinkTarget::External(destination.into()),
            }
        }
    }

    fn render_md(body: &str) -> Rendered {
        let highlighter = Highlighter::new();
        let frame_ids = BTreeSet::new();
        render(&Input {
            body,
            first_line: 1,
            resolver: &Fake,
            highlighter: &highlighter,
            labels: &Labels::default(),
            frame_ids: &frame_ids,
        })
    }

    /// A page of headings only is summarised by them, apart; its
    /// facilitator notes' headings too only where the notes are shown, and
    /// text outside headings, wherever it is, still leaves them out.
    #[test]
    fn a_page_of_headings_only_is_summarised_by_its_headings_apart() {
        let only = render_md("# Our   services\n\n## Mail\n\n## Cloud *storage*\n");
        assert_eq!(only.lead(true), "Our services · Mail · Cloud storage");
        assert_eq!(only.lead(false), "Our services · Mail · Cloud storage");
        let notes = render_md("# Workshop\n\n> [!FACILITATOR]\n> ## Timing\n");
        assert_eq!(notes.lead(true), "Workshop · Timing");
        assert_eq!(notes.lead(false), "Workshop");
        let noted = render_md("# Workshop\n\n> [!FACILITATOR]\n> Bring a projector.\n");
        assert_eq!(noted.lead(true), "Bring a projector.");
        assert_eq!(noted.lead(false), "Workshop");
        assert_eq!(render_md("# Mail\n\nRead it.\n\n## Webmail\n").lead(true), "Read it.");
        assert_eq!(render_md("").lead(true), "");
    }

    #[test]
    fn markdown_without_writer_markup_skips_the_sanitiser() {
        let plain =
            "# Title {#t .c}\n\n*a* [b](https://x.org \"t\") [c](page.md) ![d](MAILTO:x@y.org) <https://y.org>\n\n\
                     | a |\n|:-:|\n| b |\n\n- [x] e\n\n> [!NOTE]\n> f\n\n```rust\nfn g() {}\n```\n\ng[^1]\n\n[^1]: h\n";
        assert!(!render_md(plain).needs_sanitizer());
    }

    #[test]
    fn writer_markup_and_unusual_schemes_need_the_sanitiser() {
        for body in [
            "<b>raw</b> inline",
            "<div>\nraw block\n</div>",
            "# Heading {onclick=alert(1)}",
            "# Heading {data-x=1}",
            "[a](javascript:alert(1))",
            "[a](JaVaScRiPt:alert(1))",
            "[a](data:text/html,x)",
            "[a](custom:thing)",
            "[a](<java script:alert(1)>)",
            "![a](vbscript:x)",
        ] {
            assert!(render_md(body).needs_sanitizer(), "{body}");
        }
    }

    fn html(body: &str) -> String {
        render_md(body).html_with(|l| match &l.target {
            LinkTarget::Page { key, anchor, .. } => {
                Some(format!("/{key}/{}", anchor.as_deref().map(|a| format!("#{a}")).unwrap_or_default()))
            }
            LinkTarget::External(u) => Some(u.clone()),
            LinkTarget::Anchor(a) => Some(format!("#{a}")),
            _ => None,
        })
    }

    #[test]
    fn headings_get_unique_unicode_ids_and_a_toc() {
        let r = render_md("# Títol\n\n## Mirall\n\n## Mirall\n\n## نسخ المرايا\n\n## Custom {#rsync}\n");
        let ids: Vec<_> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["títol", "mirall", "mirall-1", "نسخ-المرايا", "rsync"]);
        assert_eq!(r.first_heading.as_deref(), Some("Títol"));
        assert!(html("## Mirall\n").contains("<h2 id=\"mirall\">Mirall</h2>"));
    }

    #[test]
    fn each_escape_replaces_its_own_characters() {
        let raw = "é<中>&\"'x";
        assert_eq!(escape_text(raw), "é&lt;中&gt;&amp;\"'x");
        assert_eq!(escape_attr(raw), "é&lt;中&gt;&amp;&quot;'x");
        assert_eq!(escape_html(raw), "é&lt;中&gt;&amp;&quot;&#39;x");
        assert_eq!(escape_html("plain"), "plain");
    }

    /// The scan for the first byte to escape goes a block of 32 at a time:
    /// a character at any place, in the first block, a later one or the
    /// tail after the last whole block, is found and escaped.
    #[test]
    fn escapes_a_character_wherever_it_stands() {
        for len in [0, 1, 31, 32, 33, 64, 70] {
            for at in 0..len {
                let raw = format!("{}<é{}", "a".repeat(at), "a".repeat(len - at));
                let expected = format!("{}&lt;é{}", "a".repeat(at), "a".repeat(len - at));
                assert_eq!(escape_html(&raw), expected, "`<` at byte {at}");
            }
            let plain = "a".repeat(len);
            assert_eq!(escape_html(&plain), plain);
        }
    }

    #[test]
    fn positions_match_counting_from_the_start_in_any_order() {
        let text = "ab\nçà né\n\nx 中文 y\nlast";
        let naive = |offset: usize| {
            let before = &text[..offset];
            (10 + before.matches('\n').count(), before.rsplit('\n').next().unwrap().chars().count() + 1)
        };
        let offsets: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        let mut positions = Positions::new(text, 10);
        for &offset in offsets.iter().chain(offsets.iter().rev()).chain(offsets.iter().step_by(3)) {
            assert_eq!(positions.at(offset), naive(offset), "offset {offset}");
        }
    }

    #[test]
    fn links_are_resolved_with_their_line_and_column() {
        let r = render_md("Intro\n\nSee [the guide](guide.md#rsync) and [x](missing).\n");
        assert_eq!(r.links.len(), 2);
        assert_eq!((r.links[0].line, r.links[0].column), (3, 5));
        assert_eq!(
            r.links[0].target,
            LinkTarget::Page { key: "guide".into(), query: String::new(), anchor: Some("rsync".into()) }
        );
        let out = html("See [the guide](guide.md#rsync) and [x](missing).\n");
        assert!(out.contains("<a href=\"/guide/#rsync\">the guide</a>"), "{out}");
        assert!(out.contains("<a class=\"broken-link\">x</a>"), "{out}");
    }

    #[test]
    fn autolinks_are_marked_as_showing_their_address_and_emails_become_mailto() {
        let out = html("<https://example.org/a>, [text](https://example.org/b) and <care@example.org>\n");
        assert!(out.contains("<a href=\"https://example.org/a\" class=\"url\">https://example.org/a</a>"), "{out}");
        assert!(out.contains("<a href=\"https://example.org/b\">text</a>"), "{out}");
        assert!(out.contains("<a href=\"mailto:care@example.org\" class=\"url\">care@example.org</a>"), "{out}");
    }

    #[test]
    fn images_keep_alt_text_and_broken_ones_become_text() {
        let out = html("![A *diagram*](missing.png)\n\n![Logo](https://x.example/l.png \"T\")");
        assert!(out.contains("<span class=\"broken-image\">A diagram</span>"), "{out}");
        assert!(out.contains("<img src=\"https://x.example/l.png\" alt=\"Logo\" title=\"T\">"), "{out}");
    }

    #[test]
    fn raw_html_attributes_are_resolved_too() {
        let out = html("<p><a href='guide.md'>g</a> <a href=\"missing-page\">m</a></p>\n");
        assert!(out.contains("href=\"/guide/\""), "{out}");
        assert!(out.contains("<a data-broken-href=\"missing-page\">m</a>"), "{out}");
    }

    /// An attribute after a quoted value holding `>` is still an
    /// attribute of the tag; one whose name merely starts like another's
    /// (`srcset`) is not that one.
    #[test]
    fn raw_html_attributes_after_a_value_holding_a_closing_bracket_are_resolved() {
        let out = html(
            "<p><a title='x > y' href=\"guide.md\">g</a> <img alt=\"a > b\" srcset=\"s.png\" src=\"missing.png\"></p>\n",
        );
        assert!(out.contains("<a title='x > y' href=\"/guide/\">g</a>"), "{out}");
        assert!(out.contains("<span class=\"broken-image\">a &gt; b</span>"), "{out}");
    }

    /// An `<img>` with no `src` is not HTML: a raw one whose file is
    /// missing becomes its alt text, as a Markdown image does, and one
    /// found keeps every other attribute as written.
    #[test]
    fn a_raw_html_image_whose_file_is_missing_becomes_its_alt_text() {
        let out = html(
            "<p>See <IMG class=\"shot\"\n  src=\"missing.png\" alt='A &amp; \"B\" > C' width=3> and \
             <img alt=\"x\" src=\"pic.png\" title=\"a > b\"> and <img src=missing2.png></p>\n",
        );
        assert!(out.contains("See <span class=\"broken-image\">A &amp; \"B\" &gt; C</span> and"), "{out}");
        assert!(out.contains("<img alt=\"x\" src=\"pic.png\" title=\"a > b\">"), "{out}");
        assert!(out.contains("and <span class=\"broken-image\"></span></p>"), "{out}");
        assert!(!out.contains("broken-src"), "{out}");
    }

    #[test]
    fn an_attribute_name_inside_another_attributes_value_stays_text() {
        let r = render_md("<vid src=\"< href=x\">a\n");
        assert_eq!(r.links.len(), 1, "{:?}", r.links);
        assert_eq!(r.links[0].destination, "< href=x");
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let out = html("```rust\nfn main() {}\n```\n");
        assert!(
            out.contains("<pre class=\"code\" data-lang=\"rust\" tabindex=\"0\"><code class=\"language-rust\">"),
            "{out}"
        );
        assert!(out.contains("hl-"), "{out}");
        let plain = html("```nosuchlang\n<b>\n```\n");
        assert!(plain.contains("&lt;b&gt;"), "{plain}");
    }

    #[test]
    fn alerts_become_labelled_notes() {
        let out = html("> [!WARNING]\n> Back up first.\n");
        assert!(out.contains("<div class=\"alert alert-warning\" role=\"note\">"), "{out}");
        assert!(out.contains("<p class=\"alert-title\">Warning</p>"), "{out}");
        assert!(out.contains("Back up first."), "{out}");
    }

    #[test]
    fn table_alignment_uses_classes_not_styles() {
        let out = html("| a | b |\n|:-:|--:|\n| 1 | 2 |\n");
        assert!(
            out.contains("<th class=\"align-center\">a</th>") && out.contains("<td class=\"align-right\">2</td>"),
            "{out}"
        );
        assert!(!out.contains("style="), "{out}");
        assert!(out.starts_with("<div class=\"table-scroll\" tabindex=\"0\">\n<table>"), "{out}");
        assert!(out.trim_end().ends_with("</table>\n</div>"), "{out}");
        let cleaned = crate::sanitize::clean(&out);
        assert!(cleaned.contains("<div class=\"table-scroll\" tabindex=\"0\">"), "{cleaned}");
    }

    #[test]
    fn unsafe_raw_html_is_noted_with_its_line() {
        let r = render_md("Fine\n\n<div onclick=\"x()\">\n<script>alert(1)</script>\n</div>\n");
        let found: Vec<_> = r.unsafe_html.iter().map(|(l, _, w)| (*l, w.as_str())).collect();
        assert_eq!(found, [(3, "onclick handler on <div>"), (4, "<script> element")]);
        let columns: Vec<_> = r.unsafe_html.iter().map(|(_, c, _)| *c).collect();
        assert_eq!(columns, [1, 1]);
    }

    #[test]
    fn deeply_nested_notes_stop_nesting() {
        let mut body = String::from("x\n");
        for depth in (0..10).rev() {
            let fence = "`".repeat(3 + depth);
            body = format!("{fence}facilitator\n{body}{fence}\n");
        }
        let out = render_md(&body).html_with(|_| None);
        assert_eq!(out.matches("<aside").count(), MAX_NESTED_NOTES, "{out}");
    }

    #[test]
    fn gfm_extensions_are_on() {
        let out = html("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ \"quoted\"\n\nTerm\n: Definition\n\nNote[^1]\n\n[^1]: The note.\n");
        for needle in ["<table>", "type=\"checkbox\"", "<del>old</del>", "“quoted”", "<dl>", "footnote-definition"]
        {
            assert!(out.contains(needle), "missing {needle} in {out}");
        }
    }

    #[test]
    fn facilitator_blocks_render_markdown_in_an_aside() {
        let r = render_md("Text\n\n```facilitator\nGive people **time**. See [g](guide.md).\n```\n");
        let out = r.html_with(|_| Some("/g/".into()));
        assert!(out.contains("<aside class=\"facilitator\""), "{out}");
        assert!(out.contains("<strong>time</strong>"), "{out}");
        assert_eq!(r.links[0].line, 4);
    }

    #[test]
    fn facilitator_alerts_are_notes_too() {
        let r = render_md(
            "Intro\n\n> [!FACILITATOR]\n> Keep it **hypothetical**.\n\n> [!facilitator]\n>\n> Second.\n\n> A quote.\n",
        );
        let out = r.html_with(|_| None);
        assert_eq!(out.matches("<aside class=\"facilitator\"").count(), 2, "{out}");
        assert!(out.contains("<p>Keep it <strong>hypothetical</strong>.</p>"), "{out}");
        assert!(!out.contains("[!"), "{out}");
        assert!(out.contains("<blockquote>\n<p>A quote.</p>\n</blockquote>"), "{out}");
    }

    #[test]
    fn participants_copies_leave_facilitator_notes_out() {
        let r = render_md(
            "Before [a](guide.md).\n\n```facilitator\nSecret [b](guide.md) tip.\n```\n\n> [!FACILITATOR]\n> Other note.\n\nAfter [c](guide.md).\n",
        );
        let mut asked = Vec::new();
        let out = r.html_for(false, |l| {
            asked.push(l.destination.clone());
            Href::To("x/".into())
        });
        assert!(!out.contains("Secret") && !out.contains("Other note") && !out.contains("aside"), "{out}");
        assert!(out.contains("Before") && out.contains("After"), "{out}");
        assert_eq!(out.matches("<a href=").count(), 2, "{out}");
        assert!(!out.contains(['\u{E002}', '\u{E003}']), "markers never reach the output");
        let full = r.html_for(true, |_| Href::To("x/".into()));
        assert!(full.contains("Secret") && full.contains("Other note"));
        assert!(!full.contains(['\u{E002}', '\u{E003}']));
        assert_eq!(r.text_without_facilitator_notes(), "Before a. After c.");
        assert!(r.text.contains("Secret b tip."));
    }

    #[test]
    fn links_outside_an_output_are_marked() {
        let r = render_md("See [the guide](guide.md) and [x](other.md).\n");
        let note = Note { text: "Not in this pack".into(), languages: None };
        let out = r.html_for(true, |l| {
            if l.destination == "guide.md" {
                Href::Outside { url: Some("https://example.org/en/guide/".into()), note: note.clone() }
            } else {
                Href::Outside { url: None, note: note.clone() }
            }
        });
        assert!(out.contains("<a class=\"outside-link\" href=\"https://example.org/en/guide/\" title=\"Not in this pack\">the guide</a>"), "{out}");
        assert!(out.contains("<a class=\"outside-link\" title=\"Not in this pack\">x</a>"), "{out}");
    }

    /// A note in another language than the link's text names its language
    /// on the link, and the text gets its own back in a span closed with it;
    /// links around it close as usual.
    #[test]
    fn a_note_in_another_language_marks_the_link_and_gives_the_text_its_own() {
        let r = render_md("[a](guide.md) [b](other.md) [c](guide.md)\n");
        let languages = Some((" lang=\"en\" dir=\"ltr\"".to_string(), " lang=\"ar\" dir=\"rtl\"".to_string()));
        let out = r.html_for(true, |l| match l.destination.as_str() {
            "other.md" => Href::Outside {
                url: None,
                note: Note { text: "Not in this pack".into(), languages: languages.clone() },
            },
            _ => Href::To("x/".into()),
        });
        assert_eq!(
            out,
            "<p><a href=\"x/\">a</a> <a class=\"outside-link\" title=\"Not in this pack\" lang=\"en\" dir=\"ltr\"><span lang=\"ar\" dir=\"rtl\">b</span></a> <a href=\"x/\">c</a></p>\n"
        );
    }

    #[test]
    fn facilitator_ranges_cover_blocks_and_alerts() {
        let body = "Keep.\n\n```facilitator\nNotes.\n```\n\n> [!FACILITATOR]\n> More.\n\nAlso keep.\n";
        let mut kept = String::new();
        let mut at = 0;
        for range in facilitator_ranges(body) {
            kept.push_str(&body[at..range.start]);
            at = range.end;
        }
        kept.push_str(&body[at..]);
        assert!(kept.starts_with("Keep.\n") && kept.ends_with("\nAlso keep.\n"), "{kept:?}");
        assert!(!kept.contains("Notes") && !kept.contains("More") && !kept.contains('>'), "{kept:?}");
    }

    #[test]
    fn text_and_words_are_collected() {
        let r = render_md("# Hola\n\nUn dos tres.\n\n```sh\necho hi\n```\n");
        assert!(r.text.contains("Un dos tres."));
        assert_eq!(count_words("数据 保护 and more"), 6);
    }

    #[test]
    fn placeholder_characters_a_writer_typed_are_dropped_from_text_and_html() {
        let r = render_md(
            "Typed \u{E000}0\u{E001} here, `code \u{E002}` and \u{E003}é.\n\n```sh\necho \u{E000}0\u{E001}\n```\n",
        );
        for (what, out) in [("text", &r.text), ("html", &r.html)] {
            assert!(!out.contains(is_marker), "{what}: {out:?}");
        }
        assert!(r.text.contains("Typed 0 here, code"), "{:?}", r.text);
        assert!(r.text.contains("and é."), "{:?}", r.text);
        assert!(!has_marker("é and 数据 and \u{F000}") && has_marker("a\u{E001}"));
    }

    #[test]
    fn placeholder_characters_a_writer_typed_are_dropped_from_an_image_description() {
        // The image itself becomes a link placeholder in the HTML; its text keeps the description.
        let r = render_md("![alt \u{E001}text](a.png)\n");
        assert!(r.text.contains("alt text") && !r.text.contains(is_marker), "{:?}", r.text);
    }

    #[test]
    fn markers_are_found_where_find_finds_them() {
        for marker in [OPEN, CLOSE, NOTES_OPEN, NOTES_CLOSE] {
            assert_eq!(marker.to_string().as_bytes()[0], MARKER_LEAD_BYTE);
        }
        // Other characters starting with 0xEE, and letters whose UTF-8 holds
        // 0x80, before and after one marker, or none.
        let plain = ["a", "À", "\u{E004}", "\u{EFFF}", "—", "数", "é", "\u{E001}"];
        for n in 0..120 {
            let before: String = (0..n).map(|i| plain[(i * 5 + n) % plain.len()]).collect();
            for marker in [None, Some(OPEN), Some(NOTES_OPEN), Some(NOTES_CLOSE)] {
                let text = format!("{before}{}{before}", marker.map(String::from).unwrap_or_default());
                for markers in [&[OPEN][..], &[OPEN, NOTES_OPEN, NOTES_CLOSE][..]] {
                    assert_eq!(find_marker(&text, markers), text.find(markers), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn words_count_each_cjk_character_and_every_other_run_once() {
        // Runs of two-byte letters, Arabic, and punctuation past U+3000 that is not CJK.
        assert_eq!(count_words("naïve café\u{00A0}Ünïcödé—dash"), 3);
        assert_eq!(count_words("مرحبا بالعالم"), 2);
        assert_eq!(count_words("「」 ・"), 2);
        // CJK characters each, plus one for the Latin letters or digits beside them.
        assert_eq!(count_words("日本語abc 한국어 42漢字"), 3 + 1 + 3 + 2 + 1);
        assert_eq!(count_words("日本語、"), 3);
        assert_eq!(count_words("\u{3000}全角\u{3000}"), 2);
    }

    #[test]
    fn slugs_keep_letters_of_every_script() {
        assert_eq!(slugify("Com s'hi arriba?"), "com-shi-arriba");
        assert_eq!(slugify("  Hello,  World!  "), "hello-world");
        assert_eq!(slugify("数据保护"), "数据保护");
    }
}
