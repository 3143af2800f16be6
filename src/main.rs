//! The `infrared` command: argument parsing, progress, reporting and exit
//! codes. All the work happens in the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use infrared::build::{build, BuildOptions, BuildReport};

mod mirror_cli;

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
    /// publishes unless --strict is given.
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
        /// Sign SHA256SUMS with this minisign secret key, writing
        /// SHA256SUMS.minisig. A password-protected key's password is read
        /// from INFRARED_KEY_PASSWORD or asked for on the terminal.
        #[arg(long, env = "INFRARED_SIGN_KEY", value_name = "FILE")]
        sign_key: Option<PathBuf>,
    },
    #[command(flatten)]
    Mirror(mirror_cli::MirrorCommands),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            out,
            offline,
            strict,
            drafts,
            timings,
            sign_key,
        } => mirror_cli::load_sign_key(sign_key.as_deref()).and_then(|sign_key| {
            let options = BuildOptions {
                root: cli.root,
                out,
                offline,
                strict,
                drafts,
                sign_key,
            };
            run_build(&options, timings)
        }),
        Command::Mirror(command) => mirror_cli::run(command, &cli.root),
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

fn print_report(report: &BuildReport, elapsed: Duration, show_timings: bool) {
    for diagnostic in &report.diagnostics {
        eprintln!("{}", diagnostic.to_string().trim_start_matches("./"));
    }
    let languages: Vec<String> = report
        .languages
        .iter()
        .map(|l| format!("{} {}/{}", l.code, l.translated, l.pages))
        .collect();
    let pages = report.languages.first().map_or(0, |l| l.pages) * report.languages.len();
    eprintln!(
        "Built {} in {} (translated/all: {}), {} files, {:.1} MiB, {}, in {:.2} s → {}",
        plural(pages, "page"),
        plural(report.languages.len(), "language"),
        languages.join(", "),
        report.files,
        report.bytes as f64 / (1024.0 * 1024.0),
        plural(report.warnings(), "warning"),
        elapsed.as_secs_f64(),
        report.out.display()
    );
    if show_timings {
        for (stage, time) in &report.timings {
            eprintln!("  {stage:<18} {:>8.1} ms", time.as_secs_f64() * 1000.0);
        }
    }
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
