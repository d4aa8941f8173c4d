//! The SMART and staleness diagnostics of SPEC §2, read off computed numbers.
//!
//! Validation errors (types, ids, links, dates) are found earlier, while the
//! model is built; this stage only judges goals that loaded.

use crate::compute::{Numbers, Status};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Kind, Repo};
use chrono::NaiveDate;

/// SMART and stale-check-in diagnostics for every goal, after `[lint]` levels.
pub fn lint(repo: &Repo, numbers: &[Numbers], as_of: NaiveDate) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, (g, n)) in repo.goals.iter().zip(numbers).enumerate() {
        let mut push = |code: Code, line: u32, key: &'static str, args: &[(&'static str, String)]| {
            if let Some(d) = repo.config.apply_level(Diagnostic::msg(code, &g.file, line, key, args)) {
                out.push(d);
            }
        };
        let id = || ("id", g.id.clone());
        let s = n.smart;
        let misspelt = |k: &str| g.misspelt.contains(&k);
        if !s.specific {
            if g.owner.is_none() && !misspelt("owner") {
                push(Code::SmartSpecific, g.line("title"), "smart-no-owner", &[id()]);
            }
            if !crate::compute::title_is_specific(&g.title) {
                push(Code::SmartSpecific, g.line("title"), "smart-vague-title", &[("title", g.title.clone())]);
            }
        }
        if !s.measurable && !misspelt("target") && !misspelt("kind") {
            let key = match g.kind {
                Kind::KeyResult => "smart-kr-no-target",
                Kind::Kpi => "smart-kpi-no-target",
                Kind::Initiative => "smart-initiative-no-tasks",
                Kind::Objective => "smart-objective-no-children",
            };
            push(Code::SmartMeasurable, g.line("target").min(g.line("kind")), key, &[id()]);
        }
        if !s.achievable
            && let Some(target) = g.target
        {
            let baseline = g.baseline.unwrap_or(0.0);
            let growth = target / baseline;
            if target > baseline && baseline > 0.0 && growth > repo.config.max_growth {
                let args = [
                    ("target", target.to_string()),
                    ("growth", format!("{growth:.1}")),
                    ("baseline", baseline.to_string()),
                    ("max", repo.config.max_growth.to_string()),
                ];
                push(Code::SmartAchievable, g.line("target"), "smart-growth", &args);
            } else {
                push(Code::SmartAchievable, g.line("target"), "smart-pace", &[]);
            }
        }
        if !s.relevant {
            let (key, misspelt_key) = if g.kind != Kind::Objective && g.parent.is_none() {
                ("smart-no-parent", "parent")
            } else {
                ("smart-no-perspective", "perspective")
            };
            if !misspelt(misspelt_key) {
                push(Code::SmartRelevant, g.line("parent").min(g.line("title")), key, &[id()]);
            }
        }
        if !s.time_bound && !misspelt("period") && !misspelt("due") {
            push(Code::SmartTimeBound, g.line("title"), "smart-no-deadline", &[id()]);
        }
        if let Some(d) = stale_days(repo, i, n, as_of) {
            let last = &g.checkins[n.last_checkin.unwrap_or(0)];
            let args = [
                id(),
                ("days", d.to_string()),
                ("date", last.date.to_string()),
                ("limit", repo.config.stale_after_days.to_string()),
            ];
            push(Code::StaleCheckin, last.line, "stale-checkin", &args);
        }
    }
    out
}

/// Days since the last check-in, when the goal is active and that is longer
/// than `status.stale-after-days`.
pub fn stale_days(repo: &Repo, i: usize, n: &Numbers, as_of: NaiveDate) -> Option<i64> {
    let g = &repo.goals[i];
    let last = &g.checkins[n.last_checkin?];
    let active = match g.kind {
        Kind::Kpi => true,
        // Its check-ins are ignored (reported once, when the model is built).
        _ if g.target.is_none() => false,
        _ => {
            g.start.is_some_and(|s| s <= as_of)
                && g.due.is_some_and(|d| as_of <= d)
                && n.status != Status::Achieved
                && !g.done
        }
    };
    let age = (as_of - last.date).num_days();
    (active && age > repo.config.stale_after_days).then_some(age)
}
