//! Issue 16: `goalbook codeowners`, the workflow `init` writes run step by
//! step on this machine, and the setup action installing from a release
//! folder that scripts/release-archive made.

use crate::common;

use crate::common::{bin, repo_root, temp_repo};
use std::path::Path;

const GOAL: &str = "+++\ntitle = \"Ship 3 releases this quarter\"\nperiod = \"2026-Q4\"\n";

fn goal(owner: &str, team: Option<&str>) -> String {
    let team = team.map(|t| format!("team = \"{t}\"\n")).unwrap_or_default();
    format!("{GOAL}owner = \"{owner}\"\n{team}+++\n")
}

const CODEOWNERS_BOOK: &str = r#"[book]
title = "Acme"

[people]
"lan.nguyen" = { name = "Nguyễn Thị Lan", github = "lan-nguyen" }
"minh.tran" = { name = "Trần Minh" }
"an.le" = { github = "@an-le" }

[teams]
marketing = { name = "Marketing", lead = "lan.nguyen" }
sales = { name = "Sales", lead = "minh.tran" }
support = { name = "Support" }
platform = { lead = "an.le" }
"#;

const CODEOWNERS_EXPECTED: &str = r#"# BEGIN goalbook codeowners
# Written by `goalbook codeowners` from book.toml: each team's goal files are
# owned by the team's `lead` ([teams]) through the lead's `github` handle
# ([people]). With branch protection's "Require review from Code Owners",
# a change to a team's goals needs its lead's review. Do not edit these
# lines: run `goalbook codeowners` again after changing goals, teams or
# people. Rules of your own go above the BEGIN line (the last match wins).

# marketing (Marketing): lead lan.nguyen
/goals/marketing/b\ c.md @lan-nguyen
/goals/marketing/q4.md @lan-nguyen
/goals/shared/newsletter.md @lan-nguyen

# platform: lead an.le
/goals/platform/uptime.md @an-le

# sales (Sales): lead `minh.tran` has no `github` in [people]; no review required

# support (Support): no `lead` in [teams]; no review required

# 2 goal file(s) without a `team`: no review required
# END goalbook codeowners
"#;

fn codeowners_repo() -> tempfile::TempDir {
    temp_repo(&[
        ("book.toml", CODEOWNERS_BOOK),
        ("goals/marketing/q4.md", &goal("lan.nguyen", Some("marketing"))),
        ("goals/marketing/b c.md", &goal("lan.nguyen", Some("marketing"))),
        ("goals/shared/newsletter.md", &goal("minh.tran", Some("marketing"))),
        ("goals/platform/uptime.md", &goal("an.le", Some("platform"))),
        ("goals/sales/deals.md", &goal("minh.tran", Some("sales"))),
        ("goals/support/tickets.md", &goal("minh.tran", Some("support"))),
        ("goals/company.md", &goal("lan.nguyen", None)),
        ("goals/ideas.md", &goal("minh.tran", None)),
    ])
}

fn codeowners(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = bin().arg("codeowners").arg(dir).args(args).output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap(), text(out.stdout), text(out.stderr))
}

