//! `goalbook remind` (SPEC §4): who owes a check-in, what is due soon, what
//! is off track, by person, read off the computed [`Project`].
//!
//! Nothing is recomputed here: staleness is [`crate::lint::stale_days`], the
//! status and days left are the numbers of SPEC §3. The Markdown is the body
//! of the one GitHub issue the weekly workflow keeps open, so owners with a
//! `github` handle in `[people]` are mentioned.

use crate::Project;
use crate::i18n::Locale;
use crate::terms::{Kind, Status};
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt::Write;

/// The output formats of `goalbook remind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

/// Why a goal is on the list.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Reason {
    /// The last check-in is older than `status.stale-after-days`.
    Stale {
        days: i64,
        #[serde(serialize_with = "date")]
        last: NaiveDate,
    },
    /// No check-in yet, more than `status.stale-after-days` after the start
    /// (`days` since then; `None` for a kpi, which has no start).
    Missing {
        days: Option<i64>,
    },
    DueSoon {
        days_left: i64,
        #[serde(serialize_with = "date")]
        due: NaiveDate,
    },
    OffTrack {
        progress: Option<f64>,
        expected: Option<f64>,
    },
}

/// One goal that needs its owner.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Item {
    pub id: String,
    pub title: String,
    pub file: String,
    pub status: &'static str,
    pub reasons: Vec<Reason>,
}

/// One owner (or nobody) and their goals, by id.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Person {
    /// The `owner` id; `None` for goals without one.
    pub owner: Option<String>,
    pub name: String,
    pub github: Option<String>,
    pub goals: Vec<Item>,
}

/// The reminders of a repository as of a date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reminders {
    /// `book.language`, for [`render`].
    #[serde(skip)]
    pub language: String,
    #[serde(serialize_with = "date")]
    pub as_of: NaiveDate,
    pub within: u32,
    pub stale_after_days: i64,
    /// Owners by id; goals without an owner last.
    pub people: Vec<Person>,
}

fn date<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&d.format("%Y-%m-%d"))
}

/// The goals that need attention, by owner.
pub fn reminders(project: &Project, within: u32) -> Reminders {
    let repo = &project.repo;
    let as_of = project.as_of;
    let stale_after = repo.config.stale_after_days;
    let locale = Locale::new(&repo.config.language);
    let mut by_owner: std::collections::BTreeMap<(bool, String), Vec<Item>> = Default::default();
    for (i, (g, n)) in repo.goals.iter().zip(&project.numbers).enumerate() {
        let mut reasons = Vec::new();
        if let Some(days) = crate::lint::stale_days(repo, i, n, as_of) {
            let last = g.checkins[n.last_checkin.unwrap_or(0)].date;
            reasons.push(Reason::Stale { days, last });
        }
        let measured = g.target.is_some() || g.kind == Kind::Kpi;
        let active = n.status != Status::Achieved
            && !g.done
            && match g.kind {
                Kind::Kpi => true,
                _ => g.start.is_some_and(|s| s <= as_of) && g.due.is_some_and(|d| as_of <= d),
            };
        if measured && active && n.last_checkin.is_none() {
            let since = if g.kind == Kind::Kpi { None } else { g.start.map(|s| (as_of - s).num_days()) };
            if since.is_none_or(|d| d > stale_after) {
                reasons.push(Reason::Missing { days: since });
            }
        }
        if let (Some(due), Some(left)) = (g.due, n.days_left)
            && active
            && (0..=i64::from(within)).contains(&left)
        {
            reasons.push(Reason::DueSoon { days_left: left, due });
        }
        if n.status == Status::OffTrack {
            reasons.push(Reason::OffTrack { progress: n.progress, expected: n.expected });
        }
        if reasons.is_empty() {
            continue;
        }
        let key = match &g.owner {
            Some(o) => (false, o.clone()),
            None => (true, String::new()),
        };
        by_owner.entry(key).or_default().push(Item {
            id: g.id.clone(),
            title: g.title.clone(),
            file: g.file.clone(),
            status: n.status.as_str(),
            reasons,
        });
    }
    let people = by_owner
        .into_iter()
        .map(|((nobody, owner), goals)| {
            if nobody {
                return Person { owner: None, name: locale.t("remind.no-owner").to_string(), github: None, goals };
            }
            let person = repo.config.people.get(&owner);
            Person {
                name: repo.config.person_name(&owner).to_string(),
                github: person.and_then(|p| p.github.clone()),
                owner: Some(owner),
                goals,
            }
        })
        .collect();
    Reminders { language: repo.config.language.clone(), as_of, within, stale_after_days: stale_after, people }
}

