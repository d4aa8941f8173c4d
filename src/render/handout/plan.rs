//! Which goals a handout shows in detail and in which sections.

use crate::model::{Kind, Repo};

/// Goals shown in detail (chart, check-ins, SMART) in one handout, about 60
/// printed pages; the summary tables still list every goal. A review of more
/// goals than this is a review per team (`--team`), and the cap keeps the
/// site build of a very large repository linear in its goals.
pub const DETAIL_LIMIT: usize = 150;

/// One section of a handout before any view is built: its objective (none
/// for the goals under no objective) and its goals with their depth.
pub(super) struct PlanSection {
    pub(super) objective: Option<usize>,
    pub(super) in_handout: bool,
    pub(super) goals: Vec<(usize, usize)>,
}

/// The sections of a handout and the reading order of its goals.
pub(super) struct Plan {
    pub(super) sections: Vec<PlanSection>,
    /// Every goal of the handout once, in section order (objective first).
    pub(super) order: Vec<usize>,
}

impl Plan {
    /// Each goal goes under its nearest objective (itself for an objective);
    /// sections in objective id order, the goals under no objective last.
    pub(super) fn new(repo: &Repo, goals: &[usize]) -> Plan {
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
    pub(super) fn detailed(&self) -> &[usize] {
        &self.order[..self.order.len().min(DETAIL_LIMIT)]
    }
}

/// The nearest objective at or above goal `i` (itself when it is one).
pub(super) fn nearest_objective(repo: &Repo, i: usize) -> Option<usize> {
    if repo.goals[i].kind == Kind::Objective {
        return Some(i);
    }
    repo.ancestors(i).into_iter().find(|&a| repo.goals[a].kind == Kind::Objective)
}

/// Goals under objective `o` whose nearest objective is `o`, depth first
/// (children in id order), with their depth below `o` (0 for children).
/// Objectives below `o` are left out with their goals: they head their own
/// sections.
pub(super) fn descendants(repo: &Repo, o: usize) -> Vec<(usize, usize)> {
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
