//! What every page a pack renders carries in its `<head>`, whatever theme
//! rendered it: the site's Content-Security-Policy (a trainer who opens the
//! pack on a laptop that happens to be online must not have it fetch from
//! other sites) and the stylesheet of the paper the pack prints on. The
//! default theme's `pack/` templates write both; a theme's own that leave
//! one out get it here, first in the head, so the policy governs everything
//! after it and the theme's own stylesheets still come later in the cascade.

/// The policy the default theme's pages carry: the site's own files only
/// (and `data:` images), no plugins, no `<base>`, forms only to the site.
pub const POLICY: &str = "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; form-action 'self'";

/// `html` with [`POLICY`] and a link to `paper_href` (a stylesheet) added
/// where it lacks them. A page whose theme wrote another policy keeps it
/// and gets this one too: a browser enforces both, so nothing the site's
/// policy refuses gets through.
pub fn guaranteed(html: &str, paper_href: &str) -> String {
    let mut missing = String::new();
    if !carries_policy(html) {
        missing.push_str(&format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\">\n"));
    }
    if !html.contains(&format!("href=\"{paper_href}\"")) {
        missing.push_str(&format!("<link rel=\"stylesheet\" href=\"{paper_href}\">\n"));
    }
    if missing.is_empty() {
        return html.to_string();
    }
    let at = insertion_point(html);
    format!("{}{missing}{}", &html[..at], &html[at..])
}

/// Whether a `<meta http-equiv="Content-Security-Policy">` of `html` holds
/// exactly [`POLICY`].
fn carries_policy(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    lower.match_indices("<meta").any(|(start, _)| {
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        tag.contains("http-equiv=\"content-security-policy\"")
            && html[start..end].contains(&format!("content=\"{POLICY}\""))
    })
}

/// Where what a page lacks goes: after its `<meta charset>` (which must
/// come first), else right after `<head>`, else after `<html>` or the
/// doctype (a head the browser makes up), else at the start.
fn insertion_point(html: &str) -> usize {
    let lower = html.to_ascii_lowercase();
    let after_tag = |name: &str| {
        let start = lower.find(name)?;
        let end = lower[start..].find('>')? + start + 1;
        Some(end + usize::from(lower[end..].starts_with('\n')))
    };
    let head = after_tag("<head");
    let charset = lower.find("<meta charset").filter(|&c| head.is_some_and(|h| c >= h)).and_then(|c| {
        let end = lower[c..].find('>')? + c + 1;
        Some(end + usize::from(lower[end..].starts_with('\n')))
    });
    charset.or(head).or_else(|| after_tag("<html")).or_else(|| after_tag("<!doctype")).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_with_both_is_left_as_it_is() {
        let page = format!(
            "<!DOCTYPE html>\n<html><head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\">\n<link rel=\"stylesheet\" href=\"assets/paper-a4.css\">\n</head></html>"
        );
        assert_eq!(guaranteed(&page, "assets/paper-a4.css"), page);
    }

    #[test]
    fn what_is_missing_goes_after_the_charset_or_the_head() {
        let page = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>x</title>\n</head></html>";
        let out = guaranteed(page, "../assets/paper-letter.css");
        let expected = format!("<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\">\n<link rel=\"stylesheet\" href=\"../assets/paper-letter.css\">\n<title>");
        assert!(out.contains(&expected), "{out}");
        let headless = "<!doctype html><HTML lang=\"en\"><p>Hi</p></HTML>";
        let out = guaranteed(headless, "p.css");
        assert!(out.starts_with("<!doctype html><HTML lang=\"en\"><meta http-equiv"), "{out}");
    }

    #[test]
    fn another_policy_gets_the_sites_beside_it() {
        let page = "<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src *\"><link rel=\"stylesheet\" href=\"p.css\"></head></html>";
        let out = guaranteed(page, "p.css");
        assert_eq!(out.matches("Content-Security-Policy").count(), 2, "{out}");
        assert!(out.contains(&format!("content=\"{POLICY}\"")), "{out}");
    }
}
