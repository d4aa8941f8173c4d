//! `goalbook checkin GOAL VALUE`: the goal file changes only by the appended
//! `[[checkin]]` table (and `current`), whatever its comments, key order and
//! line endings; bad input is refused with a clear error and no change.

use crate::common::{bin, temp_repo};
use std::path::Path;

fn checkin(root: &Path, args: &[&str]) -> (i32, String, String) {
    let out = bin().arg("checkin").args(args).arg("--dir").arg(root).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap()
}

const COMMENTED: &str = r#"+++
# Owned by marketing; reviewed every Monday.
target   = 400        # the Q4 goal
title = "Generate 400 marketing-qualified leads in Q4"
period="2026-Q4"
baseline = 50
kind = "key-result"

[[checkin]]   # first one
value = 80
date = 2026-10-15
note = 'Webinar registrations opened'

[[milestone]]
date = 2026-11-15
target = 250
# trailing comment
+++

## Plan
- [ ] Run the webinar
"#;

#[test]
fn comments_spacing_and_key_order_are_kept() {
    let tmp = temp_repo(&[("goals/mqls.md", COMMENTED)]);
    let (code, out, err) = checkin(tmp.path(), &["mqls", "210", "--date", "2026-11-20", "--note", "Webinar \"done\""]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "goals/mqls.md: check-in 2026-11-20 = 210\n");
    let expected = COMMENTED.replace(
        "note = 'Webinar registrations opened'\n",
        "note = 'Webinar registrations opened'\n\n[[checkin]]\ndate = 2026-11-20\nvalue = 210\nnote = \"Webinar \\\"done\\\"\"\n",
    );
    assert_eq!(read(tmp.path(), "goals/mqls.md"), expected);
}

