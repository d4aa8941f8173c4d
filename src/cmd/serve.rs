//! `goalbook serve`: build, serve on 127.0.0.1, rebuild on change, reload pages.
//!
//! The site is built in memory by the same rendering code as `goalbook build`
//! and then kept up to date incrementally ([`super::live::Live`]: only changed
//! files are re-read, only pages that can change are rendered again), so
//! serving never touches the build folder. A watcher thread polls the
//! sources (`book.toml`, the goals folder, `templates/`, `themes/`) and
//! rebuilds off the request path. Pages get a small script, added to HTML
//! responses only (never to built files), that long-polls
//! `/__goalbook/reload` and reloads when a new build is ready. While the goals
//! have errors every page shows them, and so does the terminal.

use crate::http::Response;
use anyhow::{Result, anyhow};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How often the sources are checked for changes.
const POLL: Duration = Duration::from_millis(200);
/// How long file-system events must pause before a rebuild starts.
const SETTLE: Duration = Duration::from_millis(10);
/// How long the handouts wait for a newer save before they are rendered again.
const REST_DELAY: Duration = Duration::from_millis(150);
/// How long a reload request waits for a new build before answering anyway.
const LONG_POLL: Duration = Duration::from_secs(25);
const RELOAD_PATH: &str = "/__goalbook/reload";

/// What the server currently serves.
struct Site {
    /// Bumped on every build, failed or not; pages reload when it changes.
    generation: u64,
    /// Files of the last successful build, by `/`-separated path.
    files: Arc<HashMap<String, Arc<Vec<u8>>>>,
    /// Problems of the last build; when set, HTML requests get the error page.
    errors: Option<Vec<String>>,
    /// The handouts and goals.json are being rendered again; their requests wait for them.
    handouts_pending: bool,
    /// Counts the handout jobs started; only the latest one's result is used.
    rest_seq: u64,
}

struct Shared {
    site: Mutex<Site>,
    rebuilt: Condvar,
}

/// Serves the repository at `root` until Ctrl-C (or SIGTERM); returns exit code 0.
pub fn run(root: &Path, port: u16, open: bool, as_of: Option<&str>) -> Result<i32> {
    if !root.is_dir() {
        anyhow::bail!("`{}` is not a folder", root.display());
    }
    // Fail early on a bad --as-of rather than on every rebuild.
    crate::resolve_as_of_for(as_of, root)?;
    let server = crate::http::Server::bind(port, crate::http::Limits::default()).map_err(|e| {
        anyhow!("cannot listen on 127.0.0.1:{port}: {e}; is another server using it? choose another with --port")
    })?;
    let port = server.port();

    let shared = Arc::new(Shared {
        site: Mutex::new(Site {
            generation: 0,
            files: Arc::new(HashMap::new()),
            errors: None,
            handouts_pending: false,
            rest_seq: 0,
        }),
        rebuilt: Condvar::new(),
    });
    // Absolute, so paths in file-system events compare with the files read.
    let root_abs = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut watched = Sources::new(&root_abs);
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let events = notify::recommended_watcher(tx).and_then(|mut w| {
        notify::Watcher::watch(&mut w, &root_abs, notify::RecursiveMode::Recursive)?;
        Ok(w)
    });
    let events = match events {
        Ok(w) => Some((w, rx)),
        Err(e) => {
            eprintln!("note: cannot watch the files for changes ({e}); checking them every {} ms", POLL.as_millis());
            None
        }
    };
    let mut snapshot = if events.is_none() { watched.snapshot() } else { Snapshot::new() };
    let mut live = super::live::Live::new(&root_abs, as_of);
    let (rest, jobs) = std::sync::mpsc::channel();
    {
        let shared = shared.clone();
        std::thread::spawn(move || rest_worker(shared, jobs));
    }
    rebuild(&mut live, &shared, &rest, &mut watched, None);

    let url = format!("http://127.0.0.1:{port}/");
    println!("Serving {} on {url} (Ctrl-C to stop)", root.display());
    if open {
        open_browser(&url);
    }

    let stop = Arc::new(AtomicBool::new(false));
    {
        let (stop, server) = (stop.clone(), server.stopper());
        ctrlc::set_handler(move || {
            stop.store(true, Ordering::SeqCst);
            server.stop();
        })
        .map_err(|e| anyhow!("cannot handle Ctrl-C: {e}"))?;
    }
    let watcher = {
        let (stop, shared) = (stop.clone(), shared.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                if let Some((_watcher, rx)) = &events {
                    let first = match rx.recv_timeout(POLL) {
                        Ok(e) => e,
                        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
                        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                    };
                    // Let an editor finish writing (save = write temp + rename).
                    let mut batch = vec![first];
                    while let Ok(e) = rx.recv_timeout(SETTLE) {
                        batch.push(e);
                    }
                    match watched.classify(&batch) {
                        Change::None => {}
                        Change::Goals(paths) => rebuild(&mut live, &shared, &rest, &mut watched, Some(&paths)),
                        Change::Other => rebuild(&mut live, &shared, &rest, &mut watched, None),
                    }
                    continue;
                }
                std::thread::sleep(POLL);
                let now = watched.snapshot();
                if now == snapshot {
                    continue;
                }
                std::thread::sleep(Duration::from_millis(50));
                snapshot = watched.snapshot();
                rebuild(&mut live, &shared, &rest, &mut watched, None);
            }
        })
    };

    {
        let shared = shared.clone();
        server.run(Arc::new(move |request: &crate::http::Request| respond(request, &shared)));
    }
    // A build under way finishes first.
    let _ = watcher.join();
    println!("Stopped.");
    Ok(0)
}

