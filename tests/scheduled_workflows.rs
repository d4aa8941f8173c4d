//! The scheduled workflows `goalbook init` writes (`goalbook-pull.yml`,
//! `goalbook-remind.yml`), their steps run locally by the project's step
//! runner (tests/common/workflow.rs) in a clone of a real git repository with
//! a bare `origin`, with the real `goalbook` and a fake `gh` on `PATH` that
//! records every call. The clone stands in for `actions/checkout`, the binary
//! under test for the setup action. A change opens one pull request, the next run updates it, no change
//! opens none; reminders open one issue, then update it.

use crate::common::workflow::{Runner, Step, job_steps};
use crate::common::{bin, copy_dir, fixture};
use std::path::{Path, PathBuf};
use std::process::Command;

const EPOCH_2026_11_24: &str = "1795478400";

/// The files `init` writes, so the workflows under test are the shipped ones.
fn workflow(name: &str) -> String {
    workflow_in(name, "en")
}

fn workflow_in(name: &str, lang: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = bin().arg("init").arg(tmp.path()).args(["--lang", lang]).output().unwrap();
    assert!(out.status.success());
    std::fs::read_to_string(tmp.path().join(".github/workflows").join(name)).unwrap()
}

const FAKE_GH: &str = r#"#!/usr/bin/env bash
# A stand-in for the GitHub CLI: records each call, answers from $FAKE_GH.
set -eu
[ -n "${GH_TOKEN:-}" ] || { echo "gh: GH_TOKEN is not set" >&2; exit 4; }
n=$(($(wc -l < "$FAKE_GH/calls") + 1))
printf 'gh' >> "$FAKE_GH/calls"
printf ' %q' "$@" >> "$FAKE_GH/calls"
printf '\n' >> "$FAKE_GH/calls"
prev=""
for a in "$@"; do
    if [ "$prev" = "--body-file" ]; then cp "$a" "$FAKE_GH/body-$n"; fi
    prev=$a
done
case "$1 $2" in
    "pr list") cat "$FAKE_GH/open-pr" 2>/dev/null || true ;;
    "pr create") echo 7 > "$FAKE_GH/open-pr"; echo "https://github.com/acme/goals/pull/7" ;;
    "pr close") rm -f "$FAKE_GH/open-pr" ;;
    "issue list") cat "$FAKE_GH/open-issue" 2>/dev/null || true ;;
    "issue create") echo 3 > "$FAKE_GH/open-issue"; echo "https://github.com/acme/goals/issues/3" ;;
    "issue close") rm -f "$FAKE_GH/open-issue" ;;
esac
"#;

/// A fake GitHub: the `gh` script, its state and the log of its calls.
struct Github {
    dir: tempfile::TempDir,
}

impl Github {
    fn new() -> Github {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("bin")).unwrap();
        let gh = dir.path().join("bin/gh");
        std::fs::write(&gh, FAKE_GH).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::write(dir.path().join("calls"), "").unwrap();
        Github { dir }
    }

    /// The calls so far, one line each; the log is emptied.
    fn take_calls(&self) -> Vec<String> {
        let path = self.dir.path().join("calls");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, "").unwrap();
        text.lines().map(str::to_string).collect()
    }

    fn body(&self, call: usize) -> String {
        std::fs::read_to_string(self.dir.path().join(format!("body-{call}"))).unwrap()
    }
}

