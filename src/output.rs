//! Writing the build folder safely: build into a fresh folder, then swap.
//!
//! A failed build leaves the previous output exactly as it was, and goalbook
//! refuses a build folder that is, or holds, the repository's own sources.

use anyhow::{Context, Result, bail};
use std::path::{Component, Path, PathBuf};

/// File written into every build folder, so goalbook only ever replaces a
/// folder it made itself.
pub const MARKER: &str = ".goalbook";

/// What the marker file says to a person who opens it.
pub const MARKER_TEXT: &str = "This folder is written by goalbook build and replaced on every build.\n";

/// Makes `p` absolute and removes `.`/`..` lexically, resolving symlinks of
/// the part that exists.
pub fn normalize(p: &Path) -> Result<PathBuf> {
    let abs = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir()?.join(p) };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve symlinks on the longest existing prefix.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_os_string()),
            None => break,
        }
        existing.pop();
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    Ok(resolved)
}

/// Refuses a build folder that is the root, a source folder, or holds one.
pub fn check_build_dir(root: &Path, dest: &Path, sources: &[&str]) -> Result<()> {
    let root = normalize(root)?;
    let dest = normalize(dest)?;
    let mut protected = vec![root.clone()];
    protected.extend(sources.iter().map(|s| root.join(s)));
    for p in &protected {
        if p.starts_with(&dest) {
            bail!(
                "refusing to build into `{}`: it is or holds `{}`, which the build would delete; set `[build] build-dir` to a folder of its own, like \"book\"",
                dest.display(),
                p.display()
            );
        }
        if p != &root && dest.starts_with(p) {
            bail!(
                "refusing to build into `{}`: it is inside the source folder `{}`; set `[build] build-dir` to a folder of its own, like \"book\"",
                dest.display(),
                p.display()
            );
        }
    }
    if dest.exists() {
        if !dest.is_dir() {
            bail!("refusing to build into `{}`: it is a file, not a folder", dest.display());
        }
        let empty = crate::fs::is_empty_dir(&dest)?;
        if !empty && !dest.join(MARKER).exists() {
            bail!(
                "refusing to replace `{}`: it is not empty and goalbook did not make it; remove it yourself or choose another build folder",
                dest.display()
            );
        }
    }
    Ok(())
}

/// Runs `write` into a fresh sibling folder of `dest`, then swaps it in.
/// On error the staging folder is removed and `dest` is untouched.
///
/// The staging folder has a fixed name (`.book.goalbook-new`), so the folders
/// of a build that was killed are removed by the next one instead of piling
/// up; a lock on the parent folder keeps two builds from sharing them. On
/// Linux the swap is one atomic exchange of the two folders: at every moment
/// `dest` is the old site or the complete new one.
pub fn replace_dir(dest: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let dest = normalize(dest)?;
    let parent = dest.parent().context("the build folder has no parent folder")?;
    let name = dest.file_name().context("the build folder has no name")?.to_string_lossy().into_owned();
    crate::fs::create_dir_all(parent)?;
    let lock = crate::fs::open(parent)?;
    lock.lock().with_context(|| format!("failed to lock `{}` for the build", parent.display()))?;
    let staging = parent.join(format!(".{name}.goalbook-new"));
    let old = parent.join(format!(".{name}.goalbook-old"));
    restore_locked(&dest, &old)?;
    for p in [&staging, &old] {
        if p.symlink_metadata().is_ok() {
            remove_any(p)?;
        }
    }
    crate::fs::create_dir(&staging)?;
    let result = write(&staging).and_then(|()| {
        std::fs::write(staging.join(MARKER), MARKER_TEXT)
            .with_context(|| format!("failed to write into `{}`", staging.display()))
    });
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if dest.exists() && exchange(&staging, &dest)? {
        // `staging` now holds the previous build.
        return remove_any(&staging)
            .with_context(|| format!("failed to remove the previous build of `{}`", dest.display()));
    }
    let had_old = dest.exists();
    if had_old {
        std::fs::rename(&dest, &old)
            .with_context(|| format!("failed to move the previous `{}` aside", dest.display()))?;
    }
    if let Err(e) = std::fs::rename(&staging, &dest) {
        if had_old {
            let _ = std::fs::rename(&old, &dest);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e).with_context(|| format!("failed to move the new build into `{}`", dest.display()));
    }
    if had_old {
        remove_any(&old).with_context(|| format!("failed to remove the previous build `{}`", old.display()))?;
    }
    Ok(())
}

/// Puts back the previous build when a build was killed between the two
/// renames of the fallback swap (the old site aside, no `dest`).
pub fn restore(dest: &Path) -> Result<()> {
    let dest = normalize(dest)?;
    let (Some(parent), Some(name)) = (dest.parent(), dest.file_name()) else { return Ok(()) };
    let old = parent.join(format!(".{}.goalbook-old", name.to_string_lossy()));
    if !old.exists() {
        return Ok(());
    }
    let lock = crate::fs::open(parent)?;
    lock.lock().with_context(|| format!("failed to lock `{}` for the build", parent.display()))?;
    restore_locked(&dest, &old)
}

fn restore_locked(dest: &Path, old: &Path) -> Result<()> {
    if dest.symlink_metadata().is_err() && old.join(MARKER).exists() {
        std::fs::rename(old, dest).with_context(|| format!("failed to restore `{}`", dest.display()))?;
    }
    Ok(())
}

/// Removes a folder (or a file or symlink in its place) without following links.
fn remove_any(p: &Path) -> Result<()> {
    let is_dir = p.symlink_metadata().map(|m| m.is_dir()).unwrap_or(false);
    let r = if is_dir { std::fs::remove_dir_all(p) } else { std::fs::remove_file(p) };
    r.with_context(|| format!("failed to remove `{}`", p.display()))
}

/// Swaps two folders atomically (Linux `renameat2(RENAME_EXCHANGE)`); `false`
/// when the file system or platform cannot, so the caller renames in two steps.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> Result<bool> {
    use std::os::unix::ffi::OsStrExt;
    let ca = std::ffi::CString::new(a.as_os_str().as_bytes()).context("a path holds a NUL byte")?;
    let cb = std::ffi::CString::new(b.as_os_str().as_bytes()).context("a path holds a NUL byte")?;
    // SAFETY: both are valid NUL-terminated paths; AT_FDCWD is ignored for absolute paths.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(true);
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::ENOSYS) | Some(libc::EINVAL) | Some(libc::ENOTSUP) => Ok(false),
        _ => Err(err).with_context(|| format!("failed to swap the new build into `{}`", b.display())),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> Result<bool> {
    Ok(false)
}

/// Writes `bytes` to `dir/rel`, creating folders.
pub fn write_file(dir: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let path = dir.join(rel);
    if let Some(p) = path.parent() {
        crate::fs::create_dir_all(p)?;
    }
    crate::fs::write(&path, bytes)
}
