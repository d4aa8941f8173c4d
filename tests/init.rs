//! `goalbook init`: a new repository builds in both languages, existing files
//! are never overwritten, and the GitHub workflow has the jobs it promises.

use crate::common::{bin, repo_root, temp_repo};
use std::path::Path;
use yaml_rust2::{Yaml, YamlLoader};

/// 2026-11-24 00:00 UTC: the example's dates follow "today".
const EPOCH: &str = "1795478400";

fn init(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = bin().arg("init").arg(dir).args(args).env("SOURCE_DATE_EPOCH", EPOCH).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap();
    (out.status.code().unwrap(), text)
}

fn goals_json(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("book/goals.json")).unwrap()).unwrap()
}

const FILES_EN: &str = "created book.toml
created goals/company/grow-online-sales.md
created goals/sales/online-revenue.md
created goals/marketing/newsletter-subscribers.md
created goals/marketing/referral-program.md
created goals/support/first-response-time.md
created goals/support/customer-satisfaction.md
created .gitignore
created .github/workflows/goalbook.yml
created .github/workflows/goalbook-pull.yml
created .github/workflows/goalbook-remind.yml
created .github/dependabot.yml
";

#[test]
fn english_example_checks_clean_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("acme");
    let (code, out) = init(&dir, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with(FILES_EN), "{out}");

    let check = bin().args(["check", "--as-of", "2026-11-24"]).arg(&dir).output().unwrap();
    assert_eq!(String::from_utf8(check.stdout).unwrap(), "0 error(s), 0 warning(s)\n");
    let build = bin().args(["build", "--as-of", "2026-11-24"]).arg(&dir).output().unwrap();
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    assert!(dir.join("book/index.html").is_file());
    assert!(dir.join("book/goals/sales/online-revenue/index.html").is_file());

    let json = goals_json(&dir);
    assert_eq!(json["title"], "Acme goals 2026");
    let kinds: Vec<(&str, &str, &str)> = json["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["id"].as_str().unwrap(), g["kind"].as_str().unwrap(), g["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("company/grow-online-sales", "objective", "off-track"),
            ("marketing/newsletter-subscribers", "key-result", "at-risk"),
            ("marketing/referral-program", "initiative", "off-track"),
            ("sales/online-revenue", "key-result", "on-track"),
            ("support/customer-satisfaction", "kpi", "achieved"),
            ("support/first-response-time", "key-result", "off-track"),
        ]
    );
    let gitignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(gitignore.lines().any(|l| l == "/book/"), "{gitignore}");
}

#[test]
fn vietnamese_example_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, out) = init(tmp.path(), &["--lang", "vi"]);
    assert_eq!(code, 0, "{out}");
    let check = bin().args(["check", "--as-of", "2026-11-24"]).arg(tmp.path()).output().unwrap();
    // SPEC §4: `check` speaks the book's language.
    assert_eq!(String::from_utf8(check.stdout).unwrap(), "0 lỗi, 0 cảnh báo\n");
    let build = bin().args(["build", "--as-of", "2026-11-24"]).arg(tmp.path()).output().unwrap();
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    let json = goals_json(tmp.path());
    assert_eq!(json["title"], "Mục tiêu của Acme năm 2026");
    let titles: Vec<&str> = json["goals"].as_array().unwrap().iter().map(|g| g["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        [
            "Tăng trưởng bán hàng trực tuyến và giữ khách hàng hài lòng năm 2026",
            "Giữ mức hài lòng của khách hàng từ 90% trở lên",
            "Giảm thời gian phản hồi đầu tiên từ 8 giờ xuống 2 giờ",
            "Đạt doanh thu trực tuyến 3 tỷ đồng trong 2026-Q4",
            "Ra mắt chương trình giới thiệu cho khách hàng hiện tại",
            "Tăng số người đăng ký bản tin từ 2.000 lên 5.000",
        ]
    );
    let html = std::fs::read_to_string(tmp.path().join("book/index.html")).unwrap();
    assert!(html.contains("lang=\"vi\""), "the site is in Vietnamese");
}

#[test]
fn existing_files_are_kept_and_reported() {
    let mine = "[book]\ntitle = \"Ours\"\n";
    let goal = "+++\ntitle = \"Our own objective for 2026\"\nowner = \"me\"\nperspective = \"finance\"\nperiod = \"2026\"\n+++\n";
    let tmp = temp_repo(&[("book.toml", mine), ("goals/company/grow-online-sales.md", goal), ("notes.txt", "x")]);
    let (code, out) = init(tmp.path(), &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("skipped book.toml (it exists)\nskipped goals/company/grow-online-sales.md (it exists)\n"),
        "{out}"
    );
    assert!(out.contains("created goals/sales/online-revenue.md\n"), "{out}");
    assert_eq!(std::fs::read_to_string(tmp.path().join("book.toml")).unwrap(), mine);
    assert_eq!(std::fs::read_to_string(tmp.path().join("goals/company/grow-online-sales.md")).unwrap(), goal);
    assert_eq!(std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(), "x");
    // A second run writes nothing.
    let (_, again) = init(tmp.path(), &[]);
    assert!(!again.contains("created"), "{again}");
}

