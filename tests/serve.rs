//! `infrared serve` end to end: the real binary on a free loopback port,
//! spoken to over HTTP, its site edited on disk while it runs.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

/// A running `infrared serve`, killed when dropped.
struct Server {
    child: Child,
    address: SocketAddr,
    stderr: Arc<Mutex<String>>,
    _stdout: Receiver<String>,
}

impl Server {
    fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_infrared"))
            .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start infrared serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let err_pipe = child.stderr.take().unwrap();
        let collected = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err_pipe).lines().map_while(Result::ok) {
                let mut all = collected.lock().unwrap();
                all.push_str(&line);
                all.push('\n');
            }
        });
        let (tx, lines) = mpsc::channel();
        let out_pipe = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out_pipe).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server { child, address: "127.0.0.1:1".parse().unwrap(), stderr, _stdout: lines };
        let line = server._stdout.recv_timeout(WAIT).unwrap_or_else(|_| panic!("no address:\n{}", server.stderr()));
        let url = line.split_whitespace().find(|w| w.starts_with("http://")).expect("Serving http://…");
        let host = url.trim_start_matches("http://").split('/').next().unwrap();
        server.address = host.parse().unwrap();
        server
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn get(&self, target: &str) -> Reply {
        request(self.address, "GET", target, "127.0.0.1")
    }

    /// GETs `target` until `done` says yes.
    fn get_until(&self, target: &str, what: &str, done: impl Fn(&Reply) -> bool) -> Reply {
        let started = Instant::now();
        loop {
            let reply = self.get(target);
            if done(&reply) {
                return reply;
            }
            assert!(
                started.elapsed() < WAIT,
                "{what}: {target} never did; last reply:\n{}\n{}",
                reply.body,
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the terminal output holds `text`; returns it all.
    fn stderr_until(&self, what: &str, text: &str) -> String {
        let started = Instant::now();
        loop {
            let stderr = self.stderr();
            if stderr.contains(text) {
                return stderr;
            }
            assert!(started.elapsed() < WAIT, "{what}: no {text:?} in the terminal:\n{stderr}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the terminal output holds `text` `count` times.
    fn stderr_until_count(&self, what: &str, text: &str, count: usize) {
        let started = Instant::now();
        while self.stderr().matches(text).count() < count {
            assert!(started.elapsed() < WAIT, "{what}: {text:?} not {count} times in the terminal:\n{}", self.stderr());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn events(&self, page: &str) -> Events {
        Events::connect(self.address, page)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    head: String,
    body: String,
    /// The body as sent (`body` is it read as UTF-8, lossily).
    bytes: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim().to_string())
        })
    }
}

/// One HTTP/1.1 request, the target sent exactly as given.
fn request(address: SocketAddr, method: &str, target: &str, host: &str) -> Reply {
    request_with(address, method, target, host, &[])
}

/// A request with more headers (`("Range", "bytes=0-9")`).
fn request_with(address: SocketAddr, method: &str, target: &str, host: &str, headers: &[(&str, &str)]) -> Reply {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let extra: String = headers.iter().map(|(name, value)| format!("{name}: {value}\r\n")).collect();
    write!(stream, "{method} {target} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).expect("read reply");
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").map_or(bytes.len(), |at| at + 4);
    let head = String::from_utf8_lossy(&bytes[..split]).trim_end().to_string();
    let body = bytes[split..].to_vec();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Reply { status, head, body: String::from_utf8_lossy(&body).into_owned(), bytes: body }
}

/// Server-sent events of one connection, as (event, data).
struct Events {
    received: Receiver<(String, String)>,
    _stream: TcpStream,
}

impl Events {
    fn connect(address: SocketAddr, page: &str) -> Events {
        let mut stream = TcpStream::connect(address).expect("connect events");
        write!(stream, "GET /__infrared/events?path={page} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let reader = stream.try_clone().unwrap();
        let (tx, received) = mpsc::channel();
        std::thread::spawn(move || {
            let (mut event, mut data) = (String::new(), String::new());
            for line in BufReader::new(reader).lines().map_while(Result::ok) {
                if let Some(name) = line.strip_prefix("event: ") {
                    event = name.to_string();
                } else if let Some(value) = line.strip_prefix("data: ") {
                    data = value.to_string();
                } else if line.is_empty()
                    && !event.is_empty()
                    && tx.send((std::mem::take(&mut event), std::mem::take(&mut data))).is_err()
                {
                    break;
                }
            }
        });
        let events = Events { received, _stream: stream };
        events.wait_for("hello", |_| true);
        events
    }

    /// The data of the next `event` whose data `matches`.
    fn wait_for(&self, event: &str, matches: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.received.recv_timeout(left) {
                Ok((name, data)) if name == event && matches(&data) => return data,
                Ok(_) => {}
                Err(_) => panic!("no \"{event}\" event came"),
            }
        }
    }
}

/// A small bilingual site in a temporary folder.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let site = Site { dir: tempfile::tempdir().unwrap() };
        site.write(
            "site.toml",
            "title = \"Serve test\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ca]\nname = \"Català\"\n",
        );
        site.write("content/_index.md", "+++\ntitle = \"Home\"\n+++\nWelcome.\n");
        site.write("content/_index.ca.md", "+++\ntitle = \"Inici\"\n+++\nBenvinguda.\n");
        site.write("content/hello.md", "+++\ntitle = \"Hello\"\nweight = 1\n+++\nFirst words about kitchens.\n");
        site.write("content/guides/_index.md", "+++\ntitle = \"Guides\"\n+++\n");
        site.write("content/guides/one.md", "+++\ntitle = \"Guide one\"\n+++\nOne.\n");
        site.write("content/guides/two.md", "+++\ntitle = \"Guide two\"\n+++\nTwo.\n");
        site.write("content/guides/wip.md", "+++\ntitle = \"Work in progress\"\ndraft = true\n+++\nNot yet.\n");
        site
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.root().join(rel)).unwrap();
    }
}

#[test]
fn pages_are_served_from_memory_with_the_reload_script() {
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    let page = server.get("/en/hello/");
    assert_eq!(page.status, 200, "{}", server.stderr());
    assert_eq!(page.header("content-type").as_deref(), Some("text/html; charset=utf-8"));
    assert!(page.body.contains("First words about kitchens."));
    assert!(page.body.contains("/__infrared/live.js"), "the reload script is injected");
    let csp = page.header("content-security-policy").unwrap_or_default();
    assert!(csp.contains("script-src 'self'"), "the published site's headers: {}", page.head);
    let built = common::build_ok(&site.root(), &["--drafts"]);
    assert!(!built.read("en/hello/index.html").contains("__infrared"), "…in serve only");

    assert_eq!(server.get("/en/hello/index.html").status, 200);
    let folder = server.get("/en/hello");
    assert_eq!((folder.status, folder.header("location").as_deref()), (301, Some("/en/hello/")));
    assert!(server.get("/").body.contains("Català"), "the language chooser");
    let fallback = server.get("/ca/hello/");
    assert!(fallback.body.contains("First words about kitchens."), "a fallback page in ca");

    let missing = server.get("/ca/nowhere/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("lang=\"ca\""), "the language's own 404 page: {}", missing.body);
    assert!(missing.body.contains("href=\"/ca/\""), "links that work at any address: {}", missing.body);
    assert_eq!(server.get("/nowhere.png").status, 404);

    let css = built.out.join("assets");
    let style = std::fs::read_dir(css)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.starts_with("style."));
    let style = server.get(&format!("/assets/{}", style.unwrap()));
    assert_eq!(style.header("content-type").as_deref(), Some("text/css; charset=utf-8"));

    let draft = server.get("/en/guides/wip/");
    assert!(draft.body.contains("notice-draft"), "drafts are shown, marked: {}", draft.body);
    let head = request(server.address, "HEAD", "/en/hello/", "localhost");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(request(server.address, "POST", "/en/hello/", "localhost").status, 405);
    assert_eq!(request(server.address, "GET", "/en/hello/", "evil.example:80").status, 403, "DNS rebinding");
    assert!(!site.root().join("public").exists(), "serve never writes public/");
}

