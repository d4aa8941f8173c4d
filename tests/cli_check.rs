//! `goalbook check` on fixture repositories: one per diagnostic code of SPEC §2.

use crate::common;
use crate::common::{bin, fixture};
use serde_json::Value;

fn check_json(name: &str, extra: &[&str]) -> (i32, Vec<Value>) {
    let out = bin()
        .args(["check", "--format", "json", "--as-of", "2026-11-24"])
        .args(extra)
        .arg(fixture(name))
        .output()
        .unwrap();
    let diags: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    (out.status.code().unwrap(), diags)
}

/// Asserts that `code` is reported at `file:line` with `severity`, and the exit code.
fn expect(name: &str, code: &str, file: &str, line: u64, severity: &str, exit: i32) {
    let (status, diags) = check_json(name, &[]);
    assert_eq!(status, exit, "{name}: exit code; diagnostics: {diags:#?}");
    let found =
        diags.iter().any(|d| d["code"] == code && d["file"] == file && d["line"] == line && d["severity"] == severity);
    assert!(found, "{name}: expected {severity} {code} at {file}:{line}, got {diags:#?}");
    for d in &diags {
        assert!(!d["message"].as_str().unwrap().is_empty());
    }
}

#[test]
fn parse() {
    expect("diag-parse", "parse", "goals/kr.md", 2, "error", 1);
    expect("diag-parse", "parse", "goals/unclosed.md", 1, "error", 1);
}

#[test]
fn unknown_field_suggests_the_nearest_key() {
    expect("diag-unknown-field", "unknown-field", "goals/kr.md", 2, "error", 1);
    let (_, diags) = check_json("diag-unknown-field", &[]);
    assert!(diags[0]["message"].as_str().unwrap().contains("did you mean `title`?"));
}

#[test]
fn bad_value() {
    expect("diag-bad-value", "bad-value", "goals/kr.md", 2, "error", 1);
}

#[test]
fn duplicate_id() {
    expect("diag-duplicate-id", "duplicate-id", "goals/other.md", 2, "error", 1);
}

#[test]
fn missing_parent() {
    expect("diag-missing-parent", "missing-parent", "goals/kr.md", 10, "error", 1);
}

#[test]
fn cycle_is_reported_once_naming_every_goal_of_the_loop() {
    expect("diag-cycle", "cycle", "goals/a.md", 3, "error", 1);
    let (_, diags) = check_json("diag-cycle", &[]);
    let cycles: Vec<&Value> = diags.iter().filter(|d| d["code"] == "cycle").collect();
    assert_eq!(cycles.len(), 1, "{cycles:#?}");
    assert!(cycles[0]["message"].as_str().unwrap().contains("the parent chain loops: a → b → a;"), "{cycles:#?}");
}

#[test]
fn bad_dates() {
    expect("diag-bad-dates", "bad-dates", "goals/kr.md", 10, "error", 1);
}

#[test]
fn zero_range() {
    expect("diag-zero-range", "zero-range", "goals/kr.md", 8, "error", 1);
}

#[test]
fn smart_warnings_exit_zero() {
    expect("diag-smart-specific", "smart-specific", "goals/kr.md", 2, "warning", 0);
    expect("diag-smart-measurable", "smart-measurable", "goals/kr.md", 2, "warning", 0);
    expect("diag-smart-achievable", "smart-achievable", "goals/kr.md", 8, "warning", 0);
    expect("diag-smart-relevant", "smart-relevant", "goals/kr.md", 2, "warning", 0);
    expect("diag-smart-time-bound", "smart-time-bound", "goals/kr.md", 2, "warning", 0);
    expect("diag-stale-checkin", "stale-checkin", "goals/kr.md", 10, "warning", 0);
}

#[test]
fn strict_fails_on_warnings() {
    let (status, _) = check_json("diag-smart-specific", &["--strict"]);
    assert_eq!(status, 1);
}

#[test]
fn several_problems_are_all_reported_in_one_run() {
    let (status, diags) = check_json("several-problems", &[]);
    assert_eq!(status, 1);
    let got: Vec<(String, String, u64)> = diags
        .iter()
        .map(|d| (d["file"].as_str().unwrap().into(), d["code"].as_str().unwrap().into(), d["line"].as_u64().unwrap()))
        .collect();
    let want = [
        ("goals/bad.md", "parse", 2),
        ("goals/kr.md", "unknown-field", 2),
        ("goals/kr.md", "zero-range", 9),
        ("goals/kr.md", "missing-parent", 11),
        ("goals/vague.md", "smart-specific", 2),
        ("goals/vague.md", "smart-specific", 2),
    ];
    let want: Vec<(String, String, u64)> = want.iter().map(|(f, c, l)| (f.to_string(), c.to_string(), *l)).collect();
    assert_eq!(got, want);
}

#[test]
fn text_and_github_formats() {
    let out = bin().args(["check", "--as-of", "2026-11-24"]).arg(fixture("diag-zero-range")).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("goals/kr.md:8: error[zero-range]: `target` equals `baseline` (100)"), "{text}");
    assert!(text.ends_with("1 error(s), 0 warning(s)\n"), "{text}");
    let out = bin()
        .args(["check", "--format", "github", "--as-of", "2026-11-24"])
        .arg(fixture("diag-zero-range"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("::error file=goals/kr.md,line=8,title=zero-range::`target` equals"), "{text}");
}

#[test]
fn usage_and_io_errors_exit_2() {
    let out = bin().args(["check", "--format", "yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin().args(["check", "/nonexistent/goalbook-repo"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin().args(["check", "--as-of", "24/11/2026"]).arg(fixture("diag-zero-range")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn book_toml_problems_name_book_toml_and_line() {
    let repo = common::temp_repo(&[
        ("book.toml", "[book]\ntitle = \"Acme\"\n\n[status]\nstale-after-dayz = 10\n"),
        (
            "goals/a.md",
            "+++\ntitle = \"Generate 400 MQLs in Q4\"\nowner = \"x\"\nperiod = \"2026-Q4\"\ntarget = 400\n+++\n",
        ),
    ]);
    let out = bin().args(["check", "--as-of", "2026-11-24"]).arg(repo.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("book.toml:5: error[unknown-field]: unknown key `stale-after-dayz` in [status]; did you mean `stale-after-days`?"),
        "{text}"
    );
    std::fs::write(repo.path().join("book.toml"), "[book\ntitle = 1\n").unwrap();
    let out = bin().args(["check", "--as-of", "2026-11-24"]).arg(repo.path()).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("book.toml:1: error[parse]: invalid TOML"), "{text}");
}
