//! `goals.json` (SPEC §6): the computed model for other tools.

use crate::compute::{Numbers, Smart};
use crate::model::Repo;
use crate::terms::{Kind, Status};
use chrono::NaiveDate;
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct Export<'a> {
    schema: u32,
    title: &'a str,
    as_of: String,
    goals: Vec<ExportGoal<'a>>,
}

#[derive(Serialize)]
struct ExportGoal<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'a str,
    parent: Option<&'a str>,
    children: Vec<&'a str>,
    supports: Vec<&'a str>,
    owner: Option<&'a str>,
    team: Option<&'a str>,
    perspective: Option<&'a str>,
    period: Option<String>,
    start: Option<String>,
    due: Option<String>,
    commitment: &'a str,
    weight: f64,
    metric: Option<&'a str>,
    unit: Option<&'a str>,
    baseline: Option<f64>,
    target: Option<f64>,
    current: Option<f64>,
    progress: Option<f64>,
    expected: Option<f64>,
    elapsed: Option<f64>,
    status: Status,
    score: Option<f64>,
    days_left: Option<i64>,
    forecast: Option<f64>,
    forecast_progress: Option<f64>,
    smart: Smart,
    url: String,
}

/// Serialises the model as `goals.json`, byte-identical for the same input.
pub fn goals_json(repo: &Repo, numbers: &[Numbers], as_of: NaiveDate) -> String {
    let mut out = Vec::new();
    write_goals_json(repo, numbers, as_of, &mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// [`goals_json`] written straight to `w` (the file, in a build): at
/// 100,000 goals the text is 125 MB, which need not be held in memory.
pub fn write_goals_json(repo: &Repo, numbers: &[Numbers], as_of: NaiveDate, mut w: impl Write) -> std::io::Result<()> {
    let goals = repo
        .goals
        .iter()
        .zip(numbers)
        .enumerate()
        .map(|(i, (g, n))| {
            let kpi = g.kind == Kind::Kpi;
            ExportGoal {
                id: &g.id,
                title: &g.title,
                kind: g.kind.as_str(),
                // Only links that resolve are exported.
                parent: repo.parent[i].map(|p| repo.goals[p].id.as_str()),
                children: repo.children[i].iter().map(|&c| repo.goals[c].id.as_str()).collect(),
                supports: repo.supports[i].iter().map(|&s| repo.goals[s].id.as_str()).collect(),
                owner: g.owner.as_deref(),
                team: g.team.as_deref(),
                perspective: n.perspective.map(|p| p.as_str()),
                period: g.period.map(|p| p.to_string()),
                start: (!kpi).then_some(g.start).flatten().map(|d| d.to_string()),
                due: (!kpi).then_some(g.due).flatten().map(|d| d.to_string()),
                commitment: g.commitment.as_str(),
                weight: g.weight,
                metric: g.metric.as_deref(),
                unit: g.unit.as_deref(),
                baseline: n.baseline,
                target: g.target,
                current: n.current,
                progress: n.progress,
                expected: n.expected,
                elapsed: n.elapsed,
                status: n.status,
                score: n.score,
                days_left: n.days_left,
                forecast: n.forecast,
                forecast_progress: n.forecast_progress,
                smart: n.smart,
                url: g.url(),
            }
        })
        .collect();
    let export = Export { schema: 1, title: &repo.config.title, as_of: as_of.to_string(), goals };
    serde_json::to_writer_pretty(&mut w, &export)?;
    w.write_all(b"\n")
}
