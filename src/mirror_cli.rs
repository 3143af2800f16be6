//! The mirror commands as a user meets them: `keygen`, `sign`, `verify`,
//! `mirror pull`, and the signing key of `build`. Arguments, passwords,
//! progress and reports; the work is in `infrared::mirror`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use infrared::config::{Config, CONFIG_FILE};
use infrared::keep::{Kept, ACME_CHALLENGE};
use infrared::mirror::fetch::{DirSource, HttpSource, Source};
use infrared::mirror::pull::{pull, PullOptions, PullReport};
use infrared::mirror::sign::{generate, SigningKey, TrustedKey};
use infrared::mirror::verify::{count_by_kind, verify, Report};
use infrared::mirror::{sign_folder, trusted_keys};

const PASSWORD_VARIABLE: &str = "INFRARED_KEY_PASSWORD";

#[derive(Subcommand)]
pub enum MirrorCommands {
    /// Make a minisign key pair to sign builds with.
    ///
    /// The secret key is written readable only by you (mode 0600), without a
    /// password unless --password is given. Put the public key in site.toml
    /// under [mirror] public_keys and hand it to mirror admins.
    Keygen {
        /// Where to write the secret key.
        #[arg(long, value_name = "FILE")]
        secret_key: PathBuf,
        /// Where to write the public key (a .pub file minisign reads too).
        #[arg(long, value_name = "FILE")]
        public_key: PathBuf,
        /// Protect the secret key with a password, read from
        /// INFRARED_KEY_PASSWORD or asked for on the terminal.
        #[arg(long)]
        password: bool,
        /// Replace existing key files.
        #[arg(long)]
        force: bool,
    },
    /// Sign an already built site folder again: checks that every file
    /// matches DIR/SHA256SUMS, then writes DIR/SHA256SUMS.minisig.
    Sign {
        /// The built site.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// The minisign secret key.
        #[arg(long, env = "INFRARED_SIGN_KEY", value_name = "FILE")]
        sign_key: PathBuf,
    },
    /// Check that a copy of the site, a folder or a live mirror, is exactly
    /// what the network signed: the signature of SHA256SUMS, every file's
    /// hash, and in a folder, that no file was added.
    ///
    /// Keys come from --public-key, else from [mirror] public_keys in
    /// ROOT/site.toml; with neither, verify fails unless --checksums-only.
    /// Exit status 0 only when everything matches.
    Verify {
        /// A folder, or the http(s):// URL of a mirror's root.
        #[arg(value_name = "DIR|URL")]
        target: String,
        /// A trusted minisign public key file (repeatable).
        #[arg(long = "public-key", value_name = "FILE")]
        public_keys: Vec<PathBuf>,
        /// Compare the files with SHA256SUMS only, without checking its
        /// signature: that shows a copy is complete, not that the network
        /// published it.
        #[arg(long, conflicts_with = "public_keys")]
        checksums_only: bool,
        /// A file or folder of DIR, relative to it, whose files are the
        /// admin's own (as `mirror pull --keep` keeps them): not reported as
        /// unlisted (repeatable), nor are certbot's tokens under
        /// .well-known/acme-challenge/. Files SHA256SUMS lists are checked
        /// wherever they are.
        #[arg(long, value_name = "PATH", value_parser = Kept::parse)]
        keep: Vec<String>,
        /// Seconds to wait to connect, for an answer, and between two reads (1 to 86400).
        #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
        timeout: u64,
    },
    /// Keep a mirror up to date from another one.
    Mirror {
        #[command(subcommand)]
        command: MirrorCommand,
    },
}

#[derive(Subcommand)]
pub enum MirrorCommand {
    /// Update DIR from the mirror at URL over plain HTTP(S).
    ///
    /// Fetches and checks the signed SHA256SUMS first, then only the files
    /// whose hash differs from DIR's, checking each; assembles the new copy
    /// beside DIR and swaps it in by renaming. On any fault DIR is left
    /// exactly as it was, and a second run fetches only what is still
    /// missing. Keys come from --public-key, else from [mirror] public_keys
    /// in ROOT/site.toml; without a key nothing is pulled.
    ///
    /// Files that others write into DIR under .well-known/acme-challenge/
    /// (certbot's tokens, webroot mode) are kept in the new copy, and so are
    /// the paths given with --keep.
    Pull {
        /// The http(s):// URL of the other mirror's root.
        url: String,
        /// The folder your server serves.
        dir: PathBuf,
        /// A trusted minisign public key file (repeatable).
        #[arg(long = "public-key", value_name = "FILE")]
        public_keys: Vec<PathBuf>,
        /// Files fetched at once (1 to 64).
        #[arg(long, default_value_t = 4, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=64))]
        jobs: usize,
        /// Seconds to wait to connect, for an answer, and between two reads (1 to 86400).
        #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
        timeout: u64,
        /// Replace DIR even when it holds files infrared did not write (they are deleted).
        #[arg(long)]
        force: bool,
        /// Replace DIR even by a build of an older commit than the one it holds
        /// (refused by default: an old signed copy may be replayed).
        #[arg(long)]
        allow_older: bool,
        /// A file or folder of DIR, relative to it, whose files the new copy
        /// keeps (repeatable), as it always keeps .well-known/acme-challenge/.
        /// Where the signed site publishes a file at the same path, or needs
        /// a folder there, the signed copy wins and the pull says so.
        #[arg(long, value_name = "PATH", value_parser = Kept::parse)]
        keep: Vec<String>,
    },
}

