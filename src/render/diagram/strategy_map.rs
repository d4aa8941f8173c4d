//! The strategy map of the balanced scorecard.

use super::node::{more_node, open_node_link, status_line, status_words_without_icon};
use super::open_svg;
use super::route::{arrow_head, route};
use super::words::{BOLD, fit, wrap};
use crate::compute::Numbers;
use crate::i18n::Locale;
use crate::model::{Kind, Perspective, Repo};
use crate::render::svg::{attr, escape_into, push_num, push_nums, text};

pub(super) const MAP_NODE_W: f64 = 168.0;
pub(super) const MAP_NODE_H: f64 = 62.0;
pub(super) const MAP_GAP: f64 = 14.0;
const MAP_LABEL_W: f64 = 170.0;
const MAP_PER_LINE: usize = 6;
const MAP_PER_ROW: usize = 12;
const MAP_BAND_PAD: f64 = 16.0;
/// Where a map node's text starts (as the cascade's nodes).
const MAP_NODE_PAD: f64 = 12.0;
/// The frame of a map node (as the cascade's card).
const MAP_CARD: &str = "<defs><g id=\"gb-map-card\">\
<rect x=\"-12\" width=\"168\" height=\"62\" rx=\"6\" fill=\"currentColor\" fill-opacity=\"0.06\" stroke=\"currentColor\" stroke-opacity=\"0.3\"/>\
<rect x=\"-12\" width=\"5\" height=\"62\" rx=\"2\"/></g></defs>\n";

