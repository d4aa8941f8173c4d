//! `serve` rebuilds incrementally ([`goalbook::live::Live`]): after an
//! edit, the files it serves are byte for byte those of a full build of the
//! edited sources, and only some pages were rendered again.

use crate::common;

use goalbook::live::{Live, Rebuilt};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

const AS_OF: &str = "2026-11-24";

/// The demo company (goals/ and book.toml of the repository) in a temporary folder.
fn demo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&common::repo_root().join("goals"), &tmp.path().join("goals"));
    std::fs::copy(common::repo_root().join("book.toml"), tmp.path().join("book.toml")).unwrap();
    tmp
}

/// What `goalbook build` writes for `root`, by path.
fn built(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let as_of = goalbook::resolve_as_of(Some(AS_OF)).unwrap();
    let project = goalbook::load_project(root, as_of).unwrap();
    assert!(!project.has_errors());
    let out = tempfile::tempdir().unwrap();
    goalbook::site::write(&project, root, out.path()).unwrap();
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(out.path()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(out.path()).unwrap();
            let key = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            files.insert(key, std::fs::read(entry.path()).unwrap());
        }
    }
    files
}

fn sorted(files: &HashMap<String, Arc<Vec<u8>>>) -> BTreeMap<String, Vec<u8>> {
    files.iter().map(|(k, v)| (k.clone(), v.to_vec())).collect()
}

/// Asserts every served file equals the full build's, naming the first that differs.
fn assert_same(live: &Live, root: &Path) {
    let served = sorted(&live.files);
    let full = built(root);
    let served_keys: Vec<&String> = served.keys().collect();
    let full_keys: Vec<&String> = full.keys().collect();
    assert_eq!(served_keys, full_keys, "the same files");
    for (path, bytes) in &full {
        assert!(served[path] == *bytes, "`{path}` differs from a full build");
    }
}

fn page(live: &Live, path: &str) -> String {
    String::from_utf8(live.files[path].to_vec()).unwrap()
}

/// Rewrites `rel` under `root` with `from` replaced by `to` (the text must change size).
fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} holds {from}");
    assert_ne!(from.len(), to.len());
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn an_edit_rebuilds_only_some_pages_and_equals_a_full_build() {
    let tmp = demo();
    let root = tmp.path();
    let mut live = Live::new(root, Some(AS_OF));
    assert_eq!(live.update(), Ok(Rebuilt::Full));
    assert_same(&live, root);
    let total = live.files.len();
    let before: HashMap<String, Arc<Vec<u8>>> = live.files.clone();

    // A key result's current value: its page, its parent's roll-up, its
    // team's page and the dashboard change.
    edit(root, "goals/marketing/q4-mqls.md", "current = 210", "current = 3050");
    let rebuilt = live.update().unwrap();
    let Rebuilt::Partial(n) = rebuilt else { panic!("expected a partial rebuild, got {rebuilt:?}") };
    assert!(n < total / 2, "rendered {n} of {total} files");
    assert_same(&live, root);
    for path in [
        "goals/marketing/q4-mqls/index.html",
        "goals/company/grow-b2b/index.html",
        "teams/marketing/index.html",
        "index.html",
        "goals.json",
    ] {
        assert_ne!(live.files[path], before[path], "{path} changed");
    }
    assert!(page(&live, "goals/marketing/q4-mqls/index.html").contains("3,050"));
    // A page that cannot show the goal is not rendered again (and is equal).
    assert_eq!(
        live.files["goals/operations/picking-errors/index.html"],
        before["goals/operations/picking-errors/index.html"]
    );

    // A title shows in the breadcrumbs of every descendant.
    edit(root, "goals/company/grow-b2b.md", "title = \"", "title = \"Renamed: ");
    assert!(matches!(live.update(), Ok(Rebuilt::Partial(_))));
    assert_same(&live, root);
    assert!(page(&live, "goals/marketing/q4-mqls/index.html").contains("Renamed: "));

    // A new parent changes the tree: everything is rendered again.
    edit(root, "goals/marketing/q4-mqls.md", "parent = \"company/grow-b2b\"", "parent = \"company/lead-the-south\"");
    assert_eq!(live.update(), Ok(Rebuilt::Full));
    assert_same(&live, root);

    // Nothing changed: nothing but the shared pages is rendered, and all is still equal.
    assert!(matches!(live.update(), Ok(Rebuilt::Partial(_))));
    assert_same(&live, root);
}

