//! The `infrared` command: argument parsing, progress, reporting and exit
//! codes. All the work happens in the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use infrared::build::{build, BuildOptions, BuildReport};
use infrared::keep::{Kept, ACME_CHALLENGE};

// A build allocates millions of small strings on every core (template
// values, links, escaped text); glibc's allocator spends a sixth of the
// build's time in its locks and free lists, mimalloc a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod mirror_cli;
mod workflow_cli;

/// Build a multilingual knowledge base into a static site that works on any
/// mirror and from disk.
#[derive(Parser)]
#[command(name = "infrared", version, about, long_about = None)]
struct Cli {
    /// The site's folder: the one holding site.toml and content/.
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    root: PathBuf,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (ROOT/public by default).
    ///
    /// The site is written into a new folder beside the output and swapped in
    /// only when complete: a failed build leaves the previous output untouched.
    /// Broken links and anchors are reported with file:line; the build still
    /// publishes unless --strict is given. When nothing the build reads has
    /// changed since the last build into the same folder (site files, git
    /// history, options, infrared itself), and nothing in that folder was
    /// touched, it reports that build again and writes nothing.
    Build {
        /// Where to write the site [default: ROOT/public].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Link folders as explicit index.html files, so every link works
        /// when the site is opened from disk (file://).
        #[arg(long)]
        offline: bool,
        /// Fail (exit 1) on broken links or anchors, for CI.
        #[arg(long)]
        strict: bool,
        /// Include pages marked draft = true.
        #[arg(long)]
        drafts: bool,
        /// Print how long each build step took.
        #[arg(long)]
        timings: bool,
        /// Replace the output folder even if it holds files infrared did not
        /// write (the site root, content/, / and home are always refused).
        #[arg(long)]
        force: bool,
        /// Sign SHA256SUMS with this minisign secret key, writing
        /// SHA256SUMS.minisig. A password-protected key's password is read
        /// from INFRARED_KEY_PASSWORD or asked for on the terminal.
        #[arg(long, env = "INFRARED_SIGN_KEY", value_name = "FILE")]
        sign_key: Option<PathBuf>,
        /// Build everything even when nothing changed since the last build
        /// into this folder.
        #[arg(long)]
        no_cache: bool,
        /// A file or folder of the output folder, relative to it, that others
        /// write into and each build keeps (repeatable), as it always keeps
        /// .well-known/acme-challenge/. Where the site has a file at the same
        /// path, or needs a folder there, the site's wins and the build says so.
        #[arg(long, value_name = "PATH", value_parser = Kept::parse)]
        keep: Vec<String>,
    },
    /// Make a workshop's pack: one zip with the agenda, an offline mini-site
    /// of the workshop and its modules (searchable), a printable page, an
    /// EPUB and the Markdown sources, in one language.
    ///
    /// Modules missing in that language fall back as on the site; the agenda
    /// says which. Unzip the pack and open index.html: nothing in it needs
    /// the internet.
    Pack {
        /// The workshop, as `--list` shows it (or its Markdown file).
        #[arg(required_unless_present = "list")]
        workshop: Option<String>,
        /// The pack's language [default: the site's default language].
        #[arg(long)]
        lang: Option<String>,
        /// Where to write the zip [default: WORKSHOP-LANG.zip here].
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Leave out the facilitator notes (for handing out).
        #[arg(long)]
        participants: bool,
        /// Also print the printable page to PDF, with Chromium.
        #[arg(long)]
        pdf: bool,
        /// The paper print.html and the PDF print on [default: site.toml's
        /// `[pack] paper`, else a4].
        #[arg(long, value_parser = infrared::config::Paper::NAMES)]
        paper: Option<String>,
        /// List the workshops, one per line: identifier, then title.
        #[arg(long, conflicts_with_all = ["workshop", "out", "participants", "pdf", "paper"])]
        list: bool,
    },
    /// Search the site built last (its index is kept beside the output).
    ///
    /// Every word must match (stemmed, accents optional), else any word does;
    /// "quoted words" must appear together; a word on no page finds the words
    /// closest to it (a letter off). Titles weigh double, and a page titled
    /// with just the words searched for comes first.
    Search {
        /// What to look for.
        query: String,
        /// Language to search [default: the site's default language].
        #[arg(long)]
        lang: Option<String>,
        /// The output folder of that build [default: ROOT/public].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// How many results (1 to 10000).
        #[arg(long, default_value_t = 10, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=10_000))]
        limit: usize,
        /// Print results as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Preview the site while you write: build it into memory, serve it,
    /// and reload open pages when a file changes.
    ///
    /// Only what a change touches is rendered again. Errors show in the
    /// browser and here, with file:line, while the last good version stays
    /// served. Nothing is written to the output folder.
    Serve {
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. Anything but loopback lets others on the
        /// network read the preview, drafts included.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Leave out pages marked draft = true (shown, marked, by default).
        #[arg(long)]
        no_drafts: bool,
        /// Poll for changes instead of waiting for file events (for
        /// network or container file systems that do not send them).
        #[arg(long)]
        poll: bool,
        /// Print how long each step of each rebuild took.
        #[arg(long)]
        timings: bool,
    },
    Check(workflow_cli::CheckArgs),
    Status(workflow_cli::StatusArgs),
    Translate(workflow_cli::TranslateArgs),
    #[command(flatten)]
    Mirror(mirror_cli::MirrorCommands),
}

/// glibc gives each thread that allocates its own heap (up to 8 per core):
/// rayon's and tantivy's threads each keep the memory they freed, and a
/// build's peak resident memory was ~10% higher than with two heaps, for
/// no measurable gain in time.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before any
    // other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// A web server mostly runs as another user than the one who builds or
/// pulls the site: under a umask that takes other users' right to read
/// (`umask 077`), it answers 403 for every file written. Said before any
/// other thread exists (reading the mask means setting it for a moment).
pub(crate) fn warn_if_others_cannot_read() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: umask only swaps the process's file mode mask; put back
        // at once, while no other thread creates files.
        let mask = unsafe {
            let mask = libc::umask(0o022);
            libc::umask(mask);
            mask
        };
        if mask & 0o004 != 0 {
            eprintln!(
                "warning: the umask ({mask:03o}) keeps other users from reading the files written here, so a web \
                 server running as another user will answer 403 for them (run `umask 022` first)"
            );
        }
    }
}

