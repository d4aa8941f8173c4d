//! Where the strategy map's arrows run.

use super::strategy_map::{MAP_GAP, MAP_NODE_H, MAP_NODE_W};
use crate::render::svg::push_nums;

/// An orthogonal path from the node at `from` to the node at `to` (top-left
/// corners) that runs only through the gaps between nodes: out of the side
/// facing the target, along the free corridor next to the source's line, up
/// or down a gap between columns, along the corridor next to the target's
/// line, and into the target. `lane` shifts parallel links apart.
pub(super) fn route(from: (f64, f64), to: (f64, f64), lane: usize, occupied: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let shift = (lane % 5) as f64 * 2.5 - 5.0;
    let half = MAP_GAP / 2.0;
    let (sx, tx) = (from.0 + MAP_NODE_W / 2.0 + shift, to.0 + MAP_NODE_W / 2.0 + shift);
    if (from.1 - to.1).abs() < 1.0 {
        // Same line: a bracket over the top.
        let cy = from.1 - half + shift / 2.0;
        return vec![(sx, from.1), (sx, cy), (tx, cy), (tx, to.1)];
    }
    let up = to.1 < from.1;
    let (s_edge, t_edge) = if up { (from.1, to.1 + MAP_NODE_H) } else { (from.1 + MAP_NODE_H, to.1) };
    let (lo, hi) = if up { (t_edge, s_edge) } else { (s_edge, t_edge) };
    let lines_between = occupied.iter().any(|&(_, y)| y > lo + 1.0 && y < hi - 1.0);
    if !lines_between {
        // Adjacent lines: one corridor between them.
        let cy = (s_edge + t_edge) / 2.0 + shift / 2.0;
        return vec![(sx, s_edge), (sx, cy), (tx, cy), (tx, t_edge)];
    }
    let dir = if up { -1.0 } else { 1.0 };
    let cy1 = s_edge + dir * (half + shift / 2.0);
    let cy2 = t_edge - dir * (half + shift / 2.0);
    let gx = if to.0 >= from.0 { to.0 - half } else { to.0 + MAP_NODE_W + half } + shift / 2.0;
    vec![(sx, s_edge), (sx, cy1), (gx, cy1), (gx, cy2), (tx, cy2), (tx, t_edge)]
}

/// Appends a filled arrowhead at `to`, pointing along `from → to`.
pub(super) fn arrow_head(out: &mut String, from: (f64, f64), to: (f64, f64)) {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    let (ux, uy) = (dx / len, dy / len);
    let (l, w) = (9.0, 4.5);
    let base = (to.0 - ux * l, to.1 - uy * l);
    let a = (base.0 - uy * w, base.1 + ux * w);
    let b = (base.0 + uy * w, base.1 - ux * w);
    out.push_str("<path class=\"arrow\" d=\"");
    for (k, p) in [to, a, b].into_iter().enumerate() {
        out.push(if k == 0 { 'M' } else { 'L' });
        push_nums(out, &[p.0, p.1]);
    }
    out.push_str("Z\"/>");
}
