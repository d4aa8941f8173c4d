//! `goalbook handout`: the printable review handout of one period, as a
//! self-contained HTML file or, with `--pdf`, printed by headless Chromium.

use crate::config::Paper;
use crate::diagnostic::{Format, render_in};
use crate::period::Period;
use crate::render::handout::{Options, render_handout};
use anyhow::{Context, Result, anyhow};
use std::path::{Path, PathBuf};

/// The arguments of `goalbook handout`.
pub struct Args<'a> {
    /// `2026-Q4`, `2026-H2`, `2026` or `2026-11`.
    pub period: &'a str,
    pub team: Option<&'a str>,
    /// The output file; see `default_dest`.
    pub dest: Option<&'a Path>,
    pub pdf: bool,
    /// `a4` or `letter`; `[output.handout] paper` of book.toml when absent.
    pub paper: Option<&'a str>,
    pub as_of: Option<&'a str>,
}

/// `handout-2026-Q4.html`, `handout-2026-Q4-marketing.pdf`: the file name
/// of a handout when no `--dest` is given.
pub fn default_name(period: Period, team: Option<&str>, pdf: bool) -> String {
    let team = team.map(|t| format!("-{}", crate::slug::slugify(t))).unwrap_or_default();
    format!("handout-{period}{team}.{}", if pdf { "pdf" } else { "html" })
}

/// The default handout file: [`default_name`] in the build folder
/// (`[build] build-dir`), never the repository root, where git would see it.
/// A build folder that does not exist yet is made with goalbook's marker, so
/// the next `goalbook build` may replace it (the site holds every handout at
/// `handouts/<period>/index.html` anyway).
fn default_dest(root: &Path, config: &crate::config::Config, name: &str) -> Result<PathBuf> {
    let dir = root.join(&config.build_dir);
    crate::output::check_build_dir(root, &dir, &[config.goals_dir.as_str(), "templates", "themes", "book.toml"])
        .context("the handout goes into the build folder by default; name a file with --dest instead")?;
    if !dir.exists() {
        crate::fs::create_dir_all(&dir)?;
        crate::output::write_file(&dir, crate::output::MARKER, crate::output::MARKER_TEXT.as_bytes())?;
    }
    Ok(dir.join(name))
}

/// Writes the handout; returns 1 (and writes nothing) when the goals have errors.
pub fn run(root: &Path, args: &Args) -> Result<i32> {
    let period = Period::parse(args.period).ok_or_else(|| {
        anyhow!("`{}` is not a period; write YYYY, YYYY-Qn, YYYY-Hn or YYYY-MM, e.g. 2026-Q4", args.period)
    })?;
    let paper = match args.paper.map(str::to_ascii_lowercase).as_deref() {
        None => None,
        Some("a4") => Some(Paper::A4),
        Some("letter") => Some(Paper::Letter),
        Some(other) => return Err(anyhow!("--paper `{other}` is not a paper size; use a4 or letter")),
    };
    // Before any work: a missing browser is the likeliest failure of --pdf.
    let chromium = if args.pdf { Some(crate::pdf::find_chromium()?) } else { None };
    let as_of = crate::resolve_as_of_for(args.as_of, root)?;
    let project = crate::load_project(root, as_of)?;
    if !project.diagnostics.is_empty() {
        eprint!("{}", render_in(&project.diagnostics, Format::Text, &project.repo.config.language));
    }
    if project.has_errors() {
        eprintln!("{}", crate::messages::text(&project.repo.config.language, "handout-not-written", &[]));
        return Ok(1);
    }
    let opts = Options { period, team: args.team, paper: paper.unwrap_or(project.repo.config.paper) };
    let html = render_handout(&project, root, &opts)?;
    let dest = match args.dest {
        Some(d) => d.to_path_buf(),
        None => default_dest(root, &project.repo.config, &default_name(period, args.team, args.pdf))?,
    };
    match &chromium {
        Some(browser) => crate::pdf::print_html(browser, &html, &dest)?,
        None => {
            if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
                crate::fs::create_dir_all(dir)?;
            }
            crate::write::write_atomic(&dest, html.as_bytes())?;
        }
    }
    let wrote = dest.display().to_string();
    eprintln!("{}", crate::messages::text(&project.repo.config.language, "wrote", &[("path", &wrote)]));
    Ok(0)
}
