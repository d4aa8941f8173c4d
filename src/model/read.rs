//! One goal file → a [`Goal`] and the diagnostics of its front matter
//! (types, values, dates, check-ins, milestones, its `[source]`).

use super::goal::{CheckIn, Goal, Milestone};
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::fields::{self, Fields, Source};
use crate::load::{SourceFile, split_front_matter};
use crate::period::{Period, fiscal_year_start};
use crate::slug::slugify_path;
use crate::terms::{Commitment, Direction, Kind, Perspective};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

const GOAL_KEYS_EXAMPLE: &str = "\"…\"";

/// Validates an id: case-sensitive `/`-separated segments; no `..`, `.`,
/// empty segment or leading `/`.
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("an id must not be empty".into());
    }
    if id.starts_with('/') {
        return Err(format!("id `{id}` must not start with `/`; ids are relative to goals/"));
    }
    for seg in id.split('/') {
        if seg.is_empty() {
            return Err(format!("id `{id}` has an empty segment; remove the doubled or trailing `/`"));
        }
        if seg == ".." || seg == "." {
            return Err(format!("id `{id}` must not contain `{seg}` segments"));
        }
        if seg.chars().any(|c| c.is_control() || c == '\\') || seg.trim() != seg {
            return Err(format!("id `{id}` contains spaces at a segment's ends, control characters or `\\`"));
        }
    }
    Ok(())
}

/// Counts (checked, total) task-list items of a Markdown body.
pub fn count_tasks(body: &str) -> (usize, usize) {
    use pulldown_cmark::{Event, Options, Parser};
    let mut checked = 0;
    let mut total = 0;
    // A task marker is `[`, one character, `]`: most bodies have none and
    // need no parse (this ran for every goal of a build).
    if !body.as_bytes().windows(3).any(|w| w[0] == b'[' && w[2] == b']') {
        return (0, 0);
    }
    for ev in Parser::new_ext(body, Options::ENABLE_TASKLISTS) {
        if let Event::TaskListMarker(done) = ev {
            total += 1;
            checked += usize::from(done);
        }
    }
    (checked, total)
}

fn plausible(date: NaiveDate) -> bool {
    (1970..=2200).contains(&date.year())
}

