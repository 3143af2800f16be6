//! Deterministic zip files for offline bundles, workshop packs and EPUBs:
//! entries in the order given (sorted, for [`zip_artifacts`]), one fixed
//! timestamp, fixed permissions, no extra fields. Two builds of the same
//! input give the same bytes, so mirrors can compare them.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::{Error, Result};
use crate::output::{Artifact, Contents};

/// A zip being written in memory.
pub struct Zip {
    writer: ZipWriter<Cursor<Vec<u8>>>,
    /// Names it refers to in errors (`ar/offline-ar.zip`).
    name: String,
}

impl Zip {
    pub fn new(name: impl Into<String>) -> Zip {
        Zip { writer: ZipWriter::new(Cursor::new(Vec::new())), name: name.into() }
    }

    /// Adds a file, compressed unless its format already is.
    pub fn add(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        let method = if is_compressed_format(path) { CompressionMethod::Stored } else { CompressionMethod::Deflated };
        self.add_with(path, bytes, method)
    }

    /// Adds a file as it is (an EPUB's `mimetype` must be stored first).
    pub fn add_stored(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        self.add_with(path, bytes, CompressionMethod::Stored)
    }

    fn add_with(&mut self, path: &str, bytes: &[u8], method: CompressionMethod) -> Result<()> {
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(DateTime::default())
            .unix_permissions(0o644);
        self.writer.start_file(path, options).map_err(|e| self.error(path, e.to_string()))?;
        self.writer.write_all(bytes).map_err(|e| self.error(path, e.to_string()))
    }

    pub fn finish(self) -> Result<Vec<u8>> {
        let name = self.name.clone();
        self.writer.finish().map(Cursor::into_inner).map_err(|e| Error::io(name, std::io::Error::other(e)))
    }

    fn error(&self, path: &str, message: String) -> Error {
        Error::io(format!("{} ({path})", self.name), std::io::Error::other(message))
    }
}

/// A zip of artifacts, by path (sorted, unique: see [`crate::output::collect`]).
pub fn zip_artifacts(name: &str, artifacts: &[Artifact]) -> Result<Vec<u8>> {
    let mut zip = Zip::new(name);
    let mut sorted: Vec<&Artifact> = artifacts.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    for artifact in sorted {
        zip.add(&artifact.path, &artifact_bytes(artifact)?)?;
    }
    zip.finish()
}

/// The bytes an artifact writes (copied files are read).
pub fn artifact_bytes(artifact: &Artifact) -> Result<std::borrow::Cow<'_, [u8]>> {
    match &artifact.contents {
        Contents::Bytes(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
        Contents::Copy(source) => std::fs::read(source).map(std::borrow::Cow::Owned).map_err(|e| Error::io(source, e)),
    }
}

/// Formats that compress no further: stored, to save the build's time.
fn is_compressed_format(path: &str) -> bool {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "png"
            | "jpg"
            | "jpeg"
            | "gif"
            | "webp"
            | "avif"
            | "zip"
            | "gz"
            | "xz"
            | "zst"
            | "bz2"
            | "woff"
            | "woff2"
            | "mp3"
            | "mp4"
            | "webm"
            | "ogg"
            | "opus"
            | "epub"
            | "pdf"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
        use std::io::Read;
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        (0..archive.len())
            .map(|i| {
                let mut file = archive.by_index(i).unwrap();
                let mut content = Vec::new();
                file.read_to_end(&mut content).unwrap();
                (file.name().to_string(), content)
            })
            .collect()
    }

    #[test]
    fn artifacts_are_zipped_sorted_and_byte_identically() {
        let artifacts = vec![
            Artifact::bytes("b/index.html", "<p>b</p>"),
            Artifact::bytes("a.css", "p{}"),
            Artifact::bytes("index.html", "<p>top</p>"),
        ];
        let one = zip_artifacts("test.zip", &artifacts).unwrap();
        let mut reversed = artifacts.clone();
        reversed.reverse();
        let two = zip_artifacts("test.zip", &reversed).unwrap();
        assert_eq!(one, two, "same bytes whatever the order given");
        let names: Vec<String> = entries(&one).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["a.css", "b/index.html", "index.html"]);
        assert_eq!(entries(&one)[2].1, b"<p>top</p>");
    }

    #[test]
    fn entries_carry_a_fixed_timestamp() {
        let bytes = zip_artifacts("t.zip", &[Artifact::bytes("x.txt", "x")]).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let file = archive.by_index(0).unwrap();
        assert_eq!(file.last_modified(), Some(DateTime::default()));
    }
}