/// Runs `job` of the workflow `text` in `workdir` with the project's step
/// runner (tests/common/workflow.rs); returns whether every step that ran
/// passed, and each `run:` step that ran with its output.
fn run_job(
    text: &str,
    job: &str,
    workdir: &Path,
    gh: &Github,
    exprs: &[(&str, &str)],
) -> (bool, Vec<(String, String)>) {
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("workflow.yml");
    std::fs::write(&file, text).unwrap();
    let (_, steps) = job_steps(&file, job);
    let mut runner = Runner::new(workdir, scratch.path());
    runner.env.insert("FAKE_GH".into(), gh.dir.path().display().to_string());
    runner.env.insert("SOURCE_DATE_EPOCH".into(), EPOCH_2026_11_24.into());
    for (k, v) in exprs {
        runner.expressions.insert(k.to_string(), v.to_string());
    }
    runner.path.push(gh.dir.path().join("bin"));
    let goalbook_dir = PathBuf::from(env!("CARGO_BIN_EXE_goalbook")).parent().unwrap().to_path_buf();
    let outcomes = runner.run(&steps, |runner: &mut Runner, step: &Step| {
        let uses = step.uses.as_deref().unwrap();
        let with = |k: &str| step.with.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
        match uses.split('@').next().unwrap() {
            // The clone the test made.
            "actions/checkout" => assert_eq!(with("fetch-depth").as_deref(), Some("0")),
            "goalbook/goalbook" => {
                assert_eq!(
                    with("version").as_deref(),
                    Some(env!("CARGO_PKG_VERSION")),
                    "pinned to the goalbook that ran init"
                );
                runner.path.insert(0, goalbook_dir.clone());
            }
            other => panic!("the workflow uses `{other}`, which this test does not stand in for"),
        }
    });
    let ok = outcomes.iter().all(|o| o.exit.is_none_or(|e| e == 0));
    let log = steps
        .iter()
        .zip(&outcomes)
        .filter(|(s, o)| s.run.is_some() && o.exit.is_some())
        .map(|(_, o)| (o.label.clone(), format!("{}{}", o.stdout, o.stderr)))
        .collect();
    (ok, log)
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A bare `origin` and a working copy that pushes `main` to it.
struct Remote {
    _tmp: tempfile::TempDir,
    origin: PathBuf,
    seed: PathBuf,
    clones: usize,
}

impl Remote {
    fn new(files: &[(&str, &str)]) -> Remote {
        let tmp = tempfile::tempdir().unwrap();
        let origin = tmp.path().join("origin.git");
        let seed = tmp.path().join("seed");
        std::fs::create_dir_all(&seed).unwrap();
        git(tmp.path(), &["init", "-q", "--bare", "-b", "main", origin.to_str().unwrap()]);
        git(&seed, &["init", "-q", "-b", "main"]);
        for (p, t) in files {
            let path = seed.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        }
        let remote = Remote { _tmp: tmp, origin, seed, clones: 0 };
        remote.commit_and_push("the goals");
        remote
    }

    fn commit_and_push(&self, msg: &str) {
        git(&self.seed, &["add", "-A"]);
        git(&self.seed, &["commit", "-q", "-m", msg]);
        git(&self.seed, &["push", "-q", self.origin.to_str().unwrap(), "main"]);
    }

    /// A fresh clone of `origin` (what `actions/checkout` gives a run).
    fn checkout(&mut self) -> PathBuf {
        self.clones += 1;
        let dir = self._tmp.path().join(format!("run-{}", self.clones));
        git(self._tmp.path(), &["clone", "-q", self.origin.to_str().unwrap(), dir.to_str().unwrap()]);
        dir
    }

    fn branch_file(&self, branch: &str, rel: &str) -> String {
        git(&self.origin, &["show", &format!("{branch}:{rel}")])
    }
}

const BOOK: &str = "[book]\ntitle = \"Acme\"\n";

fn kr(title: &str, column: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nowner = \"lan\"\nperiod = \"2026-Q4\"\ntarget = 400\n\n[source]\nkind = \"csv\"\npath = \"data/leads.csv\"\ncolumn = \"{column}\"\n+++\n"
    )
}

const PULL_EXPRS: &[(&str, &str)] =
    &[("secrets.GOALBOOK_PULL_TOKEN || github.token", "token-for-test"), ("github.ref_name", "main")];