#[test]
fn editing_markdown_changes_the_page_and_sends_a_reload_event() {
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    let events = server.events("/en/hello/");
    let fallback_events = server.events("/ca/hello/");
    let unrelated = server.events("/en/guides/one/");
    site.write("content/hello.md", "+++\ntitle = \"Hello\"\nweight = 1\n+++\nSecond words about gardens.\n");
    let reload = events.wait_for("reload", |data| data.contains("\"/en/hello/\""));
    assert!(reload.starts_with('['), "{reload}");
    fallback_events.wait_for("reload", |data| data.contains("\"/ca/hello/\""));
    let page = server.get("/en/hello/");
    assert!(page.body.contains("Second words about gardens."), "{}", page.body);
    assert!(server.get("/ca/hello/").body.contains("Second words about gardens."), "the fallback too");

    // A new title shows in the lists and navigation that show the page.
    site.write("content/guides/two.md", "+++\ntitle = \"Guide two, renamed\"\n+++\nTwo.\n");
    unrelated.wait_for("reload", |data| data.contains("\"/en/guides/one/\""));
    assert!(server.get("/en/guides/one/").body.contains("Guide two, renamed"), "sibling navigation");
    server.get_until("/en/guides/", "section list", |r| r.body.contains("Guide two, renamed"));

    // A new page appears, and its section lists it.
    site.write("content/guides/three.md", "+++\ntitle = \"Guide three\"\n+++\nThree.\n");
    server.get_until("/en/guides/three/", "new page", |r| r.status == 200);
    server.get_until("/ca/guides/", "section list in ca", |r| r.body.contains("Guide three"));
    std::fs::remove_file(site.root().join("content/guides/three.md")).unwrap();
    server.get_until("/en/guides/three/", "removed page", |r| r.status == 404);
    assert!(!site.root().join("public").exists());
}

#[test]
fn broken_front_matter_keeps_the_last_good_page_and_shows_an_overlay_until_fixed() {
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    let events = server.events("/en/hello/");
    site.write("content/hello.md", "+++\ntitle = \"Hello\"\nweight = \"heavy\"\n+++\nBroken words.\n");
    let problems = events.wait_for("problems", |data| data != "[]");
    assert!(problems.contains("content/hello.md:3"), "file:line in the event: {problems}");
    let page = server.get("/en/hello/");
    assert!(page.body.contains("First words about kitchens."), "the last good version is served");
    assert!(!page.body.contains("Broken words."));
    assert!(
        page.body.contains("id=\"infrared-problems\"") && page.body.contains("content/hello.md:3"),
        "{}",
        page.body
    );
    assert!(server.get("/en/guides/one/").body.contains("infrared-problems"), "on every page");
    assert!(server.stderr().contains("content/hello.md:3"), "and in the terminal:\n{}", server.stderr());

    // Other files still update meanwhile.
    site.write("content/guides/one.md", "+++\ntitle = \"Guide one\"\n+++\nOne, edited.\n");
    server.get_until("/en/guides/one/", "other edit", |r| r.body.contains("One, edited."));

    site.write("content/hello.md", "+++\ntitle = \"Hello\"\nweight = 2\n+++\nFixed words.\n");
    events.wait_for("problems", |data| data == "[]");
    let page = server.get_until("/en/hello/", "fixed page", |r| r.body.contains("Fixed words."));
    assert!(!page.body.contains("id=\"infrared-problems\""));
}

#[test]
fn a_slug_collision_keeps_the_last_good_site_and_is_shown_until_fixed() {
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    let events = server.events("/en/guides/one/");
    site.write("content/guides/three.md", "+++\ntitle = \"Guide three\"\nslug = \"one\"\n+++\nThree.\n");
    let problems = events.wait_for("problems", |data| data != "[]");
    assert!(
        problems.contains("content/guides/three.md:3: this page and content/guides/one.md would both be written"),
        "{problems}"
    );
    let page = server.get("/en/guides/one/");
    assert!(page.body.contains("Guide one") && !page.body.contains("Guide three"), "the last good site stays");
    assert!(page.body.contains("id=\"infrared-problems\""), "{}", page.body);

    site.write("content/guides/three.md", "+++\ntitle = \"Guide three\"\n+++\nThree.\n");
    events.wait_for("problems", |data| data == "[]");
    server.get_until("/en/guides/three/", "the page in its own place", |r| r.body.contains("Three."));
    assert!(server.get("/en/guides/one/").body.contains("One."));
}

#[test]
fn an_alias_on_a_pages_address_is_shown_at_its_line_until_fixed() {
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    let events = server.events("/en/hello/");
    site.write(
        "content/hello.md",
        "+++\ntitle = \"Hello\"\nweight = 1\naliases = [\"/en/guides/one/\"]\n+++\nMoved words.\n",
    );
    let problems = events.wait_for("problems", |data| data != "[]");
    assert!(
        problems.contains(
            "content/hello.md:4: the alias \\\"/en/guides/one/\\\" of this page and content/guides/one.md would both"
        ),
        "{problems}"
    );
    assert!(server.get("/en/guides/one/").body.contains("One."), "the page, not a redirect");
    assert!(server.get("/en/hello/").body.contains("First words about kitchens."), "the last good site stays");

    site.write(
        "content/hello.md",
        "+++\ntitle = \"Hello\"\nweight = 1\naliases = [\"/en/old-hello/\"]\n+++\nMoved words.\n",
    );
    events.wait_for("problems", |data| data == "[]");
    server.get_until("/en/hello/", "the edit", |r| r.body.contains("Moved words."));
    server.get_until("/en/old-hello/", "the alias", |r| r.body.contains("http-equiv=\"refresh\""));
}

#[test]
fn a_template_error_keeps_the_site_and_a_template_change_rerenders_pages() {
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    let events = server.events("/en/hello/");
    let page = |marker: &str| {
        format!("{{% extends \"base.html\" %}}{{% block content %}}<p>{marker}</p>{{{{ page.content | safe }}}}{{% endblock content %}}")
    };
    site.write("templates/page.html", &page("custom page template"));
    events.wait_for("reload", |data| data.contains("\"/en/hello/\""));
    assert!(server.get("/en/hello/").body.contains("custom page template"));
    assert!(!server.get("/en/guides/").body.contains("custom page template"), "sections use another template");

    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}{{ page.content | safe }{% endblock content %}",
    );
    let problems = events.wait_for("problems", |data| data != "[]");
    assert!(problems.contains("templates/page.html:1:68: the template does not parse"), "{problems}");
    assert!(server.get("/en/hello/").body.contains("custom page template"), "the last good version stays");

    site.write("templates/page.html", &page("fixed template"));
    events.wait_for("problems", |data| data == "[]");
    server.get_until("/en/hello/", "fixed template", |r| r.body.contains("fixed template"));
}

/// A partial reading a variable pages do not have: the problem names the
/// partial's file, line and column (Tera names none), and a save fixing it clears it.
#[test]
fn a_template_render_error_shows_the_partials_file_and_line_until_fixed() {
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    let events = server.events("/en/hello/");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}{% include \"partials/byline.html\" %}{% endblock content %}",
    );
    site.write("templates/partials/byline.html", "<p class=\"byline\">\n  {{ page.author }}\n</p>\n");
    let problems = events.wait_for("problems", |data| data.contains("byline"));
    assert!(
        problems.contains("templates/partials/byline.html:2:6: Variable `page.author` not found in context"),
        "{problems}"
    );
    site.write(
        "templates/partials/byline.html",
        "<p class=\"byline\">\n  {{ page.extra.author | default(value=\"us\") }}\n</p>\n",
    );
    events.wait_for("problems", |data| data == "[]");
    server.get_until("/en/hello/", "the fixed partial", |r| r.body.contains("<p class=\"byline\">\n  us\n</p>"));
}

