//! Issue 4 (drawings): the progress chart, sparkline, cascade and strategy
//! map on small in-memory fixtures, asserting their elements and snapshotting
//! the full SVG (review changes to `tests/snapshots/` like code).

use chrono::NaiveDate;
use goalbook::config::Config;
use goalbook::i18n::Locale;
use goalbook::load::SourceFile;
use goalbook::render::{chart, diagram};
use goalbook::{Project, Status};

mod routes;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const AS_OF: &str = "2026-11-24";

/// Builds a project from `(id, front matter + body)` pairs; fails on errors.
fn project_with(config: Config, goals: &[(String, String)]) -> Project {
    let files: Vec<SourceFile> = goals
        .iter()
        .map(|(id, text)| SourceFile {
            rel: format!("goals/{id}.md"),
            path_id: id.clone(),
            text: Some(text.clone()),
            unread: None,
        })
        .collect();
    let p = goalbook::project_from_files(config, &files, d(AS_OF), Vec::new());
    let errors: Vec<_> = p.diagnostics.iter().filter(|x| x.is_error()).collect();
    assert!(errors.is_empty(), "fixture has errors: {errors:?}");
    p
}

fn project(goals: &[(&str, &str)]) -> Project {
    let goals: Vec<(String, String)> = goals.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    project_with(Config::default(), &goals)
}

const OBJECTIVE: &str = r#"+++
title = "Grow a profitable B2B business"
owner = "thanh.nguyen"
perspective = "finance"
period = "2026"
+++
"#;

const MQLS: &str = r#"+++
title = "Generate 400 marketing-qualified leads in Q4"
kind = "key-result"
parent = "company/grow-b2b"
supports = ["customer/nps"]
owner = "lan.nguyen"
team = "marketing"
perspective = "customer"
period = "2026-Q4"
metric = "MQLs"
baseline = 50
target = 400
current = 210

[[checkin]]
date = 2026-10-15
value = 80

[[checkin]]
date = 2026-10-29
value = 130

[[checkin]]
date = 2026-11-12
value = 175

[[milestone]]
date = 2026-11-15
target = 250
+++
"#;

const NPS: &str = r#"+++
title = "Keep B2B Net Promoter Score at 45 or higher"
kind = "kpi"
owner = "hoa.pham"
perspective = "customer"
metric = "NPS"
target = 45
warning = 35
direction = "increase"

[[checkin]]
date = 2026-07-01
value = 38

[[checkin]]
date = 2026-10-01
value = 41
+++
"#;

const CAC: &str = r#"+++
title = "Cut customer acquisition cost from $250 to $150 in H2"
kind = "key-result"
owner = "vy.truong"
period = "2026-H2"
unit = "$"
baseline = 250
target = 150

[[checkin]]
date = 2026-08-31
value = 238

[[checkin]]
date = 2026-09-30
value = 221

[[checkin]]
date = 2026-10-31
value = 205

[[milestone]]
date = 2026-09-30
target = 225
+++
"#;

fn demo() -> Project {
    project(&[("company/grow-b2b", OBJECTIVE), ("marketing/q4-mqls", MQLS), ("customer/nps", NPS), ("cloud/cac", CAC)])
}

fn index(p: &Project, id: &str) -> usize {
    p.repo.by_id[id]
}

/// The wide chart of goal `id` (the one a desktop page shows).
fn chart_of(p: &Project, id: &str, lang: &str) -> String {
    sized_chart(p, id, lang, chart::ChartSize::Wide)
}

fn sized_chart(p: &Project, id: &str, lang: &str, size: chart::ChartSize) -> String {
    chart::progress_chart_sized(&p.repo, &p.numbers, index(p, id), p.as_of, &Locale::new(lang), size).expect("a chart")
}

