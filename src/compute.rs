//! The numbers of SPEC §3: current, progress, expected pace, status, score,
//! days left, forecast, kpi status and the SMART flags.
//!
//! Pure functions of the [`Repo`] and `as_of`; nothing here reads the disk or
//! reports diagnostics (that is [`crate::lint`], which reads these flags).

use crate::model::{CheckIn, Goal, Repo};
use crate::terms::{Commitment, Direction, Kind, Perspective};
use chrono::NaiveDate;
use serde::Serialize;

pub use crate::terms::Status;

/// The five SMART facts (SPEC §3); `[lint]` decides what is reported.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Smart {
    pub specific: bool,
    pub measurable: bool,
    pub achievable: bool,
    pub relevant: bool,
    pub time_bound: bool,
}

/// A SMART letter of SPEC §3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Letter {
    Specific,
    Measurable,
    Achievable,
    Relevant,
    TimeBound,
}

/// Why a goal misses a SMART letter (SPEC §3), with what the wording needs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SmartFault {
    /// S: the goal has no `owner`.
    NoOwner,
    /// S: the title has no digit and fewer than 4 words.
    VagueTitle,
    /// M: a key result or kpi without a `target`.
    NoTarget,
    /// M: an initiative without tasks that is not done.
    NoTasks,
    /// M: an objective without children or a target.
    NoChildren,
    /// A: the target is more than `max` (`[lint] max-growth`) times the baseline.
    Growth { target: f64, baseline: f64, max: f64 },
    /// A: the pace needed from now is more than three times the pace so far.
    Pace,
    /// R: a goal other than an objective without a `parent`.
    NoParent,
    /// R: no `perspective` of its own or inherited.
    NoPerspective,
    /// T: no `due` (or period) for a goal other than a kpi.
    NoDeadline,
}

impl SmartFault {
    /// The letter this fault fails.
    pub fn letter(self) -> Letter {
        match self {
            SmartFault::NoOwner | SmartFault::VagueTitle => Letter::Specific,
            SmartFault::NoTarget | SmartFault::NoTasks | SmartFault::NoChildren => Letter::Measurable,
            SmartFault::Growth { .. } | SmartFault::Pace => Letter::Achievable,
            SmartFault::NoParent | SmartFault::NoPerspective => Letter::Relevant,
            SmartFault::NoDeadline => Letter::TimeBound,
        }
    }
}

/// Everything computed for one goal.
#[derive(Clone, Debug, PartialEq)]
pub struct Numbers {
    pub baseline: Option<f64>,
    pub current: Option<f64>,
    pub progress: Option<f64>,
    pub elapsed: Option<f64>,
    pub expected: Option<f64>,
    pub status: Status,
    pub score: Option<f64>,
    pub days_left: Option<i64>,
    pub forecast: Option<f64>,
    pub forecast_progress: Option<f64>,
    pub smart: Smart,
    /// Why each SMART letter of [`Numbers::smart`] is not met, in letter order
    /// (empty when all are): lint and the goal page word these.
    pub smart_faults: Vec<SmartFault>,
    /// The latest check-in on or before `as_of`.
    pub last_checkin: Option<usize>,
    /// The effective perspective (own or inherited).
    pub perspective: Option<Perspective>,
}

/// Thresholds the numbers depend on (from `book.toml`).
#[derive(Clone, Copy, Debug)]
pub struct Thresholds {
    pub on_track: f64,
    pub at_risk: f64,
    pub max_growth: f64,
}

impl Thresholds {
    pub fn from_config(c: &crate::config::Config) -> Thresholds {
        Thresholds { on_track: c.on_track, at_risk: c.at_risk, max_growth: c.max_growth }
    }
}

/// SPEC §3: 1.0 for committed goals, 0.7 for aspirational ones.
pub fn success_line(c: Commitment) -> f64 {
    match c {
        Commitment::Committed => 1.0,
        Commitment::Aspirational => 0.7,
    }
}

fn days(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days()
}

/// Index of the latest check-in dated on or before `as_of` (check-ins are sorted).
pub fn last_checkin(checkins: &[CheckIn], as_of: NaiveDate) -> Option<usize> {
    checkins.iter().rposition(|c| c.date <= as_of)
}