#[test]
fn codeowners_names_each_teams_lead_for_its_goal_files() {
    let repo = codeowners_repo();
    let (code, _, err) = codeowners(repo.path(), &["--check", "--format", "github"]);
    assert_eq!(code, 1, "no file yet, but leads to ask: out of date; {err}");
    let (code, _, err) = codeowners(repo.path(), &[]);
    assert_eq!(code, 0, "{err}");
    let written = std::fs::read_to_string(repo.path().join(".github/CODEOWNERS")).unwrap();
    assert_eq!(written, CODEOWNERS_EXPECTED);
    assert!(err.contains("note: the lead `minh.tran` of team `sales` has no GitHub handle"), "{err}");
    assert!(err.contains("note: team `support` has no lead"), "{err}");
    assert!(err.contains("wrote .github/CODEOWNERS"), "{err}");
    // Up to date now: --check says nothing in the workflow's format and exits 0.
    let (code, out, _) = codeowners(repo.path(), &["--check", "--format", "github"]);
    assert_eq!((code, out.as_str()), (0, ""));
    // A new goal of a led team makes it stale: one warning annotation, exit 1.
    std::fs::write(repo.path().join("goals/marketing/q1.md"), goal("lan.nguyen", Some("marketing"))).unwrap();
    let (code, out, _) = codeowners(repo.path(), &["--check", "--format", "github"]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "::warning file=.github/CODEOWNERS,line=1::.github/CODEOWNERS is out of date with the goals and the teams' leads; run `goalbook codeowners` and commit it\n"
    );
    assert_eq!(
        std::fs::read_to_string(repo.path().join(".github/CODEOWNERS")).unwrap(),
        written,
        "--check writes nothing"
    );

    // Rules a person wrote around goalbook's part are kept; only the part changes.
    let own = "# Admins review everything else\n* @acme/admins\n\n";
    std::fs::write(repo.path().join(".github/CODEOWNERS"), format!("{own}{written}/docs/ @acme/writers\n")).unwrap();
    let (code, _, err) = codeowners(repo.path(), &[]);
    assert_eq!(code, 0, "{err}");
    let updated = std::fs::read_to_string(repo.path().join(".github/CODEOWNERS")).unwrap();
    let part = CODEOWNERS_EXPECTED.replace(
        "/goals/marketing/b\\ c.md @lan-nguyen\n",
        "/goals/marketing/b\\ c.md @lan-nguyen\n/goals/marketing/q1.md @lan-nguyen\n",
    );
    assert_ne!(part, CODEOWNERS_EXPECTED);
    assert_eq!(updated, format!("{own}{part}/docs/ @acme/writers\n"));
    let (code, out, _) = codeowners(repo.path(), &["--check", "--format", "github"]);
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn codeowners_without_leads_needs_no_file_and_refuses_broken_goals() {
    let repo = temp_repo(&[("goals/a.md", &goal("lan.nguyen", None))]);
    let (code, out, err) = codeowners(repo.path(), &["--check", "--format", "github"]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    std::fs::write(repo.path().join("goals/b.md"), "+++\ntitle = \n+++\n").unwrap();
    let (code, _, err) = codeowners(repo.path(), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("goals/b.md:2") && err.contains(".github/CODEOWNERS not written"), "{err}");
    assert!(!repo.path().join(".github").exists());

    // Goals in a folder of a larger repository: GitHub would not read the file there.
    let outer = tempfile::tempdir().unwrap();
    git(outer.path(), &["init", "-q"]);
    let inner = outer.path().join("okr");
    std::fs::create_dir_all(inner.join("goals")).unwrap();
    std::fs::write(inner.join("goals/a.md"), goal("lan.nguyen", None)).unwrap();
    let (code, _, err) = codeowners(&inner, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("is inside the git repository") && err.contains("a repository of their own"), "{err}");
}

// ---- The workflow `init` writes, run step by step -------------------------

use crate::common::workflow::{Runner, Step, job_steps};

/// 2026-11-24 00:00 UTC: `init`'s example and every step compute as of that day.
const EPOCH: &str = "1795478400";
const VERSION: &str = env!("CARGO_PKG_VERSION");

fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Lan")
        .env("GIT_AUTHOR_EMAIL", "lan@example.com")
        .env("GIT_COMMITTER_NAME", "Lan")
        .env("GIT_COMMITTER_EMAIL", "lan@example.com")
        .env("GIT_AUTHOR_DATE", "2026-11-20T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-20T10:00:00Z")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "no `{from}` in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// A folder on PATH with the binary under test and a stand-in for the
/// GitHub CLI: `gh api` on the comments of one pull request, kept in a JSON
/// file, each call logged (GitHub's API does not run here).
fn tools(scratch: &Path) -> std::path::PathBuf {
    let dir = scratch.join("bin");
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_goalbook"), dir.join("goalbook")).unwrap();
    let gh = r#"#!/usr/bin/env bash
set -euo pipefail
state="$FAKE_GH/comments.json"
[ -f "$state" ] || echo '[]' > "$state"
echo "$*" >> "$FAKE_GH/calls.log"
[ "$1" = api ] || { echo "gh stand-in: only api" >&2; exit 2; }
shift
method=GET body=""
while [ $# -gt 0 ]; do
  case "$1" in
    --paginate) shift ;;
    --method) method=$2; shift 2 ;;
    -F) body=$(cat "${2#body=@}"); shift 2 ;;
    *) url=$1; shift ;;
  esac
