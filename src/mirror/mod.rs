//! Mirrors: what a build publishes so that a copy can be proved to be
//! exactly what the network published (`SHA256SUMS`, its minisign
//! signature, `manifest.json`, host configuration), and the commands that
//! check a copy (`verify`) and update one over HTTP (`mirror pull`).
//!
//! Reads the artifacts and the config; never changes what the rest of the
//! build produced, only adds files beside it.

pub mod fetch;
pub mod git;
pub mod hosting;
pub mod manifest;
pub mod pull;
pub mod sign;
pub mod verify;

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::output::{self, Artifact};

use fetch::Source;
use manifest::{FileEntry, Manifest, MANIFEST_FILE, MANIFEST_VERSION, SIGNATURE_FILE, SUMS_FILE};
use sign::{Signer, SigningKey, TrustedKey};

/// Called as long work moves on: (stage, done, total), as `build` does.
pub type Progress<'a> = &'a (dyn Fn(&str, usize, usize) + Sync);

/// Largest `SHA256SUMS` or `manifest.json` we read (about a million files).
pub const MAX_LIST_BYTES: u64 = 256 * 1024 * 1024;
const MAX_SIGNATURE_BYTES: u64 = 64 * 1024;

/// Adds `manifest.json`, `SHA256SUMS` (covering every file and the manifest)
/// and, given a key, `SHA256SUMS.minisig` to a build's sorted artifacts.
/// `hashed` are artifacts the build hashed already (see
/// [`manifest::hash_artifacts`]).
pub fn seal(
    artifacts: Vec<Artifact>,
    hashed: &[FileEntry],
    config: &Config,
    key: Option<&SigningKey>,
) -> Result<Vec<Artifact>> {
    let files = manifest::hash_artifacts(&artifacts, hashed)?;
    let commit = git::source_commit(&config.root);
    let commit_date = commit.as_deref().and_then(|c| crate::git::commit_date(&config.root, c));
    let manifest = Manifest {
        version: MANIFEST_VERSION,
        generator: concat!("infrared ", env!("CARGO_PKG_VERSION")).into(),
        title: config.title.clone(),
        source_commit: commit.clone(),
        source_commit_date: commit_date,
        public_keys: config.mirror.public_keys.clone(),
        files,
    };
    let json = manifest.to_json();
    let mut listed = manifest.files;
    listed.push(FileEntry {
        path: MANIFEST_FILE.into(),
        size: json.len() as u64,
        sha256: manifest::sha256_hex(json.as_bytes()),
    });
    listed.sort_by(|a, b| a.path.cmp(&b.path));
    let sums = manifest::render_sums(&listed);
    let mut sealed = artifacts;
    if let Some(key) = key {
        let config_file = config.root.join(crate::config::CONFIG_FILE);
        check_key_is_listed(key, &config.mirror.public_keys, &config_file)?;
        let comment = trusted_comment(&config.title, commit.as_deref(), listed.len());
        sealed.push(Artifact::bytes(SIGNATURE_FILE, key.sign(sums.as_bytes(), &comment)?));
    }
    sealed.push(Artifact::bytes(MANIFEST_FILE, json));
    sealed.push(Artifact::bytes(SUMS_FILE, sums));
    output::collect(sealed)
}

/// A site that lists its keys must be signed with one of them, or no
/// mirror that trusts the list would accept it.
fn check_key_is_listed(key: &SigningKey, listed: &[String], listed_in: &Path) -> Result<()> {
    if listed.is_empty() || listed.iter().any(|k| k.trim() == key.public_key_base64()) {
        return Ok(());
    }
    Err(Error::input(
        listed_in,
        None,
        format!("the signing key {} ({}) is not among [mirror] public_keys", key.id(), key.path.display()),
        format!("add \"{}\" to public_keys, or sign with a listed key", key.public_key_base64()),
    ))
}

/// Signed along with `SHA256SUMS`, shown by `minisign -V`. No timestamp:
/// nothing in the output reads the clock.
fn trusted_comment(title: &str, commit: Option<&str>, files: usize) -> String {
    format!("site: {title} | commit: {} | files: {files}", commit.unwrap_or("none"))
}

