//! SPEC §3 as revised for issue 12: the objective's pace from its children,
//! the target formula for every kind, `done`, the goals.json null rules,
//! half-away-from-zero scores, trimming, kpis without dates, and the sets.

use goalbook::period::Period;
use goalbook::{Code, Status};

use crate::common::numbers::{num, project};

/// A committed key result under `parent` in `period`, baseline 0, target 100.
fn kr(parent: &str, period: &str, current: f64, extra: &str) -> String {
    format!(
        "+++\ntitle = \"Reach 100 of something\"\nparent = \"{parent}\"\nowner = \"a\"\nperiod = \"{period}\"\ntarget = 100\ncurrent = {current}\n{extra}+++\n"
    )
}

fn objective(parent: Option<&str>, period: Option<&str>, extra: &str) -> String {
    let parent = parent.map(|p| format!("parent = \"{p}\"\n")).unwrap_or_default();
    let period = period.map(|p| format!("period = \"{p}\"\n")).unwrap_or_default();
    format!(
        "+++\ntitle = \"Build a skilled, certified and stable team\"\nowner = \"a\"\nperspective = \"learning\"\n{parent}{period}{extra}+++\n"
    )
}

/// Q4 2026 on 2026-11-24: 54 of 91 days.
const Q4: f64 = 0.5934065934065934;
/// November 2026 on 2026-11-24: 23 of 29 days.
const NOV: f64 = 0.7931034482758621;

#[test]
fn a_fiscal_year_objective_fed_by_q4_work_is_judged_by_q4_pace() {
    let o = objective(None, Some("2026"), "");
    let k = kr("o", "2026-Q4", 60.0, "");
    let p = project("", &[("o", &o), ("k", &k)], "2026-11-24");
    let (on, kn) = (num(&p, "o"), num(&p, "k"));
    assert_eq!(kn.expected, Some(Q4));
    assert_eq!(kn.status, Status::OnTrack);
    assert_eq!(on.progress, Some(0.6));
    // Its own year is 90% gone (327 of 364 days), but the pace is its key result's.
    assert_eq!(on.elapsed, Some(327.0 / 364.0));
    assert_eq!(on.expected, Some(Q4));
    assert_eq!(on.status, Status::OnTrack);
    assert_eq!(on.days_left, Some(37));
}

#[test]
fn an_objective_of_objectives_takes_the_pace_down_the_tree() {
    let top = objective(None, Some("2026"), "");
    let mid = objective(Some("top"), Some("2026"), "");
    let k = kr("mid", "2026-Q4", 50.0, "");
    let p = project("", &[("top", &top), ("mid", &mid), ("k", &k)], "2026-11-24");
    assert_eq!(num(&p, "mid").expected, Some(Q4));
    assert_eq!(num(&p, "top").expected, Some(Q4));
    assert_eq!(num(&p, "top").progress, Some(0.5));
    // 0.5 / 0.5934 = 0.8426: at risk, not off track against 0.898.
    assert_eq!(num(&p, "top").status, Status::AtRisk);
}

#[test]
fn weights_zero_half_and_two() {
    let o = objective(None, Some("2026"), "");
    // Weight 0: ended in Q3 at 100%, counts for nothing.
    let a = kr("o", "2026-Q3", 100.0, "weight = 0\n");
    let b = kr("o", "2026-11", 30.0, "weight = 0.5\n");
    let c = kr("o", "2026-Q4", 90.0, "weight = 2\n");
    let p = project("", &[("o", &o), ("a", &a), ("b", &b), ("c", &c)], "2026-11-24");
    let n = num(&p, "o");
    assert_eq!(n.progress, Some((0.5 * 0.3 + 2.0 * 0.9) / 2.5));
    assert_eq!(n.progress, Some(0.78));
    assert_eq!(n.expected, Some((0.5 * NOV + 2.0 * Q4) / 2.5));
    assert_eq!(n.expected, Some(0.6333459643804471));
    assert_eq!(n.status, Status::OnTrack);
    assert_eq!(n.score, Some(0.78));
}