/// SPEC §3: given `current`, else the latest check-in by `as_of`, else `baseline`.
pub fn current_value(g: &Goal, as_of: NaiveDate) -> f64 {
    g.current
        .or_else(|| last_checkin(&g.checkins, as_of).map(|i| g.checkins[i].value))
        .unwrap_or(g.baseline.unwrap_or(0.0))
}

/// SPEC §3: progress towards a target, not capped; works for decreasing targets.
pub fn progress_of(value: f64, baseline: f64, target: f64) -> f64 {
    let range = target - baseline;
    if range == 0.0 {
        // Reported as `zero-range`; keep the number finite.
        return if value == target { 1.0 } else { 0.0 };
    }
    ((value - baseline) / range).max(0.0)
}

/// SPEC §3: `elapsed = clamp((as_of − start) / (due − start), 0, 1)`.
pub fn elapsed(start: NaiveDate, due: NaiveDate, as_of: NaiveDate) -> f64 {
    let span = days(start, due);
    if span <= 0 {
        return if as_of >= start { 1.0 } else { 0.0 };
    }
    (days(start, as_of) as f64 / span as f64).clamp(0.0, 1.0)
}

/// SPEC §3 status rules, in order; `expected` is `None` for undated goals.
pub fn status(
    progress: f64,
    commitment: Commitment,
    start: Option<NaiveDate>,
    due: Option<NaiveDate>,
    expected: Option<f64>,
    as_of: NaiveDate,
    t: Thresholds,
) -> Status {
    if progress.min(1.0) >= success_line(commitment) {
        return Status::Achieved;
    }
    let (Some(start), Some(due), Some(expected)) = (start, due, expected) else {
        return Status::Undated;
    };
    if as_of < start {
        Status::Upcoming
    } else if as_of > due {
        Status::Missed
    } else if expected == 0.0 || progress / expected >= t.on_track {
        Status::OnTrack
    } else if progress / expected >= t.at_risk {
        Status::AtRisk
    } else {
        Status::OffTrack
    }
}

/// SPEC §3: kpi status against `target` and `warning` in its direction.
pub fn kpi_status(current: f64, target: Option<f64>, warning: Option<f64>, direction: Direction) -> Status {
    let meets = |x: f64| match direction {
        Direction::Increase => current >= x,
        Direction::Decrease => current <= x,
    };
    if target.is_some_and(meets) {
        Status::Achieved
    } else if warning.is_some_and(meets) {
        Status::AtRisk
    } else {
        Status::OffTrack
    }
}

/// Ordinary least squares of `y` over `x`, evaluated at `at`; `None` with fewer
/// than two distinct `x`.
pub fn least_squares_at(points: &[(f64, f64)], at: f64) -> Option<f64> {
    let n = points.len() as f64;
    let first = points.first()?.0;
    if points.iter().all(|p| p.0 == first) {
        return None;
    }
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.0 - mean_x)).sum();
    let slope = sxy / sxx;
    Some(mean_y + slope * (at - mean_x))
}

/// SPEC §3 forecast: the points (start, baseline), every check-in by `as_of`,
/// and (as_of, current) when `current` is given; fitted value at `due`.
pub fn forecast(g: &Goal, start: NaiveDate, due: NaiveDate, as_of: NaiveDate) -> Option<f64> {
    let x = |d: NaiveDate| days(start, d) as f64;
    let mut points = vec![(0.0, g.baseline.unwrap_or(0.0))];
    points.extend(g.checkins.iter().filter(|c| c.date <= as_of).map(|c| (x(c.date), c.value)));
    if let Some(cur) = g.current {
        points.push((x(as_of), cur));
    }
    least_squares_at(&points, x(due))
}

