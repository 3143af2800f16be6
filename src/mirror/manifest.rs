//! What a build publishes about itself so that any copy can be checked:
//! `SHA256SUMS` (coreutils format, so `sha256sum -c` works with stock tools)
//! and `manifest.json` (sizes too, the site's title, source commit and keys).
//! Hashes come from the artifacts in memory, before anything is written.

use crate::error::CollectInOrder;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::digest::{digest_all, hex, Digest, Sha256};
use crate::error::{Error, Result};
use crate::output::{Artifact, Contents};

pub const SUMS_FILE: &str = "SHA256SUMS";
pub const SIGNATURE_FILE: &str = "SHA256SUMS.minisig";
pub const MANIFEST_FILE: &str = "manifest.json";
/// Version of the `manifest.json` format.
pub const MANIFEST_VERSION: u32 = 1;

/// One published file: where it is, how big, its SHA-256 in lowercase hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// `manifest.json`: every file but itself, `SHA256SUMS` and its signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub generator: String,
    pub title: String,
    /// The git commit the site was built from, when it was built from git.
    pub source_commit: Option<String>,
    /// When that commit was committed, in UTC (`2026-11-29T09:40:00Z`):
    /// `mirror pull` refuses to replace a copy by an older build.
    #[serde(default)]
    pub source_commit_date: Option<String>,
    /// The keys that `[mirror] public_keys` in site.toml says sign this site.
    #[serde(default)]
    pub public_keys: Vec<String>,
    pub files: Vec<FileEntry>,
}

impl Manifest {
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("a manifest serialises");
        json.push('\n');
        json
    }

    pub fn from_json(bytes: &[u8]) -> std::result::Result<Manifest, String> {
        let manifest: Manifest = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if manifest.version != MANIFEST_VERSION {
            return Err(format!(
                "manifest version {} is not {MANIFEST_VERSION}: use a matching infrared",
                manifest.version
            ));
        }
        for file in &manifest.files {
            check_entry(&file.path, &file.sha256)?;
        }
        if let Some(date) = manifest.source_commit_date.as_deref().filter(|d| !crate::git::is_utc_date(d)) {
            return Err(format!("source_commit_date {date:?} is not a date like 2026-11-29T09:40:00Z"));
        }
        Ok(manifest)
    }
}

/// SHA-256 of `bytes` in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// SHA-256 and size of a file, read in pieces.
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            return Ok((hex(&hasher.finalize()), size));
        }
        hasher.update(&buffer[..n]);
        size += n as u64;
    }
}

/// How many in-memory files a thread hashes together: enough to keep
/// [`digest_all`]'s lanes full but at the very end.
const HASHED_TOGETHER: usize = 128;

/// Size and hash of every artifact, in the artifacts' order; those `known`
/// lists (by path, hashed earlier in the same build) are not read again.
pub fn hash_artifacts(artifacts: &[Artifact], known: &[FileEntry]) -> Result<Vec<FileEntry>> {
    let known: HashMap<&str, &FileEntry> = known.iter().map(|f| (f.path.as_str(), f)).collect();
    let in_memory: Vec<(usize, &[u8])> = artifacts
        .iter()
        .enumerate()
        .filter(|(_, a)| !known.contains_key(a.path.as_str()))
        .filter_map(|(at, a)| match &a.contents {
            Contents::Bytes(bytes) => Some((at, bytes.as_slice())),
            Contents::Copy(_) => None,
        })
        .collect();
    let messages: Vec<&[u8]> = in_memory.iter().map(|&(_, bytes)| bytes).collect();
    let digests: Vec<Digest> = messages.par_chunks(HASHED_TOGETHER).flat_map_iter(digest_all).collect();
    let mut digest_of: Vec<Option<Digest>> = vec![None; artifacts.len()];
    for (&(at, _), digest) in in_memory.iter().zip(digests) {
        digest_of[at] = Some(digest);
    }
    artifacts
        .par_iter()
        .zip(digest_of)
        .map(|(artifact, digest)| {
            if let Some(&entry) = known.get(artifact.path.as_str()) {
                return Ok(entry.clone());
            }
            let (sha256, size) = match (&artifact.contents, digest) {
                (Contents::Bytes(bytes), Some(digest)) => (hex(&digest), bytes.len() as u64),
                (Contents::Bytes(bytes), None) => (sha256_hex(bytes), bytes.len() as u64),
                (Contents::Copy(source), _) => hash_file(source).map_err(|e| Error::io(source, e))?,
            };
            Ok(FileEntry { path: artifact.path.clone(), size, sha256 })
        })
        .collect_in_order()
}

/// `<hex>  <path>` lines, as `sha256sum` writes them. A path holding a
/// backslash or a newline is escaped the way coreutils does (leading `\`).
pub fn render_sums(files: &[FileEntry]) -> String {
    let mut text = String::new();
    for file in files {
        if file.path.contains(['\\', '\n']) {
            let escaped = file.path.replace('\\', "\\\\").replace('\n', "\\n");
            text.push_str(&format!("\\{}  {escaped}\n", file.sha256));
        } else {
            text.push_str(&format!("{}  {}\n", file.sha256, file.path));
        }
    }
    text
}

