//! What a change to the goals does, for review (`goalbook diff BASE [HEAD]`).
//!
//! Both revisions are read straight from git ([`crate::git`]) and computed
//! with the same `as_of`, so every difference comes from the files. The report
//! lists added and removed goals, changed targets, baselines, periods and
//! dates, and progress and status changes, and calls out the changes a
//! reviewer should question: a lowered target and a deadline moved after its
//! period started. Not for the working tree: commit first, or name `HEAD`.

use crate::compute::Numbers;
use crate::model::Goal;
use crate::terms::{Direction, Kind};
use crate::{Project, git::GitRoot};
use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;
use std::path::Path;

/// The report of the goal changes from revision `base` to `head` of the git
/// repository at `root`, both computed as of `as_of`.
pub fn between(root: &Path, base: &str, head: &str, as_of: NaiveDate) -> Result<Report> {
    let git = GitRoot::open(root)?;
    let load = |spec: &str| -> Result<Project> {
        let rev = git.read_revision(spec)?;
        Ok(crate::project_from_files(rev.config, &rev.files, as_of, rev.diagnostics))
    };
    let before = load(base)?;
    let after = load(head)?;
    Ok(compare(base, head, &before, &after))
}

/// Everything `goalbook diff` reports, in a stable order (goals by id).
#[derive(Debug, Serialize)]
pub struct Report {
    pub base: String,
    pub head: String,
    #[serde(serialize_with = "date")]
    pub as_of: NaiveDate,
    pub errors: Errors,
    pub added: Vec<Summary>,
    pub removed: Vec<Summary>,
    pub changed: Vec<GoalChanges>,
    /// `book.language` of the head revision: the language of the Markdown.
    #[serde(skip)]
    pub lang: String,
}

/// Number of error diagnostics in each revision.
#[derive(Debug, Serialize)]
pub struct Errors {
    pub base: usize,
    pub head: usize,
}

/// An added or removed goal, as it is in the revision that has it.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    pub target: Option<f64>,
    pub unit: Option<String>,
    #[serde(serialize_with = "opt_date")]
    pub due: Option<NaiveDate>,
    pub status: &'static str,
    pub progress: Option<f64>,
}

/// The changes of one goal present in both revisions.
#[derive(Debug, Serialize)]
pub struct GoalChanges {
    pub id: String,
    /// The title at `head`.
    pub title: String,
    pub changes: Vec<Change>,
}

/// One changed field, with its value before and after.
#[derive(Debug, Serialize)]
pub struct Change {
    pub field: &'static str,
    pub before: Value,
    pub after: Value,
    /// Set for the changes a reviewer should question.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<Warning>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Warning {
    /// The target moved towards the baseline: the goal got easier.
    LoweredTarget,
    /// The due date moved once the goal's period had started.
    DeadlineMovedAfterStart,
}

/// A field value; serialised as plain JSON (number, string or null).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Number(f64),
    Text(String),
    Date(NaiveDate),
    None,
}

impl Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Number(n) => s.serialize_f64(*n),
            Value::Text(t) => s.serialize_str(t),
            Value::Date(d) => s.collect_str(d),
            Value::None => s.serialize_none(),
        }
    }
}

fn date<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

fn opt_date<S: serde::Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

impl Value {
    fn opt_number(v: Option<f64>) -> Value {
        v.map_or(Value::None, Value::Number)
    }

    fn opt_date(v: Option<NaiveDate>) -> Value {
        v.map_or(Value::None, Value::Date)
    }

    fn show(&self, unit: &str) -> String {
        match self {
            Value::Number(n) => format!("{}{unit}", number(*n)),
            Value::Text(s) => escape(s),
            Value::Date(d) => d.to_string(),
            Value::None => "—".to_string(),
        }
    }
}

