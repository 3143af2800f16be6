//! EPUB 3 writer for workshop packs: a package document with language,
//! direction (`page-progression-direction` for right-to-left books), a
//! navigation document whose table of contents nests each chapter's
//! sections, XHTML chapters, a stylesheet and the images the chapters show.
//! Deterministic: the identifier is derived from the content's identity and
//! the modification date from its front matter, never from the clock.

use std::fmt::Write;

use crate::archive::Zip;
use crate::error::Result;
use crate::markdown::{escape_attr, escape_text};

const STYLESHEET: &str = include_str!("epub.css");

pub struct Book {
    /// `urn:uuid:…`, stable for one workshop in one language.
    pub identifier: String,
    pub title: String,
    /// The language of `title` and `description` (the workshop's page as
    /// shown: a fallback's, when not translated) and its direction.
    pub title_lang: String,
    pub title_dir: &'static str,
    pub lang: String,
    pub dir: &'static str,
    pub creator: String,
    pub description: Option<String>,
    /// `CCYY-MM-DDThh:mm:ssZ`.
    pub modified: String,
    /// Heading of the table of contents, in the book's language.
    pub contents_title: String,
    /// The attributes of an element showing `contents_title`: its
    /// language's, when not the book's (`Pack::marking`), else none.
    pub contents_marking: String,
    pub chapters: Vec<Chapter>,
    pub resources: Vec<Resource>,
}

pub struct Chapter {
    /// File name inside the book (`m1.xhtml`).
    pub file: String,
    pub title: String,
    /// The attributes of an element showing `title`: its language's, when
    /// not the book's (a UI string, a page shown from a fallback), else none.
    pub title_marking: String,
    /// Well-formed XHTML for inside `<body>`.
    pub body: String,
    /// Sections for the table of contents: (id in the chapter, title).
    pub sections: Vec<(String, String)>,
}

/// An image a chapter shows.
pub struct Resource {
    /// Relative to the book's folder, named by [`name_inside`] (`files/ar/guides/x/diagram.svg`).
    pub path: String,
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Media types an EPUB reader must support, by extension.
pub fn core_media_type(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        _ => return None,
    })
}

/// The name a file of the site gets inside the book: ASCII letters, digits,
/// `-`, `.` and `/` as they are, any other byte as `_` and two hex digits
/// (`_` itself too: `_5F`). So no name needs escaping in a link (epubcheck
/// warns of every name with a space), and two paths never share a name:
/// `my photo.png` → `my_20photo.png`, `my_20photo.png` → `my_5F20photo.png`.
pub fn name_inside(path: &str) -> String {
    let mut name = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'/' => name.push(byte as char),
            _ => {
                let _ = write!(name, "_{byte:02X}");
            }
        }
    }
    name
}

