//! The pages of SPEC §5 and where each is written: one job per page,
//! rendered in parallel (Tera renders through `&self`) and written directly.
//!
//! Every link in a page is relative: templates prefix site-root URLs with
//! `root`, the way back to the site root from the page's folder (`../../`),
//! so the site works under any sub-path and opened from disk.

use super::theme;
use super::views::{Ctx, GoalRow, Group, Groups, SiteView};
use crate::Project;
use crate::i18n::Locale;
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
    Team(&'a Group),
    Person(&'a Group),
    Period(&'a Group),
    Directory(&'static str, &'a [Group]),
    NotFound,
}

/// The way back to the site root from the folder of `rel`.
pub fn root_prefix(rel: &str) -> String {
    "../".repeat(rel.matches('/').count())
}

struct Site<'a> {
    ctx: Ctx<'a>,
    tera: Tera,
    rows: Vec<GoalRow>,
    site: SiteView,
    supported_by: Vec<Vec<usize>>,
}

impl Site<'_> {
    fn page<T: Serialize>(&self, template: &str, rel: &str, section: &str, page: T, dir: &Path) -> Result<()> {
        let root = root_prefix(rel);
        let context = PageContext { site: &self.site, root: &root, section, path: rel, page };
        let context = tera::Context::from_serialize(&context)?;
        let html = theme::render(&self.tera, template, &context)?;
        crate::output::write_file(dir, rel, html.as_bytes())
    }

    fn run(&self, job: &Job, dir: &Path) -> Result<()> {
        let c = &self.ctx;
        let rows = &self.rows;
        match *job {
            Job::Dashboard => self.page("index.html", "index.html", "dashboard", c.dashboard(rows), dir),
            Job::Goals(goals) => {
                let mut cascade: Option<String> = None;
                for &i in goals {
                    let rel = c.repo.goals[i].url();
                    let root = root_prefix(&rel);
                    let svg = cascade.get_or_insert_with(|| c.goal_cascade(i, &root)).clone();
                    let view = c.goal_page_with(i, rows, &self.supported_by, &root, svg);
                    self.page("goal.html", &rel, "goal", view, dir)?;
                }
                Ok(())
            }
            Job::Cascade => {
                let rel = "cascade/index.html";
                self.page("cascade.html", rel, "cascade", c.cascade_page(rows, &root_prefix(rel)), dir)
            }
            Job::Scorecard => {
                let rel = "scorecard/index.html";
                self.page("scorecard.html", rel, "scorecard", c.scorecard_page(rows, &root_prefix(rel)), dir)
            }
            Job::Team(g) => self.page("list.html", &g.url("teams"), "teams", c.team_page(g, rows), dir),
            Job::Person(g) => self.page("list.html", &g.url("people"), "people", c.person_page(g, rows), dir),
            Job::Period(g) => self.page("list.html", &g.url("periods"), "periods", c.period_page(g, rows), dir),
            Job::Directory(kind, groups) => {
                let (folder, section) = match kind {
                    "team" => ("teams", "teams"),
                    "person" => ("people", "people"),
                    _ => ("periods", "periods"),
                };
                let rel = format!("{folder}/index.html");
                self.page("directory.html", &rel, section, c.directory(kind, groups), dir)
            }
            Job::NotFound => self.page("404.html", "404.html", "", (), dir),
        }
    }
}

/// Renders every page of SPEC §5 (handouts aside) and the theme into `dir`.
pub fn write_pages(project: &Project, root: &Path, dir: &Path) -> Result<()> {
    let config = &project.repo.config;
    let locale = Locale::new(&config.language);
    let tera = theme::tera(root, &config.theme, &locale)?;
    let ctx = Ctx { repo: &project.repo, numbers: &project.numbers, locale: &locale, as_of: project.as_of };
    let groups = Groups::new(&project.repo);
    let rows = ctx.rows();
    let site_view = ctx.site(&groups);
    let supported_by = super::views::supported_by(&project.repo);
    let site = Site { ctx, tera, rows, site: site_view, supported_by };

    let mut jobs: Vec<Job> = vec![
        Job::Dashboard,
        Job::Cascade,
        Job::Scorecard,
        Job::NotFound,
        Job::Directory("team", &groups.teams),
        Job::Directory("person", &groups.people),
        Job::Directory("period", &groups.periods),
    ];
    // Siblings in one folder share their cascade diagram: one job draws it once.
    let mut by_cascade: std::collections::BTreeMap<(usize, usize), Vec<usize>> = Default::default();
    for (i, g) in project.repo.goals.iter().enumerate() {
        by_cascade.entry(site.ctx.goal_cascade_key(i, &root_prefix(&g.url()))).or_default().push(i);
    }
    jobs.extend(by_cascade.values().map(|g| Job::Goals(g)));
    jobs.extend(groups.teams.iter().map(Job::Team));
    jobs.extend(groups.people.iter().map(Job::Person));
    jobs.extend(groups.periods.iter().map(Job::Period));
    jobs.par_iter().try_for_each(|job| site.run(job, dir))?;

    for (name, bytes) in theme::theme_files(root, &config.theme)? {
        crate::output::write_file(dir, &format!("{}/{name}", theme::THEME_DIR), &bytes)?;
    }
    Ok(())
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