fn step_runs(job: &Yaml) -> Vec<String> {
    job["steps"].as_vec().unwrap().iter().filter_map(|s| s["run"].as_str()).map(str::to_string).collect()
}

fn step_uses(job: &Yaml) -> Vec<String> {
    job["steps"].as_vec().unwrap().iter().filter_map(|s| s["uses"].as_str()).map(|u| u.to_string()).collect()
}

#[test]
fn the_workflow_checks_pull_requests_and_deploys_pages() {
    // The steps themselves run in tests/workflow.rs; this is the shape.
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path(), &[]);
    let text = std::fs::read_to_string(tmp.path().join(".github/workflows/goalbook.yml")).unwrap();
    let docs = YamlLoader::load_from_str(&text).unwrap();
    assert_eq!(docs.len(), 1);
    let wf = &docs[0];
    assert!(!wf["on"]["pull_request"].is_badvalue(), "runs on pull requests");
    assert!(!wf["on"]["push"].is_badvalue(), "runs on pushes");
    assert_eq!(wf["on"]["schedule"][0]["cron"].as_str(), Some("17 4 * * *"), "rebuilds daily");
    assert!(wf["permissions"].as_hash().unwrap().is_empty(), "no permission unless a job asks");
    let version = env!("CARGO_PKG_VERSION");
    let setup = format!("goalbook/goalbook@v{version}");

    let check = &wf["jobs"]["check"];
    assert_eq!(check["if"].as_str(), Some("github.event_name == 'pull_request'"));
    assert_eq!(check["permissions"]["contents"].as_str(), Some("read"));
    assert_eq!(check["permissions"]["pull-requests"].as_str(), Some("write"));
    assert_eq!(check["permissions"].as_hash().unwrap().len(), 2);
    let uses = step_uses(check);
    assert_eq!(uses, ["actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1", setup.as_str()]);
    assert_eq!(check["steps"][1]["with"]["version"].as_str(), Some(version));
    let runs = step_runs(check);
    assert_eq!(runs[0], "goalbook check --format github");
    assert!(runs[1].starts_with("goalbook diff \"origin/$BASE_REF\" HEAD > "), "{}", runs[1]);
    assert!(runs[1].contains(">> \"$GITHUB_STEP_SUMMARY\""), "{}", runs[1]);
    assert!(runs[2].starts_with("goalbook codeowners --check --format github"), "{}", runs[2]);
    assert!(runs[3].contains("gh api --method PATCH"), "the comment is updated: {}", runs[3]);
    assert_eq!(check["steps"][0]["with"]["fetch-depth"].as_i64(), Some(0));

    let build = &wf["jobs"]["build"];
    assert_eq!(
        build["if"].as_str(),
        Some(
            "github.event_name == 'schedule' || (github.event_name != 'pull_request' && github.ref_name == github.event.repository.default_branch)"
        )
    );
    assert_eq!(build["permissions"]["contents"].as_str(), Some("read"));
    assert_eq!(build["permissions"]["pages"].as_str(), Some("read"));
    assert_eq!(
        step_uses(build),
        [
            "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1",
            "actions/configure-pages@983d7736d9b0ae728b81ab479565c72886d7745b",
            setup.as_str(),
            "actions/upload-pages-artifact@fc324d3547104276b827a68afc52ff2a11cc49c9",
        ]
    );
    assert_eq!(step_runs(build), ["goalbook build --dest _site --site-url \"$BASE_PATH/\""]);
    let steps = build["steps"].as_vec().unwrap();
    assert_eq!(steps[3]["env"]["BASE_PATH"].as_str(), Some("${{ steps.pages.outputs.base_path }}"));
    assert_eq!(steps[4]["with"]["path"].as_str(), Some("_site"));

    let deploy = &wf["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert_eq!(deploy["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(deploy["permissions"]["id-token"].as_str(), Some("write"));
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));
    assert_eq!(deploy["concurrency"]["group"].as_str(), Some("pages"));
    assert_eq!(step_uses(deploy), ["actions/deploy-pages@cd2ce8fcbc39b97be8ca5fce6e763baed58fa128"]);
    assert_eq!(deploy["steps"][0]["id"].as_str(), Some("deployment"));

    // Every third-party action: a full commit SHA and its version in a comment.
    for line in text.lines().filter(|l| l.contains("uses: actions/")) {
        let (_, rest) = line.split_once('@').unwrap();
        let (sha, comment) = rest.split_once(" # v").unwrap_or_else(|| panic!("no version comment: {line}"));
        assert!(sha.len() == 40 && sha.chars().all(|c| c.is_ascii_hexdigit()), "{line}");
        assert!(comment.chars().all(|c| c.is_ascii_digit() || c == '.'), "{line}");
    }
    let dependabot = std::fs::read_to_string(tmp.path().join(".github/dependabot.yml")).unwrap();
    let dependabot = &YamlLoader::load_from_str(&dependabot).unwrap()[0];
    assert_eq!(dependabot["updates"][0]["package-ecosystem"].as_str(), Some("github-actions"));
}