done
case "$method $url" in
  "GET repos/acme/goals/issues/7/comments") cat "$state" ;;
  "POST repos/acme/goals/issues/7/comments")
    id=$(( $(jq length "$state") + 100 ))
    jq --argjson id "$id" --arg body "$body" '. + [{id: $id, user: {login: "github-actions[bot]"}, body: $body}]' "$state" > "$state.new"
    mv "$state.new" "$state" ;;
  "PATCH repos/acme/goals/issues/comments/"*)
    id=${url##*/}
    jq --argjson id "$id" --arg body "$body" 'map(if .id == $id then .body = $body else . end)' "$state" > "$state.new"
    mv "$state.new" "$state" ;;
  *) echo "gh stand-in: unexpected $method $url" >&2; exit 2 ;;
esac
"#;
    let path = dir.join("gh");
    std::fs::write(&path, gh).unwrap();
    std::os::unix::fs::PermissionsExt::set_mode(&mut std::fs::metadata(&path).unwrap().permissions(), 0o755);
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    dir
}

/// What the `uses:` steps of the workflow do, done here: checkout is the
/// clone the test made, the setup action is the binary under test on PATH,
/// configure-pages gives the Pages base path, the artifact is the folder.
fn actions(bin: &Path, base_path: &str, uploaded: &mut Vec<String>) -> impl FnMut(&mut Runner, &Step) {
    let bin = bin.to_path_buf();
    let base_path = base_path.to_string();
    let mut log = Vec::new();
    std::mem::swap(uploaded, &mut log);
    move |runner: &mut Runner, step: &Step| {
        let uses = step.uses.as_deref().unwrap();
        let name = uses.split('@').next().unwrap();
        let with = |k: &str| step.with.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
        match name {
            "actions/checkout" => {
                assert_eq!(with("fetch-depth").as_deref(), Some("0"), "the charts and the diff need all history");
                assert_eq!(with("persist-credentials").as_deref(), Some("false"));
            }
            "goalbook/goalbook" => {
                assert_eq!(uses, format!("goalbook/goalbook@v{VERSION}"), "pinned to the goalbook that ran init");
                assert_eq!(with("version").as_deref(), Some(VERSION));
                runner.path.insert(0, bin.clone());
            }
            "actions/configure-pages" => {
                let id = step.id.as_deref().unwrap();
                runner.expressions.insert(format!("steps.{id}.outputs.base_path"), base_path.clone());
            }
            "actions/upload-pages-artifact" => {
                let path = with("path").unwrap();
                assert!(runner.workspace.join(&path).join("index.html").is_file(), "no site in {path}");
                runner.env.insert("UPLOADED".into(), path);
            }
            other => panic!("the workflow uses `{other}`, which this test does not stand in for"),
        }
        // Third-party actions are pinned by a full commit SHA.
        if name != "goalbook/goalbook" {
            let sha = uses.split('@').nth(1).unwrap();
            assert!(sha.len() == 40 && sha.chars().all(|c| c.is_ascii_hexdigit()), "{uses} is not pinned by SHA");
        }
    }
}

/// `goalbook init` into `origin/` (committed on `main`), a branch with a
/// change, and a clone of it checked out at that branch, as actions/checkout
/// leaves a pull request's workspace.
fn pull_request_repository(tmp: &Path) -> std::path::PathBuf {
    let origin = tmp.join("origin");
    let out = bin().arg("init").arg(&origin).env("SOURCE_DATE_EPOCH", EPOCH).output().unwrap();
    assert!(out.status.success());
    git(&origin, &["init", "-q", "-b", "main"]);
    git(&origin, &["add", "-A"]);
    git(&origin, &["commit", "-q", "-m", "goalbook init"]);
    git(&origin, &["checkout", "-q", "-b", "raise-target"]);
    let kr = origin.join("goals/sales/online-revenue.md");
    edit(&kr, "target = 120000", "target = 150000");
    edit(&kr, "owner = \"an.vo\"\n", "");
    edit(
        &origin.join("book.toml"),
        "[output.html]",
        "[people]\n\"an.vo\" = { name = \"Võ An\", github = \"an-vo\" }\n\n[teams]\nsales = { lead = \"an.vo\" }\n\n[output.html]",
    );
    git(&origin, &["commit", "-q", "-am", "Raise the online revenue target"]);
    git(&origin, &["checkout", "-q", "main"]);
    let work = tmp.join("work");
    git(tmp, &["clone", "-q", origin.to_str().unwrap(), work.to_str().unwrap()]);
    git(&work, &["checkout", "-q", "--detach", "origin/raise-target"]);
    work
}

