//! `goalbook diff BASE [HEAD]` on temporary git repositories made here with
//! libgit2 (commit dates fixed, so the output is exact).

use crate::common::bin;
use std::path::Path;

/// Commits every file of the work tree (additions, changes and deletions) at noon UTC of `date`.
fn commit(git: &git2::Repository, date: &str, message: &str) -> git2::Oid {
    let mut index = git.index().unwrap();
    index.add_all(["*"], git2::IndexAddOption::DEFAULT, None).unwrap();
    index.update_all(["*"], None).unwrap();
    index.write().unwrap();
    let tree = git.find_tree(index.write_tree().unwrap()).unwrap();
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    let secs = day.and_hms_opt(12, 0, 0).unwrap().and_utc().timestamp();
    let sig = git2::Signature::new("Test", "test@example.com", &git2::Time::new(secs, 0)).unwrap();
    let parent = git.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    git.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents).unwrap()
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn goal(title: &str, extra: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nowner = \"an\"\nperspective = \"finance\"\n{extra}+++\n")
}

/// A repository with two commits (`base` is a branch on the first), the
/// changes of every kind `diff` reports.
fn two_revisions() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let git = git2::Repository::init(root).unwrap();
    write(root, "book.toml", "[book]\ntitle = \"T\"\n");
    write(
        root,
        "goals/company/grow.md",
        &goal("Grow the company in 2026", "kind = \"objective\"\nperiod = \"2026\"\n"),
    );
    let kr = |target: u32, current: u32| {
        format!(
            "kind = \"key-result\"\nparent = \"company/grow\"\nperiod = \"2026-Q4\"\nbaseline = 0\ntarget = {target}\ncurrent = {current}\n"
        )
    };
    write(root, "goals/sales/revenue.md", &goal("Sell 400 units in Q4", &kr(400, 100)));
    write(root, "goals/sales/deals.md", &goal("Close 40 deals in Q4", &kr(40, 10)));
    write(root, "goals/ops/old.md", &goal("Retire the old warehouse in Q4", &kr(1, 0)));
    let kpi = |target: u32| {
        format!("kind = \"kpi\"\nparent = \"company/grow\"\ntarget = {target}\ndirection = \"decrease\"\ncurrent = 3\n")
    };
    write(root, "goals/ops/incidents.md", &goal("Keep incidents at 2 or fewer a month", &kpi(2)));
    let first = commit(&git, "2026-10-01", "base");
    git.branch("base", &git.find_commit(first).unwrap(), false).unwrap();

    write(root, "goals/sales/revenue.md", &goal("Sell 300 units in Q4", &kr(300, 150)));
    let moved = "kind = \"key-result\"\nparent = \"company/grow\"\nstart = 2026-10-01\ndue = 2027-01-31\nbaseline = 0\ntarget = 40\ncurrent = 10\n";
    write(root, "goals/sales/deals.md", &goal("Close 40 deals in Q4", moved));
    std::fs::remove_file(root.join("goals/ops/old.md")).unwrap();
    let new = "kind = \"key-result\"\nparent = \"company/grow\"\nperiod = \"2027-Q1\"\nbaseline = 0\ntarget = 1\n";
    write(root, "goals/ops/new-warehouse.md", &goal("Open the new warehouse in Q1 2027", new));
    write(root, "goals/ops/incidents.md", &goal("Keep incidents at 2 or fewer a month", &kpi(4)));
    commit(&git, "2026-11-20", "head");
    tmp
}

