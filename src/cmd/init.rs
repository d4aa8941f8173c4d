//! `goalbook init [DIR] [--lang en|vi] [--templates]`: start a goals repository.
//!
//! Writes `book.toml`, a small example company (an objective, three key
//! results, an initiative and a kpi) in English or Vietnamese, a `.gitignore`
//! for the build folder, a GitHub workflow that checks pull requests and
//! publishes the site on GitHub Pages, and two scheduled ones: a daily
//! `goalbook pull` proposing new values as one pull request, and a weekly
//! `goalbook remind` keeping one issue of due check-ins. `--templates` instead writes the
//! built-in templates and theme out for editing. Existing files are never
//! touched: they are listed as skipped.
//!
//! The example's dates follow today (or `SOURCE_DATE_EPOCH`): the objective
//! runs this year, the key results this quarter, and their values sit on the
//! expected pace, so a fresh repository shows live, mostly on-track goals.

use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveDate};
use std::io::Write;
use std::path::Path;

/// The languages `init` writes examples in.
pub const LANGS: [&str; 2] = ["en", "vi"];

macro_rules! scaffold {
    ($lang:literal: $($path:literal),+ $(,)?) => {
        &[$(($path, include_str!(concat!("../../scaffold/", $lang, "/", $path)))),+]
    };
}

const EN: &[(&str, &str)] = scaffold!("en":
    "book.toml",
    "goals/company/grow-online-sales.md",
    "goals/sales/online-revenue.md",
    "goals/marketing/newsletter-subscribers.md",
    "goals/marketing/referral-program.md",
    "goals/support/first-response-time.md",
    "goals/support/customer-satisfaction.md",
);

const VI: &[(&str, &str)] = scaffold!("vi":
    "book.toml",
    "goals/cong-ty/tang-truong-ban-hang-truc-tuyen.md",
    "goals/kinh-doanh/doanh-thu-truc-tuyen.md",
    "goals/marketing/nguoi-dang-ky-ban-tin.md",
    "goals/marketing/chuong-trinh-gioi-thieu.md",
    "goals/cskh/thoi-gian-phan-hoi.md",
    "goals/cskh/muc-do-hai-long.md",
);

const GITIGNORE: &str = include_str!("../../scaffold/common/gitignore");
const WORKFLOW: &str = include_str!("../../scaffold/common/goalbook.yml");
/// Scheduled: daily `goalbook pull` into one rolling pull request (SPEC §7).
const PULL_WORKFLOW: &str = include_str!("../../scaffold/common/goalbook-pull.yml");
/// Scheduled: weekly `goalbook remind` into one open issue.
const REMIND_WORKFLOW: &str = include_str!("../../scaffold/common/goalbook-remind.yml");

/// The files of a new repository in `lang`, dated from `today`: (path, bytes).
pub fn scaffold(lang: &str, today: NaiveDate) -> Result<Vec<(String, Vec<u8>)>> {
    let (files, revenue) = match lang {
        "en" => (EN, (80_000.0, 120_000.0, 1_000.0)),
        "vi" => (VI, (2_000_000_000.0, 3_000_000_000.0, 10_000_000.0)),
        _ => bail!("unknown language `{lang}`; use one of: {}", LANGS.join(", ")),
    };
    let quarter0 = today.month0() / 3;
    let q_start = NaiveDate::from_ymd_opt(today.year(), quarter0 * 3 + 1, 1).context("date out of range")?;
    let q_next = q_start.checked_add_months(chrono::Months::new(3)).context("date out of range")?;
    let span = (q_next - q_start).num_days() - 1;
    let elapsed = (today - q_start).num_days() as f64 / span.max(1) as f64;
    // On the expected pace, and a little behind it: one on-track, one at-risk goal.
    let on_pace = |baseline: f64, target: f64, pace: f64, step: f64| {
        let v = baseline + (target - baseline) * elapsed * pace;
        format!("{}", ((v / step).ceil() * step) as i64)
    };
    let vars = [
        ("{{year}}", today.year().to_string()),
        ("{{quarter}}", format!("{}-Q{}", today.year(), quarter0 + 1)),
        ("{{today}}", today.format("%Y-%m-%d").to_string()),
        ("{{revenue}}", on_pace(revenue.0, revenue.1, 1.0, revenue.2)),
        ("{{subscribers}}", on_pace(2_000.0, 5_000.0, 0.8, 10.0)),
    ];
    let mut out = Vec::new();
    for (path, text) in files {
        let mut text = text.to_string();
        for (key, value) in &vars {
            text = text.replace(key, value);
        }
        out.push((path.to_string(), text.into_bytes()));
    }
    out.push((".gitignore".to_string(), GITIGNORE.as_bytes().to_vec()));
    out.push((".github/workflows/goalbook.yml".to_string(), WORKFLOW.as_bytes().to_vec()));
    out.push((".github/workflows/goalbook-pull.yml".to_string(), PULL_WORKFLOW.as_bytes().to_vec()));
    out.push((".github/workflows/goalbook-remind.yml".to_string(), REMIND_WORKFLOW.as_bytes().to_vec()));
    Ok(out)
}

