//! The nginx and Caddy snippets of the mirroring guide, run for real on
//! 127.0.0.1 against a built site: the security headers on pages and on
//! error pages, the long cache of fingerprinted assets, the type of every
//! kind of file, and each language's own 404 page. Keeps the documentation
//! true.

mod common;
mod mirror_common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mirror_common::*;

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The fenced blocks of `language` in the English mirroring guide, in order.
fn snippets(language: &str) -> Vec<String> {
    snippets_in("mirroring.md", language)
}

/// The fenced blocks of `language` in `content/guides/GUIDE`, in order.
fn snippets_in(guide: &str, language: &str) -> Vec<String> {
    let guide = std::fs::read_to_string(common::repo_root().join("content/guides").join(guide)).unwrap();
    let fence = format!("```{language}\n");
    guide.split(&fence).skip(1).map(|rest| rest.split("```").next().unwrap().to_string()).collect()
}

/// Admins copy the snippets from the guide in their own language: the
/// tests run the English ones, so every translation's must be the same,
/// comments aside.
#[test]
fn the_translated_guides_carry_the_same_snippets() {
    let code =
        |snippet: &String| snippet.lines().filter(|l| !l.trim_start().starts_with('#')).collect::<Vec<_>>().join("\n");
    for language in ["nginx", "caddy"] {
        let english: Vec<String> = snippets(language).iter().map(code).collect();
        for lang in ["ca", "es", "fr"] {
            let translated: Vec<String> =
                snippets_in(&format!("mirroring.{lang}.md"), language).iter().map(code).collect();
            assert_eq!(translated, english, "the {language} snippets of mirroring.{lang}.md");
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A server process, stopped when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for(port: u16, server: &mut Running) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = server.0.try_wait() {
            let mut err = String::new();
            server.0.stderr.take().unwrap().read_to_string(&mut err).unwrap();
            panic!("the server stopped ({status}): {err}");
        }
        assert!(start.elapsed() < Duration::from_secs(10), "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

fn get(port: u16, path: &str) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    Answer {
        status: head.split_whitespace().nth(1).unwrap().parse().unwrap(),
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// The Content-Type each kind of file must carry. Browsers refuse a web app
/// manifest of another type, and guess at a file sent without one (nginx
/// knows no `.webmanifest` in Debian's `mime.types`; Caddy sends nothing
/// for a name without a known extension).
const TYPES: &[(&str, &str)] = &[
    ("/en/hello/", "text/html; charset=utf-8"),
    ("/en/manifest.webmanifest", "application/manifest+json"),
    ("/manifest.json", "application/json"),
    ("/SHA256SUMS", "text/plain; charset=utf-8"),
    ("/SHA256SUMS.minisig", "text/plain; charset=utf-8"),
    ("/_headers", "text/plain; charset=utf-8"),
    ("/_redirects", "text/plain; charset=utf-8"),
    ("/.infrared-output", "text/plain; charset=utf-8"),
];

/// The rules every server must follow, checked on a running one.
fn check_serving(port: u16, out: &Path) {
    for (path, expected) in TYPES {
        let answer = get(port, path);
        assert_eq!(answer.status, 200, "{path}: {}", answer.head);
        assert_eq!(answer.header("Content-Type"), Some(*expected), "{path}: {}", answer.head);
        assert_eq!(answer.header("Content-Security-Policy"), Some(CSP), "{path}: {}", answer.head);
    }
    let wasm = walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .find(|e| e.path().extension().is_some_and(|x| x == "wasm"))
        .unwrap();
    let wasm = get(port, &format!("/{}", wasm.path().strip_prefix(out).unwrap().to_str().unwrap()));
    assert_eq!(wasm.header("Content-Type"), Some("application/wasm"), "the search analyzer: {}", wasm.head);
    let page = get(port, "/en/hello/");
    assert_eq!(page.status, 200, "{}", page.head);
    assert_eq!(page.header("Content-Security-Policy"), Some(CSP), "{}", page.head);
    assert_eq!(page.header("X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(page.header("Referrer-Policy"), Some("no-referrer"));
    let asset = std::fs::read_dir(out.join("assets")).unwrap().next().unwrap().unwrap();
    let asset = get(port, &format!("/assets/{}", asset.file_name().to_string_lossy()));
    assert_eq!(asset.status, 200);
    assert_eq!(asset.header("Cache-Control"), Some("public, max-age=31536000, immutable"), "{}", asset.head);
    assert_eq!(asset.header("Content-Security-Policy"), Some(CSP), "{}", asset.head);
    // The signed lists keep their names and change with every build: a
    // cache holding an old list beside a new signature would fail pulls.
    for list in ["/SHA256SUMS", "/SHA256SUMS.minisig", "/manifest.json"] {
        let answer = get(port, list);
        assert_eq!(answer.status, 200, "{list}");
        assert_eq!(answer.header("Cache-Control"), Some("no-cache"), "{list}: {}", answer.head);
        assert_eq!(answer.header("Content-Security-Policy"), Some(CSP), "{list}: {}", answer.head);
    }
    for (path, lang) in [("/ca/no/such/page/", "ca"), ("/en/gone", "en"), ("/nowhere", "en")] {
        let missing = get(port, path);
        assert_eq!(missing.status, 404, "{path}");
        assert!(missing.body.contains(&format!("<html lang=\"{lang}\"")), "{path}: {}", missing.body);
        assert_eq!(missing.header("Content-Security-Policy"), Some(CSP), "{path}: {}", missing.head);
    }
}

/// Starts the server `command` describes (its errors kept for the report),
/// waits until it listens on `port` and checks it serves `out` as documented.
fn serves_the_site(mut command: Command, port: u16, out: &Path) {
    let mut running = Running(command.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap());
    wait_for(port, &mut running);
    check_serving(port, out);
}

/// A signed build, so that the signature is served too.
fn built_site(dir: &Path) -> PathBuf {
    let root = dir.join("site");
    write_site(&root, SITE_TOML);
    let out = dir.join("public");
    let (secret, _) = keygen(dir, "network");
    build_into(&root, &out, Some(&secret));
    out
}

#[test]
fn the_guides_nginx_configuration_serves_the_site_as_documented() {
    if !require_tool("nginx") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = built_site(dir.path());
    let nginx = snippets("nginx");
    assert_eq!(nginx.len(), 2, "a headers file and a server block");
    let headers = dir.path().join("infrared-headers.conf");
    std::fs::write(&headers, &nginx[0]).unwrap();
    let port = free_port();
    let server: String = nginx[1]
        .lines()
        .filter(|l| !l.contains("[::]") && !l.contains("ssl_certificate"))
        .map(|l| {
            l.replace("listen 443 ssl;", &format!("listen 127.0.0.1:{port};"))
                .replace("/var/www/infrared", s(&out))
                .replace("snippets/infrared-headers.conf", s(&headers))
        })
        .collect::<Vec<_>>()
        .join("\n");
    let temp = dir.path().join("nginx");
    std::fs::create_dir_all(&temp).unwrap();
    let t = s(&temp);
    // The http block of Debian's nginx.conf: its mime.types and default type.
    let config = format!(
        "daemon off;\nmaster_process off;\npid {t}/nginx.pid;\nerror_log {t}/error.log;\nevents {{}}\nhttp {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  access_log off;\n  client_body_temp_path {t};\n  proxy_temp_path {t};\n  fastcgi_temp_path {t};\n  uwsgi_temp_path {t};\n  scgi_temp_path {t};\n{server}\n}}\n"
    );
    let config_file = dir.path().join("nginx.conf");
    std::fs::write(&config_file, config).unwrap();
    let mut nginx = Command::new("nginx");
    nginx.args(["-e", &format!("{t}/error.log"), "-c", s(&config_file)]);
    serves_the_site(nginx, port, &out);
}

#[test]
fn the_guides_caddy_configuration_serves_the_site_as_documented() {
    if !require_tool("caddy") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = built_site(dir.path());
    let caddy = snippets("caddy");
    assert_eq!(caddy.len(), 1);
    let port = free_port();
    let site = caddy[0]
        .replace("mirror.example.net {", &format!("http://127.0.0.1:{port} {{"))
        .replace("/var/www/infrared", s(&out));
    let config = dir.path().join("Caddyfile");
    std::fs::write(&config, format!("{{\n\tadmin off\n\tauto_https off\n}}\n\n{site}")).unwrap();
    let mut caddy = Command::new("caddy");
    caddy
        .args(["run", "--adapter", "caddyfile", "--config", s(&config)])
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"));
    serves_the_site(caddy, port, &out);
}
