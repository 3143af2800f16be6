//! The browser's search index, exported from each language's tantivy index:
//! a small manifest of term ranges, term shards of about 4 KB (sorted terms,
//! document deltas, one quantised BM25 impact per posting, titles boosted;
//! a term on most pages keeps only its best pages), tail shards of about
//! 2 KB (the terms alone, written backwards, read only for a word on no
//! page), inner shards of about 1 KB and their table (terms keyed by all but
//! their first two letters, and by all but their last two backwards, read
//! only for a long word on no page that neither corrects), and document records in files of 4. Every file is a classic script that calls a registration
//! function, so it loads from `file://` too (the analyzer also comes as a
//! binary module for HTTP); shard and record names are content hashes, so
//! mirrors may cache them forever.

use crate::error::CollectInOrder;
use std::collections::BTreeMap;
use std::fmt::Write;

use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, TantivyDocument};

use crate::error::{Error, Result};
use crate::output::{fingerprint, Artifact};

/// Weight of a title match against a body match.
pub const TITLE_BOOST: f32 = 2.0;
/// What a query covering a page's whole title adds to its score (see `title_share`).
pub const TITLE_SHARE: f32 = 4.0;
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Target size of a term shard, in bytes: a query loads one per word.
const SHARD_BYTES: usize = 4 * 1024;
/// Target size of a tail shard (terms only, written backwards): a word on
/// no page loads one, to find the terms closest to it by their ends.
const TAIL_BYTES: usize = 2 * 1024;
/// Target size of an inner shard (terms keyed by all but their first
/// letters, or by all but their last ones): a word on no page whose closest
/// words neither its term shard nor its tail shard holds loads up to three
/// of each kind, to find a word it differs from at both ends.
const INNER_BYTES: usize = 1024;
/// Letters an inner shard's key leaves out at the start (or the end) of a term.
const INNER_DROPPED: usize = 2;
/// The shortest term in an inner shard: words of 8 letters or more are
/// corrected by two edits (`query::close_terms`), so to 6 letters at least;
/// shorter words by one, at one end or the other, which the term and tail
/// shards find.
const INNER_MIN_LETTERS: usize = 6;
/// Documents per record file: a query loads the records of its first results
/// only, so small files waste least.
const RECORDS_PER_CHUNK: usize = 4;
/// Record files that share one hash in their names: the manifest lists one
/// hash per group, and a changed page renames its group's files only.
const CHUNKS_PER_GROUP: usize = 16;
/// A term in more than this share of a language's documents is common: its
/// full postings would be the largest download and rank little, so only its
/// best documents are shipped (pages with the word in their title first).
const COMMON_SHARE: f32 = 0.5;
const MIN_DOCS_FOR_COMMON: u32 = 10;
/// How many documents a common term keeps: a quarter of the language's, at most this
/// (enough for the best results of the term alone and with other common ones).
const COMMON_KEEP: usize = 160;

/// Digits of the compact number encoding: 32 final digits, 32 continuation digits.
const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ-_$~.!";

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ExportStats {
    pub lang: String,
    pub docs: usize,
    pub terms: usize,
    /// Common terms, shipped with their best documents only.
    pub truncated: usize,
    /// Common CJK terms (characters and pairs, which readers type as
    /// words): their best documents, then the rest as the documents that
    /// lack them, so the browser finds every page holding them.
    #[serde(default)]
    pub complete_cjk: usize,
    pub shards: usize,
    pub bytes: usize,
}

/// A language's export: its files and what they hold.
pub struct Export {
    pub artifacts: Vec<Artifact>,
    pub stats: ExportStats,
}

/// A document's score for a term (before quantisation), and whether the term is in its title.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Posting {
    score: f32,
    in_title: bool,
}

/// Postings of each term: document → posting.
type Scores = BTreeMap<String, BTreeMap<u32, Posting>>;

/// Every language's browser index, and the analyzer modules they need.
/// `index_of` makes a language's tantivy index, and the task that made it
/// exports it: a language done early does not wait for the others.
pub fn export_all(
    langs: &[String],
    index_of: &(dyn Fn(&str) -> Result<Index> + Sync),
) -> Result<(Vec<Artifact>, Vec<ExportStats>)> {
    use rayon::prelude::*;
    let analyzers = Analyzers::of(langs)?;
    let exports: Vec<Export> =
        langs.par_iter().map(|lang| analyzers.export(lang, &index_of(lang)?)).collect_in_order()?;
    let mut artifacts = analyzers.files;
    let mut stats = Vec::new();
    for export in exports {
        artifacts.extend(export.artifacts);
        stats.push(export.stats);
    }
    Ok((artifacts, stats))
}

