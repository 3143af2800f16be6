# UI strings of the default theme, in Portuguese (pt).
# Same keys and variables as en.ftl. CLDR plurals for pt: one (0 and 1), many, other.

skip-to-content = Saltar para o conteúdo
main-menu = Secções
breadcrumbs = Está aqui
home = Início
section-navigation = Nesta secção

section-nav-before = { $count ->
    [one] { $count } página anterior
    [many] { $count } de páginas anteriores
   *[other] { $count } páginas anteriores
}
section-nav-after = { $count ->
    [one] { $count } página seguinte
    [many] { $count } de páginas seguintes
   *[other] { $count } páginas seguintes
}
section-nav-all = { $count ->
    [one] A única página desta secção
    [many] Todas as { $count } de páginas desta secção
   *[other] Todas as { $count } páginas desta secção
}

table-of-contents = Nesta página
language-switcher = Esta página noutras línguas
untranslated-languages = Ainda não traduzida para
choose-language = Escolha a sua língua
choose-language-hint = Este site está escrito em várias línguas. Escolha uma; a sua escolha é apenas uma ligação, nada é guardado.
all-languages = Todas as línguas

# Shown above a page whose translation is missing.
not-translated = Esta página ainda não está traduzida para { $language }; é mostrada em { $shown }.
translate-this-page = Traduzir esta página
edit-this-page = Editar esta página
original-of-page = Ler o original ({ $language })

pages-count = { $count ->
    [one] { $count } página
    [many] { $count } de páginas
   *[other] { $count } páginas
}
reading-time = { $minutes ->
    [one] { $minutes } minuto de leitura
    [many] { $minutes } de minutos de leitura
   *[other] { $minutes } minutos de leitura
}
published = Publicado em { $date }
updated = Atualizado em { $date }
draft = Rascunho: não publicado
in-this-section = Páginas nesta secção
subsections = Subsecções
tags = Etiquetas
tagged = Com a etiqueta «{ $term }»
taxonomy-terms = { $count ->
    [one] { $count } termo
    [many] { $count } de termos
   *[other] { $count } termos
}

page-not-found = Página não encontrada
page-not-found-text = A página que pediu não está aqui. Pode ter sido movida, ou a ligação pode estar errada.
go-home = Ir para a página inicial
feed = Feed Atom desta língua
site-footer = Informação do site
footer-text = Feito por uma rede de fornecedoras de internet cooperativas. Sem rastreadores nem terceiros: esta página não carregou nada de nenhum outro lugar.
redirecting = Esta página mudou de lugar. Ir para { $title }.

mirrors = Espelhos
mirrors-intro = { $count ->
    [one] Se este site estiver lento ou bloqueado onde está, leia esta página na outra cópia da rede:
   *[other] Se este site estiver lento ou bloqueado onde está, leia esta página numa das { $count } cópias mantidas pelos membros da rede:
}

# GitHub-style alerts in Markdown: > [!NOTE]
alert-note = Nota
alert-tip = Dica
alert-important = Importante
alert-warning = Aviso
alert-caution = Cuidado
facilitator-notes = Notas para quem facilita

# Pesquisa
search-title = Pesquisar
search-label = Pesquisar neste site
search-placeholder = Pesquisar…
search-button = Pesquisar
search-results = { $count ->
    [one] { $count } página encontrada
    [many] { $count } de páginas encontradas
   *[other] { $count } páginas encontradas
}
search-no-results = Nenhuma página corresponde a «{ $query }».
search-any-word = Nenhuma página tem todas as palavras; estas têm algumas.
search-closest-words = Algumas palavras não estão em nenhuma página tal como foram escritas: estas páginas têm as mais parecidas.
search-missing-part = Não foi possível carregar parte do índice de pesquisa a partir desta cópia do site, por isso podem faltar resultados.
search-more = Mais resultados
search-loading = A pesquisar…
search-failed = A pesquisa não pode funcionar aqui. Percorra as secções.
search-needs-js = A pesquisa precisa de JavaScript, que aqui está desligado ou não é suportado. Também pode chegar a cada página a partir das secções:

# Atualidade das traduções.
translation-outdated = O original desta página foi atualizado depois desta tradução.
translation-status = Estado das traduções
translations-title = Estado das traduções
translations-intro = Que parte deste site se pode ler em { $language } e onde é precisa ajuda para traduzir: primeiro as traduções que têm de ser postas em dia com o original, depois as páginas ainda por traduzir. Cada página é um ficheiro Markdown no repositório do site.
translations-complete = { $percent } % concluído, contado em palavras.
translation-state-outdated = Desatualizadas: o original mudou depois da tradução
translation-state-missing = Ainda por traduzir
translation-state-unknown = Estado desconhecido: não há registo da versão traduzida
translation-state-up-to-date = Atualizadas
translation-state-original = Escritas nesta língua
words-count = { $count ->
    [one] { $count } palavra
    [many] { $count } de palavras
   *[other] { $count } palavras
}
change-added = Acrescentado
change-removed = Removido
change-edited = Alterado
change-start = Início da página (título, resumo, introdução)
changes-unknown = Não se sabe o que mudou: a versão traduzida não está no histórico do repositório.
translation-draft = Há um rascunho em curso: { $file }
translation-start = Para começar a tradução:
translation-mark-current = Quando a tradução voltar a corresponder ao original:
# Leitura sem ligação: pacotes, o service worker, pacotes de oficina.
offline-download = Descarregar este idioma para ler sem ligação (ZIP, { $size })
offline-outside = Não está nesta cópia sem ligação
offline-keep = Guardar este idioma para ler sem ligação
offline-keep-progress = A guardar para ler sem ligação: { $done } de { $total } ficheiros…
offline-kept = Este idioma está guardado neste dispositivo para ler sem ligação.
offline-keep-failed = Não foi possível guardar. Tente de novo quando a ligação for melhor.
offline-copy = Está sem ligação: esta é uma cópia guardada neste dispositivo.
pack-downloads = Leva esta oficina contigo, sem ligação
pack-downloads-text = Cada pacote contém um pequeno site da oficina que funciona sem ligação, uma versão para imprimir, um livro eletrónico e as fontes em Markdown. Descompacte-o e abra index.html: nada precisa da internet.
pack-download-facilitators = Pacote para facilitadoras, com as suas notas (ZIP, { $size })
pack-download-participants = Pacote para participantes, sem as notas de facilitação (ZIP, { $size })
pack-outside = Não está neste pacote
pack-agenda = Programa
pack-about = Sobre esta oficina
pack-audience = Público
pack-materials = Materiais
pack-objectives = Objetivos
pack-duration = Duração
pack-module = Módulo
pack-total = Duração total: { $duration }
pack-modules-add-up = Os módulos somam { $duration }.
pack-no-duration = sem duração indicada
pack-shown-in = em { $language }
pack-print = Versão para imprimir
pack-epub = Livro eletrónico (EPUB)
pack-pdf = PDF
pack-sources = Fontes em Markdown
pack-in-this-pack = Neste pacote
pack-previous = Anterior
pack-next = Seguinte
pack-made-from = Um pacote de oficina de { $site }.
pack-participants = Versão para participantes: sem as notas de facilitação.
pack-contents = Índice
pack-search = Pesquisar neste pacote
duration-minutes = { $minutes } min
duration-hours = { $hours } h
duration-hours-minutes = { $hours } h { $minutes } min