/// `text` shows the number `digits`, plain or with thousands separators.
fn names(text: &str, digits: &str) -> bool {
    let grouped = |sep: char| {
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    };
    text.contains(digits) || text.contains(&grouped(',')) || text.contains(&grouped('.'))
}

fn pull_request_runner(work: &Path, scratch: &Path) -> Runner {
    let mut runner = Runner::new(work, scratch);
    for (k, v) in [
        ("GITHUB_EVENT_NAME", "pull_request"),
        ("GITHUB_BASE_REF", "main"),
        ("GITHUB_HEAD_REF", "raise-target"),
        ("GITHUB_REF", "refs/pull/7/merge"),
        ("GITHUB_REF_NAME", "7/merge"),
        ("GITHUB_REPOSITORY", "acme/goals"),
        ("SOURCE_DATE_EPOCH", EPOCH),
    ] {
        runner.env.insert(k.into(), v.into());
    }
    runner.env.insert("FAKE_GH".into(), scratch.display().to_string());
    for (k, v) in [
        ("github.base_ref", "main"),
        ("github.token", "ghs_not-a-real-token"),
        ("github.event.pull_request.number", "7"),
        ("github.repository", "acme/goals"),
        ("!cancelled() && github.event.pull_request.head.repo.full_name == github.repository", "true"),
    ] {
        runner.expressions.insert(k.into(), v.into());
    }
    runner
}

#[test]
fn the_pull_request_job_annotates_summarises_and_keeps_one_comment() {
    let tmp = tempfile::tempdir().unwrap();
    let work = pull_request_repository(tmp.path());
    let scratch = tmp.path().join("scratch");
    let bin_dir = tools(&scratch);
    let workflow = work.join(".github/workflows/goalbook.yml");
    let (condition, steps) = job_steps(&workflow, "check");
    assert_eq!(condition.as_deref(), Some("github.event_name == 'pull_request'"));

    let mut runner = pull_request_runner(&work, &scratch);
    let outcomes = runner.run(&steps, actions(&bin_dir, "", &mut Vec::new()));
    let step = |label: &str| outcomes.iter().find(|o| o.label == label).unwrap_or_else(|| panic!("no step {label}"));
    for o in &outcomes {
        assert_eq!(o.exit, Some(0), "step `{}` failed: {}{}", o.label, o.stdout, o.stderr);
    }
    let check = step("Check the goals");
    assert!(
        check.stdout.contains("::warning file=goals/sales/online-revenue.md,line=2,title=smart-specific::"),
        "{}",
        check.stdout
    );
    let summary = std::fs::read_to_string(&runner.summary).unwrap();
    assert!(summary.contains("sales/online-revenue"), "{summary}");
    let target_line = summary.lines().find(|l| l.starts_with("- target: ")).unwrap_or_else(|| panic!("{summary}"));
    assert!(names(target_line, "120000") && names(target_line, "150000"), "{target_line}");
    let owners = step("Check .github/CODEOWNERS");
    assert!(owners.stdout.starts_with("::warning file=.github/CODEOWNERS,line=1::there is no .github/CODEOWNERS"));

    let comments = || -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(scratch.join("comments.json")).unwrap()).unwrap()
    };
    let first = comments();
    assert_eq!(first.as_array().unwrap().len(), 1);
    let body = first[0]["body"].as_str().unwrap();
    assert!(body.starts_with("<!-- goalbook diff -->\n"), "{body}");
    assert!(names(body, "150000"), "{body}");

    // A second push to the pull request: the comment is updated, not repeated.
    let origin = tmp.path().join("origin");
    git(&origin, &["checkout", "-q", "raise-target"]);
    edit(&origin.join("goals/sales/online-revenue.md"), "target = 150000", "target = 160000");
    git(&origin, &["commit", "-q", "-am", "Raise it again"]);
    git(&work, &["fetch", "-q", "origin"]);
    git(&work, &["checkout", "-q", "--detach", "origin/raise-target"]);
    std::fs::write(&runner.summary, "").unwrap();
    let mut runner = pull_request_runner(&work, &scratch);
    let outcomes = runner.run(&steps, actions(&bin_dir, "", &mut Vec::new()));
    assert!(outcomes.iter().all(|o| o.exit == Some(0)), "{outcomes:?}");
    let second = comments();
    assert_eq!(second.as_array().unwrap().len(), 1, "one comment, updated: {second}");
    assert_eq!(second[0]["id"], first[0]["id"]);
    let body = second[0]["body"].as_str().unwrap();
    assert!(names(body, "160000") && !names(body, "150000"), "{body}");
    let calls = std::fs::read_to_string(scratch.join("calls.log")).unwrap();
    let methods: Vec<&str> =
        calls.lines().filter_map(|l| l.split_whitespace().skip_while(|w| *w != "--method").nth(1)).collect();
    assert_eq!(methods, ["POST", "PATCH"], "{calls}");
}

