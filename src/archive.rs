//! Deterministic zip files for offline bundles, workshop packs and EPUBs:
//! entries in the order given (sorted, for [`zip_artifacts`]), one fixed
//! timestamp, fixed permissions, no extra fields (but Zip64's, for an entry
//! or archive past 4 GiB or 65,535 entries). Two builds of the same input
//! give the same bytes, so mirrors can compare them.
//!
//! Written here rather than with a zip library: a bundle holds thousands of
//! small pages, and a library that sets up a new compressor for each entry
//! (some hundred kilobytes zeroed every time) spent as long on that as on
//! compressing. One compressor per thread serves every entry instead:
//! libdeflate's, which compresses a whole buffer at once, in 0.8× the time
//! zlib-rs took at the same level, and a little smaller. An entry can be
//! compressed apart ([`Prepared`], on any thread) and added later, so a
//! bundle's pages are compressed side by side.

use std::cell::RefCell;
use std::collections::HashSet;

use libdeflater::{CompressionLvl, Compressor};

use crate::error::{Error, Result};
use crate::output::{Artifact, Contents};

/// 1980-01-01 00:00:00, the earliest time a zip can hold, in MS-DOS form.
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = (1 << 5) | 1;
/// A regular file, rw-r--r--, in the high half of the external attributes.
const UNIX_FILE_ATTRIBUTES: u32 = 0o100644 << 16;
/// Made by Unix (3), to spec version 2.0 (4.5 where Zip64 is needed).
const MADE_BY: u16 = (3 << 8) | 20;
const STORED: u16 = 0;
const DEFLATED: u16 = 8;
/// General purpose flag 11: the name is UTF-8.
const UTF8_NAME: u16 = 1 << 11;

/// What the central directory says of an entry.
struct Entry {
    name: String,
    method: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    offset: u64,
}

/// A zip being written in memory.
pub struct Zip {
    out: Vec<u8>,
    entries: Vec<Entry>,
    names: HashSet<String>,
    /// Names it refers to in errors (`ar/offline-ar.zip`).
    name: String,
}

/// An entry ready to be added: its bytes compressed (or kept as they are)
/// and checksummed, on whichever thread made it.
pub struct Prepared {
    path: String,
    method: u16,
    crc: u32,
    size: u64,
    /// What the zip holds for it: the deflated bytes, or the bytes themselves.
    data: Vec<u8>,
}

impl Prepared {
    /// A file, compressed unless its format already is (or compressing
    /// would not make it smaller).
    pub fn new(path: &str, bytes: &[u8]) -> std::result::Result<Prepared, String> {
        if is_compressed_format(path) {
            return Ok(Prepared::stored(path, bytes));
        }
        let data = deflate(bytes)?;
        if data.len() >= bytes.len() {
            return Ok(Prepared::stored(path, bytes));
        }
        Ok(Prepared {
            path: path.to_string(),
            method: DEFLATED,
            crc: crc32fast::hash(bytes),
            size: bytes.len() as u64,
            data,
        })
    }

    /// A file as it is (an EPUB's `mimetype` must be stored first).
    pub fn stored(path: &str, bytes: &[u8]) -> Prepared {
        Prepared {
            path: path.to_string(),
            method: STORED,
            crc: crc32fast::hash(bytes),
            size: bytes.len() as u64,
            data: bytes.to_vec(),
        }
    }
}

thread_local! {
    /// Each thread's compressor, and room for what it makes: setting one up
    /// costs about as much as compressing a page.
    static DEFLATER: RefCell<(Compressor, Vec<u8>)> =
        RefCell::new((Compressor::new(CompressionLvl::default()), Vec::new()));
}

/// `bytes` as raw deflate.
fn deflate(bytes: &[u8]) -> std::result::Result<Vec<u8>, String> {
    DEFLATER.with_borrow_mut(|(deflater, scratch)| {
        let bound = deflater.deflate_compress_bound(bytes.len());
        if scratch.len() < bound {
            scratch.resize(bound, 0);
        }
        let len = deflater.deflate_compress(bytes, scratch).map_err(|e| format!("{e:?}"))?;
        Ok(scratch[..len].to_vec())
    })
}