#[test]
fn children_weighing_zero_leave_the_objective_its_own_pace() {
    let o = objective(None, Some("2026"), "");
    let a = kr("o", "2026-Q4", 40.0, "weight = 0\n");
    let p = project("", &[("o", &o), ("a", &a)], "2026-11-24");
    let n = num(&p, "o");
    assert_eq!(n.progress, Some(0.0));
    assert_eq!(n.expected, Some(327.0 / 364.0));
    assert_eq!(n.status, Status::OffTrack);
}

#[test]
fn an_objective_whose_children_are_all_upcoming_expects_nothing_yet() {
    let o = objective(None, Some("2026"), "");
    let a = kr("o", "2026-12", 0.0, "");
    let b = kr("o", "2027-Q1", 0.0, "");
    let p = project("", &[("o", &o), ("a", &a), ("b", &b)], "2026-11-24");
    assert_eq!(num(&p, "a").status, Status::Upcoming);
    assert_eq!(num(&p, "b").status, Status::Upcoming);
    let n = num(&p, "o");
    assert_eq!(n.expected, Some(0.0));
    assert_eq!(n.progress, Some(0.0));
    assert_eq!(n.status, Status::OnTrack);
}

#[test]
fn an_undated_objective_stays_undated_whatever_its_children() {
    let o = objective(None, None, "");
    let a = kr("o", "2026-Q4", 60.0, "");
    let p = project("", &[("o", &o), ("a", &a)], "2026-11-24");
    let n = num(&p, "o");
    assert_eq!((n.elapsed, n.expected, n.days_left, n.forecast), (None, None, None, None));
    assert_eq!(n.progress, Some(0.6));
    assert_eq!(n.status, Status::Undated);
}

#[test]
fn kpi_children_take_no_part_in_pace_or_progress() {
    let o = objective(None, Some("2026"), "");
    let a = kr("o", "2026-Q4", 60.0, "");
    let kpi =
        "+++\ntitle = \"Keep uptime at 99.9%\"\nkind = \"kpi\"\nparent = \"o\"\ntarget = 99.9\ncurrent = 99\n+++\n";
    let p = project("", &[("o", &o), ("a", &a), ("kpi", kpi)], "2026-11-24");
    assert_eq!(num(&p, "o").expected, Some(Q4));
    assert_eq!(num(&p, "o").progress, Some(0.6));
}

#[test]
fn scores_round_half_away_from_zero() {
    let g = |current: u32, target: u32| {
        format!(
            "+++\ntitle = \"Close 8 deals in Q4\"\nperiod = \"2026-Q4\"\ntarget = {target}\ncurrent = {current}\n+++\n"
        )
    };
    let cases = [
        (1, 8, 0.125, 0.13),
        (5, 8, 0.625, 0.63),
        (57, 200, 0.285, 0.29),
        (3, 8, 0.375, 0.38),
        (1, 3, 1.0 / 3.0, 0.33),
    ];
    for (current, target, progress, score) in cases {
        let p = project("", &[("g", &g(current, target))], "2026-11-24");
        assert_eq!(num(&p, "g").progress, Some(progress), "{current}/{target}");
        assert_eq!(num(&p, "g").score, Some(score), "{current}/{target}");
    }
    assert_eq!(goalbook::compute::round2(0.125), 0.13);
    assert_eq!(goalbook::compute::round2(0.625), 0.63);
    assert_eq!(goalbook::compute::round2(-0.125), -0.13);
    assert_eq!(goalbook::compute::round2(0.994), 0.99);
    assert_eq!(goalbook::compute::round2(0.995), 1.0);
}