/// Compares two computed revisions goal by goal.
pub fn compare(base: &str, head: &str, before: &Project, after: &Project) -> Report {
    let errors = |p: &Project| p.diagnostics.iter().filter(|d| d.is_error()).count();
    let mut report = Report {
        base: base.to_string(),
        head: head.to_string(),
        as_of: after.as_of,
        errors: Errors { base: errors(before), head: errors(after) },
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
        lang: after.repo.config.language.clone(),
    };
    // Both goal lists are sorted by id, so the reports are too.
    for (i, g) in after.repo.goals.iter().enumerate() {
        match before.repo.by_id.get(&g.id) {
            None => report.added.push(summary(g, &after.numbers[i])),
            Some(&b) => {
                let changes =
                    goal_changes(&before.repo.goals[b], &before.numbers[b], g, &after.numbers[i], after.as_of);
                if !changes.is_empty() {
                    report.changed.push(GoalChanges { id: g.id.clone(), title: g.title.clone(), changes });
                }
            }
        }
    }
    for (i, g) in before.repo.goals.iter().enumerate() {
        if !after.repo.by_id.contains_key(&g.id) {
            report.removed.push(summary(g, &before.numbers[i]));
        }
    }
    report
}

fn summary(g: &Goal, n: &Numbers) -> Summary {
    Summary {
        id: g.id.clone(),
        title: g.title.clone(),
        kind: g.kind.as_str(),
        target: g.target,
        unit: g.unit.clone().filter(|u| !u.is_empty()),
        due: g.due,
        status: n.status.as_str(),
        progress: n.progress,
    }
}

/// Whether the goal wants its value to go up.
fn increasing(g: &Goal) -> bool {
    match (g.kind, g.target) {
        (Kind::Kpi, _) => g.direction.unwrap_or(Direction::Increase) == Direction::Increase,
        (_, Some(t)) => t >= g.baseline.unwrap_or(0.0),
        _ => true,
    }
}

fn percent(p: Option<f64>) -> Option<i64> {
    p.map(|p| (p * 100.0).round() as i64)
}

fn goal_changes(a: &Goal, na: &Numbers, b: &Goal, nb: &Numbers, as_of: NaiveDate) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |field, before: Value, after: Value, warning| {
        if before != after {
            out.push(Change { field, before, after, warning });
        }
    };
    push("title", Value::Text(a.title.clone()), Value::Text(b.title.clone()), None);
    let lowered = match (a.target, b.target) {
        (Some(x), Some(y)) if increasing(a) => y < x,
        (Some(x), Some(y)) => y > x,
        _ => false,
    };
    push("target", Value::opt_number(a.target), Value::opt_number(b.target), lowered.then_some(Warning::LoweredTarget));
    push("baseline", Value::opt_number(na.baseline), Value::opt_number(nb.baseline), None);
    push("current", Value::opt_number(na.current), Value::opt_number(nb.current), None);
    let period = |g: &Goal| g.period.map_or(Value::None, |p| Value::Text(p.to_string()));
    push("period", period(a), period(b), None);
    push("start", Value::opt_date(a.start), Value::opt_date(b.start), None);
    // SPEC issue 5: moving a deadline once the period is under way hides a miss.
    let started = a.due.is_some() && a.start.is_some_and(|s| s <= as_of);
    push("due", Value::opt_date(a.due), Value::opt_date(b.due), started.then_some(Warning::DeadlineMovedAfterStart));
    if percent(na.progress) != percent(nb.progress) {
        push("progress", Value::opt_number(na.progress), Value::opt_number(nb.progress), None);
    }
    push("status", Value::Text(na.status.as_str().into()), Value::Text(nb.status.as_str().into()), None);
    out
}

/// A number as people write it: no trailing `.0`.
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// Escapes user text (a title, unit, metric, owner, note …) for a GitHub
/// comment, so it shows as typed: Markdown and HTML punctuation is
/// backslash-escaped, line breaks become spaces (no new block can start) and
/// `@` is followed by a zero-width space, so `@team` notifies no one.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '@' => out.push_str("@\u{200b}"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' | '&' | '(' | ')' | '{' | '}'
            | '$' | ':' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A code span that survives backticks in the text: its fence is longer than
/// any run of backticks inside (CommonMark), and it holds one line.
fn code(s: &str) -> String {
    let s: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    if longest == 0 {
        return format!("`{s}`");
    }
    let fence = "`".repeat(longest + 1);
    format!("{fence} {s} {fence}")
}

