//! The cascade in parts (SPEC §5: no goal left out, every goal two clicks
//! from `cascade/index.html`, no diagram over 200 nodes): one page per
//! top-level goal with its whole tree (`cascade/goals/<id>/index.html`), and
//! the kpis, which stand alone, 199 a page (`cascade/kpis/<n>/index.html`).
//! `cascade/index.html` keeps its overview and links every part.
//!
//! A tree too large for one diagram ([`PART_NODES`]) gets a page of what
//! its diagram draws (its first goals, breadth-first); each goal it could not
//! draw starts the next part, a large one split the same way, small ones
//! packed together (`cascade/parts/<id>/<n>/index.html`). So every goal is
//! drawn on some part.

use super::views::ctx::Ctx;
use crate::model::Kind;
use serde::Serialize;

/// Nodes in one diagram at most.
pub const PART_NODES: usize = 200;

/// Goals drawn in one diagram: where the budget runs out the diagram adds
/// one "+N more" node (`diagram::cascade`).
const DRAWN: usize = PART_NODES - 1;

/// Deep enough for any tree a diagram of [`PART_NODES`] can show.
const PART_DEPTH: usize = PART_NODES;

/// One part of the cascade.
pub struct Part {
    /// Site-root URL of its page.
    pub url: String,
    pub heading: String,
    /// Its diagram's top-level goals.
    pub roots: Vec<usize>,
    /// Every goal of its trees.
    pub goals: Vec<usize>,
    /// Depth of its diagram.
    pub depth: usize,
}

/// A link to a part, on `cascade/index.html`.
#[derive(Serialize)]
pub struct PartLink {
    pub url: String,
    pub label: String,
    pub count: String,
}

/// A part's page.
#[derive(Serialize)]
pub struct PartPage {
    pub heading: String,
    pub count: String,
    pub diagram: String,
    /// Goals of the trees not drawn (beyond the diagram's budget), said in words.
    pub hidden: Option<String>,
}

impl Ctx<'_> {
    /// Every part of the cascade, top-level goals in id order, then the kpis.
    pub fn cascade_parts(&self) -> Vec<Part> {
        let repo = self.repo;
        let l = self.locale;
        // Goals in each goal's tree, itself included (children before parents).
        let n = repo.goals.len();
        let mut size = vec![1usize; n];
        let mut order: Vec<usize> = self.cascade_roots();
        let mut k = 0;
        while k < order.len() {
            order.extend(repo.children[order[k]].iter().copied());
            k += 1;
        }
        for &i in order.iter().rev() {
            size[i] += repo.children[i].iter().map(|&c| size[c]).sum::<usize>();
        }
        let tree = |r: usize| {
            let mut goals = vec![r];
            let mut k = 0;
            while k < goals.len() {
                goals.extend(repo.children[goals[k]].iter().copied());
                k += 1;
            }
            goals.sort_unstable();
            goals
        };
        let mut parts = Vec::new();
        // A tree that fits is one part. A larger one is a part of what its
        // diagram draws (the first goals breadth-first, as
        // `diagram::cascade` draws them); each goal it could not draw then
        // starts a part of its own, split the same way when large, packed
        // with its neighbours up to a diagram's budget when small. Every goal
        // is so drawn on some part.
        let mut stack: Vec<usize> = self.cascade_roots().into_iter().rev().collect();
        while let Some(r) = stack.pop() {
            let g = &repo.goals[r];
            let url = format!("cascade/goals/{}/index.html", g.slug);
            let heading = l.tf("cascade.part", &[("title", &g.title)]);
            parts.push(Part { url, heading, roots: vec![r], goals: tree(r), depth: PART_DEPTH });
            if size[r] <= DRAWN {
                continue;
            }
            let mut drawn = vec![r];
            let mut k = 0;
            while k < drawn.len() && drawn.len() < DRAWN {
                let room = DRAWN - drawn.len();
                let kids = &repo.children[drawn[k]];
                drawn.extend(kids.iter().take(room).copied());
                k += 1;
            }
            let in_drawn: std::collections::HashSet<usize> = drawn.iter().copied().collect();
            let left: Vec<usize> = drawn
                .iter()
                .flat_map(|&v| repo.children[v].iter().copied())
                .filter(|c| !in_drawn.contains(c))
                .collect();
            let mut packs: Vec<Vec<usize>> = Vec::new();
            let mut filled = DRAWN;
            for &c in left.iter().filter(|&&c| size[c] <= DRAWN) {
                if filled + size[c] > DRAWN {
                    packs.push(Vec::new());
                    filled = 0;
                }
                if let Some(pack) = packs.last_mut() {
                    pack.push(c);
                }
                filled += size[c];
            }
            for (m, roots) in packs.into_iter().enumerate() {
                let mut goals: Vec<usize> = roots.iter().flat_map(|&c| tree(c)).collect();
                goals.sort_unstable();
                parts.push(Part {
                    url: format!("cascade/parts/{}/{}/index.html", g.slug, m + 1),
                    heading: l.tf("cascade.part-n", &[("title", &g.title), ("n", &(m + 1).to_string())]),
                    roots,
                    goals,
                    depth: PART_DEPTH,
                });
            }
            stack.extend(left.iter().rev().filter(|&&c| size[c] > DRAWN));
        }
        let kpis: Vec<usize> =
            (0..repo.goals.len()).filter(|&i| repo.parent[i].is_none() && repo.goals[i].kind == Kind::Kpi).collect();
        let pages = kpis.len().div_ceil(DRAWN);
        for (n, chunk) in kpis.chunks(DRAWN).enumerate() {
            let heading = if pages > 1 {
                l.tf("cascade.kpis-page", &[("page", &(n + 1).to_string()), ("pages", &pages.to_string())])
            } else {
                l.t("cascade.kpis").to_string()
            };
            parts.push(Part {
                url: format!("cascade/kpis/{}/index.html", n + 1),
                heading,
                roots: chunk.to_vec(),
                goals: chunk.to_vec(),
                depth: 1,
            });
        }
        parts
    }

    /// The links of `cascade/index.html` to its parts.
    pub fn part_links(&self, parts: &[Part]) -> Vec<PartLink> {
        let l = self.locale;
        parts
            .iter()
            .map(|p| PartLink {
                url: p.url.clone(),
                label: p.heading.clone(),
                count: l.tf("goal.count", &[("n", &l.number(p.goals.len() as f64, 0))]),
            })
            .collect()
    }

    /// The page of one part, for a page whose way to the root is `root`.
    pub fn part_page(&self, part: &Part, root: &str) -> PartPage {
        let l = self.locale;
        let diagram = super::diagram::cascade(self.repo, self.numbers, &part.roots, part.depth, DRAWN, l, root);
        let hidden = part.goals.len().saturating_sub(DRAWN);
        PartPage {
            heading: part.heading.clone(),
            count: l.tf("goal.count", &[("n", &l.number(part.goals.len() as f64, 0))]),
            diagram,
            hidden: (hidden > 0).then(|| l.tf("cascade.hidden", &[("n", &hidden.to_string())])),
        }
    }
}
