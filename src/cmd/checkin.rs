//! `goalbook checkin GOAL VALUE`: record progress without hand-editing TOML ([`crate::checkin`]).

use anyhow::Result;
use std::path::Path;

/// Arguments of `goalbook checkin`.
pub struct Args<'a> {
    pub goal: &'a str,
    pub value: &'a str,
    pub date: Option<&'a str>,
    pub note: Option<&'a str>,
    pub confidence: Option<&'a str>,
}

/// Appends the check-in to the goal's file; returns exit code 0.
pub fn run(root: &Path, args: &Args<'_>) -> Result<i32> {
    let entry = crate::checkin::entry(args.value, args.date, args.confidence, args.note)?;
    let done = crate::checkin::record(root, args.goal, &entry)?;
    let lang = done.language.as_str();
    let (date, value) = (entry.date.to_string(), entry.value.to_string());
    let mut msg =
        crate::messages::text(lang, "checkin-added", &[("file", &done.file), ("date", &date), ("value", &value)]);
    match (&done.old_current, done.latest) {
        (Some(old), _) => {
            msg.push_str(&crate::messages::text(lang, "checkin-current", &[("old", old), ("value", &value)]))
        }
        (None, false) if done.had_current => msg.push_str(&crate::messages::text(lang, "checkin-current-kept", &[])),
        _ => {}
    }
    println!("{msg}");
    Ok(0)
}
