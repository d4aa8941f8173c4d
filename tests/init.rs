//! `goalbook init`: a new repository builds in both languages, existing files
//! are never overwritten, and the GitHub workflow has the jobs it promises.

mod common;
use common::{bin, repo_root, temp_repo};
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
    assert_eq!(String::from_utf8(check.stdout).unwrap(), "0 error(s), 0 warning(s)\n");
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
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path(), &[]);
    let text = std::fs::read_to_string(tmp.path().join(".github/workflows/goalbook.yml")).unwrap();
    let docs = YamlLoader::load_from_str(&text).unwrap();
    assert_eq!(docs.len(), 1);
    let wf = &docs[0];
    assert!(!wf["on"]["pull_request"].is_badvalue(), "runs on pull requests");
    assert!(!wf["on"]["push"].is_badvalue(), "runs on pushes");

    let check = &wf["jobs"]["check"];
    assert_eq!(check["if"].as_str(), Some("github.event_name == 'pull_request'"));
    let runs = step_runs(check);
    assert_eq!(runs[0], "cargo install goalbook --locked");
    assert_eq!(runs[1], "goalbook check --format github");
    assert_eq!(runs[2], "goalbook diff \"origin/$BASE_REF\" HEAD >> \"$GITHUB_STEP_SUMMARY\"");
    let diff_step = &check["steps"].as_vec().unwrap()[3];
    assert_eq!(diff_step["env"]["BASE_REF"].as_str(), Some("${{ github.base_ref }}"));
    assert_eq!(check["steps"][0]["with"]["fetch-depth"].as_i64(), Some(0));

    let build = &wf["jobs"]["build"];
    assert_eq!(
        build["if"].as_str(),
        Some("github.event_name != 'pull_request' && github.ref_name == github.event.repository.default_branch")
    );
    assert_eq!(
        step_uses(build),
        ["actions/checkout@v5", "actions/configure-pages@v5", "actions/upload-pages-artifact@v4"]
    );
    let runs = step_runs(build);
    assert_eq!(runs[0], "cargo install goalbook --locked");
    assert!(runs[1].contains("site-url = \\\"$BASE_PATH/\\\""), "{}", runs[1]);
    assert!(runs[1].ends_with("goalbook build --dest _site\n"), "{}", runs[1]);
    let steps = build["steps"].as_vec().unwrap();
    assert_eq!(steps[3]["env"]["BASE_PATH"].as_str(), Some("${{ steps.pages.outputs.base_path }}"));
    assert_eq!(steps[4]["with"]["path"].as_str(), Some("_site"));

    let deploy = &wf["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert_eq!(deploy["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(deploy["permissions"]["id-token"].as_str(), Some("write"));
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));
    assert_eq!(step_uses(deploy), ["actions/deploy-pages@v4"]);
    assert_eq!(deploy["steps"][0]["id"].as_str(), Some("deployment"));
    assert_eq!(wf["permissions"]["contents"].as_str(), Some("read"));
}

#[test]
fn the_site_url_step_rewrites_book_toml() {
    // What the build job's `sed` does to the book.toml that init writes.
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path(), &[]);
    let out = std::process::Command::new("sed")
        .args(["-E", "s|^site-url *=.*|site-url = \"/acme-goals/\"|"])
        .arg(tmp.path().join("book.toml"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let (config, diags) = goalbook::Config::parse("book.toml", &text);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(config.site_url, "/acme-goals/");
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
