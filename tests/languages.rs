//! Issue 7 acceptance: the demo company built with `[book] language = "en"`
//! and with `"vi"` shows no string of the other language's translation table
//! (HTML pages, inline SVG charts and diagrams, handouts), text that comes from
//! the goal files and book.toml aside; `<html lang>` follows the language and
//! the Vietnamese charts and diagrams draw Vietnamese text.
//!
//! The phrases searched for are every value of the other table that differs
//! from this language's value for the same key, split at its `{placeholders}`,
//! keeping real words: pieces of at least three characters with a letter that
//! are not also a word of this language's own table (`KPI`, `goalbook`).
//! Two more checks catch interface text that is in no table at all: a `vi`
//! page has no word of ASCII letters only, an `en` page no word with a
//! Vietnamese letter, outside its own table and the goal files.

use crate::common::html::{attributes, decode, tag_end};
use crate::common::{bin, copy_dir, repo_root};
use chrono::NaiveDate;
use goalbook::i18n::{LANGUAGES, parse_table};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

const AS_OF: &str = "2026-11-24";

/// One output file of a build: its path in the build folder and its text.
struct Page {
    path: String,
    html: String,
}

/// The demo built in one language, read into memory (the temporary folder is gone).
struct Build {
    lang: &'static str,
    pages: Vec<Page>,
}

/// Builds the demo (`book.toml` + `goals/` of this repository) with `[book]
/// language = lang`, and the Q4 handout of the sales team, once per language
/// per test binary.
fn build(lang: &'static str) -> &'static Build {
    static EN: OnceLock<Build> = OnceLock::new();
    static VI: OnceLock<Build> = OnceLock::new();
    let cell = match lang {
        "en" => &EN,
        "vi" => &VI,
        _ => panic!("no demo build for `{lang}`"),
    };
    cell.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("demo");
        copy_dir(&repo_root().join("goals"), &root.join("goals"));
        let book = std::fs::read_to_string(repo_root().join("book.toml")).unwrap();
        let line = book.lines().find(|l| l.trim_start().starts_with("language")).expect("book.toml sets a language");
        let book = book.replacen(line, &format!("language = \"{lang}\""), 1);
        std::fs::write(root.join("book.toml"), book).unwrap();
        let dest = tmp.path().join("site");
        let out = bin().arg("build").arg(&root).arg("--dest").arg(&dest).args(["--as-of", AS_OF]).output().unwrap();
        assert!(out.status.success(), "{lang} build failed:\n{}", String::from_utf8_lossy(&out.stderr));
        let mut pages: Vec<Page> = walkdir::WalkDir::new(&dest)
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "html" || e == "svg"))
            .map(|p| Page {
                path: p.strip_prefix(&dest).unwrap().to_string_lossy().replace('\\', "/"),
                html: std::fs::read_to_string(&p).unwrap(),
            })
            .collect();
        // A team handout, which the site does not build, has lines of its own.
        let handout = tmp.path().join("handout-sales.html");
        let out = bin()
            .args(["handout", "2026-Q4", "--team", "sales", "--as-of", AS_OF, "--dir"])
            .arg(&root)
            .arg("--dest")
            .arg(&handout)
            .output()
            .unwrap();
        assert!(out.status.success(), "{lang} team handout failed:\n{}", String::from_utf8_lossy(&out.stderr));
        pages.push(Page { path: "handout-sales.html".into(), html: std::fs::read_to_string(&handout).unwrap() });
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        assert!(pages.len() > 54, "{lang} build wrote only {} pages", pages.len());
        Build { lang, pages }
    })
}

/// The translation table of `lang`, as shipped.
fn table(lang: &str) -> BTreeMap<String, String> {
    let (_, text) = LANGUAGES.iter().find(|(c, _)| *c == lang).unwrap_or_else(|| panic!("no table for `{lang}`"));
    parse_table(text).unwrap()
}

// --- Visible text ---------------------------------------------------------------------------

/// A piece of text a reader sees: a text node or the value of an attribute
/// that browsers show (tooltips, labels read aloud, CSS `attr(data-label)`).
#[derive(Debug)]
struct Segment {
    text: String,
    in_svg: bool,
    /// Inside `<div class="prose">`, the rendered Markdown body of a goal.
    in_prose: bool,
}

const VISIBLE_ATTRS: [&str; 5] = ["aria-label", "title", "alt", "placeholder", "data-label"];

