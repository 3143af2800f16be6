//! For the offline outputs' tests: unpacking zips, checking EPUBs with the
//! W3C's epubcheck (Debian package `epubcheck`), and driving Chromium
//! through tests/browser/offline.mjs.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every entry of a zip file: (name, bytes), in the zip's order.
pub fn entries(zip: &Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(zip).unwrap_or_else(|e| panic!("{}: {e}", zip.display()));
    let mut archive = zip::ZipArchive::new(file).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().to_string(), bytes)
        })
        .collect()
}

/// Unpacks a zip into a new temporary folder.
pub fn unzip(zip: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in entries(zip) {
        assert!(!name.starts_with('/') && !name.split('/').any(|p| p == ".."), "{name}");
        let target = dir.path().join(&name);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
    dir
}

const EPUBCHECK_JAR: &str = "/usr/share/java/epubcheck.jar";

/// epubcheck (run with java, as the Debian package installs it). Under
/// CI=true it must be there; elsewhere tests skip with a note.
pub fn epubcheck_available() -> bool {
    let found = Path::new(EPUBCHECK_JAR).is_file()
        && Command::new("java").arg("-version").output().is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("epubcheck is required under CI=true (.ci/run installs the Debian package)");
        }
        eprintln!("SKIPPED: epubcheck is not installed (apt-get install epubcheck)");
    }
    found
}

/// epubcheck's report on `epub`; fails the test on any fatal, error or
/// warning (what a warning names, some reading systems get wrong).
pub fn epubcheck(epub: &Path) -> String {
    let output = Command::new("java").args(["-jar", EPUBCHECK_JAR]).arg(epub).output().expect("run epubcheck");
    let report = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success() && report.contains("0 fatals / 0 errors / 0 warnings"),
        "epubcheck found problems in {}:\n{report}",
        epub.display()
    );
    report
}

/// Files under `dir` whose text contains `needle`, zips' and EPUBs'
/// entries included.
pub fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for file in super::files(dir) {
        let path = dir.join(&file);
        let bytes = std::fs::read(&path).unwrap();
        let name = file.to_string_lossy();
        if name.ends_with(".zip") || name.ends_with(".epub") {
            for (entry, content) in entries(&path) {
                if String::from_utf8_lossy(&content).contains(needle) {
                    found.push(file.join(entry));
                }
            }
        } else if String::from_utf8_lossy(&bytes).contains(needle) {
            found.push(file);
        }
    }
    found
}

/// Runs `tests/browser/offline.mjs COMMAND ARGS` and parses its JSON answer
/// (see `super::browser_available` for when it can run).
pub fn browser(command: &str, args: &serde_json::Value) -> serde_json::Value {
    super::browser_script("offline.mjs", command, args)
}

/// Text with Unicode bidi isolation marks (which Fluent puts around
/// arguments in right-to-left languages) taken out.
pub fn without_isolation(text: &str) -> String {
    text.replace(['\u{2068}', '\u{2069}'], "")
}