impl Report {
    /// The report as GitHub-flavoured Markdown, for a PR comment or job summary.
    pub fn markdown(&self) -> String {
        let say = |key: &str, args: &[(&str, &str)]| crate::messages::text(&self.lang, key, args);
        let as_of = self.as_of.to_string();
        let mut out = say("diff-heading", &[("base", &code(&self.base)), ("head", &code(&self.head))]);
        out.push_str("\n\n");
        for (rev, n) in [(&self.base, self.errors.base), (&self.head, self.errors.head)] {
            if n > 0 {
                out.push_str("> [!WARNING]\n> ");
                out.push_str(&say("diff-errors", &[("rev", &code(rev)), ("n", &n.to_string())]));
                out.push_str("\n\n");
            }
        }
        if self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty() {
            out.push_str(&say("diff-none", &[("date", &as_of)]));
            out.push('\n');
            return out;
        }
        let (added, removed, changed) =
            (self.added.len().to_string(), self.removed.len().to_string(), self.changed.len().to_string());
        out.push_str(&say(
            "diff-counts",
            &[("date", &as_of), ("added", &added), ("removed", &removed), ("changed", &changed)],
        ));
        out.push('\n');
        let count = |w: Warning| self.changed.iter().flat_map(|g| &g.changes).filter(|c| c.warning == Some(w)).count();
        let (lowered, moved) = (count(Warning::LoweredTarget), count(Warning::DeadlineMovedAfterStart));
        if lowered + moved > 0 {
            let mut parts = Vec::new();
            if lowered > 0 {
                parts.push(say("diff-lowered", &[("n", &lowered.to_string())]));
            }
            if moved > 0 {
                parts.push(say("diff-moved", &[("n", &moved.to_string())]));
            }
            out.push_str(&say("diff-attention", &[("parts", &parts.join(", "))]));
            out.push('\n');
        }
        if !self.added.is_empty() {
            out.push_str(&format!("\n### {}\n\n", say("diff-added", &[])));
            for s in &self.added {
                out.push_str(&format!("- {} **{}**: {}\n", code(&s.id), escape(&s.title), s.facts()));
            }
        }
        if !self.removed.is_empty() {
            out.push_str(&format!("\n### {}\n\n", say("diff-removed", &[])));
            for s in &self.removed {
                out.push_str(&format!("- {} **{}**: {}\n", code(&s.id), escape(&s.title), s.facts()));
            }
        }
        if !self.changed.is_empty() {
            out.push_str(&format!("\n### {}\n", say("diff-changed", &[])));
            for g in &self.changed {
                out.push_str(&format!("\n{} **{}**\n\n", code(&g.id), escape(&g.title)));
                for c in &g.changes {
                    out.push_str(&c.line(&self.lang));
                }
            }
        }
        out
    }
}

impl Summary {
    fn facts(&self) -> String {
        let unit = escape(self.unit.as_deref().unwrap_or(""));
        let mut parts = vec![self.kind.to_string()];
        if let Some(t) = self.target {
            parts.push(format!("target {}{unit}", number(t)));
        }
        if let Some(d) = self.due {
            parts.push(format!("due {d}"));
        }
        parts.push(self.status.to_string());
        if let Some(p) = percent(self.progress) {
            parts.push(format!("{p}%"));
        }
        parts.join(", ")
    }
}

impl Change {
    fn line(&self, lang: &str) -> String {
        let show = |v: &Value| match (self.field, v) {
            ("progress", Value::Number(p)) => format!("{}%", (p * 100.0).round() as i64),
            _ => v.show(""),
        };
        let mut line = format!("- {}: {} → {}", self.field, show(&self.before), show(&self.after));
        match self.warning {
            Some(Warning::LoweredTarget) => {
                line.push_str(&format!(" — ⚠️ **{}**", crate::messages::text(lang, "diff-target-lowered", &[])))
            }
            Some(Warning::DeadlineMovedAfterStart) => {
                line.push_str(&format!(" — ⚠️ **{}**", crate::messages::text(lang, "diff-deadline-moved", &[])))
            }
            None => {}
        }
        line.push('\n');
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_text_show_as_written() {
        assert_eq!(number(400.0), "400");
        assert_eq!(number(-2.5), "-2.5");
        assert_eq!(escape("a*b_[c]"), "a\\*b\\_\\[c\\]");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("a``b"), "``` a``b ```");
        assert_eq!(escape("@lan <b>&amp;\nx: [y](z)"), "@\u{200b}lan \\<b\\>\\&amp; x\\: \\[y\\]\\(z\\)");
    }
}