/// Collapses runs of whitespace (and no-break spaces) to one space.
fn squash(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Where in the page a segment sits, for deciding what counts as goal text.
#[derive(Clone, Copy, Default)]
struct Context {
    svg_depth: usize,
    /// How many `<div>`s are open.
    divs: usize,
    /// The depth of the open `<div class="prose">`, if any.
    prose_at: Option<usize>,
}

/// The strings of CSS `content:` declarations (print headers and footers of
/// the handouts are visible on paper).
fn css_content_strings(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (k, _) in css.match_indices("content:") {
        let decl = &css[k + "content:".len()..];
        let decl = &decl[..decl.find([';', '}']).unwrap_or(decl.len())];
        let mut parts = decl.split('"');
        parts.next();
        // Every other piece of a split at `"` is inside quotes.
        for (i, part) in parts.enumerate() {
            if i % 2 == 0 {
                out.push(part.replace("\\\"", "\""));
            }
        }
    }
    out
}

/// The visible text of an HTML page (or SVG file), in document order:
/// text nodes outside `<script>`/`<style>`/comments, visible attributes and
/// the strings of CSS `content:` (print headers and footers).
fn visible_text(html: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut cx = Context::default();
    let push = |text: &str, cx: Context, out: &mut Vec<Segment>| {
        let text = squash(&decode(text));
        if !text.is_empty() {
            out.push(Segment { text, in_svg: cx.svg_depth > 0, in_prose: cx.prose_at.is_some() });
        }
    };
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push(&rest[..lt], cx, &mut out);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |k| &after[k + 3..]);
            continue;
        }
        let end = tag_end(rest);
        let inside = &rest[1..end.min(rest.len())];
        rest = if end < rest.len() { &rest[end + 1..] } else { "" };
        if inside.starts_with('!') || inside.starts_with('?') {
            continue;
        }
        let closing = inside.starts_with('/');
        let inside = inside.trim_start_matches('/');
        let name_end = inside.find(|c: char| c.is_ascii_whitespace() || c == '/').unwrap_or(inside.len());
        let name = inside[..name_end].to_ascii_lowercase();
        if closing {
            match name.as_str() {
                "svg" => cx.svg_depth = cx.svg_depth.saturating_sub(1),
                "div" => {
                    if cx.prose_at == Some(cx.divs) {
                        cx.prose_at = None;
                    }
                    cx.divs = cx.divs.saturating_sub(1);
                }
                _ => {}
            }
            continue;
        }
        let self_closing = inside.trim_end().ends_with('/');
        let attrs = attributes(&inside[name_end..]);
        match name.as_str() {
            "svg" if !self_closing => cx.svg_depth += 1,
            "div" => {
                cx.divs += 1;
                let prose = attrs.iter().any(|(n, v)| n == "class" && v.split_whitespace().any(|c| c == "prose"));
                if prose && cx.prose_at.is_none() {
                    cx.prose_at = Some(cx.divs);
                }
            }
            _ => {}
        }
        for (attr, value) in &attrs {
            if VISIBLE_ATTRS.contains(&attr.as_str()) {
                push(value, cx, &mut out);
            }
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            let body_end = rest.find(&close).unwrap_or(rest.len());
            if name == "style" {
                for s in css_content_strings(&rest[..body_end]) {
                    let text = squash(&s);
                    if !text.is_empty() {
                        out.push(Segment { text, in_svg: false, in_prose: false });
                    }
                }
            }
            rest = &rest[body_end..];
        }
    }
    push(rest, cx, &mut out);
    out
}

// --- Text from the goal files ----------------------------------------------------------------

/// The strings the demo's own files put on pages, longest first (so a title
/// goes before a word inside it).
struct UserText {
    /// Book title and description; of each goal its id, file, title, owner,
    /// team (ids and `[people]`/`[teams]` names), metric, check-in and milestone notes: cut anywhere.
    fields: Vec<String>,
    /// The fields and the text of the goals' Markdown bodies: cut inside
    /// `<div class="prose">`.
    prose: Vec<String>,
    /// Units (`days`, `%`, `₫`): cut right after a number or alone only, so
    /// that a unit `days` does not hide an interface text `days left`.
    units: Vec<String>,
}

fn longest_first(set: BTreeSet<String>) -> Vec<String> {
    let mut strings: Vec<String> = set.into_iter().map(|s| squash(&s)).filter(|s| !s.is_empty()).collect();
    strings.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    strings.dedup();
    strings
}

