//! The built-in goal page (`base.html` + `goal.html` + `macros.html`) and
//! goal-table row written directly in Rust.
//!
//! Tera interpreting `goal.html` over a JSON context was half of the CPU of
//! a 10,000-goal build (bench/RESULTS.md): variable lookups by dotted path,
//! cloned macro arguments, building and dropping the `serde_json::Value`
//! trees. The functions here write the very same bytes from the view structs
//! the templates see. They are used only while the templates in force are
//! the built-in ones ([`Native::detect`]); a user's or theme's override of
//! any of them goes through Tera as before. `tests/native.rs` renders every
//! page of several sites both ways and asserts equal bytes, so a change to a
//! built-in template must be made here too.

use super::lists::Pager;
use super::theme::{TEMPLATES, escape_html_into};
use super::views::{Bar, GoalPage, GoalRow, Link, ListPage, ScorecardPage, SiteView, StatusView, Summary};
use crate::i18n::Locale;
use crate::sets::GroupKind;
use std::collections::BTreeMap;

/// Which built-in templates are in force, and so may be written natively.
#[derive(Clone, Copy, Debug, Default)]
pub struct Native {
    /// `base.html`, `goal.html` and `macros.html` are the built-in ones.
    pub goal_page: bool,
    /// `macros.html` and `list.html` are the built-in ones.
    pub goal_row: bool,
    /// `base.html`, `list.html` and `macros.html` are the built-in ones
    /// (team, person and period pages).
    pub list_page: bool,
    /// `base.html`, `scorecard.html` and `macros.html` are the built-in ones.
    pub scorecard: bool,
    /// `handout.html` (self-contained) is the built-in one.
    pub handout: bool,
}

impl Native {
    /// Compares the layered template sources with the built-in ones.
    pub fn detect(sources: &BTreeMap<String, String>) -> Native {
        let builtin = |name: &str| {
            let ours = TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t);
            sources.get(name).map(String::as_str) == ours
        };
        let (macros, base, list) = (builtin("macros.html"), builtin("base.html"), builtin("list.html"));
        Native {
            goal_page: macros && base && builtin("goal.html"),
            goal_row: macros && list,
            list_page: macros && base && list,
            scorecard: macros && base && builtin("scorecard.html"),
            handout: builtin("handout.html"),
        }
    }

    /// Nothing native: every page through Tera (for tests comparing the two).
    pub const NONE: Native =
        Native { goal_page: false, goal_row: false, list_page: false, scorecard: false, handout: false };
}

/// An HTML string being written as a built-in template writes it: raw
/// markup, escaped text and translations. The handout writer
/// ([`super::handout`]) adds the pieces of its own template.
pub(super) struct Html<'a> {
    pub(super) out: String,
    pub(super) l: &'a Locale,
}

