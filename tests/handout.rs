//! Issue 6: review handouts, printed to PDF by a real Chromium and read back
//! with poppler (`pdfinfo`, `pdftotext`, `pdftoppm`).
//!
//! These tests need `chromium` (or `GOALBOOK_CHROMIUM`) and poppler-utils.
//! Without them they fail, never skip: `.ci/run` installs both. Every printed
//! PDF and its pages as PNG are kept in `target/artifacts/handout/<case>/`
//! for a person to look at.

use crate::common;

use crate::common::{bin, copy_dir, repo_root, temp_repo};
use chrono::NaiveDate;
use goalbook::model::Kind;
use goalbook::period::Period;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

const AS_OF: &str = "2026-11-24";
/// One browser at a time: the machines that run CI have few cores.
static BROWSER: Mutex<()> = Mutex::new(());

fn as_of() -> NaiveDate {
    NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").unwrap()
}

fn artifacts(case: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target"));
    let dir = target.join("artifacts/handout").join(case);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a poppler tool; a missing tool fails the test with how to install it.
fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("`{tool}` could not run ({e}): install poppler-utils (`sudo apt-get install poppler-utils`)")
    });
    assert!(out.status.success(), "{tool} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Collapses every run of whitespace to one space, as text wraps in print.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A PDF read back: its size in points and the text of each page.
struct Printed {
    pdf: PathBuf,
    width: f64,
    height: f64,
    pages: Vec<String>,
}

impl Printed {
    fn text(&self) -> String {
        squash(&self.pages.join("\n"))
    }
}

/// Prints a handout of the demo with `args`, reads it back and saves the
/// PDF and its pages as PNG under `target/artifacts/handout/<case>/`.
fn print_demo(case: &str, args: &[&str]) -> Printed {
    let dir = artifacts(case);
    let pdf = dir.join("handout.pdf");
    let out = {
        let _browser = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
        bin()
            .args(["handout", "2026-Q4", "--as-of", AS_OF, "--pdf", "--dest"])
            .arg(&pdf)
            .arg("--dir")
            .arg(repo_root())
            .args(args)
            .output()
            .unwrap()
    };
    assert_eq!(out.status.code(), Some(0), "goalbook handout failed: {}", String::from_utf8_lossy(&out.stderr));
    let pdf_s = pdf.to_str().unwrap();
    let info = poppler("pdfinfo", &[pdf_s]);
    let field = |name: &str| -> String {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("no {name} in {info}"))
            .trim()
            .to_string()
    };
    let count: usize = field("Pages:").parse().unwrap();
    let size = field("Page size:");
    let dims: Vec<f64> = size.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    let pages: Vec<String> = (1..=count)
        .map(|p| {
            let p = p.to_string();
            poppler("pdftotext", &["-f", &p, "-l", &p, "-enc", "UTF-8", pdf_s, "-"])
        })
        .collect();
    poppler("pdftoppm", &["-r", "60", "-png", pdf_s, dir.join("page").to_str().unwrap()]);
    let pngs =
        std::fs::read_dir(&dir).unwrap().filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "png"));
    assert_eq!(pngs.count(), count, "one PNG per page in {}", dir.display());
    Printed { pdf, width: dims[0], height: dims[1], pages }
}

/// The goals of the Q4 2026 handout by the rule the module documents: its
/// own goals, and dated goals (not kpis) that lie wholly inside the quarter.
fn q4_goals(team: Option<&str>) -> Vec<(String, Kind, Option<String>)> {
    let project = goalbook::load_project(&repo_root(), as_of()).unwrap();
    let q4 = Period::parse("2026-Q4").unwrap();
    let (first, last) = q4.dates(1).unwrap();
    project
        .repo
        .goals
        .iter()
        // SPEC §3: its own period is Q4 or inside it; without a period, its due is in Q4.
        .filter(|g| match g.period {
            _ if g.kind == Kind::Kpi => false,
            Some(p) => p.dates(1).is_some_and(|(s, e)| first <= s && e <= last),
            None => g.due.is_some_and(|d| first <= d && d <= last),
        })
        .filter(|g| team.is_none() || g.team.as_deref() == team)
        .map(|g| (g.title.clone(), g.kind, g.team.clone()))
        .collect()
}