#[test]
fn crlf_files_stay_crlf_and_current_is_updated() {
    let text = "+++\r\ncurrent = 12.5 # hand-edited\r\ntitle = \"Cut the churn rate to 2% in Q4\"\r\nperiod = \"2026-Q4\"\r\nbaseline = 20\r\ntarget = 2\r\nunit = \"%\"\r\n+++\r\nBody\r\n";
    let tmp = temp_repo(&[("goals/churn.md", text)]);
    let (code, out, err) = checkin(tmp.path(), &["churn", "9.75", "--date", "2026-11-20", "--confidence", "0.6"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "goals/churn.md: check-in 2026-11-20 = 9.75; current 12.5 → 9.75\n");
    let expected = "+++\r\ncurrent = 9.75 # hand-edited\r\ntitle = \"Cut the churn rate to 2% in Q4\"\r\nperiod = \"2026-Q4\"\r\nbaseline = 20\r\ntarget = 2\r\nunit = \"%\"\r\n\r\n[[checkin]]\r\ndate = 2026-11-20\r\nvalue = 9.75\r\nconfidence = 0.6\r\n+++\r\nBody\r\n";
    assert_eq!(read(tmp.path(), "goals/churn.md"), expected);
}

#[test]
fn a_back_filled_check_in_leaves_current_alone() {
    let text = "+++\ntitle = \"Reach 400 MQLs in Q4\"\nperiod = \"2026-Q4\"\ntarget = 400\ncurrent = 210\n\n[[checkin]]\ndate = 2026-11-01\nvalue = 200\n+++\n";
    let tmp = temp_repo(&[("goals/kr.md", text)]);
    let (code, out, _) = checkin(tmp.path(), &["kr", "150", "--date", "2026-10-20"]);
    assert_eq!(code, 0);
    assert_eq!(out, "goals/kr.md: check-in 2026-10-20 = 150; `current` unchanged, because a later check-in exists\n");
    assert_eq!(
        read(tmp.path(), "goals/kr.md"),
        text.replace("value = 200\n", "value = 200\n\n[[checkin]]\ndate = 2026-10-20\nvalue = 150\n")
    );
}

#[test]
fn the_date_defaults_to_today_and_negative_values_work() {
    let text = "+++\ntitle = \"Keep the temperature at -5 or lower\"\nkind = \"kpi\"\ntarget = -5\ndirection = \"decrease\"\n+++";
    let tmp = temp_repo(&[("goals/cold/room.md", text)]);
    // 2026-11-24 00:00 UTC
    let out = bin()
        .args(["checkin", "cold/room", "-7"])
        .arg("--dir")
        .arg(tmp.path())
        .env("SOURCE_DATE_EPOCH", "1795478400")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The last line had no line break: one is added before the new table.
    assert_eq!(
        read(tmp.path(), "goals/cold/room.md"),
        "+++\ntitle = \"Keep the temperature at -5 or lower\"\nkind = \"kpi\"\ntarget = -5\ndirection = \"decrease\"\n\n[[checkin]]\ndate = 2026-11-24\nvalue = -7\n+++"
    );
}

#[test]
fn the_new_check_in_is_read_back() {
    let tmp = temp_repo(&[("goals/mqls.md", COMMENTED)]);
    assert_eq!(checkin(tmp.path(), &["mqls", "210", "--date", "2026-11-20", "--confidence", "1"]).0, 0);
    let project = goalbook::load_project(tmp.path(), chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()).unwrap();
    let goal = project.repo.get("mqls").unwrap();
    let last = goal.checkins.last().unwrap();
    assert_eq!(
        (last.date.to_string(), last.value, last.confidence, last.line),
        ("2026-11-20".into(), 210.0, Some(1.0), 14)
    );
    assert!(!project.has_errors());
}

/// Runs a failing check-in and returns its error text, after checking that
/// nothing was written.
fn refused(args: &[&str]) -> String {
    let tmp = temp_repo(&[("goals/marketing/mqls.md", COMMENTED)]);
    let (code, out, err) = checkin(tmp.path(), args);
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(read(tmp.path(), "goals/marketing/mqls.md"), COMMENTED);
    err
}

#[test]
fn an_unknown_goal_suggests_the_nearest_id() {
    assert_eq!(
        refused(&["marketing/mqsl", "5"]),
        "error: no goal has the id `marketing/mqsl`; did you mean `marketing/mqls`?\n"
    );
    assert_eq!(
        refused(&["sales/revenue-growth", "5"]),
        "error: no goal has the id `sales/revenue-growth`; a goal's id is its file path under the goals folder without `.md`\n"
    );
}

#[test]
fn a_value_that_is_not_a_number_is_refused() {
    for bad in ["abc", "12%", "1,000", "NaN", "inf"] {
        assert_eq!(
            refused(&["marketing/mqls", bad]),
            format!(
                "error: the value `{bad}` is not a number; write it like 260 or 12.5 (no units or thousands separators)\n"
            )
        );
    }
}

#[test]
fn bad_dates_and_confidences_are_refused() {
    assert_eq!(
        refused(&["marketing/mqls", "5", "--date", "2026-13-01"]),
        "error: --date `2026-13-01` is not a date; write it as YYYY-MM-DD, e.g. 2026-11-24\n"
    );
    assert_eq!(
        refused(&["marketing/mqls", "5", "--date", "24/11/2026"]),
        "error: --date `24/11/2026` is not a date; write it as YYYY-MM-DD, e.g. 2026-11-24\n"
    );
    assert_eq!(
        refused(&["marketing/mqls", "5", "--date", "2028-11-24"]),
        "error: the check-in was not added to `goals/marketing/mqls.md`: check-in date 2028-11-24 is far outside the goal's dates; fix the year\n"
    );
    assert_eq!(
        refused(&["marketing/mqls", "5", "--date", "2026-11-24", "--confidence", "80"]),
        "error: --confidence `80` must be between 0 and 1, e.g. 0.8 for 80% sure\n"
    );
}

#[test]
fn twenty_parallel_checkins_all_land() {
    let text = "+++\ntitle = \"Sign 20 new customers in Q4\"\nperiod = \"2026-Q4\"\nbaseline = 0\ntarget = 20\n+++\n";
    let tmp = temp_repo(&[("goals/sales.md", text)]);
    let children: Vec<_> = (1..=20)
        .map(|i| {
            bin()
                .arg("checkin")
                .args(["sales", &i.to_string(), "--date", "2026-11-20"])
                .arg("--dir")
                .arg(tmp.path())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let after = read(tmp.path(), "goals/sales.md");
    let mut values: Vec<u32> =
        after.lines().filter_map(|l| l.strip_prefix("value = ")).map(|v| v.parse().unwrap()).collect();
    values.sort();
    assert_eq!(values, (1..=20).collect::<Vec<_>>(), "{after}");
    let leftovers: Vec<_> =
        std::fs::read_dir(tmp.path().join("goals")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("sales.md")]);
}
