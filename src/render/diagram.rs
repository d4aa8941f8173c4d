//! Hand-written SVG diagrams: the goal cascade and the strategy map.
//!
//! Both are plain strings built in linear time over the goals they show, so
//! a page stays cheap even in a repository of 100,000 goals: the caller caps
//! what is drawn and the rest is summarised as "+N more" nodes. Every node is
//! a link to its goal page and carries its status as an icon and a word, not
//! as colour alone. Colours are fixed hues that read on light and dark pages;
//! text and lines use `currentColor`, so the page's theme decides them.
//! Charts of one goal over time live in [`crate::render::chart`].

use crate::compute::{Numbers, Status};
use crate::i18n::Locale;
use crate::model::{Kind, Perspective, Repo};
use std::collections::VecDeque;
use std::fmt::Write as _;

/// The font family of every diagram; the widths below are measured for it.
const FAMILY: &str = "DejaVu Sans, Verdana, sans-serif";

/// The icon shown beside a status everywhere, so status is never colour alone.
pub fn status_icon(s: Status) -> &'static str {
    match s {
        Status::OnTrack => "✓",
        Status::AtRisk => "!",
        Status::OffTrack => "✕",
        Status::Achieved => "★",
        Status::Missed => "✕",
        Status::Upcoming => "○",
        Status::Undated => "–",
    }
}

/// The CSS class of a status (`on-track`), shared with the site's theme.
pub fn status_class(s: Status) -> &'static str {
    s.as_str()
}

/// The colour of a status where CSS cannot reach (charts), matching the theme.
pub fn status_color(s: Status) -> &'static str {
    match s {
        Status::OnTrack => "#16a34a",
        Status::AtRisk => "#d97706",
        Status::OffTrack => "#dc2626",
        Status::Achieved => "#2563eb",
        Status::Missed | Status::Upcoming | Status::Undated => "#6b7280",
    }
}

/// Escapes text for SVG/HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    super::theme::escape_html(s)
}

/// Approximate advance of a character in DejaVu Sans, in ems. Wide glyphs
/// count more so that truncation errs on the short side.
fn char_em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'ı' | 'í' | 'ì' | 'ỉ' | 'ĩ' | 'ị' => 0.3,
        ' ' | 'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' => 0.4,
        'm' | 'w' | 'M' | 'W' | '%' | '@' | '—' => 0.95,
        c if c.is_uppercase() => 0.72,
        c if c.is_ascii_digit() => 0.64,
        _ => 0.62,
    }
}

fn text_width(s: &str, size: f64) -> f64 {
    s.chars().map(char_em).sum::<f64>() * size
}

/// Bold DejaVu Sans runs about 10% wider than regular.
const BOLD: f64 = 1.1;

