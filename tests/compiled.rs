//! The compiled built-in templates (`render::compiled`, the fast path) are
//! byte for byte what Tera gives from the same templates: every page of
//! sites that exercise every branch of them — the demo in English and
//! Vietnamese (objectives that roll up, kpis, milestones, supports, task
//! lists), the hostile fixture (markup in every text field), the small
//! fixtures, a generated repository of 10,000 goals — and random views.

use crate::common;

use crate::common::{copy_to_temp, fixture, repo_root};
use goalbook::i18n::Locale;
use goalbook::render::pages::{Out, render_pages};
use goalbook::render::theme::{self, Engine};
use goalbook::render::views::Ctx;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

/// Every page of the site at `root`, rendered by `engine`.
fn pages_with(root: &Path, engine: Engine) -> BTreeMap<String, Vec<u8>> {
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let project = goalbook::load_project(root, as_of).unwrap();
    assert!(!project.has_errors(), "{}: {:?}", root.display(), project.diagnostics);
    let config = &project.repo.config;
    let locale = Locale::new(&config.language);
    let templates = theme::templates_with(root, &config.theme, &locale, engine).unwrap();
    if engine == Engine::Tera {
        assert!(!templates.is_compiled("goal.html"), "Engine::Tera renders every page through Tera");
    }
    let ctx = Ctx { repo: &project.repo, numbers: &project.numbers, locale: &locale, as_of };
    let rows = ctx.rows();
    let out = Mutex::new(Vec::new());
    render_pages(&project, &templates, &locale, &rows, None, &Out::Memory(&out)).unwrap();
    out.into_inner().unwrap().into_iter().collect()
}

/// Every page of the site at `root`, compiled (`true`) or all by Tera.
fn pages(root: &Path, compiled: bool) -> BTreeMap<String, Vec<u8>> {
    pages_with(root, if compiled { Engine::Compiled } else { Engine::Tera })
}

fn assert_same(root: &Path) {
    assert_same_as(root, &pages(root, true));
}

/// Asserts that Tera renders `fast`, the compiled pages of `root`.
fn assert_same_as(root: &Path, fast: &BTreeMap<String, Vec<u8>>) {
    let tera = pages(root, false);
    assert_eq!(fast.keys().collect::<Vec<_>>(), tera.keys().collect::<Vec<_>>());
    let mut goal_pages = 0;
    for (path, bytes) in &tera {
        let ours = &fast[path];
        if ours != bytes {
            let (a, b) = (String::from_utf8_lossy(ours), String::from_utf8_lossy(bytes));
            let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
            let from = at.saturating_sub(200);
            panic!(
                "{}: `{path}` differs at byte {at}\n--- compiled:\n{}\n--- tera:\n{}",
                root.display(),
                a.get(from..(at + 200).min(a.len())).unwrap_or(&a[from..]),
                b.get(from..(at + 200).min(b.len())).unwrap_or(&b[from..]),
            );
        }
        goal_pages += path.starts_with("goals/") as usize;
    }
    assert!(goal_pages > 0, "{}: no goal pages compared", root.display());
}

/// The demo with `[book] language` set to `lang`, in a temporary folder.
fn demo(lang: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&repo_root().join("goals"), &tmp.path().join("goals"));
    let book = std::fs::read_to_string(repo_root().join("book.toml")).unwrap();
    let line = book.lines().find(|l| l.trim_start().starts_with("language")).expect("book.toml sets a language");
    std::fs::write(tmp.path().join("book.toml"), book.replacen(line, &format!("language = \"{lang}\""), 1)).unwrap();
    tmp
}

#[test]
fn demo_in_english_is_the_same_compiled() {
    assert_same(demo("en").path());
}

#[test]
fn demo_in_vietnamese_is_the_same_compiled() {
    assert_same(demo("vi").path());
}

/// `[output.html] edit-url-template`: an "Edit" link on each goal page, the
/// same both ways, with `{path}` the goal file's path in the repository.
#[test]
fn edit_links_are_the_same_compiled() {
    let tmp = demo("vi");
    let book = std::fs::read_to_string(tmp.path().join("book.toml")).unwrap();
    let book = book.replacen(
        "[output.html]\n",
        "[output.html]\nedit-url-template = \"https://github.com/saomai/goals/edit/main/{path}?a=1&b=2\"\n",
        1,
    );
    std::fs::write(tmp.path().join("book.toml"), book).unwrap();
    assert_same(tmp.path());
    let page = &pages(tmp.path(), true)["goals/marketing/q4-mqls/index.html"];
    let page = String::from_utf8_lossy(page);
    assert!(
        page.contains("<p class=\"edit-link\"><a href=\"https://github.com/saomai/goals/edit/main/goals/marketing/q4-mqls.md?a=1&amp;b=2\">Sửa mục tiêu này</a></p>"),
        "{}",
        &page[page.find("goal-badges").unwrap()..][..600]
    );
    let plain = &pages(demo("en").path(), true)["goals/marketing/q4-mqls/index.html"];
    assert!(!String::from_utf8_lossy(plain).contains("edit-link"), "no template, no link");
}

