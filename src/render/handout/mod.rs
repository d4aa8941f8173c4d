//! Review handouts: the printable document a manager takes to a quarterly
//! review (issue 6, SPEC §5 `handouts/<period>/index.html`).
//!
//! A handout is one self-contained HTML file — the theme's `handout.css` and
//! every chart inlined, nothing loaded from anywhere — laid out for paper with
//! CSS `@page`: a cover, a summary table per team, a section per objective
//! with its key results (chart, latest check-ins, milestones, SMART flags), the
//! goals that need attention, and ruled space for decisions and next steps.
//! [`crate::pdf`] prints it with headless Chromium; this module only builds
//! the views and renders the template.
//!
//! Which goals belong to a period is the rule of SPEC §3 "Sets of goals",
//! defined once in [`crate::sets`]: the handout of a period lists exactly
//! the goals of its period page.

use super::theme::{self, Engine, Templates};
use super::views::{CheckinRow, Ctx, GoalRow};
use crate::Project;
use crate::compute::Status;
use crate::config::Paper;
use crate::i18n::Locale;
use crate::model::Repo;
use crate::period::Period;
use crate::slug::slugify;
use anyhow::{Result, bail};
use rayon::prelude::*;
use std::collections::BTreeMap;

use std::path::Path;
use std::sync::OnceLock;

mod css;
mod plan;
pub mod view;

pub use css::{css_string, page_counter_css};
pub use plan::DETAIL_LIMIT;
use plan::Plan;
pub use view::*;

/// The template of a handout (layered like every template, see [`theme`]).
pub const TEMPLATE: &str = "handout.html";
/// The theme file inlined into every handout.
pub const CSS_FILE: &str = "handout.css";
/// Check-ins listed per goal, the latest first.
pub const CHECKINS_SHOWN: usize = 3;
/// Goals listed as needing attention, furthest behind first: a meeting
/// discusses the worst; the summary tables hold every goal.
pub const ATTENTION_LIMIT: usize = 100;
/// Ruled lines left for the meeting's decisions.
pub const DECISION_LINES: usize = 10;
/// Empty rows of the next-steps table.
pub const NEXT_STEP_ROWS: usize = 10;

/// What to put in a handout.
#[derive(Clone, Copy, Debug)]
pub struct Options<'a> {
    pub period: Period,
    /// Only the goals of this team (compared by slug, so `Customer Success`
    /// and `customer-success` are the same team).
    pub team: Option<&'a str>,
    pub paper: Paper,
}

/// The goals of `period`, in id order: [`crate::sets::period_members`].
pub fn period_goals(repo: &Repo, period: Period) -> Vec<usize> {
    crate::sets::period_members(repo, period)
}

/// Every period with a page and a handout, chronological (a year before its
/// halves and quarters): [`crate::sets::periods`].
pub fn periods(repo: &Repo) -> Vec<Period> {
    crate::sets::periods(repo)
}

// ---------------------------------------------------------------- views

/// The templates, the CSS and the grouping shared by every handout of a
/// build. `handout.html` is rendered by its compiled form while it is the
/// built-in one ([`super::compiled`]), else by Tera.
pub struct Renderer<'a> {
    ctx: Ctx<'a>,
    templates: Templates,
    css: String,
    /// The team slug of each goal, for grouping the summary tables.
    team_slugs: Vec<Option<String>>,
}

/// The goals' list rows ([`Ctx::row`]), each made when first asked for.
pub struct LazyRows<'a> {
    ctx: Ctx<'a>,
    cells: Vec<OnceLock<GoalRow>>,
}

impl LazyRows<'_> {
    fn len(&self) -> usize {
        self.cells.len()
    }
}

impl std::ops::Index<usize> for LazyRows<'_> {
    type Output = GoalRow;
    fn index(&self, i: usize) -> &GoalRow {
        self.cells[i].get_or_init(|| self.ctx.row(i))
    }
}

/// One handout before its view is built: its goals, their plan and the
/// goals listed as needing attention (with how many more there are).
struct Job {
    goals: Vec<usize>,
    plan: Plan,
    attention: Vec<usize>,
    attention_more: usize,
}