#[test]
fn errors_keep_the_last_good_files_and_a_fix_equals_a_full_build() {
    let tmp = demo();
    let root = tmp.path();
    let mut live = Live::new(root, Some(AS_OF));
    live.update().unwrap();
    let good = live.files.clone();
    edit(root, "goals/marketing/q4-mqls.md", "target = 400", "target = \"four hundred\"");
    let errors = live.update().unwrap_err();
    assert!(errors.iter().any(|e| e.contains("goals/marketing/q4-mqls.md")), "{errors:?}");
    assert!(live.files == good, "the last good build is kept");
    edit(root, "goals/marketing/q4-mqls.md", "target = \"four hundred\"", "target = 4000");
    assert!(matches!(live.update(), Ok(Rebuilt::Partial(_))));
    assert_same(&live, root);
}

#[test]
fn a_template_change_rebuilds_everything() {
    let tmp = demo();
    let root = tmp.path();
    let mut live = Live::new(root, Some(AS_OF));
    live.update().unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/404.html"), "<!doctype html><title>gone</title><body>gone</body>\n").unwrap();
    assert_eq!(live.update(), Ok(Rebuilt::Full));
    assert_same(&live, root);
    assert!(page(&live, "404.html").contains("gone"));
}

#[test]
fn hinted_updates_equal_a_full_build() {
    let tmp = demo();
    let root = tmp.path();
    let mut live = Live::new(root, Some(AS_OF));
    live.update().unwrap();
    // The file-system events of serve name the changed goal file.
    edit(root, "goals/marketing/q4-mqls.md", "current = 210", "current = 3050");
    let changed = [root.join("goals/marketing/q4-mqls.md")];
    assert!(matches!(live.update_pages_hinted(Some(&changed)), Ok(Rebuilt::Partial(_))));
    assert!(live.rest_stale(), "handouts and goals.json come second");
    live.update_rest().unwrap();
    assert!(!live.rest_stale());
    assert_same(&live, root);
    // A hint naming a new file falls back to looking at every file.
    std::fs::write(
        root.join("goals/marketing/new-goal.md"),
        "+++\ntitle = \"Hold 3 webinars\"\nparent = \"company/grow-b2b\"\nperiod = \"2026-Q4\"\nbaseline = 0\ntarget = 3\ncurrent = 1\n+++\n",
    )
    .unwrap();
    let changed = [root.join("goals/marketing/new-goal.md")];
    assert_eq!(live.update_pages_hinted(Some(&changed)), Ok(Rebuilt::Full));
    assert!(live.files.contains_key("goals/marketing/new-goal/index.html"));
    assert_same(&live, root);
}

/// `site::pages_showing` (what `serve` renders again after an edit of a goal)
/// holds every goal whose page's cascade diagram links to that goal, on a
/// tree deeper than the diagram and with siblings at every level.
#[test]
fn the_pages_rendered_again_hold_every_cascade_that_shows_the_goal() {
    let mut goals: Vec<(String, String)> = Vec::new();
    let goal = |id: &str, parent: Option<&str>| {
        let parent = parent.map(|p| format!("parent = \"{p}\"\n")).unwrap_or_default();
        let kind = if parent.is_empty() { "kind = \"objective\"" } else { "kind = \"key-result\"\ntarget = 10" };
        format!(
            "+++\ntitle = \"Goal {id} of the company\"\n{kind}\n{parent}owner = \"lan\"\nperiod = \"2026-Q4\"\n+++\n"
        )
    };
    goals.push(("a".into(), goal("a", None)));
    let mut level = vec!["a".to_string()];
    for depth in 1..=5 {
        let mut next = Vec::new();
        for p in &level {
            for k in 0..2 {
                let id = format!("{p}{depth}{k}");
                goals.push((id.clone(), goal(&id, Some(p))));
                next.push(id);
            }
        }
        level = next.into_iter().take(2).collect();
    }
    let files: Vec<(&str, &str)> = goals.iter().map(|(i, t)| (i.as_str(), t.as_str())).collect();
    let p = common::numbers::project("", &files, AS_OF);
    assert!(!p.has_errors(), "{:?}", p.diagnostics);
    let locale = goalbook::i18n::Locale::new("en");
    let ctx = goalbook::render::views::Ctx { repo: &p.repo, numbers: &p.numbers, locale: &locale, as_of: p.as_of };
    let mut shown = 0;
    for x in 0..p.repo.goals.len() {
        let cascade = ctx.goal_cascade(x, "");
        for (c, g) in p.repo.goals.iter().enumerate() {
            if cascade.contains(&format!("href=\"{}\"", g.url())) {
                shown += 1;
                let again = goalbook::site::pages_showing(&p.repo, c);
                assert!(
                    again.contains(&x),
                    "the page of {} shows {} but is not rendered again",
                    p.repo.goals[x].id,
                    g.id
                );
            }
        }
    }
    assert!(shown > p.repo.goals.len() * 2, "the cascades link to the goals they show ({shown} links)");
}