/// Signs an already built folder again (`infrared sign`), after checking
/// that its files match its `SHA256SUMS`. Returns how many files it lists.
pub fn sign_folder(dir: &Path, key: &SigningKey) -> Result<usize> {
    let source = fetch::DirSource(dir.to_path_buf());
    let jobs = std::thread::available_parallelism().map_or(2, |n| n.get());
    let report = verify::verify(&source, Some(dir), &crate::keep::Kept::default(), &[], jobs)?;
    if !report.ok() {
        let mut shown: Vec<String> = report.problems.iter().take(10).map(|p| format!("  {p}")).collect();
        if report.problems.len() > shown.len() {
            shown
                .push(format!("  … and {} more (infrared verify lists them all)", report.problems.len() - shown.len()));
        }
        return Err(Error::input(
            dir.join(SUMS_FILE),
            None,
            format!(
                "refusing to sign: {} in the folder:\n{}",
                match report.problems.len() {
                    1 => "1 problem".to_string(),
                    n => format!("{n} problems"),
                },
                shown.join("\n")
            ),
            "sign only a folder that matches its SHA256SUMS: rebuild it, or pull a verified copy",
        ));
    }
    let sums = std::fs::read(dir.join(SUMS_FILE)).map_err(|e| Error::io(dir.join(SUMS_FILE), e))?;
    let manifest = Published::read(&source, &[], Some(&|_| Vec::new()))?.manifest.map(|m| m.manifest);
    let (title, commit, listed) = manifest.map(|m| (m.title, m.source_commit, m.public_keys)).unwrap_or_default();
    check_key_is_listed(key, &listed, &dir.join(MANIFEST_FILE))?;
    let signature = key.sign(&sums, &trusted_comment(&title, commit.as_deref(), report.files))?;
    let target = dir.join(SIGNATURE_FILE);
    let temporary = dir.join(format!(".{SIGNATURE_FILE}.{}", std::process::id()));
    std::fs::write(&temporary, signature)
        .and_then(|_| std::fs::rename(&temporary, &target))
        .map_err(|e| Error::io(&target, e))?;
    Ok(report.files)
}

/// The keys to check signatures with: the given `.pub` files, else
/// `[mirror] public_keys` of the site's config.
pub fn trusted_keys(files: &[std::path::PathBuf], config: Option<&Config>) -> Result<Vec<TrustedKey>> {
    if !files.is_empty() {
        return files.iter().map(|f| TrustedKey::from_file(f)).collect();
    }
    let Some(config) = config else {
        return Ok(Vec::new());
    };
    let path = config.root.join(crate::config::CONFIG_FILE);
    config
        .mirror
        .public_keys
        .iter()
        .map(|k| {
            TrustedKey::parse(k, format!("{} [mirror] public_keys", path.display())).map_err(|m| {
                Error::input(
                    &path,
                    None,
                    format!("[mirror] public_keys: \"{k}\": {m}"),
                    "list keys as `infrared keygen` prints them: RW…",
                )
            })
        })
        .collect()
}

/// For a SHA-256, local files that may hold those bytes already.
pub type LocalCopies<'a> = &'a dyn Fn(&str) -> Vec<PathBuf>;

/// `manifest.json`, checked against its hash in the signed `SHA256SUMS`.
pub struct SignedManifest {
    pub manifest: Manifest,
    pub bytes: Vec<u8>,
    /// Read from the source, rather than found locally.
    pub fetched: bool,
}

/// A copy's published lists, read and (given keys) checked.
pub struct Published {
    pub sums: Vec<u8>,
    pub signature: Option<Vec<u8>>,
    /// (path, sha256) from `SHA256SUMS`, sorted by path.
    pub entries: Vec<(String, String)>,
    /// `manifest.json` when the copy has one and its hash matches.
    pub manifest: Option<SignedManifest>,
    /// Who signed, when keys were given; `None` when none was.
    pub signer: Option<Signer>,
}

