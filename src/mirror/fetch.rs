//! Where a copy of the site is read from: a folder, or a mirror over
//! HTTP(S) with a small blocking client (ureq). Every read is bounded in
//! size, and over the network in time.

use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    NotFound,
    /// Larger than the limit it was read with.
    TooLarge(u64),
    /// Anything else: the message says what.
    Failed(String),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::NotFound => f.write_str("not found"),
            FetchError::TooLarge(limit) => write!(f, "larger than the {limit} bytes expected"),
            FetchError::Failed(message) => f.write_str(message),
        }
    }
}

/// A copy of the site to read files from, by their `/`-separated path.
pub trait Source: Sync {
    /// Where `path` is, for messages: a file name or a URL.
    fn locate(&self, path: &str) -> String;
    /// The whole file, refusing more than `limit` bytes.
    fn fetch(&self, path: &str, limit: u64) -> Result<Vec<u8>, FetchError>;
}

pub struct DirSource(pub PathBuf);

impl Source for DirSource {
    fn locate(&self, path: &str) -> String {
        self.0.join(path).display().to_string()
    }

    fn fetch(&self, path: &str, limit: u64) -> Result<Vec<u8>, FetchError> {
        let file = std::fs::File::open(self.0.join(path)).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => FetchError::NotFound,
            _ => FetchError::Failed(e.to_string()),
        })?;
        read_limited(file, limit)
    }
}

/// A mirror at `base` (`https://mirror.example.net/infrared/`).
pub struct HttpSource {
    base: String,
    agent: ureq::Agent,
    timeout: Duration,
}

impl HttpSource {
    /// `timeout`: to connect, to get an answer, and between two reads.
    pub fn new(base: &str, timeout: Duration) -> HttpSource {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(timeout))
            .timeout_recv_response(Some(timeout))
            .timeout_per_read(Some(timeout))
            .user_agent(concat!("infrared/", env!("CARGO_PKG_VERSION")))
            // Compressed on the wire where the server can (pages shrink
            // severalfold); sizes and hashes are checked on the bytes as
            // published, after decoding.
            .accept_encoding("gzip")
            .build()
            .new_agent();
        HttpSource { base: format!("{}/", base.trim_end_matches('/')), agent, timeout }
    }
}

impl Source for HttpSource {
    fn locate(&self, path: &str) -> String {
        format!("{}{}", self.base, encode_url_path(path))
    }

    fn fetch(&self, path: &str, limit: u64) -> Result<Vec<u8>, FetchError> {
        // At least 1 KiB/s on average, on top of the usual timeout.
        let body_time = self.timeout + Duration::from_secs(limit / 1024);
        let response =
            self.agent.get(self.locate(path)).config().timeout_recv_body(Some(body_time)).build().call().map_err(
                |e| match e {
                    ureq::Error::StatusCode(404) | ureq::Error::StatusCode(410) => FetchError::NotFound,
                    e => FetchError::Failed(e.to_string()),
                },
            )?;
        let body =
            Paced { inner: response.into_body().into_reader(), started: Instant::now(), grace: self.timeout, read: 0 };
        read_limited(body, limit)
    }
}

/// A body that must arrive at 1 KiB/s on average once `grace` has passed.
/// The timeout between two reads alone lets a mirror that sends a byte now
/// and then hold a read open for as long as its limit allows (days, for the
/// lists of a large site).
struct Paced<R> {
    inner: R,
    started: Instant,
    grace: Duration,
    read: u64,
}

impl<R: Read> Read for Paced<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buffer)?;
        self.read += n as u64;
        let elapsed = self.started.elapsed();
        if elapsed > self.grace + Duration::from_secs(self.read / 1024) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("{} bytes in {} s: slower than 1 KiB/s", self.read, elapsed.as_secs()),
            ));
        }
        Ok(n)
    }
}

fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>, FetchError> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| FetchError::Failed(format!("read failed: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(FetchError::TooLarge(limit));
    }
    Ok(bytes)
}

/// Percent-encodes what a URL path cannot hold, keeping `/` and unreserved
/// ASCII; UTF-8 bytes are encoded one by one.
pub fn encode_url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Runs `work` over `items` on `jobs` threads, results in input order. Once
/// `work` answers `Err` with `stop = true`, no new item starts (those not
/// started are `None`): when a server is gone, there is no point asking it
/// for thousands more files.
pub fn run_parallel<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    work: impl Fn(&T) -> (R, bool) + Sync,
) -> Vec<Option<R>> {
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let results: Vec<std::sync::Mutex<Option<R>>> = items.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1).min(items.len().max(1)) {
            scope.spawn(|| loop {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { return };
                let (result, halt) = work(item);
                if halt {
                    stop.store(true, Ordering::Relaxed);
                }
                *results[i].lock().expect("no panics while holding it") = Some(result);
            });
        }
    });
    results.into_iter().map(|m| m.into_inner().expect("no panics while holding it")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_encode_spaces_and_non_ascii() {
        assert_eq!(encode_url_path("ar/أ b/index.html"), "ar/%D8%A3%20b/index.html");
        assert_eq!(encode_url_path("assets/style.1a2b.css"), "assets/style.1a2b.css");
    }

    #[test]
    fn reads_beyond_the_limit_are_refused() {
        assert_eq!(read_limited(&b"12345"[..], 5).unwrap(), b"12345");
        assert_eq!(read_limited(&b"123456"[..], 5), Err(FetchError::TooLarge(5)));
    }

    #[test]
    fn parallel_work_keeps_order_and_stops_when_told() {
        let items: Vec<usize> = (0..100).collect();
        let all = run_parallel(&items, 4, |i| (i * 2, false));
        assert_eq!(all[7], Some(14));
        assert!(all.iter().all(Option::is_some));
        let stopped = run_parallel(&items, 1, |i| (*i, *i == 3));
        assert_eq!(stopped[3], Some(3));
        assert!(stopped[4..].iter().all(Option::is_none));
    }
}
