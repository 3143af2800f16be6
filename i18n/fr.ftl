# UI strings of the default theme, in French (fr).
# Same keys and variables as en.ftl. CLDR plurals for fr: one (0 and 1), many, other.

skip-to-content = Aller au contenu
main-menu = Rubriques
breadcrumbs = Vous êtes ici
home = Accueil
section-navigation = Dans cette rubrique

section-nav-before = { $count ->
    [one] { $count } page précédente
    [many] { $count } de pages précédentes
   *[other] { $count } pages précédentes
}
section-nav-after = { $count ->
    [one] { $count } page suivante
    [many] { $count } de pages suivantes
   *[other] { $count } pages suivantes
}
section-nav-all = { $count ->
    [one] La seule page de cette rubrique
    [many] Les { $count } de pages de cette rubrique
   *[other] Les { $count } pages de cette rubrique
}

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
taxonomy-terms = { $count ->
    [one] { $count } terme
    [many] { $count } de termes
   *[other] { $count } termes
}

page-not-found = Page introuvable
page-not-found-text = La page demandée n’est pas ici. Elle a peut-être été déplacée, ou le lien est erroné.
go-home = Aller à la page d’accueil
feed = Flux Atom de cette langue
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
facilitator-notes = Notes pour l’animation

# Recherche
search-title = Rechercher
search-label = Rechercher dans ce site
search-placeholder = Rechercher…
search-button = Rechercher
search-results = { $count ->
    [one] { $count } page trouvée
    [many] { $count } de pages trouvées
   *[other] { $count } pages trouvées
}
search-no-results = Aucune page ne correspond à « { $query } ».
search-any-word = Aucune page ne contient tous les mots ; celles-ci en contiennent certains.
search-closest-words = Certains mots ne figurent sur aucune page tels qu’ils sont écrits : ces pages contiennent les plus proches.
search-missing-part = Une partie de l’index de recherche n’a pas pu être chargée depuis cette copie du site : des résultats peuvent manquer.
search-more = Plus de résultats
search-loading = Recherche…
search-failed = La recherche ne peut pas fonctionner ici. Parcourez plutôt les rubriques.
search-needs-js = La recherche a besoin de JavaScript, désactivé ou non pris en charge ici. Chaque page est aussi accessible depuis les rubriques :

# Fraîcheur des traductions.
translation-outdated = L’original de cette page a été mis à jour après cette traduction.
translation-status = État des traductions
translations-title = État des traductions
translations-intro = Ce qu’on peut lire de ce site en { $language }, et où les traductrices et traducteurs peuvent aider : d’abord les traductions à remettre à jour d’après l’original, puis les pages pas encore traduites. Chaque page est un fichier Markdown dans le dépôt du site.
translations-complete = Complet à { $percent } %, compté en mots.
translation-state-outdated = À mettre à jour : l’original a changé depuis la traduction
translation-state-missing = Pas encore traduites
translation-state-unknown = État inconnu : aucune trace de la version traduite
translation-state-up-to-date = À jour
translation-state-original = Écrites dans cette langue
words-count = { $count ->
    [one] { $count } mot
    [many] { $count } de mots
   *[other] { $count } mots
}
change-added = Ajouté
change-removed = Supprimé
change-edited = Modifié
change-start = Début de la page (titre, résumé, introduction)
changes-unknown = On ne sait pas ce qui a changé : la version traduite n’est pas dans l’historique du dépôt.
translation-draft = Un brouillon est en cours : { $file }
translation-start = Pour commencer à la traduire :
translation-mark-current = Une fois la traduction de nouveau fidèle à l’original :
# Lecture hors ligne : archives, service worker, kits d'atelier.
offline-download = Télécharger cette langue pour la lire hors ligne (ZIP, { $size })
offline-outside = Absent de cette copie hors ligne
offline-keep = Garder cette langue pour la lire hors ligne
offline-keep-progress = Enregistrement pour la lecture hors ligne : { $done } fichiers sur { $total }…
offline-kept = Cette langue est enregistrée sur cet appareil pour la lecture hors ligne.
offline-keep-failed = L'enregistrement a échoué. Réessayez quand la connexion sera meilleure.
offline-copy = Vous êtes hors ligne : ceci est une copie enregistrée sur cet appareil.
pack-downloads = Emporter cet atelier hors ligne
pack-downloads-text = Chaque kit contient un petit site web de l'atelier qui fonctionne hors ligne, une version imprimable, un livre numérique et les sources en Markdown. Décompressez-le et ouvrez index.html : rien ne nécessite internet.
pack-download-facilitators = Kit pour les animatrices, avec leurs notes (ZIP, { $size })
pack-download-participants = Kit pour les participantes, sans les notes d'animation (ZIP, { $size })
pack-outside = Absent de ce kit
pack-agenda = Programme
pack-about = À propos de cet atelier
pack-audience = Public
pack-materials = Matériel
pack-objectives = Objectifs
pack-duration = Durée
pack-module = Module
pack-total = Durée totale : { $duration }
pack-modules-add-up = Les modules totalisent { $duration }.
pack-no-duration = durée non indiquée
pack-shown-in = en { $language }
pack-print = Version imprimable
pack-epub = Livre numérique (EPUB)
pack-pdf = PDF
pack-sources = Sources en Markdown
pack-in-this-pack = Dans ce kit
pack-previous = Précédent
pack-next = Suivant
pack-made-from = Un kit d'atelier de { $site }.
pack-participants = Version pour les participantes : les notes d'animation n'y figurent pas.
pack-contents = Sommaire
pack-search = Chercher dans ce kit
duration-minutes = { $minutes } min
duration-hours = { $hours } h
duration-hours-minutes = { $hours } h { $minutes } min
