# UI strings of the default theme, in English.
# Every key here must exist in every language file or fall back along the
# language's fallback chain (see site.toml). Plurals use CLDR categories:
# English has "one" and "other"; Arabic has zero, one, two, few, many, other.

skip-to-content = Skip to content
site-navigation = Site
main-menu = Sections
breadcrumbs = You are here
home = Home
section-navigation = In this section
table-of-contents = On this page
language-switcher = This page in other languages
untranslated-languages = Not yet translated into
choose-language = Choose your language
choose-language-hint = This site is written in several languages. Pick one; your choice is only a link, nothing is stored.
all-languages = All languages

# Shown above a page whose translation is missing. $language is the reader's
# language, $shown the language the content is shown in (both endonyms).
not-translated = This page is not yet translated into { $language }; it is shown in { $shown }.
translate-this-page = Translate this page
edit-this-page = Edit this page
original-of-page = Read the original ({ $language })

pages-count = { $count ->
    [one] { $count } page
   *[other] { $count } pages
}
sections-count = { $count ->
    [one] { $count } section
   *[other] { $count } sections
}
reading-time = { $minutes ->
    [one] { $minutes } minute to read
   *[other] { $minutes } minutes to read
}
published = Published { $date }
updated = Updated { $date }
draft = Draft: not published
in-this-section = Pages in this section
subsections = Subsections
tags = Tags
tagged = Tagged “{ $term }”
all-tags = All tags
taxonomy-terms = { $count ->
    [one] { $count } term
   *[other] { $count } terms
}

page-not-found = Page not found
page-not-found-text = The page you asked for is not here. It may have moved, or the link may be wrong.
go-home = Go to the home page
feed = Atom feed of this language
latest-pages = Latest pages
site-footer = Site information
footer-text = Made by a network of cooperative internet providers. No trackers, no third parties: this page loaded nothing from anywhere else.
redirecting = This page has moved. Go to { $title }.

# The footer's list of other copies of the site ([[mirror.sites]]).
mirrors = Mirrors
mirrors-intro = { $count ->
    [one] If this site is slow or blocked where you are, read this page on the network's other copy:
   *[other] If this site is slow or blocked where you are, read this page on one of the { $count } copies kept by network members:
}

# GitHub-style alerts in Markdown: > [!NOTE]
alert-note = Note
alert-tip = Tip
alert-important = Important
alert-warning = Warning
alert-caution = Caution
footnotes = Notes
facilitator-notes = Facilitator notes

# Search
search-title = Search
search-label = Search this site
search-placeholder = Search…
search-button = Search
search-results = { $count ->
    [one] { $count } page found
   *[other] { $count } pages found
}
search-no-results = No page matches “{ $query }”.
search-any-word = No page has all of the words; these have some of them.
search-missing-part = Part of the search index could not be loaded from this copy of the site, so some results may be missing.
search-more = More results
search-loading = Searching…
search-failed = Search could not start here. Browse the sections instead.
search-needs-js = Searching needs JavaScript, which is off or not supported here. Every page can also be reached from the sections:

# Translation freshness. The notice above a translation whose original
# changed after it was made; the link after it is original-of-page.
translation-outdated = The original of this page was updated after this translation.
# The footer link to /<lang>/translations/, and that page.
translation-status = Translation status
translations-title = Translation status
translations-intro = How much of this site readers can read in { $language }, and where translators can help: first the translations that need catching up with their original, then the pages not yet translated. Every page is a Markdown file in the site's repository.
translations-complete = { $percent }% complete, counted in words.
translation-state-outdated = Outdated: the original changed since
translation-state-missing = Not yet translated
translation-state-unknown = Unknown: no record of the version translated
translation-state-up-to-date = Up to date
translation-state-original = Written in this language
words-count = { $count ->
    [one] { $count } word
   *[other] { $count } words
}
change-added = Added
change-removed = Removed
change-edited = Changed
change-start = Start of the page (title, summary, introduction)
changes-unknown = What changed is not known: the translated version is not in the repository's history.
translation-draft = A draft is in progress: { $file }
translation-start = To start translating it:
translation-mark-current = Once the translation matches the original again:
translations-other-languages = Other languages
