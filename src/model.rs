//! Raw goal files → [`Repo`]: typed goals with ids, dates and a checked tree.
//!
//! Validation that needs only the file (types, values, dates) and the whole
//! repository (duplicate ids, missing parents, cycles) happens here. The model
//! that comes out is always consistent, even when diagnostics were reported:
//! broken links are dropped, so later stages never have to re-check.

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::fields::{self, Fields, Source};
use crate::load::{SourceFile, split_front_matter};
use crate::period::{Period, fiscal_year_start};
use crate::slug::slugify_path;
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

pub use crate::terms::{Commitment, Direction, Kind, Perspective};

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
    lines: BTreeMap<&'static str, u32>,
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

    let title = f.string("title", "\"Generate 400 MQLs in Q4\"");
    let title = match title {
        Some(t) if !t.trim().is_empty() => t.trim().to_string(),
        _ => {
            if !f.has("title") {
                diags.push(Diagnostic::msg(Code::BadValue, &file.rel, 2, "no-title", &[]));
            } else {
                f.error_msg("title", Code::BadValue, "empty-title", &[]);
            }
            id.clone()
        }
    };

    let enum_field = |f: &mut Fields, key: &'static str, names: &[&str]| -> Option<String> {
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
    };
    let kind = enum_field(&mut f, "kind", Kind::NAMES).and_then(|s| Kind::parse(&s));
    let perspective = enum_field(&mut f, "perspective", Perspective::NAMES).and_then(|s| Perspective::parse(&s));
    let commitment = enum_field(&mut f, "commitment", Commitment::NAMES).and_then(|s| Commitment::parse(&s));
    let direction = enum_field(&mut f, "direction", Direction::NAMES).and_then(|s| Direction::parse(&s));

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
    // SPEC §2: dates outside a plausible range; a year around the goal's dates.
    let window = |date: NaiveDate| -> bool {
        plausible(date)
            && start.and_then(|s| s.checked_sub_days(chrono::Days::new(366))).is_none_or(|s| date >= s)
            && due.and_then(|d| d.checked_add_days(chrono::Days::new(366))).is_none_or(|d| date <= d)
    };

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
            && !window(d)
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
            && !window(d)
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

    let source = f.table("source", "[source]").map(|t| {
        let line = t.line;
        let (source, d) = crate::source::parse(t);
        diags.extend(d);
        source.ok_or(line)
    });

    let kind = kind.unwrap_or(if target.is_some() { Kind::KeyResult } else { Kind::Objective });
    // SPEC §3: a kpi is ongoing; its dates are ignored, and said so.
    let (period, start, due) = if kind == Kind::Kpi {
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
        (period, start, due)
    };
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

/// Builds the repository model from goal files, reporting every problem.
pub fn build(config: Config, files: &[SourceFile]) -> (Repo, Vec<Diagnostic>) {
    let read: Vec<(Option<Goal>, Vec<Diagnostic>)> = files.par_iter().map(|f| read_goal(f, &config)).collect();
    assemble(config, read)
}

