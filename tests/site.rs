//! The static site of SPEC §5, built by the real binary: every internal link
//! resolves, nothing comes from another host, hostile input stays text, and
//! a goal page renders as reviewed (snapshot).

use crate::common;

use crate::common::html::{attributes, tag_end};
use crate::common::{bin, fixture, repo_root};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Builds `root` into a fresh temporary folder as of 2026-11-24.
fn build(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("site");
    let out = bin().arg("build").arg(root).arg("--dest").arg(&dest).args(["--as-of", "2026-11-24"]).output().unwrap();
    assert!(out.status.success(), "build of {} failed:\n{}", root.display(), String::from_utf8_lossy(&out.stderr));
    (tmp, dest)
}

fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    out
}

/// A start tag: its name and attributes, values with entities decoded.
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Every start tag of an HTML document, the way a browser tokenises them
/// (comments, end tags and raw text of `<script>`/`<style>` skipped).
fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(b.len(), |k| i + k + 3);
            continue;
        }
        if i + 1 >= b.len() || !b[i + 1].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' && b[j] != b'/' {
            j += 1;
        }
        let name = html[i + 1..j].to_ascii_lowercase();
        let end = i + tag_end(&html[i..]);
        let attrs = attributes(&html[j..end]);
        let mut j = (end + 1).min(b.len());
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            j = html[j.min(b.len())..].to_ascii_lowercase().find(&close).map_or(b.len(), |k| j + k);
        }
        out.push(Tag { name, attrs });
        i = j;
    }
    out
}

/// Values of `url(…)` in CSS text.
fn css_urls(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = css;
    while let Some(k) = rest.find("url(") {
        let after = &rest[k + 4..];
        let end = after.find(')').unwrap_or(after.len());
        out.push(after[..end].trim().trim_matches(|c| c == '"' || c == '\'').to_string());
        rest = &after[end..];
    }
    out
}

fn is_other_host(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("//") || u.starts_with("\\\\") || {
        // Any scheme (`https:`, `http:`, `ftp:`…) names a resource elsewhere.
        let scheme: String = u.chars().take_while(|c| c.is_ascii_alphanumeric() || "+-.".contains(*c)).collect();
        !scheme.is_empty() && u[scheme.len()..].starts_with(':')
    }
}

/// Resolves a relative URL against the folder of `from`, lexically.
fn resolve(site: &Path, from: &Path, url: &str) -> (PathBuf, Option<String>) {
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        return (from.to_path_buf(), fragment);
    }
    let mut out = from.parent().unwrap().to_path_buf();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                assert!(out != site && out.pop(), "`{url}` in {} climbs above the site root", from.display());
            }
            s => out.push(s),
        }
    }
    (out, fragment)
}