/// `x` rounded to 2 decimals, half away from zero, as the number is written
/// (0.125 → 0.13, and 0.285, stored as 0.28499…, → 0.29): the rounding is
/// done on the shortest decimal that reads back as `x`.
pub fn round2(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let text = format!("{}", x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    if frac.len() <= 2 {
        return x;
    }
    let digits = format!("{int}{}", &frac[..2]);
    let Ok(mut n) = digits.parse::<u128>() else { return (x * 100.0).round() / 100.0 };
    if frac.as_bytes()[2] >= b'5' {
        n += 1;
    }
    let v = n as f64 / 100.0;
    if x < 0.0 { -v } else { v }
}

/// Computes the numbers of every goal, children before parents.
pub fn compute(repo: &Repo, as_of: NaiveDate) -> Vec<Numbers> {
    let t = Thresholds::from_config(&repo.config);
    let n = repo.goals.len();
    // Depth of each goal, iteratively (a chain may be arbitrarily long).
    let mut depth: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        let mut path = Vec::new();
        let mut cur = Some(i);
        let mut base = 0;
        while let Some(c) = cur {
            if let Some(d) = depth[c] {
                base = d + 1;
                break;
            }
            path.push(c);
            cur = repo.parent[c];
        }
        for (k, &p) in path.iter().rev().enumerate() {
            depth[p] = Some(base + k);
        }
    }
    let perspective: Vec<_> = {
        let mut out = vec![None; n];
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| depth[i]);
        for i in order {
            out[i] = repo.goals[i].perspective.or_else(|| repo.parent[i].and_then(|p| out[p]));
        }
        out
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(depth[i]));

    let mut progress: Vec<Option<f64>> = vec![None; n];
    let mut expected: Vec<Option<f64>> = vec![None; n];
    let mut out: Vec<Option<Numbers>> = vec![None; n];
    for i in order {
        let g = &repo.goals[i];
        let rollup = (g.kind == Kind::Objective && g.target.is_none()).then(|| {
            // SPEC §3: the weighted mean of the children's min(progress, 1)
            // (kpis have no progress and take no part), and of the pace of
            // the children that have one.
            let (mut sum, mut weights) = (0.0, 0.0);
            let (mut pace_sum, mut pace_weights, mut paced) = (0.0, 0.0, false);
            for &c in &repo.children[i] {
                let Some(p) = progress[c] else { continue };
                let w = repo.goals[c].weight;
                sum += w * p.min(1.0);
                weights += w;
                if let Some(e) = expected[c] {
                    pace_sum += w * e;
                    pace_weights += w;
                    paced = true;
                }
            }
            let progress = if weights > 0.0 { sum / weights } else { 0.0 };
            let pace = (paced && pace_weights > 0.0).then(|| pace_sum / pace_weights);
            Rollup { progress, expected: pace }
        });
        let nums = goal_numbers(repo, i, as_of, t, rollup, perspective[i]);
        progress[i] = nums.progress;
        expected[i] = nums.expected;
        out[i] = Some(nums);
    }
    out.into_iter().map(|n| n.expect("every goal computed")).collect()
}

/// What an objective without a target takes from its children.
#[derive(Clone, Copy)]
struct Rollup {
    progress: f64,
    /// The weighted pace of the children with one; `None` when none has one
    /// or their weights add up to 0 (the objective keeps its own pace).
    expected: Option<f64>,
}

fn goal_numbers(
    repo: &Repo,
    i: usize,
    as_of: NaiveDate,
    t: Thresholds,
    rolled: Option<Rollup>,
    perspective: Option<Perspective>,
) -> Numbers {
    let g = &repo.goals[i];
    let last = last_checkin(&g.checkins, as_of);
    // SPEC §3 (goals.json): the given baseline, else 0 for a goal with a
    // target, else none; a current value for every goal that has a baseline,
    // a `current` or a check-in.
    let baseline = g.baseline.or(g.target.map(|_| 0.0));
    let current =
        (baseline.is_some() || g.current.is_some() || !g.checkins.is_empty()).then(|| current_value(g, as_of));
    let smart_faults = smart_faults(repo, i, as_of, t, perspective);
    let smart = Smart::from_faults(&smart_faults);

    if g.kind == Kind::Kpi {
        let direction = g.direction.unwrap_or(Direction::Increase);
        return Numbers {
            baseline,
            current,
            progress: None,
            elapsed: None,
            expected: None,
            status: kpi_status(current.unwrap_or(0.0), g.target, g.warning, direction),
            score: None,
            days_left: None,
            forecast: None,
            forecast_progress: None,
            smart,
            smart_faults,
            last_checkin: last,
            perspective,
        };
    }

    let mut progress = match (g.target, rolled) {
        (Some(target), _) => progress_of(current.unwrap_or(0.0), baseline.unwrap_or(0.0), target),
        (None, Some(r)) => r.progress,
        (None, None) if g.done => 1.0,
        (None, None) if g.tasks.1 > 0 => g.tasks.0 as f64 / g.tasks.1 as f64,
        (None, None) => 0.0,
    };
    if g.done {
        progress = progress.max(1.0);
    }
    let dated = g.start.zip(g.due);
    let elapsed = dated.map(|(s, d)| elapsed(s, d, as_of));
    // An objective is judged against the pace of the work that feeds it; an
    // undated one stays undated.
    let expected = elapsed.map(|e| match rolled.and_then(|r| r.expected) {
        Some(pace) if g.target.is_none() => pace,
        _ => e * success_line(g.commitment),
    });
    let forecast = match (dated, g.target) {
        (Some((s, d)), Some(_)) => forecast(g, s, d, as_of),
        _ => None,
    };
    let forecast_progress = forecast.zip(g.target).map(|(f, target)| progress_of(f, baseline.unwrap_or(0.0), target));
    Numbers {
        baseline,
        current,
        progress: Some(progress),
        elapsed,
        expected,
        status: status(progress, g.commitment, g.start, g.due, expected, as_of, t),
        score: Some(round2(progress.min(1.0))),
        days_left: g.due.map(|d| days(as_of, d)),
        forecast,
        forecast_progress,
        smart,
        smart_faults,
        last_checkin: last,
        perspective,
    }
}

