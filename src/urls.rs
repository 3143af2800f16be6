//! Relative URLs between output files, so a build works under any path on any
//! mirror and from disk. Paths here are output paths relative to the site root,
//! `/`-separated; a folder path ends with `/` (`ca/guides/`), the root is `""`.
//! Paths are file names as on disk (`c#/`, `50%/`); the URLs made from them
//! are escaped (`c%23/`, `50%25/`).

use std::path::Path;

/// Links from one output file to others.
#[derive(Debug, Clone, Copy)]
pub struct Linker<'a> {
    /// Folder of the file the links are written into (`ca/guides/mirroring/`).
    from_dir: &'a str,
    /// Link folders as `…/index.html`, for `file://`.
    offline: bool,
    /// Write absolute paths under this prefix (`/kb/`) instead of relative links.
    absolute: Option<&'a str>,
}

impl<'a> Linker<'a> {
    pub fn new(from_dir: &'a str, offline: bool) -> Self {
        debug_assert!(from_dir.is_empty() || from_dir.ends_with('/'));
        Linker { from_dir, offline, absolute: None }
    }

    /// Links as absolute paths under `prefix` (which starts and ends with `/`):
    /// only for pages a server shows at other addresses than their own (404).
    pub fn absolute(prefix: &'a str) -> Self {
        debug_assert!(prefix.starts_with('/') && prefix.ends_with('/'));
        Linker { from_dir: "", offline: false, absolute: Some(prefix) }
    }

    /// Link to the output file or folder `to`, escaped: a URL, ready to
    /// use as it is (what would read as a scheme, `a:b/`, starts `./`).
    pub fn to(&self, to: &str) -> String {
        if let Some(prefix) = self.absolute {
            let mut url = prefix.to_string();
            push_encoded(&mut url, to);
            return url;
        }
        // Every page's context asks for some sixty links: the folders are
        // compared as bytes, up to the last `/` both share.
        let to_is_dir = to.is_empty() || to.ends_with('/');
        let (folders, file) = match to.rfind('/') {
            _ if to_is_dir => (to, None),
            Some(slash) => (&to[..=slash], Some(&to[slash + 1..])),
            None => ("", Some(to)),
        };
        let shared = self
            .from_dir
            .bytes()
            .zip(folders.bytes())
            .take_while(|(a, b)| a == b)
            .enumerate()
            .filter(|(_, (a, _))| *a == b'/')
            .last()
            .map_or(0, |(i, _)| i + 1);
        let climbs = self.from_dir[shared..].bytes().filter(|&b| b == b'/').count();
        let mut url = String::with_capacity(3 * climbs + folders.len() - shared + file.map_or(10, str::len) + 2);
        for _ in 0..climbs {
            url.push_str("../");
        }
        let rest = &to[shared..];
        if climbs == 0 && rest.split('/').next().is_some_and(|first| first.contains(':')) {
            url.push_str("./");
        }
        push_encoded(&mut url, &folders[shared..]);
        match file {
            Some(file) => push_encoded(&mut url, file),
            None if self.offline => url.push_str("index.html"),
            None if url.is_empty() => url.push_str("./"),
            None => {}
        }
        url
    }

    /// Link to a page folder: `lang/path/` (`path` without slashes at the ends).
    pub fn page(&self, lang: &str, path: &str) -> String {
        self.to(&page_dir(lang, path))
    }

    /// Prefix that leads to the site root, for templates: `../../`.
    pub fn root(&self) -> String {
        if let Some(prefix) = self.absolute {
            return prefix.to_string();
        }
        "../".repeat(self.from_dir.split_terminator('/').count())
    }
}

