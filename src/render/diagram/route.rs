//! Where the strategy map's arrows run: orthogonal paths through the
//! channels of the node grid, so that no arrow crosses a node and no two
//! arrows share a stretch of line.
//!
//! The map's nodes stand in a grid of lines (top to bottom, over all bands)
//! and columns. Horizontal channel `h` runs above line `h` (channel `lines`
//! below the last), vertical channel `v` left of column `v` (channel `cols`
//! right of the last). An arrow leaves its cause from a port on the side
//! facing its effect, runs along the channel there, and, when the effect is
//! further than the next line, along a vertical channel to the channel next
//! to the effect and into a port on its side. Every channel is cut into
//! tracks: segments whose spans meet get different tracks (interval
//! colouring, greedy by start: as few tracks as possible), ports of one
//! channel and column get distinct places along the side. The caller sizes
//! each channel for its tracks ([`Routes::h_tracks`], [`Routes::v_tracks`])
//! and asks for the points once the grid has coordinates ([`Routes::points`]).
//! Everything is decided in grid terms first, so the result is deterministic
//! and linear in the links but for sorting.

/// A node's place in the grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Cell {
    pub line: usize,
    pub col: usize,
}

/// Where a horizontal segment ends: a port, or a vertical channel.
#[derive(Clone, Copy)]
enum End {
    Port(usize),
    Channel(usize),
}

/// A place on one node's top or bottom side where an arrow starts or ends.
struct Port {
    /// The channel the port opens onto, and the column of its node.
    channel: usize,
    col: usize,
    /// Its node lies above the channel (the port is on the node's bottom side).
    above: bool,
    /// Its place among the ports of the same channel and column.
    rank: usize,
    of: usize,
    /// Where the segment from the port goes, for ordering ports along the side.
    toward: f64,
}

/// One arrow: start port, its track in the start's channel, and when it
/// changes channel the vertical channel with its track and the track in
/// the end's channel; then the end port.
struct Plan {
    start: usize,
    end: usize,
    first: usize,
    via: Option<(usize, usize, usize)>,
}

/// The routes of all arrows of a map, in grid terms.
pub(super) struct Routes {
    ports: Vec<Port>,
    plans: Vec<Plan>,
    h_tracks: Vec<usize>,
    v_tracks: Vec<usize>,
}

/// Where the grid lies once its channels are sized: the top of every line,
/// the left of every column, and each channel's start and size.
pub(super) struct Grid<'a> {
    pub line_y: &'a [f64],
    pub col_x: &'a [f64],
    pub h: &'a [(f64, f64)],
    pub v: &'a [(f64, f64)],
    pub node_w: f64,
    pub node_h: f64,
}

/// Space between neighbouring tracks, in pixels.
pub(super) const TRACK: f64 = 6.0;
/// Free space between a node and the nearest track of a horizontal channel:
/// room for the arrowhead on the last stretch into a node.
pub(super) const H_MARGIN: f64 = 13.0;
/// The same beside a vertical channel.
pub(super) const V_MARGIN: f64 = 6.0;

/// The abstract x of a vertical channel: columns lie between.
fn channel_x(v: usize) -> f64 {
    2.0 * v as f64
}

/// The abstract x of a column's middle.
fn column_x(c: usize) -> f64 {
    2.0 * c as f64 + 1.0
}

/// One span of a channel waiting for a track: (channel, from, to, which plan, which of its spans).
type Span = (usize, f64, f64, usize, u8);

