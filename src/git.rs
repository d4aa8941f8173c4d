//! Reading a goals repository out of git: whole revisions for `goalbook diff`
//! and the dated history of hand-edited `current` values for charts.
//!
//! Everything goes through libgit2 (the `git2` crate, built without network
//! features): no `git` process is run and no `git` output is parsed. This
//! module only reads; it never changes the repository or the working tree.

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::load::SourceFile;
use crate::model::{CheckIn, Repo};
use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use git2::{ObjectType, Oid, Repository, Tree};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Note of the check-ins that [`add_history`] makes from git history.
pub const HISTORY_NOTE: &str = "from git history";

/// A git repository that holds a goals repository, possibly in a subfolder.
pub struct GitRoot {
    git: Repository,
    /// The goals repository's folder inside the work tree, `/`-separated;
    /// empty when it is the work tree's top.
    prefix: String,
}

/// One revision of a goals repository, read from git: what [`crate::load`]
/// would read from disk.
pub struct Revision {
    pub config: Config,
    /// Problems of `book.toml` at that revision.
    pub diagnostics: Vec<Diagnostic>,
    pub files: Vec<SourceFile>,
}

impl GitRoot {
    /// The git work tree that contains `root`; `None` outside git (or in a bare repository).
    pub fn discover(root: &Path) -> Option<GitRoot> {
        GitRoot::open(root).ok()
    }

    /// Like [`GitRoot::discover`], with an error that says what is wrong.
    pub fn open(root: &Path) -> Result<GitRoot> {
        let git = match Repository::discover(root) {
            Ok(g) => g,
            Err(e) => bail!(
                "`{}` is not inside a git work tree ({}); `goalbook diff` compares two commits of the repository that holds the goals",
                root.display(),
                e.message()
            ),
        };
        let Some(workdir) = git.workdir() else {
            bail!("the git repository of `{}` is bare; run goalbook in a work tree", root.display());
        };
        let workdir = workdir.canonicalize().with_context(|| format!("failed to resolve `{}`", workdir.display()))?;
        let abs = root.canonicalize().with_context(|| format!("failed to resolve `{}`", root.display()))?;
        let Ok(under) = abs.strip_prefix(&workdir) else {
            bail!("`{}` is not inside the git work tree `{}`", root.display(), workdir.display());
        };
        let parts: Vec<String> = under.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        Ok(GitRoot { git, prefix: parts.join("/") })
    }

    fn in_repo(&self, rel: &str) -> String {
        if self.prefix.is_empty() { rel.to_string() } else { format!("{}/{rel}", self.prefix) }
    }

    /// The commit that `spec` names (`HEAD`, `main`, `origin/main`, `HEAD~2`, a hash…).
    fn commit(&self, spec: &str) -> Result<git2::Commit<'_>> {
        let object = match self.git.revparse_single(spec) {
            Ok(o) => o,
            Err(e) => bail!(
                "git revision `{spec}` not found ({}); name a branch, tag or commit, e.g. `origin/main` or `HEAD~1`",
                e.message()
            ),
        };
        object.peel_to_commit().with_context(|| format!("git revision `{spec}` is not a commit"))
    }

    /// Reads `book.toml` and every `*.md` under the goals folder at revision `spec`.
    /// A revision without the goals repository reads as empty (all defaults, no goals).
    pub fn read_revision(&self, spec: &str) -> Result<Revision> {
        let commit = self.commit(spec)?;
        let tree = commit.tree().with_context(|| format!("failed to read the tree of `{spec}`"))?;
        let top = if self.prefix.is_empty() { Some(tree) } else { self.subtree(&tree, &self.prefix)? };
        let Some(top) = top else {
            return Ok(Revision { config: Config::default(), diagnostics: Vec::new(), files: Vec::new() });
        };
        let (config, diagnostics) = match top.get_name("book.toml") {
            Some(entry) if entry.kind() == Some(ObjectType::Blob) => {
                let bytes = self.blob(entry.id())?;
                match String::from_utf8(bytes) {
                    Ok(text) => Config::parse("book.toml", &text),
                    Err(_) => (
                        Config::default(),
                        vec![Diagnostic::new(
                            Code::Parse,
                            "book.toml",
                            1,
                            "book.toml is not UTF-8 text; save it as UTF-8",
                        )],
                    ),
                }
            }
            _ => (Config::default(), Vec::new()),
        };
        let goals_dir = config.goals_dir.trim_end_matches('/').to_string();
        let mut files = Vec::new();
        if let Some(goals) = self.subtree(&top, &goals_dir)? {
            let mut blobs = Vec::new();
            self.collect_md(&goals, "", &mut blobs)?;
            blobs.sort();
            for (under, oid) in blobs {
                let text = String::from_utf8(self.blob(oid)?).ok().map(|t| match t.strip_prefix('\u{feff}') {
                    Some(rest) => rest.to_string(),
                    None => t,
                });
                let path_id = under.strip_suffix(".md").unwrap_or(&under).to_string();
                files.push(SourceFile { rel: format!("{goals_dir}/{under}"), path_id, text, unread: None });
            }
        }
        Ok(Revision { config, diagnostics, files })
    }

    fn subtree(&self, tree: &Tree<'_>, path: &str) -> Result<Option<Tree<'_>>> {
        let entry = match tree.get_path(Path::new(path)) {
            Ok(e) => e,
            Err(_) => return Ok(None),
        };
        if entry.kind() != Some(ObjectType::Tree) {
            return Ok(None);
        }
        Ok(Some(self.git.find_tree(entry.id()).with_context(|| format!("failed to read the git tree `{path}`"))?))
    }

    fn blob(&self, oid: Oid) -> Result<Vec<u8>> {
        Ok(self.git.find_blob(oid).with_context(|| format!("failed to read git object {oid}"))?.content().to_vec())
    }

    /// Every `*.md` blob under `tree`, walked with a stack of its own (no
    /// recursion: a commit can nest folders tens of thousands deep), and an
    /// error past [`crate::load::MAX_DEPTH`] folders, the limit of the disk.
    fn collect_md(&self, tree: &Tree<'_>, under: &str, out: &mut Vec<(String, Oid)>) -> Result<()> {
        let mut stack: Vec<(Oid, String, usize)> = vec![(tree.id(), under.to_string(), 0)];
        while let Some((id, under, depth)) = stack.pop() {
            let tree = self.git.find_tree(id).with_context(|| format!("failed to read `{under}`"))?;
            for entry in tree.iter() {
                let Ok(name) = entry.name() else { continue };
                let path = if under.is_empty() { name.to_string() } else { format!("{under}/{name}") };
                match entry.kind() {
                    Some(ObjectType::Tree) => {
                        if depth >= crate::load::MAX_DEPTH {
                            bail!(
                                "`{path}` is nested more than {} folders deep in the goals folder; goalbook reads goal files at most that deep, so move it up",
                                crate::load::MAX_DEPTH
                            );
                        }
                        stack.push((entry.id(), path, depth + 1));
                    }
                    Some(ObjectType::Blob) if name.ends_with(".md") => out.push((path, entry.id())),
                    _ => {}
                }
            }
        }
        Ok(())
    }
}

