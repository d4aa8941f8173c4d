//! The shared part of the views: [`Ctx`], the row and link structs every page
//! uses, and the helpers its children build on. The children of [`super`] use
//! only this module and each other, never their parent.

pub(super) use crate::compute::{Letter, Numbers, SmartFault, Status};
pub(super) use crate::i18n::Locale;
pub(super) use crate::model::{Direction, Kind, Perspective, Repo};
pub(super) use crate::period::Period;
pub(super) use crate::render::diagram::{status_class, status_icon};
pub(super) use crate::sets::GroupKind;
pub(super) use crate::slug::slugify;
pub(super) use chrono::NaiveDate;
pub(super) use rayon::prelude::*;
pub(super) use serde::Serialize;
pub(super) use std::collections::BTreeMap;

/// Days ahead that count as "due soon" on the dashboard.
pub const DUE_SOON_DAYS: i64 = 30;
/// Entries of each dashboard list (recent check-ins, stale, due soon).
pub const DASHBOARD_LIST: usize = 8;
/// Top-level objectives shown as cards on the dashboard.
pub const DASHBOARD_OBJECTIVES: usize = 12;
/// Goals of one kind listed under a scorecard perspective; the rest are counted.
pub const SCORECARD_GROUP: usize = 40;

/// Everything a view needs, borrowed from the build.
pub struct Ctx<'a> {
    pub repo: &'a Repo,
    pub numbers: &'a [Numbers],
    pub locale: &'a Locale,
    pub as_of: NaiveDate,
}

/// A link: text and a URL relative to the site root.
#[derive(Clone, Debug, Serialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

/// A status as templates show it: never by colour alone.
#[derive(Clone, Debug, Default, Serialize)]
pub struct StatusView {
    /// `on-track`: the CSS class and a stable key for templates.
    pub key: &'static str,
    pub label: String,
    pub icon: &'static str,
    pub help: String,
}

impl StatusView {
    pub fn new(s: Status, locale: &Locale) -> StatusView {
        StatusView {
            key: status_class(s),
            label: locale.status(s).to_string(),
            icon: status_icon(s),
            help: locale.t(&format!("status-help.{}", s.as_str())).to_string(),
        }
    }
}

/// A progress bar: the share done and the pace expected by now.
#[derive(Clone, Debug, Serialize)]
pub struct Bar {
    /// Width of the filled part in percent, 0–100 (over-achievement is capped).
    pub width: String,
    /// Position of the expected-pace mark in percent, when there is a pace.
    pub expected: Option<String>,
    /// The progress as text (`46%`).
    pub text: String,
}

fn pct_css(ratio: f64) -> String {
    let v = (ratio.clamp(0.0, 1.0) * 1000.0).round() / 10.0;
    format!("{v}")
}

/// One goal in a list or table; built once per goal and shared by every page.
#[derive(Clone, Debug, Default, Serialize)]
pub struct GoalRow {
    pub id: String,
    pub title: String,
    pub url: String,
    pub kind: &'static str,
    pub kind_label: String,
    pub owner: Option<Link>,
    pub team: Option<Link>,
    pub period: Option<Link>,
    pub perspective: Option<String>,
    pub status: StatusView,
    pub bar: Option<Bar>,
    /// Short current value and target (`210`, `10 tỷ ₫`), with the full value for tooltips.
    pub current: Option<String>,
    pub current_full: Option<String>,
    pub target: Option<String>,
    pub target_full: Option<String>,
    pub due: Option<String>,
    pub due_iso: Option<String>,
    pub days_left: Option<String>,
    pub score: Option<String>,
    pub sparkline: Option<String>,
}

/// Site-wide values every page shows: title, language, navigation.
#[derive(Debug, Serialize)]
pub struct SiteView {
    pub lang: String,
    pub title: String,
    pub description: String,
    pub as_of: String,
    pub as_of_iso: String,
    pub site_url: String,
    pub periods: Vec<PeriodLink>,
    pub goal_count: usize,
}