/// Reads one goal file; `None` when it cannot be read at all.
pub fn read_goal(file: &SourceFile, config: &Config) -> (Option<Goal>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Some(text) = file.text.as_deref() else {
        let d = match &file.unread {
            Some((key, args)) => Diagnostic::msg(Code::Parse, &file.rel, 1, key, args),
            None => Diagnostic::msg(Code::Parse, &file.rel, 1, "parse-not-utf8", &[]),
        };
        return (None, vec![d]);
    };
    let split = match split_front_matter(text) {
        Ok(s) => s,
        Err((line, msg)) => return (None, vec![Diagnostic::new(Code::Parse, &file.rel, line, msg)]),
    };
    let src = Source { file: &file.rel, text, offset: split.front_offset };
    let table = match fields::parse(src, split.front) {
        Ok(t) => t,
        Err(d) => return (None, vec![d]),
    };
    let mut f = Fields::new(src, table.get_ref(), table.span(), "the front matter");
    let lines = key_lines(&f);
    let id = goal_id(&mut f, file, &mut diags);
    let title = goal_title(&mut f, file, &id, &mut diags);
    let kind = enum_field(&mut f, config, "kind", Kind::NAMES).and_then(|s| Kind::parse(&s));
    let perspective =
        enum_field(&mut f, config, "perspective", Perspective::NAMES).and_then(|s| Perspective::parse(&s));
    let commitment = enum_field(&mut f, config, "commitment", Commitment::NAMES).and_then(|s| Commitment::parse(&s));
    let direction = enum_field(&mut f, config, "direction", Direction::NAMES).and_then(|s| Direction::parse(&s));

    let parent = f.string("parent", "\"company/grow-b2b\"");
    // SPEC §1: sorted, duplicates dropped.
    let supports: Vec<String> = f
        .string_list("supports", "[\"customer/nps\"]")
        .into_iter()
        .map(|(s, _)| s)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let owner = f.string("owner", "\"lan.nguyen\"").filter(|s| !s.trim().is_empty());
    let team = f.string("team", "\"marketing\"").filter(|s| !s.trim().is_empty());
    let metric = f.string("metric", "\"MQLs\"");
    let unit = f.string("unit", "\"%\"");
    let baseline = f.number("baseline", "50");
    let target = f.number("target", "400");
    let current = f.number("current", "210");
    let warning = f.number("warning", "80");
    let done = f.boolean("done").unwrap_or(false);
    let mut weight = f.number("weight", "1").unwrap_or(1.0);
    if weight < 0.0 {
        f.error("weight", Code::BadValue, format!("`weight` must be 0 or more, not {weight}"));
        weight = 1.0;
    }

    let dates = dates(&mut f, config);
    let checkins = checkins(&mut f, &dates, &mut diags);
    let milestones = milestones(&mut f, &dates, &mut diags);
    let source = f.table("source", "[source]").map(|t| {
        let line = t.line;
        let (source, d) = crate::source::parse(t);
        diags.extend(d);
        source.ok_or(line)
    });

    let kind = kind.unwrap_or(if target.is_some() { Kind::KeyResult } else { Kind::Objective });
    let (period, start, due) = kpi_dates(&f, file, config, kind, dates, &mut diags);
    check_measure(&mut f, file, config, kind, baseline, target, &checkins, &mut diags);
    let misspelt: Vec<&'static str> = ["target", "owner", "parent", "perspective", "period", "due", "kind"]
        .into_iter()
        .filter(|k| f.misspelt(k))
        .collect();
    diags.extend(f.finish());

    let body: std::sync::Arc<str> = split.body.into();
    let tasks = count_tasks(&body);
    let goal = Goal {
        slug: slugify_path(&id),
        id,
        file: file.rel.clone(),
        title,
        kind,
        parent,
        supports,
        owner,
        team,
        perspective,
        period,
        start,
        due,
        metric,
        unit,
        baseline,
        target,
        current,
        commitment: commitment.unwrap_or(Commitment::Committed),
        weight,
        done,
        warning,
        direction,
        checkins,
        milestones,
        body,
        tasks,
        source,
        misspelt,
        lines,
    };
    (Some(goal), diags)
}

/// The line of each key of the front matter that a diagnostic may point at.
fn key_lines(f: &Fields) -> BTreeMap<&'static str, u32> {
    let mut lines = BTreeMap::new();
    const LINE_KEYS: [&str; 18] = [
        "id",
        "title",
        "kind",
        "parent",
        "supports",
        "owner",
        "team",
        "perspective",
        "period",
        "start",
        "due",
        "metric",
        "baseline",
        "target",
        "current",
        "weight",
        "direction",
        "warning",
    ];
    for key in LINE_KEYS {
        if f.has(key) {
            lines.insert(key, f.line_of(key));
        }
    }
    lines
}

/// The goal's id: `id`, else its file path (SPEC §1).
fn goal_id(f: &mut Fields, file: &SourceFile, diags: &mut Vec<Diagnostic>) -> String {
    let mut id = file.path_id.clone();
    if let Some(explicit) = f.string("id", "\"marketing/q4-mqls\"") {
        match check_id(&explicit) {
            Ok(()) => id = explicit,
            Err(msg) => f.error("id", Code::BadValue, msg),
        }
    } else if let Err(msg) = check_id(&id) {
        diags.push(Diagnostic::new(
            Code::BadValue,
            &file.rel,
            1,
            format!("{msg} (from the file path); rename the file or set `id`"),
        ));
    }
    id
}

/// The trimmed `title`; the id when it is missing or empty (and said so).
fn goal_title(f: &mut Fields, file: &SourceFile, id: &str, diags: &mut Vec<Diagnostic>) -> String {
    match f.string("title", "\"Generate 400 MQLs in Q4\"") {
        Some(t) if !t.trim().is_empty() => t.trim().to_string(),
        _ => {
            if !f.has("title") {
                diags.push(Diagnostic::msg(Code::BadValue, &file.rel, 2, "no-title", &[]));
            } else {
                f.error_msg("title", Code::BadValue, "empty-title", &[]);
            }
            id.to_string()
        }
    }
}

