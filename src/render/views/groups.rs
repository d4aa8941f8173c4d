//! The team, person and period pages and their directories.

use super::*;

/// A page that lists goals: one team, one owner or one period.
#[derive(Serialize)]
pub struct ListPage<'a> {
    /// `team`, `person` or `period`.
    pub kind: &'static str,
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
    pub kind: &'static str,
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
    fn list_page<'r>(&self, kind: &'static str, g: &Group, rows: &'r [GoalRow], heading: String) -> ListPage<'r> {
        let l = self.locale;
        let (related, related_title, query): (Vec<Link>, _, _) = match kind {
            "team" => (self.related(&g.goals, |i| rows[i].owner.clone()), "nav.people", "team"),
            "person" => (self.related(&g.goals, |i| rows[i].team.clone()), "nav.teams", "owner"),
            _ => (self.related(&g.goals, |i| rows[i].team.clone()), "nav.teams", "period"),
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
            filter: format!("{query}={}&", g.slug),
            handout: None,
        }
    }

    pub fn team_page<'r>(&self, g: &Group, rows: &'r [GoalRow]) -> ListPage<'r> {
        self.list_page("team", g, rows, self.locale.tf("teams.goals-of", &[("team", &g.name)]))
    }

    pub fn person_page<'r>(&self, g: &Group, rows: &'r [GoalRow]) -> ListPage<'r> {
        self.list_page("person", g, rows, self.locale.tf("people.person", &[("owner", &g.name)]))
    }

    pub fn period_page<'r>(&self, g: &Group, rows: &'r [GoalRow]) -> ListPage<'r> {
        let l = self.locale;
        let fy = self.repo.config.fiscal_year_start;
        let label = g.period.map(|p| l.period(p)).unwrap_or_else(|| g.name.clone());
        let mut page = self.list_page("period", g, rows, l.tf("periods.period", &[("period", &label)]));
        page.subtitle = g.period.and_then(|p| p.dates(fy)).map(|(s, e)| format!("{} – {}", l.date(s), l.date(e)));
        page.name = label;
        page.handout = g.period.map(|p| format!("handouts/{p}/index.html"));
        page
    }

    pub fn directory(&self, kind: &'static str, groups: &[Group]) -> DirectoryPage {
        let l = self.locale;
        let (heading, folder) = match kind {
            "team" => (l.t("teams.title"), "teams"),
            "person" => (l.t("people.title"), "people"),
            _ => (l.t("periods.title"), "periods"),
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