/// The `y` attribute of the `<text>` element whose content is exactly `label`.
fn text_y(svg: &str, label: &str) -> i64 {
    let end = svg.find(&format!(">{label}</text>")).unwrap_or_else(|| panic!("no text {label:?}"));
    let open = svg[..end].rfind("<text ").unwrap();
    attr(&svg[open..end], "y").parse::<f64>().unwrap() as i64
}

fn attr<'a>(tag: &'a str, name: &str) -> &'a str {
    let start = tag.find(&format!(" {name}=\"")).unwrap_or_else(|| panic!("no {name} in {tag}")) + name.len() + 3;
    &tag[start..start + tag[start..].find('"').unwrap()]
}

/// Every element `<tag …/>` whose attributes contain `needle`.
fn elements<'a>(svg: &'a str, tag: &str, needle: &str) -> Vec<&'a str> {
    svg.match_indices(&format!("<{tag} "))
        .map(|(k, _)| &svg[k..k + svg[k..].find('>').unwrap() + 1])
        .filter(|e| e.contains(needle))
        .collect()
}

/// The points of a `<path>` of one line (`d="M x y x y …"`).
fn points(path: &str) -> Vec<(i64, i64)> {
    let d = attr(path, "d").strip_prefix('M').unwrap_or_else(|| panic!("not a line: {path}"));
    assert!(!d.contains(|c: char| c.is_ascii_alphabetic()), "one line of straight segments: {path}");
    let numbers: Vec<i64> = d.split_whitespace().map(|n| n.parse().unwrap()).collect();
    numbers.chunks(2).map(|p| (p[0], p[1])).collect()
}

const ACTUAL: &str = "stroke=\"#2563eb\"";
const TARGET: &str = "stroke=\"#16a34a\"";
const FORECAST: &str = "stroke=\"#8b5cf6\" stroke-dasharray=\"7 5\"";
const PACE: &str = "stroke=\"currentColor\" stroke-dasharray=\"3 4\"";

#[test]
fn progress_chart_shows_actual_pace_target_milestone_forecast_and_today() {
    let p = demo();
    let svg = chart_of(&p, "marketing/q4-mqls", "en");
    assert!(svg.starts_with("<svg "), "no XML prolog: {}", &svg[..40]);
    assert!(!svg.contains("<?xml"));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains(" viewBox=\"0 0 720 320\""));
    assert!(svg.contains(" role=\"img\""));
    let label = "Progress chart of Generate 400 marketing-qualified leads in Q4: 210 of 400";
    assert!(svg.contains(&format!("aria-label=\"{label}\"")));
    assert!(svg.contains(&format!("<title>{label}</title>")));

    // Actual: (start, baseline), three check-ins and the given current at as_of.
    let actual = elements(&svg, "path", ACTUAL);
    assert_eq!(actual.len(), 2, "the series and its legend sample: {actual:?}");
    let series = points(actual[0]);
    assert_eq!(series.len(), 5);
    assert!(series.windows(2).all(|w| w[0].0 < w[1].0), "dates increase to the right: {series:?}");
    assert_eq!(elements(&svg, "circle", "fill=\"#2563eb\"").len(), 6, "5 points + legend");

    // Target: one horizontal line across the plot, above every actual point.
    let target = elements(&svg, "path", TARGET);
    let t = points(target[0]);
    assert_eq!(t[0].1, t[1].1);
    assert!(series.iter().all(|p| p.1 > t[0].1), "400 is above all values");

    // Ideal pace from (start, 50) to (due, 400): starts where the actual starts, ends on the target.
    let pace = points(elements(&svg, "path", PACE)[0]);
    assert_eq!(pace[0], series[0]);
    assert_eq!(pace[1].1, t[0].1);

    // Forecast: dashed, from the last actual point to the deadline.
    let forecast = points(elements(&svg, "path", FORECAST)[0]);
    assert_eq!(forecast[0], *series.last().unwrap());
    assert_eq!(forecast[1].0, pace[1].0, "ends at the deadline");
    assert!(forecast[1].1 > t[0].1, "the forecast is below the target");
    let f = p.numbers[index(&p, "marketing/q4-mqls")].forecast.unwrap();
    assert!(svg.contains(&format!(">≈{}</text>", f.round())), "forecast value labelled");

    // Milestone: a diamond (plus the legend's).
    assert_eq!(elements(&svg, "path", "fill=\"#d97706\"").len(), 2);

    // Today: a vertical line at the last actual point's x (current is given), labelled.
    let today = series.last().unwrap().0;
    let vertical: Vec<_> = elements(&svg, "path", "opacity=\"0.55\"")
        .into_iter()
        .map(points)
        .filter(|p| p.len() == 2 && p[0].0 == today && p[1].0 == today)
        .collect();
    assert_eq!(vertical.len(), 1);
    assert!(text_y(&svg, "Today") < t[0].1);

    // Dated x axis and legend.
    for label in ["Oct 1", "Oct 15", "Nov 1", "Nov 15", "Dec 1", "Dec 15"] {
        text_y(&svg, label);
    }
    for label in ["Actual", "Ideal pace", "Target", "Milestone", "Forecast", "MQLs"] {
        text_y(&svg, label);
    }

    // Compact (issue 8): the font and the text colour are set once on the
    // <svg>, defaults are not written out, the grid lines of each axis are
    // one element, and texts come after every shape, so no line covers a label.
    assert_eq!(svg.matches("font-family=").count(), 1);
    assert!(svg.contains(" font-size=\"12\" fill=\"currentColor\">\n<title>"));
    assert!(!svg.contains("opacity=\"1\"") && !svg.contains("stroke-width=\"1\""));
    assert_eq!(svg.matches("opacity=\"0.12\"").count(), 2, "one x grid and one y grid");
    let last_shape = ["<path ", "<circle "].iter().filter_map(|t| svg.rfind(t)).max().unwrap();
    assert!(last_shape < svg.find("<text ").unwrap(), "texts last");
    insta::assert_snapshot!("progress_chart_en", svg);
}