/// The analyzers a site's languages search with: each one's files once,
/// and where its script is.
pub struct Analyzers {
    /// Each analyzer's script and WebAssembly module (`search/…`).
    pub files: Vec<Artifact>,
    /// Analyzer name → its script's file name in `search/`.
    scripts: BTreeMap<&'static str, String>,
}

impl Analyzers {
    pub fn of(langs: &[String]) -> Result<Analyzers> {
        let mut files = Vec::new();
        let mut scripts = BTreeMap::new();
        for lang in langs {
            let (name, file, artifact) = analyzer_artifact(lang)?;
            if let std::collections::btree_map::Entry::Vacant(entry) = scripts.entry(name) {
                files.push(artifact);
                // Over HTTP the browser fetches the module itself: smaller than its script.
                files.push(Artifact::bytes(
                    format!("search/{}", analyzer_binary_name(&file)),
                    analyzer_wasm(name)?.to_vec(),
                ));
                entry.insert(file);
            }
        }
        Ok(Analyzers { files, scripts })
    }

    /// A language's browser index, exported from its tantivy index.
    pub fn export(&self, lang: &str, index: &Index) -> Result<Export> {
        let name = analyzer_name(lang);
        export_language(lang, index, name, &self.scripts[name])
    }

    /// The script of `lang`'s analyzer (what an offline bundle carries: a
    /// page opened from disk cannot fetch the module).
    pub fn script_of(&self, lang: &str) -> Option<&Artifact> {
        let file = self.scripts.get(analyzer_name(lang))?;
        self.files.iter().find(|a| a.path.strip_prefix("search/") == Some(file.as_str()))
    }
}

/// Name of the analyzer (its stemmer) a language's search runs.
pub fn analyzer_name(lang: &str) -> &'static str {
    infrared_analyzer::Analyzer::for_language(lang).stemmer_name().unwrap_or("plain")
}

/// The browser's analyzer for `lang`: (name, file name in `search/`, its artifact).
pub fn analyzer_artifact(lang: &str) -> Result<(&'static str, String, Artifact)> {
    let name = analyzer_name(lang);
    let wasm = analyzer_wasm(name)?;
    let (file, bytes) = analyzer_script(name, wasm);
    let artifact = Artifact::bytes(format!("search/{file}"), bytes);
    Ok((name, file, artifact))
}

/// The committed WebAssembly module of the analyzer `name`.
fn analyzer_wasm(name: &str) -> Result<&'static [u8]> {
    crate::embedded::ANALYZER_WASM
        .iter()
        .find(|(file, _)| *file == format!("{name}.wasm"))
        .map(|(_, bytes)| *bytes)
        .ok_or_else(|| {
            Error::input(
                format!("crates/analyzer/wasm/{name}.wasm"),
                None,
                "the search analyzer for this language was not built",
                "run scripts/build-analyzer-wasm",
            )
        })
}

pub fn export_language(lang: &str, index: &Index, analyzer_name: &str, analyzer_file: &str) -> Result<Export> {
    let fail =
        |e: tantivy::TantivyError| Error::io(format!("search index ({lang})"), std::io::Error::other(e.to_string()));
    let reader = index.reader().map_err(fail)?;
    let searcher = reader.searcher();
    let (_, fields) = super::schema(lang);
    let mut scores: Scores = BTreeMap::new();
    let mut records = Vec::new();
    if let Some(segment) = searcher.segment_readers().first() {
        let docs = segment.max_doc();
        for (field, in_title) in [(fields.body, false), (fields.title, true)] {
            add_field_scores(segment, field, in_title, docs, &mut scores).map_err(fail)?;
        }
        let store = segment.get_store_reader(64).map_err(|e| fail(e.into()))?;
        for doc in 0..docs {
            let stored: TantivyDocument = store.get(doc).map_err(fail)?;
            let text = |f| stored.get_first(f).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            records.push([text(fields.url), text(fields.title), text(fields.summary)]);
        }
    }
    add_cjk_characters(&mut scores);
    Ok(write_files(lang, records, scores, serde_json::json!({ "name": analyzer_name, "file": analyzer_file })))
}

