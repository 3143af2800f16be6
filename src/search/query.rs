//! Native search over a language's tantivy index, for `infrared search` and
//! `serve`: BM25 over title (boosted) and body, every word required, falling
//! back to any word when nothing has them all; quoted phrases; snippets.

use infrared_analyzer::Analyzer;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, TantivyDocument, Term};

use super::export::TITLE_BOOST;
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
    pub hits: Vec<Hit>,
}

/// A query as typed: quoted phrases and single words, each analysed.
#[derive(Debug, PartialEq)]
enum Part {
    Word(Vec<String>),
    Phrase(Vec<String>),
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
        let terms = analyzer.terms(piece);
        if i % 2 == 1 && terms.len() > 1 {
            parts.push(Part::Phrase(terms));
        } else {
            // A CJK word analyses to several bigrams: they belong together.
            for word in piece.split_whitespace() {
                let terms = analyzer.terms(word);
                if !terms.is_empty() {
                    parts.push(Part::Word(terms));
                }
            }
        }
    }
    parts
}

/// The terms of a query as the native search reads it: one list per word or
/// quoted phrase (for the fuzzer and tests; `search` uses the same parse).
pub fn query_terms(lang: &str, query: &str) -> Vec<Vec<String>> {
    parse(&Analyzer::for_language(lang), query)
        .into_iter()
        .map(|part| match part {
            Part::Word(terms) | Part::Phrase(terms) => terms,
        })
        .collect()
}

pub fn search(index: &Index, lang: &str, query: &str, limit: usize) -> Result<Results> {
    let fail =
        |e: tantivy::TantivyError| Error::io(format!("search index ({lang})"), std::io::Error::other(e.to_string()));
    let (_, fields) = super::schema(lang);
    let analyzer = Analyzer::for_language(lang);
    let parts = parse(&analyzer, query);
    let mut results = Results { query: query.to_string(), lang: lang.to_string(), all_words: true, hits: Vec::new() };
    if parts.is_empty() {
        return Ok(results);
    }
    let searcher = index.reader().map_err(fail)?.searcher();
    let clauses: Vec<Box<dyn Query>> = parts.iter().map(|p| part_query(&fields, p)).collect();
    let mut query: Box<dyn Query> = combine(&clauses, Occur::Must);
    let mut top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score()).map_err(fail)?;
    if top.is_empty() && clauses.len() > 1 {
        results.all_words = false;
        query = combine(&clauses, Occur::Should);
        top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score()).map_err(fail)?;
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

fn combine(clauses: &[Box<dyn Query>], occur: Occur) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(clauses.iter().map(|c| (occur, c.box_clone())).collect()))
}

/// One word (or phrase) in title or body, the title counting double.
fn part_query(fields: &Fields, part: &Part) -> Box<dyn Query> {
    let in_field = |field, terms: &[String]| -> Box<dyn Query> {
        let terms: Vec<Term> = terms.iter().map(|t| Term::from_field_text(field, t)).collect();
        if terms.len() == 1 {
            Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::WithFreqs))
        } else {
            Box::new(PhraseQuery::new(terms))
        }
    };
    let terms = match part {
        Part::Word(t) | Part::Phrase(t) => t,
    };
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, in_field(fields.body, terms)),
        (Occur::Should, Box::new(BoostQuery::new(in_field(fields.title, terms), TITLE_BOOST))),
    ]))
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
    fn huge_queries_are_cut_not_refused() {
        let en = Analyzer::for_language("en");
        let long = "ábc ".repeat(5000);
        assert!(parse(&en, &long).len() <= MAX_QUERY_BYTES / 4);
    }
}
