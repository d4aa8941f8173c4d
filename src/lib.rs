//! goalbook: goals as code. A repository of Markdown goal files with TOML
//! front matter becomes a static website, `goals.json` and review handouts.
//!
//! The build is a straight line of plain functions over plain data:
//! [`load`] → [`model`] → [`compute`] → [`lint`] → render → [`site`] (what a
//! build writes) → [`output`] (the build folder swapped in). [`terms`] holds
//! the words every stage shares; [`fs`] the file calls whose errors name the
//! path. The binary (`src/main.rs`) only parses arguments and calls [`cmd`].
//! Beside the build: [`live`] rebuilds incrementally for `serve`, [`diff`]
//! compares two revisions, [`checkin`] records a value, [`source`] reads the
//! values a goal's `[source]` names, [`pull`] records them as check-ins,
//! [`remind`] lists who owes one. ARCHITECTURE.md is the map.

pub mod checkin;
pub mod cmd;
pub mod codeowners;
pub mod compute;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod export;
pub mod fields;
pub mod fs;
pub mod git;
pub mod http;
pub mod i18n;
pub mod lint;
pub mod live;
pub mod load;
pub mod messages;
pub mod model;
pub mod output;
pub mod pdf;
pub mod period;
pub mod pull;
pub mod remind;
pub mod render;
pub mod scaffold;
#[cfg(feature = "serve")]
pub mod serve;
pub mod sets;
pub mod site;
pub mod slug;
pub mod source;
pub mod terms;
pub mod write;

use anyhow::{Result, bail};
use chrono::NaiveDate;
use std::path::Path;

pub use compute::{Numbers, Status};
pub use config::Config;
pub use diagnostic::{Code, Diagnostic, Severity};
pub use model::{Goal, Kind, Repo};

/// A loaded and computed repository with every diagnostic found.
pub struct Project {
    pub repo: Repo,
    pub numbers: Vec<Numbers>,
    pub diagnostics: Vec<Diagnostic>,
    pub as_of: NaiveDate,
}

impl Project {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Loads, validates and computes the repository at `root` as of `as_of`.
/// Only I/O failures are errors; problems in the files are diagnostics.
pub fn load_project(root: &Path, as_of: NaiveDate) -> Result<Project> {
    if !root.is_dir() {
        bail!("`{}` is not a folder", root.display());
    }
    let (config, mut diagnostics) = load::read_config(root)?;
    diagnostics.extend(load::missing_goals_dir(root, &config));
    let files = load::read_goal_files(root, &config.goals_dir)?;
    let history = |repo: &Repo| {
        if repo.config.git_history { git::history(root, repo) } else { std::collections::HashMap::new() }
    };
    Ok(project_with_history(config, &files, as_of, std::mem::take(&mut diagnostics), history))
}

/// The pure part of [`load_project`]: model, compute and lint over files in memory.
pub fn project_from_files(
    config: Config,
    files: &[load::SourceFile],
    as_of: NaiveDate,
    diagnostics: Vec<Diagnostic>,
) -> Project {
    project_with_history(config, files, as_of, diagnostics, |_| std::collections::HashMap::new())
}

/// [`project_from_files`] where goals without check-ins get the dated values of
/// their `current` that `history` finds (from git, see [`git::history`]) as
/// check-ins, before the numbers are computed, so charts and forecasts use them.
pub fn project_with_history(
    config: Config,
    files: &[load::SourceFile],
    as_of: NaiveDate,
    diagnostics: Vec<Diagnostic>,
    history: impl FnOnce(&Repo) -> std::collections::HashMap<usize, Vec<(NaiveDate, f64)>>,
) -> Project {
    let (repo, model_diags) = model::build(config, files);
    project_from_repo(repo, model_diags, as_of, diagnostics, history)
}

/// The rest of [`project_with_history`] once the model is built (by
/// [`model::build`] or, from cached reads, [`model::assemble`]).
pub fn project_from_repo(
    mut repo: Repo,
    model_diags: Vec<Diagnostic>,
    as_of: NaiveDate,
    mut diagnostics: Vec<Diagnostic>,
    history: impl FnOnce(&Repo) -> std::collections::HashMap<usize, Vec<(NaiveDate, f64)>>,
) -> Project {
    diagnostics.extend(model_diags);
    let points = history(&repo);
    git::add_history(&mut repo, points, as_of);
    let numbers = compute::compute(&repo, as_of);
    diagnostics.extend(lint::lint(&repo, &numbers, as_of));
    // SPEC §4: messages follow `book.language`.
    diagnostic::localize(&mut diagnostics, &repo.config.language);
    diagnostic::sort(&mut diagnostics);
    Project { repo, numbers, diagnostics, as_of }
}

/// `--as-of`, else `SOURCE_DATE_EPOCH`, else today (for commands without a
/// repository: `init`, the date of a new check-in).
pub fn resolve_as_of(arg: Option<&str>) -> Result<NaiveDate> {
    Ok(explicit_as_of(arg)?.unwrap_or_else(|| chrono::Local::now().date_naive()))
}

/// SPEC §3: `--as-of`, else `SOURCE_DATE_EPOCH`, else `[build] as-of` of the
/// repository at `root`, else today.
pub fn resolve_as_of_for(arg: Option<&str>, root: &Path) -> Result<NaiveDate> {
    if let Some(d) = explicit_as_of(arg)? {
        return Ok(d);
    }
    let pinned = load::read_config(root).ok().and_then(|(c, _)| c.as_of);
    Ok(pinned.unwrap_or_else(|| chrono::Local::now().date_naive()))
}

/// `--as-of` or `SOURCE_DATE_EPOCH`, when one is given.
fn explicit_as_of(arg: Option<&str>) -> Result<Option<NaiveDate>> {
    if let Some(s) = arg {
        return match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => Ok(Some(d)),
            Err(_) => bail!("--as-of `{s}` is not a date; write it as YYYY-MM-DD, e.g. 2026-11-24"),
        };
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = match epoch.trim().parse() {
            Ok(s) => s,
            Err(_) => bail!("SOURCE_DATE_EPOCH `{epoch}` is not a number of seconds"),
        };
        return match chrono::DateTime::from_timestamp(secs, 0) {
            Some(t) => Ok(Some(t.date_naive())),
            None => bail!("SOURCE_DATE_EPOCH `{epoch}` is out of range"),
        };
    }
    Ok(None)
}
