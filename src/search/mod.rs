//! Search: one tantivy index per language, built with infrared's own analyzer
//! (the same code the browser runs as WebAssembly), kept in a cache folder
//! beside the output for `infrared search` and `serve`, and exported into
//! small static files the browser loads only as a query needs them.

pub mod export;
pub mod query;
pub mod ranking;

use std::path::{Path, PathBuf};

use infrared_analyzer::{Analyzer, Memo};
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED, STRING};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::{doc, Index, IndexWriter};

use crate::error::{Error, Result};
use crate::site::Site;
use crate::templates::summarize;

/// A page as search sees it.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    /// Relative to the site root, escaped: `ca/guides/mirroring/`, `ca/c%23/`.
    pub url: String,
    pub title: String,
    pub summary: String,
    pub body: String,
}

/// A term made from a run of CJK text: a pair of characters, or one
/// standing alone. A character typed alone finds every such term holding it.
pub(crate) fn is_cjk_term(term: &str) -> bool {
    (1..=2).contains(&term.chars().count()) && term.chars().all(infrared_analyzer::is_cjk)
}

/// Where the tantivy indexes of a build are kept: beside the output, hidden,
/// so static servers do not publish them (`public` → `.public-cache`).
pub fn cache_dir(out: &Path) -> PathBuf {
    let name = out.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}-cache"))
}

pub fn index_dir(cache: &Path, lang: &str) -> PathBuf {
    cache.join("search").join(lang)
}

/// Pages written in each language (fallback copies are not indexed: their
/// text is in another language than the reader's analyzer expects).
pub fn documents(site: &Site, lang: &str) -> Vec<SearchDoc> {
    site.corpus
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, node)| node.versions.contains_key(lang))
        .map(|(i, node)| {
            let source = &node.versions[lang];
            let rendered = &site.rendered[i][lang];
            SearchDoc {
                // A URL (`en/c%23/`), relative to the site root.
                url: crate::urls::encode_path(&crate::urls::page_dir(lang, &site.nodes[i].path)),
                title: site.title(i, lang),
                summary: result_summary(source.front.description.as_deref(), rendered.lead(true)),
                body: rendered.text.clone(),
            }
        })
        .collect()
}

/// What a search result shows under a page's title: its description, else
/// the start of its text without headings (`lead`: `Rendered::lead`), as
/// section listings and feeds show it.
pub fn result_summary(description: Option<&str>, lead: &str) -> String {
    match description {
        Some(description) => description.to_string(),
        None => summarize(lead, 160),
    }
}

/// The fields of every language's index.
pub struct Fields {
    pub url: tantivy::schema::Field,
    pub title: tantivy::schema::Field,
    pub body: tantivy::schema::Field,
    pub summary: tantivy::schema::Field,
}

pub fn schema(lang: &str) -> (Schema, Fields) {
    let tokenizer = tokenizer_name(lang);
    let text = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(&tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let mut builder = Schema::builder();
    let fields = Fields {
        url: builder.add_text_field("url", STRING | STORED),
        title: builder.add_text_field("title", text.clone()),
        body: builder.add_text_field("body", text),
        summary: builder.add_text_field("summary", STORED),
    };
    (builder.build(), fields)
}

pub fn tokenizer_name(lang: &str) -> String {
    format!("infrared-{lang}")
}

/// Registers infrared's analyzer for `lang` on an index.
pub fn register_tokenizer(index: &Index, lang: &str) {
    let tokenizer = InfraredTokenizer {
        analyzer: std::sync::Arc::new(Analyzer::for_language(lang)),
        memo: Memo::default(),
        tokens: Vec::new(),
    };
    index.tokenizers().register(&tokenizer_name(lang), TextAnalyzer::from(tokenizer));
}

/// Builds a language's index in the cache; returns it open.
pub fn build_language_index(site: &Site, cache: &Path, lang: &str) -> Result<Index> {
    build_index(&index_dir(cache, lang), lang, &documents(site, lang))
}

fn build_index(dir: &Path, lang: &str, docs: &[SearchDoc]) -> Result<Index> {
    let search_error = |e: tantivy::TantivyError| Error::io(dir, std::io::Error::other(e.to_string()));
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let index = index_builder(lang).create_in_dir(dir).map_err(search_error)?;
    fill_index(&index, lang, docs).map_err(search_error)?;
    Ok(index)
}

/// A new index of `lang`'s schema. Its stored fields (each page's address,
/// title and summary) are kept uncompressed: they are read back once, by
/// the export, and are a small part of the cache; compressing them cost a
/// thread per language during the build.
fn index_builder(lang: &str) -> tantivy::IndexBuilder {
    let settings = tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::None,
        docstore_compress_dedicated_thread: false,
        ..Default::default()
    };
    Index::builder().schema(schema(lang).0).settings(settings)
}

