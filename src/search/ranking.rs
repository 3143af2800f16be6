//! Native scores on the browser's scale, so both rank alike. The browser
//! adds one impact per word of the query, each the logarithm of that
//! word's score on the page (title share included: `export::title_share`);
//! a sum of raw scores would instead let one word a page is titled with
//! outweigh two it holds ("Calls", which lists "Web", above "Calls: Web"
//! for "calls web"). Each part of a native query is wrapped in a
//! [`PartQuery`], which scores a page `ln(1 + score + title share)`; the
//! parts' scores add up as the browser's impacts do.

use std::collections::BTreeSet;
use std::fmt;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// One part of a query (a word, a phrase, the words closest to one) and
/// the title terms that give it a share of a page's title: at most
/// `most_titled` of them count (one for a misspelt word's closest words,
/// which stand for one word).
pub struct PartQuery {
    inner: Box<dyn Query>,
    title_terms: Vec<Term>,
    most_titled: usize,
}

impl PartQuery {
    pub fn new(inner: Box<dyn Query>, title: Field, terms: &[String], most_titled: usize) -> PartQuery {
        let title_terms = terms.iter().map(|t| Term::from_field_text(title, t)).collect();
        PartQuery { inner, title_terms, most_titled }
    }
}

impl Clone for PartQuery {
    fn clone(&self) -> Self {
        PartQuery {
            inner: self.inner.box_clone(),
            title_terms: self.title_terms.clone(),
            most_titled: self.most_titled,
        }
    }
}

impl fmt::Debug for PartQuery {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Part(query={:?}, titled={:?})", self.inner, self.title_terms)
    }
}

impl Query for PartQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.inner.weight(enable_scoring)?;
        if !enable_scoring.is_scoring_enabled() {
            return Ok(inner);
        }
        Ok(Box::new(PartWeight { inner, title_terms: self.title_terms.clone(), most_titled: self.most_titled }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor)
    }
}

struct PartWeight {
    inner: Box<dyn Weight>,
    title_terms: Vec<Term>,
    most_titled: usize,
}

impl PartWeight {
    /// What the part's title terms add to `doc`'s score in this segment.
    fn title_shares(&self, reader: &SegmentReader) -> tantivy::Result<TitleShares> {
        let mut titled = Vec::new();
        let mut norms = None;
        if let Some(field) = self.title_terms.first().map(Term::field) {
            let inverted = reader.inverted_index(field)?;
            norms = Some(reader.get_fieldnorms_reader(field)?);
            for term in &self.title_terms {
                let mut holding = BTreeSet::new();
                if let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)? {
                    let mut doc = postings.doc();
                    while doc != tantivy::TERMINATED {
                        holding.insert(doc);
                        doc = postings.advance();
                    }
                }
                titled.push(holding);
            }
        }
        Ok(TitleShares { titled, norms, most: self.most_titled })
    }
}

impl Weight for PartWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        Ok(Box::new(PartScorer { inner, shares: self.title_shares(reader)? }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let share = self.title_shares(reader)?.of(doc);
        let mut explanation = Explanation::new_with_string(
            format!("ln(1 + score + title share {share})"),
            on_scale(inner.value(), share),
        );
        explanation.add_detail(inner);
        Ok(explanation)
    }
}

/// The pages of a segment holding each of a part's terms in their title,
/// and their titles' lengths.
struct TitleShares {
    titled: Vec<BTreeSet<DocId>>,
    norms: Option<FieldNormReader>,
    most: usize,
}

impl TitleShares {
    fn of(&self, doc: DocId) -> Score {
        let Some(norms) = &self.norms else { return 0.0 };
        let covered = self.titled.iter().filter(|holding| holding.contains(&doc)).count().min(self.most);
        covered as Score * super::export::title_share(norms.fieldnorm(doc) as f32)
    }
}

/// A part's score as the browser's impacts scale it (before they are
/// quantised): the logarithm of the score with its title share.
fn on_scale(score: Score, share: Score) -> Score {
    super::export::log_scale(score.max(0.0) + share)
}

struct PartScorer {
    inner: Box<dyn Scorer>,
    shares: TitleShares,
}

impl DocSet for PartScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for PartScorer {
    fn score(&mut self) -> Score {
        on_scale(self.inner.score(), self.shares.of(self.inner.doc()))
    }
}
