//! A small HTTP/1.1 server on the standard library, for `goalbook serve`.
//!
//! It serves one local user's browser, and no request can take it down:
//! the request line, the headers and the body are bounded (larger ones are
//! refused before they are read), every connection has a deadline, a fixed
//! pool of threads answers (a full queue gets `503`), and only requests whose
//! `Host` is a loopback name are answered, so a page on another site cannot
//! read the served files through DNS rebinding. Only `GET` and `HEAD`; every
//! response closes its connection. Not a general web server.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The bounds every request is held to.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Longest request line (method, target, version), in bytes.
    pub line: usize,
    /// Longest head (request line and headers), in bytes.
    pub head: usize,
    /// Most header fields.
    pub headers: usize,
    /// Largest body that is read (and dropped); a larger one is refused.
    pub body: usize,
    /// Time a client has to send its whole request.
    pub read: Duration,
    /// Time a client has to take the response.
    pub write: Duration,
    /// Threads that answer requests.
    pub threads: usize,
    /// Connections waiting for a thread; past it they get `503`.
    pub queue: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            line: 8 << 10,
            head: 32 << 10,
            headers: 100,
            body: 64 << 10,
            read: Duration::from_secs(10),
            write: Duration::from_secs(30),
            threads: 32,
            queue: 256,
        }
    }
}

/// One parsed request.
#[derive(Debug)]
pub struct Request {
    /// `GET` or `HEAD`.
    pub method: String,
    /// The request target as sent: a path starting with `/`, maybe a query.
    pub target: String,
    /// Header fields in order, names in lower case.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// A response; `Content-Length` and `Connection: close` are added.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Arc<Vec<u8>>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Arc<Vec<u8>>>) -> Response {
        Response { status, headers: vec![("Content-Type", content_type.to_string())], body: body.into() }
    }

    pub fn text(status: u16, text: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", text.as_bytes().to_vec())
    }

    pub fn with_header(mut self, name: &'static str, value: &str) -> Response {
        self.headers.push((name, header_value(value)));
        self
    }
}

/// A header value that HTTP can carry: bytes outside printable ASCII
/// (line breaks, non-ASCII) are percent-encoded.
pub fn header_value(value: &str) -> String {
    let mut safe = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_graphic() || b == b' ' {
            safe.push(b as char);
        } else {
            safe.push_str(&format!("%{b:02X}"));
        }
    }
    safe
}

type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// A listening server; [`Server::run`] answers until [`Stopper::stop`].
pub struct Server {
    listener: TcpListener,
    addr: SocketAddr,
    limits: Limits,
    stop: Arc<AtomicBool>,
}

/// Stops a running [`Server`] from another thread (a Ctrl-C handler).
#[derive(Clone)]
pub struct Stopper {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl Stopper {
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }
}

impl Server {
    /// Listens on 127.0.0.1:`port` (0: a free port).
    pub fn bind(port: u16, limits: Limits) -> std::io::Result<Server> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let addr = listener.local_addr()?;
        Ok(Server { listener, addr, limits, stop: Arc::new(AtomicBool::new(false)) })
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn stopper(&self) -> Stopper {
        Stopper { addr: self.addr, stop: self.stop.clone() }
    }

