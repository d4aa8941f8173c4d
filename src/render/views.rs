//! View structs: what each template sees, built from the model and numbers.
//!
//! Templates never see [`Repo`] or [`Numbers`]: they get these serialisable
//! structs, with every number and date already formatted for the locale and
//! every link relative to the site root (templates prefix `root`). The model
//! can change without breaking a user's template override. Building views is
//! linear in the number of goals and check-ins; nothing here writes files.

use super::diagram::{status_class, status_icon};
use crate::compute::{Letter, Numbers, SmartFault, Status};
use crate::i18n::Locale;
use crate::model::{Direction, Kind, Perspective, Repo};
use crate::period::Period;
use crate::sets::GroupKind;
use crate::slug::slugify;
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

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
            sparkline: super::chart::sparkline(self.repo, self.numbers, i, self.as_of),
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

// ---------------------------------------------------------------- dashboard

#[derive(Serialize)]
pub struct Dashboard<'a> {
    pub summary: Summary,
    pub objectives: Vec<ObjectiveCard<'a>>,
    /// Top-level objectives beyond the cards (the cascade shows them all).
    pub objectives_more: usize,
    pub recent: Vec<RecentCheckin<'a>>,
    /// Active goals off track or at risk, the furthest behind first.
    pub attention: Vec<Flagged<'a>>,
    pub attention_more: usize,
    pub stale: Vec<Flagged<'a>>,
    /// Stale goals beyond the list.
    pub stale_more: usize,
    pub due_soon: Vec<Flagged<'a>>,
    pub due_soon_more: usize,
    pub due_soon_days: i64,
    pub perspectives: Vec<PerspectiveSummary>,
}

#[derive(Serialize)]
pub struct ObjectiveCard<'a> {
    pub goal: &'a GoalRow,
    pub children: usize,
    pub children_text: String,
}

#[derive(Serialize)]
pub struct RecentCheckin<'a> {
    pub goal: &'a GoalRow,
    pub date: String,
    pub date_iso: String,
    pub value: String,
    pub change: Option<String>,
    pub note: Option<String>,
}

/// A goal on a dashboard list with why it is there (`32 days without a check-in`).
#[derive(Serialize)]
pub struct Flagged<'a> {
    pub goal: &'a GoalRow,
    pub reason: String,
}

#[derive(Serialize)]
pub struct PerspectiveSummary {
    pub key: &'static str,
    pub label: String,
    pub help: String,
    pub url: String,
    pub summary: Summary,
}

/// The first `n` of `items` in the order of `cmp`, sorted. `cmp` must be a
/// total order (every list here ends its ties with a goal's index), so the
/// result is what sorting everything and taking `n` gives, without sorting
/// tens of thousands of check-ins for a list of eight.
fn first_sorted<T>(mut items: Vec<T>, n: usize, cmp: impl Fn(&T, &T) -> std::cmp::Ordering) -> Vec<T> {
    if items.len() > n {
        items.select_nth_unstable_by(n, &cmp);
        items.truncate(n);
    }
    items.sort_by(cmp);
    items
}

fn signed_short(locale: &Locale, delta: f64, unit: Option<&str>) -> String {
    let v = locale.short(delta, unit);
    if delta > 0.0 { format!("+{v}") } else { v }
}