/// Issue 17: on a 390-pixel phone the wide chart shrinks its text to about
/// 6 pixels; the narrow one, 320 wide, keeps every text at 12 pixels or more,
/// with the same series, labels and legend, and nothing outside its box.
#[test]
fn the_narrow_chart_keeps_its_text_readable_on_a_phone() {
    let p = demo();
    for (id, lang) in
        [("marketing/q4-mqls", "en"), ("marketing/q4-mqls", "vi"), ("cloud/cac", "en"), ("customer/nps", "en")]
    {
        let svg = sized_chart(&p, id, lang, chart::ChartSize::Narrow);
        assert!(svg.starts_with(
            "<svg class=\"chart progress-chart narrow\" width=\"320\" height=\"300\" viewBox=\"0 0 320 300\""
        ));
        assert!(svg.contains(" font-size=\"12\" fill=\"currentColor\">"), "12 pixels by default");
        // No text smaller than the default.
        for (k, _) in svg.match_indices("<text ") {
            let tag = &svg[k..k + svg[k..].find('>').unwrap()];
            if tag.contains(" font-size=\"") {
                let size: f64 = attr(tag, "font-size").parse().unwrap();
                assert!(size >= 12.0, "{id} {lang}: {tag}");
            }
            let x: f64 = attr(tag, "x").parse().unwrap();
            assert!((0.0..=320.0).contains(&x), "{id} {lang}: {tag} outside the box");
        }
        // Every label starts inside and, at DejaVu Sans' widest advance
        // (0.65 em at 12 px) for a left-anchored text, ends inside too.
        for (k, _) in svg.match_indices("<text ") {
            let tag = &svg[k..k + svg[k..].find('>').unwrap()];
            let content = &svg[k + tag.len() + 1..k + svg[k..].find("</text>").unwrap()];
            let x: f64 = attr(tag, "x").parse().unwrap();
            if !tag.contains("text-anchor") {
                let width = content.chars().count() as f64 * 0.65 * 12.0;
                assert!(x + width <= 320.0 + 12.0, "{id} {lang}: {content:?} at x={x} runs out of the box");
            }
        }
        // The same series as the wide chart: one actual line (and its legend sample).
        assert_eq!(elements(&svg, "path", ACTUAL).len(), 2, "{id}");
        let wide = chart_of(&p, id, lang);
        assert_eq!(
            elements(&svg, "circle", "fill=\"#2563eb\"").len(),
            elements(&wide, "circle", "fill=\"#2563eb\"").len()
        );
    }
    let svg = sized_chart(&p, "marketing/q4-mqls", "en", chart::ChartSize::Narrow);
    for label in ["Actual", "Ideal pace", "Target", "Milestone", "Forecast", "Today", "400"] {
        text_y(&svg, label);
    }
    insta::assert_snapshot!("progress_chart_narrow", svg);

    // A page gets both, wide first; the theme shows one (goalbook.css).
    let both = chart::progress_chart(&p.repo, &p.numbers, index(&p, "marketing/q4-mqls"), p.as_of, &Locale::new("en"))
        .unwrap();
    assert_eq!(both, format!("{}{svg}", chart_of(&p, "marketing/q4-mqls", "en")));
    assert_eq!(chart::wide_part(&both), chart_of(&p, "marketing/q4-mqls", "en"), "what a handout shows");
    let css = include_str!("../themes/default/goalbook.css");
    assert!(css.contains("\nsvg.progress-chart.narrow { display: none; }\n"));
    assert!(css.contains("@media screen and (max-width: 599px) {\n  svg.progress-chart { display: none; }\n  svg.progress-chart.narrow { display: block; }\n}"));
}