/// A period in the switcher.
#[derive(Clone, Debug, Serialize)]
pub struct PeriodLink {
    pub key: String,
    pub label: String,
    pub url: String,
    /// Whether `as_of` falls inside the period.
    pub current: bool,
}

/// Goals grouped by team, owner and period, each group sorted by goal id.
pub struct Groups {
    pub teams: Vec<Group>,
    pub people: Vec<Group>,
    pub periods: Vec<Group>,
}

/// One team, owner or period and its goals.
pub struct Group {
    pub slug: String,
    pub name: String,
    pub goals: Vec<usize>,
    /// The period itself, for period groups.
    pub period: Option<Period>,
}

impl Group {
    pub fn url(&self, folder: &str) -> String {
        format!("{folder}/{}/index.html", self.slug)
    }
}

impl Groups {
    /// The sets of [`crate::sets`]: teams, people and periods.
    pub fn new(repo: &Repo) -> Groups {
        // Shown by their `[teams]` / `[people]` name, else the id (SPEC §1).
        let c = &repo.config;
        let teams = crate::sets::teams(repo)
            .into_iter()
            .map(|(slug, id, goals)| Group { slug, name: c.team_name(&id).to_string(), goals, period: None })
            .collect();
        let people = crate::sets::people(repo)
            .into_iter()
            .map(|(slug, id, goals)| Group { slug, name: c.person_name(&id).to_string(), goals, period: None })
            .collect();
        let periods = crate::sets::period_sets(repo)
            .into_iter()
            .map(|(p, goals)| Group { slug: p.to_string(), name: p.to_string(), goals, period: Some(p) })
            .collect();
        Groups { teams, people, periods }
    }
}

pub fn team_url(team: &str) -> String {
    format!("teams/{}/index.html", slugify(team))
}

pub fn person_url(owner: &str) -> String {
    format!("people/{}/index.html", slugify(owner))
}

pub fn period_url(p: Period) -> String {
    format!("periods/{p}/index.html")
}

