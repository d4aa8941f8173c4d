//! Goal bodies: Markdown → sanitised HTML for the goal page.
//!
//! SPEC §1: pulldown-cmark with tables, task lists, footnotes, strikethrough
//! and heading ids. Raw HTML is shown as text unless `[output.html] allow-html
//! = true`; links and images with a script or data scheme are dropped, and
//! images from other hosts become plain links so no page loads anything from
//! another host. This module knows nothing about pages; it returns a fragment.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;

/// What the renderer needs besides the Markdown itself.
pub struct MarkdownOptions<'a> {
    /// `[output.html] allow-html`: pass raw HTML through unchanged.
    pub allow_html: bool,
    /// Accessible names of a checked and an unchecked task-list box.
    pub task_done: &'a str,
    pub task_open: &'a str,
    /// Maps a relative link to a goal file (`../company/grow.md#why`) to the
    /// goal's page, so links that work on GitHub work on the site too.
    pub goal_link: Option<&'a GoalLink<'a>>,
}

/// Resolves a link of a goal body to a goal page, when it names a goal file.
pub type GoalLink<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// What a URL in a goal body may be used for, decided as a browser parses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlUse {
    /// Stays on the site: may be linked and loaded (an image).
    Local,
    /// Names another host or another scheme: may be linked, never loaded.
    Elsewhere,
    /// Runs script or embeds data (`javascript:`, `vbscript:`, `data:`): dropped.
    Dangerous,
}

/// Classifies `url` with the WHATWG URL parser that browsers use (the `url`
/// crate), so every spelling a browser accepts — scheme case, tabs and
/// newlines inside it, backslashes, `http:host`, leading control characters —
/// is decided the same way. The URL is resolved against a page served over
/// HTTP and against one opened from disk; it is [`UrlUse::Local`] only when
/// it stays on the same scheme and host under both.
pub fn classify_url(url: &str) -> UrlUse {
    if is_dangerous_url(url) {
        return UrlUse::Dangerous;
    }
    const BASES: [&str; 2] = ["https://goalbook.invalid/goals/a/", "file:///goalbook/goals/a/"];
    let mut result = UrlUse::Local;
    for base in BASES {
        let base = url::Url::parse(base).expect("a valid base URL");
        let Ok(joined) = base.join(url) else {
            // A browser loads nothing from a URL it cannot parse; keep it a link.
            result = UrlUse::Elsewhere;
            continue;
        };
        if matches!(joined.scheme(), "javascript" | "vbscript" | "data") {
            return UrlUse::Dangerous;
        }
        if joined.scheme() != base.scheme() || joined.host_str() != base.host_str() {
            result = UrlUse::Elsewhere;
        }
    }
    result
}

/// A stricter guard than a browser: a script scheme with spaces anywhere in
/// it (`java script:`) is dropped too, though a browser would read a path.
fn is_dangerous_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take_while(|&c| c != ':' && c != '/' && c != '?' && c != '#')
        .flat_map(char::to_lowercase)
        .collect();
    let has_colon =
        url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).nth(scheme.chars().count()) == Some(':');
    has_colon && matches!(scheme.as_str(), "javascript" | "vbscript" | "data")
}

