//! Native search over a language's tantivy index, for `infrared search` and
//! `serve`: BM25 over title (boosted) and body, each word's score on the
//! browser's scale (`ranking`), every word required, falling back to any
//! word when nothing has them all; quoted phrases; snippets.
//! Words are the analyzer's, as the browser reads them (`title:disk` is two),
//! and a CJK character alone finds the pairs holding it, as in the browser.

use infrared_analyzer::Analyzer;
use std::collections::BTreeSet;
use tantivy::collector::TopDocs;

use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, Searcher, TantivyDocument, Term};

use super::export::TITLE_BOOST;
use super::ranking::PartQuery;
use super::Fields;
use crate::error::{Error, Result};

/// Queries longer than this are cut: nobody types more, and it bounds the work.
const MAX_QUERY_BYTES: usize = 1024;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    pub url: String,
    pub title: String,
    pub summary: String,
    pub snippet: String,
    pub score: f32,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Results {
    pub query: String,
    pub lang: String,
    /// Whether every word had to match (false: the any-word fallback answered).
    pub all_words: bool,
    /// Whether some word is on no page as typed, so the words closest to it
    /// were looked for instead (as the browser says, so does the CLI).
    pub closest_words: bool,
    pub hits: Vec<Hit>,
}

/// A query as typed: quoted phrases and single words, each analysed.
#[derive(Debug, PartialEq)]
enum Part {
    /// One word's term, or the overlapping pairs of one CJK run (found
    /// together, as a phrase).
    Word(Vec<String>),
    Phrase(Vec<String>),
    /// A word on no page, taken as misspelt: the terms closest to it, any
    /// of them (`close_terms`).
    Closest(Vec<String>),
}

fn parse(analyzer: &Analyzer, query: &str) -> Vec<Part> {
    let mut query = query;
    if query.len() > MAX_QUERY_BYTES {
        let mut cut = MAX_QUERY_BYTES;
        while !query.is_char_boundary(cut) {
            cut -= 1;
        }
        query = &query[..cut];
    }
    let mut parts = Vec::new();
    for (i, piece) in query.split('"').enumerate() {
        let words = words(analyzer, piece);
        if i % 2 == 1 && words.iter().map(Vec::len).sum::<usize>() > 1 {
            parts.push(Part::Phrase(words.into_iter().flatten().collect()));
        } else {
            parts.extend(words.into_iter().map(Part::Word));
        }
    }
    parts
}

/// The analyzer's terms of `text`, grouped by word as the browser reads
/// them: whatever separates words for the analyzer (a space, `:`, `/`…)
/// separates them here. Only the pairs of one CJK run overlap in the text,
/// and they stay together.
fn words(analyzer: &Analyzer, text: &str) -> Vec<Vec<String>> {
    let mut words: Vec<Vec<String>> = Vec::new();
    let mut previous_end = 0;
    for token in analyzer.analyze(text) {
        match words.last_mut() {
            Some(word) if token.start < previous_end => word.push(token.term),
            _ => words.push(vec![token.term]),
        }
        previous_end = token.end;
    }
    words
}

/// The terms of a query as the native search reads it: one list per word or
/// quoted phrase (for the fuzzer and tests; `search` uses the same parse).
pub fn query_terms(lang: &str, query: &str) -> Vec<Vec<String>> {
    parse(&Analyzer::for_language(lang), query)
        .into_iter()
        .map(|part| match part {
            Part::Word(terms) | Part::Phrase(terms) | Part::Closest(terms) => terms,
        })
        .collect()
}

pub fn search(index: &Index, lang: &str, query: &str, limit: usize) -> Result<Results> {
    let fail =
        |e: tantivy::TantivyError| Error::io(format!("search index ({lang})"), std::io::Error::other(e.to_string()));
    let (_, fields) = super::schema(lang);
    let analyzer = Analyzer::for_language(lang);
    let parts = parse(&analyzer, query);
    let mut results = Results {
        query: query.to_string(),
        lang: lang.to_string(),
        all_words: true,
        closest_words: false,
        hits: Vec::new(),
    };
    if parts.is_empty() {
        return Ok(results);
    }
    let searcher = index.reader().map_err(fail)?.searcher();
    let parts: Vec<Part> =
        parts.into_iter().map(|p| corrected(&searcher, &fields, p)).collect::<tantivy::Result<_>>().map_err(fail)?;
    results.closest_words = parts.iter().any(|part| matches!(part, Part::Closest(_)));
    let clauses: Vec<Box<dyn Query>> =
        parts.iter().map(|p| scored_part(&searcher, &fields, p)).collect::<tantivy::Result<_>>().map_err(fail)?;
    let top_docs = || TopDocs::with_limit(limit).order_by_score();
    let mut query: Box<dyn Query> = combine(&clauses, Occur::Must);
    let mut top = searcher.search(&query, &top_docs()).map_err(fail)?;
    if top.is_empty() && clauses.len() > 1 {
        results.all_words = false;
        query = combine(&clauses, Occur::Should);
        top = searcher.search(&query, &top_docs()).map_err(fail)?;
    }
    let snippets = SnippetGenerator::create(&searcher, &*query, fields.body).map_err(fail)?;
    for (score, address) in top {
        let doc: TantivyDocument = searcher.doc(address).map_err(fail)?;
        let text = |f| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let snippet = snippets.snippet_from_doc(&doc);
        results.hits.push(Hit {
            url: text(fields.url),
            title: text(fields.title),
            summary: text(fields.summary),
            snippet: snippet.fragment().trim().to_string(),
            score,
        });
    }
    Ok(results)
}