fn diff(root: &Path, args: &[&str]) -> (i32, String, String) {
    let out = bin().arg("diff").args(args).args(["--as-of", "2026-11-24", "--dir"]).arg(root).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn markdown_reports_every_change_and_calls_out_lowered_targets_and_moved_deadlines() {
    let tmp = two_revisions();
    let (code, out, err) = diff(tmp.path(), &["base"]);
    assert_eq!(code, 0, "{err}");
    let expected = "## Goal changes: `base` → `HEAD`

As of 2026-11-24: 1 added, 1 removed, 4 changed.
**Needs attention:** 2 lowered target(s), 1 deadline(s) moved after the period started.

### Added

- `ops/new-warehouse` **Open the new warehouse in Q1 2027**: key-result, target 1, due 2027-03-31, upcoming, 0%

### Removed

- `ops/old` **Retire the old warehouse in Q4**: key-result, target 1, due 2026-12-31, off-track, 0%

### Changed

`company/grow` **Grow the company in 2026**

- progress: 17% → 25%
- status: off-track → at-risk

`ops/incidents` **Keep incidents at 2 or fewer a month**

- target: 2 → 4 — ⚠️ **target lowered**
- status: off-track → achieved

`sales/deals` **Close 40 deals in Q4**

- period: 2026-Q4 → —
- due: 2026-12-31 → 2027-01-31 — ⚠️ **deadline moved after the period started**

`sales/revenue` **Sell 300 units in Q4**

- title: Sell 400 units in Q4 → Sell 300 units in Q4
- target: 400 → 300 — ⚠️ **target lowered**
- current: 100 → 150
- progress: 25% → 50%
- status: off-track → at-risk
";
    assert_eq!(out, expected);
}

#[test]
fn json_has_the_same_report() {
    let tmp = two_revisions();
    let (code, out, err) = diff(tmp.path(), &["base", "HEAD", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["base"], "base");
    assert_eq!(v["head"], "HEAD");
    assert_eq!(v["as_of"], "2026-11-24");
    assert_eq!(v["errors"], serde_json::json!({"base": 0, "head": 0}));
    assert_eq!(
        v["added"],
        serde_json::json!([{
            "id": "ops/new-warehouse", "title": "Open the new warehouse in Q1 2027", "kind": "key-result",
            "target": 1.0, "unit": null, "due": "2027-03-31", "status": "upcoming", "progress": 0.0
        }])
    );
    assert_eq!(v["removed"][0]["id"], "ops/old");
    let changed: Vec<&str> = v["changed"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(changed, ["company/grow", "ops/incidents", "sales/deals", "sales/revenue"]);
    assert_eq!(
        v["changed"][2]["changes"],
        serde_json::json!([
            {"field": "period", "before": "2026-Q4", "after": null},
            {"field": "due", "before": "2026-12-31", "after": "2027-01-31", "warning": "deadline-moved-after-start"}
        ])
    );
    assert_eq!(
        v["changed"][3]["changes"][1],
        serde_json::json!({"field": "target", "before": 400.0, "after": 300.0, "warning": "lowered-target"})
    );
    assert_eq!(v["changed"][3]["changes"][3], serde_json::json!({"field": "progress", "before": 0.25, "after": 0.5}));
}

#[test]
fn identical_revisions_have_no_changes() {
    let tmp = two_revisions();
    let (code, out, _) = diff(tmp.path(), &["HEAD", "HEAD"]);
    assert_eq!(code, 0);
    assert_eq!(out, "## Goal changes: `HEAD` → `HEAD`\n\nNo goal changes (as of 2026-11-24).\n");
}

#[test]
fn a_revision_without_goals_adds_them_all_and_errors_are_flagged() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let git = git2::Repository::init(root).unwrap();
    write(root, "README.md", "hello\n");
    commit(&git, "2026-10-01", "no goals yet");
    write(root, "goals/a.md", &goal("Ship 3 releases in Q4", "period = \"2026-Q4\"\ntarget = 3\n"));
    write(root, "goals/broken.md", "+++\ntitle = \n+++\n");
    commit(&git, "2026-10-02", "goals");
    let (code, out, err) = diff(root, &["HEAD~1"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "## Goal changes: `HEAD~1` → `HEAD`

> [!WARNING]
> `HEAD` has 1 error(s); run `goalbook check` there.

As of 2026-11-24: 1 added, 0 removed, 0 changed.

### Added

- `a` **Ship 3 releases in Q4**: key-result, target 3, due 2026-12-31, off-track, 0%
"
    );
}

#[test]
fn goals_in_a_subfolder_of_the_git_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let git = git2::Repository::init(root).unwrap();
    write(
        root,
        "docs/okr/goals/a.md",
        &goal("Ship 3 releases in Q4", "period = \"2026-Q4\"\ntarget = 3\ncurrent = 1\n"),
    );
    commit(&git, "2026-10-01", "one");
    write(
        root,
        "docs/okr/goals/a.md",
        &goal("Ship 3 releases in Q4", "period = \"2026-Q4\"\ntarget = 3\ncurrent = 2\n"),
    );
    commit(&git, "2026-10-02", "two");
    let (code, out, err) = diff(&root.join("docs/okr"), &["HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["changed"][0]["id"], "a");
    assert_eq!(v["changed"][0]["changes"][0], serde_json::json!({"field": "current", "before": 1.0, "after": 2.0}));
}

#[test]
fn unknown_revisions_and_folders_outside_git_are_errors() {
    let tmp = two_revisions();
    let (code, _, err) = diff(tmp.path(), &["nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("git revision `nope` not found"), "{err}");
    let plain = tempfile::tempdir().unwrap();
    let (code, _, err) = diff(plain.path(), &["HEAD"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not inside a git work tree"), "{err}");
}

#[test]
fn every_user_field_is_escaped_and_mentions_notify_no_one() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let git = git2::Repository::init(root).unwrap();
    write(root, "goals/a.md", &goal("Grow 2026", "period = \"2026\"\n"));
    commit(&git, "2026-10-01", "base");
    git.branch("base", &git.head().unwrap().peel_to_commit().unwrap(), false).unwrap();
    let hostile = "kind = \"key-result\"\nperiod = \"2026-Q4\"\nbaseline = 0\ntarget = 5\nunit = \"<img src=x onerror=alert(1)> @acme/admins **x**\"\n";
    write(root, "goals/b.md", &goal("Ping @lan and <b>[all](https://evil.example)</b>", hostile));
    commit(&git, "2026-11-20", "head");
    let (code, out, err) = diff(root, &["base"]);
    assert_eq!(code, 0, "{err}");
    let line = out.lines().find(|l| l.starts_with("- `b`")).unwrap_or_else(|| panic!("{out}"));
    assert_eq!(
        line,
        "- `b` **Ping @\u{200b}lan and \\<b\\>\\[all\\]\\(https\\://evil.example\\)\\</b\\>**: key-result, target 5\\<img src=x onerror=alert\\(1\\)\\> @\u{200b}acme/admins \\*\\*x\\*\\*, due 2026-12-31, off-track, 0%"
    );
}

#[test]
fn a_commit_with_folders_nested_thousands_deep_is_a_clear_error_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let git = git2::Repository::init(root).unwrap();
    write(root, "goals/a.md", &goal("Grow 2026", "period = \"2026\"\n"));
    commit(&git, "2026-10-01", "base");
    // A tree 30,000 folders deep under goals/, built bottom-up.
    let blob = git.blob(goal("Deep 2026", "period = \"2026\"\n").as_bytes()).unwrap();
    let mut b = git.treebuilder(None).unwrap();
    b.insert("g.md", blob, 0o100644).unwrap();
    let mut id = b.write().unwrap();
    for _ in 0..30_000 {
        let mut b = git.treebuilder(None).unwrap();
        b.insert("d", id, 0o040000).unwrap();
        id = b.write().unwrap();
    }
    let head = git.head().unwrap().peel_to_commit().unwrap();
    let mut top = git.treebuilder(Some(&head.tree().unwrap())).unwrap();
    let mut goals = git
        .treebuilder(Some(
            &head
                .tree()
                .unwrap()
                .get_path(Path::new("goals"))
                .unwrap()
                .to_object(&git)
                .unwrap()
                .peel_to_tree()
                .unwrap(),
        ))
        .unwrap();
    goals.insert("deep", id, 0o040000).unwrap();
    top.insert("goals", goals.write().unwrap(), 0o040000).unwrap();
    let tree = git.find_tree(top.write().unwrap()).unwrap();
    let sig = git2::Signature::new("Test", "test@example.com", &git2::Time::new(1_790_000_000, 0)).unwrap();
    let deep = git.commit(None, &sig, &sig, "deep", &tree, &[&head]).unwrap();
    let (code, _, err) = diff(root, &["HEAD", &deep.to_string()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is nested more than 64 folders deep in the goals folder"), "{err}");
}

/// SPEC §4: the report speaks the head revision's `book.language`.
#[test]
fn markdown_follows_the_book_language() {
    let tmp = two_revisions();
    let root = tmp.path();
    write(root, "book.toml", "[book]\ntitle = \"T\"\nlanguage = \"vi\"\n");
    let git = git2::Repository::open(root).unwrap();
    commit(&git, "2026-11-21", "vi");
    let (code, out, err) = diff(root, &["base"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("## Thay đổi mục tiêu: `base` → `HEAD`\n\nTính đến 2026-11-24: thêm 1, xóa 1, thay đổi 4.\n**Cần chú ý:** 2 chỉ tiêu bị hạ, 1 hạn chót bị dời sau khi kỳ đã bắt đầu.\n\n### Thêm mới\n"), "{out}");
    assert!(out.contains("- target: 2 → 4 — ⚠\u{fe0f} **chỉ tiêu bị hạ**\n"), "{out}");
}
