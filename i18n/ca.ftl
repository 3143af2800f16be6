# UI strings of the default theme, in Catalan (ca).
# Same keys and variables as en.ftl. CLDR plurals for ca: one, many, other.

skip-to-content = Aneu al contingut
site-navigation = Lloc
main-menu = Seccions
breadcrumbs = Sou aquí
home = Inici
section-navigation = En aquesta secció
table-of-contents = En aquesta pàgina
language-switcher = Aquesta pàgina en altres llengües
untranslated-languages = Encara no traduïda a
choose-language = Trieu la vostra llengua
choose-language-hint = Aquest lloc està escrit en diverses llengües. Trieu-ne una; la vostra tria només és un enllaç, no es desa res.
all-languages = Totes les llengües

# Shown above a page whose translation is missing.
not-translated = Aquesta pàgina encara no està traduïda a { $language }; es mostra en { $shown }.
translate-this-page = Traduïu aquesta pàgina
edit-this-page = Editeu aquesta pàgina
original-of-page = Llegiu l'original ({ $language })

pages-count = { $count ->
    [one] { $count } pàgina
    [many] { $count } de pàgines
   *[other] { $count } pàgines
}
sections-count = { $count ->
    [one] { $count } secció
    [many] { $count } de seccions
   *[other] { $count } seccions
}
reading-time = { $minutes ->
    [one] { $minutes } minut de lectura
    [many] { $minutes } de minuts de lectura
   *[other] { $minutes } minuts de lectura
}
published = Publicat el { $date }
updated = Actualitzat el { $date }
draft = Esborrany: no publicat
in-this-section = Pàgines d'aquesta secció
subsections = Subseccions
tags = Etiquetes
tagged = Etiquetat «{ $term }»
all-tags = Totes les etiquetes
taxonomy-terms = { $count ->
    [one] { $count } terme
    [many] { $count } de termes
   *[other] { $count } termes
}

page-not-found = No s'ha trobat la pàgina
page-not-found-text = La pàgina que heu demanat no és aquí. Potser s'ha mogut, o potser l'enllaç és incorrecte.
go-home = Aneu a la pàgina d'inici
feed = Canal Atom d'aquesta llengua
latest-pages = Pàgines més recents
site-footer = Informació del lloc
footer-text = Fet per una xarxa de proveïdores d'internet cooperatives. Sense rastrejadors ni tercers: aquesta pàgina no ha carregat res de cap altre lloc.
redirecting = Aquesta pàgina s'ha mogut. Aneu a { $title }.

mirrors = Rèpliques
mirrors-intro = { $count ->
    [one] Si aquest lloc va lent o està bloquejat on sou, llegiu aquesta pàgina a l'altra còpia de la xarxa:
   *[other] Si aquest lloc va lent o està bloquejat on sou, llegiu aquesta pàgina en una de les { $count } còpies que mantenen els membres de la xarxa:
}

# GitHub-style alerts in Markdown: > [!NOTE]
alert-note = Nota
alert-tip = Consell
alert-important = Important
alert-warning = Avís
alert-caution = Compte
footnotes = Notes
facilitator-notes = Notes per a qui dinamitza