fn user_text() -> &'static UserText {
    static TEXT: OnceLock<UserText> = OnceLock::new();
    TEXT.get_or_init(|| {
        let as_of = NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").unwrap();
        let project = goalbook::load_project(&repo_root(), as_of).unwrap();
        let c = &project.repo.config;
        let mut fields = BTreeSet::from([c.title.clone(), c.description.clone()]);
        let mut body = BTreeSet::new();
        let mut units = BTreeSet::new();
        for g in &project.repo.goals {
            fields.extend([g.id.clone(), g.file.clone(), g.title.clone()]);
            fields.extend(g.owner.iter().chain(&g.team).chain(&g.metric).cloned());
            // The `[people]` / `[teams]` names book.toml gives them.
            fields.extend(g.owner.iter().map(|o| c.person_name(o).to_string()));
            fields.extend(g.team.iter().map(|t| c.team_name(t).to_string()));
            units.extend(g.unit.clone());
            fields.extend(g.checkins.iter().filter_map(|c| c.note.clone()));
            fields.extend(g.milestones.iter().filter_map(|m| m.note.clone()));
            use pulldown_cmark::{Event, Options, Parser};
            let options = Options::ENABLE_TABLES
                | Options::ENABLE_FOOTNOTES
                | Options::ENABLE_STRIKETHROUGH
                | Options::ENABLE_TASKLISTS
                | Options::ENABLE_HEADING_ATTRIBUTES;
            for event in Parser::new_ext(&g.body, options) {
                if let Event::Text(t) | Event::Code(t) = event {
                    body.insert(t.to_string());
                }
            }
        }
        body.extend(fields.iter().cloned());
        UserText { fields: longest_first(fields), prose: longest_first(body), units: longest_first(units) }
    })
}

/// `text` with every whole-word occurrence of `s` replaced by `\u{1}`; with
/// `after_number`, only the occurrences right after a number (`45 days`).
fn cut(text: &str, s: &str, after_number: bool) -> String {
    let hits = word_matches(text, s);
    if hits.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for k in hits {
        let number_before = text[..k].trim_end_matches(' ').chars().next_back().is_some_and(|c| c.is_ascii_digit());
        if k >= from && (!after_number || number_before) {
            out.push_str(&text[from..k]);
            out.push('\u{1}');
            from = k + s.len();
        }
    }
    out.push_str(&text[from..]);
    out
}

/// The segment's text with the strings from the goal files cut out. A
/// diagram line that is only part of a title or other field (a wrapped or
/// `…`-cut title) goes entirely.
fn without_user_text(segment: &Segment) -> String {
    let user = user_text();
    let trimmed = segment.text.trim_end_matches('…').trim();
    if segment.in_svg && trimmed.chars().count() >= 3 && user.fields.iter().any(|s| s.contains(trimmed)) {
        return String::new();
    }
    // The unit on its own: the "Unit" row of a goal page.
    if user.units.contains(&segment.text) {
        return String::new();
    }
    let mut text = segment.text.clone();
    for s in if segment.in_prose { &user.prose } else { &user.fields } {
        if text.contains(s.as_str()) {
            text = cut(&text, s, false);
        }
    }
    for s in &user.units {
        if text.contains(s.as_str()) {
            text = cut(&text, s, true);
        }
    }
    text
}

// --- Phrases of the other table --------------------------------------------------------------

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Byte offsets where `phrase` occurs in `text` as whole words.
fn word_matches(text: &str, phrase: &str) -> Vec<usize> {
    let first = phrase.chars().next().is_some_and(is_word_char);
    let last = phrase.chars().next_back().is_some_and(is_word_char);
    text.match_indices(phrase)
        .map(|(k, _)| k)
        .filter(|&k| {
            let before = text[..k].chars().next_back();
            let after = text[k + phrase.len()..].chars().next();
            let glued = first && before.is_some_and(is_word_char) || last && after.is_some_and(is_word_char);
            !glued
        })
        .collect()
}

