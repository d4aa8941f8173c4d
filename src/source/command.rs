//! The value of a command source: `sh -c` in the repository, with a time limit
//! that stops the whole process group.

use super::MAX_BYTES;
use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

/// Kills the process group `child` leads (it was started as its own group).
/// A direct `kill(2)`, not the `kill` program: procps-ng 4.0.2 reads
/// `kill -KILL -31999` as `kill(-3, SIGKILL)` (strace shows it), and a group
/// id starting with 1 as `kill(-1, …)`: every process the user may signal.
fn kill_group(child: &std::process::Child) {
    #[cfg(unix)]
    if let Ok(pid) = libc::pid_t::try_from(child.id())
        && pid > 1
    {
        // SAFETY: kill(2) takes plain integers; -pid names the group only.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    #[cfg(not(unix))]
    let _ = child;
}

/// Runs `run` with `sh -c` in `root`; its stdout, or why it failed.
pub(super) fn run_command(root: &Path, run: &str, limit: Duration) -> Result<String, String> {
    use std::process::{Command, Stdio};
    let mut command = Command::new("sh");
    // Its own process group, so a timeout stops the children of `sh` too.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .arg("-c")
        .arg(run)
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start `sh`: {e}"))?;
    // Pipes are drained on threads so a chatty command cannot block on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(p) = pipe {
                let _ = p.take(MAX_BYTES).read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let err = drain(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= limit => {
                kill_group(&child);
                let _ = child.kill();
                let _ = child.wait();
                // The pipe readers end when the last process holding the pipes
                // is gone; they are not waited for.
                return Err(format!("the command ran longer than {} s and was stopped", limit.as_secs_f64()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("cannot wait for the command: {e}")),
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    if !status.success() {
        let code = status.code().map_or("a signal".to_string(), |c| format!("status {c}"));
        let last = String::from_utf8_lossy(&stderr);
        let last = last.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
        let tail = if last.is_empty() { String::new() } else { format!(": {last}") };
        return Err(format!("the command exited with {code}{tail}"));
    }
    String::from_utf8(stdout).map_err(|_| "the command's output is not UTF-8 text".to_string())
}