/// Whether a title is specific: it has a digit or at least 4 words.
pub fn title_is_specific(title: &str) -> bool {
    title.chars().any(|c| c.is_ascii_digit()) || title.split_whitespace().count() >= 4
}

impl Smart {
    /// The letters none of `faults` fails.
    fn from_faults(faults: &[SmartFault]) -> Smart {
        let met = |letter: Letter| !faults.iter().any(|f| f.letter() == letter);
        Smart {
            specific: met(Letter::Specific),
            measurable: met(Letter::Measurable),
            achievable: met(Letter::Achievable),
            relevant: met(Letter::Relevant),
            time_bound: met(Letter::TimeBound),
        }
    }
}

/// The SMART faults of goal `i` (SPEC §3), in letter order.
fn smart_faults(
    repo: &Repo,
    i: usize,
    as_of: NaiveDate,
    t: Thresholds,
    perspective: Option<Perspective>,
) -> Vec<SmartFault> {
    let g = &repo.goals[i];
    let mut out = Vec::new();
    if g.owner.is_none() {
        out.push(SmartFault::NoOwner);
    }
    if !title_is_specific(&g.title) {
        out.push(SmartFault::VagueTitle);
    }
    match g.kind {
        Kind::KeyResult | Kind::Kpi if g.target.is_none() => out.push(SmartFault::NoTarget),
        Kind::Initiative if g.tasks.1 == 0 && !g.done => out.push(SmartFault::NoTasks),
        Kind::Objective if repo.children[i].is_empty() && g.target.is_none() => out.push(SmartFault::NoChildren),
        _ => {}
    }
    if let Some(target) = g.target {
        out.extend(achievable(g, target, as_of, t.max_growth));
    }
    if g.kind != Kind::Objective && g.parent.is_none() {
        out.push(SmartFault::NoParent);
    }
    if perspective.is_none() {
        out.push(SmartFault::NoPerspective);
    }
    if g.kind != Kind::Kpi && g.due.is_none() {
        out.push(SmartFault::NoDeadline);
    }
    out
}

/// SPEC §3 `achievable`: the growth ratio and the needed-vs-achieved pace;
/// the fault when the target is not achievable.
fn achievable(g: &Goal, target: f64, as_of: NaiveDate, max_growth: f64) -> Option<SmartFault> {
    let baseline = g.baseline.unwrap_or(0.0);
    let increase = match g.kind {
        Kind::Kpi => g.direction.unwrap_or(Direction::Increase) == Direction::Increase,
        _ => target > baseline,
    };
    if increase && baseline > 0.0 && target / baseline > max_growth {
        return Some(SmartFault::Growth { target, baseline, max: max_growth });
    }
    if g.kind == Kind::Kpi {
        return None;
    }
    let (Some(start), Some(due)) = (g.start, g.due) else { return None };
    if !(start < as_of && as_of < due) {
        return None;
    }
    let current = current_value(g, as_of);
    // Paces are measured towards the target, so a decreasing target is judged
    // the same way as an increasing one.
    let sign = if target >= baseline { 1.0 } else { -1.0 };
    let achieved = sign * (current - baseline) / days(start, as_of) as f64;
    let needed = sign * (target - current) / days(as_of, due) as f64;
    (achieved > 0.0 && needed > 3.0 * achieved).then_some(SmartFault::Pace)
}