/// Brings the in-memory site up to date (incrementally, see [`super::live`])
/// and publishes it (or its errors) to the server, then prints the
/// diagnostics and what was rebuilt.
fn rebuild(
    live: &mut super::live::Live,
    shared: &Shared,
    rest: &std::sync::mpsc::Sender<(u64, super::live::RestJob)>,
    watched: &mut Sources,
    hint: Option<&[PathBuf]>,
) {
    let done = publish(live, shared, rest, watched, hint);
    eprint!("{}", live.take_report());
    eprintln!("{done}");
}

/// [`rebuild`] up to the printing, which waits until the site is served;
/// returns the line that says what was rebuilt.
fn publish(
    live: &mut super::live::Live,
    shared: &Shared,
    rest: &std::sync::mpsc::Sender<(u64, super::live::RestJob)>,
    watched: &mut Sources,
    hint: Option<&[PathBuf]>,
) -> String {
    let started = Instant::now();
    let result = live.update_pages_hinted(hint);
    watched.goals_dir = live.goals_dir().to_string();
    let mut site = match shared.site.lock() {
        Ok(s) => s,
        Err(poisoned) => poisoned.into_inner(),
    };
    site.generation += 1;
    // Any handout job still running is now out of date.
    site.rest_seq += 1;
    site.handouts_pending = result.is_ok() && live.rest_stale();
    let done = match result {
        Ok(rebuilt) => {
            let what = match rebuilt {
                super::live::Rebuilt::Full => format!("built {} files", live.files.len()),
                super::live::Rebuilt::Partial(n) => format!("rebuilt {n} of {} files", live.files.len()),
            };
            site.files = Arc::new(live.files.clone());
            site.errors = None;
            format!("{what} in {} ms", started.elapsed().as_millis())
        }
        Err(errors) => {
            site.errors = Some(errors);
            "build failed; the pages show the errors until they are fixed".to_string()
        }
    };
    shared.rebuilt.notify_all();
    if !site.handouts_pending {
        return done;
    }
    // The handouts (each lists a whole period) and goals.json come after
    // the reload is told, on another thread ([`rest_worker`]), so the next
    // save is not held up: requests for them wait until they are ready.
    let Some(job) = live.rest_job() else {
        site.handouts_pending = false;
        return done;
    };
    let _ = rest.send((site.rest_seq, job));
    done
}

/// The thread that renders the handouts and goals.json after the pages
/// (see [`rebuild`]): one job at a time, on one thread (so a core keeps
/// answering), always the newest; a job made out of date meanwhile is dropped.
fn rest_worker(shared: Arc<Shared>, jobs: std::sync::mpsc::Receiver<(u64, super::live::RestJob)>) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().ok();
    while let Ok(mut next) = jobs.recv() {
        // Saves often come in bursts: take the newest job of the burst.
        while let Ok(newer) = jobs.recv_timeout(REST_DELAY) {
            next = newer;
        }
        let (seq, job) = next;
        if shared.site.lock().map_or(true, |s| s.rest_seq != seq) {
            continue;
        }
        let started = Instant::now();
        let result = match &pool {
            Some(pool) => pool.install(|| job.run()),
            None => job.run(),
        };
        let mut site = match shared.site.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        if site.rest_seq != seq {
            continue;
        }
        match result {
            Ok(files) => {
                eprintln!("rebuilt the handouts in {} ms", started.elapsed().as_millis());
                let mut all = (*site.files).clone();
                all.extend(files.into_iter().map(|(k, v)| (k, Arc::new(v))));
                site.files = Arc::new(all);
            }
            Err(errors) => site.errors = Some(errors),
        }
        site.handouts_pending = false;
        shared.rebuilt.notify_all();
    }
}

