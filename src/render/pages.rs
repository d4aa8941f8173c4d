//! The pages of SPEC §5 and where each is written: one job per page,
//! rendered in parallel (Tera renders through `&self`) and written directly.
//!
//! Every link in a page is relative: templates prefix site-root URLs with
//! `root`, the way back to the site root from the page's folder (`../../`),
//! so the site works under any sub-path and opened from disk.

use super::lists::{self, Pager};
use super::native;
use super::theme::{self, Templates};
use super::views::{Ctx, GoalRow, Group, Groups, SiteView};
use crate::Project;
use crate::i18n::Locale;
use crate::sets::GroupKind;
use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;
use tera::Tera;

/// What every template gets: the site, the way to the root, the page's view.
#[derive(Serialize)]
struct PageContext<'a, T: Serialize> {
    site: &'a SiteView,
    /// Relative path from this page's folder to the site root (`""`, `"../../"`).
    root: &'a str,
    /// The navigation entry to mark as current.
    section: &'a str,
    /// The page's own URL relative to the root, for the period switcher and links.
    path: &'a str,
    page: T,
}

/// One output page.
enum Job<'a> {
    Dashboard,
    /// Goals whose pages share one cascade diagram (siblings in one folder).
    Goals(&'a [usize]),
    Cascade,
    Scorecard,
    /// A team's, person's or period's list (all its pages).
    Team(&'a Group),
    Person(&'a Group),
    Period(&'a Group),
    /// A page (from 1) of the teams, people or periods directory.
    Directory(GroupKind, &'a [Group], usize),
    NotFound,
    /// A page (from 1) of the all-goals table.
    AllGoals(usize),
    /// `handouts/index.html`.
    Handouts,
    /// A part of the cascade (`cascade/goals/<id>/`, `cascade/kpis/<n>/`).
    CascadePart(&'a super::cascade_parts::Part),
    /// The search index and the all-goals data (`search/`, `goals/data.js`).
    Search,
}

/// The cascade overview and the links to its parts.
#[derive(Serialize)]
struct WithParts<'r> {
    #[serde(flatten)]
    page: super::views::CascadePage<'r>,
    parts: Vec<super::cascade_parts::PartLink>,
}

/// A directory page and where it is in the directory.
#[derive(Serialize)]
struct PagedDirectory {
    #[serde(flatten)]
    page: super::views::DirectoryPage,
    pager: Option<Pager>,
}

/// A list page's view and where it is in its list.
#[derive(Serialize)]
struct Paged<'a, 'r> {
    #[serde(flatten)]
    page: &'a super::views::ListPage<'r>,
    pager: Option<Pager>,
    /// The query of the page's goals in the all-goals table, ending in `&`.
    filter: &'a str,
    /// A period's handout.
    handout: Option<&'a str>,
}

/// The way back to the site root from the folder of `rel`.
pub fn root_prefix(rel: &str) -> String {
    "../".repeat(rel.matches('/').count())
}

/// Where rendered pages go: files in a folder, or a list in memory (`serve`).
pub enum Out<'a> {
    Dir(&'a Path),
    Memory(&'a std::sync::Mutex<Vec<(String, Vec<u8>)>>),
}

impl Out<'_> {
    pub fn put(&self, rel: &str, bytes: Vec<u8>) -> Result<()> {
        match self {
            Out::Dir(dir) => crate::output::write_file(dir, rel, &bytes),
            Out::Memory(files) => {
                match files.lock() {
                    Ok(mut f) => f.push((rel.to_string(), bytes)),
                    Err(poisoned) => poisoned.into_inner().push((rel.to_string(), bytes)),
                }
                Ok(())
            }
        }
    }
}

/// The pages to render again after a change (see `serve`): the dashboard,
/// cascade, scorecard and 404 pages, the directories when asked, the goal
/// pages flagged in `goals`, the pages of the all-goals table and the search
/// results (`search/d-<n>.js`) that show one of them, `goals/data.js`, and
/// the team, person and period pages in `lists` (by URL). The theme files
/// and the search index's word shards are not rewritten (`serve` writes the
/// shards after the reload, with the handouts).
pub struct Only {
    pub goals: Vec<bool>,
    pub lists: std::collections::BTreeSet<String>,
    /// Whether the team, person and period directories (their status
    /// counts and average progress) are to be rendered too.
    pub directories: bool,
}

struct Site<'a> {
    ctx: Ctx<'a>,
    tera: &'a Tera,
    native: native::Native,
    rows: &'a [GoalRow],
    site: SiteView,
    supported_by: Vec<Vec<usize>>,
    groups: &'a Groups,
    parts: Vec<super::cascade_parts::Part>,
    only: Option<&'a Only>,
    /// Each goal's ready goal-table row for the list pages (see [`row_html`]).
    row_html: Option<&'a [String]>,
}

/// The way to the root from a team, person or period page (two folders deep).
const LIST_ROOT: &str = "../../";

/// The goal-table rows of `goals` for the list pages, each rendered once with
/// [`theme::ROW_TEMPLATE`] (`None` when the templates have no `goal_row` macro).
pub fn row_html(
    templates: &Templates,
    locale: &Locale,
    rows: &[GoalRow],
    goals: &[usize],
) -> Result<Option<Vec<String>>> {
    if templates.native.goal_row {
        return Ok(Some(goals.par_iter().map(|&i| native::goal_row(locale, &rows[i], LIST_ROOT)).collect()));
    }
    let tera = &templates.tera;
    if tera.get_template(theme::ROW_TEMPLATE).is_err() {
        return Ok(None);
    }
    #[derive(Serialize)]
    struct RowContext<'a> {
        g: &'a GoalRow,
        root: &'a str,
    }
    let html: Vec<String> = goals
        .par_iter()
        .map(|&i| {
            let context = tera::Context::from_serialize(RowContext { g: &rows[i], root: LIST_ROOT })?;
            theme::render(tera, theme::ROW_TEMPLATE, &context)
        })
        .collect::<Result<_>>()?;
    Ok(Some(html))
}

impl Site<'_> {
    fn page<T: Serialize>(&self, template: &str, rel: &str, section: &str, page: T, dir: &Out) -> Result<()> {
        let root = root_prefix(rel);
        let context = PageContext { site: &self.site, root: &root, section, path: rel, page };
        let context = tera::Context::from_serialize(&context)?;
        let html = theme::render(self.tera, template, &context)?;
        dir.put(rel, html.into_bytes())
    }

    /// A team, person or period page: natively when the templates allow and
    /// the rows are ready, else through Tera (with the ready rows of its goal
    /// table when there are: the built-in list template, the only one they
    /// are made for, then needs no `goals`).
    ///
    /// Page `k` of the list in `folder` lists its share of the goals
    /// ([`lists::PER_PAGE`]); its summary covers them all.
    fn list(&self, folder: &str, section: &str, g: &Group, mut page: super::views::ListPage, dir: &Out) -> Result<()> {
        let base = format!("{folder}/{}", g.slug);
        let key = page.kind.field();
        let filter = format!("{key}={}&", g.slug);
        let handout = g.period.map(|p| format!("handouts/{p}/index.html"));
        // The view (its summary over every goal) is built once; each page
        // of the list shows its share of the goals.
        let all = std::mem::take(&mut page.goals);
        for k in 1..=lists::page_count(g.goals.len()) {
            let rel = lists::page_url(&base, k);
            let rel = rel.as_str();
            let pager = lists::pager(&self.ctx, &base, k, g.goals.len());
            let shown = lists::page_slice(&g.goals, k);
            page.goals = lists::page_slice(&all, k).to_vec();
            page.tbody = None;
            let paged = |page| Paged { page, pager: pager.clone(), filter: &filter, handout: handout.as_deref() };
            match self.tbody(shown, rel) {
                None => self.page("list.html", rel, section, paged(&page), dir)?,
                Some(tbody) if self.native.list_page => {
                    let root = root_prefix(rel);
                    let extra =
                        native::ListExtra { pager: pager.as_ref(), filter: &filter, handout: handout.as_deref() };
                    let html =
                        native::list_page(self.ctx.locale, &self.site, &root, rel, section, &page, &tbody, &extra);
                    dir.put(rel, html.into_bytes())?;
                }
                Some(tbody) => {
                    page.tbody = Some(tbody);
                    page.goals = Vec::new();
                    self.page("list.html", rel, section, paged(&page), dir)?;
                }
            }
        }
        Ok(())
    }

    /// The ready rows of a list page's goal table, when there are: those
    /// rendered beforehand for the first page (two folders deep), else
    /// rendered now when the built-in row is in force.
    fn tbody(&self, goals: &[usize], rel: &str) -> Option<String> {
        let html = self.row_html?;
        let root = root_prefix(rel);
        if root != LIST_ROOT {
            if !self.native.goal_row {
                return None;
            }
            return Some(goals.iter().map(|&i| native::goal_row(self.ctx.locale, &self.rows[i], &root)).collect());
        }
        let mut out = String::with_capacity(goals.iter().map(|&i| html[i].len()).sum());
        for &i in goals {
            out.push_str(&html[i]);
        }
        Some(out)
    }

    /// Whether the list page at `url` is to be rendered.
    fn wanted(&self, url: &str) -> bool {
        self.only.is_none_or(|o| o.lists.contains(url))
    }

    fn run(&self, job: &Job, dir: &Out) -> Result<()> {
        let c = &self.ctx;
        let rows = self.rows;
        match *job {
            Job::Dashboard => self.page("index.html", "index.html", "dashboard", c.dashboard(rows), dir),
            Job::Goals(goals) => {
                let mut cascade: Option<String> = None;
                for &i in goals {
                    if self.only.is_some_and(|o| !o.goals[i]) {
                        continue;
                    }
                    let rel = c.repo.goals[i].url();
                    let root = root_prefix(&rel);
                    let svg = cascade.get_or_insert_with(|| c.goal_cascade(i, &root)).clone();
                    let view = c.goal_page_with(i, rows, &self.supported_by, &root, svg);
                    if self.native.goal_page {
                        let html = native::goal_page(c.locale, &self.site, &root, &rel, &view);
                        dir.put(&rel, html.into_bytes())?;
                    } else {
                        self.page("goal.html", &rel, "goal", view, dir)?;
                    }
                }
                Ok(())
            }
            Job::Cascade => {
                let rel = "cascade/index.html";
                let page = c.cascade_page(rows, &root_prefix(rel));
                let parts = c.part_links(&self.parts);
                self.page("cascade.html", rel, "cascade", WithParts { page, parts }, dir)
            }
            Job::CascadePart(part) if self.only.is_some_and(|o| !part.goals.iter().any(|&i| o.goals[i])) => Ok(()),
            Job::CascadePart(part) => {
                let root = root_prefix(&part.url);
                self.page("cascade_part.html", &part.url, "cascade", c.part_page(part, &root), dir)
            }
            Job::Scorecard => {
                let rel = "scorecard/index.html";
                let root = root_prefix(rel);
                let page = c.scorecard_page(rows, &root);
                if self.native.scorecard {
                    return dir.put(rel, native::scorecard_page(c.locale, &self.site, &root, rel, &page).into_bytes());
                }
                self.page("scorecard.html", rel, "scorecard", page, dir)
            }
            Job::Team(g) if self.wanted(&g.url("teams")) => self.list("teams", "teams", g, c.team_page(g, rows), dir),
            Job::Person(g) if self.wanted(&g.url("people")) => {
                self.list("people", "people", g, c.person_page(g, rows), dir)
            }
            Job::Period(g) if self.wanted(&g.url("periods")) => {
                self.list("periods", "periods", g, c.period_page(g, rows), dir)
            }
            Job::Team(..) | Job::Person(..) | Job::Period(..) => Ok(()),
            Job::AllGoals(k) if self.only.is_some_and(|o| !lists::page_slice(&o.goals, k).contains(&true)) => Ok(()),
            Job::AllGoals(k) => {
                let rel = lists::page_url("goals", k);
                self.page("all_goals.html", &rel, "all-goals", c.all_goals_page(rows, k), dir)
            }
            Job::Handouts => {
                self.page("handouts.html", "handouts/index.html", "handouts", c.handouts_page(self.groups), dir)
            }
            Job::Search => {
                let files = match self.only {
                    Some(o) => {
                        let per = super::search::DOCS_PER_CHUNK;
                        let shown = |n: usize| o.goals.chunks(per).nth(n).is_some_and(|c| c.contains(&true));
                        let docs = super::search::doc_files(rows).into_iter().enumerate();
                        docs.filter(|(n, _)| shown(*n)).map(|(_, f)| f).collect()
                    }
                    None => super::search::index_files(c, rows),
                };
                for (rel, bytes) in files {
                    dir.put(&rel, bytes)?;
                }
                dir.put("goals/data.js", super::search::goals_data(c, rows, self.groups))
            }
            Job::Directory(..) if self.only.is_some_and(|o| !o.directories) => Ok(()),
            Job::Directory(kind, groups, k) => {
                let (folder, section) = (kind.folder(), kind.folder());
                let rel = lists::page_url(folder, k);
                let page = c.directory(kind, lists::page_slice(groups, k));
                let pager = lists::pager(c, folder, k, groups.len());
                self.page("directory.html", &rel, section, PagedDirectory { page, pager }, dir)
            }
            Job::NotFound => self.page("404.html", "404.html", "", (), dir),
        }
    }
}

/// Renders the pages of SPEC §5 (all, or those of `only`) with `templates`
/// (from [`theme::templates`]), the goal rows `rows` (from [`Ctx::rows`]) and their
/// ready table rows `html` (from [`row_html`], for all goals) into `out`;
/// no theme files.
#[allow(clippy::too_many_arguments)]
pub fn render_pages(
    project: &Project,
    templates: &Templates,
    locale: &Locale,
    rows: &[GoalRow],
    html: Option<&[String]>,
    only: Option<&Only>,
    out: &Out,
) -> Result<()> {
    let ctx = Ctx { repo: &project.repo, numbers: &project.numbers, locale, as_of: project.as_of };
    // SPEC §5: the all-goals table's pages are `goals/page/N/index.html`,
    // where a goal `page/N` would be written too.
    let table_pages = lists::page_count(rows.len());
    for g in &project.repo.goals {
        let page = g.slug.strip_prefix("page/").and_then(|n| n.parse::<usize>().ok());
        if page.is_some_and(|n| (2..=table_pages).contains(&n)) {
            anyhow::bail!(
                "{}: the goal `{}` would be written to {}, which is page {} of the table of all goals; rename the file (or its folder)",
                g.file,
                g.id,
                g.url(),
                page.unwrap_or(0)
            );
        }
    }
    let groups = Groups::new(&project.repo);
    let site_view = ctx.site(&groups);
    let supported_by = super::views::supported_by(&project.repo);
    let parts = ctx.cascade_parts();
    let site = Site {
        ctx,
        tera: &templates.tera,
        native: templates.native,
        rows,
        site: site_view,
        supported_by,
        groups: &groups,
        parts,
        only,
        row_html: html,
    };

    // The longest jobs first (each lists or draws many goals), then the
    // many short ones, one job per piece of work for the threads to steal:
    // otherwise a thread could be left with a tail of long pages, which
    // matters most when `serve` renders only a dozen pages.
    let mut jobs: Vec<Job> = vec![Job::Dashboard, Job::Scorecard, Job::Cascade, Job::Search];
    jobs.extend(groups.periods.iter().map(Job::Period));
    jobs.extend((1..=lists::page_count(rows.len())).map(Job::AllGoals));
    jobs.push(Job::Handouts);
    jobs.extend(site.parts.iter().map(Job::CascadePart));
    for (kind, list) in
        [(GroupKind::Person, &groups.people), (GroupKind::Team, &groups.teams), (GroupKind::Period, &groups.periods)]
    {
        jobs.extend((1..=lists::page_count(list.len())).map(|k| Job::Directory(kind, list, k)));
    }
    jobs.push(Job::NotFound);
    // Siblings in one folder share their cascade diagram: one job draws it once.
    let mut by_cascade: std::collections::BTreeMap<(usize, usize), Vec<usize>> = Default::default();
    for (i, g) in project.repo.goals.iter().enumerate() {
        if only.is_some_and(|o| !o.goals[i]) {
            continue;
        }
        by_cascade.entry(site.ctx.goal_cascade_key(i, &root_prefix(&g.url()))).or_default().push(i);
    }
    jobs.extend(by_cascade.values().map(|g| Job::Goals(g)));
    jobs.extend(groups.teams.iter().map(Job::Team));
    jobs.extend(groups.people.iter().map(Job::Person));
    jobs.par_iter().with_max_len(1).try_for_each(|job| site.run(job, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_prefix_climbs_one_level_per_folder() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("cascade/index.html"), "../");
        assert_eq!(root_prefix("goals/marketing/q4-mqls/index.html"), "../../../");
    }
}
