//! `verify` and `mirror pull` against real copies: folders on disk and a
//! real HTTP server on 127.0.0.1 that counts requests and can tamper with a
//! file, cut a body short or die mid-transfer. On every fault the mirror's
//! folder must stay exactly as it was, and the next run must finish the job.

mod common;
mod mirror_common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mirror_common::*;

/// An upstream site built and signed into `served`, the copy a server serves.
struct Upstream {
    dir: tempfile::TempDir,
    root: PathBuf,
    served: PathBuf,
    secret: PathBuf,
    public: PathBuf,
}

impl Upstream {
    fn new() -> Upstream {
        let dir = tempfile::tempdir().unwrap();
        let (secret, public) = keygen(dir.path(), "network");
        let root = dir.path().join("site");
        write_site(&root, SITE_TOML);
        let served = dir.path().join("served");
        build_into(&root, &served, Some(&secret));
        Upstream { dir, root, served, secret, public }
    }

    /// Changes one page's text and publishes the new build.
    fn change_one_page(&self) {
        std::fs::write(
            self.root.join("content/hello.md"),
            "+++\ntitle = \"Hello\"\ndate = 2026-01-15\n+++\nHello again, mirrors.\n",
        )
        .unwrap();
        build_into(&self.root, &self.served, Some(&self.secret));
    }

    /// Renames the site: every page changes.
    fn change_every_page(&self) {
        std::fs::write(self.root.join("site.toml"), SITE_TOML.replace("Mirror test", "Renamed")).unwrap();
        build_into(&self.root, &self.served, Some(&self.secret));
    }

    fn mirror(&self) -> PathBuf {
        self.dir.path().join("www/mirror")
    }

    fn pull(&self, server: &Server) -> std::process::Output {
        self.pull_with(server, &[])
    }

    fn pull_with(&self, server: &Server, extra: &[&str]) -> std::process::Output {
        let mirror = self.mirror();
        let mut args =
            vec!["mirror", "pull", &server.url, s(&mirror), "--public-key", s(&self.public), "--timeout", "10"];
        args.extend_from_slice(extra);
        run(&args, &[])
    }

    fn pull_ok(&self, server: &Server) -> String {
        let output = self.pull(server);
        assert!(output.status.success(), "pull failed:\n{}", text(&output));
        text(&output)
    }

    fn pull_fails(&self, server: &Server) -> String {
        let output = self.pull(server);
        assert_eq!(output.status.code(), Some(1), "pull should fail:\n{}", text(&output));
        text(&output)
    }
}

/// A refused pull made nothing beside the mirror's folder and fetched nothing.
fn assert_nothing_made_or_fetched(up: &Upstream, server: &Server) {
    let beside: Vec<String> = std::fs::read_dir(up.mirror().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, ["mirror"], "nothing made beside it");
    assert!(server.requests().is_empty(), "nothing fetched: {:?}", server.requests());
}

fn assert_same_tree(a: &Path, b: &Path) {
    let (a, b) = (snapshot(a), snapshot(b));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(b[path] == *bytes, "{path} differs");
    }
}

#[test]
fn verify_passes_a_clean_copy_and_names_what_changed() {
    let up = Upstream::new();
    let copy = up.dir.path().join("copy");
    build_into(&up.root, &copy, Some(&up.secret));
    let verify = |_: ()| vec!["verify", s(&copy), "--public-key", s(&up.public)];
    let key = ();
    let said = ok(&verify(key));
    assert!(said.contains("signature: good") && said.contains("ok: all"), "{said}");

    let page = copy.join("en/hello/index.html");
    let original = std::fs::read(&page).unwrap();
    let mut one_byte = original.clone();
    one_byte[10] ^= 1;
    std::fs::write(&page, &one_byte).unwrap();
    let said = fails(&verify(key));
    assert!(said.contains("changed: en/hello/index.html"), "{said}");
    std::fs::write(&page, &original).unwrap();

    std::fs::remove_file(copy.join("ca/bundle/picture.svg")).unwrap();
    std::fs::write(copy.join("en/extra.html"), "<p>slipped in</p>").unwrap();
    let said = fails(&verify(key));
    assert!(said.contains("missing: ca/bundle/picture.svg"), "{said}");
    assert!(said.contains("unlisted: en/extra.html"), "{said}");
    assert!(said.contains("1 missing, 1 unlisted"), "{said}");
}