impl<'a> Html<'a> {
    pub(super) fn new(l: &'a Locale, capacity: usize) -> Html<'a> {
        Html { out: String::with_capacity(capacity), l }
    }

    /// Markup goalbook wrote (or made safe): as it is.
    pub(super) fn raw(&mut self, s: &str) -> &mut Self {
        self.out.push_str(s);
        self
    }

    /// Text: escaped, as Tera's autoescape does.
    pub(super) fn text(&mut self, s: &str) -> &mut Self {
        escape_html_into(&mut self.out, s);
        self
    }

    /// The translation of `key` (`t(key=…)`), escaped.
    pub(super) fn t(&mut self, key: &str) -> &mut Self {
        let l = self.l;
        escape_html_into(&mut self.out, l.t(key));
        self
    }

    /// `{{ root }}{{ url }}`.
    fn href(&mut self, root: &str, url: &str) -> &mut Self {
        self.text(root).text(url)
    }

    /// The `status` macro of `macros.html`.
    fn status(&mut self, s: &StatusView) -> &mut Self {
        self.status_gap(s, "")
    }

    /// A status with `gap` between its icon and its label (the handout's
    /// `status` macro has a space there).
    pub(super) fn status_gap(&mut self, s: &StatusView, gap: &str) -> &mut Self {
        self.raw("<span class=\"status status-").text(s.key).raw("\" title=\"").text(&s.help);
        self.raw("\"><span class=\"status-icon\" aria-hidden=\"true\">").text(s.icon).raw("</span>").raw(gap);
        self.text(&s.label).raw("</span>")
    }

    /// The `bar` macro (the handout's is this one without size or status).
    pub(super) fn bar(&mut self, b: Option<&Bar>, size: &str, status: &str) -> &mut Self {
        let Some(b) = b else { return self.raw("<span class=\"muted\">–</span>") };
        self.raw("<span class=\"meter");
        if !size.is_empty() {
            self.raw(" meter-").text(size);
        }
        if !status.is_empty() {
            self.raw(" meter-").text(status);
        }
        self.raw("\"><span class=\"meter-track\" aria-hidden=\"true\"><span class=\"meter-fill\" style=\"width:");
        self.text(&b.width).raw("%\"></span>");
        if let Some(e) = nonempty(&b.expected) {
            self.raw("<span class=\"meter-mark\" style=\"left:").text(e).raw("%\"></span>");
        }
        self.raw("</span><span class=\"meter-text\">").text(&b.text).raw("</span></span>")
    }

    /// The `value` macro: the short value, with the full one as its tooltip.
    fn value(&mut self, short: Option<&str>, full: Option<&str>) -> &mut Self {
        let Some(short) = short.filter(|s| !s.is_empty()) else {
            return self.raw("<span class=\"muted\">–</span>");
        };
        match full.filter(|f| !f.is_empty() && *f != short) {
            Some(full) => self.raw("<span title=\"").text(full).raw("\">").text(short).raw("</span>"),
            None => self.text(short),
        }
    }

    /// The `meta` macro: kind, owner, team and period of a goal.
    fn meta(&mut self, g: &GoalRow, root: &str, kind: bool) -> &mut Self {
        self.raw("<span class=\"meta\">");
        if kind {
            self.raw("<span class=\"kind kind-").text(g.kind).raw("\">").text(&g.kind_label).raw("</span>");
        }
        for link in [&g.owner, &g.team, &g.period].into_iter().flatten() {
            self.raw("<span class=\"meta-item\"><a href=\"").href(root, &link.url).raw("\">");
            self.text(&link.label).raw("</a></span>");
        }
        self.raw("\n</span>")
    }

    /// The `summary` macro (without `label`): a stacked bar and a legend,
    /// with `link` = (root, filter) each count a link to its goals.
    fn status_summary(&mut self, s: &Summary, link: Option<(&str, &str)>) -> &mut Self {
        self.raw("<div class=\"summary\">");
        if s.total > 0 {
            self.raw("\n  <div class=\"stack\" aria-hidden=\"true\">");
            for c in &s.statuses {
                self.raw("<span class=\"stack-part status-bg-").text(c.status.key).raw("\" style=\"width:");
                self.text(&c.share).raw("%\"></span>");
            }
            self.raw("</div>");
        }
        self.raw("\n  <ul class=\"legend\">\n    ");
        for c in &s.statuses {
            self.raw("<li class=\"legend-item\">");
            if let Some((root, filter)) = link {
                self.raw("<a href=\"").text(root).raw("goals/index.html?").text(filter).raw("status=");
                self.text(c.status.key).raw("\">");
            }
            self.raw("<span class=\"legend-count\">").raw(&c.count.to_string());
            self.raw("</span> ").status(&c.status);
            if link.is_some() {
                self.raw("</a>");
            }
            self.raw("</li>");
        }
        self.raw("\n  </ul>\n</div>")
    }

    /// The `goal_list` macro: status icon, title, bar of each goal.
    fn goal_list(&mut self, goals: &[&GoalRow], root: &str) -> &mut Self {
        self.raw("<ul class=\"goal-list\">");
        for g in goals {
            self.raw("\n  <li class=\"goal-item\">\n    <span class=\"goal-item-main\"><a href=\"").href(root, &g.url);
            self.raw("\">").text(&g.title).raw("</a>").meta(g, root, false).raw("</span>\n    ");
            self.raw("<span class=\"goal-item-side\">").status(&g.status);
            if g.bar.is_some() {
                self.bar(g.bar.as_ref(), "sm", g.status.key);
            } else if let Some(current) = nonempty(&g.current) {
                self.raw("<span class=\"now-vs-target\">").value(Some(current), g.current_full.as_deref());
                if let Some(target) = nonempty(&g.target) {
                    self.raw(" <span class=\"muted\">/ ").value(Some(target), g.target_full.as_deref()).raw("</span>");
                }
                self.raw("</span>");
            }
            self.raw("</span>\n  </li>");
        }
        self.raw("\n</ul>")
    }

    /// The `goal_table` macro (no caption) around ready rows.
    fn goal_table(&mut self, label: &str, tbody: &str) -> &mut Self {
        self.raw("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"").text(label);
        self.raw("\">\n<table class=\"goals\">\n  \n  <thead>\n    <tr>\n");
        for (key, class) in [
            ("table.goal", ""),
            ("table.status", ""),
            ("table.progress", ""),
            ("table.current", " class=\"num\""),
            ("table.target", " class=\"num\""),
            ("table.due", ""),
            ("table.trend", ""),
        ] {
            self.raw("      <th scope=\"col\"").raw(class).raw(">").t(key).raw("</th>\n");
        }
        self.raw("    </tr>\n  </thead>\n  <tbody>").raw(tbody).raw("\n  </tbody>\n</table>\n</div>")
    }

    /// The `pager` macro: previous/next links and the position in a long list.
    fn pager(&mut self, p: Option<&Pager>, root: &str) -> &mut Self {
        let Some(p) = p else { return self };
        self.raw("<nav class=\"pager\" aria-label=\"").t("pager.label").raw(" (");
        self.raw(&p.page.to_string()).raw("/").raw(&p.pages.to_string()).raw(")\">\n  ");
        if let Some(prev) = &p.prev {
            self.raw("<a class=\"pager-prev\" rel=\"prev\" href=\"").href(root, prev).raw("\">← ");
            self.t("pager.previous").raw("</a>");
        }
        self.raw("\n  <span class=\"pager-text\">").text(&p.text).raw("</span>\n  ");
        if let Some(next) = &p.next {
            self.raw("<a class=\"pager-next\" rel=\"next\" href=\"").href(root, next).raw("\">");
            self.t("pager.next").raw(" →</a>");
        }
        self.raw("\n</nav>")
    }

    /// `<a href="{{ root }}{{ url }}">{{ label }}</a>`.
    fn link(&mut self, root: &str, link: &Link) -> &mut Self {
        self.raw("<a href=\"").href(root, &link.url).raw("\">").text(&link.label).raw("</a>")
    }
}

/// An `Option<String>` as Tera tests it: `None` and `""` are false.
pub(super) fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

/// The `goal_row` macro of `macros.html` (the rows of list pages).
pub fn goal_row(l: &Locale, g: &GoalRow, root: &str) -> String {
    let mut h = Html::new(l, 1024 + g.sparkline.as_ref().map_or(0, String::len));
    h.raw("\n    <tr>\n      <td class=\"goal-cell\"><a class=\"goal-link\" href=\"").href(root, &g.url).raw("\">");
    h.text(&g.title).raw("</a>").meta(g, root, true).raw("</td>\n      <td>").status(&g.status);
    h.raw("</td>\n      <td");
    if g.bar.is_none() {
        h.raw(" class=\"is-empty\"");
    }
    h.raw(" data-label=\"").t("table.progress").raw("\">").bar(g.bar.as_ref(), "", g.status.key);
    let current = nonempty(&g.current);
    h.raw("</td>\n      <td class=\"num").raw(if current.is_none() { " is-empty" } else { "" });
    h.raw("\" data-label=\"").t("table.current").raw("\">").value(current, g.current_full.as_deref());
    let target = nonempty(&g.target);
    h.raw("</td>\n      <td class=\"num").raw(if target.is_none() { " is-empty" } else { "" });
    h.raw("\" data-label=\"").t("table.target").raw("\">").value(target, g.target_full.as_deref());
    let due = nonempty(&g.due);
    h.raw("</td>\n      <td class=\"due").raw(if due.is_none() { " is-empty" } else { "" });
    h.raw("\" data-label=\"").t("table.due").raw("\">");
    match due {
        Some(due) => {
            h.raw("<time datetime=\"").text(g.due_iso.as_deref().unwrap_or("")).raw("\">").text(due).raw("</time>");
            if let Some(d) = nonempty(&g.days_left) {
                h.raw("<span class=\"sub\">").text(d).raw("</span>");
            }
        }
        None => {
            h.raw("<span class=\"muted\">–</span>");
        }
    }
    let spark = nonempty(&g.sparkline);
    h.raw("</td>\n      <td class=\"spark").raw(if spark.is_none() { " is-empty" } else { "" });
    h.raw("\" data-label=\"").t("table.trend").raw("\">").raw(spark.unwrap_or("")).raw("</td>\n    </tr>");
    h.out
}

/// `base.html` around a page: `title` is escaped text, `main` writes the
/// `main` block.
fn base(
    h: &mut Html,
    site: &SiteView,
    root: &str,
    section: &str,
    path: &str,
    title: &str,
    main: impl FnOnce(&mut Html),
) {
    h.raw("<!DOCTYPE html>\n<html lang=\"").text(&site.lang).raw("\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.raw("<meta name=\"color-scheme\" content=\"light dark\">\n<meta name=\"generator\" content=\"goalbook\">\n");
    h.raw("<title>").text(title).raw(" · ").text(&site.title).raw("</title>\n");
    if !site.description.is_empty() {
        h.raw("<meta name=\"description\" content=\"").text(&site.description).raw("\">\n");
    }
    h.raw("<link rel=\"stylesheet\" href=\"").text(root).raw("theme/goalbook.css\">\n");
    h.raw("<link rel=\"icon\" href=\"").text(root).raw("theme/favicon.svg\" type=\"image/svg+xml\">\n</head>\n");
    h.raw("<body class=\"section-").text(if section.is_empty() { "none" } else { section }).raw("\">\n");
    h.raw("<a class=\"skip-link\" href=\"#main\">").t("site.skip-to-content").raw("</a>\n");
    h.raw("<header class=\"topbar\">\n  <div class=\"topbar-inner\">\n    <a class=\"brand\" href=\"").text(root);
    h.raw("index.html\"><span class=\"brand-mark\" aria-hidden=\"true\"></span><span class=\"brand-name\">");
    h.text(&site.title).raw("</span></a>");
    search_form(h, root);
    if !site.periods.is_empty() {
        let current = site.periods.iter().rev().find(|p| p.url == path).map(|p| p.label.as_str()).unwrap_or("");
        h.raw("\n    \n    <details class=\"switcher\">\n      <summary><span class=\"switcher-label\">")
            .t("goal.period");
        h.raw("</span> <span class=\"switcher-value\">");
        if current.is_empty() {
            h.t("periods.switch");
        } else {
            h.text(current);
        }
        h.raw("</span></summary>\n      <ul class=\"switcher-menu\">");
        for p in &site.periods {
            h.raw("\n        <li><a href=\"").href(root, &p.url).raw("\"");
            if p.url == path {
                h.raw(" aria-current=\"page\"");
            }
            h.raw(">").text(&p.label);
            if p.current {
                h.raw(" <span class=\"pill\">").t("periods.now").raw("</span>");
            }
            h.raw("</a></li>");
        }
        h.raw("\n        <li class=\"switcher-all\"><a href=\"").text(root).raw("periods/index.html\">");
        h.t("periods.see-all").raw("</a></li>\n      </ul>\n    </details>");
    }
    h.raw("\n  </div>\n  <nav class=\"mainnav\" aria-label=\"").t("nav.main").raw("\">\n    <ul>");
    for (key, folder) in [
        ("dashboard", ""),
        ("all-goals", "goals/"),
        ("cascade", "cascade/"),
        ("scorecard", "scorecard/"),
        ("teams", "teams/"),
        ("people", "people/"),
        ("periods", "periods/"),
        ("handouts", "handouts/"),
    ] {
        h.raw("\n      <li><a href=\"").text(root).raw(folder).raw("index.html\"");
        if section == key {
            h.raw(" aria-current=\"page\"");
        }
        let label = if key == "all-goals" { "nav.goals".to_string() } else { format!("nav.{key}") };
        h.raw(">").t(&label).raw("</a></li>");
    }
    h.raw("\n    </ul>\n  </nav>\n</header>\n<main id=\"main\" class=\"main\">\n");
    main(h);
    let l = h.l;
    let count = l.tf("goal.count", &[("n", &l.number(site.goal_count as f64, 0))]);
    h.raw("\n</main>\n<footer class=\"footer\">\n  <div class=\"footer-inner\">\n    <p>");
    h.text(&l.tf("site.as-of", &[("date", &site.as_of)])).raw(" · ").text(&count);
    h.raw("</p>\n    <p><a href=\"").text(root).raw("goals.json\">").t("site.data-json").raw("</a> · ");
    h.t("site.built-with").raw("</p>\n  </div>\n</footer>\n<script src=\"").text(root);
    h.raw("theme/search.js\"></script>\n</body>\n</html>\n");
}

/// The search box of `base.html` (SPEC §5), a form that leads to the
/// all-goals table without JavaScript.
fn search_form(h: &mut Html, root: &str) {
    h.raw("\n    <form class=\"search\" role=\"search\" action=\"").text(root);
    h.raw("goals/index.html\" method=\"get\" data-root=\"").text(root).raw("\"");
    for key in ["one", "many", "all", "none"] {
        h.raw(" data-").raw(key).raw("=\"").t(&format!("search.{key}")).raw("\"");
    }
    h.raw(">\n      <label class=\"visually-hidden\" for=\"gb-search\">").t("search.label");
    h.raw("</label>\n      <input id=\"gb-search\" type=\"search\" name=\"q\" placeholder=\"").t("search.placeholder");
    h.raw("\" autocomplete=\"off\">\n      <button type=\"submit\" class=\"search-go\">").t("search.submit");
    h.raw("</button>\n      <p class=\"search-status visually-hidden\" role=\"status\" aria-live=\"polite\"></p>");
    h.raw("\n      <div class=\"search-results\" hidden></div>\n    </form>");
}

/// A goal page: `goal.html` in `base.html`, section `goal`.
pub fn goal_page(l: &Locale, site: &SiteView, root: &str, path: &str, page: &GoalPage) -> String {
    let size = 12_000 + page.body.len() + page.cascade.len() + page.chart.as_ref().map_or(0, String::len);
    let mut h = Html::new(l, size);
    base(&mut h, site, root, "goal", path, &page.goal.title, |h| goal_main(h, root, page));
    h.out
}

/// A team, person or period page (`list.html` in `base.html`) whose goal
/// table rows are ready in `tbody`, with its place in a long list.
#[allow(clippy::too_many_arguments)]
pub fn list_page(
    l: &Locale,
    site: &SiteView,
    root: &str,
    path: &str,
    section: &str,
    page: &ListPage,
    tbody: &str,
    extra: &ListExtra,
) -> String {
    let mut h = Html::new(l, 4_000 + tbody.len());
    base(&mut h, site, root, section, path, &page.heading, |h| list_main(h, root, page, tbody, extra));
    h.out
}

/// What a list page shows besides its view: its place in a long list, the
/// query of its goals in the all-goals table (`team=sales&`) and, for a
/// period, its handout.
pub struct ListExtra<'a> {
    pub pager: Option<&'a Pager>,
    pub filter: &'a str,
    pub handout: Option<&'a str>,
}

/// The `main` block of `list.html`.
fn list_main(h: &mut Html, root: &str, page: &ListPage, tbody: &str, extra: &ListExtra) {
    let l = h.l;
    let eyebrow = match page.kind {
        GroupKind::Team => "nav.teams",
        GroupKind::Person => "nav.people",
        GroupKind::Period => "nav.periods",
    };
    h.raw("\n<div class=\"page-head\">\n  <p class=\"eyebrow\">").t(eyebrow).raw("</p>\n  <h1>").text(&page.heading);
    h.raw("</h1>\n  ");
    if let Some(subtitle) = nonempty(&page.subtitle) {
        h.raw("<p class=\"lede\">").text(subtitle).raw("</p>");
    }
    h.raw("\n</div>\n\n<section class=\"panel\" aria-labelledby=\"gb-summary\">\n  <div class=\"panel-head\">\n");
    h.raw("    <h2 id=\"gb-summary\">").text(&page.summary.total_text).raw("</h2>\n    ");
    if let Some(average) = nonempty(&page.summary.average) {
        let n = l.number(page.summary.covered as f64, 0);
        h.raw("<p class=\"panel-note\">")
            .text(&l.tf("dashboard.average", &[("n", &n), ("value", average)]))
            .raw("</p>");
    }
    h.raw("\n  </div>\n  ").status_summary(&page.summary, Some((root, extra.filter)));
    if !page.related.is_empty() {
        h.raw("\n  <p class=\"related\"><span class=\"related-label\">");
        h.text(page.related_title.as_deref().unwrap_or("")).raw(":</span>\n  ");
        for r in &page.related {
            h.raw("<a class=\"chip\" href=\"").href(root, &r.url).raw("\">").text(&r.label).raw("</a> ");
        }
        h.raw("</p>");
    }
    if let Some(handout) = extra.handout {
        h.raw("\n  <p class=\"related\"><a class=\"chip\" href=\"").href(root, handout).raw("\">");
        h.text(&l.tf("handouts.of", &[("period", &page.name)])).raw("</a></p>");
    }
    h.raw("\n</section>\n\n<section class=\"section\" aria-labelledby=\"gb-goals\">\n");
    h.raw("  <h2 id=\"gb-goals\" class=\"visually-hidden\">").t("nav.goals").raw("</h2>\n  ");
    h.goal_table(&page.heading, tbody).raw("\n  ").pager(extra.pager, root).raw("\n</section>\n");
}

/// The scorecard page (`scorecard.html` in `base.html`).
pub fn scorecard_page(l: &Locale, site: &SiteView, root: &str, path: &str, page: &ScorecardPage) -> String {
    let mut h = Html::new(l, 64_000 + page.strategy_map.len());
    base(&mut h, site, root, "scorecard", path, l.t("scorecard.title"), |h| scorecard_main(h, site, root, page));
    h.out
}

/// The `main` block of `scorecard.html`.
fn scorecard_main(h: &mut Html, site: &SiteView, root: &str, page: &ScorecardPage) {
    let l = h.l;
    h.raw("\n<div class=\"page-head\">\n  <p class=\"eyebrow\">").text(&site.title).raw("</p>\n  <h1>");
    h.t("scorecard.title").raw("</h1>\n  <p class=\"lede\">").t("scorecard.intro").raw("</p>\n</div>\n\n");
    h.raw("<div class=\"perspectives\">");
    for p in &page.perspectives {
        h.raw("\n  <section class=\"panel persp persp-").text(p.key).raw("\" id=\"perspective-").text(p.key);
        h.raw("\" aria-labelledby=\"gb-p-")
            .text(p.key)
            .raw("\">\n    <div class=\"panel-head\">\n      <h2 id=\"gb-p-");
        h.text(p.key).raw("\">").text(&p.label).raw("</h2>\n      ");
        if let Some(average) = nonempty(&p.summary.average) {
            let n = l.number(p.summary.covered as f64, 0);
            h.raw("<p class=\"panel-note\">")
                .text(&l.tf("dashboard.average", &[("n", &n), ("value", average)]))
                .raw("</p>");
        }
        h.raw("\n    </div>\n    <p class=\"card-help\">").text(&p.help).raw("</p>");
        if p.groups.is_empty() {
            h.raw("\n    <p class=\"empty\">").t("scorecard.empty").raw("</p>");
        } else {
            let filter = format!("perspective={}&", p.key);
            h.raw("\n    ").status_summary(&p.summary, Some((root, &filter)));
            for g in &p.groups {
                h.raw("\n    <h3 class=\"sub-head\">").text(&g.label).raw(" <span class=\"count\">");
                h.raw(&g.count.to_string()).raw("</span></h3>\n    ").goal_list(&g.goals, root);
                if g.more > 0 {
                    let more = l.tf("common.more", &[("n", &l.number(g.more as f64, 0))]);
                    h.raw("<p class=\"more\"><a href=\"").text(root).raw("goals/index.html?perspective=").text(p.key);
                    h.raw("&amp;kind=").text(g.kind).raw("\">").text(&more).raw("</a></p>");
                }
            }
        }
        h.raw("\n  </section>");
    }
    h.raw("\n</div>\n\n<section class=\"section\" aria-labelledby=\"gb-map\">\n  <h2 id=\"gb-map\">");
    h.t("scorecard.strategy-map").raw("</h2>\n  <p class=\"section-sub\">").t("scorecard.strategy-map-intro");
    h.raw("</p>\n  <figure class=\"diagram diagram-wide\">").raw(&page.strategy_map).raw("</figure>\n</section>");
    if !page.unassigned.is_empty() {
        h.raw("\n<section class=\"section\" aria-labelledby=\"gb-unassigned\">\n  <h2 id=\"gb-unassigned\">");
        h.t("scorecard.unassigned").raw("</h2>\n  ");
        let rows: String = page.unassigned.iter().map(|g| goal_row(l, g, root)).collect();
        h.goal_table(l.t("scorecard.unassigned"), &rows).raw("\n</section>");
    }
    h.raw("\n");
}

/// The `main` block of `goal.html`.
fn goal_main(h: &mut Html, root: &str, page: &GoalPage) {
    let g = page.goal;
    h.raw("\n<nav class=\"breadcrumb\" aria-label=\"").t("nav.breadcrumb").raw("\">\n  <ol>\n    <li><a href=\"");
    h.text(root).raw("index.html\">").t("nav.dashboard").raw("</a></li>");
    for (k, b) in page.breadcrumb.iter().enumerate() {
        h.raw("\n    <li><a href=\"").href(root, &b.url).raw("\"");
        if k + 1 == page.breadcrumb.len() {
            h.raw(" aria-current=\"page\"");
        }
        h.raw(">").text(&b.label).raw("</a></li>");
    }
    h.raw("\n  </ol>\n</nav>\n\n<header class=\"goal-head\">\n  <p class=\"eyebrow\"><span class=\"kind kind-");
    h.text(g.kind).raw("\">").text(&g.kind_label).raw("</span>");
    if let Some(p) = nonempty(&g.perspective) {
        h.raw(" · ").text(p);
    }
    h.raw("</p>\n  <h1>").text(&g.title).raw("</h1>\n  <div class=\"goal-badges\">\n    ").status(&g.status);
    h.raw("\n    <span class=\"pill\" title=\"").text(&page.commitment_help).raw("\">").text(&page.commitment);
    h.raw("</span>\n    ");
    if page.done {
        h.raw("<span class=\"pill pill-ok\">").t("goal.done").raw("</span>");
    }
    h.raw("\n  </div>");
    if let Some(url) = nonempty(&page.edit_url) {
        h.raw("\n  <p class=\"edit-link\"><a href=\"").text(url).raw("\">").t("goal.edit").raw("</a></p>");
    }
    h.raw("\n  <p class=\"status-help\">").text(&page.status_help).raw("</p>\n  <dl class=\"facts\">\n");
    h.raw("    <div><dt>").t("goal.owner").raw("</dt><dd>");
    match &g.owner {
        Some(owner) => h.link(root, owner),
        None => h.raw("<span class=\"muted\">").t("goal.no-owner").raw("</span>"),
    };
    h.raw("</dd></div>\n    ");
    if let Some(team) = &g.team {
        h.raw("<div><dt>").t("goal.team").raw("</dt><dd>").link(root, team).raw("</dd></div>");
    }
    h.raw("\n    ");
    if let Some(period) = &g.period {
        h.raw("<div><dt>").t("goal.period").raw("</dt><dd>").link(root, period).raw("</dd></div>");
    }
    h.raw("\n    ");
    let (start, due) = (nonempty(&page.start), nonempty(&page.due));
    if start.is_some() || due.is_some() {
        h.raw("<div><dt>").t("goal.dates").raw("</dt><dd>").text(start.unwrap_or("")).raw(" – ");
        match due {
            Some(due) => h.text(due),
            None => h.t("goal.no-deadline"),
        };
        h.raw("</dd></div>");
    }
    h.raw("\n    ");
    if let Some(parent) = &page.parent {
        h.raw("<div><dt>").t("goal.parent").raw("</dt><dd>").link(root, parent).raw("</dd></div>");
    }
    h.raw("\n  </dl>\n</header>\n\n<section class=\"numbers\" aria-label=\"").t("goal.numbers");
    h.raw("\">\n  <ul class=\"kpis\">");
    numbers(h, page);
    h.raw("\n  </ul>\n</section>");
    if let Some(chart) = nonempty(&page.chart) {
        h.raw("\n<section class=\"section\" aria-labelledby=\"gb-chart\">\n  <h2 id=\"gb-chart\">")
            .text(&page.chart_title);
        h.raw("</h2>\n  <figure class=\"chart\" tabindex=\"0\" aria-labelledby=\"gb-chart\">").raw(chart);
        h.raw("</figure>\n</section>");
    }
    h.raw("\n\n<div class=\"columns columns-main\">\n  <div class=\"col-main\">");
    if !page.body.is_empty() {
        h.raw("\n    <section class=\"section\" aria-labelledby=\"gb-description\">\n      ");
        h.raw("<h2 id=\"gb-description\" class=\"visually-hidden\">").t("goal.description").raw("</h2>\n      ");
        h.raw("<div class=\"prose\">").raw(&page.body).raw("</div>\n    </section>");
    }
    children(h, root, page);
    checkins(h, page);
    milestones(h, page);
    h.raw("\n  </div>\n\n  <aside class=\"col-side\" aria-label=\"").t("goal.details").raw("\">\n");
    smart(h, page);
    details(h, root, page);
    h.raw(
        "\n  </aside>\n</div>\n\n<section class=\"section\" aria-labelledby=\"gb-cascade\">\n  <h2 id=\"gb-cascade\">",
    );
    h.t("goal.in-cascade").raw("</h2>\n  ");
    if page.cascade_from_parent {
        h.raw("<p class=\"section-sub\">").t("goal.cascade-help").raw("</p>");
    }
    h.raw("\n  <figure class=\"diagram\">").raw(&page.cascade).raw("</figure>\n</section>\n");
}

/// Opens a number card of the goal page, up to its value: label (text)
/// and the class of the value.
fn card_open<'h, 'a>(h: &'h mut Html<'a>, label: &str, value_class: &str) -> &'h mut Html<'a> {
    h.raw("\n    <li class=\"kpi\">\n      <span class=\"kpi-label\">").text(label);
    h.raw("</span>\n      <span class=\"").raw(value_class).raw("\">")
}

/// Closes the value of a number card; the sub-line, if any, follows.
fn card_value_end<'h, 'a>(h: &'h mut Html<'a>) -> &'h mut Html<'a> {
    h.raw("</span>\n      ")
}

/// A card's sub-line of plain text, when there is one, and the card's end.
fn card_close(h: &mut Html, sub: Option<&str>) {
    if let Some(sub) = sub {
        h.raw("<span class=\"kpi-sub\">").text(sub).raw("</span>");
    }
    h.raw("\n    </li>");
}

/// The number cards (`<ul class="kpis">`).
fn numbers(h: &mut Html, page: &GoalPage) {
    let g = page.goal;
    let l = h.l;
    if let Some(progress) = nonempty(&page.progress) {
        h.raw("\n    <li class=\"kpi kpi-progress\">\n      <span class=\"kpi-label\">").t("goal.progress");
        h.raw("</span>\n      <span class=\"kpi-value\">").text(progress).raw("</span>\n      ");
        h.bar(g.bar.as_ref(), "lg", g.status.key).raw("\n      ");
        if let Some(e) = nonempty(&page.expected) {
            h.raw("<span class=\"kpi-sub\">").t("goal.expected").raw(": ").text(e).raw("</span>");
        }
        h.raw("\n    </li>");
    }
    if let Some(current) = nonempty(&page.current) {
        let label = nonempty(&page.metric).unwrap_or_else(|| l.t("goal.current"));
        card_open(h, label, "kpi-value").value(g.current.as_deref(), Some(current));
        card_value_end(h).raw("<span class=\"kpi-sub\">");
        if nonempty(&page.baseline).is_some() {
            h.value(page.baseline_short.as_deref(), page.baseline.as_deref()).raw(" → ");
        } else if nonempty(&page.target).is_some() {
            h.t("goal.target").raw(" ");
        }
        match nonempty(&page.target) {
            Some(target) => h.raw("<strong>").value(g.target.as_deref(), Some(target)).raw("</strong>"),
            None => h.t("goal.no-target"),
        };
        h.raw("</span>\n    </li>");
    }
    if let Some(warning) = nonempty(&page.warning) {
        card_value_end(card_open(h, l.t("goal.warning"), "kpi-value").text(warning));
        card_close(h, nonempty(&page.direction));
    }
    if let Some(score) = nonempty(&page.score) {
        card_value_end(card_open(h, l.t("goal.score"), "kpi-value").text(score));
        card_close(h, Some(l.t("goal.score-help")));
    }
    if let Some(due) = nonempty(&page.due) {
        card_value_end(card_open(h, l.t("goal.due"), "kpi-value kpi-value-sm").text(due));
        card_close(h, nonempty(&g.days_left));
    }
    if let Some(forecast) = nonempty(&page.forecast) {
        let value = card_open(h, l.t("goal.forecast-at-due"), "kpi-value kpi-value-sm");
        card_value_end(value.value(page.forecast_short.as_deref(), Some(forecast)));
        if let Some(f) = nonempty(&page.forecast_progress) {
            h.raw("<span class=\"kpi-sub\">").t("goal.forecast-progress").raw(": ").text(f).raw("</span>");
        }
        card_close(h, None);
    }
    if let Some(confidence) = nonempty(&page.confidence) {
        card_value_end(card_open(h, l.t("checkin.confidence"), "kpi-value kpi-value-sm").text(confidence));
        card_close(h, Some(l.t("goal.last-checkin")));
    }
    if let Some(tasks) = nonempty(&page.tasks) {
        card_open(h, l.t("goal.tasks"), "kpi-value kpi-value-sm").text(tasks).raw("</span>\n    </li>");
    }
}

/// The children table (or the "no children" line) of an objective.
fn children(h: &mut Html, root: &str, page: &GoalPage) {
    if page.children.is_empty() && !page.rolls_up {
        return;
    }
    h.raw("\n    <section class=\"section\">\n      <h2 id=\"gb-children\">").t("goal.children").raw("</h2>");
    if page.children.is_empty() {
        h.raw("\n      <p class=\"empty\">").t("goal.no-children").raw("</p>\n    </section>");
        return;
    }
    h.raw("\n      ");
    if page.rolls_up {
        h.raw("<p class=\"section-sub\">").text(&page.children_title).raw("</p>");
    }
    h.raw("\n      <div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"gb-children\">\n");
    h.raw("      <table class=\"goals\">\n        <thead><tr>\n          <th scope=\"col\">").t("table.goal");
    h.raw("</th>\n          <th scope=\"col\">").t("table.status").raw("</th>\n          <th scope=\"col\">");
    h.t("table.progress").raw("</th>\n          <th scope=\"col\" class=\"num\">").t("goal.weight");
    h.raw("</th>\n          ");
    if page.rolls_up {
        h.raw("<th scope=\"col\" class=\"num\">").t("goal.share").raw("</th><th scope=\"col\" class=\"num\">");
        h.t("goal.contribution").raw("</th>");
    }
    h.raw("\n        </tr></thead>\n        <tbody>");
    for c in &page.children {
        let g = c.goal;
        h.raw("\n          <tr>\n            <td class=\"goal-cell\"><a class=\"goal-link\" href=\"")
            .href(root, &g.url);
        h.raw("\">").text(&g.title).raw("</a>").meta(g, root, true).raw("</td>\n            <td>").status(&g.status);
        h.raw("</td>\n            <td>").bar(g.bar.as_ref(), "", g.status.key);
        h.raw("</td>\n            <td class=\"num\" data-label=\"").t("goal.weight").raw("\">").text(&c.weight);
        h.raw("</td>\n            ");
        if page.rolls_up {
            h.raw("<td class=\"num\" data-label=\"").t("goal.share").raw("\">");
            dash_or(h, nonempty(&c.share));
            h.raw("</td><td class=\"num\" data-label=\"").t("goal.contribution").raw("\">");
            dash_or(h, nonempty(&c.contribution));
            h.raw("</td>");
        }
        h.raw("\n          </tr>");
    }
    h.raw("\n        </tbody>\n      </table>\n      </div>\n    </section>");
}

/// The text, or a muted dash when there is none.
fn dash_or(h: &mut Html, text: Option<&str>) {
    match text {
        Some(t) => h.text(t),
        None => h.raw("<span class=\"muted\">–</span>"),
    };
}

/// The check-in table (or the "no check-ins" line).
fn checkins(h: &mut Html, page: &GoalPage) {
    h.raw("\n\n    <section class=\"section\">\n      <h2 id=\"gb-checkins\">").t("goal.checkins").raw("</h2>");
    if page.checkins.is_empty() {
        h.raw("\n      <p class=\"empty\">").t("goal.no-checkins").raw("</p>\n    </section>");
        return;
    }
    h.raw("\n      <div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"gb-checkins\">\n");
    h.raw("      <table class=\"data\">\n        <thead><tr>\n          <th scope=\"col\">").t("checkin.date");
    h.raw("</th>\n          <th scope=\"col\" class=\"num\">").t("checkin.value");
    h.raw("</th>\n          <th scope=\"col\" class=\"num\">").t("checkin.change");
    h.raw("</th>\n          <th scope=\"col\" class=\"num\">").t("checkin.confidence");
    h.raw("</th>\n          <th scope=\"col\">").t("checkin.note").raw("</th>\n        </tr></thead>\n        <tbody>");
    for c in &page.checkins {
        h.raw("\n          <tr>\n            <td class=\"nowrap\"><time datetime=\"").text(&c.date_iso).raw("\">");
        h.text(&c.date).raw("</time></td>\n            <td class=\"num\" data-label=\"").t("checkin.value");
        h.raw("\"><strong>").value(Some(&c.value), Some(&c.value_full)).raw("</strong></td>\n");
        h.raw("            <td class=\"num\" data-label=\"").t("checkin.change").raw("\">");
        dash_or(h, nonempty(&c.change));
        h.raw("</td>\n            <td class=\"num\" data-label=\"").t("checkin.confidence").raw("\">");
        dash_or(h, nonempty(&c.confidence));
        h.raw("</td>\n            <td class=\"note\">")
            .text(nonempty(&c.note).unwrap_or(""))
            .raw("</td>\n          </tr>");
    }
    h.raw("\n        </tbody>\n      </table>\n      </div>\n    </section>");
}

/// The milestone table, when there are milestones.
fn milestones(h: &mut Html, page: &GoalPage) {
    if page.milestones.is_empty() {
        return;
    }
    h.raw("\n    <section class=\"section\">\n      <h2 id=\"gb-milestones\">").t("goal.milestones").raw("</h2>\n");
    h.raw("      <div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"gb-milestones\">\n");
    h.raw("      <table class=\"data\">\n        <thead><tr>\n          <th scope=\"col\">").t("milestone.date");
    h.raw("</th>\n          <th scope=\"col\" class=\"num\">").t("milestone.target");
    h.raw("</th>\n          <th scope=\"col\">").t("status.label").raw("</th>\n          <th scope=\"col\">");
    h.t("milestone.note").raw("</th>\n        </tr></thead>\n        <tbody>");
    for m in &page.milestones {
        h.raw("\n          <tr>\n            <td class=\"nowrap\"><time datetime=\"").text(&m.date_iso).raw("\">");
        h.text(&m.date).raw("</time></td>\n            <td class=\"num\" data-label=\"").t("milestone.target");
        h.raw("\"><strong>").value(Some(&m.target), Some(&m.target_full)).raw("</strong></td>\n");
        h.raw("            <td><span class=\"status status-ms-").text(m.state);
        h.raw("\"><span class=\"status-icon\" aria-hidden=\"true\">").text(m.icon).raw("</span>").text(&m.state_label);
        h.raw("</span></td>\n            <td class=\"note\">").text(nonempty(&m.note).unwrap_or(""));
        h.raw("</td>\n          </tr>");
    }
    h.raw("\n        </tbody>\n      </table>\n      </div>\n    </section>");
}

/// The SMART checklist panel.
fn smart(h: &mut Html, page: &GoalPage) {
    h.raw("    <section class=\"panel smart\" aria-labelledby=\"gb-smart\">\n      <h2 id=\"gb-smart\">");
    h.t("smart.title").raw("</h2>\n      <ul class=\"smart-list\">");
    for s in &page.smart {
        h.raw("\n        <li class=\"smart-item ").raw(if s.ok { "smart-ok" } else { "smart-fail" }).raw("\">\n");
        h.raw("          <span class=\"smart-letter\" aria-hidden=\"true\">").text(&s.letter).raw("</span>\n");
        h.raw("          <div class=\"smart-text\">\n            <p class=\"smart-name\">").text(&s.name);
        h.raw(" <span class=\"smart-state\"><span aria-hidden=\"true\">").raw(if s.ok { "✓" } else { "✕" });
        h.raw("</span> ").text(&s.state).raw("</span></p>\n            ");
        if s.ok {
            h.raw("<p class=\"smart-help\">").text(&s.help).raw("</p>");
        } else {
            for r in &s.reasons {
                h.raw("<p class=\"smart-why\">").text(r).raw("</p>");
            }
            h.raw("<p class=\"smart-help\">").text(&s.question).raw("</p>");
        }
        h.raw("\n          </div>\n        </li>");
    }
    h.raw("\n      </ul>\n    </section>\n\n");
}

/// The details panel: kind, numbers, file, `supports` links.
fn details(h: &mut Html, root: &str, page: &GoalPage) {
    let g = page.goal;
    h.raw("    <section class=\"panel\" aria-labelledby=\"gb-details\">\n      <h2 id=\"gb-details\">")
        .t("goal.details");
    h.raw("</h2>\n      <dl class=\"details\">\n        <div><dt>")
        .t("kind.label")
        .raw("</dt><dd>")
        .text(&g.kind_label);
    h.raw("</dd></div>");
    let rows = [
        ("goal.metric", &page.metric),
        ("goal.unit", &page.unit),
        ("goal.baseline", &page.baseline),
        ("goal.current", &page.current),
        ("goal.target", &page.target),
        ("goal.expected", &page.expected),
        ("goal.elapsed", &page.elapsed),
        ("perspective.label", &g.perspective),
    ];
    for (key, value) in rows {
        h.raw("\n        ");
        if let Some(v) = nonempty(value) {
            h.raw("<div><dt>").t(key).raw("</dt><dd>").text(v).raw("</dd></div>");
        }
    }
    h.raw("\n        <div><dt>").t("commitment.label").raw("</dt><dd>").text(&page.commitment).raw("</dd></div>\n");
    h.raw("        <div><dt>").t("goal.weight").raw("</dt><dd>").text(&page.weight).raw("</dd></div>\n      </dl>\n");
    h.raw("      <p class=\"source\">").t("goal.file").raw(": <code>").text(&page.file).raw("</code></p>");
    for (key, links) in [("goal.supports", &page.supports), ("goal.supported-by", &page.supported_by)] {
        if links.is_empty() {
            continue;
        }
        h.raw("\n      <h3 class=\"sub-head\">").t(key).raw("</h3>\n      <ul class=\"link-list\">");
        for s in links {
            h.raw("<li>").link(root, s).raw("</li>");
        }
        h.raw("</ul>");
    }
    h.raw("\n    </section>");
}