fn main() -> ExitCode {
    limit_malloc_arenas();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { out, offline, strict, drafts, timings, force, sign_key, no_cache, keep } => {
            warn_if_others_cannot_read();
            let kept = Kept::new(&keep).map_err(anyhow::Error::msg);
            kept.and_then(|kept| {
                let sign_key = mirror_cli::load_sign_key(sign_key.as_deref())?;
                let options =
                    BuildOptions { root: cli.root, out, offline, strict, drafts, force, sign_key, no_cache, kept };
                run_build(&options, timings)
            })
        }
        Command::Search { query, lang, out, limit, json } => run_search(&cli.root, &query, lang, out, limit, json),
        Command::Serve { port, bind, open, no_drafts, poll, timings } => {
            let options =
                infrared::serve::ServeOptions { root: cli.root, bind, port, open, drafts: !no_drafts, poll, timings };
            infrared::serve::serve(&options).map_err(Into::into)
        }
        Command::Check(args) => workflow_cli::run_check(&cli.root, &args),
        Command::Status(args) => workflow_cli::run_status(&cli.root, &args),
        Command::Translate(args) => workflow_cli::run_translate(&cli.root, &args),
        Command::Mirror(command) => mirror_cli::run(command, &cli.root),
        Command::Pack { workshop, lang, out, participants, pdf, paper, list } => match workshop.filter(|_| !list) {
            None => run_pack_list(&cli.root, lang.as_deref()),
            Some(workshop) => {
                let paper = paper.as_deref().and_then(infrared::config::Paper::from_name);
                let options = infrared::pack::PackOptions { participants, pdf, paper };
                run_pack(&cli.root, &workshop, lang.as_deref(), out, &options)
            }
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_build(options: &BuildOptions, show_timings: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    bar.set_style(ProgressStyle::with_template("{spinner} {msg}").expect("valid template"));
    let on_terminal = std::io::stderr().is_terminal();
    let progress = |stage: &str, _done: usize, _total: usize| {
        // Only builds that take a while get a progress line.
        if on_terminal && bar.is_hidden() && started.elapsed() > Duration::from_secs(1) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        bar.set_message(stage.to_string());
    };
    let result = build(options, &progress);
    bar.finish_and_clear();
    let report = result?;
    print_report(&report, started.elapsed(), show_timings);
    Ok(())
}

fn run_search(
    root: &Path,
    query: &str,
    lang: Option<String>,
    out: Option<PathBuf>,
    limit: usize,
    json: bool,
) -> anyhow::Result<()> {
    let config = infrared::config::Config::load(root)?;
    let lang = lang.unwrap_or_else(|| config.default_language.clone());
    if !config.is_language(&lang) {
        let known: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        anyhow::bail!("\"{lang}\" is not a language of this site (languages: {})", known.join(", "));
    }
    let out = out.unwrap_or_else(|| root.join("public"));
    let index = infrared::search::open_index(&infrared::search::cache_dir(&out), &lang)?;
    let results = infrared::search::query::search(&index, &lang, query, limit)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&results)?);
        return Ok(());
    }
    if results.hits.is_empty() {
        eprintln!("No page in {lang} matches \"{query}\".");
        return Ok(());
    }
    if results.closest_words {
        eprintln!("Some words are on no page as written: these pages have the closest ones.");
    }
    if !results.all_words {
        eprintln!("No page has all the words; these have some of them.");
    }
    for (rank, hit) in results.hits.iter().enumerate() {
        println!("{:>2}. {}  ({:.2})\n    /{}\n    {}\n", rank + 1, hit.title, hit.score, hit.url, hit.snippet);
    }
    Ok(())
}