/// A `t()` key no `.ftl` defines: pages show the key itself, and the
/// terminal says where it is asked for, as `build` does, until it is defined.
#[test]
fn a_ui_string_defined_nowhere_is_warned_of_until_defined() {
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    server.get_until("/en/hello/", "first render", |r| r.status == 200);
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}\n<p>{{ t(key=\"coop-tagline\", lang=lang_code) }}</p>{% endblock content %}",
    );
    let warning = "templates/page.html:2:7: warning: UI string \"coop-tagline\" is defined in no i18n/*.ftl";
    server.stderr_until("the warning", warning);
    server.get_until("/en/hello/", "the key itself", |r| r.body.contains("<p>coop-tagline</p>"));
    site.write("i18n/en.ftl", "coop-tagline = Made together\n");
    let stderr = server.stderr_until("the key defined", "fixed: templates/page.html:2:7: UI string \"coop-tagline\"");
    assert_eq!(stderr.matches(warning).count(), 1, "reported once:\n{stderr}");
    server.get_until("/en/hello/", "the string", |r| r.body.contains("<p>Made together</p>"));
}

#[test]
fn path_traversal_never_reaches_a_file_outside_the_site() {
    let site = Site::new();
    let secret = site.dir.path().join("secret.txt");
    std::fs::write(&secret, "TOP SECRET").unwrap();
    site.write("static/ok.txt", "public text");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, site.root().join("static/leak.txt")).unwrap();
        std::os::unix::fs::symlink(&secret, site.root().join("content/leak.txt")).unwrap();
    }
    let server = Server::start(&site.root(), &[]);
    assert_eq!(server.get("/ok.txt").body, "public text");
    let attempts = [
        "/../secret.txt",
        "/en/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/en/..%2f..%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/.%2e/secret.txt",
        "/%00/../secret.txt",
        "/leak.txt",
        "/en/leak.txt",
        "//secret.txt",
        &format!("/{}", secret.display()),
    ];
    for target in attempts {
        let reply = server.get(target);
        assert!(matches!(reply.status, 400 | 404), "{target}: {}", reply.status);
        assert!(!reply.body.contains("TOP SECRET"), "{target} leaked the file");
    }
    #[cfg(unix)]
    for link in ["static/leak.txt", "content/leak.txt"] {
        // The problems are printed once the first build is reported, which
        // may come after the first replies.
        server.stderr_until("the link is reported", &format!("{link}: this symbolic link leads outside"));
    }
}

#[test]
fn search_answers_once_indexed_in_the_background() {
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    let found = server.get_until("/api/search?lang=en&q=kitchens", "search", |r| r.status == 200);
    assert!(found.body.contains("en/hello/"), "{}", found.body);
    server.get_until("/search/en/manifest.js", "browser index", |r| r.status == 200);
    site.write("content/hello.md", "+++\ntitle = \"Hello\"\n+++\nNow about bicycles.\n");
    server.get_until("/api/search?lang=en&q=bicycles", "search after an edit", |r| r.body.contains("en/hello/"));
    assert_eq!(server.get("/api/search?q=x").status, 400);
}

/// After a series of edits, what serve shows is what a fresh build of the
/// same files writes, byte for byte (but for serve's own script).
#[test]
fn incremental_rebuilds_end_where_a_full_build_does() {
    let site = Site::new();
    site.write("content/guides/one.ca.md", "+++\ntitle = \"Guia u\"\ntags = [\"xarxa\"]\n+++\nU.\n");
    let server = Server::start(&site.root(), &[]);
    site.write(
        "content/hello.md",
        "+++\ntitle = \"Hello again\"\nweight = 3\ntags = [\"net\"]\n+++\nEdited [one](guides/one.md).\n",
    );
    site.write("content/guides/one.md", "+++\ntitle = \"Guide one\"\ndate = 2026-01-02\n+++\nOne, with a date.\n");
    site.write("content/guides/new.md", "+++\ntitle = \"A new guide\"\naliases = [\"old/new/\"]\n+++\nNew.\n");
    std::fs::remove_file(site.root().join("content/guides/two.md")).unwrap();
    site.write("content/guides/one.ca.md", "+++\ntitle = \"Guia u, revisada\"\ntags = [\"xarxa\"]\n+++\nU.\n");
    wait_until_served_as_built(&server, &site.root());
    assert_eq!(server.get("/en/guides/two/").status, 404, "a removed page is gone");
}

/// With `root_redirects`, every page has a redirect at the root showing its
/// title: a title edited, a page added or removed, and serve still ends
/// where a build does.
#[test]
fn root_redirects_follow_edits_as_a_build_writes_them() {
    let site = Site::new();
    site.write(
        "site.toml",
        "title = \"Serve test\"\nroot_redirects = true\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ca]\nname = \"Català\"\n",
    );
    let server = Server::start(&site.root(), &[]);
    server.get_until("/guides/one/", "the root redirect", |r| r.body.contains("url=../../en/guides/one/"));
    // A title alone: no address changes.
    site.write("content/guides/one.md", "+++\ntitle = \"Guide number one\"\n+++\nOne.\n");
    wait_until_served_as_built(&server, &site.root());
    assert!(server.get("/guides/one/").body.contains("Guide number one"));
    site.write("content/guides/three.md", "+++\ntitle = \"Guide three\"\n+++\nThree.\n");
    std::fs::remove_file(site.root().join("content/guides/two.md")).unwrap();
    wait_until_served_as_built(&server, &site.root());
    assert_eq!(server.get("/guides/two/").status, 404, "a removed page's redirect is gone");
}