/// A stable `urn:uuid:` from what identifies a book (name-based, like UUID v5).
pub fn identifier(identity: &str) -> String {
    use crate::digest::Sha256;
    let mut bytes: [u8; 16] = Sha256::digest(identity.as_bytes())[..16].try_into().expect("16 bytes");
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("urn:uuid:{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// The whole EPUB, as bytes.
pub fn write(book: &Book, name: &str) -> Result<Vec<u8>> {
    let mut zip = Zip::new(name);
    zip.add_stored("mimetype", b"application/epub+zip")?;
    zip.add("META-INF/container.xml", CONTAINER.as_bytes())?;
    zip.add("EPUB/package.opf", package(book).as_bytes())?;
    zip.add("EPUB/nav.xhtml", navigation(book).as_bytes())?;
    zip.add("EPUB/style.css", STYLESHEET.as_bytes())?;
    for chapter in &book.chapters {
        zip.add(&format!("EPUB/{}", chapter.file), chapter_document(book, chapter).as_bytes())?;
    }
    for resource in &book.resources {
        zip.add(&format!("EPUB/{}", resource.path), &resource.bytes)?;
    }
    zip.finish()
}

const CONTAINER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n  <rootfiles>\n    <rootfile full-path=\"EPUB/package.opf\" media-type=\"application/oebps-package+xml\"/>\n  </rootfiles>\n</container>\n";

fn package(book: &Book) -> String {
    let mut opf = String::new();
    let _ = write!(
        opf,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"uid\" xml:lang=\"{lang}\" dir=\"{dir}\">\n  <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n    <dc:identifier id=\"uid\">{id}</dc:identifier>\n    <dc:title{about}>{title}</dc:title>\n    <dc:language>{lang}</dc:language>\n    <dc:creator>{creator}</dc:creator>\n",
        about = title_attributes(book),
        lang = escape_attr(&book.lang),
        dir = book.dir,
        id = escape_text(&book.identifier),
        title = escape_text(&book.title),
        creator = escape_text(&book.creator),
    );
    if let Some(description) = &book.description {
        let _ = writeln!(
            opf,
            "    <dc:description{}>{}</dc:description>",
            title_attributes(book),
            escape_text(description)
        );
    }
    let _ = write!(
        opf,
        "    <meta property=\"dcterms:modified\">{}</meta>\n  </metadata>\n  <manifest>\n    <item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n    <item id=\"style\" href=\"style.css\" media-type=\"text/css\"/>\n",
        escape_text(&book.modified)
    );
    for (n, chapter) in book.chapters.iter().enumerate() {
        let _ = writeln!(
            opf,
            "    <item id=\"c{n}\" href=\"{}\" media-type=\"application/xhtml+xml\"/>",
            escape_attr(&chapter.file)
        );
    }
    for (n, resource) in book.resources.iter().enumerate() {
        let _ = writeln!(
            opf,
            "    <item id=\"r{n}\" href=\"{}\" media-type=\"{}\"/>",
            escape_attr(&encode_href(&resource.path)),
            resource.media_type
        );
    }
    let progression =
        if book.dir == "rtl" { " page-progression-direction=\"rtl\"" } else { " page-progression-direction=\"ltr\"" };
    let _ = writeln!(opf, "  </manifest>\n  <spine{progression}>");
    for n in 0..book.chapters.len() {
        let _ = writeln!(opf, "    <itemref idref=\"c{n}\"/>");
    }
    opf.push_str("    <itemref idref=\"nav\" linear=\"no\"/>\n  </spine>\n</package>\n");
    opf
}

/// The attributes of the package's title and description: their language
/// and direction when not the book's, else none.
fn title_attributes(book: &Book) -> String {
    if book.title_lang == book.lang {
        return String::new();
    }
    let dir = if book.title_dir == book.dir { String::new() } else { format!(" dir=\"{}\"", book.title_dir) };
    format!(" xml:lang=\"{}\"{dir}", escape_attr(&book.title_lang))
}

/// The start of an XHTML document up to `<body>`, titled `title` (an
/// element with `marking`'s attributes).
fn document_start(book: &Book, title: &str, marking: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"{lang}\" lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"UTF-8\"/>\n<title{marking}>{title}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n",
        lang = escape_attr(&book.lang),
        dir = book.dir,
        title = escape_text(title),
    )
}

fn navigation(book: &Book) -> String {
    let contents = &book.contents_marking;
    let mut nav = document_start(book, &book.contents_title, contents);
    let _ = write!(
        nav,
        "<body>\n<nav epub:type=\"toc\" id=\"toc\">\n<h1{contents}>{}</h1>\n<ol>\n",
        escape_text(&book.contents_title)
    );
    for chapter in &book.chapters {
        let file = escape_attr(&chapter.file);
        let marking = &chapter.title_marking;
        let _ = write!(nav, "<li><a href=\"{file}\"{marking}>{}</a>", escape_text(&chapter.title));
        if !chapter.sections.is_empty() {
            nav.push_str("\n<ol>\n");
            for (id, title) in &chapter.sections {
                let _ = writeln!(
                    nav,
                    "<li><a href=\"{file}#{}\"{marking}>{}</a></li>",
                    escape_attr(&encode_href(id)),
                    escape_text(title)
                );
            }
            nav.push_str("</ol>\n");
        }
        nav.push_str("</li>\n");
    }
    nav.push_str("</ol>\n</nav>\n");
    if let Some(first) = book.chapters.first() {
        let _ = write!(
            nav,
            "<nav epub:type=\"landmarks\" hidden=\"\">\n<ol>\n<li><a epub:type=\"toc\" href=\"nav.xhtml#toc\"{contents}>{}</a></li>\n<li><a epub:type=\"bodymatter\" href=\"{}\"{}>{}</a></li>\n</ol>\n</nav>\n",
            escape_text(&book.contents_title),
            escape_attr(&first.file),
            first.title_marking,
            escape_text(&first.title)
        );
    }
    nav.push_str("</body>\n</html>\n");
    nav
}

fn chapter_document(book: &Book, chapter: &Chapter) -> String {
    let mut xhtml = document_start(book, &chapter.title, &chapter.title_marking);
    xhtml.push_str("<body>\n");
    xhtml.push_str(&chapter.body);
    xhtml.push_str("\n</body>\n</html>\n");
    xhtml
}

/// Paths in `href`s: what URLs cannot carry raw is escaped.
fn encode_href(path: &str) -> String {
    crate::urls::encode_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_stable_uuids() {
        let a = identifier("site/training/digital-care/ar");
        assert_eq!(a, identifier("site/training/digital-care/ar"));
        assert_ne!(a, identifier("site/training/digital-care/en"));
        assert_eq!(a.len(), "urn:uuid:".len() + 36);
        assert_eq!(&a[9 + 14..9 + 15], "5", "version 5 layout: {a}");
    }

    #[test]
    fn names_inside_need_no_escaping_and_never_collide() {
        assert_eq!(name_inside("files/en/w/my photo.png"), "files/en/w/my_20photo.png");
        assert_eq!(name_inside("files/en/w/my_20photo.png"), "files/en/w/my_5F20photo.png");
        assert_eq!(name_inside("files/ca/guia/diagrama-1.SVG"), "files/ca/guia/diagrama-1.SVG");
        assert_eq!(name_inside("files/ar/مخطط.svg"), "files/ar/_D9_85_D8_AE_D8_B7_D8_B7.svg");
        let names = ["a b.png", "a_20b.png", "a%20b.png", "a+b.png", "a_b.png", "a__b.png", "a_5Fb.png"];
        let inside: std::collections::BTreeSet<String> = names.iter().map(|n| name_inside(n)).collect();
        assert_eq!(inside.len(), names.len(), "{inside:?}");
        assert!(inside.iter().all(|n| crate::urls::encode_path(n) == *n));
    }

    #[test]
    fn right_to_left_books_say_so() {
        let book = Book {
            identifier: identifier("x"),
            title: "ورشة".into(),
            title_lang: "ar".into(),
            title_dir: "rtl",
            lang: "ar".into(),
            dir: "rtl",
            creator: "شبكة".into(),
            description: None,
            modified: "2026-05-12T00:00:00Z".into(),
            contents_title: "المحتويات".into(),
            contents_marking: String::new(),
            chapters: vec![Chapter {
                file: "m1.xhtml".into(),
                title: "أ".into(),
                title_marking: String::new(),
                body: "<p>نص</p>".into(),
                sections: vec![("m1.why".into(), "لماذا".into())],
            }],
            resources: Vec::new(),
        };
        let opf = package(&book);
        assert!(opf.contains("<spine page-progression-direction=\"rtl\">"), "{opf}");
        assert!(opf.contains("<dc:language>ar</dc:language>"), "{opf}");
        let nav = navigation(&book);
        assert!(nav.contains("dir=\"rtl\"") && nav.contains("href=\"m1.xhtml#m1.why\""), "{nav}");
    }
}
