//! File-system calls whose errors name the path (mdBook's `utils::fs`):
//! `failed to read `goals/x.md`: Permission denied`. Call these instead of
//! `std::fs` wherever a failure is reported to the user, so no call site
//! forgets which file it was.

use anyhow::{Context, Result};
use std::fs::File;
use std::path::Path;

/// The bytes of the file at `path`.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("failed to read `{}`", path.display()))
}

/// Writes `bytes` to the file at `path`, replacing what it held.
pub fn write(path: &Path, bytes: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("failed to write `{}`", path.display()))
}

/// Creates (or truncates) the file at `path` for writing.
pub fn create(path: &Path) -> Result<File> {
    File::create(path).with_context(|| format!("failed to create `{}`", path.display()))
}

/// Opens the file (or folder) at `path` for reading.
pub fn open(path: &Path) -> Result<File> {
    File::open(path).with_context(|| format!("failed to open `{}`", path.display()))
}

/// Creates the folder at `path` and every missing parent.
pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).with_context(|| format!("failed to create `{}`", path.display()))
}

/// Creates the folder at `path`; its parent must exist.
pub fn create_dir(path: &Path) -> Result<()> {
    std::fs::create_dir(path).with_context(|| format!("failed to create `{}`", path.display()))
}

/// Whether the folder at `path` holds nothing.
pub fn is_empty_dir(path: &Path) -> Result<bool> {
    Ok(std::fs::read_dir(path).with_context(|| format!("failed to read `{}`", path.display()))?.next().is_none())
}

/// Renames `from` to `to`, replacing a file at `to`.
pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).with_context(|| format!("failed to replace `{}`", to.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("goals").join("x.md");
        let text = |e: anyhow::Error| format!("{e:#}");
        let expect = |verb: &str| format!("failed to {verb} `{}`: ", missing.display());
        assert!(text(read(&missing).unwrap_err()).starts_with(&expect("read")));
        assert!(text(write(&missing, b"x").unwrap_err()).starts_with(&expect("write")));
        assert!(text(create(&missing).unwrap_err()).starts_with(&expect("create")));
        assert!(text(open(&missing).unwrap_err()).starts_with(&expect("open")));
        assert!(text(create_dir(&missing).unwrap_err()).starts_with(&expect("create")));
        assert!(is_empty_dir(&missing).is_err());
        create_dir_all(&missing).unwrap();
        assert!(is_empty_dir(&missing).unwrap());
        let file = dir.path().join("a");
        write(&file, b"x").unwrap();
        assert!(!is_empty_dir(dir.path()).unwrap());
        rename(&file, &dir.path().join("b")).unwrap();
        assert_eq!(read(&dir.path().join("b")).unwrap(), b"x");
    }
}