/// (path, sha256) of every line of a `SHA256SUMS` text, in its order.
/// Refuses paths that would leave the folder and paths listed twice.
pub fn parse_sums(text: &str) -> std::result::Result<Vec<(String, String)>, String> {
    let mut entries = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        let fail = |message: &str| format!("{SUMS_FILE} line {}: {message}", i + 1);
        if line.is_empty() {
            continue;
        }
        let (escaped, line) = match line.strip_prefix('\\') {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let (hash, path) =
            line.split_once("  ").or_else(|| line.split_once(" *")).ok_or_else(|| fail("not `<sha256>  <path>`"))?;
        let path =
            if escaped { unescape(path).ok_or_else(|| fail("bad escape in the path"))? } else { path.to_string() };
        check_entry(&path, hash).map_err(|e| fail(&e))?;
        if !seen.insert(path.clone()) {
            return Err(fail(&format!("{path} is listed twice")));
        }
        entries.push((path, hash.to_string()));
    }
    Ok(entries)
}

fn unescape(path: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                '\\' => out.push('\\'),
                'n' => out.push('\n'),
                _ => return None,
            },
            c => out.push(c),
        }
    }
    Some(out)
}

fn check_entry(path: &str, sha256: &str) -> std::result::Result<(), String> {
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("\"{sha256}\" is not a SHA-256 in hex"));
    }
    if !is_safe_relative_path(path) {
        return Err(format!("refusing the path \"{path}\": it would leave the folder"));
    }
    Ok(())
}

/// A `/`-separated relative path that stays inside its folder.
pub fn is_safe_relative_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains(['\\', '\0'])
        && path.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
}

/// The files of a manifest that `SHA256SUMS` lists: all of them plus
/// `manifest.json` itself, with the same hashes. Returns what disagrees.
pub fn disagreements(manifest: &Manifest, sums: &[(String, String)]) -> Vec<String> {
    let listed: std::collections::BTreeMap<&str, &str> =
        sums.iter().map(|(p, h)| (p.as_str(), h.as_str())).filter(|(p, _)| *p != MANIFEST_FILE).collect();
    let described: std::collections::BTreeMap<&str, &str> =
        manifest.files.iter().map(|f| (f.path.as_str(), f.sha256.as_str())).collect();
    let mut problems = Vec::new();
    for (path, hash) in &listed {
        match described.get(path) {
            None => problems.push(format!("{path} is in {SUMS_FILE} but not in {MANIFEST_FILE}")),
            Some(h) if h != hash => problems.push(format!("{path} has another hash in {MANIFEST_FILE}")),
            Some(_) => {}
        }
    }
    for path in described.keys().filter(|p| !listed.contains_key(*p)) {
        problems.push(format!("{path} is in {MANIFEST_FILE} but not in {SUMS_FILE}"));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, bytes: &[u8]) -> FileEntry {
        FileEntry { path: path.into(), size: bytes.len() as u64, sha256: sha256_hex(bytes) }
    }

    #[test]
    fn sums_are_in_coreutils_format_and_read_back() {
        let files = vec![entry("a b/c.html", b"x"), entry("new\nline", b"y")];
        let text = render_sums(&files);
        assert!(text.starts_with(&format!("{}  a b/c.html\n", sha256_hex(b"x"))));
        let escaped = format!("\\{}  new\\nline\n", sha256_hex(b"y"));
        assert!(text.ends_with(&escaped), "{text}");
        let parsed = parse_sums(&text).unwrap();
        assert_eq!(parsed[0], ("a b/c.html".into(), sha256_hex(b"x")));
        assert_eq!(parsed[1].0, "new\nline");
    }

    #[test]
    fn sums_that_would_leave_the_folder_are_refused() {
        let hash = sha256_hex(b"x");
        for path in ["../etc/passwd", "/etc/passwd", "a/../../b", "a//b"] {
            let err = parse_sums(&format!("{hash}  {path}\n")).unwrap_err();
            assert!(err.contains("line 1"), "{err}");
        }
        assert!(parse_sums(&format!("{hash}  a\n{hash}  a\n")).unwrap_err().contains("twice"));
        assert!(parse_sums("nothex  a\n").is_err());
    }

    #[test]
    fn manifest_round_trips_and_disagreements_are_named() {
        let manifest = Manifest {
            version: MANIFEST_VERSION,
            generator: "infrared test".into(),
            title: "T".into(),
            source_commit: None,
            source_commit_date: Some("2026-11-29T09:40:00Z".into()),
            public_keys: vec![],
            files: vec![entry("a.html", b"a"), entry("b.html", b"b")],
        };
        let json = manifest.to_json();
        assert_eq!(Manifest::from_json(json.as_bytes()).unwrap(), manifest);
        let sums = vec![
            ("a.html".to_string(), sha256_hex(b"a")),
            ("b.html".to_string(), sha256_hex(b"other")),
            (MANIFEST_FILE.to_string(), sha256_hex(json.as_bytes())),
        ];
        assert_eq!(disagreements(&manifest, &sums), ["b.html has another hash in manifest.json"]);
    }
}