#[test]
fn a_target_uses_the_target_formula_whatever_the_kind() {
    let ini = "+++\ntitle = \"Train 10 engineers\"\nkind = \"initiative\"\nperiod = \"2026-Q4\"\ntarget = 10\ncurrent = 4\n+++\n- [x] a\n- [x] b\n";
    let obj = "+++\ntitle = \"Reach 20 enterprise customers\"\nkind = \"objective\"\nperiod = \"2026\"\nbaseline = 10\ntarget = 20\ncurrent = 15\n+++\n";
    let child = kr("obj", "2026-Q4", 100.0, "");
    let p = project("", &[("ini", ini), ("obj", obj), ("child", &child)], "2026-11-24");
    assert_eq!(num(&p, "ini").progress, Some(0.4), "not the task list's 100%");
    assert_eq!(num(&p, "obj").progress, Some(0.5), "not the roll-up's 100%");
    // With a target, the objective keeps its own pace too.
    assert_eq!(num(&p, "obj").expected, Some(327.0 / 364.0));
}

#[test]
fn done_makes_progress_at_least_one() {
    let over =
        "+++\ntitle = \"Sign 100 contracts\"\nperiod = \"2026-Q4\"\ntarget = 100\ncurrent = 150\ndone = true\n+++\n";
    let o = objective(None, Some("2026"), "done = true\n");
    let a = kr("o", "2026-Q4", 30.0, "");
    let kr_no_target =
        "+++\ntitle = \"Agree the 2027 price list\"\nkind = \"key-result\"\nperiod = \"2026-Q4\"\ndone = true\n+++\n";
    let p = project("", &[("over", over), ("o", &o), ("a", &a), ("nt", kr_no_target)], "2026-11-24");
    assert_eq!(num(&p, "over").progress, Some(1.5));
    assert_eq!(num(&p, "over").score, Some(1.0));
    assert_eq!(num(&p, "o").progress, Some(1.0));
    assert_eq!(num(&p, "o").status, Status::Achieved);
    assert_eq!(num(&p, "nt").progress, Some(1.0));
}

#[test]
fn baseline_and_current_are_null_only_when_the_goal_has_no_value() {
    let kpi = "+++\ntitle = \"Keep NPS at 50 or more\"\nkind = \"kpi\"\ntarget = 50\n\n[[checkin]]\ndate = 2026-11-01\nvalue = 47\n+++\n";
    let kr_target_only = "+++\ntitle = \"Sign 20 contracts\"\nperiod = \"2026-Q4\"\ntarget = 20\n+++\n";
    let ini = "+++\ntitle = \"Launch the partner portal\"\nkind = \"initiative\"\nperiod = \"2026-Q4\"\n+++\n- [ ] a\n";
    let with_baseline = "+++\ntitle = \"Launch the partner portal now\"\nkind = \"initiative\"\nperiod = \"2026-Q4\"\nbaseline = 3\n+++\n- [ ] a\n";
    let p = project("", &[("kpi", kpi), ("kr", kr_target_only), ("ini", ini), ("wb", with_baseline)], "2026-11-24");
    // goals.json: 0 for a goal with a target (the kpi page shows no baseline it was not given).
    assert_eq!((num(&p, "kpi").baseline, num(&p, "kpi").current), (Some(0.0), Some(47.0)));
    assert_eq!((num(&p, "kr").baseline, num(&p, "kr").current), (Some(0.0), Some(0.0)));
    assert_eq!((num(&p, "ini").baseline, num(&p, "ini").current), (None, None));
    assert_eq!((num(&p, "wb").baseline, num(&p, "wb").current), (Some(3.0), Some(3.0)));
    let json = goalbook::export::goals_json(&p.repo, &p.numbers, p.as_of);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let g = |id: &str| v["goals"].as_array().unwrap().iter().find(|g| g["id"] == id).unwrap().clone();
    assert_eq!(g("kpi")["baseline"], 0.0);
    assert!(g("ini")["baseline"].is_null());
    assert_eq!(g("kpi")["current"], 47.0);
    assert!(g("ini")["current"].is_null());
}

