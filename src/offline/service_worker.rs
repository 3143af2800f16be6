//! The service worker's files: `sw.js` at the site's root, and per language
//! the list of files "keep this language" saves (`offline-files.json`, each
//! with its content hash) and a web app manifest so phones can install the
//! site. The worker's VERSION is a hash of all the lists, so any change to
//! the site makes a new worker, which drops what went stale.

use std::collections::BTreeMap;

use serde_json::json;

use crate::archive::artifact_bytes;
use crate::config::Language;
use crate::error::{Error, Result};
use crate::output::{fingerprint, Artifact, FINGERPRINT_HEX_DIGITS};
use crate::site::{Site, OFFLINE_FILES, SERVICE_WORKER, WEB_APP_MANIFEST};
use crate::urls::Linker;

/// The worker's code; the build prepends VERSION and LANGUAGES.
const WORKER: &str = include_str!("sw.js");

/// Downloads are not kept for offline reading: they are copies already.
fn is_download(path: &str) -> bool {
    [".zip", ".epub", ".pdf"].iter().any(|ext| path.ends_with(ext))
}

/// `sw.js`, and each language's `offline-files.json` and
/// `manifest.webmanifest`, for a site whose other files `sha256` maps to
/// their SHA-256 in hex (hashed once, for this and for the mirror manifest).
pub fn service_worker_files(
    site: &Site,
    sha256: &BTreeMap<&str, &str>,
    assets: &BTreeMap<String, String>,
) -> Result<Vec<Artifact>> {
    let manifests: Vec<Artifact> =
        site.config.languages.iter().map(|lang| web_app_manifest(site, lang, assets)).collect();
    let mut hashes: BTreeMap<&str, String> = sha256
        .iter()
        .filter(|(path, _)| !is_download(path))
        .map(|(&path, hash)| (path, hash[..FINGERPRINT_HEX_DIGITS].to_string()))
        .collect();
    for manifest in &manifests {
        hashes.insert(manifest.path.as_str(), fingerprint(&artifact_bytes(manifest)?));
    }
    let mut files = Vec::new();
    let mut lists = String::new();
    for lang in &site.config.languages {
        let list = serde_json::to_string(&json!({
            "lang": lang.code,
            "files": language_files(&lang.code, &hashes),
        }))
        .map_err(|e| Error::io(OFFLINE_FILES, std::io::Error::other(e)))?;
        lists.push_str(&list);
        files.push(Artifact::bytes(format!("{}/{OFFLINE_FILES}", lang.code), list));
    }
    let version = fingerprint(format!("{lists}{WORKER}").as_bytes());
    let languages: Vec<&str> = site.config.languages.iter().map(|l| l.code.as_str()).collect();
    let worker = format!("const VERSION = {};\nconst LANGUAGES = {};\n{WORKER}", json!(version), json!(languages));
    files.push(Artifact::bytes(SERVICE_WORKER, worker));
    files.extend(manifests);
    Ok(files)
}

/// What keeping `lang` saves: its pages (as the folder URLs readers visit)
/// and files, the theme's assets, and its search files.
fn language_files(lang: &str, hashes: &BTreeMap<&str, String>) -> BTreeMap<String, String> {
    let own = format!("{lang}/");
    let search = format!("search/{lang}/");
    let analyzer =
        crate::search::export::analyzer_artifact(lang).map(|(_, _, artifact)| artifact.path).unwrap_or_default();
    hashes
        .iter()
        .filter(|(path, _)| {
            path.starts_with(&own) || path.starts_with("assets/") || path.starts_with(&search) || **path == analyzer
        })
        .map(|(path, hash)| {
            let url = match path.strip_suffix("index.html") {
                Some(folder) if folder.is_empty() || folder.ends_with('/') => folder,
                _ => path,
            };
            (crate::urls::encode_path(url), hash.clone())
        })
        .collect()
}

/// `/<lang>/manifest.webmanifest`: installs the site, opening at the
/// language's home; relative URLs, so it works on any mirror.
fn web_app_manifest(site: &Site, lang: &Language, assets: &BTreeMap<String, String>) -> Artifact {
    let dir = format!("{}/", lang.code);
    let linker = Linker::new(&dir, false);
    let name = lang.title.as_deref().unwrap_or(&site.config.title);
    let description = lang.description.as_deref().unwrap_or(&site.config.description);
    let icons: Vec<serde_json::Value> = assets
        .get("favicon.svg")
        .map(|icon| json!({ "src": linker.to(icon), "sizes": "any", "type": "image/svg+xml" }))
        .into_iter()
        .collect();
    let manifest = json!({
        "name": name,
        "short_name": name,
        "description": description,
        "lang": lang.code,
        "dir": lang.direction.as_str(),
        "start_url": "./",
        "scope": "../",
        "display": "standalone",
        "background_color": "#fdfcfb",
        "theme_color": "#7a1f5c",
        "icons": icons,
    });
    Artifact::bytes(
        format!("{dir}{WEB_APP_MANIFEST}"),
        serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_listed_as_the_folders_readers_visit() {
        let hashes: BTreeMap<&str, String> = [
            ("ca/index.html", "1"),
            ("ca/guides/index.html", "2"),
            ("ca/guides/hardening/layers.svg", "3"),
            ("ca/atom.xml", "4"),
            ("es/index.html", "5"),
            ("assets/style.0123456789.css", "6"),
            ("search/ca/manifest.js", "7"),
            ("search/es/manifest.js", "8"),
            ("sitemap.xml", "9"),
        ]
        .into_iter()
        .map(|(p, h)| (p, h.to_string()))
        .collect();
        let files = language_files("ca", &hashes);
        let paths: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(
            paths,
            [
                "assets/style.0123456789.css",
                "ca/",
                "ca/atom.xml",
                "ca/guides/",
                "ca/guides/hardening/layers.svg",
                "search/ca/manifest.js"
            ]
        );
    }
}
