# UI strings of the default theme, in English.
# Every key here must exist in every language file or fall back along the
# language's fallback chain (see site.toml). Plurals use CLDR categories:
# English has "one" and "other"; Arabic has zero, one, two, few, many, other.

skip-to-content = Skip to content
main-menu = Sections
breadcrumbs = You are here
home = Home
section-navigation = In this section

# The section navigation of a large section shows a window of its pages:
# how many it leaves out before and after, and a link to the section's page.
section-nav-before = { $count ->
    [one] { $count } earlier page
   *[other] { $count } earlier pages
}
section-nav-after = { $count ->
    [one] { $count } later page
   *[other] { $count } later pages
}
section-nav-all = { $count ->
    [one] The only page in this section
   *[other] All { $count } pages in this section
}

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
taxonomy-terms = { $count ->
    [one] { $count } term
   *[other] { $count } terms
}

page-not-found = Page not found
page-not-found-text = The page you asked for is not here. It may have moved, or the link may be wrong.
go-home = Go to the home page
feed = Atom feed of this language
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
search-closest-words = Some words are on no page as written: these pages have the closest ones.
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
# Offline reading: bundles, the service worker, workshop packs.
offline-download = Download this language for offline reading (ZIP, { $size })
offline-outside = Not in this offline copy
offline-keep = Keep this language for offline reading
offline-keep-progress = Saving for offline reading: { $done } of { $total } files…
offline-kept = This language is saved on this device for offline reading.
offline-keep-failed = Saving failed. Try again when the connection is better.
offline-copy = You are offline: this is a copy saved on this device.
pack-downloads = Take this workshop offline
pack-downloads-text = Each pack holds a small offline website of the workshop, a printable version, an e-book and the Markdown sources. Unzip it and open index.html: nothing in it needs the internet.
pack-download-facilitators = Pack for facilitators, with their notes (ZIP, { $size })
pack-download-participants = Pack for participants, without facilitator notes (ZIP, { $size })
pack-outside = Not in this pack
pack-agenda = Agenda
pack-about = About this workshop
pack-audience = Audience
pack-materials = Materials
pack-objectives = Objectives
pack-duration = Duration
pack-module = Module
pack-total = Total duration: { $duration }
pack-modules-add-up = The modules add up to { $duration }.
pack-no-duration = no duration given
pack-shown-in = in { $language }
pack-print = Printable version
pack-epub = E-book (EPUB)
pack-pdf = PDF
pack-sources = Markdown sources
pack-in-this-pack = In this pack
pack-previous = Previous
pack-next = Next
pack-made-from = A workshop pack from { $site }.
pack-participants = Participants' version: facilitator notes are left out.
pack-contents = Contents
pack-search = Search this pack
duration-minutes = { $minutes } min
duration-hours = { $hours } h
duration-hours-minutes = { $hours } h { $minutes } min
