//! Which term of a taxonomy stands, in another language, for a term of the
//! default language (`user` ↔ `utilisateur` in French), inferred from the
//! pages' translations, so a term's page can list its translations.
//!
//! Evidence: a page whose default-language version has the term `a` while
//! its version in language L has `b` (and not `a`), `b` being a term no
//! default-language version uses. A version in L that keeps `a` is evidence
//! for `a` itself. Candidates are taken from the best supported down: a
//! pair is made when, among the terms not yet paired, each is the other's
//! strongest candidate and neither has another candidate as strong. A term
//! whose strongest candidate is ambiguous (tied) stays unpaired, and so
//! does one whose strongest candidate is such a term; a term kept under
//! its own name at least as often as it is given any other stays unpaired,
//! and is linked by its slug as before. So no term is paired with two
//! terms of one language, and the same input always
//! gives the same pairs. The work grows with the pages and their terms
//! (each version's terms against its default-language version's), not
//! with pages times terms.

use std::collections::{BTreeMap, BTreeSet};

/// A taxonomy's terms in the versions of one node: (language, slugs of
/// the version's terms) for each version, the default language's among
/// them when it has one.
pub struct NodeTerms<'a> {
    pub versions: Vec<(&'a str, BTreeSet<String>)>,
}

/// The pairs of one taxonomy, by slug.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TermPairs {
    /// (language, default-language term) → the term standing for it there.
    pub from_default: BTreeMap<(String, String), String>,
    /// (language, term) → the default-language term it stands for.
    pub to_default: BTreeMap<(String, String), String>,
}

impl TermPairs {
    /// Pairs the default-language term `term` with `translation` in
    /// `lang` (with none: `None`), undoing the pairs either had.
    pub fn declare(&mut self, lang: &str, term: &str, translation: Option<String>) {
        if let Some(old) = self.from_default.remove(&(lang.to_string(), term.to_string())) {
            self.to_default.remove(&(lang.to_string(), old));
        }
        let Some(translation) = translation else {
            return;
        };
        if let Some(old) = self.to_default.remove(&(lang.to_string(), translation.clone())) {
            self.from_default.remove(&(lang.to_string(), old));
        }
        self.from_default.insert((lang.to_string(), term.to_string()), translation.clone());
        self.to_default.insert((lang.to_string(), translation), term.to_string());
    }
}

/// What a default-language term may stand for in a language: a term of
/// its own there, or itself (the version kept its name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Candidate {
    Itself(String),
    Term(String),
}

/// Pairs the terms of one taxonomy, from every node's versions.
pub fn infer(default_lang: &str, nodes: &[NodeTerms]) -> TermPairs {
    let mut used_by_default = BTreeSet::new();
    for node in nodes {
        for (lang, terms) in &node.versions {
            if *lang == default_lang {
                used_by_default.extend(terms.iter().cloned());
            }
        }
    }
    let mut evidence: BTreeMap<&str, BTreeMap<(&str, Candidate), usize>> = BTreeMap::new();
    for node in nodes {
        let Some((_, original)) = node.versions.iter().find(|(lang, _)| *lang == default_lang) else {
            continue;
        };
        for (lang, terms) in node.versions.iter().filter(|(lang, _)| *lang != default_lang) {
            let counts = evidence.entry(lang).or_default();
            for a in original {
                if terms.contains(a) {
                    *counts.entry((a, Candidate::Itself(a.clone()))).or_default() += 1;
                    continue;
                }
                for b in terms.iter().filter(|b| !used_by_default.contains(*b)) {
                    *counts.entry((a, Candidate::Term(b.clone()))).or_default() += 1;
                }
            }
        }
    }
    let mut pairs = TermPairs::default();
    for (lang, counts) in evidence {
        for (a, b) in matching(counts) {
            pairs.from_default.insert((lang.to_string(), a.to_string()), b.clone());
            pairs.to_default.insert((lang.to_string(), b), a.to_string());
        }
    }
    pairs
}

