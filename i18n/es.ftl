# UI strings of the default theme, in Spanish (es).
# Same keys and variables as en.ftl. CLDR plurals for es: one, many, other.

skip-to-content = Ir al contenido
main-menu = Secciones
breadcrumbs = Estás aquí
home = Inicio
section-navigation = En esta sección

section-nav-before = { $count ->
    [one] { $count } página anterior
    [many] { $count } de páginas anteriores
   *[other] { $count } páginas anteriores
}
section-nav-after = { $count ->
    [one] { $count } página siguiente
    [many] { $count } de páginas siguientes
   *[other] { $count } páginas siguientes
}
section-nav-all = { $count ->
    [one] La única página de esta sección
    [many] Las { $count } de páginas de esta sección
   *[other] Las { $count } páginas de esta sección
}

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
taxonomy-terms = { $count ->
    [one] { $count } término
    [many] { $count } de términos
   *[other] { $count } términos
}

page-not-found = Página no encontrada
page-not-found-text = La página que buscas no está aquí. Puede que se haya movido o que el enlace esté mal.
go-home = Ir a la página de inicio
feed = Canal Atom de este idioma
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
facilitator-notes = Notas para quien facilita

# Búsqueda
search-title = Buscar
search-label = Buscar en este sitio
search-placeholder = Buscar…
search-button = Buscar
search-results = { $count ->
    [one] { $count } página encontrada
    [many] { $count } de páginas encontradas
   *[other] { $count } páginas encontradas
}
search-no-results = Ninguna página coincide con «{ $query }».
search-any-word = Ninguna página tiene todas las palabras; estas tienen algunas.
search-closest-words = Algunas palabras no están en ninguna página tal como se escribieron: estas páginas tienen las más parecidas.
search-missing-part = No se pudo cargar una parte del índice de búsqueda desde esta copia del sitio, así que pueden faltar resultados.
search-more = Más resultados
search-loading = Buscando…
search-failed = La búsqueda no puede funcionar aquí. Recorre las secciones.
search-needs-js = Para buscar hace falta JavaScript, que aquí está desactivado o no es compatible. También puedes llegar a cada página desde las secciones:

# Actualidad de las traducciones.
translation-outdated = El original de esta página se actualizó después de esta traducción.
translation-status = Estado de las traducciones
translations-title = Estado de las traducciones
translations-intro = Qué parte de este sitio se puede leer en { $language } y dónde hace falta ayuda para traducir: primero las traducciones que hay que poner al día con el original, después las páginas que aún no se han traducido. Cada página es un archivo Markdown en el repositorio del sitio.
translations-complete = Completo al { $percent } %, contado en palabras.
translation-state-outdated = Desactualizadas: el original cambió después de traducirlas
translation-state-missing = Aún sin traducir
translation-state-unknown = Estado desconocido: no hay registro de la versión traducida
translation-state-up-to-date = Al día
translation-state-original = Escritas en este idioma
words-count = { $count ->
    [one] { $count } palabra
    [many] { $count } de palabras
   *[other] { $count } palabras
}
change-added = Añadido
change-removed = Eliminado
change-edited = Modificado
change-start = Inicio de la página (título, resumen, introducción)
changes-unknown = No se sabe qué cambió: la versión traducida no está en el historial del repositorio.
translation-draft = Hay un borrador en curso: { $file }
translation-start = Para empezar a traducirla:
translation-mark-current = Cuando la traducción vuelva a coincidir con el original:
# Lectura sin conexión: paquetes, el service worker, paquetes de taller.
offline-download = Descarga este idioma para leerlo sin conexión (ZIP, { $size })
offline-outside = No está en esta copia sin conexión
offline-keep = Guardar este idioma para leerlo sin conexión
offline-keep-progress = Guardando para leer sin conexión: { $done } de { $total } archivos…
offline-kept = Este idioma está guardado en este dispositivo para leerlo sin conexión.
offline-keep-failed = No se pudo guardar. Vuelve a intentarlo cuando la conexión sea mejor.
offline-copy = Estás sin conexión: esta es una copia guardada en este dispositivo.
pack-downloads = Llévate este taller sin conexión
pack-downloads-text = Cada paquete contiene un pequeño sitio web del taller que funciona sin conexión, una versión para imprimir, un libro electrónico y las fuentes en Markdown. Descomprímelo y abre index.html: nada necesita internet.
pack-download-facilitators = Paquete para facilitadoras, con sus notas (ZIP, { $size })
pack-download-participants = Paquete para participantes, sin las notas de facilitación (ZIP, { $size })
pack-outside = No está en este paquete
pack-agenda = Programa
pack-about = Sobre este taller
pack-audience = Público
pack-materials = Materiales
pack-objectives = Objetivos
pack-duration = Duración
pack-module = Módulo
pack-total = Duración total: { $duration }
pack-modules-add-up = Los módulos suman { $duration }.
pack-no-duration = sin duración indicada
pack-shown-in = en { $language }
pack-print = Versión para imprimir
pack-epub = Libro electrónico (EPUB)
pack-pdf = PDF
pack-sources = Fuentes en Markdown
pack-in-this-pack = En este paquete
pack-previous = Anterior
pack-next = Siguiente
pack-made-from = Un paquete de taller de { $site }.
pack-participants = Versión para participantes: no incluye las notas de facilitación.
pack-contents = Índice
pack-search = Buscar en este paquete
duration-minutes = { $minutes } min
duration-hours = { $hours } h
duration-hours-minutes = { $hours } h { $minutes } min