#[test]
fn strings_are_trimmed_and_empty_owners_are_none() {
    let a = "+++\ntitle = \"  Grow revenue to 10B in 2026  \"\nkind = \" objective \"\nperspective = \" finance \"\nowner = \"   \"\nteam = \" sales \"\nperiod = \" 2026 \"\nsupports = [\" c \", \"b\", \"c\"]\n+++\n";
    let b = "+++\ntitle = \"Keep 95% of customers\"\nparent = \" a \"\nperiod = \"2026\"\ntarget = 95\n+++\n";
    let c = "+++\ntitle = \"Ship 4 releases in 2026\"\nperiod = \"2026\"\ntarget = 4\n+++\n";
    let p = project("", &[("a", a), ("b", b), ("c", c)], "2026-11-24");
    let errors: Vec<_> = p.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let g = p.repo.get("a").unwrap();
    assert_eq!(g.title, "Grow revenue to 10B in 2026");
    assert_eq!(g.kind, goalbook::Kind::Objective);
    assert_eq!(g.owner, None);
    assert_eq!(g.team.as_deref(), Some("sales"));
    assert_eq!(g.period, Period::parse("2026"));
    assert_eq!(g.supports, ["b", "c"]);
    assert_eq!(p.repo.get("b").unwrap().parent.as_deref(), Some("a"));
    assert_eq!(p.repo.children[p.repo.by_id["a"]], [p.repo.by_id["b"]]);
}

#[test]
fn of_two_check_ins_on_one_date_the_later_in_the_file_wins() {
    let g = "+++\ntitle = \"Generate 400 MQLs in Q4\"\nperiod = \"2026-Q4\"\ntarget = 400\n\n[[checkin]]\ndate = 2026-11-01\nvalue = 100\n\n[[checkin]]\ndate = 2026-11-01\nvalue = 120\n+++\n";
    let p = project("", &[("g", g)], "2026-11-24");
    assert_eq!(num(&p, "g").current, Some(120.0));
    assert_eq!(goalbook::sets::change(&p.repo, &p.numbers, 0, 1), Some(20.0));
    assert_eq!(goalbook::sets::change(&p.repo, &p.numbers, 0, 0), Some(100.0));
}

#[test]
fn a_kpi_has_no_dates_and_check_says_so() {
    let kpi = "+++\ntitle = \"Keep uptime at 99.9%\"\nkind = \"kpi\"\nowner = \"a\"\nperiod = \"2026-Q4\"\ntarget = 99.9\ncurrent = 99.95\n+++\n";
    let p = project("", &[("kpi", kpi)], "2026-11-24");
    let g = p.repo.get("kpi").unwrap();
    assert_eq!((g.period, g.start, g.due), (None, None, None));
    let warn: Vec<_> = p.diagnostics.iter().filter(|d| d.code == Code::SmartTimeBound).collect();
    assert_eq!(warn.len(), 1, "{:?}", p.diagnostics);
    assert_eq!(warn[0].line, 5);
    assert!(!warn[0].is_error());
    assert!(warn[0].message.contains("`period` is ignored"), "{}", warn[0].message);
    assert_eq!(num(&p, "kpi").status, Status::Achieved);
    assert!(goalbook::sets::periods(&p.repo).is_empty(), "kpis name no period");
    let json = goalbook::export::goals_json(&p.repo, &p.numbers, p.as_of);
    assert!(json.contains("\"period\": null,\n      \"start\": null,\n      \"due\": null,"), "{json}");
}