#[test]
fn progress_chart_in_vietnamese_has_vietnamese_text() {
    let p = demo();
    let svg = chart_of(&p, "marketing/q4-mqls", "vi");
    for label in ["Thực tế", "Tiến độ lý tưởng", "Chỉ tiêu", "Cột mốc", "Dự báo", "Hôm nay", "01/10", "15/11"]
    {
        text_y(&svg, label);
    }
    assert!(svg.contains("aria-label=\"Biểu đồ tiến độ của Generate 400 marketing-qualified leads in Q4: 210 / 400\""));
    assert!(svg.contains("font-family=\"DejaVu Sans, Verdana, sans-serif\""));
    insta::assert_snapshot!("progress_chart_vi", svg);
}

#[test]
fn decreasing_target_keeps_the_y_axis_increasing_upward() {
    let p = demo();
    let svg = chart_of(&p, "cloud/cac", "en");
    // Higher values are higher on the page (smaller y).
    assert!(text_y(&svg, "$240") < text_y(&svg, "$200"));
    assert!(text_y(&svg, "$200") < text_y(&svg, "$160"));
    let series = points(elements(&svg, "path", ACTUAL)[0]);
    assert!(series.windows(2).all(|w| w[0].1 < w[1].1), "a falling cost goes down the page: {series:?}");
    let target = points(elements(&svg, "path", TARGET)[0]);
    assert!(series.iter().all(|p| p.1 < target[0].1), "the $150 target is below every value");
    assert!(svg.contains(">$150</text>"), "target labelled with its unit");
    insta::assert_snapshot!("progress_chart_decreasing", svg);
}

#[test]
fn kpi_chart_has_target_and_warning_but_no_pace_or_forecast() {
    let p = demo();
    let svg = chart_of(&p, "customer/nps", "en");
    assert!(svg.contains("stroke=\"#d97706\" stroke-dasharray=\"4 3\""), "warning line");
    assert!(elements(&svg, "path", PACE).is_empty());
    assert!(elements(&svg, "path", FORECAST).is_empty());
    assert_eq!(points(elements(&svg, "path", ACTUAL)[0]).len(), 2);
    text_y(&svg, "Warning");
    // The kpi's default baseline of 0 does not stretch the axis to 0.
    assert!(!svg.contains(">0</text>"));
}

