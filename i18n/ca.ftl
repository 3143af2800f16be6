# UI strings of the default theme, in Catalan (ca).
# Same keys and variables as en.ftl. CLDR plurals for ca: one, many, other.

skip-to-content = Aneu al contingut
main-menu = Seccions
breadcrumbs = Sou aquí
home = Inici
section-navigation = En aquesta secció

section-nav-before = { $count ->
    [one] { $count } pàgina anterior
    [many] { $count } de pàgines anteriors
   *[other] { $count } pàgines anteriors
}
section-nav-after = { $count ->
    [one] { $count } pàgina següent
    [many] { $count } de pàgines següents
   *[other] { $count } pàgines següents
}
section-nav-all = { $count ->
    [one] L'única pàgina d'aquesta secció
    [many] Totes les { $count } de pàgines d'aquesta secció
   *[other] Totes les { $count } pàgines d'aquesta secció
}

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
taxonomy-terms = { $count ->
    [one] { $count } terme
    [many] { $count } de termes
   *[other] { $count } termes
}

page-not-found = No s'ha trobat la pàgina
page-not-found-text = La pàgina que heu demanat no és aquí. Potser s'ha mogut, o potser l'enllaç és incorrecte.
go-home = Aneu a la pàgina d'inici
feed = Canal Atom d'aquesta llengua
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
facilitator-notes = Notes per a qui dinamitza

# Cerca
search-title = Cerca
search-label = Cerca en aquest lloc
search-placeholder = Cerca…
search-button = Cerca
search-results = { $count ->
    [one] { $count } pàgina trobada
    [many] { $count } de pàgines trobades
   *[other] { $count } pàgines trobades
}
search-no-results = Cap pàgina no coincideix amb «{ $query }».
search-any-word = Cap pàgina no té totes les paraules; aquestes en tenen algunes.
search-closest-words = Algunes paraules no són a cap pàgina tal com s’han escrit: aquestes pàgines tenen les més semblants.
search-missing-part = Una part de l'índex de cerca no s'ha pogut carregar des d'aquesta còpia del lloc; potser hi falten resultats.
search-more = Més resultats
search-loading = S'està cercant…
search-failed = La cerca no pot funcionar aquí. Navegueu per les seccions.
search-needs-js = Per cercar cal JavaScript, que aquí està desactivat o no és compatible. També podeu arribar a cada pàgina des de les seccions:

# Actualitat de les traduccions.
translation-outdated = L'original d'aquesta pàgina s'ha actualitzat després d'aquesta traducció.
translation-status = Estat de les traduccions
translations-title = Estat de les traduccions
translations-intro = Quina part d'aquest lloc es pot llegir en { $language } i on cal ajuda per traduir: primer les traduccions que s'han de posar al dia amb l'original, després les pàgines que encara no s'han traduït. Cada pàgina és un fitxer Markdown al repositori del lloc.
translations-complete = Completat al { $percent } %, comptat en paraules.
translation-state-outdated = Desfasades: l'original ha canviat des de la traducció
translation-state-missing = Encara sense traduir
translation-state-unknown = Estat desconegut: no hi ha registre de la versió traduïda
translation-state-up-to-date = Al dia
translation-state-original = Escrites en aquesta llengua
words-count = { $count ->
    [one] { $count } paraula
    [many] { $count } de paraules
   *[other] { $count } paraules
}
change-added = Afegit
change-removed = Eliminat
change-edited = Modificat
change-start = Inici de la pàgina (títol, resum, introducció)
changes-unknown = No se sap què ha canviat: la versió traduïda no és a l'historial del repositori.
translation-draft = Hi ha un esborrany en curs: { $file }
translation-start = Per començar-ne la traducció:
translation-mark-current = Quan la traducció torni a coincidir amb l'original:
# Lectura sense connexió: paquets, el service worker, paquets de taller.
offline-download = Descarrega aquest idioma per llegir-lo sense connexió (ZIP, { $size })
offline-outside = No és en aquesta còpia sense connexió
offline-keep = Desa aquest idioma per llegir-lo sense connexió
offline-keep-progress = S'està desant per llegir sense connexió: { $done } de { $total } fitxers…
offline-kept = Aquest idioma està desat en aquest dispositiu per llegir-lo sense connexió.
offline-keep-failed = No s'ha pogut desar. Torneu-ho a provar quan la connexió sigui millor.
offline-copy = No teniu connexió: aquesta és una còpia desada en aquest dispositiu.
pack-downloads = Emporta't aquest taller sense connexió
pack-downloads-text = Cada paquet conté un petit lloc web del taller que funciona sense connexió, una versió per imprimir, un llibre electrònic i les fonts en Markdown. Descomprimiu-lo i obriu index.html: res no necessita internet.
pack-download-facilitators = Paquet per a facilitadores, amb les seves notes (ZIP, { $size })
pack-download-participants = Paquet per a participants, sense les notes de facilitació (ZIP, { $size })
pack-outside = No és en aquest paquet
pack-agenda = Programa
pack-about = Sobre aquest taller
pack-audience = Públic
pack-materials = Materials
pack-objectives = Objectius
pack-duration = Durada
pack-module = Mòdul
pack-total = Durada total: { $duration }
pack-modules-add-up = Els mòduls sumen { $duration }.
pack-no-duration = sense durada indicada
pack-shown-in = en { $language }
pack-print = Versió per imprimir
pack-epub = Llibre electrònic (EPUB)
pack-pdf = PDF
pack-sources = Fonts en Markdown
pack-in-this-pack = En aquest paquet
pack-previous = Anterior
pack-next = Següent
pack-made-from = Un paquet de taller de { $site }.
pack-participants = Versió per a participants: no inclou les notes de facilitació.
pack-contents = Índex
pack-search = Cerca en aquest paquet
duration-minutes = { $minutes } min
duration-hours = { $hours } h
duration-hours-minutes = { $hours } h { $minutes } min
