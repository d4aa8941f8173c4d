//! Issue 13: no data lost, no crash, nothing loaded from elsewhere, no
//! blow-up. One test per hardening rule, each on the real binary.

use crate::common::{bin, temp_repo};
use std::path::Path;

const GOAL: &str = "+++\ntitle = \"Sign 20 new customers in Q4\"\nowner = \"lan\"\nperiod = \"2026-Q4\"\nbaseline = 0\ntarget = 20\n+++\n";

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = bin().args(args).arg(dir).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn a_killed_builds_leftovers_are_removed_by_the_next_build() {
    let tmp = temp_repo(&[("goals/sales.md", GOAL)]);
    // What a build killed mid-way leaves: a half-written staging folder and
    // an old folder, under the fixed names.
    for left in [".book.goalbook-new", ".book.goalbook-old"] {
        std::fs::create_dir_all(tmp.path().join(left).join("goals/half")).unwrap();
        std::fs::write(tmp.path().join(left).join("index.html"), "half").unwrap();
    }
    for _ in 0..2 {
        let (code, _, err) = run(tmp.path(), &["build", "--as-of", "2026-11-24"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(names(tmp.path()), ["book", "goals"]);
    }
    assert!(tmp.path().join("book/goals/sales/index.html").is_file());
}

#[test]
fn a_build_killed_between_the_renames_gets_its_old_site_back() {
    let tmp = temp_repo(&[("goals/sales.md", GOAL)]);
    assert_eq!(run(tmp.path(), &["build", "--as-of", "2026-11-24"]).0, 0);
    std::fs::rename(tmp.path().join("book"), tmp.path().join(".book.goalbook-old")).unwrap();
    std::fs::write(tmp.path().join("goals/sales.md"), "+++\ntitle = 5\n+++\n").unwrap();
    // This build fails; the site that was aside is back in place.
    assert_eq!(run(tmp.path(), &["build", "--as-of", "2026-11-24"]).0, 1);
    assert_eq!(names(tmp.path()), ["book", "goals"]);
    assert!(tmp.path().join("book/goals/sales/index.html").is_file());
}

#[test]
fn a_missing_goals_dir_is_an_error_and_the_old_site_stays() {
    let tmp = temp_repo(&[("goals/sales.md", GOAL), ("book.toml", "[build]\ngoals-dir = \"goals\"\n")]);
    assert_eq!(run(tmp.path(), &["build", "--as-of", "2026-11-24"]).0, 0);
    std::fs::write(tmp.path().join("book.toml"), "[build]\ngoals-dir = \"gaols\"\n").unwrap();
    let (code, _, err) = run(tmp.path(), &["build", "--as-of", "2026-11-24"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("book.toml:2: error[bad-value]: the goals folder `gaols` does not exist; fix `[build] goals-dir` in book.toml"),
        "{err}"
    );
    assert!(tmp.path().join("book/goals/sales/index.html").is_file());
    let (code, out, _) = run(tmp.path(), &["check"]);
    assert_eq!(code, 1, "{out}");
}

#[test]
fn site_url_must_be_a_path() {
    for bad in ["https://evil.example/", "//evil.example/", "acme", "/acme"] {
        let book = format!("[output.html]\nsite-url = \"{bad}\"\n");
        let tmp = temp_repo(&[("goals/sales.md", GOAL), ("book.toml", &book)]);
        let (code, out, _) = run(tmp.path(), &["check"]);
        assert_eq!(code, 1, "{bad}: {out}");
        assert!(
            out.contains("book.toml:2: error[bad-value]: `site-url` is the path the site is published under"),
            "{out}"
        );
    }
    let tmp = temp_repo(&[("goals/sales.md", GOAL), ("book.toml", "[output.html]\nsite-url = \"/acme-goals/\"\n")]);
    assert_eq!(run(tmp.path(), &["check"]).0, 0);
}

#[test]
fn control_characters_in_values_are_printed_escaped() {
    let goal = "+++\ntitle = \"Sign 20 new customers in Q4\"\nowner = \"lan\"\nperiod = \"2026-Q4\"\nbaseline = 0\ntarget = 20\nkind = \"key\\u001b[2J\\u0007result\"\n+++\n";
    let tmp = temp_repo(&[("goals/sales.md", goal)]);
    let (code, out, _) = run(tmp.path(), &["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert!(out.contains("key\\u{1b}[2J\\u{7}result"), "{out}");
    let (code, _, err) = run(tmp.path(), &["checkin", "no\u{1b}]0;pwned\u{7}", "5", "--dir"]);
    assert_eq!(code, 2);
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

#[test]
fn goal_files_over_4_mib_are_reported_not_read() {
    let big = format!("{GOAL}{}\n", "x".repeat(5 << 20));
    let tmp = temp_repo(&[("goals/sales.md", GOAL), ("goals/big.md", &big)]);
    let (code, out, _) = run(tmp.path(), &["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("goals/big.md:1: error[parse]: this goal file is 5.0 MiB, over the 4 MiB a goal file may have, so it was not read"),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn symlinked_goal_files_are_followed_inside_the_repository_and_refused_outside() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), GOAL).unwrap();
    let tmp = temp_repo(&[("goals/sales.md", GOAL), ("shared/kept.md", &GOAL.replace("20 new", "30 new"))]);
    std::os::unix::fs::symlink(tmp.path().join("shared/kept.md"), tmp.path().join("goals/inside.md")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), tmp.path().join("goals/outside.md")).unwrap();
    let (code, out, _) = run(tmp.path(), &["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("goals/outside.md:1: error[parse]: this goal file is a symlink to `"), "{out}");
    assert!(out.contains("which is not a file inside the repository, so it was not read"), "{out}");
    assert!(!out.contains("goals/inside.md:1: error"), "{out}");
    std::fs::remove_file(tmp.path().join("goals/outside.md")).unwrap();
    let (code, _, err) = run(tmp.path(), &["build", "--as-of", "2026-11-24"]);
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(tmp.path().join("book/goals/inside/index.html")).unwrap();
    assert!(page.contains("Sign 30 new customers in Q4"));
}

#[test]
fn goal_folders_nested_too_deep_are_a_clear_error() {
    let tmp = temp_repo(&[("goals/sales.md", GOAL)]);
    let deep = (0..70).map(|_| "d").collect::<Vec<_>>().join("/");
    std::fs::create_dir_all(tmp.path().join("goals").join(&deep)).unwrap();
    std::fs::write(tmp.path().join("goals").join(&deep).join("g.md"), GOAL).unwrap();
    let (code, _, err) = run(tmp.path(), &["check"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is nested more than 64 folders deep under `goals`"), "{err}");
}

#[test]
fn long_ids_and_team_names_build_with_hashed_slugs() {
    let long = "Tăng trưởng doanh thu khu vực miền Nam ".repeat(12).trim().to_string();
    let goal = format!("{}team = \"{long}\"\nid = \"{long}/{long}\"\n+++\n", GOAL.trim_end_matches("+++\n"));
    let tmp = temp_repo(&[("goals/sales.md", &goal)]);
    let (code, _, err) = run(tmp.path(), &["build", "--as-of", "2026-11-24"]);
    assert_eq!(code, 0, "{err}");
    let json = std::fs::read_to_string(tmp.path().join("book/goals.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let url = doc["goals"][0]["url"].as_str().unwrap();
    let segments: Vec<&str> = url.split('/').collect();
    assert_eq!(segments.len(), 4, "{url}");
    assert_eq!(segments[1].len(), 100, "{url}");
    assert!(tmp.path().join("book").join(url).is_file(), "{url}");
    let teams: Vec<String> =
        names(&tmp.path().join("book/teams")).into_iter().filter(|n| !n.ends_with(".html")).collect();
    assert_eq!(teams.len(), 1);
    assert_eq!(teams[0].len(), 100, "{teams:?}");
}

#[test]
fn a_cycle_of_ten_thousand_goals_is_one_diagnostic() {
    let tmp = tempfile::tempdir().unwrap();
    let n = 10_000;
    std::fs::create_dir_all(tmp.path().join("goals")).unwrap();
    for i in 0..n {
        let text = format!("+++\ntitle = \"Goal {i} of the loop\"\nparent = \"g{}\"\n+++\n", (i + 1) % n);
        std::fs::write(tmp.path().join(format!("goals/g{i}.md")), text).unwrap();
    }
    let (code, out, _) = run(tmp.path(), &["check"]);
    assert_eq!(code, 1);
    let cycles: Vec<&str> = out.lines().filter(|l| l.contains("error[cycle]")).collect();
    assert_eq!(cycles.len(), 1);
    // Every member once: about 7 bytes an id, not 10,000 × 10,000.
    assert!(cycles[0].len() < 12 * n, "{}", cycles[0].len());
    assert!(
        cycles[0].starts_with("goals/g0.md:3: error[cycle]: the parent chain loops: g0 → g1 → g2 →"),
        "{}",
        &cycles[0][..200]
    );
    assert_eq!(cycles[0].matches(" → g5000 →").count(), 1);
}

#[test]
fn a_deep_parent_chain_has_bounded_pages_and_one_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let n = 1_000;
    std::fs::create_dir_all(tmp.path().join("goals")).unwrap();
    for i in 0..n {
        let parent = if i == 0 { String::new() } else { format!("parent = \"g{}\"\n", i - 1) };
        let text = format!("+++\ntitle = \"Level {i} goal of the long chain\"\nowner = \"lan\"\n{parent}+++\n");
        std::fs::write(tmp.path().join(format!("goals/g{i}.md")), text).unwrap();
    }
    let (code, _, err) = run(tmp.path(), &["build", "--as-of", "2026-11-24"]);
    assert_eq!(code, 0, "{err}");
    let deep: Vec<&str> = err.lines().filter(|l| l.contains("levels below its top goal")).collect();
    assert_eq!(deep.len(), 1, "{deep:?}");
    assert!(
        deep[0].starts_with("goals/g21.md:4: warning[smart-relevant]: `g21` is 21 levels below its top goal"),
        "{}",
        deep[0]
    );
    let page = std::fs::read_to_string(tmp.path().join("book/goals/g999/index.html")).unwrap();
    let nav = page.split("<nav class=\"breadcrumb\"").nth(1).unwrap().split("</nav>").next().unwrap();
    // Dashboard, top goal, `…`, six nearest ancestors, the goal itself.
    assert_eq!(nav.matches("<li>").count(), 10, "{nav}");
    assert!(nav.contains("Level 0 goal") && nav.contains(">…</a>") && nav.contains("Level 993 goal"), "{nav}");
    assert!(!nav.contains("Level 500 goal"));
    // Every page stays small: the site grows linearly with the chain.
    let mut total = 0u64;
    for e in walkdir::WalkDir::new(tmp.path().join("book")) {
        total += e.unwrap().metadata().unwrap().len();
    }
    assert!(page.len() < 200_000, "{}", page.len());
    // The cascade diagram stays bounded too (SPEC §5: at most 200 nodes a diagram).
    let cascade = std::fs::read_to_string(tmp.path().join("book/cascade/index.html")).unwrap();
    assert!(cascade.len() < 200_000, "{}", cascade.len());
    eprintln!("a {n}-deep chain: a site of {} MiB", total >> 20);
}

#[test]
fn owners_and_teams_that_slug_alike_get_a_warning_naming_both() {
    let a = GOAL.replace("owner = \"lan\"", "owner = \"Lan Nguyen\"\nteam = \"Sales Team\"");
    let b = GOAL.replace("owner = \"lan\"", "owner = \"lan.nguyen\"\nteam = \"sales-team\"");
    let tmp = temp_repo(&[("goals/a.md", &a), ("goals/b.md", &b)]);
    let (code, out, _) = run(tmp.path(), &["check"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("goals/b.md:3: warning[duplicate-id]: owner \"lan.nguyen\" and owner \"Lan Nguyen\" have the same page (`lan-nguyen`)"), "{out}");
    assert!(out.contains("goals/b.md:4: warning[duplicate-id]: team \"sales-team\" and team \"Sales Team\" have the same page (`sales-team`)"), "{out}");
}

#[test]
fn period_years_outside_the_date_range_are_errors() {
    for period in ["9999-Q4", "1066", "2201-03"] {
        let goal = GOAL.replace("2026-Q4", period);
        let tmp = temp_repo(&[("goals/a.md", &goal)]);
        let (code, out, _) = run(tmp.path(), &["check"]);
        assert_eq!(code, 1, "{period}: {out}");
        assert!(
            out.contains(&format!("goals/a.md:4: error[bad-dates]: period \"{period}\" is not a plausible period; use a year between 1970 and 2200")),
            "{out}"
        );
    }
}

#[test]
fn values_whose_progress_is_not_finite_are_errors() {
    let goal = GOAL.replace("baseline = 0\ntarget = 20", "baseline = -1.7e308\ntarget = 1.7e308\ncurrent = 5");
    let tmp = temp_repo(&[("goals/a.md", &goal)]);
    let (code, out, _) = run(tmp.path(), &["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[bad-value]: the numbers of `a` are too large to compute its progress"), "{out}");
    let fine = GOAL.replace("target = 20", "target = 1e300");
    let tmp = temp_repo(&[("goals/a.md", &fine)]);
    assert_eq!(run(tmp.path(), &["check"]).0, 0);
}