#[test]
fn goals_without_a_target_have_no_chart() {
    let p = demo();
    let i = index(&p, "company/grow-b2b");
    assert_eq!(chart::progress_chart(&p.repo, &p.numbers, i, p.as_of, &Locale::new("en")), None);
    assert_eq!(chart::sparkline(&p.repo, &p.numbers, i, p.as_of), None);
    assert_eq!(chart::progress_chart(&p.repo, &p.numbers, 999, p.as_of, &Locale::new("en")), None);
}

#[test]
fn charts_are_deterministic() {
    let a = chart_of(&demo(), "marketing/q4-mqls", "en");
    let b = chart_of(&demo(), "marketing/q4-mqls", "en");
    assert_eq!(a, b);
    let p = demo();
    let i = index(&p, "cloud/cac");
    assert_eq!(chart::sparkline(&p.repo, &p.numbers, i, p.as_of), chart::sparkline(&p.repo, &p.numbers, i, p.as_of));
}

#[test]
fn sparkline_is_tiny_silent_and_coloured_by_status() {
    let p = demo();
    let i = index(&p, "marketing/q4-mqls");
    let svg = chart::sparkline(&p.repo, &p.numbers, i, p.as_of).unwrap();
    assert!(svg.starts_with("<svg class=\"sparkline\" width=\"80\" height=\"20\" viewBox=\"0 0 80 20\""));
    assert!(svg.contains("aria-hidden=\"true\""));
    assert!(!svg.contains("<text"));
    assert_eq!(p.numbers[i].status, Status::AtRisk);
    assert!(svg.contains(&format!("stroke=\"{}\"", diagram::status_color(Status::AtRisk))));
    insta::assert_snapshot!("sparkline", svg);
}

#[test]
fn status_icons_and_classes() {
    let icons: Vec<_> = Status::ALL.iter().map(|&s| diagram::status_icon(s)).collect();
    assert_eq!(icons, ["✓", "!", "✕", "★", "✕", "○", "–"]);
    let classes: Vec<_> = Status::ALL.iter().map(|&s| diagram::status_class(s)).collect();
    assert_eq!(classes, ["on-track", "at-risk", "off-track", "achieved", "missed", "upcoming", "undated"]);
}

/// A root objective with `n` key results, each with `m` initiatives.
fn wide_tree(n: usize, m: usize) -> Project {
    let mut goals = vec![("company/root".to_string(), OBJECTIVE.to_string())];
    for k in 0..n {
        let kr = format!("kr/k{k:03}");
        goals.push((
            kr.clone(),
            format!(
                "+++\ntitle = \"Key result number {k} with a rather long title that must be cut\"\nparent = \"company/root\"\nowner = \"owner.{k}\"\nperiod = \"2026-Q4\"\ntarget = 100\ncurrent = {}\n+++\n",
                k % 100
            ),
        ));
        for j in 0..m {
            goals.push((
                format!("{kr}/i{j}"),
                format!("+++\ntitle = \"Initiative {j}\"\nkind = \"initiative\"\nparent = \"{kr}\"\nowner = \"o\"\ndue = 2026-12-31\n+++\n- [x] a\n- [ ] b\n"),
            ));
        }
    }
    project_with(Config::default(), &goals)
}

fn goal_nodes(svg: &str) -> usize {
    svg.lines().filter(|l| l.starts_with("<a href=") && !l.contains("class=\"node more\"")).count()
}