/// A key whose value is one of `names`, with a hint at the nearest when not.
fn enum_field(f: &mut Fields, config: &Config, key: &'static str, names: &[&str]) -> Option<String> {
    let v = f.string(key, GOAL_KEYS_EXAMPLE)?;
    if names.contains(&v.as_str()) {
        Some(v)
    } else {
        let hint = crate::diagnostic::suggest(&v, names)
            .map(|s| crate::messages::text(&config.language, "unknown-enum-hint", &[("hint", s)]))
            .unwrap_or_default();
        let args = [("key", key.to_string()), ("value", v.clone()), ("hint", hint), ("names", names.join(", "))];
        f.error_msg(key, Code::BadValue, "unknown-enum", &args);
        None
    }
}

/// A goal's `period`, `start` and `due`, each filled in from the others (SPEC §1).
#[derive(Clone, Copy)]
struct Dates {
    period: Option<Period>,
    start: Option<NaiveDate>,
    due: Option<NaiveDate>,
}

impl Dates {
    /// SPEC §2: whether a check-in or milestone date is plausible: within a
    /// year around the goal's dates.
    fn near(&self, date: NaiveDate) -> bool {
        plausible(date)
            && self.start.and_then(|s| s.checked_sub_days(chrono::Days::new(366))).is_none_or(|s| date >= s)
            && self.due.and_then(|d| d.checked_add_days(chrono::Days::new(366))).is_none_or(|d| date <= d)
    }
}

/// The goal's dates, checked: a known and plausible period, plausible
/// `start` and `due`, `due` not before `start`.
fn dates(f: &mut Fields, config: &Config) -> Dates {
    let period = match f.string("period", "\"2026-Q4\"") {
        Some(p) => match Period::parse(&p) {
            Some(p) => Some(p),
            None => {
                f.error_msg("period", Code::BadValue, "bad-period", &[("period", p.clone())]);
                None
            }
        },
        None => None,
    };
    let start_key = f.date("start");
    let due_key = f.date("due");
    let fy = config.fiscal_year_start;
    let period_dates = period.and_then(|p| p.dates(fy));
    // The same range as `start` and `due` (a `9999-Q4` is as implausible as `due = 9999-12-31`).
    let period = match (period, period_dates) {
        (Some(p), Some((first, last))) if !plausible(first) || !plausible(last) => {
            f.error_msg("period", Code::BadDates, "period-implausible", &[("period", p.to_string())]);
            None
        }
        (p, _) => p,
    };
    let period_dates = period.and_then(|p| p.dates(fy));
    let due = due_key.or(period_dates.map(|d| d.1));
    let start = start_key.or(period_dates.map(|d| d.0)).or_else(|| due.and_then(|d| fiscal_year_start(d, fy)));
    for (key, date) in [("start", start_key), ("due", due_key)] {
        if let Some(d) = date
            && !plausible(d)
        {
            f.error_msg(key, Code::BadDates, "implausible-date", &[("key", key.to_string()), ("date", d.to_string())]);
        }
    }
    if let (Some(s), Some(d)) = (start, due)
        && d < s
    {
        let key = if due_key.is_some() { "due" } else { "start" };
        f.error_msg(key, Code::BadDates, "due-before-start", &[("due", d.to_string()), ("start", s.to_string())]);
    }
    Dates { period, start, due }
}

