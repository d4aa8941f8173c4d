//! Reading a goals repository from disk: `book.toml` and the goal files.
//!
//! This is the only stage that touches the disk on the way in; it returns raw
//! text with enough position information for true line numbers. It does not
//! interpret any field (that is [`crate::model`]).

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// One goal file as read from disk.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to the repository root, `/`-separated (`goals/a/b.md`).
    pub rel: String,
    /// The id the path gives (`a/b`), before any explicit `id`.
    pub path_id: String,
    /// File text without BOM; `None` when it was not UTF-8.
    pub text: Option<String>,
}

/// A goal file split at its `+++` lines.
#[derive(Debug, PartialEq)]
pub struct Split<'a> {
    /// The TOML between the `+++` lines.
    pub front: &'a str,
    /// Byte offset of `front` in the file text, for line numbers.
    pub front_offset: usize,
    pub body: &'a str,
}

/// Splits `+++` front matter from the body. The TOML slice starts right after
/// the opening line, so its spans map to file lines (the Zola approach).
pub fn split_front_matter(text: &str) -> Result<Split<'_>, (u32, String)> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Err((
            1,
            "a goal file must start with a `+++` line, then TOML front matter, then a closing `+++` line".into(),
        ));
    }
    let front_offset = first.len();
    let mut pos = front_offset;
    for (i, line) in lines.enumerate() {
        if line.trim_end() == "+++" {
            return Ok(Split { front: &text[front_offset..pos], front_offset, body: &text[pos + line.len()..] });
        }
        pos += line.len();
        let _ = i;
    }
    Err((
        1,
        "the front matter opened by `+++` on line 1 is never closed; add a `+++` line after the last TOML line".into(),
    ))
}

/// Reads `book.toml` from `root`; a missing file means all defaults.
pub fn read_config(root: &Path) -> Result<(Config, Vec<Diagnostic>)> {
    let path = root.join("book.toml");
    if !path.exists() {
        return Ok((Config::default(), Vec::new()));
    }
    let bytes = std::fs::read(&path).with_context(|| format!("failed to read `{}`", path.display()))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Config::parse("book.toml", &text)),
        Err(_) => Ok((
            Config::default(),
            vec![Diagnostic::new(Code::Parse, "book.toml", 1, "book.toml is not UTF-8 text; save it as UTF-8")],
        )),
    }
}

/// Reads every `*.md` file under the goals folder, at any depth, sorted by path.
pub fn read_goal_files(root: &Path, goals_dir: &str) -> Result<Vec<SourceFile>> {
    let paths = goal_paths(root, goals_dir)?;
    use rayon::prelude::*;
    paths.par_iter().map(|p| read_goal_file(root, goals_dir, p)).collect()
}

/// The paths of every `*.md` file under the goals folder, at any depth, sorted.
pub fn goal_paths(root: &Path, goals_dir: &str) -> Result<Vec<PathBuf>> {
    let dir = root.join(goals_dir);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("failed to walk `{}`", dir.display()))?;
        let p = entry.path();
        if entry.file_type().is_file() && p.extension().is_some_and(|e| e == "md") {
            paths.push(p.to_path_buf());
        }
    }
    paths.sort();
    Ok(paths)
}

/// Reads one goal file `p` (a path from [`goal_paths`]).
pub fn read_goal_file(root: &Path, goals_dir: &str, p: &Path) -> Result<SourceFile> {
    let dir = root.join(goals_dir);
    let under = p.strip_prefix(&dir).unwrap_or(p);
    let parts: Vec<String> = under.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let path_id = parts.join("/");
    let path_id = path_id.strip_suffix(".md").unwrap_or(&path_id).to_string();
    let rel = format!("{}/{}", goals_dir.trim_end_matches('/'), parts.join("/"));
    let bytes = std::fs::read(p).with_context(|| format!("failed to read `{}`", p.display()))?;
    let text = String::from_utf8(bytes).ok().map(|t| match t.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => t,
    });
    Ok(SourceFile { rel, path_id, text })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lf_and_crlf() {
        let s = split_front_matter("+++\ntitle = \"a\"\n+++\nbody\n").unwrap();
        assert_eq!(s.front, "title = \"a\"\n");
        assert_eq!(s.front_offset, 4);
        assert_eq!(s.body, "body\n");
        let s = split_front_matter("+++\r\ntitle = \"a\"\r\n+++\r\nbody").unwrap();
        assert_eq!(s.front, "title = \"a\"\r\n");
        assert_eq!(s.body, "body");
    }

    #[test]
    fn unclosed_and_missing_front_matter_fail() {
        assert!(split_front_matter("+++\ntitle = \"a\"\n").is_err());
        assert!(split_front_matter("title = \"a\"\n").is_err());
        assert!(split_front_matter("").is_err());
        assert_eq!(split_front_matter("+++\n+++").unwrap().body, "");
    }
}