/// An index held in memory, built like the site's: a workshop pack's (a
/// few pages, exported for the browser), or a language's for `serve`
/// (which writes nothing).
pub fn index_in_memory(lang: &str, docs: &[SearchDoc]) -> Result<Index> {
    let search_error = |e: tantivy::TantivyError| {
        Error::io(format!("search index ({lang}, in memory)"), std::io::Error::other(e.to_string()))
    };
    let index = index_builder(lang).create_in_ram().map_err(search_error)?;
    fill_index(&index, lang, docs).map_err(search_error)?;
    Ok(index)
}

fn fill_index(index: &Index, lang: &str, docs: &[SearchDoc]) -> tantivy::Result<()> {
    let (_, fields) = schema(lang);
    register_tokenizer(index, lang);
    // The arena is per thread: small for a pack, ample for a whole language.
    let arena = if docs.len() < 200 { 15_000_000 } else { 64_000_000 };
    let mut writer: IndexWriter = index.writer_with_num_threads(1, arena)?;
    for d in docs {
        writer.add_document(doc!(
            fields.url => d.url.as_str(),
            fields.title => d.title.as_str(),
            fields.body => d.body.as_str(),
            fields.summary => d.summary.as_str(),
        ))?;
    }
    writer.commit()?;
    // One segment, so document ids are the order documents were added in.
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
    }
    writer.wait_merging_threads()
}

/// Opens a language's index from a previous build's cache.
pub fn open_index(cache: &Path, lang: &str) -> Result<Index> {
    let dir = index_dir(cache, lang);
    if !dir.join("meta.json").exists() {
        return Err(Error::input(
            &dir,
            None,
            "no search index here",
            "run `infrared build` first (the index is kept beside the output)",
        ));
    }
    let index = Index::open_in_dir(&dir).map_err(|e| {
        Error::input(
            &dir,
            None,
            format!("the search index cannot be read: {e}"),
            "it is damaged: run `infrared build`, which makes it again",
        )
    })?;
    register_tokenizer(&index, lang);
    Ok(index)
}

/// infrared's analyzer as a tantivy tokenizer (index side: with the
/// accent-less alternates, see `Analyzer::analyze_for_index`). tantivy
/// clones it for each field of each segment it writes, so every clone's memo
/// belongs to one thread and needs no lock.
#[derive(Clone)]
struct InfraredTokenizer {
    analyzer: std::sync::Arc<Analyzer>,
    memo: Memo,
    tokens: Vec<Token>,
}

struct InfraredTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl Tokenizer for InfraredTokenizer {
    type TokenStream<'a> = InfraredTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> InfraredTokenStream<'a> {
        self.tokens.clear();
        self.tokens.extend(self.analyzer.analyze_for_index_memo(text, &mut self.memo).into_iter().map(|t| Token {
            offset_from: t.start,
            offset_to: t.end,
            position: t.position,
            text: t.term,
            position_length: 1,
        }));
        InfraredTokenStream { tokens: &mut self.tokens, next: 0 }
    }
}

impl TokenStream for InfraredTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}