impl Ctx<'_> {
    fn status(&self, s: Status) -> StatusView {
        StatusView::new(s, self.locale)
    }

    /// `37 days left`, `Due today`, `3 days overdue`, `Starts in 5 days`.
    pub fn days_text(&self, i: usize) -> Option<String> {
        let g = &self.repo.goals[i];
        let n = &self.numbers[i];
        let l = self.locale;
        if n.status == Status::Upcoming {
            let days = g.start.map(|s| (s - self.as_of).num_days())?;
            return Some(l.tf("goal.starts-in", &[("n", &days.to_string())]));
        }
        let left = n.days_left?;
        // A goal whose period ended says so, with its final score.
        if left < 0
            && let (Some(due), Some(score)) = (g.due, n.score)
        {
            return Some(l.tf("goal.ended", &[("date", &l.date(due)), ("score", &l.number(score, 2))]));
        }
        Some(match left {
            0 => l.t("goal.due-today").to_string(),
            d if d > 0 => l.tf("goal.days-left", &[("n", &l.number(d as f64, 0))]),
            d => l.tf("goal.days-overdue", &[("n", &l.number(-d as f64, 0))]),
        })
    }

    pub fn bar(&self, i: usize) -> Option<Bar> {
        let n = &self.numbers[i];
        let p = n.progress?;
        Some(Bar { width: pct_css(p), expected: n.expected.map(pct_css), text: self.locale.percent(p) })
    }

    /// The list row of goal `i`, with its sparkline.
    pub fn row(&self, i: usize) -> GoalRow {
        let g = &self.repo.goals[i];
        let n = &self.numbers[i];
        let l = self.locale;
        let unit = g.unit.as_deref();
        GoalRow {
            id: g.id.clone(),
            title: g.title.clone(),
            url: g.url(),
            kind: g.kind.as_str(),
            kind_label: l.kind(g.kind).to_string(),
            owner: g
                .owner
                .as_ref()
                .map(|o| Link { label: self.repo.config.person_name(o).to_string(), url: person_url(o) }),
            team: g.team.as_ref().map(|t| Link { label: self.repo.config.team_name(t).to_string(), url: team_url(t) }),
            period: g.period.map(|p| Link { label: l.period(p), url: period_url(p) }),
            perspective: n.perspective.map(|p| self.perspective_label(p)),
            status: self.status(n.status),
            bar: self.bar(i),
            current: n.current.map(|v| l.short(v, unit)),
            current_full: n.current.map(|v| l.value(v, unit)),
            target: g.target.map(|v| l.short(v, unit)),
            target_full: g.target.map(|v| l.value(v, unit)),
            due: g.due.filter(|_| g.kind != Kind::Kpi).map(|d| l.date(d)),
            due_iso: g.due.filter(|_| g.kind != Kind::Kpi).map(|d| d.to_string()),
            days_left: self.days_text(i),
            score: n.score.map(|s| l.number(s, 2)),
            sparkline: crate::render::chart::sparkline(self.repo, self.numbers, i, self.as_of),
        }
    }

    /// Rows of every goal, in parallel (sparklines are the costly part).
    pub fn rows(&self) -> Vec<GoalRow> {
        (0..self.repo.goals.len()).into_par_iter().map(|i| self.row(i)).collect()
    }

    /// `[perspectives]` labels of book.toml, else the locale's.
    pub fn perspective_label(&self, p: Perspective) -> String {
        match self.repo.config.perspective_labels.get(p.as_str()) {
            Some(label) => label.clone(),
            None => self.locale.perspective(p).to_string(),
        }
    }

    pub fn site(&self, groups: &Groups) -> SiteView {
        let c = &self.repo.config;
        let fy = c.fiscal_year_start;
        let periods = groups
            .periods
            .iter()
            .filter_map(|g| {
                let p = g.period?;
                let current = p.dates(fy).is_some_and(|(s, e)| s <= self.as_of && self.as_of <= e);
                Some(PeriodLink { key: p.to_string(), label: self.locale.period(p), url: g.url("periods"), current })
            })
            .collect();
        SiteView {
            lang: self.locale.lang().to_string(),
            title: c.title.clone(),
            description: c.description.clone(),
            as_of: self.locale.date(self.as_of),
            as_of_iso: self.as_of.to_string(),
            site_url: c.site_url.clone(),
            periods,
            goal_count: self.repo.goals.len(),
        }
    }

    /// Counts per status (in [`Status::ALL`] order, empty ones left out).
    pub fn status_counts(&self, goals: impl Iterator<Item = usize>) -> Summary {
        let f = crate::sets::figures(self.numbers, goals);
        let total = f.count;
        let statuses = Status::ALL
            .iter()
            .filter_map(|&s| {
                let count = *f.statuses.get(&s)?;
                Some(StatusCount { status: self.status(s), count, share: pct_css(count as f64 / total.max(1) as f64) })
            })
            .collect();
        Summary {
            total,
            total_text: self.locale.tf("goal.count", &[("n", &total.to_string())]),
            statuses,
            average: f.average.map(|a| self.locale.percent(a)),
            average_bar: f.average.map(pct_css),
            covered: f.covered,
        }
    }
}

/// How many goals have each status, and their average progress.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub total: usize,
    pub total_text: String,
    pub statuses: Vec<StatusCount>,
    /// Mean of `min(progress, 1)` over goals with a progress.
    pub average: Option<String>,
    pub average_bar: Option<String>,
    /// How many goals the average covers (kpis have no progress).
    pub covered: usize,
}

#[derive(Debug, Serialize)]
pub struct StatusCount {
    pub status: StatusView,
    pub count: usize,
    /// Share of the goals, in percent, for the stacked bar.
    pub share: String,
}
