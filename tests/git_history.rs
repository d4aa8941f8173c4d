//! Progress history from git: goals without check-ins get the dated values of
//! their `current` from the first-parent history of HEAD. The repositories are
//! made here with libgit2, with fixed commit dates and time zones.

use crate::common::bin;
use goalbook::git::HISTORY_NOTE;
use std::path::Path;

fn d(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Commits the work tree at `when` ("2026-10-05 09:00 +0700") onto `refname`
/// with the given parents (default: HEAD's commit).
fn commit_on(git: &git2::Repository, when: &str, refname: &str, parents: &[git2::Oid]) -> git2::Oid {
    let mut index = git.index().unwrap();
    index.add_all(["*"], git2::IndexAddOption::DEFAULT, None).unwrap();
    index.update_all(["*"], None).unwrap();
    index.write().unwrap();
    let tree = git.find_tree(index.write_tree().unwrap()).unwrap();
    let t = chrono::DateTime::parse_from_str(when, "%Y-%m-%d %H:%M %z").unwrap();
    let time = git2::Time::new(t.timestamp(), t.offset().local_minus_utc() / 60);
    let sig = git2::Signature::new("Test", "test@example.com", &time).unwrap();
    let parents: Vec<git2::Commit> = if parents.is_empty() {
        git.head().ok().and_then(|h| h.peel_to_commit().ok()).into_iter().collect()
    } else {
        parents.iter().map(|&p| git.find_commit(p).unwrap()).collect()
    };
    let refs: Vec<&git2::Commit> = parents.iter().collect();
    git.commit(Some(refname), &sig, &sig, when, &tree, &refs).unwrap()
}

fn commit(git: &git2::Repository, when: &str) -> git2::Oid {
    commit_on(git, when, "HEAD", &[])
}

fn kr(title: &str, current: u32, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nowner = \"an\"\nperspective = \"finance\"\nperiod = \"2026-Q4\"\nbaseline = 0\ntarget = 100\ncurrent = {current}\n+++\n{body}"
    )
}

fn history(root: &Path, id: &str, as_of: &str) -> Vec<(chrono::NaiveDate, f64, Option<String>, u32)> {
    let project = goalbook::load_project(root, d(as_of)).unwrap();
    let goal = project.repo.get(id).unwrap();
    goal.checkins.iter().map(|c| (c.date, c.value, c.note.clone(), c.line)).collect()
}

/// The history of `goals/kr.md` in a repository with a merge, same-day
/// commits, commits that leave the value alone, and a commit after as_of.
fn repository() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let git = git2::Repository::init(root).unwrap();
    write(root, "book.toml", "[book]\ntitle = \"T\"\n");
    write(root, "goals/kr.md", &kr("Reach 100 signups in Q4", 10, ""));
    commit(&git, "2026-10-05 09:00 +0000");
    write(root, "goals/kr.md", &kr("Reach 100 signups in Q4", 12, ""));
    commit(&git, "2026-10-05 17:00 +0000"); // same day: the day's last value wins
    write(root, "goals/kr.md", &kr("Reach 100 sign-ups in Q4", 12, ""));
    commit(&git, "2026-10-12 09:00 +0000"); // title only
    write(root, "goals/other.md", "+++\ntitle = \"Other goal of 2026\"\n+++\n");
    let fork = commit(&git, "2026-10-20 09:00 +0000"); // another file
    // A side branch sets 30; it reaches the main line only through the merge.
    write(root, "goals/kr.md", &kr("Reach 100 sign-ups in Q4", 30, ""));
    let side = commit_on(&git, "2026-10-25 09:00 +0000", "refs/heads/side", &[fork]);
    write(root, "goals/kr.md", &kr("Reach 100 sign-ups in Q4", 20, ""));
    // 2026-10-26 20:00 UTC, but the committer's calendar date counts.
    let main = commit(&git, "2026-10-27 03:00 +0700");
    write(root, "goals/kr.md", &kr("Reach 100 sign-ups in Q4", 40, ""));
    commit_on(&git, "2026-11-02 09:00 +0000", "HEAD", &[main, side]);
    write(root, "goals/kr.md", &kr("Reach 100 sign-ups in Q4", 40, "More text.\n"));
    commit(&git, "2026-11-10 09:00 +0000"); // body only
    write(root, "goals/kr.md", &kr("Reach 100 sign-ups in Q4", 55, "More text.\n"));
    commit(&git, "2026-11-15 09:00 +0000");
    write(root, "goals/kr.md", &kr("Reach 100 sign-ups in Q4", 60, "More text.\n"));
    commit(&git, "2026-11-30 09:00 +0000"); // after as_of
    tmp
}