fn percent(locale: &Locale, v: Option<f64>) -> String {
    v.map_or("–".to_string(), |v| locale.percent(v))
}

/// A reason in words, in the repository's language.
pub fn describe(locale: &Locale, r: &Reason) -> String {
    let n = |v: i64| v.to_string();
    match r {
        Reason::Stale { days, last } => locale.tf("remind.stale", &[("n", &n(*days)), ("date", &last.to_string())]),
        Reason::Missing { days: None } => locale.t("remind.missing").to_string(),
        Reason::Missing { days: Some(d) } => locale.tf("remind.missing-since", &[("n", &n(*d))]),
        Reason::DueSoon { days_left: 0, due } => locale.tf("remind.due-today", &[("date", &due.to_string())]),
        Reason::DueSoon { days_left, due } => {
            locale.tf("remind.due", &[("n", &n(*days_left)), ("date", &due.to_string())])
        }
        Reason::OffTrack { progress: None, expected: None } => locale.t("remind.off-track").to_string(),
        Reason::OffTrack { progress, expected } => locale.tf(
            "remind.off-track-pace",
            &[("progress", &percent(locale, *progress)), ("expected", &percent(locale, *expected))],
        ),
    }
}

fn heading(p: &Person, markdown: bool) -> String {
    let mut out = if markdown { escape_markdown(&p.name) } else { p.name.clone() };
    match (&p.owner, &p.github) {
        (_, Some(gh)) => {
            let _ = write!(out, " (@{gh})");
        }
        (Some(id), None) if *id != p.name => {
            let _ = if markdown { write!(out, " (`{id}`)") } else { write!(out, " ({id})") };
        }
        _ => {}
    }
    out
}

/// Markdown text without surprises: no links, no HTML, no emphasis.
fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_[]<>#|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The reminders as text, Markdown (a GitHub issue body) or JSON, in the
/// repository's `book.language` (dates stay YYYY-MM-DD: one form for all).
pub fn render(r: &Reminders, format: Format) -> String {
    let locale = Locale::new(&r.language);
    let count: usize = r.people.iter().map(|p| p.goals.len()).sum();
    let args = [
        ("n", count.to_string()),
        ("age", r.stale_after_days.to_string()),
        ("soon", r.within.to_string()),
        ("date", r.as_of.to_string()),
    ];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut out = String::new();
    match format {
        Format::Json => {
            out = serde_json::to_string_pretty(r).unwrap_or_default();
            out.push('\n');
        }
        Format::Markdown => {
            let _ = writeln!(out, "## {}\n", locale.tf("remind.title", &args));
            if count == 0 {
                let _ = writeln!(out, "{}", locale.tf("remind.none", &args));
                return out;
            }
            let _ = writeln!(out, "{}", locale.tf("remind.intro", &args));
            for p in &r.people {
                let _ = writeln!(out, "\n### {}\n", heading(p, true));
                for g in &p.goals {
                    let reasons: Vec<String> = g.reasons.iter().map(|r| describe(&locale, r)).collect();
                    let _ =
                        writeln!(out, "- [ ] **{}** (`{}`): {}", escape_markdown(&g.title), g.id, reasons.join("; "));
                }
            }
        }
        Format::Text => {
            if count == 0 {
                let _ = writeln!(out, "{}", locale.tf("remind.nothing", &args));
                return out;
            }
            for (i, p) in r.people.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                let _ = writeln!(out, "{}", heading(p, false));
                for g in &p.goals {
                    let reasons: Vec<String> = g.reasons.iter().map(|r| describe(&locale, r)).collect();
                    let _ = writeln!(out, "  {} ({}): {}", g.title, g.id, reasons.join("; "));
                }
            }
        }
    }
    out
}