/// A part's query, scored as the browser scores a word (`ranking`): the
/// logarithm of its score with its share of the page's title.
fn scored_part(searcher: &Searcher, fields: &Fields, part: &Part) -> tantivy::Result<Box<dyn Query>> {
    let (terms, most_titled) = match part {
        Part::Word(terms) | Part::Phrase(terms) => (terms, terms.len()),
        Part::Closest(terms) => (terms, 1),
    };
    Ok(Box::new(PartQuery::new(part_query(searcher, fields, part)?, fields.title, terms, most_titled)))
}

fn combine(clauses: &[Box<dyn Query>], occur: Occur) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(clauses.iter().map(|c| (occur, c.box_clone())).collect()))
}

/// One word (or phrase) in title or body, the title counting double; a
/// CJK character alone, any term holding it.
fn part_query(searcher: &Searcher, fields: &Fields, part: &Part) -> tantivy::Result<Box<dyn Query>> {
    let terms = match part {
        Part::Word(t) | Part::Phrase(t) => t,
        Part::Closest(close) => {
            let each: Vec<Box<dyn Query>> =
                close.iter().map(|t| terms_query(fields, std::slice::from_ref(t))).collect();
            return Ok(Box::new(DisjunctionMaxQuery::new(each)));
        }
    };
    match terms.as_slice() {
        [term] if lone_cjk(term).is_some() => character_query(searcher, fields, term),
        _ => Ok(terms_query(fields, terms)),
    }
}

/// `terms` (one, or a phrase) in title or body, the title counting double.
fn terms_query(fields: &Fields, terms: &[String]) -> Box<dyn Query> {
    let in_field = |field, terms: &[String]| -> Box<dyn Query> {
        let terms: Vec<Term> = terms.iter().map(|t| Term::from_field_text(field, t)).collect();
        if terms.len() == 1 {
            Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::WithFreqs))
        } else {
            Box::new(PhraseQuery::new(terms))
        }
    };
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, in_field(fields.body, terms)),
        (Occur::Should, Box::new(BoostQuery::new(in_field(fields.title, terms), TITLE_BOOST))),
    ]))
}

/// A word on no page becomes the terms closest to it (`close_terms`), as in
/// the browser; any other part stays as it is.
fn corrected(searcher: &Searcher, fields: &Fields, part: Part) -> tantivy::Result<Part> {
    let Part::Word(terms) = &part else { return Ok(part) };
    let [term] = terms.as_slice() else { return Ok(part) };
    let mut on_pages = 0;
    for field in [fields.body, fields.title] {
        on_pages += searcher.doc_freq(&Term::from_field_text(field, term))?;
    }
    if on_pages > 0 {
        return Ok(part);
    }
    let close = close_terms(searcher, fields, term)?;
    Ok(if close.is_empty() { part } else { Part::Closest(close) })
}

/// The index's terms closest to `term`, a letter apart (two for a word of 8
/// letters or more; letters swapped count as one), at most 5, in order;
/// none for a word shorter than 4 letters, with digits, or in Chinese,
/// Japanese or Korean. The browser looks among the terms beginning as the
/// word does and those ending as it does (`closeTerms` in search.js: its
/// term shard and a tail shard), then, for a word of 8 letters or more,
/// those whose letters after their first two, or before their last two,
/// begin or end as its own do (inner shards): it may still miss what this
/// finds, reading every term.
fn close_terms(searcher: &Searcher, fields: &Fields, term: &str) -> tantivy::Result<Vec<String>> {
    let length = term.chars().count();
    if length < 4 || term.chars().any(|c| c.is_ascii_digit() || infrared_analyzer::is_cjk(c)) {
        return Ok(Vec::new());
    }
    let most = if length >= 8 { 2 } else { 1 };
    let mut candidates = BTreeSet::new();
    for segment in searcher.segment_readers() {
        for field in [fields.body, fields.title] {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                let Ok(other) = std::str::from_utf8(stream.key()) else { continue };
                if other.chars().count().abs_diff(length) <= most && !other.chars().any(infrared_analyzer::is_cjk) {
                    candidates.insert(other.to_string());
                }
            }
        }
    }
    let mut best = most + 1;
    let mut found = Vec::new();
    for other in candidates {
        let d = distance(term, &other, most);
        if d < best {
            best = d;
            found = vec![other];
        } else if d == best && found.len() < 5 {
            found.push(other);
        }
    }
    Ok(if best <= most { found } else { Vec::new() })
}