/// Waits until every file a build of the site (as served) writes is served
/// byte for byte (but for serve's own script and stylesheet).
fn wait_until_served_as_built(server: &Server, root: &Path) {
    let (_copy, built) = build_as_served(root);
    let started = Instant::now();
    loop {
        let mismatch = common::files(&built.out).into_iter().find_map(|file| {
            let path = file.to_str().unwrap().replace('\\', "/");
            if NOT_SERVED.contains(&path.as_str()) {
                return None;
            }
            let expected = std::fs::read(built.out.join(&file)).unwrap();
            let reply = server.get(&format!("/{path}"));
            let shown = match path.ends_with(".html") {
                true => strip_script(&reply.body.replace(LIVE_CSS, "")).into_bytes(),
                false => reply.bytes,
            };
            (reply.status != 200 || shown != expected).then_some((path, reply.status, shown))
        });
        let Some((path, status, shown)) = mismatch else {
            break;
        };
        if started.elapsed() > WAIT {
            let expected = std::fs::read(built.out.join(&path)).unwrap();
            let at = expected.iter().zip(&shown).position(|(a, b)| a != b).unwrap_or(0);
            let around = |bytes: &[u8]| {
                String::from_utf8_lossy(&bytes[at.saturating_sub(80).min(bytes.len())..(at + 80).min(bytes.len())])
                    .into_owned()
            };
            panic!(
                "/{path} ({status}) differs from the build at byte {at}:\nserved: …{}\nbuilt:  …{}",
                around(&shown),
                around(&expected)
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A section larger than `nav_window` shows each page a window of it: a
/// sibling's new title or place reaches every page whose window shows it.
#[test]
fn a_change_in_a_large_section_reaches_every_navigation_window_showing_it() {
    let site = Site::new();
    site.write(
        "site.toml",
        "title = \"Serve test\"\ndefault_language = \"en\"\nnav_window = 3\n[languages.en]\nname = \"English\"\n[languages.ca]\nname = \"Català\"\n",
    );
    for n in 1..=12 {
        site.write(
            &format!("content/guides/g{n:02}.md"),
            &format!("+++\ntitle = \"G{n:02}\"\nweight = {n}\n+++\nG.\n"),
        );
    }
    let server = Server::start(&site.root(), &[]);
    assert!(!server.get("/en/guides/g09/").body.contains(">G06<"), "outside the window");
    site.write("content/guides/g06.md", "+++\ntitle = \"G06 renamed\"\nweight = 6\n+++\nG.\n");
    for page in ["/en/guides/g05/", "/en/guides/g07/", "/ca/guides/g05/", "/ca/guides/g07/"] {
        server.get_until(page, "window showing the renamed page", |r| r.body.contains("G06 renamed"));
    }
    // g12 moves first: every window between shifts.
    site.write("content/guides/g12.md", "+++\ntitle = \"G12\"\nweight = 0\n+++\nG.\n");
    server.get_until("/en/guides/g01/", "window of the page moved next to", |r| r.body.contains(">G12<"));
    wait_until_served_as_built(&server, &site.root());
}

/// What only describes a published copy of the site (the build's marker,
/// the mirrors' lists of hashes) is not part of a preview.
const NOT_SERVED: [&str; 3] = [".infrared-output", "SHA256SUMS", "manifest.json"];

/// A build of a copy of the site as serve shows it: with drafts, and
/// without the outputs of `[offline]` (bundles, packs, service worker),
/// which serve turns off.
fn build_as_served(root: &Path) -> (tempfile::TempDir, common::Built) {
    let copy = tempfile::tempdir().unwrap();
    for file in common::files(root) {
        let target = copy.path().join(&file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(root.join(&file), target).unwrap();
    }
    let config = copy.path().join("site.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[offline]\nbundles = false\nservice_worker = false\npacks = false\n");
    std::fs::write(&config, text).unwrap();
    let built = common::build_ok(copy.path(), &["--drafts"]);
    (copy, built)
}

/// The stylesheet serve adds to pages.
const LIVE_CSS: &str = "<link rel=\"stylesheet\" href=\"/__infrared/live.css\" data-infrared-live>";

fn strip_script(html: &str) -> String {
    match html.find("<script src=\"/__infrared/live.js\"") {
        Some(start) => {
            let end = start + html[start..].find("</script>").unwrap() + "</script>".len();
            format!("{}{}", &html[..start], &html[end..])
        }
        None => html.to_string(),
    }
}

#[test]
fn site_toml_changes_rebuild_everything_and_drafts_can_be_hidden() {
    let site = Site::new();
    let server = Server::start(&site.root(), &["--no-drafts"]);
    assert_eq!(server.get("/en/guides/wip/").status, 404, "--no-drafts leaves drafts out");
    assert_eq!(server.get("/fr/hello/").status, 404);
    site.write(
        "site.toml",
        "title = \"Renamed site\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ca]\nname = \"Català\"\n[languages.fr]\nname = \"Français\"\n",
    );
    server.get_until("/fr/hello/", "a new language", |r| r.status == 200);
    for page in ["/en/hello/", "/ca/guides/", "/fr/guides/two/"] {
        server.get_until(page, "the new title everywhere", |r| r.body.contains("Renamed site"));
    }
    site.write("site.toml", "title = \"Broken\n");
    let events = server.events("/en/hello/");
    events.wait_for("problems", |data| data.contains("site.toml"));
    assert!(server.get("/fr/hello/").body.contains("Renamed site"), "the last good site stays");
}

/// `content/` may itself be a link (a corpus kept elsewhere): its files are
/// the site's, while links inside it that lead out of it are not.
#[cfg(unix)]
#[test]
fn a_linked_content_folder_is_served_but_not_what_it_links_out_to() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(corpus.join("guide")).unwrap();
    std::fs::write(corpus.join("_index.md"), "+++\ntitle = \"Home\"\n+++\n").unwrap();
    std::fs::write(corpus.join("guide/index.md"), "+++\ntitle = \"Guide\"\n+++\n![map](map.svg)\n").unwrap();
    std::fs::write(corpus.join("guide/map.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    std::fs::write(dir.path().join("secret.txt"), "TOP SECRET").unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), corpus.join("guide/leak.txt")).unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("site.toml"),
        "title = \"T\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&corpus, root.join("content")).unwrap();
    let server = Server::start(&root, &[]);
    let map = server.get("/en/guide/map.svg");
    assert_eq!(
        (map.status, map.header("content-type").as_deref()),
        (200, Some("image/svg+xml")),
        "{}",
        server.stderr()
    );
    let leak = server.get("/en/guide/leak.txt");
    assert_eq!(leak.status, 404);
    assert!(!leak.body.contains("TOP SECRET"));
    let page = server.get("/en/guide/");
    assert!(
        page.body.contains("infrared-problems")
            && page.body.contains("guide/leak.txt: this symbolic link leads outside"),
        "the refused link is a problem shown: {}",
        page.body
    );

    // A link made while serving is refused the same way.
    std::fs::write(dir.path().join("secret.md"), "+++\ntitle = \"Secret\"\n+++\nTOP SECRET\n").unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret.md"), corpus.join("guide/secret.md")).unwrap();
    let events = server.events("/en/guide/");
    events.wait_for("problems", |data| data.contains("guide/secret.md"));
    assert_eq!(server.get("/en/guide/secret/").status, 404);
}

/// A site whose base_url has a path is previewed under it, as it is
/// published, so its 404 pages' absolute links lead somewhere.
#[test]
fn a_site_published_under_a_path_is_served_under_it() {
    let site = Site::new();
    site.write(
        "site.toml",
        "title = \"Serve test\"\nbase_url = \"https://example.org/kb\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ca]\nname = \"Català\"\n",
    );
    let server = Server::start(&site.root(), &[]);
    assert_eq!(server.get("/kb/en/hello/").status, 200, "{}", server.stderr());
    let root = server.get("/");
    assert_eq!((root.status, root.header("location").as_deref()), (301, Some("/kb/")));
    assert_eq!(server.get("/en/hello/").status, 404);
    let missing = server.get("/kb/ca/nowhere/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("href=\"/kb/ca/\""), "{}", missing.body);
    let asset =
        missing.body.split("href=\"").filter_map(|h| h.split('"').next()).find(|h| h.starts_with("/kb/assets/"));
    assert_eq!(server.get(asset.expect("an asset link")).status, 200, "absolute links lead somewhere");
    let events = server.events("/kb/en/hello/");
    site.write("content/hello.md", "+++\ntitle = \"Hello\"\nweight = 1\n+++\nMoved words.\n");
    events.wait_for("reload", |data| data.contains("\"/kb/en/hello/\""));
}

/// A workshop whose fields are wrong is a problem shown while the rest is
/// served, and it stays shown until the workshop is fixed, whatever else
/// is edited meanwhile.
#[test]
fn a_workshop_error_is_shown_until_fixed_and_packs_are_not_made() {
    let site = common::copy_fixture("workshop");
    let circle = site.path().join("content/training/circle.md");
    let text = std::fs::read_to_string(&circle).unwrap();
    let server = Server::start(site.path(), &[]);
    assert_eq!(server.get("/en/training/circle/").status, 200, "{}", server.stderr());
    assert_eq!(server.get("/sw.js").status, 404, "no service worker caches the preview");
    let events = server.events("/en/guides/community-radio/");
    std::fs::write(&circle, text.replace("duration = \"2h\"", "duration = \"two hours\"")).unwrap();
    let problems = events.wait_for("problems", |data| data.contains("circle.md:7"));
    assert!(problems.contains("does not parse"), "{problems}");
    let radio = site.path().join("content/guides/community-radio.md");
    let radio_text = std::fs::read_to_string(&radio).unwrap();
    std::fs::write(&radio, format!("{radio_text}\nEdited while the workshop is broken.\n")).unwrap();
    let page = server.get_until("/en/guides/community-radio/", "other edit", |r| r.body.contains("while the workshop"));
    assert!(page.body.contains("circle.md:7"), "the workshop's problem stays: {}", page.body);
    std::fs::write(&circle, &text).unwrap();
    events.wait_for("problems", |data| data == "[]");

    // A module gone: each workshop naming it is a problem of its own, and
    // the edit is served (a build would stop; the preview does not).
    let module = site.path().join("content/training/closing.md");
    std::fs::rename(&module, site.path().join("content/training/closing-round.md")).unwrap();
    let problems = events.wait_for("problems", |data| data.contains("closing.md"));
    let problems: Vec<String> = serde_json::from_str(&problems).unwrap();
    assert!(problems.iter().all(|p| !p.contains("stopped the build")), "{problems:#?}");
    assert!(problems.iter().any(|p| p.starts_with("content/training/circle.md:9:")), "{problems:#?}");
    assert!(problems.iter().any(|p| p.starts_with("content/training/circle.ar.md:9:")), "{problems:#?}");
    server.get_until("/en/training/closing-round/", "the renamed module", |r| r.status == 200);
}

/// A link to a tag page leads there once a page uses the tag, and stops
/// once none does: serve sees tags like the rest of the site model.
#[test]
fn editing_tags_keeps_links_to_tag_pages_right() {
    let site = Site::new();
    site.write("content/guides/one.md", "+++\ntitle = \"Guide one\"\n+++\nSee [kitchens](/tags/kitchens/).\n");
    let server = Server::start(&site.root(), &[]);
    let linked = "href=\"../../tags/kitchens/\"";
    let page = server.get_until("/en/guides/one/", "first render", |r| r.status == 200);
    assert!(!page.body.contains(linked), "no page uses the tag yet: {}", page.body);
    site.write("content/hello.md", "+++\ntitle = \"Hello\"\nweight = 1\ntags = [\"kitchens\"]\n+++\nKitchens.\n");
    server.get_until("/en/tags/kitchens/", "tag page", |r| r.status == 200);
    server.get_until("/en/guides/one/", "link to the new tag page", |r| r.body.contains(linked));
    site.write("content/hello.md", "+++\ntitle = \"Hello\"\nweight = 1\n+++\nKitchens.\n");
    server.get_until("/en/guides/one/", "link to a tag no page uses", |r| !r.body.contains(linked));
}

/// A page whose link leads to a heading of guide one, which has it or not.
fn site_linking_to_a_heading(heading: &str) -> Site {
    let site = Site::new();
    site.write("content/guides/one.md", &format!("+++\ntitle = \"Guide one\"\n+++\nOne.\n\n{heading}\n\nCopy it.\n"));
    site.write("content/guides/two.md", "+++\ntitle = \"Guide two\"\n+++\nTwo.\n\nSee [the mirror](one.md#rsync).\n");
    site
}

/// What serve and check say of the link to the heading guide one lacks.
const BROKEN_ANCHOR: &str = "content/guides/two.md:6:5: warning: no heading #rsync in content/guides/one.md \
     (link to \"one.md#rsync\")";

/// Its line when it is fixed.
const FIXED_ANCHOR: &str = "fixed: content/guides/two.md:6:5: no heading #rsync in content/guides/one.md";

/// A heading taken out of a page breaks the links of other pages to it,
/// and serve says so at their file:line, as `check` does.
#[test]
fn removing_a_heading_reports_the_links_of_other_pages_to_it() {
    let site = site_linking_to_a_heading("## Rsync");
    let server = Server::start(&site.root(), &[]);
    server.get_until("/en/guides/two/", "first render", |r| r.status == 200);
    assert!(!server.stderr().contains("no heading"), "{}", server.stderr());
    site.write("content/guides/one.md", "+++\ntitle = \"Guide one\"\n+++\nOne.\n\n## Unison\n\nCopy it.\n");
    server.stderr_until("the other page's link", BROKEN_ANCHOR);
    let checked = common::infrared_in(&site.root(), &["check"]);
    let checked = String::from_utf8(checked.stdout).unwrap();
    let as_check = BROKEN_ANCHOR.replace("warning:", "error:");
    assert!(checked.contains(&as_check), "check finds the same:\n{checked}");
}

/// The heading back, the link is fixed, and serve says that too.
#[test]
fn putting_a_heading_back_clears_the_links_reported_broken() {
    let site = site_linking_to_a_heading("## Rsync");
    let server = Server::start(&site.root(), &[]);
    server.get_until("/en/guides/two/", "first render", |r| r.status == 200);
    site.write("content/guides/one.md", "+++\ntitle = \"Guide one\"\n+++\nOne.\n\nCopy it.\n");
    server.stderr_until("the other page's link", BROKEN_ANCHOR);
    site.write("content/guides/one.md", "+++\ntitle = \"Guide one\"\n+++\nOne.\n\n## Rsync\n\nCopy it.\n");
    let stderr = server.stderr_until("the heading back", FIXED_ANCHOR);
    assert_eq!(stderr.matches(BROKEN_ANCHOR).count(), 1, "reported once:\n{stderr}");
}

/// A link to a heading no page had yet works once the heading is written.
#[test]
fn a_new_heading_clears_the_links_to_it_reported_broken() {
    let site = site_linking_to_a_heading("## Unison");
    let server = Server::start(&site.root(), &[]);
    server.stderr_until("the first build", BROKEN_ANCHOR);
    site.write("content/guides/one.md", "+++\ntitle = \"Guide one\"\n+++\nOne.\n\n## Unison\n\n## Rsync\n");
    server.stderr_until("the new heading", FIXED_ANCHOR);
}

/// A new translation of the linked page lacking the heading breaks the link
/// for the readers it now takes there; removing it mends it.
#[test]
fn a_translation_without_the_heading_reports_the_links_its_readers_follow() {
    let site = site_linking_to_a_heading("## Rsync");
    let server = Server::start(&site.root(), &[]);
    server.get_until("/en/guides/two/", "first render", |r| r.status == 200);
    site.write("content/guides/one.ca.md", "+++\ntitle = \"Guia u\"\n+++\nU.\n\n## Unison\n");
    let fallback =
        "content/guides/two.md:6:5: warning: no heading #rsync in content/guides/one.ca.md (readers of Català (ca))";
    server.stderr_until("the translation's readers", fallback);
    std::fs::remove_file(site.root().join("content/guides/one.ca.md")).unwrap();
    server.stderr_until(
        "the translation gone",
        "fixed: content/guides/two.md:6:5: no heading #rsync in content/guides/one.ca.md",
    );
}

/// A translation stamped from an original that is then renamed is left
/// alone at its address: the terminal says so at the stamp's line, as
/// `build` does (at startup too), and says when it is fixed.
#[test]
fn a_translation_whose_original_goes_is_reported_until_fixed() {
    let site = Site::new();
    let stamp = format!("[translation]\nsource_hash = \"{}\"\n", "0".repeat(64));
    site.write("content/gone.ca.md", &format!("+++\ntitle = \"Perduda\"\n\n{stamp}+++\nP.\n"));
    site.write("content/guides/one.ca.md", &format!("+++\ntitle = \"Guia u\"\n\n{stamp}+++\nU.\n"));
    let server = Server::start(&site.root(), &[]);
    server.stderr_until(
        "at startup",
        "content/gone.ca.md:5:1: error: this translation's original, content/gone.md, is gone",
    );
    let guides = site.root().join("content/guides");
    std::fs::rename(guides.join("one.md"), guides.join("first.md")).unwrap();
    let orphan = "content/guides/one.ca.md:5:1: error: this translation's original, content/guides/one.md, is gone";
    server.stderr_until("the original renamed", orphan);
    std::fs::rename(guides.join("first.md"), guides.join("one.md")).unwrap();
    server.stderr_until("renamed back", "fixed: content/guides/one.ca.md:5:1: this translation's original");
    assert!(!server.stderr().contains("fixed: content/gone.ca.md"), "{}", server.stderr());
}

/// `rm -rf static` and a new `static/`, `content/` moved away and back
/// (or a branch without the folder switched to and back): the new
/// folder's files are read and watched as the old one's were.
#[test]
fn an_input_folder_removed_and_made_again_is_still_watched() {
    let site = Site::new();
    site.write("static/first.txt", "first\n");
    let server = Server::start(&site.root(), &[]);
    assert_eq!(server.get("/first.txt").body, "first\n");
    let saved = tempfile::tempdir().unwrap();
    let away = |folder: &str| std::fs::rename(site.root().join(folder), saved.path().join(folder)).unwrap();
    let back = |folder: &str| std::fs::rename(saved.path().join(folder), site.root().join(folder)).unwrap();

    // Each step once the server has read the one before.
    let rebuilt = server.stderr().matches("Rebuilt").count();
    std::fs::remove_dir_all(site.root().join("static")).unwrap();
    server.stderr_until_count("static/ gone", "Rebuilt", rebuilt + 1);
    let new_static = saved.path().join("new-static");
    std::fs::create_dir(&new_static).unwrap();
    std::fs::write(new_static.join("first.txt"), "first again\n").unwrap();
    std::fs::rename(&new_static, site.root().join("static")).unwrap();
    server.get_until("/first.txt", "static/ made again", |r| r.body == "first again\n");
    site.write("static/second.txt", "second\n");
    server.get_until("/second.txt", "a file written into static/ made again", |r| r.body == "second\n");

    away("content");
    server.stderr_until("content/ gone", "no content/ folder");
    assert_eq!(server.get("/en/hello/").status, 200, "the last good version stays served");
    let fixed = server.stderr().matches("Fixed: no problems left.").count();
    let away_page = saved.path().join("content/guides/one.md");
    std::fs::write(away_page, "+++\ntitle = \"Guide one\"\n+++\nWritten while content/ was away.\n").unwrap();
    back("content");
    // `content/` is read again as it is now: its files were not watched.
    server.get_until("/en/guides/one/", "content/ back", |r| r.body.contains("Written while content/ was away."));
    server.stderr_until_count("the problem cleared", "Fixed: no problems left.", fixed + 1);
    site.write("content/hello.md", "+++\ntitle = \"Hello\"\n+++\nWritten into content/ made again.\n");
    server.get_until("/en/hello/", "a file written into content/ made again", |r| {
        r.body.contains("Written into content/ made again.")
    });
}

/// A link to a folder outside the site made while serving (a home folder,
/// a photo archive) is one problem, as `build` reports it: serve does not
/// walk what it leads to, file by file.
#[test]
fn a_linked_folder_leading_out_made_while_serving_is_one_problem() {
    let site = Site::new();
    let outside = site.dir.path().join("outside");
    for n in 0..5 {
        let page = outside.join(format!("folder{n}/secret.md"));
        std::fs::create_dir_all(page.parent().unwrap()).unwrap();
        std::fs::write(page, "+++\ntitle = \"Secret\"\n+++\nTOP SECRET\n").unwrap();
    }
    let server = Server::start(&site.root(), &[]);
    let events = server.events("/en/");
    std::os::unix::fs::symlink(&outside, site.root().join("content/linked")).unwrap();
    let problems = events.wait_for("problems", |data| data.contains("linked"));
    let problems: Vec<String> = serde_json::from_str(&problems).unwrap();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].starts_with("content/linked: this symbolic link leads outside content/"), "{problems:?}");
    assert_eq!(server.get("/en/linked/folder0/secret/").status, 404);
    std::fs::remove_file(site.root().join("content/linked")).unwrap();
    events.wait_for("problems", |data| data == "[]");
}

/// A language taken out of `site.toml` (or renamed) while its
/// translations are still there: each is a problem, as `build` reports it,
/// and the server keeps serving.
#[test]
fn a_language_removed_from_site_toml_is_a_problem_not_a_crash() {
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    let events = server.events("/en/hello/");
    site.write(
        "site.toml",
        "title = \"Serve test\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.es]\nname = \"Español\"\n",
    );
    events.wait_for("problems", |data| data.contains("content/_index.ca.md: \\\"ca\\\" is not a configured language"));
    assert_eq!(server.get("/en/hello/").status, 200, "still serving: {}", server.stderr());
    site.write(
        "site.toml",
        "title = \"Serve test\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ca]\nname = \"Català\"\n",
    );
    events.wait_for("problems", |data| data == "[]");
    server.get_until("/ca/", "the language back", |r| r.status == 200 && r.body.contains("Benvinguda."));
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
}

/// A template error meets every part rendered in the background, one
/// after another: the terminal lists each problem once, not the whole list
/// again at each part.
#[test]
fn a_template_error_is_listed_once_in_the_terminal() {
    let site = Site::new();
    for n in 1..=12 {
        site.write(
            &format!("content/guides/g{n:02}.md"),
            &format!("+++\ntitle = \"G{n:02}\"\ntags = [\"t{n}\"]\n+++\nG.\n"),
        );
    }
    let server = Server::start(&site.root(), &[]);
    let events = server.events("/en/hello/");
    site.write("templates/partials/footer_links.html", "<p>{{ no_such_value.field }}</p>\n");
    // Pages, section, tag, search and 404 pages: each template's problem.
    let count = |data: &str| serde_json::from_str::<Vec<String>>(data).unwrap().len();
    events.wait_for("problems", |data| count(data) >= 6);
    site.remove("templates/partials/footer_links.html");
    events.wait_for("problems", |data| data == "[]");
    let stderr = server.stderr_until("fixed", "Fixed: no problems left.");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error: ")).collect();
    let distinct: std::collections::BTreeSet<&str> = errors.iter().copied().collect();
    assert!(errors.len() > 1, "a problem for each kind of part: {stderr}");
    assert_eq!(errors.len(), distinct.len(), "each problem listed once:\n{stderr}");
}

/// A link to nowhere in `content/` stops `build`: serve shows it as a
/// problem at once (not a page silently gone), and reads the link again
/// when its target is made.
#[test]
fn a_link_to_nowhere_is_a_problem_until_it_leads_somewhere() {
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    let events = server.events("/en/hello/");
    let link = site.root().join("content/guides/linked.md");
    std::os::unix::fs::symlink("../shared.md", &link).unwrap();
    let problems = events.wait_for("problems", |data| data.contains("linked.md"));
    assert!(problems.contains("content/guides/linked.md: cannot read: No such file"), "{problems}");
    let built = common::build(&site.root(), &["--drafts"]);
    assert!(!built.success && built.stderr.contains("guides/linked.md: cannot read"), "as build: {}", built.stderr);
    site.write("content/shared.md", "+++\ntitle = \"Shared text\"\n+++\nShared.\n");
    events.wait_for("problems", |data| data == "[]");
    server.get_until("/en/guides/linked/", "the linked page", |r| r.body.contains("Shared text"));
}

/// A browser opens six connections to a server at most: with an event
/// stream per tab, the seventh tab of the preview never loaded. The tabs
/// share one stream; each still reloads when its page changes, also once
/// the tab that listened for all is closed.
#[test]
fn many_tabs_load_and_reload_in_one_browser() {
    many_tabs(None);
}

/// Web Locks exist only in secure contexts (localhost, HTTPS): seen from
/// another machine (`--bind 0.0.0.0`), each tab opened its own stream and
/// the seventh tab did not load. There the tabs elect one through
/// localStorage.
#[test]
fn many_tabs_load_and_reload_seen_from_another_machine() {
    many_tabs(Some("preview.test"));
}

fn many_tabs(host: Option<&str>) {
    if !common::browser_available() {
        return;
    }
    let site = Site::new();
    let server = Server::start(&site.root(), if host.is_some() { &["--bind", "0.0.0.0"] } else { &[] });
    let pages =
        ["en/", "ca/", "en/guides/", "ca/guides/", "en/guides/one/", "ca/guides/one/", "en/guides/two/", "en/hello/"];
    let page = |words: &str| format!("+++\ntitle = \"Hello\"\nweight = 1\n+++\n{words}\n");
    let base = match host {
        Some(name) => format!("http://{name}:{}/", server.address.port()),
        None => format!("http://{}/", server.address),
    };
    let args = serde_json::json!({
        "base": base,
        "hosts": host.into_iter().collect::<Vec<_>>(),
        "pages": pages,
        "file": site.root().join("content/hello.md"),
        "edits": [[page("First edit in many tabs."), "First edit"], [page("Second edit, first tab closed."), "Second edit"]],
    });
    let output = Command::new("node")
        .arg(common::repo_root().join("tests/browser/serve.mjs"))
        .arg("tabs")
        .arg(args.to_string())
        .output()
        .expect("run node");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["loaded"], serde_json::json!(vec![true; pages.len()]), "every tab loads:\n{}", server.stderr());
    assert_eq!(answer["reloaded"], serde_json::json!([true, true]), "the last tab reloads:\n{}", server.stderr());
    assert_eq!(answer["secure"], host.is_none(), "Web Locks only on localhost: {answer}");
}

/// A browser asks for part of a video or an audio file when the reader
/// seeks in it; serve sent the whole file (200) whatever was asked, so
/// seeking in a large video did not work.
#[test]
fn media_files_are_served_in_the_single_range_asked_for() {
    let site = Site::new();
    let clip: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::create_dir_all(site.root().join("static/media")).unwrap();
    std::fs::write(site.root().join("static/media/clip.webm"), &clip).unwrap();
    let server = Server::start(&site.root(), &[]);
    let get = |headers: &[(&str, &str)]| request_with(server.address, "GET", "/media/clip.webm", "localhost", headers);

    let whole = get(&[]);
    assert_eq!((whole.status, whole.bytes.len()), (200, clip.len()), "{}", whole.head);
    assert_eq!(whole.header("accept-ranges").as_deref(), Some("bytes"));
    let tag = whole.header("etag").expect("an ETag for If-Range");

    for (range, from, to) in [
        ("bytes=0-99", 0, 99),
        ("bytes=99000-", 99_000, 99_999),
        ("bytes=-10", 99_990, 99_999),
        ("bytes=50-200000", 50, 99_999),
    ] {
        let part = get(&[("Range", range)]);
        assert_eq!(part.status, 206, "{range}: {}", part.head);
        assert_eq!(part.header("content-range"), Some(format!("bytes {from}-{to}/100000")), "{range}");
        assert_eq!(part.header("content-length"), Some((to - from + 1).to_string()), "{range}");
        assert!(part.bytes == clip[from..=to], "{range}: the bytes of that part");
    }
    let past = get(&[("Range", "bytes=100000-")]);
    assert_eq!(past.status, 416, "{}", past.head);
    assert_eq!(past.header("content-range").as_deref(), Some("bytes */100000"));
    let several = get(&[("Range", "bytes=0-1,5-6")]);
    assert_eq!((several.status, several.bytes.len()), (200, clip.len()), "several ranges: all of it");
    let head = request_with(server.address, "HEAD", "/media/clip.webm", "localhost", &[("Range", "bytes=0-1")]);
    assert_eq!((head.status, head.header("content-length")), (200, Some("100000".into())), "{}", head.head);

    assert_eq!(get(&[("Range", "bytes=0-9"), ("If-Range", &tag)]).status, 206, "the file as it was");
    std::fs::write(site.root().join("static/media/clip.webm"), &clip[..50_000]).unwrap();
    let changed = server.get_until("/media/clip.webm", "the shorter file", |r| r.bytes.len() == 50_000);
    assert_ne!(changed.header("etag"), Some(tag.clone()), "a changed file has another ETag");
    let stale = get(&[("Range", "bytes=0-9"), ("If-Range", &tag)]);
    assert_eq!((stale.status, stale.bytes.len()), (200, 50_000), "a stale If-Range gets all of the new file");

    // Pages and the files kept in memory take ranges too.
    let page = request_with(server.address, "GET", "/en/hello/", "localhost", &[("Range", "bytes=0-14")]);
    assert_eq!((page.status, page.body.as_str()), (206, "<!DOCTYPE html>"), "{}", page.head);
    let missing = request_with(server.address, "GET", "/en/nowhere/", "localhost", &[("Range", "bytes=0-14")]);
    assert_eq!(missing.status, 404, "a 404 page is sent whole");
}

/// The same in a real browser: Chromium seeks in an audio file served by
/// `serve` (without ranges it could seek only where it had downloaded).
#[test]
fn a_browser_seeks_in_an_audio_file() {
    if !common::browser_available() {
        return;
    }
    let site = Site::new();
    std::fs::create_dir_all(site.root().join("static/media")).unwrap();
    std::fs::write(site.root().join("static/media/clip.wav"), wav_tone(20)).unwrap();
    let server = Server::start(&site.root(), &[]);
    let args = serde_json::json!({
        "page": format!("http://{}/en/hello/", server.address),
        "media": "/media/clip.wav",
        "to": 15,
    });
    let output = Command::new("node")
        .arg(common::repo_root().join("tests/browser/serve.mjs"))
        .arg("seek")
        .arg(args.to_string())
        .output()
        .expect("run node");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["seekable"], serde_json::json!([[0, 20]]), "the whole clip can be sought in: {answer}");
    assert_eq!((answer["seeked"].as_bool(), answer["at"].as_f64()), (Some(true), Some(15.0)), "{answer}");
}

/// `seconds` of a quiet 440 Hz tone as WAV: 8 kHz, 8-bit, mono.
fn wav_tone(seconds: u32) -> Vec<u8> {
    let rate = 8000u32;
    let samples: Vec<u8> = (0..rate * seconds)
        .map(|i| (128.0 + 20.0 * (i as f64 * 440.0 * std::f64::consts::TAU / f64::from(rate)).sin()) as u8)
        .collect();
    let mut wav = Vec::with_capacity(44 + samples.len());
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + samples.len() as u32).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&rate.to_le_bytes());
    wav.extend_from_slice(&rate.to_le_bytes()); // bytes a second
    wav.extend_from_slice(&1u16.to_le_bytes()); // block size
    wav.extend_from_slice(&8u16.to_le_bytes()); // bits a sample
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&(samples.len() as u32).to_le_bytes());
    wav.extend_from_slice(&samples);
    wav
}