/// The phrases of `other`'s table that must not appear in a `lang` build,
/// each with the key it comes from.
fn foreign_phrases(lang: &str, other: &str) -> Vec<(String, String)> {
    let own = table(lang);
    let foreign = table(other);
    let edge = |c: char| c.is_whitespace() || ",.:;·—–-+()/×%'\"“”‘’!?…".contains(c);
    let mut out = BTreeMap::new();
    for (key, value) in &foreign {
        if own.get(key) == Some(value) {
            continue;
        }
        let mut pieces = Vec::new();
        let mut rest = value.as_str();
        while let Some(open) = rest.find('{') {
            pieces.push(&rest[..open]);
            rest = rest[open..].find('}').map_or("", |k| &rest[open + k + 1..]);
        }
        pieces.push(rest);
        for piece in pieces {
            let piece = piece.trim_matches(edge);
            if piece.chars().count() < 3 || !piece.chars().any(char::is_alphabetic) {
                continue;
            }
            // A word both languages use (`KPI`, `goalbook`, `SMART`) is not foreign.
            if own.values().any(|v| !word_matches(v, piece).is_empty()) {
                continue;
            }
            out.entry(piece.to_string()).or_insert_with(|| key.clone());
        }
    }
    out.into_iter().collect()
}

/// Every place `pages` show one of `phrases` (of `other`'s table), as
/// `page: other `key` "phrase" in "context"` lines.
fn find_phrases(pages: &[Page], phrases: &[(String, String)], other: &str) -> Vec<String> {
    let mut found = Vec::new();
    for page in pages {
        for segment in visible_text(&page.html) {
            let text = without_user_text(&segment);
            for (phrase, key) in phrases {
                for k in word_matches(&text, phrase) {
                    let from = text[..k].char_indices().rev().nth(40).map_or(0, |(i, _)| i);
                    let to =
                        text[k..].char_indices().nth(phrase.chars().count() + 40).map_or(text.len(), |(i, _)| k + i);
                    let context = text[from..to].replace('\u{1}', "⟨goal text⟩");
                    found.push(format!("{}: {other} `{key}` {phrase:?} in {context:?}", page.path));
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// Every place the `lang` build shows a phrase of `other`'s table.
fn foreign_text(lang: &'static str, other: &str) -> Vec<String> {
    let phrases = foreign_phrases(lang, other);
    assert!(phrases.len() > 200, "only {} phrases of {other}.toml to look for", phrases.len());
    find_phrases(&build(lang).pages, &phrases, other)
}

#[test]
fn the_search_finds_interface_text_but_not_goal_text() {
    let phrases = foreign_phrases("vi", "en");
    let page = Page {
        path: "goals/x/index.html".into(),
        html: [
            "<html lang=\"vi\"><head><style>@top-right { content: \"Page \" counter(page); }</style></head><body>",
            "<h1>Generate 400 marketing-qualified leads in Q4</h1>",
            "<span title=\"Forecast\">Dự báo</span><p>Còn 3 ngày · days left</p>",
            "<svg><text>Hôm nay</text><text>Today</text><text>Generate 400 marketing…</text></svg>",
            "<p>Lượng tồn kho: 45 days</p><div class=\"prose\"><h2>Why</h2><p>Last quarter brought 50 MQLs</p>",
            "<ul><li>Run the webinar <span class=\"visually-hidden\">Done</span></li></ul></div><h2>Milestones</h2>",
            "<!-- Target --><script>let s = \"Target\";</script></body></html>",
        ]
        .concat(),
    };
    let found = find_phrases(std::slice::from_ref(&page), &phrases, "en");
    let mut phrases_found: Vec<&str> = found.iter().map(|f| f.split('"').nth(1).unwrap()).collect();
    phrases_found.sort();
    assert_eq!(phrases_found, ["Done", "Forecast", "Milestones", "Page", "Today", "days", "days left"], "{found:#?}");
    // On real pages: the English build, searched as if it were Vietnamese,
    // shows the English table everywhere.
    let english = find_phrases(&build("en").pages, &phrases, "en");
    for (page, phrase) in [
        ("index.html", "\"Dashboard\" in \"Dashboard\""),
        ("goals/marketing/q4-mqls/index.html", "`chart.today` \"Today\" in \"Today\""),
        ("handouts/2026-Q4/index.html", "`handout.attention` \"Goals that need attention\""),
    ] {
        let hit = english.iter().any(|f| f.starts_with(&format!("{page}: ")) && f.contains(phrase));
        assert!(hit, "{page}: {phrase} not among {} findings", english.len());
    }
}

#[test]
fn english_build_shows_no_vietnamese_interface_text() {
    let found = foreign_text("en", "vi");
    assert!(found.is_empty(), "{} Vietnamese strings in the English build:\n{}", found.len(), found.join("\n"));
}

#[test]
fn vietnamese_build_shows_no_english_interface_text() {
    let found = foreign_text("vi", "en");
    assert!(found.is_empty(), "{} English strings in the Vietnamese build:\n{}", found.len(), found.join("\n"));
}

#[test]
fn every_page_declares_the_language_of_the_book() {
    for lang in ["en", "vi"] {
        let b = build(lang);
        assert_eq!(b.lang, lang);
        for page in b.pages.iter().filter(|p| p.path.ends_with(".html")) {
            let tags: Vec<&str> = page.html.match_indices("<html").map(|(k, _)| &page.html[k..]).collect();
            assert_eq!(tags.len(), 1, "{lang} {}: {} <html> tags", page.path, tags.len());
            let tag = &tags[0][..tags[0].find('>').unwrap() + 1];
            assert_eq!(tag, format!("<html lang=\"{lang}\">"), "{lang} {}", page.path);
        }
    }
}

/// The text of every `<text>` element of the inline SVGs of `page`.
fn svg_texts(page: &Page) -> Vec<String> {
    visible_text(&page.html).into_iter().filter(|s| s.in_svg).map(|s| s.text).collect()
}

#[test]
fn vietnamese_charts_and_diagrams_draw_vietnamese_text() {
    let b = build("vi");
    let page = |path: &str| b.pages.iter().find(|p| p.path == path).unwrap_or_else(|| panic!("no page {path}"));
    let chart = svg_texts(page("goals/marketing/q4-mqls/index.html"));
    for word in ["Chỉ tiêu", "Hôm nay", "Thực tế"] {
        assert!(chart.iter().any(|t| t.contains(word)), "the vi progress chart lacks {word:?}: {chart:?}");
    }
    let map = svg_texts(page("scorecard/index.html"));
    for word in ["Tài chính", "Khách hàng", "Quy trình nội bộ", "Học hỏi"] {
        assert!(map.iter().any(|t| t.contains(word)), "the vi strategy map lacks {word:?}: {map:?}");
    }
    let cascade = svg_texts(page("cascade/index.html"));
    assert!(cascade.iter().any(|t| t.contains("đúng tiến độ")), "the vi cascade shows no status: {cascade:?}");
    let en_chart =
        svg_texts(build("en").pages.iter().find(|p| p.path == "goals/marketing/q4-mqls/index.html").unwrap());
    for word in ["Target", "Today", "Actual"] {
        assert!(en_chart.iter().any(|t| t.contains(word)), "the en progress chart lacks {word:?}: {en_chart:?}");
    }
}

/// Words of the other script that come from neither this language's table
/// nor the goal files: interface text hard-coded in a template or in Rust,
/// which the table search above cannot see. In `vi`, a word of ASCII letters
/// only (English); in `en`, a word with a non-ASCII letter (Vietnamese).
fn untranslated_words(lang: &'static str) -> Vec<String> {
    let own = table(lang);
    let foreign = |w: &str| match lang {
        "vi" => w.chars().all(|c| c.is_ascii_alphabetic()),
        _ => w.chars().any(|c| c.is_alphabetic() && !c.is_ascii()),
    };
    let mut found = BTreeMap::<String, BTreeSet<String>>::new();
    for page in &build(lang).pages {
        for segment in visible_text(&page.html) {
            let text = without_user_text(&segment);
            for w in text.split(|c: char| !c.is_alphanumeric()) {
                if w.chars().count() >= 2 && foreign(w) && !own.values().any(|v| !word_matches(v, w).is_empty()) {
                    let context = text.replace('\u{1}', "⟨goal text⟩");
                    found.entry(w.to_string()).or_default().insert(format!("{}: {context:?}", page.path));
                }
            }
        }
    }
    found
        .into_iter()
        .map(|(w, places)| format!("{w:?} on {} pages, e.g. {}", places.len(), places.first().unwrap()))
        .collect()
}

#[test]
fn vietnamese_build_has_no_english_word_outside_its_table_and_the_goal_files() {
    let found = untranslated_words("vi");
    assert!(found.is_empty(), "English words in the Vietnamese build:\n{}", found.join("\n"));
}

#[test]
fn english_build_has_no_vietnamese_word_outside_its_table_and_the_goal_files() {
    let found = untranslated_words("en");
    assert!(found.is_empty(), "Vietnamese words in the English build:\n{}", found.join("\n"));
}