impl<'a> Renderer<'a> {
    /// Loads the layered templates and the theme's `handout.css` of `root`.
    pub fn new(project: &'a Project, root: &Path, locale: &'a Locale) -> Result<Renderer<'a>> {
        Renderer::with(project, root, locale, Engine::default())
    }

    /// [`Renderer::new`] with the engine of the built-in template.
    pub fn with(project: &'a Project, root: &Path, locale: &'a Locale, engine: Engine) -> Result<Renderer<'a>> {
        let config = &project.repo.config;
        let templates = theme::templates_with(root, &config.theme, locale, engine)?;
        let files = theme::theme_files(root, &config.theme)?;
        let css = match files.get(CSS_FILE) {
            Some(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            None => include_str!("../../../themes/default/handout.css").to_string(),
        };
        let ctx = Ctx { repo: &project.repo, numbers: &project.numbers, locale, as_of: project.as_of };
        let team_slugs = project.repo.goals.iter().map(|g| g.team.as_deref().map(slugify)).collect();
        Ok(Renderer { ctx, templates, css, team_slugs })
    }

    /// The list rows of the goals, each made when a handout first shows it
    /// (the site's pages make every row; a handout shows a few hundred).
    fn rows(&self) -> LazyRows<'a> {
        let ctx =
            Ctx { repo: self.ctx.repo, numbers: self.ctx.numbers, locale: self.ctx.locale, as_of: self.ctx.as_of };
        LazyRows { cells: (0..ctx.repo.goals.len()).map(|_| OnceLock::new()).collect(), ctx }
    }

    /// The blocks of `goals` (others stay `None`), built in parallel: the
    /// progress charts are the costly part.
    fn blocks<'r>(&self, rows: &'r LazyRows<'a>, goals: &[usize]) -> Vec<Option<GoalBlock<'r>>> {
        let mut wanted = vec![false; rows.len()];
        for &i in goals {
            wanted[i] = true;
        }
        let supported_by = super::views::supported_by(self.ctx.repo);
        wanted.par_iter().enumerate().map(|(i, &w)| w.then(|| self.block(rows, i, &supported_by))).collect()
    }

    fn block<'r>(&self, rows: &'r LazyRows<'a>, i: usize, supported_by: &[Vec<usize>]) -> GoalBlock<'r> {
        let l = self.ctx.locale;
        // No cascade diagram: a block does not show one.
        let p = self.ctx.goal_page_with(i, rows, supported_by, "", String::new());
        let row = &rows[i];
        let fact = |key: &str, value: Option<String>, sub: Option<String>| {
            value.map(|value| Fact { label: l.t(key).to_string(), value, sub })
        };
        let mut facts = Vec::new();
        let expected = p.expected.as_ref().map(|e| format!("{}: {e}", l.t("goal.expected")));
        facts.extend(fact("goal.progress", p.progress.clone(), expected));
        match (&p.current, &p.target) {
            (Some(current), Some(target)) => {
                let label = format!("{} / {}", l.t("goal.current"), l.t("goal.target"));
                let baseline = p.baseline.as_ref().map(|b| format!("{}: {b}", l.t("goal.baseline")));
                facts.push(Fact {
                    label,
                    value: format!("{current} / {target}"),
                    sub: p.direction.clone().or(baseline),
                });
            }
            (current, _) => facts.extend(fact("goal.current", current.clone(), None)),
        }
        facts.extend(fact("goal.warning", p.warning.clone(), None));
        facts.extend(fact("goal.score", p.score.clone(), None));
        facts.extend(fact("goal.due", p.due.clone(), row.days_left.clone()));
        let share = p.forecast_progress.as_ref().map(|f| l.tf("handout.forecast-share", &[("progress", f)]));
        facts.extend(fact("goal.forecast", p.forecast.clone(), share));
        let tasks = if p.done { Some(l.t("goal.done").to_string()) } else { p.tasks.clone() };
        facts.extend(fact("goal.tasks", tasks, None));
        let total = p.checkins.len();
        let checkins: Vec<CheckinRow> = p.checkins.into_iter().take(CHECKINS_SHOWN).collect();
        let more = total - checkins.len();
        GoalBlock {
            goal: row,
            commitment: p.commitment,
            metric: p.metric,
            facts,
            // Paper takes the wide chart only (`chart::wide_part`).
            chart: p.chart.map(|c| crate::render::chart::wide_part(&c).to_string()),
            checkins,
            checkins_more: (more > 0).then(|| l.tf("common.more", &[("n", &more.to_string())])),
            milestones: p.milestones,
            smart_ok: p.smart_ok,
            smart: p.smart,
        }
    }

    /// The goals of a handout: the period's, narrowed to a team. Errors name
    /// what exists when the choice matches nothing.
    pub fn select(&self, opts: &Options) -> Result<Vec<usize>> {
        let repo = self.ctx.repo;
        let goals = period_goals(repo, opts.period);
        let lang = repo.config.language.as_str();
        let none = || crate::messages::text(lang, "none", &[]);
        if goals.is_empty() {
            let known: Vec<String> = periods(repo).iter().map(Period::to_string).collect();
            let known = if known.is_empty() { none() } else { known.join(", ") };
            bail!(crate::messages::text(
                lang,
                "handout-no-goals",
                &[("period", &opts.period.to_string()), ("known", &known)]
            ));
        }
        let Some(team) = opts.team else { return Ok(goals) };
        let slug = slugify(team);
        let mine: Vec<usize> = goals
            .iter()
            .copied()
            .filter(|&i| repo.goals[i].team.as_deref().is_some_and(|t| slugify(t) == slug))
            .collect();
        if mine.is_empty() {
            let mut teams: Vec<&str> = goals.iter().filter_map(|&i| repo.goals[i].team.as_deref()).collect();
            teams.sort();
            teams.dedup();
            let teams = if teams.is_empty() { none() } else { teams.join(", ") };
            let period = opts.period.to_string();
            bail!(crate::messages::text(
                lang,
                "handout-no-team-goals",
                &[("team", team), ("period", &period), ("teams", &teams)]
            ));
        }
        Ok(mine)
    }

    fn job(&self, goals: Vec<usize>) -> Job {
        let plan = Plan::new(self.ctx.repo, &goals);
        let (attention, attention_more) = self.attention(&goals);
        Job { goals, plan, attention, attention_more }
    }

    /// The goals of `goals` that need attention, at most [`ATTENTION_LIMIT`]:
    /// missed and off track before at risk; within each, the furthest
    /// behind its pace first. Also how many more there are.
    fn attention(&self, goals: &[usize]) -> (Vec<usize>, usize) {
        let rank = |s: Status| match s {
            Status::Missed => 0,
            Status::OffTrack => 1,
            _ => 2,
        };
        let mut behind: Vec<(u8, i64, usize)> = goals
            .iter()
            .filter_map(|&i| {
                let n = &self.ctx.numbers[i];
                if !matches!(n.status, Status::AtRisk | Status::OffTrack | Status::Missed) {
                    return None;
                }
                let pace = match (n.progress, n.expected) {
                    (Some(p), Some(e)) if e > 0.0 => p / e,
                    (Some(p), _) => p,
                    _ => 0.0,
                };
                Some((rank(n.status), (pace * 1e6).round() as i64, i))
            })
            .collect();
        behind.sort();
        let more = behind.len().saturating_sub(ATTENTION_LIMIT);
        behind.truncate(ATTENTION_LIMIT);
        (behind.into_iter().map(|b| b.2).collect(), more)
    }

    /// Renders the handout of `opts` to HTML.
    pub fn render(&self, opts: &Options) -> Result<String> {
        let job = self.job(self.select(opts)?);
        let rows = self.rows();
        let blocks = self.blocks(&rows, job.plan.detailed());
        self.render_job(opts, &job, &rows, &blocks)
    }

    fn render_job(
        &self,
        opts: &Options,
        job: &Job,
        rows: &LazyRows<'a>,
        blocks: &[Option<GoalBlock>],
    ) -> Result<String> {
        let view = self.view(opts, job, rows, blocks);
        self.templates.handout(&super::compiled::Handout { page: &view })
    }
}

