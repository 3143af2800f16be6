//! The text analyzer of infrared's search. The very same code tokenizes pages
//! when the site is built (registered as tantivy tokenizers) and analyses
//! queries in the reader's browser (compiled to WebAssembly, see `wasm`), so a
//! query term and an indexed term meet exactly when they should.
//!
//! Pipeline for each word: lowercase → drop elided articles (`l'`, `d'`…) →
//! Snowball stem for the language → fold accents and Arabic letter variants.
//! Runs of CJK characters become overlapping character bigrams, so a
//! substring of a longer word is found without a dictionary.

use std::collections::HashMap;

use frostem::Stemmer;

#[cfg(target_arch = "wasm32")]
mod wasm;

/// One analysed term, with where it came from in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    /// Byte range of the source text it came from.
    pub start: usize,
    pub end: usize,
    /// Word position, for phrase queries.
    pub position: usize,
}

/// What one word gives: its term, and for the index its accent-free alternate.
#[derive(Debug, Clone)]
struct WordTerms {
    term: String,
    alternate: Option<String>,
}

/// Words already analysed for the index, with their terms, so each distinct
/// word is stemmed once: a site's pages repeat a few thousand words, and
/// stemming is most of the analyzer's work. Belongs to one analyzer (one
/// language) and one thread; forgets everything when it grows past
/// [`Memo::MAX_WORDS`], which bounds its memory.
#[derive(Debug, Clone, Default)]
pub struct Memo {
    words: HashMap<String, Option<WordTerms>>,
}

impl Memo {
    /// Words kept at most (some megabytes).
    pub const MAX_WORDS: usize = 50_000;

    fn terms(&mut self, word: &str, analyze: impl FnOnce() -> Option<WordTerms>) -> Option<WordTerms> {
        if let Some(terms) = self.words.get(word) {
            return terms.clone();
        }
        if self.words.len() >= Self::MAX_WORDS {
            self.words.clear();
        }
        let terms = analyze();
        self.words.insert(word.to_string(), terms.clone());
        terms
    }
}

pub struct Analyzer {
    stemmer: Option<Stemmer>,
    elision: bool,
    keep_apostrophe: bool,
}

impl Analyzer {
    /// The analyzer for a BCP 47 language code (`ca`, `pt-br`, `zh-Hant`).
    /// A language with no stemmer (or whose stemmer is not compiled in) is
    /// analysed unstemmed, never refused.
    pub fn for_language(code: &str) -> Analyzer {
        let primary = primary_subtag(code);
        Analyzer {
            stemmer: Stemmer::try_from_name(&primary).ok(),
            elision: matches!(primary.as_str(), "ca" | "fr" | "it" | "oc" | "ga"),
            // English stemming removes the possessive `'s` itself.
            keep_apostrophe: primary == "en",
        }
    }

