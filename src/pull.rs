//! `goalbook pull` (SPEC §4, §7): read every goal's `[source]` and record a
//! check-in, `by = "pull"`, where the value changed.
//!
//! Sources are read through one [`Reader`] (each file or URL once); each goal
//! file is then changed through [`write_goal`], and "changed?" is decided on
//! the text re-read under the file's lock, so two pulls (or a pull and a
//! `checkin`) never both append. A failing source is reported with its file
//! and the line of its `[source]` and never stops the others.

use crate::checkin::{Entry, append};
use crate::diagnostic::Code;
use crate::load::SourceFile;
use crate::source::read::Reader;
use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use std::path::Path;

/// What to pull.
pub struct Options<'a> {
    /// Only this goal (its id).
    pub goal: Option<&'a str>,
    /// The date of the check-ins written.
    pub date: NaiveDate,
    /// Print what would be written; write nothing.
    pub dry_run: bool,
}

/// What happened to one goal with a source.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// A check-in was written (or, with `--dry-run`, would be).
    Recorded { value: String, was: Option<f64> },
    /// The value read equals the goal's current value.
    Unchanged { value: f64 },
    /// The source could not be read, or the check-in not written.
    Failed { reason: String },
}

/// One goal's result.
#[derive(Clone, Debug, PartialEq)]
pub struct Pulled {
    pub id: String,
    pub file: String,
    /// The line of the `[source]` header.
    pub line: u32,
    pub outcome: Outcome,
}

/// The result of a pull, goals in id order.
#[derive(Debug, Default)]
pub struct Report {
    pub goals: Vec<Pulled>,
}

impl Report {
    pub fn failed(&self) -> usize {
        self.goals.iter().filter(|p| matches!(p.outcome, Outcome::Failed { .. })).count()
    }

    pub fn recorded(&self) -> usize {
        self.goals.iter().filter(|p| matches!(p.outcome, Outcome::Recorded { .. })).count()
    }
}

/// Reads the sources of the repository at `root` and writes the changed values.
/// Only I/O failures of the repository itself are errors; a failing source is
/// an [`Outcome::Failed`].
pub fn pull(root: &Path, opts: &Options<'_>) -> Result<Report> {
    if !root.is_dir() {
        bail!("`{}` is not a folder", root.display());
    }
    let (config, _) = crate::load::read_config(root)?;
    let files = crate::load::read_goal_files(root, &config.goals_dir)?;
    let language = config.language.clone();
    let (repo, diags) = crate::model::build(config, &files);
    if let Some(id) = opts.goal
        && repo.get(id).is_none()
    {
        let ids: Vec<&str> = repo.goals.iter().map(|g| g.id.as_str()).collect();
        let hint = crate::diagnostic::suggest(id, &ids).map(|s| format!("; did you mean `{s}`?")).unwrap_or_default();
        bail!("no goal has the id `{id}`{hint}");
    }
    if let Some(goal) = opts.goal.and_then(|id| repo.get(id))
        && goal.source.is_none()
    {
        bail!("`{}` has no [source] table; add one (SPEC §7) or pull every goal without --goal", goal.id);
    }
    let mut reader = Reader::new(root, &language);
    let mut report = Report::default();
    let path_ids: std::collections::HashMap<&str, &str> =
        files.iter().map(|f| (f.rel.as_str(), f.path_id.as_str())).collect();
    for goal in &repo.goals {
        if opts.goal.is_some_and(|id| id != goal.id) {
            continue;
        }
        let Some(source) = &goal.source else { continue };
        let source = match source {
            Ok(s) => s,
            Err(line) => {
                let why: Vec<&str> = diags
                    .iter()
                    .filter(|d| d.file == goal.file && d.line == *line && d.is_error())
                    .map(|d| d.message.as_str())
                    .collect();
                let reason = format!("the [source] table is invalid: {}", why.join("; "));
                report.goals.push(Pulled {
                    id: goal.id.clone(),
                    file: goal.file.clone(),
                    line: *line,
                    outcome: Outcome::Failed { reason },
                });
                continue;
            }
        };
        let outcome = match reader.value(source) {
            Err(reason) => Outcome::Failed { reason },
            Ok(value) => {
                let path_id = path_ids.get(goal.file.as_str()).copied().unwrap_or(&goal.id);
                match record(root, &goal.file, path_id, &repo.config, value, opts) {
                    Ok(o) => o,
                    Err(e) => Outcome::Failed { reason: reader.redact(&format!("{e:#}")) },
                }
            }
        };
        report.goals.push(Pulled { id: goal.id.clone(), file: goal.file.clone(), line: source.line, outcome });
    }
    // Files that could not be read at all may hold a source: say so, so the
    // workflow does not pass in silence.
    if opts.goal.is_none() {
        for d in diags.iter().filter(|d| d.code == Code::Parse) {
            let text = files.iter().find(|f| f.rel == d.file).and_then(|f| f.text.as_deref()).unwrap_or("");
            if text.contains("[source]") {
                report.goals.push(Pulled {
                    id: d.file.clone(),
                    file: d.file.clone(),
                    line: d.line,
                    outcome: Outcome::Failed { reason: format!("the goal file cannot be read: {}", d.message) },
                });
            }
        }
    }
    Ok(report)
}

