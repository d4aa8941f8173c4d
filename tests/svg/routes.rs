//! Issue 17: the strategy map's arrows at 500 goals. The geometry is read
//! back from the SVG (node boxes from their `translate` and the shared card,
//! arrows from their path data) and checked: every arrow runs from the side
//! of one node to the side of another, no stretch of an arrow crosses a node,
//! and no two stretches lie on one another (collinear, or parallel closer
//! than 2 pixels, over any length).

use crate::common::repo_root;
use goalbook::i18n::Locale;
use goalbook::render::diagram;
use std::path::Path;

#[derive(Clone, Copy, Debug)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

type Point = (f64, f64);

struct Map {
    boxes: Vec<Rect>,
    /// Each arrow's corners, with its tooltip.
    links: Vec<(String, Vec<Point>)>,
}

fn attr(tag: &str, name: &str) -> Option<f64> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[start..start + tag[start..].find('"')?].parse().ok()
}

fn translate(tag: &str) -> Point {
    let k = tag.find("translate(").expect("a translated node") + "translate(".len();
    let inner = &tag[k..k + tag[k..].find(')').unwrap()];
    let v: Vec<f64> = inner.split(' ').map(|n| n.parse().unwrap()).collect();
    (v[0], v[1])
}

/// Absolute path data of `M`, `L`, `H` and `V` commands.
fn path_points(d: &str) -> Vec<Point> {
    let mut tokens: Vec<String> = Vec::new();
    for c in d.chars() {
        if c.is_ascii_alphabetic() {
            tokens.push(c.to_string());
        } else if c == ' ' || c == ',' {
            tokens.push(String::new());
        } else if c == '-' {
            tokens.push("-".into());
        } else {
            match tokens.last_mut() {
                Some(t) if !t.chars().next().is_some_and(|f| f.is_ascii_alphabetic()) => t.push(c),
                _ => tokens.push(c.to_string()),
            }
        }
    }
    let tokens: Vec<&str> = tokens.iter().map(String::as_str).filter(|t| !t.is_empty()).collect();
    let mut out: Vec<Point> = Vec::new();
    let mut k = 0;
    let num = |k: usize| -> f64 { tokens[k].parse().unwrap_or_else(|_| panic!("number in {d:?} at {k}")) };
    while k < tokens.len() {
        let last = out.last().copied().unwrap_or((0.0, 0.0));
        match tokens[k] {
            "M" | "L" => {
                out.push((num(k + 1), num(k + 2)));
                k += 3;
            }
            "H" => {
                out.push((num(k + 1), last.1));
                k += 2;
            }
            "V" => {
                out.push((last.0, num(k + 1)));
                k += 2;
            }
            other => panic!("unexpected {other:?} in {d:?}"),
        }
    }
    out
}

fn parse(svg: &str) -> Map {
    let card = {
        let k = svg.find("<g id=\"gb-map-card\"><rect ").map(|k| k + "<g id=\"gb-map-card\">".len());
        k.map(|k| {
            let tag = &svg[k..k + svg[k..].find('>').unwrap()];
            (attr(tag, "x").unwrap_or(0.0), attr(tag, "width").unwrap(), attr(tag, "height").unwrap())
        })
    };
    let mut boxes = Vec::new();
    for (k, _) in svg.match_indices(" class=\"node") {
        let open = svg[..k].rfind('<').unwrap();
        let tag = &svg[open..k + svg[k..].find('>').unwrap()];
        let (x, y) = translate(tag);
        if tag.contains("class=\"node more\"") {
            let r = k + svg[k..].find("<rect").unwrap();
            let rect = &svg[r..r + svg[r..].find('>').unwrap()];
            boxes.push(Rect { x, y, w: attr(rect, "width").unwrap(), h: attr(rect, "height").unwrap() });
        } else {
            let (cx, w, h) = card.expect("goal nodes use the map card");
            boxes.push(Rect { x: x + cx, y, w, h });
        }
    }
    let mut links = Vec::new();
    if let Some(start) = svg.find("<g class=\"links\">\n") {
        for line in svg[start..].lines().skip(1).take_while(|l| *l != "</g>") {
            let title = &line[line.find("<title>").unwrap() + 7..line.find("</title>").unwrap()];
            let d = &line[line.find("<path d=\"").unwrap() + 9..];
            let d = &d[..d.find('"').unwrap()];
            links.push((title.to_string(), path_points(d)));
        }
    }
    Map { boxes, links }
}

