//! `goalbook remind` (SPEC §4): for a repository with stale, missing,
//! due-soon and off-track goals, and people with and without GitHub handles,
//! the exact Markdown of the weekly issue, the text and the JSON.

use crate::common::{bin, fixture, temp_repo};

fn remind(dir: &std::path::Path, args: &[&str]) -> String {
    let out = bin().arg("remind").arg(dir).arg("--as-of").arg("2026-11-24").args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn markdown_mentions_owners_by_handle_and_names_every_reason() {
    // fixture: mqls is stale (last check-in 40 days ago) and behind; webinar is
    // due in 6 days; calls has no check-in 54 days into Q4; uptime is a kpi
    // below its warning with no check-in; tidy has no owner, is due in 7 days
    // and behind; demos is on track, done is achieved and later is upcoming,
    // so none of those three is listed. khoa has a name and no handle, minh is
    // not in [people].
    assert_eq!(
        remind(&fixture("remind"), &["--format", "markdown"]),
        r"## Goals that need their owners, as of 2026-11-24

5 goals that need a check-in (none for more than 21 days), are due within 14 days or are off track. Record progress with `goalbook checkin GOAL VALUE` or by editing the goal file.

### Bùi Khoa (`khoa`)

- [ ] **Make 100 sales calls in Q4** (`sales/calls`): no check-in in the 54 days since it started; off track (0% done, 59% expected by now)

### Nguyễn Thị Lan (@lan-nguyen)

- [ ] **Generate 400 MQLs in Q4** (`marketing/mqls`): last check-in 2026-10-15, 40 days ago; off track (20% done, 59% expected by now)
- [ ] **Get 500 webinar registrations in November** (`marketing/webinar`): due in 6 days (2026-11-30)

### minh

- [ ] **Keep uptime at 99.9% or more** (`ops/uptime`): no check-in yet; off track

### No owner

- [ ] **Tidy the \[shared\] drive \*before\* December 1** (`misc/tidy`): due in 7 days (2026-12-01); off track (50% done, 77% expected by now)
"
    );
}

#[test]
fn within_narrows_what_is_due_soon() {
    let md = remind(&fixture("remind"), &["--format", "markdown", "--within", "6"]);
    assert!(md.contains("(`marketing/webinar`): due in 6 days (2026-11-30)\n"));
    assert!(md.contains("(`misc/tidy`): off track (50% done, 77% expected by now)\n"), "{md}");
    let md = remind(&fixture("remind"), &["--format", "markdown", "--within", "5"]);
    assert!(!md.contains("marketing/webinar"), "{md}");
    assert!(md.starts_with("## Goals that need their owners, as of 2026-11-24\n\n4 goals that need"), "{md}");
}

#[test]
fn text_and_json() {
    assert_eq!(
        remind(&fixture("remind"), &[]),
        "Bùi Khoa (khoa)
  Make 100 sales calls in Q4 (sales/calls): no check-in in the 54 days since it started; off track (0% done, 59% expected by now)

Nguyễn Thị Lan (@lan-nguyen)
  Generate 400 MQLs in Q4 (marketing/mqls): last check-in 2026-10-15, 40 days ago; off track (20% done, 59% expected by now)
  Get 500 webinar registrations in November (marketing/webinar): due in 6 days (2026-11-30)

minh
  Keep uptime at 99.9% or more (ops/uptime): no check-in yet; off track

No owner
  Tidy the [shared] drive *before* December 1 (misc/tidy): due in 7 days (2026-12-01); off track (50% done, 77% expected by now)
"
    );
    let json: serde_json::Value = serde_json::from_str(&remind(&fixture("remind"), &["--format", "json"])).unwrap();
    assert_eq!(json["as_of"], "2026-11-24");
    let people: Vec<(&str, &str)> = json["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["owner"].as_str().unwrap_or("-"), p["github"].as_str().unwrap_or("-")))
        .collect();
    assert_eq!(people, [("khoa", "-"), ("lan", "lan-nguyen"), ("minh", "-"), ("-", "-")]);
    assert_eq!(
        json["people"][1]["goals"][0]["reasons"],
        serde_json::json!([
            {"kind": "stale", "days": 40, "last": "2026-10-15"},
            {"kind": "off-track", "progress": 0.2, "expected": 0.5934065934065934}
        ])
    );
    assert_eq!(json["people"][2]["goals"][0]["reasons"][0], serde_json::json!({"kind": "missing", "days": null}));
}

#[test]
fn nothing_to_do() {
    let tmp = temp_repo(&[(
        "goals/a.md",
        "+++\ntitle = \"Run 8 demos in Q4\"\nowner = \"x\"\nperiod = \"2026-Q4\"\ntarget = 8\n\n[[checkin]]\ndate = 2026-11-20\nvalue = 5\n+++\n",
    )]);
    assert_eq!(
        remind(tmp.path(), &["--format", "markdown"]),
        "## Goals that need their owners, as of 2026-11-24\n\nNothing to do: every active goal has a check-in from the last 21 days, none is due within 14 days and none is off track.\n"
    );
    assert_eq!(remind(tmp.path(), &[]), "Nothing to do as of 2026-11-24.\n");
}

#[test]
fn a_vietnamese_book_gets_vietnamese_reminders() {
    let tmp = temp_repo(&[
        (
            "book.toml",
            "[book]\ntitle = \"Sao Mai\"\nlanguage = \"vi\"\n\n[people]\nlan = { name = \"Nguyễn Thị Lan\", github = \"lan-nguyen\" }\n",
        ),
        (
            "goals/mqls.md",
            "+++\ntitle = \"Tạo 400 khách hàng tiềm năng trong Q4\"\nowner = \"lan\"\nperiod = \"2026-Q4\"\ntarget = 400\n\n[[checkin]]\ndate = 2026-10-15\nvalue = 80\n+++\n",
        ),
    ]);
    assert_eq!(
        remind(tmp.path(), &["--format", "markdown"]),
        "## Mục tiêu cần người phụ trách, tính đến 2026-11-24

1 mục tiêu cần cập nhật tiến độ (không có cập nhật nào quá 21 ngày), đến hạn trong 14 ngày tới hoặc đang chậm tiến độ. Ghi nhận tiến độ bằng `goalbook checkin GOAL VALUE` hoặc sửa tệp mục tiêu.

### Nguyễn Thị Lan (@lan-nguyen)

- [ ] **Tạo 400 khách hàng tiềm năng trong Q4** (`mqls`): cập nhật gần nhất 2026-10-15, cách đây 40 ngày; chậm tiến độ (đạt 20%, kỳ vọng 59% đến nay)
"
    );
}
