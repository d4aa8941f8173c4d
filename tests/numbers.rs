//! SPEC §3: every number, with exact expected values.

use goalbook::{Project, Status};

use crate::common::numbers::{d, num, project};

fn goal<'a>(p: &'a Project, id: &str) -> &'a goalbook::Goal {
    p.repo.get(id).unwrap()
}

const OBJ: &str =
    "+++\ntitle = \"Grow B2B revenue in 2026\"\nowner = \"a\"\nperspective = \"finance\"\nperiod = \"2026\"\n+++\n";

#[test]
fn decreasing_target_progress() {
    let kr = "+++\ntitle = \"Cut CAC from $250 to $150\"\nparent = \"o\"\nperiod = \"2026-Q4\"\nbaseline = 250\ntarget = 150\ncurrent = 200\n+++\n";
    let p = project("", &[("o", OBJ), ("kr", kr)], "2026-11-24");
    let n = num(&p, "kr");
    assert_eq!(n.progress, Some(0.5));
    assert_eq!(n.score, Some(0.5));
    assert_eq!(n.current, Some(200.0));
}

#[test]
fn over_achievement_is_not_capped_but_score_is() {
    let kr = "+++\ntitle = \"Sign 100 contracts in Q4\"\nparent = \"o\"\nperiod = \"2026-Q4\"\ntarget = 100\ncurrent = 106\n+++\n";
    let p = project("", &[("o", OBJ), ("kr", kr)], "2026-11-24");
    let n = num(&p, "kr");
    assert_eq!(n.progress, Some(1.06));
    assert_eq!(n.score, Some(1.0));
    assert_eq!(n.status, Status::Achieved);
    // The parent rolls up min(progress, 1).
    assert_eq!(num(&p, "o").progress, Some(1.0));
}

#[test]
fn aspirational_pace_and_success_line() {
    let kr = |current: u32| {
        format!(
            "+++\ntitle = \"Reach 100 integrations\"\nparent = \"o\"\nperiod = \"2026-Q4\"\ncommitment = \"aspirational\"\ntarget = 100\ncurrent = {current}\n+++\n"
        )
    };
    let p = project("", &[("o", OBJ), ("kr", &kr(30))], "2026-11-24");
    let n = num(&p, "kr");
    assert_eq!(n.elapsed, Some(0.5934065934065934));
    assert_eq!(n.expected, Some(0.41538461538461535));
    // 0.30 / 0.4154 = 0.722 → at risk (≥ 0.7, < 0.9).
    assert_eq!(n.status, Status::AtRisk);
    // 70% is success for an aspirational goal.
    let p = project("", &[("o", OBJ), ("kr", &kr(70))], "2026-11-24");
    assert_eq!(num(&p, "kr").status, Status::Achieved);
    assert_eq!(num(&p, "kr").score, Some(0.7));
}

#[test]
fn fiscal_year_from_april() {
    let book = "[org]\nfiscal-year-start = 4\n";
    let g = |period: &str| format!("+++\ntitle = \"Some goal with a period\"\nperiod = \"{period}\"\n+++\n");
    let p = project(
        book,
        &[("y", &g("2026")), ("q", &g("2026-Q1")), ("q4", &g("2026-Q4")), ("h", &g("2026-H2")), ("m", &g("2026-02"))],
        "2026-11-24",
    );
    let dates = |id: &str| (goal(&p, id).start.unwrap(), goal(&p, id).due.unwrap());
    assert_eq!(dates("y"), (d("2026-04-01"), d("2027-03-31")));
    assert_eq!(dates("q"), (d("2026-04-01"), d("2026-06-30")));
    assert_eq!(dates("q4"), (d("2027-01-01"), d("2027-03-31")));
    assert_eq!(dates("h"), (d("2026-10-01"), d("2027-03-31")));
    assert_eq!(dates("m"), (d("2026-02-01"), d("2026-02-28")));
}

