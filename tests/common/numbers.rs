//! Computing a small repository in memory, for the tests of SPEC §3's numbers.

use chrono::NaiveDate;
use goalbook::load::SourceFile;
use goalbook::{Config, Project};

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Loads goals from `(id, front matter + body)` pairs with `book` as book.toml.
pub fn project(book: &str, goals: &[(&str, &str)], as_of: &str) -> Project {
    let (config, diags) = Config::parse("book.toml", book);
    assert!(diags.is_empty(), "{diags:?}");
    let files: Vec<SourceFile> = goals
        .iter()
        .map(|(id, text)| SourceFile {
            rel: format!("goals/{id}.md"),
            path_id: id.to_string(),
            text: Some(text.to_string()),
            unread: None,
        })
        .collect();
    goalbook::project_from_files(config, &files, d(as_of), Vec::new())
}

pub fn num<'a>(p: &'a Project, id: &str) -> &'a goalbook::Numbers {
    &p.numbers[p.repo.by_id[id]]
}