/// A line for each CJK character, listing every page with a term holding
/// it, each scored by its best such term. CJK text is indexed as pairs, and
/// the browser looks a character typed alone up as a term of its own (the
/// native query finds the same pages: `query::character_query`). A
/// character's own term, where it stood alone, is one of those it replaces.
fn add_cjk_characters(scores: &mut Scores) {
    let mut characters: Scores = BTreeMap::new();
    for (term, postings) in scores.iter().filter(|(term, _)| super::is_cjk_term(term)) {
        for character in term.chars() {
            let line = characters.entry(character.to_string()).or_default();
            for (&doc, posting) in postings {
                let best = line.entry(doc).or_default();
                best.score = best.score.max(posting.score);
                best.in_title |= posting.in_title;
            }
        }
    }
    scores.extend(characters);
}

/// What a word adds to a page with it in its title, beyond BM25: the
/// title's share it covers (`TITLE_SHARE` for a whole title, shared among
/// its words), so a page titled with just the words searched for ("Cloud")
/// ranks above pages whose longer titles hold them ("Cloud: Settings") and
/// whose long bodies repeat them. `length` is the title's number of words
/// (its field norm); the native search adds the same (`ranking::PartQuery`).
pub fn title_share(length: f32) -> f32 {
    TITLE_SHARE / length.max(1.0)
}

fn add_field_scores(
    segment: &tantivy::SegmentReader,
    field: tantivy::schema::Field,
    in_title: bool,
    docs: u32,
    scores: &mut Scores,
) -> tantivy::Result<()> {
    use tantivy::postings::Postings;
    use tantivy::DocSet;
    let inverted = segment.inverted_index(field)?;
    let norms = segment.get_fieldnorms_reader(field)?;
    let boost = if in_title { TITLE_BOOST } else { 1.0 };
    let average = (inverted.total_num_tokens() as f32 / docs.max(1) as f32).max(1.0);
    let mut terms = inverted.terms().stream()?;
    while terms.advance() {
        let Ok(term) = std::str::from_utf8(terms.key()) else {
            continue;
        };
        let info = terms.value().clone();
        let df = info.doc_freq as f32;
        let idf = (1.0 + (docs as f32 - df + 0.5) / (df + 0.5)).ln();
        let mut postings = inverted.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
        let entry = scores.entry(term.to_string()).or_default();
        let mut doc = postings.doc();
        while doc != tantivy::TERMINATED {
            let tf = postings.term_freq() as f32;
            let length = norms.fieldnorm(doc) as f32;
            let bm25 = idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * length / average));
            let posting = entry.entry(doc).or_default();
            posting.score += boost * bm25;
            if in_title {
                posting.score += title_share(length);
            }
            posting.in_title |= in_title;
            doc = postings.advance();
        }
    }
    Ok(())
}

fn write_files(lang: &str, records: Vec<[String; 3]>, scores: Scores, analyzer: serde_json::Value) -> Export {
    let docs = records.len() as u32;
    let cut = common_cut(docs);
    let max = scores.values().flat_map(|p| p.values()).fold(0f32, |a, b| a.max(b.score));
    let mut terms: Vec<(&String, &BTreeMap<u32, Posting>)> = scores.iter().collect();
    // Shards are searched in the browser with JavaScript's string order (UTF-16).
    terms.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    let mut artifacts = Vec::new();
    let mut shard_list = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let mut size = 0;
    let mut truncated = 0;
    let mut complete_cjk = 0;
    let mut previous_last: Option<&str> = None;
    for (term, postings) in &terms {
        let line = match cut {
            Some((common, keep)) if postings.len() > common => {
                let best = best_postings(postings, keep);
                let shipped = encode_postings(&best, max);
                if super::is_cjk_term(term) {
                    complete_cjk += 1;
                    let rest = encode_rest(postings, &best, docs, max);
                    format!("{term}\t{shipped}\t{}\t{rest}", postings.len())
                } else {
                    truncated += 1;
                    format!("{term}\t{shipped}\t{}", postings.len())
                }
            }
            _ => format!("{term}\t{}", encode_postings(postings, max)),
        };
        size += line.len() + 1;
        lines.push(line);
        if size >= SHARD_BYTES {
            shard_list.push(shard_file(lang, shard_list.len(), &lines, previous_last, &mut artifacts));
            previous_last = Some(String::as_str(term));
            lines.clear();
            size = 0;
        }
    }
    if !lines.is_empty() {
        shard_list.push(shard_file(lang, shard_list.len(), &lines, previous_last, &mut artifacts));
    }
    let tails = tail_files(lang, &terms, &mut artifacts);
    inner_files(lang, &terms, &mut artifacts);
    let record_groups = record_files(lang, &records, &mut artifacts);
    let manifest = serde_json::json!({
        "version": 2,
        "lang": lang,
        "docs": docs,
        "chunk": RECORDS_PER_CHUNK,
        "group": CHUNKS_PER_GROUP,
        "analyzer": analyzer,
        "shards": shard_list,
        "tails": tails,
        "records": record_groups,
    });
    let manifest = format!("__IR.manifest({},{manifest});\n", json(lang));
    artifacts.push(Artifact::bytes(format!("search/{lang}/manifest.js"), manifest));
    let stats = ExportStats {
        lang: lang.to_string(),
        docs: docs as usize,
        terms: terms.len(),
        truncated,
        complete_cjk,
        shards: shard_list.len(),
        bytes: artifacts
            .iter()
            .map(|a| match &a.contents {
                crate::output::Contents::Bytes(b) => b.len(),
                crate::output::Contents::Copy(_) => 0,
            })
            .sum(),
    };
    Export { artifacts, stats }
}

