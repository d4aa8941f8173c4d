//! PDF printing through headless Chromium, for `goalbook handout --pdf`.
//!
//! goalbook draws nothing itself here: the handout is HTML laid out with CSS
//! `@page` (paper size, margins, running header, page numbers), and a real
//! browser prints it, so the PDF is exactly what a reader's browser prints.
//! Chromium is `GOALBOOK_CHROMIUM` when set, else the first of
//! [`BROWSER_NAMES`] on `PATH`. Each run uses a fresh, throw-away profile and
//! no network, so printing is repeatable and leaves nothing behind.

use anyhow::{Context, Result, anyhow, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The environment variable that names the browser to print with.
pub const ENV: &str = "GOALBOOK_CHROMIUM";
/// Browser programs looked for on `PATH`, in this order.
pub const BROWSER_NAMES: [&str; 4] = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
/// How long a print may take before the browser is stopped. Printing a
/// handout takes seconds; this only guards against a browser that hangs.
const TIMEOUT: Duration = Duration::from_secs(300);

const INSTALL_HINT: &str = "install Chromium (`sudo apt-get install chromium` on Debian and Ubuntu, \
`brew install --cask chromium` on macOS) or set GOALBOOK_CHROMIUM to the path of Chromium or Google Chrome";

/// The browser to print with: `GOALBOOK_CHROMIUM` (a path, or a name looked
/// up on `PATH`), else the first of [`BROWSER_NAMES`] found on `PATH`.
pub fn find_chromium() -> Result<PathBuf> {
    if let Some(value) = std::env::var_os(ENV).filter(|v| !v.is_empty()) {
        let p = PathBuf::from(&value);
        let found = if p.components().count() == 1 { which(&value) } else { is_executable(&p).then(|| p.clone()) };
        return found.ok_or_else(|| {
            anyhow!(
                "{ENV} is set to `{}`, which is not an executable file; point it at Chromium or Chrome \
                 (e.g. GOALBOOK_CHROMIUM=/usr/bin/chromium), or unset it and {INSTALL_HINT}",
                p.display()
            )
        });
    }
    for name in BROWSER_NAMES {
        if let Some(p) = which(std::ffi::OsStr::new(name)) {
            return Ok(p);
        }
    }
    bail!("no Chromium found to print the PDF (looked for {} on PATH): {INSTALL_HINT}", BROWSER_NAMES.join(", "))
}

fn which(name: &std::ffi::OsStr) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).filter(|d| !d.as_os_str().is_empty()).map(|d| d.join(name)).find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(p) else { return false };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// A folder under the system temp folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(prefix: &str) -> Result<TempDir> {
        let base = std::env::temp_dir();
        let pid = std::process::id();
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        for attempt in 0..100u32 {
            let dir = base.join(format!("{prefix}-{pid}-{nanos:x}-{attempt}"));
            match std::fs::create_dir(&dir) {
                Ok(()) => return Ok(TempDir(dir)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e).with_context(|| format!("failed to create `{}`", dir.display())),
            }
        }
        bail!("failed to create a temporary folder in `{}`", base.display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A `file://` URL of an absolute path, percent-encoded.
pub fn file_url(path: &Path) -> String {
    let mut out = String::from("file://");
    let text = path.to_string_lossy();
    let text = text.replace('\\', "/");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Prints `html` (a whole, self-contained document) to the PDF file `pdf`
/// with the browser `chromium`.
pub fn print_html(chromium: &Path, html: &str, pdf: &Path) -> Result<()> {
    let work = TempDir::new("goalbook-print")?;
    let page = work.0.join("handout.html");
    crate::fs::write(&page, html)?;
    print_file(chromium, &page, pdf, &work.0)
}

fn print_file(chromium: &Path, html: &Path, pdf: &Path, work: &Path) -> Result<()> {
    let out = std::path::absolute(pdf).with_context(|| format!("bad output path `{}`", pdf.display()))?;
    if let Some(dir) = out.parent() {
        crate::fs::create_dir_all(dir)?;
    }
    // Printed into the work folder, then put in place by the one writer: a
    // failed or killed print leaves the previous PDF as it was.
    let printed_path = work.join("handout.pdf");
    let profile = work.join("profile");
    let log_path = work.join("chromium.log");
    let log = std::fs::File::create(&log_path).with_context(|| format!("failed to write `{}`", log_path.display()))?;
    let log_err = log.try_clone().context("failed to open the browser log")?;
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", printed_path.display()))
        .arg(file_url(html))
        .stdin(Stdio::null())
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(log_err))
        .spawn()
        .with_context(|| format!("failed to start `{}`; {INSTALL_HINT}", chromium.display()))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().context("failed to wait for the browser")? {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            bail!("`{}` did not finish printing within {} s", chromium.display(), TIMEOUT.as_secs());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let printed = std::fs::read(&printed_path).ok().filter(|b| b.starts_with(b"%PDF-"));
    if let (true, Some(bytes)) = (status.success(), printed) {
        return crate::write::write_atomic(&out, &bytes);
    }
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    let tail: Vec<&str> = log.lines().rev().take(15).collect::<Vec<_>>().into_iter().rev().collect();
    bail!(
        "`{}` failed to print `{}` ({status}){}",
        chromium.display(),
        out.display(),
        if tail.is_empty() { String::new() } else { format!(":\n{}", tail.join("\n")) }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_percent_encoded() {
        assert_eq!(file_url(Path::new("/tmp/a b/h#1.html")), "file:///tmp/a%20b/h%231.html");
        assert_eq!(file_url(Path::new("/tmp/Mục tiêu.html")), "file:///tmp/M%E1%BB%A5c%20ti%C3%AAu.html");
    }
}
