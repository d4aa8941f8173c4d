//! Recording a check-in in a goal's file (`goalbook checkin`, `goalbook pull`).
//!
//! The goal's file gets one `[[checkin]]` table appended after its last
//! check-in (or at the end of the front matter), and `current` is updated when
//! the file has one. `toml_edit` finds where things are; the file is then
//! changed by splicing text at those places, so every other byte — comments,
//! key order, spacing, CRLF line endings — stays exactly as it was.

use crate::load::{SourceFile, split_front_matter};
use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use std::ops::Range;
use std::path::Path;

/// One check-in to record, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub date: NaiveDate,
    /// The value as TOML (`260`, `12.5`).
    pub value: String,
    pub confidence: Option<String>,
    pub note: Option<String>,
    /// Who recorded it: `pull` for `goalbook pull` (SPEC §1).
    pub by: Option<String>,
}

/// What [`record`] did to the goal's file.
pub struct Recorded {
    /// The goal's file, relative to the repository root.
    pub file: String,
    /// `book.language`, for the messages that report it.
    pub language: String,
    /// The `current` the file had, when the check-in replaced it.
    pub old_current: Option<String>,
    /// Whether the check-in is the goal's latest (so `current` follows it).
    pub latest: bool,
    /// Whether the file had a `current` before.
    pub had_current: bool,
}

/// The check-in of `goalbook checkin`'s arguments, validated: `date` (else
/// today or `SOURCE_DATE_EPOCH`), `value` and `confidence` as TOML numbers.
pub fn entry(value: &str, date: Option<&str>, confidence: Option<&str>, note: Option<&str>) -> Result<Entry> {
    Ok(Entry {
        date: match date {
            Some(d) => parse_date(d)?,
            None => crate::resolve_as_of(None)?,
        },
        value: number(value, "the value")?,
        confidence: match confidence {
            Some(c) => {
                let text = number(c, "--confidence")?;
                let v: f64 = c.trim().parse().unwrap_or(-1.0);
                if !(0.0..=1.0).contains(&v) {
                    bail!("--confidence `{c}` must be between 0 and 1, e.g. 0.8 for 80% sure");
                }
                Some(text)
            }
            None => None,
        },
        note: note.map(str::to_string),
        by: None,
    })
}

/// Appends `entry` to the file of the goal `id` in the repository at `root`,
/// under the writer's lock; refuses an edit that would make the file invalid.
pub fn record(root: &Path, id: &str, entry: &Entry) -> Result<Recorded> {
    let (config, _) = crate::load::read_config(root)?;
    let files = crate::load::read_goal_files(root, &config.goals_dir)?;
    let (repo, diags) = crate::model::build(config, &files);
    let Some(goal) = repo.get(id) else {
        let ids: Vec<&str> = repo.goals.iter().map(|g| g.id.as_str()).collect();
        let hint = match crate::diagnostic::suggest(id, &ids) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "a goal's id is its file path under the goals folder without `.md`".to_string(),
        };
        let unread = diags.iter().filter(|d| d.code == crate::Code::Parse).count();
        let note = if unread > 0 {
            format!(" ({unread} goal file(s) could not be read; `goalbook check` lists them)")
        } else {
            String::new()
        };
        bail!("no goal has the id `{id}`; {hint}{note}");
    };
    let path = root.join(&goal.file);
    let source = files.iter().find(|f| f.rel == goal.file);
    let path_id = source.map_or_else(|| goal.id.clone(), |f| f.path_id.clone());
    let read = |text: &str| {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text).to_string();
        let file = SourceFile { rel: goal.file.clone(), path_id: path_id.clone(), text: Some(text), unread: None };
        crate::model::read_goal(&file, &repo.config)
    };
    // The file is read again under the writer's lock, so a check-in recorded
    // by another process since the load above is kept, not overwritten.
    let mut outcome = None;
    crate::write::edit_file(&path, |text| {
        let (now, before) = read(text);
        // `current` follows the latest check-in; a back-filled older one leaves it.
        let latest = now.as_ref().map_or(&goal.checkins, |g| &g.checkins).iter().all(|c| c.date <= entry.date);
        let had_current = now.as_ref().map_or(goal.current.is_some(), |g| g.current.is_some());
        let edit = append(text, entry, latest).with_context(|| format!("cannot add a check-in to `{}`", goal.file))?;
        // Refuse an edit that would make the file invalid (say, a date far outside
        // the goal's period): the file keeps working, and the user learns why.
        let before: Vec<_> = before.into_iter().filter(|d| d.is_error()).collect();
        let new_errors: Vec<_> =
            read(&edit.text).1.into_iter().filter(|d| d.is_error() && !before.contains(d)).collect();
        if let Some(d) = new_errors.first() {
            bail!("the check-in was not added to `{}`: {}", d.file, d.message);
        }
        outcome = Some((edit.current, latest, had_current));
        Ok(Some(edit.text))
    })?;
    let (old_current, latest, had_current) = outcome.context("the check-in was not recorded")?;
    Ok(Recorded { file: goal.file.clone(), language: repo.config.language.clone(), old_current, latest, had_current })
}

