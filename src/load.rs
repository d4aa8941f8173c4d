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
    /// File text without BOM; `None` when it was not UTF-8 or not read.
    pub text: Option<String>,
    /// Why the file was not read (too big, a symlink that leaves the
    /// repository), as a message key and its arguments; reported as a
    /// diagnostic of the file.
    pub unread: Option<(&'static str, Vec<(&'static str, String)>)>,
}

/// Goal files larger than this are reported, not read: a goal file is a page
/// of text, and reading a 50 MB one would cost gigabytes in the later stages.
pub const MAX_GOAL_FILE: u64 = 4 << 20;

/// Folders nested deeper than this under the goals folder are an error.
pub const MAX_DEPTH: usize = 64;

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
    let bytes = crate::fs::read(&path)?;
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

/// The paths of every `*.md` file under the goals folder, at any depth up to
/// [`MAX_DEPTH`], sorted. A symlinked goal file is listed too (it is read, or
/// refused, by [`read_goal_file`]); walkdir walks iteratively, so no depth of
/// folders can overflow the stack.
pub fn goal_paths(root: &Path, goals_dir: &str) -> Result<Vec<PathBuf>> {
    let dir = root.join(goals_dir);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).max_depth(MAX_DEPTH + 1).sort_by_file_name() {
        let entry = entry.with_context(|| format!("failed to walk `{}`", dir.display()))?;
        if entry.depth() > MAX_DEPTH {
            anyhow::bail!(
                "`{}` is nested more than {MAX_DEPTH} folders deep under `{goals_dir}`; goalbook reads goal files at most {MAX_DEPTH} folders deep, so move it up",
                entry.path().parent().unwrap_or(entry.path()).display()
            );
        }
        let p = entry.path();
        let md = p.extension().is_some_and(|e| e == "md");
        if md && (entry.file_type().is_file() || entry.path_is_symlink()) {
            paths.push(p.to_path_buf());
        }
    }
    paths.sort();
    Ok(paths)
}

/// Reads one goal file `p` (a path from [`goal_paths`]). A symlink is
/// followed when its target is a file inside the repository, and refused
/// (reported, not read) otherwise; a file over [`MAX_GOAL_FILE`] is reported.
pub fn read_goal_file(root: &Path, goals_dir: &str, p: &Path) -> Result<SourceFile> {
    let dir = root.join(goals_dir);
    let under = p.strip_prefix(&dir).unwrap_or(p);
    let parts: Vec<String> = under.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let path_id = parts.join("/");
    let path_id = path_id.strip_suffix(".md").unwrap_or(&path_id).to_string();
    let rel = format!("{}/{}", goals_dir.trim_end_matches('/'), parts.join("/"));
    let unread = |key: &'static str, args: Vec<(&'static str, String)>| {
        Ok(SourceFile { rel: rel.clone(), path_id: path_id.clone(), text: None, unread: Some((key, args)) })
    };
    if p.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
        let inside = match (p.canonicalize(), root.canonicalize()) {
            (Ok(target), Ok(root)) => target.starts_with(&root) && target.is_file(),
            _ => false,
        };
        if !inside {
            let to = std::fs::read_link(p).map(|t| t.display().to_string()).unwrap_or_default();
            return unread("goal-file-symlink-outside", vec![("to", crate::diagnostic::printable(&to).into_owned())]);
        }
    }
    let file = std::fs::File::open(p).with_context(|| format!("failed to read `{}`", p.display()))?;
    let size = file.metadata().with_context(|| format!("failed to read `{}`", p.display()))?.len();
    if size > MAX_GOAL_FILE {
        let size = format!("{:.1}", size as f64 / (1 << 20) as f64);
        return unread("goal-file-too-big", vec![("size", size), ("limit", (MAX_GOAL_FILE >> 20).to_string())]);
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // Read at most one byte past the limit: the file may grow while it is read.
    std::io::Read::read_to_end(&mut std::io::Read::take(file, MAX_GOAL_FILE + 1), &mut bytes)
        .with_context(|| format!("failed to read `{}`", p.display()))?;
    if bytes.len() as u64 > MAX_GOAL_FILE {
        let limit = (MAX_GOAL_FILE >> 20).to_string();
        return unread("goal-file-too-big", vec![("size", format!("> {limit}")), ("limit", limit)]);
    }
    let text = String::from_utf8(bytes).ok().map(|t| match t.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => t,
    });
    Ok(SourceFile { rel, path_id, text, unread: None })
}

/// SPEC §1: a `goals-dir` that does not exist is an error (a mistyped one
/// would otherwise build zero goals and replace the published site with an
/// empty one). `None` when the folder exists.
pub fn missing_goals_dir(root: &Path, config: &Config) -> Option<Diagnostic> {
    if root.join(&config.goals_dir).is_dir() {
        return None;
    }
    let book = std::fs::read_to_string(root.join("book.toml")).unwrap_or_default();
    let key = book.lines().position(|l| l.trim_start().starts_with("goals-dir"));
    let message = if key.is_some() { "goals-dir-missing-key" } else { "goals-dir-missing" };
    Some(Diagnostic::msg(
        Code::BadValue,
        "book.toml",
        key.map_or(1, |i| i as u32 + 1),
        message,
        &[("dir", crate::diagnostic::printable(&config.goals_dir).into_owned())],
    ))
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
