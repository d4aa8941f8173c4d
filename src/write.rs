//! The one writer for every change goalbook makes to a file in a repository
//! (`checkin`, `pull`, `handout --pdf`): never half a file, never a lost edit.
//!
//! Like git with `index.lock`: the new content goes into a temporary file in
//! the same folder, is synced, and is renamed over the original, so a crash or
//! a kill leaves either the old file or the new one (and at worst a hidden
//! `.name.goalbook-tmp-…` file beside it). [`edit_file`] also holds an
//! advisory lock on the file while it reads, edits and replaces it, so two
//! goalbook processes editing one file both land. It is not for the build
//! folder (that is [`crate::output`], which swaps whole folders).

use anyhow::{Context, Result};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Reads `path` under an exclusive advisory lock, calls `edit` with its text,
/// and when `edit` returns `Some(new)` replaces the file with `new` atomically
/// (keeping its permissions). Returns whether it wrote. Every I/O error names
/// the path; an error of `edit` is returned as it is. On any error the file is
/// unchanged.
pub fn edit_file(path: &Path, edit: impl FnOnce(&str) -> Result<Option<String>>) -> Result<bool> {
    let file = lock(path)?;
    remove_leftovers(path);
    let result = (|| {
        let bytes = crate::fs::read(path)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("`{}` is not UTF-8 text; save it as UTF-8", path.display()))?;
        // An error of `edit` is the caller's refusal, already worded for the user.
        match edit(&text)? {
            Some(new) if new != text => write_atomic(path, new.as_bytes()).map(|()| true),
            _ => Ok(false),
        }
    })();
    let _ = file.unlock();
    result
}

/// Opens `path` and locks it exclusively. The lock is on the file itself (no
/// lock file is left in the user's repository), so after waiting for it the
/// path is checked to still name the locked file: a writer before us renamed
/// a new file over it, and the lock must then be taken on that one.
fn lock(path: &Path) -> Result<File> {
    loop {
        let file = File::open(path).with_context(|| format!("failed to read `{}`", path.display()))?;
        file.lock().with_context(|| format!("failed to lock `{}`", path.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let held = file.metadata().with_context(|| format!("failed to read `{}`", path.display()))?;
            match std::fs::metadata(path) {
                Ok(now) if now.dev() == held.dev() && now.ino() == held.ino() => return Ok(file),
                Ok(_) => continue,
                Err(e) => return Err(e).with_context(|| format!("failed to read `{}`", path.display())),
            }
        }
        #[cfg(not(unix))]
        return Ok(file);
    }
}

/// Replaces (or creates) `path` with `bytes` atomically: a temporary file in
/// the same folder, synced, renamed over `path`, then the folder synced. An
/// existing file's permissions are kept. On error `path` is unchanged and the
/// temporary file is removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    // Unique per process and call, so two writers never share a temporary file.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = sibling(path, &format!("tmp-{}-{n}", std::process::id()))?;
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)
            .with_context(|| format!("failed to create `{}` to write `{}`", tmp.display(), path.display()))?;
        if let Ok(meta) = std::fs::metadata(path) {
            file.set_permissions(meta.permissions())
                .with_context(|| format!("failed to copy the permissions of `{}`", path.display()))?;
        }
        file.write_all(bytes).with_context(|| format!("failed to write `{}`", tmp.display()))?;
        file.sync_all().with_context(|| format!("failed to sync `{}`", tmp.display()))?;
        drop(file);
        crate::fs::rename(&tmp, path)?;
        sync_folder(path);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Removes the temporary files that killed writers left anywhere under `dir`
/// (a build calls it on the goals folder). A file whose writer may still be
/// running is left: its original is locked by that writer.
pub fn remove_stale_temp_files(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir).max_depth(crate::load::MAX_DEPTH + 1).into_iter().flatten() {
        let name = entry.file_name().to_string_lossy();
        let Some(original) = name.strip_prefix('.').and_then(|n| n.split_once(".goalbook-tmp-")).map(|(o, _)| o) else {
            continue;
        };
        let original = entry.path().with_file_name(original);
        let free = match File::open(&original) {
            Ok(f) => {
                let free = f.try_lock().is_ok();
                if free {
                    let _ = f.unlock();
                }
                free
            }
            // The original is gone: nothing can be writing it.
            Err(_) => true,
        };
        if free {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Removes the temporary files a killed writer of `path` left beside it.
/// Called under the lock, so no other writer of `path` is using one.
fn remove_leftovers(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else { return };
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let prefix = format!(".{}.goalbook-tmp-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// `.name.goalbook-<what>` beside `path`.
fn sibling(path: &Path, what: &str) -> Result<PathBuf> {
    let name = path.file_name().with_context(|| format!("`{}` is not a file path", path.display()))?;
    let mut hidden = std::ffi::OsString::from(".");
    hidden.push(name);
    hidden.push(format!(".goalbook-{what}"));
    Ok(path.with_file_name(hidden))
}

/// Makes the rename itself durable (POSIX: sync the folder). Best effort:
/// some file systems refuse to open a folder for syncing.
fn sync_folder(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_writes_only_on_some_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("g.md");
        std::fs::write(&p, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        assert!(!edit_file(&p, |_| Ok(None)).unwrap());
        assert!(edit_file(&p, |t| Ok(Some(format!("{t}+new")))).unwrap());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old+new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o640);
        }
        let err = edit_file(&p, |_| anyhow::bail!("nope")).unwrap_err();
        assert_eq!(format!("{err:#}"), "nope");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old+new");
        let missing = dir.path().join("missing.md");
        assert!(format!("{:#}", edit_file(&missing, |_| Ok(None)).unwrap_err()).contains("missing.md"));
        // A killed writer's temporary file is removed by the next edit.
        std::fs::write(dir.path().join(".g.md.goalbook-tmp-1-0"), "half").unwrap();
        assert!(!edit_file(&p, |_| Ok(None)).unwrap());
        // No temporary file is left beside it.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("tmp"))
            .collect();
        assert!(names.is_empty(), "{names:?}");
    }

    #[test]
    fn parallel_edits_all_land() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("g.md");
        std::fs::write(&p, "").unwrap();
        std::thread::scope(|s| {
            for i in 0..20 {
                let p = &p;
                s.spawn(move || edit_file(p, |t| Ok(Some(format!("{t}{i}\n")))).unwrap());
            }
        });
        let text = std::fs::read_to_string(&p).unwrap();
        let mut lines: Vec<u32> = text.lines().map(|l| l.parse().unwrap()).collect();
        lines.sort();
        assert_eq!(lines, (0..20).collect::<Vec<_>>());
    }
}
