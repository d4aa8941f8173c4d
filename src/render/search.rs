//! The static search index of SPEC §5 and the data of the all-goals table,
//! written as JavaScript files that pages load with `<script src>`: a page
//! opened from disk (`file://`) may not `fetch` them (Chromium blocks it),
//! but it may run them.
//!
//! Text is *folded* as slugs are ([`fold`]): transliterated to ASCII
//! (`Mục tiêu` → `muc tieu`, `đ` → `d`), lower-cased, cut into words of
//! letters and digits. `themes/default/search.js` folds the query the same
//! way. The index is split so a query loads little of it at 10,000 goals:
//!
//! - `search/index.js` says how the index is split: the length of a shard
//!   key (1 below [`TWO_LETTER_KEYS`] goals, else 2), goals per chunk;
//! - `search/t-<xy>.js` holds the words that begin with `xy` (a word shorter
//!   than the key is in the shard of its own), each with its goals: goal
//!   numbers (positions in id order) as deltas, each times 8 plus the best
//!   field the word was in ([`Field`]);
//! - `search/d-<n>.js` holds what a result shows (link, title, status,
//!   progress, owner, team, period) of goals `100·n … 100·n + 99`.
//!
//! It is not for ranking by phrase or typo tolerance: words match whole or
//! by prefix.

use super::views::ctx::{Ctx, GoalRow, Groups};
use crate::compute::Status;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// Goals per `search/d-<n>.js` chunk.
pub const DOCS_PER_CHUNK: usize = 100;

/// From this many goals on, shards are keyed by two letters, not one: a
/// small site then has a few dozen index files (fewer to rewrite in `serve`),
/// a large one a few hundred small ones (less to load per query).
pub const TWO_LETTER_KEYS: usize = 2_000;

/// Words longer than this (hashes, URLs run together) are not indexed.
const MAX_WORD: usize = 40;

/// Where in a goal a word was found; a larger value ranks higher
/// (`search.js` maps each to a weight).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Field {
    Body = 0,
    Note = 1,
    Metric = 2,
    Team = 3,
    Owner = 4,
    Id = 5,
    Title = 6,
}

/// Folds `s` for search: ASCII transliteration, lower case, words of
/// letters and digits separated by one space.
pub fn fold(s: &str) -> String {
    words(s).collect::<Vec<_>>().join(" ")
}

/// The folded words of `s`.
pub fn words(s: &str) -> impl Iterator<Item = String> + use<> {
    let ascii = deunicode::deunicode(s);
    let mut out = Vec::new();
    let mut word = String::new();
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out.into_iter()
}

/// The shard a word is stored in: its first `key` characters.
pub fn shard(word: &str, key: usize) -> &str {
    &word[..word.len().min(key)]
}

/// The text of goal `i` by field, as the index reads it.
fn fields(ctx: &Ctx, i: usize) -> Vec<(Field, String)> {
    let g = &ctx.repo.goals[i];
    let c = &ctx.repo.config;
    let mut f = vec![(Field::Title, g.title.clone()), (Field::Id, g.id.clone())];
    if let Some(o) = &g.owner {
        f.push((Field::Owner, format!("{o} {}", c.person_name(o))));
    }
    if let Some(t) = &g.team {
        f.push((Field::Team, format!("{t} {}", c.team_name(t))));
    }
    if let Some(m) = &g.metric {
        f.push((Field::Metric, m.clone()));
    }
    for note in
        g.checkins.iter().filter_map(|c| c.note.as_ref()).chain(g.milestones.iter().filter_map(|m| m.note.as_ref()))
    {
        f.push((Field::Note, note.clone()));
    }
    f.push((Field::Body, g.body.to_string()));
    f
}

/// A JSON string literal.
fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// Goal `i`'s text by field, folded to lower-case ASCII (words not cut yet).
fn folded_fields(ctx: &Ctx, i: usize) -> Vec<(Field, String)> {
    fields(ctx, i)
        .into_iter()
        .map(|(f, text)| {
            let mut ascii = deunicode::deunicode(&text);
            ascii.make_ascii_lowercase();
            (f, ascii)
        })
        .collect()
}

/// FNV-1a: a fast hash for short words (the map's order is never used).
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type WordMap = HashMap<String, Vec<u32>, std::hash::BuildHasherDefault<Fnv>>;

/// Adds goal `i`'s words to `map` (word → goal × 8 + best field). Goals
/// come in increasing order within one map, so a word already seen in this
/// goal is the list's last entry.
fn add_goal(map: &mut WordMap, i: usize, folded: &[(Field, String)]) {
    for (field, text) in folded {
        let code = (i as u32) * 8 + *field as u32;
        for w in text.split(|c: char| !c.is_ascii_alphanumeric()) {
            if w.is_empty() || w.len() > MAX_WORD {
                continue;
            }
            match map.get_mut(w) {
                Some(list) => match list.last_mut() {
                    Some(last) if *last / 8 == i as u32 => *last = (*last).max(code),
                    _ => list.push(code),
                },
                None => {
                    map.insert(w.to_string(), vec![code]);
                }
            }
        }
    }
}