impl Ctx<'_> {
    pub fn dashboard<'r>(&self, rows: &'r [GoalRow]) -> Dashboard<'r> {
        let repo = self.repo;
        let l = self.locale;
        let top: Vec<usize> = (0..repo.goals.len())
            .filter(|&i| repo.parent[i].is_none() && repo.goals[i].kind == Kind::Objective)
            .collect();
        let objectives_more = top.len().saturating_sub(DASHBOARD_OBJECTIVES);
        let objectives = top
            .into_iter()
            .take(DASHBOARD_OBJECTIVES)
            .map(|i| {
                let n = repo.children[i].len();
                ObjectiveCard {
                    goal: &rows[i],
                    children: n,
                    children_text: l.tf("goal.roll-up", &[("n", &n.to_string())]),
                }
            })
            .collect();

        let mut checkins: Vec<(NaiveDate, &str, usize, usize)> = Vec::new();
        for (i, g) in repo.goals.iter().enumerate() {
            for (k, c) in g.checkins.iter().enumerate() {
                if c.date <= self.as_of {
                    checkins.push((c.date, g.id.as_str(), i, k));
                }
            }
        }
        // Newest first; ties by goal id, then the later check-in first.
        let checkins =
            first_sorted(checkins, DASHBOARD_LIST, |a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)).then(b.3.cmp(&a.3)));
        let recent = checkins
            .iter()
            .map(|&(date, _, i, k)| {
                let g = &repo.goals[i];
                let c = &g.checkins[k];
                let unit = g.unit.as_deref();
                RecentCheckin {
                    goal: &rows[i],
                    date: l.date(date),
                    date_iso: date.to_string(),
                    value: l.short(c.value, unit),
                    change: crate::sets::change(repo, self.numbers, i, k).map(|d| signed_short(l, d, unit)),
                    note: c.note.clone(),
                }
            })
            .collect();

        let stale: Vec<(i64, usize)> = (0..repo.goals.len())
            .filter_map(|i| crate::lint::stale_days(repo, i, &self.numbers[i], self.as_of).map(|d| (d, i)))
            .collect();
        let stale_total = stale.len();
        let stale = first_sorted(stale, DASHBOARD_LIST, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)))
            .into_iter()
            .map(|(d, i)| Flagged {
                goal: &rows[i],
                reason: l.tf("dashboard.stale-days", &[("n", &l.number(d as f64, 0))]),
            })
            .collect();

        let due: Vec<(i64, usize)> = (0..repo.goals.len())
            .filter_map(|i| {
                let n = &self.numbers[i];
                let active = matches!(n.status, Status::OnTrack | Status::AtRisk | Status::OffTrack);
                let left = n.days_left?;
                (active && (0..=DUE_SOON_DAYS).contains(&left)).then_some((left, i))
            })
            .collect();
        let due_soon_total = due.len();
        let due_soon = first_sorted(due, DASHBOARD_LIST, Ord::cmp)
            .into_iter()
            .map(|(_, i)| Flagged { goal: &rows[i], reason: self.days_text(i).unwrap_or_default() })
            .collect();

        // Off track before at risk; within each, the lowest share of the expected pace first.
        let behind: Vec<(Status, i64, usize)> = (0..repo.goals.len())
            .filter_map(|i| {
                let n = &self.numbers[i];
                if !matches!(n.status, Status::OffTrack | Status::AtRisk) {
                    return None;
                }
                let pace = match (n.progress, n.expected) {
                    (Some(p), Some(e)) if e > 0.0 => p / e,
                    _ => 0.0,
                };
                Some((n.status, (pace * 1e6).round() as i64, i))
            })
            .collect();
        let attention_more = behind.len().saturating_sub(DASHBOARD_LIST);
        let behind = first_sorted(behind, DASHBOARD_LIST, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let attention = behind
            .into_iter()
            .map(|(_, _, i)| {
                let n = &self.numbers[i];
                let g = &repo.goals[i];
                let unit = g.unit.as_deref();
                let reason = match (n.progress, n.expected, n.current, g.target) {
                    (Some(p), Some(e), _, _) => {
                        l.tf("dashboard.behind-pace", &[("progress", &l.percent(p)), ("expected", &l.percent(e))])
                    }
                    (None, _, Some(c), Some(t)) => l.tf(
                        "dashboard.kpi-vs-target",
                        &[("current", &l.short(c, unit)), ("target", &l.short(t, unit))],
                    ),
                    _ => String::new(),
                };
                Flagged { goal: &rows[i], reason }
            })
            .collect();

        let perspectives = Perspective::ALL
            .iter()
            .map(|&p| PerspectiveSummary {
                key: p.as_str(),
                label: self.perspective_label(p),
                help: l.t(&format!("perspective-help.{}", p.as_str())).to_string(),
                url: format!("scorecard/index.html#perspective-{}", p.as_str()),
                summary: self.status_counts(crate::sets::perspective_members(self.numbers, p).into_iter()),
            })
            .collect();

        Dashboard {
            summary: self.status_counts(0..repo.goals.len()),
            objectives,
            objectives_more,
            recent,
            attention,
            attention_more,
            stale_more: stale_total.saturating_sub(DASHBOARD_LIST),
            stale,
            due_soon_more: due_soon_total.saturating_sub(DASHBOARD_LIST),
            due_soon,
            due_soon_days: DUE_SOON_DAYS,
            perspectives,
        }
    }
}

// ---------------------------------------------------------------- goal page