#[test]
fn pull_opens_one_pull_request_then_updates_it_and_opens_none_without_change() {
    let wf = workflow("goalbook-pull.yml");
    let gh = Github::new();
    let mut remote = Remote::new(&[
        ("book.toml", BOOK),
        ("goals/marketing/mqls.md", &kr("Generate 400 MQLs in Q4", "mqls")),
        ("data/leads.csv", "month,mqls\n2026-11,120\n"),
    ]);

    // A new value: one pull request, its body the `goalbook diff` of the branch.
    let ws = remote.checkout();
    let (ok, log) = run_job(&wf, "pull", &ws, &gh, PULL_EXPRS);
    assert!(ok, "{log:#?}");
    let calls = gh.take_calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(
        calls[0],
        "gh pr list --head goalbook/pull --base main --state open --json number --jq .\\[0\\].number\\ //\\ empty"
    );
    assert!(
        calls[1].starts_with(
            "gh pr create --base main --head goalbook/pull --title Goal\\ values\\ from\\ their\\ sources --body-file "
        ),
        "{calls:?}"
    );
    let diff = bin()
        .args(["diff", "origin/main", "HEAD"])
        .arg("--dir")
        .arg(&ws)
        .env("SOURCE_DATE_EPOCH", EPOCH_2026_11_24)
        .output()
        .unwrap();
    assert_eq!(gh.body(2), String::from_utf8(diff.stdout).unwrap());
    assert!(gh.body(2).contains("marketing/mqls"), "{}", gh.body(2));
    let on_branch = remote.branch_file("goalbook/pull", "goals/marketing/mqls.md");
    assert!(on_branch.ends_with("[[checkin]]\ndate = 2026-11-24\nvalue = 120\nby = \"pull\"\n+++\n"), "{on_branch}");

    // The export changes again before the pull request is merged: the same
    // pull request is updated, not a second one opened.
    std::fs::write(remote.seed.join("data/leads.csv"), "month,mqls\n2026-11,130\n").unwrap();
    remote.commit_and_push("new export");
    let ws = remote.checkout();
    let (ok, log) = run_job(&wf, "pull", &ws, &gh, PULL_EXPRS);
    assert!(ok, "{log:#?}");
    let calls = gh.take_calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(calls[1].starts_with("gh pr edit 7 --body-file "), "{calls:?}");
    let on_branch = remote.branch_file("goalbook/pull", "goals/marketing/mqls.md");
    assert!(on_branch.ends_with("[[checkin]]\ndate = 2026-11-24\nvalue = 130\nby = \"pull\"\n+++\n"), "{on_branch}");
    assert_eq!(on_branch.matches("[[checkin]]").count(), 1, "the branch starts again from main");

    // The pull request is merged: the next run has nothing to propose.
    git(&remote.seed, &["pull", "-q", "--ff-only", remote.origin.to_str().unwrap(), "goalbook/pull"]);
    git(&remote.seed, &["push", "-q", remote.origin.to_str().unwrap(), "main"]);
    std::fs::remove_file(gh.dir.path().join("open-pr")).unwrap();
    let ws = remote.checkout();
    let (ok, log) = run_job(&wf, "pull", &ws, &gh, PULL_EXPRS);
    assert!(ok, "{log:#?}");
    assert!(log.iter().any(|(_, out)| out.contains("No source changed a value.")), "{log:#?}");
    let calls = gh.take_calls();
    assert_eq!(calls.len(), 1, "only the list, no pull request: {calls:?}");
    assert!(calls[0].starts_with("gh pr list "));
}

#[test]
fn a_failing_source_still_proposes_the_others_and_fails_the_run() {
    let wf = workflow("goalbook-pull.yml");
    let gh = Github::new();
    let mut remote = Remote::new(&[
        ("book.toml", BOOK),
        ("goals/marketing/mqls.md", &kr("Generate 400 MQLs in Q4", "mqls")),
        ("goals/marketing/typo.md", &kr("Generate 400 SQLs in Q4", "sqlz")),
        ("data/leads.csv", "month,mqls\n2026-11,120\n"),
    ]);
    let ws = remote.checkout();
    let (ok, log) = run_job(&wf, "pull", &ws, &gh, PULL_EXPRS);
    assert!(!ok, "{log:#?}");
    let names: Vec<&str> = log.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Read the sources", "Open or update the pull request", "Fail when a source failed"]);
    assert!(
        log[0].1.contains("goals/marketing/typo.md:7: error: source of `marketing/typo`: no column `sqlz`"),
        "{}",
        log[0].1
    );
    assert!(log[2].1.contains("::error::goalbook pull could not read every source"));
    let calls = gh.take_calls();
    assert!(calls[1].starts_with("gh pr create "), "{calls:?}");
    assert!(remote.branch_file("goalbook/pull", "goals/marketing/mqls.md").contains("value = 120\nby = \"pull\"\n"));
}

