//! `goalbook codeowners [DIR] [--check] [--format text|github]`: write
//! `.github/CODEOWNERS` from the goals and the teams' leads, or with
//! `--check` only say whether the committed file is out of date (the
//! pull-request job of the workflow `init` writes does that).

use crate::codeowners::{PATH, generate, merge};
use crate::diagnostic::{Format, render};
use anyhow::{Context, Result};
use std::path::Path;

/// Writes (or checks) the file. Exit codes: 0 written or up to date, 1 out
/// of date with `--check` or goals with errors, 2 I/O errors (as `Err`).
pub fn run(root: &Path, check: bool, format: Format) -> Result<i32> {
    let as_of = crate::resolve_as_of(None)?;
    let project = crate::load_project(root, as_of)?;
    let github = matches!(format, Format::Github);
    if project.has_errors() {
        if check {
            // `check` reports these; one red mark per problem is enough.
            let msg = "CODEOWNERS not checked: the goals have errors";
            if github {
                println!("::notice::{msg}")
            } else {
                eprintln!("{msg}")
            }
            return Ok(0);
        }
        eprint!("{}", render(&project.diagnostics, Format::Text));
        eprintln!("{PATH} not written: fix the errors above");
        return Ok(1);
    }
    let (section, notes) = generate(&project.repo.config, &project.repo.goals);
    let path = root.join(PATH);
    let current = match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("failed to read `{}`", path.display())),
    };
    let has_rules = section.lines().any(|l| l.starts_with('/'));
    let text = merge(current.as_deref(), &section);
    if check {
        let stale = match &current {
            Some(c) => *c != text,
            None => has_rules,
        };
        if !stale {
            if !github {
                eprintln!("{PATH} is up to date");
            }
            return Ok(0);
        }
        let msg = match current {
            Some(_) => format!(
                "{PATH} is out of date with the goals and the teams' leads; run `goalbook codeowners` and commit it"
            ),
            None => format!(
                "there is no {PATH}, so no team lead is asked to review goal changes; run `goalbook codeowners` and commit it"
            ),
        };
        if github {
            println!("::warning file={PATH},line=1::{msg}")
        } else {
            eprintln!("{msg}")
        }
        return Ok(1);
    }
    for note in &notes {
        eprintln!("note: {note}");
    }
    // GitHub reads .github/CODEOWNERS (and the workflows) only at the root of
    // the repository, and the paths in it are relative to that root.
    if let Some(top) = git2::Repository::discover(root).ok().and_then(|r| r.workdir().map(Path::to_path_buf)) {
        let here = crate::output::normalize(root)?;
        let top = crate::output::normalize(&top)?;
        if here != top {
            eprintln!(
                "note: `{}` is inside the git repository `{}`; GitHub reads {PATH} only at the root of a repository, so give the goals a repository of their own",
                root.display(),
                top.display()
            );
        }
    }
    if current.as_deref() == Some(text.as_str()) {
        eprintln!("{PATH} is up to date");
        return Ok(0);
    }
    crate::fs::create_dir_all(path.parent().context("CODEOWNERS has no folder")?)?;
    crate::write::write_atomic(&path, text.as_bytes())?;
    eprintln!("wrote {PATH}; require review from Code Owners in the default branch's protection rule to enforce it");
    Ok(0)
}
