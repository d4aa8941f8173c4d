//! What `handout.html` sees: the view of one handout and how it is built.

use super::*;

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
    /// The team's goals listed.
    pub goals: Vec<&'a GoalRow>,
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
pub(super) fn first_rows(repo: &Repo, ids: &[usize], n: usize) -> Vec<usize> {
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
    pub(super) fn view<'v>(
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
