//! A goal's page: its numbers, breadcrumb, children, check-ins, milestones,
//! SMART checklist and body.

use super::ctx::*;
use super::dashboard::signed_short;
use std::ops::Index;

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
        crate::render::diagram::cascade(
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

    /// A link to goal `j`'s page.
    fn link(&self, j: usize) -> Link {
        Link { label: self.repo.goals[j].title.clone(), url: self.repo.goals[j].url() }
    }

    /// The way down to goal `i`, bounded however deep the chain: the top
    /// goal, a `…` link one level below it, then the nearest ancestors (a
    /// 10,000-deep chain would otherwise write every ancestor on every page).
    fn breadcrumb(&self, i: usize) -> Vec<Link> {
        let mut up = self.repo.ancestors(i);
        let deep = up.len() > 8;
        if deep {
            let (top, below_top) = (up[up.len() - 1], up[up.len() - 2]);
            up.truncate(6);
            up.extend([below_top, top]);
        }
        let mut breadcrumb: Vec<Link> = up.into_iter().rev().map(|j| self.link(j)).collect();
        if deep {
            breadcrumb[1].label = "…".to_string();
        }
        breadcrumb.push(self.link(i));
        breadcrumb
    }

    /// Goal `i`'s children with their weights and, when it rolls up, their
    /// share of its progress.
    fn child_rows<'r, R: Index<usize, Output = GoalRow> + ?Sized>(
        &self,
        i: usize,
        rows: &'r R,
        rolls_up: bool,
    ) -> Vec<ChildRow<'r>> {
        let (repo, l) = (self.repo, self.locale);
        let kids = &repo.children[i];
        let weight_sum: f64 =
            kids.iter().filter(|&&c| self.numbers[c].progress.is_some()).map(|&c| repo.goals[c].weight).sum();
        kids.iter()
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
            .collect()
    }

    /// Goal `i`'s check-ins up to the as-of date, the latest first.
    fn checkin_rows(&self, i: usize) -> Vec<CheckinRow> {
        let (repo, l) = (self.repo, self.locale);
        let g = &repo.goals[i];
        let unit = g.unit.as_deref();
        let visible: Vec<usize> = (0..g.checkins.len()).filter(|&k| g.checkins[k].date <= self.as_of).collect();
        visible
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
            .collect()
    }

    /// Goal `i`'s milestones: reached, not reached or upcoming.
    fn milestone_rows(&self, i: usize) -> Vec<MilestoneRow> {
        let l = self.locale;
        let g = &self.repo.goals[i];
        let unit = g.unit.as_deref();
        let baseline = g.baseline.unwrap_or(0.0);
        g.milestones
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
            .collect()
    }

    /// [`Ctx::goal_page`] with its cascade diagram already drawn.
    pub fn goal_page_with<'r, R: Index<usize, Output = GoalRow> + ?Sized>(
        &self,
        i: usize,
        rows: &'r R,
        supported_by: &[Vec<usize>],
        root: &str,
        cascade: String,
    ) -> GoalPage<'r> {
        let repo = self.repo;
        let g = &repo.goals[i];
        let n = &self.numbers[i];
        let l = self.locale;
        let unit = g.unit.as_deref();
        let link = |j: usize| self.link(j);
        let rolls_up = g.kind == Kind::Objective && g.target.is_none();
        let kids = &repo.children[i];
        let breadcrumb = self.breadcrumb(i);
        let children = self.child_rows(i, rows, rolls_up);
        let checkins = self.checkin_rows(i);
        let milestones = self.milestone_rows(i);
        let smart = self.smart(i);
        let goal_link = |url: &str| self.goal_file_link(i, url, root);
        let body = crate::render::markdown::render(
            &g.body,
            &crate::render::markdown::MarkdownOptions {
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
            chart: crate::render::chart::progress_chart(repo, self.numbers, i, self.as_of, l),
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