/// An editor or a script that truncates a file and writes it a moment
/// later: serve read it half-written, so the page went blank and its link
/// warnings were reported `fixed:`, then found again.
#[test]
fn a_save_written_slowly_is_read_once_it_is_whole() {
    let site = Site::new();
    let text = |words: &str| format!("+++\ntitle = \"Hello\"\nweight = 1\n+++\n{words} See [the plan](nowhere.md).\n");
    site.write("content/hello.md", &text("First words about kitchens."));
    let server = Server::start(&site.root(), &[]);
    server.stderr_until("the broken link at the start", "nowhere.md");
    let events = server.events("/en/hello/");

    let mut file = std::fs::File::create(site.root().join("content/hello.md")).unwrap(); // truncated
    let served_meanwhile: Vec<Reply> = (0..10)
        .map(|_| {
            std::thread::sleep(Duration::from_millis(30));
            server.get("/en/hello/")
        })
        .collect();
    file.write_all(text("Second words about gardens.").as_bytes()).unwrap();
    drop(file);

    events.wait_for("reload", |data| data.contains("\"/en/hello/\""));
    let page = server.get_until("/en/hello/", "the whole save", |r| r.body.contains("Second words"));
    for reply in served_meanwhile {
        assert!(
            reply.body.contains("First words about kitchens."),
            "the last whole version meanwhile:\n{}",
            reply.body
        );
    }
    assert!(page.body.contains("Second words about gardens."));
    let stderr = server.stderr();
    assert!(!stderr.contains("fixed:"), "no link was fixed, nor broken again:\n{stderr}");
    assert_eq!(stderr.matches("no page content/nowhere.md").count(), 1, "the broken link reported once:\n{stderr}");
}

