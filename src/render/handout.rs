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

use super::native::{Html, nonempty};
use super::theme;
use super::views::{CheckinRow, Ctx, GoalRow, MilestoneRow, SmartItem, StatusView, Summary};
use crate::Project;
use crate::compute::Status;
use crate::config::Paper;
use crate::i18n::Locale;
use crate::model::{Kind, Repo};
use crate::period::Period;
use crate::slug::slugify;
use anyhow::{Result, bail};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

/// The template of a handout (layered like every template, see [`theme`]).
pub const TEMPLATE: &str = "handout.html";
/// The theme file inlined into every handout.
pub const CSS_FILE: &str = "handout.css";
/// Check-ins listed per goal, the latest first.
pub const CHECKINS_SHOWN: usize = 3;
/// Goals shown in detail (chart, check-ins, SMART) in one handout, about 60
/// printed pages; the summary tables still list every goal. A review of more
/// goals than this is a review per team (`--team`), and the cap keeps the
/// site build of a very large repository linear in its goals.
pub const DETAIL_LIMIT: usize = 150;
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

/// One fact of a goal block: `Progress 46%`, with an optional second line.
#[derive(Serialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
    pub sub: Option<String>,
}

/// Everything a handout shows of one goal; built once per goal and shared
/// by every handout it appears in.
#[derive(Serialize)]
pub struct GoalBlock<'a> {
    pub goal: &'a GoalRow,
    pub commitment: String,
    pub metric: Option<String>,
    pub facts: Vec<Fact>,
    pub chart: Option<String>,
    pub checkins: Vec<CheckinRow>,
    /// Check-ins before the ones listed.
    pub checkins_more: Option<String>,
    pub milestones: Vec<MilestoneRow>,
    pub smart: Vec<SmartItem>,
    pub smart_ok: bool,
}

/// A goal placed in a section: its block, its depth below the section's
/// objective (0 for a direct key result) and, when its parent is not that
/// objective, the parent it contributes to.
#[derive(Serialize)]
pub struct Placed<'a> {
    pub block: &'a GoalBlock<'a>,
    pub depth: usize,
    pub parent: Option<String>,
}

/// The goals of one objective. `objective` is the objective's own block
/// when it belongs to the handout; `context` is its row when it does not
/// (a yearly objective above this quarter's key results).
#[derive(Serialize)]
pub struct Section<'a> {
    pub objective: Option<&'a GoalBlock<'a>>,
    pub context: Option<&'a GoalRow>,
    pub context_note: Option<String>,
    /// The objective's parent, for a line "Contributes to …".
    pub parent: Option<String>,
    /// The heading of the section of goals under no objective.
    pub heading: Option<String>,
    pub goals: Vec<Placed<'a>>,
}

/// The summary table of one team.
#[derive(Serialize)]
pub struct TeamTable<'a> {
    pub name: String,
    /// Over all the team's goals in the handout, listed or not.
    pub summary: Summary,
    /// The team's goals listed (empty while the built-in template is written
    /// directly, which reads `ids`).
    pub goals: Vec<&'a GoalRow>,
    #[serde(skip)]
    ids: Vec<usize>,
    /// The goals left out of a huge handout's table (see [`SUMMARY_ROWS`]),
    /// and where to find them.
    pub more: Option<String>,
}

/// SPEC §5 caps a page at 1 MB: a handout of more goals than this lists at
/// most this many rows in its team tables, shared among the teams (at least
/// one each), objectives first, then key results; each team's figures still
/// cover all its goals, and the rest are in the team's own handout.
pub const SUMMARY_ROWS: usize = 300;

/// A goal on the closing page, with why it is there.
#[derive(Serialize)]
pub struct Attention<'a> {
    pub goal: &'a GoalRow,
    pub reason: Option<String>,
}

/// What `handout.html` sees as `page`.
#[derive(Serialize)]
pub struct HandoutView<'a> {
    pub lang: String,
    /// `<title>`: `Q4 2026 review · Sao Mai Networks`.
    pub doc_title: String,
    pub organisation: String,
    pub heading: String,
    pub period: String,
    pub period_key: String,
    pub dates: Option<String>,
    pub team: Option<String>,
    pub as_of: String,
    pub as_of_iso: String,
    /// The theme's `handout.css`, inlined.
    pub css: String,
    /// CSS `size` of `@page`: `A4` or `letter`.
    pub paper: &'static str,
    /// CSS `content` values (quoted and escaped) of the running header and
    /// the page numbers, ready for the `@page` margin boxes.
    pub header_left: String,
    pub header_right: String,
    pub page_counter: String,
    pub summary: Summary,
    pub teams: Vec<TeamTable<'a>>,
    pub sections: Vec<Section<'a>>,
    /// Goals left out of the sections by [`DETAIL_LIMIT`], said in words.
    pub hidden: Option<String>,
    pub attention: Vec<Attention<'a>>,
    /// "+N more" when more goals need attention than the page lists.
    pub attention_more: Option<String>,
    pub decision_lines: usize,
    pub next_step_rows: usize,
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

