//! Machine-readable outputs: an Atom feed per language, `sitemap.xml` with
//! hreflang alternates, and `robots.txt`. Absolute URLs appear only here, and
//! only when `base_url` is set, because these standards demand them.

use std::fmt::Write;

use crate::config::Language;
use crate::markdown::escape_attr;
use crate::output::Artifact;
use crate::site::Site;
use crate::templates::summarize;
use crate::urls::{encode_path, page_dir, Linker};

/// `/<lang>/atom.xml`: the newest dated pages written in that language.
pub fn atom_feed(site: &Site, lang: &Language) -> Artifact {
    let mut entries: Vec<(String, usize)> = site
        .corpus
        .nodes
        .iter()
        .enumerate()
        .filter_map(|(i, node)| {
            let date = node.versions.get(&lang.code)?.front.date.as_ref()?;
            Some((date.rfc3339(), i))
        })
        .collect();
    entries.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    entries.truncate(site.config.feed_limit);
    let updated = entries.first().map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |e| e.0.clone());
    let dir = format!("{}/", lang.code);
    let linker = Linker::new(&dir, false);
    let title = lang.title.as_deref().unwrap_or(&site.config.title);
    let mut xml = String::new();
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n<id>{}</id>\n<updated>{updated}</updated>\n<link rel=\"self\" href=\"atom.xml\"/>\n<link rel=\"alternate\" href=\"./\"/>\n<author><name>{}</name></author>\n",
        escape_attr(&lang.code),
        escape_attr(title),
        escape_attr(&absolute_or_urn(site, &dir)),
        escape_attr(&site.config.title),
    );
    for (date, i) in entries {
        let source = &site.node(i).versions[&lang.code];
        let rendered = &site.rendered[i][&lang.code];
        let path = page_dir(&lang.code, &site.nodes[i].path);
        let updated = source.front.updated.as_ref().map_or(date.clone(), |d| d.rfc3339());
        let summary = source.front.description.clone().unwrap_or_else(|| summarize(rendered.lead(true), 300));
        let _ = write!(
            xml,
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" href=\"{}\"/>\n<published>{date}</published>\n<updated>{updated}</updated>\n<summary>{}</summary>\n</entry>\n",
            escape_attr(&site.title(i, &lang.code)),
            escape_attr(&absolute_or_urn(site, &path)),
            escape_attr(&site_link(site, &linker, &path)),
            escape_attr(&summary),
        );
    }
    xml.push_str("</feed>\n");
    Artifact::bytes(format!("{}/{}", lang.code, crate::site::FEED), xml)
}

/// Absolute when `base_url` is known (feed readers resolve the rest).
fn site_link(site: &Site, linker: &Linker, path: &str) -> String {
    match &site.config.base_url {
        Some(base) => format!("{base}/{}", encode_path(path)),
        None => linker.to(path),
    }
}

/// Atom ids must be permanent IRIs: the page's URL, or a URN naming its path.
fn absolute_or_urn(site: &Site, path: &str) -> String {
    match &site.config.base_url {
        Some(base) => format!("{base}/{}", encode_path(path)),
        None => format!("urn:infrared:{}", encode_path(path.trim_end_matches('/'))),
    }
}

/// Every written version with its translations as hreflang alternates.
pub fn sitemap(site: &Site) -> Artifact {
    let location = |path: &str| match &site.config.base_url {
        Some(base) => format!("{base}/{}", encode_path(path)),
        None => encode_path(path),
    };
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for (i, node) in site.corpus.nodes.iter().enumerate() {
        let path = &site.nodes[i].path;
        for lang in site.config.languages.iter().filter(|l| node.versions.contains_key(&l.code)) {
            let _ = writeln!(xml, "<url>\n<loc>{}</loc>", escape_attr(&location(&page_dir(&lang.code, path))));
            let source = &node.versions[&lang.code];
            if let Some(date) = source.front.updated.as_ref().or(source.front.date.as_ref()) {
                let _ = writeln!(xml, "<lastmod>{}</lastmod>", date.ymd());
            }
            for alt in site.config.languages.iter().filter(|l| node.versions.contains_key(&l.code)) {
                let _ = writeln!(
                    xml,
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    escape_attr(&alt.code),
                    escape_attr(&location(&page_dir(&alt.code, path)))
                );
            }
            xml.push_str("</url>\n");
        }
    }
    xml.push_str("</urlset>\n");
    Artifact::bytes(crate::site::SITEMAP, xml)
}

pub fn robots(site: &Site) -> Artifact {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &site.config.base_url {
        let _ = writeln!(text, "Sitemap: {base}/sitemap.xml");
    }
    Artifact::bytes(crate::site::ROBOTS, text)
}
