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