/// The dated values of `current` of every goal that has one and no check-ins,
/// from the first-parent history of `HEAD`: one point per calendar day (the
/// committer's date) on which a commit changed the value. Empty outside git
/// and on any git error: history is a nicety, never a reason to fail a build.
pub fn history(root: &Path, repo: &Repo) -> HashMap<usize, Vec<(NaiveDate, f64)>> {
    let wanted: Vec<usize> = (0..repo.goals.len())
        .filter(|&i| repo.goals[i].current.is_some() && repo.goals[i].checkins.is_empty())
        .collect();
    if wanted.is_empty() {
        return HashMap::new();
    }
    let Some(git) = GitRoot::discover(root) else { return HashMap::new() };
    let by_path: HashMap<String, usize> = wanted.iter().map(|&i| (git.in_repo(&repo.goals[i].file), i)).collect();
    let goals_dir = git.in_repo(repo.config.goals_dir.trim_end_matches('/'));
    let points = git.value_history(&goals_dir, &by_path).unwrap_or_default();
    points.into_iter().filter(|(_, p)| !p.is_empty()).collect()
}

impl GitRoot {
    fn value_history(
        &self,
        goals_dir: &str,
        by_path: &HashMap<String, usize>,
    ) -> Result<HashMap<usize, Vec<(NaiveDate, f64)>>> {
        // Folders worth descending into: every ancestor of a wanted file.
        let mut dirs: HashSet<&str> = HashSet::new();
        for path in by_path.keys() {
            let mut p = path.as_str();
            while let Some(pos) = p.rfind('/') {
                p = &p[..pos];
                dirs.insert(p);
            }
        }
        // The first-parent chain of HEAD, newest first, with the goals folder's
        // tree at each commit: commits that leave it alone cost one lookup.
        let mut chain: Vec<(NaiveDate, Option<Oid>)> = Vec::new();
        let mut commit = self.git.head()?.peel_to_commit()?;
        loop {
            let when = commit.committer().when();
            let secs = when.seconds() + i64::from(when.offset_minutes()) * 60;
            let date = chrono::DateTime::from_timestamp(secs, 0).map(|t| t.date_naive()).context("commit date")?;
            let tree = commit.tree()?;
            let goals = tree.get_path(Path::new(goals_dir)).ok().filter(|e| e.kind() == Some(ObjectType::Tree));
            chain.push((date, goals.map(|e| e.id())));
            // A shallow clone ends where the parent is missing.
            match commit.parent(0) {
                Ok(p) => commit = p,
                Err(_) => break,
            }
        }
        let mut last: HashMap<usize, f64> = HashMap::new();
        let mut out: HashMap<usize, Vec<(NaiveDate, f64)>> = HashMap::new();
        let mut previous: Option<Oid> = None;
        for (date, goals) in chain.into_iter().rev() {
            if goals == previous {
                continue;
            }
            let mut changed = Vec::new();
            let old = previous.map(|o| self.git.find_tree(o)).transpose()?;
            let new = goals.map(|o| self.git.find_tree(o)).transpose()?;
            self.changed_files(old.as_ref(), new.as_ref(), goals_dir, &dirs, by_path, &mut changed)?;
            previous = goals;
            changed.sort();
            for (path, blob) in changed {
                let Some(&i) = by_path.get(&path) else { continue };
                let value = match blob {
                    Some(oid) => current_of(&self.blob(oid)?),
                    None => None,
                };
                let Some(value) = value else {
                    last.remove(&i);
                    continue;
                };
                if last.get(&i) == Some(&value) {
                    continue;
                }
                last.insert(i, value);
                let points = out.entry(i).or_default();
                // One point per day: the day's last value.
                if points.last().is_some_and(|p| p.0 == date) {
                    points.pop();
                }
                if points.last().is_none_or(|p| p.1 != value) {
                    points.push((date, value));
                }
            }
        }
        Ok(out)
    }

