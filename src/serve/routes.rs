//! What each request gets: a file of the site from memory (folders by their
//! `index.html`, misses by the language's 404 page), the live-reload script
//! and events, or native search. Paths are decoded once and checked before
//! any lookup: `..` and `.` segments, backslashes and NUL are refused, and a
//! file copied from disk is served only if it really lies inside the site.

use std::net::IpAddr;
use std::sync::Arc;

use super::http::{Body, Reply, Request, Response};
use super::range::Wanted;
use super::store::{Served, Shared};
use crate::mirror::hosting::SECURITY_HEADERS;
use crate::site::NOT_FOUND_PAGE;

const LIVE_JS: &str = include_str!("live.js");
const LIVE_CSS: &str = include_str!("live.css");
/// Where serve's own files live; no site output goes there.
pub const PREFIX: &str = "/__infrared/";

pub struct Routes {
    pub shared: Arc<Shared>,
    /// Answer only to requests naming a local host (bound to loopback):
    /// stops other web sites from reading the preview through DNS rebinding.
    pub local_hosts_only: bool,
}

impl Routes {
    pub fn handle(&self, request: &Request) -> Reply {
        if self.local_hosts_only && !is_local_host(request.host.as_deref()) {
            return respond(Response::text(403, "infrared serve answers only to localhost and IP addresses"));
        }
        if request.method != "GET" && request.method != "HEAD" {
            return respond(Response::text(405, "only GET and HEAD").header("Allow", "GET, HEAD"));
        }
        let target = request.target.split('#').next().unwrap_or_default();
        let (raw_path, query) = target.split_once('?').unwrap_or((target, ""));
        let path = match decode_path(raw_path) {
            Ok(path) => path,
            Err(status) => return respond(Response::text(status, "bad path")),
        };
        match path.as_str() {
            "__infrared/live.js" => respond(Response::new(200, "text/javascript; charset=utf-8", LIVE_JS)),
            "__infrared/live.css" => respond(Response::new(200, "text/css; charset=utf-8", LIVE_CSS)),
            "__infrared/events" => self.events(query),
            "__infrared/open" => {
                self.shared.tell_open(&query_value(query, "path").unwrap_or_else(|| "/".into()));
                respond(Response::new(204, "text/plain; charset=utf-8", Vec::new()))
            }
            "api/search" => respond(super::search::answer(&self.shared, query)),
            _ => respond(self.site_file(&path, raw_path, query, request)),
        }
    }

    /// A file of the site, which is served under the path of its
    /// `base_url` (`/kb/`), as it will be published: the 404 pages link there.
    fn site_file(&self, path: &str, raw_path: &str, query: &str, request: &Request) -> Response {
        let site_path = self.shared.site_path();
        let prefix = percent_decode(&site_path[1..]).unwrap_or_else(|| site_path[1..].to_string());
        match path.strip_prefix(&prefix) {
            Some(rest) => self.file(rest, raw_path, query, request),
            None if path.is_empty() || format!("{path}/") == prefix => {
                Response::text(301, "moved").header("Location", site_path)
            }
            None => Response::text(404, &format!("not found: this site is served under {site_path}")),
        }
    }

    fn events(&self, query: &str) -> Reply {
        let page = query_value(query, "path").unwrap_or_else(|| "/".into());
        let (id, events) = self.shared.connect(&page);
        let hello = serde_json::json!({ "instance": self.shared.instance, "generation": self.shared.generation() });
        // The problems as they are now, none included: a stream opened
        // again (another tab took over) clears a panel fixed meanwhile.
        let problems = serde_json::to_string(&self.shared.problems()).unwrap_or_else(|_| "[]".into());
        let first = format!("retry: 500\nevent: hello\ndata: {hello}\n\nevent: problems\ndata: {problems}\n\n");
        let shared = self.shared.clone();
        Reply::Events { first, events, on_close: Box::new(move || shared.disconnect(id)) }
    }