/// For a language of `docs` documents: from how many documents on a term is
/// common, and how many it keeps (`None`: too small for any term to be common).
fn common_cut(docs: u32) -> Option<(usize, usize)> {
    (docs >= MIN_DOCS_FOR_COMMON)
        .then(|| ((docs as f32 * COMMON_SHARE) as usize, (docs as usize / 4).clamp(1, COMMON_KEEP)))
}

/// The `keep` best postings of a common term, titles first, then by score; in document order.
fn best_postings(postings: &BTreeMap<u32, Posting>, keep: usize) -> BTreeMap<u32, Posting> {
    let mut ranked: Vec<(&u32, &Posting)> = postings.iter().collect();
    ranked.sort_by(|a, b| b.1.in_title.cmp(&a.1.in_title).then(b.1.score.total_cmp(&a.1.score)).then(a.0.cmp(b.0)));
    ranked.into_iter().take(keep).map(|(&doc, &posting)| (doc, posting)).collect()
}

/// The documents of a common term beyond its `best`, for a term the
/// browser must find everywhere: one impact digit they all share (the
/// highest among them, which ranks them after the best ones), then the
/// documents of the language that lack the term (fewer than half of them:
/// the term is common), as gaps. Every other document holds the term.
fn encode_rest(postings: &BTreeMap<u32, Posting>, best: &BTreeMap<u32, Posting>, docs: u32, max: f32) -> String {
    let rest = postings.iter().filter(|(doc, _)| !best.contains_key(doc));
    let shared = rest.map(|(_, posting)| impact(posting.score, max)).max().unwrap_or(1);
    let mut out = String::with_capacity(1 + docs as usize - postings.len());
    out.push(DIGITS[shared as usize] as char);
    let mut previous = 0;
    for doc in (0..docs).filter(|doc| !postings.contains_key(doc)) {
        push_number(&mut out, doc - previous);
        previous = doc;
    }
    out
}

/// `[key, hash]` of a shard (its file, `s-HASH.js`, is added to `artifacts`):
/// the key is the shortest start of its first term that sorts after the
/// previous shard's last term, so the browser's search for the greatest key
/// not after a term still finds the shard that would hold it.
fn shard_file(
    lang: &str,
    number: usize,
    lines: &[String],
    previous_last: Option<&str>,
    artifacts: &mut Vec<Artifact>,
) -> [String; 2] {
    let term = |line: &String| line.split('\t').next().unwrap_or_default().to_string();
    let first = term(&lines[0]);
    let key = match previous_last {
        Some(last) => shortest_key_after(&first, last),
        None => String::new(),
    };
    let body = format!("__IR.shard({},{number},{});\n", json(lang), json(&lines.join("\n")));
    let hash = fingerprint(body.as_bytes());
    artifacts.push(Artifact::bytes(format!("search/{lang}/s-{hash}.js"), body));
    [key, hash]
}

/// The shortest start of `first` that sorts after `last` in UTF-16 order (`first` does).
fn shortest_key_after(first: &str, last: &str) -> String {
    let mut key = String::new();
    for c in first.chars() {
        key.push(c);
        if key.encode_utf16().cmp(last.encode_utf16()) == std::cmp::Ordering::Greater {
            break;
        }
    }
    key
}