#[test]
fn site_url_on_the_command_line_overrides_book_toml() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path(), &[]);
    for (arg, base) in [("/acme-goals", "/acme-goals/"), ("/", "/"), ("", "/")] {
        let out = bin().args(["build", "--as-of", "2026-11-24", "--site-url", arg]).arg(tmp.path()).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let html = std::fs::read_to_string(tmp.path().join("book/404.html")).unwrap();
        assert!(html.contains(&format!("<base href=\"{base}\">")), "--site-url {arg:?}");
    }
    let book = std::fs::read_to_string(tmp.path().join("book.toml")).unwrap();
    assert!(book.contains("site-url = \"/\""), "book.toml is not edited");
}

#[test]
fn the_gitignore_hides_what_goalbook_writes() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path(), &[]);
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git").args(args).current_dir(tmp.path()).output().unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    git(&["init", "-q"]);
    let before = git(&["status", "--porcelain", "--untracked-files=all"]);
    for args in [&["build", "--as-of", "2026-11-24"][..], &["build", "--dest", "_site", "--as-of", "2026-11-24"][..]] {
        assert!(bin().args(args).current_dir(tmp.path()).output().unwrap().status.success());
    }
    let out = bin().args(["handout", "2026-Q4", "--as-of", "2026-11-24"]).current_dir(tmp.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(tmp.path().join("book/handout-2026-Q4.html").is_file());
    let out = bin()
        .args(["handout", "2026-Q4", "--as-of", "2026-11-24", "--dest", "handout-2026-Q4.html"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    // A staging folder as an interrupted build leaves it.
    std::fs::create_dir_all(tmp.path().join(".book.goalbook-new-12345")).unwrap();
    std::fs::write(tmp.path().join(".book.goalbook-new-12345/index.html"), "x").unwrap();
    assert_eq!(git(&["status", "--porcelain", "--untracked-files=all"]), before);
}

#[test]
fn templates_are_written_out_for_editing() {
    let tmp = temp_repo(&[("templates/goal.html", "mine")]);
    let (code, out) = init(tmp.path(), &["--templates"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("skipped templates/goal.html (it exists)"), "{out}");
    assert_eq!(std::fs::read_to_string(tmp.path().join("templates/goal.html")).unwrap(), "mine");
    assert!(!tmp.path().join("book.toml").exists(), "--templates writes only templates and theme");
    let root = repo_root();
    let mut count = 0;
    for dir in ["templates", "themes/default"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let entry = entry.unwrap();
            if !entry.file_type().unwrap().is_file() {
                continue;
            }
            let rel = format!("{dir}/{}", entry.file_name().to_string_lossy());
            if rel == "templates/goal.html" {
                continue;
            }
            let written = std::fs::read(tmp.path().join(&rel)).unwrap_or_else(|_| panic!("{rel} was not written"));
            assert_eq!(written, std::fs::read(entry.path()).unwrap(), "{rel}");
            count += 1;
        }
    }
    assert!(count >= 3, "{count}");
}

#[test]
fn the_vietnamese_workflow_differs_only_in_its_comments() {
    let en = tempfile::tempdir().unwrap();
    let vi = tempfile::tempdir().unwrap();
    init(en.path(), &[]);
    init(vi.path(), &["--lang", "vi"]);
    for file in [".github/workflows/goalbook.yml", ".github/dependabot.yml"] {
        let read = |dir: &Path| std::fs::read_to_string(dir.join(file)).unwrap();
        let (en_text, vi_text) = (read(en.path()), read(vi.path()));
        assert_ne!(en_text, vi_text, "{file}: the comments are in Vietnamese");
        assert!(vi_text.contains("Do `goalbook init` viết"), "{file}");
        // Same YAML, so the jobs tests/workflow.rs runs are the jobs of both languages.
        assert_eq!(
            YamlLoader::load_from_str(&en_text).unwrap(),
            YamlLoader::load_from_str(&vi_text).unwrap(),
            "{file}"
        );
    }
}