/// The strategy map of the balanced scorecard: one band per perspective,
/// learning and growth at the bottom up to finance at the top; goals that
/// name a perspective themselves, objectives, and the goals at either end of
/// a `supports` link (by their effective perspective) as linked nodes, and
/// `supports` links as arrows from cause to effect. Each
/// band shows at most 12 goals, the linked ones first, then "+N more".
pub fn strategy_map(repo: &Repo, numbers: &[Numbers], locale: &Locale, root_prefix: &str) -> String {
    let n = repo.goals.len().min(numbers.len());
    let linked: Vec<bool> = {
        let mut l = vec![false; n];
        for (i, targets) in repo.supports.iter().enumerate().take(n) {
            for &t in targets {
                if t < n {
                    l[i] = true;
                    l[t] = true;
                }
            }
        }
        l
    };
    let mut bands: Vec<(Perspective, Vec<usize>, usize)> = Vec::new();
    for &p in Perspective::ALL {
        let mut members: Vec<usize> = (0..n)
            .filter(|&i| {
                let g = &repo.goals[i];
                let shown = g.perspective.is_some() || g.kind == Kind::Objective || linked[i];
                shown && numbers[i].perspective.or(g.perspective) == Some(p)
            })
            .collect();
        // Linked goals first, then objectives, then by id (goals are sorted by id).
        members.sort_by_key(|&i| (!linked[i], repo.goals[i].kind != Kind::Objective, i));
        let hidden = members.len().saturating_sub(MAP_PER_ROW);
        members.truncate(MAP_PER_ROW);
        members.sort_by_key(|&i| (repo.goals[i].kind != Kind::Objective, i));
        bands.push((p, members, hidden));
    }

    let cells = |band: &(Perspective, Vec<usize>, usize)| band.1.len() + usize::from(band.2 > 0);
    let per_line = bands.iter().map(cells).max().unwrap_or(0).clamp(1, MAP_PER_LINE);
    let width = MAP_LABEL_W + per_line as f64 * (MAP_NODE_W + MAP_GAP) + MAP_GAP;
    let band_h = |b: &(Perspective, Vec<usize>, usize)| {
        let lines = cells(b).div_ceil(per_line).max(1);
        2.0 * MAP_BAND_PAD + lines as f64 * (MAP_NODE_H + MAP_GAP) - MAP_GAP
    };
    let legend_h = 30.0;
    let mut y = 0.0;
    let mut band_y = Vec::new();
    for b in &bands {
        band_y.push(y);
        y += band_h(b) + 6.0;
    }
    let height = y + legend_h;

    let mut position = std::collections::HashMap::new();
    for (b, band) in bands.iter().enumerate() {
        for (k, &i) in band.1.iter().enumerate() {
            let (line, col) = (k / per_line, k % per_line);
            let x = MAP_LABEL_W + MAP_GAP + col as f64 * (MAP_NODE_W + MAP_GAP);
            let ny = band_y[b] + MAP_BAND_PAD + line as f64 * (MAP_NODE_H + MAP_GAP);
            position.insert(i, (x, ny));
        }
    }

    let mut out = String::new();
    open_svg(&mut out, "strategy-map", width, height, locale.t("scorecard.strategy-map-aria"));
    if bands.iter().any(|b| !b.1.is_empty()) {
        out.push_str(MAP_CARD);
    }
    for (b, band) in bands.iter().enumerate() {
        let (p, members, hidden) = band;
        let (by, bh) = (band_y[b], band_h(band));
        out.push_str("<g class=\"band ");
        out.push_str(p.as_str());
        out.push_str("\">\n<rect class=\"");
        out.push_str(if b % 2 == 0 { "tint" } else { "tint light" });
        out.push('"');
        attr(&mut out, "y", by);
        attr(&mut out, "width", width);
        attr(&mut out, "height", bh);
        out.push_str(" rx=\"8\"/>\n");
        let name = repo
            .config
            .perspective_labels
            .get(p.as_str())
            .map(String::as_str)
            .unwrap_or_else(|| locale.perspective(*p));
        for (k, line) in wrap(name, (MAP_LABEL_W - 24.0) / BOLD, 14.0, 3).iter().enumerate() {
            text(&mut out, "band-name", Some(14.0), by + MAP_BAND_PAD + 16.0 + 18.0 * k as f64, line);
        }
        if members.is_empty() && *hidden == 0 {
            text(&mut out, "note", Some(MAP_LABEL_W + MAP_GAP), by + bh / 2.0 + 4.0, locale.t("scorecard.empty"));
        }
        out.push_str("</g>\n");
    }

    // Arrows under the nodes, from the supporting goal to the goal it supports,
    // routed through the gaps so that no line crosses a node's text.
    out.push_str("<g class=\"links\">\n");
    let occupied: Vec<(f64, f64)> = position.values().copied().collect();
    let mut link_no = 0;
    for i in 0..n {
        let Some(&from) = position.get(&i) else { continue };
        for &t in &repo.supports[i] {
            let Some(&to) = position.get(&t) else { continue };
            let route = route(from, to, link_no, &occupied);
            link_no += 1;
            let title =
                locale.tf("scorecard.supports", &[("from", &repo.goals[i].title), ("to", &repo.goals[t].title)]);
            out.push_str("<g><title>");
            escape_into(&mut out, &title);
            out.push_str("</title><path d=\"");
            for (k, p) in route.iter().enumerate() {
                out.push(if k == 0 { 'M' } else { 'L' });
                push_nums(&mut out, &[p.0, p.1]);
            }
            out.push_str("\"/>");
            if let [.., a, b] = route.as_slice() {
                arrow_head(&mut out, *a, *b);
            }
            out.push_str("</g>\n");
        }
    }
    out.push_str("</g>\n");

    for (b, band) in bands.iter().enumerate() {
        for &i in &band.1 {
            let (x, ny) = position[&i];
            map_node(&mut out, repo, numbers, i, (x, ny), locale, root_prefix);
        }
        if band.2 > 0 {
            let k = band.1.len();
            let x = MAP_LABEL_W + MAP_GAP + (k % per_line) as f64 * (MAP_NODE_W + MAP_GAP);
            let ny = band_y[b] + MAP_BAND_PAD + (k / per_line) as f64 * (MAP_NODE_H + MAP_GAP);
            let text = locale.tf("scorecard.more", &[("n", &band.2.to_string())]);
            more_node(&mut out, (x, ny, MAP_NODE_W, MAP_NODE_H), &text, None, root_prefix);
        }
    }

    // Legend: what an arrow means.
    let ly = height - legend_h / 2.0;
    out.push_str("<g class=\"legend\"><path class=\"link\" d=\"M14 ");
    push_num(&mut out, ly);
    out.push_str("H44\"/>");
    arrow_head(&mut out, (14.0, ly), (44.0, ly));
    out.push_str("<text x=\"54\"");
    attr(&mut out, "y", ly + 4.0);
    out.push('>');
    escape_into(&mut out, locale.t("scorecard.legend-link"));
    out.push_str("</text></g>\n</svg>\n");
    out
}

fn map_node(
    out: &mut String,
    repo: &Repo,
    numbers: &[Numbers],
    i: usize,
    (x, y): (f64, f64),
    locale: &Locale,
    root_prefix: &str,
) {
    let g = &repo.goals[i];
    let n = &numbers[i];
    let inner = MAP_NODE_W - 20.0;
    open_node_link(out, repo, numbers, i, locale, root_prefix, (x + MAP_NODE_PAD, y));
    out.push_str("<use href=\"#gb-map-card\"/>\n");
    let objective = g.kind == Kind::Objective;
    let (class, title_width) = if objective { ("name bold", inner / BOLD) } else { ("name", inner) };
    for (k, line) in wrap(&g.title, title_width, 11.5, 2).iter().enumerate() {
        text(out, class, None, 17.0 + 14.0 * k as f64, line);
    }
    status_line(out, "state", 52.0, n, &fit(&status_words_without_icon(n, locale), inner - 16.0, 11.0));
    out.push_str("</a>\n");
}
