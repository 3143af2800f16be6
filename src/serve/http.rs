//! A small HTTP/1.1 server on std's `TcpListener`: one thread per
//! connection, one request per connection (`Connection: close`), GET and
//! HEAD only, and server-sent events for live reload. A preview server for
//! one writer needs no async runtime; keeping it this small keeps every
//! byte of path handling in view (see `routes`).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

/// Longest request head read; longer is refused.
const MAX_HEAD: usize = 16 * 1024;
/// Connections served at once; more get 503.
const MAX_CONNECTIONS: usize = 256;
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How often an idle event stream sends a comment, to notice closed tabs.
const KEEPALIVE: Duration = Duration::from_secs(15);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// As sent: `/en/guides/?q=x`.
    pub target: String,
    pub host: Option<String>,
    /// The `Range` and `If-Range` headers, for seeking in media files.
    pub range: Option<String>,
    pub if_range: Option<String>,
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
}

/// What follows the head: bytes in memory, or part of a file on disk,
/// copied as it is sent (a video need not be read whole for one seek).
pub enum Body {
    Bytes(Vec<u8>),
    File { file: File, start: u64, len: u64 },
}

impl Body {
    pub fn len(&self) -> u64 {
        match self {
            Body::Bytes(bytes) => bytes.len() as u64,
            Body::File { len, .. } => *len,
        }
    }

    /// `len` bytes from `from` on, which the caller has checked lie inside.
    pub fn part(self, from: u64, len: u64) -> Body {
        match self {
            Body::Bytes(bytes) => Body::Bytes(bytes[from as usize..(from + len) as usize].to_vec()),
            Body::File { file, start, .. } => Body::File { file, start: start + from, len },
        }
    }
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response::with_body(status, content_type, Body::Bytes(body.into()))
    }

    pub fn with_body(status: u16, content_type: &str, body: Body) -> Response {
        Response { status, headers: vec![("Content-Type", content_type.to_string())], body }
    }

    pub fn text(status: u16, text: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", format!("{text}\n"))
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

/// What a request gets: a response, or an event stream that lasts as long
/// as the browser listens (`first` is sent at once).
pub enum Reply {
    Response(Response),
    Events { first: String, events: Receiver<String>, on_close: Box<dyn FnOnce() + Send> },
}

pub type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// Accepts connections until the listener fails; each gets its own thread.
pub fn run(listener: TcpListener, handler: Arc<Handler>) {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else {
            continue;
        };
        if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            let _ = write_response(&mut stream, &Response::text(503, "too many connections"), false);
            continue;
        }
        active.fetch_add(1, Ordering::SeqCst);
        let (handler, active) = (handler.clone(), active.clone());
        std::thread::spawn(move || {
            let _ = serve_connection(&mut stream, &*handler);
            active.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

fn serve_connection(stream: &mut TcpStream, handler: &Handler) -> io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    let head = match read_head(stream)? {
        Some(head) => head,
        None => return Ok(()),
    };
    let request = match parse_head(&head) {
        Ok(request) => request,
        Err(status) => return write_response(stream, &Response::text(status, "bad request"), false),
    };
    let head_only = request.method == "HEAD";
    match handler(&request) {
        Reply::Response(response) => write_response(stream, &response, head_only),
        Reply::Events { first, events, on_close } => {
            let result = stream_events(stream, &first, &events);
            on_close();
            result
        }
    }
}

/// The request line and headers, up to the blank line; `None` if the
/// client went away first.
fn read_head(stream: &mut TcpStream) -> io::Result<Option<Vec<u8>>> {
    let mut head = Vec::with_capacity(1024);
    let mut buffer = [0u8; 2048];
    loop {
        let read = stream.read(&mut buffer)?;
        if read == 0 {
            return Ok(None);
        }
        head.extend_from_slice(&buffer[..read]);
        if let Some(end) = find(&head, b"\r\n\r\n") {
            head.truncate(end);
            return Ok(Some(head));
        }
        if head.len() > MAX_HEAD {
            write_response(stream, &Response::text(431, "request head too large"), false)?;
            return Ok(None);
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `METHOD TARGET HTTP/1.x` and the `Host` header; a status for what is
/// not a request.
pub fn parse_head(head: &[u8]) -> Result<Request, u16> {
    let text = std::str::from_utf8(head).map_err(|_| 400u16)?;
    let mut lines = text.split("\r\n");
    let mut parts = lines.next().ok_or(400u16)?.split(' ');
    let (method, target, version) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(t), Some(v), None) => (m, t, v),
        _ => return Err(400),
    };
    if !version.starts_with("HTTP/1.") {
        return Err(505);
    }
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) || target.is_empty() {
        return Err(400);
    }
    let headers: Vec<(&str, &str)> = lines.filter_map(|line| line.split_once(':')).collect();
    let header = |wanted: &str| {
        headers
            .iter()
            .find(|(name, _)| name.trim().eq_ignore_ascii_case(wanted))
            .map(|(_, value)| value.trim().to_string())
    };
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        host: header("host"),
        range: header("range"),
        if_range: header("if-range"),
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        416 => "Range Not Satisfiable",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

fn write_response(stream: &mut TcpStream, response: &Response, head_only: bool) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", response.status, reason(response.status));
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        response.body.len()
    ));
    stream.write_all(head.as_bytes())?;
    if !head_only {
        write_body(stream, &response.body)?;
    }
    stream.flush()
}

fn write_body(stream: &mut TcpStream, body: &Body) -> io::Result<()> {
    match body {
        Body::Bytes(bytes) => stream.write_all(bytes),
        Body::File { file, start, len } => {
            let mut file: &File = file;
            file.seek(SeekFrom::Start(*start))?;
            let copied = io::copy(&mut file.take(*len), stream)?;
            if copied < *len {
                // The file got shorter since its length was taken: the
                // browser sees a short body rather than a wrong one.
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "file shrank while sent"));
            }
            Ok(())
        }
    }
}

/// Server-sent events until the browser leaves (a write fails) or the
/// server drops the channel.
fn stream_events(stream: &mut TcpStream, first: &str, events: &Receiver<String>) -> io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
    )?;
    stream.write_all(first.as_bytes())?;
    stream.flush()?;
    loop {
        let message = match events.recv_timeout(KEEPALIVE) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        stream.write_all(message.as_bytes())?;
        stream.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines_parse_or_get_a_status() {
        let request = parse_head(b"GET /en/?q=1 HTTP/1.1\r\nHost: localhost:1111\r\nAccept: */*").unwrap();
        assert_eq!(request.method, "GET");
        assert_eq!(request.target, "/en/?q=1");
        assert_eq!(request.host.as_deref(), Some("localhost:1111"));
        assert_eq!(request.range, None);
        let ranged = parse_head(b"GET /a.mp4 HTTP/1.1\r\nrange: bytes=0-1\r\nIf-Range: \"x\"").unwrap();
        assert_eq!((ranged.range.as_deref(), ranged.if_range.as_deref()), (Some("bytes=0-1"), Some("\"x\"")));
        assert_eq!(parse_head(b"GET /\r\n"), Err(400));
        assert_eq!(parse_head(b"GET / HTTP/2\r\n"), Err(505));
        assert_eq!(parse_head(b"GET /a b HTTP/1.1"), Err(400));
        assert_eq!(parse_head(b"get / HTTP/1.1"), Err(400));
        assert_eq!(parse_head(b"GET \xff HTTP/1.1"), Err(400));
    }
}