fn on_border(p: Point, r: &Rect) -> bool {
    let e = 0.6;
    let inside_x = p.0 >= r.x - e && p.0 <= r.x + r.w + e;
    let inside_y = p.1 >= r.y - e && p.1 <= r.y + r.h + e;
    let on_x = (p.0 - r.x).abs() <= e || (p.0 - r.x - r.w).abs() <= e;
    let on_y = (p.1 - r.y).abs() <= e || (p.1 - r.y - r.h).abs() <= e;
    inside_x && inside_y && (on_x || on_y)
}

/// Whether the axis-parallel segment `a`–`b` enters the inside of `r`.
fn crosses(a: Point, b: Point, r: &Rect) -> bool {
    let e = 0.5;
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    x1 > r.x + e && x0 < r.x + r.w - e && y1 > r.y + e && y0 < r.y + r.h - e
}

/// Everything wrong with the map's arrows, in words.
fn faults(map: &Map) -> Vec<String> {
    let mut out = Vec::new();
    // (link, index, horizontal, fixed coordinate, from, to)
    let mut segments: Vec<(usize, usize, bool, f64, f64, f64)> = Vec::new();
    for (l, (title, points)) in map.links.iter().enumerate() {
        if points.len() < 2 {
            out.push(format!("{title}: fewer than two points"));
            continue;
        }
        let (first, last) = (points[0], points[points.len() - 1]);
        let start = map.boxes.iter().position(|r| on_border(first, r));
        let end = map.boxes.iter().position(|r| on_border(last, r));
        match (start, end) {
            (Some(s), Some(e)) if s != e => {}
            _ => out.push(format!("{title}: does not run from one node's side to another's ({first:?} → {last:?})")),
        }
        for (k, w) in points.windows(2).enumerate() {
            let (a, b) = (w[0], w[1]);
            let horizontal = (a.1 - b.1).abs() < 1e-9;
            if !horizontal && (a.0 - b.0).abs() > 1e-9 {
                out.push(format!("{title}: a slanted stretch {a:?} → {b:?}"));
                continue;
            }
            if (a.0 - b.0).abs() + (a.1 - b.1).abs() < 1e-9 {
                out.push(format!("{title}: an empty stretch at {a:?}"));
                continue;
            }
            for r in &map.boxes {
                if crosses(a, b, r) {
                    out.push(format!("{title}: {a:?} → {b:?} crosses the node at {r:?}"));
                }
            }
            let (fixed, from, to) =
                if horizontal { (a.1, a.0.min(b.0), a.0.max(b.0)) } else { (a.0, a.1.min(b.1), a.1.max(b.1)) };
            segments.push((l, k, horizontal, fixed, from, to));
        }
    }
    for (i, s) in segments.iter().enumerate() {
        for t in &segments[i + 1..] {
            // A link's consecutive stretches meet at their corner, at right angles.
            let neighbours = s.0 == t.0 && s.1.abs_diff(t.1) == 1;
            if s.2 != t.2 || neighbours || (s.3 - t.3).abs() >= 2.0 {
                continue;
            }
            let overlap = s.5.min(t.5) - s.4.max(t.4);
            if overlap > 0.5 {
                out.push(format!(
                    "{} and {} share {overlap} px of line at {} {}",
                    map.links[s.0].0,
                    map.links[t.0].0,
                    if s.2 { "y" } else { "x" },
                    s.3
                ));
            }
        }
    }
    out
}

/// A generated repository of `n` goals (bench/gen.py) in `dir`.
fn generated(n: usize, dir: &Path) -> std::path::PathBuf {
    let out = std::process::Command::new("python3")
        .arg(repo_root().join("bench/gen.py"))
        .arg(n.to_string())
        .arg(dir)
        .output()
        .expect("python3 runs bench/gen.py");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir.join("goals-repo")
}

fn map_of(root: &Path) -> (String, Map) {
    let p = goalbook::load_project(root, chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()).unwrap();
    let errors: Vec<_> = p.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let svg = diagram::strategy_map(&p.repo, &p.numbers, &Locale::new("en"), "");
    let map = parse(&svg);
    (svg, map)
}