/// The built-in templates and theme files, as `init --templates` writes them.
pub fn templates() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = crate::render::theme::TEMPLATES
        .iter()
        .map(|(name, text)| (format!("templates/{name}"), text.as_bytes().to_vec()))
        .collect();
    out.extend(
        crate::render::theme::THEME_FILES
            .iter()
            .map(|(name, bytes)| (format!("themes/default/{name}"), bytes.to_vec())),
    );
    out
}

/// Writes the files that do not exist yet; returns (written, skipped) paths.
pub fn write_new(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(Vec<String>, Vec<String>)> {
    let mut written = Vec::new();
    let mut skipped = Vec::new();
    for (rel, bytes) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("failed to create `{}`", parent.display()))?;
        }
        // `create_new` fails on an existing file, so nothing is ever overwritten.
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                f.write_all(bytes).with_context(|| format!("failed to write `{}`", path.display()))?;
                written.push(rel.clone());
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => skipped.push(rel.clone()),
            Err(e) => return Err(e).with_context(|| format!("failed to create `{}`", path.display())),
        }
    }
    Ok((written, skipped))
}

/// Runs `goalbook init`; returns exit code 0.
pub fn run(dir: &Path, lang: &str, templates_only: bool) -> Result<i32> {
    if dir.exists() && !dir.is_dir() {
        bail!("`{}` is a file; give a folder to create the goals repository in", dir.display());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("failed to create `{}`", dir.display()))?;
    let files = if templates_only { templates() } else { scaffold(lang, crate::resolve_as_of(None)?)? };
    let (written, skipped) = write_new(dir, &files)?;
    for rel in &written {
        println!("created {rel}");
    }
    for rel in &skipped {
        println!("skipped {rel} (it exists)");
    }
    if templates_only {
        println!("Edit templates/ and themes/default/; `goalbook serve` shows the result as you save.");
    } else {
        let cd = if dir == Path::new(".") { String::new() } else { format!("cd {} && ", dir.display()) };
        println!("Next: {cd}goalbook serve   (then commit and push; see .github/workflows/goalbook.yml)");
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_values_follow_the_date() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let files = scaffold("en", day(2026, 11, 15)).unwrap();
        let text = |p: &str| String::from_utf8(files.iter().find(|f| f.0 == p).unwrap().1.clone()).unwrap();
        let kr = text("goals/sales/online-revenue.md");
        assert!(kr.contains("period = \"2026-Q4\"\n"), "{kr}");
        assert!(kr.contains("date = 2026-11-15\nvalue = 100000\n"), "{kr}");
        assert!(text("book.toml").contains("title = \"Acme goals 2026\"\n"));
        let start = scaffold("vi", day(2027, 1, 1)).unwrap();
        let kr = String::from_utf8(start.iter().find(|f| f.0.ends_with("doanh-thu-truc-tuyen.md")).unwrap().1.clone());
        assert!(kr.unwrap().contains("date = 2027-01-01\nvalue = 2000000000\n"));
        assert!(scaffold("fr", day(2026, 1, 1)).is_err());
    }
}
