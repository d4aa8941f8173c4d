//! The cascade overview (diagram and text outline) and the scorecard.

use super::ctx::*;
use super::goal::{CASCADE_DEPTH, CASCADE_NODES};

#[derive(Serialize)]
pub struct CascadePage<'a> {
    pub diagram: String,
    pub outline: Vec<OutlineNode<'a>>,
    pub hidden: usize,
    pub hidden_text: String,
    /// The links to the cascade's parts (`cascade/goals/<id>/`, `cascade/kpis/<n>/`).
    pub parts: Vec<crate::render::cascade_parts::PartLink>,
}

/// A goal in the text outline of the cascade (the diagram's accessible twin).
#[derive(Serialize)]
pub struct OutlineNode<'a> {
    pub goal: &'a GoalRow,
    pub children: Vec<OutlineNode<'a>>,
    /// Children left out to keep the page small.
    pub more: usize,
    pub more_text: String,
}

impl Ctx<'_> {
    /// Roots of the cascade: goals with no parent, kpis aside (they stand alone).
    pub fn cascade_roots(&self) -> Vec<usize> {
        (0..self.repo.goals.len())
            .filter(|&i| self.repo.parent[i].is_none() && self.repo.goals[i].kind != Kind::Kpi)
            .collect()
    }

    pub fn cascade_page<'r>(&self, rows: &'r [GoalRow], root: &str) -> CascadePage<'r> {
        let roots = self.cascade_roots();
        let diagram = crate::render::diagram::cascade(
            self.repo,
            self.numbers,
            &roots,
            CASCADE_DEPTH,
            CASCADE_NODES,
            self.locale,
            root,
        );
        // Breadth-first budget, so every level is shown before the next grows.
        let mut budget = CASCADE_NODES;
        let mut shown = vec![false; self.repo.goals.len()];
        let mut level: Vec<(usize, usize)> = roots.iter().map(|&r| (r, 0)).collect();
        while !level.is_empty() {
            let mut next = Vec::new();
            for (i, depth) in level {
                if budget == 0 {
                    break;
                }
                budget -= 1;
                shown[i] = true;
                if depth + 1 < CASCADE_DEPTH {
                    next.extend(self.repo.children[i].iter().map(|&c| (c, depth + 1)));
                }
            }
            level = next;
        }
        let hidden = shown.iter().filter(|s| !**s).count();
        let outline = roots.iter().filter(|&&r| shown[r]).map(|&r| self.outline(r, rows, &shown)).collect();
        CascadePage {
            diagram,
            outline,
            hidden,
            hidden_text: self.locale.tf("cascade.hidden", &[("n", &hidden.to_string())]),
            parts: Vec::new(),
        }
    }

    fn outline<'r>(&self, i: usize, rows: &'r [GoalRow], shown: &[bool]) -> OutlineNode<'r> {
        let kids = &self.repo.children[i];
        let children: Vec<OutlineNode> =
            kids.iter().filter(|&&c| shown[c]).map(|&c| self.outline(c, rows, shown)).collect();
        let more = kids.len() - children.len();
        OutlineNode {
            goal: &rows[i],
            children,
            more,
            more_text: self.locale.tf("cascade.more", &[("n", &more.to_string())]),
        }
    }
}

#[derive(Serialize)]
pub struct ScorecardPage<'a> {
    pub perspectives: Vec<ScorecardPerspective<'a>>,
    pub unassigned: Vec<&'a GoalRow>,
    pub strategy_map: String,
}

#[derive(Serialize)]
pub struct ScorecardPerspective<'a> {
    pub key: &'static str,
    pub label: String,
    pub help: String,
    pub summary: Summary,
    pub groups: Vec<KindGroup<'a>>,
}

#[derive(Serialize)]
pub struct KindGroup<'a> {
    pub kind: &'static str,
    pub label: String,
    pub count: usize,
    pub goals: Vec<&'a GoalRow>,
    /// Goals beyond the first [`SCORECARD_GROUP`], counted, not listed.
    pub more: usize,
}

impl Ctx<'_> {
    pub fn scorecard_page<'r>(&self, rows: &'r [GoalRow], root: &str) -> ScorecardPage<'r> {
        let mut by: BTreeMap<(Perspective, Kind), Vec<usize>> = BTreeMap::new();
        let mut unassigned = Vec::new();
        for (i, n) in self.numbers.iter().enumerate() {
            let kind = self.repo.goals[i].kind;
            match n.perspective {
                Some(p) => by.entry((p, kind)).or_default().push(i),
                None => unassigned.push(&rows[i]),
            }
        }
        let kinds = [Kind::Objective, Kind::KeyResult, Kind::Initiative, Kind::Kpi];
        let perspectives = Perspective::ALL
            .iter()
            .map(|&p| {
                let groups: Vec<KindGroup> = kinds
                    .iter()
                    .filter_map(|&k| {
                        let goals = by.get(&(p, k))?;
                        Some(KindGroup {
                            kind: k.as_str(),
                            label: self.locale.t(&format!("kinds.{}", k.as_str())).to_string(),
                            count: goals.len(),
                            goals: goals.iter().take(SCORECARD_GROUP).map(|&i| &rows[i]).collect(),
                            more: goals.len().saturating_sub(SCORECARD_GROUP),
                        })
                    })
                    .collect();
                let all = crate::sets::perspective_members(self.numbers, p).into_iter();
                ScorecardPerspective {
                    key: p.as_str(),
                    label: self.perspective_label(p),
                    help: self.locale.t(&format!("perspective-help.{}", p.as_str())).to_string(),
                    summary: self.status_counts(all),
                    groups,
                }
            })
            .collect();
        ScorecardPage {
            perspectives,
            unassigned,
            strategy_map: crate::render::diagram::strategy_map(self.repo, self.numbers, self.locale, root),
        }
    }
}
