//! Pages that say what a goal is: a kpi page shows its current value, target,
//! warning, direction and the trend of its check-ins, with no pace, no
//! deadline and no baseline its file does not give; a goal whose period ended
//! says so, with its final score.

use crate::common;

use crate::common::{bin, repo_root};
use std::path::Path;

fn build(root: &Path, dest: &Path) {
    let out = bin().arg("build").arg(root).arg("--dest").arg(dest).args(["--as-of", "2026-11-24"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The visible text of a page's `<main>`, tags and charts taken out.
fn text(html: &str) -> String {
    let main = &html[html.find("<main").unwrap()..];
    let mut out = String::new();
    let mut rest = main;
    while let Some(svg) = rest.find("<svg") {
        out.push_str(&rest[..svg]);
        rest = rest[svg..].find("</svg>").map_or("", |k| &rest[svg + k + 6..]);
    }
    out.push_str(rest);
    let mut plain = String::new();
    let mut in_tag = false;
    for c in out.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                plain.push(' ');
            }
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    common::html::decode(&plain).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_kpi_page_says_what_a_kpi_is() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("site");
    build(&repo_root(), &dest);
    let html = std::fs::read_to_string(dest.join("goals/customer/nps/index.html")).unwrap();
    let t = text(&html);
    // Current, target, warning, direction and the trend of the check-ins.
    assert!(t.contains("NPS, quarterly B2B survey 41 Target 45 Warning threshold 35 higher is better"), "{t}");
    assert!(t.contains("Trend of the check-ins"), "{t}");
    assert!(t.contains("Details Kind KPI Metric NPS, quarterly B2B survey Current 41 Target 45"), "{t}");
    // The status in a kpi's terms, not a pace.
    assert!(
        t.contains("! at risk committed The current value misses the target but still meets the warning threshold."),
        "{t}"
    );
    for absent in [
        "expected pace",
        "Expected by now",
        "Baseline",
        "Deadline",
        "days left",
        "It has a deadline",
        "Time elapsed",
        "Forecast",
    ] {
        assert!(!t.contains(absent), "a kpi page shows `{absent}`: {t}");
    }
    assert!(
        t.contains("T Time-bound ✓ met A KPI is ongoing: it has no deadline and is judged by its current value against its target."),
        "{t}"
    );
    // No invented baseline: the first check-in has no change, the others do.
    assert!(t.contains("Mar 31, 2026 31 – – Q1 survey, 212 responses"), "{t}");
    assert!(t.contains("Jun 30, 2026 36 +5"), "{t}");
}

#[test]
fn a_goal_whose_period_ended_says_so_with_its_final_score() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("site");
    build(&repo_root(), &dest);
    let q3 = text(&std::fs::read_to_string(dest.join("periods/2026-Q3/index.html")).unwrap());
    assert!(q3.contains("Onboard 40 new dealers in the Mekong Delta in Q3 key result Lý Gia Bảo Sales Q3 2026 ✕ missed 85% 34 40 Sep 30, 2026 Ended Sep 30, 2026 · final score 0.85"), "{q3}");
    assert!(!q3.contains("overdue"), "{q3}");
    let page = text(&std::fs::read_to_string(dest.join("goals/sales/dealers/mekong-dealers-40/index.html")).unwrap());
    assert!(page.contains("Ended Sep 30, 2026 · final score 0.85"), "{page}");
}