impl Zip {
    pub fn new(name: impl Into<String>) -> Zip {
        Zip { out: Vec::new(), entries: Vec::new(), names: HashSet::new(), name: name.into() }
    }

    /// Adds a file, compressed unless its format already is (or compressing
    /// would not make it smaller).
    pub fn add(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        let entry = Prepared::new(path, bytes).map_err(|message| self.error(path, message))?;
        self.add_prepared(entry)
    }

    /// Adds a file as it is (an EPUB's `mimetype` must be stored first).
    pub fn add_stored(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        self.add_prepared(Prepared::stored(path, bytes))
    }

    /// Adds an entry compressed beforehand, after those added so far.
    pub fn add_prepared(&mut self, prepared: Prepared) -> Result<()> {
        let Prepared { path, method, crc, size, data } = prepared;
        if path.len() > u16::MAX as usize {
            return Err(self.error(&path, "a name longer than a zip can hold".into()));
        }
        if !self.names.insert(path.clone()) {
            return Err(self.error(&path, "two entries with this name".into()));
        }
        let entry =
            Entry { name: path, method, crc, compressed: data.len() as u64, size, offset: self.out.len() as u64 };
        let path = entry.name.as_str();
        // A local header carries both sizes in its Zip64 field, or neither.
        let zip64 = entry.size >= u32::MAX as u64 || entry.compressed >= u32::MAX as u64;
        let mut extra = Vec::new();
        if zip64 {
            put_zip64_field(&mut extra, &[entry.size, entry.compressed]);
        }
        let out = &mut self.out;
        put32(out, 0x0403_4b50);
        put16(out, if zip64 { 45 } else { 20 });
        put16(out, flags(path));
        put16(out, method);
        put16(out, DOS_TIME);
        put16(out, DOS_DATE);
        put32(out, entry.crc);
        put32(out, if zip64 { u32::MAX } else { entry.compressed as u32 });
        put32(out, if zip64 { u32::MAX } else { entry.size as u32 });
        put16(out, path.len() as u16);
        put16(out, extra.len() as u16);
        out.extend_from_slice(path.as_bytes());
        out.extend_from_slice(&extra);
        out.extend_from_slice(&data);
        self.entries.push(entry);
        Ok(())
    }

    pub fn finish(mut self) -> Result<Vec<u8>> {
        let directory_start = self.out.len() as u64;
        for entry in &self.entries {
            write_directory_entry(&mut self.out, entry);
        }
        let directory_size = self.out.len() as u64 - directory_start;
        let count = self.entries.len() as u64;
        let zip64 = count >= u16::MAX as u64 || directory_start >= u32::MAX as u64 || directory_size >= u32::MAX as u64;
        let out = &mut self.out;
        if zip64 {
            let record = out.len() as u64;
            put32(out, 0x0606_4b50);
            put64(out, 44);
            put16(out, (MADE_BY & 0xff00) | 45);
            put16(out, 45);
            put32(out, 0);
            put32(out, 0);
            put64(out, count);
            put64(out, count);
            put64(out, directory_size);
            put64(out, directory_start);
            put32(out, 0x0706_4b50);
            put32(out, 0);
            put64(out, record);
            put32(out, 1);
        }
        put32(out, 0x0605_4b50);
        put16(out, 0);
        put16(out, 0);
        put16(out, count.min(u16::MAX as u64) as u16);
        put16(out, count.min(u16::MAX as u64) as u16);
        put32(out, directory_size.min(u32::MAX as u64) as u32);
        put32(out, directory_start.min(u32::MAX as u64) as u32);
        put16(out, 0);
        Ok(self.out)
    }

    fn error(&self, path: &str, message: String) -> Error {
        Error::io(format!("{} ({path})", self.name), std::io::Error::other(message))
    }
}