/// The repository from goal files already read by [`read_goal`] (in file
/// order), so `serve` can re-read only the files that changed.
pub fn assemble(config: Config, read: Vec<(Option<Goal>, Vec<Diagnostic>)>) -> (Repo, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut goals: Vec<Goal> = Vec::new();
    for (g, d) in read {
        diags.extend(d);
        goals.extend(g);
    }
    // Sorted by id, then file, so the first file of a duplicate id wins.
    goals.sort_by(|a, b| (&a.id, &a.file).cmp(&(&b.id, &b.file)));
    let mut kept: Vec<Goal> = Vec::with_capacity(goals.len());
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    for g in goals {
        if let Some(prev) = kept.last().filter(|p| p.id == g.id) {
            let args = [("id", g.id.clone()), ("file", prev.file.clone())];
            diags.push(Diagnostic::msg(Code::DuplicateId, &g.file, g.id_line(), "duplicate-id", &args));
            continue;
        }
        if let Some(&other) = by_slug.get(&g.slug) {
            let msg = format!(
                "id `{}` gives the same page `{}` as `{}` (in `{}`); ids must differ in more than case or accents",
                g.id,
                g.url(),
                kept[other].id,
                kept[other].file
            );
            diags.push(Diagnostic::new(Code::DuplicateId, &g.file, g.id_line(), msg));
            continue;
        }
        by_slug.insert(g.slug.clone(), kept.len());
        kept.push(g);
    }
    let goals = kept;
    let by_id: HashMap<String, usize> = goals.iter().enumerate().map(|(i, g)| (g.id.clone(), i)).collect();

    let mut parent: Vec<Option<usize>> = vec![None; goals.len()];
    let mut supports: Vec<Vec<usize>> = vec![Vec::new(); goals.len()];
    for (i, g) in goals.iter().enumerate() {
        if let Some(p) = &g.parent {
            match by_id.get(p) {
                Some(&pi) if pi == i => diags.push(Diagnostic::msg(
                    Code::Cycle,
                    &g.file,
                    g.line("parent"),
                    "own-parent",
                    &[("id", g.id.clone())],
                )),
                Some(&pi) => parent[i] = Some(pi),
                None => diags.push(missing(&g.file, g.line("parent"), p, "parent", &by_id)),
            }
        }
        for s in &g.supports {
            match by_id.get(s) {
                Some(&si) if si != i => {
                    if !supports[i].contains(&si) {
                        supports[i].push(si)
                    }
                }
                Some(_) => diags.push(Diagnostic::new(
                    Code::BadValue,
                    &g.file,
                    g.line("supports"),
                    format!("`{}` lists itself in `supports`; name the goal it helps", g.id),
                )),
                None => diags.push(missing(&g.file, g.line("supports"), s, "supports", &by_id)),
            }
        }
        supports[i].sort_by(|&a, &b| goals[a].id.cmp(&goals[b].id));
    }

    // Cycle detection over the parent function: colour walk, linear time.
    let mut state = vec![0u8; goals.len()]; // 0 new, 1 on current path, 2 done
    for startn in 0..goals.len() {
        let mut path = Vec::new();
        let mut cur = Some(startn);
        while let Some(c) = cur {
            if state[c] == 2 {
                break;
            }
            if state[c] == 1 {
                let pos = path.iter().position(|&p| p == c).unwrap_or(0);
                let cycle: Vec<usize> = path[pos..].to_vec();
                // One diagnostic per cycle, at the goal whose `parent` is cut,
                // naming each member once (a loop of 10,000 goals is one line,
                // not 10,000 lines of 10,000 ids). The chain starts there.
                let cut = *cycle.iter().min_by(|&&a, &&b| goals[a].id.cmp(&goals[b].id)).unwrap_or(&c);
                let at = cycle.iter().position(|&k| k == cut).unwrap_or(0);
                let names: Vec<&str> = cycle[at..].iter().chain(&cycle[..at]).map(|&k| goals[k].id.as_str()).collect();
                let chain = format!("{} → {}", names.join(" → "), names[0]);
                let g = &goals[cut];
                diags.push(Diagnostic::msg(Code::Cycle, &g.file, g.line("parent"), "parent-loop", &[("chain", chain)]));
                // Cut the loop so the model stays a forest.
                parent[cut] = None;
                break;
            }
            state[c] = 1;
            path.push(c);
            cur = parent[c];
        }
        for p in path {
            state[p] = 2;
        }
    }

    let mut children: Vec<Vec<usize>> = vec![Vec::new(); goals.len()];
    for (i, p) in parent.iter().enumerate() {
        if let Some(p) = p {
            children[*p].push(i);
        }
    }
    // Goals are sorted by id, so children pushed in index order are sorted too.
    let repo = Repo { config, goals, parent, children, supports, by_id };
    (repo, diags)
}

fn missing(file: &str, line: u32, name: &str, key: &str, by_id: &HashMap<String, usize>) -> Diagnostic {
    // Sorted, so that of two equally near ids the hint is always the same.
    let mut ids: Vec<&str> = by_id.keys().map(String::as_str).collect();
    ids.sort_unstable();
    let mut args = vec![("key", key.to_string()), ("name", name.to_string())];
    let msg = match crate::diagnostic::suggest(name, &ids) {
        Some(s) => {
            args.push(("hint", s.to_string()));
            "missing-goal-hint"
        }
        None => "missing-goal",
    };
    Diagnostic::msg(Code::MissingParent, file, line, msg, &args)
}
