//! While `handout.html` is the built-in template, handouts are rendered by
//! its compiled form (`render::compiled`) rather than by Tera. These tests
//! render the same handouts both ways and assert equal bytes: the demo company in English and
//! Vietnamese, the hostile fixture, team handouts, and a generated repository
//! large enough to reach every branch of the template (goals past the detail
//! limit, more goals needing attention than listed, context objectives,
//! goals under no objective and no team). A user's or theme's own
//! `handout.html` still goes through Tera.

use crate::common::{big_repo, copy_dir, fixture, repo_root};
use chrono::NaiveDate;
use goalbook::config::Paper;
use goalbook::i18n::Locale;
use goalbook::period::Period;
use goalbook::render::handout::{self, Options, Renderer};
use goalbook::render::pages::Out;
use goalbook::render::theme::Engine;
use std::path::Path;
use std::sync::Mutex;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// Every handout of a site build of `root`, as `(path, direct, through Tera)`.
fn both_ways(root: &Path) -> Vec<(String, String, String)> {
    let project = goalbook::load_project(root, as_of()).unwrap();
    let direct = Mutex::new(Vec::new());
    handout::render_handouts(&project, root, &Out::Memory(&direct)).unwrap();
    let tera = Mutex::new(Vec::new());
    handout::render_handouts_with(&project, root, &Out::Memory(&tera), Engine::Tera).unwrap();
    let sorted = |files: Mutex<Vec<(String, Vec<u8>)>>| {
        let mut files: Vec<(String, String)> =
            files.into_inner().unwrap().into_iter().map(|(p, b)| (p, String::from_utf8(b).unwrap())).collect();
        files.sort();
        files
    };
    let (direct, tera) = (sorted(direct), sorted(tera));
    let names = |f: &[(String, String)]| f.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&direct), names(&tera));
    direct.into_iter().zip(tera).map(|((path, d), (_, t))| (path, d, t)).collect()
}

/// Asserts equal text, showing where the two first differ (handouts of a
/// large repository are megabytes: `assert_eq!` would print them whole).
fn assert_same(case: &str, direct: &str, tera: &str) {
    if direct == tera {
        return;
    }
    let at = direct.bytes().zip(tera.bytes()).position(|(a, b)| a != b).unwrap_or(direct.len().min(tera.len()));
    let around = |s: &str| {
        let mut from = at.saturating_sub(200);
        while !s.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (at + 200).min(s.len());
        while !s.is_char_boundary(to) {
            to += 1;
        }
        s[from..to].to_string()
    };
    panic!(
        "{case}: the direct handout differs from Tera's at byte {at} (lengths {} and {})\n--- direct:\n{}\n--- tera:\n{}",
        direct.len(),
        tera.len(),
        around(direct),
        around(tera)
    );
}

fn paths(handouts: &[(String, String, String)]) -> Vec<&str> {
    handouts.iter().map(|h| h.0.as_str()).collect()
}

const DEMO_HANDOUTS: [&str; 5] = [
    "handouts/2026-11/index.html",
    "handouts/2026-H2/index.html",
    "handouts/2026-Q3/index.html",
    "handouts/2026-Q4/index.html",
    "handouts/2026/index.html",
];

/// The demo repository (goals and book.toml) in a temporary folder, in `language`.
fn demo_in(language: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("goals"), &tmp.path().join("goals"));
    let book = std::fs::read_to_string(repo_root().join("book.toml")).unwrap();
    assert!(book.contains("language = \"en\""), "the demo book.toml sets its language");
    std::fs::write(
        tmp.path().join("book.toml"),
        book.replace("language = \"en\"", &format!("language = \"{language}\"")),
    )
    .unwrap();
    tmp
}

#[test]
fn demo_handouts_are_the_same_written_directly_as_through_tera() {
    // The repository root also holds `templates/handout.html`: a copy of the
    // built-in template, which must not turn the direct writer off.
    let handouts = both_ways(&repo_root());
    assert_eq!(paths(&handouts), DEMO_HANDOUTS);
    for (path, direct, tera) in &handouts {
        assert_same(path, direct, tera);
        assert!(direct.starts_with("\n\n\n\n\n\n\n\n\n\n<!DOCTYPE html>\n<html lang=\"en\">"), "{path}");
        assert!(direct.ends_with("</body>\n</html>\n"), "{path}");
    }
    let q4 = &handouts[3].1;
    assert!(q4.contains("<h1 id=\"handout-title\" class=\"cover-title\">Q4 2026 review</h1>"));
    assert!(q4.contains(
        "<section class=\"objective\"><div class=\"keep\">\n      <article class=\"goal goal-objective depth-0\">"
    ));
}

#[test]
fn vietnamese_demo_handouts_are_the_same_both_ways() {
    let tmp = demo_in("vi");
    let handouts = both_ways(tmp.path());
    assert_eq!(paths(&handouts), DEMO_HANDOUTS);
    for (path, direct, tera) in &handouts {
        assert_same(path, direct, tera);
        assert!(direct.contains("<html lang=\"vi\">"), "{path}");
    }
}