#[test]
fn cascade_caps_nodes_and_summarises_the_rest() {
    let p = wide_tree(30, 3);
    let root = index(&p, "company/root");
    let svg = diagram::cascade(&p.repo, &p.numbers, &[root], 3, 10, &Locale::new("en"), "../");
    assert_eq!(goal_nodes(&svg), 10, "the root and 9 key results");
    // The other 21 key results are one node linking to the root's page.
    assert_eq!(svg.matches("class=\"node more\"").count(), 1);
    assert!(
        svg.contains("<a href=\"../goals/company/root/index.html\" class=\"node more\" transform=\"translate(262 ")
    );
    assert!(svg.contains(">+21 more</text>"));
    // The 9 key results drawn have their 3 initiatives summarised as a badge.
    assert_eq!(svg.matches(">+3 →</text>").count(), 9);

    let all = diagram::cascade(&p.repo, &p.numbers, &[root], 3, 1000, &Locale::new("en"), "");
    assert_eq!(goal_nodes(&all), 1 + 30 + 90);
    assert!(!all.contains("more</text>"));

    let top = diagram::cascade(&p.repo, &p.numbers, &[root], 1, 1000, &Locale::new("en"), "");
    assert_eq!(goal_nodes(&top), 1);
    assert!(top.contains(">+30 →</text>"));
}

#[test]
fn cascade_nodes_link_relative_to_the_page_and_show_status_in_words() {
    let p = demo();
    let root = index(&p, "company/grow-b2b");
    let svg = diagram::cascade(&p.repo, &p.numbers, &[root], 4, 100, &Locale::new("en"), "../../../");
    assert!(svg.contains("<a href=\"../../../goals/company/grow-b2b/index.html\" class=\"node "));
    assert!(svg.contains(
        "<a href=\"../../../goals/marketing/q4-mqls/index.html\" class=\"node at-risk\" transform=\"translate(276 8)\">"
    ));
    // The icon takes the node's status hue from the theme (see the next test).
    assert!(svg.contains("<tspan class=\"icon\">!</tspan> at risk · 46%</text>"));
    // Full title in the tooltip, owner on the node.
    assert!(svg.contains("<title>Generate 400 marketing-qualified leads in Q4 (key result)\nOwner: lan.nguyen\nStatus: ! at risk · 46%</title>"));
    assert!(svg.contains(">lan.nguyen</text>"));
    assert!(svg.starts_with("<svg class=\"diagram cascade\" "));
    assert!(svg.contains("role=\"group\" aria-label=\"Goal cascade diagram\""));
    insta::assert_snapshot!("cascade", svg);

    let vi = diagram::cascade(&p.repo, &p.numbers, &[root], 4, 100, &Locale::new("vi"), "");
    assert!(vi.contains("</tspan> có rủi ro · 46%</text>"));
    assert!(vi.contains("<a href=\"goals/marketing/q4-mqls/index.html\""));
}

/// The CSS rule bodies of `css` whose selector list has `selector`.
fn css_rules<'a>(css: &'a str, selector: &str) -> Vec<&'a str> {
    css.split('}')
        .filter_map(|rule| rule.split_once('{'))
        .filter(|(selectors, _)| selectors.split(',').any(|s| s.trim() == selector))
        .map(|(_, body)| body)
        .collect()
}