/// The pairs (default-language term, term) the evidence of one language
/// settles, strongest first, as the module's comment says.
fn matching(counts: BTreeMap<(&str, Candidate), usize>) -> Vec<(&str, String)> {
    let mut levels: BTreeMap<std::cmp::Reverse<usize>, Vec<(&str, Candidate)>> = BTreeMap::new();
    for (edge, count) in counts {
        levels.entry(std::cmp::Reverse(count)).or_default().push(edge);
    }
    let (mut seen_a, mut seen_b) = (BTreeSet::new(), BTreeSet::new());
    let (mut taken_a, mut taken_b) = (BTreeSet::new(), BTreeSet::new());
    let mut pairs = Vec::new();
    for edges in levels.into_values() {
        let live: Vec<_> = edges.into_iter().filter(|(a, b)| !taken_a.contains(a) && !taken_b.contains(b)).collect();
        let mut degree_a: BTreeMap<&str, usize> = BTreeMap::new();
        let mut degree_b: BTreeMap<&Candidate, usize> = BTreeMap::new();
        for (a, b) in &live {
            *degree_a.entry(a).or_default() += 1;
            *degree_b.entry(b).or_default() += 1;
        }
        let mut settled = Vec::new();
        for (a, b) in &live {
            let fresh = !seen_a.contains(a) && !seen_b.contains(b);
            if fresh && degree_a[a] == 1 && degree_b[b] == 1 {
                settled.push((*a, b.clone()));
            }
        }
        for (a, b) in live {
            seen_a.insert(a);
            seen_b.insert(b);
        }
        for (a, b) in settled {
            taken_a.insert(a);
            if let Candidate::Term(term) = &b {
                pairs.push((a, term.clone()));
            }
            taken_b.insert(b);
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(versions: &[(&'static str, &[&str])]) -> NodeTerms<'static> {
        NodeTerms { versions: versions.iter().map(|(l, t)| (*l, t.iter().map(|s| s.to_string()).collect())).collect() }
    }

    fn pairs_of(nodes: &[NodeTerms]) -> Vec<(String, String, String)> {
        infer("en", nodes).from_default.into_iter().map(|((l, a), b)| (l, a, b)).collect()
    }

    fn triple(l: &str, a: &str, b: &str) -> (String, String, String) {
        (l.into(), a.into(), b.into())
    }

    #[test]
    fn a_term_translated_consistently_is_paired() {
        let nodes = [
            node(&[("en", &["user", "account"]), ("fr", &["utilisateur", "compte"])]),
            node(&[("en", &["user", "account"]), ("fr", &["utilisateur", "compte"])]),
            node(&[("en", &["user"]), ("fr", &["utilisateur"])]),
        ];
        // user↔utilisateur first (3 against 2), then account↔compte, which
        // tied with user before user was taken.
        assert_eq!(pairs_of(&nodes), [triple("fr", "account", "compte"), triple("fr", "user", "utilisateur")]);
    }

    #[test]
    fn ambiguous_evidence_pairs_nothing() {
        let nodes = [node(&[("en", &["shared", "ops"]), ("ca", &["propi"])])];
        assert!(pairs_of(&nodes).is_empty());
        // Two terms equally strong for one: neither.
        let nodes = [node(&[("en", &["a"]), ("ca", &["x"])]), node(&[("en", &["b"]), ("ca", &["x"])])];
        assert!(pairs_of(&nodes).is_empty());
    }

    #[test]
    fn a_term_kept_more_often_than_translated_keeps_its_name() {
        let kept = [
            node(&[("en", &["mesh"]), ("es", &["mesh"])]),
            node(&[("en", &["mesh"]), ("es", &["mesh"])]),
            node(&[("en", &["mesh"]), ("es", &["malla"])]),
        ];
        assert!(pairs_of(&kept).is_empty());
        let translated = [
            node(&[("en", &["mesh"]), ("es", &["mesh"])]),
            node(&[("en", &["mesh"]), ("es", &["malla"])]),
            node(&[("en", &["mesh"]), ("es", &["malla"])]),
        ];
        assert_eq!(pairs_of(&translated), [triple("es", "mesh", "malla")]);
    }

    #[test]
    fn a_term_the_default_language_uses_is_never_paired_with_another() {
        let nodes = [node(&[("en", &["user"]), ("fr", &["style"])]), node(&[("en", &["style"]), ("fr", &["style"])])];
        assert!(pairs_of(&nodes).is_empty());
    }
}