#[test]
fn every_internal_link_of_the_demo_resolves_and_no_page_uses_another_host() {
    let (_tmp, site) = build(&repo_root());
    let pages = files_with_ext(&site, "html");
    assert!(pages.len() > 60, "only {} pages built", pages.len());

    let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut links: Vec<(PathBuf, String)> = Vec::new();
    let mut problems = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        let rel = page.strip_prefix(&site).unwrap().display().to_string();
        // SPEC §5: every page is readable without JavaScript; the only
        // scripts are goalbook's own files (search, the all-goals filters),
        // loaded with `src`, never inline.
        for (k, _) in html.match_indices("<script") {
            let end = html[k..].find("</script>").map_or(html.len(), |e| k + e);
            let tag = &html[k..end];
            let ours = ["theme/search.js\">", "theme/goals.js\">", "goals/data.js\">"];
            if !(tag.starts_with("<script src=\"")
                && ours.iter().any(|o| tag.ends_with(o))
                && tag.matches('>').count() == 1)
            {
                problems.push(format!("{rel}: `{tag}` is not one of goalbook's own scripts loaded by src"));
            }
        }
        let mut page_ids = BTreeSet::new();
        for tag in tags(&html) {
            if let Some(id) = tag.attr("id") {
                page_ids.insert(id.to_string());
            }
            if tag.name == "base" {
                // 404.html: GitHub Pages serves it at any address; its links are
                // resolved from the site root, where the file itself lives.
                assert_eq!(rel, "404.html", "only the 404 page has a <base>");
                continue;
            }
            for (name, value) in &tag.attrs {
                let is_link = matches!(name.as_str(), "href" | "src" | "xlink:href" | "action" | "srcset" | "poster");
                if is_link {
                    if value.trim().is_empty() {
                        problems.push(format!("{rel}: empty {name} on <{}>", tag.name));
                    } else if is_other_host(value) {
                        problems.push(format!("{rel}: <{} {name}=\"{value}\"> points at another host", tag.name));
                    } else {
                        links.push((page.clone(), value.clone()));
                    }
                }
                if name == "style" {
                    for url in css_urls(value) {
                        problems.push(format!("{rel}: inline style loads `{url}`"));
                    }
                }
            }
        }
        ids.insert(page.clone(), page_ids);
    }
    for css in files_with_ext(&site, "css") {
        let text = std::fs::read_to_string(&css).unwrap();
        for url in css_urls(&text) {
            if url.starts_with("data:") {
                continue;
            }
            if is_other_host(&url) {
                problems.push(format!("{}: url({url}) points at another host", css.display()));
            } else if !resolve(&site, &css, &url).0.is_file() {
                problems.push(format!("{}: url({url}) does not resolve", css.display()));
            }
        }
        assert!(!text.contains("@import"), "{} imports another stylesheet", css.display());
    }

    for (page, url) in &links {
        let rel = page.strip_prefix(&site).unwrap().display();
        let (target, fragment) = resolve(&site, page, url);
        if !target.is_file() {
            problems.push(format!("{rel}: link `{url}` resolves to {}, which was not built", target.display()));
            continue;
        }
        let file = url.split(['?', '#']).next().unwrap_or("");
        if !file.is_empty() && !file.ends_with(".html") {
            // Opened from disk a folder link shows a listing, not its page.
            let ext = target.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !["json", "css", "svg", "png", "js"].contains(&ext) {
                problems.push(format!("{rel}: link `{url}` does not name a file"));
            }
        }
        let page_ids = ids.get(&target);
        if let Some(f) = fragment.filter(|f| !f.is_empty() && page_ids.is_some_and(|ids| !ids.contains(f))) {
            problems.push(format!("{rel}: link `{url}` names a missing #{f}"));
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));

    // Every page of SPEC §5 (handouts aside) exists.
    for rel in [
        "index.html",
        "404.html",
        "cascade/index.html",
        "scorecard/index.html",
        "teams/index.html",
        "teams/marketing/index.html",
        "people/index.html",
        "people/lan-nguyen/index.html",
        "periods/index.html",
        "periods/2026-Q4/index.html",
        "goals.json",
        "theme/goalbook.css",
    ] {
        assert!(site.join(rel).is_file(), "{rel} was not built");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("goals.json")).unwrap()).unwrap();
    let goals = json["goals"].as_array().unwrap();
    assert_eq!(goals.len(), 54);
    for g in goals {
        let url = g["url"].as_str().unwrap();
        assert!(site.join(url).is_file(), "goal page {url} was not built");
    }
}

#[test]
fn pages_set_the_language_and_link_the_theme_relatively() {
    let (_tmp, site) = build(&fixture("site-small"));
    let page = std::fs::read_to_string(site.join("goals/sales/q4-contracts/index.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n"), "{}", &page[..80]);
    assert!(page.contains("<link rel=\"stylesheet\" href=\"../../../theme/goalbook.css\">"));
    let dashboard = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(dashboard.contains("<link rel=\"stylesheet\" href=\"theme/goalbook.css\">"));
    let not_found = std::fs::read_to_string(site.join("404.html")).unwrap();
    assert!(not_found.contains("<base href=\"/small/\">"), "the 404 page resolves links from site-url");
}