/// A CSS string token of `s`: quoted, with quotes, backslashes, line breaks
/// and `<` escaped (so no text can close the `<style>` element).
pub fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' | '>' | '&' => {
                let _ = write!(out, "\\{:x} ", c as u32);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\{:x} ", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// CSS `content` for the page numbers from a pattern such as
/// `Page {n} of {total}`: `"Page " counter(page) " of " counter(pages)`.
pub fn page_counter_css(pattern: &str) -> String {
    let mut parts = Vec::new();
    let mut rest = pattern;
    while !rest.is_empty() {
        let next = [("{n}", "counter(page)"), ("{total}", "counter(pages)")]
            .iter()
            .filter_map(|&(p, css)| rest.find(p).map(|k| (k, p, css)))
            .min_by_key(|t| t.0);
        match next {
            Some((k, p, css)) => {
                if k > 0 {
                    parts.push(css_string(&rest[..k]));
                }
                parts.push(css.to_string());
                rest = &rest[k + p.len()..];
            }
            None => {
                parts.push(css_string(rest));
                rest = "";
            }
        }
    }
    if parts.is_empty() { "counter(page)".to_string() } else { parts.join(" ") }
}

/// The Tera instance, rows and caches shared by every handout of a build.
///
/// While `handout.html` is the built-in template (no user or theme file
/// overrides it), a handout is written directly in Rust ([`Renderer::write`]):
/// Tera interpreting the template over a JSON copy of every summary row cost
/// most of the handouts' time in a large repository (issue 8). The direct
/// writer produces the very bytes Tera would; `tests/handout_equivalence.rs`
/// renders handouts both ways and compares them, so a change to the
/// template must be made in [`Renderer::write`] too.
pub struct Renderer<'a> {
    ctx: Ctx<'a>,
    /// `None` while the built-in template is written directly.
    tera: Option<tera::Tera>,
    css: String,
    /// The team slug of each goal, for grouping the summary tables.
    team_slugs: Vec<Option<String>>,
    /// Each goal's summary-table row, written when first needed: a goal's
    /// row is the same in every handout.
    summary_rows: Vec<OnceLock<String>>,
    /// The `status` macro's HTML for each status.
    status_html: Vec<(Status, String)>,
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
        Renderer::with(project, root, locale, true)
    }

    /// [`Renderer::new`] that renders through Tera even the built-in
    /// template (for tests that compare both ways).
    #[doc(hidden)]
    pub fn new_tera_only(project: &'a Project, root: &Path, locale: &'a Locale) -> Result<Renderer<'a>> {
        Renderer::with(project, root, locale, false)
    }

    fn with(project: &'a Project, root: &Path, locale: &'a Locale, direct: bool) -> Result<Renderer<'a>> {
        let config = &project.repo.config;
        let sources = theme::template_sources(root, &config.theme)?;
        let builtin = super::native::Native::detect(&sources).handout;
        let tera = if direct && builtin { None } else { Some(theme::tera_from(&sources, locale)?) };
        let files = theme::theme_files(root, &config.theme)?;
        let css = match files.get(CSS_FILE) {
            Some(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            None => include_str!("../../themes/default/handout.css").to_string(),
        };
        let ctx = Ctx { repo: &project.repo, numbers: &project.numbers, locale, as_of: project.as_of };
        let team_slugs = project.repo.goals.iter().map(|g| g.team.as_deref().map(slugify)).collect();
        let summary_rows = project.repo.goals.iter().map(|_| OnceLock::new()).collect();
        let status_html = Status::ALL
            .iter()
            .map(|&s| {
                let mut h = Html::new(locale, 256);
                h.handout_status(&StatusView::new(s, locale));
                (s, h.out)
            })
            .collect();
        Ok(Renderer { ctx, tera, css, team_slugs, summary_rows, status_html })
    }

    /// The list rows the handouts of `jobs` show. Tera may look at any
    /// goal's row; the direct writer reads only those of goals shown in
    /// detail, heading a section or needing attention, and writes the
    /// summary tables from the goals themselves ([`Renderer::summary_row`]),
    /// so every other goal gets an empty row, never shown (a goal's page
    /// view wants a row for each of its children).
    fn rows(&self, jobs: &[&Job]) -> Vec<GoalRow> {
        if self.tera.is_some() {
            return self.ctx.rows();
        }
        let mut wanted = vec![false; self.ctx.repo.goals.len()];
        for job in jobs {
            let objectives = job.plan.sections.iter().filter_map(|s| s.objective);
            for i in job.plan.detailed().iter().copied().chain(objectives).chain(job.attention.iter().copied()) {
                wanted[i] = true;
            }
        }
        wanted.par_iter().enumerate().map(|(i, &w)| if w { self.ctx.row(i) } else { GoalRow::default() }).collect()
    }

    /// The blocks of `goals` (others stay `None`), built in parallel: the
    /// progress charts are the costly part.
    fn blocks<'r>(&self, rows: &'r [GoalRow], goals: &[usize]) -> Vec<Option<GoalBlock<'r>>> {
        let mut wanted = vec![false; rows.len()];
        for &i in goals {
            wanted[i] = true;
        }
        let supported_by = super::views::supported_by(self.ctx.repo);
        wanted.par_iter().enumerate().map(|(i, &w)| w.then(|| self.block(rows, i, &supported_by))).collect()
    }

    fn block<'r>(&self, rows: &'r [GoalRow], i: usize, supported_by: &[Vec<usize>]) -> GoalBlock<'r> {
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
            chart: p.chart.map(|c| super::chart::wide_part(&c).to_string()),
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
        let rows = self.rows(&[&job]);
        let blocks = self.blocks(&rows, job.plan.detailed());
        self.render_job(opts, &job, &rows, &blocks)
    }

    fn render_job(&self, opts: &Options, job: &Job, rows: &[GoalRow], blocks: &[Option<GoalBlock>]) -> Result<String> {
        let view = self.view(opts, job, rows, blocks);
        match &self.tera {
            Some(tera) => {
                let mut context = tera::Context::new();
                context.insert("page", &view);
                theme::render(tera, TEMPLATE, &context)
            }
            None => Ok(self.write(&view)),
        }
    }

    fn view<'v>(
        &'v self,
        opts: &Options,
        job: &Job,
        rows: &'v [GoalRow],
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
                TeamTable {
                    name,
                    summary,
                    goals: if self.tera.is_some() { ids.iter().map(|&i| &rows[i]).collect() } else { Vec::new() },
                    ids,
                    more,
                }
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

    /// Goal `i`'s row of a summary table: what one turn of the loop over
    /// `team.goals` in the built-in `handout.html` writes for its
    /// [`GoalRow`], written from the goal itself (see [`Ctx::row`]).
    fn summary_row(&self, i: usize) -> &str {
        self.summary_rows[i].get_or_init(|| {
            let ctx = &self.ctx;
            let g = &ctx.repo.goals[i];
            let n = &ctx.numbers[i];
            let l = ctx.locale;
            let mut h = Html::new(l, 1024);
            h.raw("\n        <tr class=\"kind-").text(g.kind.as_str());
            h.raw("\">\n          <td class=\"col-goal\"><span class=\"row-title\">").text(&g.title);
            h.raw("</span><span class=\"row-kind\">").text(l.kind(g.kind));
            h.raw("</span></td>\n          <td class=\"col-owner\">");
            match &g.owner {
                Some(o) => h.text(ctx.repo.config.person_name(o)),
                None => h.raw("<span class=\"muted\">").t("goal.no-owner").raw("</span>"),
            };
            h.raw("</td>\n          <td class=\"col-progress\">").bar(ctx.bar(i).as_ref(), "", "");
            h.raw("</td>\n          <td class=\"col-status\">");
            match self.status_html.iter().find(|x| x.0 == n.status) {
                Some((_, html)) => h.raw(html),
                None => h.handout_status(&StatusView::new(n.status, l)),
            };
            h.raw("</td>\n          <td class=\"col-score num\">");
            match n.score.map(|s| l.number(s, 2)).filter(|s| !s.is_empty()) {
                Some(s) => h.text(&s),
                None => h.raw("<span class=\"muted\">–</span>"),
            };
            h.raw("</td>\n        </tr>\n        ");
            h.out
        })
    }

    /// The built-in `handout.html` with `page`, written directly: the same
    /// bytes Tera writes (see the type's comment).
    fn write(&self, page: &HandoutView) -> String {
        let rows: usize = page.teams.iter().flat_map(|t| &t.ids).map(|&i| self.summary_row(i).len()).sum();
        let blocks = page.sections.iter().flat_map(|s| s.objective.into_iter().chain(s.goals.iter().map(|p| p.block)));
        let blocks: usize = blocks.map(|b| 6144 + b.chart.as_ref().map_or(0, String::len)).sum();
        let capacity = page.css.len() + rows + blocks + 1024 * page.attention.len() + 65536;
        let mut h = Html::new(self.ctx.locale, capacity);
        // The newlines between the template's macro definitions.
        h.raw("\n\n\n\n\n\n\n\n\n\n<!DOCTYPE html>\n<html lang=\"").text(&page.lang);
        h.raw("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"goalbook\">\n<title>");
        h.text(&page.doc_title).raw("</title>\n<style>\n").raw(&page.css);
        h.raw("\n@page {\n  size: ").text(page.paper);
        h.raw(";\n  @top-left { content: ").raw(&page.header_left);
        h.raw("; }\n  @top-right { content: ").raw(&page.header_right);
        h.raw("; }\n  @bottom-right { content: ").raw(&page.page_counter);
        h.raw("; }\n}\n</style>\n</head>\n<body class=\"handout\">\n\n");
        h.cover(page);
        h.summary(page, |i| self.summary_row(i));
        h.objectives(page);
        h.closing(page);
        h.raw("\n\n<section class=\"part meeting\" aria-labelledby=\"handout-decisions\">\n  <div class=\"keep decisions\">\n    <h2 id=\"handout-decisions\" class=\"part-title\">");
        h.t("handout.decisions").raw("</h2>\n    <p class=\"part-intro\">").t("handout.decisions-intro");
        h.raw("</p>\n    <div class=\"ruled\" aria-hidden=\"true\">");
        for _ in 0..page.decision_lines {
            h.raw("<div class=\"ruled-line\"></div>");
        }
        h.raw("</div>\n  </div>\n\n  <div class=\"keep next-steps\">\n    <h2 class=\"part-title\">")
            .t("handout.next-steps");
        h.raw("</h2>\n    <p class=\"part-intro\">").t("handout.next-steps-intro");
        h.raw("</p>\n    <table class=\"next-steps-table\">\n      <thead>\n        <tr>\n          <th scope=\"col\" class=\"col-action\">");
        h.t("handout.action").raw("</th>\n          <th scope=\"col\" class=\"col-owner\">").t("table.owner");
        h.raw("</th>\n          <th scope=\"col\" class=\"col-due\">").t("table.due");
        h.raw("</th>\n        </tr>\n      </thead>\n      <tbody>\n        ");
        for _ in 0..page.next_step_rows {
            h.raw("<tr><td></td><td></td><td></td></tr>");
        }
        h.raw("\n      </tbody>\n    </table>\n  </div>\n</section>\n\n</body>\n</html>\n");
        h.out
    }
}

