//! The compiled templates and Tera agree on random views: list pages
//! (the goal table and every macro it calls, the summary, the pager, the
//! related links) and directory pages (`set` in a loop, `split`, `nth`,
//! `trim_end_matches`) with text full of markup, empty and missing values,
//! under the site chrome of `base.html` (the period switcher's
//! `set_global`), in English and Vietnamese.

use goalbook::i18n::Locale;
use goalbook::render::compiled::Page;
use goalbook::render::lists::Pager;
use goalbook::render::theme::{self, Engine, Templates};
use goalbook::render::views::{
    Bar, DirectoryEntry, DirectoryPage, GoalRow, Link, ListPage, PeriodLink, SiteView, StatusCount, StatusView, Summary,
};
use goalbook::sets::GroupKind;
use proptest::prelude::*;
use std::sync::OnceLock;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[a-z0-9 ]{1,8}", "[a-zé<>&\"'/ {}=.-]{0,12}"]
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

fn link() -> impl Strategy<Value = Link> {
    (text(), "[a-z/.-]{0,16}").prop_map(|(label, url)| Link { label, url })
}

fn status() -> impl Strategy<Value = StatusView> {
    (
        prop::sample::select(vec!["on-track", "at-risk", "off-track", "done"]),
        text(),
        prop::sample::select(vec!["●", "▲", ""]),
        text(),
    )
        .prop_map(|(key, label, icon, help)| StatusView { key, label, icon, help })
}

fn bar() -> impl Strategy<Value = Option<Bar>> {
    proptest::option::of((text(), opt_text(), text()).prop_map(|(width, expected, text)| Bar { width, expected, text }))
}

prop_compose! {
    fn row()(
        (id, title, url, kind, kind_label) in (text(), text(), text(), prop::sample::select(vec!["objective", "kpi", "key-result"]), text()),
        (owner, team, period) in (proptest::option::of(link()), proptest::option::of(link()), proptest::option::of(link())),
        (status, bar) in (status(), bar()),
        (current, current_full, target, target_full) in (opt_text(), opt_text(), opt_text(), opt_text()),
        (due, due_iso, days_left, sparkline) in (opt_text(), opt_text(), opt_text(), opt_text()),
    ) -> GoalRow {
        GoalRow {
            id, title, url, kind, kind_label, owner, team, period, perspective: None, status, bar,
            current, current_full, target, target_full, due, due_iso, days_left, score: None, sparkline,
        }
    }
}

prop_compose! {
    fn summary()(total in 0usize..5, total_text in text(), statuses in prop::collection::vec((status(), 0usize..9, text()), 0..4),
                 average in opt_text(), average_bar in opt_text(), covered in 0usize..5) -> Summary {
        let statuses = statuses.into_iter().map(|(status, count, share)| StatusCount { status, count, share }).collect();
        Summary { total, total_text, statuses, average, average_bar, covered }
    }
}

fn pager() -> impl Strategy<Value = Option<Pager>> {
    proptest::option::of(
        (1usize..4, 1usize..4, opt_text(), opt_text(), text()).prop_map(|(page, pages, prev, next, text)| Pager {
            page,
            pages,
            prev,
            next,
            text,
        }),
    )
}

prop_compose! {
    fn site()(lang in prop::sample::select(vec!["en", "vi"]), title in text(), description in text(),
              periods in prop::collection::vec((text(), text(), "[a-z/.]{0,12}", any::<bool>()), 0..4), goal_count in 0usize..3) -> SiteView {
        let periods = periods.into_iter().map(|(key, label, url, current)| PeriodLink { key, label, url, current }).collect();
        SiteView { lang: lang.to_string(), title, description, as_of: "24 Nov".into(), as_of_iso: "2026-11-24".into(),
                   site_url: "https://x/".into(), periods, goal_count }
    }
}

/// The built-in templates of `lang`, compiled and through Tera (made once).
fn both(lang: &str) -> &'static (Templates, Templates) {
    static EN: OnceLock<(Templates, Templates)> = OnceLock::new();
    static VI: OnceLock<(Templates, Templates)> = OnceLock::new();
    let cell = if lang == "vi" { &VI } else { &EN };
    cell.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let locale = Locale::new(lang);
        let compiled = theme::templates_with(dir.path(), "default", &locale, Engine::Compiled).unwrap();
        let tera = theme::templates_with(dir.path(), "default", &locale, Engine::Tera).unwrap();
        assert!(compiled.is_compiled("list.html") && !tera.is_compiled("list.html"));
        (compiled, tera)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn list_pages_are_the_same_compiled_and_through_tera(
        site in site(), rows in prop::collection::vec(row(), 0..4), summary in summary(), pager in pager(),
        (kind, name, heading, subtitle) in (prop::sample::select(vec![GroupKind::Team, GroupKind::Person, GroupKind::Period]), text(), text(), opt_text()),
        (related, related_title, filter, handout) in (prop::collection::vec(link(), 0..3), opt_text(), text(), opt_text()),
        path in prop::sample::select(vec!["teams/a/index.html", "x/index.html", ""]),
    ) {
        let (compiled, tera) = both(&site.lang);
        let page = ListPage { kind, name, heading, subtitle, summary, goals: rows.iter().collect(), related, related_title, pager, filter, handout };
        let root = "../../";
        let context = Page { site: &site, root, section: kind.folder(), path, page: &page };
        prop_assert_eq!(compiled.render(&context).unwrap(), tera.render(&context).unwrap());
    }

    #[test]
    fn directory_pages_are_the_same_compiled_and_through_tera(
        site in site(), pager in pager(), kind in prop::sample::select(vec![GroupKind::Team, GroupKind::Person, GroupKind::Period]), heading in text(),
        entries in prop::collection::vec((text(), "[a-z]{0,4}(/[a-z&<]{0,4}){0,3}", opt_text(), any::<bool>(), summary()), 0..4),
    ) {
        let (compiled, tera) = both(&site.lang);
        let entries = entries.into_iter().map(|(name, url, detail, current, summary)| DirectoryEntry { name, url, detail, current, summary }).collect();
        let page = DirectoryPage { kind, heading, entries, pager };
        let context = Page { site: &site, root: "../", section: "teams", path: "teams/index.html", page: &page };
        prop_assert_eq!(compiled.render(&context).unwrap(), tera.render(&context).unwrap());
    }
}