fn run_pack_list(root: &Path, lang: Option<&str>) -> anyhow::Result<()> {
    for (identifier, title) in infrared::build::list_workshops(root, lang)? {
        println!("{identifier}\t{title}");
    }
    Ok(())
}

fn run_pack(
    root: &Path,
    workshop: &str,
    lang: Option<&str>,
    out: Option<PathBuf>,
    options: &infrared::pack::PackOptions,
) -> anyhow::Result<()> {
    let pack = infrared::build::make_pack(root, workshop, lang, options)?;
    let out = out.unwrap_or_else(|| PathBuf::from(&pack.file_name));
    std::fs::write(&out, &pack.bytes).map_err(|e| anyhow::anyhow!("{}: {e}", out.display()))?;
    eprintln!(
        "Wrote the {} pack of \"{}\" ({:.0} KiB) → {}",
        pack.lang,
        pack.title,
        pack.bytes.len() as f64 / 1024.0,
        out.display()
    );
    Ok(())
}

fn print_report(report: &BuildReport, elapsed: Duration, show_timings: bool) {
    let lines: Vec<String> =
        report.diagnostics.iter().map(|d| d.to_string().trim_start_matches("./").to_string()).collect();
    if !lines.is_empty() {
        eprintln!("{}", infrared::error::capped(lines, infrared::error::MAX_LISTED, "problems"));
    }
    let languages: Vec<String> =
        report.languages.iter().map(|l| format!("{} {}/{}", l.code, l.translated, l.pages)).collect();
    let pages = report.languages.first().map_or(0, |l| l.pages) * report.languages.len();
    let done = if report.up_to_date { "Up to date (nothing changed, nothing written):" } else { "Built" };
    eprintln!(
        "{done} {} in {} (translated/all: {}), {} files, {:.1} MiB, {}, in {:.2} s → {}",
        plural(pages, "page"),
        plural(report.languages.len(), "language"),
        languages.join(", "),
        report.files,
        report.bytes as f64 / (1024.0 * 1024.0),
        plural(report.warnings(), "warning"),
        elapsed.as_secs_f64(),
        report.out.display()
    );
    for path in &report.displaced {
        eprintln!(
            "warning: {} was kept across builds ({ACME_CHALLENGE}/ or --keep), but the site has a file or folder of its own at {path}: the site's won, and that file is gone",
            report.out.join(path).display()
        );
    }
    if show_timings {
        for stats in &report.search {
            eprintln!(
                "  search {:<6} {} pages, {} terms ({} common, cut to their best pages{}), {} shards, {:.0} KiB",
                stats.lang,
                stats.docs,
                stats.terms,
                stats.truncated,
                match stats.complete_cjk {
                    0 => String::new(),
                    n => format!("; {n} common CJK, every page"),
                },
                stats.shards,
                stats.bytes as f64 / 1024.0
            );
        }
        for (path, bytes) in &report.downloads {
            eprintln!("  offline {path:<40} {:>8.0} KiB", *bytes as f64 / 1024.0);
        }
        for (stage, time) in &report.timings {
            eprintln!("  {stage:<18} {:>8.1} ms", time.as_secs_f64() * 1000.0);
        }
    }
}

/// `1 file`, `2 files`: a count with its noun, for the commands' lines.
pub(crate) fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
