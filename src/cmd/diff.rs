//! `goalbook diff BASE [HEAD]`: the goal changes between two revisions ([`crate::diff`]).

use anyhow::Result;
use std::path::Path;

/// The `--format` of `goalbook diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    Markdown,
    Json,
}

/// Prints the report of the goal changes from `base` to `head`; exit code 0.
pub fn run(root: &Path, base: &str, head: &str, format: DiffFormat, as_of: Option<&str>) -> Result<i32> {
    let as_of = crate::resolve_as_of_for(as_of, root)?;
    let report = crate::diff::between(root, base, head, as_of)?;
    match format {
        DiffFormat::Markdown => print!("{}", report.markdown()),
        DiffFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(0)
}