/// Cuts `s` to fit `width` pixels at `size`, ending with `…` when cut.
fn fit(s: &str, width: f64, size: f64) -> String {
    if text_width(s, size) <= width {
        return s.to_string();
    }
    let budget = width - text_width("…", size);
    let mut used = 0.0;
    let mut out = String::new();
    for c in s.chars() {
        used += char_em(c) * size;
        if used > budget {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

/// Word-wraps `s` into at most `lines` lines of `width` pixels; the last
/// line is cut with `…` when the text does not fit.
fn wrap(s: &str, width: f64, size: f64, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    let words: Vec<&str> = s.split_whitespace().collect();
    for (k, w) in words.iter().enumerate() {
        let candidate = if line.is_empty() { w.to_string() } else { format!("{line} {w}") };
        if text_width(&candidate, size) <= width || line.is_empty() && out.len() + 1 < lines {
            line = candidate;
            if text_width(&line, size) > width {
                out.push(fit(&line, width, size));
                line.clear();
            }
            continue;
        }
        if out.len() + 1 == lines {
            out.push(fit(&format!("{line} {}", words[k..].join(" ")), width, size));
            return out;
        }
        out.push(std::mem::replace(&mut line, w.to_string()));
    }
    if !line.is_empty() {
        if out.len() < lines {
            out.push(fit(&line, width, size));
        } else if let Some(last) = out.last_mut() {
            *last = fit(&format!("{last} {line}"), width, size);
        }
    }
    out
}

fn open_svg(out: &mut String, class: &str, w: f64, h: f64, label: &str) {
    let label = escape(label);
    let _ = write!(
        out,
        "<svg class=\"diagram {class}\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\" \
         xmlns=\"http://www.w3.org/2000/svg\" role=\"group\" aria-label=\"{label}\" \
         font-family=\"{FAMILY}\" style=\"max-width:100%;height:auto\">\n<title>{label}</title>\n"
    );
}

/// A node's status line: icon and word, plus the progress when known.
fn status_words(n: &Numbers, locale: &Locale) -> String {
    let mut s = format!("{} {}", status_icon(n.status), locale.status(n.status));
    if let Some(p) = n.progress {
        s.push_str(" · ");
        s.push_str(&locale.percent(p));
    }
    s
}

/// The tooltip of a goal node: full title, kind, owner, status and progress.
fn tooltip(repo: &Repo, numbers: &[Numbers], i: usize, locale: &Locale) -> String {
    let g = &repo.goals[i];
    let n = &numbers[i];
    let mut t = format!("{} ({})", g.title, locale.kind(g.kind));
    if let Some(o) = &g.owner {
        let _ = write!(t, "\n{}: {o}", locale.t("goal.owner"));
    }
    let _ = write!(t, "\n{}: {}", locale.t("status.label"), status_words(n, locale));
    t
}

// --- Cascade --------------------------------------------------------------

const NODE_W: f64 = 214.0;
const NODE_H: f64 = 88.0;
const COL_GAP: f64 = 40.0;
const ROW_GAP: f64 = 12.0;
const MARGIN: f64 = 8.0;

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

    let label = locale.t("cascade.aria").to_string();
    let mut out = String::new();
    if nodes.is_empty() {
        open_svg(&mut out, "cascade", 320.0, 40.0, &label);
        let _ = writeln!(
            out,
            "<text x=\"8\" y=\"24\" font-size=\"13\" fill=\"currentColor\">{}</text>\n</svg>",
            escape(locale.t("cascade.empty"))
        );
        return out;
    }

    // Rows: leaves take the next row in depth-first order; a parent sits
    // centred on its children. Iterative post-order, so deep trees cannot
    // overflow the stack.
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
    let depth = nodes.iter().map(|n| n.depth).max().unwrap_or(0) + 1;
    let width = 2.0 * MARGIN + depth as f64 * (NODE_W + COL_GAP) - COL_GAP;
    let height = 2.0 * MARGIN + next * (NODE_H + ROW_GAP) - ROW_GAP;
    let pos = |v: usize| (MARGIN + nodes[v].depth as f64 * (NODE_W + COL_GAP), MARGIN + row[v] * (NODE_H + ROW_GAP));

    open_svg(&mut out, "cascade", width, height, &label);
    out.push_str("<g fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"0.35\" stroke-width=\"1.5\">\n");
    for (v, node) in nodes.iter().enumerate() {
        let (x, y) = pos(v);
        for &c in &node.children {
            let (cx, cy) = pos(c);
            let (x1, y1, x2, y2) = (x + NODE_W, y + NODE_H / 2.0, cx, cy + NODE_H / 2.0);
            let mid = (x1 + x2) / 2.0;
            let _ = writeln!(out, "<path d=\"M{x1:.1} {y1:.1}C{mid:.1} {y1:.1} {mid:.1} {y2:.1} {x2:.1} {y2:.1}\"/>");
        }
    }
    out.push_str("</g>\n");
    for (v, node) in nodes.iter().enumerate() {
        let (x, y) = pos(v);
        match node.item {
            Item::Goal(i) => goal_node(&mut out, repo, numbers, i, (x, y), node.below, locale, root_prefix),
            Item::More { count, parent } => {
                let text = locale.tf("cascade.more", &[("n", &count.to_string())]);
                more_node(&mut out, (x, y, NODE_W, NODE_H), &text, parent.map(|p| &repo.goals[p]), root_prefix)
            }
        }
    }
    out.push_str("</svg>\n");
    out
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
    let colour = status_color(n.status);
    let inner = NODE_W - 24.0;
    open_node_link(out, repo, numbers, i, locale, root_prefix);
    let _ = writeln!(
        out,
        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{NODE_W}\" height=\"{NODE_H}\" rx=\"6\" fill=\"currentColor\" fill-opacity=\"0.04\" stroke=\"currentColor\" stroke-opacity=\"0.3\"/>"
    );
    let _ =
        writeln!(out, "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"5\" height=\"{NODE_H}\" rx=\"2\" fill=\"{colour}\"/>");
    let tx = x + 14.0;
    for (k, line) in wrap(&g.title, inner / BOLD, 12.5, 2).iter().enumerate() {
        let _ = writeln!(
            out,
            "<text x=\"{tx:.1}\" y=\"{:.1}\" font-size=\"12.5\" font-weight=\"bold\" fill=\"currentColor\">{}</text>",
            y + 19.0 + 15.0 * k as f64,
            escape(line)
        );
    }
    let owner = g.owner.as_deref().unwrap_or(locale.t("goal.no-owner"));
    let _ = writeln!(
        out,
        "<text x=\"{tx:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"currentColor\" fill-opacity=\"0.75\">{}</text>",
        y + 52.0,
        escape(&fit(owner, inner - 40.0, 11.0))
    );
    if below > 0 {
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"currentColor\" fill-opacity=\"0.75\">+{below} →</text>",
            x + NODE_W - 10.0,
            y + 52.0
        );
    }
    let bar_y = y + 59.0;
    match (n.progress, n.current, g.target) {
        (Some(p), _, _) => {
            let _ = writeln!(
                out,
                "<rect x=\"{tx:.1}\" y=\"{bar_y:.1}\" width=\"{inner:.1}\" height=\"5\" rx=\"2.5\" fill=\"currentColor\" fill-opacity=\"0.12\"/>"
            );
            let w = inner * p.clamp(0.0, 1.0);
            if w > 0.0 {
                let _ = writeln!(
                    out,
                    "<rect x=\"{tx:.1}\" y=\"{bar_y:.1}\" width=\"{w:.1}\" height=\"5\" rx=\"2.5\" fill=\"{colour}\"/>"
                );
            }
        }
        // A kpi has no progress: its value against the target says more.
        (None, Some(current), Some(target)) => {
            let unit = g.unit.as_deref();
            let text = locale.tf(
                "goal.value-of-target",
                &[("current", &locale.short(current, unit)), ("target", &locale.short(target, unit))],
            );
            let _ = writeln!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"currentColor\" fill-opacity=\"0.75\">{}</text>",
                x + NODE_W - 10.0,
                y + 79.0,
                escape(&fit(&text, inner / 2.0, 11.0))
            );
        }
        _ => {}
    }
    let _ = writeln!(
        out,
        "<text x=\"{tx:.1}\" y=\"{:.1}\" font-size=\"11.5\" fill=\"currentColor\"><tspan fill=\"{colour}\" font-weight=\"bold\">{}</tspan> {}</text>",
        y + 79.0,
        status_icon(n.status),
        escape(&fit(&status_words_without_icon(n, locale), inner - 16.0, 11.5))
    );
    out.push_str("</a>\n");
}

