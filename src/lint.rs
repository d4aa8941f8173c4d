//! The SMART and staleness diagnostics of SPEC §2, read off computed numbers.
//!
//! Validation errors (types, ids, links, dates) are found earlier, while the
//! model is built; this stage only judges goals that loaded.

use crate::compute::{Numbers, Status};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Kind, Repo};
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
                    let mut d = Diagnostic::new(
                        Code::DuplicateId,
                        &g.file,
                        g.line(what),
                        format!(
                            "{what} \"{name}\" and {what} \"{other}\" have the same page (`{slug}`) and would be shown as one; write the {what} the same way in every goal",
                            name = crate::diagnostic::printable(name),
                            other = crate::diagnostic::printable(other),
                        ),
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
            out.push(Diagnostic::new(
                Code::BadValue,
                &g.file,
                g.line("target"),
                format!(
                    "the numbers of `{}` are too large to compute its progress (target {target:e}, baseline {baseline:e}); use values between -1e300 and 1e300, or a larger unit",
                    g.id
                ),
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
            let msg = format!(
                "`{}` is {d} levels below its top goal, and so is every goal under it; a chain deeper than {MAX_CHAIN_DEPTH} levels cannot be followed in a review, so point `parent` at a goal nearer the top",
                g.id
            );
            if let Some(d) =
                repo.config.apply_level(Diagnostic::new(Code::SmartRelevant, &g.file, g.line("parent"), msg))
            {
                out.push(d);
            }
        }
    }
    for (i, (g, n)) in repo.goals.iter().zip(numbers).enumerate() {
        let mut push = |code: Code, line: u32, msg: String| {
            if let Some(d) = repo.config.apply_level(Diagnostic::new(code, &g.file, line, msg)) {
                out.push(d);
            }
        };
        let s = n.smart;
        if !s.specific {
            if g.owner.is_none() {
                push(
                    Code::SmartSpecific,
                    g.line("title"),
                    format!("`{}` has no owner; add `owner = \"name\"` so someone is accountable", g.id),
                );
            }
            if !crate::compute::title_is_specific(&g.title) {
                push(
                    Code::SmartSpecific,
                    g.line("title"),
                    format!(
                        "the title \"{}\" is vague: it has no number and fewer than 4 words; say who achieves what by how much, e.g. \"Cut B2B complaint tickets by 30% in Q4\"",
                        g.title
                    ),
                );
            }
        }
        if !s.measurable {
            let msg = match g.kind {
                Kind::KeyResult => format!(
                    "key result `{}` has no `target`; add `target = …` (and `baseline`, `metric`) so progress can be measured",
                    g.id
                ),
                Kind::Kpi => format!("kpi `{}` has no `target`; add the healthy value as `target = …`", g.id),
                Kind::Initiative => format!(
                    "initiative `{}` has no task list and is not `done`; list its steps as `- [ ] …` in the body",
                    g.id
                ),
                Kind::Objective => {
                    format!("objective `{}` has no key results; add goals with `parent = \"{}\"`", g.id, g.id)
                }
            };
            push(Code::SmartMeasurable, g.line("target").min(g.line("kind")), msg);
        }
        if !s.achievable
            && let Some(target) = g.target
        {
            let baseline = g.baseline.unwrap_or(0.0);
            let growth = target / baseline;
            let msg = if target > baseline && baseline > 0.0 && growth > repo.config.max_growth {
                format!(
                    "target {target} is {growth:.1}× the baseline {baseline}, above `lint.max-growth` = {}; set a target from history or split it over several periods",
                    repo.config.max_growth
                )
            } else {
                "at the pace achieved so far the target is out of reach: the pace needed from now is more than 3× the pace achieved; lower the target or change the plan".to_string()
            };
            push(Code::SmartAchievable, g.line("target"), msg);
        }
        if !s.relevant {
            let msg = if g.kind != Kind::Objective && g.parent.is_none() {
                format!("`{}` has no `parent`; link it to the goal it serves with `parent = \"…\"`", g.id)
            } else {
                format!(
                    "`{}` has no `perspective` on itself or any goal above it; add `perspective = \"finance\"` (or customer, process, learning)",
                    g.id
                )
            };
            push(Code::SmartRelevant, g.line("parent").min(g.line("title")), msg);
        }
        if !s.time_bound {
            push(
                Code::SmartTimeBound,
                g.line("title"),
                format!("`{}` has no deadline; add `period = \"2026-Q4\"` or `due = 2026-12-31`", g.id),
            );
        }
        if let Some(d) = stale_days(repo, i, n, as_of) {
            let last = &g.checkins[n.last_checkin.unwrap_or(0)];
            push(
                Code::StaleCheckin,
                last.line,
                format!(
                    "the last check-in of `{}` is {d} days old ({}), more than `status.stale-after-days` = {}; record progress with `goalbook checkin {} VALUE`",
                    g.id, last.date, repo.config.stale_after_days, g.id
                ),
            );
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