impl Routes {
    /// Routes `links` (cause, effect) over a grid of `lines` × `cols` cells.
    /// A link from a cell to itself is left out.
    pub(super) fn new(links: &[(Cell, Cell)], lines: usize, cols: usize) -> Routes {
        let mut ports: Vec<Port> = Vec::new();
        let mut plans = Vec::new();
        // Vertical spans so far, per vertical channel, to spread the load.
        let mut v_spans: Vec<Vec<(usize, usize)>> = vec![Vec::new(); cols + 1];
        let port = |ports: &mut Vec<Port>, cell: Cell, channel: usize, toward: f64| {
            let above = cell.line < channel;
            ports.push(Port { channel, col: cell.col, above, rank: 0, of: 0, toward });
            ports.len() - 1
        };
        for &(s, t) in links {
            if s == t {
                continue;
            }
            // The channel the arrow leaves into and the one it arrives from.
            let (hs, ht) = match t.line.cmp(&s.line) {
                std::cmp::Ordering::Equal => (s.line, s.line),
                std::cmp::Ordering::Less => (s.line, t.line + 1),
                std::cmp::Ordering::Greater => (s.line + 1, t.line),
            };
            if hs == ht {
                let start = port(&mut ports, s, hs, column_x(t.col));
                let end = port(&mut ports, t, ht, column_x(s.col));
                plans.push(Plan { start, end, first: 0, via: None });
                continue;
            }
            let (lo, hi) = (hs.min(ht), hs.max(ht));
            let candidates = if s.col == t.col { s.col..=s.col + 1 } else { s.col.min(t.col) + 1..=s.col.max(t.col) };
            let middle = (s.col + t.col + 1) as f64 / 2.0;
            let load = |v: usize| v_spans[v].iter().filter(|&&(a, b)| a <= hi && lo <= b).count();
            let v = candidates
                .min_by(|&a, &b| {
                    let key = |v: usize| (load(v), (v as f64 - middle).abs());
                    let (ka, kb) = (key(a), key(b));
                    ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1)).then(a.cmp(&b))
                })
                .unwrap_or(s.col);
            v_spans[v].push((lo, hi));
            let start = port(&mut ports, s, hs, channel_x(v));
            let end = port(&mut ports, t, ht, channel_x(v));
            plans.push(Plan { start, end, first: 0, via: Some((v, 0, 0)) });
        }
        rank_ports(&mut ports, lines + 1, cols);
        let mut routes = Routes { ports, plans, h_tracks: vec![0; lines + 1], v_tracks: vec![0; cols + 1] };
        routes.assign_tracks();
        routes
    }

    /// Tracks for every span, channel by channel.
    fn assign_tracks(&mut self) {
        let x = |p: &Port| 2.0 * p.col as f64 + 0.5 + (p.rank + 1) as f64 / (p.of + 1) as f64;
        let span = |a: End, b: End| {
            let at = |e: End| match e {
                End::Port(p) => x(&self.ports[p]),
                End::Channel(v) => channel_x(v),
            };
            let (a, b) = (at(a), at(b));
            (a.min(b), a.max(b))
        };
        let mut h: Vec<Span> = Vec::new();
        let mut v: Vec<Span> = Vec::new();
        for (k, plan) in self.plans.iter().enumerate() {
            let (hs, ht) = (self.ports[plan.start].channel, self.ports[plan.end].channel);
            match plan.via {
                None => {
                    let (a, b) = span(End::Port(plan.start), End::Port(plan.end));
                    h.push((hs, a, b, k, 0));
                }
                Some((ch, _, _)) => {
                    let (a, b) = span(End::Port(plan.start), End::Channel(ch));
                    h.push((hs, a, b, k, 0));
                    let (a, b) = span(End::Channel(ch), End::Port(plan.end));
                    h.push((ht, a, b, k, 2));
                    let (a, b) = (2.0 * hs.min(ht) as f64, 2.0 * hs.max(ht) as f64);
                    v.push((ch, a, b, k, 1));
                }
            }
        }
        for (spans, counts) in [(&mut h, &mut self.h_tracks), (&mut v, &mut self.v_tracks)] {
            for (k, track) in colour(spans, counts) {
                let (plan, part) = (spans[k].3, spans[k].4);
                let plan = &mut self.plans[plan];
                match (part, plan.via.as_mut()) {
                    (0, _) => plan.first = track,
                    (1, Some(via)) => via.1 = track,
                    (_, Some(via)) => via.2 = track,
                    _ => {}
                }
            }
        }
    }

    /// How many tracks each horizontal channel holds.
    pub(super) fn h_tracks(&self) -> &[usize] {
        &self.h_tracks
    }

    /// How many tracks each vertical channel holds.
    pub(super) fn v_tracks(&self) -> &[usize] {
        &self.v_tracks
    }

    /// The routed arrows, in the order of the links given (less those left out).
    pub(super) fn len(&self) -> usize {
        self.plans.len()
    }

    /// The corners of arrow `k` from its start on the cause to its end on the effect.
    pub(super) fn points(&self, k: usize, g: &Grid) -> Vec<(f64, f64)> {
        let plan = &self.plans[k];
        let (s, t) = (&self.ports[plan.start], &self.ports[plan.end]);
        let port = |p: &Port| {
            let x = g.col_x[p.col] + g.node_w * (p.rank + 1) as f64 / (p.of + 1) as f64;
            let y = if p.above { g.line_y[p.channel - 1] + g.node_h } else { g.line_y[p.channel] };
            (x, y)
        };
        let h_track = |channel: usize, track: usize| track_at(g.h[channel], self.h_tracks[channel], track);
        let (a, b) = (port(s), port(t));
        let y1 = h_track(s.channel, plan.first);
        match plan.via {
            None => vec![a, (a.0, y1), (b.0, y1), b],
            Some((v, vt, t2)) => {
                let x = track_at(g.v[v], self.v_tracks[v], vt);
                let y2 = h_track(t.channel, t2);
                vec![a, (a.0, y1), (x, y1), (x, y2), (b.0, y2), b]
            }
        }
    }
}