#[test]
fn hostile_text_is_escaped_the_same_compiled() {
    assert_same(&fixture("hostile"));
}

#[test]
fn small_fixtures_are_the_same_compiled() {
    for name in ["site-small", "spec-example", "diag-smart-achievable", "diag-stale-checkin", "diag-smart-relevant"] {
        assert_same(&fixture(name));
    }
}

#[test]
fn a_large_repository_is_the_same_compiled() {
    // Without perspectives: the scorecard's unassigned table and empty
    // perspectives; with one: groups longer than the scorecard lists.
    let scorecard = |root: &Path| String::from_utf8(pages(root, true)["scorecard/index.html"].clone()).unwrap();
    let plain = common::big_repo(None);
    assert_same(plain.path());
    let page = scorecard(plain.path());
    assert!(page.contains("id=\"gb-unassigned\"") && page.contains("<p class=\"empty\">"));
    let finance = common::big_repo(Some("finance"));
    assert_same(finance.path());
    assert!(scorecard(finance.path()).contains("<p class=\"more\">"));
}

#[test]
fn an_overridden_template_sends_the_pages_made_of_it_to_tera() {
    let site = copy_to_temp(&fixture("site-small"));
    let locale = Locale::new("en");
    let compiled = |root: &Path| {
        let t = theme::templates(root, "default", &locale).unwrap();
        ["goal.html", "list.html", "scorecard.html", "handout.html"].map(|p| t.is_compiled(p))
    };
    assert_eq!(compiled(site.path()), [true, true, true, true]);
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(site.path().join("templates/goal.html"), "{% extends \"base.html\" %}").unwrap();
    assert_eq!(compiled(site.path()), [false, true, true, true]);
    std::fs::write(site.path().join("templates/list.html"), "{% extends \"base.html\" %}").unwrap();
    assert_eq!(compiled(site.path()), [false, false, true, true]);
    std::fs::remove_file(site.path().join("templates/list.html")).unwrap();
    std::fs::write(site.path().join("templates/macros.html"), "").unwrap();
    assert_eq!(compiled(site.path()), [false, false, false, true]);
    std::fs::remove_dir_all(site.path().join("templates")).unwrap();
    std::fs::create_dir_all(site.path().join("themes/default/templates")).unwrap();
    std::fs::write(site.path().join("themes/default/templates/base.html"), "{% block main %}{% endblock main %}")
        .unwrap();
    assert_eq!(compiled(site.path()), [false, false, false, true]);
}

/// A one-line change to `macros.html` (the example): the pages
/// using it go through Tera and show the change; the rest stay compiled
/// and equal.
#[test]
fn a_one_line_override_of_the_macros_is_rendered_by_tera() {
    let site = copy_to_temp(&fixture("site-small"));
    let builtin = include_str!("../templates/macros.html");
    let changed = builtin.replacen("<span class=\"status status-", "<span data-mine class=\"status status-", 1);
    assert_ne!(builtin, changed);
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(site.path().join("templates/macros.html"), &changed).unwrap();
    let fast = pages(site.path(), true);
    assert!(fast.values().any(|p| String::from_utf8_lossy(p).contains("<span data-mine class=\"status status-")));
    assert_same(site.path());
}

/// Lists of more than 200 goals paginate (SPEC §5): the later pages, one
/// folder deeper, with their pager and rows, are the same without Tera.
#[test]
fn paginated_lists_are_the_same_compiled() {
    let mut files: Vec<(String, String)> = vec![("book.toml".into(), "[book]\ntitle = \"Many\"\n".into())];
    for n in 0..450 {
        files.push((
            format!("goals/g/k{n:03}.md"),
            format!(
                "+++\ntitle = \"Key result {n}\"\nkind = \"key-result\"\nowner = \"one\"\nteam = \"big\"\nperiod = \"2026-Q4\"\nbaseline = 0\ntarget = 100\ncurrent = {}\n+++\n",
                n % 100
            ),
        ));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let tmp = common::temp_repo(&refs);
    let fast = pages(tmp.path(), true);
    for page in ["teams/big/page/3/index.html", "people/one/page/2/index.html", "periods/2026-Q4/page/3/index.html"] {
        let html = String::from_utf8_lossy(&fast[page]);
        assert!(html.contains("<nav class=\"pager\""), "{page} has a pager");
    }
    assert!(!fast.contains_key("teams/big/page/4/index.html"), "450 goals make three pages");
    assert_same(tmp.path());
}

/// A generated repository of 10,000 goals (`bench/gen.py`, the benchmark's
/// corpus): every page the same both ways.
#[test]
fn ten_thousand_generated_goals_are_the_same_compiled() {
    let tmp = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("python3")
        .arg(repo_root().join("bench/gen.py"))
        .args(["10000", &tmp.path().join("corpus").to_string_lossy()])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs bench/gen.py");
    assert!(status.success(), "bench/gen.py failed");
    let root = tmp.path().join("corpus/goals-repo");
    let fast = pages(&root, true);
    assert!(fast.len() > 10_000, "{} pages", fast.len());
    assert_same_as(&root, &fast);
}
