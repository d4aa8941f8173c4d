//! The model's types: a [`Goal`] as its file gives it, and the [`Repo`] of
//! all goals with the tree resolved to indices.

use crate::config::Config;
use crate::period::Period;
use crate::terms::{Commitment, Direction, Kind, Perspective};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// A recorded measurement of a goal's metric.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckIn {
    pub date: NaiveDate,
    pub value: f64,
    pub confidence: Option<f64>,
    pub note: Option<String>,
    /// Who recorded it: an owner id, or `pull`.
    pub by: Option<String>,
    pub line: u32,
}

/// An intermediate target on the way to a goal's target.
#[derive(Clone, Debug, PartialEq)]
pub struct Milestone {
    pub date: NaiveDate,
    pub target: f64,
    pub note: Option<String>,
    pub line: u32,
}

/// One goal, as the files define it (nothing computed yet).
#[derive(Clone, Debug)]
pub struct Goal {
    pub id: String,
    /// URL path of the goal's folder: slugged id segments (`marketing/q4-mqls`).
    pub slug: String,
    pub file: String,
    pub title: String,
    pub kind: Kind,
    pub parent: Option<String>,
    pub supports: Vec<String>,
    pub owner: Option<String>,
    pub team: Option<String>,
    pub perspective: Option<Perspective>,
    pub period: Option<Period>,
    pub start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub metric: Option<String>,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    /// `current` as written in the file (not the computed one).
    pub current: Option<f64>,
    pub commitment: Commitment,
    pub weight: f64,
    pub done: bool,
    pub warning: Option<f64>,
    pub direction: Option<Direction>,
    /// Sorted by date (stable for equal dates).
    pub checkins: Vec<CheckIn>,
    pub milestones: Vec<Milestone>,
    /// Shared, so that `serve` can keep and copy its parsed goals cheaply.
    pub body: std::sync::Arc<str>,
    /// (checked, total) task-list items in the body, counted by the Markdown parser.
    pub tasks: (usize, usize),
    /// SPEC §7: the `[source]` table; `Err(line)` when it is there but invalid
    /// (its diagnostics say why).
    pub source: Option<Result<crate::source::GoalSource, u32>>,
    /// The known keys that an unknown key of the file looks like a
    /// misspelling of (`targt` → `target`): already reported as
    /// `unknown-field`, so the SMART rule about that key missing is not
    /// reported again.
    pub misspelt: Vec<&'static str>,
    pub(super) lines: BTreeMap<&'static str, u32>,
}

impl Goal {
    /// The file line of front-matter `key`, else of the first front-matter line.
    pub fn line(&self, key: &str) -> u32 {
        self.lines.get(key).copied().unwrap_or(2)
    }

    /// The line that gives the id: the `id` key, else line 1 (the path gives it).
    pub fn id_line(&self) -> u32 {
        self.lines.get("id").copied().unwrap_or(1)
    }

    /// The page of this goal, relative to the site root.
    pub fn url(&self) -> String {
        format!("goals/{}/index.html", self.slug)
    }
}

/// A loaded repository: goals sorted by id, with the tree resolved.
#[derive(Clone, Debug)]
pub struct Repo {
    pub config: Config,
    pub goals: Vec<Goal>,
    /// Index into `goals` of each goal's parent (after dropping broken links).
    pub parent: Vec<Option<usize>>,
    /// Children indices of each goal, sorted by id.
    pub children: Vec<Vec<usize>>,
    /// `supports` targets that exist, as indices.
    pub supports: Vec<Vec<usize>>,
    pub by_id: HashMap<String, usize>,
}

impl Repo {
    pub fn get(&self, id: &str) -> Option<&Goal> {
        self.by_id.get(id).map(|&i| &self.goals[i])
    }

    /// Ancestors of goal `i`, nearest first.
    pub fn ancestors(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = self.parent[i];
        while let Some(p) = cur {
            out.push(p);
            cur = self.parent[p];
        }
        out
    }

    /// The goal's perspective, else the nearest ancestor's.
    pub fn perspective(&self, i: usize) -> Option<Perspective> {
        self.goals[i].perspective.or_else(|| self.ancestors(i).into_iter().find_map(|a| self.goals[a].perspective))
    }
}