/// A verifier that says "ok" without checking who signed is a trap in
/// scripts: without a key, verify fails, unless checksums alone are asked for.
#[test]
fn verify_without_a_key_fails_unless_asked_for_checksums_only() {
    let up = Upstream::new();
    let said = fails(&["verify", s(&up.served)]);
    assert!(said.contains("NOT verified") && said.contains("no public key"), "{said}");
    assert!(said.contains("--public-key FILE") && said.contains("public_keys"), "names what to pass: {said}");
    assert!(said.contains("--checksums-only"), "{said}");
    assert!(!said.contains("ok:"), "{said}");
    // A site folder listing no key is no better.
    let said = fails(&["verify", s(&up.served), "--root", s(&up.root)]);
    assert!(said.contains("no public key"), "{said}");
    let said = ok(&["verify", s(&up.served), "--checksums-only"]);
    assert!(said.contains("signature: NOT checked") && said.contains("ok: all"), "{said}");
    assert!(said.contains("its signature was NOT checked"), "said on the ok line too: {said}");
    // Checksums only still catch a changed file.
    let page = up.served.join("en/hello/index.html");
    let original = std::fs::read(&page).unwrap();
    std::fs::write(&page, b"defaced").unwrap();
    let said = fails(&["verify", s(&up.served), "--checksums-only"]);
    assert!(said.contains("changed: en/hello/index.html"), "{said}");
    std::fs::write(&page, original).unwrap();
    // Asking for both a key and no signature check is a mistake on the command line.
    let both = run(&["verify", s(&up.served), "--checksums-only", "--public-key", s(&up.public)], &[]);
    assert_eq!(both.status.code(), Some(2), "{}", text(&both));
    // With a key, a signature from another key is refused.
    let other = tempfile::tempdir().unwrap();
    let (_, other_pub) = keygen(other.path(), "other");
    let said = fails(&["verify", s(&up.served), "--public-key", s(&other_pub)]);
    assert!(said.contains("not a trusted key"), "{said}");
    // With a key, an unsigned copy is refused.
    let signature = std::fs::read(up.served.join("SHA256SUMS.minisig")).unwrap();
    std::fs::remove_file(up.served.join("SHA256SUMS.minisig")).unwrap();
    let said = fails(&["verify", s(&up.served), "--public-key", s(&up.public)]);
    assert!(said.contains("no signature"), "{said}");
    std::fs::write(up.served.join("SHA256SUMS.minisig"), signature).unwrap();
    // A list edited after signing is caught before any file is read.
    let sums = up.served.join("SHA256SUMS");
    let edited = std::fs::read_to_string(&sums).unwrap().replacen('a', "b", 1);
    std::fs::write(&sums, edited).unwrap();
    let said = fails(&["verify", s(&up.served), "--public-key", s(&up.public)]);
    assert!(said.contains("BAD signature"), "{said}");
}

#[test]
fn verify_checks_a_live_mirror_over_http() {
    let up = Upstream::new();
    let server = Server::start(&up.served);
    let said = ok(&["verify", &server.url, "--public-key", s(&up.public)]);
    assert!(said.contains("ok: all") && said.contains("cannot be seen over HTTP"), "{said}");
    assert!(server.file_requests().contains("en/hello/index.html"));
    server.tamper("en/other/index.html", b"defaced");
    let said = fails(&["verify", &server.url, "--public-key", s(&up.public)]);
    assert!(said.contains("changed: en/other/index.html"), "{said}");
}

#[test]
fn pull_makes_a_byte_identical_copy_then_fetches_only_what_changed() {
    let up = Upstream::new();
    let server = Server::start(&up.served);
    let said = up.pull_ok(&server);
    assert!(said.contains("Updated"), "{said}");
    assert_same_tree(&up.served, &up.mirror());
    ok(&["verify", s(&up.mirror()), "--public-key", s(&up.public)]);
    // The picture is the same file in both languages: fetched once.
    let pictures = server.requests().iter().filter(|p| p.ends_with("picture.svg")).count();
    assert_eq!(pictures, 1);
    let siblings: Vec<_> = std::fs::read_dir(up.mirror().parent().unwrap()).unwrap().collect();
    assert_eq!(siblings.len(), 1, "no staging folder left after success");

    server.forget_requests();
    let said = up.pull_ok(&server);
    assert!(said.contains("is up to date"), "{said}");
    assert_eq!(server.requests(), ["SHA256SUMS", "SHA256SUMS.minisig"], "an unchanged site costs only its signed list");

    let before = snapshot(&up.served);
    up.change_one_page();
    let changed = changed_paths(&before, &snapshot(&up.served));
    server.forget_requests();
    up.pull_ok(&server);
    assert_same_tree(&up.served, &up.mirror());
    let fetched = server.file_requests();
    let expected: std::collections::BTreeSet<String> =
        changed.into_iter().filter(|p| !LISTS.contains(&p.as_str()) && p != "SHA256SUMS.minisig").collect();
    assert_eq!(fetched, expected, "only the changed files are fetched");
    assert!(fetched.contains("en/hello/index.html"));
    assert!(fetched.len() < snapshot(&up.served).len() / 3, "{fetched:?}");
}

