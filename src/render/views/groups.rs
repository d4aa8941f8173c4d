//! The team, person and period pages and their directories.

use super::ctx::*;

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
    /// Where this page is in the list, when the list takes several pages.
    pub pager: Option<crate::render::lists::Pager>,
    /// The query of the page's goals in the all-goals table, ending in `&`.
    pub filter: String,
    /// A period's handout.
    pub handout: Option<String>,
}

/// An index page of teams, people or periods.
#[derive(Serialize)]
pub struct DirectoryPage {
    pub kind: GroupKind,
    pub heading: String,
    pub entries: Vec<DirectoryEntry>,
    /// Where this page is in the directory, when it takes several pages.
    pub pager: Option<crate::render::lists::Pager>,
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

    /// A list page of group `g`: what every kind of list has, with the
    /// links to the other kind of group its goals are in (`owner` or `team`).
    fn list_page<'r>(&self, kind: GroupKind, g: &Group, rows: &'r [GoalRow], heading: String) -> ListPage<'r> {
        let l = self.locale;
        let (related, related_title): (Vec<Link>, _) = match kind {
            GroupKind::Team => (self.related(&g.goals, |i| rows[i].owner.clone()), "nav.people"),
            GroupKind::Person | GroupKind::Period => (self.related(&g.goals, |i| rows[i].team.clone()), "nav.teams"),
        };
        ListPage {
            kind,
            name: g.name.clone(),
            heading,
            subtitle: None,
            summary: self.status_counts(g.goals.iter().copied()),
            goals: g.goals.iter().map(|&i| &rows[i]).collect(),
            related,
            related_title: Some(l.t(related_title).to_string()),
            pager: None,
            filter: format!("{}={}&", kind.field(), g.slug),
            handout: None,
        }
    }

    pub fn team_page<'r>(&self, g: &Group, rows: &'r [GoalRow]) -> ListPage<'r> {
        self.list_page(GroupKind::Team, g, rows, self.locale.tf("teams.goals-of", &[("team", &g.name)]))
    }

    pub fn person_page<'r>(&self, g: &Group, rows: &'r [GoalRow]) -> ListPage<'r> {
        self.list_page(GroupKind::Person, g, rows, self.locale.tf("people.person", &[("owner", &g.name)]))
    }

    pub fn period_page<'r>(&self, g: &Group, rows: &'r [GoalRow]) -> ListPage<'r> {
        let l = self.locale;
        let fy = self.repo.config.fiscal_year_start;
        let label = g.period.map(|p| l.period(p)).unwrap_or_else(|| g.name.clone());
        let mut page = self.list_page(GroupKind::Period, g, rows, l.tf("periods.period", &[("period", &label)]));
        page.subtitle = g.period.and_then(|p| p.dates(fy)).map(|(s, e)| format!("{} – {}", l.date(s), l.date(e)));
        page.name = label;
        page.handout = g.period.map(|p| format!("handouts/{p}/index.html"));
        page
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
        DirectoryPage { kind, heading: heading.to_string(), entries, pager: None }
    }
}