#[test]
fn values_come_from_the_commits_that_changed_them() {
    let tmp = repository();
    let note = Some(HISTORY_NOTE.to_string());
    // `current` is on line 8 of the goal file.
    assert_eq!(
        history(tmp.path(), "kr", "2026-11-24"),
        vec![
            (d("2026-10-05"), 12.0, note.clone(), 8),
            (d("2026-10-27"), 20.0, note.clone(), 8),
            (d("2026-11-02"), 40.0, note.clone(), 8),
            (d("2026-11-15"), 55.0, note.clone(), 8),
        ]
    );
    // Points on or after as_of are left out: `current` stands for that day.
    assert_eq!(history(tmp.path(), "kr", "2026-11-02").len(), 2);
    assert_eq!(history(tmp.path(), "kr", "2026-12-31").len(), 5);
    // A goal without `current` gets nothing.
    assert_eq!(history(tmp.path(), "other", "2026-11-24"), vec![]);
}

#[test]
fn the_forecast_uses_the_history() {
    let tmp = repository();
    let out = bin().args(["build", "--as-of", "2026-11-24"]).arg(tmp.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json = std::fs::read_to_string(tmp.path().join("book/goals.json")).unwrap();
    // SPEC §3: (start, baseline), the check-ins by as_of, (as_of, current); days from 2026-10-01.
    let points = [(0.0, 0.0), (4.0, 12.0), (26.0, 20.0), (32.0, 40.0), (45.0, 55.0), (54.0, 60.0)];
    let expected = goalbook::compute::least_squares_at(&points, 91.0).unwrap();
    // Compared as text: goals.json prints the shortest exact form, as `{}` does.
    assert!(json.contains(&format!("\"forecast\": {expected},")), "{json}");
    assert_eq!(json.matches("\"forecast\": ").count(), 2);
}

#[test]
fn git_history_false_turns_it_off() {
    let tmp = repository();
    write(tmp.path(), "book.toml", "[book]\ntitle = \"T\"\n\n[build]\ngit-history = false\n");
    assert_eq!(history(tmp.path(), "kr", "2026-11-24"), vec![]);
}

#[test]
fn outside_git_it_is_silently_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "goals/kr.md", &kr("Reach 100 sign-ups in Q4", 60, ""));
    assert_eq!(history(tmp.path(), "kr", "2026-11-24"), vec![]);
    let out = bin().args(["check", "--as-of", "2026-11-24"]).arg(tmp.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "goals/kr.md:2: warning[smart-relevant]: `kr` has no `parent`; link it to the goal it serves with `parent = \"…\"`\n0 error(s), 1 warning(s)\n"
    );
}

#[test]
fn goals_with_check_ins_keep_their_own() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let git = git2::Repository::init(root).unwrap();
    let text = |v: u32| {
        let front = kr("Reach 100 sign-ups in Q4", v, "");
        let front = front.strip_suffix("+++\n").unwrap();
        format!("{front}\n[[checkin]]\ndate = 2026-10-02\nvalue = 5\n+++\n")
    };
    write(root, "goals/kr.md", &text(10));
    commit(&git, "2026-10-05 09:00 +0000");
    write(root, "goals/kr.md", &text(20));
    commit(&git, "2026-10-06 09:00 +0000");
    assert_eq!(history(root, "kr", "2026-11-24"), vec![(d("2026-10-02"), 5.0, None, 10)]);
}

#[test]
fn a_goals_repository_in_a_subfolder() {
    let tmp = tempfile::tempdir().unwrap();
    let git = git2::Repository::init(tmp.path()).unwrap();
    let root = tmp.path().join("planning/okr");
    write(&root, "goals/team/kr.md", &kr("Reach 100 sign-ups in Q4", 10, ""));
    write(tmp.path(), "goals/team/kr.md", &kr("A different repository's goal", 99, ""));
    commit(&git, "2026-10-05 09:00 +0000");
    write(&root, "goals/team/kr.md", &kr("Reach 100 sign-ups in Q4", 25, ""));
    commit(&git, "2026-10-07 09:00 +0000");
    let note = Some(HISTORY_NOTE.to_string());
    assert_eq!(
        history(&root, "team/kr", "2026-11-24"),
        vec![(d("2026-10-05"), 10.0, note.clone(), 8), (d("2026-10-07"), 25.0, note, 8)]
    );
}