/// With `--poll` (network and container file systems), nothing tells when
/// a file written to is closed: a save written in parts, a poll interval
/// (300 ms) or more in all, was read as the poll found it, half-written
/// (its link warning reported `fixed:`, then found again). Serve now waits
/// until the file is the same at two looks a poll interval apart.
#[test]
fn a_save_written_slowly_is_read_once_it_is_whole_when_polling() {
    let site = Site::new();
    let text = |words: &str| format!("+++\ntitle = \"Hello\"\nweight = 1\n+++\n{words} See [the plan](nowhere.md).\n");
    site.write("content/hello.md", &text("First words about kitchens."));
    let server = Server::start(&site.root(), &["--poll"]);
    server.stderr_until("the broken link at the start", "nowhere.md");
    let events = server.events("/en/hello/");

    let whole = text("Second words about gardens, written in parts.");
    let mut file = std::fs::File::create(site.root().join("content/hello.md")).unwrap(); // truncated
    let mut served_meanwhile = Vec::new();
    for part in whole.as_bytes().chunks(whole.len() / 8 + 1) {
        std::thread::sleep(Duration::from_millis(120));
        file.write_all(part).unwrap();
        file.flush().unwrap();
        served_meanwhile.push(server.get("/en/hello/"));
    }
    drop(file);

    events.wait_for("reload", |data| data.contains("\"/en/hello/\""));
    let page = server.get_until("/en/hello/", "the whole save", |r| r.body.contains("Second words"));
    assert!(page.body.contains("written in parts."));
    for reply in served_meanwhile {
        assert!(
            reply.body.contains("First words about kitchens."),
            "the last whole version meanwhile:\n{}",
            reply.body
        );
    }
    let stderr = server.stderr();
    assert!(!stderr.contains("fixed:"), "no link was fixed, nor broken again:\n{stderr}");
    assert_eq!(stderr.matches("no page content/nowhere.md").count(), 1, "the broken link reported once:\n{stderr}");
}