#[test]
fn a_tampered_file_leaves_the_mirror_as_it_was_and_the_next_pull_completes() {
    let up = Upstream::new();
    let server = Server::start(&up.served);
    up.pull_ok(&server);
    let before = snapshot(&up.mirror());
    up.change_every_page();
    // Same size, one byte different: only the hash can tell.
    let mut page = std::fs::read(up.served.join("en/hello/index.html")).unwrap();
    page[100] ^= 0x20;
    server.tamper("en/hello/index.html", &page);
    let said = up.pull_fails(&server);
    assert!(said.contains("en/hello/index.html") && said.contains("does not match its signed hash"), "{said}");
    assert!(said.contains("left exactly as it was"), "{said}");
    assert_eq!(snapshot(&up.mirror()), before, "the mirror is untouched");

    server.stop_tampering();
    let fetched_before = server.file_requests();
    server.forget_requests();
    let said = up.pull_ok(&server);
    assert_same_tree(&up.served, &up.mirror());
    // Resumed: only the file that failed is fetched again.
    assert_eq!(
        server.file_requests().into_iter().collect::<Vec<_>>(),
        ["en/hello/index.html"],
        "second run after {fetched_before:?}: {said}"
    );
}

#[test]
fn a_body_cut_short_is_refused() {
    let up = Upstream::new();
    let server = Server::start(&up.served);
    up.pull_ok(&server);
    let before = snapshot(&up.mirror());
    up.change_one_page();
    let page = std::fs::read(up.served.join("en/hello/index.html")).unwrap();
    server.tamper("en/hello/index.html", &page[..page.len() - 1]);
    let said = up.pull_fails(&server);
    assert!(said.contains("en/hello/index.html") && said.contains("cut short"), "{said}");
    assert_eq!(snapshot(&up.mirror()), before);
}

#[test]
fn a_file_where_the_mirror_should_be_is_refused_and_left_alone() {
    let up = Upstream::new();
    let server = Server::start(&up.served);
    std::fs::create_dir_all(up.mirror().parent().unwrap()).unwrap();
    std::fs::write(up.mirror(), "my notes\n").unwrap();
    let said = up.pull_fails(&server);
    assert!(said.contains("not a folder"), "{said}");
    assert_eq!(std::fs::read_to_string(up.mirror()).unwrap(), "my notes\n");
    assert_nothing_made_or_fetched(&up, &server);
}

/// A typo in DIR (the home folder, /var/www holding other sites) must not
/// delete what is there: the swap replaces DIR whole, so pull takes only a
/// folder that is new, empty or a copy infrared wrote, unless --force.
#[test]
fn a_folder_of_other_files_is_refused_unless_forced() {
    let up = Upstream::new();
    let server = Server::start(&up.served);
    let notes = up.mirror().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(notes.join("thesis.txt"), "precious\n").unwrap();
    let said = up.pull_fails(&server);
    assert!(said.contains("files infrared did not write") && said.contains("--force"), "{said}");
    assert_eq!(std::fs::read_to_string(notes.join("thesis.txt")).unwrap(), "precious\n");
    assert_nothing_made_or_fetched(&up, &server);
    let home = up.dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let into_home = run(
        &["mirror", "pull", &server.url, s(&home), "--public-key", s(&up.public), "--force"],
        &[("HOME", s(&home))],
    );
    assert_eq!(into_home.status.code(), Some(1), "{}", text(&into_home));
    assert!(text(&into_home).contains("your home folder"), "{}", text(&into_home));
    // Forced, it is replaced; a copy infrared wrote is then pulled into as before.
    let forced = run(&["mirror", "pull", &server.url, s(&up.mirror()), "--public-key", s(&up.public), "--force"], &[]);
    assert!(forced.status.success(), "{}", text(&forced));
    assert_same_tree(&up.served, &up.mirror());
    up.change_one_page();
    up.pull_ok(&server);
    assert_same_tree(&up.served, &up.mirror());
}