#[test]
fn remind_opens_one_issue_then_updates_it_and_closes_it_when_nothing_is_due() {
    let wf = workflow("goalbook-remind.yml");
    let gh = Github::new();
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture("remind"), tmp.path());
    let files: Vec<(String, String)> = walkdir::WalkDir::new(tmp.path())
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(tmp.path()).unwrap().to_string_lossy().into_owned();
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let mut remote = Remote::new(&refs);
    let exprs: &[(&str, &str)] = &[("github.token", "token-for-test")];
    let expected =
        bin().arg("remind").arg(&remote.seed).args(["--format", "markdown", "--as-of", "2026-11-24"]).output().unwrap();
    let expected = String::from_utf8(expected.stdout).unwrap();

    let ws = remote.checkout();
    let (ok, log) = run_job(&wf, "remind", &ws, &gh, exprs);
    assert!(ok, "{log:#?}");
    let calls = gh.take_calls();
    assert_eq!(calls.len(), 4, "{calls:?}");
    assert!(calls[0].starts_with("gh issue list --label goalbook-remind --state open "));
    assert!(calls[1].starts_with("gh label create goalbook-remind "));
    assert!(
        calls[2].starts_with("gh issue create --title Goal\\ check-ins\\ due --label goalbook-remind --body-file ")
    );
    assert_eq!(gh.body(3), expected);
    assert_eq!(
        calls[3],
        "gh issue comment https://github.com/acme/goals/issues/3 --body This\\ week\\'s\\ list\\ is\\ updated\\ above.\\ @lan-nguyen"
    );

    // A week later: the same issue is updated.
    let ws = remote.checkout();
    let (ok, log) = run_job(&wf, "remind", &ws, &gh, exprs);
    assert!(ok, "{log:#?}");
    let calls = gh.take_calls();
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert!(calls[1].starts_with("gh issue edit 3 --body-file "), "{calls:?}");
    assert_eq!(gh.body(2), expected);
    assert!(calls[2].starts_with("gh issue comment 3 --body "), "{calls:?}");

    // Everything is done: the issue is closed, none opened.
    for e in walkdir::WalkDir::new(remote.seed.join("goals")) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    std::fs::write(
        remote.seed.join("goals/a.md"),
        "+++\ntitle = \"Run 8 demos in Q4\"\nowner = \"lan\"\nperiod = \"2026-Q4\"\ntarget = 8\n\n[[checkin]]\ndate = 2026-11-20\nvalue = 5\n+++\n",
    )
    .unwrap();
    remote.commit_and_push("all fine");
    let ws = remote.checkout();
    let (ok, log) = run_job(&wf, "remind", &ws, &gh, exprs);
    assert!(ok, "{log:#?}");
    let calls = gh.take_calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[1], "gh issue close 3 --comment Nothing\\ is\\ due\\ any\\ more.");
    let ws = remote.checkout();
    let (ok, _) = run_job(&wf, "remind", &ws, &gh, exprs);
    assert!(ok);
    assert_eq!(gh.take_calls().len(), 1, "nothing due and no issue: only the list");
}

#[test]
fn in_vietnamese_only_the_comments_differ() {
    for name in ["goalbook-pull.yml", "goalbook-remind.yml"] {
        let (en, vi) = (workflow_in(name, "en"), workflow_in(name, "vi"));
        let yaml = |t: &str| yaml_rust2::YamlLoader::load_from_str(t).unwrap();
        assert_eq!(yaml(&en), yaml(&vi), "{name}: the same YAML");
        let comment = |l: &str| l.split_once('#').map(|(_, c)| c.trim().to_string()).filter(|c| c.len() > 8);
        let vi_comments: Vec<String> = vi.lines().filter_map(comment).collect();
        for c in en.lines().filter_map(comment) {
            let kept = c.starts_with(' ')
                || c.contains("${{")
                || c.starts_with("v7.")
                || c.starts_with("PG_PASSWORD")
                || c.starts_with("CRM_TOKEN");
            assert!(kept || !vi_comments.contains(&c), "{name}: `# {c}` is not translated");
        }
    }
}