/// Tags a hostile fixture must never produce; everything it wrote is text.
const FORBIDDEN_TAGS: [&str; 12] =
    ["script", "iframe", "object", "embed", "marquee", "style", "img", "form", "frame", "frameset", "applet", "b"];

#[test]
fn hostile_text_is_escaped_on_every_page() {
    let (_tmp, site) = build(&fixture("hostile"));
    let pages = files_with_ext(&site, "html");
    assert!(pages.len() >= 15, "only {} pages built", pages.len());
    let mut problems = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        let rel = page.strip_prefix(&site).unwrap().display().to_string();
        let mut own_scripts = 0;
        for tag in tags(&html) {
            // A handout inlines the theme's CSS (issue 6): that one <style> is goalbook's own.
            let handout_css = tag.name == "style" && rel.starts_with("handouts/");
            // So are the search box and the all-goals filters, and their scripts (SPEC §5).
            let own_script = tag.name == "script"
                && tag.attrs.len() == 1
                && tag.attr("src").is_some_and(|s| {
                    ["theme/search.js", "theme/goals.js", "goals/data.js"].iter().any(|f| s.ends_with(f))
                });
            own_scripts += usize::from(own_script);
            let own_form = tag.name == "form" && matches!(tag.attr("class"), Some("search" | "filters"));
            if FORBIDDEN_TAGS.contains(&tag.name.as_str()) && !handout_css && !own_script && !own_form {
                problems.push(format!("{rel}: a <{}> tag survived", tag.name));
            }
            for (name, value) in &tag.attrs {
                if name.starts_with("on") {
                    problems.push(format!("{rel}: <{} {name}=…> event handler survived", tag.name));
                }
                let v: String = value.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control()).collect();
                let v = v.to_ascii_lowercase();
                if ["javascript:", "vbscript:", "data:"].iter().any(|s| v.starts_with(s)) {
                    problems.push(format!("{rel}: <{} {name}=\"{value}\"> runs script", tag.name));
                }
                if name == "style" && !value.chars().all(|c| c.is_ascii_alphanumeric() || ":;.%-# ".contains(c)) {
                    problems.push(format!("{rel}: <{} style=\"{value}\"> carries user text", tag.name));
                }
            }
        }
        if html.to_ascii_lowercase().matches("<script").count() != own_scripts {
            problems.push(format!("{rel}: contains a `<script` that is not goalbook's own"));
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));

    // The hostile text is shown, escaped, not silently dropped.
    let objective = std::fs::read_to_string(site.join("goals/evil/objective/index.html")).unwrap();
    assert!(objective.contains("<h1>&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Grow"));
    assert!(objective.contains("<p>&lt;script&gt;alert('body')&lt;/script&gt;\n</p>"), "raw HTML in the body is text");
    assert!(objective.contains("<h2 id=\"evil-heading\">Heading with attributes</h2>"), "heading attributes dropped");
    let kr = std::fs::read_to_string(site.join("goals/evil/script-kr/script/index.html")).unwrap();
    assert!(
        kr.contains("Plain text, then a script link and\nanother, vb and\ndata.</p>"),
        "script links keep only their text"
    );
    assert!(kr.contains("&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;"), "check-in notes are escaped");
    let dashboard = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(
        dashboard.contains("<title>Dashboard · &lt;script&gt;alert(&#39;book&#39;)&lt;/script&gt; Evil Corp</title>")
    );
}