/// A `--date` argument: YYYY-MM-DD, a plausible year.
pub fn parse_date(s: &str) -> Result<NaiveDate> {
    match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Ok(d) if (1970..=2200).contains(&chrono::Datelike::year(&d)) => Ok(d),
        Ok(d) => bail!("--date {d} is not a plausible date; use a year between 1970 and 2200"),
        Err(_) => bail!("--date `{s}` is not a date; write it as YYYY-MM-DD, e.g. 2026-11-24"),
    }
}

/// A number given on the command line, as TOML: integers stay integers.
fn number(s: &str, what: &str) -> Result<String> {
    let t = s.trim();
    if let Ok(i) = t.parse::<i64>() {
        return Ok(i.to_string());
    }
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() && !t.chars().any(|c| c.is_alphabetic() && c != 'e' && c != 'E') => {
            Ok(toml_edit::Value::from(f).to_string().trim().to_string())
        }
        _ => bail!("{what} `{s}` is not a number; write it like 260 or 12.5 (no units or thousands separators)"),
    }
}

/// A TOML basic string: always one line, whatever the text holds.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The edited text of a goal file.
#[derive(Debug, PartialEq)]
pub struct Edit {
    pub text: String,
    /// The replaced `current`, as it was written, when it was updated.
    pub current: Option<String>,
}