#[test]
fn a_wrong_signature_fetches_nothing_and_changes_nothing() {
    let up = Upstream::new();
    let server = Server::start(&up.served);
    up.pull_ok(&server);
    let before = snapshot(&up.mirror());
    // Upstream now signed by a key the mirror does not trust.
    let other = tempfile::tempdir().unwrap();
    let (other_secret, _) = keygen(other.path(), "intruder");
    up.change_one_page();
    build_into(&up.root, &up.served, Some(&other_secret));
    server.forget_requests();
    let said = up.pull_fails(&server);
    assert!(said.contains("not a trusted key"), "{said}");
    assert_eq!(server.requests(), ["SHA256SUMS", "SHA256SUMS.minisig"], "nothing else is fetched");
    assert_eq!(snapshot(&up.mirror()), before);
    // A list changed after signing is refused too.
    build_into(&up.root, &up.served, Some(&up.secret));
    let sums = std::fs::read_to_string(up.served.join("SHA256SUMS")).unwrap();
    server.tamper("SHA256SUMS", sums.replacen("en/hello", "en/hellO", 1).as_bytes());
    let said = up.pull_fails(&server);
    assert!(said.contains("BAD signature"), "{said}");
    assert_eq!(snapshot(&up.mirror()), before);
    // And without any key nothing is pulled at all.
    let said = fails(&["mirror", "pull", &server.url, s(&up.mirror())]);
    assert!(said.contains("no public key"), "{said}");
}

#[test]
fn a_server_killed_mid_transfer_leaves_the_mirror_and_a_second_pull_resumes() {
    let up = Upstream::new();
    let server = Server::start(&up.served);
    up.pull_ok(&server);
    let before = snapshot(&up.mirror());
    let published = snapshot(&up.served);
    up.change_every_page();
    let changed = changed_paths(&published, &snapshot(&up.served));
    server.forget_requests();
    server.die_after(3);
    let said = up.pull_fails(&server);
    assert!(said.contains("NOT updated") && said.contains("run"), "{said}");
    assert_eq!(snapshot(&up.mirror()), before, "the mirror is untouched");
    let first_run: Vec<String> = server.requests().into_iter().filter(|p| !LISTS.contains(&p.as_str())).collect();
    assert_eq!(first_run.len(), 4, "3 whole files, then one cut: {first_run:?}");

    let revived = Server::start(&up.served);
    let said = up.pull_ok(&revived);
    assert_same_tree(&up.served, &up.mirror());
    let second_run = revived.file_requests();
    for done in &first_run[..3] {
        assert!(!second_run.contains(done), "{done} was fetched twice: {said}");
    }
    assert!(second_run.contains(&first_run[3]), "the cut file is fetched again");
    assert!(second_run.iter().all(|p| changed.contains(p)), "{second_run:?}");
    // The three whole files and manifest.json came from the first run.
    assert!(said.contains("4 from an earlier run"), "{said}");
    assert!(!revived.requests().contains(&"manifest.json".to_string()));
}

#[test]
fn a_write_that_fails_mid_pull_leaves_the_mirror_as_it_was() {
    let up = Upstream::new();
    let server = Server::start(&up.served);
    up.pull_ok(&server);
    let before = snapshot(&up.mirror());
    up.change_one_page();
    // Where the new page's verified bytes would be stored, something that
    // cannot be written over stands instead, as a full disk would refuse it.
    let sums = std::fs::read_to_string(up.served.join("SHA256SUMS")).unwrap();
    let hash = sums.lines().find(|l| l.ends_with("  en/hello/index.html")).map(|l| &l[..64]).unwrap();
    let blocker = up.dir.path().join("www/.mirror.pull/objects").join(hash);
    std::fs::create_dir_all(blocker.join("not-empty")).unwrap();
    let said = up.pull_fails(&server);
    assert!(said.contains(hash) && said.contains("NOT updated"), "{said}");
    assert_eq!(snapshot(&up.mirror()), before);
    std::fs::remove_dir_all(&blocker).unwrap();
    up.pull_ok(&server);
    assert_same_tree(&up.served, &up.mirror());
}