#[test]
fn due_only_goal_starts_with_its_fiscal_year() {
    let g = "+++\ntitle = \"Retention from 80% to 85%\"\ndue = 2026-12-31\nbaseline = 80\ntarget = 85\n+++\n";
    let p = project("[org]\nfiscal-year-start = 4\n", &[("g", g)], "2026-11-24");
    assert_eq!(goal(&p, "g").start, Some(d("2026-04-01")));
    assert_eq!(goal(&p, "g").due, Some(d("2026-12-31")));
    let p = project("", &[("g", g)], "2026-11-24");
    assert_eq!(goal(&p, "g").start, Some(d("2026-01-01")));
    // 327 of 364 days.
    assert_eq!(num(&p, "g").elapsed, Some(327.0 / 364.0));
    assert_eq!(num(&p, "g").days_left, Some(37));
}

#[test]
fn checkin_after_as_of_is_ignored() {
    let g = "+++\ntitle = \"Generate 400 MQLs in Q4\"\nperiod = \"2026-Q4\"\nbaseline = 50\ntarget = 400\n\n[[checkin]]\ndate = 2026-12-01\nvalue = 300\n\n[[checkin]]\ndate = 2026-10-15\nvalue = 80\n+++\n";
    let p = project("", &[("g", g)], "2026-11-24");
    let n = num(&p, "g");
    assert_eq!(n.current, Some(80.0));
    assert_eq!(n.progress, Some(30.0 / 350.0));
    // Forecast from (day 0, 50) and (day 14, 80) only: slope 30/14, at day 91.
    let f = n.forecast.unwrap();
    assert!((f - (50.0 + 30.0 / 14.0 * 91.0)).abs() < 1e-9, "{f}");
    // With no check-in by as_of, current is the baseline and there is no forecast.
    let p = project("", &[("g", g)], "2026-10-01");
    assert_eq!(num(&p, "g").current, Some(50.0));
    assert_eq!(num(&p, "g").forecast, None);
}

#[test]
fn task_lists_are_counted_by_the_markdown_parser() {
    let g = "+++\ntitle = \"Launch the partner portal\"\nkind = \"initiative\"\nperiod = \"2026-Q4\"\n+++\n## Plan\n- [x] Design\n- [ ] Build\n\n```\n- [ ] not a task, inside a code block\n- [x] neither\n```\n\n    - [ ] indented code, not a task\n";
    let p = project("", &[("g", g)], "2026-11-24");
    assert_eq!(goal(&p, "g").tasks, (1, 2));
    assert_eq!(num(&p, "g").progress, Some(0.5));
}

#[test]
fn done_initiative_is_complete() {
    let g = "+++\ntitle = \"Run the Q4 CSAT survey\"\nkind = \"initiative\"\nperiod = \"2026-Q4\"\ndone = true\n+++\n";
    let p = project("", &[("g", g)], "2026-11-24");
    assert_eq!(num(&p, "g").progress, Some(1.0));
    assert_eq!(num(&p, "g").status, Status::Achieved);
    assert!(num(&p, "g").smart.measurable);
}

#[test]
fn weighted_roll_up_leaves_kpis_out() {
    let kr = |target: u32, current: u32, weight: u32| {
        format!(
            "+++\ntitle = \"A key result of 100\"\nparent = \"o\"\nperiod = \"2026-Q4\"\ntarget = {target}\ncurrent = {current}\nweight = {weight}\n+++\n"
        )
    };
    let kpi = "+++\ntitle = \"Uptime above 99.9%\"\nkind = \"kpi\"\nparent = \"o\"\ntarget = 99.9\ncurrent = 10\nweight = 100\n+++\n";
    let p = project("", &[("o", OBJ), ("a", &kr(100, 50, 1)), ("b", &kr(100, 120, 3)), ("k", kpi)], "2026-11-24");
    // (0.5×1 + min(1.2, 1)×3) / 4; the kpi takes no part.
    assert_eq!(num(&p, "o").progress, Some(0.875));
    assert_eq!(num(&p, "o").score, Some(0.88));
    // An objective with no children has progress 0.
    let p = project("", &[("o", OBJ)], "2026-11-24");
    assert_eq!(num(&p, "o").progress, Some(0.0));
}

