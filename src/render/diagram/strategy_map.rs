//! The strategy map of the balanced scorecard.

use super::node::{more_node, open_node_link, open_svg, status_line, status_words_without_icon};
use super::route::{Cell, Grid, H_MARGIN, Routes, V_MARGIN, arrow_head, channel_size};
use super::words::{BOLD, fit, wrap};
use crate::compute::Numbers;
use crate::i18n::Locale;
use crate::model::{Kind, Perspective, Repo};
use crate::render::svg::{attr, escape_into, push_num, push_nums, push_uint, text};

const MAP_NODE_W: f64 = 168.0;
const MAP_NODE_H: f64 = 62.0;
const MAP_GAP: f64 = 14.0;
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

/// One perspective's band: the goals it draws and how many it leaves out.
struct Band {
    perspective: Perspective,
    members: Vec<usize>,
    hidden: usize,
}

impl Band {
    /// Cells the band fills: its goals and a "+N more" node.
    fn cells(&self) -> usize {
        self.members.len() + usize::from(self.hidden > 0)
    }
}

/// The bands from finance at the top to learning and growth at the bottom:
/// goals that name a perspective themselves, objectives, and the goals at
/// either end of a `supports` link, by their effective perspective; at most
/// [`MAP_PER_ROW`] each, the linked ones first.
fn bands(repo: &Repo, numbers: &[Numbers], n: usize) -> Vec<Band> {
    let mut linked = vec![false; n];
    for (i, targets) in repo.supports.iter().enumerate().take(n) {
        for &t in targets {
            if t < n {
                linked[i] = true;
                linked[t] = true;
            }
        }
    }
    let mut bands = Vec::new();
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
        bands.push(Band { perspective: p, members, hidden });
    }
    bands
}

/// Where everything of the map stands: the grid of lines and columns with
/// its channels sized for the routed arrows, and each band's extent.
struct Layout {
    per_line: usize,
    /// The first grid line of each band.
    first_line: Vec<usize>,
    line_y: Vec<f64>,
    col_x: Vec<f64>,
    /// (top, height) of each horizontal channel, (left, width) of each vertical one.
    h: Vec<(f64, f64)>,
    v: Vec<(f64, f64)>,
    /// (top, height) of each band.
    band_y: Vec<(f64, f64)>,
    width: f64,
    height: f64,
}

/// Space between two bands.
const BAND_GAP: f64 = 6.0;
const LEGEND_H: f64 = 30.0;

impl Layout {
    fn cell(&self, band: usize, k: usize) -> Cell {
        Cell { line: self.first_line[band] + k / self.per_line, col: k % self.per_line }
    }

    fn at(&self, c: Cell) -> (f64, f64) {
        (self.col_x[c.col], self.line_y[c.line])
    }

    /// The grid of `bands`, `per_line` cells a line.
    fn grid(bands: &[Band], per_line: usize) -> Layout {
        let mut first_line = Vec::with_capacity(bands.len());
        let mut lines = 0;
        for b in bands {
            first_line.push(lines);
            lines += b.cells().div_ceil(per_line).max(1);
        }
        Layout {
            per_line,
            first_line,
            line_y: vec![0.0; lines],
            col_x: vec![0.0; per_line],
            h: vec![(0.0, 0.0); lines + 1],
            v: vec![(0.0, 0.0); per_line + 1],
            band_y: Vec::new(),
            width: 0.0,
            height: 0.0,
        }
    }

    /// Coordinates for the grid with channels of `h_tracks` and `v_tracks` tracks.
    fn place(&mut self, h_tracks: &[usize], v_tracks: &[usize]) {
        let lines = self.line_y.len();
        let mut y = 0.0;
        for (ch, &tracks) in h_tracks.iter().enumerate() {
            let base = if ch == 0 || ch == lines {
                MAP_BAND_PAD
            } else if self.first_line.contains(&ch) {
                2.0 * MAP_BAND_PAD + BAND_GAP
            } else {
                MAP_GAP
            };
            let size = base.max(channel_size(tracks, H_MARGIN));
            self.h[ch] = (y, size);
            y += size;
            if ch < lines {
                self.line_y[ch] = y;
                y += MAP_NODE_H;
            }
        }
        let mut x = MAP_LABEL_W;
        for (v, &tracks) in v_tracks.iter().enumerate() {
            let size = MAP_GAP.max(channel_size(tracks, V_MARGIN));
            self.v[v] = (x, size);
            x += size;
            if v < self.per_line {
                self.col_x[v] = x;
                x += MAP_NODE_W;
            }
        }
        self.width = x;
        // A band reaches halfway into the channels above and below it, less the gap between bands.
        self.band_y = (0..self.first_line.len())
            .map(|b| {
                let first = self.first_line[b];
                let last = self.first_line.get(b + 1).map_or(lines, |&l| l);
                let (top, size) = self.h[first];
                let top = if b == 0 { top } else { top + (size + BAND_GAP) / 2.0 };
                let (bottom, size) = self.h[last];
                let bottom = if last == lines { bottom + size } else { bottom + (size - BAND_GAP) / 2.0 };
                (top, bottom - top)
            })
            .collect();
        self.height = self.band_y.last().map_or(0.0, |&(t, s)| t + s) + BAND_GAP + LEGEND_H;
    }
}

