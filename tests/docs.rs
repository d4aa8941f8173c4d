//! Issue 16: every relative link in README.md and docs/ resolves to a file of
//! the repository, and every `#anchor` to a heading of that file (GitHub's
//! heading ids), so a reader never lands on a 404.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// GitHub's id of a heading: lower case, punctuation dropped, spaces → `-`.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The links (destinations) and heading anchors of a Markdown file.
fn read(path: &Path) -> (Vec<String>, BTreeSet<String>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut links = Vec::new();
    let mut anchors = BTreeSet::new();
    let mut heading: Option<String> = None;
    for event in Parser::new(&text) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
                links.push(dest_url.to_string())
            }
            Event::Start(Tag::Heading { level, .. }) if level != HeadingLevel::H6 => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    anchors.insert(anchor(&h));
                }
            }
            _ => {}
        }
    }
    // Raw HTML images (`<img src="…">`) count too.
    for part in text.split("src=\"").skip(1) {
        links.push(part.split('"').next().unwrap().to_string());
    }
    (links, anchors)
}

fn documents() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md")];
    for entry in walkdir::WalkDir::new(root().join("docs")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            files.push(entry.path().to_path_buf());
        }
    }
    files.sort();
    files
}

#[test]
fn every_relative_link_in_the_readme_and_docs_resolves() {
    let files = documents();
    assert!(files.len() >= 8, "README.md and the reference pages: {files:?}");
    let mut problems = Vec::new();
    let mut checked = 0;
    for file in &files {
        let (links, own_anchors) = read(file);
        for link in links {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (target, fragment) = match link.split_once('#') {
                Some((t, f)) => (t, Some(f)),
                None => (link.as_str(), None),
            };
            let rel = file.strip_prefix(root()).unwrap().display().to_string();
            let path = if target.is_empty() { file.clone() } else { file.parent().unwrap().join(target) };
            if !path.exists() {
                problems.push(format!("{rel}: `{link}` names no file of the repository"));
                continue;
            }
            if !path.canonicalize().unwrap().starts_with(root().canonicalize().unwrap()) {
                problems.push(format!("{rel}: `{link}` leaves the repository"));
                continue;
            }
            if let Some(fragment) = fragment {
                let anchors = if target.is_empty() { own_anchors.clone() } else { read(&path).1 };
                if path.extension().is_some_and(|e| e == "md") && !anchors.contains(fragment) {
                    problems.push(format!("{rel}: `{link}`: no heading `#{fragment}` there; it has {anchors:?}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked >= 20, "only {checked} relative links were checked");
}

#[test]
fn the_anchor_rule_is_githubs() {
    assert_eq!(anchor("Progress history from git"), "progress-history-from-git");
    assert_eq!(anchor("CODEOWNERS: the lead reviews the team's goals"), "codeowners-the-lead-reviews-the-teams-goals");
    assert_eq!(anchor("`goalbook init` → push → Pages"), "goalbook-init--push--pages");
}

#[test]
fn a_broken_link_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let md = tmp.path().join("a.md");
    std::fs::write(&md, "# Title\n\n[x](missing.md) [y](#title) ![z](img.png)\n").unwrap();
    let (links, anchors) = read(&md);
    assert_eq!(links, ["missing.md", "#title", "img.png"]);
    assert!(anchors.contains("title"));
}

#[test]
fn the_readmes_three_commands_get_a_new_user_to_a_built_site() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme.find("## Start in three commands").expect("the section near the top");
    assert!(readme[..start].lines().count() < 12, "the commands are on the README's first screen");
    let block = &readme[start..];
    let block = &block[block.find("```sh\n").unwrap() + 6..];
    let block = &block[..block.find("```").unwrap()];
    let commands: Vec<&str> = block.lines().map(|l| l.split(" #").next().unwrap().trim()).collect();
    assert_eq!(commands.len(), 3, "{commands:?}");
    // 1: the version-less name of the release archive that scripts/release-archive makes.
    assert_eq!(
        commands[0],
        "curl -fsSL https://github.com/goalbook/goalbook/releases/latest/download/goalbook-x86_64-unknown-linux-musl.tar.gz | tar -xz goalbook"
    );
    // 2 and 3, run as written, with ./goalbook the binary under test.
    let tmp = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_goalbook"), tmp.path().join("goalbook")).unwrap();
    for command in &commands[1..] {
        let out = std::process::Command::new("bash")
            .args(["-eo", "pipefail", "-c", command])
            .current_dir(tmp.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap();
        assert!(out.status.success(), "`{command}`: {}", String::from_utf8_lossy(&out.stderr));
    }
    assert!(tmp.path().join("acme-goals/book/index.html").is_file(), "the site the README promises");
}
