//! The goal cascade: a tree of goals drawn left to right.

use super::node::{more_node, open_node_link, open_svg, status_line, status_words_without_icon};
use super::words::{BOLD, fit, fit_words, text_width, wrap};
use crate::compute::Numbers;
use crate::i18n::Locale;
use crate::model::Repo;
use crate::render::svg::{attr, push_num, push_nums, text};
use std::collections::VecDeque;

const NODE_W: f64 = 214.0;
const NODE_H: f64 = 103.0;
const COL_GAP: f64 = 40.0;
const ROW_GAP: f64 = 12.0;
const MARGIN: f64 = 8.0;
/// Where a node's text starts, right of its status stripe; a node's link is
/// translated here so that its texts need no `x`.
const NODE_PAD: f64 = 14.0;

/// The frame every goal node shares, drawn once and `<use>`d: the card and
/// its status stripe, with or without the empty progress track. Its style is
/// written here, not in `goalbook.css`: page rules do not reach into a
/// `<use>`d copy, but inherited properties do, so the stripe, which has no
/// fill of its own, takes the fill of its `<use>`: the node's status hue
/// (`svg.diagram use` in `goalbook.css`). Ids are fixed: a page holds one
/// cascade.
const CASCADE_CARD: &str = "<g id=\"gb-cascade-card\">\
<rect x=\"-14\" width=\"214\" height=\"103\" rx=\"6\" fill=\"currentColor\" fill-opacity=\"0.04\" stroke=\"currentColor\" stroke-opacity=\"0.3\"/>\
<rect x=\"-14\" width=\"5\" height=\"103\" rx=\"2\"/></g>";
const CASCADE_BAR: &str = "<g id=\"gb-cascade-bar\"><use href=\"#gb-cascade-card\"/>\
<rect y=\"74\" width=\"190\" height=\"5\" rx=\"2.5\" fill=\"currentColor\" fill-opacity=\"0.12\"/></g>";

enum Item {
    Goal(usize),
    /// `count` goals not drawn, under goal `parent` (none for the roots).
    More {
        count: usize,
        parent: Option<usize>,
    },
}

struct Node {
    item: Item,
    depth: usize,
    children: Vec<usize>,
    /// Children not drawn because the depth limit was reached.
    below: usize,
}

/// The cascade of `roots` and their descendants, left to right: a goal's
/// contributing goals stand to its right. `max_depth` counts the levels drawn
/// (1 = the roots only; 0 is taken as 1); at most `max_nodes` goals are
/// drawn, breadth first; the rest of a partly drawn set of siblings becomes
/// one "+N more" node linking to their parent, and a goal whose children are
/// not drawn at all (depth or node limit) shows a "+N →" badge. Links are `root_prefix` + the
/// goal's URL. Runs in time linear in the nodes drawn.
pub fn cascade(
    repo: &Repo,
    numbers: &[Numbers],
    roots: &[usize],
    max_depth: usize,
    max_nodes: usize,
    locale: &Locale,
    root_prefix: &str,
) -> String {
    let (nodes, top) = select(repo, numbers, roots, max_depth, max_nodes);
    let label = locale.t("cascade.aria");
    let mut out = String::new();
    if nodes.is_empty() {
        open_svg(&mut out, "cascade", 320.0, 40.0, label);
        text(&mut out, "empty-note", Some(8.0), 24.0, locale.t("cascade.empty"));
        out.push_str("</svg>\n");
        return out;
    }
    let (row, next) = rows(&nodes, &top);
    let depth = nodes.iter().map(|n| n.depth).max().unwrap_or(0) + 1;
    let width = 2.0 * MARGIN + depth as f64 * (NODE_W + COL_GAP) - COL_GAP;
    let height = 2.0 * MARGIN + next * (NODE_H + ROW_GAP) - ROW_GAP;
    let pos = |v: usize| (MARGIN + nodes[v].depth as f64 * (NODE_W + COL_GAP), MARGIN + row[v] * (NODE_H + ROW_GAP));

    // Roughly what a node takes, so the string grows once or twice, not a dozen times.
    out.reserve(nodes.len() * (600 + root_prefix.len()));
    open_svg(&mut out, "cascade", width, height, label);
    frames(&mut out, &nodes, numbers);
    edges(&mut out, &nodes, &pos);
    for (v, node) in nodes.iter().enumerate() {
        let (x, y) = pos(v);
        match node.item {
            Item::Goal(i) => goal_node(&mut out, repo, numbers, i, (x, y), node.below, locale, root_prefix),
            Item::More { count, parent } => {
                let text = locale.tf("cascade.more", &[("n", &count.to_string())]);
                let link = parent.map(|p| repo.goals[p].url());
                more_node(&mut out, (x, y, NODE_W, NODE_H), &text, link.as_deref(), root_prefix)
            }
        }
    }
    out.push_str("</svg>\n");
    out
}

