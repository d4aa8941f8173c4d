//! `goalbook pull [DIR] [--goal ID] [--date D] [--dry-run]`: record the values
//! of the goals' sources as check-ins (the engine is [`crate::pull`]).

use crate::pull::{Options, Outcome};
use anyhow::Result;
use std::path::Path;

/// Pulls, prints one line per goal written and one per failure; exit code 1
/// when any source failed (SPEC §7).
pub fn run(root: &Path, goal: Option<&str>, date: Option<&str>, dry_run: bool) -> Result<i32> {
    let date = match date {
        Some(d) => crate::checkin::parse_date(d)?,
        None => crate::resolve_as_of(None)?,
    };
    let report = crate::pull::pull(root, &Options { goal, date, dry_run })?;
    let verb = if dry_run { "would record" } else { "recorded" };
    let mut unchanged = 0;
    for p in &report.goals {
        match &p.outcome {
            Outcome::Recorded { value, was } => {
                let was = was.map(|w| format!(" (was {})", crate::pull::toml_number(w))).unwrap_or_default();
                println!("{}: {verb} check-in {date} = {value}{was}", p.file);
            }
            Outcome::Unchanged { .. } => unchanged += 1,
            Outcome::Failed { reason } => eprintln!("{}:{}: error: source of `{}`: {reason}", p.file, p.line, p.id),
        }
    }
    let failed = report.failed();
    println!(
        "pull: {} source(s) read, {} check-in(s) {}, {unchanged} unchanged, {failed} failed",
        report.goals.len(),
        report.recorded(),
        if dry_run { "to write" } else { "written" },
    );
    Ok(i32::from(failed > 0))
}
