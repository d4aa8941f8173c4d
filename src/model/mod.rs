//! Raw goal files → [`Repo`]: typed goals with ids, dates and a checked tree.
//!
//! Validation that needs only the file (types, values, dates) and the whole
//! repository (duplicate ids, missing parents, cycles) happens here. The model
//! that comes out is always consistent, even when diagnostics were reported:
//! broken links are dropped, so later stages never have to re-check.

//!
//! `goal` holds the types, `read` reads one file ([`read_goal`]), and this
//! module assembles the files into a [`Repo`] ([`build`], [`assemble`]).

mod goal;
mod read;

pub use crate::terms::{Commitment, Direction, Kind, Perspective};
pub use goal::{CheckIn, Goal, Milestone, Repo};
pub use read::{check_id, count_tasks, read_goal};

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::load::SourceFile;
use rayon::prelude::*;
use std::collections::HashMap;

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
    let goals = unique(goals, &mut diags);
    let by_id: HashMap<String, usize> = goals.iter().enumerate().map(|(i, g)| (g.id.clone(), i)).collect();
    let (mut parent, supports) = links(&goals, &by_id, &mut diags);
    cut_cycles(&goals, &mut parent, &mut diags);
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

/// The goals sorted by id, each id and each page once: of a duplicate id the
/// first file (by path) is kept, the others reported.
fn unique(mut goals: Vec<Goal>, diags: &mut Vec<Diagnostic>) -> Vec<Goal> {
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
    kept
}

/// Each goal's `parent` and `supports` as indices; links to missing goals
/// and to the goal itself are reported and dropped.
#[allow(clippy::type_complexity)]
fn links(
    goals: &[Goal],
    by_id: &HashMap<String, usize>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Option<usize>>, Vec<Vec<usize>>) {
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
                None => diags.push(missing(&g.file, g.line("parent"), p, "parent", by_id)),
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
                None => diags.push(missing(&g.file, g.line("supports"), s, "supports", by_id)),
            }
        }
        supports[i].sort_by(|&a, &b| goals[a].id.cmp(&goals[b].id));
    }
    (parent, supports)
}

/// Reports each loop of `parent` links once and cuts it, so the model is a forest.
fn cut_cycles(goals: &[Goal], parent: &mut [Option<usize>], diags: &mut Vec<Diagnostic>) {
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