/// With `--poll`, a file changed again within the second it was seen
/// changing went unseen until its next change: notify's poller compares
/// modification times in whole seconds. The second save here keeps the
/// first one's time, as on a file system that keeps whole seconds (or
/// when both fall in one second).
#[test]
fn a_second_save_within_the_same_second_is_seen_when_polling() {
    let site = Site::new();
    let server = Server::start(&site.root(), &["--poll"]);
    let path = site.root().join("content/hello.md");
    let set_time = |time| std::fs::File::options().write(true).open(&path).unwrap().set_modified(time).unwrap();
    // In a second of its own, after the one the site was written in.
    let second = std::time::SystemTime::now() + Duration::from_secs(2);
    site.write("content/hello.md", "+++\ntitle = \"Hello\"\nweight = 1\n+++\nFirst save.\n");
    set_time(second);
    server.get_until("/en/hello/", "the first save", |r| r.body.contains("First save."));
    site.write("content/hello.md", "+++\ntitle = \"Hello\"\nweight = 1\n+++\nSecond save, longer.\n");
    set_time(second);
    server.get_until("/en/hello/", "the second save", |r| r.body.contains("Second save, longer."));
}

/// Links are not followed by the watcher (one could lead out of the
/// site): a folder of `content/` linked to from elsewhere in `content/`
/// was served through its link, but an edit in it did not reach the pages
/// made through the link until serve restarted.
#[test]
fn a_folder_linked_inside_content_is_watched_through_its_link() {
    let site = Site::new();
    std::os::unix::fs::symlink("guides", site.root().join("content/manuals")).unwrap();
    let server = Server::start(&site.root(), &[]);
    let page = server.get("/en/manuals/one/");
    assert!(page.body.contains("One."), "served through the link: {}\n{}", page.body, server.stderr());

    site.write("content/guides/one.md", "+++\ntitle = \"Guide one\"\n+++\nOne, edited.\n");
    server.get_until("/en/guides/one/", "the edit at the folder's own address", |r| r.body.contains("One, edited."));
    server.get_until("/en/manuals/one/", "the edit through the link", |r| r.body.contains("One, edited."));
    site.write("content/guides/four.md", "+++\ntitle = \"Guide four\"\n+++\nFour.\n");
    server.get_until("/en/manuals/four/", "a new page through the link", |r| r.status == 200);
    site.remove("content/guides/four.md");
    server.get_until("/en/manuals/four/", "a page removed through the link", |r| r.status == 404);

    // A link made while serving is watched through too.
    std::os::unix::fs::symlink("guides", site.root().join("content/handbook")).unwrap();
    server.get_until("/en/handbook/two/", "the new link's pages", |r| r.status == 200);
    site.write("content/guides/two.md", "+++\ntitle = \"Guide two\"\n+++\nTwo, edited.\n");
    server.get_until("/en/handbook/two/", "an edit through the new link", |r| r.body.contains("Two, edited."));
    std::fs::remove_file(site.root().join("content/handbook")).unwrap();
    server.get_until("/en/handbook/two/", "the removed link's pages", |r| r.status == 404);
    site.write("content/guides/two.md", "+++\ntitle = \"Guide two\"\n+++\nTwo, edited again.\n");
    server.get_until("/en/manuals/two/", "the other link still watched", |r| r.body.contains("edited again"));
    assert_eq!(server.get("/en/handbook/two/").status, 404, "not made again through the removed link");
}