pub fn run(command: MirrorCommands, root: &Path) -> anyhow::Result<()> {
    match command {
        MirrorCommands::Keygen { secret_key, public_key, password, force } => {
            keygen(&secret_key, &public_key, password, force)
        }
        MirrorCommands::Sign { dir, sign_key } => {
            let key = load_sign_key(Some(&sign_key))?.expect("a key was given");
            let report = sign_folder(&dir, &key)?;
            eprintln!(
                "Signed {} ({} files) with key {} → {}",
                dir.join("SHA256SUMS").display(),
                report,
                key.id(),
                dir.join("SHA256SUMS.minisig").display()
            );
            Ok(())
        }
        MirrorCommands::Verify { target, public_keys, timeout, checksums_only, keep } => {
            let keys = if checksums_only { Vec::new() } else { keys(&public_keys, root)? };
            if keys.is_empty() && !checksums_only {
                return Err(infrared::error::Error::input(
                    &target,
                    None,
                    "NOT verified: no public key to check the signature of SHA256SUMS with",
                    "pass --public-key FILE (the network's key, from a source you trust), or run in a site folder whose site.toml lists [mirror] public_keys; --checksums-only compares the files with SHA256SUMS alone, without checking who signed it",
                )
                .into());
            }
            run_verify(&target, &keys, &Kept::new(&keep).map_err(anyhow::Error::msg)?, timeout)
        }
        MirrorCommands::Mirror {
            command: MirrorCommand::Pull { url, dir, public_keys, jobs, timeout, force, allow_older, keep },
        } => {
            if !is_url(&url) {
                bail!("{url}: not an http(s):// URL (pull needs the other mirror's address)");
            }
            crate::warn_if_others_cannot_read();
            let kept = Kept::new(&keep).map_err(anyhow::Error::msg)?;
            let options = PullOptions {
                url: &url,
                dir: &dir,
                keys: &keys(&public_keys, root)?,
                jobs,
                timeout: Duration::from_secs(timeout),
                force,
                allow_older,
                kept: &kept,
            };
            run_pull(&options)
        }
    }
}

/// The secret key for `build --sign-key` and `sign`, unlocked up front so
/// that a wrong password does not cost a whole build.
pub fn load_sign_key(path: Option<&Path>) -> anyhow::Result<Option<SigningKey>> {
    let Some(path) = path else { return Ok(None) };
    let key = SigningKey::load(path, || {
        password(&format!("Password of {}: ", path.display()), false).map_err(|e| {
            infrared::error::Error::input(
                path,
                None,
                e.to_string(),
                format!("set {PASSWORD_VARIABLE}, or run on a terminal"),
            )
        })
    })?;
    Ok(Some(key))
}

/// A password from INFRARED_KEY_PASSWORD, else from the terminal.
fn password(prompt: &str, confirm: bool) -> anyhow::Result<String> {
    if let Ok(password) = std::env::var(PASSWORD_VARIABLE) {
        return Ok(password);
    }
    if !std::io::stdin().is_terminal() {
        bail!("the key is password-protected and there is no terminal to ask on");
    }
    let first = rpassword::prompt_password(prompt).context("reading the password")?;
    if confirm && rpassword::prompt_password("Once more: ").context("reading the password")? != first {
        bail!("the two passwords differ");
    }
    Ok(first)
}

fn keygen(secret: &Path, public: &Path, protect: bool, force: bool) -> anyhow::Result<()> {
    let password = if protect { Some(password("Password for the new secret key: ", true)?) } else { None };
    let key = generate(secret, public, password, force)?;
    eprintln!(
        "Wrote the secret key {} ({}) and the public key {}.\nKey id {}. List it in site.toml so mirrors know it:\n\n[mirror]\npublic_keys = [\"{}\"]",
        secret.display(),
        if protect { "password-protected" } else { "no password: keep it private" },
        public.display(),
        key.id,
        key.public_key
    );
    Ok(())
}