#[test]
fn kpi_status_in_both_directions() {
    let kpi = |dir: &str, target: f64, warning: f64, current: f64| {
        format!(
            "+++\ntitle = \"A health metric to watch\"\nkind = \"kpi\"\ndirection = \"{dir}\"\ntarget = {target:?}\nwarning = {warning:?}\ncurrent = {current:?}\n+++\n"
        )
    };
    let status = |text: String| {
        let p = project("", &[("k", &text)], "2026-11-24");
        let n = num(&p, "k").clone();
        assert_eq!(
            (n.progress, n.elapsed, n.expected, n.score, n.days_left, n.forecast),
            (None, None, None, None, None, None)
        );
        n.status
    };
    assert_eq!(status(kpi("increase", 90.0, 80.0, 95.0)), Status::Achieved);
    assert_eq!(status(kpi("increase", 90.0, 80.0, 90.0)), Status::Achieved);
    assert_eq!(status(kpi("increase", 90.0, 80.0, 85.0)), Status::AtRisk);
    assert_eq!(status(kpi("increase", 90.0, 80.0, 70.0)), Status::OffTrack);
    assert_eq!(status(kpi("decrease", 5.0, 8.0, 4.0)), Status::Achieved);
    assert_eq!(status(kpi("decrease", 5.0, 8.0, 6.0)), Status::AtRisk);
    assert_eq!(status(kpi("decrease", 5.0, 8.0, 8.0)), Status::AtRisk);
    assert_eq!(status(kpi("decrease", 5.0, 8.0, 9.0)), Status::OffTrack);
}

#[test]
fn undated_objective_has_null_pace_numbers() {
    let o = "+++\ntitle = \"Be the best place to work\"\nowner = \"a\"\nperspective = \"learning\"\n+++\n";
    let p = project("", &[("o", o)], "2026-11-24");
    let n = num(&p, "o");
    assert_eq!((n.elapsed, n.expected, n.days_left, n.forecast), (None, None, None, None));
    assert_eq!(n.status, Status::Undated);
    assert!(!n.smart.time_bound);
}

#[test]
fn status_rules_in_order() {
    let g = |current: u32| {
        format!(
            "+++\ntitle = \"Generate 100 leads in Q4\"\nperiod = \"2026-Q4\"\ntarget = 100\ncurrent = {current}\n+++\n"
        )
    };
    let status = |current: u32, as_of: &str| num(&project("", &[("g", &g(current))], as_of), "g").status;
    assert_eq!(status(10, "2026-09-30"), Status::Upcoming);
    assert_eq!(status(10, "2027-01-01"), Status::Missed);
    assert_eq!(status(100, "2027-01-01"), Status::Achieved);
    // expected == 0 on the first day.
    assert_eq!(status(0, "2026-10-01"), Status::OnTrack);
    // elapsed 54/91 = 0.5934: 54% is ≥ 0.9 × expected, 42% ≥ 0.7×, 41% is not.
    assert_eq!(status(54, "2026-11-24"), Status::OnTrack);
    assert_eq!(status(42, "2026-11-24"), Status::AtRisk);
    assert_eq!(status(41, "2026-11-24"), Status::OffTrack);
    let p = project("", &[("g", &g(10))], "2027-01-10");
    assert_eq!(num(&p, "g").days_left, Some(-10));
    assert_eq!(num(&p, "g").elapsed, Some(1.0));
}

#[test]
fn status_thresholds_come_from_book_toml() {
    let g = "+++\ntitle = \"Generate 100 leads in Q4\"\nperiod = \"2026-Q4\"\ntarget = 100\ncurrent = 42\n+++\n";
    let p = project("[status]\non-track = 0.5\n", &[("g", g)], "2026-11-24");
    assert_eq!(num(&p, "g").status, Status::OnTrack);
}

#[test]
fn forecast_needs_two_distinct_dates() {
    let g = "+++\ntitle = \"Generate 100 leads in Q4\"\nperiod = \"2026-Q4\"\ntarget = 100\n\n[[checkin]]\ndate = 2026-10-01\nvalue = 5\n+++\n";
    let p = project("", &[("g", g)], "2026-11-24");
    assert_eq!(num(&p, "g").forecast, None);
    assert_eq!(num(&p, "g").forecast_progress, None);
}