#[derive(Serialize)]
pub struct GoalPage<'a> {
    pub goal: &'a GoalRow,
    /// `[output.html] edit-url-template` with `{path}` = the goal file's path.
    pub edit_url: Option<String>,
    /// What the status means for this goal (a kpi is judged by its value,
    /// not by a pace).
    pub status_help: String,
    /// The chart's heading: a kpi's chart is the trend of its check-ins.
    pub chart_title: String,
    pub breadcrumb: Vec<Link>,
    pub commitment: String,
    pub commitment_help: String,
    pub perspective_inherited: bool,
    pub start: Option<String>,
    pub due: Option<String>,
    pub metric: Option<String>,
    pub unit: Option<String>,
    pub baseline: Option<String>,
    pub baseline_short: Option<String>,
    pub current: Option<String>,
    pub target: Option<String>,
    pub warning: Option<String>,
    pub direction: Option<String>,
    pub progress: Option<String>,
    pub expected: Option<String>,
    pub elapsed: Option<String>,
    pub score: Option<String>,
    pub forecast: Option<String>,
    pub forecast_short: Option<String>,
    pub forecast_progress: Option<String>,
    pub confidence: Option<String>,
    pub weight: String,
    pub tasks: Option<String>,
    pub done: bool,
    pub smart: Vec<SmartItem>,
    pub smart_ok: bool,
    pub parent: Option<Link>,
    pub children: Vec<ChildRow<'a>>,
    pub children_title: String,
    pub rolls_up: bool,
    pub supports: Vec<Link>,
    pub supported_by: Vec<Link>,
    pub checkins: Vec<CheckinRow>,
    pub milestones: Vec<MilestoneRow>,
    pub body: String,
    pub chart: Option<String>,
    pub cascade: String,
    /// Whether the cascade starts at the parent (showing this goal's siblings).
    pub cascade_from_parent: bool,
    pub file: String,
}

/// One letter of the SMART checklist: met or not, and why not.
#[derive(Serialize)]
pub struct SmartItem {
    pub letter: String,
    pub name: String,
    pub ok: bool,
    pub state: String,
    pub question: String,
    pub help: String,
    pub reasons: Vec<String>,
}

#[derive(Serialize)]
pub struct ChildRow<'a> {
    pub goal: &'a GoalRow,
    pub weight: String,
    /// Share of the parent's roll-up (weight / sum of weights), when it rolls up.
    pub share: Option<String>,
    /// Share × min(progress, 1): the points this goal adds to the parent.
    pub contribution: Option<String>,
}

#[derive(Serialize)]
pub struct CheckinRow {
    pub date: String,
    pub date_iso: String,
    /// Short value (`4.2B ₫`) and the full one for its tooltip.
    pub value: String,
    pub value_full: String,
    pub change: Option<String>,
    pub confidence: Option<String>,
    pub note: Option<String>,
}

#[derive(Serialize)]
pub struct MilestoneRow {
    pub date: String,
    pub date_iso: String,
    pub target: String,
    pub target_full: String,
    pub note: Option<String>,
    /// `reached`, `not-reached` or `upcoming`.
    pub state: &'static str,
    pub state_label: String,
    pub icon: &'static str,
}