/// One section of a handout before any view is built: its objective (none
/// for the goals under no objective) and its goals with their depth.
struct PlanSection {
    objective: Option<usize>,
    in_handout: bool,
    goals: Vec<(usize, usize)>,
}

/// The sections of a handout and the reading order of its goals.
struct Plan {
    sections: Vec<PlanSection>,
    /// Every goal of the handout once, in section order (objective first).
    order: Vec<usize>,
}

impl Plan {
    /// Each goal goes under its nearest objective (itself for an objective);
    /// sections in objective id order, the goals under no objective last.
    fn new(repo: &Repo, goals: &[usize]) -> Plan {
        let mut in_set = vec![false; repo.goals.len()];
        for &i in goals {
            in_set[i] = true;
        }
        let mut objectives: Vec<usize> = Vec::new();
        let mut loose = Vec::new();
        for &i in goals {
            match nearest_objective(repo, i) {
                Some(o) => objectives.push(o),
                None => loose.push(i),
            }
        }
        objectives.sort_unstable();
        objectives.dedup();
        let mut sections = Vec::new();
        let mut order = Vec::with_capacity(goals.len());
        for o in objectives {
            let placed: Vec<(usize, usize)> = descendants(repo, o).into_iter().filter(|&(c, _)| in_set[c]).collect();
            if in_set[o] {
                order.push(o);
            }
            order.extend(placed.iter().map(|p| p.0));
            sections.push(PlanSection { objective: Some(o), in_handout: in_set[o], goals: placed });
        }
        if !loose.is_empty() {
            order.extend(&loose);
            sections.push(PlanSection {
                objective: None,
                in_handout: false,
                goals: loose.iter().map(|&i| (i, 0)).collect(),
            });
        }
        Plan { sections, order }
    }

