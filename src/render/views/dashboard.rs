//! The dashboard (`index.html`): the status summary, objective cards, recent
//! check-ins and the goals that need attention.

use super::ctx::*;

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

pub(super) fn signed_short(locale: &Locale, delta: f64, unit: Option<&str>) -> String {
    let v = locale.short(delta, unit);
    if delta > 0.0 { format!("+{v}") } else { v }
}

impl Ctx<'_> {
    pub fn dashboard<'r>(&self, rows: &'r [GoalRow]) -> Dashboard<'r> {
        let all = 0..self.repo.goals.len();
        let (objectives, objectives_more) = self.objective_cards(rows);
        let (attention, attention_more) = self.attention(rows);
        let (stale, stale_more) = self.stale(rows);
        let (due_soon, due_soon_more) = self.due_soon(rows);
        Dashboard {
            summary: self.status_counts(all),
            objectives,
            objectives_more,
            recent: self.recent(rows),
            attention,
            attention_more,
            stale,
            stale_more,
            due_soon,
            due_soon_more,
            due_soon_days: DUE_SOON_DAYS,
            perspectives: self.perspectives(),
        }
    }

    /// The cards of the top-level objectives, and how many more there are.
    fn objective_cards<'r>(&self, rows: &'r [GoalRow]) -> (Vec<ObjectiveCard<'r>>, usize) {
        let repo = self.repo;
        let l = self.locale;
        let top: Vec<usize> = (0..repo.goals.len())
            .filter(|&i| repo.parent[i].is_none() && repo.goals[i].kind == Kind::Objective)
            .collect();
        let objectives_more = top.len().saturating_sub(DASHBOARD_OBJECTIVES);
        let objectives: Vec<ObjectiveCard> = top
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

        (objectives, objectives_more)
    }

    /// The latest check-ins.
    fn recent<'r>(&self, rows: &'r [GoalRow]) -> Vec<RecentCheckin<'r>> {
        let repo = self.repo;
        let l = self.locale;
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
        checkins
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
            .collect()
    }

    /// The goals longest without a check-in, and how many more there are.
    fn stale<'r>(&self, rows: &'r [GoalRow]) -> (Vec<Flagged<'r>>, usize) {
        let repo = self.repo;
        let l = self.locale;
        let stale: Vec<(i64, usize)> = (0..repo.goals.len())
            .filter_map(|i| crate::lint::stale_days(repo, i, &self.numbers[i], self.as_of).map(|d| (d, i)))
            .collect();
        let stale_total = stale.len();
        let list = first_sorted(stale, DASHBOARD_LIST, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)))
            .into_iter()
            .map(|(d, i)| Flagged {
                goal: &rows[i],
                reason: l.tf("dashboard.stale-days", &[("n", &l.number(d as f64, 0))]),
            })
            .collect();

        (list, stale_total.saturating_sub(DASHBOARD_LIST))
    }

    /// The active goals due soonest, and how many more there are.
    fn due_soon<'r>(&self, rows: &'r [GoalRow]) -> (Vec<Flagged<'r>>, usize) {
        let repo = self.repo;
        let due: Vec<(i64, usize)> = (0..repo.goals.len())
            .filter_map(|i| {
                let n = &self.numbers[i];
                let active = matches!(n.status, Status::OnTrack | Status::AtRisk | Status::OffTrack);
                let left = n.days_left?;
                (active && (0..=DUE_SOON_DAYS).contains(&left)).then_some((left, i))
            })
            .collect();
        let due_soon_total = due.len();
        let list = first_sorted(due, DASHBOARD_LIST, Ord::cmp)
            .into_iter()
            .map(|(_, i)| Flagged { goal: &rows[i], reason: self.days_text(i).unwrap_or_default() })
            .collect();

        (list, due_soon_total.saturating_sub(DASHBOARD_LIST))
    }

    /// The goals off track or at risk, the furthest behind first, and how
    /// many more there are.
    fn attention<'r>(&self, rows: &'r [GoalRow]) -> (Vec<Flagged<'r>>, usize) {
        let repo = self.repo;
        let l = self.locale;
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
        let list = behind
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

        (list, attention_more)
    }

    /// Each perspective's status counts.
    fn perspectives(&self) -> Vec<PerspectiveSummary> {
        let l = self.locale;
        Perspective::ALL
            .iter()
            .map(|&p| PerspectiveSummary {
                key: p.as_str(),
                label: self.perspective_label(p),
                help: l.t(&format!("perspective-help.{}", p.as_str())).to_string(),
                url: format!("scorecard/index.html#perspective-{}", p.as_str()),
                summary: self.status_counts(crate::sets::perspective_members(self.numbers, p).into_iter()),
            })
            .collect()
    }
}