impl Ctx<'_> {
    /// Why each SMART letter fails, in the words of SPEC §3.
    fn smart(&self, i: usize) -> Vec<SmartItem> {
        let repo = self.repo;
        let g = &repo.goals[i];
        let n = &self.numbers[i];
        let l = self.locale;
        let s = n.smart;
        let mut items = Vec::new();
        let mut push = |letter: &str, ok: bool, reasons: Vec<String>| {
            items.push(SmartItem {
                letter: l.t(&format!("smart.{letter}-letter")).to_string(),
                name: l.t(&format!("smart.{letter}")).to_string(),
                ok,
                state: l.t(if ok { "smart.met" } else { "smart.not-met" }).to_string(),
                question: l.t(&format!("smart.{letter}-question")).to_string(),
                help: l.t(&format!("smart.{letter}-help")).to_string(),
                reasons: if ok { Vec::new() } else { reasons },
            });
        };

        let why = |letter: Letter| -> Vec<String> {
            let word = |f: &SmartFault| match *f {
                SmartFault::NoOwner => l.t("smart.why-no-owner").to_string(),
                SmartFault::VagueTitle => l.t("smart.why-vague-title").to_string(),
                SmartFault::NoTarget => l.t("smart.why-no-target").to_string(),
                SmartFault::NoTasks => l.t("smart.why-no-tasks").to_string(),
                SmartFault::NoChildren => l.t("smart.why-no-children").to_string(),
                SmartFault::Growth { target, baseline, max } => {
                    l.tf("smart.why-growth", &[("ratio", &l.number(target / baseline, 1)), ("max", &l.number(max, 1))])
                }
                SmartFault::Pace => l.t("smart.why-pace").to_string(),
                SmartFault::NoParent => l.t("smart.why-no-parent").to_string(),
                SmartFault::NoPerspective => l.t("smart.why-no-perspective").to_string(),
                SmartFault::NoDeadline => l.t("smart.why-no-deadline").to_string(),
            };
            n.smart_faults.iter().filter(|f| f.letter() == letter).map(word).collect()
        };
        push("s", s.specific, why(Letter::Specific));
        push("m", s.measurable, why(Letter::Measurable));
        push("a", s.achievable, why(Letter::Achievable));
        push("r", s.relevant, why(Letter::Relevant));
        push("t", s.time_bound, why(Letter::TimeBound));
        if g.kind == Kind::Kpi
            && let Some(t) = items.last_mut()
        {
            t.help = l.t("smart.t-help-kpi").to_string();
        }
        items
    }

    /// The value reached by `date`: the last check-in on or before it, else the baseline.
    fn value_at(&self, i: usize, date: NaiveDate) -> f64 {
        let g = &self.repo.goals[i];
        match crate::compute::last_checkin(&g.checkins, date) {
            Some(k) => g.checkins[k].value,
            None => g.baseline.unwrap_or(0.0),
        }
    }

    /// The page of the goal file a body link of goal `i` names
    /// (`../company/grow.md#why`), relative to the page at `root`.
    fn goal_file_link(&self, i: usize, url: &str, root: &str) -> Option<String> {
        let (path, fragment) = match url.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (url, None),
        };
        let path = path.strip_suffix(".md")?;
        if path.starts_with('/') || path.contains(':') {
            return None;
        }
        let file = &self.repo.goals[i].file;
        let goals_dir = self.repo.config.goals_dir.trim_end_matches('/');
        let rel = file.strip_prefix(goals_dir)?.trim_start_matches('/');
        let mut segments: Vec<&str> = rel.split('/').collect();
        segments.pop();
        for seg in path.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    segments.pop()?;
                }
                s => segments.push(s),
            }
        }
        let j = *self.repo.by_id.get(&segments.join("/"))?;
        let mut out = format!("{root}{}", self.repo.goals[j].url());
        if let Some(f) = fragment {
            out.push('#');
            out.push_str(f);
        }
        Some(out)
    }

    pub fn goal_page<'r>(
        &self,
        i: usize,
        rows: &'r [GoalRow],
        supported_by: &[Vec<usize>],
        root: &str,
    ) -> GoalPage<'r> {
        let cascade = self.goal_cascade(i, root);
        self.goal_page_with(i, rows, supported_by, root, cascade)
    }

    /// The cascade diagram of goal `i`'s page: from its parent (itself for a
    /// root) down. Siblings in the same folder share it, so the site renders
    /// it once per [`Ctx::goal_cascade_key`].
    pub fn goal_cascade(&self, i: usize, root: &str) -> String {
        let repo = self.repo;
        super::diagram::cascade(
            repo,
            self.numbers,
            &[repo.parent[i].unwrap_or(i)],
            GOAL_CASCADE_DEPTH,
            GOAL_CASCADE_NODES,
            self.locale,
            root,
        )
    }

    /// Goals with equal keys have byte-identical [`Ctx::goal_cascade`]s.
    pub fn goal_cascade_key(&self, i: usize, root: &str) -> (usize, usize) {
        (self.repo.parent[i].unwrap_or(i), root.len())
    }

    /// [`Ctx::goal_page`] with its cascade diagram already drawn.
    pub fn goal_page_with<'r>(
        &self,
        i: usize,
        rows: &'r [GoalRow],
        supported_by: &[Vec<usize>],
        root: &str,
        cascade: String,
    ) -> GoalPage<'r> {
        let repo = self.repo;
        let g = &repo.goals[i];
        let n = &self.numbers[i];
        let l = self.locale;
        let unit = g.unit.as_deref();
        let link = |j: usize| Link { label: repo.goals[j].title.clone(), url: repo.goals[j].url() };

        // Bounded however deep the chain: the top goal, a `…` link one level
        // below it, then the nearest ancestors (a 10,000-deep chain would
        // otherwise write every ancestor on every page).
        let mut up = repo.ancestors(i);
        let deep = up.len() > 8;
        if deep {
            let (top, below_top) = (up[up.len() - 1], up[up.len() - 2]);
            up.truncate(6);
            up.extend([below_top, top]);
        }
        let mut breadcrumb: Vec<Link> = up.into_iter().rev().map(link).collect();
        if deep {
            breadcrumb[1].label = "…".to_string();
        }
        breadcrumb.push(link(i));

        let rolls_up = g.kind == Kind::Objective && g.target.is_none();
        let kids = &repo.children[i];
        let weight_sum: f64 =
            kids.iter().filter(|&&c| self.numbers[c].progress.is_some()).map(|&c| repo.goals[c].weight).sum();
        let children = kids
            .iter()
            .map(|&c| {
                let counts = rolls_up && self.numbers[c].progress.is_some() && weight_sum > 0.0;
                let share = counts.then(|| repo.goals[c].weight / weight_sum);
                ChildRow {
                    goal: &rows[c],
                    weight: l.value(repo.goals[c].weight, None),
                    share: share.map(|s| l.percent(s)),
                    contribution: share
                        .zip(self.numbers[c].progress)
                        .map(|(s, p)| l.tf("goal.points", &[("n", &l.number(s * p.min(1.0) * 100.0, 1))])),
                }
            })
            .collect();

        let visible: Vec<usize> = (0..g.checkins.len()).filter(|&k| g.checkins[k].date <= self.as_of).collect();
        let checkins = visible
            .iter()
            .rev()
            .map(|&k| {
                let c = &g.checkins[k];
                CheckinRow {
                    date: l.date(c.date),
                    date_iso: c.date.to_string(),
                    value: l.short(c.value, unit),
                    value_full: l.value(c.value, unit),
                    change: crate::sets::change(repo, self.numbers, i, k).map(|d| signed_short(l, d, unit)),
                    confidence: c.confidence.map(|x| l.percent(x)),
                    note: c.note.clone(),
                }
            })
            .collect();

        let baseline = g.baseline.unwrap_or(0.0);
        let milestones = g
            .milestones
            .iter()
            .map(|m| {
                let state = if m.date > self.as_of {
                    "upcoming"
                } else {
                    let v = self.value_at(i, m.date);
                    let increase = g.target.map_or(m.target >= baseline, |t| t >= baseline);
                    let met = if increase { v >= m.target } else { v <= m.target };
                    if met { "reached" } else { "not-reached" }
                };
                let (label, icon) = match state {
                    "reached" => (l.t("milestone.reached"), status_icon(Status::Achieved)),
                    "not-reached" => (l.t("milestone.not-reached"), status_icon(Status::Missed)),
                    _ => (l.status(Status::Upcoming), status_icon(Status::Upcoming)),
                };
                MilestoneRow {
                    date: l.date(m.date),
                    date_iso: m.date.to_string(),
                    target: l.short(m.target, unit),
                    target_full: l.value(m.target, unit),
                    note: m.note.clone(),
                    state,
                    state_label: label.to_string(),
                    icon,
                }
            })
            .collect();

        let smart = self.smart(i);
        let goal_link = |url: &str| self.goal_file_link(i, url, root);
        let body = super::markdown::render(
            &g.body,
            &super::markdown::MarkdownOptions {
                allow_html: repo.config.allow_html,
                task_done: l.t("goal.task-done"),
                task_open: l.t("goal.task-open"),
                goal_link: Some(&goal_link),
            },
        );
        let kpi = g.kind == Kind::Kpi;
        let mut supports: Vec<Link> = repo.supports[i].iter().map(|&s| link(s)).collect();
        supports.sort_by(|a, b| a.url.cmp(&b.url));
        GoalPage {
            goal: &rows[i],
            edit_url: repo.config.edit_url_template.as_ref().map(|t| t.replace("{path}", &g.file)),
            chart_title: l.t(if kpi { "chart.title-kpi" } else { "chart.title" }).to_string(),
            status_help: match g.kind {
                Kind::Kpi => l.t(&format!("status-help-kpi.{}", n.status.as_str())).to_string(),
                _ => rows[i].status.help.clone(),
            },
            breadcrumb,
            commitment: l.t(&format!("commitment.{}", g.commitment.as_str())).to_string(),
            commitment_help: l.t(&format!("commitment-help.{}", g.commitment.as_str())).to_string(),
            perspective_inherited: g.perspective.is_none() && n.perspective.is_some(),
            start: g.start.filter(|_| !kpi).map(|d| l.date(d)),
            due: g.due.filter(|_| !kpi).map(|d| l.date(d)),
            metric: g.metric.clone().filter(|m| !m.trim().is_empty()),
            unit: g.unit.clone().filter(|u| !u.trim().is_empty()),
            // A kpi shows only the baseline its file gives (none is invented).
            baseline: if kpi { g.baseline } else { n.baseline }.map(|v| l.value(v, unit)),
            baseline_short: if kpi { g.baseline } else { n.baseline }.map(|v| l.short(v, unit)),
            current: n.current.map(|v| l.value(v, unit)),
            target: g.target.map(|v| l.value(v, unit)),
            warning: g.warning.filter(|_| kpi).map(|v| l.value(v, unit)),
            direction: kpi.then(|| {
                let d = g.direction.unwrap_or(Direction::Increase);
                l.t(&format!("direction.{}", d.as_str())).to_string()
            }),
            progress: n.progress.map(|p| l.percent(p)),
            expected: n.expected.map(|p| l.percent(p)),
            elapsed: n.elapsed.map(|p| l.percent(p)),
            score: n.score.map(|s| l.number(s, 2)),
            forecast: n.forecast.map(|v| l.value(round_to(v, decimals_of(g)), unit)),
            forecast_short: n.forecast.map(|v| l.short(round_to(v, decimals_of(g)), unit)),
            forecast_progress: n.forecast_progress.map(|p| l.percent(p)),
            confidence: n.last_checkin.and_then(|k| g.checkins[k].confidence).map(|c| l.percent(c)),
            weight: l.value(g.weight, None),
            // A key result's body may hold its plan as a checklist; only an
            // initiative is measured by its tasks, so only there are they a number.
            tasks: (g.kind == Kind::Initiative && g.tasks.1 > 0).then(|| {
                l.tf("goal.tasks-done", &[("done", &g.tasks.0.to_string()), ("total", &g.tasks.1.to_string())])
            }),
            done: g.done,
            smart_ok: smart.iter().all(|s| s.ok),
            smart,
            parent: repo.parent[i].map(link),
            children_title: l.tf("goal.roll-up", &[("n", &kids.len().to_string())]),
            children,
            rolls_up,
            supports,
            supported_by: supported_by[i].iter().map(|&s| link(s)).collect(),
            checkins,
            milestones,
            body,
            chart: super::chart::progress_chart(repo, self.numbers, i, self.as_of, l),
            cascade,
            file: g.file.clone(),
            cascade_from_parent: repo.parent[i].is_some(),
        }
    }
}