/// `path` below `base`, `/`-separated whatever the platform's separator.
pub fn relative_slash_path(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Output folder of a page: `ca/guides/mirroring/`, `ca/` for a home page.
pub fn page_dir(lang: &str, path: &str) -> String {
    // Asked for every link of every page: joined by hand, not by `format!`.
    let mut dir = String::with_capacity(lang.len() + path.len() + 2);
    dir.push_str(lang);
    dir.push('/');
    if !path.is_empty() {
        dir.push_str(path);
        dir.push('/');
    }
    dir
}

/// Join a relative reference onto a base folder, resolving `.` and `..`.
/// `None` when it climbs above the root.
pub fn join_normalized(base_dir: &str, reference: &str) -> Option<String> {
    let mut parts: Vec<&str> =
        if reference.starts_with('/') { Vec::new() } else { base_dir.split('/').filter(|p| !p.is_empty()).collect() };
    for part in reference.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Decode `%20`-style escapes in a link path (invalid ones are left as they are).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                out.push(high * 16 + low);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

fn hex_value(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// What follows a page's URL in a link to it: the link's query as written
/// (`?x=1`, or empty) and its heading anchor, escaped.
pub fn query_and_anchor(query: &str, anchor: Option<&str>) -> String {
    let mut out = query.to_string();
    if let Some(anchor) = anchor {
        out.push('#');
        push_encoded(&mut out, anchor);
    }
    out
}

/// Escape what must not appear raw in the query and fragment of a URL, as
/// a link writes them after its path (`?q=a b#x` → `?q=a%20b#x`): spaces,
/// quotes, `<`, `>`, control characters…, keeping `?`, `#`, `%`, `&` and `=`.
pub fn encode_suffix(suffix: &str) -> String {
    if !suffix.bytes().any(|b| needs_escape(b) && !matches!(b, b'?' | b'#' | b'%')) {
        return suffix.to_string();
    }
    let mut out = String::with_capacity(suffix.len() + 8);
    for c in suffix.chars() {
        if c.is_ascii() && needs_escape(c as u8) && !matches!(c, '?' | '#' | '%') {
            out.push_str(&format!("%{:02X}", c as u8));
        } else {
            out.push(c);
        }
    }
    out
}

/// Escape what must not appear raw in a URL path we write (spaces, quotes,
/// `#`, `?`, `%`, backslashes, control characters…), keeping every other
/// character, Unicode included.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    push_encoded(&mut out, path);
    out
}

/// [`encode_path`], onto `out`.
fn push_encoded(out: &mut String, path: &str) {
    // Asked for every link of every page: most paths need nothing escaped.
    if !path.bytes().any(needs_escape) {
        out.push_str(path);
        return;
    }
    for c in path.chars() {
        if c.is_ascii() && needs_escape(c as u8) {
            out.push_str(&format!("%{:02X}", c as u8));
        } else {
            out.push(c);
        }
    }
}

fn needs_escape(b: u8) -> bool {
    matches!(b, b' ' | b'"' | b'#' | b'%' | b'?' | b'<' | b'>' | b'\\' | b'`' | b'{' | b'}' | b'|' | b'^' | 0x7f)
        || b < 0x20
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_climb_only_as_far_as_needed() {
        let l = Linker::new("ca/guides/mirroring/", false);
        assert_eq!(l.page("ca", "guides/backups"), "../backups/");
        assert_eq!(l.page("es", "guides/mirroring"), "../../../es/guides/mirroring/");
        assert_eq!(l.page("ca", ""), "../../");
        assert_eq!(l.page("ca", "guides/mirroring"), "./");
        assert_eq!(l.to("assets/style.css"), "../../../assets/style.css");
        assert_eq!(l.to("ca/guides/mirroring/diagram.png"), "diagram.png");
        assert_eq!(l.root(), "../../../");
    }

    /// The relative link by lists of folders, the way it reads on paper.
    fn reference_link(from_dir: &str, to: &str, offline: bool) -> String {
        let from: Vec<&str> = from_dir.split_terminator('/').collect();
        let mut to_parts: Vec<&str> = to.split_terminator('/').collect();
        let file = if to.is_empty() || to.ends_with('/') { None } else { to_parts.pop() };
        let common = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
        let mut url =
            "../".repeat(from.len() - common) + &to_parts[common..].iter().map(|p| format!("{p}/")).collect::<String>();
        match file {
            Some(file) => url.push_str(file),
            None if offline => url.push_str("index.html"),
            None if url.is_empty() => url.push_str("./"),
            None => {}
        }
        url
    }

    #[test]
    fn links_agree_with_the_folder_by_folder_reference() {
        let dirs = ["", "ca/", "ca/guides/", "ca/guides/mirroring/", "es/guides/", "ca/guidesx/", "a//b/"];
        let targets = [
            "",
            "ca/",
            "ca/guides/",
            "ca/guides/mirroring/",
            "ca/guides/mirroring/diagram.png",
            "assets/style.css",
            "style.css",
            "es/",
            "ca/guides/mirroring/deeper/",
            "a//b/c",
            "/x",
            "ca/guides",
            "a//",
        ];
        for from in dirs {
            for to in targets {
                for offline in [false, true] {
                    assert_eq!(
                        Linker::new(from, offline).to(to),
                        reference_link(from, to, offline),
                        "{from} → {to} ({offline})"
                    );
                }
            }
        }
    }

    #[test]
    fn links_are_escaped_urls_of_file_names_as_on_disk() {
        let l = Linker::new("en/c#/", false);
        assert_eq!(l.page("en", "50%"), "../50%25/");
        assert_eq!(l.page("en", "why?"), "../why%3F/");
        assert_eq!(l.page("en", "c#"), "./");
        assert_eq!(l.to("en/c#/a b.png"), "a%20b.png");
        assert_eq!(l.to("en/c#/x:y.png"), "./x:y.png");
        assert_eq!(Linker::new("en/", true).page("en", "a:b"), "./a:b/index.html");
        assert_eq!(Linker::new("en/", false).page("ca", "a:b"), "../ca/a:b/");
        assert_eq!(Linker::absolute("/kb/").page("en", "c#"), "/kb/en/c%23/");
        assert_eq!(encode_path("a\\b\tc"), "a%5Cb%09c");
    }

    #[test]
    fn absolute_links_keep_the_prefix() {
        let l = Linker::absolute("/kb/");
        assert_eq!(l.page("ca", "guides"), "/kb/ca/guides/");
        assert_eq!(l.to("assets/style.css"), "/kb/assets/style.css");
        assert_eq!(l.root(), "/kb/");
    }

    #[test]
    fn offline_links_name_index_html() {
        let l = Linker::new("ca/guides/", true);
        assert_eq!(l.page("ca", "guides/backups"), "backups/index.html");
        assert_eq!(l.page("ca", "guides"), "index.html");
        assert_eq!(l.to(""), "../../index.html");
        assert_eq!(Linker::new("", true).to("en/"), "en/index.html");
    }

    #[test]
    fn joining_resolves_dots_and_refuses_to_leave_the_root() {
        assert_eq!(join_normalized("guides/mirroring", "../backups/").as_deref(), Some("guides/backups"));
        assert_eq!(join_normalized("guides", "/tutorials/email").as_deref(), Some("tutorials/email"));
        assert_eq!(join_normalized("guides", "../../x"), None);
    }

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(percent_decode("my%20file.png"), "my file.png");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("caf%C3%A9"), "café");
    }

    #[test]
    fn a_links_query_and_fragment_keep_their_syntax_and_lose_what_no_url_holds_raw() {
        assert_eq!(encode_suffix("?q=disk&lang=ca#top"), "?q=disk&lang=ca#top");
        assert_eq!(encode_suffix("?q=a b\"c<d>#x y"), "?q=a%20b%22c%3Cd%3E#x%20y");
        assert_eq!(encode_suffix("?q=50%25&r=é?#s"), "?q=50%25&r=é?#s");
        assert_eq!(query_and_anchor("?x=1", Some("a b")), "?x=1#a%20b");
        assert_eq!(query_and_anchor("", None), "");
    }
}