#[test]
fn a_failing_check_still_summarises_and_fails_the_job() {
    let tmp = tempfile::tempdir().unwrap();
    let work = pull_request_repository(tmp.path());
    edit(&work.join("goals/sales/online-revenue.md"), "target = 150000", "target = 80000");
    let scratch = tmp.path().join("scratch");
    let bin_dir = tools(&scratch);
    let (_, steps) = job_steps(&work.join(".github/workflows/goalbook.yml"), "check");
    let mut runner = pull_request_runner(&work, &scratch);
    let outcomes = runner.run(&steps, actions(&bin_dir, "", &mut Vec::new()));
    let check = outcomes.iter().find(|o| o.label == "Check the goals").unwrap();
    assert_eq!(check.exit, Some(1), "{}", check.stdout);
    assert!(check.stdout.contains("::error file=goals/sales/online-revenue.md,line="), "{}", check.stdout);
    assert!(check.stdout.contains("title=zero-range::"), "{}", check.stdout);
    let diff = outcomes.iter().find(|o| o.label == "Summarise the goal changes").unwrap();
    assert_eq!(diff.exit, Some(0), "the summary runs after a failed check: {}", diff.stderr);
}

#[test]
fn the_scheduled_build_writes_a_site_under_the_pages_base_path() {
    let tmp = tempfile::tempdir().unwrap();
    let work = pull_request_repository(tmp.path());
    git(&work, &["checkout", "-q", "--detach", "origin/main"]);
    let scratch = tmp.path().join("scratch");
    let bin_dir = tools(&scratch);
    let workflow = work.join(".github/workflows/goalbook.yml");
    let (condition, steps) = job_steps(&workflow, "build");
    assert!(condition.unwrap().starts_with("github.event_name == 'schedule' || "));
    let mut runner = Runner::new(&work, &scratch);
    for (k, v) in [
        ("GITHUB_EVENT_NAME", "schedule"),
        ("GITHUB_REF", "refs/heads/main"),
        ("GITHUB_REF_NAME", "main"),
        ("GITHUB_REPOSITORY", "acme/goals"),
        ("SOURCE_DATE_EPOCH", EPOCH),
    ] {
        runner.env.insert(k.into(), v.into());
    }
    let outcomes = runner.run(&steps, actions(&bin_dir, "/goals", &mut Vec::new()));
    for o in &outcomes {
        assert_eq!(o.exit, Some(0), "step `{}` failed: {}{}", o.label, o.stdout, o.stderr);
    }
    assert_eq!(runner.env.get("UPLOADED").map(String::as_str), Some("_site"), "the site is uploaded");
    let site = work.join("_site");
    let not_found = std::fs::read_to_string(site.join("404.html")).unwrap();
    assert!(not_found.contains("<base href=\"/goals/\">"), "404.html resolves its links from the Pages path");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(site.join("goals.json")).unwrap()).unwrap();
    assert_eq!(json["as_of"], "2026-11-24");
    let book = std::fs::read_to_string(work.join("book.toml")).unwrap();
    assert!(book.contains("site-url = \"/\""), "book.toml is left as it is");
    assert_eq!(git(&work, &["status", "--porcelain"]), "", "the build leaves nothing for git to see");
}

// ---- The setup action, from a release folder ------------------------------

use crate::common::workflow::action_steps;

