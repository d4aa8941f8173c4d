//! `goalbook build`: check, then write the site into the build folder.

use crate::diagnostic::{Format, render_in};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Builds the site; returns 1 (and leaves the old output) on errors.
/// `site_url` overrides `[output.html] site-url` (SPEC §4: the Pages workflow
/// passes the repository's Pages path, so book.toml is never edited in CI).
pub fn run(root: &Path, dest: Option<&Path>, as_of: Option<&str>, site_url: Option<&str>) -> Result<i32> {
    let as_of = crate::resolve_as_of_for(as_of, root)?;
    let mut project = crate::load_project(root, as_of)?;
    if let Some(url) = site_url {
        let url = normalize_site_url(url);
        if !crate::config::site_url_is_a_path(&url) {
            anyhow::bail!(
                "--site-url `{}` is not a path on the site's host; give the path the site is published under, like /acme-goals/ (not a full URL)",
                crate::diagnostic::printable(&url)
            );
        }
        project.repo.config.site_url = url;
    }
    let lang = project.repo.config.language.clone();
    let lang = lang.as_str();
    if !project.diagnostics.is_empty() {
        eprint!("{}", render_in(&project.diagnostics, Format::Text, lang));
    }
    // Temporary files of a killed `checkin` (the originals are intact).
    crate::write::remove_stale_temp_files(&root.join(&project.repo.config.goals_dir));
    let dest: PathBuf = match dest {
        Some(d) => d.to_path_buf(),
        None => root.join(&project.repo.config.build_dir),
    };
    if project.has_errors() {
        crate::output::restore(&dest)?;
        eprintln!("{}", crate::messages::text(lang, "build-failed", &[]));
        return Ok(1);
    }
    let c = &project.repo.config;
    crate::output::check_build_dir(root, &dest, &[c.goals_dir.as_str(), "templates", "themes", "book.toml"])?;
    crate::output::replace_dir(&dest, |dir| crate::site::write(&project, root, dir))
        .with_context(|| format!("failed to build into `{}`", dest.display()))?;
    let (n, dest) = (project.repo.goals.len().to_string(), dest.display().to_string());
    eprintln!("{}", crate::messages::text(lang, "built", &[("n", &n), ("dest", &dest)]));
    Ok(0)
}

/// `--site-url` as a path prefix ending in `/`: configure-pages gives
/// `/repo` for a project site and an empty string for a user site or a
/// custom domain; both must become a prefix that relative links can follow.
pub fn normalize_site_url(url: &str) -> String {
    let url = url.trim();
    if url.is_empty() {
        "/".to_string()
    } else if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_site_url;

    #[test]
    fn site_url_ends_in_one_slash() {
        assert_eq!(normalize_site_url(""), "/");
        assert_eq!(normalize_site_url("/acme-goals"), "/acme-goals/");
        assert_eq!(normalize_site_url("/acme-goals/"), "/acme-goals/");
        assert_eq!(normalize_site_url("https://goals.acme.vn"), "https://goals.acme.vn/");
    }
}