/// Renders the handout of `opts` for `project`, with the templates and
/// theme of `root`.
pub fn render_handout(project: &Project, root: &Path, opts: &Options) -> Result<String> {
    let locale = Locale::new(&project.repo.config.language);
    Renderer::new(project, root, &locale)?.render(opts)
}

/// Writes `handouts/<period>/index.html` into the site folder `dir` for
/// every period with goals, on the paper of `[output.handout]`.
pub fn write_handouts(project: &Project, root: &Path, dir: &Path) -> Result<()> {
    render_handouts(project, root, &super::pages::Out::Dir(dir))
}

/// [`write_handouts`] into `out` (a folder, or memory for `serve`).
pub fn render_handouts(project: &Project, root: &Path, out: &super::pages::Out) -> Result<()> {
    let locale = Locale::new(&project.repo.config.language);
    render_all(project, &Renderer::new(project, root, &locale)?, out)
}

/// [`render_handouts`] with the engine of the built-in template.
pub fn render_handouts_with(project: &Project, root: &Path, out: &super::pages::Out, engine: Engine) -> Result<()> {
    let locale = Locale::new(&project.repo.config.language);
    render_all(project, &Renderer::with(project, root, &locale, engine)?, out)
}

fn render_all(project: &Project, renderer: &Renderer, out: &super::pages::Out) -> Result<()> {
    let repo = &project.repo;
    let paper = repo.config.paper;
    let jobs: Vec<(Period, Job)> =
        crate::sets::period_sets(repo).into_par_iter().map(|(p, goals)| (p, renderer.job(goals))).collect();
    let rows = renderer.rows();
    let mut all: Vec<usize> = jobs.iter().flat_map(|j| j.1.plan.detailed().iter().copied()).collect();
    all.sort_unstable();
    all.dedup();
    let blocks = renderer.blocks(&rows, &all);
    jobs.par_iter().try_for_each(|(period, job)| {
        let opts = Options { period: *period, team: None, paper };
        let html = renderer.render_job(&opts, job, &rows, &blocks)?;
        out.put(&format!("handouts/{period}/index.html"), html.into_bytes())
    })
}

