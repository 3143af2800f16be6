//! A pack's EPUB: the agenda as a title page, then the workshop's page and
//! its modules, one chapter each, with the images they show inside the book.

use super::*;
use crate::markdown::{escape_attr, escape_text};

pub fn book(pack: &Pack) -> Result<epub::Book> {
    let agenda = pack.agenda("", None)?;
    let mut resources: BTreeMap<String, (&'static str, std::path::PathBuf)> = BTreeMap::new();
    let mut chapters = vec![agenda_chapter(pack, &agenda)];
    for number in 0..pack.pages.len() {
        chapters.push(page_chapter(pack, &agenda, number, &mut resources)?);
    }
    let resources = resources
        .into_iter()
        .map(|(path, (media_type, file))| {
            let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
            Ok(epub::Resource { path, media_type, bytes })
        })
        .collect::<Result<_>>()?;
    let (source, _) = pack.site.version(pack.workshop.index, &pack.lang.code);
    let date = source.front.updated.as_ref().or(source.front.date.as_ref());
    Ok(epub::Book {
        identifier: epub::identifier(&format!(
            "{}\n{}\n{}\n{}",
            pack.site.config.base_url.as_deref().unwrap_or(&pack.site.config.title),
            identifier(pack.site, pack.workshop.index),
            pack.lang.code,
            pack.options.participants
        )),
        title: pack.site.title(pack.workshop.index, &pack.lang.code),
        title_lang: agenda["lang"].as_str().unwrap_or(&pack.lang.code).to_string(),
        title_dir: if agenda["dir"] == "rtl" { "rtl" } else { "ltr" },
        lang: pack.lang.code.clone(),
        dir: pack.lang.direction.as_str(),
        creator: pack.site_title(),
        description: source.front.description.clone(),
        modified: date.map_or_else(|| "2000-01-01T00:00:00Z".to_string(), |d| format!("{}T00:00:00Z", d.ymd())),
        contents_title: pack.t("pack-contents"),
        contents_marking: pack.marking("pack-contents"),
        chapters,
        resources,
    })
}

fn text(value: &serde_json::Value) -> String {
    escape_text(value.as_str().unwrap_or_default())
}

/// `lang`, `xml:lang` and `dir` attributes for content in `lang`.
fn lang_attributes(lang: &str, dir: &str) -> String {
    let lang = escape_attr(lang);
    format!(" lang=\"{lang}\" xml:lang=\"{lang}\" dir=\"{dir}\"")
}

fn agenda_chapter(pack: &Pack, agenda: &serde_json::Value) -> epub::Chapter {
    let mut body = format!(
        "<section id=\"agenda\" epub:type=\"titlepage\"{}>\n<h1>{}</h1>\n",
        lang_attributes(agenda["lang"].as_str().unwrap_or_default(), agenda["dir"].as_str().unwrap_or("ltr")),
        text(&agenda["title"])
    );
    if let Some(description) = agenda["description"].as_str() {
        body.push_str(&format!("<p>{}</p>\n", escape_text(description)));
    }
    body.push_str("</section>\n<section epub:type=\"preamble\">\n");
    body.push_str(&format!("<p{}>{}</p>\n", pack.marking("pack-made-from"), text(&agenda["made_from"])));
    if pack.options.participants {
        body.push_str(&format!(
            "<p class=\"notice\"{}>{}</p>\n",
            pack.marking("pack-participants"),
            escape_text(&pack.t("pack-participants"))
        ));
    }
    if let Some(audience) = agenda["audience"].as_str() {
        body.push_str(&format!(
            "<p><strong{}>{}:</strong> {}</p>\n",
            pack.marking("pack-audience"),
            escape_text(&pack.t("pack-audience")),
            escape_text(audience)
        ));
    }
    if let Some(total) = agenda["total_minutes"].as_u64() {
        let sentence = pack.duration_sentence("pack-total", total as u32, true);
        body.push_str(&format!("<p><strong>{sentence}</strong></p>\n"));
    }
    body.push_str(&format!(
        "<h2{}>{}</h2>\n<table class=\"agenda\">\n<tbody>\n",
        pack.marking("pack-agenda"),
        escape_text(&pack.t("pack-agenda"))
    ));
    for module in agenda["modules"].as_array().into_iter().flatten() {
        let number = module["number"].as_u64().unwrap_or_default();
        let mut row = format!(
            "<tr><td>{number}</td><td><a href=\"m{number}.xhtml\"{}>{}</a>",
            lang_attributes(module["lang"].as_str().unwrap_or_default(), module["dir"].as_str().unwrap_or("ltr")),
            text(&module["title"])
        );
        if let Some(language) = module["other_language"].as_str() {
            let mut args = FluentArgs::new();
            args.set("language", FluentValue::from(language.to_string()));
            row.push_str(&format!(
                " {}",
                pack.marked(
                    "pack-shown-in",
                    &format!("({})", pack.parts.i18n.t(&pack.lang.code, "pack-shown-in", Some(&args)))
                )
            ));
        }
        let duration = module["duration"].as_str().map_or_else(
            || format!("<td{}>{}</td>", pack.marking("pack-no-duration"), escape_text(&pack.t("pack-no-duration"))),
            |duration| {
                format!("<td{}>{}</td>", pack.marking_from(&language_of_duration(module)), escape_text(duration))
            },
        );
        row.push_str(&format!("</td>{duration}</tr>\n"));
        body.push_str(&row);
    }
    body.push_str("</tbody>\n</table>\n");
    let materials = agenda["materials"].as_array().cloned().unwrap_or_default();
    if !materials.is_empty() {
        body.push_str(&format!(
            "<h2{}>{}</h2>\n<ul>\n",
            pack.marking("pack-materials"),
            escape_text(&pack.t("pack-materials"))
        ));
        for material in &materials {
            body.push_str(&format!("<li>{}</li>\n", text(material)));
        }
        body.push_str("</ul>\n");
    }
    body.push_str("</section>");
    epub::Chapter {
        file: "agenda.xhtml".into(),
        title: pack.t("pack-agenda"),
        title_marking: pack.marking("pack-agenda"),
        body,
        sections: Vec::new(),
    }
}

fn page_chapter(
    pack: &Pack,
    agenda: &serde_json::Value,
    number: usize,
    resources: &mut BTreeMap<String, (&'static str, std::path::PathBuf)>,
) -> Result<epub::Chapter> {
    let entry = if number == 0 { &agenda["about"] } else { &agenda["modules"][number - 1] };
    let content = pack.content(number, |link| epub_href(pack, link, resources));
    let prefix = format!("m{number}.");
    let content = html::rewrite(&content, html::Options { id_prefix: &prefix, xhtml: true });
    let reader = lang_attributes(&pack.lang.code, pack.lang.direction.as_str());
    let mut body = format!(
        "<section id=\"m{number}\" epub:type=\"chapter\"{}>\n<h1>{}</h1>\n",
        lang_attributes(entry["lang"].as_str().unwrap_or_default(), entry["dir"].as_str().unwrap_or("ltr")),
        text(&entry["title"])
    );
    if let Some(notice) = pack.notice(number) {
        body.push_str(&format!("<p class=\"notice\"{reader}>{}</p>\n", pack.marked("not-translated", &notice)));
    }
    body.push_str(&module_meta(pack, entry, &reader));
    body.push_str(&content);
    body.push_str("\n</section>");
    let (_, rendered) = pack.site.version(pack.pages[number], &pack.lang.code);
    let sections = rendered
        .toc
        .iter()
        .filter(|h| h.level == 2)
        .map(|h| (format!("{prefix}{}", h.id), h.title.clone()))
        .filter(|(id, _)| content.contains(&format!("id=\"{}\"", escape_attr(id))))
        .collect();
    Ok(epub::Chapter {
        file: format!("m{number}.xhtml"),
        title: entry["title"].as_str().unwrap_or_default().to_string(),
        title_marking: pack.marking_from(entry["lang"].as_str().unwrap_or(&pack.lang.code)),
        body,
        sections,
    })
}

/// The language an agenda entry's duration is written in.
fn language_of_duration(entry: &serde_json::Value) -> String {
    entry["duration_lang"].as_str().unwrap_or_default().to_string()
}

fn module_meta(pack: &Pack, entry: &serde_json::Value, reader: &str) -> String {
    let objectives = entry["objectives"].as_array().cloned().unwrap_or_default();
    let duration = entry["duration"].as_str();
    if duration.is_none() && objectives.is_empty() {
        return String::new();
    }
    let mut meta = format!("<div class=\"module-meta\"{reader}>\n");
    if let Some(duration) = duration {
        meta.push_str(&format!(
            "<p><strong{}>{}:</strong> {}</p>\n",
            pack.marking("pack-duration"),
            escape_text(&pack.t("pack-duration")),
            pack.marked_from(&language_of_duration(entry), duration)
        ));
    }
    if !objectives.is_empty() {
        meta.push_str(&format!(
            "<p><strong{}>{}:</strong></p>\n<ul{}>\n",
            pack.marking("pack-objectives"),
            escape_text(&pack.t("pack-objectives")),
            lang_attributes(entry["lang"].as_str().unwrap_or_default(), entry["dir"].as_str().unwrap_or("ltr"))
        ));
        for objective in &objectives {
            meta.push_str(&format!("<li>{}</li>\n", text(objective)));
        }
        meta.push_str("</ul>\n");
    }
    meta.push_str("</div>\n");
    meta
}

/// A file's name inside the book, different from every other file's even
/// ignoring case (a book's names must be, as reading systems may fold them):
/// the first of `Photo.png` and `photo.png` keeps its name, the second
/// becomes `photo~2.png` (`~` is in no name [`epub::name_inside`] makes). A
/// file met again keeps the name it got.
fn unique_inside(
    resources: &BTreeMap<String, (&'static str, std::path::PathBuf)>,
    inside: String,
    source: &std::path::Path,
) -> String {
    if let Some((name, _)) = resources.iter().find(|(_, (_, file))| file == source) {
        return name.clone();
    }
    let taken = |name: &str| resources.keys().any(|other| other.to_lowercase() == name.to_lowercase());
    if !taken(&inside) {
        return inside;
    }
    let (stem, extension) = match inside.rfind('.').filter(|&dot| dot > inside.rfind('/').map_or(0, |slash| slash + 1))
    {
        Some(dot) => inside.split_at(dot),
        None => (inside.as_str(), ""),
    };
    (2..).map(|n| format!("{stem}~{n}{extension}")).find(|name| !taken(name)).expect("some number is free")
}

/// Links in a chapter: other pages of the pack are other chapters; the
/// images it shows travel inside the book; what a book cannot hold
/// (other files, remote images) is marked or left as text.
fn epub_href(pack: &Pack, link: &Link, resources: &mut BTreeMap<String, (&'static str, std::path::PathBuf)>) -> Href {
    let shows = matches!(&link.form, LinkForm::Image { .. })
        || matches!(&link.form, LinkForm::Attribute { name, .. } if name != "href");
    match &link.target {
        // A chapter is a file of the book, with no script to read a query
        // and no server to answer one: the query goes, the anchor stays.
        LinkTarget::Page { key, query, anchor } => match pack.position(key) {
            Some(number) => Href::To(match anchor {
                Some(a) => format!("m{number}.xhtml#m{number}.{}", encode_path(a)),
                None => format!("m{number}.xhtml"),
            }),
            None => pack.outside(key, query, anchor),
        },
        LinkTarget::Anchor(anchor) => Href::To(format!("#{}", encode_path(anchor))),
        LinkTarget::External(_) if shows => Href::Broken,
        LinkTarget::External(url) => Href::To(url.clone()),
        target @ (LinkTarget::ContentFile { .. } | LinkTarget::StaticFile { .. }) => {
            let file = pack.linked_file(target);
            match (file, shows) {
                (Some((path, source)), true) => match epub::core_media_type(&path) {
                    Some(media_type) => {
                        let inside = unique_inside(resources, epub::name_inside(&format!("files/{path}")), &source);
                        resources.insert(inside.clone(), (media_type, source));
                        Href::To(inside)
                    }
                    None => Href::Broken,
                },
                (Some(_), false) => Href::Outside { url: None, note: Note::default() },
                (None, _) => Href::Broken,
            }
        }
        LinkTarget::Generated { place, path, suffix } => pack.outside_generated(place, path, suffix),
        LinkTarget::Broken { .. } => Href::Broken,
    }
}
