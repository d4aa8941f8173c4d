//! `goalbook build`: check, then write the site into the build folder.

use crate::diagnostic::{Format, render_in};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Builds the site; returns 1 (and leaves the old output) on errors.
pub fn run(root: &Path, dest: Option<&Path>, as_of: Option<&str>) -> Result<i32> {
    let as_of = crate::resolve_as_of_for(as_of, root)?;
    let project = crate::load_project(root, as_of)?;
    let lang = project.repo.config.language.as_str();
    if !project.diagnostics.is_empty() {
        eprint!("{}", render_in(&project.diagnostics, Format::Text, lang));
    }
    if project.has_errors() {
        eprintln!("{}", crate::messages::text(lang, "build-failed", &[]));
        return Ok(1);
    }
    let dest: PathBuf = match dest {
        Some(d) => d.to_path_buf(),
        None => root.join(&project.repo.config.build_dir),
    };
    let c = &project.repo.config;
    crate::output::check_build_dir(root, &dest, &[c.goals_dir.as_str(), "templates", "themes", "book.toml"])?;
    crate::output::replace_dir(&dest, |dir| write_site(&project, root, dir))
        .with_context(|| format!("failed to build into `{}`", dest.display()))?;
    let (n, dest) = (project.repo.goals.len().to_string(), dest.display().to_string());
    eprintln!("{}", crate::messages::text(lang, "built", &[("n", &n), ("dest", &dest)]));
    Ok(0)
}

/// Writes every output file of the site into `dir`: the pages and theme of
/// SPEC §5 (templates and theme files layered from `root`) and `goals.json`.
pub fn write_site(project: &crate::Project, root: &Path, dir: &Path) -> Result<()> {
    // Independent parts, run side by side so both cores stay busy.
    let (handouts, pages) = rayon::join(
        || {
            let path = dir.join("goals.json");
            let file =
                std::fs::File::create(&path).with_context(|| format!("failed to create `{}`", path.display()))?;
            let mut file = std::io::BufWriter::with_capacity(1 << 16, file);
            crate::export::write_goals_json(&project.repo, &project.numbers, project.as_of, &mut file)
                .and_then(|()| std::io::Write::flush(&mut file))
                .with_context(|| format!("failed to write `{}`", path.display()))?;
            crate::render::handout::write_handouts(project, root, dir)
        },
        || crate::render::write_pages(project, root, dir),
    );
    handouts.and(pages)
}