fn write_directory_entry(out: &mut Vec<u8>, entry: &Entry) {
    // In the directory, only the values that overflow go in the Zip64 field.
    let overflowing: Vec<u64> =
        [entry.size, entry.compressed, entry.offset].into_iter().filter(|&v| v >= u32::MAX as u64).collect();
    let mut extra = Vec::new();
    if !overflowing.is_empty() {
        put_zip64_field(&mut extra, &overflowing);
    }
    let clamp = |v: u64| v.min(u32::MAX as u64) as u32;
    put32(out, 0x0201_4b50);
    put16(out, if extra.is_empty() { MADE_BY } else { (MADE_BY & 0xff00) | 45 });
    put16(out, if extra.is_empty() { 20 } else { 45 });
    put16(out, flags(&entry.name));
    put16(out, entry.method);
    put16(out, DOS_TIME);
    put16(out, DOS_DATE);
    put32(out, entry.crc);
    put32(out, clamp(entry.compressed));
    put32(out, clamp(entry.size));
    put16(out, entry.name.len() as u16);
    put16(out, extra.len() as u16);
    put16(out, 0);
    put16(out, 0);
    put16(out, 0);
    put32(out, UNIX_FILE_ATTRIBUTES);
    put32(out, clamp(entry.offset));
    out.extend_from_slice(entry.name.as_bytes());
    out.extend_from_slice(&extra);
}

fn flags(name: &str) -> u16 {
    if name.is_ascii() {
        0
    } else {
        UTF8_NAME
    }
}

fn put_zip64_field(out: &mut Vec<u8>, values: &[u64]) {
    put16(out, 0x0001);
    put16(out, (values.len() * 8) as u16);
    for &value in values {
        put64(out, value);
    }
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put64(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(&value.to_le_bytes());
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
    use std::io::Cursor;
    use zip::DateTime;

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
    #[test]
    fn entries_read_back_with_names_and_methods_another_reader_agrees_on() {
        let text = "word ".repeat(2_000);
        let mut zip = Zip::new("t.zip");
        zip.add("fr/médiation/index.html", text.as_bytes()).unwrap();
        zip.add("tiny.txt", b"x").unwrap();
        zip.add("photo.png", text.as_bytes()).unwrap();
        let bytes = zip.finish().unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let methods: Vec<(String, zip::CompressionMethod)> = (0..archive.len())
            .map(|i| archive.by_index(i).map(|f| (f.name().to_string(), f.compression())).unwrap())
            .collect();
        assert_eq!(
            methods,
            [
                ("fr/médiation/index.html".to_string(), zip::CompressionMethod::Deflated),
                ("tiny.txt".to_string(), zip::CompressionMethod::Stored),
                ("photo.png".to_string(), zip::CompressionMethod::Stored),
            ]
        );
        assert!(archive.by_index(0).unwrap().compressed_size() < text.len() as u64 / 10, "the text was compressed");
        let read = entries(&bytes);
        assert_eq!(read[0].1, text.as_bytes());
        assert_eq!(read[1].1, b"x");
    }

    #[test]
    fn an_entry_compressing_past_the_first_guess_of_its_size_reads_back_whole() {
        // Letters from a 64-symbol alphabet at random: deflate gets ~0.75×,
        // more than the half the output buffer first holds.
        let mut state = 0x2545_f491_u32;
        let text: Vec<u8> = (0..200_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"[(state % 64) as usize]
            })
            .collect();
        let mut zip = Zip::new("t.zip");
        zip.add("noise.txt", &text).unwrap();
        zip.add("after.txt", b"after").unwrap();
        let bytes = zip.finish().unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let compressed = archive.by_index(0).unwrap().compressed_size();
        assert!(compressed > text.len() as u64 / 2 && compressed < text.len() as u64, "{compressed}");
        let read = entries(&bytes);
        assert_eq!(read[0].1, text);
        assert_eq!(read[1].1, b"after");
    }

    #[test]
    fn more_entries_than_a_plain_zip_counts_take_zip64() {
        let mut zip = Zip::new("many.zip");
        for i in 0..70_000 {
            zip.add(&format!("p/{i}.txt"), i.to_string().as_bytes()).unwrap();
        }
        let bytes = zip.finish().unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 70_000);
        let mut last = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("p/69999.txt").unwrap(), &mut last).unwrap();
        assert_eq!(last, "69999");
    }

    #[test]
    fn two_entries_with_one_name_are_an_error() {
        let mut zip = Zip::new("t.zip");
        zip.add("a.html", b"<p>a</p>").unwrap();
        let error = zip.add("a.html", b"<p>b</p>").unwrap_err().to_string();
        assert!(error.contains("t.zip (a.html)") && error.contains("two entries"), "{error}");
    }
}