/// The goal page with the SVGs (snapshot-tested by their own module) cut out.
fn without_svg(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("</svg>").map_or(rest.len(), |k| start + k + "</svg>".len());
        let open_end = rest[start..].find('>').map_or(end, |k| start + k);
        let class = rest[start..open_end].split("class=\"").nth(1).and_then(|c| c.split('"').next()).unwrap_or("");
        out.push_str(&format!("<svg class=\"{class}\">…</svg>"));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn goal_page_snapshot() {
    let (_tmp, site) = build(&fixture("site-small"));
    let page = std::fs::read_to_string(site.join("goals/sales/q4-contracts/index.html")).unwrap();
    insta::assert_snapshot!("goal_page_q4_contracts", without_svg(&page));
}

#[test]
fn the_build_is_deterministic() {
    let (_a, first) = build(&fixture("site-small"));
    let (_b, second) = build(&fixture("site-small"));
    let list = |dir: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .filter(|p| p.is_file())
            .map(|p| (p.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&p).unwrap()))
            .collect();
        files.sort();
        files
    };
    let (a, b) = (list(&first), list(&second));
    assert_eq!(a.iter().map(|f| &f.0).collect::<Vec<_>>(), b.iter().map(|f| &f.0).collect::<Vec<_>>());
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{} differs between two builds", path.display());
    }
}

