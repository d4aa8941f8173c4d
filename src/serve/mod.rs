//! The engine of `goalbook serve`: build, serve on 127.0.0.1, rebuild on change, reload pages.
//!
//! The site is built in memory by the same rendering code as `goalbook build`
//! and then kept up to date incrementally ([`crate::live::Live`]: only changed
//! files are re-read, only pages that can change are rendered again), so
//! serving never touches the build folder. A watcher thread polls the
//! sources (`book.toml`, the goals folder, `templates/`, `themes/`) and
//! rebuilds off the request path. Pages get a small script, added to HTML
//! responses only (never to built files), that long-polls
//! `/__goalbook/reload` and reloads when a new build is ready. While the goals
//! have errors every page shows them, and so does the terminal.
//!
//! `state` is what the server serves, `respond` answers a request from
//! it, `watch` tells which sources a batch of file-system events changed.

mod respond;
mod state;
mod watch;

pub use respond::{error_page, with_reload_script};

use anyhow::{Result, anyhow};
use state::{Shared, Site};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};
use watch::{Change, Snapshot, Sources};

/// How often the sources are checked for changes.
const POLL: Duration = Duration::from_millis(200);
/// How long file-system events must pause before a rebuild starts.
const SETTLE: Duration = Duration::from_millis(10);
/// How long the handouts wait for a newer save before they are rendered again.
const REST_DELAY: Duration = Duration::from_millis(150);
/// Serves the repository at `root` on 127.0.0.1:`port` until Ctrl-C (or SIGTERM).
pub fn serve(root: &Path, port: u16, open: bool, as_of: Option<&str>) -> Result<()> {
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
    let snapshot = if events.is_none() { watched.snapshot() } else { Snapshot::new() };
    let mut live = crate::live::Live::new(&root_abs, as_of);
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
        std::thread::spawn(move || watch(&stop, events, snapshot, watched, live, &shared, &rest))
    };

    {
        let shared = shared.clone();
        server.run(Arc::new(move |request: &crate::http::Request| respond::respond(request, &shared)));
    }
    // A build under way finishes first.
    let _ = watcher.join();
    println!("Stopped.");
    Ok(())
}

/// The watcher thread of [`serve`]: rebuilds on every change of the sources
/// (from file-system events, else by polling snapshots) until `stop`.
fn watch(
    stop: &AtomicBool,
    events: Option<(notify::RecommendedWatcher, Receiver<notify::Result<notify::Event>>)>,
    mut snapshot: Snapshot,
    mut watched: Sources,
    mut live: crate::live::Live,
    shared: &Shared,
    rest: &Sender<(u64, crate::live::RestJob)>,
) {
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
                Change::Goals(paths) => rebuild(&mut live, shared, rest, &mut watched, Some(&paths)),
                Change::Other => rebuild(&mut live, shared, rest, &mut watched, None),
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
        rebuild(&mut live, shared, rest, &mut watched, None);
    }
}

/// Brings the in-memory site up to date (incrementally, see [`crate::live`])
/// and publishes it (or its errors) to the server, then prints the
/// diagnostics and what was rebuilt.
fn rebuild(
    live: &mut crate::live::Live,
    shared: &Shared,
    rest: &Sender<(u64, crate::live::RestJob)>,
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
    live: &mut crate::live::Live,
    shared: &Shared,
    rest: &Sender<(u64, crate::live::RestJob)>,
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
                crate::live::Rebuilt::Full => format!("built {} files", live.files.len()),
                crate::live::Rebuilt::Partial(n) => format!("rebuilt {n} of {} files", live.files.len()),
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
fn rest_worker(shared: Arc<Shared>, jobs: std::sync::mpsc::Receiver<(u64, crate::live::RestJob)>) {
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
