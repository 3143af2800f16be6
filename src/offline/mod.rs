//! Reading without a connection: each language's offline bundle, and the
//! files the service worker needs.
//!
//! A bundle is a deterministic zip of one language's pages (fallbacks
//! included), rendered again by the site's [`Renderer`] with `file://` links
//! and a [`Scope`] of that language, plus its assets, files and search; it
//! opens at an `index.html` at the top. Its pages are zipped as they are
//! rendered, a batch at a time. The service worker (`sw.js`) gets,
//! per language, the list of files "keep this language" saves, with their
//! hashes, so a new build can tell which cached copies went stale.

mod service_worker;

use crate::error::CollectInOrder;
use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::archive;
use crate::config::Language;
use crate::error::{Error, Result};
use crate::feeds;
use crate::freshness::Freshness;
use crate::i18n::I18n;
use crate::markdown::{escape_attr, escape_text};
use crate::output::{self, Artifact};
use crate::scope::{Download, OutsideNote, Scope};
use crate::site::Site;
use crate::templates::{Renderer, Theme};

pub use service_worker::service_worker_files;

/// What every offline output is made of, from the site's build.
pub struct SiteParts<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub i18n: &'a I18n,
    /// Translation states, for the notice on outdated translations.
    pub freshness: &'a Freshness,
    /// Logical asset name (`style.css`) → fingerprinted output path.
    pub assets: &'a BTreeMap<String, String>,
    /// The theme's assets as the site writes them (`assets/style.1a2b….css`).
    pub asset_files: &'a [Artifact],
}

impl SiteParts<'_> {
    /// A renderer for an output that holds `scope`, linked for `file://`.
    pub fn renderer<'r>(&'r self, scope: &'r Scope) -> Renderer<'r> {
        Renderer {
            site: self.site,
            theme: self.theme,
            i18n: self.i18n,
            offline: true,
            assets: self.assets,
            freshness: self.freshness,
            scope: Some(scope),
            downloads: None,
        }
    }
}

pub use crate::site::bundle_path;

/// How many nodes' pages a bundle renders before zipping them: pages are
/// compressed as they come, so a bundle never holds its language's pages
/// all at once (eight bundles in flight would otherwise double the build's
/// peak memory).
const PAGES_ZIPPED_EVERY: usize = 64;

/// One language's bundle, with `search_files` (the language's browser
/// search and its analyzer): first, sorted by path, an `index.html` at the
/// top that opens the language's home, its tag pages, search page and feed
/// with `file://` links, its files, the assets and search; then its pages,
/// rendered and compressed side by side a batch at a time, and added in
/// order.
pub fn bundle(parts: &SiteParts, lang: &Language, search_files: &[Artifact]) -> Result<(Artifact, Download)> {
    let scope = Scope::language(&lang.code, OutsideNote::new(parts.i18n, &lang.code, "offline-outside"));
    let renderer = parts.renderer(&scope);
    let others = output::collect(files_but_pages(parts, lang, &renderer, search_files)?)?;
    let path = bundle_path(&lang.code);
    let mut zip = archive::Zip::new(&path);
    for artifact in &others {
        zip.add(&artifact.path, &archive::artifact_bytes(artifact)?)?;
    }
    let nodes: Vec<usize> = (0..parts.site.nodes.len()).collect();
    for batch in nodes.chunks(PAGES_ZIPPED_EVERY) {
        let pages = renderer.node_pages(batch)?;
        // Pages have paths of their own; another file may still claim one.
        for page in &pages {
            if let Ok(at) = others.binary_search_by(|a| a.path.cmp(&page.path)) {
                return Err(output::collision_error(&others[at], page));
            }
        }
        let prepared: Vec<archive::Prepared> = pages
            .par_iter()
            .map(|page| {
                archive::Prepared::new(&page.path, &archive::artifact_bytes(page)?)
                    .map_err(|message| Error::io(format!("{path} ({})", page.path), std::io::Error::other(message)))
            })
            .collect_in_order()?;
        for entry in prepared {
            zip.add_prepared(entry)?;
        }
    }
    let bytes = zip.finish()?;
    let download = Download { path: path.clone(), bytes: bytes.len() as u64, label_key: "offline-download" };
    Ok((Artifact::bytes(path, bytes), download))
}

/// The files of a language's bundle but its pages, as paths inside the zip.
fn files_but_pages(
    parts: &SiteParts,
    lang: &Language,
    renderer: &Renderer,
    search_files: &[Artifact],
) -> Result<Vec<Artifact>> {
    let site = parts.site;
    let mut files = renderer.taxonomies()?;
    files.extend(renderer.search_pages()?);
    files.extend(renderer.aliases());
    files.push(feeds::atom_feed(site, lang));
    files.push(opening_page(site, lang));
    for file in &site.corpus.files {
        let rel = site.content_file_output(&file.rel_path);
        files.push(Artifact::copy(format!("{}/{rel}", lang.code), &file.path));
    }
    for (rel, path) in &site.static_files {
        files.push(Artifact::copy(rel.clone(), path));
    }
    files.extend(parts.asset_files.iter().cloned());
    files.extend(search_files.iter().cloned());
    Ok(files)
}

/// `index.html` at the top of a bundle: sends the reader to the language's
/// home page (a link, for browsers that do not follow the refresh).
fn opening_page(site: &Site, lang: &Language) -> Artifact {
    let title = escape_text(lang.title.as_deref().unwrap_or(&site.config.title));
    let home = format!("{}/index.html", lang.code);
    let home = escape_attr(&home);
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={home}\">\n</head>\n<body>\n<p><a href=\"{home}\">{title}</a></p>\n</body>\n</html>\n",
        code = escape_attr(&lang.code),
        dir = lang.direction.as_str(),
    );
    Artifact::bytes("index.html", html)
}