#[test]
fn user_templates_and_theme_files_override_the_built_in_ones() {
    let tmp = common::copy_to_temp(&fixture("site-small"));
    let root = tmp.path();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}<p>Lost? {{ t(key=\"nav.dashboard\") }}</p>{% endblock main %}",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("themes/default")).unwrap();
    std::fs::write(root.join("themes/default/goalbook.css"), "body { color: teal; }\n").unwrap();
    std::fs::write(root.join("themes/default/logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    let (_out, site) = build(root);
    let not_found = std::fs::read_to_string(site.join("404.html")).unwrap();
    assert!(not_found.contains("<p>Lost? Dashboard</p>"), "{not_found}");
    assert_eq!(std::fs::read_to_string(site.join("theme/goalbook.css")).unwrap(), "body { color: teal; }\n");
    assert!(site.join("theme/logo.svg").is_file());
    assert!(site.join("theme/favicon.svg").is_file(), "built-in theme files not overridden stay");
    // Other pages still use the built-in templates.
    assert!(std::fs::read_to_string(site.join("index.html")).unwrap().contains("class=\"tiles\""));
}

#[test]
fn a_broken_user_template_fails_the_build_naming_the_template() {
    let tmp = common::copy_to_temp(&fixture("site-small"));
    std::fs::create_dir_all(tmp.path().join("templates")).unwrap();
    std::fs::write(tmp.path().join("templates/goal.html"), "{% if %}").unwrap();
    let dest = tmp.path().join("out");
    let out =
        bin().arg("build").arg(tmp.path()).arg("--dest").arg(&dest).args(["--as-of", "2026-11-24"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("goal.html"), "{err}");
    assert!(!dest.exists(), "a failed build writes nothing");
}

#[test]
fn an_unknown_theme_is_an_error_with_a_fix() {
    let tmp = common::copy_to_temp(&fixture("site-small"));
    let book = std::fs::read_to_string(tmp.path().join("book.toml")).unwrap();
    std::fs::write(tmp.path().join("book.toml"), format!("{book}\n[build]\ntheme = \"corporate\"\n")).unwrap();
    let out = bin()
        .arg("build")
        .arg(tmp.path())
        .arg("--dest")
        .arg(tmp.path().join("out"))
        .args(["--as-of", "2026-11-24"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("theme `corporate` not found: create `themes/corporate/`"), "{err}");
}

/// The goals a list page's table shows, by the `href` of each goal link,
/// relative to the site root.
fn listed_goals(site: &Path, page: &Path) -> Vec<String> {
    let html = std::fs::read_to_string(page).unwrap();
    let dir = page.parent().unwrap();
    let mut out = Vec::new();
    for tag in tags(&html) {
        if tag.name == "a" && tag.attr("class") == Some("goal-link") {
            let href = common::html::decode(tag.attr("href").unwrap());
            let mut path = dir.to_path_buf();
            for part in href.split('/') {
                match part {
                    ".." => {
                        path.pop();
                    }
                    p => path.push(p),
                }
            }
            out.push(path.strip_prefix(site).unwrap().to_string_lossy().replace('\\', "/"));
        }
    }
    out
}

/// Every page of the list whose first page is `dir/index.html`, following
/// the `rel="next"` links (SPEC §5: `…/page/2/index.html`).
fn list_pages(site: &Path, dir: &str) -> Vec<PathBuf> {
    let mut pages = vec![site.join(dir).join("index.html")];
    loop {
        let html = std::fs::read_to_string(pages.last().unwrap()).unwrap();
        let next = tags(&html).into_iter().find(|t| t.name == "a" && t.attr("rel") == Some("next"));
        let Some(next) = next else { break };
        let k = pages.len() + 1;
        assert!(next.attr("href").unwrap().ends_with(&format!("{dir}/page/{k}/index.html")), "next of page {}", k - 1);
        pages.push(site.join(dir).join(format!("page/{k}/index.html")));
    }
    pages
}

/// SPEC §5 at 10,000 goals (the corpus of `bench/gen.py`): no HTML page is
/// over 1 MB; the all-goals table lists every goal, 200 a page, in id order;
/// a team's and a period's pages together list exactly their goals; the
/// search index and the all-goals data cover every goal.
#[test]
fn a_10000_goal_site_has_no_page_over_1_mb_and_its_lists_hold_every_goal() {
    let tmp = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("python3")
        .arg(repo_root().join("bench/gen.py"))
        .arg("10000")
        .arg(tmp.path().join("gen"))
        .output()
        .expect("python3 runs bench/gen.py");
    assert!(out.status.success(), "bench/gen.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let (_site_tmp, site) = build(&tmp.path().join("gen/goals-repo"));

    let mut over = Vec::new();
    let mut largest = (0, PathBuf::new());
    for page in files_with_ext(&site, "html") {
        let size = std::fs::metadata(&page).unwrap().len();
        if size > 1_000_000 {
            over.push(format!("{} is {size} bytes", page.strip_prefix(&site).unwrap().display()));
        }
        if size > largest.0 {
            largest = (size, page);
        }
    }
    assert!(over.is_empty(), "pages over 1 MB:\n{}", over.join("\n"));
    eprintln!("largest page: {} ({} bytes)", largest.1.display(), largest.0);

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("goals.json")).unwrap()).unwrap();
    let goals = json["goals"].as_array().unwrap();
    assert_eq!(goals.len(), 10_000);
    let urls: Vec<String> = goals.iter().map(|g| g["url"].as_str().unwrap().to_string()).collect();

    let pages = list_pages(&site, "goals");
    assert_eq!(pages.len(), 50, "10,000 goals, 200 a page");
    let mut all = Vec::new();
    for (k, page) in pages.iter().enumerate() {
        let shown = listed_goals(&site, page);
        assert_eq!(shown.len(), 200, "page {} of goals/ lists 200 goals", k + 1);
        all.extend(shown);
    }
    assert_eq!(all, urls, "the all-goals pages list every goal once, in id order");

    // The largest team and the fiscal year: their pages list exactly their goals.
    let mut by_team: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for g in goals {
        if let Some(t) = g["team"].as_str() {
            by_team.entry(t.to_string()).or_default().push(g["url"].as_str().unwrap().to_string());
        }
    }
    let (team, want) = by_team.iter().max_by_key(|(t, v)| (v.len(), std::cmp::Reverse((*t).clone()))).unwrap();
    let team_pages = list_pages(&site, &format!("teams/{team}"));
    let mut got: Vec<String> = team_pages.iter().flat_map(|p| listed_goals(&site, p)).collect();
    got.sort();
    let mut want = want.clone();
    want.sort();
    assert_eq!(got, want, "the pages of team {team} list its {} goals", want.len());
    let first = std::fs::read_to_string(&team_pages[0]).unwrap();
    assert!(
        first.contains(&format!("goals/index.html?team={team}&amp;status=")),
        "the team's totals link to its goals"
    );
    // The period most goals name: its pages list each of its goals once
    // (and any goal of a sub-period, SPEC §3), 200 a page.
    let mut by_period: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for g in goals {
        if let Some(p) = g["period"].as_str() {
            by_period.entry(p.to_string()).or_default().insert(g["url"].as_str().unwrap().to_string());
        }
    }
    let (period, own) = by_period.iter().max_by_key(|(p, v)| (v.len(), std::cmp::Reverse((*p).clone()))).unwrap();
    assert!(own.len() > 200, "period {period} has {} goals", own.len());
    let period_pages = list_pages(&site, &format!("periods/{period}"));
    let shown: Vec<String> = period_pages.iter().flat_map(|p| listed_goals(&site, p)).collect();
    let listed: BTreeSet<String> = shown.iter().cloned().collect();
    assert_eq!(listed.len(), shown.len(), "no goal is listed twice on the pages of {period}");
    assert!(listed.is_superset(own), "the pages of {period} list every goal of {period}");
    assert_eq!(period_pages.len(), shown.len().div_ceil(200), "{period}: 200 goals a page");

    assert_cascade_complete(&site, &urls, 50);

    // Search: the index says how it is split, and its chunks show every goal.
    let meta = std::fs::read_to_string(site.join("search/index.js")).unwrap();
    assert_eq!(meta, "gbSearch.meta({\"key\":2,\"chunk\":100,\"goals\":10000});\n");
    for n in 0..100 {
        let chunk = std::fs::read_to_string(site.join(format!("search/d-{n}.js"))).unwrap();
        assert_eq!(chunk.matches("\n[").count() + 1, 100, "search/d-{n}.js shows 100 goals");
        let first = &urls[n * 100];
        assert!(chunk.contains(&format!("[\"{first}\"")), "search/d-{n}.js starts with goal {}", n * 100);
    }
    let data = std::fs::read_to_string(site.join("goals/data.js")).unwrap();
    assert_eq!(data.lines().filter(|l| l.starts_with("[\"")).count(), 10_000, "goals/data.js has every goal");
}

/// The postings of `word` in the built search index: (goal number, field
/// code of `render::search::Field`), decoded from `search/t-<key>.js`.
fn postings(site: &Path, word: &str) -> Vec<(usize, u64)> {
    let meta = std::fs::read_to_string(site.join("search/index.js")).unwrap();
    let key_len: usize = if meta.contains("\"key\":1") { 1 } else { 2 };
    let key: String = word.chars().take(key_len).collect();
    let Ok(text) = std::fs::read_to_string(site.join(format!("search/t-{key}.js"))) else { return Vec::new() };
    let prefix = format!("gbSearch.terms(\"{key}\",");
    let body = text.strip_prefix(&prefix).and_then(|t| t.strip_suffix(");\n")).expect("a terms file");
    let map: BTreeMap<String, Vec<u64>> = serde_json::from_str(body).unwrap();
    let mut goal = 0;
    map.get(word)
        .map(|list| {
            list.iter()
                .map(|v| {
                    goal += (v / 8) as usize;
                    (goal, v % 8)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// SPEC §5: the search index folds case and diacritics as slugs do
/// (`Mục tiêu` → `muc tieu`, `đ` → `d`) and finds goals by title, id, owner
/// and team (ids and `[people]`/`[teams]` names), metric, body and check-in
/// notes, each word with the best field it is in.
#[test]
fn the_search_index_folds_diacritics_and_knows_each_field() {
    let tmp = common::temp_repo(&[
        (
            "book.toml",
            "[book]\ntitle = \"Tìm\"\nlanguage = \"vi\"\n\n[people]\n\"lan.nguyen\" = { name = \"Nguyễn Thị Lan\" }\n\n[teams]\nmkt = { name = \"Tiếp thị\" }\n",
        ),
        (
            "goals/a/muc-tieu.md",
            "+++\ntitle = \"Mục tiêu đường dài\"\nkind = \"key-result\"\nowner = \"lan.nguyen\"\nteam = \"mkt\"\nperiod = \"2026-Q4\"\nmetric = \"Khách hàng\"\nbaseline = 0\ntarget = 10\n\n[[checkin]]\ndate = 2026-11-01\nvalue = 4\nnote = \"Hội thảo xong\"\n+++\n",
        ),
        (
            "goals/b/khac.md",
            "+++\ntitle = \"Việc khác\"\nkind = \"initiative\"\nperiod = \"2026-Q4\"\n+++\nMột đoạn văn về **đường** dài.\n",
        ),
    ]);
    let (_site_tmp, site) = build(tmp.path());
    let (body, note, metric, team, owner, id, title) = (0, 1, 2, 3, 4, 5, 6);
    assert_eq!(postings(&site, "muc"), [(0, title)]);
    assert_eq!(postings(&site, "duong"), [(0, title), (1, body)]);
    assert_eq!(postings(&site, "dai"), [(0, title), (1, body)]);
    assert_eq!(postings(&site, "nguyen"), [(0, owner)]);
    assert_eq!(postings(&site, "lan"), [(0, owner)]);
    assert_eq!(postings(&site, "tiep"), [(0, team)]);
    assert_eq!(postings(&site, "mkt"), [(0, team)]);
    assert_eq!(postings(&site, "khach"), [(0, metric)]);
    assert_eq!(postings(&site, "hoi"), [(0, note)]);
    assert_eq!(postings(&site, "khac"), [(1, title)]);
    assert_eq!(postings(&site, "a"), [(0, id)]);
    assert!(postings(&site, "mục").is_empty(), "only folded words are indexed");
    let docs = std::fs::read_to_string(site.join("search/d-0.js")).unwrap();
    assert!(
        docs.starts_with("gbSearch.docs(0,[[\"goals/a/muc-tieu/index.html\",\"Mục tiêu đường dài\","),
        "{}",
        &docs[..docs.len().min(200)]
    );
}

/// A goal whose page would be a page of the all-goals table
/// (`goals/page/2/index.html`, SPEC §5) stops the build with a message that
/// names the file, instead of one page overwriting the other.
#[test]
fn a_goal_named_like_a_page_of_the_all_goals_table_is_refused() {
    let mut files: Vec<(String, String)> = vec![("book.toml".into(), "[book]\ntitle = \"Pages\"\n".into())];
    for n in 0..201 {
        files.push((format!("goals/g/k{n:03}.md"), format!("+++\ntitle = \"Goal {n}\"\nkind = \"initiative\"\n+++\n")));
    }
    files.push(("goals/page/2.md".into(), "+++\ntitle = \"Page two\"\nkind = \"initiative\"\n+++\n".into()));
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let tmp = common::temp_repo(&refs);
    let out = bin().arg("build").arg(tmp.path()).args(["--as-of", "2026-11-24"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("goals/page/2.md: the goal `page/2` would be written to goals/page/2/index.html, which is page 2 of the table of all goals; rename the file"),
        "{err}"
    );
}

/// SPEC §5: every goal of `urls` is a node of a diagram on
/// `cascade/index.html` or on a page it links (two clicks), no diagram has
/// more than 200 nodes, and the cascade has at least `min_parts` parts.
fn assert_cascade_complete(site: &Path, urls: &[String], min_parts: usize) {
    let base = site.canonicalize().unwrap();
    let nodes_of = |page: &Path| -> Vec<String> {
        let html = std::fs::read_to_string(page).unwrap();
        let dir = page.parent().unwrap();
        let mut out = Vec::new();
        for tag in tags(&html) {
            if tag.name == "a" && tag.attr("class").is_some_and(|c| c.starts_with("node ")) {
                let target = dir.join(tag.attr("href").unwrap()).canonicalize().unwrap();
                out.push(target.strip_prefix(&base).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
        out
    };
    let cascade = site.join("cascade/index.html");
    let overview = nodes_of(&cascade);
    assert!(overview.len() <= 200, "cascade/index.html draws {} nodes", overview.len());
    let mut on_diagrams: BTreeSet<String> = overview.into_iter().collect();
    let html = std::fs::read_to_string(&cascade).unwrap();
    let parts: Vec<String> = tags(&html)
        .into_iter()
        .filter_map(|t| t.attr("href").map(str::to_string))
        .filter(|h| ["goals/", "kpis/", "parts/"].iter().any(|f| h.starts_with(&format!("../cascade/{f}"))))
        .collect();
    assert!(parts.len() >= min_parts, "cascade/index.html links {} parts", parts.len());
    for href in &parts {
        let nodes = nodes_of(&site.join("cascade").join(href.strip_prefix("../cascade/").unwrap()));
        assert!(nodes.len() <= 200, "{href} draws {} nodes", nodes.len());
        on_diagrams.extend(nodes);
    }
    let missing: Vec<&String> = urls.iter().filter(|u| !on_diagrams.contains(*u)).collect();
    assert!(
        missing.is_empty(),
        "{} goals are on no cascade diagram two clicks from cascade/, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
}

/// One objective with 300 key results, the first with 40 initiatives: too
/// large for one diagram, its cascade is split into parts, and still every
/// goal is a node two clicks from `cascade/index.html`.
#[test]
fn a_tree_too_large_for_one_diagram_is_split_and_leaves_no_goal_out() {
    let mut files: Vec<(String, String)> = vec![
        ("book.toml".into(), "[book]\ntitle = \"Wide\"\n".into()),
        (
            "goals/o.md".into(),
            "+++\ntitle = \"The one objective\"\nkind = \"objective\"\nperiod = \"2026\"\n+++\n".into(),
        ),
    ];
    for n in 0..300 {
        files.push((
            format!("goals/kr/k{n:03}.md"),
            format!("+++\ntitle = \"Key result {n}\"\nkind = \"key-result\"\nparent = \"o\"\nperiod = \"2026\"\nbaseline = 0\ntarget = 10\n+++\n"),
        ));
    }
    for n in 0..40 {
        files.push((
            format!("goals/in/i{n:02}.md"),
            format!(
                "+++\ntitle = \"Initiative {n}\"\nkind = \"initiative\"\nparent = \"kr/k000\"\nperiod = \"2026\"\n+++\n"
            ),
        ));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let tmp = common::temp_repo(&refs);
    let (_site_tmp, site) = build(tmp.path());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("goals.json")).unwrap()).unwrap();
    let urls: Vec<String> =
        json["goals"].as_array().unwrap().iter().map(|g| g["url"].as_str().unwrap().to_string()).collect();
    assert_eq!(urls.len(), 341);
    assert_cascade_complete(&site, &urls, 2);
    // The objective's page draws it and 198 key results; the other 102 key
    // results and the 40 initiatives of the first are packed into one more.
    assert!(site.join("cascade/goals/o/index.html").is_file());
    assert!(site.join("cascade/parts/o/1/index.html").is_file());
    assert!(!site.join("cascade/parts/o/2/index.html").exists());
}

/// A chain 450 goals deep is split along its length: every goal is still a
/// node two clicks from `cascade/index.html`, on a handful of pages.
#[test]
fn a_deep_chain_is_split_along_its_length_and_leaves_no_goal_out() {
    let mut files: Vec<(String, String)> = vec![("book.toml".into(), "[book]\ntitle = \"Deep\"\n".into())];
    for i in 0..450 {
        let parent = if i == 0 { String::new() } else { format!("parent = \"g{:03}\"\n", i - 1) };
        files.push((
            format!("goals/g{i:03}.md"),
            format!("+++\ntitle = \"Level {i}\"\nkind = \"objective\"\nperiod = \"2026\"\n{parent}+++\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let tmp = common::temp_repo(&refs);
    let (_site_tmp, site) = build(tmp.path());
    let urls: Vec<String> = (0..450).map(|i| format!("goals/g{i:03}/index.html")).collect();
    assert_cascade_complete(&site, &urls, 3);
    // 199 levels a page: g000…g198, g199…g397, and g398…g449 packed.
    assert!(site.join("cascade/goals/g000/index.html").is_file());
    assert!(site.join("cascade/goals/g199/index.html").is_file());
    assert!(site.join("cascade/parts/g199/1/index.html").is_file());
    assert_eq!(std::fs::read_dir(site.join("cascade/goals")).unwrap().count(), 2);
}
