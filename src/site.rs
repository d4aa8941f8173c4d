//! What a build writes, defined once: the pages of SPEC §5 (with the search
//! index), the theme files, `goals.json` and the handouts. `goalbook build`
//! writes them into a folder ([`write()`]); `serve` renders them into memory
//! ([`render`]), then after a change renders again only the pages that can
//! differ ([`pages_showing`], [`render_pages`]) and, once the reload is told,
//! the parts that come [`later`].
//!
//! This module chooses what is written; [`crate::render`] makes each file.

use crate::Project;
use crate::i18n::Locale;
use crate::model::Repo;
use crate::render::pages::{Only, Out};
use crate::render::theme::{self, Templates};
use crate::render::views::{Ctx, GOAL_CASCADE_DEPTH, GoalRow};
use anyhow::{Context, Result};
use std::path::Path;

/// What [`render`] keeps for [`render_pages`]: the compiled templates, the
/// goal rows and their ready table rows.
pub struct Rendered {
    pub templates: Templates,
    pub rows: Vec<GoalRow>,
    /// Each goal's table row for the list pages ([`crate::render::pages::row_html`]).
    pub html: Option<Vec<String>>,
}

/// Writes every file of the site into `dir`, templates and theme files layered from `root`.
pub fn write(project: &Project, root: &Path, dir: &Path) -> Result<()> {
    render(project, root, &Out::Dir(dir)).map(drop)
}

/// Renders every file of the site into `out`.
pub fn render(project: &Project, root: &Path, out: &Out) -> Result<Rendered> {
    let config = &project.repo.config;
    let locale = Locale::new(&config.language);
    let templates = theme::templates(root, &config.theme, &locale)?;
    let ctx = Ctx { repo: &project.repo, numbers: &project.numbers, locale: &locale, as_of: project.as_of };
    let rows = ctx.rows();
    let all: Vec<usize> = (0..rows.len()).collect();
    let html = crate::render::pages::row_html(&templates, &locale, &rows, &all)?;
    // Independent parts, run side by side so both cores stay busy.
    let (rest, pages) = rayon::join(
        || {
            goals_json(project, out)?;
            crate::render::handout::render_handouts(project, root, out)
        },
        || crate::render::pages::render_pages(project, &templates, &locale, &rows, html.as_deref(), None, out),
    );
    rest.and(pages)?;
    for (name, bytes) in theme::theme_files(root, &config.theme)? {
        out.put(&format!("{}/{name}", theme::THEME_DIR), bytes)?;
    }
    Ok(Rendered { templates, rows, html })
}

/// Renders again the pages of `only` (no theme files, no [`later`] parts).
pub fn render_pages(project: &Project, rendered: &Rendered, locale: &Locale, only: &Only, out: &Out) -> Result<()> {
    let Rendered { templates, rows, html } = rendered;
    crate::render::pages::render_pages(project, templates, locale, rows, html.as_deref(), Some(only), out)
}

/// The parts [`render_pages`] leaves out, which `serve` renders after the
/// reload: the handouts (each lists a whole period, the slow part),
/// `goals.json` and the search index's word shards.
pub fn later(project: &Project, root: &Path, out: &Out) -> Result<()> {
    crate::render::handout::render_handouts(project, root, out)?;
    goals_json(project, out)?;
    let locale = Locale::new(&project.repo.config.language);
    let ctx = Ctx { repo: &project.repo, numbers: &project.numbers, locale: &locale, as_of: project.as_of };
    for (rel, bytes) in crate::render::search::term_files(&ctx) {
        out.put(&rel, bytes)?;
    }
    Ok(())
}

/// `goals.json` (SPEC §6); into a folder it is streamed, not held whole.
fn goals_json(project: &Project, out: &Out) -> Result<()> {
    let (repo, numbers, as_of) = (&project.repo, &project.numbers, project.as_of);
    match out {
        Out::Dir(dir) => {
            let path = dir.join("goals.json");
            let file = crate::fs::create(&path)?;
            let mut file = std::io::BufWriter::with_capacity(1 << 16, file);
            crate::export::write_goals_json(repo, numbers, as_of, &mut file)
                .and_then(|()| std::io::Write::flush(&mut file))
                .with_context(|| format!("failed to write `{}`", path.display()))
        }
        Out::Memory(_) => out.put("goals.json", crate::export::goals_json(repo, numbers, as_of).into_bytes()),
    }
}

/// The goals whose page shows goal `c` in its cascade diagram. A goal's page
/// draws [`GOAL_CASCADE_DEPTH`] levels from its parent down (from itself for
/// a root, see [`Ctx::goal_cascade`]), so `c` is on the page of every goal
/// whose parent (or, for a root, itself) is `c` or one of its nearest
/// `GOAL_CASCADE_DEPTH - 1` ancestors; each of those ancestors' own pages list
/// `c` too (as a child or a descendant).
pub fn pages_showing(repo: &Repo, c: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut top = Some(c);
    for _ in 0..GOAL_CASCADE_DEPTH {
        let Some(k) = top else { break };
        out.push(k);
        out.extend(&repo.children[k]);
        top = repo.parent[k];
    }
    out
}