fn status_words_without_icon(n: &Numbers, locale: &Locale) -> String {
    let mut s = locale.status(n.status).to_string();
    if let Some(p) = n.progress {
        s.push_str(" · ");
        s.push_str(&locale.percent(p));
    }
    s
}

fn more_node(
    out: &mut String,
    (x, y, w, h): (f64, f64, f64, f64),
    text: &str,
    parent: Option<&crate::model::Goal>,
    prefix: &str,
) {
    if let Some(p) = parent {
        let _ = writeln!(out, "<a href=\"{}{}\" class=\"node more\">", escape(prefix), escape(&p.url()));
    } else {
        out.push_str("<g class=\"node more\">\n");
    }
    let _ = writeln!(
        out,
        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w}\" height=\"{h}\" rx=\"6\" fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"0.45\" stroke-dasharray=\"5 4\"/>"
    );
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12.5\" text-anchor=\"middle\" fill=\"currentColor\">{}</text>",
        x + w / 2.0,
        y + h / 2.0 + 4.0,
        escape(text)
    );
    out.push_str(if parent.is_some() { "</a>\n" } else { "</g>\n" });
}

// --- Strategy map -----------------------------------------------------------

const MAP_NODE_W: f64 = 168.0;
const MAP_NODE_H: f64 = 62.0;
const MAP_GAP: f64 = 14.0;
const MAP_LABEL_W: f64 = 170.0;
const MAP_PER_LINE: usize = 6;
const MAP_PER_ROW: usize = 12;
const MAP_BAND_PAD: f64 = 16.0;

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
    for (b, band) in bands.iter().enumerate() {
        let (p, members, hidden) = band;
        let (by, bh) = (band_y[b], band_h(band));
        let _ = writeln!(
            out,
            "<g class=\"band {}\">\n<rect x=\"0\" y=\"{by:.1}\" width=\"{width:.1}\" height=\"{bh:.1}\" rx=\"8\" fill=\"currentColor\" fill-opacity=\"{}\"/>",
            p.as_str(),
            if b % 2 == 0 { "0.05" } else { "0.025" }
        );
        let name = repo
            .config
            .perspective_labels
            .get(p.as_str())
            .map(String::as_str)
            .unwrap_or_else(|| locale.perspective(*p));
        for (k, line) in wrap(name, (MAP_LABEL_W - 24.0) / BOLD, 14.0, 3).iter().enumerate() {
            let _ = writeln!(
                out,
                "<text x=\"14\" y=\"{:.1}\" font-size=\"14\" font-weight=\"bold\" fill=\"currentColor\">{}</text>",
                by + MAP_BAND_PAD + 16.0 + 18.0 * k as f64,
                escape(line)
            );
        }
        if members.is_empty() && *hidden == 0 {
            let _ = writeln!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"currentColor\" fill-opacity=\"0.7\">{}</text>",
                MAP_LABEL_W + MAP_GAP,
                by + bh / 2.0 + 4.0,
                escape(locale.t("scorecard.empty"))
            );
        }
        out.push_str("</g>\n");
    }

    // Arrows under the nodes, from the supporting goal to the goal it supports,
    // routed through the gaps so that no line crosses a node's text.
    out.push_str(
        "<g class=\"links\" fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"0.55\" stroke-width=\"1.5\">\n",
    );
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
            let mut d = String::new();
            for (k, p) in route.iter().enumerate() {
                let _ = write!(d, "{}{:.1} {:.1}", if k == 0 { "M" } else { "L" }, p.0, p.1);
            }
            let head = match route.as_slice() {
                [.., a, b] => arrow_head(*a, *b),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "<g><title>{}</title><path d=\"{d}\" stroke-linejoin=\"round\"/>{head}</g>",
                escape(&title)
            );
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
    let _ = writeln!(
        out,
        "<g class=\"legend\"><path d=\"M14 {ly:.1}H44\" stroke=\"currentColor\" stroke-opacity=\"0.55\" stroke-width=\"1.5\" fill=\"none\"/>{}<text x=\"54\" y=\"{:.1}\" font-size=\"12\" fill=\"currentColor\">{}</text></g>",
        arrow_head((14.0, ly), (44.0, ly)),
        ly + 4.0,
        escape(locale.t("scorecard.legend-link"))
    );
    out.push_str("</svg>\n");
    out
}