/// A value as TOML: whole numbers without a fraction.
pub fn toml_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        toml_edit::Value::from(v).to_string().trim().to_string()
    }
}

/// SPEC §3: the goal's current value on `date`: `current`, else the latest
/// check-in on or before it, else `baseline` (0 for a goal with a target).
fn current_on(goal: &crate::Goal, date: NaiveDate) -> Option<f64> {
    goal.current
        .or_else(|| goal.checkins.iter().rev().find(|c| c.date <= date).map(|c| c.value))
        .or(goal.baseline)
        .or(goal.target.map(|_| 0.0))
}

fn same(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

/// Records `value` in goal file `rel` unless it equals the goal's current value,
/// deciding on the text read under the lock.
fn record(
    root: &Path,
    rel: &str,
    path_id: &str,
    config: &crate::Config,
    value: f64,
    opts: &Options<'_>,
) -> Result<Outcome> {
    let mut outcome = None;
    let edit = |text: &str| -> Result<Option<String>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let file = SourceFile {
            rel: rel.to_string(),
            path_id: path_id.to_string(),
            text: Some(text.to_string()),
            unread: None,
        };
        let (goal, diags) = crate::model::read_goal(&file, config);
        let Some(goal) = goal else { bail!("the goal file cannot be read any more; `goalbook check` says why") };
        let was = current_on(&goal, opts.date);
        if was.is_some_and(|w| same(w, value)) {
            outcome = Some(Outcome::Unchanged { value });
            return Ok(None);
        }
        let entry = Entry {
            date: opts.date,
            value: toml_number(value),
            confidence: None,
            note: None,
            by: Some("pull".to_string()),
        };
        let latest = goal.checkins.iter().all(|c| c.date <= entry.date);
        let edited = append(text, &entry, latest)?;
        // Refuse an edit that would make the file invalid (a date far outside
        // the goal's period): the file keeps working, and the user learns why.
        let new = SourceFile {
            rel: rel.to_string(),
            path_id: path_id.to_string(),
            text: Some(edited.text.clone()),
            unread: None,
        };
        let after = crate::model::read_goal(&new, config).1;
        if let Some(d) = after.iter().find(|d| d.is_error() && !diags.contains(d)) {
            bail!("the check-in was not written: it would make line {}: {}", d.line, d.message);
        }
        outcome = Some(Outcome::Recorded { value: entry.value.clone(), was });
        if opts.dry_run { Ok(None) } else { Ok(Some(edited.text)) }
    };
    write_goal(&root.join(rel), edit).with_context(|| format!("cannot write `{rel}`"))?;
    outcome.context("the goal file was not read")
}

/// Changes one goal file: `edit` gets the text read under the file's lock and
/// returns the new text, or `None` to leave the file alone; the one writer of
/// the repository ([`crate::write::edit_file`]: an advisory lock, a synced
/// temporary file renamed over the original). Returns whether it wrote.
pub fn write_goal(path: &Path, edit: impl FnOnce(&str) -> Result<Option<String>>) -> Result<bool> {
    crate::write::edit_file(path, edit)
}