#[test]
fn measurable_objectives_have_a_child_or_a_target() {
    let lonely = objective(None, Some("2026"), "");
    let with_target =
        "+++\ntitle = \"Reach 20 enterprise customers\"\nkind = \"objective\"\nperiod = \"2026\"\ntarget = 20\n+++\n";
    let parent = objective(None, Some("2026"), "");
    let child = kr("parent", "2026-Q4", 1.0, "");
    let p =
        project("", &[("lonely", &lonely), ("t", with_target), ("parent", &parent), ("child", &child)], "2026-11-24");
    assert!(!num(&p, "lonely").smart.measurable);
    assert!(num(&p, "t").smart.measurable);
    assert!(num(&p, "parent").smart.measurable);
}

#[test]
fn period_sets_hold_the_periods_inside_and_the_due_dates() {
    let g = |extra: &str| format!("+++\ntitle = \"Ship 4 releases in 2026\"\ntarget = 4\n{extra}+++\n");
    let goals = [
        ("year", g("period = \"2026\"\n")),
        ("q4", g("period = \"2026-Q4\"\n")),
        ("nov", g("period = \"2026-11\"\n")),
        ("h2", g("period = \"2026-H2\"\n")),
        ("dated", g("start = 2026-02-01\ndue = 2026-11-15\n")),
        ("kpi", "+++\ntitle = \"Keep uptime\"\nkind = \"kpi\"\ntarget = 99\n+++\n".to_string()),
    ];
    let goals: Vec<(&str, &str)> = goals.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let p = project("", &goals, "2026-11-24");
    let ids = |period: &str| -> Vec<String> {
        goalbook::sets::period_members(&p.repo, Period::parse(period).unwrap())
            .into_iter()
            .map(|i| p.repo.goals[i].id.clone())
            .collect()
    };
    assert_eq!(ids("2026"), ["dated", "h2", "nov", "q4", "year"]);
    assert_eq!(ids("2026-H2"), ["dated", "h2", "nov", "q4"]);
    assert_eq!(ids("2026-Q4"), ["dated", "nov", "q4"]);
    assert_eq!(ids("2026-11"), ["dated", "nov"]);
    assert_eq!(ids("2026-Q1"), Vec::<String>::new());
    let periods: Vec<String> = goalbook::sets::periods(&p.repo).iter().map(|p| p.to_string()).collect();
    assert_eq!(periods, ["2026", "2026-H2", "2026-Q4", "2026-11"]);
    // The sets of every period agree with the one-goal rule (`serve` uses it).
    for (period, members) in goalbook::sets::period_sets(&p.repo) {
        let one_by_one: Vec<usize> =
            (0..p.repo.goals.len()).filter(|&i| goalbook::sets::in_period(&p.repo, i, period)).collect();
        assert_eq!(members, one_by_one, "{period}");
    }
}

#[test]
fn by_on_check_ins_and_a_source_table_are_accepted() {
    let g = "+++\ntitle = \"Generate 400 MQLs in Q4\"\nperiod = \"2026-Q4\"\ntarget = 400\n\n[source]\nkind = \"csv\"\npath = \"data/mqls.csv\"\n\n[[checkin]]\ndate = 2026-11-01\nvalue = 100\nby = \" lan.nguyen \"\n\n[[checkin]]\ndate = 2026-11-02\nvalue = 120\nby = \"pull\"\n+++\n";
    let p = project("", &[("g", g)], "2026-11-24");
    let unknown: Vec<_> = p.diagnostics.iter().filter(|d| d.code == Code::UnknownField).collect();
    assert!(unknown.is_empty(), "{unknown:?}");
    let c = &p.repo.get("g").unwrap().checkins;
    assert_eq!(c[0].by.as_deref(), Some("lan.nguyen"));
    assert_eq!(c[1].by.as_deref(), Some("pull"));
    // A misspelt key of a check-in is still an error.
    let bad = g.replace("by = \"pull\"", "byy = \"pull\"");
    let p = project("", &[("g", &bad)], "2026-11-24");
    assert!(
        p.diagnostics.iter().any(|d| d.code == Code::UnknownField && d.message.contains("`byy`")),
        "{:?}",
        p.diagnostics
    );
}