/// An orthogonal path from the node at `from` to the node at `to` (top-left
/// corners) that runs only through the gaps between nodes: out of the side
/// facing the target, along the free corridor next to the source's line, up
/// or down a gap between columns, along the corridor next to the target's
/// line, and into the target. `lane` shifts parallel links apart.
fn route(from: (f64, f64), to: (f64, f64), lane: usize, occupied: &[(f64, f64)]) -> Vec<(f64, f64)> {
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

/// A filled arrowhead at `to`, pointing along `from → to`.
fn arrow_head(from: (f64, f64), to: (f64, f64)) -> String {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    let (ux, uy) = (dx / len, dy / len);
    let (l, w) = (9.0, 4.5);
    let base = (to.0 - ux * l, to.1 - uy * l);
    let a = (base.0 - uy * w, base.1 + ux * w);
    let b = (base.0 + uy * w, base.1 - ux * w);
    format!(
        "<path d=\"M{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z\" fill=\"currentColor\" fill-opacity=\"0.7\" stroke=\"none\"/>",
        to.0, to.1, a.0, a.1, b.0, b.1
    )
}

/// Opens a node's link to its goal page, with the full title as tooltip.
fn open_node_link(out: &mut String, repo: &Repo, numbers: &[Numbers], i: usize, locale: &Locale, root_prefix: &str) {
    let _ = write!(
        out,
        "<a href=\"{}{}\" class=\"node {}\">\n<title>{}</title>\n",
        escape(root_prefix),
        escape(&repo.goals[i].url()),
        status_class(numbers[i].status),
        escape(&tooltip(repo, numbers, i, locale))
    );
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
    let colour = status_color(n.status);
    let inner = MAP_NODE_W - 20.0;
    open_node_link(out, repo, numbers, i, locale, root_prefix);
    // An opaque card (the page colour is unknown, so a solid neutral under a tint).
    let _ = writeln!(
        out,
        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{MAP_NODE_W}\" height=\"{MAP_NODE_H}\" rx=\"6\" fill=\"currentColor\" fill-opacity=\"0.06\" stroke=\"currentColor\" stroke-opacity=\"0.3\"/>"
    );
    let _ = writeln!(
        out,
        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"5\" height=\"{MAP_NODE_H}\" rx=\"2\" fill=\"{colour}\"/>"
    );
    let tx = x + 12.0;
    let weight = if g.kind == Kind::Objective { " font-weight=\"bold\"" } else { "" };
    let title_width = if g.kind == Kind::Objective { inner / BOLD } else { inner };
    for (k, line) in wrap(&g.title, title_width, 11.5, 2).iter().enumerate() {
        let _ = writeln!(
            out,
            "<text x=\"{tx:.1}\" y=\"{:.1}\" font-size=\"11.5\"{weight} fill=\"currentColor\">{}</text>",
            y + 17.0 + 14.0 * k as f64,
            escape(line)
        );
    }
    let _ = writeln!(
        out,
        "<text x=\"{tx:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"currentColor\"><tspan fill=\"{colour}\" font-weight=\"bold\">{}</tspan> {}</text>",
        y + 52.0,
        status_icon(n.status),
        escape(&fit(&status_words_without_icon(n, locale), inner - 16.0, 11.0))
    );
    out.push_str("</a>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_and_fitting() {
        assert_eq!(wrap("Generate 400 leads", 400.0, 12.0, 2), vec!["Generate 400 leads"]);
        let lines = wrap("Generate 400 marketing-qualified leads in Q4 from three campaigns", 150.0, 12.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert_eq!(fit("abc", 100.0, 12.0), "abc");
        assert!(fit(&"x".repeat(100), 100.0, 12.0).ends_with('…'));
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
