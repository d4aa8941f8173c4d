//! The sets of goals of SPEC §3 "Sets of goals: one rule on every page".
//!
//! Every page, handout, diagram and summary that counts, averages or lists
//! the goals of a period, a perspective, a team or a person gets them here,
//! so the same set shows the same figures wherever it appears. Nothing else
//! decides membership or computes an average.

use crate::compute::Numbers;
use crate::model::Repo;
use crate::period::{Period, fiscal_year_start};
use crate::terms::{Kind, Perspective, Status};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What a group of goals with a page of its own gathers: a team, a person
/// (an owner) or a period. Serialised as `team`, `person`, `period` (what
/// templates compare `page.kind` with).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupKind {
    Team,
    Person,
    Period,
}

impl GroupKind {
    /// The site folder of its pages and directory (SPEC §5).
    pub fn folder(self) -> &'static str {
        match self {
            GroupKind::Team => "teams",
            GroupKind::Person => "people",
            GroupKind::Period => "periods",
        }
    }

    /// The goal field its pages filter the search by (`owner` for a person).
    pub fn field(self) -> &'static str {
        match self {
            GroupKind::Team => "team",
            GroupKind::Person => "owner",
            GroupKind::Period => "period",
        }
    }
}

/// Whether goal `i` belongs to period `p`: its own `period` is `p` or lies
/// inside it; a goal with dates but no `period` belongs to every period whose
/// range holds its `due`. Kpis belong to no period.
pub fn in_period(repo: &Repo, i: usize, p: Period) -> bool {
    let g = &repo.goals[i];
    if g.kind == Kind::Kpi {
        return false;
    }
    let fy = repo.config.fiscal_year_start;
    let Some((first, last)) = p.dates(fy) else { return false };
    match g.period {
        Some(own) if own == p => true,
        Some(own) => own.dates(fy).is_some_and(|(s, e)| first <= s && e <= last),
        None => g.due.is_some_and(|d| first <= d && d <= last),
    }
}

/// The span that decides goal `i`'s periods: its own period's first and
/// last day, else its `due` (twice); `None` for kpis and undated goals.
fn span(repo: &Repo, i: usize) -> Option<(NaiveDate, NaiveDate)> {
    let g = &repo.goals[i];
    if g.kind == Kind::Kpi {
        return None;
    }
    match g.period {
        Some(own) => own.dates(repo.config.fiscal_year_start),
        None => g.due.map(|d| (d, d)),
    }
}

/// The goals of period `p`, in id order: [`in_period`] for every goal.
pub fn period_members(repo: &Repo, p: Period) -> Vec<usize> {
    let spans: Vec<_> = (0..repo.goals.len()).map(|i| span(repo, i)).collect();
    members(repo, &spans, p)
}

fn members(repo: &Repo, spans: &[Option<(NaiveDate, NaiveDate)>], p: Period) -> Vec<usize> {
    let Some((first, last)) = p.dates(repo.config.fiscal_year_start) else { return Vec::new() };
    let own = |i: usize| repo.goals[i].period == Some(p);
    (0..spans.len())
        .filter(|&i| own(i) || spans[i].is_some_and(|(s, e)| first <= s && e <= last))
        .filter(|&i| repo.goals[i].kind != Kind::Kpi)
        .collect()
}

/// The fiscal year, half and quarter that hold `date`.
pub fn periods_holding(date: NaiveDate, fy_start: u32) -> Vec<Period> {
    let Some(start) = fiscal_year_start(date, fy_start) else { return Vec::new() };
    let months = (date.year() - start.year()) * 12 + date.month() as i32 - start.month() as i32;
    let months = months.clamp(0, 11) as u32;
    let y = start.year();
    vec![Period::Year(y), Period::Half(y, months / 6 + 1), Period::Quarter(y, months / 3 + 1)]
}

/// Every period with a page: each one a goal names, and each quarter, half
/// and fiscal year that holds a goal's `due`. Chronological, a longer period
/// before the shorter ones it holds. Kpis have no dates and name none.
pub fn periods(repo: &Repo) -> Vec<Period> {
    let fy = repo.config.fiscal_year_start;
    let mut set: BTreeSet<Period> = BTreeSet::new();
    for g in repo.goals.iter().filter(|g| g.kind != Kind::Kpi) {
        if let Some(p) = g.period {
            set.insert(p);
        }
        if let Some(d) = g.due {
            set.extend(periods_holding(d, fy));
        }
    }
    let mut out: Vec<Period> = set.into_iter().filter(|p| p.dates(fy).is_some()).collect();
    out.sort_by_key(|p| {
        let dates = p.dates(fy);
        (dates.map(|d| d.0), std::cmp::Reverse(dates.map(|d| d.1)), p.to_string())
    });
    out
}