/// Decimals the goal's own numbers are written with (at most 2), so a
/// computed value such as the forecast is shown no more precisely than them.
fn decimals_of(g: &crate::model::Goal) -> usize {
    let values = g.baseline.into_iter().chain(g.target).chain(g.current).chain(g.checkins.iter().map(|c| c.value));
    values
        .map(|v| {
            let s = format!("{v}");
            s.split_once('.').map_or(0, |(_, frac)| frac.len())
        })
        .max()
        .unwrap_or(0)
        .min(2)
}

fn round_to(v: f64, decimals: usize) -> f64 {
    let f = 10f64.powi(decimals as i32);
    (v * f).round() / f
}

/// Levels its page's cascade shows, from the goal's parent down.
pub const GOAL_CASCADE_DEPTH: usize = 3;
/// SPEC: no diagram holds more than about 200 nodes.
pub const GOAL_CASCADE_NODES: usize = 40;
/// Levels of the site-wide cascade page.
pub const CASCADE_DEPTH: usize = 4;
// 199 goals and at most one "+N more" node: no diagram over 200 nodes (SPEC §5).
pub const CASCADE_NODES: usize = 199;

/// For each goal, the goals that list it in `supports`, sorted by id.
pub fn supported_by(repo: &Repo) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); repo.goals.len()];
    for (i, targets) in repo.supports.iter().enumerate() {
        for &t in targets {
            out[t].push(i);
        }
    }
    out
}