/// Page count bounds from the goals: a goal block never takes more than half
/// a page, at least three charted blocks fit on a page, each section may
/// leave one page partly empty, each team table fits on a page, and the
/// cover, the attention page and the meeting page are one page each.
fn page_range(goals: &[(String, Kind, Option<String>)], sections: usize) -> std::ops::RangeInclusive<usize> {
    let charted = goals.iter().filter(|g| matches!(g.1, Kind::KeyResult | Kind::Kpi)).count();
    let others = goals.len() - charted;
    let mut teams: Vec<&Option<String>> = goals.iter().map(|g| &g.2).collect();
    teams.sort();
    teams.dedup();
    let lower = 1 + goals.len().div_ceil(25) + charted.div_ceil(3) + 1 + 1;
    let upper = 1 + teams.len() + charted.div_ceil(2) + others.div_ceil(2) + sections + 1 + 1;
    lower..=upper
}

/// Every page but the cover carries the running header and "Page n of N";
/// no page is blank once the header and footer are taken away.
fn check_pages(p: &Printed, header_right: &str) {
    let total = p.pages.len();
    for (k, text) in p.pages.iter().enumerate() {
        let n = k + 1;
        let flat = squash(text);
        let number = format!("Page {n} of {total}");
        let mut body = flat.clone();
        if n > 1 {
            assert!(flat.contains(&number), "page {n} lacks `{number}`: {flat}");
            assert!(flat.contains("Sao Mai Networks — 2026 goals"), "page {n} lacks the running header: {flat}");
            assert!(flat.contains(header_right), "page {n} lacks `{header_right}`: {flat}");
            for s in [number.as_str(), "Sao Mai Networks — 2026 goals", header_right] {
                body = body.replacen(s, "", 1);
            }
        } else {
            assert!(!flat.contains("Page 1 of"), "the cover has no page number: {flat}");
        }
        let letters = body.chars().filter(|c| c.is_alphanumeric()).count();
        assert!(letters >= 40, "page {n} of {} is (nearly) blank: `{body}`", p.pdf.display());
    }
}

/// No goal block is split across pages: on every page, each block that
/// starts there (its kicker line `KEY RESULT · Owner: …`) also ends there
/// (its `SMART CHECKLIST`; an objective shown for context has none).
fn check_blocks_unsplit(p: &Printed) -> usize {
    let mut blocks = 0;
    for (k, text) in p.pages.iter().enumerate() {
        let flat = squash(text);
        let starts = ["OBJECTIVE · ", "KEY RESULT · ", "INITIATIVE · ", "KPI · "]
            .iter()
            .map(|kicker| flat.matches(kicker).count())
            .sum::<usize>();
        let ends = flat.matches("SMART CHECKLIST").count() + flat.matches("For context: this objective").count();
        assert_eq!(starts, ends, "page {} splits a goal block: {flat}", k + 1);
        blocks += starts;
    }
    blocks
}