/// Renders a goal body to HTML that is safe to insert with `| safe`.
pub fn render(body: &str, opts: &MarkdownOptions) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let events: Vec<Event> = Parser::new_ext(body, options).collect();
    let ids = heading_ids(&events);

    let mut out: Vec<Event> = Vec::with_capacity(events.len() + 8);
    let mut heading = 0usize;
    // The page title is the <h1>; body headings follow without skipping a
    // level (the Nu HTML Checker reports a skip as an error).
    let mut last_level = 1usize;
    let mut open_level = HeadingLevel::H2;
    // A dropped link or image keeps its text; these remember to drop the end too.
    let mut dropped_link = false;
    let mut dropped_image: Option<Option<CowStr>> = None;
    for ev in events {
        match ev {
            Event::Start(Tag::Heading { level, classes, attrs, .. }) => {
                let id = ids.get(heading).cloned().flatten().map(CowStr::from);
                heading += 1;
                // Custom heading attributes could carry event handlers.
                let attrs = if opts.allow_html { attrs } else { Vec::new() };
                let wanted = (level as usize).max(2);
                let level_out = wanted.min(last_level + 1);
                last_level = level_out;
                open_level = HeadingLevel::try_from(level_out).unwrap_or(HeadingLevel::H6);
                out.push(Event::Start(Tag::Heading { level: open_level, id, classes, attrs }));
            }
            Event::End(TagEnd::Heading(_)) => out.push(Event::End(TagEnd::Heading(open_level))),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                if classify_url(&dest_url) == UrlUse::Dangerous {
                    dropped_link = true;
                } else {
                    let dest_url = match opts.goal_link.and_then(|f| f(&dest_url)) {
                        Some(page) => CowStr::from(page),
                        None => dest_url,
                    };
                    out.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                }
            }
            Event::End(TagEnd::Link) => {
                if !std::mem::take(&mut dropped_link) {
                    out.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let usage = classify_url(&dest_url);
                if usage == UrlUse::Dangerous {
                    dropped_image = Some(None);
                } else if usage == UrlUse::Elsewhere {
                    // SPEC §5: nothing is loaded from another host; link to it instead.
                    dropped_image = Some(Some(dest_url.clone()));
                    out.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                } else {
                    out.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
                }
            }
            Event::End(TagEnd::Image) => match dropped_image.take() {
                None => out.push(Event::End(TagEnd::Image)),
                Some(Some(_)) => out.push(Event::End(TagEnd::Link)),
                Some(None) => {}
            },
            Event::Start(Tag::HtmlBlock) if !opts.allow_html => out.push(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::HtmlBlock) if !opts.allow_html => out.push(Event::End(TagEnd::Paragraph)),
            Event::Html(s) | Event::InlineHtml(s) if !opts.allow_html => out.push(Event::Text(s)),
            Event::TaskListMarker(done) => {
                // HTML fragment: a goal body is Markdown turned into HTML by
                // pulldown-cmark, not by a template; this is its task box,
                // labelled in the site's language.
                let (label, checked) = if done { (opts.task_done, " checked") } else { (opts.task_open, "") };
                let mut html = String::from("<input type=\"checkbox\" disabled");
                html.push_str(checked);
                html.push_str(" aria-label=\"");
                super::escape::escape_html_into(&mut html, label);
                html.push_str("\"> ");
                out.push(Event::InlineHtml(html.into()));
            }
            Event::Start(Tag::Table(align)) => {
                // Wide tables scroll inside their own box on a phone (an HTML
                // fragment around pulldown-cmark's table, as above).
                out.push(Event::Html("<div class=\"table-wrap\" tabindex=\"0\">".into()));
                out.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                out.push(Event::End(TagEnd::Table));
                out.push(Event::Html("</div>".into()));
            }
            other => out.push(other),
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    html
}

/// An id for every heading: the explicit `{#id}`, else its text slugged,
/// made unique on the page (`plan`, `plan-1`, …).
fn heading_ids(events: &[Event]) -> Vec<Option<String>> {
    let mut used: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id, .. }) = &events[i] {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = match id {
                Some(id) => id.to_string(),
                None => crate::slug::slugify(&text),
            };
            let mut unique = base.clone();
            let mut n = 1;
            while used.contains(&unique) {
                unique = format!("{base}-{n}");
                n += 1;
            }
            used.insert(unique.clone());
            out.push(Some(unique));
            i = j;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(body: &str) -> String {
        render(body, &MarkdownOptions { allow_html: false, task_done: "done", task_open: "to do", goal_link: None })
    }

    #[test]
    fn raw_html_is_escaped() {
        assert_eq!(md("<script>alert(1)</script>\n"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;\n</p>\n");
        assert_eq!(md("a <img src=x onerror=alert(1)> b"), "<p>a &lt;img src=x onerror=alert(1)&gt; b</p>\n");
    }

    #[test]
    fn raw_html_passes_when_allowed() {
        let opts = MarkdownOptions { allow_html: true, task_done: "done", task_open: "to do", goal_link: None };
        assert_eq!(render("a <b>bold</b>", &opts), "<p>a <b>bold</b></p>\n");
    }

    #[test]
    fn script_links_are_dropped_and_keep_their_text() {
        assert_eq!(md("[click](javascript:alert(1))"), "<p>click</p>\n");
        assert_eq!(md("[x](JaVa\tScRiPt:alert(1))"), "<p>[x](JaVa\tScRiPt:alert(1))</p>\n");
        assert_eq!(md("[x](<java script:alert(1)>)"), "<p>x</p>\n");
        assert_eq!(md("[x](vbscript:msgbox)"), "<p>x</p>\n");
        assert_eq!(md("![pic](data:image/png;base64,AAAA)"), "<p>pic</p>\n");
        assert_eq!(md("[ok](../other/index.html)"), "<p><a href=\"../other/index.html\">ok</a></p>\n");
        assert!(is_dangerous_url(" JAVASCRIPT:x"));
        assert!(is_dangerous_url("java\nscript:x"));
        assert!(!is_dangerous_url("javascript-guide.html"));
        assert!(!is_dangerous_url("https://example.com/javascript:"));
    }

    #[test]
    fn images_from_other_hosts_become_links() {
        assert_eq!(
            md("![chart](https://example.com/c.png)"),
            "<p><a href=\"https://example.com/c.png\">chart</a></p>\n"
        );
        assert_eq!(md("![chart](c.png)"), "<p><img src=\"c.png\" alt=\"chart\" /></p>\n");
        // Every spelling a browser reads as another host or scheme.
        for url in [
            "HTTPS://evil.example/c.png",
            "hTtP://evil.example/c.png",
            "http:evil.example/c.png",
            "https:evil.example/c.png",
            "//evil.example/c.png",
            "&#104;ttps://evil.example/c.png",
            "&#x2F;/evil.example/c.png",
            "ftp://evil.example/c.png",
            "file://evil.example/share/c.png",
            "file:///etc/c.png",
            "blob:https://evil.example/x",
        ] {
            let html = md(&format!("![chart]({url})"));
            assert!(!html.contains("<img"), "{url} → {html}");
            assert!(html.contains("<a href="), "{url} → {html}");
        }
        // Backslashes are slashes to a browser (as the parser gets them, after
        // Markdown's own escapes).
        for url in [
            "/\\evil.example/c.png",
            "\\\\evil.example/c.png",
            "\\/evil.example/c.png",
            " \u{1}//evil.example/",
            "ht\ttp://evil.example/",
            "https:\n//evil.example/",
        ] {
            assert_eq!(classify_url(url), UrlUse::Elsewhere, "{url}");
        }
        for url in ["c.png", "../img/c.png", "/img/c.png", "img/c%20d.png", "?x=1", "#top"] {
            assert_eq!(classify_url(url), UrlUse::Local, "{url}");
        }
    }

    #[test]
    fn links_to_goal_files_become_links_to_goal_pages() {
        let map = |url: &str| (url == "../company/grow.md").then(|| "../../company/grow/index.html".to_string());
        let opts = MarkdownOptions { allow_html: false, task_done: "", task_open: "", goal_link: Some(&map) };
        assert_eq!(
            render("[up](../company/grow.md) [other](x.md)", &opts),
            "<p><a href=\"../../company/grow/index.html\">up</a> <a href=\"x.md\">other</a></p>\n"
        );
    }

    #[test]
    fn headings_get_unique_ids_and_start_at_h2() {
        assert_eq!(
            md("# Why\n## Plan\n## Plan\n## Kế hoạch {#custom}\n"),
            "<h2 id=\"why\">Why</h2>\n<h2 id=\"plan\">Plan</h2>\n<h2 id=\"plan-1\">Plan</h2>\n<h2 id=\"custom\">Kế hoạch</h2>\n"
        );
        assert_eq!(md("## Hi {onclick=alert(1)}\n"), "<h2 id=\"hi\">Hi</h2>\n");
        // No level is skipped: #### after ## becomes <h3>.
        assert_eq!(
            md("## A\n#### B\n##### C\n## D\n"),
            "<h2 id=\"a\">A</h2>\n<h3 id=\"b\">B</h3>\n<h4 id=\"c\">C</h4>\n<h2 id=\"d\">D</h2>\n"
        );
    }

    #[test]
    fn task_lists_tables_footnotes_strikethrough() {
        assert_eq!(
            md("- [x] a\n- [ ] b\n"),
            "<ul>\n<li><input type=\"checkbox\" disabled checked aria-label=\"done\"> a</li>\n<li><input type=\"checkbox\" disabled aria-label=\"to do\"> b</li>\n</ul>\n"
        );
        let t = md("| a | b |\n|---|--:|\n| 1 | 2 |\n");
        assert!(t.starts_with("<div class=\"table-wrap\" tabindex=\"0\"><table>"), "{t}");
        assert!(t.trim_end().ends_with("</table>\n</div>") || t.trim_end().ends_with("</table></div>"), "{t}");
        assert_eq!(md("~~old~~"), "<p><del>old</del></p>\n");
        assert!(md("x[^1]\n\n[^1]: note\n").contains("footnote-definition"));
    }
}