    fn file(&self, path: &str, raw_path: &str, query: &str, request: &Request) -> Response {
        let key = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() };
        if let Some(served) = self.shared.get(&key) {
            if let Some(response) = self.contents(&key, served, Some(request)) {
                return response;
            }
        } else if self.shared.contains(&format!("{key}/index.html")) {
            let query = if query.is_empty() { String::new() } else { format!("?{query}") };
            return Response::text(301, "moved").header("Location", format!("{raw_path}/{query}"));
        }
        self.not_found(path)
    }

    /// The 404 page of the language the path is in (else the default
    /// language's). Its links are absolute paths, so they work at any address.
    fn not_found(&self, path: &str) -> Response {
        let first = path.split('/').next().unwrap_or_default();
        let lang_page = format!("{first}/{NOT_FOUND_PAGE}");
        let key = if !first.is_empty() && self.shared.contains(&lang_page) { lang_page } else { NOT_FOUND_PAGE.into() };
        match self.shared.get(&key).and_then(|served| self.contents(&key, served, None)) {
            Some(response) => response,
            None => Response::text(404, "not found"),
        }
    }

    /// A file as served: 200 (with ranges) when `found` is the request
    /// that asked for it, else the body of a 404.
    fn contents(&self, key: &str, served: Served, found: Option<&Request>) -> Option<Response> {
        let content_type = content_type(key);
        let html = content_type.starts_with("text/html");
        let (body, tag, version) = match served {
            Served::File(file) if !html => {
                let (file, tag) = self.open_inside_site(&file)?;
                let len = file.metadata().ok()?.len();
                (Body::File { file, start: 0, len }, tag, None)
            }
            Served::File(file) => self.page_body(std::fs::read(self.real_inside_site(&file)?).ok()?),
            kept if html => self.page_body(kept.bytes()?),
            kept => {
                let bytes = kept.bytes()?;
                let tag = format!("\"{}\"", page_version(&bytes));
                (Body::Bytes(bytes), tag, None)
            }
        };
        let response = match found {
            Some(request) => ranged(request, content_type, body, tag),
            None => Response::with_body(404, content_type, body),
        };
        // The headers the published site gets (`_headers`), so that the
        // preview breaks where the site would: a strict CSP above all.
        let headers = SECURITY_HEADERS.iter().filter(|(name, _)| *name != "X-Content-Type-Options");
        let response = headers.fold(response, |r, (name, value)| r.header(name, *value));
        Some(match version {
            Some(version) => response.header(VERSION_HEADER, version),
            None => response,
        })
    }

    /// A page with the live-reload script and problems put in, its ETag
    /// (of the bytes built and of what was put in) and its version (of the
    /// bytes built).
    fn page_body(&self, bytes: Vec<u8>) -> (Body, String, Option<String>) {
        let html = String::from_utf8_lossy(&bytes);
        let version = page_version(&bytes);
        let problems = self.shared.problems();
        let shown = inject(&html, &problems, &self.shared.instance, &version).into_bytes();
        // What is put in besides the page: hashing the page once is enough.
        let put_in = page_version(format!("{}\n{}", self.shared.instance, problems.join("\n")).as_bytes());
        (Body::Bytes(shown), format!("\"{version}-{put_in}\""), Some(version))
    }

    /// A copied file's real path, unless it (or a link on its way) leads
    /// outside the site's folder (or its `content/` and `static/`).
    fn real_inside_site(&self, file: &std::path::Path) -> Option<std::path::PathBuf> {
        let real = std::fs::canonicalize(file).ok()?;
        if !self.shared.allowed.iter().any(|folder| real.starts_with(folder)) {
            eprintln!("refused to serve {}: it leads outside the site, to {}", file.display(), real.display());
            return None;
        }
        Some(real)
    }

    /// A copied file opened for sending, with an ETag made of its size and
    /// modification time (hashing a large video on every seek would be slow).
    fn open_inside_site(&self, file: &std::path::Path) -> Option<(std::fs::File, String)> {
        let file = std::fs::File::open(self.real_inside_site(file)?).ok()?;
        let meta = file.metadata().ok()?;
        let modified = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        let nanos = modified.map_or(0, |d| d.as_nanos());
        Some((file, format!("\"{:x}-{nanos:x}\"", meta.len())))
    }
}

