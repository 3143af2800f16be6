//! Helpers for the mirror tests: a small site, keys, the real tools
//! (minisign, sha256sum), snapshots of folders, and an HTTP server on
//! loopback that counts requests and can tamper, truncate or die.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A tool the test needs: missing under CI is a failure, elsewhere a skip.
pub fn require_tool(name: &str) -> bool {
    let found = Command::new(name).arg(if name == "minisign" { "-v" } else { "--version" }).output().is_ok();
    if !found {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{name} is not installed, and CI must run this test (see .ci/run)");
        }
        eprintln!("skipping: {name} is not installed (apt-get install {name})");
    }
    found
}

/// Runs `infrared` with `args` and extra environment variables.
pub fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_infrared"));
    command.args(args).env("NO_COLOR", "1").env_remove("INFRARED_SIGN_KEY").env_remove("INFRARED_KEY_PASSWORD");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run infrared")
}

pub fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

pub fn ok(args: &[&str]) -> String {
    let output = run(args, &[]);
    assert!(output.status.success(), "{args:?} failed:\n{}", text(&output));
    text(&output)
}

pub fn fails(args: &[&str]) -> String {
    let output = run(args, &[]);
    assert!(!output.status.success(), "{args:?} should fail:\n{}", text(&output));
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    text(&output)
}

pub fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A key pair made by `infrared keygen` in `dir`: (secret, public).
pub fn keygen(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let secret = dir.join(format!("{name}.key"));
    let public = dir.join(format!("{name}.pub"));
    ok(&["keygen", "--secret-key", s(&secret), "--public-key", s(&public)]);
    (secret, public)
}

pub const SITE_TOML: &str = "title = \"Mirror test\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ca]\nname = \"Català\"\n";

/// A small two-language site with a page bundle (its image is copied once
/// per language, so two paths share one hash).
pub fn write_site(root: &Path, site_toml: &str) {
    let files: &[(&str, &str)] = &[
        ("site.toml", site_toml),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nSee [hello](hello.md) and [the bundle](bundle/index.md).\n"),
        ("content/_index.ca.md", "+++\ntitle = \"Inici\"\n+++\nVegeu [hola](hello.md).\n"),
        ("content/hello.md", "+++\ntitle = \"Hello\"\ndate = 2026-01-15\n+++\nHello, mirrors.\n"),
        ("content/other.md", "+++\ntitle = \"Other\"\ndate = 2026-01-10\n+++\nAnother page.\n"),
        ("content/bundle/index.md", "+++\ntitle = \"Bundle\"\n+++\n![a picture](picture.svg)\n"),
        ("content/bundle/picture.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>\n"),
    ];
    for (path, contents) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
}

/// Builds `root` into `out`, signed with `key` when given.
pub fn build_into(root: &Path, out: &Path, key: Option<&Path>) {
    let mut args = vec!["build", "--root", s(root), "--out", s(out)];
    if let Some(key) = key {
        args.extend(["--sign-key", s(key)]);
    }
    ok(&args);
}

/// Every file under `dir` with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Paths whose bytes differ between two snapshots, or that are new.
pub fn changed_paths(old: &BTreeMap<String, Vec<u8>>, new: &BTreeMap<String, Vec<u8>>) -> BTreeSet<String> {
    new.iter().filter(|(p, b)| old.get(*p) != Some(*b)).map(|(p, _)| p.clone()).collect()
}

/// The lists every pull reads before any file.
pub const LISTS: [&str; 3] = ["SHA256SUMS", "SHA256SUMS.minisig", "manifest.json"];

#[derive(Default)]
struct State {
    requests: Vec<String>,
    tampered: BTreeMap<String, Vec<u8>>,
    /// After this many file requests, the next one is cut mid-body and the
    /// server stops answering.
    die_after: Option<usize>,
    dead: bool,
    /// Answer with gzip when asked to, as nginx or Caddy may.
    gzip: bool,
    /// Body bytes sent, as they went on the wire.
    sent: usize,
    /// Paths whose body is sent a byte every 100 ms, as a mirror on its
    /// knees (or one stalling on purpose) would.
    trickled: BTreeSet<String>,
    /// Paths answered only after this long, as a slow mirror would.
    stalled: BTreeMap<String, Duration>,
}

