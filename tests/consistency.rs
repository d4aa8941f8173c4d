//! SPEC §3 "Sets of goals: one rule on every page", checked from the outside:
//! the site is built by the real binary, the sets are computed here from
//! `goals.json` alone by the rules of the SPEC, and every count, average and
//! goal list that the dashboard, the scorecard, the team, person and period
//! pages, their directories and the handouts show is compared with them.
//! Over the demo, the Vietnamese `init` repository and a generated
//! repository of 1,200 goals (bench/gen.py).

use crate::common::html::decode;
use crate::common::{bin, repo_root};
use chrono::{Datelike, Months, NaiveDate};
use goalbook::i18n::Locale;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-24";

/// One goal of goals.json, the fields the sets need.
#[derive(Clone, Debug)]
struct G {
    title: String,
    kind: String,
    owner: Option<String>,
    team: Option<String>,
    perspective: Option<String>,
    period: Option<String>,
    due: Option<NaiveDate>,
    progress: Option<f64>,
    url: String,
}

fn read_goals(json: &serde_json::Value) -> Vec<G> {
    let s = |v: &serde_json::Value| v.as_str().map(str::to_string);
    json["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| G {
            title: s(&g["title"]).unwrap(),
            kind: s(&g["kind"]).unwrap(),
            owner: s(&g["owner"]),
            team: s(&g["team"]),
            perspective: s(&g["perspective"]),
            period: s(&g["period"]),
            due: s(&g["due"]).map(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").unwrap()),
            progress: g["progress"].as_f64(),
            url: s(&g["url"]).unwrap(),
        })
        .collect()
}

/// First and last day of a period label (SPEC §1), the fiscal year from `fy`.
fn period_range(p: &str, fy: u32) -> (NaiveDate, NaiveDate) {
    let year: i32 = p[..4].parse().unwrap();
    let fy_start = NaiveDate::from_ymd_opt(year, fy, 1).unwrap();
    let (start, months) = match &p[4..] {
        "" => (fy_start, 12),
        r if r.starts_with("-H") => (fy_start + Months::new(6 * (r[2..].parse::<u32>().unwrap() - 1)), 6),
        r if r.starts_with("-Q") => (fy_start + Months::new(3 * (r[2..].parse::<u32>().unwrap() - 1)), 3),
        r => (NaiveDate::from_ymd_opt(year, r[1..].parse().unwrap(), 1).unwrap(), 1),
    };
    (start, (start + Months::new(months)).pred_opt().unwrap())
}

/// The fiscal year, half and quarter that hold `d`.
fn holding(d: NaiveDate, fy: u32) -> Vec<String> {
    let y = if d.month() >= fy { d.year() } else { d.year() - 1 };
    let m = ((d.year() - y) * 12 + d.month() as i32 - fy as i32) as u32;
    vec![format!("{y}"), format!("{y}-H{}", m / 6 + 1), format!("{y}-Q{}", m / 3 + 1)]
}

/// SPEC §3: the goal's own period is `p` or inside it; else its `due` is in
/// `p`; kpis never.
fn in_period(g: &G, p: &str, fy: u32) -> bool {
    if g.kind == "kpi" {
        return false;
    }
    let (first, last) = period_range(p, fy);
    match &g.period {
        Some(own) => {
            let (s, e) = period_range(own, fy);
            first <= s && e <= last
        }
        None => g.due.is_some_and(|d| first <= d && d <= last),
    }
}

/// Count and average of a set, as the pages write them, and how many goals
/// the average covers where the page says so.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Fig {
    count: usize,
    average: Option<String>,
    covered: Option<usize>,
}

impl Fig {
    fn new(count: usize, average: Option<String>) -> Fig {
        Fig { count, average, covered: None }
    }

    /// From a text like `18 goals · average 59% over 15 goals`: the average
    /// and the number after it.
    fn with_average_text(count: usize, text: Option<&str>) -> Fig {
        let average = text.and_then(percent_in);
        let covered = text.and_then(|t| t.find('%').and_then(|k| first_number(&t[k..])));
        Fig { count, average, covered }
    }
}