/// The strategy map of the balanced scorecard: one band per perspective
/// ([`bands`]), `supports` links as arrows from cause to effect, routed
/// through the channels between the nodes ([`Routes`]): no arrow crosses a
/// node and no two share a stretch of line. A band's "+N more" node links to
/// the all-goals table filtered by its perspective.
pub fn strategy_map(repo: &Repo, numbers: &[Numbers], locale: &Locale, root_prefix: &str) -> String {
    let n = repo.goals.len().min(numbers.len());
    let bands = bands(repo, numbers, n);
    let per_line = bands.iter().map(Band::cells).max().unwrap_or(0).clamp(1, MAP_PER_LINE);
    let mut layout = Layout::grid(&bands, per_line);
    let mut cell = vec![None; n];
    for (b, band) in bands.iter().enumerate() {
        for (k, &i) in band.members.iter().enumerate() {
            cell[i] = Some(layout.cell(b, k));
        }
    }
    // (cause, effect) of every link with both ends drawn.
    let mut ends = Vec::new();
    let mut cells = Vec::new();
    for i in 0..n {
        let Some(from) = cell[i] else { continue };
        for &t in &repo.supports[i] {
            if let Some(to) = cell.get(t).copied().flatten()
                && t != i
            {
                ends.push((i, t));
                cells.push((from, to));
            }
        }
    }
    let routes = Routes::new(&cells, layout.line_y.len(), per_line);
    layout.place(routes.h_tracks(), routes.v_tracks());

    let mut out = String::new();
    open_svg(&mut out, "strategy-map", layout.width, layout.height, locale.t("scorecard.strategy-map-aria"));
    if bands.iter().any(|b| !b.members.is_empty()) {
        out.push_str(MAP_CARD);
    }
    for (b, band) in bands.iter().enumerate() {
        draw_band(&mut out, repo, locale, band, b, &layout);
    }
    draw_links(&mut out, repo, locale, &ends, &routes, &layout);
    for (b, band) in bands.iter().enumerate() {
        for &i in &band.members {
            let at = cell[i].map_or((0.0, 0.0), |c| layout.at(c));
            map_node(&mut out, repo, numbers, i, at, locale, root_prefix);
        }
        if band.hidden > 0 {
            let (x, y) = layout.at(layout.cell(b, band.members.len()));
            let text = locale.tf("scorecard.more", &[("n", &band.hidden.to_string())]);
            let link = format!("goals/index.html?perspective={}", band.perspective.as_str());
            more_node(&mut out, (x, y, MAP_NODE_W, MAP_NODE_H), &text, Some(&link), root_prefix);
        }
    }
    draw_legend(&mut out, locale, layout.height);
    out.push_str("</svg>\n");
    out
}

/// A band's tinted background, its name and, when it has no goal, a note.
fn draw_band(out: &mut String, repo: &Repo, locale: &Locale, band: &Band, b: usize, layout: &Layout) {
    let (by, bh) = layout.band_y[b];
    let p = band.perspective;
    out.push_str("<g class=\"band ");
    out.push_str(p.as_str());
    out.push_str("\">\n<rect class=\"");
    out.push_str(if b.is_multiple_of(2) { "tint" } else { "tint light" });
    out.push('"');
    attr(out, "y", by);
    attr(out, "width", layout.width);
    attr(out, "height", bh);
    out.push_str(" rx=\"8\"/>\n");
    let name =
        repo.config.perspective_labels.get(p.as_str()).map(String::as_str).unwrap_or_else(|| locale.perspective(p));
    for (k, line) in wrap(name, (MAP_LABEL_W - 24.0) / BOLD, 14.0, 3).iter().enumerate() {
        text(out, "band-name", Some(14.0), by + MAP_BAND_PAD + 16.0 + 18.0 * k as f64, line);
    }
    if band.cells() == 0 {
        text(out, "note", Some(layout.col_x[0]), by + bh / 2.0 + 4.0, locale.t("scorecard.empty"));
    }
    out.push_str("</g>\n");
}

/// The arrows, under the nodes: each a path of horizontal and vertical
/// stretches with its words as a tooltip and a head on its effect.
fn draw_links(out: &mut String, repo: &Repo, locale: &Locale, ends: &[(usize, usize)], routes: &Routes, l: &Layout) {
    out.push_str("<g class=\"links\">\n");
    let grid = Grid { line_y: &l.line_y, col_x: &l.col_x, h: &l.h, v: &l.v, node_w: MAP_NODE_W, node_h: MAP_NODE_H };
    for (k, &(i, t)) in ends.iter().enumerate().take(routes.len()) {
        let points = routes.points(k, &grid);
        let title = locale.tf("scorecard.supports", &[("from", &repo.goals[i].title), ("to", &repo.goals[t].title)]);
        // One of six hues in turn (`goalbook.css`), to tell neighbours apart.
        out.push_str("<g class=\"c");
        push_uint(out, (k % 6) as u64);
        out.push_str("\"><title>");
        escape_into(out, &title);
        out.push_str("</title><path d=\"");
        for (k, p) in points.iter().enumerate() {
            if k == 0 {
                out.push('M');
                push_nums(out, &[p.0, p.1]);
            } else if p.0 == points[k - 1].0 {
                out.push('V');
                push_num(out, p.1);
            } else {
                out.push('H');
                push_num(out, p.0);
            }
        }
        out.push_str("\"/>");
        if let [.., a, b] = points.as_slice() {
            arrow_head(out, *a, *b);
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
}

/// What an arrow means, below the bands.
fn draw_legend(out: &mut String, locale: &Locale, height: f64) {
    let ly = height - LEGEND_H / 2.0;
    out.push_str("<g class=\"legend\"><path class=\"link\" d=\"M14 ");
    push_num(out, ly);
    out.push_str("H44\"/>");
    arrow_head(out, (14.0, ly), (44.0, ly));
    out.push_str("<text x=\"54\"");
    attr(out, "y", ly + 4.0);
    out.push('>');
    escape_into(out, locale.t("scorecard.legend-link"));
    out.push_str("</text></g>\n");
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