fn keys(files: &[PathBuf], root: &Path) -> anyhow::Result<Vec<TrustedKey>> {
    let config = if files.is_empty() && root.join(CONFIG_FILE).is_file() { Some(Config::load(root)?) } else { None };
    Ok(trusted_keys(files, config.as_ref())?)
}

fn is_url(target: &str) -> bool {
    target.starts_with("http://") || target.starts_with("https://")
}

fn run_verify(target: &str, keys: &[TrustedKey], kept: &Kept, timeout: u64) -> anyhow::Result<()> {
    let jobs = std::thread::available_parallelism().map_or(2, |n| n.get());
    let report = if is_url(target) {
        let source = HttpSource::new(target, Duration::from_secs(timeout));
        verify(&source, None, kept, keys, 4)?
    } else {
        let dir = PathBuf::from(target);
        if !dir.is_dir() {
            bail!("{target}: not a folder (give a folder, or an http(s):// URL)");
        }
        let source = DirSource(dir.clone());
        verify(&source as &dyn Source, Some(&dir), kept, keys, jobs)?
    };
    print_verify_report(target, &report);
    if report.ok() {
        Ok(())
    } else {
        let counts: Vec<String> =
            count_by_kind(&report.problems).iter().map(|(kind, n)| format!("{n} {kind}")).collect();
        bail!("{target} does not match what was published: {}", counts.join(", "))
    }
}

fn print_verify_report(target: &str, report: &Report) {
    match &report.signer {
        Some(signer) => println!(
            "signature: good, key {} (trusted comment: {})",
            signer.key_id, signer.trusted_comment
        ),
        None => println!(
            "signature: NOT checked (--checksums-only): the hashes show only that the copy matches its own SHA256SUMS, not that the network published it"
        ),
    }
    for problem in &report.problems {
        println!("{problem}");
    }
    if report.ok() {
        println!(
            "ok: all {} files of {target} match SHA256SUMS{}{}",
            report.files,
            if report.looked_for_unlisted && report.kept > 0 {
                format!(", and no other file is present but {} under {ACME_CHALLENGE}/ or --keep paths", report.kept)
            } else if report.looked_for_unlisted {
                ", and no other file is present".to_string()
            } else {
                " (unlisted files cannot be seen over HTTP)".to_string()
            },
            if report.signer.is_none() { "; its signature was NOT checked" } else { "" }
        );
    }
}

fn run_pull(options: &PullOptions) -> anyhow::Result<()> {
    let started = Instant::now();
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    bar.set_style(ProgressStyle::with_template("{spinner} {msg}").expect("valid template"));
    let on_terminal = std::io::stderr().is_terminal();
    let progress = |stage: &str, done: usize, total: usize| {
        if on_terminal && bar.is_hidden() && started.elapsed() > Duration::from_secs(1) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        if total > 0 {
            bar.set_message(format!("{stage} {done}/{total}"));
        } else {
            bar.set_message(stage.to_string());
        }
    };
    let result = pull(options, &progress);
    bar.finish_and_clear();
    print_pull_report(&result?, started.elapsed());
    Ok(())
}

fn print_pull_report(report: &PullReport, elapsed: Duration) {
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    if report.up_to_date {
        eprintln!(
            "{} is up to date: {} files match the list signed by key {} ({:.1} KiB of lists read, in {:.2} s)",
            report.dir.display(),
            report.files,
            report.signer.key_id,
            report.list_bytes as f64 / 1024.0,
            elapsed.as_secs_f64()
        );
        return;
    }
    eprintln!(
        "Updated {}: {} files ({:.1} MiB) signed by key {}; fetched {} ({:.2} MiB) + {:.1} KiB of signed lists, {} kept, {} from an earlier run, {} removed, in {:.2} s",
        report.dir.display(),
        report.files,
        mib(report.total_bytes),
        report.signer.key_id,
        report.fetched,
        mib(report.fetched_bytes),
        report.list_bytes as f64 / 1024.0,
        report.kept,
        report.from_cache,
        report.removed,
        elapsed.as_secs_f64()
    );
    if report.carried_over > 0 {
        eprintln!(
            "Carried over {} of {}'s own ({ACME_CHALLENGE}/, --keep) into the new copy",
            crate::plural(report.carried_over, "file"),
            report.dir.display()
        );
    }
    for path in &report.displaced {
        eprintln!(
            "warning: {} is kept across pulls ({ACME_CHALLENGE}/ or --keep), but the signed copy has a file or folder of its own at {path}: the signed copy won, and that file is gone",
            report.dir.join(path).display()
        );
    }
}