fn fig(goals: &[&G], l: &Locale) -> Fig {
    let with: Vec<f64> = goals.iter().filter_map(|g| g.progress).map(|p| p.min(1.0)).collect();
    let average = (!with.is_empty()).then(|| l.percent(with.iter().sum::<f64>() / with.len() as f64));
    Fig { count: goals.len(), average, covered: Some(with.len()) }
}

fn slugify(s: &str) -> String {
    goalbook::slug::slugify(s)
}

/// The text between `start` and the next `end` after it.
fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

/// `s` without its tags.
fn text_of(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn first_number(s: &str) -> Option<usize> {
    let digits: String = s
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .collect();
    digits.replace([',', '.'], "").parse().ok()
}

/// The percentage in a text like `average 61%` / `trung bình 61%`.
fn percent_in(s: &str) -> Option<String> {
    let end = s.find('%')?;
    let start = s[..end].rfind(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.')).map_or(0, |k| k + 1);
    Some(s[start..=end].to_string())
}

/// The pages of a paginated list: `dir/index.html`, `dir/page/2/index.html`, …
fn list_pages(dir: &Path) -> Vec<String> {
    let mut out = vec![std::fs::read_to_string(dir.join("index.html")).unwrap()];
    for n in 2.. {
        let Ok(s) = std::fs::read_to_string(dir.join(format!("page/{n}/index.html"))) else { break };
        out.push(s);
    }
    out
}

/// The goal urls of a list page's table (`class="goal-link"`), relative to the site root.
fn listed_goals(html: &str) -> Vec<String> {
    let table = between(html, "<table class=\"goals\">", "</table>").unwrap_or("");
    table
        .split("class=\"goal-link\" href=\"")
        .skip(1)
        .map(|s| {
            let href = &s[..s.find('"').unwrap()];
            href.trim_start_matches("../").to_string()
        })
        .collect()
}

/// Count and average of a list page's summary panel.
fn list_fig(html: &str) -> Fig {
    let count = between(html, "<h2 id=\"gb-summary\">", "</h2>").and_then(first_number).unwrap();
    let head = between(html, "<h2 id=\"gb-summary\">", "</div>").unwrap();
    Fig::with_average_text(count, between(head, "<p class=\"panel-note\">", "</p>"))
}

/// The sum of the legend counts of the first `<div class="summary">` in `html`.
fn legend_sum(html: &str) -> usize {
    let Some(summary) = between(html, "<div class=\"summary\">", "</ul>") else { return 0 };
    summary
        .split("<span class=\"legend-count\">")
        .skip(1)
        .map(|s| first_number(&s[..s.find('<').unwrap()]).unwrap())
        .sum()
}

struct Site {
    dir: PathBuf,
    goals: Vec<G>,
    fy: u32,
    locale: Locale,
}

impl Site {
    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn all(&self) -> Vec<&G> {
        self.goals.iter().collect()
    }

    fn period_members(&self, p: &str) -> Vec<&G> {
        self.goals.iter().filter(|g| in_period(g, p, self.fy)).collect()
    }

    /// Periods with a page: every period a goal names, every quarter, half
    /// and fiscal year that holds a goal's due (kpis have neither).
    fn periods(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for g in self.goals.iter().filter(|g| g.kind != "kpi") {
            out.extend(g.period.clone());
            if let Some(d) = g.due {
                out.extend(holding(d, self.fy));
            }
        }
        out
    }

    fn by_slug(&self, key: impl Fn(&G) -> Option<&String>) -> BTreeMap<String, Vec<&G>> {
        let mut out: BTreeMap<String, Vec<&G>> = BTreeMap::new();
        for g in &self.goals {
            if let Some(k) = key(g) {
                out.entry(slugify(k)).or_default().push(g);
            }
        }
        out
    }

    fn perspective(&self, p: &str) -> Vec<&G> {
        self.goals.iter().filter(|g| g.perspective.as_deref() == Some(p)).collect()
    }
}

fn expect(bad: &mut Vec<String>, what: String, shown: Fig, want: Fig) {
    let same = shown.count == want.count
        && shown.average == want.average
        && (shown.covered.is_none() || shown.average.is_none() || shown.covered == want.covered);
    if !same {
        bad.push(format!("{what}: the page shows {shown:?}, goals.json gives {want:?}"));
    }
}

/// Every mismatch between the pages and the sets of `goals.json`.
fn check(site: &Site) -> Vec<String> {
    let mut bad = Vec::new();
    let l = &site.locale;

    // Dashboard: the total tiles, the overall average and each perspective.
    let index = site.read("index.html");
    let status = between(&index, "<section class=\"panel\" aria-labelledby=\"h-status\">", "</section>").unwrap();
    let count = between(status, "<span class=\"tile-num\">", "<").and_then(first_number).unwrap();
    let average = between(status, "<strong>", "</strong>").and_then(percent_in);
    expect(&mut bad, "dashboard totals".into(), Fig::new(count, average), fig(&site.all(), l));
    for p in ["finance", "customer", "process", "learning"] {
        let at = index.find(&format!("<li class=\"card persp persp-{p}\">")).unwrap();
        let rest = &index[at + 1..];
        let card = &rest[..rest.find("<li class=\"card persp").or_else(|| rest.find("</section>")).unwrap()];
        let shown = match between(card, "<p class=\"persp-count\">", "</p>") {
            Some(t) => Fig::with_average_text(first_number(t).unwrap(), t.split('·').nth(1)),
            None => Fig::new(0, None),
        };
        let sum = legend_sum(card);
        if sum != shown.count {
            bad.push(format!("dashboard perspective {p}: legend adds up to {sum}, not {}", shown.count));
        }
        expect(&mut bad, format!("dashboard perspective {p}"), shown, fig(&site.perspective(p), l));
    }

    // Scorecard: each perspective's average, legend and kind groups.
    let scorecard = site.read("scorecard/index.html");
    for p in ["finance", "customer", "process", "learning"] {
        let section = between(&scorecard, &format!("id=\"perspective-{p}\""), "</section>").unwrap();
        let head = between(section, "<div class=\"panel-head\">", "</div>").unwrap();
        let note = between(head, "<p class=\"panel-note\">", "</p>");
        let count = legend_sum(section);
        expect(
            &mut bad,
            format!("scorecard {p} (legend)"),
            Fig::with_average_text(count, note),
            fig(&site.perspective(p), l),
        );
        let groups: usize = section
            .split("<span class=\"count\">")
            .skip(1)
            .map(|s| first_number(&s[..s.find('<').unwrap()]).unwrap())
            .sum();
        expect(
            &mut bad,
            format!("scorecard {p} (kind groups)"),
            Fig::with_average_text(groups, note),
            fig(&site.perspective(p), l),
        );
    }

    // Team, person and period pages, with their directories.
    let teams = site.by_slug(|g| g.team.as_ref());
    let people = site.by_slug(|g| g.owner.as_ref());
    let periods: BTreeMap<String, Vec<&G>> =
        site.periods().into_iter().map(|p| (p.clone(), site.period_members(&p))).collect();
    let shown_periods: BTreeSet<String> = std::fs::read_dir(site.dir.join("periods"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "index.html")
        .collect();
    let want_periods: BTreeSet<String> = periods.keys().cloned().collect();
    if shown_periods != want_periods {
        bad.push(format!("period pages {shown_periods:?}, the SPEC gives {want_periods:?}"));
    }
    for (folder, sets) in [("teams", &teams), ("people", &people), ("periods", &periods)] {
        let directory = site.read(&format!("{folder}/index.html"));
        let directory = between(&directory, "<table class=\"goals directory\">", "</table>").unwrap_or("").to_string();
        for (slug, members) in sets {
            let dir = site.dir.join(folder).join(slug);
            if !dir.join("index.html").is_file() {
                bad.push(format!("{folder}/{slug}: no page"));
                continue;
            }
            let pages = list_pages(&dir);
            expect(&mut bad, format!("{folder}/{slug}"), list_fig(&pages[0]), fig(members, l));
            let mut listed: Vec<String> = pages.iter().flat_map(|p| listed_goals(p)).collect();
            listed.sort();
            let mut want: Vec<String> = members.iter().map(|g| g.url.clone()).collect();
            want.sort();
            if listed != want {
                let extra: Vec<_> = listed.iter().filter(|u| !want.contains(u)).collect();
                let missing: Vec<_> = want.iter().filter(|u| !listed.contains(u)).collect();
                bad.push(format!("{folder}/{slug} lists other goals: extra {extra:?}, missing {missing:?}"));
            }
            // The directory's row of this set.
            let href = format!("href=\"../{folder}/{slug}/index.html\"");
            let row = directory.find(&href).map(|i| &directory[i..]).and_then(|r| r.split("</tr>").next());
            match row {
                Some(row) => {
                    // The count is the cell's text (a link to the set's goals in the all-goals table).
                    let count = between(row, "class=\"num\" data-label=", "</td>")
                        .map(|c| text_of(&c[c.find('>').map_or(0, |i| i + 1)..]))
                        .and_then(|t| first_number(&t))
                        .unwrap();
                    let average = between(row, "<span class=\"meter-text\">", "</span>").and_then(percent_in);
                    expect(
                        &mut bad,
                        format!("{folder}/index.html row {slug}"),
                        Fig::new(count, average),
                        fig(members, l),
                    );
                }
                None => bad.push(format!("{folder}/index.html has no row for {slug}")),
            }
        }
    }

    // Handouts: one per period page, listing exactly its members.
    for (p, members) in &periods {
        let Ok(html) = std::fs::read_to_string(site.dir.join(format!("handouts/{p}/index.html"))) else {
            bad.push(format!("handouts/{p}: no handout"));
            continue;
        };
        let body = &html[html.find("</style>").unwrap_or(0)..];
        let figures = between(body, "<div class=\"cover-figures\">", "</div>\n  </div>").unwrap_or("");
        let values: Vec<&str> =
            figures.split("<span class=\"figure-value\">").skip(1).map(|s| &s[..s.find('<').unwrap()]).collect();
        let count = values.first().and_then(|v| first_number(v)).unwrap();
        let average = values.get(1).and_then(|v| percent_in(v)).filter(|_| values.len() == 3);
        expect(&mut bad, format!("handouts/{p} cover"), Fig::new(count, average), fig(members, l));
        let summary = between(body, "<section class=\"part summary\"", "</section>").unwrap();
        let mut titles: Vec<String> = summary
            .split("<span class=\"row-title\">")
            .skip(1)
            .map(|s| decode(&s[..s.find("</span>").unwrap()]))
            .collect();
        titles.sort();
        let mut want: Vec<String> = members.iter().map(|g| g.title.clone()).collect();
        want.sort();
        // SPEC §5 (1 MB a page): a huge handout's team tables list some of
        // the goals and say how many more each team has; listed and left out
        // add up to the period's goals, and every listed one is one of them.
        let left_out: usize = summary
            .split("<p class=\"detail-more\">")
            .skip(1)
            .map(|s| first_number(&s[..s.find("</p>").unwrap()]).unwrap())
            .sum();
        let mut rest = want.clone();
        let all_members = titles.iter().all(|t| match rest.iter().position(|w| w == t) {
            Some(k) => {
                rest.remove(k);
                true
            }
            None => false,
        });
        if !all_members || titles.len() + left_out != want.len() {
            bad.push(format!(
                "handouts/{p} summary lists {} goals and leaves out {left_out}, the period has {}",
                titles.len(),
                want.len()
            ));
        }
        // Each team's table: the period's goals of that team.
        let mut shown: Vec<Fig> = summary
            .split("<span class=\"team-total\">")
            .skip(1)
            .map(|s| {
                let t = &s[..s.find("</span>").unwrap()];
                Fig::with_average_text(first_number(t).unwrap(), t.split('·').nth(1))
            })
            .collect();
        shown.sort();
        let mut by_team: BTreeMap<Option<String>, Vec<&G>> = BTreeMap::new();
        for g in members {
            by_team.entry(g.team.as_deref().map(slugify)).or_default().push(g);
        }
        let mut want: Vec<Fig> = by_team.values().map(|v| fig(v, l)).collect();
        want.sort();
        if shown != want {
            bad.push(format!("handouts/{p} team tables show {shown:?}, goals.json gives {want:?}"));
        }
    }
    bad
}

fn build(root: &Path, dest: &Path) {
    let out = bin().arg("build").arg(root).arg("--dest").arg(dest).args(["--as-of", AS_OF]).output().unwrap();
    assert!(out.status.success(), "build of {} failed:\n{}", root.display(), String::from_utf8_lossy(&out.stderr));
}

fn site(root: &Path, dest: &Path) -> Site {
    build(root, dest);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(dest.join("goals.json")).unwrap()).unwrap();
    let book: toml::Table = std::fs::read_to_string(root.join("book.toml")).unwrap().parse().unwrap();
    let fy = book.get("org").and_then(|o| o.get("fiscal-year-start")).and_then(|v| v.as_integer()).unwrap_or(1) as u32;
    let lang = book.get("book").and_then(|b| b.get("language")).and_then(|v| v.as_str()).unwrap_or("en").to_string();
    Site { dir: dest.to_path_buf(), goals: read_goals(&json), fy, locale: Locale::new(&lang) }
}

fn assert_consistent(site: &Site) {
    let bad = check(site);
    assert!(bad.is_empty(), "{} mismatches:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn the_demo_shows_the_same_figures_for_the_same_set_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let s = site(&repo_root(), &tmp.path().join("site"));
    assert!(s.goals.len() >= 50);
    assert_consistent(&s);
}

#[test]
fn the_vietnamese_init_repository_is_consistent() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let out =
        bin().arg("init").arg(&repo).args(["--lang", "vi"]).env("SOURCE_DATE_EPOCH", "1795478400").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s = site(&repo, &tmp.path().join("site"));
    assert_eq!(s.locale.lang(), "vi");
    assert_consistent(&s);
}

#[test]
fn a_generated_repository_of_1200_goals_is_consistent() {
    let tmp = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("python3")
        .arg(repo_root().join("bench/gen.py"))
        .arg("1200")
        .arg(tmp.path().join("gen"))
        .output()
        .expect("python3 runs bench/gen.py");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s = site(&tmp.path().join("gen/goals-repo"), &tmp.path().join("site"));
    assert_eq!(s.goals.len(), 1200);
    assert_consistent(&s);
}

/// The check can fail: a goals.json that disagrees with the pages by one
/// goal's progress, one goal's team and one goal's period is caught.
#[test]
fn the_check_catches_a_figure_that_differs() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = site(&repo_root(), &tmp.path().join("site"));
    assert_consistent(&s);
    let k = s.goals.iter().position(|g| g.progress.is_some_and(|p| p < 0.5) && g.team.is_some()).unwrap();
    s.goals[k].progress = Some(1.0);
    let bad = check(&s);
    assert!(bad.iter().any(|b| b.starts_with("dashboard totals")), "{bad:?}");
    assert!(bad.iter().any(|b| b.starts_with("teams/")), "{bad:?}");
    // A period rule that keeps goals longer than the period (the old handout rule, reversed).
    let mut s2 = site(&repo_root(), &tmp.path().join("site2"));
    let q = s2.goals.iter().position(|g| g.period.as_deref() == Some("2026-Q4")).unwrap();
    s2.goals[q].period = Some("2026-Q3".into());
    let bad = check(&s2);
    assert!(bad.iter().any(|b| b.contains("periods/2026-Q4")), "{bad:?}");
    assert!(bad.iter().any(|b| b.contains("handouts/2026-Q4")), "{bad:?}");
}