#[test]
fn a4_handout_of_the_demo_quarter_prints_every_goal_on_numbered_pages() {
    let goals = q4_goals(None);
    assert_eq!(goals.len(), 33, "the demo's Q4 2026 goals changed; update this test's expectations");
    assert!(goals.iter().any(|g| g.0.contains("Wi-Fi for Hotels webinar")), "the 2026-11 goal belongs to Q4");

    let p = print_demo("a4", &[]);
    assert_eq!((p.width.round(), p.height.round()), (595.0, 842.0), "A4 is 595 × 842 pt");
    // 9 sections: 6 objectives of the quarter and 3 yearly ones shown for context.
    let range = page_range(&goals, 9);
    assert!(range.contains(&p.pages.len()), "{} pages, expected {range:?}", p.pages.len());
    check_pages(&p, "Q4 2026 review");
    let text = p.text();
    // Table cells that wrap may interleave in pdftotext's reading order, so
    // the summary is searched for each title's first words, the sections
    // (one heading line per goal) for the whole title.
    let first_detail = 1 + p.pages[1..].iter().position(|t| t.contains("Objectives and key results")).unwrap();
    let summary = squash(&p.pages[1..first_detail].join("\n"));
    let details = squash(&p.pages[first_detail..].join("\n"));
    for (title, _, _) in &goals {
        let title = squash(title);
        let start: Vec<&str> = title.split(' ').take(3).collect();
        assert!(summary.contains(&start.join(" ")), "`{title}` is not in the summary tables");
        assert!(details.contains(&title), "`{title}` has no section block");
    }
    // Every goal has its own block, plus the three context objectives.
    assert_eq!(check_blocks_unsplit(&p), goals.len() + 3);

    let cover = squash(&p.pages[0]);
    for s in
        ["SAO MAI NETWORKS — 2026 GOALS", "Q4 2026 review", "Oct 1, 2026 – Dec 31, 2026", "Figures as of Nov 24, 2026"]
    {
        assert!(cover.contains(s), "cover lacks `{s}`: {cover}");
    }
    // Status reads without colour: an icon and a word.
    for s in ["✓ on track", "! at risk", "✕ off track", "★ achieved"] {
        assert!(text.contains(s), "no `{s}` in the handout");
    }
    // The closing pages: goals that need attention, then ruled space.
    let last = p.pages.len();
    let attention = squash(&p.pages[last - 2]);
    assert!(attention.starts_with("Sao Mai") || attention.contains("Goals that need attention"), "{attention}");
    assert!(attention.contains("Goals that need attention"), "{attention}");
    assert!(attention.contains("Improve the website") && attention.contains("Nguyễn Thị Lan"), "{attention}");
    assert!(!attention.contains("lan.nguyen"), "owners are shown by their [people] name: {attention}");
    let meeting = squash(&p.pages[last - 1]);
    for s in ["Decisions", "Next steps", "ACTION", "OWNER", "DEADLINE"] {
        assert!(meeting.contains(s), "the last page lacks `{s}`: {meeting}");
    }
}

#[test]
fn letter_paper_by_option() {
    let goals = q4_goals(None);
    let p = print_demo("letter", &["--paper", "letter"]);
    assert_eq!((p.width.round(), p.height.round()), (612.0, 792.0), "Letter is 612 × 792 pt");
    let range = page_range(&goals, 9);
    assert!(range.contains(&p.pages.len()), "{} pages, expected {range:?}", p.pages.len());
    check_pages(&p, "Q4 2026 review");
    check_blocks_unsplit(&p);
    let text = p.text();
    for (title, _, _) in &goals {
        assert!(text.contains(&squash(title)), "`{title}` missing from the Letter handout");
    }
}

#[test]
fn a_team_handout_holds_only_that_teams_goals() {
    let mine = q4_goals(Some("marketing"));
    assert_eq!(mine.len(), 6);
    let others: Vec<String> =
        q4_goals(None).into_iter().filter(|g| g.2.as_deref() != Some("marketing")).map(|g| squash(&g.0)).collect();
    assert_eq!(others.len(), 27);

    let p = print_demo("team-marketing", &["--team", "marketing"]);
    // Sections: the marketing objective, and the yearly company objective above the MQL key result.
    let range = page_range(&mine, 2);
    assert!(range.contains(&p.pages.len()), "{} pages, expected {range:?}", p.pages.len());
    // The team is shown by its `[teams]` name.
    check_pages(&p, "Q4 2026 review · Team: Marketing");
    assert_eq!(check_blocks_unsplit(&p), mine.len() + 1);
    let text = p.text();
    assert!(squash(&p.pages[0]).contains("Team: Marketing"));
    for (title, _, _) in &mine {
        assert!(text.contains(&squash(title)), "`{title}` missing from the marketing handout");
    }
    for title in &others {
        assert!(!text.contains(title.as_str()), "`{title}` of another team is in the marketing handout");
    }
}

fn run_handout(dir: &Path, args: &[&str]) -> (Output, String) {
    let out = bin().args(["handout"]).args(args).arg("--dir").arg(dir).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, err)
}