impl Published {
    /// Reads `SHA256SUMS` and, with keys, checks its signature first.
    /// `manifest.json` is read only when `manifest_from` is given: it names,
    /// for the signed hash, local files that may already hold those bytes
    /// (an unchanged site then costs no more than its `SHA256SUMS`); the
    /// first that does is used, else the source's.
    pub fn read(source: &dyn Source, keys: &[TrustedKey], manifest_from: Option<LocalCopies>) -> Result<Published> {
        let fail = |path: &str, message: String, hint: &str| Error::input(source.locate(path), None, message, hint);
        let sums = source.fetch(SUMS_FILE, MAX_LIST_BYTES).map_err(|e| {
            let hint = match e {
                fetch::FetchError::Failed(_) => {
                    "the copy did not answer properly: check its address, or try again later"
                }
                _ => "is this an infrared site built with a version that writes SHA256SUMS?",
            };
            fail(SUMS_FILE, format!("cannot read the list of files: {e}"), hint)
        })?;
        let (signature, signer) = if keys.is_empty() {
            (source.fetch(SIGNATURE_FILE, MAX_SIGNATURE_BYTES).ok(), None)
        } else {
            let signature = source.fetch(SIGNATURE_FILE, MAX_SIGNATURE_BYTES).map_err(|e| {
                fail(
                    SIGNATURE_FILE,
                    format!("no signature: {e}"),
                    "the copy must be signed by a trusted key (infrared build --sign-key, or infrared sign)",
                )
            })?;
            let signer = sign::verify(&sums, &signature, keys).map_err(|m| {
                fail(SIGNATURE_FILE, m, "do not trust this copy; check the key you were given with another member")
            })?;
            (Some(signature), Some(signer))
        };
        let text = String::from_utf8(sums.clone())
            .map_err(|_| fail(SUMS_FILE, "not UTF-8 text".into(), "the file is damaged"))?;
        let mut entries = manifest::parse_sums(&text).map_err(|m| fail(SUMS_FILE, m, "the file is damaged"))?;
        entries.sort();
        let manifest = match manifest_from {
            Some(local) => Self::read_manifest(source, &entries, local)?,
            None => None,
        };
        Ok(Published { sums, signature, entries, manifest, signer })
    }

    fn read_manifest(
        source: &dyn Source,
        entries: &[(String, String)],
        local: LocalCopies,
    ) -> Result<Option<SignedManifest>> {
        let Some((_, hash)) = entries.iter().find(|(p, _)| p == MANIFEST_FILE) else {
            return Ok(None);
        };
        let fail = |message: String| {
            Error::input(source.locate(MANIFEST_FILE), None, message, "the copy is damaged or was tampered with")
        };
        let unchanged =
            local(hash).iter().find_map(|path| std::fs::read(path).ok().filter(|b| manifest::sha256_hex(b) == *hash));
        let fetched = unchanged.is_none();
        let bytes = match unchanged {
            Some(bytes) => bytes,
            None => source.fetch(MANIFEST_FILE, MAX_LIST_BYTES).map_err(|e| fail(format!("cannot read: {e}")))?,
        };
        if manifest::sha256_hex(&bytes) != *hash {
            return Err(fail(format!("does not match its hash in {SUMS_FILE}")));
        }
        let parsed = Manifest::from_json(&bytes).map_err(fail)?;
        let problems = manifest::disagreements(&parsed, entries);
        if let Some(first) = problems.first() {
            return Err(fail(format!("{first} ({} disagreements)", problems.len())));
        }
        Ok(Some(SignedManifest { manifest: parsed, bytes, fetched }))
    }

    /// The size `manifest.json` gives a path, for bounded reads.
    pub fn sizes(&self) -> std::collections::BTreeMap<&str, u64> {
        let mut sizes: std::collections::BTreeMap<&str, u64> =
            self.manifest.iter().flat_map(|m| m.manifest.files.iter().map(|f| (f.path.as_str(), f.size))).collect();
        if let Some(m) = &self.manifest {
            sizes.insert(MANIFEST_FILE, m.bytes.len() as u64);
        }
        sizes
    }
}