#[test]
fn a_swap_interrupted_between_its_two_renames_is_undone_first() {
    let up = Upstream::new();
    let server = Server::start(&up.served);
    up.pull_ok(&server);
    // As if a pull had stopped after moving the old copy aside.
    let aside = up.dir.path().join("www/.mirror.old");
    std::fs::rename(up.mirror(), &aside).unwrap();
    server.forget_requests();
    let said = up.pull_ok(&server);
    assert!(said.contains("is up to date"), "the old copy came back: {said}");
    assert!(server.file_requests().is_empty());
    assert!(!aside.exists());
    assert_same_tree(&up.served, &up.mirror());
}

#[test]
fn pages_travel_compressed_when_the_server_can_and_arrive_as_published() {
    let up = Upstream::new();
    let server = Server::start(&up.served);
    server.gzip();
    up.pull_ok(&server);
    assert_same_tree(&up.served, &up.mirror());
    // Zips (offline bundles, workshop packs) are compressed already: they
    // travel as they are, everything else in under half its size.
    let size_of = |zipped: bool| -> usize {
        snapshot(&up.served)
            .iter()
            .filter(|(p, _)| p.as_str() != "SHA256SUMS.minisig" && p.ends_with(".zip") == zipped)
            .map(|(_, b)| b.len())
            .sum()
    };
    let (text, zips) = (size_of(false), size_of(true));
    assert!(
        server.bytes_sent() < text / 2 + zips,
        "{} bytes sent for {text} bytes of text and {zips} of zips",
        server.bytes_sent()
    );
}

#[test]
fn a_compressed_body_that_unpacks_beyond_its_signed_size_is_cut_off() {
    let up = Upstream::new();
    let server = Server::start(&up.served);
    up.pull_ok(&server);
    let before = snapshot(&up.mirror());
    up.change_one_page();
    server.gzip();
    // 64 MiB of zeros, a few dozen KiB on the wire: a "zip bomb".
    server.tamper("en/hello/index.html", &vec![0u8; 64 << 20]);
    let said = up.pull_fails(&server);
    assert!(said.contains("en/hello/index.html") && said.contains("larger than"), "{said}");
    assert_eq!(snapshot(&up.mirror()), before);
}

#[test]
fn a_second_pull_into_the_same_folder_stops_and_a_stale_lock_is_taken_over() {
    let up = Upstream::new();
    let server = Server::start(&up.served);
    up.pull_ok(&server);
    let lock = up.dir.path().join("www/.mirror.pull/lock");
    std::fs::create_dir_all(lock.parent().unwrap()).unwrap();
    // A pull that is running: this very process holds the lock.
    std::fs::write(&lock, std::process::id().to_string()).unwrap();
    up.change_one_page();
    let before = snapshot(&up.mirror());
    let said = up.pull_fails(&server);
    assert!(said.contains("another pull") && said.contains(&std::process::id().to_string()), "{said}");
    assert_eq!(snapshot(&up.mirror()), before);
    // A pull that was killed: its process is gone.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    gone.wait().unwrap();
    std::fs::write(&lock, gone.id().to_string()).unwrap();
    up.pull_ok(&server);
    assert_same_tree(&up.served, &up.mirror());
    assert!(!lock.exists());
}

/// Runs `infrared` and gives up after `seconds`: `None` if it was still running.
fn run_within(args: &[&str], seconds: u64) -> Option<std::process::Output> {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_infrared"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while std::time::Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// A mirror sending a byte now and then never trips the timeout between two
/// reads; the lists, read with a limit of 256 MiB, must still be given up
/// on once they come slower than 1 KiB/s, or a pull (holding its lock, so
/// every later cron run stops too) and verify wait for days.
#[test]
fn a_mirror_that_trickles_its_lists_is_given_up_on() {
    let up = Upstream::new();
    up.pull_ok(&Server::start(&up.served));
    up.change_one_page();
    let server = Server::start(&up.served);
    server.trickle("SHA256SUMS");
    let mirror = up.mirror();
    let before = snapshot(&mirror);
    let pull = ["mirror", "pull", &server.url, s(&mirror), "--public-key", s(&up.public), "--timeout", "2"];
    let output = run_within(&pull, 30).expect("pull still waiting after 30 s");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(text(&output).contains("SHA256SUMS") && text(&output).contains("1 KiB/s"), "{}", text(&output));
    assert_eq!(snapshot(&mirror), before);
    let verify = ["verify", &server.url, "--public-key", s(&up.public), "--timeout", "2"];
    let output = run_within(&verify, 30).expect("verify still waiting after 30 s");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(text(&output).contains("1 KiB/s") && text(&output).contains("try again later"), "{}", text(&output));
}

/// A mirror served through a link (`/var/www/infrared -> /srv/mirror`) is
/// pulled into the folder it leads to; the link stays.
#[test]
fn a_mirror_reached_through_a_symbolic_link_is_pulled_where_it_leads() {
    let up = Upstream::new();
    let server = Server::start(&up.served);
    let real = up.dir.path().join("srv/mirror");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    std::fs::create_dir_all(up.mirror().parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&real, up.mirror()).unwrap();
    up.pull_ok(&server);
    up.change_one_page();
    up.pull_ok(&server);
    assert!(std::fs::symlink_metadata(up.mirror()).unwrap().file_type().is_symlink(), "the link stays");
    assert_same_tree(&up.served, &real);
}

/// Commits everything in `root` (a repository of its own, made on the
/// first call), with `date` as the author's and committer's time.
fn commit_all(root: &Path, date: &str) {
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(["-c", "user.name=Writer", "-c", "user.email=writer@example.org"])
            .args(args)
            .current_dir(root)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    if !root.join(".git").exists() {
        git(&["init", "-q"]);
    }
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "edit"]);
}