#[test]
fn strategy_map_arrows_of_a_generated_500_goal_repository_cross_no_node_and_share_no_line() {
    let tmp = tempfile::tempdir().unwrap();
    let root = generated(500, &tmp.path().join("gen"));
    let (_, map) = map_of(&root);
    assert!(map.boxes.len() >= 40, "{} nodes", map.boxes.len());
    assert!(!map.links.is_empty(), "the generated repository has supports links on the map");
    assert_eq!(faults(&map), Vec::<String>::new());

    // The same repository with ten key results of each perspective linked
    // to others of them (one or two links each): the 40 goals are the ones
    // drawn (linked goals first), so every link is an arrow, many to far bands.
    let p = goalbook::load_project(&root, chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()).unwrap();
    let mut chosen: Vec<usize> = Vec::new();
    for perspective in goalbook::model::Perspective::ALL {
        let of = (0..p.repo.goals.len()).filter(|&i| {
            let g = &p.repo.goals[i];
            g.kind == goalbook::model::Kind::KeyResult
                && g.supports.is_empty()
                && p.numbers[i].perspective.or(g.perspective) == Some(*perspective)
        });
        chosen.extend(of.take(10));
    }
    assert_eq!(chosen.len(), 40);
    for (k, &i) in chosen.iter().enumerate() {
        let mut targets = vec![chosen[(k * 7 + 3) % chosen.len()]];
        if k % 3 == 0 {
            targets.push(chosen[(k * 11 + 5) % chosen.len()]);
        }
        let ids: Vec<String> =
            targets.iter().filter(|&&t| t != i).map(|&t| format!("\"{}\"", p.repo.goals[t].id)).collect();
        let path = root.join(&p.repo.goals[i].file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replacen("+++\n", &format!("+++\nsupports = [{}]\n", ids.join(", ")), 1)).unwrap();
    }
    let (svg, map) = map_of(&root);
    assert!(map.links.len() >= 25, "{} arrows", map.links.len());
    let problems = faults(&map);
    assert!(problems.is_empty(), "{} problems, first: {:?}", problems.len(), &problems[..problems.len().min(5)]);
    // Arrows reach across bands, not only to neighbours.
    let far = map.links.iter().filter(|(_, p)| (p[0].1 - p[p.len() - 1].1).abs() > 300.0).count();
    assert!(far >= 5, "{far} arrows across two bands or more");
    assert!(svg.contains("class=\"node more\""), "bands over 12 goals say how many more");
}

#[test]
fn the_check_finds_arrows_over_nodes_and_on_each_other() {
    let node = |x: f64, y: f64| Rect { x, y, w: 100.0, h: 50.0 };
    let map = Map {
        boxes: vec![node(0.0, 0.0), node(200.0, 0.0), node(0.0, 200.0), node(200.0, 200.0)],
        links: vec![
            // From the first node down through the third's.
            ("through".into(), vec![(50.0, 50.0), (50.0, 225.0), (200.0, 225.0)]),
            ("a".into(), vec![(60.0, 50.0), (60.0, 100.0), (250.0, 100.0), (250.0, 200.0)]),
            ("b".into(), vec![(250.0, 50.0), (250.0, 101.0), (40.0, 101.0), (40.0, 200.0)]),
            ("slanted".into(), vec![(80.0, 50.0), (280.0, 200.0)]),
            ("nowhere".into(), vec![(150.0, 120.0), (150.0, 130.0)]),
        ],
    };
    let found = faults(&map);
    let has = |needle: &str| found.iter().any(|f| f.contains(needle));
    assert!(has("through: (50.0, 50.0) → (50.0, 225.0) crosses the node"), "{found:#?}");
    assert!(has("a and b share"), "{found:#?}");
    assert!(has("slanted: a slanted stretch"), "{found:#?}");
    assert!(has("nowhere: does not run from one node's side"), "{found:#?}");
    assert!(!has("a: does not run"), "{found:#?}");
}

#[test]
fn path_data_is_read_back_as_written() {
    assert_eq!(path_points("M10 20V30H-5.5V-1"), [(10.0, 20.0), (10.0, 30.0), (-5.5, 30.0), (-5.5, -1.0)]);
    assert_eq!(path_points("M1 2L3-4"), [(1.0, 2.0), (3.0, -4.0)]);
}