/// A static file server on 127.0.0.1 serving `root`.
pub struct Server {
    pub url: String,
    root: PathBuf,
    state: Arc<Mutex<State>>,
}

impl Server {
    pub fn start(root: &Path) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let server = Server { url, root: root.to_path_buf(), state: state.clone() };
        let root = root.to_path_buf();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (root, state) = (root.clone(), state.clone());
                std::thread::spawn(move || answer(stream, &root, &state));
            }
        });
        server
    }

    /// Paths asked for so far (decoded, without the leading `/`).
    pub fn requests(&self) -> Vec<String> {
        self.state.lock().unwrap().requests.clone()
    }

    /// Paths asked for so far, other than the three lists.
    pub fn file_requests(&self) -> BTreeSet<String> {
        self.requests().into_iter().filter(|p| !LISTS.contains(&p.as_str())).collect()
    }

    pub fn forget_requests(&self) {
        self.state.lock().unwrap().requests.clear();
    }

    /// Serve `bytes` instead of the file at `path`.
    pub fn tamper(&self, path: &str, bytes: &[u8]) {
        self.state.lock().unwrap().tampered.insert(path.into(), bytes.into());
    }

    pub fn stop_tampering(&self) {
        self.state.lock().unwrap().tampered.clear();
    }

    pub fn die_after(&self, files: usize) {
        self.state.lock().unwrap().die_after = Some(files);
    }

    pub fn trickle(&self, path: &str) {
        self.state.lock().unwrap().trickled.insert(path.into());
    }

    pub fn stall(&self, path: &str, delay: Duration) {
        self.state.lock().unwrap().stalled.insert(path.into(), delay);
    }

    pub fn gzip(&self) {
        self.state.lock().unwrap().gzip = true;
    }

    pub fn bytes_sent(&self) -> usize {
        self.state.lock().unwrap().sent
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

fn answer(mut stream: TcpStream, root: &Path, state: &Mutex<State>) {
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut accepts_gzip = false;
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => return,
            Ok(_) if header == "\r\n" || header == "\n" => break,
            Ok(_) => {
                let lower = header.to_ascii_lowercase();
                accepts_gzip |= lower.starts_with("accept-encoding:") && lower.contains("gzip");
            }
        }
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = super::common::percent_decode(target.trim_start_matches('/'));
    let (body, cut, gzip, trickle, stall) = {
        let mut state = state.lock().unwrap();
        if state.dead {
            return; // Connection closed without an answer.
        }
        state.requests.push(path.clone());
        let files = state.requests.iter().filter(|p| !LISTS.contains(&p.as_str())).count();
        let cut = state.die_after.is_some_and(|n| files > n) && !LISTS.contains(&path.as_str());
        if cut {
            state.dead = true;
        }
        let body = match state.tampered.get(&path) {
            Some(bytes) => Some(bytes.clone()),
            None => std::fs::read(root.join(&path)).ok().filter(|_| !path.is_empty()),
        };
        (body, cut, state.gzip && accepts_gzip, state.trickled.contains(&path), state.stalled.get(&path).copied())
    };
    if let Some(delay) = stall {
        std::thread::sleep(delay);
    }
    let Some(body) = body else {
        let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    };
    let (body, encoding) = if gzip {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(&body).unwrap();
        (encoder.finish().unwrap(), "Content-Encoding: gzip\r\n")
    } else {
        (body, "")
    };
    state.lock().unwrap().sent += body.len();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: application/octet-stream\r\n{encoding}Connection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    if trickle {
        for byte in &body {
            if stream.write_all(std::slice::from_ref(byte)).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        return;
    }
    if cut {
        let _ = stream.write_all(&body[..body.len() / 2]);
        let _ = stream.shutdown(std::net::Shutdown::Both);
        return;
    }
    let _ = stream.write_all(&body);
}
