//! `infrared pack --pdf`: the printable page printed to PDF by a headless
//! Chromium, when one is installed. The pack's files are written to a
//! temporary folder so the page finds its stylesheet and images; nothing is
//! fetched from the network. (Chromium stamps the PDF with the time it was
//! made, so packs with a PDF are not byte-identical from one run to the next.)

use std::path::PathBuf;
use std::process::Command;

use crate::archive::artifact_bytes;
use crate::error::{Error, Result};
use crate::output::Artifact;

/// Browsers that print, in the order they are looked for on PATH; the
/// `CHROMIUM` environment variable names one explicitly.
const BROWSERS: &[&str] = &["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

pub fn find_chromium() -> Option<PathBuf> {
    if let Some(explicit) = std::env::var_os("CHROMIUM").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(explicit)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| BROWSERS.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Prints `page` (one of `files`) to PDF.
pub fn print_to_pdf(files: &[Artifact], page: &str) -> Result<Vec<u8>> {
    let chromium = find_chromium().ok_or_else(|| {
        Error::input(
            "--pdf",
            None,
            "Chromium is not installed, so the pack cannot be printed to PDF",
            "install it (on Debian and Ubuntu: apt install chromium), or leave out --pdf: print.html in the pack prints to PDF from any browser",
        )
    })?;
    let folder = TempFolder::new()?;
    for file in files {
        let target = folder.path.join(&file.path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&target, artifact_bytes(file)?).map_err(|e| Error::io(&target, e))?;
    }
    let pdf = folder.path.join("print.pdf");
    let url = format!("file://{}", folder.path.join(page).display());
    let output = Command::new(&chromium)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw",
        ])
        .arg(format!("--user-data-dir={}", folder.path.join(".profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url)
        .output()
        .map_err(|e| Error::io(&chromium, e))?;
    std::fs::read(&pdf).map_err(|_| {
        Error::input(
            &chromium,
            None,
            format!("Chromium did not print the pack: {}", String::from_utf8_lossy(&output.stderr).trim()),
            "check that Chromium runs headless here, or leave out --pdf",
        )
    })
}

/// A folder removed when dropped.
struct TempFolder {
    path: PathBuf,
}

impl TempFolder {
    fn new() -> Result<TempFolder> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "infrared-pdf-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        Ok(TempFolder { path })
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