/// The nodes drawn, breadth first from `roots` within `max_depth` levels and
/// `max_nodes` goals (see [`cascade`]), and which of them are the top ones.
fn select(
    repo: &Repo,
    numbers: &[Numbers],
    roots: &[usize],
    max_depth: usize,
    max_nodes: usize,
) -> (Vec<Node>, Vec<usize>) {
    let levels = max_depth.max(1);
    let budget = max_nodes.max(1);
    let valid = |i: usize| i < repo.goals.len() && i < numbers.len();
    let mut nodes: Vec<Node> = Vec::new();
    let mut top: Vec<usize> = Vec::new();
    let mut queue = VecDeque::new();
    let mut drawn = 0;
    let root_list: Vec<usize> = roots.iter().copied().filter(|&r| valid(r)).collect();
    for (k, &r) in root_list.iter().enumerate() {
        if drawn == budget {
            top.push(nodes.len());
            nodes.push(Node {
                item: Item::More { count: root_list.len() - k, parent: None },
                depth: 0,
                children: vec![],
                below: 0,
            });
            break;
        }
        top.push(nodes.len());
        queue.push_back(nodes.len());
        nodes.push(Node { item: Item::Goal(r), depth: 0, children: vec![], below: 0 });
        drawn += 1;
    }
    while let Some(v) = queue.pop_front() {
        let Item::Goal(i) = nodes[v].item else { continue };
        let depth = nodes[v].depth;
        let kids = &repo.children[i];
        if depth + 1 >= levels {
            nodes[v].below = kids.len();
            continue;
        }
        for (k, &c) in kids.iter().enumerate() {
            let id = nodes.len();
            if drawn == budget {
                if k == 0 {
                    // None of them fit: a badge on the parent says so, rather
                    // than a column of "+N more" nodes.
                    nodes[v].below = kids.len();
                } else {
                    let more = Item::More { count: kids.len() - k, parent: Some(i) };
                    nodes.push(Node { item: more, depth: depth + 1, children: vec![], below: 0 });
                    nodes[v].children.push(id);
                }
                break;
            }
            nodes.push(Node { item: Item::Goal(c), depth: depth + 1, children: vec![], below: 0 });
            nodes[v].children.push(id);
            queue.push_back(id);
            drawn += 1;
        }
    }

    (nodes, top)
}

/// The row of every node and the number of rows: leaves take the next row in
/// depth-first order; a parent sits centred on its children.
fn rows(nodes: &[Node], top: &[usize]) -> (Vec<f64>, f64) {
    // Iterative post-order, so deep trees cannot overflow the stack.
    let mut row = vec![0.0f64; nodes.len()];
    let mut next = 0.0;
    let mut stack: Vec<(usize, bool)> = top.iter().rev().map(|&t| (t, false)).collect();
    while let Some((v, done)) = stack.pop() {
        if nodes[v].children.is_empty() {
            row[v] = next;
            next += 1.0;
        } else if done {
            let first = row[nodes[v].children[0]];
            let last = row[*nodes[v].children.last().unwrap_or(&nodes[v].children[0])];
            row[v] = (first + last) / 2.0;
        } else {
            stack.push((v, true));
            stack.extend(nodes[v].children.iter().rev().map(|&c| (c, false)));
        }
    }
    (row, next)
}