/// A tab opened at a page not made yet, without the final slash of its
/// address, got the 404 page; the reload event names the page with the
/// slash (`/en/guides/new/`), so the tab did not reload when it was made.
#[test]
fn a_tab_at_a_missing_address_without_its_slash_reloads_when_the_page_is_made() {
    if !common::browser_available() {
        return;
    }
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    let text = "+++\ntitle = \"New guide\"\n+++\nFreshly written.\n";
    let answer = tab_at_missing_address(&server, "/en/guides/new", site.root().join("content/guides/new.md"), text);
    assert_eq!(answer["shown"], true, "the tab reloaded by itself: {answer}\n{}", server.stderr());
    assert_eq!(answer["at"], "/en/guides/new/", "{answer}");
}

/// A tab at a missing address whose last name has a dot waited only for a
/// file of that very name: a page made at the folder of that name (a slug
/// `new.html`, a page `v1.2.md`), which the address leads to, did not
/// reload it. A file of that name (`static/`) still does.
#[test]
fn a_tab_at_a_missing_address_with_a_dot_reloads_when_the_page_or_file_is_made() {
    if !common::browser_available() {
        return;
    }
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    let root = site.root();
    let page = |slug: &str, words: &str| format!("+++\ntitle = \"New\"\n{slug}+++\n{words}\n");
    let cases = [
        (
            "/en/guides/new.html",
            root.join("content/guides/new.md"),
            page("slug = \"new.html\"\n", "Freshly written."),
            "/en/guides/new.html/",
        ),
        ("/en/guides/v1.2", root.join("content/guides/v1.2.md"), page("", "Freshly written."), "/en/guides/v1.2/"),
        (
            "/en/files/notes.txt",
            root.join("static/en/files/notes.txt"),
            "Freshly written.\n".to_string(),
            "/en/files/notes.txt",
        ),
    ];
    for (url, file, text, at) in cases {
        let answer = tab_at_missing_address(&server, url, file, &text);
        assert_eq!(answer["shown"], true, "the tab at {url} reloaded by itself: {answer}\n{}", server.stderr());
        assert_eq!(answer["at"], at, "{answer}");
    }
}

/// Opens a tab at `url`, missing (404), then writes `text` (which says
/// "Freshly written.") to `file`: where the tab is once it shows it.
fn tab_at_missing_address(server: &Server, url: &str, file: PathBuf, text: &str) -> serde_json::Value {
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let args = serde_json::json!({
        "url": format!("http://{}{url}", server.address),
        "file": file,
        "text": text,
        "marker": "Freshly written.",
    });
    let answer = common::browser_script("serve.mjs", "appears", &args);
    assert_eq!(answer["status"], 404, "{url} is missing at first: {answer}");
    answer
}

/// Seen from another machine (no Web Locks), the tab listening for the
/// others renewed its claim from a timer: hidden, its timers held back
/// (Chrome runs them once a minute after five minutes), another tab took
/// over while it kept its own stream, and two streams were held until its
/// timers ran. A hidden tab keeps listening for all, alone.
#[test]
fn a_hidden_tab_keeps_the_shared_stream_and_no_other_opens_one() {
    let Some((answer, stderr)) = hold_the_listening_tab(&["en/", "en/guides/", "ca/", "en/hello/"], true) else {
        return;
    };
    assert_eq!(answer["reloaded"], true, "events still reach the tabs: {answer}\n{stderr}");
    assert_eq!(answer["most"], 1, "one stream while the first tab was hidden: {answer}");
    assert_eq!(answer["none"], 0, "never none: {answer}");
    assert_eq!(answer["after"], serde_json::json!([1, 0, 0, 0]), "the shown tab still listens: {answer}");
}

/// A listening tab whose timers came later than its claim allowed (the
/// machine slept; a browser holding timers back without hiding the tab)
/// kept its stream until they ran, while another tab took over: two
/// streams. It now stops as soon as another tab claims, without a timer.
/// The tab that took over then reloads (its page was edited): the page it
/// reloads into listens at once, not once its claim has run out (none
/// listened for four seconds).
#[test]
fn a_tab_whose_claim_ran_out_stops_listening_when_another_takes_over() {
    let Some((answer, stderr)) = hold_the_listening_tab(&["en/", "en/hello/"], false) else {
        return;
    };
    assert_eq!(answer["reloaded"], true, "events still reach the tabs: {answer}\n{stderr}");
    assert_eq!(answer["most"], 1, "never two streams: {answer}");
    assert!(answer["none"].as_u64().unwrap() < 1000, "none listened for a moment only: {answer}");
    assert_eq!(answer["after"], serde_json::json!([0, 1]), "the other tab listens, alone: {answer}");
}

/// Serves over plain HTTP under a name (no Web Locks), opens a tab at each
/// of `pages` and holds back the first one's timers for ten seconds
/// (`hide`: and hides it), the last page edited meanwhile: `serve.mjs
/// hidden`'s answer and serve's stderr; `None` without a browser.
fn hold_the_listening_tab(pages: &[&str], hide: bool) -> Option<(serde_json::Value, String)> {
    if !common::browser_available() {
        return None;
    }
    let site = Site::new();
    let server = Server::start(&site.root(), &["--bind", "0.0.0.0"]);
    let args = serde_json::json!({
        "base": format!("http://preview.test:{}/", server.address.port()),
        "hosts": ["preview.test"],
        "pages": pages,
        "file": site.root().join("content/hello.md"),
        "text": "+++\ntitle = \"Hello\"\nweight = 1\n+++\nEdited while the first tab was held back.\n",
        "marker": "Edited while",
        "hold": 10000,
        "hide": hide,
    });
    let answer = common::browser_script("serve.mjs", "hidden", &args);
    assert_eq!(answer["secure"], false, "no Web Locks over plain HTTP: {answer}");
    let first: Vec<u64> = (0..pages.len()).map(|i| u64::from(i == 0)).collect();
    assert_eq!(answer["before"], serde_json::json!(first), "the first tab listens: {answer}");
    Some((answer, server.stderr()))
}

/// The rebuild line counts what follows in the background in words that
/// agree with the count: an edit of the status pages' template leaves them
/// for later, one part ("1 more parts" it said).
#[test]
fn the_rebuild_line_says_one_more_part_in_the_singular() {
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    server.stderr_until("first build", "Built ");
    let theme = common::repo_root().join("themes/default/templates/translations.html");
    let template = std::fs::read_to_string(theme).unwrap();
    site.write(
        "templates/translations.html",
        &template.replace("<article class=\"translations\">", "<article class=\"translations edited\">"),
    );
    let stderr = server.stderr_until("template edited", "in the background");
    assert!(stderr.contains(", 1 more part in the background)"), "{stderr}");
    assert!(!stderr.contains("1 more parts"), "{stderr}");
    server.get_until("/ca/translations/", "status page re-rendered", |r| r.body.contains("translations edited"));
}
