# UI strings of the default theme, in French (fr).
# Same keys and variables as en.ftl. CLDR plurals for fr: one (0 and 1), many, other.

skip-to-content = Aller au contenu
site-navigation = Site
main-menu = Rubriques
breadcrumbs = Vous êtes ici
home = Accueil
section-navigation = Dans cette rubrique
table-of-contents = Sur cette page
language-switcher = Cette page dans d’autres langues
untranslated-languages = Pas encore traduite en
choose-language = Choisissez votre langue
choose-language-hint = Ce site est écrit en plusieurs langues. Choisissez-en une ; votre choix n’est qu’un lien, rien n’est enregistré.
all-languages = Toutes les langues

# Shown above a page whose translation is missing.
not-translated = Cette page n’est pas encore traduite en { $language } ; elle est affichée en { $shown }.
translate-this-page = Traduire cette page
edit-this-page = Modifier cette page
original-of-page = Lire l’original ({ $language })

pages-count = { $count ->
    [one] { $count } page
    [many] { $count } de pages
   *[other] { $count } pages
}
sections-count = { $count ->
    [one] { $count } rubrique
    [many] { $count } de rubriques
   *[other] { $count } rubriques
}
reading-time = { $minutes ->
    [one] { $minutes } minute de lecture
    [many] { $minutes } de minutes de lecture
   *[other] { $minutes } minutes de lecture
}
published = Publié le { $date }
updated = Mis à jour le { $date }
draft = Brouillon : non publié
in-this-section = Pages de cette rubrique
subsections = Sous-rubriques
tags = Étiquettes
tagged = Étiquette « { $term } »
all-tags = Toutes les étiquettes
taxonomy-terms = { $count ->
    [one] { $count } terme
    [many] { $count } de termes
   *[other] { $count } termes
}

page-not-found = Page introuvable
page-not-found-text = La page demandée n’est pas ici. Elle a peut-être été déplacée, ou le lien est erroné.
go-home = Aller à la page d’accueil
feed = Flux Atom de cette langue
latest-pages = Dernières pages
site-footer = Informations sur le site
footer-text = Réalisé par un réseau de fournisseurs d’accès à internet coopératifs. Ni traceurs ni tiers : cette page n’a rien chargé d’ailleurs.
redirecting = Cette page a été déplacée. Aller à { $title }.

mirrors = Miroirs
mirrors-intro = { $count ->
    [one] Si ce site est lent ou bloqué chez vous, lisez cette page sur l’autre copie du réseau :
   *[other] Si ce site est lent ou bloqué chez vous, lisez cette page sur l’une des { $count } copies tenues par les membres du réseau :
}

# GitHub-style alerts in Markdown: > [!NOTE]
alert-note = Remarque
alert-tip = Astuce
alert-important = Important
alert-warning = Avertissement
alert-caution = Attention
footnotes = Notes
facilitator-notes = Notes pour l’animation