#[test]
fn an_older_signed_build_does_not_replace_a_newer_copy_unless_allowed() {
    if !require_tool("git") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (secret, public) = keygen(dir.path(), "network");
    let root = dir.path().join("site");
    write_site(&root, SITE_TOML);
    commit_all(&root, "2026-03-01T10:00:00+02:00");
    let old = dir.path().join("old");
    build_into(&root, &old, Some(&secret));
    std::fs::write(root.join("content/hello.md"), "+++\ntitle = \"Hello\"\n+++\nA later text.\n").unwrap();
    commit_all(&root, "2026-03-02T10:00:00+02:00");
    let new = dir.path().join("new");
    build_into(&root, &new, Some(&secret));
    let manifest = |d: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(d.join("manifest.json")).unwrap()).unwrap()
    };
    assert_eq!(manifest(&old)["source_commit_date"], "2026-03-01T08:00:00Z", "the commit's time, in UTC");
    assert_eq!(manifest(&new)["source_commit_date"], "2026-03-02T08:00:00Z");

    let mirror = dir.path().join("www/mirror");
    let pull = |from: &Server, extra: &[&str]| {
        let mut args = vec!["mirror", "pull", &from.url, s(&mirror), "--public-key", s(&public)];
        args.extend_from_slice(extra);
        run(&args, &[])
    };
    let (new_server, old_server) = (Server::start(&new), Server::start(&old));
    assert!(pull(&new_server, &[]).status.success());
    assert_same_tree(&new, &mirror);

    // A mirror replaying the older build, validly signed in its day.
    old_server.forget_requests();
    let refused = pull(&old_server, &[]);
    let said = text(&refused);
    assert_eq!(refused.status.code(), Some(1), "{said}");
    assert!(said.contains("older build") && said.contains("2026-03-01T08:00:00Z"), "{said}");
    assert!(said.contains("2026-03-02T08:00:00Z") && said.contains("--allow-older"), "{said}");
    assert_same_tree(&new, &mirror);
    assert!(old_server.file_requests().is_empty(), "nothing fetched: {:?}", old_server.file_requests());

    // The network really went back: the admin says so.
    let allowed = pull(&old_server, &["--allow-older"]);
    assert!(allowed.status.success(), "{}", text(&allowed));
    assert_same_tree(&old, &mirror);
    // And forward again, as always.
    assert!(pull(&new_server, &[]).status.success());
    assert_same_tree(&new, &mirror);
}

/// DIR's files but those under `.well-known/`, which the signed copy never holds.
fn without_well_known(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(dir);
    files.retain(|path, _| !path.starts_with(".well-known/"));
    files
}

