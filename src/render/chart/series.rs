//! What a goal's chart shows, in values and dates, before any pixel: the
//! measured values, ideal pace, forecast, milestones and the ranges shown.

use crate::compute::Numbers;
use crate::model::{Goal, Kind};
use chrono::{Datelike, Days, Months, NaiveDate};

/// What a goal's chart shows, in values and dates (no pixels yet).
pub(super) struct Series {
    pub(super) target: f64,
    pub(super) warning: Option<f64>,
    /// Measured values: the baseline at the start, check-ins up to `as_of`,
    /// and `current` at `as_of` when the file gives it.
    pub(super) actual: Vec<(NaiveDate, f64)>,
    /// The ideal pace, from (start, baseline) to (due, target).
    pub(super) pace: Option<[(NaiveDate, f64); 2]>,
    /// From the last actual point to (due, forecast).
    pub(super) forecast: Option<[(NaiveDate, f64); 2]>,
    pub(super) milestones: Vec<(NaiveDate, f64)>,
    /// `as_of`, when it falls in (or near) the dates shown.
    pub(super) today: Option<NaiveDate>,
    pub(super) x: (NaiveDate, NaiveDate),
    pub(super) y: (f64, f64),
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

impl Series {
    pub(super) fn of(g: &Goal, n: &Numbers, as_of: NaiveDate) -> Option<Series> {
        let target = finite(g.target?)?;
        let baseline = finite(n.baseline.or(g.baseline).unwrap_or(0.0)).unwrap_or(0.0);
        let kpi = g.kind == Kind::Kpi;
        let mut actual = Vec::new();
        if !kpi && let Some(start) = g.start.filter(|&s| s <= as_of) {
            actual.push((start, baseline));
        }
        actual.extend(g.checkins.iter().filter(|c| c.date <= as_of && c.value.is_finite()).map(|c| (c.date, c.value)));
        if let Some(cur) = g.current.and_then(finite) {
            actual.push((as_of, cur));
        }
        if kpi && actual.is_empty() {
            actual.push((as_of, n.current.and_then(finite).unwrap_or(baseline)));
        }
        actual.sort_by_key(|p| p.0);
        let dated = if kpi { None } else { g.start.zip(g.due).filter(|(s, d)| s < d) };
        if dated.is_none() && actual.is_empty() {
            return None;
        }
        let pace = dated.map(|(s, d)| [(s, baseline), (d, target)]);
        let forecast = match (dated, n.forecast.and_then(finite), actual.last()) {
            (Some((_, due)), Some(f), Some(&last)) if as_of < due && last.0 < due => Some([last, (due, f)]),
            _ => None,
        };
        let milestones: Vec<(NaiveDate, f64)> =
            g.milestones.iter().filter(|m| m.target.is_finite()).map(|m| (m.date, m.target)).collect();

        let dates = actual.iter().map(|p| p.0).chain(milestones.iter().map(|m| m.0)).chain(g.start).chain(g.due);
        let (mut lo, mut hi) = dates.fold((NaiveDate::MAX, NaiveDate::MIN), |(lo, hi), d| (lo.min(d), hi.max(d)));
        if lo > hi {
            (lo, hi) = (as_of, as_of);
        }
        // Show today unless it lies far beyond the goal's dates (an old goal
        // seen years later would shrink to a sliver on the left).
        let span = (hi - lo).num_days().max(1);
        let today = if as_of >= lo && (as_of - hi).num_days() <= span / 4 {
            hi = hi.max(as_of);
            Some(as_of)
        } else {
            None
        };
        if (hi - lo).num_days() < 14 {
            lo = hi.checked_sub_days(Days::new(30)).unwrap_or(lo);
        }

        let mut values: Vec<f64> = vec![target];
        // A kpi's baseline defaults to 0, which would flatten a 99.5–99.9% uptime.
        if !kpi || g.baseline.is_some() {
            values.push(baseline);
        }
        values.extend(actual.iter().map(|p| p.1));
        values.extend(milestones.iter().map(|m| m.1));
        values.extend(forecast.iter().map(|f| f[1].1));
        let warning = if kpi { g.warning.and_then(finite) } else { None };
        values.extend(warning);
        let (mut ylo, mut yhi) = values.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        if ylo >= 0.0 && ylo < 0.35 * yhi {
            ylo = 0.0;
        }
        let pad = if yhi > ylo { (yhi - ylo) * 0.08 } else { yhi.abs().max(1.0) * 0.1 };
        yhi += pad;
        ylo = if ylo == 0.0 || (ylo > 0.0 && ylo - pad < 0.0) { 0.0 } else { ylo - pad };
        // Beyond what a chart can show (and what plotters' tick search can
        // handle): no chart rather than a hang or a panic.
        let (span, size) = (yhi - ylo, ylo.abs().max(yhi.abs()));
        if !(span.is_finite() && span > size * 1e-9 && size < 1e100) {
            return None;
        }
        Some(Series { target, warning, actual, pace, forecast, milestones, today, x: (lo, hi), y: (ylo, yhi) })
    }
}

/// Tick dates between `lo` and `hi`: days, weeks, half months, months,
/// quarters or years, whichever first gives at most `max` ticks.
pub(super) fn date_ticks(lo: NaiveDate, hi: NaiveDate, max: usize) -> Vec<NaiveDate> {
    let days = |step: u64, align_monday: bool| -> Vec<NaiveDate> {
        let mut d = lo;
        if align_monday {
            while d.weekday() != chrono::Weekday::Mon {
                d = d.succ_opt().unwrap_or(d);
            }
        }
        let mut out = Vec::new();
        while d <= hi && out.len() <= max {
            out.push(d);
            d = match d.checked_add_days(Days::new(step)) {
                Some(n) => n,
                None => break,
            };
        }
        out
    };
    for (step, monday) in [(1, false), (2, false), (7, true)] {
        let t = days(step, monday);
        if t.len() <= max {
            return t;
        }
    }
    let month_starts = |every: u32, half: bool| -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut m = NaiveDate::from_ymd_opt(lo.year(), lo.month(), 1).unwrap_or(lo);
        while m <= hi && out.len() <= max {
            let index = m.year() as i64 * 12 + m.month0() as i64;
            if index.rem_euclid(every as i64) == 0 {
                for d in [Some(m), if half { m.with_day(15) } else { None }].into_iter().flatten() {
                    if d >= lo && d <= hi {
                        out.push(d);
                    }
                }
            }
            m = match m.checked_add_months(Months::new(1)) {
                Some(n) => n,
                None => break,
            };
        }
        out
    };
    let t = month_starts(1, true);
    if t.len() <= max {
        return t;
    }
    for every in [1, 2, 3, 6, 12, 24, 60, 120, 240, 600] {
        let t = month_starts(every, false);
        if t.len() <= max {
            return t;
        }
    }
    vec![lo, hi]
}