/// Appends `entry` as a `[[checkin]]` to goal file `text`, and sets `current`
/// to its value when the file has a `current` and `update_current` is true.
pub fn append(text: &str, entry: &Entry, update_current: bool) -> Result<Edit> {
    let bom = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let split = match split_front_matter(&text[bom..]) {
        Ok(s) => s,
        Err((_, msg)) => bail!("{msg}"),
    };
    let front = split.front;
    let base = bom + split.front_offset;
    let doc = match toml_edit::Document::parse(front) {
        Ok(d) => d,
        Err(e) => {
            bail!("its front matter is not valid TOML ({}); fix it first (`goalbook check` shows where)", e.message())
        }
    };
    // Keep the file's line ending: CRLF when its first line has one.
    let nl = if text[bom..].split('\n').next().is_some_and(|l| l.ends_with('\r')) { "\r\n" } else { "\n" };

    let mut table = format!("[[checkin]]{nl}date = {}{nl}value = {}{nl}", entry.date, entry.value);
    if let Some(c) = &entry.confidence {
        table.push_str(&format!("confidence = {c}{nl}"));
    }
    if let Some(n) = &entry.note {
        table.push_str(&format!("note = {}{nl}", toml_string(n)));
    }
    if let Some(b) = &entry.by {
        table.push_str(&format!("by = {}{nl}", toml_string(b)));
    }

    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut old_current = None;
    // Only a number is updated; any other `current` is already reported by `check`.
    let number = |item: &toml_edit::Item| item.as_integer().is_some() || item.as_float().is_some();
    if update_current
        && let Some(item) = doc.as_table().get("current").filter(|item| number(item))
        && let Some(span) = item.span()
    {
        old_current = Some(front[span.clone()].to_string());
        edits.push((base + span.start..base + span.end, entry.value.clone()));
    }
    let at = match doc.as_table().get("checkin") {
        None => {
            let sep = if front.is_empty() || front.ends_with(&format!("{nl}{nl}")) {
                ""
            } else if front.ends_with('\n') {
                nl
            } else {
                // The last line has no line break of its own.
                table.insert_str(0, nl);
                nl
            };
            table.insert_str(0, sep);
            front.len()
        }
        Some(item) => {
            let Some(list) = item.as_array_of_tables() else {
                bail!(
                    "its `checkin` is not written as `[[checkin]]` tables; rewrite it in that form to use `goalbook checkin`"
                );
            };
            let Some(last) = list.iter().last() else { bail!("its `checkin` list is empty") };
            let end = last
                .iter()
                .filter_map(|(_, v)| v.span().map(|s| s.end))
                .chain(last.span().map(|s| s.end))
                .max()
                .context("cannot locate the last [[checkin]]")?;
            table.insert_str(0, nl);
            // After the rest of that line (a comment, the line break).
            match front[end..].find('\n') {
                Some(i) => end + i + 1,
                None => {
                    table.insert_str(0, nl);
                    front.len()
                }
            }
        }
    };
    edits.push((base + at..base + at, table));
    edits.sort_by_key(|e| std::cmp::Reverse(e.0.start));
    let mut out = text.to_string();
    for (range, with) in edits {
        out.replace_range(range, &with);
    }
    Ok(Edit { text: out, current: old_current })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        Entry {
            date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            value: "260".into(),
            confidence: None,
            note: None,
            by: None,
        }
    }

    #[test]
    fn appends_after_the_last_checkin() {
        let text = "+++\ntitle = \"t\"\n\n[[checkin]]\ndate = 2026-10-15\nvalue = 80 # first\n\n[[milestone]]\ndate = 2026-11-15\ntarget = 250\n+++\nbody\n";
        let e = append(text, &entry(), true).unwrap();
        assert_eq!(
            e.text,
            "+++\ntitle = \"t\"\n\n[[checkin]]\ndate = 2026-10-15\nvalue = 80 # first\n\n[[checkin]]\ndate = 2026-11-20\nvalue = 260\n\n[[milestone]]\ndate = 2026-11-15\ntarget = 250\n+++\nbody\n"
        );
        assert_eq!(e.current, None);
    }

    #[test]
    fn appends_at_the_end_and_updates_current() {
        let text = "+++\r\ncurrent = 210   # from the CRM\r\ntitle = \"t\"\r\n+++\r\n";
        let mut en = entry();
        en.note = Some("say \"hi\"\nnow".into());
        en.confidence = Some("0.8".into());
        let e = append(text, &en, true).unwrap();
        assert_eq!(
            e.text,
            "+++\r\ncurrent = 260   # from the CRM\r\ntitle = \"t\"\r\n\r\n[[checkin]]\r\ndate = 2026-11-20\r\nvalue = 260\r\nconfidence = 0.8\r\nnote = \"say \\\"hi\\\"\\nnow\"\r\n+++\r\n"
        );
        assert_eq!(e.current.as_deref(), Some("210"));
        let kept = append(text, &en, false).unwrap();
        assert!(kept.text.starts_with("+++\r\ncurrent = 210   # from the CRM\r\n"));
    }

    #[test]
    fn numbers_are_toml() {
        assert_eq!(number("260", "v").unwrap(), "260");
        assert_eq!(number("-3", "v").unwrap(), "-3");
        assert_eq!(number("12.5", "v").unwrap(), "12.5");
        assert_eq!(number("1e3", "v").unwrap(), "1000.0");
        assert!(number("abc", "v").is_err());
        assert!(number("inf", "v").is_err());
        assert!(number("NaN", "v").is_err());
        assert!(number("1,000", "v").is_err());
    }

    #[test]
    fn inline_checkin_arrays_are_refused() {
        let text = "+++\ncheckin = [{ date = 2026-10-15, value = 1 }]\n+++\n";
        assert!(append(text, &entry(), true).is_err());
    }
}