/// A release folder as the release workflow fills it, made by the release
/// script from the binary under test under the name the action picks for
/// Linux x86_64 (so the test needs no second, release build).
fn release_folder(dir: &Path) {
    let out = std::process::Command::new("bash")
        .arg(repo_root().join("scripts/release-archive"))
        .args(["x86_64-unknown-linux-musl"])
        .arg(dir)
        .arg("--binary")
        .arg(env!("CARGO_BIN_EXE_goalbook"))
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .unwrap();
    assert!(out.status.success(), "release-archive: {}", String::from_utf8_lossy(&out.stderr));
}

/// Runs the action's own steps (action.yml) with `version` and the release at `base`.
fn install(
    scratch: &Path,
    version: &str,
    action_ref: &str,
    base: &str,
    path: Option<&str>,
) -> (Runner, Vec<common::workflow::Outcome>) {
    let workspace = scratch.join("workspace");
    std::fs::create_dir_all(&workspace).unwrap();
    let mut runner = Runner::new(&workspace, scratch);
    let github_path = scratch.join("github-path");
    std::fs::write(&github_path, "").unwrap();
    runner.env.insert("GITHUB_ACTION_PATH".into(), repo_root().display().to_string());
    runner.env.insert("GITHUB_PATH".into(), github_path.display().to_string());
    runner.env.insert("RUNNER_TOOL_CACHE".into(), scratch.join("tool-cache").display().to_string());
    if let Some(p) = path {
        runner.env.insert("PATH".into(), p.into());
    }
    for (k, v) in [("inputs.version", version), ("inputs.base-url", base), ("github.action_ref", action_ref)] {
        runner.expressions.insert(k.into(), v.into());
    }
    let steps = action_steps(&repo_root().join("action.yml"));
    let outcomes = runner.run(&steps, |_, step| panic!("the action uses another action: {:?}", step.uses));
    (runner, outcomes)
}