/// certbot in webroot mode writes a token into the served folder during a
/// renewal, for the certificate authority to fetch: a pull's swap must not
/// take it away, not even one written while the pull is running.
#[test]
fn certbots_tokens_survive_pulls_even_one_written_while_a_pull_runs() {
    let up = Upstream::new();
    let server = Server::start(&up.served);
    up.pull_ok(&server);
    let challenge = up.mirror().join(".well-known/acme-challenge");
    std::fs::create_dir_all(&challenge).unwrap();
    std::fs::write(challenge.join("before"), "token one\n").unwrap();
    // A token is no reason to replace a copy that is up to date.
    let said = up.pull_ok(&server);
    assert!(said.contains("is up to date"), "{said}");
    up.change_one_page();
    server.stall("en/hello/index.html", Duration::from_secs(2));
    std::thread::scope(|scope| {
        let pull = scope.spawn(|| up.pull_ok(&server));
        let start = Instant::now();
        while !server.requests().iter().any(|p| p == "en/hello/index.html") {
            assert!(start.elapsed() < Duration::from_secs(30), "the pull never asked for the changed page");
            std::thread::sleep(Duration::from_millis(20));
        }
        std::fs::write(challenge.join("during"), "token two\n").unwrap();
        let said = pull.join().unwrap();
        assert!(said.contains("Updated"), "{said}");
        assert!(said.contains("Carried over 2 files"), "{said}");
    });
    assert_eq!(std::fs::read_to_string(challenge.join("before")).unwrap(), "token one\n");
    assert_eq!(std::fs::read_to_string(challenge.join("during")).unwrap(), "token two\n");
    assert_eq!(without_well_known(&up.mirror()), snapshot(&up.served), "the rest is the signed copy");
    // Nor are the tokens a sign of tampering to verify, as they are not to
    // a pull: no --keep needed.
    let said = ok(&["verify", s(&up.mirror()), "--public-key", s(&up.public)]);
    assert!(
        said.contains("no other file is present but 2 under .well-known/acme-challenge/ or --keep paths"),
        "{said}"
    );
}

/// An admin who got the certificate before the first pull (nginx serving
/// the empty folder, certbot --webroot) has a DIR holding only tokens:
/// that is no folder of other files to refuse.
#[test]
fn a_new_mirror_folder_holding_only_certbots_tokens_is_pulled_into() {
    let up = Upstream::new();
    let server = Server::start(&up.served);
    let challenge = up.mirror().join(".well-known/acme-challenge");
    std::fs::create_dir_all(&challenge).unwrap();
    std::fs::write(challenge.join("token"), "renewing\n").unwrap();
    let said = up.pull_ok(&server);
    assert!(said.contains("Carried over 1 file of"), "one token, in the singular: {said}");
    assert_eq!(std::fs::read_to_string(challenge.join("token")).unwrap(), "renewing\n");
    assert_eq!(without_well_known(&up.mirror()), snapshot(&up.served));
    // Anything else in it is still someone's, and refused.
    let other = up.dir.path().join("www/other");
    std::fs::create_dir_all(other.join(".well-known/acme-challenge")).unwrap();
    std::fs::write(other.join("index.html"), "another site\n").unwrap();
    let said = fails(&["mirror", "pull", &server.url, s(&other), "--public-key", s(&up.public)]);
    assert!(said.contains("files infrared did not write") && said.contains("--keep"), "{said}");
}

/// `--keep` carries the admin's own paths over; where the signed copy has
/// a file of its own, it wins, and the pull says so.
#[test]
fn keep_carries_the_admins_own_paths_and_the_signed_copy_wins_a_clash() {
    let up = Upstream::new();
    let server = Server::start(&up.served);
    up.pull_ok(&server);
    let mirror = up.mirror();
    std::fs::create_dir_all(mirror.join(".well-known")).unwrap();
    std::fs::write(mirror.join(".well-known/security.txt"), "Contact: mailto:admin@example.net\n").unwrap();
    std::fs::create_dir_all(mirror.join("status")).unwrap();
    std::fs::write(mirror.join("status/ok.txt"), "ok\n").unwrap();
    std::fs::write(mirror.join("en/hello/index.html"), "my own page\n").unwrap();
    up.change_one_page();
    let keep = ["--keep", ".well-known/security.txt", "--keep", "status/", "--keep", "en/hello/index.html"];
    let output = up.pull_with(&server, &keep);
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("Carried over 2 files"), "{said}");
    assert!(said.contains("warning:") && said.contains("at en/hello/index.html: the signed copy won"), "{said}");
    assert_eq!(
        std::fs::read_to_string(mirror.join(".well-known/security.txt")).unwrap(),
        "Contact: mailto:admin@example.net\n"
    );
    assert_eq!(std::fs::read_to_string(mirror.join("status/ok.txt")).unwrap(), "ok\n");
    let mut rest = without_well_known(&mirror);
    rest.remove("status/ok.txt");
    assert_eq!(rest, snapshot(&up.served), "the signed page, not the admin's");
    // verify names them, unless told they are the admin's own.
    let verify = ["verify", s(&mirror), "--public-key", s(&up.public)];
    let said = fails(&verify);
    assert!(said.contains("unlisted: .well-known/security.txt") && said.contains("unlisted: status/ok.txt"), "{said}");
    let said = ok(&[&verify[..], &["--keep", ".well-known/security.txt", "--keep", "status"]].concat());
    assert!(
        said.contains("no other file is present but 2 under .well-known/acme-challenge/ or --keep paths"),
        "{said}"
    );
    let said = fails(&[&verify[..], &["--keep", "status"]].concat());
    assert!(said.contains("unlisted: .well-known/security.txt") && said.contains("1 unlisted"), "{said}");
    // Not named again, they go with the old copy, as any file not the site's.
    up.change_every_page();
    up.pull_ok(&server);
    assert_same_tree(&up.served, &mirror);
    // A path leaving DIR is a mistake on the command line.
    for bad in ["../elsewhere", "/etc", "a/../../b"] {
        let output = up.pull_with(&server, &["--keep", bad]);
        assert_eq!(output.status.code(), Some(2), "{bad}: {}", text(&output));
        assert!(text(&output).contains("not a path inside DIR"), "{bad}: {}", text(&output));
    }
}