/// The `[[checkin]]` tables, by date; one without a date or value is reported and left out.
fn checkins(f: &mut Fields, dates: &Dates, diags: &mut Vec<Diagnostic>) -> Vec<CheckIn> {
    let mut checkins = Vec::new();
    for mut c in f.tables("checkin", "a [[checkin]]") {
        let date = c.date("date");
        let value = c.number("value", "80");
        let confidence = c.number("confidence", "0.8");
        let note = c.string("note", "\"Webinar registrations opened\"");
        let by = c.string("by", "\"lan.nguyen\"").filter(|s| !s.is_empty());
        if !c.has("date") {
            c.error("date", Code::BadValue, "a [[checkin]] needs a `date`, e.g. `date = 2026-10-15`");
        }
        if !c.has("value") {
            c.error("value", Code::BadValue, "a [[checkin]] needs a `value`, e.g. `value = 80`");
        }
        let confidence = match confidence {
            Some(v) if !(0.0..=1.0).contains(&v) => {
                c.error("confidence", Code::BadValue, format!("`confidence` is between 0 and 1 (0.8 = 80%), not {v}"));
                None
            }
            v => v,
        };
        if let Some(d) = date
            && !dates.near(d)
        {
            c.error_msg("date", Code::BadDates, "checkin-far", &[("date", d.to_string())]);
        }
        let line = c.line;
        diags.extend(c.finish());
        if let (Some(date), Some(value)) = (date, value) {
            checkins.push(CheckIn { date, value, confidence, note, by, line });
        }
    }
    checkins.sort_by_key(|c| c.date);
    checkins
}

/// The `[[milestone]]` tables, by date; one without a date or target is reported and left out.
fn milestones(f: &mut Fields, dates: &Dates, diags: &mut Vec<Diagnostic>) -> Vec<Milestone> {
    let mut milestones = Vec::new();
    for mut m in f.tables("milestone", "a [[milestone]]") {
        let date = m.date("date");
        let mtarget = m.number("target", "250");
        let note = m.string("note", "\"Webinar done\"");
        if !m.has("date") {
            m.error("date", Code::BadValue, "a [[milestone]] needs a `date`, e.g. `date = 2026-11-15`");
        }
        if !m.has("target") {
            m.error("target", Code::BadValue, "a [[milestone]] needs a `target`, e.g. `target = 250`");
        }
        if let Some(d) = date
            && !dates.near(d)
        {
            m.error_msg("date", Code::BadDates, "milestone-far", &[("date", d.to_string())]);
        }
        let line = m.line;
        diags.extend(m.finish());
        if let (Some(date), Some(target)) = (date, mtarget) {
            milestones.push(Milestone { date, target, note, line });
        }
    }
    milestones.sort_by_key(|m| m.date);
    milestones
}

/// The period, start and due of a goal of `kind`: none for a kpi, whose
/// dates are ignored, and said so (SPEC §3: a kpi is ongoing).
fn kpi_dates(
    f: &Fields,
    file: &SourceFile,
    config: &Config,
    kind: Kind,
    dates: Dates,
    diags: &mut Vec<Diagnostic>,
) -> (Option<Period>, Option<NaiveDate>, Option<NaiveDate>) {
    if kind == Kind::Kpi {
        for key in ["period", "start", "due"] {
            if f.has(key) {
                let d = Diagnostic::msg(
                    Code::SmartTimeBound,
                    &file.rel,
                    f.line_of(key),
                    "kpi-dates-ignored",
                    &[("key", key.to_string())],
                );
                diags.extend(config.apply_level(d));
            }
        }
        (None, None, None)
    } else {
        (dates.period, dates.start, dates.due)
    }
}

/// A target equal to the baseline (no range to progress over), and
/// check-ins of a goal without a target (ignored, and said so).
#[allow(clippy::too_many_arguments)]
fn check_measure(
    f: &mut Fields,
    file: &SourceFile,
    config: &Config,
    kind: Kind,
    baseline: Option<f64>,
    target: Option<f64>,
    checkins: &[CheckIn],
    diags: &mut Vec<Diagnostic>,
) {
    if kind != Kind::Kpi && target.is_some() && target == Some(baseline.unwrap_or(0.0)) {
        let key = if f.has("target") { "target" } else { "baseline" };
        f.error_msg(key, Code::ZeroRange, "zero-range", &[("baseline", baseline.unwrap_or(0.0).to_string())]);
    }
    if target.is_none() && kind != Kind::Kpi && !checkins.is_empty() {
        let d = Diagnostic::msg(
            Code::SmartMeasurable,
            &file.rel,
            checkins[0].line,
            "checkins-ignored",
            &[("kind", kind.as_str().to_string())],
        );
        diags.extend(config.apply_level(d));
    }
}