#[test]
fn hostile_handouts_are_the_same_both_ways_and_escape_everything() {
    let handouts = both_ways(&fixture("hostile"));
    // SPEC §3: a page (and handout) for the quarter, half and year holding the due date.
    assert_eq!(
        paths(&handouts),
        ["handouts/2026-H2/index.html", "handouts/2026-Q4/index.html", "handouts/2026/index.html"]
    );
    let (path, direct, tera) = &handouts[1];
    assert_same(path, direct, tera);
    assert!(direct.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Grow"), "titles are escaped");
    assert!(direct.contains("&lt;img src=x onerror=alert(&#39;owner&#39;)&gt;"), "owners are escaped");
    assert!(!direct.contains("<script"), "no script element survives");
    assert!(!direct.contains("<img src=x"), "no image element survives");
}

#[test]
fn team_handouts_are_the_same_both_ways() {
    let root = repo_root();
    let project = goalbook::load_project(&root, as_of()).unwrap();
    let locale = Locale::new(&project.repo.config.language);
    let direct = Renderer::new(&project, &root, &locale).unwrap();
    let tera = Renderer::with(&project, &root, &locale, Engine::Tera).unwrap();
    let mut rendered = 0;
    for period in ["2026-Q4", "2026"] {
        let period = Period::parse(period).unwrap();
        let goals = handout::period_goals(&project.repo, period);
        let mut teams: Vec<&str> = goals.iter().filter_map(|&i| project.repo.goals[i].team.as_deref()).collect();
        teams.sort();
        teams.dedup();
        for &team in &teams {
            rendered += 1;
            let opts = Options { period, team: Some(team), paper: Paper::Letter };
            let html = direct.render(&opts).unwrap();
            assert_same(&format!("{period} {team}"), &html, &tera.render(&opts).unwrap());
            assert!(html.contains("size: letter;"), "{period} {team}");
            assert!(html.contains("<p class=\"cover-team\">"), "{period} {team}");
        }
    }
    assert_eq!(rendered, 8 + 9, "the teams of Q4 and of the year");
}

#[test]
fn a_large_period_is_the_same_both_ways_in_every_branch_of_the_template() {
    let tmp = big_repo(None);
    let handouts = both_ways(tmp.path());
    assert_eq!(
        paths(&handouts),
        [
            "handouts/2026-11/index.html",
            "handouts/2026-H2/index.html",
            "handouts/2026-Q4/index.html",
            "handouts/2026/index.html"
        ]
    );
    for (path, direct, tera) in &handouts {
        assert_same(path, direct, tera);
    }
    let month = &handouts[0].1;
    assert!(month.contains("<h3 class=\"section-heading\">Other goals</h3>"), "goals under no objective");
    assert_eq!(month.matches("<div class=\"team keep\">").count(), 1, "one table: no team");

    let q4 = &handouts[2].1;
    // The Q4 objective, its 175 key results and the 3 goals of November.
    assert!(q4.contains("<span class=\"figure-value\">179</span><span class=\"figure-label\">goals to review"));
    assert!(q4.contains("goal goal-objective goal-context depth-0"), "the yearly objective heads Q4 goals");
    assert!(q4.contains("<p class=\"detail-more\">29 more goals"), "goals past the detail limit are counted");
    assert!(q4.contains("<p class=\"goal-parent\">"), "a goal under another key result names it");
    assert!(q4.contains("<span class=\"checkin-note\">note &lt;"), "check-in notes are escaped");
    assert!(q4.contains("<li class=\"milestone-reached\">") && q4.contains("<li class=\"milestone-upcoming\">"));
    // Team <A> and team-a are one team; Team 0, 1, 2, Exec and no team.
    assert_eq!(q4.matches("<div class=\"team keep\">").count(), 6, "a table per team and one for no team");
    let attention = q4.split("<table class=\"attention-table\">").nth(1).unwrap();
    assert_eq!(attention.matches("\n      <tr>").count(), handout::ATTENTION_LIMIT + 1, "the head row and 100 goals");
    assert!(attention.contains("<p class=\"detail-more\">+"), "more goals need attention than listed");
}

#[test]
fn a_handout_template_of_the_user_or_theme_goes_through_tera() {
    let builtin = include_str!("../templates/handout.html");
    for (dir, book) in [
        ("templates", "[book]\ntitle = \"Mine\"\n"),
        ("themes/corp/templates", "[book]\ntitle = \"Mine\"\n\n[build]\ntheme = \"corp\"\n"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&repo_root().join("goals"), &tmp.path().join("goals"));
        std::fs::write(tmp.path().join("book.toml"), book).unwrap();
        std::fs::create_dir_all(tmp.path().join(dir)).unwrap();
        std::fs::write(tmp.path().join(dir).join("handout.html"), format!("{builtin}<!-- {dir} -->\n")).unwrap();
        let handouts = both_ways(tmp.path());
        assert_eq!(paths(&handouts), DEMO_HANDOUTS);
        for (path, direct, tera) in &handouts {
            assert_same(path, direct, tera);
            assert!(direct.ends_with(&format!("</html>\n<!-- {dir} -->\n")), "{dir}: {path}");
        }
    }
}
