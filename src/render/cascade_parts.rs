//! The cascade in parts (SPEC §5: no goal left out, every goal two clicks
//! from `cascade/index.html`, no diagram over 200 nodes): one page per
//! top-level goal with its whole tree (`cascade/goals/<id>/index.html`), and
//! the kpis, which stand alone, 200 a page (`cascade/kpis/<n>/index.html`).
//! `cascade/index.html` keeps its overview and links every part.
//!
//! A tree of more goals than a diagram holds is drawn to [`PART_NODES`], the rest
//! summarised as "+N more" nodes and counted on its page.

use super::views::Ctx;
use crate::model::Kind;
use serde::Serialize;

/// Nodes in one diagram at most.
pub const PART_NODES: usize = 200;

/// Goals drawn in one diagram: where the budget runs out the diagram adds
/// one "+N more" node (`diagram::cascade`).
const DRAWN: usize = PART_NODES - 1;

/// Deep enough for any tree a diagram of [`PART_NODES`] can show.
const PART_DEPTH: usize = 64;

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
        let mut parts: Vec<Part> = self
            .cascade_roots()
            .into_iter()
            .map(|r| {
                let mut goals = vec![r];
                let mut k = 0;
                while k < goals.len() {
                    goals.extend(repo.children[goals[k]].iter().copied());
                    k += 1;
                }
                goals.sort_unstable();
                Part {
                    url: format!("cascade/goals/{}/index.html", repo.goals[r].slug),
                    heading: l.tf("cascade.part", &[("title", &repo.goals[r].title)]),
                    roots: vec![r],
                    goals,
                    depth: PART_DEPTH,
                }
            })
            .collect();
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
