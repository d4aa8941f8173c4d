//! Long lists of SPEC §5: the all-goals table (`goals/index.html`), the
//! pagination every list of more than [`PER_PAGE`] goals (or teams, people,
//! periods in their directories) uses (Zola and Hugo
//! style: `…/index.html`, `…/page/2/index.html`, previous/next and the
//! total), and the index of review handouts.
//!
//! Summaries are not here: a page's status totals always cover its whole
//! set, whatever page of the list it is.

use super::views::ctx::{Bar, Ctx, GoalRow, Groups, Link, StatusView};
use serde::Serialize;

/// Goals on one page of a list.
pub const PER_PAGE: usize = 200;

/// How many pages a list of `n` goals takes (at least one).
pub fn page_count(n: usize) -> usize {
    n.div_ceil(PER_PAGE).max(1)
}

/// Page `k` (from 1) of the list whose first page is `dir/index.html`.
pub fn page_url(dir: &str, k: usize) -> String {
    if k <= 1 { format!("{dir}/index.html") } else { format!("{dir}/page/{k}/index.html") }
}

/// Where a page is in its list, for the previous/next links.
#[derive(Clone, Debug, Serialize)]
pub struct Pager {
    pub page: usize,
    pub pages: usize,
    /// Site-root URLs of the neighbouring pages.
    pub prev: Option<String>,
    pub next: Option<String>,
    /// `Page 2 of 5 · 201–400 of 912`.
    pub text: String,
}

/// The pager of page `k` of a list of `total` goals under `dir`; `None` when
/// the list fits on one page.
pub fn pager(ctx: &Ctx, dir: &str, k: usize, total: usize) -> Option<Pager> {
    let pages = page_count(total);
    if pages <= 1 {
        return None;
    }
    let l = ctx.locale;
    let first = (k - 1) * PER_PAGE + 1;
    let last = (k * PER_PAGE).min(total);
    let n = |v: usize| l.number(v as f64, 0);
    let text = l.tf(
        "pager.position",
        &[("page", &n(k)), ("pages", &n(pages)), ("first", &n(first)), ("last", &n(last)), ("total", &n(total))],
    );
    Some(Pager {
        page: k,
        pages,
        prev: (k > 1).then(|| page_url(dir, k - 1)),
        next: (k < pages).then(|| page_url(dir, k + 1)),
        text,
    })
}

/// The goals of page `k` of a list.
pub fn page_slice<T>(items: &[T], k: usize) -> &[T] {
    let start = ((k - 1) * PER_PAGE).min(items.len());
    &items[start..(start + PER_PAGE).min(items.len())]
}

/// One row of the all-goals table.
#[derive(Serialize)]
pub struct AllRow<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: &'a str,
    pub kind: &'static str,
    pub kind_label: &'a str,
    pub team: Option<&'a Link>,
    pub owner: Option<&'a Link>,
    pub period: Option<&'a Link>,
    pub status: &'a StatusView,
    pub bar: Option<&'a Bar>,
}

/// A page of `goals/index.html`.
#[derive(Serialize)]
pub struct AllGoalsPage<'a> {
    pub rows: Vec<AllRow<'a>>,
    pub total_text: String,
    pub pager: Option<Pager>,
}

impl Ctx<'_> {
    /// Page `k` of the all-goals table.
    pub fn all_goals_page<'r>(&self, rows: &'r [GoalRow], k: usize) -> AllGoalsPage<'r> {
        let shown = page_slice(rows, k)
            .iter()
            .map(|r| AllRow {
                id: &r.id,
                title: &r.title,
                url: &r.url,
                kind: r.kind,
                kind_label: &r.kind_label,
                team: r.team.as_ref(),
                owner: r.owner.as_ref(),
                period: r.period.as_ref(),
                status: &r.status,
                bar: r.bar.as_ref(),
            })
            .collect();
        AllGoalsPage {
            rows: shown,
            total_text: self.locale.tf("goal.count", &[("n", &self.locale.number(rows.len() as f64, 0))]),
            pager: pager(self, "goals", k, rows.len()),
        }
    }

    /// `handouts/index.html`: one link per period with goals.
    pub fn handouts_page(&self, groups: &Groups) -> HandoutsPage {
        let entries = groups
            .periods
            .iter()
            .filter_map(|g| {
                let p = g.period?;
                let label = self.locale.period(p);
                Some(HandoutEntry {
                    label: self.locale.tf("handouts.of", &[("period", &label)]),
                    url: format!("handouts/{p}/index.html"),
                    count: self.locale.tf("goal.count", &[("n", &g.goals.len().to_string())]),
                })
            })
            .collect();
        HandoutsPage { entries }
    }
}

/// The index of review handouts.
#[derive(Serialize)]
pub struct HandoutsPage {
    pub entries: Vec<HandoutEntry>,
}

#[derive(Serialize)]
pub struct HandoutEntry {
    pub label: String,
    pub url: String,
    pub count: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_two_hundred() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(200), 1);
        assert_eq!(page_count(201), 2);
        assert_eq!(page_url("goals", 1), "goals/index.html");
        assert_eq!(page_url("teams/sales", 3), "teams/sales/page/3/index.html");
        let v: Vec<usize> = (0..450).collect();
        assert_eq!(page_slice(&v, 3), &v[400..450]);
        assert_eq!(page_slice(&v, 2).len(), 200);
    }
}