/// Every file of the search index, as (path under the site root, bytes).
pub fn index_files(ctx: &Ctx, rows: &[GoalRow]) -> Vec<(String, Vec<u8>)> {
    let mut files = term_files(ctx);
    files.extend(doc_files(rows));
    files
}

/// `search/index.js` and the `search/t-<key>.js` shards.
pub fn term_files(ctx: &Ctx) -> Vec<(String, Vec<u8>)> {
    // word → goal × 8 + best field. Folding each goal's words is most of the
    // work: in parallel, each thread into a map of its own, merged after.
    let postings: WordMap = (0..ctx.repo.goals.len())
        .into_par_iter()
        .fold(WordMap::default, |mut map, i| {
            add_goal(&mut map, i, &folded_fields(ctx, i));
            map
        })
        .reduce(WordMap::default, |mut a, b| {
            for (w, mut list) in b {
                a.entry(w).or_default().append(&mut list);
            }
            a
        });
    let mut postings: Vec<(String, Vec<u32>)> = postings.into_iter().collect();
    postings.par_iter_mut().for_each(|(_, list)| list.sort_unstable());
    postings.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let key = if ctx.repo.goals.len() < TWO_LETTER_KEYS { 1 } else { 2 };
    let mut shards: BTreeMap<&str, String> = BTreeMap::new();
    for (w, list) in &postings {
        let s = shards.entry(shard(w, key)).or_default();
        s.push_str(if s.is_empty() { "{" } else { ",\n" });
        let _ = write!(s, "{}:[", json(w));
        let mut last = 0;
        for (k, &code) in list.iter().enumerate() {
            if k > 0 {
                s.push(',');
            }
            let goal = code / 8;
            let _ = write!(s, "{}", (goal - last) * 8 + code % 8);
            last = goal;
        }
        s.push(']');
    }
    let meta =
        format!("gbSearch.meta({{\"key\":{key},\"chunk\":{DOCS_PER_CHUNK},\"goals\":{}}});\n", ctx.repo.goals.len());
    let mut files = vec![("search/index.js".to_string(), meta.into_bytes())];
    files.extend(shards.into_iter().map(|(key, body)| {
        (format!("search/t-{key}.js"), format!("gbSearch.terms({},{body}}});\n", json(key)).into_bytes())
    }));
    files
}

/// The `search/d-<n>.js` chunks: what a result shows of each goal.
pub fn doc_files(rows: &[GoalRow]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for (n, chunk) in rows.chunks(DOCS_PER_CHUNK).enumerate() {
        let mut s = format!("gbSearch.docs({n},[");
        for (k, r) in chunk.iter().enumerate() {
            if k > 0 {
                s.push_str(",\n");
            }
            let meta: Vec<&str> =
                [&r.owner, &r.team, &r.period].into_iter().flatten().map(|l| l.label.as_str()).collect();
            let _ = write!(
                s,
                "[{},{},{},{},{},{},{}]",
                json(&r.url),
                json(&r.title),
                json(r.status.key),
                json(&r.status.label),
                json(r.status.icon),
                json(r.bar.as_ref().map_or("", |b| b.text.as_str())),
                json(&meta.join(" · ")),
            );
        }
        s.push_str("]);\n");
        files.push((format!("search/d-{n}.js"), s.into_bytes()));
    }
    files
}

