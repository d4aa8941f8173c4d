//! `goalbook serve`: the real binary on a free port, fetched over plain HTTP.
//! An edit is served within 2 seconds (the deadline), a broken goal
//! turns every page into the error page until it is fixed, and Ctrl-C stops
//! the server cleanly.
#![cfg(feature = "serve")]

use crate::common::{bin, temp_repo};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// The running server; killed if a test fails before stopping it.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    /// Stops the server as Ctrl-C would (so it cleans up), killing it if that fails.
    fn drop(&mut self) {
        // An exited child's id may belong to another process by now.
        if !matches!(self.child.try_wait(), Ok(None)) {
            return;
        }
        let _ = std::process::Command::new("kill").args(["-INT", &self.child.id().to_string()]).status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(root: &Path) -> Server {
    let mut child = bin()
        .args(["serve", "--port", "0", "--as-of", "2026-11-24"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
    // "Serving <dir> on http://127.0.0.1:<port>/ (Ctrl-C to stop)"
    let port = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    Server { child, port }
}

/// GET `path`; returns (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8(raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, body.to_string())
}

/// Polls `path` until `done` holds; returns the response and how long it took.
fn poll(port: u16, path: &str, done: impl Fn(u16, &str) -> bool) -> ((u16, String), Duration) {
    let start = Instant::now();
    loop {
        let (status, body) = get(port, path);
        if done(status, &body) {
            return ((status, body), start.elapsed());
        }
        assert!(start.elapsed() < Duration::from_secs(20), "gave up waiting; last response {status}:\n{body}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn goal(current: &str) -> String {
    format!(
        "+++\ntitle = \"Answer 900 support tickets in Q4\"\nowner = \"thu.ho\"\nperspective = \"process\"\nperiod = \"2026-Q4\"\nbaseline = 0\ntarget = 900\ncurrent = {current}\n+++\n"
    )
}

const PAGE: &str = "/goals/support/tickets/index.html";

#[test]
fn an_edit_is_served_within_two_seconds() {
    let tmp = temp_repo(&[("goals/support/tickets.md", &goal("377"))]);
    let server = serve(tmp.path());
    let (status, page) = get(server.port, PAGE);
    assert_eq!(status, 200);
    assert!(page.contains("377") && !page.contains("611"), "{page}");
    assert!(page.contains("/__goalbook/reload?since="), "the page has the reload script");
    // The script is added to responses only, never to built files.
    assert!(!tmp.path().join("book").exists(), "serve does not write the build folder");
    let (status, json) = get(server.port, "/goals.json");
    assert_eq!(status, 200);
    assert!(!json.contains("__goalbook"));

    std::fs::write(tmp.path().join("goals/support/tickets.md"), goal("611")).unwrap();
    let ((_, page), took) = poll(server.port, PAGE, |_, body| body.contains("611"));
    assert!(!page.contains("377"), "{page}");
    assert!(took < Duration::from_secs(2), "the edit took {took:?} to be served");

    // Folders redirect to their slash form, so relative links work.
    let (status, _) = get(server.port, "/goals/support/tickets");
    assert_eq!(status, 301);
    let (status, _) = get(server.port, "/no/such/page/");
    assert_eq!(status, 404);
}

#[test]
fn a_broken_goal_shows_the_error_page_until_it_is_fixed() {
    let tmp = temp_repo(&[("goals/support/tickets.md", &goal("377"))]);
    let server = serve(tmp.path());
    assert_eq!(get(server.port, PAGE).0, 200);

    let broken = goal("377").replacen("+++\n", "+++\nkind = \"<b>x</b>\"\n", 1);
    std::fs::write(tmp.path().join("goals/support/tickets.md"), broken).unwrap();
    let ((status, page), _) = poll(server.port, "/", |status, _| status == 500);
    assert_eq!(status, 500);
    assert!(page.contains("<h1>The goals have errors</h1>"), "{page}");
    let list = "<ul class=\"goalbook-errors\">
<li><code>goals/support/tickets.md:2: error[bad-value]: unknown kind &quot;&lt;b&gt;x&lt;/b&gt;&quot;; use one of: objective, key-result, initiative, kpi</code></li>
<li><code>goals/support/tickets.md:2: warning[smart-relevant]: `support/tickets` has no `parent`; link it to the goal it serves with `parent = &quot;…&quot;`</code></li>
</ul>";
    assert!(page.contains(list), "{page}");
    assert!(!page.contains("<b>x"), "diagnostics are escaped");
    assert!(page.contains("/__goalbook/reload?since="), "the error page reloads by itself");
    // Every HTML page shows the errors; other files still come from the last good build.
    assert_eq!(get(server.port, PAGE).0, 500);
    assert_eq!(get(server.port, "/goals.json").0, 200);

    std::fs::write(tmp.path().join("goals/support/tickets.md"), goal("611")).unwrap();
    let ((status, page), _) = poll(server.port, PAGE, |status, _| status == 200);
    assert_eq!(status, 200);
    assert!(page.contains("611"), "{page}");
}

#[test]
fn reload_requests_wait_for_the_next_build() {
    let tmp = temp_repo(&[("goals/support/tickets.md", &goal("377"))]);
    let server = serve(tmp.path());
    // A page built at generation 1 asks whether a newer one exists.
    let (_, generation) = get(server.port, "/__goalbook/reload?since=0");
    assert_eq!(generation, "1");
    let port = server.port;
    let waiting = std::thread::spawn(move || get(port, "/__goalbook/reload?since=1"));
    std::thread::sleep(Duration::from_millis(300));
    assert!(!waiting.is_finished(), "the request waits for a rebuild");
    std::fs::write(tmp.path().join("goals/support/tickets.md"), goal("611")).unwrap();
    assert_eq!(waiting.join().unwrap(), (200, "2".to_string()));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let tmp = temp_repo(&[("goals/support/tickets.md", &goal("377"))]);
    let mut server = serve(tmp.path());
    assert_eq!(get(server.port, PAGE).0, 200);
    let status = std::process::Command::new("kill").args(["-INT", &server.child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let exit = server.child.wait().unwrap();
    assert_eq!(exit.code(), Some(0));
    let mut rest = String::new();
    server.child.stdout.take().unwrap().read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "Stopped.\n");
}

/// Sends `raw` (as far as the server takes it) and returns what came back.
fn send_raw(port: u16, raw: &[u8]) -> Vec<u8> {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return Vec::new() };
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    stream.set_write_timeout(Some(Duration::from_secs(30))).unwrap();
    // The server may refuse and close before it has read everything.
    for piece in raw.chunks(64 << 10) {
        if stream.write_all(piece).is_err() {
            break;
        }
    }
    // Done sending: a request left unfinished ends here, not at the server's deadline.
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let mut back = Vec::new();
    let _ = stream.read_to_end(&mut back);
    back
}

fn status_of(response: &[u8]) -> Option<u16> {
    std::str::from_utf8(response.get(9..12)?).ok()?.parse().ok()
}

#[test]
fn only_loopback_hosts_are_answered_and_redirects_stay_on_this_host() {
    let tmp = temp_repo(&[("goals/support/tickets.md", &goal("377"))]);
    let server = serve(tmp.path());
    let p = server.port;
    // DNS rebinding: a page of another site reaching this port under its own name.
    let evil = send_raw(p, b"GET /goals.json HTTP/1.1\r\nHost: evil.example:3000\r\n\r\n");
    assert_eq!(status_of(&evil), Some(403), "{}", String::from_utf8_lossy(&evil));
    assert!(!String::from_utf8_lossy(&evil).contains("support/tickets"));
    assert_eq!(status_of(&send_raw(p, b"GET / HTTP/1.1\r\n\r\n")), Some(403));
    for host in ["127.0.0.1", "localhost", &format!("localhost:{p}"), "[::1]"] {
        let ok = send_raw(p, format!("GET /goals.json HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes());
        assert_eq!(status_of(&ok), Some(200), "{host}");
    }
    let redirect =
        String::from_utf8(send_raw(p, b"GET //goals/support/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")).unwrap();
    assert_eq!(status_of(redirect.as_bytes()), Some(301), "{redirect}");
    assert!(redirect.contains("\r\nLocation: /goals/support/tickets/\r\n"), "{redirect}");
}

#[test]
fn an_edit_that_keeps_size_and_modification_time_is_served() {
    let tmp = temp_repo(&[("goals/support/tickets.md", &goal("377"))]);
    let file = tmp.path().join("goals/support/tickets.md");
    let server = serve(tmp.path());
    assert!(get(server.port, PAGE).1.contains("377"));
    let mtime = std::fs::metadata(&file).unwrap().modified().unwrap();
    std::fs::write(&file, goal("611")).unwrap();
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(mtime).unwrap();
    assert_eq!(std::fs::metadata(&file).unwrap().modified().unwrap(), mtime);
    let ((_, page), _) = poll(server.port, PAGE, |_, body| body.contains("611"));
    assert!(!page.contains("377"));
}

/// Peak resident memory of a process, from Linux's /proc.
#[cfg(target_os = "linux")]
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_thousand_hostile_requests_leave_the_server_serving_in_little_memory() {
    let tmp = temp_repo(&[("goals/support/tickets.md", &goal("377"))]);
    let server = serve(tmp.path());
    let port = server.port;
    let big_url = format!("GET /{} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "a".repeat(20 << 20));
    let big_headers = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}\r\n\r\n", "b".repeat(5 << 20));
    let many_headers = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{}\r\n", "X-A: 1\r\n".repeat(5000));
    let kinds: Vec<Vec<u8>> = vec![
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 18446744073709551615\r\n\r\nshort".to_vec(),
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999999999999999\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000000\r\n\r\nshort".to_vec(),
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffff\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello".to_vec(),
        b"GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n".to_vec(),
        b"GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        b"GET /../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        b"GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        b"GET /%ff%fe%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        b"GET /\xff\xfe HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec(),
        b"\x00\x01\x02\x03\r\n\r\n".to_vec(),
        b"GET /\r\n\r\n".to_vec(),
        b"DELETE /goals.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n".to_vec(),
        b"GET /__goalbook/reload?since=x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".to_vec(), // never finished: the server's deadline ends it
        Vec::new(),                                        // connect and close
        many_headers.into_bytes(),
    ];
    let sent = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for t in 0..8 {
            let (kinds, sent) = (&kinds, &sent);
            s.spawn(move || {
                for i in 0..130 {
                    let raw = &kinds[(t * 131 + i) % kinds.len()];
                    let _ = send_raw(port, raw);
                    sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
        // Oversized ones, a few at a time (each is refused after a few KiB).
        for raw in [&big_url, &big_headers] {
            let sent = &sent;
            s.spawn(move || {
                for _ in 0..10 {
                    let back = send_raw(port, raw.as_bytes());
                    assert!(matches!(status_of(&back), None | Some(414) | Some(431)), "{:?}", status_of(&back));
                    sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
        // Clients that stop half-way and wait: the server's deadline closes them.
        for _ in 0..20 {
            let sent = &sent;
            s.spawn(move || {
                if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
                    let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
                    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
                    let mut back = Vec::new();
                    let _ = stream.read_to_end(&mut back);
                }
                sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            });
        }
        // Slow clients: one byte at a time, then gone.
        for _ in 0..20 {
            let sent = &sent;
            s.spawn(move || {
                if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
                    for b in b"GET / HTTP/1.1\r\nHost: 1" {
                        if stream.write_all(&[*b]).is_err() {
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(50));
                    }
                }
                sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            });
        }
    });
    let sent = sent.into_inner();
    assert!(sent >= 1000, "{sent}");
    // Still serving, and correctly.
    let (status, page) = get(port, PAGE);
    assert_eq!(status, 200);
    assert!(page.contains("Answer 900 support tickets in Q4"));
    let (status, json) = get(port, "/goals.json");
    assert_eq!(status, 200);
    assert!(json.contains("\"support/tickets\""));
    let peak = peak_rss_kib(server.child.id());
    assert!(peak < 200 * 1024, "peak memory {} MiB", peak / 1024);
    eprintln!("{sent} hostile requests; peak memory of serve {} MiB", peak / 1024);
}