/// Adds `path` to the upstream copy as if its build had published it, and
/// signs the copy again.
fn publish_in_signed_copy(up: &Upstream, path: &str, bytes: &[u8]) {
    let file = up.served.join(path);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, bytes).unwrap();
    let hash = infrared::mirror::manifest::sha256_hex(bytes);
    let manifest_file = up.served.join("manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(&manifest_file).unwrap()).unwrap();
    let files = manifest["files"].as_array_mut().unwrap();
    files.push(serde_json::json!({ "path": path, "size": bytes.len(), "sha256": hash }));
    files.sort_by(|a, b| a["path"].as_str().cmp(&b["path"].as_str()));
    let json = serde_json::to_string_pretty(&manifest).unwrap() + "\n";
    std::fs::write(&manifest_file, &json).unwrap();
    let sums_file = up.served.join("SHA256SUMS");
    let mut sums: Vec<String> = std::fs::read_to_string(&sums_file)
        .unwrap()
        .lines()
        .filter(|l| !l.ends_with("  manifest.json"))
        .map(str::to_string)
        .collect();
    sums.push(format!("{}  manifest.json", infrared::mirror::manifest::sha256_hex(json.as_bytes())));
    sums.push(format!("{hash}  {path}"));
    sums.sort_by(|a, b| a[66..].cmp(&b[66..]));
    std::fs::write(&sums_file, sums.join("\n") + "\n").unwrap();
    ok(&["sign", s(&up.served), "--sign-key", s(&up.secret)]);
}

/// A signed copy that publishes a file where the mirror keeps its own
/// (another tool's build, or a site that serves its own token): the signed
/// file wins, the pull says which of DIR's files gave way, and the other
/// kept files stay.
#[test]
fn a_signed_file_on_a_kept_path_wins_and_the_pull_says_so() {
    let up = Upstream::new();
    let server = Server::start(&up.served);
    up.pull_ok(&server);
    let challenge = up.mirror().join(".well-known/acme-challenge");
    std::fs::create_dir_all(&challenge).unwrap();
    std::fs::write(challenge.join("published"), "the mirror's own\n").unwrap();
    std::fs::write(challenge.join("other"), "another token\n").unwrap();
    publish_in_signed_copy(&up, ".well-known/acme-challenge/published", b"the network's\n");
    let said = up.pull_ok(&server);
    assert!(said.contains("warning:") && said.contains(".well-known/acme-challenge/published"), "{said}");
    assert!(said.contains("the signed copy won"), "{said}");
    assert_eq!(std::fs::read_to_string(challenge.join("published")).unwrap(), "the network's\n");
    assert_eq!(std::fs::read_to_string(challenge.join("other")).unwrap(), "another token\n");
    // verify checks the signed file there, and takes the other for a token.
    let said = ok(&["verify", s(&up.mirror()), "--public-key", s(&up.public)]);
    assert!(said.contains("but 1 under .well-known/acme-challenge/ or --keep paths"), "{said}");
    std::fs::write(challenge.join("published"), "tampered\n").unwrap();
    let said = fails(&["verify", s(&up.mirror()), "--public-key", s(&up.public)]);
    assert!(said.contains(".well-known/acme-challenge/published"), "{said}");
    std::fs::write(challenge.join("published"), "the network's\n").unwrap();
    // Once in place, the signed file is no clash: the next pull is quiet.
    let said = up.pull_ok(&server);
    assert!(said.contains("is up to date") && !said.contains("warning:"), "{said}");
}