    /// Accepts connections and answers them with `handler` on the pool until stopped.
    pub fn run(&self, handler: Arc<Handler>) {
        let (tx, rx): (SyncSender<TcpStream>, Receiver<TcpStream>) = std::sync::mpsc::sync_channel(self.limits.queue);
        let rx = Arc::new(Mutex::new(rx));
        let mut workers = Vec::new();
        for _ in 0..self.limits.threads.max(1) {
            let (rx, handler, limits) = (rx.clone(), handler.clone(), self.limits.clone());
            let worker = std::thread::Builder::new().name("goalbook-http".into()).spawn(move || {
                loop {
                    let next = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    let Ok(stream) = next else { return };
                    serve_connection(stream, &limits, &*handler);
                }
            });
            if let Ok(w) = worker {
                workers.push(w);
            }
        }
        for stream in self.listener.incoming() {
            if self.stop.load(Ordering::SeqCst) {
                break;
            }
            let Ok(stream) = stream else {
                // Out of file descriptors, say: let connections drain.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            };
            match tx.try_send(stream) {
                Ok(()) => {}
                Err(TrySendError::Full(mut stream)) => {
                    let _ = stream.set_nonblocking(true);
                    let _ = stream.write_all(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\nRetry-After: 1\r\n\r\n");
                }
                Err(TrySendError::Disconnected(_)) => break,
            }
        }
        // Threads in a long poll are not waited for; an idle one ends when
        // it sees the queue closed.
        drop(tx);
        drop(workers);
    }
}

/// Why a request is refused before the handler sees it.
struct Refusal(u16, &'static str);

fn serve_connection(mut stream: TcpStream, limits: &Limits, handler: &Handler) {
    let deadline = Instant::now() + limits.read;
    let _ = stream.set_write_timeout(Some(limits.write));
    let response = match read_request(&mut stream, limits, deadline) {
        Ok(Some(request)) => {
            let head_only = request.method == "HEAD";
            let response = handler(&request);
            write_response(&mut stream, &response, head_only);
            let _ = stream.shutdown(Shutdown::Write);
            return;
        }
        Ok(None) => return,
        Err(Refusal(status, why)) => Response::text(status, &format!("{why}\n")),
    };
    write_response(&mut stream, &response, false);
    let _ = stream.shutdown(Shutdown::Write);
}

/// Reads one request within the limits; `Ok(None)` when the client went away
/// or ran out of time.
fn read_request(stream: &mut TcpStream, limits: &Limits, deadline: Instant) -> Result<Option<Request>, Refusal> {
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = find_head_end(&buf) {
            break end;
        }
        if !buf.contains(&b'\n') && buf.len() > limits.line {
            return Err(Refusal(414, "the request line is too long"));
        }
        if buf.len() > limits.head {
            return Err(Refusal(431, "the request headers are too large"));
        }
        let Some(n) = read_some(stream, &mut chunk, deadline) else { return Ok(None) };
        buf.extend_from_slice(&chunk[..n]);
    };
    let Ok(head) = std::str::from_utf8(&buf[..head_end.0]) else {
        return Err(Refusal(400, "the request head is not text"));
    };
    let mut lines = head.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let line = lines.next().unwrap_or("");
    if line.len() > limits.line {
        return Err(Refusal(414, "the request line is too long"));
    }
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal(400, "bad request line"));
    };
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Err(Refusal(505, "only HTTP/1.0 and HTTP/1.1 are served")),
    };
    if !target.starts_with('/') || target.bytes().any(|b| !b.is_ascii_graphic()) {
        return Err(Refusal(400, "the request target must be a path starting with /"));
    }
    let mut headers = Vec::new();
    for l in lines {
        if l.is_empty() {
            continue;
        }
        if headers.len() >= limits.headers {
            return Err(Refusal(431, "too many request headers"));
        }
        let Some((name, value)) = l.split_once(':') else { return Err(Refusal(400, "bad header line")) };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)) {
            return Err(Refusal(400, "bad header name"));
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    let request = Request { method: method.to_string(), target: target.to_string(), headers };

    // DNS rebinding: another site's page reaches us under its own host name.
    let hosts: Vec<&str> = request.headers.iter().filter(|(n, _)| n == "host").map(|(_, v)| v.as_str()).collect();
    match hosts.as_slice() {
        [] if !http11 => {}
        [host] if is_loopback_host(host) => {}
        [] | [_] => return Err(Refusal(403, "this server answers only to 127.0.0.1, localhost and [::1]")),
        _ => return Err(Refusal(400, "more than one Host header")),
    }
    if request.header("transfer-encoding").is_some() {
        return Err(Refusal(501, "request bodies in chunks are not accepted"));
    }
    let lengths: Vec<&str> =
        request.headers.iter().filter(|(n, _)| n == "content-length").map(|(_, v)| v.as_str()).collect();
    let length = match lengths.as_slice() {
        [] => 0,
        [one] => match one.parse::<u64>() {
            Ok(n) if n <= limits.body as u64 => n as usize,
            Ok(_) => return Err(Refusal(413, "the request body is too large")),
            Err(_) => return Err(Refusal(400, "bad Content-Length")),
        },
        _ => return Err(Refusal(400, "more than one Content-Length")),
    };
    // Read (and drop) the body, so closing the connection does not reset it
    // before the client has the response.
    let mut have = buf.len() - head_end.1;
    while have < length {
        let Some(n) = read_some(stream, &mut chunk, deadline) else { return Ok(None) };
        have += n;
    }
    if request.method != "GET" && request.method != "HEAD" {
        return Err(Refusal(405, "only GET and HEAD are served"));
    }
    Ok(Some(request))
}

/// Reads what is there before `deadline`; `None` at end of stream, on an
/// error or when the deadline passed.
fn read_some(stream: &mut TcpStream, chunk: &mut [u8], deadline: Instant) -> Option<usize> {
    loop {
        let left = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero())?;
        stream.set_read_timeout(Some(left)).ok()?;
        match stream.read(chunk) {
            Ok(0) => return None,
            Ok(n) => return Some(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        }
    }
}

/// The end of the head (before the blank line) and the start of the body.
fn find_head_end(buf: &[u8]) -> Option<(usize, usize)> {
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| (i, i + 4));
    let lf = buf.windows(2).position(|w| w == b"\n\n").map(|i| (i, i + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// Whether a `Host` value names this machine: `127.0.0.1`, `localhost` or
/// `[::1]`, with an optional port.
pub fn is_loopback_host(host: &str) -> bool {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((v6, after)) => (format!("[{v6}]"), after.strip_prefix(':')),
            None => return false,
        },
        None => match host.rsplit_once(':') {
            Some((n, p)) => (n.to_string(), Some(p)),
            None => (host.to_string(), None),
        },
    };
    if port.is_some_and(|p| p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let name = name.to_ascii_lowercase();
    let name = name.strip_suffix('.').unwrap_or(&name);
    matches!(name, "127.0.0.1" | "localhost" | "[::1]")
}

fn write_response(stream: &mut TcpStream, response: &Response, head_only: bool) {
    let mut head = format!("HTTP/1.1 {} {}\r\n", response.status, reason(response.status));
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {}\r\n", header_value(value)));
    }
    head.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", response.body.len()));
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    if !head_only {
        let _ = stream.write_all(&response.body);
    }
    let _ = stream.flush();
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_names_are_answered() {
        for ok in ["127.0.0.1", "127.0.0.1:3000", "localhost", "LOCALHOST:80", "localhost.", "[::1]", "[::1]:3000"] {
            assert!(is_loopback_host(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:3000",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "127.0.0.1:",
            "127.0.0.1:30x0",
            "[::1",
            "[::2]",
            "",
            "127.0.0.2",
            "localhost:3000:1",
        ] {
            assert!(!is_loopback_host(bad), "{bad}");
        }
    }

    #[test]
    fn the_head_ends_at_the_first_blank_line() {
        assert_eq!(find_head_end(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nbody"), Some((23, 27)));
        assert_eq!(find_head_end(b"GET / HTTP/1.0\n\n"), Some((14, 16)));
        assert_eq!(find_head_end(b"GET / HTTP/1.1\r\nHost: a\r\n"), None);
    }
}