/// The terms a misspelt word may be closest to (none in Chinese, Japanese
/// or Korean, none shorter than 2 letters), each written backwards, sorted
/// and cut into tail shards (`t-HASH.js`, keyed as term shards are);
/// returns their `[key, hash]`s. A slip in a word's first letters
/// ("hunderbird") sends it to another term shard than the word meant, but
/// its end to the tail shard holding that word's end: the browser reads the
/// two (`closeTerms` in search.js) as the native search reads every term.
/// Each line is the number of letters (UTF-16 units) it shares with the
/// line before (one digit, at most 63), then the rest.
fn tail_files(
    lang: &str,
    terms: &[(&String, &BTreeMap<u32, Posting>)],
    artifacts: &mut Vec<Artifact>,
) -> Vec<[String; 2]> {
    let mut tails: Vec<Vec<u16>> = terms
        .iter()
        .map(|(term, _)| String::as_str(term))
        .filter(|term| term.chars().nth(1).is_some() && !term.chars().any(infrared_analyzer::is_cjk))
        .map(|term| term.chars().rev().collect::<String>().encode_utf16().collect())
        .collect();
    tails.sort();
    let tails: Vec<(Vec<u16>, String)> = tails.into_iter().map(|tail| (tail, String::new())).collect();
    front_coded_shards(lang, ("tail", "t"), &tails, TAIL_BYTES, artifacts)
}

/// How many UTF-16 units `a` and `b` begin with alike, at most `most`,
/// ending on a whole character (a pair of surrogates is not split).
fn common_prefix(a: &[u16], b: &[u16], most: usize) -> usize {
    let mut n = a.iter().zip(b).take_while(|(x, y)| x == y).count().min(most);
    while n > 0 && n < b.len() && (0xDC00..0xE000).contains(&b[n]) {
        n -= 1;
    }
    n
}

/// The terms a word misspelt at both ends may be closest to (at least
/// `INNER_MIN_LETTERS` letters, none in Chinese, Japanese or Korean), keyed
/// twice by an inner part, each way sorted by it and cut into shards of
/// their own: all but their first `INNER_DROPPED` letters ("thunderbird" by
/// "underbird", in `i-HASH.js`), and all but their last ones, written
/// backwards (by "ibrednuht", in `f-HASH.js`). The two lists of
/// `[key, hash]`s, keyed as term shards are, go to `inner.js`, which only a
/// query needing them loads, so the manifest every query loads stays as it
/// was. "hunderbirb" is in neither the term shard nor the tail shard of
/// "thunderbird", but its letters after the first ("underbirb") begin as
/// the first key does; "thnuderbirb" (a slip past its second letter) has
/// its letters before its last two, backwards ("ibredunht"), begin as the
/// second does. The browser looks a word's inner parts up dropping one,
/// two and three letters, for a letter missing, changed or added at that
/// end (`innerLike` in search.js), the start first. Each line is the two
/// letters left out (as written), the number of letters (UTF-16 units)
/// its key shares with the line before (one digit, at most 63), then the
/// rest of the key.
fn inner_files(lang: &str, terms: &[(&String, &BTreeMap<u32, Posting>)], artifacts: &mut Vec<Artifact>) {
    let long: Vec<&str> = terms
        .iter()
        .map(|(term, _)| String::as_str(term))
        .filter(|term| {
            term.chars().nth(INNER_MIN_LETTERS - 1).is_some() && !term.chars().any(infrared_analyzer::is_cjk)
        })
        .collect();
    let mut tables = Vec::new();
    for (end, call, prefix) in [(false, "inner", "i"), (true, "front", "f")] {
        let mut keyed: Vec<(Vec<u16>, String)> = long.iter().map(|term| inner_key(term, end)).collect();
        keyed.sort();
        let files = front_coded_shards(lang, (call, prefix), &keyed, INNER_BYTES, artifacts);
        tables.push(serde_json::to_string(&files).unwrap_or_default());
    }
    artifacts.push(Artifact::bytes(
        format!("search/{lang}/inner.js"),
        format!("__IR.innerTable({},{});\n", json(lang), tables.join(",")),
    ));
}

