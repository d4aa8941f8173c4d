//! `goalbook remind [DIR] [--format text|markdown|json] [--within DAYS] [--as-of DATE]`:
//! print who owes a check-in (the engine is [`crate::remind`]).

use crate::remind::{Format, reminders, render};
use anyhow::Result;
use std::path::Path;

/// Prints the reminders; exit code 0 (a list of work is not a failure).
pub fn run(root: &Path, format: Format, within: u32, as_of: Option<&str>) -> Result<i32> {
    let as_of = crate::resolve_as_of(as_of)?;
    let project = crate::load_project(root, as_of)?;
    print!("{}", render(&reminders(&project, within), format));
    Ok(0)
}
