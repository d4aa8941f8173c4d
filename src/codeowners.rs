//! `.github/CODEOWNERS` from the goal files and the teams' leads.
//!
//! Each goal file of a team whose `[teams]` lead has a `[people]` GitHub
//! handle gets one rule naming that handle, so with branch protection's
//! "Require review from Code Owners" a change to a team's goals needs its
//! lead's review. goalbook owns only the part of the file between its
//! [`BEGIN`] and [`END`] lines; rules a person wrote around it are kept.
//! What this module does not do: read or write files (see
//! `cmd::codeowners`), or guess a handle that `[people]` does not give.

use crate::config::Config;
use crate::model::Goal;
use std::collections::BTreeMap;

/// Where GitHub reads the file, relative to the repository root.
pub const PATH: &str = ".github/CODEOWNERS";

/// The first and last line of goalbook's part of the file.
pub const BEGIN: &str = "# BEGIN goalbook codeowners";
pub const END: &str = "# END goalbook codeowners";

/// goalbook's part of the file, from [`BEGIN`] to [`END`], and the notes
/// worth telling the user (a team whose lead has no handle, a goal without a
/// team, a handle GitHub would not accept). The same goals and config give
/// the same bytes.
pub fn generate(config: &Config, goals: &[Goal]) -> (String, Vec<String>) {
    let mut notes = Vec::new();
    let mut by_team: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut without_team = 0;
    for g in goals {
        match g.team.as_deref() {
            Some(team) => by_team.entry(team).or_default().push(&g.file),
            None => without_team += 1,
        }
    }
    let mut out = format!("{BEGIN}\n");
    out.push_str(
        "# Written by `goalbook codeowners` from book.toml: each team's goal files are\n\
         # owned by the team's `lead` ([teams]) through the lead's `github` handle\n\
         # ([people]). With branch protection's \"Require review from Code Owners\",\n\
         # a change to a team's goals needs its lead's review. Do not edit these\n\
         # lines: run `goalbook codeowners` again after changing goals, teams or\n\
         # people. Rules of your own go above the BEGIN line (the last match wins).\n",
    );
    for (team, mut files) in by_team {
        files.sort_unstable();
        let lead = config.teams.get(team).and_then(|t| t.lead.as_deref());
        let handle = lead.and_then(|l| config.people.get(l)).and_then(|p| p.github.as_deref());
        let handle = handle.map(|h| h.trim().trim_start_matches('@')).filter(|h| !h.is_empty());
        let name = config.teams.get(team).and_then(|t| t.name.as_deref());
        let title = match name {
            Some(n) if n != team => format!("{team} ({n})"),
            _ => team.to_string(),
        };
        out.push('\n');
        match (lead, handle) {
            (None, _) => {
                out.push_str(&format!("# {title}: no `lead` in [teams]; no review required\n"));
                notes.push(format!("team `{team}` has no lead: add `lead = \"<owner id>\"` to [teams.{team}]"));
                continue;
            }
            (Some(lead), None) => {
                out.push_str(&format!("# {title}: lead `{lead}` has no `github` in [people]; no review required\n"));
                notes.push(format!(
                    "the lead `{lead}` of team `{team}` has no GitHub handle: add `github = \"<user>\"` to [people.\"{lead}\"]"
                ));
                continue;
            }
            (Some(_), Some(h)) if !valid_handle(h) => {
                out.push_str(&format!("# {title}: `{h}` is not a GitHub user or team; no review required\n"));
                notes.push(format!(
                    "`{h}` (team `{team}`) is not a GitHub user name (letters, digits and `-`) or `org/team`"
                ));
                continue;
            }
            (Some(lead), Some(h)) => {
                out.push_str(&format!("# {title}: lead {lead}\n"));
                for file in files {
                    out.push_str(&format!("/{} @{h}\n", escape(file)));
                }
            }
        }
    }
    if without_team > 0 {
        out.push_str(&format!("\n# {without_team} goal file(s) without a `team`: no review required\n"));
    }
    out.push_str(END);
    out.push('\n');
    (out, notes)
}

/// The whole file: `existing` with goalbook's part replaced by `section`, or
/// `section` added at the end (where it wins over earlier rules) when the
/// file has none yet. Every line outside goalbook's part is kept as it was.
pub fn merge(existing: Option<&str>, section: &str) -> String {
    let Some(existing) = existing.filter(|e| !e.trim().is_empty()) else {
        return section.to_string();
    };
    let lines: Vec<&str> = existing.split_inclusive('\n').collect();
    let begin = lines.iter().position(|l| l.trim_end() == BEGIN);
    let end = begin.and_then(|b| lines[b..].iter().position(|l| l.trim_end() == END).map(|e| b + e));
    match (begin, end) {
        (Some(b), Some(e)) => {
            let mut out: String = lines[..b].concat();
            out.push_str(section);
            out.push_str(&lines[e + 1..].concat());
            out
        }
        // No part of goalbook's yet (or a BEGIN without END, which is kept as text).
        _ => {
            let mut out = existing.to_string();
            if !out.ends_with('\n') {
                out.push('\n');
            }
            out.push('\n');
            out.push_str(section);
            out
        }
    }
}

/// A GitHub user (`lan-nguyen`) or team (`acme/marketing`).
fn valid_handle(h: &str) -> bool {
    let part = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    match h.split_once('/') {
        Some((org, team)) => part(org) && part(team),
        None => part(h) && !h.contains('_'),
    }
}

/// CODEOWNERS patterns are gitignore-like: a space, `#` and the glob
/// characters of a file name are escaped so the rule names that one file.
fn escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if matches!(c, ' ' | '#' | '*' | '?' | '[' | ']' | '\\' | '!') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keeps_every_line_outside_goalbooks_part() {
        let section = format!("{BEGIN}\n/goals/a.md @lan\n{END}\n");
        assert_eq!(merge(None, &section), section);
        assert_eq!(merge(Some("* @acme/admins"), &section), format!("* @acme/admins\n\n{section}"));
        let old = format!("* @acme/admins\n{BEGIN}\n/goals/old.md @minh\n{END}\n/docs/ @acme/writers\n");
        assert_eq!(merge(Some(&old), &section), format!("* @acme/admins\n{section}/docs/ @acme/writers\n"));
        let broken = format!("{BEGIN}\n/x @y\n");
        assert_eq!(merge(Some(&broken), &section), format!("{broken}\n{section}"));
    }

    #[test]
    fn handles_and_escapes() {
        assert!(valid_handle("lan-nguyen"));
        assert!(valid_handle("acme/marketing_team"));
        assert!(!valid_handle("lan nguyen"));
        assert!(!valid_handle("lan_nguyen"));
        assert!(!valid_handle("/x"));
        assert_eq!(escape("goals/a b/#1*.md"), "goals/a\\ b/\\#1\\*.md");
    }
}
