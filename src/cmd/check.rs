//! `goalbook check`: report every problem, exit 1 on errors.

use crate::diagnostic::{Format, render_in};
use anyhow::Result;
use std::path::Path;

/// Prints the diagnostics and returns the exit code of SPEC §2.
pub fn run(root: &Path, format: Format, strict: bool, as_of: Option<&str>) -> Result<i32> {
    let as_of = crate::resolve_as_of_for(as_of, root)?;
    let project = crate::load_project(root, as_of)?;
    print!("{}", render_in(&project.diagnostics, format, &project.repo.config.language));
    let failed = project.has_errors() || (strict && !project.diagnostics.is_empty());
    Ok(i32::from(failed))
}