/// A term's inner key (UTF-16) and the letters it leaves out: from its
/// start, all but its first `INNER_DROPPED` letters ("underbird", "th");
/// from its `end`, all but its last ones, backwards ("ibrednuht", "rd").
fn inner_key(term: &str, end: bool) -> (Vec<u16>, String) {
    let at = if end { term.chars().count().saturating_sub(INNER_DROPPED) } else { INNER_DROPPED };
    let cut = term.char_indices().nth(at).map_or(term.len(), |(at, _)| at);
    if end {
        (term[..cut].chars().rev().collect::<String>().encode_utf16().collect(), term[cut..].to_string())
    } else {
        (term[cut..].encode_utf16().collect(), term[..cut].to_string())
    }
}

/// `entries` (sorted by key, each with the text its line starts with) cut
/// into shards of about `shard_bytes` (`search/LANG/PREFIX-HASH.js`, each
/// calling `__IR.CALL`), keyed as term shards are; returns their
/// `[key, hash]`s. Each line is its lead, the number of letters (UTF-16
/// units) its key shares with the line before (one digit, at most 63),
/// then the rest of the key. Lines of one key stay in one shard: the
/// lookup finds its first.
fn front_coded_shards(
    lang: &str,
    (call, prefix): (&str, &str),
    entries: &[(Vec<u16>, String)],
    shard_bytes: usize,
    artifacts: &mut Vec<Artifact>,
) -> Vec<[String; 2]> {
    let mut files = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let mut size = 0;
    let mut previous: &[u16] = &[];
    let mut previous_last: Option<String> = None;
    for (i, (key, lead)) in entries.iter().enumerate() {
        let shared = if lines.is_empty() { 0 } else { common_prefix(previous, key, 63) };
        let line = format!("{lead}{}{}", DIGITS[shared] as char, String::from_utf16_lossy(&key[shared..]));
        size += line.len() + 1;
        lines.push(line);
        previous = key;
        let last_of_key = entries.get(i + 1).is_none_or(|(next, _)| next != key);
        if last_of_key && size >= shard_bytes || i + 1 == entries.len() {
            let first = String::from_utf16_lossy(&entries[i + 1 - lines.len()].0);
            let start = previous_last.as_deref().map_or_else(String::new, |last| shortest_key_after(&first, last));
            let body = format!("__IR.{call}({},{},{});\n", json(lang), files.len(), json(&lines.join("\n")));
            let hash = fingerprint(body.as_bytes());
            artifacts.push(Artifact::bytes(format!("search/{lang}/{prefix}-{hash}.js"), body));
            files.push([start, hash]);
            previous_last = Some(String::from_utf16_lossy(key));
            lines.clear();
            size = 0;
        }
    }
    files
}