/// A found file's response: the part a single `Range` asks for (206), 416
/// for a range past its end, else all of it; a stale `If-Range` (an ETag
/// this file no longer has) gets all of it.
fn ranged(request: &Request, content_type: &str, body: Body, tag: String) -> Response {
    let len = body.len();
    let current = request.if_range.as_deref().is_none_or(|wanted| wanted == tag);
    let wanted =
        if request.method == "GET" && current { Wanted::of(request.range.as_deref(), len) } else { Wanted::Whole };
    let response = match wanted {
        Wanted::Whole => Response::with_body(200, content_type, body),
        Wanted::Part { start, end } => Response::with_body(206, content_type, body.part(start, end - start + 1))
            .header("Content-Range", format!("bytes {start}-{end}/{len}")),
        Wanted::Unsatisfiable => {
            Response::text(416, "range not satisfiable").header("Content-Range", format!("bytes */{len}"))
        }
    };
    response.header("Accept-Ranges", "bytes").header("ETag", tag)
}

fn respond(response: Response) -> Reply {
    Reply::Response(response)
}

/// The request path, percent-decoded once, without its leading `/`; 400
/// for anything that could name a file outside the site or that is not UTF-8.
pub fn decode_path(raw: &str) -> Result<String, u16> {
    let raw = raw.strip_prefix('/').ok_or(400u16)?;
    if raw.bytes().any(|b| b.is_ascii_control() || b == b'\\') {
        return Err(400);
    }
    let decoded = percent_decode(raw).ok_or(400u16)?;
    if decoded.contains(['\\', '\0']) || decoded.chars().any(char::is_control) {
        return Err(400);
    }
    if decoded.split('/').any(|segment| segment == ".." || segment == ".") {
        return Err(400);
    }
    Ok(decoded)
}

/// `%XX` escapes to bytes, which must make UTF-8; `None` for a bad escape.
fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A query parameter, `+` and `%XX` decoded.
pub fn query_value(query: &str, name: &str) -> Option<String> {
    query.split('&').filter_map(|pair| pair.split_once('=')).find(|(key, _)| *key == name).and_then(|(_, value)| {
        let value = value.replace('+', " ");
        percent_decode(&value)
    })
}

fn is_local_host(host: Option<&str>) -> bool {
    let Some(host) = host else {
        return true; // HTTP/1.0 clients send none; browsers always do.
    };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    let name = name.to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name.parse::<IpAddr>().is_ok()
}

pub fn content_type(path: &str) -> &'static str {
    // The lists and host files a build writes have no telling extension;
    // sent as bytes, a browser offers to download them instead of showing them.
    let name = path.rsplit('/').next().unwrap_or(path);
    if matches!(name, "_headers" | "_redirects" | "SHA256SUMS" | ".infrared-output") {
        return "text/plain; charset=utf-8";
    }
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" | "minisig" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "epub" => "application/epub+zip",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "ogv" => "video/ogg",
        "wav" => "audio/wav",
        "flac" => "audio/flac",
        "m4a" => "audio/mp4",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// The header that says which version of a page is served: a tab that may
/// have missed a reload event (its stream opened after the page loaded, or
/// another tab took over listening) asks for it and reloads if it differs.
const VERSION_HEADER: &str = "X-Infrared-Version";

/// A page's version: a hash (FNV-1a) of its bytes as built.
fn page_version(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")
}

/// A page as serve shows it: the live-reload script before `</body>` (with
/// the page's version), its stylesheet in the head, and the problems panel
/// at the top of the body.
pub fn inject(html: &str, problems: &[String], instance: &str, version: &str) -> String {
    let mut html = insert_before_close_tag(
        html,
        "head",
        &format!("<link rel=\"stylesheet\" href=\"{PREFIX}live.css\" data-infrared-live>"),
    );
    if !problems.is_empty() {
        html = insert_after_open_tag(&html, "body", &overlay(problems));
    }
    insert_before_close_tag(
        &html,
        "body",
        &format!(
            "<script src=\"{PREFIX}live.js\" data-instance=\"{instance}\" data-version=\"{version}\" defer></script>"
        ),
    )
}