/// The first `n` of `ids` (in reading order) for a cut team table:
/// objectives first, then key results, then the rest.
fn first_rows(repo: &Repo, ids: &[usize], n: usize) -> Vec<usize> {
    let rank = |i: usize| match repo.goals[i].kind {
        crate::model::Kind::Objective => 0,
        crate::model::Kind::KeyResult => 1,
        _ => 2,
    };
    let mut by_rank: Vec<(u8, usize)> = ids.iter().enumerate().map(|(k, &i)| (rank(i), k)).collect();
    by_rank.sort_unstable();
    let mut keep: Vec<usize> = by_rank.into_iter().take(n).map(|(_, k)| k).collect();
    keep.sort_unstable();
    keep.into_iter().map(|k| ids[k]).collect()
}

impl<'a> Renderer<'a> {
    fn view<'v>(
        &'v self,
        opts: &Options,
        job: &Job,
        rows: &'v LazyRows<'a>,
        blocks: &'v [Option<GoalBlock<'v>>],
    ) -> HandoutView<'v> {
        let repo = self.ctx.repo;
        let l = self.ctx.locale;
        let config = &repo.config;
        let goals = &job.goals;
        let plan = &job.plan;
        let mut shown = vec![false; repo.goals.len()];
        for &i in plan.detailed() {
            shown[i] = true;
        }
        // `blocks` may hold goals another handout details; show only this plan's.
        let block = |i: usize| blocks[i].as_ref().filter(|_| shown[i]);
        let title_of = |i: usize| repo.goals[i].title.clone();
        let mut sections = Vec::new();
        for part in &plan.sections {
            let placed: Vec<Placed> = part
                .goals
                .iter()
                .filter_map(|&(c, depth)| {
                    let parent = repo.parent[c].filter(|&p| Some(p) != part.objective).map(title_of);
                    Some(Placed { block: block(c)?, depth, parent })
                })
                .collect();
            let Some(o) = part.objective else {
                if !placed.is_empty() {
                    sections.push(Section {
                        objective: None,
                        context: None,
                        context_note: None,
                        parent: None,
                        heading: Some(l.t("handout.other-goals").to_string()),
                        goals: placed,
                    });
                }
                continue;
            };
            let own = if part.in_handout { block(o) } else { None };
            if own.is_none() && placed.is_empty() {
                continue;
            }
            let context = !part.in_handout;
            sections.push(Section {
                objective: own,
                context: context.then(|| &rows[o]),
                context_note: context.then(|| l.t("handout.context").to_string()),
                parent: repo.parent[o].map(title_of),
                heading: None,
                goals: placed,
            });
        }
        let detailed = goals.iter().filter(|&&i| shown[i]).count();
        let hidden = goals.len() - detailed;

        // One table per team, in the order of the sections; no team last.
        let mut teams: BTreeMap<(bool, String), (String, Vec<usize>)> = BTreeMap::new();
        let mut names: BTreeMap<&str, &str> = BTreeMap::new();
        for &i in goals {
            if let (Some(t), Some(slug)) = (&repo.goals[i].team, &self.team_slugs[i]) {
                names.entry(slug).or_insert(config.team_name(t));
            }
        }
        for &i in &plan.order {
            let key = match (&repo.goals[i].team, &self.team_slugs[i]) {
                (Some(t), Some(slug)) => {
                    let name = names.get(slug.as_str()).copied().unwrap_or(t);
                    ((false, slug.clone()), name.to_string())
                }
                _ => ((true, String::new()), l.t("teams.none").to_string()),
            };
            teams.entry(key.0).or_insert_with(|| (key.1, Vec::new())).1.push(i);
        }
        let huge = goals.len() > SUMMARY_ROWS;
        let per_team = (SUMMARY_ROWS / teams.len().max(1)).max(1);
        let teams = teams
            .into_iter()
            .map(|((no_team, _), (name, all))| {
                let summary = self.ctx.status_counts(all.iter().copied());
                let ids = if huge && all.len() > per_team { first_rows(repo, &all, per_team) } else { all.clone() };
                let left = all.len() - ids.len();
                let more = (left > 0).then(|| {
                    let n = left.to_string();
                    if no_team {
                        l.tf("handout.rows-more", &[("n", &n)])
                    } else {
                        let id = repo.goals[all[0]].team.as_deref().unwrap_or(&name);
                        l.tf("handout.team-more", &[("n", &n), ("period", &opts.period.to_string()), ("team", id)])
                    }
                });
                TeamTable { name, summary, goals: ids.iter().map(|&i| &rows[i]).collect(), more }
            })
            .collect();

        let attention_more =
            (job.attention_more > 0).then(|| l.tf("common.more", &[("n", &job.attention_more.to_string())]));
        let attention = job
            .attention
            .iter()
            .map(|&i| {
                let n = &self.ctx.numbers[i];
                let reason = match (n.progress, n.expected) {
                    (Some(p), Some(e)) if n.status != Status::Missed => {
                        Some(l.tf("dashboard.behind-pace", &[("progress", &l.percent(p)), ("expected", &l.percent(e))]))
                    }
                    (Some(p), _) => Some(l.tf("handout.reached-share", &[("progress", &l.percent(p))])),
                    _ => None,
                };
                Attention { goal: &rows[i], reason }
            })
            .collect();

        let period = l.period(opts.period);
        let heading = l.tf("handout.heading", &[("period", &period)]);
        let team = opts.team.map(|t| names.get(slugify(t).as_str()).map_or_else(|| t.to_string(), |n| n.to_string()));
        let organisation = config.organisation().to_string();
        let right = match &team {
            Some(t) => format!("{heading} · {}", l.tf("handout.for-team", &[("team", t)])),
            None => heading.clone(),
        };
        HandoutView {
            lang: l.lang().to_string(),
            doc_title: format!("{heading} · {organisation}"),
            header_left: css_string(&organisation),
            header_right: css_string(&right),
            page_counter: page_counter_css(l.t("handout.page-of")),
            organisation,
            heading,
            period,
            period_key: opts.period.to_string(),
            dates: opts.period.dates(config.fiscal_year_start).map(|(s, e)| format!("{} – {}", l.date(s), l.date(e))),
            team: team.map(|t| l.tf("handout.for-team", &[("team", &t)])),
            as_of: l.tf("handout.as-of", &[("date", &l.date(self.ctx.as_of))]),
            as_of_iso: self.ctx.as_of.to_string(),
            css: self.css.clone(),
            paper: opts.paper.as_str(),
            summary: self.ctx.status_counts(goals.iter().copied()),
            teams,
            sections,
            hidden: (hidden > 0).then(|| l.tf("handout.detail-more", &[("n", &hidden.to_string())])),
            attention,
            attention_more,
            decision_lines: DECISION_LINES,
            next_step_rows: NEXT_STEP_ROWS,
        }
    }
}