    /// The Snowball algorithm used, if any (`"catalan"`), naming the
    /// WebAssembly module the browser needs for this language.
    pub fn stemmer_name(&self) -> Option<&'static str> {
        self.stemmer.map(|s| s.algorithm().name())
    }

    /// Terms of a query (or of any text read as a reader would type it).
    pub fn analyze(&self, text: &str) -> Vec<Token> {
        self.analyze_with(text, |word| self.word_terms(word, false))
    }

    /// Terms for the index: as [`Analyzer::analyze`], plus, at the same
    /// position, the term the word gives when typed without its accents, so a
    /// query typed without them still meets it (`informação` is stemmed to
    /// `inform`, but `informacao` to `informaca`; the index holds both).
    pub fn analyze_for_index(&self, text: &str) -> Vec<Token> {
        self.analyze_with(text, |word| self.word_terms(word, true))
    }

    /// As [`Analyzer::analyze_for_index`], taking each word's terms from
    /// `memo` when the word was met before. `memo` must be used with this
    /// analyzer only.
    pub fn analyze_for_index_memo(&self, text: &str, memo: &mut Memo) -> Vec<Token> {
        self.analyze_with(text, |word| memo.terms(word, || self.word_terms(word, true)))
    }

    fn analyze_with(&self, text: &str, mut terms_of: impl FnMut(&str) -> Option<WordTerms>) -> Vec<Token> {
        let mut tokens = Vec::new();
        let mut position = 0;
        for segment in segments(text) {
            match segment {
                Segment::Word { start, end } => {
                    if let Some(WordTerms { term, alternate }) = terms_of(&text[start..end]) {
                        tokens.push(Token { term, start, end, position });
                        if let Some(term) = alternate {
                            tokens.push(Token { term, start, end, position });
                        }
                        position += 1;
                    }
                }
                Segment::Cjk { start, end } => {
                    for (s, e) in cjk_grams(text, start, end) {
                        tokens.push(Token { term: text[s..e].to_string(), start: s, end: e, position });
                        position += 1;
                    }
                }
            }
        }
        tokens
    }

    /// A word's term and, with `alternates`, the different term it gives
    /// typed without accents; `None` for a word that gives no term.
    fn word_terms(&self, word: &str, alternates: bool) -> Option<WordTerms> {
        let term = self.word_term(word)?;
        let alternate = if alternates { self.word_term(&fold(word)).filter(|a| *a != term) } else { None };
        Some(WordTerms { term, alternate })
    }

    /// Just the terms, in order.
    pub fn terms(&self, text: &str) -> Vec<String> {
        self.analyze(text).into_iter().map(|t| t.term).collect()
    }

    fn word_term(&self, word: &str) -> Option<String> {
        let mut lower = word.to_lowercase().replace(['\u{2019}', '\u{02BC}', '\u{2018}'], "'");
        if self.elision {
            lower = strip_elision(&lower).to_string();
        }
        if !self.keep_apostrophe {
            lower.retain(|c| c != '\'');
        }
        let lower = lower.trim_matches('\'');
        if lower.is_empty() {
            return None;
        }
        let stemmed = match &self.stemmer {
            Some(stemmer) => stemmer.stem(lower).into_owned(),
            None => lower.to_string(),
        };
        let folded = fold(&stemmed);
        (!folded.is_empty()).then_some(folded)
    }
}

fn primary_subtag(code: &str) -> String {
    code.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase()
}

/// Articles and pronouns written elided onto the next word: `l'antena`,
/// `d'energia`, `qu'il`, `dell'acqua`.
fn strip_elision(word: &str) -> &str {
    const PREFIXES: &[&str] = &[
        "l", "d", "s", "m", "t", "n", "j", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "dell", "all", "dall",
        "nell", "sull", "coll", "un", "quest", "quell", "nostr", "vostr", "tutt",
    ];
    match word.split_once('\'') {
        Some((prefix, rest)) if !rest.is_empty() && PREFIXES.contains(&prefix) => rest,
        _ => word,
    }
}

enum Segment {
    Word { start: usize, end: usize },
    Cjk { start: usize, end: usize },
}

/// Words (letters, digits, marks, with apostrophes and the Catalan middle dot
/// inside them) and runs of CJK characters, by byte range.
fn segments(text: &str) -> Vec<Segment> {
    let mut found = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if is_cjk(c) {
            let mut j = i;
            while j < chars.len() && is_cjk(chars[j].1) {
                j += 1;
            }
            found.push(Segment::Cjk { start, end: end_of(&chars, j, text) });
            i = j;
        } else if is_word_char(c) {
            let mut j = i + 1;
            while j < chars.len() {
                let c = chars[j].1;
                let joins =
                    is_joiner(c) && j + 1 < chars.len() && is_word_char(chars[j + 1].1) && !is_cjk(chars[j + 1].1);
                if (is_word_char(c) && !is_cjk(c)) || joins {
                    j += 1;
                } else {
                    break;
                }
            }
            found.push(Segment::Word { start, end: end_of(&chars, j, text) });
            i = j;
        } else {
            i += 1;
        }
    }
    found
}