/// The problems panel; `live.js` builds the same when problems arrive later.
pub fn overlay(problems: &[String]) -> String {
    let items: String =
        problems.iter().map(|p| format!("<pre>{}</pre>", crate::markdown::escape_text(p))).collect::<Vec<_>>().join("");
    format!(
        "<div id=\"infrared-problems\" role=\"alert\"><p><strong>infrared serve: {} problem{}.</strong> The last good version of each page is shown until it is fixed.</p>{items}</div>",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    )
}

fn insert_before_close_tag(html: &str, tag: &str, insert: &str) -> String {
    let lower = html.to_ascii_lowercase();
    match lower.rfind(&format!("</{tag}>")) {
        Some(at) => format!("{}{insert}{}", &html[..at], &html[at..]),
        None if tag == "body" => format!("{html}{insert}"),
        None => html.to_string(),
    }
}

fn insert_after_open_tag(html: &str, tag: &str, insert: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{tag}");
    let found = lower
        .match_indices(&open)
        .map(|(at, _)| at)
        .find(|&at| lower[at + open.len()..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace()));
    match found.and_then(|at| lower[at..].find('>').map(|end| at + end + 1)) {
        Some(at) => format!("{}{insert}{}", &html[..at], &html[at..]),
        None => format!("{insert}{html}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_and_host_files_a_build_writes_are_text() {
        for path in ["_headers", "_redirects", "SHA256SUMS", "SHA256SUMS.minisig", ".infrared-output"] {
            assert_eq!(content_type(path), "text/plain; charset=utf-8", "{path}");
        }
        assert_eq!(content_type("manifest.webmanifest"), "application/manifest+json");
        assert_eq!(content_type("en/_headers/x.bin"), "application/octet-stream", "only the file's own name counts");
    }

    #[test]
    fn paths_that_could_leave_the_site_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/en/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/a/%2e/b",
            "/a\\b",
            "/a%5c..%5cb",
            "/%00",
            "/%zz",
            "/%ff",
            "en",
        ] {
            assert!(decode_path(bad).is_err(), "{bad}");
        }
        assert_eq!(decode_path("/en/guides/").unwrap(), "en/guides/");
        assert_eq!(decode_path("/ar/%D8%AF%D9%84%D9%8A%D9%84/").unwrap(), "ar/دليل/");
        // Decoded once: a double-encoded dot-dot is a (missing) name, not a way up.
        assert_eq!(decode_path("/%252e%252e/x").unwrap(), "%2e%2e/x");
    }

    #[test]
    fn only_local_host_names_pass_the_guard() {
        for ok in [None, Some("localhost:1111"), Some("127.0.0.1:80"), Some("[::1]:1111"), Some("site.localhost")] {
            assert!(is_local_host(ok), "{ok:?}");
        }
        for bad in [Some("evil.example:1111"), Some("localhost.evil.example")] {
            assert!(!is_local_host(bad), "{bad:?}");
        }
    }

    #[test]
    fn pages_get_the_script_and_the_problems() {
        let html = "<!DOCTYPE html><html><head><title>x</title></head><body class=\"a\"><p>x</p></body></html>";
        let shown = inject(html, &["content/a.md:3: bad <date>".into()], "7", "v1");
        assert!(shown.contains("live.css\" data-infrared-live></head>"));
        assert!(shown.contains("<body class=\"a\"><div id=\"infrared-problems\""));
        assert!(shown.contains("bad &lt;date&gt;"));
        assert!(shown.ends_with(
            "<script src=\"/__infrared/live.js\" data-instance=\"7\" data-version=\"v1\" defer></script></body></html>"
        ));
        assert!(!inject(html, &[], "7", "v1").contains("infrared-problems"));
    }

    #[test]
    fn query_values_are_decoded() {
        assert_eq!(query_value("lang=ca&q=l%27aigua+neta", "q").as_deref(), Some("l'aigua neta"));
        assert_eq!(query_value("lang=ca", "q"), None);
    }
}