    /// The goals shown in detail: the first [`DETAIL_LIMIT`] in reading order.
    fn detailed(&self) -> &[usize] {
        &self.order[..self.order.len().min(DETAIL_LIMIT)]
    }
}

/// The nearest objective at or above goal `i` (itself when it is one).
fn nearest_objective(repo: &Repo, i: usize) -> Option<usize> {
    if repo.goals[i].kind == Kind::Objective {
        return Some(i);
    }
    repo.ancestors(i).into_iter().find(|&a| repo.goals[a].kind == Kind::Objective)
}

/// Goals under objective `o` whose nearest objective is `o`, depth first
/// (children in id order), with their depth below `o` (0 for children).
/// Objectives below `o` are left out with their goals: they head their own
/// sections.
fn descendants(repo: &Repo, o: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut seen = vec![false; repo.goals.len()];
    seen[o] = true;
    let mut stack: Vec<(usize, usize)> = repo.children[o].iter().rev().map(|&c| (c, 0)).collect();
    while let Some((c, depth)) = stack.pop() {
        if seen[c] || repo.goals[c].kind == Kind::Objective {
            continue;
        }
        seen[c] = true;
        out.push((c, depth));
        stack.extend(repo.children[c].iter().rev().map(|&k| (k, depth + 1)));
    }
    out
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

/// [`render_handouts`] through Tera even with the built-in template (for
/// tests that compare both ways).
#[doc(hidden)]
pub fn render_handouts_tera_only(project: &Project, root: &Path, out: &super::pages::Out) -> Result<()> {
    let locale = Locale::new(&project.repo.config.language);
    render_all(project, &Renderer::new_tera_only(project, root, &locale)?, out)
}

fn render_all(project: &Project, renderer: &Renderer, out: &super::pages::Out) -> Result<()> {
    let repo = &project.repo;
    let paper = repo.config.paper;
    let jobs: Vec<(Period, Job)> =
        crate::sets::period_sets(repo).into_par_iter().map(|(p, goals)| (p, renderer.job(goals))).collect();
    let rows = renderer.rows(&jobs.iter().map(|j| &j.1).collect::<Vec<_>>());
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

/// The pieces of the built-in `handout.html`, each with its whitespace,
/// written into the writer the native goal pages use.
impl Html<'_> {
    fn number(&mut self, n: usize) -> &mut Self {
        let _ = write!(self.out, "{n}");
        self
    }

    /// The handout's `status` macro.
    fn handout_status(&mut self, s: &StatusView) -> &mut Self {
        self.status_gap(s, " ")
    }

    /// ` · Owner: <strong>…</strong> · Team: … · Q4 2026` of a goal's kicker.
    fn kicker(&mut self, g: &GoalRow) -> &mut Self {
        self.raw("<p class=\"goal-kicker\"><span class=\"kind\">").text(&g.kind_label).raw("</span>");
        if let Some(o) = &g.owner {
            self.raw(" · ").t("goal.owner").raw(": <strong>").text(&o.label).raw("</strong>");
        }
        if let Some(t) = &g.team {
            self.raw(" · ").t("goal.team").raw(": ").text(&t.label);
        }
        if let Some(p) = &g.period {
            self.raw(" · ").text(&p.label);
        }
        self
    }

    /// `{% if parent %}<p class="goal-parent">…</p>{% endif %}`.
    fn parent(&mut self, parent: Option<&str>) -> &mut Self {
        if let Some(p) = parent.filter(|p| !p.is_empty()) {
            self.raw("<p class=\"goal-parent\">").t("goal.parent").raw(": ").text(p).raw("</p>");
        }
        self
    }

    /// The `block` macro.
    fn block(&mut self, b: &GoalBlock, parent: Option<&str>, depth: usize, objective: bool) -> &mut Self {
        let sub = if objective { "h4" } else { "h5" };
        let g = b.goal;
        self.raw(if objective {
            "<article class=\"goal goal-objective depth-"
        } else {
            "<article class=\"goal depth-"
        });
        self.number(depth).raw("\">\n  <header class=\"goal-head\">\n    ").kicker(g);
        self.raw(" · ").text(&b.commitment).raw("</p>\n    <div class=\"goal-title-line\">\n      ");
        let h = if objective { "h3" } else { "h4" };
        self.raw("<").raw(h).raw(" class=\"goal-title\">").text(&g.title).raw("</").raw(h).raw(">\n      ");
        self.handout_status(&g.status).raw("\n    </div>\n    ").parent(parent).raw("\n  </header>\n  ");
        if !b.facts.is_empty() {
            self.raw("\n  <dl class=\"facts\">\n    ");
            for f in &b.facts {
                self.raw("<div class=\"fact\"><dt>").text(&f.label).raw("</dt><dd>").text(&f.value);
                if let Some(s) = nonempty(&f.sub) {
                    self.raw("<span class=\"fact-sub\">").text(s).raw("</span>");
                }
                self.raw("</dd></div>");
            }
            self.raw("\n  </dl>\n  ");
        }
        let chart = nonempty(&b.chart);
        self.raw(if chart.is_some() {
            "\n  <div class=\"goal-body with-chart\">\n    "
        } else {
            "\n  <div class=\"goal-body\">\n    "
        });
        if let Some(chart) = chart {
            self.raw("<figure class=\"goal-chart\">");
            if let Some(m) = nonempty(&b.metric) {
                self.raw("<figcaption class=\"visually-hidden\">").text(m).raw("</figcaption>");
            }
            self.raw(chart).raw("</figure>");
        }
        self.raw("\n    <div class=\"goal-side\">\n      ");
        if !objective || !b.checkins.is_empty() {
            self.raw("\n      <div class=\"side-checkins\">\n      <").raw(sub).raw(" class=\"side-heading\">");
            self.t("handout.latest-checkins").raw("</").raw(sub).raw(">\n      ");
            if b.checkins.is_empty() {
                self.raw("<p class=\"muted\">").t("goal.no-checkins").raw("</p>");
            } else {
                self.raw("\n      <ul class=\"checkins\">\n        ");
                for c in &b.checkins {
                    self.raw("<li><span class=\"checkin-date\">").text(&c.date).raw("</span> <strong>").text(&c.value);
                    self.raw("</strong>");
                    if let Some(change) = nonempty(&c.change) {
                        self.raw(" <span class=\"checkin-change\">(").text(change).raw(")</span>");
                    }
                    if let Some(conf) = nonempty(&c.confidence) {
                        self.raw(" <span class=\"checkin-confidence\">· ").t("checkin.confidence").raw(" ").text(conf);
                        self.raw("</span>");
                    }
                    if let Some(note) = nonempty(&c.note) {
                        self.raw("<span class=\"checkin-note\">").text(note).raw("</span>");
                    }
                    self.raw("</li>");
                }
                self.raw("\n        ");
                if let Some(more) = nonempty(&b.checkins_more) {
                    self.raw("<li class=\"muted\">").text(more).raw("</li>");
                }
                self.raw("\n      </ul>\n      ");
            }
            self.raw("\n      </div>\n      ");
        }
        self.raw("\n      ");
        if !b.milestones.is_empty() {
            self.raw("\n      <div class=\"side-milestones\">\n      <").raw(sub).raw(" class=\"side-heading\">");
            self.t("goal.milestones").raw("</").raw(sub).raw(">\n      <ul class=\"milestones\">\n        ");
            for m in &b.milestones {
                self.raw("<li class=\"milestone-")
                    .text(m.state)
                    .raw("\"><span class=\"milestone-icon\" aria-hidden=\"true\">");
                self.text(m.icon).raw("</span> ").text(&m.date).raw(" · <strong>").text(&m.target).raw("</strong> · ");
                self.text(&m.state_label);
                if let Some(note) = nonempty(&m.note) {
                    self.raw(" · ").text(note);
                }
                self.raw("</li>");
            }
            self.raw("\n      </ul>\n      </div>\n      ");
        }
        self.raw("\n      <div class=\"side-smart\">\n      <")
            .raw(sub)
            .raw(" class=\"side-heading\">")
            .t("smart.title");
        self.raw("</").raw(sub).raw(">\n      <ul class=\"smart\">\n        ");
        for s in &b.smart {
            self.raw(if s.ok {
                "<li class=\"smart-item smart-ok\" title=\""
            } else {
                "<li class=\"smart-item smart-no\" title=\""
            });
            self.text(&s.name).raw(": ").text(&s.state).raw("\"><span class=\"smart-letter\">").text(&s.letter);
            self.raw("</span><span class=\"smart-mark\" aria-hidden=\"true\">").raw(if s.ok { "✓" } else { "✗" });
            self.raw("</span><span class=\"visually-hidden\">")
                .text(&s.name)
                .raw(": ")
                .text(&s.state)
                .raw("</span></li>");
        }
        self.raw("\n      </ul>\n      ");
        if !b.smart_ok {
            self.raw("\n      <ul class=\"smart-reasons\">\n        ");
            for s in b.smart.iter().filter(|s| !s.ok) {
                self.raw("<li><strong>").text(&s.letter).raw(" · ").text(&s.name).raw("</strong> (").text(&s.state);
                self.raw(")");
                for r in &s.reasons {
                    self.raw(" ").text(r);
                }
                self.raw("</li>");
            }
            self.raw("\n      </ul>\n      ");
        }
        self.raw("\n      </div>\n    </div>\n  </div>\n</article>")
    }

    /// The `context_head` macro.
    fn context_head(&mut self, g: &GoalRow, note: &str, parent: Option<&str>) -> &mut Self {
        self.raw("<article class=\"goal goal-objective goal-context depth-0\">\n  <header class=\"goal-head\">\n    ");
        self.kicker(g).raw("</p>\n    <div class=\"goal-title-line\">\n      <h3 class=\"goal-title\">").text(&g.title);
        self.raw("</h3>\n      ").handout_status(&g.status).raw("\n    </div>\n    ").parent(parent);
        self.raw("\n    <p class=\"goal-context-note\">").text(note);
        if let Some(bar) = &g.bar {
            self.raw(" · ").t("goal.progress").raw(" ").text(&bar.text);
        }
        self.raw("</p>\n  </header>\n</article>")
    }

    /// The cover page, up to its closing tag.
    fn cover(&mut self, page: &HandoutView) {
        self.raw("<section class=\"cover\" aria-labelledby=\"handout-title\">\n  <p class=\"cover-org\">")
            .text(&page.organisation);
        self.raw("</p>\n  <h1 id=\"handout-title\" class=\"cover-title\">").text(&page.heading).raw("</h1>\n  ");
        if let Some(dates) = nonempty(&page.dates) {
            self.raw("<p class=\"cover-dates\">").text(dates).raw("</p>");
        }
        self.raw("\n  ");
        if let Some(team) = nonempty(&page.team) {
            self.raw("<p class=\"cover-team\">").text(team).raw("</p>");
        }
        self.raw("\n  <p class=\"cover-asof\"><time datetime=\"").text(&page.as_of_iso).raw("\">").text(&page.as_of);
        self.raw(
            "</time></p>\n\n  <div class=\"cover-figures\">\n    <div class=\"figure\"><span class=\"figure-value\">",
        );
        self.number(page.summary.total).raw("</span><span class=\"figure-label\">").t("handout.goals-reviewed");
        self.raw("</span></div>\n    ");
        if let Some(average) = nonempty(&page.summary.average) {
            self.raw("<div class=\"figure\"><span class=\"figure-value\">").text(average);
            self.raw("</span><span class=\"figure-label\">").t("dashboard.overall").raw("</span></div>");
        }
        self.raw("\n    <div class=\"figure\"><span class=\"figure-value\">").number(page.attention.len());
        self.raw("</span><span class=\"figure-label\">").t("handout.attention");
        self.raw("</span></div>\n  </div>\n  <ul class=\"cover-statuses\" aria-label=\"")
            .t("dashboard.by-status")
            .raw("\">\n    ");
        for c in &page.summary.statuses {
            self.raw("<li><span class=\"cover-count\">")
                .number(c.count)
                .raw("</span> ")
                .handout_status(&c.status)
                .raw("</li>");
        }
        self.raw("\n  </ul>\n\n  <div class=\"cover-bottom\">\n    <h2 class=\"cover-contents-title\">")
            .t("handout.contents");
        self.raw("</h2>\n    <ol class=\"cover-contents\">\n      <li>").t("handout.summary");
        self.raw("</li>\n      <li>").t("handout.objectives").raw("</li>\n      <li>").t("handout.attention");
        self.raw("</li>\n      <li>").t("handout.decisions").raw(" · ").t("handout.next-steps");
        self.raw("</li>\n    </ol>\n    <dl class=\"cover-meeting\">\n      <div><dt>").t("handout.meeting-date");
        self.raw("</dt><dd></dd></div>\n      <div><dt>").t("handout.attendees");
        self.raw("</dt><dd></dd></div>\n    </dl>\n  </div>\n</section>");
    }

    /// The summary part: a table per team, its rows from `row`.
    fn summary<'r>(&mut self, page: &HandoutView, row: impl Fn(usize) -> &'r str) {
        self.raw("\n\n<section class=\"part summary\" aria-labelledby=\"handout-summary\">\n  <h2 id=\"handout-summary\" class=\"part-title\">");
        self.t("handout.summary").raw("</h2>\n  ");
        for team in &page.teams {
            self.raw("\n  <div class=\"team keep\">\n    <h3 class=\"team-name\">").text(&team.name);
            self.raw(" <span class=\"team-total\">").text(&team.summary.total_text);
            if let Some(average) = nonempty(&team.summary.average) {
                let l = self.l;
                let n = l.number(team.summary.covered as f64, 0);
                self.raw(" · ").text(&l.tf("dashboard.average", &[("n", &n), ("value", average)]));
            }
            self.raw("</span></h3>\n    <table class=\"summary-table\">\n      <thead>\n        <tr>\n          <th scope=\"col\" class=\"col-goal\">");
            self.t("table.goal").raw("</th>\n          <th scope=\"col\" class=\"col-owner\">").t("table.owner");
            self.raw("</th>\n          <th scope=\"col\" class=\"col-progress\">").t("table.progress");
            self.raw("</th>\n          <th scope=\"col\" class=\"col-status\">").t("table.status");
            self.raw("</th>\n          <th scope=\"col\" class=\"col-score num\">").t("table.score");
            self.raw("</th>\n        </tr>\n      </thead>\n      <tbody>\n        ");
            for &i in &team.ids {
                self.raw(row(i));
            }
            self.raw("\n      </tbody>\n    </table>\n    ");
            if let Some(more) = &team.more {
                self.raw("<p class=\"detail-more\">").text(more).raw("</p>");
            }
            self.raw("\n  </div>\n  ");
        }
        self.raw("\n</section>");
    }

    /// The part with a section per objective.
    fn objectives(&mut self, page: &HandoutView) {
        self.raw("\n\n<section class=\"part objectives\" aria-labelledby=\"handout-objectives\">\n  <h2 id=\"handout-objectives\" class=\"part-title\">");
        self.t("handout.objectives").raw("</h2>\n  ");
        for s in &page.sections {
            self.raw("\n  <section class=\"objective\"><div class=\"keep\">\n      ");
            let parent = s.parent.as_deref();
            if let Some(o) = s.objective {
                self.block(o, parent, 0, true).raw("\n      ");
            } else if let Some(c) = s.context {
                self.context_head(c, s.context_note.as_deref().unwrap_or_default(), parent).raw("\n      ");
            } else {
                self.raw("<h3 class=\"section-heading\">").text(s.heading.as_deref().unwrap_or_default()).raw("</h3>");
            }
            self.raw("\n      ");
            if let Some(p) = s.goals.first() {
                self.block(p.block, p.parent.as_deref(), p.depth, false);
            }
            self.raw("\n    </div>\n    ");
            for p in s.goals.iter().skip(1) {
                self.raw("\n    <div class=\"keep\">")
                    .block(p.block, p.parent.as_deref(), p.depth, false)
                    .raw("</div>\n    ");
            }
            self.raw("\n  </section>\n  ");
        }
        self.raw("\n  ");
        if let Some(hidden) = nonempty(&page.hidden) {
            self.raw("<p class=\"detail-more\">").text(hidden).raw("</p>");
        }
        self.raw("\n</section>");
    }

    /// The goals that need attention.
    fn closing(&mut self, page: &HandoutView) {
        self.raw("\n\n<section class=\"part closing\" aria-labelledby=\"handout-attention\">\n  <h2 id=\"handout-attention\" class=\"part-title\">");
        self.t("handout.attention")
            .raw("</h2>\n  <p class=\"part-intro\">")
            .t("handout.attention-intro")
            .raw("</p>\n  ");
        if page.attention.is_empty() {
            self.raw("\n  <p class=\"empty\">").t("handout.attention-none").raw("</p>\n  ");
        } else {
            self.raw("\n  <table class=\"attention-table\">\n    <thead>\n      <tr>\n        <th scope=\"col\" class=\"col-goal\">");
            self.t("table.goal").raw("</th>\n        <th scope=\"col\" class=\"col-owner\">").t("table.owner");
            self.raw("</th>\n        <th scope=\"col\" class=\"col-status\">").t("table.status");
            self.raw("</th>\n        <th scope=\"col\" class=\"col-progress\">").t("table.progress");
            self.raw("</th>\n        <th scope=\"col\" class=\"col-due\">").t("table.due");
            self.raw("</th>\n      </tr>\n    </thead>\n    <tbody>\n      ");
            for a in &page.attention {
                let g = a.goal;
                self.raw("\n      <tr>\n        <td><span class=\"row-title\">").text(&g.title);
                self.raw("</span><span class=\"row-kind\">").text(&g.kind_label);
                if let Some(t) = &g.team {
                    self.raw(" · ").text(&t.label);
                }
                self.raw("</span></td>\n        <td>");
                match &g.owner {
                    Some(o) => self.text(&o.label),
                    None => self.raw("<span class=\"muted\">").t("goal.no-owner").raw("</span>"),
                };
                self.raw("</td>\n        <td>").handout_status(&g.status).raw("</td>\n        <td>");
                match nonempty(&a.reason) {
                    Some(r) => self.text(r),
                    None => self.raw("<span class=\"muted\">–</span>"),
                };
                self.raw("</td>\n        <td class=\"col-due\">");
                match nonempty(&g.due) {
                    Some(due) => {
                        self.text(due);
                        if let Some(days) = nonempty(&g.days_left) {
                            self.raw("<span class=\"row-kind\">").text(days).raw("</span>");
                        }
                    }
                    None => {
                        self.raw("<span class=\"muted\">–</span>");
                    }
                }
                self.raw("</td>\n      </tr>\n      ");
            }
            self.raw("\n    </tbody>\n  </table>\n  ");
            if let Some(more) = nonempty(&page.attention_more) {
                self.raw("<p class=\"detail-more\">").text(more).raw("</p>");
            }
            self.raw("\n  ");
        }
        self.raw("\n\n</section>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_break_out_of_the_style_element() {
        assert_eq!(css_string("Sao Mai"), "\"Sao Mai\"");
        assert_eq!(css_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(css_string("</style>"), "\"\\3c /style\\3e \"");
        assert_eq!(css_string("x\ny"), "\"x\\a y\"");
    }

    #[test]
    fn page_counters_follow_the_locale_pattern() {
        assert_eq!(page_counter_css("Page {n} of {total}"), "\"Page \" counter(page) \" of \" counter(pages)");
        assert_eq!(page_counter_css("Trang {n}/{total}"), "\"Trang \" counter(page) \"/\" counter(pages)");
        assert_eq!(page_counter_css("{n}"), "counter(page)");
        assert_eq!(page_counter_css(""), "counter(page)");
    }
}