/// Records in files of `RECORDS_PER_CHUNK` (`r-GROUPHASH-CHUNK.js`); returns each group's hash.
fn record_files(lang: &str, records: &[[String; 3]], artifacts: &mut Vec<Artifact>) -> Vec<String> {
    let bodies: Vec<String> = records
        .chunks(RECORDS_PER_CHUNK)
        .enumerate()
        .map(|(chunk, rows)| {
            format!("__IR.records({},{chunk},{});\n", json(lang), serde_json::to_string(rows).unwrap_or_default())
        })
        .collect();
    bodies
        .chunks(CHUNKS_PER_GROUP)
        .enumerate()
        .map(|(group, bodies)| {
            let hash = fingerprint(bodies.concat().as_bytes());
            for (i, body) in bodies.iter().enumerate() {
                let chunk = group * CHUNKS_PER_GROUP + i;
                artifacts.push(Artifact::bytes(format!("search/{lang}/r-{hash}-{chunk}.js"), body.clone()));
            }
            hash
        })
        .collect()
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// Document deltas and impacts: for each posting, the gap to the previous
/// document as a variable-length number, then one digit of impact (1–63,
/// logarithmic in the BM25 score so small differences still rank).
fn encode_postings(postings: &BTreeMap<u32, Posting>, max: f32) -> String {
    let mut out = String::with_capacity(postings.len() * 2);
    let mut previous = 0;
    for (&doc, posting) in postings {
        push_number(&mut out, doc - previous);
        previous = doc;
        out.push(DIGITS[impact(posting.score, max) as usize] as char);
    }
    out
}

/// The scale impacts are on before they are quantised, which native
/// search ranks by too (`ranking`): a page's score grows slower than its
/// count of a word, so two words it holds outweigh one it repeats.
pub fn log_scale(score: f32) -> f32 {
    (1.0 + score.max(0.0)).ln()
}

pub fn impact(score: f32, max: f32) -> u8 {
    if max <= 0.0 {
        return 1;
    }
    let scaled = log_scale(score) / log_scale(max);
    (1.0 + (scaled * 62.0).round()).clamp(1.0, 63.0) as u8
}

fn push_number(out: &mut String, mut n: u32) {
    while n >= 32 {
        out.push(DIGITS[32 + (n & 31) as usize] as char);
        n >>= 5;
    }
    out.push(DIGITS[n as usize] as char);
}

/// The WebAssembly analyzer for the browser, as a classic script.
pub fn analyzer_script(name: &str, wasm: &[u8]) -> (String, Vec<u8>) {
    let mut body = String::with_capacity(wasm.len() * 4 / 3 + 64);
    let _ = write!(body, "__IR.analyzer({},\"", json(name));
    base64(wasm, &mut body);
    body.push_str("\");\n");
    let file = format!("analyzer-{name}.{}.js", fingerprint(body.as_bytes()));
    (file, body.into_bytes())
}

/// The same analyzer as a binary module, for pages served over HTTP (a
/// quarter of the script's size, compressed): named after its script, whose
/// hash it shares.
pub fn analyzer_binary_name(script_file: &str) -> String {
    format!("{}.wasm", script_file.strip_suffix(".js").unwrap_or(script_file))
}

fn base64(bytes: &[u8], out: &mut String) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_through_the_digit_encoding() {
        for n in [0u32, 1, 31, 32, 33, 1023, 1024, 123_456] {
            let mut s = String::new();
            push_number(&mut s, n);
            let mut value = 0u32;
            let mut shift = 0;
            for c in s.bytes() {
                let d = DIGITS.iter().position(|&x| x == c).unwrap() as u32;
                value |= (d & 31) << shift;
                shift += 5;
                if d < 32 {
                    break;
                }
            }
            assert_eq!(value, n, "{s}");
        }
    }

    #[test]
    fn impacts_are_one_to_sixty_three_and_ordered() {
        assert_eq!(impact(0.0, 10.0), 1);
        assert_eq!(impact(10.0, 10.0), 63);
        assert!(impact(1.0, 10.0) < impact(2.0, 10.0));
    }

    #[test]
    fn shard_keys_are_the_shortest_start_after_the_previous_shard() {
        assert_eq!(shortest_key_after("backup", "babel"), "bac");
        assert_eq!(shortest_key_after("zebra", "apple"), "z");
        assert_eq!(shortest_key_after("rsync", "rsync"), "rsync");
        assert_eq!(shortest_key_after("密钥", "密码"), "密钥");
        // UTF-16 order, as the browser compares: U+FF5E sorts before U+1F600 in UTF-8, after it in UTF-16.
        assert_eq!(shortest_key_after("x\u{FF5E}", "x\u{1F600}"), "x\u{FF5E}");
    }

    #[test]
    fn each_cjk_character_lists_the_pages_of_every_pair_holding_it() {
        let posting = |score, in_title| Posting { score, in_title };
        let mut scores: Scores = BTreeMap::new();
        scores.insert("光纤".into(), BTreeMap::from([(0, posting(2.0, false)), (1, posting(1.0, true))]));
        scores.insert("纤网".into(), BTreeMap::from([(1, posting(3.0, false))]));
        scores.insert("纤".into(), BTreeMap::from([(2, posting(0.5, false))]));
        scores.insert("fiber".into(), BTreeMap::from([(3, posting(1.0, false))]));
        add_cjk_characters(&mut scores);
        assert_eq!(scores["光"], BTreeMap::from([(0, posting(2.0, false)), (1, posting(1.0, true))]));
        assert_eq!(
            scores["纤"],
            BTreeMap::from([(0, posting(2.0, false)), (1, posting(3.0, true)), (2, posting(0.5, false))])
        );
        assert_eq!(scores["网"], BTreeMap::from([(1, posting(3.0, false))]));
        assert_eq!(scores.len(), 6, "no line for other words' letters: {:?}", scores.keys());
    }

    /// The rest of a common CJK term: one shared impact, then the gaps to the
    /// documents lacking it; with the best ones, every holder is known.
    #[test]
    fn the_rest_of_a_common_cjk_term_names_the_documents_lacking_it() {
        let posting = |score| Posting { score, in_title: false };
        let postings: BTreeMap<u32, Posting> =
            [0, 1, 3, 4, 5, 6, 8, 9].into_iter().map(|doc| (doc, posting(1.0 + doc as f32))).collect();
        let best = best_postings(&postings, 2);
        assert_eq!(best.keys().copied().collect::<Vec<_>>(), [8, 9]);
        let rest = encode_rest(&postings, &best, 40, 10.0);
        // Shared: the highest impact among documents 0–6 (doc 6, score 7);
        // lacking: 2, 7, then 10–39 (gaps 2, 5, 3, then 1s).
        let mut expected = String::from(DIGITS[impact(7.0, 10.0) as usize] as char);
        expected.push_str("253");
        expected.push_str(&"1".repeat(29));
        assert_eq!(rest, expected);
    }

    /// Each inner shard line is the two letters left out, the letters its
    /// key shares with the line before, then the rest: read back as the
    /// browser reads them, each kind of inner shard holds every term of 6
    /// letters or more (none in CJK) once, in order of its keys (all but
    /// its first two letters in `i-` shards, all but its last two backwards
    /// in `f-` shards), and each table keys each shard by a start of its
    /// first key after the previous shard's last.
    #[test]
    fn inner_shards_hold_each_long_term_once_keyed_by_all_but_two_letters_at_either_end() {
        let mut words: Vec<String> =
            (0..600).map(|i| format!("{}{}nderbird{i}", (b'a' + (i % 26) as u8) as char, "hé")).collect();
        words.extend(["thunderbird", "password", "short", "光纤网络光纤", "ü\u{1F600}mlauts"].map(String::from));
        let empty = BTreeMap::new();
        let terms: Vec<(&String, &BTreeMap<u32, Posting>)> = words.iter().map(|w| (w, &empty)).collect();
        let mut artifacts = Vec::new();
        inner_files("en", &terms, &mut artifacts);
        let text = |a: &Artifact| match &a.contents {
            crate::output::Contents::Bytes(b) => String::from_utf8(b.clone()).unwrap(),
            crate::output::Contents::Copy(_) => unreachable!(),
        };
        let tables = text(artifacts.iter().find(|a| a.path == "search/en/inner.js").unwrap());
        let tables = format!("[{}]", &tables[tables.find('[').unwrap()..tables.rfind(']').unwrap() + 1]);
        let tables: Vec<Vec<[String; 2]>> = serde_json::from_str(&tables).unwrap();
        assert_eq!(tables.len(), 2, "a table for each end");
        let mut expected: Vec<&String> = words.iter().filter(|w| w.chars().count() >= 6 && !w.contains('光')).collect();
        expected.sort();
        for (table, (prefix, end)) in tables.iter().zip([("i", false), ("f", true)]) {
            assert!(table.len() >= 3, "several {prefix}- shards: {table:?}");
            let mut read = Vec::new();
            let mut previous_key: Vec<u16> = Vec::new();
            for (n, [start, hash]) in table.iter().enumerate() {
                let path = format!("search/en/{prefix}-{hash}.js");
                let file = text(artifacts.iter().find(|a| a.path == path).unwrap());
                let body: String =
                    serde_json::from_str(&file[file.rfind(",\"").unwrap() + 1..file.rfind(");").unwrap()]).unwrap();
                let mut shared_key: Vec<u16> = Vec::new();
                for (i, line) in body.split('\n').enumerate() {
                    let cut = line.char_indices().nth(2).unwrap().0;
                    let (dropped, rest) = line.split_at(cut);
                    let shared = DIGITS.iter().position(|&d| d == rest.as_bytes()[0]).unwrap();
                    shared_key.truncate(shared);
                    shared_key.extend(rest[1..].encode_utf16());
                    if i == 0 {
                        let start: Vec<u16> = start.encode_utf16().collect();
                        assert!(start <= shared_key && (n == 0 || start > previous_key), "{path} keyed by {start:?}");
                    }
                    assert!(shared_key >= previous_key, "{path}: in order of their keys");
                    previous_key = shared_key.clone();
                    let key = String::from_utf16(&shared_key).unwrap();
                    read.push(if end {
                        format!("{}{dropped}", key.chars().rev().collect::<String>())
                    } else {
                        format!("{dropped}{key}")
                    });
                }
            }
            read.sort();
            assert_eq!(read.iter().collect::<Vec<_>>(), expected, "{prefix}- shards");
        }
    }

    #[test]
    fn base64_matches_the_standard_alphabet() {
        let mut s = String::new();
        base64(b"Many hands", &mut s);
        assert_eq!(s, "TWFueSBoYW5kcw==");
    }
}
