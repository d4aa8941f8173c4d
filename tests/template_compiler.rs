//! The template compiler (`build/templates/`, run by `build.rs`): a built-in
//! template outside the subset of Tera it supports is a build error naming
//! the template and line; a change to a built-in template changes the
//! generated code, with no Rust edit.

#[path = "../build/templates/mod.rs"]
#[allow(dead_code)]
mod templates;

use std::collections::BTreeMap;

fn builtin() -> BTreeMap<String, String> {
    let dir = crate::common::repo_root().join("templates");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "html") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
    out
}

/// The error of the compiler when `line` is added to the main block of
/// `404.html` (after its heading), and the number of the added line.
fn error_for(line: &str) -> (String, usize) {
    let mut sources = builtin();
    let page = sources.get_mut("404.html").unwrap();
    let mut lines: Vec<&str> = page.lines().collect();
    let at = lines.iter().position(|l| l.contains("<h1>")).unwrap() + 1;
    lines.insert(at, line);
    *page = lines.join("\n");
    match templates::generate(&sources) {
        Ok(_) => panic!("`{line}` compiled"),
        Err(e) => (e, at + 1),
    }
}

#[test]
fn the_built_in_templates_compile() {
    let code = templates::generate(&builtin()).unwrap();
    assert!(code.contains("pub fn render_goal_html("), "one function per page template");
    assert!(code.contains("pub fn render_handout_html("));
    assert!(code.contains("fn macro_macros_html_outline_node<"), "the recursive macro is a function");
}

#[test]
fn constructs_outside_the_subset_name_the_template_and_line() {
    for (line, what) in [
        ("{{ site.title | upper }}", "the filter `upper`"),
        ("{% include \"base.html\" %}", "`include`"),
        ("{{ site.goal_count + 1 }}", "arithmetic"),
        ("{% if \"a\" in site.title %}x{% endif %}", "the `in` operator"),
        ("{{ now() }}", "the function `now`"),
        ("{% if site.title is defined %}x{% endif %}", "the test `defined`"),
        ("{{ site.periods[0] }}", "square-bracket indexing"),
        ("{% filter upper %}x{% endfilter %}", "the filter section `upper`"),
    ] {
        let (err, n) = error_for(line);
        assert!(err.starts_with(&format!("templates/404.html:{n}: ")), "{line}: {err}");
        assert!(err.contains(what), "{line}: {err}");
        assert!(err.contains("subset of Tera") && err.contains("docs/site.md"), "{line}: {err}");
    }
}

#[test]
fn a_change_to_a_built_in_template_changes_the_generated_code() {
    let before = templates::generate(&builtin()).unwrap();
    let mut sources = builtin();
    let macros = sources.get_mut("macros.html").unwrap();
    *macros = macros.replacen("<span class=\"meta\">", "<span class=\"meta changed\">", 1);
    let after = templates::generate(&sources).unwrap();
    assert!(!before.contains("meta changed") && after.contains("meta changed"));
}