// ---------------------------------------------------------------- cascade, scorecard

#[derive(Serialize)]
pub struct CascadePage<'a> {
    pub diagram: String,
    pub outline: Vec<OutlineNode<'a>>,
    pub hidden: usize,
    pub hidden_text: String,
}

/// A goal in the text outline of the cascade (the diagram's accessible twin).
#[derive(Serialize)]
pub struct OutlineNode<'a> {
    pub goal: &'a GoalRow,
    pub children: Vec<OutlineNode<'a>>,
    /// Children left out to keep the page small.
    pub more: usize,
    pub more_text: String,
}

impl Ctx<'_> {
    /// Roots of the cascade: goals with no parent, kpis aside (they stand alone).
    pub fn cascade_roots(&self) -> Vec<usize> {
        (0..self.repo.goals.len())
            .filter(|&i| self.repo.parent[i].is_none() && self.repo.goals[i].kind != Kind::Kpi)
            .collect()
    }

    pub fn cascade_page<'r>(&self, rows: &'r [GoalRow], root: &str) -> CascadePage<'r> {
        let roots = self.cascade_roots();
        let diagram =
            super::diagram::cascade(self.repo, self.numbers, &roots, CASCADE_DEPTH, CASCADE_NODES, self.locale, root);
        // Breadth-first budget, so every level is shown before the next grows.
        let mut budget = CASCADE_NODES;
        let mut shown = vec![false; self.repo.goals.len()];
        let mut level: Vec<(usize, usize)> = roots.iter().map(|&r| (r, 0)).collect();
        while !level.is_empty() {
            let mut next = Vec::new();
            for (i, depth) in level {
                if budget == 0 {
                    break;
                }
                budget -= 1;
                shown[i] = true;
                if depth + 1 < CASCADE_DEPTH {
                    next.extend(self.repo.children[i].iter().map(|&c| (c, depth + 1)));
                }
            }
            level = next;
        }
        let hidden = shown.iter().filter(|s| !**s).count();
        let outline = roots.iter().filter(|&&r| shown[r]).map(|&r| self.outline(r, rows, &shown)).collect();
        CascadePage {
            diagram,
            outline,
            hidden,
            hidden_text: self.locale.tf("cascade.hidden", &[("n", &hidden.to_string())]),
        }
    }

    fn outline<'r>(&self, i: usize, rows: &'r [GoalRow], shown: &[bool]) -> OutlineNode<'r> {
        let kids = &self.repo.children[i];
        let children: Vec<OutlineNode> =
            kids.iter().filter(|&&c| shown[c]).map(|&c| self.outline(c, rows, shown)).collect();
        let more = kids.len() - children.len();
        OutlineNode {
            goal: &rows[i],
            children,
            more,
            more_text: self.locale.tf("cascade.more", &[("n", &more.to_string())]),
        }
    }
}