#[test]
fn smart_flags() {
    let o = "+++\ntitle = \"Lead the southern market\"\nowner = \"a\"\nperspective = \"customer\"\nperiod = \"2026\"\n+++\n";
    let good = "+++\ntitle = \"Sign 120 distribution contracts\"\nowner = \"b\"\nparent = \"o\"\nperiod = \"2026-Q4\"\nbaseline = 100\ntarget = 120\ncurrent = 110\n+++\n";
    let vague = "+++\ntitle = \"More sales\"\nowner = \"b\"\nparent = \"o\"\nperiod = \"2026-Q4\"\ntarget = 5\n+++\n";
    let no_owner =
        "+++\ntitle = \"Sign 120 distribution contracts\"\nparent = \"o\"\nperiod = \"2026-Q4\"\ntarget = 5\n+++\n";
    let no_target = "+++\ntitle = \"Sign more distribution contracts\"\nkind = \"key-result\"\nowner = \"b\"\nparent = \"o\"\nperiod = \"2026-Q4\"\n+++\n";
    let growth = "+++\ntitle = \"Sign 1000 contracts\"\nowner = \"b\"\nparent = \"o\"\nperiod = \"2026-Q4\"\nbaseline = 50\ntarget = 1000\n+++\n";
    // Achieved 10 in 54 days; 190 needed in 37 days: far more than 3× the pace.
    let pace = "+++\ntitle = \"Sign 200 contracts\"\nowner = \"b\"\nparent = \"o\"\nperiod = \"2026-Q4\"\ntarget = 200\ncurrent = 10\n+++\n";
    let orphan = "+++\ntitle = \"Sign 120 distribution contracts\"\nowner = \"b\"\nperspective = \"customer\"\nperiod = \"2026-Q4\"\ntarget = 5\n+++\n";
    let no_date = "+++\ntitle = \"Write 10 customer case studies\"\nowner = \"b\"\nparent = \"o\"\ntarget = 10\n+++\n";
    let no_perspective = "+++\ntitle = \"Write 10 customer case studies\"\nowner = \"b\"\nparent = \"np\"\nperiod = \"2026\"\ntarget = 10\n+++\n";
    let np = "+++\ntitle = \"An objective with no perspective\"\nowner = \"b\"\nperiod = \"2026\"\n+++\n";
    let empty_initiative = "+++\ntitle = \"Improve the website\"\nkind = \"initiative\"\nowner = \"b\"\nparent = \"o\"\nperiod = \"2026-Q4\"\n+++\nNo tasks.\n";
    let p = project(
        "",
        &[
            ("o", o),
            ("good", good),
            ("vague", vague),
            ("no-owner", no_owner),
            ("no-target", no_target),
            ("growth", growth),
            ("pace", pace),
            ("orphan", orphan),
            ("no-date", no_date),
            ("np", np),
            ("no-perspective", no_perspective),
            ("empty-initiative", empty_initiative),
        ],
        "2026-11-24",
    );
    let s = |id: &str| {
        let f = num(&p, id).smart;
        [f.specific, f.measurable, f.achievable, f.relevant, f.time_bound]
    };
    assert_eq!(s("good"), [true, true, true, true, true]);
    assert_eq!(s("o"), [true, true, true, true, true]);
    assert_eq!(s("vague"), [false, true, true, true, true]);
    assert_eq!(s("no-owner"), [false, true, true, true, true]);
    assert_eq!(s("no-target"), [true, false, true, true, true]);
    assert_eq!(s("growth"), [true, true, false, true, true]);
    assert_eq!(s("pace"), [true, true, false, true, true]);
    assert_eq!(s("orphan"), [true, true, true, false, true]);
    assert_eq!(s("no-date"), [true, true, true, true, false]);
    assert_eq!(s("no-perspective"), [true, true, true, false, true]);
    assert_eq!(s("np"), [true, true, true, false, true]);
    assert_eq!(s("empty-initiative"), [false, false, true, true, true]);
    // The inherited perspective is the effective one.
    assert_eq!(num(&p, "good").perspective, Some(goalbook::model::Perspective::Customer));
}

#[test]
fn decreasing_target_pace_is_judged_towards_the_target() {
    let o = "+++\ntitle = \"Lead the southern market\"\nowner = \"a\"\nperspective = \"customer\"\nperiod = \"2026\"\n+++\n";
    // 250 → 245 in 54 days; 95 more needed in 37 days.
    let g = "+++\ntitle = \"Cut CAC from $250 to $150\"\nowner = \"b\"\nparent = \"o\"\nperiod = \"2026-Q4\"\nbaseline = 250\ntarget = 150\ncurrent = 245\n+++\n";
    let p = project("", &[("o", o), ("g", g)], "2026-11-24");
    assert!(!num(&p, "g").smart.achievable);
}