/// The sources a build reads, for change detection by content.
struct Sources {
    root: PathBuf,
    goals_dir: String,
}

/// Each source's content hash and size (by content, not modification time).
type Snapshot = BTreeMap<PathBuf, (Option<u64>, u64)>;

/// What a batch of file-system events changed.
enum Change {
    /// Nothing a build reads.
    None,
    /// Only these goal files (`*.md` under the goals folder).
    Goals(Vec<PathBuf>),
    /// Something else a build reads (`book.toml`, templates, themes, folders).
    Other,
}

impl Sources {
    fn new(root: &Path) -> Sources {
        let goals_dir = crate::load::read_config(root).map(|(c, _)| c.goals_dir).unwrap_or_else(|_| "goals".into());
        Sources { root: root.to_path_buf(), goals_dir }
    }

    fn classify(&self, events: &[notify::Result<notify::Event>]) -> Change {
        let mut goals: Vec<PathBuf> = Vec::new();
        for event in events {
            let Ok(event) = event else { return Change::Other };
            if matches!(event.kind, notify::EventKind::Access(_)) {
                continue;
            }
            for p in &event.paths {
                let Ok(rel) = p.strip_prefix(&self.root) else { continue };
                if rel == Path::new("book.toml") || rel.starts_with("templates") || rel.starts_with("themes") {
                    return Change::Other;
                }
                if !rel.starts_with(&self.goals_dir) {
                    continue;
                }
                if p.extension().is_some_and(|e| e == "md") {
                    if !goals.contains(p) {
                        goals.push(p.clone());
                    }
                } else if p.is_dir() || (!p.exists() && p.extension().is_none()) {
                    // A folder came, went or moved: its goal files with it.
                    return Change::Other;
                }
            }
        }
        if goals.is_empty() { Change::None } else { Change::Goals(goals) }
    }

    fn snapshot(&self) -> Snapshot {
        let mut out = Snapshot::new();
        for top in ["book.toml", self.goals_dir.as_str(), "templates", "themes"] {
            for entry in walkdir::WalkDir::new(self.root.join(top)).into_iter().flatten() {
                if let Ok(meta) = entry.metadata() {
                    let hash = if meta.is_file() {
                        std::fs::read(entry.path()).ok().map(|b| super::live::content_hash(&b))
                    } else {
                        None
                    };
                    out.insert(entry.path().to_path_buf(), (hash, meta.len()));
                }
            }
        }
        out
    }
}