/// The frames the nodes `<use>`: the card, and the card with the progress
/// track when some node has progress.
fn frames(out: &mut String, nodes: &[Node], numbers: &[Numbers]) {
    let (mut card, mut bar) = (false, false);
    for node in nodes {
        if let Item::Goal(i) = node.item {
            let with_bar = numbers[i].progress.is_some();
            bar |= with_bar;
            card |= !with_bar;
        }
    }
    if card || bar {
        // The bar's frame uses the card's.
        out.push_str("<defs>");
        out.push_str(CASCADE_CARD);
        if bar {
            out.push_str(CASCADE_BAR);
        }
        out.push_str("</defs>\n");
    }
}

/// All edges as one path: from the parent's right side (`M`), a curve
/// relative to there (`c`) to the child's left side.
fn edges(out: &mut String, nodes: &[Node], pos: &dyn Fn(usize) -> (f64, f64)) {
    if nodes.iter().any(|n| !n.children.is_empty()) {
        out.push_str("<path class=\"edges\" d=\"");
        for (v, node) in nodes.iter().enumerate() {
            let (x, y) = pos(v);
            for &c in &node.children {
                let (cx, cy) = pos(c);
                let (x1, y1) = (x + NODE_W, y + NODE_H / 2.0);
                let (dx, dy) = (cx - x1, cy + NODE_H / 2.0 - y1);
                out.push('M');
                push_nums(out, &[x1, y1]);
                out.push('c');
                push_nums(out, &[dx / 2.0, 0.0, dx / 2.0, dy, dx, dy]);
            }
        }
        out.push_str("\"/>\n");
    }
}

#[allow(clippy::too_many_arguments)]
fn goal_node(
    out: &mut String,
    repo: &Repo,
    numbers: &[Numbers],
    i: usize,
    (x, y): (f64, f64),
    below: usize,
    locale: &Locale,
    root_prefix: &str,
) {
    let g = &repo.goals[i];
    let n = &numbers[i];
    let inner = NODE_W - 24.0;
    open_node_link(out, repo, numbers, i, locale, root_prefix, (x + NODE_PAD, y));
    out.push_str(if n.progress.is_some() {
        "<use href=\"#gb-cascade-bar\"/>\n"
    } else {
        "<use href=\"#gb-cascade-card\"/>\n"
    });
    for (k, line) in wrap(&g.title, inner / BOLD, 12.5, 3).iter().enumerate() {
        text(out, "", None, 19.0 + 15.0 * k as f64, line);
    }
    let owner = g.owner.as_deref().map_or(locale.t("goal.no-owner"), |o| repo.config.person_name(o));
    text(out, "dim", None, 67.0, &fit(owner, inner - 40.0, 11.0));
    // Right-aligned texts end 10 pixels inside the card.
    let right = Some(NODE_W - 10.0 - NODE_PAD);
    if below > 0 {
        text(out, "dim end", right, 67.0, &format!("+{below} →"));
    }
    match (n.progress, n.current, g.target) {
        (Some(p), _, _) => {
            let w = inner * p.clamp(0.0, 1.0);
            if w >= 5.0 {
                // A line with round caps draws the same stadium as the track's rect, in fewer bytes.
                out.push_str("<path class=\"fill\" d=\"M2.5 76.5H");
                push_num(out, w - 2.5);
                out.push_str("\"/>\n");
            } else if w > 0.0 {
                out.push_str("<rect class=\"hue\" y=\"74\"");
                attr(out, "width", w);
                out.push_str(" height=\"5\" rx=\"2.5\"/>\n");
            }
        }
        // A kpi has no progress: its value against the target says more.
        (None, Some(current), Some(target)) => {
            let unit = g.unit.as_deref();
            let value = locale.tf(
                "goal.value-of-target",
                &[("current", &locale.short(current, unit)), ("target", &locale.short(target, unit))],
            );
            // The room the status words leave (a kpi's status has no percentage).
            let room = inner - 16.0 - text_width(&status_words_without_icon(n, locale), 11.5) - 10.0;
            text(out, "dim end", right, 94.0, &fit_words(&value, room.max(inner / 2.0), 11.0));
        }
        _ => {}
    }
    status_line(out, "state", 94.0, n, &fit(&status_words_without_icon(n, locale), inner - 16.0, 11.5));
    out.push_str("</a>\n");
}