#[derive(Serialize)]
pub struct ScorecardPage<'a> {
    pub perspectives: Vec<ScorecardPerspective<'a>>,
    pub unassigned: Vec<&'a GoalRow>,
    pub strategy_map: String,
}

#[derive(Serialize)]
pub struct ScorecardPerspective<'a> {
    pub key: &'static str,
    pub label: String,
    pub help: String,
    pub summary: Summary,
    pub groups: Vec<KindGroup<'a>>,
}

#[derive(Serialize)]
pub struct KindGroup<'a> {
    pub kind: &'static str,
    pub label: String,
    pub count: usize,
    pub goals: Vec<&'a GoalRow>,
    /// Goals beyond the first [`SCORECARD_GROUP`], counted, not listed.
    pub more: usize,
}

impl Ctx<'_> {
    pub fn scorecard_page<'r>(&self, rows: &'r [GoalRow], root: &str) -> ScorecardPage<'r> {
        let mut by: BTreeMap<(Perspective, Kind), Vec<usize>> = BTreeMap::new();
        let mut unassigned = Vec::new();
        for (i, n) in self.numbers.iter().enumerate() {
            let kind = self.repo.goals[i].kind;
            match n.perspective {
                Some(p) => by.entry((p, kind)).or_default().push(i),
                None => unassigned.push(&rows[i]),
            }
        }
        let kinds = [Kind::Objective, Kind::KeyResult, Kind::Initiative, Kind::Kpi];
        let perspectives = Perspective::ALL
            .iter()
            .map(|&p| {
                let groups: Vec<KindGroup> = kinds
                    .iter()
                    .filter_map(|&k| {
                        let goals = by.get(&(p, k))?;
                        Some(KindGroup {
                            kind: k.as_str(),
                            label: self.locale.t(&format!("kinds.{}", k.as_str())).to_string(),
                            count: goals.len(),
                            goals: goals.iter().take(SCORECARD_GROUP).map(|&i| &rows[i]).collect(),
                            more: goals.len().saturating_sub(SCORECARD_GROUP),
                        })
                    })
                    .collect();
                let all = crate::sets::perspective_members(self.numbers, p).into_iter();
                ScorecardPerspective {
                    key: p.as_str(),
                    label: self.perspective_label(p),
                    help: self.locale.t(&format!("perspective-help.{}", p.as_str())).to_string(),
                    summary: self.status_counts(all),
                    groups,
                }
            })
            .collect();
        ScorecardPage {
            perspectives,
            unassigned,
            strategy_map: super::diagram::strategy_map(self.repo, self.numbers, self.locale, root),
        }
    }
}

// ---------------------------------------------------------------- lists