fn respond(request: &crate::http::Request, shared: &Shared) -> Response {
    let url = request.target.as_str();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    if path == RELOAD_PATH {
        let since: Option<u64> = query.split('&').find_map(|kv| kv.strip_prefix("since=")).and_then(|v| v.parse().ok());
        let generation = wait_for_build(shared, since);
        return Response::text(200, &generation.to_string()).with_header("Cache-Control", "no-store");
    }
    let Some(rel) = decode_path(path) else {
        return Response::text(400, "bad path");
    };
    let (generation, files, errors) = {
        let mut site = match shared.site.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        if rel.starts_with("handouts/") || rel == "goals.json" {
            site = match shared.rebuilt.wait_timeout_while(site, LONG_POLL, |s| s.handouts_pending) {
                Ok((s, _)) => s,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        (site.generation, site.files.clone(), site.errors.clone())
    };
    let rel = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel };
    let found = files.get(&rel);
    if found.is_none() && files.contains_key(&format!("{rel}/index.html")) {
        // Relative links need the trailing slash. The location is built from
        // the decoded path (leading slashes dropped), so `//host` cannot
        // send the browser to another host.
        return Response::text(301, "").with_header("Location", &redirect_location(&rel));
    }
    let is_html = rel.ends_with(".html") || (found.is_none() && !rel.rsplit('/').next().unwrap_or("").contains('.'));
    if let (Some(errors), true) = (&errors, is_html) {
        return html_response(500, &error_page(errors), generation);
    }
    match found {
        Some(bytes) if rel.ends_with(".html") => html_response(200, &String::from_utf8_lossy(bytes), generation),
        Some(bytes) => Response::new(200, content_type(&rel), bytes.clone()).with_header("Cache-Control", "no-store"),
        None => match files.get("404.html") {
            Some(page) => html_response(404, &String::from_utf8_lossy(page), generation),
            None => html_response(404, "<!doctype html><title>Not found</title><h1>Not found</h1>", generation),
        },
    }
}

/// `/<rel>/`, percent-encoded: always a path on this server.
fn redirect_location(rel: &str) -> String {
    let mut out = String::from("/");
    for b in rel.trim_start_matches('/').bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.push('/');
    out
}

/// Waits until the generation differs from `since` (or the long poll times out).
fn wait_for_build(shared: &Shared, since: Option<u64>) -> u64 {
    let site = match shared.site.lock() {
        Ok(s) => s,
        Err(poisoned) => poisoned.into_inner(),
    };
    let site = match shared.rebuilt.wait_timeout_while(site, LONG_POLL, |s| Some(s.generation) == since) {
        Ok((s, _)) => s,
        Err(poisoned) => poisoned.into_inner().0,
    };
    site.generation
}

fn html_response(status: u16, html: &str, generation: u64) -> Response {
    Response::new(status, "text/html; charset=utf-8", with_reload_script(html, generation).into_bytes())
        .with_header("Cache-Control", "no-store")
}

/// Adds the live-reload script before `</body>` (or at the end).
pub fn with_reload_script(html: &str, generation: u64) -> String {
    let script = format!(
        "<script>(function(){{var g={generation};function wait(){{fetch(\"{RELOAD_PATH}?since=\"+g,{{cache:\"no-store\"}})\
.then(function(r){{return r.text()}}).then(function(t){{if(Number(t)!==g){{location.reload()}}else{{wait()}}}})\
.catch(function(){{setTimeout(wait,1000)}})}}wait()}})();</script>"
    );
    match html.to_ascii_lowercase().rfind("</body>") {
        Some(at) => format!("{}{script}{}", &html[..at], &html[at..]),
        None => format!("{html}{script}"),
    }
}

/// The page every HTML request gets while the goals have errors.
pub fn error_page(errors: &[String]) -> String {
    let mut items = String::new();
    for e in errors {
        items.push_str(&format!("<li><code>{}</code></li>\n", crate::render::theme::escape_html(e)));
    }
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>goalbook: the goals have errors</title>\n\
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}}\
h1{{color:#b42318}}li{{margin:.4rem 0}}code{{white-space:pre-wrap;overflow-wrap:anywhere}}</style></head>\n\
<body>\n<h1>The goals have errors</h1>\n<p>Fix these and this page reloads by itself.</p>\n<ul class=\"goalbook-errors\">\n{items}</ul>\n</body>\n</html>\n"
    )
}

/// The site path of a request path: percent-decoded, without the leading
/// `/`; `None` for paths that try to leave the site.
fn decode_path(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    let rel = decoded.trim_start_matches('/');
    if rel.split('/').any(|s| s == ".." || s == "." || s.contains('\\')) {
        return None;
    }
    Some(rel.to_string())
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "pdf" => "application/pdf",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Opens `url` in the default browser; failures are ignored (the URL is printed).
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let _ = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::header_value;

    #[test]
    fn paths_decode_and_stay_inside() {
        assert_eq!(decode_path("/goals/a%20b/index.html").as_deref(), Some("goals/a b/index.html"));
        assert_eq!(decode_path("/").as_deref(), Some(""));
        assert_eq!(decode_path("/../etc/passwd"), None);
        assert_eq!(decode_path("/%2e%2e/x"), None);
        assert_eq!(decode_path("/a%2"), Some("a%2".to_string()));
        assert_eq!(decode_path("/a%zz"), None);
    }

    #[test]
    fn script_goes_before_body_end() {
        let html = with_reload_script("<html><body><p>x</p></BODY></html>", 3);
        assert!(html.starts_with("<html><body><p>x</p><script>(function(){var g=3;"));
        assert!(html.ends_with("</script></BODY></html>"));
    }

    #[test]
    fn headers_carry_any_path() {
        assert_eq!(header_value("/mục-tiêu/"), "/m%E1%BB%A5c-ti%C3%AAu/");
        assert_eq!(redirect_location("mục tiêu"), "/m%E1%BB%A5c%20ti%C3%AAu/");
        assert_eq!(redirect_location("//evil.example/teams"), "/evil.example/teams/");
    }

    #[test]
    fn error_page_escapes() {
        let page = error_page(&["goals/a.md:2: error[parse]: bad <b>&</b>".into()]);
        assert!(page.contains("<li><code>goals/a.md:2: error[parse]: bad &lt;b&gt;&amp;&lt;/b&gt;</code></li>"));
        assert!(!page.contains("<b>"));
    }
}