/// Edits from `a` to `b` (a letter added, removed, changed, or two
/// swapped), or `most + 1` once there are more than `most`.
fn distance(a: &str, b: &str, most: usize) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut before: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for k in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[k - 1]);
            let mut d = (previous[k] + 1).min(row[k - 1] + 1).min(previous[k - 1] + cost);
            if i > 1 && k > 1 && a[i - 1] == b[k - 2] && a[i - 2] == b[k - 1] {
                d = d.min(before[k - 2] + 1);
            }
            row[k] = d;
        }
        if row.iter().min().is_some_and(|&least| least > most) {
            return most + 1;
        }
        before = std::mem::replace(&mut previous, row);
    }
    previous[b.len()]
}

/// The character of a one-character CJK query term.
fn lone_cjk(term: &str) -> Option<char> {
    let mut chars = term.chars();
    chars.next().filter(|_| chars.next().is_none()).filter(|&c| infrared_analyzer::is_cjk(c))
}

/// A CJK character typed alone: CJK text is indexed as pairs, so it is
/// looked for in every term holding it (as the browser's index lists them
/// on the character's line), each page scored by its best such term.
fn character_query(searcher: &Searcher, fields: &Fields, character: &str) -> tantivy::Result<Box<dyn Query>> {
    let mut terms = BTreeSet::new();
    for segment in searcher.segment_readers() {
        for field in [fields.body, fields.title] {
            let inverted = segment.inverted_index(field)?;
            // CJK terms sort after every other: U+3040 is the first CJK character.
            let mut stream = inverted.terms().range().ge("\u{3040}").into_stream()?;
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else { continue };
                if super::is_cjk_term(term) && term.contains(character) {
                    terms.insert(term.to_string());
                }
            }
        }
    }
    if terms.is_empty() {
        return Ok(Box::new(EmptyQuery));
    }
    let each: Vec<Box<dyn Query>> = terms.into_iter().map(|t| terms_query(fields, &[t])).collect();
    Ok(Box::new(DisjunctionMaxQuery::new(each)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_make_phrases_and_cjk_words_stay_together() {
        let en = Analyzer::for_language("en");
        assert_eq!(
            parse(&en, "\"mirror pull\" servers"),
            vec![Part::Phrase(vec!["mirror".into(), "pull".into()]), Part::Word(vec!["server".into()])]
        );
        let zh = Analyzer::for_language("zh");
        assert_eq!(parse(&zh, "光纤网络"), vec![Part::Word(vec!["光纤".into(), "纤网".into(), "网络".into()])]);
        assert!(parse(&en, "?! …").is_empty());
    }

    #[test]
    fn words_joined_by_punctuation_are_words_not_a_phrase() {
        let en = Analyzer::for_language("en");
        let words = |w: &[&str]| w.iter().map(|t| Part::Word(vec![t.to_string()])).collect::<Vec<_>>();
        assert_eq!(parse(&en, "title:disk"), words(&["titl", "disk"]));
        assert_eq!(parse(&en, "backup/restore"), words(&["backup", "restor"]));
        assert_eq!(parse(&en, "\"title:disk\""), vec![Part::Phrase(vec!["titl".into(), "disk".into()])]);
        let zh = Analyzer::for_language("zh");
        assert_eq!(
            parse(&zh, "光纤:网络 光"),
            vec![Part::Word(vec!["光纤".into()]), Part::Word(vec!["网络".into()]), Part::Word(vec!["光".into()])]
        );
        assert_eq!(
            parse(&zh, "wifi光纤网"),
            vec![Part::Word(vec!["wifi".into()]), Part::Word(vec!["光纤".into(), "纤网".into()])]
        );
    }

    #[test]
    fn distance_counts_a_swap_as_one_edit_and_stops_past_the_most() {
        assert_eq!(distance("pasword", "password", 2), 1);
        assert_eq!(distance("thunderbrid", "thunderbird", 2), 1);
        assert_eq!(distance("contraseni", "contrasen", 1), 1);
        assert_eq!(distance("kitten", "sitting", 3), 3);
        assert_eq!(distance("kitten", "sitting", 1), 2, "past the most: most + 1");
        assert_eq!(distance("même", "meme", 1), 1, "letters, not bytes");
    }

    #[test]
    fn huge_queries_are_cut_not_refused() {
        let en = Analyzer::for_language("en");
        let long = "ábc ".repeat(5000);
        assert!(parse(&en, &long).len() <= MAX_QUERY_BYTES / 4);
    }
}
