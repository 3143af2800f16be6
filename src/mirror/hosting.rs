//! `_headers` and `_redirects` for Netlify (and hosts that read the same
//! files): security headers with a strict Content-Security-Policy, a long
//! cache for fingerprinted assets, old paths (aliases) redirected, and each
//! language's own 404 page. Members' own servers get the same rules from the
//! nginx and caddy snippets in README.md and the mirroring guide.

use crate::output::Artifact;
use crate::site::{Site, HEADERS_FILE, NOT_FOUND_PAGE, REDIRECTS_FILE};
use crate::templates::{alias_file, alias_is_for, root_alias_file, root_redirect_file};
use crate::urls::{encode_path, page_dir};

use super::manifest::{MANIFEST_FILE, SIGNATURE_FILE, SUMS_FILE};

/// No inline scripts or styles, nothing from other origins.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Headers every response carries.
pub const SECURITY_HEADERS: &[(&str, &str)] = &[
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
];

/// Fingerprinted names change with their content: cache them for a year.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The type of the signed lists, which have no extension a server knows.
pub const PLAIN_TEXT: &str = "text/plain; charset=utf-8";

pub fn netlify_files(site: &Site) -> Vec<Artifact> {
    vec![Artifact::bytes(HEADERS_FILE, headers()), Artifact::bytes(REDIRECTS_FILE, redirects(site))]
}

fn headers() -> String {
    let mut text = String::from("# Written by infrared build: response headers for Netlify.\n/*\n");
    for (name, value) in SECURITY_HEADERS {
        text.push_str(&format!("  {name}: {value}\n"));
    }
    text.push_str(&format!("/assets/*\n  Cache-Control: {IMMUTABLE}\n"));
    // What mirrors check must never be served stale; the two lists without
    // an extension are text (a host would send them untyped, or as bytes).
    for file in [SUMS_FILE, SIGNATURE_FILE, MANIFEST_FILE] {
        text.push_str(&format!("/{file}\n  Cache-Control: no-cache\n"));
        if file != MANIFEST_FILE {
            text.push_str(&format!("  Content-Type: {PLAIN_TEXT}\n"));
        }
    }
    text
}

fn redirects(site: &Site) -> String {
    let mut text = String::from("# Written by infrared build: old paths, then each language's 404 page.\n");
    let mut aliases = Vec::new();
    let redirect = |file: &str, to: &str| {
        let from = if file == "index.html" { "" } else { file.strip_suffix("/index.html").unwrap_or(file) };
        format!("/{}  /{}  301!\n", encode_path(from), encode_path(to))
    };
    for (i, info) in site.nodes.iter().enumerate() {
        let original = site.primary_source(i);
        for alias in &original.front.aliases {
            let languages = &site.config.languages;
            for lang in languages.iter().filter(|l| alias_is_for(alias, &l.code, languages)) {
                aliases.push(redirect(&alias_file(alias, &lang.code), &page_dir(&lang.code, &info.path)));
            }
            // Outside every language's folder, also at the root, to the language it was written in.
            if let Some(file) = root_alias_file(alias, &site.config.languages) {
                aliases.push(redirect(&file, &page_dir(&original.lang, &info.path)));
            }
        }
        if let Some(file) = root_redirect_file(&site.config, &info.path) {
            aliases.push(redirect(&file, &page_dir(&original.lang, &info.path)));
        }
    }
    aliases.sort();
    aliases.dedup();
    text.extend(aliases);
    for lang in &site.config.languages {
        let code = &lang.code;
        text.push_str(&format!("/{code}/*  /{code}/{NOT_FOUND_PAGE}  404\n"));
    }
    text.push_str(&format!("/*  /{NOT_FOUND_PAGE}  404\n"));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_are_cached_and_every_path_gets_the_policy() {
        let text = headers();
        assert!(text.starts_with("# Written by infrared build"));
        assert!(text.contains(&format!("/*\n  Content-Security-Policy: {CONTENT_SECURITY_POLICY}\n")));
        assert!(text.contains(&format!("/assets/*\n  Cache-Control: {IMMUTABLE}\n")));
        for list in [SUMS_FILE, SIGNATURE_FILE] {
            let rule = format!("/{list}\n  Cache-Control: no-cache\n  Content-Type: {PLAIN_TEXT}\n");
            assert!(text.contains(&rule), "{list} is text: {text}");
        }
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
    }
}
