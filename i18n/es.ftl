# UI strings of the default theme, in Spanish (es).
# Same keys and variables as en.ftl. CLDR plurals for es: one, many, other.

skip-to-content = Ir al contenido
site-navigation = Sitio
main-menu = Secciones
breadcrumbs = Estás aquí
home = Inicio
section-navigation = En esta sección
table-of-contents = En esta página
language-switcher = Esta página en otros idiomas
untranslated-languages = Aún no traducida a
choose-language = Elige tu idioma
choose-language-hint = Este sitio está escrito en varios idiomas. Elige uno; tu elección es solo un enlace, no se guarda nada.
all-languages = Todos los idiomas

# Shown above a page whose translation is missing.
not-translated = Esta página aún no está traducida a { $language }; se muestra en { $shown }.
translate-this-page = Traduce esta página
edit-this-page = Edita esta página
original-of-page = Lee el original ({ $language })

pages-count = { $count ->
    [one] { $count } página
    [many] { $count } de páginas
   *[other] { $count } páginas
}
sections-count = { $count ->
    [one] { $count } sección
    [many] { $count } de secciones
   *[other] { $count } secciones
}
reading-time = { $minutes ->
    [one] { $minutes } minuto de lectura
    [many] { $minutes } de minutos de lectura
   *[other] { $minutes } minutos de lectura
}
published = Publicado el { $date }
updated = Actualizado el { $date }
draft = Borrador: no publicado
in-this-section = Páginas de esta sección
subsections = Subsecciones
tags = Etiquetas
tagged = Con la etiqueta «{ $term }»
all-tags = Todas las etiquetas
taxonomy-terms = { $count ->
    [one] { $count } término
    [many] { $count } de términos
   *[other] { $count } términos
}

page-not-found = Página no encontrada
page-not-found-text = La página que buscas no está aquí. Puede que se haya movido o que el enlace esté mal.
go-home = Ir a la página de inicio
feed = Canal Atom de este idioma
latest-pages = Últimas páginas
site-footer = Información del sitio
footer-text = Hecho por una red de proveedoras de internet cooperativas. Sin rastreadores ni terceros: esta página no ha cargado nada de ningún otro sitio.
redirecting = Esta página se ha movido. Ve a { $title }.

mirrors = Réplicas
mirrors-intro = { $count ->
    [one] Si este sitio va lento o está bloqueado donde estás, lee esta página en la otra copia de la red:
   *[other] Si este sitio va lento o está bloqueado donde estás, lee esta página en una de las { $count } copias que mantienen los miembros de la red:
}

# GitHub-style alerts in Markdown: > [!NOTE]
alert-note = Nota
alert-tip = Consejo
alert-important = Importante
alert-warning = Advertencia
alert-caution = Precaución
footnotes = Notas
facilitator-notes = Notas para quien facilita