/// A page that lists goals: one team, one owner or one period.
#[derive(Serialize)]
pub struct ListPage<'a> {
    pub kind: GroupKind,
    pub name: String,
    pub heading: String,
    pub subtitle: Option<String>,
    pub summary: Summary,
    pub goals: Vec<&'a GoalRow>,
    /// Other goals' owners or teams seen on this page, for quick links.
    pub related: Vec<Link>,
    pub related_title: Option<String>,
    /// The goal table's rows, rendered beforehand (see `pages::ROW_TEMPLATE`);
    /// `None` renders them from `goals`.
    pub tbody: Option<String>,
}

/// An index page of teams, people or periods.
#[derive(Serialize)]
pub struct DirectoryPage {
    pub kind: GroupKind,
    pub heading: String,
    pub entries: Vec<DirectoryEntry>,
}

#[derive(Serialize)]
pub struct DirectoryEntry {
    pub name: String,
    pub url: String,
    pub detail: Option<String>,
    pub current: bool,
    pub summary: Summary,
}

impl Ctx<'_> {
    fn related(&self, goals: &[usize], key: impl Fn(usize) -> Option<Link>) -> Vec<Link> {
        let mut seen: BTreeMap<String, Link> = BTreeMap::new();
        for &i in goals {
            if let Some(link) = key(i) {
                seen.entry(link.url.clone()).or_insert(link);
            }
        }
        seen.into_values().collect()
    }

    pub fn team_page<'r>(&self, g: &Group, rows: &'r [GoalRow]) -> ListPage<'r> {
        let l = self.locale;
        ListPage {
            kind: GroupKind::Team,
            name: g.name.clone(),
            heading: l.tf("teams.goals-of", &[("team", &g.name)]),
            subtitle: None,
            summary: self.status_counts(g.goals.iter().copied()),
            goals: g.goals.iter().map(|&i| &rows[i]).collect(),
            related: self.related(&g.goals, |i| rows[i].owner.clone()),
            related_title: Some(l.t("nav.people").to_string()),
            tbody: None,
        }
    }

    pub fn person_page<'r>(&self, g: &Group, rows: &'r [GoalRow]) -> ListPage<'r> {
        let l = self.locale;
        ListPage {
            kind: GroupKind::Person,
            name: g.name.clone(),
            heading: l.tf("people.person", &[("owner", &g.name)]),
            subtitle: None,
            summary: self.status_counts(g.goals.iter().copied()),
            goals: g.goals.iter().map(|&i| &rows[i]).collect(),
            related: self.related(&g.goals, |i| rows[i].team.clone()),
            related_title: Some(l.t("nav.teams").to_string()),
            tbody: None,
        }
    }

    pub fn period_page<'r>(&self, g: &Group, rows: &'r [GoalRow]) -> ListPage<'r> {
        let l = self.locale;
        let fy = self.repo.config.fiscal_year_start;
        let label = g.period.map(|p| l.period(p)).unwrap_or_else(|| g.name.clone());
        let subtitle = g.period.and_then(|p| p.dates(fy)).map(|(s, e)| format!("{} – {}", l.date(s), l.date(e)));
        ListPage {
            kind: GroupKind::Period,
            name: label.clone(),
            heading: l.tf("periods.period", &[("period", &label)]),
            subtitle,
            summary: self.status_counts(g.goals.iter().copied()),
            goals: g.goals.iter().map(|&i| &rows[i]).collect(),
            related: self.related(&g.goals, |i| rows[i].team.clone()),
            related_title: Some(l.t("nav.teams").to_string()),
            tbody: None,
        }
    }

    pub fn directory(&self, kind: GroupKind, groups: &[Group]) -> DirectoryPage {
        let l = self.locale;
        let folder = kind.folder();
        let heading = match kind {
            GroupKind::Team => l.t("teams.title"),
            GroupKind::Person => l.t("people.title"),
            GroupKind::Period => l.t("periods.title"),
        };
        let fy = self.repo.config.fiscal_year_start;
        let entries = groups
            .iter()
            .map(|g| {
                let dates = g.period.and_then(|p| p.dates(fy));
                DirectoryEntry {
                    name: g.period.map(|p| l.period(p)).unwrap_or_else(|| g.name.clone()),
                    url: g.url(folder),
                    detail: dates.map(|(s, e)| format!("{} – {}", l.date(s), l.date(e))),
                    current: dates.is_some_and(|(s, e)| s <= self.as_of && self.as_of <= e),
                    summary: self.status_counts(g.goals.iter().copied()),
                }
            })
            .collect();
        DirectoryPage { kind, heading: heading.to_string(), entries }
    }
}
