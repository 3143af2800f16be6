//! The writers' and translators' commands as the terminal meets them:
//! `status`, `translate` and `check` — arguments, output, exit status. The
//! work happens in the library (`status`, `translate`, `check`).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context};
use clap::Args;

use infrared::check::{check, shown_path, CheckOptions};
use infrared::error::{Diagnostic, Severity};
use infrared::status::{status, write_text};
use infrared::translate::{translate, Request};

use crate::plural;

/// Show how complete and current each language's translations are.
///
/// Per language: pages up to date, outdated (their original changed after
/// they were translated), missing, or unknown (no stamp and no git
/// history), and how complete the language is, counted in words. Outdated
/// pages list the headings of the original that were added, removed or
/// edited since.
#[derive(Args)]
pub struct StatusArgs {
    /// Only this language, listing every page in each state.
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,
    /// Print the report as JSON (its schema is in README.md), for CI and dashboards.
    #[arg(long)]
    json: bool,
}

/// Start a translation of a page, or mark one as caught up with its original.
///
/// Writes the translation beside the original (guide.md → guide.ca.md): a
/// copy of the original, as a draft, stamped with the version it was made
/// from. Translate it, then delete its `draft` line to publish it.
/// With --mark-current, re-stamps an existing translation once the
/// translator has caught up with the changes to the original.
#[derive(Args)]
pub struct TranslateArgs {
    /// The page's Markdown file, relative to the current folder or to content/.
    page: PathBuf,
    /// The language to translate into.
    #[arg(long, value_name = "LANG")]
    to: String,
    /// Overwrite an existing translation with a fresh copy of the original.
    #[arg(long, conflicts_with = "mark_current")]
    force: bool,
    /// Stamp the existing translation as made from the current original.
    #[arg(long)]
    mark_current: bool,
}

/// Find every problem a writer's CI should catch, without building.
///
/// Broken links, anchors, images and files; links to pages not translated
/// into the link's language (info); front matter that fails validation, in
/// every file; wrong translation stamps; UI strings missing from or unused
/// in i18n/*.ftl; images, frames, scripts and media loaded from third
/// parties; headings without text and links without text. Reported sorted
/// as path:line:column: severity: message. Exits 1 on errors.
#[derive(Args)]
pub struct CheckArgs {
    /// Print the findings as JSON.
    #[arg(long)]
    json: bool,
    /// Exit 1 on warnings too, for strict CI.
    #[arg(long)]
    warnings_as_errors: bool,
    /// Check draft pages too.
    #[arg(long)]
    drafts: bool,
}

pub fn run_status(root: &Path, args: &StatusArgs) -> anyhow::Result<()> {
    let found = status(root, args.lang.as_deref())?;
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, &found.report).map_err(std::io::Error::from).and_then(|()| writeln!(out))
    } else {
        write_text(&found.report, args.lang.is_some(), &mut out)
    };
    unless_reader_left(written)?;
    print_diagnostics(&found.diagnostics);
    let errors = count(&found.diagnostics, Severity::Error);
    if errors > 0 {
        bail!("{} in translations (each says what to do)", plural(errors, "error"));
    }
    Ok(())
}

pub fn run_translate(root: &Path, args: &TranslateArgs) -> anyhow::Result<()> {
    let done = translate(&Request {
        root,
        page: &args.page,
        to: &args.to,
        force: args.force,
        mark_current: args.mark_current,
    })?;
    let version = &done.hash[..12];
    if let Some(draft_line) = &done.draft_line {
        println!(
            "Created {} from {} (version {version}).\nIt is a draft: translate its title and text, then delete the `{draft_line}` line to publish it.",
            done.translation, done.source
        );
    } else if done.unchanged {
        println!("{} was already stamped with the current version of {} ({version}).", done.translation, done.source);
    } else {
        println!("Stamped {} as up to date with {} (version {version}).", done.translation, done.source);
    }
    Ok(())
}

pub fn run_check(root: &Path, args: &CheckArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let report = check(&CheckOptions { root: root.to_path_buf(), drafts: args.drafts })?;
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        let shown: Vec<Diagnostic> = report
            .diagnostics
            .iter()
            .map(|d| Diagnostic { path: PathBuf::from(shown_path(&d.path)), ..d.clone() })
            .collect();
        serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "diagnostics": shown }))
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        report
            .diagnostics
            .iter()
            .try_for_each(|diagnostic| writeln!(out, "{}", diagnostic.to_string().trim_start_matches("./")))
    };
    unless_reader_left(written)?;
    let (errors, warnings, infos) =
        (report.count(Severity::Error), report.count(Severity::Warning), report.count(Severity::Info));
    let summary = format!("{}, {}, {}", plural(errors, "error"), plural(warnings, "warning"), plural(infos, "note"));
    if errors > 0 || (args.warnings_as_errors && warnings > 0) {
        bail!("check found {summary}");
    }
    if !args.json || std::io::stderr().is_terminal() {
        eprintln!("Checked in {:.2} s: {summary}.", started.elapsed().as_secs_f64());
    }
    Ok(())
}

/// A reader that stopped reading (`| head`) is not an error.
fn unless_reader_left(written: std::io::Result<()>) -> anyhow::Result<()> {
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("writing the report"),
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        eprintln!("{}", diagnostic.to_string().trim_start_matches("./"));
    }
}

fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics.iter().filter(|d| d.severity == severity).count()
}