#[test]
fn diagram_presentation_comes_from_the_theme_with_the_status_colours() {
    let css = include_str!("../themes/default/goalbook.css");
    for s in Status::ALL {
        let selector = format!("svg.diagram .{}", diagram::status_class(s));
        let hue = format!("--hue: {};", diagram::status_color(s));
        assert!(css_rules(css, &selector).iter().any(|body| body.contains(&hue)), "{selector} {{ {hue} }}");
    }
    // A node's <use>d frame: its stripe inherits the fill of the <use>.
    assert!(css_rules(css, "svg.diagram use").iter().any(|body| body.contains("fill: var(--hue);")));
    for class in ["icon", "dim", "end", "state", "fill", "edges", "band-name", "note", "links", "arrow"] {
        let styled = [" {", ", "].iter().any(|after| css.contains(&format!(" .{class}{after}")));
        assert!(styled, "goalbook.css styles .{class}");
    }

    let p = wide_tree(3, 2);
    let svg = diagram::cascade(&p.repo, &p.numbers, &[index(&p, "company/root")], 3, 100, &Locale::new("en"), "");
    // Nodes carry geometry and classes, no colour or font of their own.
    let nodes = &svg[svg.find("<a ").unwrap()..];
    for presentation in ["font-size=", "font-family=", "font-weight=", "fill=\"#", "stroke="] {
        assert!(!nodes.contains(presentation), "{presentation} on a node");
    }
    // The shared frame is defined once and every <use> points at a defined id.
    let ids: Vec<&str> = svg.match_indices(" id=\"").map(|(k, _)| attr(&svg[k..], "id")).collect();
    assert_eq!(ids, ["gb-cascade-card", "gb-cascade-bar"]);
    for (k, _) in svg.match_indices("<use ") {
        let target = attr(&svg[k..], "href").strip_prefix('#').unwrap();
        assert!(ids.contains(&target), "{target}");
    }
    // A node with progress shows the frame with the track, a kpi without it.
    let with_progress = p.numbers.iter().filter(|n| n.progress.is_some()).count();
    assert_eq!(p.repo.goals.len(), 10);
    assert_eq!(svg.matches("<use href=\"#gb-cascade-bar\"/>").count(), with_progress);
    let card_uses = svg.matches("<use href=\"#gb-cascade-card\"/>").count();
    assert_eq!(card_uses, 1 + 10 - with_progress, "the bar's frame uses the card");
    // One path draws every edge: root → 3 key results → 2 initiatives each.
    let edges = elements(&svg, "path", "class=\"edges\"");
    assert_eq!(edges.len(), 1);
    assert_eq!(attr(edges[0], "d").matches('M').count(), 3 + 6);
}