#[test]
fn a_clear_error_when_no_chromium_is_found() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("h.pdf");
    let missing = tmp.path().join("no-such-browser");
    let out = bin()
        .args(["handout", "2026-Q4", "--as-of", AS_OF, "--pdf", "--dest"])
        .arg(&dest)
        .arg("--dir")
        .arg(repo_root())
        .env("GOALBOOK_CHROMIUM", &missing)
        .env("PATH", "")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&format!("GOALBOOK_CHROMIUM is set to `{}`", missing.display())), "{err}");
    assert!(err.contains("not an executable file"), "{err}");
    assert!(err.contains("apt-get install chromium"), "{err}");
    assert!(!dest.exists());

    let out = bin()
        .args(["handout", "2026-Q4", "--as-of", AS_OF, "--pdf", "--dest"])
        .arg(&dest)
        .arg("--dir")
        .arg(repo_root())
        .env_remove("GOALBOOK_CHROMIUM")
        .env("PATH", "")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("no Chromium found to print the PDF"), "{err}");
    assert!(err.contains("chromium, chromium-browser, google-chrome"), "{err}");
    assert!(err.contains("GOALBOOK_CHROMIUM") && err.contains("apt-get install chromium"), "{err}");
    assert!(!dest.exists());
}

#[test]
fn the_html_handout_is_self_contained_and_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.html");
    let b = tmp.path().join("b.html");
    for dest in [&a, &b] {
        let (out, err) = run_handout(&repo_root(), &["2026-Q4", "--as-of", AS_OF, "--dest", dest.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{err}");
    }
    let html = std::fs::read_to_string(&a).unwrap();
    assert_eq!(html, std::fs::read_to_string(&b).unwrap(), "the same input gives the same bytes");
    for banned in ["<link", "<script", " src=", "href=", "url(", "@import"] {
        assert!(!html.contains(banned), "the handout refers to another file: `{banned}`");
    }
    assert!(html.contains("size: A4;"), "A4 is the default paper");
    assert!(html.contains("@bottom-right { content: \"Page \" counter(page) \" of \" counter(pages); }"));
    assert!(html.contains("@top-left { content: \"Sao Mai Networks — 2026 goals\"; }"));
    let key_results = q4_goals(None).iter().filter(|g| g.1 == Kind::KeyResult).count();
    assert_eq!(key_results, 21);
    assert_eq!(html.matches("<svg").count(), key_results, "one inline chart per key result (all have targets)");
}

#[test]
fn paper_comes_from_book_toml_unless_the_option_says_otherwise() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    copy_dir(&repo_root().join("goals"), &root.join("goals"));
    let toml = std::fs::read_to_string(repo_root().join("book.toml")).unwrap();
    std::fs::write(root.join("book.toml"), format!("{toml}\n[output.handout]\npaper = \"letter\"\n")).unwrap();
    let dest = root.join("h.html");
    let (out, err) = run_handout(root, &["2026-Q4", "--as-of", AS_OF, "--dest", dest.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(std::fs::read_to_string(&dest).unwrap().contains("size: letter;"));
    let (out, err) =
        run_handout(root, &["2026-Q4", "--as-of", AS_OF, "--paper", "A4", "--dest", dest.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(std::fs::read_to_string(&dest).unwrap().contains("size: A4;"));
}

#[test]
fn the_site_has_a_handout_for_every_period_with_goals() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("site");
    let out = bin().arg("build").arg(repo_root()).args(["--as-of", AS_OF, "--dest"]).arg(&dest).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let mut found: Vec<String> = std::fs::read_dir(dest.join("handouts"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, ["2026", "2026-11", "2026-H2", "2026-Q3", "2026-Q4"]);
    // SPEC §5: the handouts are linked from the navigation, through their index.
    let index = std::fs::read_to_string(dest.join("handouts/index.html")).unwrap();
    for period in &found {
        assert!(
            index.contains(&format!("href=\"../handouts/{period}/index.html\"")),
            "handouts/index.html links {period}"
        );
    }
    let q4 = std::fs::read_to_string(dest.join("handouts/2026-Q4/index.html")).unwrap();
    let file = tmp.path().join("h.html");
    let (out, err) = run_handout(&repo_root(), &["2026-Q4", "--as-of", AS_OF, "--dest", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(q4, std::fs::read_to_string(&file).unwrap(), "the site's handout is the one `goalbook handout` writes");
    let year = std::fs::read_to_string(dest.join("handouts/2026/index.html")).unwrap();
    assert!(year.contains("FY 2026 review"));
    // SPEC §3: a goal with dates but no period belongs to every period that
    // holds its due date: the year's review and Q4's.
    for title in ["Sign 120 new distribution contracts", "Raise B2B customer retention from 80% to 85%"] {
        assert!(year.contains(title), "`{title}` is due in 2026 and belongs to its review");
        assert!(q4.contains(title), "`{title}` is due in Q4 and belongs to its review");
    }
}

#[test]
fn bad_periods_and_teams_are_explained() {
    let (out, err) = run_handout(&repo_root(), &["2026-Q5", "--as-of", AS_OF]);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("`2026-Q5` is not a period; write YYYY, YYYY-Qn, YYYY-Hn or YYYY-MM, e.g. 2026-Q4"), "{err}");

    let (out, err) = run_handout(&repo_root(), &["2030-Q1", "--as-of", AS_OF]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("no goals in period `2030-Q1`; periods with goals: 2026, 2026-H2, 2026-Q3, 2026-Q4, 2026-11"),
        "{err}"
    );

    let (out, err) = run_handout(&repo_root(), &["2026-Q4", "--team", "legal", "--as-of", AS_OF]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains(
            "no goals of team `legal` in period `2026-Q4`; teams with goals in it: cloud, customer-success, engineering, finance, marketing, operations, people-ops, sales"
        ),
        "{err}"
    );
}

#[test]
fn errors_in_the_goals_stop_the_handout() {
    let repo = temp_repo(&[("goals/a.md", "+++\ntitle = \"Broken\nperiod = \"2026-Q4\"\n+++\n")]);
    let dest = repo.path().join("h.html");
    let (out, err) = run_handout(repo.path(), &["2026-Q4", "--as-of", AS_OF, "--dest", dest.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("handout not written: fix the errors above"), "{err}");
    assert!(!dest.exists());
}

#[test]
fn a_vietnamese_handout_uses_vietnamese_words_and_page_numbers() {
    let repo = temp_repo(&[
        ("book.toml", "[book]\ntitle = \"Công ty Sao Mai\"\nlanguage = \"vi\"\n"),
        (
            "goals/kinh-doanh/doanh-thu.md",
            "+++\ntitle = \"Đạt 10 tỷ ₫ doanh thu quý 4\"\nkind = \"key-result\"\nowner = \"an.vo\"\nteam = \"Kinh doanh\"\nperiod = \"2026-Q4\"\nunit = \"₫\"\nbaseline = 0\ntarget = 10000000000\n\n[[checkin]]\ndate = 2026-11-01\nvalue = 4000000000\nnote = \"Hai hợp đồng lớn\"\n+++\n",
        ),
    ]);
    let dest = repo.path().join("h.html");
    let (out, err) = run_handout(
        repo.path(),
        &["2026-Q4", "--team", "kinh-doanh", "--as-of", AS_OF, "--dest", dest.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{err}");
    let html = std::fs::read_to_string(&dest).unwrap();
    assert!(html.contains("<html lang=\"vi\">"));
    assert!(html.contains("content: \"Trang \" counter(page) \"/\" counter(pages);"), "page numbers in Vietnamese");
    assert!(html.contains("Đánh giá Quý 4/2026"), "the heading in Vietnamese");
    assert!(html.contains("Nhóm: Kinh doanh"), "the team keeps its spelling");
    assert!(html.contains("Số liệu tính đến ngày 24/11/2026"));
    assert!(html.contains("Hai hợp đồng lớn"));
    assert!(html.contains("Các mục tiêu khác"), "a goal under no objective goes to `other goals`");
}

#[test]
fn hostile_text_stays_text_in_a_handout() {
    let dest = tempfile::tempdir().unwrap();
    let file = dest.path().join("h.html");
    let (out, err) =
        run_handout(&common::fixture("hostile"), &["2026-Q4", "--as-of", AS_OF, "--dest", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(!html.to_ascii_lowercase().contains("<script"), "a script tag survived");
    assert_eq!(html.matches("<style").count(), 1, "only the theme's style element");
    assert_eq!(html.matches("</style").count(), 1, "user text cannot close the style element");
    assert!(html.contains("@top-left { content: \"\\3c script\\3e alert('book')\\3c /script\\3e  Evil Corp\"; }"));
    assert!(html.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Grow"), "titles are escaped text");
}

#[test]
fn a_failed_print_leaves_the_previous_pdf() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("h.pdf");
    std::fs::write(&dest, b"%PDF-1.4 the previous handout").unwrap();
    // `false` is a browser that fails every print.
    let out = bin()
        .args(["handout", "2026-Q4", "--as-of", AS_OF, "--pdf", "--dest"])
        .arg(&dest)
        .arg("--dir")
        .arg(repo_root())
        .env("GOALBOOK_CHROMIUM", "/bin/false")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("failed to print"), "{err}");
    assert_eq!(std::fs::read(&dest).unwrap(), b"%PDF-1.4 the previous handout");
    let names: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from("h.pdf")]);
}

#[test]
fn without_dest_the_handout_goes_into_the_build_folder_not_the_repository_root() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    copy_dir(&repo_root().join("goals"), &root.join("goals"));
    std::fs::copy(repo_root().join("book.toml"), root.join("book.toml")).unwrap();
    // Run from inside the repository, as a user does.
    let run = |args: &[&str]| bin().args(args).current_dir(root).output().unwrap();
    let out = run(&["handout", "2026-Q4", "--as-of", AS_OF]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(root.join("book/handout-2026-Q4.html").is_file());
    let pdf = {
        let _browser = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
        run(&["handout", "2026-Q4", "--team", "marketing", "--pdf", "--as-of", AS_OF])
    };
    assert_eq!(pdf.status.code(), Some(0), "{}", String::from_utf8_lossy(&pdf.stderr));
    let bytes = std::fs::read(root.join("book/handout-2026-Q4-marketing.pdf")).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let mut top: Vec<String> =
        std::fs::read_dir(root).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    top.sort();
    assert_eq!(top, ["book", "book.toml", "goals"], "nothing lands in the repository root");
    // The folder carries goalbook's marker, so the next build may replace it.
    let out = run(&["build", "--as-of", AS_OF]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(root.join("book/index.html").is_file());
}

#[test]
fn a_build_folder_that_is_the_root_is_refused_for_handouts_too() {
    let repo = temp_repo(&[
        ("book.toml", "[build]\nbuild-dir = \".\"\n"),
        ("goals/a.md", "+++\ntitle = \"Ship 3 releases\"\nperiod = \"2026-Q4\"\n+++\n"),
    ]);
    let (out, err) = run_handout(repo.path(), &["2026-Q4", "--as-of", AS_OF]);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("name a file with --dest instead"), "{err}");
    assert!(err.contains("refusing to build into"), "{err}");
}

/// The runs of dark pixels (below 128) of one row of a PGM (P5) image.
fn dark_runs(row: &[u8]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (x, &v) in row.iter().chain(std::iter::once(&255)).enumerate() {
        match (v < 128, start) {
            (true, None) => start = Some(x),
            (false, Some(s)) => {
                runs.push((s, x));
                start = None;
            }
            _ => {}
        }
    }
    runs
}

/// Issue 17: the cover's three summary boxes print whole: just under their
/// top border, a row of the first page crosses six vertical borders (the
/// third box used to lose its right one at the edge of the page area).
#[test]
fn the_cover_summary_boxes_print_with_all_their_borders() {
    let p = print_demo("cover-boxes", &[]);
    let dir = p.pdf.parent().unwrap().to_path_buf();
    let out = dir.join("cover");
    poppler("pdftoppm", &["-r", "100", "-gray", "-f", "1", "-l", "1", p.pdf.to_str().unwrap(), out.to_str().unwrap()]);
    let pgm = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "pgm"))
        .expect("pdftoppm -gray writes a PGM");
    let bytes = std::fs::read(&pgm).unwrap();
    // P5 header: magic, width, height, maximum value, each followed by whitespace.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = &bytes[at + 1..];
    let row = |y: usize| &pixels[y * w..(y + 1) * w];
    // The boxes' top border: the first row with exactly three long dark runs.
    let top = (0..h)
        .find(|&y| {
            let runs = dark_runs(row(y));
            runs.len() == 3 && runs.iter().all(|(a, b)| b - a > w / 6)
        })
        .expect("a row with the top borders of three boxes");
    let below = dark_runs(row(top + 6));
    assert_eq!(below.len(), 6, "row {} under the boxes' top border crosses {:?}", top + 6, below);
}