    /// Wanted files whose blob differs between `old` and `new` (`None` in the
    /// pair when the file is gone). Identical subtrees are skipped by id.
    fn changed_files(
        &self,
        old: Option<&Tree<'_>>,
        new: Option<&Tree<'_>>,
        path: &str,
        dirs: &HashSet<&str>,
        wanted: &HashMap<String, usize>,
        out: &mut Vec<(String, Option<Oid>)>,
    ) -> Result<()> {
        let mut names: Vec<String> = Vec::new();
        for tree in [old, new].into_iter().flatten() {
            names.extend(tree.iter().filter_map(|e| e.name().ok().map(str::to_string)));
        }
        names.sort();
        names.dedup();
        for name in names {
            let child = format!("{path}/{name}");
            let a = old.and_then(|t| t.get_name(&name));
            let b = new.and_then(|t| t.get_name(&name));
            if a.as_ref().map(|e| e.id()) == b.as_ref().map(|e| e.id()) {
                continue;
            }
            let tree_of = |e: &Option<git2::TreeEntry<'_>>| -> Result<Option<Tree<'_>>> {
                match e {
                    Some(e) if e.kind() == Some(ObjectType::Tree) => Ok(Some(self.git.find_tree(e.id())?)),
                    _ => Ok(None),
                }
            };
            let is_blob = b.as_ref().is_some_and(|e| e.kind() == Some(ObjectType::Blob));
            let (ta, tb) = (tree_of(&a)?, tree_of(&b)?);
            if dirs.contains(child.as_str()) && (ta.is_some() || tb.is_some()) {
                self.changed_files(ta.as_ref(), tb.as_ref(), &child, dirs, wanted, out)?;
            } else if wanted.contains_key(&child) {
                out.push((child, if is_blob { b.map(|e| e.id()) } else { None }));
            }
        }
        Ok(())
    }
}

/// `current` of a goal file's front matter, when it is a number.
fn current_of(bytes: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let split = crate::load::split_front_matter(text).ok()?;
    let table: toml::Table = toml::from_str(split.front).ok()?;
    match table.get("current")? {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) if f.is_finite() => Some(*f),
        _ => None,
    }
}

/// Adds the points of [`history`] as check-ins (note [`HISTORY_NOTE`], on the
/// `current` line) to goals that have none, so charts and the forecast use
/// them. Points on or after `as_of` are left out: `current` itself stands for
/// that day, and a later commit is the future as seen from `as_of`.
pub fn add_history(repo: &mut Repo, history: HashMap<usize, Vec<(NaiveDate, f64)>>, as_of: NaiveDate) {
    for (i, points) in history {
        let Some(goal) = repo.goals.get_mut(i) else { continue };
        if !goal.checkins.is_empty() || goal.current.is_none() {
            continue;
        }
        let line = goal.line("current");
        goal.checkins = points
            .into_iter()
            .filter(|(date, _)| *date < as_of)
            .map(|(date, value)| CheckIn {
                date,
                value,
                confidence: None,
                note: Some(HISTORY_NOTE.to_string()),
                by: None,
                line,
            })
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_is_read_from_front_matter() {
        assert_eq!(current_of(b"+++\ntitle = \"a\"\ncurrent = 12\n+++\n"), Some(12.0));
        assert_eq!(current_of("\u{feff}+++\r\ncurrent = 1.5\r\n+++\r\n".as_bytes()), Some(1.5));
        assert_eq!(current_of(b"+++\ntitle = \"a\"\n+++\ncurrent = 3\n"), None);
        assert_eq!(current_of(b"+++\ncurrent = \"x\"\n+++\n"), None);
        assert_eq!(current_of(b"+++\ncurrent = \n+++\n"), None);
        assert_eq!(current_of(&[0xff, 0xfe]), None);
    }
}