#[test]
fn release_archives_are_the_same_bytes_for_the_same_binary() {
    let tmp = tempfile::tempdir().unwrap();
    let binary = tmp.path().join("goalbook");
    std::fs::write(&binary, "#!/bin/sh\necho goalbook 0.1.0\n").unwrap();
    let pack = |dir: &str, target: &str| {
        let out = std::process::Command::new("bash")
            .arg(repo_root().join("scripts/release-archive"))
            .arg(target)
            .arg(tmp.path().join(dir))
            .arg("--binary")
            .arg(&binary)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    pack("a", "aarch64-unknown-linux-musl");
    pack("b", "aarch64-unknown-linux-musl");
    let name = "goalbook-aarch64-unknown-linux-musl.tar.gz";
    let a = std::fs::read(tmp.path().join("a").join(name)).unwrap();
    assert_eq!(a, std::fs::read(tmp.path().join("b").join(name)).unwrap(), "reproducible");
    let list = std::process::Command::new("tar").arg("-tvzf").arg(tmp.path().join("a").join(name)).output().unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    let entries: Vec<String> =
        list.lines().map(|l| l.split_whitespace().filter(|w| !w.contains(':')).collect::<Vec<_>>().join(" ")).collect();
    assert_eq!(entries.len(), 4, "{list}");
    assert!(list.lines().next().unwrap().starts_with("-rwxr-xr-x 0/0"), "an executable owned by root: {list}");
    let names: Vec<&str> = list.lines().map(|l| l.rsplit(' ').next().unwrap()).collect();
    assert_eq!(names, ["goalbook", "LICENSE-MIT", "LICENSE-APACHE", "README.md"]);
    let sum = std::fs::read_to_string(tmp.path().join("a").join(format!("{name}.sha256"))).unwrap();
    assert_eq!(sum.len(), 64 + 2 + name.len() + 1);
    assert!(sum.ends_with(&format!("  {name}\n")), "sha256sum's format: {sum}");
}

#[test]
fn the_setup_action_installs_from_the_release_and_checks_the_checksum() {
    let tmp = tempfile::tempdir().unwrap();
    let release = tmp.path().join("release");
    release_folder(&release);
    let mut names: Vec<String> =
        std::fs::read_dir(&release).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        ["goalbook-x86_64-unknown-linux-musl.tar.gz", "goalbook-x86_64-unknown-linux-musl.tar.gz.sha256"]
    );
    let base = format!("file://{}", release.display());

    let scratch = tmp.path().join("ok");
    let (runner, outcomes) = install(&scratch, VERSION, &format!("v{VERSION}"), &base, None);
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].exit, Some(0), "{}", outcomes[0].stderr);
    assert!(!outcomes[0].stdout.contains("::warning"), "{}", outcomes[0].stdout);
    let dir = runner.expressions.get("steps.install.outputs.path").expect("the action's `path` output").clone();
    assert_eq!(dir, scratch.join(format!("tool-cache/goalbook/{VERSION}/bin")).display().to_string());
    assert_eq!(std::fs::read_to_string(scratch.join("github-path")).unwrap(), format!("{dir}\n"), "on PATH");
    let out = std::process::Command::new(Path::new(&dir).join("goalbook")).arg("--version").output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("goalbook {VERSION}\n"));

    // A tag that does not match the version: installed, with a warning.
    let scratch = tmp.path().join("other-tag");
    let (_, outcomes) = install(&scratch, VERSION, "v9.9.9", &base, None);
    assert_eq!(outcomes[0].exit, Some(0), "{}", outcomes[0].stderr);
    assert!(
        outcomes[0].stdout.starts_with("::warning::goalbook/goalbook@v9.9.9 installs goalbook"),
        "{}",
        outcomes[0].stdout
    );

    // A wrong checksum: nothing installed, the step fails and says why.
    let sum = release.join("goalbook-x86_64-unknown-linux-musl.tar.gz.sha256");
    let good = std::fs::read_to_string(&sum).unwrap();
    std::fs::write(&sum, format!("{}{}", "0".repeat(64), &good[64..])).unwrap();
    let scratch = tmp.path().join("bad");
    let (_, outcomes) = install(&scratch, VERSION, &format!("v{VERSION}"), &base, None);
    assert_eq!(outcomes[0].exit, Some(1));
    assert!(
        outcomes[0].stderr.contains("checksum mismatch for goalbook-x86_64-unknown-linux-musl.tar.gz"),
        "{}",
        outcomes[0].stderr
    );
    assert!(!scratch.join(format!("tool-cache/goalbook/{VERSION}/bin/goalbook")).exists());
    std::fs::write(&sum, good).unwrap();

    // No archive for this version: the fallback builds with cargo, and says
    // so plainly where cargo is missing (PATH without it).
    let scratch = tmp.path().join("no-archive");
    let empty = tmp.path().join("empty-release");
    std::fs::create_dir_all(&empty).unwrap();
    let (_, outcomes) = install(&scratch, VERSION, "", &format!("file://{}", empty.display()), Some("/usr/bin:/bin"));
    assert_eq!(outcomes[0].exit, Some(1));
    let err = &outcomes[0].stderr;
    assert!(err.contains("building it with cargo instead"), "{err}");
    assert!(err.contains("no release binary fits and cargo is missing"), "{err}");

    // With cargo there (a stand-in that records its arguments and installs a
    // script, since GitHub is out of reach here): the tag is built from the home.
    let fake = tmp.path().join("fake-cargo");
    std::fs::create_dir_all(&fake).unwrap();
    let cargo = fake.join("cargo");
    std::fs::write(
        &cargo,
        "#!/usr/bin/env bash\necho \"$*\" > \"$(dirname \"$0\")/args\"\nroot=${@: -2:1}\nmkdir -p \"$root/bin\"\n\
         printf '#!/bin/sh\\necho goalbook 0.1.0\\n' > \"$root/bin/goalbook\"\nchmod 755 \"$root/bin/goalbook\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&cargo, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let scratch = tmp.path().join("cargo-fallback");
    let path = format!("{}:/usr/bin:/bin", fake.display());
    let (_, outcomes) = install(&scratch, "0.1.0", "", &format!("file://{}", empty.display()), Some(&path));
    assert_eq!(outcomes[0].exit, Some(0), "{}", outcomes[0].stderr);
    let root = scratch.join("tool-cache/goalbook/0.1.0");
    assert_eq!(
        std::fs::read_to_string(fake.join("args")).unwrap(),
        format!(
            "install --git https://github.com/goalbook/goalbook --tag v0.1.0 --locked --root {} goalbook\n",
            root.display()
        )
    );

    // Not a version: a clear error before any download.
    let (_, outcomes) = install(&tmp.path().join("bad-version"), "latest", "", &base, None);
    assert_eq!(outcomes[0].exit, Some(1));
    assert!(outcomes[0].stderr.contains("not a release version like 0.1.0"), "{}", outcomes[0].stderr);
}