fn end_of(chars: &[(usize, char)], j: usize, text: &str) -> usize {
    chars.get(j).map_or(text.len(), |(o, _)| *o)
}

/// Overlapping bigrams of a CJK run (a lone character stays a unigram).
fn cjk_grams(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let offsets: Vec<usize> =
        text[start..end].char_indices().map(|(o, _)| start + o).chain(std::iter::once(end)).collect();
    let count = offsets.len() - 1;
    if count == 1 {
        return vec![(start, end)];
    }
    (0..count - 1).map(|k| (offsets[k], offsets[k + 2])).collect()
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

/// Characters that join two word characters into one word.
fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}' | '\u{00B7}' | '\u{2027}' | '\u{0387}')
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0951..=0x0957 | 0x0962..=0x0963 | 0x0981..=0x0983 | 0x09BC..=0x09D7 | 0x0B82..=0x0BCD | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Chinese, Japanese and Korean scripts, written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Fold what readers often leave out when typing: accents (after stemming,
/// which may need them), ligatures, Arabic vowel marks and letter variants.
pub fn fold(term: &str) -> String {
    let mut out = String::with_capacity(term.len());
    for c in term.chars() {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => out.push('a'),
            'æ' => out.push_str("ae"),
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => out.push('c'),
            'ď' | 'đ' | 'ð' => out.push('d'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => out.push('e'),
            'ĝ' | 'ğ' | 'ġ' | 'ģ' => out.push('g'),
            'ĥ' | 'ħ' => out.push('h'),
            'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => out.push('i'),
            'ĵ' => out.push('j'),
            'ķ' => out.push('k'),
            'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => out.push('l'),
            'ñ' | 'ń' | 'ņ' | 'ň' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => out.push('o'),
            'œ' => out.push_str("oe"),
            'ŕ' | 'ŗ' | 'ř' => out.push('r'),
            'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => out.push('s'),
            'ß' => out.push_str("ss"),
            'ţ' | 'ť' | 'ŧ' | 'ț' => out.push('t'),
            'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => out.push('u'),
            'ŵ' => out.push('w'),
            'ý' | 'ÿ' | 'ŷ' => out.push('y'),
            'ź' | 'ż' | 'ž' => out.push('z'),
            'þ' => out.push_str("th"),
            'ё' => out.push('е'),
            // The Catalan middle dot (col·lectiu), which the stemmer writes as a
            // period, is often left out when typing.
            '\u{00B7}' | '\u{2027}' | '\u{0387}' | '.' => {}
            // Arabic: hamza forms of alef, alef maksura, teh marbuta; vowel marks and tatweel.
            'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
            'ى' => out.push('ي'),
            'ة' => out.push('ه'),
            '\u{0640}' => {}
            c if is_mark(c) => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(lang: &str, text: &str) -> Vec<String> {
        Analyzer::for_language(lang).terms(text)
    }

    #[test]
    fn english_is_stemmed_and_lowercased() {
        assert_eq!(terms("en", "Mirrors MIRRORING mirrored"), ["mirror", "mirror", "mirror"]);
        assert_eq!(terms("en", "the network's servers"), ["the", "network", "server"]);
    }

    /// A query term typed without accents meets the indexed word.
    fn meets(lang: &str, indexed: &str, typed: &str) -> bool {
        let analyzer = Analyzer::for_language(lang);
        let index: Vec<String> = analyzer.analyze_for_index(indexed).into_iter().map(|t| t.term).collect();
        analyzer.terms(typed).iter().all(|t| index.contains(t))
    }

    #[test]
    fn accents_fold_after_stemming() {
        assert!(meets("es", "contraseñas", "contrasenas"));
        assert!(meets("es", "contraseñas", "contraseña"));
        assert!(meets("fr", "équipe", "equipe"));
        assert!(meets("pt", "informação", "informacao"));
        assert!(meets("pt", "informação", "informação"));
        assert!(meets("de", "Verschlüsselung", "verschlusselung"));
    }

    #[test]
    fn catalan_keeps_l_dot_l_words_and_splits_elisions() {
        let t = terms("ca", "El col·lectiu d'energia i l'antena");
        assert_eq!(t.len(), 5, "{t:?}");
        assert_eq!(t[1], terms("ca", "col·lectiu")[0]);
        assert_eq!(t[2], terms("ca", "energia")[0]);
        assert_eq!(t[4], terms("ca", "antena")[0]);
        assert_eq!(terms("ca", "col·lectiu"), terms("ca", "collectiu"), "middle dot typed or not");
    }

    #[test]
    fn french_elisions_are_dropped() {
        assert_eq!(
            terms("fr", "l'équipe d'abord qu'il"),
            [terms("fr", "équipe")[0].clone(), terms("fr", "abord")[0].clone(), terms("fr", "il")[0].clone()]
        );
        assert_eq!(terms("fr", "l’équipe"), terms("fr", "équipe"), "typographic apostrophe");
    }

    #[test]
    fn cjk_becomes_bigrams_so_substrings_match() {
        assert_eq!(terms("zh", "光纤网络"), ["光纤", "纤网", "网络"]);
        assert_eq!(terms("zh", "光纤"), ["光纤"]);
        assert_eq!(terms("zh", "网"), ["网"]);
        assert_eq!(terms("zh", "用Wi-Fi连接"), ["用", "wi", "fi", "连接"]);
    }

    #[test]
    fn arabic_is_normalised() {
        assert_eq!(fold("إِنترنت"), "انترنت");
        assert!(meets("ar", "أمان", "امان"), "hamza left out");
        assert!(meets("ar", "الشبكة", "الشبكه"), "teh marbuta typed as heh");
        assert!(meets("ar", "الشَّبَكَة", "الشبكة"), "vowel marks");
    }

    #[test]
    fn unknown_languages_are_analysed_unstemmed() {
        assert_eq!(terms("xx", "Running Dogs"), ["running", "dogs"]);
        assert!(Analyzer::for_language("zh").stemmer_name().is_none());
        assert_eq!(Analyzer::for_language("ca").stemmer_name(), Some("catalan"));
        assert_eq!(Analyzer::for_language("pt-br").stemmer_name(), Some("portuguese"));
    }

    #[test]
    fn the_memo_gives_the_terms_analysis_gives() {
        let texts = ["Informação e informação, l'équipe", "l'équipe d'abord", "光纤网络 Wi-Fi", "", "Mirrors mirrored"];
        for lang in ["pt", "fr", "zh", "en"] {
            let analyzer = Analyzer::for_language(lang);
            let mut memo = Memo::default();
            for text in texts.iter().chain(&texts) {
                assert_eq!(analyzer.analyze_for_index_memo(text, &mut memo), analyzer.analyze_for_index(text));
            }
        }
    }

    #[test]
    fn a_full_memo_starts_over() {
        let analyzer = Analyzer::for_language("es");
        let mut memo = Memo::default();
        let text: String = (0..Memo::MAX_WORDS + 10).map(|i| format!("informació{i} ")).collect();
        assert_eq!(analyzer.analyze_for_index_memo(&text, &mut memo), analyzer.analyze_for_index(&text));
        assert!(memo.words.len() <= Memo::MAX_WORDS);
        assert_eq!(
            analyzer.analyze_for_index_memo("información", &mut memo),
            analyzer.analyze_for_index("información")
        );
    }

    #[test]
    fn punctuation_and_empty_input_give_nothing() {
        assert!(terms("en", "").is_empty());
        assert!(terms("en", "?!… — ''").is_empty());
    }

    #[test]
    fn offsets_point_into_the_text() {
        let text = "Hola, món";
        let tokens = Analyzer::for_language("ca").analyze(text);
        assert_eq!(&text[tokens[1].start..tokens[1].end], "món");
        assert_eq!(tokens[1].position, 1);
    }
}
