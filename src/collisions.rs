//! Two things the build would write at one address: two pages (a `slug`
//! taking another page's place). Found from the site model, before anything
//! is rendered, so `check` lists them among its other findings and `build`,
//! `pack` and `serve` refuse them, each at the file (and line) that puts
//! something there.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{read_text, Error};
use crate::front_matter::field_line;
use crate::site::Site;

/// Something that writes a file of the output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Writer {
    /// The pages of a node (its index), in every language.
    Page(usize),
}

impl Writer {
    /// Of two writers on one address, the one reported (and asked to move)
    /// is the one ranked first: a page with a `slug` before one without.
    fn rank(&self, site: &Site) -> (u8, usize) {
        match self {
            Writer::Page(i) => (if site.primary_source(*i).front.slug.is_some() { 0 } else { 1 }, *i),
        }
    }

    /// The writer as named in an error reported at its own file.
    fn itself(&self) -> String {
        match self {
            Writer::Page(_) => "this page".to_string(),
        }
    }

    /// The writer as named in an error reported at another's file.
    fn named(&self, site: &Site) -> String {
        match self {
            Writer::Page(i) => format!("content/{}", site.primary_source(*i).rel_path),
        }
    }

    /// The file and line an error about the writer is reported at.
    fn location(&self, site: &Site) -> (PathBuf, Option<usize>) {
        match self {
            Writer::Page(i) => {
                let source = site.primary_source(*i);
                let line = source.front.slug.as_ref().and_then(|_| front_matter_line(&source.path, "slug"));
                (source.path.clone(), line)
            }
        }
    }

    fn hint(&self) -> &'static str {
        match self {
            Writer::Page(_) => "change the slug or the file name of one of them",
        }
    }
}

/// The addresses of the site's output and who writes there. Most of what a
/// build writes is written in every language at the same path below the
/// language's folder: those are kept once, not once per language.
#[derive(Default)]
struct Claims {
    /// Below every language's folder (`guides/x/index.html`).
    every_language: BTreeMap<String, Vec<Writer>>,
}

impl Claims {
    fn of(site: &Site) -> Claims {
        let mut claims = Claims::default();
        for (i, info) in site.nodes.iter().enumerate() {
            claims.in_every_language(index_html(&info.path), Writer::Page(i));
        }
        claims
    }

    fn in_every_language(&mut self, rel: String, writer: Writer) {
        self.every_language.entry(rel).or_default().push(writer);
    }

    /// Each address with more than one writer: (address as readers see it, writers).
    fn shared(&self) -> Vec<(String, Vec<Writer>)> {
        let mut shared = Vec::new();
        for (rel, writers) in &self.every_language {
            if writers.len() > 1 {
                shared.push((format!("/<lang>/{}", shown(rel)), writers.clone()));
            }
        }
        shared
    }
}

/// Every place two writers would write one file of the output, reported
/// once for each writer that has to give way, at its file and line, naming
/// the others and where they meet. Sorted; empty when there are none.
pub fn find(site: &Site) -> Vec<Error> {
    let claims = Claims::of(site);
    // The same writers usually meet in every language: one report, listing where.
    let mut meetings: BTreeMap<(Writer, Vec<Writer>), Vec<String>> = BTreeMap::new();
    for (address, mut writers) in claims.shared() {
        writers.sort_by_key(|w| w.rank(site));
        writers.dedup();
        let first = writers.remove(0);
        meetings.entry((first, writers)).or_default().push(address);
    }
    let mut errors: Vec<Error> =
        meetings.into_iter().map(|((first, others), addresses)| report(site, &first, &others, &addresses)).collect();
    errors.sort_by_key(|e| e.to_string());
    errors
}

/// [`find`] as one error (all of them), for the commands that refuse them.
pub fn refuse(site: &Site) -> crate::error::Result<()> {
    let errors = find(site);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::many(errors))
    }
}

fn report(site: &Site, first: &Writer, others: &[Writer], addresses: &[String]) -> Error {
    let names: Vec<String> = others.iter().map(|w| w.named(site)).collect();
    let all = if names.len() > 1 { "all" } else { "both" };
    let (path, line) = first.location(site);
    Error::input(
        path,
        line,
        format!("{} and {} would {all} be written to {}", first.itself(), and_list(&names), and_list_capped(addresses)),
        first.hint(),
    )
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The first three addresses, then how many more.
fn and_list_capped(addresses: &[String]) -> String {
    const SHOWN: usize = 3;
    if addresses.len() <= SHOWN {
        return and_list(addresses);
    }
    format!("{} and {} more addresses", addresses[..SHOWN].join(", "), addresses.len() - SHOWN)
}

/// The file written for a page at `path` (`""` for the home).
fn index_html(path: &str) -> String {
    if path.is_empty() {
        "index.html".to_string()
    } else {
        format!("{path}/index.html")
    }
}

/// An output path as its address: `x/index.html` is `x/`.
fn shown(rel: &str) -> &str {
    rel.strip_suffix("index.html").unwrap_or(rel)
}

/// 1-based line of a front-matter field of the file at `path`.
fn front_matter_line(path: &Path, field: &str) -> Option<usize> {
    read_text(path).ok().and_then(|text| field_line(&text, field)).map(|l| l + 1)
}