/// `goals/data.js` (`window.gbGoalsData = {…}`): what the all-goals table filters and sorts with
/// JavaScript (`themes/default/goals.js`), for every goal in id order.
pub fn goals_data(ctx: &Ctx, rows: &[GoalRow], groups: &Groups) -> Vec<u8> {
    let l = ctx.locale;
    let list = |items: Vec<(String, String)>| {
        let parts: Vec<String> = items.iter().map(|(k, v)| format!("[{},{}]", json(k), json(v))).collect();
        format!("[{}]", parts.join(","))
    };
    // Index of each goal's team, owner and periods in the lists below.
    let n = ctx.repo.goals.len();
    let mut team = vec![-1i64; n];
    let mut owner = vec![-1i64; n];
    let mut periods: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, g) in groups.teams.iter().enumerate() {
        g.goals.iter().for_each(|&i| team[i] = k as i64);
    }
    for (k, g) in groups.people.iter().enumerate() {
        g.goals.iter().for_each(|&i| owner[i] = k as i64);
    }
    for (k, g) in groups.periods.iter().enumerate() {
        g.goals.iter().for_each(|&i| periods[i].push(k));
    }
    let label = |gs: &[super::views::ctx::Group], k: usize, pick: fn(&GoalRow) -> Option<&super::views::ctx::Link>| {
        gs[k].goals.first().and_then(|&i| pick(&rows[i])).map_or_else(|| gs[k].name.clone(), |l| l.label.clone())
    };
    let teams =
        (0..groups.teams.len()).map(|k| (groups.teams[k].slug.clone(), label(&groups.teams, k, |r| r.team.as_ref())));
    let people = (0..groups.people.len())
        .map(|k| (groups.people[k].slug.clone(), label(&groups.people, k, |r| r.owner.as_ref())));
    let period_list = groups.periods.iter().map(|g| {
        let name = g.period.map_or_else(|| g.name.clone(), |p| l.period(p));
        (g.slug.clone(), name)
    });
    let statuses: Vec<String> = Status::ALL
        .iter()
        .map(|&s| {
            let v = super::views::ctx::StatusView::new(s, l);
            format!("[{},{},{}]", json(v.key), json(&v.label), json(v.icon))
        })
        .collect();
    let kinds: Vec<(String, String)> =
        crate::model::Kind::ALL.iter().map(|&k| (k.as_str().to_string(), l.kind(k).to_string())).collect();
    let perspectives: Vec<(String, String)> =
        crate::model::Perspective::ALL.iter().map(|&p| (p.as_str().to_string(), ctx.perspective_label(p))).collect();
    let mut s = String::with_capacity(200 * n + 4096);
    s.push_str("window.gbGoalsData = {\n\"teams\":");
    s.push_str(&list(teams.collect()));
    s.push_str(",\n\"people\":");
    s.push_str(&list(people.collect()));
    s.push_str(",\n\"periods\":");
    s.push_str(&list(period_list.collect()));
    s.push_str(",\n\"statuses\":");
    s.push('[');
    s.push_str(&statuses.join(","));
    s.push(']');
    s.push_str(",\n\"kinds\":");
    s.push_str(&list(kinds));
    s.push_str(",\n\"perspectives\":");
    s.push_str(&list(perspectives));
    s.push_str(",\n\"goals\":[");
    for (i, r) in rows.iter().enumerate() {
        let g = &ctx.repo.goals[i];
        let nums = &ctx.numbers[i];
        s.push_str(if i == 0 { "\n" } else { ",\n" });
        let status = Status::ALL.iter().position(|&x| x == nums.status).unwrap_or(0);
        let kind = crate::model::Kind::ALL.iter().position(|&x| x == g.kind).unwrap_or(0);
        let persp = nums
            .perspective
            .and_then(|p| crate::model::Perspective::ALL.iter().position(|&x| x == p))
            .map_or(-1, |k| k as i64);
        let own_period = r.period.as_ref().map_or(String::new(), |p| p.label.clone());
        let own_key = g.period.map_or(String::new(), |p| p.to_string());
        let progress = nums.progress.map_or("null".to_string(), |p| format!("{p}"));
        let member: Vec<String> = periods[i].iter().map(usize::to_string).collect();
        let flags = goal_flags(ctx, i);
        let _ = write!(
            s,
            "[{},{},{},{kind},{},{},{},{},[{}],{status},{progress},{},{persp},{flags}]",
            json(&r.id),
            json(&r.title),
            json(&r.url),
            team[i],
            owner[i],
            json(&own_key),
            json(&own_period),
            member.join(","),
            json(r.bar.as_ref().map_or("", |b| b.text.as_str())),
        );
    }
    s.push_str("\n]};\n");
    s.into_bytes()
}

/// The dashboard's lists a goal is in, as bits: 1 stale, 2 due soon, 4 a
/// top-level objective (the rules of [`Ctx::dashboard`]), so that each list's
/// "n more" can link to all its goals (`?flag=stale`).
fn goal_flags(ctx: &Ctx, i: usize) -> u8 {
    let n = &ctx.numbers[i];
    let mut flags = 0;
    if crate::lint::stale_days(ctx.repo, i, n, ctx.as_of).is_some() {
        flags |= 1;
    }
    let active = matches!(n.status, Status::OnTrack | Status::AtRisk | Status::OffTrack);
    if active && n.days_left.is_some_and(|d| (0..=super::views::ctx::DUE_SOON_DAYS).contains(&d)) {
        flags |= 2;
    }
    if ctx.repo.parent[i].is_none() && ctx.repo.goals[i].kind == crate::model::Kind::Objective {
        flags |= 4;
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese_like_slugs() {
        assert_eq!(fold("Mục tiêu"), "muc tieu");
        assert_eq!(fold("Nguyễn Thị Lan"), "nguyen thi lan");
        assert_eq!(fold("Đường đến Đà Nẵng"), "duong den da nang");
        assert_eq!(fold("marketing/q4-mqls"), "marketing q4 mqls");
        assert_eq!(fold("  --  "), "");
    }

    #[test]
    fn shard_is_the_first_characters() {
        assert_eq!(shard("marketing", 2), "ma");
        assert_eq!(shard("marketing", 1), "m");
        assert_eq!(shard("q", 2), "q");
    }
}