#[test]
fn cascade_escapes_titles_and_truncates_long_ones() {
    let p = project(&[(
        "a",
        "+++\ntitle = \"<script>alert('x')</script> & a title far too long to fit on two lines of a small node in the cascade\"\nowner = \"o\"\ntarget = 10\n+++\n",
    )]);
    let svg = diagram::cascade(&p.repo, &p.numbers, &[0], 2, 10, &Locale::new("en"), "");
    assert!(!svg.contains("<script>"));
    assert!(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp;"));
    assert!(svg.contains("…</text>"), "the shown title is cut");
    assert!(svg.contains("in the cascade (key result)"), "the tooltip has the full title");
}

#[test]
fn cascade_of_nothing_says_so() {
    let p = demo();
    let svg = diagram::cascade(&p.repo, &p.numbers, &[], 3, 10, &Locale::new("en"), "");
    assert!(svg.contains(">No goals to show.</text>"));
    let svg = diagram::cascade(&p.repo, &p.numbers, &[12345], 3, 10, &Locale::new("en"), "");
    assert!(svg.contains(">No goals to show.</text>"), "bad indices are ignored");
}

#[test]
fn cascade_with_many_roots_and_a_large_repository_draws_only_the_cap() {
    let p = wide_tree(200, 20);
    assert_eq!(p.repo.goals.len(), 1 + 200 + 4000);
    let roots: Vec<usize> = (0..p.repo.goals.len()).collect();
    let svg = diagram::cascade(&p.repo, &p.numbers, &roots, 2, 25, &Locale::new("en"), "");
    assert_eq!(goal_nodes(&svg), 25);
    assert!(svg.contains(&format!(">+{} more</text>", p.repo.goals.len() - 25)));
    assert_eq!(diagram::cascade(&p.repo, &p.numbers, &roots, 2, 25, &Locale::new("en"), ""), svg);
}

#[test]
fn strategy_map_has_bands_links_and_caps() {
    let p = demo();
    let svg = diagram::strategy_map(&p.repo, &p.numbers, &Locale::new("en"), "../");
    assert!(svg.starts_with("<svg class=\"diagram strategy-map\" "));
    assert!(svg.contains("role=\"group\""));
    // Finance at the top, learning at the bottom.
    assert!(text_y(&svg, "Finance") < text_y(&svg, "Customer"));
    assert!(text_y(&svg, "Customer") < text_y(&svg, "Internal process"));
    assert!(text_y(&svg, "Internal process") < text_y(&svg, "Learning and"));
    assert!(svg.contains(">No goals in this perspective.</text>"));
    // The supports link, as an arrow with words.
    assert!(svg.contains("<title>Generate 400 marketing-qualified leads in Q4 supports Keep B2B Net Promoter Score at 45 or higher</title>"));
    assert!(svg.contains("<a href=\"../goals/customer/nps/index.html\" class=\"node at-risk\" transform=\"translate("));
    // cloud/cac has no perspective anywhere, so it is not on the map.
    assert!(!svg.contains("goals/cloud/cac/"));
    insta::assert_snapshot!("strategy_map", svg);

    // 30 customer goals: 12 drawn, the rest summarised.
    let mut goals = vec![("company/grow-b2b".to_string(), OBJECTIVE.to_string())];
    for k in 0..30 {
        goals.push((
            format!("c/g{k:02}"),
            format!("+++\ntitle = \"Customer goal {k}\"\nperspective = \"customer\"\nparent = \"company/grow-b2b\"\ntarget = 1\n+++\n"),
        ));
    }
    let mut config = Config::default();
    config.perspective_labels.insert("customer".into(), "Clients".into());
    let p = project_with(config, &goals);
    let svg = diagram::strategy_map(&p.repo, &p.numbers, &Locale::new("en"), "");
    assert_eq!(svg.matches("<a href=\"goals/c/").count(), 12);
    assert!(svg.contains(">+18 more</text>"));
    // …which link to the all-goals table filtered by the perspective (issue 17: links everywhere).
    assert!(svg.contains("<a href=\"goals/index.html?perspective=customer\" class=\"node more\""));
    assert!(svg.contains(">Clients</text>"), "custom perspective labels win");
}

#[test]
fn extreme_values_never_panic() {
    let cases = [
        "baseline = -1e308\ntarget = 1e308\ncurrent = 0.0",
        "baseline = 0\ntarget = 1e-9\ncurrent = 5e-10",
        "baseline = 1e15\ntarget = 2e15",
        "target = inf\nbaseline = 1",
        "target = 5\nbaseline = nan",
        "target = 5\ncurrent = -inf",
        "target = -5\nbaseline = -3\n[[checkin]]\ndate = 2026-11-01\nvalue = nan",
    ];
    for (k, fields) in cases.iter().enumerate() {
        for dates in [
            "period = \"2026-Q4\"",
            "due = 2026-11-24",
            "start = 2026-11-24\ndue = 2026-11-25",
            "",
            "period = \"1970\"",
        ] {
            let text = format!("+++\ntitle = \"Extreme case {k}\"\nowner = \"o\"\n{dates}\n{fields}\n+++\n");
            let files = [SourceFile { rel: "goals/x.md".into(), path_id: "x".into(), text: Some(text), unread: None }];
            let p = goalbook::project_from_files(Config::default(), &files, d(AS_OF), Vec::new());
            if p.repo.goals.is_empty() {
                continue;
            }
            for lang in ["en", "vi"] {
                let _ = chart::progress_chart(&p.repo, &p.numbers, 0, p.as_of, &Locale::new(lang));
                let _ = chart::sparkline(&p.repo, &p.numbers, 0, p.as_of);
                let _ = diagram::cascade(&p.repo, &p.numbers, &[0], 3, 10, &Locale::new(lang), "");
                let _ = diagram::strategy_map(&p.repo, &p.numbers, &Locale::new(lang), "");
            }
        }
    }
}
