//! What part of the site one output holds, and the downloads the site's
//! pages offer.
//!
//! The site holds every page in every language. A language's offline bundle
//! holds that language's pages; a workshop pack holds a few pages of one
//! language. Templates link inside a [`Scope`] as usual and mark what lies
//! outside it; the site's pages link to the bundles and packs ([`Downloads`])
//! built before them.

use std::collections::{BTreeMap, BTreeSet};

use crate::i18n::I18n;
use crate::markdown::Note;

/// The pages of one language an output holds.
#[derive(Debug, Clone)]
pub struct Scope {
    pub lang: String,
    /// Node indexes of the pages it holds; `None`: every page of `lang`.
    pub pages: Option<BTreeSet<usize>>,
    /// Facilitator notes are kept (a participants' pack leaves them out).
    pub facilitator_notes: bool,
    /// Title of links to pages it does not hold (“Not in this pack”).
    pub outside_note: OutsideNote,
}

/// The title of links leaving an output, and the language it is written in
/// (the output's, unless its UI strings come from another).
#[derive(Debug, Clone, Default)]
pub struct OutsideNote {
    pub text: String,
    pub lang: String,
}

impl OutsideNote {
    /// UI string `key` for readers of `lang`.
    pub fn new(i18n: &I18n, lang: &str, key: &str) -> OutsideNote {
        OutsideNote { text: i18n.t(lang, key, None), lang: i18n.language_of(lang, key).unwrap_or(lang).to_string() }
    }

    /// The note on a link whose text is in `text_lang`: marked with its own
    /// language when they differ.
    pub fn on_text_in(&self, i18n: &I18n, text_lang: &str) -> Note {
        let languages = (self.lang != text_lang).then(|| {
            (i18n.marking_between(&self.lang, text_lang, ""), i18n.marking_between(text_lang, &self.lang, ""))
        });
        Note { text: self.text.clone(), languages }
    }
}

impl Scope {
    /// Every page of `lang`: an offline bundle.
    pub fn language(lang: &str, outside_note: OutsideNote) -> Scope {
        Scope { lang: lang.to_string(), pages: None, facilitator_notes: true, outside_note }
    }

    pub fn contains(&self, lang: &str, index: usize) -> bool {
        lang == self.lang && self.pages.as_ref().is_none_or(|p| p.contains(&index))
    }

    /// Holds every page of `lang` (so also its search, feed and tag pages).
    pub fn covers_language(&self, lang: &str) -> bool {
        lang == self.lang && self.pages.is_none()
    }
}

/// A file the site offers for download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// Output path, from the site's root.
    pub path: String,
    pub bytes: u64,
    /// UI string that names it, with `$size` for its size.
    pub label_key: &'static str,
}

/// The offline bundles and workshop packs a build made, for the pages that
/// link to them.
#[derive(Debug, Clone, Default)]
pub struct Downloads {
    /// Language → its offline bundle.
    pub bundles: BTreeMap<String, Download>,
    /// (workshop's node index, language) → its packs, facilitators' first.
    pub packs: BTreeMap<(usize, String), Vec<Download>>,
}

/// A size as readers read it: `850 KB`, `4.2 MB` (powers of 1000, as file
/// managers show them).
pub fn human_size(bytes: u64) -> String {
    match bytes {
        0..=999 => format!("{bytes} B"),
        1_000..=999_999 => format!("{} KB", bytes.div_ceil(1_000)),
        _ => format!("{:.1} MB", bytes as f64 / 1_000_000.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(849_001), "850 KB");
        assert_eq!(human_size(4_200_000), "4.2 MB");
    }

    #[test]
    fn a_pack_holds_its_pages_in_its_language_only() {
        let scope = Scope {
            lang: "ar".into(),
            pages: Some(BTreeSet::from([3, 5])),
            facilitator_notes: false,
            outside_note: OutsideNote::default(),
        };
        assert!(scope.contains("ar", 3) && !scope.contains("ar", 4) && !scope.contains("en", 3));
        assert!(!scope.covers_language("ar"));
        assert!(Scope::language("ar", OutsideNote::default()).covers_language("ar"));
    }
}