/// The place of `track` of `tracks` in a channel starting at `start` of
/// `size`: the tracks centred in it, [`TRACK`] apart.
fn track_at((start, size): (f64, f64), tracks: usize, track: usize) -> f64 {
    start + (size - (tracks.max(1) - 1) as f64 * TRACK) / 2.0 + track as f64 * TRACK
}

/// The size a channel needs for `tracks` tracks with `margin` on both sides
/// (none when it holds none).
pub(super) fn channel_size(tracks: usize, margin: f64) -> f64 {
    if tracks == 0 { 0.0 } else { 2.0 * margin + (tracks - 1) as f64 * TRACK }
}

/// Ranks the ports of each channel and column along the side, ordered by
/// where their segments go (then by their node: above first), so that
/// segments leaving one side cross each other as little as possible.
fn rank_ports(ports: &mut [Port], channels: usize, cols: usize) {
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); channels * cols.max(1)];
    for (k, p) in ports.iter().enumerate() {
        groups[p.channel * cols + p.col].push(k);
    }
    for group in &mut groups {
        group.sort_by(|&a, &b| {
            let (pa, pb) = (&ports[a], &ports[b]);
            pa.toward.total_cmp(&pb.toward).then(pb.above.cmp(&pa.above)).then(a.cmp(&b))
        });
        let of = group.len();
        for (rank, &k) in group.iter().enumerate() {
            ports[k].rank = rank;
            ports[k].of = of;
        }
    }
}

/// Gives each span of `spans` (channel, from, to, …) a track of its channel
/// such that spans of one track never meet (closed spans: touching counts),
/// greedily by start; `counts[channel]` becomes the number of tracks used.
/// Returns (span index, track).
fn colour(spans: &[Span], counts: &mut [usize]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by(|&a, &b| {
        let (sa, sb) = (&spans[a], &spans[b]);
        sa.0.cmp(&sb.0).then(sa.1.total_cmp(&sb.1)).then(sa.2.total_cmp(&sb.2)).then(a.cmp(&b))
    });
    // The end of the last span on each track of the current channel.
    let mut ends: Vec<f64> = Vec::new();
    let mut channel = usize::MAX;
    let mut out = Vec::with_capacity(spans.len());
    for k in order {
        let (ch, from, to, ..) = spans[k];
        if ch != channel {
            channel = ch;
            ends.clear();
        }
        let track = match ends.iter().position(|&end| end < from - 1e-9) {
            Some(t) => t,
            None => {
                ends.push(f64::MIN);
                ends.len() - 1
            }
        };
        ends[track] = to;
        counts[ch] = counts[ch].max(ends.len());
        out.push((k, track));
    }
    out
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
        crate::render::svg::push_nums(out, &[p.0, p.1]);
    }
    out.push_str("Z\"/>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_that_meet_get_different_tracks() {
        let spans: Vec<Span> = vec![(0, 0.0, 2.0, 0, 0), (0, 2.0, 4.0, 1, 0), (0, 3.0, 5.0, 2, 0), (1, 0.0, 9.0, 3, 0)];
        let mut counts = vec![0; 2];
        let mut tracks = colour(&spans, &mut counts);
        tracks.sort();
        // 0–2 and 2–4 touch; 0–2 and 3–5 do not, so they share track 0.
        assert_eq!(tracks, [(0, 0), (1, 1), (2, 0), (3, 0)]);
        assert_eq!(counts, [2, 1]);
    }

    #[test]
    fn an_arrow_to_a_far_line_takes_a_vertical_channel_between_its_ends() {
        let cell = |line, col| Cell { line, col };
        let r = Routes::new(&[(cell(3, 0), cell(0, 2)), (cell(1, 1), cell(1, 1))], 4, 3);
        assert_eq!(r.len(), 1, "a link from a cell to itself is left out");
        let via = r.plans[0].via.unwrap();
        assert!((1..=2).contains(&via.0), "{via:?}");
        assert_eq!(r.h_tracks()[3], 1);
        assert_eq!(r.h_tracks()[1], 1);
        assert_eq!(r.v_tracks()[via.0], 1);
    }
}
