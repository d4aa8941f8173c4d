//! Issue 16: `goalbook codeowners`, the workflow `init` writes run step by
//! step on this machine, and the setup action installing from a release
//! folder that scripts/release-archive made.

mod common;

use common::{bin, repo_root, temp_repo};
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

const CODEOWNERS_EXPECTED: &str = r#"# Written by `goalbook codeowners` from book.toml: each team's goal files are
# owned by the team's `lead` ([teams]) through the lead's `github` handle
# ([people]). With branch protection's "Require review from Code Owners",
# a change to a team's goals needs its lead's review. Do not edit by hand:
# run `goalbook codeowners` again after changing goals, teams or people.

# marketing (Marketing): lead lan.nguyen
/goals/marketing/b\ c.md @lan-nguyen
/goals/marketing/q4.md @lan-nguyen
/goals/shared/newsletter.md @lan-nguyen

# platform: lead an.le
/goals/platform/uptime.md @an-le

# sales (Sales): lead `minh.tran` has no `github` in [people]; no review required

# support (Support): no `lead` in [teams]; no review required

# 2 goal file(s) without a `team`: no review required
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
}
