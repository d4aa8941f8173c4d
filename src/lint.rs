//! The SMART and staleness diagnostics of SPEC §2, read off computed numbers.
//!
//! Validation errors (types, ids, links, dates) are found earlier, while the
//! model is built; this stage only judges goals that loaded.

use crate::compute::{Numbers, SmartFault};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Repo;
use crate::terms::{Kind, Status};
use chrono::NaiveDate;

/// Parent chains deeper than this get a warning: no review follows them, and
/// every page shows only their ends (the breadcrumb is bounded).
pub const MAX_CHAIN_DEPTH: usize = 20;

/// How many ancestors each goal has, in linear time (no walk per goal).
pub fn depths(repo: &Repo) -> Vec<usize> {
    let n = repo.goals.len();
    let mut depth: Vec<Option<usize>> = vec![None; n];
    let mut path = Vec::new();
    for start in 0..n {
        let mut cur = Some(start);
        while let Some(c) = cur {
            if depth[c].is_some() {
                break;
            }
            path.push(c);
            cur = repo.parent[c];
        }
        let mut d = cur.and_then(|c| depth[c]).map_or(0, |d| d + 1);
        // The walk stopped at a known goal (or a top one): fill in downwards.
        while let Some(c) = path.pop() {
            let own = if repo.parent[c].is_none() { 0 } else { d };
            depth[c] = Some(own);
            d = own + 1;
        }
    }
    depth.into_iter().map(|d| d.unwrap_or(0)).collect()
}

/// Owners (or teams) whose names differ but slug alike (`Lan Nguyen`,
/// `lan.nguyen`) would share one page: a warning naming both, at the first
/// goal that writes the second name.
fn slug_collisions(repo: &Repo) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (what, key) in [("owner", 0), ("team", 1)] {
        let mut first: std::collections::BTreeMap<String, &str> = Default::default();
        let mut reported: std::collections::BTreeSet<&str> = Default::default();
        for g in &repo.goals {
            let Some(name) = (if key == 0 { g.owner.as_deref() } else { g.team.as_deref() }) else { continue };
            let slug = crate::slug::slugify(name);
            match first.get(&slug) {
                None => {
                    first.insert(slug, name);
                }
                Some(&other) if other != name && reported.insert(name) => {
                    let mut d = Diagnostic::msg(
                        Code::DuplicateId,
                        &g.file,
                        g.line(what),
                        if key == 0 { "owner-collision" } else { "team-collision" },
                        &[
                            ("name", crate::diagnostic::printable(name).into_owned()),
                            ("other", crate::diagnostic::printable(other).into_owned()),
                            ("slug", slug.clone()),
                        ],
                    );
                    d.severity = crate::diagnostic::Severity::Warning;
                    out.push(d);
                }
                Some(_) => {}
            }
        }
    }
    out
}

/// Values so large that progress cannot be computed (`target − baseline`
/// overflows to infinity, and progress would silently be 0).
fn non_finite_progress(repo: &Repo) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for g in &repo.goals {
        let Some(target) = g.target else { continue };
        let baseline = g.baseline.unwrap_or(0.0);
        let values = g
            .current
            .into_iter()
            .chain(g.checkins.iter().map(|c| c.value))
            .chain(g.milestones.iter().map(|m| m.target));
        let finite = |v: f64| {
            let p = (v - baseline) / (target - baseline);
            (target - baseline).is_finite() && (v - baseline).is_finite() && (p.is_finite() || target == baseline)
        };
        if !finite(baseline) || values.into_iter().any(|v| !finite(v)) {
            out.push(Diagnostic::msg(
                Code::BadValue,
                &g.file,
                g.line("target"),
                "progress-not-finite",
                &[("id", g.id.clone()), ("target", format!("{target:e}")), ("baseline", format!("{baseline:e}"))],
            ));
        }
    }
    out
}

/// SMART and stale-check-in diagnostics for every goal, after `[lint]` levels.
pub fn lint(repo: &Repo, numbers: &[Numbers], as_of: NaiveDate) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    out.extend(slug_collisions(repo));
    out.extend(non_finite_progress(repo));
    // One warning where each chain first passes the limit, not one per goal below.
    for (i, d) in depths(repo).into_iter().enumerate() {
        if d == MAX_CHAIN_DEPTH + 1 {
            let g = &repo.goals[i];
            let args = [("id", g.id.clone()), ("depth", d.to_string()), ("max", MAX_CHAIN_DEPTH.to_string())];
            let diag = Diagnostic::msg(Code::SmartRelevant, &g.file, g.line("parent"), "chain-too-deep", &args);
            if let Some(d) = repo.config.apply_level(diag) {
                out.push(d);
            }
        }
    }
    for (i, (g, n)) in repo.goals.iter().zip(numbers).enumerate() {
        let mut push = |code: Code, line: u32, key: &'static str, args: &[(&'static str, String)]| {
            if let Some(d) = repo.config.apply_level(Diagnostic::msg(code, &g.file, line, key, args)) {
                out.push(d);
            }
        };
        let id = || ("id", g.id.clone());
        let misspelt = |k: &str| g.misspelt.contains(&k);
        // R is reported once: the missing parent first, else the perspective.
        let no_parent = n.smart_faults.contains(&SmartFault::NoParent);
        for fault in &n.smart_faults {
            match *fault {
                SmartFault::NoOwner if !misspelt("owner") => {
                    push(Code::SmartSpecific, g.line("title"), "smart-no-owner", &[id()]);
                }
                SmartFault::VagueTitle => {
                    push(Code::SmartSpecific, g.line("title"), "smart-vague-title", &[("title", g.title.clone())]);
                }
                SmartFault::NoTarget | SmartFault::NoTasks | SmartFault::NoChildren
                    if !misspelt("target") && !misspelt("kind") =>
                {
                    let key = match g.kind {
                        Kind::KeyResult => "smart-kr-no-target",
                        Kind::Kpi => "smart-kpi-no-target",
                        Kind::Initiative => "smart-initiative-no-tasks",
                        Kind::Objective => "smart-objective-no-children",
                    };
                    push(Code::SmartMeasurable, g.line("target").min(g.line("kind")), key, &[id()]);
                }
                SmartFault::Growth { target, baseline, max } => {
                    let args = [
                        ("target", target.to_string()),
                        ("growth", format!("{:.1}", target / baseline)),
                        ("baseline", baseline.to_string()),
                        ("max", max.to_string()),
                    ];
                    push(Code::SmartAchievable, g.line("target"), "smart-growth", &args);
                }
                SmartFault::Pace => push(Code::SmartAchievable, g.line("target"), "smart-pace", &[]),
                SmartFault::NoParent if !misspelt("parent") => {
                    push(Code::SmartRelevant, g.line("parent").min(g.line("title")), "smart-no-parent", &[id()]);
                }
                SmartFault::NoPerspective if !no_parent && !misspelt("perspective") => {
                    let line = g.line("parent").min(g.line("title"));
                    push(Code::SmartRelevant, line, "smart-no-perspective", &[id()]);
                }
                SmartFault::NoDeadline if !misspelt("period") && !misspelt("due") => {
                    push(Code::SmartTimeBound, g.line("title"), "smart-no-deadline", &[id()]);
                }
                _ => {}
            }
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
