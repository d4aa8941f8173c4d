//! `goalbook serve`: the real binary on a free port, fetched over plain HTTP.
//! An edit is served within 2 seconds (the deadline), a broken goal
//! turns every page into the error page until it is fixed, and Ctrl-C stops
//! the server cleanly.
#![cfg(feature = "serve")]

mod common;
use common::{bin, temp_repo};
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