/// The goals of each period of [`periods`], in id order.
pub fn period_sets(repo: &Repo) -> Vec<(Period, Vec<usize>)> {
    let spans: Vec<_> = (0..repo.goals.len()).map(|i| span(repo, i)).collect();
    periods(repo).into_iter().map(|p| (p, members(repo, &spans, p))).collect()
}

/// The goals of a perspective: by the effective perspective (own or an
/// ancestor's), in id order.
pub fn perspective_members(numbers: &[Numbers], p: Perspective) -> Vec<usize> {
    (0..numbers.len()).filter(|&i| numbers[i].perspective == Some(p)).collect()
}

/// The goals of each team (`key` = the goal's `team`) or person (its
/// `owner`), grouped by the slug of the name (the page's URL), so that
/// `Customer Success` and `customer-success` are one team. Each entry is
/// (slug, the first spelling by goal id, goals in id order), by slug.
pub fn by_slug(repo: &Repo, key: impl Fn(&crate::model::Goal) -> Option<&str>) -> Vec<(String, String, Vec<usize>)> {
    let mut map: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    for (i, g) in repo.goals.iter().enumerate() {
        if let Some(name) = key(g) {
            let slug = crate::slug::slugify(name);
            map.entry(slug).or_insert_with(|| (name.to_string(), Vec::new())).1.push(i);
        }
    }
    map.into_iter().map(|(slug, (name, goals))| (slug, name, goals)).collect()
}

/// The teams, by `team`, as [`by_slug`].
pub fn teams(repo: &Repo) -> Vec<(String, String, Vec<usize>)> {
    by_slug(repo, |g| g.team.as_deref())
}

/// The people, by `owner`, as [`by_slug`].
pub fn people(repo: &Repo) -> Vec<(String, String, Vec<usize>)> {
    by_slug(repo, |g| g.owner.as_deref())
}

/// The figures of a set: its count, how many have each status, and the
/// average of `min(progress, 1)` over the goals that have a progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    pub count: usize,
    pub statuses: BTreeMap<Status, usize>,
    /// `None` when no goal of the set has a progress (only kpis, or none).
    pub average: Option<f64>,
    /// How many goals the average covers.
    pub covered: usize,
}

/// [`Figures`] of the goals `goals`.
pub fn figures(numbers: &[Numbers], goals: impl IntoIterator<Item = usize>) -> Figures {
    let mut count = 0;
    let mut statuses: BTreeMap<Status, usize> = BTreeMap::new();
    let (mut sum, mut covered) = (0.0, 0usize);
    for i in goals {
        count += 1;
        *statuses.entry(numbers[i].status).or_default() += 1;
        if let Some(p) = numbers[i].progress {
            sum += p.min(1.0);
            covered += 1;
        }
    }
    Figures { count, statuses, average: (covered > 0).then(|| sum / covered as f64), covered }
}

/// The change beside check-in `k` of goal `i`: its value minus the previous
/// point of the goal's dated history (check-ins, which hold the points found
/// in git history, by date), or minus the baseline for the first point.
/// `None` for a first point of a goal without a baseline.
pub fn change(repo: &Repo, numbers: &[Numbers], i: usize, k: usize) -> Option<f64> {
    let g = &repo.goals[i];
    let value = g.checkins.get(k)?.value;
    // A kpi's first point has no change unless its file gives a baseline.
    let baseline = if g.kind == Kind::Kpi { g.baseline } else { numbers[i].baseline };
    let previous = if k > 0 { Some(g.checkins[k - 1].value) } else { baseline };
    previous.map(|p| value - p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_holding_a_date_follow_the_fiscal_year() {
        assert_eq!(
            periods_holding(d("2026-11-30"), 1),
            vec![Period::Year(2026), Period::Half(2026, 2), Period::Quarter(2026, 4)]
        );
        // A fiscal year from April: March 2027 is the last quarter of FY 2026.
        assert_eq!(
            periods_holding(d("2027-03-31"), 4),
            vec![Period::Year(2026), Period::Half(2026, 2), Period::Quarter(2026, 4)]
        );
        assert_eq!(
            periods_holding(d("2026-04-01"), 4),
            vec![Period::Year(2026), Period::Half(2026, 1), Period::Quarter(2026, 1)]
        );
    }
}
